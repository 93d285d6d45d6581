/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the kernel killed what it killed, from an OOM report alone (`oomlab explain`,
 * docs/incidents.md): the rules of the report's kernel, the OOM domain and its size,
 * the task table ranked by the badness formula (rank.c), and a verdict: the victim was
 * the top candidate, or it was not and why (a sacrificed child, oom_kill_allocating_task,
 * an OOM origin, a row the table does not have, ...), and what oom_score_adj would have
 * spared it.
 */
#ifndef OOMLAB_EXPLAIN_H
#define OOMLAB_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "klog/oomreport.h"
#include "model/casemodel.h"
#include "model/rank.h"

/* The pages of a report's task table: 4 kB on the machines these reports come from. */
#define REPORT_PAGE_KB 4

enum explain_verdict {
	VERDICT_TOP,            /* the victim was the top candidate by badness */
	VERDICT_CHILD,          /* the kernel chose a parent and killed its child instead */
	VERDICT_ALLOCATING,     /* vm.oom_kill_allocating_task: the allocating task, unscored */
	VERDICT_ORIGIN,         /* an OOM origin (swapoff, KSM unmerge), taken before scoring */
	VERDICT_NOT_IN_TABLE,   /* the victim has no row in the table */
	VERDICT_NOT_TOP,        /* by the table's numbers another task ranked higher */
	VERDICT_HIDDEN,         /* the top once the memory its printed score shows and the
				 * table does not (swap before 3.6) is counted */
	VERDICT_NO_TABLE,       /* no task table: nothing to rank */
	VERDICT_NO_KILL,        /* nothing was killed */
	VERDICT_COUNT,
};

/* "top", "sacrificed child", ... (the JSON's verdict.kind) */
const char *verdict_name(enum explain_verdict v);

struct explanation {
	struct model_env m;             /* the rules and domains, from the report */
	bool modelled;                  /* the era has a formula (2.6.36+); else ranked by total_vm */
	char rules_from[200];           /* where the kernel's rules came from */
	bool memcg;
	long long totalpages;           /* the domain; -1 unknown */
	long long swap_used_kb;         /* the swap the domain had in use at the OOM */
	char domain_from[240];          /* where its size came from */
	struct rank_row *rows;          /* the table, the kernel's choice first */
	size_t nrows;
	int eligible;                   /* rows that can be chosen */
	long victim_pid;                /* -1: nothing killed */
	char victim_comm[OOM_COMM_MAX];
	int victim_rank;                /* 1-based place among rows; 0 no row */
	int ties;                       /* rows with the top's badness besides it */
	enum explain_verdict verdict;
	char why[400];
	bool score_known;               /* the kernel printed the chosen one's score (2.6.36-5.0) */
	long printed_score;             /* as printed: 0..1000 */
	long formula_score;             /* the same from the table by the formula; -1 no row */
	long long hidden_pages;         /* the victim's memory its printed score shows beyond the
					 * table's (VERDICT_HIDDEN) */
	int mm_sharers;                 /* rows that look like sharers of the victim's mm
					 * (rank_same_mm) */
	bool spare;                     /* an adj that would have spared the victim was found */
	long spare_adj;
	const struct rank_row *next;    /* who would have died instead */
};

/* Explain one event. Returns 0, or -1 when out of memory. Free with explain_free. */
int explain_event(const struct oom_event *ev, struct explanation *x);

void explain_free(struct explanation *x);

/* "1st", "2nd", "3rd", "11th", ... */
const char *ordinal_suffix(int n);

#endif
