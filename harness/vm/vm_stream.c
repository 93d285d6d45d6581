// SPDX-License-Identifier: GPL-2.0
#include "vm/vm_stream.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "judge/ktap.h"
#include "shared/words.h"

static void push(char ***list, int *n, const char *text)
{
	char **grown = realloc(*list, (size_t)(*n + 1) * sizeof(**list));

	if (!grown)
		return;
	*list = grown;
	(*list)[*n] = strdup(text);
	if ((*list)[*n])
		(*n)++;
}

static void free_list(char **list, int n)
{
	while (n-- > 0)
		free(list[n]);
	free(list);
}

/* "ok 3 name # SKIP reason" and the like, from the guest's stream. */
static bool parse_result(const char *line, struct guest_result *r)
{
	const char *p = line, *hash, *after_ok, *after_not_ok;
	bool ok;

	after_ok = after_prefix(p, "ok ");
	after_not_ok = after_prefix(p, "not ok ");
	if (!after_ok && !after_not_ok)
		return false;
	ok = after_ok != NULL;
	p = ok ? after_ok : after_not_ok;
	p += strspn(p, "0123456789");
	p += strspn(p, " ");
	hash = strstr(p, " # ");
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%.*s", hash ? (int)(hash - p) : (int)strlen(p), p);
	r->v = ok ? V_PASS : V_FAIL;
	if (hash) {
		const char *d = after_prefix(hash, " # ");

		if (starts_with(d, "SKIP"))
			r->v = V_SKIP;
		else if (starts_with(d, "TIMEOUT"))
			r->v = V_TIMEOUT;
		else if (starts_with(d, "ERROR"))
			r->v = V_ERROR;
		d += strcspn(d, " ");
		snprintf(r->reason, sizeof(r->reason), "%s", d + strspn(d, " "));
	}
	return true;
}

/* Where the guest keeps the case and expected files (harness/vm/guest-init.sh). */
#define GUEST_CASES "/oomlab/cases/"
#define GUEST_EXPECTED "/oomlab/expected/"

/* A guest's diagnostic line with the guest's paths of case files made the host's. */
static void host_paths(const struct vm_opts *o, const char *line, char *out, size_t len)
{
	size_t used = 0;

	while (*line && used + 1 < len) {
		const char *dir = NULL;
		size_t skip = 0;

		if (!strncmp(line, GUEST_CASES, strlen(GUEST_CASES))) {
			dir = o->cases_dir;
			skip = strlen(GUEST_CASES);
		} else if (!strncmp(line, GUEST_EXPECTED, strlen(GUEST_EXPECTED))) {
			dir = o->expected_dir;
			skip = strlen(GUEST_EXPECTED);
		}
		if (dir) {
			used += (size_t)snprintf(out + used, len - used, "%s/", dir);
			line += skip;
		} else {
			out[used++] = *line++;
		}
	}
	out[used < len ? used : len - 1] = '\0';
}

void guest_ktap_init(struct guest_ktap *g)
{
	memset(g, 0, sizeof(*g));
}

/* A note of the guest's header: its /init's ("guest: "), then oomlab's. */
static bool header_note(const char *line)
{
	return starts_with(line, "guest: ") || starts_with(line, "oomlab on ") ||
	       starts_with(line, "cases run in");
}

/* The guest's header notes come before its first result: kept apart from its diagnostics. */
static void take_notes(struct guest_ktap *g)
{
	int i;

	for (i = 0; i < g->npending && header_note(g->pending[i]); i++)
		push(&g->notes, &g->nnotes, g->pending[i]);
	for (int d = 0; d < i; d++)
		free(g->pending[d]);
	if (i) {
		memmove(g->pending, g->pending + i, (size_t)(g->npending - i) * sizeof(*g->pending));
		g->npending -= i;
	}
}

/* One whole line of the guest's log. */
static void take_line(struct guest_ktap *g, const struct vm_opts *o, const char *line)
{
	char nonce_line[80], mapped[PATH_MAX + 1024];
	struct guest_result r, *grown;

	if (!g->ours) {
		snprintf(nonce_line, sizeof(nonce_line), "# oomlab-guest: boot %s", g->nonce);
		g->ours = !strcmp(line, nonce_line);
		return;
	}
	if (starts_with(line, "# " KTAP_DETAIL_PREFIX)) {
		free(g->detail);
		g->detail = strdup(line + strlen("# " KTAP_DETAIL_PREFIX));
		return;
	}
	if (starts_with(line, "# ")) {
		host_paths(o, line + 2, mapped, sizeof(mapped));
		if (!starts_with(line, "# oomlab-guest: ") && !starts_with(line, "# Totals:"))
			push(&g->pending, &g->npending, mapped);
		return;
	}
	if (!parse_result(line, &r))
		return;
	if (!g->n && !g->nnotes)
		take_notes(g);
	grown = realloc(g->r, (size_t)(g->n + 1) * sizeof(*g->r));
	if (!grown)
		return;
	g->r = grown;
	r.diags = g->pending;
	r.ndiags = g->npending;
	r.detail = g->detail;
	g->r[g->n++] = r;
	g->pending = NULL;
	g->npending = 0;
	g->detail = NULL;
}

void guest_ktap_read(struct guest_ktap *g, const struct boot *b, const struct vm_opts *o,
		     bool at_end)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (strcmp(g->nonce, b->nonce)) {
		/* another boot (a retry): its log is a new file */
		guest_ktap_free(g);
		snprintf(g->nonce, sizeof(g->nonce), "%s", b->nonce);
	}
	if (!g->f && !(g->f = fopen(b->ktap, "re")))
		return;
	for (;;) {
		long at = ftell(g->f);

		clearerr(g->f);
		len = getline(&line, &cap, g->f);
		if (len <= 0)
			break;
		if (line[len - 1] != '\n') {
			/* the guest is still writing it, or (at the end) it was cut: not a result */
			if (!at_end)
				fseek(g->f, at, SEEK_SET);
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		take_line(g, o, line);
	}
	free(line);
}

const struct guest_result *guest_result(const struct guest_ktap *g, const char *name)
{
	for (int i = 0; i < g->n; i++)
		if (!strcmp(g->r[i].name, name))
			return &g->r[i];
	return NULL;
}

void guest_ktap_free(struct guest_ktap *g)
{
	for (int i = 0; i < g->n; i++) {
		free_list(g->r[i].diags, g->r[i].ndiags);
		free(g->r[i].detail);
	}
	free(g->r);
	free_list(g->notes, g->nnotes);
	free_list(g->pending, g->npending);
	free(g->detail);
	if (g->f)
		fclose(g->f);
	guest_ktap_init(g);
}
