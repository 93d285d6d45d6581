/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An OOM event of a field log turned into a case (`oomlab replay`, docs/incidents.md):
 * the victim, the trigger and the candidates near the victim, each an `idle` process of
 * its row's size and oom_score_adj (the trigger a `hog`), in a domain of the report's
 * size, all scaled down by one factor so that the case fits this machine, with every
 * share of the domain kept. The plan is checked with the badness formula before it is
 * written: a factor under which the replay's victim would not be the field's is refused.
 */
#ifndef OOMLAB_REPLAY_H
#define OOMLAB_REPLAY_H

#include <stdbool.h>

#include "klog/oomreport.h"
#include "model/explain.h"

#define REPLAY_MAX 32
#define REPLAY_SHARERS 64               /* the most tasks besides one replayed as sharing its mm */
#define REPLAY_NOTES 8

struct replay_opts {
	double factor;                  /* 0: auto */
	int keep;                       /* the most processes to replay (the trigger included) */
	long long host_limit_kb;        /* the largest memcg domain a case may have here */
	bool machine;                   /* a global OOM machine-wide in a guest (else in a memcg) */
};

struct replay_proc {
	char role[16];                  /* a valid role name made from the comm */
	char comm[OOM_COMM_MAX];        /* as the report printed it */
	long pid;
	const struct oom_task *task;    /* its row */
	int sharers;                    /* rows that look like sharers of its mm (rank_same_mm):
					 * replayed as that many processes sharing its memory */
	long sharer_pids[REPLAY_SHARERS];
	long long anon_kb, file_kb, shmem_kb;  /* scaled */
	long long field_kb;             /* its row's memory in the field */
	long adj;                       /* its row's, scaled with the domain's share (see scale()) */
	long field_adj;
	bool trigger, victim;
	bool root;                      /* its row's uid is 0 */
	long long points;               /* the replay's badness, predicted */
};

/* What chose the field's victim, and so what the replay can show. */
enum replay_rule {
	RULE_BADNESS,                   /* the highest badness: the replay must agree */
	RULE_OTHER,                     /* a sacrificed child (up to 5.0), or not the top by the
					 * table: the replay shows what this kernel does instead */
	RULE_ALLOCATING,                /* vm.oom_kill_allocating_task, set in the guest */
	RULE_ORIGIN,                    /* the swapoff caller: the processes' swapped memory in
					 * the case's swap file, and the trigger swapoff on it */
};

struct replay_plan {
	enum replay_rule rule;
	bool memcg;                     /* in a memory cgroup (a memcg's OOM, or a global one
					 * without --machine); else scope = machine, in a guest */
	long long field_kb;             /* the field's domain (its totalpages) */
	long long memory_kb;            /* what the field's domain held at the OOM: its RAM or
					 * limit and the swap in use (unused swap is not replayed) */
	long long domain_kb;            /* the replay's: memory_kb / factor */
	long long swap_file_kb;         /* RULE_ORIGIN: the case's swap file */
	double factor;
	struct replay_proc procs[REPLAY_MAX];
	int n;
	int victim, trigger;            /* indexes in procs */
	bool needs_cap;                 /* a negative adj: CAP_SYS_RESOURCE (or a VM guest) */
	char notes[REPLAY_NOTES][320];
	int nnotes;
	char why_not[400];              /* when no plan can be made */
};

/* Plan the replay of ev, explained as x. Returns 0, or -1 with p->why_not. */
int replay_plan_make(const struct oom_event *ev, const struct explanation *x,
		     const struct replay_opts *o, struct replay_plan *p);

#endif
