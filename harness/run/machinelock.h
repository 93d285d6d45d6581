/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One case at a time on a machine. The kernel's OOM report rate limit, swap files and
 * the kernel log are shared by every run on the machine; two runs whose cases overlap
 * disturb each other's verdicts. Each case holds this lock from before its setup until
 * its cleanup is done (and a run holds it while it undoes what a dead run left), so
 * that concurrent runs interleave whole cases.
 *
 * The lock is an open-file-description lock (fcntl F_OFD_SETLK) on byte 0 of
 * /run/oomlab.lock; the kernel drops it when a run dies. A run waiting for it holds a
 * shared lock on byte 1, and a run that ends a case while another waits lets the
 * waiter go first: turns alternate instead of one run taking every case.
 */
#ifndef OOMLAB_MACHINELOCK_H
#define OOMLAB_MACHINELOCK_H

#include <stdbool.h>

#include "base/err.h"

#define MACHINE_LOCK_PATH "/run/oomlab.lock"

struct machine_lock {
	int fd;                      /* the lock file, -1 when not open (nothing to share) */
	bool held;
	long yield_until;            /* monotonic ms: let a waiting run go first until then */
};

int machine_lock_open(struct machine_lock *l, const char *path, struct err *e);

/*
 * Wait for the lock and take it. Waiting polls sigfd: an interrupt (SIGINT, SIGTERM,
 * SIGHUP) sets *interrupted and returns 0 without the lock; so does the deadline
 * (monotonic ms; 0: none). note() is told, now and then, that the run is waiting.
 * Returns 1 taken, 0 interrupted or past the deadline, -1 error.
 */
int machine_lock_take(struct machine_lock *l, int sigfd, bool *interrupted, long deadline,
		      void (*note)(const char *msg), struct err *e);

void machine_lock_release(struct machine_lock *l);

void machine_lock_close(struct machine_lock *l);

#endif
