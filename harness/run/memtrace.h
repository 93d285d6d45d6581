/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory over time during a case: each process's resident set and the case cgroup's
 * usage, sampled every few milliseconds from the first process's start until the case
 * ends (the report's plot). The samples have a fixed room: when it is full, every second
 * one is dropped and the interval doubles, so a long case keeps its whole span.
 */
#ifndef OOMLAB_MEMTRACE_H
#define OOMLAB_MEMTRACE_H

#include <stdbool.h>
#include <sys/types.h>

#include "format/casefile.h"

#define MEMTRACE_SAMPLES 1024

struct mem_sample {
	long t_ms;                           /* since the case's t0 */
	long long cgroup_kb;                 /* -1: not read */
	long long rss_kb[CASE_MAX_PROCS];    /* per process of the case; -1: not running */
};

struct mem_trace {
	int interval_ms;             /* 0: not sampled */
	long next_ms;                /* monotonic time of the next sample */
	int n, nprocs;
	struct mem_sample *s;        /* MEMTRACE_SAMPLES of them */
};

/* Begin: nothing sampled yet; interval_ms 0 (or no memory for it) turns sampling off. */
void memtrace_start(struct mem_trace *m, int interval_ms, int nprocs, long now);

void memtrace_free(struct mem_trace *m);

/* Milliseconds until the next sample is due (0: now), or -1 when not sampling. */
long memtrace_due_in(const struct mem_trace *m, long now);

/*
 * One sample: pids[i] (0: not started) read from /proc/PID/statm, and the cgroup's
 * usage from dir/usage_file (dir "": none). t0: the case's start.
 */
void memtrace_sample(struct mem_trace *m, long now, long t0, const pid_t *pids,
		     const char *dir, const char *usage_file);

#endif
