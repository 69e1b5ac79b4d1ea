/*
 * normalize.h - `sales export --normalized`: a workbook as tidy tables for
 * a database (DuckDB, PostgreSQL, ClickHouse; see kpisql.h), one CSV file
 * per table in an output folder.
 *
 * Every file is UTF-8 without BOM, LF line ends, one header line of English
 * keys (SPEC §7).  Each sheet of the schema is one table named by the
 * sheet's English name (leads.csv, contracts.csv, …); the sheet's columns
 * follow `workbook` (the workbook's id), `workbook_name` (its folder's
 * name) and `row` (the physical line in the sheet, for file:line), each
 * column written in its plain form:
 *
 *   date                  KEY           YYYY-MM-DD
 *   period, month span    KEY_start, KEY_end
 *   amount (万元)          KEY           a number; a range or a bound is an error
 *   amount range          KEY_low, KEY_high (a bound leaves the other side empty)
 *   company size          KEY_employees_low/_high, KEY_revenue_low/_high
 *   percentage            KEY           a fraction (12% is 0.12)
 *   grade                 KEY           A, B or C
 *   phone                 KEY           its digits
 *   whole number, quarter KEY           258, 2023Q4
 *   date then words       KEY (the text) and KEY_date
 *   text, enumerations    KEY           trimmed (enumerations are their schema value)
 *
 * Merged-cell continuation rows come filled down.  Columns the schema does
 * not know are not exported (the tables have fixed columns, so that
 * several workbooks share them).  "Not known yet" words (待确认, …) are
 * empty.  A cell that does not parse (sales_cell_check says INVALID) is
 * empty and gets a row in errors.csv naming file, line and cell; it is
 * never silently empty.
 *
 * Three more tables: customers.csv, the model's facts per customer (model.h:
 * stage reached, first and last dated rows, 01's grade, owner, region,
 * product line, status, dates, and the earliest signing of an approved
 * contract); errors.csv; and workbooks.csv, one row per workbook exported.
 *
 * The workbook id is sales.conf's workbook.id when set, else "wb-" and 12
 * hex digits of a hash of the folder's absolute path: stable while the
 * folder stays where it is (set workbook.id to keep it when it moves).
 *
 * Writing is atomic per file and prepared for every file before any is
 * renamed (workbooks.csv last); with append the existing tables are
 * copied into the new files first, and a workbook id already in
 * workbooks.csv is refused (SALES_EEXIST), as is a folder whose tables
 * have other headers (SALES_ESCHEMA).  Reading streams every sheet once:
 * the stage sheets pass through the model's row hook (model.h), so one
 * read gives both their tables and customers.csv, and each cell is parsed
 * once, by the validator (sales_cell_parse).
 */
#ifndef SALES_NORMALIZE_H
#define SALES_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "schema.h"
#include "value.h"

enum sales_norm_kind {
	SALES_NORM_TEXT,
	SALES_NORM_DATE,
	SALES_NORM_NUMBER,
	SALES_NORM_INTEGER,
};

#define SALES_NORM_MAX_COLUMNS 80

struct sales_norm_column {
	char name[48];
	enum sales_norm_kind kind;
};

struct sales_norm_table {
	char name[32];              /* the file is name + ".csv" */
	struct sales_norm_column cols[SALES_NORM_MAX_COLUMNS];
	size_t ncols;
};

/* The tables: each sheet of the schema in schema order, then customers,
 * errors and workbooks. */
#define SALES_NORM_NTABLES (SALES_NSHEETS + 3)

/* Fills *t with table i (0 <= i < SALES_NORM_NTABLES).  Returns 0, or -1
 * when i is out of range. */
int sales_norm_table(size_t i, struct sales_norm_table *t);

struct sales_norm_options {
	const char *workbook;       /* the workbook folder */
	const char *out;            /* the output folder (created if missing) */
	bool append;
	sales_date today;
};

struct sales_norm_result {
	char id[64];                /* the workbook id */
	char name[256];             /* its folder's name */
	size_t rows;                /* sheet rows written */
	size_t errors;              /* cells that did not parse */
};

/*
 * Exports o->workbook into o->out.  Returns 0 and fills *res, or -1 with
 * err (nothing in o->out changed): a sheet that cannot be read, a folder
 * that cannot be written, or the refusals of append above.
 */
int sales_normalize(const struct sales_norm_options *o,
		    struct sales_norm_result *res, struct sales_error *err);

#endif
