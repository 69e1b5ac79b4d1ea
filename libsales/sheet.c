/*
 * sheet.c - reading CSV on top of libcsv and iconv (see sheet.h; the fast
 * path is sheet_fast.c).
 *
 * libcsv gives no positions, so the reader feeds it one physical line at a
 * time (every CR or LF ends a chunk; CRLF stays together) and looks at the
 * parser's state after each chunk: that yields exact record boundaries, raw
 * byte spans for byte-identical rewrites, physical line numbers and Excel
 * row numbers, without a second tokenizer.
 */
#include "sheet_impl.h"
#include "buf.h"
#include "readahead.h"
#include "i18n.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define WINDOW_INITIAL (1u << 20)
#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

/* ---- small helpers ---- */

bool sheet_all_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] & 0x80)
			return false;
	return true;
}

const char *sheet_display_name(const struct sales_read_options *opt,
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

/* ---- the encoding, by evidence ---- */

static enum sales_encoding default_encoding = SALES_ENC_AUTO;
static bool default_forced;

void sales_set_default_encoding(enum sales_encoding enc, bool forced)
{
	if (default_forced && !forced)
		return;
	default_encoding = enc;
	default_forced = forced && enc != SALES_ENC_AUTO;
}

int sales_encoding_parse(const char *name, enum sales_encoding *out)
{
	static const struct {
		const char *name;
		enum sales_encoding enc;
	} names[] = {
		{ "auto", SALES_ENC_AUTO }, { "utf-8", SALES_ENC_UTF8 },
		{ "utf8", SALES_ENC_UTF8 }, { "gbk", SALES_ENC_GB18030 },
		{ "gb18030", SALES_ENC_GB18030 }, { "gb2312", SALES_ENC_GB18030 },
		{ "cp936", SALES_ENC_GB18030 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i].name)) {
			*out = names[i].enc;
			return 0;
		}
	return -1;
}

/* A code point a Chinese workbook holds.  Latin-1 letters and every other
 * two-byte code point are not: GBK text that happens to be valid UTF-8
 * reads as exactly those (女 as Ů, 状态 as Hebrew and combining marks). */
static bool cp_plausible(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) ||     /* CJK ideographs */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||     /* extension A */
	       (cp >= 0x3000 && cp <= 0x303F) ||     /* CJK punctuation */
	       (cp >= 0xFF00 && cp <= 0xFFEF) ||     /* full-width forms */
	       (cp >= 0x2000 && cp <= 0x206F) ||     /* “” … — */
	       (cp >= 0x2100 && cp <= 0x27BF) ||     /* → ① ★ ■ ✓ */
	       (cp >= 0x20000 && cp <= 0x3134F) ||   /* extensions B-G */
	       cp == 0xB7 || cp == 0xD7 || cp == 0xF7 || cp == 0xB0 ||
	       cp == 0xA5 || cp == 0xFEFF;
}

struct enc_weights {
	unsigned long ugood, utotal;   /* plausible / all characters as UTF-8 */
	unsigned long ggood, gtotal;   /* the same read as GBK */
};

static void weigh(const char *s, size_t len, struct enc_weights *w)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long ugood = 0, utotal = 0, ggood = 0, gtotal = 0;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if (u[i] < 0x80) {
			i++;
			continue;
		}
		n = sales_utf8_decode(s + i, len - i, &cp);
		utotal++;
		if (!(cp == 0xFFFD && n == 1) && cp_plausible(cp))
			ugood++;
		i += n;
	}
	for (i = 0; utotal && i < len;) {
		unsigned char a = u[i], b;

		if (a < 0x80) {
			i++;
			continue;
		}
		gtotal++;
		if (a == 0x80 || a == 0xFF || i + 1 >= len) {
			i++;
			continue;
		}
		b = u[i + 1];
		if (b >= 0x30 && b <= 0x39) {
			/* a four-byte GB18030 sequence: valid, but rare text */
			i += i + 3 < len ? 4 : 1;
			continue;
		}
		if (b < 0x40 || b == 0x7F || b == 0xFF) {
			i++;
			continue;
		}
		if (b >= 0xA1 && ((a >= 0xB0 && a <= 0xF7) ||
				  (a >= 0xA1 && a <= 0xA9)))
			ggood++;   /* GB2312: hanzi, or the symbol rows */
		i += 2;
	}
	w->ugood = ugood;
	w->utotal = utotal;
	w->ggood = ggood;
	w->gtotal = gtotal;
}

/* GBK only when its share of plausible characters is larger */
static bool gbk_wins(const struct enc_weights *w)
{
	return (unsigned long long)w->ggood * w->utotal >
	       (unsigned long long)w->ugood * w->gtotal;
}

enum sales_encoding sales_encoding_guess(const char *s, size_t len)
{
	struct enc_weights w;

	weigh(s, len, &w);
	if (!w.utotal)
		return SALES_ENC_AUTO;
	return gbk_wins(&w) ? SALES_ENC_GB18030 : SALES_ENC_UTF8;
}

/* A cell of a UTF-8 file that is plainly GBK: it wins as GBK and holds not
 * one plausible UTF-8 character (a UTF-8 cell cut short still does). */
static bool cell_plainly_gbk(const char *s, size_t len)
{
	struct enc_weights w;

	weigh(s, len, &w);
	return w.ugood == 0 && gbk_wins(&w);
}

/* A cell of a GBK file that is plainly UTF-8: valid, and wins as UTF-8. */
static bool cell_plainly_utf8(const char *s, size_t len)
{
	struct enc_weights w;

	if (!sales_utf8_valid(s, len, NULL))
		return false;
	weigh(s, len, &w);
	return w.ugood > 0 && !gbk_wins(&w);
}

#define GUESS_WINDOW (1u << 20)

/*
 * The encoding of text[0..n): the first line whose bytes say it plainly (not
 * UTF-8 and better as GBK: GBK; UTF-8 whose every character is plausible:
 * UTF-8), so
 * that a file in two encodings fails at the first line that disagrees with
 * it; when no line is plain (a GBK file whose non-ASCII text is all valid
 * UTF-8, such as 女 or 状态), the weights of the whole text decide.
 */
static enum sales_encoding decide_by_lines(const char *text, size_t n)
{
	const char *p = text, *end = text + n;

	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
		struct enc_weights w;

		if (!sheet_all_ascii(p, len)) {
			weigh(p, len, &w);
			if (!sales_utf8_valid(p, len, NULL) && gbk_wins(&w))
				return SALES_ENC_GB18030;
			if (w.ugood == w.utotal && !gbk_wins(&w))
				return SALES_ENC_UTF8;
		}
		p += len + 1;
	}
	return sales_encoding_guess(text, n);
}

void sheet_decide_encoding(struct sales_reader *r, size_t off)
{
	char *buf = NULL;
	const char *text;
	size_t n;
	enum sales_encoding enc;

	if (r->fd >= 0) {
		ssize_t got;

		buf = malloc(GUESS_WINDOW);
		if (!buf)
			return;
		do
			got = pread(r->fd, buf, GUESS_WINDOW,
				    r->win_off + (off_t)off);
		while (got < 0 && errno == EINTR);
		n = got > 0 ? (size_t)got : 0;
		/* a full window ends at an arbitrary byte: judge up to its
		 * last line end */
		if (n == GUESS_WINDOW)
			while (n > 0 && buf[n - 1] != '\n' && buf[n - 1] != '\r')
				n--;
		text = buf;
	} else {
		text = r->win + off;
		n = r->wlen - off;
	}
	enc = decide_by_lines(text, n);
	free(buf);
	if (enc == SALES_ENC_AUTO)
		return;
	r->enc = enc;
	r->enc_why = SHEET_ENC_TEXT;
	r->enc_line = r->rec_open ? r->rec_line : r->line;
}

static const char *enc_reason(const struct sales_reader *r, char *buf,
			      size_t cap)
{
	switch (r->enc_why) {
	case SHEET_ENC_BOM:
		return _(" because of its BOM");
	case SHEET_ENC_OPTION:
		return _(" as --encoding or csv.encoding says");
	case SHEET_ENC_TEXT:
		snprintf(buf, cap, _(", as its text from line %ld is"), r->enc_line);
		return buf;
	default:
		return "";
	}
}

/* ---- leniency and warnings ---- */

static bool strict_csv;
static sales_read_warning_fn warn_fn;
static void *warn_ud;
static sales_read_progress_fn progress_fn;
static void *progress_ud;

void sales_set_read_progress_handler(sales_read_progress_fn fn, void *ud)
{
	progress_fn = fn;
	progress_ud = ud;
}

/* This thread's sales_read_capture_begin, or NULL. */
static _Thread_local struct sales_read_capture *capture;
/* sales_read_set_readahead(false) in this thread */
static _Thread_local bool no_readahead;

void sales_read_set_readahead(bool on)
{
	no_readahead = !on;
}

static void tell_progress(struct sales_reader *r, bool finished)
{
	if (progress_fn && r->fd >= 0 && !capture)
		progress_fn(r->name, atomic_load_explicit(&r->bytes_in,
							  memory_order_relaxed),
			    r->file_size, finished, progress_ud);
}

void sales_set_strict_csv(bool strict)
{
	strict_csv = strict;
}

void sales_set_read_warning_handler(sales_read_warning_fn fn, void *ud)
{
	warn_fn = fn;
	warn_ud = ud;
}

void sales_read_warn(const struct sales_error *w)
{
	struct sales_read_capture *c = capture;

	if (!warn_fn)
		return;
	if (!c) {
		warn_fn(w, warn_ud);
		return;
	}
	if (SALES_ALLOC_GROW(c->w, c->n + 1, c->alloc) < 0)
		c->lost++;
	else
		c->w[c->n++] = *w;
}

void sales_read_capture_begin(struct sales_read_capture *c)
{
	capture = c;
}

void sales_read_capture_end(void)
{
	capture = NULL;
}

void sales_read_capture_replay(const struct sales_read_capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		sales_read_warn(&c->w[i]);
}

void sales_read_capture_release(struct sales_read_capture *c)
{
	free(c->w);
	c->w = NULL;
	c->n = c->alloc = c->lost = 0;
}

const char *sales_cell_lenient_message(uint32_t flags)
{
	if (flags & SALES_CELL_LITERAL_QUOTE)
		return _("a quote inside an unquoted cell was read as a literal quote, as Excel does (strict CSV quotes the cell and doubles the quote, as in \"37.8\"\"N\")");
	if (flags & SALES_CELL_JOINED)
		return _("text after a closing quote was joined to the cell, as Excel does (strict CSV ends a quoted cell at its closing quote)");
	if (flags & SALES_CELL_BOM_DROPPED)
		return _("an invisible U+FEFF (byte order mark) starting the cell was dropped (pasted from a web page?)");
	return "";
}

/* Tells the handler about each lenient cell of row. */
static void warn_lenient(const struct sales_reader *r,
			 const struct sales_row *row)
{
	if (!warn_fn || !(row->flags & SALES_CELL_LENIENT))
		return;
	for (size_t i = 0; i < row->ncells; i++) {
		struct sales_error w;

		if (!(row->cells[i].flags & SALES_CELL_LENIENT))
			continue;
		sales_error_clear(&w);
		sales_error_set(&w, row == &r->header ? SALES_ESCHEMA : 0,
				r->name, row->line, (int)i + 1, "%s",
				sales_cell_lenient_message(row->cells[i].flags));
		sales_error_set_cell(&w, (int)i + 1, row->excel_row);
		sales_read_warn(&w);
	}
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
	if (SALES_ALLOC_GROW(r->refs, r->nrefs + 1, r->crefs) < 0)
		return -1;
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
	if (sheet_all_ascii(s, len)) {
		if (sales_buf_add(&r->arena, s, len) < 0)
			goto nomem;
	} else {
		char why[64];

		if (r->enc == SALES_ENC_AUTO)
			sheet_decide_encoding(r, r->rec_start);
		if (r->enc == SALES_ENC_AUTO) {
			r->enc = SALES_ENC_UTF8;
			r->enc_why = SHEET_ENC_TEXT;
			r->enc_line = r->line;
		}
		if (r->enc == SALES_ENC_UTF8) {
			if (!sales_utf8_valid(s, len, &bad)) {
				if (r->enc_why == SHEET_ENC_TEXT &&
				    cell_plainly_gbk(s, len))
					reader_fail(r, r->cb_err, SALES_EENCODING,
						    r->line, column, r->rec_excel_row,
						    _("mixed encodings: this cell is GBK/GB18030 but the file is UTF-8%s; save the whole file again in one encoding (or use --encoding)"),
						    enc_reason(r, why, sizeof(why)));
				else
					reader_fail(r, r->cb_err, SALES_EENCODING,
						    r->line, column, r->rec_excel_row,
						    "byte 0x%02X at offset %zu of the cell is not valid UTF-8 (file read as UTF-8%s)",
						    (unsigned char)s[bad], bad,
						    enc_reason(r, why, sizeof(why)));
				goto failed;
			}
			if (sales_buf_add(&r->arena, s, len) < 0)
				goto nomem;
		} else {
			int rc;

			if (r->enc_why == SHEET_ENC_TEXT &&
			    cell_plainly_utf8(s, len)) {
				reader_fail(r, r->cb_err, SALES_EENCODING,
					    r->line, column, r->rec_excel_row,
					    _("mixed encodings: this cell is UTF-8 but the file is GBK/GB18030%s; save the whole file again in one encoding (or use --encoding)"),
					    enc_reason(r, why, sizeof(why)));
				goto failed;
			}
			rc = convert_gb18030(r, s, len, &bad);

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
		/* a BOM starting a row that repeats the header: two files
		 * joined; anywhere else Excel shows nothing for it */
		if (strict_csv ||
		    (column == 1 && r->header_cells &&
		     r->header_cells[0].len == tlen - 3 &&
		     !memcmp(text + 3, r->header_cells[0].s, tlen - 3))) {
			reader_fail(r, r->cb_err, SALES_EENCODING, r->line,
				    column, r->rec_excel_row,
				    "a byte order mark (BOM) starts this cell: were two CSV files joined into one? remove it (and any second header row)");
			goto failed;
		}
		memmove(r->arena.data + start, text + 3, tlen - 3 + 1);
		r->arena.len -= 3;
		tlen -= 3;
		flags |= SALES_CELL_BOM_DROPPED;
	}
	if (r->repairing && (size_t)column - 1 < r->nlenient)
		flags |= r->lenient[column - 1];
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
	if (SALES_ALLOC_GROW(r->win, r->wlen + 1, r->wcap) < 0)
		return reader_fail(r, err, SALES_ENOMEM, r->line, 0, 0,
				   "out of memory reading a record");
	do
		n = read(r->fd, r->win + r->wlen, r->wcap - r->wlen);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return reader_fail(r, err, SALES_EIO, r->line, 0, 0,
				   "cannot read: %s", strerror(errno));
	if (n == 0)
		r->eof = true;
	else
		atomic_fetch_add_explicit(&r->bytes_in, (unsigned long long)n,
					  memory_order_relaxed);
	r->wlen += (size_t)n;
	return 0;
}

static void build_row(struct sales_reader *r, struct sales_row *row)
{
	if (SALES_ALLOC_GROW(r->cells, r->nrefs, r->ccells) < 0) {
		row->ncells = 0;
		return;
	}
	row->flags = 0;
	for (size_t i = 0; i < r->nrefs; i++) {
		r->cells[i].s = r->arena.data + r->refs[i].off;
		r->cells[i].len = r->refs[i].len;
		r->cells[i].flags = r->refs[i].flags;
		row->flags |= r->refs[i].flags &
			      (SALES_CELL_LENIENT | SALES_CELL_FORMULA);
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

static int space_none(unsigned char c);
static void *csv_grow(void *p, size_t n);

static int add_lenient(struct sales_reader *r, size_t cell, uint32_t flags)
{
	if (SALES_ALLOC_GROW(r->lenient, cell + 1, r->clenient) < 0)
		return -1;
	r->lenient[cell] = flags;
	r->nlenient = cell + 1;
	return 0;
}

/*
 * Excel's reading of the record at r->rec_start, which strict CSV refused:
 * a quote inside an unquoted cell is literal, text after a closing quote
 * joins the cell.  Writes the record as strict CSV into r->repair, its
 * cells' flags into r->lenient, and *consumed and *lines for the raw bytes it
 * spans.  Returns 1, 0 when the record does not end in the window yet, -1
 * when Excel would refuse it too (a NUL, an unclosed quote at the end).
 */
static int repair_record(struct sales_reader *r, size_t *consumed, long *lines)
{
	const char *base = r->win + r->rec_start, *p = base;
	const char *end = r->win + r->wlen;
	struct sales_buf *b = &r->repair;
	size_t cell = 0;

	sales_buf_reset(b);
	r->nlenient = 0;
	*lines = 0;
	for (;;) {
		uint32_t fl = 0;

		if (p < end && *p == '"') {
			sales_buf_addch(b, *p++);
			for (;;) {
				if (p == end)
					return r->eof ? -1 : 0;
				if (*p == '\0')
					return -1;
				if (*p == '"') {
					if (p + 1 == end && !r->eof)
						return 0;
					if (p + 1 < end && p[1] == '"') {
						sales_buf_add(b, "\"\"", 2);
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n' || (*p == '\r' && (p + 1 == end ||
								 p[1] != '\n')))
					(*lines)++;
				sales_buf_addch(b, *p++);
			}
			while (p < end && *p != ',' && *p != '\r' && *p != '\n') {
				if (*p == '\0')
					return -1;
				fl = SALES_CELL_JOINED;
				if (*p == '"')
					sales_buf_addch(b, '"');
				sales_buf_addch(b, *p++);
			}
			sales_buf_addch(b, '"');
		} else {
			const char *s = p;

			while (p < end && *p != ',' && *p != '\r' && *p != '\n') {
				if (*p == '\0')
					return -1;
				if (*p == '"')
					fl = SALES_CELL_LITERAL_QUOTE;
				p++;
			}
			if (fl)
				sales_buf_addch(b, '"');
			for (const char *q = s; q < p; q++) {
				if (fl && *q == '"')
					sales_buf_addch(b, '"');
				sales_buf_addch(b, *q);
			}
			if (fl)
				sales_buf_addch(b, '"');
		}
		if (add_lenient(r, cell++, fl) < 0)
			return -1;
		if (p == end) {
			if (!r->eof)
				return 0;
			break;
		}
		if (*p == ',') {
			sales_buf_addch(b, *p++);
			continue;
		}
		if (*p == '\r') {
			if (p + 1 == end && !r->eof)
				return 0;
			if (p + 1 < end && p[1] == '\n')
				sales_buf_addch(b, *p++);
		}
		sales_buf_addch(b, *p++);
		(*lines)++;
		break;
	}
	*consumed = (size_t)(p - base);
	return b->data ? 1 : -1;
}

/* Reads the record at r->rec_start as Excel does (repair_record) with a
 * fresh libcsv parser.  Returns 1 with r->row, -1 on error, -2 when the
 * record is refused as strict CSV refuses it. */
static int read_repaired(struct sales_reader *r, struct sales_error *err)
{
	size_t consumed = 0;
	long lines = 0;
	int rc;

	/* the partial record is dropped and read again from its start */
	r->wpos = r->rec_start;
	r->line = r->rec_line;
	r->rec_open = true;
	while ((rc = repair_record(r, &consumed, &lines)) == 0)
		if (refill(r, err) < 0)
			return -1;
	if (rc < 0)
		return -2;
	csv_free(&r->parser);
	if (csv_init(&r->parser, CSV_OPTIONS) != 0)
		return reader_fail(r, err, SALES_ENOMEM, 0, 0, 0,
				   "out of memory");
	csv_set_space_func(&r->parser, space_none);
	csv_set_realloc_func(&r->parser, csv_grow);
	r->nrefs = 0;
	sales_buf_reset(&r->arena);
	r->rec_done = false;
	r->cb_failed = false;
	r->repairing = true;
	if (csv_parse(&r->parser, r->repair.data, r->repair.len, on_field,
		      on_record, r) < r->repair.len ||
	    (!r->rec_done && !r->cb_failed &&
	     csv_fini(&r->parser, on_field, on_record, r) != 0)) {
		r->repairing = false;
		return -2;
	}
	r->repairing = false;
	if (r->cb_failed)
		return -1;
	r->wpos = r->rec_start + consumed;
	r->line = r->rec_line + lines;
	if (!r->rec_done)
		return -2;
	build_row(r, &r->row);
	r->excel_row++;
	r->rec_open = false;
	return 1;
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
			char c = p[used];

			if (!strict_csv && (c == '"' || (c != ',' && c != '\r' &&
							 c != '\n' && c != '\0'))) {
				int rc = read_repaired(r, err);

				if (rc != -2)
					return rc;
			}
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


static int parse_record(struct sales_reader *r, struct sales_error *err)
{
	while (!r->finished) {
		int rc = sheet_fast_record(r);

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
	if (r->enc == SALES_ENC_AUTO)
		r->enc = default_encoding;
	if (r->enc != SALES_ENC_AUTO)
		r->enc_why = SHEET_ENC_OPTION;
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
		if (r->enc == SALES_ENC_AUTO) {
			r->enc = SALES_ENC_UTF8;
			r->enc_why = SHEET_ENC_BOM;
		}
	}
	if (r->enc == SALES_ENC_AUTO)
		sheet_decide_encoding(r, r->wpos);

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
	if (r->width == 1 && opt && opt->skip_title_row) {
		/* a title row above the header ("数据由…整理"): noted, skipped */
		struct sales_error w;

		sales_error_clear(&w);
		sales_error_set(&w, SALES_ESCHEMA, r->name, r->row.line, 1,
				_("title row '%.60s' above the header skipped"),
				r->row.cells[0].s);
		sales_error_set_cell(&w, 1, r->row.excel_row);
		sales_read_warn(&w);
		do
			rc = parse_record(r, err);
		while (rc > 0 && r->row.ncells <= 1 &&
		       (!r->row.ncells || cell_blank(&r->row.cells[0])));
		if (rc < 0)
			return -1;
		if (rc == 0)
			return reader_fail(r, err, SALES_EPARSE, r->row.line, 0,
					   0, "no header row below the title row");
		r->width = r->row.ncells;
		while (r->width > 0 &&
		       cell_blank(&r->row.cells[r->width - 1]))
			r->width--;
	}
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
	warn_lenient(r, &r->header);
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
	struct sales_reader *r = reader_alloc(sheet_display_name(opt, path));
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
	tell_progress(r, false);
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
	struct sales_reader *r = reader_alloc(sheet_display_name(opt, name));

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

/* The next data record, in the calling thread; lean: without the prepare
 * function's work (the row's prep is then NULL). */
static int reader_next_here(struct sales_reader *r, bool lean,
			    const struct sales_row **row,
			    struct sales_error *err)
{
	for (;;) {
		int rc;
		size_t n;
		bool blank = true;

		if (r->filter) {
			rc = sheet_fast_skip(r);
			if (rc == FAST_DONE)
				continue;
			if (rc == FAST_MORE) {
				if (refill(r, err) < 0)
					return -1;
				continue;
			}
		}
		rc = parse_record(r, err);
		if (rc <= 0)
			return rc;
		n = r->row.ncells;
		if (r->row.flags & SHEET_ROW_SKIPPED_TEXT) {
			/* a skipped cell held text: a cell past the header
			 * is still looked for below */
			r->row.flags &= ~SHEET_ROW_SKIPPED_TEXT;
			blank = false;
		}
		/* the first cell that is not blank decides; past the header
		 * one is an error */
		for (size_t i = 0; i < n; i++) {
			if (cell_blank(&r->row.cells[i]))
				continue;
			if (i >= r->width)
				return reader_fail(r, err, SALES_EPARSE,
						   r->row.line, (int)i + 1,
						   r->row.excel_row,
						   "cell outside the table: the header has %zu columns but this row has a value in column %zu",
						   r->width, i + 1);
			blank = false;
			if (n <= r->width)
				break;
			if (i < r->width - 1)
				i = r->width - 1;   /* on to the cells past it */
		}
		if (blank)
			continue;
		if (n > r->width)
			r->row.ncells = r->width;
		if (r->filter && r->filter_key >= 0) {
			/* a continuation of a dropped record is dropped too
			 * (sales_reader_next, after its warnings) */
			size_t k = (size_t)r->filter_key;

			if (r->filter_dropped &&
			    (k >= r->row.ncells || cell_blank(&r->row.cells[k])))
				r->row.flags |= SHEET_ROW_DROPPED;
			else
				r->filter_dropped = false;
		}
		if (r->prep_fn && r->prep_on && !lean) {
			r->prep_fn(r->prep_ud, &r->row, r->prep_buf);
			r->row.prep = r->prep_buf;
			r->row.prep_len = (uint32_t)r->prep_size;
		} else {
			r->row.prep = NULL;
			r->row.prep_len = 0;
		}
		*row = &r->row;
		return 1;
	}
}

int sales_reader_set_prepare(struct sales_reader *r, sales_row_prepare_fn fn,
			     void *ud, size_t size)
{
	void *buf = NULL;

	if (size > SALES_PREP_MAX || r->ra)
		return -1;
	/* max_align_t-aligned, as malloc's: prep may hold any scalar */
	if (fn && size && !(buf = malloc(size)))
		return -1;
	free(r->prep_buf);
	r->prep_fn = fn;
	r->prep_ud = ud;
	r->prep_size = fn ? size : 0;
	r->prep_buf = buf;
	return 0;
}

int sales_reader_set_filter(struct sales_reader *r, const char *text,
			    int key_col)
{
	size_t len = strlen(text);
	const char *t = sales_trim(text, &len);

	if (r->ra || r->ra_tried)
		return -1;
	free(r->filter);
	r->filter = NULL;
	r->filter_len = 0;
	r->filter_key = -1;
	r->filter_dropped = false;
	if (!len)
		return 0;   /* no text to look for: every record */
	/* as a record's bytes hold it: a cell with a quote is quoted and
	 * the quote doubled (an unquoted one is read in full) */
	if (!(r->filter = malloc(2 * len + 1)))
		return -1;
	for (size_t i = 0; i < len; i++) {
		r->filter[r->filter_len++] = t[i];
		if (t[i] == '"')
			r->filter[r->filter_len++] = '"';
	}
	r->filter[r->filter_len] = '\0';
	r->filter_key = key_col;
	return 0;
}

int sales_reader_set_columns(struct sales_reader *r, const bool *keep,
			     size_t n)
{
	bool *skip = NULL;

	if (r->ra || r->ra_tried)
		return -1;
	if (n > r->width)
		n = r->width;
	if (n && !(skip = malloc(n * sizeof(*skip))))
		return -1;
	for (size_t i = 0; i < n; i++)
		skip[i] = !keep[i];
	free(r->skip);
	r->skip = skip;
	r->nskip = n;
	return 0;
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

static int reader_source(void *src, bool lean, const struct sales_row **row,
			 uint32_t *state, struct sales_error *err)
{
	struct sales_reader *r = src;
	int rc = reader_next_here(r, lean, row, err);

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
/* Starts the readahead thread at r's next record (sales_reader_next). */
static void reader_start_ahead(struct sales_reader *r)
{
	if (r->fd < 0 || sales_thread_count(r->file_size) < 2)
		return;
	reader_set_seen(r, reader_state(r));
	r->prep_on = r->prep_fn != NULL;
	if (sales_readahead_start(&r->ra, reader_source, r, NULL) < 0) {
		r->ra = NULL;
		r->prep_on = false;
	}
}

void sales_reader_readahead_when(struct sales_reader *r, const _Atomic bool *go)
{
	r->ra_go = go;
}

const struct sales_row *sales_reader_peek(const struct sales_reader *r,
					  size_t k)
{
	return r->ra ? sales_readahead_peek(r->ra, k) : NULL;
}

int sales_reader_next(struct sales_reader *r, const struct sales_row **row,
		      struct sales_error *err)
{
	uint32_t state;
	int rc;

again:
	if (!r->ra && !r->ra_tried) {
		r->ra_tried = true;
		if (!no_readahead)
			reader_start_ahead(r);
	} else if (!r->ra && r->ra_go &&
		   atomic_load_explicit(r->ra_go, memory_order_acquire)) {
		/* between two records: the thread goes on from here */
		r->ra_go = NULL;
		reader_start_ahead(r);
	}
	if (!r->ra) {
		rc = reader_next_here(r, false, row, err);
	} else {
		rc = sales_readahead_next(r->ra, row, &state, err);
		reader_set_seen(r, state);
	}
	if (rc > 0)
		warn_lenient(r, *row);
	if (rc > 0 && ((*row)->flags & SHEET_ROW_DROPPED))
		goto again;
	if (++r->progress_tick >= 4096) {
		r->progress_tick = 0;
		tell_progress(r, false);
	}
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

unsigned long long sales_reader_file_size(const struct sales_reader *r)
{
	return r->file_size;
}

void sales_reader_close(struct sales_reader *r)
{
	if (!r)
		return;
	sales_readahead_stop(r->ra);   /* before anything it reads is freed */
	tell_progress(r, true);
	if (r->fd >= 0)
		close(r->fd);
	if (r->owns_win)
		free(r->win);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	csv_free(&r->parser);
	sales_buf_release(&r->arena);
	sales_buf_release(&r->repair);
	free(r->lenient);
	sales_buf_release(&r->header_text);
	free(r->header_cells);
	free(r->refs);
	free(r->cells);
	free(r->prep_buf);
	free(r->filter);
	free(r->skip);
	free(r->name);
	free(r);
}

