// SPDX-License-Identifier: GPL-2.0
/*
 * The options of `oomlab [OPTIONS] [CASE...]`: one table, from which getopt's options,
 * --help and the check of what takes a value (cli_takes_value) all come.
 */
#include "cli.h"

#include <getopt.h>
#include <stddef.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shared/units.h"
#include "journal/journal.h"
#include "judge/ktap.h"
#include "shared/arrays.h"

enum cli_group { G_RUN, G_OUT, G_VM, G_TEST, G_COUNT };

/* What an option does with its value: set a field of struct cli, or call its function. */
enum cli_kind {
	K_FLAG,      /* bool field: true */
	K_TEXT,      /* const char * field: the value */
	K_PATH,      /* char[PATH_MAX] field: a copy of the value */
	K_CALL,      /* set(): checks and converts the value */
};

struct cli_opt {
	const char *name;
	char letter;                 /* the short option, 0 for none */
	const char *arg;             /* what its value is ("DURATION"); NULL: it takes none */
	enum cli_group group;
	const char *help;            /* '\n' starts a line of its own */
	enum cli_kind kind;
	size_t field;                /* K_FLAG, K_TEXT, K_PATH: offsetof(struct cli, ...) */
	int (*set)(struct cli *c, const char *arg);
};

static int bad(const char *option, const char *expected, const char *arg)
{
	fprintf(stderr, "oomlab: --%s: expected %s, got '%s'\n", option, expected, arg);
	return -1;
}

/* A whole number from lo to hi into *out. */
static int ranged(const char *option, const char *arg, long lo, long hi, const char *expected,
		  int *out)
{
	long v;

	if (parse_long(arg, &v) || v < lo || v > hi)
		return bad(option, expected, arg);
	*out = (int)v;
	return 0;
}

static int set_timeout(struct cli *c, const char *arg)
{
	if (parse_duration_ms(arg, &c->o.timeout_ms) || c->o.timeout_ms <= 0)
		return bad("timeout", "a duration above 0 such as 30s or 500ms", arg);
	c->o.timeout_forced = true;
	return 0;
}

static int set_cgroup_version(struct cli *c, const char *arg)
{
	if (strcmp(arg, "1") && strcmp(arg, "2"))
		return bad("cgroup-version", "1 or 2", arg);
	c->o.cgroup_version = arg[0] - '0';
	return 0;
}

static int set_timeout_scale(struct cli *c, const char *arg)
{
	return ranged("timeout-scale", arg, 1, 100, "1 to 100", &c->o.timeout_scale);
}

static int set_model_kernel(struct cli *c, const char *arg)
{
	if (kver_parse(arg, &c->o.model_kernel))
		return bad("model-kernel", "a kernel version such as 5.2", arg);
	c->o.has_model_kernel = true;
	return 0;
}

static int set_sample_ms(struct cli *c, const char *arg)
{
	return ranged("sample-ms", arg, 0, 1000, "0 (off) to 1000", &c->o.sample_ms);
}

static int set_skip_exit(struct cli *c, const char *arg)
{
	return ranged("skip-exit", arg, 0, 255, "0 to 255", &c->o.skip_exit);
}

static int set_kernel(struct cli *c, const char *arg)
{
	if (c->o.nkernels == MAX_KERNELS) {
		fprintf(stderr, "oomlab: at most %d --kernel images\n", MAX_KERNELS);
		return -1;
	}
	c->o.kernels[c->o.nkernels++] = arg;
	return 0;
}

static int set_vm_memory(struct cli *c, const char *arg)
{
	return ranged("vm-memory", arg, 1, 65536, "1 to 65536 (MiB)", &c->o.vm.memory_mb);
}

static int set_vm_cpus(struct cli *c, const char *arg)
{
	return ranged("vm-cpus", arg, 1, 64, "1 to 64", &c->o.vm.cpus);
}

static int set_boot_timeout(struct cli *c, const char *arg)
{
	if (parse_duration_ms(arg, &c->o.vm.boot_timeout_ms) || c->o.vm.boot_timeout_ms <= 0)
		return bad("vm-boot-timeout", "a duration above 0 such as 300s", arg);
	return 0;
}

static int set_accel(struct cli *c, const char *arg)
{
	static const char *const words[] = { [ACCEL_AUTO] = "auto", [ACCEL_KVM] = "kvm",
					     [ACCEL_TCG] = "tcg" };

	for (int a = 0; a < (int)ARRAY_SIZE(words); a++)
		if (!strcmp(arg, words[a])) {
			c->o.vm.accel = (enum vm_accel)a;
			return 0;
		}
	return bad("accel", "auto, kvm or tcg", arg);
}

#define F(member) offsetof(struct cli, member)

static const struct cli_opt opts[] = {
	{ "list", 'l', NULL, G_RUN, "list the cases and what each tests", K_FLAG, F(list), NULL },
	{ "list-keys", 0, NULL, G_RUN, "list every key of case and expected files (the docs' "
	  "tables)", K_FLAG, F(list_keys), NULL },
	{ "verbose", 'v', NULL, G_RUN, "show oom_score tables, whole reports and timings", K_FLAG,
	  F(o.verbose), NULL },
	{ "timeout", 't', "DURATION", G_RUN, "per-case timeout, overriding the case files\n(default: "
	  "the case's own, else 30s)", K_CALL, 0, set_timeout },
	{ "validate", 0, NULL, G_RUN, "only check the case and expected files (with -v: print the\n"
	  "expectations that apply here)", K_FLAG, F(o.validate_only), NULL },
	{ "cgroup-root", 0, "DIR", G_RUN, "create cgroups below DIR, not where oomlab finds them",
	  K_TEXT, F(o.cgroup_root), NULL },
	{ "cases", 0, "DIR", G_RUN, "case files (default: cases/ of the source tree)", K_PATH,
	  F(o.cases_dir), NULL },
	{ "expected", 0, "DIR", G_RUN, "expected files (default: expected/ of the source tree)",
	  K_PATH, F(o.expected_dir), NULL },
	{ "stressors", 0, "DIR", G_RUN, "stressor programs (default: the stressors directory next\n"
	  "to the oomlab binary, build/stressors in a checkout)", K_PATH, F(o.stressor_dir), NULL },
	{ "state-dir", 0, "DIR", G_RUN, "where the undo journal lives (default /run/oomlab)", K_TEXT,
	  F(o.state_dir), NULL },
	{ "timeout-scale", 0, "N", G_RUN, "multiply every case's timeout by N", K_CALL, 0,
	  set_timeout_scale },
	{ "model-kernel", 0, "VERSION", G_RUN, "the badness model and the report's expected shape\n"
	  "follow this kernel's rules, not the running one's (to see their checks fail)", K_CALL, 0,
	  set_model_kernel },
	{ "swap-dir", 0, "DIR", G_RUN, "where a case's own swap file goes, and each VM guest's\n"
	  "disk (a file with no name; default /var/tmp)", K_TEXT, F(o.swap_dir), NULL },
	{ "tmpfile-dir", 0, "DIR", G_RUN, "where {tmpfile} goes (default /dev/shm)", K_TEXT,
	  F(o.tmpfile_dir), NULL },
	{ "guest", 0, NULL, G_RUN, "inside oomlab's VM guest: also run machine-wide cases\n(refused "
	  "unless the kernel command line has oomlab.guest=1)", K_FLAG, F(o.guest), NULL },
	{ "sample-ms", 0, "N", G_RUN, "sample each process's memory every N ms for the report\n"
	  "(default 5; 0 turns it off)", K_CALL, 0, set_sample_ms },
	{ "skip-exit", 0, "N", G_RUN, "exit code when every case was skipped (default 4, kselftest's;\n"
	  "0 for prove and automake's tap-driver.sh, which take 4 as an error)", K_CALL, 0,
	  set_skip_exit },
	{ "help", 'h', NULL, G_RUN, "this text", K_FLAG, F(help), NULL },
	{ "results", 0, "DIR", G_OUT, "KTAP, JUnit, JSON, the HTML report and the console logs\n"
	  "in DIR (docs/results.md)", K_TEXT, F(o.results_dir), NULL },
	{ "junit", 0, "FILE", G_OUT, "JUnit XML: a testsuite per kernel, a testcase per case", K_TEXT,
	  F(o.junit_path), NULL },
	{ "json", 0, "FILE", G_OUT, "JSON: each case on each kernel, its checks, processes and\n"
	  "memory over time", K_TEXT, F(o.json_path), NULL },
	{ "html", 0, "FILE", G_OUT, "a report in one HTML file: the cases by kernel, each case's\n"
	  "checks, memory plot and kernel log", K_TEXT, F(o.html_path), NULL },
	{ "kernel", 'k', "IMAGE", G_VM, "also run the cases in a qemu guest of this bzImage\n"
	  "(repeatable); results are named KERNEL:case", K_CALL, 0, set_kernel },
	{ "vm-only", 0, NULL, G_VM, "run the cases only in the guests", K_FLAG, F(o.vm_only), NULL },
	{ "vm-memory", 0, "MIB", G_VM, "guest memory (default 512)", K_CALL, 0, set_vm_memory },
	{ "vm-cpus", 0, "N", G_VM, "guest CPUs (default 2)", K_CALL, 0, set_vm_cpus },
	{ "vm-logs", 0, "DIR", G_VM, "where console logs go (default: vm-logs next to oomlab in a\n"
	  "build tree, ./oomlab-vm-logs for an installed oomlab)",
	  K_TEXT, F(o.vm.log_dir), NULL },
	{ "vm-boot-timeout", 0, "DURATION", G_VM, "kill qemu after this long per boot (default: "
	  "120s plus\nthree times the timeouts of the boot's cases)", K_CALL, 0, set_boot_timeout },
	{ "initramfs", 0, "FILE", G_VM, "the guest's initramfs (default: initramfs.cpio.gz next to\n"
	  "oomlab; make initramfs builds it)", K_TEXT, F(o.vm.initramfs), NULL },
	{ "qemu", 0, "PROGRAM", G_VM, "default qemu-system-x86_64", K_TEXT, F(o.vm.qemu), NULL },
	{ "accel", 0, "auto|kvm|tcg", G_VM, "KVM or software emulation (default auto: KVM where\n"
	  "/dev/kvm opens; a guest KVM cannot run is booted again\nunder TCG, and so are the "
	  "run's later boots)", K_CALL, 0, set_accel },
	{ "vm-busy-cgroup", 0, NULL, G_VM, "in the guest, start oomlab from a non-root cgroup that\n"
	  "holds another process (as a login shell's does)", K_FLAG, F(o.vm.busy_cgroup), NULL },
	{ "guest-detail", 0, NULL, G_TEST, "with --guest: each case's detail (results files) as a\n"
	  "diagnostic before its result, for the host", K_FLAG, F(o.guest_detail), NULL },
	{ "kmsg-path", 0, "PATH", G_TEST, "read the kernel log from PATH, not /dev/kmsg", K_TEXT,
	  F(o.kmsg_path), NULL },
	{ "cgroup-version", 0, "1|2", G_TEST, "treat --cgroup-root as a hierarchy of that version",
	  K_CALL, 0, set_cgroup_version },
	{ "kvm-device", 0, "PATH", G_TEST, "the KVM device, not /dev/kvm", K_TEXT,
	  F(o.vm.kvm_device), NULL },
};

#define NOPTS ((int)ARRAY_SIZE(opts))

void cli_usage(FILE *out)
{
	static const char *const titles[G_COUNT] = {
		[G_RUN] = "Options:",
		[G_OUT] = "Results files (besides the KTAP on stdout):",
		[G_VM] = "VM backend (cgroup v2, other kernels, machine-wide cases):",
		[G_TEST] = "For tests:",
	};

	fprintf(out, "usage: oomlab [OPTIONS] [CASE...]    run the cases (all when none is named)\n"
		"       oomlab parse [--summary] [FILE...|-]\n"
		"                                     read OOM reports from a kernel log\n"
		"       oomlab explain [--event N] [--json] [--rows N] [FILE...|-]\n"
		"                                     why the kernel chose each victim\n"
		"       oomlab replay [--event N] [--scale auto|FACTOR] [--keep N] [--write DIR]\n"
		"                     [--no-run] [--machine] [--kernel IMAGE]... FILE\n"
		"                                     an OOM event as a case, run here or in guests\n"
		"       oomlab cgroup COMMAND ...     look at or drive oomlab's cgroup layer\n\n"
		"Runs each case's stressors in a memory-limited cgroup, lets the OOM killer fire,\n"
		"and checks victims, kernel log lines and oom_score order against expected/.\n"
		"Output is KTAP; exit code 0 all passed, 1 a failure, 4 everything skipped.\n");
	for (int g = 0; g < G_COUNT; g++) {
		fprintf(out, "\n%s\n", titles[g]);
		for (int i = 0; i < NOPTS; i++) {
			char left[64];
			const char *h = opts[i].help;

			if (opts[i].group != (enum cli_group)g)
				continue;
			snprintf(left, sizeof(left), "%c%c%c --%s%s%s", opts[i].letter ? '-' : ' ',
				 opts[i].letter ? opts[i].letter : ' ', opts[i].letter ? ',' : ' ',
				 opts[i].name, opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
			fprintf(out, " %-26s", left);
			if (strlen(left) >= 26)
				fprintf(out, "\n %26s", "");
			for (size_t n; *h; h += n + (h[n] == '\n')) {
				n = strcspn(h, "\n");
				fprintf(out, "%.*s\n", (int)n, h);
				if (h[n])
					fprintf(out, " %26s", "");
			}
		}
	}
}

bool cli_takes_value(const char *arg)
{
	const struct cli_opt *match = NULL;
	int matches = 0;
	size_t n;

	if (arg[1] != '-') {
		for (int i = 0; arg[1] && !arg[2] && i < NOPTS; i++)
			if (opts[i].letter == arg[1])
				return opts[i].arg != NULL;
		return false;
	}
	n = strcspn(arg + 2, "=");
	if (arg[2 + n] == '=')
		return false;
	/* An exact name, else the one name it begins (getopt_long's abbreviations). */
	for (int i = 0; i < NOPTS; i++) {
		if (strncmp(opts[i].name, arg + 2, n))
			continue;
		if (strlen(opts[i].name) == n)
			return opts[i].arg != NULL;
		match = &opts[i];
		matches++;
	}
	return matches == 1 && match->arg != NULL;
}

/* dir/name if it exists, else dir/../name: a build tree or an installed tree. */
static void default_dir(char *out, size_t len, const char *exe_dir, const char *name)
{
	char real[PATH_MAX];

	snprintf(out, len, "%s/%s", exe_dir, name);
	if (access(out, F_OK))
		snprintf(out, len, "%s/../%s", exe_dir, name);
	if (realpath(out, real)) /* messages name the file plainly */
		snprintf(out, len, "%s", real);
}

/*
 * Console logs: next to oomlab in a build tree (its source's Makefile above it); an
 * installed oomlab (PREFIX/lib/oomlab, perhaps read-only) keeps them in ./oomlab-vm-logs.
 */
static void vm_logs_default(struct cli *c, const char *exe_dir)
{
	char makefile[PATH_MAX + 16], cwd[PATH_MAX];

	snprintf(makefile, sizeof(makefile), "%s/../Makefile", exe_dir);
	if (!access(makefile, F_OK) || !getcwd(cwd, sizeof(cwd)))
		snprintf(c->vm_logs, sizeof(c->vm_logs), "%s/vm-logs", exe_dir);
	else
		snprintf(c->vm_logs, sizeof(c->vm_logs), "%s/oomlab-vm-logs", cwd);
}

/* The defaults, some of them found next to the oomlab binary. */
static void defaults(struct cli *c)
{
	char exe[PATH_MAX], *exe_dir;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	exe_dir = dirname(exe);
	memset(c, 0, sizeof(*c));
	c->o = (struct suite_opts){
		.state_dir = JOURNAL_DIR_DEFAULT, .kmsg_path = "/dev/kmsg", .swap_dir = "/var/tmp",
		.tmpfile_dir = "/dev/shm", .timeout_ms = 30000, .timeout_scale = 1, .sample_ms = 5,
		.skip_exit = KSFT_SKIP,
	};
	default_dir(c->o.cases_dir, sizeof(c->o.cases_dir), exe_dir, "cases");
	default_dir(c->o.expected_dir, sizeof(c->o.expected_dir), exe_dir, "expected");
	snprintf(c->o.stressor_dir, sizeof(c->o.stressor_dir), "%s/stressors", exe_dir);
	snprintf(c->initramfs, sizeof(c->initramfs), "%s/initramfs.cpio.gz", exe_dir);
	vm_logs_default(c, exe_dir);
	c->o.vm = (struct vm_opts){
		.qemu = "qemu-system-x86_64", .initramfs = c->initramfs, .log_dir = c->vm_logs,
		.memory_mb = VM_MEMORY_MB_DEFAULT, .cpus = 2, .accel = ACCEL_AUTO, .kvm_device = "/dev/kvm",
	};
}

static int apply(struct cli *c, const struct cli_opt *opt, const char *arg)
{
	char *field = (char *)c + opt->field;

	switch (opt->kind) {
	case K_FLAG:
		*(bool *)field = true;
		return 0;
	case K_TEXT:
		*(const char **)field = arg;
		return 0;
	case K_PATH:
		snprintf(field, PATH_MAX, "%s", arg);
		return 0;
	case K_CALL:
		break;
	}
	return opt->set(c, arg);
}

int cli_parse(struct cli *c, int argc, char **argv)
{
	struct option longopts[NOPTS + 1];
	char shorts[2 * NOPTS + 1];
	int n = 0, got, index;

	defaults(c);
	for (int i = 0; i < NOPTS; i++) {
		longopts[i] = (struct option){ opts[i].name, opts[i].arg ? required_argument
								  : no_argument, NULL, 256 + i };
		if (opts[i].letter) {
			shorts[n++] = opts[i].letter;
			if (opts[i].arg)
				shorts[n++] = ':';
		}
	}
	longopts[NOPTS] = (struct option){ 0 };
	shorts[n] = '\0';
	while ((got = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
		for (index = got >= 256 ? got - 256 : 0; got < 256 && index < NOPTS; index++)
			if (opts[index].letter == got)
				break;
		if (got == '?' || index >= NOPTS) {
			cli_usage(stderr);
			return -1;
		}
		if (apply(c, &opts[index], optarg))
			return -1;
	}
	c->o.names = argv + optind;
	c->o.nnames = argc - optind;
	if (c->o.vm_only && !c->o.nkernels) {
		fprintf(stderr, "oomlab: --vm-only needs at least one --kernel IMAGE\n");
		return -1;
	}
	return 0;
}
