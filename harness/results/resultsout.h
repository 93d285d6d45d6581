/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The results files of a run: --junit, --json, --html, and --results DIR, which holds
 * results.ktap (the same stream as stdout), results.xml, results.json, report.html and
 * the guests' console logs (vm-logs/).
 */
#ifndef OOMLAB_RESULTSOUT_H
#define OOMLAB_RESULTSOUT_H

#include <limits.h>
#include <stdbool.h>

#include <stdio.h>

#include "results/results.h"

struct results_out {
	bool on;                     /* some results file was asked for */
	struct results rs;
	FILE *ktap_copy;
	char junit[PATH_MAX], json[PATH_MAX], html[PATH_MAX];
	char vm_logs[PATH_MAX];      /* --results: DIR/vm-logs; else "" */
};

/*
 * Before the run: make DIR (--results) and open its KTAP copy; the caller then has its
 * KTAP stream record each result in ro->rs and copy itself to ro->ktap_copy. Returns 0,
 * or -1 with the reason on stderr (nothing is run then).
 */
int results_out_open(struct results_out *ro, const char *junit, const char *json, const char *html,
		     const char *dir, const char *host_kernel);

/* After the stream's end: write the files. Returns 0, or -1 (said on stderr). */
int results_out_close(struct results_out *ro);

#endif
