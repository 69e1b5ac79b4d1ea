/*
 * fix.c - `sales fix formulas`: repairs what a spreadsheet left behind.
 * Cells that would run as formulas (a gnumeric CSV save drops the
 * apostrophe that kept them text) are stored escaped, in one audited change.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "txn.h"
#include "workbook.h"

static const char *const fix_usage[] = {
	"sales fix formulas [--dry-run]",
	NULL,
};

int cmd_fix(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool dry_run = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('n', "dry-run", &dry_run, "say what would be escaped, write nothing"),
		OPT_DONE,
	};
	struct sales_error err;
	struct sales_txn t;
	size_t total = 0;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, fix_usage, &code);
	if (n < 0)
		return code;
	if (n != 1 || strcmp(argv[0], "formulas")) {
		error_msg(_("fix takes what to fix: formulas"));
		print_usage(stderr, fix_usage, opts);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (change_begin(&t, NULL, ctx, ctx->command, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	for (int id = 0; id < SALES_NSHEETS; id++) {
		size_t fixed;

		if (!sales_sheet_exists(ctx->dir, (enum sales_sheet_id)id))
			continue;
		if (sales_txn_fix_formulas(&t, (enum sales_sheet_id)id, &fixed,
					   &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		if (fixed)
			printf(P_("%s: %zu formula cell stored as text\n",
				  "%s: %zu formula cells stored as text\n", fixed),
			       sales_sheet_def((enum sales_sheet_id)id)->file,
			       fixed);
		total += fixed;
	}
	if (!total) {
		printf("%s\n", _("no live formula cells: nothing to fix"));
		goto out;
	}
	if (dry_run) {
		printf("%s\n", _("dry run: nothing written"));
		goto out;
	}
	if (sales_txn_commit(&t, &err) < 0)
		status = report_error(&err);
out:
	change_end(&t, NULL);
	return status;
}
