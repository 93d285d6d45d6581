// SPDX-License-Identifier: GPL-2.0
#include "model/explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const char *verdict_name(enum explain_verdict v)
{
	static const char *const names[VERDICT_COUNT] = {
		[VERDICT_TOP] = "top", [VERDICT_CHILD] = "sacrificed child",
		[VERDICT_ALLOCATING] = "oom_kill_allocating_task", [VERDICT_ORIGIN] = "OOM origin",
		[VERDICT_NOT_IN_TABLE] = "not in table", [VERDICT_NOT_TOP] = "not top",
		[VERDICT_NO_TABLE] = "no table", [VERDICT_NO_KILL] = "no kill",
		[VERDICT_HIDDEN] = "top by its score",
	};

	return names[v];
}

const char *ordinal_suffix(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

static struct kver kver_of_code(unsigned long code)
{
	return (struct kver){ (int)(code / 1000000), (int)(code / 1000 % 1000), (int)(code % 1000) };
}

/* The kernel whose formula applies: the release, unless its lines are a later kernel's. */
static void rules_of(const struct oom_event *ev, struct explanation *x)
{
	bool have_era = ev->era_lo != (unsigned long)-1 && (ev->era_lo || ev->era_hi);
	char era[48];

	oom_era_text(ev, era, sizeof(era));
	if (ev->release[0] && oom_backport(ev) != 1 && !kver_parse(ev->release, &x->m.kernel)) {
		snprintf(x->rules_from, sizeof(x->rules_from), "release %s", ev->release);
	} else if (have_era && ev->era_lo) {
		x->m.kernel = kver_of_code(ev->era_lo);
		snprintf(x->rules_from, sizeof(x->rules_from), "%s%s%sthe lines' era %s",
			 ev->release[0] ? "release " : "", ev->release,
			 ev->release[0] ? " prints later lines (a backport): " : "", era);
	} else if (have_era) {
		x->m.kernel = kver_of_code(ev->era_hi);
		snprintf(x->rules_from, sizeof(x->rules_from), "the lines' era %s", era);
	} else {
		x->m.kernel = (struct kver){ 6, 8, 0 };
		snprintf(x->rules_from, sizeof(x->rules_from), "unknown (no release, no era): "
			 "today's rules assumed");
	}
	x->m.era = badness_era_of(&x->m.kernel);
	x->modelled = x->m.era != BADNESS_NONE;
}

/*
 * With no Mem-Info (a memcg's report), the machine's swap is not printed: what the memcg
 * had in swap at the OOM stands in for it (a memcg at its limit swaps what it can first).
 */
static long long memcg_swap_used_kb(const struct oom_event *ev)
{
	if (ev->swap.seen)
		return ev->swap.usage_kb;
	if (ev->memsw.seen && ev->mem.seen && ev->memsw.usage_kb > ev->mem.usage_kb)
		return ev->memsw.usage_kb - ev->mem.usage_kb;
	return 0;
}

/*
 * The domain: a memcg's limit and the swap it may use, or the machine's managed RAM
 * (pages RAM less pages reserved: totalram_pages) and swap, as the report printed them.
 */
static void domain_of(const struct oom_event *ev, struct explanation *x)
{
	struct model_env *m = &x->m;
	long long ram = ev->ram_pages;
	char *d = x->domain_from;
	size_t dl = sizeof(x->domain_from);

	if (ram >= 0 && ev->reserved_pages > 0 && ev->reserved_pages < ram)
		ram -= ev->reserved_pages;
	m->page_kb = REPORT_PAGE_KB;
	m->swappiness = 60;
	m->mem_total_kb = ram >= 0 ? ram * REPORT_PAGE_KB : -1;
	x->memcg = model_event_is_memcg(ev);
	x->swap_used_kb = x->memcg ? memcg_swap_used_kb(ev) : ev->total_swap_kb > 0 && ev->free_swap_kb >= 0 ?
			  ev->total_swap_kb - ev->free_swap_kb : 0;
	m->swap_total_kb = ev->total_swap_kb >= 0 ? ev->total_swap_kb : x->swap_used_kb;
	m->machine_pages = ram >= 0 ? ram + (ev->total_swap_kb > 0 ? ev->total_swap_kb / REPORT_PAGE_KB : 0) : -1;
	x->totalpages = model_event_pages(m, ev);
	if (!x->memcg && ram >= 0)
		snprintf(d, dl, "Mem-Info: %lld pages RAM - %lld reserved + %lld kB swap", ev->ram_pages,
			 ev->reserved_pages > 0 ? ev->reserved_pages : 0, ev->total_swap_kb > 0 ? ev->total_swap_kb : 0);
	else if (!x->memcg)
		snprintf(d, dl, "not in the report (no Mem-Info)");
	else if (ev->mem.seen)
		snprintf(d, dl, "memory: limit %lld kB%s%s", ev->mem.limit_kb,
			 ev->swap.seen ? " + swap: limit" : ev->memsw.seen ? " + memory+swap: limit - memory" : "",
			 !ev->swap.seen && !ev->memsw.seen ? "" : ev->total_swap_kb >= 0 ?
			 ", at most the machine's swap" : ", at most the swap it used, the machine's not printed");
	else
		snprintf(d, dl, "not in the report (no memory: usage line)");
}

/* 2.6.35 and before: total_vm shifted by oom_adj; CPU time, age and children are not in the table. */
static int rank_by_total_vm(const struct oom_event *ev, struct explanation *x)
{
	size_t i, j;

	x->rows = calloc(ev->ntasks ? ev->ntasks : 1, sizeof(*x->rows));
	if (!x->rows)
		return -1;
	for (i = 0; i < ev->ntasks; i++) {
		const struct oom_task *t = &ev->tasks[i];
		struct rank_row r = { .task = t, .index = i, .rss = t->rss, .swap = 0, .pgtables = 0 };
		long adj = t->has_oom_adj ? t->oom_adj : 0;

		r.points = t->total_vm >= 0 ? t->total_vm : t->rss;
		if (adj <= -17)
			r.points = BADNESS_UNKILLABLE;
		else if (adj > 0)
			r.points <<= adj;
		else if (adj < 0)
			r.points >>= -adj;
		for (j = x->nrows; j > 0 && r.points != BADNESS_UNKILLABLE &&
				   (x->rows[j - 1].points == BADNESS_UNKILLABLE || x->rows[j - 1].points < r.points); j--)
			x->rows[j] = x->rows[j - 1];
		x->rows[j] = r;
		x->nrows++;
	}
	return 0;
}

static int rank_table(const struct oom_event *ev, struct explanation *x)
{
	long long pages = x->totalpages;
	size_t i;

	if (!ev->ntasks)
		return 0;
	if (!x->modelled)
		return rank_by_total_vm(ev, x);
	if (pages < 1) {
		/* The domain is not in the report: at least what the table holds. */
		for (i = 0, pages = 0; i < ev->ntasks; i++)
			pages += ev->tasks[i].rss > 0 ? ev->tasks[i].rss : 0;
		snprintf(x->domain_from + strlen(x->domain_from),
			 sizeof(x->domain_from) - strlen(x->domain_from),
			 "; taken as the table's rss, %lld pages, for the adj term", pages);
		x->totalpages = -1;
	}
	x->m.domain_pages = pages;
	x->rows = rank_rows(&x->m, ev, NULL, pages, &x->nrows);
	return x->rows ? 0 : -1;
}

static const struct rank_row *row_of(const struct explanation *x, long pid, int *rank)
{
	size_t i;

	for (i = 0; i < x->nrows; i++) {
		if (oom_task_is(x->rows[i].task, pid)) {
			if (rank)
				*rank = (int)i + 1;
			return &x->rows[i];
		}
	}
	return NULL;
}

/*
 * The highest oom_score_adj that would have put the victim below the next candidate,
 * tried with the formula itself; the next candidate is the one then chosen.
 */
static void spare_adj(const struct oom_event *ev, struct explanation *x)
{
	const struct rank_row *v = &x->rows[0], *next = NULL;
	long long pages = x->m.domain_pages;
	struct badness_in in = { 0 };
	size_t i;
	long adj;

	(void)ev;
	/* (a task sharing its mm is killed with it: choosing one does not spare it) */
	for (i = 1; i < x->nrows && !next; i++)
		if (x->rows[i].points != BADNESS_UNKILLABLE && !rank_same_mm(v->task, x->rows[i].task))
			next = &x->rows[i];
	x->next = next;
	if (!next) {
		/* nobody else can be chosen: only never choosing it spares it */
		x->spare = true;
		x->spare_adj = -1000;
		return;
	}
	rank_row_input(v->task, x->m.page_kb, &in);
	for (adj = in.adj - 1; adj >= -1000 && x->modelled; adj--) {
		long long p;

		in.adj = adj;
		p = badness(x->m.era, &x->m.kernel, &in, pages);
		/* ties: the row the kernel takes among equals (the later from 5.3) */
		if (p < next->points ||
		    (p == next->points && (badness_later_wins_ties(&x->m.kernel) ? next->index > v->index
										   : next->index < v->index))) {
			x->spare = true;
			x->spare_adj = adj;
			return;
		}
	}
}

/* Rows that look like tasks sharing the victim's mm. */
static void count_mm_sharers(struct explanation *x)
{
	const struct rank_row *v = row_of(x, x->victim_pid, NULL);
	size_t i;

	for (i = 0; v && i < x->nrows; i++)
		x->mm_sharers += rank_same_mm(v->task, x->rows[i].task);
}

static void verdict_of(const struct oom_event *ev, struct explanation *x)
{
	const struct oom_kill *k = &ev->kills[0];
	const struct rank_row *vrow = row_of(x, k->pid, &x->victim_rank);
	const struct rank_row *top = x->nrows && x->rows[0].points != BADNESS_UNKILLABLE ? &x->rows[0] : NULL;
	char *w = x->why;
	size_t wl = sizeof(x->why);

	if (strstr(k->reason, "oom_kill_allocating_task") || strstr(ev->selected_reason, "oom_kill_allocating_task")) {
		x->verdict = VERDICT_ALLOCATING;
		snprintf(w, wl, "vm.oom_kill_allocating_task is set: the kernel killed the task that was "
			 "allocating, %s, without scoring any", k->comm);
	} else if (ev->origin_stack && (k->pid == ev->trigger_pid || (vrow && oom_task_is(vrow->task, ev->trigger_pid)))) {
		x->verdict = VERDICT_ORIGIN;
		snprintf(w, wl, "%s was in swapoff (or KSM's unmerge), an OOM origin: the kernel takes it "
			 "before scoring any task", k->comm);
	} else if (ev->selected.seen && ev->selected.pid != k->pid) {
		int srank = 0;

		row_of(x, ev->selected.pid, &srank);
		x->verdict = VERDICT_CHILD;
		char place[48] = "";

		if (srank)
			snprintf(place, sizeof(place), ", %d%s by badness", srank, ordinal_suffix(srank));
		snprintf(w, wl, "the kernel chose %s (pid %ld%s) and, as kernels up to 5.0 do, killed "
			 "its child %s (pid %ld) instead: the child with the most memory of its own",
			 ev->selected.comm, ev->selected.pid, place, k->comm, k->pid);
	} else if (!x->nrows) {
		x->verdict = VERDICT_NO_TABLE;
		snprintf(w, wl, "the report has no task table (vm.oom_dump_tasks=0, a rate-limited header, "
			 "or a cut paste): nothing to rank");
	} else if (!vrow) {
		x->verdict = VERDICT_NOT_IN_TABLE;
		snprintf(w, wl, "pid %ld has no row among the table's %zu: the paste may have cut the "
			 "table, or its row is another thread's", k->pid, x->nrows);
	} else if (top && (vrow == top || (vrow->points == top->points && x->ties))) {
		x->verdict = VERDICT_TOP;
		x->victim_rank = 1; /* first among equals */
		snprintf(w, wl, "%s was the top candidate by badness%s", k->comm, !x->ties ? "" :
			 badness_later_wins_ties(&x->m.kernel) ? " (tied with others: this kernel, 5.3+, "
			 "takes the last of them in the table)" : " (tied with others: this kernel, before "
			 "5.3, takes the first of them in the table)");
	} else {
		x->verdict = VERDICT_NOT_TOP;
		snprintf(w, wl, "by the table's numbers %s (pid %ld, %lld points) ranked above %s (%lld "
			 "points): the sizes may have moved between the table and the kill%s", top ? top->task->name : "?",
			 top ? top->task->pid : -1L, top ? top->points : 0LL, k->comm, vrow->points,
			 x->modelled ? "" : ", and before 2.6.36 CPU time, age and children counted too");
	}
}

/*
 * The score 2.6.36-5.0 print on the "Kill process" line, beside the formula's from the
 * table: in thousandths of the domain (2.6.36-3.4 compute them so; 3.5+ print
 * points * 1000 / totalpages).
 */
static void score_check(const struct oom_event *ev, struct explanation *x)
{
	const struct rank_row *r;

	if (!ev->selected.seen || ev->selected_score < 0 || !x->modelled)
		return;
	x->score_known = true;
	x->printed_score = ev->selected_score;
	x->formula_score = -1;
	r = row_of(x, ev->selected.pid, NULL);
	if (!r || r->points == BADNESS_UNKILLABLE)
		return;
	if (x->m.era == BADNESS_2_6_36)
		x->formula_score = (long)r->points;
	else if (x->m.domain_pages > 0)
		x->formula_score = (long)(r->points * 1000 / x->m.domain_pages);
}

/* The score 3.5-5.0 print for a row whose points are p, in a domain of pages. */
static long printed_for(long long p, long long pages)
{
	return pages > 0 ? (long)(p * 1000 / pages) : -1;
}

/*
 * A memcg report without Mem-Info does not say whether the machine has the swap its
 * memory+swap (or swap:) limit allows. When the kernel printed the chosen one's score
 * (3.5-5.0), the domain with that swap is taken if the score fits it and not the other.
 */
static int domain_by_score(const struct oom_event *ev, struct explanation *x)
{
	long long allowance, with, without;
	const struct rank_row *r;
	struct badness_in in = { 0 };

	if (!x->memcg || ev->total_swap_kb >= 0 || !ev->selected.seen || ev->selected_score < 0 ||
	    x->m.era != BADNESS_3_5 || !ev->mem.seen || !(r = row_of(x, ev->selected.pid, NULL)))
		return 0;
	allowance = ev->swap.seen ? ev->swap.limit_kb : ev->memsw.seen ? ev->memsw.limit_kb - ev->mem.limit_kb : 0;
	if (allowance <= 0 || allowance >= (1LL << 40))
		return 0;
	without = ev->mem.limit_kb / REPORT_PAGE_KB;
	with = without + allowance / REPORT_PAGE_KB;
	rank_row_input(r->task, REPORT_PAGE_KB, &in);
	if (printed_for(badness(x->m.era, &x->m.kernel, &in, with), with) != ev->selected_score ||
	    printed_for(badness(x->m.era, &x->m.kernel, &in, without), without) == ev->selected_score ||
	    x->totalpages == with)
		return 0;
	x->totalpages = with;
	snprintf(x->domain_from + strlen(x->domain_from), sizeof(x->domain_from) - strlen(x->domain_from),
		 "; the printed score %ld fits the whole allowance: swap counted", ev->selected_score);
	explain_free(x);
	return rank_table(ev, x);
}

/*
 * The victim not first by the table, but the kernel printed its score (2.6.36-5.0), and
 * the score is more than the table gives: memory the table does not show (swap entries
 * before 3.6's swapents column, page tables). Counted, is it the top candidate?
 */
static void hidden_memory(const struct oom_event *ev, struct explanation *x)
{
	const struct rank_row *v = row_of(x, ev->kills[0].pid, NULL), *top = &x->rows[0];
	long long pages = x->m.domain_pages, hidden, with;

	if (x->verdict != VERDICT_NOT_TOP || !x->score_known || x->formula_score < 0 || !v ||
	    ev->selected.pid != ev->kills[0].pid || x->printed_score <= x->formula_score + 1 || pages <= 0)
		return;
	hidden = (x->printed_score - x->formula_score) * pages / 1000;
	with = x->m.era == BADNESS_2_6_36 ? x->printed_score : v->points + hidden;
	if (with <= top->points)
		return;
	x->verdict = VERDICT_HIDDEN;
	x->hidden_pages = hidden;
	snprintf(x->why, sizeof(x->why), "by the table %s is %d%s, but the kernel printed score %ld for "
		 "it where the table gives %ld: about %lld pages (%lld MiB) the table does not show "
		 "(swap entries: no swapents column before 3.6; page tables) made it the top candidate",
		 v->task->name, x->victim_rank, ordinal_suffix(x->victim_rank), x->printed_score,
		 x->formula_score, hidden, hidden * REPORT_PAGE_KB / 1024);
}

int explain_event(const struct oom_event *ev, struct explanation *x)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->victim_pid = -1;
	rules_of(ev, x);
	domain_of(ev, x);
	if (rank_table(ev, x) || domain_by_score(ev, x))
		return -1;
	for (i = 0; i < x->nrows; i++)
		x->eligible += x->rows[i].points != BADNESS_UNKILLABLE;
	x->ties = x->nrows ? rank_ties(x->rows, x->nrows) : 0;
	if (!ev->nkills) {
		x->verdict = VERDICT_NO_KILL;
		snprintf(x->why, sizeof(x->why), "%s", ev->panic[0] ? "the kernel panicked instead of killing"
			 : ev->no_killable ? "no process could be killed"
			 : ev->exiting.seen ? "the victim was already exiting: nothing more was killed"
			 : "the report logs no kill (cut, or rate-limited)");
		return 0;
	}
	x->victim_pid = ev->kills[0].pid;
	snprintf(x->victim_comm, sizeof(x->victim_comm), "%s", ev->kills[0].comm);
	verdict_of(ev, x);
	count_mm_sharers(x);
	score_check(ev, x);
	hidden_memory(ev, x);
	if (x->verdict == VERDICT_TOP && x->victim_rank == 1)
		spare_adj(ev, x);
	return 0;
}

void explain_free(struct explanation *x)
{
	free(x->rows);
	x->rows = NULL;
	x->nrows = 0;
}
