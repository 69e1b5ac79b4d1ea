#include "normalize.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "context.h"
#include "validate.h"
#include "model.h"
#include "readahead.h"
#include "sheet.h"
#include "text.h"
#include "txn.h"
#include "workbook.h"

/* ---- the tables ---- */

enum { T_CUSTOMERS = SALES_NSHEETS, T_ERRORS, T_WORKBOOKS };

static void add_col(struct sales_norm_table *t, const char *key,
		    const char *suffix, enum sales_norm_kind kind)
{
	struct sales_norm_column *c = &t->cols[t->ncols++];

	snprintf(c->name, sizeof(c->name), "%s%s", key, suffix);
	c->kind = kind;
}

/* How many output columns a schema column becomes (see normalize.h). */
static void expand(struct sales_norm_table *t, const struct sales_column_def *c)
{
	switch (c->type) {
	case SALES_COL_DATE:
		add_col(t, c->key, "", SALES_NORM_DATE);
		break;
	case SALES_COL_DATE_RANGE:
	case SALES_COL_MONTH:
		add_col(t, c->key, "_start", SALES_NORM_DATE);
		add_col(t, c->key, "_end", SALES_NORM_DATE);
		break;
	case SALES_COL_AMOUNT:
	case SALES_COL_AMOUNT_DELTA:
	case SALES_COL_PERCENT:
		add_col(t, c->key, "", SALES_NORM_NUMBER);
		break;
	case SALES_COL_AMOUNT_RANGE:
		add_col(t, c->key, "_low", SALES_NORM_NUMBER);
		add_col(t, c->key, "_high", SALES_NORM_NUMBER);
		break;
	case SALES_COL_SIZE:
		add_col(t, c->key, "_employees_low", SALES_NORM_INTEGER);
		add_col(t, c->key, "_employees_high", SALES_NORM_INTEGER);
		add_col(t, c->key, "_revenue_low", SALES_NORM_NUMBER);
		add_col(t, c->key, "_revenue_high", SALES_NORM_NUMBER);
		break;
	case SALES_COL_INTEGER:
		add_col(t, c->key, "", SALES_NORM_INTEGER);
		break;
	case SALES_COL_DATE_PREFIX:
		add_col(t, c->key, "", SALES_NORM_TEXT);
		add_col(t, c->key, "_date", SALES_NORM_DATE);
		break;
	default:
		add_col(t, c->key, "", SALES_NORM_TEXT);
		break;
	}
}

static void add_head(struct sales_norm_table *t)
{
	add_col(t, "workbook", "", SALES_NORM_TEXT);
	add_col(t, "workbook_name", "", SALES_NORM_TEXT);
}

int sales_norm_table(size_t i, struct sales_norm_table *t)
{
	memset(t, 0, sizeof(*t));
	if (i < SALES_NSHEETS) {
		const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)i);

		snprintf(t->name, sizeof(t->name), "%s", d->name);
		add_head(t);
		add_col(t, "row", "", SALES_NORM_INTEGER);
		for (size_t c = 0; c < d->ncolumns; c++)
			expand(t, &d->columns[c]);
		return 0;
	}
	switch (i) {
	case T_CUSTOMERS:
		snprintf(t->name, sizeof(t->name), "customers");
		add_head(t);
		add_col(t, "row", "", SALES_NORM_INTEGER);
		add_col(t, "customer", "", SALES_NORM_TEXT);
		add_col(t, "stage", "", SALES_NORM_TEXT);
		add_col(t, "stage_no", "", SALES_NORM_INTEGER);
		add_col(t, "first_date", "", SALES_NORM_DATE);
		add_col(t, "last_date", "", SALES_NORM_DATE);
		add_col(t, "grade", "", SALES_NORM_TEXT);
		add_col(t, "owner", "", SALES_NORM_TEXT);
		add_col(t, "region", "", SALES_NORM_TEXT);
		add_col(t, "product_line", "", SALES_NORM_TEXT);
		add_col(t, "industry", "", SALES_NORM_TEXT);
		add_col(t, "status", "", SALES_NORM_TEXT);
		add_col(t, "registered", "", SALES_NORM_DATE);
		add_col(t, "last_contact", "", SALES_NORM_DATE);
		add_col(t, "signed_first", "", SALES_NORM_DATE);
		add_col(t, "contracts", "", SALES_NORM_INTEGER);
		add_col(t, "followups", "", SALES_NORM_INTEGER);
		return 0;
	case T_ERRORS:
		snprintf(t->name, sizeof(t->name), "errors");
		add_head(t);
		add_col(t, "file", "", SALES_NORM_TEXT);
		add_col(t, "line", "", SALES_NORM_INTEGER);
		add_col(t, "cell", "", SALES_NORM_TEXT);
		add_col(t, "key", "", SALES_NORM_TEXT);
		add_col(t, "value", "", SALES_NORM_TEXT);
		add_col(t, "message", "", SALES_NORM_TEXT);
		return 0;
	case T_WORKBOOKS:
		snprintf(t->name, sizeof(t->name), "workbooks");
		add_head(t);
		add_col(t, "exported", "", SALES_NORM_DATE);
		add_col(t, "rows", "", SALES_NORM_INTEGER);
		add_col(t, "errors", "", SALES_NORM_INTEGER);
		return 0;
	}
	return -1;
}

/* ---- output files ---- */

#define FLUSH_AT (1u << 20)

/* A date's text, kept: formatting the same day again costs more. */
#define DATE_CACHE 4096u
struct date_text {
	sales_date d;
	char s[10];
};

struct out {
	struct sales_atomic_file f;
	struct sales_buf buf;
	bool open;
	bool first;        /* no field yet on this line */
	bool nomem;        /* a field did not fit: flush fails */
	/* the line's first two fields (workbook id and name) as written:
	 * the same on every line */
	const char *head;
	size_t head_len;
	struct date_text *dates;   /* DATE_CACHE of them, shared; may be NULL */
};

/* The tables' rows of the stage sheets, handed from the model's thread to
 * the writer thread in batches (the record's cells copied). */
#define Q_BATCHES 4
#define Q_ROWS 4096u
struct qrow {
	enum sales_sheet_id sheet;
	long line, excel_row;
	size_t off[SALES_MAX_COLS];
	size_t ncols;
};
struct qbatch {
	struct qrow *rows;
	size_t nrows;
	struct sales_buf text;
	bool nomem;
};
struct queue {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct qbatch b[Q_BATCHES];
	size_t head, tail, filled;   /* writer's, loader's, handed over */
	bool end;
	int rc;                      /* the writer's: 0 or -1 with err */
	struct sales_error err;
	struct sales_error *main_err;
	struct sales_colmap maps[SALES_NSHEETS];
};

/* What cell() wrote for a value, kept per column: most typed columns hold
 * a few distinct values (company sizes, budget ranges, terms, grades,
 * enumerations), and a cell's output is a function of its value alone
 * when sales_cell_reads_row says so.  A column is given MEMO_TRIAL
 * lookups; one whose values repeat less than half the time is no longer
 * kept. */
#define MEMO_SLOTS 256u
#define MEMO_KEY 46
#define MEMO_OUT 80
#define MEMO_TRIAL 4096u
struct memo_slot {
	bool used;
	uint8_t klen, olen;
	char key[MEMO_KEY];
	char out[MEMO_OUT];
};
struct memo {
	struct memo_slot *slot;     /* MEMO_SLOTS, or NULL */
	unsigned lookups, hits;
	bool off;
};

struct norm {
	const struct sales_norm_options *o;
	/* by sheet and column; a sheet's are used by one thread at a time
	 * (the writer's for the stage sheets) */
	struct memo memo[SALES_NSHEETS][SALES_MAX_COLS];
	struct queue *q;
	struct sales_norm_result *res;
	struct out out[SALES_NORM_NTABLES];
	struct sales_buf why;
	struct sales_buf head;     /* struct out's head text */
	struct date_text *dates;
	const char *sheet_file;    /* the sheet being read, for errors.csv */
	struct sales_error *err;
};

static int flush(struct norm *n, struct out *o)
{
	if (o->nomem)
		return sales_error_set(n->err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (!o->buf.len)
		return 0;
	if (sales_atomic_write(&o->f, o->buf.data, o->buf.len, n->err) < 0)
		return -1;
	sales_buf_reset(&o->buf);
	return 0;
}

/* Room for extra more bytes (and the NUL) in o's buffer, or NULL. */
static char *room(struct out *o, size_t extra)
{
	if (o->buf.cap - o->buf.len < extra + 1 &&
	    sales_buf_grow(&o->buf, extra) < 0) {
		o->nomem = true;
		return NULL;
	}
	return o->buf.data + o->buf.len;
}

static void done(struct out *o, char *end)
{
	*end = '\0';
	o->buf.len = (size_t)(end - o->buf.data);
}

/* A field as it is: numbers, dates and keys, which never need quotes. */
static void field_plain(struct out *o, const char *s, size_t len)
{
	char *p = room(o, len + 1);

	if (!p)
		return;
	if (!o->first)
		*p++ = ',';
	o->first = false;
	memcpy(p, s, len);
	done(o, p + len);
}

/* One CSV field of text, quoted only when it must be. */
static void field(struct out *o, const char *s, size_t len)
{
	char *p;

	if (!sales_csv_needs_quotes(s, len)) {
		field_plain(o, s, len);
		return;
	}
	/* every byte doubled at worst, two quotes and the comma */
	if (!(p = room(o, 2 * len + 3)))
		return;
	if (!o->first)
		*p++ = ',';
	o->first = false;
	*p++ = '"';
	/* up to each quote, the quote, and it again */
	for (const char *q; (q = memchr(s, '"', len)); ) {
		size_t k = (size_t)(q - s) + 1;

		memcpy(p, s, k);
		p += k;
		*p++ = '"';
		s += k;
		len -= k;
	}
	memcpy(p, s, len);
	p += len;
	*p++ = '"';
	done(o, p);
}

static void field_str(struct out *o, const char *s)
{
	field(o, s, strlen(s));
}

/* d as YYYY-MM-DD, what sales_date_format writes, without printf (years
 * 1900..9999). */
static void format_date(sales_date d, char *buf)
{
	int y, m, day;

	sales_date_to_ymd(d, &y, &m, &day);
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
}

static void field_date(struct out *o, sales_date d)
{
	char buf[10];
	struct date_text *t;

	if (d == SALES_DATE_NONE) {
		field_plain(o, "", 0);
		return;
	}
	if (!o->dates) {
		format_date(d, buf);
		field_plain(o, buf, 10);
		return;
	}
	/* a workbook's dates fall on a few thousand days */
	t = &o->dates[(uint32_t)d % DATE_CACHE];
	if (t->d != d) {
		t->d = d;
		format_date(d, t->s);
	}
	field_plain(o, t->s, 10);
}

static void field_long(struct out *o, long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	field_plain(o, p, (size_t)(buf + sizeof(buf) - p));
}

/* A number as a database reads it, whatever the C locale's decimal point. */
static void field_number(struct out *o, double v)
{
	char buf[40];

	if (v > -1e15 && v < 1e15 && v == (double)(long)v) {
		field_long(o, (long)v);   /* most amounts are whole */
		return;
	}
	snprintf(buf, sizeof(buf), "%.15g", v);
	for (char *p = buf; *p; p++)
		if (*p != '-' && *p != '+' && *p != 'e' && (*p < '0' || *p > '9'))
			*p = '.';
	field_plain(o, buf, strlen(buf));
}

static void end_line(struct out *o)
{
	char *p = room(o, 1);

	if (p) {
		*p++ = '\n';
		done(o, p);
	}
	o->first = true;
}

static void header(struct out *o, const struct sales_norm_table *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		field_str(o, t->cols[i].name);
	end_line(o);
}

/* A line's first fields: the workbook's id and its folder's name. */
static void head_fields(struct out *o)
{
	char *p = room(o, o->head_len);

	if (!p)
		return;
	memcpy(p, o->head, o->head_len);
	done(o, p + o->head_len);
	o->first = false;
}

/* ---- the workbook id ---- */

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t len = strlen(src);

	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int workbook_id(struct norm *n, const struct sales_context *ctx)
{
	char real[PATH_MAX];
	const char *base, *id = sales_settings_get(ctx->settings, "workbook.id");

	if (!realpath(n->o->workbook, real))
		return sales_error_set(n->err, SALES_EIO, n->o->workbook, 0, 0,
				       "cannot resolve the folder: %s",
				       strerror(errno));
	base = strrchr(real, '/');
	base = base && base[1] ? base + 1 : real;
	copy_str(n->res->name, sizeof(n->res->name), base);
	if (id && *id) {
		for (const char *p = id; *p; p++)
			if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r' ||
			    *p == '\'')
				return sales_error_set(n->err, SALES_EVALUE,
						       "sales.conf", 0, 0,
						       "workbook.id '%s' may not hold a comma, quote or line break",
						       id);
		if (!strcmp(id, "workbook"))
			return sales_error_set(n->err, SALES_EVALUE, "sales.conf", 0, 0,
					       "workbook.id may not be 'workbook' (the tables' first column is named so)");
		copy_str(n->res->id, sizeof(n->res->id), id);
	} else {
		snprintf(n->res->id, sizeof(n->res->id), "wb-%012llx",
			 (unsigned long long)(sales_hash(real, strlen(real)) &
					      0xFFFFFFFFFFFFull));
	}
	return 0;
}

static char *table_path(const char *dir, const char *name);

/* ---- one sheet row ---- */

static void error_row(struct norm *n, const struct sales_record *rec,
		      const struct sales_colmap *map, int col,
		      const char *value, const char *message)
{
	struct out *o = &n->out[T_ERRORS];
	int fcol = map->file_col[col];
	char cell[24], letters[8];

	head_fields(o);
	field_str(o, n->sheet_file);
	field_long(o, rec->row->line);
	if (fcol >= 0)
		snprintf(cell, sizeof(cell), "%s%ld",
			 sales_column_letters(fcol + 1, letters), rec->row->excel_row);
	else
		cell[0] = '\0';
	field_str(o, cell);
	field_str(o, map->def->columns[col].key);
	field_str(o, value);
	field_str(o, message);
	end_line(o);
	n->res->errors++;
}

static void empty_fields(struct out *o, int k)
{
	while (k-- > 0)
		field_plain(o, "", 0);
}

/* Output columns a schema column of type t becomes (see expand). */
static int width(enum sales_coltype t)
{
	switch (t) {
	case SALES_COL_SIZE:
		return 4;
	case SALES_COL_DATE_RANGE:
	case SALES_COL_MONTH:
	case SALES_COL_AMOUNT_RANGE:
	case SALES_COL_DATE_PREFIX:
		return 2;
	default:
		return 1;
	}
}

/* The plain form of one cell (see normalize.h); a cell that does not
 * parse is empty and goes to errors.csv.  The validator judges each cell
 * once and hands over what it parsed (sales_cell_parse). */
static void cell_value(struct norm *n, struct out *o, enum sales_sheet_id id,
		       const struct sales_record *rec,
		       const struct sales_colmap *map, int col)
{
	const struct sales_column_def *c = &map->def->columns[col];
	struct sales_cell_parsed p;
	const struct sales_amount *a;
	const struct sales_size *z;
	char buf[16];

	if (sales_cell_parse(id, col, rec->v[col], rec->v, SALES_DATE_NONE, &p,
			     &n->why) == SALES_CELL_INVALID) {
		empty_fields(o, width(c->type));
		error_row(n, rec, map, col, rec->v[col],
			  n->why.data ? n->why.data : "does not parse");
		return;
	}
	if (!p.len) {
		empty_fields(o, width(c->type));
		return;
	}
	if (!p.parsed) {
		/* valid by a sheet's own rule, but not in its column's type:
		 * no plain form to give, and never a silent empty cell */
		empty_fields(o, width(c->type));
		error_row(n, rec, map, col, rec->v[col],
			  "is valid but has no plain form of its column's type");
		return;
	}
	if (c->type == SALES_COL_DATE_PREFIX) {
		field(o, p.s, p.len);
		field_date(o, p.vs == SALES_VALUE_OK ? p.date : SALES_DATE_NONE);
		return;
	}
	if (p.vs != SALES_VALUE_OK) {
		/* valid but not known yet (待确认): no value */
		empty_fields(o, width(c->type));
		return;
	}
	switch (c->type) {
	case SALES_COL_DATE:
		field_date(o, p.date);
		break;
	case SALES_COL_DATE_RANGE:
	case SALES_COL_MONTH:
		field_date(o, p.range.start);
		field_date(o, p.range.end);
		break;
	case SALES_COL_AMOUNT:
		field_number(o, p.amount.lo);    /* one amount: lo == hi */
		break;
	case SALES_COL_AMOUNT_RANGE:
		a = &p.amount;
		if (a->flags & SALES_AMOUNT_LO)
			field_number(o, a->lo);
		else
			field_plain(o, "", 0);
		if (a->flags & SALES_AMOUNT_HI)
			field_number(o, a->hi);
		else
			field_plain(o, "", 0);
		break;
	case SALES_COL_AMOUNT_DELTA:
	case SALES_COL_PERCENT:
		field_number(o, p.number);
		break;
	case SALES_COL_SIZE:
		z = &p.size;
		if (z->has_employees) {
			field_long(o, z->emp_lo);
			if (z->emp_hi >= 0)
				field_long(o, z->emp_hi);
			else
				field_plain(o, "", 0);
		} else {
			empty_fields(o, 2);
		}
		if (z->has_revenue && (z->revenue.flags & SALES_AMOUNT_LO))
			field_number(o, z->revenue.lo);
		else
			field_plain(o, "", 0);
		if (z->has_revenue && (z->revenue.flags & SALES_AMOUNT_HI))
			field_number(o, z->revenue.hi);
		else
			field_plain(o, "", 0);
		break;
	case SALES_COL_GRADE:
		field_plain(o, &p.grade, 1);
		break;
	case SALES_COL_PHONE:
		field_plain(o, p.digits, strlen(p.digits));
		break;
	case SALES_COL_INTEGER:
		field_long(o, p.num);
		break;
	case SALES_COL_QUARTER:
		snprintf(buf, sizeof(buf), "%dQ%d", p.year, p.quarter);
		field_plain(o, buf, strlen(buf));
		break;
	case SALES_COL_ENUM:
		/* the validator's simplified spelling (跟進中 is 跟进中) */
		field_str(o, c->values[p.enum_index]);
		break;
	default:
		field(o, p.s, p.len);
		break;
	}
}

/* The column's memo, or NULL when it is not kept. */
static struct memo *memo_of(struct norm *n, enum sales_sheet_id id, int col)
{
	struct memo *m = &n->memo[id][col];

	if (m->off)
		return NULL;
	if (!m->slot) {
		if (sales_cell_reads_row(id, col) ||
		    !(m->slot = calloc(MEMO_SLOTS, sizeof(*m->slot)))) {
			m->off = true;
			return NULL;
		}
	}
	if (m->lookups == MEMO_TRIAL && m->hits < MEMO_TRIAL / 2) {
		free(m->slot);
		m->slot = NULL;
		m->off = true;
		return NULL;
	}
	return m;
}

static void memo_free(struct norm *n)
{
	for (size_t i = 0; i < SALES_NSHEETS; i++)
		for (size_t c = 0; c < SALES_MAX_COLS; c++)
			free(n->memo[i][c].slot);
}

/* One cell: a text as it is, any other through cell_value, or what
 * cell_value wrote for the same value before (the same bytes; a cell that
 * went to errors.csv is not kept). */
static void cell(struct norm *n, struct out *o, enum sales_sheet_id id,
		 const struct sales_record *rec, const struct sales_colmap *map,
		 int col)
{
	const struct sales_column_def *c = &map->def->columns[col];
	const char *v = rec->v[col];
	size_t len = strlen(v), mark = o->buf.len, errors = n->res->errors;
	struct memo_slot *slot = NULL;
	struct memo *m;
	char *p;

	if (c->type == SALES_COL_TEXT || c->type == SALES_COL_TIMESTAMP) {
		const char *t = sales_trim(v, &len);

		field(o, t, len);
		return;
	}
	/* every cell follows the row's fields: it starts with its comma */
	if (!o->first && len <= MEMO_KEY && (m = memo_of(n, id, col))) {
		slot = &m->slot[sales_hash(v, len) % MEMO_SLOTS];
		m->lookups++;
		if (slot->used && slot->klen == len && !memcmp(slot->key, v, len)) {
			m->hits++;
			if ((p = room(o, slot->olen)))
				done(o, (char *)memcpy(p, slot->out, slot->olen) + slot->olen);
			return;
		}
	}
	cell_value(n, o, id, rec, map, col);
	if (slot && errors == n->res->errors && !o->nomem &&
	    o->buf.len - mark <= MEMO_OUT) {
		slot->used = true;
		slot->klen = (uint8_t)len;
		memcpy(slot->key, v, len);
		slot->olen = (uint8_t)(o->buf.len - mark);
		memcpy(slot->out, o->buf.data + mark, slot->olen);
	}
}

static int sheet_row(struct norm *n, enum sales_sheet_id id,
		     const struct sales_record *rec, const struct sales_colmap *map)
{
	struct out *o = &n->out[id];
	const struct sales_sheet_def *d = map->def;

	head_fields(o);
	field_long(o, rec->row->line);
	for (size_t c = 0; c < d->ncolumns; c++)
		cell(n, o, id, rec, map, (int)c);
	end_line(o);
	n->res->rows++;
	if ((o->buf.len >= FLUSH_AT && flush(n, o) < 0) ||
	    (n->out[T_ERRORS].buf.len >= FLUSH_AT && flush(n, &n->out[T_ERRORS]) < 0))
		return -1;
	return 0;
}

/* The stage sheets reach their tables through the model's row hook: the
 * model (customers.csv's facts, model.h) and the tables come from one
 * read of each sheet.  With two threads the tables are written by a
 * thread of their own (writer), in the order of the rows. */
static void sheet_file_of(struct norm *n, enum sales_sheet_id id)
{
	n->sheet_file = sales_sheet_def(id)->file;
}

static int writer_batch(struct norm *n, struct qbatch *b)
{
	struct sales_record rec;
	struct sales_row row;

	if (b->nomem)
		return sales_error_set(n->err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	memset(&row, 0, sizeof(row));
	memset(&rec, 0, sizeof(rec));
	rec.row = &row;
	for (size_t i = 0; i < b->nrows; i++) {
		const struct qrow *r = &b->rows[i];

		row.line = r->line;
		row.excel_row = r->excel_row;
		for (size_t c = 0; c < r->ncols; c++)
			rec.v[c] = b->text.data + r->off[c];
		sheet_file_of(n, r->sheet);
		if (sheet_row(n, r->sheet, &rec, &n->q->maps[r->sheet]) < 0)
			return -1;
	}
	return 0;
}

static void *writer(void *ud)
{
	struct norm *n = ud;
	struct queue *q = n->q;
	int rc = 0;

	for (;;) {
		struct qbatch *b;

		pthread_mutex_lock(&q->mu);
		while (!q->filled && !q->end)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->filled) {
			pthread_mutex_unlock(&q->mu);
			break;
		}
		b = &q->b[q->head];
		pthread_mutex_unlock(&q->mu);
		if (!rc)
			rc = writer_batch(n, b);
		b->nrows = 0;
		sales_buf_reset(&b->text);
		pthread_mutex_lock(&q->mu);
		q->head = (q->head + 1) % Q_BATCHES;
		q->filled--;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
	q->rc = rc;
	return NULL;
}

/* Hands the loader's batch to the writer and waits for a free one. */
static void hand_over(struct queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->filled++;
	q->tail = (q->tail + 1) % Q_BATCHES;
	pthread_cond_broadcast(&q->cv);
	while (q->filled == Q_BATCHES)
		pthread_cond_wait(&q->cv, &q->mu);
	pthread_mutex_unlock(&q->mu);
}

static void enqueue(struct queue *q, const struct sales_row_event *ev)
{
	struct qbatch *b = &q->b[q->tail];
	struct qrow *r;
	size_t ncols = ev->map->def->ncolumns, len[SALES_MAX_COLS], total = 0;

	if (!q->maps[ev->sheet].def)
		q->maps[ev->sheet] = *ev->map;   /* def and file_col: all it uses */
	r = &b->rows[b->nrows++];
	r->sheet = ev->sheet;
	r->line = ev->rec->row->line;
	r->excel_row = ev->rec->row->excel_row;
	r->ncols = ncols;
	/* the record's cells, each with its NUL, in one growth of the text */
	for (size_t c = 0; c < ncols; c++) {
		len[c] = strlen(ev->rec->v[c]) + 1;
		total += len[c];
	}
	if (sales_buf_grow(&b->text, total) < 0) {
		b->nomem = true;
	} else {
		for (size_t c = 0; c < ncols; c++) {
			r->off[c] = b->text.len;
			memcpy(b->text.data + b->text.len, ev->rec->v[c], len[c]);
			b->text.len += len[c];
		}
	}
	if (b->nrows == Q_ROWS)
		hand_over(q);
}

static int stage_row(void *ud, const struct sales_row_event *ev,
		     struct sales_error *err)
{
	struct norm *n = ud;

	(void)err;   /* n->err is err: sales_normalize passes the same */
	if (n->q) {
		enqueue(n->q, ev);
		return 0;
	}
	sheet_file_of(n, ev->sheet);
	return sheet_row(n, ev->sheet, ev->rec, ev->map) < 0 ? -1 : 0;
}

/* Starts the writer thread, or leaves n->q NULL; whether the export has
 * two threads (sales_thread_count for 01-leads.csv's size). */
static bool queue_start(struct norm *n)
{
	struct queue *q;
	struct stat st;
	char *leads = table_path(n->o->workbook, "01-leads");
	unsigned long long bytes = leads && stat(leads, &st) == 0 ? (unsigned long long)st.st_size : 0;

	free(leads);
	if (sales_thread_count(bytes) < 2)
		return false;
	if (!(q = calloc(1, sizeof(*q))))
		return true;
	for (size_t i = 0; i < Q_BATCHES; i++)
		if (!(q->b[i].rows = malloc(Q_ROWS * sizeof(*q->b[i].rows)))) {
			for (size_t k = 0; k < i; k++)
				free(q->b[k].rows);
			free(q);
			return true;
		}
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	n->q = q;
	q->main_err = n->err;
	n->err = &q->err;    /* the writer's, until queue_finish */
	if (pthread_create(&q->thread, NULL, writer, n) != 0) {
		n->err = q->main_err;
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		for (size_t i = 0; i < Q_BATCHES; i++)
			free(q->b[i].rows);
		free(q);
		n->q = NULL;
	}
	return true;
}

/* Hands over the last rows, waits for the writer; -1 when it failed. */
static int queue_finish(struct norm *n)
{
	struct queue *q = n->q;
	int rc;

	if (!q)
		return 0;
	pthread_mutex_lock(&q->mu);
	if (q->b[q->tail].nrows) {
		q->filled++;
		q->tail = (q->tail + 1) % Q_BATCHES;
	}
	q->end = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	rc = q->rc;
	n->err = q->main_err;
	if (rc < 0)
		*n->err = q->err;
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	for (size_t i = 0; i < Q_BATCHES; i++) {
		free(q->b[i].rows);
		sales_buf_release(&q->b[i].text);
	}
	free(q);
	n->q = NULL;
	return rc;
}

static unsigned stage_sheets(void)
{
	unsigned sheets = 0;

	for (int i = 0; i < SALES_NSTAGES; i++)
		sheets |= 1u << i;
	return sheets;
}

/* One sheet the model does not read into its table. */
static int stream_sheet(struct norm *n, enum sales_sheet_id id)
{
	struct sales_sheet_reader *r = NULL;
	const struct sales_record *rec;
	int rc;

	if (!sales_sheet_exists(n->o->workbook, id))
		return 0;
	if (sales_sheet_open(n->o->workbook, id, SALES_ENC_AUTO, &r, n->err) < 0)
		return -1;
	n->sheet_file = sales_sheet_def(id)->file;
	while ((rc = sales_sheet_next(r, &rec, n->err)) > 0)
		if (sheet_row(n, id, rec, sales_sheet_colmap(r)) < 0) {
			rc = -1;
			break;
		}
	sales_sheet_close(r);
	return rc;
}

static int customer_rows(struct norm *n, const struct sales_model *m)
{
	struct out *o = &n->out[T_CUSTOMERS];
	size_t *ncon = calloc(m->ncustomers ? m->ncustomers : 1, sizeof(*ncon));

	if (!ncon)
		return sales_error_set(n->err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t k = 0; k < m->ncontracts; k++)
		if (m->contracts[k].customer < m->ncustomers)
			ncon[m->contracts[k].customer]++;
	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *c = &m->customers[i];
		int stage = sales_model_stage(c);
		sales_date first = SALES_DATE_NONE, last = SALES_DATE_NONE;
		char g = c->grade;

		for (int s = 0; s < SALES_NSTAGES; s++) {
			struct sales_stage_rows r;

			sales_customer_stage(m, c, s, &r);
			if (r.first != SALES_DATE_NONE &&
			    (first == SALES_DATE_NONE || r.first < first))
				first = r.first;
			if (r.last != SALES_DATE_NONE &&
			    (last == SALES_DATE_NONE || r.last > last))
				last = r.last;
		}
		head_fields(o);
		if (c->lead_line)
			field_long(o, c->lead_line);
		else
			field_plain(o, "", 0);
		field_str(o, sales_model_str(m, c->name));
		if (stage >= 0) {
			field_str(o, sales_sheet_def((enum sales_sheet_id)stage)->stage);
			field_long(o, stage + 1);
		} else {
			empty_fields(o, 2);
		}
		field_date(o, first);
		field_date(o, last);
		field_plain(o, &g, g ? 1 : 0);
		field_str(o, sales_model_str(m, sales_customer_owner(m, c)));
		field_str(o, sales_model_str(m, sales_customer_region(m, c)));
		field_str(o, sales_model_str(m, sales_customer_product_line(m, c)));
		field_str(o, sales_model_str(m, sales_customer_industry(m, c)));
		field_str(o, c->status >= 0 ? sales_lead_statuses[c->status] : "");
		field_date(o, sales_customer_registered(m, c));
		field_date(o, sales_customer_last_contact(m, c));
		field_date(o, sales_customer_signed_first(m, c));
		field_long(o, (long)ncon[i]);
		field_long(o, (long)sales_customer_nfollowups(m, c));
		end_line(o);
		if (o->buf.len >= FLUSH_AT && flush(n, o) < 0) {
			free(ncon);
			return -1;
		}
	}
	free(ncon);
	return 0;
}

/* ---- appending ---- */

static char *table_path(const char *dir, const char *name)
{
	struct sales_buf b = {0};

	if (sales_buf_printf(&b, "%s/%s.csv", dir, name) < 0) {
		sales_buf_release(&b);
		return NULL;
	}
	return sales_buf_detach(&b, NULL);
}

/* Copies the existing table at path into o, after checking its header is
 * the one this version writes.  A missing file is fine. */
static int copy_existing(struct norm *n, struct out *o, const char *path,
			 const struct sales_norm_table *t)
{
	struct sales_buf want = {0};
	struct out h = { .first = true };
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;
	size_t seen = 0;
	int rc = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 :
		       sales_error_set(n->err, SALES_EIO, path, 0, 0,
				       "cannot open: %s", strerror(errno));
	header(&h, t);
	want = h.buf;
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		size_t k = (size_t)got;

		if (seen < want.len) {
			size_t cmp = k < want.len - seen ? k : want.len - seen;

			if (memcmp(buf, want.data + seen, cmp)) {
				rc = sales_error_set(n->err, SALES_ESCHEMA, path, 1, 0,
						     "not a table of this export: its header is not '%.*s'",
						     (int)want.len - 1, want.data);
				break;
			}
		}
		seen += k;
		if ((rc = sales_atomic_write(&o->f, buf, k, n->err)) < 0)
			break;
	}
	if (!rc && got < 0)
		rc = sales_error_set(n->err, SALES_EIO, path, 0, 0,
				     "cannot read: %s", strerror(errno));
	if (!rc && seen < want.len)
		rc = sales_error_set(n->err, SALES_ESCHEMA, path, 1, 0,
				     "not a table of this export (too short)");
	close(fd);
	sales_buf_release(&want);
	return rc;
}

/* Whether workbooks.csv in dir lists id (its first field). */
static int id_taken(struct norm *n, const char *dir, bool *taken)
{
	char *path = table_path(dir, "workbooks"), *data = NULL;
	size_t len, idlen = strlen(n->res->id);
	int rc = 0;

	*taken = false;
	if (!path)
		return sales_error_set(n->err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (access(path, F_OK) == 0) {
		if (sales_read_file(path, &data, &len, n->err) < 0) {
			rc = -1;
		} else {
			for (char *p = data; p && *p; ) {
				char *eol = strchr(p, '\n');

				if (!strncmp(p, n->res->id, idlen) && p[idlen] == ',')
					*taken = true;
				p = eol ? eol + 1 : NULL;
			}
		}
	}
	free(data);
	free(path);
	return rc;
}

/* ---- the export ---- */

static void discard_all(struct norm *n)
{
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++) {
		if (n->out[i].open)
			sales_atomic_discard(&n->out[i].f);
		sales_buf_release(&n->out[i].buf);
		n->out[i].open = false;
	}
}

/* The wait for the disk (sales_atomic_prepare's fsync) of the tables that
 * are complete, in a thread of its own, while the export goes on with the
 * others: the stage sheets' tables are done when the model is loaded, and
 * their fsyncs overlap the other sheets and customers.csv. */
struct syncer {
	pthread_t thread;
	struct out *out;
	uint32_t tables;      /* bit i: out[i] */
	int rc;               /* 0, or -1 with err */
	struct sales_error err;
	bool started;
};

static void *sync_tables(void *ud)
{
	struct syncer *s = ud;

	for (size_t i = 0; i < SALES_NORM_NTABLES; i++)
		if ((s->tables >> i & 1u) &&
		    sales_atomic_prepare(&s->out[i].f, &s->err) < 0) {
			s->rc = -1;
			break;
		}
	return NULL;
}

/* Flushes the tables in mask and fsyncs them in the syncer's thread (or
 * here, when it cannot start). */
static int sync_start(struct norm *n, struct syncer *s, uint32_t mask)
{
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++)
		if ((mask >> i & 1u) && flush(n, &n->out[i]) < 0)
			return -1;
	s->out = n->out;
	s->tables = mask;
	if (pthread_create(&s->thread, NULL, sync_tables, s) == 0) {
		s->started = true;
		return 0;
	}
	sync_tables(s);
	if (s->rc < 0)
		*n->err = s->err;
	return s->rc;
}

/* Waits for the syncer; -1 with err when an fsync failed. */
static int sync_finish(struct norm *n, struct syncer *s)
{
	if (!s->started)
		return 0;
	pthread_join(s->thread, NULL);
	s->started = false;
	if (s->rc < 0) {
		*n->err = s->err;
		return -1;
	}
	return 0;
}

static int open_all(struct norm *n)
{
	const char *dir = n->o->out;
	struct out h = { .first = true };

	field_str(&h, n->res->id);
	field_str(&h, n->res->name);
	n->head = h.buf;
	n->dates = malloc(DATE_CACHE * sizeof(*n->dates));
	if (h.nomem || !n->dates)
		return sales_error_set(n->err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	for (size_t i = 0; i < DATE_CACHE; i++)
		n->dates[i].d = SALES_DATE_NONE;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return sales_error_set(n->err, SALES_EIO, dir, 0, 0,
				       "cannot create the folder: %s", strerror(errno));
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++) {
		struct sales_norm_table t;
		struct out *o = &n->out[i];
		char *path;
		int rc;

		sales_norm_table(i, &t);
		if (!(path = table_path(dir, t.name)))
			return sales_error_set(n->err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		rc = sales_atomic_open(&o->f, path, n->err);
		o->open = true;
		o->first = true;
		o->head = n->head.data;
		o->head_len = n->head.len;
		o->dates = n->dates;
		if (rc == 0 && n->o->append && access(path, F_OK) == 0)
			rc = copy_existing(n, o, path, &t);
		else if (rc == 0)
			header(o, &t);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int sales_normalize(const struct sales_norm_options *o,
		    struct sales_norm_result *res, struct sales_error *err)
{
	struct norm n = { .o = o, .res = res, .err = err };
	struct sales_context ctx;
	struct sales_model *m = NULL;
	struct out *w;
	struct syncer sync = { .rc = 0 };
	int rc = -1;
	bool taken, threads;

	memset(res, 0, sizeof(*res));
	if (!sales_sheet_exists(o->workbook, SALES_LEADS))
		return sales_error_set(err, SALES_ENOTFOUND, o->workbook, 0, 0,
				       "not a workbook: no %s",
				       sales_sheet_def(SALES_LEADS)->file);
	if (sales_context_load(&ctx, o->workbook, o->today, err) < 0)
		return -1;
	if (workbook_id(&n, &ctx) < 0)
		goto out;
	if (o->append) {
		if (id_taken(&n, o->out, &taken) < 0)
			goto out;
		if (taken) {
			sales_error_set(err, SALES_EEXIST, o->out, 0, 0,
					"workbook '%s' (%s) is already in this export",
					res->id, res->name);
			goto out;
		}
	}
	if (open_all(&n) < 0)
		goto out;
	/* the stage sheets through the model, the others on their own; the
	 * tables do not depend on the order */
	threads = queue_start(&n);
	if (sales_model_load(&m, &ctx, stage_sheets(), stage_row, &n, err) < 0) {
		queue_finish(&n);
		goto out;
	}
	if (queue_finish(&n) < 0)
		goto out;
	if (threads && sync_start(&n, &sync, stage_sheets()) < 0)
		goto out;
	for (int id = 0; id < SALES_NSHEETS; id++)
		if (!(stage_sheets() & (1u << id)) &&
		    stream_sheet(&n, (enum sales_sheet_id)id) < 0)
			goto out;
	if (customer_rows(&n, m) < 0)
		goto out;
	w = &n.out[T_WORKBOOKS];
	head_fields(w);
	field_date(w, o->today);
	field_long(w, (long)res->rows);
	field_long(w, (long)res->errors);
	end_line(w);
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++)
		if (!(sync.tables >> i & 1u) &&
		    (flush(&n, &n.out[i]) < 0 ||
		     sales_atomic_prepare(&n.out[i].f, err) < 0))
			goto out;
	if (sync_finish(&n, &sync) < 0)
		goto out;
	/* Every file's data is on disk (fsynced) before any is renamed, so
	 * each name is its whole old or whole new table, even across a crash
	 * of the machine.  One fsync of the folder makes the tables' renames
	 * durable before workbooks.csv, which says which workbooks the tables
	 * hold, is renamed and fsynced last: the order between the other
	 * tables' renames is no promise, so they share one. */
	sales_test_crash("export-prepared");
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++) {
		if (i == T_WORKBOOKS)
			continue;
		if (sales_atomic_rename(&n.out[i].f, err) < 0)
			goto out;
		n.out[i].open = false;
	}
	sales_fsync_dir_of(n.out[T_WORKBOOKS].f.path);
	sales_test_crash("export-renamed");
	if (sales_atomic_publish(&n.out[T_WORKBOOKS].f, err) < 0)
		goto out;
	n.out[T_WORKBOOKS].open = false;
	rc = 0;
out:
	sync_finish(&n, &sync);
	discard_all(&n);
	memo_free(&n);
	sales_buf_release(&n.why);
	sales_buf_release(&n.head);
	free(n.dates);
	sales_model_free(m);
	sales_context_release(&ctx);
	return rc;
}
