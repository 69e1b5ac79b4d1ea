/*
 * change.c - `sales change`: the 需求变更确认单 (changes.csv), a change
 * agreed during delivery with its cost and schedule effect.  add records
 * one (checked by the shared validator, its approver a 销售经理 or 总经理,
 * its contract the customer's one signed contract when it is left out);
 * list shows them and whether each counts (libsales/changes.h decides).
 */
#include "stage.h"

#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "resolve.h"
#include "table.h"

static const char *const change_usage[] = {
	"sales change add --customer NAME [--contract 合同编号] --what TEXT [--cost 万元] [--days N] --approver NAME [--date DATE] --confirmed 是|否",
	"sales change list [--customer NAME] [--as-of DATE] [--format table|csv|tsv|json|md]",
	NULL,
};

/* Once the workbook is loaded: the approver's role, and the contract,
 * filled in when the customer has exactly one signed contract. */
static int change_check(struct sales_entry *e, const struct sales_context *c,
			const struct sales_model *m)
{
	const char *customer = sales_entry_get(e, CHG_CUSTOMER);
	long k = sales_model_find(m, customer), con;
	struct sales_error err;
	char why[600];

	sales_error_clear(&err);
	if (sales_change_approver_check(c, sales_entry_get(e, CHG_APPROVER), &err) < 0)
		return report_error(&err);
	con = sales_change_contract(m, k, sales_entry_get(e, CHG_CONTRACT), why,
				    sizeof(why));
	if (con < 0) {
		error_msg(_("the change for '%s' cannot be recorded: %s"), customer, why);
		return EXIT_PROBLEMS;
	}
	if (!*sales_entry_get(e, CHG_CONTRACT)) {
		const char *id = sales_model_str(m, m->contracts[con].id);

		if (sales_entry_set(e, CHG_CONTRACT, id, SALES_DATE_NONE, &err) < 0)
			return report_error(&err);
		note_msg(_("合同编号 %s: the one signed contract of '%s' (04-contracts.csv:%u)"),
			 id, customer, (unsigned)m->contracts[con].line);
	}
	if (sales_enum_find(sales_yes_no, sales_entry_get(e, CHG_CONFIRMED),
			    strlen(sales_entry_get(e, CHG_CONFIRMED))) != 0)
		note_msg("%s", _("客户确认 否: the change counts once the customer confirms it (客户确认 是)"));
	return 0;
}

static int change_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_CHANGES, change_usage, change_check);
}

/* ---- list ---- */

struct listing {
	char *only;                    /* --customer, resolved; or NULL */
	struct table *t;
	enum out_format fmt;
	double cost;                   /* totals of the changes that count */
	long days;
	size_t n, counted;
	bool oom;
};

static int list_row(void *ud, const struct sales_row_event *ev,
		    struct sales_error *err)
{
	struct listing *l = ud;
	const char *const *v = ev->rec->v;
	struct sales_change_verdict vd;
	const char *row[10];
	char cost[48] = "", days[24] = "";

	(void)err;
	if (ev->sheet != SALES_CHANGES)
		return 0;
	if (l->only && (ev->customer < 0 ||
			strcmp(sales_model_str(ev->model,
					       ev->model->customers[ev->customer].name),
			       l->only)))
		return 0;
	sales_change_judge(ev->model, ev->customer, v, &vd);
	if (*v[CHG_COST])
		snprintf(cost, sizeof(cost), "%.10g", vd.cost);
	if (*v[CHG_DAYS])
		snprintf(days, sizeof(days), "%ld", vd.days);
	row[0] = v[CHG_CUSTOMER];
	row[1] = vd.contract >= 0 ?
		 sales_model_str(ev->model, ev->model->contracts[vd.contract].id) :
		 v[CHG_CONTRACT];
	row[2] = v[CHG_WHAT];
	row[3] = cost;
	row[4] = days;
	row[5] = v[CHG_APPROVER];
	row[6] = v[CHG_APPROVED];
	row[7] = v[CHG_CONFIRMED];
	if (l->fmt == FMT_TABLE || l->fmt == FMT_MD)
		row[8] = vd.approved ? _("counts") : vd.why;
	else
		row[8] = vd.approved ? "true" : "false";
	row[9] = vd.why;
	l->n++;
	if (vd.approved) {
		l->counted++;
		l->cost += vd.cost;
		l->days += vd.days;
	}
	if (table_add(l->t, row) < 0)
		l->oom = true;
	return 0;
}

static int change_list(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *customer = NULL;
	enum out_format fmt = FMT_TABLE;
	const struct opt opts[] = {
		OPT_STR(0, "customer", &customer, "NAME", N_("only this customer's changes")),
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMTS_TABLE),
		OPT_DONE,
	};
	static const char *const keys[10] = { "customer", "contract", "what", "cost",
					      "days", "approver", "approved",
					      "confirmed", "counts", "why" };
	static const char *const heads[9] = { N_("客户名称"), N_("合同编号"),
					      N_("变更内容"), N_("费用调整(万元)"),
					      N_("工期调整(天)"), N_("审批人"),
					      N_("审批日期"), N_("客户确认"),
					      N_("状态") };
	struct sales_model *m = NULL;
	struct sales_context c;
	struct sales_error err;
	struct listing l = { 0 };
	struct table t;
	bool machine;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, change_usage, &code);
	if (n < 0)
		return code;
	if (n > 0) {
		error_msg(_("change list takes no arguments ('%s')"), argv[0]);
		return EXIT_USAGE;
	}
	machine = fmt != FMT_TABLE && fmt != FMT_MD;
	sales_error_clear(&err);
	if (sales_context_load(&c, ctx->dir, ctx->today, &err) < 0)
		return report_error(&err);
	table_init(&t, machine ? 10 : 9);
	if (machine) {
		table_add(&t, keys);
		table_right(&t, 3);
		table_right(&t, 4);
		table_right(&t, 8);   /* counts: true or false in JSON */
	} else {
		const char *h[9];

		for (int i = 0; i < 9; i++)
			h[i] = _(heads[i]);
		table_add(&t, h);
		table_right(&t, 3);
		table_right(&t, 4);
	}
	l.t = &t;
	l.fmt = fmt;
	if (customer) {
		long k;

		/* resolve first (the customers are known once 01 is read) */
		if (sales_model_load(&m, &c, 1u << SALES_LEADS, NULL, NULL, &err) < 0 ||
		    (k = sales_resolve_customer(m, customer, true, NULL, &err)) < 0) {
			status = report_error(&err);
			goto out;
		}
		l.only = strdup(sales_model_str(m, m->customers[k].name));
		sales_model_free(m);
		m = NULL;
		if (!l.only) {
			error_msg("%s", _("out of memory"));
			status = EXIT_USAGE;
			goto out;
		}
	}
	if (sales_model_load(&m, &c, SALES_MODEL_ALL, list_row, &l, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (l.oom) {
		error_msg("%s", _("out of memory"));
		status = EXIT_USAGE;
		goto out;
	}
	if (!m->has_sheet[SALES_CHANGES])
		note_msg("%s", _("the workbook has no changes.csv (需求变更确认单); 'sales init --missing' writes an empty one"));
	if (fmt == FMT_TABLE && !l.n) {
		puts(_("no change requests"));
		goto out;
	}
	table_print_as(stdout, &t, fmt);
	if (fmt == FMT_TABLE)
		printf(P_("\n%zu of %zu change counts: 费用调整 %+.10g万元, 工期调整 %+ld天\n",
			  "\n%zu of %zu changes count: 费用调整 %+.10g万元, 工期调整 %+ld天\n",
			  l.counted),
		       l.counted, l.n, l.cost, l.days);
out:
	free(l.only);
	sales_model_free(m);
	table_release(&t);
	sales_context_release(&c);
	return status;
}

static const struct subcommand change_subcommands[] = {
	{ "add", change_add },
	{ "list", change_list },
	{ NULL, NULL },
};

int cmd_change(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, change_subcommands, change_usage);
}
