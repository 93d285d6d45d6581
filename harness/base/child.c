// SPDX-License-Identifier: GPL-2.0
#include "base/child.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Close every descriptor from `lowest` on. */
static void close_fds_from(int lowest)
{
	DIR *d;
	struct dirent *ent;

	if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0)
		return;
	/* Before 5.9: walk /proc/self/fd. */
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((ent = readdir(d))) {
		int fd = atoi(ent->d_name);

		if (fd >= lowest && fd != dirfd(d))
			close(fd);
	}
	closedir(d);
}

static int stdio(const struct child_setup *c)
{
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (devnull < 0 || dup2(devnull, 0) < 0 ||
	    dup2(c->stdout_fd >= 0 ? c->stdout_fd : devnull, 1) < 0 ||
	    dup2(c->stderr_fd >= 0 ? c->stderr_fd : devnull, 2) < 0)
		return -1;
	return 0;
}

int child_setup(const struct child_setup *c)
{
	sigset_t none;
	int lowest = 3;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (c->die_with && (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) || getppid() != c->die_with))
		return -1;
	if (c->own_group)
		setpgid(0, 0);
	/* stdio first: a descriptor stdio is taken from may be the number keep_fd moves to. */
	if (stdio(c))
		return -1;
	if (c->keep_fd >= 0) {
		if (c->keep_fd != c->keep_at ? dup2(c->keep_fd, c->keep_at) < 0
					     : fcntl(c->keep_at, F_SETFD, 0) < 0)
			return -1;
		lowest = c->keep_at + 1;
	}
	close_fds_from(lowest);
	return 0;
}
