// SPDX-License-Identifier: GPL-2.0
#include "results/resultsout.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "shared/arrays.h"

/* The files written from the results, and who writes each. */
static const struct {
	int (*write)(const struct results *rs, const char *path, struct err *e);
	size_t offset;               /* of its path in struct results_out */
} writers[] = {
	{ results_write_junit, offsetof(struct results_out, junit) },
	{ results_write_json, offsetof(struct results_out, json) },
	{ results_write_html, offsetof(struct results_out, html) },
};

/* dir/name, or the path given alone, or "" */
static void place(char *out, size_t len, const char *given, const char *dir, const char *name)
{
	if (given)
		snprintf(out, len, "%s", given);
	else if (dir)
		snprintf(out, len, "%s/%s", dir, name);
	else
		out[0] = '\0';
}

int results_out_open(struct results_out *ro, const char *junit, const char *json, const char *html,
		     const char *dir, const char *host_kernel)
{
	char path[PATH_MAX + 16];

	memset(ro, 0, sizeof(*ro));
	ro->on = junit || json || html || dir;
	if (!ro->on)
		return 0;
	place(ro->junit, sizeof(ro->junit), junit, dir, "results.xml");
	place(ro->json, sizeof(ro->json), json, dir, "results.json");
	place(ro->html, sizeof(ro->html), html, dir, "report.html");
	if (dir) {
		if (mkdir(dir, 0755) && errno != EEXIST) {
			fprintf(stderr, "oomlab: --results: mkdir `%s`: %s\n", dir, strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "%s/results.ktap", dir);
		ro->ktap_copy = fopen(path, "we");
		if (!ro->ktap_copy) {
			fprintf(stderr, "oomlab: --results: create `%s`: %s\n", path, strerror(errno));
			return -1;
		}
		snprintf(ro->vm_logs, sizeof(ro->vm_logs), "%s/vm-logs", dir);
	}
	/* each file made now: one that cannot be is said before any case runs */
	for (size_t i = 0; i < ARRAY_SIZE(writers); i++) {
		const char *file = (const char *)ro + writers[i].offset;
		FILE *f;

		if (!file[0])
			continue;
		f = fopen(file, "we");
		if (!f || fclose(f)) {
			fprintf(stderr, "oomlab: create `%s`: %s\n", file, strerror(errno));
			if (ro->ktap_copy)
				fclose(ro->ktap_copy);
			return -1;
		}
	}
	results_init(&ro->rs, host_kernel);
	return 0;
}

int results_out_close(struct results_out *ro)
{
	struct err e;
	int rc = 0;

	if (!ro->on)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(writers); i++) {
		const char *path = (const char *)ro + writers[i].offset;

		if (path[0] && writers[i].write(&ro->rs, path, &e)) {
			fprintf(stderr, "oomlab: %s\n", e.msg);
			rc = -1;
		}
	}
	if (ro->ktap_copy && fclose(ro->ktap_copy)) {
		fprintf(stderr, "oomlab: --results: writing results.ktap: %s\n", strerror(errno));
		rc = -1;
	}
	results_free(&ro->rs);
	return rc;
}
