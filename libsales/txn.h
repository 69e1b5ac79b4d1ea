/*
 * txn.h - a change to the workbook, all or nothing, with its audit trail.
 *
 * Every command that writes does:
 *
 *	struct sales_txn t;
 *	if (sales_txn_begin(&t, dir, "lead set", err) < 0) ...   takes the lock
 *	st = sales_txn_sheet(&t, SALES_LEADS, err);                loads for editing
 *	... decide, then sales_txn_set / sales_txn_append ...
 *	sales_txn_commit(&t, err);     saves changed sheets, then appends audit
 *	sales_txn_end(&t);             releases the lock and memory (always)
 *
 * A refused command simply never commits: nothing was written.  Commit
 * writes every changed sheet beside its file (nothing visible yet), then a
 * journal of what remains (.sales.journal), renames the sheets over their
 * files, makes the O(1) appends, appends one audit.csv row per changed
 * cell (time, user, command, sheet, key, column, old, new) and removes the
 * journal.  A commit cut short by a crash is finished by the next
 * sales_txn_begin from the journal: the change is all there or not at all.
 * audit.csv is only ever appended to; it is created (UTF-8 BOM, CRLF) when
 * missing.  Rows appended with sales_txn_append to a sheet that was not
 * loaded are written with an O(1) append, not a rewrite.
 *
 * The user is $SALES_USER, else the login name.
 */
#ifndef SALES_TXN_H
#define SALES_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "value.h"
#include "workbook.h"

struct sales_txn {
	char *dir;
	char *command;
	struct sales_lock lock;
	struct sales_sheet_table sheets[SALES_NSHEETS];
	bool loaded[SALES_NSHEETS];
	/* the reader's warnings about sheet id were given in this change
	 * (sales_txn_read_begin) */
	bool warned[SALES_NSHEETS];
	/* sales_txn_stream's prepared rewrites (internal) */
	struct sales_txn_streamed *streamed[SALES_NSHEETS];
	struct sales_buf pending;   /* queued O(1) appends (internal) */
	struct sales_buf audit;     /* audit rows, NUL-separated cells (internal) */
	size_t naudit;
	/* the first audit rows, once audit passed 1 MB: an anonymous
	 * temporary file of audit_spilled bytes, audit_spilled_rows rows
	 * (internal) */
	FILE *audit_spill;
	size_t audit_spilled, audit_spilled_rows;
	bool committed;
	bool recovered;             /* begin finished a dead process's commit */
	int stale_temps;            /* begin removed its temporary files */
};

/* Takes the workbook lock (waiting as sales_lock_acquire does).  When a dead
 * process left the lock, t->lock.stale_pid says which (warn about it); when
 * it died inside a commit, begin finishes that commit from the journal
 * (t->recovered) and removes its temporary files (t->stale_temps). */
int sales_txn_begin(struct sales_txn *t, const char *dir, const char *command,
		    struct sales_error *err);

/* The sheet loaded for editing (loaded once per transaction).  NULL with
 * err on failure (SALES_ENOTFOUND when the file is missing; SALES_EUSAGE
 * for a sheet sales_txn_stream rewrote in this transaction). */
struct sales_sheet_table *sales_txn_sheet(struct sales_txn *t,
					  enum sales_sheet_id id,
					  struct sales_error *err);

/*
 * Around a read of sheet id in this change (a load, a stream, a look at
 * one row): the reader's warnings about its cells are given at the first
 * read that got through the sheet, and the later reads' are dropped - they
 * would say the same again.  read: this one did (false: it stopped before
 * its records, e.g. the file would not open).
 */
void sales_txn_read_begin(struct sales_txn *t, enum sales_sheet_id id,
			  struct sales_read_capture *cap);
void sales_txn_read_end(struct sales_txn *t, enum sales_sheet_id id,
			struct sales_read_capture *cap, bool read);

/* Sheet id as loaded, when this transaction loaded it and has not changed
 * it yet (the file's rows exactly), else NULL: for reading it without
 * reading the file again (model.h sales_model_load_one_from). */
const struct sales_sheet_table *sales_txn_unedited(const struct sales_txn *t,
						   enum sales_sheet_id id);

/* Sets schema column col of row in sheet id (which must be loaded),
 * recording the change for the audit when the value differs. */
int sales_txn_set(struct sales_txn *t, enum sales_sheet_id id, size_t row,
		  int col, const char *value, struct sales_error *err);

/*
 * Adds a row given by schema columns (values[col], NULL or "" = empty).
 * When the sheet is loaded the row goes into the table (and its index is
 * returned); otherwise it is queued for an O(1) append at commit and 0 is
 * returned.  -1 on error.
 */
long sales_txn_append(struct sales_txn *t, enum sales_sheet_id id,
		      const char *const *values, struct sales_error *err);

/*
 * Rewrites sheet id without loading it: its records are read one at a
 * time and fn is called for each data record with v[col] its schema
 * values ("" when absent; a merged-cell continuation row's own, not
 * filled down) and line its physical line; fn changes cells of that
 * record with sales_txn_stream_set and returns 0, or -1 with err to stop.
 * The new sheet goes record by record into the temporary file commit
 * renames (the same journal and lock as a loaded sheet's): an unchanged
 * record is copied byte for byte, a changed one serialised again as
 * sales_txn_set's rewrite would.  Each change records its audit row as
 * sales_txn_set.
 *
 * Every column fn may set is in cols[0..ncols): when the file's header
 * lacks one (the rewrite would have to add a column), has a title row or
 * does not bind, or the sheet is loaded already, nothing is done and 1 is
 * returned: load the sheet (sales_txn_sheet) instead.  Returns 0 when the
 * sheet was streamed, -1 with err on failure.  Once per sheet.
 */
struct sales_txn_stream;
typedef int (*sales_txn_row_fn)(struct sales_txn_stream *s,
				const char *const *v, long line, void *arg,
				struct sales_error *err);
int sales_txn_stream(struct sales_txn *t, enum sales_sheet_id id,
		     const int *cols, size_t ncols, sales_txn_row_fn fn,
		     void *arg, struct sales_error *err);
/* Sets schema column col (one of the stream's cols) of the record fn was
 * called for. */
int sales_txn_stream_set(struct sales_txn_stream *s, int col,
			 const char *value, struct sales_error *err);
/* The record fn was called for (NULL in sales_txn_each's walk of a
 * loaded sheet), its Excel row, and how the sheet's columns bind (where a
 * schema column is in the file). */
const struct sales_row *sales_txn_stream_row(const struct sales_txn_stream *s);
long sales_txn_stream_excel_row(const struct sales_txn_stream *s);
const struct sales_colmap *sales_txn_stream_map(const struct sales_txn_stream *s);
/* Schema column col of the record fn was called for, filled down as a
 * reader gives it (sales_sheet_table_filled: a continuation row's blank
 * fill-down cell is the nearest value above it in its group). */
const char *sales_txn_stream_filled(const struct sales_txn_stream *s, int col);

/*
 * sales_txn_stream, or where it cannot (it returned 1: a title row, a
 * header that does not bind, the sheet loaded already), the same fn over
 * the loaded sheet's rows (sales_txn_sheet): v and line as the stream
 * gives them, sales_txn_stream_set and _filled work alike, each set
 * becoming a sales_txn_set.  0 when every row was seen, -1 with err.
 */
int sales_txn_each(struct sales_txn *t, enum sales_sheet_id id,
		   const int *cols, size_t ncols, sales_txn_row_fn fn, void *arg,
		   struct sales_error *err);

/* SALES_ECHANGED for line of sheet id: a second read under this
 * transaction's lock no longer finds what the first found (a program that
 * takes no lock saved the file meanwhile).  Returns -1. */
int sales_txn_changed(enum sales_sheet_id id, long line,
		      struct sales_error *err);

/* Records an audit row for a change no sheet edit produced (a setting in
 * sales.conf, say): file is what the 工作表 column shows. */
int sales_txn_note(struct sales_txn *t, const char *file, const char *key,
		   const char *column, const char *old_value,
		   const char *new_value, struct sales_error *err);

/* Adds to the command the audit rows name (its 命令 column) what the
 * command learned once the workbook was loaded, e.g. the approval route
 * an approval followed: "approve --as 法务 --by 王五" becomes
 * "approve --as 法务 --by 王五 [route …]".  Call before commit. */
int sales_txn_command_append(struct sales_txn *t, const char *more,
			     struct sales_error *err);

/*
 * Escapes every live formula-leading cell of sheet id (rewritten record by
 * record, sales_txn_each; not held): each such row is written again (the
 * writer stores a formula cell as "'" + its text, which reads back as the
 * same text), with one audit row per cell (old: the text, new: "'" + the
 * text).  *fixed counts them.  The sheet must exist.  Returns 0 or -1.
 */
int sales_txn_fix_formulas(struct sales_txn *t, enum sales_sheet_id id,
			   size_t *fixed, struct sales_error *err);

/* The day an audit.csv row was written: its command's "[as of
 * YYYY-MM-DD]" when it has one (the pool commands write it, so that
 * SALES_TODAY and --as-of count), else the date of its 时间; NONE when
 * neither reads. */
sales_date sales_audit_day(const char *command, const char *time);

/* Number of audit rows recorded so far (0: nothing would change). */
size_t sales_txn_changes(const struct sales_txn *t);

/* Writes everything: changed sheets, queued appends, then the audit rows. */
int sales_txn_commit(struct sales_txn *t, struct sales_error *err);

/*
 * For the crash tests only: with $SALES_TEST_CRASH set to a point's name,
 * the process kills itself there, as a power cut or `kill -9` would.
 * Points of sales_txn_commit: "prepared" (every changed sheet written
 * beside its file, none renamed, no journal), "journaled" (the journal
 * written), "renamed" (the first sheet renamed), "published" (every sheet
 * renamed, appends and audit rows not yet written).  Of export
 * --normalized (normalize.c): "export-prepared" (every table written and
 * fsynced beside its file, none renamed), "export-renamed" (every table
 * renamed but workbooks.csv).
 */
void sales_test_crash(const char *name);

/* Releases the lock and everything held; safe after a failed begin. */
void sales_txn_end(struct sales_txn *t);

/* The key that names row in audit rows and messages: 合同编号 for contracts,
 * 客户名称/方案名称 for solutions, 客户名称/项目阶段 for plans, 季度/指标名称
 * for the KPI sheet, 姓名 for the team, 日期 for holidays, else 客户名称.
 * Written into out (NUL-terminated). */
void sales_row_key(const struct sales_sheet_def *def, const char *const *v,
		   struct sales_buf *out);

/* The schema column of that key (returned) and its second part in *second
 * (-1 when the key is one column): the one list sales_row_key uses. */
int sales_row_key_cols(enum sales_sheet_id id, int *second);

#endif
