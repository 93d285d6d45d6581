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
boot= busy= kill_after=
for word in $(cat /proc/cmdline); do
	case "$word" in
	oomlab.boot=*) boot=${word#oomlab.boot=} ;;
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
