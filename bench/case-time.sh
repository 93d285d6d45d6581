#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# How long one 64M case takes from start to verdict, beside a baseline: the same hog
# killed in a bare cgroup without the harness (what the kernel itself costs).
# Usage: bench/case-time.sh [RUNS]   (root; prints one line per run, then medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
make -s >&2

own=$(build/oomlab cgroup info | sed -n 's/^dir: //p')
version=$(build/oomlab cgroup info | sed -n 's/^version: //p')
bare="$own/oomlab-bench.$$"
cleanup() { [ -d "$bare" ] && rmdir "$bare" 2>/dev/null || true; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The baseline: mkdir, limit, start the hog in the cgroup, wait for the kill, rmdir.
baseline_once() {
	local t0 t1
	t0=$(now_ms)
	mkdir "$bare"
	if [ "$version" = 2 ]; then
		echo 64M > "$bare/memory.max"; echo 0 > "$bare/memory.swap.max"
	else
		echo 64M > "$bare/memory.limit_in_bytes"; echo 64M > "$bare/memory.memsw.limit_in_bytes"
	fi
	sh -c "echo \$\$ > $bare/cgroup.procs; exec build/stressors/hog --size 256M" 2>/dev/null || true
	rmdir "$bare"
	t1=$(now_ms)
	echo $((t1 - t0))
}

# The harness: its own timing line (case start to cleanup done), and the wall clock of
# the whole process minus its wait for the kernel's report rate limit.
harness_once() {
	local t0 t1 out waited total
	t0=$(now_ms)
	out=$(build/oomlab -v hog-killed)
	t1=$(now_ms)
	grep -q '^ok 1 hog-killed$' <<<"$out" || { echo "hog-killed failed" >&2; echo "$out" >&2; exit 1; }
	total=$(sed -n 's/.*log settled \([0-9]*\) ms, cleaned up \([0-9]*\) ms.*/\2/p' <<<"$out")
	waited=$(sed -n 's/.*after waiting \([0-9]*\) ms for other runs.* and \([0-9]*\) ms for the kernel.*/\1 \2/p' <<<"$out")
	waited=$(( ${waited% *} + ${waited#* } ))
	echo "$total $((t1 - t0 - waited))"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

b=(); c=(); w=()
for i in $(seq 1 "$runs"); do
	b+=("$(baseline_once)")
	read -r case_ms wall_ms < <(harness_once)
	c+=("$case_ms"); w+=("$wall_ms")
	printf 'run %2d: baseline %4d ms, case %4d ms, oomlab process %4d ms\n' "$i" "${b[-1]}" "$case_ms" "$wall_ms"
done
echo "median of $runs: baseline $(printf '%s\n' "${b[@]}" | median) ms," \
     "case start to cleanup $(printf '%s\n' "${c[@]}" | median) ms," \
     "whole oomlab process $(printf '%s\n' "${w[@]}" | median) ms"
