#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

void text_table_init(struct text_table *t, size_t ncols,
		     const char *const *headers, unsigned right, int max_width)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = headers;
	t->right = right;
	t->max_width = max_width;
}

int text_table_add(struct text_table *t, const char *const *cells)
{
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "";

		if (sales_buf_add(&t->cells, s, strlen(s) + 1) < 0)
			return -1;
	}
	t->nrows++;
	return 0;
}

/* Control characters count 0 columns: show line breaks and tabs as a space
 * so that a multi-line cell stays on its row. */
static void put_cell(struct sales_buf *line, const char *s, int width,
		     bool right)
{
	char clean[1024], out[2048];
	size_t n = 0;

	for (; *s && n + 1 < sizeof(clean); s++)
		clean[n++] = (*s == '\n' || *s == '\r' || *s == '\t') ? ' ' : *s;
	clean[n] = '\0';
	n = sales_utf8_pad(clean, n, width, right, out, sizeof(out));
	sales_buf_add(line, out, n);
}

static int cell_width(const char *s, int cap)
{
	int w = (int)sales_utf8_width(s, strlen(s));

	return cap > 0 && w > cap ? cap : w;
}

/* Writes the line without trailing blanks (empty last cells). */
static void put_line(FILE *f, struct sales_buf *line)
{
	while (line->len && line->data[line->len - 1] == ' ')
		line->len--;
	if (line->len)
		fwrite(line->data, 1, line->len, f);
	fputc('\n', f);
	sales_buf_reset(line);
}

void text_table_print(FILE *f, const struct text_table *t)
{
	int *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
	struct sales_buf line = {0};
	const char *p;

	if (!w)
		return;
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = cell_width(t->headers[c], t->max_width);
	p = t->cells.data;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			int cw = cell_width(p, t->max_width);

			if (cw > w[c])
				w[c] = cw;
			p += strlen(p) + 1;
		}
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			sales_buf_addstr(&line, "  ");
		put_cell(&line, t->headers[c], w[c], t->right >> c & 1);
	}
	put_line(f, &line);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			sales_buf_addstr(&line, "  ");
		for (int i = 0; i < w[c]; i++)
			sales_buf_addch(&line, '-');
	}
	put_line(f, &line);
	p = t->cells.data;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				sales_buf_addstr(&line, "  ");
			put_cell(&line, p, w[c], t->right >> c & 1);
			p += strlen(p) + 1;
		}
		put_line(f, &line);
	}
	sales_buf_release(&line);
	free(w);
}

void text_table_release(struct text_table *t)
{
	sales_buf_release(&t->cells);
	t->nrows = 0;
}
