#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What sampling memory over time (the report's plot) costs a case: the same host cases
# run with --sample-ms 5 (the default) and with --sample-ms 0 (off), alternating, in one
# run of this script. Per case, the medians of the run phase (go until the trigger ends,
# where the stressors allocate and the kernel kills) and of the whole case.
#
# Usage: bench/sample-cost.sh [RUNS] [CASE...]   (default 9 runs; hog-killed
#        forkbomb-biggest-killed swapoff-caller-first filecache-no-oom unlocked-swaps
#        mlock-beats-swap: short and long ones; a case skipped here is left out)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
shift || true
cases=("$@")
((${#cases[@]})) || cases=(hog-killed forkbomb-biggest-killed swapoff-caller-first filecache-no-oom unlocked-swaps mlock-beats-swap)
make -s >&2

dir=$(mktemp -d /var/tmp/oomlab-sample-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT

for i in $(seq 1 "$runs"); do
	for ms in 5 0; do
		build/oomlab --sample-ms "$ms" --json "$dir/$ms-$i.json" "${cases[@]}" >"$dir/ktap" ||
			{ grep -v "^#   \[" "$dir/ktap" >&2; echo "bench/sample-cost.sh: a case failed with --sample-ms $ms (run $i)" >&2; exit 1; }
	done
done

/usr/bin/python3 - "$dir" "$runs" <<'EOF'
import json, statistics, sys
d, runs = sys.argv[1], int(sys.argv[2])
rows = {}
for ms in ("5", "0"):
    for i in range(1, runs + 1):
        for r in json.load(open(f"{d}/{ms}-{i}.json"))["results"]:
            if not r["detail"]:
                continue   # skipped here
            t = r["detail"]["timings_ms"]
            samples = len(r["detail"]["memory"]["samples"])
            rows.setdefault(r["case"], {}).setdefault(ms, []).append((t["end"] - t["go"], t["total"], samples))
print(f"{'case':26} {'run phase off':>13} {'on':>6} {'+%':>6}   {'whole off':>9} {'on':>6} {'+%':>6}  samples")
for case, by in rows.items():
    off_run = statistics.median(x[0] for x in by["0"])
    on_run = statistics.median(x[0] for x in by["5"])
    off_all = statistics.median(x[1] for x in by["0"])
    on_all = statistics.median(x[1] for x in by["5"])
    samples = statistics.median(x[2] for x in by["5"])
    pct = lambda on, off: 100.0 * (on - off) / off if off else 0.0
    print(f"{case:26} {off_run:10.0f} ms {on_run:6.0f} {pct(on_run, off_run):+6.1f}   "
          f"{off_all:6.0f} ms {on_all:6.0f} {pct(on_all, off_all):+6.1f}  {samples:.0f}")
print(f"(medians of {runs} runs each, alternating; run phase: go until the trigger ended)")
EOF
