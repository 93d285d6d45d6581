// SPDX-License-Identifier: GPL-2.0
/*
 * oomlab cgroup: the cgroup layer on the command line. `info` shows where oomlab
 * would create cgroups and what the kernel offers there; the other commands drive one
 * backend operation on an existing cgroup below that root (they never create or
 * remove one). Tests point them at fake trees with --cgroup-root and --cgroup-version.
 */
#include <stdio.h>
#include <string.h>

#include "cgroup/cgroup.h"
#include "subcommands.h"
#include "shared/units.h"
#include "shared/arrays.h"
#include "shared/words.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: oomlab cgroup [--cgroup-root DIR] [--cgroup-version 1|2] [--proc-root DIR]\n"
		"                     COMMAND [ARGS]\n"
		"  info                                 where oomlab creates cgroups, what is there\n"
		"  limit NAME --memory SIZE [--swap SIZE]  set memory.max (and swap.max)\n"
		"  counters NAME                        oom_kill, oom, limit_hits, usage\n"
		"  kill NAME                            SIGKILL everything in it\n"
		"  enable NAME                          let NAME's children use the memory controller\n"
		"NAME is an existing cgroup below the root, as a relative path.\n");
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static int info(const struct cgroup_root *r)
{
	static const char *const files[] = {
		"memory.max", "memory.swap.max", "memory.events", "memory.oom.group", "cgroup.kill",
		"memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.oom_control",
	};
	size_t i;

	printf("version: %d\ndir: %s\nkernel_path: %s\nmount: %s\nroot: %s\n", r->ops->version,
	       r->dir, r->kpath, r->mount, r->placement);
	for (i = 0; i < ARRAY_SIZE(files); i++)
		printf("%s: %s\n", files[i], yes_no(cg_has(r->dir, files[i])));
	return 0;
}

/* NAME below the root: relative, without "." or ".." components. */
static int below_root(const struct cgroup_root *r, const char *name, char *out, size_t len)
{
	const char *p = name;

	if (!*name || *name == '/')
		goto bad;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && starts_with(p, "..")))
			goto bad;
		p += n + (p[n] == '/');
	}
	snprintf(out, len, "%s/%s", r->dir, name);
	return 0;
bad:
	fprintf(stderr, "oomlab cgroup: '%s' is not a cgroup below the root %s (give a relative "
		"path without . or ..)\n", name, r->dir);
	return -1;
}

static int limit(const struct cgroup_root *r, const char *dir, int argc, char **argv,
		 struct err *e)
{
	struct cg_limits l = { .memory_max = -1, .swap_max = -1 };
	size_t v;
	int i;

	e->msg[0] = '\0';
	for (i = 0; i + 1 < argc; i += 2) {
		long long *dst = !strcmp(argv[i], "--memory") ? &l.memory_max
				 : !strcmp(argv[i], "--swap") ? &l.swap_max : NULL;

		if (!dst || parse_size(argv[i + 1], &v) || v == (size_t)-1)
			return err_set(e, 0, "bad argument '%s %s'", argv[i], argv[i + 1]);
		*dst = (long long)v;
	}
	if (i != argc || l.memory_max < 0) {
		usage(stderr);
		return -1;
	}
	return cg_set_limits(r->ops, dir, &l, true, e);
}

/* --cgroup-root, --cgroup-version, --proc-root and --help, before or after COMMAND. */
struct cg_cmd_opts {
	const char *given, *proc_root;
	int version;
	bool help;
};

/* Which name the option word is: exact, or the one it abbreviates (as getopt_long). -1: none. */
static int option_index(const char *arg, size_t n, const char *const *names, int count)
{
	int found = -1, matches = 0;

	for (int i = 0; i < count; i++) {
		if (strncmp(arg, names[i], n))
			continue;
		if (strlen(names[i]) == n)
			return i;
		found = i;
		matches++;
	}
	return matches == 1 ? found : -1;
}

/*
 * Take the options out of argv wherever they stand; what is left (COMMAND and its
 * arguments) is moved to the front. Returns how many words are left, or -1.
 */
static int take_options(int argc, char **argv, struct cg_cmd_opts *o)
{
	static const char *const names[] = { "--cgroup-root", "--cgroup-version", "--proc-root" };
	int i, left = 0;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *value = NULL;
		size_t n = strcspn(arg, "=");
		int k;
		long v;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			o->help = true;
			continue;
		}
		k = n > 2 ? option_index(arg, n, names, 3) : -1;
		if (k < 0) {
			argv[left++] = argv[i];
			continue;
		}
		value = arg[n] == '=' ? arg + n + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!value) {
			fprintf(stderr, "oomlab cgroup: %s needs a value\n", names[k]);
			return -1;
		}
		if (k == 0) {
			o->given = value;
		} else if (k == 2) {
			o->proc_root = value;
		} else if (parse_long(value, &v) || (v != 1 && v != 2)) {
			fprintf(stderr, "oomlab cgroup: --cgroup-version: expected 1 or 2, got '%s'\n", value);
			return -1;
		} else {
			o->version = (int)v;
		}
	}
	return left;
}

static int counters(const struct cgroup_root *r, const char *dir, int argc, char **argv,
		    struct err *e)
{
	struct cg_counters c;

	(void)argc;
	(void)argv;
	if (r->ops->read_counters(dir, &c, e))
		return -1;
	if (c.has_oom_kill)
		printf("oom_kill %lld\n", c.oom_kill);
	else
		printf("oom_kill unknown\n");
	printf("oom %lld\nlimit_hits %lld\nusage %lld\n", c.oom, c.limit_hits, c.usage);
	return 0;
}

static int kill_all(const struct cgroup_root *r, const char *dir, int argc, char **argv,
		    struct err *e)
{
	(void)argc;
	(void)argv;
	return r->ops->kill_all(dir, e);
}

static int enable(const struct cgroup_root *r, const char *dir, int argc, char **argv,
		  struct err *e)
{
	(void)argc;
	(void)argv;
	return r->ops->enable_memory(dir, e);
}

/* The commands on a cgroup NAME below the root; info, on the root itself, comes first. */
static const struct {
	const char *name;
	int (*run)(const struct cgroup_root *r, const char *dir, int argc, char **argv,
		   struct err *e);
} commands[] = {
	{ "info", NULL },
	{ "limit", limit },
	{ "counters", counters },
	{ "kill", kill_all },
	{ "enable", enable },
};

/* The command named cmd; -1 (said on stderr) when there is none. */
static int command_named(const char *cmd)
{
	for (int i = 0; i < (int)ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return i;
	if (cmd[0] == '-')
		fprintf(stderr, "oomlab cgroup: %s is not an option of oomlab cgroup\n", cmd);
	else
		fprintf(stderr, "oomlab cgroup: unknown command '%s'\n", cmd);
	usage(stderr);
	return -1;
}

int cgroup_main(int argc, char **argv)
{
	struct cg_cmd_opts o = { .proc_root = "/proc" };
	char dir[PATH_MAX + 256];
	struct cgroup_root root;
	struct err e;
	int cmd;

	argc = take_options(argc, argv, &o);
	if (argc < 0)
		return 1;
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	cmd = command_named(argv[0]);
	if (cmd < 0)
		return 1;
	if (cgroup_root_find(&root, o.proc_root, o.given, o.version, &e)) {
		fprintf(stderr, "oomlab cgroup: %s\n", e.msg);
		return 1;
	}
	if (!commands[cmd].run)
		return info(&root);
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (below_root(&root, argv[1], dir, sizeof(dir)))
		return 1;
	if (commands[cmd].run(&root, dir, argc - 2, argv + 2, &e)) {
		if (e.msg[0])
			fprintf(stderr, "oomlab cgroup %s: %s\n", commands[cmd].name, e.msg);
		return 1;
	}
	return 0;
}
