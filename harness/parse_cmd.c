// SPDX-License-Identifier: GPL-2.0
/* oomlab parse: read the OOM reports in a kernel log and print them as JSON or a summary. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "logfiles.h"
#include "klog/logscan.h"
#include "klog/oomjson.h"
#include "klog/oomreport.h"
#include "model/explain.h"
#include "subcommands.h"

static void print_victim(const struct oom_event *ev)
{
	size_t k;

	for (k = 0; k < ev->nkills; k++) {
		const struct oom_kill *kl = &ev->kills[k];

		printf("%s %s (pid %ld", k ? "," : "; killed", kl->comm, kl->pid);
		if (kl->anon_rss_kb >= 0)
			printf(", anon-rss %lld kB", kl->anon_rss_kb);
		if (kl->has_adj)
			printf(", oom_score_adj %ld", kl->oom_score_adj);
		printf(")%s%s", kl->cut ? " (its Killed line cut short: read from oom-kill:)" : "",
		       kl->reaped ? " reaped" : kl->reap_failed ? " not reaped" : "");
	}
	if (!ev->nkills && ev->exiting.seen)
		printf("; %s (pid %ld) was already exiting", ev->exiting.comm, ev->exiting.pid);
	else if (!ev->nkills && ev->selected.seen)
		printf("; selected %s (pid %ld), no kill logged", ev->selected.comm, ev->selected.pid);
	else if (!ev->nkills)
		printf("; no kill logged");
	if (ev->no_killable)
		printf("; no killable process");
	if (ev->panic[0])
		printf("; panic: %s", ev->panic);
}

/* Where the victim stands in the task table by badness (oomlab explain tells why). */
static void print_rank(const struct oom_event *ev)
{
	struct explanation x;

	if (explain_event(ev, &x))
		return;
	if (x.victim_rank)
		printf("; %d%s of %zu by badness", x.victim_rank, ordinal_suffix(x.victim_rank), x.nrows);
	explain_free(&x);
}

static void print_summary(const struct logfile *in, size_t nin)
{
	size_t f, e, n = 0;
	long lines = 0;

	for (f = 0; f < nin; f++) {
		lines += in[f].info.lines;
		for (e = 0; e < in[f].report.n; e++) {
			const struct oom_event *ev = &in[f].report.events[e];
			const char *comm = oom_trigger_comm(ev);
			char era[48];

			printf("event %zu (%s%slines %ld-%ld):", ++n, nin > 1 ? in[f].file : "",
			       nin > 1 ? " " : "", ev->first_line, ev->last_line);
			if (oom_has_trigger(ev)) {
				printf(" %s", comm[0] ? comm : "a task");
				if (ev->trigger_pid >= 0)
					printf(" (pid %ld)", ev->trigger_pid);
				printf(" invoked the OOM killer");
			} else {
				printf(" no report header");
			}
			if (ev->constraint[0])
				printf(", %s", ev->constraint);
			if (ev->oom_memcg[0])
				printf(" in %s", ev->oom_memcg);
			else if (ev->limit_of[0])
				printf(", limit of %s", ev->limit_of);
			print_victim(ev);
			print_rank(ev);
			oom_era_text(ev, era, sizeof(era));
			if (ev->release[0] && oom_backport(ev) == 1)
				printf(" [kernel %s, lines of %s: a backport]", ev->release, era);
			else if (ev->release[0])
				printf(" [kernel %s]", ev->release);
			else if (era[0])
				printf(" [kernel %s by its shapes]", era);
			printf("\n");
		}
	}
	printf("%zu OOM event%s in %ld lines", n, n == 1 ? "" : "s", lines);
	if (nin > 1)
		printf(" of %zu files", nin);
	printf("\n");
}

static void print_json(const struct logfile *in, size_t nin)
{
	struct json j;
	size_t f, i;
	long lines = 0;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "files");
	for (f = 0; f < nin; f++) {
		json_object_begin(&j, NULL);
		json_string(&j, "file", in[f].file);
		json_int(&j, "lines", in[f].info.lines);
		json_object_end(&j);
		lines += in[f].info.lines;
	}
	json_array_end(&j);
	json_int(&j, "lines", lines);
	json_array_begin(&j, "events");
	for (f = 0; f < nin; f++)
		for (i = 0; i < in[f].report.n; i++)
			oomjson_event(&j, &in[f].report.events[i], in[f].file);
	json_array_end(&j);
	json_object_end(&j);
}

static int usage(FILE *to, int rc)
{
	fprintf(to, "usage: oomlab parse [--summary] [FILE...|-]\n"
		"Reads the OOM reports in kernel logs (dmesg, dmesg -T, /dev/kmsg, syslog,\n"
		"journalctl -k, logread, pastes of them; any kernel since 2.6.18) and prints them\n"
		"as JSON, or one line per report with --summary. Several files are read in order,\n"
		"each on its own. Unknown values are null. Exit 1: a file could not be read or\n"
		"holds no kernel log lines.\n");
	return rc;
}

int parse_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "summary", no_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct logfile *in = NULL;
	bool summary = false;
	size_t nin = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "sh", longopts, NULL)) != -1) {
		if (c == 's')
			summary = true;
		else
			return usage(c == 'h' ? stdout : stderr, c == 'h' ? 0 : 2);
	}
	rc = logfiles_read("oomlab parse", argv + optind, (size_t)(argc - optind), &in, &nin);
	if (nin && summary)
		print_summary(in, nin);
	else if (nin)
		print_json(in, nin);
	logfiles_free(in, nin);
	if (fflush(stdout))
		rc = 1;
	return rc;
}
