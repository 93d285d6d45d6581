// SPDX-License-Identifier: GPL-2.0
#include "run/ratelimit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "klog/kmsg.h"

/* printk time and CLOCK_MONOTONIC differ by milliseconds; keep a wide margin. */
#define MARGIN_USEC 1000000ULL

int ratelimit_open(struct oom_ratelimit *rl, const char *kmsg_path, struct err *e)
{
	memset(rl, 0, sizeof(*rl));
	rl->fd = open(kmsg_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rl->fd < 0)
		return err_set(e, errno, "open `%s`", kmsg_path);
	if (kmsg_is_fifo(rl->fd)) {
		/* a test's FIFO: its records are the case's reader's; the kernel's are in /dev/kmsg */
		close(rl->fd);
		rl->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (rl->fd < 0)
			return err_set(e, errno, "open `/dev/kmsg`");
	}
	return 0;
}

static void remember(struct log_times *t, unsigned long long usec)
{
	if (t->n == RATELIMIT_KEEP) {
		memmove(t->usec, t->usec + 1, (RATELIMIT_KEEP - 1) * sizeof(t->usec[0]));
		t->n--;
	}
	t->usec[t->n++] = usec;
}

/* Read what the kernel logged since the last call; remember kills and full reports. */
static void update(struct oom_ratelimit *rl)
{
	struct kmsg_log log = { 0 };
	struct err e;
	size_t i;

	kmsg_read_available(rl->fd, &log, &e); /* what came before an error counts too */
	for (i = 0; i < log.n; i++) {
		if (strstr(log.recs[i].text, "Killed process "))
			remember(&rl->kills, log.recs[i].ts_usec);
		if (strstr(log.recs[i].text, " invoked oom-killer: "))
			remember(&rl->reports, log.recs[i].ts_usec);
	}
	kmsg_log_free(&log);
}

long ratelimit_wait_ms(struct oom_ratelimit *rl, int kills)
{
	unsigned long long now, window = RATELIMIT_INTERVAL_USEC + MARGIN_USEC;
	int recent = 0, excess, i;

	if (rl->fd < 0 || kills <= 0)
		return 0;
	update(rl);
	now = now_usec();
	for (i = rl->kills.n - 1; i >= 0 && rl->kills.usec[i] + window > now; i--)
		recent++;
	excess = recent + kills - RATELIMIT_BURST;
	if (excess <= 0)
		return 0;
	/* The excess oldest of the recent kills must age out (all of them at most). */
	if (excess > recent)
		excess = recent;
	return (long)((rl->kills.usec[rl->kills.n - recent + excess - 1] + window - now) / 1000) + 1;
}

int ratelimit_reports_before(struct oom_ratelimit *rl, unsigned long long usec)
{
	int i, n = 0;

	if (rl->fd < 0)
		return 0;
	update(rl);
	for (i = 0; i < rl->reports.n; i++)
		if (rl->reports.usec[i] < usec && rl->reports.usec[i] + RATELIMIT_INTERVAL_USEC >= usec)
			n++;
	return n;
}

void ratelimit_close(struct oom_ratelimit *rl)
{
	if (rl->fd >= 0)
		close(rl->fd);
	rl->fd = -1;
}
