// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by both cgroup backends, root detection and teardown. */
#include "cgroup/cgroup.h"

#include <linux/magic.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "shared/cgroup_locate.h"
#include "shared/words.h"
#include "base/fileio.h"


/* How long teardown waits for a cgroup to empty. */
#define DESTROY_TIMEOUT_MS 5000

static int join(char *out, size_t len, const char *dir, const char *file)
{
	if (snprintf(out, len, "%s/%s", dir, file) >= (int)len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int cg_mkdir(const char *dir, struct err *e)
{
	if (mkdir(dir, 0755))
		return err_set(e, errno, "mkdir `%s`", dir);
	return 0;
}

bool cg_has(const char *dir, const char *file)
{
	char path[PATH_MAX];

	return join(path, sizeof(path), dir, file) == 0 && access(path, F_OK) == 0;
}

int cg_write(const char *dir, const char *file, const char *value, struct err *e)
{
	char path[PATH_MAX];

	if (join(path, sizeof(path), dir, file))
		return err_set(e, errno, "%s/%s", dir, file);
	return write_text(path, value, e);
}

int cg_read(const char *dir, const char *file, char *buf, size_t len, struct err *e)
{
	char path[PATH_MAX];

	if (join(path, sizeof(path), dir, file))
		return err_set(e, errno, "%s/%s", dir, file);
	return read_text(path, buf, len, e);
}

int cg_read_ll(const char *dir, const char *file, long long *v, struct err *e)
{
	char buf[64], *end;

	if (cg_read(dir, file, buf, sizeof(buf), e))
		return -1;
	if (starts_with(buf, "max")) {
		*v = -1;
		return 0;
	}
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || end == buf)
		return err_set(e, EINVAL, "`%s/%s` holds '%.20s', not a number", dir, file, buf);
	return 0;
}

int cg_read_key(const char *dir, const char *file, const char *key, long long *v, struct err *e)
{
	char buf[8192], *line, *save;
	size_t n = strlen(key);

	if (cg_read(dir, file, buf, sizeof(buf), e))
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, key, n) && line[n] == ' ') {
			*v = strtoll(line + n + 1, NULL, 10);
			return 0;
		}
	}
	err_set(e, 0, "`%s/%s` has no '%s' line", dir, file, key);
	e->errnum = errno = ENOENT;
	return -1;
}

int cg_each_pid(const char *dir, bool (*fn)(pid_t pid, void *ctx), void *ctx, struct err *e)
{
	char path[PATH_MAX];
	auto_fclose FILE *f = NULL;
	int n = 0;
	long pid;

	if (join(path, sizeof(path), dir, "cgroup.procs"))
		return err_set(e, errno, "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return err_set(e, errno, "open `%s`", path);
	while (fscanf(f, "%ld", &pid) == 1) {
		n++;
		if (fn && fn((pid_t)pid, ctx))
			break;
	}
	return n;
}

struct kill_state {
	const char *dir;
	struct err *e;
	int failed;
};

static bool kill_one(pid_t pid, void *ctx)
{
	struct kill_state *k = ctx;

	if (pid > 1 && kill(pid, SIGKILL) && errno != ESRCH) {
		err_set(k->e, errno, "kill %d (in `%s`)", (int)pid, k->dir);
		k->failed = 1;
		return true;
	}
	return false;
}

int cg_kill_listed(const char *dir, struct err *e)
{
	struct kill_state k = { .dir = dir, .e = e };

	if (cg_each_pid(dir, kill_one, &k, e) < 0)
		return -1;
	return k.failed ? -1 : 0;
}

static int write_ll(const char *dir, const char *file, long long v, struct err *e)
{
	char value[32];

	snprintf(value, sizeof(value), "%lld", v);
	return cg_write(dir, file, value, e);
}

int cg_set_limits(const struct cgroup_ops *ops, const char *dir, const struct cg_limits *l,
		  bool have_swap, struct err *e)
{
	long long swap = l->swap_max;

	if (l->memory_max >= 0 && write_ll(dir, ops->memory_limit_file, l->memory_max, e))
		return -1;
	if (l->swap_max < 0)
		return 0;
	if (ops->swap_includes_memory) {
		if (l->memory_max < 0)
			return err_set(e, EINVAL, "swap.max needs memory.max on cgroup v1 (memsw is "
				       "memory + swap)");
		/* memory + swap, never below the memory limit just set */
		if (l->swap_max > INT64_MAX - l->memory_max)
			return err_set(e, ERANGE, "memory.max + swap.max does not fit memsw");
		swap += l->memory_max;
	}
	if (!cg_has(dir, ops->swap_limit_file)) {
		if (!have_swap)
			return 0; /* no swap on the machine: nothing to limit */
		return err_set(e, ENOENT, "`%s` has no %s: the kernel does not account swap%s, so "
			       "swap.max cannot be set", dir, ops->swap_limit_file,
			       ops->swap_includes_memory ? " (swapaccount=1)" : "");
	}
	return write_ll(dir, ops->swap_limit_file, swap, e);
}

static void sleep_ms(long ms);

int cg_freeze_kill(const char *dir, struct err *e)
{
	char state[32] = "";
	int waited;

	if (cg_write(dir, "freezer.state", "FROZEN", e))
		return -1;
	for (waited = 0; waited < 2000; waited += 10) {
		if (cg_read(dir, "freezer.state", state, sizeof(state), e))
			break;
		if (starts_with(state, "FROZEN"))
			break;
		sleep_ms(10);
	}
	/* Killed while frozen: they die as soon as they are thawed, without forking again. */
	if (cg_kill_listed(dir, e) || cg_write(dir, "freezer.state", "THAWED", e))
		return -1;
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Destroy every child cgroup of dir (a cgroup with children cannot be removed). */
static int destroy_children(const struct cgroup_ops *ops, const char *dir, struct err *e)
{
	auto_closedir DIR *dh = opendir(dir);
	struct dirent *d;

	if (!dh)
		return errno == ENOENT ? 0 : err_set(e, errno, "opendir `%s`", dir);
	while ((d = readdir(dh))) {
		char sub[PATH_MAX];

		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		if (join(sub, sizeof(sub), dir, d->d_name) || cg_destroy(ops, sub, e))
			return -1;
	}
	return 0;
}

int cg_destroy(const struct cgroup_ops *ops, const char *dir, struct err *e)
{
	int waited;

	if (destroy_children(ops, dir, e))
		return -1;

	for (waited = 0;; waited += 10) {
		int n;

		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return err_set(e, errno, "rmdir `%s`", dir);
		if (waited >= DESTROY_TIMEOUT_MS) {
			n = cg_each_pid(dir, NULL, NULL, e);
			return err_set(e, EBUSY, "rmdir `%s` after %d ms (%s)", dir, waited,
				       n > 0 ? "processes are still in it" : "the kernel still holds it");
		}
		/* A frozen process cannot die: thaw a freezer cgroup a crashed run left frozen. */
		if (cg_has(dir, "freezer.state"))
			cg_write(dir, "freezer.state", "THAWED", e);
		if (ops->kill_all(dir, e) && errno != ENOENT)
			return -1;
		sleep_ms(10);
	}
}

struct holder_search {
	const char *dir;
	size_t best;             /* the length of the longest mount point that holds dir */
	char *kpath, *mount;
	size_t len;
};

static bool holds_dir(const struct cgroup_mount *m, void *ctx)
{
	struct holder_search *s = ctx;
	size_t mlen = strlen(m->mount);

	if (mlen > s->best && !strncmp(s->dir, m->mount, mlen) &&
	    (s->dir[mlen] == '/' || s->dir[mlen] == '\0')) {
		s->best = mlen;
		snprintf(s->kpath, s->len, "%s%s", strcmp(m->root, "/") ? m->root : "", s->dir + mlen);
		if (!s->kpath[0])
			snprintf(s->kpath, s->len, "/");
		snprintf(s->mount, s->len, "%s", m->mount);
	}
	return false;
}

/* The longest cgroup mount that holds dir (into mount), and dir's path inside it. */
static int kernel_path_of(const char *proc_root, const char *dir, char *kpath, char *mount,
			  size_t len)
{
	struct holder_search s = { .dir = dir, .kpath = kpath, .mount = mount, .len = len };

	if (cgroup_mounts_each(proc_root, holds_dir, &s))
		return -1;
	if (!s.best) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

static int check_memory_controller(const struct cgroup_root *r, struct err *e)
{
	char buf[512];

	if (r->ops->version == 1) {
		if (!cg_has(r->dir, "memory.limit_in_bytes"))
			return err_set(e, ENOENT, "`%s` has no memory.limit_in_bytes: not a v1 memory "
				       "cgroup", r->dir);
		return 0;
	}
	if (cg_read(r->dir, "cgroup.controllers", buf, sizeof(buf), e))
		return -1;
	if (word_in(buf, "memory", " \n"))
		return 0;
	return err_set(e, ENOENT, "the memory controller is not available in `%s` (cgroup.controllers "
		       "does not list it)", r->dir);
}

int cgroup_root_find(struct cgroup_root *r, const char *proc_root, const char *given,
		     int force_version, struct err *e)
{
	struct cgroup_loc loc;
	struct statfs sf;
	int version;

	memset(r, 0, sizeof(*r));
	if (given) {
		snprintf(r->placement, sizeof(r->placement), "--cgroup-root");
		if (!realpath(given, r->dir))
			return err_set(e, errno, "--cgroup-root `%s`", given);
		if (force_version) {
			/* A fake tree for tests: the directory stands for a hierarchy root. */
			version = force_version;
			snprintf(r->kpath, sizeof(r->kpath), "/");
			snprintf(r->mount, sizeof(r->mount), "%s", r->dir);
		} else {
			if (statfs(r->dir, &sf))
				return err_set(e, errno, "statfs `%s`", r->dir);
			if (sf.f_type == CGROUP2_SUPER_MAGIC)
				version = 2;
			else if (sf.f_type == CGROUP_SUPER_MAGIC)
				version = 1;
			else
				return err_set(e, EINVAL, "--cgroup-root `%s` is not on a cgroup file system",
					       r->dir);
			if (kernel_path_of(proc_root, r->dir, r->kpath, r->mount, sizeof(r->kpath)))
				return err_set(e, errno, "--cgroup-root `%s`: no cgroup mount holds it",
					       r->dir);
		}
	} else {
		if (cgroup_locate(proc_root, "memory", &loc)) {
			if (errno == ENOENT)
				return err_set(e, ENOENT, "no cgroup hierarchy has the memory controller "
					       "(%s/self/mountinfo)", proc_root);
			return err_set(e, errno, "finding this process's memory cgroup in %s/self",
				       proc_root);
		}
		version = force_version ? force_version : loc.version;
		snprintf(r->mount, sizeof(r->mount), "%s", loc.mount);
		if (version == 2 && strcmp(loc.dir, loc.mount)) {
			/* A login session's scope, a CI runner's service, ...: use the top. */
			snprintf(r->dir, sizeof(r->dir), "%s", loc.mount);
			snprintf(r->kpath, sizeof(r->kpath), "%s", loc.mount_root);
			snprintf(r->placement, sizeof(r->placement), "the hierarchy's top: oomlab's own "
				 "cgroup %s holds processes, and cgroup v2 lets no cgroup with processes "
				 "give its children the memory controller", loc.path);
		} else {
			snprintf(r->dir, sizeof(r->dir), "%s", loc.dir);
			snprintf(r->kpath, sizeof(r->kpath), "%s", loc.path);
			snprintf(r->placement, sizeof(r->placement), "oomlab's own memory cgroup");
		}
	}
	r->ops = version == 2 ? &cgroup_v2_ops : &cgroup_v1_ops;
	/* v1 without --cgroup-root: the freezer hierarchy, if mounted, freezes fork bombs. */
	if (version == 1 && !given && cgroup_locate(proc_root, "freezer", &loc) == 0 &&
	    loc.version == 1 && access(loc.dir, W_OK) == 0)
		snprintf(r->freezer_dir, sizeof(r->freezer_dir), "%s", loc.dir);
	return check_memory_controller(r, e);
}
