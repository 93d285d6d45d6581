// SPDX-License-Identifier: GPL-2.0
/*
 * filecache: write a file larger than the cgroup, then read it through the page
 * cache. Page cache is reclaimable: the cgroup reclaims instead of killing anyone.
 * The file is unlinked from the start (O_TMPFILE) and lives on a disk, not a tmpfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "stressor.h"


static struct {
	size_t size;
	const char *dir;
	long passes;
} cfg;

static const struct stressor_opt opts[] = {
	{ "size", OPT_SIZE, &cfg.size, "256M", NULL, "the file's size", NULL },
	{ "dir", OPT_STRING, &cfg.dir, "/var/tmp", NULL, "where the file lives (a disk, not tmpfs)", NULL },
	{ "passes", OPT_COUNT, &cfg.passes, "2", NULL, "times the file is read through", NULL },
	{ 0 },
};

static int run_filecache(struct stressor_ctx *ctx)
{
	static char buf[1 << 20];
	struct statfs sf;
	size_t done;
	long pass;
	int fd;

	if (statfs(cfg.dir, &sf)) {
		st_msg(ctx, errno, "statfs `%s`", cfg.dir);
		return ST_EXIT_INTERNAL;
	}
	if (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC) {
		st_msg(ctx, 0, "`%s` is in memory (tmpfs or ramfs), not page cache", cfg.dir);
		return ST_EXIT_UNSUPPORTED;
	}
	fd = open(cfg.dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		st_msg(ctx, errno, "open(O_TMPFILE) in `%s`", cfg.dir);
		return ST_EXIT_INTERNAL;
	}
	st_ready(ctx);
	memset(buf, 'x', sizeof(buf));
	for (done = 0; done < cfg.size; done += sizeof(buf)) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			int err = errno;

			printf("%s: write failed after %zu MiB: %s\n", ctx->role, done >> 20, strerror(err));
			return err == ENOSPC || err == ENOMEM ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
		}
	}
	for (pass = 0; pass < cfg.passes; pass++) {
		if (lseek(fd, 0, SEEK_SET) < 0)
			return ST_EXIT_INTERNAL;
		for (done = 0; done < cfg.size; done += sizeof(buf)) {
			if (read(fd, buf, sizeof(buf)) <= 0) {
				printf("%s: read failed after %zu MiB: %s\n", ctx->role, done >> 20,
				       strerror(errno));
				return ST_EXIT_INTERNAL;
			}
		}
	}
	printf("%s: wrote %zu MiB and read it %ld times\n", ctx->role, cfg.size >> 20, cfg.passes);
	close(fd);
	return ST_EXIT_OK;
}

const struct stressor stressor = {
	.name = "filecache",
	.summary = "Writes a file larger than the cgroup, then reads it through the page cache.",
	.rule = "page cache is reclaimable: the cgroup reclaims, nobody is killed",
	.opts = opts,
	.run = run_filecache,
};
