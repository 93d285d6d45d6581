// SPDX-License-Identifier: GPL-2.0
/*
 * main() for every stressor: shared options, the stressor's option table, process
 * setup, then the stressor's run().
 *
 * Shared options:
 *   --role NAME       role name; becomes the process comm (what the kernel log prints)
 *   --control-fd N    socket to the harness for the ready/go handshake
 *   --wait-go         this process is the trigger: after ready, wait for go
 *   --machine-wide    allow allocations that are not bounded by a memory cgroup
 *   --check-args      check the arguments as a case's run line gives them (resource
 *                     options hold their placeholder), print nothing, exit 0 or 2
 *   --fault SPEC      inject a fault with seccomp: SYSCALL:WHEN:ERRNO, WHEN a call
 *                     number, every, or afterN (counted faults need the harness)
 *   --help            describe the stressor and its options
 */
#include "stressor.h"
#include "shared/placeholders.h"
#include "shared/units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include "shared/words.h"

static const char *const type_names[] = {
	[OPT_SIZE] = "SIZE", [OPT_COUNT] = "N", [OPT_INT] = "N",
	[OPT_CHOICE] = "CHOICE", [OPT_FLAG] = "", [OPT_STRING] = "TEXT",
};

static void usage(FILE *out)
{
	const struct stressor_opt *o;

	fprintf(out, "usage: %s [--role NAME] [--control-fd N] [--wait-go] [--machine-wide]\n"
		"       %*s [--fault SYSCALL:WHEN:ERRNO] [--check-args] [--help] [OPTIONS]\n\n"
		"%s\nKernel rule: %s\n\nOptions:\n",
		stressor.name, (int)strlen(stressor.name), "", stressor.summary, stressor.rule);
	for (o = stressor.opts; o->name; o++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s %s", o->name,
			 o->type == OPT_CHOICE ? o->choices : type_names[o->type]);
		fprintf(out, "  %-34s %s", left, o->help);
		if (o->def)
			fprintf(out, " (default %s)", o->def);
		fputc('\n', out);
	}
	fprintf(out, "\nSIZE: bytes with an optional K, M, G or T suffix, or max.\n\nExit codes:\n");
	for (int code = 0; code < ST_EXIT_COUNT; code++)
		fprintf(out, "  %d  %s\n", code, stressor_exits[code].meaning);
}

static int bad_value(const struct stressor_opt *o, const char *value, const char *why)
{
	fprintf(stderr, "%s: --%s: invalid value '%s': %s\n", stressor.name, o->name, value, why);
	return -1;
}

static bool choice_ok(const char *choices, const char *value)
{
	size_t n = strlen(value);
	const char *p = choices;

	if (!n || strchr(value, '|'))
		return false;
	while (p) {
		if (!strncmp(p, value, n) && (p[n] == '|' || p[n] == '\0'))
			return true;
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return false;
}

/*
 * In a case's run line: an option for a resource holds exactly its placeholder, and
 * no other option holds one. Returns 1 when the value was a placeholder (accepted, not
 * parsed), 0 when it is an ordinary value, -1 on a mistake (reported).
 */
static int check_placeholder(const struct stressor_opt *o, const char *value)
{
	char why[256];
	int ph;

	if (o->placeholder) {
		if (!strcmp(value, o->placeholder))
			return 1;
		ph = placeholder_at(o->placeholder);
		snprintf(why, sizeof(why), "in a case this is %s: %s", o->placeholder,
			 ph >= 0 ? placeholders[ph].what : "");
		return bad_value(o, value, why);
	}
	for (ph = 0; ph < PH_COUNT; ph++)
		if (placeholder_in(value, (enum placeholder)ph))
			return bad_value(o, value, "placeholders stand only for the options that "
					 "name a resource (swapoff --file, shmem --path, shmem --key)");
	return 0;
}

static int set_option(const struct stressor_opt *o, const char *value, bool case_line)
{
	long v;

	if (case_line) {
		int rc = check_placeholder(o, value);

		if (rc)
			return rc < 0 ? -1 : 0;
	}
	switch (o->type) {
	case OPT_SIZE:
		if (parse_size(value, o->dest))
			return bad_value(o, value, "expected a size such as 64M or max");
		return 0;
	case OPT_COUNT:
	case OPT_INT:
		if (parse_long(value, &v) || (o->type == OPT_COUNT && v < 0))
			return bad_value(o, value, o->type == OPT_COUNT ? "expected a count >= 0"
								   : "expected a whole number");
		*(long *)o->dest = v;
		return 0;
	case OPT_CHOICE:
		if (!choice_ok(o->choices, value))
			return bad_value(o, value, o->choices);
		*(const char **)o->dest = value;
		return 0;
	case OPT_STRING:
		*(const char **)o->dest = value;
		return 0;
	case OPT_FLAG:
		*(bool *)o->dest = true;
		return 0;
	}
	return -1;
}

static const struct stressor_opt *find_option(const char *name, size_t len)
{
	const struct stressor_opt *o;

	for (o = stressor.opts; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static int apply_defaults(void)
{
	const struct stressor_opt *o;

	for (o = stressor.opts; o->name; o++) {
		if (o->type == OPT_FLAG)
			*(bool *)o->dest = false;
		else if (o->def && set_option(o, o->def, false))
			return -1;
	}
	return 0;
}

static bool named(const char *arg, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(arg, name, len);
}

static int add_fault(struct stressor_ctx *ctx, const char *value)
{
	char msg[256];

	if (ctx->nfaults == FAULTS_MAX) {
		fprintf(stderr, "%s: at most %d faults\n", stressor.name, FAULTS_MAX);
		return -1;
	}
	if (fault_parse(value, ':', &ctx->faults[ctx->nfaults], msg, sizeof(msg))) {
		fprintf(stderr, "%s: --fault %s\n", stressor.name, msg);
		return -1;
	}
	ctx->nfaults++;
	return 0;
}

static int set_role(struct stressor_ctx *ctx, const char *value)
{
	if (!*value || strlen(value) > 15) {
		fprintf(stderr, "%s: --role: '%s' must be 1 to 15 characters\n", stressor.name, value);
		return -1;
	}
	ctx->role = value;
	return 0;
}

static int set_control_fd(struct stressor_ctx *ctx, const char *value)
{
	long n;

	if (parse_long(value, &n) || n < 0 || n > 1023) {
		fprintf(stderr, "%s: --control-fd: invalid descriptor '%s'\n", stressor.name, value);
		return -1;
	}
	ctx->control_fd = (int)n;
	return 0;
}

/* Returns 0, 1 for --help, -1 on a bad argument (already reported). */
static int parse_args(int argc, char **argv, struct stressor_ctx *ctx, bool *check_only)
{
	int i;

	/* Known before any option is set: a run line is checked as the case wrote it. */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--check-args"))
			*check_only = true;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq, *value = NULL;
		const struct stressor_opt *o;
		bool *flag = NULL;
		size_t len;

		if (!starts_with(arg, "--")) {
			fprintf(stderr, "%s: unexpected argument '%s' (options start with --)\n",
				stressor.name, arg);
			return -1;
		}
		arg += 2;
		eq = strchr(arg, '=');
		len = eq ? (size_t)(eq - arg) : strlen(arg);
		if (eq)
			value = eq + 1;
		if (named(arg, len, "help"))
			return 1;

		o = find_option(arg, len);
		if (named(arg, len, "wait-go"))
			flag = &ctx->wait_go;
		else if (named(arg, len, "machine-wide"))
			flag = &ctx->machine_wide;
		else if (named(arg, len, "check-args"))
			flag = check_only;
		else if (o && o->type == OPT_FLAG)
			flag = o->dest;
		if (flag) {
			if (value) {
				fprintf(stderr, "%s: --%.*s takes no value\n", stressor.name, (int)len, arg);
				return -1;
			}
			*flag = true;
			continue;
		}
		if (!o && !named(arg, len, "role") && !named(arg, len, "control-fd") &&
		    !named(arg, len, "fault")) {
			fprintf(stderr, "%s: unknown option --%.*s (see --help)\n", stressor.name,
				(int)len, arg);
			return -1;
		}
		if (!value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: --%.*s needs a value\n", stressor.name, (int)len, arg);
				return -1;
			}
			value = argv[++i];
		}
		if (o ? set_option(o, value, *check_only) : named(arg, len, "fault") ? add_fault(ctx, value)
		      : named(arg, len, "role") ? set_role(ctx, value) : set_control_fd(ctx, value))
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char stdout_buf[4096];
	struct stressor_ctx ctx = { .role = stressor.name, .control_fd = -1 };
	bool check_only = false;
	int rc;

	/* Line-buffered, in a buffer of our own: printing never calls malloc, which
	 * matters once a stressor has moved the heap's break itself (hog --alloc brk). */
	setvbuf(stdout, stdout_buf, _IOLBF, sizeof(stdout_buf));
	if (apply_defaults()) {
		fprintf(stderr, "%s: internal error: a default value does not parse\n", stressor.name);
		return ST_EXIT_INTERNAL;
	}
	rc = parse_args(argc, argv, &ctx, &check_only);
	if (rc == 1) {
		usage(stdout);
		return ST_EXIT_OK;
	}
	if (rc < 0)
		return ST_EXIT_USAGE;
	if (check_only)
		return ST_EXIT_OK;

	/* The kernel log names processes by comm: make it the role name. */
	if (prctl(PR_SET_NAME, ctx.role, 0, 0, 0))
		st_msg(&ctx, errno, "cannot set comm to '%s'", ctx.role);
	rc = sandbox_install(&ctx);
	if (rc)
		return rc;
	return stressor.run(&ctx);
}
