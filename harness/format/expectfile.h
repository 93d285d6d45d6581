/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expected/NAME.expect: what must happen. See docs/case-format.md.
 *
 *	[expect]
 *	killed = hog
 *	survived = guard
 *	victims = hog
 *	oom_kills = 1
 *	order = hog > guard
 *	dmesg = Memory cgroup out of memory: Killed process {pid:hog} \(hog\)
 *
 *	[expect kernel < 5.1]
 *	dmesg = Kill process {pid:hog} \(hog\) score [0-9]+ or sacrifice child
 *
 * Sections apply when all their conditions hold (kernel OP VERSION, cgroup v1|v2).
 * For each key, the values come from the last section in the file that applies and
 * sets that key. Sections that do not apply are still checked for mistakes.
 */
#ifndef OOMLAB_EXPECTFILE_H
#define OOMLAB_EXPECTFILE_H

#include <stdbool.h>

#include "format/casefile.h"
#include "base/compare.h"
#include "base/err.h"
#include "base/hostinfo.h"

#define EXPECT_MAX_PATTERNS 32

struct role_list {
	bool set;
	int line;
	int n;
	char role[CASE_MAX_PROCS][ROLE_MAX];
};

/* order = a > b >= c: role[0] op[0] role[1] op[1] role[2] */
struct order_chain {
	bool set;
	int line;
	int n;
	char role[CASE_MAX_PROCS][ROLE_MAX];
	enum cmp_op op[CASE_MAX_PROCS];
};

/* A regular expression with {pid:ROLE} and {cgroup} placeholders. */
struct pattern {
	int line;
	char role[ROLE_MAX];   /* output = ROLE REGEX: whose output; empty for dmesg */
	long count;            /* output_lines = ROLE COUNT REGEX */
	char *text;
};

struct pattern_list {
	int n;
	struct pattern p[EXPECT_MAX_PATTERNS];
};

/* model_score = no, WHY (and the other default checks): turned off, with the reason. */
struct check_optout {
	bool off;
	int line;
	char why[160];
};

struct exit_expect {
	int line;
	char role[ROLE_MAX];
	int code;
};

struct exit_list {
	int n;
	struct exit_expect e[CASE_MAX_PROCS];
};

/* sample = ROLE FIELD VALUE: what /proc/PID/FIELD read before go. */
enum sample_field { SAMPLE_OOM_SCORE, SAMPLE_OOM_SCORE_ADJ, SAMPLE_OOM_ADJ, SAMPLE_FIELDS };

struct sample_expect {
	int line;
	char role[ROLE_MAX];
	enum sample_field field;
	long value;
};

struct sample_list {
	int n;
	struct sample_expect s[3 * CASE_MAX_PROCS];
};

/* oom_kills = N */
struct count_expect {
	bool set;
	int line;
	long value;
};

/* usage = OP SIZE */
struct usage_expect {
	bool set;
	int line;
	enum cmp_op op;
	long long bytes;
};

/* change = applied, or an errno name */
struct word_expect {
	int line;
	char word[32];                /* "" when unset */
};

/* panic = yes|no */
struct yes_no_expect {
	bool set;
	int line;
	bool yes;
};

struct expect_spec {
	char path[PATH_MAX];
	struct role_list killed;     /* every process of these roles died by SIGKILL */
	struct role_list survived;   /* these roles were not killed */
	struct role_list victims;    /* the kernel's "Killed process" victims, in order */
	struct role_list first_victim; /* the first of them (a second victim may follow) */
	struct count_expect oom_kills;  /* the cgroup's OOM kill counter */
	struct count_expect oom_events; /* v2 memory.events oom: times the limit led to an OOM */
	struct usage_expect usage;   /* the cgroup's memory usage once the log settled */
	struct word_expect change;   /* [change]: "applied" or the errno name */
	struct order_chain order;    /* /proc/PID/oom_score before go */
	struct order_chain model_order; /* the model's badness in the case's domain before go */
	struct check_optout model_score;  /* model oom_score = kernel's (on unless "no") */
	struct check_optout model_victim; /* predicted victim = the kernel's (on unless "no") */
	struct check_optout report_tasks; /* the task table lists every live process (on unless "no") */
	struct check_optout report_shape; /* the report's lines have this kernel's fields (on unless "no") */
	struct exit_list exits;
	struct sample_list samples;
	struct yes_no_expect panic;  /* VM: the guest's kernel panics (judged by the host) */
	struct pattern_list output_lines; /* exactly count lines of the role's output match */
	struct pattern_list dmesg;   /* each matches some kernel log line of the case */
	struct pattern_list no_dmesg;/* none matches any */
	struct pattern_list output;  /* each matches a line of the role's output */
	struct pattern_list console; /* VM: each matches a console line (judged by the host) */
};

struct expect_env {
	struct kver kernel;
	int cgroup_version;          /* 1 or 2 */
};

extern const char *const sample_field_names[SAMPLE_FIELDS];

int expect_load(struct expect_spec *x, const char *path, const struct case_spec *c,
		const struct expect_env *env, struct err *e);

/* "a, b, c", or "none" for an empty list. */
void role_list_text(const struct role_list *rl, char *out, size_t len);

/* The expectations in effect, one "key = value" line each, through line() (expectkeys.c). */
void expect_print(const struct expect_spec *x, void (*line)(void *ctx, const char *text), void *ctx);
void expect_free(struct expect_spec *x);

/* The value of a {pid:ROLE} or {cgroup} placeholder into out; -1 when there is none. */
typedef int (*placeholder_fn)(void *ctx, const char *kind, const char *role, char *out, size_t len);

/*
 * Replace {pid:ROLE} and {cgroup} with the values fn gives, escaped for an extended
 * regular expression. Other braces stay (they are regex repetitions). Returns 0, or
 * -1 with e saying why (unknown role, value unavailable, too long). (patterns.c)
 */
int pattern_expand(const char *text, placeholder_fn fn, void *ctx, char *out, size_t len,
		   struct err *e);

#endif
