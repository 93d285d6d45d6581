/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM backend: boot a kernel image under qemu with oomlab's initramfs, run cases
 * in the guest (cgroup v2, machine-wide cases allowed), and merge the guest's results
 * into this KTAP stream as "KERNEL:case".
 */
#ifndef OOMLAB_VM_H
#define OOMLAB_VM_H

#include <limits.h>
#include <stdbool.h>

#include "err.h"
#include "ktap.h"

struct vm_opts {
	const char *qemu;            /* qemu-system-x86_64 */
	const char *initramfs;
	const char *log_dir;         /* console logs are kept here */
	int memory_mb;
	int cpus;
	bool verbose;
	const char *cases_dir;
	const char *expected_dir;
	const char *stressor_dir;    /* the host's, for reading case files */
	long case_timeout_ms;        /* a case's default timeout */
	bool case_timeout_forced;    /* --timeout: it overrides the case files', in the guest too */
	long boot_timeout_ms;        /* a boot's deadline; 0: from its cases' timeouts */
	int sigfd;                   /* SIGCHLD and interrupts */
	bool *interrupted;
};

/* How one boot ended. */
enum boot_end {
	BOOT_FINISHED,   /* the guest's oomlab ran to the end and the guest powered off */
	BOOT_PANIC,      /* "Kernel panic - not syncing" after oomlab started */
	BOOT_FAILED,     /* the guest never started oomlab (no KTAP header) */
	BOOT_TIMEOUT,    /* killed by the host after the boot's deadline */
	BOOT_STOPPED,    /* qemu ended without the guest finishing (killed, crashed) */
	BOOT_INTERRUPTED,
};

struct boot {
	enum boot_end end;
	char detail[512];            /* the panic line, qemu's status, ... */
	char console[PATH_MAX];      /* ttyS0: the kernel's console */
	char ktap[PATH_MAX];         /* ttyS1: the guest oomlab's KTAP */
	long elapsed_ms;
	bool kvm;
};

/*
 * Boot kernel with the initramfs; the guest runs `cases` (a comma-separated list).
 * Logs go to log_dir/PREFIX.{console,ktap,qemu}.log. Returns 0 with the outcome in b,
 * or -1 when qemu could not be started at all (e says why).
 */
int vm_boot(const struct vm_opts *o, const char *kernel, const char *cases, const char *prefix,
	    long timeout_ms, struct boot *b, struct err *e);

/* The version string of a bzImage ("6.1.0-56-amd64"), from its setup header. */
int bzimage_version(const char *path, char *out, size_t len, struct err *e);

/* Run the named cases in guests booted from kernel; their results go to k. */
void vm_run_kernel(struct ktap *k, const struct vm_opts *o, const char *kernel, char **names,
		   int n);

#endif
