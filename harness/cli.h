/* SPDX-License-Identifier: GPL-2.0 */
/* The command line of `oomlab [OPTIONS] [CASE...]` (cli.c: the options, one table). */
#ifndef OOMLAB_CLI_H
#define OOMLAB_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "suite.h"

struct cli {
	struct suite_opts o;
	bool list;                   /* --list */
	bool list_keys;              /* --list-keys */
	bool help;                   /* --help */
	char initramfs[PATH_MAX + 32];  /* the defaults found next to the binary */
	char vm_logs[PATH_MAX + 16];
};

/* Fill c from the defaults and the arguments. Returns 0, or -1 (said on stderr). */
int cli_parse(struct cli *c, int argc, char **argv);

void cli_usage(FILE *out);

/* Does this option word take its value in the next word ("-t", "--timeout", "--time")? */
bool cli_takes_value(const char *arg);

#endif
