/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The badness model (badness.c) applied to a case: each process's oom_score and its
 * badness in the case's own domain from its /proc sample before go, and for each OOM
 * event of the case the victim the formula picks from the kernel's own task table.
 * The judge compares them with what the kernel showed and did (docs/model.md).
 */
#ifndef OOMLAB_CASEMODEL_H
#define OOMLAB_CASEMODEL_H

#include <stdbool.h>

#include "model/badness.h"
#include "base/hostinfo.h"
#include "klog/oomreport.h"
#include "base/procinfo.h"

/* The domains, read when the processes are ready, before go. */
struct model_env {
	enum badness_era era;
	struct kver kernel;
	bool root;                     /* the stressors run as root: CAP_SYS_ADMIN */
	long page_kb;
	long long mem_total_kb, swap_total_kb;
	long long limit_kb;            /* the case cgroup's memory limit; -1 none */
	long long swap_limit_kb;       /* v2 memory.swap.max, v1 memsw minus memory; -1 no limit */
	int swappiness;                /* 0: the memcg domain gets no swap */
	long long machine_pages;       /* MemTotal + SwapTotal */
	long long domain_pages;        /* the case cgroup's limit + the swap it may use (or the machine) */
	bool allocating_task;          /* vm.oom_kill_allocating_task is set */
};

struct proc_model {
	bool ok;
	long long rss, swap, pgtables; /* pages, from /proc/PID/status */
	long long machine_points;      /* badness against RAM + swap */
	long oom_score;                /* what /proc/PID/oom_score should show */
	long long domain_points;       /* badness against the case cgroup's limit + swap */
};

/* How the kernel chooses its victim, by the rules that apply to an event. */
enum model_how {
	HOW_BADNESS,                   /* the highest badness in the domain */
	HOW_ALLOCATING_TASK,           /* vm.oom_kill_allocating_task: the allocating task */
	HOW_OOM_ORIGIN,                /* a swapoff caller, before any scoring */
	HOW_COUNT,
};

/* "badness", "oom_kill_allocating_task", "OOM origin: in swapoff" */
const char *model_how_text(enum model_how how);

struct event_model {
	bool made;                     /* a prediction was possible */
	char why_not[160];             /* when not */
	enum model_how how;
	long long totalpages;
	long pid;                      /* the predicted victim */
	char comm[OOM_COMM_MAX];
	long long points;
	bool victim_in_table;          /* the kernel's victim has a row */
	long long victim_points;
	int ties;                      /* other rows with the winner's badness */
};

/* What the case knows about its processes that a task table does not say. */
struct model_hints {
	long origin[8];                /* in swapoff(2): the OOM origin, chosen before scoring */
	int norigin;
	long in_vfork[64];             /* children in vfork: never chosen (4.8+) */
	int nvfork;
};

/*
 * cg_dir: the case's cgroup; cgroup_version 1 or 2. rules: the kernel whose rules
 * the model follows (--model-kernel, to see the checks fail); NULL: the running one.
 */
void model_env_read(struct model_env *m, const struct hostinfo *h, const struct kver *rules,
		    const char *cg_dir, int cgroup_version);

void model_proc(const struct model_env *m, const struct proc_sample *s, struct proc_model *out);

void model_event(const struct model_env *m, const struct oom_event *ev, const struct model_hints *h,
		 struct event_model *out);

/* Is pid one of pids[0..n)? (the hints' lists) */
bool model_pid_listed(const long *pids, int n, long pid);

/* Is the event a memory cgroup's OOM (else the machine's)? */
bool model_event_is_memcg(const struct oom_event *ev);

/* The event's domain in pages: its memcg's limit and the swap it may use, as the report
 * printed them, or the machine's RAM + swap; -1 when a memcg report has no usage line. */
long long model_event_pages(const struct model_env *m, const struct oom_event *ev);

#endif
