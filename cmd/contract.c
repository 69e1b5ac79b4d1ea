/*
 * contract.c - `sales contract`: contracts (04-contracts.csv) from entry to
 * payment.  Approval itself is `sales approve`.
 */
#include "stage.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "floor.h"
#include "rules.h"

#define CONTRACT_ADD_USAGE \
	"sales contract add --contract 合同编号 --customer NAME --amount AMOUNT [--term MONTHS] [--terms TEXT] [--rep NAME]"

static const char *const contract_add_usage[] = { CONTRACT_ADD_USAGE, NULL };

static const char *const contract_usage[] = {
	CONTRACT_ADD_USAGE,
	"sales contract sign <合同编号> --date DATE [--payment-due DATE]",
	"sales contract paid <合同编号> --date DATE",
	"sales contract resubmit <合同编号> [--amount AMOUNT] [--term MONTHS] [--terms TEXT] [--rep NAME]",
	NULL,
};

/*
 * 谈判底线 (floor.h): refuses a contract of amount for customer when the
 * customer's contracts (those in 04 not 已驳回, and this one) together fall
 * below the floor its passed proposals set, unless an approved 底线让步
 * exception allows it.  m may be NULL (it is loaded then).  Returns 0 or an
 * exit status, the message printed.
 */
static int floor_refuses(const struct sales_context *c, const struct sales_model *m,
			 const char *customer, const char *amount_text,
			 const char *contract)
{
	struct sales_floor_policy p;
	struct sales_floor_basis b;
	struct sales_model *own = NULL;
	const struct sales_model_exception *e = NULL, *bad = NULL;
	struct sales_error err;
	struct sales_amount a;
	double total;
	size_t n = 1;
	char why[512];
	long ci;
	int status = 0, rejected = -1;

	sales_error_clear(&err);
	if (sales_floor_policy_get(c, &p, &err) < 0)
		return report_error(&err);
	if (!p.active)
		return 0;
	if (sales_parse_amount(amount_text, strlen(amount_text), &a) != SALES_VALUE_OK ||
	    a.flags != (SALES_AMOUNT_LO | SALES_AMOUNT_HI) || a.lo != a.hi)
		return 0;   /* the amount's own check reports it */
	if (sales_floor_basis_of(c->dir, customer, &b, &err) < 0)
		return report_error(&err);
	if (!b.has)
		return 0;
	if (!m) {
		if (sales_model_load_one(&own, c, (1u << SALES_LEADS) |
					 (1u << SALES_CONTRACTS) |
					 (1u << SALES_EXCEPTIONS), customer,
					 NULL, NULL, &err) < 0)
			return report_error(&err);
		m = own;
	}
	for (int i = 0; sales_approval_states[i]; i++)
		if (!strcmp(sales_approval_states[i], "已驳回"))
			rejected = i;
	ci = sales_model_find(m, customer);
	total = a.lo;
	for (size_t i = 0; ci >= 0 && i < m->ncontracts; i++)
		if (m->contracts[i].customer == (uint32_t)ci &&
		    m->contracts[i].status != rejected &&
		    strcmp(sales_model_str(m, m->contracts[i].id), contract)) {
			total += m->contracts[i].amount;
			n++;
		}
	if (!sales_floor_below(&p, &b, total, n, NULL, why, sizeof(why)))
		goto out;
	if (ci >= 0)
		e = sales_floor_exception(m, NULL, (size_t)ci, &bad);
	if (e) {
		note_msg(_("contract %s for '%s': %s; allowed by the approved 底线让步 exception at exceptions.csv:%u (审批人 %s: %s)"),
			 contract, customer, why, (unsigned)e->line, e->e.approver,
			 e->e.reason);
	} else {
		error_msg(_("contract %s for '%s' is below the negotiation floor: %s"),
			  contract, customer, why);
		if (bad)
			note_msg(_("exceptions.csv:%u: the 底线让步 exception for '%s' does not count: %s"),
				 (unsigned)bad->line, customer, bad->why_invalid);
		note_msg(_("a concession below the floor needs a 销售经理 or 总经理: sales exception add --customer '%s' --type 底线让步 --stage 谈判签约 --reason TEXT --approver NAME"),
			 customer);
		status = EXIT_PROBLEMS;
	}
out:
	sales_model_free(own);
	return status;
}

static int contract_floor_check(struct sales_entry *e,
				const struct sales_context *c,
				const struct sales_model *m)
{
	return floor_refuses(c, m, sales_entry_get(e, CON_CUSTOMER),
			     sales_entry_get(e, CON_AMOUNT),
			     sales_entry_get(e, CON_CONTRACT));
}

static int contract_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_CONTRACTS, contract_add_usage,
		       contract_floor_check);
}

/* An open change on 04 and the row of contract id. */
struct contract_change {
	struct sales_txn t;
	struct sales_context c;
	struct sales_row_edit re;         /* the contract's row of 04 */
	const struct sales_route *route;  /* NULL: no approval rule applies */
	struct sales_error route_err;     /* why, then */
};

/* Returns 0 with cc ready, or an exit status (cc must still be ended). */
static int contract_open(struct contract_change *cc, struct sales_ctx *ctx,
			 const char *id)
{
	struct sales_error err;
	const char *v[SALES_MAX_COLS];
	int found;

	sales_error_clear(&err);
	memset(&cc->re, 0, sizeof(cc->re));
	if (change_begin(&cc->t, &cc->c, ctx, ctx->command, &err) < 0 ||
	    (found = sales_row_edit_open(&cc->re, &cc->t, SALES_CONTRACTS,
					 CON_CONTRACT, id, &err)) < 0)
		return report_error(&err);
	if (!found)
		return report_missing_row(cc->re.st, CON_CONTRACT, N_("contract"), id);
	sales_error_clear(&cc->route_err);
	sales_row_edit_values(&cc->re, v);
	cc->route = sales_entry_contract_route(&cc->t, &cc->c, v,
					       &cc->route_err);
	if (!cc->route && cc->route_err.code != SALES_ERULE)
		return report_error(&cc->route_err);
	return 0;
}

static const char *cell(const struct contract_change *cc, int col)
{
	return sales_row_edit_get(&cc->re, col);
}

/* Rule 1's order (facts.h): no contract signed before a stage before it
 * began, as check would judge the row.  Prints why not; returns 0 or the
 * exit status. */
static int signed_in_order(const struct contract_change *cc, sales_date date)
{
	const struct sales_sheet_table *tables[SALES_NSHEETS] = { NULL };
	struct sales_model *m = NULL;
	struct sales_error err;
	int rc = 0;

	/* 01 as the route read it (sales_entry_contract_route) */
	tables[SALES_LEADS] = sales_txn_unedited(&cc->t, SALES_LEADS);
	sales_error_clear(&err);
	if (sales_model_load_one_from(&m, &cc->c, (1u << SALES_LEADS) |
				      (1u << SALES_SURVEYS) |
				      (1u << SALES_SOLUTIONS),
				      cell(cc, CON_CUSTOMER), tables, &err) < 0 ||
	    sales_facts_order(m, sales_model_find(m, cell(cc, CON_CUSTOMER)),
			      SALES_CONTRACTS, CON_SIGNED, date, &err) < 0)
		rc = report_error(&err);
	sales_model_free(m);
	return rc;
}

static int set_cell(struct contract_change *cc, int col, const char *value,
		    struct sales_error *err)
{
	return sales_row_edit_set(&cc->re, col, value, err);
}

/* The approval status the opinions imply on the contract's route (待审批
 * when no approval rule applies: nothing can approve it). */
static const char *implied_status(const struct contract_change *cc)
{
	const char *v[SALES_MAX_COLS];
	struct sales_approval a;

	if (!cc->route)
		return "待审批";
	for (int i = 0; i < CON_NCOLS; i++)
		v[i] = cell(cc, i);
	sales_approval_from(&a, v);
	return sales_approval_status(&a, cc->route);
}

static int one_contract(int n, const char *sub, const char *const *usage,
			const struct opt *opts)
{
	if (n == 1)
		return 0;
	error_msg("contract %s takes one 合同编号", sub);
	print_usage(stderr, usage, opts);
	return EXIT_USAGE;
}

static int contract_sign(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *date_text = NULL, *due_text = NULL;
	const struct opt opts[] = {
		OPT_STR(0, "date", &date_text, "DATE", "签订日期 (required)"),
		OPT_STR(0, "payment-due", &due_text, "DATE", "付款到期日"),
		OPT_DONE,
	};
	struct contract_change cc;
	struct sales_error err;
	sales_date date, due = SALES_DATE_NONE;
	char datebuf[11], duebuf[11];
	int n, code, status;

	n = parse_options(argc, argv, opts, contract_usage, &code);
	if (n < 0)
		return code;
	if ((status = one_contract(n, "sign", contract_usage, opts)) != 0)
		return status;
	if (!date_text) {
		error_msg("missing option '--date' (签订日期)");
		return EXIT_USAGE;
	}
	if ((status = date_option("--date", date_text, ctx->today, &date)) != 0)
		return status;
	if (due_text && !parse_date_opt("--payment-due", due_text, &due))
		return EXIT_USAGE;
	if (due != SALES_DATE_NONE && due < date) {
		error_msg("option '--payment-due': %s is before the signing date %s",
			  due_text, date_text);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if ((status = contract_open(&cc, ctx, argv[0])) != 0)
		goto out;
	if (!cc.route) {
		error_msg("contract '%s': %s", argv[0], cc.route_err.message);
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (strcmp(cell(&cc, CON_APPROVAL), "已审批") ||
	    strcmp(implied_status(&cc), "已审批")) {
		error_msg("contract '%s' is not approved (审批状态 '%s', opinions say %s): only an approved (已审批) contract is signed",
			  argv[0], cell(&cc, CON_APPROVAL), implied_status(&cc));
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (*cell(&cc, CON_SIGNED)) {
		error_msg("contract '%s' was already signed on %s", argv[0],
			  cell(&cc, CON_SIGNED));
		status = EXIT_PROBLEMS;
		goto out;
	}
	if ((status = signed_in_order(&cc, date)) != 0)
		goto out;
	if (set_cell(&cc, CON_SIGNED, sales_date_format(date, datebuf), &err) < 0 ||
	    (due != SALES_DATE_NONE &&
	     set_cell(&cc, CON_PAYMENT_DUE, sales_date_format(due, duebuf), &err) < 0) ||
	    sales_row_edit_write(&cc.re, &err) < 0 ||
	    sales_lead_touch(&cc.t, cell(&cc, CON_CUSTOMER), date, "已签约",
			     &err) < 0 ||
	    sales_txn_commit(&cc.t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	printf(_("%s: signed %s; '%s' is 已签约\n"), argv[0], datebuf,
	       cell(&cc, CON_CUSTOMER));
	if (due == SALES_DATE_NONE)
		note_msg("no 付款到期日: payment reminders (rule 6) need one (--payment-due)");
out:
	sales_row_edit_release(&cc.re);
	change_end(&cc.t, &cc.c);
	return status;
}

static int contract_paid(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *date_text = NULL;
	const struct opt opts[] = {
		OPT_STR(0, "date", &date_text, "DATE", "回款日期 (required)"),
		OPT_DONE,
	};
	struct contract_change cc;
	struct sales_error err;
	sales_date date;
	char datebuf[11];
	int n, code, status;

	n = parse_options(argc, argv, opts, contract_usage, &code);
	if (n < 0)
		return code;
	if ((status = one_contract(n, "paid", contract_usage, opts)) != 0)
		return status;
	if (!date_text) {
		error_msg("missing option '--date' (回款日期)");
		return EXIT_USAGE;
	}
	if ((status = date_option("--date", date_text, ctx->today, &date)) != 0)
		return status;
	sales_error_clear(&err);
	if ((status = contract_open(&cc, ctx, argv[0])) != 0)
		goto out;
	if (!*cell(&cc, CON_SIGNED)) {
		error_msg("contract '%s' is not signed yet: sign it first (sales contract sign)",
			  argv[0]);
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (*cell(&cc, CON_PAID)) {
		error_msg("contract '%s' was already paid on %s", argv[0],
			  cell(&cc, CON_PAID));
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (set_cell(&cc, CON_PAID, sales_date_format(date, datebuf), &err) < 0 ||
	    sales_row_edit_write(&cc.re, &err) < 0 ||
	    sales_txn_commit(&cc.t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	printf(_("%s: paid %s\n"), argv[0], datebuf);
out:
	sales_row_edit_release(&cc.re);
	change_end(&cc.t, &cc.c);
	return status;
}

/*
 * A rejected contract goes back to 待审批: the three opinions are cleared
 * (audit.csv keeps them, old value by old value) and the terms may be
 * revised on the way.
 */
static int contract_resubmit(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const int revisable[] = { CON_AMOUNT, CON_TERM, CON_TERMS, CON_REP };
	const char *vals[4] = { NULL, NULL, NULL, NULL };
	const struct opt opts[] = {
		OPT_STR(0, "amount", &vals[0], "AMOUNT", "revised 合同金额(万元)"),
		OPT_STR(0, "term", &vals[1], "MONTHS", "revised 合同期限"),
		OPT_STR(0, "terms", &vals[2], "TEXT", "revised 主要条款摘要"),
		OPT_STR(0, "rep", &vals[3], "NAME", "revised 销售代表"),
		OPT_DONE,
	};
	struct contract_change cc;
	struct sales_entry e;
	struct sales_error err;
	int n, code, status;

	n = parse_options(argc, argv, opts, contract_usage, &code);
	if (n < 0)
		return code;
	if ((status = one_contract(n, "resubmit", contract_usage, opts)) != 0)
		return status;
	sales_error_clear(&err);
	sales_entry_init(&e, SALES_CONTRACTS);
	for (int i = 0; i < 4; i++)
		if (vals[i] && sales_entry_set(&e, revisable[i], vals[i],
					       ctx->today, &err) < 0) {
			sales_entry_release(&e);
			return report_error(&err);
		}
	if ((status = contract_open(&cc, ctx, argv[0])) != 0)
		goto out;
	if (strcmp(implied_status(&cc), "已驳回") &&
	    strcmp(cell(&cc, CON_APPROVAL), "已驳回")) {
		error_msg("contract '%s' is %s, not 已驳回: only a rejected contract is resubmitted",
			  argv[0], *cell(&cc, CON_APPROVAL) ?
			  cell(&cc, CON_APPROVAL) : implied_status(&cc));
		status = EXIT_PROBLEMS;
		goto out;
	}
	if ((status = floor_refuses(&cc.c, NULL, cell(&cc, CON_CUSTOMER),
				    vals[0] ? sales_entry_get(&e, CON_AMOUNT) :
				    cell(&cc, CON_AMOUNT), argv[0])) != 0)
		goto out;
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		if (*cell(&cc, sales_approver_columns[i]) &&
		    set_cell(&cc, sales_approver_columns[i], "", &err) < 0)
			goto fail;
	for (int i = 0; i < 4; i++)
		if (vals[i] && set_cell(&cc, revisable[i],
					sales_entry_get(&e, revisable[i]), &err) < 0)
			goto fail;
	if (set_cell(&cc, CON_APPROVAL, "待审批", &err) < 0 ||
	    sales_row_edit_write(&cc.re, &err) < 0 ||
	    sales_txn_commit(&cc.t, &err) < 0)
		goto fail;
	printf(_("%s: 待审批 again (the rejection stays in audit.csv)\n"), argv[0]);
	goto out;
fail:
	status = report_error(&err);
out:
	sales_row_edit_release(&cc.re);
	change_end(&cc.t, &cc.c);
	sales_entry_release(&e);
	return status;
}

static const struct subcommand contract_subcommands[] = {
	{ "add", contract_add },
	{ "sign", contract_sign },
	{ "paid", contract_paid },
	{ "resubmit", contract_resubmit },
	{ NULL, NULL },
};

int cmd_contract(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, contract_subcommands,
			      contract_usage);
}
