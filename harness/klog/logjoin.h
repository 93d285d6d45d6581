/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lines a person wrapped when pasting a log: when does a line without a log prefix
 * continue the OOM report line before it? Only the report's key lines are joined
 * (the trigger, "Kill process", "Killed process", "oom-kill:"), when they are cut
 * short or the next line starts with one of their field names. Other unprefixed lines
 * (the rest of a multi-line kernel record, a stack frame) stay lines of their own.
 */
#ifndef OOMLAB_LOGJOIN_H
#define OOMLAB_LOGJOIN_H

#include <stdbool.h>
#include <stddef.h>

enum logjoin {
	JOIN_NO,        /* cur is a line of its own */
	JOIN_DIRECT,    /* cur continues prev as it is (cut inside a word, or cur starts with a blank) */
	JOIN_SPACE,     /* cur continues prev after a blank the wrapping took away: add one */
};

/* prev: the logical line so far (no prefix); cur: the next line, without its prefix. */
enum logjoin logjoin_decide(const char *prev, size_t plen, const char *cur, size_t clen);

/* Does a report's key line end the way the kernel ends it in some era (not cut short)? */
bool logjoin_whole(const char *s, size_t len);

#endif
