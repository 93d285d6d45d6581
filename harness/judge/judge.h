/* SPDX-License-Identifier: GPL-2.0 */
/* Judging a case run against its expectations; failures name the check and the numbers. */
#ifndef OOMLAB_JUDGE_H
#define OOMLAB_JUDGE_H

#include <stdbool.h>

#include "format/expectfile.h"
#include "judge/ktap.h"
#include "run/runcase.h"

/*
 * Check every expectation; diagnostics go to k as pending lines. Returns the verdict
 * (V_PASS, V_FAIL, V_TIMEOUT, or V_SKIP for a skipped or not judged case; the caller
 * prints the result line).
 */
enum verdict judge_case(const struct case_run *r, const struct expect_spec *x, struct ktap *k,
			bool verbose);

/* settle_fn for case_run: every dmesg pattern of x matches already. */
bool judge_log_complete(const struct case_run *r, void *x);

/* How many OOM kills x leads one to expect (for the kernel's report rate limit). */
int judge_expected_kills(const struct expect_spec *x);

#endif
