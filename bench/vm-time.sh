#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# How long one kernel's boot plus the whole suite takes in a qemu guest, beside a
# baseline: the same kernel and initramfs booted to a bare init that exits at once
# (kernel boot and initramfs unpacking only).
# Usage: bench/vm-time.sh [RUNS] [ACCEL] [FLAVOUR...]   (fetches Debian's 6.1 and 6.12
# images, and 6.1's rt and cloud flavours when named, if needed; ACCEL tcg (the default)
# or kvm: a KVM that cannot run the guest would hang the baseline, which has no watch)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
make -s all initramfs >&2
accel=${2:-tcg}
images=$(harness/vm/fetch-kernels.sh build/kernels "${@:3}")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for image in $images; do
	b=(); s=()
	for i in $(seq 1 "$runs"); do
		t0=$(now_ms)
		# init is busybox printing its usage and exiting: a panic, which ends qemu.
		qemu-system-x86_64 -kernel "$image" -initrd build/initramfs.cpio.gz \
			-append "console=ttyS0 panic=-1 rdinit=/bin/busybox" -m 512 -smp 2 \
			-nographic -no-reboot -nic none -monitor none -serial null -accel "$accel" \
			$([ "$accel" = kvm ] && echo -cpu host) >/dev/null 2>&1 || true
		t1=$(now_ms)
		# A failed case (a boot that timed out) is counted and shown, not hidden.
		build/oomlab --vm-only --accel "$accel" --kernel "$image" --vm-logs build/bench-vm-logs \
			>/tmp/vm-time.$$ || grep '^not ok ' /tmp/vm-time.$$ >&2 || true
		t2=$(now_ms)
		cases=$(grep -c '^ok ' /tmp/vm-time.$$ || true)
		failed=$(grep -c '^not ok ' /tmp/vm-time.$$ || true)
		b+=($((t1 - t0))); s+=($((t2 - t1)))
		printf '%s run %d: bare boot %5d ms, boot(s) + suite %6d ms (%d ok, %d not ok)\n' \
			"$(basename "$image")" "$i" "${b[-1]}" "${s[-1]}" "$cases" "$failed"
	done
	echo "$(basename "$image") ($accel, median of $runs): bare boot" \
	     "$(printf '%s\n' "${b[@]}" | median) ms, boots + suite $(printf '%s\n' "${s[@]}" | median) ms"
done
rm -f /tmp/vm-time.$$
