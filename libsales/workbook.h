/*
 * workbook.h - one team's folder of sheets: finding it, locking it, today's
 * date, and reading its sheets through the schema.  Its shared context
 * (settings, team roster, holiday calendar) is context.h; a change of it,
 * written atomically and audited, is txn.h.
 *
 * Finding: an explicit folder (-C), else $SALES_DIR, else the current folder
 * or the nearest parent holding 01-leads.csv.
 *
 * Locking: every command that writes holds the workbook lock (the file
 * .sales.lock in the folder, flock(2)) from before it reads until after it
 * wrote, so concurrent commands serialise and a read-modify-write never
 * interleaves with another.  A lock left by a process that died is released
 * by the kernel; the stale owner recorded in the file is reported
 * (sales_lock.stale_pid) so the command can warn.
 */
#ifndef SALES_WORKBOOK_H
#define SALES_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "schema.h"
#include "sheet.h"
#include "value.h"

/*
 * Resolves the workbook folder.  explicit_dir may be NULL.  On success
 * *out is a malloc'd path (caller frees).  Fails with SALES_ENOTFOUND when
 * no folder holding 01-leads.csv is found.
 */
int sales_workbook_find(const char *explicit_dir, char **out,
			struct sales_error *err);

/* dir + "/" + file, malloc'd (NULL on ENOMEM). */
char *sales_path_join(const char *dir, const char *file);

/* true if the sheet's file exists in dir. */
bool sales_sheet_exists(const char *dir, enum sales_sheet_id id);

/* true if a spreadsheet has the file open (sales_file_open_by). */
bool sales_file_open_in_excel(const char *path);

/* Who holds a file open, from the lock file a spreadsheet keeps beside it. */
struct sales_open_by {
	const char *program;  /* "LibreOffice" or "Excel or WPS" (static) */
	char lock[256];       /* the lock file's name: ".~lock.NAME#", "~$NAME" */
	char user[128];       /* the user it names, "" when it names none */
	char host[64];        /* LibreOffice: the computer */
	char since[32];       /* LibreOffice: "DD.MM.YYYY HH:MM" */
};

/*
 * true when path is open in a spreadsheet, with *who filled (who may be
 * NULL): LibreOffice's ".~lock.NAME#" (one line "FULL NAME,USER,HOST,
 * DD.MM.YYYY HH:MM,URL;": the full name, else the user) or Excel's and
 * WPS's "~$NAME" (its owner's name: a length byte and the name, then the
 * name again in UTF-16 from byte 54, which is the one read when present).
 */
bool sales_file_open_by(const char *path, struct sales_open_by *who);

/*
 * The spreadsheet copies of sheets in dir that are newer than the sheet: a
 * file "NN-….xlsx", ".xls", ".ods" or ".et" whose NN is a sheet's number
 * (01-leads.xlsx, 01-客户信息.ods) and whose mtime is later than that
 * sheet's.  fn is called for each (sheet: its file name; copy: the copy's
 * name; kind: "Excel workbook (.xlsx)" …).  Returns how many, or -1.
 */
int sales_workbook_newer_copies(const char *dir,
				void (*fn)(const char *sheet, const char *copy,
					   const char *kind, void *ud),
				void *ud);

/* "Today": $SALES_TODAY (YYYY-MM-DD) if set, else the local date.  Returns
 * SALES_DATE_NONE with err when $SALES_TODAY does not parse. */
sales_date sales_today(struct sales_error *err);

/* ---- the workbook lock ---- */

struct sales_lock {
	int fd;
	long stale_pid;    /* >0: a dead process held it before us */
	char stale_what[128];
};

/* $SALES_USER, else the login name, else "unknown" (the lock and audit.csv
 * name who acts). */
const char *sales_user(void);

/*
 * Who holds the lock, as its holder wrote into .sales.lock: one line
 * "PID COMMAND<TAB>USER<TAB>SINCE" (SINCE local "YYYY-MM-DD HH:MM:SS"; a
 * lock file of an older sales has only "PID COMMAND").  Empty strings and
 * pid 0 where the file does not say.
 */
struct sales_lock_holder {
	long pid;
	char what[128];    /* "lead add" */
	char user[64];
	char since[32];
};
/* Parses the first line of a lock file's text into h. */
void sales_lock_holder_parse(const char *text, struct sales_lock_holder *h);
/* "process 123 (lead add, run by 张伟 since 2026-12-02 09:30:12)", or as
 * much of it as h holds ("unknown holder" without a pid), translated. */
void sales_lock_holder_text(const struct sales_lock_holder *h, char *buf,
			    size_t cap);

/*
 * The lock-wait handler (NULL: none) hears about a wait for the lock:
 * while sales_lock_acquire waits, about every 250 ms with the holder (as the
 * lock file says now), the time waited and the most it waits; then once
 * with done true, got saying whether the lock was had (false: timed out;
 * the error tells the rest).  Called only when the lock was busy.
 */
typedef void (*sales_lock_wait_fn)(const struct sales_lock_holder *h,
				   long waited_ms, long timeout_ms, bool done,
				   bool got, void *ud);
void sales_set_lock_wait_handler(sales_lock_wait_fn fn, void *ud);

/*
 * Takes the lock, waiting up to timeout_ms (<0: $SALES_LOCK_TIMEOUT seconds,
 * default 10 s).  what says who holds it ("sales lead add"), for the message
 * another writer sees.  Fails with SALES_ELOCKED naming the holder.
 */
int sales_lock_acquire(struct sales_lock *lk, const char *dir, const char *what,
		       int timeout_ms, struct sales_error *err);
void sales_lock_release(struct sales_lock *lk);

/*
 * Removes the temporary files (.NAME.tmp.PID, see sheet.h) that processes
 * which no longer run left in dir: killed between writing a sheet and
 * renaming it.  Call it holding the lock (only the holder writes, so none
 * of them is in use) and after any journal replay (txn.h), which may still
 * need them.  Returns how many were removed.
 */
int sales_remove_stale_temps(const char *dir);

/* ---- reading a sheet through the schema ---- */

struct sales_sheet_reader;

/*
 * Opens sheet id in dir and binds its header.  Fails with SALES_ENOTFOUND
 * when the file does not exist.  enc may be SALES_ENC_AUTO.
 */
int sales_sheet_open(const char *dir, enum sales_sheet_id id,
		     enum sales_encoding enc, struct sales_sheet_reader **out,
		     struct sales_error *err);
/* Opens any file as sheet def (def may be NULL for a plain CSV file: then
 * records carry no schema values and only the row is set). */
int sales_sheet_open_path(const char *path, const char *display,
			  const struct sales_sheet_def *def,
			  enum sales_encoding enc,
			  struct sales_sheet_reader **out,
			  struct sales_error *err);
/* Next record (filled down): 1, 0 at end, -1 on error.  *rec is valid until
 * the next call. */
int sales_sheet_next(struct sales_sheet_reader *r,
		     const struct sales_record **rec, struct sales_error *err);
const struct sales_colmap *sales_sheet_colmap(const struct sales_sheet_reader *r);
/*
 * sales_reader_set_prepare through the schema: fn(ud, rec, out) sees each
 * record as sales_sheet_next gives it but without fill-down (rec->filled
 * all false), in the parsing thread, with the same rules (see sheet.h).
 * Without a parsing thread sales_sheet_next runs fn itself on each
 * record, a fill-down continuation without its fill-down as the thread
 * sees it, so every record comes with rec->row->prep; a continuation's
 * entries for its filled columns are not the record's (rec->filled says
 * which).  Set before the first sales_sheet_next.
 */
/*
 * sales_reader_set_filter through the schema, for a caller that wants only
 * the records whose schema column col may equal text (trimmed, as
 * sales_key_equal compares): the others are dropped as sheet.h says, the
 * sheet's fill-down kept (a continuation goes with the record it continues).
 * The records that come through are compared by the caller as before.  A
 * column that fill-down fills from another column's rows is not filtered.
 * Set before the first sales_sheet_next.  Returns 0 or -1 (ENOMEM).
 */
int sales_sheet_set_filter(struct sales_sheet_reader *r, int col,
			   const char *text);
/*
 * sales_reader_set_columns through the schema, for a caller that reads only
 * the schema columns cols[0..n) of each record: the other columns' values
 * are "", neither copied nor filled in (the sheet's key column, which
 * decides fill-down, is always read).  Set before the first
 * sales_sheet_next, and not with a prepare function (sales_sheet_set_prepare
 * refuses one after it, and it one before).  Returns 0 or -1 (ENOMEM, or a
 * prepare function).
 */
int sales_sheet_set_columns(struct sales_sheet_reader *r, const int *cols,
			    size_t n);
/* sales_reader_peek for the sheet's reader (its rows, not records). */
const struct sales_row *sales_sheet_peek(const struct sales_sheet_reader *r,
					 size_t k);
/* sales_reader_readahead_when for the sheet's reader. */
void sales_sheet_readahead_when(struct sales_sheet_reader *r,
				const _Atomic bool *go);
typedef void (*sales_record_prepare_fn)(void *ud, const struct sales_record *rec,
					void *out);
int sales_sheet_set_prepare(struct sales_sheet_reader *r,
			    sales_record_prepare_fn fn, void *ud, size_t size);
const struct sales_row *sales_sheet_header(const struct sales_sheet_reader *r);
/* The name used in messages ("01-leads.csv"). */
const char *sales_sheet_name(const struct sales_sheet_reader *r);
/* The file reader underneath (its encoding, BOM, line ends), valid while r
 * lives. */
const struct sales_reader *sales_sheet_file(const struct sales_sheet_reader *r);
void sales_sheet_close(struct sales_sheet_reader *r);

/* ---- a sheet loaded for changing ---- */

struct sales_sheet_table {
	struct sales_table *table;
	struct sales_colmap map;
	const struct sales_sheet_def *def;
	char *name;     /* for messages */
};

/* Loads sheet id from dir for editing. */
int sales_sheet_table_load(struct sales_sheet_table *st, const char *dir,
			   enum sales_sheet_id id, enum sales_encoding enc,
			   struct sales_error *err);
/* Value of schema column col in data row row ("" when absent). */
const char *sales_sheet_table_get(const struct sales_sheet_table *st,
				  size_t row, int col);
/* The same as a reader gives it (schema.h sales_record_from_row): in a
 * sheet that fills down, a blank fill-down cell of a continuation row
 * (blank 客户名称) is the nearest value above it in its group ("same as
 * above", SPEC §3). */
const char *sales_sheet_table_filled(const struct sales_sheet_table *st,
				     size_t row, int col);
/* Sets schema column col of row, adding the column (simplified header, at
 * the end) when the file lacks it. */
int sales_sheet_table_set(struct sales_sheet_table *st, size_t row, int col,
			  const char *value, struct sales_error *err);
/* Appends a row given by schema columns (values[col], NULL = empty); user
 * columns stay empty.  Returns the row index or -1. */
long sales_sheet_table_append(struct sales_sheet_table *st,
			      const char *const *values,
			      struct sales_error *err);
void sales_sheet_table_release(struct sales_sheet_table *st);

/*
 * Appends rows given by schema columns to sheet id in dir without
 * rewriting it (cells go where the file's header puts them).  nrows arrays
 * of def->ncolumns values.  Columns missing from the file's header are
 * refused with SALES_ESCHEMA unless their values are all empty.
 */
int sales_sheet_append(const char *dir, enum sales_sheet_id id,
		       const char *const *values, size_t nrows,
		       struct sales_error *err);

#endif
