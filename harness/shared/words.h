/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Words in text: is a word one of the words of a list ("cpu memory pids", "rw,memory",
 * a command line), does text begin with a word.
 */
#ifndef OOMLAB_WORDS_H
#define OOMLAB_WORDS_H

#include <stdbool.h>

/* Is word one of the words of list, which are separated by any of the characters of seps? */
bool word_in(const char *list, const char *word, const char *seps);

/* The same for the first line of a file (cgroup.controllers, /proc/cmdline); false when unreadable. */
bool word_in_file(const char *path, const char *word, const char *seps);

/* Does s begin with prefix? */
bool starts_with(const char *s, const char *prefix);

/* s just past prefix when s begins with it; NULL when it does not. */
const char *after_prefix(const char *s, const char *prefix);

#endif
