/* SPDX-License-Identifier: GPL-2.0 */
/* Swap files: made on a disk, enabled, and taken away again (swapoff, unlink). */
#ifndef OOMLAB_MACHINE_SWAPFILE_H
#define OOMLAB_MACHINE_SWAPFILE_H

#include <stddef.h>

#include "base/err.h"

/* Why swap files cannot live in dir (no such dir, tmpfs, ramfs), or NULL when they can. */
const char *swap_dir_problem(const char *dir);

/* Create a swap file of size bytes at path (it must not exist) and enable it. */
int swapfile_create(const char *path, size_t size, struct err *e);

/* swapoff (retried while its pages cannot all come back yet) and unlink; gone is fine. */
int swapfile_remove(const char *path, struct err *e);

#endif
