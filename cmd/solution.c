/*
 * solution.c - `sales solution`: proposals (03-solutions.csv) and the
 * 销售主管's review of them.
 */
#include "stage.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "resolve.h"
#include "rules.h"

#define SOLUTION_ADD_USAGE \
	"sales solution add --customer NAME --solution NAME [--date DATE] [--<column> VALUE...]"

static const char *const solution_add_usage[] = { SOLUTION_ADD_USAGE, NULL };

static const char *const solution_usage[] = {
	SOLUTION_ADD_USAGE,
	"sales solution review <customer> [<方案名称>] --by NAME (--pass | --reject) [--opinion TEXT] [--date DATE]",
	NULL,
};

/* Rule 3: a late proposal is recorded, with a warning unless a 延期
 * exception covers it. */
static int proposal_deadline(struct sales_entry *e,
			     const struct sales_context *c,
			     const struct sales_model *m)
{
	const char *sub = sales_entry_get(e, SOL_SUBMITTED);
	const char *customer = sales_entry_get(e, SOL_CUSTOMER);
	sales_date date, deadline;
	char buf[11];

	if (sales_parse_date(sub, strlen(sub), &date) == SALES_VALUE_OK &&
	    sales_proposal_late(m, sales_model_find(m, customer), date, &deadline))
		warning_msg("the proposal for '%s' is late: due %s (%ld working days after the last survey); record a 延期 exception approved by a 销售经理",
			    customer, sales_date_format(deadline, buf),
			    sales_setting_int(c, "deadline.proposal_days"));
	return 0;
}

static int solution_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_SOLUTIONS, solution_add_usage,
		       proposal_deadline);
}

/* The customer's proposal named name (NULL: its only one), or -1 after
 * saying why not. */
static long find_proposal(const struct sales_sheet_table *st,
			  const char *customer, const char *name, int *status)
{
	size_t n = sales_table_rows(st->table), count = 0;
	struct sales_resolver res;
	struct sales_error err;
	enum sales_match how;
	long pick = -1;

	/* the customer as the one resolver reads names (resolve.h), among
	 * the customers that have a proposal */
	sales_resolver_init(&res, customer);
	for (size_t r = 0; r < n; r++)
		sales_resolver_feed(&res, sales_sheet_table_get(st, r, SOL_CUSTOMER),
				    (long)r);
	pick = sales_resolver_result(&res, &how, NULL);
	if (pick < 0) {
		sales_resolver_error(&res, _("customer with a proposal"),
				     st->name, &err);
		error_msg("%s", err.message);
		sales_resolver_release(&res);
		*status = EXIT_PROBLEMS;
		return -1;
	}
	if (how != SALES_MATCH_EXACT)
		note_msg(_("'%s' is the customer '%s'"), customer,
			 sales_sheet_table_get(st, (size_t)pick, SOL_CUSTOMER));
	customer = sales_sheet_table_get(st, (size_t)pick, SOL_CUSTOMER);
	sales_resolver_release(&res);
	pick = -1;
	for (size_t r = 0; r < n; r++) {
		if (!sales_key_equal(sales_sheet_table_get(st, r, SOL_CUSTOMER),
				     customer) ||
		    (name && !sales_key_equal(sales_sheet_table_get(st, r, SOL_SOLUTION),
					      name)))
			continue;
		if (count++ == 0)
			pick = (long)r;
	}
	if (count == 1)
		return pick;
	if (count == 0) {
		if (name)
			error_msg("no proposal '%s' for '%s' in 03-solutions.csv",
				  name, customer);
		else
			report_missing_row(st, SOL_CUSTOMER, N_("proposal for"), customer);
		*status = EXIT_PROBLEMS;
		return -1;
	}
	error_msg("'%s' has %zu proposals in 03-solutions.csv; name the one reviewed:",
		  customer, count);
	for (size_t r = 0; r < n; r++)
		if (sales_key_equal(sales_sheet_table_get(st, r, SOL_CUSTOMER),
				    customer))
			fprintf(stderr, "\t%s\n",
				sales_sheet_table_get(st, r, SOL_SOLUTION));
	*status = EXIT_USAGE;
	return -1;
}

static int solution_review(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const char *const reviewer = "销售主管";
	const char *by = NULL, *opinion = NULL, *date_text = NULL;
	bool pass = false, reject = false;
	const struct opt opts[] = {
		OPT_STR(0, "by", &by, "NAME", "the reviewer: a 销售主管 in team.csv"),
		OPT_BOOLEAN(0, "pass", &pass, "the proposal passes (评审意见 通过…)"),
		OPT_BOOLEAN(0, "reject", &reject, "the proposal is sent back (评审意见 不通过…)"),
		OPT_STR(0, "opinion", &opinion, "TEXT", "what the reviewer says, after the verdict"),
		OPT_STR(0, "date", &date_text, "DATE", "评审日期 (default: today)"),
		OPT_DONE,
	};
	struct sales_buf text = {0}, command = {0};
	struct sales_sheet_table *st;
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	sales_date date = ctx->today, submitted;
	const char *customer, *name, *cur, *sub;
	char datebuf[11];
	int n, code, status = 0;
	long row;

	n = parse_options(argc, argv, opts, solution_usage, &code);
	if (n < 0)
		return code;
	if (n < 1 || n > 2 || !by || pass == reject) {
		error_msg(n < 1 || n > 2 ? "review takes a customer and, when it has several proposals, the 方案名称" :
			  !by ? N_("missing option '--by' (the reviewing 销售主管)") :
			  N_("give one of --pass and --reject"));
		print_usage(stderr, solution_usage, opts);
		return EXIT_USAGE;
	}
	customer = argv[0];
	name = n == 2 ? argv[1] : NULL;
	if (date_text && (status = date_option("--date", date_text, ctx->today,
					       &date)) != 0)
		return status;
	sales_error_clear(&err);
	if (sales_review_text(pass, opinion, &text, &err) < 0) {
		error_msg("%s", err.message);
		return EXIT_USAGE;
	}
	sales_buf_printf(&command, "%s --by %s", ctx->command, by);
	if (change_begin(&t, &c, ctx, command.data, &err) < 0 ||
	    !(st = sales_txn_sheet(&t, SALES_SOLUTIONS, &err))) {
		status = report_error(&err);
		goto out;
	}
	if (sales_team_require(&c, by, &reviewer, 1,
			       N_("proposals are reviewed by a 销售主管"), &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	row = find_proposal(st, customer, name, &status);
	if (row < 0)
		goto out;
	customer = sales_sheet_table_get(st, (size_t)row, SOL_CUSTOMER);
	cur = sales_sheet_table_get(st, (size_t)row, SOL_REVIEW);
	if (sales_review_of(cur, NULL) == SALES_REVIEW_PASSED) {
		error_msg("the proposal '%s' of '%s' already passed its review ('%s' on %s)",
			  sales_sheet_table_get(st, (size_t)row, SOL_SOLUTION),
			  customer, cur,
			  *sales_sheet_table_get(st, (size_t)row, SOL_REVIEWED) ?
			  sales_sheet_table_get(st, (size_t)row, SOL_REVIEWED) : _("an unknown date"));
		status = EXIT_PROBLEMS;
		goto out;
	}
	sub = sales_sheet_table_get(st, (size_t)row, SOL_SUBMITTED);
	if (sales_parse_date(sub, strlen(sub), &submitted) != SALES_VALUE_OK)
		submitted = SALES_DATE_NONE;
	if (sales_facts_review_order(submitted, date, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_txn_set(&t, SALES_SOLUTIONS, (size_t)row, SOL_REVIEW, text.data,
			  &err) < 0 ||
	    sales_txn_set(&t, SALES_SOLUTIONS, (size_t)row, SOL_REVIEWED,
			  sales_date_format(date, datebuf), &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	printf("%s/%s: %s\n", customer,
	       sales_sheet_table_get(st, (size_t)row, SOL_SOLUTION), text.data);
out:
	change_end(&t, &c);
	sales_buf_release(&text);
	sales_buf_release(&command);
	return status;
}

static const struct subcommand solution_subcommands[] = {
	{ "add", solution_add },
	{ "review", solution_review },
	{ NULL, NULL },
};

int cmd_solution(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, solution_subcommands,
			      solution_usage);
}
