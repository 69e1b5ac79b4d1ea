#include "leads.h"
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "txn.h"
#include "validate.h"
#include "workbook.h"

/* ---- values ---- */

int sales_lead_value(const struct sales_context *ctx, int col,
		     const char *value, struct sales_buf *out,
		     struct sales_error *err)
{
	size_t len = value ? strlen(value) : 0;
	const char *s = sales_trim(value ? value : "", &len);
	sales_date today = ctx ? ctx->today : SALES_DATE_NONE;
	struct sales_buf why = {0};
	enum sales_cell_status st;

	if (!len) {
		if (col == LEAD_CUSTOMER)
			return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
					       "客户名称 (customer) is empty");
		return 0;
	}
	st = sales_cell_team_check(ctx, SALES_LEADS, col, s, &why);
	if (st == SALES_CELL_OK)
		st = sales_cell_value(SALES_LEADS, col, s, today, out, &why);
	if (st != SALES_CELL_OK)
		sales_cell_error(st, NULL, &why, err);
	sales_buf_release(&why);
	return st == SALES_CELL_OK ? 0 : -1;
}

static bool blank(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	sales_trim(s ? s : "", &len);
	return len == 0;
}

void sales_lead_defaults(const struct sales_context *ctx, const char **v,
			 char today_buf[11])
{
	if (blank(v[LEAD_REGISTERED]))
		v[LEAD_REGISTERED] = sales_date_format(ctx->today, today_buf);
	if (blank(v[LEAD_STATUS]))
		v[LEAD_STATUS] = sales_lead_statuses[SALES_LEAD_NEW];
	if (blank(v[LEAD_LAST_CONTACT]))
		v[LEAD_LAST_CONTACT] = v[LEAD_REGISTERED];
}

int sales_lead_check_row(const char *const *v, int *col,
			 struct sales_error *err)
{
	const char *r = v[LEAD_REGISTERED] ? v[LEAD_REGISTERED] : "";
	const char *l = v[LEAD_LAST_CONTACT] ? v[LEAD_LAST_CONTACT] : "";
	sales_date rd, ld;

	if (sales_parse_date(r, strlen(r), &rd) == SALES_VALUE_OK &&
	    sales_parse_date(l, strlen(l), &ld) == SALES_VALUE_OK && ld < rd) {
		*col = LEAD_LAST_CONTACT;
		return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
				       "最后跟进时间 %s is before 登记日期 %s",
				       l, r);
	}
	return 0;
}

/* ---- duplicates ---- */

void sales_lead_keys(const char *customer, const char *phone,
		     struct sales_lead_keys *k)
{
	unsigned flags = 0;

	customer = customer ? customer : "";
	phone = phone ? phone : "";
	sales_name_key(customer, strlen(customer), k->name, sizeof(k->name));
	if (sales_parse_phone(phone, strlen(phone), k->phone, sizeof(k->phone),
			      &flags) != SALES_VALUE_OK ||
	    (flags & (SALES_PHONE_MANGLED | SALES_PHONE_PARTIAL)) ||
	    strlen(k->phone) < 7)
		k->phone[0] = '\0';
}

enum { KEY_NAME, KEY_PHONE };

struct dedup_entry {
	uint64_t hash;
	size_t off;      /* into pool: kind byte, then the NUL-terminated key */
	size_t id;
};

/* Bits of the first code points of the name keys held (cp % FIRST_BITS):
 * a row whose name starts elsewhere cannot match by name, so a scan does
 * not key it. */
#define FIRST_BITS 4096u

struct sales_dedup {
	struct dedup_entry *ent;
	size_t n, cap;
	uint64_t first[FIRST_BITS / 64];
	uint32_t *slot;  /* entry index + 1, 0 = empty */
	size_t nslot;    /* power of two */
	struct sales_buf pool;
};

struct sales_dedup *sales_dedup_new(void)
{
	return calloc(1, sizeof(struct sales_dedup));
}

void sales_dedup_free(struct sales_dedup *d)
{
	if (!d)
		return;
	free(d->ent);
	free(d->slot);
	sales_buf_release(&d->pool);
	free(d);
}

static uint64_t key_hash(int kind, const char *key)
{
	return sales_hash(key, strlen(key)) ^ (uint64_t)(kind + 1) * 0x9e3779b97f4a7c15ull;
}

static long find_kind(const struct sales_dedup *d, int kind, const char *key)
{
	uint64_t h;

	if (!*key || !d->nslot)
		return -1;
	h = key_hash(kind, key);
	for (size_t i = h & (d->nslot - 1);; i = (i + 1) & (d->nslot - 1)) {
		const struct dedup_entry *e;
		const char *p;

		if (!d->slot[i])
			return -1;
		e = &d->ent[d->slot[i] - 1];
		p = d->pool.data + e->off;
		if (e->hash == h && *p == (char)kind && !strcmp(p + 1, key))
			return (long)e->id;
	}
}

static int rehash(struct sales_dedup *d, size_t nslot)
{
	uint32_t *s = sales_zalloc(nslot, sizeof(*s));

	if (!s)
		return -1;
	for (size_t k = 0; k < d->n; k++) {
		size_t i = d->ent[k].hash & (nslot - 1);

		while (s[i])
			i = (i + 1) & (nslot - 1);
		s[i] = (uint32_t)(k + 1);
	}
	free(d->slot);
	d->slot = s;
	d->nslot = nslot;
	return 0;
}

static int insert_kind(struct sales_dedup *d, int kind, const char *key,
		       size_t id)
{
	struct dedup_entry *e;
	char k = (char)kind;

	if (!*key || find_kind(d, kind, key) >= 0)
		return 0;
	if (SALES_ALLOC_GROW(d->ent, d->n + 1, d->cap) < 0)
		return -1;
	if ((d->n + 1) * 2 > d->nslot &&
	    rehash(d, d->nslot ? d->nslot * 2 : 32) < 0)
		return -1;
	if (kind == KEY_NAME) {
		uint32_t f = sales_name_key_first(key, strlen(key)) % FIRST_BITS;

		d->first[f / 64] |= 1ull << (f % 64);
	}
	e = &d->ent[d->n];
	e->hash = key_hash(kind, key);
	e->off = d->pool.len;
	e->id = id;
	if (sales_buf_add(&d->pool, &k, 1) < 0 ||
	    sales_buf_add(&d->pool, key, strlen(key) + 1) < 0)
		return -1;
	d->n++;
	for (size_t i = e->hash & (d->nslot - 1);; i = (i + 1) & (d->nslot - 1))
		if (!d->slot[i]) {
			d->slot[i] = (uint32_t)d->n;
			break;
		}
	return 0;
}

static long find_keys(const struct sales_dedup *d,
		      const struct sales_lead_keys *k, int *col)
{
	long id = find_kind(d, KEY_NAME, k->name);

	if (id >= 0) {
		*col = LEAD_CUSTOMER;
		return id;
	}
	id = find_kind(d, KEY_PHONE, k->phone);
	if (id >= 0)
		*col = LEAD_PHONE;
	return id;
}

long sales_dedup_find(const struct sales_dedup *d, const char *customer,
		      const char *phone, int *col)
{
	struct sales_lead_keys k;

	sales_lead_keys(customer, phone, &k);
	return find_keys(d, &k, col);
}

long sales_dedup_add(struct sales_dedup *d, const char *customer,
		     const char *phone, size_t id, int *col)
{
	struct sales_lead_keys k;
	long earlier;

	sales_lead_keys(customer, phone, &k);
	earlier = find_keys(d, &k, col);
	if (insert_kind(d, KEY_NAME, k.name, id) < 0 ||
	    insert_kind(d, KEY_PHONE, k.phone, id) < 0)
		return -2;
	return earlier;
}

static int report_dup(sales_lead_dup_fn fn, void *ud,
		      const struct sales_record *rec,
		      const struct sales_colmap *map, long id, int col)
{
	struct sales_lead_dup dup;
	char letters[8];

	dup.candidate = (size_t)id;
	dup.col = col;
	dup.file = map->def->file;
	dup.line = rec->row->line;
	snprintf(dup.cell, sizeof(dup.cell), "%s%ld",
		 sales_column_letters(map->file_col[col] + 1, letters),
		 rec->row->excel_row);
	dup.customer = rec->v[LEAD_CUSTOMER];
	dup.value = rec->v[col];
	return fn ? fn(ud, &dup) : 0;
}

/* false when no candidate's name key starts as customer's would. */
static bool could_be_named(const struct sales_dedup *d, const char *customer)
{
	uint32_t f = sales_name_key_first(customer, strlen(customer)) % FIRST_BITS;

	return (d->first[f / 64] >> (f % 64)) & 1;
}

int sales_leads_scan_row(const struct sales_dedup *d,
			 const struct sales_record *rec,
			 const struct sales_colmap *map, sales_lead_dup_fn fn,
			 void *ud, struct sales_lead_scan *out)
{
	const char *no = rec->v[LEAD_NO];
	struct sales_lead_keys k;
	long n, by_name, by_phone;

	out->nrows++;
	if (sales_parse_int(no, strlen(no), &n) == SALES_VALUE_OK &&
	    n > out->max_no)
		out->max_no = n;
	if (!d || !d->n)
		return 0;
	if (could_be_named(d, rec->v[LEAD_CUSTOMER])) {
		sales_lead_keys(rec->v[LEAD_CUSTOMER], rec->v[LEAD_PHONE], &k);
	} else {
		/* its name key cannot match: only its phone is keyed */
		sales_lead_keys("", rec->v[LEAD_PHONE], &k);
	}
	by_name = find_kind(d, KEY_NAME, k.name);
	by_phone = find_kind(d, KEY_PHONE, k.phone);
	if (by_name >= 0 &&
	    report_dup(fn, ud, rec, map, by_name, LEAD_CUSTOMER))
		return 1;
	if (by_phone >= 0 && by_phone != by_name &&
	    report_dup(fn, ud, rec, map, by_phone, LEAD_PHONE))
		return 1;
	return 0;
}

int sales_leads_scan(const char *dir, const struct sales_dedup *d,
		     sales_lead_dup_fn fn, void *ud,
		     struct sales_lead_scan *out, struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0)
		if (sales_leads_scan_row(d, rec, sales_sheet_colmap(r), fn, ud,
					 out))
			break;
	sales_sheet_close(r);
	return rc < 0 ? -1 : 0;
}

/* ---- renaming a lead ---- */

struct rename_walk {
	const char *old, *copy;
	size_t oldlen;
	int ccol;
	size_t rows;
};

/* sales_txn_stream's callback: a row naming the old customer (blanks
 * around it ignored) gets the new name. */
static int rename_row(struct sales_txn_stream *s, const char *const *v,
		      long line, void *arg, struct sales_error *err)
{
	struct rename_walk *w = arg;
	size_t vl = strlen(v[w->ccol]);
	const char *name = sales_trim(v[w->ccol], &vl);

	(void)line;
	if (vl != w->oldlen || memcmp(name, w->old, vl))
		return 0;
	w->rows++;
	return sales_txn_stream_set(s, w->ccol, w->copy, err);
}

/* The rename's first pass over 01: the lead's row (at line, named old) and
 * the first other lead the new name would duplicate. */
struct rename_check {
	long line;
	const char *old, *nv;
	size_t oldlen, len;
	const char *new_key;
	struct sales_buf *cell;      /* the lead's 客户名称 as the cell holds it */
	bool seen;
	long clash_line;
	struct sales_buf clash;
};

static int rename_check_row(struct sales_txn_stream *s, const char *const *v,
			    long line, void *arg, struct sales_error *err)
{
	struct rename_check *rc = arg;
	const char *other = v[LEAD_CUSTOMER];
	size_t ol = strlen(other);
	char key[512];

	(void)s;
	other = sales_trim(other, &ol);
	if (line == rc->line) {
		if (ol != rc->oldlen || memcmp(other, rc->old, ol))
			return sales_txn_changed(SALES_LEADS, line, err);
		rc->seen = true;
		if (sales_buf_addstr(rc->cell, v[LEAD_CUSTOMER]) < 0)
			goto nomem;
		return 0;
	}
	if (rc->clash_line)
		return 0;
	sales_name_key(other, ol, key, sizeof(key));
	if ((ol == rc->len && !memcmp(other, rc->nv, rc->len)) ||
	    (rc->new_key[0] && !strcmp(key, rc->new_key))) {
		rc->clash_line = line;
		if (sales_buf_add(&rc->clash, other, ol) < 0 ||
		    sales_buf_addstr(&rc->clash, "") < 0)
			goto nomem;
	}
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

int sales_lead_rename(struct sales_txn *t, long line, const char *old_name,
		      const char *new_name, struct sales_lead_renamed *out,
		      struct sales_error *err)
{
	const char *file = sales_sheet_def(SALES_LEADS)->file;
	char new_key[512];
	size_t len = strlen(new_name), oldlen = strlen(old_name);
	const char *nv = sales_trim(new_name, &len);
	const char *old = sales_trim(old_name, &oldlen);
	struct rename_check rc = { 0 };
	char *copy = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!len)
		return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
				       _("the new 客户名称 is empty"));
	sales_name_key(nv, len, new_key, sizeof(new_key));
	rc.line = line;
	rc.old = old;
	rc.oldlen = oldlen;
	rc.nv = nv;
	rc.len = len;
	rc.new_key = new_key;
	rc.cell = &out->old;
	/* 01 read once to check the new name against every other lead */
	if (sales_txn_each(t, SALES_LEADS, NULL, 0, rename_check_row, &rc, err) < 0)
		goto out;
	if (!rc.seen) {
		sales_txn_changed(SALES_LEADS, line, err);
		goto out;
	}
	if (rc.clash_line) {
		sales_error_set(err, SALES_EEXIST, file, rc.clash_line, 0,
				_("'%.*s' would duplicate the lead '%.*s': the same customer once spaces, brackets, traditional characters and company forms are ignored"),
				(int)len, nv, (int)strlen(rc.clash.data), rc.clash.data);
		goto out;
	}
	if (!(copy = strndup(nv, len))) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const struct sales_sheet_def *def = sales_sheet_def(id);
		int ccol = sales_column_find(def, "customer");
		/* every sheet rewritten record by record, not held (or walked
		 * loaded, where the stream cannot) */
		struct rename_walk w = { old, copy, oldlen, ccol, 0 };

		if (ccol < 0 || id == SALES_AUDIT ||
		    !sales_sheet_exists(t->dir, (enum sales_sheet_id)id))
			continue;
		if (sales_txn_each(t, (enum sales_sheet_id)id, &ccol, 1,
				   rename_row, &w, err) < 0)
			goto out;
		out->rows[id] += w.rows;
		out->total += w.rows;
	}
	ret = 0;
out:
	free(copy);
	sales_buf_release(&rc.clash);
	return ret;
}
