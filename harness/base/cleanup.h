/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scope-bound cleanup for local resources, the one idiom the harness uses for them: a
 * variable declared with one of these is released when it goes out of scope, on every
 * return path. Take ownership away by setting it to NULL (or -1).
 *
 *	auto_free char *buf = malloc(n);
 *	auto_close int fd = open(path, O_RDONLY);
 *	auto_fclose FILE *f = fopen(path, "re");
 *	auto_closedir DIR *d = opendir(dir);
 */
#ifndef OOMLAB_CLEANUP_H
#define OOMLAB_CLEANUP_H

#include <dirent.h>
#include <stdio.h>

void cleanup_free(void *p);
void cleanup_close(int *fd);
void cleanup_fclose(FILE **f);
void cleanup_closedir(DIR **d);

#define auto_free __attribute__((cleanup(cleanup_free)))
#define auto_close __attribute__((cleanup(cleanup_close)))
#define auto_fclose __attribute__((cleanup(cleanup_fclose)))
#define auto_closedir __attribute__((cleanup(cleanup_closedir)))

#endif
