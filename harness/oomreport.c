// SPDX-License-Identifier: GPL-2.0
/* The OOM report parser. Formats: ../docs/kernel-log-formats.md */
#include "oomreport.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Task table columns, as named in the header line. */
enum col { C_PID, C_UID, C_TGID, C_TOTAL_VM, C_RSS, C_RSS_ANON, C_RSS_FILE, C_RSS_SHMEM,
	   C_PGTABLES, C_NR_PTES, C_NR_PMDS, C_SWAPENTS, C_ADJ, C_UNKNOWN };

struct parser {
	struct oom_report *out;
	struct oom_event *cur;       /* the event lines are attached to, or NULL */
	enum col cols[16];           /* numeric columns of the current task table */
	int ncols;                   /* 0 when not inside a table */
};

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

/* "key:NNNkB" anywhere after s; -1 when absent. */
static long long kb_field(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	if (!p || !isdigit((unsigned char)p[strlen(key)]))
		return -1;
	return strtoll(p + strlen(key), NULL, 10);
}

static struct oom_event *new_event(struct parser *p, size_t line)
{
	struct oom_report *r = p->out;
	struct oom_event *ev, *grown;

	grown = realloc(r->events, (r->n + 1) * sizeof(*r->events));
	if (!grown)
		return NULL;
	r->events = grown;
	ev = &r->events[r->n++];
	memset(ev, 0, sizeof(*ev));
	ev->first_line = ev->last_line = line;
	ev->trigger_pid = ev->task_pid = ev->task_uid = -1;
	ev->mem_usage_kb = ev->mem_limit_kb = ev->mem_failcnt = -1;
	ev->order = -1;
	p->cur = ev;
	p->ncols = 0;
	return ev;
}

/* "COMM invoked oom-killer: gfp_mask=0x...(...), order=N, oom_score_adj=N" */
static int parse_trigger(struct parser *p, const char *t, size_t line)
{
	const char *mark = strstr(t, " invoked oom-killer: ");
	const char *g, *o, *a;
	struct oom_event *ev;

	if (!mark)
		return 1;
	ev = new_event(p, line);
	if (!ev)
		return -1;
	ev->has_trigger = true;
	copy(ev->trigger_comm, sizeof(ev->trigger_comm), t, (size_t)(mark - t));
	g = strstr(mark, "gfp_mask=");
	if (g) {
		g += 9;
		copy(ev->gfp_mask, sizeof(ev->gfp_mask), g, strcspn(g, ","));
	}
	o = strstr(mark, "order=");
	if (o)
		ev->order = atoi(o + 6);
	a = strstr(mark, "oom_score_adj=");
	if (a) {
		ev->trigger_adj = strtol(a + 14, NULL, 10);
		ev->has_trigger_adj = true;
	}
	return 0;
}

/* "CPU: 1 UID: 0 PID: 4190 Comm: eat Not tainted ..." (the dump_stack line) */
static int parse_cpu_line(struct parser *p, const char *t, size_t line)
{
	const char *pid;

	if (strncmp(t, "CPU: ", 5) || !p->cur || p->cur->trigger_pid >= 0 || p->cur->nkills)
		return 1;
	pid = strstr(t, " PID: ");
	if (!pid)
		return 1;
	p->cur->trigger_pid = strtol(pid + 6, NULL, 10);
	p->cur->last_line = line;
	return 0;
}

/* "memory: usage 32768kB, limit 32768kB, failcnt 0" */
static int parse_memcg_usage(struct parser *p, const char *t, size_t line)
{
	long long usage, limit, failcnt;

	if (!p->cur || sscanf(t, "memory: usage %lldkB, limit %lldkB, failcnt %lld", &usage, &limit,
			      &failcnt) != 3)
		return 1;
	p->cur->mem_usage_kb = usage;
	p->cur->mem_limit_kb = limit;
	p->cur->mem_failcnt = failcnt;
	p->cur->last_line = line;
	return 0;
}

static enum col col_named(const char *w, size_t n)
{
	static const struct { const char *name; enum col col; } names[] = {
		{ "pid", C_PID }, { "uid", C_UID }, { "tgid", C_TGID }, { "total_vm", C_TOTAL_VM },
		{ "rss", C_RSS }, { "rss_anon", C_RSS_ANON }, { "rss_file", C_RSS_FILE },
		{ "rss_shmem", C_RSS_SHMEM }, { "pgtables_bytes", C_PGTABLES },
		{ "nr_ptes", C_NR_PTES }, { "nr_pmds", C_NR_PMDS }, { "swapents", C_SWAPENTS },
		{ "oom_score_adj", C_ADJ },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && !strncmp(names[i].name, w, n))
			return names[i].col;
	return C_UNKNOWN;
}

/* "[  pid  ]   uid  tgid total_vm      rss ... oom_score_adj name" */
static int parse_table_header(struct parser *p, const char *t, size_t line)
{
	const char *s;

	if (!p->cur || t[0] != '[' || !strstr(t, "pid") || !strstr(t, "name") || !strstr(t, "rss"))
		return 1;
	s = strchr(t, ']');
	if (!s)
		return 1;
	p->ncols = 0;
	p->cols[p->ncols++] = C_PID;
	for (s = skip_ws(s + 1); *s; s = skip_ws(s)) {
		size_t n = strcspn(s, " \t");

		if (n == 4 && !strncmp(s, "name", 4))
			break;
		if (p->ncols == 16)
			return 1;
		p->cols[p->ncols++] = col_named(s, n);
		s += n;
	}
	p->cur->last_line = line;
	return 0;
}

/* "[   4190]     0  4190     8843     8400 ... 0 eat" under a header. */
static int parse_table_row(struct parser *p, const char *t, size_t line)
{
	struct oom_event *ev = p->cur;
	struct oom_task task, *grown;
	const char *s;
	int i;

	if (!ev || !p->ncols || t[0] != '[')
		return 1;
	memset(&task, 0, sizeof(task));
	task.uid = task.tgid = -1;
	task.total_vm = task.rss = task.rss_anon = task.rss_file = task.rss_shmem = -1;
	task.pgtables_bytes = task.swapents = -1;
	s = skip_ws(t + 1);
	for (i = 0; i < p->ncols; i++) {
		char *end;
		long long v = strtoll(s, &end, 10);

		if (end == s)
			return 1;
		s = end;
		if (i == 0) {
			if (*s != ']')
				return 1;
			s++;
		}
		switch (p->cols[i]) {
		case C_PID: task.pid = (long)v; break;
		case C_UID: task.uid = (long)v; break;
		case C_TGID: task.tgid = (long)v; break;
		case C_TOTAL_VM: task.total_vm = v; break;
		case C_RSS: task.rss = v; break;
		case C_RSS_ANON: task.rss_anon = v; break;
		case C_RSS_FILE: task.rss_file = v; break;
		case C_RSS_SHMEM: task.rss_shmem = v; break;
		case C_PGTABLES: task.pgtables_bytes = v; break;
		case C_SWAPENTS: task.swapents = v; break;
		case C_ADJ: task.oom_score_adj = (long)v; break;
		default: break;
		}
		s = skip_ws(s);
	}
	copy(task.name, sizeof(task.name), s, strlen(s));
	grown = realloc(ev->tasks, (ev->ntasks + 1) * sizeof(*ev->tasks));
	if (!grown)
		return -1;
	ev->tasks = grown;
	ev->tasks[ev->ntasks++] = task;
	ev->last_line = line;
	return 0;
}

/* Copy the value of ",key=" in an oom-kill summary up to the next known key. */
static void summary_field(const char *t, const char *key, const char *const *next_keys,
			  char *out, size_t len)
{
	const char *v = strstr(t, key), *end = NULL;
	size_t i;

	out[0] = '\0';
	if (!v)
		return;
	v += strlen(key);
	for (i = 0; next_keys[i]; i++) {
		const char *k = strstr(v, next_keys[i]);

		if (k && (!end || k < end))
			end = k;
	}
	copy(out, len, v, end ? (size_t)(end - v) : strlen(v));
}

/* "oom-kill:constraint=...,nodemask=...,oom_memcg=...,task_memcg=...,task=...,pid=...,uid=..." */
static int parse_summary(struct parser *p, const char *t, size_t line)
{
	static const char *const after_memcg[] = { ",task_memcg=", ",task=", NULL };
	static const char *const after_constraint[] = { ",", NULL };
	struct oom_event *ev = p->cur;
	const char *pid;

	if (strncmp(t, "oom-kill:", 9))
		return 1;
	if (!ev || ev->has_summary || ev->nkills) {
		ev = new_event(p, line);
		if (!ev)
			return -1;
	}
	ev->has_summary = true;
	summary_field(t, "constraint=", after_constraint, ev->constraint, sizeof(ev->constraint));
	summary_field(t, ",oom_memcg=", after_memcg, ev->oom_memcg, sizeof(ev->oom_memcg));
	summary_field(t, ",task_memcg=", after_memcg + 1, ev->task_memcg, sizeof(ev->task_memcg));
	ev->global_oom = strstr(t, ",global_oom") != NULL;
	/* task= may hold commas: it ends at the last ",pid=" */
	pid = strstr(t, ",task=");
	if (pid) {
		const char *last = NULL, *q = pid;

		while ((q = strstr(q + 1, ",pid=")))
			last = q;
		if (last) {
			copy(ev->task_comm, sizeof(ev->task_comm), pid + 6, (size_t)(last - pid - 6));
			ev->task_pid = strtol(last + 5, NULL, 10);
			q = strstr(last, ",uid=");
			if (q)
				ev->task_uid = strtol(q + 5, NULL, 10);
		}
	}
	ev->last_line = line;
	p->ncols = 0;
	return 0;
}

/* "[REASON: ]Killed process PID (COMM) total-vm:NkB, anon-rss:NkB, ..." */
static int parse_killed(struct parser *p, const char *t, size_t line)
{
	const char *k = strstr(t, "Killed process "), *open, *close, *adj;
	struct oom_event *ev = p->cur;
	struct oom_kill kill, *grown;
	char *end;

	if (!k)
		return 1;
	memset(&kill, 0, sizeof(kill));
	kill.line = line;
	kill.pid = strtol(k + 15, &end, 10);
	if (end == k + 15 || *end != ' ' || end[1] != '(')
		return 1;
	open = end + 2;
	/* The comm may hold ") ": it ends at the ") total-vm:" that follows, or the last ')'. */
	close = strstr(open, ") total-vm:");
	if (!close)
		close = strrchr(open, ')');
	if (!close)
		return 1;
	copy(kill.comm, sizeof(kill.comm), open, (size_t)(close - open));
	if (k > t && k - t >= 2 && k[-2] == ':')
		copy(kill.reason, sizeof(kill.reason), t, (size_t)(k - 2 - t));
	kill.total_vm_kb = kb_field(close, "total-vm:");
	kill.anon_rss_kb = kb_field(close, "anon-rss:");
	kill.file_rss_kb = kb_field(close, "file-rss:");
	kill.shmem_rss_kb = kb_field(close, "shmem-rss:");
	kill.pgtables_kb = kb_field(close, "pgtables:");
	kill.uid = strstr(close, "UID:") ? strtol(strstr(close, "UID:") + 4, NULL, 10) : -1;
	adj = strstr(close, "oom_score_adj:");
	if (adj) {
		kill.oom_score_adj = strtol(adj + 14, NULL, 10);
		kill.has_adj = true;
	}
	/* A kill belongs to the open event unless that one already has its victim
	 * (then only oom.group members follow). Otherwise the header was rate-limited. */
	if (!ev || (ev->nkills && !ev->oom_group[0])) {
		ev = new_event(p, line);
		if (!ev)
			return -1;
	}
	grown = realloc(ev->kills, (ev->nkills + 1) * sizeof(*ev->kills));
	if (!grown)
		return -1;
	ev->kills = grown;
	ev->kills[ev->nkills++] = kill;
	ev->last_line = line;
	p->ncols = 0;
	return 0;
}

/* "Tasks in /a/b are going to be killed due to memory.oom.group set" */
static int parse_oom_group(struct parser *p, const char *t, size_t line)
{
	const char *end = strstr(t, " are going to be killed due to memory.oom.group set");

	if (strncmp(t, "Tasks in ", 9) || !end || !p->cur)
		return 1;
	copy(p->cur->oom_group, sizeof(p->cur->oom_group), t + 9, (size_t)(end - t - 9));
	p->cur->last_line = line;
	return 0;
}

/* "oom_reaper: reaped process PID (COMM), now anon-rss:NkB, file-rss:NkB, shmem-rss:NkB" */
static int parse_reaper(struct parser *p, const char *t, size_t line)
{
	const char *r = strstr(t, "oom_reaper: reaped process ");
	size_t i, j;
	long pid;

	if (!r)
		return 1;
	pid = strtol(r + 27, NULL, 10);
	for (i = p->out->n; i-- > 0;) {
		struct oom_event *ev = &p->out->events[i];

		for (j = 0; j < ev->nkills; j++) {
			struct oom_kill *k = &ev->kills[j];

			if (k->pid == pid && !k->reaped) {
				k->reaped = true;
				k->reaper_line = line;
				k->reaped_anon_kb = kb_field(r, "anon-rss:");
				k->reaped_file_kb = kb_field(r, "file-rss:");
				k->reaped_shmem_kb = kb_field(r, "shmem-rss:");
				return 0;
			}
		}
	}
	return 0;
}

int oom_parse(const struct oom_line *lines, size_t n, struct oom_report *out)
{
	int (*const steps[])(struct parser *, const char *, size_t) = {
		parse_trigger, parse_cpu_line, parse_memcg_usage, parse_table_header,
		parse_table_row, parse_summary, parse_killed, parse_oom_group, parse_reaper,
	};
	struct parser p = { .out = out };
	size_t i, s;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		const char *t = skip_ws(lines[i].text);

		for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
			int rc = steps[s](&p, t, i);

			if (rc < 0) {
				oom_report_free(out);
				return -1;
			}
			if (rc == 0)
				break;
		}
	}
	return 0;
}

void oom_report_free(struct oom_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->events[i].tasks);
		free(r->events[i].kills);
	}
	free(r->events);
	memset(r, 0, sizeof(*r));
}

bool oom_line_is_key(const char *t)
{
	static const char *const marks[] = {
		" invoked oom-killer: ", "memory: usage ", "swap: usage ", "memory+swap: usage ",
		"Tasks state (memory values in pages)", "oom-kill:", "Killed process ",
		"oom_reaper: ", "are going to be killed due to memory.oom.group set",
		"Out of memory and no killable processes", "is already exiting. Skip killing",
	};
	size_t i;

	t = skip_ws(t);
	if (t[0] == '[' && (strstr(t, "pid") || isdigit((unsigned char)skip_ws(t + 1)[0])))
		return true; /* task table header or row */
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(t, marks[i]))
			return true;
	return false;
}
