/*
 * rejects.h - the error workbook of an import: the rows an import refused,
 * as the rep wrote them, plus a 错误原因 column saying what is wrong with
 * each, in the input's own encoding, BOM and line ends, so that the rep
 * fixes them in Excel and imports that file again.  A 错误原因 column the
 * input already has (an error workbook imported again) is replaced, not
 * doubled.  Written atomically.
 *
 * Two forms, one layout (sales_rejects_layout): a CSV for `lead import`,
 * and an .xlsx for `sales import FILE.xlsx`, whose tabs keep every row in
 * its place (that import matches rows by position), the 错误原因 cell filled
 * on the refused ones.
 */
#ifndef SALES_REJECTS_H
#define SALES_REJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sheet.h"

/* The header of the reasons column. */
#define SALES_REJECTS_COLUMN "错误原因"

/*
 * Writes path: the header (nh cells), then each of the nrows rows (its
 * ncells[i] cells from cells[i]) with reasons[i] in the reasons column.
 * enc, bom and eol are the input's.  Returns 0 or -1 with err.
 */
int sales_rejects_write(const char *path, const char *const *header, size_t nh,
			const char *const *const *cells, const size_t *ncells,
			const char *const *reasons, size_t nrows,
			enum sales_encoding enc, bool bom, enum sales_eol eol,
			struct sales_error *err);

/* The column of header that holds reasons already, or -1. */
long sales_rejects_column(const char *const *header, size_t nh);

/*
 * One row of an error workbook into out (room for nh + 1 pointers): the n
 * cells, padded with "" to the header's nh, with reason in column rcol
 * (sales_rejects_column of the header) or, when rcol is -1, added after
 * them.  Returns the number of cells in out.
 */
size_t sales_rejects_layout(const char *const *cells, size_t n, long rcol,
			    size_t nh, const char *reason, const char **out);

struct sales_xlsx_book;

/* The refused rows of one tab of an .xlsx import. */
struct sales_rejects_tab {
	size_t tab;                  /* index in the book */
	size_t *rows;                /* the tab's rows to write, in order:
				      * row 0 (its header) first */
	char **reasons;              /* per entry of rows: "" for a good row */
	size_t nrows;
};

/*
 * Writes path as an .xlsx: for each of tabs[0..n), a tab of that name
 * holding the book's rows as listed (each cell of the kind it had: text,
 * number or date), with the reasons column.  Returns 0 or -1 with err.
 */
int sales_rejects_write_xlsx(const char *path,
			     const struct sales_xlsx_book *book,
			     const struct sales_rejects_tab *tabs, size_t n,
			     struct sales_error *err);

#endif
