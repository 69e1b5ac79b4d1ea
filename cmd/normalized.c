/*
 * normalized.c - `sales export --normalized DIR [--append]`: the workbook as
 * tidy tables for a database (libsales/normalize.h), which `sales sql`
 * loads.
 */
#include "cmd.h"

#include <stdlib.h>

#include "i18n.h"
#include "normalize.h"
#include "workbook.h"

int export_normalized(const char *out, bool append, struct sales_ctx *ctx)
{
	struct sales_norm_options o = { .out = out, .append = append,
					.today = ctx->today };
	struct sales_norm_result res;
	struct sales_error err;
	char *wb = NULL;
	int status;

	sales_error_clear(&err);
	if (sales_workbook_find(ctx->dir_opt, &wb, &err) < 0)
		return report_error(&err);
	o.workbook = wb;
	if (sales_normalize(&o, &res, &err) < 0) {
		status = report_error(&err);
		free(wb);
		return status;
	}
	note_msg(P_("exported workbook %s (%s) into %s: %zu row", 
		    "exported workbook %s (%s) into %s: %zu rows", res.rows),
		 res.id, res.name, out, res.rows);
	if (res.errors)
		warning_msg(P_("%zu cell does not parse: see %s/errors.csv",
			       "%zu cells do not parse: see %s/errors.csv", res.errors),
			    res.errors, out);
	warn_open_in_excel(wb, false);
	free(wb);
	return 0;
}
