/*
 * followup.c - `sales followup`: after-sales follow-ups (07-followups.csv).
 */
#include "stage.h"

static const char *const followup_usage[] = {
	"sales followup add --customer NAME [--date DATE] [--satisfaction 1-5] [--<column> VALUE...]",
	NULL,
};

static int followup_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_FOLLOWUPS, followup_usage, NULL);
}

static const struct subcommand followup_subcommands[] = {
	{ "add", followup_add },
	{ NULL, NULL },
};

int cmd_followup(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, followup_subcommands, followup_usage);
}
