// SPDX-License-Identifier: GPL-2.0
#include "run/resources.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machine/swapfile.h"
#include "shared/placeholders.h"
#include "shared/arrays.h"

/*
 * {ipckey}: 'o' (0x6f) in the top byte, then oomlab's pid (its low 20 bits), then the
 * role's index in the low 4 bits, so that runs at once and roles of a case differ.
 */
#define IPCKEY_BASE 0x6f000000L
#define IPCKEY_PID_MASK 0xfffffL
#define IPCKEY_ROLE_BITS 4

_Static_assert(CASE_MAX_PROCS <= 1 << IPCKEY_ROLE_BITS, "a role without an IPC key of its own");

void resources_init(struct case_resources *res, const char *case_name, const char *tmpfile_dir)
{
	pid_t pid = getpid();

	memset(res, 0, sizeof(*res));
	snprintf(res->prefix, sizeof(res->prefix), "oomlab.%d.%s", (int)pid, case_name);
	snprintf(res->tmpfile_dir, sizeof(res->tmpfile_dir), "%s", tmpfile_dir);
	res->ipckey_base = IPCKEY_BASE + (((long)pid & IPCKEY_PID_MASK) << IPCKEY_ROLE_BITS);
}

void resources_markdown(FILE *out)
{
	const char *value[PH_COUNT] = {
		[PH_SWAPFILE] = "the case's swap file (needs `swap = SIZE`): "
				"`SWAP_DIR/oomlab.PID.CASE.swap` (`--swap-dir`)",
		[PH_TMPFILE] = "a path on the tmpfs: `TMPFILE_DIR/oomlab.PID.CASE.ROLE` "
			       "(`--tmpfile-dir`)",
		[PH_IPCKEY] = NULL, /* printed below from the constants */
	};

	fprintf(out, "| placeholder | value (PID: oomlab's) | what the harness does |\n|---|---|---|\n");
	for (int ph = 0; ph < PH_COUNT; ph++) {
		fprintf(out, "| `%s` | ", placeholders[ph].text);
		if (value[ph])
			fputs(value[ph], out);
		else
			fprintf(out, "a SysV IPC key: `0x%lx + (PID & 0x%lx) * %d + N`, N the role's "
				"index in the case", IPCKEY_BASE, IPCKEY_PID_MASK, 1 << IPCKEY_ROLE_BITS);
		fprintf(out, " | %s |\n", placeholders[ph].what);
	}
}

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

	for (size_t m = 0; m < ARRAY_SIZE(made); m++) {
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

void resources_teardown(struct case_resources *res, struct journal *j,
			void (*warn)(void *ctx, const struct err *e), void *ctx)
{
	struct err e;

	while (res->njids > 0)
		if (journal_undo(j, res->jids[--res->njids], &e))
			warn(ctx, &e); /* the journal keeps it; the next run retries */
}

int swapfile_on(struct case_resources *res, const char *dir, size_t size, struct journal *j,
		struct err *e)
{
	/* unmet() (suite.c) has skipped the case already where dir cannot hold swap. */
	snprintf(res->swapfile, sizeof(res->swapfile), "%s/%s.swap", dir, res->prefix);
	if (journal_resource(res, j, J_SWAPFILE, res->swapfile, e))
		return -1;
	if (swapfile_create(res->swapfile, size, e))
		return err_wrap(e, "no swap for this case");
	return 0;
}
