/*
 * acceptance.c - `sales acceptance`: acceptances (06-acceptance.csv).
 */
#include "stage.h"

static const char *const acceptance_usage[] = {
	"sales acceptance add --customer NAME --result 合格|不合格 [--date DATE] [--<column> VALUE...]",
	NULL,
};

static int acceptance_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_ACCEPTANCE, acceptance_usage, NULL);
}

static const struct subcommand acceptance_subcommands[] = {
	{ "add", acceptance_add },
	{ NULL, NULL },
};

int cmd_acceptance(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, acceptance_subcommands, acceptance_usage);
}
