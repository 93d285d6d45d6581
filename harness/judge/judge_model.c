// SPDX-License-Identifier: GPL-2.0
/*
 * The model's checks, on by default for every case: each process's oom_score from the
 * badness formula against the kernel's (within the counters' slack, or one), each OOM event's
 * predicted victim against the kernel's; and model_order when the expectation has it.
 */
#include "judge/judge_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * How far /proc/PID/status and the kernel's badness may disagree on a process's pages:
 * RSS counters are per-CPU since 6.2 (per-thread caches before), and a reader may see
 * up to a batch per CPU and counter (anon, file, shmem, swap) not yet folded in.
 */
static long long counter_slack_pages(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long batch;

	if (cpus < 1)
		cpus = 1;
	batch = 2 * cpus > 32 ? 2 * cpus : 32;
	return 4LL * batch * cpus;
}

/* The oom_score the kernel may show: the model's for pages within the slack, or one off. */
static bool score_agrees(const struct model_env *env, const struct proc_model *m, long kernel,
			 long *lo, long *hi)
{
	long long total = env->machine_pages;
	long long slack = counter_slack_pages();

	*lo = *hi = m->oom_score;
	if (m->machine_points != BADNESS_UNKILLABLE) {
		*lo = badness_oom_score(env->era, m->machine_points - slack, total);
		*hi = badness_oom_score(env->era, m->machine_points + slack, total);
	}
	if (*lo > m->oom_score - 1)
		*lo = m->oom_score - 1;
	if (*hi < m->oom_score + 1)
		*hi = m->oom_score + 1;
	if (*lo < 0)
		*lo = 0;
	return kernel >= *lo && kernel <= *hi;
}

/* "role hog" or "pid 1234 (comm)" */
static const char *who(const struct case_run *r, long pid, const char *comm, char *buf, size_t len)
{
	const struct proc_run *p = case_run_owner(r, pid);

	if (p)
		snprintf(buf, len, "pid %ld (role %s)", pid, p->spec->role);
	else
		snprintf(buf, len, "pid %ld (%s)", pid, comm);
	return buf;
}

static void check_scores(struct judge *j)
{
	int i;

	for (i = 0; i < j->r->nprocs; i++) {
		const struct proc_run *p = &j->r->procs[i];
		const struct proc_model *m = &p->model;
		long lo, hi;

		if (!p->sample.ok || !m->ok || score_agrees(&j->r->model, m, p->sample.oom_score, &lo, &hi))
			continue;
		judge_fail(j, j->x->model_score.line, "model_score: %s: expected oom_score %ld from the model "
		      "(%ld to %ld allowed; %s: rss %lld + swap %lld + pgtables %lld pages, oom_score_adj "
		      "%ld, machine %lld pages), the kernel shows %ld", p->spec->role, m->oom_score, lo, hi,
		      badness_era_name(j->r->model.era), m->rss, m->swap, m->pgtables,
		      p->sample.oom_score_adj,
		      j->r->model.machine_pages,
		      p->sample.oom_score);
	}
}

static void check_victims(struct judge *j)
{
	const struct case_run *r = j->r;
	size_t e;
	int n = 0;

	for (e = 0; e < r->report.n; e++) {
		const struct oom_event *ev = &r->report.events[e];
		const struct event_model *m = &r->models[e];
		char a[128], b[128];

		if (!r->ours[e])
			continue;
		n++;
		if (!m->made || m->pid == ev->kills[0].pid)
			continue;
		if (m->how == HOW_BADNESS)
			judge_fail(j, j->x->model_victim.line, "model_victim: OOM event %d: expected the kernel "
			      "to kill %s, the highest badness %lld in a domain of %lld pages%s; it killed "
			      "%s, badness %s%lld", n, who(r, m->pid, m->comm, a, sizeof(a)), m->points,
			      m->totalpages, m->ties ? " (tied, the tie rule chose it)" : "",
			      who(r, ev->kills[0].pid, ev->kills[0].comm, b, sizeof(b)),
			      m->victim_in_table ? "" : "unknown: not in the task table, ",
			      m->victim_in_table ? m->victim_points : 0);
		else
			judge_fail(j, j->x->model_victim.line, "model_victim: OOM event %d: expected %s to be "
			      "killed (%s), the kernel killed %s", n, who(r, m->pid, m->comm, a, sizeof(a)),
			      model_how_text(m->how), who(r, ev->kills[0].pid, ev->kills[0].comm, b,
						      sizeof(b)));
	}
}

static void check_order(struct judge *j)
{
	const struct order_chain *oc = &j->x->model_order;
	int i;

	for (i = 0; i + 1 < oc->n; i++) {
		const struct proc_run *a = judge_role(j->r, oc->role[i]);
		const struct proc_run *b = judge_role(j->r, oc->role[i + 1]);

		if (!a->model.ok || !b->model.ok)
			judge_fail(j, oc->line, "model_order: no model for %s (no /proc sample, or no "
				   "model for kernel %s)", !a->model.ok ? oc->role[i] : oc->role[i + 1],
				   badness_era_name(j->r->model.era));
		else if (!cmp_holds(oc->op[i], a->model.domain_points, b->model.domain_points))
			judge_fail(j, oc->line, "model_order: expected %s %s %s, saw badness %s=%lld "
				   "%s=%lld (domain %lld pages)", oc->role[i], cmp_op_text(oc->op[i]),
				   oc->role[i + 1],
				   oc->role[i], a->model.domain_points, oc->role[i + 1],
				   b->model.domain_points, j->r->model.domain_pages);
	}
}

void judge_model(struct judge *j)
{
	if (!j->x->model_score.off)
		check_scores(j);
	if (!j->x->model_victim.off)
		check_victims(j);
	if (j->x->model_order.set)
		check_order(j);
}
