// SPDX-License-Identifier: GPL-2.0
/* The regular expressions of expected files: their placeholders, checked and expanded. */
#include "format/expectfile.h"
#include "format/expectkeys.h"

#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pattern_expand(const char *text, placeholder_fn fn, void *ctx, char *out, size_t len,
		   struct err *e)
{
	size_t o = 0;

	while (*text) {
		const char *close, *value;
		char kind[16] = "", role[ROLE_MAX] = "", got[PATH_MAX];

		if (*text == '{' && (!strncmp(text, "{pid:", 5) || !strncmp(text, "{cgroup}", 8))) {
			close = strchr(text, '}');
			if (!close)
				return err_set(e, 0, "placeholder '%s' without '}'", text);
			if (text[1] == 'p') {
				size_t n = (size_t)(close - text) - 5;

				if (n == 0 || n >= sizeof(role))
					return err_set(e, 0, "bad placeholder '%.*s'", (int)(close - text + 1),
						       text);
				memcpy(role, text + 5, n);
				snprintf(kind, sizeof(kind), "pid");
			} else {
				snprintf(kind, sizeof(kind), "cgroup");
			}
			if (fn(ctx, kind, role, got, sizeof(got)))
				return err_set(e, 0, "{%s%s%s} has no value: %s", kind, *role ? ":" : "",
					       role, *role ? "unknown role" : "not known here");
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

	if (!strcmp(kind, "cgroup"))
		snprintf(out, len, "/oomlab/case");
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

int expect_role_ok(struct expect_loader *ld, const char *role, int line)
{
	char roles[CASE_MAX_PROCS * (ROLE_MAX + 2)] = "";
	size_t used = 0;
	int i;

	if (case_role(ld->c, role))
		return 0;
	for (i = 0; i < ld->c->nprocs; i++)
		used += (size_t)snprintf(roles + used, sizeof(roles) - used, "%s%s", i ? ", " : "",
					 ld->c->procs[i].role);
	return err_at(ld->e, ld->path, line, "'%s' is not a role of case %s (its roles: %s)", role,
		      ld->c->name, roles);
}
