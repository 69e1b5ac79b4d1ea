#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "json.h"
#include "sheet.h"
#include "text.h"

/* One buffer for the escapers below, kept between calls (cmd/ prints from
 * one thread), so a field costs no allocation: each writes a field with one
 * fwrite, the runs between escapes copied in one piece. */
static struct sales_buf field_buf;

void json_print_end(struct sales_json *j, struct sales_buf *out)
{
	while (j->depth > 0)
		sales_json_end(j);
	sales_buf_addch(out, '\n');
	put_buf(stdout, out);
}

/* A key whose quoted form is the literal's text: written as it is (keys
 * are most of a finding's object; quoting them each time cost more than
 * the rest). */
#define KEY(j, k) sales_json_key_quoted((j), "\"" k "\"", sizeof(k) + 1)

void json_finding(struct sales_json *j, const struct sales_finding *k,
		  bool with_customer)
{
	sales_json_object(j, SALES_JSON_COMPACT);
	KEY(j, "check");
	sales_json_str(j, sales_check_defs[k->check].name);
	KEY(j, "severity");
	sales_json_str(j, sales_severity_name(k->severity));
	KEY(j, "file");
	sales_json_str(j, k->file);
	KEY(j, "line");
	sales_json_int(j, k->line);
	KEY(j, "column");
	sales_json_int(j, k->column);
	KEY(j, "cell");
	sales_json_str(j, k->cell);
	if (with_customer) {
		KEY(j, "customer");
		sales_json_str(j, k->customer);
	}
	KEY(j, "message");
	sales_json_str(j, k->message);
	sales_json_end(j);
}

void put_buf(FILE *f, struct sales_buf *b)
{
	if (b->len)
		fwrite(b->data, 1, b->len, f);
	sales_buf_reset(b);
}

void put_some(FILE *f, struct sales_buf *b)
{
	if (b->len >= 64 * 1024)
		put_buf(f, b);
}

/* Writes s[0..len) with the bytes for which escape() gives a replacement
 * replaced, the runs between them in one piece. */
static void put_escaped(FILE *f, const char *s, size_t len,
			const char *(*escape)(char c))
{
	size_t run = 0;

	sales_buf_reset(&field_buf);
	for (size_t i = 0; i < len; i++) {
		const char *esc = escape(s[i]);

		if (!esc)
			continue;
		sales_buf_add(&field_buf, s + run, i - run);
		sales_buf_addstr(&field_buf, esc);
		run = i + 1;
	}
	if (run == 0) {
		fwrite(s, 1, len, f);
		return;
	}
	sales_buf_add(&field_buf, s + run, len - run);
	fwrite(field_buf.data, 1, field_buf.len, f);
}

static const char *tsv_escape(char c)
{
	switch (c) {
	case '\t': return "\\t";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\\': return "\\\\";
	default: return NULL;
	}
}

void tsv_field(FILE *f, const char *s, size_t len)
{
	put_escaped(f, s, len, tsv_escape);
}

static const char *md_escape(char c)
{
	switch (c) {
	case '|': return "\\|";
	case '\n': case '\r': return " ";
	default: return NULL;
	}
}

void md_field(FILE *f, const char *s, size_t len)
{
	put_escaped(f, s, len, md_escape);
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
	sales_buf_reset(&field_buf);
	if (sales_csv_field(&field_buf, s, len, ',') == 0 && field_buf.len)
		fwrite(field_buf.data, 1, field_buf.len, f);
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
