// SPDX-License-Identifier: GPL-2.0
#include "base/hostinfo.h"
#include "base/fileio.h"
#include "shared/keyfile.h"

#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

unsigned long long meminfo_kb(const char *key)
{
	return keyfile_value("/proc/meminfo", key, 0);
}

/* Is capability bit `cap` in this process's effective set? */
static bool has_capability(int cap)
{
	static const char field[] = "CapEff:";
	unsigned long long eff = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			eff = strtoull(line + strlen(field), NULL, 16);
	fclose(f);
	return (eff >> cap) & 1;
}

static long read_own_adj(void)
{
	struct err e;
	long adj;

	return read_long("/proc/self/oom_score_adj", &adj, &e) ? 0 : adj;
}

void hostinfo_read(struct hostinfo *h)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	if (uname(&u) == 0) {
		snprintf(h->release, sizeof(h->release), "%s", u.release);
		snprintf(h->machine, sizeof(h->machine), "%s", u.machine);
		kver_parse(u.release, &h->kernel);
	}
	h->root = geteuid() == 0;
	h->cap_sys_resource = has_capability(CAP_SYS_RESOURCE);
	h->oom_score_adj = read_own_adj();
}

int kver_parse(const char *s, struct kver *v)
{
	int n;

	memset(v, 0, sizeof(*v));
	n = sscanf(s, "%d.%d.%d", &v->major, &v->minor, &v->patch);
	if (n < 2 || v->major < 0 || v->minor < 0 || v->patch < 0)
		return -1;
	return 0;
}

int kver_cmp(const struct kver *a, const struct kver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return 0;
}

/* Exactly "N.N" or "N.N.N". */
static bool is_version(const char *s)
{
	int dots = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (s[1] < '0' || s[1] > '9')
				return false;
			dots++;
		} else if (*s < '0' || *s > '9') {
			return false;
		}
	}
	return dots == 1 || dots == 2;
}

int kcond_parse(const char *s, struct kcond *c)
{
	size_t n;
	int op;

	while (*s == ' ')
		s++;
	op = cmp_op_at(s, CMP_ALL, &n);
	if (op < 0)
		return -1;
	s += n;
	while (*s == ' ')
		s++;
	if (!is_version(s))
		return -1;
	c->op = (enum cmp_op)op;
	return kver_parse(s, &c->v);
}

bool kcond_holds(const struct kcond *c, const struct kver *v)
{
	return cmp_holds(c->op, kver_cmp(v, &c->v), 0);
}
