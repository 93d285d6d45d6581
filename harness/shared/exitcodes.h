/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stressors' exit codes, with fixed meanings: defined here once. The stressors'
 * --help, the harness's diagnostics ("exited with code 3 (allocation failed)") and the
 * README's table (checked by tests/test_layout.py) all come from this table. A process
 * the OOM killer ends has no exit code: it is terminated by SIGKILL.
 */
#ifndef OOMLAB_EXITCODES_H
#define OOMLAB_EXITCODES_H

enum stressor_exit {
	ST_EXIT_OK,          /* did what was asked */
	ST_EXIT_INTERNAL,    /* an unexpected system call failure */
	ST_EXIT_USAGE,       /* bad arguments, or a refused unsafe request */
	ST_EXIT_NOMEM,       /* an allocation failed: malloc NULL, mmap/brk ENOMEM */
	ST_EXIT_UNSUPPORTED, /* the running kernel lacks what this mode needs */
	ST_EXIT_HANDSHAKE,   /* the control socket to the harness broke */
	ST_EXIT_DENIED,      /* the kernel refused: EPERM/EACCES (mlock, swapoff, ...) */
	ST_EXIT_LIMIT,       /* a process or thread limit stopped growth (EAGAIN) */
	ST_EXIT_COUNT,
};

/* Exit code 127: the harness could not start the stressor (it never ran). */
#define ST_EXIT_NOT_STARTED 127

struct stressor_exit_info {
	const char *name;     /* short, for a diagnostic: "allocation failed" */
	const char *meaning;  /* the README's and --help's words */
};

extern const struct stressor_exit_info stressor_exits[ST_EXIT_COUNT];

#endif
