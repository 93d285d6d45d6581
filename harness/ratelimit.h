/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel prints at most 10 OOM report headers per 5 s (oom_rs in mm/oom_kill.c,
 * shared by the whole machine); a kill beyond that logs only its "Killed process"
 * line. Before a case that expects report lines, wait until the kernel has room.
 * The count comes from the kernel log itself, so kills by other runs or other
 * programs count too.
 */
#ifndef OOMLAB_RATELIMIT_H
#define OOMLAB_RATELIMIT_H

#include "err.h"

#define RATELIMIT_KEEP 128

struct oom_ratelimit {
	int fd;                                  /* /dev/kmsg, read from its oldest record on */
	unsigned long long kill_usec[RATELIMIT_KEEP]; /* log time of recent "Killed process" lines */
	int n;
};

int ratelimit_open(struct oom_ratelimit *rl, const char *kmsg_path, struct err *e);

/*
 * Milliseconds to wait before `kills` more OOM reports will all be printed in full;
 * 0 when they can start now.
 */
long ratelimit_wait_ms(struct oom_ratelimit *rl, int kills);

/*
 * How many "Killed process" lines, from anyone, the kernel logged in the interval
 * (5 s) before log time usec. Reads what was logged since the last call first.
 */
int ratelimit_kills_before(struct oom_ratelimit *rl, unsigned long long usec);

/* The kernel's interval, in microseconds of log time. */
#define RATELIMIT_INTERVAL_USEC 5000000ULL

void ratelimit_close(struct oom_ratelimit *rl);

#endif
