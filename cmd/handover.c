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

	return a->date < b->date ? -1 : a->date > b->date;
}

/* The column a moved cell is in, as its header reads. */
static const char *cell_what(const struct sales_model *m,
			     const struct sales_handover_cell *c,
			     const struct sales_txn *t, struct sales_buf *b)
{
	const struct sales_sheet_table *st = &t->sheets[c->sheet];

	sales_buf_reset(b);
	switch (c->sheet) {
	case SALES_SOLUTIONS:
		sales_buf_printf(b, _("proposal '%s' awaiting review"),
				 sales_sheet_table_get(st, c->row, SOL_SOLUTION));
		break;
	case SALES_CONTRACTS:
		sales_buf_printf(b, _("contract %s, not paid yet"),
				 sales_sheet_table_get(st, c->row, CON_CONTRACT));
		break;
	case SALES_PLANS:
		sales_buf_printf(b, _("delivery phase '%s' (%s)"),
				 sales_sheet_table_get(st, c->row, PLAN_PHASE),
				 sales_sheet_table_get(st, c->row, PLAN_PERIOD));
		break;
	case SALES_FOLLOWUPS:
		if (c->keep)
			sales_buf_printf(b, "%s", _("a follow-up below it keeps its 跟进人"));
		else
			sales_buf_printf(b, _("the open 下次跟进计划 '%s'"),
					 sales_sheet_table_get(st, c->row, FU_NEXT_PLAN));
		break;
	default:
		sales_buf_addstr(b, _("the lead"));
		break;
	}
	(void)m;
	return b->data ? b->data : "";
}

/* An approval still open: a contract 待审批 or 审批中, and whose opinion
 * it waits for on its route. */
static void print_approvals(const struct sales_model *m, long customer)
{
	for (size_t i = 0; i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		const char *who = NULL;
		char desc[160] = "";

		if (k->customer != (uint32_t)customer ||
		    (k->status != SALES_APPROVAL_PENDING &&
		     k->status != SALES_APPROVAL_IN_PROGRESS))
			continue;
		if (k->route) {
			sales_route_describe(k->route, desc, sizeof(desc));
			for (int r = 0; r < k->route->n && !who; r++)
				if (k->approval.op[k->route->approver[r]] ==
				    SALES_OPINION_NONE)
					who = sales_approver_roles[k->route->approver[r]];
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
}

static void print_list(const struct sales_model *m, const struct sales_txn *t,
		       const struct sales_handover *h,
		       const struct sales_due_list *due, bool dry_run)
{
	const struct sales_due_item **items = NULL;
	struct sales_buf b = { 0 }, detail = { 0 };
	char asof[11];

	printf(_("交接清单: %s → %s, as of %s\n"), h->from, h->to,
	       sales_date_format(m->ctx->today, asof));
	printf(P_("%zu customer, ", "%zu customers, ", h->ncustomers), h->ncustomers);
	printf(P_("%zu cell %s\n", "%zu cells %s\n", h->ncells), h->ncells,
	       dry_run ? _("would change") : _("changed"));
	items = calloc(due->n + 1, sizeof(*items));
	for (size_t k = 0; k < h->ncustomers; k++) {
		const struct sales_customer *c = &m->customers[h->customers[k].customer];
		int stage = sales_model_stage(c);
		size_t n = 0;
		char grade[8];

		snprintf(grade, sizeof(grade), "%c类", c->grade);
		printf("\n%s  %s  %s  %s  (01-leads.csv:%ld)\n",
		       sales_model_str(m, c->name),
		       c->status >= 0 ? sales_lead_statuses[c->status] : _("(no 客户状态)"),
		       c->grade ? grade : _("(no 线索等级)"),
		       stage >= 0 ? sales_story_stage_name(stage) : "",
		       h->customers[k].line);
		for (size_t i = 0; i < h->ncells; i++) {
			const struct sales_handover_cell *cell = &h->cells[i];

			if (cell->customer != k)
				continue;
			printf("    %-8s %s:%ld  ", _("交接"),
			       sales_sheet_def(cell->sheet)->file, cell->line);
			if (cell->keep)
				printf(_("%s written as %s: %s\n"),
				       sales_sheet_def(cell->sheet)->columns[cell->col].zh,
				       h->from, cell_what(m, cell, t, &b));
			else
				printf("%s %s → %s: %s\n",
				       sales_sheet_def(cell->sheet)->columns[cell->col].zh,
				       h->from, h->to, cell_what(m, cell, t, &b));
		}
		for (size_t i = 0; items && i < due->n; i++)
			if (due->items[i].customer == h->customers[k].customer)
				items[n++] = &due->items[i];
		qsort(items, n, sizeof(*items), cmp_item);
		for (size_t i = 0; i < n; i++) {
			char date[11], when[48];

			due_when_text(items[i]->days, when, sizeof(when));
			due_detail_text(m, items[i], &detail);
			printf("    %-8s %s  %s (%s): %s\n",
			       items[i]->days < 0 && items[i]->days != SALES_DUE_NO_DAYS ?
			       _("逾期") : _("待办"),
			       sales_date_format(items[i]->date, date),
			       sales_due_kind_labels[items[i]->kind], when,
			       detail.data ? detail.data : "");
		}
		print_approvals(m, h->customers[k].customer);
	}
	free(items);
	sales_buf_release(&b);
	sales_buf_release(&detail);
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
	    sales_handover_plan(&t, m, rb, &q, &h, &err) < 0)
		goto fail;
	if (!h.ncustomers) {
		fprintf(stderr, all ? _("%s has no customer to hand over (负责人 %s in 01-leads.csv); nothing was changed\n") :
			_("%s has no open customer to hand over (负责人 %s, not 已签约 or 已丢单); nothing was changed\n"),
			h.from, h.from);
		goto out;
	}
	{
		struct sales_due_query dq = { c.today, HANDOVER_WITHIN, NULL };

		if (sales_due_find(m, &dq, &due, &err) < 0)
			goto fail;
	}
	if (sales_handover_apply(&t, &h, &err) < 0)
		goto fail;
	print_list(m, &t, &h, &due, dry_run);
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
