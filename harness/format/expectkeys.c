// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of an expected file, one table, and the kinds of value they take: each
 * kind reads a value into its field of struct expect_spec, forgets it, and prints it.
 * Adding a key is a row here (a new kind of value: its three functions too) and its
 * check in judge/.
 */
#include "format/expectkeys.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shared/faultspec.h"
#include "shared/units.h"
#include "shared/arrays.h"
#include "shared/words.h"

const char *const sample_field_names[SAMPLE_FIELDS] = { "oom_score", "oom_score_adj", "oom_adj" };

typedef void (*line_fn)(void *ctx, const char *text);

void expect_print_kv(const struct expect_key *k, const char *value, line_fn line, void *ctx)
{
	char text[4200];

	snprintf(text, sizeof(text), "%s = %s", k->name, value);
	line(ctx, text);
}

/* Roles: "a, b, c" or "none". A role may repeat only where it may die twice (allow). */

bool role_listed(const struct role_list *rl, const char *role)
{
	for (int i = 0; i < rl->n; i++)
		if (!strcmp(rl->role[i], role))
			return true;
	return false;
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

static int parse_roles(struct expect_loader *ld, const struct expect_key *k, void *field,
		       const char *value, int line)
{
	struct role_list *rl = field;
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
		if (expect_role_ok(ld, tok, line))
			return -1;
		if (!k->allow && role_listed(rl, tok))
			return err_at(ld->e, ld->path, line, "'%s' appears twice in the list", tok);
		if (rl->n == CASE_MAX_PROCS)
			return err_at(ld->e, ld->path, line, "too many roles");
		snprintf(rl->role[rl->n++], ROLE_MAX, "%s", tok);
	}
	return 0;
}

static void reset_roles(void *field)
{
	memset(field, 0, sizeof(struct role_list));
}

void role_list_text(const struct role_list *rl, char *out, size_t len)
{
	size_t used = 0;
	int i;

	snprintf(out, len, "none");
	for (i = 0; i < rl->n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "", rl->role[i]);
}

static void print_roles(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct role_list *rl = field;
	char list[400];

	if (!rl->set)
		return;
	role_list_text(rl, list, sizeof(list));
	expect_print_kv(k, list, line, ctx);
}

/* A count: "N". */

static int parse_count(struct expect_loader *ld, const struct expect_key *k, void *field,
		       const char *value, int line)
{
	struct count_expect *c = field;

	if (parse_long(value, &c->value) || c->value < 0)
		return err_at(ld->e, ld->path, line, "%s: '%s' is not a count", k->name, value);
	c->set = true;
	c->line = line;
	return 0;
}

static void reset_count(void *field)
{
	memset(field, 0, sizeof(struct count_expect));
}

static void print_count(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct count_expect *c = field;
	char text[32];

	if (!c->set)
		return;
	snprintf(text, sizeof(text), "%ld", c->value);
	expect_print_kv(k, text, line, ctx);
}

/* usage: "OP SIZE" */

static int parse_usage(struct expect_loader *ld, const struct expect_key *k, void *field,
		       const char *value, int line)
{
	unsigned ops = CMP_ORDERING | (1u << CMP_LT) | (1u << CMP_LE);
	struct usage_expect *u = field;
	char size[32];
	size_t bytes, oplen;
	int op = cmp_op_at(value, ops, &oplen);

	if (op < 0 || sscanf(value + oplen, " %31s", size) != 1 || parse_size(size, &bytes) ||
	    bytes == SIZE_MAX || starts_with(value, "=="))
		return err_at(ld->e, ld->path, line, "%s: expected 'OP SIZE', e.g. '>= 48M'", k->name);
	*u = (struct usage_expect){ .set = true, .line = line, .op = (enum cmp_op)op,
				    .bytes = (long long)bytes };
	return 0;
}

static void reset_usage(void *field)
{
	memset(field, 0, sizeof(struct usage_expect));
}

static void print_usage(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct usage_expect *u = field;
	char text[48];

	if (!u->set)
		return;
	snprintf(text, sizeof(text), "%s %lld", cmp_op_text(u->op), u->bytes);
	expect_print_kv(k, text, line, ctx);
}

/* change: "applied" or an errno name */

static int parse_change(struct expect_loader *ld, const struct expect_key *k, void *field,
			const char *value, int line)
{
	struct word_expect *w = field;

	if (strcmp(value, "applied") && errno_named(value) < 0)
		return err_at(ld->e, ld->path, line, "%s: expected applied or an errno name such as "
			      "EBUSY, got '%s'", k->name, value);
	snprintf(w->word, sizeof(w->word), "%s", value);
	w->line = line;
	return 0;
}

static void reset_word(void *field)
{
	memset(field, 0, sizeof(struct word_expect));
}

static void print_word(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct word_expect *w = field;

	if (w->word[0])
		expect_print_kv(k, w->word, line, ctx);
}

/* An order chain: "a > b >= c = d" */

static int parse_order(struct expect_loader *ld, const struct expect_key *k, void *field,
		       const char *value, int line)
{
	struct order_chain *oc = field;
	const char *s = value;
	int op;

	(void)k;
	*oc = (struct order_chain){ .set = true, .line = line };
	for (;;) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, " \t<>=");
		if (n == 0 || n >= ROLE_MAX)
			return err_at(ld->e, ld->path, line, "order: expected a role at '%s'", s);
		if (oc->n == CASE_MAX_PROCS)
			return err_at(ld->e, ld->path, line, "order: too many roles");
		snprintf(oc->role[oc->n], ROLE_MAX, "%.*s", (int)n, s);
		if (expect_role_ok(ld, oc->role[oc->n], line))
			return -1;
		for (int r = 0; r < oc->n; r++)
			if (!strcmp(oc->role[r], oc->role[oc->n]))
				return err_at(ld->e, ld->path, line, "order: '%s' appears twice (a chain names "
					      "each role once)", oc->role[r]);
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

static void reset_order(void *field)
{
	memset(field, 0, sizeof(struct order_chain));
}

static void print_order(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct order_chain *oc = field;
	char text[512];
	size_t used;

	if (!oc->set)
		return;
	used = (size_t)snprintf(text, sizeof(text), "%s", oc->role[0]);
	for (int i = 1; i < oc->n && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, " %s %s",
					 cmp_op_text(oc->op[i - 1]), oc->role[i]);
	expect_print_kv(k, text, line, ctx);
}

/* A check on by default: "yes", or "no, WHY" (the reason is shown when it is skipped). */
static int parse_optout(struct expect_loader *ld, const struct expect_key *k, void *field,
			const char *value, int line)
{
	struct check_optout *o = field;
	const char *why;

	*o = (struct check_optout){ .line = line };
	if (!strcmp(value, "yes"))
		return 0;
	why = after_prefix(value, "no,");
	if (why)
		why += strspn(why, " \t");
	if (!why || !*why)
		return err_at(ld->e, ld->path, line, "%s: expected yes, or no with the reason "
			      "('no, the swapoff caller is chosen before any scoring'), got '%s'",
			      k->name, value);
	o->off = true;
	snprintf(o->why, sizeof(o->why), "%s", why);
	return 0;
}

static void reset_optout(void *field)
{
	memset(field, 0, sizeof(struct check_optout));
}

static void print_optout(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct check_optout *o = field;
	char text[200];

	if (!o->off)
		return;
	snprintf(text, sizeof(text), "no, %s", o->why);
	expect_print_kv(k, text, line, ctx);
}

/* exit: "ROLE CODE" */

static int parse_exit(struct expect_loader *ld, const struct expect_key *k, void *field,
		      const char *value, int line)
{
	struct exit_list *el = field;
	char role[ROLE_MAX];
	long code;
	size_t n = strcspn(value, " \t");

	(void)k;
	if (n == 0 || n >= sizeof(role))
		return err_at(ld->e, ld->path, line, "exit: expected 'ROLE CODE'");
	snprintf(role, sizeof(role), "%.*s", (int)n, value);
	if (expect_role_ok(ld, role, line))
		return -1;
	if (parse_long(value + n + strspn(value + n, " \t"), &code) || code < 0 || code > 255)
		return err_at(ld->e, ld->path, line, "exit: expected 'ROLE CODE' with CODE 0 to 255");
	if (el->n == CASE_MAX_PROCS)
		return err_at(ld->e, ld->path, line, "too many exit lines");
	el->e[el->n] = (struct exit_expect){ .line = line, .code = (int)code };
	snprintf(el->e[el->n++].role, ROLE_MAX, "%s", role);
	return 0;
}

static void reset_exits(void *field)
{
	((struct exit_list *)field)->n = 0;
}

static void print_exits(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct exit_list *el = field;
	char text[64];

	for (int i = 0; i < el->n; i++) {
		snprintf(text, sizeof(text), "%s %d", el->e[i].role, el->e[i].code);
		expect_print_kv(k, text, line, ctx);
	}
}

/* sample: "ROLE FIELD VALUE" */

static int parse_sample(struct expect_loader *ld, const struct expect_key *k, void *field,
			const char *v, int line)
{
	struct sample_list *sl = field;
	char role[ROLE_MAX], name[32], value[32];
	struct sample_expect *se;
	int f;

	(void)k;
	if (sscanf(v, "%15s %31s %31s", role, name, value) != 3)
		return err_at(ld->e, ld->path, line, "sample: expected 'ROLE FIELD VALUE'");
	if (expect_role_ok(ld, role, line))
		return -1;
	for (f = 0; f < SAMPLE_FIELDS && strcmp(name, sample_field_names[f]); f++)
		;
	if (f == SAMPLE_FIELDS)
		return err_at(ld->e, ld->path, line, "sample: unknown field '%s' (known: oom_score, "
			      "oom_score_adj, oom_adj)", name);
	if (sl->n == (int)ARRAY_SIZE(sl->s))
		return err_at(ld->e, ld->path, line, "too many samples");
	se = &sl->s[sl->n];
	if (parse_long(value, &se->value))
		return err_at(ld->e, ld->path, line, "sample: '%s' is not a number", value);
	se->line = line;
	se->field = (enum sample_field)f;
	snprintf(se->role, sizeof(se->role), "%s", role);
	sl->n++;
	return 0;
}

static void reset_samples(void *field)
{
	((struct sample_list *)field)->n = 0;
}

static void print_samples(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct sample_list *sl = field;
	char text[96];

	for (int i = 0; i < sl->n; i++) {
		snprintf(text, sizeof(text), "%s %s %ld", sl->s[i].role,
			 sample_field_names[sl->s[i].field], sl->s[i].value);
		expect_print_kv(k, text, line, ctx);
	}
}

/* panic: "yes" or "no" */

static int parse_yes_no(struct expect_loader *ld, const struct expect_key *k, void *field,
			const char *value, int line)
{
	struct yes_no_expect *y = field;

	if (strcmp(value, "yes") && strcmp(value, "no"))
		return err_at(ld->e, ld->path, line, "%s: expected yes or no, got '%s'", k->name, value);
	*y = (struct yes_no_expect){ .set = true, .line = line, .yes = value[0] == 'y' };
	return 0;
}

static void reset_yes_no(void *field)
{
	memset(field, 0, sizeof(struct yes_no_expect));
}

static void print_yes_no(const struct expect_key *k, const void *field, line_fn line, void *ctx)
{
	const struct yes_no_expect *y = field;

	if (y->set)
		expect_print_kv(k, y->yes ? "yes" : "no", line, ctx);
}

static const struct expect_type roles = { parse_roles, reset_roles, print_roles };
static const struct expect_type count = { parse_count, reset_count, print_count };
static const struct expect_type usage = { parse_usage, reset_usage, print_usage };
static const struct expect_type change = { parse_change, reset_word, print_word };
static const struct expect_type order = { parse_order, reset_order, print_order };
static const struct expect_type optout = { parse_optout, reset_optout, print_optout };
static const struct expect_type exits = { parse_exit, reset_exits, print_exits };
static const struct expect_type samples = { parse_sample, reset_samples, print_samples };
static const struct expect_type yes_no = { parse_yes_no, reset_yes_no, print_yes_no };

#define FIELD(f) offsetof(struct expect_spec, f)

/* In the order --validate -v prints them. */
static const struct expect_key keys[] = {
	{ "killed", false, FIELD(killed), &roles, false, "`ROLE, ROLE...`",
	  "every process of each role died by SIGKILL before cleanup began" },
	{ "survived", false, FIELD(survived), &roles, false, "`ROLE, ROLE...`",
	  "no process of each role was SIGKILLed (alive, or exited by itself)" },
	{ "victims", false, FIELD(victims), &roles, true, "`ROLE, ROLE...` or `none`",
	  "the `Killed process` lines of this case name exactly these roles, in this order" },
	{ "first_victim", false, FIELD(first_victim), &roles, false, "`ROLE`",
	  "the first `Killed process` line of this case names this role (others may follow: a "
	  "second victim, a replay's later kills)" },
	{ "oom_kills", false, FIELD(oom_kills), &count, false, "count",
	  "the cgroup's OOM kill counter (v2 `memory.events` `oom_kill`, v1 `memory.oom_control` "
	  "`oom_kill`) equals it; before 4.13, which has no counter, the number of `Killed "
	  "process` lines" },
	{ "oom_events", false, FIELD(oom_events), &count, false, "count",
	  "cgroup v2 only (`memory.events` `oom`: times the limit was hit with the OOM killer as "
	  "the way out); put it in an `[expect cgroup v2]` section" },
	{ "usage", false, FIELD(usage), &usage, false,
	  "`OP SIZE`, OP one of `<` `<=` `>` `>=` `=`",
	  "the cgroup's memory usage once the log settled (what is still charged after the kills)" },
	{ "change", false, FIELD(change), &change, false, "`applied`, or an errno name such as "
	  "`EBUSY`", "what the kernel said to the case's `[change]`" },
	{ "order", false, FIELD(order), &order, false, "`ROLE > ROLE >= ROLE = ROLE`",
	  "`/proc/PID/oom_score`, sampled after every process said ready and before go, is "
	  "ordered so" },
	{ "model_order", false, FIELD(model_order), &order, false, "`ROLE > ROLE >= ROLE = ROLE`",
	  "the badness model ([model.md](model.md)) on the same samples, in the case's own domain "
	  "(its cgroup's limit plus allowed swap), is ordered so. It can differ from `order`: "
	  "oom_score scales oom_score_adj by the whole machine" },
	{ "model_score", false, FIELD(model_score), &optout, false, "`yes` (default) or `no, "
	  "REASON`", "every process's oom_score from the model equals the kernel's, within the "
	  "slack of the kernel's RSS counters ([model.md](model.md); ±1 on a large machine). On "
	  "unless turned off, with the reason" },
	{ "model_victim", false, FIELD(model_victim), &optout, false, "`yes` (default) or `no, "
	  "REASON`", "for every OOM event of the case with a task table, the victim the model "
	  "picks from the table is the one the kernel killed. On unless turned off, with the "
	  "reason" },
	{ "report_tasks", false, FIELD(report_tasks), &optout, false, "`yes` (default) or `no, "
	  "REASON`", "the task table of the case's first OOM report lists every process of the case "
	  "that was alive (all but those that exited by themselves) in the report's OOM domain, "
	  "each with the oom_score_adj /proc showed before go and at least half the anonymous "
	  "memory and swap it had then (rss + swapents); while `vm.oom_dump_tasks` is on. On "
	  "unless turned off, with the reason" },
	{ "report_shape", false, FIELD(report_shape), &optout, false, "`yes` (default) or `no, "
	  "REASON`", "each OOM report of the case has the lines and fields that "
	  "[kernel-log-formats.md](kernel-log-formats.md) gives for the running kernel's version "
	  "(the trigger line and its fields, the `CPU:` line, the `oom-kill:` summary, the memcg "
	  "usage or Mem-Info, the task table's columns, the `Killed process` line's fields): a field "
	  "gone is format drift. A report whose header the kernel's rate limit kept back is not "
	  "judged. On unless turned off, with the reason" },
	{ "exit", true, FIELD(exits), &exits, false, "`ROLE CODE`",
	  "the role's process exited by itself with that code (repeatable)" },
	{ "sample", true, FIELD(samples), &samples, false, "`ROLE FIELD VALUE`, FIELD one of "
	  "`oom_score`, `oom_score_adj`, `oom_adj`", "`/proc/PID/FIELD`, read after every process "
	  "said ready and before go, is VALUE (repeatable)" },
	{ "panic", false, FIELD(panic), &yes_no, false, "`yes` or `no`",
	  "VM only, judged by the host: the guest's kernel panics (`Kernel panic - not syncing` on "
	  "its console) while the case runs. Use with `own_boot = yes`" },
	{ "output_lines", true, FIELD(output_lines), &expect_output_lines_type, false, "`ROLE COUNT REGEX`",
	  "exactly COUNT lines of the role's output match (repeatable)" },
	{ "dmesg", true, FIELD(dmesg), &expect_pattern_type, false, "extended regular expression",
	  "some kernel log line of the case matches (repeatable; \"of the case\" below)" },
	{ "no_dmesg", true, FIELD(no_dmesg), &expect_pattern_type, false, "extended regular expression",
	  "no kernel log line of the case matches (repeatable)" },
	{ "output", true, FIELD(output), &expect_output_type, false, "`ROLE REGEX`",
	  "a line of the role's stdout/stderr matches (repeatable)" },
	{ "console", true, FIELD(console), &expect_pattern_type, true, "extended regular expression",
	  "VM only, judged by the host: a line of the guest's console log matches (repeatable; no "
	  "placeholders)" },
};

const struct expect_key *expect_key_named(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

int expect_key_index(const struct expect_key *k)
{
	return (int)(k - keys);
}

void expect_key_names(char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(keys) && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "", keys[i].name);
}

int expect_key_parse(const struct expect_key *k, struct expect_loader *ld, struct expect_spec *x,
		     const char *value, int line)
{
	return k->type->parse(ld, k, (char *)x + k->field, value, line);
}

void expect_key_reset(const struct expect_key *k, struct expect_spec *x)
{
	k->type->reset((char *)x + k->field);
}

void expect_print(const struct expect_spec *x, line_fn line, void *ctx)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		keys[i].type->print(&keys[i], (const char *)x + keys[i].field, line, ctx);
}

void expect_free(struct expect_spec *x)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].type->reset == expect_pattern_type.reset)
			expect_key_reset(&keys[i], x);
}

void expect_keys_markdown(FILE *out)
{
	fprintf(out, "| key | value | passes when |\n|---|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		fprintf(out, "| `%s` | %s | %s |\n", keys[i].name, keys[i].value, keys[i].passes);
}

_Static_assert(ARRAY_SIZE(keys) <= EXPECT_KEYS_MAX, "EXPECT_KEYS_MAX is too small");
