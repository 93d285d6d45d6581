/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands besides running the suite; each returns an exit code. */
#ifndef OOMLAB_SUBCOMMANDS_H
#define OOMLAB_SUBCOMMANDS_H

/* oomlab parse [--summary] [FILE...|-] */
int parse_main(int argc, char **argv);

/* oomlab explain [--event N] [--json] [--rows N] [FILE...|-] */
int explain_main(int argc, char **argv);

/* oomlab replay [--event N] [--scale auto|FACTOR] [--keep N] [--write DIR] [--no-run] [--kernel IMAGE]... FILE */
int replay_main(int argc, char **argv);

/* oomlab cgroup info|limit|counters|kill|enable ... */
int cgroup_main(int argc, char **argv);

#endif
