/*
 * facts.c - the rulebook; see facts.h.  The deadline rules are a table:
 * each entry names its rule, the stage whose exceptions apply, and the
 * function that finds its deadlines; one function applies the waivers and
 * one decides every state.
 */
#include "facts.h"

#include "pool.h"
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "rules.h"
#include "text.h"

const struct sales_rule_def sales_rule_defs[SALES_NRULES] = {
	[SALES_RULE_SCREENING] = { "screening", "sales-workbook(5) rule 2", SALES_LEADS },
	[SALES_RULE_PROPOSAL] = { "proposal", "sales-workbook(5) rule 3", SALES_SOLUTIONS },
	[SALES_RULE_PAYMENT] = { "payments", "sales-workbook(5) rule 6", -1 },
	[SALES_RULE_STALLED] = { "stalled", "sales-workbook(5) rule 7", -1 },
	[SALES_RULE_AFTERSALES] = { "aftersales", "sales-workbook(5) rule 8", -1 },
	[SALES_RULE_PLAN] = { "followup", "07 下次跟进计划", -1 },
	[SALES_RULE_POOL] = { "pool", "sales-workbook(5) rule 14", -1 },
};

/*
 * A bucket's offsets into its idx, in one of three forms:
 *  - narrow: a 32-bit base every OFF_BLOCK buckets and a 16-bit step from
 *    it per bucket, 2 bytes a bucket instead of 4 (a million customers,
 *    three tables: 6 MB less);
 *  - wide: plain 32-bit offsets, when some block holds more than 65535
 *    items;
 *  - sparse, for a table with few items against its buckets (exceptions,
 *    or none at all: a lean model's contracts and follow-ups): each item's
 *    bucket in idx order (keys) and a bit per bucket saying it has items,
 *    so that most lookups are one bit test and the others a binary search
 *    of keys - 1/8 byte a bucket plus 4 an item (the funnel at a million
 *    leads: 10 MB less).
 * Read it with off_range.
 */
#define OFF_BLOCK 64
struct offs {
	uint32_t *wide;
	uint32_t *base;
	uint16_t *rel;
	uint32_t *keys;     /* sparse: the bucket of idx[k], ascending */
	uint64_t *some;     /* sparse: bit b, bucket b has items */
	size_t nkeys;
};

/* Bucket b's items: [*lo, *hi) in its idx. */
static inline void off_range(const struct offs *o, size_t b, uint32_t *lo,
			     uint32_t *hi)
{
	size_t l, h;

	if (o->rel) {
		*lo = o->base[b / OFF_BLOCK] + o->rel[b];
		*hi = o->base[(b + 1) / OFF_BLOCK] + o->rel[b + 1];
		return;
	}
	if (o->wide) {
		*lo = o->wide[b];
		*hi = o->wide[b + 1];
		return;
	}
	if (!o->some || !(o->some[b / 64] >> (b % 64) & 1)) {
		*lo = *hi = 0;
		return;
	}
	for (l = 0, h = o->nkeys; l < h;) {
		size_t mid = l + (h - l) / 2;

		if (o->keys[mid] < b)
			l = mid + 1;
		else
			h = mid;
	}
	for (h = l; h < o->nkeys && o->keys[h] == b; h++)
		;
	*lo = (uint32_t)l;
	*hi = (uint32_t)h;
}

static void offs_release(struct offs *o)
{
	free(o->wide);
	free(o->base);
	free(o->rel);
	free(o->keys);
	free(o->some);
}

struct sales_rulebook {
	const struct sales_model *m;
	sales_date today;
	long screening_days, proposal_days, stalled_days;
	long remind_days, collection_days, interval_days, warranty_days;
	struct sales_pool_rules pool;
	/* by customer: off_range(off, c) in idx;
	 * contracts have one more bucket (ncustomers) for those without a
	 * customer */
	struct offs exc_off, con_off, fu_off;
	uint32_t *exc_idx, *con_idx;
	uint32_t *fu_idx;   /* follow-ups by (date, line) in a bucket */
};

/* ---- indexing ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* bucket's sparse form: the items sorted by (key, i), as the counting sort
 * leaves them. */
static int bucket_sparse(size_t n, size_t nbuckets,
			 uint32_t (*key)(const void *, size_t), const void *arg,
			 struct offs *off, uint32_t **idx)
{
	uint64_t *pair = malloc((n ? n : 1) * sizeof(*pair));
	size_t k = 0;

	*idx = NULL;
	if (!pair)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint32_t b = key(arg, i);

		if (b < nbuckets)
			pair[k++] = (uint64_t)b << 32 | (uint32_t)i;
	}
	qsort(pair, k, sizeof(*pair), cmp_u64);
	*idx = malloc((k ? k : 1) * sizeof(**idx));
	off->keys = malloc((k ? k : 1) * sizeof(*off->keys));
	off->some = calloc(nbuckets / 64 + 1, sizeof(*off->some));
	if (!*idx || !off->keys || !off->some) {
		free(pair);
		return -1;
	}
	for (size_t j = 0; j < k; j++) {
		uint32_t b = (uint32_t)(pair[j] >> 32);

		off->keys[j] = b;
		(*idx)[j] = (uint32_t)pair[j];
		off->some[b / 64] |= (uint64_t)1 << (b % 64);
	}
	off->nkeys = k;
	free(pair);
	return 0;
}

/* Counting sort of n items by key(i) into nbuckets buckets. */
static int bucket(size_t n, size_t nbuckets, uint32_t (*key)(const void *, size_t),
		  const void *arg, struct offs *off, uint32_t **idx)
{
	size_t nblk = nbuckets / OFF_BLOCK + 1;
	uint32_t *base;
	uint16_t *rel;
	uint32_t *o, *x;

	memset(off, 0, sizeof(*off));
	if (n < nbuckets / 16)
		return bucket_sparse(n, nbuckets, key, arg, off, idx);
	o = sales_zalloc(nbuckets + 1, sizeof(*o));
	x = malloc((n ? n : 1) * sizeof(*x));
	if (!o || !x) {
		free(o);
		free(x);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t k = key(arg, i);

		if (k < nbuckets)
			o[k + 1]++;
	}
	for (size_t b = 0; b < nbuckets; b++)
		o[b + 1] += o[b];
	/* filled through o itself, o[k] standing for bucket k's next slot
	 * (after it, o[k] is where bucket k + 1 starts): then shifted back,
	 * with no second array of nbuckets */
	for (size_t i = 0; i < n; i++) {
		uint32_t k = key(arg, i);

		if (k < nbuckets)
			x[o[k]++] = (uint32_t)i;
	}
	memmove(o + 1, o, nbuckets * sizeof(*o));
	o[0] = 0;
	*idx = x;
	off->wide = o;
	off->base = NULL;
	off->rel = NULL;
	/* the narrow form, unless a block's items need more than 16 bits
	 * (or its memory is not there: the wide form serves) */
	base = malloc(nblk * sizeof(*base));
	rel = malloc((nbuckets + 1) * sizeof(*rel));
	if (!base || !rel)
		goto wide;
	for (size_t b = 0; b <= nbuckets; b++) {
		if (b % OFF_BLOCK == 0)
			base[b / OFF_BLOCK] = o[b];
		if (o[b] - base[b / OFF_BLOCK] > UINT16_MAX)
			goto wide;
		rel[b] = (uint16_t)(o[b] - base[b / OFF_BLOCK]);
	}
	free(o);
	off->wide = NULL;
	off->base = base;
	off->rel = rel;
	return 0;
wide:
	free(base);
	free(rel);
	return 0;
}

static uint32_t exc_key(const void *arg, size_t i)
{
	return ((const struct sales_model *)arg)->exceptions[i].customer;
}

static uint32_t fu_key(const void *arg, size_t i)
{
	return ((const struct sales_model *)arg)->followups[i].customer;
}

static uint32_t con_key(const void *arg, size_t i)
{
	const struct sales_model *m = arg;
	uint32_t c = m->contracts[i].customer;

	return c == UINT32_MAX ? (uint32_t)m->ncustomers : c;
}

static int cmp_fu(const void *a, const void *b, void *arg)
{
	const struct sales_model *m = arg;
	const struct sales_followup *x = &m->followups[*(const uint32_t *)a];
	const struct sales_followup *y = &m->followups[*(const uint32_t *)b];

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

int sales_rulebook_open(struct sales_rulebook **out, const struct sales_model *m,
			struct sales_error *err)
{
	struct sales_rulebook *rb = calloc(1, sizeof(*rb));
	const struct sales_context *ctx = m->ctx;

	*out = NULL;
	if (!rb)
		goto nomem;
	rb->m = m;
	rb->today = ctx->today;
	rb->screening_days = sales_setting_int(ctx, "deadline.screening_days");
	rb->proposal_days = sales_setting_int(ctx, "deadline.proposal_days");
	rb->stalled_days = sales_setting_int(ctx, "stalled.days");
	rb->remind_days = sales_setting_int(ctx, "payment.remind_days");
	rb->collection_days = sales_setting_int(ctx, "payment.collection_days");
	rb->interval_days = sales_setting_int(ctx, "aftersales.interval_days");
	rb->warranty_days = sales_setting_int(ctx, "aftersales.warranty_days");
	if (sales_pool_rules_load(ctx, &rb->pool, err) < 0) {
		free(rb);
		return -1;
	}
	if (bucket(m->nexceptions, m->ncustomers, exc_key, m, &rb->exc_off,
		   &rb->exc_idx) < 0 ||
	    bucket(m->ncontracts, m->ncustomers + 1, con_key, m, &rb->con_off,
		   &rb->con_idx) < 0 ||
	    bucket(m->nfollowups, m->ncustomers, fu_key, m, &rb->fu_off,
		   &rb->fu_idx) < 0)
		goto nomem;
	for (size_t c = 0; c < m->ncustomers; c++) {
		uint32_t a, b;

		off_range(&rb->fu_off, c, &a, &b);

		if (b - a > 1)
			qsort_r(rb->fu_idx + a, b - a, sizeof(*rb->fu_idx), cmp_fu,
				(void *)m);
	}
	*out = rb;
	return 0;
nomem:
	sales_rulebook_close(rb);
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

void sales_rulebook_close(struct sales_rulebook *rb)
{
	if (!rb)
		return;
	offs_release(&rb->exc_off);
	free(rb->exc_idx);
	offs_release(&rb->con_off);
	free(rb->con_idx);
	offs_release(&rb->fu_off);
	free(rb->fu_idx);
	free(rb);
}

void sales_facts_init(struct sales_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->customer = -1;
}

void sales_facts_release(struct sales_facts *f)
{
	free(f->deadlines);
	sales_facts_init(f);
}

/* ---- exceptions ---- */

static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	const char *x = sales_trim(a, &la);
	const char *y = sales_trim(b, &lb);

	return la == lb && !memcmp(x, y, la);
}

static bool exc_matches(const struct sales_model_exception *x, const char *type,
			enum sales_sheet_id id)
{
	return !strcmp(x->e.type, type) && sales_exception_covers(&x->e, id);
}

/*
 * The first approved exception of type for stage sheet id of customer c
 * (or, for c < 0, of the customer named name), else NULL with *invalid the
 * first that does not count.
 */
static const struct sales_model_exception *
exception_for(const struct sales_model *m, const struct sales_rulebook *rb,
	      long c, const char *name, const char *type, enum sales_sheet_id id,
	      const struct sales_model_exception **invalid)
{
	*invalid = NULL;
	if (c >= 0 && rb) {
		uint32_t lo, hi;

		off_range(&rb->exc_off, (size_t)c, &lo, &hi);
		for (uint32_t k = lo; k < hi; k++) {
			const struct sales_model_exception *x =
				&m->exceptions[rb->exc_idx[k]];

			if (!exc_matches(x, type, id))
				continue;
			if (x->valid)
				return x;
			if (!*invalid)
				*invalid = x;
		}
		return NULL;
	}
	for (size_t i = 0; i < m->nexceptions; i++) {
		const struct sales_model_exception *x = &m->exceptions[i];

		if (c >= 0 ? x->customer != (uint32_t)c :
		    x->customer != UINT32_MAX || !name ||
		    !same_name(x->e.customer, name))
			continue;
		if (!exc_matches(x, type, id))
			continue;
		if (x->valid)
			return x;
		if (!*invalid)
			*invalid = x;
	}
	return NULL;
}

const struct sales_model_exception *
sales_facts_exception(const struct sales_model *m,
		      const struct sales_rulebook *rb, size_t c,
		      const char *type, enum sales_sheet_id id,
		      const struct sales_model_exception **invalid)
{
	const struct sales_model_exception *bad;
	const struct sales_model_exception *e =
		exception_for(m, rb, (long)c, NULL, type, id, &bad);

	if (invalid)
		*invalid = bad;
	return e;
}

/* ---- stages and gates ---- */

static bool present(const struct sales_customer *k, int sheet)
{
	return sheet == SALES_LEADS ? k->lead_line != 0 :
	       (k->present & (1u << sheet)) != 0;
}

void sales_facts_gate(const struct sales_model *m, const struct sales_rulebook *rb,
		      long c, const char *name, enum sales_sheet_id id,
		      struct sales_gate_fact *g)
{
	struct sales_progress p;
	const struct sales_sheet_def *need;

	memset(g, 0, sizeof(*g));
	g->need = -1;
	memset(&p, 0, sizeof(p));
	if (c >= 0)
		sales_model_progress(m, (size_t)c, &p);
	g->missing = sales_gate_missing(id, &p, &g->why);
	if (!g->missing)
		return;
	need = sales_sheet_by_stage(g->missing);
	if (!need)
		return;
	g->need = (int)need->id;
	g->exception = exception_for(m, rb, c, name, "跳过环节", need->id,
				     &g->invalid);
}

static void eval_stages(const struct sales_rulebook *rb, long c,
			struct sales_facts *f)
{
	const struct sales_model *m = rb->m;
	const struct sales_customer *k = &m->customers[c];
	const char *name = sales_model_str(m, k->name);

	f->stage = sales_model_stage(k);
	for (int j = 0; j < SALES_NSTAGES; j++) {
		struct sales_stage_fact *s = &f->stages[j];
		bool later = (k->present >> (j + 1)) != 0;

		memset(s, 0, sizeof(*s));
		if (present(k, j)) {
			s->state = SALES_STAGE_PRESENT;
			continue;
		}
		s->exception = exception_for(m, rb, c, name, "跳过环节",
					     (enum sales_sheet_id)j, &s->invalid);
		s->state = s->exception ? SALES_STAGE_WAIVED :
			   later ? SALES_STAGE_MISSING : SALES_STAGE_NOT_REACHED;
	}
	for (int id = 0; id < SALES_NSTAGES; id++) {
		memset(&f->gates[id], 0, sizeof(f->gates[id]));
		f->gates[id].need = -1;
		if (id > 0 && present(k, id))
			sales_facts_gate(m, rb, c, name, (enum sales_sheet_id)id,
					 &f->gates[id]);
	}
}

const struct sales_model_exception *
sales_facts_unregistered(const struct sales_model *m, long c, const char *name,
			 const struct sales_model_exception **invalid)
{
	return exception_for(m, NULL, c, name, "跳过环节", SALES_LEADS, invalid);
}

/* ---- dates ---- */

int sales_facts_order(const struct sales_model *m, long c,
		      enum sales_sheet_id id, int col, sales_date d,
		      struct sales_error *err)
{
	const struct sales_customer *k;
	sales_date began = SALES_DATE_NONE, first[SALES_NSTAGES];
	int culprit = -1;
	char a[11], b[11];

	if (c < 0 || (size_t)c >= m->ncustomers || d == SALES_DATE_NONE ||
	    id <= SALES_LEADS || id >= SALES_NSTAGES || col < 0)
		return 0;
	k = &m->customers[c];
	sales_customer_firsts(m, k, first);
	for (int j = SALES_LEADS; j < (int)id; j++) {
		sales_date pj = j == SALES_LEADS ? sales_customer_registered(m, k) : first[j];

		if (pj != SALES_DATE_NONE && (began == SALES_DATE_NONE || pj > began)) {
			began = pj;
			culprit = j;
		}
	}
	if (culprit < 0 || d >= began)
		return 0;
	return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
			       "%s %s of '%s' is before stage %s began (%s in %s)",
			       sales_sheet_def(id)->columns[col].zh,
			       sales_date_format(d, a), sales_model_str(m, k->name),
			       sales_sheet_def((enum sales_sheet_id)culprit)->stage,
			       sales_date_format(began, b),
			       sales_sheet_def((enum sales_sheet_id)culprit)->file);
}

int sales_facts_review_order(sales_date submitted, sales_date reviewed,
			     struct sales_error *err)
{
	char a[11], b[11];

	if (submitted == SALES_DATE_NONE || reviewed == SALES_DATE_NONE ||
	    reviewed >= submitted)
		return 0;
	return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
			       "评审日期 %s is before 提交日期 %s",
			       sales_date_format(reviewed, a),
			       sales_date_format(submitted, b));
}

static enum sales_timeliness timeliness_of(const struct sales_model *m,
					   const struct sales_customer *k,
					   sales_date last, bool blank)
{
	sales_date act = sales_customer_activity(m, k);

	if (!k->lead_line || act == SALES_DATE_NONE)
		return SALES_TIMELY;
	if (last != SALES_DATE_NONE)
		return act > last ? SALES_TIMELY_OLDER : SALES_TIMELY;
	return blank && k->act_sheet != SALES_LEADS ? SALES_TIMELY_BLANK :
	       SALES_TIMELY;
}

enum sales_timeliness sales_facts_timeliness(const struct sales_model *m,
					     long c, sales_date last, bool blank,
					     struct sales_error *err)
{
	const struct sales_customer *k;
	enum sales_timeliness t;
	char a[11], b[11];

	if (c < 0 || (size_t)c >= m->ncustomers)
		return SALES_TIMELY;
	k = &m->customers[c];
	t = timeliness_of(m, k, last, blank);
	if (t == SALES_TIMELY_OLDER)
		sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				"最后跟进时间 %s of '%s' is older than its latest activity on %s (%s:%u): records are entered within 24 hours",
				sales_date_format(last, a),
				sales_model_str(m, k->name),
				sales_date_format(sales_customer_activity(m, k), b),
				sales_sheet_def((enum sales_sheet_id)k->act_sheet)->file,
				(unsigned)k->act_line);
	else if (t == SALES_TIMELY_BLANK)
		sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				"最后跟进时间 of '%s' is empty but it has activity on %s (%s:%u)",
				sales_model_str(m, k->name),
				sales_date_format(sales_customer_activity(m, k), b),
				sales_sheet_def((enum sales_sheet_id)k->act_sheet)->file,
				(unsigned)k->act_line);
	return t;
}

sales_date sales_last_contact(const struct sales_model *m,
			      const struct sales_customer *k, sales_date today)
{
	struct sales_customer_dates d = sales_customer_dates(m, k);
	sales_date last = d.last_contact;

	if (last != SALES_DATE_NONE && last > today)
		last = SALES_DATE_NONE;
	if (d.activity != SALES_DATE_NONE &&
	    (last == SALES_DATE_NONE || d.activity > last))
		last = d.activity;
	return last;
}

/* ---- deadlines ---- */

static struct sales_deadline *push(struct sales_facts *f,
				   enum sales_rule_kind kind)
{
	struct sales_deadline *d;

	if (SALES_ALLOC_GROW(f->deadlines, f->ndeadlines + 1, f->alloc) < 0)
		return NULL;
	d = &f->deadlines[f->ndeadlines++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->start = d->rule_due = d->due = d->done = SALES_DATE_NONE;
	d->pending = true;
	d->col = -1;
	d->contract = d->followup = -1;
	return d;
}

struct eval {
	const struct sales_rulebook *rb;
	const struct sales_model *m;
	long c;
	const struct sales_customer *k;   /* NULL for c < 0 */
	struct sales_facts *f;
};

#define PUSH(ev, kind) \
	struct sales_deadline *d = push((ev)->f, (kind)); \
	if (!d) \
		return -1

static int rule_screening(const struct eval *ev)
{
	const struct sales_customer *k = ev->k;

	sales_date reg = k ? sales_customer_registered(ev->m, k) :
			     SALES_DATE_NONE;

	if (!k || !k->lead_line || reg == SALES_DATE_NONE)
		return 0;
	if (k->grade_blank && k->status == SALES_LEAD_LOST)
		return 0;
	{
		PUSH(ev, SALES_RULE_SCREENING);
		d->start = reg;
		d->n = ev->rb->screening_days;
		d->rule_due = sales_calendar_add_workdays(ev->m->ctx->calendar,
							  reg,
							  (int)ev->rb->screening_days);
		d->sheet = SALES_LEADS;
		d->line = k->lead_line;
		d->row = sales_model_row(ev->m, SALES_LEADS, k->lead_line);
		d->col = LEAD_GRADE;
		/* when a grade was set is not recorded: a graded lead passes */
		if (!k->grade_blank) {
			d->done = d->rule_due;
			d->pending = false;
		}
	}
	return 0;
}

static int rule_proposal(const struct eval *ev)
{
	const struct sales_customer *k = ev->k;
	struct sales_stage_rows sv, so;

	if (!k)
		return 0;
	sales_customer_stage(ev->m, k, SALES_SURVEYS, &sv);
	sales_customer_stage(ev->m, k, SALES_SOLUTIONS, &so);
	if (sv.last == SALES_DATE_NONE)
		return 0;
	if (so.extra == SALES_DATE_NONE &&
	    ((k->present & (1u << SALES_SOLUTIONS)) || k->status == SALES_LEAD_LOST))
		return 0;   /* proposals without 提交日期, or a lost customer */
	{
		PUSH(ev, SALES_RULE_PROPOSAL);
		d->start = sv.last;
		d->n = ev->rb->proposal_days;
		d->rule_due = sales_calendar_add_workdays(ev->m->ctx->calendar,
							  sv.last,
							  (int)ev->rb->proposal_days);
		if (so.extra != SALES_DATE_NONE) {   /* the earliest 提交日期 */
			d->done = so.extra;
			d->pending = false;
			d->sheet = SALES_SOLUTIONS;
			d->line = so.extra_line;
			d->row = sales_model_row(ev->m, SALES_SOLUTIONS,
						 so.extra_line);
			d->col = SOL_SUBMITTED;
		} else {
			d->sheet = SALES_SURVEYS;
			d->line = sv.extra_line;   /* the row of sv.last */
			d->row = sales_model_row(ev->m, SALES_SURVEYS,
						 sv.extra_line);
			d->col = SURVEY_DATE;
		}
	}
	return 0;
}

static int rule_payments(const struct eval *ev)
{
	const struct sales_rulebook *rb = ev->rb;
	const struct sales_model *m = ev->m;
	size_t b = ev->c >= 0 ? (size_t)ev->c : m->ncustomers;

	uint32_t lo, hi;

	off_range(&rb->con_off, b, &lo, &hi);
	for (uint32_t i = lo; i < hi; i++) {
		const struct sales_contract *k = &m->contracts[rb->con_idx[i]];
		long late;

		if (k->status != SALES_APPROVAL_APPROVED || k->signed_date == SALES_DATE_NONE ||
		    k->signed_date > rb->today || k->payment_due == SALES_DATE_NONE)
			continue;
		{
			PUSH(ev, SALES_RULE_PAYMENT);
			d->start = k->signed_date;
			d->n = rb->collection_days;
			d->rule_due = k->payment_due;
			d->sheet = SALES_CONTRACTS;
			d->line = k->line;
			d->row = k->row;
			d->col = CON_PAYMENT_DUE;
			d->contract = (long)rb->con_idx[i];
			/* rule 6 is reminding and collecting: paid is done */
			if (k->paid != SALES_DATE_NONE) {
				d->done = k->paid;
				d->pending = false;
			}
			late = (long)(rb->today - k->payment_due);
			d->phase = late >= rb->collection_days ? SALES_PAY_COLLECT :
				   late > 0 ? SALES_PAY_OVERDUE :
				   -late <= rb->remind_days ? SALES_PAY_REMIND :
				   SALES_PAY_LATER;
		}
	}
	return 0;
}

static int rule_stalled(const struct eval *ev)
{
	const struct sales_customer *k = ev->k;
	sales_date last;

	if (!k || !k->lead_line || k->grade != 'A' || SALES_LEAD_CLOSED(k->status))
		return 0;
	last = ev->f->last_contact;
	if (last == SALES_DATE_NONE)
		return 0;
	{
		PUSH(ev, SALES_RULE_STALLED);
		d->start = last;
		d->n = ev->rb->stalled_days;
		/* no contact for n days is a risk on day last + n */
		d->rule_due = last + (sales_date)d->n - 1;
		d->sheet = SALES_LEADS;
		d->line = k->lead_line;
		d->row = sales_model_row(ev->m, SALES_LEADS, k->lead_line);
		d->col = LEAD_LAST_CONTACT;
	}
	return 0;
}

/* pool.h: an open lead nobody followed up returns to the pool after its
 * recall date; it is never done (a follow-up moves the date instead). */
static int rule_pool(const struct eval *ev)
{
	const struct sales_customer *k = ev->k;
	sales_date due;

	if (!k || !k->lead_line || !sales_customer_owner(ev->m, k) ||
	    SALES_LEAD_CLOSED(k->status) ||
	    k->status == SALES_LEAD_POOL ||
	    (k->present & (1u << SALES_CONTRACTS)))
		return 0;
	due = sales_pool_recall_due(ev->m->ctx, &ev->rb->pool, k->grade,
				    ev->f->last_contact);
	if (due == SALES_DATE_NONE)
		return 0;
	{
		PUSH(ev, SALES_RULE_POOL);
		d->start = ev->f->last_contact;
		d->n = ev->rb->pool.recall_days[k->grade - 'A'];
		d->rule_due = due;
		d->sheet = SALES_LEADS;
		d->line = k->lead_line;
		d->row = sales_model_row(ev->m, SALES_LEADS, k->lead_line);
		d->col = LEAD_OWNER;
	}
	return 0;
}

static int rule_aftersales(const struct eval *ev)
{
	const struct sales_rulebook *rb = ev->rb;
	const struct sales_model *m = ev->m;
	const struct sales_customer *k = ev->k;
	sales_date acc, wend, end, prev;
	uint32_t pline, lo, hi;
	enum sales_sheet_id psheet = SALES_ACCEPTANCE;
	long pfu = -1;

	if (!k || !k->accepted || k->status == SALES_LEAD_LOST ||
	    (acc = sales_customer_accepted(m, k, &pline)) == SALES_DATE_NONE ||
	    acc > rb->today)
		return 0;
	wend = acc + (sales_date)rb->warranty_days;
	end = wend < rb->today ? wend : rb->today;
	prev = acc;
	off_range(&rb->fu_off, (size_t)ev->c, &lo, &hi);
	for (uint32_t i = lo; i < hi; i++) {
		const struct sales_followup *fu = &m->followups[rb->fu_idx[i]];

		if (fu->date == SALES_DATE_NONE || fu->date < acc || fu->date > end)
			continue;
		if (fu->date - prev > rb->interval_days) {
			PUSH(ev, SALES_RULE_AFTERSALES);
			d->start = prev;
			d->n = rb->interval_days;
			d->rule_due = prev + (sales_date)rb->interval_days;
			d->done = fu->date;
			d->pending = false;
			d->sheet = SALES_FOLLOWUPS;
			d->line = fu->line;
			d->row = sales_model_row(m, SALES_FOLLOWUPS, fu->line);
			d->col = FU_DATE;
			d->followup = (long)rb->fu_idx[i];
		}
		prev = fu->date;
		pline = fu->line;
		psheet = SALES_FOLLOWUPS;
		pfu = (long)rb->fu_idx[i];
	}
	if (prev + (sales_date)rb->interval_days > wend)
		return 0;   /* the warranty ends before another visit is due */
	{
		PUSH(ev, SALES_RULE_AFTERSALES);
		d->start = prev;
		d->n = rb->interval_days;
		d->rule_due = prev + (sales_date)rb->interval_days;
		d->sheet = psheet;
		d->line = pline;
		d->row = sales_model_row(m, psheet, pline);
		d->col = psheet == SALES_FOLLOWUPS ? FU_DATE : ACC_DATE;
		d->followup = pfu;
	}
	return 0;
}

static int rule_plan(const struct eval *ev)
{
	const struct sales_followup *fu;

	if (!ev->k || ev->k->status == SALES_LEAD_LOST || ev->f->latest_followup < 0)
		return 0;
	fu = &ev->m->followups[ev->f->latest_followup];
	if (fu->next == SALES_DATE_NONE)
		return 0;
	{
		PUSH(ev, SALES_RULE_PLAN);
		d->start = fu->date;
		d->rule_due = fu->next;
		d->sheet = SALES_FOLLOWUPS;
		d->line = fu->line;
		d->row = sales_model_row(ev->m, SALES_FOLLOWUPS, fu->line);
		d->col = FU_NEXT_PLAN;
		d->followup = ev->f->latest_followup;
	}
	return 0;
}

/* The rules, in the order their deadlines are listed. */
static int (*const rule_fns[SALES_NRULES])(const struct eval *) = {
	[SALES_RULE_SCREENING] = rule_screening,
	[SALES_RULE_PROPOSAL] = rule_proposal,
	[SALES_RULE_PAYMENT] = rule_payments,
	[SALES_RULE_STALLED] = rule_stalled,
	[SALES_RULE_AFTERSALES] = rule_aftersales,
	[SALES_RULE_PLAN] = rule_plan,
	[SALES_RULE_POOL] = rule_pool,
};

/* The one place waivers apply (facts.h), then the one place states are
 * decided. */
static void settle_with(const struct eval *ev, sales_date today,
			struct sales_deadline *d)
{
	int stage = sales_rule_defs[d->kind].stage;
	sales_date at = d->pending ? today : d->done;

	d->due = d->rule_due;
	d->breach = at > d->rule_due;
	if (stage >= 0 && ev->c >= 0) {
		const struct sales_model *m = ev->m;
		const char *name = sales_model_str(m, ev->k->name);
		const struct sales_model_exception *skip, *ext, *bad1 = NULL,
			*bad2 = NULL;

		skip = exception_for(m, ev->rb, ev->c, name, "跳过环节",
				     (enum sales_sheet_id)stage, &bad1);
		ext = skip ? NULL :
		      exception_for(m, ev->rb, ev->c, name, "延期",
				    (enum sales_sheet_id)stage, &bad2);
		if (skip) {
			d->exception = skip;
			d->state = SALES_DL_WAIVED;
			return;
		}
		d->invalid = bad2 ? bad2 : bad1;
		if (ext) {
			sales_date nd;

			d->exception = ext;
			if (sales_parse_date(ext->e.deadline, strlen(ext->e.deadline),
					     &nd) != SALES_VALUE_OK) {
				d->state = SALES_DL_WAIVED;
				return;
			}
			d->due = nd;
			d->extended = true;
		}
	}
	d->state = d->pending ? (today <= d->due ? SALES_DL_COMING :
				 SALES_DL_MISSED) :
		   d->done <= d->due ? SALES_DL_MET : SALES_DL_MISSED;
}

static void settle(const struct eval *ev, struct sales_deadline *d)
{
	settle_with(ev, ev->rb->today, d);
}

static long latest_followup(const struct sales_rulebook *rb, long c)
{
	uint32_t a, b;

	off_range(&rb->fu_off, (size_t)c, &a, &b);

	/* undated rows sort first: the last is the latest dated, or (all
	 * undated) the last in file order */
	return b > a ? (long)rb->fu_idx[b - 1] : -1;
}

int sales_facts_eval(const struct sales_rulebook *rb, long c, unsigned want,
		     struct sales_facts *f, struct sales_error *err)
{
	const struct sales_model *m = rb->m;
	struct eval ev = { rb, m, c, c >= 0 ? &m->customers[c] : NULL, f };

	f->customer = c;
	f->stage = -1;
	f->signed_contract = -1;
	f->last_contact = SALES_DATE_NONE;
	f->timeliness = SALES_TIMELY;
	f->latest_followup = -1;
	f->ndeadlines = 0;
	memset(f->stages, 0, sizeof(f->stages));
	for (int i = 0; i < SALES_NSTAGES; i++) {
		memset(&f->gates[i], 0, sizeof(f->gates[i]));
		f->gates[i].need = -1;
	}
	if (c >= 0) {
		size_t b = (size_t)c;

		if (want & SALES_FACTS_STAGES)
			eval_stages(rb, c, f);
		f->last_contact = sales_last_contact(m, ev.k, rb->today);
		f->timeliness = timeliness_of(m, ev.k, sales_customer_last_contact(m, ev.k),
					      ev.k->contact_blank);
		f->latest_followup = latest_followup(rb, c);
		uint32_t lo, hi;

		off_range(&rb->con_off, b, &lo, &hi);
		for (uint32_t i = lo; i < hi; i++) {
			const struct sales_contract *k = &m->contracts[rb->con_idx[i]];

			if (k->status == SALES_APPROVAL_APPROVED && k->signed_date != SALES_DATE_NONE &&
			    k->signed_date <= rb->today &&
			    (f->signed_contract < 0 ||
			     k->signed_date < m->contracts[f->signed_contract].signed_date))
				f->signed_contract = (long)rb->con_idx[i];
		}
	}
	if (!(want & SALES_FACTS_DEADLINES))
		return 0;
	for (int r = 0; r < SALES_NRULES; r++)
		if (rule_fns[r](&ev) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	for (size_t i = 0; i < f->ndeadlines; i++)
		settle(&ev, &f->deadlines[i]);
	return 0;
}

int sales_facts_deadline_if(const struct sales_model *m, long c,
			    enum sales_rule_kind kind, sales_date done,
			    struct sales_deadline *d)
{
	struct sales_rulebook rb = { .m = m, .today = m->ctx->today };
	struct sales_facts f;
	/* no index: the exceptions are scanned (one customer) */
	struct eval ev = { NULL, m, c, NULL, &f };
	const struct sales_customer *k;

	if (c < 0 || (size_t)c >= m->ncustomers)
		return -1;
	k = ev.k = &m->customers[c];
	sales_facts_init(&f);
	f.deadlines = d;
	f.alloc = 1;   /* push() fills d and never grows */
	switch (kind) {
	case SALES_RULE_SCREENING:
		if (!k->lead_line || sales_customer_registered(m, k) == SALES_DATE_NONE)
			return -1;
		rb.screening_days = sales_setting_int(m->ctx, "deadline.screening_days");
		push(&f, kind);
		d->start = sales_customer_registered(m, k);
		d->n = rb.screening_days;
		d->rule_due = sales_screening_deadline(m->ctx, sales_customer_registered(m, k));
		break;
	case SALES_RULE_PROPOSAL: {
		sales_date surveyed = sales_customer_last(m, k, SALES_SURVEYS);

		if (surveyed == SALES_DATE_NONE)
			return -1;
		rb.proposal_days = sales_setting_int(m->ctx, "deadline.proposal_days");
		push(&f, kind);
		d->start = surveyed;
		d->n = rb.proposal_days;
		d->rule_due = sales_proposal_deadline(m->ctx, surveyed);
		break;
	}
	default:
		return -1;
	}
	if (done != SALES_DATE_NONE) {
		d->done = done;
		d->pending = false;
	}
	settle_with(&ev, m->ctx->today, d);
	return 0;
}

int sales_facts_status_allowed(const struct sales_model *m,
			       const struct sales_facts *f, const char *status,
			       struct sales_error *err)
{
	size_t len = strlen(status);
	const char *s = sales_trim(status, &len);
	bool to_signed = len == strlen("已签约") && !memcmp(s, "已签约", len);
	long k = f ? f->signed_contract : -1;
	char d[11];

	if (!len)
		return 0;
	if (to_signed && k < 0)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       "客户状态 已签约 needs a signed contract (已审批 with a 签订日期 in 04-contracts.csv), and the customer has none: sign one with 'sales contract sign'");
	if (!to_signed && k >= 0)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       "客户状态 must stay 已签约: contract %s was signed on %s (04-contracts.csv:%u)",
				       sales_model_str(m, m->contracts[k].id),
				       sales_date_format(m->contracts[k].signed_date, d),
				       (unsigned)m->contracts[k].line);
	return 0;
}
