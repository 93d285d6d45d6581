// SPDX-License-Identifier: GPL-2.0
#include "run/runloop.h"
#include "run/caseenv.h"

#include "cgroup/cgroup.h"
#include "base/procinfo.h"
#include "shared/protocol.h"
#include "results/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Output kept per process; the rest is counted as truncated. */
#define OUTPUT_MAX (64 * 1024)

static void record_end(struct case_run *r, pid_t pid, int status)
{
	int i, m;

	for (i = 0; i < r->nprocs; i++) {
		struct proc_run *p = &r->procs[i];

		if (p->pid == pid) {
			p->state = PS_ENDED;
			p->status = status;
			return;
		}
		for (m = 0; m < p->nmembers; m++)
			if (p->members[m].pid == pid)
				p->members[m].status = status;
	}
}

/* Collect every child that has ended (the harness is their subreaper too). */
static void runloop_reap(struct case_run *r)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		record_end(r, pid, status);
}

struct pid_search {
	pid_t want;
	bool found;
};

static bool is_wanted_pid(pid_t pid, void *ctx)
{
	struct pid_search *s = ctx;

	s->found |= pid == s->want;
	return s->found;
}

/* Is pid one of the processes in the cgroup of the case that p runs in? */
static bool in_case_cgroup(const struct case_run *r, const struct proc_run *p, pid_t pid)
{
	struct pid_search s = { .want = pid };
	char dir[PATH_MAX];
	struct err e;

	caseenv_cgroup(r, p->spec->cgroup, CG_DIR, dir, sizeof(dir));
	return cg_each_pid(dir, is_wanted_pid, &s, &e) >= 0 && s.found;
}

/* "member PID": believed only for a process of the role's own cgroup. */
static void add_member(struct case_run *r, struct proc_run *p, const char *text)
{
	struct member *grown;
	char *end;
	long pid = strtol(text, &end, 10);

	if (*end || pid <= 1 || pid > 4194304 || !in_case_cgroup(r, p, (pid_t)pid)) {
		snprintf(p->error, sizeof(p->error), "said 'member %s', which is not a process of "
			 "its cgroup", text);
		return;
	}
	grown = realloc(p->members, (size_t)(p->nmembers + 1) * sizeof(*grown));
	if (!grown)
		return;
	p->members = grown;
	p->members[p->nmembers++] = (struct member){
		.pid = (pid_t)pid, .status = -1, .start_time = proc_start_time((pid_t)pid),
	};
}

static void handle_line(struct case_run *r, struct proc_run *p, const char *line)
{
	const char *arg;
	int fact;

	switch (ctl_parse(line, &arg)) {
	case CTL_READY:
		if (p->state == PS_STARTING)
			p->state = PS_READY;
		break;
	case CTL_DONE:
		if (p->state != PS_ENDED)
			p->state = PS_DONE;
		break;
	case CTL_MEMBER:
		add_member(r, p, arg);
		break;
	case CTL_MODEL:
		fact = model_fact_named(arg);
		if (fact >= 0)
			p->model_fact = (enum model_fact)fact;
		break;
	case CTL_ERROR:
		snprintf(p->error, sizeof(p->error), "%s", arg);
		break;
	case CTL_NOTIFY: /* the descriptor came with it */
	case CTL_GO:     /* the harness's own word */
	default:         /* not the protocol: ignored */
		break;
	}
}

/* Read what is there; false when nothing more can come now (EAGAIN, EOF, error). */
static bool read_ctl(struct case_run *r, struct proc_run *p)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = p->ctlbuf + p->ctllen,
			     .iov_len = sizeof(p->ctlbuf) - 1 - p->ctllen };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *c;
	ssize_t n;
	char *nl;

	n = recvmsg(p->ctl, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	/* A descriptor comes only with "notify": the seccomp listener for counted faults. */
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int fd;

			memcpy(&fd, CMSG_DATA(c), sizeof(fd));
			if (p->notify >= 0)
				close(p->notify);
			p->notify = fd;
			fcntl(fd, F_SETFL, O_NONBLOCK);
		}
	}
	if (n <= 0) {
		close(p->ctl);
		p->ctl = -1;
		return false;
	}
	p->ctllen += (size_t)n;
	p->ctlbuf[p->ctllen] = '\0';
	while ((nl = strchr(p->ctlbuf, '\n'))) {
		*nl = '\0';
		handle_line(r, p, p->ctlbuf);
		p->ctllen -= (size_t)(nl + 1 - p->ctlbuf);
		memmove(p->ctlbuf, nl + 1, p->ctllen + 1);
	}
	if (p->ctllen == sizeof(p->ctlbuf) - 1)
		p->ctllen = 0; /* a line this long is not the protocol: drop it */
	return true;
}

static bool read_out(struct proc_run *p)
{
	char buf[4096];
	ssize_t n = read(p->out, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n <= 0) {
		close(p->out);
		p->out = -1;
		return false;
	}
	if (p->outlen + (size_t)n > OUTPUT_MAX) {
		p->out_truncated = true;
		n = (ssize_t)(OUTPUT_MAX - p->outlen);
	}
	if (n > 0) {
		char *grown = realloc(p->output, p->outlen + (size_t)n + 1);

		if (!grown)
			return true; /* this chunk is lost; keep reading */
		p->output = grown;
		memcpy(p->output + p->outlen, buf, (size_t)n);
		p->outlen += (size_t)n;
		p->output[p->outlen] = '\0';
	}
	return true;
}

void runloop_drain(struct case_run *r, struct proc_run *p)
{
	/* Whatever is buffered now; a writer still alive elsewhere must not hold us. */
	while (p->ctl >= 0 && read_ctl(r, p))
		;
	while (p->out >= 0 && read_out(p))
		;
	if (p->ctl >= 0)
		close(p->ctl);
	if (p->out >= 0)
		close(p->out);
	if (p->notify >= 0)
		close(p->notify);
	p->ctl = p->out = p->notify = -1;
}

/* A counted fault's call: count it, answer fail or continue. */
static void answer_notification(struct proc_run *p)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int i, rc;

	if (seccomp_notify_alloc(&req, &resp))
		return;
	rc = seccomp_notify_receive(p->notify, req); /* libseccomp: 0 or -errno */
	if (rc) {
		/* Every process with the filter is gone, or the call went away meanwhile. */
		if (rc != -EINTR && rc != -ENOENT) {
			close(p->notify);
			p->notify = -1;
		}
		seccomp_notify_free(req, resp);
		return;
	}
	resp->id = req->id;
	resp->val = 0;
	resp->error = 0;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	for (i = 0; i < p->nfaults; i++) {
		if (p->faults[i].nr == req->data.nr && fault_counted(&p->faults[i])) {
			if (fault_next_fails(&p->faults[i])) {
				resp->error = -p->faults[i].err;
				resp->flags = 0;
			}
			break;
		}
	}
	seccomp_notify_respond(p->notify, resp); /* ENOENT: the caller died meanwhile */
	seccomp_notify_free(req, resp);
}

/* SIGCHLD: reap. SIGINT/SIGTERM/SIGHUP: the user wants out. */
static bool read_signals(struct case_run *r, const struct run_env *env)
{
	bool interrupted = sigfd_drain(env->sigfd);

	runloop_reap(r);
	if (interrupted)
		*env->interrupted = true;
	return interrupted;
}

/* A memory sample, when one is due; returns the ms until the next (-1: none). */
static long trace_tick(struct case_run *r, const struct run_env *env)
{
	pid_t pids[CASE_MAX_PROCS];
	long now = now_ms();
	int i;

	if (memtrace_due_in(&r->trace, now) != 0)
		return memtrace_due_in(&r->trace, now);
	for (i = 0; i < r->nprocs; i++)
		pids[i] = r->procs[i].state == PS_ENDED ? 0 : r->procs[i].pid;
	memtrace_sample(&r->trace, now, r->t0, pids, r->cg_dir, env->root->ops->usage_file);
	return memtrace_due_in(&r->trace, now_ms());
}

static enum wait_result wait_loop(struct case_run *r, const struct run_env *env, long deadline,
				  wait_cond cond, void *arg, bool interruptible)
{
	struct pollfd fds[1 + 3 * CASE_MAX_PROCS];
	struct proc_run *owner[1 + 3 * CASE_MAX_PROCS];

	for (;;) {
		int nfds = 0, i, rc;
		long left, sample_in;

		runloop_reap(r);
		if (interruptible && *env->interrupted)
			return WAIT_INTERRUPTED;
		if (cond && cond(r, arg))
			return WAIT_MET;
		left = deadline - now_ms();
		if (left <= 0)
			return WAIT_DEADLINE;
		sample_in = trace_tick(r, env);
		if (sample_in >= 0 && sample_in < left)
			left = sample_in;
		progress_tick();
		if (left > 1000)
			left = 1000; /* (the progress line's seconds) */
		fds[nfds++] = (struct pollfd){ .fd = env->sigfd, .events = POLLIN };
		for (i = 0; i < r->nprocs; i++) {
			struct proc_run *p = &r->procs[i];

			if (p->ctl >= 0) {
				owner[nfds] = p;
				fds[nfds++] = (struct pollfd){ .fd = p->ctl, .events = POLLIN };
			}
			if (p->out >= 0) {
				owner[nfds] = p;
				fds[nfds++] = (struct pollfd){ .fd = p->out, .events = POLLIN };
			}
			if (p->notify >= 0) {
				owner[nfds] = p;
				fds[nfds++] = (struct pollfd){ .fd = p->notify, .events = POLLIN };
			}
		}
		rc = poll(fds, (nfds_t)nfds, (int)left);
		if (rc < 0 && errno != EINTR) {
			snprintf(r->why, sizeof(r->why), "poll: %s", strerror(errno));
			return WAIT_ERROR;
		}
		if (rc <= 0)
			continue;
		if (fds[0].revents && read_signals(r, env) && interruptible)
			return WAIT_INTERRUPTED;
		for (i = 1; i < nfds; i++) {
			if (!fds[i].revents)
				continue;
			if (fds[i].fd == owner[i]->ctl) {
				read_ctl(r, owner[i]);
			} else if (fds[i].fd == owner[i]->out) {
				read_out(owner[i]);
			} else if (fds[i].fd == owner[i]->notify) {
				if (fds[i].revents & POLLIN)
					answer_notification(owner[i]);
				else if (owner[i]->notify >= 0) { /* POLLHUP: no process has the filter */
					close(owner[i]->notify);
					owner[i]->notify = -1;
				}
			}
		}
	}
}

enum wait_result runloop_wait(struct case_run *r, const struct run_env *env, long deadline,
			      wait_cond cond, void *arg)
{
	return wait_loop(r, env, deadline, cond, arg, true);
}

enum wait_result runloop_wait_uninterrupted(struct case_run *r, const struct run_env *env,
					    long deadline, wait_cond cond, void *arg)
{
	return wait_loop(r, env, deadline, cond, arg, false);
}
