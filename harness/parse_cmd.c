// SPDX-License-Identifier: GPL-2.0
/* oomlab parse: read OOM reports from a kernel log and print them as JSON. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "kmsg.h"
#include "oomreport.h"
#include "subcommands.h"

struct input {
	char **texts;            /* owned line texts */
	struct oom_line *lines;
	size_t n, cap;
};

static int add_line(struct input *in, char *text, double ts, long src)
{
	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 1024;
		char **t = realloc(in->texts, cap * sizeof(*t));
		struct oom_line *l;

		if (!t)
			return -1;
		in->texts = t;
		l = realloc(in->lines, cap * sizeof(*l));
		if (!l)
			return -1;
		in->lines = l;
		in->cap = cap;
	}
	in->texts[in->n] = text;
	in->lines[in->n] = (struct oom_line){ .text = text, .ts = ts, .src = src };
	in->n++;
	return 0;
}

/* "[  289.926475] text": the timestamp, and where the text starts. */
static const char *strip_dmesg(const char *s, double *ts)
{
	const char *p = s;
	char *end;

	if (*p != '[')
		return s;
	p++;
	while (*p == ' ')
		p++;
	/* seconds.microseconds: a task table row "[   8692] ..." is not a timestamp */
	*ts = strtod(p, &end);
	if (end == p || *end != ']' || !memchr(p, '.', (size_t)(end - p))) {
		*ts = -1;
		return s;
	}
	return end[1] == ' ' ? end + 2 : end + 1;
}

/* One input line: a raw /dev/kmsg record, a dmesg line, or bare text. */
static int read_line(struct input *in, const char *raw, size_t len, long lineno)
{
	struct kmsg_record rec;
	const char *text;
	double ts = -1;
	int l;

	if (isdigit((unsigned char)raw[0]) && kmsg_parse_record(raw, len, &rec) == 0) {
		char *t = rec.text;

		for (l = 0; l < rec.nlines; l++, t += strlen(t) + 1) {
			char *copy = strdup(t);

			if (!copy || add_line(in, copy, (double)rec.ts_usec / 1e6, lineno)) {
				free(copy);
				free(rec.text);
				return -1;
			}
		}
		free(rec.text);
		return 0;
	}
	text = strip_dmesg(raw, &ts);
	{
		char *copy = strdup(text);

		if (!copy || add_line(in, copy, ts, lineno)) {
			free(copy);
			return -1;
		}
	}
	return 0;
}

static void print_kill(struct json *j, const struct input *in, const struct oom_kill *k)
{
	json_object_begin(j, NULL);
	json_int(j, "line", in->lines[k->line].src);
	json_int(j, "pid", k->pid);
	json_string(j, "comm", k->comm);
	json_string(j, "reason", k->reason[0] ? k->reason : NULL);
	json_int_known(j, "total_vm_kb", k->total_vm_kb, k->total_vm_kb >= 0);
	json_int_known(j, "anon_rss_kb", k->anon_rss_kb, k->anon_rss_kb >= 0);
	json_int_known(j, "file_rss_kb", k->file_rss_kb, k->file_rss_kb >= 0);
	json_int_known(j, "shmem_rss_kb", k->shmem_rss_kb, k->shmem_rss_kb >= 0);
	json_int_known(j, "pgtables_kb", k->pgtables_kb, k->pgtables_kb >= 0);
	json_int_known(j, "uid", k->uid, k->uid >= 0);
	json_int_known(j, "oom_score_adj", k->oom_score_adj, k->has_adj);
	if (k->reaped) {
		json_object_begin(j, "reaped");
		json_int(j, "line", in->lines[k->reaper_line].src);
		json_int_known(j, "anon_rss_kb", k->reaped_anon_kb, k->reaped_anon_kb >= 0);
		json_int_known(j, "file_rss_kb", k->reaped_file_kb, k->reaped_file_kb >= 0);
		json_int_known(j, "shmem_rss_kb", k->reaped_shmem_kb, k->reaped_shmem_kb >= 0);
		json_object_end(j);
	} else {
		json_null(j, "reaped");
	}
	json_object_end(j);
}

static void print_task(struct json *j, const struct oom_task *t)
{
	json_object_begin(j, NULL);
	json_int(j, "pid", t->pid);
	json_int_known(j, "uid", t->uid, t->uid >= 0);
	json_int_known(j, "tgid", t->tgid, t->tgid >= 0);
	json_int_known(j, "total_vm", t->total_vm, t->total_vm >= 0);
	json_int_known(j, "rss", t->rss, t->rss >= 0);
	json_int_known(j, "rss_anon", t->rss_anon, t->rss_anon >= 0);
	json_int_known(j, "rss_file", t->rss_file, t->rss_file >= 0);
	json_int_known(j, "rss_shmem", t->rss_shmem, t->rss_shmem >= 0);
	json_int_known(j, "pgtables_bytes", t->pgtables_bytes, t->pgtables_bytes >= 0);
	json_int_known(j, "swapents", t->swapents, t->swapents >= 0);
	json_int(j, "oom_score_adj", t->oom_score_adj);
	json_string(j, "name", t->name);
	json_object_end(j);
}

static void print_event(struct json *j, const struct input *in, const struct oom_event *ev)
{
	size_t i;

	json_object_begin(j, NULL);
	json_int(j, "first_line", in->lines[ev->first_line].src);
	json_int(j, "last_line", in->lines[ev->last_line].src);
	if (ev->has_trigger) {
		json_object_begin(j, "trigger");
		json_string(j, "comm", ev->trigger_comm);
		json_int_known(j, "pid", ev->trigger_pid, ev->trigger_pid >= 0);
		json_string(j, "gfp_mask", ev->gfp_mask[0] ? ev->gfp_mask : NULL);
		json_int_known(j, "order", ev->order, ev->order >= -1 && ev->gfp_mask[0]);
		json_int_known(j, "oom_score_adj", ev->trigger_adj, ev->has_trigger_adj);
		json_object_end(j);
	} else {
		json_null(j, "trigger");
	}
	json_string(j, "constraint", ev->constraint[0] ? ev->constraint : NULL);
	json_string(j, "oom_memcg", ev->oom_memcg[0] ? ev->oom_memcg : NULL);
	json_string(j, "task_memcg", ev->task_memcg[0] ? ev->task_memcg : NULL);
	json_bool(j, "global_oom", ev->global_oom);
	if (ev->has_summary) {
		json_object_begin(j, "task");
		json_string(j, "comm", ev->task_comm);
		json_int_known(j, "pid", ev->task_pid, ev->task_pid >= 0);
		json_int_known(j, "uid", ev->task_uid, ev->task_uid >= 0);
		json_object_end(j);
	} else {
		json_null(j, "task");
	}
	if (ev->mem_usage_kb >= 0) {
		json_object_begin(j, "memcg_memory");
		json_int(j, "usage_kb", ev->mem_usage_kb);
		json_int(j, "limit_kb", ev->mem_limit_kb);
		json_int(j, "failcnt", ev->mem_failcnt);
		json_object_end(j);
	} else {
		json_null(j, "memcg_memory");
	}
	json_string(j, "oom_group", ev->oom_group[0] ? ev->oom_group : NULL);
	json_array_begin(j, "tasks");
	for (i = 0; i < ev->ntasks; i++)
		print_task(j, &ev->tasks[i]);
	json_array_end(j);
	json_array_begin(j, "kills");
	for (i = 0; i < ev->nkills; i++)
		print_kill(j, in, &ev->kills[i]);
	json_array_end(j);
	json_object_end(j);
}

static void print_summary(const struct input *in, const struct oom_report *r)
{
	size_t e, k;

	for (e = 0; e < r->n; e++) {
		const struct oom_event *ev = &r->events[e];

		printf("event %zu (lines %ld-%ld):", e + 1, in->lines[ev->first_line].src,
		       in->lines[ev->last_line].src);
		if (ev->has_trigger)
			printf(" %s (pid %ld) invoked the OOM killer", ev->trigger_comm, ev->trigger_pid);
		else
			printf(" no report header");
		if (ev->constraint[0])
			printf(", %s", ev->constraint);
		if (ev->oom_memcg[0])
			printf(" in %s", ev->oom_memcg);
		for (k = 0; k < ev->nkills; k++)
			printf("%s %s (pid %ld, anon-rss %lld kB)%s", k ? "," : "; killed", ev->kills[k].comm,
			       ev->kills[k].pid, ev->kills[k].anon_rss_kb, ev->kills[k].reaped ? " reaped" : "");
		if (!ev->nkills)
			printf("; no kill logged");
		printf("\n");
	}
	if (!r->n)
		printf("no OOM events\n");
}

int parse_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "summary", no_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct input in = { 0 };
	struct oom_report report;
	bool summary = false;
	const char *path = "-";
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t len;
	long lineno = 0;
	int c, rc = 0;
	FILE *f;

	while ((c = getopt_long(argc, argv, "sh", longopts, NULL)) != -1) {
		if (c == 's') {
			summary = true;
		} else {
			fprintf(c == 'h' ? stdout : stderr, "usage: oomlab parse [--summary] [FILE|-]\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (optind < argc)
		path = argv[optind];
	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f) {
		fprintf(stderr, "oomlab parse: open `%s`: %s\n", path, strerror(errno));
		return 1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (read_line(&in, line, (size_t)len, lineno)) {
			fprintf(stderr, "oomlab parse: out of memory at line %ld\n", lineno);
			rc = 1;
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (!rc && oom_parse(in.lines, in.n, &report) == 0) {
		if (summary) {
			print_summary(&in, &report);
		} else {
			struct json j;

			json_init(&j, stdout);
			json_object_begin(&j, NULL);
			json_array_begin(&j, "events");
			for (i = 0; i < report.n; i++)
				print_event(&j, &in, &report.events[i]);
			json_array_end(&j);
			json_object_end(&j);
		}
		oom_report_free(&report);
	} else if (!rc) {
		fprintf(stderr, "oomlab parse: out of memory\n");
		rc = 1;
	}
	for (i = 0; i < in.n; i++)
		free(in.texts[i]);
	free(in.texts);
	free(in.lines);
	return rc;
}
