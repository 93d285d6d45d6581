// SPDX-License-Identifier: GPL-2.0
#include "shared/words.h"

#include <stdio.h>
#include <string.h>

bool word_in(const char *list, const char *word, const char *seps)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; ) {
		size_t len = strcspn(p, seps);

		if (len == n && !strncmp(p, word, n))
			return true;
		p += len;
		p += *p != '\0';
	}
	return false;
}

bool word_in_file(const char *path, const char *word, const char *seps)
{
	char buf[4096];
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		found = word_in(buf, word, seps);
	fclose(f);
	return found;
}

bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

const char *after_prefix(const char *s, const char *prefix)
{
	return starts_with(s, prefix) ? s + strlen(prefix) : NULL;
}
