/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel modules a guest needs for its disk (virtio_pci, virtio_blk, ext4, crc32c),
 * and FUSE where the kernel has it, with those they depend on, taken from the kernel's
 * own modules (a Debian package unpacked beside its image, or /lib/modules/VERSION) and
 * put into the guest's initramfs, in the order they must be loaded. A kernel with them
 * built in needs none.
 */
#ifndef OOMLAB_VM_MODULES_H
#define OOMLAB_VM_MODULES_H

#include <limits.h>
#include <stddef.h>

#include "base/err.h"

#define VM_MODULES_MAX 16

struct vm_module {
	char name[64];
	char *data;          /* the module, uncompressed */
	size_t size;
};

struct vm_modules {
	char dir[PATH_MAX];  /* the kernel's modules folder; "" when none was found */
	struct vm_module mod[VM_MODULES_MAX]; /* dependencies before their users */
	int n;
	char builtin[256];   /* the wanted modules the kernel has built in, blank-separated */
	char left_out[512];  /* optional modules that could not be read, and why */
};

/*
 * Find and read the guest's modules (disk, FUSE) of the kernel image (of that version). No modules
 * folder is not an error (m->dir stays ""); a module that cannot be read or a
 * dependency that cannot be found is (-1 with e, m empty).
 */
int vm_modules_load(const char *kernel, const char *version, struct vm_modules *m, struct err *e);

/* Add them to a cpio archive as oomlab/modules/NN-NAME.ko; -1 with errno. */
int vm_modules_write(int fd, const struct vm_modules *m);

/* What the guest gets, for the run's notes. */
void vm_modules_describe(const struct vm_modules *m, const char *version, char *out, size_t len);

void vm_modules_free(struct vm_modules *m);

#endif
