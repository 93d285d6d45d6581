/* SPDX-License-Identifier: GPL-2.0 */
/* OOM events as JSON, for `oomlab parse`. Unknown values are null. Schema: docs/parse.md. */
#ifndef OOMLAB_OOMJSON_H
#define OOMLAB_OOMJSON_H

#include "base/json.h"
#include "klog/oomreport.h"

/* One event; file (the log it came from) is left out when NULL. */
void oomjson_event(struct json *j, const struct oom_event *ev, const char *file);

#endif
