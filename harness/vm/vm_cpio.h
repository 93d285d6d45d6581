/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing cpio archives in the "newc" format the kernel's initramfs unpacker reads
 * (Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII
 * header, the name, the data, each padded to 4 bytes, and a TRAILER!!! entry at the end.
 */
#ifndef OOMLAB_VM_CPIO_H
#define OOMLAB_VM_CPIO_H

#include <stddef.h>

/* Write all of buf; -1 with errno. */
int cpio_write_all(int fd, const void *buf, size_t len);

/* Zeros up to the next multiple of 4 after `at` bytes; -1 with errno. */
int cpio_pad4(int fd, size_t at);

/* An entry's header and name: mode is the file type and permissions (0100644, 040755). */
int cpio_header(int fd, const char *name, unsigned mode, size_t size);

/* A whole entry: header, name, data and padding. */
int cpio_entry(int fd, const char *name, unsigned mode, const void *data, size_t size);

/* The archive's last entry. */
int cpio_trailer(int fd);

#endif
