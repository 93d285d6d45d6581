/* SPDX-License-Identifier: GPL-2.0 */
/* Inside judge/ only: the state and small tools judge.c and judge_model.c share. */
#ifndef OOMLAB_JUDGE_STATE_H
#define OOMLAB_JUDGE_STATE_H

#include <stdbool.h>

#include "format/expectfile.h"
#include "judge/ktap.h"
#include "run/runcase.h"

#define JUDGE_KEPT 64

struct judge {
	const struct case_run *r;
	const struct expect_spec *x;
	struct ktap *k;
	int failures;
	int log_failures;            /* of them: a dmesg line the kernel log lacks */
	char *fails[JUDGE_KEPT];     /* the first failures' texts ("killed: expected ...") */
	int nfails;
	long matched[JUDGE_KEPT];    /* indexes of the log lines dmesg patterns matched */
	int nmatched;
};

/* A failed check: "EXPECTFILE:LINE: text" (line 0, a default check: "EXPECTFILE: text"). */
void judge_fail(struct judge *j, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The main process of a role (roles in an expectation are checked to exist). */
const struct proc_run *judge_role(const struct case_run *r, const char *role);

/* The model's checks (judge_model.c). */
void judge_model(struct judge *j);

/* The reports' completeness and shape (judge_report.c). */
void judge_report(struct judge *j);

#endif
