// SPDX-License-Identifier: GPL-2.0
#include "klog/logscan.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "klog/learnprefix.h"
#include "klog/logjoin.h"
#include "klog/logline.h"
#include "klog/kmsg.h"
#include "shared/arrays.h"

#define CHUNK ((size_t)1 << 20)          /* read() size */
#define BACK ((size_t)256 << 10)         /* kept behind the scan position */
#define OPENER_REACH ((size_t)64 << 10)  /* how far back a headerless report may start */
#define LINE_CUT ((size_t)1 << 20)       /* a longer line is taken in pieces */
#define PAD 64                           /* zero bytes after the data, for the block loads */

typedef unsigned long long u64;

struct text {
	char *s;
	size_t len, cap;
};

struct scan {
	int fd;                   /* the source: a file descriptor, or memory */
	const char *mem;
	size_t mem_len, mem_off;
	char *buf;                /* input bytes [base, base + len) */
	size_t cap, len;
	u64 base;
	bool eof;
	u64 nl_pos;               /* nl_count newlines lie before input offset nl_pos */
	long nl_count;
	u64 fed;                  /* input before this offset is done with */
	struct oom_parser *parser;
	const struct oom_report *report; /* what the parser found so far */
	struct text pend;         /* the logical line not yet given to the parser */
	long pend_line;
	double pend_ts;
	bool have_pend, kmsg_log;
	bool kernel_lines;        /* a line with a kernel log prefix was seen */
	struct learned_prefix learned; /* a prefix no rule knows, learned from a report */
	u64 checked;              /* input before this offset was looked at for one */
	struct text piece;        /* scratch: one physical line unescaped */
};

static int text_set(struct text *t, const char *s, size_t n, bool append)
{
	size_t need = (append ? t->len : 0) + n + 1;

	if (need > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *grown;

		while (cap < need)
			cap *= 2;
		grown = realloc(t->s, cap);
		if (!grown)
			return -1;
		t->s = grown;
		t->cap = cap;
	}
	if (!append)
		t->len = 0;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

static const char *at(const struct scan *s, u64 off)
{
	return s->buf + (off - s->base);
}

static u64 data_end(const struct scan *s)
{
	return s->base + s->len;
}

/* Read more, keeping what lies from BACK before keep_from on. */
static int refill(struct scan *s, u64 keep_from)
{
	u64 keep = keep_from > s->base + BACK ? keep_from - BACK : s->base;
	size_t want = CHUNK;
	ssize_t got;

	if (s->mem && s->mem_len - s->mem_off < want)
		want = s->mem_len - s->mem_off;
	if (keep > s->base) {
		memmove(s->buf, at(s, keep), (size_t)(data_end(s) - keep));
		s->len = (size_t)(data_end(s) - keep);
		s->base = keep;
	}
	if (!s->buf || s->cap - s->len < want) {
		char *grown = realloc(s->buf, s->len + want + PAD);

		if (!grown)
			return -1;
		s->buf = grown;
		s->cap = s->len + want;
	}
	if (s->mem) {
		got = (ssize_t)want;
		memcpy(s->buf + s->len, s->mem + s->mem_off, want);
		s->mem_off += want;
	} else {
		do
			got = read(s->fd, s->buf + s->len, want);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return -1;
	}
	if (got == 0)
		s->eof = true;
	s->len += (size_t)got;
	memset(s->buf + s->len, 0, PAD);
	return 0;
}

/* Newlines before input offset off (which must be in the buffer, as nl_pos is). */
static long newlines_before(struct scan *s, u64 off)
{
	const char *p = at(s, s->nl_pos), *end = at(s, off);

	if (off >= s->nl_pos) {
		while ((p = memchr(p, '\n', (size_t)(end - p))))
			s->nl_count++, p++;
	} else {
		for (p = end; (p = memchr(p, '\n', (size_t)(at(s, s->nl_pos) - p))); p++)
			s->nl_count--;
	}
	s->nl_pos = off;
	return s->nl_count;
}

static int feed(struct scan *s, const char *text, long line, double ts)
{
	int rc = oom_parser_line(s->parser, text, line, ts);

	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

/* Give the pending line to the parser: 1 when a report is still open, 0 when not, -1. */
static int feed_pending(struct scan *s)
{
	if (!s->have_pend)
		return 0;
	s->have_pend = false;
	return feed(s, s->pend.s, s->pend_line, s->pend_ts);
}

/*
 * One physical line, prefix gone, into logical lines: the escaped newlines of a kmsg
 * record (\x0a) or of rsyslog (#012) end lines; rsyslog's #011 is a tab. Every line but
 * the last goes to the parser now; the last becomes the pending line.
 */
static int take_pieces(struct scan *s, const struct logline *ll, long line)
{
	const char *p;
	char *q, *start;

	if (text_set(&s->piece, ll->text, ll->len, false))
		return -1;
	if (ll->kmsg)
		s->piece.len = kmsg_unescape(s->piece.s, s->piece.s, s->piece.len);
	if (memmem(s->piece.s, s->piece.len, "#012", 4)) {
		for (q = s->piece.s, p = s->piece.s; p < s->piece.s + s->piece.len; p++) {
			if (p[0] == '#' && p[1] == '0' && p[2] == '1' && (p[3] == '2' || p[3] == '1')) {
				*q++ = p[3] == '2' ? '\n' : '\t';
				p += 3;
			} else {
				*q++ = *p;
			}
		}
		s->piece.len = (size_t)(q - s->piece.s);
	}
	s->piece.s[s->piece.len] = '\0';
	for (start = s->piece.s; (q = strchr(start, '\n')); start = q + 1) {
		*q = '\0';
		if (feed(s, start, line, ll->ts) < 0)
			return -1;
	}
	if (text_set(&s->pend, start, strlen(start), false))
		return -1;
	s->pend_line = line;
	s->pend_ts = ll->ts;
	s->have_pend = true;
	return 0;
}

/*
 * Take off a prefix learned from the report (learnprefix.h), learning it from the
 * trigger line still pending and this line when they share one.
 */
static void take_learned_prefix(struct scan *s, struct logline *ll)
{
	size_t k = learned_at(&s->learned, ll->text, ll->len);

	if (!k && s->learned.cand_len && s->have_pend &&
	    (k = learn_from_next(&s->learned, ll->text, ll->len)) &&
	    learned_at(&s->learned, s->pend.s, s->pend.len)) {
		memmove(s->pend.s, s->pend.s + k, s->pend.len - k + 1);
		s->pend.len -= k;
	}
	if (k) {
		ll->text += k;
		ll->len -= k;
		ll->prefixed = true;
	}
	learn_note_trigger(&s->learned, ll->text, ll->len);
}

/*
 * From the line at input offset start on, lines go to the parser until a report is
 * no longer open. Returns the offset where fast scanning goes on, or -1 (errno set).
 */
static long long slow_feed(struct scan *s, u64 start)
{
	long line = newlines_before(s, start) + 1;
	u64 p = start;
	bool first = true;

	for (;;) {
		const char *nl = NULL;
		enum logjoin join;
		struct logline ll;
		u64 next;

		while (!(nl = memchr(at(s, p), '\n', (size_t)(data_end(s) - p))) && !s->eof &&
		       data_end(s) - p < LINE_CUT)
			if (refill(s, p))
				return -1;
		if (!nl && p == data_end(s)) {
			if (feed_pending(s) < 0)
				return -1;
			break; /* the end of the input */
		}
		next = nl ? (u64)(nl - s->buf) + s->base + 1 : data_end(s);
		logline_strip(at(s, p), (size_t)(next - p), &ll);
		if (ll.kmsg)
			s->kmsg_log = true;
		if (ll.kernel)
			s->kernel_lines = true;
		take_learned_prefix(s, &ll);
		if (s->kmsg_log && !ll.prefixed && ll.len && ll.text[0] == ' ') {
			/* a " KEY=value" line of the kmsg record before: not text */
		} else if (s->have_pend && !ll.prefixed &&
			   (join = logjoin_decide(s->pend.s, s->pend.len, ll.text, ll.len)) != JOIN_NO) {
			if ((join == JOIN_SPACE && text_set(&s->pend, " ", 1, true)) ||
			    text_set(&s->pend, ll.text, ll.len, true))
				return -1;
		} else {
			int open = feed_pending(s);

			if (open < 0)
				return -1;
			if (!open && !first)
				break; /* the report ended: scan fast again from this line */
			if (take_pieces(s, &ll, line))
				return -1;
		}
		first = false;
		p = next;
		if (nl)
			line++;
	}
	s->nl_pos = p;
	s->nl_count = line - 1;
	return (long long)p;
}

static bool is_anchor(const char *p)
{
	return !memcmp(p, "of memory", 9) || !memcmp(p, "oom-killer", 10) ||
	       !memcmp(p, "oom_reaper", 10);
}

/* The start of the line holding off, not before lo. */
static u64 line_start(const struct scan *s, u64 off, u64 lo)
{
	const char *p = at(s, off), *b = at(s, lo);

	while (p > b && p[-1] != '\n')
		p--;
	return (u64)(p - s->buf) + s->base;
}

/* The start of the line before the one starting at off, not before lo; off when none. */
static u64 line_before(const struct scan *s, u64 off, u64 lo)
{
	return off > lo ? line_start(s, off - 1, lo) : off;
}

/* Is the line [off, end) a task table row or header, prefix gone? */
static bool is_table_line(const struct scan *s, u64 off, u64 end)
{
	struct logline ll;

	logline_strip(at(s, off), (size_t)(end - off), &ll);
	return oom_table_line(ll.text, ll.len);
}

/*
 * A kill line with no report open: the report's header may have been cut off (a
 * partial paste, a rate-limited header). Its lines may start at the last opener before
 * it ("memory: usage", "Task in ... killed as a result of limit of", "oom-kill:", a task
 * table, Mem-Info, a warning's first line, or a CPU: line when one of those follows
 * it), or at the first of the task table rows right before it (a paste of a few rows).
 */
static u64 headerless_start(const struct scan *s, u64 start)
{
	/* (a warning's start too: the parser must see it to leave its CPU: line alone) */
	static const char *const openers[] = { "memory: usage ", " killed as a result of limit of ",
					       "oom-kill:", "Tasks state (memory values in pages)",
					       "Mem-Info:", "Mem-info:", "_adj name", " page allocation failure: ",
					       "WARNING: ", "BUG: ", "CPU: " };
	u64 lo = start > s->fed + OPENER_REACH ? start - OPENER_REACH : s->fed, best = start, row;
	size_t i;

	if (lo < s->base)
		lo = s->base;
	for (i = 0; i < ARRAY_SIZE(openers); i++) {
		const char *p = at(s, lo), *end = at(s, start), *hit = NULL;
		bool cpu = !strcmp(openers[i], "CPU: ");

		while ((p = memmem(p, (size_t)(end - p), openers[i], strlen(openers[i])))) {
			hit = p;
			p++;
		}
		/* a CPU: line only when another opener comes after it: warnings print one too */
		if (hit && (u64)(hit - s->buf) + s->base < best && (!cpu || best < start))
			best = line_start(s, (u64)(hit - s->buf) + s->base, lo);
	}
	for (row = line_before(s, best, lo); row < best && is_table_line(s, row, best);
	     row = line_before(s, best, lo))
		best = row;
	return best;
}

/* An anchor word at input offset off: parse from its line (or earlier) on. */
static long long anchor(struct scan *s, u64 off)
{
	u64 lo = s->fed > s->base ? s->fed : s->base;
	u64 start = line_start(s, off, lo);

	if (!memcmp(at(s, off), "of memory", 9))
		start = headerless_start(s, start);
	return slow_feed(s, start);
}

/* Candidates in 16 bytes at p: an 'o' followed by "f" and "y" 8 on, or "o" and "r" 9 on. */
static unsigned candidates(const unsigned char *p, unsigned *newlines)
{
#ifdef __SSE2__
	const __m128i o = _mm_set1_epi8('o'), f = _mm_set1_epi8('f'), y = _mm_set1_epi8('y'),
		      r = _mm_set1_epi8('r'), lf = _mm_set1_epi8('\n');
	__m128i a = _mm_loadu_si128((const __m128i *)p);
	__m128i a1 = _mm_loadu_si128((const __m128i *)(p + 1));
	__m128i a8 = _mm_loadu_si128((const __m128i *)(p + 8));
	__m128i a9 = _mm_loadu_si128((const __m128i *)(p + 9));
	__m128i of = _mm_and_si128(_mm_cmpeq_epi8(a1, f), _mm_cmpeq_epi8(a8, y));
	__m128i oo = _mm_and_si128(_mm_cmpeq_epi8(a1, o), _mm_cmpeq_epi8(a9, r));

	*newlines = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, lf));
	return (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, o), _mm_or_si128(of, oo)));
#else
	unsigned m = 0, k;

	*newlines = 0;
	for (k = 0; k < 16; k++) {
		if (p[k] == '\n')
			*newlines |= 1u << k;
		if (p[k] == 'o' && ((p[k + 1] == 'f' && p[k + 8] == 'y') || (p[k + 1] == 'o' && p[k + 9] == 'r')))
			m |= 1u << k;
	}
	return m;
#endif
}

/*
 * Until a line with a kernel log prefix is seen, the lines the fast scan passes over are
 * looked at one by one for one: a file with none is not a kernel log.
 */
static void look_for_kernel_lines(struct scan *s, u64 to)
{
	const char *p, *end = at(s, to), *nl;
	struct logline ll;

	/* from the start of the first line not looked at (a line cut by the last read) */
	for (p = at(s, s->checked > s->base ? s->checked : s->base); p < end && !s->kernel_lines;
	     p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			if (!s->eof || to != data_end(s))
				break; /* the rest of this line comes with the next read */
			nl = end;
		}
		logline_strip(p, (size_t)(nl - p), &ll);
		s->kernel_lines = ll.kernel;
		s->checked = (u64)(nl - s->buf) + s->base + 1;
	}
}

static int scan(struct scan *s)
{
	u64 pos = 0;

	for (;;) {
		size_t avail = (size_t)(data_end(s) - pos), limit, i;
		const unsigned char *p;
		long count;
		bool jumped = false;

		if (!s->eof && avail < 4 * PAD) {
			if (refill(s, pos))
				return -1;
			continue;
		}
		if (!avail)
			return 0;
		p = (const unsigned char *)at(s, pos);
		limit = s->eof ? avail : avail - 2 * PAD;
		if (!s->kernel_lines && !s->report->n) /* an OOM report is a kernel log too */
			look_for_kernel_lines(s, pos + limit);
		count = s->nl_count;
		for (i = 0; i < limit && !jumped; i += 16) {
			unsigned newlines, m = candidates(p + i, &newlines);

			while (m) {
				unsigned k = (unsigned)__builtin_ctz(m);
				long long next;

				m &= m - 1;
				if (i + k >= avail || !is_anchor((const char *)p + i + k))
					continue;
				s->nl_pos = pos + i;
				s->nl_count = count;
				next = anchor(s, pos + i + k);
				if (next < 0)
					return -1;
				s->fed = pos = (u64)next;
				jumped = true;
				break;
			}
			if (!jumped)
				count += __builtin_popcount(newlines & (i + 16 > avail ? (1u << (avail - i)) - 1 : 0xffffu));
		}
		if (!jumped) {
			/* (fed stays where the last report ended: a headerless one may start
			 * before this window) */
			pos += i > avail ? avail : i;
			s->nl_pos = pos;
			s->nl_count = count;
		}
	}
}

static int run(struct scan *s, struct oom_report *out, struct logscan_info *info)
{
	int rc = -1, err = ENOMEM;

	s->report = out;
	s->parser = oom_parser_new(out);
	if (s->parser) {
		rc = scan(s);
		err = errno;
		oom_parser_end(s->parser);
	}
	if (rc) {
		oom_report_free(out);
		errno = err;
	} else if (info) {
		info->lines = s->nl_count + (s->len && s->buf[s->len - 1] != '\n');
		info->kernel_lines = s->kernel_lines || out->n;
	}
	free(s->buf);
	free(s->pend.s);
	free(s->piece.s);
	return rc;
}

int logscan_fd(int fd, struct oom_report *out, struct logscan_info *info)
{
	struct scan s = { .fd = fd };

	return run(&s, out, info);
}

int logscan_mem(const char *data, size_t len, struct oom_report *out, struct logscan_info *info)
{
	struct scan s = { .fd = -1, .mem = data ? data : "", .mem_len = data ? len : 0 };

	return run(&s, out, info);
}
