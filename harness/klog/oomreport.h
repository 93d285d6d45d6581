/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OOM reports in kernel log lines, from any kernel since 2.6.18: the trigger line,
 * the CPU/Pid line, the cpuset line, memcg lines and stats, Mem-Info, the task table
 * (every header variant), the oom-kill summary, the victim lines of every era, reaper,
 * oom.group, "mm pinned", "already exiting" and panic lines. The line formats are in
 * docs/kernel-log-formats.md.
 *
 * The input is text lines without timestamps or syslog prefixes (logline.c takes
 * those off, called by logscan.c). What a line does not say stays unknown (-1, an empty string, false):
 * nothing is invented. No input makes it fail, except running out of memory.
 */
#ifndef OOMLAB_OOMREPORT_H
#define OOMLAB_OOMREPORT_H

#include <stdbool.h>
#include <stddef.h>

#define OOM_COMM_MAX 64
#define OOM_COMM_KERNEL 15      /* the longest comm the kernel has (TASK_COMM_LEN - 1) */
#define OOM_PATH_MAX 512
#define OOM_UNKNOWN (-1L)

struct oom_line {
	const char *text;
	double ts;          /* seconds since boot; negative when unknown */
	long src;           /* where it came from: a line number, or an index of the caller's */
};

/* A row of the task table. Memory columns are pages, pgtables_bytes is bytes. */
struct oom_task {
	long pid, uid, tgid;
	long long total_vm, rss, rss_anon, rss_file, rss_shmem, pgtables_bytes, nr_ptes, nr_pmds,
		swapents;                    /* -1 unknown */
	long cpu;                            /* -1 unknown (2.6.32-3.5 tables) */
	bool has_oom_adj, has_oom_score_adj;
	long oom_adj, oom_score_adj;
	char name[OOM_COMM_MAX];
};

/* A "Killed process" line, and what the reaper later said about the same pid. */
struct oom_kill {
	long line;
	long pid;
	char comm[OOM_COMM_MAX];
	char reason[64];    /* "Memory cgroup out of memory", "Out of memory", ...; "" when none */
	long long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb, pgtables_kb; /* -1 unknown */
	bool pgtables_corrected; /* the line printed bytes labelled kB (5.4-5.9); pgtables_kb is /1024 */
	bool cut;           /* the line was cut: pid and comm are the oom-kill: line's */
	long uid;           /* -1 unknown */
	bool has_adj;
	long oom_score_adj;
	bool reaped;
	bool reap_failed;   /* "oom_reaper: unable to reap" */
	long reaper_line;
	long long reaped_anon_kb, reaped_file_kb, reaped_shmem_kb;
};

/* memcg "memory: usage NkB, limit NkB, failcnt N" and its siblings. */
struct oom_usage {
	bool seen;
	long long usage_kb, limit_kb, failcnt;
};

/* A process named by a line: the selected one, a sharer, an exiting victim. */
struct oom_proc {
	bool seen;
	long line;
	long pid;
	char comm[OOM_COMM_MAX];
};

struct oom_event {
	long first_line, last_line;
	bool has_trigger;               /* the "invoked oom-killer" header was seen */
	char trigger_comm[OOM_COMM_MAX];
	long trigger_pid;               /* from the "CPU: ... PID:" or "Pid: N, comm:" line */
	char cpu_comm[OOM_COMM_MAX];    /* the Comm: on that line */
	char release[64];               /* the kernel release on that line; "" unknown */
	char gfp_mask[160];
	char trigger_nodemask[64];      /* on the trigger line (4.9-4.19) */
	char nodemask[64];              /* on the oom-kill: line (5.0+) */
	int order;                      /* -2 unknown (sysrq is -1) */
	bool has_trigger_adj, has_trigger_oom_adj, has_trigger_oomkilladj;
	long trigger_adj, trigger_oom_adj, trigger_oomkilladj;
	bool origin_stack;              /* the trigger's call trace is in swapoff or KSM's unmerge:
					 * an OOM origin, chosen before any scoring */
	bool origin_ksm;                /* ... in KSM's unmerge */
	char cpuset[OOM_PATH_MAX];      /* the cpuset line (≤4.19) or the summary */
	char mems_allowed[64];
	bool has_summary;               /* the "oom-kill:" line */
	char constraint[48];
	char oom_memcg[OOM_PATH_MAX];
	char task_memcg[OOM_PATH_MAX];
	bool global_oom;
	char task_comm[OOM_COMM_MAX];
	long task_pid, task_uid;
	char task_in[OOM_PATH_MAX];     /* "Task in X killed as a result of limit of Y" */
	char limit_of[OOM_PATH_MAX];
	struct oom_usage mem, memsw, kmem, swap;
	char stats_for[OOM_PATH_MAX];   /* the first "Memory cgroup stats for X:" */
	bool has_meminfo;
	long long ram_pages, reserved_pages, free_pages, free_swap_kb, total_swap_kb; /* -1 unknown */
	struct oom_task *tasks;
	size_t ntasks;
	struct oom_proc selected;       /* "Kill process N (C) score S or sacrifice child" */
	long selected_score;
	char selected_reason[64];
	struct oom_proc *sharers;       /* "Kill process N (C) sharing same memory" */
	size_t nsharers;
	struct oom_proc pinned_victim, pinned_by; /* "oom killer N (C) has mm pinned by N (C)" */
	struct oom_proc exiting;        /* "OOM victim N (C) is already exiting" */
	char oom_group[OOM_PATH_MAX];   /* "Tasks in X are going to be killed due to memory.oom.group set" */
	struct oom_kill *kills;         /* kills[0] is the chosen victim; more with oom.group */
	size_t nkills;
	bool no_killable;               /* "Out of memory and no killable processes..." */
	char panic[256];                /* the "Kernel panic - not syncing: ..." message */
	unsigned long era_lo, era_hi;   /* kernel versions the shapes fit (kver_code); 0 unknown */
};

struct oom_report {
	struct oom_event *events;
	size_t n;
};

/* Streaming: one line at a time, in log order. */
struct oom_parser;

struct oom_parser *oom_parser_new(struct oom_report *out);

/*
 * Take one line (NUL-terminated, no prefixes; ts its printk time in seconds, negative
 * when it has none). Returns 1 while a report is open (the next lines may belong to it),
 * 0 when none is, -1 when out of memory.
 */
int oom_parser_line(struct oom_parser *p, const char *text, long src, double ts);

/* Close what is open and free the parser (the report stays). */
void oom_parser_end(struct oom_parser *p);

/* All at once: lines in order. Returns 0, or -1 when out of memory. */
int oom_parse(const struct oom_line *lines, size_t n, struct oom_report *out);

void oom_report_free(struct oom_report *r);

/* Is the row pid's: its pid, or its tgid (a row may name a thread of the process)? */
bool oom_task_is(const struct oom_task *t, long pid);

/* Is [t, t+len) a task table row or its header (leading blanks allowed)? */
bool oom_table_line(const char *t, size_t len);

/* Is this one of a report's essential lines (header, usage, table, summary, kills)? */
bool oom_line_is_key(const char *text);

/* A kernel version as one number that orders: 2.6.32 -> 2006032. */
unsigned long kver_code(int major, int minor, int patch);

/* "2.6.32", "4.19-6.7", "6.8+" for an event's era range; "" when unknown. */
void oom_era_text(const struct oom_event *ev, char *out, size_t len);

/*
 * Does the printed release contradict the era the lines give (a distro kernel with
 * backported formats)? 1 it does, 0 it lies inside, -1 either is unknown.
 */
int oom_backport(const struct oom_event *ev);

/* Is the trigger known (its line, or the CPU: line of a report cut before it)? */
bool oom_has_trigger(const struct oom_event *ev);

/* The trigger's comm: its line's, or the CPU: line's; "" when neither says. */
const char *oom_trigger_comm(const struct oom_event *ev);

#endif
