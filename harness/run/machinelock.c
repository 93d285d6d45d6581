// SPDX-License-Identifier: GPL-2.0
#include "run/machinelock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

/* The bytes of the lock file: one to hold while a case runs, one to hold while waiting. */
#define BYTE_RUNNING 0
#define BYTE_WAITING 1
/* How long a run that just ended a case waits for a waiting run to take its turn. */
#define YIELD_MS 300
/* How often a waiting run tries, and when it says that it waits. */
#define POLL_MS 10
#define NOTE_EVERY_MS 30000

int machine_lock_open(struct machine_lock *l, const char *path, struct err *e)
{
	memset(l, 0, sizeof(*l));
	l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (l->fd < 0)
		return err_set(e, errno, "open `%s` (the lock that keeps concurrent runs' cases apart)",
			       path);
	return 0;
}

/* F_OFD_SETLK of one byte: type F_WRLCK, F_RDLCK or F_UNLCK. 0, or -1 with errno. */
static int set_byte(int fd, short type, off_t byte)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

	return fcntl(fd, F_OFD_SETLK, &fl);
}

/* Does another open file description hold a lock on the byte that conflicts with type? */
static bool byte_taken(int fd, short type, off_t byte)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = byte, .l_len = 1 };

	return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
}

/* One attempt: 1 taken, 0 not now, -1 error (errno). */
static int try_take(struct machine_lock *l)
{
	if (now_ms() < l->yield_until) {
		/* We just had a turn; a waiting run goes first, unless it is gone. */
		if (!byte_taken(l->fd, F_WRLCK, BYTE_RUNNING))
			return 0;
		l->yield_until = 0;
	}
	if (set_byte(l->fd, F_WRLCK, BYTE_RUNNING) == 0)
		return 1;
	return errno == EAGAIN || errno == EACCES || errno == EINTR ? 0 : -1;
}

int machine_lock_take(struct machine_lock *l, int sigfd, bool *interrupted, long deadline,
		      void (*note)(const char *msg), struct err *e)
{
	long started = now_ms(), noted = started;
	int got;

	if (l->fd < 0 || l->held)
		return 1;
	if (set_byte(l->fd, F_RDLCK, BYTE_WAITING))
		return err_set(e, errno, "lock byte %d of `%s`", BYTE_WAITING, MACHINE_LOCK_PATH);
	while ((got = try_take(l)) == 0) {
		struct pollfd p = { .fd = sigfd, .events = POLLIN };

		poll(&p, sigfd >= 0, POLL_MS);
		if (sigfd >= 0 && sigfd_drain(sigfd))
			*interrupted = true;
		if (*interrupted || (deadline && now_ms() >= deadline)) {
			set_byte(l->fd, F_UNLCK, BYTE_WAITING);
			return 0;
		}
		if (note && now_ms() - noted >= NOTE_EVERY_MS) {
			char msg[160];

			noted = now_ms();
			snprintf(msg, sizeof(msg), "waiting %ld s for another oomlab run's case on this "
				 "machine to end (%s)", (noted - started) / 1000, MACHINE_LOCK_PATH);
			note(msg);
		}
	}
	set_byte(l->fd, F_UNLCK, BYTE_WAITING);
	if (got < 0)
		return err_set(e, errno, "lock `%s`", MACHINE_LOCK_PATH);
	l->held = true;
	return 1;
}

void machine_lock_release(struct machine_lock *l)
{
	if (l->fd < 0 || !l->held)
		return;
	set_byte(l->fd, F_UNLCK, BYTE_RUNNING);
	l->held = false;
	/* Another run waits: it takes the next turn. */
	if (byte_taken(l->fd, F_WRLCK, BYTE_WAITING))
		l->yield_until = now_ms() + YIELD_MS;
}

void machine_lock_close(struct machine_lock *l)
{
	machine_lock_release(l);
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
