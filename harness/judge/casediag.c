// SPDX-License-Identifier: GPL-2.0
#include "judge/casediag.h"
#include "run/ratelimit.h"

#include <stdio.h>
#include <string.h>

#include "shared/faultspec.h"
#include "klog/oomreport.h"

/* Lines of output shown per process when a case fails. */
#define OUTPUT_TAIL_LINES 8

static void print_processes(const struct case_run *r, struct ktap *k)
{
	char how[128], model[24], badness[24];
	int i;

	ktap_diag(k, "processes (sampled before go; model: the badness formula for %s on the same "
		  "sample, oom_score and badness in the case's domain of %lld pages):",
		  badness_era_name(r->model.era), r->model.domain_pages);
	ktap_diag(k, "  %-15s %7s %5s %9s %6s %9s %9s %9s %9s  %s", "role", "pid", "adj", "oom_score",
		  "model", "badness", "anon_kB", "file_kB", "shmem_kB", "fate");
	for (i = 0; i < r->nprocs; i++) {
		const struct proc_run *p = &r->procs[i];
		const struct proc_sample *s = &p->sample;

		snprintf(model, sizeof(model), "-");
		snprintf(badness, sizeof(badness), "-");
		if (p->model.ok) {
			snprintf(model, sizeof(model), "%ld", p->model.oom_score);
			if (p->model.domain_points == BADNESS_UNKILLABLE)
				snprintf(badness, sizeof(badness), "never");
			else
				snprintf(badness, sizeof(badness), "%lld", p->model.domain_points);
		}
		if (s->ok)
			ktap_diag(k, "  %-15s %7d %5ld %9ld %6s %9s %9lld %9lld %9lld  %s", p->spec->role,
				  (int)p->pid, s->oom_score_adj, s->oom_score, model, badness, s->rss_anon_kb,
				  s->rss_file_kb, s->rss_shmem_kb, proc_fate(p, how, sizeof(how)));
		else
			ktap_diag(k, "  %-15s %7d %5s %9s %6s %9s %9s %9s %9s  %s", p->spec->role, (int)p->pid,
				  "-", "-", "-", "-", "-", "-", "-", proc_fate(p, how, sizeof(how)));
		if (p->nmembers)
			ktap_diag(k, "  %-15s %d more processes in this role", "", p->nmembers);
	}
}

/* For each OOM event of the case: whom the model picks from the kernel's task table. */
static void print_predictions(const struct case_run *r, struct ktap *k)
{
	size_t e;
	int n = 0;

	for (e = 0; e < r->report.n; e++) {
		const struct event_model *m = &r->models[e];
		const struct oom_event *ev = &r->report.events[e];

		if (!r->ours[e])
			continue;
		n++;
		if (!m->made)
			ktap_diag(k, "model, OOM event %d: no prediction: %s", n, m->why_not);
		else if (m->how != HOW_BADNESS)
			ktap_diag(k, "model, OOM event %d: %s, so pid %ld (%s); the kernel killed pid %ld",
				  n, model_how_text(m->how), m->pid, m->comm, ev->kills[0].pid);
		else
			ktap_diag(k, "model, OOM event %d: pid %ld (%s) has the highest badness, %lld in %lld "
				  "pages%s; the kernel killed pid %ld", n, m->pid, m->comm, m->points,
				  m->totalpages, m->ties ? " (a tie)" : "", ev->kills[0].pid);
	}
}

static void print_faults(const struct case_run *r, struct ktap *k)
{
	int i, f;

	for (i = 0; i < r->nprocs; i++) {
		const struct proc_run *p = &r->procs[i];

		for (f = 0; f < p->nfaults; f++) {
			const struct fault *ft = &p->faults[f];
			char spec[64];

			fault_format(ft, spec, sizeof(spec));
			if (fault_counted(ft))
				ktap_diag(k, "fault %s in %s: %ld calls, %ld failed", spec, p->spec->role,
					  ft->calls, ft->failed);
			else
				ktap_diag(k, "fault %s in %s: every call fails (not counted)", spec,
					  p->spec->role);
		}
	}
}

static void print_counters(const struct case_run *r, struct ktap *k)
{
	if (!r->have_counters) {
		ktap_diag(k, "cgroup %s: counters not read", r->cg_kpath);
		return;
	}
	if (r->counters.has_oom_kill)
		ktap_diag(k, "cgroup %s: oom_kill %lld, limit hits %lld, usage now %lld kB", r->cg_kpath,
			  r->counters.oom_kill, r->counters.limit_hits, r->counters.usage / 1024);
	else
		ktap_diag(k, "cgroup %s: no oom_kill counter on this kernel, limit hits %lld",
			  r->cg_kpath, r->counters.limit_hits);
}

static void print_line(const struct case_run *r, struct ktap *k, size_t i)
{
	ktap_diag(k, "  [%12.6f] %s", r->lines[i].ts, r->lines[i].text);
}

static void print_kernel_log(const struct case_run *r, struct ktap *k, bool all)
{
	size_t e, i, kk;
	int shown = 0;

	for (e = 0; e < r->report.n; e++) {
		const struct oom_event *ev = &r->report.events[e];

		if (!r->ours[e])
			continue;
		if (!shown++)
			ktap_diag(k, "kernel log of this case (%s):", all ? "every line of its OOM reports"
				  : "the key lines of its OOM reports; -v shows all");
		if (!ev->has_trigger)
			ktap_diag(k, "  (no report header before this kill: the kernel rate-limits "
				  "headers to %d per %llu s)", RATELIMIT_BURST,
				  RATELIMIT_INTERVAL_USEC / 1000000);
		/* The events' line numbers are indexes into r->lines (runcase.c). */
		for (i = (size_t)ev->first_line; i <= (size_t)ev->last_line && i < r->nlines; i++)
			if (all || oom_line_is_key(r->lines[i].text))
				print_line(r, k, i);
		for (kk = 0; kk < ev->nkills; kk++)
			if (ev->kills[kk].reaped || ev->kills[kk].reap_failed)
				print_line(r, k, (size_t)ev->kills[kk].reaper_line);
	}
	if (!shown)
		ktap_diag(k, "kernel log of this case: no OOM report (%zu lines logged during the case)",
			  r->nlines);
	if (r->klog.lost)
		ktap_diag(k, "kernel log: %llu records were overwritten before oomlab read them",
			  r->klog.lost);
}

static void print_output(const struct case_run *r, struct ktap *k)
{
	int i;

	for (i = 0; i < r->nprocs; i++) {
		const struct proc_run *p = &r->procs[i];
		const char *start = p->output, *s;
		int lines = 0;

		if (!p->outlen)
			continue;
		/* The last few lines. */
		for (s = p->output + p->outlen; s > p->output; s--)
			if (s[-1] == '\n' && s != p->output + p->outlen && ++lines == OUTPUT_TAIL_LINES) {
				start = s;
				break;
			}
		ktap_diag(k, "output of %s (%s%zu bytes):", p->spec->role, p->out_truncated ?
			  "truncated, first " : "", p->outlen);
		for (s = start; *s;) {
			size_t n = strcspn(s, "\n");

			ktap_diag(k, "  %.*s", (int)n, s);
			s += n + (s[n] == '\n');
		}
	}
}

void casediag_print(const struct case_run *r, struct ktap *k, bool failed, bool verbose)
{
	if (r->nprocs && r->procs[0].pid)
		print_processes(r, k);
	print_faults(r, k);
	if (r->change_result[0])
		ktap_diag(k, "change after go: %s%s%s", r->change_result, r->change_detail[0] ? ": " : "",
			  r->change_detail);
	if (r->cg_dir[0])
		print_counters(r, k);
	if ((failed || verbose) && r->models)
		print_predictions(r, k);
	if (failed || verbose)
		print_kernel_log(r, k, verbose);
	if (failed || verbose)
		print_output(r, k);
	if (verbose)
		ktap_diag(k, "timing: all ready %ld ms, go %ld ms, run ended %ld ms, log settled %ld ms, "
			  "cleaned up %ld ms (after waiting %ld ms for other runs' cases and %ld ms "
			  "for the kernel's report rate limit)", r->t_ready_ms, r->t_go_ms, r->t_end_ms,
			  r->t_settled_ms, r->t_total_ms, r->lock_waited_ms,
			  r->waited_ms - r->lock_waited_ms);
}
