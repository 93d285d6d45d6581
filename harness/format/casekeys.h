/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys of a case file, one table (casekeys.c): each key's section, name, whether
 * it repeats, the function that reads it, and what the docs say of it. Reading the file
 * (casefile.c), the "unknown key" messages and `oomlab --list-keys` (the tables in
 * docs/case-format.md) all come from it.
 */
#ifndef OOMLAB_CASEKEYS_H
#define OOMLAB_CASEKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "format/casefile.h"
#include "format/ini.h"

enum case_section { SEC_CASE, SEC_PROCESS, SEC_CHANGE, SEC_CGROUP, SEC_COUNT };

/* What a key's parse function needs: the case, the process of a [process] section. */
struct case_loader {
	struct case_spec *c;
	struct proc_spec *p;          /* in [process ROLE]; NULL elsewhere */
	struct cgroup_spec *g;        /* in [cgroup NAME]; NULL elsewhere */
	const char *stressor_dir;
	struct err *e;
};

struct case_key {
	enum case_section section;
	const char *name;             /* ending in '.', a prefix: "sysctl." is sysctl.NAME */
	bool repeats;                 /* may appear more than once in one section */
	int (*parse)(struct case_loader *cl, const struct ini_entry *en);
	const char *value;            /* for the docs: what the value is */
	const char *meaning;          /* for the docs: what it does */
};

/* The key of this section with this name; NULL when there is none. */
const struct case_key *case_key_named(enum case_section section, const char *name);

/* "summary, memory.max, ..., sysctl.NAME" for the unknown-key message. */
void case_key_names(enum case_section section, char *out, size_t len);

/* The section's keys as the docs' table: "| `key` | value | meaning |". */
void case_keys_markdown(enum case_section section, FILE *out);

#endif
