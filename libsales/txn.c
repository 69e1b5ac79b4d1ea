#include "txn.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Audit rows are kept as 5 NUL-terminated cells each: sheet, key, column,
 * old, new.  Pending appends as: one byte sheet id, then ncolumns cells. */
#define AUDIT_CELLS 5
/* audit.csv rows appended with one write */
#define AUDIT_BATCH 4096
/* audit rows held in memory before they go to the spill file */
#define AUDIT_SPILL (1u << 20)
/* the spill file read back this many bytes at a time */
#define AUDIT_READ (1u << 18)

static int journal_replay(struct sales_txn *t, struct sales_error *err);

int sales_row_key_cols(enum sales_sheet_id id, int *second)
{
	*second = -1;
	switch (id) {
	case SALES_LEADS: return LEAD_CUSTOMER;
	case SALES_CONTRACTS: return CON_CONTRACT;
	case SALES_SOLUTIONS: *second = SOL_SOLUTION; return SOL_CUSTOMER;
	case SALES_PLANS: *second = PLAN_PHASE; return PLAN_CUSTOMER;
	case SALES_KPI: *second = KPI_METRIC; return KPI_QUARTER;
	default: return 0;
	}
}

void sales_row_key(const struct sales_sheet_def *def, const char *const *v,
		   struct sales_buf *out)
{
	int b, a = sales_row_key_cols(def->id, &b);

	sales_buf_reset(out);
	sales_buf_addstr(out, v[a] ? v[a] : "");
	if (b >= 0) {
		sales_buf_addch(out, '/');
		sales_buf_addstr(out, v[b] ? v[b] : "");
	}
	if (!out->data)
		sales_buf_addstr(out, "");
}

int sales_txn_begin(struct sales_txn *t, const char *dir, const char *command,
		    struct sales_error *err)
{
	char what[160];
	int rc;

	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
	t->dir = strdup(dir);
	t->command = strdup(command ? command : "sales");
	if (!t->dir || !t->command)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	snprintf(what, sizeof(what), "sales %s", t->command);
	if (sales_lock_acquire(&t->lock, dir, what, -1, err) < 0)
		return -1;
	rc = journal_replay(t, err);
	if (rc < 0)
		return -1;
	t->recovered = rc > 0;
	/* after the replay, which may still need a dead process's files */
	t->stale_temps = sales_remove_stale_temps(dir);
	return 0;
}

void sales_txn_read_begin(struct sales_txn *t, enum sales_sheet_id id,
			  struct sales_read_capture *cap)
{
	memset(cap, 0, sizeof(*cap));
	if (t->warned[id])
		sales_read_capture_begin(cap);   /* dropped at the end */
}

void sales_txn_read_end(struct sales_txn *t, enum sales_sheet_id id,
			struct sales_read_capture *cap, bool read)
{
	if (t->warned[id])
		sales_read_capture_end();
	sales_read_capture_release(cap);
	if (read)
		t->warned[id] = true;
}

struct sales_sheet_table *sales_txn_sheet(struct sales_txn *t,
					  enum sales_sheet_id id,
					  struct sales_error *err)
{
	if (t->streamed[id]) {
		/* its rewrite is prepared already: a second copy to edit
		 * would lose one of the two */
		sales_error_set(err, SALES_EUSAGE, sales_sheet_def(id)->file, 0,
				0, "%s was rewritten in this change already",
				sales_sheet_def(id)->file);
		return NULL;
	}
	if (!t->loaded[id]) {
		struct sales_read_capture cap;
		int rc;

		sales_txn_read_begin(t, id, &cap);
		rc = sales_sheet_table_load(&t->sheets[id], t->dir, id,
					    SALES_ENC_AUTO, err);
		sales_txn_read_end(t, id, &cap, rc == 0);
		if (rc < 0) {
			sales_sheet_table_release(&t->sheets[id]);
			return NULL;
		}
		t->loaded[id] = true;
	}
	return &t->sheets[id];
}

const struct sales_sheet_table *sales_txn_unedited(const struct sales_txn *t,
						   enum sales_sheet_id id)
{
	if (!t->loaded[id] || !t->sheets[id].table ||
	    sales_table_dirty(t->sheets[id].table) || t->streamed[id])
		return NULL;
	return &t->sheets[id];
}

static int add_audit(struct sales_txn *t, const char *sheet, const char *key,
		     const char *column, const char *old_value,
		     const char *new_value, struct sales_error *err)
{
	const char *cells[AUDIT_CELLS] = { sheet, key, column, old_value,
					   new_value };

	for (int i = 0; i < AUDIT_CELLS; i++)
		if (sales_buf_add(&t->audit, cells[i] ? cells[i] : "",
				  strlen(cells[i] ? cells[i] : "") + 1) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	t->naudit++;
	if (t->audit.len < AUDIT_SPILL)
		return 0;
	/* many rows (a score --write of 100k leads has 160k): the rows so
	 * far, whole, go to an anonymous temporary file, read back in order
	 * by the journal and write_audit */
	if (!t->audit_spill && !(t->audit_spill = tmpfile()))
		return sales_error_set(err, SALES_EIO, NULL, 0, 0,
				       "cannot create a temporary file: %s",
				       strerror(errno));
	if (fwrite(t->audit.data, 1, t->audit.len, t->audit_spill) !=
	    t->audit.len)
		return sales_error_set(err, SALES_EIO, NULL, 0, 0,
				       "cannot write a temporary file: %s",
				       strerror(errno));
	t->audit_spilled += t->audit.len;
	t->audit_spilled_rows = t->naudit;
	sales_buf_reset(&t->audit);
	return 0;
}

/* The spill file from its start, for reading; -1 with err. */
static int spill_rewind(const struct sales_txn *t, struct sales_error *err)
{
	if (fflush(t->audit_spill) != 0 || fseek(t->audit_spill, 0, SEEK_SET) != 0)
		return sales_error_set(err, SALES_EIO, NULL, 0, 0,
				       "cannot read a temporary file: %s",
				       strerror(errno));
	return 0;
}

int sales_txn_note(struct sales_txn *t, const char *file, const char *key,
		   const char *column, const char *old_value,
		   const char *new_value, struct sales_error *err)
{
	return add_audit(t, file, key, column, old_value, new_value, err);
}

/* A sheet sales_txn_stream rewrote: its temporary file, and the live
 * formula cells it copied as they were (warned of at commit, as a loaded
 * sheet's are: line, Excel row, column, then the text, NUL-ended). */
struct sales_txn_streamed {
	struct sales_rewrite w;
	struct sales_buf formulas;
};

struct sales_txn_stream {
	struct sales_txn *t;
	const struct sales_sheet_def *def;
	const struct sales_colmap *map;
	const struct sales_row *row;
	const char *const *v;
	const int *cols;
	size_t ncols;
	bool edited;
	bool keyed;                   /* key holds the record's row key */
	struct sales_buf key;
	const char **cells;           /* the record's file cells, when edited */
	size_t ncells, ccells;
	struct sales_buf nv[SALES_MAX_COLS];   /* new values by schema column */
	struct sales_buf fill[SALES_MAX_COLS]; /* fill-down values for keys */
	/* a streamed column the header lacks: its file column past the
	 * header's (the first pass: in cols order; the writing pass: in the
	 * order values first went into them, as a loaded sheet adds them),
	 * or -1 */
	int vf[SALES_MAX_COLS];
	/* the first of two passes (a column to add): the changes fn made,
	 * kept to be written by the second, and the added columns in the
	 * order a value first went into them */
	bool logging;
	struct stream_change { long line; int col; size_t value; } *log;
	size_t nlog, log_alloc;
	struct sales_buf log_values;
	int added[SALES_MAX_COLS];
	size_t nadded;
	bool replaying;               /* the second: no audit rows again */
	const struct sales_row *hdr;  /* the file's header */
	/* sales_txn_each's walk of a loaded sheet instead: its row */
	struct sales_sheet_table *st;
	enum sales_sheet_id id;
	size_t trow;
};

static void streamed_free(struct sales_txn_streamed *sd)
{
	if (!sd)
		return;
	sales_rewrite_discard(&sd->w);
	sales_buf_release(&sd->formulas);
	free(sd);
}

const struct sales_row *sales_txn_stream_row(const struct sales_txn_stream *s)
{
	return s->row;
}

const struct sales_colmap *sales_txn_stream_map(const struct sales_txn_stream *s)
{
	return s->st ? &s->st->map : s->map;
}

long sales_txn_stream_excel_row(const struct sales_txn_stream *s)
{
	return s->st ? sales_table_excel_row(s->st->table, s->trow) :
	       s->row->excel_row;
}

const char *sales_txn_stream_filled(const struct sales_txn_stream *s, int col)
{
	if (s->st)
		return sales_sheet_table_filled(s->st, s->trow, col);
	/* stream_fill keeps them as the walk up finds them */
	return (s->def->columns[col].flags & SALES_COLF_FILL_DOWN) &&
	       s->fill[col].data ? s->fill[col].data : s->v[col];
}

/* The first pass's note of a change (and of a column it adds). */
static int log_change(struct sales_txn_stream *s, int col, const char *value)
{
	struct stream_change *c;
	bool known = s->map->file_col[col] >= 0 || !*value;

	for (size_t i = 0; !known && i < s->nadded; i++)
		known = s->added[i] == col;
	if (!known)
		s->added[s->nadded++] = col;
	if (SALES_ALLOC_GROW(s->log, s->nlog + 1, s->log_alloc) < 0)
		return -1;
	c = &s->log[s->nlog];
	c->line = s->row->line;
	c->col = col;
	c->value = s->log_values.len;
	if (sales_buf_add(&s->log_values, value, strlen(value) + 1) < 0)
		return -1;
	s->nlog++;
	return 0;
}

/* The record's cells, to edit (the first edit of it copies them). */
static int stream_edit(struct sales_txn_stream *s)
{
	const struct sales_row *row = s->row;
	size_t n;

	if (s->edited)
		return 0;
	n = row->ncells > s->map->nfile ? row->ncells : s->map->nfile;
	n += SALES_MAX_COLS;   /* room for the columns added */
	if (SALES_ALLOC_GROW(s->cells, n, s->ccells) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		s->cells[i] = i < row->ncells ? row->cells[i].s : "";
	s->ncells = row->ncells;
	s->edited = true;
	return 0;
}

/* The key as sales_txn_set gives it: of the record's values now (a key
 * cell set already names the later changes), a continuation row's
 * filled. */
static int stream_key(struct sales_txn_stream *s)
{
	const char *v[SALES_MAX_COLS];
	bool cont = (s->def->columns[0].flags & SALES_COLF_FILL_DOWN) &&
		    sales_fill_blank(s->v[0]);

	if (s->keyed)
		return 0;
	for (size_t c = 0; c < s->def->ncolumns; c++) {
		int fc = s->map->file_col[c] >= 0 ? s->map->file_col[c] : s->vf[c];

		v[c] = s->edited && fc >= 0 && (size_t)fc < s->ncells ?
		       s->cells[fc] : s->v[c];
		if (cont && (s->def->columns[c].flags & SALES_COLF_FILL_DOWN) &&
		    sales_fill_blank(v[c]) && s->fill[c].data)
			v[c] = s->fill[c].data;
	}
	sales_row_key(s->def, v, &s->key);
	if (!s->key.data)
		return -1;
	s->keyed = true;
	return 0;
}

int sales_txn_stream_set(struct sales_txn_stream *s, int col,
			 const char *value, struct sales_error *err)
{
	bool allowed = false;
	int f = s->map ? s->map->file_col[col] : -1, rc;

	value = value ? value : "";
	for (size_t i = 0; i < s->ncols; i++)
		allowed |= s->cols[i] == col;
	if (s->st && allowed)
		return sales_txn_set(s->t, s->id, s->trow, col, value, err);
	if (f < 0)
		f = s->vf[col];
	if (!allowed || f < 0)
		return sales_error_set(err, SALES_EUSAGE, s->def->file, 0, 0,
				       "column %s not streamed",
				       s->def->columns[col].zh);
	/* (cells past the record's own are "" up to the columns added) */
	if (!strcmp(s->edited ? s->cells[f] : s->v[col], value))
		return 0;
	if (s->logging && log_change(s, col, value) < 0)
		goto nomem;
	if (stream_edit(s) < 0)
		goto nomem;
	if ((size_t)f + 1 > s->ncells)
		s->ncells = (size_t)f + 1;
	if (s->replaying)
		goto set;
	if (stream_key(s) < 0)
		goto nomem;
	rc = add_audit(s->t, s->def->file, s->key.data, s->def->columns[col].zh,
		       s->cells[f], value, err);
	if (rc < 0)
		return -1;
set:
	sales_buf_reset(&s->nv[col]);
	if (sales_buf_addstr(&s->nv[col], value) < 0 ||
	    sales_buf_addstr(&s->nv[col], "") < 0)
		goto nomem;
	s->cells[f] = s->nv[col].data;
	{
		int second, first = sales_row_key_cols(s->def->id, &second);

		if (col == first || col == second)
			s->keyed = false;
	}
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, s->def->file, 0, 0,
			       "out of memory");
}

/* Keeps the fill-down values a continuation row's key takes (as
 * sales_sheet_table_filled finds them walking up). */
static int stream_fill(struct sales_txn_stream *s, const char *const *v)
{
	bool cont;

	if (!(s->def->columns[0].flags & SALES_COLF_FILL_DOWN))
		return 0;
	cont = sales_fill_blank(v[0]);
	for (size_t c = 0; c < s->def->ncolumns; c++) {
		if (!(s->def->columns[c].flags & SALES_COLF_FILL_DOWN) ||
		    (cont && sales_fill_blank(v[c])))
			continue;
		sales_buf_reset(&s->fill[c]);
		if (sales_buf_addstr(&s->fill[c], v[c]) < 0 ||
		    sales_buf_addstr(&s->fill[c], "") < 0)
			return -1;
	}
	return 0;
}

static int note_formulas(struct sales_txn_streamed *sd,
			 const struct sales_row *row)
{
	for (size_t i = 0; i < row->ncells; i++) {
		if (!(row->cells[i].flags & SALES_CELL_FORMULA))
			continue;
		if (sales_buf_printf(&sd->formulas, "%ld %ld %zu ", row->line,
				     row->excel_row, i) < 0 ||
		    sales_buf_add(&sd->formulas, row->cells[i].s,
				  strlen(row->cells[i].s) + 1) < 0)
			return -1;
	}
	return 0;
}

static void warn_formulas(const struct sales_txn_streamed *sd)
{
	const char *p = sd->formulas.data, *end = p + sd->formulas.len;

	while (p && p < end) {
		long line, excel_row;
		size_t col;
		int used = 0;

		if (sscanf(p, "%ld %ld %zu %n", &line, &excel_row, &col,
			   &used) != 3 || !used)
			break;
		p += used;
		sheet_warn_live_formula(sd->w.path, line, excel_row, col, p);
		p += strlen(p) + 1;
	}
}

/* One pass over the records of r: fn sees each (its values by schema
 * column); into sd's rewrite when sd is not NULL.  0 at the end, -1 with
 * err. */
static int stream_pass(struct sales_txn_stream *s, struct sales_reader *r,
		       struct sales_txn_streamed *sd, sales_txn_row_fn fn,
		       void *arg, struct sales_error *err)
{
	const struct sales_sheet_def *def = s->def;
	const struct sales_row *row;
	int more;

	while ((more = sales_reader_next(r, &row, err)) > 0) {
		const char *v[SALES_MAX_COLS];

		for (size_t c = 0; c < def->ncolumns; c++) {
			int f = s->map->file_col[c];

			v[c] = f >= 0 && (size_t)f < row->ncells ?
			       row->cells[f].s : "";
		}
		if (stream_fill(s, v) < 0)
			goto nomem;
		s->row = row;
		s->v = v;
		s->edited = false;
		s->keyed = false;
		if (fn(s, v, row->line, arg, err) < 0)
			return -1;
		if (!sd)
			continue;
		if (s->edited) {
			size_t n = s->ncells;

			/* an edited row keeps its width; trailing cells it
			 * gained empty go (as a loaded sheet's) */
			while (n > row->ncells && !*s->cells[n - 1])
				n--;
			if (sales_rewrite_row(&sd->w, row, s->cells, n,
					      sales_reader_encoding(r),
					      sales_reader_eol(r), err) < 0)
				return -1;
		} else if (note_formulas(sd, row) < 0) {
			goto nomem;
		}
	}
	return more;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

/* The second pass's fn: the first pass's changes of this record again. */
static int replay_row(struct sales_txn_stream *s, const char *const *v,
		      long line, void *arg, struct sales_error *err)
{
	size_t *next = arg;

	(void)v;
	while (*next < s->nlog && s->log[*next].line == line) {
		const struct stream_change *c = &s->log[(*next)++];

		if (sales_txn_stream_set(s, c->col,
					 s->log_values.data + c->value, err) < 0)
			return -1;
	}
	return 0;
}

/* The header with the columns the changes added, at its end in the order
 * they were added (as a loaded sheet's sales_table_add_column). */
static int rewrite_header(struct sales_txn_streamed *sd,
			  const struct sales_reader *r,
			  const struct sales_txn_stream *s,
			  struct sales_error *err)
{
	const struct sales_row *h = sales_reader_header(r);
	size_t n = h->ncells + s->nadded;
	const char **cells = malloc(n * sizeof(*cells));
	int rc;

	if (!cells)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	for (size_t i = 0; i < h->ncells; i++)
		cells[i] = h->cells[i].s;
	for (size_t k = 0; k < s->nadded; k++)
		cells[h->ncells + k] = s->def->columns[s->added[k]].zh;
	rc = sales_rewrite_row(&sd->w, h, cells, n, sales_reader_encoding(r),
			       sales_reader_eol(r), err);
	free(cells);
	return rc;
}

int sales_txn_stream(struct sales_txn *t, enum sales_sheet_id id,
		     const int *cols, size_t ncols, sales_txn_row_fn fn,
		     void *arg, struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct sales_read_options opt = { SALES_ENC_AUTO, def->file, false };
	struct sales_txn_stream s = { 0 };
	struct sales_txn_streamed *sd = NULL;
	struct sales_reader *r = NULL;
	struct sales_colmap map = { 0 };
	struct sales_error quiet;
	struct sales_read_capture cap;
	struct stat first;
	bool reading = false;
	char *path = NULL;
	size_t nvirtual = 0, next = 0;
	int rc = -1;

	if (t->loaded[id] || t->streamed[id])
		return 1;
	for (size_t c = 0; c < SALES_MAX_COLS; c++)
		s.vf[c] = -1;
	path = sales_path_join(t->dir, def->file);
	if (!path) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	/* what the stream cannot do, a loaded sheet does (and says why it
	 * fails, when it does) */
	sales_error_clear(&quiet);
	if (sales_reader_open(path, &opt, &r, &quiet) < 0 ||
	    sales_colmap_bind(&map, def, sales_reader_header(r), def->file,
			      &quiet) < 0) {
		rc = 1;
		goto out;
	}
	/* a column the header lacks goes past its columns: the first pass
	 * places them in cols order, the second where the changes put them */
	for (size_t i = 0; i < ncols; i++)
		if (map.file_col[cols[i]] < 0 && s.vf[cols[i]] < 0)
			s.vf[cols[i]] = (int)(map.nfile + nvirtual++);
	s.t = t;
	s.def = def;
	s.map = &map;
	s.hdr = sales_reader_header(r);
	s.cols = cols;
	s.ncols = ncols;
	s.logging = nvirtual > 0;
	if (!s.logging) {
		sd = calloc(1, sizeof(*sd));
		if (!sd) {
			sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					"out of memory");
			goto out;
		}
		sd->w.raw = -1;
		sd->w.out.fd = -1;
		if (sales_rewrite_open(&sd->w, path, err) < 0)
			goto out;
	} else if (stat(path, &first) < 0) {
		sales_error_set(err, SALES_EIO, def->file, 0, 0,
				"cannot read: %s", strerror(errno));
		goto out;
	}
	sales_txn_read_begin(t, id, &cap);
	reading = true;
	rc = stream_pass(&s, r, sd, fn, arg, err);
	sales_txn_read_end(t, id, &cap, rc == 0);
	reading = false;
	if (rc < 0)
		goto out;
	rc = -1;
	if (s.logging && s.nlog) {
		/* the second pass writes what the first one changed, with
		 * the header the changes made (the file as the first pass
		 * read it: under the lock, unless a program that takes no
		 * lock saved it meanwhile) */
		sales_reader_close(r);
		r = NULL;
		if (sales_file_unchanged(path, &first, err) < 0 ||
		    sales_reader_open(path, &opt, &r, err) < 0)
			goto out;
		for (size_t c = 0; c < SALES_MAX_COLS; c++)
			s.vf[c] = -1;
		for (size_t k = 0; k < s.nadded; k++)
			s.vf[s.added[k]] = (int)(map.nfile + k);
		s.logging = false;
		s.replaying = true;
		sd = calloc(1, sizeof(*sd));
		if (!sd) {
			sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					"out of memory");
			goto out;
		}
		sd->w.raw = -1;
		sd->w.out.fd = -1;
		if (sales_rewrite_open(&sd->w, path, err) < 0 ||
		    sales_file_unchanged(path, &first, err) < 0 ||
		    (s.nadded && rewrite_header(sd, r, &s, err) < 0))
			goto out;
		sales_txn_read_begin(t, id, &cap);
		reading = true;
		if (stream_pass(&s, r, sd, replay_row, &next, err) < 0)
			goto out;
		sales_txn_read_end(t, id, &cap, true);
		reading = false;
	}
	if (!sd || !sd->w.changed) {
		rc = 0;		/* nothing to write */
		goto out;
	}
	if (sales_rewrite_finish(&sd->w, err) < 0)
		goto out;
	t->streamed[id] = sd;
	sd = NULL;
	rc = 0;
out:
	if (reading)
		sales_txn_read_end(t, id, &cap, false);
	streamed_free(sd);
	sales_reader_close(r);
	sales_colmap_release(&map);
	for (size_t c = 0; c < SALES_MAX_COLS; c++) {
		sales_buf_release(&s.nv[c]);
		sales_buf_release(&s.fill[c]);
	}
	free(s.cells);
	free(s.log);
	sales_buf_release(&s.log_values);
	sales_buf_release(&s.key);
	free(path);
	return rc;
}

int sales_txn_changed(enum sales_sheet_id id, long line,
		      struct sales_error *err)
{
	const char *file = sales_sheet_def(id)->file;

	return sales_error_set(err, SALES_ECHANGED, file, line, 0,
			       _("%s changed while it was read: run the command again"),
			       file);
}

int sales_txn_each(struct sales_txn *t, enum sales_sheet_id id,
		   const int *cols, size_t ncols, sales_txn_row_fn fn, void *arg,
		   struct sales_error *err)
{
	struct sales_txn_stream s = { 0 };
	int rc = sales_txn_stream(t, id, cols, ncols, fn, arg, err);
	size_t n;

	if (rc <= 0)
		return rc;
	/* what the stream cannot do, on the loaded sheet: the same fn */
	if (!(s.st = sales_txn_sheet(t, id, err)))
		return -1;
	s.t = t;
	s.id = id;
	s.def = s.st->def;
	s.cols = cols;
	s.ncols = ncols;
	n = sales_table_rows(s.st->table);
	for (size_t r = 0; r < n; r++) {
		const char *v[SALES_MAX_COLS];

		for (size_t c = 0; c < s.def->ncolumns; c++)
			v[c] = sales_sheet_table_get(s.st, r, (int)c);
		s.trow = r;
		s.v = v;
		if (fn(&s, v, sales_table_line(s.st->table, r), arg, err) < 0)
			return -1;
	}
	return 0;
}

/* The row's values for its key: a merged-cell continuation row (blank
 * 客户名称 in a fill-down sheet) is named by the rows above it, as a reader
 * sees it (schema.h), so its audit rows say whose row it is. */
static void current_values(const struct sales_sheet_table *st, size_t row,
			   const char **v)
{
	for (size_t c = 0; c < st->def->ncolumns; c++)
		v[c] = sales_sheet_table_filled(st, row, (int)c);
}

/* sales_txn_fix_formulas's fn: the record's live formula cells (any
 * column, the toolkit's or not), each audited, then the record written
 * again (the writer stores a formula-leading cell as "'" + its text). */
static int escape_row(struct sales_txn_stream *s, const char *const *v,
		      long line, void *arg, struct sales_error *err)
{
	size_t *fixed = arg;
	const struct sales_row *hdr = s->st ? sales_table_header(s->st->table) :
				      s->hdr;
	size_t n = s->st ? sales_table_ncells(s->st->table, s->trow) :
		   s->row->ncells;
	struct sales_buf key = {0}, escaped = {0};
	bool touched = false;
	int rc = -1;

	(void)v;
	(void)line;
	for (size_t c = 0; c < n; c++) {
		const char *text;

		if (!((s->st ? sales_table_cell_flags(s->st->table, s->trow, c) :
		       s->row->cells[c].flags) & SALES_CELL_FORMULA))
			continue;
		if (!touched) {
			const char *kv[SALES_MAX_COLS];

			if (s->st) {
				current_values(s->st, s->trow, kv);
				sales_row_key(s->def, kv, &key);
			} else if (stream_key(s) == 0) {
				sales_buf_addstr(&key, s->key.data);
			}
			if (!key.data)
				goto nomem;
		}
		text = s->st ? sales_table_get(s->st->table, s->trow, c) :
		       s->row->cells[c].s;
		sales_buf_reset(&escaped);
		if (sales_buf_addch(&escaped, '\'') < 0 ||
		    sales_buf_addstr(&escaped, text) < 0)
			goto nomem;
		if (add_audit(s->t, s->def->file, key.data,
			      c < hdr->ncells ? hdr->cells[c].s : "", text,
			      escaped.data, err) < 0)
			goto out;
		touched = true;
		(*fixed)++;
	}
	/* touched last: the flags read above go with the edit */
	if (touched) {
		if (s->st) {
			if (sales_table_touch(s->st->table, s->trow, err) < 0)
				goto out;
		} else if (stream_edit(s) < 0) {
			goto nomem;
		}
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_buf_release(&key);
	sales_buf_release(&escaped);
	return rc;
}

int sales_txn_fix_formulas(struct sales_txn *t, enum sales_sheet_id id,
			   size_t *fixed, struct sales_error *err)
{
	*fixed = 0;
	return sales_txn_each(t, id, NULL, 0, escape_row, fixed, err);
}

int sales_txn_set(struct sales_txn *t, enum sales_sheet_id id, size_t row,
		  int col, const char *value, struct sales_error *err)
{
	struct sales_sheet_table *st = &t->sheets[id];
	const char *v[SALES_MAX_COLS];
	struct sales_buf key = {0}, old = {0};
	int rc;

	if (!t->loaded[id])
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "sheet %s not loaded",
				       sales_sheet_def(id)->file);
	value = value ? value : "";
	if (!strcmp(sales_sheet_table_get(st, row, col), value))
		return 0;
	current_values(st, row, v);
	sales_row_key(st->def, v, &key);
	sales_buf_addstr(&old, sales_sheet_table_get(st, row, col));
	rc = sales_sheet_table_set(st, row, col, value, err);
	if (rc == 0)
		rc = add_audit(t, st->def->file, key.data, st->def->columns[col].zh,
			       old.data, value, err);
	sales_buf_release(&key);
	sales_buf_release(&old);
	return rc;
}

long sales_txn_append(struct sales_txn *t, enum sales_sheet_id id,
		      const char *const *values, struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct sales_buf key = {0};
	long idx = 0;

	sales_row_key(def, values, &key);
	for (size_t c = 0; c < def->ncolumns; c++)
		if (values[c] && *values[c] &&
		    add_audit(t, def->file, key.data, def->columns[c].zh, "",
			      values[c], err) < 0)
			goto fail;
	if (t->loaded[id]) {
		idx = sales_sheet_table_append(&t->sheets[id], values, err);
		if (idx < 0)
			goto fail;
	} else {
		unsigned char sid = (unsigned char)id;

		if (sales_buf_add(&t->pending, &sid, 1) < 0)
			goto nomem;
		for (size_t c = 0; c < def->ncolumns; c++) {
			const char *s = values[c] ? values[c] : "";

			if (sales_buf_add(&t->pending, s, strlen(s) + 1) < 0)
				goto nomem;
		}
	}
	sales_buf_release(&key);
	return idx;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	sales_buf_release(&key);
	return -1;
}

int sales_txn_command_append(struct sales_txn *t, const char *more,
			     struct sales_error *err)
{
	struct sales_buf b = { 0 };

	if (sales_buf_printf(&b, "%s %s", t->command, more) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	free(t->command);
	t->command = sales_buf_detach(&b, NULL);
	return 0;
}

size_t sales_txn_changes(const struct sales_txn *t)
{
	return t->naudit;
}

/* Writes queued appends of one sheet with one O(1) append. */
static int flush_pending(struct sales_txn *t, enum sales_sheet_id id,
			 struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	const char **values = NULL;
	size_t nrows = 0, cap = 0;
	const char *p = t->pending.data, *end = p + t->pending.len;
	int rc;

	while (p && p < end) {
		unsigned char sid = (unsigned char)*p++;

		/* one item is a row: ncolumns values */
		if (sid == (unsigned char)id &&
		    sales_grow(&values, &cap, nrows + 1,
			       def->ncolumns * sizeof(*values), 0) < 0) {
			free(values);
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		}
		for (size_t c = 0; c < sales_sheet_def(sid)->ncolumns; c++) {
			if (sid == (unsigned char)id)
				values[nrows * def->ncolumns + c] = p;
			p += strlen(p) + 1;
		}
		if (sid == (unsigned char)id)
			nrows++;
	}
	rc = nrows ? sales_sheet_append(t->dir, id, values, nrows, err) : 0;
	free(values);
	return rc;
}

/* The audit time of a commit: local time with its offset. */
sales_date sales_audit_day(const char *command, const char *time)
{
	const char *p = strstr(command, "[as of ");
	sales_date d;

	if (p && sales_parse_date(p + 7, 10, &d) == SALES_VALUE_OK)
		return d;
	if (strlen(time) >= 10 && sales_parse_date(time, 10, &d) == SALES_VALUE_OK)
		return d;
	return SALES_DATE_NONE;
}

static void audit_time(char when[40])
{
	char tz[8];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(tz, sizeof(tz), "%z", &tm);
	strftime(when, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), 40 - strlen(when), "%.3s:%.2s", tz,
		 tz + 3);
}

/* Appends t's audit rows to audit.csv (creating it), stamped when/user. */
static int write_audit(struct sales_txn *t, const char *when, const char *user,
		       struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(SALES_AUDIT);
	char *path = sales_path_join(t->dir, def->file);
	const char **cells = NULL;
	const char *p = t->audit.data;
	struct sales_buf batch = { 0 };
	int rc = -1;

	if (!path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (!sales_sheet_exists(t->dir, SALES_AUDIT)) {
		const char *hdr[AUDIT_NCOLS];

		for (int c = 0; c < AUDIT_NCOLS; c++)
			hdr[c] = def->columns[c].zh;
		if (sales_create_file(path, hdr, AUDIT_NCOLS, err) < 0)
			goto out;
	}
	cells = calloc(AUDIT_BATCH * AUDIT_NCOLS, sizeof(*cells));
	if (!cells) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	/* appended AUDIT_BATCH rows at a time (a score --write of 100k
	 * leads has 200k rows: never all of them encoded at once); the
	 * journal redoes the whole append after a crash.  The spilled rows
	 * first, read back a batch at a time, then those in memory. */
	rc = 0;
	if (t->audit_spill && spill_rewind(t, err) < 0)
		rc = -1;
	for (size_t done = 0, used = 0; rc == 0 && done < t->audit_spilled_rows;) {
		const char *q = batch.data ? batch.data + used : NULL;
		const char *end = batch.data ? batch.data + batch.len : NULL;
		size_t n = 0;

		/* the rows whole in what was read so far, up to a batch */
		while (n < AUDIT_BATCH && done + n < t->audit_spilled_rows) {
			const char **row = cells + n * AUDIT_NCOLS;
			const char *at = q;
			int c;

			for (c = AUDIT_SHEET; c < AUDIT_NCOLS; c++) {
				const char *nul = at < end ?
						  memchr(at, '\0', (size_t)(end - at)) : NULL;

				if (!nul)
					break;
				row[c] = at;
				at = nul + 1;
			}
			if (c < AUDIT_NCOLS)
				break;
			row[AUDIT_TIME] = when;
			row[AUDIT_USER] = user;
			row[AUDIT_COMMAND] = t->command;
			q = at;
			n++;
		}
		if (n) {
			rc = sales_sheet_append(t->dir, SALES_AUDIT, cells, n, err);
			used = (size_t)(q - batch.data);
			done += n;
			continue;
		}
		/* a row cut at the end of what was read: keep its start, read
		 * on (AUDIT_READ bytes at a time, not a call per cell) */
		if (used) {
			memmove(batch.data, batch.data + used, batch.len - used);
			batch.len -= used;
			used = 0;
		}
		if (sales_buf_grow(&batch, AUDIT_READ) < 0) {
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					     "out of memory");
		} else {
			size_t got = fread(batch.data + batch.len, 1, AUDIT_READ,
					   t->audit_spill);

			if (!got)
				rc = sales_error_set(err, SALES_EIO, NULL, 0, 0,
						     "cannot read a temporary file: %s",
						     ferror(t->audit_spill) && errno ?
						     strerror(errno) : "it got shorter");
			batch.len += got;
			batch.data[batch.len] = '\0';
		}
	}
	for (size_t done = t->audit_spilled_rows; rc == 0 && done < t->naudit;) {
		size_t n = t->naudit - done < AUDIT_BATCH ? t->naudit - done :
			   AUDIT_BATCH;

		for (size_t i = 0; i < n; i++) {
			const char **row = cells + i * AUDIT_NCOLS;

			row[AUDIT_TIME] = when;
			row[AUDIT_USER] = user;
			row[AUDIT_COMMAND] = t->command;
			for (int c = AUDIT_SHEET; c < AUDIT_NCOLS; c++) {
				row[c] = p;
				p += strlen(p) + 1;
			}
		}
		rc = sales_sheet_append(t->dir, SALES_AUDIT, cells, n, err);
		done += n;
	}
out:
	free(cells);
	sales_buf_release(&batch);
	free(path);
	return rc;
}

/*
 * The commit journal, .sales.journal: what a commit still has to do once
 * its sheets are written beside their files.  Written atomically before the
 * first visible change and removed after the last, so a process that dies
 * in between leaves a complete journal, and the next writer finishes the
 * change (journal_replay) before it starts its own.  Replaying is
 * idempotent: a temporary file already renamed is gone, and an append is
 * made again from the size its file had before the commit (a big append,
 * such as thousands of audit rows, can be cut short by SIGKILL: what the
 * dead process wrote past that size is its own, and is cut off first).  A
 * file whose bytes before that size changed meanwhile (saved from Excel) is
 * left alone.
 *
 *	SALESJOURNAL 1
 *	rename TEMP TARGET            file names in the folder
 *	size ID BYTES TAIL            a sheet's size before its appends (-1: no
 *	                              file) and a hash of its last bytes
 *	user LEN / command LEN / when LEN / pending LEN / audit N LEN
 *	                              each followed by LEN bytes and a newline
 *	end
 */
#define JOURNAL ".sales.journal"

static long long file_size(const char *dir, enum sales_sheet_id id)
{
	char *path = sales_path_join(dir, sales_sheet_def(id)->file);
	struct stat st;
	long long size = -1;

	if (path && stat(path, &st) == 0)
		size = (long long)st.st_size;
	free(path);
	return size;
}

/* FNV-1a of the (up to) 256 bytes before offset size of path; 0 if none. */
static unsigned long long tail_hash(const char *path, long long size)
{
	unsigned char buf[256];
	size_t n = size > 256 ? 256 : (size_t)(size > 0 ? size : 0);
	unsigned long long h = 1469598103934665603ULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (pread(fd, buf, n, (off_t)(size - (long long)n)) != (ssize_t)n)
		n = 0;
	close(fd);
	for (size_t i = 0; i < n; i++)
		h = (h ^ buf[i]) * 1099511628211ULL;
	return h;
}

static char *sheet_path(const char *dir, int id)
{
	return sales_path_join(dir, sales_sheet_def((enum sales_sheet_id)id)->file);
}

static int add_blob(struct sales_buf *b, const char *tag, const char *data,
		    size_t len)
{
	if (sales_buf_printf(b, "%s %zu\n", tag, len) < 0 ||
	    sales_buf_add(b, data ? data : "", len) < 0 ||
	    sales_buf_addch(b, '\n') < 0)
		return -1;
	return 0;
}

/* true when pending appends target sheet id. */
static bool has_pending(const struct sales_txn *t, enum sales_sheet_id id)
{
	const char *p = t->pending.data, *end = p + t->pending.len;

	while (p && p < end) {
		unsigned char sid = (unsigned char)*p++;

		if (sid == (unsigned char)id)
			return true;
		for (size_t c = 0; c < sales_sheet_def(sid)->ncolumns; c++)
			p += strlen(p) + 1;
	}
	return false;
}

/* The spilled audit rows, as they are, into f. */
static int spill_copy(const struct sales_txn *t, struct sales_atomic_file *f,
		      struct sales_error *err)
{
	char chunk[65536];
	size_t left = t->audit_spilled;

	if (!t->audit_spill)
		return 0;
	if (spill_rewind(t, err) < 0)
		return -1;
	while (left > 0) {
		size_t n = fread(chunk, 1, left < sizeof(chunk) ? left :
				 sizeof(chunk), t->audit_spill);

		if (!n)
			return sales_error_set(err, SALES_EIO, NULL, 0, 0,
					       "cannot read a temporary file: %s",
					       ferror(t->audit_spill) ?
					       strerror(errno) : "it got shorter");
		if (sales_atomic_write(f, chunk, n, err) < 0)
			return -1;
		left -= n;
	}
	return 0;
}

static int journal_write(const struct sales_txn *t, const char *path,
			 const char *when, struct sales_error *err)
{
	struct sales_buf b = {0};
	const char *user = sales_user();

	if (sales_buf_addstr(&b, "SALESJOURNAL 1\n") < 0)
		goto nomem;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const char *tmp, *target;

		if (!t->loaded[id] ||
		    !(tmp = sales_table_temp(t->sheets[id].table)))
			continue;
		target = sales_table_path(t->sheets[id].table);
		tmp = strrchr(tmp, '/') ? strrchr(tmp, '/') + 1 : tmp;
		target = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		if (sales_buf_printf(&b, "rename %s %s\n", tmp, target) < 0)
			goto nomem;
	}
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const char *tmp, *target;

		if (!t->streamed[id])
			continue;
		tmp = t->streamed[id]->w.out.tmp.data;
		target = t->streamed[id]->w.path;
		tmp = strrchr(tmp, '/') ? strrchr(tmp, '/') + 1 : tmp;
		target = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		if (sales_buf_printf(&b, "rename %s %s\n", tmp, target) < 0)
			goto nomem;
	}
	for (int id = 0; id < SALES_NSHEETS; id++) {
		long long size;
		char *sp;
		int n;

		if (!(id == SALES_AUDIT ? t->naudit > 0 :
		      has_pending(t, (enum sales_sheet_id)id)))
			continue;
		size = file_size(t->dir, (enum sales_sheet_id)id);
		if (!(sp = sheet_path(t->dir, id)))
			goto nomem;
		n = sales_buf_printf(&b, "size %d %lld %llu\n", id, size,
				     tail_hash(sp, size));
		free(sp);
		if (n < 0)
			goto nomem;
	}
	if (add_blob(&b, "user", user, strlen(user)) < 0 ||
	    add_blob(&b, "command", t->command, strlen(t->command)) < 0 ||
	    add_blob(&b, "when", when, strlen(when)) < 0 ||
	    add_blob(&b, "pending", t->pending.data, t->pending.len) < 0 ||
	    sales_buf_printf(&b, "audit %zu %zu\n", t->naudit,
			     t->audit_spilled + t->audit.len) < 0)
		goto nomem;
	{
		/* the audit rows written from where they are, not copied:
		 * the spilled ones through a small buffer */
		struct sales_atomic_file f;

		if (sales_atomic_open(&f, path, err) < 0 ||
		    sales_atomic_write(&f, b.data, b.len, err) < 0 ||
		    spill_copy(t, &f, err) < 0 ||
		    sales_atomic_write(&f, t->audit.data ? t->audit.data : "",
				       t->audit.len, err) < 0 ||
		    sales_atomic_write(&f, "\nend\n", 5, err) < 0 ||
		    sales_atomic_prepare(&f, err) < 0 ||
		    sales_atomic_publish(&f, err) < 0) {
			sales_atomic_discard(&f);
			sales_buf_release(&b);
			return -1;
		}
		sales_atomic_discard(&f);
	}
	sales_buf_release(&b);
	return 0;
nomem:
	sales_buf_release(&b);
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Reads "TAG LEN\n" + LEN bytes + "\n" at *p into a buffer. */
static int take_blob(const char **p, const char *end, const char *tag,
		     struct sales_buf *out)
{
	size_t tl = strlen(tag), len = 0;
	const char *q = *p;

	if ((size_t)(end - q) < tl + 2 || memcmp(q, tag, tl) || q[tl] != ' ')
		return -1;
	q += tl + 1;
	while (q < end && *q >= '0' && *q <= '9')
		len = len * 10 + (size_t)(*q++ - '0');
	if (q >= end || *q++ != '\n' || (size_t)(end - q) < len + 1 ||
	    q[len] != '\n')
		return -1;
	sales_buf_reset(out);
	if (sales_buf_add(out, q, len) < 0)
		return -1;
	*p = q + len + 1;
	return 0;
}

/*
 * Finishes the change a dead process left in dir's journal.  Returns 1 when
 * there was one (finished), 0 when none, -1 with err when it cannot be
 * finished (the journal is dropped then, so that it blocks nobody).
 */
static int journal_replay(struct sales_txn *t, struct sales_error *err)
{
	char *path = sales_path_join(t->dir, JOURNAL), *data = NULL;
	const char *p, *end;
	size_t len;
	long long size[SALES_NSHEETS];
	unsigned long long tail[SALES_NSHEETS];
	struct sales_txn r;
	struct sales_buf user = {0}, command = {0}, when = {0};
	int rc = -1;

	if (!path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (access(path, F_OK) < 0) {
		free(path);
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.dir = t->dir;
	for (int id = 0; id < SALES_NSHEETS; id++)
		size[id] = -2;	/* no append recorded */
	if (sales_read_file(path, &data, &len, err) < 0)
		goto out;
	p = data;
	end = data + len;
	if (len < 15 || memcmp(p, "SALESJOURNAL 1\n", 15))
		goto bad;
	p += 15;
	while (p < end && !strncmp(p, "rename ", 7)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char tmp[256], target[256], *a, *b;

		if (!nl || sscanf(p, "rename %255s %255s", tmp, target) != 2)
			goto bad;
		a = sales_path_join(t->dir, tmp);
		b = sales_path_join(t->dir, target);
		if (!a || !b || (access(a, F_OK) == 0 && rename(a, b) < 0)) {
			sales_error_set(err, SALES_EIO, target, 0, 0,
					"cannot finish the change of a command that died: %s",
					strerror(errno));
			free(a);
			free(b);
			goto out;
		}
		free(a);
		free(b);
		p = nl + 1;
	}
	while (p < end && !strncmp(p, "size ", 5)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int id;
		long long bytes;
		unsigned long long hash;

		if (!nl || sscanf(p, "size %d %lld %llu", &id, &bytes, &hash) != 3 ||
		    id < 0 || id >= SALES_NSHEETS)
			goto bad;
		size[id] = bytes;
		tail[id] = hash;
		p = nl + 1;
	}
	if (take_blob(&p, end, "user", &user) < 0 ||
	    take_blob(&p, end, "command", &command) < 0 ||
	    take_blob(&p, end, "when", &when) < 0 ||
	    take_blob(&p, end, "pending", &r.pending) < 0)
		goto bad;
	{
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t alen;

		if (!nl || sscanf(p, "audit %zu %zu", &r.naudit, &alen) != 2 ||
		    (size_t)(end - nl - 1) < alen + 5 ||
		    memcmp(nl + 1 + alen, "\nend\n", 5) ||
		    sales_buf_add(&r.audit, nl + 1, alen) < 0)
			goto bad;
	}
	r.command = command.data ? command.data : "";
	/* the appends, made again from where they started */
	for (int id = 0; id < SALES_NSHEETS; id++) {
		long long now;
		char *sp;
		int cut = 0;

		if (size[id] == -2)
			continue;
		now = file_size(t->dir, (enum sales_sheet_id)id);
		if (!(sp = sheet_path(t->dir, id))) {
			sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
		if (size[id] == -1 && now >= 0)
			cut = unlink(sp);	/* created by the dead commit */
		else if (size[id] >= 0 && now > size[id] &&
			 tail_hash(sp, size[id]) == tail[id])
			cut = truncate(sp, (off_t)size[id]);
		else if (now != size[id])
			cut = 1;	/* changed by someone else: leave it */
		free(sp);
		if (cut < 0) {
			sales_error_set(err, SALES_EIO,
					sales_sheet_def((enum sales_sheet_id)id)->file,
					0, 0, "cannot finish the change of a command that died: %s",
					strerror(errno));
			goto out;
		}
		if (cut > 0)
			continue;
		if (id == SALES_AUDIT ?
		    write_audit(&r, when.data ? when.data : "",
				user.data ? user.data : "", err) < 0 :
		    flush_pending(&r, (enum sales_sheet_id)id, err) < 0)
			goto out;
	}
	rc = 1;
	goto done;
bad:
	/* cannot happen (the journal is written atomically): drop it */
	rc = 0;
	goto done;
out:
	/* a step that fails now would fail for every later command too:
	 * report it once and drop the journal */
	if (err) {
		size_t n = strlen(err->message);

		snprintf(err->message + n, sizeof(err->message) - n,
			 _(" (finishing a change a command left unfinished; its journal is dropped)"));
	}
done:
	unlink(path);
	sales_buf_release(&r.pending);
	sales_buf_release(&r.audit);
	sales_buf_release(&user);
	sales_buf_release(&command);
	sales_buf_release(&when);
	free(data);
	free(path);
	return rc;
}

void sales_test_crash(const char *name)
{
	const char *want = getenv("SALES_TEST_CRASH");

	if (want && !strcmp(want, name))
		raise(SIGKILL);
}

int sales_txn_commit(struct sales_txn *t, struct sales_error *err)
{
	const struct sales_table *synced = NULL;
	char when[40], *journal = NULL;
	bool changes = false;
	int rc = -1;

	if (t->committed)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "transaction already committed");
	t->committed = true;
	/* every changed sheet written beside its file before any is renamed:
	 * a refusal (a sheet saved from Excel meanwhile) or a full disk
	 * leaves every sheet as it was */
	for (int id = 0; id < SALES_NSHEETS; id++) {
		if (t->loaded[id] &&
		    sales_table_prepare(t->sheets[id].table, err) < 0)
			goto discard;
		if (t->streamed[id]) {
			warn_formulas(t->streamed[id]);
			if (sales_rewrite_unchanged(&t->streamed[id]->w, err) < 0)
				goto discard;
		}
	}
	sales_test_crash("prepared");
	audit_time(when);
	for (int id = 0; id < SALES_NSHEETS; id++)
		if ((t->loaded[id] && sales_table_temp(t->sheets[id].table)) ||
		    t->streamed[id])
			changes = true;
	if (!changes && !t->pending.len && !t->naudit)
		return 0;	/* nothing to write */
	/* from here on the journal finishes the change if we die */
	journal = sales_path_join(t->dir, JOURNAL);
	if (!journal) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto discard;
	}
	if (journal_write(t, journal, when, err) < 0)
		goto discard;
	sales_test_crash("journaled");
	/* the renames back to back, then one fsync of the folder */
	for (int id = 0; id < SALES_NSHEETS; id++) {
		if (!t->loaded[id] || !sales_table_dirty(t->sheets[id].table))
			continue;
		if (sales_table_publish(t->sheets[id].table, err) < 0)
			goto journaled;
		synced = t->sheets[id].table;
		sales_test_crash("renamed");
	}
	for (int id = 0; id < SALES_NSHEETS; id++) {
		/* publish fsyncs the folder */
		if (t->streamed[id] &&
		    sales_atomic_publish(&t->streamed[id]->w.out, err) < 0)
			goto journaled;
		if (t->streamed[id])
			sales_test_crash("renamed");
	}
	if (synced)
		sales_table_sync(synced);
	sales_test_crash("published");
	for (int id = 0; id < SALES_NSHEETS; id++)
		if (flush_pending(t, (enum sales_sheet_id)id, err) < 0)
			goto journaled;
	if (t->naudit && write_audit(t, when, sales_user(), err) < 0)
		goto journaled;
	unlink(journal);
	rc = 0;
	goto out;
journaled:
	/* part of the change may show: the journal keeps the rest */
	if (err) {
		size_t n = strlen(err->message);

		snprintf(err->message + n, sizeof(err->message) - n,
			 _(" (the change is kept in %s: the next writing command finishes it)"),
			 JOURNAL);
	}
	goto out;
discard:
	for (int k = 0; k < SALES_NSHEETS; k++) {
		if (t->loaded[k])
			sales_table_discard(t->sheets[k].table);
		streamed_free(t->streamed[k]);
		t->streamed[k] = NULL;
	}
out:
	free(journal);
	return rc;
}

void sales_txn_end(struct sales_txn *t)
{
	for (int id = 0; id < SALES_NSHEETS; id++)
		if (t->loaded[id])
			sales_sheet_table_release(&t->sheets[id]);
	for (int id = 0; id < SALES_NSHEETS; id++)
		streamed_free(t->streamed[id]);
	sales_buf_release(&t->pending);
	sales_buf_release(&t->audit);
	if (t->audit_spill)
		fclose(t->audit_spill);
	sales_lock_release(&t->lock);
	free(t->dir);
	free(t->command);
	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
}
