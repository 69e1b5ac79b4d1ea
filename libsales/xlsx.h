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

#include <stddef.h>

#include "error.h"
#include "schema.h"

/* Writes sheets ids[0..n) of the workbook dir to path.  Sheets that do not
 * exist are skipped when n was 0 (all sheets), an error otherwise.
 * Returns the number of tabs written, or -1 with err. */
int sales_xlsx_export(const char *dir, const enum sales_sheet_id *ids,
		      size_t n, const char *path, struct sales_error *err);

#endif
