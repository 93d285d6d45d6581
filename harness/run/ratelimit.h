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

#include "base/err.h"

#define RATELIMIT_KEEP 128

/* Log times of recent lines of one kind, oldest first. */
struct log_times {
	unsigned long long usec[RATELIMIT_KEEP];
	int n;
};

struct oom_ratelimit {
	int fd;                      /* /dev/kmsg, read from its oldest record on */
	struct log_times kills;      /* "Killed process" lines: every OOM kill logs one */
	struct log_times reports;    /* "invoked oom-killer" lines: the reports printed in full */
};

int ratelimit_open(struct oom_ratelimit *rl, const char *kmsg_path, struct err *e);

/*
 * Milliseconds to wait before `kills` more OOM reports will all be printed in full;
 * 0 when they can start now.
 */
long ratelimit_wait_ms(struct oom_ratelimit *rl, int kills);

/*
 * How many OOM reports, from anyone, the kernel printed in full (their "invoked
 * oom-killer" header) in the interval (5 s) before log time usec. Reads what was
 * logged since the last call first.
 */
int ratelimit_reports_before(struct oom_ratelimit *rl, unsigned long long usec);

/* The kernel's burst: reports printed in full per interval. */
#define RATELIMIT_BURST 10

/* The kernel's interval, in microseconds of log time. */
#define RATELIMIT_INTERVAL_USEC 5000000ULL

void ratelimit_close(struct oom_ratelimit *rl);

#endif
