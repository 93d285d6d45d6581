// SPDX-License-Identifier: GPL-2.0
/* Reading cases/NAME.case into a struct case_spec. */
#include "format/casefile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "format/ini.h"
#include "shared/placeholders.h"
#include "shared/units.h"

bool name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n >= max)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

const struct proc_spec *case_role(const struct case_spec *c, const char *role)
{
	int i;

	for (i = 0; i < c->nprocs; i++)
		if (!strcmp(c->procs[i].role, role))
			return &c->procs[i];
	return NULL;
}

/* A sysctl name oomlab may touch: "vm.x" or "kernel.x", lower case, digits, '_', '.'. */
static bool sysctl_name_ok(const char *name)
{
	const char *p;

	if (strncmp(name, "vm.", 3) && strncmp(name, "kernel.", 7))
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

static int parse_run(struct proc_spec *p, const char *value, const char *path, int line,
		     const char *stressor_dir, struct err *e)
{
	char exe[PATH_MAX], known[512];
	const char *rest;
	size_t n;
	char *tok, *save;

	if (strpbrk(value, "'\"\\"))
		return err_at(e, path, line, "run: quotes and backslashes are not supported");
	n = strcspn(value, " \t");
	if (n == 0)
		return err_at(e, path, line, "run: missing stressor name");
	if (n >= sizeof(p->stressor))
		return err_at(e, path, line, "run: stressor name too long");
	memcpy(p->stressor, value, n);
	p->stressor[n] = '\0';
	rest = value + n + strspn(value + n, " \t");
	if (strlen(rest) >= sizeof(p->args))
		return err_at(e, path, line, "run: arguments longer than %zu bytes", sizeof(p->args) - 1);
	snprintf(p->args, sizeof(p->args), "%s", rest);
	p->argc = 0;
	for (tok = strtok_r(p->args, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (p->argc == CASE_MAX_ARGS)
			return err_at(e, path, line, "run: more than %d arguments", CASE_MAX_ARGS);
		p->argv[p->argc++] = tok;
	}
	p->argv[p->argc] = NULL;
	p->run_line = line;
	for (int i = 0; i < p->argc; i++) {
		static const char *const owned[] = { "--role", "--control-fd", "--wait-go",
						     "--machine-wide", "--check-args", "--help" };
		size_t k, n2 = strcspn(p->argv[i], "=");

		for (k = 0; k < sizeof(owned) / sizeof(owned[0]); k++)
			if (strlen(owned[k]) == n2 && !strncmp(p->argv[i], owned[k], n2))
				return err_at(e, path, line, "run: %s is set by the harness, not in a case "
					      "(the role name is the section's, trigger = yes waits for go)",
					      owned[k]);
		if (n2 == 7 && !strncmp(p->argv[i], "--fault", 7))
			return err_at(e, path, line, "run: --fault goes in a line of its own, fault = "
				      "SYSCALL WHEN ERRNO (the harness counts and answers counted faults)");
	}

	snprintf(exe, sizeof(exe), "%s/%s", stressor_dir, p->stressor);
	if (!name_ok(p->stressor, sizeof(p->stressor)) || p->stressor[0] == '.' ||
	    !is_program(exe)) {
		list_stressors(stressor_dir, known, sizeof(known));
		return err_at(e, path, line, "unknown stressor '%s' (known: %s)", p->stressor,
			      *known ? known : "none built: run make");
	}
	/* The options themselves are the stressor's to check (case_check_args, run/spawn.c). */
	for (int i = 0; i < p->argc; i++)
		if (placeholder_unknown(p->argv[i]))
			return err_at(e, path, line, "run: unknown placeholder in '%s' (known: "
				      "{swapfile}, {tmpfile}, {ipckey})", p->argv[i]);
	return 0;
}

static int process_key(struct proc_spec *p, const struct ini_entry *en, const char *path,
		       const char *stressor_dir, struct err *e)
{
	long v;

	if (!strcmp(en->key, "run"))
		return parse_run(p, en->value, path, en->line, stressor_dir, e);
	if (!strcmp(en->key, "oom_score_adj")) {
		if (parse_long(en->value, &v) || v < -1000 || v > 1000)
			return err_at(e, path, en->line,
				      "oom_score_adj: '%s' is not a number from -1000 to 1000", en->value);
		p->oom_score_adj = (int)v;
		p->has_adj = true;
		return 0;
	}
	if (!strcmp(en->key, "oom_adj")) {
		if (parse_long(en->value, &v) || v < -17 || v > 15)
			return err_at(e, path, en->line, "oom_adj: '%s' is not a number from -17 to 15",
				      en->value);
		p->oom_adj = (int)v;
		p->has_oom_adj = true;
		return 0;
	}
	if (!strcmp(en->key, "fault")) {
		char msg[300];

		if (p->nfaults == FAULTS_MAX)
			return err_at(e, path, en->line, "more than %d faults", FAULTS_MAX);
		if (fault_parse(en->value, ' ', &p->faults[p->nfaults], msg, sizeof(msg)))
			return err_at(e, path, en->line, "fault: %s", msg);
		p->nfaults++;
		return 0;
	}
	if (!strcmp(en->key, "trigger")) {
		if (parse_yes_no(en->value, &p->trigger))
			return err_at(e, path, en->line, "trigger: expected yes or no, got '%s'", en->value);
		return 0;
	}
	return err_at(e, path, en->line, "unknown key '%s' in [process %s] (known: run, "
		      "oom_score_adj, oom_adj, trigger, fault)", en->key, p->role);
}

/* memory.oom.group: 0 or 1 */
static int oom_group_value(const struct ini_entry *en, const char *path, int *out, struct err *e)
{
	if (strcmp(en->value, "0") && strcmp(en->value, "1"))
		return err_at(e, path, en->line, "memory.oom.group: expected 0 or 1");
	*out = en->value[0] - '0';
	return 0;
}

static int size_value(const struct ini_entry *en, const char *path, long long *out, struct err *e)
{
	size_t v;

	if (parse_size(en->value, &v) || v == SIZE_MAX || v > (size_t)INT64_MAX)
		return err_at(e, path, en->line, "%s: '%s' is not a size such as 64M", en->key, en->value);
	*out = (long long)v;
	return 0;
}

static int case_key(struct case_spec *c, const struct ini_entry *en, struct err *e)
{
	const char *path = c->path;

	if (!strcmp(en->key, "summary")) {
		if (!*en->value || strchr(en->value, '#'))
			return err_at(e, path, en->line, "summary: must be non-empty and without '#'");
		snprintf(c->summary, sizeof(c->summary), "%s", en->value);
		return 0;
	}
	if (!strcmp(en->key, "memory.max")) {
		c->memory_max_line = en->line;
		if (size_value(en, path, &c->memory_max, e))
			return -1;
		if (c->memory_max < (1 << 20))
			return err_at(e, path, en->line, "memory.max: %lld bytes is below 1M", c->memory_max);
		return 0;
	}
	if (!strcmp(en->key, "swap.max")) {
		c->swap_max_line = en->line;
		return size_value(en, path, &c->swap_max, e);
	}
	if (!strcmp(en->key, "timeout")) {
		if (parse_duration_ms(en->value, &c->timeout_ms) || c->timeout_ms <= 0)
			return err_at(e, path, en->line, "timeout: '%s' is not a duration such as 30s",
				      en->value);
		return 0;
	}
	if (!strcmp(en->key, "cgroup")) {
		if (!strcmp(en->value, "any"))
			c->want_cgroup = 0;
		else if (!strcmp(en->value, "v1"))
			c->want_cgroup = 1;
		else if (!strcmp(en->value, "v2"))
			c->want_cgroup = 2;
		else
			return err_at(e, path, en->line, "cgroup: expected any, v1 or v2, got '%s'", en->value);
		return 0;
	}
	if (!strcmp(en->key, "kernel")) {
		if (kcond_parse(en->value, &c->kernel))
			return err_at(e, path, en->line, "kernel: expected a condition such as '>= 5.4', "
				      "got '%s'", en->value);
		c->has_kernel = true;
		return 0;
	}
	if (!strcmp(en->key, "swap")) {
		if (size_value(en, path, &c->swap_file, e))
			return -1;
		if (c->swap_file < (1 << 20))
			return err_at(e, path, en->line, "swap: a swap file needs at least 1M");
		return 0;
	}
	if (!strcmp(en->key, "needs")) {
		if (strcmp(en->value, "disk"))
			return err_at(e, path, en->line, "needs: expected disk, got '%s'", en->value);
		c->needs_disk = true;
		return 0;
	}
	if (!strcmp(en->key, "memory.oom.group"))
		return oom_group_value(en, path, &c->oom_group, e);
	if (!strncmp(en->key, "sysctl.", 7)) {
		const char *name = en->key + 7;

		if (!sysctl_name_ok(name))
			return err_at(e, path, en->line, "%s: oomlab sets only vm.* and kernel.* sysctls",
				      en->key);
		if (!*en->value || strpbrk(en->value, " \t/"))
			return err_at(e, path, en->line, "%s: '%s' is not a sysctl value", en->key,
				      en->value);
		if (c->nsysctls == SYSCTL_MAX)
			return err_at(e, path, en->line, "more than %d sysctls", SYSCTL_MAX);
		snprintf(c->sysctls[c->nsysctls].name, sizeof(c->sysctls[0].name), "%s", name);
		snprintf(c->sysctls[c->nsysctls].value, sizeof(c->sysctls[0].value), "%s", en->value);
		c->sysctl_lines[c->nsysctls++] = en->line;
		return 0;
	}
	if (!strcmp(en->key, "own_boot")) {
		if (parse_yes_no(en->value, &c->own_boot))
			return err_at(e, path, en->line, "own_boot: expected yes or no, got '%s'", en->value);
		return 0;
	}
	if (!strcmp(en->key, "scope")) {
		if (!strcmp(en->value, "cgroup"))
			c->scope = SCOPE_CGROUP;
		else if (!strcmp(en->value, "machine"))
			c->scope = SCOPE_MACHINE;
		else
			return err_at(e, path, en->line, "scope: expected cgroup or machine, got '%s'",
				      en->value);
		return 0;
	}
	return err_at(e, path, en->line, "unknown key '%s' in [case] (known: summary, memory.max, "
		      "swap.max, timeout, cgroup, kernel, scope, own_boot, swap, needs, "
		      "memory.oom.group, sysctl.NAME)", en->key);
}

static int change_key(struct case_spec *c, const struct ini_entry *en, struct err *e)
{
	struct case_change *ch = &c->change;

	if (!strcmp(en->key, "at") || !strcmp(en->key, "hold")) {
		long *dst = en->key[0] == 'a' ? &ch->at_ms : &ch->hold_ms;

		if (parse_duration_ms(en->value, dst))
			return err_at(e, c->path, en->line, "%s: '%s' is not a duration such as 200ms",
				      en->key, en->value);
		return 0;
	}
	if (!strcmp(en->key, "memory.max")) {
		ch->memory_max_line = en->line;
		return size_value(en, c->path, &ch->memory_max, e);
	}
	if (!strcmp(en->key, "swap.max")) {
		ch->swap_max_line = en->line;
		return size_value(en, c->path, &ch->swap_max, e);
	}
	if (!strcmp(en->key, "memory.oom.group"))
		return oom_group_value(en, c->path, &ch->oom_group, e);
	return err_at(e, c->path, en->line, "unknown key '%s' in [change] (known: at, hold, "
		      "memory.max, swap.max, memory.oom.group)", en->key);
}

/* The case name from its path; false when it is too long to keep whole. */
static bool case_name_from_path(struct case_spec *c, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".case"))
		n -= 5;
	snprintf(c->name, sizeof(c->name), "%.*s", (int)n, base);
	return n < sizeof(c->name);
}

/* memory.max + swap.max fits the page counter (cgroup v1 writes their sum as memsw). */
static int limits_fit(const char *path, long long mem, long long swap, int line, struct err *e)
{
	if (mem < 0 || swap < 0 || swap <= CASE_MAX_LIMIT_BYTES - mem)
		return 0;
	return err_at(e, path, line, "memory.max + swap.max is more than the kernel's page counter "
		      "holds (%lld bytes): cgroup v1 sets their sum as memory.memsw.limit_in_bytes",
		      CASE_MAX_LIMIT_BYTES);
}

/* Checks that need the whole file. */
static int case_check(struct case_spec *c, struct err *e)
{
	const struct case_change *ch = &c->change;
	int i, triggers = 0;

	if (limits_fit(c->path, c->memory_max, c->swap_max, c->swap_max_line, e) ||
	    limits_fit(c->path, ch->memory_max >= 0 ? ch->memory_max : c->memory_max,
		       ch->swap_max >= 0 ? ch->swap_max : c->swap_max,
		       ch->swap_max_line ? ch->swap_max_line : ch->memory_max_line, e))
		return -1;

	if (!c->line)
		return err_at(e, c->path, 0, "missing [case] section");
	if (!*c->summary)
		return err_at(e, c->path, c->line, "[case] needs a summary");
	if (c->scope == SCOPE_CGROUP && c->memory_max < 0)
		return err_at(e, c->path, c->line, "[case] needs memory.max (a case without a memory "
			      "limit must say scope = machine)");
	if (!c->nprocs)
		return err_at(e, c->path, c->line, "no [process NAME] section");
	if (c->nsysctls && c->scope != SCOPE_MACHINE)
		return err_at(e, c->path, c->sysctl_lines[0], "sysctl.%s changes the whole machine: the "
			      "case needs scope = machine", c->sysctls[0].name);
	for (i = 0; i < c->nprocs; i++) {
		if (!c->procs[i].run_line)
			return err_at(e, c->path, c->procs[i].line, "[process %s] needs run = STRESSOR ...",
				      c->procs[i].role);
		if (c->procs[i].has_adj && c->procs[i].has_oom_adj)
			return err_at(e, c->path, c->procs[i].line, "[process %s] sets both oom_score_adj "
				      "and oom_adj: choose one", c->procs[i].role);
		triggers += c->procs[i].trigger;
	}
	if (!triggers && !c->change.line)
		return err_at(e, c->path, c->line, "no process has trigger = yes (and there is no "
			      "[change] to start the OOM)");
	for (i = 0; i < c->nprocs; i++)
		for (int a = 0; !c->swap_file && a < c->procs[i].argc; a++)
			if (placeholder_in(c->procs[i].argv[a], PH_SWAPFILE))
				return err_at(e, c->path, c->procs[i].run_line, "run: {swapfile} is the "
					      "case's own swap file, and the case has none: add swap = SIZE "
					      "to [case]");
	return 0;
}

/* Open [case], [change] or [process NAME]; cur becomes the process, or NULL. */
static int open_section(struct case_spec *c, const struct ini_section *s, struct proc_spec **cur,
			struct err *e)
{
	const char *role;

	*cur = NULL;
	if (!strcmp(s->name, "change")) {
		if (c->change.line)
			return err_at(e, c->path, s->line, "second [change] section");
		c->change.line = s->line;
		return 0;
	}
	if (!strcmp(s->name, "case")) {
		if (c->line)
			return err_at(e, c->path, s->line, "second [case] section (the first is at line %d)",
				      c->line);
		c->line = s->line;
		return 0;
	}
	if (strncmp(s->name, "process ", 8))
		return err_at(e, c->path, s->line, "unknown section [%s] (known: [case], [process NAME], "
			      "[change])", s->name);
	role = s->name + 8 + strspn(s->name + 8, " ");
	if (!name_ok(role, ROLE_MAX))
		return err_at(e, c->path, s->line, "role '%s' must be 1 to %d letters, digits, '_', '-' "
			      "or '.'", role, ROLE_MAX - 1);
	if (case_role(c, role))
		return err_at(e, c->path, s->line, "second [process %s]", role);
	if (c->nprocs == CASE_MAX_PROCS)
		return err_at(e, c->path, s->line, "more than %d processes", CASE_MAX_PROCS);
	*cur = &c->procs[c->nprocs++];
	snprintf((*cur)->role, sizeof((*cur)->role), "%s", role);
	(*cur)->line = s->line;
	return 0;
}

int case_load(struct case_spec *c, const char *path, const char *stressor_dir, struct err *e)
{
	struct proc_spec *cur;
	int sec, i = 0, rc = -1;
	struct ini ini;

	memset(c, 0, sizeof(*c));
	c->memory_max = c->swap_max = -1;
	c->oom_group = -1;
	c->change = (struct case_change){ .hold_ms = 2000, .memory_max = -1, .swap_max = -1,
					  .oom_group = -1 };
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (!case_name_from_path(c, path))
		return err_at(e, path, 0, "case name longer than %zu characters", sizeof(c->name) - 1);
	if (!name_ok(c->name, sizeof(c->name)))
		return err_at(e, path, 0, "case name '%s' may hold only letters, digits, '_', '-', '.'",
			      c->name);
	if (ini_load(&ini, path, e))
		goto out;
	for (sec = 0; sec < ini.nsections; sec++) {
		if (open_section(c, &ini.sections[sec], &cur, e))
			goto out;
		for (; i < ini.nentries && ini.entries[i].section == sec; i++) {
			const struct ini_entry *first = ini_earlier(&ini, i);

			if (first && strcmp(first->key, "fault")) {
				err_at(e, path, ini.entries[i].line, "second '%s' in this section (the first "
				       "is at line %d)", first->key, first->line);
				goto out;
			}
			if (cur ? process_key(cur, &ini.entries[i], path, stressor_dir, e)
			    : !strcmp(ini.sections[sec].name, "change") ? change_key(c, &ini.entries[i], e)
			    : case_key(c, &ini.entries[i], e))
				goto out;
		}
	}
	rc = case_check(c, e);
out:
	ini_free(&ini);
	return rc;
}
