/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An injected fault: a system call that fails with an errno, on every call, on the
 * Nth call only, or on every call after the Nth. Written "SYSCALL:WHEN:ERRNO" on a
 * stressor's command line (--fault mmap:5:ENOMEM, mlock:every:EPERM,
 * clone:after10:EAGAIN) and "SYSCALL WHEN ERRNO" in a case file (mmap 5 ENOMEM,
 * mlock every EPERM, clone after 10 EAGAIN). Shared by the stressors, which install
 * the seccomp filter, and the harness, which counts the calls.
 */
#ifndef OOMLAB_FAULTSPEC_H
#define OOMLAB_FAULTSPEC_H

#include <stdbool.h>
#include <stddef.h>

#define FAULTS_MAX 8

enum fault_when { FAULT_EVERY, FAULT_NTH, FAULT_AFTER };

struct fault {
	char syscall[32];
	int nr;                /* the syscall number on this machine */
	enum fault_when when;
	long n;                /* FAULT_NTH: this call; FAULT_AFTER: calls after this many */
	int err;               /* positive errno */
	long calls;            /* counted by the harness */
	long failed;
};

/* "mmap:5:ENOMEM" (sep ':') or "mmap 5 ENOMEM" (sep ' ', and "after 10"). Returns 0, or
 * -1 with msg saying what is wrong. */
int fault_parse(const char *text, char sep, struct fault *f, char *msg, size_t len);

/* The command-line form of f ("mmap:5:ENOMEM"). */
void fault_format(const struct fault *f, char *out, size_t len);

/* Does f need a supervisor that counts calls (seccomp user notification)? */
bool fault_counted(const struct fault *f);

/* For a counted fault: one more call was made; should it fail? */
bool fault_next_fails(struct fault *f);

/* "ENOMEM" for 12 and back; NULL / -1 when unknown. */
const char *errno_name(int err);
int errno_named(const char *name);

#endif
