// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel log reader: any bytes go through logscan (prefixes,
 * escapes, wrapped lines, the fast scan, every recognizer) and the JSON writer. Besides
 * not crashing (ASan, UBSan), every event must point at lines the input has.
 *
 *   make fuzz && build/fuzz/fuzz_parse -max_total_time=60 build/fuzz/corpus tests/fixtures/parse
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
#include "klog/logscan.h"
#include "klog/oomjson.h"

static void check(bool ok, const char *what, long value, long lines)
{
	if (!ok) {
		fprintf(stderr, "fuzz_parse: %s = %ld outside the input's %ld lines\n", what, value, lines);
		abort();
	}
}

static bool in_input(long line, long lines)
{
	return line >= 1 && line <= lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null_out;
	struct oom_report r;
	struct json j;
	long lines = 0;
	size_t e, k;

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	if (logscan_mem((const char *)data, size, &r, &lines))
		return 0; /* out of memory */
	for (e = 0; e < r.n; e++) {
		const struct oom_event *ev = &r.events[e];

		check(in_input(ev->first_line, lines), "first_line", ev->first_line, lines);
		check(ev->last_line >= ev->first_line && in_input(ev->last_line, lines), "last_line",
		      ev->last_line, lines);
		for (k = 0; k < ev->nkills; k++) {
			check(in_input(ev->kills[k].line, lines), "kill line", ev->kills[k].line, lines);
			if (ev->kills[k].reaped || ev->kills[k].reap_failed)
				check(in_input(ev->kills[k].reaper_line, lines), "reaper line",
				      ev->kills[k].reaper_line, lines);
		}
		if (null_out) {
			json_init(&j, null_out);
			oomjson_event(&j, ev);
		}
	}
	oom_report_free(&r);
	return 0;
}
