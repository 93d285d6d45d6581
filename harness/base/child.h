/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Setting up a child between fork and exec, one way for every program the harness
 * starts (stressors, a stressor checking its options, qemu).
 */
#ifndef OOMLAB_CHILD_H
#define OOMLAB_CHILD_H

#include <stdbool.h>
#include <sys/types.h>

struct child_setup {
	int stdout_fd, stderr_fd;  /* -1: /dev/null (stdin is always /dev/null) */
	pid_t die_with;            /* die when this process (the parent) dies; 0: do not */
	bool own_group;            /* a process group of its own: a terminal's Ctrl-C stays ours */
	int keep_fd;               /* moved to keep_at and kept open across exec; -1: none */
	int keep_at;
};

/*
 * In the child, before exec: the default signal mask and SIGPIPE, the parent-death
 * signal, the process group, stdio, the descriptor kept, and every other descriptor
 * closed (the harness's and whatever it inherited). Returns 0, or -1 with errno.
 */
int child_setup(const struct child_setup *c);

#endif
