/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One kernel log line as people have it, down to the kernel's message. The prefixes
 * are taken off one after the other, in any mix:
 *   a raw /dev/kmsg record ("6,341,289926475,-;text", alone);
 *   a syslog or journal header with a time before " kernel: " ("Jun 20 12:47:02 host
 *     kernel: ", "2024-09-29T08:12:34+00:00 host kernel: ", OpenWrt's logread "Wed Jan 14
 *     16:50:34 2026 kern.warn kernel: ", with a line-number gutter before it);
 *   cat -n's gutter ("    12\t"); dmesg -x ("kern  :err   : "); dmesg -r ("<4>");
 *   a mail client's quoting ("> "); a console's clock ("2026-11-22T14:41:59.123Z ",
 *     "[14:41:59] ", "14:41:59.123 | ");
 *   a printk time ("[  289.926475] ") with a caller id after it ("[ T3069]", "[    C3]"),
 *     and journalctl -o short-monotonic's "host kernel: " after that; dmesg -T's
 *     "[Sun Nov 22 14:41:59 2026] ";
 *   anything else before a printk time within the first bytes of the line (a console's
 *     own prefix).
 */
#ifndef OOMLAB_LOGLINE_H
#define OOMLAB_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>

struct logline {
	const char *text;   /* into the raw line */
	size_t len;
	bool prefixed;      /* a log's own prefix was found (a line without one may be a wrap's rest) */
	bool kernel;        /* a prefix only kernel log lines have (kmsg, printk time, kernel:, dmesg -x/-T) */
	bool kmsg;          /* a /dev/kmsg record: \xNN escapes, " KEY=value" lines follow */
	double ts;          /* the printk time in seconds since boot; negative when none */
};

void logline_strip(const char *raw, size_t len, struct logline *out);

/* The pieces of a log prefix in [s, end): just past the one at s, or NULL. */
/* A printk time "[  289.926475]"; *ts its seconds (ts may be NULL). */
const char *logline_printk_time(const char *s, const char *end, double *ts);
/* A printk caller id "[ T3069]", "[    C3]". */
const char *logline_caller_id(const char *s, const char *end);
/* A syslog date "Jan 14 16:50:34". */
const char *logline_syslog_date(const char *s, const char *end);

#endif
