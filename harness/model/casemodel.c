// SPDX-License-Identifier: GPL-2.0
#include "model/casemodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "base/fileio.h"
#include "model/rank.h"
#include "shared/memlimit.h"

const char *model_how_text(enum model_how how)
{
	static const char *const text[HOW_COUNT] = {
		[HOW_BADNESS] = "badness", [HOW_ALLOCATING_TASK] = "oom_kill_allocating_task",
		[HOW_OOM_ORIGIN] = "OOM origin: in swapoff",
	};

	return text[how];
}

/* A limit file in kB: "max" (-1 from cg_read_ll) or a v1 "unlimited" (about 2^63) is -1. */
static long long limit_kb(const char *dir, const char *file)
{
	long long v;
	struct err e;

	if (!dir[0] || cg_read_ll(dir, file, &v, &e) || v < 0 ||
	    memory_limit_is_none((unsigned long long)v))
		return -1;
	return v / 1024;
}

/* A number from a sysctl or a cgroup file, or `fallback` when it cannot be read. */
static long sysctl_long(const char *path, long fallback)
{
	struct err e;
	long v;

	return read_long(path, &v, &e) ? fallback : v;
}

static long cg_long(const char *dir, const char *file, long fallback)
{
	long long v;
	struct err e;

	return cg_read_ll(dir, file, &v, &e) ? fallback : (long)v;
}

/* Limit plus the swap it may use (mem_cgroup_get_max, 4.16+), in pages. */
static long long memcg_pages(const struct model_env *m, long long limit_kb, long long swap_limit_kb)
{
	long long swap = m->swap_total_kb;

	if (swap_limit_kb >= 0 && swap_limit_kb < swap)
		swap = swap_limit_kb;
	if (!m->swappiness || swap < 0)
		swap = 0;
	return (limit_kb + swap) / m->page_kb;
}

void model_env_read(struct model_env *m, const struct hostinfo *h, const struct kver *rules,
		    const char *cg_dir, int cgroup_version)
{
	long long memsw;
	long page = sysconf(_SC_PAGESIZE);

	memset(m, 0, sizeof(*m));
	m->kernel = rules ? *rules : h->kernel;
	m->era = badness_era_of(&m->kernel);
	m->root = h->root;
	m->page_kb = page > 0 ? page / 1024 : 4;
	m->mem_total_kb = (long long)(mem_total_bytes() / 1024);
	m->swap_total_kb = (long long)meminfo_kb("SwapTotal");
	m->allocating_task = sysctl_long("/proc/sys/vm/oom_kill_allocating_task", 0) != 0;
	if (cgroup_version == 2) {
		m->limit_kb = limit_kb(cg_dir, "memory.max");
		m->swap_limit_kb = limit_kb(cg_dir, "memory.swap.max");
		m->swappiness = (int)sysctl_long("/proc/sys/vm/swappiness", 60);
	} else {
		m->limit_kb = limit_kb(cg_dir, "memory.limit_in_bytes");
		memsw = limit_kb(cg_dir, "memory.memsw.limit_in_bytes");
		m->swap_limit_kb = memsw >= 0 && m->limit_kb >= 0 ? memsw - m->limit_kb : -1;
		m->swappiness = (int)cg_long(cg_dir, "memory.swappiness", 60);
	}
	m->machine_pages = (m->mem_total_kb + m->swap_total_kb) / m->page_kb;
	m->domain_pages = m->limit_kb >= 0 ? memcg_pages(m, m->limit_kb, m->swap_limit_kb)
					   : m->machine_pages;
}

void model_proc(const struct model_env *m, const struct proc_sample *s, struct proc_model *out)
{
	struct badness_in in = { 0 };

	memset(out, 0, sizeof(*out));
	if (!s->ok || s->rss_anon_kb < 0 || s->rss_file_kb < 0 || s->rss_shmem_kb < 0 ||
	    m->era == BADNESS_NONE)
		return;
	out->rss = in.rss = (s->rss_anon_kb + s->rss_file_kb + s->rss_shmem_kb) / m->page_kb;
	out->swap = in.swap = s->vm_swap_kb > 0 ? s->vm_swap_kb / m->page_kb : 0;
	out->pgtables = in.pgtables = s->vm_pte_kb > 0 ? s->vm_pte_kb / m->page_kb : 0;
	in.adj = s->oom_score_adj;
	in.cap_sys_admin = m->root;
	out->machine_points = badness(m->era, &m->kernel, &in, m->machine_pages);
	out->oom_score = badness_oom_score(m->era, out->machine_points, m->machine_pages);
	out->domain_points = badness(m->era, &m->kernel, &in, m->domain_pages);
	out->ok = true;
}

bool model_event_is_memcg(const struct oom_event *ev)
{
	return ev->has_summary ? !strcmp(ev->constraint, "CONSTRAINT_MEMCG") || ev->oom_memcg[0]
			       : ev->mem.seen || ev->limit_of[0];
}

long long model_event_pages(const struct model_env *m, const struct oom_event *ev)
{
	if (!model_event_is_memcg(ev))
		return m->machine_pages;
	if (!ev->mem.seen)
		return -1;
	if (ev->swap.seen)
		return memcg_pages(m, ev->mem.limit_kb, ev->swap.limit_kb);
	if (ev->memsw.seen)
		return memcg_pages(m, ev->mem.limit_kb, ev->memsw.limit_kb - ev->mem.limit_kb);
	return memcg_pages(m, ev->mem.limit_kb, -1);
}

bool model_pid_listed(const long *pids, int n, long pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* An OOM origin (a swapoff caller) the kernel scanned: it is taken before any scoring. */
static const struct oom_task *origin_row(const struct model_hints *h, const struct oom_event *ev)
{
	size_t i;

	for (i = 0; i < ev->ntasks; i++)
		if (model_pid_listed(h->origin, h->norigin, ev->tasks[i].pid))
			return &ev->tasks[i];
	return NULL;
}

/* The highest badness in the kernel's table, and where the kernel's victim stands. */
static void predict_by_badness(const struct model_env *m, const struct oom_event *ev,
			       const struct model_hints *h, struct event_model *out)
{
	size_t n, i;
	struct rank_row *rows = rank_rows(m, ev, h, out->totalpages, &n);

	out->how = HOW_BADNESS;
	out->points = BADNESS_UNKILLABLE;
	for (i = 0; i < n; i++) {
		if (rows[i].task->pid == ev->kills[0].pid) {
			out->victim_in_table = true;
			out->victim_points = rows[i].points;
		}
	}
	if (!n || rows[0].points == BADNESS_UNKILLABLE) {
		snprintf(out->why_not, sizeof(out->why_not), "no row of the task table can be chosen");
		free(rows);
		return;
	}
	out->made = true;
	out->pid = rows[0].task->pid;
	out->points = rows[0].points;
	out->ties = rank_ties(rows, n);
	snprintf(out->comm, sizeof(out->comm), "%s", rows[0].task->name);
	free(rows);
}

void model_event(const struct model_env *m, const struct oom_event *ev, const struct model_hints *h,
		 struct event_model *out)
{
	const struct oom_task *origin;

	memset(out, 0, sizeof(*out));
	out->pid = -1;
	if (!ev->nkills) {
		snprintf(out->why_not, sizeof(out->why_not), "no process was killed");
		return;
	}
	if (m->era == BADNESS_NONE) {
		snprintf(out->why_not, sizeof(out->why_not), "kernel %d.%d.%d: %s", m->kernel.major,
			 m->kernel.minor, m->kernel.patch, badness_era_name(m->era));
		return;
	}
	if (m->allocating_task && !strcmp(ev->constraint, "CONSTRAINT_NONE") && ev->trigger_pid > 0 &&
	    !(ev->has_trigger_adj && ev->trigger_adj <= -1000)) {
		/* The allocating task dies if it can (4.x+: global OOMs only); one that may never
		 * be chosen (adj -1000: oomlab itself, reading a file) leaves it to badness. */
		out->made = true;
		out->how = HOW_ALLOCATING_TASK;
		out->pid = ev->trigger_pid;
		snprintf(out->comm, sizeof(out->comm), "%s", ev->trigger_comm);
		return;
	}
	if (!ev->ntasks) {
		snprintf(out->why_not, sizeof(out->why_not), "the report has no task table "
			 "(vm.oom_dump_tasks=0, or its header was rate-limited)");
		return;
	}
	origin = origin_row(h, ev);
	if (origin) {
		out->made = true;
		out->how = HOW_OOM_ORIGIN;
		out->pid = origin->pid;
		snprintf(out->comm, sizeof(out->comm), "%s", origin->name);
		return;
	}
	out->totalpages = model_event_pages(m, ev);
	if (out->totalpages < 0) {
		snprintf(out->why_not, sizeof(out->why_not), "the memcg report has no memory: usage line");
		return;
	}
	predict_by_badness(m, ev, h, out);
}
