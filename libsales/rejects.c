#include "rejects.h"

#include <string.h>

#include "buf.h"
#include "text.h"

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

/* One record: the cells (the reasons column, when the input has one, is
 * replaced by reason; else reason is added at width). */
static int record(struct sales_buf *b, const char *const *cells, size_t n,
		  long rcol, size_t width, const char *reason, const char *eol)
{
	size_t last = rcol >= 0 ? width : width + 1;

	for (size_t i = 0; i < last; i++) {
		const char *s = (long)i == rcol || (rcol < 0 && i == width) ?
				reason : i < n ? cells[i] : "";

		if ((i && sales_buf_addch(b, ',') < 0) ||
		    sales_csv_field(b, s, strlen(s), ',') < 0)
			return -1;
	}
	return sales_buf_addstr(b, eol);
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
