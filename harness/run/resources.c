// SPDX-License-Identifier: GPL-2.0
#include "run/resources.h"

#include <linux/magic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/swap.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>


int resources_expand(const struct case_resources *res, const char *role, int role_index,
		     const char *arg, char *out, size_t len)
{
	size_t o = 0;

	while (*arg) {
		char value[PATH_MAX + 200];
		size_t n;

		if (*arg != '{') {
			if (o + 1 >= len)
				return -1;
			out[o++] = *arg++;
			continue;
		}
		if (!strncmp(arg, "{swapfile}", 10)) {
			snprintf(value, sizeof(value), "%s", res ? res->swapfile : "/nonexistent/swapfile");
			arg += 10;
		} else if (!strncmp(arg, "{tmpfile}", 9)) {
			if (res)
				snprintf(value, sizeof(value), "%s/%s.%s", res->tmpfile_dir, res->prefix, role);
			else
				snprintf(value, sizeof(value), "/nonexistent/tmpfile");
			arg += 9;
		} else if (!strncmp(arg, "{ipckey}", 8)) {
			snprintf(value, sizeof(value), "%ld", res ? res->ipckey_base + role_index : 1L);
			arg += 8;
		} else {
			return -1;
		}
		n = strlen(value);
		if (o + n + 1 > len)
			return -1;
		memcpy(out + o, value, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

static int journal_resource(struct case_resources *res, struct journal *j, const char *kind,
			    const char *arg, struct err *e)
{
	int id;

	if (res->njids == RESOURCES_MAX)
		return err_set(e, ENOSPC, "more than %d swap files, tmpfiles and IPC keys", RESOURCES_MAX);
	id = journal_add(j, kind, arg, e);
	if (id < 0)
		return -1;
	res->jids[res->njids++] = id;
	return 0;
}

int resources_journal(struct case_resources *res, struct journal *j, char *const *args,
		      const char *role, int role_index, struct err *e)
{
	bool file = false, key = false;
	char entry[PATH_MAX + 256];
	int i;

	for (i = 0; args[i]; i++) {
		file |= strstr(args[i], "{tmpfile}") != NULL;
		key |= strstr(args[i], "{ipckey}") != NULL;
	}
	if (file) {
		snprintf(entry, sizeof(entry), "%s/%s.%s", res->tmpfile_dir, res->prefix, role);
		if (journal_resource(res, j, "file", entry, e))
			return -1;
	}
	if (key) {
		snprintf(entry, sizeof(entry), "%ld", res->ipckey_base + role_index);
		if (journal_resource(res, j, "shm", entry, e))
			return -1;
	}
	return 0;
}

void resources_teardown(struct case_resources *res, struct journal *j, void (*warn)(const char *msg))
{
	struct err e;

	while (res->njids > 0)
		if (journal_undo(j, res->jids[--res->njids], &e))
			warn(e.msg); /* the journal keeps it; the next run retries */
}

const char *swap_dir_problem(const char *dir)
{
	struct statfs sf;

	if (statfs(dir, &sf))
		return "the swap directory does not exist (no disk?)";
	if (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC)
		return "the swap directory is in memory (tmpfs or ramfs), and swap files need a disk";
	return NULL;
}

/* Zeros (no holes: swapon refuses a sparse file), then the swap header in page 0. */
static int write_swapfile(const char *path, size_t size, struct err *e)
{
	static char zeros[1 << 20];
	size_t page = (size_t)sysconf(_SC_PAGESIZE), done;
	char *header;
	uint32_t v;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return err_set(e, errno, "create `%s`", path);
	for (done = 0; done < size; done += sizeof(zeros)) {
		size_t n = size - done < sizeof(zeros) ? size - done : sizeof(zeros);

		if (write(fd, zeros, n) != (ssize_t)n) {
			int err = errno;

			close(fd);
			return err_set(e, err, "write `%s`", path);
		}
	}
	header = calloc(1, page);
	if (!header) {
		close(fd);
		return err_set(e, ENOMEM, "swap header");
	}
	/* union swap_header: version at 1024, last_page at 1028, nr_badpages at 1032 */
	v = 1;
	memcpy(header + 1024, &v, 4);
	v = (uint32_t)(size / page - 1);
	memcpy(header + 1028, &v, 4);
	memcpy(header + page - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, header, page, 0) != (ssize_t)page || fsync(fd)) {
		int err = errno;

		free(header);
		close(fd);
		return err_set(e, err, "write the swap header of `%s`", path);
	}
	free(header);
	close(fd);
	return 0;
}

int swapfile_on(struct case_resources *res, const char *dir, size_t size, struct journal *j,
		struct err *e)
{
	const char *problem = swap_dir_problem(dir);

	if (problem)
		return err_set(e, 0, "no swap for this case: %s (`%s`)", problem, dir);
	snprintf(res->swapfile, sizeof(res->swapfile), "%s/%s.swap", dir, res->prefix);
	if (journal_resource(res, j, "swapfile", res->swapfile, e))
		return -1;
	if (write_swapfile(res->swapfile, size, e)) {
		unlink(res->swapfile);
		return err_wrap(e, "no swap for this case");
	}
	if (swapon(res->swapfile, 0)) {
		int err = errno;

		unlink(res->swapfile);
		return err_set(e, err, "no swap for this case: swapon `%s`", res->swapfile);
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

int tmpfile_remove(const char *path, struct err *e)
{
	if (unlink(path) && errno != ENOENT)
		return err_set(e, errno, "unlink `%s`", path);
	return 0;
}

int ipckey_remove(long key, struct err *e)
{
	int id = shmget((key_t)key, 0, 0);

	if (id < 0)
		return errno == ENOENT ? 0 : err_set(e, errno, "shmget key %ld", key);
	if (shmctl(id, IPC_RMID, NULL) && errno != EINVAL && errno != EIDRM)
		return err_set(e, errno, "remove the SysV segment with key %ld", key);
	return 0;
}
