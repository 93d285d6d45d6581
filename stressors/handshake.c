// SPDX-License-Identifier: GPL-2.0
/* The stressor side of the control socket (its messages: shared/protocol.h). */
#include "stressor.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

void st_msg(const struct stressor_ctx *ctx, int err, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, "%s: %s: %s (errno %d)\n", ctx->role, text, strerror(err), err);
	else
		fprintf(stderr, "%s: %s\n", ctx->role, text);
}

static void send_line(struct stressor_ctx *ctx, const char *line)
{
	size_t len = strlen(line), off = 0;

	if (ctx->control_fd < 0)
		return;
	while (off < len) {
		ssize_t n = send(ctx->control_fd, line + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			st_msg(ctx, errno, "control socket: cannot send '%.*s'", (int)(len - 1), line);
			exit(ST_EXIT_HANDSHAKE);
		}
		off += (size_t)n;
	}
}

static void wait_for_go(struct stressor_ctx *ctx)
{
	char buf[16];
	size_t have = 0;

	while (have < 3) {
		ssize_t n = read(ctx->control_fd, buf + have, sizeof(buf) - 1 - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			st_msg(ctx, n < 0 ? errno : 0, "control socket closed before go");
			exit(ST_EXIT_HANDSHAKE);
		}
		have += (size_t)n;
	}
	buf[have] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, ctl_words[CTL_GO])) {
		st_msg(ctx, 0, "control socket: expected 'go', got '%s'", buf);
		exit(ST_EXIT_HANDSHAKE);
	}
}

/* "WORD\n" or "WORD ARG\n" */
static void send_msg(struct stressor_ctx *ctx, enum ctl_msg msg, const char *arg)
{
	char line[64];

	snprintf(line, sizeof(line), "%s%s%s\n", ctl_words[msg], arg ? " " : "", arg ? arg : "");
	send_line(ctx, line);
}

void st_ready(struct stressor_ctx *ctx)
{
	if (stressor.model != MODEL_PLAIN)
		send_msg(ctx, CTL_MODEL, model_fact_words[stressor.model]);
	send_msg(ctx, CTL_READY, NULL);
	if (ctx->wait_go && ctx->control_fd >= 0)
		wait_for_go(ctx);
}

void st_done(struct stressor_ctx *ctx)
{
	send_msg(ctx, CTL_DONE, NULL);
}

void st_member(struct stressor_ctx *ctx, pid_t pid)
{
	char text[24];

	snprintf(text, sizeof(text), "%d", (int)pid);
	send_msg(ctx, CTL_MEMBER, text);
}

void st_send_fd(struct stressor_ctx *ctx, enum ctl_msg word, int fd)
{
	char line[32], control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = line };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	snprintf(line, sizeof(line), "%s\n", ctl_words[word]);
	iov.iov_len = strlen(line);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	while (sendmsg(ctx->control_fd, &msg, MSG_NOSIGNAL) < 0) {
		if (errno != EINTR) {
			st_msg(ctx, errno, "control socket: cannot send the %s descriptor", ctl_words[word]);
			exit(ST_EXIT_HANDSHAKE);
		}
	}
}

int st_finish(struct stressor_ctx *ctx, const char *after)
{
	if (!strcmp(after, "exit"))
		return ST_EXIT_OK;
	st_done(ctx);
	st_hold();
}

void st_hold(void)
{
	for (;;)
		pause();
}

void st_die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(ST_EXIT_OK);
}
