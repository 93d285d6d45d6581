/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where does this process's cgroup for a controller live? Reads
 * <proc>/self/mountinfo and <proc>/self/cgroup. Shared by the stressors (for their
 * safety guard) and the harness (to find its own cgroup).
 */
#ifndef OOMLAB_CGROUP_LOCATE_H
#define OOMLAB_CGROUP_LOCATE_H

#include <limits.h>
#include <stdbool.h>

struct cgroup_loc {
	int version;             /* 1 or 2 */
	char mount[PATH_MAX];    /* where the hierarchy is mounted */
	char mount_root[PATH_MAX]; /* the cgroup the mount shows at its top ("/" for the root) */
	char path[PATH_MAX];     /* this process's cgroup, relative to the hierarchy root ("/a/b") */
	char dir[PATH_MAX];      /* mount + path: the directory of this process's cgroup */
};

/*
 * Find the hierarchy that carries `controller` ("memory", "freezer", ...): a v1 mount
 * with that option, else the v2 mount if its root cgroup.controllers lists it.
 * Returns 0, or -1 with errno ENOENT when no hierarchy carries it (other errno: a
 * file could not be read). proc_root is "/proc" except in tests.
 */
int cgroup_locate(const char *proc_root, const char *controller, struct cgroup_loc *loc);

/* A cgroup file system in <proc>/self/mountinfo. */
struct cgroup_mount {
	int version;             /* 1: fstype cgroup, 2: cgroup2 */
	const char *root;        /* the cgroup the mount shows at its top, as the kernel names it */
	const char *mount;       /* where it is mounted */
	const char *options;     /* the super options: "rw,memory" names v1 controllers */
};

/*
 * Call fn with each cgroup file system mounted, until it returns true. Returns 0, or
 * -1 with errno when mountinfo cannot be read.
 */
int cgroup_mounts_each(const char *proc_root, bool (*fn)(const struct cgroup_mount *m, void *ctx),
		       void *ctx);

/* Undo mountinfo's octal escapes (\040 for space, ...) in place. */
void mountinfo_unescape(char *s);

#endif
