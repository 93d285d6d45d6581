// SPDX-License-Identifier: GPL-2.0
/*
 * forkbomb: ordinary children (each its own mm), forked fast, each touching some
 * memory and then waiting; optionally the first one much bigger than the rest. The
 * biggest child is the OOM killer's pick, and a tree that is still forking must be
 * cleaned up. A fork that fails (EAGAIN from a pids limit or an injected fault)
 * stops the growth: exit code 7. The parent says done only once every child has
 * touched its memory (or died): then the tree's memory is in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "alloc.h"
#include "stressor.h"
#include "shared/units.h"

static struct {
	long children;
	size_t each;
	size_t big;
	const char *touch;
	const char *after;
} cfg;

static const struct stressor_opt opts[] = {
	{ "children", OPT_COUNT, &cfg.children, "64", NULL, "children to fork", NULL },
	{ "each", OPT_SIZE, &cfg.each, "1M", NULL, "memory each child touches", NULL },
	{ "big", OPT_SIZE, &cfg.big, "0", NULL,
	  "memory the first child touches instead (its comm is ROLE.big); 0: none", NULL },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate",
	  "how pages are faulted in", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit",
	  "when every child is forked: hold, or exit 0 (the children stay)", NULL },
	{ 0 },
};

/* A child: touch its memory, then close its end of the pipe (that says "in place"). */
static void child(struct stressor_ctx *ctx, long i, pid_t parent, int in_place[2])
{
	size_t size = i == 0 && cfg.big ? cfg.big : cfg.each;
	char comm[16];

	st_die_with_parent(parent);
	close(in_place[0]);
	snprintf(comm, sizeof(comm), "%.10s.%s", ctx->role, i == 0 && cfg.big ? "big" : "kid");
	prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (size && !alloc_touched(ALLOC_MMAP, touch_mode_named(cfg.touch), size))
		_exit(ST_EXIT_NOMEM);
	close(in_place[1]);
	st_hold();
}

/*
 * Wait until every child has its memory in place or has died (killed by the OOM
 * killer, or out of memory): the pipe reads end-of-file once no child holds its
 * write end. Only then is the tree "done".
 */
static void wait_in_place(int in_place[2])
{
	char byte;

	close(in_place[1]);
	while (read(in_place[0], &byte, 1) < 0 && errno == EINTR)
		;
	close(in_place[0]);
}

static int run_forkbomb(struct stressor_ctx *ctx)
{
	pid_t parent = getpid();
	int in_place[2];
	long i;

	st_guard_size(ctx, size_add(cfg.big, size_mul(cfg.each, (size_t)cfg.children)));
	if (pipe2(in_place, O_CLOEXEC)) {
		st_msg(ctx, errno, "pipe");
		return ST_EXIT_INTERNAL;
	}
	st_ready(ctx);
	for (i = 0; i < cfg.children; i++) {
		pid_t pid = fork();

		if (pid == 0)
			child(ctx, i, parent, in_place);
		if (pid < 0) {
			int err = errno;

			printf("%s: fork failed after %ld children: %s\n", ctx->role, i, strerror(err));
			return err == EAGAIN ? ST_EXIT_LIMIT : err == ENOMEM ? ST_EXIT_NOMEM
									  : ST_EXIT_INTERNAL;
		}
		st_member(ctx, pid);
	}
	wait_in_place(in_place);
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
