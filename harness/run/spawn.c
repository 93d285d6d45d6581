// SPDX-License-Identifier: GPL-2.0
#include "run/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/child.h"
#include "base/fileio.h"
#include "shared/exitcodes.h"
#include "shared/protocol.h"

#define MAX_ARGV (48 + 2 * FAULTS_MAX)

/* In the child: report why it could not exec, and leave. */
static void child_fail(int ctl_fd, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void child_fail(int ctl_fd, const char *fmt, ...)
{
	char line[512];
	int n;
	va_list ap;

	n = snprintf(line, sizeof(line), "%s ", ctl_words[CTL_ERROR]);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	if (write(ctl_fd, line, (size_t)n) < 0)
		_exit(ST_EXIT_NOT_STARTED);
	_exit(ST_EXIT_NOT_STARTED);
}

/* The text the argument vector points into. */
struct argv_text {
	char control_fd[16];
	char faults[FAULTS_MAX][48];
};

static int build_argv(const struct spawn_req *r, char **argv, struct argv_text *text)
{
	int n = 0, i;

	snprintf(text->control_fd, sizeof(text->control_fd), "%d", STRESSOR_CONTROL_FD);
	argv[n++] = (char *)r->exe;
	argv[n++] = "--role";
	argv[n++] = (char *)r->role;
	argv[n++] = "--control-fd";
	argv[n++] = text->control_fd;
	if (r->wait_go)
		argv[n++] = "--wait-go";
	if (r->machine_wide)
		argv[n++] = "--machine-wide";
	for (i = 0; i < r->nfaults; i++) {
		fault_format(&r->faults[i], text->faults[i], sizeof(text->faults[i]));
		argv[n++] = "--fault";
		argv[n++] = text->faults[i];
	}
	for (i = 0; r->args[i]; i++) {
		if (n == MAX_ARGV - 1)
			return -1;
		argv[n++] = r->args[i];
	}
	argv[n] = NULL;
	return 0;
}

static void child(const struct spawn_req *r, pid_t parent, char **argv)
{
	/* The control socket moves to its fixed number; nothing else of ours is inherited. */
	const struct child_setup setup = {
		.stdout_fd = r->out_fd, .stderr_fd = r->out_fd, .die_with = parent, .own_group = true,
		.keep_fd = r->ctl_fd, .keep_at = STRESSOR_CONTROL_FD,
	};
	int ctl = STRESSOR_CONTROL_FD;
	char text[32];
	struct err e;

	if (child_setup(&setup))
		_exit(ST_EXIT_NOT_STARTED);
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	if (r->cgroup_procs && write_text(r->cgroup_procs, text, &e))
		child_fail(ctl, "join cgroup: write `%s`: %s", r->cgroup_procs, strerror(e.errnum));
	if (r->freezer_procs && write_text(r->freezer_procs, text, &e))
		child_fail(ctl, "join the freezer cgroup: write `%s`: %s", r->freezer_procs,
			   strerror(e.errnum));
	/* Always: the harness's own -1000 would be inherited otherwise. */
	snprintf(text, sizeof(text), "%d\n", r->oom_score_adj);
	if (write_text("/proc/self/oom_score_adj", text, &e))
		child_fail(ctl, "write %d to `/proc/self/oom_score_adj`: %s", r->oom_score_adj,
			   strerror(e.errnum));
	if (r->set_oom_adj) {
		snprintf(text, sizeof(text), "%d\n", r->oom_adj);
		if (write_text("/proc/self/oom_adj", text, &e))
			child_fail(ctl, "write %d to `/proc/self/oom_adj`: %s", r->oom_adj,
				   strerror(e.errnum));
	}
	execv(r->exe, argv);
	child_fail(ctl, "exec `%s`: %s", r->exe, strerror(errno));
}

pid_t spawn_stressor(const struct spawn_req *r, struct err *e)
{
	char *argv[MAX_ARGV];
	struct argv_text text;
	pid_t parent = getpid(), pid;

	if (build_argv(r, argv, &text))
		return err_set(e, E2BIG, "starting %s: too many arguments", r->role);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return err_set(e, errno, "fork for %s", r->role);
	if (pid == 0)
		child(r, parent, argv);
	return pid;
}

/* Run `exe --check-args ARGS...`: 0, or -1 with the first line it printed on stderr in e. */
static int stressor_check_args(const char *exe, char *const args[], struct err *e)
{
	char *argv[MAX_ARGV], buf[1024];
	int fds[2], status = 0, i, n = 0;
	size_t have = 0;
	ssize_t got;
	pid_t pid;

	argv[n++] = (char *)exe;
	argv[n++] = "--check-args";
	for (i = 0; args[i] && n < MAX_ARGV - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe2(fds, O_CLOEXEC))
		return err_set(e, errno, "pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err_set(e, errno, "fork for `%s --check-args`", exe);
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		const struct child_setup setup = { .stdout_fd = -1, .stderr_fd = fds[1], .keep_fd = -1 };

		if (child_setup(&setup))
			_exit(ST_EXIT_NOT_STARTED);
		execv(exe, argv);
		dprintf(2, "exec `%s`: %s\n", exe, strerror(errno));
		_exit(ST_EXIT_NOT_STARTED);
	}
	close(fds[1]);
	while (have < sizeof(buf) - 1 && (got = read(fds[0], buf + have, sizeof(buf) - 1 - have)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		have += (size_t)got;
	}
	buf[have] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return err_set(e, errno, "waitpid for `%s --check-args`", exe);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	buf[strcspn(buf, "\n")] = '\0';
	if (*buf)
		return err_set(e, 0, "%s", buf);
	return err_set(e, 0, "`%s --check-args` failed (status 0x%x)", exe, status);
}

int case_check_args(const struct case_spec *cs, const char *stressor_dir, struct err *e)
{
	for (int i = 0; i < cs->nprocs; i++) {
		const struct proc_spec *p = &cs->procs[i];
		char exe[PATH_MAX + 40];

		snprintf(exe, sizeof(exe), "%s/%s", stressor_dir, p->stressor);
		if (stressor_check_args(exe, p->argv, e))
			return err_wrap(e, "%s:%d", cs->path, p->run_line);
	}
	return 0;
}
