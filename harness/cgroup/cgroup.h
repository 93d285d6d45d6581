/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory cgroups, v1 and v2 behind one interface. Names follow v2 (memory.max,
 * memory.swap.max); the v1 backend converts (memory.limit_in_bytes,
 * memory.memsw.limit_in_bytes = memory + swap).
 *
 * oomlab creates cgroups only below its root: its own memory cgroup (on v2, the
 * hierarchy's top when its own cgroup is not the top: see cgroup_root_find), or a
 * directory given with --cgroup-root.
 */
#ifndef OOMLAB_CGROUP_H
#define OOMLAB_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"

struct cg_limits {
	long long memory_max;   /* bytes; -1: no limit */
	long long swap_max;     /* bytes; -1: not limited */
};

struct cg_counters {
	bool has_oom_kill;      /* the kernel counts OOM kills (4.13+) */
	long long oom_kill;     /* processes killed by the OOM killer in this cgroup */
	long long oom;          /* v2 memory.events oom; -1 on v1 */
	long long limit_hits;   /* v2 memory.events max; v1 memory.failcnt */
	long long usage;        /* bytes charged now */
};

struct cgroup_ops {
	int version;
	/* May children of dir use the memory controller already? (v1: always.) */
	bool (*memory_enabled)(const char *dir);
	/* Let children of dir use the memory controller (v2: +memory in subtree_control). */
	int (*enable_memory)(const char *dir, struct err *e);
	/*
	 * Undo enable_memory, unless cgroups are below dir now: turning the controller off
	 * would take memory accounting from cgroups that are not oomlab's (EBUSY then).
	 */
	int (*disable_memory)(const char *dir, struct err *e);
	/* The limit files: memory, and swap (v1: memsw, memory and swap together). */
	const char *memory_limit_file;
	const char *swap_limit_file;
	bool swap_includes_memory;
	const char *usage_file;  /* bytes charged now: memory.current (v1 memory.usage_in_bytes) */
	int (*read_counters)(const char *dir, struct cg_counters *c, struct err *e);
	/* SIGKILL everything in dir (cgroup.kill where the kernel has it). */
	int (*kill_all)(const char *dir, struct err *e);
	/* memory.oom.group: the whole cgroup dies together (v2, 4.19+). */
	int (*set_oom_group)(const char *dir, bool on, struct err *e);
};

extern const struct cgroup_ops cgroup_v1_ops;
extern const struct cgroup_ops cgroup_v2_ops;

struct cgroup_root {
	const struct cgroup_ops *ops;
	char dir[PATH_MAX];     /* oomlab creates its cgroups below this directory */
	char kpath[PATH_MAX];   /* the same cgroup as the kernel names it in OOM reports */
	char mount[PATH_MAX];   /* the hierarchy's top directory as mounted (dir is below it) */
	char placement[PATH_MAX + 160]; /* why dir: "oomlab's own memory cgroup", ... */
	/* v1: this process's cgroup in the freezer hierarchy, "" when there is none. The
	 * case cgroups get a twin here, so a fork bomb can be frozen before it is killed. */
	char freezer_dir[PATH_MAX];
};

/*
 * Find where oomlab may create cgroups: `given` (a directory on a cgroup file system;
 * with force_version 1 or 2, any directory, for fake trees in tests) or else this
 * process's own memory cgroup. On cgroup v2 a cgroup that holds processes (oomlab's
 * own, at least) cannot let its children use the memory controller; there the
 * hierarchy's top is used, which the no-internal-process rule exempts. Changes
 * nothing. Fails with errno ENOENT when no hierarchy has the memory controller.
 */
int cgroup_root_find(struct cgroup_root *r, const char *proc_root, const char *given,
		     int force_version, struct err *e);

int cg_mkdir(const char *dir, struct err *e);
bool cg_has(const char *dir, const char *file);
int cg_write(const char *dir, const char *file, const char *value, struct err *e);
int cg_read(const char *dir, const char *file, char *buf, size_t len, struct err *e);
int cg_read_ll(const char *dir, const char *file, long long *v, struct err *e);
/* A flat keyed file ("oom_kill 3"): -1 with errno ENOENT when the key is absent. */
int cg_read_key(const char *dir, const char *file, const char *key, long long *v, struct err *e);
/*
 * Call fn (when not NULL) with each pid in cgroup.procs until it returns true.
 * Returns how many pids were read, or -1.
 */
int cg_each_pid(const char *dir, bool (*fn)(pid_t pid, void *ctx), void *ctx, struct err *e);
/* SIGKILL each process listed in cgroup.procs. */
int cg_kill_listed(const char *dir, struct err *e);

/*
 * v1 freezer: freeze dir (waiting, bounded, until it is FROZEN), SIGKILL every process
 * in it, thaw it. Nothing in it can fork while it is frozen.
 */
int cg_freeze_kill(const char *freezer_dir, struct err *e);

/*
 * Set memory.max and swap.max (-1: leave it) in the files of this version. Without swap
 * accounting in the kernel, a swap limit is an error only where the machine has swap.
 */
int cg_set_limits(const struct cgroup_ops *ops, const char *dir, const struct cg_limits *l,
		  bool have_swap, struct err *e);

/*
 * Kill everything in dir and its child cgroups, wait (bounded) until they are empty,
 * and remove them. A cgroup that is already gone is fine.
 */
int cg_destroy(const struct cgroup_ops *ops, const char *dir, struct err *e);

#endif
