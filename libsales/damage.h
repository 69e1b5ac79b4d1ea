/*
 * damage.h - what a spreadsheet did to cells sales wrote, found through
 * audit.csv (issue 13, item 3).
 *
 * Every change sales makes is an audit row: sheet, the row's key
 * (sales_row_key), column, old and new value.  The last 新值 of a cell is
 * what sales wrote there.  When the sheet now holds something else, and the
 * difference is one a spreadsheet makes when it opens and re-saves a CSV
 * with number detection on (Excel; LibreOffice and gnumeric as measured),
 * the cell was damaged:
 *
 *   0012 -> 12, 01062345678 -> 1062345678     leading zeros dropped
 *   110101199003071234 -> 1.10101199003071E+017 (or …071000)
 *                                              digits past the 15th gone
 *   +10 -> 10, 15% -> 15.00% or 0.15, 1,000 -> 1000
 *                                              text read as a number
 *   1/2 -> 01/02/26, 2026/01/02; Jan 5 -> 01/05/26
 *                                              text read as a date
 *   序号 3 -> 5                                 renumbered (a warning)
 *
 * A key is matched the same way: a 04-contracts.csv row whose 合同编号 12
 * audit.csv never saw, where sales wrote 0012, is contract 0012 damaged.
 * Date columns are the validator's (a date re-formatted is still the
 * date); any other difference is an edit, not damage, and is not reported.
 * (An escaped formula whose apostrophe a spreadsheet dropped reads as the
 * same text: check's injection rule reports it, `sales fix formulas`
 * escapes it again.)
 * Only the sheets where the audit key names one row (01, 03, 04, 05, 08,
 * holidays) are compared; a key with many rows (02, 06, 07 by 客户名称)
 * cannot say which row sales wrote.
 *
 * Memory: only values a spreadsheet can change are kept (digit strings
 * with leading zeros or of 12+ digits, numbers in a non-plain form,
 * date-looking text, 序号 and numeric keys): 16 bytes
 * plus the value each.  Nothing here prints.
 */
#ifndef SALES_DAMAGE_H
#define SALES_DAMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "schema.h"

struct sales_written;

/* Reads dir's audit.csv (none: an empty history).  0, or -1 with err. */
int sales_written_load(const char *dir, struct sales_written **out,
		       struct sales_error *err);
void sales_written_free(struct sales_written *w);

/* true when nothing in w can show damage (no audit.csv, or nothing sales
 * wrote a spreadsheet would change): callers skip the comparison. */
bool sales_written_empty(const struct sales_written *w);

enum sales_damage_kind {
	SALES_DAMAGE_NONE = 0,
	SALES_DAMAGE_ZEROS,       /* leading zeros dropped */
	SALES_DAMAGE_DIGITS,      /* scientific notation / 15 digits kept */
	SALES_DAMAGE_NUMBER,      /* text read as a number, written another way */
	SALES_DAMAGE_DATE,        /* text read as a date */
	SALES_DAMAGE_RENUMBERED,  /* 序号 changed */
};

struct sales_damage {
	int col;               /* the schema column */
	enum sales_damage_kind kind;
	const char *written;   /* what sales wrote (lives as long as w) */
	long audit_line;       /* the audit.csv line that wrote it */
	bool key;              /* the row's key itself was damaged */
};

/*
 * Judges a row of sheet id, v its values by schema column (as a
 * sales_record gives them, continuation cells filled down): the damaged
 * cells go into out (room for SALES_MAX_COLS), in column order; their
 * number is returned.
 */
size_t sales_damage_row(const struct sales_written *w, enum sales_sheet_id id,
			const char *const *v, struct sales_damage *out);

/*
 * `sales fix damage`: puts back what sales wrote in every damaged cell of
 * sheet id, rewriting it record by record in t (sales_txn_each; the sheet
 * is not held), each cell audited as sales_txn_set does.
 * fn, when not NULL, is told of each before it is set (now: the damaged
 * value, cell: "A3").  *fixed counts them.  0, or -1 with err.
 */
struct sales_txn;
int sales_damage_fix(struct sales_txn *t, const struct sales_written *w,
		     enum sales_sheet_id id,
		     void (*fn)(const struct sales_damage *d, const char *now,
				const char *cell, void *ud),
		     void *ud, size_t *fixed, struct sales_error *err);

/*
 * What happened, and how to fix it, for a message: "a spreadsheet dropped
 * the leading zeros: …".  Translated (gettext).
 */
const char *sales_damage_text(enum sales_damage_kind kind);

/*
 * The kind of damage that turns written into now, or NONE (exposed for the
 * unit tests; sales_damage_cell uses it).  renumber: the column is a 序号,
 * where any other number counts (RENUMBERED).
 */
enum sales_damage_kind sales_damage_judge(const char *written, const char *now,
					  bool renumber);

/*
 * The warning every command gives (issue 13: "every command reading a
 * damaged value says so"): reads dir's audit.csv and, when sales wrote
 * anything a spreadsheet could change, each sheet it wrote such values
 * in, telling fn of each damaged cell (not the fill-down copies).  No
 * audit.csv, or nothing at risk in it: nothing more is read.  The
 * reader's warning handler is the caller's to quiet.  0, or -1 with err.
 */
struct sales_damage_cell {
	const char *file;      /* "04-contracts.csv" */
	long line;             /* its physical line */
	const char *cell;      /* "A3" */
	const char *column;    /* 合同编号 */
	const char *now;       /* the value there now */
	const struct sales_damage *d;
};
int sales_damage_scan(const char *dir,
		      void (*fn)(const struct sales_damage_cell *c, void *ud),
		      void *ud, struct sales_error *err);

#endif
