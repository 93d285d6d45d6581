/* SPDX-License-Identifier: GPL-2.0 */
/* Describing a case run in "# " diagnostics: processes, counters, kernel log, output. */
#ifndef OOMLAB_CASEDIAG_H
#define OOMLAB_CASEDIAG_H

#include <stdbool.h>

#include "judge/ktap.h"
#include "run/runcase.h"

/*
 * failed: add what explains a failure (each process's last output lines, the key
 * lines of the case's OOM reports). verbose: those too, every line of the reports,
 * and timings.
 */
void casediag_print(const struct case_run *r, struct ktap *k, bool failed, bool verbose);

#endif
