/*
 * sheet.c - CSV reading and writing on top of libcsv and iconv.
 *
 * libcsv gives no positions, so the reader feeds it one physical line at a
 * time (every CR or LF ends a chunk; CRLF stays together) and looks at the
 * parser's state after each chunk: that yields exact record boundaries, raw
 * byte spans for byte-identical rewrites, physical line numbers and Excel
 * row numbers, without a second tokenizer.
 */
#include "sheet.h"
#include "readahead.h"
#include "text.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define WINDOW_INITIAL (1u << 20)
#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

struct cellref {
	size_t off;
	uint32_t len;
	uint32_t flags;
};

struct sales_reader {
	int fd;                 /* -1 when reading from memory */
	char *win;              /* window over the file */
	size_t wcap, wlen, wpos;
	off_t win_off;          /* file offset of win[0] */
	bool owns_win;
	bool eof;               /* nothing more to read into the window */
	bool finished;          /* csv_fini done */
	char *name;

	enum sales_encoding enc;
	bool bom;
	enum sales_eol eol;
	bool eol_known;
	struct csv_parser parser;
	iconv_t cd;

	/* the record being parsed */
	struct sales_buf arena;
	struct cellref *refs;
	size_t nrefs, crefs;
	struct sales_cell *cells;
	size_t ccells;
	bool rec_open, rec_done;
	size_t rec_start;
	long rec_line, rec_excel_row;

	long line;              /* physical line of the byte at wpos */
	long excel_row;         /* Excel row of the next record */

	struct sales_error *cb_err;
	bool cb_failed;

	struct sales_row row;
	struct sales_row header;
	bool slow_only;                 /* $SALES_CSV_SLOW: no fast path */
	/* reading ahead in a second thread (sales_reader_next) */
	struct sales_readahead *ra;
	bool ra_tried;
	unsigned long long file_size;
	enum sales_encoding seen_enc;   /* as of the record last returned */
	enum sales_eol seen_eol;
	bool seen_eol_known;
	struct sales_buf header_text;
	struct sales_cell *header_cells;
	size_t width;
};

/* ---- small helpers ---- */

static bool all_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] & 0x80)
			return false;
	return true;
}

static const char *display_name(const struct sales_read_options *opt,
				const char *path)
{
	return opt && opt->display_name ? opt->display_name : path;
}

bool sales_cell_needs_escape(const char *s, size_t len)
{
	size_t i = 0;
	bool digits = false;
	const unsigned char *u;

	/* "'=x" itself must be stored escaped ("''=x"): the reader removes
	 * one apostrophe from a cell that would otherwise read as escaped */
	while (len > 0 && s[0] == '\'') {
		s++;
		len--;
	}
	u = (const unsigned char *)s;
	if (len == 0)
		return false;
	switch (s[0]) {
	case '=': case '@': case '\t': case '\r':
		return true;
	case '+': case '-':
		break;
	default:
		/* full-width ＝ ＋ － ＠ (EF BC 9D, EF BC 8B, EF BC 8D, EF BC A0) */
		if (len >= 3 && u[0] == 0xEF && u[1] == 0xBC &&
		    (u[2] == 0x9D || u[2] == 0x8B || u[2] == 0x8D ||
		     u[2] == 0xA0))
			return true;
		/* a BOM starting a cell reads as two joined files */
		return len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3);
	}
	/* a plain signed number ("-2%", "+10", "-3.5") is data, not a formula */
	for (i = 1; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits = true;
		else if (s[i] == '.' || (s[i] == '%' && i == len - 1))
			;
		else
			return true;
	}
	return !digits;
}

/* ---- reader ---- */

static int reader_fail(struct sales_reader *r, struct sales_error *err,
		       enum sales_errcode code, long line, int column,
		       long excel_row, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static int reader_fail(struct sales_reader *r, struct sales_error *err,
		       enum sales_errcode code, long line, int column,
		       long excel_row, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sales_error_vset(err, code, r->name, line, column, fmt, ap);
	va_end(ap);
	if (err && column > 0 && excel_row > 0)
		sales_error_set_cell(err, column, excel_row);
	return -1;
}

static int push_ref(struct sales_reader *r, size_t off, size_t len,
		    uint32_t flags)
{
	if (r->nrefs == r->crefs) {
		size_t n = r->crefs ? r->crefs * 2 : 32;
		struct cellref *p = realloc(r->refs, n * sizeof(*p));

		if (!p)
			return -1;
		r->refs = p;
		r->crefs = n;
	}
	r->refs[r->nrefs].off = off;
	r->refs[r->nrefs].len = (uint32_t)len;
	r->refs[r->nrefs].flags = flags;
	r->nrefs++;
	return 0;
}

static int convert_gb18030(struct sales_reader *r, const char *s, size_t len,
			   size_t *bad)
{
	char *in = (char *)s;
	size_t inleft = len;

	if (r->cd == (iconv_t)-1) {
		r->cd = iconv_open("UTF-8", "GB18030");
		if (r->cd == (iconv_t)-1)
			return -2;
	}
	iconv(r->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		char *out;
		size_t outleft;

		if (sales_buf_grow(&r->arena, inleft * 2 + 8) < 0)
			return -3;
		out = r->arena.data + r->arena.len;
		outleft = r->arena.cap - r->arena.len - 1;
		if (iconv(r->cd, &in, &inleft, &out, &outleft) == (size_t)-1 &&
		    errno != E2BIG) {
			*bad = (size_t)(in - s);
			return -1;
		}
		r->arena.len = (size_t)(out - r->arena.data);
	}
	return 0;
}

static void on_field(void *data, size_t len, void *ud)
{
	struct sales_reader *r = ud;
	const char *s = data ? data : "";
	size_t start = r->arena.len, bad = 0;
	int column = (int)r->nrefs + 1;
	uint32_t flags = 0;
	const char *text;
	size_t tlen;

	if (r->cb_failed)
		return;
	if (len > UINT32_MAX - 1) {
		reader_fail(r, r->cb_err, SALES_EPARSE, r->line, column,
			    r->rec_excel_row, "cell larger than 4 GiB");
		goto failed;
	}
	if (all_ascii(s, len)) {
		if (sales_buf_add(&r->arena, s, len) < 0)
			goto nomem;
	} else {
		if (r->enc == SALES_ENC_AUTO)
			r->enc = sales_utf8_valid(s, len, NULL) ? SALES_ENC_UTF8 :
							 SALES_ENC_GB18030;
		if (r->enc == SALES_ENC_UTF8) {
			if (!sales_utf8_valid(s, len, &bad)) {
				reader_fail(r, r->cb_err, SALES_EENCODING,
					    r->line, column, r->rec_excel_row,
					    "byte 0x%02X at offset %zu of the cell is not valid UTF-8 (file read as UTF-8%s)",
					    (unsigned char)s[bad], bad,
					    r->bom ? " because of its BOM" : "");
				goto failed;
			}
			if (sales_buf_add(&r->arena, s, len) < 0)
				goto nomem;
		} else {
			int rc = convert_gb18030(r, s, len, &bad);

			if (rc == -3)
				goto nomem;
			if (rc == -2) {
				reader_fail(r, r->cb_err, SALES_EENCODING,
					    r->line, column, r->rec_excel_row,
					    "iconv cannot convert GB18030 on this system");
				goto failed;
			}
			if (rc < 0) {
				reader_fail(r, r->cb_err, SALES_EENCODING,
					    r->line, column, r->rec_excel_row,
					    "bytes valid in neither UTF-8 nor GB18030 (byte 0x%02X at offset %zu of the cell)",
					    (unsigned char)s[bad], bad);
				goto failed;
			}
		}
	}
	if (sales_buf_addch(&r->arena, '\0') < 0)
		goto nomem;
	r->arena.len--;
	text = r->arena.data + start;
	tlen = r->arena.len - start;
	if (tlen >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		reader_fail(r, r->cb_err, SALES_EENCODING, r->line, column,
			    r->rec_excel_row,
			    "a byte order mark (BOM) starts this cell: were two CSV files joined into one? remove it (and any second header row)");
		goto failed;
	}
	if (tlen > 1 && text[0] == '\'' &&
	    sales_cell_needs_escape(text + 1, tlen - 1)) {
		flags |= SALES_CELL_ESCAPED;
		memmove(r->arena.data + start, text + 1, tlen);
		r->arena.len--;
		tlen--;
	} else if (sales_cell_needs_escape(text, tlen)) {
		flags |= SALES_CELL_FORMULA;
	}
	if (sales_buf_addch(&r->arena, '\0') < 0 ||
	    push_ref(r, start, tlen, flags) < 0)
		goto nomem;
	return;
nomem:
	reader_fail(r, r->cb_err, SALES_ENOMEM, r->line, column,
		    r->rec_excel_row, "out of memory");
failed:
	r->cb_failed = true;
}

static void on_record(int c, void *ud)
{
	struct sales_reader *r = ud;

	(void)c;
	r->rec_done = true;
}

static int refill(struct sales_reader *r, struct sales_error *err)
{
	size_t keep = r->rec_open ? r->rec_start : r->wpos;
	ssize_t n;

	if (r->fd < 0) {
		r->eof = true;
		return 0;
	}
	if (keep > 0) {
		memmove(r->win, r->win + keep, r->wlen - keep);
		r->wlen -= keep;
		r->wpos -= keep;
		if (r->rec_open)
			r->rec_start -= keep;
		r->win_off += (off_t)keep;
	}
	if (r->wlen == r->wcap) {
		size_t ncap = r->wcap * 2;
		char *p = realloc(r->win, ncap);

		if (!p)
			return reader_fail(r, err, SALES_ENOMEM, r->line, 0, 0,
					   "out of memory reading a record");
		r->win = p;
		r->wcap = ncap;
	}
	do
		n = read(r->fd, r->win + r->wlen, r->wcap - r->wlen);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return reader_fail(r, err, SALES_EIO, r->line, 0, 0,
				   "cannot read: %s", strerror(errno));
	if (n == 0)
		r->eof = true;
	r->wlen += (size_t)n;
	return 0;
}

static void build_row(struct sales_reader *r, struct sales_row *row)
{
	if (r->ccells < r->nrefs) {
		size_t n = r->nrefs + 16;
		struct sales_cell *p = realloc(r->cells, n * sizeof(*p));

		if (!p) {
			row->ncells = 0;
			return;
		}
		r->cells = p;
		r->ccells = n;
	}
	for (size_t i = 0; i < r->nrefs; i++) {
		r->cells[i].s = r->arena.data + r->refs[i].off;
		r->cells[i].len = r->refs[i].len;
		r->cells[i].flags = r->refs[i].flags;
	}
	row->cells = r->cells;
	row->ncells = r->nrefs;
	row->line = r->rec_line;
	row->excel_row = r->rec_excel_row;
	row->offset = r->win_off + (off_t)r->rec_start;
	row->length = r->wpos - r->rec_start;
	row->raw = r->win + r->rec_start;
}

static void describe_parse_error(struct sales_reader *r, const char *chunk,
				 size_t used, size_t chunklen,
				 struct sales_error *err)
{
	int column = (int)r->nrefs + 1;
	char c = used < chunklen ? chunk[used] : '\0';

	if (c == '"')
		reader_fail(r, err, SALES_EPARSE, r->line, column,
			    r->rec_excel_row,
			    "stray quote in a cell (a quote inside a cell must be doubled and the cell quoted, as in \"a \"\"b\"\"\")");
	else if (c > ' ' && c < 0x7F)
		reader_fail(r, err, SALES_EPARSE, r->line, column,
			    r->rec_excel_row,
			    "unexpected '%c' after a closing quote (a quoted cell must end at a comma or line end)",
			    c);
	else	/* a space, a control or a non-ASCII byte: not printable alone */
		reader_fail(r, err, SALES_EPARSE, r->line, column,
			    r->rec_excel_row,
			    "unexpected text after a closing quote (a quoted cell must end at a comma or line end)");
}

/* The first CR or LF in p[0..n), or NULL.  One pass: searching for LF and
 * then CR before it scanned the whole window for every line of a CR-only
 * file (quadratic: a million CR-only lines took 20 s). */
static const char *find_eol(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\n' || p[i] == '\r')
			return p + i;
	return NULL;
}

/*
 * Parses until one record is complete with libcsv, fed one physical line at
 * a time.  Returns 1 with r->row filled, 0 at end of file, -1 on error.
 */
static int parse_record_slow(struct sales_reader *r, struct sales_error *err)
{
	r->nrefs = 0;
	sales_buf_reset(&r->arena);
	r->rec_done = false;
	r->rec_open = false;
	r->cb_err = err;
	r->cb_failed = false;

	for (;;) {
		size_t avail = r->wlen - r->wpos, end, used;
		const char *p = r->win + r->wpos, *t;
		bool terminated = false;

		if (r->finished)
			return 0;
		t = find_eol(p, avail);
		if (t && *t == '\r' && (size_t)(t - p) + 1 == avail &&
		    !r->eof) {
			t = NULL;   /* need the next byte: is it CRLF? */
		}
		if (!t && !r->eof) {
			if (refill(r, err) < 0)
				return -1;
			continue;
		}
		if (t) {
			end = (size_t)(t - p) + 1;
			if (*t == '\r' && end < avail && p[end] == '\n')
				end++;
			terminated = true;
			if (!r->eol_known) {
				r->eol = *t == '\n' ? SALES_EOL_LF :
					 end == (size_t)(t - p) + 2 ?
					 SALES_EOL_CRLF : SALES_EOL_CR;
				r->eol_known = true;
			}
		} else {
			end = avail;
		}

		if (end == 0) {
			/* end of input */
			r->finished = true;
			if (csv_fini(&r->parser, on_field, on_record, r) != 0 ||
			    (r->rec_open && !r->rec_done && !r->cb_failed)) {
				return reader_fail(r, err, SALES_EPARSE,
						   r->rec_line, (int)r->nrefs + 1,
						   r->rec_excel_row,
						   "unterminated quoted cell (opened on line %ld, never closed)",
						   r->rec_line);
			}
			if (r->cb_failed)
				return -1;
			if (r->rec_done) {
				build_row(r, &r->row);
				r->excel_row++;
				return 1;
			}
			return 0;
		}

		if (memchr(p, '\0', end)) {
			const char *z = memchr(p, '\0', end);
			int column = (int)r->nrefs + 1;

			for (const char *q = p; q < z; q++)
				if (*q == ',')
					column++;
			return reader_fail(r, err, SALES_EPARSE, r->line,
					   column,
					   r->rec_open ? r->rec_excel_row :
							 r->excel_row,
					   "NUL byte in the file (is it a binary or UTF-16 file?)");
		}
		if (!r->rec_open) {
			r->rec_start = r->wpos;
			r->rec_line = r->line;
			r->rec_excel_row = r->excel_row;
		}
		used = csv_parse(&r->parser, p, end, on_field, on_record, r);
		if (r->cb_failed)
			return -1;
		if (used < end) {
			describe_parse_error(r, p, used, end, err);
			return -1;
		}
		r->wpos += end;
		if (terminated)
			r->line++;
		if (r->rec_done) {
			build_row(r, &r->row);
			r->excel_row++;
			return 1;
		}
		if (r->parser.pstate == 0 && r->nrefs == 0) {
			/* an empty line: Excel still counts it as a row */
			if (terminated)
				r->excel_row++;
			r->rec_open = false;
		} else {
			r->rec_open = true;
		}
	}
}

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

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when it is
 * invalid or cut short by end.  Same rules as sales_utf8_valid. */
static inline int fast_utf8(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	int n;
	unsigned char lo = 0x80, hi = 0xBF;

	/* the common case first: a CJK character, E1..EC or EE..EF */
	if (c > 0xE0 && c < 0xF0 && c != 0xED && end - p >= 3 &&
	    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
		return 3;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (end - p < n || p[1] < lo || p[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

/* 0 when [p, end) is ASCII, 1 when it is valid UTF-8 with other bytes, -1
 * when it is not UTF-8.  A record's cells are cut at ASCII bytes (commas,
 * quotes, line ends), so its bytes are valid exactly when every cell is. */
static int fast_utf8_span(const unsigned char *p, const unsigned char *end)
{
	int high = 0;

	while (p < end) {
		int n;

#ifdef __SSE2__
		if (end - p >= 16) {
			unsigned bits = (unsigned)_mm_movemask_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)p));

			if (!bits) {
				p += 16;
				continue;
			}
			p += __builtin_ctz(bits);
		}
#endif
		if (*p < 0x80) {
			p++;
			continue;
		}
		high = 1;
		while (p < end && *p >= 0x80) {
			n = fast_utf8(p, end);
			if (!n)
				return -1;
			p += n;
		}
	}
	return high;
}

enum { FAST_DONE = 1, FAST_MORE = 0, FAST_SLOW = -1 };
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
	if (n == r->ccells) {
		size_t cap = r->ccells ? r->ccells * 2 : 32;
		struct sales_cell *c = realloc(r->cells, cap * sizeof(*c));

		if (!c)
			return -1;
		r->cells = c;
		r->ccells = cap;
	}
	r->cells[n].s = text;
	r->cells[n].len = (uint32_t)tlen;
	r->cells[n].flags = flags;
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
static int fast_record(struct sales_reader *r)
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
	if (utf8 > 0 && r->enc == SALES_ENC_AUTO)
		r->enc = SALES_ENC_UTF8;
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
	r->excel_row++;
	return FAST_DONE;
}

/*
 * Parses until one record is complete.  Returns 1 with r->row filled, 0 at
 * end of file, -1 on error.
 */
static int parse_record(struct sales_reader *r, struct sales_error *err)
{
	while (!r->finished) {
		int rc = fast_record(r);

		if (rc == FAST_DONE)
			return 1;
		if (rc == FAST_SLOW)
			break;
		if (refill(r, err) < 0)
			return -1;
	}
	return parse_record_slow(r, err);
}

static bool cell_blank(const struct sales_cell *c)
{
	for (uint32_t i = 0; i < c->len; i++)
		if (c->s[i] != ' ' && c->s[i] != '\t')
			return false;
	return true;
}

static int space_none(unsigned char c)
{
	(void)c;
	return 0;
}

/* libcsv grows its cell buffer 128 bytes at a time: a realloc per 128 bytes
 * of a cell, which under ASan or valgrind (no in-place growth) copies the
 * cell each time: a 1 MB cell took 7 s.  Doubling the real allocation makes
 * the growth linear. */
static void *csv_grow(void *p, size_t n)
{
	size_t cap = 256;

	if (p && malloc_usable_size(p) >= n)
		return p;
	while (cap < n && cap <= SIZE_MAX / 2)
		cap *= 2;
	return realloc(p, cap < n ? n : cap);
}

static int reader_start(struct sales_reader *r,
			const struct sales_read_options *opt,
			struct sales_error *err)
{
	size_t n;
	int rc;

	r->cd = (iconv_t)-1;
	r->line = 1;
	r->excel_row = 1;
	r->slow_only = getenv("SALES_CSV_SLOW") && *getenv("SALES_CSV_SLOW") &&
		       strcmp(getenv("SALES_CSV_SLOW"), "0") != 0;
	r->enc = opt ? opt->encoding : SALES_ENC_AUTO;
	if (csv_init(&r->parser, CSV_OPTIONS) != 0)
		return reader_fail(r, err, SALES_ENOMEM, 0, 0, 0,
				   "out of memory");
	csv_set_space_func(&r->parser, space_none);
	csv_set_realloc_func(&r->parser, csv_grow);

	while (r->wlen < 4 && !r->eof)
		if (refill(r, err) < 0)
			return -1;
	n = r->wlen;
	if (n >= 2 && (((unsigned char)r->win[0] == 0xFF &&
			(unsigned char)r->win[1] == 0xFE) ||
		       ((unsigned char)r->win[0] == 0xFE &&
			(unsigned char)r->win[1] == 0xFF)))
		return reader_fail(r, err, SALES_EENCODING, 1, 0, 0,
				   "the file is UTF-16 (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\" or \"CSV (逗号分隔)\" instead");
	if (n >= 4 && (!memcmp(r->win, "PK\x03\x04", 4) ||
		       !memcmp(r->win, "\xD0\xCF\x11\xE0", 4)))
		return reader_fail(r, err, SALES_EENCODING, 1, 0, 0,
				   "the file is an Excel workbook (%s), not CSV; save it as \"CSV UTF-8 (Comma delimited)\" or \"CSV (逗号分隔)\" instead",
				   r->win[0] == 'P' ? ".xlsx" : ".xls");
	if (n >= 3 && (unsigned char)r->win[0] == 0xEF &&
	    (unsigned char)r->win[1] == 0xBB &&
	    (unsigned char)r->win[2] == 0xBF) {
		r->bom = true;
		r->wpos = 3;
		if (r->enc == SALES_ENC_AUTO)
			r->enc = SALES_ENC_UTF8;
	}

	rc = parse_record(r, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return reader_fail(r, err, SALES_EPARSE, 1, 0, 0,
				   "empty file: no header row");
	/* keep the header apart from the per-record buffers */
	r->width = r->row.ncells;
	while (r->width > 0 && cell_blank(&r->row.cells[r->width - 1]))
		r->width--;
	if (r->width == 0)
		return reader_fail(r, err, SALES_EPARSE, r->row.line, 1,
				   r->row.excel_row, "the header row is empty");
	r->header_cells = calloc(r->width, sizeof(*r->header_cells));
	if (!r->header_cells)
		return reader_fail(r, err, SALES_ENOMEM, 0, 0, 0,
				   "out of memory");
	for (size_t i = 0; i < r->width; i++)
		if (sales_buf_add(&r->header_text, r->row.cells[i].s,
				  r->row.cells[i].len + 1) < 0)
			return reader_fail(r, err, SALES_ENOMEM, 0, 0, 0,
					   "out of memory");
	for (size_t i = 0, off = 0; i < r->width; i++) {
		r->header_cells[i].s = r->header_text.data + off;
		r->header_cells[i].len = r->row.cells[i].len;
		r->header_cells[i].flags = r->row.cells[i].flags;
		off += r->row.cells[i].len + 1;
	}
	r->header = r->row;
	r->header.cells = r->header_cells;
	r->header.ncells = r->width;
	r->header.raw = NULL;
	return 0;
}

static struct sales_reader *reader_alloc(const char *name)
{
	struct sales_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fd = -1;
	r->cd = (iconv_t)-1;
	r->name = strdup(name ? name : "");
	if (!r->name) {
		free(r);
		return NULL;
	}
	return r;
}

int sales_reader_open(const char *path, const struct sales_read_options *opt,
		      struct sales_reader **out, struct sales_error *err)
{
	struct sales_reader *r = reader_alloc(display_name(opt, path));
	struct stat st;

	*out = NULL;
	if (!r)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		sales_error_set(err, SALES_EIO, r->name, 0, 0, "cannot open: %s",
				strerror(errno));
		goto fail;
	}
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode))
		r->file_size = (unsigned long long)st.st_size;
	if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		sales_error_set(err, SALES_EIO, r->name, 0, 0,
				"is a directory, not a CSV file");
		goto fail;
	}
	r->wcap = WINDOW_INITIAL;
	r->win = malloc(r->wcap);
	r->owns_win = true;
	if (!r->win) {
		sales_error_set(err, SALES_ENOMEM, r->name, 0, 0,
				"out of memory");
		goto fail;
	}
	if (reader_start(r, opt, err) < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	sales_reader_close(r);
	return -1;
}

int sales_reader_open_mem(const char *data, size_t len, const char *name,
			  const struct sales_read_options *opt,
			  struct sales_reader **out, struct sales_error *err)
{
	struct sales_reader *r = reader_alloc(display_name(opt, name));

	*out = NULL;
	if (!r)
		return sales_error_set(err, SALES_ENOMEM, name, 0, 0,
				       "out of memory");
	r->win = (char *)data;
	r->wlen = r->wcap = len;
	r->eof = true;
	if (reader_start(r, opt, err) < 0) {
		sales_reader_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

const struct sales_row *sales_reader_header(const struct sales_reader *r)
{
	return &r->header;
}

/* The next data record, in the caller's thread. */
static int reader_next_here(struct sales_reader *r, const struct sales_row **row,
			    struct sales_error *err)
{
	for (;;) {
		int rc = parse_record(r, err);
		size_t n;
		bool blank = true;

		if (rc <= 0)
			return rc;
		n = r->row.ncells;
		for (size_t i = 0; i < n; i++) {
			if (cell_blank(&r->row.cells[i]))
				continue;
			blank = false;
			if (i >= r->width)
				return reader_fail(r, err, SALES_EPARSE,
						   r->row.line, (int)i + 1,
						   r->row.excel_row,
						   "cell outside the table: the header has %zu columns but this row has a value in column %zu",
						   r->width, i + 1);
		}
		if (blank)
			continue;
		if (n > r->width)
			r->row.ncells = r->width;
		*row = &r->row;
		return 1;
	}
}

/* What the getters report, packed for the readahead thread to pass along. */
static uint32_t reader_state(const struct sales_reader *r)
{
	return (uint32_t)r->enc | (uint32_t)r->eol << 4 |
	       (r->eol_known ? 1u << 8 : 0);
}

static void reader_set_seen(struct sales_reader *r, uint32_t state)
{
	r->seen_enc = (enum sales_encoding)(state & 15u);
	r->seen_eol = (enum sales_eol)(state >> 4 & 15u);
	r->seen_eol_known = (state >> 8 & 1u) != 0;
}

static int reader_source(void *src, const struct sales_row **row,
			 uint32_t *state, struct sales_error *err)
{
	struct sales_reader *r = src;
	int rc = reader_next_here(r, row, err);

	*state = reader_state(r);
	return rc;
}

/*
 * A file being read record by record is parsed one batch ahead in a second
 * thread when sales_thread_count says so (see readahead.h): the caller gets
 * the same rows and errors, while parsing overlaps its own work.  The
 * thread starts at the first data record, so what open learnt (header,
 * BOM, encoding so far) is read without it.
 */
int sales_reader_next(struct sales_reader *r, const struct sales_row **row,
		      struct sales_error *err)
{
	uint32_t state;
	int rc;

	if (!r->ra && !r->ra_tried) {
		r->ra_tried = true;
		if (r->fd >= 0 && sales_thread_count(r->file_size) > 1) {
			reader_set_seen(r, reader_state(r));
			if (sales_readahead_start(&r->ra, reader_source, r,
						  NULL) < 0)
				r->ra = NULL;
		}
	}
	if (!r->ra)
		return reader_next_here(r, row, err);
	rc = sales_readahead_next(r->ra, row, &state, err);
	reader_set_seen(r, state);
	return rc;
}

enum sales_encoding sales_reader_encoding(const struct sales_reader *r)
{
	enum sales_encoding enc = r->ra ? r->seen_enc : r->enc;

	return enc == SALES_ENC_AUTO ? SALES_ENC_UTF8 : enc;
}

bool sales_reader_encoding_known(const struct sales_reader *r)
{
	return (r->ra ? r->seen_enc : r->enc) != SALES_ENC_AUTO;
}

bool sales_reader_has_bom(const struct sales_reader *r)
{
	return r->bom;
}

enum sales_eol sales_reader_eol(const struct sales_reader *r)
{
	if (r->ra)
		return r->seen_eol_known ? r->seen_eol : SALES_EOL_CRLF;
	return r->eol_known ? r->eol : SALES_EOL_CRLF;
}

const char *sales_reader_name(const struct sales_reader *r)
{
	return r->name;
}

void sales_reader_close(struct sales_reader *r)
{
	if (!r)
		return;
	sales_readahead_stop(r->ra);   /* before anything it reads is freed */
	if (r->fd >= 0)
		close(r->fd);
	if (r->owns_win)
		free(r->win);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	csv_free(&r->parser);
	sales_buf_release(&r->arena);
	sales_buf_release(&r->header_text);
	free(r->header_cells);
	free(r->refs);
	free(r->cells);
	free(r->name);
	free(r);
}

/* ---- writing helpers ---- */

int sales_csv_field(struct sales_buf *b, const char *s, size_t len,
		    char separator)
{
	bool quote = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == separator || c == '"' || c == '\r' || c == '\n') {
			quote = true;
			break;
		}
	}
	if (sales_cell_needs_escape(s, len)) {
		/* a leading apostrophe: shown as text, never evaluated */
		if (s[0] == '\t' || s[0] == '\r')
			quote = true;
		if (quote && sales_buf_addch(b, '"') < 0)
			return -1;
		if (sales_buf_addch(b, '\'') < 0)
			return -1;
	} else if (quote && sales_buf_addch(b, '"') < 0) {
		return -1;
	}
	if (!quote)
		return sales_buf_add(b, s, len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' && sales_buf_addch(b, '"') < 0)
			return -1;
		if (sales_buf_addch(b, s[i]) < 0)
			return -1;
	}
	return sales_buf_addch(b, '"');
}

static const char *eol_text(enum sales_eol eol)
{
	return eol == SALES_EOL_LF ? "\n" : eol == SALES_EOL_CR ? "\r" : "\r\n";
}

/* Appends cells as one record in UTF-8 with the given line end. */
static int add_record(struct sales_buf *b, const char *const *cells, size_t n,
		      enum sales_eol eol)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";

		if (i > 0 && sales_buf_addch(b, ',') < 0)
			return -1;
		if (sales_csv_field(b, s, strlen(s), ',') < 0)
			return -1;
	}
	return sales_buf_addstr(b, eol_text(eol));
}

/* Converts UTF-8 text to the file's encoding and appends it to out. */
static int encode_to(struct sales_buf *out, const char *s, size_t len,
		     enum sales_encoding enc, const char *name,
		     struct sales_error *err)
{
	iconv_t cd;
	char *in = (char *)s;
	size_t inleft = len;

	if (enc != SALES_ENC_GB18030 || all_ascii(s, len))
		return sales_buf_add(out, s, len) < 0 ?
		       sales_error_set(err, SALES_ENOMEM, name, 0, 0,
				       "out of memory") : 0;
	cd = iconv_open("GB18030", "UTF-8");
	if (cd == (iconv_t)-1)
		return sales_error_set(err, SALES_EENCODING, name, 0, 0,
				       "iconv cannot convert to GB18030 on this system");
	while (inleft > 0) {
		char *o;
		size_t oleft;

		if (sales_buf_grow(out, inleft * 2 + 8) < 0) {
			iconv_close(cd);
			return sales_error_set(err, SALES_ENOMEM, name, 0, 0,
					       "out of memory");
		}
		o = out->data + out->len;
		oleft = out->cap - out->len - 1;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 &&
		    errno != E2BIG) {
			iconv_close(cd);
			return sales_error_set(err, SALES_EENCODING, name, 0, 0,
					       "text cannot be written as GB18030");
		}
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
	}
	iconv_close(cd);
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd, rc = 0;

	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

/* The temporary file beside path that a save writes first:
 * "DIR/.NAME.tmp.PID" (see sales_temp_file_pid). */
static int temp_name(const char *path, struct sales_buf *tmp)
{
	char *dir = dir_of(path);
	const char *base = strrchr(path, '/');
	int rc;

	base = base ? base + 1 : path;
	if (!dir)
		return -1;
	rc = sales_buf_printf(tmp, "%s/.%s.tmp.%ld", dir, base, (long)getpid());
	free(dir);
	return rc;
}

/* Writes the pieces to the temporary file beside path and fsyncs it:
 * nothing visible changes yet.  On success *tmp holds its name. */
static int write_temp(const char *path, const struct sales_buf *parts,
		      size_t nparts, mode_t mode, struct sales_buf *tmp,
		      struct sales_error *err)
{
	int fd = -1;

	if (temp_name(path, tmp) < 0)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	fd = open(tmp->data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0,
				"cannot create temporary file '%s': %s",
				tmp->data, strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < nparts; i++) {
		if (write_all(fd, parts[i].data ? parts[i].data : "",
			      parts[i].len) < 0) {
			sales_error_set(err, SALES_EIO, path, 0, 0,
					"cannot write: %s", strerror(errno));
			goto fail;
		}
	}
	if (fsync(fd) < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0, "cannot fsync: %s",
				strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		sales_error_set(err, SALES_EIO, path, 0, 0, "cannot write: %s",
				strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	if (tmp->len)
		unlink(tmp->data);
	sales_buf_release(tmp);
	return -1;
}

/* Renames the temporary file over path (the caller fsyncs the folder). */
static int publish_temp(const char *path, struct sales_buf *tmp,
			struct sales_error *err)
{
	int rc = 0;

	if (rename(tmp->data, path) < 0) {
		rc = sales_error_set(err, SALES_EIO, path, 0, 0,
				     "cannot replace the file: %s",
				     strerror(errno));
		unlink(tmp->data);
	}
	sales_buf_release(tmp);
	return rc;
}

/* Writes the pieces to a temporary file beside path and renames it over. */
static int write_atomic_parts(const char *path, const struct sales_buf *parts,
			      size_t nparts, mode_t mode,
			      struct sales_error *err)
{
	struct sales_buf tmp = {0};

	if (write_temp(path, parts, nparts, mode, &tmp, err) < 0 ||
	    publish_temp(path, &tmp, err) < 0)
		return -1;
	fsync_dir(path);
	return 0;
}

long sales_temp_file_pid(const char *name)
{
	const char *dot = strrchr(name, '.'), *p;
	long pid = 0;

	if (name[0] != '.' || !dot || dot - name < 5 ||
	    strncmp(dot - 4, ".tmp", 4) || !dot[1])
		return 0;
	for (p = dot + 1; *p; p++) {
		if (*p < '0' || *p > '9' || pid > 99999999)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	return pid;
}

int sales_write_file_atomic(const char *path, const void *data, size_t len,
			    struct sales_error *err)
{
	struct sales_buf part = { (char *)data, len, len };
	struct stat st;
	mode_t mode = 0644;

	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	return write_atomic_parts(path, &part, 1, mode, err);
}

int sales_atomic_open(struct sales_atomic_file *f, const char *path,
		      struct sales_error *err)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (!(f->path = strdup(path)) || temp_name(path, &f->tmp) < 0)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	f->fd = open(f->tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f->fd < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot create temporary file '%s': %s",
				       f->tmp.data, strerror(errno));
	return 0;
}

int sales_atomic_write(struct sales_atomic_file *f, const void *data,
		       size_t len, struct sales_error *err)
{
	if (f->fd < 0 || write_all(f->fd, data, len) < 0)
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot write: %s", strerror(errno));
	return 0;
}

int sales_atomic_prepare(struct sales_atomic_file *f, struct sales_error *err)
{
	int fd = f->fd;

	f->fd = -1;
	if (fd < 0)
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot write: the file is not open");
	if (fsync(fd) < 0) {
		close(fd);
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot fsync: %s", strerror(errno));
	}
	if (close(fd) < 0)
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot write: %s", strerror(errno));
	return 0;
}

int sales_atomic_publish(struct sales_atomic_file *f, struct sales_error *err)
{
	int rc = publish_temp(f->path, &f->tmp, err);

	if (rc == 0)
		fsync_dir(f->path);
	free(f->path);
	f->path = NULL;
	return rc;
}

void sales_atomic_discard(struct sales_atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp.len)
		unlink(f->tmp.data);
	sales_buf_release(&f->tmp);
	free(f->path);
	f->path = NULL;
}

int sales_read_file(const char *path, char **data, size_t *len,
		    struct sales_error *err)
{
	struct sales_buf b = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "is a directory, not a file");
	}
	if (sales_buf_grow(&b, st.st_size > 0 ? (size_t)st.st_size : 4096) < 0)
		goto nomem;
	for (;;) {
		ssize_t n;

		if (sales_buf_grow(&b, 65536) < 0)
			goto nomem;
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			sales_buf_release(&b);
			return sales_error_set(err, SALES_EIO, path, 0, 0,
					       "cannot read: %s",
					       strerror(errno));
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
	}
	close(fd);
	b.data[b.len] = '\0';
	*data = sales_buf_detach(&b, len);
	return 0;
nomem:
	close(fd);
	sales_buf_release(&b);
	return sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
}

int sales_write_file_new(const char *path, const void *data, size_t len,
			 struct sales_error *err)
{
	int fd, rc = 0;

	/* O_EXCL: never replace a file that appeared meanwhile */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			return sales_error_set(err, SALES_EEXIST, path, 0, 0,
					       "already exists; not overwriting it");
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot create: %s", strerror(errno));
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = sales_error_set(err, SALES_EIO, path, 0, 0,
				     "cannot write: %s", strerror(errno));
		unlink(path);
	}
	close(fd);
	if (rc == 0)
		fsync_dir(path);
	return rc;
}

int sales_create_file(const char *path, const char *const *header, size_t n,
		      struct sales_error *err)
{
	struct sales_buf b = {0};
	int rc;

	if (sales_buf_add(&b, "\xEF\xBB\xBF", 3) < 0 ||
	    add_record(&b, header, n, SALES_EOL_CRLF) < 0) {
		sales_buf_release(&b);
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	}
	rc = sales_write_file_new(path, b.data, b.len, err);
	sales_buf_release(&b);
	return rc;
}

/* Learns the encoding, BOM and line end of an existing file from its head
 * and tail, without reading the body. */
struct file_style {
	enum sales_encoding enc;
	bool bom;
	enum sales_eol eol;
	bool ends_with_eol;
	bool empty;
};

static int probe_style(int fd, const char *name, struct file_style *st,
		       struct sales_error *err)
{
	char head[65536], tail[65536];
	ssize_t nh, nt;
	off_t size = lseek(fd, 0, SEEK_END);
	size_t bad;
	const char *eol;

	memset(st, 0, sizeof(*st));
	st->eol = SALES_EOL_CRLF;
	st->enc = SALES_ENC_UTF8;
	if (size <= 0) {
		st->empty = true;
		st->bom = true;
		st->ends_with_eol = true;
		return 0;
	}
	nh = pread(fd, head, sizeof(head), 0);
	nt = pread(fd, tail, sizeof(tail),
		   size > (off_t)sizeof(tail) ? size - (off_t)sizeof(tail) : 0);
	if (nh <= 0 || nt <= 0)
		return sales_error_set(err, SALES_EIO, name, 0, 0,
				       "cannot read: %s", strerror(errno));
	st->bom = nh >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3);
	eol = memchr(head, '\n', (size_t)nh);
	{
		const char *cr = memchr(head, '\r', eol ? (size_t)(eol - head) :
						   (size_t)nh);

		if (cr)
			st->eol = cr + 1 < head + nh && cr[1] == '\n' ?
				  SALES_EOL_CRLF : SALES_EOL_CR;
		else if (eol)
			st->eol = SALES_EOL_LF;
	}
	st->ends_with_eol = tail[nt - 1] == '\n' || tail[nt - 1] == '\r';
	if (!st->bom) {
		/* the head is cut at an arbitrary byte: only judge up to its
		 * last line end */
		size_t hn = (size_t)nh, tn = (size_t)nt;
		size_t tstart = 0;

		while (hn > 0 && head[hn - 1] != '\n' && head[hn - 1] != '\r' &&
		       (size_t)nh == sizeof(head))
			hn--;
		while (tstart < tn && size > (off_t)sizeof(tail) &&
		       tail[tstart] != '\n' && tail[tstart] != '\r')
			tstart++;
		if ((!all_ascii(head, hn) && !sales_utf8_valid(head, hn, &bad)) ||
		    (!all_ascii(tail + tstart, tn - tstart) &&
		     !sales_utf8_valid(tail + tstart, tn - tstart, &bad)))
			st->enc = SALES_ENC_GB18030;
	}
	return 0;
}

int sales_append_rows(const char *path, const char *const *cells,
		      size_t nrows, size_t ncols, struct sales_error *err)
{
	return sales_append_rows_as(path, SALES_ENC_AUTO, cells, nrows, ncols,
				    err);
}

int sales_append_rows_as(const char *path, enum sales_encoding enc,
			 const char *const *cells, size_t nrows, size_t ncols,
			 struct sales_error *err)
{
	struct file_style style;
	struct sales_buf rec = {0}, out = {0};
	int fd = open(path, O_RDWR | O_CLOEXEC);
	off_t size;
	int rc = -1;

	if (fd < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot open for appending: %s",
				       strerror(errno));
	if (probe_style(fd, path, &style, err) < 0)
		goto out;
	if (enc != SALES_ENC_AUTO)
		style.enc = enc;
	size = lseek(fd, 0, SEEK_END);
	if (!style.ends_with_eol && sales_buf_addstr(&rec, eol_text(style.eol)) < 0)
		goto nomem;
	for (size_t i = 0; i < nrows; i++)
		if (add_record(&rec, cells + i * ncols, ncols, style.eol) < 0)
			goto nomem;
	if (encode_to(&out, rec.data, rec.len, style.enc, path, err) < 0)
		goto out;
	if (pwrite(fd, out.data, out.len, size) != (ssize_t)out.len ||
	    fsync(fd) < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0, "cannot append: %s",
				strerror(errno));
		if (ftruncate(fd, size) < 0) {
			/* nothing more we can do; the message says why */
		}
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
out:
	close(fd);
	sales_buf_release(&rec);
	sales_buf_release(&out);
	return rc;
}

/* ---- tables ---- */

struct trow {
	off_t offset;       /* -1 for an appended row */
	size_t length;
	long line, excel_row;
	size_t first;       /* index of the first cell in t->cells */
	size_t ncells;
	char **edit;        /* NULL, or the row's cells after edits */
	size_t nedit;
};

struct sales_table {
	char *path;
	char *data;         /* the file as loaded */
	size_t size;
	struct stat st;
	enum sales_encoding enc;
	bool bom;
	enum sales_eol eol;
	struct sales_buf text;      /* cell text, NUL-separated */
	struct cellref *cells;
	size_t ncells, ccells;
	struct trow header;
	struct trow *rows;
	size_t nrows, crows;
	struct sales_row header_row;
	struct sales_cell *header_cells;
	bool dirty, saved;
	struct sales_buf tmp;       /* prepared temporary file, not yet renamed */
};

static int table_add_cells(struct sales_table *t, const struct sales_row *row,
			   struct trow *tr)
{
	if (t->ncells + row->ncells > t->ccells) {
		size_t n = t->ccells ? t->ccells : 1024;
		struct cellref *p;

		while (n < t->ncells + row->ncells)
			n *= 2;
		p = realloc(t->cells, n * sizeof(*p));
		if (!p)
			return -1;
		t->cells = p;
		t->ccells = n;
	}
	tr->first = t->ncells;
	tr->ncells = row->ncells;
	tr->offset = row->offset;
	tr->length = row->length;
	tr->line = row->line;
	tr->excel_row = row->excel_row;
	for (size_t i = 0; i < row->ncells; i++) {
		struct cellref *c = &t->cells[t->ncells++];

		c->off = t->text.len;
		c->len = row->cells[i].len;
		c->flags = row->cells[i].flags;
		if (sales_buf_add(&t->text, row->cells[i].s,
				  row->cells[i].len + 1) < 0)
			return -1;
	}
	return 0;
}

static struct trow *table_new_row(struct sales_table *t)
{
	if (t->nrows == t->crows) {
		size_t n = t->crows ? t->crows * 2 : 256;
		struct trow *p = realloc(t->rows, n * sizeof(*p));

		if (!p)
			return NULL;
		t->rows = p;
		t->crows = n;
	}
	memset(&t->rows[t->nrows], 0, sizeof(t->rows[0]));
	return &t->rows[t->nrows++];
}

int sales_table_load(const char *path, const struct sales_read_options *opt,
		     struct sales_table **out, struct sales_error *err)
{
	struct sales_table *t = calloc(1, sizeof(*t));
	struct sales_reader *r = NULL;
	const struct sales_row *row;
	const char *name = display_name(opt, path);
	int rc;

	*out = NULL;
	if (!t || !(t->path = strdup(path)))
		goto nomem;
	if (stat(path, &t->st) < 0) {
		sales_error_set(err, SALES_EIO, name, 0, 0, "cannot open: %s",
				strerror(errno));
		goto fail;
	}
	if (sales_read_file(path, &t->data, &t->size, err) < 0) {
		if (err)
			snprintf(err->file, sizeof(err->file), "%s", name);
		goto fail;
	}
	if (sales_reader_open_mem(t->data, t->size, path, opt, &r, err) < 0)
		goto fail;
	t->bom = sales_reader_has_bom(r);
	if (table_add_cells(t, sales_reader_header(r), &t->header) < 0)
		goto nomem;
	while ((rc = sales_reader_next(r, &row, err)) > 0) {
		struct trow *tr = table_new_row(t);

		if (!tr || table_add_cells(t, row, tr) < 0)
			goto nomem;
	}
	if (rc < 0)
		goto fail;
	t->enc = sales_reader_encoding(r);
	t->eol = sales_reader_eol(r);
	sales_reader_close(r);
	*out = t;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, name, 0, 0, "out of memory");
fail:
	sales_reader_close(r);
	sales_table_free(t);
	return -1;
}

static void free_edit(struct trow *tr)
{
	if (!tr->edit)
		return;
	for (size_t i = 0; i < tr->nedit; i++)
		free(tr->edit[i]);
	free(tr->edit);
	tr->edit = NULL;
	tr->nedit = 0;
}

void sales_table_free(struct sales_table *t)
{
	if (!t)
		return;
	sales_table_discard(t);
	for (size_t i = 0; i < t->nrows; i++)
		free_edit(&t->rows[i]);
	free_edit(&t->header);
	free(t->rows);
	free(t->cells);
	free(t->header_cells);
	sales_buf_release(&t->text);
	free(t->data);
	free(t->path);
	free(t);
}

static const char *trow_get(const struct sales_table *t, const struct trow *tr,
			    size_t col)
{
	if (tr->edit)
		return col < tr->nedit && tr->edit[col] ? tr->edit[col] : "";
	if (col >= tr->ncells)
		return "";
	return t->text.data + t->cells[tr->first + col].off;
}

const struct sales_row *sales_table_header(const struct sales_table *t)
{
	struct sales_table *m = (struct sales_table *)t;
	size_t n = t->header.edit ? t->header.nedit : t->header.ncells;

	free(m->header_cells);
	m->header_cells = calloc(n ? n : 1, sizeof(*m->header_cells));
	if (!m->header_cells)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		m->header_cells[i].s = trow_get(t, &t->header, i);
		m->header_cells[i].len = (uint32_t)strlen(m->header_cells[i].s);
	}
	m->header_row.cells = m->header_cells;
	m->header_row.ncells = n;
	m->header_row.line = t->header.line;
	m->header_row.excel_row = t->header.excel_row;
	m->header_row.offset = t->header.offset;
	m->header_row.length = t->header.length;
	m->header_row.raw = NULL;
	return &m->header_row;
}

size_t sales_table_rows(const struct sales_table *t)
{
	return t->nrows;
}

size_t sales_table_ncells(const struct sales_table *t, size_t row)
{
	const struct trow *tr = &t->rows[row];

	return tr->edit ? tr->nedit : tr->ncells;
}

long sales_table_line(const struct sales_table *t, size_t row)
{
	return t->rows[row].line;
}

long sales_table_excel_row(const struct sales_table *t, size_t row)
{
	return t->rows[row].excel_row;
}

const char *sales_table_get(const struct sales_table *t, size_t row, size_t col)
{
	if (row >= t->nrows)
		return "";
	return trow_get(t, &t->rows[row], col);
}

const char *sales_table_path(const struct sales_table *t)
{
	return t->path;
}

enum sales_encoding sales_table_encoding(const struct sales_table *t)
{
	return t->enc;
}

bool sales_table_has_bom(const struct sales_table *t)
{
	return t->bom;
}

enum sales_eol sales_table_eol(const struct sales_table *t)
{
	return t->eol;
}

bool sales_table_dirty(const struct sales_table *t)
{
	return t->dirty;
}

/* Gives tr an edit array of at least n cells holding its current values. */
static int make_editable(struct sales_table *t, struct trow *tr, size_t n)
{
	size_t have = tr->edit ? tr->nedit : tr->ncells;
	char **e;

	if (n < have)
		n = have;
	if (tr->edit && tr->nedit >= n)
		return 0;
	e = calloc(n, sizeof(*e));
	if (!e)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* cells past the row's end (a short row widened) are empty */
		e[i] = strdup(i < have ? trow_get(t, tr, i) : "");
		if (!e[i]) {
			for (size_t k = 0; k < i; k++)
				free(e[k]);
			free(e);
			return -1;
		}
	}
	free_edit(tr);
	tr->edit = e;
	tr->nedit = n;
	return 0;
}

static int set_cell(struct sales_table *t, struct trow *tr, size_t col,
		    const char *value, struct sales_error *err)
{
	char *v;

	if (!strcmp(trow_get(t, tr, col), value ? value : ""))
		return 0;
	v = strdup(value ? value : "");
	if (!v || make_editable(t, tr, col + 1) < 0) {
		free(v);
		return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
				       "out of memory");
	}
	free(tr->edit[col]);
	tr->edit[col] = v;
	t->dirty = true;
	return 0;
}

int sales_table_set(struct sales_table *t, size_t row, size_t col,
		    const char *value, struct sales_error *err)
{
	if (row >= t->nrows)
		return sales_error_set(err, SALES_EUSAGE, t->path, 0, 0,
				       "row %zu out of range", row);
	return set_cell(t, &t->rows[row], col, value, err);
}

int sales_table_add_column(struct sales_table *t, const char *header,
			   struct sales_error *err)
{
	size_t col = t->header.edit ? t->header.nedit : t->header.ncells;

	if (set_cell(t, &t->header, col, header, err) < 0)
		return -1;
	return (int)col;
}

long sales_table_append(struct sales_table *t, const char *const *cells,
			size_t n, struct sales_error *err)
{
	struct trow *tr = table_new_row(t);

	if (!tr)
		goto nomem;
	tr->offset = -1;
	tr->line = tr->excel_row = 0;
	tr->edit = calloc(n ? n : 1, sizeof(char *));
	if (!tr->edit)
		goto nomem;
	tr->nedit = n;
	for (size_t i = 0; i < n; i++)
		if (!(tr->edit[i] = strdup(cells[i] ? cells[i] : "")))
			goto nomem;
	t->dirty = true;
	return (long)(t->nrows - 1);
nomem:
	if (tr) {
		free_edit(tr);
		t->nrows--;
	}
	return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
			       "out of memory");
}

/* Serialises an edited row in the file's encoding into out.  The row keeps
 * its own line end when it had one. */
static int emit_edited(const struct sales_table *t, const struct trow *tr,
		       struct sales_buf *out, struct sales_error *err)
{
	struct sales_buf rec = {0};
	size_t n = tr->nedit;
	int rc;

	/* an edited row keeps its width; trailing cells it gained empty go */
	while (n > 0 && !tr->edit[n - 1][0] &&
	       n > (tr->offset >= 0 ? tr->ncells : tr->nedit))
		n--;
	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && sales_buf_addch(&rec, ',') < 0) ||
		    sales_csv_field(&rec, tr->edit[i], strlen(tr->edit[i]),
				    ',') < 0) {
			sales_buf_release(&rec);
			return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
					       "out of memory");
		}
	}
	if (sales_buf_addstr(&rec, eol_text(t->eol)) < 0) {
		sales_buf_release(&rec);
		return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
				       "out of memory");
	}
	rc = encode_to(out, rec.data, rec.len, t->enc, t->path, err);
	sales_buf_release(&rec);
	return rc;
}

/* The raw line end of a record (its last 1 or 2 bytes), or "" at EOF. */
static size_t raw_eol_len(const struct sales_table *t, const struct trow *tr)
{
	const char *end = t->data + tr->offset + tr->length;

	if (tr->length >= 2 && end[-2] == '\r' && end[-1] == '\n')
		return 2;
	if (tr->length >= 1 && (end[-1] == '\n' || end[-1] == '\r'))
		return 1;
	return 0;
}

static int emit_row(const struct sales_table *t, const struct trow *tr,
		    struct sales_buf *out, struct sales_error *err)
{
	size_t before = out->len;

	if (emit_edited(t, tr, out, err) < 0)
		return -1;
	/* a last record without a line end stays without one */
	if (tr->offset >= 0 && raw_eol_len(t, tr) == 0) {
		size_t e = strlen(eol_text(t->eol));

		if (out->len - before >= e)
			out->len -= e;
	}
	return 0;
}

int sales_table_prepare(struct sales_table *t, struct sales_error *err)
{
	struct sales_buf out = {0};
	struct stat now;
	size_t pos = 0;
	int rc;

	if (!t->dirty || t->tmp.len)
		return 0;
	if (t->saved)
		return sales_error_set(err, SALES_EUSAGE, t->path, 0, 0,
				       "a table is saved once; load it again to change it further");
	if (stat(t->path, &now) < 0 || now.st_dev != t->st.st_dev ||
	    now.st_ino != t->st.st_ino || now.st_size != t->st.st_size ||
	    now.st_mtim.tv_sec != t->st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != t->st.st_mtim.tv_nsec)
		return sales_error_set(err, SALES_ECHANGED, t->path, 0, 0,
				       "the file changed on disk after it was read (saved from Excel?); nothing written, run the command again");

	/* header, then data rows in file order; gaps copied verbatim */
	for (size_t i = 0; i <= t->nrows; i++) {
		const struct trow *tr = i == 0 ? &t->header : &t->rows[i - 1];

		if (tr->offset < 0 || !tr->edit)
			continue;
		if (sales_buf_add(&out, t->data + pos,
				  (size_t)tr->offset - pos) < 0)
			goto nomem;
		if (emit_row(t, tr, &out, err) < 0)
			goto fail;
		pos = (size_t)tr->offset + tr->length;
	}
	if (sales_buf_add(&out, t->data + pos, t->size - pos) < 0)
		goto nomem;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct trow *tr = &t->rows[i];

		if (tr->offset >= 0)
			continue;
		if (out.len > 0 && out.data[out.len - 1] != '\n' &&
		    out.data[out.len - 1] != '\r' &&
		    sales_buf_addstr(&out, eol_text(t->eol)) < 0)
			goto nomem;
		if (emit_edited(t, tr, &out, err) < 0)
			goto fail;
	}
	rc = write_temp(t->path, &out, 1, t->st.st_mode & 07777, &t->tmp, err);
	sales_buf_release(&out);
	return rc;
nomem:
	sales_error_set(err, SALES_ENOMEM, t->path, 0, 0, "out of memory");
fail:
	sales_buf_release(&out);
	return -1;
}

int sales_table_publish(struct sales_table *t, struct sales_error *err)
{
	if (!t->tmp.len)
		return 0;
	if (publish_temp(t->path, &t->tmp, err) < 0)
		return -1;
	t->saved = true;
	t->dirty = false;
	return 0;
}

const char *sales_table_temp(const struct sales_table *t)
{
	return t->tmp.len ? t->tmp.data : NULL;
}

void sales_table_discard(struct sales_table *t)
{
	if (!t->tmp.len)
		return;
	unlink(t->tmp.data);
	sales_buf_release(&t->tmp);
}

void sales_table_sync(const struct sales_table *t)
{
	fsync_dir(t->path);
}

int sales_table_save(struct sales_table *t, struct sales_error *err)
{
	bool changed = t->dirty;

	if (sales_table_prepare(t, err) < 0 ||
	    sales_table_publish(t, err) < 0)
		return -1;
	if (changed)
		sales_table_sync(t);
	return 0;
}
