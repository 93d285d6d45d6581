/* SPDX-License-Identifier: GPL-2.0 */
/* Shared memory that outlives its processes: a file on a tmpfs, a SysV segment. */
#ifndef OOMLAB_MACHINE_SHMOBJ_H
#define OOMLAB_MACHINE_SHMOBJ_H

#include "base/err.h"

/* Remove a file (a case's tmpfs file); gone is fine. */
int tmpfile_remove(const char *path, struct err *e);

/* Remove the SysV shared memory segment with this key; none is fine. */
int ipckey_remove(long key, struct err *e);

#endif
