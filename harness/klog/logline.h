/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One kernel log line as people have it, down to the kernel's message: a raw
 * /dev/kmsg record ("6,341,289926475,-;text"), dmesg ("[  289.926475] text"),
 * dmesg -T ("[Sun Nov 22 14:41:59 2026] text"), dmesg -x ("kern  :err   : ..."),
 * dmesg -r ("<4>[  289.926475] text"), syslog and journal lines ("Jun 20 12:47:02 host
 * kernel: ...", ISO dates, "kernel: ", journalctl -o short-monotonic "[  289.926475] host kernel: ").
 */
#ifndef OOMLAB_LOGLINE_H
#define OOMLAB_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>

struct logline {
	const char *text;   /* into the raw line */
	size_t len;
	bool prefixed;      /* some prefix was found (a line without one may be a wrap) */
	bool kmsg;          /* a /dev/kmsg record: \xNN escapes, " KEY=value" lines follow */
};

void logline_strip(const char *raw, size_t len, struct logline *out);

#endif
