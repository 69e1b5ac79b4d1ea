#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sheet.h"
#include "text.h"

void json_string(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

void tsv_field(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(s[i], f);
		}
	}
}

void csv_field(FILE *f, const char *s, size_t len)
{
	struct sales_buf b = {0};

	if (sales_csv_field(&b, s, len, ',') == 0 && b.len)
		fwrite(b.data, 1, b.len, f);
	sales_buf_release(&b);
}

int display_width(const char *s)
{
	return (int)sales_utf8_width(s, strlen(s));
}

void pad_cell(FILE *f, const char *s, int width, bool right)
{
	int w = display_width(s);

	if (right)
		for (int i = w; i < width; i++)
			fputc(' ', f);
	fputs(s, f);
	if (!right)
		for (int i = w; i < width; i++)
			fputc(' ', f);
}

/* ---- tables ---- */

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

int table_add(struct table *t, const char *const *cells)
{
	if (t->nrows == t->alloc) {
		size_t n = t->alloc ? t->alloc * 2 : 16;
		size_t *p = realloc(t->cell, n * t->ncols * sizeof(*p));

		if (!p)
			return -1;
		t->cell = p;
		t->alloc = n;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "";

		t->cell[t->nrows * t->ncols + c] = t->pool.len;
		if (sales_buf_add(&t->pool, s, strlen(s) + 1) < 0)
			return -1;
	}
	t->nrows++;
	return 0;
}

const char *table_cell(const struct table *t, size_t row, size_t col)
{
	return t->pool.data + t->cell[row * t->ncols + col];
}

void table_print(FILE *f, const struct table *t, const char *indent)
{
	int width[TABLE_MAX_COLS] = { 0 };
	size_t last = 0;

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			int w = display_width(table_cell(t, r, c));

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
		fputs(indent ? indent : "", f);
		for (size_t c = 0; c <= end; c++) {
			if (!width[c])
				continue;
			if (!first)
				fputs("  ", f);
			first = false;
			pad_cell(f, table_cell(t, r, c),
				 c == end && !t->right[c] ? 0 : width[c],
				 t->right[c]);
		}
		fputc('\n', f);
	}
}

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

void table_print_md(FILE *f, const struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		fputc('|', f);
		for (size_t c = 0; c < t->ncols; c++) {
			fputc(' ', f);
			md_cell(f, table_cell(t, r, c));
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
	memset(t, 0, sizeof(*t));
}
