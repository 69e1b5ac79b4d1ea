/*
 * damage.c - what a spreadsheet did to cells sales wrote; see damage.h.
 *
 * One open-addressing table of 64-bit hashes: (sheet, column, row key) ->
 * the last value sales wrote there, kept only when a spreadsheet could
 * change it; and (sheet, KEYCANON, the key's number) -> a numeric key as
 * sales wrote it, so that a key 12 finds the 0012 it came from.
 */
#include "damage.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "buf.h"
#include "i18n.h"
#include "text.h"
#include "txn.h"
#include "value.h"
#include "workbook.h"

#define NO_VALUE UINT32_MAX
#define KEYCANON 0xFF

struct went {
	uint64_t h;        /* 0: free slot */
	uint32_t val;      /* offset in pool, NO_VALUE: written, not at risk */
	uint32_t line;     /* audit.csv line */
};

struct sales_written {
	struct went *e;
	size_t cap, n;
	struct sales_buf pool;
	uint32_t cols[SALES_NSHEETS];   /* bit per column with a kept value */
	size_t kept;
};

/* ---- what a spreadsheet reads as a number or a date ---- */

/* A number as a spreadsheet reads it: sign, digits (thousands commas),
 * decimals, exponent, percent.  *plain: written the way a spreadsheet
 * writes that number back (no +, comma, %, exponent, leading or trailing
 * zeros). */
static bool number_like(const char *s, double *val, bool *plain)
{
	const char *p = s;
	char digits[128];
	size_t n = 0, intdig = 0, frac = 0;
	bool pl = true, pct = false;
	char *end;

	if (*p == '+') {
		pl = false;
		p++;
	} else if (*p == '-') {
		digits[n++] = *p++;
	}
	if (*p == '0' && isdigit((unsigned char)p[1]))
		pl = false;
	while (isdigit((unsigned char)*p) || (*p == ',' && intdig &&
					      isdigit((unsigned char)p[1]))) {
		if (*p == ',')
			pl = false;
		else if (n < sizeof(digits) - 8)
			digits[n++] = *p, intdig++;
		else
			return false;
		p++;
	}
	if (*p == '.') {
		if (!intdig)
			pl = false;
		digits[n++] = *p++;
		while (isdigit((unsigned char)*p) && n < sizeof(digits) - 8) {
			digits[n++] = *p++;
			frac++;
		}
		if (!frac || digits[n - 1] == '0')
			pl = false;
	}
	if (!intdig && !frac)
		return false;
	if ((*p == 'e' || *p == 'E') &&
	    (isdigit((unsigned char)p[1]) ||
	     ((p[1] == '+' || p[1] == '-') && isdigit((unsigned char)p[2])))) {
		pl = false;
		digits[n++] = *p++;
		if (*p == '+' || *p == '-')
			digits[n++] = *p++;
		while (isdigit((unsigned char)*p) && n < sizeof(digits) - 2)
			digits[n++] = *p++;
	}
	if (*p == '%') {
		pct = true;
		pl = false;
		p++;
	}
	if (*p)
		return false;
	digits[n] = '\0';
	*val = strtod(digits, &end);
	if (pct)
		*val /= 100;
	*plain = pl;
	return true;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool month_word(const char *s, size_t len)
{
	static const char *const m[] = { "jan", "feb", "mar", "apr", "may",
		"jun", "jul", "aug", "sep", "oct", "nov", "dec" };

	if (len < 3 || len > 9)
		return false;
	for (size_t i = 0; i < 12; i++)
		if (!strncasecmp(s, m[i], 3))
			return true;
	return false;
}

/* 1/2, 3-4, 2024/1/2 (2 or 3 runs of digits joined by / or -), Jan 5,
 * 5-Jan: what number detection reads as a date. */
static bool date_shaped(const char *s)
{
	const char *p = s;
	size_t runs = 0, len;

	while (*p) {
		size_t d = 0;

		while (isdigit((unsigned char)p[d]))
			d++;
		if (!d || d > 4)
			break;
		runs++;
		p += d;
		if (!*p)
			return runs >= 2 && runs <= 3;
		if (*p != '/' && *p != '-')
			break;
		p++;
	}
	/* a month word and a day, either way round */
	len = strlen(s);
	for (size_t i = 0; i < len; i++)
		if (s[i] == ' ' || s[i] == '-') {
			const char *a = s, *b = s + i + 1;
			size_t alen = i, blen = len - i - 1;

			if (month_word(a, alen) && blen && blen <= 2 &&
			    all_digits(b))
				return true;
			if (alen && alen <= 2 && month_word(b, blen)) {
				for (size_t k = 0; k < alen; k++)
					if (!isdigit((unsigned char)a[k]))
						return false;
				return true;
			}
			break;
		}
	return false;
}

/* Is now a date as a spreadsheet writes one (read or not by sales)? */
static bool date_written(const char *now)
{
	sales_date d;
	size_t len = strlen(now);

	return sales_parse_date(now, len, &d) == SALES_VALUE_OK ||
	       sales_date_ambiguous(now, len) || date_shaped(now);
}

static bool same_number(double a, double b, bool loose)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	if (a == b)
		return true;
	return loose && fabs(a - b) <= m * 1e-14;
}

enum sales_damage_kind sales_damage_judge(const char *written, const char *now,
					  bool renumber)
{
	double wv, nv;
	bool wplain, nplain, wnum, nnum;

	if (!strcmp(written, now) || !*now || !*written)
		return SALES_DAMAGE_NONE;
	wnum = number_like(written, &wv, &wplain);
	nnum = number_like(now, &nv, &nplain);
	if (all_digits(written)) {
		size_t i = 0, len = strlen(written);

		while (written[i] == '0' && written[i + 1])
			i++;
		if (i && !strcmp(written + i, now))
			return SALES_DAMAGE_ZEROS;
		if (len - i >= 12 && nnum && (strchr(now, 'E') || strchr(now, 'e') ||
					      all_digits(now)) &&
		    same_number(wv, nv, true))
			return SALES_DAMAGE_DIGITS;
	}
	if (wnum && nnum && same_number(wv, nv, false))
		return renumber || !wplain ? SALES_DAMAGE_NUMBER :
		       SALES_DAMAGE_NONE;
	if (renumber && nnum)
		return SALES_DAMAGE_RENUMBERED;
	if (!wnum && date_shaped(written) && date_written(now)) {
		sales_date d;

		if (sales_parse_date(written, strlen(written), &d) !=
		    SALES_VALUE_OK)
			return SALES_DAMAGE_DATE;
	}
	return SALES_DAMAGE_NONE;
}

const char *sales_damage_text(enum sales_damage_kind kind)
{
	switch (kind) {
	case SALES_DAMAGE_ZEROS:
		return _("a spreadsheet read the digits as a number and dropped the leading zeros");
	case SALES_DAMAGE_DIGITS:
		return _("a spreadsheet read the digit string as a number: it keeps 15 digits, the rest are gone");
	case SALES_DAMAGE_NUMBER:
		return _("a spreadsheet read the text as a number and wrote the number its own way");
	case SALES_DAMAGE_DATE:
		return _("a spreadsheet read the text as a date");
	case SALES_DAMAGE_RENUMBERED:
		return _("the 序号 was renumbered (rows sorted, or the column filled, in a spreadsheet)");
	default:
		return "";
	}
}

/* ---- the table ---- */

static bool date_type(enum sales_coltype t)
{
	return t == SALES_COL_DATE || t == SALES_COL_DATE_RANGE ||
	       t == SALES_COL_MONTH || t == SALES_COL_DATE_PREFIX ||
	       t == SALES_COL_TIMESTAMP;
}

/* The sheets where the audit key names one row. */
static bool row_keyed(enum sales_sheet_id id)
{
	const int *cols;
	bool unique;
	int b, a = sales_row_key_cols(id, &b);
	size_t n = sales_sheet_key(id, &cols, &unique);

	return unique && n == (b >= 0 ? 2u : 1u) && cols[0] == a &&
	       (b < 0 || cols[1] == b);
}

/* The key column when the key is one column, else -1. */
static int key_col(enum sales_sheet_id id)
{
	int b, a = sales_row_key_cols(id, &b);

	return b < 0 ? a : -1;
}

static uint64_t hash3(int sheet, int col, const char *s)
{
	uint64_t h;
	size_t len = strlen(s);
	char small[256], *buf = len + 2 <= sizeof(small) ? small : malloc(len + 2);

	if (!buf)
		return 1;   /* out of memory: a hash that finds nothing */
	buf[0] = (char)(sheet + 1);
	buf[1] = (char)(col + 1);
	memcpy(buf + 2, s, len);
	h = sales_hash(buf, len + 2);
	if (buf != small)
		free(buf);
	return h ? h : 1;
}

static struct went *slot(const struct sales_written *w, uint64_t h)
{
	size_t i;

	if (!w->cap)
		return NULL;
	for (i = (size_t)h & (w->cap - 1); w->e[i].h; i = (i + 1) & (w->cap - 1))
		if (w->e[i].h == h)
			return &w->e[i];
	return &w->e[i];
}

static int grow(struct sales_written *w)
{
	size_t ncap = w->cap ? w->cap * 2 : 1024;
	struct went *old = w->e;
	size_t ocap = w->cap;

	if ((w->n + 1) * 2 < w->cap)
		return 0;
	w->e = sales_zalloc(ncap, sizeof(*w->e));
	if (!w->e) {
		w->e = old;
		return -1;
	}
	w->cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].h)
			*slot(w, old[i].h) = old[i];
	free(old);
	return 0;
}

/* Sets h to value (NULL: written, nothing kept); -1 on ENOMEM. */
static int put(struct sales_written *w, uint64_t h, const char *value,
	       long line)
{
	struct went *e;

	if (grow(w) < 0)
		return -1;
	e = slot(w, h);
	if (!e->h) {
		if (!value)
			return 0;   /* never kept: nothing to forget */
		e->h = h;
		w->n++;
	}
	e->line = (uint32_t)line;
	e->val = NO_VALUE;
	if (value) {
		if (w->pool.len >= NO_VALUE - strlen(value) - 1)
			return -1;
		e->val = (uint32_t)w->pool.len;
		if (sales_buf_add(&w->pool, value, strlen(value) + 1) < 0)
			return -1;
	}
	return 0;
}

static const struct went *get(const struct sales_written *w, uint64_t h)
{
	const struct went *e = slot(w, h);

	return e && e->h ? e : NULL;
}

/* Could a spreadsheet change value v of column col? */
static bool at_risk(enum sales_sheet_id id, int col, const char *v)
{
	const struct sales_column_def *c = &sales_sheet_def(id)->columns[col];
	double val;
	bool plain;

	if (!*v || date_type(c->type))
		return false;
	if (id == SALES_LEADS && col == LEAD_NO)
		return true;
	if (number_like(v, &val, &plain))
		return col == key_col(id) || !plain ||
		       (all_digits(v) && strlen(v) >= 12);
	return date_shaped(v);
}

/* The number a numeric key stands for, as a string ("%.14e"). */
static void key_canon(const char *k, char out[40])
{
	double val;
	bool plain;

	out[0] = '\0';
	if (number_like(k, &val, &plain))
		snprintf(out, 40, "%.14e", val);
}

static int written_row(void *ud, const struct sales_audit_row *row,
		       struct sales_error *err)
{
	struct sales_written *w = ud;
	const struct sales_sheet_def *def = row->sheet;
	const char *key = row->v[AUDIT_KEY], *nv = row->v[AUDIT_NEW];
	int col = row->col;
	bool keep;

	if (!def || !*key || !row_keyed(def->id) || col < 0)
		return 0;
	keep = at_risk(def->id, col, nv);
	if (put(w, hash3(def->id, col, key), keep ? nv : NULL, row->line) < 0)
		goto nomem;
	if (keep) {
		w->cols[def->id] |= 1u << col;
		w->kept++;
	}
	if (keep && col == key_col(def->id) && !strcmp(key, nv)) {
		char canon[40];

		key_canon(nv, canon);
		if (*canon &&
		    put(w, hash3(def->id, KEYCANON, canon), nv, row->line) < 0)
			goto nomem;
	}
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

int sales_written_load(const char *dir, struct sales_written **out,
		       struct sales_error *err)
{
	struct sales_written *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (sales_audit_each(dir, written_row, w, err) < 0) {
		sales_written_free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void sales_written_free(struct sales_written *w)
{
	if (!w)
		return;
	free(w->e);
	sales_buf_release(&w->pool);
	free(w);
}

bool sales_written_empty(const struct sales_written *w)
{
	return !w || !w->kept;
}

size_t sales_damage_row(const struct sales_written *w, enum sales_sheet_id id,
			const char *const *v, struct sales_damage *out)
{
	const struct sales_sheet_def *def;
	struct sales_buf key = {0};
	const struct went *e0;
	const char *k;
	int kc;
	size_t n = 0;

	if (sales_written_empty(w) || !w->cols[id] || !row_keyed(id))
		return 0;
	def = sales_sheet_def(id);
	sales_row_key(def, v, &key);
	k = key.data ? key.data : "";
	kc = key_col(id);
	/* a numeric key the audit never saw: the one sales wrote that a
	 * spreadsheet turned into it */
	e0 = kc >= 0 && *k ? get(w, hash3(id, kc, k)) : NULL;
	if (kc >= 0 && *k &&
	    !(e0 && e0->val != NO_VALUE && !strcmp(w->pool.data + e0->val, k))) {
		char canon[40];
		const struct went *e;

		key_canon(k, canon);
		e = *canon ? get(w, hash3(id, KEYCANON, canon)) : NULL;
		if (e && e->val != NO_VALUE) {
			const char *was = w->pool.data + e->val;
			enum sales_damage_kind kind =
				sales_damage_judge(was, k, false);

			if (kind != SALES_DAMAGE_NONE) {
				out[n++] = (struct sales_damage){ kc, kind, was,
								 (long)e->line, true };
				k = was;
			}
		}
	}
	for (size_t c = 0; c < def->ncolumns; c++) {
		const struct went *e;
		enum sales_damage_kind kind;

		if (!(w->cols[id] & (1u << c)) || (int)c == kc ||
		    !(e = get(w, hash3(id, (int)c, k))) || e->val == NO_VALUE)
			continue;
		kind = sales_damage_judge(w->pool.data + e->val, v[c] ? v[c] : "",
					  id == SALES_LEADS && c == LEAD_NO);
		if (kind != SALES_DAMAGE_NONE)
			out[n++] = (struct sales_damage){ (int)c, kind,
							 w->pool.data + e->val,
							 (long)e->line, false };
	}
	sales_buf_release(&key);
	return n;
}

struct fix_walk {
	const struct sales_written *w;
	enum sales_sheet_id id;
	void (*fn)(const struct sales_damage *d, const char *now,
		   const char *cell, void *ud);
	void *ud;
	size_t fixed;
};

static int fix_row(struct sales_txn_stream *s, const char *const *v,
		   long line, void *arg, struct sales_error *err)
{
	struct fix_walk *fw = arg;
	struct sales_damage d[SALES_MAX_COLS];
	size_t n = sales_damage_row(fw->w, fw->id, v, d);

	(void)line;
	/* the key first: the later audit rows name the row by it */
	for (size_t i = 0; i < n; i++) {
		struct sales_buf now = {0};
		int fc = sales_txn_stream_map(s)->file_col[d[i].col];
		char cell[32], letters[8];

		snprintf(cell, sizeof(cell), "%s%ld",
			 sales_column_letters(fc >= 0 ? fc + 1 : 1, letters),
			 sales_txn_stream_excel_row(s));
		if (sales_buf_addstr(&now, v[d[i].col]) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		if (fw->fn)
			fw->fn(&d[i], now.data, cell, fw->ud);
		sales_buf_release(&now);
		if (sales_txn_stream_set(s, d[i].col, d[i].written, err) < 0)
			return -1;
		fw->fixed++;
	}
	return 0;
}

int sales_damage_fix(struct sales_txn *t, const struct sales_written *w,
		     enum sales_sheet_id id,
		     void (*fn)(const struct sales_damage *d, const char *now,
				const char *cell, void *ud),
		     void *ud, size_t *fixed, struct sales_error *err)
{
	struct fix_walk fw = { w, id, fn, ud, 0 };
	int cols[SALES_MAX_COLS];
	size_t ncols = 0;
	int rc;

	*fixed = 0;
	if (sales_written_empty(w) || !w->cols[id] || !row_keyed(id))
		return 0;
	/* the columns it may put back: those sales wrote a value into */
	for (int c = 0; c < SALES_MAX_COLS; c++)
		if (w->cols[id] & (1u << c))
			cols[ncols++] = c;
	rc = sales_txn_each(t, id, cols, ncols, fix_row, &fw, err);
	*fixed = fw.fixed;
	return rc;
}

int sales_damage_scan(const char *dir,
		      void (*fn)(const struct sales_damage_cell *c, void *ud),
		      void *ud, struct sales_error *err)
{
	struct sales_written *w;
	int rc = 0;

	if (!sales_sheet_exists(dir, SALES_AUDIT))
		return 0;
	if (sales_written_load(dir, &w, err) < 0)
		return -1;
	for (int i = 0; i < SALES_NSHEETS && rc == 0 &&
			!sales_written_empty(w); i++) {
		enum sales_sheet_id id = (enum sales_sheet_id)i;
		struct sales_sheet_reader *r;
		const struct sales_record *rec;

		if (!w->cols[id] || !row_keyed(id) || !sales_sheet_exists(dir, id))
			continue;
		if (sales_sheet_open(dir, id, SALES_ENC_AUTO, &r, err) < 0) {
			rc = -1;
			break;
		}
		const struct sales_colmap *map = sales_sheet_colmap(r);

		while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
			struct sales_damage d[SALES_MAX_COLS];
			size_t n = sales_damage_row(w, id, rec->v, d);

			for (size_t k = 0; k < n; k++) {
				int fc = map->file_col[d[k].col];
				char cell[32], letters[8];
				struct sales_damage_cell c = {
					sales_sheet_name(r), rec->row->line, cell,
					map->def->columns[d[k].col].zh,
					rec->v[d[k].col], &d[k] };

				if (rec->filled[d[k].col])
					continue;
				snprintf(cell, sizeof(cell), "%s%ld",
					 sales_column_letters(fc >= 0 ? fc + 1 : 1,
							      letters),
					 rec->row->excel_row);
				fn(&c, ud);
			}
		}
		sales_sheet_close(r);
	}
	sales_written_free(w);
	return rc < 0 ? -1 : 0;
}
