// SPDX-License-Identifier: GPL-2.0
#include "klog/learnprefix.h"

#include <string.h>

#include "klog/fixedtext.h"
#include "klog/oomreport.h"
#include "shared/arrays.h"

size_t learned_at(const struct learned_prefix *lp, const char *s, size_t len)
{
	return lp->len && len >= lp->len && !memcmp(s, lp->text, lp->len) ? lp->len : 0;
}

void learn_note(struct learned_prefix *lp, const char *s, size_t len)
{
	const char *mark = fixed_find_n(s, len, " invoked oom-killer:", NULL);
	size_t before = mark ? (size_t)(mark - s) : 0;

	if (lp->keep) {
		lp->keep = false;
		return;
	}
	lp->cand_len = 0;
	if (before <= OOM_COMM_KERNEL || before >= sizeof(lp->cand))
		return;
	memcpy(lp->cand, s, before);
	lp->cand_len = before;
}

/* Does s start the way the line after a trigger does? */
static bool report_line(const char *s, size_t len)
{
	static const char *const starts[] = { "CPU: ", "Pid: ", "Hardware name:", "Call Trace:",
					      "Mem-Info:", "Mem-info:", "Tasks state", "[", "oom-kill:",
					      "Task in ", "memory: usage " };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(starts); i++)
		if (len >= strlen(starts[i]) && !memcmp(s, starts[i], strlen(starts[i])))
			return true;
	return false;
}

size_t learn_from_next(struct learned_prefix *lp, const char *s, size_t len)
{
	size_t same = 0, n = lp->cand_len, cut;

	/* The cpuset line of up to 4.19 starts with the trigger's comm too, so where the
	 * prefix ends is not known from it: the line after it (CPU:) tells. */
	if (fixed_find_n(s, len, " cpuset=", NULL) && fixed_find_n(s, len, " mems_allowed=", NULL)) {
		lp->keep = true;
		return 0;
	}
	lp->cand_len = 0;
	while (same < n && same < len && lp->cand[same] == s[same])
		same++;
	/* The prefix ends at a blank and leaves at most a comm of the trigger's text. */
	for (cut = n > OOM_COMM_KERNEL ? n - OOM_COMM_KERNEL : 2; cut <= same && cut <= LEARNED_MAX; cut++) {
		if ((s[cut - 1] != ' ' && s[cut - 1] != '\t') || !report_line(s + cut, len - cut))
			continue;
		memcpy(lp->text, s, cut);
		lp->len = cut;
		return cut;
	}
	return 0;
}
