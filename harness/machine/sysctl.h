/* SPDX-License-Identifier: GPL-2.0 */
/* Sysctls through /proc/sys: a name's file, its value, writing it. */
#ifndef OOMLAB_MACHINE_SYSCTL_H
#define OOMLAB_MACHINE_SYSCTL_H

#include <stddef.h>

#include "base/err.h"

/* "vm.panic_on_oom" -> "/proc/sys/vm/panic_on_oom" */
void sysctl_path(const char *name, char *out, size_t len);

/* The value in a /proc/sys file, without its newline. */
int sysctl_read(const char *path, char *out, size_t len, struct err *e);

int sysctl_write(const char *path, const char *value, struct err *e);

#endif
