/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error values: the operation, the path and errno, with context prefixed on the way
 * up. A function that fails fills a struct err and returns -1:
 *
 *	if (fd < 0)
 *		return err_set(e, errno, "open `%s`", path);
 *	...
 *	if (cg_mkdir(dir, e))
 *		return err_wrap(e, "creating the cgroup of case %s", name);
 *
 * gives "creating the cgroup of case x: mkdir `/sys/...`: Permission denied".
 */
#ifndef OOMLAB_ERR_H
#define OOMLAB_ERR_H

struct err {
	int errnum;      /* errno of the root cause, 0 when there is none */
	char msg[2048];
};

/* Set the message (and ": strerror(errnum)" when errnum != 0). Returns -1. */
int err_set(struct err *e, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix "context: " to the message. Returns -1. */
int err_wrap(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "file:line: message" for bad input. Returns -1. */
int err_at(struct err *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
