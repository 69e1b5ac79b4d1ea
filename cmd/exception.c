/*
 * exception.c - `sales exception`: the approvals that let a customer skip a
 * stage (跳过环节) or miss a deadline (延期), recorded in exceptions.csv.
 */
#include "stage.h"

#include "rules.h"

static const char *const exception_usage[] = {
	"sales exception add --customer NAME --type 跳过环节|延期|底线让步 --stage STAGE --reason TEXT --approver NAME [--deadline DATE] [--date DATE]",
	NULL,
};

/* SPEC §4 rule 1: approved by a 销售经理 in team.csv, with a reason. */
static int exception_check(struct sales_entry *e,
			   const struct sales_context *c,
			   const struct sales_model *m)
{
	struct sales_exception x = {
		sales_entry_get(e, EXC_CUSTOMER), sales_entry_get(e, EXC_TYPE),
		sales_entry_get(e, EXC_STAGE), sales_entry_get(e, EXC_REASON),
		sales_entry_get(e, EXC_DEADLINE), sales_entry_get(e, EXC_APPROVER),
		sales_entry_get(e, EXC_APPROVED),
	};
	const char *why;

	(void)m;   /* the customer was resolved among the leads already */
	if (!sales_exception_valid(c, &x, &why)) {
		error_msg("the %s exception for '%s' cannot be recorded: %s (审批人 '%s')",
			  x.type, x.customer, why, x.approver);
		return EXIT_PROBLEMS;
	}
	return 0;
}

static int exception_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_EXCEPTIONS, exception_usage,
		       exception_check);
}

static const struct subcommand exception_subcommands[] = {
	{ "add", exception_add },
	{ NULL, NULL },
};

int cmd_exception(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, exception_subcommands,
			      exception_usage);
}
