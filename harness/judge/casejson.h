/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One judged case as a JSON object on one line, for the results files (docs/results.md):
 * its checks with expected and seen, its processes (sizes, oom_score, the model's
 * badness, fate), its memory over time and its kernel log lines, those the expectations
 * matched marked. A guest's oomlab passes it to the host on its KTAP stream.
 */
#ifndef OOMLAB_CASEJSON_H
#define OOMLAB_CASEJSON_H

#include "judge/judge_state.h"

/* The object, allocated; NULL when out of memory. */
char *casejson_render(const struct judge *j, enum verdict v);

#endif
