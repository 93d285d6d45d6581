// SPDX-License-Identifier: GPL-2.0
#include "vm/vm_cases.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format/casefile.h"

/* Write all of buf; -1 with errno. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Zeros up to the next multiple of 4 after `at` bytes. */
static int pad4(int fd, size_t at)
{
	static const char zeros[4];

	return at % 4 ? write_all(fd, zeros, 4 - at % 4) : 0;
}

/* A newc header and name: a regular file of size bytes, or with trailer set the trailer. */
static int newc_header(int fd, const char *name, size_t size, bool trailer)
{
	char header[111];
	size_t namesize = strlen(name) + 1;

	snprintf(header, sizeof(header), "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		 0u, trailer ? 0u : 0100644u, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	return write_all(fd, header, 110) || write_all(fd, name, namesize) || pad4(fd, 110 + namesize) ? -1 : 0;
}

/*
 * Copy the file at path to fd, the whole of it; with name, as a newc entry of that name
 * (a missing file then is left for the guest to report). *len: its size.
 */
static int copy_file(int fd, const char *path, const char *name, size_t *len, struct err *e)
{
	char buf[65536];
	struct stat st;
	int in = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t n;

	*len = 0;
	if (in < 0)
		return name && errno == ENOENT ? 0 : err_set(e, errno, "open `%s`", path);
	if (fstat(in, &st) || !S_ISREG(st.st_mode)) {
		close(in);
		return err_set(e, EINVAL, "`%s` is not a regular file", path);
	}
	if (name && newc_header(fd, name, (size_t)st.st_size, false))
		rc = err_set(e, errno, "write the guest's case archive");
	while (!rc && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = err_set(e, errno, "read `%s`", path);
		else if (write_all(fd, buf, (size_t)n))
			rc = err_set(e, errno, "write the guest's initramfs");
		else
			*len += (size_t)n;
	}
	close(in);
	if (!rc && *len != (size_t)st.st_size)
		rc = err_set(e, EIO, "`%s` changed while it was read", path);
	if (!rc && name && pad4(fd, *len))
		rc = err_set(e, errno, "write the guest's case archive");
	return rc;
}

int vm_cases_initramfs(const struct vm_opts *o, char **names, int n, const char *path, struct err *e)
{
	char host[PATH_MAX + 64], name[PATH_MAX];
	size_t len = 0, size;
	int fd, i, rc;

	if (access(o->initramfs, R_OK))
		return err_set(e, errno, "initramfs `%s` (make initramfs builds it)", o->initramfs);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, errno, "create `%s`", path);
	/* the second archive starts 4-byte aligned, as the kernel's unpacker wants */
	rc = copy_file(fd, o->initramfs, NULL, &len, e);
	if (!rc && pad4(fd, len))
		rc = err_set(e, errno, "write `%s`", path);
	for (i = 0; i < n && !rc; i++) {
		case_path(host, sizeof(host), o->cases_dir, names[i]);
		snprintf(name, sizeof(name), "oomlab/cases/%s.case", names[i]);
		rc = copy_file(fd, host, name, &size, e);
		snprintf(host, sizeof(host), "%s/%s.expect", o->expected_dir, names[i]);
		snprintf(name, sizeof(name), "oomlab/expected/%s.expect", names[i]);
		rc = rc || copy_file(fd, host, name, &size, e);
	}
	if (!rc && newc_header(fd, "TRAILER!!!", 0, true))
		rc = err_set(e, errno, "write `%s`", path);
	if (close(fd) && !rc)
		rc = err_set(e, errno, "write `%s`", path);
	if (rc)
		unlink(path);
	return rc ? -1 : 0;
}
