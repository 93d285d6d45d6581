// SPDX-License-Identifier: GPL-2.0
/*
 * oomlab replay: one OOM event of a field log as a case and an expected file
 * (model/replay.c plans it), written to --write DIR or a folder of its own that goes
 * after the run, and run by oomlab itself: here, or in the guest of each --kernel.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal/journal.h"
#include "logfiles.h"
#include "model/replay.h"
#include "shared/memlimit.h"
#include "shared/units.h"
#include "subcommands.h"
#include "vm/vm.h"

#define MAX_KERNELS 8
#define GUEST_OWN_MB 96

struct replay_args {
	long event;                     /* 0: the only event with a kill */
	struct replay_opts plan;
	const char *write_dir;          /* keep the files there; NULL: a folder of its own */
	bool no_run;
	const char *kernels[MAX_KERNELS];
	int nkernels;
	const char *file;
};

/* A guest for a machine-wide replay: the domain, and what the guest's kernel and
 * initramfs take. */
static long long guest_mb(const struct replay_plan *p)
{
	long long mb = p->domain_kb / 1024 + GUEST_OWN_MB;

	return p->memcg && mb < VM_MEMORY_MB_DEFAULT ? VM_MEMORY_MB_DEFAULT : mb;
}

/* (memory that must go to swap is touched a page at a time: MADV_POPULATE_WRITE, which
 * is quicker, met the memcg's limit with an OOM kill, not swapping, on 6.18) */
static void write_idle(FILE *f, const struct replay_plan *p, const struct replay_proc *q)
{
	fprintf(f, "run = idle --rss %lldK", q->anon_kb > 0 ? q->anon_kb : 4);
	if (q->file_kb > 0)
		fprintf(f, " --file %lldK", q->file_kb);
	if (q->shmem_kb > 0)
		fprintf(f, " --shmem %lldK", q->shmem_kb);
	if (q->sharers)
		fprintf(f, " --sharers %d", q->sharers);
	fprintf(f, "%s\n", p->rule == RULE_ORIGIN ? "" : " --touch populate");
}

/* The trigger allocates until the OOM (with the mm of others, as sharedmm's parent), or
 * for an OOM origin calls swapoff. */
static void write_trigger(FILE *f, const struct replay_plan *p, const struct replay_proc *q)
{
	if (p->rule == RULE_ORIGIN)
		fprintf(f, "run = swapoff --file {swapfile}\ntrigger = yes\n");
	else if (q->sharers)
		fprintf(f, "run = sharedmm --children %d --size max\ntrigger = yes\n", q->sharers);
	else
		fprintf(f, "run = hog --size max\ntrigger = yes\n");
}

static void write_case(FILE *f, const struct logfile *in, const struct oom_event *ev,
		       const struct explanation *x, const struct replay_plan *p)
{
	const struct replay_proc *v = &p->procs[p->victim];
	int i;

	fprintf(f, "# A replay of an OOM event from a kernel log (oomlab replay, docs/incidents.md):\n"
		"#   %s, lines %ld-%ld, kernel %s (%s rules)\n#   %s's OOM, its domain %lld kB (%s),\n"
		"#   here divided by %g: %lld kB\n#   the field's victim: %s (pid %ld), %d%s of %zu by badness\n"
		"# Each process stands for a task of the report's table, its sizes divided by %g\n"
		"# (its swap replayed as anonymous memory, its file pages as shmem, which the\n"
		"# kernel cannot reclaim before the OOM either):\n", in->file, ev->first_line, ev->last_line,
		ev->release[0] ? ev->release : "?", badness_era_name(x->m.era),
		x->memcg ? "a memory cgroup" : "the machine", p->field_kb, x->domain_from, p->factor,
		p->domain_kb, v->comm, v->pid, x->victim_rank, ordinal_suffix(x->victim_rank), x->nrows, p->factor);
	for (i = 0; i < p->n; i++) {
		const struct replay_proc *q = &p->procs[i];

		fprintf(f, "#   %s: %s (pid %ld), oom_score_adj %ld%s%s, predicted %lld points here\n",
			q->role, q->comm, q->pid, q->adj, q->trigger ? ", the trigger" : "",
			q->victim ? ", the victim" : "", q->points);
		for (int s = 0; s < q->sharers; s++)
			fprintf(f, "#     and pid %ld, which looks like it shares its mm\n", q->sharer_pids[s]);
	}
	for (i = 0; i < p->nnotes; i++)
		fprintf(f, "# %s\n", p->notes[i]);
	fprintf(f, "[case]\nsummary = replay: %s (pid %ld) killed in %s, lines %ld-%ld\n", v->comm, v->pid,
		in->file, ev->first_line, ev->last_line);
	if (p->rule == RULE_ORIGIN)
		fprintf(f, "memory.max = %lldK\nswap.max = %lldK\nswap = %lldK\n", p->domain_kb,
			p->swap_file_kb, p->swap_file_kb);
	else if (p->memcg)
		fprintf(f, "memory.max = %lldK\nswap.max = 0\n", p->domain_kb);
	else
		fprintf(f, "# run in a guest of --vm-memory %lld (the domain and the guest's own)\n"
			"scope = machine\nown_boot = yes\n", guest_mb(p));
	if (p->rule == RULE_ALLOCATING)
		fprintf(f, "sysctl.vm.oom_kill_allocating_task = 1\n");
	fprintf(f, "timeout = 60s\n");
	for (i = 0; i < p->n; i++) {
		const struct replay_proc *q = &p->procs[i];

		fprintf(f, "\n[process %s]\n", q->role);
		/* until the OOM, however much the stressors' own memory leaves: the first kill is
		 * the field's, later ones (the hog goes on) are not checked */
		if (q->trigger)
			write_trigger(f, p, q);
		else
			write_idle(f, p, q);
		if (q->adj)
			fprintf(f, "oom_score_adj = %ld\n", q->adj);
	}
}

static void write_expect(FILE *f, const struct replay_plan *p)
{
	const struct replay_proc *q = &p->procs[p->victim];
	const char *v = q->role;

	fprintf(f, "# The field's victim killed, first, and the kernel's line for it.\n"
		"[expect]\nkilled = %s\nfirst_victim = %s\n", v, v);
	if (q->sharers) /* the kernel names whichever sharer it chose; all of them die */
		fprintf(f, "dmesg = Killed process [0-9]+ \\(%s\\)\n", v);
	else
		fprintf(f, "dmesg = Killed process {pid:%s} \\(%s\\)\n", v, v);
}

/* DIR/NAME.SUFFIX, written whole (journaled first, in a folder of replay's own); an
 * existing file is not overwritten. */
static int write_file(struct journal *j, const char *dir, const char *name, const char *suffix,
		      bool expect, const struct logfile *in, const struct oom_event *ev,
		      const struct explanation *x, const struct replay_plan *p)
{
	char path[4096];
	struct err e;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, suffix);
	if (j && journal_add(j, J_FILE, path, &e) < 0) {
		fprintf(stderr, "oomlab replay: %s\n", e.msg);
		return -1;
	}
	f = fopen(path, "wxe");
	if (!f) {
		fprintf(stderr, "oomlab replay: create %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (expect)
		write_expect(f, p);
	else
		write_case(f, in, ev, x, p);
	if (fclose(f)) {
		fprintf(stderr, "oomlab replay: write %s: %s\n", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* Run oomlab itself on the written case; its KTAP goes to stdout. Returns its exit code. */
static int run_case(const struct replay_args *a, const struct replay_plan *p, const char *dir,
		    const char *name, const sigset_t *mask)
{
	const char *argv[12 + 2 * MAX_KERNELS];
	char mem[32];
	int n = 0, i, status;
	pid_t pid;

	snprintf(mem, sizeof(mem), "%lld", guest_mb(p));

	argv[n++] = "oomlab";
	argv[n++] = "--cases";
	argv[n++] = dir;
	argv[n++] = "--expected";
	argv[n++] = dir;
	for (i = 0; i < a->nkernels; i++) {
		argv[n++] = "--kernel";
		argv[n++] = a->kernels[i];
	}
	if (!p->memcg && a->nkernels)
		argv[n++] = "--vm-only"; /* machine-wide: never on this host */
	if (a->nkernels) {
		argv[n++] = "--vm-memory";
		argv[n++] = mem;
	}
	argv[n++] = name;
	argv[n] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "oomlab replay: fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid) {
		sigprocmask(SIG_SETMASK, mask, NULL);
		execv("/proc/self/exe", (char *const *)argv);
		fprintf(stderr, "oomlab replay: exec /proc/self/exe: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* The event to replay: --event N, or the only one with a kill. NULL with a message. */
static const struct oom_event *pick_event(const struct logfile *in, long want, long *n)
{
	const struct oom_event *found = NULL;
	size_t e, kills = 0;

	if (want) {
		if ((size_t)want > in->report.n) {
			fprintf(stderr, "oomlab replay: no event %ld: %s holds %zu\n", want, in->file, in->report.n);
			return NULL;
		}
		*n = want;
		return &in->report.events[want - 1];
	}
	for (e = 0; e < in->report.n; e++) {
		if (in->report.events[e].nkills && !kills++) {
			found = &in->report.events[e];
			*n = (long)e + 1;
		}
	}
	if (kills == 1)
		return found;
	if (!kills && !in->report.n) {
		fprintf(stderr, "oomlab replay: %s holds no OOM report: nothing to replay\n", in->file);
		return NULL;
	}
	if (!kills) {
		fprintf(stderr, "oomlab replay: %s holds no OOM event with a kill (%zu without one): "
			"nothing to replay (oomlab explain %s says what happened instead)\n", in->file,
			in->report.n, in->file);
		return NULL;
	}
	fprintf(stderr, "oomlab replay: %s holds %zu OOM event%s with a kill: choose one with --event N "
		"(oomlab parse --summary %s lists them)\n", in->file, kills, kills == 1 ? "" : "s", in->file);
	return NULL;
}

static void warn(const char *msg)
{
	fprintf(stderr, "oomlab replay: %s\n", msg);
}

/*
 * A folder of replay's own under /var/tmp, journaled (/run/oomlab) so that it goes
 * after the run, and after a run that was killed, at the next run's start.
 */
static const char *own_folder(struct journal *j, char *tmp)
{
	struct err e;

	if (journal_open(j, JOURNAL_DIR_DEFAULT, &e)) {
		fprintf(stderr, "oomlab replay: %s\n", e.msg);
		return NULL;
	}
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "oomlab replay: mkdtemp %s: %s\n", tmp, strerror(errno));
		journal_close(j, warn);
		return NULL;
	}
	if (journal_add(j, J_DIR, tmp, &e) < 0) {
		fprintf(stderr, "oomlab replay: %s\n", e.msg);
		rmdir(tmp);
		journal_close(j, warn);
		return NULL;
	}
	return tmp;
}

/* A name for the case: replay-ROLE of the victim. */
static void case_name(const struct replay_plan *p, char *out, size_t len)
{
	snprintf(out, len, "replay-%s", p->procs[p->victim].role);
}

static int write_and_run(const struct replay_args *a, const struct logfile *in,
			 const struct oom_event *ev, long n, const struct explanation *x,
			 const struct replay_plan *p)
{
	char tmp[] = "/var/tmp/oomlab-replay.XXXXXX", name[64];
	const char *dir = a->write_dir;
	struct journal j, *jp = a->write_dir ? NULL : &j;
	sigset_t stop, old;
	int rc, i;

	/* Ctrl-C ends the run oomlab starts, which cleans up; then this one cleans up */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	case_name(p, name, sizeof(name));
	if (a->write_dir && mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "oomlab replay: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	sigprocmask(SIG_BLOCK, &stop, &old);
	if (!dir && !(dir = own_folder(&j, tmp))) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return 1;
	}
	rc = write_file(jp, dir, name, "case", false, in, ev, x, p) ||
	     write_file(jp, dir, name, "expect", true, in, ev, x, p) ? 1 : 0;
	if (!rc && a->write_dir)
		printf("# wrote %s/%s.case and %s.expect: oomlab --cases %s --expected %s %s\n", dir,
		       name, name, dir, dir, name);
	for (i = 0; !rc && i < p->nnotes; i++)
		printf("# replay: %s\n", p->notes[i]);
	if (!rc && !a->no_run) {
		rc = run_case(a, p, dir, name, &old);
		printf("# replay of event %ld (%s lines %ld-%ld): %s\n", n, in->file, ev->first_line,
		       ev->last_line, rc == 0 ? "the same victim as in the field" :
		       rc == 4 ? "not run here (the reason is above)" :
		       "not the field's victim, or the case failed (the checks above say what happened)");
	}
	if (jp && journal_close(jp, warn))
		rc = rc ? rc : 1;
	fflush(stdout);
	sigprocmask(SIG_SETMASK, &old, NULL); /* a Ctrl-C that came meanwhile ends us now */
	return rc;
}

static int usage(FILE *to, int rc)
{
	fprintf(to, "usage: oomlab replay [--event N] [--scale auto|FACTOR] [--keep N] [--write DIR]\n"
		"                     [--no-run] [--machine] [--kernel IMAGE]... FILE\n"
		"Turns one OOM event of a kernel log into a case and an expected file (the victim,\n"
		"the trigger and the candidates near the victim, scaled down to fit this machine)\n"
		"and runs it here, or in the guest of each --kernel. --write keeps the files.\n"
		"A global OOM is replayed in a memory cgroup of its size, or with --machine\n"
		"machine-wide in the guests.\n");
	return rc;
}

static int parse_args(int argc, char **argv, struct replay_args *a)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' }, { "scale", required_argument, NULL, 's' },
		{ "keep", required_argument, NULL, 'n' }, { "write", required_argument, NULL, 'w' },
		{ "no-run", no_argument, NULL, 'x' }, { "kernel", required_argument, NULL, 'k' },
		{ "machine", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "e:s:n:w:xk:mh", longopts, NULL)) != -1) {
		if ((c == 'e' || c == 'n') && (parse_long(optarg, &v) || v < 1 || v > (c == 'n' ? REPLAY_MAX : 1000000))) {
			fprintf(stderr, "oomlab replay: --%s %s: expected a number from 1%s\n",
				c == 'e' ? "event" : "keep", optarg, c == 'n' ? " to 32" : "");
			return 2;
		} else if (c == 'e') {
			a->event = v;
		} else if (c == 'n') {
			a->plan.keep = (int)v;
		} else if (c == 's' && strcmp(optarg, "auto") &&
			   (sscanf(optarg, "%lf", &a->plan.factor) != 1 || a->plan.factor < 1)) {
			fprintf(stderr, "oomlab replay: --scale %s: expected auto or a factor of 1 or more\n", optarg);
			return 2;
		} else if (c == 'w') {
			a->write_dir = optarg;
		} else if (c == 'x') {
			a->no_run = true;
		} else if (c == 'm') {
			a->plan.machine = true;
		} else if (c == 'k' && a->nkernels < MAX_KERNELS) {
			a->kernels[a->nkernels++] = optarg;
		} else if (c != 's') {
			return usage(c == 'h' ? stdout : stderr, c == 'h' ? 0 : 2);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "oomlab replay: one log file (got %d)\n", argc - optind);
		return 2;
	}
	if (a->no_run && !a->write_dir) {
		fprintf(stderr, "oomlab replay: --no-run without --write would do nothing\n");
		return 2;
	}
	a->file = argv[optind];
	return -1;
}

int replay_main(int argc, char **argv)
{
	struct replay_args a = { .plan = { .keep = 12 } };
	const struct oom_event *ev;
	struct logfile *in = NULL;
	struct explanation x;
	struct replay_plan *p;
	size_t nin = 0;
	long n = 0;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	a.plan.host_limit_kb = (long long)(mem_total_bytes() / 2048);
	if (logfiles_read("oomlab replay", (char **)&a.file, 1, &in, &nin) || !nin ||
	    !(ev = pick_event(in, a.event, &n))) {
		logfiles_free(in, nin);
		return 1;
	}
	p = malloc(sizeof(*p));
	rc = 1;
	if (!p || explain_event(ev, &x)) {
		fprintf(stderr, "oomlab replay: out of memory\n");
	} else {
		if (replay_plan_make(ev, &x, &a.plan, p))
			fprintf(stderr, "oomlab replay: event %ld of %s (lines %ld-%ld) cannot be replayed: %s\n",
				n, a.file, ev->first_line, ev->last_line, p->why_not);
		else
			rc = write_and_run(&a, in, ev, n, &x, p);
		explain_free(&x);
	}
	free(p);
	logfiles_free(in, nin);
	return rc;
}
