#include "resolve.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "model.h"
#include "text.h"
#include "workbook.h"

static size_t code_points(const char *s, size_t len)
{
	size_t n = 0;
	uint32_t cp;

	for (size_t i = 0; i < len; n++)
		i += sales_utf8_decode(s + i, len - i, &cp);
	return n;
}

void sales_resolver_init(struct sales_resolver *r, const char *want)
{
	size_t len = strlen(want), klen;

	memset(r, 0, sizeof(*r));
	r->want = sales_trim(want, &len);
	r->want_len = len;
	klen = sales_name_key(r->want, len, r->want_key, sizeof(r->want_key));
	r->key_chars = code_points(r->want_key, klen);
	r->id = r->other = r->same = -1;
}

static enum sales_match match_trimmed(const struct sales_resolver *r,
				      const char *s, size_t len)
{
	char key[512];

	if (!len)
		return SALES_MATCH_NONE;
	if (len == r->want_len && !memcmp(s, r->want, len))
		return SALES_MATCH_EXACT;
	if (!r->want_key[0])
		return SALES_MATCH_NONE;
	sales_name_key(s, len, key, sizeof(key));
	if (!strcmp(key, r->want_key))
		return SALES_MATCH_KEY;
	/* as typed, or as keys: 科技发展有 starts 科技发展有限公司, whose
	 * key 科技发展 it does not start */
	if (!strncmp(key, r->want_key, strlen(r->want_key)) ||
	    (len > r->want_len && !memcmp(s, r->want, r->want_len)))
		return SALES_MATCH_PREFIX;
	if (r->key_chars >= 2 &&
	    (strstr(key, r->want_key) || memmem(s, len, r->want, r->want_len)))
		return SALES_MATCH_SUBSTRING;
	return SALES_MATCH_NONE;
}

enum sales_match sales_resolver_match(const struct sales_resolver *r,
				      const char *name)
{
	size_t len = strlen(name);
	const char *s = sales_trim(name, &len);

	return match_trimmed(r, s, len);
}

/* Copies s into the pool; returns its offset, or (size_t)-1 on ENOMEM. */
static size_t keep(struct sales_resolver *r, const char *s, size_t len)
{
	size_t off = r->pool.len;

	if (sales_buf_add(&r->pool, s, len) < 0 ||
	    sales_buf_addch(&r->pool, '\0') < 0)
		return (size_t)-1;
	return off;
}

static const char *kept(const struct sales_resolver *r, size_t off)
{
	return r->pool.data + off;
}

static bool same_name(const struct sales_resolver *r, size_t off,
		      const char *s, size_t len)
{
	const char *k = kept(r, off);

	return strlen(k) == len && !memcmp(k, s, len);
}

/* A name that matched nothing: kept when it is among the three nearest. */
static int consider_near(struct sales_resolver *r, const char *s, size_t len,
			 long id)
{
	int max = (int)(code_points(r->want, r->want_len) / 3), d;
	size_t at, off;

	if (max < 2)
		max = 2;
	d = sales_edit_distance(r->want, r->want_len, s, len, max);
	if (d > max)
		return 0;
	for (size_t i = 0; i < r->nnear; i++)
		if (same_name(r, r->near_off[i], s, len))
			return 0;
	at = r->nnear;
	while (at > 0 && r->near_dist[at - 1] > d)
		at--;
	if (at >= 3)
		return 0;
	off = keep(r, s, len);
	if (off == (size_t)-1)
		return -1;
	if (r->nnear < 3)
		r->nnear++;
	for (size_t i = r->nnear - 1; i > at; i--) {
		r->near_dist[i] = r->near_dist[i - 1];
		r->near_off[i] = r->near_off[i - 1];
		r->near_id[i] = r->near_id[i - 1];
	}
	r->near_dist[at] = d;
	r->near_off[at] = off;
	r->near_id[at] = id;
	return 0;
}

int sales_resolver_feed(struct sales_resolver *r, const char *name, long id)
{
	size_t len = strlen(name), off;
	const char *s = sales_trim(name, &len);
	enum sales_match m = match_trimmed(r, s, len);

	if (!len)
		return 0;
	if (m == SALES_MATCH_NONE)
		return r->best == SALES_MATCH_NONE ? consider_near(r, s, len, id) : 0;
	if (m > r->best) {
		off = keep(r, s, len);
		if (off == (size_t)-1)
			return -1;
		r->best = m;
		r->id = id;
		r->other = r->same = -1;
		r->nbest = 1;
		r->best_off[0] = off;
		return 0;
	}
	if (m < r->best)
		return 0;
	if (same_name(r, r->best_off[0], s, len)) {
		if (r->same < 0 && id != r->id)
			r->same = id;
		return 0;
	}
	if (r->other < 0)
		r->other = id;
	for (size_t i = 1; i < r->nbest && i < SALES_RESOLVE_SHOWN; i++)
		if (same_name(r, r->best_off[i], s, len))
			return 0;
	if (r->nbest < SALES_RESOLVE_SHOWN) {
		off = keep(r, s, len);
		if (off == (size_t)-1)
			return -1;
		r->best_off[r->nbest] = off;
	}
	if (r->nbest <= SALES_RESOLVE_SHOWN)
		r->nbest++;
	return 0;
}

long sales_resolver_result(const struct sales_resolver *r,
			   enum sales_match *how, bool *duplicate)
{
	if (how)
		*how = r->best;
	if (duplicate)
		*duplicate = false;
	if (r->best == SALES_MATCH_NONE || r->other >= 0)
		return -1;
	if (duplicate)
		*duplicate = r->same >= 0;
	return r->id;
}

const char *sales_resolver_name(const struct sales_resolver *r)
{
	return sales_resolver_result(r, NULL, NULL) >= 0 ?
	       kept(r, r->best_off[0]) : NULL;
}

long sales_resolver_hint(const struct sales_resolver *r)
{
	if (r->best != SALES_MATCH_NONE)
		return r->id;
	return r->nnear ? r->near_id[0] : -1;
}

/* Appends "'A', 'B' or 'C'" for n names at offs (and "and others"). */
static void name_list(struct sales_buf *b, const struct sales_resolver *r,
		      const size_t *offs, size_t n, bool more)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sales_buf_addstr(b, i + 1 < n || more ? ", " : _(" or "));
		sales_buf_printf(b, "'%s'", kept(r, offs[i]));
	}
	if (more)
		sales_buf_addstr(b, _(" and others"));
}

int sales_resolver_error(const struct sales_resolver *r, const char *what,
			 const char *where, struct sales_error *err)
{
	struct sales_buf list = {0};
	char in[300] = "";

	if (sales_resolver_result(r, NULL, NULL) >= 0)
		return 0;
	if (where && *where)
		snprintf(in, sizeof(in), _(" in %s"), where);
	if (r->best != SALES_MATCH_NONE) {
		size_t n = r->nbest < SALES_RESOLVE_SHOWN ? r->nbest :
			   SALES_RESOLVE_SHOWN;

		name_list(&list, r, r->best_off, n,
			  r->nbest > SALES_RESOLVE_SHOWN);
		sales_error_set(err, SALES_ENAME, NULL, 0, 0,
				_("'%.*s' could be more than one %s%s: %s; give more of the name"),
				(int)r->want_len, r->want, what, in,
				list.data ? list.data : "");
	} else if (r->nnear) {
		name_list(&list, r, r->near_off, r->nnear, false);
		sales_error_set(err, SALES_ENAME, NULL, 0, 0,
				_("no %s named '%.*s'%s; did you mean %s?"), what,
				(int)r->want_len, r->want, in,
				list.data ? list.data : "");
	} else {
		sales_error_set(err, SALES_ENAME, NULL, 0, 0,
				_("no %s named '%.*s'%s"), what,
				(int)r->want_len, r->want, in);
	}
	sales_buf_release(&list);
	return -1;
}

void sales_resolver_release(struct sales_resolver *r)
{
	sales_buf_release(&r->pool);
}

long sales_resolve_customer(const struct sales_model *m, const char *name,
			    bool leads_only, enum sales_match *how,
			    struct sales_error *err)
{
	struct sales_resolver r;
	long c;

	/* the name as the model has it: nothing matches better (its names
	 * are unique), so no scan over every customer (status resolves its
	 * customer, then check --customer does) */
	c = sales_model_find(m, name);
	if (c >= 0 && (!leads_only || m->customers[c].lead_line)) {
		if (how)
			*how = SALES_MATCH_EXACT;
		return c;
	}
	sales_resolver_init(&r, name);
	for (size_t i = 0; i < m->ncustomers; i++) {
		if (leads_only && !m->customers[i].lead_line)
			continue;
		if (sales_resolver_feed(&r, sales_model_str(m, m->customers[i].name),
					(long)i) < 0) {
			sales_resolver_release(&r);
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		}
	}
	c = sales_resolver_result(&r, how, NULL);
	if (c < 0)
		sales_resolver_error(&r, _("customer"), leads_only ?
				     "01-leads.csv" : NULL, err);
	sales_resolver_release(&r);
	return c;
}

long sales_resolve_lead(const char *dir, const char *name,
			enum sales_match *how, struct sales_buf *as,
			struct sales_error *err)
{
	struct sales_resolver r;
	struct sales_sheet_reader *sr = NULL;
	const struct sales_record *rec;
	long line;
	int rc = 0;

	as->len = 0;
	if (how)
		*how = SALES_MATCH_NONE;
	sales_resolver_init(&r, name);
	/* no 01: no lead, as in a model without it */
	if (sales_sheet_exists(dir, SALES_LEADS)) {
		if (sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &sr, err) < 0) {
			sales_resolver_release(&r);
			return -2;
		}
		while ((rc = sales_sheet_next(sr, &rec, err)) > 0)
			if (sales_resolver_feed(&r, rec->v[LEAD_CUSTOMER],
						rec->row->line) < 0) {
				rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
						     "out of memory");
				break;
			}
		sales_sheet_close(sr);
		if (rc < 0) {
			sales_resolver_release(&r);
			return -2;
		}
	}
	/* rows in file order: a lead's first row is the first fed, as the
	 * model's lead_line is; a name's later rows change nothing */
	line = sales_resolver_result(&r, how, NULL);
	if (line < 0)
		sales_resolver_error(&r, _("customer"), "01-leads.csv", err);
	else if (sales_buf_addstr(as, sales_resolver_name(&r)) < 0)
		line = -2, sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					   "out of memory");
	sales_resolver_release(&r);
	return line;
}
