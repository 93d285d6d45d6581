// SPDX-License-Identifier: GPL-2.0
#include "machine/swapfile.h"

#include "base/cleanup.h"

#include <linux/magic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

const char *swap_dir_problem(const char *dir)
{
	struct statfs sf;

	if (statfs(dir, &sf))
		return "the swap directory does not exist (no disk?)";
	if (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC)
		return "the swap directory is in memory (tmpfs or ramfs), and swap files need a disk";
	return NULL;
}

/* The kernel's union swap_header in page 0 (include/linux/swap.h). */
#define SWAP_HEADER_VERSION 1024
#define SWAP_HEADER_LAST_PAGE 1028
#define SWAP_MAGIC "SWAPSPACE2"      /* the last bytes of the page */

/* Zeros (no holes: swapon refuses a sparse file), then the swap header in page 0. */
static int write_swapfile(const char *path, size_t size, struct err *e)
{
	static const char zeros[1 << 20];
	size_t page = (size_t)sysconf(_SC_PAGESIZE), done;
	auto_close int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	auto_free char *header = NULL;
	ssize_t wrote;
	uint32_t v;

	if (fd < 0)
		return err_set(e, errno, "create `%s`", path);
	for (done = 0; done < size;) {
		size_t n = size - done < sizeof(zeros) ? size - done : sizeof(zeros);
		ssize_t got = write(fd, zeros, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) /* nothing written: the disk is full */
			return err_set(e, got < 0 ? errno : ENOSPC, "write `%s`", path);
		done += (size_t)got;
	}
	header = calloc(1, page);
	if (!header)
		return err_set(e, ENOMEM, "swap header");
	/* union swap_header: version at 1024, last_page at 1028, nr_badpages at 1032 */
	v = 1;
	memcpy(header + SWAP_HEADER_VERSION, &v, sizeof(v));
	v = (uint32_t)(size / page - 1);
	memcpy(header + SWAP_HEADER_LAST_PAGE, &v, sizeof(v));
	memcpy(header + page - strlen(SWAP_MAGIC), SWAP_MAGIC, strlen(SWAP_MAGIC));
	wrote = pwrite(fd, header, page, 0);
	if (wrote != (ssize_t)page)
		return err_set(e, wrote < 0 ? errno : ENOSPC, "write the swap header of `%s`", path);
	if (fsync(fd))
		return err_set(e, errno, "fsync `%s`", path);
	return 0;
}

int swapfile_create(const char *path, size_t size, struct err *e)
{
	if (write_swapfile(path, size, e)) {
		unlink(path);
		return -1;
	}
	if (swapon(path, 0)) {
		int err = errno;

		unlink(path);
		return err_set(e, err, "swapon `%s`", path);
	}
	return 0;
}

int swapfile_remove(const char *path, struct err *e)
{
	int tries = 0;

	/*
	 * ENOMEM: the pages in it could not all be brought back yet (memory that the case's
	 * processes held is still being freed). Try a few times before leaving it to the
	 * journal, from which the next run tries again.
	 */
	while (swapoff(path) && errno != EINVAL && errno != ENOENT) {
		struct timespec pause = { .tv_nsec = 200 * 1000000L };

		if (errno != ENOMEM || ++tries == 5)
			return err_set(e, errno, "swapoff `%s`", path);
		nanosleep(&pause, NULL);
	}
	if (unlink(path) && errno != ENOENT)
		return err_set(e, errno, "unlink `%s`", path);
	return 0;
}
