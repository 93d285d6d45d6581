// SPDX-License-Identifier: GPL-2.0
/*
 * The header lines of an OOM report, every era (trigger, CPU line, cpuset, memcg,
 * Mem-Info, the oom-kill: summary), and the order in which all recognizers try a line.
 * Each recognizer takes a line (no prefix, leading blanks gone) and returns 1 when it
 * took it, 0 when the line is not its shape, -1 when out of memory (oomparser.h).
 * Formats: docs/kernel-log-formats.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/oomparser.h"
#include "shared/arrays.h"
#include "klog/fixedtext.h"

#define V(a, b, c) kver_code(a, b, c)

/* "COMM invoked oom-killer: gfp_mask=..., [nodemask=...,] order=N, oom_score_adj=N" */
static int trigger(struct oom_parser *p, const char *t, long src)
{
	/* 4.10-4.14 print two blanks before order= */
	static const char *const stops[] = { ", nodemask=", ", order=", ",  order=", ", oomkilladj=",
					     ", oom_adj=", ", oom_score_adj=", NULL };
	const char *end, *mark = fixed_find(t, " invoked oom-killer: ", &end);
	struct oom_event *ev;
	char value[160];
	long long v;

	if (!mark)
		return 0;
	ev = oom_open(p, src);
	if (!ev)
		return -1;
	ev->has_trigger = true;
	/* A comm is at most 15 bytes: more, or a log prefix in it, is a prefix the stripping
	 * did not know, and where the comm starts is not known (the CPU: line may tell). */
	if ((size_t)(mark - t) <= OOM_COMM_KERNEL && !oom_leaked_prefix(t, (size_t)(mark - t)))
		oom_copy(ev->trigger_comm, sizeof(ev->trigger_comm), t, (size_t)(mark - t));
	mark = end;
	oom_field(mark, "gfp_mask=", stops, ev->gfp_mask, sizeof(ev->gfp_mask));
	if (oom_field(mark, "nodemask=", stops, ev->trigger_nodemask, sizeof(ev->trigger_nodemask)))
		oom_era_hint(ev, V(4, 9, 0), V(4, 19, 999));
	/* the kernel's own two blanks, unless a paste doubled blanks everywhere */
	if (strstr(mark, ",  order=") && strstr(mark, ", oom_score_adj="))
		oom_era_hint(ev, V(4, 10, 0), V(4, 14, 999));
	if (oom_field(mark, "order=", stops, value, sizeof(value)) && oom_number(value, &v, NULL))
		ev->order = (int)v;
	if (oom_field(mark, "oomkilladj=", stops, value, sizeof(value)) && oom_number(value, &v, NULL)) {
		ev->has_trigger_oomkilladj = true;
		ev->trigger_oomkilladj = (long)v;
		oom_era_hint(ev, 0, V(2, 6, 31));
	}
	if (oom_field(mark, "oom_adj=", stops, value, sizeof(value)) && oom_number(value, &v, NULL)) {
		ev->has_trigger_oom_adj = true;
		ev->trigger_oom_adj = (long)v;
	}
	if (oom_field(mark, "oom_score_adj=", stops, value, sizeof(value)) && oom_number(value, &v, NULL)) {
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
	const char *r = fixed_past(t, "Not tainted ");

	if (!r && (r = fixed_past(t, "Tainted: ")))
		while (*r && !isdigit((unsigned char)*r))
			r++;
	if (r && isdigit((unsigned char)*r))
		oom_copy(out, len, r, strcspn(r, " "));
}

/* The comm after "Comm: " (or "comm: "), up to what the kernel prints after it. */
static void comm_of(const char *t, char *out, size_t len)
{
	static const char *const after[] = { " Not tainted", " Tainted:", " Kdump:", NULL };
	const char *c = fixed_past(t, "Comm: "), *end = NULL, *k;
	size_t i;

	if (!c)
		c = fixed_past(t, ", comm: ");
	if (!c)
		return;
	for (i = 0; after[i]; i++)
		if ((k = fixed_find(c, after[i], NULL)) && (!end || k < end))
			end = k;
	if (!end)
		end = c + strcspn(c, " ");
	if ((size_t)(end - c) <= OOM_COMM_KERNEL)
		oom_copy(out, len, c, (size_t)(end - c));
}

/*
 * The trigger line's comm with a prefix still before it ("| hog", read before the
 * prefix was learned): the CPU: line's comm, when the rest is a prefix ending at a blank.
 */
static void drop_comm_prefix(struct oom_event *ev)
{
	size_t t = strlen(ev->trigger_comm), c = strlen(ev->cpu_comm);

	if (c && t > c && !strcmp(ev->trigger_comm + t - c, ev->cpu_comm) &&
	    (ev->trigger_comm[t - c - 1] == ' ' || ev->trigger_comm[t - c - 1] == '\t'))
		memmove(ev->trigger_comm, ev->cpu_comm, c + 1);
}

/*
 * "CPU: 1 UID: 0 PID: 4190 Comm: eat Not tainted 6.18.44 #1" or "Pid: 23212, comm: x Not
 * tainted 2.6.32": the trigger's pid and comm, and the release. With no report open it
 * opens one whose trigger line was cut off.
 */
static int cpu_line(struct oom_parser *p, const char *t, long src)
{
	const char *pid;
	struct oom_event *ev = p->cur;
	long long v;

	if ((pid = fixed_after(t, "CPU: ")) && (pid = fixed_past(pid, " PID: ")) && oom_number(pid, &v, NULL))
		;
	else if ((pid = fixed_after(t, "Pid: ")) && oom_number(pid, &v, NULL))
		;
	else
		return 0;
	if (p->splat)
		return 0; /* a warning's */
	/* no report open, or a second CPU: line: a report cut before its trigger line */
	if (!ev || p->phase == PH_NONE || p->phase == PH_KILLED || (p->phase == PH_HEADER && ev->trigger_pid >= 0)) {
		if (!(ev = oom_open(p, src)))
			return -1;
	} else if (p->phase != PH_HEADER) {
		return 0;
	}
	ev->trigger_pid = (long)v;
	release_of(t, ev->release, sizeof(ev->release));
	comm_of(t, ev->cpu_comm, sizeof(ev->cpu_comm));
	drop_comm_prefix(ev);
	return 1;
}

/*
 * A stack frame of the trigger in swapoff ("try_to_unuse+0x2a1/0x5c0") or in KSM's
 * unmerge: the kernel set it as an OOM origin. Other frames are not report lines.
 */
static int origin_frame(struct oom_parser *p, const char *t, long src)
{
	static const char *const frames[] = { "try_to_unuse+", "sys_swapoff+", "unmerge_ksm_pages+",
					      "unmerge_and_remove_all_rmap_items+" };
	size_t i;

	(void)src;
	if (!p->cur || p->phase != PH_HEADER || p->cur->origin_stack)
		return 0;
	for (i = 0; i < ARRAY_SIZE(frames); i++) {
		if (strstr(t, frames[i])) {
			p->cur->origin_stack = true;
			p->cur->origin_ksm = i >= 2;
			return 1;
		}
	}
	return 0;
}

/* "COMM cpuset=NAME mems_allowed=LIST" (≤4.19, right after the trigger) */
static int cpuset_line(struct oom_parser *p, const char *t, long src)
{
	const char *mems = fixed_find(t, " mems_allowed=", NULL), *cpuset = fixed_past(t, " cpuset=");

	(void)src;
	/* (an oom-kill: line has them too, but summary() takes it first) */
	if (!p->cur || p->phase != PH_HEADER || !mems || !cpuset || cpuset > mems)
		return 0;
	oom_copy(p->cur->cpuset, sizeof(p->cur->cpuset), cpuset, (size_t)(mems - cpuset));
	mems = fixed_past(mems, " mems_allowed=");
	oom_copy(p->cur->mems_allowed, sizeof(p->cur->mems_allowed), mems, strlen(mems));
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
	size_t i;

	const char *rest;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!(rest = fixed_after(t, kinds[i].prefix)) ||
		    sscanf(rest, "%lldkB, limit %lldkB, failcnt %lld", &usage, &limit, &failcnt) != 3)
			continue;
		/* memory: usage opens a report whose header is missing (a partial paste, or
		 * one rate-limited away after the kill of the report before). */
		if (i == 0 && !(p->phase == PH_KILLED ? oom_open(p, src) : oom_current(p, src)))
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
	static const char *const limit_of = " killed as a result of limit of ";
	const char *in = fixed_after(t, "Task in "), *of_end, *of = fixed_find(t, limit_of, &of_end);
	const char *rest;
	struct oom_event *ev;

	if (in && of) {
		ev = p->phase == PH_KILLED ? oom_open(p, src) : oom_current(p, src);
		if (!ev)
			return -1;
		oom_copy(ev->task_in, sizeof(ev->task_in), in, (size_t)(of - in));
		oom_copy(ev->limit_of, sizeof(ev->limit_of), of_end, strlen(of_end));
		oom_era_hint(ev, 0, V(4, 19, 999));
		return 1;
	}
	rest = fixed_after(t, "Memory limit reached of cgroup ");
	if (rest && p->cur && p->phase != PH_NONE) {
		oom_copy(p->cur->limit_of, sizeof(p->cur->limit_of), rest, strlen(rest));
		oom_era_hint(p->cur, 0, V(4, 19, 999));
		return 1;
	}
	/* "Memory cgroup stats for /a:" (5.3+, the stats on lines of their own) or, before,
	 * "Memory cgroup stats for /a: cache:0KB rss:..." on the same line */
	rest = fixed_after(t, "Memory cgroup stats for ");
	if (rest && p->cur && p->phase == PH_HEADER) {
		const char *path = rest, *end = strstr(path, ": ");

		if (!end)
			end = path + strlen(path) - (path[0] && path[strlen(path) - 1] == ':');
		if (!p->cur->stats_for[0])
			oom_copy(p->cur->stats_for, sizeof(p->cur->stats_for), path, (size_t)(end - path));
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

	/* "Mem-info:" up to 2.6.2x; it opens a report cut before it */
	if (fixed_after(t, "Mem-Info:") || fixed_after(t, "Mem-info:")) {
		if (p->phase == PH_SELECTED || ((!ev || p->phase != PH_HEADER) && p->splat))
			return 0;
		if (!ev || p->phase != PH_HEADER)
			ev = oom_open(p, src);
		if (!ev)
			return -1;
		ev->has_meminfo = true;
		p->in_meminfo = true;
		return 1;
	}
	if (!ev || p->phase != PH_HEADER || !p->in_meminfo)
		return 0;
	/* " free:12345 slab_reclaimable:..." (the global line in pages; zones say "free:NkB") */
	f = strstr(t, "free:");
	if (f && (f == t || f[-1] == ' ') && oom_number(f + 5, &v, &f) &&
	    (*f == ' ' || !*f) &&
	    ev->free_pages < 0) {
		ev->free_pages = v;
		return 1;
	}
	/* a blank in the format matches any run of blanks: "Free swap  = NkB" too */
	if (sscanf(t, "Free swap = %lldkB", &v) == 1) {
		ev->free_swap_kb = v;
		return 1;
	}
	if (sscanf(t, "Total swap = %lldkB", &v) == 1) {
		ev->total_swap_kb = v;
		return 1;
	}
	if (oom_number(t, &v, &f) && (fixed_after(f, " pages RAM") || fixed_after(f, " pages of RAM"))) {
		ev->ram_pages = v;
		return 1;
	}
	/* RAM the kernel does not manage: the OOM domain is RAM less this (plus swap) */
	if (oom_number(t, &v, &f) && fixed_after(f, " pages reserved")) {
		ev->reserved_pages = v;
		return 1;
	}
	return 0;
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

	if (!fixed_after(t, "oom-kill:"))
		return 0;
	task = fixed_past(t, ",task=");
	for (q = task ? strstr(task, ",pid=") : NULL; q; q = strstr(q + 1, ",pid="))
		last = q;
	if (!ev || p->phase == PH_NONE || ev->has_summary || ev->nkills ||
	    (last && oom_number(last + 5, &v, NULL) && oom_foreign(p, (long)v))) {
		ev = oom_open(p, src);
		if (!ev)
			return -1;
	}
	ev->has_summary = true;
	oom_field(t, "constraint=", after_constraint, ev->constraint, sizeof(ev->constraint));
	oom_field(t, ",nodemask=", after_nodemask, ev->nodemask, sizeof(ev->nodemask));
	oom_field(t, ",cpuset=", after_cpuset, ev->cpuset, sizeof(ev->cpuset));
	oom_field(t, ",mems_allowed=", after_cpuset + 1, ev->mems_allowed, sizeof(ev->mems_allowed));
	oom_field(t, ",oom_memcg=", after_memcg, ev->oom_memcg, sizeof(ev->oom_memcg));
	oom_field(t, ",task_memcg=", after_memcg + 1, ev->task_memcg, sizeof(ev->task_memcg));
	ev->global_oom = strstr(t, ",global_oom") != NULL;
	/* task= may hold commas: it ends at the last ",pid=" */
	if (task && last) {
		oom_copy(ev->task_comm, sizeof(ev->task_comm), task, (size_t)(last - task));
		if (oom_number(last + 5, &v, NULL))
			ev->task_pid = (long)v;
		uid = fixed_past(last, ",uid=");
		if (uid && oom_number(uid, &v, NULL))
			ev->task_uid = (long)v;
	}
	oom_era_hint(ev, V(5, 0, 0), 0);
	p->ncols = 0;
	p->in_meminfo = false;
	return 1;
}

int oom_lines_take(struct oom_parser *p, const char *t, long src)
{
	/* Most specific first: a later one may take a line an earlier one would mistake. */
	static oom_step *const steps[] = {
		trigger, summary, oom_victim_lines, cpu_line, cpuset_line, usage_line, memcg_lines,
		oom_table_lines, meminfo_lines, origin_frame,
	};

	return oom_try(steps, ARRAY_SIZE(steps), p, t, src);
}
