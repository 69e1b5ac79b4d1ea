/*
 * handover.c - `sales handover FROM --to TO`: 离职交接.  FROM's open
 * customers go to TO with every cell that names FROM for work still ahead
 * (libsales/handover.h decides which), in one audited change; the 交接清单
 * says what TO takes over: the customers, what is due or overdue (due.h,
 * from the rulebook's deadlines) and the approvals still open.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "due.h"
#include "facts.h"
#include "handover.h"
#include "model.h"
#include "route.h"
#include "rules.h"
#include "story.h"
#include "txn.h"

static const char *const handover_usage[] = {
	"sales handover FROM --to TO [--customer NAME]... [--all] [--dry-run] [--as-of DATE]",
	NULL,
};

/* The horizon of the list: everything still open, however far ahead. */
#define HANDOVER_WITHIN 3660

static int cmp_item(const void *pa, const void *pb)
{
	const struct sales_due_item *a = *(const struct sales_due_item *const *)pa;
	const struct sales_due_item *b = *(const struct sales_due_item *const *)pb;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a < b ? -1 : a > b;   /* the due list's order */
}

/* What a moved cell is, in words. */
static const char *cell_what(const struct sales_handover *h,
			     const struct sales_handover_cell *c,
			     struct sales_buf *b)
{
	const char *w0 = sales_handover_what(h, c, 0);

	sales_buf_reset(b);
	switch (c->sheet) {
	case SALES_SOLUTIONS:
		sales_buf_printf(b, _("proposal '%s' awaiting review"), w0);
		break;
	case SALES_CONTRACTS:
		sales_buf_printf(b, _("contract %s, not paid yet"), w0);
		break;
	case SALES_PLANS:
		sales_buf_printf(b, _("delivery phase '%s' (%s)"), w0,
				 sales_handover_what(h, c, 1));
		break;
	case SALES_FOLLOWUPS:
		if (c->keep)
			sales_buf_printf(b, "%s", _("a follow-up below it keeps its 跟进人"));
		else
			sales_buf_printf(b, _("the open 下次跟进计划 '%s'"), w0);
		break;
	default:
		sales_buf_addstr(b, _("the lead"));
		break;
	}
	return b->data ? b->data : "";
}

/* An approval still open: a contract 待审批 or 审批中, and whose opinion
 * it waits for on its route. */
static void print_approval(const struct sales_model *m,
			   const struct sales_contract *k)
{
	const char *who = NULL;
	char desc[160] = "";

	if (k->status != SALES_APPROVAL_PENDING &&
	    k->status != SALES_APPROVAL_IN_PROGRESS)
		return;
	if (k->route) {
		int w[SALES_NAPPROVERS];

		sales_route_describe(k->route, desc, sizeof(desc));
		if (sales_approval_waiting(&k->approval, k->route, w))
			who = sales_approver_roles[w[0]];
	}
	printf("    %-8s 04-contracts.csv:%u  ", _("审批"), (unsigned)k->line);
	if (who)
		printf(_("contract %s %s: waits for the %s (%s)\n"),
		       sales_model_str(m, k->id),
		       sales_approval_states[k->status], who, desc);
	else
		printf(_("contract %s %s\n"), sales_model_str(m, k->id),
		       sales_approval_states[k->status]);
}

/* Items by the customer handed over they are of: customer k's (index in
 * the handover) are at[first[k]] to at[first[k + 1]], in the order given.
 * customer(item) is its model customer (-1: none). */
struct by_customer {
	size_t *first;
	const void **at;
};

static int group(struct by_customer *g, const struct sales_model *m,
		 const long *slot, size_t nk, const void *items, size_t n,
		 size_t size, long (*customer)(const void *))
{
	const char *p = items;

	g->first = calloc(nk + 2, sizeof(*g->first));
	g->at = malloc((n + 1) * sizeof(*g->at));
	if (!g->first || !g->at)
		return -1;
	for (size_t i = 0; i < n; i++) {
		long c = customer(p + i * size);
		long k = c >= 0 && (size_t)c < m->ncustomers ? slot[c] : -1;

		if (k >= 0)
			g->first[k + 2]++;
	}
	for (size_t k = 0; k < nk; k++)
		g->first[k + 2] += g->first[k + 1];
	for (size_t i = 0; i < n; i++) {
		long c = customer(p + i * size);
		long k = c >= 0 && (size_t)c < m->ncustomers ? slot[c] : -1;

		if (k >= 0)
			g->at[g->first[k + 1]++] = p + i * size;
	}
	return 0;
}

static void group_release(struct by_customer *g)
{
	free(g->first);
	free(g->at);
}

static long due_customer(const void *p)
{
	return ((const struct sales_due_item *)p)->customer;
}

static long contract_customer(const void *p)
{
	return (long)((const struct sales_contract *)p)->customer;
}

static int print_list(const struct sales_model *m,
		      const struct sales_handover *h,
		      const struct sales_due_list *due, bool dry_run)
{
	struct by_customer items = { 0 }, contracts = { 0 };
	struct sales_buf b = { 0 }, detail = { 0 };
	long *slot = malloc((m->ncustomers + 1) * sizeof(*slot));
	char asof[11];
	int rc = -1;

	if (!slot)
		goto out;
	for (size_t i = 0; i < m->ncustomers; i++)
		slot[i] = -1;
	for (size_t k = 0; k < h->ncustomers; k++)
		slot[h->customers[k].customer] = (long)k;
	if (group(&items, m, slot, h->ncustomers, due->items, due->n,
		  sizeof(*due->items), due_customer) < 0 ||
	    group(&contracts, m, slot, h->ncustomers, m->contracts, m->ncontracts,
		  sizeof(*m->contracts), contract_customer) < 0)
		goto out;
	printf(_("交接清单: %s → %s, as of %s\n"), h->from, h->to,
	       sales_date_format(m->ctx->today, asof));
	printf(P_("%zu customer, ", "%zu customers, ", h->ncustomers), h->ncustomers);
	printf(P_("%zu cell %s\n", "%zu cells %s\n", h->ncells), h->ncells,
	       dry_run ? _("would change") : _("changed"));
	for (size_t k = 0; k < h->ncustomers; k++) {
		const struct sales_handover_customer *hc = &h->customers[k];
		const struct sales_customer *c = &m->customers[hc->customer];
		const struct sales_due_item **its =
			(const struct sales_due_item **)items.at + items.first[k];
		size_t n = items.first[k + 1] - items.first[k];
		int stage = sales_model_stage(c);
		char grade[8];

		snprintf(grade, sizeof(grade), "%c类", c->grade);
		printf("\n%s  %s  %s  %s  (01-leads.csv:%ld)\n",
		       sales_model_str(m, c->name),
		       c->status >= 0 ? sales_lead_statuses[c->status] : _("(no 客户状态)"),
		       c->grade ? grade : _("(no 线索等级)"),
		       stage >= 0 ? sales_story_stage_name(stage) : "",
		       hc->line);
		for (size_t i = hc->first_cell; i < hc->first_cell + hc->ncells; i++) {
			const struct sales_handover_cell *cell = &h->cells[i];

			printf("    %-8s %s:%ld  ", _("交接"),
			       sales_sheet_def(cell->sheet)->file, cell->line);
			if (cell->keep)
				printf(_("%s written as %s: %s\n"),
				       sales_sheet_def(cell->sheet)->columns[cell->col].zh,
				       h->from, cell_what(h, cell, &b));
			else
				printf("%s %s → %s: %s\n",
				       sales_sheet_def(cell->sheet)->columns[cell->col].zh,
				       h->from, h->to, cell_what(h, cell, &b));
		}
		/* by date; the same date in the due list's order */
		qsort(its, n, sizeof(*its), cmp_item);
		for (size_t i = 0; i < n; i++) {
			char date[11], when[48];

			due_when_text(its[i]->days, when, sizeof(when));
			due_detail_text(m, its[i], &detail);
			printf("    %-8s %s  %s (%s): %s\n",
			       its[i]->days < 0 && its[i]->days != SALES_DUE_NO_DAYS ?
			       _("逾期") : _("待办"),
			       sales_date_format(its[i]->date, date),
			       sales_due_kind_labels[its[i]->kind], when,
			       detail.data ? detail.data : "");
		}
		for (size_t i = contracts.first[k]; i < contracts.first[k + 1]; i++)
			print_approval(m, contracts.at[i]);
	}
	rc = 0;
out:
	free(slot);
	group_release(&items);
	group_release(&contracts);
	sales_buf_release(&b);
	sales_buf_release(&detail);
	return rc;
}

int cmd_handover(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *to = NULL;
	struct opt_list names = { 0 };
	bool all = false, dry_run = false;
	const struct opt opts[] = {
		OPT_STR(0, "to", &to, "TO", N_("the rep taking over (in team.csv: 销售代表, 销售主管 or 销售经理)")),
		OPT_STR_LIST(0, "customer", &names, "NAME", N_("only this customer (again for more)")),
		OPT_BOOLEAN(0, "all", &all, N_("closed customers (已签约, 已丢单) too")),
		OPT_BOOLEAN(0, "dry-run", &dry_run, N_("print the 交接清单, change nothing")),
		OPT_AS_OF(&ctx->today),
		OPT_DONE,
	};
	struct sales_handover_query q = { 0 };
	struct sales_handover h = { 0 };
	struct sales_due_list due = { 0 };
	struct sales_model *m = NULL;
	struct sales_rulebook *rb = NULL;
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	struct sales_buf more = { 0 };
	char d1[11];
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, handover_usage, &code);
	if (n < 0) {
		free(names.v);
		return code;
	}
	if (n != 1 || !to) {
		error_msg("%s", n != 1 ? _("handover takes one rep: the one handing over") :
			  _("missing option '--to' (the rep taking over)"));
		print_usage(stderr, handover_usage, opts);
		free(names.v);
		return EXIT_USAGE;
	}
	q.from = argv[0];
	q.to = to;
	q.names = names.v;
	q.nnames = names.n;
	q.all = all;
	sales_error_clear(&err);
	if (change_begin(&t, &c, ctx, ctx->command, &err) < 0 ||
	    sales_model_load(&m, &c, SALES_MODEL_ALL, NULL, NULL, &err) < 0 ||
	    sales_rulebook_open(&rb, m, &err) < 0 ||
	    sales_handover_write(&t, m, rb, &q, &h, &err) < 0)
		goto fail;
	if (!h.ncustomers) {
		fprintf(stderr, all ? _("%s has no customer to hand over (负责人 %s in 01-leads.csv); nothing was changed\n") :
			_("%s has no open customer to hand over (负责人 %s, not 已签约 or 已丢单); nothing was changed\n"),
			h.from, h.from);
		goto out;
	}
	{
		struct sales_due_query dq = { c.today, HANDOVER_WITHIN, NULL, false };

		if (sales_due_find(m, &dq, &due, &err) < 0)
			goto fail;
	}
	if (print_list(m, &h, &due, dry_run) < 0) {
		sales_error_set(&err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	if (dry_run) {
		fprintf(stderr, "%s\n", _("dry run: nothing was changed"));
		goto out;
	}
	sales_buf_printf(&more, "%s --to %s [as of %s]", h.from, h.to,
			 sales_date_format(c.today, d1));
	if (sales_txn_command_append(&t, more.data, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0)
		goto fail;
	fprintf(stderr, P_("handed over %zu customer from %s to %s\n",
			   "handed over %zu customers from %s to %s\n", h.ncustomers),
		h.ncustomers, h.from, h.to);
	goto out;
fail:
	status = report_error(&err);
out:
	sales_buf_release(&more);
	sales_due_list_release(&due);
	sales_handover_release(&h);
	sales_rulebook_close(rb);
	sales_model_free(m);
	change_end(&t, &c);
	free(names.v);
	return status;
}
