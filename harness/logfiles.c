// SPDX-License-Identifier: GPL-2.0
#include "logfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read one file. Returns 0, or 1 with the reason on stderr. */
static int read_log(const char *prog, struct logfile *out)
{
	bool in = !strcmp(out->file, "-");
	const char *name = in ? "standard input" : out->file;
	int fd = in ? STDIN_FILENO : open(out->file, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0) {
		fprintf(stderr, "%s: open %s: %s\n", prog, name, strerror(errno));
		return 1;
	}
	rc = logscan_fd(fd, &out->report, &out->info);
	if (rc)
		fprintf(stderr, "%s: read %s: %s\n", prog, name, strerror(errno));
	if (!in)
		close(fd);
	if (!rc && !out->info.kernel_lines) {
		fprintf(stderr, "%s: no kernel log lines in %s (no /dev/kmsg record, printk time, "
			"syslog `kernel:` line or OOM report line)\n", prog, name);
		oom_report_free(&out->report);
		return 1;
	}
	return rc ? 1 : 0;
}

int logfiles_read(const char *prog, char **files, size_t n, struct logfile **out, size_t *nout)
{
	static char *stdin_only[] = { "-" };
	struct logfile *in;
	size_t f;
	int rc = 0;

	if (!n) {
		files = stdin_only;
		n = 1;
	}
	*nout = 0;
	*out = in = calloc(n, sizeof(*in));
	if (!in) {
		fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
		return 1;
	}
	for (f = 0; f < n; f++) {
		in[*nout].file = files[f];
		if (read_log(prog, &in[*nout]))
			rc = 1;
		else
			(*nout)++;
	}
	return rc;
}

void logfiles_free(struct logfile *in, size_t n)
{
	size_t f;

	for (f = 0; f < n; f++)
		oom_report_free(&in[f].report);
	free(in);
}
