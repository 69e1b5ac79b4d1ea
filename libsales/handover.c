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

static int add_cell(struct sales_handover *h, enum sales_sheet_id sheet,
		    const struct sales_sheet_table *st, size_t row, int col,
		    size_t customer, bool keep, struct sales_error *err)
{
	struct sales_handover_cell *c;

	if (SALES_ALLOC_GROW(h->cells, h->ncells + 1, h->cells_alloc) < 0)
		return nomem(err);
	c = &h->cells[h->ncells++];
	c->sheet = sheet;
	c->row = row;
	c->line = sales_table_line(st->table, row);
	c->col = col;
	c->keep = keep;
	c->customer = customer;
	return 0;
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
				 !strcmp(sales_model_str(m, k->owner), h->from);
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
		owner = sales_model_str(m, k->owner);
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

/* The customer (index in h->customers) row r of st belongs to, or -1. */
static long row_customer(const struct sales_model *m, const long *slot,
			 const struct sales_sheet_table *st, size_t r, int ccol)
{
	long i = sales_model_find(m, sales_sheet_table_filled(st, r, ccol));

	return i < 0 ? -1 : slot[i];
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

static int plan_sheet(struct sales_txn *t, const struct sales_model *m,
		      const long *slot, struct sales_handover *h,
		      enum sales_sheet_id id, struct sales_error *err)
{
	int ccol = id == SALES_CONTRACTS ? CON_CUSTOMER : 0;
	int col = id == SALES_SOLUTIONS ? SOL_OWNER :
		  id == SALES_CONTRACTS ? CON_REP : PLAN_OWNER;
	struct sales_sheet_table *st;

	if (!sales_sheet_exists(t->dir, id))
		return 0;
	if (!(st = sales_txn_sheet(t, id, err)))
		return -1;
	for (size_t r = 0; r < sales_table_rows(st->table); r++) {
		long k = row_customer(m, slot, st, r, ccol);
		bool open;

		if (k < 0 || !is(sales_sheet_table_get(st, r, col), h->from))
			continue;
		switch (id) {
		case SALES_SOLUTIONS:
			open = blank(sales_sheet_table_get(st, r, SOL_REVIEW));
			break;
		case SALES_CONTRACTS:
			open = blank(sales_sheet_table_get(st, r, CON_PAID));
			break;
		default:
			open = phase_open(sales_sheet_table_get(st, r, PLAN_PERIOD),
					  m->ctx->today);
			break;
		}
		if (open && add_cell(h, id, st, r, col, (size_t)k, false, err) < 0)
			return -1;
	}
	return 0;
}

/* The latest follow-up whose 下次跟进计划 is open, for each customer. */
static int plan_followups(struct sales_txn *t, const struct sales_rulebook *rb,
			  struct sales_handover *h, struct sales_error *err)
{
	struct sales_sheet_table *st;
	struct sales_facts f;
	int rc = -1;

	if (!sales_sheet_exists(t->dir, SALES_FOLLOWUPS))
		return 0;
	if (!(st = sales_txn_sheet(t, SALES_FOLLOWUPS, err)))
		return -1;
	sales_facts_init(&f);
	for (size_t k = 0; k < h->ncustomers; k++) {
		if (sales_facts_eval(rb, h->customers[k].customer,
				     SALES_FACTS_DEADLINES, &f, err) < 0)
			goto out;
		for (size_t d = 0; d < f.ndeadlines; d++) {
			const struct sales_deadline *dl = &f.deadlines[d];
			size_t r, n = sales_table_rows(st->table);

			if (dl->kind != SALES_RULE_PLAN || !dl->pending ||
			    (dl->state != SALES_DL_COMING &&
			     dl->state != SALES_DL_MISSED))
				continue;
			for (r = 0; r < n; r++)
				if (sales_table_line(st->table, r) == (long)dl->line)
					break;
			if (r == n || !is(sales_sheet_table_filled(st, r, FU_BY), h->from))
				continue;
			if (add_cell(h, SALES_FOLLOWUPS, st, r, FU_BY, k, false, err) < 0)
				goto out;
			/* rows below that inherit this 跟进人 keep FROM */
			for (size_t b = r + 1; b < n; b++) {
				if (!sales_fill_blank(sales_sheet_table_get(st, b, FU_CUSTOMER)) ||
				    !sales_fill_blank(sales_sheet_table_get(st, b, FU_BY)))
					break;
				if (add_cell(h, SALES_FOLLOWUPS, st, b, FU_BY, k, true,
					     err) < 0)
					goto out;
			}
		}
	}
	rc = 0;
out:
	sales_facts_release(&f);
	return rc;
}

int sales_handover_plan(struct sales_txn *t, const struct sales_model *m,
			const struct sales_rulebook *rb,
			const struct sales_handover_query *q,
			struct sales_handover *out, struct sales_error *err)
{
	struct sales_sheet_table *leads;
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
	if (select_customers(m, q, out, sel, err) < 0 ||
	    !(leads = sales_txn_sheet(t, SALES_LEADS, err)))
		goto out;
	for (size_t i = 0; i < m->ncustomers; i++)
		slot[i] = -1;
	/* the lead rows, in 01 order (a second row of a name is check's) */
	for (size_t r = 0; r < sales_table_rows(leads->table); r++) {
		long i = sales_model_find(m, sales_sheet_table_get(leads, r,
								   LEAD_CUSTOMER));
		long line = sales_table_line(leads->table, r);

		if (i < 0 || !sel[i] || slot[i] >= 0 ||
		    m->customers[i].lead_line != (uint32_t)line)
			continue;
		if (SALES_ALLOC_GROW(out->customers, out->ncustomers + 1,
				     out->customers_alloc) < 0) {
			nomem(err);
			goto out;
		}
		out->customers[out->ncustomers] =
			(struct sales_handover_customer){ i, line };
		slot[i] = (long)out->ncustomers++;
		if (add_cell(out, SALES_LEADS, leads, r, LEAD_OWNER,
			     (size_t)slot[i], false, err) < 0)
			goto out;
	}
	if (!out->ncustomers) {
		rc = 0;
		goto out;
	}
	if (plan_sheet(t, m, slot, out, SALES_SOLUTIONS, err) < 0 ||
	    plan_sheet(t, m, slot, out, SALES_CONTRACTS, err) < 0 ||
	    plan_sheet(t, m, slot, out, SALES_PLANS, err) < 0 ||
	    plan_followups(t, rb, out, err) < 0)
		goto out;
	rc = 0;
out:
	free(sel);
	free(slot);
	return rc;
}

int sales_handover_apply(struct sales_txn *t, const struct sales_handover *h,
			 struct sales_error *err)
{
	for (size_t i = 0; i < h->ncells; i++) {
		const struct sales_handover_cell *c = &h->cells[i];

		if (sales_txn_set(t, c->sheet, c->row, c->col,
				  c->keep ? h->from : h->to, err) < 0)
			return -1;
	}
	return 0;
}

void sales_handover_release(struct sales_handover *h)
{
	free(h->from);
	free(h->to);
	free(h->customers);
	free(h->cells);
	memset(h, 0, sizeof(*h));
}
