// SPDX-License-Identifier: GPL-2.0
/*
 * What each kind of journaled change is called in the journal file and how it is
 * undone: one table. The undo functions are those of the layers below the journal
 * (cgroup/, machine/); the code that makes the changes (run/, the suite) is above it.
 */
#include "journal/journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "machine/shmobj.h"
#include "machine/swapfile.h"
#include "machine/sysctl.h"
#include "shared/words.h"

/* "VERSION DIR": kill what is in DIR (ours), remove it with its children. */
static int undo_cgroup(const char *arg, struct err *e)
{
	if ((arg[0] != '1' && arg[0] != '2') || arg[1] != ' ' || !arg[2])
		return err_set(e, EINVAL, "journal entry 'cgroup %s' is malformed", arg);
	return cg_destroy(arg[0] == '2' ? &cgroup_v2_ops : &cgroup_v1_ops, arg + 2, e);
}

/* "DIR": the memory controller oomlab turned on for DIR's children. */
static int undo_subtree(const char *arg, struct err *e)
{
	if (access(arg, F_OK))
		return 0;
	return cgroup_v2_ops.disable_memory(arg, e);
}

/* "PATH VALUE": the old value of a /proc/sys file. */
static int undo_sysctl(const char *arg, struct err *e)
{
	char path[PATH_MAX];
	const char *value = strchr(arg, ' ');

	if (!value || !starts_with(arg, "/proc/sys/"))
		return err_set(e, EINVAL, "journal entry 'sysctl %s' is malformed", arg);
	snprintf(path, sizeof(path), "%.*s", (int)(value - arg), arg);
	return sysctl_write(path, value + 1, e);
}

static int undo_swapfile(const char *arg, struct err *e)
{
	return swapfile_remove(arg, e);
}

static int undo_file(const char *arg, struct err *e)
{
	return tmpfile_remove(arg, e);
}

static int undo_shm(const char *arg, struct err *e)
{
	char *end;
	long key = strtol(arg, &end, 10);

	if (end == arg || *end)
		return err_set(e, EINVAL, "journal entry 'shm %s' is malformed", arg);
	return ipckey_remove(key, e);
}

/* "DIR": a folder oomlab made, emptied first by the entries after it. */
static int undo_dir(const char *arg, struct err *e)
{
	if (rmdir(arg) && errno != ENOENT)
		return err_set(e, errno, "rmdir `%s`", arg);
	return 0;
}

static const struct {
	const char *name;
	int (*undo)(const char *arg, struct err *e);
} kinds[J_KINDS] = {
	[J_CGROUP] = { "cgroup", undo_cgroup },
	[J_SUBTREE] = { "subtree", undo_subtree },
	[J_SYSCTL] = { "sysctl", undo_sysctl },
	[J_SWAPFILE] = { "swapfile", undo_swapfile },
	[J_FILE] = { "file", undo_file },
	[J_SHM] = { "shm", undo_shm },
	[J_DIR] = { "dir", undo_dir },
};

const char *journal_kind_name(enum journal_kind kind)
{
	return kinds[kind].name;
}

int journal_kind_named(const char *name)
{
	for (int k = 0; k < J_KINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

int journal_undo_change(enum journal_kind kind, const char *arg, struct err *e)
{
	return kinds[kind].undo(arg, e);
}
