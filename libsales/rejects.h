/*
 * rejects.h - the error workbook of an import: the rows an import refused,
 * as the rep wrote them, plus a 错误原因 column saying what is wrong with
 * each, in the input's own encoding, BOM and line ends, so that the rep
 * fixes them in Excel and imports that file again.  A 错误原因 column the
 * input already has (an error workbook imported again) is replaced, not
 * doubled.  Written atomically.
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

#endif
