/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cases/NAME.case: what to run. See docs/case-format.md.
 *
 *	[case]
 *	summary = a process with oom_score_adj -1000 survives while the hog is killed
 *	memory.max = 64M
 *	swap.max = 0
 *
 *	[process guard]
 *	run = idle --rss 16M
 *	oom_score_adj = -1000
 *
 *	[process hog]
 *	run = hog --size 256M
 *	trigger = yes
 */
#ifndef OOMLAB_CASEFILE_H
#define OOMLAB_CASEFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "shared/faultspec.h"
#include "base/hostinfo.h"

#define CASE_MAX_PROCS 16
#define CASE_MAX_ARGS 32
#define ROLE_MAX 16 /* a comm: 15 characters and the NUL */
#define CGROUP_NAME_MAX 64 /* a [cgroup NAME]'s path below the case's cgroup, with the NUL */
/* memory.max + swap.max must fit the kernel's page counter (v1 writes their sum). */
#define CASE_MAX_LIMIT_BYTES (1LL << 62)

struct proc_spec {
	char role[ROLE_MAX];
	char stressor[32];
	char args[1024];                 /* the run line after the stressor name */
	char *argv[CASE_MAX_ARGS + 1];   /* args split on blanks, NULL-terminated */
	int argc;
	int oom_score_adj;
	bool has_adj;
	int oom_adj;                     /* the legacy /proc/PID/oom_adj, -17 to 15 */
	bool has_oom_adj;
	bool trigger;
	struct fault faults[FAULTS_MAX]; /* injected with seccomp */
	int nfaults;
	int line;                        /* the [process NAME] line */
	int run_line;
	char cgroup_name[CGROUP_NAME_MAX]; /* cgroup = NAME; "" for the case's own cgroup */
	int cgroup_line;
	int cgroup;                      /* its index in cgroups[]; -1: the case's own cgroup */
};

#define CASE_MAX_CGROUPS 8

/* [cgroup NAME]: a cgroup of the case's own subtree, where processes may go. */
struct cgroup_spec {
	char name[CGROUP_NAME_MAX];      /* "a" or "a/b": its path below the case's cgroup */
	int parent;                      /* its parent's index; -1: the case's cgroup */
	bool has_children;               /* another [cgroup] is below it */
	long long memory_max;            /* bytes; -1 when unset */
	long long swap_max;              /* bytes; -1 when unset */
	int oom_group;                   /* memory.oom.group (v2); -1: untouched */
	int line;                        /* the [cgroup NAME] line */
};

#define SYSCTL_MAX 8

/* sysctl.NAME = VALUE in [case]: set for the case, restored after it. */
struct sysctl_set {
	char name[64];     /* "vm.panic_on_oom" */
	char value[64];
};

/* [change]: what the harness does to the cgroup while the case runs. */
struct case_change {
	int line;                        /* the [change] line; 0 when there is none */
	long at_ms;                      /* after go */
	long hold_ms;                    /* then wait this long for the kernel (no trigger) */
	long long memory_max;            /* -1: unchanged */
	long long swap_max;              /* -1: unchanged */
	int memory_max_line, swap_max_line;
	int oom_group;                   /* -1: unchanged */
};

enum case_scope {
	SCOPE_CGROUP,  /* everything happens inside the case's memory cgroup */
	SCOPE_MACHINE, /* may exhaust or reconfigure the whole machine: VM guests only */
};

struct case_spec {
	char name[64];
	char path[PATH_MAX];
	char summary[256];
	enum case_scope scope;
	long long memory_max;            /* bytes; -1 when unset */
	long long swap_max;              /* bytes; -1 when unset */
	int memory_max_line, swap_max_line;
	long timeout_ms;                 /* 0: the harness default */
	int want_cgroup;                 /* required cgroup version: 0 any, 1 or 2 */
	bool has_kernel;
	struct kcond kernel;             /* required kernel version */
	bool own_boot;                   /* VM: run in a boot of its own (it may panic the guest) */
	struct sysctl_set sysctls[SYSCTL_MAX]; /* set for the case, restored after it */
	int sysctl_lines[SYSCTL_MAX];
	int nsysctls;
	long long swap_file;             /* bytes of the case's own swap file; 0: none */
	bool needs_disk;                 /* a disk-backed /var/tmp (page cache, not tmpfs) */
	bool needs_fuse;                 /* /dev/fuse opens */
	int oom_group;                   /* memory.oom.group (v2) at setup; -1: untouched */
	struct case_change change;
	int line;                        /* the [case] line */
	struct proc_spec procs[CASE_MAX_PROCS];
	int nprocs;
	struct cgroup_spec cgroups[CASE_MAX_CGROUPS]; /* parents before their children */
	int ncgroups;
};

/*
 * Read and check a case file. stressor_dir holds the stressor programs: the run
 * lines must name one. Nothing is run: the stressors check their own options in a
 * step of its own (case_check_args). Errors are "path:line: what is wrong".
 */
int case_load(struct case_spec *c, const char *path, const char *stressor_dir, struct err *e);

/* The case name in a path or a name ("cases/hog-killed.case" or "hog-killed"): where
 * it starts, and its length in *len (without ".case"). */
const char *case_name_in(const char *path, size_t *len);

/* Is this file name a case file's (NAME.case)? */
bool case_file_named(const char *file);

/* CASES_DIR/NAME.case */
void case_path(char *out, size_t len, const char *cases_dir, const char *name);

/* The process with this role, or NULL. */
const struct proc_spec *case_role(const struct case_spec *c, const char *role);

/* The index of the [cgroup NAME] section, or -1. */
int case_cgroup(const struct case_spec *c, const char *name);

/* A case or role name: letters, digits, '_', '-', '.'; 1 to max-1 characters. */
bool name_ok(const char *s, size_t max);

#endif
