/*
 * sheet_table.c - whole-file tables: load, edit, save with unchanged rows
 * copied byte for byte (see sheet.h).
 */
#include "sheet_impl.h"
#include "i18n.h"
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- tables ---- */

struct trow {
	off_t offset;       /* -1 for an appended row */
	size_t length;
	long line, excel_row;
	size_t first;       /* index of the first cell in t->cells */
	size_t ncells;
	char **edit;        /* NULL, or the row's cells after edits */
	size_t nedit;
};

struct sales_table {
	char *path;
	char *name_shown;   /* the name messages use (sheet_display_name) */
	char *data;         /* the file as loaded */
	size_t size;
	struct stat st;
	enum sales_encoding enc;
	bool bom;
	enum sales_eol eol;
	struct sales_buf text;      /* cell text, NUL-separated */
	struct cellref *cells;
	size_t ncells, ccells;
	struct trow header;
	struct trow *rows;
	size_t nrows, crows;
	struct sales_row header_row;
	struct sales_cell *header_cells;
	bool dirty, saved;
	bool lenient;               /* a cell read with SALES_CELL_LENIENT */
	struct sales_buf tmp;       /* prepared temporary file, not yet renamed */
};

static int table_add_cells(struct sales_table *t, const struct sales_row *row,
			   struct trow *tr)
{
	if (SALES_ALLOC_GROW(t->cells, t->ncells + row->ncells, t->ccells) < 0)
		return -1;
	tr->first = t->ncells;
	tr->ncells = row->ncells;
	tr->offset = row->offset;
	tr->length = row->length;
	tr->line = row->line;
	tr->excel_row = row->excel_row;
	if (row->flags & SALES_CELL_LENIENT)
		t->lenient = true;
	if (row->ncells) {
		/* the usual case: the reader's cells lie end to end, each
		 * NUL-ended (one copy for the row) */
		const char *at = row->cells[0].s;
		size_t i = 0;

		for (; i < row->ncells && row->cells[i].s == at; i++)
			at += (size_t)row->cells[i].len + 1;
		if (i == row->ncells) {
			size_t off = t->text.len;

			if (sales_buf_add(&t->text, row->cells[0].s,
					  (size_t)(at - row->cells[0].s)) < 0)
				return -1;
			for (i = 0; i < row->ncells; i++) {
				struct cellref *c = &t->cells[t->ncells++];

				c->off = off + (size_t)(row->cells[i].s -
							row->cells[0].s);
				c->len = row->cells[i].len;
				c->flags = row->cells[i].flags;
			}
			return 0;
		}
	}
	for (size_t i = 0; i < row->ncells; i++) {
		struct cellref *c = &t->cells[t->ncells++];

		c->off = t->text.len;
		c->len = row->cells[i].len;
		c->flags = row->cells[i].flags;
		if (sales_buf_add(&t->text, row->cells[i].s,
				  row->cells[i].len + 1) < 0)
			return -1;
	}
	return 0;
}

static struct trow *table_new_row(struct sales_table *t)
{
	if (SALES_ALLOC_GROW(t->rows, t->nrows + 1, t->crows) < 0)
		return NULL;
	memset(&t->rows[t->nrows], 0, sizeof(t->rows[0]));
	return &t->rows[t->nrows++];
}

int sales_table_load(const char *path, const struct sales_read_options *opt,
		     struct sales_table **out, struct sales_error *err)
{
	struct sales_table *t = calloc(1, sizeof(*t));
	struct sales_reader *r = NULL;
	const struct sales_row *row;
	const char *name = sheet_display_name(opt, path);
	int rc;

	*out = NULL;
	if (!t || !(t->path = strdup(path)) || !(t->name_shown = strdup(name)))
		goto nomem;
	if (stat(path, &t->st) < 0) {
		sales_error_set(err, SALES_EIO, name, 0, 0, "cannot open: %s",
				strerror(errno));
		goto fail;
	}
	if (sales_read_file(path, &t->data, &t->size, err) < 0) {
		if (err)
			snprintf(err->file, sizeof(err->file), "%s", name);
		goto fail;
	}
	if (sales_reader_open_mem(t->data, t->size, path, opt, &r, err) < 0)
		goto fail;
	t->bom = sales_reader_has_bom(r);
	if (table_add_cells(t, sales_reader_header(r), &t->header) < 0)
		goto nomem;
	while ((rc = sales_reader_next(r, &row, err)) > 0) {
		struct trow *tr = table_new_row(t);

		if (!tr || table_add_cells(t, row, tr) < 0)
			goto nomem;
	}
	if (rc < 0)
		goto fail;
	t->enc = sales_reader_encoding(r);
	t->eol = sales_reader_eol(r);
	sales_reader_close(r);
	*out = t;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, name, 0, 0, "out of memory");
fail:
	sales_reader_close(r);
	sales_table_free(t);
	return -1;
}

void sales_table_warn_again(const struct sales_table *t)
{
	if (!t->lenient)
		return;
	for (size_t r = 0; r <= t->nrows; r++) {
		const struct trow *tr = r ? &t->rows[r - 1] : &t->header;

		for (size_t i = 0; i < tr->ncells; i++) {
			uint32_t flags = t->cells[tr->first + i].flags;
			struct sales_error w;

			if (!(flags & SALES_CELL_LENIENT))
				continue;
			sales_error_clear(&w);
			sales_error_set(&w, r ? 0 : SALES_ESCHEMA,
					t->name_shown, tr->line, (int)i + 1, "%s",
					sales_cell_lenient_message(flags));
			sales_error_set_cell(&w, (int)i + 1, tr->excel_row);
			sales_read_warn(&w);
		}
	}
}

static void free_edit(struct trow *tr)
{
	if (!tr->edit)
		return;
	for (size_t i = 0; i < tr->nedit; i++)
		free(tr->edit[i]);
	free(tr->edit);
	tr->edit = NULL;
	tr->nedit = 0;
}

void sales_table_free(struct sales_table *t)
{
	if (!t)
		return;
	sales_table_discard(t);
	for (size_t i = 0; i < t->nrows; i++)
		free_edit(&t->rows[i]);
	free_edit(&t->header);
	free(t->rows);
	free(t->cells);
	free(t->header_cells);
	sales_buf_release(&t->text);
	free(t->data);
	free(t->path);
	free(t->name_shown);
	free(t);
}

static const char *trow_get(const struct sales_table *t, const struct trow *tr,
			    size_t col)
{
	if (tr->edit)
		return col < tr->nedit && tr->edit[col] ? tr->edit[col] : "";
	if (col >= tr->ncells)
		return "";
	return t->text.data + t->cells[tr->first + col].off;
}

const struct sales_row *sales_table_header(const struct sales_table *t)
{
	struct sales_table *m = (struct sales_table *)t;
	size_t n = t->header.edit ? t->header.nedit : t->header.ncells;

	free(m->header_cells);
	m->header_cells = calloc(n ? n : 1, sizeof(*m->header_cells));
	if (!m->header_cells)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		m->header_cells[i].s = trow_get(t, &t->header, i);
		m->header_cells[i].len = (uint32_t)strlen(m->header_cells[i].s);
	}
	m->header_row.cells = m->header_cells;
	m->header_row.ncells = n;
	m->header_row.line = t->header.line;
	m->header_row.excel_row = t->header.excel_row;
	m->header_row.offset = t->header.offset;
	m->header_row.length = t->header.length;
	m->header_row.raw = NULL;
	return &m->header_row;
}

size_t sales_table_rows(const struct sales_table *t)
{
	return t->nrows;
}

size_t sales_table_ncells(const struct sales_table *t, size_t row)
{
	const struct trow *tr = &t->rows[row];

	return tr->edit ? tr->nedit : tr->ncells;
}

long sales_table_line(const struct sales_table *t, size_t row)
{
	return t->rows[row].line;
}

long sales_table_excel_row(const struct sales_table *t, size_t row)
{
	return t->rows[row].excel_row;
}

const char *sales_table_get(const struct sales_table *t, size_t row, size_t col)
{
	if (row >= t->nrows)
		return "";
	return trow_get(t, &t->rows[row], col);
}

const char *sales_table_path(const struct sales_table *t)
{
	return t->path;
}

enum sales_encoding sales_table_encoding(const struct sales_table *t)
{
	return t->enc;
}

bool sales_table_has_bom(const struct sales_table *t)
{
	return t->bom;
}

enum sales_eol sales_table_eol(const struct sales_table *t)
{
	return t->eol;
}

bool sales_table_dirty(const struct sales_table *t)
{
	return t->dirty;
}

uint32_t sales_table_cell_flags(const struct sales_table *t, size_t row,
				size_t col)
{
	const struct trow *tr;

	if (row >= t->nrows)
		return 0;
	tr = &t->rows[row];
	if (tr->edit || col >= tr->ncells)
		return 0;
	return t->cells[tr->first + col].flags;
}

static int make_editable(struct sales_table *t, struct trow *tr, size_t n);

int sales_table_touch(struct sales_table *t, size_t row,
		      struct sales_error *err)
{
	if (row >= t->nrows)
		return sales_error_set(err, SALES_EUSAGE, t->path, 0, 0,
				       "row %zu out of range", row);
	if (make_editable(t, &t->rows[row], 0) < 0)
		return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
				       "out of memory");
	t->dirty = true;
	return 0;
}

/* Tells the warning handler about a live formula cell (column col,
 * 0-based) of a row that is copied as it was. */
void sheet_warn_live_formula(const char *path, long line, long excel_row,
			     size_t col, const char *text)
{
	const char *base = strrchr(path, '/');
	struct sales_error w;

	sales_error_clear(&w);
	sales_error_set(&w, 0, base ? base + 1 : path, line, (int)col + 1,
			_("live formula cell '%.40s' kept as it is: it runs when the sheet is opened in Excel, WPS or LibreOffice ('sales fix formulas' stores such cells as text)"),
			text);
	sales_error_set_cell(&w, (int)col + 1, excel_row);
	sales_read_warn(&w);
}

static void warn_live_formulas(const struct sales_table *t,
			       const struct trow *tr)
{
	for (size_t i = 0; i < tr->ncells; i++) {
		const struct cellref *c = &t->cells[tr->first + i];

		if (c->flags & SALES_CELL_FORMULA)
			sheet_warn_live_formula(t->path, tr->line,
						tr->excel_row, i,
						t->text.data + c->off);
	}
}

/* Gives tr an edit array of at least n cells holding its current values. */
static int make_editable(struct sales_table *t, struct trow *tr, size_t n)
{
	size_t have = tr->edit ? tr->nedit : tr->ncells;
	char **e;

	if (n < have)
		n = have;
	if (tr->edit && tr->nedit >= n)
		return 0;
	e = calloc(n, sizeof(*e));
	if (!e)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* cells past the row's end (a short row widened) are empty */
		e[i] = strdup(i < have ? trow_get(t, tr, i) : "");
		if (!e[i]) {
			for (size_t k = 0; k < i; k++)
				free(e[k]);
			free(e);
			return -1;
		}
	}
	free_edit(tr);
	tr->edit = e;
	tr->nedit = n;
	return 0;
}

static int set_cell(struct sales_table *t, struct trow *tr, size_t col,
		    const char *value, struct sales_error *err)
{
	char *v;

	if (!strcmp(trow_get(t, tr, col), value ? value : ""))
		return 0;
	v = strdup(value ? value : "");
	if (!v || make_editable(t, tr, col + 1) < 0) {
		free(v);
		return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
				       "out of memory");
	}
	free(tr->edit[col]);
	tr->edit[col] = v;
	t->dirty = true;
	return 0;
}

int sales_table_set(struct sales_table *t, size_t row, size_t col,
		    const char *value, struct sales_error *err)
{
	if (row >= t->nrows)
		return sales_error_set(err, SALES_EUSAGE, t->path, 0, 0,
				       "row %zu out of range", row);
	return set_cell(t, &t->rows[row], col, value, err);
}

int sales_table_add_column(struct sales_table *t, const char *header,
			   struct sales_error *err)
{
	size_t col = t->header.edit ? t->header.nedit : t->header.ncells;

	if (set_cell(t, &t->header, col, header, err) < 0)
		return -1;
	return (int)col;
}

long sales_table_append(struct sales_table *t, const char *const *cells,
			size_t n, struct sales_error *err)
{
	struct trow *tr = table_new_row(t);

	if (!tr)
		goto nomem;
	tr->offset = -1;
	tr->line = tr->excel_row = 0;
	tr->edit = calloc(n ? n : 1, sizeof(char *));
	if (!tr->edit)
		goto nomem;
	tr->nedit = n;
	for (size_t i = 0; i < n; i++)
		if (!(tr->edit[i] = strdup(cells[i] ? cells[i] : "")))
			goto nomem;
	t->dirty = true;
	return (long)(t->nrows - 1);
nomem:
	if (tr) {
		free_edit(tr);
		t->nrows--;
	}
	return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
			       "out of memory");
}

/* Serialises an edited row in the file's encoding into out.  The row keeps
 * its own line end when it had one. */
static int emit_edited(const struct sales_table *t, const struct trow *tr,
		       struct sales_buf *out, struct sales_error *err)
{
	struct sales_buf rec = {0};
	size_t n = tr->nedit;
	int rc;

	/* an edited row keeps its width; trailing cells it gained empty go */
	while (n > 0 && !tr->edit[n - 1][0] &&
	       n > (tr->offset >= 0 ? tr->ncells : tr->nedit))
		n--;
	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && sales_buf_addch(&rec, ',') < 0) ||
		    sales_csv_field(&rec, tr->edit[i], strlen(tr->edit[i]),
				    ',') < 0) {
			sales_buf_release(&rec);
			return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
					       "out of memory");
		}
	}
	if (sales_buf_addstr(&rec, sheet_eol_text(t->eol)) < 0) {
		sales_buf_release(&rec);
		return sales_error_set(err, SALES_ENOMEM, t->path, 0, 0,
				       "out of memory");
	}
	rc = sheet_encode_to(out, rec.data, rec.len, t->enc, t->path, err);
	sales_buf_release(&rec);
	return rc;
}

/* The raw line end of a record (its last 1 or 2 bytes), or "" at EOF. */
static size_t raw_eol_len(const struct sales_table *t, const struct trow *tr)
{
	const char *end = t->data + tr->offset + tr->length;

	if (tr->length >= 2 && end[-2] == '\r' && end[-1] == '\n')
		return 2;
	if (tr->length >= 1 && (end[-1] == '\n' || end[-1] == '\r'))
		return 1;
	return 0;
}

static int emit_row(const struct sales_table *t, const struct trow *tr,
		    struct sales_buf *out, struct sales_error *err)
{
	size_t before = out->len;

	if (emit_edited(t, tr, out, err) < 0)
		return -1;
	/* a last record without a line end stays without one */
	if (tr->offset >= 0 && raw_eol_len(t, tr) == 0) {
		size_t e = strlen(sheet_eol_text(t->eol));

		if (out->len - before >= e)
			out->len -= e;
	}
	return 0;
}

int sales_table_prepare(struct sales_table *t, struct sales_error *err)
{
	struct sales_buf out = {0};
	size_t pos = 0;
	int rc;

	if (!t->dirty || t->tmp.len)
		return 0;
	if (t->saved)
		return sales_error_set(err, SALES_EUSAGE, t->path, 0, 0,
				       "a table is saved once; load it again to change it further");
	if (sales_file_unchanged(t->path, &t->st, err) < 0)
		return -1;

	/* header, then data rows in file order; gaps copied verbatim */
	for (size_t i = 0; i <= t->nrows; i++) {
		const struct trow *tr = i == 0 ? &t->header : &t->rows[i - 1];

		if (i > 0 && tr->offset >= 0 && !tr->edit)
			warn_live_formulas(t, tr);
		if (tr->offset < 0 || !tr->edit)
			continue;
		if (sales_buf_add(&out, t->data + pos,
				  (size_t)tr->offset - pos) < 0)
			goto nomem;
		if (emit_row(t, tr, &out, err) < 0)
			goto fail;
		pos = (size_t)tr->offset + tr->length;
	}
	if (sales_buf_add(&out, t->data + pos, t->size - pos) < 0)
		goto nomem;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct trow *tr = &t->rows[i];

		if (tr->offset >= 0)
			continue;
		if (out.len > 0 && out.data[out.len - 1] != '\n' &&
		    out.data[out.len - 1] != '\r' &&
		    sales_buf_addstr(&out, sheet_eol_text(t->eol)) < 0)
			goto nomem;
		if (emit_edited(t, tr, &out, err) < 0)
			goto fail;
	}
	rc = sheet_write_temp(t->path, &out, 1, t->st.st_mode & 07777, &t->tmp, err);
	sales_buf_release(&out);
	return rc;
nomem:
	sales_error_set(err, SALES_ENOMEM, t->path, 0, 0, "out of memory");
fail:
	sales_buf_release(&out);
	return -1;
}

int sales_table_publish(struct sales_table *t, struct sales_error *err)
{
	if (!t->tmp.len)
		return 0;
	if (sheet_publish_temp(t->path, &t->tmp, err) < 0)
		return -1;
	t->saved = true;
	t->dirty = false;
	return 0;
}

const char *sales_table_temp(const struct sales_table *t)
{
	return t->tmp.len ? t->tmp.data : NULL;
}

void sales_table_discard(struct sales_table *t)
{
	if (!t->tmp.len)
		return;
	unlink(t->tmp.data);
	sales_buf_release(&t->tmp);
}

void sales_table_sync(const struct sales_table *t)
{
	sheet_fsync_dir(t->path);
}

int sales_table_save(struct sales_table *t, struct sales_error *err)
{
	bool changed = t->dirty;

	if (sales_table_prepare(t, err) < 0 ||
	    sales_table_publish(t, err) < 0)
		return -1;
	if (changed)
		sales_table_sync(t);
	return 0;
}

