// SPDX-License-Identifier: GPL-2.0
/*
 * sharedmm: processes that share one mm. The parent clones N children with CLONE_VM
 * but without CLONE_THREAD (separate processes, one address space), then allocates.
 * Since 4.8 the OOM killer kills every process that shares the victim's mm, though it
 * logs one "Killed process" line; and writing oom_score_adj to one sharer sets it for
 * all of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "sharers.h"
#include "stressor.h"

static struct {
	long children;
	size_t size;
	const char *touch;
	long child_adj;
	const char *after;
} cfg = { .child_adj = -2000 };  /* -2000: none */

static const struct stressor_opt opts[] = {
	{ "children", OPT_COUNT, &cfg.children, "4", NULL, "processes sharing the mm, 1 to 64", NULL },
	{ "size", OPT_SIZE, &cfg.size, "1G", NULL, "what the parent allocates after go", NULL },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate",
	  "how pages are faulted in", NULL },
	{ "child-adj", OPT_INT, &cfg.child_adj, NULL, NULL,
	  "write this oom_score_adj to the last child only (-1000 to 1000; default: none)", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit", "when done: hold, or exit 0", NULL },
	{ 0 },
};

static int set_adj(pid_t pid, long adj)
{
	char path[64], text[16];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = snprintf(text, sizeof(text), "%ld\n", adj);
	n = write(fd, text, (size_t)n) == n ? 0 : -1;
	close(fd);
	return n;
}

static int run_sharedmm(struct stressor_ctx *ctx)
{
	pid_t last = 0;
	size_t got;
	int rc;

	if (cfg.children < 1 || cfg.children > 64) {
		st_msg(ctx, 0, "--children must be 1 to 64");
		return ST_EXIT_USAGE;
	}
	if (cfg.child_adj != -2000 && (cfg.child_adj < -1000 || cfg.child_adj > 1000)) {
		st_msg(ctx, 0, "--child-adj must be -1000 to 1000");
		return ST_EXIT_USAGE;
	}
	st_guard_size(ctx, cfg.size);
	rc = st_clone_sharers(ctx, cfg.children, &last);
	if (rc)
		return rc;
	if (cfg.child_adj != -2000 && set_adj(last, cfg.child_adj)) {
		int err = errno;

		st_msg(ctx, err, "writing oom_score_adj %ld of child %d", cfg.child_adj, (int)last);
		return err == EACCES || err == EPERM ? ST_EXIT_DENIED : ST_EXIT_INTERNAL;
	}
	st_ready(ctx);
	if (alloc_chunks(ALLOC_MMAP, touch_mode_named(cfg.touch), cfg.size, 1 << 20, &got)) {
		printf("%s: allocation failed after %zu MiB: %s\n", ctx->role, got >> 20, strerror(errno));
		return ST_EXIT_NOMEM;
	}
	printf("%s: allocated %zu MiB, shared by %ld processes\n", ctx->role, got >> 20,
	       cfg.children + 1);
	return st_finish(ctx, cfg.after);
}

const struct stressor stressor = {
	.name = "sharedmm",
	.summary = "Processes sharing one mm (clone CLONE_VM, not CLONE_THREAD); the parent "
		   "allocates.",
	.rule = "every process sharing the victim's mm dies (4.8+), with one Killed process "
		"line; oom_score_adj is kept equal across sharers",
	.opts = opts,
	.run = run_sharedmm,
};
