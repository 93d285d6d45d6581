/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket between the harness and a stressor (fd 3 in the stressor): one
 * line per message, a word and, for some, an argument after a blank.
 */
#ifndef OOMLAB_PROTOCOL_H
#define OOMLAB_PROTOCOL_H

enum ctl_msg {
	CTL_READY,    /* stressor: its setup allocation is in place */
	CTL_DONE,     /* stressor: a trigger finished its work and now holds */
	CTL_MEMBER,   /* stressor: "member PID", another process of the same role */
	CTL_NOTIFY,   /* stressor: its seccomp listener comes with this line (SCM_RIGHTS) */
	CTL_MODEL,    /* stressor: "model FACT", what the badness model must know of it */
	CTL_ERROR,    /* the child before exec: "error TEXT" */
	CTL_GO,       /* harness: a trigger may start */
	CTL_COUNT,
};

/*
 * What a stressor is, for the badness model, beyond what a task table shows. A
 * stressor's descriptor declares it; the stressor says it before ready.
 */
enum model_fact {
	MODEL_PLAIN,          /* nothing beyond its rows */
	MODEL_OOM_ORIGIN,     /* it calls swapoff(2): an OOM origin, chosen before any scoring */
	MODEL_VFORK_MEMBERS,  /* its members are children in vfork: never chosen (4.8+) */
	MODEL_FACTS,
};

extern const char *const ctl_words[CTL_COUNT];
extern const char *const model_fact_words[MODEL_FACTS];

/* The message a line is (without its newline), with its argument in *arg; -1 none. */
int ctl_parse(const char *line, const char **arg);

/* The fact a "model FACT" argument names; -1 none. */
int model_fact_named(const char *word);

#endif
