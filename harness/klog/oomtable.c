// SPDX-License-Identifier: GPL-2.0
/* The task table: its header in every era (the columns it names) and its rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fixedtext.h"
#include "klog/oomparser.h"
#include "shared/arrays.h"

#define V(a, b, c) kver_code(a, b, c)

static enum oom_col col_named(const char *w, size_t n)
{
	static const struct { const char *name; enum oom_col col; } names[] = {
		{ "pid", C_PID }, { "uid", C_UID }, { "tgid", C_TGID }, { "total_vm", C_TOTAL_VM },
		{ "rss", C_RSS }, { "rss_anon", C_RSS_ANON }, { "rss_file", C_RSS_FILE },
		{ "rss_shmem", C_RSS_SHMEM }, { "pgtables_bytes", C_PGTABLES }, { "nr_ptes", C_NR_PTES },
		{ "nr_pmds", C_NR_PMDS }, { "swapents", C_SWAPENTS }, { "cpu", C_CPU },
		{ "oom_adj", C_OOM_ADJ }, { "oom_score_adj", C_ADJ },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i].name) == n && !strncmp(names[i].name, w, n))
			return names[i].col;
	return C_UNKNOWN;
}

static bool has_col(const struct oom_parser *p, enum oom_col c)
{
	int i;

	for (i = 0; i < p->ncols; i++)
		if (p->cols[i] == c)
			return true;
	return false;
}

/* "Tasks state (memory values in pages):" and "[ pid ]   uid  tgid total_vm ... name" */
static int table_header(struct oom_parser *p, const char *t, long src)
{
	bool state = fixed_after(t, "Tasks state (memory values in pages)") != NULL;
	const char *s = strchr(t, ']');

	if (!state && (t[0] != '[' || !s || !strstr(t, "pid") || !strstr(s, " name") || !strstr(s, "rss")))
		return 0;
	if (p->phase == PH_SELECTED)
		return 0;
	/* A table opens a report cut before it; a second one in a report does too. */
	if ((!p->cur || p->phase != PH_HEADER || p->ncols || (state && p->cur->ntasks)) &&
	    !oom_open(p, src))
		return -1;
	if (state) {
		oom_era_hint(p->cur, V(4, 19, 0), 0);
		return 1;
	}
	p->ncols = 0;
	p->cols[p->ncols++] = C_PID;
	for (s = oom_skip_ws(s + 1); *s; s = oom_skip_ws(s)) {
		size_t n = strcspn(s, " \t");

		if (n == 4 && !strncmp(s, "name", 4))
			break;
		if (p->ncols == OOM_MAX_COLS)
			return 0;
		p->cols[p->ncols++] = col_named(s, n);
		s += n;
	}
	p->in_meminfo = false;
	if (has_col(p, C_RSS_ANON))
		oom_era_hint(p->cur, V(6, 8, 0), 0);
	else if (has_col(p, C_PGTABLES))
		oom_era_hint(p->cur, V(4, 15, 0), V(6, 7, 999));
	else if (has_col(p, C_NR_PMDS))
		oom_era_hint(p->cur, V(4, 0, 0), V(4, 14, 999));
	else if (has_col(p, C_NR_PTES))
		oom_era_hint(p->cur, V(3, 6, 0), V(3, 19, 999));
	else if (has_col(p, C_CPU) && has_col(p, C_ADJ))
		oom_era_hint(p->cur, V(2, 6, 36), V(3, 5, 999));
	else if (has_col(p, C_CPU))
		oom_era_hint(p->cur, V(2, 6, 25), V(2, 6, 35));
	return 1;
}

static void set_col(struct oom_task *task, enum oom_col c, long long v)
{
	switch (c) {
	case C_PID: task->pid = (long)v; break;
	case C_UID: task->uid = (long)v; break;
	case C_TGID: task->tgid = (long)v; break;
	case C_TOTAL_VM: task->total_vm = v; break;
	case C_RSS: task->rss = v; break;
	case C_RSS_ANON: task->rss_anon = v; break;
	case C_RSS_FILE: task->rss_file = v; break;
	case C_RSS_SHMEM: task->rss_shmem = v; break;
	case C_PGTABLES: task->pgtables_bytes = v; break;
	case C_NR_PTES: task->nr_ptes = v; break;
	case C_NR_PMDS: task->nr_pmds = v; break;
	case C_SWAPENTS: task->swapents = v; break;
	case C_CPU: task->cpu = (long)v; break;
	case C_OOM_ADJ: task->oom_adj = (long)v; task->has_oom_adj = true; break;
	case C_ADJ: task->oom_score_adj = (long)v; task->has_oom_score_adj = true; break;
	case C_UNKNOWN: break;
	}
}

static void task_unknown(struct oom_task *task)
{
	memset(task, 0, sizeof(*task));
	task->uid = task->tgid = task->cpu = -1;
	task->total_vm = task->rss = task->rss_anon = task->rss_file = task->rss_shmem = -1;
	task->pgtables_bytes = task->nr_ptes = task->nr_pmds = task->swapents = -1;
}

static int add_task(struct oom_event *ev, const struct oom_task *task)
{
	struct oom_task *grown = realloc(ev->tasks, (ev->ntasks + 1) * sizeof(*ev->tasks));

	if (!grown)
		return -1;
	ev->tasks = grown;
	ev->tasks[ev->ntasks++] = *task;
	return 1;
}

/* "[   4190]     0  4190     8843 ... 0 eat" under a header */
static int table_row(struct oom_parser *p, const char *t, long src)
{
	struct oom_task task;
	const char *s;
	int i;

	(void)src;
	if (!p->cur || p->phase != PH_HEADER || !p->ncols || t[0] != '[')
		return 0;
	task_unknown(&task);
	s = oom_skip_ws(t + 1);
	for (i = 0; i < p->ncols; i++) {
		long long v;
		const char *end;

		if (!oom_number(s, &v, &end))
			return 0;
		s = end;
		if (i == 0) {
			if (*s != ']')
				return 0;
			s++;
		}
		set_col(&task, p->cols[i], v);
		s = oom_skip_ws(s);
	}
	oom_copy(task.name, sizeof(task.name), s, strlen(s));
	return add_task(p->cur, &task);
}

/*
 * The columns of a row with no header, by how many numbers it has; 8 numbers are
 * "cpu oom_adj" (2.6.36-3.5), "nr_ptes swapents" (3.6-3.19) or "pgtables_bytes
 * swapents" (4.15-6.7) in the 6th and 7th place: those stay unknown.
 */
static bool bare_columns(int n, enum oom_col *cols, unsigned long *lo, unsigned long *hi)
{
	const struct { int n; enum oom_col tail[6]; unsigned long lo, hi; } shapes[] = {
		{ 7, { C_CPU, C_OOM_ADJ }, V(2, 6, 25), V(2, 6, 35) },
		{ 8, { C_UNKNOWN, C_UNKNOWN, C_ADJ }, V(2, 6, 36), V(6, 7, 999) },
		{ 9, { C_NR_PTES, C_NR_PMDS, C_SWAPENTS, C_ADJ }, V(4, 0, 0), V(4, 14, 999) },
		{ 11, { C_RSS_ANON, C_RSS_FILE, C_RSS_SHMEM, C_PGTABLES, C_SWAPENTS, C_ADJ }, V(6, 8, 0), 0 },
	};
	static const enum oom_col head[] = { C_PID, C_UID, C_TGID, C_TOTAL_VM, C_RSS };
	size_t i;
	int k;

	for (i = 0; i < ARRAY_SIZE(shapes) && shapes[i].n != n; i++)
		;
	if (i == ARRAY_SIZE(shapes))
		return false;
	for (k = 0; k < n; k++)
		cols[k] = k < 5 ? head[k] : shapes[i].tail[k - 5];
	*lo = shapes[i].lo;
	*hi = shapes[i].hi;
	return true;
}

/* "[ 4190]     0  4190     8843 ... 0 eat" with no header before it (a paste of rows). */
static int bare_row(struct oom_parser *p, const char *t, long src)
{
	enum oom_col cols[OOM_MAX_COLS];
	long long v[OOM_MAX_COLS];
	unsigned long lo, hi;
	struct oom_task task;
	const char *s, *end;
	int n = 0, k;

	if (t[0] != '[' || p->phase == PH_SELECTED || (p->cur && p->phase == PH_HEADER && p->ncols))
		return 0;
	s = oom_skip_ws(t + 1);
	while (n < OOM_MAX_COLS && oom_number(s, &v[n], &end) && (*end == ' ' || *end == '\t' ||
							       (n == 0 && *end == ']'))) {
		if (n++ == 0 && *end++ != ']')
			return 0;
		s = oom_skip_ws(end);
	}
	if (!*s || !bare_columns(n, cols, &lo, &hi))
		return 0;
	if (n == 8 && (v[5] <= 0 || v[5] % 4096))
		hi = V(3, 19, 999); /* the 6th is no pgtables_bytes */
	if ((!p->cur || p->phase != PH_HEADER) && !oom_open(p, src))
		return -1;
	task_unknown(&task);
	for (k = 0; k < n; k++)
		set_col(&task, cols[k], v[k]);
	oom_copy(task.name, sizeof(task.name), s, strlen(s));
	oom_era_hint(p->cur, lo, hi);
	return add_task(p->cur, &task);
}

bool oom_table_line(const char *t, size_t len)
{
	const char *end = t + len, *p;

	while (t < end && (*t == ' ' || *t == '\t'))
		t++;
	if (t == end || *t != '[')
		return false;
	for (p = t + 1; p < end && *p == ' '; p++)
		;
	if (p < end && *p >= '0' && *p <= '9')
		return true; /* a row "[  4190]" */
	return memmem(t, (size_t)(end - t), "pid", 3) != NULL; /* the header "[ pid ]" */
}

int oom_table_lines(struct oom_parser *p, const char *t, long src)
{
	static oom_step *const steps[] = { table_header, table_row, bare_row };

	return oom_try(steps, ARRAY_SIZE(steps), p, t, src);
}
