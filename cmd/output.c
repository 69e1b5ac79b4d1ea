#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "sheet.h"
#include "text.h"

void json_string(FILE *f, const char *s, size_t len)
{
	struct sales_buf b = { 0 };

	if (sales_json_quote(&b, s, len) == 0)
		fwrite(b.data, 1, b.len, f);
	sales_buf_release(&b);
}

void put_buf(FILE *f, struct sales_buf *b)
{
	if (b->len)
		fwrite(b->data, 1, b->len, f);
	sales_buf_reset(b);
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

void md_field(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '|')
			fputs("\\|", f);
		else if (s[i] == '\n' || s[i] == '\r')
			fputc(' ', f);
		else
			fputc(s[i], f);
	}
}

void sep_field(FILE *f, enum out_format fmt, const char *s, size_t len,
	       bool first)
{
	switch (fmt) {
	case FMT_CSV:
		if (!first)
			fputc(',', f);
		csv_field(f, s, len);
		break;
	case FMT_MD:
		fputs(first ? "| " : " | ", f);
		md_field(f, s, len);
		break;
	default:
		if (!first)
			fputc('\t', f);
		tsv_field(f, s, len);
	}
}

void sep_row_end(FILE *f, enum out_format fmt, size_t ncols)
{
	if (fmt != FMT_MD || !ncols) {
		fputc('\n', f);
		return;
	}
	fputs(" |\n", f);
}

void md_rule(FILE *f, size_t ncols)
{
	fputc('|', f);
	for (size_t c = 0; c < ncols; c++)
		fputs(" --- |", f);
	fputc('\n', f);
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
