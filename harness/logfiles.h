/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel logs named on a command line (`oomlab parse`, `oomlab explain`), read in order. */
#ifndef OOMLAB_LOGFILES_H
#define OOMLAB_LOGFILES_H

#include <stddef.h>

#include "klog/logscan.h"
#include "klog/oomreport.h"

/* One input file and what was read from it. */
struct logfile {
	const char *file;               /* as given; "-" is standard input */
	struct oom_report report;
	struct logscan_info info;
};

/*
 * Read files[0..n) (none: standard input), each on its own. A file that cannot be read,
 * or holds no kernel log line, is said on stderr (prog: "oomlab parse") and left out.
 * *out: those read, *nout of them. Returns 0, or 1 when any was left out or memory ran
 * out (*out may still hold the others).
 */
int logfiles_read(const char *prog, char **files, size_t n, struct logfile **out, size_t *nout);

void logfiles_free(struct logfile *in, size_t n);

#endif
