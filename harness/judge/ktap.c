// SPDX-License-Identifier: GPL-2.0
#include "judge/ktap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ktap_start(struct ktap *k, FILE *out, int planned)
{
	memset(k, 0, sizeof(*k));
	k->out = out;
	k->planned = planned;
	fprintf(out, "TAP version 13\n1..%d\n", planned);
	fflush(out);
}

/* Diagnostics are one line each: a newline inside the text starts another "# " line. */
static void print_diag(FILE *out, const char *text)
{
	const char *nl;

	do {
		nl = strchr(text, '\n');
		fprintf(out, "# %.*s\n", nl ? (int)(nl - text) : (int)strlen(text), text);
		text = nl ? nl + 1 : NULL;
	} while (text && *text);
}

void ktap_note(struct ktap *k, const char *fmt, ...)
{
	char text[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	print_diag(k->out, text);
	fflush(k->out);
}

void ktap_diag(struct ktap *k, const char *fmt, ...)
{
	char text[4096], **grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	grown = realloc(k->pending, (size_t)(k->npending + 1) * sizeof(*k->pending));
	if (!grown) {
		print_diag(k->out, text);
		return;
	}
	k->pending = grown;
	k->pending[k->npending] = strdup(text);
	if (k->pending[k->npending])
		k->npending++;
}

/* KTAP descriptions may not hold '#'. */
static void clean_name(char *dst, size_t len, const char *name)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < len; i++)
		dst[i] = name[i] == '#' ? '_' : name[i];
	dst[i] = '\0';
}

void ktap_result(struct ktap *k, enum verdict v, const char *name, const char *reason)
{
	char clean[256];
	int i;

	for (i = 0; i < k->npending; i++) {
		print_diag(k->out, k->pending[i]);
		free(k->pending[i]);
	}
	k->npending = 0;
	clean_name(clean, sizeof(clean), name);
	k->number++;
	switch (v) {
	case V_PASS:
		k->pass++;
		fprintf(k->out, "ok %d %s\n", k->number, clean);
		break;
	case V_SKIP:
		k->skip++;
		fprintf(k->out, "ok %d %s # SKIP %s\n", k->number, clean, reason ? reason : "");
		break;
	case V_TIMEOUT:
		k->fail++;
		fprintf(k->out, "not ok %d %s # TIMEOUT %s\n", k->number, clean, reason ? reason : "");
		break;
	case V_ERROR:
		k->error++;
		fprintf(k->out, "not ok %d %s # ERROR %s\n", k->number, clean, reason ? reason : "");
		break;
	case V_FAIL:
		k->fail++;
		fprintf(k->out, "not ok %d %s\n", k->number, clean);
		break;
	}
	fflush(k->out);
}

int ktap_finish(struct ktap *k)
{
	free(k->pending);
	k->pending = NULL;
	if (k->number != k->planned)
		fprintf(k->out, "# Planned tests != run tests (%d != %d)\n", k->planned, k->number);
	fprintf(k->out, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d\n", k->pass,
		k->fail, k->skip, k->error);
	fflush(k->out);
	if (k->fail || k->error || k->number != k->planned)
		return KSFT_FAIL;
	if (k->number > 0 && k->skip == k->number)
		return KSFT_SKIP;
	return KSFT_PASS;
}
