// SPDX-License-Identifier: GPL-2.0
/*
 * The end of a report, every era: the selected process, the Killed process lines,
 * sharers, oom.group, "mm pinned", "already exiting", reaper, no killable, panic.
 * Formats: docs/kernel-log-formats.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/oomparser.h"
#include "shared/arrays.h"
#include "klog/fixedtext.h"
#include "klog/logjoin.h"

#define V(a, b, c) kver_code(a, b, c)

/* Do a and b differ only in blanks? */
static bool same_but_blanks(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++, b++;
	}
}

/*
 * A comm read from a line that was wrapped at one of its blanks lost the blank (the
 * poster's mail client took it); the task table row of the same pid, in the same
 * report, has the kernel's own spelling.
 */
static void comm_from_table(const struct oom_event *ev, long pid, char *comm, size_t len)
{
	size_t i;

	for (i = 0; i < ev->ntasks; i++)
		if (ev->tasks[i].pid == pid && strcmp(ev->tasks[i].name, comm) &&
		    same_but_blanks(ev->tasks[i].name, comm))
			oom_copy(comm, len, ev->tasks[i].name, strlen(ev->tasks[i].name));
}

/* "REASON: kill process N (C) score S or a child" / "REASON: Kill process N (C) score S or sacrifice child" */
static int selected(struct oom_parser *p, const char *t, long src)
{
	const char *kend, *k = fixed_find(t, "ill process ", &kend), *after, *score;
	struct oom_event *ev;
	struct oom_proc sel = { .seen = true, .line = src };
	long long v = OOM_UNKNOWN;
	bool child;

	if (!k || k == t || (k[-1] != 'K' && k[-1] != 'k') || fixed_find(k, " sharing same memory", NULL) ||
	    !fixed_find(k, " score ", NULL))
		return 0;
	child = fixed_find(k, " or a child", NULL) != NULL;
	if (!child && !fixed_find(k, " or sacrifice child", NULL))
		return 0;
	if (!oom_pid_and_comm(kend, ") score ", &sel.pid, sel.comm, sizeof(sel.comm), &after))
		return 0;
	score = fixed_past(after, "score ");
	if (score)
		oom_number(score, &v, NULL);
	ev = p->phase == PH_HEADER && p->cur && !oom_foreign(p, sel.pid) ? p->cur : oom_open(p, src);
	if (!ev)
		return -1;
	comm_from_table(ev, sel.pid, sel.comm, sizeof(sel.comm));
	ev->selected = sel;
	ev->selected_score = (long)v;
	/* "REASON: Kill process": k is at "ill process", k - 1 at the K */
	oom_reason(t, k - 1, ev->selected_reason, sizeof(ev->selected_reason));
	if (child)
		oom_era_hint(ev, 0, V(2, 6, 35));
	else
		oom_era_hint(ev, V(2, 6, 36), V(5, 0, 999));
	p->phase = PH_SELECTED;
	p->ncols = 0;
	return 1;
}

/* "Kill process N (C) sharing same memory" (≤4.7) */
static int sharer(struct oom_parser *p, const char *t, long src)
{
	const char *k = fixed_past(t, "Kill process ");
	struct oom_proc sh = { .seen = true, .line = src }, *grown;
	struct oom_event *ev = p->cur;

	if (!k || !fixed_find(k, ") sharing same memory", NULL) || !ev || p->phase != PH_KILLED ||
	    !oom_pid_and_comm(k, ") sharing same memory", &sh.pid, sh.comm, sizeof(sh.comm), NULL))
		return 0;
	grown = realloc(ev->sharers, (ev->nsharers + 1) * sizeof(*ev->sharers));
	if (!grown)
		return -1;
	ev->sharers = grown;
	ev->sharers[ev->nsharers++] = sh;
	oom_era_hint(ev, 0, V(4, 7, 999));
	return 1;
}

/* RHEL 6: "N, UID U, (C) total-vm:..." after "Killed process "; *after past the ')'. */
static bool rhel6_kill(const char *s, struct oom_kill *kill, const char **after)
{
	const char *close;
	long long v;

	if (!oom_number(s, &v, after) || !fixed_after(*after, ", UID "))
		return false;
	kill->pid = (long)v;
	if (!oom_number(fixed_after(*after, ", UID "), &v, after) || !(s = fixed_after(*after, ", (")))
		return false;
	close = fixed_find(s, ") total-vm:", NULL);
	if (!close)
		close = strrchr(s, ')');
	if (!close)
		return false;
	kill->uid = (long)v;
	oom_copy(kill->comm, sizeof(kill->comm), s, (size_t)(close - s));
	*after = close + 1;
	return true;
}

/* The fields after the comm: sizes, and the uid and adj of 4.19+ (or of RHEL). */
static void kill_fields(const char *after, struct oom_kill *kill)
{
	const char *s;
	long long v;

	kill->total_vm_kb = oom_kb_field(after, "total-vm:");
	kill->anon_rss_kb = oom_kb_field(after, "anon-rss:");
	kill->file_rss_kb = oom_kb_field(after, "file-rss:");
	kill->shmem_rss_kb = oom_kb_field(after, "shmem-rss:");
	kill->pgtables_kb = oom_kb_field(after, "pgtables:");
	if (kill->uid < 0 && (s = fixed_past(after, "UID:")) && oom_number(s, &v, NULL))
		kill->uid = (long)v;
	s = fixed_past(after, "oom_score_adj:");
	if (s && oom_number(s, &v, NULL)) {
		kill->oom_score_adj = (long)v;
		kill->has_adj = true;
	}
}

/* 5.4 to 5.9 printed the page tables in bytes labelled kB: the victim's row tells. */
static void pgtables_in_bytes(const struct oom_event *ev, struct oom_kill *kill)
{
	size_t i;

	if (kill->pgtables_kb <= 0)
		return;
	for (i = 0; i < ev->ntasks; i++) {
		const struct oom_task *row = &ev->tasks[i];

		if (oom_task_is(row, kill->pid) && row->pgtables_bytes == kill->pgtables_kb) {
			kill->pgtables_kb /= 1024;
			kill->pgtables_corrected = true;
			return;
		}
	}
}

static void reason_era(struct oom_event *ev, const struct oom_kill *kill)
{
	if (kill->reason[0] && ev->nkills == 1 && !ev->selected.seen)
		oom_era_hint(ev, V(5, 1, 0), 0); /* the reason moved onto this line in 5.1 */
}

/* The era of a kill line: that of the last field it has. */
static void kill_era(struct oom_event *ev, const struct oom_kill *kill)
{
	if (kill->total_vm_kb < 0)
		oom_era_hint(ev, 0, V(2, 6, 35));
	else if (kill->shmem_rss_kb < 0)
		oom_era_hint(ev, V(2, 6, 36), V(4, 4, 999));
	else if (kill->uid < 0)
		oom_era_hint(ev, V(4, 5, 0), V(5, 3, 999));
	else if (kill->pgtables_kb < 0)
		oom_era_hint(ev, V(5, 3, 0), V(5, 9, 999));
	else
		oom_era_hint(ev, V(5, 4, 0), 0);
	reason_era(ev, kill);
}

static int add_kill(struct oom_parser *p, struct oom_event *ev, const struct oom_kill *kill)
{
	struct oom_kill *grown = realloc(ev->kills, (ev->nkills + 1) * sizeof(*ev->kills));

	if (!grown)
		return -1;
	ev->kills = grown;
	ev->kills[ev->nkills++] = *kill;
	p->phase = PH_KILLED;
	p->ncols = 0;
	p->in_meminfo = false;
	return 1;
}

/*
 * Does rest (what follows "Killed") end where a paste cut "Killed process PID (COMM..."
 * short, with pid's number, or the start of it, in it?
 */
static bool cut_short(const char *rest, long pid)
{
	static const char word[] = "process";
	size_t n, w = sizeof(word) - 1, digits;
	char number[24];

	if (*rest != ' ' && *rest != '\t')
		return false;
	rest = oom_skip_ws(rest);
	n = strlen(rest);
	if (strncmp(rest, word, n < w ? n : w))
		return false;
	if (n <= w)
		return true;
	if (rest[w] != ' ' && rest[w] != '\t')
		return false;
	rest = oom_skip_ws(rest + w);
	if (!*rest)
		return true;
	snprintf(number, sizeof(number), "%ld", pid);
	digits = strspn(rest, "0123456789");
	if (!digits || strncmp(rest, number, digits))
		return false;
	rest += digits;
	if (!*rest)
		return true;
	return digits == strlen(number) && rest[0] == ' ' && (!rest[1] || rest[1] == '(') &&
	       !strchr(rest, ')');
}

/* A paste that ends inside the Killed line: the oom-kill: line just before it names the victim. */
static int cut_kill(struct oom_parser *p, const char *t, const char *k, const char *rest, long src)
{
	struct oom_event *ev = p->cur;
	struct oom_kill kill = { .line = src, .uid = -1, .cut = true };

	if (!ev || p->phase != PH_HEADER || !ev->has_summary || ev->nkills || ev->task_pid < 0 ||
	    !cut_short(rest, ev->task_pid))
		return 0;
	kill.pid = ev->task_pid;
	oom_copy(kill.comm, sizeof(kill.comm), ev->task_comm, strlen(ev->task_comm));
	oom_reason(t, k, kill.reason, sizeof(kill.reason));
	kill.total_vm_kb = kill.anon_rss_kb = kill.file_rss_kb = kill.shmem_rss_kb = kill.pgtables_kb = -1;
	if (add_kill(p, ev, &kill) < 0)
		return -1;
	reason_era(ev, &kill); /* what is left of the line says no more */
	return 1;
}

/*
 * "[REASON: ]Killed process N (C)[ total-vm:NkB, anon-rss:NkB, file-rss:NkB[, shmem-rss:NkB]
 * [, UID:N pgtables:NkB oom_score_adj:N]]", and RHEL 6's "Killed process N, UID N, (C) ..."
 */
static int killed(struct oom_parser *p, const char *t, long src)
{
	const char *rest, *k = fixed_find(t, "Killed", &rest), *s, *after = NULL;
	struct oom_event *ev = p->cur;
	struct oom_kill kill;

	if (!k)
		return 0;
	memset(&kill, 0, sizeof(kill));
	kill.line = src;
	kill.uid = -1;
	if (!(s = fixed_after(k, "Killed process ")) ||
	    (!rhel6_kill(s, &kill, &after) &&
	     !oom_pid_and_comm(s, ") total-vm:", &kill.pid, kill.comm, sizeof(kill.comm), &after)))
		return cut_kill(p, t, k, rest, src);
	oom_reason(t, k, kill.reason, sizeof(kill.reason));
	kill_fields(after, &kill);
	/*
	 * The open report takes it before its first kill (unless the report is another
	 * one's: a foreign table, a jump in time), or after it as an oom.group member;
	 * otherwise the kill stands alone (its header was rate-limited away).
	 */
	if (!ev || p->phase == PH_NONE || (ev->nkills && !ev->oom_group[0]) ||
	    (!ev->has_summary && oom_foreign(p, kill.pid))) {
		ev = oom_open(p, src);
		if (!ev)
			return -1;
	}
	comm_from_table(ev, kill.pid, kill.comm, sizeof(kill.comm));
	pgtables_in_bytes(ev, &kill);
	if (add_kill(p, ev, &kill) < 0)
		return -1;
	/* The fields a line has date it; those a cut line lost do not. */
	if (logjoin_whole(t, strlen(t)))
		kill_era(ev, &kill);
	else
		reason_era(ev, &kill);
	return 1;
}

/* "Tasks in X are going to be killed due to memory.oom.group set" (4.19+) */
static int oom_group(struct oom_parser *p, const char *t, long src)
{
	const char *end = fixed_find(t, " are going to be killed due to memory.oom.group set", NULL);
	const char *in = fixed_after(t, "Tasks in ");

	(void)src;
	if (!in || !end || !p->cur || p->phase == PH_NONE)
		return 0;
	oom_copy(p->cur->oom_group, sizeof(p->cur->oom_group), in, (size_t)(end - in));
	oom_era_hint(p->cur, V(4, 19, 0), 0);
	return 1;
}

/* "oom killer N (C) has mm pinned by N (C)" (4.8+) */
static int pinned(struct oom_parser *p, const char *t, long src)
{
	const char *by = fixed_past(t, ") has mm pinned by "), *victim = fixed_after(t, "oom killer ");
	struct oom_event *ev = p->cur;

	if (!victim || !by || !ev || p->phase == PH_NONE)
		return 0;
	if (!oom_pid_and_comm(victim, ") has mm pinned by ", &ev->pinned_victim.pid,
			      ev->pinned_victim.comm, sizeof(ev->pinned_victim.comm), NULL) ||
	    !oom_pid_and_comm(by, NULL, &ev->pinned_by.pid, ev->pinned_by.comm,
			      sizeof(ev->pinned_by.comm), NULL))
		return 0;
	ev->pinned_victim.seen = ev->pinned_by.seen = true;
	ev->pinned_victim.line = src;
	oom_era_hint(ev, V(4, 8, 0), 0);
	return 1;
}

/* "REASON: OOM victim N (C) is already exiting. Skip killing the task" */
static int exiting(struct oom_parser *p, const char *t, long src)
{
	const char *v = fixed_past(t, "OOM victim ");
	struct oom_proc ex = { .seen = true, .line = src };
	struct oom_event *ev;

	if (!v || !fixed_find(v, ") is already exiting. Skip killing the task", NULL) ||
	    !oom_pid_and_comm(v, ") is already exiting.", &ex.pid, ex.comm, sizeof(ex.comm), NULL))
		return 0;
	ev = oom_foreign(p, ex.pid) ? oom_open(p, src) : oom_current(p, src);
	if (!ev)
		return -1;
	ev->exiting = ex;
	p->phase = PH_KILLED;
	return 1;
}

/*
 * "oom_reaper: reaped process N (C), now anon-rss:NkB, ..." and "unable to reap pid:N (C)".
 * They come later, from another thread: 2, taken but not a line of the open report.
 */
static int reaper(struct oom_parser *p, const char *t, long src)
{
	const char *r = fixed_past(t, "oom_reaper: reaped process ");
	const char *u = fixed_past(t, "oom_reaper: unable to reap pid:");
	size_t i, j;
	long long pid;

	if ((!r || !oom_number(r, &pid, NULL)) && (!u || !oom_number(u, &pid, NULL)))
		return 0;
	for (i = p->out->n; i-- > 0;) {
		struct oom_event *ev = &p->out->events[i];

		for (j = 0; j < ev->nkills; j++) {
			struct oom_kill *k = &ev->kills[j];

			if (k->pid != pid || k->reaped || k->reap_failed)
				continue;
			k->reaper_line = src;
			if (u) {
				k->reap_failed = true;
			} else {
				k->reaped = true;
				k->reaped_anon_kb = oom_kb_field(r, "anon-rss:");
				k->reaped_file_kb = oom_kb_field(r, "file-rss:");
				k->reaped_shmem_kb = oom_kb_field(r, "shmem-rss:");
			}
			oom_era_hint(ev, V(4, 6, 0), 0);
			return 2;
		}
	}
	return 2; /* a reaper line for a kill this log does not hold */
}

/* A panic message is the kernel's own words: a run of blanks in a paste is one blank. */
static void panic_text(char *out, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < len; s++)
		if (!((*s == ' ' || *s == '\t') && (s[1] == ' ' || s[1] == '\t')))
			out[n++] = *s == '\t' ? ' ' : *s;
	out[n] = '\0';
	oom_copy(out, len, out, n); /* (no log prefix in it either) */
}

/* "Out of memory and no killable processes...", "Kernel panic - not syncing: Out of memory..." */
static int end_lines(struct oom_parser *p, const char *t, long src)
{
	/* At the start: "---[ end Kernel panic - not syncing: ... ]---" repeats it. */
	const char *panic = fixed_after(t, "Kernel panic - not syncing: ");
	struct oom_event *ev;

	if (fixed_find(t, "Out of memory and no killable processes", NULL)) {
		ev = oom_current(p, src);
		if (!ev)
			return -1;
		ev->no_killable = true;
		p->phase = PH_KILLED;
		return 1;
	}
	if (!panic || (!strstr(panic, "emory") && !strstr(panic, "panic_on_oom")))
		return 0;
	ev = oom_current(p, src);
	if (!ev)
		return -1;
	panic_text(ev->panic, sizeof(ev->panic), panic);
	p->phase = PH_KILLED;
	return 1;
}

/* 2.6.32's "out of memory. panic_on_oom is selected" without the panic prefix, seen alone */
static int old_panic(struct oom_parser *p, const char *t, long src)
{
	if (!fixed_find(t, "out of memory. panic_on_oom is selected", NULL) || fixed_find(t, "Kernel panic", NULL))
		return 0;
	if (!oom_current(p, src))
		return -1;
	panic_text(p->cur->panic, sizeof(p->cur->panic), t);
	p->phase = PH_KILLED;
	return 1;
}

int oom_victim_lines(struct oom_parser *p, const char *t, long src)
{
	static oom_step *const steps[] = {
		killed, selected, sharer, oom_group, pinned, exiting, reaper, end_lines, old_panic,
	};

	return oom_try(steps, ARRAY_SIZE(steps), p, t, src);
}
