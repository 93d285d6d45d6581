// SPDX-License-Identifier: GPL-2.0
/* The OOM report parser: events, the state machine, the era guess. */
#include "klog/oomreport.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fixedtext.h"
#include "klog/oomparser.h"
#include "shared/arrays.h"

unsigned long kver_code(int major, int minor, int patch)
{
	return (unsigned long)major * 1000000UL + (unsigned long)minor * 1000UL + (unsigned long)patch;
}

void oom_era_hint(struct oom_event *ev, unsigned long lo, unsigned long hi)
{
	if (ev->era_lo == (unsigned long)-1)
		return; /* the shapes already disagreed (a distro kernel with backports) */
	if (lo > ev->era_lo)
		ev->era_lo = lo;
	if (hi && (!ev->era_hi || hi < ev->era_hi))
		ev->era_hi = hi;
	if (ev->era_hi && ev->era_lo > ev->era_hi)
		ev->era_lo = (unsigned long)-1;
}

static void version_text(unsigned long code, char *out, size_t len)
{
	unsigned long major = code / 1000000, minor = code / 1000 % 1000, patch = code % 1000;

	if (major == 2)
		snprintf(out, len, "%lu.%lu.%lu", major, minor, patch);
	else
		snprintf(out, len, "%lu.%lu", major, minor);
}

void oom_era_text(const struct oom_event *ev, char *out, size_t len)
{
	char lo[32], hi[32];

	out[0] = '\0';
	if (ev->era_lo == (unsigned long)-1 || (!ev->era_lo && !ev->era_hi))
		return;
	version_text(ev->era_lo, lo, sizeof(lo));
	if (!ev->era_hi) {
		snprintf(out, len, "%s+", lo);
		return;
	}
	version_text(ev->era_hi, hi, sizeof(hi));
	if (!ev->era_lo)
		snprintf(out, len, "up to %s", hi);
	else if (!strcmp(lo, hi))
		snprintf(out, len, "%s", lo);
	else
		snprintf(out, len, "%s-%s", lo, hi);
}

/* The leading version numbers of a release ("2.6.32-696.el6" -> 2.6.32, "4.18.0-513" -> 4.18). */
static unsigned long release_code(const char *release)
{
	int major = 0, minor = 0, patch = 0;

	if (sscanf(release, "%d.%d.%d", &major, &minor, &patch) < 2)
		return 0;
	return kver_code(major, minor, major == 2 ? patch : 0);
}

int oom_backport(const struct oom_event *ev)
{
	unsigned long code = release_code(ev->release);

	/* lines that fit no single range (a cut paste, a mix) say nothing about the release */
	if (!code || ev->era_lo == (unsigned long)-1 || (!ev->era_lo && !ev->era_hi))
		return -1;
	return code < ev->era_lo || (ev->era_hi && code > ev->era_hi);
}

const char *oom_trigger_comm(const struct oom_event *ev)
{
	return ev->trigger_comm[0] ? ev->trigger_comm : ev->cpu_comm;
}

bool oom_has_trigger(const struct oom_event *ev)
{
	return ev->has_trigger || ev->trigger_pid >= 0;
}

bool oom_task_is(const struct oom_task *t, long pid)
{
	return pid >= 0 && (t->pid == pid || t->tgid == pid);
}

bool oom_in_table(const struct oom_event *ev, long pid)
{
	size_t i;

	for (i = 0; i < ev->ntasks; i++)
		if (oom_task_is(&ev->tasks[i], pid))
			return true;
	return false;
}

bool oom_foreign(const struct oom_parser *p, long pid)
{
	const struct oom_event *ev = p->cur;

	return ev && p->phase == PH_HEADER && !ev->nkills && ev->ntasks && !oom_in_table(ev, pid);
}

/* The first line of a kernel warning, BUG, oops or page allocation failure. */
static bool splat_start(const char *t)
{
	return strstr(t, " page allocation failure: ") || !strncmp(t, "WARNING: ", 9) ||
	       !strncmp(t, "BUG: ", 5) || !strncmp(t, "Oops: ", 6) || !strncmp(t, "INFO: task ", 11);
}

static bool far_apart(double a, double b)
{
	return a >= 0 && b >= 0 && (a - b > OOM_MAX_GAP_S || b - a > OOM_MAX_GAP_S);
}

/*
 * Before a line is read: a kernel warning's start (its CPU: line and Mem-Info open no
 * report until its end trace, or a jump in time), and whether the open report is over
 * (a jump in printk time; a warning after its kill, or while it holds nothing but a
 * CPU: line or Mem-Info).
 */
static void before_line(struct oom_parser *p, const char *t, double ts)
{
	if (p->splat && (far_apart(ts, p->splat_ts) || !strncmp(t, "---[ end trace", 14)))
		p->splat = false;
	if (splat_start(t)) {
		p->splat = true;
		p->splat_ts = ts;
		if (p->phase == PH_KILLED || (p->phase == PH_HEADER && p->cur && !oom_has_trigger(p->cur) &&
					      !p->cur->ntasks && !p->cur->has_summary && !p->cur->mem.seen))
			p->phase = PH_NONE;
	} else if (p->phase != PH_NONE && far_apart(ts, p->last_ts)) {
		p->phase = PH_NONE;
	}
}

/*
 * An event with nothing but what a kernel warning or a page allocation failure prints
 * too (a CPU: line, Mem-Info), or task table rows alone: not an OOM report.
 */
static bool not_a_report(const struct oom_event *ev)
{
	return !ev->has_trigger && !ev->has_summary && !ev->nkills && !ev->selected.seen &&
	       !ev->exiting.seen && !ev->mem.seen && !ev->task_in[0] &&
	       !ev->limit_of[0] && !ev->no_killable && !ev->panic[0] && !ev->oom_group[0] &&
	       !ev->pinned_victim.seen && !ev->nsharers;
}

static void event_free(struct oom_event *ev)
{
	free(ev->tasks);
	free(ev->kills);
	free(ev->sharers);
}

/* The last event goes when it is not a report. */
static void drop_if_not_a_report(struct oom_report *r)
{
	if (r->n && not_a_report(&r->events[r->n - 1]))
		event_free(&r->events[--r->n]);
}

struct oom_event *oom_open(struct oom_parser *p, long src)
{
	struct oom_report *r = p->out;
	struct oom_event *ev, *grown;

	drop_if_not_a_report(r);
	grown = realloc(r->events, (r->n + 1) * sizeof(*r->events));
	if (!grown)
		return NULL;
	r->events = grown;
	ev = &r->events[r->n++];
	memset(ev, 0, sizeof(*ev));
	ev->first_line = ev->last_line = src;
	ev->trigger_pid = ev->task_pid = ev->task_uid = OOM_UNKNOWN;
	ev->ram_pages = ev->reserved_pages = ev->free_pages = ev->free_swap_kb = ev->total_swap_kb =
		OOM_UNKNOWN;
	ev->order = -2;
	ev->selected_score = OOM_UNKNOWN;
	p->cur = ev;
	p->phase = PH_HEADER;
	p->ncols = 0;
	p->in_meminfo = false;
	p->unknown = 0;
	p->last_ts = p->ts;
	p->splat = false;
	return ev;
}

struct oom_event *oom_current(struct oom_parser *p, long src)
{
	if (p->phase != PH_NONE && p->cur)
		return p->cur;
	return oom_open(p, src);
}

struct oom_parser *oom_parser_new(struct oom_report *out)
{
	struct oom_parser *p = calloc(1, sizeof(*p));

	memset(out, 0, sizeof(*out));
	if (!p)
		return NULL;
	p->out = out;
	p->ts = p->last_ts = p->splat_ts = -1;
	return p;
}

int oom_parser_line(struct oom_parser *p, const char *text, long src, double ts)
{
	int rc;

	p->ts = ts;
	text = oom_skip_ws(text);
	before_line(p, text, ts);
	rc = oom_lines_take(p, text, src);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		p->unknown = 0;
		if (p->cur && p->phase != PH_NONE)
			p->cur->last_line = src;
	} else if (rc == 2) {
		/* a reaper line: neither part of the open report nor the end of it */
	} else if (p->phase == PH_KILLED) {
		/* After the kill, an unknown line ends the report. */
		p->phase = PH_NONE;
	} else if (p->phase != PH_NONE &&
		   ++p->unknown > (p->cur && not_a_report(p->cur) ? OOM_MAX_UNKNOWN_WEAK : OOM_MAX_UNKNOWN)) {
		p->phase = PH_NONE; /* a header whose report never came to its kill */
	}
	if (p->phase != PH_NONE && ts >= 0)
		p->last_ts = ts;
	return p->phase != PH_NONE;
}

void oom_parser_end(struct oom_parser *p)
{
	drop_if_not_a_report(p->out);
	free(p);
}

int oom_parse(const struct oom_line *lines, size_t n, struct oom_report *out)
{
	struct oom_parser *p = oom_parser_new(out);
	size_t i;

	if (!p)
		return -1;
	for (i = 0; i < n; i++) {
		if (oom_parser_line(p, lines[i].text, lines[i].src, lines[i].ts) < 0) {
			oom_parser_end(p);
			oom_report_free(out);
			return -1;
		}
	}
	oom_parser_end(p);
	return 0;
}

void oom_report_free(struct oom_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		event_free(&r->events[i]);
	free(r->events);
	memset(r, 0, sizeof(*r));
}

bool oom_line_is_key(const char *t)
{
	static const char *const marks[] = {
		" invoked oom-killer: ", "memory: usage ", "swap: usage ", "memory+swap: usage ",
		"Tasks state (memory values in pages)", "oom-kill:", "Killed process ", "ill process ",
		"oom_reaper: ", "are going to be killed due to memory.oom.group set",
		"Out of memory and no killable processes", "is already exiting. Skip killing",
		"Task in ", "Kernel panic - not syncing", "has mm pinned by",
	};
	size_t i;

	if (oom_table_line(t, strlen(t)))
		return true;
	for (i = 0; i < ARRAY_SIZE(marks); i++)
		if (fixed_find(t, marks[i], NULL))
			return true;
	return false;
}
