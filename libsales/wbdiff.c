#include "wbdiff.h"
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "workbook.h"

#define KEY_SEP '\x1f'
#define PAIR_SEP '\x1e'

static char *pool_strdup(struct sales_sheet_rows *s, const char *str)
{
	char *p = strdup(str);

	if (!p || SALES_ALLOC_GROW(s->blocks, s->nblocks + 1, s->ablocks) < 0) {
		free(p);
		return NULL;
	}
	s->blocks[s->nblocks++] = p;
	return p;
}

static int add_trimmed(struct sales_buf *b, const char *v)
{
	size_t len = strlen(v);
	const char *t = sales_trim(v, &len);

	return sales_buf_add(b, t, len);
}

/* Column order for whole-row identities: schema columns in schema order,
 * then the user's columns by name, so both sides agree. */
static int cmp_colkey(const void *a, const void *b, void *ud)
{
	const struct sales_sheet_rows *s = ud;

	return strcmp(s->colkey[*(const size_t *)a], s->colkey[*(const size_t *)b]);
}

static void sort_user_cols(struct sales_sheet_rows *s, size_t first, size_t *order)
{
	for (size_t i = 0; i < s->ncols; i++)
		order[i] = i;
	qsort_r(order + first, s->ncols - first, sizeof(*order), cmp_colkey, s);
}

static int add_column(struct sales_sheet_rows *s, const char *key,
		      const char *name, bool present, int file_col)
{
	s->colkey[s->ncols] = pool_strdup(s, key);
	s->colname[s->ncols] = pool_strdup(s, name);
	if (!s->colkey[s->ncols] || !s->colname[s->ncols])
		return -1;
	s->present[s->ncols] = present;
	s->file_col[s->ncols] = file_col;
	s->ncols++;
	return 0;
}

static int bind_columns(struct sales_sheet_rows *s, const struct sales_row *hdr,
			const struct sales_colmap *m)
{
	size_t nfile = hdr->ncells, cap = nfile + (s->def ? s->def->ncolumns : 0);
	struct sales_buf b = { 0 };
	int rc = -1;

	s->colkey = calloc(cap + 1, sizeof(*s->colkey));
	s->colname = calloc(cap + 1, sizeof(*s->colname));
	s->present = calloc(cap + 1, sizeof(*s->present));
	s->file_col = calloc(cap + 1, sizeof(*s->file_col));
	if (!s->colkey || !s->colname || !s->present || !s->file_col)
		return -1;
	if (s->def)
		for (size_t i = 0; i < s->def->ncolumns; i++) {
			int fc = m->file_col[i];

			if (add_column(s, s->def->columns[i].key,
				       s->def->columns[i].zh, fc >= 0, fc) < 0)
				goto out;
		}
	for (size_t fc = 0; fc < nfile; fc++) {
		size_t len = hdr->cells[fc].len;
		const char *t = sales_trim(hdr->cells[fc].s, &len);
		int dup = 0;

		if (s->def && fc < m->nfile && m->schema_col[fc] >= 0)
			continue;
		for (;;) {
			bool taken = false;

			sales_buf_reset(&b);
			if (len)
				sales_buf_printf(&b, "@%.*s", (int)len, t);
			else
				sales_buf_printf(&b, "@(%zu)", fc + 1);
			if (dup)
				sales_buf_printf(&b, "#%d", dup + 1);
			if (!b.data)
				goto out;
			for (size_t k = 0; k < s->ncols; k++)
				taken |= !strcmp(s->colkey[k], b.data);
			if (!taken)
				break;
			dup++;
		}
		if (add_column(s, b.data, len ? b.data + 1 : b.data,
			       true, (int)fc) < 0)
			goto out;
	}
	sales_buf_reset(&b);
	for (size_t fc = 0; fc < nfile; fc++) {
		if (fc)
			sales_buf_addstr(&b, " | ");
		sales_buf_add(&b, hdr->cells[fc].s, hdr->cells[fc].len);
	}
	s->header = pool_strdup(s, b.data ? b.data : "");
	rc = s->header ? 0 : -1;
out:
	sales_buf_release(&b);
	return rc;
}

static int add_row(struct sales_sheet_rows *s, const struct sales_record *rec,
		   const size_t *order, size_t *cap, struct sales_buf *b)
{
	const struct sales_row *row = rec->row;
	const int *kc;
	bool unique;
	size_t nk = s->def ? sales_sheet_key(s->def->id, &kc, &unique) : 0;
	struct sales_vrow *r;
	char *block;
	size_t need;
	const char **v;
	size_t koff, loff, woff;

	if (SALES_ALLOC_GROW(s->rows, s->nrows + 1, *cap) < 0)
		return -1;
	/* the cells that name the row: the key, else (a CSV of no sheet) its
	 * first two cells */
	int first2[2] = { 0, 1 };
	const int *name = nk ? kc : first2;
	size_t nname = nk ? nk : s->ncols < 2 ? s->ncols : 2;

	v = calloc(s->ncols ? s->ncols : 1, sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < s->ncols; i++) {
		int fc = s->file_col[i];

		if (s->def && i < s->def->ncolumns)
			v[i] = rec->v[i] ? rec->v[i] : "";
		else
			v[i] = fc >= 0 && (size_t)fc < row->ncells ?
			       row->cells[fc].s : "";
	}
	/* full, key, label and weak, each NUL-terminated, in b */
	sales_buf_reset(b);
	for (size_t k = 0; k < s->ncols; k++) {
		size_t i = order[k];

		if (!*v[i])
			continue;
		sales_buf_printf(b, "%s%c%s%c", s->colkey[i], PAIR_SEP, v[i],
				 KEY_SEP);
	}
	sales_buf_addch(b, '\0');
	koff = b->len;
	if (s->unique) {
		for (size_t k = 0; k < nk; k++) {
			if (k)
				sales_buf_addch(b, KEY_SEP);
			add_trimmed(b, v[kc[k]]);
		}
	} else {
		/* grown first, so that the copy's source stays put */
		if (sales_buf_grow(b, koff) == 0)
			sales_buf_add(b, b->data, koff - 1);
	}
	sales_buf_addch(b, '\0');
	loff = b->len;
	for (size_t k = 0; k < nname; k++) {
		if (k)
			sales_buf_addstr(b, " · ");
		add_trimmed(b, v[name[k]]);
	}
	sales_buf_addch(b, '\0');
	woff = b->len;
	for (size_t k = 0; k < nname; k++) {
		if (k)
			sales_buf_addch(b, KEY_SEP);
		add_trimmed(b, v[name[k]]);
	}
	if (sales_buf_addch(b, '\0') < 0) {
		free(v);
		return -1;
	}
	need = b->len;
	for (size_t i = 0; i < s->ncols; i++)
		need += strlen(v[i]) + 1;
	block = malloc(need);
	if (!block) {
		free(v);
		return -1;
	}
	memcpy(block, b->data, b->len);
	{
		char *p = block + b->len;

		for (size_t i = 0; i < s->ncols; i++) {
			size_t len = strlen(v[i]) + 1;

			memcpy(p, v[i], len);
			v[i] = p;
			p += len;
		}
	}
	if (SALES_ALLOC_GROW(s->blocks, s->nblocks + 2, s->ablocks) < 0) {
		free(block);
		free(v);
		return -1;
	}
	{
		s->blocks[s->nblocks++] = block;
		s->blocks[s->nblocks++] = (char *)v;
	}
	r = &s->rows[s->nrows++];
	r->line = row->line;
	r->excel_row = row->excel_row;
	r->v = v;
	r->full = block;
	r->key = block + koff;
	r->label = block + loff;
	r->weak = block + woff;
	return 0;
}

int sales_sheet_rows_load(struct sales_sheet_rows *s, const char *path,
			  const char *display,
			  const struct sales_sheet_def *def,
			  struct sales_error *err)
{
	struct sales_sheet_reader *r = NULL;
	const struct sales_record *rec;
	const struct sales_reader *fr;
	struct sales_buf b = { 0 };
	size_t *order = NULL, cap = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	s->def = def;
	if (def) {
		const int *kc;

		sales_sheet_key(def->id, &kc, &s->unique);
	}
	s->name = strdup(display ? display : path);
	if (!s->name)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
	if (sales_sheet_open_path(path, s->name, def, SALES_ENC_AUTO, &r, err) < 0)
		goto fail;
	if (bind_columns(s, sales_sheet_header(r), sales_sheet_colmap(r)) < 0)
		goto nomem;
	order = calloc(s->ncols + 1, sizeof(*order));
	if (!order)
		goto nomem;
	sort_user_cols(s, def ? def->ncolumns : 0, order);
	while ((rc = sales_sheet_next(r, &rec, err)) > 0)
		if (add_row(s, rec, order, &cap, &b) < 0)
			goto nomem;
	if (rc < 0)
		goto fail;
	fr = sales_sheet_file(r);
	s->encoding = sales_reader_encoding(fr);
	s->bom = sales_reader_has_bom(fr);
	s->eol = sales_reader_eol(fr);
	free(order);
	sales_buf_release(&b);
	sales_sheet_close(r);
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, s->name, 0, 0, "out of memory");
fail:
	free(order);
	sales_buf_release(&b);
	sales_sheet_close(r);
	sales_sheet_rows_release(s);
	return -1;
}

void sales_sheet_rows_release(struct sales_sheet_rows *s)
{
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->rows);
	free(s->colkey);
	free(s->colname);
	free(s->present);
	free(s->file_col);
	free(s->name);
	sales_buf_release(&s->pool);
	memset(s, 0, sizeof(*s));
}

const struct sales_vrow *sales_sheet_rows_at(const struct sales_sheet_rows *s,
					     long line)
{
	size_t lo = 0, hi = s->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->rows[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nrows && s->rows[lo].line == line ? &s->rows[lo] : NULL;
}

long sales_sheet_rows_col(const struct sales_sheet_rows *s, const char *colkey)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (!strcmp(s->colkey[i], colkey))
			return (long)i;
	return -1;
}

const char *sales_encoding_label(enum sales_encoding enc, bool bom)
{
	if (enc == SALES_ENC_GB18030)
		return "GB18030";
	return bom ? "UTF-8 with BOM" : "UTF-8";
}

const char *sales_eol_label(enum sales_eol eol)
{
	return eol == SALES_EOL_LF ? "LF" : eol == SALES_EOL_CR ? "CR" : "CRLF";
}

/* ---- diff ---- */

struct ref {
	const struct sales_vrow *row;
	size_t idx;      /* position in its sheet */
	bool paired;
};

enum field { BY_FULL, BY_KEY, BY_WEAK };

static const char *field_of(const struct ref *r, enum field f)
{
	return f == BY_FULL ? r->row->full : f == BY_KEY ? r->row->key : r->row->weak;
}

static int cmp_ref(const void *a, const void *b, void *ud)
{
	const struct ref *x = *(const struct ref *const *)a;
	const struct ref *y = *(const struct ref *const *)b;
	enum field f = *(const enum field *)ud;
	int c = strcmp(field_of(x, f), field_of(y, f));

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static struct ref *refs_of(const struct sales_sheet_rows *s, size_t *n)
{
	struct ref *r;

	*n = s ? s->nrows : 0;
	r = calloc(*n + 1, sizeof(*r));
	if (!r)
		return NULL;
	for (size_t i = 0; i < *n; i++) {
		r[i].row = &s->rows[i];
		r[i].idx = i;
	}
	return r;
}

struct pair {
	const struct sales_vrow *o, *n;
	size_t oi, ni;
};

static int add_row_diff(struct sales_sheet_diff *d, size_t *cap,
			enum sales_row_change kind,
			const struct sales_vrow *o, const struct sales_vrow *n)
{
	if (SALES_ALLOC_GROW(d->rows, d->nrows + 1, *cap) < 0)
		return -1;
	d->rows[d->nrows] = (struct sales_row_diff){ kind, o, n, NULL, 0 };
	d->nrows++;
	return 0;
}

/* The cells of a paired row that differ: the new side's columns in its
 * order, then columns only the old side has.  Returns the count or -1. */
static long compare_cells(struct sales_row_diff *rd,
			  const struct sales_sheet_rows *os,
			  const struct sales_sheet_rows *ns)
{
	size_t cap = os->ncols + ns->ncols, n = 0;

	rd->cells = calloc(cap + 1, sizeof(*rd->cells));
	if (!rd->cells)
		return -1;
	for (size_t i = 0; i < ns->ncols; i++) {
		long oc = sales_sheet_rows_col(os, ns->colkey[i]);
		const char *ov = oc >= 0 ? rd->old_row->v[oc] : "";
		const char *nv = rd->new_row->v[i];

		if (strcmp(ov, nv))
			rd->cells[n++] = (struct sales_cell_change){
				ns->colname[i], ns->colkey[i], ov, nv };
	}
	for (size_t i = 0; i < os->ncols; i++) {
		if (sales_sheet_rows_col(ns, os->colkey[i]) >= 0 ||
		    !*rd->old_row->v[i])
			continue;
		rd->cells[n++] = (struct sales_cell_change){
			os->colname[i], os->colkey[i], rd->old_row->v[i], "" };
	}
	rd->ncells = n;
	return (long)n;
}

static int add_note(struct sales_sheet_diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_note(struct sales_sheet_diff *d, const char *fmt, ...)
{
	struct sales_buf b = { 0 };
	va_list ap;
	int n;
	char small[1];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || sales_buf_grow(&b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b.len = (size_t)n;
	if (SALES_ALLOC_GROW(d->notes, d->nnotes + 1, d->anotes) < 0) {
		sales_buf_release(&b);
		return -1;
	}
	d->notes[d->nnotes++] = sales_buf_detach(&b, NULL);
	return 0;
}

static int column_notes(struct sales_sheet_diff *d,
			const struct sales_sheet_rows *os,
			const struct sales_sheet_rows *ns)
{
	bool same_set = true, same_order = true;
	size_t ko = 0, kn = 0;

	for (size_t i = 0; i < ns->ncols; i++) {
		long oc = sales_sheet_rows_col(os, ns->colkey[i]);

		if (ns->present[i] && (oc < 0 || !os->present[oc])) {
			same_set = false;
			if (add_note(d, _("column '%s' added"), ns->colname[i]) < 0)
				return -1;
		}
	}
	for (size_t i = 0; i < os->ncols; i++) {
		long nc = sales_sheet_rows_col(ns, os->colkey[i]);

		if (os->present[i] && (nc < 0 || !ns->present[nc])) {
			same_set = false;
			if (add_note(d, _("column '%s' removed"), os->colname[i]) < 0)
				return -1;
		}
	}
	if (!same_set)
		return 0;
	/* the same columns: in the same file order? */
	while (ko < os->ncols || kn < ns->ncols) {
		long fo = -1, fn = -1;

		for (size_t i = 0; i < os->ncols; i++)
			if (os->file_col[i] == (int)ko)
				fo = (long)i;
		for (size_t i = 0; i < ns->ncols; i++)
			if (ns->file_col[i] == (int)kn)
				fn = (long)i;
		if (fo < 0 || fn < 0)
			break;
		if (strcmp(os->colkey[fo], ns->colkey[fn])) {
			same_order = false;
			break;
		}
		ko++;
		kn++;
	}
	if (!same_order)
		return add_note(d, _("columns reordered: %s → %s"), os->header,
				ns->header);
	if (strcmp(os->header, ns->header))
		return add_note(d, _("header spelling: %s → %s (the same columns)"),
				os->header, ns->header);
	return 0;
}

static int cmp_pair_old(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return (x->oi > y->oi) - (x->oi < y->oi);
}

/* Rows both sides have that moved: those outside the longest run that
 * kept its order (old order, rising new positions), so one row taken from
 * the top to the bottom is one move, not a shift of every row. */
static size_t count_moved(struct pair *p, size_t n)
{
	size_t *tail, len = 0;

	if (!n)
		return 0;
	tail = malloc(n * sizeof(*tail));
	if (!tail)
		return 0;
	qsort(p, n, sizeof(*p), cmp_pair_old);
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = len;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (tail[mid] < p[i].ni)
				lo = mid + 1;
			else
				hi = mid;
		}
		tail[lo] = p[i].ni;
		if (lo == len)
			len++;
	}
	free(tail);
	return n - len;
}

static int cmp_diff_order(const void *a, const void *b)
{
	const struct sales_row_diff *x = a, *y = b;
	bool xr = !x->new_row, yr = !y->new_row;

	if (xr != yr)
		return xr - yr;
	if (!xr)
		return (x->new_row->line > y->new_row->line) -
		       (x->new_row->line < y->new_row->line);
	return (x->old_row->line > y->old_row->line) -
	       (x->old_row->line < y->old_row->line);
}

/*
 * Pairs the rows of ua and ub equal in field f, the i-th of equal ones with
 * the i-th in file order, appending to pairs; ua and ub keep the rest, in
 * file order.
 */
static int pair_by(struct ref **ua, size_t *nua, struct ref **ub, size_t *nub,
		   enum field f, struct pair *pairs, size_t *npairs)
{
	size_t i = 0, k = 0, ka = 0, kb = 0;

	qsort_r(ua, *nua, sizeof(*ua), cmp_ref, &f);
	qsort_r(ub, *nub, sizeof(*ub), cmp_ref, &f);
	while (i < *nua && k < *nub) {
		int c = strcmp(field_of(ua[i], f), field_of(ub[k], f));

		if (c < 0) {
			i++;
		} else if (c > 0) {
			k++;
		} else {
			ua[i]->paired = ub[k]->paired = true;
			pairs[(*npairs)++] = (struct pair){ ua[i]->row, ub[k]->row,
							    ua[i]->idx, ub[k]->idx };
			i++;
			k++;
		}
	}
	for (i = 0; i < *nua; i++)
		if (!ua[i]->paired)
			ua[ka++] = ua[i];
	for (k = 0; k < *nub; k++)
		if (!ub[k]->paired)
			ub[kb++] = ub[k];
	*nua = ka;
	*nub = kb;
	return 0;
}

int sales_sheet_diff(struct sales_sheet_diff *d, const char *file,
		     const struct sales_sheet_rows *os,
		     const struct sales_sheet_rows *ns,
		     struct sales_error *err)
{
	struct ref *a = NULL, *b = NULL, **ua = NULL, **ub = NULL;
	struct pair *pairs = NULL;
	size_t na, nb, i = 0, k = 0, npairs = 0, nua = 0, nub = 0, cap = 0;
	bool unique;

	memset(d, 0, sizeof(*d));
	d->file = file;
	d->def = ns ? ns->def : os ? os->def : NULL;
	d->added = !os && ns;
	d->removed = os && !ns;
	unique = ns ? ns->unique : os ? os->unique : false;
	a = refs_of(os, &na);
	b = refs_of(ns, &nb);
	pairs = calloc(na + nb + 1, sizeof(*pairs));
	ua = calloc(na + 1, sizeof(*ua));
	ub = calloc(nb + 1, sizeof(*ub));
	if (!a || !b || !pairs || !ua || !ub)
		goto nomem;
	for (i = 0; i < na; i++)
		ua[nua++] = &a[i];
	for (k = 0; k < nb; k++)
		ub[nub++] = &b[k];
	/* rows equal in every value first, so that of two rows with one key
	 * the one unchanged pairs with itself; then by key; without a unique
	 * key, by the naming cells */
	if (pair_by(ua, &nua, ub, &nub, BY_FULL, pairs, &npairs) < 0 ||
	    (unique && pair_by(ua, &nua, ub, &nub, BY_KEY, pairs, &npairs) < 0) ||
	    (!unique && os && ns &&
	     pair_by(ua, &nua, ub, &nub, BY_WEAK, pairs, &npairs) < 0))
		goto nomem;
	for (i = 0; i < npairs; i++) {
		struct sales_row_diff *rd;
		long nc;

		if (add_row_diff(d, &cap, SALES_ROW_CHANGED, pairs[i].o,
				 pairs[i].n) < 0)
			goto nomem;
		rd = &d->rows[d->nrows - 1];
		nc = compare_cells(rd, os, ns);
		if (nc < 0)
			goto nomem;
		if (nc == 0) {
			free(rd->cells);
			d->nrows--;
		}
	}
	for (i = 0; i < na; i++)
		if (!a[i].paired &&
		    add_row_diff(d, &cap, SALES_ROW_REMOVED, a[i].row, NULL) < 0)
			goto nomem;
	for (k = 0; k < nb; k++)
		if (!b[k].paired &&
		    add_row_diff(d, &cap, SALES_ROW_ADDED, NULL, b[k].row) < 0)
			goto nomem;
	if (d->nrows)
		qsort(d->rows, d->nrows, sizeof(*d->rows), cmp_diff_order);
	d->moved = count_moved(pairs, npairs);
	if (os && ns) {
		if (os->encoding != ns->encoding || os->bom != ns->bom) {
			if (add_note(d, _("encoding %s → %s (read as the same text)"),
				     sales_encoding_label(os->encoding, os->bom),
				     sales_encoding_label(ns->encoding, ns->bom)) < 0)
				goto nomem;
		}
		if (os->eol != ns->eol &&
		    add_note(d, _("line ends %s → %s"), sales_eol_label(os->eol),
			     sales_eol_label(ns->eol)) < 0)
			goto nomem;
		if (column_notes(d, os, ns) < 0)
			goto nomem;
		if (d->moved &&
		    add_note(d, P_("%zu row moved (no value changed by the move)",
				   "%zu rows moved (no value changed by the move)",
				   d->moved), d->moved) < 0)
			goto nomem;
	}
	free(a);
	free(b);
	free(ua);
	free(ub);
	free(pairs);
	return 0;
nomem:
	free(a);
	free(b);
	free(ua);
	free(ub);
	free(pairs);
	sales_sheet_diff_release(d);
	return sales_error_set(err, SALES_ENOMEM, file, 0, 0, "out of memory");
}

void sales_sheet_diff_release(struct sales_sheet_diff *d)
{
	for (size_t i = 0; i < d->nrows; i++)
		free(d->rows[i].cells);
	free(d->rows);
	for (size_t i = 0; i < d->nnotes; i++)
		free(d->notes[i]);
	free(d->notes);
	memset(d, 0, sizeof(*d));
}

bool sales_sheet_diff_empty(const struct sales_sheet_diff *d)
{
	return !d->nrows && !d->nnotes && !d->added && !d->removed;
}

/* ---- merging appends ---- */

struct tail {
	const char **raw;
	size_t *len;
	bool *used;
	size_t n;
	enum sales_encoding enc;
	bool enc_known;
	enum sales_eol eol;
};

static void tail_release(struct tail *t)
{
	for (size_t i = 0; i < t->n; i++)
		free((void *)t->raw[i]);
	free(t->raw);
	free(t->len);
	free(t->used);
	memset(t, 0, sizeof(*t));
}

/* The records of data that start at or after offset from. */
static int tail_of(const char *data, size_t len, size_t from, const char *name,
		   struct tail *t, struct sales_error *err)
{
	struct sales_read_options opt = { .encoding = SALES_ENC_AUTO, .display_name = name };
	struct sales_reader *r;
	const struct sales_row *row;
	size_t cap = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if (sales_reader_open_mem(data, len, name, &opt, &r, err) < 0)
		return -1;
	while ((rc = sales_reader_next(r, &row, err)) > 0) {
		if ((size_t)row->offset < from)
			continue;
		if (t->n == cap) {
			/* three arrays of one length: each grows as the first */
			size_t c1 = cap, c2 = cap, c3 = cap;

			if (SALES_ALLOC_GROW(t->raw, t->n + 1, c1) < 0 ||
			    SALES_ALLOC_GROW(t->len, t->n + 1, c2) < 0 ||
			    SALES_ALLOC_GROW(t->used, t->n + 1, c3) < 0) {
				rc = sales_error_set(err, SALES_ENOMEM, name, 0, 0,
						     "out of memory");
				break;
			}
			cap = c1;
		}
		t->raw[t->n] = strndup(row->raw, row->length);
		if (!t->raw[t->n]) {
			rc = sales_error_set(err, SALES_ENOMEM, name, 0, 0,
					     "out of memory");
			break;
		}
		/* compared without the line end */
		t->len[t->n] = row->length;
		while (t->len[t->n] && (t->raw[t->n][t->len[t->n] - 1] == '\n' ||
					t->raw[t->n][t->len[t->n] - 1] == '\r'))
			t->len[t->n]--;
		t->used[t->n] = false;
		t->n++;
	}
	t->enc = sales_reader_encoding(r);
	t->enc_known = sales_reader_encoding_known(r);
	t->eol = sales_reader_eol(r);
	sales_reader_close(r);
	if (rc < 0) {
		tail_release(t);
		return -1;
	}
	return 0;
}

int sales_merge_appends(const char *base, size_t base_len, const char *ours,
			size_t ours_len, const char *theirs, size_t theirs_len,
			const char *name, struct sales_buf *out,
			size_t *appended, struct sales_error *err)
{
	struct tail a, b;
	const char *eol;
	int rc = 0;

	*appended = 0;
	if (!base_len || ours_len < base_len || theirs_len < base_len ||
	    memcmp(ours, base, base_len) || memcmp(theirs, base, base_len) ||
	    (base[base_len - 1] != '\n' && base[base_len - 1] != '\r'))
		return 0;
	if (tail_of(ours, ours_len, base_len, name, &a, err) < 0)
		return -1;
	if (tail_of(theirs, theirs_len, base_len, name, &b, err) < 0) {
		tail_release(&a);
		return -1;
	}
	if (a.enc_known && b.enc_known && a.enc != b.enc)
		goto out;
	eol = a.eol == SALES_EOL_LF ? "\n" : a.eol == SALES_EOL_CR ? "\r" : "\r\n";
	if (sales_buf_add(out, ours, ours_len) < 0)
		goto nomem;
	if (ours_len && ours[ours_len - 1] != '\n' && ours[ours_len - 1] != '\r' &&
	    sales_buf_addstr(out, eol) < 0)
		goto nomem;
	for (size_t i = 0; i < b.n; i++) {
		bool dup = false;

		for (size_t k = 0; k < a.n && !dup; k++)
			if (!a.used[k] && a.len[k] == b.len[i] &&
			    !memcmp(a.raw[k], b.raw[i], b.len[i]))
				dup = a.used[k] = true;
		if (dup)
			continue;
		if (sales_buf_add(out, b.raw[i], b.len[i]) < 0 ||
		    sales_buf_addstr(out, eol) < 0)
			goto nomem;
		(*appended)++;
	}
	rc = 1;
	goto out;
nomem:
	rc = sales_error_set(err, SALES_ENOMEM, name, 0, 0, "out of memory");
out:
	tail_release(&a);
	tail_release(&b);
	return rc;
}
