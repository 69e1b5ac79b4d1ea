#include "error.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

void sales_error_clear(struct sales_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

char *sales_column_letters(int column, char *buf)
{
	char tmp[8];
	int n = 0;

	if (column < 1) {
		buf[0] = '\0';
		return buf;
	}
	while (column > 0 && n < 7) {
		column--;
		tmp[n++] = (char)('A' + column % 26);
		column /= 26;
	}
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

void sales_error_set_cell(struct sales_error *err, int column, long excel_row)
{
	if (!err)
		return;
	sales_cell_ref(column, excel_row, err->cell);
}

char *sales_cell_ref(int column, long excel_row, char *buf)
{
	char digits[24];
	size_t n, k = 0;

	if (column < 1 || excel_row < 1) {
		buf[0] = '\0';
		return buf;
	}
	sales_column_letters(column, buf);
	n = strlen(buf);
	do {
		digits[k++] = (char)('0' + excel_row % 10);
		excel_row /= 10;
	} while (excel_row);
	while (k)
		buf[n++] = digits[--k];
	buf[n] = '\0';
	return buf;
}

int sales_error_vset(struct sales_error *err, enum sales_errcode code,
		     const char *file, long line, int column,
		     const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = column;
	err->cell[0] = '\0';
	if (line > 0 && column > 0)
		sales_error_set_cell(err, column, line);
	/* the message in the user's language (the format is marked for
	 * xgettext by the sales_error_set keyword, see the Makefile) */
	vsnprintf(err->message, sizeof(err->message), _(fmt), ap);
	return -1;
}

int sales_error_set(struct sales_error *err, enum sales_errcode code,
		    const char *file, long line, int column,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sales_error_vset(err, code, file, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

const char *sales_error_format(const struct sales_error *err, char *buf,
			       unsigned long size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (err->file[0])
		n += (size_t)snprintf(buf + n, size - n, "%s:", err->file);
	if (err->line > 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%ld:", err->line);
	if (err->cell[0] && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%s:", err->cell);
	if (n > 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, " ");
	if (n < size)
		snprintf(buf + n, size - n, "%s", err->message);
	return buf;
}

const char *sales_strerror(enum sales_errcode code)
{
	switch (code) {
	case SALES_OK: return "success";
	case SALES_EIO: return "i/o error";
	case SALES_EPARSE: return "malformed csv";
	case SALES_EENCODING: return "bad encoding";
	case SALES_EVALUE: return "bad value";
	case SALES_ESCHEMA: return "bad header";
	case SALES_ENOMEM: return "out of memory";
	case SALES_ELOCKED: return "workbook locked";
	case SALES_ECHANGED: return "file changed on disk";
	case SALES_ENOTFOUND: return "not found";
	case SALES_EEXIST: return "already exists";
	case SALES_ERULE: return "refused by a rule";
	case SALES_EUSAGE: return "bad usage";
	case SALES_ENAME: return "unknown or ambiguous name";
	}
	return "unknown error";
}
