/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The placeholders a case's run line may hold. Each stands for something outside the
 * processes that outlives them, which the harness makes for the case, journals and
 * removes after it. One option of one stressor takes each (its option table says
 * which); in a case that option takes nothing else.
 */
#ifndef OOMLAB_PLACEHOLDERS_H
#define OOMLAB_PLACEHOLDERS_H

#include <stdbool.h>
#include <stddef.h>

enum placeholder {
	PH_SWAPFILE,   /* {swapfile}: the case's own swap file (swap = SIZE) */
	PH_TMPFILE,    /* {tmpfile}: a file on the tmpfs, one per role */
	PH_IPCKEY,     /* {ipckey}: a SysV IPC key, one per role */
	PH_COUNT,
};

struct placeholder_info {
	const char *text;      /* "{tmpfile}" */
	const char *what;      /* why a case must use it, for messages */
};

extern const struct placeholder_info placeholders[PH_COUNT];

/* The placeholder text begins with; -1 when it begins with none. */
int placeholder_at(const char *text);

/* Does text hold this placeholder anywhere? */
bool placeholder_in(const char *text, enum placeholder ph);

/* "{swapfile}, {tmpfile}, {ipckey}", for messages. */
void placeholder_names(char *out, size_t len);

/* The first '{' in text that begins no placeholder, or NULL. */
const char *placeholder_unknown(const char *text);

#endif
