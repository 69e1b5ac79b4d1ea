#include "entry.h"
#include "i18n.h"

#include "route.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "resolve.h"
#include "rules.h"
#include "text.h"

/* ---- a new row ---- */

void sales_entry_init(struct sales_entry *e, enum sales_sheet_id id)
{
	memset(e, 0, sizeof(*e));
	e->def = sales_sheet_def(id);
}

void sales_entry_release(struct sales_entry *e)
{
	for (int i = 0; i < SALES_MAX_COLS; i++)
		free(e->v[i]);
	memset(e->v, 0, sizeof(e->v));
}

bool sales_entry_managed(enum sales_sheet_id id, int col)
{
	switch (id) {
	case SALES_SOLUTIONS:
		return col == SOL_REVIEW || col == SOL_REVIEWED;
	case SALES_CONTRACTS:
		return col == CON_MANAGER || col == CON_LEGAL || col == CON_GM ||
		       col == CON_APPROVAL || col == CON_SIGNED ||
		       col == CON_PAYMENT_DUE || col == CON_PAID;
	default:
		return false;
	}
}

int sales_entry_date_column(enum sales_sheet_id id)
{
	switch (id) {
	case SALES_SURVEYS: return SURVEY_DATE;
	case SALES_SOLUTIONS: return SOL_SUBMITTED;
	case SALES_ACCEPTANCE: return ACC_DATE;
	case SALES_FOLLOWUPS: return FU_DATE;
	case SALES_EXCEPTIONS: return EXC_APPROVED;
	case SALES_CHANGES: return CHG_APPROVED;
	default: return -1;
	}
}

const char *sales_entry_option(const struct sales_sheet_def *def, int col,
			       char *buf, size_t cap)
{
	const char *k = def->columns[col].key;
	size_t i = 0;

	if (!cap)
		return buf;
	if (col == sales_entry_date_column(def->id))
		k = "date";
	for (; k[i] && i + 1 < cap; i++)
		buf[i] = k[i] == '_' ? '-' : k[i];
	buf[i] = '\0';
	return buf;
}

int sales_entry_column(const struct sales_sheet_def *def, const char *opt)
{
	if (!strcmp(opt, "date") && sales_entry_date_column(def->id) >= 0)
		return sales_entry_date_column(def->id);
	for (size_t c = 0; c < def->ncolumns; c++) {
		const char *k = def->columns[c].key;
		size_t i = 0;

		for (; k[i] && opt[i]; i++)
			if (k[i] != opt[i] && !(k[i] == '_' && opt[i] == '-'))
				break;
		if (!k[i] && !opt[i])
			return (int)c;
	}
	return -1;
}

int sales_entry_set(struct sales_entry *e, int col, const char *value,
		    sales_date today, struct sales_error *err)
{
	struct sales_buf why = {0}, out = {0};
	enum sales_cell_status st;
	char opt[48], where[64];

	st = sales_cell_value(e->def->id, col, value, today, &out, &why);
	if (st != SALES_CELL_OK) {
		snprintf(where, sizeof(where), "option '--%s'",
			 sales_entry_option(e->def, col, opt, sizeof(opt)));
		sales_cell_error(st, where, &why, err);
		sales_buf_release(&why);
		sales_buf_release(&out);
		return -1;
	}
	sales_buf_release(&why);
	free(e->v[col]);
	e->v[col] = NULL;
	if (out.len) {
		e->v[col] = strndup(out.data, out.len);
		sales_buf_release(&out);
		if (!e->v[col])
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	}
	return 0;
}

const char *sales_entry_get(const struct sales_entry *e, int col)
{
	return e->v[col] ? e->v[col] : "";
}

int sales_entry_defaults(struct sales_entry *e, sales_date today,
			 struct sales_error *err)
{
	int col = sales_entry_date_column(e->def->id);
	char buf[11];

	if (col >= 0 && !e->v[col] &&
	    !(e->v[col] = strdup(sales_date_format(today, buf))))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (e->def->id == SALES_CONTRACTS && !e->v[CON_APPROVAL] &&
	    !(e->v[CON_APPROVAL] = strdup("待审批")))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	return 0;
}

int sales_entry_complete(const struct sales_entry *e, struct sales_error *err)
{
	char opt[40];

	for (size_t c = 0; c < e->def->ncolumns; c++)
		if ((e->def->columns[c].flags & SALES_COLF_REQUIRED) && !e->v[c])
			return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
					       "missing option '--%s' (%s)",
					       sales_entry_option(e->def, (int)c, opt, sizeof(opt)),
					       e->def->columns[c].zh);
	if (e->def->id == SALES_EXCEPTIONS && e->v[EXC_TYPE] &&
	    !strcmp(e->v[EXC_TYPE], "延期") && !e->v[EXC_DEADLINE])
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "missing option '--deadline' (新期限): a 延期 exception sets a new deadline");
	return 0;
}

const char *const *sales_entry_values(const struct sales_entry *e)
{
	return (const char *const *)e->v;
}

/* ---- the workbook a new row goes into ---- */

/* The columns of sheet id's unique key (up to 2), or 0 when rows need not
 * be unique. */
static int key_columns(enum sales_sheet_id id, int cols[2])
{
	switch (id) {
	case SALES_CONTRACTS:
		cols[0] = CON_CONTRACT;
		return 1;
	case SALES_SOLUTIONS:
		cols[0] = SOL_CUSTOMER;
		cols[1] = SOL_SOLUTION;
		return 2;
	case SALES_PLANS:
		cols[0] = PLAN_CUSTOMER;
		cols[1] = PLAN_PHASE;
		return 2;
	default:
		return 0;
	}
}

bool sales_key_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	a = sales_trim(a, &la);
	b = sales_trim(b, &lb);
	return la == lb && !memcmp(a, b, la);
}

struct dup_search {
	const struct sales_entry *e;
	int cols[2];
	int ncols;
	long line;
};

static int find_duplicate(void *ud, const struct sales_row_event *ev,
			  struct sales_error *err)
{
	struct dup_search *d = ud;

	(void)err;
	if (d->line || ev->sheet != d->e->def->id)
		return 0;
	for (int i = 0; i < d->ncols; i++)
		if (!sales_key_equal(ev->rec->v[d->cols[i]],
			       sales_entry_get(d->e, d->cols[i])))
			return 0;
	d->line = ev->rec->row->line;
	return 0;
}

int sales_entry_load(struct sales_model **m, const struct sales_context *ctx,
		     const struct sales_entry *e, struct sales_error *err)
{
	struct dup_search d = { e, { 0, 0 }, 0, 0 };
	int ccol = sales_column_find(e->def, "customer");
	unsigned sheets = 0, every = 0;
	struct sales_buf key = {0};

	for (int id = SALES_LEADS; id <= SALES_FOLLOWUPS; id++)
		sheets |= 1u << id;
	sheets |= 1u << SALES_EXCEPTIONS;
	sheets |= 1u << e->def->id;
	d.ncols = key_columns(e->def->id, d.cols);
	/* every rule a new row must pass is about its customer: the rows of
	 * the others are skipped; the duplicate search sees every row of the
	 * sheet, unless its key holds the customer (another customer's row
	 * never matches then) */
	if (d.ncols && d.cols[0] != ccol && (d.ncols < 2 || d.cols[1] != ccol))
		every = 1u << e->def->id;
	if (ccol >= 0 ?
	    sales_model_load_one_for(m, ctx, sheets, sales_entry_get(e, ccol),
				     d.ncols ? find_duplicate : NULL, &d, every,
				     err) < 0 :
	    sales_model_load(m, ctx, sheets, d.ncols ? find_duplicate : NULL,
			     &d, err) < 0)
		return -1;
	if (!(*m)->has_sheet[e->def->id]) {
		sales_model_free(*m);
		*m = NULL;
		return sales_error_set(err, SALES_ENOTFOUND, e->def->file, 0, 0,
				       "the sheet is missing from the workbook (sales init writes every sheet)");
	}
	if (!d.line)
		return 0;
	sales_model_free(*m);
	*m = NULL;
	sales_row_key(e->def, sales_entry_values(e), &key);
	sales_error_set(err, SALES_EEXIST, e->def->file, d.line, 0,
			"'%s' already exists: a row of %s is one of a kind",
			key.data ? key.data : "", e->def->title);
	sales_buf_release(&key);
	return -1;
}

int sales_entry_touch_lead(struct sales_txn *t, const struct sales_entry *e,
			   sales_date today, struct sales_error *err)
{
	struct sales_record rec;
	sales_date d;
	int ccol;

	if (e->def->id < SALES_SURVEYS || e->def->id > SALES_FOLLOWUPS)
		return 0;
	memset(&rec, 0, sizeof(rec));
	for (size_t c = 0; c < e->def->ncolumns; c++)
		rec.v[c] = sales_entry_get(e, (int)c);
	d = sales_row_date(e->def->id, &rec);
	if (d != SALES_DATE_NONE && d > today)
		d = SALES_DATE_NONE;
	ccol = sales_column_find(e->def, "customer");
	return sales_lead_touch(t, sales_entry_get(e, ccol), d, NULL, err);
}

/* ---- reading a sheet in a change without loading it ---- */

/* Called for each record scan_sheet reads: 0 to go on, 1 when it has what
 * it wanted, -1 with err. */
typedef int (*scan_fn)(void *arg, const char *const *v, long line,
		       struct sales_error *err);

/*
 * Shows fn the records of sheet id as t has them: from the file (its
 * reader's warnings once per change, sales_txn_read_begin), only those
 * whose column col holds key when col >= 0 (the reader's prefilter: fn
 * still compares) and with only the columns cols[0..ncols) read when ncols
 * is not 0; or from the sheet t holds loaded.  0, or -1 with err.
 */
static int scan_sheet(struct sales_txn *t, enum sales_sheet_id id, int col,
		      const char *key, const int *cols, size_t ncols,
		      scan_fn fn, void *arg, struct sales_error *err)
{
	struct sales_sheet_reader *rd = NULL;
	const struct sales_record *rec;
	struct sales_read_capture cap;
	int rc, took = 0;

	if (t->loaded[id] || t->streamed[id]) {
		/* edits and all (a streamed sheet: sales_txn_sheet refuses) */
		const struct sales_sheet_table *st = sales_txn_sheet(t, id, err);
		const struct sales_sheet_def *def = sales_sheet_def(id);
		const char *v[SALES_MAX_COLS];

		if (!st)
			return -1;
		for (size_t r = 0; took == 0 && r < sales_table_rows(st->table); r++) {
			for (size_t c = 0; c < def->ncolumns; c++)
				v[c] = sales_sheet_table_get(st, r, (int)c);
			took = fn(arg, v, sales_table_line(st->table, r), err);
		}
		return took < 0 ? -1 : 0;
	}
	sales_txn_read_begin(t, id, &cap);
	if (sales_sheet_open(t->dir, id, SALES_ENC_AUTO, &rd, err) < 0) {
		sales_txn_read_end(t, id, &cap, false);
		return -1;
	}
	if ((col >= 0 && sales_sheet_set_filter(rd, col, key) < 0) ||
	    (ncols && sales_sheet_set_columns(rd, cols, ncols) < 0)) {
		sales_sheet_close(rd);
		sales_txn_read_end(t, id, &cap, false);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	}
	while ((rc = sales_sheet_next(rd, &rec, err)) > 0) {
		/* after what fn wanted, on to the end: every warning a load
		 * would give (the prefilter drops only records that give
		 * none) */
		if (took)
			continue;
		if ((took = fn(arg, rec->v, rec->row->line, err)) < 0) {
			rc = -1;
			break;
		}
	}
	sales_sheet_close(rd);
	sales_txn_read_end(t, id, &cap, rc == 0);
	return rc < 0 ? -1 : 0;
}

struct first_row {
	int col;
	const char *key;
	long want;                 /* its line; 0: any */
	size_t ncols;
	struct sales_buf *vals;
	const char **v;
	long line;
	bool found;
};

static int take_first_row(void *arg, const char *const *v, long line,
			  struct sales_error *err)
{
	struct first_row *f = arg;
	const char *p;

	if (!sales_key_equal(v[f->col], f->key) || (f->want && line != f->want))
		return 0;
	for (size_t i = 0; i < f->ncols; i++)
		if (sales_buf_add(f->vals, v[i], strlen(v[i]) + 1) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	p = f->vals->data;
	for (size_t i = 0; i < f->ncols; i++, p += strlen(p) + 1)
		f->v[i] = p;
	f->line = line;
	f->found = true;
	return 1;
}

/* The first row of sheet id (the one at physical line want, when want is
 * not 0) whose column col holds key (trimmed), its values by column into
 * vals (NUL-ended one after the other) and v, its line into *line (may be
 * NULL), read without loading the sheet: only the records that hold the
 * key are read (the reader's prefilter).  1 when found, 0 when not, -1
 * with err. */
static int first_row_values(struct sales_txn *t, enum sales_sheet_id id,
			    int col, const char *key, long want,
			    struct sales_buf *vals,
			    const char *v[SALES_MAX_COLS], long *line,
			    struct sales_error *err)
{
	struct first_row f = { col, key, want, sales_sheet_def(id)->ncolumns,
			       vals, v, 0, false };

	if (scan_sheet(t, id, col, key, NULL, 0, take_first_row, &f, err) < 0)
		return -1;
	if (f.found && line)
		*line = f.line;
	return f.found;
}

const struct sales_route *sales_entry_contract_route(struct sales_txn *t,
						     const struct sales_context *c,
						     const char *const *kv,
						     struct sales_error *err)
{
	const char *lv[SALES_MAX_COLS];
	const struct sales_sheet_table *leads;
	struct sales_route_facts f;
	struct sales_buf vals = { 0 };
	const struct sales_route *route = NULL;
	bool have_lead = false;
	long lrow;

	if (t->loaded[SALES_LEADS]) {
		/* as this transaction holds it, edits and all */
		leads = &t->sheets[SALES_LEADS];
		lrow = sales_entry_find_row(leads, LEAD_CUSTOMER,
					    kv[CON_CUSTOMER], NULL);
		if (lrow >= 0) {
			for (int i = 0; i < LEAD_NCOLS; i++)
				lv[i] = sales_sheet_table_get(leads, (size_t)lrow, i);
			have_lead = true;
		}
	} else if (sales_sheet_exists(t->dir, SALES_LEADS)) {
		int found = first_row_values(t, SALES_LEADS, LEAD_CUSTOMER,
					     kv[CON_CUSTOMER], 0, &vals, lv,
					     NULL, err);

		if (found < 0)
			goto out;
		have_lead = found > 0;
	}
	sales_route_facts_from_rows(&f, kv, have_lead ? lv : NULL);
	route = sales_contract_route(c, &f, err);
out:
	sales_buf_release(&vals);
	return route;
}

/* ---- one row edited in place ---- */

/* The row of st at physical line line whose column col holds key (line 0:
 * the first that holds it), or -1. */
static long table_row(const struct sales_sheet_table *st, int col,
		      const char *key, long line)
{
	if (!line)
		return sales_entry_find_row(st, col, key, NULL);
	for (size_t r = 0; r < sales_table_rows(st->table); r++)
		if (sales_table_line(st->table, r) == line)
			return sales_key_equal(sales_sheet_table_get(st, r, col),
					       key) ? (long)r : -1;
	return -1;
}

int sales_row_edit_open_at(struct sales_row_edit *re, struct sales_txn *t,
			   enum sales_sheet_id id, int keycol, const char *key,
			   long line, struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	int found;

	memset(re, 0, sizeof(*re));
	re->t = t;
	re->id = id;
	re->keycol = keycol;
	re->row = -1;
	if (!(re->key = strdup(key)))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (!t->loaded[id] && !t->streamed[id] &&
	    !(def->columns[0].flags & SALES_COLF_FILL_DOWN) &&
	    sales_sheet_exists(t->dir, id)) {
		found = first_row_values(t, id, keycol, key, line, &re->vals,
					 re->v, &re->line, err);
		if (found > 0 || (found < 0 && err && err->code == SALES_ENOMEM))
			return found;
		/* none, or a sheet that does not read: the loaded sheet says
		 * so as it always has (and what is near) */
		sales_buf_reset(&re->vals);
		if (err)
			sales_error_clear(err);
	}
	if (!(re->st = sales_txn_sheet(t, id, err)))
		return -1;
	re->row = table_row(re->st, keycol, key, line);
	return re->row >= 0;
}

int sales_row_edit_open(struct sales_row_edit *re, struct sales_txn *t,
			enum sales_sheet_id id, int keycol, const char *key,
			struct sales_error *err)
{
	return sales_row_edit_open_at(re, t, id, keycol, key, 0, err);
}

long sales_row_edit_line(const struct sales_row_edit *re)
{
	return re->st && re->row >= 0 ?
	       sales_table_line(re->st->table, (size_t)re->row) : re->line;
}

static const struct sales_row_change *
last_change(const struct sales_row_edit *re, int col)
{
	for (size_t i = re->nchanges; i > 0; i--)
		if (re->changes[i - 1].col == col)
			return &re->changes[i - 1];
	return NULL;
}

const char *sales_row_edit_get(const struct sales_row_edit *re, int col)
{
	const struct sales_row_change *c;

	if (re->st)
		return sales_sheet_table_get(re->st, (size_t)re->row, col);
	c = last_change(re, col);
	return c ? c->value : re->v[col];
}

void sales_row_edit_values(const struct sales_row_edit *re, const char **v)
{
	const struct sales_sheet_def *def = sales_sheet_def(re->id);

	for (size_t i = 0; i < def->ncolumns; i++)
		v[i] = sales_row_edit_get(re, (int)i);
}

int sales_row_edit_set(struct sales_row_edit *re, int col, const char *value,
		       struct sales_error *err)
{
	struct sales_row_change *c;

	if (re->st)
		return sales_txn_set(re->t, re->id, (size_t)re->row, col, value,
				     err);
	if (SALES_ALLOC_GROW(re->changes, re->nchanges + 1,
			     re->changes_alloc) < 0)
		goto nomem;
	c = &re->changes[re->nchanges];
	if (!(c->value = strdup(value ? value : "")))
		goto nomem;
	c->col = col;
	re->nchanges++;
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

static int row_edit_stream_row(struct sales_txn_stream *s,
			       const char *const *v, long line, void *arg,
			       struct sales_error *err)
{
	const struct sales_row_edit *re = arg;

	(void)v;
	if (line != re->line)
		return 0;
	for (size_t i = 0; i < re->nchanges; i++)
		if (sales_txn_stream_set(s, re->changes[i].col,
					 re->changes[i].value, err) < 0)
			return -1;
	return 0;
}

int sales_row_edit_write(struct sales_row_edit *re, struct sales_error *err)
{
	int cols[SALES_MAX_COLS];
	size_t ncols = 0;
	int rc;

	if (re->st || !re->nchanges)
		return 0;
	for (size_t i = 0; i < re->nchanges; i++) {
		size_t k = 0;

		while (k < ncols && cols[k] != re->changes[i].col)
			k++;
		if (k == ncols)
			cols[ncols++] = re->changes[i].col;
	}
	rc = sales_txn_stream(re->t, re->id, cols, ncols, row_edit_stream_row,
			      re, err);
	if (rc <= 0)
		return rc;
	/* the stream cannot (a column to add): on the loaded sheet */
	if (!(re->st = sales_txn_sheet(re->t, re->id, err)))
		return -1;
	re->row = table_row(re->st, re->keycol, re->key, re->line);
	if (re->row < 0)
		return sales_error_set(err, SALES_ECHANGED, re->st->name, 0, 0,
				       "the row of '%s' is gone", re->key);
	for (size_t i = 0; i < re->nchanges; i++)
		if (sales_txn_set(re->t, re->id, (size_t)re->row,
				  re->changes[i].col, re->changes[i].value,
				  err) < 0)
			return -1;
	return 0;
}

void sales_row_edit_release(struct sales_row_edit *re)
{
	for (size_t i = 0; i < re->nchanges; i++)
		free(re->changes[i].value);
	free(re->changes);
	free(re->key);
	sales_buf_release(&re->vals);
	memset(re, 0, sizeof(*re));
}

/* ---- the proposal a review is of ---- */

static int feed_proposal_customer(void *arg, const char *const *v, long line,
				  struct sales_error *err)
{
	if (sales_resolver_feed(arg, v[SOL_CUSTOMER], line) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	return 0;
}

struct proposal_rows {
	struct sales_proposal *p;
	const char *customer, *name;
	long pick;
};

static int count_proposal(void *arg, const char *const *v, long line,
			  struct sales_error *err)
{
	struct proposal_rows *pr = arg;
	struct sales_proposal *p = pr->p;

	if (!sales_key_equal(v[SOL_CUSTOMER], pr->customer))
		return 0;
	if ((line == pr->pick &&
	     sales_buf_addstr(&p->customer, v[SOL_CUSTOMER]) < 0) ||
	    sales_buf_add(&p->names, v[SOL_SOLUTION],
			  strlen(v[SOL_SOLUTION]) + 1) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	p->nnames++;
	if (pr->name && !sales_key_equal(v[SOL_SOLUTION], pr->name))
		return 0;
	if (p->count++ == 0)
		p->line = line;
	return 0;
}

int sales_entry_find_proposal(struct sales_txn *t, const char *customer,
			      const char *name, struct sales_proposal *p,
			      struct sales_error *err)
{
	static const int cust_col[] = { SOL_CUSTOMER };
	const char *file = sales_sheet_def(SALES_SOLUTIONS)->file;
	struct sales_resolver res;
	struct proposal_rows pr = { p, NULL, name, -1 };
	struct sales_buf want = { 0 };
	const char *as;
	size_t len;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	sales_resolver_init(&res, customer);
	if (scan_sheet(t, SALES_SOLUTIONS, -1, NULL, cust_col, 1,
		       feed_proposal_customer, &res, err) < 0)
		goto out;
	pr.pick = sales_resolver_result(&res, &p->how, NULL);
	if (pr.pick < 0) {
		sales_resolver_error(&res, _("customer with a proposal"), file,
				     err);
		goto out;
	}
	as = sales_resolver_name(&res);
	len = strlen(as);
	as = sales_trim(as, &len);
	if (sales_buf_add(&want, as, len) < 0) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	pr.customer = want.data;
	if (scan_sheet(t, SALES_SOLUTIONS, SOL_CUSTOMER, want.data, NULL, 0,
		       count_proposal, &pr, err) < 0)
		goto out;
	if (!p->customer.data)   /* the file changed under the lock? */
		sales_error_set(err, SALES_ECHANGED, file, 0, 0,
				"the row of '%s' is gone", want.data);
	else
		rc = 0;
out:
	sales_resolver_release(&res);
	sales_buf_release(&want);
	return rc;
}

void sales_proposal_release(struct sales_proposal *p)
{
	sales_buf_release(&p->customer);
	sales_buf_release(&p->names);
	memset(p, 0, sizeof(*p));
}

long sales_entry_find_row(const struct sales_sheet_table *st, int col,
			  const char *value, const char **closest)
{
	size_t n = sales_table_rows(st->table), vlen = strlen(value);
	const char *v = sales_trim(value, &vlen);
	int best = vlen >= 6 ? 3 : vlen >= 3 ? 2 : 1;

	if (closest)
		*closest = NULL;
	for (size_t r = 0; r < n; r++)
		if (sales_key_equal(sales_sheet_table_get(st, r, col), value))
			return (long)r;
	for (size_t r = 0; closest && r < n; r++) {
		const char *s = sales_sheet_table_get(st, r, col);
		size_t slen = strlen(s);
		int d;

		s = sales_trim(s, &slen);
		d = sales_edit_distance(v, vlen, s, slen, best - 1);
		if (slen && d < best) {
			best = d;
			*closest = sales_sheet_table_get(st, r, col);
		}
	}
	return -1;
}

/* ---- opinions ---- */

static const char *trimmed_view(const char *s, size_t *len)
{
	*len = s ? strlen(s) : 0;
	return s ? sales_trim(s, len) : "";
}

int sales_review_text(bool pass, const char *opinion, struct sales_buf *out,
		      struct sales_error *err)
{
	enum sales_review want = pass ? SALES_REVIEW_PASSED : SALES_REVIEW_REJECTED;
	enum sales_review got;
	size_t len;
	const char *op = trimmed_view(opinion, &len);
	struct sales_buf o = {0};
	int rc = 0;

	sales_buf_reset(out);
	if (sales_buf_add(&o, op, len) < 0)
		goto nomem;
	got = sales_review_of(o.data, NULL);
	if (len && got != SALES_REVIEW_PENDING && got != want) {
		rc = sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				     "the opinion '%s' reads as %s, not %s",
				     o.data, pass ? _("a rejection") : _("a pass"),
				     pass ? _("a pass") : _("a rejection"));
		goto out;
	}
	if (got != want) {
		if (sales_buf_addstr(out, pass ? "通过" : "不通过") < 0 ||
		    (len && sales_buf_addch(out, ',') < 0))
			goto nomem;
	}
	if (sales_buf_add(out, op, len) < 0)
		goto nomem;
	goto out;
nomem:
	rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_buf_release(&o);
	return rc;
}

int sales_opinion_text(bool reject, const char *opinion, struct sales_buf *out,
		       struct sales_error *err)
{
	size_t len;
	const char *op = trimmed_view(opinion, &len);
	struct sales_buf o = {0};
	enum sales_opinion got;
	int rc = 0;

	sales_buf_reset(out);
	if (sales_buf_add(&o, op, len) < 0)
		goto nomem;
	got = sales_opinion_of(o.data);
	if (!reject && got == SALES_OPINION_REJECT) {
		rc = sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				     "the opinion '%s' reads as a rejection; reject with --reject",
				     o.data);
		goto out;
	}
	if (!len) {
		if (sales_buf_addstr(out, reject ? "驳回" : "同意") < 0)
			goto nomem;
		goto out;
	}
	if (reject && got != SALES_OPINION_REJECT &&
	    sales_buf_addstr(out, "驳回,") < 0)
		goto nomem;
	if (sales_buf_add(out, op, len) < 0)
		goto nomem;
	goto out;
nomem:
	rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_buf_release(&o);
	return rc;
}

/* ---- the stage gate ---- */

/* The lead name nearest to name within a small edit distance, or NULL. */
static const char *closest_lead(const struct sales_model *m, const char *name)
{
	size_t nlen = strlen(name);
	const char *n = sales_trim(name, &nlen), *pick = NULL;
	int best = nlen >= 6 ? 3 : nlen >= 3 ? 2 : 1;

	for (size_t i = 0; i < m->ncustomers; i++) {
		const char *s = sales_model_str(m, m->customers[i].name);
		int d;

		if (!m->customers[i].lead_line)
			continue;
		d = sales_edit_distance(n, nlen, s, strlen(s), best - 1);
		if (d < best) {
			best = d;
			pick = s;
		}
	}
	return pick;
}

/* Appends "; did you mean 'X'?" for the lead nearest to name.  A model
 * narrowed to one customer has no other leads: 01's are read for it (a
 * name that is no lead, let in by rule 10's waiver alone). */
static void suggest_lead(const struct sales_model *m, const char *name,
			 struct sales_error *err)
{
	struct sales_model *leads = NULL;
	struct sales_error lerr;
	const char *near;
	size_t len = strlen(err->message);

	if (m->only && m->ctx &&
	    sales_model_load(&leads, m->ctx, 1u << SALES_LEADS, NULL, NULL,
			     &lerr) < 0)
		return;
	near = closest_lead(leads ? leads : m, name);
	if (near)
		snprintf(err->message + len, sizeof(err->message) - len,
			 _("; did you mean '%s'?"), near);
	sales_model_free(leads);
}

int sales_gate_check(const struct sales_model *m, long customer,
		     enum sales_sheet_id id, const char *name,
		     struct sales_gate *g, struct sales_error *err)
{
	struct sales_gate_fact f;

	memset(g, 0, sizeof(*g));
	sales_facts_gate(m, NULL, customer, name, id, &f);
	g->missing = f.missing;
	g->why = f.why;
	g->exception = f.exception;
	g->invalid = f.invalid;
	if (!g->missing || g->exception)
		return 0;
	if (f.need >= 0 && !m->has_sheet[f.need])
		sales_error_set(err, SALES_ERULE, sales_sheet_def(f.need)->file, 0, 0,
				"%s (stage %s) is missing from the workbook, so '%s' cannot enter %s: 'sales init --missing' writes it again",
				sales_sheet_def(f.need)->file, g->missing, name,
				sales_sheet_def(id)->stage);
	else
		sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				"stage %s is missing for '%s' (%s), so it cannot enter %s",
				g->missing, name, g->why, sales_sheet_def(id)->stage);
	if (customer < 0 && err)
		suggest_lead(m, name, err);
	return -1;
}

bool sales_proposal_late(const struct sales_model *m, long c, sales_date date,
			 sales_date *deadline)
{
	struct sales_deadline d;

	*deadline = SALES_DATE_NONE;
	if (c < 0 || date == SALES_DATE_NONE ||
	    sales_facts_deadline_if(m, c, SALES_RULE_PROPOSAL, date, &d) < 0)
		return false;
	*deadline = d.rule_due;
	return d.state == SALES_DL_MISSED;
}

/* ---- the lead ---- */

/* What sales_lead_touch sets of the lead row whose 最后跟进时间 and 客户状态
 * are last and cur_status: into *contact (NULL: leave it) and *status. */
static void touch_values(sales_date date, const char *last_text,
			 const char *cur_status, char buf[11],
			 const char **contact, const char **status)
{
	sales_date last;

	*contact = NULL;
	if (date != SALES_DATE_NONE &&
	    (sales_parse_date(last_text, strlen(last_text), &last) !=
	     SALES_VALUE_OK || date > last))
		*contact = sales_date_format(date, buf);
	if (!*status && (!*cur_status || !strcmp(cur_status, "新线索")))
		*status = "跟进中";
}

struct touch_walk {
	const char *customer;
	sales_date date;
	const char *status;
	bool done;
};

static int touch_row(struct sales_txn_stream *s, const char *const *v,
		     long line, void *arg, struct sales_error *err)
{
	struct touch_walk *w = arg;
	const char *contact, *status = w->status;
	char buf[11];

	(void)line;
	if (w->done || !sales_key_equal(v[LEAD_CUSTOMER], w->customer))
		return 0;
	w->done = true;   /* its first row, as the loaded sheet's */
	touch_values(w->date, v[LEAD_LAST_CONTACT], v[LEAD_STATUS], buf,
		     &contact, &status);
	if (contact &&
	    sales_txn_stream_set(s, LEAD_LAST_CONTACT, contact, err) < 0)
		return -1;
	if (status && sales_txn_stream_set(s, LEAD_STATUS, status, err) < 0)
		return -1;
	return 0;
}

int sales_lead_touch(struct sales_txn *t, const char *customer, sales_date date,
		     const char *status, struct sales_error *err)
{
	static const int cols[] = { LEAD_LAST_CONTACT, LEAD_STATUS };
	struct touch_walk w = { customer, date, status, false };

	/* streamed unless this transaction holds 01 already (or it has a
	 * title row: then loaded, by the same fn) */
	return sales_txn_each(t, SALES_LEADS, cols, 2, touch_row, &w, err);
}
