// SPDX-License-Identifier: GPL-2.0
#include "run/casesysctl.h"

#include "machine/sysctl.h"

#include <stdio.h>
#include <string.h>

/* Save one path's value, journaled, unless it is saved already. */
static int save(struct sysctl_saved *saved, const char *path, struct journal *j, struct err *e)
{
	char entry[256], old[64];
	int i;

	for (i = 0; i < saved->n; i++)
		if (!strcmp(saved->s[i].path, path))
			return 0;
	snprintf(saved->s[saved->n].path, sizeof(saved->s[0].path), "%s", path);
	if (sysctl_read(path, old, sizeof(old), e))
		return -1;
	snprintf(entry, sizeof(entry), "%s %s", path, old);
	saved->s[saved->n].journal_id = journal_add(j, J_SYSCTL, entry, e);
	if (saved->s[saved->n].journal_id < 0)
		return -1;
	saved->n++;
	return 0;
}

static bool is_overcommit_pair(const char *path)
{
	return !strcmp(path, "/proc/sys/vm/overcommit_ratio") ||
	       !strcmp(path, "/proc/sys/vm/overcommit_kbytes");
}

/*
 * Save both of the overcommit pair, the non-zero one first: undone in reverse order
 * (here or by a later run's journal recovery), the zero is written first and the
 * non-zero value last, which is how they started.
 */
static int save_overcommit_pair(struct sysctl_saved *saved, struct journal *j, struct err *e)
{
	static const char *const ratio = "/proc/sys/vm/overcommit_ratio";
	static const char *const kbytes = "/proc/sys/vm/overcommit_kbytes";
	char value[64];

	if (sysctl_read(kbytes, value, sizeof(value), e))
		return -1;
	if (strcmp(value, "0"))
		return save(saved, kbytes, j, e) || save(saved, ratio, j, e) ? -1 : 0;
	return save(saved, ratio, j, e) || save(saved, kbytes, j, e) ? -1 : 0;
}

int sysctl_apply(const struct sysctl_set *set, int n, struct journal *j, struct sysctl_saved *saved,
		 struct err *e)
{
	char path[128];
	int i;

	saved->n = 0;
	for (i = 0; i < n; i++) {
		sysctl_path(set[i].name, path, sizeof(path));
		if (is_overcommit_pair(path) && save_overcommit_pair(saved, j, e))
			return -1;
		if (save(saved, path, j, e) || sysctl_write(path, set[i].value, e))
			return err_wrap(e, "setting %s = %s", set[i].name, set[i].value);
	}
	return 0;
}

void sysctl_restore(struct sysctl_saved *saved, struct journal *j,
		    void (*warn)(void *ctx, const struct err *e), void *ctx)
{
	int i;

	for (i = saved->n - 1; i >= 0; i--) {
		struct err e;

		/* The journal entry holds the old value; on failure it stays for the next run. */
		if (journal_undo(j, saved->s[i].journal_id, &e))
			warn(ctx, &e);
	}
	saved->n = 0;
}
