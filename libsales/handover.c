#include "handover.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "resolve.h"
#include "text.h"
#include "value.h"
#include "workbook.h"

/* true when s, trimmed, is exactly name (already trimmed) */
static bool is(const char *s, const char *name)
{
	size_t len = strlen(s);

	s = sales_trim(s, &len);
	return len == strlen(name) && !memcmp(s, name, len);
}

static bool blank(const char *s)
{
	size_t len = strlen(s);

	sales_trim(s, &len);
	return len == 0;
}

static char *trimmed_copy(const char *s)
{
	size_t len = strlen(s);

	s = sales_trim(s, &len);
	return strndup(s, len);
}

static int nomem(struct sales_error *err)
{
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Adds the cell (sheet, line, col) of customer k to the list, with the
 * values its description names (what: NULL-ended, at most two). */
static int add_cell(struct sales_handover *h, enum sales_sheet_id sheet,
		    long line, int col, size_t k, bool keep,
		    const char *const *what, struct sales_error *err)
{
	struct sales_handover_cell *c;

	if (SALES_ALLOC_GROW(h->cells, h->ncells + 1, h->cells_alloc) < 0)
		return nomem(err);
	c = &h->cells[h->ncells];
	c->sheet = sheet;
	c->line = line;
	c->col = col;
	c->keep = keep;
	c->customer = k;
	for (size_t i = 0, more = what != NULL; i < 2; i++) {
		const char *w = more && what[i] ? what[i] : "";

		more = more && what[i];
		c->what[i] = h->texts.len;
		if (sales_buf_add(&h->texts, w, strlen(w) + 1) < 0)
			return nomem(err);
	}
	h->ncells++;
	return 0;
}

const char *sales_handover_what(const struct sales_handover *h,
				const struct sales_handover_cell *c, int i)
{
	return h->texts.data + c->what[i];
}

/* Checks FROM and TO against team.csv (context.h's one roster check). */
static int check_people(const struct sales_context *ctx,
			const struct sales_handover *h, struct sales_error *err)
{
	static const char *const owners[] = { "销售代表", "销售主管", "销售经理" };

	if (!*h->from || !*h->to)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       _("the rep handing over and the rep taking over must both be named"));
	if (!strcmp(h->from, h->to))
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       _("'%s' cannot hand over to themself: name another rep with --to"),
				       h->from);
	if (sales_team_require(ctx, h->from, NULL, 0,
			       N_("only a member of the team hands customers over"),
			       err) < 0 ||
	    sales_team_require(ctx, h->to, owners, 3,
			       N_("customers are handed over to a rep"),
			       err) < 0)
		return -1;
	return 0;
}

/* Marks in sel the customers handed over; refuses a named one that is not
 * FROM's or is closed without q->all. */
static int select_customers(const struct sales_model *m,
			    const struct sales_handover_query *q,
			    const struct sales_handover *h, bool *sel,
			    struct sales_error *err)
{
	if (!q->nnames) {
		for (size_t i = 0; i < m->ncustomers; i++) {
			const struct sales_customer *k = &m->customers[i];

			sel[i] = k->lead_line && k->status != SALES_LEAD_POOL &&
				 (q->all || !SALES_LEAD_CLOSED(k->status)) &&
				 !strcmp(sales_model_str(m, sales_customer_owner(m, k)), h->from);
		}
		return 0;
	}
	for (size_t n = 0; n < q->nnames; n++) {
		long i = sales_resolve_customer(m, q->names[n], true, NULL, err);
		const struct sales_customer *k;
		const char *name, *owner;

		if (i < 0)
			return -1;
		k = &m->customers[i];
		name = sales_model_str(m, k->name);
		owner = sales_model_str(m, sales_customer_owner(m, k));
		if (strcmp(owner, h->from))
			return sales_error_set(err, SALES_ERULE, "01-leads.csv",
					       (long)k->lead_line, 0,
					       *owner ? _("'%s' is not %s's customer: its 负责人 is %s") :
					       _("'%s' is not %s's customer: it has no 负责人%s"),
					       name, h->from, owner);
		if (!q->all && SALES_LEAD_CLOSED(k->status))
			return sales_error_set(err, SALES_ERULE, "01-leads.csv",
					       (long)k->lead_line, 0,
					       _("'%s' is %s: a closed customer is handed over only with --all"),
					       name, sales_lead_statuses[k->status]);
		sel[i] = true;
	}
	return 0;
}

/* A delivery phase is open while its 起止时间 has not ended. */
static bool phase_open(const char *period, sales_date today)
{
	struct sales_date_range r;

	if (sales_parse_date_range(period, strlen(period), &r) != SALES_VALUE_OK ||
	    r.end == SALES_DATE_NONE)
		return true;
	return r.end >= today;
}

/* One walk of a sheet (sales_txn_each: streamed, or loaded where it cannot
 * be): what it writes, for whom. */
struct walk {
	struct sales_handover *h;
	const struct sales_model *m;
	const long *slot;            /* model customer -> index in h->customers */
	enum sales_sheet_id id;
	int col;                     /* the column that moves */
	size_t next;                 /* 01: the next customer; 07: the next plan */
	const struct plan_row { long line; size_t customer; } *plans;
	size_t nplans;
	long keep;                   /* 07: the customer whose rows below keep FROM, or -1 */
};

static int lead_row(struct sales_txn_stream *s, const char *const *v,
		    long line, void *arg, struct sales_error *err)
{
	struct walk *w = arg;
	struct sales_handover *h = w->h;
	const struct sales_handover_customer *c;

	if (w->next == h->ncustomers || h->customers[w->next].line != line)
		return 0;
	c = &h->customers[w->next];
	/* the model was read under this lock: the row is the one it saw */
	if (sales_model_find(w->m, v[LEAD_CUSTOMER]) != c->customer)
		return sales_txn_changed(SALES_LEADS, line, err);
	if (sales_txn_stream_set(s, LEAD_OWNER, h->to, err) < 0 ||
	    add_cell(h, SALES_LEADS, line, LEAD_OWNER, w->next, false, NULL,
		     err) < 0)
		return -1;
	w->next++;
	return 0;
}

/* 03, 04 and 05: a row of a customer handed over, FROM's, still open. */
static int work_row(struct sales_txn_stream *s, const char *const *v,
		    long line, void *arg, struct sales_error *err)
{
	struct walk *w = arg;
	int ccol = w->id == SALES_CONTRACTS ? CON_CUSTOMER : 0;
	long i = sales_model_find(w->m, sales_txn_stream_filled(s, ccol));
	const char *what[3] = { NULL, NULL, NULL };
	bool open;

	if (i < 0 || w->slot[i] < 0 || !is(v[w->col], w->h->from))
		return 0;
	switch (w->id) {
	case SALES_SOLUTIONS:
		open = blank(v[SOL_REVIEW]);
		what[0] = v[SOL_SOLUTION];
		break;
	case SALES_CONTRACTS:
		open = blank(v[CON_PAID]);
		what[0] = v[CON_CONTRACT];
		break;
	default:
		open = phase_open(v[PLAN_PERIOD], w->m->ctx->today);
		what[0] = v[PLAN_PHASE];
		what[1] = v[PLAN_PERIOD];
		break;
	}
	if (!open)
		return 0;
	if (sales_txn_stream_set(s, w->col, w->h->to, err) < 0)
		return -1;
	return add_cell(w->h, w->id, line, w->col, (size_t)w->slot[i], false,
			what, err);
}

/* 07: the row of an open 下次跟进计划 whose 跟进人 is FROM gets TO; the
 * continuation rows below it that inherit that 跟进人 get FROM written. */
static int followup_row(struct sales_txn_stream *s, const char *const *v,
			long line, void *arg, struct sales_error *err)
{
	struct walk *w = arg;
	struct sales_handover *h = w->h;
	bool plan;

	while (w->next < w->nplans && w->plans[w->next].line < line)
		w->next++;
	plan = w->next < w->nplans && w->plans[w->next].line == line;
	if (plan && is(sales_txn_stream_filled(s, FU_BY), h->from)) {
		const char *what[2] = { v[FU_NEXT_PLAN], NULL };

		w->keep = (long)w->plans[w->next].customer;
		return sales_txn_stream_set(s, FU_BY, h->to, err) < 0 ? -1 :
		       add_cell(h, SALES_FOLLOWUPS, line, FU_BY, (size_t)w->keep,
				false, what, err);
	}
	if (w->keep < 0)
		return 0;
	if (plan || !sales_fill_blank(v[FU_CUSTOMER]) || !sales_fill_blank(v[FU_BY])) {
		w->keep = -1;
		return 0;
	}
	return sales_txn_stream_set(s, FU_BY, h->from, err) < 0 ? -1 :
	       add_cell(h, SALES_FOLLOWUPS, line, FU_BY, (size_t)w->keep, true,
			NULL, err);
}

static int cmp_plan(const void *pa, const void *pb)
{
	const struct plan_row *a = pa, *b = pb;

	return a->line < b->line ? -1 : a->line > b->line;
}

/* The rows of the open 下次跟进计划 (the latest follow-up's, facts.h) of
 * the customers handed over, in line order. */
static int find_plans(const struct sales_rulebook *rb,
		      const struct sales_handover *h, struct plan_row **out,
		      size_t *n, struct sales_error *err)
{
	struct plan_row *p = NULL;
	size_t alloc = 0;
	struct sales_facts f;
	int rc = -1;

	*n = 0;
	sales_facts_init(&f);
	for (size_t k = 0; k < h->ncustomers; k++) {
		if (sales_facts_eval(rb, h->customers[k].customer,
				     SALES_FACTS_DEADLINES, &f, err) < 0)
			goto out;
		for (size_t d = 0; d < f.ndeadlines; d++) {
			const struct sales_deadline *dl = &f.deadlines[d];

			if (dl->kind != SALES_RULE_PLAN || !dl->pending ||
			    (dl->state != SALES_DL_COMING &&
			     dl->state != SALES_DL_MISSED))
				continue;
			if (SALES_ALLOC_GROW(p, *n + 1, alloc) < 0) {
				nomem(err);
				goto out;
			}
			p[(*n)++] = (struct plan_row){ (long)dl->line, k };
		}
	}
	if (*n)
		qsort(p, *n, sizeof(*p), cmp_plan);
	rc = 0;
out:
	sales_facts_release(&f);
	if (rc < 0) {
		free(p);
		p = NULL;
		*n = 0;
	}
	*out = p;
	return rc;
}

static int cmp_customer(const void *pa, const void *pb)
{
	const struct sales_handover_customer *a = pa, *b = pb;

	return a->line < b->line ? -1 : a->line > b->line;
}

/* The cells grouped by customer (in the order they were found: by sheet,
 * then line, within each). */
static int group_cells(struct sales_handover *h, struct sales_error *err)
{
	struct sales_handover_cell *sorted;
	size_t at = 0;

	if (!h->ncells)
		return 0;
	if (!(sorted = malloc(h->ncells * sizeof(*sorted))))
		return nomem(err);
	for (size_t i = 0; i < h->ncells; i++)
		h->customers[h->cells[i].customer].ncells++;
	for (size_t k = 0; k < h->ncustomers; k++) {
		h->customers[k].first_cell = at;
		at += h->customers[k].ncells;
		h->customers[k].ncells = 0;
	}
	for (size_t i = 0; i < h->ncells; i++) {
		struct sales_handover_customer *c = &h->customers[h->cells[i].customer];

		sorted[c->first_cell + c->ncells++] = h->cells[i];
	}
	free(h->cells);
	h->cells = sorted;
	h->cells_alloc = h->ncells;
	return 0;
}

int sales_handover_write(struct sales_txn *t, const struct sales_model *m,
			 const struct sales_rulebook *rb,
			 const struct sales_handover_query *q,
			 struct sales_handover *out, struct sales_error *err)
{
	static const struct { enum sales_sheet_id id; int col; } work[] = {
		{ SALES_SOLUTIONS, SOL_OWNER },
		{ SALES_CONTRACTS, CON_REP },
		{ SALES_PLANS, PLAN_OWNER },
	};
	struct walk w = { 0 };
	struct plan_row *plans = NULL;
	bool *sel = NULL;
	long *slot = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->from = trimmed_copy(q->from ? q->from : "");
	out->to = trimmed_copy(q->to ? q->to : "");
	if (!out->from || !out->to)
		return nomem(err);
	if (check_people(m->ctx, out, err) < 0)
		return -1;
	sel = calloc(m->ncustomers + 1, sizeof(*sel));
	slot = malloc((m->ncustomers + 1) * sizeof(*slot));
	if (!sel || !slot) {
		nomem(err);
		goto out;
	}
	if (select_customers(m, q, out, sel, err) < 0)
		goto out;
	/* the customers in 01 order, at their lead rows (a second row of a
	 * name is check's) */
	for (size_t i = 0; i < m->ncustomers; i++) {
		slot[i] = -1;
		if (!sel[i])
			continue;
		if (SALES_ALLOC_GROW(out->customers, out->ncustomers + 1,
				     out->customers_alloc) < 0) {
			nomem(err);
			goto out;
		}
		out->customers[out->ncustomers++] = (struct sales_handover_customer){
			.customer = (long)i, .line = (long)m->customers[i].lead_line };
	}
	if (!out->ncustomers) {
		rc = 0;
		goto out;
	}
	qsort(out->customers, out->ncustomers, sizeof(*out->customers),
	      cmp_customer);
	for (size_t k = 0; k < out->ncustomers; k++)
		slot[out->customers[k].customer] = (long)k;
	/* the open plans, from the rulebook, before any sheet changes */
	if (find_plans(rb, out, &plans, &w.nplans, err) < 0)
		goto out;
	w.h = out;
	w.m = m;
	w.slot = slot;
	w.plans = plans;
	w.id = SALES_LEADS;
	w.col = LEAD_OWNER;
	if (sales_txn_each(t, SALES_LEADS, &w.col, 1, lead_row, &w, err) < 0)
		goto out;
	if (w.next != out->ncustomers) {
		sales_txn_changed(SALES_LEADS, out->customers[w.next].line, err);
		goto out;
	}
	for (size_t i = 0; i < sizeof(work) / sizeof(work[0]); i++) {
		if (!sales_sheet_exists(t->dir, work[i].id))
			continue;
		w.id = work[i].id;
		w.col = work[i].col;
		if (sales_txn_each(t, w.id, &w.col, 1, work_row, &w, err) < 0)
			goto out;
	}
	if (w.nplans && sales_sheet_exists(t->dir, SALES_FOLLOWUPS)) {
		w.id = SALES_FOLLOWUPS;
		w.col = FU_BY;
		w.next = 0;
		w.keep = -1;
		if (sales_txn_each(t, SALES_FOLLOWUPS, &w.col, 1, followup_row,
				   &w, err) < 0)
			goto out;
	}
	rc = group_cells(out, err);
out:
	free(plans);
	free(sel);
	free(slot);
	return rc;
}

void sales_handover_release(struct sales_handover *h)
{
	free(h->from);
	free(h->to);
	free(h->customers);
	free(h->cells);
	sales_buf_release(&h->texts);
	memset(h, 0, sizeof(*h));
}
