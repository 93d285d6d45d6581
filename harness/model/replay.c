// SPDX-License-Identifier: GPL-2.0
#include "model/replay.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/hostinfo.h"

#define TARGET_KB (256LL << 10)     /* auto: the replay's domain at most 256M */
#define PROC_OVERHEAD_KB 1024       /* what a stressor process costs beyond its sizes */
#define MIN_VICTIM_KB (32LL << 10)  /* auto keeps the victim at least this big, if it can */
#define NEAR_PERMILLE 950           /* candidates within 5% of the victim are replayed */

static void note(struct replay_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nnotes == REPLAY_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->nnotes++], sizeof(p->notes[0]), fmt, ap);
	va_end(ap);
}

static int refuse(struct replay_plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why_not, sizeof(p->why_not), fmt, ap);
	va_end(ap);
	return -1;
}

/* A role name from a comm: letters, digits, '_', '-', '.', at most 15, unique in the plan. */
static void role_of(const struct replay_plan *p, const char *comm, char *out, size_t len)
{
	size_t n = 0, k;
	int i, taken, suffix = 1;
	char base[16];

	for (k = 0; comm[k] && n < 12 && n + 1 < sizeof(base); k++) {
		unsigned char c = (unsigned char)comm[k];

		if (isalnum(c) || c == '_' || c == '-' || c == '.')
			base[n++] = (char)c;
		else if (n && base[n - 1] != '-')
			base[n++] = '-';
	}
	while (n && base[n - 1] == '-')
		n--;
	base[n] = '\0';
	snprintf(out, len, "%s", n ? base : "task");
	do {
		for (i = 0, taken = 0; i < p->n; i++)
			taken |= !strcmp(p->procs[i].role, out);
		if (taken)
			snprintf(out, len, "%s%d", n ? base : "task", ++suffix);
	} while (taken);
}

/* The row that stands for the trigger: its pid's, or, for a thread's pid (the CPU: line
 * names the thread), the one row of the trigger's comm. nrows when none. */
static size_t trigger_index(const struct oom_event *ev, const struct explanation *x, struct replay_plan *p)
{
	size_t i, named = x->nrows, count = 0;

	for (i = 0; i < x->nrows; i++) {
		if (oom_task_is(x->rows[i].task, ev->trigger_pid))
			return i;
		if (!strcmp(x->rows[i].task->name, oom_trigger_comm(ev)) && !count++)
			named = i;
	}
	if (count == 1)
		note(p, "the trigger's pid %ld has no row: it is a thread of %s (pid %ld)", ev->trigger_pid,
		     x->rows[named].task->name, x->rows[named].task->pid);
	return count == 1 ? named : x->nrows;
}

/*
 * A row that looks like a task sharing the mm of one already replayed joins it as one
 * more process sharing that memory, which is then held once (the table counts it in
 * each). Returns 1 when it joined, 0 when it did not, -1 when too many share.
 */
/* The replayed process whose mm t looks like it shares, or -1. */
static int sharer_of(const struct replay_plan *p, const struct oom_task *t)
{
	for (int i = 0; i < p->n; i++)
		if (p->procs[i].task && rank_same_mm(p->procs[i].task, t))
			return i;
	return -1;
}

static int join_sharers(struct replay_plan *p, const struct oom_task *t, const struct oom_event *ev,
			bool trigger)
{
	int i = sharer_of(p, t);

	if (i < 0)
		return 0;
	if (p->procs[i].sharers == REPLAY_SHARERS)
		return refuse(p, "more than %d tasks share the mm of %s (pid %ld)", REPLAY_SHARERS + 1,
			      p->procs[i].comm, p->procs[i].pid);
	p->procs[i].sharer_pids[p->procs[i].sharers++] = t->pid;
	if (oom_task_is(t, ev->kills[0].pid)) {
		/* the group is the victim's: named by the victim's row */
		p->procs[i].sharer_pids[p->procs[i].sharers - 1] = p->procs[i].pid;
		p->procs[i].pid = t->pid;
		snprintf(p->procs[i].comm, sizeof(p->procs[i].comm), "%s", t->name);
		char role[sizeof(p->procs[i].role)];

		p->procs[i].role[0] = '\0'; /* (its own name is free for it) */
		role_of(p, t->name, role, sizeof(role));
		memcpy(p->procs[i].role, role, sizeof(role));
		p->procs[i].victim = true;
		p->victim = i;
	}
	if (trigger) {
		p->procs[i].trigger = true;
		p->trigger = i;
	}
	return 1;
}

/* Add a row as an idle process (sizes in the field's kB; scaled later), or to the
 * process whose mm it looks like it shares. Returns 0 (a process), 1 (joined one), or -1
 * (p->why_not). */
static int add_row(struct replay_plan *p, const struct rank_row *r, const struct oom_event *ev, bool trigger)
{
	const struct oom_task *t = r->task;
	struct replay_proc *q = &p->procs[p->n];
	int joined = join_sharers(p, t, ev, trigger);

	if (joined)
		return joined;
	memset(q, 0, sizeof(*q));
	role_of(p, t->name, q->role, sizeof(q->role));
	snprintf(q->comm, sizeof(q->comm), "%s", t->name);
	q->pid = t->pid;
	q->task = t;
	/* file pages as shmem: the same to the formula, and not reclaimed before the OOM */
	q->shmem_kb = ((t->rss_file > 0 ? t->rss_file : 0) + (t->rss_shmem > 0 ? t->rss_shmem : 0)) * REPORT_PAGE_KB;
	q->field_kb = (r->rss + r->swap) * REPORT_PAGE_KB;
	q->anon_kb = q->field_kb - q->shmem_kb;
	q->adj = q->field_adj = t->has_oom_score_adj ? t->oom_score_adj : 0;
	q->victim = oom_task_is(t, ev->kills[0].pid);
	q->trigger = trigger;
	q->root = t->uid == 0;
	if (q->victim)
		p->victim = p->n;
	if (q->trigger)
		p->trigger = p->n;
	p->n++;
	return 0;
}

/* Is the row of pid replayed, as a process or as a sharer of one's mm? */
static bool kept(const struct replay_plan *p, long pid)
{
	int k, s;

	for (k = 0; k < p->n; k++) {
		if (p->procs[k].pid == pid)
			return true;
		for (s = 0; s < p->procs[k].sharers; s++)
			if (p->procs[k].sharer_pids[s] == pid)
				return true;
	}
	return false;
}

/* Does row i look like it shares the mm of a row before it? */
static bool shares_an_earlier_mm(const struct explanation *x, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (rank_same_mm(x->rows[k].task, x->rows[i].task))
			return true;
	return false;
}

/*
 * The victim, those within 5% of it or above (and the rows of its mm), and the trigger; then, while
 * --keep allows, the next rows by badness until nine tenths of the table's memory is
 * there (what is not replayed, the trigger's hog takes up: it should not outgrow its row).
 */
static int pick_rows(const struct oom_event *ev, const struct explanation *x, const struct replay_opts *o,
		     struct replay_plan *p)
{
	long long vpoints, total = 0, have = 0;
	size_t i, v = x->nrows, t = trigger_index(ev, x, p);

	for (i = 0; i < x->nrows; i++)
		if (oom_task_is(x->rows[i].task, ev->kills[0].pid))
			v = i;
	if (v == x->nrows)
		return refuse(p, "the victim, pid %ld, has no row in the task table", ev->kills[0].pid);
	/* with the memory its printed score shows and the table does not, it was first */
	vpoints = x->verdict == VERDICT_HIDDEN ? (x->m.era == BADNESS_2_6_36 ? x->printed_score :
			x->rows[v].points + x->hidden_pages) : x->rows[v].points;
	for (i = 0; i < x->nrows; i++) {
		const struct rank_row *r = &x->rows[i];
		bool near = r->points != BADNESS_UNKILLABLE && r->points * 1000 >= vpoints * NEAR_PERMILLE;
		int added;

		/* (memory that rows of one mm each list is there once) */
		if (!shares_an_earlier_mm(x, i))
			total += r->rss + r->swap;
		if ((i > v || x->verdict == VERDICT_HIDDEN) && i != v && !near && i != t &&
		    !rank_same_mm(x->rows[v].task, r->task))
			continue;
		if (sharer_of(p, r->task) < 0 && (p->n >= REPLAY_MAX || p->n >= o->keep))
			return refuse(p, "replaying it needs more than %d processes (the victim and every "
				      "candidate within 5%% of it): --keep %d or more", o->keep, o->keep + 1);
		if ((added = add_row(p, r, ev, i == t)) < 0)
			return -1;
		if (!added)
			have += r->rss + r->swap;
	}
	/* (one place left for a bystander holding what is not replayed) */
	for (i = 0; i < x->nrows && p->n + (t == x->nrows) + 1 < o->keep && p->n + 1 < REPLAY_MAX &&
			have * 10 < total * 9; i++) {
		const struct rank_row *r = &x->rows[i];

		int added;

		if (kept(p, r->task->pid) || r->points == BADNESS_UNKILLABLE)
			continue;
		if ((added = add_row(p, r, ev, false)) < 0)
			return -1;
		if (!added)
			have += r->rss + r->swap;
	}
	if (have * 10 < total * 9)
		note(p, "%lld of the table's %lld pages are replayed (--keep %d)", have, total, o->keep);
	if (t == x->nrows) {
		/* the trigger has no row (not in the domain, a kernel thread): a hog stands in */
		struct replay_proc *q = &p->procs[p->n];

		if (p->n == REPLAY_MAX || p->n >= o->keep)
			return refuse(p, "no room for the trigger with --keep %d", o->keep);
		memset(q, 0, sizeof(*q));
		role_of(p, "trigger", q->role, sizeof(q->role));
		snprintf(q->comm, sizeof(q->comm), "%s", oom_trigger_comm(ev)[0] ? oom_trigger_comm(ev) : "?");
		q->pid = ev->trigger_pid;
		q->trigger = true;
		p->trigger = p->n++;
		note(p, "the trigger %s has no row: a hog stands in for it", q->comm);
	}
	return 0;
}

/*
 * What the field's domain held at the OOM: a memcg's limit and the swap it had in use,
 * or the machine's managed RAM and the swap in use. Swap it could have used but did not
 * is not replayed (the replay has none).
 */
static long long field_memory_kb(const struct oom_event *ev, const struct explanation *x)
{
	return (x->memcg ? ev->mem.limit_kb : x->m.mem_total_kb) + x->swap_used_kb;
}

/*
 * Sizes divided by the factor. The replay's domain lacks the swap the field's could have
 * used and did not, so each adj is scaled by the field's domain over the replay's (both
 * at one size): adj then stays the same share of the domain, and the order of badness
 * with it (adj -1000 stays never).
 */
static void scale(struct replay_plan *p)
{
	/* (an OOM origin's replay has the swap) */
	double ratio = p->rule == RULE_ORIGIN ? 1 : (double)p->field_kb / (double)p->memory_kb;
	int i;

	p->domain_kb = (long long)((double)p->memory_kb / p->factor);
	for (i = 0; i < p->n; i++) {
		struct replay_proc *q = &p->procs[i];
		double adj = q->field_adj * ratio;

		q->anon_kb = (long long)((double)q->anon_kb / p->factor);
		q->file_kb = (long long)((double)q->file_kb / p->factor);
		q->shmem_kb = (long long)((double)q->shmem_kb / p->factor);
		/* the stressor's own memory is part of its row's */
		q->anon_kb = q->anon_kb > PROC_OVERHEAD_KB + 4 ? q->anon_kb - PROC_OVERHEAD_KB : 4;
		q->adj = q->field_adj <= -1000 ? -1000 : adj > 1000 ? 1000 : adj < -999 ? -999 : (long)(adj + (adj < 0 ? -0.5 : 0.5));
	}
	if (ratio > 1.001)
		note(p, "the field's domain counted %lld kB of swap it did not use: each oom_score_adj is "
		     "scaled by %.3f to keep its share", p->field_kb - p->memory_kb, ratio);
}

/*
 * After a refusal for memory: two replayed rows of one size but not one oom_score_adj,
 * which tasks sharing one mm can have before 4.8, are replayed apart; say so.
 */
static void same_size_hint(struct replay_plan *p)
{
	size_t used = strlen(p->why_not);

	for (int i = 0; i < p->n; i++)
		for (int k = i + 1; k < p->n; k++)
			if (p->procs[i].task && p->procs[k].task &&
			    rank_same_sizes(p->procs[i].task, p->procs[k].task)) {
				snprintf(p->why_not + used, sizeof(p->why_not) - used, ": %s (pid %ld) and %s "
					 "(pid %ld) have the same sizes, as tasks sharing one mm do, but not "
					 "the same oom_score_adj, and are replayed apart", p->procs[i].comm,
					 p->procs[i].pid, p->procs[k].comm, p->procs[k].pid);
				return;
			}
}

/* What a replayed process holds: what it allocates, and its own memory. */
static long long proc_kb(const struct replay_proc *q)
{
	return q->anon_kb + q->file_kb + q->shmem_kb + PROC_OVERHEAD_KB;
}

/*
 * The replay's badness of each process by this kernel's formula, the trigger's hog at
 * the size it has when the domain is full. Returns -1 when the others alone fill it.
 */
static int predict(struct replay_plan *p)
{
	struct hostinfo h;
	long long others = 0, free_kb, domain = p->domain_kb / REPORT_PAGE_KB;
	int i;

	hostinfo_read(&h);
	for (i = 0; i < p->n; i++)
		if (i != p->trigger)
			others += proc_kb(&p->procs[i]);
	free_kb = p->domain_kb - others;
	if (free_kb <= 0)
		return refuse(p, "the replayed processes (%lld kB with their own memory) fill the "
			      "domain (%lld kB) before the trigger allocates", others, p->domain_kb);
	for (i = 0; i < p->n; i++) {
		struct replay_proc *q = &p->procs[i];
		long long kb = i == p->trigger ? free_kb : proc_kb(q);
		struct badness_in in = { .rss = kb / REPORT_PAGE_KB, .pgtables = kb / REPORT_PAGE_KB / 512 + 2,
					 .adj = q->adj, .cap_sys_admin = h.root };

		q->points = badness(badness_era_of(&h.kernel), &h.kernel, &in, domain);
	}
	return 0;
}

/* The factor: the given one, or the smallest that brings the domain to TARGET_KB. */
static int choose_factor(const struct replay_opts *o, struct replay_plan *p)
{
	long long limit = o->host_limit_kb < TARGET_KB ? o->host_limit_kb : TARGET_KB;
	double small = ceil((double)p->memory_kb / limit), fits = ceil((double)p->memory_kb / o->host_limit_kb),
	       big = floor((double)proc_kb(&p->procs[p->victim]) / MIN_VICTIM_KB);

	/* the domain down to TARGET_KB, unless the victim would then be under MIN_VICTIM_KB,
	 * where the stressors' own memory counts: then as little as fits this machine */
	p->factor = o->factor > 0 ? o->factor : small <= big ? small : big > fits ? big : fits;
	if (p->factor < 1)
		p->factor = o->factor > 0 ? o->factor : 1;
	if (p->factor < 1)
		return refuse(p, "--scale %g: a factor below 1 would make the domain larger", p->factor);
	if (p->memcg && p->memory_kb / p->factor > o->host_limit_kb)
		return refuse(p, "--scale %g leaves a domain of %lld kB, more than a case may have here "
			      "(%lld kB, half of MemTotal)", p->factor, (long long)(p->memory_kb / p->factor),
			      o->host_limit_kb);
	if (p->memory_kb / p->factor < 8192)
		return refuse(p, "--scale %g leaves a domain of %lld kB: below 8M the stressors' own "
			      "memory decides", p->factor, (long long)(p->memory_kb / p->factor));
	return 0;
}

/* Does the replay still kill the field's victim, by the formula? */
static int check_choice(struct replay_plan *p)
{
	int i, top = 0;

	for (i = 1; i < p->n; i++)
		if (p->procs[i].points > p->procs[top].points)
			top = i;
	if (top != p->victim && p->rule == RULE_OTHER)
		note(p, "by this kernel's formula the replay kills %s (%lld points), not the field's "
		     "victim %s (%lld points): the run shows what this kernel does", p->procs[top].role,
		     p->procs[top].points, p->procs[p->victim].role, p->procs[p->victim].points);
	else if (top != p->victim && p->rule == RULE_BADNESS)
		return refuse(p, "at a factor of %g the replay would kill %s (%lld points), not the "
			      "field's victim %s (%lld points): the stressors' fixed costs (page "
			      "tables, their own memory) do not scale; try a smaller --scale",
			      p->factor, p->procs[top].role, p->procs[top].points,
			      p->procs[p->victim].role, p->procs[p->victim].points);
	return 0;
}

/*
 * The memory the table does not list (the kernel's, caches, tasks not replayed) would go
 * to the trigger's hog, which then outranks the victim: a bystander that is never
 * chosen (oom_score_adj -1000, which needs CAP_SYS_RESOURCE) holds it instead, so that
 * the hog ends near its row's size.
 */
static int add_rest(struct replay_plan *p, const struct replay_opts *o)
{
	const struct replay_proc *t = &p->procs[p->trigger], *v = &p->procs[p->victim];
	long long others = 0, target, rest;
	struct replay_proc *q;
	int i;

	for (i = 0; i < p->n; i++)
		if (i != p->trigger)
			others += proc_kb(&p->procs[i]);
	target = t->field_kb ? (long long)((double)t->field_kb / p->factor) : proc_kb(v) / 2;
	rest = p->domain_kb - others - PROC_OVERHEAD_KB - target;
	if (rest < 1024 || p->n == REPLAY_MAX || p->n >= o->keep)
		return -1;
	q = &p->procs[p->n];
	memset(q, 0, sizeof(*q));
	role_of(p, "rest", q->role, sizeof(q->role));
	snprintf(q->comm, sizeof(q->comm), "the rest");
	q->pid = -1;
	q->anon_kb = rest;
	q->adj = q->field_adj = -1000;
	p->n++;
	p->needs_cap = true;
	note(p, "%s holds the %lld kB the table does not list, never chosen (oom_score_adj -1000: "
	     "CAP_SYS_RESOURCE, so a VM guest where this host lacks it)", q->role, rest);
	return predict(p);
}

/*
 * An OOM origin: the processes allocate their rows' memory, swap included, in a memcg of
 * the field's limit, so that what does not fit goes to the case's swap file, as in the
 * field; the trigger calls swapoff on it. Badness does not decide: nothing is predicted.
 */
static int plan_origin(const struct explanation *x, struct replay_plan *p)
{
	long long swapped = 0;
	int i;

	/* (the trigger only calls swapoff: its own memory is all it holds) */
	for (i = 0; i < p->n; i++)
		swapped += i == p->trigger ? PROC_OVERHEAD_KB : proc_kb(&p->procs[i]);
	swapped -= p->domain_kb;
	if (swapped <= 0)
		return refuse(p, "an OOM origin, but the replayed processes (their rows' memory and "
			      "swap) fit the limit: swapoff would bring nothing back (%s)", x->why);
	p->swap_file_kb = (2 * swapped / 1024 + 16) * 1024;
	note(p, "an OOM origin: %s calls swapoff on the case's swap file (%lld kB), into which the "
	     "%lld kB the processes hold beyond the limit went; the kernel takes the caller before "
	     "scoring any task", p->procs[p->trigger].role, p->swap_file_kb, swapped);
	return 0;
}

/* Which rule chose the victim, and whether a replay can show it. */
static int rule_of(const struct oom_event *ev, const struct explanation *x, const struct replay_opts *o,
		   struct replay_plan *p)
{
	switch (x->verdict) {
	case VERDICT_TOP:
	case VERDICT_HIDDEN:
		p->rule = RULE_BADNESS;
		return 0;
	case VERDICT_CHILD:
	case VERDICT_NOT_TOP:
		p->rule = RULE_OTHER;
		note(p, "the field's choice: %s", x->why);
		return 0;
	case VERDICT_ALLOCATING:
		if (!o->machine)
			return refuse(p, "vm.oom_kill_allocating_task chose it, which acts on global OOMs: "
				      "--machine replays it with that sysctl set in the guests");
		p->rule = RULE_ALLOCATING;
		return 0;
	case VERDICT_ORIGIN:
		if (ev->origin_ksm)
			return refuse(p, "an OOM origin in KSM's unmerge: no stressor merges pages yet");
		if (o->machine || !x->memcg)
			return refuse(p, "a global OOM's swapoff caller: oomlab replays an OOM origin "
				      "only in a memory cgroup (its own swap file there), not machine-wide "
				      "yet");
		p->rule = RULE_ORIGIN;
		return 0;
	default:
		return refuse(p, "the kernel did not choose by badness (%s: %s): a replay by badness "
			      "would test another rule", verdict_name(x->verdict), x->why);
	}
}

int replay_plan_make(const struct oom_event *ev, const struct explanation *x,
		     const struct replay_opts *o, struct replay_plan *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->victim = p->trigger = -1;
	if (!ev->nkills)
		return refuse(p, "it logs no kill: %s", x->why);
	if (!x->nrows)
		return refuse(p, "it has no task table: nothing to replay");
	if (rule_of(ev, x, o, p))
		return -1;
	if (x->totalpages < 0 && x->m.domain_pages <= 0)
		return refuse(p, "the report does not give the domain's size (%s)", x->domain_from);
	p->memcg = x->memcg || !o->machine;
	if (!x->memcg && !o->machine)
		note(p, "a global OOM, replayed in a memory cgroup of its size: the kernel orders the "
		     "tasks by the same badness there (--machine replays it machine-wide in a guest)");
	/* no size in the report: its table's memory, which a full domain holds, and a twentieth
	 * more for what the kernel and caches hold beside it */
	p->field_kb = x->totalpages >= 0 ? x->totalpages * REPORT_PAGE_KB : x->m.domain_pages * REPORT_PAGE_KB * 21 / 20;
	if (x->totalpages < 0)
		note(p, "the report does not give the domain's size: taken as its table's memory and a "
		     "twentieth more, %lld kB", p->field_kb);
	/* (an OOM origin's replay has swap: its swapped memory goes back there) */
	p->memory_kb = p->rule == RULE_ORIGIN ? ev->mem.limit_kb : field_memory_kb(ev, x);
	if (p->memory_kb <= 0 || p->memory_kb > p->field_kb)
		p->memory_kb = p->field_kb;
	if (pick_rows(ev, x, o, p))
		return -1;
	for (i = 0; i < p->n; i++)
		if (p->procs[i].sharers)
			note(p, "%s (pid %ld) and %d more row%s with the same total_vm, rss, swap and page "
			     "tables, as tasks sharing one mm do (or fork()ed children sharing their pages): "
			     "replayed as %s and %d more process%s sharing its memory, held once",
			     p->procs[i].comm, p->procs[i].pid, p->procs[i].sharers,
			     p->procs[i].sharers == 1 ? "" : "s", p->procs[i].role, p->procs[i].sharers,
			     p->procs[i].sharers == 1 ? "" : "es");
	if (x->hidden_pages > 0) {
		p->procs[p->victim].anon_kb += x->hidden_pages * REPORT_PAGE_KB;
		note(p, "the %lld kB of %s its printed score shows and the table does not (swap, page "
		     "tables) are replayed as anonymous memory", x->hidden_pages * REPORT_PAGE_KB,
		     p->procs[p->victim].comm);
	}
	if (choose_factor(o, p))
		return -1;
	scale(p);
	for (i = 0; i < p->n; i++)
		p->needs_cap |= p->procs[i].adj < 0;
	if (p->rule == RULE_ORIGIN)
		return plan_origin(x, p);
	if (predict(p)) {
		same_size_hint(p);
		return -1;
	}
	if (p->trigger != p->victim && p->procs[p->trigger].points >= p->procs[p->victim].points &&
	    add_rest(p, o) < 0 && p->why_not[0])
		return -1;
	for (i = 0; i < p->n && !p->procs[i].root; i++)
		;
	if (i < p->n && (x->m.kernel.major < 4 || (x->m.kernel.major == 4 && x->m.kernel.minor < 17)))
		note(p, "the field kernel (%s rules) gave root's tasks (%s) a 3%% bonus; this one does "
		     "not, nor does it scale with the sizes", badness_era_name(x->m.era), p->procs[i].role);
	return p->rule == RULE_ALLOCATING ? 0 : check_choice(p);
}
