// SPDX-License-Identifier: GPL-2.0
#include "journal/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "shared/words.h"

static int append(struct journal *j, const char *line, struct err *e)
{
	size_t len = strlen(line);

	if (write(j->fd, line, len) != (ssize_t)len)
		return err_set(e, errno, "write `%s`", j->path);
	return 0;
}

int journal_open(struct journal *j, const char *state_dir, struct err *e)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	if (mkdir(state_dir, 0700) && errno != EEXIST)
		return err_set(e, errno, "mkdir `%s`", state_dir);
	snprintf(j->path, sizeof(j->path), "%s/journal.%d", state_dir, (int)getpid());
	/*
	 * The file appears already locked (an unnamed file, locked, then linked in), so a
	 * concurrent run's recovery never takes it for a dead run's journal.
	 */
	j->fd = open(state_dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (j->fd >= 0) {
		char fdpath[64];

		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", j->fd);
		unlink(j->path); /* a stale file of a dead run with our pid */
		if (flock(j->fd, LOCK_EX | LOCK_NB) ||
		    linkat(AT_FDCWD, fdpath, AT_FDCWD, j->path, AT_SYMLINK_FOLLOW) ||
		    fcntl(j->fd, F_SETFL, O_APPEND)) {
			int err = errno;

			close(j->fd);
			j->fd = -1;
			return err_set(e, err, "create `%s`", j->path);
		}
		return 0;
	}
	/* No O_TMPFILE on this file system: create, then lock. */
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0)
		return err_set(e, errno, "open `%s`", j->path);
	if (flock(j->fd, LOCK_EX | LOCK_NB)) {
		int err = errno;

		close(j->fd);
		j->fd = -1;
		return err_set(e, err, "lock `%s`", j->path);
	}
	return 0;
}

int journal_add(struct journal *j, enum journal_kind kind, const char *arg, struct err *e)
{
	struct journal_entry *grown;
	char line[PATH_MAX + 64];

	grown = realloc(j->live, (size_t)(j->nlive + 1) * sizeof(*j->live));
	if (!grown)
		return err_set(e, ENOMEM, "journal");
	j->live = grown;
	snprintf(line, sizeof(line), "add %d %s %s\n", j->next_id, journal_kind_name(kind), arg);
	if (append(j, line, e))
		return -1;
	grown[j->nlive].id = j->next_id;
	grown[j->nlive].kind = kind;
	snprintf(grown[j->nlive].arg, sizeof(grown[j->nlive].arg), "%s", arg);
	j->nlive++;
	return j->next_id++;
}

/* The index of the live entry with this id; -1 when it has none (undone already). */
static int live_index(const struct journal *j, int id)
{
	for (int i = 0; i < j->nlive; i++)
		if (j->live[i].id == id)
			return i;
	return -1;
}

/* Cross out live entry i. */
static int cross_out(struct journal *j, int i, struct err *e)
{
	char line[32];

	snprintf(line, sizeof(line), "del %d\n", j->live[i].id);
	memmove(&j->live[i], &j->live[i + 1], (size_t)(j->nlive - i - 1) * sizeof(*j->live));
	j->nlive--;
	return append(j, line, e);
}

int journal_del(struct journal *j, int id, struct err *e)
{
	int i = live_index(j, id);

	return i < 0 ? 0 : cross_out(j, i, e);
}

int journal_undo(struct journal *j, int id, struct err *e)
{
	int i = live_index(j, id);

	if (i < 0)
		return 0;
	if (journal_undo_change(j->live[i].kind, j->live[i].arg, e))
		return -1;
	return cross_out(j, i, e);
}

int journal_close(struct journal *j, void (*warn)(const char *msg))
{
	int failed = 0;

	if (j->fd < 0)
		return 0;
	while (j->nlive > 0) {
		struct journal_entry *en = &j->live[j->nlive - 1];
		struct err e;

		if (journal_undo_change(en->kind, en->arg, &e)) {
			warn(e.msg);
			failed = 1;
			j->nlive--; /* left in the file: the next run tries again */
			continue;
		}
		journal_del(j, en->id, &e);
	}
	if (!failed)
		unlink(j->path);
	close(j->fd);
	j->fd = -1;
	free(j->live);
	j->live = NULL;
	return failed ? -1 : 0;
}

/* Read a dead run's journal into its live entries. */
static int replay(FILE *f, struct journal_entry **out, int *n)
{
	char line[PATH_MAX + 64];

	*out = NULL;
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		struct journal_entry en, *grown;
		char kind[16];
		int id, used = 0, i, k;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "del %d", &id) == 1) {
			for (i = 0; i < *n; i++)
				if ((*out)[i].id == id)
					(*out)[i].id = -1;
			continue;
		}
		if (sscanf(line, "add %d %15s %n", &en.id, kind, &used) < 2 || !used ||
		    (k = journal_kind_named(kind)) < 0)
			continue; /* a torn line of a run killed while writing it */
		en.kind = (enum journal_kind)k;
		snprintf(en.arg, sizeof(en.arg), "%s", line + used);
		grown = realloc(*out, (size_t)(*n + 1) * sizeof(**out));
		if (!grown) {
			free(*out);
			*out = NULL;
			return -1;
		}
		*out = grown;
		(*out)[(*n)++] = en;
	}
	return 0;
}

int journal_recover(const char *state_dir, void (*note)(const char *msg))
{
	struct dirent *d;
	int handled = 0;
	DIR *dh = opendir(state_dir);

	if (!dh)
		return 0;
	while ((d = readdir(dh))) {
		struct journal_entry *entries;
		char path[PATH_MAX], msg[PATH_MAX + 2200];
		int fd, n, i, failed = 0;
		FILE *f;

		if (!starts_with(d->d_name, "journal."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", state_dir, d->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB)) { /* a live run */
			close(fd);
			continue;
		}
		f = fdopen(fd, "r");
		if (!f || replay(f, &entries, &n)) {
			if (f)
				fclose(f);
			else
				close(fd);
			continue;
		}
		for (i = n - 1; i >= 0; i--) {
			struct err e;

			if (entries[i].id < 0)
				continue;
			if (journal_undo_change(entries[i].kind, entries[i].arg, &e)) {
				snprintf(msg, sizeof(msg), "left by an earlier run (%s): could not undo "
					 "'%s %s': %s", path, journal_kind_name(entries[i].kind),
					 entries[i].arg, e.msg);
				failed = 1;
			} else {
				snprintf(msg, sizeof(msg), "left by an earlier run (%s): undid '%s %s'",
					 path, journal_kind_name(entries[i].kind), entries[i].arg);
			}
			note(msg);
		}
		free(entries);
		if (!failed)
			unlink(path);
		fclose(f); /* releases the lock */
		handled++;
	}
	closedir(dh);
	return handled;
}

int journal_mkdir_cgroup(struct journal *j, int version, const char *dir, struct err *e)
{
	char entry[PATH_MAX + 8];
	int id;

	snprintf(entry, sizeof(entry), "%d %s", version, dir);
	id = journal_add(j, J_CGROUP, entry, e);
	if (id < 0 || cg_mkdir(dir, e))
		return -1;
	return id;
}
