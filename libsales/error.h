/*
 * error.h - errors as values, never printed by the library.
 *
 * Every libsales function that can fail takes a `struct sales_error *` (which
 * may be NULL when the caller does not care) and returns a negative number on
 * failure after filling it in.  The location fields say where in which file
 * the problem is: physical line (1-based, 0 when unknown), column (1-based
 * field index, 0 when unknown) and the Excel cell reference ("L3", empty when
 * unknown).  The message is UTF-8, lowercase, no trailing period, and does
 * not repeat the location; sales_error_set translates its format into the
 * user's language (i18n.h), so a caller never translates it again.
 */
#ifndef SALES_ERROR_H
#define SALES_ERROR_H

#include <stdarg.h>

enum sales_errcode {
	SALES_OK = 0,
	SALES_EIO,        /* a file could not be read or written */
	SALES_EPARSE,     /* malformed CSV */
	SALES_EENCODING,  /* bytes valid in no supported encoding */
	SALES_EVALUE,     /* a cell or argument whose value does not parse */
	SALES_ESCHEMA,    /* missing, unknown or duplicate header */
	SALES_ENOMEM,
	SALES_ELOCKED,    /* another writer holds the workbook lock */
	SALES_ECHANGED,   /* the file changed on disk since it was read */
	SALES_ENOTFOUND,  /* a sheet, row or key that does not exist */
	SALES_EEXIST,     /* refusing to overwrite or duplicate */
	SALES_ERULE,      /* a process rule refused the change */
	SALES_EUSAGE,     /* a bad argument from the caller */
	SALES_ENAME,      /* a name that resolves to nothing, or to several (resolve.h) */
};

struct sales_error {
	enum sales_errcode code;
	char file[256];
	long line;
	int column;
	char cell[32];
	char message[512];
};

/* Clears every field (code SALES_OK). */
void sales_error_clear(struct sales_error *err);

/*
 * Fills err (if not NULL) and returns -1, so callers can write
 * `return sales_error_set(err, ...)`.  file may be NULL; line and column may
 * be 0.  When both are known the cell reference is column's letters and
 * line ("L3"); a record that spans lines starts on an Excel row other than
 * its physical line, so readers then call sales_error_set_cell.
 */
int sales_error_set(struct sales_error *err, enum sales_errcode code,
		    const char *file, long line, int column,
		    const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

int sales_error_vset(struct sales_error *err, enum sales_errcode code,
		     const char *file, long line, int column,
		     const char *fmt, va_list ap);

/* Sets the cell reference explicitly (column letters + Excel row number). */
void sales_error_set_cell(struct sales_error *err, int column, long excel_row);

/* Writes the Excel column letters for a 1-based column into buf ("A", "AB");
 * returns buf.  buf must hold at least 8 bytes. */
char *sales_column_letters(int column, char *buf);

/* The cell reference "H3" of a 1-based column and Excel row into buf (at
 * least 32 bytes: 7 letters and 19 digits); "" when either is below 1.
 * Returns buf. */
char *sales_cell_ref(int column, long excel_row, char *buf);

/* Formats "file:line:cell: message" (the parts that are known) into buf. */
const char *sales_error_format(const struct sales_error *err, char *buf,
			       unsigned long size);

/* A short English name for a code ("i/o error", "parse error", ...). */
const char *sales_strerror(enum sales_errcode code);

#endif
