// SPDX-License-Identifier: GPL-2.0
/* Find a process's cgroup directory for a controller from /proc/self/{mountinfo,cgroup}. */
#include "shared/cgroup_locate.h"

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

/* Does the comma-separated list contain the word? */
static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		if (!strncmp(list, word, n) && (list[n] == ',' || list[n] == '\0'))
			return true;
		list = strchr(list, ',');
		if (list)
			list++;
	}
	return false;
}

/* Does the space-separated file content contain the word? */
static bool file_has_word(const char *path, const char *word)
{
	char buf[1024], *tok, *save;
	FILE *f = fopen(path, "re");
	bool found = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
			if (!strcmp(tok, word))
				found = true;
	}
	fclose(f);
	return found;
}

/*
 * Find the mount of the hierarchy: v1 (fstype cgroup, super options name the
 * controller) or, when want_v2, the cgroup2 mount. Fills mount and its root.
 */
static int find_mount(const char *proc_root, const char *controller, int version,
		      char *mount, char *root, size_t len)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/self/mountinfo", proc_root);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (found && getline(&line, &cap, f) > 0) {
		char *fields[12], *dash, *save, *tok;
		char *fstype, *super;
		int n = 0;

		dash = strstr(line, " - ");
		if (!dash)
			continue;
		*dash = '\0';
		for (tok = strtok_r(line, " ", &save); tok && n < 12; tok = strtok_r(NULL, " ", &save))
			fields[n++] = tok;
		if (n < 5)
			continue;
		fstype = strtok_r(dash + 3, " ", &save);
		strtok_r(NULL, " ", &save); /* source */
		super = strtok_r(NULL, " \n", &save);
		if (!fstype)
			continue;
		if (version == 1 && (strcmp(fstype, "cgroup") || !list_has(super, controller)))
			continue;
		if (version == 2 && strcmp(fstype, "cgroup2"))
			continue;
		mountinfo_unescape(fields[3]);
		mountinfo_unescape(fields[4]);
		snprintf(root, len, "%s", fields[3]);
		snprintf(mount, len, "%s", fields[4]);
		found = 0;
	}
	free(line);
	fclose(f);
	if (found)
		errno = ENOENT;
	return found;
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
		if (version == 2 ? !strcmp(id, "0") && !*ctrls : list_has(ctrls, controller)) {
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
		if (!file_has_word(file, controller)) {
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
