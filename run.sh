#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The one command: install what is missing (Debian 12, as root), build, run the suite.
# Arguments go to oomlab, e.g. ./run.sh -v hog-killed. KTAP on stdout; the rest on stderr.
set -euo pipefail
# No cd: relative paths in the arguments (--cases DIR) keep meaning what the user meant.
top=$(cd "$(dirname "$0")" && pwd)

# Build: the compiler, make, the C library headers, pkg-config, libseccomp. The README's
# other commands: pytest, automake (tap-driver.sh), util-linux (setpriv), clang and its
# libFuzzer runtime, junitparser and chromium (make check reads the results files back),
# linux-source-6.1 (the kernel's kselftest runner), groff-base and man-db (the man page);
# qemu, a static busybox, cpio and xz (the VM backend; xz opens the kernels' .ko.xz modules).
packages=(gcc make libc6-dev pkg-config libseccomp-dev python3-pytest automake util-linux
	clang libclang-rt-14-dev python3-junitparser chromium linux-source-6.1 groff-base man-db
	qemu-system-x86 busybox-static cpio xz-utils)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
fi
if ((${#missing[@]})); then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "run.sh: installing ${missing[*]}" >&2
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${missing[@]}" >&2
	else
		echo "run.sh: missing Debian packages: ${missing[*]}; run ./run.sh as root once to" \
			"install them, or install them yourself" >&2
	fi
fi

make -s -C "$top" >&2
exec "$top/build/oomlab" "$@"
