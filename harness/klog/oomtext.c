// SPDX-License-Identifier: GPL-2.0
/* Reading the pieces of a report line: numbers, "key=value" fields, "PID (COMM)". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "klog/oomparser.h"

const char *oom_past(const char *s, const char *word)
{
	const char *at = strstr(s, word);

	return at ? at + strlen(word) : NULL;
}

const char *oom_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copy at most len-1 bytes of [s, s+n). */
void oom_copy(char *dst, size_t len, const char *s, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
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
	const char *v = strstr(s, key), *end = NULL;
	size_t i;

	if (!v)
		return false;
	v += strlen(key);
	for (i = 0; stops[i]; i++) {
		const char *k = strstr(v, stops[i]);

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
		close = strstr(open, tail);
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
