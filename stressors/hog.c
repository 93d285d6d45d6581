// SPDX-License-Identifier: GPL-2.0
/*
 * hog: allocate and touch memory until a size is reached, allocation fails, or the
 * OOM killer ends the process. With --classic it is the reproducer found in OOM
 * write-ups: malloc 4 KiB blocks, write one byte of each, until malloc returns NULL
 * or the process is killed, printing how many MiB it got.
 */
#include "alloc.h"
#include "shared/keyfile.h"
#include "stressor.h"
#include "shared/units.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	size_t size;
	size_t chunk;
	const char *alloc;
	const char *touch;
	const char *after;
	const char *on_fail;
	bool classic;
} cfg;

static const struct stressor_opt opts[] = {
	{ "size", OPT_SIZE, &cfg.size, "1G", NULL, "total to allocate; max: until killed or refused", NULL },
	{ "chunk", OPT_SIZE, &cfg.chunk, "1M", NULL, "bytes per allocation call", NULL },
	{ "alloc", OPT_CHOICE, &cfg.alloc, "malloc", "malloc|mmap|brk", "allocation call", NULL },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate|none",
	  "how pages are faulted in", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit",
	  "when the size is reached: hold the memory until killed, or exit 0", NULL },
	{ "on-fail", OPT_CHOICE, &cfg.on_fail, "exit", "exit|retry",
	  "when an allocation fails: exit 3, or report it and go on (three in a row: exit 3)", NULL },
	{ "classic", OPT_FLAG, &cfg.classic, NULL, NULL,
	  "4 KiB malloc blocks, one byte written each, progress printed per MiB", NULL },
	{ 0 },
};

static int finish(struct stressor_ctx *ctx, size_t got)
{
	printf("%s: allocated %zu MiB\n", ctx->role, got >> 20);
	return st_finish(ctx, cfg.after);
}

/*
 * Where malloc failed, with the commit charge: under vm.overcommit_memory=2 a request
 * fails once Committed_AS would pass CommitLimit (less a reserve of about 3% of the
 * process), so Committed_AS then sits just under CommitLimit.
 */
static void print_commit(struct stressor_ctx *ctx, size_t got)
{
	unsigned long long limit = keyfile_value("/proc/meminfo", "CommitLimit", 0);
	unsigned long long committed = keyfile_value("/proc/meminfo", "Committed_AS", 0);

	printf("%s: malloc returned NULL after %zu MiB\n", ctx->role, got >> 20);
	if (limit)
		printf("%s: Committed_AS %llu kB of CommitLimit %llu kB (%llu%%)\n", ctx->role, committed,
		       limit, committed * 100 / limit);
}

static int run_classic(struct stressor_ctx *ctx)
{
	const size_t block = 4096;
	size_t got = 0;

	while (got < cfg.size) {
		char *p = malloc(block);

		if (!p) {
			print_commit(ctx, got);
			return ST_EXIT_NOMEM;
		}
		*(volatile char *)p = 1;
		got += block;
		if (got % (1 << 20) == 0)
			printf("%s: %zu MiB\n", ctx->role, got >> 20);
	}
	return finish(ctx, got);
}

static int run_hog(struct stressor_ctx *ctx)
{
	enum alloc_call call = alloc_call_named(cfg.alloc);
	enum touch_mode touch = touch_mode_named(cfg.touch);
	int failures_in_a_row = 0;
	size_t got = 0;

	if (cfg.chunk == 0 || cfg.chunk == SIZE_MAX) {
		st_msg(ctx, 0, "--chunk must be a size between 1 byte and max");
		return ST_EXIT_USAGE;
	}
	st_guard_size(ctx, cfg.size);
	st_ready(ctx);
	if (cfg.classic)
		return run_classic(ctx);
	while (got < cfg.size) {
		size_t len = cfg.size - got < cfg.chunk ? cfg.size - got : cfg.chunk;

		if (!alloc_touched(call, touch, len)) {
			int err = errno;

			printf("%s: %s of %zu bytes failed after %zu MiB: %s\n", ctx->role, cfg.alloc,
			       len, got >> 20, strerror(err));
			if (!strcmp(cfg.on_fail, "retry") && ++failures_in_a_row < 3)
				continue;
			return err == ENOMEM || err == EAGAIN ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
		}
		failures_in_a_row = 0;
		got += len;
	}
	return finish(ctx, got);
}

const struct stressor stressor = {
	.name = "hog",
	.summary = "Allocates and touches memory until a size is reached, allocation fails, "
		   "or the OOM killer ends it.",
	.rule = "the largest memory user in the OOM domain is the victim (oom_badness)",
	.opts = opts,
	.run = run_hog,
};
