/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys of an expected file, one table (expectkeys.c): each key's name, whether it
 * repeats in a section, where its value goes in struct expect_spec, and the functions
 * of its type that read, forget and print it; and what the docs say of it. Reading the
 * file (expectfile.c), the "unknown key" message, `oomlab --validate -v` and
 * `oomlab --list-keys` (the tables in docs/case-format.md) all come from it.
 */
#ifndef OOMLAB_EXPECTKEYS_H
#define OOMLAB_EXPECTKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "format/expectfile.h"

/* What a key's parse function needs: where it is, the case, where errors go. */
struct expect_loader {
	const char *path;
	const struct case_spec *c;
	struct err *e;
};

struct expect_key;

/* A kind of value: how it is read, forgotten (a later section sets it anew), printed. */
struct expect_type {
	int (*parse)(struct expect_loader *ld, const struct expect_key *k, void *field,
		     const char *value, int line);
	void (*reset)(void *field);
	void (*print)(const struct expect_key *k, const void *field,
		      void (*line)(void *ctx, const char *text), void *ctx);
};

struct expect_key {
	const char *name;
	bool repeats;                    /* may appear more than once in one section */
	size_t field;                    /* offsetof(struct expect_spec, ...) */
	const struct expect_type *type;
	bool allow;                      /* the type's variant: a role may repeat (victims), ... */
	const char *value;               /* for the docs: what the value is */
	const char *passes;              /* for the docs: when it passes */
};

/* The key with this name; NULL when there is none. */
const struct expect_key *expect_key_named(const char *name);

/* Its index in the table: 0 to EXPECT_KEYS_MAX - 1. */
int expect_key_index(const struct expect_key *k);
#define EXPECT_KEYS_MAX 32

/* "killed, survived, ..." for the unknown-key message. */
void expect_key_names(char *out, size_t len);

int expect_key_parse(const struct expect_key *k, struct expect_loader *ld, struct expect_spec *x,
		     const char *value, int line);
void expect_key_reset(const struct expect_key *k, struct expect_spec *x);

/* Is role in the list? */
bool role_listed(const struct role_list *rl, const char *role);

/* Is this role one of the case's? Fills ld->e ("'x' is not a role of case c (its roles: ...)"). */
int expect_role_ok(struct expect_loader *ld, const char *role, int line);

/* Check a regular expression with its placeholders, and add it to the list. */
int expect_add_pattern(struct expect_loader *ld, struct pattern_list *pl, const char *role,
		       const char *text, int line);

/* "key = value" through line(). */
void expect_print_kv(const struct expect_key *k, const char *value,
		     void (*line)(void *ctx, const char *text), void *ctx);

/* The kinds of value that are regular expressions (patterns.c): REGEX, ROLE REGEX,
 * ROLE COUNT REGEX. */
extern const struct expect_type expect_pattern_type, expect_output_type, expect_output_lines_type;

/* The keys as the docs' table: "| `key` | value | passes when |". */
void expect_keys_markdown(FILE *out);

#endif
