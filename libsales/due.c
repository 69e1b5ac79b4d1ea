#include "due.h"
#include "audit.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "entry.h"
#include "facts.h"
#include "schema.h"
#include "calendar.h"
#include "route.h"
#include "rules.h"
#include "text.h"
#include "txn.h"
#include "workbook.h"

const char *const sales_due_kind_keys[SALES_DUE_NKINDS] = {
	"followup", "payment", "collection", "stalled", "aftersales",
	"screening", "proposal", "recall", "approval", "unreadable",
};

const char *const sales_due_kind_labels[SALES_DUE_NKINDS] = {
	"跟进计划", "回款提醒", "催款", "停滞A类线索", "售后回访", "线索定级",
	"方案提交", "公海回收", "合同审批", "日期无法识别",
};

struct finder {
	const struct sales_model *m;
	const struct sales_due_query *q;
	struct sales_due_list *out;
	const char *owner;          /* the filter, trimmed */
	size_t owner_len;
};

static int add_item(struct finder *f, enum sales_due_kind kind,
		    const struct sales_deadline *d, long horizon, uint32_t owner,
		    long customer)
{
	struct sales_due_list *l = f->out;
	struct sales_due_item *it;

	if (d->due == SALES_DATE_NONE || d->due > f->q->as_of + horizon)
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
	it->date = d->due;
	it->days = (long)d->due - f->q->as_of;
	it->owner = owner;
	it->customer = customer;
	it->contract = d->contract;
	it->followup = d->kind == SALES_RULE_PLAN ? d->followup : -1;
	it->sheet = d->sheet;
	it->line = d->line;
	it->start = d->start;
	it->extended = d->extended;
	it->bad = -1;
	return 0;
}

/* The sheets whose dates set or meet a deadline of due.h. */
static bool due_sheet(enum sales_sheet_id id)
{
	return (id >= SALES_LEADS && id <= SALES_CONTRACTS) ||
	       id == SALES_ACCEPTANCE || id == SALES_FOLLOWUPS ||
	       id == SALES_EXCEPTIONS;
}

/* Every unreadable date cell of those sheets, for the customer's owner. */
static int unreadable_items(struct finder *f)
{
	const struct sales_model *m = f->m;

	for (size_t i = 0; i < m->nbad_dates; i++) {
		const struct sales_bad_date *b = &m->bad_dates[i];
		struct sales_due_list *l = f->out;
		struct sales_due_item *it;
		uint32_t owner = b->customer != UINT32_MAX ?
				 sales_customer_owner(m, &m->customers[b->customer]) : 0;

		if (!due_sheet((enum sales_sheet_id)b->sheet))
			continue;
		/* a follow-up's dates are its 跟进人's, as its plan is */
		for (size_t k = 0; b->sheet == SALES_FOLLOWUPS && k < m->nfollowups; k++)
			if (m->followups[k].line == b->line && m->followups[k].by)
				owner = m->followups[k].by;
		if (f->owner) {
			const char *o = sales_model_str(m, owner);

			if (strlen(o) != f->owner_len ||
			    memcmp(o, f->owner, f->owner_len))
				continue;
		}
		if (SALES_ALLOC_GROW(l->items, l->n + 1, l->alloc) < 0)
			return -1;
		it = &l->items[l->n++];
		memset(it, 0, sizeof(*it));
		it->kind = SALES_DUE_UNREADABLE;
		it->date = it->start = SALES_DATE_NONE;
		it->days = SALES_DUE_NO_DAYS;
		it->owner = owner;
		it->customer = b->customer != UINT32_MAX ? (long)b->customer : -1;
		it->contract = it->followup = -1;
		for (size_t k = 0; b->sheet == SALES_CONTRACTS && k < m->ncontracts; k++)
			if (m->contracts[k].line == b->line)
				it->contract = (long)k;
		it->sheet = (enum sales_sheet_id)b->sheet;
		it->line = b->line;
		it->bad = (long)i;
	}
	return 0;
}

/* The open deadlines of one customer's facts as items (facts.h decides
 * what is open; this only picks the horizon and the owner). */
static int customer_items(struct finder *f, const struct sales_facts *facts,
			  long within, long pay)
{
	const struct sales_model *m = f->m;
	long c = facts->customer;
	const struct sales_customer *k = c >= 0 ? &m->customers[c] : NULL;
	uint32_t owner = k ? sales_customer_owner(m, k) : 0;
	const struct sales_followup *latest = facts->latest_followup >= 0 ?
		&m->followups[facts->latest_followup] : NULL;

	for (size_t i = 0; i < facts->ndeadlines; i++) {
		const struct sales_deadline *d = &facts->deadlines[i];
		enum sales_due_kind kind;
		long horizon = within;
		uint32_t who = owner;

		if (!d->pending || (d->state != SALES_DL_COMING &&
				    d->state != SALES_DL_MISSED))
			continue;
		switch (d->kind) {
		case SALES_RULE_SCREENING:
			kind = SALES_DUE_SCREENING;
			break;
		case SALES_RULE_PROPOSAL:
			kind = SALES_DUE_PROPOSAL;
			break;
		case SALES_RULE_PAYMENT:
			kind = d->phase == SALES_PAY_COLLECT ? SALES_DUE_COLLECTION :
			       SALES_DUE_PAYMENT;
			horizon = pay;
			break;
		case SALES_RULE_STALLED:
			kind = SALES_DUE_STALLED;
			break;
		case SALES_RULE_AFTERSALES:
			/* a planned visit on or before it is the followup
			 * item, which stands for it (overdue too) */
			if (latest &&
			    latest->next != SALES_DATE_NONE && latest->next <= d->due)
				continue;
			kind = SALES_DUE_AFTERSALES;
			if (latest && latest->by)
				who = latest->by;
			break;
		case SALES_RULE_POOL: {
			/* pool.warn_days working days ahead, or --within */
			const struct sales_context *ctx = m->ctx;
			sales_date w = sales_calendar_add_workdays(
				ctx->calendar, f->q->as_of,
				(int)sales_setting_int(ctx, "pool.warn_days"));

			kind = SALES_DUE_RECALL;
			if (w != SALES_DATE_NONE && (long)(w - f->q->as_of) > horizon)
				horizon = (long)(w - f->q->as_of);
			break;
		}
		case SALES_RULE_PLAN:
			kind = SALES_DUE_FOLLOWUP;
			if (latest && latest->by)
				who = latest->by;
			break;
		default:
			continue;
		}
		if (add_item(f, kind, d, horizon, who, c) < 0)
			return -1;
	}
	return 0;
}

/* Sets each approval item's date to its submission day in audit.csv: the
 * latest row of 04-contracts.csv for its 合同编号 that created the row
 * (列 合同编号, 原值 empty) or set 审批状态 to 待审批 (a resubmission),
 * on or before the as-of day (a later row was not known then). */
struct approval_scan {
	struct finder *f;
	size_t from;
};

static int approval_row(void *ud, const struct sales_audit_row *row,
			struct sales_error *err)
{
	const struct approval_scan *a = ud;
	struct finder *f = a->f;
	const struct sales_model *m = f->m;
	const char *const *v = row->v;
	sales_date day;

	(void)err;
	if (!row->sheet || row->sheet->id != SALES_CONTRACTS ||
	    !((row->col == CON_CONTRACT && !*v[AUDIT_OLD]) ||
	      (row->col == CON_APPROVAL && !strcmp(v[AUDIT_NEW], "待审批"))))
		return 0;
	if ((day = sales_audit_day(v[AUDIT_COMMAND], v[AUDIT_TIME])) ==
	    SALES_DATE_NONE || day > f->q->as_of)
		return 0;	/* after the as-of day: not known then */
	for (size_t i = a->from; i < f->out->n; i++) {
		struct sales_due_item *it = &f->out->items[i];

		if (sales_key_equal(sales_model_str(m, m->contracts[it->contract].id),
				    v[AUDIT_KEY]) &&
		    (it->date == SALES_DATE_NONE || day >= it->date)) {
			it->date = day;
			it->days = (long)day - f->q->as_of;
		}
	}
	return 0;
}

static int approval_dates(struct finder *f, size_t from, struct sales_error *err)
{
	struct approval_scan a = { f, from };

	if (from == f->out->n)
		return 0;
	return sales_audit_each(f->m->ctx->dir, approval_row, &a, err) < 0 ? -1 : 0;
}

/* A contract waiting on its route: one item naming whom it waits for. */
static int approval_items(struct finder *f, struct sales_error *err)
{
	const struct sales_model *m = f->m;
	size_t from = f->out->n;

	for (size_t i = 0; i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		struct sales_due_list *l = f->out;
		struct sales_due_item *it;
		int who[SALES_NAPPROVERS], n;
		uint32_t owner;

		if ((k->status != SALES_APPROVAL_PENDING &&
		     k->status != SALES_APPROVAL_IN_PROGRESS) || !k->route ||
		    !(n = sales_approval_waiting(&k->approval, k->route, who)))
			continue;
		owner = k->customer != UINT32_MAX ? sales_customer_owner(m, &m->customers[k->customer]) : 0;
		if (f->owner) {
			const char *o = sales_model_str(m, owner);

			if (strlen(o) != f->owner_len || memcmp(o, f->owner, f->owner_len))
				continue;
		}
		if (SALES_ALLOC_GROW(l->items, l->n + 1, l->alloc) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		it = &l->items[l->n++];
		memset(it, 0, sizeof(*it));
		it->kind = SALES_DUE_APPROVAL;
		it->date = it->start = SALES_DATE_NONE;
		it->days = SALES_DUE_NO_DAYS;
		it->owner = owner;
		it->customer = k->customer != UINT32_MAX ? (long)k->customer : -1;
		it->contract = (long)i;
		it->followup = it->bad = -1;
		it->sheet = SALES_CONTRACTS;
		it->line = k->line;
		for (int w = 0; w < n && w < 4; w++)
			it->who[w] = who[w];
		it->nwho = n < 4 ? n : 4;
	}
	return approval_dates(f, from, err);
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
	struct sales_rulebook *rb = NULL;
	struct sales_facts facts;

	memset(out, 0, sizeof(*out));
	sales_facts_init(&facts);
	if (q->owner) {
		f.owner_len = strlen(q->owner);
		f.owner = sales_trim(q->owner, &f.owner_len);
	}
	if (sales_rulebook_open(&rb, m, err) < 0)
		goto fail;
	for (long c = -1; c < (long)m->ncustomers; c++) {
		if (sales_facts_eval(rb, c, SALES_FACTS_DEADLINES, &facts, err) < 0)
			goto fail;
		if (customer_items(&f, &facts, within, pay) < 0) {
			sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
	}
	if (unreadable_items(&f) < 0) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	if (q->approvals && approval_items(&f, err) < 0)
		goto fail;
	sales_facts_release(&facts);
	sales_rulebook_close(rb);
	if (out->n)
		qsort_r(out->items, out->n, sizeof(*out->items), cmp_items,
			(void *)m);
	return 0;
fail:
	sales_facts_release(&facts);
	sales_rulebook_close(rb);
	sales_due_list_release(out);
	return -1;
}

void sales_due_list_release(struct sales_due_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}
