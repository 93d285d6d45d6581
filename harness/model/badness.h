/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's OOM badness formula and the oom_score it shows, era by era (docs/model.md,
 * "The formula, by era"; in the kernel oom_badness() in mm/oom_kill.c and
 * proc_oom_score() in fs/proc/base.c), from the same inputs the kernel uses: resident
 * pages (anon + file + shmem), swap entries, page-table pages, oom_score_adj, and the
 * "total pages" of the OOM domain (RAM + swap for the machine, limit + allowed swap for
 * a memory cgroup). Kernels before 2.6.36 scored by virtual size, CPU time and age,
 * which /proc does not give: no model for them.
 */
#ifndef OOMLAB_BADNESS_H
#define OOMLAB_BADNESS_H

#include <limits.h>
#include <stdbool.h>

#include "base/hostinfo.h"

enum badness_era {
	BADNESS_NONE,       /* before 2.6.36: not modelled */
	BADNESS_2_6_36,     /* 2.6.36-3.4: 0..1000 from the start, 3% root bonus on adj */
	BADNESS_3_5,        /* 3.5-5.8: pages, at least 1 when eligible */
	BADNESS_5_9,        /* 5.9+: pages, may be negative */
};

struct badness_in {
	long long rss, swap, pgtables;  /* pages */
	long adj;                       /* oom_score_adj */
	bool cap_sys_admin;             /* the root bonus of 2.6.36-4.16 */
	bool ineligible;                /* in vfork, MMF_OOM_SKIP, a kthread: scores as -1000 */
};

/* The smallest badness: the process is never chosen (adj -1000 and the rest). */
#define BADNESS_UNKILLABLE LLONG_MIN

enum badness_era badness_era_of(const struct kver *k);
const char *badness_era_name(enum badness_era era);

/* The badness of one process in a domain of totalpages; BADNESS_UNKILLABLE when never chosen. */
long long badness(enum badness_era era, const struct kver *k, const struct badness_in *in,
		  long long totalpages);

/*
 * /proc/PID/oom_score from the badness in the machine's domain (total = RAM + swap
 * pages); -1 when the era has no model.
 */
long badness_oom_score(enum badness_era era, long long points, long long total);

/* A task in vfork is never chosen (4.8+; before, it could be). */
bool badness_vfork_ineligible(const struct kver *k);

/* An oom_score_adj written to one process of an mm is set for all that share it (4.8+). */
bool badness_mm_sharers_share_adj(const struct kver *k);

/* Ties: from about 5.3 a later process with the same badness wins, before the earlier. */
bool badness_later_wins_ties(const struct kver *k);

#endif
