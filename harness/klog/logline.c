// SPDX-License-Identifier: GPL-2.0
#include "klog/logline.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SYSLOG_REACH 200   /* how far into a line " kernel: " may be */
#define CONSOLE_REACH 96   /* how far into a line a printk time may end a console's prefix */
#define MAX_PREFIXES 8

static bool starts(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && !memcmp(s, word, n);
}

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* "PRI,SEQ,TS,FLAGS;" of a /dev/kmsg record: where the text starts, or NULL. */
static const char *kmsg_prefix(const char *s, const char *end, double *ts)
{
	const char *p = s, *semi;
	int fields = 0;

	if (s == end || !isdigit((unsigned char)*s))
		return NULL;
	semi = memchr(s, ';', end - s < 64 ? (size_t)(end - s) : 64);
	if (!semi)
		return NULL;
	for (; p < semi; p++) {
		if (*p == ',')
			fields++;
		else if (!isdigit((unsigned char)*p) && fields < 3)
			return NULL;
	}
	if (fields < 3)
		return NULL;
	p = memchr(s, ',', (size_t)(semi - s));
	p = memchr(p + 1, ',', (size_t)(semi - p - 1));
	*ts = strtod(p + 1, NULL) / 1e6;
	return semi + 1;
}

const char *logline_printk_time(const char *s, const char *end, double *ts)
{
	const char *p = s + 1, *digits;

	if (s == end || *s != '[')
		return NULL;
	while (p < end && *p == ' ')
		p++;
	for (digits = p; p < end && isdigit((unsigned char)*p); p++)
		;
	if (p == digits || p == end || *p != '.')
		return NULL;
	for (p++; p < end && isdigit((unsigned char)*p); p++)
		;
	if (p == end || *p != ']' || p[-1] == '.')
		return NULL;
	if (ts)
		*ts = strtod(digits, NULL);
	return p + 1;
}

const char *logline_caller_id(const char *s, const char *end)
{
	const char *p = s + 1;

	if (s == end || *s != '[')
		return NULL;
	while (p < end && *p == ' ')
		p++;
	if (p == end || (*p != 'T' && *p != 'C'))
		return NULL;
	if (++p == end || !isdigit((unsigned char)*p))
		return NULL;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	return p < end && *p == ']' ? p + 1 : NULL;
}

/* dmesg -T: "[Sun Nov 22 14:41:59 2026]": just past the ']', or NULL. */
static const char *wall_time(const char *s, const char *end)
{
	const char *close;

	if (end - s < 20 || *s != '[' || !isalpha((unsigned char)s[1]) ||
	    !isalpha((unsigned char)s[2]) || !isalpha((unsigned char)s[3]) || s[4] != ' ')
		return NULL;
	close = memchr(s, ']', end - s < 40 ? (size_t)(end - s) : 40);
	return close && memchr(s, ':', (size_t)(close - s)) ? close + 1 : NULL;
}

/* Does [s, end) hold a time of day "hh:mm:ss"? */
static bool has_clock(const char *s, const char *end)
{
	const char *p;

	for (p = s; p + 8 <= end; p++)
		if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && p[2] == ':' &&
		    isdigit((unsigned char)p[3]) && isdigit((unsigned char)p[4]) && p[5] == ':' &&
		    isdigit((unsigned char)p[6]) && isdigit((unsigned char)p[7]))
			return true;
	return false;
}

/* A syslog or journal header: a time of day, then " kernel: " (or the line starts with "kernel: "). */
static const char *syslog_prefix(const char *s, const char *end)
{
	const char *k, *lim = end - s > SYSLOG_REACH ? s + SYSLOG_REACH : end;

	if (starts(s, end, "kernel:"))
		return s + 7;
	k = memmem(s, (size_t)(lim - s), " kernel:", 8);
	if (!k || !has_clock(s, k))
		return NULL;
	return k + 8;
}

/* dmesg -x: "kern  :err   : " */
static const char *facility_prefix(const char *s, const char *end)
{
	const char *c1, *c2;

	if (!starts(s, end, "kern ") && !starts(s, end, "kern:"))
		return NULL;
	c1 = memchr(s, ':', end - s < 16 ? (size_t)(end - s) : 16);
	if (!c1)
		return NULL;
	c2 = memchr(c1 + 1, ':', end - c1 - 1 < 16 ? (size_t)(end - c1 - 1) : 16);
	return c2 ? c2 + 1 : NULL;
}

/* dmesg -r: "<4>" */
static const char *level_prefix(const char *s, const char *end)
{
	const char *p = s + 1;

	if (end - s < 3 || *s != '<')
		return NULL;
	while (p < end && p - s < 6 && isdigit((unsigned char)*p))
		p++;
	return p > s + 1 && p < end && *p == '>' ? p + 1 : NULL;
}

/* A line-number gutter: cat -n's "    12\t", a viewer's "  12 | ". */
static const char *gutter(const char *s, const char *end)
{
	const char *p = s, *digits;

	while (p < end && *p == ' ')
		p++;
	for (digits = p; p < end && isdigit((unsigned char)*p); p++)
		;
	if (p == digits || p == end)
		return NULL;
	if (*p == '\t')
		return p + 1;
	while (p < end && *p == ' ')
		p++;
	return p < end && *p == '|' ? p + 1 : NULL;
}

/* n digits (at least lo, at most hi) at *p, *p moved past them. */
static bool digits_at(const char **p, const char *end, int lo, int hi)
{
	int n = 0;

	while (*p < end && n < hi && isdigit((unsigned char)**p))
		(*p)++, n++;
	return n >= lo;
}

/*
 * A console's clock: "2026-11-22T14:41:59.123Z ", "[2026-11-22 14:41:59] ", "14:41:59.123 | "
 * (a CI runner's timestamps, a terminal logger's): just past it and a separator, or NULL.
 */
static const char *clock_prefix(const char *s, const char *end)
{
	const char *p = s + (s < end && *s == '['), *date = p;

	if (digits_at(&p, end, 4, 4) && p < end && *p == '-') {
		p++;
		if (!digits_at(&p, end, 2, 2) || p == end || *p++ != '-' || !digits_at(&p, end, 2, 2) ||
		    p == end || (*p != 'T' && *p != ' '))
			return NULL;
		p++;
	} else {
		p = date;
	}
	if (!digits_at(&p, end, 2, 2) || p == end || *p++ != ':' || !digits_at(&p, end, 2, 2) ||
	    p == end || *p++ != ':' || !digits_at(&p, end, 2, 2))
		return NULL;
	if (p < end && (*p == '.' || *p == ',')) {
		p++;
		digits_at(&p, end, 1, 9);
	}
	if (p < end && *p == 'Z')
		p++;
	else if (p + 1 < end && (*p == '+' || *p == '-') && isdigit((unsigned char)p[1]))
		for (p++; p < end && (isdigit((unsigned char)*p) || *p == ':'); p++)
			;
	if (*s == '[' && (p == end || *p++ != ']'))
		return NULL;
	if (p == end || (*p != ' ' && *p != '\t' && *p != '|'))
		return NULL;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '|'))
		p++;
	return p;
}

const char *logline_syslog_date(const char *s, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p = s + 3;
	size_t m;

	for (m = 0; m < 36 && (end - s < 3 || memcmp(s, months + m, 3)); m += 3)
		;
	if (m == 36 || p == end || *p != ' ')
		return NULL;
	while (p < end && *p == ' ')
		p++;
	if (!digits_at(&p, end, 1, 2) || p == end || *p++ != ' ' || !digits_at(&p, end, 2, 2) ||
	    p == end || *p++ != ':' || !digits_at(&p, end, 2, 2) || p == end || *p++ != ':' ||
	    !digits_at(&p, end, 2, 2))
		return NULL;
	return p;
}

/* A mail client's quoting: "> ", ">> ", "> > ". */
static const char *quote_prefix(const char *s, const char *end)
{
	const char *p = s;

	if (s == end || *s != '>')
		return NULL;
	while (p < end && (*p == '>' || *p == ' '))
		p++;
	return p;
}

/* After a printk time, journalctl -o short-monotonic puts "HOST kernel: ". */
static const char *host_kernel(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && p - s < 256 && *p != ' ' && *p != ':')
		p++;
	return p > s && starts(p, end, " kernel: ") ? p + 9 : NULL;
}

/* A printk time (and caller id) at s, or anywhere in a console's prefix before it. */
/*
 * A printk time (and caller id) at s; with console, also one further in, up to
 * CONSOLE_REACH bytes, that a console's own prefix put something before: a bracket
 * after a blank or '|', with a blank after it (not "hog[1.2]" in a comm).
 */
static const char *time_prefix(const char *s, const char *end, bool console, struct logline *out)
{
	const char *lim = end - s > CONSOLE_REACH ? s + CONSOLE_REACH : end, *p, *q;

	for (p = s; p < lim && (p = memchr(p, '[', (size_t)(lim - p))); p++) {
		if (p > s && (!console || (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '|')))
			continue;
		if (!(q = logline_printk_time(p, end, &out->ts)) ||
		    (p > s && q < end && *q != ' ' && *q != '['))
			continue;
		q = skip_blanks(q, end);
		if ((p = logline_caller_id(q, end)))
			q = p;
		q = skip_blanks(q, end);
		return (p = host_kernel(q, end)) ? p : q;
	}
	return NULL;
}

/*
 * The next prefix at s: where the text after it starts, or NULL. *log: it is a kernel
 * log's own prefix (a wrapped line's rest has none); a gutter, a quote or a console's
 * clock is not (each physical line of a paste has it).
 */
static const char *one_prefix(const char *s, const char *end, bool console, bool *log,
			      struct logline *out)
{
	const char *p;

	*log = true;
	if ((p = syslog_prefix(s, end)) || (p = facility_prefix(s, end)) || (p = wall_time(s, end))) {
		out->kernel = true;
		return p;
	}
	if ((p = level_prefix(s, end)))
		return p;
	if ((p = time_prefix(s, end, console, out))) {
		out->kernel = true;
		return p;
	}
	*log = false;
	if ((p = gutter(s, end)) || (p = quote_prefix(s, end)) || (p = clock_prefix(s, end)))
		return p;
	return NULL;
}

void logline_strip(const char *raw, size_t len, struct logline *out)
{
	const char *end, *p;
	bool log;
	int n;

	out->prefixed = out->kmsg = out->kernel = false;
	out->ts = -1;
	while (len && (raw[len - 1] == '\r' || raw[len - 1] == '\n'))
		len--;
	end = raw + len;
	if ((p = kmsg_prefix(raw, end, &out->ts))) {
		out->prefixed = out->kmsg = out->kernel = true;
		raw = p;
	} else {
		/* A console's prefix is searched for only before the log's own prefixes. */
		for (n = 0; n < MAX_PREFIXES && (p = one_prefix(raw, end, !out->prefixed, &log, out)); n++) {
			out->prefixed |= log;
			raw = skip_blanks(p, end);
		}
	}
	out->text = raw;
	out->len = (size_t)(end - raw);
}
