/*
 * plan.c - `sales plan`: delivery plans (05-plans.csv).
 */
#include "stage.h"

static const char *const plan_usage[] = {
	"sales plan add --customer NAME --phase TEXT [--period PERIOD] [--<column> VALUE...]",
	NULL,
};

static int plan_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_PLANS, plan_usage, NULL);
}

static const struct subcommand plan_subcommands[] = {
	{ "add", plan_add },
	{ NULL, NULL },
};

int cmd_plan(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, plan_subcommands, plan_usage);
}
