/* SPDX-License-Identifier: GPL-2.0 */
/* A small JSON writer: objects, arrays, strings, numbers, booleans, null; indented. */
#ifndef OOMLAB_JSON_H
#define OOMLAB_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool compact;                /* all on one line, no newline at the end */
};

void json_init(struct json *j, FILE *out);
/* The same on one line (a value that must fit a line of a stream). */
void json_init_compact(struct json *j, FILE *out);
/* key: the member name inside an object, NULL inside an array or at the top. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value); /* NULL: null */
void json_int(struct json *j, const char *key, long long value);
/* value when known, null otherwise */
void json_int_known(struct json *j, const char *key, long long value, bool known);
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* A value already written as JSON by this writer (a case's detail, kept as text). */
void json_raw(struct json *j, const char *key, const char *text);

#endif
