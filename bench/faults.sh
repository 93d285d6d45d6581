#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# SIGKILL oomlab at random moments of a suite of cases that make things (swap files,
# tmpfs files, SysV segments, fork bombs), then run it again and look for anything left
# behind: cgroups, stressors, journals, swap, case files, SysV segments.
# Usage: bench/faults.sh [KILLS] [SEED]   (root)
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
seed=${2:-$(date +%s)}
make -s >&2
report=$(mktemp)
trap 'rm -f "$report"' EXIT
OOMLAB_FAULT_KILLS=$kills OOMLAB_FAULT_SEED=$seed OOMLAB_FAULT_REPORT=$report \
	/usr/bin/python3 -m pytest -q -x tests/test_faults.py -k sigkills -p no:cacheprovider 2>&1 |
	tail -n 3
echo "$kills random SIGKILLs (seed $seed), each followed by a recovery run"
cat "$report"
