#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the VM guest's initramfs: static oomlab and stressors, the cases and expected
# files, busybox from Debian's busybox-static, and harness/vm/guest-init.sh as /init.
# Usage: harness/vm/mkinitramfs.sh OUT.cpio.gz STATIC_BUILD_DIR
set -euo pipefail
out=$1 static=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
busybox=${BUSYBOX:-/bin/busybox}

# ldd says so for a static binary (and exits 1).
linkage=$(ldd "$busybox" 2>&1 || true)
if [ ! -x "$busybox" ] || [[ $linkage != *"not a dynamic executable"* ]]; then
	echo "mkinitramfs: $busybox is missing or not static: install Debian's busybox-static" >&2
	exit 1
fi
command -v cpio >/dev/null || { echo "mkinitramfs: cpio is missing: install Debian's cpio" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,oomlab/build/stressors}
cp "$busybox" "$root/bin/busybox"
install -m 755 "$top/harness/vm/guest-init.sh" "$root/init"
cp "$static/oomlab" "$root/oomlab/build/oomlab"
cp "$static"/stressors/* "$root/oomlab/build/stressors/"
cp -r "$top/cases" "$top/expected" "$root/oomlab/"
(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
