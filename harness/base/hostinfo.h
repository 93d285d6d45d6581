/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about the running machine, and kernel version conditions ("kernel >= 5.4"). */
#ifndef OOMLAB_HOSTINFO_H
#define OOMLAB_HOSTINFO_H

#include <stdbool.h>

#include "base/compare.h"

struct kver {
	int major, minor, patch;
};

/* A condition on the kernel version: op is one of < <= > >= == != */
struct kcond {
	enum cmp_op op;
	struct kver v;
};

struct hostinfo {
	char release[65];            /* uname -r */
	char machine[65];            /* uname -m */
	struct kver kernel;
	bool root;                   /* effective uid 0 */
	bool cap_sys_resource;       /* may lower oom_score_adj (sandboxes often drop it) */
	long oom_score_adj;          /* this process's own */
};

void hostinfo_read(struct hostinfo *h);

/* "6.18.44-fc-v769", "5.4", "2.6.32". Returns 0 or -1. */
int kver_parse(const char *s, struct kver *v);
int kver_cmp(const struct kver *a, const struct kver *b);

/* "kernel >= 5.4" style, without the word: ">= 5.4". Returns 0 or -1. */
int kcond_parse(const char *s, struct kcond *c);
bool kcond_holds(const struct kcond *c, const struct kver *v);

/* Read "Key: N kB" from /proc/meminfo; 0 when missing. */
unsigned long long meminfo_kb(const char *key);

#endif
