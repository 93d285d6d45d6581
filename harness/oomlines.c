// SPDX-License-Identifier: GPL-2.0
/*
 * One recognizer per line shape of an OOM report, for every era. Each takes a line
 * (no prefix, leading blanks gone) and returns 1 when it took it, 0 when the line is
 * not its shape, -1 when out of memory. Formats: docs/kernel-log-formats.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomparser.h"

#define V(a, b, c) kver_code(a, b, c)

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copy at most len-1 bytes of [s, s+n). */
static void copy(char *dst, size_t len, const char *s, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A whole (optionally signed) decimal number at s; false when there is none. */
static bool number(const char *s, long long *out, const char **end)
{
	char *e;
	long long v = strtoll(s, &e, 10);

	if (e == s || (!isdigit((unsigned char)*s) && *s != '-'))
		return false;
	*out = v;
	if (end)
		*end = e;
	return true;
}

/* "key:NNNkB" after s; -1 when absent. */
static long long kb_field(const char *s, const char *key)
{
	const char *p = strstr(s, key);
	long long v;

	if (!p || !number(p + strlen(key), &v, NULL))
		return -1;
	return v;
}

/* The value of "key=" in s, up to the earliest of the stop strings or the end. */
static bool field(const char *s, const char *key, const char *const *stops, char *out, size_t len)
{
	const char *v = strstr(s, key), *end = NULL;
	size_t i;

	if (!v)
		return false;
	v += strlen(key);
	for (i = 0; stops[i]; i++) {
		const char *k = strstr(v, stops[i]);

		if (k && (!end || k < end))
			end = k;
	}
	if (!end)
		end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == ','))
		end--;
	copy(out, len, v, (size_t)(end - v));
	return true;
}

/* "NUM (COMM)" where COMM may hold anything: it ends at the ")" before tail, or the last ")". */
static bool pid_and_comm(const char *s, const char *tail, long *pid, char *comm, size_t len,
			 const char **after)
{
	const char *open, *close = NULL, *p;
	long long v;

	if (!number(s, &v, &open) || open[0] != ' ' || open[1] != '(')
		return false;
	open += 2;
	if (tail)
		close = strstr(open, tail);
	if (!close) {
		for (p = open; (p = strchr(p, ')')); p++)
			close = p;
	}
	if (!close)
		return false;
	*pid = (long)v;
	copy(comm, len, open, (size_t)(close - open));
	if (after)
		*after = close + 1;
	return true;
}

/* "COMM invoked oom-killer: gfp_mask=..., [nodemask=...,] order=N, oom_score_adj=N" */
static int trigger(struct oom_parser *p, const char *t, long src)
{
	/* 4.10-4.14 print two blanks before order= */
	static const char *const stops[] = { ", nodemask=", ", order=", ",  order=", ", oomkilladj=",
					     ", oom_adj=", ", oom_score_adj=", NULL };
	const char *mark = strstr(t, " invoked oom-killer: ");
	struct oom_event *ev;
	char value[160];
	long long v;

	if (!mark)
		return 0;
	ev = oom_open(p, src);
	if (!ev)
		return -1;
	ev->has_trigger = true;
	copy(ev->trigger_comm, sizeof(ev->trigger_comm), t, (size_t)(mark - t));
	mark += 21;
	field(mark, "gfp_mask=", stops, ev->gfp_mask, sizeof(ev->gfp_mask));
	if (field(mark, "nodemask=", stops, ev->trigger_nodemask, sizeof(ev->trigger_nodemask)))
		oom_era_hint(ev, V(4, 9, 0), V(4, 19, 999));
	if (field(mark, "order=", stops, value, sizeof(value)) && number(value, &v, NULL))
		ev->order = (int)v;
	if (field(mark, "oomkilladj=", stops, value, sizeof(value)) && number(value, &v, NULL)) {
		ev->has_trigger_oomkilladj = true;
		ev->trigger_oomkilladj = (long)v;
		oom_era_hint(ev, 0, V(2, 6, 31));
	}
	if (field(mark, "oom_adj=", stops, value, sizeof(value)) && number(value, &v, NULL)) {
		ev->has_trigger_oom_adj = true;
		ev->trigger_oom_adj = (long)v;
	}
	if (field(mark, "oom_score_adj=", stops, value, sizeof(value)) && number(value, &v, NULL)) {
		ev->has_trigger_adj = true;
		ev->trigger_adj = (long)v;
	}
	if (ev->has_trigger_oom_adj)
		oom_era_hint(ev, V(2, 6, 32), ev->has_trigger_adj ? V(3, 6, 999) : V(2, 6, 35));
	else if (ev->has_trigger_adj && strchr(ev->gfp_mask, '('))
		oom_era_hint(ev, V(4, 5, 0), 0);
	else if (ev->has_trigger_adj)
		oom_era_hint(ev, V(3, 7, 0), V(4, 4, 999));
	return 1;
}

/* The release after "Not tainted " or "Tainted: FLAGS " */
static void release_of(const char *t, char *out, size_t len)
{
	const char *r = strstr(t, "Not tainted ");

	if (r) {
		r += 12;
	} else if ((r = strstr(t, "Tainted: "))) {
		for (r += 9; *r && !isdigit((unsigned char)*r); r++)
			;
	}
	if (r && isdigit((unsigned char)*r))
		copy(out, len, r, strcspn(r, " "));
}

/* "CPU: 1 UID: 0 PID: 4190 Comm: eat Not tainted 6.18.44 #1" or "Pid: 23212, comm: x Not tainted 2.6.32" */
static int cpu_line(struct oom_parser *p, const char *t, long src)
{
	const char *pid;
	long long v;

	(void)src;
	if (!p->cur || p->phase != PH_HEADER || p->cur->trigger_pid >= 0)
		return 0;
	if (!strncmp(t, "CPU: ", 5) && (pid = strstr(t, " PID: ")) && number(pid + 6, &v, NULL))
		;
	else if (!strncmp(t, "Pid: ", 5) && number(t + 5, &v, NULL))
		;
	else
		return 0;
	p->cur->trigger_pid = (long)v;
	release_of(t, p->cur->release, sizeof(p->cur->release));
	return 1;
}

/* "COMM cpuset=NAME mems_allowed=LIST" (≤4.19, right after the trigger) */
static int cpuset_line(struct oom_parser *p, const char *t, long src)
{
	const char *mems = strstr(t, " mems_allowed="), *cpuset = strstr(t, " cpuset=");

	(void)src;
	if (!p->cur || p->phase != PH_HEADER || !mems || !cpuset || cpuset > mems ||
	    !strncmp(t, "oom-kill:", 9))
		return 0;
	copy(p->cur->cpuset, sizeof(p->cur->cpuset), cpuset + 8, (size_t)(mems - cpuset - 8));
	copy(p->cur->mems_allowed, sizeof(p->cur->mems_allowed), mems + 14, strlen(mems + 14));
	oom_era_hint(p->cur, 0, V(4, 19, 999));
	return 1;
}

/* "memory: usage NkB, limit NkB, failcnt N" and memory+swap:, kmem:, swap: */
static int usage_line(struct oom_parser *p, const char *t, long src)
{
	static const struct { const char *prefix; size_t off; } kinds[] = {
		{ "memory: usage ", offsetof(struct oom_event, mem) },
		{ "memory+swap: usage ", offsetof(struct oom_event, memsw) },
		{ "kmem: usage ", offsetof(struct oom_event, kmem) },
		{ "swap: usage ", offsetof(struct oom_event, swap) },
	};
	long long usage, limit, failcnt;
	struct oom_usage *u;
	size_t i, n;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i].prefix);
		if (strncmp(t, kinds[i].prefix, n) ||
		    sscanf(t + n, "%lldkB, limit %lldkB, failcnt %lld", &usage, &limit, &failcnt) != 3)
			continue;
		/* memory: usage opens a report whose header is missing (a partial paste). */
		if (i == 0 && !oom_current(p, src))
			return -1;
		if (!p->cur || p->phase == PH_NONE)
			return 0;
		u = (struct oom_usage *)((char *)p->cur + kinds[i].off);
		*u = (struct oom_usage){ .seen = true, .usage_kb = usage, .limit_kb = limit,
					 .failcnt = failcnt };
		return 1;
	}
	return 0;
}

/* "Task in X killed as a result of limit of Y" (≤4.19), "Memory limit reached of cgroup X" */
static int memcg_lines(struct oom_parser *p, const char *t, long src)
{
	const char *of = strstr(t, " killed as a result of limit of ");
	struct oom_event *ev;

	if (!strncmp(t, "Task in ", 8) && of) {
		ev = oom_current(p, src);
		if (!ev)
			return -1;
		copy(ev->task_in, sizeof(ev->task_in), t + 8, (size_t)(of - t - 8));
		copy(ev->limit_of, sizeof(ev->limit_of), of + 32, strlen(of + 32));
		oom_era_hint(ev, 0, V(4, 19, 999));
		return 1;
	}
	if (!strncmp(t, "Memory limit reached of cgroup ", 31) && p->cur && p->phase != PH_NONE) {
		copy(p->cur->limit_of, sizeof(p->cur->limit_of), t + 31, strlen(t + 31));
		oom_era_hint(p->cur, 0, V(4, 19, 999));
		return 1;
	}
	if (!strncmp(t, "Memory cgroup stats for ", 24) && p->cur && p->phase == PH_HEADER) {
		if (!p->cur->stats_for[0])
			copy(p->cur->stats_for, sizeof(p->cur->stats_for), t + 24,
			     strlen(t + 24) - (t[strlen(t) - 1] == ':'));
		return 1;
	}
	return 0;
}

/* Mem-Info: and the few numbers worth keeping from it. */
static int meminfo_lines(struct oom_parser *p, const char *t, long src)
{
	struct oom_event *ev = p->cur;
	const char *f;
	long long v;

	(void)src;
	if (!ev || p->phase != PH_HEADER)
		return 0;
	if (!strncmp(t, "Mem-Info:", 9)) {
		ev->has_meminfo = true;
		p->in_meminfo = true;
		return 1;
	}
	if (!p->in_meminfo)
		return 0;
	/* " free:12345 slab_reclaimable:..." (the global line in pages; zones say "free:NkB") */
	f = strstr(t, "free:");
	if (f && (f == t || f[-1] == ' ') && number(f + 5, &v, &f) && (*f == ' ' || !*f) &&
	    ev->free_pages < 0) {
		ev->free_pages = v;
		return 1;
	}
	if (sscanf(t, "Free swap = %lldkB", &v) == 1 || sscanf(t, "Free swap  = %lldkB", &v) == 1) {
		ev->free_swap_kb = v;
		return 1;
	}
	if (sscanf(t, "Total swap = %lldkB", &v) == 1) {
		ev->total_swap_kb = v;
		return 1;
	}
	if (number(t, &v, &f) && !strcmp(f, " pages RAM")) {
		ev->ram_pages = v;
		return 1;
	}
	return 0;
}

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

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
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
	const char *s;

	(void)src;
	if (!p->cur || p->phase != PH_HEADER)
		return 0;
	if (!strncmp(t, "Tasks state (memory values in pages)", 36)) {
		p->cur->tasks_state_line = true;
		oom_era_hint(p->cur, V(4, 19, 0), 0);
		return 1;
	}
	if (t[0] != '[' || !(s = strchr(t, ']')) || !strstr(t, "pid") || !strstr(s, " name") ||
	    !strstr(s, "rss"))
		return 0;
	p->ncols = 0;
	p->cols[p->ncols++] = C_PID;
	for (s = skip_ws(s + 1); *s; s = skip_ws(s)) {
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
		oom_era_hint(p->cur, V(2, 6, 32), V(2, 6, 35));
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

/* "[   4190]     0  4190     8843 ... 0 eat" under a header */
static int table_row(struct oom_parser *p, const char *t, long src)
{
	struct oom_event *ev = p->cur;
	struct oom_task task, *grown;
	const char *s;
	int i;

	(void)src;
	if (!ev || p->phase != PH_HEADER || !p->ncols || t[0] != '[')
		return 0;
	memset(&task, 0, sizeof(task));
	task.uid = task.tgid = task.cpu = -1;
	task.total_vm = task.rss = task.rss_anon = task.rss_file = task.rss_shmem = -1;
	task.pgtables_bytes = task.nr_ptes = task.nr_pmds = task.swapents = -1;
	s = skip_ws(t + 1);
	for (i = 0; i < p->ncols; i++) {
		long long v;
		const char *end;

		if (!number(s, &v, &end))
			return 0;
		s = end;
		if (i == 0) {
			if (*s != ']')
				return 0;
			s++;
		}
		set_col(&task, p->cols[i], v);
		s = skip_ws(s);
	}
	copy(task.name, sizeof(task.name), s, strlen(s));
	grown = realloc(ev->tasks, (ev->ntasks + 1) * sizeof(*ev->tasks));
	if (!grown)
		return -1;
	ev->tasks = grown;
	ev->tasks[ev->ntasks++] = task;
	return 1;
}

/* "oom-kill:constraint=...,nodemask=...,cpuset=...,mems_allowed=...,oom_memcg=...,task=...,pid=N,uid=N" */
static int summary(struct oom_parser *p, const char *t, long src)
{
	static const char *const after_constraint[] = { ",", NULL };
	static const char *const after_nodemask[] = { ",cpuset=", ",mems_allowed=", ",oom_memcg=",
						       ",global_oom", ",task_memcg=", ",task=", NULL };
	static const char *const after_cpuset[] = { ",mems_allowed=", ",oom_memcg=", ",global_oom",
						     ",task_memcg=", ",task=", NULL };
	static const char *const after_memcg[] = { ",task_memcg=", ",task=", NULL };
	struct oom_event *ev = p->cur;
	const char *task, *last = NULL, *q, *uid;
	long long v;

	if (strncmp(t, "oom-kill:", 9))
		return 0;
	if (!ev || p->phase == PH_NONE || ev->has_summary || ev->nkills) {
		ev = oom_open(p, src);
		if (!ev)
			return -1;
	}
	ev->has_summary = true;
	field(t, "constraint=", after_constraint, ev->constraint, sizeof(ev->constraint));
	field(t, ",nodemask=", after_nodemask, ev->nodemask, sizeof(ev->nodemask));
	if (strstr(t, ",cpuset="))
		field(t, ",cpuset=", after_cpuset, ev->cpuset, sizeof(ev->cpuset));
	if (strstr(t, ",mems_allowed="))
		field(t, ",mems_allowed=", after_cpuset + 1, ev->mems_allowed, sizeof(ev->mems_allowed));
	field(t, ",oom_memcg=", after_memcg, ev->oom_memcg, sizeof(ev->oom_memcg));
	field(t, ",task_memcg=", after_memcg + 1, ev->task_memcg, sizeof(ev->task_memcg));
	ev->global_oom = strstr(t, ",global_oom") != NULL;
	/* task= may hold commas: it ends at the last ",pid=" */
	task = strstr(t, ",task=");
	for (q = task; q && (q = strstr(q + 1, ",pid=")); )
		last = q;
	if (task && last) {
		copy(ev->task_comm, sizeof(ev->task_comm), task + 6, (size_t)(last - task - 6));
		if (number(last + 5, &v, NULL))
			ev->task_pid = (long)v;
		uid = strstr(last, ",uid=");
		if (uid && number(uid + 5, &v, NULL))
			ev->task_uid = (long)v;
	}
	oom_era_hint(ev, V(5, 0, 0), 0);
	p->ncols = 0;
	p->in_meminfo = false;
	return 1;
}

/* "REASON: kill process N (C) score S or a child" / "REASON: Kill process N (C) score S or sacrifice child" */
static int selected(struct oom_parser *p, const char *t, long src)
{
	const char *k = strstr(t, "ill process "), *after, *score;
	struct oom_event *ev;
	struct oom_proc sel = { .seen = true, .line = src };
	long long v = OOM_UNKNOWN;

	if (!k || k == t || (k[-1] != 'K' && k[-1] != 'k') || strstr(k, " sharing same memory") ||
	    !strstr(k, " score ") || (!strstr(k, " or a child") && !strstr(k, " or sacrifice child")))
		return 0;
	if (!pid_and_comm(k + 12, ") score ", &sel.pid, sel.comm, sizeof(sel.comm), &after))
		return 0;
	score = strstr(after, "score ");
	if (score)
		number(score + 6, &v, NULL);
	ev = (p->phase == PH_HEADER && p->cur) ? p->cur : oom_open(p, src);
	if (!ev)
		return -1;
	ev->selected = sel;
	ev->selected_score = (long)v;
	/* "REASON: Kill process": k is at "ill process", k - 1 at the K */
	if (k - 1 - t >= 2 && k[-3] == ':' && k[-2] == ' ')
		copy(ev->selected_reason, sizeof(ev->selected_reason), t, (size_t)(k - 3 - t));
	if (strstr(k, " or a child"))
		oom_era_hint(ev, V(2, 6, 32), V(2, 6, 35));
	else
		oom_era_hint(ev, V(2, 6, 36), V(5, 0, 999));
	p->phase = PH_SELECTED;
	p->ncols = 0;
	return 1;
}

/* "Kill process N (C) sharing same memory" (≤4.7) */
static int sharer(struct oom_parser *p, const char *t, long src)
{
	const char *k = strstr(t, "Kill process ");
	struct oom_proc sh = { .seen = true, .line = src }, *grown;
	struct oom_event *ev = p->cur;

	if (!k || !strstr(k, ") sharing same memory") || !ev || p->phase != PH_KILLED ||
	    !pid_and_comm(k + 13, ") sharing same memory", &sh.pid, sh.comm, sizeof(sh.comm), NULL))
		return 0;
	grown = realloc(ev->sharers, (ev->nsharers + 1) * sizeof(*ev->sharers));
	if (!grown)
		return -1;
	ev->sharers = grown;
	ev->sharers[ev->nsharers++] = sh;
	oom_era_hint(ev, 0, V(4, 7, 999));
	return 1;
}

/*
 * "[REASON: ]Killed process N (C)[ total-vm:NkB, anon-rss:NkB, file-rss:NkB[, shmem-rss:NkB]
 * [, UID:N pgtables:NkB oom_score_adj:N]]", and RHEL 6's "Killed process N, UID N, (C) ..."
 */
static int killed(struct oom_parser *p, const char *t, long src)
{
	const char *k = strstr(t, "Killed process "), *after = NULL, *s, *adj;
	struct oom_event *ev = p->cur;
	struct oom_kill kill, *grown;
	long long v;

	if (!k)
		return 0;
	memset(&kill, 0, sizeof(kill));
	kill.line = src;
	kill.uid = -1;
	s = k + 15;
	if (number(s, &v, &after) && !strncmp(after, ", UID ", 6)) {
		/* RHEL 6: "Killed process 40738, UID 27, (mysqld) total-vm:..." */
		kill.pid = (long)v;
		if (number(after + 6, &v, &after) && !strncmp(after, ", (", 3)) {
			const char *close = strstr(after + 3, ") total-vm:");

			if (!close)
				close = strrchr(after + 3, ')');
			if (!close)
				return 0;
			kill.uid = (long)v;
			copy(kill.comm, sizeof(kill.comm), after + 3, (size_t)(close - after - 3));
			after = close + 1;
		} else {
			return 0;
		}
	} else if (!pid_and_comm(s, ") total-vm:", &kill.pid, kill.comm, sizeof(kill.comm), &after)) {
		return 0;
	}
	if (k - t >= 2 && k[-2] == ':')
		copy(kill.reason, sizeof(kill.reason), t, (size_t)(k - 2 - t));
	kill.total_vm_kb = kb_field(after, "total-vm:");
	kill.anon_rss_kb = kb_field(after, "anon-rss:");
	kill.file_rss_kb = kb_field(after, "file-rss:");
	kill.shmem_rss_kb = kb_field(after, "shmem-rss:");
	kill.pgtables_kb = kb_field(after, "pgtables:");
	if (kill.uid < 0 && (s = strstr(after, "UID:")) && number(s + 4, &v, NULL))
		kill.uid = (long)v;
	adj = strstr(after, "oom_score_adj:");
	if (adj && number(adj + 14, &v, NULL)) {
		kill.oom_score_adj = (long)v;
		kill.has_adj = true;
	}
	/*
	 * The open report takes it before its first kill, or after it as an oom.group
	 * member; otherwise the kill stands alone (its header was rate-limited away).
	 */
	if (!ev || p->phase == PH_NONE || (ev->nkills && !ev->oom_group[0])) {
		ev = oom_open(p, src);
		if (!ev)
			return -1;
	}
	grown = realloc(ev->kills, (ev->nkills + 1) * sizeof(*ev->kills));
	if (!grown)
		return -1;
	ev->kills = grown;
	ev->kills[ev->nkills++] = kill;
	if (kill.total_vm_kb < 0)
		oom_era_hint(ev, V(2, 6, 32), V(2, 6, 35));
	else if (kill.shmem_rss_kb < 0)
		oom_era_hint(ev, V(2, 6, 36), V(4, 4, 999));
	else if (kill.uid < 0)
		oom_era_hint(ev, V(4, 5, 0), V(5, 3, 999));
	else if (kill.pgtables_kb < 0)
		oom_era_hint(ev, V(5, 3, 0), V(5, 9, 999));
	else
		oom_era_hint(ev, V(5, 4, 0), 0);
	if (kill.reason[0] && ev->nkills == 1 && !ev->selected.seen)
		oom_era_hint(ev, V(5, 1, 0), 0); /* the reason moved onto this line in 5.1 */
	p->phase = PH_KILLED;
	p->ncols = 0;
	p->in_meminfo = false;
	return 1;
}

/* "Tasks in X are going to be killed due to memory.oom.group set" (4.19+) */
static int oom_group(struct oom_parser *p, const char *t, long src)
{
	const char *end = strstr(t, " are going to be killed due to memory.oom.group set");

	(void)src;
	if (strncmp(t, "Tasks in ", 9) || !end || !p->cur || p->phase == PH_NONE)
		return 0;
	copy(p->cur->oom_group, sizeof(p->cur->oom_group), t + 9, (size_t)(end - t - 9));
	oom_era_hint(p->cur, V(4, 19, 0), 0);
	return 1;
}

/* "oom killer N (C) has mm pinned by N (C)" (4.8+) */
static int pinned(struct oom_parser *p, const char *t, long src)
{
	const char *by = strstr(t, ") has mm pinned by ");
	struct oom_event *ev = p->cur;

	if (strncmp(t, "oom killer ", 11) || !by || !ev || p->phase == PH_NONE)
		return 0;
	if (!pid_and_comm(t + 11, ") has mm pinned by ", &ev->pinned_victim.pid, ev->pinned_victim.comm,
			  sizeof(ev->pinned_victim.comm), NULL) ||
	    !pid_and_comm(by + 19, NULL, &ev->pinned_by.pid, ev->pinned_by.comm,
			  sizeof(ev->pinned_by.comm), NULL))
		return 0;
	ev->pinned_victim.seen = ev->pinned_by.seen = true;
	ev->pinned_victim.line = ev->pinned_by.line = src;
	oom_era_hint(ev, V(4, 8, 0), 0);
	return 1;
}

/* "REASON: OOM victim N (C) is already exiting. Skip killing the task" */
static int exiting(struct oom_parser *p, const char *t, long src)
{
	const char *v = strstr(t, "OOM victim ");
	struct oom_event *ev;

	if (!v || !strstr(v, ") is already exiting. Skip killing the task"))
		return 0;
	ev = oom_current(p, src);
	if (!ev)
		return -1;
	if (!pid_and_comm(v + 11, ") is already exiting.", &ev->exiting.pid, ev->exiting.comm,
			  sizeof(ev->exiting.comm), NULL))
		return 0;
	ev->exiting.seen = true;
	ev->exiting.line = src;
	p->phase = PH_KILLED;
	return 1;
}

/*
 * "oom_reaper: reaped process N (C), now anon-rss:NkB, ..." and "unable to reap pid:N (C)".
 * They come later, from another thread: 2, taken but not a line of the open report.
 */
static int reaper(struct oom_parser *p, const char *t, long src)
{
	const char *r = strstr(t, "oom_reaper: reaped process "), *u = strstr(t, "oom_reaper: unable to reap pid:");
	size_t i, j;
	long long pid;

	if ((!r || !number(r + 27, &pid, NULL)) && (!u || !number(u + 31, &pid, NULL)))
		return 0;
	for (i = p->out->n; i-- > 0;) {
		struct oom_event *ev = &p->out->events[i];

		for (j = 0; j < ev->nkills; j++) {
			struct oom_kill *k = &ev->kills[j];

			if (k->pid != pid || k->reaped || k->reap_failed)
				continue;
			k->reaper_line = src;
			if (u) {
				k->reap_failed = true;
			} else {
				k->reaped = true;
				k->reaped_anon_kb = kb_field(r, "anon-rss:");
				k->reaped_file_kb = kb_field(r, "file-rss:");
				k->reaped_shmem_kb = kb_field(r, "shmem-rss:");
			}
			oom_era_hint(ev, V(4, 6, 0), 0);
			return 2;
		}
	}
	return 2; /* a reaper line for a kill this log does not hold */
}

/* "Out of memory and no killable processes...", "Kernel panic - not syncing: Out of memory..." */
static int end_lines(struct oom_parser *p, const char *t, long src)
{
	const char *panic = strstr(t, "Kernel panic - not syncing: ");
	struct oom_event *ev;

	if (strstr(t, "Out of memory and no killable processes")) {
		ev = oom_current(p, src);
		if (!ev)
			return -1;
		ev->no_killable = true;
		p->phase = PH_KILLED;
		return 1;
	}
	if (!panic || (!strstr(panic, "emory") && !strstr(panic, "panic_on_oom")))
		return 0;
	ev = oom_current(p, src);
	if (!ev)
		return -1;
	copy(ev->panic, sizeof(ev->panic), panic + 28, strlen(panic + 28));
	p->phase = PH_KILLED;
	return 1;
}

/* 2.6.32's "out of memory. panic_on_oom is selected" without the panic prefix, seen alone */
static int old_panic(struct oom_parser *p, const char *t, long src)
{
	if (!strstr(t, "out of memory. panic_on_oom is selected") || strstr(t, "Kernel panic"))
		return 0;
	if (!oom_current(p, src))
		return -1;
	copy(p->cur->panic, sizeof(p->cur->panic), t, strlen(t));
	p->phase = PH_KILLED;
	return 1;
}

int oom_lines_take(struct oom_parser *p, const char *t, long src)
{
	/* Most specific first: a later one may take a line an earlier one would mistake. */
	int (*const steps[])(struct oom_parser *, const char *, long) = {
		trigger, summary, killed, selected, sharer, oom_group, pinned, exiting, reaper,
		end_lines, old_panic, cpu_line, cpuset_line, usage_line, memcg_lines, table_header,
		table_row, meminfo_lines,
	};
	size_t s;

	for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
		int rc = steps[s](p, t, src);

		if (rc)
			return rc;
	}
	return 0;
}
