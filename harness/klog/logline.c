// SPDX-License-Identifier: GPL-2.0
#include "klog/logline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool starts(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && !memcmp(s, word, n);
}

/* "PRI,SEQ,TS,FLAGS;" of a /dev/kmsg record: where the text starts, or NULL. */
static const char *kmsg_prefix(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *semi;
	int fields = 0;

	if (!len || !isdigit((unsigned char)*s))
		return NULL;
	semi = memchr(s, ';', len < 64 ? len : 64);
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
	return semi + 1 < end ? semi + 1 : end;
}

/* "[  289.926475] " or "[Sun Nov 22 14:41:59 2026] ": where the text starts, or NULL. */
static const char *bracket_prefix(const char *s, size_t len)
{
	const char *close, *p = s + 1;
	char *e;

	if (!len || *s != '[')
		return NULL;
	close = memchr(s, ']', len < 40 ? len : 40);
	if (!close)
		return NULL;
	while (p < close && *p == ' ')
		p++;
	if (p < close && isdigit((unsigned char)*p)) {
		/* seconds.microseconds; a task table row "[   8692] ..." is not a timestamp */
		strtod(p, &e);
		if (e != close || !memchr(p, '.', (size_t)(close - p)))
			return NULL;
	} else if (close - s >= 20 && isalpha((unsigned char)s[1]) && isalpha((unsigned char)s[2]) &&
		   isalpha((unsigned char)s[3]) && s[4] == ' ' && memchr(s, ':', (size_t)(close - s))) {
		/* dmesg -T: a wall-clock time, not since boot */
	} else {
		return NULL;
	}
	p = close + 1;
	if (p < s + len && *p == ' ')
		p++;
	return p;
}

/* Syslog and journal: "Jun 20 12:47:02 host kernel: ", "2024-09-29T08:12:34+00:00 host kernel: ". */
static const char *syslog_prefix(const char *s, size_t len)
{
	static const char *const months[] = { "Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ",
					      "Aug ", "Sep ", "Oct ", "Nov ", "Dec " };
	size_t i, window = len < 160 ? len : 160;
	bool header = false;
	const char *k;

	if (starts(s, len, "kernel: "))
		return s + 8;
	for (i = 0; i < 12 && !header; i++)
		header = starts(s, len, months[i]);
	if (!header && len > 10 && isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-')
		header = true; /* ISO 8601 date */
	if (!header)
		return NULL;
	k = memmem(s, window, " kernel: ", 9);
	return k ? k + 9 : NULL;
}

/* dmesg -x: "kern  :err   : " */
static const char *facility_prefix(const char *s, size_t len)
{
	const char *c1, *c2;

	if (!starts(s, len, "kern ") && !starts(s, len, "kern:"))
		return NULL;
	c1 = memchr(s, ':', len < 16 ? len : 16);
	if (!c1)
		return NULL;
	c2 = memchr(c1 + 1, ':', (size_t)(s + len - c1 - 1) < 16 ? (size_t)(s + len - c1 - 1) : 16);
	if (!c2)
		return NULL;
	return c2 + 1 < s + len && c2[1] == ' ' ? c2 + 2 : c2 + 1;
}

/* dmesg -r: "<4>" */
static const char *level_prefix(const char *s, size_t len)
{
	size_t i = 1;

	if (len < 3 || s[0] != '<')
		return NULL;
	while (i < len && i < 6 && isdigit((unsigned char)s[i]))
		i++;
	return i > 1 && i < len && s[i] == '>' ? s + i + 1 : NULL;
}

/* After a printk time, journalctl -o short-monotonic puts "HOST kernel: ". */
static const char *host_kernel(const char *s, size_t len)
{
	size_t word = 0;

	while (word < len && word < 256 && s[word] != ' ' && s[word] != ':')
		word++;
	if (!word || len - word < 9 || memcmp(s + word, " kernel: ", 9))
		return NULL;
	return s + word + 9;
}

void logline_strip(const char *raw, size_t len, struct logline *out)
{
	const char *end, *p;

	out->prefixed = out->kmsg = false;
	while (len && (raw[len - 1] == '\r' || raw[len - 1] == '\n'))
		len--;
	end = raw + len;
	if ((p = kmsg_prefix(raw, len))) {
		out->prefixed = out->kmsg = true;
		raw = p;
	} else if ((p = syslog_prefix(raw, len)) || (p = facility_prefix(raw, len)) ||
		   (p = level_prefix(raw, len))) {
		out->prefixed = true;
		raw = p;
	}
	/* A printk time may follow a syslog, dmesg -x or dmesg -r prefix, or stand alone. */
	if ((p = bracket_prefix(raw, (size_t)(end - raw)))) {
		out->prefixed = true;
		raw = p;
		if ((p = host_kernel(raw, (size_t)(end - raw))))
			raw = p;
	}
	out->text = raw;
	out->len = (size_t)(end - raw);
}
