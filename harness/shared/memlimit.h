/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much memory a cgroup may use: the lowest memory limit on it and on every
 * ancestor (the lowest one counts), and whether that is "well below" the machine.
 * Shared by the stressors' guard and the harness's check of a case before it runs.
 */
#ifndef OOMLAB_MEMLIMIT_H
#define OOMLAB_MEMLIMIT_H

#include <stdbool.h>

/* No limit anywhere on the chain. */
#define MEMLIMIT_NONE (~0ULL)

/*
 * The lowest memory limit, in bytes, of dir and its ancestors up to mount (the
 * hierarchy's top directory as mounted). v1: memory.stat's hierarchical_memory_limit;
 * v2: the smallest memory.max on the way up. MEMLIMIT_NONE when none is set.
 */
unsigned long long memory_limit_of_chain(int version, const char *mount, const char *dir);

/*
 * A limit "well below" the machine: at most half of MemTotal, so that whatever runs
 * under it leaves the rest of the machine alone.
 */
bool memory_limit_safe(unsigned long long limit, unsigned long long mem_total);

/* MemTotal, in bytes. */
unsigned long long mem_total_bytes(void);

/*
 * Is a limit read from a cgroup file no limit at all? cgroup v1 says "unlimited" with
 * PAGE_COUNTER_MAX pages, just below 2^63 bytes; anything from 2^62 on counts as that.
 */
bool memory_limit_is_none(unsigned long long bytes);

#endif
