/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output as kselftest prints it: "TAP version 13", a plan, one result line per
 * case ("ok N name", "not ok N name", "ok N name # SKIP reason"), "# " diagnostics
 * before the result they explain, "# Totals: ..." at the end, and kselftest's exit
 * codes: 0 all passed, 1 a failure, 4 everything skipped.
 */
#ifndef OOMLAB_KTAP_H
#define OOMLAB_KTAP_H

#include <stdio.h>

enum verdict { V_PASS, V_FAIL, V_SKIP, V_TIMEOUT, V_ERROR };

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
};

void ktap_start(struct ktap *k, FILE *out, int planned);

/* A "# " line printed at once (headers, progress). */
void ktap_note(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A "# " line held until the next result, so it stands right before it. */
void ktap_diag(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The result of one test. reason: the SKIP reason, the TIMEOUT text ("30 seconds"),
 * or NULL. Pending diagnostics are printed first.
 */
void ktap_result(struct ktap *k, enum verdict v, const char *name, const char *reason);

/* Print "# Totals:" and return the exit code. */
int ktap_finish(struct ktap *k);

#endif
