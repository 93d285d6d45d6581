/* SPDX-License-Identifier: GPL-2.0 */
/* Text in XML and HTML files: the JUnit file and the report. */
#ifndef OOMLAB_MARKUP_H
#define OOMLAB_MARKUP_H

#include <stdio.h>

/*
 * s as character data or an attribute value: & < > " escaped; control bytes XML 1.0
 * forbids, and bytes that are not UTF-8 (a kernel log's), written as '?'.
 */
void markup_text(FILE *f, const char *s);

#endif
