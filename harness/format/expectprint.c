// SPDX-License-Identifier: GPL-2.0
/* The expectations in effect, as text: for --validate -v and the judge's messages. */
#include "format/expectfile.h"

#include <stdio.h>

void role_list_text(const struct role_list *rl, char *out, size_t len)
{
	size_t used = 0;
	int i;

	snprintf(out, len, "none");
	for (i = 0; i < rl->n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "", rl->role[i]);
}

static void print_roles(const char *key, const struct role_list *rl,
			void (*line)(void *ctx, const char *text), void *ctx)
{
	char list[400], text[512];

	if (!rl->set)
		return;
	role_list_text(rl, list, sizeof(list));
	snprintf(text, sizeof(text), "%s = %s", key, list);
	line(ctx, text);
}

static void print_order(const char *key, const struct order_chain *oc,
			void (*line)(void *ctx, const char *text), void *ctx)
{
	char text[512];
	size_t used;
	int i;

	if (!oc->set)
		return;
	used = (size_t)snprintf(text, sizeof(text), "%s = %s", key, oc->role[0]);
	for (i = 1; i < oc->n && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, " %s %s", cmp_op_text(oc->op[i - 1]),
					 oc->role[i]);
	line(ctx, text);
}

static void print_optout(const char *key, const struct model_optout *o,
			 void (*line)(void *ctx, const char *text), void *ctx)
{
	char text[256];

	if (!o->off)
		return;
	snprintf(text, sizeof(text), "%s = no, %s", key, o->why);
	line(ctx, text);
}

void expect_print(const struct expect_spec *x, void (*line)(void *ctx, const char *text), void *ctx)
{
	const struct pattern_list *lists[] = { &x->dmesg, &x->no_dmesg, &x->output, &x->console };
	const char *names[] = { "dmesg", "no_dmesg", "output", "console" };
	char text[4200];
	size_t l;
	int i;

	print_roles("killed", &x->killed, line, ctx);
	print_roles("survived", &x->survived, line, ctx);
	print_roles("victims", &x->victims, line, ctx);
	if (x->has_oom_kills) {
		snprintf(text, sizeof(text), "oom_kills = %ld", x->oom_kills);
		line(ctx, text);
	}
	if (x->has_oom_events) {
		snprintf(text, sizeof(text), "oom_events = %ld", x->oom_events);
		line(ctx, text);
	}
	if (x->has_usage) {
		snprintf(text, sizeof(text), "usage = %s %lld", cmp_op_text(x->usage_op), x->usage);
		line(ctx, text);
	}
	if (x->change[0]) {
		snprintf(text, sizeof(text), "change = %s", x->change);
		line(ctx, text);
	}
	print_order("order", &x->order, line, ctx);
	print_order("model_order", &x->model_order, line, ctx);
	print_optout("model_score", &x->model_score, line, ctx);
	print_optout("model_victim", &x->model_victim, line, ctx);
	for (i = 0; i < x->nexits; i++) {
		snprintf(text, sizeof(text), "exit = %s %d", x->exits[i].role, x->exits[i].code);
		line(ctx, text);
	}
	for (i = 0; i < x->nsamples; i++) {
		snprintf(text, sizeof(text), "sample = %s %s %ld", x->samples[i].role,
			 sample_field_names[x->samples[i].field], x->samples[i].value);
		line(ctx, text);
	}
	if (x->has_panic) {
		snprintf(text, sizeof(text), "panic = %s", x->panic ? "yes" : "no");
		line(ctx, text);
	}
	for (i = 0; i < x->output_lines.n; i++) {
		snprintf(text, sizeof(text), "output_lines = %s %ld %s", x->output_lines.p[i].role,
			 x->output_lines.p[i].count, x->output_lines.p[i].text);
		line(ctx, text);
	}
	for (l = 0; l < 4; l++) {
		for (i = 0; i < lists[l]->n; i++) {
			snprintf(text, sizeof(text), "%s = %s%s%s", names[l], lists[l]->p[i].role,
				 lists[l]->p[i].role[0] ? " " : "", lists[l]->p[i].text);
			line(ctx, text);
		}
	}
}
