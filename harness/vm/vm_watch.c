// SPDX-License-Identifier: GPL-2.0
#include "vm/vm_watch.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shared/arrays.h"

/* The kernel's first console line (printk of linux_banner). */
#define KERNEL_BANNER "Linux version "

/* What qemu prints when KVM cannot run the guest. */
static const char *const kvm_failures[] = {
	"KVM internal error", "emulation failure", "KVM: entry failed", "kvm run failed",
	"failed to initialize kvm", "Could not access KVM kernel module",
};

int boot_watch_open(struct boot_watch *w, const char *console, const char *qemu_log)
{
	memset(w, 0, sizeof(*w));
	w->console_fd = open(console, O_RDONLY | O_CLOEXEC);
	w->qemu_fd = open(qemu_log, O_RDONLY | O_CLOEXEC);
	return w->console_fd >= 0 && w->qemu_fd >= 0 ? 0 : -1;
}

static void poll_console(struct boot_watch *w)
{
	char buf[sizeof(w->carry) + 4096];
	size_t keep = strlen(w->carry);
	ssize_t n;

	while (!w->kernel_started &&
	       (n = read(w->console_fd, buf + keep, sizeof(buf) - keep - 1)) > 0) {
		size_t len;

		memcpy(buf, w->carry, keep);
		len = keep + (size_t)n;
		/* NULs (terminal resets) would end the search early: make them blanks. */
		for (size_t i = 0; i < len; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[len] = '\0';
		if (strstr(buf, KERNEL_BANNER))
			w->kernel_started = true;
		keep = len < sizeof(KERNEL_BANNER) ? len : sizeof(KERNEL_BANNER);
		memcpy(w->carry, buf + len - keep, keep);
		w->carry[keep] = '\0';
	}
}

static void qemu_line(struct boot_watch *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(kvm_failures); i++)
		if (!w->kvm_error[0] && strstr(w->qline, kvm_failures[i]))
			snprintf(w->kvm_error, sizeof(w->kvm_error), "%s", w->qline);
}

static void poll_qemu(struct boot_watch *w)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(w->qemu_fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			size_t len = strlen(w->qline);

			if (buf[i] == '\n' || buf[i] == '\r') {
				qemu_line(w);
				w->qline[0] = '\0';
			} else if (len + 1 < sizeof(w->qline)) {
				w->qline[len] = buf[i];
				w->qline[len + 1] = '\0';
			}
		}
	}
	qemu_line(w); /* a line still without its end */
}

void boot_watch_poll(struct boot_watch *w)
{
	if (w->console_fd >= 0)
		poll_console(w);
	if (w->qemu_fd >= 0)
		poll_qemu(w);
}

void boot_watch_close(struct boot_watch *w)
{
	if (w->console_fd >= 0)
		close(w->console_fd);
	if (w->qemu_fd >= 0)
		close(w->qemu_fd);
	w->console_fd = w->qemu_fd = -1;
}

/* Call fn with each line of path (without its end) until it returns true; false when path cannot be read. */
static bool each_line(const char *path, bool (*fn)(char *line, void *ctx), void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (fn(line, ctx))
			break;
	}
	free(line);
	fclose(f);
	return true;
}

struct line_search {
	const char *needle;
	char *out;
	size_t len;
	bool found;
};

static bool holds_needle(char *line, void *ctx)
{
	struct line_search *s = ctx;
	char *at = strstr(line, s->needle);

	if (at) {
		snprintf(s->out, s->len, "%s", at);
		s->found = true;
	}
	return s->found;
}

bool file_find_line(const char *path, const char *needle, char *out, size_t len)
{
	struct line_search s = { .needle = needle, .out = out, .len = len };

	each_line(path, holds_needle, &s);
	return s.found;
}

/* line without escape sequences and unprintable bytes, into clean; its length. */
static size_t printable(const char *line, char *clean, size_t len)
{
	size_t o = 0, i;

	for (i = 0; line[i] && o + 1 < len; i++) {
		if (line[i] == 0x1b) {
			/* ESC [ parameters letter, or ESC and one character */
			if (line[i + 1] == '[') {
				for (i += 2; line[i] && !isalpha((unsigned char)line[i]); i++)
					;
				if (!line[i])
					break;
			} else if (line[i + 1]) {
				i++;
			}
			continue;
		}
		if (line[i] >= ' ' && line[i] < 0x7f)
			clean[o++] = line[i];
	}
	clean[o] = '\0';
	return o;
}

static bool keep_if_text(char *line, void *ctx)
{
	struct line_search *s = ctx;
	char clean[512];

	if (printable(line, clean, sizeof(clean)) && clean[strspn(clean, " ")]) {
		snprintf(s->out, s->len, "%s", clean + strspn(clean, " "));
		s->found = true;
	}
	return false; /* the last one wins */
}

bool file_last_text_line(const char *path, char *out, size_t len)
{
	struct line_search s = { .out = out, .len = len };

	each_line(path, keep_if_text, &s);
	return s.found;
}
