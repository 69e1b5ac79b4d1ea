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

/* The customer's proposal named name (NULL: its only one), opened in re;
 * or -1 after saying why not, the exit status in *status. */
static int open_proposal(struct sales_row_edit *re, struct sales_txn *t,
			 const char *customer, const char *name, int *status)
{
	struct sales_proposal p;
	struct sales_error err;
	const char *s;
	int rc = -1;

	sales_error_clear(&err);
	if (sales_entry_find_proposal(t, customer, name, &p, &err) < 0) {
		if (err.code == SALES_ENAME) {
			error_msg("%s", err.message);
			*status = EXIT_PROBLEMS;
		} else {
			*status = report_error(&err);
		}
		goto out;
	}
	if (p.how != SALES_MATCH_EXACT)
		note_msg(_("'%s' is the customer '%s'"), customer, p.customer.data);
	customer = p.customer.data;
	if (p.count == 0) {
		if (name)
			error_msg("no proposal '%s' for '%s' in 03-solutions.csv",
				  name, customer);
		else
			error_msg("no proposal for '%s' in 03-solutions.csv",
				  customer);
		*status = EXIT_PROBLEMS;
		goto out;
	}
	if (p.count > 1) {
		error_msg("'%s' has %zu proposals in 03-solutions.csv; name the one reviewed:",
			  customer, p.count);
		s = p.names.data;
		for (size_t i = 0; i < p.nnames; i++, s += strlen(s) + 1)
			fprintf(stderr, "\t%s\n", s);
		*status = EXIT_USAGE;
		goto out;
	}
	/* under the lock: the row found is there */
	rc = sales_row_edit_open_at(re, t, SALES_SOLUTIONS, SOL_CUSTOMER,
				    customer, p.line, &err);
	if (rc == 0)
		sales_error_set(&err, SALES_ECHANGED, "03-solutions.csv", 0, 0,
				"the row of '%s' is gone", customer);
	if (rc <= 0) {
		*status = report_error(&err);
		rc = -1;
	}
out:
	sales_proposal_release(&p);
	return rc;
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
	struct sales_row_edit re = {0};
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	sales_date date = ctx->today, submitted;
	const char *customer, *name, *cur, *sub;
	char datebuf[11];
	int n, code, status = 0;

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
	/* 03 is read, not held: the proposal is found by streaming it and
	 * its row rewritten record by record (entry.h sales_row_edit) */
	if (change_begin(&t, &c, ctx, command.data, &err) < 0 ||
	    !sales_sheet_exists(t.dir, SALES_SOLUTIONS)) {
		if (err.code == SALES_OK)
			sales_error_set(&err, SALES_ENOTFOUND, "03-solutions.csv",
					0, 0, "no such sheet in the workbook");
		status = report_error(&err);
		goto out;
	}
	if (sales_team_require(&c, by, &reviewer, 1,
			       N_("proposals are reviewed by a 销售主管"), &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (open_proposal(&re, &t, customer, name, &status) < 0)
		goto out;
	customer = sales_row_edit_get(&re, SOL_CUSTOMER);
	cur = sales_row_edit_get(&re, SOL_REVIEW);
	if (sales_review_of(cur, NULL) == SALES_REVIEW_PASSED) {
		error_msg("the proposal '%s' of '%s' already passed its review ('%s' on %s)",
			  sales_row_edit_get(&re, SOL_SOLUTION), customer, cur,
			  *sales_row_edit_get(&re, SOL_REVIEWED) ?
			  sales_row_edit_get(&re, SOL_REVIEWED) : _("an unknown date"));
		status = EXIT_PROBLEMS;
		goto out;
	}
	sub = sales_row_edit_get(&re, SOL_SUBMITTED);
	if (sales_parse_date(sub, strlen(sub), &submitted) != SALES_VALUE_OK)
		submitted = SALES_DATE_NONE;
	if (sales_facts_review_order(submitted, date, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_row_edit_set(&re, SOL_REVIEW, text.data, &err) < 0 ||
	    sales_row_edit_set(&re, SOL_REVIEWED,
			       sales_date_format(date, datebuf), &err) < 0 ||
	    sales_row_edit_write(&re, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	printf("%s/%s: %s\n", sales_row_edit_get(&re, SOL_CUSTOMER),
	       sales_row_edit_get(&re, SOL_SOLUTION), text.data);
out:
	sales_row_edit_release(&re);
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
