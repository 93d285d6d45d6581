// SPDX-License-Identifier: GPL-2.0
/* oomlab parse: read the OOM reports in a kernel log and print them as JSON or a summary. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "klog/logscan.h"
#include "klog/oomjson.h"
#include "klog/oomreport.h"
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
		printf(")%s", kl->reaped ? " reaped" : kl->reap_failed ? " not reaped" : "");
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

static void print_summary(const struct oom_report *r, long lines)
{
	size_t e;

	for (e = 0; e < r->n; e++) {
		const struct oom_event *ev = &r->events[e];
		char era[48];

		printf("event %zu (lines %ld-%ld):", e + 1, ev->first_line, ev->last_line);
		if (ev->has_trigger && ev->trigger_pid >= 0)
			printf(" %s (pid %ld) invoked the OOM killer", ev->trigger_comm, ev->trigger_pid);
		else if (ev->has_trigger)
			printf(" %s invoked the OOM killer", ev->trigger_comm);
		else
			printf(" no report header");
		if (ev->constraint[0])
			printf(", %s", ev->constraint);
		if (ev->oom_memcg[0])
			printf(" in %s", ev->oom_memcg);
		else if (ev->limit_of[0])
			printf(", limit of %s", ev->limit_of);
		print_victim(ev);
		oom_era_text(ev, era, sizeof(era));
		if (ev->release[0])
			printf(" [kernel %s]", ev->release);
		else if (era[0])
			printf(" [kernel %s by its shapes]", era);
		printf("\n");
	}
	printf("%zu OOM event%s in %ld lines\n", r->n, r->n == 1 ? "" : "s", lines);
}

static void print_json(const struct oom_report *r, long lines)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_int(&j, "lines", lines);
	json_array_begin(&j, "events");
	for (i = 0; i < r->n; i++)
		oomjson_event(&j, &r->events[i]);
	json_array_end(&j);
	json_object_end(&j);
}

int parse_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "summary", no_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct oom_report report;
	bool summary = false;
	const char *path = "-";
	long lines = 0;
	int c, fd;

	while ((c = getopt_long(argc, argv, "sh", longopts, NULL)) != -1) {
		if (c == 's') {
			summary = true;
		} else {
			fprintf(c == 'h' ? stdout : stderr,
				"usage: oomlab parse [--summary] [FILE|-]\n"
				"Reads the OOM reports in a kernel log (dmesg, dmesg -T, /dev/kmsg, syslog,\n"
				"journalctl -k, any kernel since 2.6.32) and prints them as JSON, or one line\n"
				"per report with --summary. Unknown values are null.\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind < argc)
		path = argv[optind];
	if (optind + 1 < argc) {
		fprintf(stderr, "oomlab parse: one log at a time (got %d)\n", argc - optind);
		return 2;
	}
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		fprintf(stderr, "oomlab parse: open `%s`: %s\n", path, strerror(errno));
		return 1;
	}
	if (logscan_fd(fd, &report, &lines)) {
		fprintf(stderr, "oomlab parse: read `%s`: %s\n", path, strerror(errno));
		if (fd != STDIN_FILENO)
			close(fd);
		return 1;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (summary)
		print_summary(&report, lines);
	else
		print_json(&report, lines);
	oom_report_free(&report);
	return fflush(stdout) ? 1 : 0;
}
