// SPDX-License-Identifier: GPL-2.0
#include "base/compare.h"

#include <string.h>
#include "shared/arrays.h"

static const char *const text[CMP_OPS] = {
	[CMP_LT] = "<", [CMP_LE] = "<=", [CMP_GT] = ">", [CMP_GE] = ">=", [CMP_EQ] = "=",
	[CMP_NE] = "!=",
};

/* Every spelling, the longer before its prefixes. */
static const struct {
	const char *spelling;
	enum cmp_op op;
} spellings[] = {
	{ "<=", CMP_LE }, { ">=", CMP_GE }, { "==", CMP_EQ }, { "!=", CMP_NE },
	{ "<", CMP_LT }, { ">", CMP_GT }, { "=", CMP_EQ },
};

const char *cmp_op_text(enum cmp_op op)
{
	return text[op];
}

int cmp_op_at(const char *s, unsigned allowed, size_t *len)
{
	for (size_t i = 0; i < ARRAY_SIZE(spellings); i++) {
		size_t n = strlen(spellings[i].spelling);

		if (!strncmp(s, spellings[i].spelling, n)) {
			if (!(allowed & (1u << spellings[i].op)))
				return -1;
			*len = n;
			return (int)spellings[i].op;
		}
	}
	return -1;
}

bool cmp_holds(enum cmp_op op, long long a, long long b)
{
	switch (op) {
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_OPS: break;
	}
	return false;
}
