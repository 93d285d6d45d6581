// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup v1 memory controller: memory.limit_in_bytes, memory.memsw.limit_in_bytes
 * (memory + swap), memory.oom_control (oom_kill from 4.13), memory.failcnt.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"

/* v1 has no subtree_control: every cgroup of the hierarchy has the controller. */
static bool v1_memory_enabled(const char *dir)
{
	(void)dir;
	return true;
}

static int v1_enable_memory(const char *dir, struct err *e)
{
	(void)dir;
	(void)e;
	return 0; /* v1 children always have the controller */
}

static int v1_disable_memory(const char *dir, struct err *e)
{
	(void)dir;
	(void)e;
	return 0;
}

static int v1_read_counters(const char *dir, struct cg_counters *c, struct err *e)
{
	memset(c, 0, sizeof(*c));
	c->oom = -1;
	if (cg_read_key(dir, "memory.oom_control", "oom_kill", &c->oom_kill, e) == 0)
		c->has_oom_kill = true;
	else if (e->errnum != ENOENT)
		return -1;
	if (cg_read_ll(dir, "memory.failcnt", &c->limit_hits, e) ||
	    cg_read_ll(dir, "memory.usage_in_bytes", &c->usage, e))
		return -1;
	return 0;
}

static int v1_kill_all(const char *dir, struct err *e)
{
	return cg_kill_listed(dir, e);
}

static int v1_set_oom_group(const char *dir, bool on, struct err *e)
{
	(void)on;
	return err_set(e, ENOTSUP, "`%s`: memory.oom.group exists only on cgroup v2", dir);
}

const struct cgroup_ops cgroup_v1_ops = {
	.version = 1,
	.memory_enabled = v1_memory_enabled,
	.enable_memory = v1_enable_memory,
	.disable_memory = v1_disable_memory,
	.memory_limit_file = "memory.limit_in_bytes",
	.usage_file = "memory.usage_in_bytes",
	.swap_limit_file = "memory.memsw.limit_in_bytes",
	.swap_includes_memory = true,
	.read_counters = v1_read_counters,
	.kill_all = v1_kill_all,
	.set_oom_group = v1_set_oom_group,
};
