/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A whole kernel log, as people have it, to OOM events. Most of a large log is not
 * OOM reports, so it is scanned 16 bytes at a time for words every report holds
 * ("oom-killer", "of memory", "oom_reaper"), and only the lines from there on go
 * through prefix stripping (logline.c), the joining of wrapped lines (logjoin.c),
 * the splitting of escaped newlines (\x0a in /dev/kmsg records, #012 from rsyslog)
 * and the parser (oomreport.c), until the report ends.
 *
 * Line numbers in the events (first_line, kill line, ...) are the input's, from 1.
 */
#ifndef OOMLAB_LOGSCAN_H
#define OOMLAB_LOGSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "klog/oomreport.h"

struct logscan_info {
	long lines;         /* how many lines the input had */
	bool kernel_lines;  /* it had a line with a kernel log prefix, or an OOM event */
};

/*
 * Read fd to its end. Returns 0, or -1 with errno set (a read error, or ENOMEM); the
 * report is then empty.
 */
int logscan_fd(int fd, struct oom_report *out, struct logscan_info *info);

/* The same for a log in memory. */
int logscan_mem(const char *data, size_t len, struct oom_report *out, struct logscan_info *info);

#endif
