/*
 * stage.h - what the stage commands (survey, solution, contract, approve,
 * plan, acceptance, followup, exception) share: sub-command tables (with
 * "did you mean"), the one `add` built from the schema, and the checks of a
 * date option.  A change is opened with cmd.h's change_begin.
 */
#ifndef SALES_CMD_STAGE_H
#define SALES_CMD_STAGE_H

#include "cmd.h"
#include "context.h"
#include "entry.h"
#include "model.h"
#include "txn.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, const char **argv, struct sales_ctx *ctx);
};

/*
 * Runs the sub-command argv[1] of command (e.g. "contract"): sets
 * ctx->command to "contract sign" (the lock and the audit name it) and
 * calls its function with argv[1..].  No sub-command, -h or --help print
 * usage.
 */
int run_subcommand(int argc, const char **argv, struct sales_ctx *ctx,
		   const struct subcommand *subs, const char *const *usage);

/*
 * A check an add command makes once the workbook is loaded, before the row
 * goes in (exception add checks its approver; change add also fills in
 * the contract it may leave out).  Returns 0, or an exit status after
 * printing why.
 */
typedef int (*add_check_fn)(struct sales_entry *e,
			    const struct sales_context *c,
			    const struct sales_model *m);

/*
 * `sales <sheet> add`: every column of sheet id that no other command keeps
 * is an option --<key>; the values are checked by type and rule, the stage
 * gate is applied (01-07), the row appended and the lead moved, all in one
 * transaction.  usage is the command's usage text.  Returns the exit status.
 */
int add_row(int argc, const char **argv, struct sales_ctx *ctx,
	    enum sales_sheet_id id, const char *const *usage,
	    add_check_fn check);

/* Reports that key is not in sheet st's column col, with "did you mean"
 * when a close one exists.  Returns EXIT_PROBLEMS. */
int report_missing_row(const struct sales_sheet_table *st, int col,
		       const char *what, const char *key);

/* Parses a --date-like option into *out, refusing a date after today
 * (rule 9).  Returns 0 or an exit status (2 bad date, 1 future). */
int date_option(const char *opt, const char *value, sales_date today,
		sales_date *out);

#endif
