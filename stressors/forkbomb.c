// SPDX-License-Identifier: GPL-2.0
/*
 * forkbomb: ordinary children (each its own mm), forked fast, each touching some
 * memory and then waiting; optionally the first one much bigger than the rest. The
 * biggest child is the OOM killer's pick, and a tree that is still forking must be
 * cleaned up. A fork that fails (EAGAIN from a pids limit or an injected fault)
 * stops the growth: exit code 7.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "alloc.h"
#include "stressor.h"
#include "units.h"

static struct {
	long children;
	size_t each;
	size_t big;
	const char *touch;
	const char *after;
} cfg;

static const struct stressor_opt opts[] = {
	{ "children", OPT_COUNT, &cfg.children, "64", NULL, "children to fork" },
	{ "each", OPT_SIZE, &cfg.each, "1M", NULL, "memory each child touches" },
	{ "big", OPT_SIZE, &cfg.big, "0", NULL,
	  "memory the first child touches instead (its comm is ROLE.big); 0: none" },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate",
	  "how pages are faulted in" },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit",
	  "when every child is forked: hold, or exit 0 (the children stay)" },
	{ 0 },
};

static void child(struct stressor_ctx *ctx, long i, pid_t parent)
{
	size_t size = i == 0 && cfg.big ? cfg.big : cfg.each;
	char comm[16];

	st_die_with_parent(parent);
	snprintf(comm, sizeof(comm), "%.10s.%s", ctx->role, i == 0 && cfg.big ? "big" : "kid");
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (size && !alloc_touched(ALLOC_MMAP, touch_mode_named(cfg.touch), size))
		_exit(ST_EXIT_NOMEM);
	st_hold();
}

static int run_forkbomb(struct stressor_ctx *ctx)
{
	pid_t parent = getpid();
	long i;

	st_guard_size(ctx, size_add(cfg.big, size_mul(cfg.each, (size_t)cfg.children)));
	st_ready(ctx);
	for (i = 0; i < cfg.children; i++) {
		pid_t pid = fork();

		if (pid == 0)
			child(ctx, i, parent);
		if (pid < 0) {
			int err = errno;

			printf("%s: fork failed after %ld children: %s\n", ctx->role, i, strerror(err));
			return err == EAGAIN ? ST_EXIT_LIMIT : err == ENOMEM ? ST_EXIT_NOMEM
									  : ST_EXIT_INTERNAL;
		}
		st_member(ctx, pid);
	}
	printf("%s: forked %ld children\n", ctx->role, cfg.children);
	return st_finish(ctx, cfg.after);
}

const struct stressor stressor = {
	.name = "forkbomb",
	.summary = "Forks many ordinary children fast, each touching memory; the first one can "
		   "be much bigger.",
	.rule = "children with their own mm are ranked on their own: the biggest child is killed",
	.opts = opts,
	.run = run_forkbomb,
};
