// SPDX-License-Identifier: GPL-2.0
#include "run/memtrace.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void memtrace_start(struct mem_trace *m, int interval_ms, int nprocs, long now)
{
	m->interval_ms = interval_ms > 0 ? interval_ms : 0;
	m->next_ms = now;
	m->n = 0;
	m->nprocs = nprocs < CASE_MAX_PROCS ? nprocs : CASE_MAX_PROCS;
	m->s = m->interval_ms ? calloc(MEMTRACE_SAMPLES, sizeof(*m->s)) : NULL;
	if (!m->s)
		m->interval_ms = 0;
}

void memtrace_free(struct mem_trace *m)
{
	free(m->s);
	m->s = NULL;
	m->n = 0;
	m->interval_ms = 0;
}

long memtrace_due_in(const struct mem_trace *m, long now)
{
	if (!m->interval_ms)
		return -1;
	return m->next_ms > now ? m->next_ms - now : 0;
}

/* A small file's first line, into buf; false when it cannot be read. */
static bool read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return false;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got <= 0)
		return false;
	buf[got] = '\0';
	return true;
}

static long long rss_kb_of(pid_t pid)
{
	char path[64], text[128];
	long long size, resident;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	if (!read_small(path, text, sizeof(text)) || sscanf(text, "%lld %lld", &size, &resident) != 2)
		return -1;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static long long usage_kb_of(const char *dir, const char *file)
{
	char path[4200], text[64];

	if (!dir[0] || !file)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return read_small(path, text, sizeof(text)) ? strtoll(text, NULL, 10) / 1024 : -1;
}

/* Full: keep every second sample, and sample half as often from now on. */
static void thin(struct mem_trace *m)
{
	int i;

	for (i = 0; 2 * i < m->n; i++)
		m->s[i] = m->s[2 * i];
	m->n = i;
	m->interval_ms *= 2;
}

void memtrace_sample(struct mem_trace *m, long now, long t0, const pid_t *pids,
		     const char *dir, const char *usage_file)
{
	int i;

	if (!m->interval_ms)
		return;
	if (m->n == MEMTRACE_SAMPLES)
		thin(m);
	m->s[m->n].t_ms = now - t0;
	m->s[m->n].cgroup_kb = usage_kb_of(dir, usage_file);
	for (i = 0; i < m->nprocs; i++)
		m->s[m->n].rss_kb[i] = rss_kb_of(pids[i]);
	m->n++;
	m->next_ms = now + m->interval_ms;
}
