// SPDX-License-Identifier: GPL-2.0
/* oomlab: command line. */
#include <getopt.h>
#include <stdbool.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "subcommands.h"
#include "suite.h"
#include "shared/units.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: oomlab [OPTIONS] [CASE...]    run the cases (all when none is named)\n"
		"       oomlab --list                 list the cases\n"
		"       oomlab parse [--summary] [FILE|-]\n"
		"                                     read OOM reports from a kernel log\n"
		"       oomlab cgroup COMMAND ...     look at or drive oomlab's cgroup layer\n"
		"\n"
		"Runs each case's stressors in a memory-limited cgroup, lets the OOM killer fire,\n"
		"and checks victims, kernel log lines and oom_score order against expected/.\n"
		"Output is KTAP; exit code 0 all passed, 1 a failure, 4 everything skipped.\n"
		"\n"
		"Options:\n"
		"  -l, --list               list the cases and what each tests\n"
		"  -v, --verbose            show oom_score tables, whole reports and timings\n"
		"  -t, --timeout DURATION   per-case timeout, overriding the case files\n"
		"                           (default: the case's own, else 30s)\n"
		"      --validate           only check the case and expected files\n"
		"      --cgroup-root DIR    create cgroups below DIR, not below oomlab's own cgroup\n"
		"      --cases DIR          case files (default: cases/ of the source tree)\n"
		"      --expected DIR       expected files (default: expected/ of the source tree)\n"
		"      --stressors DIR      stressor programs (default: the stressors directory next\n"
		"                           to the oomlab binary, build/stressors in a checkout)\n"
		"      --state-dir DIR      where the undo journal lives (default /run/oomlab)\n"
		"      --timeout-scale N    multiply every case's timeout by N\n"
		"      --model-kernel VERSION  the badness model follows this kernel's rules, not\n"
		"                           the running one's (to see its checks fail)\n"
		"      --swap-dir DIR       where a case's own swap file goes (default /var/tmp)\n"
		"      --tmpfile-dir DIR    where {tmpfile} goes (default /dev/shm)\n"
		"      --guest              inside oomlab's VM guest: also run machine-wide cases\n"
		"                           (refused unless the kernel command line has oomlab.guest=1)\n"
		"\n"
		"VM backend (cgroup v2, other kernels, machine-wide cases; KVM when /dev/kvm works):\n"
		"  -k, --kernel IMAGE       also run the cases in a qemu guest of this bzImage\n"
		"                           (repeatable); results are named KERNEL:case\n"
		"      --vm-only            run the cases only in the guests\n"
		"      --vm-memory MIB      guest memory (default 512)\n"
		"      --vm-cpus N          guest CPUs (default 2)\n"
		"      --vm-logs DIR        where console logs go (default: vm-logs next to oomlab)\n"
		"      --vm-boot-timeout DURATION\n"
		"                           kill qemu after this long per boot (default: 120s plus\n"
		"                           three times the timeouts of the boot's cases)\n"
		"      --initramfs FILE     the guest's initramfs (default: initramfs.cpio.gz next to\n"
		"                           oomlab; make initramfs builds it)\n"
		"      --qemu PROGRAM       default qemu-system-x86_64\n"
		"      --accel auto|kvm|tcg KVM or software emulation (default auto: KVM where\n"
		"                           /dev/kvm opens; a guest KVM cannot run is booted again\n"
		"                           under TCG, and so are the run's later boots)\n"
		"      --vm-busy-cgroup     in the guest, start oomlab from a non-root cgroup that\n"
		"                           holds another process (as a login shell's does)\n"
		"  -h, --help\n"
		"\n"
		"For tests: --kmsg-path PATH (not /dev/kmsg), --cgroup-version 1|2 (treat\n"
		"--cgroup-root as a hierarchy of that version), --kvm-device PATH (not /dev/kvm).\n");
}

static const struct option longopts[] = {
	{ "list", no_argument, NULL, 'l' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "timeout", required_argument, NULL, 't' },
	{ "validate", no_argument, NULL, 'V' },
	{ "cgroup-root", required_argument, NULL, 'R' },
	{ "cgroup-version", required_argument, NULL, 'C' },
	{ "cases", required_argument, NULL, 'c' },
	{ "expected", required_argument, NULL, 'e' },
	{ "stressors", required_argument, NULL, 's' },
	{ "state-dir", required_argument, NULL, 'S' },
	{ "kmsg-path", required_argument, NULL, 'K' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "vm-only", no_argument, NULL, 'O' },
	{ "vm-memory", required_argument, NULL, 'M' },
	{ "vm-cpus", required_argument, NULL, 'U' },
	{ "vm-logs", required_argument, NULL, 'L' },
	{ "initramfs", required_argument, NULL, 'I' },
	{ "qemu", required_argument, NULL, 'Q' },
	{ "vm-boot-timeout", required_argument, NULL, 'B' },
	{ "accel", required_argument, NULL, 'A' },
	{ "kvm-device", required_argument, NULL, 'D' },
	{ "vm-busy-cgroup", no_argument, NULL, 'Y' },
	{ "model-kernel", required_argument, NULL, 'm' },
	{ "timeout-scale", required_argument, NULL, 'X' },
	{ "guest", no_argument, NULL, 'G' },
	{ "swap-dir", required_argument, NULL, 'W' },
	{ "tmpfile-dir", required_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

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

static int run_main(int argc, char **argv)
{
	struct suite_opts o = {
		.state_dir = "/run/oomlab", .kmsg_path = "/dev/kmsg",
		.swap_dir = "/var/tmp", .tmpfile_dir = "/dev/shm",
		.timeout_ms = 30000, .timeout_scale = 1,
	};
	char exe[PATH_MAX], *exe_dir, initramfs[PATH_MAX + 32], vm_logs[PATH_MAX + 16];
	bool list = false;
	ssize_t n;
	int c;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	exe_dir = dirname(exe);
	default_dir(o.cases_dir, sizeof(o.cases_dir), exe_dir, "cases");
	default_dir(o.expected_dir, sizeof(o.expected_dir), exe_dir, "expected");
	snprintf(o.stressor_dir, sizeof(o.stressor_dir), "%s/stressors", exe_dir);

	snprintf(initramfs, sizeof(initramfs), "%s/initramfs.cpio.gz", exe_dir);
	snprintf(vm_logs, sizeof(vm_logs), "%s/vm-logs", exe_dir);
	o.vm = (struct vm_opts){
		.qemu = "qemu-system-x86_64", .initramfs = initramfs, .log_dir = vm_logs,
		.memory_mb = 512, .cpus = 2, .accel = ACCEL_AUTO, .kvm_device = "/dev/kvm",
	};
	while ((c = getopt_long(argc, argv, "lvt:k:h", longopts, NULL)) != -1) {
		long v;

		switch (c) {
		case 'l': list = true; break;
		case 'v': o.verbose = true; break;
		case 't':
			if (parse_duration_ms(optarg, &o.timeout_ms) || o.timeout_ms <= 0) {
				fprintf(stderr, "oomlab: --timeout: expected a duration above 0 such as 30s "
					"or 500ms, got '%s'\n", optarg);
				return 1;
			}
			o.timeout_forced = true;
			break;
		case 'V': o.validate_only = true; break;
		case 'R': o.cgroup_root = optarg; break;
		case 'C':
			if (parse_long(optarg, &v) || (v != 1 && v != 2)) {
				fprintf(stderr, "oomlab: --cgroup-version: expected 1 or 2, got '%s'\n", optarg);
				return 1;
			}
			o.cgroup_version = (int)v;
			break;
		case 'c': snprintf(o.cases_dir, sizeof(o.cases_dir), "%s", optarg); break;
		case 'e': snprintf(o.expected_dir, sizeof(o.expected_dir), "%s", optarg); break;
		case 's': snprintf(o.stressor_dir, sizeof(o.stressor_dir), "%s", optarg); break;
		case 'S': o.state_dir = optarg; break;
		case 'K': o.kmsg_path = optarg; break;
		case 'k':
			if (o.nkernels == MAX_KERNELS) {
				fprintf(stderr, "oomlab: at most %d --kernel images\n", MAX_KERNELS);
				return 1;
			}
			o.kernels[o.nkernels++] = optarg;
			break;
		case 'O': o.vm_only = true; break;
		case 'M':
		case 'U':
			if (parse_long(optarg, &v) || v < 1 || v > (c == 'M' ? 65536 : 64)) {
				fprintf(stderr, "oomlab: --vm-%s: expected %s, got '%s'\n",
					c == 'M' ? "memory" : "cpus",
					c == 'M' ? "1 to 65536 (MiB)" : "1 to 64", optarg);
				return 1;
			}
			*(c == 'M' ? &o.vm.memory_mb : &o.vm.cpus) = (int)v;
			break;
		case 'L': o.vm.log_dir = optarg; break;
		case 'I': o.vm.initramfs = optarg; break;
		case 'Q': o.vm.qemu = optarg; break;
		case 'B':
			if (parse_duration_ms(optarg, &o.vm.boot_timeout_ms) || o.vm.boot_timeout_ms <= 0) {
				fprintf(stderr, "oomlab: --vm-boot-timeout: expected a duration above 0 such "
					"as 300s, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'A':
			if (!strcmp(optarg, "auto") || !strcmp(optarg, "kvm") || !strcmp(optarg, "tcg")) {
				o.vm.accel = optarg[0] == 'a' ? ACCEL_AUTO : optarg[0] == 'k' ? ACCEL_KVM
											: ACCEL_TCG;
				break;
			}
			fprintf(stderr, "oomlab: --accel: expected auto, kvm or tcg, got '%s'\n", optarg);
			return 1;
		case 'D': o.vm.kvm_device = optarg; break;
		case 'm':
			if (kver_parse(optarg, &o.model_kernel)) {
				fprintf(stderr, "oomlab: --model-kernel: expected a kernel version such as "
					"5.2, got '%s'\n", optarg);
				return 1;
			}
			o.has_model_kernel = true;
			break;
		case 'Y': o.vm.busy_cgroup = true; break;
		case 'X':
			if (parse_long(optarg, &v) || v < 1 || v > 100) {
				fprintf(stderr, "oomlab: --timeout-scale: expected 1 to 100, got '%s'\n", optarg);
				return 1;
			}
			o.timeout_scale = (int)v;
			break;
		case 'G': o.guest = true; break;
		case 'W': o.swap_dir = optarg; break;
		case 'F': o.tmpfile_dir = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	o.names = argv + optind;
	o.nnames = argc - optind;
	if (o.vm_only && !o.nkernels) {
		fprintf(stderr, "oomlab: --vm-only needs at least one --kernel IMAGE\n");
		return 1;
	}
	if (list)
		return suite_list(&o);
	return suite_run(&o);
}

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} subcommands[] = {
	{ "parse", parse_main },
	{ "cgroup", cgroup_main },
};

/*
 * Does this option of ours take a value in the next word? Long options may be
 * abbreviated, as getopt_long allows: an exact name, else the one name it begins.
 */
static bool takes_value(const char *arg)
{
	const struct option *match = NULL;
	int matches = 0;
	size_t n;

	if (arg[1] != '-')
		return arg[1] && strchr("tk", arg[1]) && !arg[2];
	n = strcspn(arg + 2, "=");
	if (arg[2 + n] == '=')
		return false;
	for (int i = 0; longopts[i].name; i++) {
		if (strncmp(longopts[i].name, arg + 2, n))
			continue;
		if (strlen(longopts[i].name) == n)
			return longopts[i].has_arg == required_argument;
		match = &longopts[i];
		matches++;
	}
	return matches == 1 && match->has_arg == required_argument;
}

/*
 * The subcommand named by the first word that is not an option ("oomlab --cgroup-root
 * DIR cgroup info" is "cgroup" with that option). argv is reordered so that it starts
 * with the subcommand's name, options before it kept. -1: none (run the suite).
 */
static int find_subcommand(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return -1;
		if (argv[i][0] == '-' && argv[i][1]) {
			i += takes_value(argv[i]);
			continue;
		}
		for (size_t c = 0; c < sizeof(subcommands) / sizeof(subcommands[0]); c++) {
			if (strcmp(argv[i], subcommands[c].name))
				continue;
			char *word = argv[i];

			memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof(*argv));
			argv[1] = word;
			return (int)c;
		}
		return -1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int sub;

	/* Line-buffered before any fork: children must not inherit unwritten output. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	sub = find_subcommand(argc, argv);
	if (sub >= 0)
		return subcommands[sub].main(argc - 1, argv + 1);
	return run_main(argc, argv);
}
