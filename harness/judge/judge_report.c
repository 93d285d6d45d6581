// SPDX-License-Identifier: GPL-2.0
/*
 * The completeness and shape of the case's OOM reports, two checks on by default:
 * report_tasks (the first report's task table lists every process of the case that was
 * alive in its OOM domain) and report_shape (each line has the fields docs/kernel-log-formats.md gives
 * for the running kernel's version, or --model-kernel's). Both judge the kernel log, so
 * their failures are log failures: a report the kernel kept back because of others'
 * OOMs is not judged.
 */
#include "judge/judge_state.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "klog/oomreport.h"
#include "run/caseenv.h"

/* A kernel version as kver_code() numbers it, for the tables below. */
#define KV(a, b, c) ((unsigned long)(a) * 1000000UL + (unsigned long)(b) * 1000UL + (c))

/* Which reports have a line. */
enum shape_scope { IN_ANY, IN_MEMCG, IN_GLOBAL };

/* A line (or a field of it) and the kernels that print it: from <= version <= to (0: open). */
struct event_shape {
	const char *line, *field;
	unsigned long from, to;
	enum shape_scope scope;
	bool (*has)(const struct oom_event *ev);
};

static bool has_trigger(const struct oom_event *ev) { return ev->has_trigger; }
static bool has_gfp(const struct oom_event *ev) { return ev->gfp_mask[0]; }
static bool has_order(const struct oom_event *ev) { return ev->order != -2; }
static bool has_trigger_adj(const struct oom_event *ev) { return ev->has_trigger_adj; }
static bool has_cpu_line(const struct oom_event *ev) { return ev->trigger_pid >= 0 && ev->release[0]; }
static bool has_usage(const struct oom_event *ev) { return ev->mem.seen; }
static bool has_task_in(const struct oom_event *ev) { return ev->task_in[0] && ev->limit_of[0]; }
static bool has_meminfo(const struct oom_event *ev) { return ev->has_meminfo; }
static bool has_summary(const struct oom_event *ev) { return ev->has_summary; }
static bool has_constraint(const struct oom_event *ev) { return ev->constraint[0]; }
static bool has_nodemask(const struct oom_event *ev) { return ev->nodemask[0]; }
static bool has_oom_memcg(const struct oom_event *ev) { return ev->oom_memcg[0]; }
static bool has_global(const struct oom_event *ev) { return ev->global_oom; }
static bool has_task_memcg(const struct oom_event *ev) { return ev->task_memcg[0]; }

static bool has_summary_task(const struct oom_event *ev)
{
	return ev->task_comm[0] && ev->task_pid >= 0 && ev->task_uid >= 0;
}

static const struct event_shape event_shapes[] = {
	{ "the trigger line", NULL, 0, 0, IN_ANY, has_trigger },
	{ "the trigger line", "gfp_mask", 0, 0, IN_ANY, has_gfp },
	{ "the trigger line", "order", 0, 0, IN_ANY, has_order },
	{ "the trigger line", "oom_score_adj", KV(2, 6, 36), 0, IN_ANY, has_trigger_adj },
	{ "the `CPU: N PID: N Comm:` line", NULL, 0, 0, IN_ANY, has_cpu_line },
	{ "the memcg's `memory: usage` line", NULL, 0, 0, IN_MEMCG, has_usage },
	{ "the `Task in ... killed as a result of limit of` line", NULL, KV(3, 0, 0), KV(4, 18, 999),
	  IN_MEMCG, has_task_in },
	{ "Mem-Info", NULL, 0, 0, IN_GLOBAL, has_meminfo },
	{ "the `oom-kill:` summary", NULL, KV(4, 19, 0), 0, IN_ANY, has_summary },
	{ "the `oom-kill:` summary", "constraint", KV(4, 19, 0), 0, IN_ANY, has_constraint },
	{ "the `oom-kill:` summary", "nodemask", KV(5, 0, 0), 0, IN_ANY, has_nodemask },
	{ "the `oom-kill:` summary", "oom_memcg", KV(4, 19, 0), 0, IN_MEMCG, has_oom_memcg },
	{ "the `oom-kill:` summary", "global_oom", KV(4, 19, 0), 0, IN_GLOBAL, has_global },
	{ "the `oom-kill:` summary", "task_memcg", KV(4, 19, 0), 0, IN_MEMCG, has_task_memcg },
	{ "the `oom-kill:` summary", "task, pid and uid", KV(4, 19, 0), 0, IN_ANY, has_summary_task },
};

/* A field of the `Killed process` line. */
struct kill_shape {
	const char *field;
	unsigned long from;
	bool (*has)(const struct oom_kill *k);
};

static bool has_comm(const struct oom_kill *k) { return k->pid >= 0 && k->comm[0] && !k->cut; }
static bool has_total_vm(const struct oom_kill *k) { return k->total_vm_kb >= 0; }
static bool has_anon(const struct oom_kill *k) { return k->anon_rss_kb >= 0; }
static bool has_file(const struct oom_kill *k) { return k->file_rss_kb >= 0; }
static bool has_shmem(const struct oom_kill *k) { return k->shmem_rss_kb >= 0; }
static bool has_reason(const struct oom_kill *k) { return k->reason[0]; }
static bool has_uid(const struct oom_kill *k) { return k->uid >= 0; }
static bool has_pgtables(const struct oom_kill *k) { return k->pgtables_kb >= 0; }
static bool has_kill_adj(const struct oom_kill *k) { return k->has_adj; }

/*
 * UID:, pgtables: and oom_score_adj: came in 5.3-5.9 by the patch mails, not exactly
 * known (docs/kernel-log-formats.md): required from 5.10.
 */
static const struct kill_shape kill_shapes[] = {
	{ "its pid and comm", 0, has_comm },
	{ "total-vm", KV(2, 6, 36), has_total_vm },
	{ "anon-rss", KV(2, 6, 36), has_anon },
	{ "file-rss", KV(2, 6, 36), has_file },
	{ "shmem-rss", KV(4, 5, 0), has_shmem },
	{ "the reason before it (`Memory cgroup out of memory: `)", KV(5, 1, 0), has_reason },
	{ "UID", KV(5, 10, 0), has_uid },
	{ "pgtables", KV(5, 10, 0), has_pgtables },
	{ "oom_score_adj", KV(5, 10, 0), has_kill_adj },
};

/* A column of the task table, in every row. */
struct row_shape {
	const char *column;
	unsigned long from, to;
	bool (*has)(const struct oom_task *t);
};

static bool has_uid_col(const struct oom_task *t) { return t->uid >= 0 && t->tgid >= 0; }
static bool has_sizes(const struct oom_task *t) { return t->total_vm >= 0 && t->rss >= 0; }
static bool has_nr_ptes(const struct oom_task *t) { return t->nr_ptes >= 0; }
static bool has_swapents(const struct oom_task *t) { return t->swapents >= 0; }
static bool has_pgtables_bytes(const struct oom_task *t) { return t->pgtables_bytes >= 0; }
static bool has_oom_score_adj(const struct oom_task *t) { return t->has_oom_score_adj; }

static bool has_rss_split(const struct oom_task *t)
{
	return t->rss_anon >= 0 && t->rss_file >= 0 && t->rss_shmem >= 0;
}

static const struct row_shape row_shapes[] = {
	{ "uid and tgid", 0, 0, has_uid_col },
	{ "total_vm and rss", 0, 0, has_sizes },
	{ "nr_ptes", KV(3, 6, 0), KV(4, 14, 999), has_nr_ptes },
	{ "swapents", KV(3, 6, 0), 0, has_swapents },
	{ "pgtables_bytes", KV(4, 15, 0), 0, has_pgtables_bytes },
	{ "rss_anon, rss_file and rss_shmem", KV(6, 8, 0), 0, has_rss_split },
	{ "oom_score_adj", KV(2, 6, 36), 0, has_oom_score_adj },
};

static bool prints(unsigned long kernel, unsigned long from, unsigned long to)
{
	return kernel >= from && (!to || kernel <= to);
}

/* "4.19+" or "3.6-4.14": the kernels that print a field. */
static void range_text(unsigned long from, unsigned long to, char *out, size_t len)
{
	if (!from && !to)
		snprintf(out, len, "every kernel prints");
	else if (!to)
		snprintf(out, len, "%lu.%lu+ print", from / 1000000, from / 1000 % 1000);
	else
		snprintf(out, len, "%lu.%lu-%lu.%lu print", from / 1000000, from / 1000 % 1000,
			 to / 1000000, to / 1000 % 1000);
}

static void drift(struct judge *j, int n, const char *line, const char *field, unsigned long from,
		  unsigned long to, const char *extra)
{
	const struct kver *k = &j->r->model.kernel;
	char which[48];

	range_text(from, to, which, sizeof(which));
	if (field)
		judge_fail(j, j->x->report_shape.line, "report_shape: format drift in OOM report %d: %s%s "
			   "lacks %s, which %s (this kernel: %d.%d.%d)", n, line, extra, field, which,
			   k->major, k->minor, k->patch);
	else
		judge_fail(j, j->x->report_shape.line, "report_shape: format drift in OOM report %d: %s "
			   "is missing, which %s (this kernel: %d.%d.%d)", n, line, which, k->major,
			   k->minor, k->patch);
	j->log_failures++;
}

/* Is the report a memory cgroup's? From its own lines first, else from the case. */
static bool memcg_report(const struct case_run *r, const struct oom_event *ev)
{
	const char *reason = ev->nkills ? ev->kills[0].reason : ev->selected_reason;

	if (ev->constraint[0])
		return !strcmp(ev->constraint, "CONSTRAINT_MEMCG");
	if (ev->mem.seen || ev->task_in[0])
		return true;
	if (reason[0])
		return strstr(reason, "Memory cgroup") != NULL;
	return r->cs->scope == SCOPE_CGROUP;
}

static void check_event_shape(struct judge *j, const struct oom_event *ev, int n, unsigned long kernel)
{
	bool memcg = memcg_report(j->r, ev);
	const char *gone = "";           /* a line found missing: its fields are not listed */
	char row[64];

	for (size_t i = 0; i < sizeof(event_shapes) / sizeof(event_shapes[0]); i++) {
		const struct event_shape *s = &event_shapes[i];

		if (!prints(kernel, s->from, s->to) || (s->scope == IN_MEMCG && !memcg) ||
		    (s->scope == IN_GLOBAL && memcg) || !strcmp(s->line, gone) || s->has(ev))
			continue;
		drift(j, n, s->line, s->field, s->from, s->to, "");
		if (!s->field)
			gone = s->line;
	}
	for (size_t k = 0; k < ev->nkills; k++)
		for (size_t i = 0; i < sizeof(kill_shapes) / sizeof(kill_shapes[0]); i++)
			if (prints(kernel, kill_shapes[i].from, 0) && !kill_shapes[i].has(&ev->kills[k]))
				drift(j, n, "the `Killed process` line", kill_shapes[i].field,
				      kill_shapes[i].from, 0, "");
	for (size_t t = 0; t < ev->ntasks; t++)
		for (size_t i = 0; i < sizeof(row_shapes) / sizeof(row_shapes[0]); i++)
			if (prints(kernel, row_shapes[i].from, row_shapes[i].to) &&
			    !row_shapes[i].has(&ev->tasks[t])) {
				snprintf(row, sizeof(row), " (the row of pid %ld)", ev->tasks[t].pid);
				drift(j, n, "the task table", row_shapes[i].column, row_shapes[i].from,
				      row_shapes[i].to, row);
				return; /* one row says it: the others have the header's shape */
			}
}

/*
 * The kernels the report's lines fit, together (the parser's era): a line or field new
 * to this kernel, or one of another era, puts it outside.
 */
static void check_era(struct judge *j, const struct oom_event *ev, int n, unsigned long kernel)
{
	const struct kver *k = &j->r->model.kernel;
	char era[64];

	if (ev->era_lo == (unsigned long)-1) {
		judge_fail(j, j->x->report_shape.line, "report_shape: format drift in OOM report %d: its "
			   "lines fit no one kernel version (lines of different eras; this kernel: "
			   "%d.%d.%d)", n, k->major, k->minor, k->patch);
		j->log_failures++;
	} else if ((ev->era_lo && kernel < ev->era_lo) || (ev->era_hi && kernel > ev->era_hi)) {
		oom_era_text(ev, era, sizeof(era));
		judge_fail(j, j->x->report_shape.line, "report_shape: format drift in OOM report %d: its "
			   "lines fit kernels %s, not this one (%d.%d.%d): a line or field new, gone or "
			   "changed", n, era, k->major, k->minor, k->patch);
		j->log_failures++;
	}
}

/* A report of which only the kill lines are there: the kernel's rate limit kept the rest. */
static bool header_kept_back(const struct oom_event *ev)
{
	return !ev->has_trigger && ev->trigger_pid < 0 && !ev->has_summary && !ev->ntasks;
}

static void check_shape(struct judge *j)
{
	const struct case_run *r = j->r;
	unsigned long kernel = kver_code(r->model.kernel.major, r->model.kernel.minor,
					 r->model.kernel.patch);
	int n = 0;

	for (size_t e = 0; e < r->report.n; e++) {
		if (!r->ours[e])
			continue;
		/*
		 * A report of kill lines alone is the rate limit's (others' OOMs can use it up
		 * however long the run waited): the cases' own dmesg patterns on the header are
		 * what judge a kernel that prints none, excused where the limit was used up.
		 */
		n++;
		if (header_kept_back(&r->report.events[e]))
			continue;
		check_event_shape(j, &r->report.events[e], n, kernel);
		check_era(j, &r->report.events[e], n, kernel);
	}
}

static bool exited_by_itself(const struct proc_run *p)
{
	return p->run_state == PS_ENDED && !(WIFSIGNALED(p->status) && WTERMSIG(p->status) == SIGKILL);
}

static const struct oom_task *table_row(const struct oom_event *ev, long pid)
{
	for (size_t t = 0; t < ev->ntasks; t++)
		if (oom_task_is(&ev->tasks[t], pid))
			return &ev->tasks[t];
	return NULL;
}

/* The row of a process that was alive: there, with its adj and its memory. */
static void check_row(struct judge *j, const struct oom_event *ev, const struct proc_run *p)
{
	const struct proc_sample *s = &p->sample;
	const struct oom_task *t = table_row(ev, p->pid);
	long long page_kb = j->r->model.page_kb > 0 ? j->r->model.page_kb : 4, had, has;

	if (!t) {
		judge_fail(j, j->x->report_tasks.line, "report_tasks: the task table of OOM report 1 "
			   "lacks %s (pid %d, oom_score_adj %ld), which was alive: it has %zu rows",
			   p->spec->role, (int)p->pid, s->oom_score_adj, ev->ntasks);
		j->log_failures++;
		return;
	}
	if (t->has_oom_score_adj && t->oom_score_adj != s->oom_score_adj) {
		judge_fail(j, j->x->report_tasks.line, "report_tasks: the task table of OOM report 1 "
			   "lists %s (pid %d) with oom_score_adj %ld, /proc said %ld before go",
			   p->spec->role, (int)p->pid, t->oom_score_adj, s->oom_score_adj);
		j->log_failures++;
	}
	/* anonymous memory and swap only: clean file pages may be reclaimed before the OOM, and
	 * shmem swapped out leaves rss without showing in swapents */
	had = (s->rss_anon_kb + (s->vm_swap_kb > 0 ? s->vm_swap_kb : 0)) / page_kb;
	has = t->rss + (t->swapents > 0 ? t->swapents : 0);
	if ((t->total_vm >= 0 && t->rss > t->total_vm) || (had >= 1024 && 2 * has < had)) {
		judge_fail(j, j->x->report_tasks.line, "report_tasks: the task table of OOM report 1 "
			   "lists %s (pid %d) with total_vm %lld, rss %lld and swapents %lld pages; /proc "
			   "showed %lld pages (anonymous and swap) before go", p->spec->role, (int)p->pid,
			   t->total_vm, t->rss, t->swapents, had);
		j->log_failures++;
	}
}

/*
 * Does the report's OOM domain hold the process? A memory cgroup OOM's table lists the
 * tasks of that cgroup and those below it (oom_memcg, or before 4.19 the "limit of"
 * cgroup); a global OOM's, every task. Unknown: the process is taken to be in it.
 */
static bool in_domain(const struct judge *j, const struct oom_event *ev, const struct proc_run *p)
{
	const char *domain = ev->oom_memcg[0] ? ev->oom_memcg : ev->limit_of;
	char kpath[PATH_MAX];
	size_t n = strlen(domain);

	if (!n || ev->global_oom || !strcmp(domain, "/"))
		return true;
	caseenv_cgroup(j->r, p->spec->cgroup, CG_KERNEL, kpath, sizeof(kpath));
	return !strncmp(kpath, domain, n) && (kpath[n] == '\0' || kpath[n] == '/');
}

static void check_tasks(struct judge *j)
{
	const struct case_run *r = j->r;
	const struct oom_event *ev = NULL;

	for (size_t e = 0; e < r->report.n && !ev; e++)
		if (r->ours[e])
			ev = &r->report.events[e];
	if (!ev || !r->dump_tasks || header_kept_back(ev))
		return;
	if (!ev->ntasks) {
		judge_fail(j, j->x->report_tasks.line, "report_tasks: OOM report 1 has no task table, "
			   "and vm.oom_dump_tasks was on");
		j->log_failures++;
		return;
	}
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i].sample.ok && !exited_by_itself(&r->procs[i]) &&
		    in_domain(j, ev, &r->procs[i]))
			check_row(j, ev, &r->procs[i]);
}

void judge_report(struct judge *j)
{
	/* records of the case overwritten before they were read: its reports are not whole */
	if (j->r->klog.lost)
		return;
	if (!j->x->report_tasks.off)
		check_tasks(j);
	if (!j->x->report_shape.off)
		check_shape(j);
}
