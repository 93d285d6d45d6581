// SPDX-License-Identifier: GPL-2.0
#include "klog/oomjson.h"

static const char *str_or_null(const char *s)
{
	return s[0] ? s : NULL;
}

/* A count or size the log may not give (-1): the number, or null. */
static void int_or_null(struct json *j, const char *key, long long v)
{
	json_int_known(j, key, v, v >= 0);
}

/* Open the object `key` when the log has it; else write null. Returns whether it opened. */
static bool object_or_null(struct json *j, const char *key, bool present)
{
	if (present)
		json_object_begin(j, key);
	else
		json_null(j, key);
	return present;
}

static void proc_object(struct json *j, const char *key, const struct oom_proc *p, bool with_line)
{
	if (!object_or_null(j, key, p->seen))
		return;
	if (with_line)
		json_int(j, "line", p->line);
	json_int(j, "pid", p->pid);
	json_string(j, "comm", p->comm);
	json_object_end(j);
}

static void trigger(struct json *j, const struct oom_event *ev)
{
	if (!object_or_null(j, "trigger", oom_has_trigger(ev)))
		return;
	json_string(j, "comm", str_or_null(oom_trigger_comm(ev)));
	int_or_null(j, "pid", ev->trigger_pid);
	json_string(j, "gfp_mask", str_or_null(ev->gfp_mask));
	json_string(j, "nodemask", str_or_null(ev->trigger_nodemask));
	json_int_known(j, "order", ev->order, ev->order >= -1);
	json_int_known(j, "oom_score_adj", ev->trigger_adj, ev->has_trigger_adj);
	json_int_known(j, "oom_adj", ev->trigger_oom_adj, ev->has_trigger_oom_adj);
	json_int_known(j, "oomkilladj", ev->trigger_oomkilladj, ev->has_trigger_oomkilladj);
	json_object_end(j);
}

static void usage(struct json *j, const char *key, const struct oom_usage *u)
{
	if (!object_or_null(j, key, u->seen))
		return;
	json_int(j, "usage_kb", u->usage_kb);
	json_int(j, "limit_kb", u->limit_kb);
	json_int(j, "failcnt", u->failcnt);
	json_object_end(j);
}

static void memcg(struct json *j, const struct oom_event *ev)
{
	bool any = ev->task_in[0] || ev->limit_of[0] || ev->stats_for[0] || ev->mem.seen ||
		   ev->memsw.seen || ev->kmem.seen || ev->swap.seen;

	if (!object_or_null(j, "memcg", any))
		return;
	json_string(j, "task_in", str_or_null(ev->task_in));
	json_string(j, "limit_of", str_or_null(ev->limit_of));
	usage(j, "memory", &ev->mem);
	usage(j, "memory+swap", &ev->memsw);
	usage(j, "kmem", &ev->kmem);
	usage(j, "swap", &ev->swap);
	json_string(j, "stats_for", str_or_null(ev->stats_for));
	json_object_end(j);
}

static void meminfo(struct json *j, const struct oom_event *ev)
{
	if (!object_or_null(j, "meminfo", ev->has_meminfo))
		return;
	int_or_null(j, "ram_pages", ev->ram_pages);
	int_or_null(j, "reserved_pages", ev->reserved_pages);
	int_or_null(j, "free_pages", ev->free_pages);
	int_or_null(j, "free_swap_kb", ev->free_swap_kb);
	int_or_null(j, "total_swap_kb", ev->total_swap_kb);
	json_object_end(j);
}

static void task_row(struct json *j, const struct oom_task *t)
{
	json_object_begin(j, NULL);
	json_int(j, "pid", t->pid);
	int_or_null(j, "uid", t->uid);
	int_or_null(j, "tgid", t->tgid);
	int_or_null(j, "total_vm", t->total_vm);
	int_or_null(j, "rss", t->rss);
	int_or_null(j, "rss_anon", t->rss_anon);
	int_or_null(j, "rss_file", t->rss_file);
	int_or_null(j, "rss_shmem", t->rss_shmem);
	int_or_null(j, "pgtables_bytes", t->pgtables_bytes);
	int_or_null(j, "nr_ptes", t->nr_ptes);
	int_or_null(j, "nr_pmds", t->nr_pmds);
	int_or_null(j, "swapents", t->swapents);
	int_or_null(j, "cpu", t->cpu);
	json_int_known(j, "oom_adj", t->oom_adj, t->has_oom_adj);
	json_int_known(j, "oom_score_adj", t->oom_score_adj, t->has_oom_score_adj);
	json_string(j, "name", t->name);
	json_object_end(j);
}

static void selected(struct json *j, const struct oom_event *ev)
{
	if (!object_or_null(j, "selected", ev->selected.seen))
		return;
	json_int(j, "line", ev->selected.line);
	json_int(j, "pid", ev->selected.pid);
	json_string(j, "comm", ev->selected.comm);
	int_or_null(j, "score", ev->selected_score);
	json_string(j, "reason", str_or_null(ev->selected_reason));
	json_object_end(j);
}

static void kill_object(struct json *j, const struct oom_kill *k)
{
	json_object_begin(j, NULL);
	json_int(j, "line", k->line);
	json_int(j, "pid", k->pid);
	json_string(j, "comm", k->comm);
	json_string(j, "reason", str_or_null(k->reason));
	int_or_null(j, "total_vm_kb", k->total_vm_kb);
	int_or_null(j, "anon_rss_kb", k->anon_rss_kb);
	int_or_null(j, "file_rss_kb", k->file_rss_kb);
	int_or_null(j, "shmem_rss_kb", k->shmem_rss_kb);
	int_or_null(j, "pgtables_kb", k->pgtables_kb);
	json_bool(j, "pgtables_corrected", k->pgtables_corrected);
	int_or_null(j, "uid", k->uid);
	json_int_known(j, "oom_score_adj", k->oom_score_adj, k->has_adj);
	json_bool(j, "cut", k->cut);
	if (object_or_null(j, "reaper", k->reaped || k->reap_failed)) {
		json_int(j, "line", k->reaper_line);
		json_string(j, "result", k->reaped ? "reaped" : "unable to reap");
		json_int_known(j, "anon_rss_kb", k->reaped_anon_kb, k->reaped && k->reaped_anon_kb >= 0);
		json_int_known(j, "file_rss_kb", k->reaped_file_kb, k->reaped && k->reaped_file_kb >= 0);
		json_int_known(j, "shmem_rss_kb", k->reaped_shmem_kb, k->reaped && k->reaped_shmem_kb >= 0);
		json_object_end(j);
	}
	json_object_end(j);
}

static void kernel_object(struct json *j, const struct oom_event *ev)
{
	int backport = oom_backport(ev);
	char era[48];

	oom_era_text(ev, era, sizeof(era));
	json_object_begin(j, "kernel");
	json_string(j, "release", str_or_null(ev->release));
	json_string(j, "era", str_or_null(era));
	if (backport < 0)
		json_null(j, "backport");
	else
		json_bool(j, "backport", backport);
	json_object_end(j);
}

void oomjson_event(struct json *j, const struct oom_event *ev, const char *file)
{
	size_t i;

	json_object_begin(j, NULL);
	if (file)
		json_string(j, "file", file);
	json_int(j, "first_line", ev->first_line);
	json_int(j, "last_line", ev->last_line);
	kernel_object(j, ev);
	trigger(j, ev);
	json_string(j, "nodemask", str_or_null(ev->nodemask));
	json_string(j, "cpuset", str_or_null(ev->cpuset));
	json_string(j, "mems_allowed", str_or_null(ev->mems_allowed));
	json_string(j, "constraint", str_or_null(ev->constraint));
	json_string(j, "oom_memcg", str_or_null(ev->oom_memcg));
	json_string(j, "task_memcg", str_or_null(ev->task_memcg));
	if (ev->has_summary)
		json_bool(j, "global_oom", ev->global_oom);
	else
		json_null(j, "global_oom");
	if (object_or_null(j, "task", ev->has_summary)) {
		json_string(j, "comm", str_or_null(ev->task_comm));
		int_or_null(j, "pid", ev->task_pid);
		int_or_null(j, "uid", ev->task_uid);
		json_object_end(j);
	}
	memcg(j, ev);
	meminfo(j, ev);
	json_array_begin(j, "tasks");
	for (i = 0; i < ev->ntasks; i++)
		task_row(j, &ev->tasks[i]);
	json_array_end(j);
	selected(j, ev);
	json_array_begin(j, "sharers");
	for (i = 0; i < ev->nsharers; i++)
		proc_object(j, NULL, &ev->sharers[i], true);
	json_array_end(j);
	proc_object(j, "exiting", &ev->exiting, true);
	if (object_or_null(j, "mm_pinned", ev->pinned_victim.seen)) {
		json_int(j, "line", ev->pinned_victim.line);
		proc_object(j, "victim", &ev->pinned_victim, false);
		proc_object(j, "by", &ev->pinned_by, false);
		json_object_end(j);
	}
	json_string(j, "oom_group", str_or_null(ev->oom_group));
	json_array_begin(j, "kills");
	for (i = 0; i < ev->nkills; i++)
		kill_object(j, &ev->kills[i]);
	json_array_end(j);
	json_bool(j, "no_killable", ev->no_killable);
	json_string(j, "panic", str_or_null(ev->panic));
	json_object_end(j);
}
