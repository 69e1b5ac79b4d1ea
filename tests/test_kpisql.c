/* test_kpisql.c - the script `sales sql` prints: the dates it computes,
 * what each dialect loads with, and what it refuses.  (The engines run the
 * scripts for real in tests/cli/t_sql.sh.) */
#include "testutil.h"

#include "buf.h"
#include "kpi.h"
#include "kpisql.h"
#include "normalize.h"

static char *script(enum sales_sql_dialect d, int year, int quarter,
		    const char *as_of, const char *workbook)
{
	struct sales_sql_query q = { d, "/data/norm", year, quarter, 0, workbook };
	struct sales_buf out = { 0 };
	struct sales_error err;

	assert_int_equal(sales_parse_date(as_of, strlen(as_of), &q.as_of), SALES_VALUE_OK);
	assert_int_equal(sales_kpi_sql(&out, &q, &err), 0);
	return sales_buf_detach(&out, NULL);
}

static void has(const char *s, const char *needle)
{
	if (!strstr(s, needle))
		CASE_FAIL("missing: %s", needle);
}

static void test_leap_day_year_earlier(void **state)
{
	char *s = script(SALES_SQL_POSTGRES, 2024, 1, "2024-02-29", NULL);

	(void)state;
	/* Q: 2024-01-01 .. 2024-03-31 as of 02-29; a year earlier: 2023Q1 as
	 * of 2023-02-28 (there is no 2023-02-29) */
	has(s, "\"registered\" >= DATE '2024-01-01' AND \"registered\" <= DATE '2024-03-31' AND \"registered\" <= DATE '2024-02-29'");
	has(s, "\"registered\" >= DATE '2023-01-01' AND \"registered\" <= DATE '2023-03-31' AND \"registered\" <= DATE '2023-02-28'");
	/* 付款到期日 is not cut at the as-of date, the signing and payment are */
	has(s, "(\"payment_due\" >= DATE '2024-01-01' AND \"payment_due\" <= DATE '2024-03-31')");
	has(s, "\"paid\" <= \"payment_due\" AND \"paid\" <= DATE '2024-02-29'");
	free(s);
}

static void test_every_metric_and_table(void **state)
{
	char *s = script(SALES_SQL_DUCKDB, 2023, 4, "2024-01-15", NULL);
	char buf[128];

	(void)state;
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		snprintf(buf, sizeof(buf), "CREATE VIEW kpi_%s AS", sales_kpi_defs[m].key);
		has(s, buf);
		snprintf(buf, sizeof(buf), "'%s' AS metric", sales_kpi_defs[m].name);
		has(s, buf);
	}
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++) {
		struct sales_norm_table t;

		assert_int_equal(sales_norm_table(i, &t), 0);
		snprintf(buf, sizeof(buf), "read_csv('/data/norm/%s.csv'", t.name);
		has(s, buf);
	}
	has(s, "CASE WHEN den_actual > 0 THEN num_actual / den_actual END AS actual");
	has(s, "SELECT metric, actual, \"before\" FROM kpi_quarter ORDER BY ord;\n");
	free(s);
}

static void test_dialects_load_their_way(void **state)
{
	char *pg = script(SALES_SQL_POSTGRES, 2023, 4, "2024-06-30", "north");
	char *ch = script(SALES_SQL_CLICKHOUSE, 2023, 4, "2024-06-30", NULL);

	(void)state;
	has(pg, "\\copy \"contracts\" FROM '/data/norm/contracts.csv' WITH (FORMAT csv, HEADER true)\n");
	has(pg, "WHERE k.\"approval\" = '已审批' AND k.\"signed\" IS NOT NULL AND (k.\"workbook\" = 'north' OR k.\"workbook_name\" = 'north')");
	has(ch, "FROM file('/data/norm/contracts.csv', 'CSV', ");
	has(ch, "toDateOrNull(\"signed\")");
	has(ch, "ANY LEFT JOIN");
	has(ch, "toDate('2023-10-01')");
	assert_null(strstr(ch, "north"));
	free(pg);
	free(ch);
}

static void test_refusals(void **state)
{
	struct sales_sql_query q = { SALES_SQL_DUCKDB, "/data/it's", 2023, 4,
				     sales_date_from_ymd(2024, 1, 15), NULL };
	struct sales_buf out = { 0 };
	struct sales_error err;

	(void)state;
	assert_int_equal(sales_kpi_sql(&out, &q, &err), -1);
	assert_int_equal(err.code, SALES_EUSAGE);
	q.data = "/data/norm";
	q.workbook = "a\nb";
	assert_int_equal(sales_kpi_sql(&out, &q, &err), -1);
	q.workbook = NULL;
	q.quarter = 5;
	assert_int_equal(sales_kpi_sql(&out, &q, &err), -1);
	assert_int_equal(sales_sql_dialect_parse("postgresql"), SALES_SQL_POSTGRES);
	assert_int_equal(sales_sql_dialect_parse("mysql"), -1);
	sales_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_day_year_earlier),
		cmocka_unit_test(test_every_metric_and_table),
		cmocka_unit_test(test_dialects_load_their_way),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("kpisql", tests, NULL, NULL);
}
