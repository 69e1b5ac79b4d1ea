/*
 * import.c - `sales import FILE.xlsx`: a workbook saved from Excel, WPS or
 * LibreOffice as .xlsx, back into the CSV sheets as one change (xlsx.h);
 * the refused rows, with their 错误原因, into an error workbook (rejects.h).
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "context.h"
#include "i18n.h"
#include "txn.h"
#include "workbook.h"
#include "xlsx.h"

static const char *const import_usage[] = {
	"sales import FILE.xlsx [--dry-run] [--errors FILE_错误.xlsx] [--skip-bad]",
	NULL,
};

int cmd_import(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool dry_run = false, skip_bad = false;
	const char *errors_path = NULL;
	const struct opt opts[] = {
		OPT_BOOLEAN('n', "dry-run", &dry_run, "say what would change, write nothing"),
		OPT_STR(0, "errors", &errors_path, "FILE", N_("write the tabs with refused rows, every row in its place and a 错误原因 column, to FILE (.xlsx)")),
		OPT_BOOLEAN(0, "skip-bad", &skip_bad, N_("import the good rows even when some are refused")),
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
	if (errors_path && (strlen(errors_path) < 5 ||
			    strcasecmp(errors_path + strlen(errors_path) - 5, ".xlsx"))) {
		error_msg(_("option '--errors': '%s': the error workbook of an .xlsx import is an .xlsx (e.g. FILE_错误.xlsx)"),
			  errors_path);
		return EXIT_USAGE;
	}
	memset(&im, 0, sizeof(im));
	im.skip_bad = skip_bad;
	sales_error_clear(&err);
	if (sales_xlsx_read(argv[0], &book, &err) < 0)
		return report_error(&err);
	if (change_begin(&t, &c, ctx, ctx->command, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_xlsx_import(&t, &c, &book, ctx->today, &im, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (im.notes.len)
		fputs(im.notes.data, stdout);
	if (im.nerrors)
		fputs(im.errors.data, stderr);
	if (im.nrejects && errors_path) {
		if (sales_rejects_write_xlsx(errors_path, &book, im.rejects,
					     im.nrejects, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		note_msg(P_("%s: the refused row, with its 错误原因 (every row of its tab in place): fix it in Excel and import that file again",
			    "%s: the %zu refused rows, with their 错误原因 (every row of their tabs in place): fix them in Excel and import that file again",
			    im.nbad), errors_path, im.nbad);
	}
	if (im.nfatal || (im.nerrors && !skip_bad)) {
		error_msg(P_("%zu value refused: nothing imported",
			     "%zu values refused: nothing imported", im.nerrors),
			  im.nerrors);
		status = EXIT_USAGE;
		goto out;
	}
	if (!im.changes && im.nbad) {
		error_msg(P_("nothing imported: the one changed row was refused",
			     "nothing imported: all %zu changed rows were refused", im.nbad),
			  im.nbad);
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
	if (sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (im.nbad)
		warning_msg(P_("%zu row was not imported (--skip-bad)%s%s",
			       "%zu rows were not imported (--skip-bad)%s%s", im.nbad),
			    im.nbad, errors_path ? ": see " : "",
			    errors_path ? errors_path : "");
out:
	change_end(&t, &c);
	sales_xlsx_import_release(&im);
	sales_xlsx_book_free(&book);
	return status;
}
