// SPDX-License-Identifier: GPL-2.0
#include "vm/vm_cpio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cpio_write_all(int fd, const void *buf, size_t len)
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

int cpio_pad4(int fd, size_t at)
{
	static const char zeros[4];

	return at % 4 ? cpio_write_all(fd, zeros, 4 - at % 4) : 0;
}

int cpio_header(int fd, const char *name, unsigned mode, size_t size)
{
	char header[111];
	size_t namesize = strlen(name) + 1;

	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devs, namesize, check */
	snprintf(header, sizeof(header), "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		 0u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	return cpio_write_all(fd, header, 110) || cpio_write_all(fd, name, namesize) ||
	       cpio_pad4(fd, 110 + namesize) ? -1 : 0;
}

int cpio_entry(int fd, const char *name, unsigned mode, const void *data, size_t size)
{
	return cpio_header(fd, name, mode, size) || cpio_write_all(fd, data, size) ||
	       cpio_pad4(fd, size) ? -1 : 0;
}

int cpio_trailer(int fd)
{
	return cpio_header(fd, "TRAILER!!!", 0, 0);
}
