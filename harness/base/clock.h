/* SPDX-License-Identifier: GPL-2.0 */
/* What every waiting loop reads: the monotonic clock and the signalfd. */
#ifndef OOMLAB_CLOCK_H
#define OOMLAB_CLOCK_H

#include <stdbool.h>

/* Monotonic milliseconds, and microseconds (the kernel log's clock, near enough). */
long now_ms(void);
unsigned long long now_usec(void);

/*
 * Read every pending signal from a signalfd (SIGCHLD, SIGINT, SIGTERM, SIGHUP).
 * Returns true when one of them was an interrupt, not SIGCHLD.
 */
bool sigfd_drain(int fd);

#endif
