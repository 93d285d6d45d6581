/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log through /dev/kmsg: a cursor taken at case start, then every record
 * logged after it. A record is "PRI,SEQ,TS_USEC,FLAGS;TEXT"; the kernel escapes
 * unprintable bytes as \xNN, which is undone here. A record written with embedded
 * newlines (memcg stats before 6.5) holds several lines: text is then several
 * NUL-terminated strings one after the other, nlines of them.
 */
#ifndef OOMLAB_KMSG_H
#define OOMLAB_KMSG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct kmsg_record {
	unsigned long long seq;
	unsigned long long ts_usec;  /* since boot */
	int level;                   /* 0 emerg ... 7 debug */
	int facility;                /* 0 kernel, 1 user, ... */
	char *text;                  /* unescaped, split at newlines: nlines strings back to back */
	int nlines;
};

struct kmsg_log {
	struct kmsg_record *recs;
	size_t n, cap;
	unsigned long long lost;     /* records overwritten before they were read */
	char partial[8192];          /* a FIFO's line not yet whole */
	size_t npartial;
	bool skip_line;              /* drop what comes up to the next newline (an overlong line) */
};

/*
 * Open /dev/kmsg positioned after its last record. A FIFO (--kmsg-path, for tests) that
 * carries /dev/kmsg's records, a line each, is read too.
 */
int kmsg_open_at_end(const char *path, int *fd, struct err *e);

/* Is fd a FIFO (not /dev/kmsg)? */
bool kmsg_is_fifo(int fd);

/* Append every kernel record available now (non-blocking); userspace ones
 * (written to /dev/kmsg, facility other than 0) are left out. */
int kmsg_read_available(int fd, struct kmsg_log *log, struct err *e);

/* Undo the kernel's \xNN escapes of [src, src + n) into dst (dst may be src). Returns the length. */
size_t kmsg_unescape(char *dst, const char *src, size_t n);

/* Parse one record as read from /dev/kmsg. Returns 0, or -1 when it is not one. */
int kmsg_parse_record(const char *raw, size_t len, struct kmsg_record *r);

void kmsg_log_free(struct kmsg_log *log);

#endif
