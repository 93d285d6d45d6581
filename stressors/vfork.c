// SPDX-License-Identifier: GPL-2.0
/*
 * vfork: a parent holding memory vforks a child (clone with CLONE_VM|CLONE_VFORK), and
 * the child allocates in the shared mm while the parent waits. A task in vfork is not
 * eligible for the OOM killer (4.8+); the parent, sharing the same mm, is.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "stressor.h"
#include "shared/units.h"

#define CHILD_STACK (64 * 1024)

static struct {
	size_t rss;
	size_t size;
	const char *touch;
} cfg;

static const struct stressor_opt opts[] = {
	{ "rss", OPT_SIZE, &cfg.rss, "16M", NULL, "memory the parent holds before go", NULL },
	{ "size", OPT_SIZE, &cfg.size, "1G", NULL, "memory the vfork child allocates", NULL },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate",
	  "how pages are faulted in", NULL },
	{ 0 },
};

/*
 * The child, in vfork: it shares the parent's memory and must not disturb it. It
 * reports itself with a raw write (st_member would use stdio and exit() on failure),
 * allocates with mmap, and _exits.
 */
static int vfork_child(void *arg)
{
	const struct stressor_ctx *ctx = arg;
	char line[32];
	size_t got;
	int n;

	n = snprintf(line, sizeof(line), "%s %d\n", ctl_words[CTL_MEMBER], (int)syscall(SYS_getpid));
	if (ctx->control_fd >= 0 && write(ctx->control_fd, line, (size_t)n) != n)
		_exit(ST_EXIT_HANDSHAKE);
	if (alloc_chunks(ALLOC_MMAP, touch_mode_named(cfg.touch), cfg.size, 1 << 20, &got))
		_exit(ST_EXIT_NOMEM);
	_exit(ST_EXIT_OK);
}

static int run_vfork(struct stressor_ctx *ctx)
{
	char *stack;
	int status;
	pid_t pid;

	st_guard_size(ctx, size_add(cfg.rss, cfg.size));
	if (cfg.rss && !alloc_touched(ALLOC_MMAP, touch_mode_named(cfg.touch), cfg.rss)) {
		st_msg(ctx, errno, "allocating %zu bytes", cfg.rss);
		return ST_EXIT_NOMEM;
	}
	stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
		     -1, 0);
	if (stack == MAP_FAILED) {
		st_msg(ctx, errno, "mmap of the child's stack");
		return ST_EXIT_NOMEM;
	}
	st_ready(ctx);
	/* The parent stops here until the child exits (or is killed). */
	pid = clone(vfork_child, stack + CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, ctx);
	if (pid < 0) {
		int err = errno;

		st_msg(ctx, err, "clone(CLONE_VM|CLONE_VFORK)");
		return err == EAGAIN ? ST_EXIT_LIMIT : ST_EXIT_INTERNAL;
	}
	if (waitpid(pid, &status, 0) < 0) {
		st_msg(ctx, errno, "waitpid for the vfork child %d", (int)pid);
		return ST_EXIT_INTERNAL;
	}
	if (WIFSIGNALED(status))
		printf("%s: the vfork child %d was killed by signal %d\n", ctx->role, (int)pid,
		       WTERMSIG(status));
	else
		printf("%s: the vfork child %d exited with code %d\n", ctx->role, (int)pid,
		       WEXITSTATUS(status));
	return ST_EXIT_OK;
}

const struct stressor stressor = {
	.name = "vfork",
	.summary = "Holds memory, then vforks a child that allocates in the shared mm.",
	.rule = "a task in vfork is not eligible (4.8+); its parent, sharing the mm, is",
	.opts = opts,
	.run = run_vfork,
	.model = MODEL_VFORK_MEMBERS,
};
