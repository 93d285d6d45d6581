// SPDX-License-Identifier: GPL-2.0
#include "shared/protocol.h"

#include <string.h>

const char *const ctl_words[CTL_COUNT] = {
	[CTL_READY] = "ready", [CTL_DONE] = "done", [CTL_MEMBER] = "member",
	[CTL_NOTIFY] = "notify", [CTL_MODEL] = "model", [CTL_ERROR] = "error", [CTL_GO] = "go",
};

const char *const model_fact_words[MODEL_FACTS] = {
	[MODEL_PLAIN] = "plain", [MODEL_OOM_ORIGIN] = "oom-origin",
	[MODEL_VFORK_MEMBERS] = "vfork-members",
};

int ctl_parse(const char *line, const char **arg)
{
	for (int m = 0; m < CTL_COUNT; m++) {
		size_t n = strlen(ctl_words[m]);

		if (strncmp(line, ctl_words[m], n) || (line[n] != '\0' && line[n] != ' '))
			continue;
		*arg = line[n] ? line + n + 1 : line + n;
		return m;
	}
	return -1;
}

int model_fact_named(const char *word)
{
	for (int f = 0; f < MODEL_FACTS; f++)
		if (!strcmp(word, model_fact_words[f]))
			return f;
	return -1;
}
