// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of a case file, one table, and the function that reads each. Adding a key
 * is a row here and its function (and, for a new kind of setting, what the run does
 * with it).
 */
#include "format/casekeys.h"

#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shared/placeholders.h"
#include "shared/units.h"
#include "shared/arrays.h"
#include "shared/words.h"

/* A sysctl name oomlab may touch: "vm.x" or "kernel.x", lower case, digits, '_', '.'. */
static bool sysctl_name_ok(const char *name)
{
	const char *p;

	if (!starts_with(name, "vm.") && !starts_with(name, "kernel."))
		return false;
	for (p = name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' && *p != '.')
			return false;
	return !strstr(name, "..") && name[strlen(name) - 1] != '.';
}

static int parse_yes_no(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -1;
	return 0;
}

/* "hog, idle" from the executables in dir, for error messages. */
static void list_stressors(const char *dir, char *out, size_t len)
{
	struct dirent **names;
	int n, i;
	size_t used = 0;

	out[0] = '\0';
	n = scandir(dir, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && access(path, X_OK) == 0 && used < len)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "",
						 names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* A regular file we may execute (a directory named by "run = .." is not one). */
static bool is_program(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

/* run = STRESSOR OPTIONS...: split on blanks; the harness's own options are refused. */
static int split_run(struct case_loader *cl, struct proc_spec *p, const char *value, int line)
{
	static const char *const owned[] = { "--role", "--control-fd", "--wait-go", "--machine-wide",
					     "--check-args", "--help" };
	const char *rest, *path = cl->c->path;
	struct err *e = cl->e;
	char *tok, *save;
	size_t n = strcspn(value, " \t");

	if (n == 0)
		return err_at(e, path, line, "run: missing stressor name");
	if (n >= sizeof(p->stressor))
		return err_at(e, path, line, "run: stressor name too long");
	snprintf(p->stressor, sizeof(p->stressor), "%.*s", (int)n, value);
	rest = value + n + strspn(value + n, " \t");
	if (strlen(rest) >= sizeof(p->args))
		return err_at(e, path, line, "run: arguments longer than %zu bytes", sizeof(p->args) - 1);
	snprintf(p->args, sizeof(p->args), "%s", rest);
	p->argc = 0;
	for (tok = strtok_r(p->args, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		size_t k, len = strcspn(tok, "=");

		if (p->argc == CASE_MAX_ARGS)
			return err_at(e, path, line, "run: more than %d arguments", CASE_MAX_ARGS);
		for (k = 0; k < ARRAY_SIZE(owned); k++)
			if (strlen(owned[k]) == len && !strncmp(tok, owned[k], len))
				return err_at(e, path, line, "run: %s is set by the harness, not in a case "
					      "(the role name is the section's, trigger = yes waits for go)",
					      owned[k]);
		if (len == strlen("--fault") && starts_with(tok, "--fault"))
			return err_at(e, path, line, "run: --fault goes in a line of its own, fault = "
				      "SYSCALL WHEN ERRNO (the harness counts and answers counted faults)");
		p->argv[p->argc++] = tok;
	}
	p->argv[p->argc] = NULL;
	return 0;
}

static int key_run(struct case_loader *cl, const struct ini_entry *en)
{
	struct proc_spec *p = cl->p;
	const char *path = cl->c->path;
	char exe[PATH_MAX], known[512];

	if (strpbrk(en->value, "'\"\\"))
		return err_at(cl->e, path, en->line, "run: quotes and backslashes are not supported");
	if (split_run(cl, p, en->value, en->line))
		return -1;
	p->run_line = en->line;
	snprintf(exe, sizeof(exe), "%s/%s", cl->stressor_dir, p->stressor);
	if (!name_ok(p->stressor, sizeof(p->stressor)) || p->stressor[0] == '.' || !is_program(exe)) {
		list_stressors(cl->stressor_dir, known, sizeof(known));
		return err_at(cl->e, path, en->line, "unknown stressor '%s' (known: %s)", p->stressor,
			      *known ? known : "none built: run make");
	}
	/* The options themselves are the stressor's to check (case_check_args, run/spawn.c). */
	for (int i = 0; i < p->argc; i++) {
		if (placeholder_unknown(p->argv[i])) {
			placeholder_names(known, sizeof(known));
			return err_at(cl->e, path, en->line, "run: unknown placeholder in '%s' (known: "
				      "%s)", p->argv[i], known);
		}
	}
	return 0;
}

/* A whole number from lo to hi, or file:line with "KEY: 'V' is not a number from lo to hi". */
static int ranged(struct case_loader *cl, const struct ini_entry *en, long lo, long hi, int *out)
{
	long v;

	if (parse_long(en->value, &v) || v < lo || v > hi)
		return err_at(cl->e, cl->c->path, en->line, "%s: '%s' is not a number from %ld to %ld",
			      en->key, en->value, lo, hi);
	*out = (int)v;
	return 0;
}

static int key_oom_score_adj(struct case_loader *cl, const struct ini_entry *en)
{
	cl->p->has_adj = true;
	return ranged(cl, en, -1000, 1000, &cl->p->oom_score_adj);
}

static int key_oom_adj(struct case_loader *cl, const struct ini_entry *en)
{
	cl->p->has_oom_adj = true;
	return ranged(cl, en, -17, 15, &cl->p->oom_adj);
}

static int key_fault(struct case_loader *cl, const struct ini_entry *en)
{
	struct proc_spec *p = cl->p;
	char msg[300];

	if (p->nfaults == FAULTS_MAX)
		return err_at(cl->e, cl->c->path, en->line, "more than %d faults", FAULTS_MAX);
	if (fault_parse(en->value, ' ', &p->faults[p->nfaults], msg, sizeof(msg)))
		return err_at(cl->e, cl->c->path, en->line, "fault: %s", msg);
	p->nfaults++;
	return 0;
}

/* yes or no into *out, or file:line with "KEY: expected yes or no, got 'V'". */
static int yes_no(struct case_loader *cl, const struct ini_entry *en, bool *out)
{
	if (parse_yes_no(en->value, out))
		return err_at(cl->e, cl->c->path, en->line, "%s: expected yes or no, got '%s'", en->key,
			      en->value);
	return 0;
}

static int key_trigger(struct case_loader *cl, const struct ini_entry *en)
{
	return yes_no(cl, en, &cl->p->trigger);
}

static int key_own_boot(struct case_loader *cl, const struct ini_entry *en)
{
	return yes_no(cl, en, &cl->c->own_boot);
}

static int size_value(struct case_loader *cl, const struct ini_entry *en, long long *out)
{
	size_t v;

	if (parse_size(en->value, &v) || v == SIZE_MAX || v > (size_t)INT64_MAX)
		return err_at(cl->e, cl->c->path, en->line, "%s: '%s' is not a size such as 64M", en->key,
			      en->value);
	*out = (long long)v;
	return 0;
}

/* A size of at least 1M: "KEY: N bytes is below 1M" otherwise. */
static int size_at_least_1m(struct case_loader *cl, const struct ini_entry *en, long long *out)
{
	if (size_value(cl, en, out))
		return -1;
	if (*out < (1 << 20))
		return err_at(cl->e, cl->c->path, en->line, "%s: %lld bytes is below 1M", en->key, *out);
	return 0;
}

static int key_summary(struct case_loader *cl, const struct ini_entry *en)
{
	if (!*en->value || strchr(en->value, '#'))
		return err_at(cl->e, cl->c->path, en->line, "summary: must be non-empty and without '#'");
	snprintf(cl->c->summary, sizeof(cl->c->summary), "%s", en->value);
	return 0;
}

static int key_memory_max(struct case_loader *cl, const struct ini_entry *en)
{
	cl->c->memory_max_line = en->line;
	return size_at_least_1m(cl, en, &cl->c->memory_max);
}

/* A size, and the line it is on. */
static int sized(struct case_loader *cl, const struct ini_entry *en, long long *v, int *line)
{
	*line = en->line;
	return size_value(cl, en, v);
}

static int key_swap_max(struct case_loader *cl, const struct ini_entry *en)
{
	return sized(cl, en, &cl->c->swap_max, &cl->c->swap_max_line);
}

static int key_timeout(struct case_loader *cl, const struct ini_entry *en)
{
	if (parse_duration_ms(en->value, &cl->c->timeout_ms) || cl->c->timeout_ms <= 0)
		return err_at(cl->e, cl->c->path, en->line, "timeout: '%s' is not a duration such as 30s",
			      en->value);
	return 0;
}

/* One word of a fixed list, its index into *out. */
static int choice(struct case_loader *cl, const struct ini_entry *en, const char *const *words,
		  int n, const char *expected, int *out)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(en->value, words[i])) {
			*out = i;
			return 0;
		}
	return err_at(cl->e, cl->c->path, en->line, "%s: expected %s, got '%s'", en->key, expected,
		      en->value);
}

static int key_cgroup(struct case_loader *cl, const struct ini_entry *en)
{
	static const char *const words[] = { "any", "v1", "v2" };

	return choice(cl, en, words, 3, "any, v1 or v2", &cl->c->want_cgroup);
}

static int key_scope(struct case_loader *cl, const struct ini_entry *en)
{
	static const char *const words[] = { [SCOPE_CGROUP] = "cgroup", [SCOPE_MACHINE] = "machine" };
	int scope = SCOPE_CGROUP;

	if (choice(cl, en, words, 2, "cgroup or machine", &scope))
		return -1;
	cl->c->scope = (enum case_scope)scope;
	return 0;
}

static int key_kernel(struct case_loader *cl, const struct ini_entry *en)
{
	if (kcond_parse(en->value, &cl->c->kernel))
		return err_at(cl->e, cl->c->path, en->line, "kernel: expected a condition such as "
			      "'>= 5.4', got '%s'", en->value);
	cl->c->has_kernel = true;
	return 0;
}

static int key_swap(struct case_loader *cl, const struct ini_entry *en)
{
	return size_at_least_1m(cl, en, &cl->c->swap_file);
}

static int key_needs(struct case_loader *cl, const struct ini_entry *en)
{
	if (!strcmp(en->value, "disk"))
		cl->c->needs_disk = true;
	else if (!strcmp(en->value, "fuse"))
		cl->c->needs_fuse = true;
	else
		return err_at(cl->e, cl->c->path, en->line, "needs: expected disk or fuse, got '%s'",
			      en->value);
	return 0;
}

/* memory.oom.group: 0 or 1 */
static int oom_group_value(struct case_loader *cl, const struct ini_entry *en, int *out)
{
	if (strcmp(en->value, "0") && strcmp(en->value, "1"))
		return err_at(cl->e, cl->c->path, en->line, "memory.oom.group: expected 0 or 1");
	*out = en->value[0] - '0';
	return 0;
}

static int key_oom_group(struct case_loader *cl, const struct ini_entry *en)
{
	return oom_group_value(cl, en, &cl->c->oom_group);
}

static int key_sysctl(struct case_loader *cl, const struct ini_entry *en)
{
	struct case_spec *c = cl->c;
	const char *name = after_prefix(en->key, "sysctl.");

	if (!sysctl_name_ok(name))
		return err_at(cl->e, c->path, en->line, "%s: oomlab sets only vm.* and kernel.* sysctls",
			      en->key);
	if (!*en->value || strpbrk(en->value, " \t/"))
		return err_at(cl->e, c->path, en->line, "%s: '%s' is not a sysctl value", en->key,
			      en->value);
	if (c->nsysctls == SYSCTL_MAX)
		return err_at(cl->e, c->path, en->line, "more than %d sysctls", SYSCTL_MAX);
	snprintf(c->sysctls[c->nsysctls].name, sizeof(c->sysctls[0].name), "%s", name);
	snprintf(c->sysctls[c->nsysctls].value, sizeof(c->sysctls[0].value), "%s", en->value);
	c->sysctl_lines[c->nsysctls++] = en->line;
	return 0;
}

/* [process] cgroup = NAME: resolved once the whole file is read (case_check). */
static int key_proc_cgroup(struct case_loader *cl, const struct ini_entry *en)
{
	if (strlen(en->value) >= sizeof(cl->p->cgroup_name))
		return err_at(cl->e, cl->c->path, en->line, "cgroup: name longer than %zu characters",
			      sizeof(cl->p->cgroup_name) - 1);
	snprintf(cl->p->cgroup_name, sizeof(cl->p->cgroup_name), "%s", en->value);
	cl->p->cgroup_line = en->line;
	return 0;
}

static int key_cgroup_memory_max(struct case_loader *cl, const struct ini_entry *en)
{
	return size_at_least_1m(cl, en, &cl->g->memory_max);
}

static int key_cgroup_swap_max(struct case_loader *cl, const struct ini_entry *en)
{
	return size_value(cl, en, &cl->g->swap_max);
}

static int key_cgroup_oom_group(struct case_loader *cl, const struct ini_entry *en)
{
	return oom_group_value(cl, en, &cl->g->oom_group);
}

static int key_change_at(struct case_loader *cl, const struct ini_entry *en)
{
	long *dst = en->key[0] == 'a' ? &cl->c->change.at_ms : &cl->c->change.hold_ms;

	if (parse_duration_ms(en->value, dst))
		return err_at(cl->e, cl->c->path, en->line, "%s: '%s' is not a duration such as 200ms",
			      en->key, en->value);
	return 0;
}

static int key_change_memory_max(struct case_loader *cl, const struct ini_entry *en)
{
	return sized(cl, en, &cl->c->change.memory_max, &cl->c->change.memory_max_line);
}

static int key_change_swap_max(struct case_loader *cl, const struct ini_entry *en)
{
	return sized(cl, en, &cl->c->change.swap_max, &cl->c->change.swap_max_line);
}

static int key_change_oom_group(struct case_loader *cl, const struct ini_entry *en)
{
	return oom_group_value(cl, en, &cl->c->change.oom_group);
}

static const struct case_key keys[] = {
	{ SEC_CASE, "summary", false, key_summary, "text without `#` (required)",
	  "one line for `--list` and `-v`" },
	{ SEC_CASE, "memory.max", false, key_memory_max, "size, at least 1M (required unless "
	  "`scope = machine`)", "the cgroup's memory limit (v1: `memory.limit_in_bytes`)" },
	{ SEC_CASE, "swap.max", false, key_swap_max, "size", "swap the cgroup may use (v1: "
	  "`memory.memsw.limit_in_bytes` = memory.max + swap.max). Ignored when the machine has no "
	  "swap at all" },
	{ SEC_CASE, "timeout", false, key_timeout, "duration: `30`, `30s`, `500ms`, `2m`",
	  "from the first process's start until every trigger has finished; default 30s; `oomlab "
	  "--timeout` overrides it" },
	{ SEC_CASE, "cgroup", false, key_cgroup, "`any`, `v1`, `v2`",
	  "skip the case on the other cgroup version" },
	{ SEC_CASE, "kernel", false, key_kernel, "`OP VERSION`, e.g. `>= 5.4` (OP: `<` `<=` `>` "
	  "`>=` `==` `!=`)", "skip the case on other kernels" },
	{ SEC_CASE, "scope", false, key_scope, "`cgroup` (default) or `machine`", "`machine`: the "
	  "case may exhaust or reconfigure the whole machine; it runs only in a VM guest and is "
	  "skipped on a host. Its stressors get `--machine-wide`" },
	{ SEC_CASE, "sysctl.", false, key_sysctl, "a value, e.g. `sysctl.vm.panic_on_oom = 1`",
	  "set before the processes start, restored after the case (journaled). Only `vm.*` and "
	  "`kernel.*`; needs `scope = machine`. Setting `vm.overcommit_kbytes` or "
	  "`vm.overcommit_ratio` saves and restores both" },
	{ SEC_CASE, "own_boot", false, key_own_boot, "`yes` or `no`",
	  "in the VM: run in a boot of its own, because it may panic the guest" },
	{ SEC_CASE, "swap", false, key_swap, "size", "the case gets its own swap file of this size "
	  "(in `/var/tmp`, `--swap-dir`), enabled for the case and swapped off and removed after "
	  "it; `{swapfile}` names it. Skipped where swap files cannot be made (a tmpfs dir, no "
	  "permission)" },
	{ SEC_CASE, "needs", false, key_needs, "`disk` or `fuse`", "`disk`: skip unless `/var/tmp` "
	  "is on a disk (page cache, not tmpfs; VM guests have one); `fuse`: skip unless "
	  "`/dev/fuse` opens (the `stuck` stressor)" },
	{ SEC_CASE, "memory.oom.group", false, key_oom_group, "`0` or `1`", "cgroup v2 only "
	  "(skipped on v1): when a victim is chosen in this cgroup, every task in it dies together, "
	  "except `oom_score_adj` -1000" },
	{ SEC_PROCESS, "run", false, key_run, "`STRESSOR OPTIONS...` (required)", "the stressor and "
	  "its options, split on blanks (no quoting). The options are checked by running the "
	  "stressor with `--check-args` before the case runs (not when the file is only listed). "
	  "The harness's own options (`--role`, `--control-fd`, `--wait-go`, `--machine-wide`, "
	  "`--check-args`) and `--fault` (use `fault =`) are refused" },
	{ SEC_PROCESS, "oom_score_adj", false, key_oom_score_adj, "-1000 to 1000", "written to "
	  "`/proc/self/oom_score_adj` before exec (default 0; the harness's own -1000 is never "
	  "inherited)" },
	{ SEC_PROCESS, "oom_adj", false, key_oom_adj, "-17 to 15", "the legacy interface: written "
	  "to `/proc/self/oom_adj` after `oom_score_adj` 0. Not together with `oom_score_adj`" },
	{ SEC_PROCESS, "fault", true, key_fault, "`SYSCALL WHEN ERRNO`: WHEN a call number (`5`), "
	  "`every`, or `after N`", "inject a failure with seccomp (repeatable). Counted faults (a "
	  "number, `after N`) need kernel 5.5+; `every` works on any" },
	{ SEC_PROCESS, "trigger", false, key_trigger, "`yes` or `no`", "the trigger waits for *go* "
	  "after it says ready; the case ends when every trigger has been killed, has exited or "
	  "says *done*. At least one process must be a trigger" },
	{ SEC_PROCESS, "cgroup", false, key_proc_cgroup, "`NAME` of a `[cgroup NAME]`",
	  "the process runs in that cgroup of the case's subtree, not in the case's own (which "
	  "cgroup v2 allows no process once it has children: with `[cgroup]` sections, every "
	  "process names one, and none names a cgroup that has children)" },
	{ SEC_CGROUP, "memory.max", false, key_cgroup_memory_max, "size, at least 1M",
	  "the cgroup's own limit (`[cgroup NAME]`: NAME is `a` or `a/b`, a path below the case's "
	  "cgroup whose parent has a section before it; `{cgroup:NAME}` in patterns)" },
	{ SEC_CGROUP, "swap.max", false, key_cgroup_swap_max, "size", "swap it may use" },
	{ SEC_CGROUP, "memory.oom.group", false, key_cgroup_oom_group, "`0` or `1`",
	  "cgroup v2 only: an OOM whose domain holds this cgroup kills everything in it" },
	{ SEC_CHANGE, "at", false, key_change_at, "duration", "when, after go" },
	{ SEC_CHANGE, "hold", false, key_change_at, "duration, default 2s",
	  "with no trigger: how long to give the kernel after the change" },
	{ SEC_CHANGE, "memory.max", false, key_change_memory_max, "size", "a new limit (v1: "
	  "`memory.limit_in_bytes`, which the kernel refuses with EBUSY below usage it cannot "
	  "reclaim)" },
	{ SEC_CHANGE, "swap.max", false, key_change_swap_max, "size", "a new swap limit" },
	{ SEC_CHANGE, "memory.oom.group", false, key_change_oom_group, "`0` or `1`", "v2" },
};

static bool key_matches(const struct case_key *k, const char *name)
{
	size_t n = strlen(k->name);

	if (k->name[n - 1] == '.')
		return !strncmp(name, k->name, n) && name[n];
	return !strcmp(name, k->name);
}

const struct case_key *case_key_named(enum case_section section, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].section == section && key_matches(&keys[i], name))
			return &keys[i];
	return NULL;
}

/* sysctl. -> sysctl.NAME */
static void doc_name(const struct case_key *k, char *out, size_t len)
{
	size_t n = strlen(k->name);

	snprintf(out, len, "%s%s", k->name, k->name[n - 1] == '.' ? "NAME" : "");
}

void case_key_names(enum case_section section, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(keys) && used < len; i++) {
		char name[64];

		if (keys[i].section != section)
			continue;
		doc_name(&keys[i], name, sizeof(name));
		used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "", name);
	}
}

void case_keys_markdown(enum case_section section, FILE *out)
{
	fprintf(out, "| key | value | meaning |\n|---|---|---|\n");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char name[64];

		if (keys[i].section != section)
			continue;
		doc_name(&keys[i], name, sizeof(name));
		fprintf(out, "| `%s` | %s | %s |\n", name, keys[i].value, keys[i].meaning);
	}
}
