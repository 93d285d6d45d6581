/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The case's part of the kernel log (caselog.c): which OOM events and which lines are
 * the case's, whether its victims are gone, and whether the kernel's rate limit kept
 * part of its reports back because of other programs' OOMs.
 */
#ifndef OOMLAB_CASELOG_H
#define OOMLAB_CASELOG_H

#include <stdbool.h>

#include "run/ratelimit.h"
#include "run/runcase.h"

/*
 * Split the records read so far (r->klog) into lines, parse them, find the case's
 * events (r->ours), the model's prediction for each, and the case's own lines
 * (r->line_ours). Returns 0, or -1 when out of memory.
 */
int caselog_analyse(struct case_run *r);

/*
 * Has every process the case's log says was killed ended (been reaped), and has every
 * other process of the same roles that is dying (killed with it) finished dying?
 */
bool caselog_victims_reaped(const struct case_run *r);

/* Fill r->not_judged when a report of the case lost its header to others' OOMs. */
void caselog_check_suppressed(struct case_run *r, struct oom_ratelimit *rl);

#endif
