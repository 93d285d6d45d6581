/* SPDX-License-Identifier: GPL-2.0 */
/* What /proc says about a process: the kernel's oom_score and the inputs of badness. */
#ifndef OOMLAB_PROCINFO_H
#define OOMLAB_PROCINFO_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"

struct proc_sample {
	bool ok;
	long oom_score;          /* /proc/PID/oom_score */
	long oom_score_adj;
	long oom_adj;            /* the legacy file */
	long long rss_anon_kb, rss_file_kb, rss_shmem_kb, vm_swap_kb, vm_pte_kb; /* status; -1 unknown */
};

int proc_sample(pid_t pid, struct proc_sample *s, struct err *e);

/*
 * Is the process on its way out: SIGKILL pending, or a zombie that we (its parent)
 * have yet to reap? A process that is alive and well, or gone, is not.
 */
bool proc_dying(pid_t pid);

/* Field 22 of /proc/PID/stat (start time in clock ticks), to tell a reused pid; 0 on error. */
unsigned long long proc_start_time(pid_t pid);

#endif
