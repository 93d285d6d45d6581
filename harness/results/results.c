// SPDX-License-Identifier: GPL-2.0
#include "results/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void results_init(struct results *rs, const char *host_kernel)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(rs, 0, sizeof(*rs));
	snprintf(rs->host_kernel, sizeof(rs->host_kernel), "%s", host_kernel);
	gmtime_r(&now, &tm);
	strftime(rs->started, sizeof(rs->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int add_kernel(struct results *rs, const char *kernel)
{
	char **grown;

	for (int i = 0; i < rs->nkernels; i++)
		if (!strcmp(rs->kernels[i], kernel))
			return 0;
	grown = realloc(rs->kernels, (size_t)(rs->nkernels + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	rs->kernels = grown;
	rs->kernels[rs->nkernels] = strdup(kernel);
	return rs->kernels[rs->nkernels] ? (rs->nkernels++, 0) : -1;
}

static void free_owned(char **diags, int ndiags, char *detail)
{
	for (int i = 0; i < ndiags; i++)
		free(diags[i]);
	free(diags);
	free(detail);
}

int results_add(struct results *rs, const char *name, enum verdict v, const char *reason,
		char **diags, int ndiags, long duration_ms, char *detail)
{
	const char *colon = strrchr(name, ':');
	struct case_result *grown, *c;

	grown = realloc(rs->list, (size_t)(rs->n + 1) * sizeof(*grown));
	if (!grown) {
		free_owned(diags, ndiags, detail);
		return -1;
	}
	rs->list = grown;
	c = &rs->list[rs->n];
	memset(c, 0, sizeof(*c));
	if (colon)
		snprintf(c->kernel, sizeof(c->kernel), "%.*s", (int)(colon - name), name);
	else
		snprintf(c->kernel, sizeof(c->kernel), "host");
	snprintf(c->name, sizeof(c->name), "%s", colon ? colon + 1 : name);
	c->v = v;
	c->reason = reason && reason[0] ? strdup(reason) : NULL;
	c->diags = diags;
	c->ndiags = ndiags;
	c->duration_ms = duration_ms;
	c->detail = detail;
	/* the case's own time (its start to cleanup) where it ran, the host's or a guest's */
	if (detail && strstr(detail, "\"total\": "))
		c->duration_ms = strtol(strstr(detail, "\"total\": ") + 9, NULL, 10);
	rs->n++;
	return add_kernel(rs, c->kernel);
}

void results_totals(const struct results *rs, const char *kernel, int counts[4])
{
	memset(counts, 0, 4 * sizeof(int));
	for (int i = 0; i < rs->n; i++) {
		const struct case_result *c = &rs->list[i];

		if (kernel && strcmp(c->kernel, kernel))
			continue;
		counts[c->v == V_PASS ? 0 : c->v == V_SKIP ? 2 : c->v == V_ERROR ? 3 : 1]++;
	}
}

void results_free(struct results *rs)
{
	for (int i = 0; i < rs->n; i++) {
		free(rs->list[i].reason);
		free_owned(rs->list[i].diags, rs->list[i].ndiags, rs->list[i].detail);
	}
	for (int i = 0; i < rs->nkernels; i++)
		free(rs->kernels[i]);
	free(rs->kernels);
	free(rs->list);
	memset(rs, 0, sizeof(*rs));
}
