// SPDX-License-Identifier: GPL-2.0
/*
 * swapoff: call swapoff(2) on a swap file. The pages in it come back into memory,
 * charged to their cgroups; if that runs out, the kernel's OOM killer picks the
 * swapoff caller first (an "OOM origin"), however small it is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>

#include "stressor.h"

static struct {
	const char *file;
} cfg;

static const struct stressor_opt opts[] = {
	{ "file", OPT_STRING, &cfg.file, "", NULL, "the swap file (in a case: {swapfile})", "{swapfile}" },
	{ 0 },
};

static int run_swapoff(struct stressor_ctx *ctx)
{
	if (!*cfg.file) {
		st_msg(ctx, 0, "--file is required");
		return ST_EXIT_USAGE;
	}
	st_ready(ctx);
	if (swapoff(cfg.file)) {
		int err = errno;

		printf("%s: swapoff %s failed: %s\n", ctx->role, cfg.file, strerror(err));
		return err == EPERM ? ST_EXIT_DENIED : err == ENOMEM ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
	}
	printf("%s: swapoff %s done\n", ctx->role, cfg.file);
	return ST_EXIT_OK;
}

const struct stressor stressor = {
	.name = "swapoff",
	.summary = "Calls swapoff(2) on a swap file.",
	.rule = "the swapoff caller is an OOM origin: chosen first, whatever its size",
	.opts = opts,
	.run = run_swapoff,
	.model = MODEL_OOM_ORIGIN,
};
