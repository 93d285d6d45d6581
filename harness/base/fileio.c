// SPDX-License-Identifier: GPL-2.0
#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int write_text(const char *path, const char *text, struct err *e)
{
	ssize_t n;
	int fd;

	/* O_TRUNC as a shell's `>` does: cgroupfs and procfs ignore it, plain files need it. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open `%s`", path);
	n = write(fd, text, strlen(text));
	if (n != (ssize_t)strlen(text)) {
		int err = n < 0 ? errno : EIO;

		close(fd);
		return err_set(e, err, "write `%s` to `%s`", text, path);
	}
	if (close(fd))
		return err_set(e, errno, "write `%s` to `%s`", text, path);
	return 0;
}

int read_text(const char *path, char *buf, size_t len, struct err *e)
{
	size_t have = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open `%s`", path);
	while (have < len - 1 && (n = read(fd, buf + have, len - 1 - have)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			return err_set(e, err, "read `%s`", path);
		}
		have += (size_t)n;
	}
	buf[have] = '\0';
	close(fd);
	return 0;
}

int read_long(const char *path, long *v, struct err *e)
{
	char buf[64], *end;

	if (read_text(path, buf, sizeof(buf), e))
		return -1;
	errno = 0;
	*v = strtol(buf, &end, 10);
	if (end == buf || errno)
		return err_set(e, EINVAL, "`%s` does not hold a number", path);
	return 0;
}
