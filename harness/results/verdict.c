// SPDX-License-Identifier: GPL-2.0
#include "results/verdict.h"

const char *verdict_word(enum verdict v)
{
	static const char *const words[] = {
		[V_PASS] = "pass", [V_FAIL] = "fail", [V_SKIP] = "skip", [V_TIMEOUT] = "timeout",
		[V_ERROR] = "error",
	};

	return words[v];
}
