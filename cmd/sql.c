/*
 * sql.c - `sales sql`: the script that loads `sales export --normalized`
 * tables into DuckDB, PostgreSQL or ClickHouse and computes `sales
 * report`'s KPIs there (libsales/kpisql.h).
 */
#include "cmd.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "kpi.h"
#include "kpisql.h"

static const char *const sql_usage[] = {
	"sales sql --dialect duckdb|postgres|clickhouse --data DIR [--quarter 2023Q4] [--as-of DATE] [--workbook ID]",
	NULL,
};

int cmd_sql(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *dialect = NULL, *data = NULL, *quarter = NULL;
	const char *workbook = NULL;
	const struct opt opts[] = {
		OPT_STR(0, "dialect", &dialect, "DB", N_("duckdb, postgres or clickhouse")),
		OPT_STR(0, "data", &data, "DIR", N_("the folder `sales export --normalized` wrote")),
		OPT_STR('q', "quarter", &quarter, "Q", N_("the quarter, e.g. 2023Q4, or 'current' (default: the last complete quarter, as sales report)")),
		OPT_AS_OF(&ctx->today),
		OPT_STR(0, "workbook", &workbook, "ID", N_("only this workbook: its id or its folder name (default: every one)")),
		OPT_DONE,
	};
	struct sales_sql_query q = { 0 };
	struct sales_buf out = { 0 };
	struct sales_error err;
	char real[PATH_MAX];
	struct stat st;
	int n, code, d;

	n = parse_options(argc, argv, opts, sql_usage, &code);
	if (n < 0)
		return code;
	if (n != 0 || !dialect || !data) {
		error_msg(_("sql needs --dialect and --data, and takes no other arguments"));
		print_usage(stderr, sql_usage, opts);
		return EXIT_USAGE;
	}
	if ((d = sales_sql_dialect_parse(dialect)) < 0) {
		error_msg(_("unknown dialect '%s' (expected duckdb, postgres or clickhouse)"), dialect);
		return EXIT_USAGE;
	}
	q.dialect = (enum sales_sql_dialect)d;
	/* the engine may run elsewhere than here: name the folder absolutely */
	if (stat(data, &st) < 0 || !S_ISDIR(st.st_mode) || !realpath(data, real)) {
		error_msg(_("'%s' is not a folder (write it with sales export --normalized)"), data);
		return EXIT_USAGE;
	}
	q.data = real;
	q.as_of = ctx->today;
	if (quarter && !strcmp(quarter, "current")) {
		sales_date_to_ymd(q.as_of, &q.year, NULL, NULL);
		q.quarter = sales_date_quarter(q.as_of);
	} else if (quarter) {
		if (sales_parse_quarter(quarter, strlen(quarter), &q.year, &q.quarter) !=
		    SALES_VALUE_OK) {
			error_msg(_("option '--quarter': '%s' is not a quarter (expected e.g. 2023Q4)"),
				  quarter);
			return EXIT_USAGE;
		}
	} else {
		sales_kpi_default_quarter(q.as_of, &q.year, &q.quarter);
	}
	q.workbook = workbook;
	sales_error_clear(&err);
	if (sales_kpi_sql(&out, &q, &err) < 0) {
		sales_buf_release(&out);
		return report_error(&err);
	}
	fwrite(out.data, 1, out.len, stdout);
	sales_buf_release(&out);
	return 0;
}
