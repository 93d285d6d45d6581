// SPDX-License-Identifier: GPL-2.0
#include "judge/casejson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

#define EXPECTATIONS 128

struct expectations {
	char *text[EXPECTATIONS];     /* "key = value" */
	int n;
};

static void collect(void *ctx, const char *text)
{
	struct expectations *x = ctx;

	if (x->n < EXPECTATIONS && (x->text[x->n] = strdup(text)))
		x->n++;
}

static size_t key_len(const char *text)
{
	const char *eq = strstr(text, " = ");

	return eq ? (size_t)(eq - text) : strlen(text);
}

/*
 * The failure of expectation i ("killed: expected ..."), or NULL. A key the file has
 * more than once (dmesg, output, exit) takes only a failure that names its value.
 */
static const char *failure_of(const struct judge *j, const struct expectations *x, int i)
{
	size_t len = key_len(x->text[i]);
	const char *value = x->text[i][len] ? x->text[i] + len + 3 : "";
	int same = 0;

	for (int k = 0; k < x->n; k++)
		same += key_len(x->text[k]) == len && !strncmp(x->text[k], x->text[i], len);
	for (int f = 0; f < j->nfails; f++)
		if (!strncmp(j->fails[f], x->text[i], len) && j->fails[f][len] == ':' &&
		    (same == 1 || strstr(j->fails[f], value)))
			return j->fails[f];
	return NULL;
}

/* Each expectation, "key = value": passed, or failed with what was seen. */
static void checks(struct json *json, const struct judge *j)
{
	struct expectations x = { .n = 0 };

	expect_print(j->x, collect, &x);
	json_array_begin(json, "checks");
	for (int i = 0; i < x.n; i++) {
		size_t len = key_len(x.text[i]);
		const char *failed = failure_of(j, &x, i);
		char key[64];

		snprintf(key, sizeof(key), "%.*s", (int)len, x.text[i]);
		json_object_begin(json, NULL);
		json_string(json, "key", key);
		json_string(json, "expected", x.text[i][len] ? x.text[i] + len + 3 : "");
		json_bool(json, "ok", !failed && j->r->outcome == OUT_DONE);
		json_string(json, "failure", failed ? failed + len + 2 : NULL);
		json_object_end(json);
	}
	json_array_end(json);
	for (int i = 0; i < x.n; i++)
		free(x.text[i]);
	/* every failure, those of default checks (model_victim, exit codes) too */
	json_array_begin(json, "failures");
	for (int i = 0; i < j->nfails; i++)
		json_string(json, NULL, j->fails[i]);
	json_array_end(json);
}

/* Did a "Killed process" line of the case's own reports name this role's process? */
static bool logged_victim(const struct case_run *r, const struct proc_run *p)
{
	for (size_t e = 0; e < r->report.n; e++)
		for (size_t k = 0; r->ours && r->ours[e] && k < (size_t)r->report.events[e].nkills; k++)
			if (case_run_owner(r, r->report.events[e].kills[k].pid) == p)
				return true;
	return false;
}

static void processes(struct json *json, const struct case_run *r)
{
	char fate[128];

	json_array_begin(json, "processes");
	for (int i = 0; i < r->nprocs; i++) {
		const struct proc_run *p = &r->procs[i];
		const struct proc_sample *s = &p->sample;

		json_object_begin(json, NULL);
		json_string(json, "role", p->spec->role);
		json_int(json, "pid", p->pid);
		json_bool(json, "trigger", p->spec->trigger);
		json_bool(json, "victim", logged_victim(r, p));
		json_int_known(json, "oom_score_adj", s->oom_score_adj, s->ok);
		json_int_known(json, "oom_score", s->oom_score, s->ok);
		json_int_known(json, "model_oom_score", p->model.oom_score, p->model.ok);
		json_int_known(json, "badness", p->model.domain_points,
			       p->model.ok && p->model.domain_points != BADNESS_UNKILLABLE);
		json_bool(json, "never_chosen", p->model.ok && p->model.domain_points == BADNESS_UNKILLABLE);
		json_int_known(json, "anon_kb", s->rss_anon_kb, s->ok && s->rss_anon_kb >= 0);
		json_int_known(json, "file_kb", s->rss_file_kb, s->ok && s->rss_file_kb >= 0);
		json_int_known(json, "shmem_kb", s->rss_shmem_kb, s->ok && s->rss_shmem_kb >= 0);
		json_int(json, "members", p->nmembers);
		json_string(json, "fate", proc_fate(p, fate, sizeof(fate)));
		json_object_end(json);
	}
	json_array_end(json);
}

/* [t_ms, cgroup_kb, rss_kb of each process...] per sample; -1 where not read. */
static void memory(struct json *json, const struct mem_trace *m)
{
	char row[32 * (CASE_MAX_PROCS + 2)];

	json_object_begin(json, "memory");
	json_int(json, "interval_ms", m->interval_ms);
	json_array_begin(json, "samples");
	for (int i = 0; i < m->n; i++) {
		size_t used = (size_t)snprintf(row, sizeof(row), "[%ld,%lld", m->s[i].t_ms, m->s[i].cgroup_kb);

		for (int p = 0; p < m->nprocs; p++)
			used += (size_t)snprintf(row + used, sizeof(row) - used, ",%lld", m->s[i].rss_kb[p]);
		snprintf(row + used, sizeof(row) - used, "]");
		json_raw(json, NULL, row);
	}
	json_array_end(json);
	json_object_end(json);
}

static bool matched(const struct judge *j, size_t line)
{
	for (int i = 0; i < j->nmatched; i++)
		if (j->matched[i] == (long)line)
			return true;
	return false;
}

/* The case's own kernel log lines (its OOM reports). */
static void log_lines(struct json *json, const struct judge *j)
{
	const struct case_run *r = j->r;

	json_array_begin(json, "log");
	for (size_t i = 0; i < r->nlines; i++) {
		if (!r->line_ours || !r->line_ours[i])
			continue;
		json_object_begin(json, NULL);
		json_string(json, "text", r->lines[i].text);
		json_bool(json, "matched", matched(j, i));
		json_object_end(json);
	}
	json_array_end(json);
}

char *casejson_render(const struct judge *j, enum verdict v)
{
	const struct case_run *r = j->r;
	struct json json;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	json_init_compact(&json, f);
	json_object_begin(&json, NULL);
	json_string(&json, "case", r->cs->name);
	json_string(&json, "summary", r->cs->summary);
	json_string(&json, "verdict", verdict_word(v));
	json_string(&json, "why", r->why[0] ? r->why : NULL);
	json_object_begin(&json, "timings_ms");
	json_int(&json, "waited", r->waited_ms);
	json_int(&json, "ready", r->t_ready_ms);
	json_int(&json, "go", r->t_go_ms);
	json_int(&json, "end", r->t_end_ms);
	json_int(&json, "settled", r->t_settled_ms);
	json_int(&json, "total", r->t_total_ms);
	json_object_end(&json);
	checks(&json, j);
	processes(&json, r);
	memory(&json, &r->trace);
	log_lines(&json, j);
	json_object_end(&json);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}
