#include "table.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "text.h"

void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
}

void table_right(struct table *t, size_t col)
{
	if (col < t->ncols)
		t->right[col] = true;
}

/* A cell's display width as table_add found it, TABLE_W_MORE when that
 * does not fit; TABLE_W_PLAIN when the cell can be printed as it is (valid
 * UTF-8, no line break or tab, short). */
enum { TABLE_W_MORE = 0x7fff, TABLE_W_PLAIN = 0x8000 };

int table_add(struct table *t, const char *const *cells)
{
	/* one item is a row: ncols offsets */
	if (sales_grow(&t->cell, &t->alloc, t->nrows + 1,
		       t->ncols * sizeof(*t->cell), 0) < 0 ||
	    sales_grow(&t->width, &t->walloc, t->nrows + 1,
		       t->ncols * sizeof(*t->width), 0) < 0)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "";
		size_t len = strlen(s), w;
		uint16_t info;
		bool valid, breaks;

		if (t->pool.len > UINT32_MAX - len - 1)
			return -1;
		t->cell[t->nrows * t->ncols + c] = (uint32_t)t->pool.len;
		if (sales_buf_add(&t->pool, s, len + 1) < 0)
			return -1;
		w = sales_utf8_measure(s, len, &valid, &breaks);
		info = w < TABLE_W_MORE ? (uint16_t)w : TABLE_W_MORE;
		if (len < 512 && !breaks && valid)
			info |= TABLE_W_PLAIN;
		t->width[t->nrows * t->ncols + c] = info;
	}
	t->nrows++;
	return 0;
}

const char *table_cell(const struct table *t, size_t row, size_t col)
{
	return t->pool.data + t->cell[row * t->ncols + col];
}

static int cell_width(const struct table *t, size_t row, size_t col)
{
	uint16_t info = t->width[row * t->ncols + col] & ~TABLE_W_PLAIN;
	int w;

	if (info == TABLE_W_MORE) {
		const char *s = table_cell(t, row, col);

		w = (int)sales_utf8_width(s, strlen(s));
	} else {
		w = info;
	}
	return t->max_width > 0 && w > t->max_width ? t->max_width : w;
}

/* A table's lines go out through one buffer, a whole row at a time or
 * more: one stdio call per buffer, not per cell and blank. */
struct table_out {
	FILE *f;
	size_t len;
	char buf[8192];
};

static void out_flush(struct table_out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
}

static void out_put(struct table_out *o, const char *s, size_t n)
{
	if (n > sizeof(o->buf) - o->len) {
		out_flush(o);
		if (n > sizeof(o->buf)) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(struct table_out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

static void put_spaces(struct table_out *o, int n)
{
	static const char blanks[] = "                                ";

	for (; n > 0; n -= (int)sizeof(blanks) - 1)
		out_put(o, blanks, n < (int)sizeof(blanks) - 1 ? (size_t)n :
			sizeof(blanks) - 1);
}

/* Control characters count 0 columns: a line break or tab shows as a space
 * so that a multi-line cell stays on its row. */
static void put_cell(struct table_out *o, const struct table *t, size_t row,
		     size_t col, int width, bool right)
{
	const char *s = table_cell(t, row, col);
	uint16_t info = t->width[row * t->ncols + col];
	char clean[1024], out[2048];
	size_t n = 0, m;

	if ((info & TABLE_W_PLAIN) &&
	    (width <= 0 || ((info & ~TABLE_W_PLAIN) <= width && width < 512))) {
		/* what the padding below would give, without the copies */
		int pad = width <= 0 ? 0 : width - (info & ~TABLE_W_PLAIN);

		if (right)
			put_spaces(o, pad);
		out_str(o, s);
		if (!right)
			put_spaces(o, pad);
		return;
	}
	for (; *s && n + 1 < sizeof(clean); s++)
		clean[n++] = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
	clean[n] = '\0';
	if (width <= 0) {
		out_put(o, clean, n);
		return;
	}
	m = sales_utf8_pad(clean, n, width, right, out, sizeof(out));
	out_put(o, out, m);
}

void table_print(FILE *f, const struct table *t, const char *indent)
{
	int width[TABLE_MAX_COLS] = { 0 };
	size_t last = 0;
	struct table_out out = { .f = f }, *o = &out;

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			int w = cell_width(t, r, c);

			if (w > width[c])
				width[c] = w;
		}
	/* no trailing blanks: the last column that has any text */
	for (size_t c = 0; c < t->ncols; c++)
		if (width[c])
			last = c;
	for (size_t r = 0; r < t->nrows; r++) {
		size_t end = last;
		bool first = true;

		while (end > 0 && !*table_cell(t, r, end))
			end--;
		out_str(o, indent ? indent : "");
		if (r == 0)
			out_str(o, color_on(f, COLOR_HEADING));
		for (size_t c = 0; c <= end; c++) {
			bool cut = t->max_width > 0 &&
				   cell_width(t, r, c) >= t->max_width;

			if (!width[c])
				continue;
			if (!first)
				out_put(o, "  ", 2);
			first = false;
			put_cell(o, t, r, c,
				 c == end && !t->right[c] && !cut ? 0 : width[c],
				 t->right[c]);
		}
		if (r == 0)
			out_str(o, color_off(f));
		out_put(o, "\n", 1);
		if (r == 0 && t->rule) {
			first = true;
			out_str(o, indent ? indent : "");
			for (size_t c = 0; c <= last; c++) {
				if (!width[c])
					continue;
				if (!first)
					out_put(o, "  ", 2);
				first = false;
				for (int i = 0; i < width[c]; i++)
					out_put(o, "-", 1);
			}
			out_put(o, "\n", 1);
		}
	}
	out_flush(o);
}

void table_print_md(FILE *f, const struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		fputc('|', f);
		for (size_t c = 0; c < t->ncols; c++) {
			fputc(' ', f);
			md_field(f, table_cell(t, r, c), strlen(table_cell(t, r, c)));
			fputs(" |", f);
		}
		fputc('\n', f);
		if (r == 0) {
			fputc('|', f);
			for (size_t c = 0; c < t->ncols; c++)
				fputs(t->right[c] ? " ---: |" : " --- |", f);
			fputc('\n', f);
		}
	}
}

void table_release(struct table *t)
{
	sales_buf_release(&t->pool);
	free(t->cell);
	free(t->width);
	memset(t, 0, sizeof(*t));
}

void table_print_as(FILE *f, const struct table *t, enum out_format fmt)
{
	if (fmt == FMT_TABLE) {
		table_print(f, t, "");
		return;
	}
	if (fmt == FMT_MD) {
		table_print_md(f, t);
		return;
	}
	if (fmt == FMT_JSON) {
		/* an object a row, keyed by the header; a right-aligned
		 * (numeric) column as a number, null when empty */
		struct sales_buf out = { 0 };
		struct sales_json j;

		sales_json_init(&j, &out);
		sales_json_array(&j, SALES_JSON_COMPACT);
		for (size_t r = 1; r < t->nrows; r++) {
			sales_json_object(&j, SALES_JSON_COMPACT);
			for (size_t c = 0; c < t->ncols; c++) {
				const char *v = table_cell(t, r, c);

				sales_json_key(&j, table_cell(t, 0, c));
				if (c < TABLE_MAX_COLS && t->right[c])
					sales_json_number(&j, v);
				else
					sales_json_str(&j, v);
			}
			sales_json_end(&j);
		}
		sales_json_end(&j);
		sales_buf_addch(&out, '\n');
		put_buf(f, &out);
		sales_buf_release(&out);
		return;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = table_cell(t, r, c);

			sep_field(f, fmt, v, strlen(v), c == 0);
		}
		sep_row_end(f, fmt, t->ncols);
	}
}
