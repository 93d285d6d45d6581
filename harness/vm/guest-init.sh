#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of oomlab's VM guest: mount what oomlab needs, run the cases named on the
# kernel command line with KTAP on the second serial port, then power off. A kernel
# panic instead ends the boot through panic=-1 and qemu's -no-reboot.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /dev/shm && mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup

args="--cases /oomlab/cases --expected /oomlab/expected"
boot= busy= kill_after= disk=
for word in $(cat /proc/cmdline); do
	case "$word" in
	oomlab.boot=*) boot=${word#oomlab.boot=} ;;
	oomlab.disk=*) disk=${word#oomlab.disk=} ;;
	oomlab.kill_after=*) kill_after=${word#oomlab.kill_after=} ;;
	oomlab.busy_cgroup=1) busy=1 ;;
	oomlab.cases=*) args="$args $(echo "${word#oomlab.cases=}" | tr , ' ')" ;;
	oomlab.verbose=1) args="$args -v" ;;
	oomlab.detail=1) args="$args --guest-detail" ;;
	oomlab.sample_ms=*) args="$args --sample-ms ${word#oomlab.sample_ms=}" ;;
	oomlab.timeout_scale=*) args="$args --timeout-scale ${word#oomlab.timeout_scale=}" ;;
	oomlab.timeout=*) args="$args --timeout ${word#oomlab.timeout=}" ;;
	esac
done

# The sysctls cases may set, before and after (tests/test_vm.py checks they were restored).
sysctls() {
	for k in overcommit_memory overcommit_ratio overcommit_kbytes panic_on_oom \
		oom_kill_allocating_task oom_dump_tasks; do
		printf ' vm.%s=%s' "$k" "$(cat /proc/sys/vm/$k)"
	done
}
before=$(sysctls)

# The host counts only results that follow this boot's word (from its command line).
echo "# oomlab-guest: boot $boot" >/dev/ttyS1

# The disk the host attached (a blank virtio disk), as /var/tmp: the cases' swap files and
# page cache go there. Its drivers may be modules the host put in /oomlab/modules, named
# in the order they load.
for module in /oomlab/modules/*.ko; do
	[ -e "$module" ] || continue
	insmod "$module" 2>/dev/console ||
		echo "# guest: insmod ${module##*/} failed (see the console log)" >/dev/ttyS1
	rm -f "$module" # the kernel has its copy; the cases get the memory back
done
mkdir -p /var/tmp
if [ -n "$disk" ]; then
	for _ in $(seq 50); do
		[ -b "/dev/$disk" ] && break
		usleep 100000
	done
	if [ ! -b "/dev/$disk" ]; then
		echo "# guest: no disk: /dev/$disk did not appear (virtio_pci and virtio_blk neither" \
			"built in nor given as modules): swap files and page cache cases skip" >/dev/ttyS1
	elif ! mke2fs -q -F -m 0 -i 1048576 "/dev/$disk" >/dev/console 2>&1 ||
		! { mount -t ext2 "/dev/$disk" /var/tmp || mount -t ext4 "/dev/$disk" /var/tmp; } \
			>/dev/console 2>&1; then
		echo "# guest: no disk: /dev/$disk could not be made ext2 and mounted (is ext2 or" \
			"ext4 built in or given as a module? see the console log)" >/dev/ttyS1
	else
		echo "# guest: /var/tmp is /dev/$disk, $(($(cat /sys/block/$disk/size) / 2048)) MiB," \
			"ext2: swap files and page cache go there" >/dev/ttyS1
	fi
fi

# As a login shell's or a CI runner's would be: oomlab starts in a cgroup that is not
# the root and holds another process.
if [ -n "$busy" ]; then
	mkdir /sys/fs/cgroup/session.scope
	sleep 100000 &
	sleeper=$!
	echo "$sleeper" >/sys/fs/cgroup/session.scope/cgroup.procs
	echo $$ >/sys/fs/cgroup/session.scope/cgroup.procs
	echo "# oomlab-guest: started from /session.scope beside pid $sleeper" >/dev/ttyS1
fi

# For tests/test_vm.py: SIGKILL oomlab after this many ms, then a run that must undo
# what the dead one left (its sysctls above all); that run's KTAP is the boot's.
if [ -n "$kill_after" ]; then
	/oomlab/build/oomlab --guest $args >/dev/null 2>/dev/console &
	usleep $((kill_after * 1000))
	kill -9 $! 2>/dev/null
	wait $!
	echo "# oomlab-guest: killed oomlab after $kill_after ms; sysctls then:$(sysctls)" >/dev/ttyS1
	args="--cases /oomlab/cases --expected /oomlab/expected no-oom-below-limit"
fi

# KTAP on ttyS1; oomlab's own errors on the console, beside the kernel's messages.
/oomlab/build/oomlab --guest $args >/dev/ttyS1 2>/dev/console
rc=$?
echo "# oomlab-guest: sysctls before:$before" >/dev/ttyS1
echo "# oomlab-guest: sysctls after:$(sysctls)" >/dev/ttyS1
echo "# oomlab-guest: exit $rc" >/dev/ttyS1
poweroff -f
