/*
 * import.c - `sales import FILE.xlsx`: a workbook saved from Excel, WPS or
 * LibreOffice as .xlsx, back into the CSV sheets as one change (xlsx.h).
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "context.h"
#include "i18n.h"
#include "txn.h"
#include "workbook.h"
#include "xlsx.h"

static const char *const import_usage[] = {
	"sales import FILE.xlsx [--dry-run]",
	NULL,
};

int cmd_import(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool dry_run = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('n', "dry-run", &dry_run, "say what would change, write nothing"),
		OPT_DONE,
	};
	struct sales_xlsx_book book;
	struct sales_xlsx_import im;
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, import_usage, &code);
	if (n < 0)
		return code;
	if (n != 1) {
		error_msg(_("import takes one .xlsx file"));
		print_usage(stderr, import_usage, opts);
		return EXIT_USAGE;
	}
	memset(&im, 0, sizeof(im));
	sales_error_clear(&err);
	if (sales_xlsx_read(argv[0], &book, &err) < 0)
		return report_error(&err);
	if (change_begin(&t, &c, ctx, ctx->command, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_xlsx_import(&t, &book, ctx->today, &im, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (im.notes.len)
		fputs(im.notes.data, stdout);
	if (im.nerrors) {
		fputs(im.errors.data, stderr);
		error_msg(P_("%zu value refused: nothing imported",
			     "%zu values refused: nothing imported", im.nerrors),
			  im.nerrors);
		status = EXIT_USAGE;
		goto out;
	}
	if (!im.changes) {
		printf("%s\n", _("nothing to change: the sheets already hold what the file shows"));
		goto out;
	}
	if (dry_run) {
		printf(P_("dry run: %zu change, nothing written\n",
			  "dry run: %zu changes, nothing written\n", im.changes),
		       im.changes);
		goto out;
	}
	if (sales_txn_commit(&t, &err) < 0)
		status = report_error(&err);
out:
	change_end(&t, &c);
	sales_xlsx_import_release(&im);
	sales_xlsx_book_free(&book);
	return status;
}
