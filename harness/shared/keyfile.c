// SPDX-License-Identifier: GPL-2.0
#include "shared/keyfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned long long keyfile_value(const char *path, const char *key, unsigned long long missing)
{
	unsigned long long v = missing;
	char line[256];
	size_t n = strlen(key);
	FILE *f = fopen(path, "re");

	if (!f)
		return missing;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && (line[n] == ' ' || line[n] == ':'))
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}
