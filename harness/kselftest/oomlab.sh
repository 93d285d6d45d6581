#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# oomlab as a kselftest collection (make kselftest-install): the kernel's runner starts
# this in the collection's folder; oomlab finds its cases, expected files and stressors
# next to itself. OOMLAB_ARGS: options and case names (default: every case, here).
cd "$(dirname "$0")" || exit 1
# shellcheck disable=SC2086
exec ./oomlab ${OOMLAB_ARGS:-}
