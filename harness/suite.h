/* SPDX-License-Identifier: GPL-2.0 */
/* Running the suite: the cases, in order, as one KTAP stream. */
#ifndef OOMLAB_SUITE_H
#define OOMLAB_SUITE_H

#include <limits.h>
#include <stdbool.h>

#include "base/hostinfo.h"
#include "vm/vm.h"

#define MAX_KERNELS 8

struct suite_opts {
	char cases_dir[PATH_MAX];
	char expected_dir[PATH_MAX];
	char stressor_dir[PATH_MAX];
	const char *state_dir;       /* the undo journal */
	const char *swap_dir;        /* a case's own swap file goes here (a disk) */
	const char *tmpfile_dir;     /* {tmpfile} goes here (a tmpfs) */
	const char *kmsg_path;
	const char *cgroup_root;     /* NULL: oomlab's own memory cgroup */
	int cgroup_version;          /* 0: detect */
	long timeout_ms;             /* per case */
	bool timeout_forced;         /* --timeout given: overrides the case files */
	int timeout_scale;           /* multiplies every case's timeout (slow machines, TCG) */
	bool verbose;
	bool validate_only;
	bool guest;                  /* inside oomlab's VM guest: machine-wide cases may run */
	bool guest_detail;           /* a guest: each case's detail to the host, on the KTAP */
	bool has_model_kernel;       /* --model-kernel: the model follows another kernel's rules */
	struct kver model_kernel;
	char **names;                /* cases to run; NULL: all */
	int nnames;
	const char *kernels[MAX_KERNELS]; /* also run the cases in VM guests of these images */
	int nkernels;
	bool vm_only;                /* only in the VM guests, not on this machine */
	struct vm_opts vm;
	int sample_ms;               /* memory over time: the sampling interval; 0 off */
	int skip_exit;               /* the exit code when every case was skipped (KSFT_SKIP) */
	const char *junit_path;      /* results files (docs/results.md); NULL: none */
	const char *json_path;
	const char *html_path;
	const char *results_dir;     /* all of them, the KTAP and the console logs, in one folder */
};

/* Returns the kselftest exit code. */
int suite_run(const struct suite_opts *o);

/* Print the cases and their summaries. Returns an exit code. */
int suite_list(const struct suite_opts *o);

#endif
