// SPDX-License-Identifier: GPL-2.0
/* oomlab: command line. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/casekeys.h"
#include "format/expectkeys.h"
#include "run/resources.h"
#include "cli.h"
#include "subcommands.h"
#include "suite.h"
#include "shared/arrays.h"

/* Every key of case and expected files and the placeholders, as the tables of docs/case-format.md. */
static void list_keys(void)
{
	static const char *const titles[SEC_COUNT] = {
		[SEC_CASE] = "[case]", [SEC_PROCESS] = "[process ROLE]", [SEC_CHANGE] = "[change]",
		[SEC_CGROUP] = "[cgroup NAME]",
	};

	for (int sec = 0; sec < SEC_COUNT; sec++) {
		printf("%s### %s\n\n", sec ? "\n" : "", titles[sec]);
		case_keys_markdown((enum case_section)sec, stdout);
	}
	printf("\n### [expect]\n\n");
	expect_keys_markdown(stdout);
	printf("\n### Placeholders\n\n");
	resources_markdown(stdout);
}

static int run_main(int argc, char **argv)
{
	struct cli c;

	if (cli_parse(&c, argc, argv))
		return 1;
	if (c.help) {
		cli_usage(stdout);
		return 0;
	}
	if (c.list_keys) {
		list_keys();
		return 0;
	}
	if (c.list)
		return suite_list(&c.o);
	return suite_run(&c.o);
}

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} subcommands[] = {
	{ "parse", parse_main },
	{ "explain", explain_main },
	{ "replay", replay_main },
	{ "cgroup", cgroup_main },
};

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
			i += cli_takes_value(argv[i]);
			continue;
		}
		for (size_t c = 0; c < ARRAY_SIZE(subcommands); c++) {
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
