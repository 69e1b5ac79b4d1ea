#include "due.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "context.h"
#include "rules.h"
#include "schema.h"
#include "text.h"

const char *const sales_due_kind_keys[SALES_DUE_NKINDS] = {
	"followup", "payment", "collection", "stalled", "aftersales",
	"screening", "proposal",
};

const char *const sales_due_kind_labels[SALES_DUE_NKINDS] = {
	"跟进计划", "回款提醒", "催款", "停滞A类线索", "售后回访", "线索定级",
	"方案提交",
};

static bool status_is(const struct sales_customer *c, const char *status)
{
	return c->status >= 0 && !strcmp(sales_lead_statuses[c->status], status);
}

static bool closed(const struct sales_customer *c)
{
	return status_is(c, "已签约") || status_is(c, "已丢单");
}

struct finder {
	const struct sales_model *m;
	const struct sales_due_query *q;
	struct sales_due_list *out;
	const char *owner;          /* the filter, trimmed */
	size_t owner_len;
};

static int add_item(struct finder *f, enum sales_due_kind kind, sales_date date,
		    long horizon, uint32_t owner, long customer,
		    enum sales_sheet_id sheet, uint32_t line)
{
	struct sales_due_list *l = f->out;
	struct sales_due_item *it;

	if (date == SALES_DATE_NONE || date > f->q->as_of + horizon)
		return 0;
	if (f->owner) {
		const char *o = sales_model_str(f->m, owner);

		if (strlen(o) != f->owner_len || memcmp(o, f->owner, f->owner_len))
			return 0;
	}
	if (SALES_ALLOC_GROW(l->items, l->n + 1, l->alloc) < 0)
		return -1;
	it = &l->items[l->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->date = date;
	it->days = (long)date - f->q->as_of;
	it->owner = owner;
	it->customer = customer;
	it->contract = -1;
	it->followup = -1;
	it->sheet = sheet;
	it->line = line;
	return 0;
}

/* An approved 延期 for the customer's stage sheet id with a 新期限, or NONE. */
static sales_date extension(const struct sales_model *m, size_t c,
			    enum sales_sheet_id id)
{
	const struct sales_model_exception *e =
		sales_model_exception(m, c, "延期", id, NULL);
	sales_date d;

	if (!e || sales_parse_date(e->e.deadline, strlen(e->e.deadline), &d) !=
		  SALES_VALUE_OK)
		return SALES_DATE_NONE;
	return d;
}

static int find_payments(struct finder *f, long horizon, long collection_days)
{
	const struct sales_model *m = f->m;

	for (size_t i = 0; i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		uint32_t owner = k->customer != UINT32_MAX ?
				 m->customers[k->customer].owner : 0;
		enum sales_due_kind kind;
		size_t before = f->out->n;

		if (k->status < 0 || strcmp(sales_approval_states[k->status], "已审批") ||
		    k->signed_date == SALES_DATE_NONE ||
		    k->payment_due == SALES_DATE_NONE || k->paid != SALES_DATE_NONE)
			continue;
		kind = (long)f->q->as_of - k->payment_due >= collection_days ?
		       SALES_DUE_COLLECTION : SALES_DUE_PAYMENT;
		if (add_item(f, kind, k->payment_due, horizon, owner,
			     k->customer != UINT32_MAX ? (long)k->customer : -1,
			     SALES_CONTRACTS, k->line) < 0)
			return -1;
		if (f->out->n > before)
			f->out->items[before].contract = (long)i;
	}
	return 0;
}

/* Each customer's latest follow-up (by 跟进时间, then file order), or -1. */
static long *latest_followups(const struct sales_model *m)
{
	long *latest = malloc((m->ncustomers ? m->ncustomers : 1) * sizeof(*latest));

	if (!latest)
		return NULL;
	for (size_t c = 0; c < m->ncustomers; c++)
		latest[c] = -1;
	for (size_t i = 0; i < m->nfollowups; i++) {
		const struct sales_followup *fu = &m->followups[i];
		sales_date prev;
		long *l;

		if (fu->customer == UINT32_MAX)
			continue;
		l = &latest[fu->customer];
		if (*l < 0) {
			*l = (long)i;
			continue;
		}
		prev = m->followups[*l].date;
		/* an undated row never beats a dated one */
		if (fu->date == SALES_DATE_NONE ? prev == SALES_DATE_NONE :
		    prev == SALES_DATE_NONE || fu->date >= prev)
			*l = (long)i;
	}
	return latest;
}

static int find_customer_items(struct finder *f, const long *latest,
			       long horizon)
{
	const struct sales_model *m = f->m;
	const struct sales_context *ctx = m->ctx;
	long stalled_days = sales_setting_int(ctx, "stalled.days");
	long interval = sales_setting_int(ctx, "aftersales.interval_days");
	long warranty = sales_setting_int(ctx, "aftersales.warranty_days");

	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *c = &m->customers[i];
		const struct sales_followup *fu = latest[i] >= 0 ?
			&m->followups[latest[i]] : NULL;
		size_t before = f->out->n;
		sales_date d;

		if (status_is(c, "已丢单"))
			continue;
		/* the plan of the latest follow-up */
		if (fu && fu->next != SALES_DATE_NONE) {
			if (add_item(f, SALES_DUE_FOLLOWUP, fu->next, horizon,
				     fu->by ? fu->by : c->owner, (long)i,
				     SALES_FOLLOWUPS, fu->line) < 0)
				return -1;
			if (f->out->n > before)
				f->out->items[before].followup = latest[i];
		}
		/* after-sales visits during the warranty */
		if (c->accepted && c->accepted_date != SALES_DATE_NONE) {
			sales_date base = c->accepted_date;

			if (fu && fu->date != SALES_DATE_NONE && fu->date > base)
				base = fu->date;
			d = base + (sales_date)interval;
			if (d <= c->accepted_date + warranty &&
			    !(fu && fu->next != SALES_DATE_NONE && fu->next <= d) &&
			    add_item(f, SALES_DUE_AFTERSALES, d, horizon,
				     fu && fu->by ? fu->by : c->owner, (long)i,
				     fu ? SALES_FOLLOWUPS : SALES_ACCEPTANCE,
				     fu ? fu->line : c->first_line[SALES_ACCEPTANCE]) < 0)
				return -1;
		}
		if (closed(c))
			continue;
		/* an A-grade lead going quiet */
		if (c->lead_line && c->grade == 'A') {
			sales_date last = c->last_contact != SALES_DATE_NONE ?
					  c->last_contact : c->registered;

			if (last != SALES_DATE_NONE &&
			    add_item(f, SALES_DUE_STALLED, last + (sales_date)stalled_days,
				     horizon, c->owner, (long)i, SALES_LEADS,
				     c->lead_line) < 0)
				return -1;
		}
		/* screening: a grade within N working days of registration */
		if (c->lead_line && !c->grade && c->registered != SALES_DATE_NONE) {
			sales_date ext = extension(m, i, SALES_LEADS);

			before = f->out->n;
			d = ext != SALES_DATE_NONE ? ext :
			    sales_screening_deadline(ctx, c->registered);
			if (add_item(f, SALES_DUE_SCREENING, d, horizon, c->owner,
				     (long)i, SALES_LEADS, c->lead_line) < 0)
				return -1;
			if (f->out->n > before)
				f->out->items[before].extended = ext != SALES_DATE_NONE;
		}
		/* a proposal within N working days of the last survey */
		if ((c->present & (1u << SALES_SURVEYS)) &&
		    !(c->present & (1u << SALES_SOLUTIONS)) &&
		    c->last[SALES_SURVEYS] != SALES_DATE_NONE) {
			sales_date ext = extension(m, i, SALES_SOLUTIONS);

			before = f->out->n;
			d = ext != SALES_DATE_NONE ? ext :
			    sales_proposal_deadline(ctx, c->last[SALES_SURVEYS]);
			if (add_item(f, SALES_DUE_PROPOSAL, d, horizon, c->owner,
				     (long)i, SALES_SURVEYS,
				     c->first_line[SALES_SURVEYS]) < 0)
				return -1;
			if (f->out->n > before)
				f->out->items[before].extended = ext != SALES_DATE_NONE;
		}
	}
	return 0;
}

static int cmp_items(const void *a, const void *b, void *arg)
{
	const struct sales_model *m = arg;
	const struct sales_due_item *x = a, *y = b;
	int r;

	if (x->owner != y->owner) {
		if (!x->owner || !y->owner)
			return x->owner ? -1 : 1;
		r = strcmp(sales_model_str(m, x->owner), sales_model_str(m, y->owner));
		if (r)
			return r;
	}
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->customer != y->customer) {
		const char *cx = x->customer >= 0 ?
			sales_model_str(m, m->customers[x->customer].name) : "";
		const char *cy = y->customer >= 0 ?
			sales_model_str(m, m->customers[y->customer].name) : "";

		r = strcmp(cx, cy);
		if (r)
			return r;
	}
	return (x->line > y->line) - (x->line < y->line);
}

int sales_due_find(const struct sales_model *m, const struct sales_due_query *q,
		   struct sales_due_list *out, struct sales_error *err)
{
	struct finder f = { m, q, out, NULL, 0 };
	long within = q->within >= 0 ? q->within : SALES_DUE_DEFAULT_WITHIN;
	long pay = q->within >= 0 ? q->within :
		   sales_setting_int(m->ctx, "payment.remind_days");
	long *latest = NULL;

	memset(out, 0, sizeof(*out));
	if (q->owner) {
		f.owner_len = strlen(q->owner);
		f.owner = sales_trim(q->owner, &f.owner_len);
	}
	if (find_payments(&f, pay, sales_setting_int(m->ctx, "payment.collection_days")) < 0)
		goto nomem;
	latest = latest_followups(m);
	if (!latest || find_customer_items(&f, latest, within) < 0)
		goto nomem;
	free(latest);
	if (out->n)
		qsort_r(out->items, out->n, sizeof(*out->items), cmp_items,
			(void *)m);
	return 0;
nomem:
	free(latest);
	sales_due_list_release(out);
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

void sales_due_list_release(struct sales_due_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}
