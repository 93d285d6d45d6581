/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest's KTAP log (ttyS1), read while the guest writes it: each result with the
 * diagnostics before it (its paths of case files made the host's) and the case's detail
 * (judge/casejson.c), and the guest's header notes. Only what follows this boot's nonce
 * line counts: anything else in the file was not written by this boot.
 */
#ifndef OOMLAB_VM_STREAM_H
#define OOMLAB_VM_STREAM_H

#include <stdbool.h>
#include <stdio.h>

#include "results/verdict.h"
#include "vm/vm.h"

struct guest_result {
	char name[128];
	enum verdict v;
	char reason[512];
	char **diags;
	int ndiags;
	char *detail;            /* the guest's JSON of the case, or NULL */
};

struct guest_ktap {
	struct guest_result *r;
	int n;
	char **notes;            /* diagnostics before the first result: the guest's header */
	int nnotes;
	/* where reading stands */
	FILE *f;
	char nonce[40];          /* the boot whose log f is */
	bool ours;               /* past this boot's nonce line */
	char **pending;          /* diagnostics of the next result */
	int npending;
	char *detail;
};

void guest_ktap_init(struct guest_ktap *g);

/*
 * Read what the guest of boot b wrote since the last call: whole lines, and at_end (qemu
 * is gone) the rest too. A boot tried again (a new nonce) starts the log anew.
 */
void guest_ktap_read(struct guest_ktap *g, const struct boot *b, const struct vm_opts *o,
		     bool at_end);

const struct guest_result *guest_result(const struct guest_ktap *g, const char *name);

void guest_ktap_free(struct guest_ktap *g);

#endif
