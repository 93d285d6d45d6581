/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a case needs of the machine it runs on (a VM guest for machine-wide cases, a
 * cgroup version, CAP_SYS_RESOURCE for a lower adj, swap, a disk, FUSE, a kernel
 * version), checked before anything is set up: unmet, the case is a SKIP with the reason.
 */
#ifndef OOMLAB_CASENEEDS_H
#define OOMLAB_CASENEEDS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/hostinfo.h"
#include "format/casefile.h"

/* What the machine offers. */
struct case_host {
	const struct hostinfo *host;
	int cgroup_version;          /* of the memory controller; 0 when none was found */
	bool guest;                  /* inside oomlab's throw-away VM guest */
	const char *swap_dir;        /* where a case's swap file would go */
};

/* Is a requirement of the case unmet here? why says which, as a SKIP reason. */
bool caseneeds_unmet(const struct case_host *h, const struct case_spec *cs, char *why, size_t len);

#endif
