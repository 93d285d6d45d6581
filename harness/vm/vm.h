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

#include "base/err.h"
#include "judge/ktap.h"

/* How qemu runs the guest. */
enum vm_accel {
	ACCEL_AUTO,      /* KVM where /dev/kvm opens; if KVM cannot run the guest, TCG */
	ACCEL_KVM,       /* KVM only: a failure is a boot failure */
	ACCEL_TCG,       /* software emulation only */
};

/* Guest memory unless --vm-memory says otherwise. */
#define VM_MEMORY_MB_DEFAULT 512

/* Each boot's blank disk (sparse: only what the guest writes takes room). */
#define VM_DISK_MB 1024

struct boot;

struct vm_opts {
	const char *qemu;            /* qemu-system-x86_64 */
	enum vm_accel accel;
	const char *kvm_device;      /* /dev/kvm (tests point it elsewhere) */
	bool *kvm_broken;            /* set once KVM failed in this run: later boots use TCG */
	bool busy_cgroup;            /* the guest starts oomlab from a non-root cgroup that holds
					another process, as a login shell's or CI runner's is */
	const char *initramfs;
	const char *log_dir;         /* console logs are kept here */
	const char *disk_dir;        /* each boot's disk is a nameless file here (--swap-dir) */
	int memory_mb;
	int cpus;
	bool verbose;
	bool detail;                 /* the guest passes each case's detail (results files) */
	int sample_ms;               /* the guest's --sample-ms */
	/* called about ten times a second while qemu runs (the results as they come) */
	void (*tick)(void *ctx, const struct boot *b);
	void *tick_ctx;
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
	BOOT_FAILED,     /* the guest never started oomlab (no KTAP header from this boot) */
	BOOT_TIMEOUT,    /* killed by the host after the boot's deadline */
	BOOT_STOPPED,    /* qemu ended without the guest finishing (killed, crashed) */
	BOOT_INTERRUPTED,
};

struct boot {
	enum boot_end end;
	char detail[768];            /* the panic line, qemu's status and message, ... */
	char console[PATH_MAX];      /* ttyS0: the kernel's console */
	char ktap[PATH_MAX];         /* ttyS1: the guest oomlab's KTAP */
	char qemu_log[PATH_MAX];     /* qemu's own stdout and stderr */
	char log_stem[PATH_MAX];     /* log_dir/PREFIX, which each log's name begins with */
	char nonce[40];              /* on the guest's command line; its KTAP must say it */
	long elapsed_ms;
	bool kvm;
	bool kvm_failed;             /* KVM could not run the guest (TCG may) */
	bool panicked_early;         /* the kernel panicked before the guest started oomlab */
	char no_disk[PATH_MAX + 128]; /* why the guest got no disk; "" when it got one */
};

/* A boot attempt whose logs were kept beside the next one's, and why. */
enum attempt {
	ATTEMPT_THIS,            /* the attempt whose result counts: PREFIX.*.log */
	ATTEMPT_KVM,             /* KVM could not run the guest: PREFIX.kvm.*.log */
	ATTEMPT_EARLY_PANIC,     /* TCG's boot panicked before oomlab: PREFIX.early-panic.*.log */
	ATTEMPTS
};

/*
 * Boot kernel with the initramfs, under KVM or TCG; the guest runs `cases` (a
 * comma-separated list). Logs go to log_dir/PREFIX.{console,ktap,qemu}.log, each
 * created anew by this boot: only what this boot wrote is read. Returns 0 with the
 * outcome in b, or -1 when the boot could not be tried at all (e says why).
 */
int vm_boot(const struct vm_opts *o, const char *kernel, const char *cases, const char *prefix,
	    long timeout_ms, bool kvm, struct boot *b, struct err *e);

/* Keep a failed attempt's logs beside the retry's, named for why it failed. */
void vm_boot_keep_failed_logs(struct boot *b, enum attempt why);

/* Remove the failed attempts' logs an earlier run kept: they are not this boot's. */
void vm_boot_forget_failed_logs(const struct vm_opts *o, const char *prefix);

/* Can KVM be used here (the device opens)? errno says why not. */
bool kvm_usable(const char *device);

/* Did this boot's guest write its KTAP log (the log names the boot's nonce)? */
bool boot_ktap_is_ours(const struct boot *b);

/* The version string of a bzImage ("6.1.0-56-amd64"), from its setup header. */
int bzimage_version(const char *path, char *out, size_t len, struct err *e);

/*
 * Names for the kernel images as results show them: each image's version, with "@2",
 * "@3", ... for a version an earlier image has too (a patched kernel and its baseline).
 * An image without a version is named by its file name.
 */
void vm_kernel_labels(const char *const *kernels, int n, char (*labels)[128]);

/*
 * Run the named cases in guests booted from kernel; their results go to k, named
 * LABEL:case (the image's version, made unique by the caller).
 */
void vm_run_kernel(struct ktap *k, const struct vm_opts *o, const char *kernel, const char *label,
		   char **names, int n);

#endif
