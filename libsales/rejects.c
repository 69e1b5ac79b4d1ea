#include "rejects.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "xlsx.h"

long sales_rejects_column(const char *const *header, size_t nh)
{
	for (size_t i = 0; i < nh; i++) {
		size_t len = strlen(header[i]);
		const char *h = sales_trim(header[i], &len);

		if (len == strlen(SALES_REJECTS_COLUMN) &&
		    !memcmp(h, SALES_REJECTS_COLUMN, len))
			return (long)i;
	}
	return -1;
}

size_t sales_rejects_layout(const char *const *cells, size_t n, long rcol,
			    size_t nh, const char *reason, const char **out)
{
	size_t last = rcol >= 0 ? nh : nh + 1;

	for (size_t i = 0; i < last; i++)
		out[i] = (long)i == rcol || (rcol < 0 && i == nh) ? reason :
			 i < n ? cells[i] : "";
	return last;
}

/* One record of the CSV form. */
static int record(struct sales_buf *b, const char *const *cells, size_t n,
		  long rcol, size_t width, const char *reason, const char *eol)
{
	const char **out = malloc((width + 1) * sizeof(*out));
	size_t k;
	int rc = 0;

	if (!out)
		return -1;
	k = sales_rejects_layout(cells, n, rcol, width, reason, out);
	for (size_t i = 0; i < k && !rc; i++)
		if ((i && sales_buf_addch(b, ',') < 0) ||
		    sales_csv_field(b, out[i], strlen(out[i]), ',') < 0)
			rc = -1;
	free(out);
	return rc ? -1 : sales_buf_addstr(b, eol);
}

int sales_rejects_write(const char *path, const char *const *header, size_t nh,
			const char *const *const *cells, const size_t *ncells,
			const char *const *reasons, size_t nrows,
			enum sales_encoding enc, bool bom, enum sales_eol eol,
			struct sales_error *err)
{
	const char *le = eol == SALES_EOL_LF ? "\n" : eol == SALES_EOL_CR ? "\r" :
			 "\r\n";
	struct sales_buf text = {0}, out = {0};
	long rcol = sales_rejects_column(header, nh);
	int rc = -1;

	if (record(&text, header, nh, rcol, nh, SALES_REJECTS_COLUMN, le) < 0)
		goto nomem;
	for (size_t r = 0; r < nrows; r++)
		if (record(&text, cells[r], ncells[r], rcol, nh, reasons[r], le) < 0)
			goto nomem;
	if (bom && enc != SALES_ENC_GB18030 &&
	    sales_buf_add(&out, "\xef\xbb\xbf", 3) < 0)
		goto nomem;
	if (sales_encode_text(&out, text.data, text.len, enc, err) < 0)
		goto out;
	rc = sales_write_file_atomic(path, out.data, out.len, err);
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
out:
	sales_buf_release(&text);
	sales_buf_release(&out);
	return rc;
}

int sales_rejects_write_xlsx(const char *path,
			     const struct sales_xlsx_book *book,
			     const struct sales_rejects_tab *tabs, size_t n,
			     struct sales_error *err)
{
	struct sales_xlsx_book out = { 0 };
	int rc = -1;

	if (!(out.sheets = calloc(n ? n : 1, sizeof(*out.sheets))))
		goto nomem;
	out.nsheets = n;
	for (size_t i = 0; i < n; i++) {
		const struct sales_rejects_tab *rt = &tabs[i];
		const struct sales_xlsx_sheet *in = &book->sheets[rt->tab];
		struct sales_xlsx_sheet *s = &out.sheets[i];
		const char **hdr = calloc(in->ncols + 1, sizeof(*hdr));
		const char **cells = calloc(in->ncols + 1, sizeof(*cells));
		const char **row = calloc(in->ncols + 1, sizeof(*row));
		long rcol;

		if (!hdr || !cells || !row) {
			free(hdr);
			free(cells);
			free(row);
			goto nomem;
		}
		for (size_t c = 0; c < in->ncols; c++)
			hdr[c] = sales_xlsx_cell(in, 0, c);
		rcol = sales_rejects_column(hdr, in->ncols);
		s->name = in->name;
		s->nrows = rt->nrows;
		s->ncols = rcol >= 0 ? in->ncols : in->ncols + 1;
		s->cells = calloc(s->nrows * s->ncols + 1, sizeof(*s->cells));
		s->kinds = calloc(s->nrows * s->ncols + 1, 1);
		for (size_t r = 0; s->cells && s->kinds && r < rt->nrows; r++) {
			size_t src = rt->rows[r];

			for (size_t c = 0; c < in->ncols; c++)
				cells[c] = sales_xlsx_cell(in, src, c);
			sales_rejects_layout(cells, in->ncols, rcol, in->ncols,
					     src ? rt->reasons[r] : SALES_REJECTS_COLUMN,
					     row);
			for (size_t c = 0; c < s->ncols; c++) {
				/* the book's strings live as long as it does */
				s->cells[r * s->ncols + c] = (char *)row[c];
				s->kinds[r * s->ncols + c] =
					(long)c == rcol || c >= in->ncols ? SALES_XLSX_TEXT :
					(unsigned char)(sales_xlsx_kind(in, src, c) & 3);
			}
		}
		free(hdr);
		free(cells);
		free(row);
		if (!s->cells || !s->kinds)
			goto nomem;
	}
	rc = sales_xlsx_write_book(path, &out, err);
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
out:
	for (size_t i = 0; out.sheets && i < out.nsheets; i++) {
		free(out.sheets[i].cells);
		free(out.sheets[i].kinds);
	}
	free(out.sheets);
	return rc;
}
