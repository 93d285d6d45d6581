#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Do verdicts flip? Runs the host suite RUNS times in a row and counts, per case, how
# often it passed, failed, was skipped or not judged. With --beside, a second suite runs
# beside each one the whole time (a shared CI machine); its verdicts count too.
# Usage: bench/flips.sh RUNS [--beside]   (root; a table, then the totals)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
beside=${2:-}
make -s >&2
out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait; rm -rf "$out"' EXIT

start=$(date +%s)
for i in $(seq 1 "$runs"); do
	if [ "$beside" = --beside ]; then
		build/oomlab >"$out/beside.$i" 2>&1 &
	fi
	build/oomlab >"$out/run.$i" 2>&1 || true
	wait
	printf '%s run %d/%d: %s\n' "$(date +%T)" "$i" "$runs" "$(tail -n 1 "$out/run.$i")" >&2
done
elapsed=$(( $(date +%s) - start ))

/usr/bin/python3 - "$out" "$runs" "$elapsed" "$beside" <<'PY'
import collections, pathlib, re, sys
out, runs, elapsed, beside = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
count = collections.defaultdict(collections.Counter)
suites = 0
for f in sorted(out.iterdir()):
    suites += 1
    for line in f.read_text().splitlines():
        m = re.match(r"^(ok|not ok) \d+ (\S+)(?: # (\S+)(.*))?$", line)
        if not m:
            continue
        verdict = {"SKIP": "skip", "TIMEOUT": "timeout"}.get(m.group(3), "pass" if m.group(1) == "ok" else "fail")
        if verdict == "skip" and m.group(4).strip().startswith("not judged"):
            verdict = "not judged"
        count[m.group(2)][verdict] += 1
flipped = {c: n for c, n in count.items() if len(n) > 1}
print(f"{suites} suites ({runs} runs{', each with a second suite beside it' if beside else ''}), "
      f"{len(count)} cases, {elapsed} s")
print("| case | pass | fail | timeout | skip | not judged |")
print("|---|---|---|---|---|---|")
for case in sorted(count):
    n = count[case]
    mark = " (flipped)" if case in flipped else ""
    print(f"| {case}{mark} | {n['pass']} | {n['fail']} | {n['timeout']} | {n['skip']} | {n['not judged']} |")
print(f"cases whose verdict flipped: {len(flipped)}")
PY
