/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between a stressor and the shared stressor code.
 *
 * A stressor is one C file that defines `const struct stressor stressor` and nothing
 * else global. common.c owns main(): it parses the shared options and the stressor's
 * option table, sets the process up (comm, the seccomp sandbox), and calls run(). (The
 * harness sets the parent-death signal before exec.)
 */
#ifndef OOMLAB_STRESSOR_H
#define OOMLAB_STRESSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "shared/exitcodes.h"
#include "shared/faultspec.h"
#include "shared/protocol.h"

enum opt_type {
	OPT_SIZE,   /* size_t: "64M", "4096", "1G"; "max" means SIZE_MAX */
	OPT_COUNT,  /* long >= 0 */
	OPT_INT,    /* long, may be negative */
	OPT_CHOICE, /* const char *, one of the '|'-separated choices */
	OPT_FLAG,   /* bool, no value */
	OPT_STRING, /* const char *, any text */
};

struct stressor_opt {
	const char *name;    /* "size" for --size */
	enum opt_type type;
	void *dest;          /* size_t *, long *, const char **, bool *: see enum opt_type */
	const char *def;     /* the default as it would be written on the command line */
	const char *choices; /* OPT_CHOICE only: "malloc|mmap|brk" */
	const char *help;
	/*
	 * For an option that names something outside the process that outlives it (a file,
	 * an IPC key, a swap file): in a case's run line (checked with --check-args) the
	 * value must be this placeholder, which the harness fills in, journals and removes.
	 */
	const char *placeholder;
};

/* What the shared code knows about this run; passed to run(). */
struct stressor_ctx {
	const char *role;    /* the role name; also the process comm */
	int control_fd;      /* socket to the harness, -1 when run by hand */
	bool wait_go;        /* this process is a trigger: wait for "go" after ready */
	bool machine_wide;   /* allowed to allocate without a memory-limited cgroup */
	struct fault faults[FAULTS_MAX]; /* injected with seccomp (--fault) */
	int nfaults;
};

struct stressor {
	const char *name;
	const char *summary; /* one line: what it does */
	const char *rule;    /* the kernel rule it puts under test */
	const struct stressor_opt *opts; /* ends with an entry whose name is NULL */
	int (*run)(struct stressor_ctx *ctx);
	enum model_fact model;   /* what the badness model must know of it (MODEL_PLAIN: nothing) */
	bool mounts_privately;   /* mounts only in a mount namespace of its own: the sandbox
				    lets the whole process call mount (its own code is what
				    keeps the mounts in that namespace) */
};

/* Defined once by each stressor file. */
extern const struct stressor stressor;

/*
 * Handshake with the harness (no-ops when run by hand). st_ready() reports that the
 * setup allocation is in place and, for a trigger, blocks until the harness says go.
 * st_done() reports that the trigger finished its work and is now holding.
 * st_member() names another process that belongs to this role (a group).
 * A broken control socket ends the process with ST_EXIT_HANDSHAKE.
 */
void st_ready(struct stressor_ctx *ctx);
void st_done(struct stressor_ctx *ctx);
void st_member(struct stressor_ctx *ctx, pid_t pid);

/* Pass a descriptor to the harness with a one-word message (CTL_NOTIFY). */
void st_send_fd(struct stressor_ctx *ctx, enum ctl_msg msg, int fd);

/* Install the seccomp sandbox and the faults (common.c calls it before run()). */
int sandbox_install(struct stressor_ctx *ctx);

/*
 * The end of a stressor's work: with --after exit (after = "exit"), return 0; else
 * say done and hold until killed.
 */
int st_finish(struct stressor_ctx *ctx, const char *after);

/* Wait until killed. */
void st_hold(void) __attribute__((noreturn));

/*
 * In a child: be killed when the parent dies (which may have happened already, before
 * this ran: then exit at once).
 */
void st_die_with_parent(pid_t parent);

/*
 * Refuse an allocation of `bytes` (SIZE_MAX: unbounded) that could exhaust the whole
 * machine unless this process sits in a memory-limited cgroup or was started with
 * --machine-wide (only the harness inside a VM guest does that). Exits with
 * ST_EXIT_USAGE on refusal.
 */
void st_guard_size(const struct stressor_ctx *ctx, size_t bytes);

/* Print "role: message" to stderr; with errno text when err != 0. */
void st_msg(const struct stressor_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
