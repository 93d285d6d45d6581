/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A prefix no rule knows, learned from the report itself ("ci-runner-04 job-17 | " before
 * every line of a paste, or a short "| "). A trigger line's text before " invoked
 * oom-killer:" may hold one; when the line after it (the CPU: line, a stack, Mem-Info;
 * the one after the cpuset line, which starts with the comm) starts with the same bytes,
 * what both share, up to a blank and leaving a comm of at most 15 bytes, is the prefix,
 * taken off every later line that starts with it.
 */
#ifndef OOMLAB_LEARNPREFIX_H
#define OOMLAB_LEARNPREFIX_H

#include <stddef.h>

#define LEARNED_MAX 96
/* The lines after a trigger that may start like it: a wrapped rest of it, the cpuset
 * line (which starts with the comm, so where the prefix ends is not known from it), CPU:. */
#define LEARN_LINES 4

struct learned_prefix {
	char text[LEARNED_MAX];     /* the prefix learned; len 0: none */
	size_t len;
	char cand[LEARNED_MAX + 16];  /* a trigger line's text before " invoked": prefix + comm */
	size_t cand_len;            /* 0: no candidate */
	int cand_lines;             /* lines after it that may still teach the prefix */
};

/* How many bytes at the start of [s, s+len) are the learned prefix (0: none, or not there). */
size_t learned_at(const struct learned_prefix *lp, const char *s, size_t len);

/* A line was read: keep it as a candidate when it is a trigger line with a prefix in it. */
void learn_note_trigger(struct learned_prefix *lp, const char *s, size_t len);

/*
 * A line after a candidate: learn the prefix when both start with it and this line's
 * rest is a report line (not the cpuset line). Returns the prefix's length (0: nothing
 * learned).
 */
size_t learn_from_next(struct learned_prefix *lp, const char *s, size_t len);

#endif
