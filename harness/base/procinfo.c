// SPDX-License-Identifier: GPL-2.0
#include "base/procinfo.h"
#include "base/fileio.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shared/arrays.h"

static int read_proc_long(pid_t pid, const char *file, long *v, struct err *e)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	return read_long(path, v, e);
}

int proc_sample(pid_t pid, struct proc_sample *s, struct err *e)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "RssAnon:", offsetof(struct proc_sample, rss_anon_kb) },
		{ "RssFile:", offsetof(struct proc_sample, rss_file_kb) },
		{ "RssShmem:", offsetof(struct proc_sample, rss_shmem_kb) },
		{ "VmSwap:", offsetof(struct proc_sample, vm_swap_kb) },
		{ "VmPTE:", offsetof(struct proc_sample, vm_pte_kb) },
	};
	char path[64], line[256];
	size_t i;
	FILE *f;

	memset(s, 0, sizeof(*s));
	s->rss_anon_kb = s->rss_file_kb = s->rss_shmem_kb = s->vm_swap_kb = s->vm_pte_kb = -1;
	if (read_proc_long(pid, "oom_score", &s->oom_score, e) ||
	    read_proc_long(pid, "oom_score_adj", &s->oom_score_adj, e) ||
	    read_proc_long(pid, "oom_adj", &s->oom_adj, e))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return err_set(e, errno, "open `%s`", path);
	while (fgets(line, sizeof(line), f))
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strncmp(line, keys[i].key, strlen(keys[i].key)))
				*(long long *)((char *)s + keys[i].off) =
					strtoll(line + strlen(keys[i].key), NULL, 10);
	fclose(f);
	s->ok = true;
	return 0;
}

bool proc_dying(pid_t pid)
{
	unsigned long long pending = 0, shared = 0;
	char path[64], line[256], state = 0;
	long ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "State: %c", &state);
		sscanf(line, "PPid: %ld", &ppid);
		sscanf(line, "SigPnd: %llx", &pending);
		sscanf(line, "ShdPnd: %llx", &shared);
	}
	fclose(f);
	if (state == 'Z')
		return ppid == (long)getpid();
	return ((pending | shared) >> (SIGKILL - 1)) & 1;
}

unsigned long long proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	size_t n;
	int field;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The comm (field 2) may hold spaces and ')': count fields after the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}
