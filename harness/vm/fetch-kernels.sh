#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian 12's newest 6.1 and 6.12 kernel images (apt-get download, no install)
# and unpack them into DIR/PACKAGE/. Prints the path of each vmlinuz, one per line.
# A package already unpacked in DIR is not fetched again. Each FLAVOUR (rt, cloud) adds
# 6.1's image of that flavour (linux-image-6.1.0-N-FLAVOUR-amd64) after the two.
# Usage: harness/vm/fetch-kernels.sh DIR [FLAVOUR...]
set -euo pipefail
dir=${1:?usage: fetch-kernels.sh DIR [rt] [cloud]}
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

packages=(
	"$(newest '^linux-image-6\.1\.0-[0-9]+-amd64$')"
	"$(newest '^linux-image-6\.12\.[0-9]+\+deb12-amd64$')"
)
for flavour in "$@"; do
	case "$flavour" in
	rt | cloud) packages+=("$(newest "^linux-image-6\\.1\\.0-[0-9]+-$flavour-amd64\$")") ;;
	*) echo "fetch-kernels: no flavour '$flavour' (rt, cloud)" >&2; exit 1 ;;
	esac
done
for pkg in "${packages[@]}"; do
	if [ -z "$pkg" ]; then
		echo "fetch-kernels: apt knows no Debian 6.1 or 6.12 kernel image (or flavour): run" \
			"apt-get update (Debian 12 sources needed)" >&2
		exit 1
	fi
	ver=${pkg#linux-image-}
	vmlinuz="$dir/$pkg/boot/vmlinuz-$ver"
	if [ ! -f "$vmlinuz" ]; then
		tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
		# apt-get download runs as _apt where it can; a directory it may write helps.
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download -q "$pkg" >&2)
		dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/unpacked"
		rm -rf "${dir:?}/$pkg"
		mv "$tmp/unpacked" "$dir/$pkg"
		rm -rf "$tmp"
	fi
	echo "$vmlinuz"
done
