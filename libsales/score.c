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

/* A comma-separated setting's items (，、 too), trimmed, empty ones
 * left out, in order: pointers into list, which must outlive them. */
struct score_item {
	const char *s;
	size_t len;
};

static int split_items(const char *list, struct score_item **out, size_t *nout)
{
	static const char *const seps[] = { ",", "，", "、", NULL };
	const char *p = list ? list : "";
	size_t cap = 0;

	*out = NULL;
	*nout = 0;
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
		if (len) {
			if (SALES_ALLOC_GROW(*out, *nout + 1, cap) < 0)
				return -1;
			(*out)[*nout].s = item;
			(*out)[(*nout)++].len = len;
		}
		p += n + sl;
		if (!sl)
			break;
	}
	return 0;
}

/* The first item text contains, or NULL. */
static const struct score_item *item_within(const struct score_item *it,
					    size_t n, const char *text,
					    size_t tlen)
{
	for (size_t i = 0; i < n; i++)
		if (memmem(text, tlen, it[i].s, it[i].len))
			return &it[i];
	return NULL;
}

/* The first item text ends with (ASCII case ignored), or NULL. */
static const struct score_item *item_ending(const struct score_item *it,
					    size_t n, const char *text,
					    size_t tlen)
{
	for (size_t i = 0; i < n; i++)
		if (tlen >= it[i].len &&
		    !strncasecmp(text + tlen - it[i].len, it[i].s, it[i].len))
			return &it[i];
	return NULL;
}

/* ---- the scoring settings, read once ---- */

/* A score.industry.<name> key, in the settings' order. */
struct industry_rule {
	const char *name, *key;
	size_t len;
	long points;
	bool valid;         /* false: set to a non-number (the entry removed) */
};

/* Sizes and amounts as parsed before: a workbook names a few of them many
 * times (100k leads, six sizes), and parsing one costs more than finding
 * it.  Direct-mapped by hash; a longer text is parsed each time. */
#define MEMO_SLOTS 64
#define MEMO_TEXT 56

struct parse_memo {
	uint64_t hash;
	unsigned char len;          /* 0: an empty slot */
	char text[MEMO_TEXT];
	enum sales_value_status st;
	union {
		struct sales_size size;
		struct sales_amount amount;
	} v;
};

struct score_memo {
	struct parse_memo size[MEMO_SLOTS], amount[MEMO_SLOTS];
};

/* The slot of memo that holds s[0..len), filled by the caller when *hit is
 * false; NULL when the text is too long to keep. */
static struct parse_memo *memo_slot(struct parse_memo *memo, const char *s,
				    size_t len, bool *hit)
{
	uint64_t h;
	struct parse_memo *m;

	if (!len || len >= MEMO_TEXT)
		return NULL;
	h = sales_hash_fast(s, len);
	m = &memo[h & (MEMO_SLOTS - 1)];
	*hit = m->len == len && m->hash == h && !memcmp(m->text, s, len);
	if (!*hit) {
		m->hash = h;
		m->len = (unsigned char)len;
		memcpy(m->text, s, len);
	}
	return m;
}

/* sales_parse_size and sales_parse_amount, through the memo. */
static enum sales_value_status memo_size(struct score_memo *memo,
					 const char *s, size_t len,
					 struct sales_size *out)
{
	bool hit;
	struct parse_memo *m = memo ? memo_slot(memo->size, s, len, &hit) :
			       NULL;

	if (!m)
		return sales_parse_size(s, len, out);
	if (!hit)
		m->st = sales_parse_size(s, len, &m->v.size);
	*out = m->v.size;
	return m->st;
}

static enum sales_value_status memo_amount(struct score_memo *memo,
					   const char *s, size_t len,
					   struct sales_amount *out)
{
	bool hit;
	struct parse_memo *m = memo ? memo_slot(memo->amount, s, len, &hit) :
			       NULL;

	if (!m)
		return sales_parse_amount(s, len, out);
	if (!hit)
		m->st = sales_parse_amount(s, len, &m->v.amount);
	*out = m->v.amount;
	return m->st;
}

struct sales_score_rules {
	/* written while scoring (the rules themselves never are): one
	 * rules object is not for two threads at once */
	struct score_memo *memo;
	long threshold_a, threshold_b, max;
	long industry_default, size_unknown, budget_unknown;
	long chain_unknown, chain_complete, chain_partial;
	struct sales_settings_bands employees, revenue, budget;
	struct industry_rule *industry;
	size_t nindustry, aindustry;
	struct score_item *marks, *deciders;
	size_t nmarks, ndeciders;
};

static bool parse_points(const char *v, long *out)
{
	return v && sales_parse_int(v, strlen(v), out) == SALES_VALUE_OK;
}

static int industry_cb(const char *key, const char *value, void *ud)
{
	struct sales_score_rules *r = ud;
	struct industry_rule *e;

	if (SALES_ALLOC_GROW(r->industry, r->nindustry + 1, r->aindustry) < 0)
		return -1;
	e = &r->industry[r->nindustry++];
	e->key = key;
	e->name = key + strlen("score.industry.");
	e->len = strlen(e->name);
	e->valid = parse_points(value, &e->points);
	return 0;
}

struct sales_score_rules *sales_score_rules_new(const struct sales_settings *s)
{
	struct sales_score_rules *r = calloc(1, sizeof(*r));

	if (!r || !(r->memo = calloc(1, sizeof(*r->memo)))) {
		free(r);
		return NULL;
	}
	r->threshold_a = sales_settings_get_int(s, "score.threshold_a", 70);
	r->threshold_b = sales_settings_get_int(s, "score.threshold_b", 40);
	r->max = sales_settings_get_int(s, "score.max_per_dimension", 25);
	r->industry_default = sales_settings_get_int(s, "score.industry.default", 0);
	r->size_unknown = sales_settings_get_int(s, "score.size.unknown", 0);
	r->budget_unknown = sales_settings_get_int(s, "score.budget.unknown", 0);
	r->chain_unknown = sales_settings_get_int(s, "score.chain.unknown", 0);
	r->chain_complete = sales_settings_get_int(s, "score.chain.complete", 0);
	r->chain_partial = sales_settings_get_int(s, "score.chain.partial", 0);
	if (sales_settings_bands_load(s, "score.size.employees_", &r->employees) < 0 ||
	    sales_settings_bands_load(s, "score.size.revenue_", &r->revenue) < 0 ||
	    sales_settings_bands_load(s, "score.budget.amount_", &r->budget) < 0 ||
	    sales_settings_each(s, "score.industry.", industry_cb, r) != 0 ||
	    split_items(sales_settings_get(s, "score.chain.unknown_marks"),
			&r->marks, &r->nmarks) < 0 ||
	    split_items(sales_settings_get(s, "score.chain.deciders"),
			&r->deciders, &r->ndeciders) < 0) {
		sales_score_rules_free(r);
		return NULL;
	}
	return r;
}

void sales_score_rules_free(struct sales_score_rules *r)
{
	if (!r)
		return;
	sales_settings_bands_release(&r->employees);
	sales_settings_bands_release(&r->revenue);
	sales_settings_bands_release(&r->budget);
	free(r->industry);
	free(r->marks);
	free(r->deciders);
	free(r->memo);
	free(r);
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

/* Where a text is ("02-surveys.csv:2"): given, or a sheet and line put
 * together the first time it is needed (most rows are never named). */
struct score_where {
	const char *text;
	const char *sheet;
	long line;
	char buf[48];
};

static const char *where_text(struct score_where *w)
{
	if (!w->text) {
		snprintf(w->buf, sizeof(w->buf), "%s:%ld", w->sheet, w->line);
		w->text = w->buf;
	}
	return w->text;
}

/* where and suffix (" 备注") name the text in the explanation. */
static void check_mark(const struct sales_score_rules *r,
		       struct sales_score_facts *f, const char *text,
		       struct score_where *where, const char *suffix)
{
	const struct score_item *found;
	char at[96];

	if (f->marked || !text)
		return;
	found = item_within(r->marks, r->nmarks, text, strlen(text));
	if (!found)
		return;
	f->marked = true;
	copy_cut(f->mark, sizeof(f->mark), found->s, found->len);
	snprintf(at, sizeof(at), "%s%s", where_text(where), suffix);
	copy_cut(f->mark_where, sizeof(f->mark_where), at, strlen(at));
}

static void add_survey(const struct sales_score_rules *r,
		       struct sales_score_facts *f, const char *budget,
		       const char *chain, const char *note,
		       struct score_where *where)
{
	struct sales_amount a;
	size_t len;
	const char *t;

	f->nsurveys++;
	t = trimmed(budget, &len);
	switch (memo_amount(r->memo, t, len, &a)) {
	case SALES_VALUE_OK: {
		double v = amount_yuan(&a);

		f->budget_stated++;
		if (!f->budget_known || v > f->budget) {
			f->budget_known = true;
			f->budget = v;
			copy_cut(f->budget_text, sizeof(f->budget_text), t, len);
			copy_cut(f->budget_where, sizeof(f->budget_where),
				 where_text(where), strlen(where_text(where)));
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
		const struct score_item *found;
		size_t end = len;

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
		found = item_ending(r->deciders, r->ndeciders, t, end);
		if (found ? f->chain < 2 : f->chain == 0) {
			f->chain = found ? 2 : 1;
			copy_cut(f->chain_text, sizeof(f->chain_text), t, len);
			copy_cut(f->chain_where, sizeof(f->chain_where),
				 where_text(where), strlen(where_text(where)));
			if (found)
				copy_cut(f->decider, sizeof(f->decider),
					 found->s, found->len);
		}
	}
	check_mark(r, f, chain, where, " 决策流程");
	check_mark(r, f, note, where, " 备注");
}

void sales_score_add_note(const struct sales_settings *s,
			  struct sales_score_facts *f, const char *note,
			  const char *where)
{
	struct sales_score_rules *r = sales_score_rules_new(s);
	struct score_where w = { .text = where ? where : "" };

	if (r)
		check_mark(r, f, note, &w, "");
	sales_score_rules_free(r);
}

void sales_score_add_survey(const struct sales_settings *s,
			    struct sales_score_facts *f, const char *budget,
			    const char *chain, const char *note,
			    const char *where)
{
	struct sales_score_rules *r = sales_score_rules_new(s);
	struct score_where w = { .text = where ? where : "" };

	if (r)
		add_survey(r, f, budget, chain, note, &w);
	sales_score_rules_free(r);
}

/* ---- scoring ---- */

/* Each dimension's points; its reason into why (cap bytes) unless why is
 * NULL (nobody reads it). */
#define WHY(...) ((void)(why && snprintf(why, cap, __VA_ARGS__)))

static int score_industry(const struct sales_score_rules *r,
			  const char *industry, char *why, size_t cap)
{
	const struct industry_rule *hit = NULL;
	size_t len;
	const char *t = trimmed(industry, &len);

	if (!len) {
		WHY("no 行业 given (score.industry.default)");
		return (int)r->industry_default;
	}
	/* the last key naming it counts; one set to a non-number removes
	 * the industry */
	if (!(len == 7 && !strncasecmp(t, "default", 7)))
		for (size_t i = 0; i < r->nindustry; i++) {
			const struct industry_rule *e = &r->industry[i];

			if (e->len == len && !strncasecmp(e->name, t, len))
				hit = e->valid ? e : NULL;
		}
	if (hit) {
		WHY("%.*s (%s)", (int)len, t, hit->key);
		return (int)hit->points;
	}
	WHY(_("%.*s is not a listed industry (score.industry.default)"),
	    (int)len, t);
	return (int)r->industry_default;
}

static int score_size(const struct sales_score_rules *r, const char *size,
		      char *why, size_t cap)
{
	struct sales_size z;
	long unknown = r->size_unknown;
	long emp = -1, rev = -1;
	size_t len;
	const char *t = trimmed(size, &len);
	char amt[32], part[2][96] = { "", "" };

	switch (memo_size(r->memo, t, len, &z)) {
	case SALES_VALUE_OK:
		break;
	case SALES_VALUE_EMPTY:
		WHY(_("no 企业规模 given (score.size.unknown)"));
		return (int)unknown;
	case SALES_VALUE_UNKNOWN:
		WHY(_("%.*s: not known yet (score.size.unknown)"), (int)len, t);
		return (int)unknown;
	default:
		WHY(_("'%.*s' does not read as employees/revenue (score.size.unknown)"),
		    (int)len, t);
		return (int)unknown;
	}
	if (z.has_employees) {
		emp = sales_settings_bands_pick(&r->employees,
						(double)z.emp_lo, -1);
		if (!why)
			;
		else if (emp >= 0)
			snprintf(part[0], sizeof(part[0]), "%ld人 → %ld",
				 z.emp_lo, emp);
		else
			snprintf(part[0], sizeof(part[0]), _("%ld人 → no band"),
				 z.emp_lo);
	}
	if (z.has_revenue) {
		double v = amount_yuan(&z.revenue);
		bool under = !(z.revenue.flags & SALES_AMOUNT_LO);

		rev = sales_settings_bands_pick(&r->revenue, v, -1);
		if (!why)
			;
		else if (rev >= 0)
			snprintf(part[1], sizeof(part[1]), _("revenue %s%s → %ld"),
				 under ? _("under ") : "",
				 yuan(under ? v + 1 : v, amt, sizeof(amt)), rev);
		else
			snprintf(part[1], sizeof(part[1]), _("revenue %s%s → no band"),
				 under ? _("under ") : "",
				 yuan(under ? v + 1 : v, amt, sizeof(amt)));
	}
	WHY("%.*s: %s%s%s%s", (int)len, t, part[0],
	    part[0][0] && part[1][0] ? ", " : "", part[1],
	    emp < 0 && rev < 0 ? " (score.size.unknown)" :
	    part[0][0] && part[1][0] ? _("; the better counts") : "");
	if (emp < 0 && rev < 0)
		return (int)unknown;
	return (int)(emp > rev ? emp : rev);
}

static int score_budget(const struct sales_score_rules *r,
			const struct sales_score_facts *f, char *why,
			size_t cap)
{
	long unknown = r->budget_unknown;
	long pts;
	char amt[32];

	if (!f || !f->nsurveys) {
		WHY(_("no survey in 02 (score.budget.unknown)"));
		return (int)unknown;
	}
	if (!f->budget_known) {
		WHY("%s", f->budget_unknown ?
		    _("02 states no amount, only 待确认 (score.budget.unknown)") :
		    _("02 states no budget (score.budget.unknown)"));
		return (int)unknown;
	}
	pts = sales_settings_bands_pick(&r->budget, f->budget, -1);
	WHY(_("%s (%s) counts as %s%s%s"), f->budget_text, f->budget_where,
	    yuan(f->budget, amt, sizeof(amt)),
	    f->budget_stated > 1 ? _(", the largest stated") : "",
	    pts < 0 ? _("; no band applies (score.budget.unknown)") : "");
	return (int)(pts < 0 ? unknown : pts);
}

static int score_chain(const struct sales_score_rules *r,
		       const struct sales_score_facts *f, char *why,
		       size_t cap)
{
	if (f && f->marked) {
		WHY(_("%s says %s (score.chain.unknown)"), f->mark_where,
		    f->mark);
		return (int)r->chain_unknown;
	}
	if (f && f->chain == 2) {
		WHY(_("%s (%s) ends in %s (score.chain.complete)"),
		    f->chain_text, f->chain_where, f->decider);
		return (int)r->chain_complete;
	}
	if (f && f->chain == 1) {
		WHY(_("%s (%s) names no final decision maker (score.chain.partial)"),
		    f->chain_text, f->chain_where);
		return (int)r->chain_partial;
	}
	WHY("%s (score.chain.unknown)",
	    f && f->nsurveys ? _("02 gives no 决策流程") : _("no survey in 02"));
	return (int)r->chain_unknown;
}

static void compute(const struct sales_score_rules *r, const char *industry,
		    const char *size, const struct sales_score_facts *f,
		    bool explain, struct sales_score *out)
{
	long a = r->threshold_a, b = r->threshold_b;
	size_t cap = sizeof(out->why[0]);
	char *why;

	out->max = (int)r->max;
	out->total = 0;
	for (int d = 0; d < SALES_SCORE_NDIMS; d++)
		out->why[d][0] = '\0';
	out->grade_why[0] = '\0';
	out->points[SALES_SCORE_INDUSTRY] =
		score_industry(r, industry, explain ? out->why[0] : NULL, cap);
	out->points[SALES_SCORE_SIZE] =
		score_size(r, size, explain ? out->why[1] : NULL, cap);
	out->points[SALES_SCORE_BUDGET] =
		score_budget(r, f, explain ? out->why[2] : NULL, cap);
	out->points[SALES_SCORE_CHAIN] =
		score_chain(r, f, explain ? out->why[3] : NULL, cap);
	for (int d = 0; d < SALES_SCORE_NDIMS; d++) {
		int *p = &out->points[d];

		if (*p > out->max) {
			size_t n = strlen(out->why[d]);

			why = explain ? out->why[d] + n : NULL;
			cap = sizeof(out->why[d]) - n;
			WHY(_("; %d capped at %d (score.max_per_dimension)"),
			    *p, out->max);
			*p = out->max;
		}
		if (*p < 0)
			*p = 0;
		out->total += *p;
	}
	why = explain ? out->grade_why : NULL;
	cap = sizeof(out->grade_why);
	if (out->total >= a) {
		out->grade = 'A';
		WHY("%d ≥ %ld (score.threshold_a): A类", out->total, a);
	} else if (out->total >= b) {
		out->grade = 'B';
		WHY("%d ≥ %ld (score.threshold_b): B类", out->total, b);
	} else {
		out->grade = 'C';
		WHY("%d < %ld (score.threshold_b): C类", out->total, b);
	}
}

#undef WHY

void sales_score_compute(const struct sales_settings *s, const char *industry,
			 const char *size, const struct sales_score_facts *f,
			 struct sales_score *out)
{
	struct sales_score_rules *r = sales_score_rules_new(s);

	memset(out, 0, sizeof(*out));
	if (r)
		compute(r, industry, size, f, true, out);
	sales_score_rules_free(r);
}

/* ---- the customers' 02 rows ---- */

/* A customer's facts kept compactly (a 100k-lead workbook has as many
 * customers): the scalars, the texts as offsets into the pool, and where
 * they came from as the 02 line (the "02-surveys.csv:N" texts are put
 * together again when an explanation needs them). */
enum { FS_BUDGET_TEXT, FS_CHAIN_TEXT, FS_DECIDER, FS_MARK, FS_NSTR };
enum { MARK_IN_CHAIN = 1, MARK_IN_NOTE };

struct survey_entry {
	uint64_t hash;
	uint32_t name;      /* offset in pool */
	uint32_t str[FS_NSTR];
	uint32_t budget_line, chain_line, mark_line;   /* 0: none */
	double budget;
	int nsurveys, budget_stated, budget_unknown, chain;
	bool budget_known, marked;
	unsigned char mark_in;   /* MARK_IN_*: the column mark_line's text is in */
};

struct sales_score_surveys {
	struct survey_entry *ent;
	size_t n, cap;
	uint32_t *slot;     /* entry + 1 */
	size_t nslot;
	struct sales_buf pool;   /* starts with "" (offset 0) */
	char *sheet;        /* "02-surveys.csv", for the where texts */
};

/* The string fields of facts, in FS_ order, and their sizes. */
static char *facts_str(struct sales_score_facts *f, int k, size_t *size)
{
	switch (k) {
	case FS_BUDGET_TEXT: *size = sizeof(f->budget_text); return f->budget_text;
	case FS_CHAIN_TEXT: *size = sizeof(f->chain_text); return f->chain_text;
	case FS_DECIDER: *size = sizeof(f->decider); return f->decider;
	default: *size = sizeof(f->mark); return f->mark;
	}
}

/* dst (cap bytes) = "SHEET:LINE" + suffix, as add_survey and check_mark
 * put it together when they read the row. */
static void where_at(char *dst, size_t cap, const char *sheet, uint32_t line,
		     const char *suffix)
{
	struct score_where w = { .sheet = sheet, .line = (long)line };
	char at[96];

	if (!line)
		return;
	snprintf(at, sizeof(at), "%s%s", where_text(&w), suffix);
	copy_cut(dst, cap, at, strlen(at));
}

/* The facts a survey_entry keeps as they are (the strings go to the pool). */
#define ENTRY_SCALARS(X) X(nsurveys) X(budget_known) X(budget) \
	X(budget_stated) X(budget_unknown) X(chain) X(marked)
#define ENTRY_COPY(field) dst->field = src->field;

/* e into f; the where texts only when they are to be shown (explain). */
static void entry_expand(const struct sales_score_surveys *sv,
			 const struct survey_entry *e,
			 struct sales_score_facts *f, bool explain)
{
	sales_score_facts_init(f);
	{
		struct sales_score_facts *dst = f;
		const struct survey_entry *src = e;

		ENTRY_SCALARS(ENTRY_COPY)
	}
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
	if (!explain)
		return;
	where_at(f->budget_where, sizeof(f->budget_where), sv->sheet,
		 e->budget_line, "");
	where_at(f->chain_where, sizeof(f->chain_where), sv->sheet,
		 e->chain_line, "");
	where_at(f->mark_where, sizeof(f->mark_where), sv->sheet, e->mark_line,
		 e->mark_in == MARK_IN_NOTE ? " 备注" : " 决策流程");
}

/* Stores f into e; a string that did not change keeps its place. */
static int entry_compact(struct sales_score_surveys *sv,
			 struct survey_entry *e, struct sales_score_facts *f)
{
	{
		struct survey_entry *dst = e;
		const struct sales_score_facts *src = f;

		ENTRY_SCALARS(ENTRY_COPY)
	}
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
	uint32_t *s = sales_zalloc(nslot, sizeof(*s));

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
	uint64_t h = sales_hash_fast(name, len);
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
	struct sales_score_rules *rules = NULL;
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
	rules = sales_score_rules_new(s);
	if (!rules)
		goto nomem;
	if (sales_sheet_open(dir, SALES_SURVEYS, SALES_ENC_AUTO, &r, err) < 0)
		goto fail;
	if (!(sv->sheet = strdup(sales_sheet_name(r))))
		goto nomem;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		struct sales_score_facts f;
		struct survey_entry *e;
		/* only whether add_survey names this row counts (its line is
		 * kept, its text put together again when shown): no
		 * "02-surveys.csv:N" put together for every row */
		struct score_where where = { .text = "-" };
		size_t len;
		const char *name = trimmed(rec->v[SURVEY_CUSTOMER], &len);

		if (!len)
			continue;
		e = survey_get(sv, name, len);
		if (!e)
			goto nomem;
		/* the where texts empty: what add_survey writes there is this
		 * row's (kept as its line) */
		entry_expand(sv, e, &f, false);
		where.line = rec->row->line;
		add_survey(rules, &f, rec->v[SURVEY_BUDGET],
			   rec->v[SURVEY_DECISION_CHAIN], rec->v[SURVEY_NOTE],
			   &where);
		if (f.budget_where[0])
			e->budget_line = (uint32_t)where.line;
		if (f.chain_where[0])
			e->chain_line = (uint32_t)where.line;
		if (f.mark_where[0]) {
			size_t ml = strlen(f.mark_where);

			e->mark_line = (uint32_t)where.line;
			e->mark_in = ml >= strlen("备注") &&
				     !strcmp(f.mark_where + ml - strlen("备注"),
					     "备注") ? MARK_IN_NOTE : MARK_IN_CHAIN;
		}
		if (entry_compact(sv, e, &f) < 0)
			goto nomem;
	}
	if (rc < 0)
		goto fail;
	sales_sheet_close(r);
	sales_score_rules_free(rules);
	*out = sv;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	sales_sheet_close(r);
	sales_score_rules_free(rules);
	sales_score_surveys_free(sv);
	return -1;
}

void sales_score_surveys_free(struct sales_score_surveys *sv)
{
	if (!sv)
		return;
	free(sv->ent);
	free(sv->slot);
	free(sv->sheet);
	sales_buf_release(&sv->pool);
	free(sv);
}

static bool surveys_find(const struct sales_score_surveys *sv,
			 const char *customer, bool explain,
			 struct sales_score_facts *out)
{
	size_t len;
	const char *name = trimmed(customer, &len);
	long i;

	if (!sv || !len)
		return false;
	i = survey_find(sv, name, len, sales_hash_fast(name, len));
	if (i < 0)
		return false;
	entry_expand(sv, &sv->ent[i], out, explain);
	return true;
}

bool sales_score_surveys_find(const struct sales_score_surveys *sv,
			      const char *customer,
			      struct sales_score_facts *out)
{
	return surveys_find(sv, customer, true, out);
}

void sales_score_lead(const struct sales_score_rules *r,
		      const struct sales_score_surveys *sv,
		      const char *const *v, const char *where, bool explain,
		      struct sales_score *out)
{
	struct sales_score_facts f;
	struct score_where w = { .text = where ? where : "" };

	if (!surveys_find(sv, v[LEAD_CUSTOMER], explain, &f))
		sales_score_facts_init(&f);
	/* the lead's own note may say the decision maker is unknown too */
	check_mark(r, &f, v[LEAD_NOTE], &w, " 备注");
	compute(r, v[LEAD_INDUSTRY], v[LEAD_SIZE], &f, explain, out);
}
