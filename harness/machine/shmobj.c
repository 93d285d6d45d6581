// SPDX-License-Identifier: GPL-2.0
#include "machine/shmobj.h"

#include <errno.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

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
