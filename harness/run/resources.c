// SPDX-License-Identifier: GPL-2.0
#include "run/resources.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "machine/swapfile.h"
#include "shared/placeholders.h"

/* What a placeholder stands for in this case, for the role of this index. */
static void resource_value(const struct case_resources *res, enum placeholder ph, const char *role,
			   int role_index, char *out, size_t len)
{
	switch (ph) {
	case PH_SWAPFILE:
		snprintf(out, len, "%s", res->swapfile);
		break;
	case PH_TMPFILE:
		snprintf(out, len, "%s/%s.%s", res->tmpfile_dir, res->prefix, role);
		break;
	case PH_IPCKEY:
		snprintf(out, len, "%ld", res->ipckey_base + role_index);
		break;
	case PH_COUNT:
		break;
	}
}

int resources_expand(const struct case_resources *res, const char *role, int role_index,
		     const char *arg, char *out, size_t len)
{
	size_t o = 0;

	while (*arg) {
		char value[PATH_MAX + 200];
		int ph = *arg == '{' ? placeholder_at(arg) : -1;
		size_t n;

		if (ph < 0) {
			if (o + 1 >= len)
				return -1;
			out[o++] = *arg++;
			continue;
		}
		resource_value(res, (enum placeholder)ph, role, role_index, value, sizeof(value));
		arg += strlen(placeholders[ph].text);
		n = strlen(value);
		if (o + n + 1 > len)
			return -1;
		memcpy(out + o, value, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

static int journal_resource(struct case_resources *res, struct journal *j, enum journal_kind kind,
			    const char *arg, struct err *e)
{
	int id;

	if (res->njids == RESOURCES_MAX)
		return err_set(e, ENOSPC, "more than %d swap files, tmpfiles and IPC keys", RESOURCES_MAX);
	id = journal_add(j, kind, arg, e);
	if (id < 0)
		return -1;
	res->jids[res->njids++] = id;
	return 0;
}

int resources_journal(struct case_resources *res, struct journal *j, char *const *args,
		      const char *role, int role_index, struct err *e)
{
	static const struct {
		enum placeholder ph;
		enum journal_kind kind;
	} made[] = { { PH_TMPFILE, J_FILE }, { PH_IPCKEY, J_SHM } };
	char entry[PATH_MAX + 256];

	for (size_t m = 0; m < sizeof(made) / sizeof(made[0]); m++) {
		bool used = false;

		for (int i = 0; args[i]; i++)
			used |= placeholder_in(args[i], made[m].ph);
		if (!used)
			continue;
		resource_value(res, made[m].ph, role, role_index, entry, sizeof(entry));
		if (journal_resource(res, j, made[m].kind, entry, e))
			return -1;
	}
	return 0;
}

void resources_teardown(struct case_resources *res, struct journal *j, void (*warn)(const char *msg))
{
	struct err e;

	while (res->njids > 0)
		if (journal_undo(j, res->jids[--res->njids], &e))
			warn(e.msg); /* the journal keeps it; the next run retries */
}

int swapfile_on(struct case_resources *res, const char *dir, size_t size, struct journal *j,
		struct err *e)
{
	const char *problem = swap_dir_problem(dir);

	if (problem)
		return err_set(e, 0, "no swap for this case: %s (`%s`)", problem, dir);
	snprintf(res->swapfile, sizeof(res->swapfile), "%s/%s.swap", dir, res->prefix);
	if (journal_resource(res, j, J_SWAPFILE, res->swapfile, e))
		return -1;
	if (swapfile_create(res->swapfile, size, e))
		return err_wrap(e, "no swap for this case");
	return 0;
}
