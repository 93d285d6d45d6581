// SPDX-License-Identifier: GPL-2.0
#include "model/rank.h"

#include <stdlib.h>

void rank_row_input(const struct oom_task *t, long page_kb, struct badness_in *in)
{
	in->rss = t->rss >= 0 ? t->rss : t->rss_anon + t->rss_file + t->rss_shmem;
	in->swap = t->swapents > 0 ? t->swapents : 0;
	if (t->pgtables_bytes >= 0)
		in->pgtables = t->pgtables_bytes / (page_kb * 1024);
	else
		in->pgtables = (t->nr_ptes > 0 ? t->nr_ptes : 0) + (t->nr_pmds > 0 ? t->nr_pmds : 0);
	in->adj = t->has_oom_score_adj ? t->oom_score_adj : 0;
	in->cap_sys_admin = t->uid == 0;
}

static bool later_wins;  /* for the comparison below: qsort takes no argument */

/* The kernel's choice first. */
static int by_choice(const void *a, const void *b)
{
	const struct rank_row *x = a, *y = b;
	bool xu = x->points == BADNESS_UNKILLABLE, yu = y->points == BADNESS_UNKILLABLE;

	if (xu != yu)
		return xu ? 1 : -1;
	if (!xu && x->points != y->points)
		return x->points > y->points ? -1 : 1;
	if (xu || !later_wins)
		return x->index < y->index ? -1 : 1;
	return x->index > y->index ? -1 : 1;
}

struct rank_row *rank_rows(const struct model_env *m, const struct oom_event *ev,
			   const struct model_hints *h, long long totalpages, size_t *n)
{
	struct rank_row *rows;
	size_t i;

	*n = 0;
	if (!ev->ntasks || !(rows = calloc(ev->ntasks, sizeof(*rows))))
		return NULL;
	for (i = 0; i < ev->ntasks; i++) {
		const struct oom_task *t = &ev->tasks[i];
		struct badness_in in = { 0 };

		rank_row_input(t, m->page_kb, &in);
		in.ineligible = h && model_pid_listed(h->in_vfork, h->nvfork, t->pid) &&
				badness_vfork_ineligible(&m->kernel);
		rows[i] = (struct rank_row){ .task = t, .index = i, .rss = in.rss, .swap = in.swap,
					     .pgtables = in.pgtables,
					     .points = badness(m->era, &m->kernel, &in, totalpages) };
	}
	later_wins = badness_later_wins_ties(&m->kernel);
	qsort(rows, ev->ntasks, sizeof(*rows), by_choice);
	*n = ev->ntasks;
	return rows;
}

int rank_ties(const struct rank_row *rows, size_t n)
{
	size_t i;
	int ties = 0;

	for (i = 1; i < n && rows[0].points != BADNESS_UNKILLABLE; i++)
		ties += rows[i].points == rows[0].points;
	return ties;
}

bool rank_same_sizes(const struct oom_task *a, const struct oom_task *b)
{
	return a != b && a->rss >= SHARED_MM_MIN_PAGES && a->total_vm >= 0 &&
	       a->total_vm == b->total_vm && a->rss == b->rss && a->swapents == b->swapents &&
	       a->pgtables_bytes == b->pgtables_bytes && a->nr_ptes == b->nr_ptes;
}

bool rank_same_mm(const struct oom_task *a, const struct oom_task *b)
{
	return rank_same_sizes(a, b) && a->has_oom_score_adj == b->has_oom_score_adj &&
	       a->oom_score_adj == b->oom_score_adj;
}
