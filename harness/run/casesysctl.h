/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sysctls a case sets (sysctl.vm.panic_on_oom = 1 in its file): saved in the undo
 * journal, set before the case's processes start, restored after it.
 *
 * vm.overcommit_ratio and vm.overcommit_kbytes are one setting: writing either sets
 * the other to 0. Both are saved when a case sets one, the non-zero one first, so that
 * undoing in reverse order writes the non-zero value last.
 */
#ifndef OOMLAB_CASESYSCTL_H
#define OOMLAB_CASESYSCTL_H

#include "base/err.h"
#include "format/casefile.h"
#include "journal/journal.h"

struct sysctl_saved {
	int n;
	struct {
		char path[128];
		int journal_id;     /* "sysctl PATH OLD": undoing it restores */
	} s[SYSCTL_MAX + 2];
};

/* Save (journaled) and set each. On failure, what was set is restored. */
int sysctl_apply(const struct sysctl_set *set, int n, struct journal *j, struct sysctl_saved *saved,
		 struct err *e);

/* Restore what sysctl_apply saved, newest first; each failure goes to warn(ctx, e). */
void sysctl_restore(struct sysctl_saved *saved, struct journal *j,
		    void (*warn)(void *ctx, const struct err *e), void *ctx);

#endif
