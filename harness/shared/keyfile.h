/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A number from a "key value" or "Key: value kB" file (/proc/meminfo, memory.stat).
 * Shared by the stressors and the harness.
 */
#ifndef OOMLAB_KEYFILE_H
#define OOMLAB_KEYFILE_H

/* The value after `key` (followed by a blank or ':'), or `missing`. */
unsigned long long keyfile_value(const char *path, const char *key, unsigned long long missing);

#endif
