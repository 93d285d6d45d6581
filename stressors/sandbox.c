// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp filter every stressor runs under: calls a stressor never needs are
 * refused (so a bad case file cannot reboot the machine or load a module), and the
 * faults a case injects are installed. A fault on every call is a plain ERRNO rule;
 * a counted fault (the Nth call, calls after N) notifies a supervisor, the harness,
 * which counts the calls and answers each: fail with the errno, or continue.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stressor.h"
#include "shared/arrays.h"

/* Never needed by a stressor: refused with EPERM. */
static const char *const denied[] = {
	"reboot", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"mount", "umount2", "pivot_root", "swapon", "fsopen", "fsmount", "move_mount", "open_tree",
};

static bool fault_on(const struct stressor_ctx *ctx, int nr)
{
	int i;

	for (i = 0; i < ctx->nfaults; i++)
		if (ctx->faults[i].nr == nr)
			return true;
	return false;
}

int sandbox_install(struct stressor_ctx *ctx)
{
	scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
	bool notify = false;
	size_t i;
	int rc, fd;

	if (!filter) {
		st_msg(ctx, ENOMEM, "seccomp_init");
		return ST_EXIT_INTERNAL;
	}
	for (i = 0; i < (size_t)ctx->nfaults; i++) {
		const struct fault *f = &ctx->faults[i];

		rc = seccomp_rule_add(filter, fault_counted(f) ? SCMP_ACT_NOTIFY : SCMP_ACT_ERRNO(f->err),
				      f->nr, 0);
		if (rc) {
			st_msg(ctx, -rc, "seccomp rule for the fault on %s", f->syscall);
			seccomp_release(filter);
			return ST_EXIT_INTERNAL;
		}
		notify |= fault_counted(f);
	}
	for (i = 0; i < ARRAY_SIZE(denied); i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);

		if (stressor.mounts_privately && !strcmp(denied[i], "mount"))
			continue;
		/* A fault on a denied call was added above; a second rule would clash. */
		if (nr == __NR_SCMP_ERROR || fault_on(ctx, nr))
			continue;
		rc = seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (rc) {
			st_msg(ctx, -rc, "seccomp rule refusing %s", denied[i]);
			seccomp_release(filter);
			return ST_EXIT_INTERNAL;
		}
	}
	if (notify && ctx->control_fd < 0) {
		st_msg(ctx, 0, "a fault on the Nth call needs the harness to count calls: run it from "
		       "an oomlab case");
		seccomp_release(filter);
		return ST_EXIT_USAGE;
	}
	rc = seccomp_load(filter);
	if (rc) {
		st_msg(ctx, -rc, "seccomp_load");
		seccomp_release(filter);
		return -rc == EINVAL || -rc == ENOSYS ? ST_EXIT_UNSUPPORTED : ST_EXIT_INTERNAL;
	}
	if (notify) {
		fd = seccomp_notify_fd(filter);
		if (fd < 0) {
			st_msg(ctx, -fd, "seccomp_notify_fd");
			seccomp_release(filter);
			return ST_EXIT_UNSUPPORTED;
		}
		/* Before any counted call can block waiting for an answer. */
		st_send_fd(ctx, CTL_NOTIFY, fd);
		close(fd);
	}
	seccomp_release(filter);
	return ST_EXIT_OK;
}
