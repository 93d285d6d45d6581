// SPDX-License-Identifier: GPL-2.0
#include "results/progress.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

static struct {
	int tty;                 /* -1 not asked yet, then 0 or 1 */
	char what[200];          /* "" when nothing runs */
	long since_ms, shown_ms;
	bool on_screen;
} p = { .tty = -1 };

static bool enabled(void)
{
	const char *term = getenv("TERM");

	if (p.tty < 0)
		p.tty = isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
	return p.tty;
}

void progress_off(void)
{
	p.tty = 0;
}

static void show(void)
{
	long now = now_ms();

	fprintf(stderr, "\r\033[K%s, %ld s", p.what, (now - p.since_ms) / 1000);
	fflush(stderr);
	p.shown_ms = now;
	p.on_screen = true;
}

void progress_begin(const char *fmt, ...)
{
	va_list ap;

	if (!enabled())
		return;
	va_start(ap, fmt);
	vsnprintf(p.what, sizeof(p.what), fmt, ap);
	va_end(ap);
	p.since_ms = now_ms();
	fflush(stdout);
	show();
}

void progress_tick(void)
{
	if (p.tty > 0 && p.what[0] && (!p.on_screen || now_ms() - p.shown_ms >= 1000)) {
		fflush(stdout);
		show();
	}
}

void progress_clear(void)
{
	if (p.tty > 0 && p.on_screen) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p.on_screen = false;
	}
}

void progress_end(void)
{
	progress_clear();
	p.what[0] = '\0';
}
