// SPDX-License-Identifier: GPL-2.0
/*
 * Running cases on one kernel image: which boots, reading the guest's KTAP, judging
 * the panics only the host can see, and merging everything into the host's stream.
 */
#include "vm/vm.h"
#include "vm/vm_cases.h"
#include "vm/vm_stream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <regex.h>
#include <sys/stat.h>

#include "format/casefile.h"
#include "results/progress.h"
#include "format/expectfile.h"
#include "shared/words.h"

/* A kernel command line holds at most 2048 bytes on x86: keep case lists well below. */
#define CASES_PER_BOOT_BYTES 1500
/* Booting and starting oomlab under TCG, per boot. */
#define BOOT_MS 120000

struct vm_case {
	const char *name;
	bool loaded;             /* the case and expected files read on the host */
	struct case_spec cs;
	struct expect_spec x;
};

/* The console patterns of x that match no line of the console log. */
static int check_console(struct ktap *k, const struct vm_case *c, const char *console)
{
	int i, failures = 0;

	for (i = 0; i < c->x.console.n; i++) {
		const struct pattern *pt = &c->x.console.p[i];
		char *line = NULL;
		size_t cap = 0;
		bool found = false;
		regex_t re;
		FILE *f;

		if (regcomp(&re, pt->text, REG_EXTENDED | REG_NOSUB))
			continue; /* checked when the file was read */
		f = fopen(console, "re");
		while (f && !found && getline(&line, &cap, f) > 0) {
			line[strcspn(line, "\r\n")] = '\0';
			found = !regexec(&re, line, 0, NULL, 0);
		}
		if (f)
			fclose(f);
		free(line);
		regfree(&re);
		if (!found) {
			ktap_diag(k, "%s:%d: console: expected a console line matching '%s', saw none",
				  c->x.path, pt->line, pt->text);
			failures++;
		}
	}
	return failures;
}

static const char *end_words[] = {
	[BOOT_FINISHED] = "finished", [BOOT_PANIC] = "kernel panic", [BOOT_FAILED] = "boot failure",
	[BOOT_TIMEOUT] = "timeout", [BOOT_STOPPED] = "qemu stopped", [BOOT_INTERRUPTED] = "interrupted",
};

/* "KERNEL:case" failed before it could run, for why. */
static void fail_case(struct ktap *k, const char *label, const char *name, const char *why)
{
	char full[192];

	snprintf(full, sizeof(full), "%s:%s", label, name);
	ktap_diag(k, "%s", why);
	ktap_result(k, V_FAIL, full, NULL);
}

static void fail_all(struct ktap *k, const char *label, char **names, int n, const char *why)
{
	int i;

	for (i = 0; i < n; i++)
		fail_case(k, label, names[i], why);
}

/*
 * One case's result after its boot: the guest's own, or what the boot's end says.
 * first_missing: this is the first case of the boot without a result (the one running
 * when the guest stopped).
 */
static void emit_case(struct ktap *k, const char *label, const struct vm_case *c,
		      const struct guest_result *r, const struct boot *b, bool first_missing)
{
	bool want_panic = c->loaded && c->x.panic.set && c->x.panic.yes;
	char name[192];
	enum verdict v;
	int i;

	snprintf(name, sizeof(name), "%s:%s", label, c->name);
	if (r) {
		for (i = 0; i < r->ndiags; i++)
			ktap_diag(k, "%s", r->diags[i]);
		v = r->v;
		if (want_panic && v != V_SKIP) {
			ktap_diag(k, "%s:%d: panic: expected a kernel panic, the guest finished the case",
				  c->x.path, c->x.panic.line);
			v = V_FAIL;
		} else if (c->loaded && c->cs.own_boot && v == V_PASS &&
			   check_console(k, c, b->console)) {
			v = V_FAIL;
		}
		if (v != V_PASS && v != V_SKIP)
			ktap_diag(k, "console log: %s", b->console);
		if (r->detail && ktap_wants_detail(k))
			ktap_detail(k, strdup(r->detail));
		ktap_result(k, v, name, r->reason[0] ? r->reason : NULL);
		return;
	}
	if (b->end == BOOT_PANIC && first_missing && want_panic) {
		ktap_diag(k, "expected panic: %s", b->detail);
		v = check_console(k, c, b->console) ? V_FAIL : V_PASS;
		if (v == V_FAIL)
			ktap_diag(k, "console log: %s", b->console);
		ktap_result(k, v, name, NULL);
		return;
	}
	if (b->end == BOOT_PANIC && first_missing)
		ktap_diag(k, "unexpected panic: %s", b->detail);
	else if (b->end == BOOT_FINISHED)
		ktap_diag(k, "the guest finished without a result for this case");
	else if (first_missing || b->end == BOOT_FAILED)
		ktap_diag(k, "%s: %s", end_words[b->end], b->detail);
	else
		ktap_diag(k, "not run: the guest stopped earlier in this boot (%s)", end_words[b->end]);
	ktap_diag(k, "console log: %s", b->console);
	ktap_result(k, b->end == BOOT_TIMEOUT && first_missing ? V_TIMEOUT : V_FAIL, name,
		    b->end == BOOT_TIMEOUT && first_missing ? b->detail : NULL);
}

/*
 * Boot under KVM where it can be used, else TCG. With --accel auto, a boot that KVM
 * cannot run (qemu's "KVM internal error", or a kernel that prints nothing) is tried
 * again under TCG at once, and the rest of the run uses TCG. A TCG boot whose kernel
 * panics before the guest starts oomlab is tried once more: TCG's emulation of two CPUs
 * now and then crashes a kernel in early boot (a breakpoint left from the kernel's
 * patching of its own code); no case ran, and a kernel that panics every time still
 * fails.
 */
static int boot_with_fallback(struct ktap *k, const struct vm_opts *o, const char *kernel,
			      const char *label, const char *list, const char *prefix, long timeout,
			      struct boot *b, struct err *e)
{
	bool kvm = o->accel == ACCEL_KVM ||
		   (o->accel == ACCEL_AUTO && !*o->kvm_broken && kvm_usable(o->kvm_device));

	vm_boot_forget_failed_logs(o, prefix); /* an earlier run's */
	if (vm_boot(o, kernel, list, prefix, timeout, kvm, b, e))
		return -1;
	if (b->end == BOOT_FAILED && b->kvm_failed && o->accel == ACCEL_AUTO) {
		vm_boot_keep_failed_logs(b, ATTEMPT_KVM); /* (the message names them so) */
		ktap_note(k, "%s: boot %s (kvm): boot failure after %.1f s: %s; trying again under "
			  "TCG, which the rest of this run uses", label, prefix,
			  (double)b->elapsed_ms / 1000, b->detail);
		*o->kvm_broken = true;
		if (vm_boot(o, kernel, list, prefix, timeout, false, b, e))
			return -1;
	}
	if (b->end != BOOT_FAILED || b->kvm || !b->panicked_early)
		return 0;
	vm_boot_keep_failed_logs(b, ATTEMPT_EARLY_PANIC);
	ktap_note(k, "%s: boot %s (tcg): the kernel panicked after %.1f s, before the guest started "
		  "oomlab: %s; booting once more (console log kept as %s.early-panic.console.log)",
		  label, prefix, (double)b->elapsed_ms / 1000, b->detail, b->log_stem);
	return vm_boot(o, kernel, list, prefix, timeout, false, b, e);
}

/* One boot's cases, reported as the guest finishes them. */
struct boot_stream {
	struct ktap *k;
	const struct vm_opts *o;
	const char *label, *prefix;
	struct vm_case **cases;
	int n;
	int emitted;             /* cases reported so far, in order */
	bool notes_shown;
	struct guest_ktap g;
	char running[200];       /* what the terminal's progress line says */
};

/* On a terminal: the case the guest runs now (the first without a result), or its boot. */
static void show_running(struct boot_stream *s)
{
	char what[sizeof(s->running)];
	int i = s->emitted;

	while (i < s->n && guest_result(&s->g, s->cases[i]->name))
		i++;
	if (i == s->n)
		return;
	snprintf(what, sizeof(what), "%s: %s", s->label, s->g.ours ? s->cases[i]->name : "booting");
	if (strcmp(what, s->running)) {
		progress_begin("%s", what);
		snprintf(s->running, sizeof(s->running), "%s", what);
	}
	progress_tick();
}

static void show_notes(struct boot_stream *s)
{
	if (s->notes_shown || !s->g.nnotes)
		return;
	for (int i = 0; i < s->g.nnotes && !strcmp(s->prefix, "boot-1"); i++)
		ktap_note(s->k, "%s: %s", s->label, s->g.notes[i]);
	s->notes_shown = true;
}

/*
 * While qemu runs: report each case the guest has finished, in order, unless its verdict
 * waits for the boot's end (a panic expected, a case with a boot of its own and its
 * console patterns), or the boot may yet be done again (KVM under --accel auto).
 */
static void stream_results(void *ctx, const struct boot *b)
{
	struct boot_stream *s = ctx;

	/* (a KVM boot that fails is booted again under TCG: its results would not stand) */
	if (b->kvm && s->o->accel == ACCEL_AUTO) {
		progress_tick();
		return;
	}
	guest_ktap_read(&s->g, b, s->o, false);
	while (s->emitted < s->n) {
		const struct vm_case *c = s->cases[s->emitted];
		const struct guest_result *r = guest_result(&s->g, c->name);

		if (!r || (c->loaded && (c->cs.own_boot || (c->x.panic.set && c->x.panic.yes))))
			break;
		show_notes(s);
		emit_case(s->k, s->label, c, r, b, false);
		s->emitted++;
	}
	show_running(s);
}

/* Boot once for these cases and report each. */
static void run_boot(struct ktap *k, const struct vm_opts *o, const char *kernel,
		     const char *label, struct vm_case **cases, int n, const char *prefix)
{
	char list[CASES_PER_BOOT_BYTES + 256] = "";
	long timeout = BOOT_MS;
	struct boot_stream s = { .k = k, .o = o, .label = label, .prefix = prefix, .cases = cases, .n = n };
	struct vm_opts vo = *o;
	struct boot b;
	struct err e;
	bool missing_seen = false;
	size_t used = 0;
	int i;

	for (i = 0; i < n; i++) {
		long t = !o->case_timeout_forced && cases[i]->loaded && cases[i]->cs.timeout_ms
				 ? cases[i]->cs.timeout_ms : o->case_timeout_ms;

		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? "," : "",
					 cases[i]->name);
		timeout += 3 * t + 10000;
	}
	if (o->boot_timeout_ms)
		timeout = o->boot_timeout_ms;
	guest_ktap_init(&s.g);
	vo.tick = stream_results;
	vo.tick_ctx = &s;
	if (boot_with_fallback(k, &vo, kernel, label, list, prefix, timeout, &b, &e)) {
		char why[PATH_MAX + 600];

		snprintf(why, sizeof(why), "cannot boot %s: %s", kernel, e.msg);
		for (i = s.emitted; i < n; i++)
			fail_case(k, label, cases[i]->name, why);
		guest_ktap_free(&s.g);
		return;
	}
	progress_end();
	guest_ktap_read(&s.g, &b, o, true);
	ktap_note(k, "%s: boot %s (%s): %s after %.1f s%s%s", label, prefix, b.kvm ? "kvm" : "tcg",
		  end_words[b.end], (double)b.elapsed_ms / 1000, b.end == BOOT_FINISHED ? "" : ": ",
		  b.end == BOOT_FINISHED ? "" : b.detail);
	if (b.no_disk[0])
		ktap_note(k, "%s: boot %s had no disk: %s", label, prefix, b.no_disk);
	show_notes(&s);
	for (i = s.emitted; i < n; i++) {
		const struct guest_result *r = guest_result(&s.g, cases[i]->name);

		emit_case(k, label, cases[i], r, &b, !r && !missing_seen);
		if (!r)
			missing_seen = true;
	}
	guest_ktap_free(&s.g);
}

static bool on_path(const char *prog)
{
	char *path = getenv("PATH"), *copy, *dir, *save;
	bool found = false;

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	copy = strdup(path ? path : "/usr/bin:/bin");
	for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char full[PATH_MAX];

		snprintf(full, sizeof(full), "%s/%s", dir, prog);
		found = access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* The kernel's modules for the guest's disk, read (the note says which, or why none). */
static void guest_modules(struct ktap *k, const char *kernel, const char *label, struct vm_modules *m)
{
	char version[128], said[PATH_MAX + 512];
	struct err e;

	if (bzimage_version(kernel, version, sizeof(version), &e))
		return;
	if (vm_modules_load(kernel, version, m, &e)) {
		ktap_note(k, "%s: the guest gets no modules: %s", label, e.msg);
		return;
	}
	vm_modules_describe(m, version, said, sizeof(said));
	ktap_note(k, "%s: %s", label, said);
}

/*
 * What a kernel's boots need before any: its image, qemu, the log folder, the initramfs
 * with the host's case files after it (at initramfs). false: every case failed, said.
 */
static bool boots_ready(struct ktap *k, const struct vm_opts *o, const char *kernel, const char *label,
			char **names, int n, char *log_dir, size_t dlen, char *initramfs, size_t ilen)
{
	char why[PATH_MAX + 128];
	struct vm_modules modules = { .n = 0 };
	struct err e;

	if (bzimage_version(kernel, why, sizeof(why), &e)) {
		fail_all(k, label, names, n, e.msg);
		return false;
	}
	if (!on_path(o->qemu)) {
		snprintf(why, sizeof(why), "%s not found: install Debian's qemu-system-x86", o->qemu);
		fail_all(k, label, names, n, why);
		return false;
	}
	snprintf(log_dir, dlen, "%s/%s", o->log_dir, label);
	if ((mkdir(o->log_dir, 0755) && errno != EEXIST) || (mkdir(log_dir, 0755) && errno != EEXIST)) {
		snprintf(why, sizeof(why), "mkdir `%s`: %s", log_dir, strerror(errno));
		fail_all(k, label, names, n, why);
		return false;
	}
	/* the cases as the host has them now, after the repository's in the initramfs */
	snprintf(initramfs, ilen, "%s/initramfs.%d.cpio", log_dir, (int)getpid());
	if (access(o->initramfs, R_OK)) {
		snprintf(why, sizeof(why), "initramfs `%s` (make initramfs builds it): %s", o->initramfs,
			 strerror(errno));
		fail_all(k, label, names, n, why);
		return false;
	}
	guest_modules(k, kernel, label, &modules);
	if (vm_cases_initramfs(o, names, n, &modules, initramfs, &e)) {
		/* (a log folder it cannot write: the boot says so next) */
		ktap_note(k, "%s: the guest gets the initramfs's own case files, not the host's, and "
			  "no modules: %s", label, e.msg);
		snprintf(initramfs, ilen, "%s", o->initramfs);
	}
	vm_modules_free(&modules);
	return true;
}

void vm_run_kernel(struct ktap *k, const struct vm_opts *o, const char *kernel, const char *label,
		   char **names, int n)
{
	struct expect_env env = { .cgroup_version = 2 };
	struct vm_opts ko = *o;
	char log_dir[PATH_MAX], initramfs[PATH_MAX + 32];
	struct vm_case *cases, **group;
	int i, ngroup = 0, boots = 0;
	size_t group_bytes = 0;
	struct err e;

	if (!boots_ready(k, o, kernel, label, names, n, log_dir, sizeof(log_dir), initramfs,
			 sizeof(initramfs)))
		return;
	kver_parse(label, &env.kernel);
	ko.log_dir = log_dir;
	ko.initramfs = initramfs;
	ktap_note(k, "%s: booting %s with %d MiB and %d CPUs (%s); console logs in %s", label,
		  kernel, o->memory_mb, o->cpus, o->accel == ACCEL_KVM ? "KVM"
		  : o->accel == ACCEL_TCG ? "TCG" : "KVM where it works, else TCG", log_dir);

	cases = calloc((size_t)n, sizeof(*cases));
	group = calloc((size_t)n + 1, sizeof(*group));
	if (!cases || !group) {
		free(cases);
		free(group);
		if (strcmp(initramfs, o->initramfs))
			unlink(initramfs);
		fail_all(k, label, names, n, "out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		char path[PATH_MAX + 64];

		cases[i].name = names[i];
		case_path(path, sizeof(path), o->cases_dir, names[i]);
		if (case_load(&cases[i].cs, path, o->stressor_dir, &e))
			continue; /* the guest reports the error */
		snprintf(path, sizeof(path), "%s/%s.expect", o->expected_dir, names[i]);
		cases[i].loaded = expect_load(&cases[i].x, path, &cases[i].cs, &env, &e) == 0;
	}
	/* Cases that share a boot, in chunks the kernel command line can carry. */
	for (i = 0; i <= n; i++) {
		bool alone = i < n && cases[i].loaded && cases[i].cs.own_boot;

		if (ngroup && (i == n || group_bytes + strlen(cases[i].name) > CASES_PER_BOOT_BYTES)) {
			char prefix[32];

			snprintf(prefix, sizeof(prefix), "boot-%d", ++boots);
			run_boot(k, &ko, kernel, label, group, ngroup, prefix);
			ngroup = 0;
			group_bytes = 0;
		}
		if (i == n || *o->interrupted)
			break;
		if (!alone) {
			group[ngroup++] = &cases[i];
			group_bytes += strlen(cases[i].name) + 1;
		}
	}
	for (i = 0; i < n && !*o->interrupted; i++)
		if (cases[i].loaded && cases[i].cs.own_boot)
			run_boot(k, &ko, kernel, label, (struct vm_case *[]){ &cases[i] }, 1, cases[i].name);
	for (i = 0; i < n; i++)
		if (cases[i].loaded)
			expect_free(&cases[i].x);
	free(cases);
	free(group);
	if (strcmp(initramfs, o->initramfs))
		unlink(initramfs);
}
