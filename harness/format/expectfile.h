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

/* model_score = no, WHY: a default check turned off, with the reason. */
struct model_optout {
	bool off;
	int line;
	char why[160];
};

struct exit_expect {
	int line;
	char role[ROLE_MAX];
	int code;
};

/* sample = ROLE FIELD VALUE: what /proc/PID/FIELD read before go. */
enum sample_field { SAMPLE_OOM_SCORE, SAMPLE_OOM_SCORE_ADJ, SAMPLE_OOM_ADJ };

struct sample_expect {
	int line;
	char role[ROLE_MAX];
	enum sample_field field;
	long value;
};

struct expect_spec {
	char path[PATH_MAX];
	struct role_list killed;     /* every process of these roles died by SIGKILL */
	struct role_list survived;   /* these roles were not killed */
	struct role_list victims;    /* the kernel's "Killed process" victims, in order */
	bool has_oom_kills;
	int oom_kills_line;
	long oom_kills;              /* the cgroup's OOM kill counter */
	bool has_usage;
	int usage_line;
	enum cmp_op usage_op;
	long long usage;             /* the cgroup's memory usage once the log settled */
	char change[32];             /* [change]: "applied" or the errno name; "" unset */
	int change_line;
	bool has_oom_events;
	int oom_events_line;
	long oom_events;             /* v2 memory.events oom: times the limit led to an OOM */
	struct order_chain order;    /* /proc/PID/oom_score before go */
	struct order_chain model_order; /* the model's badness in the case's domain before go */
	struct model_optout model_score;  /* model oom_score = kernel's (on unless "no") */
	struct model_optout model_victim; /* predicted victim = the kernel's (on unless "no") */
	struct pattern_list dmesg;   /* each matches some kernel log line of the case */
	struct pattern_list no_dmesg;/* none matches any */
	struct pattern_list output;  /* each matches a line of the role's output */
	struct pattern_list output_lines; /* exactly count lines of the role's output match */
	int nexits;
	struct exit_expect exits[CASE_MAX_PROCS];
	int nsamples;
	struct sample_expect samples[3 * CASE_MAX_PROCS];
	/* Judged by the host from a VM guest's console log (case with own_boot): */
	bool has_panic;
	bool panic;                  /* the guest's kernel panics */
	int panic_line;
	struct pattern_list console; /* each matches a console line */
};

struct expect_env {
	struct kver kernel;
	int cgroup_version;          /* 1 or 2 */
};

extern const char *const sample_field_names[];

int expect_load(struct expect_spec *x, const char *path, const struct case_spec *c,
		const struct expect_env *env, struct err *e);

/* "a, b, c", or "none" for an empty list (expectprint.c, as is expect_print). */
void role_list_text(const struct role_list *rl, char *out, size_t len);

/* The expectations in effect, one "key = value" line each, through line(). */
void expect_print(const struct expect_spec *x, void (*line)(void *ctx, const char *text), void *ctx);
void expect_free(struct expect_spec *x);

/* Value of a {pid:ROLE} placeholder, or NULL when the role has none. */
typedef const char *(*placeholder_fn)(void *ctx, const char *kind, const char *role);

/*
 * Replace {pid:ROLE} and {cgroup} with the values fn gives, escaped for an extended
 * regular expression. Other braces stay (they are regex repetitions). Returns 0, or
 * -1 with msg filled (unknown role, value unavailable, too long).
 */
int pattern_expand(const char *text, placeholder_fn fn, void *ctx, char *out, size_t len,
		   char *msg, size_t msglen);

#endif
