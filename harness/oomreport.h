/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Splitting kernel log lines into OOM events and reading their parts: the trigger
 * line, the CPU line, memcg usage, the task table, the oom-kill summary, the
 * "Killed process" lines (the victim, and oom.group members), reaper lines.
 *
 * What a line does not say stays unknown (-1, or an empty string): nothing is
 * invented. The input is text lines without timestamps or syslog prefixes.
 */
#ifndef OOMLAB_OOMREPORT_H
#define OOMLAB_OOMREPORT_H

#include <stdbool.h>
#include <stddef.h>

#define OOM_COMM_MAX 64
#define OOM_PATH_MAX 512

struct oom_line {
	const char *text;
	double ts;          /* seconds since boot; negative when unknown */
	long src;           /* where it came from: kmsg record index or input line number */
};

/* A row of the task table. Memory columns are pages, pgtables_bytes is bytes; -1 unknown. */
struct oom_task {
	long pid, uid, tgid;
	long long total_vm, rss, rss_anon, rss_file, rss_shmem, pgtables_bytes, swapents;
	long oom_score_adj;
	char name[OOM_COMM_MAX];
};

/* A "Killed process" line, and what the reaper later said about the same pid. */
struct oom_kill {
	size_t line;
	long pid;
	char comm[OOM_COMM_MAX];
	char reason[64];    /* "Memory cgroup out of memory", "Out of memory", ...; "" when none */
	long long total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb, pgtables_kb; /* -1 unknown */
	long uid;           /* -1 unknown */
	long oom_score_adj;
	bool has_adj;
	bool reaped;
	size_t reaper_line;
	long long reaped_anon_kb, reaped_file_kb, reaped_shmem_kb;
};

struct oom_event {
	size_t first_line, last_line;
	bool has_trigger;           /* the "invoked oom-killer" header was seen */
	char trigger_comm[OOM_COMM_MAX];
	long trigger_pid;           /* from the "CPU: ... PID: ..." line; -1 unknown */
	char gfp_mask[160];
	int order;
	bool has_trigger_adj;
	long trigger_adj;
	bool has_summary;           /* the "oom-kill:" line */
	char constraint[48];
	char oom_memcg[OOM_PATH_MAX];
	char task_memcg[OOM_PATH_MAX];
	bool global_oom;
	char task_comm[OOM_COMM_MAX];
	long task_pid, task_uid;
	long long mem_usage_kb, mem_limit_kb, mem_failcnt; /* the memcg "memory:" line; -1 unknown */
	char oom_group[OOM_PATH_MAX]; /* "Tasks in X are going to be killed due to memory.oom.group set" */
	struct oom_task *tasks;
	size_t ntasks;
	struct oom_kill *kills;     /* kills[0] is the chosen victim; more with oom.group */
	size_t nkills;
};

struct oom_report {
	struct oom_event *events;
	size_t n;
};

/* Returns 0, or -1 when out of memory. */
int oom_parse(const struct oom_line *lines, size_t n, struct oom_report *out);
void oom_report_free(struct oom_report *r);

/* Is this one of a report's essential lines (header, usage, table, summary, kills)? */
bool oom_line_is_key(const char *text);

#endif
