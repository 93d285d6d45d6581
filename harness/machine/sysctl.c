// SPDX-License-Identifier: GPL-2.0
#include "machine/sysctl.h"

#include <stdio.h>
#include <string.h>

#include "base/fileio.h"

void sysctl_path(const char *name, char *out, size_t len)
{
	size_t i, o;

	o = (size_t)snprintf(out, len, "/proc/sys/");
	for (i = 0; name[i] && o + 1 < len; i++)
		out[o++] = name[i] == '.' ? '/' : name[i];
	out[o] = '\0';
}

int sysctl_read(const char *path, char *out, size_t len, struct err *e)
{
	if (read_text(path, out, len, e))
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

int sysctl_write(const char *path, const char *value, struct err *e)
{
	return write_text(path, value, e);
}
