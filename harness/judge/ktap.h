/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output as kselftest prints it: "TAP version 13", a plan, one result line per
 * case ("ok N name", "not ok N name", "ok N name # SKIP reason"), "# " diagnostics
 * before the result they explain, "# Totals: ..." at the end, and kselftest's exit
 * codes: 0 all passed, 1 a failure, 4 everything skipped.
 */
#ifndef OOMLAB_KTAP_H
#define OOMLAB_KTAP_H

#include <stdbool.h>
#include <stdio.h>

#include "results/verdict.h"

struct results;

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

struct ktap {
	FILE *out;
	int planned;
	int number;
	int pass, fail, skip, error;
	char **pending;          /* diagnostics of the result being prepared */
	int npending;
	FILE *copy;              /* a second stream that gets every line (--results), or NULL */
	struct results *rec;     /* each result recorded here for the results files, or NULL */
	bool echo_detail;        /* a guest: print each case's detail as "# oomlab-detail: " */
	char *detail;            /* the next result's detail (JSON), or NULL */
	long case_start_ms;      /* when the next result's case began; 0 unknown */
};

/* The diagnostic that carries a guest's case detail to the host. */
#define KTAP_DETAIL_PREFIX "oomlab-detail: "

void ktap_start(struct ktap *k, FILE *out, int planned);

/* The case whose result comes next starts now (its time in the results files). */
void ktap_case_begin(struct ktap *k);

/* Is a case's detail wanted (results files kept, or a guest passing it on)? */
bool ktap_wants_detail(const struct ktap *k);

/* The next result's detail, a JSON object on one line; taken over (NULL: none). */
void ktap_detail(struct ktap *k, char *json);

/* A "# " line printed at once (headers, progress). */
void ktap_note(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A "# " line held until the next result, so it stands right before it. */
void ktap_diag(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The result of one test. reason: the SKIP reason, the TIMEOUT text ("30 seconds"),
 * or NULL. Pending diagnostics are printed first.
 */
void ktap_result(struct ktap *k, enum verdict v, const char *name, const char *reason);

/* "Bail out! reason": the run stopped early. */
void ktap_bail_out(struct ktap *k, const char *reason);

/* Print "# Totals:" and return the exit code. */
int ktap_finish(struct ktap *k);

#endif
