// SPDX-License-Identifier: GPL-2.0
#include "shared/memlimit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/keyfile.h"
#include "shared/words.h"

unsigned long long mem_total_bytes(void)
{
	return keyfile_value("/proc/meminfo", "MemTotal", 0) * 1024;
}

bool memory_limit_is_none(unsigned long long bytes)
{
	return bytes >= 1ULL << 62;
}

bool memory_limit_safe(unsigned long long limit, unsigned long long mem_total)
{
	return mem_total && limit <= mem_total / 2;
}

/* The number in dir/memory.max; MEMLIMIT_NONE for "max" or no file. */
static unsigned long long memory_max_of(const char *dir)
{
	char path[PATH_MAX + 16], value[64] = "";
	unsigned long long v = MEMLIMIT_NONE;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.max", dir);
	f = fopen(path, "re");
	if (!f)
		return v;
	if (fgets(value, sizeof(value), f) && !starts_with(value, "max"))
		v = strtoull(value, NULL, 10);
	fclose(f);
	return v;
}

unsigned long long memory_limit_of_chain(int version, const char *mount, const char *dir)
{
	unsigned long long limit = MEMLIMIT_NONE, v;
	char path[PATH_MAX + 16], *slash;
	size_t mlen = strlen(mount);

	if (version == 1) {
		snprintf(path, sizeof(path), "%s/memory.stat", dir);
		v = keyfile_value(path, "hierarchical_memory_limit", MEMLIMIT_NONE);
		return memory_limit_is_none(v) ? MEMLIMIT_NONE : v;
	}
	snprintf(path, sizeof(path), "%s", dir);
	for (;;) {
		v = memory_max_of(path);
		if (v < limit)
			limit = v;
		slash = strrchr(path, '/');
		if (!slash || (size_t)(slash - path) < mlen)
			break;
		*slash = '\0';
	}
	return limit;
}
