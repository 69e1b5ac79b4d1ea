/*
 * review.c - the 复盘 pack (see review.h): each part from its own module;
 * what is gathered here is the 典型案例, the overdue list, the exceptions
 * and the attendees, read from the workbook model.
 */
#include "review.h"
#include "buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "due.h"
#include "model.h"
#include "schema.h"

struct strs {
	char **v;
	size_t n, alloc;
};

struct priv {
	struct strs strs;
	size_t awon, alost, aover, aexc, ateam;
};

static const char *keep(struct priv *p, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (SALES_ALLOC_GROW(p->strs.v, p->strs.n + 1, p->strs.alloc) < 0)
		return NULL;
	d = strdup(s);
	if (d)
		p->strs.v[p->strs.n++] = d;
	return d;
}

/* What the model does not keep, per customer: 丢单原因 and the largest 报价. */
struct extra {
	const char *reason;       /* kept */
	bool has_quote;
	double quote;
};

struct hook_state {
	struct priv *p;
	struct extra *x;
	size_t nx;
	bool oom;
};

static struct extra *extra_of(struct hook_state *hs, long c)
{
	if (SALES_ALLOC_GROW_ZERO(hs->x, (size_t)c + 1, hs->nx) < 0)
		return NULL;
	return &hs->x[c];
}

static int row_hook(void *ud, const struct sales_row_event *ev,
		    struct sales_error *err)
{
	struct hook_state *hs = ud;
	struct extra *x;

	if (ev->customer < 0 ||
	    (ev->sheet != SALES_LEADS && ev->sheet != SALES_SOLUTIONS))
		return 0;
	x = extra_of(hs, ev->customer);
	if (!x)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (ev->sheet == SALES_LEADS) {
		const char *v = ev->rec->v[LEAD_LOST_REASON];

		if (*v && !(x->reason = keep(hs->p, v)))
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	} else {
		const char *v = ev->rec->v[SOL_QUOTE];
		struct sales_amount a;

		if (sales_parse_amount(v, strlen(v), &a) == SALES_VALUE_OK &&
		    (a.flags & SALES_AMOUNT_LO)) {
			double q = (a.flags & SALES_AMOUNT_HI) ? a.hi : a.lo;

			if (!x->has_quote || q > x->quote) {
				x->has_quote = true;
				x->quote = q;
			}
		}
	}
	return 0;
}

static int enum_index(const char *const *values, const char *s)
{
	for (int i = 0; values[i]; i++)
		if (!strcmp(values[i], s))
			return i;
	return -2;
}

static int popcount7(unsigned v)
{
	int n = 0;

	for (int i = 0; i < SALES_NSTAGES; i++)
		n += (v >> i) & 1;
	return n;
}

static int by_amount(const void *a, const void *b)
{
	const struct sales_review_case *x = a, *y = b;

	if (x->has_amount != y->has_amount)
		return x->has_amount ? -1 : 1;
	if (x->has_amount && x->amount != y->amount)
		return x->amount > y->amount ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return strcmp(x->customer, y->customer);
}

static int by_overdue(const void *a, const void *b)
{
	const struct sales_review_item *x = a, *y = b;

	if (x->days_overdue != y->days_overdue)
		return x->days_overdue > y->days_overdue ? -1 : 1;
	return strcmp(x->customer, y->customer);
}

static int workbook(struct sales_review_pack *r, const struct sales_review_query *q,
		    size_t w, struct sales_error *err)
{
	struct priv *p = r->priv;
	const char *label = q->ndirs > 1 ? q->dirs[w] : NULL;
	struct sales_context ctx;
	struct sales_model *m = NULL;
	struct hook_state hs = { p, NULL, 0, false };
	struct sales_due_query dq = { q->as_of, 0, NULL, false };
	struct sales_due_list due = { 0 };
	int approved = enum_index(sales_approval_states, "已审批");
	int lost = enum_index(sales_lead_statuses, "已丢单");
	int rc = -1;

	if (sales_context_load(&ctx, q->dirs[w], q->as_of, err) < 0)
		return -1;
	if (sales_model_load(&m, &ctx, SALES_MODEL_ALL, row_hook, &hs, err) < 0 ||
	    sales_due_find(m, &dq, &due, err) < 0)
		goto out;
	if (label && !(label = keep(p, label)))
		goto nomem;
	for (size_t i = 0; i < ctx.nteam; i++) {
		bool seen = false;

		for (size_t k = 0; k < r->nteam && !seen; k++)
			seen = !strcmp(r->team[k].name, ctx.team[i].name);
		if (seen)
			continue;
		if (SALES_ALLOC_GROW(r->team, r->nteam + 1, p->ateam) < 0)
			goto nomem;
		r->team[r->nteam].name = keep(p, ctx.team[i].name);
		r->team[r->nteam].role = keep(p, ctx.team[i].role);
		r->team[r->nteam].region = keep(p, ctx.team[i].region);
		if (!r->team[r->nteam].name || !r->team[r->nteam].role ||
		    !r->team[r->nteam].region)
			goto nomem;
		r->nteam++;
	}
	for (size_t i = 0; i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		const struct sales_customer *c;
		struct sales_review_case *wc;

		if (k->status != approved || k->signed_date == SALES_DATE_NONE ||
		    k->signed_date < r->first || k->signed_date > r->last ||
		    k->signed_date > q->as_of || k->customer == UINT32_MAX)
			continue;
		c = &m->customers[k->customer];
		if (SALES_ALLOC_GROW(r->won, r->nwon + 1, p->awon) < 0)
			goto nomem;
		wc = &r->won[r->nwon];
		memset(wc, 0, sizeof(*wc));
		wc->workbook = label;
		wc->customer = keep(p, sales_model_str(m, c->name));
		wc->owner = keep(p, sales_model_str(m, sales_customer_owner(m, c)));
		wc->contract = keep(p, sales_model_str(m, k->id));
		wc->reason = "";
		if (!wc->customer || !wc->owner || !wc->contract)
			goto nomem;
		wc->has_amount = !isnan(k->amount);
		wc->amount = wc->has_amount ? k->amount : 0;
		wc->cycle_days = sales_customer_registered(m, c) != SALES_DATE_NONE &&
			k->signed_date >= sales_customer_registered(m, c) ?
			(long)(k->signed_date - sales_customer_registered(m, c)) : -1;
		wc->stage = sales_model_stage(c);
		wc->nstages = popcount7(c->present);
		wc->date = k->signed_date;
		wc->stalled_days = -1;
		r->nwon++;
	}
	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *c = &m->customers[i];
		const struct extra *x = i < hs.nx ? &hs.x[i] : NULL;
		struct sales_review_case *lc;
		sales_date latest = SALES_DATE_NONE;

		if (!c->lead_line || c->status != lost ||
		    sales_customer_last_contact(m, c) == SALES_DATE_NONE || sales_customer_last_contact(m, c) < r->first ||
		    sales_customer_last_contact(m, c) > r->last || sales_customer_last_contact(m, c) > q->as_of)
			continue;
		for (int s = 0; s < SALES_NSTAGES; s++) {
			sales_date ls = sales_customer_last(m, c, s);

			if (ls != SALES_DATE_NONE && ls <= sales_customer_last_contact(m, c) &&
			    (latest == SALES_DATE_NONE || ls > latest))
				latest = ls;
		}
		if (SALES_ALLOC_GROW(r->lost, r->nlost + 1, p->alost) < 0)
			goto nomem;
		lc = &r->lost[r->nlost];
		memset(lc, 0, sizeof(*lc));
		lc->workbook = label;
		lc->customer = keep(p, sales_model_str(m, c->name));
		lc->owner = keep(p, sales_model_str(m, sales_customer_owner(m, c)));
		lc->contract = "";
		lc->reason = x && x->reason ? x->reason : "";
		if (!lc->customer || !lc->owner)
			goto nomem;
		lc->has_amount = x && x->has_quote;
		lc->amount = lc->has_amount ? x->quote : 0;
		lc->cycle_days = -1;
		lc->stage = sales_model_stage(c);
		lc->nstages = popcount7(c->present);
		lc->date = sales_customer_last_contact(m, c);
		lc->stalled_days = latest != SALES_DATE_NONE ?
			(long)(sales_customer_last_contact(m, c) - latest) : -1;
		r->nlost++;
	}
	for (size_t i = 0; i < due.n; i++) {
		const struct sales_due_item *it = &due.items[i];
		struct sales_review_item *o;

		if (it->days >= 0)
			continue;
		if (SALES_ALLOC_GROW(r->overdue, r->noverdue + 1, p->aover) < 0)
			goto nomem;
		o = &r->overdue[r->noverdue];
		o->workbook = label;
		o->customer = keep(p, it->customer >= 0 ?
				   sales_model_str(m, m->customers[it->customer].name) : "");
		o->owner = keep(p, sales_model_str(m, it->owner));
		o->kind = sales_due_kind_keys[it->kind];
		o->label = sales_due_kind_labels[it->kind];
		o->date = it->date;
		o->days_overdue = -it->days;
		if (!o->customer || !o->owner)
			goto nomem;
		r->noverdue++;
	}
	for (size_t i = 0; i < m->nexceptions; i++) {
		const struct sales_model_exception *me = &m->exceptions[i];
		struct sales_review_exception *e;
		sales_date d;

		if (sales_parse_date(me->e.approved, strlen(me->e.approved), &d) !=
		    SALES_VALUE_OK || d < r->first || d > r->last)
			continue;
		if (SALES_ALLOC_GROW(r->exceptions, r->nexceptions + 1, p->aexc) < 0)
			goto nomem;
		e = &r->exceptions[r->nexceptions];
		e->workbook = label;
		e->customer = keep(p, me->e.customer);
		e->type = keep(p, me->e.type);
		e->stage = keep(p, me->e.stage);
		e->reason = keep(p, me->e.reason);
		e->approver = keep(p, me->e.approver);
		e->approved = d;
		e->valid = me->valid;
		e->why_invalid = me->valid ? NULL : keep(p, me->why_invalid ? me->why_invalid : "");
		if (!e->customer || !e->type || !e->stage || !e->reason || !e->approver ||
		    (!me->valid && !e->why_invalid))
			goto nomem;
		r->nexceptions++;
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	free(hs.x);
	sales_due_list_release(&due);
	sales_model_free(m);
	sales_context_release(&ctx);
	return rc;
}

/* The period n periods before (y, q, m). */
static void step_back(int *y, int *q, int *m)
{
	if (*m) {
		if (--*m == 0) {
			*m = 12;
			--*y;
		}
		*q = (*m + 2) / 3;
	} else if (--*q == 0) {
		*q = 4;
		--*y;
	}
}

int sales_review_compute(struct sales_review_pack **out,
			 const struct sales_review_query *q,
			 struct sales_error *err)
{
	struct sales_review_pack *r = calloc(1, sizeof(*r));
	struct sales_kpi_query kq = { q->dirs, NULL, q->ndirs, q->year, q->quarter,
				      q->as_of, q->by, q->month };
	struct sales_funnel_query fq = { q->dirs, NULL, q->ndirs, q->by, q->year,
					 q->quarter, q->as_of, q->month };
	struct sales_scorecard_query sq = { q->dirs, q->ndirs, q->year, q->quarter,
					    q->month, q->as_of, NULL, NULL };
	struct sales_calib_query cq = { q->dirs, q->ndirs, q->year, q->quarter,
					q->month, q->as_of };
	int y = q->year, qq = q->quarter, mm = q->month;

	*out = NULL;
	if (!r || !(r->priv = calloc(1, sizeof(struct priv)))) {
		free(r);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	r->year = q->year;
	r->quarter = q->quarter;
	r->month = q->month;
	r->as_of = q->as_of;
	r->ndirs = q->ndirs;
	sales_kpi_period_bounds(q->year, q->quarter, q->month, &r->first, &r->last);
	if (sales_kpi_compute(&r->kpi, &kq, err) < 0 ||
	    sales_funnel_compute(&r->funnel, &fq, err) < 0 ||
	    sales_scorecard_compute(&r->scorecard, &sq, err) < 0 ||
	    sales_calibration_compute(&r->calibration, &cq, err) < 0)
		goto fail;
	kq.by = SALES_KPI_BY_NONE;
	for (int i = SALES_REVIEW_TREND - 1; i >= 0; i--) {
		kq.year = y;
		kq.quarter = qq;
		kq.month = mm;
		if (sales_kpi_compute(&r->trend[i], &kq, err) < 0)
			goto fail;
		step_back(&y, &qq, &mm);
	}
	for (size_t w = 0; w < q->ndirs; w++)
		if (workbook(r, q, w, err) < 0)
			goto fail;
	/* qsort's array may not be NULL, even when empty */
	if (r->nwon)
		qsort(r->won, r->nwon, sizeof(*r->won), by_amount);
	if (r->nlost)
		qsort(r->lost, r->nlost, sizeof(*r->lost), by_amount);
	if (r->noverdue)
		qsort(r->overdue, r->noverdue, sizeof(*r->overdue), by_overdue);
	*out = r;
	return 0;
fail:
	sales_review_free(r);
	return -1;
}

void sales_review_free(struct sales_review_pack *r)
{
	struct priv *p;

	if (!r)
		return;
	p = r->priv;
	sales_kpi_free(r->kpi);
	sales_funnel_free(r->funnel);
	for (int i = 0; i < SALES_REVIEW_TREND; i++)
		sales_kpi_free(r->trend[i]);
	sales_scorecard_free(r->scorecard);
	sales_calibration_free(r->calibration);
	free(r->won);
	free(r->lost);
	free(r->overdue);
	free(r->exceptions);
	free(r->team);
	if (p) {
		for (size_t i = 0; i < p->strs.n; i++)
			free(p->strs.v[i]);
		free(p->strs.v);
		free(p);
	}
	free(r);
}
