// SPDX-License-Identifier: GPL-2.0
/*
 * idle: a bystander. Allocates and touches a fixed amount of anonymous memory, and
 * optionally file-backed (page cache of an unlinked file) and shmem (memfd) memory and
 * page tables with nothing under them, then says ready and waits to be killed. With --sharers, that many more processes
 * share its mm (as a field report's tasks of one mm are replayed).
 */
#include "alloc.h"
#include "sharers.h"
#include "stressor.h"
#include "shared/units.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static struct {
	size_t rss;
	size_t file;
	size_t shmem;
	size_t pgtables;
	const char *dir;
	const char *touch;
	long sharers;
} cfg;

static const struct stressor_opt opts[] = {
	{ "rss", OPT_SIZE, &cfg.rss, "16M", NULL, "anonymous memory to allocate and touch", NULL },
	{ "file", OPT_SIZE, &cfg.file, "0", NULL, "file-backed memory: an unlinked file mapped shared", NULL },
	{ "shmem", OPT_SIZE, &cfg.shmem, "0", NULL, "shmem: a memfd mapped shared", NULL },
	{ "pgtables", OPT_SIZE, &cfg.pgtables, "0", NULL, "page tables with no memory under them: "
	  "a sparse mapping read once per 2 MiB (512 times this much address space)", NULL },
	{ "dir", OPT_STRING, &cfg.dir, "/var/tmp", NULL, "where the --file memory's file lives", NULL },
	{ "touch", OPT_CHOICE, &cfg.touch, "page", "page|memset|populate",
	  "how pages are faulted in", NULL },
	{ "sharers", OPT_COUNT, &cfg.sharers, "0", NULL,
	  "processes sharing its mm (clone CLONE_VM), 0 to 64, started after the memory is in", NULL },
	{ 0 },
};

/* Map fd shared, len bytes, and fault it in. */
static int map_shared(struct stressor_ctx *ctx, int fd, size_t len, const char *what)
{
	void *p;

	if (ftruncate(fd, (off_t)len)) {
		int err = errno;

		st_msg(ctx, err, "ftruncate of the %s memory to %zu bytes", what, len);
		return err == ENOSPC || err == ENOMEM ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		int err = errno;

		st_msg(ctx, err, "mmap of %zu bytes of %s memory", len, what);
		return err == ENOMEM ? ST_EXIT_NOMEM : ST_EXIT_INTERNAL;
	}
	if (touch_memory(p, len, touch_mode_named(cfg.touch))) {
		st_msg(ctx, errno, "touching %zu bytes of %s memory", len, what);
		return ST_EXIT_NOMEM;
	}
	close(fd);
	return ST_EXIT_OK;
}

/*
 * Page tables that map no memory of the process's own: reading an untouched anonymous
 * page maps the shared zero page (no rss), but needs a page-table page for its 2 MiB of
 * address space. Huge pages are off for the range, or a read would map the huge zero
 * page with no page-table page at all.
 */
#define PTE_SPAN (2UL << 20)   /* the address space one x86-64 page-table page maps */
static int fill_page_tables(struct stressor_ctx *ctx, size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = bytes / page, span = pages * PTE_SPAN;
	volatile const char *p;
	char sum = 0;

	if (pages && span / pages != PTE_SPAN) {
		st_msg(ctx, 0, "--pgtables %zu is too big", bytes);
		return ST_EXIT_USAGE;
	}
	p = mmap(NULL, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		st_msg(ctx, errno, "mmap of %zu bytes of address space for page tables", span);
		return ST_EXIT_NOMEM;
	}
	if (madvise((void *)p, span, MADV_NOHUGEPAGE) && errno != EINVAL) {
		st_msg(ctx, errno, "madvise(MADV_NOHUGEPAGE)");
		return ST_EXIT_INTERNAL;
	}
	for (size_t i = 0; i < pages; i++)
		sum += p[i * PTE_SPAN];
	return sum ? ST_EXIT_INTERNAL : ST_EXIT_OK; /* the zero page reads 0 */
}

static int run_idle(struct stressor_ctx *ctx)
{
	pid_t last;
	int fd, rc;

	if (cfg.sharers < 0 || cfg.sharers > 64) {
		st_msg(ctx, 0, "--sharers must be 0 to 64");
		return ST_EXIT_USAGE;
	}
	st_guard_size(ctx, size_add(size_add(size_add(cfg.rss, cfg.file), cfg.shmem), cfg.pgtables));
	if (cfg.rss && !alloc_touched(ALLOC_MMAP, touch_mode_named(cfg.touch), cfg.rss)) {
		st_msg(ctx, errno, "allocating %zu bytes of anonymous memory", cfg.rss);
		return ST_EXIT_NOMEM;
	}
	if (cfg.file) {
		fd = open(cfg.dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd < 0) {
			st_msg(ctx, errno, "open(O_TMPFILE) in %s", cfg.dir);
			return ST_EXIT_INTERNAL;
		}
		rc = map_shared(ctx, fd, cfg.file, "file-backed");
		if (rc)
			return rc;
	}
	if (cfg.shmem) {
		fd = memfd_create("idle-shmem", MFD_CLOEXEC);
		if (fd < 0) {
			int err = errno;

			st_msg(ctx, err, "memfd_create");
			return err == ENOSYS ? ST_EXIT_UNSUPPORTED : ST_EXIT_INTERNAL;
		}
		rc = map_shared(ctx, fd, cfg.shmem, "shmem");
		if (rc)
			return rc;
	}
	rc = cfg.pgtables ? fill_page_tables(ctx, cfg.pgtables) : ST_EXIT_OK;
	if (rc)
		return rc;
	rc = st_clone_sharers(ctx, cfg.sharers, &last);
	if (rc)
		return rc;
	st_ready(ctx);
	st_hold();
}

const struct stressor stressor = {
	.name = "idle",
	.summary = "A bystander: allocates and touches a fixed amount of memory, then waits.",
	.rule = "processes that are not allocating are still candidates, ranked by their size "
		"and oom_score_adj",
	.opts = opts,
	.run = run_idle,
};
