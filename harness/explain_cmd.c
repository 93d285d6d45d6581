// SPDX-License-Identifier: GPL-2.0
/* oomlab explain: why the kernel killed what it killed, event by event (model/explain.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "logfiles.h"
#include "model/explain.h"
#include "shared/units.h"
#include "subcommands.h"

struct explain_opts {
	long event;     /* 0: every event */
	long rows;      /* table rows to show; 0: all */
	bool json;
};

/* A row's share of the domain, in percent; negative when there is none to give. */
static double share_of(const struct explanation *x, long long points)
{
	if (points == BADNESS_UNKILLABLE || !x->modelled)
		return -1;
	if (x->m.era == BADNESS_2_6_36)
		return points / 10.0; /* thousandths of the domain */
	return x->m.domain_pages > 0 ? 100.0 * (double)points / (double)x->m.domain_pages : -1;
}

static void print_row(const struct explanation *x, size_t i, long victim)
{
	const struct rank_row *r = &x->rows[i];
	const struct oom_task *t = r->task;
	double share = share_of(x, r->points);

	printf("  %4zu %8ld  %-15s %10lld %7lld %8lld %6ld ", i + 1, t->pid, t->name, r->rss, r->swap,
	       r->pgtables, t->has_oom_score_adj ? t->oom_score_adj : t->has_oom_adj ? t->oom_adj : 0L);
	if (r->points == BADNESS_UNKILLABLE)
		printf("%9s %6s", "never", "");
	else if (share >= 0)
		printf("%9lld %5.1f%%", r->points, share);
	else
		printf("%9lld %6s", r->points, "");
	printf("%s\n", t->pid == victim || t->tgid == victim ? "  killed" : "");
}

static void print_table(const struct explanation *x, long rows)
{
	size_t i, shown = rows > 0 && (size_t)rows < x->nrows ? (size_t)rows : x->nrows;

	if (!x->nrows)
		return;
	printf("  %4s %8s  %-15s %10s %7s %8s %6s %9s %6s\n", "rank", "pid", "name", "rss", "swap",
	       "ptables", "adj", x->modelled ? "points" : "total_vm", x->modelled ? "share" : "");
	for (i = 0; i < shown; i++)
		print_row(x, i, x->victim_pid);
	if (x->victim_rank > (int)shown) {
		printf("  ...\n");
		print_row(x, (size_t)x->victim_rank - 1, x->victim_pid);
	}
	if (shown < x->nrows)
		printf("  (%zu rows in all, in pages; --rows 0 shows every one)\n", x->nrows);
}

static void print_text(const struct logfile *f, const struct oom_event *ev, long n,
		       const struct explanation *x, long rows)
{
	printf("event %ld (%s lines %ld-%ld): %s OOM, %s %s, %lld pages (%s)\n", n, f->file,
	       ev->first_line, ev->last_line, x->memcg ? "a memory cgroup's" : "the machine's",
	       x->memcg ? "memcg" : "domain", x->memcg ? (ev->oom_memcg[0] ? ev->oom_memcg :
			ev->limit_of[0] ? ev->limit_of : "?") : "RAM + swap",
	       x->totalpages, x->domain_from);
	printf("  rules: %s badness, from %s\n", badness_era_name(x->m.era), x->rules_from);
	if (x->victim_pid >= 0 && x->victim_rank)
		printf("  victim: %s (pid %ld), %d%s of %zu by badness (%d can be chosen)\n", x->victim_comm,
		       x->victim_pid, x->victim_rank, ordinal_suffix(x->victim_rank), x->nrows, x->eligible);
	else if (x->victim_pid >= 0)
		printf("  victim: %s (pid %ld)\n", x->victim_comm, x->victim_pid);
	printf("  verdict: %s: %s\n", verdict_name(x->verdict), x->why);
	if (x->score_known && x->formula_score >= 0)
		printf("  score: the kernel printed %ld for %s, the formula gives %ld from the table%s\n",
		       x->printed_score, ev->selected.comm, x->formula_score,
		       x->totalpages < 0 ? " (the report does not give the domain's size)" :
		       x->printed_score - x->formula_score > 2 || x->formula_score - x->printed_score > 2 ?
		       " (tables before 3.6 lack page tables and swap; sizes move)" : "");
	if (x->mm_sharers)
		printf("  shared mm: %d other row%s the same total_vm, rss, swap and page tables as %s, as "
		       "tasks sharing one mm do: the kernel kills them with it%s\n", x->mm_sharers,
		       x->mm_sharers == 1 ? " has" : "s have", x->victim_comm,
		       badness_mm_sharers_share_adj(&x->m.kernel) ? ", and this kernel (4.8+) sets an "
		       "oom_score_adj written to one on all of them" : "");
	if (x->spare && x->next)
		printf("  to spare it: an oom_score_adj of %ld or less on %s%s; then %s (pid %ld) would "
		       "have been killed\n", x->spare_adj, x->victim_comm, x->mm_sharers &&
		       !badness_mm_sharers_share_adj(&x->m.kernel) ? " and on each task of its mm" : "",
		       x->next->task->name, x->next->task->pid);
	else if (x->spare)
		printf("  to spare it: only oom_score_adj -1000 on %s: no other task could be chosen\n",
		       x->victim_comm);
	print_table(x, rows);
}

static void json_row(struct json *j, const struct explanation *x, size_t i)
{
	const struct rank_row *r = &x->rows[i];
	bool never = r->points == BADNESS_UNKILLABLE;
	double share = share_of(x, r->points);

	json_object_begin(j, NULL);
	json_int(j, "rank", (long long)i + 1);
	json_int(j, "pid", r->task->pid);
	json_string(j, "comm", r->task->name);
	json_int(j, "rss", r->rss);
	json_int(j, "swap", r->swap);
	json_int(j, "pgtables", r->pgtables);
	json_int_known(j, "oom_score_adj", r->task->oom_score_adj, r->task->has_oom_score_adj);
	json_int_known(j, "points", r->points, !never);
	json_int_known(j, "share_permille", (long long)(share * 10 + 0.5), share >= 0);
	json_bool(j, "killed", r->task->pid == x->victim_pid || r->task->tgid == x->victim_pid);
	json_bool(j, "never", never);
	json_object_end(j);
}

static void json_domain(struct json *j, const struct oom_event *ev, const struct explanation *x)
{
	json_object_begin(j, "domain");
	json_string(j, "kind", x->memcg ? "memcg" : "machine");
	json_string(j, "memcg", x->memcg && (ev->oom_memcg[0] || ev->limit_of[0]) ?
				(ev->oom_memcg[0] ? ev->oom_memcg : ev->limit_of) : NULL);
	json_int_known(j, "pages", x->totalpages, x->totalpages >= 0);
	json_string(j, "from", x->domain_from);
	json_object_end(j);
}

static void json_event(struct json *j, const struct logfile *f, const struct oom_event *ev, long n,
		       const struct explanation *x)
{
	size_t i;

	json_object_begin(j, NULL);
	json_int(j, "event", n);
	json_string(j, "file", f->file);
	json_int(j, "first_line", ev->first_line);
	json_int(j, "last_line", ev->last_line);
	json_object_begin(j, "rules");
	json_string(j, "badness", badness_era_name(x->m.era));
	json_string(j, "from", x->rules_from);
	json_object_end(j);
	json_domain(j, ev, x);
	if (x->victim_pid >= 0) {
		json_object_begin(j, "victim");
		json_int(j, "pid", x->victim_pid);
		json_string(j, "comm", x->victim_comm);
		json_int_known(j, "rank", x->victim_rank, x->victim_rank > 0);
		json_object_end(j);
	} else {
		json_null(j, "victim");
	}
	json_int(j, "candidates", (long long)x->nrows);
	json_int(j, "eligible", x->eligible);
	json_object_begin(j, "verdict");
	json_string(j, "kind", verdict_name(x->verdict));
	json_string(j, "text", x->why);
	json_object_end(j);
	if (x->score_known) {
		json_object_begin(j, "score");
		json_int(j, "printed", x->printed_score);
		json_int_known(j, "formula", x->formula_score, x->formula_score >= 0);
		json_object_end(j);
	} else {
		json_null(j, "score");
	}
	json_int(j, "mm_sharers", x->mm_sharers);
	if (x->spare) {
		json_object_begin(j, "spare");
		json_int(j, "oom_score_adj", x->spare_adj);
		json_int_known(j, "next_pid", x->next ? x->next->task->pid : 0, x->next != NULL);
		json_string(j, "next_comm", x->next ? x->next->task->name : NULL);
		json_object_end(j);
	} else {
		json_null(j, "spare");
	}
	json_array_begin(j, "table");
	for (i = 0; i < x->nrows; i++)
		json_row(j, x, i);
	json_array_end(j);
	json_object_end(j);
}

static int explain_all(const struct logfile *in, size_t nin, const struct explain_opts *o, struct json *j)
{
	long n = 0;
	size_t f, e;

	for (f = 0; f < nin; f++) {
		for (e = 0; e < in[f].report.n; e++) {
			const struct oom_event *ev = &in[f].report.events[e];
			struct explanation x;

			if (++n != o->event && o->event)
				continue;
			if (explain_event(ev, &x)) {
				fprintf(stderr, "oomlab explain: out of memory\n");
				return 1;
			}
			if (o->json)
				json_event(j, &in[f], ev, n, &x);
			else
				print_text(&in[f], ev, n, &x, o->rows);
			explain_free(&x);
		}
	}
	if (o->event > n) {
		fprintf(stderr, "oomlab explain: no event %ld: the log%s hold%s %ld\n", o->event,
			nin > 1 ? "s" : "", nin > 1 ? "" : "s", n);
		return 1;
	}
	return 0;
}

static int usage(FILE *to, int rc)
{
	fprintf(to, "usage: oomlab explain [--event N] [--json] [--rows N] [FILE...|-]\n"
		"Why the kernel killed what it killed in each OOM report of the logs: the domain,\n"
		"the task table ranked by the badness formula of the report's kernel, the verdict,\n"
		"and the oom_score_adj that would have spared the victim. --rows: table rows shown\n"
		"(10; 0: all).\n");
	return rc;
}

int explain_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' }, { "json", no_argument, NULL, 'j' },
		{ "rows", required_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct explain_opts o = { .rows = 10 };
	struct logfile *in = NULL;
	size_t nin = 0;
	struct json j;
	int c, rc;

	while ((c = getopt_long(argc, argv, "e:jr:h", longopts, NULL)) != -1) {
		if (c == 'j') {
			o.json = true;
		} else if ((c == 'e' && (parse_long(optarg, &o.event) || o.event < 1)) ||
			   (c == 'r' && (parse_long(optarg, &o.rows) || o.rows < 0))) {
			fprintf(stderr, "oomlab explain: --%s %s: expected a number %s\n",
				c == 'e' ? "event" : "rows", optarg, c == 'e' ? "from 1" : "from 0");
			return 2;
		} else if (c != 'e' && c != 'r') {
			return usage(c == 'h' ? stdout : stderr, c == 'h' ? 0 : 2);
		}
	}
	rc = logfiles_read("oomlab explain", argv + optind, (size_t)(argc - optind), &in, &nin);
	if (o.json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "events");
	}
	if (explain_all(in, nin, &o, &j))
		rc = 1;
	if (o.json) {
		json_array_end(&j);
		json_object_end(&j);
	}
	logfiles_free(in, nin);
	if (fflush(stdout))
		rc = 1;
	return rc;
}
