// SPDX-License-Identifier: GPL-2.0
/* Reading the pieces of a report line: numbers, "key=value" fields, "PID (COMM)", reasons. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fixedtext.h"
#include "klog/logline.h"
#include "klog/oomparser.h"
#include "shared/arrays.h"

const char *oom_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A log prefix's piece at p in [s, end): just past it, or NULL. */
static const char *log_mark(const char *p, const char *end)
{
	const char *m;

	if (*p == '[')
		return (m = logline_printk_time(p, end, NULL)) ? m : logline_caller_id(p, end);
	if (*p == 'k')
		return end - p >= 7 && !memcmp(p, "kernel:", 7) ? p + 7 : NULL;
	return isupper((unsigned char)*p) ? logline_syslog_date(p, end) : NULL;
}

/*
 * Where a value read from [s, s+n) really starts: past the last printk time, caller id,
 * "kernel:" or syslog date that starts a word in it (at its start or after a blank), which
 * can only be a log prefix the stripping did not know. ("backup-2024-01-14T10:11:12" or
 * "a[1.5]" inside a name are kept.)
 */
size_t oom_leaked_prefix(const char *s, size_t n)
{
	const char *end = s + n, *p, *m, *cut = s;

	for (p = s; p < end; p++) {
		/* at a word's start, or right after a piece cut before ("[ 1.5][ T42]") */
		if (p > s && p != cut && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if ((m = log_mark(p, end)) && m > cut)
			cut = m;
	}
	while (cut < end && (*cut == ' ' || *cut == '\t'))
		cut++;
	return (size_t)(cut - s);
}

/* Copy at most len-1 bytes of [s, s+n), without a log prefix that leaked into it. */
void oom_copy(char *dst, size_t len, const char *s, size_t n)
{
	size_t skip = oom_leaked_prefix(s, n);

	s += skip;
	n -= skip;
	if (n >= len)
		n = len - 1;
	memmove(dst, s, n);
	dst[n] = '\0';
}

/* A whole (optionally signed) decimal number at s; false when there is none. */
bool oom_number(const char *s, long long *out, const char **end)
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
long long oom_kb_field(const char *s, const char *key)
{
	const char *p = strstr(s, key), *end;
	long long v;

	/* "kB" after it: a line cut inside the number says nothing */
	if (!p || !oom_number(p + strlen(key), &v, &end) || strncmp(end, "kB", 2))
		return -1;
	return v;
}

/* The value of "key=" in s, up to the earliest of the stop strings or the end. */
bool oom_field(const char *s, const char *key, const char *const *stops, char *out, size_t len)
{
	const char *v = fixed_past(s, key), *end = NULL;
	size_t i;

	if (!v)
		return false;
	for (i = 0; stops[i]; i++) {
		const char *k = fixed_find(v, stops[i], NULL);

		if (k && (!end || k < end))
			end = k;
	}
	if (!end)
		end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == ','))
		end--;
	oom_copy(out, len, v, (size_t)(end - v));
	return true;
}

/* "NUM (COMM)" where COMM may hold anything: it ends at the ")" before tail, or the last ")". */
bool oom_pid_and_comm(const char *s, const char *tail, long *pid, char *comm, size_t len,
			 const char **after)
{
	const char *open, *close = NULL, *p;
	long long v;

	if (!oom_number(s, &v, &open) || !(open = fixed_after(open, " (")))
		return false;
	if (tail)
		close = fixed_find(open, tail, NULL);
	if (!close) {
		for (p = open; (p = strchr(p, ')')); p++)
			close = p;
	}
	if (!close)
		return false;
	*pid = (long)v;
	oom_copy(comm, len, open, (size_t)(close - open));
	if (after)
		*after = close + 1;
	return true;
}

bool oom_reason(const char *t, const char *at, char *out, size_t len)
{
	/* the kernel's reasons, longest first: one may end another */
	static const char *const reasons[] = { "Out of memory (oom_kill_allocating_task)",
					       "Memory cgroup out of memory", "Out of memory" };
	size_t n = (size_t)(at - t), i;

	while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	if (!n || t[n - 1] != ':')
		return false;
	n--;
	for (i = 0; i < ARRAY_SIZE(reasons); i++) {
		if (fixed_ends(t, n, reasons[i])) {
			oom_copy(out, len, reasons[i], strlen(reasons[i]));
			return true;
		}
	}
	return false;
}

int oom_try(oom_step *const *steps, size_t n, struct oom_parser *p, const char *t, long src)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int rc = steps[i](p, t, src);

		if (rc)
			return rc;
	}
	return 0;
}
