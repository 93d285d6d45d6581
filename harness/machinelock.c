// SPDX-License-Identifier: GPL-2.0
#include "machinelock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

int machine_lock_open(struct machine_lock *l, const char *state_dir, struct err *e)
{
	l->held = false;
	l->fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->fd < 0)
		return err_set(e, errno, "open `%s` (the lock that keeps concurrent runs' cases apart)",
			       state_dir);
	return 0;
}

int machine_lock_try(struct machine_lock *l, struct err *e)
{
	if (l->fd < 0)
		return 1; /* no state directory (a fake tree in a test): nothing to share */
	if (l->held)
		return 1;
	if (flock(l->fd, LOCK_EX | LOCK_NB) == 0) {
		l->held = true;
		return 1;
	}
	if (errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	return err_set(e, errno, "flock the state directory");
}

void machine_lock_release(struct machine_lock *l)
{
	if (l->fd >= 0 && l->held)
		flock(l->fd, LOCK_UN);
	l->held = false;
}

void machine_lock_close(struct machine_lock *l)
{
	machine_lock_release(l);
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
