// SPDX-License-Identifier: GPL-2.0
/*
 * shmem: fill shared memory: a memfd, a file on a tmpfs, or a SysV segment, optionally
 * mapped (only mapped shmem counts in the process's RssShmem, and so in its badness).
 * A tmpfs file or a SysV segment outlives its owner: killing the owner does not free
 * it, and the cgroup stays charged. A memfd dies with its last user.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "alloc.h"
#include "stressor.h"

static struct {
	const char *kind;
	size_t size;
	const char *path;
	long key;
	bool map;
	const char *after;
} cfg;

static const struct stressor_opt opts[] = {
	{ "kind", OPT_CHOICE, &cfg.kind, "memfd", "memfd|tmpfs|sysv", "which shared memory", NULL },
	{ "size", OPT_SIZE, &cfg.size, "16M", NULL, "how much to fill", NULL },
	{ "path", OPT_STRING, &cfg.path, "", NULL, "tmpfs: the file to create (in a case: {tmpfile})",
	  "{tmpfile}" },
	{ "key", OPT_INT, &cfg.key, "0", NULL, "sysv: the segment's key (in a case: {ipckey})",
	  "{ipckey}" },
	{ "map", OPT_FLAG, &cfg.map, NULL, NULL,
	  "keep it mapped, so it counts in RssShmem (memfd and tmpfs are written through a map "
	  "anyway; this keeps the map)", NULL },
	{ "after", OPT_CHOICE, &cfg.after, "hold", "hold|exit", "when done: hold, or exit 0", NULL },
	{ 0 },
};

static int fill_fd(struct stressor_ctx *ctx, int fd)
{
	void *p;

	if (ftruncate(fd, (off_t)cfg.size)) {
		st_msg(ctx, errno, "ftruncate to %zu bytes", cfg.size);
		return ST_EXIT_INTERNAL;
	}
	p = mmap(NULL, cfg.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		st_msg(ctx, errno, "mmap of %zu bytes", cfg.size);
		return ST_EXIT_NOMEM;
	}
	if (touch_memory(p, cfg.size, TOUCH_PAGE)) {
		st_msg(ctx, errno, "touching the shared memory");
		return ST_EXIT_NOMEM;
	}
	if (!cfg.map)
		munmap(p, cfg.size);
	return ST_EXIT_OK;
}

static int fill(struct stressor_ctx *ctx)
{
	int fd, rc, id;
	void *p;

	if (!strcmp(cfg.kind, "sysv")) {
		if (!cfg.key) {
			st_msg(ctx, 0, "--kind sysv needs --key");
			return ST_EXIT_USAGE;
		}
		id = shmget((key_t)cfg.key, cfg.size, IPC_CREAT | IPC_EXCL | 0600);
		if (id < 0) {
			int err = errno;

			st_msg(ctx, err, "shmget of %zu bytes with key %ld", cfg.size, cfg.key);
			return err == ENOMEM || err == ENOSPC ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
		}
		p = shmat(id, NULL, 0);
		if (p == (void *)-1) {
			st_msg(ctx, errno, "shmat");
			return ST_EXIT_INTERNAL;
		}
		if (touch_memory(p, cfg.size, TOUCH_PAGE)) {
			st_msg(ctx, errno, "touching the shared memory");
			return ST_EXIT_NOMEM;
		}
		if (!cfg.map)
			shmdt(p);
		return ST_EXIT_OK;
	}
	if (!strcmp(cfg.kind, "tmpfs")) {
		if (!*cfg.path) {
			st_msg(ctx, 0, "--kind tmpfs needs --path");
			return ST_EXIT_USAGE;
		}
		fd = open(cfg.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	} else {
		fd = memfd_create(ctx->role, MFD_CLOEXEC);
	}
	if (fd < 0) {
		st_msg(ctx, errno, "creating the %s memory", cfg.kind);
		return ST_EXIT_INTERNAL;
	}
	rc = fill_fd(ctx, fd);
	if (!cfg.map || strcmp(cfg.kind, "memfd"))
		close(fd); /* a memfd lives on only while mapped or open */
	return rc;
}

static int run_shmem(struct stressor_ctx *ctx)
{
	int rc;

	st_guard_size(ctx, cfg.size);
	/* A bystander fills before it says ready; a trigger after go. */
	if (ctx->wait_go)
		st_ready(ctx);
	rc = fill(ctx);
	if (rc)
		return rc;
	if (!ctx->wait_go)
		st_ready(ctx);
	printf("%s: %zu MiB of %s shared memory%s\n", ctx->role, cfg.size >> 20, cfg.kind,
	       cfg.map ? ", mapped" : "");
	return st_finish(ctx, cfg.after);
}

const struct stressor stressor = {
	.name = "shmem",
	.summary = "Fills shared memory: a memfd, a tmpfs file or a SysV segment, mapped or not.",
	.rule = "tmpfs and SysV memory outlives its owner: a kill does not free it, the cgroup "
		"stays charged",
	.opts = opts,
	.run = run_shmem,
};
