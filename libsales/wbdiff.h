/*
 * wbdiff.h - a sheet's rows by key, and what changed between two versions
 * of a workbook folder (`sales diff`, `sales textconv`, and the row
 * identities that `check --new-from-rev` matches findings by).
 *
 * A sheet is read with the toolkit's one reader (workbook.h, sheet.h):
 * encodings detected as everywhere else, merged-cell continuation rows
 * filled down.  A row's columns are identified by the schema (English key)
 * or, for a user's own column, by its header text, so a sheet whose
 * columns were reordered, whose headers went from traditional to
 * simplified, or that was re-saved as GBK holds the same rows.
 *
 * Rows are matched by their sheet's key (schema.h sales_sheet_key), so a
 * row that moved is not a change: first rows equal in every value pair up,
 * then the rest by key, the i-th left with a key on one side with the i-th
 * on the other (a duplicated key).  In sheets without a unique key a row is
 * identified by all its values; a removed and an added row that share
 * their naming columns (客户名称 and date) are then shown as one change.
 *
 * Nothing here prints.
 */
#ifndef SALES_WBDIFF_H
#define SALES_WBDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "sheet.h"

struct sales_vrow {
	long line;            /* physical line of the record */
	long excel_row;
	const char **v;       /* ncols values ("" when empty or absent) */
	const char *key;      /* identity: the key cells, or every value */
	const char *label;    /* the naming cells, joined by " · " */
	const char *weak;     /* the naming cells, for pairing (unique: = key) */
	const char *full;     /* every value (without a unique key: = key) */
};

struct sales_sheet_rows {
	const struct sales_sheet_def *def;  /* NULL for a CSV of no sheet */
	char *name;                         /* for messages */
	/* Columns: the schema's (def->ncolumns, in schema order, present in
	 * the file or not) first, then the file's own columns in file order. */
	size_t ncols;
	const char **colkey;    /* identity: "contract", or "@" + header text */
	const char **colname;   /* label: simplified header, or header text */
	bool *present;          /* the file has the column */
	int *file_col;          /* 0-based column in the file, -1 */
	const char *header;     /* the header cells as the file has them, " | " */
	struct sales_vrow *rows;
	size_t nrows;
	bool unique;            /* the sheet has a unique key */
	enum sales_encoding encoding;
	bool bom;
	enum sales_eol eol;
	/* internal */
	struct sales_buf pool;
	char **blocks;
	size_t nblocks, ablocks;
};

/*
 * Loads every row of path (display names it in messages) as sheet def
 * (NULL: any CSV, columns by header text, rows identified by all values).
 * Returns 0, or -1 with err when the file cannot be read or parsed.
 * Release with sales_sheet_rows_release.
 */
int sales_sheet_rows_load(struct sales_sheet_rows *s, const char *path,
			  const char *display,
			  const struct sales_sheet_def *def,
			  struct sales_error *err);
void sales_sheet_rows_release(struct sales_sheet_rows *s);

/* The row whose record starts on physical line, or NULL. */
const struct sales_vrow *sales_sheet_rows_at(const struct sales_sheet_rows *s,
					     long line);

/* The index of the column whose identity is colkey, or -1. */
long sales_sheet_rows_col(const struct sales_sheet_rows *s, const char *colkey);

/* "UTF-8 with BOM", "UTF-8", "GB18030"; and "CRLF", "LF", "CR". */
const char *sales_encoding_label(enum sales_encoding enc, bool bom);
const char *sales_eol_label(enum sales_eol eol);

/* ---- the difference of two versions of one sheet ---- */

enum sales_row_change { SALES_ROW_ADDED, SALES_ROW_REMOVED, SALES_ROW_CHANGED };

struct sales_cell_change {
	const char *column;   /* label (simplified header or header text) */
	const char *colkey;   /* identity (English key or "@header") */
	const char *old_value, *new_value;
};

struct sales_row_diff {
	enum sales_row_change kind;
	const struct sales_vrow *old_row, *new_row;  /* NULL on the missing side */
	struct sales_cell_change *cells;   /* CHANGED: the cells that differ */
	size_t ncells;
};

struct sales_sheet_diff {
	const char *file;             /* "04-contracts.csv" */
	const struct sales_sheet_def *def;
	struct sales_row_diff *rows;  /* in new-side line order, then removed
				       * rows in old-side line order */
	size_t nrows;
	size_t moved;                 /* rows paired unchanged at another line */
	bool added, removed;          /* the whole file appeared / went away */
	char **notes;                 /* what changed that is no value */
	size_t nnotes, anotes;
};

/*
 * Compares the two versions of one sheet (either may be NULL: the file is
 * missing on that side).  Strings point into old/new, which must outlive d.
 * Returns 0, or -1 on ENOMEM.  Release with sales_sheet_diff_release.
 */
int sales_sheet_diff(struct sales_sheet_diff *d, const char *file,
		     const struct sales_sheet_rows *old_rows,
		     const struct sales_sheet_rows *new_rows,
		     struct sales_error *err);
void sales_sheet_diff_release(struct sales_sheet_diff *d);

/* true when the diff shows nothing: no row, no note. */
bool sales_sheet_diff_empty(const struct sales_sheet_diff *d);

/* ---- merging two versions that only appended rows ---- */

/*
 * The common merge of a sheet: both sides kept the common version (base)
 * byte for byte and only appended records.  The result is ours, then the
 * records theirs appended that ours did not append too (equal raw bytes,
 * counted), each ending with ours' line end.  Returns 1 with the result in
 * out, 0 when the versions are not of that shape (one side changed or
 * removed a row, the base's last record has no line end, the two sides'
 * encodings differ) so that the caller merges otherwise, -1 with err when
 * a side does not parse.  *appended is how many records of theirs were
 * added.
 */
int sales_merge_appends(const char *base, size_t base_len, const char *ours,
			size_t ours_len, const char *theirs, size_t theirs_len,
			const char *name, struct sales_buf *out,
			size_t *appended, struct sales_error *err);

#endif
