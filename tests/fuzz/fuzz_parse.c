// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel log reader: any bytes go through logscan (prefixes,
 * escapes, wrapped lines, the fast scan, every recognizer) and the JSON writer. Besides
 * not crashing (ASan, UBSan), every event must point at lines the input has, and no
 * string in an event may hold a log prefix the reader should have taken off: a printk
 * time "[  12.5]", a caller id "[ T42]", "kernel:", or a syslog date "Jan 14 16:50:34",
 * at the start of a word (a cgroup named "a[1.5]" is a name). These matchers are this
 * file's own, not the reader's: they check it, they do not share its mistakes.
 *
 *   make fuzz && build/fuzz/fuzz_parse -max_total_time=60 build/fuzz/corpus tests/fixtures/parse
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "klog/logscan.h"
#include "klog/oomjson.h"

static void check(bool ok, const char *what, long value, long lines)
{
	if (!ok) {
		fprintf(stderr, "fuzz_parse: %s = %ld outside the input's %ld lines\n", what, value, lines);
		abort();
	}
}

static bool in_input(long line, long lines)
{
	return line >= 1 && line <= lines;
}

/* n digits at *p (at least lo, at most hi), *p moved past them */
static bool digits_at(const char **p, int lo, int hi)
{
	int n = 0;

	while (n < hi && isdigit((unsigned char)**p))
		(*p)++, n++;
	return n >= lo;
}

/* "[", blanks, then a printk time "N.N" or a caller id "TN"/"CN", then "]" */
static bool bracket_at(const char *p)
{
	if (*p++ != '[')
		return false;
	while (*p == ' ')
		p++;
	if (*p == 'T' || *p == 'C') {
		p++;
		return digits_at(&p, 1, 1 << 30) && *p == ']';
	}
	return digits_at(&p, 1, 1 << 30) && *p++ == '.' && digits_at(&p, 1, 1 << 30) && *p == ']';
}

/* "Mon D HH:MM:SS" or "Mon DD HH:MM:SS" with any blanks after the month */
static bool syslog_date_at(const char *p)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
					      "Aug", "Sep", "Oct", "Nov", "Dec" };
	size_t m;

	for (m = 0; m < 12 && strncmp(p, months[m], 3); m++)
		;
	if (m == 12 || p[3] != ' ')
		return false;
	p += 3;
	while (*p == ' ')
		p++;
	return digits_at(&p, 1, 2) && *p++ == ' ' && digits_at(&p, 2, 2) && *p++ == ':' &&
	       digits_at(&p, 2, 2) && *p++ == ':' && digits_at(&p, 2, 2);
}

static void check_value(const char *what, const char *value)
{
	const char *p;

	for (p = value; *p; p++) {
		if (p > value && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if (bracket_at(p) || !strncmp(p, "kernel:", 7) || syslog_date_at(p)) {
			fprintf(stderr, "fuzz_parse: %s \"%s\" holds a log prefix at \"%s\"\n", what, value, p);
			abort();
		}
	}
}

/* Every string of an event. */
static void check_strings(const struct oom_event *ev)
{
	const struct { const char *what, *value; } fields[] = {
		{ "trigger comm", ev->trigger_comm }, { "cpu comm", ev->cpu_comm },
		{ "release", ev->release }, { "gfp_mask", ev->gfp_mask },
		{ "trigger nodemask", ev->trigger_nodemask }, { "nodemask", ev->nodemask },
		{ "cpuset", ev->cpuset }, { "mems_allowed", ev->mems_allowed },
		{ "constraint", ev->constraint }, { "oom_memcg", ev->oom_memcg },
		{ "task_memcg", ev->task_memcg }, { "task comm", ev->task_comm },
		{ "task_in", ev->task_in }, { "limit_of", ev->limit_of }, { "stats_for", ev->stats_for },
		{ "selected comm", ev->selected.comm }, { "selected reason", ev->selected_reason },
		{ "pinned victim", ev->pinned_victim.comm }, { "pinned by", ev->pinned_by.comm },
		{ "exiting comm", ev->exiting.comm }, { "oom_group", ev->oom_group }, { "panic", ev->panic },
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		check_value(fields[i].what, fields[i].value);
	for (i = 0; i < ev->ntasks; i++)
		check_value("task name", ev->tasks[i].name);
	for (i = 0; i < ev->nsharers; i++)
		check_value("sharer comm", ev->sharers[i].comm);
	for (i = 0; i < ev->nkills; i++) {
		check_value("kill comm", ev->kills[i].comm);
		check_value("kill reason", ev->kills[i].reason);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	struct oom_report r;
	struct logscan_info info;
	struct json j;
	long lines;
	size_t e, k;

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	if (logscan_mem((const char *)data, size, &r, &info))
		return 0; /* out of memory */
	lines = info.lines;
	for (e = 0; e < r.n; e++) {
		const struct oom_event *ev = &r.events[e];

		check(in_input(ev->first_line, lines), "first_line", ev->first_line, lines);
		check(ev->last_line >= ev->first_line && in_input(ev->last_line, lines), "last_line",
		      ev->last_line, lines);
		for (k = 0; k < ev->nkills; k++) {
			check(in_input(ev->kills[k].line, lines), "kill line", ev->kills[k].line, lines);
			if (ev->kills[k].reaped || ev->kills[k].reap_failed)
				check(in_input(ev->kills[k].reaper_line, lines), "reaper line",
				      ev->kills[k].reaper_line, lines);
		}
		check_strings(ev);
		if (null_out) {
			json_init(&j, null_out);
			oomjson_event(&j, ev, "fuzz");
		}
	}
	oom_report_free(&r);
	return 0;
}
