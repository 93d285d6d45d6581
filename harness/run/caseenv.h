/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a case sets up around its processes, and takes down after them: the cgroup
 * and its limits, the cgroups of its own subtree ([cgroup NAME]), memory.oom.group, sysctls, its own swap file, the files and keys
 * its run lines name; and the [change] made while it runs.
 */
#ifndef OOMLAB_CASEENV_H
#define OOMLAB_CASEENV_H

#include "run/runcase.h"

/* Returns 0, or -1 with r->outcome (OUT_SETUP_FAILED or OUT_SKIPPED) and r->why set. */
int caseenv_setup(struct case_run *r, const struct run_env *env);

/* Apply the case's [change]; what the kernel said goes to r->change_result. */
void caseenv_change(struct case_run *r, const struct run_env *env);

/* After the processes are gone: files, keys, swap, sysctls, the cgroup. */
void caseenv_teardown(struct case_run *r, const struct run_env *env);

/* Which name of a cgroup caseenv_cgroup gives. */
enum cgroup_name {
	CG_DIR,      /* its directory here */
	CG_KERNEL,   /* its path as the kernel prints it in OOM reports */
};

/*
 * A cgroup of the case (an index of cs->cgroups, or -1 for the case's own), named as
 * asked. A path that does not fit is cut (the case's setup refused it already).
 */
void caseenv_cgroup(const struct case_run *r, int cgroup, enum cgroup_name which, char *out,
		    size_t len);

#endif
