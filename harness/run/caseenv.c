// SPDX-License-Identifier: GPL-2.0
#include "run/caseenv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared/faultspec.h"

/* A cleanup step failed: its journal entry stays, and the next run retries it. */
static void cleanup_failed(void *r, const struct err *e)
{
	struct err context = *e;

	err_wrap(&context, "cleanup");
	case_warn(r, &context);
}

static int make_cgroup(struct case_run *r, const struct run_env *env)
{
	const struct case_spec *cs = r->cs;
	struct cg_limits lim = { .memory_max = cs->memory_max, .swap_max = cs->swap_max };
	struct err e;

	if (snprintf(r->cg_dir, sizeof(r->cg_dir), "%s/%s", env->run_dir, cs->name) >=
		    (int)sizeof(r->cg_dir) ||
	    snprintf(r->cg_kpath, sizeof(r->cg_kpath), "%s/%s", env->run_kpath, cs->name) >=
		    (int)sizeof(r->cg_kpath)) {
		r->cg_dir[0] = '\0';
		return case_fail(r, OUT_SETUP_FAILED, "the case cgroup's path is longer than %d bytes",
			      PATH_MAX);
	}
	r->cg_jid = journal_mkdir_cgroup(env->journal, env->root->ops->version, r->cg_dir, &e);
	if (r->cg_jid < 0) {
		r->cg_dir[0] = '\0';
		return case_fail(r, OUT_SETUP_FAILED, "creating the case cgroup: %s", e.msg);
	}
	/* Read now: the case's own swap file is on by this point. */
	if (cg_set_limits(env->root->ops, r->cg_dir, &lim, meminfo_kb("SwapTotal") > 0, &e))
		return case_fail(r, OUT_SETUP_FAILED, "setting limits: %s", e.msg);
	if (cs->oom_group >= 0 && env->root->ops->set_oom_group(r->cg_dir, cs->oom_group, &e))
		return case_fail(r, OUT_SETUP_FAILED, "%s", e.msg);
	return 0;
}

void caseenv_cgroup(const struct case_run *r, int cgroup, enum cgroup_name which, char *out,
		    size_t len)
{
	const char *name = cgroup >= 0 ? r->cs->cgroups[cgroup].name : NULL;

	snprintf(out, len, "%s%s%s", which == CG_KERNEL ? r->cg_kpath : r->cg_dir, name ? "/" : "",
		 name ? name : "");
}

/*
 * The cgroups of the case's [cgroup] sections, parents first, each with its limits.
 * They need no journal entries of their own: the case cgroup's removal takes them.
 */
static int make_subtree(struct case_run *r, const struct run_env *env)
{
	const struct cgroup_ops *ops = env->root->ops;
	bool have_swap = meminfo_kb("SwapTotal") > 0;
	char dir[PATH_MAX], parent[PATH_MAX];
	struct err e;

	for (int i = 0; i < r->cs->ncgroups; i++) {
		const struct cgroup_spec *g = &r->cs->cgroups[i];
		struct cg_limits lim = { .memory_max = g->memory_max, .swap_max = g->swap_max };

		caseenv_cgroup(r, g->parent, CG_DIR, parent, sizeof(parent));
		caseenv_cgroup(r, i, CG_DIR, dir, sizeof(dir));
		if (strlen(dir) + 1 >= sizeof(dir))
			return case_fail(r, OUT_SETUP_FAILED, "[cgroup %s]: its path is too long", g->name);
		if ((!ops->memory_enabled(parent) && ops->enable_memory(parent, &e)) ||
		    cg_mkdir(dir, &e) || cg_set_limits(ops, dir, &lim, have_swap, &e) ||
		    (g->oom_group >= 0 && ops->set_oom_group(dir, g->oom_group, &e)))
			return case_fail(r, OUT_SETUP_FAILED, "[cgroup %s]: %s", g->name, e.msg);
	}
	return 0;
}

/* v1: the case's twin cgroup in the freezer hierarchy. */
static int make_freezer_twin(struct case_run *r, const struct run_env *env)
{
	struct err e;

	if (!env->freezer_run_dir[0])
		return 0;
	if (snprintf(r->fz_dir, sizeof(r->fz_dir), "%s/%s", env->freezer_run_dir, r->cs->name) >=
	    (int)sizeof(r->fz_dir)) {
		r->fz_dir[0] = '\0';
		return case_fail(r, OUT_SETUP_FAILED, "the freezer cgroup's path is too long");
	}
	r->fz_jid = journal_mkdir_cgroup(env->journal, 1, r->fz_dir, &e);
	if (r->fz_jid < 0) {
		r->fz_dir[0] = '\0';
		return case_fail(r, OUT_SETUP_FAILED, "creating the case's freezer cgroup: %s", e.msg);
	}
	return 0;
}

int caseenv_setup(struct case_run *r, const struct run_env *env)
{
	const struct case_spec *cs = r->cs;
	struct err e;
	int i;

	resources_init(&r->res, cs->name, env->tmpfile_dir);
	/* Swap first: without it the case is skipped, and nothing else need be made. */
	if (cs->swap_file && swapfile_on(&r->res, env->swap_dir, (size_t)cs->swap_file, env->journal,
					 &e))
		return case_fail(r, OUT_SKIPPED, "%s", e.msg);
	if (make_cgroup(r, env) || make_subtree(r, env) || make_freezer_twin(r, env))
		return -1;
	if (cs->nsysctls && sysctl_apply(cs->sysctls, cs->nsysctls, env->journal, &r->sysctls, &e))
		return case_fail(r, OUT_SETUP_FAILED, "%s", e.msg);
	for (i = 0; i < cs->nprocs; i++)
		if (resources_journal(&r->res, env->journal, cs->procs[i].argv, cs->procs[i].role, i, &e))
			return case_fail(r, OUT_SETUP_FAILED, "%s", e.msg);
	return 0;
}

void caseenv_change(struct case_run *r, const struct run_env *env)
{
	const struct case_change *ch = &r->cs->change;
	struct cg_limits lim = { .memory_max = ch->memory_max, .swap_max = ch->swap_max };
	struct err e;

	snprintf(r->change_result, sizeof(r->change_result), "applied");
	if (((ch->memory_max >= 0 || ch->swap_max >= 0) &&
	     cg_set_limits(env->root->ops, r->cg_dir, &lim, true, &e)) ||
	    (ch->oom_group >= 0 && env->root->ops->set_oom_group(r->cg_dir, ch->oom_group, &e))) {
		const char *name = errno_name(e.errnum);

		snprintf(r->change_result, sizeof(r->change_result), "%s", name ? name : "refused");
		snprintf(r->change_detail, sizeof(r->change_detail), "%s", e.msg);
	}
}

void caseenv_teardown(struct case_run *r, const struct run_env *env)
{
	struct err e;

	/* Files and keys of the run lines, and the swap file (its pages are freed now). */
	resources_teardown(&r->res, env->journal, cleanup_failed, r);
	sysctl_restore(&r->sysctls, env->journal, cleanup_failed, r);
	if (r->fz_dir[0] && journal_undo(env->journal, r->fz_jid, &e))
		cleanup_failed(r, &e);
	if (r->cg_dir[0] && journal_undo(env->journal, r->cg_jid, &e))
		cleanup_failed(r, &e);
}
