/*
 * merge.c - `sales merge BASE OURS THEIRS [PATH]`: git's merge driver for
 * sheets (git config merge.sales.driver "sales merge %O %A %B %P",
 * .gitattributes `*.csv merge=sales`).
 *
 * Two reps who each appended rows to the same sheet make git's line merge
 * conflict, because both added lines at the end of the file.  When both
 * sides kept the common version byte for byte and only appended records,
 * the result is ours followed by the records theirs appended
 * (libsales/wbdiff.h sales_merge_appends), written into OURS.  Anything
 * else is merged as git would (git merge-file, conflict markers and all),
 * so the driver never resolves a real conflict by guessing.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "git.h"
#include "i18n.h"
#include "sheet.h"
#include "wbdiff.h"

static const char *const merge_usage[] = {
	"sales merge BASE OURS THEIRS [PATH]",
	NULL,
};

int cmd_merge(int argc, const char **argv, struct sales_ctx *ctx)
{
	const struct opt opts[] = { OPT_DONE };
	char *data[3] = { NULL, NULL, NULL };
	size_t len[3] = { 0, 0, 0 }, appended = 0;
	struct sales_buf out = { 0 };
	struct sales_error err;
	const char *name;
	int n, code, status = EXIT_USAGE, rc;

	(void)ctx;
	n = parse_options(argc, argv, opts, merge_usage, &code);
	if (n < 0)
		return code;
	if (n != 3 && n != 4) {
		print_usage(stderr, merge_usage, opts);
		return EXIT_USAGE;
	}
	name = n == 4 ? argv[3] : argv[1];
	sales_error_clear(&err);
	for (int i = 0; i < 3; i++)
		if (sales_read_file(argv[i], &data[i], &len[i], &err) < 0) {
			report_error(&err);
			goto out;
		}
	rc = sales_merge_appends(data[0], len[0], data[1], len[1], data[2], len[2],
				 name, &out, &appended, &err);
	if (rc < 0) {
		report_error(&err);
		goto out;
	}
	if (rc > 0) {
		if (sales_write_file_atomic(argv[1], out.data, out.len, &err) < 0) {
			report_error(&err);
			goto out;
		}
		note_msg(P_("%s: both sides appended rows; %zu row of theirs added after ours",
			    "%s: both sides appended rows; %zu rows of theirs added after ours",
			    appended), name, appended);
		status = 0;
		goto out;
	}
	{
		/* not only appends: the line merge git would do */
		const char *args[] = { "merge-file", "-L", "ours", "-L", "base",
				       "-L", "theirs", argv[1], argv[0], argv[2],
				       NULL };
		int conflicts;

		if (sales_git_exec(".", args, NULL, &conflicts, &err) < 0) {
			report_error(&err);
			goto out;
		}
		if (conflicts)
			note_msg(P_("%s: %d conflict left for you (rows changed, not only appended)",
				    "%s: %d conflicts left for you (rows changed, not only appended)",
				    conflicts), name, conflicts);
		status = conflicts ? EXIT_PROBLEMS : 0;
	}
out:
	for (int i = 0; i < 3; i++)
		free(data[i]);
	sales_buf_release(&out);
	return status;
}
