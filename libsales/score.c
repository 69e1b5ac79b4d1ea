#include "score.h"
#include "buf.h"
#include "i18n.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema.h"
#include "text.h"
#include "value.h"
#include "workbook.h"

const char *const sales_score_dim_keys[SALES_SCORE_NDIMS] = {
	"industry", "size", "budget", "chain",
};
const char *const sales_score_dim_names[SALES_SCORE_NDIMS] = {
	"行业", "规模", "预算", "决策链",
};

/* ---- small helpers ---- */

static const char *trimmed(const char *s, size_t *len)
{
	*len = s ? strlen(s) : 0;
	return sales_trim(s ? s : "", len);
}

static void copy_cut(char *dst, size_t cap, const char *s, size_t len)
{
	/* cut at a character boundary so the copy stays valid UTF-8 */
	len = sales_utf8_cut(s, len, cap - 1);
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static bool parse_points(const char *v, long *out)
{
	return v && sales_parse_int(v, strlen(v), out) == SALES_VALUE_OK;
}

/* Calls fn for each item of a comma-separated setting (，、 too), trimmed;
 * stops when fn returns true and returns that item's length (0 if none). */
static size_t each_item(const char *list, const char *text, size_t tlen,
			bool (*fn)(const char *item, size_t ilen,
				   const char *text, size_t tlen),
			const char **found)
{
	static const char *const seps[] = { ",", "，", "、", NULL };
	const char *p = list ? list : "";

	while (*p) {
		size_t n = strlen(p), sl = 0, len;
		const char *item;

		for (int i = 0; seps[i]; i++) {
			const char *q = strstr(p, seps[i]);

			if (q && (size_t)(q - p) < n) {
				n = (size_t)(q - p);
				sl = strlen(seps[i]);
			}
		}
		len = n;
		item = sales_trim(p, &len);
		if (len && fn(item, len, text, tlen)) {
			*found = item;
			return len;
		}
		p += n + sl;
		if (!sl)
			break;
	}
	return 0;
}

static bool contains(const char *item, size_t ilen, const char *text,
		     size_t tlen)
{
	return memmem(text, tlen, item, ilen) != NULL;
}

static bool ends_with(const char *item, size_t ilen, const char *text,
		      size_t tlen)
{
	return tlen >= ilen && !strncasecmp(text + tlen - ilen, item, ilen);
}

/* "200万", "5亿", "1.5亿", "800元" for an amount in 元 */
static const char *yuan(double v, char *buf, size_t cap)
{
	if (v >= 1e8)
		snprintf(buf, cap, "%g亿", v / 1e8);
	else if (v >= 1e4)
		snprintf(buf, cap, "%g万", v / 1e4);
	else
		snprintf(buf, cap, "%g元", v);
	return buf;
}

/* An amount (万元) as the number a band compares: the lower end of a
 * range, or just under an upper bound ("1亿以下"), in 元. */
static double amount_yuan(const struct sales_amount *a)
{
	if (a->flags & SALES_AMOUNT_LO)
		return a->lo * 1e4;
	return a->hi * 1e4 - 1;
}

/* ---- facts ---- */

void sales_score_facts_init(struct sales_score_facts *f)
{
	memset(f, 0, sizeof(*f));
}

static void check_mark(const struct sales_settings *s,
		       struct sales_score_facts *f, const char *text,
		       const char *where)
{
	const char *marks = sales_settings_get(s, "score.chain.unknown_marks");
	const char *found = NULL;
	size_t len, n;

	if (f->marked || !text)
		return;
	n = each_item(marks, text, strlen(text), contains, &found);
	if (!n)
		return;
	f->marked = true;
	copy_cut(f->mark, sizeof(f->mark), found, n);
	len = strlen(where ? where : "");
	copy_cut(f->mark_where, sizeof(f->mark_where), where ? where : "", len);
}

void sales_score_add_note(const struct sales_settings *s,
			  struct sales_score_facts *f, const char *note,
			  const char *where)
{
	check_mark(s, f, note, where);
}

void sales_score_add_survey(const struct sales_settings *s,
			    struct sales_score_facts *f, const char *budget,
			    const char *chain, const char *note,
			    const char *where)
{
	struct sales_amount a;
	char at[96];
	size_t len;
	const char *t;

	f->nsurveys++;
	t = trimmed(budget, &len);
	switch (sales_parse_amount(t, len, &a)) {
	case SALES_VALUE_OK: {
		double v = amount_yuan(&a);

		f->budget_stated++;
		if (!f->budget_known || v > f->budget) {
			f->budget_known = true;
			f->budget = v;
			copy_cut(f->budget_text, sizeof(f->budget_text), t, len);
			copy_cut(f->budget_where, sizeof(f->budget_where),
				 where, strlen(where));
		}
		break;
	}
	case SALES_VALUE_UNKNOWN:
		f->budget_unknown++;
		break;
	default:
		break;
	}

	t = trimmed(chain, &len);
	if (len && !sales_value_is_unknown(t, len)) {
		const char *deciders = sales_settings_get(s, "score.chain.deciders");
		const char *found = NULL;
		size_t end = len, n;

		/* "采购部→技术部→总经理。" still ends in 总经理 */
		for (;;) {
			if (end > 0 && strchr(".;,! ", t[end - 1]))
				end--;
			else if (end >= 3 && (!memcmp(t + end - 3, "。", 3) ||
					      !memcmp(t + end - 3, "；", 3) ||
					      !memcmp(t + end - 3, "，", 3) ||
					      !memcmp(t + end - 3, "！", 3)))
				end -= 3;
			else
				break;
		}
		n = each_item(deciders, t, end, ends_with, &found);
		if (n ? f->chain < 2 : f->chain == 0) {
			f->chain = n ? 2 : 1;
			copy_cut(f->chain_text, sizeof(f->chain_text), t, len);
			copy_cut(f->chain_where, sizeof(f->chain_where), where,
				 strlen(where));
			if (n)
				copy_cut(f->decider, sizeof(f->decider), found, n);
		}
	}
	snprintf(at, sizeof(at), "%s 决策流程", where);
	check_mark(s, f, chain, at);
	snprintf(at, sizeof(at), "%s 备注", where);
	check_mark(s, f, note, at);
}

/* ---- scoring ---- */

struct industry_walk {
	const char *name;
	size_t len;
	long points;
	bool found;
	char key[160];
};

static int industry_cb(const char *key, const char *value, void *ud)
{
	struct industry_walk *w = ud;
	const char *name = key + strlen("score.industry.");
	long pts;

	if (strlen(name) != w->len || strncasecmp(name, w->name, w->len))
		return 0;
	if (parse_points(value, &pts)) {
		w->points = pts;
		w->found = true;
		snprintf(w->key, sizeof(w->key), "%s", key);
	} else {
		w->found = false;   /* set to empty: the entry is removed */
	}
	return 0;
}

static int score_industry(const struct sales_settings *s, const char *industry,
			  char *why, size_t cap)
{
	struct industry_walk w = { 0 };
	long dflt = sales_settings_get_int(s, "score.industry.default", 0);
	size_t len;
	const char *t = trimmed(industry, &len);

	if (!len) {
		snprintf(why, cap, "no 行业 given (score.industry.default)");
		return (int)dflt;
	}
	w.name = t;
	w.len = len;
	if (!(len == 7 && !strncasecmp(t, "default", 7)))
		sales_settings_each(s, "score.industry.", industry_cb, &w);
	if (w.found) {
		snprintf(why, cap, "%.*s (%s)", (int)len, t, w.key);
		return (int)w.points;
	}
	snprintf(why, cap, _("%.*s is not a listed industry (score.industry.default)"),
		 (int)len, t);
	return (int)dflt;
}

static int score_size(const struct sales_settings *s, const char *size,
		      char *why, size_t cap)
{
	struct sales_size z;
	long unknown = sales_settings_get_int(s, "score.size.unknown", 0);
	long emp = -1, rev = -1;
	size_t len;
	const char *t = trimmed(size, &len);
	char amt[32], part[2][96] = { "", "" };

	switch (sales_parse_size(t, len, &z)) {
	case SALES_VALUE_OK:
		break;
	case SALES_VALUE_EMPTY:
		snprintf(why, cap, _("no 企业规模 given (score.size.unknown)"));
		return (int)unknown;
	case SALES_VALUE_UNKNOWN:
		snprintf(why, cap, _("%.*s: not known yet (score.size.unknown)"),
			 (int)len, t);
		return (int)unknown;
	default:
		snprintf(why, cap, _("'%.*s' does not read as employees/revenue (score.size.unknown)"),
			 (int)len, t);
		return (int)unknown;
	}
	if (z.has_employees) {
		emp = sales_settings_band(s, "score.size.employees_",
					  (double)z.emp_lo, -1);
		if (emp >= 0)
			snprintf(part[0], sizeof(part[0]), "%ld人 → %ld",
				 z.emp_lo, emp);
		else
			snprintf(part[0], sizeof(part[0]), _("%ld人 → no band"),
				 z.emp_lo);
	}
	if (z.has_revenue) {
		double v = amount_yuan(&z.revenue);
		bool under = !(z.revenue.flags & SALES_AMOUNT_LO);

		rev = sales_settings_band(s, "score.size.revenue_", v, -1);
		yuan(under ? v + 1 : v, amt, sizeof(amt));
		if (rev >= 0)
			snprintf(part[1], sizeof(part[1]), _("revenue %s%s → %ld"),
				 under ? _("under ") : "", amt, rev);
		else
			snprintf(part[1], sizeof(part[1]), _("revenue %s%s → no band"),
				 under ? _("under ") : "", amt);
	}
	snprintf(why, cap, "%.*s: %s%s%s%s", (int)len, t, part[0],
		 part[0][0] && part[1][0] ? ", " : "", part[1],
		 emp < 0 && rev < 0 ? " (score.size.unknown)" :
		 part[0][0] && part[1][0] ? _("; the better counts") : "");
	if (emp < 0 && rev < 0)
		return (int)unknown;
	return (int)(emp > rev ? emp : rev);
}

static int score_budget(const struct sales_settings *s,
			const struct sales_score_facts *f, char *why,
			size_t cap)
{
	long unknown = sales_settings_get_int(s, "score.budget.unknown", 0);
	long pts;
	char amt[32];

	if (!f || !f->nsurveys) {
		snprintf(why, cap, _("no survey in 02 (score.budget.unknown)"));
		return (int)unknown;
	}
	if (!f->budget_known) {
		snprintf(why, cap, f->budget_unknown ?
			 _("02 states no amount, only 待确认 (score.budget.unknown)") :
			 _("02 states no budget (score.budget.unknown)"));
		return (int)unknown;
	}
	pts = sales_settings_band(s, "score.budget.amount_", f->budget, -1);
	snprintf(why, cap, _("%s (%s) counts as %s%s%s"), f->budget_text,
		 f->budget_where, yuan(f->budget, amt, sizeof(amt)),
		 f->budget_stated > 1 ? _(", the largest stated") : "",
		 pts < 0 ? _("; no band applies (score.budget.unknown)") : "");
	return (int)(pts < 0 ? unknown : pts);
}

static int score_chain(const struct sales_settings *s,
		       const struct sales_score_facts *f, char *why,
		       size_t cap)
{
	if (f && f->marked) {
		snprintf(why, cap, _("%s says %s (score.chain.unknown)"),
			 f->mark_where, f->mark);
		return (int)sales_settings_get_int(s, "score.chain.unknown", 0);
	}
	if (f && f->chain == 2) {
		snprintf(why, cap, _("%s (%s) ends in %s (score.chain.complete)"),
			 f->chain_text, f->chain_where, f->decider);
		return (int)sales_settings_get_int(s, "score.chain.complete", 0);
	}
	if (f && f->chain == 1) {
		snprintf(why, cap, _("%s (%s) names no final decision maker (score.chain.partial)"),
			 f->chain_text, f->chain_where);
		return (int)sales_settings_get_int(s, "score.chain.partial", 0);
	}
	snprintf(why, cap, "%s (score.chain.unknown)",
		 f && f->nsurveys ? _("02 gives no 决策流程") : _("no survey in 02"));
	return (int)sales_settings_get_int(s, "score.chain.unknown", 0);
}

void sales_score_compute(const struct sales_settings *s, const char *industry,
			 const char *size, const struct sales_score_facts *f,
			 struct sales_score *out)
{
	long a = sales_settings_get_int(s, "score.threshold_a", 70);
	long b = sales_settings_get_int(s, "score.threshold_b", 40);

	memset(out, 0, sizeof(*out));
	out->max = (int)sales_settings_get_int(s, "score.max_per_dimension", 25);
	out->points[SALES_SCORE_INDUSTRY] =
		score_industry(s, industry, out->why[0], sizeof(out->why[0]));
	out->points[SALES_SCORE_SIZE] =
		score_size(s, size, out->why[1], sizeof(out->why[1]));
	out->points[SALES_SCORE_BUDGET] =
		score_budget(s, f, out->why[2], sizeof(out->why[2]));
	out->points[SALES_SCORE_CHAIN] =
		score_chain(s, f, out->why[3], sizeof(out->why[3]));
	for (int d = 0; d < SALES_SCORE_NDIMS; d++) {
		int *p = &out->points[d];

		if (*p > out->max) {
			size_t n = strlen(out->why[d]);

			snprintf(out->why[d] + n, sizeof(out->why[d]) - n,
				 _("; %d capped at %d (score.max_per_dimension)"),
				 *p, out->max);
			*p = out->max;
		}
		if (*p < 0)
			*p = 0;
		out->total += *p;
	}
	if (out->total >= a) {
		out->grade = 'A';
		snprintf(out->grade_why, sizeof(out->grade_why),
			 "%d ≥ %ld (score.threshold_a): A类", out->total, a);
	} else if (out->total >= b) {
		out->grade = 'B';
		snprintf(out->grade_why, sizeof(out->grade_why),
			 "%d ≥ %ld (score.threshold_b): B类", out->total, b);
	} else {
		out->grade = 'C';
		snprintf(out->grade_why, sizeof(out->grade_why),
			 "%d < %ld (score.threshold_b): C类", out->total, b);
	}
}

/* ---- the customers' 02 rows ---- */

/* A customer's facts kept compactly (a 100k-lead workbook has as many
 * customers): the scalars, and the strings as offsets into the pool. */
enum { FS_BUDGET_TEXT, FS_BUDGET_WHERE, FS_CHAIN_TEXT, FS_CHAIN_WHERE,
       FS_DECIDER, FS_MARK, FS_MARK_WHERE, FS_NSTR };

struct survey_entry {
	uint64_t hash;
	uint32_t name;      /* offset in pool */
	uint32_t str[FS_NSTR];
	double budget;
	int nsurveys, budget_stated, budget_unknown, chain;
	bool budget_known, marked;
};

struct sales_score_surveys {
	struct survey_entry *ent;
	size_t n, cap;
	uint32_t *slot;     /* entry + 1 */
	size_t nslot;
	struct sales_buf pool;   /* starts with "" (offset 0) */
};

/* The string fields of facts, in FS_ order, and their sizes. */
static char *facts_str(struct sales_score_facts *f, int k, size_t *size)
{
	switch (k) {
	case FS_BUDGET_TEXT: *size = sizeof(f->budget_text); return f->budget_text;
	case FS_BUDGET_WHERE: *size = sizeof(f->budget_where); return f->budget_where;
	case FS_CHAIN_TEXT: *size = sizeof(f->chain_text); return f->chain_text;
	case FS_CHAIN_WHERE: *size = sizeof(f->chain_where); return f->chain_where;
	case FS_DECIDER: *size = sizeof(f->decider); return f->decider;
	case FS_MARK: *size = sizeof(f->mark); return f->mark;
	default: *size = sizeof(f->mark_where); return f->mark_where;
	}
}

static void entry_expand(const struct sales_score_surveys *sv,
			 const struct survey_entry *e,
			 struct sales_score_facts *f)
{
	sales_score_facts_init(f);
	f->nsurveys = e->nsurveys;
	f->budget_known = e->budget_known;
	f->budget = e->budget;
	f->budget_stated = e->budget_stated;
	f->budget_unknown = e->budget_unknown;
	f->chain = e->chain;
	f->marked = e->marked;
	for (int k = 0; k < FS_NSTR; k++) {
		size_t size;
		char *d = facts_str(f, k, &size);
		const char *v = sv->pool.data + e->str[k];
		size_t n = strlen(v);

		/* stored from such a field: it fits (cut as it was) */
		if (n >= size)
			n = size - 1;
		memcpy(d, v, n);
		d[n] = '\0';
	}
}

/* Stores f into e; a string that did not change keeps its place. */
static int entry_compact(struct sales_score_surveys *sv,
			 struct survey_entry *e, struct sales_score_facts *f)
{
	e->nsurveys = f->nsurveys;
	e->budget_known = f->budget_known;
	e->budget = f->budget;
	e->budget_stated = f->budget_stated;
	e->budget_unknown = f->budget_unknown;
	e->chain = f->chain;
	e->marked = f->marked;
	for (int k = 0; k < FS_NSTR; k++) {
		size_t size;
		const char *v = facts_str(f, k, &size);

		if (!strcmp(sv->pool.data + e->str[k], v))
			continue;
		if (sv->pool.len > UINT32_MAX - size)
			return -1;
		e->str[k] = (uint32_t)sv->pool.len;
		if (sales_buf_add(&sv->pool, v, strlen(v) + 1) < 0)
			return -1;
	}
	return 0;
}

static long survey_find(const struct sales_score_surveys *sv, const char *name,
			size_t len, uint64_t h)
{
	if (!sv->nslot)
		return -1;
	for (size_t i = h & (sv->nslot - 1);; i = (i + 1) & (sv->nslot - 1)) {
		const struct survey_entry *e;
		const char *p;

		if (!sv->slot[i])
			return -1;
		e = &sv->ent[sv->slot[i] - 1];
		p = sv->pool.data + e->name;
		if (e->hash == h && strlen(p) == len && !memcmp(p, name, len))
			return (long)sv->slot[i] - 1;
	}
}

static int survey_grow(struct sales_score_surveys *sv)
{
	size_t nslot = sv->nslot ? sv->nslot * 2 : 64;
	uint32_t *s = calloc(nslot, sizeof(*s));

	if (!s)
		return -1;
	for (size_t k = 0; k < sv->n; k++) {
		size_t i = sv->ent[k].hash & (nslot - 1);

		while (s[i])
			i = (i + 1) & (nslot - 1);
		s[i] = (uint32_t)(k + 1);
	}
	free(sv->slot);
	sv->slot = s;
	sv->nslot = nslot;
	return 0;
}

static struct survey_entry *survey_get(struct sales_score_surveys *sv,
					const char *name, size_t len)
{
	uint64_t h = sales_hash(name, len);
	long i = survey_find(sv, name, len, h);
	struct survey_entry *e;

	if (i >= 0)
		return &sv->ent[i];
	if (sv->pool.len > UINT32_MAX - len - 1)
		return NULL;
	if (SALES_ALLOC_GROW(sv->ent, sv->n + 1, sv->cap) < 0)
		return NULL;
	if ((sv->n + 1) * 2 > sv->nslot && survey_grow(sv) < 0)
		return NULL;
	e = &sv->ent[sv->n];
	memset(e, 0, sizeof(*e));   /* every string "" (offset 0) */
	e->hash = h;
	e->name = (uint32_t)sv->pool.len;
	if (sales_buf_add(&sv->pool, name, len) < 0 ||
	    sales_buf_addch(&sv->pool, '\0') < 0)
		return NULL;
	for (size_t k = h & (sv->nslot - 1);; k = (k + 1) & (sv->nslot - 1))
		if (!sv->slot[k]) {
			sv->slot[k] = (uint32_t)(sv->n + 1);
			break;
		}
	sv->n++;
	return e;
}

int sales_score_surveys_load(const char *dir, const struct sales_settings *s,
			     struct sales_score_surveys **out,
			     struct sales_error *err)
{
	struct sales_score_surveys *sv = calloc(1, sizeof(*sv));
	struct sales_sheet_reader *r = NULL;
	const struct sales_record *rec;
	int rc;

	*out = NULL;
	if (!sv)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (sales_buf_addch(&sv->pool, '\0') < 0) {
		free(sv);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (!sales_sheet_exists(dir, SALES_SURVEYS)) {
		*out = sv;
		return 0;
	}
	if (sales_sheet_open(dir, SALES_SURVEYS, SALES_ENC_AUTO, &r, err) < 0)
		goto fail;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		struct sales_score_facts f;
		struct survey_entry *e;
		char where[48];
		size_t len;
		const char *name = trimmed(rec->v[SURVEY_CUSTOMER], &len);

		if (!len)
			continue;
		e = survey_get(sv, name, len);
		if (!e)
			goto nomem;
		entry_expand(sv, e, &f);
		snprintf(where, sizeof(where), "%s:%ld", sales_sheet_name(r),
			 rec->row->line);
		sales_score_add_survey(s, &f, rec->v[SURVEY_BUDGET],
				       rec->v[SURVEY_DECISION_CHAIN],
				       rec->v[SURVEY_NOTE], where);
		if (entry_compact(sv, e, &f) < 0)
			goto nomem;
	}
	if (rc < 0)
		goto fail;
	sales_sheet_close(r);
	*out = sv;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	sales_sheet_close(r);
	sales_score_surveys_free(sv);
	return -1;
}

void sales_score_surveys_free(struct sales_score_surveys *sv)
{
	if (!sv)
		return;
	free(sv->ent);
	free(sv->slot);
	sales_buf_release(&sv->pool);
	free(sv);
}

bool sales_score_surveys_find(const struct sales_score_surveys *sv,
			      const char *customer,
			      struct sales_score_facts *out)
{
	size_t len;
	const char *name = trimmed(customer, &len);
	long i;

	if (!sv || !len)
		return false;
	i = survey_find(sv, name, len, sales_hash(name, len));
	if (i < 0)
		return false;
	entry_expand(sv, &sv->ent[i], out);
	return true;
}

void sales_score_lead(const struct sales_settings *s,
		      const struct sales_score_surveys *sv,
		      const char *const *v, const char *where,
		      struct sales_score *out)
{
	struct sales_score_facts f;
	char at[96];

	if (!sales_score_surveys_find(sv, v[LEAD_CUSTOMER], &f))
		sales_score_facts_init(&f);
	/* the lead's own note may say the decision maker is unknown too */
	snprintf(at, sizeof(at), "%s 备注", where);
	sales_score_add_note(s, &f, v[LEAD_NOTE], at);
	sales_score_compute(s, v[LEAD_INDUSTRY], v[LEAD_SIZE], &f, out);
}
