/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Things a case's processes use that outlive them and belong to the machine: its own
 * swap file, a file on a tmpfs, a SysV IPC key. Each is journaled before it exists
 * and removed when the case is over (and by a later run after a crash).
 *
 * A run line names them with placeholders: {swapfile}, {tmpfile}, {ipckey}.
 */
#ifndef OOMLAB_RESOURCES_H
#define OOMLAB_RESOURCES_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include "base/err.h"
#include "format/casefile.h"
#include "journal/journal.h"

/* A swap file, and a {tmpfile} and an {ipckey} for each role. */
#define RESOURCES_MAX (1 + 2 * CASE_MAX_PROCS)

struct case_resources {
	char swapfile[PATH_MAX];     /* empty when the case has none */
	char tmpfile_dir[PATH_MAX];  /* {tmpfile} is tmpfile_dir/oomlab.PID.CASE.ROLE */
	char prefix[128];            /* "oomlab.PID.CASE" */
	long ipckey_base;            /* {ipckey} is ipckey_base + the role's index */
	int jids[RESOURCES_MAX];     /* their journal entries, oldest first */
	int njids;
};

/* Name this run's resources for the case: nothing is made yet. */
void resources_init(struct case_resources *res, const char *case_name, const char *tmpfile_dir);

/* The placeholders and what each becomes, as the table of docs/case-format.md. */
void resources_markdown(FILE *out);

/*
 * Expand {swapfile}, {tmpfile}, {ipckey} in one run-line argument for the process of
 * index role_index. Returns 0, or -1 when out is too small.
 */
int resources_expand(const struct case_resources *res, const char *role, int role_index,
		     const char *arg, char *out, size_t len);

/* Journal the files and keys this case's run lines name (so they are removed). */
int resources_journal(struct case_resources *res, struct journal *j, char *const *args,
		      const char *role, int role_index, struct err *e);

/*
 * Create a swap file of size bytes in dir and enable it (unmet() in suite.c has
 * skipped the case already where dir cannot hold swap). Returns 0; -1 with e when it
 * cannot be (no permission, a full disk): the case is then skipped with e's reason.
 */
int swapfile_on(struct case_resources *res, const char *dir, size_t size, struct journal *j,
		struct err *e);

/* Remove them (through their journal entries, newest first); each failure goes to warn(ctx, e). */
void resources_teardown(struct case_resources *res, struct journal *j,
			void (*warn)(void *ctx, const struct err *e), void *ctx);

#endif
