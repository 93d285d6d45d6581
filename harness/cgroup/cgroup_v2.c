// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup v2 memory controller: memory.max, memory.swap.max, memory.events (oom,
 * oom_kill, max), memory.current, cgroup.subtree_control, cgroup.kill (5.14+).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "shared/words.h"

static bool v2_memory_enabled(const char *dir)
{
	char buf[512];
	struct err e;

	return cg_read(dir, "cgroup.subtree_control", buf, sizeof(buf), &e) == 0 &&
	       word_in(buf, "memory", " \n");
}

static int v2_enable_memory(const char *dir, struct err *e)
{
	if (cg_write(dir, "cgroup.subtree_control", "+memory", e)) {
		if (e->errnum == EBUSY)
			return err_wrap(e, "cannot enable the memory controller for children of `%s` while "
					"processes live in it (cgroup v2 has no internal processes; a "
					"container without a delegated cgroup looks like this): give "
					"--cgroup-root a cgroup whose children may use the memory controller",
					dir);
		return -1;
	}
	return 0;
}

/* The first child cgroup of dir, into name; false when it has none. */
static bool first_child(const char *dir, char *name, size_t len)
{
	struct dirent *d;
	bool found = false;
	DIR *dh = opendir(dir);

	if (!dh)
		return false;
	while (!found && (d = readdir(dh)))
		if (d->d_type == DT_DIR && d->d_name[0] != '.') {
			snprintf(name, len, "%s", d->d_name);
			found = true;
		}
	closedir(dh);
	return found;
}

static int v2_disable_memory(const char *dir, struct err *e)
{
	char child[256];

	if (!v2_memory_enabled(dir))
		return 0;
	if (first_child(dir, child, sizeof(child)))
		return err_set(e, EBUSY, "the memory controller oomlab turned on in `%s/cgroup.subtree_control` "
			       "stays on while cgroups are below it (`%s`, ...): turning it off would take "
			       "memory accounting from them; a later run tries again", dir, child);
	return cg_write(dir, "cgroup.subtree_control", "-memory", e);
}

static int v2_read_counters(const char *dir, struct cg_counters *c, struct err *e)
{
	memset(c, 0, sizeof(*c));
	if (cg_read_key(dir, "memory.events", "oom_kill", &c->oom_kill, e) == 0)
		c->has_oom_kill = true;
	else if (e->errnum != ENOENT)
		return -1;
	if (cg_read_key(dir, "memory.events", "oom", &c->oom, e) ||
	    cg_read_key(dir, "memory.events", "max", &c->limit_hits, e) ||
	    cg_read_ll(dir, "memory.current", &c->usage, e))
		return -1;
	return 0;
}

static int v2_kill_all(const char *dir, struct err *e)
{
	if (cg_has(dir, "cgroup.kill"))
		return cg_write(dir, "cgroup.kill", "1", e);
	return cg_kill_listed(dir, e);
}

static int v2_set_oom_group(const char *dir, bool on, struct err *e)
{
	return cg_write(dir, "memory.oom.group", on ? "1" : "0", e);
}

const struct cgroup_ops cgroup_v2_ops = {
	.version = 2,
	.memory_enabled = v2_memory_enabled,
	.enable_memory = v2_enable_memory,
	.disable_memory = v2_disable_memory,
	.memory_limit_file = "memory.max",
	.usage_file = "memory.current",
	.swap_limit_file = "memory.swap.max",
	.swap_includes_memory = false,
	.read_counters = v2_read_counters,
	.kill_all = v2_kill_all,
	.set_oom_group = v2_set_oom_group,
};
