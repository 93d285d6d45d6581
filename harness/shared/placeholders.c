// SPDX-License-Identifier: GPL-2.0
#include "shared/placeholders.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

const struct placeholder_info placeholders[PH_COUNT] = {
	[PH_SWAPFILE] = { "{swapfile}", "the harness makes the case's own swap file (swap = SIZE), "
			  "and swaps off no other" },
	[PH_TMPFILE] = { "{tmpfile}", "the harness names the file, journals it and removes it "
			 "after the case" },
	[PH_IPCKEY] = { "{ipckey}", "the harness picks the key, journals it and removes the "
			"segment after the case" },
};

int placeholder_at(const char *text)
{
	for (int i = 0; i < PH_COUNT; i++)
		if (!strncmp(text, placeholders[i].text, strlen(placeholders[i].text)))
			return i;
	return -1;
}

bool placeholder_in(const char *text, enum placeholder ph)
{
	return strstr(text, placeholders[ph].text) != NULL;
}

const char *placeholder_unknown(const char *text)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
		if (placeholder_at(p) < 0)
			return p;
	return NULL;
}

void placeholder_names(char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < PH_COUNT && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "",
					 placeholders[i].text);
}
