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

void learn_note_trigger(struct learned_prefix *lp, const char *s, size_t len)
{
	const char *mark = fixed_find_n(s, len, " invoked oom-killer:", NULL);
	size_t before = mark ? (size_t)(mark - s) : 0;

	if (!before || before >= sizeof(lp->cand))
		return;
	memcpy(lp->cand, s, before);
	lp->cand_len = before;
	lp->cand_lines = LEARN_LINES;
}

/* Does s start the way the line after a trigger does? */
static bool report_line(const char *s, size_t len)
{
	static const char *const starts[] = { "CPU: ", "Pid: ", "Hardware name:", "Call Trace:",
					      "Mem-Info:", "Mem-info:", "Tasks state", "[<", "[ ",
					      "oom-kill:", "Task in ", "memory: usage " };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(starts); i++)
		if (len >= strlen(starts[i]) && !memcmp(s, starts[i], strlen(starts[i])))
			return true;
	/* a task table row "[1234]" */
	return len > 2 && s[0] == '[' && s[1] >= '0' && s[1] <= '9';
}

size_t learn_from_next(struct learned_prefix *lp, const char *s, size_t len)
{
	size_t same = 0, n = lp->cand_len, cut;

	if (!n)
		return 0;
	if (!--lp->cand_lines)
		lp->cand_len = 0;
	while (same < n && same < len && lp->cand[same] == s[same])
		same++;
	/* The prefix ends at a blank and leaves at most a comm of the trigger's text: the
	 * longest such prefix after which this line is a report line. */
	for (cut = same < LEARNED_MAX ? same : LEARNED_MAX; cut >= 2 && n - cut <= OOM_COMM_KERNEL; cut--) {
		if ((s[cut - 1] != ' ' && s[cut - 1] != '\t') || !report_line(s + cut, len - cut))
			continue;
		memcpy(lp->text, s, cut);
		lp->len = cut;
		lp->cand_len = 0;
		return cut;
	}
	return 0;
}
