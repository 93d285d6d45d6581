/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one case: cgroup, processes, the ready/go handshake, the wait for the
 * outcome, the kernel log, and cleanup. What happened is recorded in a struct
 * case_run for the judge; nothing is judged here.
 */
#ifndef OOMLAB_RUNCASE_H
#define OOMLAB_RUNCASE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "format/casefile.h"
#include "model/casemodel.h"
#include "cgroup/cgroup.h"
#include "base/hostinfo.h"
#include "journal/journal.h"
#include "klog/kmsg.h"
#include "run/machinelock.h"
#include "run/memtrace.h"
#include "klog/oomreport.h"
#include "base/procinfo.h"
#include "run/casesysctl.h"
#include "run/ratelimit.h"
#include "run/resources.h"
#include "shared/protocol.h"

/* What a case run needs from the harness around it. */
struct run_env {
	const struct hostinfo *host;
	const struct cgroup_root *root;
	char run_dir[PATH_MAX];      /* <root>/oomlab.<pid>: holds the case cgroups */
	char run_kpath[PATH_MAX];    /* the same, as the kernel names it */
	char freezer_run_dir[PATH_MAX]; /* v1: the run's twin in the freezer hierarchy, or "" */
	struct journal *journal;
	const char *stressor_dir;
	const char *kmsg_path;
	int sigfd;                   /* signalfd: SIGCHLD, SIGINT, SIGTERM, SIGHUP */
	long timeout_ms;             /* when the case does not say; --timeout overrides both */
	bool timeout_forced;
	int timeout_scale;           /* multiplies the timeout (slow machines, TCG guests) */
	bool *interrupted;           /* set on SIGINT/SIGTERM/SIGHUP */
	struct oom_ratelimit *ratelimit; /* the kernel's report rate limit */
	struct machine_lock *lock;   /* one case at a time on this machine, across runs */
	void (*lock_note)(const char *msg); /* prints what the lock waits for, as a diagnostic */
	const char *swap_dir;        /* where a case's swap file goes (a disk) */
	const char *tmpfile_dir;     /* where {tmpfile} goes (a tmpfs) */
	bool guest;                  /* inside oomlab's throw-away VM guest */
	const struct kver *model_rules; /* --model-kernel: the model follows these rules; NULL */
	int sample_ms;               /* memory over time: the sampling interval; 0 off */
};

enum proc_state { PS_STARTING, PS_READY, PS_DONE, PS_ENDED };

struct member {
	pid_t pid;
	int status;                  /* wait status; -1 until reaped by the harness */
	unsigned long long start_time; /* to tell the pid from a later reuse */
};

struct proc_run {
	const struct proc_spec *spec;
	pid_t pid;
	enum proc_state state;
	enum proc_state run_state;   /* state once the log settled, before cleanup */
	int status;                  /* wait status once ended */
	int ctl;                     /* harness end of the control socket, -1 once closed */
	int out;                     /* read end of stdout/stderr, -1 once closed */
	int notify;                  /* seccomp listener for counted faults, -1 if none */
	struct fault faults[FAULTS_MAX]; /* the case's faults, with the harness's counts */
	int nfaults;
	char ctlbuf[512];
	size_t ctllen;
	char error[512];             /* "error TEXT" sent by the child before exec */
	char *output;
	size_t outlen;
	bool out_truncated;
	struct member *members;      /* other processes of this role ("member PID") */
	int nmembers;
	enum model_fact model_fact;  /* what the stressor said the model must know ("model FACT") */
	struct proc_sample sample;   /* just before go */
	struct proc_model model;     /* the badness model on that sample */
};

enum case_outcome {
	OUT_DONE,           /* every trigger finished, was killed or exited */
	OUT_TIMEOUT,
	OUT_SETUP_FAILED,   /* why says what */
	OUT_SKIPPED,        /* a requirement only setup could check (swap); why says which */
	OUT_INTERRUPTED,
};

struct case_run {
	const struct case_spec *cs;
	enum case_outcome outcome;
	char why[2048];
	char cg_dir[PATH_MAX];
	char cg_kpath[PATH_MAX];
	int cg_jid;                   /* the cgroup's journal entry */
	char fz_dir[PATH_MAX];        /* v1: the case's twin in the freezer hierarchy, or "" */
	int fz_jid;
	struct case_resources res;    /* swap file, {tmpfile}, {ipckey} */
	char change_result[32];       /* [change]: "applied", or the errno name ("EBUSY") */
	char change_detail[512];
	struct proc_run procs[CASE_MAX_PROCS];
	int nprocs;
	bool have_counters;
	struct cg_counters counters;  /* after the run */
	struct kmsg_log klog;         /* records logged during the case */
	struct oom_line *lines;       /* their lines */
	size_t nlines;
	struct oom_report report;     /* parsed from lines */
	bool *ours;                   /* per event: it belongs to this case */
	bool *line_ours;              /* per line: the case's (what dmesg patterns see) */
	size_t nlines_ours;
	struct model_env model;       /* the domains, read before go */
	bool dump_tasks;              /* vm.oom_dump_tasks was on at go: reports have a task table */
	struct event_model *models;   /* per event of the case: the predicted victim */
	int kills_logged;             /* "Killed process" lines of this case */
	char not_judged[256];         /* why the log cannot be judged (a report suppressed by others) */
	long timeout_ms;
	struct sysctl_saved sysctls;  /* what the case changed, to restore */
	long lock_waited_ms;          /* for another run's case to end, before t0 */
	long waited_ms;               /* for the lock and the kernel's report rate limit, before t0 */
	long t0;                      /* monotonic ms at case start; the t_* are relative */
	long t_ready_ms, t_go_ms, t_end_ms, t_settled_ms, t_total_ms;
	struct mem_trace trace;       /* memory over time, from the first process's start */
};

/*
 * Decide when the kernel log is complete enough to judge: called during settling
 * with the records read so far; return true to stop waiting.
 */
typedef bool (*settle_fn)(const struct case_run *r, void *ctx);

/* Run the case; what happened is in r (r->outcome, and r->why when it did not finish). */
void case_run(struct case_run *r, const struct case_spec *cs, const struct run_env *env,
	     settle_fn settled, void *settle_ctx, int expected_kills);

void case_run_free(struct case_run *r);

/* The role and process an observed pid belongs to; NULL when it is not the case's. */
const struct proc_run *case_run_owner(const struct case_run *r, long pid);

/* Set the outcome and its reason (r->why). Returns -1. */
int case_fail(struct case_run *r, enum case_outcome how, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Something went wrong that does not change the outcome (a cleanup step, a sample):
 * "oomlab: CASE: " and e's message on stderr.
 */
void case_warn(const struct case_run *r, const struct err *e);

/* "exited with code 3 (allocation failed)", "killed by SIGKILL", ... */
const char *describe_status(int status, char *buf, size_t len);

/* What became of a process by the end of the run phase, in words. */
const char *proc_fate(const struct proc_run *p, char *buf, size_t len);

#endif
