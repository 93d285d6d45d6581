// SPDX-License-Identifier: GPL-2.0
/* The run as JSON (docs/results.md): the kernels, and each case on each of them. */
#include "results/results.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"

static void case_object(struct json *j, const struct results *rs, const struct case_result *c)
{
	json_object_begin(j, NULL);
	json_string(j, "kernel", c->kernel);
	json_string(j, "release", strcmp(c->kernel, "host") ? c->kernel : rs->host_kernel);
	json_string(j, "case", c->name);
	json_string(j, "verdict", verdict_word(c->v));
	json_string(j, "reason", c->reason);
	json_int_known(j, "duration_ms", c->duration_ms, c->duration_ms >= 0);
	json_array_begin(j, "diagnostics");
	for (int i = 0; i < c->ndiags; i++)
		json_string(j, NULL, c->diags[i]);
	json_array_end(j);
	if (c->detail)
		json_raw(j, "detail", c->detail);
	else
		json_null(j, "detail");
	json_object_end(j);
}

int results_write_json(const struct results *rs, const char *path, struct err *e)
{
	int counts[4];
	struct json j;
	FILE *f = fopen(path, "we");

	if (!f)
		return err_set(e, errno, "--json: create `%s`", path);
	results_totals(rs, NULL, counts);
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "tool", "oomlab");
	json_int(&j, "format", 1);
	json_string(&j, "started", rs->started);
	json_string(&j, "host_kernel", rs->host_kernel);
	json_array_begin(&j, "kernels");
	for (int k = 0; k < rs->nkernels; k++)
		json_string(&j, NULL, rs->kernels[k]);
	json_array_end(&j);
	json_object_begin(&j, "totals");
	json_int(&j, "pass", counts[0]);
	json_int(&j, "fail", counts[1]);
	json_int(&j, "skip", counts[2]);
	json_int(&j, "error", counts[3]);
	json_object_end(&j);
	json_array_begin(&j, "results");
	for (int i = 0; i < rs->n; i++)
		case_object(&j, rs, &rs->list[i]);
	json_array_end(&j);
	json_object_end(&j);
	if (fclose(f))
		return err_set(e, errno, "--json: write `%s`", path);
	return 0;
}
