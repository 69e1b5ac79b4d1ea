/*
 * survey.c - `sales survey`: requirement surveys (02-surveys.csv).
 */
#include "stage.h"

static const char *const survey_usage[] = {
	"sales survey add --customer NAME [--date DATE] [--surveyor NAME] [--<column> VALUE...]",
	NULL,
};

static int survey_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	return add_row(argc, argv, ctx, SALES_SURVEYS, survey_usage, NULL);
}

static const struct subcommand survey_subcommands[] = {
	{ "add", survey_add },
	{ NULL, NULL },
};

int cmd_survey(int argc, const char **argv, struct sales_ctx *ctx)
{
	return run_subcommand(argc, argv, ctx, survey_subcommands, survey_usage);
}
