/* SPDX-License-Identifier: GPL-2.0 */
/* Is a word one of the words of a list: "cpu memory pids", "rw,memory", a command line? */
#ifndef OOMLAB_WORDS_H
#define OOMLAB_WORDS_H

#include <stdbool.h>

/* Is word one of the words of list, which are separated by any of the characters of seps? */
bool word_in(const char *list, const char *word, const char *seps);

/* The same for the first line of a file (cgroup.controllers, /proc/cmdline); false when unreadable. */
bool word_in_file(const char *path, const char *word, const char *seps);

#endif
