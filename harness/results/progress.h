/* SPDX-License-Identifier: GPL-2.0 */
/*
 * On a terminal, one line on stderr that says what runs now and for how long ("hog-killed
 * (3/42), 1 s"), rewritten in place and erased before each KTAP line. Nothing when stderr
 * is not a terminal (CI logs get the KTAP alone).
 */
#ifndef OOMLAB_PROGRESS_H
#define OOMLAB_PROGRESS_H

/* Never show it (oomlab in a VM guest, whose console is a terminal and a log). */
void progress_off(void);

/* Something new runs from now: shown at once, its time counted from here. */
void progress_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called often while it runs: the line is rewritten once a second. */
void progress_tick(void);

/* Erase the line (before stdout prints over it); progress_tick shows it again. */
void progress_clear(void);

/* Nothing runs any more. */
void progress_end(void);

#endif
