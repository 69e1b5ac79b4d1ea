/*
 * kpisql.h - `sales sql`: one SQL script for DuckDB, PostgreSQL or
 * ClickHouse that loads the tables of `sales export --normalized`
 * (normalize.h) and computes the KPIs of SPEC §6 from the same formula
 * table that sales_kpi_compute evaluates (kpi.h: sales_kpi_defs).
 *
 * The script, in order:
 *  1. one table per normalized CSV file (DROP, CREATE, load: DuckDB
 *     read_csv, PostgreSQL psql's \copy, ClickHouse INSERT … SELECT FROM
 *     file(…, 'CSVWithNames', …), whose path must lie in the server's
 *     user_files_path);
 *  2. the source views kpi_customers, kpi_contracts and kpi_followups
 *     (kpi.h says what their rows and facts are), restricted to one
 *     workbook when asked;
 *  3. one view per metric, kpi_<key> (kpi_conversion, …), with its
 *     numerator and denominator for Q as of A (num_actual, den_actual) and
 *     for Q a year earlier as of A a year earlier (num_before,
 *     den_before; 29 February gives 28 February);
 *  4. kpi_quarter: metric, its numerators and denominators, actual and
 *     before (NULL when the denominator is 0);
 *  5. one query: metric, actual, before, in sales_kpi_defs order.
 *
 * The quarter, the as-of date and the year-earlier dates are computed here
 * and written into the script as literals.  Nothing here prints.
 */
#ifndef SALES_KPISQL_H
#define SALES_KPISQL_H

#include "buf.h"
#include "error.h"
#include "value.h"

enum sales_sql_dialect {
	SALES_SQL_DUCKDB,
	SALES_SQL_POSTGRES,
	SALES_SQL_CLICKHOUSE,
};

/* "duckdb", "postgres" (or "postgresql"), "clickhouse"; -1 otherwise. */
int sales_sql_dialect_parse(const char *s);

struct sales_sql_query {
	enum sales_sql_dialect dialect;
	const char *data;        /* the normalized folder, as the script names it */
	int year, quarter;       /* Q */
	sales_date as_of;        /* A */
	const char *workbook;    /* a workbook id or folder name, or NULL: all */
};

/*
 * Appends the script to out.  Fails with SALES_EUSAGE when the quarter or
 * date is not one, or when data or workbook hold a character the script
 * cannot quote (a quote, a backslash or a line break); -1 also on ENOMEM.
 */
int sales_kpi_sql(struct sales_buf *out, const struct sales_sql_query *q,
		  struct sales_error *err);

#endif
