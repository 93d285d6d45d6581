/* SPDX-License-Identifier: GPL-2.0 */
/* Processes that share the caller's mm: clone(CLONE_VM) without CLONE_THREAD. */
#ifndef OOMLAB_SHARERS_H
#define OOMLAB_SHARERS_H

#include <sys/types.h>

#include "stressor.h"

/*
 * Start n processes that share this process's mm, each a member of the role that dies
 * with this process and otherwise sleeps. *last: the last one's pid. Returns ST_EXIT_OK,
 * or an exit code (its message printed).
 */
int st_clone_sharers(struct stressor_ctx *ctx, long n, pid_t *last);

#endif
