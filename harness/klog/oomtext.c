// SPDX-License-Identifier: GPL-2.0
/* Reading the pieces of a report line: numbers, "key=value" fields, "PID (COMM)", reasons. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "klog/fixedtext.h"
#include "klog/oomparser.h"
#include "shared/arrays.h"

const char *oom_find(const char *s, const char *word)
{
	return fixed_find(s, word, NULL);
}

const char *oom_past(const char *s, const char *word)
{
	return fixed_past(s, word);
}

const char *oom_after(const char *s, const char *word)
{
	return fixed_after(s, word);
}

const char *oom_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool digits(const char **p, const char *end, size_t min, size_t max)
{
	size_t n = 0;

	while (*p < end && n < max && isdigit((unsigned char)**p))
		(*p)++, n++;
	return n >= min;
}

/* "[  12.5]" or "[ T42]" at s: just past it, or NULL. */
static const char *bracket_mark(const char *s, const char *end)
{
	const char *p = s + 1;

	while (p < end && *p == ' ')
		p++;
	if (p < end && (*p == 'T' || *p == 'C')) {
		p++;
		if (!digits(&p, end, 1, 20))
			return NULL;
	} else if (!digits(&p, end, 1, 20) || p == end || *p++ != '.' || !digits(&p, end, 1, 20)) {
		return NULL;
	}
	return p < end && *p == ']' ? p + 1 : NULL;
}

/* "Jan 14 16:50:34" (a syslog date) or "2026-01-14T16:50:34" at s: just past it, or NULL. */
static const char *date_mark(const char *s, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = s;
	size_t m;

	if (isdigit((unsigned char)*s)) {
		if (!digits(&p, end, 4, 4) || p == end || *p++ != '-' || !digits(&p, end, 2, 2) ||
		    p == end || *p++ != '-' || !digits(&p, end, 2, 2) || p == end || *p++ != 'T')
			return NULL;
	} else {
		for (m = 0; m < 36 && (end - s < 3 || memcmp(s, months + m, 3)); m += 3)
			;
		if (m == 36)
			return NULL;
		p = s + 3;
		if (p == end || *p != ' ')
			return NULL;
		while (p < end && *p == ' ')
			p++;
		if (!digits(&p, end, 1, 2) || p == end || *p++ != ' ')
			return NULL;
	}
	if (!digits(&p, end, 2, 2) || p == end || *p++ != ':' || !digits(&p, end, 2, 2) ||
	    p == end || *p++ != ':' || !digits(&p, end, 2, 2))
		return NULL;
	return p;
}

/*
 * Where a value read from [s, s+n) really starts: past the last printk time, caller id,
 * "kernel:" or date in it, which can only be a log prefix the stripping did not know.
 */
size_t oom_leaked_prefix(const char *s, size_t n)
{
	const char *end = s + n, *p, *m, *cut = s;

	for (p = s; p < end; p++) {
		m = NULL;
		if (*p == '[')
			m = bracket_mark(p, end);
		else if (*p == 'k' && end - p >= 7 && !memcmp(p, "kernel:", 7))
			m = p + 7;
		else if (isupper((unsigned char)*p) || isdigit((unsigned char)*p))
			m = date_mark(p, end);
		if (m && m > cut)
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
	const char *p = strstr(s, key);
	long long v;

	if (!p || !oom_number(p + strlen(key), &v, NULL))
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

	if (!oom_number(s, &v, &open) || open[0] != ' ' || open[1] != '(')
		return false;
	open += 2;
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
