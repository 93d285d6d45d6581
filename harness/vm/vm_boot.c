// SPDX-License-Identifier: GPL-2.0
/* Booting one guest under qemu and telling how the boot ended. */
#include "vm/vm.h"

#include "base/clock.h"
#include "base/child.h"
#include "vm/vm_watch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "shared/arrays.h"

int bzimage_version(const char *path, char *out, size_t len, struct err *e)
{
	unsigned char hdr[0x210];
	char text[256];
	struct stat st;
	unsigned off;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, errno, "kernel image `%s`", path);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(e, 0, "kernel image `%s` is a directory: give the image file, a bzImage "
			       "such as /boot/vmlinuz-VERSION or arch/x86/boot/bzImage", path);
	}
	n = pread(fd, hdr, sizeof(hdr), 0);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4)) {
		close(fd);
		return err_set(e, 0, "kernel image `%s` is not a bzImage (no HdrS setup header)", path);
	}
	/* kernel_version: offset of the version string, counted from 0x200. */
	off = (unsigned)hdr[0x20e] | (unsigned)hdr[0x20f] << 8;
	n = off ? pread(fd, text, sizeof(text) - 1, 0x200 + off) : -1;
	close(fd);
	if (n <= 0)
		return err_set(e, 0, "kernel image `%s` names no version", path);
	text[n] = '\0';
	text[strcspn(text, " ")] = '\0';
	snprintf(out, len, "%s", text);
	return 0;
}

void vm_kernel_labels(const char *const *kernels, int n, char (*labels)[128])
{
	for (int i = 0; i < n; i++) {
		char version[96];
		struct err e;
		int same = 1;

		if (bzimage_version(kernels[i], version, sizeof(version), &e)) {
			const char *base = strrchr(kernels[i], '/');

			snprintf(version, sizeof(version), "%s", base ? base + 1 : kernels[i]);
		}
		snprintf(labels[i], sizeof(labels[i]), "%s", version);
		for (int j = 0; j < i; j++)
			same += !strncmp(labels[j], version, strlen(version)) &&
				(labels[j][strlen(version)] == '\0' || labels[j][strlen(version)] == '@');
		if (same > 1)
			snprintf(labels[i], sizeof(labels[i]), "%s@%d", version, same);
	}
}

bool kvm_usable(const char *device)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* How long the kernel may take to print its first line after qemu starts. */
#define KVM_KERNEL_START_MS 5000
#define TCG_KERNEL_START_MS 60000

/*
 * A file of this boot's, created anew: a previous boot's file never counts. Returns
 * an open descriptor (the caller closes it), or -1 with e.
 */
static int create_fresh(const char *path, const char *what, struct err *e)
{
	int fd;

	if (unlink(path) && errno != ENOENT)
		return err_set(e, errno, "cannot remove the previous %s `%s`", what, path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, errno, "cannot create the %s `%s`", what, path);
	return fd;
}

/* A word the guest's KTAP must repeat: it proves the log was written by this boot. */
static void make_nonce(char *out, size_t len)
{
	unsigned char raw[12] = { 0 };
	size_t i;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		unsigned long mix = (unsigned long)now_ms() * 2654435761UL ^ (unsigned long)getpid();

		memcpy(raw, &mix, sizeof(mix));
	}
	for (i = 0; i < sizeof(raw) && 2 * i + 2 < len; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

/*
 * The boot's disk: a blank file of VM_DISK_MB with no name, so that nothing is left
 * behind whatever happens to this run; qemu opens it as /proc/self/fd/DISK_FD. -1 with
 * b->no_disk saying why.
 */
#define DISK_FD 3
static int open_disk(const struct vm_opts *o, struct boot *b)
{
	int fd = o->disk_dir ? open(o->disk_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;

	if (!o->disk_dir) {
		snprintf(b->no_disk, sizeof(b->no_disk), "no folder for the guest's disk");
		return -1;
	}
	if (fd < 0 || ftruncate(fd, (off_t)VM_DISK_MB << 20)) {
		snprintf(b->no_disk, sizeof(b->no_disk), "cannot make the guest's disk in `%s` "
			 "(--swap-dir): %s", o->disk_dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static pid_t start_qemu(const struct vm_opts *o, const char *kernel, const char *append,
			const struct boot *b, int log_fd, int disk_fd, struct err *e)
{
	char mem[16], cpus[16], serial0[PATH_MAX + 8], serial1[PATH_MAX + 8], drive[96];
	const char *argv[44];
	int n = 0;
	pid_t pid, parent = getpid();

	snprintf(mem, sizeof(mem), "%d", o->memory_mb);
	snprintf(cpus, sizeof(cpus), "%d", o->cpus);
	snprintf(serial0, sizeof(serial0), "file:%s", b->console);
	snprintf(serial1, sizeof(serial1), "file:%s", b->ktap);
	argv[n++] = o->qemu;
	argv[n++] = "-kernel"; argv[n++] = kernel;
	argv[n++] = "-initrd"; argv[n++] = o->initramfs;
	argv[n++] = "-append"; argv[n++] = append;
	argv[n++] = "-m"; argv[n++] = mem;
	argv[n++] = "-smp"; argv[n++] = cpus;
	argv[n++] = "-nographic"; argv[n++] = "-no-reboot";
	argv[n++] = "-nic"; argv[n++] = "none"; /* no network, and no NIC option ROM needed */
	argv[n++] = "-monitor"; argv[n++] = "none";
	argv[n++] = "-serial"; argv[n++] = serial0;   /* ttyS0: console */
	argv[n++] = "-serial"; argv[n++] = serial1;   /* ttyS1: KTAP */
	if (disk_fd >= 0) {
		/* cache=unsafe: nothing on it outlives the boot, so never wait for the host's disk */
		snprintf(drive, sizeof(drive), "file=/proc/self/fd/%d,format=raw,if=virtio,cache=unsafe",
			 DISK_FD);
		argv[n++] = "-drive"; argv[n++] = drive;
	}
	if (b->kvm) {
		argv[n++] = "-accel"; argv[n++] = "kvm";
		argv[n++] = "-cpu"; argv[n++] = "host";
	} else {
		argv[n++] = "-accel"; argv[n++] = "tcg";
	}
	argv[n] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return err_set(e, errno, "fork for qemu");
	if (pid == 0) {
		const struct child_setup setup = {
			.stdout_fd = log_fd, .stderr_fd = log_fd, .die_with = parent,
			.own_group = true, .keep_fd = disk_fd, .keep_at = DISK_FD,
		};

		if (child_setup(&setup))
			_exit(127);
		execvp(o->qemu, (char *const *)argv);
		dprintf(2, "exec %s: %s\n", o->qemu, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Why the watch stops the boot early, in b->detail; false while it may go on. */
static bool boot_stuck(const struct boot_watch *w, struct boot *b, long started)
{
	long limit = b->kvm ? KVM_KERNEL_START_MS : TCG_KERNEL_START_MS;
	char last[256] = "";

	if (b->kvm && w->kvm_error[0]) {
		snprintf(b->detail, sizeof(b->detail), "KVM could not run the guest: qemu said '%s' "
			 "(see %s)", w->kvm_error, b->qemu_log);
		return b->kvm_failed = true;
	}
	if (w->kernel_started || now_ms() - started < limit)
		return false;
	if (!file_last_text_line(b->console, last, sizeof(last)))
		snprintf(last, sizeof(last), "nothing");
	snprintf(b->detail, sizeof(b->detail), "the kernel printed nothing within %d s of qemu's "
		 "start under %s; the console's last line: %s", (int)(limit / 1000),
		 b->kvm ? "KVM (KVM cannot run this guest here)" : "TCG", last);
	b->kvm_failed = b->kvm;
	return true;
}

/* Wait for qemu until the deadline, watching the boot; on interrupt, deadline or a stuck boot, kill it. */
static void wait_qemu(const struct vm_opts *o, pid_t pid, long deadline, struct boot *b,
		      struct boot_watch *w, int *status)
{
	long started = now_ms();
	bool killed = false;

	for (;;) {
		struct pollfd p = { .fd = o->sigfd, .events = POLLIN };
		long left = deadline - now_ms();

		if (waitpid(pid, status, WNOHANG) == pid) {
			boot_watch_poll(w); /* what qemu said before it ended */
			return;
		}
		boot_watch_poll(w);
		if (o->tick)
			o->tick(o->tick_ctx, b);
		if (!killed && (left <= 0 || *o->interrupted || boot_stuck(w, b, started))) {
			kill(pid, SIGKILL);
			killed = true;
			b->end = *o->interrupted ? BOOT_INTERRUPTED : left <= 0 ? BOOT_TIMEOUT : BOOT_FAILED;
		}
		poll(&p, 1, killed ? 100 : (int)(left > 100 ? 100 : left));
		if (sigfd_drain(o->sigfd))
			*o->interrupted = true;
	}
}

bool boot_ktap_is_ours(const struct boot *b)
{
	char want[80], line[128];

	snprintf(want, sizeof(want), "# oomlab-guest: boot %s", b->nonce);
	return file_find_line(b->ktap, want, line, sizeof(line));
}

/* qemu's own last message (its stderr), for a boot that failed. */
static void qemu_said(const struct boot *b, char *out, size_t len)
{
	if (!file_last_text_line(b->qemu_log, out, len))
		snprintf(out, len, "nothing on its stderr");
}

/* How the boot ended, once qemu is gone: from the logs of this boot only. */
static void classify(struct boot *b, const struct boot_watch *w, int status)
{
	char line[512], said[384];
	bool ours = boot_ktap_is_ours(b);

	if (!ours && b->kvm && w->kvm_error[0]) {
		/* qemu said KVM failed, and ended: the guest never ran. */
		b->end = BOOT_FAILED;
		b->kvm_failed = true;
		snprintf(b->detail, sizeof(b->detail), "KVM could not run the guest: qemu said '%s' "
			 "(see %s)", w->kvm_error, b->qemu_log);
		return;
	}
	if (file_find_line(b->console, "Kernel panic - not syncing", b->detail, sizeof(b->detail))) {
		/* A panic before oomlab printed its header is a boot failure. */
		b->end = ours ? BOOT_PANIC : BOOT_FAILED;
		b->panicked_early = !ours;
		return;
	}
	if (ours && file_find_line(b->ktap, "# oomlab-guest: exit", line, sizeof(line)))
		return;
	if (!ours) {
		qemu_said(b, said, sizeof(said));
		b->end = WIFSIGNALED(status) ? BOOT_STOPPED : BOOT_FAILED;
		if (WIFSIGNALED(status))
			snprintf(b->detail, sizeof(b->detail), "qemu was ended by signal %d before the guest "
				 "started oomlab", WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			snprintf(b->detail, sizeof(b->detail), "qemu exited with code %d: %s",
				 WEXITSTATUS(status), said);
		else if (file_last_text_line(b->console, line, sizeof(line)))
			snprintf(b->detail, sizeof(b->detail), "the guest never started oomlab; the "
				 "console's last line: %s", line);
		else
			snprintf(b->detail, sizeof(b->detail), "the guest never started oomlab; the "
				 "console is empty, and qemu said: %s", said);
		return;
	}
	b->end = BOOT_STOPPED;
	if (WIFSIGNALED(status))
		snprintf(b->detail, sizeof(b->detail), "qemu was ended by signal %d before the guest "
			 "finished", WTERMSIG(status));
	else
		snprintf(b->detail, sizeof(b->detail), "qemu exited (code %d) before the guest finished",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

enum log_kind { LOG_CONSOLE, LOG_KTAP, LOG_QEMU, LOG_KINDS };

static const char *const log_kinds[LOG_KINDS] = {
	[LOG_CONSOLE] = "console", [LOG_KTAP] = "ktap", [LOG_QEMU] = "qemu",
};

/* Why an attempt's logs were kept beside the next attempt's: the word in their names. */
static const char *const attempt_words[ATTEMPTS] = {
	[ATTEMPT_THIS] = "", [ATTEMPT_KVM] = "kvm", [ATTEMPT_EARLY_PANIC] = "early-panic",
};

/* STEM.KIND.log, or STEM.WORD.KIND.log for a failed attempt's: the one naming rule. */
static void log_path(char *out, size_t len, const char *stem, enum attempt a, enum log_kind kind)
{
	snprintf(out, len, "%s%s%s.%s.log", stem, a == ATTEMPT_THIS ? "" : ".", attempt_words[a],
		 log_kinds[kind]);
}

/* The boot's three log files, created anew. */
static int create_logs(const struct vm_opts *o, const char *prefix, struct boot *b, int *log_fd,
		       struct err *e)
{
	int fd;

	if (mkdir(o->log_dir, 0755) && errno != EEXIST)
		return err_set(e, errno, "mkdir `%s`", o->log_dir);
	snprintf(b->log_stem, sizeof(b->log_stem), "%s/%s", o->log_dir, prefix);
	log_path(b->console, sizeof(b->console), b->log_stem, ATTEMPT_THIS, LOG_CONSOLE);
	log_path(b->ktap, sizeof(b->ktap), b->log_stem, ATTEMPT_THIS, LOG_KTAP);
	log_path(b->qemu_log, sizeof(b->qemu_log), b->log_stem, ATTEMPT_THIS, LOG_QEMU);
	if ((fd = create_fresh(b->console, "console log", e)) < 0)
		return -1;
	close(fd);
	if ((fd = create_fresh(b->ktap, "KTAP log", e)) < 0)
		return -1;
	close(fd);
	*log_fd = create_fresh(b->qemu_log, "qemu log", e);
	return *log_fd < 0 ? -1 : 0;
}

/* The first `from` in text becomes `to` (a log's path in a message, once it was renamed). */
static void replace_path(char *text, size_t len, const char *from, const char *to)
{
	char *at = strstr(text, from), rest[sizeof(((struct boot *)0)->detail)];

	if (!at)
		return;
	snprintf(rest, sizeof(rest), "%s", at + strlen(from));
	snprintf(at, len - (size_t)(at - text), "%s%s", to, rest);
}

void vm_boot_keep_failed_logs(struct boot *b, enum attempt why)
{
	if (!b->log_stem[0])
		return; /* no logs were made */
	for (int k = 0; k < LOG_KINDS; k++) {
		char from[PATH_MAX + 32], to[PATH_MAX + 32];

		log_path(from, sizeof(from), b->log_stem, ATTEMPT_THIS, (enum log_kind)k);
		log_path(to, sizeof(to), b->log_stem, why, (enum log_kind)k);
		if (!rename(from, to))
			replace_path(b->detail, sizeof(b->detail), from, to);
	}
}

void vm_boot_forget_failed_logs(const struct vm_opts *o, const char *prefix)
{
	char stem[PATH_MAX];

	snprintf(stem, sizeof(stem), "%s/%s", o->log_dir, prefix);
	for (int a = ATTEMPT_THIS + 1; a < ATTEMPTS; a++) {
		for (int k = 0; k < LOG_KINDS; k++) {
			char old[PATH_MAX + 32];

			log_path(old, sizeof(old), stem, (enum attempt)a, (enum log_kind)k);
			unlink(old);
		}
	}
}

int vm_boot(const struct vm_opts *o, const char *kernel, const char *cases, const char *prefix,
	    long timeout_ms, bool kvm, struct boot *b, struct err *e)
{
	char append[4096], forced[96] = "";
	struct boot_watch w;
	long t0 = now_ms();
	int status = 0, log_fd = -1, disk_fd;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	b->end = BOOT_FINISHED;
	b->kvm = kvm;
	if (access(o->initramfs, R_OK))
		return err_set(e, errno, "initramfs `%s` (make initramfs builds it)", o->initramfs);
	if (kvm && !kvm_usable(o->kvm_device))
		return err_set(e, errno, "KVM was asked for (--accel kvm), and `%s` cannot be opened",
			       o->kvm_device);
	if (create_logs(o, prefix, b, &log_fd, e))
		return -1;
	disk_fd = open_disk(o, b);
	make_nonce(b->nonce, sizeof(b->nonce));
	if (o->case_timeout_forced)
		snprintf(forced, sizeof(forced), " oomlab.timeout=%ldms", o->case_timeout_ms);
	snprintf(forced + strlen(forced), sizeof(forced) - strlen(forced), " oomlab.sample_ms=%d",
		 o->sample_ms);
	/* TCG runs the guest several times slower: give each case's timeout room. */
	if (snprintf(append, sizeof(append), "console=ttyS0 panic=-1 oomlab.guest=1 oomlab.boot=%s "
		     "oomlab.timeout_scale=%d%s%s%s%s%s oomlab.cases=%s", b->nonce, kvm ? 1 : 3,
		     o->verbose ? " oomlab.verbose=1" : "", o->busy_cgroup ? " oomlab.busy_cgroup=1" : "",
		     o->detail ? " oomlab.detail=1" : "", disk_fd >= 0 ? " oomlab.disk=vda" : "",
		     forced, cases) >= (int)sizeof(append)) {
		close(log_fd);
		if (disk_fd >= 0)
			close(disk_fd);
		return err_set(e, E2BIG, "the kernel command line for %s", prefix);
	}
	pid = start_qemu(o, kernel, append, b, log_fd, disk_fd, e);
	close(log_fd);
	if (disk_fd >= 0)
		close(disk_fd); /* qemu has its own: the disk is gone when qemu is */
	if (pid < 0)
		return -1;
	boot_watch_open(&w, b->console, b->qemu_log); /* a file it cannot open is not watched */
	wait_qemu(o, pid, t0 + timeout_ms, b, &w, &status);
	boot_watch_close(&w);
	b->elapsed_ms = now_ms() - t0;

	if (b->end == BOOT_TIMEOUT) {
		snprintf(b->detail, sizeof(b->detail), "the boot did not finish within %ld s; qemu was "
			 "killed", timeout_ms / 1000);
		return 0;
	}
	if (b->end == BOOT_INTERRUPTED) {
		snprintf(b->detail, sizeof(b->detail), "interrupted; qemu was killed");
		return 0;
	}
	if (b->end == BOOT_FAILED)
		return 0; /* stopped by the watch, which said why */
	classify(b, &w, status);
	return 0;
}
