// SPDX-License-Identifier: GPL-2.0
#include "base/clock.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

unsigned long long now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000;
}

long now_ms(void)
{
	return (long)(now_usec() / 1000);
}

bool sigfd_drain(int fd)
{
	struct signalfd_siginfo si;
	bool interrupted = false;

	while (read(fd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			interrupted = true;
	return interrupted;
}
