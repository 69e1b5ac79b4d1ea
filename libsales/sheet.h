/*
 * sheet.h - reading and writing one CSV file exactly as Excel and WPS leave it.
 *
 * This is the only module that knows libcsv and iconv.  It knows nothing of
 * the sales schema: cells are UTF-8 strings addressed by position.
 *
 * Reading (sales_reader_*) streams a file record by record in one pass with a
 * fixed window: memory does not grow with the number of rows.
 *   - encodings: UTF-8 with or without BOM, GB18030/GBK without BOM.  With
 *     SALES_ENC_AUTO (and no sales_set_default_encoding) a BOM means UTF-8;
 *     otherwise sales_encoding_guess weighs the first 1 MiB of the file (a
 *     table: the whole file; a file whose first MiB is ASCII: 1 MiB from
 *     its first non-ASCII record).  Every later cell is verified: a cell
 *     that is not in the decided encoding, or that is plainly the other
 *     one, is an error naming its line and cell ("mixed encodings").
 *     UTF-16 files are refused with a message saying how to save them
 *     instead.
 *   - line ends CRLF, LF or CR (the first one seen is the file's style);
 *     quoted fields with commas, doubled quotes and line breaks; leading and
 *     trailing spaces kept; a NUL byte is an error.
 *   - fully empty rows are skipped (they still count as Excel rows); empty
 *     cells past the header's width are dropped, a non-empty one is an error.
 *   - a cell written by us as text ("'=SUM(A1)", see sales_cell_escape) is
 *     returned unescaped with SALES_CELL_ESCAPED; a raw cell that a
 *     spreadsheet would run as a formula has SALES_CELL_FORMULA.
 *   - speed: plain records take a fast path that gives exactly what libcsv
 *     gives (SALES_CSV_SLOW=1 turns it off); a file of 4 MB or more is
 *     parsed one batch ahead in a second thread (readahead.h;
 *     SALES_THREADS=1 turns it off), which also runs the caller's work on
 *     each row that needs only the row (sales_reader_set_prepare).  None
 *     of this changes a row, a position or an error.
 *
 * Writing (sales_table_*) loads a whole file, takes edits and appended rows,
 * and saves atomically: rows it did not change are copied byte for byte; the
 * encoding, BOM, line-end style and header spelling are kept.  Appending
 * (sales_append_rows) writes at the end without reading the body.
 *
 * Locking is the caller's business (see workbook.h): these functions assume
 * the caller holds the workbook lock while it reads and writes.
 */
#ifndef SALES_SHEET_H
#define SALES_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "buf.h"
#include "error.h"

enum sales_encoding {
	SALES_ENC_AUTO = 0,
	SALES_ENC_UTF8,
	SALES_ENC_GB18030,
};

enum sales_eol { SALES_EOL_CRLF = 0, SALES_EOL_LF, SALES_EOL_CR };

/* Per-cell flags. */
#define SALES_CELL_FORMULA 1u  /* raw cell would run as a formula */
#define SALES_CELL_ESCAPED 2u  /* cell was stored as "'" + formula-like text */
/* Read as Excel reads it, though not strict CSV (see sales_set_strict_csv): */
#define SALES_CELL_LITERAL_QUOTE 4u  /* a quote inside an unquoted cell, kept */
#define SALES_CELL_JOINED 8u         /* text after a closing quote, joined on */
#define SALES_CELL_BOM_DROPPED 16u   /* a leading U+FEFF, dropped */
#define SALES_CELL_LENIENT \
	(SALES_CELL_LITERAL_QUOTE | SALES_CELL_JOINED | SALES_CELL_BOM_DROPPED)

struct sales_cell {
	const char *s;  /* UTF-8, NUL-terminated */
	uint32_t len;
	uint32_t flags;
};

/* One record.  Pointers are valid until the next call on the reader. */
struct sales_row {
	const struct sales_cell *cells;
	size_t ncells;       /* cells present (trailing empty ones past the header dropped) */
	long line;           /* physical line where the record starts, 1-based */
	long excel_row;      /* the row number Excel shows, 1-based (header is 1) */
	off_t offset;        /* byte offset of the record in the file */
	size_t length;       /* raw bytes of the record including its line end */
	const char *raw;     /* those raw bytes (file encoding) */
	uint32_t flags;      /* the SALES_CELL_LENIENT and SALES_CELL_FORMULA
			      * flags of its cells, or'ed */
	/* what the reader's prepare function (sales_reader_set_prepare)
	 * made of this row, prep_len bytes aligned for any scalar; NULL and 0
	 * without one */
	const void *prep;
	uint32_t prep_len;
};

/*
 * Which encoding text in s[0..len) is, by evidence: SALES_ENC_AUTO when it
 * is ASCII.  Both readings are weighed: the share of its characters that a
 * Chinese workbook holds (CJK ideographs, CJK and full-width punctuation,
 * common symbols; for GBK the GB2312 hanzi and symbol rows) read as UTF-8
 * against read as GBK; invalid sequences count against a reading.  GBK wins
 * only with a strictly larger share, so "状态" or "女" in GBK (valid UTF-8,
 * but Hebrew and Latin Extended letters there) is GBK, and real UTF-8
 * Chinese is UTF-8.  Needs no context and no per-language statistics.
 */
enum sales_encoding sales_encoding_guess(const char *s, size_t len);

/* The encoding readers use when their options say SALES_ENC_AUTO: the
 * --encoding option (forced) or sales.conf's csv.encoding (not forced: it
 * never replaces a forced one).  Set at start, before readers open.
 * SALES_ENC_AUTO (the default) detects. */
void sales_set_default_encoding(enum sales_encoding enc, bool forced);
/* Parses "auto", "utf-8"/"utf8", "gbk"/"gb18030"/"gb2312"/"cp936"
 * (case-insensitive): 0 and *out, or -1. */
int sales_encoding_parse(const char *name, enum sales_encoding *out);

struct sales_read_options {
	enum sales_encoding encoding;  /* SALES_ENC_AUTO to detect */
	const char *display_name;      /* name used in errors; default: the path */
	bool skip_title_row;           /* a first row of one cell is a title:
					* the header is the next row */
};

/*
 * Leniency.  By default the reader reads what Excel reads, marking each
 * such cell (SALES_CELL_LENIENT) and telling the warning handler: a quote
 * inside an unquoted cell is literal (37.8"N), text after a closing quote
 * joins the cell ("ab"c is abc), a U+FEFF starting a cell is dropped
 * (pasted from the web; a BOM starting a row that repeats the header is
 * still an error: two files joined).  sales_set_strict_csv(true)
 * (--strict-csv) makes each of them an error again.  Set at start.
 */
void sales_set_strict_csv(bool strict);

/*
 * The warning handler (NULL: none) is called from sales_reader_next and
 * sales_reader_open, in the caller's thread, once per lenient cell of each
 * data record returned (w names file, line, column and cell; w->code is
 * 0), and for the header: its lenient cells and notes such as a title row
 * skipped (w->code is SALES_ESCHEMA).  w is valid during the call.
 */
typedef void (*sales_read_warning_fn)(const struct sales_error *w, void *ud);
void sales_set_read_warning_handler(sales_read_warning_fn fn, void *ud);
/*
 * The progress handler (NULL: none) is told how far a file read record by
 * record has got, for a progress line: from sales_reader_open (after the
 * header), every 4096 records from sales_reader_next, and once from
 * sales_reader_close with finished true -- always in the caller's thread,
 * even while a second thread reads ahead.  done and total are bytes of the
 * file (total 0: not a regular file, size unknown); name is the reader's
 * display name, valid during the call.  Readers over memory are not told.
 */
typedef void (*sales_read_progress_fn)(const char *name,
				       unsigned long long done,
				       unsigned long long total,
				       bool finished, void *ud);
void sales_set_read_progress_handler(sales_read_progress_fn fn, void *ud);
/* What a lenient flag means, for a message: "a quote inside an unquoted
 * cell was read as a literal quote, as Excel does" etc. */
const char *sales_cell_lenient_message(uint32_t flags);
/* Calls the warning handler (if any) with w. */
void sales_read_warn(const struct sales_error *w);
/*
 * Warnings held back: between sales_read_capture_begin(c) and
 * sales_read_capture_end(), every warning the calling thread's readers
 * would give the handler is appended to c instead (in order), and they
 * tell the progress handler nothing.  A thread reading sheets for another
 * one uses it; the other thread gives them to the handler with
 * sales_read_capture_replay at the point the sheets would have been read
 * one after the other, so the messages keep their order.
 */
struct sales_read_capture {
	struct sales_error *w;
	size_t n, alloc;
	size_t lost;        /* not kept for want of memory */
};
void sales_read_capture_begin(struct sales_read_capture *c);
void sales_read_capture_end(void);
void sales_read_capture_replay(const struct sales_read_capture *c);
void sales_read_capture_release(struct sales_read_capture *c);
/* false: the calling thread's readers never start a readahead thread
 * (readahead.h), whatever sales_thread_count says - for a caller that
 * already reads two sheets at once.  true (the default) again. */
void sales_read_set_readahead(bool on);

struct sales_reader;

/*
 * Starts reading r ahead in a second thread (readahead.h) at its next
 * record once *go is true, even when sales_read_set_readahead(false) kept
 * it from starting at the first: for a caller that keeps both cores busy
 * with two sheets at once until another thread, done with its own, sets
 * *go - the rest of this sheet then still uses both.  The rows, values and
 * errors stay those of one thread.  Does nothing under $SALES_THREADS=1 or
 * on a file too small for a thread (sales_thread_count); go NULL: never.
 */
void sales_reader_readahead_when(struct sales_reader *r, const _Atomic bool *go);
/* With a readahead thread, the k-th row (k >= 1) after the one
 * sales_reader_next returned last when it is parsed already
 * (readahead.h sales_readahead_peek), else NULL.  A hint: a row the
 * reader drops (sales_reader_set_filter) may be among them. */
const struct sales_row *sales_reader_peek(const struct sales_reader *r,
					  size_t k);

/*
 * Opens path and reads its header record.  Returns 0 and *out (free with
 * sales_reader_close), or -1 with err filled.  An empty file is an error
 * ("empty file: no header row").
 */
int sales_reader_open(const char *path, const struct sales_read_options *opt,
		      struct sales_reader **out, struct sales_error *err);

/* Same, reading from memory (the buffer must outlive the reader). */
int sales_reader_open_mem(const char *data, size_t len, const char *name,
			  const struct sales_read_options *opt,
			  struct sales_reader **out, struct sales_error *err);

/* The header record (valid while the reader lives; trailing empty header
 * cells are dropped).  A data row may not have more non-empty cells than
 * the header. */
const struct sales_row *sales_reader_header(const struct sales_reader *r);

/* Next data record: 1 and *row, 0 at end of file, -1 with err on error. */
int sales_reader_next(struct sales_reader *r, const struct sales_row **row,
		      struct sales_error *err);

/*
 * Work on each data record that needs nothing but the record, moved to the
 * parsing thread: when the file is parsed ahead in a second thread
 * (readahead.h), fn(ud, row, out) fills out[0..size) there, before the
 * caller sees the row, and the row comes with prep = out.  Without a
 * second thread rows come with prep NULL and the caller does that work
 * itself.  So fn may only read what does not change while the file is
 * read, and its results must depend on the row alone (the caller's own
 * work gives the same).  Set before the first sales_reader_next; size at
 * most SALES_PREP_MAX.  Returns 0, or -1 (ENOMEM, or size too large).
 */
#define SALES_PREP_MAX 512u
typedef void (*sales_row_prepare_fn)(void *ud, const struct sales_row *row,
				     void *out);
int sales_reader_set_prepare(struct sales_reader *r, sales_row_prepare_fn fn,
			     void *ud, size_t size);

/*
 * A prefilter for a reader that wants only the records that may hold a
 * cell equal to text (both trimmed, sales_trim; byte equality as
 * sales_key_equal): from the first sales_reader_next on, a record whose
 * bytes do not hold text's is dropped - not returned, its lines and Excel
 * row still counted (a quote in text is looked for doubled, as a quoted
 * cell holds it).  A filter, not a match: a record that comes through
 * may still be another's, so the caller compares as before.  With key_col
 * (a file column) >= 0 the sheet fills that column down (schema.h
 * SALES_COLF_FILL_DOWN): a record whose key cell is blank continues the one
 * before it, and is dropped exactly when that one was; a record is then
 * dropped on its bytes only when its key cell is not blank.  So the records
 * returned, and what fill-down makes of them, are those of reading every
 * record, less the ones that cannot hold text.  Errors and warnings are
 * those of reading every record: a record is dropped unread only when the
 * fast path would read it without a word (no quote, valid UTF-8, no cell
 * past the header, not the first line end, no cell starting with 0xEF);
 * any other is read and then dropped.  Only UTF-8 records are dropped
 * unread (a GB18030 file is read in full, then filtered).  An empty text
 * (after trimming) filters nothing.  Set before the first sales_reader_next.
 * Returns 0, or -1 (ENOMEM, or reading has begun).
 */
int sales_reader_set_filter(struct sales_reader *r, const char *text,
			    int key_col);

/*
 * A projection for a reader that looks at a few columns only: from the
 * first sales_reader_next on, the cells of the file columns i < n with
 * keep[i] false come as empty cells ("", length 0, no flags), their text
 * neither copied nor judged a formula; cells from n or the header's width
 * on, and every cell of a record the fast path leaves to libcsv, are read
 * in full.  The records, their positions, and every error and
 * warning are those of reading every cell: a skipped cell is still cut
 * as a full read cuts it (its quotes, a BOM starting it, its UTF-8), and a
 * record whose only text is in skipped cells is not blank.  Set before the
 * first sales_reader_next.  Returns 0, or -1 (ENOMEM, or reading has
 * begun).
 */
int sales_reader_set_columns(struct sales_reader *r, const bool *keep,
			     size_t n);

/* The file's encoding: SALES_ENC_UTF8 until a non-ASCII cell said otherwise. */
enum sales_encoding sales_reader_encoding(const struct sales_reader *r);
/* true once a BOM, the option or a non-ASCII cell decided the encoding. */
bool sales_reader_encoding_known(const struct sales_reader *r);
bool sales_reader_has_bom(const struct sales_reader *r);
enum sales_eol sales_reader_eol(const struct sales_reader *r);
const char *sales_reader_name(const struct sales_reader *r);
/* The file's size in bytes when opened, 0 when not a regular file. */
unsigned long long sales_reader_file_size(const struct sales_reader *r);
void sales_reader_close(struct sales_reader *r);

/* ---- whole-file tables, for commands that change rows ---- */

struct sales_table;

/*
 * Loads every record of path.  Returns 0 and *out (free with
 * sales_table_free) or -1 with err.  The file's identity (device, inode,
 * size, mtime) is remembered so that save can refuse when it changed.
 */
int sales_table_load(const char *path, const struct sales_read_options *opt,
		     struct sales_table **out, struct sales_error *err);
void sales_table_free(struct sales_table *t);

const struct sales_row *sales_table_header(const struct sales_table *t);
size_t sales_table_rows(const struct sales_table *t);
/* Cells in data row i (0-based), its physical line and its Excel row. */
size_t sales_table_ncells(const struct sales_table *t, size_t row);
long sales_table_line(const struct sales_table *t, size_t row);
long sales_table_excel_row(const struct sales_table *t, size_t row);
/* Cell value, applying pending edits; "" for a missing cell. */
const char *sales_table_get(const struct sales_table *t, size_t row, size_t col);
const char *sales_table_path(const struct sales_table *t);
/* Tells the read warning handler again what reading the file told it of
 * the header's and the rows' cells (sales_read_warn, in order): for a
 * caller standing in for a second read of the file.  Title-row notes are
 * not repeated. */
void sales_table_warn_again(const struct sales_table *t);
enum sales_encoding sales_table_encoding(const struct sales_table *t);
bool sales_table_has_bom(const struct sales_table *t);
enum sales_eol sales_table_eol(const struct sales_table *t);

/* Sets cell (row, col) to value (copied).  col may be past the row's end
 * (the row is widened).  Returns 0, or -1 on ENOMEM. */
int sales_table_set(struct sales_table *t, size_t row, size_t col,
		    const char *value, struct sales_error *err);
/* Adds a header cell at the end; returns its column index or -1. */
int sales_table_add_column(struct sales_table *t, const char *header,
			   struct sales_error *err);
/* Appends a row of n cells (copied); returns its index or -1. */
long sales_table_append(struct sales_table *t, const char *const *cells,
			size_t n, struct sales_error *err);
bool sales_table_dirty(const struct sales_table *t);
/* The cell's flags as read (SALES_CELL_*); 0 once its row was edited. */
uint32_t sales_table_cell_flags(const struct sales_table *t, size_t row,
				size_t col);
/* Marks row to be written again from its values, as an edited row is: a
 * live formula-leading cell is then stored escaped.  0, or -1 on ENOMEM. */
int sales_table_touch(struct sales_table *t, size_t row,
		      struct sales_error *err);

/*
 * Writes the table back if it has changes: a temporary file beside it,
 * fsync, rename, fsync of the folder.  Unchanged records are copied byte
 * for byte; each live formula-leading cell among them (SALES_CELL_FORMULA)
 * is told to the warning handler (sales_set_read_warning_handler), since
 * it stays live for the next program that opens the file.  Fails with SALES_ECHANGED (writing nothing) when the file on
 * disk is no longer the one loaded.  Returns 0 or -1.
 */
int sales_table_save(struct sales_table *t, struct sales_error *err);

/*
 * sales_table_save in two steps, for a change that spans several files (a
 * transaction prepares every file before it publishes any): prepare checks
 * that the file on disk is still the one loaded (SALES_ECHANGED) and writes
 * and fsyncs the temporary file beside it, so nothing visible changes yet;
 * publish renames it over the file and fsyncs the folder; discard removes a
 * prepared file that will not be published (sales_table_free does too).
 * prepare and publish return 0 or -1 and do nothing for an unchanged table.
 * publish only renames: call sales_table_sync once after the last publish
 * to fsync the folder, so the renames follow each other closely.
 */
int sales_table_prepare(struct sales_table *t, struct sales_error *err);
int sales_table_publish(struct sales_table *t, struct sales_error *err);
void sales_table_discard(struct sales_table *t);
void sales_table_sync(const struct sales_table *t);
/* The prepared temporary file's path, or NULL when none is prepared. */
const char *sales_table_temp(const struct sales_table *t);

/*
 * Saves write ".NAME.tmp.PID" beside the file, PID the writer's process id.
 * Returns the PID when name (a file name without folder) has that form,
 * else 0: a process killed between writing and renaming leaves one behind.
 */
long sales_temp_file_pid(const char *name);

/* ---- appending and creating ---- */

/*
 * Appends rows to an existing file without rewriting it: reads only the
 * header to learn its encoding, BOM and line-end style, adds a line end if
 * the file lacks a final one, writes the records in one write(2) and fsyncs.
 * rows is nrows arrays of ncols cells.  Returns 0 or -1 (the file is
 * truncated back to its old size when the write fails).
 */
int sales_append_rows(const char *path, const char *const *cells,
		      size_t nrows, size_t ncols, struct sales_error *err);
/* Same, with the encoding already known (from the header, say); with
 * SALES_ENC_AUTO it is guessed from the file's head and tail. */
int sales_append_rows_as(const char *path, enum sales_encoding enc,
			 const char *const *cells, size_t nrows, size_t ncols,
			 struct sales_error *err);

/*
 * Creates path (failing with SALES_EEXIST when it exists) holding one header
 * record, UTF-8 with BOM and CRLF, written atomically.
 */
int sales_create_file(const char *path, const char *const *header, size_t n,
		      struct sales_error *err);

/* Creates path holding data, failing with SALES_EEXIST when it exists. */
int sales_write_file_new(const char *path, const void *data, size_t len,
			 struct sales_error *err);

/* Writes data to path atomically (temporary file, fsync, rename, fsync of
 * the folder).  mode is used for a new file.  Returns 0 or -1. */
int sales_write_file_atomic(const char *path, const void *data, size_t len,
			    struct sales_error *err);

/*
 * A file written atomically as a stream, for output too big to hold in
 * memory: open creates the temporary file beside path (".NAME.tmp.PID"),
 * write appends to it, prepare fsyncs and closes it (nothing visible has
 * changed yet), publish renames it over path and fsyncs the folder;
 * discard removes it at any point before publish.  A writer that several
 * files make up prepares every one before it publishes any.  Each returns
 * 0 or -1 with err; after a failure only discard is still needed.
 */
struct sales_atomic_file {
	int fd;
	char *path;
	struct sales_buf tmp;
};

int sales_atomic_open(struct sales_atomic_file *f, const char *path,
		      struct sales_error *err);
int sales_atomic_write(struct sales_atomic_file *f, const void *data,
		       size_t len, struct sales_error *err);
int sales_atomic_prepare(struct sales_atomic_file *f, struct sales_error *err);
int sales_atomic_publish(struct sales_atomic_file *f, struct sales_error *err);
/* publish without the folder's fsync, for a writer that renames several
 * files into one folder and then makes the renames durable together with
 * one sales_fsync_dir_of (the files' data is durable already: prepare) */
int sales_atomic_rename(struct sales_atomic_file *f, struct sales_error *err);
/* fsyncs the folder that holds path; 0 or -1 (errno) */
int sales_fsync_dir_of(const char *path);
void sales_atomic_discard(struct sales_atomic_file *f);

/*
 * A sheet rewritten record by record, for a change too big to hold the
 * sheet in memory: open opens path and the temporary file beside it (as
 * sales_atomic_open; the new file keeps path's permissions); row replaces
 * one record a reader over the same file returned (records in file order)
 * by cells[0..n), written in enc with line end eol (none when the record
 * had none, as the last one of a file may); everything between replaced
 * records, header and unknown columns included, is copied byte for byte.
 * finish copies the rest and fsyncs (nothing visible yet); unchanged
 * refuses with SALES_ECHANGED when path is no longer the file opened
 * (saved from Excel meanwhile); the caller publishes w->out with
 * sales_atomic_publish, or discards.
 */
struct sales_rewrite {
	struct sales_atomic_file out;
	int raw;                /* the original, read for the copied bytes */
	off_t pos;              /* original bytes copied or replaced so far */
	struct stat st;         /* the original when opened */
	struct sales_buf buf, rec;
	struct sales_buf win;   /* original bytes from win_off, read ahead */
	off_t win_off;
	char *path;
	size_t changed;         /* records replaced */
};
int sales_rewrite_open(struct sales_rewrite *w, const char *path,
		       struct sales_error *err);
int sales_rewrite_row(struct sales_rewrite *w, const struct sales_row *row,
		      const char *const *cells, size_t n,
		      enum sales_encoding enc, enum sales_eol eol,
		      struct sales_error *err);
int sales_rewrite_finish(struct sales_rewrite *w, struct sales_error *err);
int sales_rewrite_unchanged(const struct sales_rewrite *w,
			    struct sales_error *err);
/* SALES_ECHANGED unless path is still the file was describes (the same
 * inode, size and modification time). */
int sales_file_unchanged(const char *path, const struct stat *was,
			 struct sales_error *err);
void sales_rewrite_discard(struct sales_rewrite *w);
/* Warns (sales_read_warn) of a live formula cell, col 0-based, of a row
 * copied as it was. */
void sheet_warn_live_formula(const char *path, long line, long excel_row,
			     size_t col, const char *text);

/* Reads a whole file into a malloc'd buffer (NUL-terminated; *len excludes
 * the NUL).  Returns 0 or -1. */
int sales_read_file(const char *path, char **data, size_t *len,
		    struct sales_error *err);

/* Appends UTF-8 text s[0..len) to out converted to enc (GB18030 for
 * SALES_ENC_GB18030: GBK's bytes for every GBK character; UTF-8 copied).
 * Returns 0 or -1 with err (ENOMEM, or iconv missing). */
int sales_encode_text(struct sales_buf *out, const char *s, size_t len,
		      enum sales_encoding enc, struct sales_error *err);

/* ---- cell text ---- */

/* true when the text must be stored escaped so that a spreadsheet shows it
 * as text instead of running it: it starts with = + - @ tab or CR (or their
 * full-width forms) and is not a plain number such as "-2%" or "+10".  The
 * escape is a leading apostrophe, which the reader removes again.  Leading
 * apostrophes are skipped first, so "'=x" is stored as "''=x" and reads
 * back as "'=x".  Text starting with U+FEFF is escaped too: the reader
 * refuses a raw cell that starts with a byte order mark (joined files). */
bool sales_cell_needs_escape(const char *s, size_t len);

/*
 * Appends one CSV field (UTF-8) to b: escaped for formulas, quoted only when
 * it holds the separator, a quote, CR or LF, quotes doubled.  Returns 0 or -1
 * on ENOMEM.
 */
int sales_csv_field(struct sales_buf *b, const char *s, size_t len,
		    char separator);
/* Whether a field must be quoted (RFC 4180): it holds , " CR or LF. */
bool sales_csv_needs_quotes(const char *s, size_t len);

#endif
