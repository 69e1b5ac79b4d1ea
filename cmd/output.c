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

void tsv_field_buf(struct sales_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\t': sales_buf_addstr(b, "\\t"); break;
		case '\n': sales_buf_addstr(b, "\\n"); break;
		case '\r': sales_buf_addstr(b, "\\r"); break;
		case '\\': sales_buf_addstr(b, "\\\\"); break;
		default: sales_buf_addch(b, s[i]);
		}
	}
}

void tsv_field(FILE *f, const char *s, size_t len)
{
	struct sales_buf b = {0};

	tsv_field_buf(&b, s, len);
	if (b.len)
		fwrite(b.data, 1, b.len, f);
	sales_buf_release(&b);
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
