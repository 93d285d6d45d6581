// SPDX-License-Identifier: GPL-2.0
/* Find a process's cgroup directory for a controller from /proc/self/{mountinfo,cgroup}. */
#include "shared/cgroup_locate.h"
#include "shared/words.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mountinfo_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

int cgroup_mounts_each(const char *proc_root, bool (*fn)(const struct cgroup_mount *m, void *ctx),
		       void *ctx)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	bool stop = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/self/mountinfo", proc_root);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (!stop && getline(&line, &cap, f) > 0) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ... - FSTYPE SOURCE SUPEROPTIONS" */
		char *fields[5], *dash = strstr(line, " - "), *save, *tok;
		struct cgroup_mount m;
		int n = 0;

		if (!dash)
			continue;
		*dash = '\0';
		for (tok = strtok_r(line, " ", &save); tok && n < 5; tok = strtok_r(NULL, " ", &save))
			fields[n++] = tok;
		tok = strtok_r(dash + 3, " ", &save);
		if (n < 5 || !tok || (strcmp(tok, "cgroup") && strcmp(tok, "cgroup2")))
			continue;
		m.version = strcmp(tok, "cgroup2") ? 1 : 2;
		strtok_r(NULL, " ", &save); /* the source */
		m.options = strtok_r(NULL, " \n", &save);
		if (!m.options)
			m.options = "";
		mountinfo_unescape(fields[3]);
		mountinfo_unescape(fields[4]);
		m.root = fields[3];
		m.mount = fields[4];
		stop = fn(&m, ctx);
	}
	free(line);
	fclose(f);
	return 0;
}

struct mount_search {
	const char *controller;
	int version;
	char *mount, *root;
	size_t len;
	bool found;
};

/* The v1 hierarchy whose super options name the controller, or the cgroup2 mount. */
static bool is_wanted(const struct cgroup_mount *m, void *ctx)
{
	struct mount_search *s = ctx;

	if (m->version != s->version ||
	    (m->version == 1 && !word_in(m->options, s->controller, ",")))
		return false;
	snprintf(s->root, s->len, "%s", m->root);
	snprintf(s->mount, s->len, "%s", m->mount);
	return s->found = true;
}

/*
 * Find the mount of the hierarchy: v1 (fstype cgroup, super options name the
 * controller) or v2 (the cgroup2 mount). Fills mount and its root.
 */
static int find_mount(const char *proc_root, const char *controller, int version,
		      char *mount, char *root, size_t len)
{
	struct mount_search s = { .controller = controller, .version = version, .mount = mount,
				  .root = root, .len = len };

	if (cgroup_mounts_each(proc_root, is_wanted, &s))
		return -1;
	if (!s.found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* The path of this process in the hierarchy, from <proc>/self/cgroup. */
static int find_own_path(const char *proc_root, const char *controller, int version,
			 char *out, size_t len)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/self/cgroup", proc_root);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (found && getline(&line, &cap, f) > 0) {
		/* "ID:controllers:path"; v2 is "0::path" */
		char *id = line, *ctrls = strchr(line, ':'), *cgpath;

		if (!ctrls || !(cgpath = strchr(ctrls + 1, ':')))
			continue;
		*ctrls++ = '\0';
		*cgpath++ = '\0';
		cgpath[strcspn(cgpath, "\n")] = '\0';
		if (version == 2 ? !strcmp(id, "0") && !*ctrls : word_in(ctrls, controller, ",")) {
			snprintf(out, len, "%s", cgpath);
			found = 0;
		}
	}
	free(line);
	fclose(f);
	if (found)
		errno = ENOENT;
	return found;
}

int cgroup_locate(const char *proc_root, const char *controller, struct cgroup_loc *loc)
{
	char *root = loc->mount_root, file[PATH_MAX + 32];
	const char *rel;
	size_t rootlen;

	memset(loc, 0, sizeof(*loc));
	loc->version = 1;
	if (find_mount(proc_root, controller, 1, loc->mount, root, sizeof(loc->mount_root))) {
		if (errno != ENOENT)
			return -1;
		loc->version = 2;
		if (find_mount(proc_root, controller, 2, loc->mount, root, sizeof(loc->mount_root)))
			return -1;
		snprintf(file, sizeof(file), "%s/cgroup.controllers", loc->mount);
		if (!word_in_file(file, controller, " \n")) {
			errno = ENOENT;
			return -1;
		}
	}
	if (find_own_path(proc_root, controller, loc->version, loc->path, sizeof(loc->path)))
		return -1;
	/*
	 * A mount whose root is not "/" (a bind mount of a sub-cgroup, or a mount made in
	 * a cgroup namespace) shows only the part of our path below its root.
	 */
	rel = loc->path;
	rootlen = strlen(root);
	if (strcmp(root, "/") && !strncmp(rel, root, rootlen) && (rel[rootlen] == '/' || !rel[rootlen]))
		rel += rootlen;
	if (snprintf(loc->dir, sizeof(loc->dir), "%s%s", loc->mount, strcmp(rel, "/") ? rel : "") >=
	    (int)sizeof(loc->dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}
