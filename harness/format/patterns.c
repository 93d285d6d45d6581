// SPDX-License-Identifier: GPL-2.0
/* The regular expressions of expected files: their placeholders, checked and expanded. */
#include "format/expectfile.h"
#include "format/expectkeys.h"

#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/units.h"
#include "shared/words.h"

int pattern_expand(const char *text, placeholder_fn fn, void *ctx, char *out, size_t len,
		   struct err *e)
{
	size_t o = 0;

	while (*text) {
		const char *close, *value;
		char kind[16] = "", role[CGROUP_NAME_MAX] = "", got[PATH_MAX];
		const char *pid_role = after_prefix(text, "{pid:");
		const char *cgroup_name = after_prefix(text, "{cgroup:");

		if (pid_role || cgroup_name || starts_with(text, "{cgroup}")) {
			const char *arg = pid_role ? pid_role : cgroup_name;

			close = strchr(text, '}');
			if (!close)
				return err_set(e, 0, "placeholder '%s' without '}'", text);
			if (arg) {
				size_t n = (size_t)(close - arg);

				if (n == 0 || n >= (pid_role ? ROLE_MAX : sizeof(role)))
					return err_set(e, 0, "bad placeholder '%.*s'", (int)(close - text + 1),
						       text);
				memcpy(role, arg, n);
			}
			snprintf(kind, sizeof(kind), "%s", pid_role ? "pid" : "cgroup");
			if (fn(ctx, kind, role, got, sizeof(got)))
				return err_set(e, 0, "{%s%s%s} has no value: %s", kind, *role ? ":" : "",
					       role, pid_role ? "unknown role" : *role ? "no [cgroup] section "
					       "of that name" : "not known here");
			for (value = got; *value; value++) {
				if (o + 3 >= len)
					goto too_long;
				if (strchr("\\^$.[]|()*+?{}", *value))
					out[o++] = '\\';
				out[o++] = *value;
			}
			text = close + 1;
			continue;
		}
		if (o + 2 >= len)
			goto too_long;
		out[o++] = *text++;
	}
	out[o] = '\0';
	return 0;
too_long:
	return err_set(e, 0, "pattern longer than %zu bytes after expansion", len);
}

/* For checking patterns at load time: every role of the case has a stand-in pid. */
static int check_value(void *ctx, const char *kind, const char *role, char *out, size_t len)
{
	const struct case_spec *c = ctx;

	if (!strcmp(kind, "cgroup") && *role && case_cgroup(c, role) < 0)
		return -1;
	if (!strcmp(kind, "cgroup"))
		snprintf(out, len, "/oomlab/case%s%s", *role ? "/" : "", role);
	else if (case_role(c, role))
		snprintf(out, len, "12345");
	else
		return -1;
	return 0;
}

int expect_add_pattern(struct expect_loader *ld, struct pattern_list *pl, const char *role,
		       const char *text, int line)
{
	char expanded[4096], msg[256];
	struct err e;
	regex_t re;
	int rc;

	if (!*text)
		return err_at(ld->e, ld->path, line, "empty regular expression");
	if (pl->n == EXPECT_MAX_PATTERNS)
		return err_at(ld->e, ld->path, line, "more than %d patterns", EXPECT_MAX_PATTERNS);
	if (pattern_expand(text, check_value, (void *)ld->c, expanded, sizeof(expanded), &e))
		return err_at(ld->e, ld->path, line, "%s", e.msg);
	rc = regcomp(&re, expanded, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, &re, msg, sizeof(msg));
		return err_at(ld->e, ld->path, line, "bad regular expression '%s': %s", text, msg);
	}
	regfree(&re);
	pl->p[pl->n].line = line;
	snprintf(pl->p[pl->n].role, sizeof(pl->p[pl->n].role), "%s", role);
	pl->p[pl->n].text = strdup(text);
	if (!pl->p[pl->n].text)
		return err_at(ld->e, ld->path, line, "out of memory");
	pl->n++;
	return 0;
}

typedef void (*line_fn)(void *ctx, const char *text);

/*
 * Patterns: a regular expression ("REGEX"; allow: no placeholders, for the console the
 * host reads after the guest is gone), "ROLE REGEX" (output), "ROLE COUNT REGEX"
 * (output_lines).
 */

static int parse_pattern(struct expect_loader *ld, const struct expect_key *k, void *field,
			 const char *value, int line)
{
	if (k->allow && strchr(value, '{') && (strstr(value, "{pid:") || strstr(value, "{cgroup}")))
		return err_at(ld->e, ld->path, line, "%s: placeholders are not available (the host "
			      "reads the console after the guest is gone)", k->name);
	return expect_add_pattern(ld, field, "", value, line);
}

/* "ROLE REST": the role, checked, and where REST starts; NULL (with e) on a mistake. */
static const char *role_then(struct expect_loader *ld, const struct expect_key *k, const char *v,
			     int line, char *role, const char *form)
{
	size_t n = strcspn(v, " \t");

	if (n == 0 || n >= ROLE_MAX || !v[n]) {
		err_at(ld->e, ld->path, line, "%s: expected '%s'", k->name, form);
		return NULL;
	}
	snprintf(role, ROLE_MAX, "%.*s", (int)n, v);
	if (expect_role_ok(ld, role, line))
		return NULL;
	return v + n + strspn(v + n, " \t");
}

static int parse_output(struct expect_loader *ld, const struct expect_key *k, void *field,
			const char *value, int line)
{
	char role[ROLE_MAX];
	const char *rest = role_then(ld, k, value, line, role, "ROLE REGEX");

	return rest ? expect_add_pattern(ld, field, role, rest, line) : -1;
}

static int parse_output_lines(struct expect_loader *ld, const struct expect_key *k, void *field,
			      const char *value, int line)
{
	struct pattern_list *pl = field;
	char role[ROLE_MAX], num[24];
	const char *rest = role_then(ld, k, value, line, role, "ROLE COUNT REGEX");
	long count;
	size_t n;

	if (!rest)
		return -1;
	n = strcspn(rest, " \t");
	snprintf(num, sizeof(num), "%.*s", (int)(n < 23 ? n : 23), rest);
	if (parse_long(num, &count) || count < 0 || !rest[n])
		return err_at(ld->e, ld->path, line, "%s: expected 'ROLE COUNT REGEX'", k->name);
	rest += n + strspn(rest + n, " \t");
	if (expect_add_pattern(ld, pl, role, rest, line))
		return -1;
	pl->p[pl->n - 1].count = count;
	return 0;
}

static void reset_patterns(void *field)
{
	struct pattern_list *pl = field;

	for (int i = 0; i < pl->n; i++)
		free(pl->p[i].text);
	pl->n = 0;
}

static void print_patterns(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct pattern_list *pl = field;
	char text[4200];

	for (int i = 0; i < pl->n; i++) {
		snprintf(text, sizeof(text), "%s%s%s", pl->p[i].role, pl->p[i].role[0] ? " " : "",
			 pl->p[i].text);
		expect_print_kv(k, text, line, ctx);
	}
}

static void print_output_lines(const struct expect_key *k, const void *field, line_fn line,
			       void *ctx)
{
	const struct pattern_list *pl = field;
	char text[4200];

	for (int i = 0; i < pl->n; i++) {
		snprintf(text, sizeof(text), "%s %ld %s", pl->p[i].role, pl->p[i].count, pl->p[i].text);
		expect_print_kv(k, text, line, ctx);
	}
}

const struct expect_type expect_pattern_type = { parse_pattern, reset_patterns, print_patterns };
const struct expect_type expect_output_type = { parse_output, reset_patterns, print_patterns };
const struct expect_type expect_output_lines_type = { parse_output_lines, reset_patterns,
						       print_output_lines };
