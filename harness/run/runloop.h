/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watching the processes of a running case: one poll loop over the signalfd
 * (SIGCHLD, interrupts) and each process's control socket and output pipe.
 */
#ifndef OOMLAB_RUNLOOP_H
#define OOMLAB_RUNLOOP_H

#include "base/clock.h"
#include "run/runcase.h"

enum wait_result { WAIT_MET, WAIT_DEADLINE, WAIT_INTERRUPTED, WAIT_ERROR };

typedef bool (*wait_cond)(const struct case_run *r, void *arg);

/*
 * Handle events until cond holds or the absolute deadline (now_ms() clock) passes.
 * cond NULL: just wait until the deadline. WAIT_ERROR leaves the reason in r->why.
 * An interrupt (SIGINT, SIGTERM, SIGHUP) ends the wait with WAIT_INTERRUPTED.
 */
enum wait_result runloop_wait(struct case_run *r, const struct run_env *env, long deadline,
			      wait_cond cond, void *arg);

/* The same, but interrupts do not end it: for cleanup, which must finish. */
enum wait_result runloop_wait_uninterrupted(struct case_run *r, const struct run_env *env,
					    long deadline, wait_cond cond, void *arg);

/* Read what is left in a process's pipes and close them. */
void runloop_drain(struct case_run *r, struct proc_run *p);

#endif
