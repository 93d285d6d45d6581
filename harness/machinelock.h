/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One case at a time on a machine. The kernel's OOM report rate limit, swap files and
 * the kernel log are shared by every run on the machine; two runs whose cases overlap
 * disturb each other's verdicts. Each case holds this lock from before its setup until
 * its cleanup is done, so that concurrent runs interleave whole cases.
 *
 * The lock is flock(2) on the state directory (/run/oomlab), which is never removed:
 * every run that shares the state directory shares the lock. The kernel drops it when
 * a run dies.
 */
#ifndef OOMLAB_MACHINELOCK_H
#define OOMLAB_MACHINELOCK_H

#include <stdbool.h>

#include "err.h"

struct machine_lock {
	int fd;                      /* the state directory, -1 when not open */
	bool held;
};

int machine_lock_open(struct machine_lock *l, const char *state_dir, struct err *e);

/* Take the lock if it is free: 1 taken, 0 another run holds it, -1 error. */
int machine_lock_try(struct machine_lock *l, struct err *e);

void machine_lock_release(struct machine_lock *l);

void machine_lock_close(struct machine_lock *l);

#endif
