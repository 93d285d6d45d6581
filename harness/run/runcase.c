// SPDX-License-Identifier: GPL-2.0
/* The phases of one case: setup, ready, sample, go, run, settle, cleanup. */
#include "run/runcase.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/caseenv.h"
#include "run/caselog.h"
#include "base/cleanup.h"
#include "base/fileio.h"
#include "shared/exitcodes.h"
#include "run/runloop.h"
#include "run/spawn.h"

/* How long the kernel log may take to show the kills after the run. */
#define SETTLE_MS 3000
/* How long cleanup waits for killed processes to be reaped. */
#define REAP_MS 5000

const char *describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status)) {
		int code = WEXITSTATUS(status);

		if (code < ST_EXIT_COUNT)
			snprintf(buf, len, "exited with code %d (%s)", code, stressor_exits[code].name);
		else if (code == ST_EXIT_NOT_STARTED)
			snprintf(buf, len, "exited with code 127 (could not start)");
		else
			snprintf(buf, len, "exited with code %d", code);
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		snprintf(buf, len, "%s by SIG%s", sig == SIGKILL ? "killed" : "terminated",
			 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	} else {
		snprintf(buf, len, "wait status 0x%x", status);
	}
	return buf;
}

const char *proc_fate(const struct proc_run *p, char *buf, size_t len)
{
	if (!p->pid)
		snprintf(buf, len, "never started");
	else if (p->run_state == PS_ENDED)
		describe_status(p->status, buf, len);
	else if (p->run_state == PS_DONE)
		snprintf(buf, len, "alive, holding its memory after done");
	else if (p->run_state == PS_READY)
		snprintf(buf, len, "alive");
	else
		snprintf(buf, len, "alive, never said ready");
	return buf;
}

const struct proc_run *case_run_owner(const struct case_run *r, long pid)
{
	int i, m;

	if (pid <= 0)
		return NULL; /* a process that never started has pid 0 */
	for (i = 0; i < r->nprocs; i++) {
		if (r->procs[i].pid == pid)
			return &r->procs[i];
		for (m = 0; m < r->procs[i].nmembers; m++)
			if (r->procs[i].members[m].pid == pid)
				return &r->procs[i];
	}
	return NULL;
}

/* Wait until no other run's case is running on this machine, and take the lock. */
static enum wait_result lock_wait(struct case_run *r, const struct run_env *env)
{
	struct err e;
	int got = machine_lock_take(env->lock, env->sigfd, env->interrupted, 0, env->lock_note, &e);

	if (got < 0) {
		snprintf(r->why, sizeof(r->why), "%s", e.msg);
		return WAIT_ERROR;
	}
	return got ? WAIT_MET : WAIT_INTERRUPTED;
}

/* Wait until the kernel's report rate limit has room for this case's kills. */
static enum wait_result ratelimit_wait(struct case_run *r, const struct run_env *env, int kills)
{
	long ms;

	while ((ms = ratelimit_wait_ms(env->ratelimit, kills)) > 0) {
		enum wait_result w = runloop_wait(r, env, now_ms() + ms, NULL, NULL);

		if (w != WAIT_DEADLINE)
			return w;
	}
	return WAIT_MET;
}

static bool proc_settled(const struct case_run *r, void *arg)
{
	const struct proc_run *p = arg;

	(void)r;
	return p->state != PS_STARTING || p->error[0];
}

static bool triggers_finished(const struct case_run *r, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i].spec->trigger && r->procs[i].state != PS_DONE &&
		    r->procs[i].state != PS_ENDED)
			return false;
	return true;
}

static bool has_trigger(const struct case_run *r)
{
	int i;

	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i].spec->trigger)
			return true;
	return false;
}

static bool all_ended(const struct case_run *r, void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i].pid > 0 && r->procs[i].state != PS_ENDED)
			return false;
	return true;
}

int case_fail(struct case_run *r, enum case_outcome how, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	r->outcome = how;
	return -1;
}

void case_warn(const struct case_run *r, const struct err *e)
{
	fprintf(stderr, "oomlab: %s: %s\n", r->cs->name, e->msg);
}

/* "go" to a trigger. */
static int send_go(int ctl)
{
	char line[16];
	int n = snprintf(line, sizeof(line), "%s\n", ctl_words[CTL_GO]);

	return send(ctl, line, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

/* Fork and exec process i in the case's cgroup, its control socket and output pipe ours. */
static int spawn_process(struct case_run *r, const struct run_env *env, int i, struct err *e)
{
	struct proc_run *p = &r->procs[i];
	const struct proc_spec *ps = &r->cs->procs[i];
	char exe[PATH_MAX], procs_file[PATH_MAX + 16], fz_procs[PATH_MAX + 16], cg_dir[PATH_MAX];
	auto_free char (*expanded)[PATH_MAX + 256] = calloc(CASE_MAX_ARGS, sizeof(*expanded));
	char *args[CASE_MAX_ARGS + 1];
	int sv[2], out[2], a;
	struct spawn_req req;

	if (!expanded)
		return err_set(e, ENOMEM, "starting %s", ps->role);
	for (a = 0; a < ps->argc; a++) {
		if (resources_expand(&r->res, ps->role, i, ps->argv[a], expanded[a], sizeof(expanded[a])))
			return err_set(e, 0, "expanding '%s' for %s", ps->argv[a], ps->role);
		args[a] = expanded[a];
	}
	args[a] = NULL;
	snprintf(exe, sizeof(exe), "%s/%s", env->stressor_dir, ps->stressor);
	caseenv_cgroup(r, ps->cgroup, CG_DIR, cg_dir, sizeof(cg_dir));
	snprintf(procs_file, sizeof(procs_file), "%s/cgroup.procs", cg_dir);
	snprintf(fz_procs, sizeof(fz_procs), "%s/cgroup.procs", r->fz_dir);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return err_set(e, errno, "socketpair for %s", ps->role);
	if (pipe2(out, O_CLOEXEC)) {
		close(sv[0]);
		close(sv[1]);
		return err_set(e, errno, "pipe for %s", ps->role);
	}
	req = (struct spawn_req){
		.exe = exe, .role = ps->role, .args = args, .wait_go = ps->trigger,
		/* In a throw-away guest nothing beyond it can be harmed: no stressor guard. */
		.machine_wide = r->cs->scope == SCOPE_MACHINE || env->guest,
		.cgroup_procs = procs_file, .freezer_procs = r->fz_dir[0] ? fz_procs : NULL,
		.oom_score_adj = ps->has_adj ? ps->oom_score_adj : 0,
		.set_oom_adj = ps->has_oom_adj, .oom_adj = ps->oom_adj,
		.faults = ps->faults, .nfaults = ps->nfaults, .ctl_fd = sv[1], .out_fd = out[1],
	};
	p->pid = spawn_stressor(&req, e);
	close(sv[1]);
	close(out[1]);
	p->ctl = sv[0];
	p->out = out[0];
	fcntl(p->ctl, F_SETFL, O_NONBLOCK);
	fcntl(p->out, F_SETFL, O_NONBLOCK);
	if (p->pid < 0) {
		p->pid = 0;
		return -1;
	}
	return 0;
}

/* Start process i and wait until it says ready. */
static int start_process(struct case_run *r, const struct run_env *env, int i, long deadline)
{
	struct proc_run *p = &r->procs[i];
	const char *role = r->cs->procs[i].role;
	char status[128];
	enum wait_result w;
	struct err e;

	if (spawn_process(r, env, i, &e))
		return case_fail(r, OUT_SETUP_FAILED, "%s", e.msg);
	w = runloop_wait(r, env, deadline, proc_settled, p);
	if (w == WAIT_INTERRUPTED) {
		r->outcome = OUT_INTERRUPTED;
		return -1;
	}
	if (w == WAIT_DEADLINE) {
		r->outcome = OUT_TIMEOUT;
		snprintf(r->why, sizeof(r->why), "%s did not say ready within %ld ms", role,
			 r->timeout_ms);
		return -1;
	}
	if (w == WAIT_ERROR)
		return case_fail(r, OUT_SETUP_FAILED, "waiting for %s: %s", role, r->why);
	if (p->error[0]) {
		runloop_wait_uninterrupted(r, env, now_ms() + 1000, all_ended, NULL);
		return case_fail(r, OUT_SETUP_FAILED, "starting %s: %s", role, p->error);
	}
	if (p->state == PS_ENDED) {
		runloop_drain(r, p);
		return case_fail(r, OUT_SETUP_FAILED, "%s %s before it was ready (its output is below)",
				 role, describe_status(p->status, status, sizeof(status)));
	}
	return 0;
}

/*
 * Read the kernel log until every counted kill shows, every victim has been reaped,
 * and the judge is content.
 */
static void settle(struct case_run *r, const struct run_env *env, int kfd, settle_fn settled,
		   void *ctx)
{
	long deadline = now_ms() + SETTLE_MS;
	struct err e;

	for (;;) {
		struct cg_counters c;

		if (env->root->ops->read_counters(r->cg_dir, &c, &e) == 0) {
			r->counters = c;
			r->have_counters = true;
		}
		if (kfd >= 0)
			kmsg_read_available(kfd, &r->klog, &e);
		/* The log of one case is small: parse it whole each time. */
		if (caselog_analyse(r))
			return;
		if ((!r->have_counters || r->kills_logged >= r->counters.oom_kill) &&
		    caselog_victims_reaped(r) && (!settled || settled(r, ctx)))
			return;
		if (runloop_wait(r, env, now_ms() + 10, NULL, NULL) != WAIT_DEADLINE ||
		    now_ms() >= deadline)
			return;
	}
}

static void snapshot_states(struct case_run *r)
{
	int i;

	for (i = 0; i < r->nprocs; i++)
		r->procs[i].run_state = r->procs[i].state;
}

/* Kill what is left, reap it; then the environment goes. */
static void cleanup(struct case_run *r, const struct run_env *env)
{
	struct err e;
	int i, m;

	for (i = 0; i < r->nprocs; i++) {
		struct proc_run *p = &r->procs[i];

		if (p->pid > 0 && p->state != PS_ENDED)
			kill(p->pid, SIGKILL);
		/* A member is killed only while its pid still names the same process. */
		for (m = 0; m < p->nmembers; m++)
			if (p->members[m].status == -1 &&
			    proc_start_time(p->members[m].pid) == p->members[m].start_time)
				kill(p->members[m].pid, SIGKILL);
	}
	/* v1: freeze first, so that nothing forks while it is being killed. */
	if (r->fz_dir[0] && cg_freeze_kill(r->fz_dir, &e)) {
		err_wrap(&e, "cleanup");
		case_warn(r, &e);
	}
	if (r->cg_dir[0])
		env->root->ops->kill_all(r->cg_dir, &e);
	runloop_wait_uninterrupted(r, env, now_ms() + REAP_MS, all_ended, NULL);
	for (i = 0; i < r->nprocs; i++)
		runloop_drain(r, &r->procs[i]);
	caseenv_teardown(r, env);
}

/*
 * From go until the triggers have finished. With a [change], it is made at its time;
 * without triggers, the kernel gets the change's hold time to act on it.
 */
static enum wait_result run_phase(struct case_run *r, const struct run_env *env, long deadline)
{
	const struct case_change *ch = &r->cs->change;
	enum wait_result w;
	long until;

	if (ch->line) {
		until = r->t0 + r->t_go_ms + ch->at_ms;
		w = runloop_wait(r, env, until < deadline ? until : deadline, triggers_finished, NULL);
		if (w == WAIT_INTERRUPTED || w == WAIT_ERROR)
			return w;
		caseenv_change(r, env);
		if (!has_trigger(r)) {
			until = now_ms() + ch->hold_ms;
			w = runloop_wait(r, env, until < deadline ? until : deadline, all_ended, NULL);
			return w == WAIT_DEADLINE && until < deadline ? WAIT_MET : w;
		}
	}
	return runloop_wait(r, env, deadline, triggers_finished, NULL);
}

/* vm.oom_dump_tasks: do the reports have a task table? (Unreadable: as by default, on.) */
static bool dump_tasks_on(void)
{
	long on = 1;
	struct err e;

	return read_long("/proc/sys/vm/oom_dump_tasks", &on, &e) || on != 0;
}

/* Every process ready: what the judge compares the kernel's choice with. */
static void sample_before_go(struct case_run *r, const struct run_env *env)
{
	struct err e;

	model_env_read(&r->model, env->host, env->model_rules, r->cg_dir, env->root->ops->version);
	r->dump_tasks = dump_tasks_on();
	for (int i = 0; i < r->nprocs; i++) {
		if (proc_sample(r->procs[i].pid, &r->procs[i].sample, &e)) {
			err_wrap(&e, "sampling %s", r->procs[i].spec->role);
			case_warn(r, &e);
		}
		model_proc(&r->model, &r->procs[i].sample, &r->procs[i].model);
	}
}

void case_run(struct case_run *r, const struct case_spec *cs, const struct run_env *env,
	     settle_fn settled, void *settle_ctx, int expected_kills)
{
	int i, kfd = -1;
	long deadline;
	struct err e;
	enum wait_result w;

	memset(r, 0, sizeof(*r));
	r->cs = cs;
	r->nprocs = cs->nprocs;
	for (i = 0; i < r->nprocs; i++) {
		r->procs[i].spec = &cs->procs[i];
		r->procs[i].ctl = r->procs[i].out = r->procs[i].notify = -1;
		r->procs[i].nfaults = cs->procs[i].nfaults;
		memcpy(r->procs[i].faults, cs->procs[i].faults, sizeof(r->procs[i].faults));
	}
	r->timeout_ms = env->timeout_forced || !cs->timeout_ms ? env->timeout_ms : cs->timeout_ms;
	r->timeout_ms *= env->timeout_scale;
	r->t0 = now_ms();
	w = lock_wait(r, env);
	r->lock_waited_ms = now_ms() - r->t0;
	if (w == WAIT_MET)
		w = ratelimit_wait(r, env, expected_kills);
	if (w == WAIT_INTERRUPTED || w == WAIT_ERROR) {
		r->outcome = w == WAIT_INTERRUPTED ? OUT_INTERRUPTED : OUT_SETUP_FAILED;
		machine_lock_release(env->lock);
		return;
	}
	r->waited_ms = now_ms() - r->t0;
	r->t0 = now_ms();
	deadline = r->t0 + r->timeout_ms;
	if (caseenv_setup(r, env))
		goto out;
	if (kmsg_open_at_end(env->kmsg_path, &kfd, &e)) {
		case_fail(r, OUT_SETUP_FAILED, "kernel log: %s", e.msg);
		goto out;
	}
	/* (not machine-wide: the harness's reads would meet the global OOM, docs/results.md) */
	memtrace_start(&r->trace, cs->scope == SCOPE_MACHINE ? 0 : env->sample_ms, r->nprocs, now_ms());
	for (i = 0; i < r->nprocs; i++)
		if (start_process(r, env, i, deadline))
			goto out;
	r->t_ready_ms = now_ms() - r->t0;
	sample_before_go(r, env);
	r->t_go_ms = now_ms() - r->t0;
	for (i = 0; i < r->nprocs; i++)
		if (cs->procs[i].trigger && send_go(r->procs[i].ctl)) {
			case_fail(r, OUT_SETUP_FAILED, "sending go to %s: %s", cs->procs[i].role, strerror(errno));
			goto out;
		}
	w = run_phase(r, env, deadline);
	r->t_end_ms = now_ms() - r->t0;
	if (w == WAIT_INTERRUPTED) {
		r->outcome = OUT_INTERRUPTED;
	} else if (w == WAIT_DEADLINE) {
		r->outcome = OUT_TIMEOUT;
		snprintf(r->why, sizeof(r->why), "the trigger did not finish within %ld ms", r->timeout_ms);
	} else if (w == WAIT_ERROR) {
		r->outcome = OUT_SETUP_FAILED;
	}
	settle(r, env, kfd, r->outcome == OUT_DONE ? settled : NULL, settle_ctx);
	caselog_check_suppressed(r, env->ratelimit);
	r->t_settled_ms = now_ms() - r->t0;
out:
	/* The state the judge sees: after the log settled, before cleanup kills anything. */
	snapshot_states(r);
	if (r->outcome != OUT_DONE && kfd >= 0 && !r->lines) {
		kmsg_read_available(kfd, &r->klog, &e);
		caselog_analyse(r);
	}
	if (kfd >= 0)
		close(kfd);
	cleanup(r, env);
	machine_lock_release(env->lock);
	r->t_total_ms = now_ms() - r->t0;
}

void case_run_free(struct case_run *r)
{
	int i;

	for (i = 0; i < r->nprocs; i++) {
		free(r->procs[i].output);
		free(r->procs[i].members);
	}
	kmsg_log_free(&r->klog);
	memtrace_free(&r->trace);
	free(r->lines);
	free(r->line_ours);
	free(r->ours);
	free(r->models);
	oom_report_free(&r->report);
}
