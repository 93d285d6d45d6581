/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The undo journal: every change oomlab makes to the machine (a cgroup created, a
 * controller enabled, a sysctl set, a swap file, a tmpfs file or a SysV segment made)
 * is written here before it is made and crossed out after it is undone. A run that dies leaves its journal behind; the next
 * run undoes what it lists.
 *
 * One append-only file per run, <state-dir>/journal.<pid>, locked (flock) while the
 * run lives:
 *	add ID KIND ARG...
 *	del ID
 */
#ifndef OOMLAB_JOURNAL_H
#define OOMLAB_JOURNAL_H

#include <limits.h>
#include <stdbool.h>

#include "base/err.h"

/*
 * The kinds of change, and their undo (journal/undo.c: one table, each kind's name,
 * argument and undo function; a name has at most 15 characters, as replay reads it):
 *	cgroup VERSION DIR     kill what is in DIR (it is ours), remove DIR
 *	subtree DIR            write -memory to DIR/cgroup.subtree_control (v2)
 *	sysctl PATH VALUE      write VALUE back to PATH (/proc/sys/...)
 *	swapfile PATH          swapoff PATH, remove it
 *	file PATH              remove PATH (a case's tmpfs file)
 *	shm KEY                remove the SysV shared memory segment with this key
 *	dir DIR                remove the (by then empty) folder DIR (oomlab replay's own)
 */
/* Where journals are kept unless --state-dir says otherwise. */
#define JOURNAL_DIR_DEFAULT "/run/oomlab"

enum journal_kind { J_CGROUP, J_SUBTREE, J_SYSCTL, J_SWAPFILE, J_FILE, J_SHM, J_DIR, J_KINDS };

struct journal_entry {
	int id;
	enum journal_kind kind;
	char arg[PATH_MAX + 32];
};

/* The kind's name in the journal file, and back (-1 for a name no kind has). */
const char *journal_kind_name(enum journal_kind kind);
int journal_kind_named(const char *name);

/* Undo one change of this kind, given its argument as journaled. */
int journal_undo_change(enum journal_kind kind, const char *arg, struct err *e);

struct journal {
	char path[PATH_MAX];
	int fd;
	int next_id;
	struct journal_entry *live; /* added and not yet crossed out */
	int nlive;
};

int journal_open(struct journal *j, const char *state_dir, struct err *e);

/* Record a change about to be made. Returns its id, or -1. */
int journal_add(struct journal *j, enum journal_kind kind, const char *arg, struct err *e);

/*
 * Journal the cgroup dir ("cgroup VERSION DIR"), then create it. Returns the entry's
 * id, or -1 (the entry stays: undoing a cgroup that was never made is harmless).
 */
int journal_mkdir_cgroup(struct journal *j, int version, const char *dir, struct err *e);

/* The change was undone. */
int journal_del(struct journal *j, int id, struct err *e);

/* Undo the live entry with this id and cross it out. */
int journal_undo(struct journal *j, int id, struct err *e);

/*
 * Undo everything still live (newest first), then remove the journal. Returns 0 when
 * all of it was undone; failures are reported through warn.
 */
int journal_close(struct journal *j, void (*warn)(const char *msg));

/*
 * Undo the journals of runs that died (their lock is free). Reports each thing undone,
 * or that could not be, through note. Returns the number of journals handled.
 */
int journal_recover(const char *state_dir, void (*note)(const char *msg));

#endif
