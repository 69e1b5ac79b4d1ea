/*
 * xlsx.h - the workbook as one .xlsx file, for reps who live in Excel.
 *
 * Export (libxlsxwriter) writes one tab per sheet, named by the sheet's
 * file name without ".csv" ("01-leads"), holding every column of the file
 * in its order (the user's own columns too) and every record as it is in
 * the file (a merged-cell continuation row stays blank where it was):
 *   - every cell is a text cell, and every column is formatted as text, so
 *     that Excel keeps leading zeros (0012, 0755…), long digit strings
 *     (ID numbers), 1/2 and 3-4 as they are, and text that starts with =
 *     stays text (a string cell is never a formula);
 *   - except a date column's cells that are one date (sales_parse_date):
 *     those are dates, shown yyyy-mm-dd;
 *   - the header row is bold and frozen; an enumeration (线索等级, 客户状态,
 *     审批状态, 验收结果 …) gets a drop-down list of its values;
 *   - column widths follow the text's display width (a CJK character is
 *     two columns).
 * The file is written beside its name and renamed over it.
 */
#ifndef SALES_XLSX_H
#define SALES_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "rejects.h"
#include "schema.h"
#include "value.h"

/* Writes sheets ids[0..n) of the workbook dir to path.  Sheets that do not
 * exist are skipped when n was 0 (all sheets), an error otherwise.
 * Returns the number of tabs written, or -1 with err. */
int sales_xlsx_export(const char *dir, const enum sales_sheet_id *ids,
		      size_t n, const char *path, struct sales_error *err);

/* ---- reading an .xlsx (libzip and expat) ---- */

/* One tab: nrows x ncols cells, row-major, each a NUL-terminated UTF-8
 * string ("" when empty).  Row 0 is the tab's first row (Excel row 1). */
struct sales_xlsx_sheet {
	char *name;
	size_t nrows, ncols;
	char **cells;
	unsigned char *kinds;   /* per cell: SALES_XLSX_* below */
};

#define SALES_XLSX_TEXT 0     /* a string (shared, inline or a formula's) */
#define SALES_XLSX_NUMBER 1   /* a number, as written in the file */
#define SALES_XLSX_DATE 2     /* a number with a date format: YYYY-MM-DD */
#define SALES_XLSX_FORMULA 4  /* or'ed: the cell held a formula (its cached
			       * value is the text) */

struct sales_xlsx_book {
	struct sales_xlsx_sheet *sheets;
	size_t nsheets;
};

/*
 * Reads every tab of the .xlsx at path: shared strings, inline strings and
 * rich text (phonetic runs left out), numbers as the file writes them, a
 * number whose cell format is a date (built-in formats 14-22, 27-36,
 * 45-47, 50-58, or a format the file defines with y or d outside quotes) as
 * YYYY-MM-DD, booleans as TRUE/FALSE.  Returns 0 with *book filled (free
 * with sales_xlsx_book_free) or -1 with err (not a zip, not a workbook,
 * XML that does not parse).
 */
int sales_xlsx_read(const char *path, struct sales_xlsx_book *book,
		    struct sales_error *err);
void sales_xlsx_book_free(struct sales_xlsx_book *book);
/* Writes book to path (atomically): each tab by its name, row 0 bold,
 * each cell as its kind says (text, a number, a date), the header frozen.
 * The error workbook of an import (rejects.h) is written this way.
 * Returns 0 or -1 with err. */
int sales_xlsx_write_book(const char *path, const struct sales_xlsx_book *book,
			  struct sales_error *err);

/* Cell (row, col) of s, "" outside it. */
const char *sales_xlsx_cell(const struct sales_xlsx_sheet *s, size_t row,
			    size_t col);
unsigned sales_xlsx_kind(const struct sales_xlsx_sheet *s, size_t row,
			 size_t col);

/* ---- importing it (xlsx_import.c) ---- */

struct sales_txn;

struct sales_xlsx_import {
	/* in (the caller sets it): apply the rows without a refused value
	 * even when other rows have one (`sales import --skip-bad`) */
	bool skip_bad;
	/* out */
	struct sales_buf notes;   /* what changes, and notes: a line each */
	struct sales_buf errors;  /* what refuses the import: a line each */
	size_t nerrors, changes;
	size_t nbad;              /* rows with a refused value */
	size_t nfatal;            /* errors that are no row's (a tab with
				   * fewer rows than its sheet, two tabs for
				   * one sheet): --skip-bad does not skip them */
	/* the tabs with refused rows, for sales_rejects_write_xlsx: every row
	 * of the tab in the order the sheet holds it after this import */
	struct sales_rejects_tab *rejects;
	size_t nrejects;
};

/*
 * Brings book's tabs into the sheets of t's workbook (loading them into t):
 * a tab is a sheet by its name (01-leads, leads or 客户信息登记表) or, for a
 * rep's own file, by a first row that binds as that sheet's header; its
 * columns are the sheet's by header text (a sheet column the tab lacks is
 * left alone).  Rows are matched in order; rows past the sheet's end are
 * added; a tab with fewer rows than the sheet is refused (import never
 * deletes).  A cell counts as changed unless it shows the CSV value: the
 * same text, the same date (a date cell), the same number written as the
 * CSV writes it.  A number that is the CSV's digit string without its
 * leading zeros, or in scientific notation, is a spreadsheet's damage: the
 * CSV value is kept, with a note.  Every changed value is judged as lead
 * import judges it (validate.h: its column's type, and a person of ctx's
 * team.csv where the column names one); one that fails is a line of
 * im->errors
 * and its row's 错误原因 (im->rejects).  A row with a refused value
 * changes nothing; the other rows' changes go through t (sales_txn_set:
 * audited).  The caller commits only when im->nerrors is 0, or, with
 * im->skip_bad, when im->nfatal is 0 (the refused rows left out; a refused
 * new row is then listed after the new rows that were added, where a
 * re-import of the error workbook adds it).  Returns 0, or -1 with err
 * (I/O, memory).
 */
struct sales_context;
int sales_xlsx_import(struct sales_txn *t, const struct sales_context *ctx,
		      const struct sales_xlsx_book *book, sales_date today,
		      struct sales_xlsx_import *im, struct sales_error *err);
void sales_xlsx_import_release(struct sales_xlsx_import *im);

#endif
