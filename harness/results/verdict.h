/* SPDX-License-Identifier: GPL-2.0 */
/* A case's verdict, as KTAP prints it and the results files name it. */
#ifndef OOMLAB_VERDICT_H
#define OOMLAB_VERDICT_H

enum verdict { V_PASS, V_FAIL, V_SKIP, V_TIMEOUT, V_ERROR };

/* "pass", "fail", "skip", "timeout", "error". */
const char *verdict_word(enum verdict v);

#endif
