// SPDX-License-Identifier: GPL-2.0
#include "base/cleanup.h"

#include <stdlib.h>
#include <unistd.h>

void cleanup_free(void *p)
{
	free(*(void **)p);
}

void cleanup_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

void cleanup_fclose(FILE **f)
{
	if (*f)
		fclose(*f);
}

void cleanup_closedir(DIR **d)
{
	if (*d)
		closedir(*d);
}
