/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The line format shared by case and expect files:
 *
 *	# a comment (also ';'), on a line of its own
 *	[section name]
 *	key = value
 *
 * Every entry keeps its line number so that the readers above can point at the line
 * that is wrong. Values run to the end of the line (no inline comments: expectations
 * hold regular expressions, which may contain '#' or ';').
 */
#ifndef OOMLAB_INI_H
#define OOMLAB_INI_H

#include "base/err.h"

struct ini_section {
	int line;
	char *name;        /* "case", "process hog", "expect kernel >= 5.4" */
};

struct ini_entry {
	int line;
	int section;       /* index into sections */
	char *key;
	char *value;       /* may be empty */
};

struct ini {
	const char *path;
	char *buf;         /* the file's text; names, keys and values point into it */
	struct ini_section *sections;
	int nsections;
	struct ini_entry *entries;
	int nentries;
};

/* Read a file. Syntax errors are "path:line: what is wrong". */
int ini_load(struct ini *ini, const char *path, struct err *e);

/*
 * The earlier entry of the same section with the same key as entry i, or NULL.
 */
const struct ini_entry *ini_earlier(const struct ini *ini, int i);

void ini_free(struct ini *ini);

#endif
