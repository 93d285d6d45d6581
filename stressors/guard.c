// SPDX-License-Identifier: GPL-2.0
/*
 * The stressors' safety net: a large or unbounded allocation runs only inside a
 * memory-limited cgroup (or with --machine-wide, which only the harness passes inside
 * a throw-away VM). A stressor started by hand on a host cannot take the machine down.
 */
#include "cgroup_locate.h"
#include "keyfile.h"
#include "stressor.h"
#include "units.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long mem_total_bytes(void)
{
	return keyfile_value("/proc/meminfo", "MemTotal", 0) * 1024;
}

/* The smallest memory limit on this process's cgroup and its ancestors. */
static unsigned long long own_memory_limit(void)
{
	unsigned long long limit = UINT64_MAX;
	struct cgroup_loc loc;
	char path[PATH_MAX + 16];
	size_t mlen;

	if (cgroup_locate("/proc", "memory", &loc))
		return UINT64_MAX;
	if (loc.version == 1) {
		snprintf(path, sizeof(path), "%s/memory.stat", loc.dir);
		return keyfile_value(path, "hierarchical_memory_limit", UINT64_MAX);
	}
	mlen = strlen(loc.mount);
	for (;;) {
		char value[64] = "";
		FILE *f;
		char *slash;

		snprintf(path, sizeof(path), "%s/memory.max", loc.dir);
		f = fopen(path, "re");
		if (f) {
			if (fgets(value, sizeof(value), f) && strncmp(value, "max", 3)) {
				unsigned long long v = strtoull(value, NULL, 10);

				if (v < limit)
					limit = v;
			}
			fclose(f);
		}
		slash = strrchr(loc.dir, '/');
		if (!slash || (size_t)(slash - loc.dir) < mlen)
			break;
		*slash = '\0';
	}
	return limit;
}

void st_guard_size(const struct stressor_ctx *ctx, size_t bytes)
{
	unsigned long long total = mem_total_bytes();
	char want[32], have[32];

	if (ctx->machine_wide)
		return;
	/* Small requests cannot exhaust the machine. */
	if (bytes != SIZE_MAX && total && bytes < total / 4)
		return;
	if (own_memory_limit() < total)
		return;
	st_msg(ctx, 0, "refusing to allocate %s outside a memory-limited cgroup (MemTotal %s): "
	       "run it from an oomlab case, in a cgroup with a memory limit, or with "
	       "--machine-wide inside a throw-away VM",
	       format_size(bytes, want, sizeof(want)), format_size(total, have, sizeof(have)));
	exit(ST_EXIT_USAGE);
}
