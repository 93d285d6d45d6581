/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fixed words in a pasted line ("Killed process ", " invoked oom-killer: "),
 * found however a terminal, a mail client or a forum spaced them out: a blank in the
 * word matches any run of blanks and tabs ("Killed  process", "or sacrifice\tchild").
 */
#ifndef OOMLAB_FIXEDTEXT_H
#define OOMLAB_FIXEDTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Where word first occurs in [s, s+len) (NULL when it does not); *end just past it. */
const char *fixed_find_n(const char *s, size_t len, const char *word, const char **end);

/* The same in a NUL-terminated s; end may be NULL. */
const char *fixed_find(const char *s, const char *word, const char **end);

/* s just past the first occurrence of word, or NULL. */
const char *fixed_past(const char *s, const char *word);

/* s just past word when s begins with it, or NULL. */
const char *fixed_after(const char *s, const char *word);

/* Does [s, s+len) end with word? */
bool fixed_ends(const char *s, size_t len, const char *word);

#endif
