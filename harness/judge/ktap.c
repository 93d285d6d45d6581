// SPDX-License-Identifier: GPL-2.0
#include "judge/ktap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "results/progress.h"
#include "results/results.h"

/* A line to the output, and to the copy when there is one. */
static void emit(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct ktap *k, const char *fmt, ...)
{
	va_list ap;

	progress_clear(); /* (a terminal's progress line, which this line would print over) */
	va_start(ap, fmt);
	vfprintf(k->out, fmt, ap);
	va_end(ap);
	if (k->copy) {
		va_start(ap, fmt);
		vfprintf(k->copy, fmt, ap);
		va_end(ap);
	}
}

static void flush(struct ktap *k)
{
	fflush(k->out);
	if (k->copy)
		fflush(k->copy);
}

void ktap_start(struct ktap *k, FILE *out, int planned)
{
	FILE *copy = k->copy;
	struct results *rec = k->rec;
	bool echo = k->echo_detail;

	/* (what the caller set before the start is kept) */
	memset(k, 0, sizeof(*k));
	k->out = out;
	k->copy = copy;
	k->rec = rec;
	k->echo_detail = echo;
	k->planned = planned;
	emit(k, "TAP version 13\n1..%d\n", planned);
	flush(k);
}

void ktap_case_begin(struct ktap *k)
{
	k->case_start_ms = now_ms();
}

bool ktap_wants_detail(const struct ktap *k)
{
	return k->rec || k->echo_detail;
}

void ktap_detail(struct ktap *k, char *json)
{
	free(k->detail);
	k->detail = json;
}

/* Diagnostics are one line each: a newline inside the text starts another "# " line. */
static void print_diag(struct ktap *k, const char *text)
{
	const char *nl;

	do {
		nl = strchr(text, '\n');
		emit(k, "# %.*s\n", nl ? (int)(nl - text) : (int)strlen(text), text);
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
	print_diag(k, text);
	flush(k);
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
		print_diag(k, text);
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

/* Keep the result for the results files; the diagnostics and detail go with it. */
static void record(struct ktap *k, enum verdict v, const char *name, const char *reason)
{
	long took = k->case_start_ms ? now_ms() - k->case_start_ms : -1;

	if (results_add(k->rec, name, v, reason, k->pending, k->npending, took, k->detail))
		fprintf(stderr, "oomlab: out of memory keeping the result of %s\n", name);
	k->pending = NULL;
	k->detail = NULL;
}

void ktap_result(struct ktap *k, enum verdict v, const char *name, const char *reason)
{
	char clean[256];
	int i;

	for (i = 0; i < k->npending; i++)
		print_diag(k, k->pending[i]);
	if (k->echo_detail && k->detail)
		emit(k, "# %s%s\n", KTAP_DETAIL_PREFIX, k->detail);
	clean_name(clean, sizeof(clean), name);
	k->number++;
	switch (v) {
	case V_PASS:
		k->pass++;
		emit(k, "ok %d %s\n", k->number, clean);
		break;
	case V_SKIP:
		k->skip++;
		emit(k, "ok %d %s # SKIP %s\n", k->number, clean, reason ? reason : "");
		break;
	case V_TIMEOUT:
		k->fail++;
		emit(k, "not ok %d %s # TIMEOUT %s\n", k->number, clean, reason ? reason : "");
		break;
	case V_ERROR:
		k->error++;
		emit(k, "not ok %d %s # ERROR %s\n", k->number, clean, reason ? reason : "");
		break;
	case V_FAIL:
		k->fail++;
		emit(k, "not ok %d %s\n", k->number, clean);
		break;
	}
	flush(k);
	if (k->rec) {
		record(k, v, name, reason);
	} else {
		for (i = 0; i < k->npending; i++)
			free(k->pending[i]);
		free(k->pending);
		k->pending = NULL;
		free(k->detail);
		k->detail = NULL;
	}
	k->npending = 0;
	k->case_start_ms = 0;
}

void ktap_bail_out(struct ktap *k, const char *reason)
{
	emit(k, "Bail out! %s\n", reason);
	flush(k);
}

int ktap_finish(struct ktap *k)
{
	for (int i = 0; i < k->npending; i++)
		free(k->pending[i]);
	free(k->pending);
	k->pending = NULL;
	free(k->detail);
	k->detail = NULL;
	if (k->number != k->planned)
		emit(k, "# Planned tests != run tests (%d != %d)\n", k->planned, k->number);
	emit(k, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d\n", k->pass,
		k->fail, k->skip, k->error);
	flush(k);
	if (k->fail || k->error || k->number != k->planned)
		return KSFT_FAIL;
	if (k->number > 0 && k->skip == k->number)
		return KSFT_SKIP;
	return KSFT_PASS;
}
