/* SPDX-License-Identifier: GPL-2.0 */
/* Sizes, counts and durations as written in case files and on command lines. */
#ifndef OOMLAB_UNITS_H
#define OOMLAB_UNITS_H

#include <stddef.h>

/*
 * "4096", "64K", "64M", "1G", "2T" (binary multiples; a trailing "B" or "iB" is
 * accepted) or "max" (SIZE_MAX). Returns 0, or -1 with errno EINVAL/ERANGE.
 */
int parse_size(const char *s, size_t *out);

/* A whole decimal number, optionally signed. Returns 0, or -1 with errno. */
int parse_long(const char *s, long *out);

/* "30" or "30s", "500ms", "2m". Returns 0, or -1 with errno. */
int parse_duration_ms(const char *s, long *out_ms);

/* a + b and a * b, or SIZE_MAX when the result would not fit (SIZE_MAX also means "max"). */
size_t size_add(size_t a, size_t b);
size_t size_mul(size_t a, size_t b);

/* "64M", "1536K", "123" (exact, the largest unit that divides), or "max". */
const char *format_size(size_t bytes, char *buf, size_t len);

/* "23.5G", "12G", "640K": for messages about machine sizes, rounded. */
const char *format_size_about(size_t bytes, char *buf, size_t len);

#endif
