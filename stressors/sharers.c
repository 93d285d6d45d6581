// SPDX-License-Identifier: GPL-2.0
#include "sharers.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#define SHARER_STACK (64 * 1024)

/* A sharer: it dies with the process that cloned it and otherwise sleeps. */
static int sharer(void *arg)
{
	st_die_with_parent(*(pid_t *)arg);
	st_hold();
}

int st_clone_sharers(struct stressor_ctx *ctx, long n, pid_t *last)
{
	static pid_t parent;
	long i;

	parent = getpid();
	for (i = 0; i < n; i++) {
		char *stack = mmap(NULL, SHARER_STACK, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

		if (stack == MAP_FAILED) {
			st_msg(ctx, errno, "mmap of a sharer's stack");
			return ST_EXIT_NOMEM;
		}
		*last = clone(sharer, stack + SHARER_STACK, CLONE_VM | SIGCHLD, &parent);
		if (*last < 0) {
			int err = errno;

			st_msg(ctx, err, "clone(CLONE_VM) of sharer %ld", i + 1);
			return err == EAGAIN ? ST_EXIT_LIMIT : ST_EXIT_INTERNAL;
		}
		st_member(ctx, *last);
	}
	return ST_EXIT_OK;
}
