#include "kpisql.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kpi.h"
#include "normalize.h"

int sales_sql_dialect_parse(const char *s)
{
	if (!strcmp(s, "duckdb"))
		return SALES_SQL_DUCKDB;
	if (!strcmp(s, "postgres") || !strcmp(s, "postgresql"))
		return SALES_SQL_POSTGRES;
	if (!strcmp(s, "clickhouse"))
		return SALES_SQL_CLICKHOUSE;
	return -1;
}

enum { ACTUAL, BEFORE, NPERIODS };

struct gen {
	const struct sales_sql_query *q;
	struct sales_buf *out;
	char first[NPERIODS][11], last[NPERIODS][11], as_of[NPERIODS][11];
};

static const char *type_name(enum sales_sql_dialect d, enum sales_norm_kind k)
{
	static const char *const names[3][4] = {
		[SALES_SQL_DUCKDB] = { "VARCHAR", "DATE", "DOUBLE", "BIGINT" },
		[SALES_SQL_POSTGRES] = { "TEXT", "DATE", "DOUBLE PRECISION", "BIGINT" },
		[SALES_SQL_CLICKHOUSE] = { "String", "Nullable(Date)",
					   "Nullable(Float64)", "Nullable(Int64)" },
	};

	return names[d][k];
}

static void put(struct gen *g, const char *s)
{
	sales_buf_addstr(g->out, s);
}

static void putf(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct gen *g, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(g, buf);
}

static void date_lit(struct gen *g, const char *ymd)
{
	if (g->q->dialect == SALES_SQL_CLICKHOUSE)
		putf(g, "toDate('%s')", ymd);
	else
		putf(g, "DATE '%s'", ymd);
}

static const char *double_type(const struct gen *g)
{
	return g->q->dialect == SALES_SQL_POSTGRES ? "DOUBLE PRECISION" : "DOUBLE";
}

/* CAST(… AS double): opens it; close with ")". */
static void cast_open(struct gen *g)
{
	put(g, g->q->dialect == SALES_SQL_CLICKHOUSE ? "toFloat64(" : "CAST(");
}

static void cast_close(struct gen *g)
{
	if (g->q->dialect == SALES_SQL_CLICKHOUSE)
		put(g, ")");
	else
		putf(g, " AS %s)", double_type(g));
}

static void fact(struct gen *g, enum sales_kpi_fact f)
{
	putf(g, "\"%s\"", sales_kpi_facts[f].name);
}

static void number(struct gen *g, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
	put(g, buf);
}

static void test_sql(struct gen *g, int p, const struct sales_kpi_test_def *t)
{
	switch (t->test) {
	case SALES_KPI_END:
		put(g, "1 = 1");
		return;
	case SALES_KPI_IN_Q:
	case SALES_KPI_DURING_Q:
		put(g, "(");
		fact(g, t->a);
		put(g, " >= ");
		date_lit(g, g->first[p]);
		put(g, " AND ");
		fact(g, t->a);
		put(g, " <= ");
		date_lit(g, g->last[p]);
		if (t->test == SALES_KPI_IN_Q) {
			put(g, " AND ");
			fact(g, t->a);
			put(g, " <= ");
			date_lit(g, g->as_of[p]);
		}
		put(g, ")");
		return;
	case SALES_KPI_BY_AS_OF:
		fact(g, t->a);
		put(g, " <= ");
		date_lit(g, g->as_of[p]);
		return;
	case SALES_KPI_KNOWN:
		fact(g, t->a);
		put(g, " IS NOT NULL");
		return;
	case SALES_KPI_NOT_AFTER:
		fact(g, t->a);
		put(g, " <= ");
		fact(g, t->b);
		return;
	case SALES_KPI_BETWEEN:
		put(g, "(");
		fact(g, t->a);
		put(g, " >= ");
		number(g, t->lo);
		put(g, " AND ");
		fact(g, t->a);
		put(g, " <= ");
		number(g, t->hi);
		put(g, ")");
		return;
	}
}

/* every test of the list, joined by AND ("1 = 1" for none) */
static void tests_sql(struct gen *g, int p, const struct sales_kpi_test_def *t,
		      const struct sales_kpi_test_def *more)
{
	int n = 0;

	for (int k = 0; k < 2; k++) {
		const struct sales_kpi_test_def *list = k ? more : t;

		for (int i = 0; list && i < SALES_KPI_MAX_TESTS &&
				list[i].test != SALES_KPI_END; i++) {
			if (n++)
				put(g, " AND ");
			test_sql(g, p, &list[i]);
		}
	}
	if (!n)
		put(g, "1 = 1");
}

static void days_sql(struct gen *g, enum sales_kpi_fact a, enum sales_kpi_fact b)
{
	if (g->q->dialect == SALES_SQL_DUCKDB) {
		put(g, "date_diff('day', ");
		fact(g, b);
		put(g, ", ");
		fact(g, a);
		put(g, ")");
	} else {
		put(g, "(");
		fact(g, a);
		put(g, " - ");
		fact(g, b);
		put(g, ")");
	}
}

/* One term's rows: its contribution to the numerator and denominator of
 * each period. */
static void term_sql(struct gen *g, const struct sales_kpi_term *t)
{
	put(g, "SELECT ");
	for (int p = 0; p < NPERIODS; p++) {
		const char *name = p == ACTUAL ? "actual" : "before";

		if (p)
			put(g, ", ");
		cast_open(g);
		put(g, "CASE WHEN ");
		switch (t->value) {
		case SALES_KPI_ADD_ZERO:
			tests_sql(g, p, t->when, NULL);
			put(g, " THEN 0");
			break;
		case SALES_KPI_ADD_COUNT_IF:
			tests_sql(g, p, t->when, t->num_if);
			put(g, " THEN 1");
			break;
		case SALES_KPI_ADD_SUM:
			tests_sql(g, p, t->when, NULL);
			put(g, " THEN ");
			fact(g, t->a);
			break;
		case SALES_KPI_ADD_DAYS:
			tests_sql(g, p, t->when, NULL);
			put(g, " THEN ");
			days_sql(g, t->a, t->b);
			break;
		}
		put(g, " ELSE 0 END");
		cast_close(g);
		putf(g, " AS num_%s, ", name);
		cast_open(g);
		put(g, "CASE WHEN ");
		tests_sql(g, p, t->when, NULL);
		put(g, " THEN 1 ELSE 0 END");
		cast_close(g);
		putf(g, " AS den_%s", name);
	}
	putf(g, "\n    FROM %s", sales_kpi_source_views[t->source]);
}

/* ---- the tables ---- */

static void table_path(struct gen *g, const char *name)
{
	const char *d = g->q->data;
	size_t len = strlen(d);

	while (len > 1 && d[len - 1] == '/')
		len--;
	putf(g, "'%.*s/%s.csv'", (int)len, d, name);
}

static void drop(struct gen *g, const char *what, const char *name)
{
	if (g->q->dialect == SALES_SQL_CLICKHOUSE)
		putf(g, "DROP TABLE IF EXISTS \"%s\";\n", name);
	else
		putf(g, "DROP %s IF EXISTS \"%s\";\n", what, name);
}

static void load_table(struct gen *g, const struct sales_norm_table *t)
{
	enum sales_sql_dialect d = g->q->dialect;

	putf(g, "CREATE TABLE \"%s\" (", t->name);
	for (size_t i = 0; i < t->ncols; i++)
		putf(g, "%s\"%s\" %s", i ? ", " : "", t->cols[i].name,
		     type_name(d, t->cols[i].kind));
	put(g, ")");
	if (d == SALES_SQL_CLICKHOUSE)
		put(g, " ENGINE = MergeTree() ORDER BY tuple()");
	put(g, ";\n");
	switch (d) {
	case SALES_SQL_DUCKDB:
		putf(g, "INSERT INTO \"%s\" SELECT * FROM read_csv(", t->name);
		table_path(g, t->name);
		put(g, ", header = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false, columns = {");
		for (size_t i = 0; i < t->ncols; i++)
			putf(g, "%s'%s': '%s'", i ? ", " : "", t->cols[i].name,
			     type_name(d, t->cols[i].kind));
		put(g, "});\n");
		break;
	case SALES_SQL_POSTGRES:
		/* psql's \copy reads the file where psql runs; one line */
		putf(g, "\\copy \"%s\" FROM ", t->name);
		table_path(g, t->name);
		put(g, " WITH (FORMAT csv, HEADER true)\n");
		break;
	case SALES_SQL_CLICKHOUSE:
		/* read as text, then typed: an empty field is NULL */
		putf(g, "INSERT INTO \"%s\" SELECT ", t->name);
		for (size_t i = 0; i < t->ncols; i++) {
			const char *name = t->cols[i].name;

			if (i)
				put(g, ", ");
			switch (t->cols[i].kind) {
			case SALES_NORM_TEXT: putf(g, "\"%s\"", name); break;
			case SALES_NORM_DATE: putf(g, "toDateOrNull(\"%s\")", name); break;
			case SALES_NORM_NUMBER: putf(g, "toFloat64OrNull(\"%s\")", name); break;
			case SALES_NORM_INTEGER: putf(g, "toInt64OrNull(\"%s\")", name); break;
			}
		}
		put(g, " FROM file(");
		table_path(g, t->name);
		/* 'CSV' and the header line left out by hand: ClickHouse 18's
		 * CSVWithNames fails on a file with a header and no rows */
		put(g, ", 'CSV', '");
		for (size_t i = 0; i < t->ncols; i++)
			putf(g, "%s%s String", i ? ", " : "", t->cols[i].name);
		putf(g, "') WHERE \"%s\" <> '%s';\n", t->cols[0].name, t->cols[0].name);
		break;
	}
}

/* ---- the views ---- */

static void workbook_filter(struct gen *g, const char *prefix, bool first)
{
	if (!g->q->workbook)
		return;
	putf(g, " %s (%s\"workbook\" = '%s' OR %s\"workbook_name\" = '%s')",
	     first ? "WHERE" : "AND", prefix, g->q->workbook, prefix,
	     g->q->workbook);
}

static void source_views(struct gen *g)
{
	bool ch = g->q->dialect == SALES_SQL_CLICKHOUSE;

	put(g, "\n-- The rows the formulas count, and their facts (libsales/kpi.h).\n");
	put(g, "CREATE VIEW kpi_customers AS SELECT \"workbook\", \"registered\", "
	       "CASE WHEN \"status\" = '已丢单' THEN \"last_contact\" END AS \"closed\", "
	       "\"signed_first\"\n    FROM \"customers\" WHERE \"row\" IS NOT NULL");
	workbook_filter(g, "", false);
	put(g, ";\n");
	if (ch) {
		put(g, "CREATE VIEW kpi_contracts AS SELECT \"workbook\", \"signed\", \"amount\", "
		       "\"customer_registered\", \"payment_due\", \"paid\"\n    FROM \"contracts\" "
		       "ANY LEFT JOIN (SELECT \"workbook\", \"customer\", \"registered\" AS \"customer_registered\" "
		       "FROM \"customers\" WHERE \"row\" IS NOT NULL) USING (\"workbook\", \"customer\")\n"
		       "    WHERE \"approval\" = '已审批' AND \"signed\" IS NOT NULL");
		workbook_filter(g, "", false);
	} else {
		put(g, "CREATE VIEW kpi_contracts AS SELECT k.\"workbook\", k.\"signed\", k.\"amount\", "
		       "c.\"registered\" AS \"customer_registered\", k.\"payment_due\", k.\"paid\"\n"
		       "    FROM \"contracts\" k LEFT JOIN \"customers\" c ON c.\"workbook\" = k.\"workbook\" "
		       "AND c.\"customer\" = k.\"customer\" AND c.\"row\" IS NOT NULL\n"
		       "    WHERE k.\"approval\" = '已审批' AND k.\"signed\" IS NOT NULL");
		workbook_filter(g, "k.", false);
	}
	put(g, ";\n");
	put(g, "CREATE VIEW kpi_followups AS SELECT \"workbook\", \"date\", \"satisfaction\" FROM \"followups\"");
	workbook_filter(g, "", true);
	put(g, ";\n");
}

static void metric_view(struct gen *g, const struct sales_kpi_def *d)
{
	putf(g, "\n-- %s = %s / %s\n", d->name, d->numerator, d->denominator);
	putf(g, "CREATE VIEW kpi_%s AS SELECT sum(num_actual) AS num_actual, sum(den_actual) AS den_actual, "
	     "sum(num_before) AS num_before, sum(den_before) AS den_before FROM (\n", d->key);
	for (size_t i = 0; i < d->nterms; i++) {
		put(g, i ? "\n  UNION ALL\n  " : "  ");
		term_sql(g, &d->terms[i]);
	}
	put(g, "\n) t;\n");
}

static void quarter_view(struct gen *g)
{
	put(g, "\n-- actual: Q as of A; before: Q a year earlier as of A a year earlier.\n");
	put(g, "CREATE VIEW kpi_quarter AS\n");
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		const struct sales_kpi_def *d = &sales_kpi_defs[m];

		if (m)
			put(g, "UNION ALL\n");
		putf(g, "SELECT %d AS ord, '%s' AS metric, num_actual, den_actual, num_before, den_before, "
		     "CASE WHEN den_actual > 0 THEN num_actual / den_actual END AS actual, "
		     "CASE WHEN den_before > 0 THEN num_before / den_before END AS \"before\" "
		     "FROM kpi_%s\n", m + 1, d->name, d->key);
	}
	put(g, ";\n");
}

static bool quotable(const char *s)
{
	return s && !strpbrk(s, "'\\\n\r");
}

int sales_kpi_sql(struct sales_buf *out, const struct sales_sql_query *q,
		  struct sales_error *err)
{
	struct gen g = { .q = q, .out = out };
	sales_date before_as_of = sales_date_minus_year(q->as_of);
	sales_date f[NPERIODS], l[NPERIODS];
	static const char *const dialect_names[] = { "duckdb", "postgres", "clickhouse" };

	if (q->quarter < 1 || q->quarter > 4 || q->as_of == SALES_DATE_NONE ||
	    (f[ACTUAL] = sales_quarter_first(q->year, q->quarter)) == SALES_DATE_NONE ||
	    (f[BEFORE] = sales_quarter_first(q->year - 1, q->quarter)) == SALES_DATE_NONE)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "no quarter or as-of date to compute");
	if (!quotable(q->data) || (q->workbook && !quotable(q->workbook)))
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "a folder or workbook name with a quote, backslash or line break cannot be written into the script");
	l[ACTUAL] = sales_quarter_last(q->year, q->quarter);
	l[BEFORE] = sales_quarter_last(q->year - 1, q->quarter);
	for (int p = 0; p < NPERIODS; p++) {
		sales_date_format(f[p], g.first[p]);
		sales_date_format(l[p], g.last[p]);
	}
	sales_date_format(q->as_of, g.as_of[ACTUAL]);
	sales_date_format(before_as_of, g.as_of[BEFORE]);

	putf(&g, "-- sales sql --dialect %s: the KPIs of %dQ%d as of %s (year earlier: %dQ%d as of %s)\n",
	     dialect_names[q->dialect], q->year, q->quarter, g.as_of[ACTUAL],
	     q->year - 1, q->quarter, g.as_of[BEFORE]);
	putf(&g, "-- over the tables of `sales export --normalized` in %s%s%s.\n",
	     q->data, q->workbook ? ", workbook " : "", q->workbook ? q->workbook : "");
	if (q->dialect == SALES_SQL_CLICKHOUSE)
		put(&g, "-- ClickHouse's file() reads only below the server's user_files_path.\n");
	else if (q->dialect == SALES_SQL_POSTGRES)
		put(&g, "-- Run it with psql (\\copy is psql's): psql -X -v ON_ERROR_STOP=1 -f SCRIPT\n");
	put(&g, "-- Generated from libsales/kpi.c's formula table: do not edit, generate again.\n\n");
	if (q->dialect == SALES_SQL_POSTGRES)
		put(&g, "SET client_min_messages = warning;\n");
	if (q->dialect == SALES_SQL_CLICKHOUSE)   /* a cell may start with ' */
		put(&g, "SET format_csv_allow_single_quotes = 0;\n");
	drop(&g, "VIEW", "kpi_quarter");
	for (int m = SALES_KPI_COUNT - 1; m >= 0; m--) {
		char name[64];

		snprintf(name, sizeof(name), "kpi_%s", sales_kpi_defs[m].key);
		drop(&g, "VIEW", name);
	}
	for (int s = SALES_KPI_NSOURCES - 1; s >= 0; s--)
		drop(&g, "VIEW", sales_kpi_source_views[s]);
	for (size_t i = 0; i < SALES_NORM_NTABLES; i++) {
		struct sales_norm_table t;

		sales_norm_table(i, &t);
		put(&g, "\n");
		drop(&g, "TABLE", t.name);
		load_table(&g, &t);
	}
	source_views(&g);
	for (int m = 0; m < SALES_KPI_COUNT; m++)
		metric_view(&g, &sales_kpi_defs[m]);
	quarter_view(&g);
	put(&g, "\nSELECT metric, actual, \"before\" FROM kpi_quarter ORDER BY ord;\n");
	if (!out->data)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	return 0;
}
