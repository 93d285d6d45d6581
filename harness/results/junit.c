// SPDX-License-Identifier: GPL-2.0
/* JUnit XML: one <testsuite> per kernel (the host first), one <testcase> per case. */
#include "results/results.h"
#include "results/markup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void diagnostics(FILE *f, const struct case_result *c)
{
	for (int i = 0; i < c->ndiags; i++) {
		markup_text(f, c->diags[i]);
		fputc('\n', f);
	}
}

static void testcase(FILE *f, const struct results *rs, const struct case_result *c)
{
	const char *kernel = strcmp(c->kernel, "host") ? c->kernel : rs->host_kernel;

	fputs("    <testcase classname=\"oomlab.", f);
	markup_text(f, c->kernel);
	fputs("\" name=\"", f);
	markup_text(f, c->name);
	fprintf(f, "\" time=\"%.3f\">\n", c->duration_ms > 0 ? (double)c->duration_ms / 1000 : 0.0);
	if (c->v == V_SKIP) {
		fputs("      <skipped message=\"", f);
		markup_text(f, c->reason ? c->reason : "");
		fputs("\"/>\n", f);
	} else if (c->v != V_PASS) {
		fprintf(f, "      <%s type=\"%s\" message=\"", c->v == V_ERROR ? "error" : "failure",
			verdict_word(c->v));
		markup_text(f, c->reason ? c->reason : c->ndiags ? c->diags[0] : verdict_word(c->v));
		fputs("\">", f);
		diagnostics(f, c);
		fprintf(f, "</%s>\n", c->v == V_ERROR ? "error" : "failure");
	}
	if (c->ndiags && (c->v == V_PASS || c->v == V_SKIP)) {
		fputs("      <system-out>", f);
		diagnostics(f, c);
		fputs("</system-out>\n", f);
	}
	fputs("      <properties><property name=\"kernel\" value=\"", f);
	markup_text(f, kernel);
	fputs("\"/></properties>\n    </testcase>\n", f);
}

static void testsuite(FILE *f, const struct results *rs, const char *kernel)
{
	int counts[4];
	long ms = 0;

	results_totals(rs, kernel, counts);
	for (int i = 0; i < rs->n; i++)
		if (!strcmp(rs->list[i].kernel, kernel) && rs->list[i].duration_ms > 0)
			ms += rs->list[i].duration_ms;
	fputs("  <testsuite name=\"oomlab.", f);
	markup_text(f, kernel);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\" "
		"timestamp=\"%s\">\n", counts[0] + counts[1] + counts[2] + counts[3], counts[1], counts[3],
		counts[2], (double)ms / 1000, rs->started);
	for (int i = 0; i < rs->n; i++)
		if (!strcmp(rs->list[i].kernel, kernel))
			testcase(f, rs, &rs->list[i]);
	fputs("  </testsuite>\n", f);
}

int results_write_junit(const struct results *rs, const char *path, struct err *e)
{
	int counts[4];
	FILE *f = fopen(path, "we");

	if (!f)
		return err_set(e, errno, "--junit: create `%s`", path);
	results_totals(rs, NULL, counts);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"oomlab\" tests=\"%d\" "
		"failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n", counts[0] + counts[1] + counts[2] + counts[3],
		counts[1], counts[3], counts[2]);
	for (int k = 0; k < rs->nkernels; k++)
		testsuite(f, rs, rs->kernels[k]);
	fputs("</testsuites>\n", f);
	if (fclose(f))
		return err_set(e, errno, "--junit: write `%s`", path);
	return 0;
}
