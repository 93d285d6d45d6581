// SPDX-License-Identifier: GPL-2.0
#include "run/caseneeds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machine/swapfile.h"
#include "shared/faultspec.h"

/*
 * Is FUSE there: the file system registered (/proc/filesystems, so that nothing here
 * loads the module) and /dev/fuse? why says so when not.
 */
static bool fuse_opens(char *why, size_t len)
{
	char line[128];
	bool registered = false;
	FILE *f = fopen("/proc/filesystems", "re");

	while (f && !registered && fgets(line, sizeof(line), f))
		registered = !strcmp(line + strcspn(line, "\t"), "\tfuse\n");
	if (f)
		fclose(f);
	if (!registered) {
		snprintf(why, len, "needs FUSE: /proc/filesystems has no fuse (the module is not "
			 "loaded)");
		return false;
	}
	if (access("/dev/fuse", R_OK | W_OK)) {
		snprintf(why, len, "needs FUSE: /dev/fuse: %s", strerror(errno));
		return false;
	}
	return true;
}

/* Does a [cgroup] section of the case set memory.oom.group? */
static bool subtree_oom_group(const struct case_spec *cs)
{
	for (int i = 0; i < cs->ncgroups; i++)
		if (cs->cgroups[i].oom_group >= 0)
			return true;
	return false;
}

bool caseneeds_unmet(const struct case_host *h, const struct case_spec *cs, char *why, size_t len)
{
	int version = h->cgroup_version;
	const char *swap_problem;

	if (cs->scope == SCOPE_MACHINE && !h->guest) {
		snprintf(why, len, "machine-wide case: runs only inside a throw-away VM guest");
		return true;
	}
	if (cs->want_cgroup && version && cs->want_cgroup != version) {
		snprintf(why, len, "needs cgroup v%d; the memory controller here is on v%d",
			 cs->want_cgroup, version);
		return true;
	}
	for (int i = 0; i < cs->nprocs; i++) {
		const struct proc_spec *p = &cs->procs[i];

		if (((p->has_adj && p->oom_score_adj < h->host->oom_score_adj) ||
		     (p->has_oom_adj && p->oom_adj < 0)) && !h->host->cap_sys_resource) {
			snprintf(why, len, "%s needs %s %d, and lowering it needs CAP_SYS_RESOURCE, which "
				 "this process lacks (a sandbox or container dropped it)", p->role,
				 p->has_adj ? "oom_score_adj" : "oom_adj",
				 p->has_adj ? p->oom_score_adj : p->oom_adj);
			return true;
		}
	}
	for (int i = 0; i < cs->nprocs; i++)
		for (int f = 0; f < cs->procs[i].nfaults; f++)
			if (fault_counted(&cs->procs[i].faults[f]) &&
			    kver_cmp(&h->host->kernel, &(struct kver){ 5, 5, 0 }) < 0) {
				snprintf(why, len, "a counted fault needs seccomp user notification "
					 "with SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5+); this is %s",
					 h->host->release);
				return true;
			}
	if (cs->needs_fuse && !fuse_opens(why, len))
		return true;
	if ((cs->oom_group >= 0 || cs->change.oom_group >= 0 || subtree_oom_group(cs)) &&
	    version != 2) {
		snprintf(why, len, "memory.oom.group needs cgroup v2; the memory controller here is on "
			 "v%d", version);
		return true;
	}
	if (cs->needs_disk && swap_dir_problem("/var/tmp")) {
		snprintf(why, len, "needs page cache on a disk, and /var/tmp is in memory (tmpfs or "
			 "ramfs)");
		return true;
	}
	swap_problem = cs->swap_file ? swap_dir_problem(h->swap_dir) : NULL;
	if (swap_problem) {
		snprintf(why, len, "no swap for this case: %s (`%s`)", swap_problem, h->swap_dir);
		return true;
	}
	if (cs->has_kernel && !kcond_holds(&cs->kernel, &h->host->kernel)) {
		snprintf(why, len, "needs kernel %s %d.%d.%d; this is %s", cmp_op_text(cs->kernel.op),
			 cs->kernel.v.major, cs->kernel.v.minor, cs->kernel.v.patch, h->host->release);
		return true;
	}
	return false;
}

