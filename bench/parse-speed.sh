#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# How fast `oomlab parse` reads a large kernel log where OOM reports are rare, beside
# `grep -c 'invoked oom-killer'` on the same file in the same run.
#
# Usage: bench/parse-speed.sh [SIZE_MB] [RUNS]     (default 300 MB, 7 runs each)
#
# OOMLAB_PARSE_BASELINE=PATH also times another oomlab binary (an older build) on the
# same log in the same runs, for a change's before and after.
#
# The log is built from real kernel lines: this machine's dmesg and the kernel lines of
# the VM guests' console logs when there are any (make vm-check), with times rewritten
# to grow, and one recorded OOM report (tests/fixtures/parse/6.12-v2-guest.log) every
# 50 MB. Both tools read it from the page cache; runs alternate; medians are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-300}
runs=${2:-7}
make -s >&2

dir=$(mktemp -d /var/tmp/oomlab-parse-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
log="$dir/kernel.log"

# The filler is the machine's other kernel lines: its own OOM reports (from the trigger
# line to the kill, a panic or no killable process) are left out whole, not only the
# lines with the words the reader looks for (a report cut so would be many reports cut
# short before their trigger, which the reader reads as such).
{ dmesg 2>/dev/null || true; cat build/vm-logs/*/*.console.log 2>/dev/null || true; } |
	grep -aE '^\[ *[0-9]+\.[0-9]+\] ' |
	awk '/invoked oom-killer/ { in_report = 1 }
	     in_report { if (/Killed process|Kernel panic|no killable/) in_report = 0; next }
	     { print }' | grep -avE 'invoked oom-killer|of memory|oom_reaper|oom-kill:' \
	>"$dir/pool" || true
if [ ! -s "$dir/pool" ]; then
	echo "parse-speed: no kernel lines to build the log from (dmesg unreadable?)" >&2
	exit 1
fi

/usr/bin/python3 - "$dir/pool" tests/fixtures/parse/6.12-v2-guest.log "$log" "$size_mb" <<'EOF'
import re, sys
pool_path, report_path, out_path, size_mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
text = re.compile(r"^\[ *\d+\.\d+\] ?")
pool = [text.sub("", l) for l in open(pool_path, errors="replace").read().splitlines()]
report = [text.sub("", l) for l in open(report_path).read().splitlines()]
target, every, us, written, next_report, reports = size_mb << 20, 50 << 20, 0, 0, 25 << 20, 0
with open(out_path, "w") as out:
    while written < target:
        chunk = []
        for line in pool:
            us += 1731
            chunk.append(f"[{us // 1000000:5d}.{us % 1000000:06d}] {line}\n")
        if written + sum(map(len, chunk)) > next_report:
            for line in report:
                chunk.append(f"[{us // 1000000:5d}.{us % 1000000:06d}] {line}\n")
            next_report += every
            reports += 1
        s = "".join(chunk)
        out.write(s)
        written += len(s)
print(f"log: {written >> 20} MB, {reports} copies of a report with 6 OOM events", file=sys.stderr)
EOF

cat "$log" >/dev/null   # into the page cache for both
lines=$(wc -l <"$log")
bytes=$(stat -c %s "$log")
echo "log: $bytes bytes, $lines lines"

time_ms() {   # run a command, print its wall time in ms
	local t0 t1
	t0=$(date +%s%N)
	# Not to /dev/null: GNU grep then stops at the first match, as with -q.
	"$@" >"$dir/out"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

baseline=${OOMLAB_PARSE_BASELINE:-}
grep_times=() parse_times=() summary_times=() base_times=()
for ((i = 0; i < runs; i++)); do
	grep_times+=("$(time_ms grep -c 'invoked oom-killer' "$log")")
	parse_times+=("$(time_ms build/oomlab parse "$log")")
	summary_times+=("$(time_ms build/oomlab parse --summary "$log")")
	[ -z "$baseline" ] || base_times+=("$(time_ms "$baseline" parse "$log")")
	echo "run $((i + 1)): grep ${grep_times[-1]} ms, parse ${parse_times[-1]} ms," \
		"parse --summary ${summary_times[-1]} ms${baseline:+, baseline parse ${base_times[-1]} ms}"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
g=$(median "${grep_times[@]}")
p=$(median "${parse_times[@]}")
s=$(median "${summary_times[@]}")
events=$(build/oomlab parse --summary "$log" | tail -1)
grep_hits=$(grep -c 'invoked oom-killer' "$log")
echo "grep -c 'invoked oom-killer': $grep_hits lines"
echo "oomlab parse: $events"
awk -v g="$g" -v p="$p" -v s="$s" -v b="$bytes" 'BEGIN {
	printf "median grep -c:             %6d ms  %6.0f MB/s\n", g, b / 1048576 / (g / 1000)
	printf "median oomlab parse:        %6d ms  %6.0f MB/s  (%.0f%% of grep)\n", p, b / 1048576 / (p / 1000), 100 * g / p
	printf "median oomlab parse -s:     %6d ms  %6.0f MB/s  (%.0f%% of grep)\n", s, b / 1048576 / (s / 1000), 100 * g / s
}'
if [ -n "$baseline" ]; then
	o=$(median "${base_times[@]}")
	echo "baseline: $("$baseline" parse --summary "$log" | tail -1)"
	awk -v g="$g" -v o="$o" -v b="$bytes" 'BEGIN {
		printf "median baseline parse:      %6d ms  %6.0f MB/s  (%.0f%% of grep)\n", o, b / 1048576 / (o / 1000), 100 * g / o
	}'
fi
