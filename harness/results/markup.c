// SPDX-License-Identifier: GPL-2.0
#include "results/markup.h"

#include "base/utf8.h"

void markup_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int n = utf8_seq_len((const unsigned char *)s);

		if (n > 1) {
			fwrite(s, 1, (size_t)n, f);
			s += n - 1;
		} else if (n == 0) {
			fputc('?', f);
		} else if (c == '&') {
			fputs("&amp;", f);
		} else if (c == '<') {
			fputs("&lt;", f);
		} else if (c == '>') {
			fputs("&gt;", f);
		} else if (c == '"') {
			fputs("&quot;", f);
		} else if (c < 0x20 && c != '\n' && c != '\t') {
			fputc('?', f);
		} else {
			fputc(c, f);
		}
	}
}
