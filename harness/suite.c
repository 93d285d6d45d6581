// SPDX-License-Identifier: GPL-2.0
/* The suite: which cases, whether they can run here, machine setup and teardown. */
#include "suite.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "format/casefile.h"
#include "base/clock.h"
#include "cgroup/cgroup.h"
#include "format/expectfile.h"
#include "base/hostinfo.h"
#include "journal/journal.h"
#include "judge/judge.h"
#include "judge/ktap.h"
#include "results/progress.h"
#include "results/resultsout.h"
#include "shared/memlimit.h"
#include "run/caseneeds.h"
#include "run/resources.h"
#include "machine/swapfile.h"
#include "run/runcase.h"
#include "run/spawn.h"
#include "shared/words.h"
#include "shared/units.h"

struct suite {
	const struct suite_opts *o;
	struct hostinfo host;
	struct cgroup_root root;
	bool have_root;              /* a memory cgroup hierarchy was found */
	char skip_reason[2048];      /* why no case can run here; empty when they can */
	struct journal journal;
	struct run_env env;
	bool interrupted;
	struct oom_ratelimit ratelimit;
	struct machine_lock lock;
	struct ktap k;
};

/* Case names: the ones given, or every NAME.case of the cases directory, sorted. */
static int collect_names(const struct suite_opts *o, char ***names)
{
	struct dirent **ents;
	int n, i, count = 0;

	if (o->nnames) {
		*names = calloc((size_t)o->nnames, sizeof(**names));
		for (i = 0; *names && i < o->nnames; i++) {
			size_t len;
			const char *name = case_name_in(o->names[i], &len);

			(*names)[count++] = strndup(name, len);
		}
		return *names ? count : -1;
	}
	n = scandir(o->cases_dir, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "oomlab: scandir `%s`: %s\n", o->cases_dir, strerror(errno));
		return -1;
	}
	*names = calloc((size_t)n + 1, sizeof(**names));
	for (i = 0; i < n; i++) {
		size_t len;
		const char *name = case_name_in(ents[i]->d_name, &len);

		if (*names && case_file_named(ents[i]->d_name))
			(*names)[count++] = strndup(name, len);
		free(ents[i]);
	}
	free(ents);
	return *names ? count : -1;
}

static void free_names(char **names, int n)
{
	while (n-- > 0)
		free(names[n]);
	free(names);
}

int suite_list(const struct suite_opts *o)
{
	char **names, path[PATH_MAX + 64];
	int n, i, rc = 0;

	n = collect_names(o, &names);
	if (n < 0)
		return 1;
	for (i = 0; i < n; i++) {
		struct case_spec cs;
		struct err e;

		case_path(path, sizeof(path), o->cases_dir, names[i]);
		if (case_load(&cs, path, o->stressor_dir, &e)) {
			printf("%-28s (invalid) %s\n", names[i], e.msg);
			rc = 1;
		} else {
			printf("%-28s %s%s\n", names[i], cs.summary,
			       cs.scope == SCOPE_MACHINE ? " [machine-wide: VM only]" : "");
		}
	}
	free_names(names, n);
	return rc;
}

/* The run's KTAP stream, for the notes of the journal and the machine lock. */
static struct ktap *notes_to;

static void note(const char *msg)
{
	if (notes_to)
		ktap_note(notes_to, "cleanup: %s", msg);
	else
		printf("# cleanup: %s\n", msg);
}

static void lock_note(const char *msg)
{
	if (notes_to)
		ktap_note(notes_to, "%s", msg);
	else
		printf("# %s\n", msg);
}

/* How long the end of a run waits for the machine lock before it undoes without it. */
#define TEARDOWN_LOCK_MS 10000

static void warn(const char *msg)
{
	fprintf(stderr, "oomlab: %s\n", msg);
}

/* Can cases run here? Fills skip_reason when they cannot. Changes nothing. */
static void probe(struct suite *s)
{
	const struct suite_opts *o = s->o;
	struct err e;

	s->have_root = cgroup_root_find(&s->root, "/proc", o->cgroup_root, o->cgroup_version,
					&e) == 0;
	if (!s->host.root)
		snprintf(s->skip_reason, sizeof(s->skip_reason), "not root: oomlab needs root to create "
			 "memory cgroups and read /dev/kmsg");
	else if (!s->have_root)
		snprintf(s->skip_reason, sizeof(s->skip_reason), "no memory cgroup: %s", e.msg);
	else if (access(o->kmsg_path, R_OK))
		snprintf(s->skip_reason, sizeof(s->skip_reason), "cannot read the kernel log `%s`: %s",
			 o->kmsg_path, strerror(errno));
}

/* Signals come through a signalfd; orphans come back to us to reap. */
static void take_signals(struct suite *s)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->env.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	/* A stressor's own children, orphaned, are reaped by us. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
}

/* Protect ourselves, undo dead runs, make the run's cgroup. */
static int prepare(struct suite *s)
{
	const struct cgroup_ops *ops = s->root.ops;
	char entry[PATH_MAX + 8];
	struct err e;
	int jid;
	FILE *f;

	/*
	 * Protect the harness. Without CAP_SYS_RESOURCE (dropped by some sandboxes) it
	 * cannot; memory cgroup OOMs still never pick it, as it is in none of their cgroups.
	 */
	f = fopen("/proc/self/oom_score_adj", "we");
	if (!f || fputs("-1000\n", f) < 0 || fclose(f))
		ktap_note(&s->k, "note: oomlab could not set its own oom_score_adj to -1000 (%s): it "
			  "stays out of every case cgroup, so memory cgroup OOMs cannot choose it",
			  s->host.cap_sys_resource ? strerror(errno) : "no CAP_SYS_RESOURCE");
	/*
	 * Under the machine lock: what a dead run left (a swap file above all) is undone
	 * while no other run's case runs, and enabling the controller races with no one.
	 */
	if (machine_lock_open(&s->lock, MACHINE_LOCK_PATH, &e))
		goto fail;
	if (machine_lock_take(&s->lock, s->env.sigfd, &s->interrupted, 0, lock_note, &e) <= 0) {
		if (s->interrupted)
			return -1;
		goto fail;
	}
	journal_recover(s->o->state_dir, note);
	if (journal_open(&s->journal, s->o->state_dir, &e) ||
	    ratelimit_open(&s->ratelimit, s->o->kmsg_path, &e))
		goto fail;
	/* v2: children of the root need the memory controller; journaled when we turn it on. */
	if (!ops->memory_enabled(s->root.dir)) {
		snprintf(entry, sizeof(entry), "%s", s->root.dir);
		jid = journal_add(&s->journal, J_SUBTREE, entry, &e);
		if (jid < 0 || ops->enable_memory(s->root.dir, &e))
			goto fail;
	}
	if (snprintf(s->env.run_dir, sizeof(s->env.run_dir), "%s/oomlab.%d", s->root.dir,
		     (int)getpid()) >= (int)sizeof(s->env.run_dir) ||
	    snprintf(s->env.run_kpath, sizeof(s->env.run_kpath), "%s/oomlab.%d",
		     strcmp(s->root.kpath, "/") ? s->root.kpath : "", (int)getpid()) >=
		    (int)sizeof(s->env.run_kpath)) {
		s->env.run_dir[0] = '\0';
		err_set(&e, ENAMETOOLONG, "the run's cgroup path");
		goto fail;
	}
	if (journal_mkdir_cgroup(&s->journal, ops->version, s->env.run_dir, &e) < 0 ||
	    ops->enable_memory(s->env.run_dir, &e))
		goto fail;
	if (s->root.freezer_dir[0]) {
		snprintf(s->env.freezer_run_dir, sizeof(s->env.freezer_run_dir), "%s/oomlab.%d",
			 s->root.freezer_dir, (int)getpid());
		if (journal_mkdir_cgroup(&s->journal, 1, s->env.freezer_run_dir, &e) < 0)
			goto fail;
	}
	machine_lock_release(&s->lock);
	return 0;
fail:
	machine_lock_release(&s->lock);
	snprintf(s->skip_reason, sizeof(s->skip_reason), "cannot set up cgroups below `%s`: %s",
		 s->root.dir, e.msg);
	return -1;
}

static void teardown(struct suite *s)
{
	bool ignored = false;
	struct err e;

	ratelimit_close(&s->ratelimit);
	if (s->journal.fd >= 0) {
		/*
		 * The run's cgroups, its twin and the controller it enabled: all in the
		 * journal, undone under the machine lock (a stopped run holding it does not
		 * keep us longer than TEARDOWN_LOCK_MS). The state directory stays: other runs
		 * may be creating their journals there.
		 */
		if (machine_lock_take(&s->lock, -1, &ignored, now_ms() + TEARDOWN_LOCK_MS, lock_note,
				      &e) < 0)
			warn(e.msg);
		journal_close(&s->journal, warn);
	}
	machine_lock_close(&s->lock);
	if (s->env.sigfd >= 0)
		close(s->env.sigfd);
}

/* Between cases: was Ctrl-C (or SIGTERM, SIGHUP) pressed? */
static void check_interrupt(struct suite *s)
{
	if (s->env.sigfd >= 0 && sigfd_drain(s->env.sigfd))
		s->interrupted = true;
}

/* Requirements of the case that this machine does not meet, as a SKIP reason. */
static bool unmet(const struct suite *s, const struct case_spec *cs, char *why, size_t len)
{
	const struct case_host h = {
		.host = &s->host, .cgroup_version = s->have_root ? s->root.ops->version : 0,
		.guest = s->o->guest, .swap_dir = s->o->swap_dir,
	};

	return caseneeds_unmet(&h, cs, why, len);
}

/*
 * The swap the machine offers a case: /proc/swaps without other oomlab runs' case swap
 * files (they come and go with those cases), plus the case's own.
 */
static long long swap_for_case(const struct case_spec *cs)
{
	long long total = cs->swap_file;
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/swaps", "re");

	if (!f)
		return total;
	while (fgets(line, sizeof(line), f)) {
		char name[PATH_MAX], *base;
		long long kb;

		if (sscanf(line, "%4095s %*s %lld", name, &kb) != 2)
			continue; /* the header */
		base = strrchr(name, '/');
		if (!starts_with(base ? base + 1 : name, "oomlab."))
			total += kb * 1024;
	}
	fclose(f);
	return total;
}

/*
 * The most swap the case may use during its run: swap.max, or all of it when unset.
 * A [change] can raise swap.max while the case runs (-1 there means "unchanged").
 */
static long long case_swap_limit(const struct case_spec *cs, long long available)
{
	long long most = cs->swap_max;

	if (most >= 0 && cs->change.swap_max > most)
		most = cs->change.swap_max;
	return most < 0 || most > available ? available : most;
}

/*
 * A case on a host must be limited well below the machine: its memory.max plus the
 * swap it may use, or a lower limit on a cgroup above it (the lowest one counts), at
 * most half of MemTotal. Otherwise it could exhaust the machine and OOM the host. Fills
 * why with file:line and the numbers.
 */
static bool host_limit_refused(const struct suite *s, const struct case_spec *cs, char *why,
			       size_t len)
{
	unsigned long long total, chain = MEMLIMIT_NONE, effective;
	bool raised = cs->change.memory_max > cs->memory_max;
	long long mem = raised ? cs->change.memory_max : cs->memory_max, swap;
	char a[32], b[32], c[32], d[32], above[96] = "";

	if (cs->scope != SCOPE_CGROUP || s->o->guest)
		return false;
	total = mem_total_bytes();
	swap = case_swap_limit(cs, swap_for_case(cs));
	if (s->have_root)
		chain = memory_limit_of_chain(s->root.ops->version, s->root.mount, s->root.dir);
	effective = (unsigned long long)mem + (unsigned long long)swap;
	if (chain < effective) {
		effective = chain;
		snprintf(above, sizeof(above), "; the lowest limit above it is %s",
			 format_size_about(chain, d, sizeof(d)));
	}
	if (memory_limit_safe(effective, total))
		return false;
	snprintf(why, len, "%s:%d: memory.max %s plus the swap it may use (%s%s) is not well below "
		 "this machine's memory (MemTotal %s)%s: a case on a host must be limited to at most "
		 "half of it (%s); lower memory.max or swap.max, or make it scope = machine (VM "
		 "guests only)", cs->path, raised ? cs->change.memory_max_line : cs->memory_max_line,
		 format_size((size_t)mem, a, sizeof(a)), format_size_about((size_t)swap, b, sizeof(b)),
		 cs->swap_max < 0 && swap ? ": swap.max is not set" : "",
		 format_size_about(total, c, sizeof(c)), above, format_size_about(total / 2, d, sizeof(d)));
	return true;
}

static void print_expectation(void *ctx, const char *text)
{
	ktap_diag(ctx, "  %s", text);
}

/* Read the case, let its stressors check their options, read its expectations. */
static int load_case(struct suite *s, const char *name, struct case_spec *cs, struct expect_spec *x)
{
	const struct suite_opts *o = s->o;
	char path[PATH_MAX + 64], expath[PATH_MAX + 64];
	struct expect_env xenv = { .kernel = s->host.kernel };
	struct err e;

	case_path(path, sizeof(path), o->cases_dir, name);
	snprintf(expath, sizeof(expath), "%s/%s.expect", o->expected_dir, name);
	xenv.cgroup_version = s->have_root ? s->root.ops->version : 0;
	if (access(path, F_OK) && errno == ENOENT)
		err_set(&e, 0, "no case %s in %s (see --list)", name, o->cases_dir);
	else if (!case_load(cs, path, o->stressor_dir, &e) &&
		 !case_check_args(cs, o->stressor_dir, &e) && !expect_load(x, expath, cs, &xenv, &e))
		return 0;
	ktap_diag(&s->k, "%s", e.msg);
	ktap_result(&s->k, V_FAIL, name, NULL);
	return -1;
}

static void run_one(struct suite *s, const char *name)
{
	const struct suite_opts *o = s->o;
	struct case_spec cs;
	struct expect_spec x;
	struct case_run r;
	char why[PATH_MAX + 512], reason[sizeof(r.not_judged) + 16] = "";
	enum verdict v;

	ktap_case_begin(&s->k);
	if (load_case(s, name, &cs, &x))
		return;
	if (host_limit_refused(s, &cs, why, sizeof(why))) {
		ktap_diag(&s->k, "%s", why);
		ktap_result(&s->k, V_FAIL, name, NULL);
	} else if (o->validate_only) {
		if (o->verbose)
			expect_print(&x, print_expectation, &s->k);
		if (s->skip_reason[0] || unmet(s, &cs, why, sizeof(why)))
			ktap_diag(&s->k, "valid; a run here would skip it: %s",
				  s->skip_reason[0] ? s->skip_reason : why);
		ktap_result(&s->k, V_PASS, name, NULL);
	} else if (s->skip_reason[0]) {
		ktap_result(&s->k, V_SKIP, name, s->skip_reason);
	} else if (unmet(s, &cs, why, sizeof(why))) {
		ktap_result(&s->k, V_SKIP, name, why);
	} else {
		if (o->verbose)
			ktap_diag(&s->k, "%s: %s", name, cs.summary);
		case_run(&r, &cs, &s->env, judge_log_complete, &x, judge_expected_kills(&x));
		v = judge_case(&r, &x, &s->k, o->verbose);
		if (v == V_TIMEOUT)
			snprintf(reason, sizeof(reason), "%ld ms", r.timeout_ms);
		else if (v == V_SKIP && r.not_judged[0])
			snprintf(reason, sizeof(reason), "not judged: %s", r.not_judged);
		ktap_result(&s->k, v, name, reason[0] ? reason : v == V_SKIP ? r.why : NULL);
		case_run_free(&r);
	}
	expect_free(&x);
}

/* The kernel command line says this is a guest booted by oomlab's VM backend. */
static bool in_oomlab_guest(void)
{
	return word_in_file("/proc/cmdline", "oomlab.guest=1", " \n");
}

/* The cases on this machine. */
static void run_host(struct suite *s, char **names, int n)
{
	const struct suite_opts *o = s->o;

	probe(s);
	ktap_note(&s->k, "oomlab on Linux %s %s, %s", s->host.release, s->host.machine,
		  s->have_root ? (s->root.ops->version == 2 ? "memory cgroup v2" : "memory cgroup v1")
			       : "no memory cgroup");
	if (!o->validate_only && !s->skip_reason[0] && prepare(s) == 0)
		ktap_note(&s->k, "cases run in cgroups below %s (%s)", s->env.run_kpath,
			  s->root.placement);
	if (s->skip_reason[0] && !o->validate_only)
		ktap_note(&s->k, "cases are skipped: %s", s->skip_reason);
	for (int i = 0; i < n; i++) {
		check_interrupt(s);
		if (s->interrupted)
			break;
		progress_begin("%s (%d/%d)", names[i], i + 1, n);
		run_one(s, names[i]);
	}
	progress_end();
}

/* The cases in a guest of each --kernel image. */
static void run_guests(struct suite *s, const struct results_out *ro, char **names, int n)
{
	const struct suite_opts *o = s->o;
	char labels[MAX_KERNELS][128];
	bool kvm_broken = false;

	vm_kernel_labels(o->kernels, o->nkernels, labels);
	for (int kernel = 0; kernel < o->nkernels && !s->interrupted; kernel++) {
		struct vm_opts vo = o->vm;

		vo.verbose = o->verbose;
		if (ro->vm_logs[0])
			vo.log_dir = ro->vm_logs;
		vo.detail = ro->on;
		vo.sample_ms = o->sample_ms;
		vo.cases_dir = o->cases_dir;
		vo.expected_dir = o->expected_dir;
		vo.stressor_dir = o->stressor_dir;
		vo.disk_dir = o->swap_dir;
		vo.case_timeout_ms = o->timeout_ms;
		vo.case_timeout_forced = o->timeout_forced;
		vo.sigfd = s->env.sigfd;
		vo.interrupted = &s->interrupted;
		vo.kvm_broken = &kvm_broken;
		vm_run_kernel(&s->k, &vo, o->kernels[kernel], labels[kernel], names, n);
	}
}

int suite_run(const struct suite_opts *o)
{
	struct suite s = { .o = o };
	struct results_out ro;
	int n, rc, host = !o->vm_only || o->validate_only;
	int kernels = o->validate_only ? 0 : o->nkernels;
	char **names;

	if (o->guest && !in_oomlab_guest()) {
		fprintf(stderr, "oomlab: --guest is only for oomlab's VM guest, and the kernel command "
			"line (/proc/cmdline) lacks oomlab.guest=1: refusing to run machine-wide cases\n");
		return 1;
	}
	hostinfo_read(&s.host);
	n = collect_names(o, &names);
	if (n < 0)
		return 1;
	s.k.echo_detail = o->guest && o->guest_detail; /* the host reads it from the guest's KTAP */
	if (o->guest)
		progress_off(); /* (its stderr is the console, which is also a log) */
	if (results_out_open(&ro, o->junit_path, o->json_path, o->html_path, o->results_dir,
			     s.host.release)) {
		free_names(names, n);
		return 1;
	}
	s.k.rec = ro.on ? &ro.rs : NULL;
	s.k.copy = ro.ktap_copy;
	notes_to = &s.k;
	s.journal.fd = -1;
	s.ratelimit.fd = -1;
	s.lock.fd = -1;
	s.env = (struct run_env){
		.host = &s.host, .root = &s.root, .journal = &s.journal,
		.stressor_dir = o->stressor_dir, .kmsg_path = o->kmsg_path, .sigfd = -1,
		.timeout_ms = o->timeout_ms, .timeout_forced = o->timeout_forced,
		.timeout_scale = o->timeout_scale,
		.interrupted = &s.interrupted, .ratelimit = &s.ratelimit, .lock = &s.lock,
		.lock_note = lock_note,
		.swap_dir = o->swap_dir, .tmpfile_dir = o->tmpfile_dir, .guest = o->guest,
		.model_rules = o->has_model_kernel ? &o->model_kernel : NULL,
		.sample_ms = o->sample_ms,
	};
	ktap_start(&s.k, stdout, n * (host + kernels));
	if (!o->validate_only)
		take_signals(&s);
	if (host)
		run_host(&s, names, n);
	if (kernels)
		run_guests(&s, &ro, names, n);
	if (s.interrupted)
		ktap_bail_out(&s.k, "interrupted: cleaned up and stopped");
	teardown(&s);
	free_names(names, n);
	rc = ktap_finish(&s.k);
	if (rc == KSFT_SKIP)
		rc = o->skip_exit;
	notes_to = NULL;
	s.k.rec = NULL;
	s.k.copy = NULL;
	if (results_out_close(&ro) && rc != KSFT_FAIL)
		rc = KSFT_FAIL;
	return s.interrupted ? 1 : rc;
}
