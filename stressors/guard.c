// SPDX-License-Identifier: GPL-2.0
/*
 * The stressors' safety net: a large or unbounded allocation runs only inside a
 * memory-limited cgroup (or with --machine-wide, which only the harness passes inside
 * a throw-away VM). A stressor started by hand on a host cannot take the machine down.
 */
#include "shared/cgroup_locate.h"
#include "shared/keyfile.h"
#include "shared/memlimit.h"
#include "stressor.h"
#include "shared/units.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The effective memory limit of this process's cgroup chain: the lowest one counts. */
static unsigned long long own_memory_limit(void)
{
	struct cgroup_loc loc;

	if (cgroup_locate("/proc", "memory", &loc))
		return MEMLIMIT_NONE;
	return memory_limit_of_chain(loc.version, loc.mount, loc.dir);
}

void st_guard_size(const struct stressor_ctx *ctx, size_t bytes)
{
	unsigned long long total = mem_total_bytes(), avail, limit, small;
	char want[32], have[32], lim[32], av[32];

	if (ctx->machine_wide)
		return;
	/* Under a limit well below the machine, whatever the cgroup's processes add up to. */
	limit = own_memory_limit();
	if (memory_limit_safe(limit, total))
		return;
	/*
	 * Otherwise only a small request, and only while the machine keeps half of itself
	 * available after it: several small processes cannot add up to the whole machine.
	 * A trigger allocates after go, when the others have checked too: for it, "small"
	 * is an eighth of that (the harness never starts one outside a safe limit; this is
	 * for stressors started by hand).
	 */
	avail = keyfile_value("/proc/meminfo", "MemAvailable", 0) * 1024;
	small = ctx->wait_go ? total / 64 : total / 8;
	if (bytes != SIZE_MAX && total && bytes < small && avail > bytes && avail - bytes >= total / 2)
		return;
	if (limit == MEMLIMIT_NONE)
		snprintf(lim, sizeof(lim), "none");
	else
		format_size_about(limit, lim, sizeof(lim));
	st_msg(ctx, 0, "refusing to allocate %s: this cgroup's effective memory limit (%s) is not "
	       "well below the machine (MemTotal %s, MemAvailable %s): run it from an oomlab case, "
	       "in a cgroup limited to at most half of the machine, or with --machine-wide inside "
	       "a throw-away VM", format_size(bytes, want, sizeof(want)), lim,
	       format_size_about(total, have, sizeof(have)), format_size_about(avail, av, sizeof(av)));
	exit(ST_EXIT_USAGE);
}
