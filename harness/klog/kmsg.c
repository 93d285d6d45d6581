// SPDX-License-Identifier: GPL-2.0
#include "klog/kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool kmsg_is_fifo(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

int kmsg_open_at_end(const char *path, int *fd, struct err *e)
{
	*fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0)
		return err_set(e, errno, "open `%s`", path);
	/* (a FIFO has no records before its reader: it is at its end) */
	if (!kmsg_is_fifo(*fd) && lseek(*fd, 0, SEEK_END) < 0) {
		int err = errno;

		close(*fd);
		*fd = -1;
		return err_set(e, err, "seek to the end of `%s`", path);
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t kmsg_unescape(char *dst, const char *src, size_t n)
{
	const char *s, *end = src + n;
	char *out = dst;

	for (s = src; s < end; s++) {
		if (s[0] == '\\' && end - s >= 4 && s[1] == 'x' && hexval(s[2]) >= 0 &&
		    hexval(s[3]) >= 0) {
			*out++ = (char)(hexval(s[2]) * 16 + hexval(s[3]));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	return (size_t)(out - dst);
}

int kmsg_parse_record(const char *raw, size_t len, struct kmsg_record *r)
{
	unsigned long long pri, seq, ts;
	const char *semi, *end;
	char *out, head[96];
	size_t n, i;
	int used = 0;

	semi = memchr(raw, ';', len);
	/* (the record is not a C string: its head is copied to one before sscanf reads it) */
	if (!semi || (size_t)(semi - raw) >= sizeof(head))
		return -1;
	memcpy(head, raw, (size_t)(semi - raw));
	head[semi - raw] = '\0';
	if (sscanf(head, "%llu,%llu,%llu%n", &pri, &seq, &ts, &used) != 3)
		return -1;
	/* The text ends at the first newline; " KEY=value" dictionary lines follow. */
	end = memchr(semi + 1, '\n', len - (size_t)(semi + 1 - raw));
	if (!end)
		end = raw + len;
	out = malloc((size_t)(end - semi));
	if (!out)
		return -1;
	r->text = out;
	r->nlines = 1;
	n = kmsg_unescape(out, semi + 1, (size_t)(end - semi - 1));
	for (i = 0; i < n; i++) {
		if (out[i] == '\n') {
			out[i] = '\0';
			r->nlines++;
		}
	}
	out[n] = '\0';
	r->seq = seq;
	r->ts_usec = ts;
	r->level = (int)(pri & 7);
	r->facility = (int)(pri >> 3);
	return 0;
}

/* Keep a kernel record (facility 0); -1 when out of memory. */
static int keep_record(struct kmsg_log *log, struct kmsg_record *r, struct err *e)
{
	if (r->facility != 0) {
		free(r->text);
		return 0;
	}
	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct kmsg_record *recs = realloc(log->recs, cap * sizeof(*recs));

		if (!recs) {
			free(r->text);
			return err_set(e, ENOMEM, "reading /dev/kmsg");
		}
		log->recs = recs;
		log->cap = cap;
	}
	log->recs[log->n++] = *r;
	return 0;
}

/*
 * The whole lines in log->partial, taken as records: a record is a line, its " KEY=value"
 * lines after it are not. What is left waits there for the rest of its line.
 */
static int take_lines(struct kmsg_log *log, struct err *e)
{
	char *line = log->partial, *nl;
	int rc = 0;

	while (!rc && (nl = memchr(line, '\n', log->npartial - (size_t)(line - log->partial)))) {
		struct kmsg_record r;

		if (log->skip_line) /* the end of a line too long to keep */
			log->skip_line = false;
		else if (*line != ' ' && !kmsg_parse_record(line, (size_t)(nl - line + 1), &r))
			rc = keep_record(log, &r, e);
		line = nl + 1;
	}
	log->npartial -= (size_t)(line - log->partial);
	memmove(log->partial, line, log->npartial);
	if (log->npartial == sizeof(log->partial)) {
		log->npartial = 0; /* a line longer than any record: dropped, up to its end */
		log->skip_line = true;
	}
	return rc;
}

/* A FIFO carries records as /dev/kmsg gives them, one after the other, several to a read. */
static int read_fifo(int fd, struct kmsg_log *log, struct err *e)
{
	for (;;) {
		ssize_t n = read(fd, log->partial + log->npartial, sizeof(log->partial) - log->npartial);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return err_set(e, errno, "read the kernel log's FIFO");
		if (n <= 0)
			return 0;
		log->npartial += (size_t)n;
		if (take_lines(log, e))
			return -1;
	}
}

int kmsg_read_available(int fd, struct kmsg_log *log, struct err *e)
{
	char buf[8192];

	if (kmsg_is_fifo(fd))
		return read_fifo(fd, log, e);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		struct kmsg_record r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == EPIPE) {
				/* Overwritten before we read them; the next read goes on. */
				log->lost++;
				continue;
			}
			return err_set(e, errno, "read /dev/kmsg");
		}
		if (n == 0)
			return 0;
		if (kmsg_parse_record(buf, (size_t)n, &r))
			continue;
		if (keep_record(log, &r, e))
			return -1;
	}
}

void kmsg_log_free(struct kmsg_log *log)
{
	size_t i;

	for (i = 0; i < log->n; i++)
		free(log->recs[i].text);
	free(log->recs);
	memset(log, 0, sizeof(*log));
}
