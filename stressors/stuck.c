// SPDX-License-Identifier: GPL-2.0
/*
 * stuck: a process that cannot exit when it is killed. It holds --rss of memory, and one
 * of its threads waits in the kernel for a FUSE server that has read its request and
 * never answers: once a request has reached its server, the kernel waits for the answer
 * uninterruptibly, SIGKILL or not, so the process cannot finish dying. Killed by the
 * OOM killer, it stays, and the OOM reaper frees its memory instead.
 *
 * The server is a child in a mount namespace of its own, where it mounts a tmpfs on
 * /tmp and its FUSE file system below it: nothing outside that namespace sees either,
 * and both go with it. The child is a member of the role, so the harness ends it at
 * cleanup; its /dev/fuse closes, the connection is aborted, and the stuck thread returns.
 */
#include "alloc.h"
#include "stressor.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct {
	size_t rss;
} cfg;

static const struct stressor_opt opts[] = {
	{ "rss", OPT_SIZE, &cfg.rss, "32M", NULL, "anonymous memory to allocate and touch", NULL },
	{ 0 },
};

#define MOUNT_DIR "/tmp/oomlab-stuck"
/* The kernel wants room for a whole request, writes included. */
#define REQUEST_BUF (FUSE_MIN_READ_BUFFER + (1 << 20))

/* Answer FUSE_INIT with the protocol this header has (the kernel takes the older of the two). */
static int answer_init(int fd, const struct fuse_in_header *in)
{
	struct {
		struct fuse_out_header head;
		struct fuse_init_out init;
	} out;

	memset(&out, 0, sizeof(out));
	out.head.len = sizeof(out);
	out.head.unique = in->unique;
	out.init.major = FUSE_KERNEL_VERSION;
	out.init.minor = FUSE_KERNEL_MINOR_VERSION;
	out.init.max_write = 4096;
	return write(fd, &out, sizeof(out)) == (ssize_t)sizeof(out) ? 0 : -1;
}

/*
 * In a mount namespace of its own: a tmpfs on /tmp, the FUSE file system below it.
 * Returns NULL, or the step that failed (errno says why).
 */
static const char *mount_private(int *fuse_fd)
{
	char options[128];

	if (unshare(CLONE_NEWNS))
		return "unshare(CLONE_NEWNS)";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return "making its mounts private";
	if (mount("oomlab-stuck", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=700"))
		return "mounting a tmpfs on /tmp";
	if (mkdir(MOUNT_DIR, 0700))
		return "mkdir " MOUNT_DIR;
	*fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (*fuse_fd < 0)
		return "open /dev/fuse";
	snprintf(options, sizeof(options), "fd=%d,rootmode=40000,user_id=0,group_id=0", *fuse_fd);
	if (mount("oomlab-stuck", MOUNT_DIR, "fuse", MS_NOSUID | MS_NODEV, options))
		return "mounting the FUSE file system on " MOUNT_DIR;
	return NULL;
}

/* Pipes from the server: "mounted" to the stuck thread, "holding" to the main thread. */
struct stuck {
	struct stressor_ctx *ctx;
	int mounted[2], holding[2];
	pid_t server;                /* -1 when the fork failed */
	int fuse_fd;                 /* the server's /dev/fuse */
};

static void server_failed(struct stuck *s, int err, const char *what) __attribute__((noreturn));
static void server_failed(struct stuck *s, int err, const char *what)
{
	st_msg(s->ctx, err, "the FUSE server: %s", what);
	_exit(ST_EXIT_INTERNAL);
}

/* The server, in the child: mount, answer INIT, then read requests and answer none. */
static void serve(struct stuck *s)
{
	char *buf = malloc(REQUEST_BUF);
	const char *failed = buf ? mount_private(&s->fuse_fd) : "malloc";
	int err = errno;

	if (failed) {
		st_msg(s->ctx, err, "the FUSE server: %s", failed);
		_exit(err == ENOENT || err == ENODEV ? ST_EXIT_UNSUPPORTED : err == EPERM
		      ? ST_EXIT_DENIED : ST_EXIT_INTERNAL);
	}
	for (;;) {
		ssize_t n = read(s->fuse_fd, buf, REQUEST_BUF);
		const struct fuse_in_header *in = (const void *)buf;

		if (n < 0 && (errno == EINTR || errno == ENOENT))
			continue; /* ENOENT: a request that was interrupted before we read it */
		if (n < (ssize_t)sizeof(*in))
			server_failed(s, n < 0 ? errno : 0, "reading a request from /dev/fuse");
		if (in->opcode == FUSE_INIT) {
			if (answer_init(s->fuse_fd, in))
				server_failed(s, errno, "answering FUSE_INIT");
			if (write(s->mounted[1], "m", 1) != 1)
				server_failed(s, errno, "telling the stuck thread it mounted");
		} else if (in->opcode != FUSE_FORGET && in->opcode != FUSE_INTERRUPT) {
			/* read, and never answered */
			if (write(s->holding[1], "h", 1) != 1)
				server_failed(s, errno, "telling the process it holds a request");
		}
	}
}

/*
 * The thread that gets stuck. It starts the server itself, so that the server's
 * parent-death signal follows this thread, which never ends while it waits: the OOM
 * kill of the rest of the process does not end the server. Then a lookup in the
 * server's file system, through the server's root (no other namespace sees its mount),
 * which the server reads and never answers.
 */
static void *get_stuck(void *arg)
{
	struct stuck *s = arg;
	pid_t parent = getpid();
	char path[64], said;

	s->server = fork();
	if (s->server == 0) {
		st_die_with_parent(parent);
		serve(s);
	}
	/* the server's ends only: a server gone reads as the end of its pipes */
	close(s->mounted[1]);
	close(s->holding[1]);
	if (s->server < 0) {
		st_msg(s->ctx, errno, "fork for the FUSE server");
		return NULL;
	}
	if (read(s->mounted[0], &said, 1) != 1)
		return NULL; /* the main thread says so */
	snprintf(path, sizeof(path), "/proc/%d/root" MOUNT_DIR "/x", (int)s->server);
	/* It returns only if the lookup never reached the server, or was answered. */
	open(path, O_RDONLY | O_CLOEXEC);
	st_msg(s->ctx, errno, "the lookup of %s returned, where it was to wait for the server",
	       path);
	_exit(ST_EXIT_INTERNAL); /* the whole process: the server dies with this thread */
}

static int run_stuck(struct stressor_ctx *ctx)
{
	static struct stuck s;
	pthread_t thread;
	char said;
	int rc;

	/* The server first: forked after the memory is in, it would share it (its rss too). */
	s.ctx = ctx;
	if (pipe2(s.mounted, O_CLOEXEC) || pipe2(s.holding, O_CLOEXEC)) {
		st_msg(ctx, errno, "pipe");
		return ST_EXIT_INTERNAL;
	}
	rc = pthread_create(&thread, NULL, get_stuck, &s);
	if (rc) {
		st_msg(ctx, rc, "pthread_create");
		return ST_EXIT_INTERNAL;
	}
	if (read(s.holding[0], &said, 1) != 1) {
		int status = 0;

		/* the server is gone: its exit code says why (its message is above) */
		if (s.server > 0 && waitpid(s.server, &status, 0) == s.server && WIFEXITED(status))
			return WEXITSTATUS(status);
		st_msg(ctx, 0, "the FUSE server ended before it held a request");
		return ST_EXIT_INTERNAL;
	}
	st_member(ctx, s.server);
	st_guard_size(ctx, cfg.rss);
	if (cfg.rss && !alloc_touched(ALLOC_MMAP, TOUCH_PAGE, cfg.rss)) {
		st_msg(ctx, errno, "allocating %zu bytes of anonymous memory", cfg.rss);
		return ST_EXIT_NOMEM;
	}
	st_ready(ctx);
	st_hold();
}

const struct stressor stressor = {
	.name = "stuck",
	.summary = "Holds memory with a thread stuck in the kernel: killed, it cannot exit.",
	.rule = "the OOM reaper frees the memory of a victim that cannot exit",
	.opts = opts,
	.run = run_stuck,
	.mounts_privately = true,
};
