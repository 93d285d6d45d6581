// SPDX-License-Identifier: GPL-2.0
/*
 * kmem: kernel memory charged to the cgroup: many pipes, each with its buffer filled.
 * Pipe buffers are allocated with __GFP_ACCOUNT, so they count against the cgroup's
 * limit although they are in no process's RSS; the OOM killer still kills the
 * process holding them (the only candidate), which frees them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "stressor.h"
#include "shared/units.h"

static struct {
	long pipes;
	const char *after;
} cfg;

static const struct stressor_opt opts[] = {
	{ "pipes", OPT_COUNT, &cfg.pipes, "1024", NULL, "pipes to create and fill (64K each)", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit", "when done: hold, or exit 0", NULL },
	{ 0 },
};

static int run_kmem(struct stressor_ctx *ctx)
{
	static char buf[65536];
	struct rlimit rl;
	long i;

	/* Kernel memory that no reclaim frees: as much a guard matter as any allocation. */
	st_guard_size(ctx, size_mul((size_t)cfg.pipes, sizeof(buf)));
	/* Two descriptors a pipe: raise the soft limit as far as the hard one allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	memset(buf, 'k', sizeof(buf));
	st_ready(ctx);
	for (i = 0; i < cfg.pipes; i++) {
		int fds[2];
		ssize_t n;

		if (pipe2(fds, O_NONBLOCK | O_CLOEXEC)) {
			int err = errno;

			printf("%s: pipe failed after %ld pipes: %s\n", ctx->role, i, strerror(err));
			return err == EMFILE || err == ENFILE ? ST_EXIT_LIMIT : ST_EXIT_NOMEM;
		}
		/* Fill what the pipe takes (a pipe over the per-user soft limit takes less). */
		while ((n = write(fds[1], buf, sizeof(buf))) > 0)
			;
		if (n < 0 && errno != EAGAIN) {
			printf("%s: write to pipe %ld failed: %s\n", ctx->role, i + 1, strerror(errno));
			return ST_EXIT_NOMEM;
		}
	}
	printf("%s: filled %ld pipes\n", ctx->role, cfg.pipes);
	return st_finish(ctx, cfg.after);
}

const struct stressor stressor = {
	.name = "kmem",
	.summary = "Creates many pipes and fills their buffers: kernel memory charged to the "
		   "cgroup.",
	.rule = "kernel memory (__GFP_ACCOUNT) counts against the limit; the holder is killed",
	.opts = opts,
	.run = run_kmem,
};
