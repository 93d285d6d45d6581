/* SPDX-License-Identifier: GPL-2.0 */
/* Whole small files of text: cgroup and sysctl files, /proc values. */
#ifndef OOMLAB_FILEIO_H
#define OOMLAB_FILEIO_H

#include <stddef.h>

#include "base/err.h"

/* Write text to an existing file (O_TRUNC, as a shell's `>`; no O_CREAT). */
int write_text(const char *path, const char *text, struct err *e);

/* Read up to len-1 bytes into buf, NUL-terminated. */
int read_text(const char *path, char *buf, size_t len, struct err *e);

/* A file that holds one number (/proc/PID/oom_score, a sysctl). */
int read_long(const char *path, long *v, struct err *e);

#endif
