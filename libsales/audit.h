/*
 * audit.h - reading audit.csv, once: every reader of the audit (the
 * change history, the lead pool's claims and recalls, due's approval
 * submissions, the damage scan) walks it through sales_audit_each, which
 * resolves each row's 表 and 列 to a sheet and a column in one place, so
 * they all accept the same spellings (the file name with surrounding
 * spaces; the column's simplified or traditional header, or its key).
 *
 * The day an audit row belongs to is sales_audit_day (txn.h): the as-of
 * day of the command that wrote it, or the date of its 时间.
 */
#ifndef SALES_AUDIT_H
#define SALES_AUDIT_H

#include <stdint.h>

#include "error.h"
#include "schema.h"

struct sales_audit_row {
	const char *const *v;   /* the cells, indexed by AUDIT_* (never NULL) */
	uint32_t line;          /* physical line in audit.csv */
	/* 表 as one of the workbook's sheets, NULL when it names none */
	const struct sales_sheet_def *sheet;
	int col;                /* 列 as a column of sheet, -1 when none */
};

/* Return non-zero to stop: sales_audit_each then returns that value. */
typedef int (*sales_audit_fn)(void *ud, const struct sales_audit_row *row,
			      struct sales_error *err);

/*
 * Calls fn for every row of dir's audit.csv in file order.  A workbook
 * without audit.csv has no rows (returns 0).  Returns 0, fn's non-zero
 * value, or -1 with err when audit.csv cannot be read.
 */
int sales_audit_each(const char *dir, sales_audit_fn fn, void *ud,
		     struct sales_error *err);

#endif
