// SPDX-License-Identifier: GPL-2.0
/* Reading cases/NAME.case into a struct case_spec. */
#include "format/casefile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/casekeys.h"
#include "format/ini.h"
#include "shared/placeholders.h"
#include "shared/words.h"

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

int case_cgroup(const struct case_spec *c, const char *name)
{
	for (int i = 0; i < c->ncgroups; i++)
		if (!strcmp(c->cgroups[i].name, name))
			return i;
	return -1;
}

const char *case_name_in(const char *path, size_t *len)
{
	static const char suffix[] = ".case";
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > strlen(suffix) && !strcmp(base + n - strlen(suffix), suffix))
		n -= strlen(suffix);
	*len = n;
	return base;
}

bool case_file_named(const char *file)
{
	size_t len;

	return case_name_in(file, &len)[len] != '\0';
}

void case_path(char *out, size_t len, const char *cases_dir, const char *name)
{
	snprintf(out, len, "%s/%s.case", cases_dir, name);
}

/* The case name from its path; false when it is too long to keep whole. */
static bool case_name_from_path(struct case_spec *c, const char *path)
{
	size_t n;
	const char *name = case_name_in(path, &n);

	snprintf(c->name, sizeof(c->name), "%.*s", (int)n, name);
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

/*
 * Each process's cgroup = NAME, found. Where the case has [cgroup] sections every
 * process names one without children: cgroup v2 lets no process live in a cgroup whose
 * children use the memory controller.
 */
static int resolve_cgroups(struct case_spec *c, struct err *e)
{
	for (int i = 0; i < c->nprocs; i++) {
		struct proc_spec *p = &c->procs[i];

		p->cgroup = -1;
		if (!p->cgroup_name[0]) {
			if (c->ncgroups)
				return err_at(e, c->path, p->line, "[process %s] needs cgroup = NAME: the case "
					      "has [cgroup] sections, and cgroup v2 lets no process live in "
					      "their parent", p->role);
			continue;
		}
		p->cgroup = case_cgroup(c, p->cgroup_name);
		if (p->cgroup < 0)
			return err_at(e, c->path, p->cgroup_line, "cgroup: no [cgroup %s] section",
				      p->cgroup_name);
		if (c->cgroups[p->cgroup].has_children)
			return err_at(e, c->path, p->cgroup_line, "cgroup: [cgroup %s] has cgroups below "
				      "it, and cgroup v2 lets no process live there: name a leaf",
				      p->cgroup_name);
	}
	return 0;
}

/* A [cgroup]'s limits: what cgroup v1 can set (swap only with memory), and fit. */
static int check_subtree_limits(const struct case_spec *c, struct err *e)
{
	for (int i = 0; i < c->ncgroups; i++) {
		const struct cgroup_spec *g = &c->cgroups[i];

		if (g->swap_max >= 0 && g->memory_max < 0)
			return err_at(e, c->path, g->line, "[cgroup %s] sets swap.max without memory.max "
				      "(cgroup v1 limits memory and swap together: set both)", g->name);
		if (limits_fit(c->path, g->memory_max, g->swap_max, g->line, e))
			return -1;
	}
	return 0;
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
	if (resolve_cgroups(c, e) || check_subtree_limits(c, e))
		return -1;
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

/* [cgroup NAME]: NAME is one or more names joined by '/', the parent declared before. */
static int open_cgroup(struct case_spec *c, const char *name, int line, struct err *e)
{
	char parent[CGROUP_NAME_MAX], part[CGROUP_NAME_MAX], *slash;
	struct cgroup_spec *g;

	if (strlen(name) >= sizeof(parent))
		return err_at(e, c->path, line, "[cgroup %s]: name longer than %zu characters", name,
			      sizeof(parent) - 1);
	snprintf(parent, sizeof(parent), "%s", name);
	if (!*name || name[strlen(name) - 1] == '/')
		return err_at(e, c->path, line, "[cgroup %s]: each name in the path must be 1 or more "
			      "letters, digits, '_', '-' or '.'", name);
	for (const char *p = name; *p; p += strcspn(p, "/") + (p[strcspn(p, "/")] == '/')) {
		snprintf(part, sizeof(part), "%.*s", (int)strcspn(p, "/"), p);
		if (!name_ok(part, sizeof(part)) || !strcmp(part, ".") || !strcmp(part, ".."))
			return err_at(e, c->path, line, "[cgroup %s]: each name in the path must be 1 or "
				      "more letters, digits, '_', '-' or '.'", name);
	}
	if (case_cgroup(c, name) >= 0)
		return err_at(e, c->path, line, "second [cgroup %s]", name);
	if (c->ncgroups == CASE_MAX_CGROUPS)
		return err_at(e, c->path, line, "more than %d cgroups", CASE_MAX_CGROUPS);
	g = &c->cgroups[c->ncgroups];
	*g = (struct cgroup_spec){ .parent = -1, .memory_max = -1, .swap_max = -1, .oom_group = -1,
				   .line = line };
	snprintf(g->name, sizeof(g->name), "%s", name);
	slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		g->parent = case_cgroup(c, parent);
		if (g->parent < 0)
			return err_at(e, c->path, line, "[cgroup %s]: its parent needs a [cgroup %s] "
				      "section before it", name, parent);
		c->cgroups[g->parent].has_children = true;
	}
	c->ncgroups++;
	return 0;
}

/* Open [case], [change], [cgroup NAME] or [process NAME]; cur becomes the process, or NULL. */
static int open_section(struct case_spec *c, const struct ini_section *s, struct proc_spec **cur,
			struct err *e)
{
	const char *role, *cgroup;

	*cur = NULL;
	cgroup = after_prefix(s->name, "cgroup ");
	if (cgroup)
		return open_cgroup(c, cgroup + strspn(cgroup, " "), s->line, e);
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
	role = after_prefix(s->name, "process ");
	if (!role)
		return err_at(e, c->path, s->line, "unknown section [%s] (known: [case], [process NAME], "
			      "[cgroup NAME], [change])", s->name);
	role += strspn(role, " ");
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

/* One key = value: a key of its section, once unless it repeats, read by its function. */
static int load_entry(struct case_loader *cl, const struct ini *ini, int i, enum case_section sec)
{
	const struct ini_entry *en = &ini->entries[i], *first = ini_earlier(ini, i);
	const struct case_key *k = case_key_named(sec, en->key);
	char known[512];

	if (first && !(k && k->repeats))
		return err_at(cl->e, cl->c->path, en->line, "second '%s' in this section (the first is "
			      "at line %d)", first->key, first->line);
	if (k)
		return k->parse(cl, en);
	case_key_names(sec, known, sizeof(known));
	if (sec == SEC_PROCESS)
		return err_at(cl->e, cl->c->path, en->line, "unknown key '%s' in [process %s] (known: "
			      "%s)", en->key, cl->p->role, known);
	if (sec == SEC_CGROUP)
		return err_at(cl->e, cl->c->path, en->line, "unknown key '%s' in [cgroup %s] (known: "
			      "%s)", en->key, cl->g->name, known);
	return err_at(cl->e, cl->c->path, en->line, "unknown key '%s' in [%s] (known: %s)", en->key,
		      sec == SEC_CHANGE ? "change" : "case", known);
}

static enum case_section section_kind(const struct ini_section *s, const struct proc_spec *p,
				      const struct cgroup_spec *g)
{
	if (p)
		return SEC_PROCESS;
	if (g)
		return SEC_CGROUP;
	return !strcmp(s->name, "change") ? SEC_CHANGE : SEC_CASE;
}

int case_load(struct case_spec *c, const char *path, const char *stressor_dir, struct err *e)
{
	struct case_loader cl = { .c = c, .stressor_dir = stressor_dir, .e = e };
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
		int before = c->ncgroups;

		if (open_section(c, &ini.sections[sec], &cur, e))
			goto out;
		cl.p = cur;
		cl.g = c->ncgroups > before ? &c->cgroups[before] : NULL;
		for (; i < ini.nentries && ini.entries[i].section == sec; i++)
			if (load_entry(&cl, &ini, i, section_kind(&ini.sections[sec], cur, cl.g)))
				goto out;
	}
	rc = case_check(c, e);
out:
	ini_free(&ini);
	return rc;
}
