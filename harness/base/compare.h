/* SPDX-License-Identifier: GPL-2.0 */
/* Comparison operators as case and expected files write them: "kernel >= 5.4", "order = a > b". */
#ifndef OOMLAB_COMPARE_H
#define OOMLAB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

enum cmp_op { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE, CMP_OPS };

/* The operators a place accepts, as a mask of (1u << op). */
#define CMP_ORDERING ((1u << CMP_GT) | (1u << CMP_GE) | (1u << CMP_EQ))
#define CMP_ALL ((1u << CMP_OPS) - 1)

/* "<", "<=", ">", ">=", "=", "!=" */
const char *cmp_op_text(enum cmp_op op);

/*
 * The operator text begins with, if `allowed` has it ("==" is "=" too); its length in
 * *len. -1 when it begins with none of them.
 */
int cmp_op_at(const char *text, unsigned allowed, size_t *len);

/* a OP b */
bool cmp_holds(enum cmp_op op, long long a, long long b);

#endif
