// SPDX-License-Identifier: GPL-2.0
/*
 * The case's part of the kernel log: the records read during the case split into
 * lines and parsed, the OOM events that are the case's, the lines its patterns may
 * see, and whether the kernel's rate limit kept part of its reports back.
 */
#include "run/caselog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/arrays.h"
#include "base/procinfo.h"
#include "shared/words.h"

/* What the model cannot read from a task table: what the stressors said of themselves. */
static void model_hints_of(const struct case_run *r, struct model_hints *h)
{
	int i, m;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < r->nprocs; i++) {
		const struct proc_run *p = &r->procs[i];

		if (p->model_fact == MODEL_OOM_ORIGIN && h->norigin < (int)ARRAY_SIZE(h->origin))
			h->origin[h->norigin++] = p->pid;
		if (p->model_fact == MODEL_VFORK_MEMBERS)
			for (m = 0; m < p->nmembers && h->nvfork < (int)ARRAY_SIZE(h->in_vfork); m++)
				h->in_vfork[h->nvfork++] = p->members[m].pid;
	}
}

/* Is the number at text + at written as a pid: "N (comm)", "pid N", "pid=N", "PID: N"? */
static bool pid_shaped(const char *text, size_t at, const char *end)
{
	static const char *const before[] = { "pid ", "pid=", "PID: ", "process " };

	if (starts_with(end, " ("))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(before); i++) {
		size_t n = strlen(before[i]);

		if (at >= n && !strncmp(text + at - n, before[i], n))
			return true;
	}
	return false;
}

/* Does the text name one of the case's pids, written as a pid? */
static bool names_case_pid(const struct case_run *r, const char *text)
{
	const char *p = text;

	while (*p) {
		if (*p >= '1' && *p <= '9' && (p == text || p[-1] < '0' || p[-1] > '9')) {
			char *end;
			long n = strtol(p, &end, 10);

			if ((*end < '0' || *end > '9') && pid_shaped(text, (size_t)(p - text), end) &&
			    case_run_owner(r, n))
				return true;
			p = end;
			continue;
		}
		p++;
	}
	return false;
}

/*
 * The lines that are the case's, and the only ones its dmesg patterns see: its own
 * OOM events, the lines between them that belong to no other event, its kills' reaper
 * lines, and lines that name one of its pids outside other events. Other runs' and
 * other programs' reports on the same machine are left out.
 */
static void mark_own_lines(struct case_run *r)
{
	long first = -1, last = -1;
	size_t e, i, k;

	for (e = 0; e < r->report.n; e++) {
		const struct oom_event *ev = &r->report.events[e];

		if (!r->ours[e])
			continue;
		if (first < 0 || ev->first_line < first)
			first = ev->first_line;
		if (ev->last_line > last)
			last = ev->last_line;
	}
	for (i = 0; i < r->nlines; i++)
		r->line_ours[i] = (first >= 0 && (long)i >= first && (long)i <= last) ||
				  names_case_pid(r, r->lines[i].text);
	for (e = 0; e < r->report.n; e++) {
		const struct oom_event *ev = &r->report.events[e];

		for (i = (size_t)ev->first_line; (long)i <= ev->last_line && i < r->nlines; i++)
			r->line_ours[i] = r->ours[e];
		for (k = 0; r->ours[e] && k < ev->nkills; k++)
			if (ev->kills[k].reaped && ev->kills[k].reaper_line >= 0 &&
			    (size_t)ev->kills[k].reaper_line < r->nlines)
				r->line_ours[ev->kills[k].reaper_line] = true;
	}
	r->nlines_ours = 0;
	for (i = 0; i < r->nlines; i++)
		r->nlines_ours += r->line_ours[i];
}

/* Split the records read so far into lines, parse them, and find this case's events. */
int caselog_analyse(struct case_run *r)
{
	struct model_hints hints;
	size_t i, total = 0;

	free(r->lines);
	free(r->line_ours);
	free(r->ours);
	free(r->models);
	oom_report_free(&r->report);
	r->lines = NULL;
	r->line_ours = NULL;
	r->ours = NULL;
	r->models = NULL;
	r->nlines = 0;
	for (i = 0; i < r->klog.n; i++)
		total += (size_t)r->klog.recs[i].nlines;
	r->lines = calloc(total ? total : 1, sizeof(*r->lines));
	r->line_ours = calloc(total ? total : 1, sizeof(*r->line_ours));
	if (!r->lines || !r->line_ours)
		return -1;
	for (i = 0; i < r->klog.n; i++) {
		const char *text = r->klog.recs[i].text;
		int l;

		/* src: the line's index, as the events' line numbers are. */
		for (l = 0; l < r->klog.recs[i].nlines; l++, text += strlen(text) + 1, r->nlines++)
			r->lines[r->nlines] = (struct oom_line){
				.text = text, .ts = (double)r->klog.recs[i].ts_usec / 1e6,
				.src = (long)r->nlines,
			};
	}
	if (oom_parse(r->lines, r->nlines, &r->report))
		return -1;
	r->ours = calloc(r->report.n ? r->report.n : 1, sizeof(*r->ours));
	r->models = calloc(r->report.n ? r->report.n : 1, sizeof(*r->models));
	if (!r->ours || !r->models)
		return -1;
	r->kills_logged = 0;
	model_hints_of(r, &hints);
	for (i = 0; i < r->report.n; i++) {
		const struct oom_event *ev = &r->report.events[i];
		size_t klen = strlen(r->cg_kpath), k;
		bool ours = false;

		if (ev->has_summary && !strncmp(ev->oom_memcg, r->cg_kpath, klen) &&
		    (ev->oom_memcg[klen] == '\0' || ev->oom_memcg[klen] == '/'))
			ours = true;
		if (ev->trigger_pid > 0 && case_run_owner(r, ev->trigger_pid))
			ours = true;
		for (k = 0; k < ev->nkills; k++)
			if (case_run_owner(r, ev->kills[k].pid))
				ours = true;
		r->ours[i] = ours;
		if (ours) {
			r->kills_logged += (int)ev->nkills;
			model_event(&r->model, ev, &hints, &r->models[i]);
		}
	}
	mark_own_lines(r);
	return 0;
}

/*
 * Has every process the case's log says was killed ended (been reaped), and has every
 * other process of the same roles that is dying (killed with it: sharers of its mm)
 * finished dying?
 */
bool caselog_victims_reaped(const struct case_run *r)
{
	size_t e, k;
	int m;

	for (e = 0; e < r->report.n; e++) {
		if (!r->ours[e])
			continue;
		for (k = 0; k < r->report.events[e].nkills; k++) {
			long pid = r->report.events[e].kills[k].pid;
			const struct proc_run *p = case_run_owner(r, pid);

			if (!p)
				continue;
			if (p->state != PS_ENDED && proc_dying(p->pid))
				return false;
			for (m = 0; m < p->nmembers; m++)
				if (p->members[m].status == -1 && proc_dying(p->members[m].pid))
					return false;
		}
	}
	return true;
}

/* Log time of a line, in microseconds. */
static unsigned long long line_usec(const struct case_run *r, long line)
{
	return line >= 0 && (size_t)line < r->nlines ? (unsigned long long)(r->lines[line].ts * 1e6) : 0;
}

/* The case's own full reports (their header line) in the kernel's interval before usec. */
static int own_reports_before(const struct case_run *r, unsigned long long usec)
{
	size_t e;
	int n = 0;

	for (e = 0; e < r->report.n; e++) {
		const struct oom_event *ev = &r->report.events[e];
		unsigned long long t = line_usec(r, ev->first_line);

		n += r->ours[e] && ev->has_trigger && t < usec && t + RATELIMIT_INTERVAL_USEC >= usec;
	}
	return n;
}

/*
 * A report of the case that has its Killed line but no header: the kernel's rate limit
 * (10 full reports per 5 s, for the whole machine) kept the rest back. That is proven
 * when the kernel printed a full burst in the interval before it; when reports that are
 * not the case's were among them, the case's log cannot be judged: say so.
 */
void caselog_check_suppressed(struct case_run *r, struct oom_ratelimit *rl)
{
	size_t e;

	for (e = 0; r->ours && e < r->report.n; e++) {
		const struct oom_event *ev = &r->report.events[e];
		unsigned long long t;
		int all, others;

		if (!r->ours[e] || !ev->nkills || ev->has_trigger || ev->has_summary)
			continue;
		t = line_usec(r, ev->kills[0].line);
		all = ratelimit_reports_before(rl, t);
		others = all - own_reports_before(r, t);
		if (all >= RATELIMIT_BURST && others > 0) {
			int secs = (int)(RATELIMIT_INTERVAL_USEC / 1000000);

			snprintf(r->not_judged, sizeof(r->not_judged), "the kernel suppressed this case's OOM report (its rate limit, %d full reports per %d s for the "
				 "whole machine, was used up: %d in the %d s before, %d of them not this "
				 "case's)", RATELIMIT_BURST, secs, all, secs, others);
			return;
		}
	}
}

