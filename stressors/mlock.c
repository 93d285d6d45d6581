// SPDX-License-Identifier: GPL-2.0
/*
 * mlock: allocate memory and lock it (mlock per chunk, or mlockall with MCL_CURRENT
 * and MCL_FUTURE), on go or (--when ready) before saying ready. Locked memory is neither reclaimed nor swapped, so with swap in the
 * cgroup a locked hog still ends in an OOM kill where an unlocked one would swap.
 * RLIMIT_MEMLOCK is raised to what is needed; where that is not allowed, exit 6.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "alloc.h"
#include "stressor.h"

static struct {
	size_t size;
	size_t chunk;
	const char *mode;
	const char *after;
	const char *when;
} cfg;

static const struct stressor_opt opts[] = {
	{ "size", OPT_SIZE, &cfg.size, "1G", NULL, "memory to allocate and lock", NULL },
	{ "chunk", OPT_SIZE, &cfg.chunk, "1M", NULL, "bytes per allocation", NULL },
	{ "mode", OPT_CHOICE, &cfg.mode, "mlock", "mlock|mlockall",
	  "mlock each chunk, or mlockall(MCL_CURRENT|MCL_FUTURE) before allocating", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit", "when done: hold, or exit 0", NULL },
	{ "when", OPT_CHOICE, &cfg.when, "go", "go|ready",
	  "lock on go (a trigger), or before saying ready (a bystander whose locked memory counts)",
	  NULL },
	{ 0 },
};

static int denied(struct stressor_ctx *ctx, int err, const char *what)
{
	st_msg(ctx, err, "%s", what);
	return err == EPERM || err == EACCES ? ST_EXIT_DENIED : err == ENOMEM || err == EAGAIN
									   ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
}

static int run_mlock(struct stressor_ctx *ctx)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	bool all = !strcmp(cfg.mode, "mlockall");
	size_t got = 0;

	if (!cfg.chunk) {
		st_msg(ctx, 0, "--chunk must be at least 1 byte");
		return ST_EXIT_USAGE;
	}
	st_guard_size(ctx, cfg.size);
	/*
	 * Raising the hard limit needs CAP_SYS_RESOURCE; with CAP_IPC_LOCK the kernel ignores
	 * the limit anyway. Where neither holds, mlock itself says so (exit 6).
	 */
	if (setrlimit(RLIMIT_MEMLOCK, &rl)) {
		if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_MEMLOCK, &rl);
		}
	}
	if (!strcmp(cfg.when, "go"))
		st_ready(ctx);
	if (all && mlockall(MCL_CURRENT | MCL_FUTURE))
		return denied(ctx, errno, "mlockall(MCL_CURRENT|MCL_FUTURE)");
	while (got < cfg.size) {
		size_t len = cfg.size - got < cfg.chunk ? cfg.size - got : cfg.chunk;
		void *p = alloc_touched(ALLOC_MMAP, all ? TOUCH_NONE : TOUCH_PAGE, len);

		if (!p) {
			printf("%s: allocation failed after %zu MiB: %s\n", ctx->role, got >> 20,
			       strerror(errno));
			return ST_EXIT_NOMEM;
		}
		if (!all && mlock(p, len)) {
			int err = errno;

			printf("%s: mlock failed after %zu MiB: %s\n", ctx->role, got >> 20, strerror(err));
			return denied(ctx, err, "mlock");
		}
		got += len;
	}
	printf("%s: locked %zu MiB\n", ctx->role, got >> 20);
	if (!strcmp(cfg.when, "ready"))
		st_ready(ctx);
	return st_finish(ctx, cfg.after);
}

const struct stressor stressor = {
	.name = "mlock",
	.summary = "Allocates memory and locks it with mlock or mlockall.",
	.rule = "mlocked memory is not reclaimed or swapped: with swap, a locked hog is still "
		"OOM-killed",
	.opts = opts,
	.run = run_mlock,
};
