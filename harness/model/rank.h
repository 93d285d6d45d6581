/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rows of an OOM report's task table ranked by the kernel's badness formula
 * (badness.c): its choice first. The case model (casemodel.c) takes its predicted
 * victim from here, and `oomlab explain` the whole ranking.
 */
#ifndef OOMLAB_RANK_H
#define OOMLAB_RANK_H

#include <stddef.h>

#include "klog/oomreport.h"
#include "model/casemodel.h"

struct rank_row {
	const struct oom_task *task;
	size_t index;                   /* its place in the table */
	long long rss, swap, pgtables;  /* pages, as the formula takes them */
	long long points;               /* BADNESS_UNKILLABLE: never chosen */
};

/* A row's inputs to the formula: rss (anon + file + shmem), swap entries, page-table pages. */
void rank_row_input(const struct oom_task *t, long page_kb, struct badness_in *in);

/*
 * Every row of ev's table with its badness in a domain of totalpages, in the order the
 * kernel would choose: the highest badness first, among equals the later row (5.3+) or
 * the earlier; never-chosen rows last, in table order. h: what the case knows (NULL for
 * a log alone). *n rows; NULL when the table is empty or memory ran out (*n 0).
 */
struct rank_row *rank_rows(const struct model_env *m, const struct oom_event *ev,
			   const struct model_hints *h, long long totalpages, size_t *n);

/* Rows with the badness of rows[0] besides it. */
int rank_ties(const struct rank_row *rows, size_t n);

/* A table's rows of at least this many pages that match in every size look like one mm. */
#define SHARED_MM_MIN_PAGES 256

/*
 * Do two rows look like tasks sharing one mm (CLONE_VM processes, a vfork child before
 * its exec)? The same total_vm, rss, swap entries, page tables and oom_score_adj, and
 * big enough that chance is unlikely. (Children forked with fork() share their pages
 * copy-on-write and look the same too: their memory is also held once.)
 */
bool rank_same_mm(const struct oom_task *a, const struct oom_task *b);

/* The same sizes (rank_same_mm without the oom_score_adj). */
bool rank_same_sizes(const struct oom_task *a, const struct oom_task *b);

#endif
