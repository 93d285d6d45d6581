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
#include "vm/vm_cpio.h"
#include "vm/vm_modules.h"

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
	if (name && cpio_header(fd, name, 0100644, (size_t)st.st_size))
		rc = err_set(e, errno, "write the guest's case archive");
	while (!rc && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = err_set(e, errno, "read `%s`", path);
		else if (cpio_write_all(fd, buf, (size_t)n))
			rc = err_set(e, errno, "write the guest's initramfs");
		else
			*len += (size_t)n;
	}
	close(in);
	if (!rc && *len != (size_t)st.st_size)
		rc = err_set(e, EIO, "`%s` changed while it was read", path);
	if (!rc && name && cpio_pad4(fd, *len))
		rc = err_set(e, errno, "write the guest's case archive");
	return rc;
}

int vm_cases_initramfs(const struct vm_opts *o, char **names, int n, const struct vm_modules *m,
		       const char *path, struct err *e)
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
	if (!rc && cpio_pad4(fd, len))
		rc = err_set(e, errno, "write `%s`", path);
	for (i = 0; i < n && !rc; i++) {
		case_path(host, sizeof(host), o->cases_dir, names[i]);
		snprintf(name, sizeof(name), "oomlab/cases/%s.case", names[i]);
		rc = copy_file(fd, host, name, &size, e);
		snprintf(host, sizeof(host), "%s/%s.expect", o->expected_dir, names[i]);
		snprintf(name, sizeof(name), "oomlab/expected/%s.expect", names[i]);
		rc = rc || copy_file(fd, host, name, &size, e);
	}
	if (!rc && m && vm_modules_write(fd, m))
		rc = err_set(e, errno, "write the guest's modules to `%s`", path);
	if (!rc && cpio_trailer(fd))
		rc = err_set(e, errno, "write `%s`", path);
	if (close(fd) && !rc)
		rc = err_set(e, errno, "write `%s`", path);
	if (rc)
		unlink(path);
	return rc ? -1 : 0;
}
