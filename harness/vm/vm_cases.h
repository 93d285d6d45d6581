/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's case and expected files for a guest: the initramfs (built by make
 * initramfs, with the repository's cases) followed by a second cpio archive of the cases
 * this run names, as the host has them now (--cases, --expected: the user's own, or
 * files changed since the initramfs was built). The kernel unpacks both in order, so
 * the guest finds them at /oomlab/cases/ and /oomlab/expected/, later files over earlier.
 * The kernel's modules for the guest (its disk, FUSE), where it needs some, go into the
 * second archive too.
 */
#ifndef OOMLAB_VM_CASES_H
#define OOMLAB_VM_CASES_H

#include <stddef.h>

#include "base/err.h"
#include "vm/vm.h"
#include "vm/vm_modules.h"

/*
 * Write o->initramfs with the named cases and the modules m (may be NULL) appended to
 * path (made fresh, in o->log_dir). Returns 0, or -1 with e set (nothing left behind).
 */
int vm_cases_initramfs(const struct vm_opts *o, char **names, int n, const struct vm_modules *m,
		       const char *path, struct err *e);

#endif
