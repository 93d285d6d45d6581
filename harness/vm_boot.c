// SPDX-License-Identifier: GPL-2.0
/* Booting one guest under qemu and telling how the boot ended. */
#include "vm.h"

#include "clock.h"
#include "spawn.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

static bool kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static pid_t start_qemu(const struct vm_opts *o, const char *kernel, const char *append,
			struct boot *b, const char *qemu_log, struct err *e)
{
	char mem[16], cpus[16], serial0[PATH_MAX + 8], serial1[PATH_MAX + 8];
	const char *argv[40];
	int n = 0, fd;
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
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() != parent)
			_exit(127);
		setpgid(0, 0);
		fd = open(qemu_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			dup2(fd, 0);
		close_fds_from(3);
		execvp(o->qemu, (char *const *)argv);
		dprintf(2, "exec %s: %s\n", o->qemu, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Wait for qemu until the deadline; on interrupt or deadline, kill it. */
static void wait_qemu(const struct vm_opts *o, pid_t pid, long deadline, struct boot *b,
		      int *status)
{
	bool killed = false;

	for (;;) {
		struct pollfd p = { .fd = o->sigfd, .events = POLLIN };
		long left = deadline - now_ms();

		if (waitpid(pid, status, WNOHANG) == pid)
			return;
		if (!killed && (left <= 0 || *o->interrupted)) {
			kill(pid, SIGKILL);
			killed = true;
			b->end = *o->interrupted ? BOOT_INTERRUPTED : BOOT_TIMEOUT;
		}
		poll(&p, 1, killed ? 100 : (int)(left > 1000 ? 1000 : left));
		if (sigfd_drain(o->sigfd))
			*o->interrupted = true;
	}
}

/* The first line of path that contains needle, copied into out; false when none. */
static bool find_line(const char *path, const char *needle, char *out, size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		char *at = strstr(line, needle);

		if (at) {
			at[strcspn(at, "\r\n")] = '\0';
			snprintf(out, len, "%s", at);
			found = true;
		}
	}
	free(line);
	fclose(f);
	return found;
}

/* The last line of the console with printable text, escape sequences dropped. */
static bool last_console_line(const char *path, char *out, size_t len)
{
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		char clean[512];
		size_t o = 0, i;

		for (i = 0; line[i] && o + 1 < sizeof(clean); i++) {
			if (line[i] == 0x1b) {
				/* ESC [ parameters letter, or ESC and one character */
				if (line[i + 1] == '[') {
					for (i += 2; line[i] && !isalpha((unsigned char)line[i]); i++)
						;
					if (!line[i])
						break;
				} else if (line[i + 1]) {
					i++;
				}
				continue;
			}
			if (line[i] >= ' ' && line[i] < 0x7f)
				clean[o++] = line[i];
		}
		clean[o] = '\0';
		if (o > 0 && clean[strspn(clean, " ")]) {
			snprintf(out, len, "%s", clean + strspn(clean, " "));
			found = true;
		}
	}
	free(line);
	fclose(f);
	return found;
}

int vm_boot(const struct vm_opts *o, const char *kernel, const char *cases, const char *prefix,
	    long timeout_ms, struct boot *b, struct err *e)
{
	char append[4096], qemu_log[PATH_MAX], line[512], forced[48] = "";
	long t0 = now_ms();
	int status = 0;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	b->end = BOOT_FINISHED;
	b->kvm = kvm_usable();
	if (mkdir(o->log_dir, 0755) && errno != EEXIST)
		return err_set(e, errno, "mkdir `%s`", o->log_dir);
	snprintf(b->console, sizeof(b->console), "%s/%s.console.log", o->log_dir, prefix);
	snprintf(b->ktap, sizeof(b->ktap), "%s/%s.ktap.log", o->log_dir, prefix);
	snprintf(qemu_log, sizeof(qemu_log), "%s/%s.qemu.log", o->log_dir, prefix);
	unlink(b->console);
	unlink(b->ktap);
	if (access(o->initramfs, R_OK))
		return err_set(e, errno, "initramfs `%s` (make initramfs builds it)", o->initramfs);
	if (o->case_timeout_forced)
		snprintf(forced, sizeof(forced), " oomlab.timeout=%ldms", o->case_timeout_ms);
	/* TCG runs the guest several times slower: give each case's timeout room. */
	if (snprintf(append, sizeof(append), "console=ttyS0 panic=-1 oomlab.guest=1 "
		     "oomlab.timeout_scale=%d%s%s oomlab.cases=%s", b->kvm ? 1 : 3,
		     o->verbose ? " oomlab.verbose=1" : "", forced, cases) >= (int)sizeof(append))
		return err_set(e, E2BIG, "the kernel command line for %s", prefix);
	pid = start_qemu(o, kernel, append, b, qemu_log, e);
	if (pid < 0)
		return -1;
	wait_qemu(o, pid, t0 + timeout_ms, b, &status);
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
	if (find_line(b->console, "Kernel panic - not syncing", b->detail, sizeof(b->detail))) {
		/* A panic before oomlab printed its header is a boot failure. */
		b->end = find_line(b->ktap, "TAP version", line, sizeof(line)) ? BOOT_PANIC : BOOT_FAILED;
		return 0;
	}
	if (find_line(b->ktap, "# oomlab-guest: exit", line, sizeof(line)))
		return 0;
	if (!find_line(b->ktap, "TAP version", line, sizeof(line))) {
		b->end = WIFSIGNALED(status) ? BOOT_STOPPED : BOOT_FAILED;
		if (WIFSIGNALED(status))
			snprintf(b->detail, sizeof(b->detail), "qemu was ended by signal %d before the guest "
				 "started oomlab", WTERMSIG(status));
		else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			snprintf(b->detail, sizeof(b->detail), "qemu exited with code %d (see %s)",
				 WEXITSTATUS(status), qemu_log);
		else if (last_console_line(b->console, line, sizeof(line)))
			snprintf(b->detail, sizeof(b->detail), "the guest never started oomlab; the "
				 "console's last line: %s", line);
		else
			snprintf(b->detail, sizeof(b->detail), "the guest never started oomlab; the "
				 "console is empty");
		return 0;
	}
	b->end = BOOT_STOPPED;
	if (WIFSIGNALED(status))
		snprintf(b->detail, sizeof(b->detail), "qemu was ended by signal %d before the guest "
			 "finished", WTERMSIG(status));
	else
		snprintf(b->detail, sizeof(b->detail), "qemu exited (code %d) before the guest finished",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
