/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watching a boot while qemu runs: has the kernel started printing on the console, and
 * has qemu said that KVM cannot run the guest? A guest that KVM cannot run (a nested
 * virtual machine, an emulation failure) may leave qemu alive and silent: without
 * this, the boot would wait out its whole timeout.
 */
#ifndef OOMLAB_VM_WATCH_H
#define OOMLAB_VM_WATCH_H

#include <stdbool.h>
#include <stddef.h>

struct boot_watch {
	int console_fd;              /* the console log, read as it grows; -1 when closed */
	int qemu_fd;                 /* qemu's stderr log, the same */
	char carry[64];              /* the last bytes read from the console: a word may be split */
	char qline[512];             /* qemu's line being read */
	bool kernel_started;         /* the kernel printed its first line */
	char kvm_error[256];         /* qemu's line saying KVM failed; "" none */
};

int boot_watch_open(struct boot_watch *w, const char *console, const char *qemu_log);

/* Read what the logs gained since the last call. */
void boot_watch_poll(struct boot_watch *w);

void boot_watch_close(struct boot_watch *w);

/* The first line of a file that holds needle (from needle on), copied; false when none. */
bool file_find_line(const char *path, const char *needle, char *out, size_t len);

/* The last line of a file with printable text, terminal escape sequences dropped. */
bool file_last_text_line(const char *path, char *out, size_t len);

#endif
