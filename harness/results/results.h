/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results of one run, host and guests together, as KTAP printed them: each case's
 * kernel, name, verdict, reason, diagnostics, time and detail (judge/casejson.c). The
 * JUnit, JSON and HTML files are written from this one list (docs/results.md).
 */
#ifndef OOMLAB_RESULTS_H
#define OOMLAB_RESULTS_H

#include <stdbool.h>

#include "base/err.h"
#include "results/verdict.h"

struct case_result {
	char kernel[128];            /* "host" or the guest kernel's label */
	char name[128];              /* the case */
	enum verdict v;
	char *reason;                /* the SKIP or TIMEOUT text; NULL */
	char **diags;                /* the diagnostics KTAP printed before its result */
	int ndiags;
	long duration_ms;            /* -1 unknown */
	char *detail;                /* a JSON object, or NULL */
};

struct results {
	struct case_result *list;
	int n;
	char host_kernel[128];       /* this machine's release */
	char started[32];            /* when the run began, UTC, ISO 8601 */
	char **kernels;              /* in the order of their first result */
	int nkernels;
};

void results_init(struct results *rs, const char *host_kernel);

/*
 * Record a result: name "CASE" (the host's) or "LABEL:CASE" (a guest's). Takes the
 * diagnostics and detail (both may be NULL). Returns 0, or -1 out of memory.
 */
int results_add(struct results *rs, const char *name, enum verdict v, const char *reason,
		char **diags, int ndiags, long duration_ms, char *detail);

/* Totals as KTAP counts them: pass, fail (timeouts too), skip, error. */
void results_totals(const struct results *rs, const char *kernel, int counts[4]);

void results_free(struct results *rs);

/* The writers (junit.c, resultsjson.c, html.c): 0, or -1 with e naming the file. */
int results_write_junit(const struct results *rs, const char *path, struct err *e);
int results_write_json(const struct results *rs, const char *path, struct err *e);
int results_write_html(const struct results *rs, const char *path, struct err *e);

#endif
