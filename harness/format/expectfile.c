// SPDX-License-Identifier: GPL-2.0
/* Reading expected/NAME.expect into a struct expect_spec for this kernel and cgroup. */
#include "format/expectfile.h"

#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/faultspec.h"
#include "format/ini.h"
#include "shared/units.h"

enum key { K_KILLED, K_SURVIVED, K_VICTIMS, K_OOM_KILLS, K_ORDER, K_DMESG, K_NO_DMESG, K_EXIT,
	   K_OUTPUT, K_PANIC, K_CONSOLE, K_SAMPLE, K_OOM_EVENTS, K_OUTPUT_LINES, K_USAGE, K_CHANGE,
	   K_MODEL_ORDER, K_MODEL_SCORE, K_MODEL_VICTIM, K_COUNT };

static const char *const key_names[K_COUNT] = {
	"killed", "survived", "victims", "oom_kills", "order", "dmesg", "no_dmesg", "exit", "output",
	"panic", "console", "sample", "oom_events", "output_lines", "usage", "change", "model_order",
	"model_score", "model_victim",
};

const char *const sample_field_names[] = { "oom_score", "oom_score_adj", "oom_adj" };

struct loader {
	const char *path;
	const struct case_spec *c;
	struct err *e;
};

int pattern_expand(const char *text, placeholder_fn fn, void *ctx, char *out, size_t len,
		   char *msg, size_t msglen)
{
	size_t o = 0;

	while (*text) {
		const char *value = NULL, *close;
		char kind[16] = "", role[ROLE_MAX] = "";

		if (*text == '{' && (!strncmp(text, "{pid:", 5) || !strncmp(text, "{cgroup}", 8))) {
			close = strchr(text, '}');
			if (!close) {
				snprintf(msg, msglen, "placeholder '%s' without '}'", text);
				return -1;
			}
			if (text[1] == 'p') {
				size_t n = (size_t)(close - text) - 5;

				if (n == 0 || n >= sizeof(role)) {
					snprintf(msg, msglen, "bad placeholder '%.*s'", (int)(close - text + 1),
						 text);
					return -1;
				}
				memcpy(role, text + 5, n);
				snprintf(kind, sizeof(kind), "pid");
			} else {
				snprintf(kind, sizeof(kind), "cgroup");
			}
			value = fn(ctx, kind, role);
			if (!value) {
				snprintf(msg, msglen, "{%s%s%s} has no value: %s", kind, *role ? ":" : "",
					 role, *role ? "unknown role" : "not known here");
				return -1;
			}
			for (; *value; value++) {
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
	snprintf(msg, msglen, "pattern longer than %zu bytes after expansion", len);
	return -1;
}

/* For checking patterns at load time: every role of the case has a stand-in pid. */
static const char *check_value(void *ctx, const char *kind, const char *role)
{
	const struct case_spec *c = ctx;

	if (!strcmp(kind, "cgroup"))
		return "/oomlab/case";
	return case_role(c, role) ? "12345" : NULL;
}

static int add_pattern(struct loader *ld, struct pattern_list *pl, const char *role,
		       const char *text, int line)
{
	char expanded[4096], msg[256];
	regex_t re;
	int rc;

	if (!*text)
		return err_at(ld->e, ld->path, line, "empty regular expression");
	if (pl->n == EXPECT_MAX_PATTERNS)
		return err_at(ld->e, ld->path, line, "more than %d patterns", EXPECT_MAX_PATTERNS);
	if (pattern_expand(text, check_value, (void *)ld->c, expanded, sizeof(expanded), msg,
			   sizeof(msg)))
		return err_at(ld->e, ld->path, line, "%s", msg);
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

static int role_ok(struct loader *ld, const char *role, int line)
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

static bool role_listed(const struct role_list *rl, const char *role)
{
	for (int i = 0; i < rl->n; i++)
		if (!strcmp(rl->role[i], role))
			return true;
	return false;
}

/* "a, b, c" or "none". A role may repeat only where it may die twice (victims). */
static int parse_roles(struct loader *ld, const char *value, int line, struct role_list *rl,
		       bool allow_repeats)
{
	char buf[1024], *tok, *save;

	rl->set = true;
	rl->line = line;
	rl->n = 0;
	if (!strcmp(value, "none"))
		return 0;
	if (!*value)
		return err_at(ld->e, ld->path, line, "empty list (write none for no roles)");
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t end;

		tok += strspn(tok, " \t");
		end = strcspn(tok, " \t");
		if (tok[end + strspn(tok + end, " \t")])
			return err_at(ld->e, ld->path, line, "'%s': separate roles with commas", tok);
		tok[end] = '\0';
		if (role_ok(ld, tok, line))
			return -1;
		if (!allow_repeats && role_listed(rl, tok))
			return err_at(ld->e, ld->path, line, "'%s' appears twice in the list", tok);
		if (rl->n == CASE_MAX_PROCS)
			return err_at(ld->e, ld->path, line, "too many roles");
		snprintf(rl->role[rl->n++], ROLE_MAX, "%s", tok);
	}
	return 0;
}

/* "N" for a count key */
static int parse_count(struct loader *ld, const char *key, const char *value, int line, long *out,
		       bool *has, int *at)
{
	if (parse_long(value, out) || *out < 0)
		return err_at(ld->e, ld->path, line, "%s: '%s' is not a count", key, value);
	*has = true;
	*at = line;
	return 0;
}

/* "yes", or "no, WHY" (the reason is shown when the check is skipped) */
static int parse_optout(struct loader *ld, const char *key, const char *value, int line,
			struct model_optout *o)
{
	memset(o, 0, sizeof(*o));
	o->line = line;
	if (!strcmp(value, "yes"))
		return 0;
	if (strncmp(value, "no", 2) || value[2] != ',' || !value[3 + strspn(value + 3, " \t")])
		return err_at(ld->e, ld->path, line, "%s: expected yes, or no with the reason "
			      "('no, the swapoff caller is chosen before any scoring'), got '%s'", key, value);
	o->off = true;
	snprintf(o->why, sizeof(o->why), "%s", value + 3 + strspn(value + 3, " \t"));
	return 0;
}

/* "a > b >= c = d" */
static int parse_order(struct loader *ld, const char *value, int line, struct order_chain *oc)
{
	const char *s = value;
	int op;

	oc->set = true;
	oc->line = line;
	oc->n = 0;
	for (;;) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t<>=");
		if (n == 0 || n >= ROLE_MAX)
			return err_at(ld->e, ld->path, line, "order: expected a role at '%s'", s);
		if (oc->n == CASE_MAX_PROCS)
			return err_at(ld->e, ld->path, line, "order: too many roles");
		snprintf(oc->role[oc->n], ROLE_MAX, "%.*s", (int)n, s);
		if (role_ok(ld, oc->role[oc->n], line))
			return -1;
		for (int k = 0; k < oc->n; k++)
			if (!strcmp(oc->role[k], oc->role[oc->n]))
				return err_at(ld->e, ld->path, line, "order: '%s' appears twice (a chain names "
					      "each role once)", oc->role[k]);
		s += n + strspn(s + n, " \t");
		if (!*s)
			break;
		op = cmp_op_at(s, CMP_ORDERING, &n);
		if (op < 0)
			return err_at(ld->e, ld->path, line, "order: expected >, >= or = at '%s'", s);
		oc->op[oc->n] = (enum cmp_op)op;
		s += n;
		oc->n++;
	}
	oc->n++;
	if (oc->n < 2)
		return err_at(ld->e, ld->path, line, "order: needs at least two roles");
	return 0;
}

static int parse_exit(struct loader *ld, struct expect_spec *x, const char *value, int line)
{
	char role[ROLE_MAX];
	long code;
	size_t n = strcspn(value, " \t");

	if (n == 0 || n >= sizeof(role))
		return err_at(ld->e, ld->path, line, "exit: expected 'ROLE CODE'");
	snprintf(role, sizeof(role), "%.*s", (int)n, value);
	if (role_ok(ld, role, line))
		return -1;
	if (parse_long(value + n + strspn(value + n, " \t"), &code) || code < 0 || code > 255)
		return err_at(ld->e, ld->path, line, "exit: expected 'ROLE CODE' with CODE 0 to 255");
	if (x->nexits == CASE_MAX_PROCS)
		return err_at(ld->e, ld->path, line, "too many exit lines");
	x->exits[x->nexits++] = (struct exit_expect){ .line = line, .code = (int)code };
	snprintf(x->exits[x->nexits - 1].role, ROLE_MAX, "%s", role);
	return 0;
}

static void free_patterns(struct pattern_list *pl)
{
	int i;

	for (i = 0; i < pl->n; i++)
		free(pl->p[i].text);
	pl->n = 0;
}

/* Forget what earlier sections said about this key. */
static void reset_key(struct expect_spec *x, enum key k)
{
	switch (k) {
	case K_KILLED: memset(&x->killed, 0, sizeof(x->killed)); break;
	case K_SURVIVED: memset(&x->survived, 0, sizeof(x->survived)); break;
	case K_VICTIMS: memset(&x->victims, 0, sizeof(x->victims)); break;
	case K_OOM_KILLS: x->has_oom_kills = false; break;
	case K_ORDER: memset(&x->order, 0, sizeof(x->order)); break;
	case K_DMESG: free_patterns(&x->dmesg); break;
	case K_NO_DMESG: free_patterns(&x->no_dmesg); break;
	case K_EXIT: x->nexits = 0; break;
	case K_OUTPUT: free_patterns(&x->output); break;
	case K_PANIC: x->has_panic = false; break;
	case K_CONSOLE: free_patterns(&x->console); break;
	case K_SAMPLE: x->nsamples = 0; break;
	case K_OOM_EVENTS: x->has_oom_events = false; break;
	case K_OUTPUT_LINES: free_patterns(&x->output_lines); break;
	case K_USAGE: x->has_usage = false; break;
	case K_CHANGE: x->change[0] = '\0'; break;
	case K_MODEL_ORDER: memset(&x->model_order, 0, sizeof(x->model_order)); break;
	case K_MODEL_SCORE: memset(&x->model_score, 0, sizeof(x->model_score)); break;
	case K_MODEL_VICTIM: memset(&x->model_victim, 0, sizeof(x->model_victim)); break;
	case K_COUNT: break;
	}
}

/* "ROLE FIELD VALUE" */
static int parse_sample(struct loader *ld, struct expect_spec *x, const char *v, int line)
{
	char role[ROLE_MAX], field[32], value[32];
	struct sample_expect *se;
	int f;

	if (sscanf(v, "%15s %31s %31s", role, field, value) != 3)
		return err_at(ld->e, ld->path, line, "sample: expected 'ROLE FIELD VALUE'");
	if (role_ok(ld, role, line))
		return -1;
	for (f = 0; f < 3 && strcmp(field, sample_field_names[f]); f++)
		;
	if (f == 3)
		return err_at(ld->e, ld->path, line, "sample: unknown field '%s' (known: oom_score, "
			      "oom_score_adj, oom_adj)", field);
	if (x->nsamples == (int)(sizeof(x->samples) / sizeof(x->samples[0])))
		return err_at(ld->e, ld->path, line, "too many samples");
	se = &x->samples[x->nsamples];
	if (parse_long(value, &se->value))
		return err_at(ld->e, ld->path, line, "sample: '%s' is not a number", value);
	se->line = line;
	se->field = (enum sample_field)f;
	snprintf(se->role, sizeof(se->role), "%s", role);
	x->nsamples++;
	return 0;
}

static int apply_key(struct loader *ld, struct expect_spec *x, enum key k, const char *v, int line)
{
	const char *rest;
	char role[ROLE_MAX];
	size_t n;

	switch (k) {
	case K_KILLED: return parse_roles(ld, v, line, &x->killed, false);
	case K_SURVIVED: return parse_roles(ld, v, line, &x->survived, false);
	case K_VICTIMS: return parse_roles(ld, v, line, &x->victims, true);
	case K_OOM_KILLS:
		return parse_count(ld, key_names[k], v, line, &x->oom_kills, &x->has_oom_kills,
				   &x->oom_kills_line);
	case K_ORDER: return parse_order(ld, v, line, &x->order);
	case K_MODEL_ORDER: return parse_order(ld, v, line, &x->model_order);
	case K_MODEL_SCORE: return parse_optout(ld, key_names[k], v, line, &x->model_score);
	case K_MODEL_VICTIM: return parse_optout(ld, key_names[k], v, line, &x->model_victim);
	case K_DMESG: return add_pattern(ld, &x->dmesg, "", v, line);
	case K_NO_DMESG: return add_pattern(ld, &x->no_dmesg, "", v, line);
	case K_EXIT: return parse_exit(ld, x, v, line);
	case K_OUTPUT:
		n = strcspn(v, " \t");
		if (n == 0 || n >= sizeof(role) || !v[n])
			return err_at(ld->e, ld->path, line, "output: expected 'ROLE REGEX'");
		snprintf(role, sizeof(role), "%.*s", (int)n, v);
		if (role_ok(ld, role, line))
			return -1;
		rest = v + n + strspn(v + n, " \t");
		return add_pattern(ld, &x->output, role, rest, line);
	case K_PANIC:
		if (!strcmp(v, "yes") || !strcmp(v, "no")) {
			x->has_panic = true;
			x->panic = v[0] == 'y';
			x->panic_line = line;
			return 0;
		}
		return err_at(ld->e, ld->path, line, "panic: expected yes or no, got '%s'", v);
	case K_CONSOLE:
		if (strchr(v, '{') && (strstr(v, "{pid:") || strstr(v, "{cgroup}")))
			return err_at(ld->e, ld->path, line, "console: placeholders are not available "
				      "(the host reads the console after the guest is gone)");
		return add_pattern(ld, &x->console, "", v, line);
	case K_SAMPLE: return parse_sample(ld, x, v, line);
	case K_OOM_EVENTS:
		return parse_count(ld, key_names[k], v, line, &x->oom_events, &x->has_oom_events,
				   &x->oom_events_line);
	case K_USAGE: {
		unsigned usage_ops = CMP_ORDERING | (1u << CMP_LT) | (1u << CMP_LE);
		char size[32];
		size_t bytes, oplen;
		int op = cmp_op_at(v, usage_ops, &oplen);

		if (op < 0 || sscanf(v + oplen, " %31s", size) != 1 || parse_size(size, &bytes) ||
		    bytes == SIZE_MAX || !strncmp(v, "==", 2))
			return err_at(ld->e, ld->path, line, "usage: expected 'OP SIZE', e.g. '>= 48M'");
		x->usage_op = (enum cmp_op)op;
		x->usage = (long long)bytes;
		x->usage_line = line;
		x->has_usage = true;
		return 0;
	}
	case K_CHANGE:
		if (strcmp(v, "applied") && errno_named(v) < 0)
			return err_at(ld->e, ld->path, line, "change: expected applied or an errno name "
				      "such as EBUSY, got '%s'", v);
		snprintf(x->change, sizeof(x->change), "%s", v);
		x->change_line = line;
		return 0;
	case K_OUTPUT_LINES: {
		long count;

		n = strcspn(v, " \t");
		if (n == 0 || n >= sizeof(role))
			return err_at(ld->e, ld->path, line, "output_lines: expected 'ROLE COUNT REGEX'");
		snprintf(role, sizeof(role), "%.*s", (int)n, v);
		if (role_ok(ld, role, line))
			return -1;
		rest = v + n + strspn(v + n, " \t");
		n = strcspn(rest, " \t");
		{
			char num[24];

			snprintf(num, sizeof(num), "%.*s", (int)(n < 23 ? n : 23), rest);
			if (parse_long(num, &count) || count < 0 || !rest[n])
				return err_at(ld->e, ld->path, line, "output_lines: expected 'ROLE COUNT REGEX'");
		}
		rest += n + strspn(rest + n, " \t");
		if (add_pattern(ld, &x->output_lines, role, rest, line))
			return -1;
		x->output_lines.p[x->output_lines.n - 1].count = count;
		return 0;
	}
	case K_COUNT: break;
	}
	return -1;
}

/* "expect" or "expect kernel >= 5.4, cgroup v2": does it apply here? */
static int section_applies(struct loader *ld, const struct ini_section *s,
			   const struct expect_env *env, bool *applies)
{
	char buf[256], *tok, *save;

	*applies = true;
	if (!strcmp(s->name, "expect"))
		return 0;
	if (strncmp(s->name, "expect ", 7))
		return err_at(ld->e, ld->path, s->line, "unknown section [%s] (known: [expect], "
			      "[expect CONDITION, ...])", s->name);
	snprintf(buf, sizeof(buf), "%s", s->name + 7);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct kcond kc;

		tok += strspn(tok, " \t");
		tok[strcspn(tok, "\n")] = '\0';
		if (!strncmp(tok, "kernel", 6) && !kcond_parse(tok + 6, &kc)) {
			*applies &= kcond_holds(&kc, &env->kernel);
		} else if (!strcmp(tok, "cgroup v1") || !strcmp(tok, "cgroup v2")) {
			*applies &= env->cgroup_version == tok[8] - '0';
		} else {
			return err_at(ld->e, ld->path, s->line, "unknown condition '%s' (known: kernel "
				      "OP VERSION, cgroup v1, cgroup v2)", tok);
		}
	}
	return 0;
}

/* A role in both lists, which no run can satisfy: file:line of the later list. */
static int disjoint(struct loader *ld, const struct role_list *a, const char *an,
		    const struct role_list *b, const char *bn)
{
	for (int i = 0; i < a->n; i++)
		if (role_listed(b, a->role[i]))
			return err_at(ld->e, ld->path, a->line > b->line ? a->line : b->line,
				      "'%s' is both %s (line %d) and %s (line %d): it cannot be both",
				      a->role[i], an, a->line, bn, b->line);
	return 0;
}

/*
 * Expectations that cannot all hold, once the sections that apply are merged: a role
 * both killed and survived, or both an OOM victim and survived.
 */
static int check_consistent(struct loader *ld, const struct expect_spec *x)
{
	if (disjoint(ld, &x->killed, "killed", &x->survived, "survived") ||
	    disjoint(ld, &x->victims, "a victim", &x->survived, "survived"))
		return -1;
	return 0;
}

void expect_free(struct expect_spec *x)
{
	free_patterns(&x->output_lines);
	free_patterns(&x->dmesg);
	free_patterns(&x->no_dmesg);
	free_patterns(&x->output);
	free_patterns(&x->console);
}

int expect_load(struct expect_spec *x, const char *path, const struct case_spec *c,
		const struct expect_env *env, struct err *e)
{
	struct loader ld = { .path = path, .c = c, .e = e };
	int owner[K_COUNT], sec, i = 0, rc = -1;
	struct expect_spec *scratch;
	struct ini ini;

	memset(x, 0, sizeof(*x));
	snprintf(x->path, sizeof(x->path), "%s", path);
	scratch = calloc(1, sizeof(*scratch));
	if (!scratch)
		return err_set(e, ENOMEM, "reading %s", path);
	for (i = 0; i < K_COUNT; i++)
		owner[i] = -1;
	i = 0;
	if (ini_load(&ini, path, e))
		goto out;
	if (!ini.nsections) {
		err_at(e, path, 0, "no [expect] section");
		goto out;
	}
	for (sec = 0; sec < ini.nsections; sec++) {
		bool applies;

		if (section_applies(&ld, &ini.sections[sec], env, &applies))
			goto out;
		for (; i < ini.nentries && ini.entries[i].section == sec; i++) {
			const struct ini_entry *en = &ini.entries[i];
			struct expect_spec *target = applies ? x : scratch;
			int k;

			for (k = 0; k < K_COUNT && strcmp(en->key, key_names[k]); k++)
				;
			if (k == K_COUNT) {
				char known[512];
				size_t used = 0, n;

				for (n = 0; n < K_COUNT && used < sizeof(known); n++)
					used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
								 n ? ", " : "", key_names[n]);
				err_at(e, path, en->line, "unknown key '%s' (known: %s)", en->key, known);
				goto out;
			}
			if (k != K_DMESG && k != K_NO_DMESG && k != K_OUTPUT && k != K_EXIT &&
			    k != K_CONSOLE && k != K_SAMPLE && k != K_OUTPUT_LINES && ini_earlier(&ini, i)) {
				err_at(e, path, en->line, "second '%s' in this section (the first is at "
				       "line %d)", en->key, ini_earlier(&ini, i)->line);
				goto out;
			}
			/* The first time a section sets a key, it replaces earlier values. */
			if (!applies || owner[k] != sec) {
				reset_key(target, (enum key)k);
				if (applies)
					owner[k] = sec;
			}
			if (apply_key(&ld, target, (enum key)k, en->value, en->line))
				goto out;
		}
	}
	rc = check_consistent(&ld, x);
out:
	expect_free(scratch);
	free(scratch);
	ini_free(&ini);
	if (rc)
		expect_free(x);
	return rc;
}
