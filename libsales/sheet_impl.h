/*
 * sheet_impl.h - what the parts of the CSV module share (not a public
 * header: only sheet*.c include it).
 *
 * The module is split by job: sheet.c reads (libcsv, encodings, the
 * reader's window), sheet_fast.c is the reader's fast path, sheet_table.c
 * loads, edits and saves whole files, sheet_write.c writes files (atomic
 * replace, append, create).  sheet.h is the contract of all four.
 */
#ifndef SALES_SHEET_IMPL_H
#define SALES_SHEET_IMPL_H

#include "sheet.h"

#include <csv.h>
#include <iconv.h>
#include <stdatomic.h>


struct cellref {
	size_t off;
	uint32_t len;
	uint32_t flags;
};

enum sheet_enc_why {
	SHEET_ENC_UNDECIDED = 0,
	SHEET_ENC_BOM,        /* a UTF-8 byte order mark */
	SHEET_ENC_OPTION,     /* the caller, --encoding or csv.encoding */
	SHEET_ENC_TEXT,       /* sales_encoding_guess over a large window */
};

struct sales_reader {
	int fd;                 /* -1 when reading from memory */
	char *win;              /* window over the file */
	size_t wcap, wlen, wpos;
	off_t win_off;          /* file offset of win[0] */
	bool owns_win;
	bool eof;               /* nothing more to read into the window */
	bool finished;          /* csv_fini done */
	char *name;

	enum sales_encoding enc;
	enum sheet_enc_why enc_why;   /* what decided enc */
	long enc_line;                /* with SHEET_ENC_TEXT: where the text weighed began */
	bool bom;
	enum sales_eol eol;
	bool eol_known;
	struct csv_parser parser;
	iconv_t cd;

	/* the record being parsed */
	struct sales_buf arena;
	struct cellref *refs;
	size_t nrefs, crefs;
	struct sales_cell *cells;
	size_t ccells;
	bool rec_open, rec_done;
	size_t rec_start;
	long rec_line, rec_excel_row;
	uint32_t fast_flags;   /* the record's cells' flags, or'ed (sheet_fast.c) */

	long line;              /* physical line of the byte at wpos */
	long excel_row;         /* Excel row of the next record */

	struct sales_error *cb_err;
	bool cb_failed;
	/* a record strict CSV refused, rewritten as Excel reads it */
	struct sales_buf repair;
	uint32_t *lenient;      /* flags by cell index while it is parsed */
	size_t nlenient, clenient;
	bool repairing;

	struct sales_row row;
	struct sales_row header;
	bool slow_only;                 /* $SALES_CSV_SLOW: no fast path */
	/* reading ahead in a second thread (sales_reader_next) */
	struct sales_readahead *ra;
	bool ra_tried;
	/* sales_reader_readahead_when: start once *ra_go (NULL: never) */
	const _Atomic bool *ra_go;
	/* sales_reader_set_prepare */
	sales_row_prepare_fn prep_fn;
	void *prep_ud;
	size_t prep_size;
	void *prep_buf;
	bool prep_on;           /* a second thread parses: prep rows */
	unsigned long long file_size;
	/* bytes read from fd so far, by whichever thread parses (progress) */
	_Atomic unsigned long long bytes_in;
	unsigned progress_tick;         /* records since the handler was told */
	enum sales_encoding seen_enc;   /* as of the record last returned */
	enum sales_eol seen_eol;
	bool seen_eol_known;
	/* sales_reader_set_filter: the text (trimmed, NULL: no filter), the
	 * fill-down key's file column (-1: none), whether the record before
	 * was dropped */
	char *filter;
	size_t filter_len;
	int filter_key;
	bool filter_dropped;
	struct sales_buf header_text;
	struct sales_cell *header_cells;
	size_t width;
	/* sales_reader_set_columns: skip[i] for the file columns i < nskip
	 * (at most width) the caller does not read; NULL: every cell */
	bool *skip;
	size_t nskip;
};

/* true when s[0..len) has no byte >= 0x80 */
bool sheet_all_ascii(const char *s, size_t len);
/* opt->display_name when set, else path */
const char *sheet_display_name(const struct sales_read_options *opt,
			       const char *path);

/* Decides r->enc (still SALES_ENC_AUTO) from the file's text starting at
 * the record that begins at window offset off: a fixed 1 MiB from there
 * (the same bytes whichever path asks), or the whole file in memory.
 * Leaves it undecided when that text is ASCII. */
void sheet_decide_encoding(struct sales_reader *r, size_t off);

/* ---- the fast path (sheet_fast.c) ---- */
enum { FAST_DONE = 1, FAST_MORE = 0, FAST_SLOW = -1 };
/* Cuts the record at r->wpos when it is plain: FAST_DONE with r->row
 * filled, FAST_MORE when the window must grow first, FAST_SLOW to leave it
 * to libcsv (nothing changed for either). */
int sheet_fast_record(struct sales_reader *r);

/* The filter's skip: FAST_DONE when the record at r->wpos was dropped
 * unread (r->filter rules it out), FAST_MORE when the window must grow
 * first, FAST_SLOW to read it (nothing changed for either). */
int sheet_fast_skip(struct sales_reader *r);
/* In sales_row.flags (never a cell's): a record read only to be dropped,
 * the continuation of a dropped one (after its warnings, in order). */
#define SHEET_ROW_DROPPED (1u << 31)
/* In sales_row.flags from the fast path, until the blank-record test reads
 * it: a cell it skipped unread (sales_reader_set_columns) is not blank. */
#define SHEET_ROW_SKIPPED_TEXT (1u << 30)

/* ---- writing (sheet_write.c) ---- */
const char *sheet_eol_text(enum sales_eol eol);
/* Appends cells as one UTF-8 record with the line end; 0 or -1 (ENOMEM). */
int sheet_add_record(struct sales_buf *b, const char *const *cells, size_t n,
		     enum sales_eol eol);
/* Converts UTF-8 text to enc and appends it to out; 0 or -1 with err. */
int sheet_encode_to(struct sales_buf *out, const char *s, size_t len,
		    enum sales_encoding enc, const char *name,
		    struct sales_error *err);
/* Writes the pieces to ".NAME.tmp.PID" beside path and fsyncs it; *tmp
 * holds its name.  0 or -1 with err. */
int sheet_write_temp(const char *path, const struct sales_buf *parts,
		     size_t nparts, mode_t mode, struct sales_buf *tmp,
		     struct sales_error *err);
/* Renames *tmp over path (released either way).  0 or -1 with err. */
int sheet_publish_temp(const char *path, struct sales_buf *tmp,
		       struct sales_error *err);
int sheet_fsync_dir(const char *path);

#endif
