// SPDX-License-Identifier: GPL-2.0
#include "klog/logjoin.h"

#include <ctype.h>
#include <string.h>

#include "klog/fixedtext.h"

enum key_kind { K_NONE, K_TRIGGER, K_SELECTED, K_KILLED, K_SUMMARY };

static bool has(const char *s, size_t len, const char *needle)
{
	return fixed_find_n(s, len, needle, NULL) != NULL;
}

static bool ends_with(const char *s, size_t len, const char *tail)
{
	return fixed_ends(s, len, tail);
}

static enum key_kind kind_of(const char *s, size_t len)
{
	if (has(s, len, " invoked oom-killer:"))
		return K_TRIGGER;
	if (len >= 9 && !memcmp(s, "oom-kill:", 9))
		return K_SUMMARY;
	if (has(s, len, "Killed process "))
		return K_KILLED;
	if (has(s, len, "ill process ") && has(s, len, " score "))
		return K_SELECTED;
	return K_NONE;
}

/* Does s end with "NAME" followed by an optionally signed number, e.g. "oom_score_adj=0"? */
static bool ends_with_number_after(const char *s, size_t len, const char *name)
{
	size_t n = len, k = strlen(name);

	while (n && isdigit((unsigned char)s[n - 1]))
		n--;
	if (n == len)
		return false;
	if (n && s[n - 1] == '-')
		n--;
	return n >= k && !memcmp(s + n - k, name, k);
}

/* Is a key line whole, as the kernel ends it in some era? */
static bool complete(enum key_kind kind, const char *s, size_t len)
{
	switch (kind) {
	case K_TRIGGER:
		return ends_with_number_after(s, len, "oom_score_adj=") ||
		       ends_with_number_after(s, len, "oom_adj=") ||
		       ends_with_number_after(s, len, "oomkilladj=");
	case K_SUMMARY:
		return ends_with_number_after(s, len, ",uid=");
	case K_KILLED:
		return ends_with(s, len, "kB") || ends_with(s, len, ")") ||
		       ends_with_number_after(s, len, "UID:") ||
		       ends_with_number_after(s, len, "oom_score_adj:");
	case K_SELECTED:
		return ends_with(s, len, " or sacrifice child") || ends_with(s, len, " or a child");
	case K_NONE:
		break;
	}
	return true;
}

/* Does cur start with a field of this kind of line ("anon-rss:", "order=", ...)? */
static bool starts_with_field(enum key_kind kind, const char *cur, size_t clen)
{
	static const char *const trigger[] = { "gfp_mask=", "nodemask=", "order=", "oom_adj=",
					       "oom_score_adj=", "oomkilladj=", NULL };
	static const char *const killed[] = { "total-vm:", "anon-rss:", "file-rss:", "shmem-rss:",
					      "UID:", "pgtables:", "oom_score_adj:", NULL };
	static const char *const selected[] = { "score ", "or sacrifice child", "or a child", NULL };
	const char *const *names = kind == K_TRIGGER ? trigger : kind == K_KILLED ? killed :
				   kind == K_SELECTED ? selected : NULL;
	size_t i;

	if (clen && cur[0] == ',')
		return true; /* wrapped just before the comma after a field */
	for (i = 0; names && names[i]; i++)
		if (clen >= strlen(names[i]) && !memcmp(cur, names[i], strlen(names[i])))
			return true;
	return false;
}

/* Is prev, then sep, then cur a whole line? */
static bool complete_joined(enum key_kind kind, const char *prev, size_t plen, const char *sep,
			    const char *cur, size_t clen)
{
	char both[4096];
	size_t slen = strlen(sep);

	if (plen + slen + clen >= sizeof(both))
		return false;
	memcpy(both, prev, plen);
	memcpy(both + plen, sep, slen);
	memcpy(both + plen + slen, cur, clen);
	return complete(kind, both, plen + slen + clen);
}

bool logjoin_whole(const char *s, size_t len)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return complete(kind_of(s, len), s, len);
}

enum logjoin logjoin_decide(const char *prev, size_t plen, const char *cur, size_t clen)
{
	enum key_kind kind = kind_of(prev, plen);
	size_t blanks = 0, full = plen;
	enum logjoin space;

	while (plen && (prev[plen - 1] == ' ' || prev[plen - 1] == '\t'))
		plen--;
	/* The blank the wrap took goes back, unless prev kept it at its end. */
	space = plen < full ? JOIN_DIRECT : JOIN_SPACE;
	while (blanks < clen && (cur[blanks] == ' ' || cur[blanks] == '\t'))
		blanks++;
	/* A line that is a key line itself starts a line of its own. */
	if (kind == K_NONE || blanks == clen || kind_of(cur, clen) != K_NONE)
		return JOIN_NO;
	if (starts_with_field(kind, cur + blanks, clen - blanks))
		return blanks || cur[0] == ',' ? JOIN_DIRECT : space;
	if (complete(kind, prev, plen))
		return JOIN_NO;
	/* Cut short: after a comma the kernel put a blank (not in the oom-kill: summary). */
	if (!blanks && kind != K_SUMMARY && plen && prev[plen - 1] == ',')
		return space;
	/* Cut at a blank that the wrapping took (a mail client), or inside a word (a
	 * terminal)? The blank it is, when only that makes the line whole. */
	if (!blanks && complete_joined(kind, prev, plen, " ", cur, clen) &&
	    !complete_joined(kind, prev, plen, "", cur, clen))
		return space;
	return JOIN_DIRECT;
}
