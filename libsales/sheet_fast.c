/*
 * sheet_fast.c - the reader's fast path (see sheet_impl.h).
 */
#include "sheet_impl.h"
#include "buf.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- the fast path ----
 *
 * Most records are plain: UTF-8 (or ASCII) cells, quoted or not, complete
 * in the window.  fast_record tokenizes such a record in one pass over its
 * bytes, validating UTF-8 as it goes, and produces exactly what libcsv fed
 * line by line would (CSV_STRICT, no space trimming).  Anything else - a
 * blank line, a stray quote, a NUL byte, bytes that are not UTF-8, a
 * GB18030 file, the first line end of the file - goes to the libcsv path,
 * which also writes every error message.
 */

/* Bytes that end an unquoted cell / stop the scan of a quoted one. */
static const unsigned char fast_plain[256] = {
	[0] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
};
static const unsigned char fast_quoted[256] = {
	[0] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1,
};
/* First bytes after which sales_cell_needs_escape may say yes. */
static const unsigned char fast_formula_lead[256] = {
	['\''] = 1, ['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1, ['\t'] = 1,
	['\r'] = 1, [0xEF] = 1,
};

static inline const unsigned char *scan_plain(const unsigned char *p,
					      const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	const __m128i zero = _mm_setzero_si128();

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, comma),
				     _mm_cmpeq_epi8(v, quote)),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr),
						  _mm_cmpeq_epi8(v, lf)),
				     _mm_cmpeq_epi8(v, zero)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);

		if (bits)
			return p + __builtin_ctz(bits);
		p += 16;
	}
#endif
	while (p < end && !fast_plain[*p])
		p++;
	return p;
}

static inline const unsigned char *scan_quoted(const unsigned char *p,
					       const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	const __m128i zero = _mm_setzero_si128();

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(v, quote),
				     _mm_cmpeq_epi8(v, zero)),
			_mm_or_si128(_mm_cmpeq_epi8(v, cr),
				     _mm_cmpeq_epi8(v, lf)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);

		if (bits)
			return p + __builtin_ctz(bits);
		p += 16;
	}
#endif
	while (p < end && !fast_quoted[*p])
		p++;
	return p;
}

/*
 * 0 when [p, end) is ASCII, 1 when it is valid UTF-8 with other bytes, -1
 * when it is not UTF-8.  A record's cells are cut at ASCII bytes (commas,
 * quotes, line ends), so its bytes are valid exactly when every cell is.
 * Bytes up to limit (>= end) may be read, never judged.
 *
 * 16 bytes at a time while they are ASCII and CJK-range characters (lead
 * E1..EC or EE..EF, then two continuation bytes - sales_utf8_length's
 * first case), a sequence running on into the next block carried over;
 * anything else is judged by sales_utf8_length from the character it is
 * in on.
 */
static int fast_utf8_span(const unsigned char *p, const unsigned char *end,
			  const unsigned char *limit)
{
	int high = 0;

#ifdef __SSE2__
	const __m128i cont = _mm_set1_epi8(-64), f0 = _mm_set1_epi8((char)0xF0);
	const __m128i e0 = _mm_set1_epi8((char)0xE0), ed = _mm_set1_epi8((char)0xED);
	unsigned need = 0;   /* bits 0-1: continuation bytes still owed */
	size_t left;

#define UTF8_BLOCK(mask, fail) do {					\
		unsigned c_, l_, want_;					\
									\
		/* as signed bytes continuations are -128..-65 */	\
		c_ = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, cont)) & (mask); \
		l_ = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(	\
			_mm_or_si128(_mm_cmpeq_epi8(v, e0), _mm_cmpeq_epi8(v, ed)), \
			_mm_cmpeq_epi8(_mm_and_si128(v, f0), e0))) & (mask); \
		want_ = need | l_ << 1 | l_ << 2;			\
		if (((want_ ^ c_) & 0xFFFFu) | (hi & ~(c_ | l_)) |	\
		    (want_ & ~(mask) & 0xFFFFu))			\
			fail;						\
		need = want_ >> 16;					\
		high = 1;						\
	} while (0)

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned hi = (unsigned)_mm_movemask_epi8(v);

		if (hi | need)
			UTF8_BLOCK(0xFFFFu, goto exact);
		p += 16;
	}
	/* the last bytes, in a block reaching past them */
	left = (size_t)(end - p);
	if (left && limit - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned mask = (1u << left) - 1;
		unsigned hi = (unsigned)_mm_movemask_epi8(v) & mask;

		if (hi | need)
			UTF8_BLOCK(mask, goto exact);
		p = end;
	}
#undef UTF8_BLOCK
	if (p == end && !need)
		return high;
exact:
	/* from the start of the character the block broke in */
	p -= need == 3 ? 1 : need == 1 ? 2 : 0;
#endif
	(void)limit;
	while (p < end) {
		size_t n;

		if (*p < 0x80) {
			p++;
			continue;
		}
		high = 1;
		n = sales_utf8_length(p, (size_t)(end - p));
		if (!n)
			return -1;
		p += n;
	}
	return high;
}

#define FAST_MAX_RECORD (1 << 20)

/* memcpy(out, s, len) for a cell: 16 bytes at a time when both sides have
 * room for the whole last block (src_end, out_end: how far they may be
 * read and written), a cell being a few bytes, where a call costs more
 * than the copy. */
static inline void copy_cell(char *out, const unsigned char *s, size_t len,
			     const unsigned char *src_end, const char *out_end)
{
#ifdef __SSE2__
	if ((size_t)(src_end - s) >= len + 15 &&
	    (size_t)(out_end - out) >= len + 15) {
		for (size_t i = 0; i < len; i += 16)
			_mm_storeu_si128((__m128i *)(void *)(out + i),
					 _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
		return;
	}
#endif
	(void)src_end;
	(void)out_end;
	memcpy(out, s, len);
}

/* Ends cell number n, whose text (NUL-terminated here) starts at text.
 * Returns 0, or -1 to leave the record to the libcsv path. */
static inline int fast_cell(struct sales_reader *r, size_t n, char *text,
			    size_t tlen)
{
	uint32_t flags = 0;

	text[tlen] = '\0';
	if (tlen > 0 && fast_formula_lead[(unsigned char)text[0]]) {
		/* a BOM starting a cell is an error: the libcsv path says so */
		if (tlen >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
			return -1;
		if (tlen > 1 && text[0] == '\'' &&
		    sales_cell_needs_escape(text + 1, tlen - 1)) {
			flags = SALES_CELL_ESCAPED;
			memmove(text, text + 1, tlen);
			tlen--;
		} else if (sales_cell_needs_escape(text, tlen)) {
			flags = SALES_CELL_FORMULA;
		}
	}
	if (SALES_ALLOC_GROW(r->cells, n + 1, r->ccells) < 0)
		return -1;
	r->cells[n].s = text;
	r->cells[n].len = (uint32_t)tlen;
	r->cells[n].flags = flags;
	r->fast_flags |= flags;
	return 0;
}

/* Whether s[0..n) has a byte a blank cell does not (cell_blank: spaces
 * and tabs). */
static bool has_text(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return true;
	return false;
}

/* Cell number n as a skipped one (sales_reader_set_columns): empty. */
static inline int skipped_cell(struct sales_reader *r, size_t n)
{
	if (SALES_ALLOC_GROW(r->cells, n + 1, r->ccells) < 0)
		return -1;
	r->cells[n].s = "";
	r->cells[n].len = 0;
	r->cells[n].flags = 0;
	return 0;
}

/*
 * A quoted cell at *pp (its opening quote): up to the closing quote, ""
 * standing for one quote, a line break inside counted in *lines.  With
 * out, its text is copied to *out (advanced past it); without, it is only
 * cut (a cell the caller does not read).  FAST_DONE with *pp at the byte
 * after the closing quote - which must be a comma, a line end or the end -
 * else what sheet_fast_record returns (*pp unchanged).  Inlined into both
 * callers, so each gets its own loop.
 */
static inline __attribute__((always_inline)) int
cut_quoted(const unsigned char **pp, const unsigned char *end, bool at_eof,
	   int more, long *lines, char **out)
{
	const unsigned char *p = *pp + 1, *s = p;

	for (;;) {
		p = scan_quoted(p, end);
		if (p == end)
			return at_eof ? FAST_SLOW : more;
		if (*p == '"') {
			if (p + 1 == end && !at_eof)
				return more;
			if (out) {
				memcpy(*out, s, (size_t)(p - s));
				*out += p - s;
			}
			if (p + 1 < end && p[1] == '"') {
				if (out)
					*(*out)++ = '"';
				p += 2;
				s = p;
				continue;
			}
			p++;
			break;
		}
		if (*p == '\0')
			return FAST_SLOW;
		if (*p == '\r') {
			if (p + 1 == end && !at_eof)
				return more;
			if (p + 1 < end && p[1] == '\n')
				p++;
		}
		p++;
		(*lines)++;
	}
	/* after the closing quote: a comma, a line end or the end */
	if (p < end && *p != ',' && *p != '\r' && *p != '\n')
		return FAST_SLOW;
	*pp = p;
	return FAST_DONE;
}

/* Cuts a cell the caller does not read (sales_reader_set_columns) at *pp
 * as sheet_fast_record cuts one, judging what it judges (a quote inside,
 * a NUL, a BOM starting it), without copying; *text set when it holds a
 * byte other than blanks.  FAST_DONE with *pp at the byte ending it,
 * else what sheet_fast_record returns. */
static inline int skip_cell(const unsigned char **pp, const unsigned char *end,
			    bool at_eof, int more, long *lines, bool *text)
{
	const unsigned char *p = *pp, *s = p;

	if (p < end && *p == '"') {
		int rc = cut_quoted(&p, end, at_eof, more, lines, NULL);

		if (rc != FAST_DONE)
			return rc;
		s++;   /* its text: between the quotes */
		if (!*text)
			*text = has_text(s, (size_t)(p - 1 - s));
		if (p - 1 - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			return FAST_SLOW;
	} else {
		p = scan_plain(p, end);
		if (p < end && (*p == '"' || *p == '\0'))
			return FAST_SLOW;
		if (!*text)
			*text = has_text(s, (size_t)(p - s));
		if (p - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
			return FAST_SLOW;
	}
	*pp = p;
	return FAST_DONE;
}

/*
 * The fast path: most records are plain - UTF-8 (or ASCII) cells, quoted or
 * not, complete in the window.  fast_record cuts such a record into cells
 * with SIMD scans and checks its UTF-8 in one pass, giving exactly what
 * libcsv fed line by line gives (CSV_STRICT, no space trimming).  Anything
 * else - a blank line, a stray quote, a NUL byte, bytes that are not UTF-8,
 * non-ASCII bytes in a GB18030 file, the first line end of the file - is
 * left to the libcsv path, which also writes every error message.  Returns
 * FAST_DONE with r->row filled, FAST_MORE when the record does not end in
 * the window yet (nothing changed), FAST_SLOW (nothing changed).
 */
int sheet_fast_record(struct sales_reader *r)
{
	const unsigned char *base = (const unsigned char *)r->win + r->wpos;
	const unsigned char *end = (const unsigned char *)r->win + r->wlen;
	const unsigned char *p = base;
	size_t ncells = 0;
	long lines = 0;
	char *out;
	int utf8;
	bool skipped_text = false;
	/* a record longer than FAST_MAX_RECORD is left to libcsv, so the
	 * reservation below stays small even when the window is a whole file */
	bool capped = end - base > FAST_MAX_RECORD;
	bool at_eof = r->eof && !capped;
	int more = capped ? FAST_SLOW : FAST_MORE;

	if (capped)
		end = base + FAST_MAX_RECORD;
	if (p == end)
		return r->eof ? FAST_SLOW : FAST_MORE;
	if (r->slow_only || *p == '\r' || *p == '\n' || !r->eol_known ||
	    (size_t)(end - base) > UINT32_MAX - 2)
		return FAST_SLOW;
	/* a cell's text is never longer than its bytes: one reservation, so
	 * cell pointers stay put */
	sales_buf_reset(&r->arena);
	if (sales_buf_grow(&r->arena, 2 * (size_t)(end - base) + 2) < 0)
		return FAST_SLOW;
	r->fast_flags = 0;
	out = r->arena.data;
	for (;;) {
		char *text = out;

		if (ncells < r->nskip && r->skip[ncells]) {
			/* a cell the caller does not read */
			int rc = skip_cell(&p, end, at_eof, more, &lines,
					   &skipped_text);

			if (rc != FAST_DONE)
				return rc;
			if (skipped_cell(r, ncells) < 0)
				return FAST_SLOW;
		} else {
			if (p < end && *p == '"') {
				int rc = cut_quoted(&p, end, at_eof, more,
						    &lines, &out);

				if (rc != FAST_DONE)
					return rc;
			} else {
				const unsigned char *s = p;

				p = scan_plain(p, end);
				if (p < end && (*p == '"' || *p == '\0'))
					return FAST_SLOW;
				copy_cell(out, s, (size_t)(p - s), end,
					  r->arena.data + r->arena.cap);
				out += p - s;
			}
			if (fast_cell(r, ncells, text, (size_t)(out - text)) < 0)
				return FAST_SLOW;
			out = text + r->cells[ncells].len + 1;
		}
		ncells++;
		if (p == end) {
			if (!at_eof)
				return more;
			break;   /* the last record, without a line end */
		}
		if (*p == ',') {
			p++;
			if (p == end && !at_eof)
				return more;
			continue;
		}
		/* a line end ends the record */
		if (*p == '\r') {
			if (p + 1 == end && !at_eof)
				return more;
			if (p + 1 < end && p[1] == '\n')
				p++;
		}
		p++;
		lines++;
		break;
	}
	utf8 = fast_utf8_span(base, p, end);
	if (utf8 < 0 || (utf8 > 0 && r->enc == SALES_ENC_GB18030))
		return FAST_SLOW;
	if (utf8 > 0 && r->enc == SALES_ENC_AUTO) {
		sheet_decide_encoding(r, r->wpos);
		if (r->enc != SALES_ENC_UTF8)
			return FAST_SLOW;
	}
	r->arena.len = (size_t)(out - r->arena.data);
	r->rec_start = r->wpos;
	r->rec_line = r->line;
	r->rec_excel_row = r->excel_row;
	r->wpos += (size_t)(p - base);
	r->line += lines;
	r->row.cells = r->cells;
	r->row.ncells = ncells;
	r->row.line = r->rec_line;
	r->row.excel_row = r->rec_excel_row;
	r->row.offset = r->win_off + (off_t)r->rec_start;
	r->row.length = (size_t)(p - base);
	r->row.raw = r->win + r->rec_start;
	r->row.flags = (r->fast_flags & SALES_CELL_FORMULA) |   /* none lenient */
		       (skipped_text ? SHEET_ROW_SKIPPED_TEXT : 0);
	r->excel_row++;
	return FAST_DONE;
}

/*
 * Parses until one record is complete.  Returns 1 with r->row filled, 0 at
 * end of file, -1 on error.
 */

/* ---- the filter's skip (sales_reader_set_filter) ----
 *
 * A record the fast path would cut (no quote, no NUL, complete in the
 * window, a line end) is judged on its raw bytes alone: with no quote its
 * cells are exactly the bytes between its commas (an escaped "'=..." cell
 * only loses its first byte), so a cell equal to the filter text, trimmed,
 * holds the text's bytes and a record without them holds no such cell.  It
 * is dropped only when reading it fully could say nothing: its UTF-8 is
 * checked as the fast path checks it, and anything the fast path would
 * leave to libcsv (which writes the messages) is left to the full read.
 */

/* Whether s[0..n) holds t[0..m) (1 <= m), reading no further than
 * s[avail - 1] (avail >= n): the SIMD first-and-last-byte search, the
 * candidates compared in full. */
static bool holds_text(const unsigned char *s, size_t n, size_t avail,
		       const unsigned char *t, size_t m)
{
	size_t i = 0;

	if (m > n)
		return false;
#ifdef __SSE2__
	{
		const __m128i first = _mm_set1_epi8((char)t[0]);
		const __m128i last = _mm_set1_epi8((char)t[m - 1]);

		for (; i + m <= n && i + m - 1 + 16 <= avail; i += 16) {
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + m - 1));
			unsigned bits = (unsigned)_mm_movemask_epi8(_mm_and_si128(
				_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));

			/* only the starts that leave the text inside s[0..n) */
			if (n - m - i < 15)
				bits &= (2u << (n - m - i)) - 1;
			while (bits) {
				size_t k = i + (size_t)__builtin_ctz(bits);

				if (m <= 2 || !memcmp(s + k + 1, t + 1, m - 2))
					return true;
				bits &= bits - 1;
			}
		}
	}
#endif
	for (; i + m <= n; i++)
		if (s[i] == t[0] && s[i + m - 1] == t[m - 1] &&
		    (m <= 2 || !memcmp(s + i + 1, t + 1, m - 2)))
			return true;
	return false;
}

/* Bits set in each byte value. */
static const unsigned char bits_in[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
	B6(0), B6(1), B6(1), B6(2)
#undef B2
#undef B4
#undef B6
};

/* Drops the record at r->wpos when the filter rules it out: FAST_DONE
 * (dropped: position, line and Excel row moved past it), FAST_MORE when it
 * does not end in the window yet, FAST_SLOW to read it fully (nothing
 * changed for either).  Cut as sheet_fast_record cuts, without copying:
 * 16 bytes at a time outside quotes, each quoted cell scanned to its
 * closing quote. */
int sheet_fast_skip(struct sales_reader *r)
{
	const unsigned char *base = (const unsigned char *)r->win + r->wpos;
	const unsigned char *end = (const unsigned char *)r->win + r->wlen;
	const unsigned char *p = base, *q, *e, *ks = NULL, *ke = NULL;
	bool capped = end - base > FAST_MAX_RECORD;
	bool at_eof = r->eof && !capped;
	int more = capped ? FAST_SLOW : FAST_MORE;
	size_t cell = 0, key = r->filter_key >= 0 ? (size_t)r->filter_key :
			      SIZE_MAX;
	unsigned start = 1;   /* bit 0: p starts a cell */
	long lines = 0;
	int rc;

	if (capped)
		end = base + FAST_MAX_RECORD;
	if (p == end)
		return r->eof ? FAST_SLOW : FAST_MORE;
	if (r->slow_only || *p == '\r' || *p == '\n' || !r->eol_known)
		return FAST_SLOW;
	if (key == 0)
		ks = base;
	for (;;) {
		unsigned stop = 0, comma = 0, ef = 0, n;

#ifdef __SSE2__
		if (end - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

			stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
					     _mm_cmpeq_epi8(v, _mm_setzero_si128())),
				_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
					     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')))));
			comma = (unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
			ef = (unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)));
			n = 16;
		} else
#endif
		{
			n = (unsigned)(end - p < 16 ? end - p : 16);
			for (unsigned i = 0; i < n; i++) {
				unsigned char c = p[i];

				stop |= (unsigned)(c == '"' || c == '\0' ||
						   c == '\r' || c == '\n') << i;
				comma |= (unsigned)(c == ',') << i;
				ef |= (unsigned)(c == 0xEF) << i;
			}
		}
		if (stop) {
			unsigned below = (1u << __builtin_ctz(stop)) - 1;

			comma &= below;
			ef &= below;
		}
		/* a cell starting with 0xEF may start with a BOM: the full
		 * read says what that is */
		if (ef & (start | comma << 1))
			return FAST_SLOW;
		if (key != SIZE_MAX && cell <= key) {
			/* up to the key cell's end, comma by comma */
			for (unsigned m = comma; m; m &= m - 1) {
				const unsigned char *at = p + __builtin_ctz(m);

				if (cell == key && !ke)
					ke = at;
				if (++cell == key)
					ks = at + 1;
			}
		} else {
			cell += bits_in[comma & 0xFF] + bits_in[comma >> 8];
		}
		if (!stop) {
			p += n;
			if (p == end)
				return at_eof ? FAST_SLOW : more;
			start = comma >> (n - 1) & 1;
			continue;
		}
		q = p + __builtin_ctz(stop);
		if (*q != '"')
			break;
		/* a quote opens a cell or is the full read's to judge */
		if (q != base && q[-1] != ',')
			return FAST_SLOW;
		if (q + 1 < end && q[1] == 0xEF)
			return FAST_SLOW;
		p = q;
		rc = cut_quoted(&p, end, at_eof, more, &lines, NULL);
		if (rc != FAST_DONE)
			return rc;
		if (cell == key) {
			ks = q + 1;
			ke = p - 1;   /* the closing quote */
		}
		/* past the closing quote: a comma or the line end, which
		 * this record needs in the window */
		if (p == end)
			return at_eof ? FAST_SLOW : more;
		start = 0;
	}
	if (*q == '\0')
		return FAST_SLOW;
	/* a line end at q; a cell past the header is the full read's */
	if (cell + 1 > r->width)
		return FAST_SLOW;
	e = q;
	p = q;
	if (*p == '\r') {
		if (p + 1 == end && !at_eof)
			return more;
		if (p + 1 < end && p[1] == '\n')
			p++;
	}
	p++;
	lines++;
	if (r->enc == SALES_ENC_UTF8 ? fast_utf8_span(base, e, end) < 0 :
	    !sheet_all_ascii((const char *)base, (size_t)(e - base)))
		return FAST_SLOW;
	if (holds_text(base, (size_t)(e - base), (size_t)(end - base),
		       (const unsigned char *)r->filter, r->filter_len))
		return FAST_SLOW;
	if (key != SIZE_MAX) {
		/* a fill-down continuation (blank key cell) belongs to the
		 * record before it: dropped with it, else read */
		bool blank = true;

		if (cell == key && !ke)
			ke = e;
		for (; ks && ke && ks < ke; ks++)
			if (*ks != ' ' && *ks != '\t') {
				blank = false;
				break;
			}
		if (blank && !r->filter_dropped)
			return FAST_SLOW;
		r->filter_dropped = true;
	}
	r->wpos += (size_t)(p - base);
	r->line += lines;
	r->excel_row++;
	return FAST_DONE;
}
