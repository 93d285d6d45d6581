// SPDX-License-Identifier: GPL-2.0
#include "klog/fixedtext.h"

#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* word matched at s, not past lim: just past the match, or NULL. */
static const char *match_at(const char *s, const char *lim, const char *w)
{
	while (*w) {
		if (*w == ' ') {
			if (s >= lim || !blank(*s))
				return NULL;
			while (s < lim && blank(*s))
				s++;
		} else if (s >= lim || *s++ != *w) {
			return NULL;
		}
		w++;
	}
	return s;
}

const char *fixed_find_n(const char *s, size_t len, const char *word, const char **end)
{
	const char *lim = s + len, *e;
	char first = word[0];

	if (!first)
		return NULL;
	while (s < lim) {
		if (first != ' ') {
			s = memchr(s, first, (size_t)(lim - s));
			if (!s)
				return NULL;
		}
		if ((e = match_at(s, lim, word))) {
			if (end)
				*end = e;
			return s;
		}
		s++;
	}
	return NULL;
}

const char *fixed_find(const char *s, const char *word, const char **end)
{
	return fixed_find_n(s, strlen(s), word, end);
}

const char *fixed_past(const char *s, const char *word)
{
	const char *end;

	return fixed_find(s, word, &end) ? end : NULL;
}

const char *fixed_after(const char *s, const char *word)
{
	return match_at(s, s + strlen(s), word);
}

bool fixed_ends(const char *s, size_t len, const char *word)
{
	const char *end, *at = s;

	while ((at = fixed_find_n(at, len - (size_t)(at - s), word, &end))) {
		if (end == s + len)
			return true;
		at++;
	}
	return false;
}
