// SPDX-License-Identifier: GPL-2.0
/* Parsing and printing of sizes, numbers and durations. */
#include "shared/units.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_unsigned(const char *s, const char **end, unsigned long long *out)
{
	char *e;

	if (*s < '0' || *s > '9') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	*out = strtoull(s, &e, 10);
	if (errno)
		return -1;
	*end = e;
	return 0;
}

int parse_size(const char *s, size_t *out)
{
	static const char units[] = "KMGT";
	unsigned long long n;
	const char *e;
	int shift = 0;

	if (!strcmp(s, "max")) {
		*out = SIZE_MAX;
		return 0;
	}
	if (parse_unsigned(s, &e, &n))
		return -1;
	if (*e) {
		const char *u = strchr(units, *e);

		if (!u) {
			errno = EINVAL;
			return -1;
		}
		shift = 10 * (int)(u - units + 1);
		e++;
		if (!strcmp(e, "iB") || !strcmp(e, "B"))
			e += strlen(e);
	}
	if (*e) {
		errno = EINVAL;
		return -1;
	}
	if (shift && n > (SIZE_MAX >> shift)) {
		errno = ERANGE;
		return -1;
	}
	*out = (size_t)(n << shift);
	return 0;
}

int parse_long(const char *s, long *out)
{
	char *e;
	long v;

	errno = 0;
	v = strtol(s, &e, 10);
	if (errno)
		return -1;
	if (e == s || *e) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

int parse_duration_ms(const char *s, long *out_ms)
{
	unsigned long long n;
	const char *e;
	unsigned long long mult;

	if (parse_unsigned(s, &e, &n))
		return -1;
	if (!*e || !strcmp(e, "s"))
		mult = 1000;
	else if (!strcmp(e, "ms"))
		mult = 1;
	else if (!strcmp(e, "m"))
		mult = 60000;
	else {
		errno = EINVAL;
		return -1;
	}
	if (n > (unsigned long long)INT32_MAX / mult) {
		errno = ERANGE;
		return -1;
	}
	*out_ms = (long)(n * mult);
	return 0;
}

const char *format_size(size_t bytes, char *buf, size_t len)
{
	static const char units[] = "TGMK";
	int i;

	if (bytes == SIZE_MAX) {
		snprintf(buf, len, "max");
		return buf;
	}
	for (i = 0; i < 4; i++) {
		int shift = 10 * (4 - i);
		size_t unit = (size_t)1 << shift;

		if (bytes && bytes % unit == 0) {
			snprintf(buf, len, "%zu%c", bytes >> shift, units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%zu", bytes);
	return buf;
}

const char *format_size_about(size_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int i = -1;

	if (bytes == SIZE_MAX) {
		snprintf(buf, len, "max");
		return buf;
	}
	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%zu", bytes);
	else
		snprintf(buf, len, v < 10 && v != (double)(long)v ? "%.1f%c" : "%.0f%c", v, units[i]);
	return buf;
}

size_t size_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

size_t size_mul(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}
