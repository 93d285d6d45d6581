// SPDX-License-Identifier: GPL-2.0
/* Reading expected/NAME.expect into a struct expect_spec for this kernel and cgroup. */
#include "format/expectfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/expectkeys.h"
#include "format/ini.h"
#include "shared/words.h"

/* "expect" or "expect kernel >= 5.4, cgroup v2": does it apply here? */
static int section_applies(struct expect_loader *ld, const struct ini_section *s,
			   const struct expect_env *env, bool *applies)
{
	const char *conditions, *kernel, *version;
	char buf[256], *tok, *save;

	*applies = true;
	if (!strcmp(s->name, "expect"))
		return 0;
	conditions = after_prefix(s->name, "expect ");
	if (!conditions)
		return err_at(ld->e, ld->path, s->line, "unknown section [%s] (known: [expect], "
			      "[expect CONDITION, ...])", s->name);
	snprintf(buf, sizeof(buf), "%s", conditions);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct kcond kc;

		tok += strspn(tok, " \t");
		tok[strcspn(tok, "\n")] = '\0';
		version = after_prefix(tok, "cgroup v");
		kernel = after_prefix(tok, "kernel");
		if (kernel && !kcond_parse(kernel, &kc)) {
			*applies &= kcond_holds(&kc, &env->kernel);
		} else if (version && (!strcmp(version, "1") || !strcmp(version, "2"))) {
			*applies &= env->cgroup_version == *version - '0';
		} else {
			return err_at(ld->e, ld->path, s->line, "unknown condition '%s' (known: kernel "
				      "OP VERSION, cgroup v1, cgroup v2)", tok);
		}
	}
	return 0;
}

/* A role in both lists, which no run can satisfy: file:line of the later list. */
static int disjoint(struct expect_loader *ld, const struct role_list *a, const char *an,
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
static int check_consistent(struct expect_loader *ld, const struct expect_spec *x)
{
	if (disjoint(ld, &x->killed, "killed", &x->survived, "survived") ||
	    disjoint(ld, &x->victims, "a victim", &x->survived, "survived"))
		return -1;
	return 0;
}

/* One key = value of a section: into x when the section applies, else only checked. */
static int load_entry(struct expect_loader *ld, const struct ini *ini, int i, int sec, bool applies,
		      struct expect_spec *x, struct expect_spec *scratch, int *owner)
{
	const struct ini_entry *en = &ini->entries[i];
	const struct expect_key *k = expect_key_named(en->key);
	struct expect_spec *target = applies ? x : scratch;
	int idx;

	if (!k) {
		char known[512];

		expect_key_names(known, sizeof(known));
		return err_at(ld->e, ld->path, en->line, "unknown key '%s' (known: %s)", en->key, known);
	}
	if (!k->repeats && ini_earlier(ini, i))
		return err_at(ld->e, ld->path, en->line, "second '%s' in this section (the first is at "
			      "line %d)", en->key, ini_earlier(ini, i)->line);
	/* The first time a section sets a key, it replaces earlier values. */
	idx = expect_key_index(k);
	if (!applies || owner[idx] != sec) {
		expect_key_reset(k, target);
		if (applies)
			owner[idx] = sec;
	}
	return expect_key_parse(k, ld, target, en->value, en->line);
}

int expect_load(struct expect_spec *x, const char *path, const struct case_spec *c,
		const struct expect_env *env, struct err *e)
{
	struct expect_loader ld = { .path = path, .c = c, .e = e };
	int owner[EXPECT_KEYS_MAX], sec, i = 0, rc = -1;
	struct expect_spec *scratch;
	struct ini ini;

	memset(x, 0, sizeof(*x));
	snprintf(x->path, sizeof(x->path), "%s", path);
	scratch = calloc(1, sizeof(*scratch));
	if (!scratch)
		return err_set(e, ENOMEM, "reading %s", path);
	for (i = 0; i < EXPECT_KEYS_MAX; i++)
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
		for (; i < ini.nentries && ini.entries[i].section == sec; i++)
			if (load_entry(&ld, &ini, i, sec, applies, x, scratch, owner))
				goto out;
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
