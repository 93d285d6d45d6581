/* SPDX-License-Identifier: GPL-2.0 */
/* UTF-8 as the JSON, XML and HTML writers must emit it. */
#ifndef OOMLAB_UTF8_H
#define OOMLAB_UTF8_H

/*
 * The length of the valid UTF-8 sequence at s (1 for ASCII), or 0 when it is not one:
 * a stray continuation byte, a cut sequence, an overlong form, a surrogate, or a code
 * point above U+10FFFF.
 */
int utf8_seq_len(const unsigned char *s);

#endif
