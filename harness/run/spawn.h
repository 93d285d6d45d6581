/* SPDX-License-Identifier: GPL-2.0 */
/* Starting stressor processes. */
#ifndef OOMLAB_SPAWN_H
#define OOMLAB_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"
#include "format/casefile.h"
#include "shared/faultspec.h"

/* The control socket is always this descriptor in the stressor. */
#define STRESSOR_CONTROL_FD 3

struct spawn_req {
	const char *exe;
	const char *role;
	char *const *args;        /* the stressor's own options, NULL-terminated */
	bool wait_go;             /* trigger: waits for go after ready */
	bool machine_wide;
	const char *cgroup_procs; /* cgroup.procs to join before exec, or NULL */
	const char *freezer_procs; /* v1: the freezer twin's cgroup.procs, or NULL */
	int oom_score_adj;        /* always written: the harness's own -1000 is inherited */
	bool set_oom_adj;         /* then also the legacy /proc/self/oom_adj */
	int oom_adj;
	const struct fault *faults; /* passed as --fault SPEC */
	int nfaults;
	int ctl_fd;               /* the stressor's end of the control socket */
	int out_fd;               /* stdout and stderr */
};

/*
 * fork and exec the stressor: join the cgroup, set oom_score_adj, die with the
 * harness (PR_SET_PDEATHSIG), own process group (a terminal's Ctrl-C reaches only
 * the harness, which then cleans up). A failure in the child before exec is sent
 * on the control socket as "error TEXT" and the child exits 127.
 */
pid_t spawn_stressor(const struct spawn_req *r, struct err *e);

/*
 * Let each process's stressor check its run line (`STRESSOR --check-args ARGS...`, as
 * the case wrote them: resource options hold their placeholders). Returns 0 when every
 * one accepts them; otherwise -1 with "path:line: " and the first line the stressor
 * printed on stderr.
 */
int case_check_args(const struct case_spec *cs, const char *stressor_dir, struct err *e);

#endif
