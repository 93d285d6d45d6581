/* SPDX-License-Identifier: GPL-2.0 */
/* The OOM report parser's own state, shared by the parser's files only (oomreport.c,
 * oomlines.c, oomvictim.c, oomtable.c, oomtext.c). */
#ifndef OOMLAB_OOMPARSER_H
#define OOMLAB_OOMPARSER_H

#include "klog/oomreport.h"

/* Task table columns, as named in the header line. */
enum oom_col { C_PID, C_UID, C_TGID, C_TOTAL_VM, C_RSS, C_RSS_ANON, C_RSS_FILE, C_RSS_SHMEM,
	       C_PGTABLES, C_NR_PTES, C_NR_PMDS, C_SWAPENTS, C_CPU, C_OOM_ADJ, C_ADJ, C_UNKNOWN };

enum oom_phase {
	PH_NONE,        /* no report open */
	PH_HEADER,      /* inside a report, before its kill */
	PH_SELECTED,    /* "Kill process ... or sacrifice child": its Killed line comes next */
	PH_KILLED,      /* after the kill: oom.group members, sharers, "mm pinned" may follow */
};

#define OOM_MAX_COLS 24
/* Lines a report may hold that no recognizer knows (stacks, registers, stats), in a row;
 * fewer while it holds nothing but a CPU: line, Mem-Info or rows (it may be none). */
#define OOM_MAX_UNKNOWN 2000
#define OOM_MAX_UNKNOWN_WEAK 300

struct oom_parser {
	struct oom_report *out;
	struct oom_event *cur;
	enum oom_phase phase;
	enum oom_col cols[OOM_MAX_COLS];
	int ncols;              /* 0 outside a task table */
	bool in_meminfo;
	int unknown;            /* unknown lines in a row while a report is open */
	double ts;              /* the printk time of the line being read; negative when none */
	double last_ts;         /* that of the open report's last timed line; negative when none */
	bool splat;             /* a warning, BUG or page allocation failure began: its CPU: line
				 * and Mem-Info open no report */
	double splat_ts;
};

/* Printk times further apart than this are not one report's lines: a jump ends the report. */
#define OOM_MAX_GAP_S 5.0

/* Open a new event (closing the current one). NULL when out of memory. */
struct oom_event *oom_open(struct oom_parser *p, long src);

/* The current event, opening a headerless one when none is; NULL when out of memory. */
struct oom_event *oom_current(struct oom_parser *p, long src);

/*
 * Is the open report, with no kill yet, not the one of a kill, selected or oom-kill:
 * line naming pid (its task table lists another set of tasks)? Then the line opens an
 * event of its own.
 */
bool oom_foreign(const struct oom_parser *p, long pid);

/* Is pid in the event's task table, as a pid or a tgid? */
bool oom_in_table(const struct oom_event *ev, long pid);

/* Narrow an event's era range to [lo, hi] (kver_code; hi 0: no upper bound). */
void oom_era_hint(struct oom_event *ev, unsigned long lo, unsigned long hi);

/* Pieces of a line (oomtext.c). */
const char *oom_skip_ws(const char *s);

/* Copy at most len-1 bytes of [s, s+n), cut after a log prefix that leaked into them (a
 * printk time, caller id, "kernel:" or date): no value ever holds one. */
void oom_copy(char *dst, size_t len, const char *s, size_t n);
/* How many bytes of [s, s+n) are such a prefix (0: none). */
size_t oom_leaked_prefix(const char *s, size_t n);
/* A whole (optionally signed) decimal number at s; false when there is none. */
bool oom_number(const char *s, long long *out, const char **end);
/* "key:NNNkB" after s; -1 when absent. */
long long oom_kb_field(const char *s, const char *key);
/* The value of "key=" in s, up to the earliest of the stop strings (NULL-ended) or the end. */
bool oom_field(const char *s, const char *key, const char *const *stops, char *out, size_t len);
/* "NUM (COMM)" where COMM may hold anything: it ends at tail's ")", or the last ")". */
bool oom_pid_and_comm(const char *s, const char *tail, long *pid, char *comm, size_t len,
		      const char **after);

/* The kernel's reason ("Out of memory", ...) that the text [t, at) ends with, before a
 * ": " (at is where "Kill process" or "Killed process" starts); false when none. */
bool oom_reason(const char *t, const char *at, char *out, size_t len);

/* A line recognizer: 1 took it, 2 took it but not as a line of the open report, 0 not its shape, -1. */
typedef int oom_step(struct oom_parser *p, const char *t, long src);

/* Try the steps in order; the first that does not return 0 decides. */
int oom_try(oom_step *const *steps, size_t n, struct oom_parser *p, const char *t, long src);

/* The recognizers of the task table (oomtable.c) and of a report's end (oomvictim.c). */
int oom_table_lines(struct oom_parser *p, const char *t, long src);
int oom_victim_lines(struct oom_parser *p, const char *t, long src);

/*
 * Try every line recognizer: 1 when one took the line, 2 when one took it but it is not
 * a line of the open report (a reaper line), 0 when none did, -1 when out of memory.
 */
int oom_lines_take(struct oom_parser *p, const char *t, long src);

#endif
