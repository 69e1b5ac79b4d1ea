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

#ifdef __SSE2__
/*
 * How many of the 16 bytes at p (a character boundary) are whole ASCII
 * characters and CJK-range ones (lead E1..EC or EE..EF, then two
 * continuation bytes - sales_utf8_length's first case), all valid; 0 when
 * the block holds anything else (left to sales_utf8_length).  A sequence
 * cut by the block's end is left for the next block.  *high is set when a
 * lead byte was seen.
 */
static inline size_t utf8_block(const unsigned char *p, int *high)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* as signed bytes: ASCII >= 0, continuations -128..-65 */
	unsigned a = (unsigned)_mm_movemask_epi8(
		_mm_cmpgt_epi8(v, _mm_set1_epi8(-1)));
	unsigned c = (unsigned)_mm_movemask_epi8(
		_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
	__m128i e = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xF0)),
				   _mm_set1_epi8((char)0xE0));
	__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
				   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)));
	unsigned l = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, e));
	/* the continuation bytes the leads in 0..13 call for */
	unsigned want = ((l & 0x3FFFu) << 1 | (l & 0x3FFFu) << 2) & 0xFFFFu;
	unsigned keep;
	size_t k;

	if (a == 0xFFFFu)
		return 16;
	if ((a | c | l) != 0xFFFFu)
		return 0;
	/* a lead in 14 or 15 starts the next block */
	k = l & 0x4000u ? 14 : l & 0x8000u ? 15 : 16;
	keep = (1u << k) - 1;
	if ((want & ~keep) || (c & keep) != want)
		return 0;
	*high = 1;
	return k;
}
#endif

/* 0 when [p, end) is ASCII, 1 when it is valid UTF-8 with other bytes, -1
 * when it is not UTF-8.  A record's cells are cut at ASCII bytes (commas,
 * quotes, line ends), so its bytes are valid exactly when every cell is. */
static int fast_utf8_span(const unsigned char *p, const unsigned char *end)
{
	int high = 0;

	while (p < end) {
		const unsigned char *stop = end;
		int n;

#ifdef __SSE2__
		if (end - p >= 16) {
			size_t k = utf8_block(p, &high);

			if (k) {
				p += k;
				continue;
			}
			/* the block, a character at a time */
			stop = p + 16;
		}
#endif
		while (p < stop) {
			if (*p < 0x80) {
				p++;
				continue;
			}
			high = 1;
			n = (int)sales_utf8_length(p, (size_t)(end - p));
			if (!n)
				return -1;
			p += n;
		}
	}
	return high;
}

#define FAST_MAX_RECORD (1 << 20)

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

		if (p < end && *p == '"') {
			/* quoted: up to the closing quote, "" is one quote */
			const unsigned char *s = ++p;

			for (;;) {
				p = scan_quoted(p, end);
				if (p == end)
					return at_eof ? FAST_SLOW : more;
				if (*p == '"') {
					if (p + 1 == end && !at_eof)
						return more;
					memcpy(out, s, (size_t)(p - s));
					out += p - s;
					if (p + 1 < end && p[1] == '"') {
						*out++ = '"';
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
				lines++;
			}
			/* after the closing quote: a comma, a line end or the end */
			if (p < end && *p != ',' && *p != '\r' && *p != '\n')
				return FAST_SLOW;
		} else {
			const unsigned char *s = p;

			p = scan_plain(p, end);
			if (p < end && (*p == '"' || *p == '\0'))
				return FAST_SLOW;
			memcpy(out, s, (size_t)(p - s));
			out += p - s;
		}
		if (fast_cell(r, ncells, text, (size_t)(out - text)) < 0)
			return FAST_SLOW;
		out = text + r->cells[ncells].len + 1;
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
	utf8 = fast_utf8_span(base, p);
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
	r->row.flags = r->fast_flags & SALES_CELL_FORMULA;   /* none lenient */
	r->excel_row++;
	return FAST_DONE;
}

/*
 * Parses until one record is complete.  Returns 1 with r->row filled, 0 at
 * end of file, -1 on error.
 */
