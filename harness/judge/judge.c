// SPDX-License-Identifier: GPL-2.0
#include "judge/judge.h"
#include "judge/judge_state.h"

#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "judge/casediag.h"
#include "judge/casejson.h"
#include "run/caseenv.h"

void judge_fail(struct judge *j, int line, const char *fmt, ...)
{
	char where[PATH_MAX + 16], text[3072];
	va_list ap;

	if (line)
		snprintf(where, sizeof(where), "%s:%d", j->x->path, line);
	else
		snprintf(where, sizeof(where), "%s", j->x->path);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ktap_diag(j->k, "%s: %s", where, text);
	j->failures++;
	if (j->nfails < JUDGE_KEPT && (j->fails[j->nfails] = strdup(text)))
		j->nfails++;
}

const struct proc_run *judge_role(const struct case_run *r, const char *role)
{
	int i;

	for (i = 0; i < r->nprocs; i++)
		if (!strcmp(r->procs[i].spec->role, role))
			return &r->procs[i];
	return NULL;
}

static bool sigkilled(int status)
{
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

/* killed = ROLES: each role's main process, and every member of it, died by SIGKILL. */
static void check_killed(struct judge *j)
{
	const struct role_list *rl = &j->x->killed;
	char how[128];
	int i, m;

	for (i = 0; i < rl->n; i++) {
		const struct proc_run *p = judge_role(j->r, rl->role[i]);

		if (p->run_state != PS_ENDED || !sigkilled(p->status)) {
			judge_fail(j, rl->line, "killed: expected %s (pid %d) killed by SIGKILL, saw it %s",
			           rl->role[i], (int)p->pid, proc_fate(p, how, sizeof(how)));
			continue;
		}
		for (m = 0; m < p->nmembers; m++)
			if (!sigkilled(p->members[m].status))
				judge_fail(j, rl->line, "killed: expected every process of %s killed; member pid %d "
				           "was %s", rl->role[i], (int)p->members[m].pid,
				           p->members[m].status == -1 ? "not seen to end"
				           : describe_status(p->members[m].status, how, sizeof(how)));
	}
}

static void check_survived(struct judge *j)
{
	const struct role_list *rl = &j->x->survived;
	char how[128];
	int i, m;

	for (i = 0; i < rl->n; i++) {
		const struct proc_run *p = judge_role(j->r, rl->role[i]);

		if (p->run_state == PS_ENDED && sigkilled(p->status))
			judge_fail(j, rl->line, "survived: expected %s (pid %d) to survive, saw it %s",
			           rl->role[i], (int)p->pid, proc_fate(p, how, sizeof(how)));
		for (m = 0; m < p->nmembers; m++)
			if (sigkilled(p->members[m].status))
				judge_fail(j, rl->line, "survived: expected %s to survive; member pid %d was killed",
				           rl->role[i], (int)p->members[m].pid);
	}
}

/* "a, b" of the victims in the case's kernel log, in order. */
static void logged_victims(const struct case_run *r, char *out, size_t len, int *count)
{
	size_t i, k, used = 0;

	out[0] = '\0';
	*count = 0;
	for (i = 0; i < r->report.n; i++) {
		if (!r->ours[i])
			continue;
		for (k = 0; k < r->report.events[i].nkills; k++) {
			const struct oom_kill *kl = &r->report.events[i].kills[k];
			const struct proc_run *p = case_run_owner(r, kl->pid);
			char name[128];

			if (p)
				snprintf(name, sizeof(name), "%s", p->spec->role);
			else
				snprintf(name, sizeof(name), "pid %ld (%s)", kl->pid, kl->comm);
			if (used < len)
				used += (size_t)snprintf(out + used, len - used, "%s%s", *count ? ", " : "",
							 name);
			(*count)++;
		}
	}
	if (!*count)
		snprintf(out, len, "none");
}

static void check_victims(struct judge *j)
{
	const struct role_list *rl = &j->x->victims;
	char want[512], saw[1024];
	int n;

	role_list_text(rl, want, sizeof(want));
	logged_victims(j->r, saw, sizeof(saw), &n);
	if (strcmp(want, saw))
		judge_fail(j, rl->line, "victims: expected %s, saw %s in the kernel log", want, saw);
}

static void check_first_victim(struct judge *j)
{
	const struct role_list *rl = &j->x->first_victim;
	char want[512], saw[1024];
	int n;

	role_list_text(rl, want, sizeof(want));
	logged_victims(j->r, saw, sizeof(saw), &n);
	saw[strcspn(saw, ",")] = '\0';
	if (rl->n != 1)
		judge_fail(j, rl->line, "first_victim: expected one role, got %s", want);
	else if (strcmp(want, saw))
		judge_fail(j, rl->line, "first_victim: expected %s, saw %s first in the kernel log", want, saw);
}

static void check_oom_kills(struct judge *j)
{
	const struct case_run *r = j->r;

	if (!r->have_counters) {
		judge_fail(j, j->x->oom_kills.line, "oom_kills: expected %ld, could not read the cgroup's "
		           "counters", j->x->oom_kills.value);
		return;
	}
	if (!r->counters.has_oom_kill) {
		/* Kernels before 4.13 do not count: the log is all there is. */
		if (r->kills_logged != j->x->oom_kills.value)
			judge_fail(j, j->x->oom_kills.line, "oom_kills: expected %ld, saw %d Killed process "
			           "lines (this kernel has no oom_kill counter)", j->x->oom_kills.value, r->kills_logged);
		return;
	}
	if (r->counters.oom_kill != j->x->oom_kills.value)
		judge_fail(j, j->x->oom_kills.line, "oom_kills: expected %ld, saw %lld (the cgroup's oom_kill "
		           "counter; %d Killed process lines logged)", j->x->oom_kills.value, r->counters.oom_kill,
		           r->kills_logged);
}

static void check_oom_events(struct judge *j)
{
	const struct case_run *r = j->r;

	if (!r->have_counters || r->counters.oom < 0)
		judge_fail(j, j->x->oom_events.line, "oom_events: expected %ld; this cgroup has no oom event "
		           "counter (cgroup v1): put it in an [expect cgroup v2] section", j->x->oom_events.value);
	else if (r->counters.oom != j->x->oom_events.value)
		judge_fail(j, j->x->oom_events.line, "oom_events: expected %ld, saw %lld (memory.events oom)",
		           j->x->oom_events.value, r->counters.oom);
}

static void check_usage(struct judge *j)
{
	const struct expect_spec *x = j->x;
	long long u = j->r->counters.usage;

	if (!j->r->have_counters)
		judge_fail(j, x->usage.line, "usage: the cgroup's usage could not be read");
	else if (!cmp_holds(x->usage.op, u, x->usage.bytes))
		judge_fail(j, x->usage.line, "usage: expected %s %lld kB, saw %lld kB",
			   cmp_op_text(x->usage.op), x->usage.bytes / 1024, u / 1024);
}

static void check_change(struct judge *j)
{
	const struct case_run *r = j->r;

	if (!r->change_result[0])
		judge_fail(j, j->x->change.line, "change: expected %s, but the case has no [change] or it "
		           "was not reached", j->x->change.word);
	else if (strcmp(r->change_result, j->x->change.word))
		judge_fail(j, j->x->change.line, "change: expected %s, saw %s%s%s", j->x->change.word,
		           r->change_result, r->change_detail[0] ? ": " : "", r->change_detail);
}

static void check_order(struct judge *j)
{
	const struct order_chain *oc = &j->x->order;
	int i;

	for (i = 0; i + 1 < oc->n; i++) {
		const struct proc_run *a = judge_role(j->r, oc->role[i]), *b = judge_role(j->r, oc->role[i + 1]);
		long sa = a->sample.oom_score, sb = b->sample.oom_score;

		if (!a->sample.ok || !b->sample.ok)
			judge_fail(j, oc->line, "order: no oom_score sample for %s", !a->sample.ok ? oc->role[i]
			           : oc->role[i + 1]);
		else if (!cmp_holds(oc->op[i], sa, sb))
			judge_fail(j, oc->line, "order: expected %s %s %s, saw oom_score %s=%ld %s=%ld",
			           oc->role[i], cmp_op_text(oc->op[i]), oc->role[i + 1], oc->role[i], sa,
			           oc->role[i + 1], sb);
	}
}

/*
 * {cgroup}: the case's cgroup as the kernel names it, {cgroup:NAME} one of its [cgroup]
 * sections'; {pid:ROLE}: the role's pid.
 */
static int placeholder(void *ctx, const char *kind, const char *role, char *out, size_t len)
{
	const struct case_run *r = ctx;
	const struct proc_run *p;

	if (!strcmp(kind, "cgroup")) {
		int cgroup = *role ? case_cgroup(r->cs, role) : -1;

		if (*role && cgroup < 0)
			return -1;
		caseenv_cgroup(r, cgroup, CG_KERNEL, out, len);
		return 0;
	}
	p = judge_role(r, role);
	if (!p || !p->pid)
		return -1;
	snprintf(out, len, "%d", (int)p->pid);
	return 0;
}

/* Compile a pattern for this run. Returns 0, or -1 with e saying why. */
static int compile(const struct case_run *r, const struct pattern *pt, regex_t *re, struct err *e)
{
	char expanded[4096];

	if (pattern_expand(pt->text, placeholder, (void *)r, expanded, sizeof(expanded), e))
		return -1;
	if (regcomp(re, expanded, REG_EXTENDED | REG_NOSUB))
		return err_set(e, 0, "does not compile after expansion: %s", expanded);
	return 0;
}

/* Index of the first of the case's own log lines matching, or -1. */
static long find_line(const struct case_run *r, const regex_t *re)
{
	size_t i;

	for (i = 0; i < r->nlines; i++)
		if (r->line_ours[i] && !regexec(re, r->lines[i].text, 0, NULL, 0))
			return (long)i;
	return -1;
}

static void check_dmesg(struct judge *j, const struct pattern_list *pl, bool want)
{
	struct err e;
	regex_t re;
	int i;

	for (i = 0; i < pl->n; i++) {
		long at;

		if (compile(j->r, &pl->p[i], &re, &e)) {
			judge_fail(j, pl->p[i].line, "%s: %s", want ? "dmesg" : "no_dmesg", e.msg);
			continue;
		}
		at = find_line(j->r, &re);
		regfree(&re);
		if (at >= 0 && j->nmatched < JUDGE_KEPT)
			j->matched[j->nmatched++] = at;
		if (want && at < 0) {
			judge_fail(j, pl->p[i].line, "dmesg: expected a kernel log line matching '%s', saw none "
			           "among the case's %zu lines (its OOM reports; %zu lines were logged "
			           "during the case)", pl->p[i].text, j->r->nlines_ours, j->r->nlines);
			j->log_failures++;
		}
		if (!want && at >= 0)
			judge_fail(j, pl->p[i].line, "no_dmesg: expected no line matching '%s', saw: %s",
			           pl->p[i].text, j->r->lines[at].text);
	}
}

static void check_exits(struct judge *j)
{
	char how[128];
	int i;

	for (i = 0; i < j->x->exits.n; i++) {
		const struct exit_expect *ex = &j->x->exits.e[i];
		const struct proc_run *p = judge_role(j->r, ex->role);

		if (p->run_state != PS_ENDED || !WIFEXITED(p->status) || WEXITSTATUS(p->status) != ex->code)
			judge_fail(j, ex->line, "exit: expected %s to exit with code %d, saw it %s", ex->role,
			           ex->code, proc_fate(p, how, sizeof(how)));
	}
}

static void check_samples(struct judge *j)
{
	int i;

	for (i = 0; i < j->x->samples.n; i++) {
		const struct sample_expect *se = &j->x->samples.s[i];
		const struct proc_run *p = judge_role(j->r, se->role);
		long saw = se->field == SAMPLE_OOM_SCORE ? p->sample.oom_score
			   : se->field == SAMPLE_OOM_SCORE_ADJ ? p->sample.oom_score_adj : p->sample.oom_adj;

		if (!p->sample.ok)
			judge_fail(j, se->line, "sample: no /proc sample of %s", se->role);
		else if (saw != se->value)
			judge_fail(j, se->line, "sample: expected %s's %s to read %ld, saw %ld", se->role,
			           sample_field_names[se->field], se->value, saw);
	}
}

/* How many lines of the role's output the pattern matches; -1 with e on error. */
static long count_output(const struct case_run *r, const struct pattern *pt, struct err *e)
{
	const struct proc_run *p = judge_role(r, pt->role);
	char *copy, *line, *save;
	long count = 0;
	regex_t re;

	if (compile(r, pt, &re, e))
		return -1;
	copy = strdup(p->output ? p->output : "");
	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		count += !regexec(&re, line, 0, NULL, 0);
	free(copy);
	regfree(&re);
	return count;
}

static void check_output(struct judge *j)
{
	struct err e;
	long n;
	int i;

	for (i = 0; i < j->x->output.n; i++) {
		const struct pattern *pt = &j->x->output.p[i];

		n = count_output(j->r, pt, &e);
		if (n < 0)
			judge_fail(j, pt->line, "output: %s", e.msg);
		else if (n == 0)
			judge_fail(j, pt->line, "output: expected a line of %s's output matching '%s', saw none",
			           pt->role, pt->text);
	}
	for (i = 0; i < j->x->output_lines.n; i++) {
		const struct pattern *pt = &j->x->output_lines.p[i];

		n = count_output(j->r, pt, &e);
		if (n < 0)
			judge_fail(j, pt->line, "output_lines: %s", e.msg);
		else if (n != pt->count)
			judge_fail(j, pt->line, "output_lines: expected %ld lines of %s's output matching '%s', "
			           "saw %ld", pt->count, pt->role, pt->text, n);
	}
}

bool judge_log_complete(const struct case_run *r, void *arg)
{
	const struct expect_spec *x = arg;
	struct err e;
	regex_t re;
	int i;

	for (i = 0; i < x->dmesg.n; i++) {
		long at;

		if (compile(r, &x->dmesg.p[i], &re, &e))
			continue;
		at = find_line(r, &re);
		regfree(&re);
		if (at < 0)
			return false;
	}
	return true;
}

int judge_expected_kills(const struct expect_spec *x)
{
	int n = x->oom_kills.set ? (int)x->oom_kills.value : 0;

	if (x->victims.n > n)
		n = x->victims.n;
	if (!x->oom_kills.set && !x->victims.set)
		n = 1;
	return n;
}

/* The verdict, with the case's detail for the results files when they are kept. */
static enum verdict verdict(struct judge *j, enum verdict v)
{
	if (ktap_wants_detail(j->k))
		ktap_detail(j->k, casejson_render(j, v));
	for (int i = 0; i < j->nfails; i++)
		free(j->fails[i]);
	return v;
}

enum verdict judge_case(const struct case_run *r, const struct expect_spec *x, struct ktap *k,
			bool verbose)
{
	struct judge j = { .r = r, .x = x, .k = k };

	switch (r->outcome) {
	case OUT_SETUP_FAILED:
		ktap_diag(k, "setup failed: %s", r->why);
		casediag_print(r, k, true, verbose);
		return verdict(&j, V_FAIL);
	case OUT_SKIPPED:
		return verdict(&j, V_SKIP); /* the reason is r->why */
	case OUT_INTERRUPTED:
		ktap_diag(k, "interrupted: cleaned up and stopped");
		return verdict(&j, V_FAIL);
	case OUT_TIMEOUT:
		ktap_diag(k, "timeout: %s", r->why);
		casediag_print(r, k, true, verbose);
		return verdict(&j, V_TIMEOUT);
	case OUT_DONE:
		break;
	}
	if (x->killed.set)
		check_killed(&j);
	if (x->survived.set)
		check_survived(&j);
	if (x->victims.set)
		check_victims(&j);
	if (x->first_victim.set)
		check_first_victim(&j);
	if (x->oom_kills.set)
		check_oom_kills(&j);
	if (x->oom_events.set)
		check_oom_events(&j);
	if (x->usage.set)
		check_usage(&j);
	if (x->change.word[0])
		check_change(&j);
	if (x->order.set)
		check_order(&j);
	check_dmesg(&j, &x->dmesg, true);
	check_dmesg(&j, &x->no_dmesg, false);
	check_exits(&j);
	check_samples(&j);
	check_output(&j);
	judge_model(&j);
	judge_report(&j);
	if (j.failures || verbose)
		casediag_print(r, k, j.failures > 0, verbose);
	/*
	 * The kernel kept part of a report back because of others' OOMs: when the lines it
	 * lacks are all that failed, there is no verdict. Any other failure stands.
	 */
	if (j.failures && j.failures == j.log_failures && r->not_judged[0])
		return verdict(&j, V_SKIP);
	if (j.failures && r->not_judged[0])
		ktap_diag(k, "also: %s; the failures above do not depend on it", r->not_judged);
	return verdict(&j, j.failures ? V_FAIL : V_PASS);
}
