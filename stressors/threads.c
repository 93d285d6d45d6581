// SPDX-License-Identifier: GPL-2.0
/*
 * threads: a multi-threaded hog. N threads allocate and touch memory together; the
 * OOM killer kills the whole thread group, and the report names the group's leader.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "stressor.h"

static struct {
	long threads;
	size_t size;
	size_t chunk;
	const char *touch;
	const char *after;
} cfg;

static const struct stressor_opt opts[] = {
	{ "threads", OPT_COUNT, &cfg.threads, "4", NULL, "threads that allocate, 1 to 256", NULL },
	{ "size", OPT_SIZE, &cfg.size, "1G", NULL, "total to allocate, shared out among the threads", NULL },
	{ "chunk", OPT_SIZE, &cfg.chunk, "1M", NULL, "bytes per allocation", NULL },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate",
	  "how pages are faulted in", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit", "when done: hold, or exit 0", NULL },
	{ 0 },
};

struct share {
	size_t size;
	int err;         /* errno of a failed allocation, 0 when it worked */
};

static void *allocate(void *arg)
{
	struct share *s = arg;
	size_t got;

	if (alloc_chunks(ALLOC_MMAP, touch_mode_named(cfg.touch), s->size, cfg.chunk, &got))
		s->err = errno;
	return NULL;
}

static int run_threads(struct stressor_ctx *ctx)
{
	static pthread_t tids[256];
	static struct share shares[256];
	long i, started;
	int rc = ST_EXIT_OK;

	if (cfg.threads < 1 || cfg.threads > 256 || !cfg.chunk) {
		st_msg(ctx, 0, "--threads must be 1 to 256 and --chunk at least 1 byte");
		return ST_EXIT_USAGE;
	}
	st_guard_size(ctx, cfg.size);
	st_ready(ctx);
	for (started = 0; started < cfg.threads; started++) {
		shares[started].size = cfg.size / (size_t)cfg.threads;
		int err = pthread_create(&tids[started], NULL, allocate, &shares[started]);

		if (err) {
			st_msg(ctx, err, "pthread_create of thread %ld", started + 1);
			rc = err == EAGAIN ? ST_EXIT_LIMIT : ST_EXIT_INTERNAL;
			break;
		}
	}
	for (i = 0; i < started; i++) {
		pthread_join(tids[i], NULL);
		if (shares[i].err) {
			printf("%s: thread %ld: allocation failed: %s\n", ctx->role, i + 1,
			       strerror(shares[i].err));
			rc = ST_EXIT_NOMEM;
		}
	}
	if (rc)
		return rc;
	printf("%s: %ld threads allocated %zu MiB\n", ctx->role, started, cfg.size >> 20);
	return st_finish(ctx, cfg.after);
}

const struct stressor stressor = {
	.name = "threads",
	.summary = "A multi-threaded hog: N threads allocate and touch memory together.",
	.rule = "the OOM killer kills the whole thread group; the report names its leader",
	.opts = opts,
	.run = run_threads,
};
