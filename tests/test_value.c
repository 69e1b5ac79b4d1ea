/* Unit tests for libsales/value.c: one table per parser. */
#include "testutil.h"

#include <limits.h>
#include <math.h>

#include "text.h"
#include "value.h"

#define OK SALES_VALUE_OK
#define EMPTY SALES_VALUE_EMPTY
#define UNKNOWN SALES_VALUE_UNKNOWN
#define INVALID SALES_VALUE_INVALID

#define LO SALES_AMOUNT_LO
#define HI SALES_AMOUNT_HI
#define BOTH (SALES_AMOUNT_LO | SALES_AMOUNT_HI)

#define MANGLED SALES_PHONE_MANGLED
#define MOBILE SALES_PHONE_MOBILE
#define LANDLINE SALES_PHONE_LANDLINE
#define PARTIAL SALES_PHONE_PARTIAL

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *fmt(sales_date d, char *buf)
{
	return sales_date_format(d, buf);
}

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-9 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* ---- calendar ----------------------------------------------------------- */

static void test_calendar(void **state)
{
	char buf[11];
	int y, m, d;

	(void)state;
	assert_int_equal(sales_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(sales_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(sales_date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(sales_date_from_ymd(2023, 2, 29), SALES_DATE_NONE);
	assert_int_not_equal(sales_date_from_ymd(2024, 2, 29), SALES_DATE_NONE);
	assert_int_equal(sales_date_from_ymd(2023, 13, 1), SALES_DATE_NONE);
	assert_int_equal(sales_date_from_ymd(2023, 0, 1), SALES_DATE_NONE);
	assert_int_equal(sales_date_from_ymd(2023, 4, 31), SALES_DATE_NONE);
	assert_int_equal(sales_date_from_ymd(1899, 12, 31), SALES_DATE_NONE);
	assert_int_equal(sales_date_from_ymd(10000, 1, 1), SALES_DATE_NONE);
	assert_string_equal(fmt(sales_date_from_ymd(1900, 1, 1), buf), "1900-01-01");
	assert_string_equal(fmt(sales_date_from_ymd(9999, 12, 31), buf), "9999-12-31");
	assert_string_equal(fmt(SALES_DATE_NONE, buf), "");

	sales_date_to_ymd(sales_date_from_ymd(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	sales_date_to_ymd(SALES_DATE_NONE, &y, &m, &d);
	assert_int_equal(y + m + d, 0);
	sales_date_to_ymd(0, NULL, &m, NULL);
	assert_int_equal(m, 1);

	/* every day of a few centuries round-trips */
	for (sales_date day = sales_date_from_ymd(1900, 1, 1);
	     day <= sales_date_from_ymd(2100, 12, 31); day++) {
		sales_date_to_ymd(day, &y, &m, &d);
		if (sales_date_from_ymd(y, m, d) != day)
			CASE_FAIL("round trip of day %d", (int)day);
	}

	assert_int_equal(sales_days_in_month(2023, 2), 28);
	assert_int_equal(sales_days_in_month(2024, 2), 29);
	assert_int_equal(sales_days_in_month(1900, 2), 28);
	assert_int_equal(sales_days_in_month(2000, 2), 29);
	assert_int_equal(sales_days_in_month(2023, 4), 30);
	assert_int_equal(sales_days_in_month(2023, 12), 31);
	assert_int_equal(sales_days_in_month(2023, 13), 0);
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(sales_date_weekday(sales_date_from_ymd(2023, 10, 7)), 6);
	assert_int_equal(sales_date_weekday(sales_date_from_ymd(2023, 10, 9)), 1);
	assert_int_equal(sales_date_weekday(sales_date_from_ymd(2023, 10, 8)), 7);
	assert_int_equal(sales_date_weekday(0), 4);	/* 1970-01-01 Thursday */
	assert_int_equal(sales_date_weekday(sales_date_from_ymd(1900, 1, 1)), 1);
	assert_int_equal(sales_date_weekday(SALES_DATE_NONE), 0);
}

static void test_minus_year(void **state)
{
	char buf[11];

	(void)state;
	assert_string_equal(fmt(sales_date_minus_year(
		sales_date_from_ymd(2024, 2, 29)), buf), "2023-02-28");
	assert_string_equal(fmt(sales_date_minus_year(
		sales_date_from_ymd(2024, 3, 1)), buf), "2023-03-01");
	assert_string_equal(fmt(sales_date_minus_year(
		sales_date_from_ymd(2023, 12, 31)), buf), "2022-12-31");
	assert_string_equal(fmt(sales_date_minus_year(
		sales_date_from_ymd(2025, 2, 28)), buf), "2024-02-28");
	assert_int_equal(sales_date_minus_year(SALES_DATE_NONE), SALES_DATE_NONE);
}

static void test_quarter_bounds(void **state)
{
	static const struct {
		int y, q;
		const char *first, *last;
	} cases[] = {
		{ 2024, 1, "2024-01-01", "2024-03-31" },
		{ 2024, 2, "2024-04-01", "2024-06-30" },
		{ 2023, 3, "2023-07-01", "2023-09-30" },
		{ 2023, 4, "2023-10-01", "2023-12-31" },
		{ 2023, 0, "", "" },
		{ 2023, 5, "", "" },
	};
	char a[11], b[11];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		if (strcmp(fmt(sales_quarter_first(cases[i].y, cases[i].q), a),
			   cases[i].first) ||
		    strcmp(fmt(sales_quarter_last(cases[i].y, cases[i].q), b),
			   cases[i].last))
			CASE_FAIL("%dQ%d: %s..%s", cases[i].y, cases[i].q, a, b);
	}
	assert_int_equal(sales_date_quarter(sales_date_from_ymd(2023, 3, 31)), 1);
	assert_int_equal(sales_date_quarter(sales_date_from_ymd(2023, 4, 1)), 2);
	assert_int_equal(sales_date_quarter(sales_date_from_ymd(2023, 9, 30)), 3);
	assert_int_equal(sales_date_quarter(sales_date_from_ymd(2023, 10, 1)), 4);
	assert_int_equal(sales_date_quarter(SALES_DATE_NONE), 0);
}

/* ---- quarters ------------------------------------------------------------ */

static void test_parse_quarter(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		int y, q;
	} cases[] = {
		{ "2023Q4", OK, 2023, 4 },
		{ "2023q4", OK, 2023, 4 },
		{ "2023-Q4", OK, 2023, 4 },
		{ "2023 Q1", OK, 2023, 1 },
		{ " 2024Q2 ", OK, 2024, 2 },
		{ "2023年第4季度", OK, 2023, 4 },
		{ "2023年第四季度", OK, 2023, 4 },
		{ "2023年Q4", OK, 2023, 4 },
		{ "2023年3季度", OK, 2023, 3 },
		{ "２０２３Ｑ４", OK, 2023, 4 },
		{ "2023Q5", INVALID, 0, 0 },
		{ "2023Q0", INVALID, 0, 0 },
		{ "2023Q", INVALID, 0, 0 },
		{ "23Q4", INVALID, 0, 0 },
		{ "2023Q4x", INVALID, 0, 0 },
		{ "2023Q44", INVALID, 0, 0 },
		{ "Q4", INVALID, 0, 0 },
		{ "", EMPTY, 0, 0 },
		{ "待定", UNKNOWN, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int y = -1, q = -1;
		enum sales_value_status st =
			sales_parse_quarter(cases[i].in, strlen(cases[i].in), &y, &q);

		if (st != cases[i].st || y != cases[i].y || q != cases[i].q)
			CASE_FAIL("%s (got %d %d %d)", cases[i].in, st, y, q);
	}
}

/* ---- dates --------------------------------------------------------------- */

static void test_parse_date(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		const char *want;
	} cases[] = {
		{ "2023-10-10", OK, "2023-10-10" },
		{ "2023/10/10", OK, "2023-10-10" },
		{ "2023.10.10", OK, "2023-10-10" },
		{ "2023年10月10日", OK, "2023-10-10" },
		{ "2023年10月10", OK, "2023-10-10" },
		{ "2023年1月5号", OK, "2023-01-05" },
		{ "2023-1-5", OK, "2023-01-05" },
		{ "2023/1/5", OK, "2023-01-05" },
		{ "2023.1.5", OK, "2023-01-05" },
		{ "  2023-10-10\t", OK, "2023-10-10" },
		{ "\xe3\x80\x80" "2023-10-10" "\xe3\x80\x80", OK, "2023-10-10" },
		{ "2023/10/10 14:30", OK, "2023-10-10" },
		{ "2023/10/10 14:30:59", OK, "2023-10-10" },
		{ "2023/10/10 0:00", OK, "2023-10-10" },
		{ "２０２３－１０－１０", OK, "2023-10-10" },
		{ "２０２３年１０月１０日", OK, "2023-10-10" },
		{ "2024-02-29", OK, "2024-02-29" },
		{ "2000-02-29", OK, "2000-02-29" },
		{ "2023-02-29", INVALID, "" },
		{ "2023-02-30", INVALID, "" },
		{ "1900-02-29", INVALID, "" },
		{ "2023-13-01", INVALID, "" },
		{ "2023-00-10", INVALID, "" },
		{ "2023-04-31", INVALID, "" },
		{ "2023-10-00", INVALID, "" },
		{ "1899-12-31", INVALID, "" },
		{ "2023-10-10abc", INVALID, "" },
		{ "2023-10/10", INVALID, "" },
		{ "2023-10", INVALID, "" },
		{ "23-10-10", INVALID, "" },
		{ "2023-100-10", INVALID, "" },
		{ "2023-10-100", INVALID, "" },
		{ "2023/10/10 25:00", INVALID, "" },
		{ "2023/10/10 14:3", INVALID, "" },
		{ "2023-10-10 2023-10-11", INVALID, "" },
		{ "45209", INVALID, "" },
		{ "", EMPTY, "" },
		{ "   ", EMPTY, "" },
		{ "\xe3\x80\x80\t", EMPTY, "" },
		{ "待确认", UNKNOWN, "" },
		{ "待定", UNKNOWN, "" },
		{ " 未知 ", UNKNOWN, "" },
		{ "不详", UNKNOWN, "" },
		{ "TBD", UNKNOWN, "" },
		{ "tbd", UNKNOWN, "" },
	};
	char buf[11];
	sales_date d;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		enum sales_value_status st =
			sales_parse_date(cases[i].in, strlen(cases[i].in), &d);

		if (st != cases[i].st || strcmp(fmt(d, buf), cases[i].want))
			CASE_FAIL("%s (got %d %s)", cases[i].in, st, buf);
	}
	/* s need not be NUL-terminated at len */
	assert_int_equal(sales_parse_date("2023-10-10XYZ", 10, &d), OK);
	assert_string_equal(fmt(d, buf), "2023-10-10");
}

/* YYYY-MM-DD (/ or . between) takes a short path; it must say what the
 * general scan says, which a time part after the date forces: every
 * month 0-13 and day 0-32 of a leap and a common year, each separator,
 * and years at the edges of the range */
static void test_parse_date_plain_form(void **state)
{
	static const int years[] = { 1899, 1900, 2023, 2024, 2100, 9999 };
	static const char seps[] = { '-', '/', '.' };
	(void)state;

	for (size_t yi = 0; yi < sizeof(years) / sizeof(years[0]); yi++)
		for (size_t si = 0; si < sizeof(seps); si++)
			for (int m = 0; m <= 13; m++)
				for (int d = 0; d <= 32; d++) {
					char plain[32], timed[40];
					sales_date a, b;
					enum sales_value_status sa, sb;

					snprintf(plain, sizeof(plain), "%04d%c%02d%c%02d",
						 years[yi], seps[si], m, seps[si], d);
					snprintf(timed, sizeof(timed), "%s 0:00", plain);
					sa = sales_parse_date(plain, strlen(plain), &a);
					sb = sales_parse_date(timed, strlen(timed), &b);
					if (sa != sb || a != b)
						CASE_FAIL("'%s': %d %d, '%s': %d %d", plain,
							  sa, (int)a, timed, sb, (int)b);
				}
	/* and by hand */
	sales_date d;

	assert_int_equal(sales_parse_date("2024-02-29", 10, &d), OK);
	assert_int_equal(d, 19782);   /* days from 1970-01-01, by Python datetime */
	assert_int_equal(sales_parse_date("2023-02-29", 10, &d), SALES_VALUE_INVALID);
	assert_int_equal(d, SALES_DATE_NONE);
	assert_int_equal(sales_parse_date("2023-10/10", 10, &d), SALES_VALUE_INVALID);
	assert_int_equal(sales_parse_date("2023-1a-10", 10, &d), SALES_VALUE_INVALID);
}

static void test_parse_date_prefix(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		const char *want;
		size_t used;
	} cases[] = {
		{ "2024.04.10回访", OK, "2024-04-10", 10 },
		{ "2024.04.10", OK, "2024-04-10", 10 },
		{ " 2024-4-1 电话", OK, "2024-04-01", 9 },
		/* fuzz_value: the blanks sales_parse_date trims, LF included */
		{ "\n2044/12/1", OK, "2044-12-01", 10 },
		{ "\r\n\xC2\xA0" "2024.04.10回访", OK, "2024-04-10", 14 },
		{ "2024年4月10日回访", OK, "2024-04-10", 16 },
		{ "2023-10-10abc", OK, "2023-10-10", 10 },
		{ "2023/10/10 14:30 复核", OK, "2023-10-10", 16 },
		{ "2024.04.101", INVALID, "", 0 },
		{ "2024.02.30回访", INVALID, "", 0 },
		{ "回访2024.04.10", INVALID, "", 0 },
		{ "下周", INVALID, "", 0 },
		{ "", EMPTY, "", 0 },
		{ "待定回访", UNKNOWN, "", 6 },
	};
	char buf[11];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		sales_date d;
		size_t used = 99;
		enum sales_value_status st = sales_parse_date_prefix(
			cases[i].in, strlen(cases[i].in), &d, &used);

		if (st != cases[i].st || strcmp(fmt(d, buf), cases[i].want) ||
		    used != cases[i].used)
			CASE_FAIL("%s (got %d %s %zu)", cases[i].in, st, buf, used);
	}
}

static void test_parse_month(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		const char *first, *last;
	} cases[] = {
		{ "2023.11", OK, "2023-11-01", "2023-11-30" },
		{ "2023-11", OK, "2023-11-01", "2023-11-30" },
		{ "2023/11", OK, "2023-11-01", "2023-11-30" },
		{ "2023年11月", OK, "2023-11-01", "2023-11-30" },
		{ "2024.2", OK, "2024-02-01", "2024-02-29" },
		{ "2023.02", OK, "2023-02-01", "2023-02-28" },
		{ "2023.12", OK, "2023-12-01", "2023-12-31" },
		{ "2023.11.01", INVALID, "", "" },
		{ "2023年11月1日", INVALID, "", "" },
		{ "2023.13", INVALID, "", "" },
		{ "2023.0", INVALID, "", "" },
		{ "2023年11", INVALID, "", "" },
		{ "11月", INVALID, "", "" },
		{ "", EMPTY, "", "" },
		{ "待确认", UNKNOWN, "", "" },
	};
	char a[11], b[11];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		sales_date first, last;
		enum sales_value_status st = sales_parse_month(
			cases[i].in, strlen(cases[i].in), &first, &last);

		if (st != cases[i].st || strcmp(fmt(first, a), cases[i].first) ||
		    strcmp(fmt(last, b), cases[i].last))
			CASE_FAIL("%s (got %d %s..%s)", cases[i].in, st, a, b);
	}
}

static void test_parse_date_range(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		const char *start, *end;
	} cases[] = {
		{ "2023.11.01-11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.10-11.20", OK, "2023-11-10", "2023-11-20" },
		{ "2023.11.01-12.05", OK, "2023-11-01", "2023-12-05" },
		{ "2023.12.28-01.03", OK, "2023-12-28", "2024-01-03" },
		{ "2023.12.01-02.29", OK, "2023-12-01", "2024-02-29" },
		{ "2023.11.01-2023.11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023-11-01~2023-11-05", OK, "2023-11-01", "2023-11-05" },
		{ "2023-11-01-2023-11-05", OK, "2023-11-01", "2023-11-05" },
		{ "2023-11-01-11-05", OK, "2023-11-01", "2023-11-05" },
		{ "2023-11-01-05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01-05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01至11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01到11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01—11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01——11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01–11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01～11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01 - 11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023.11.01 至 2023.11.05", OK, "2023-11-01", "2023-11-05" },
		{ "2023年11月1日至11月5日", OK, "2023-11-01", "2023-11-05" },
		{ "2023年11月1日-5日", OK, "2023-11-01", "2023-11-05" },
		{ "2023/11/1-2023/11/1", OK, "2023-11-01", "2023-11-01" },
		{ "2023.11-2024.11", OK, "2023-11-01", "2024-11-30" },
		{ "2023-11-2024-11", OK, "2023-11-01", "2024-11-30" },
		{ "2023年11月-2024年10月", OK, "2023-11-01", "2024-10-31" },
		{ "2023.11-12", OK, "2023-11-01", "2023-12-31" },
		{ "2023年11月至12月", OK, "2023-11-01", "2023-12-31" },
		{ "2023.11-01", OK, "2023-11-01", "2024-01-31" },
		{ "2023.11.01", OK, "2023-11-01", "2023-11-01" },
		{ "2023-11-12", OK, "2023-11-12", "2023-11-12" },
		{ "2023.11", OK, "2023-11-01", "2023-11-30" },
		{ "2024.02", OK, "2024-02-01", "2024-02-29" },
		{ "2023.11.01-10.05", INVALID, "", "" },
		{ "2023.11.05-11.01", INVALID, "", "" },
		{ "2023.11.05-01", INVALID, "", "" },
		{ "2023.11.05-2023.11.01", INVALID, "", "" },
		{ "2024.11-2023.11", INVALID, "", "" },
		{ "2023.11-10", INVALID, "", "" },
		{ "2023.10.01-01.31", INVALID, "", "" },
		{ "2023.11.01-", INVALID, "", "" },
		{ "2023.11.01-11.31", INVALID, "", "" },
		{ "2023.02.30-03.05", INVALID, "", "" },
		{ "2023.11.01-11.05-11.09", INVALID, "", "" },
		{ "2023.11.01 11.05", INVALID, "", "" },
		{ "2023.11-2023.12.15", INVALID, "", "" },
		{ "2023.13-2024.01", INVALID, "", "" },
		{ "十一月", INVALID, "", "" },
		{ "", EMPTY, "", "" },
		{ " \t", EMPTY, "", "" },
		{ "待定", UNKNOWN, "", "" },
	};
	char a[11], b[11];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct sales_date_range r;
		enum sales_value_status st = sales_parse_date_range(
			cases[i].in, strlen(cases[i].in), &r);

		if (st != cases[i].st || strcmp(fmt(r.start, a), cases[i].start) ||
		    strcmp(fmt(r.end, b), cases[i].end))
			CASE_FAIL("%s (got %d %s..%s)", cases[i].in, st, a, b);
	}
}

/* ---- amounts ------------------------------------------------------------- */

static void test_parse_amount(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		double lo, hi;
		unsigned flags;
	} cases[] = {
		{ "258", OK, 258, 258, BOTH },
		{ "258.5", OK, 258.5, 258.5, BOTH },
		{ "1,200", OK, 1200, 1200, BOTH },
		{ "1,234,567.5", OK, 1234567.5, 1234567.5, BOTH },
		{ "￥258", OK, 258, 258, BOTH },
		{ "¥ 258", OK, 258, 258, BOTH },
		{ "258万", OK, 258, 258, BOTH },
		{ "258万元", OK, 258, 258, BOTH },
		{ "258 万元", OK, 258, 258, BOTH },
		{ "258w", OK, 258, 258, BOTH },
		{ "3000元", OK, 0.3, 0.3, BOTH },
		{ "5千元", OK, 0.5, 0.5, BOTH },
		{ "5亿", OK, 50000, 50000, BOTH },
		{ "1.5亿元", OK, 15000, 15000, BOTH },
		{ "2千万", OK, 2000, 2000, BOTH },
		{ "３００万", OK, 300, 300, BOTH },
		{ "约258万", OK, 258, 258, BOTH },
		{ "258万左右", OK, 258, 258, BOTH },
		{ "200-300万", OK, 200, 300, BOTH },
		{ "200~300万", OK, 200, 300, BOTH },
		{ "200至300万", OK, 200, 300, BOTH },
		{ "200万-300万", OK, 200, 300, BOTH },
		{ "200 - 300 万元", OK, 200, 300, BOTH },
		{ "200万-1亿", OK, 200, 10000, BOTH },
		{ "2000-5000元", OK, 0.2, 0.5, BOTH },
		{ "200万-300", OK, 200, 300, BOTH },
		{ "5亿以上", OK, 50000, 0, LO },
		{ "5亿及以上", OK, 50000, 0, LO },
		{ "5亿+", OK, 50000, 0, LO },
		{ ">5亿", OK, 50000, 0, LO },
		{ "≥5亿", OK, 50000, 0, LO },
		{ "超过5亿", OK, 50000, 0, LO },
		{ "超过5亿以上", OK, 50000, 0, LO },
		{ "1亿以下", OK, 0, 10000, HI },
		{ "<1亿", OK, 0, 10000, HI },
		{ "不超过1亿", OK, 0, 10000, HI },
		{ "1亿以内", OK, 0, 10000, HI },
		{ "待确认", UNKNOWN, 0, 0, 0 },
		{ "待確認", UNKNOWN, 0, 0, 0 },
		{ "不详", UNKNOWN, 0, 0, 0 },
		{ "", EMPTY, 0, 0, 0 },
		{ "\xe3\x80\x80", EMPTY, 0, 0, 0 },
		{ "-258", INVALID, 0, 0, 0 },
		{ "－258", INVALID, 0, 0, 0 },
		{ "300-200万", INVALID, 0, 0, 0 },
		{ "5亿以上以下", INVALID, 0, 0, 0 },
		{ ">5亿以下", INVALID, 0, 0, 0 },
		{ "200-300万以上", INVALID, 0, 0, 0 },
		{ "1,20", INVALID, 0, 0, 0 },
		{ "258万美元", INVALID, 0, 0, 0 },
		{ "abc", INVALID, 0, 0, 0 },
		{ "200-", INVALID, 0, 0, 0 },
		{ "万", INVALID, 0, 0, 0 },
		{ "1e5", INVALID, 0, 0, 0 },
	};
	struct sales_amount a;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		enum sales_value_status st =
			sales_parse_amount(cases[i].in, strlen(cases[i].in), &a);

		if (st != cases[i].st || a.flags != cases[i].flags ||
		    !near(a.lo, cases[i].lo) || !near(a.hi, cases[i].hi))
			CASE_FAIL("%s (got %d %g..%g flags %u)", cases[i].in, st,
				  a.lo, a.hi, a.flags);
	}
	/* the conversion is exact where a decimal literal is */
	assert_int_equal(sales_parse_amount("3000元", strlen("3000元"), &a), OK);
	assert_true(a.lo == 0.3);
	/* plain numbers (read by a shortcut) are the same doubles as the C
	 * literals, up to 15 digits; longer ones and "258." take the scan */
	assert_int_equal(sales_parse_amount("806.5", 5, &a), OK);
	assert_true(a.lo == 806.5 && a.hi == 806.5 && a.flags == BOTH);
	assert_int_equal(sales_parse_amount(" 0.1 ", 5, &a), OK);
	assert_true(a.lo == 0.1 && a.hi == 0.1);
	assert_int_equal(sales_parse_amount("12345678901234.5", 16, &a), OK);
	assert_true(a.lo == 12345678901234.5);
	assert_int_equal(sales_parse_amount("1234567890123456", 16, &a), OK);
	assert_true(a.lo == 1234567890123450.0);   /* 15 digits kept */
	assert_int_equal(sales_parse_amount("258.", 4, &a), INVALID);
	assert_true(a.lo == 0 && a.flags == 0);
	assert_int_equal(sales_parse_amount(".5", 2, &a), INVALID);
}

/* The short forms sales_parse_date reads without its scan (short_date)
 * against hand-computed days, and the near misses the scan judges. */
static void test_date_short_forms(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		int y, m, d;
	} cases[] = {
		{ "2022-1-2", OK, 2022, 1, 2 },
		{ "2022/12/1", OK, 2022, 12, 1 },
		{ "2022.1.31", OK, 2022, 1, 31 },
		{ "2022年1月11日", OK, 2022, 1, 11 },
		{ "2022年01月11号", OK, 2022, 1, 11 },
		{ "2022年1月11", OK, 2022, 1, 11 },
		{ "2024-2-29", OK, 2024, 2, 29 },
		{ "2023-2-29", INVALID, 0, 0, 0 },
		{ "2022年13月1日", INVALID, 0, 0, 0 },
		{ "1899-1-1", INVALID, 0, 0, 0 },
		{ "2022-1/2", INVALID, 0, 0, 0 },
		{ "2022-123-1", INVALID, 0, 0, 0 },
		{ "2022-1-2日", INVALID, 0, 0, 0 },
		{ "2022年1月11日日", INVALID, 0, 0, 0 },
		{ "2022-1-2 10:30", OK, 2022, 1, 2 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		sales_date d = 12345;
		enum sales_value_status st =
			sales_parse_date(cases[i].in, strlen(cases[i].in), &d);
		sales_date want = cases[i].st == OK ?
			sales_date_from_ymd(cases[i].y, cases[i].m, cases[i].d) :
			SALES_DATE_NONE;

		if (st != cases[i].st || d != want)
			CASE_FAIL("%s (got %d %ld)", cases[i].in, st, (long)d);
	}
}

static void test_amount_mid(void **state)
{
	struct sales_amount a = { 200, 300, BOTH };

	(void)state;
	assert_true(near(sales_amount_mid(&a), 250));
	a.flags = LO;
	assert_true(near(sales_amount_mid(&a), 200));
	a.flags = HI;
	assert_true(near(sales_amount_mid(&a), 300));
	a.flags = 0;
	assert_true(isnan(sales_amount_mid(&a)));
}

static void test_parse_size(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		bool has_emp;
		long emp_lo, emp_hi;
		bool has_rev;
		double lo, hi;
		unsigned flags;
	} cases[] = {
		{ "500-1000人/5亿以上", OK, true, 500, 1000, true, 50000, 0, LO },
		{ "100-300人/1亿以下", OK, true, 100, 300, true, 0, 10000, HI },
		{ "5亿以上/500-1000人", OK, true, 500, 1000, true, 50000, 0, LO },
		{ "500-1000人／5亿以上", OK, true, 500, 1000, true, 50000, 0, LO },
		{ "500人，2亿", OK, true, 500, 500, true, 20000, 20000, BOTH },
		{ "500人,2亿", OK, true, 500, 500, true, 20000, 20000, BOTH },
		{ "500人; 2亿", OK, true, 500, 500, true, 20000, 20000, BOTH },
		{ "500人；2亿", OK, true, 500, 500, true, 20000, 20000, BOTH },
		{ "500人、2亿", OK, true, 500, 500, true, 20000, 20000, BOTH },
		{ "1,000-5,000人/10亿", OK, true, 1000, 5000, true, 100000, 100000, BOTH },
		{ "300人", OK, true, 300, 300, false, 0, 0, 0 },
		{ "1亿以下", OK, false, 0, 0, true, 0, 10000, HI },
		{ "1000人以上", OK, true, 1000, -1, false, 0, 0, 0 },
		{ "1000+人", OK, true, 1000, -1, false, 0, 0, 0 },
		{ "50人以下", OK, true, 0, 50, false, 0, 0, 0 },
		{ "约200人", OK, true, 200, 200, false, 0, 0, 0 },
		{ "200人左右", OK, true, 200, 200, false, 0, 0, 0 },
		{ "500人-1000人", OK, true, 500, 1000, false, 0, 0, 0 },
		{ "500人-1000", OK, true, 500, 1000, false, 0, 0, 0 },
		{ "员工500人/营收3亿", OK, true, 500, 500, true, 30000, 30000, BOTH },
		{ "500人/待确认", OK, true, 500, 500, false, 0, 0, 0 },
		{ "500人/", OK, true, 500, 500, false, 0, 0, 0 },
		{ "人民币5亿", OK, false, 0, 0, true, 50000, 50000, BOTH },
		{ "待确认", UNKNOWN, false, 0, 0, false, 0, 0, 0 },
		{ "待确认/不详", UNKNOWN, false, 0, 0, false, 0, 0, 0 },
		{ "", EMPTY, false, 0, 0, false, 0, 0, 0 },
		{ "500人/600人", INVALID, false, 0, 0, false, 0, 0, 0 },
		{ "5亿/6亿", INVALID, false, 0, 0, false, 0, 0, 0 },
		{ "500人/5亿/6亿", INVALID, false, 0, 0, false, 0, 0, 0 },
		{ "1000-500人", INVALID, false, 0, 0, false, 0, 0, 0 },
		{ "很多人", INVALID, false, 0, 0, false, 0, 0, 0 },
		{ "大型企业", INVALID, false, 0, 0, false, 0, 0, 0 },
		{ "/", INVALID, false, 0, 0, false, 0, 0, 0 },
	};
	struct sales_size z;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		enum sales_value_status st =
			sales_parse_size(cases[i].in, strlen(cases[i].in), &z);

		if (st != cases[i].st || z.has_employees != cases[i].has_emp ||
		    z.emp_lo != cases[i].emp_lo || z.emp_hi != cases[i].emp_hi ||
		    z.has_revenue != cases[i].has_rev ||
		    z.revenue.flags != cases[i].flags ||
		    !near(z.revenue.lo, cases[i].lo) ||
		    !near(z.revenue.hi, cases[i].hi))
			CASE_FAIL("%s (got %d emp %d %ld..%ld rev %d %g..%g %u)",
				  cases[i].in, st, z.has_employees, z.emp_lo,
				  z.emp_hi, z.has_revenue, z.revenue.lo,
				  z.revenue.hi, z.revenue.flags);
	}
}

/* ---- plain numbers ------------------------------------------------------- */

static void test_parse_percent(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		double want;
	} cases[] = {
		{ "12%", OK, 0.12 },
		{ "-2%", OK, -0.02 },
		{ "+10%", OK, 0.10 },
		{ "102%", OK, 1.02 },
		{ "12.5%", OK, 0.125 },
		{ "12 %", OK, 0.12 },
		{ "１２％", OK, 0.12 },
		{ "0.12", OK, 0.12 },
		{ "1", OK, 1 },
		{ "0%", OK, 0 },
		{ "", EMPTY, 0 },
		{ "%", INVALID, 0 },
		{ "12%%", INVALID, 0 },
		{ "12%x", INVALID, 0 },
		{ "abc", INVALID, 0 },
		{ "待定", INVALID, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		double v = 99;
		enum sales_value_status st =
			sales_parse_percent(cases[i].in, strlen(cases[i].in), &v);

		if (st != cases[i].st || v != cases[i].want)
			CASE_FAIL("%s (got %d %.17g)", cases[i].in, st, v);
	}
}

static void test_parse_number(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		double want;
	} cases[] = {
		{ "258", OK, 258 },
		{ "-3.5", OK, -3.5 },
		{ "+3.5", OK, 3.5 },
		{ "1,200", OK, 1200 },
		{ "1,200.25", OK, 1200.25 },
		{ " 0.1 ", OK, 0.1 },
		{ "２５８．５", OK, 258.5 },
		{ "", EMPTY, 0 },
		{ "258万", INVALID, 0 },
		{ "1e3", INVALID, 0 },
		{ "1,2", INVALID, 0 },
		{ "12,3456", INVALID, 0 },
		{ "5.", INVALID, 0 },
		{ "-", INVALID, 0 },
		{ "1 2", INVALID, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		double v = 99;
		enum sales_value_status st =
			sales_parse_number(cases[i].in, strlen(cases[i].in), &v);

		if (st != cases[i].st || v != cases[i].want)
			CASE_FAIL("%s (got %d %.17g)", cases[i].in, st, v);
	}
}

static void test_parse_int(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		long want;
	} cases[] = {
		{ "42", OK, 42 },
		{ "-7", OK, -7 },
		{ "1,000", OK, 1000 },
		{ "５", OK, 5 },
		{ "9223372036854775807", OK, LONG_MAX },
		{ "-9223372036854775808", OK, LONG_MIN },
		{ "9223372036854775808", INVALID, 0 },
		{ "99999999999999999999", INVALID, 0 },
		{ "12.0", INVALID, 0 },
		{ "12abc", INVALID, 0 },
		{ "", EMPTY, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		long v = 99;
		enum sales_value_status st =
			sales_parse_int(cases[i].in, strlen(cases[i].in), &v);

		if (st != cases[i].st || v != cases[i].want)
			CASE_FAIL("%s (got %d %ld)", cases[i].in, st, v);
	}
}

/* ---- labels ------------------------------------------------------------- */

static void test_parse_grade(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		char want;
	} cases[] = {
		{ "A类", OK, 'A' },
		{ "A", OK, 'A' },
		{ "a", OK, 'A' },
		{ "A级", OK, 'A' },
		{ "Ａ类", OK, 'A' },
		{ "ａ", OK, 'A' },
		{ "A類", OK, 'A' },
		{ " B类 ", OK, 'B' },
		{ "c級", OK, 'C' },
		{ "D类", INVALID, 0 },
		{ "AB", INVALID, 0 },
		{ "A类类", INVALID, 0 },
		{ "类", INVALID, 0 },
		{ "", EMPTY, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char g = 'x';
		enum sales_value_status st =
			sales_parse_grade(cases[i].in, strlen(cases[i].in), &g);

		if (st != cases[i].st || g != cases[i].want)
			CASE_FAIL("%s (got %d %c)", cases[i].in, st, g ? g : '0');
	}
}

static void test_parse_priority(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		int prio;
		const char *name;
	} cases[] = {
		{ "自动化分拣设备(高)", OK, 3, "自动化分拣设备" },
		{ "自动化分拣设备（高）", OK, 3, "自动化分拣设备" },
		{ "一体化管理系统(中)", OK, 2, "一体化管理系统" },
		{ "备件(低)", OK, 1, "备件" },
		{ "备件 （ 低 ） ", OK, 1, "备件" },
		{ "备件(高优先级)", OK, 3, "备件" },
		{ "备件（优先级：中）", OK, 2, "备件" },
		{ "备件(高）", OK, 3, "备件" },
		{ "设备(进口)", OK, 0, "设备(进口)" },
		{ "设备(进口)(低)", OK, 1, "设备(进口)" },
		{ "自动化分拣设备", OK, 0, "自动化分拣设备" },
		{ "设备 ", OK, 0, "设备" },
		{ "(高)", OK, 3, "" },
		{ "", EMPTY, 0, "" },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int prio = 99;
		size_t name_len = 99;
		enum sales_value_status st = sales_parse_priority(
			cases[i].in, strlen(cases[i].in), &prio, &name_len);

		if (st != cases[i].st || prio != cases[i].prio ||
		    name_len != strlen(cases[i].name) ||
		    memcmp(cases[i].in, cases[i].name, name_len))
			CASE_FAIL("%s (got %d %d %zu)", cases[i].in, st, prio,
				  name_len);
	}
}

/* ---- phones and formulas -------------------------------------------------- */

static void test_parse_phone(void **state)
{
	static const struct {
		const char *in;
		enum sales_value_status st;
		const char *digits;
		unsigned flags;
	} cases[] = {
		{ "13812345678", OK, "13812345678", MOBILE },
		{ "138-1234-5678", OK, "13812345678", MOBILE },
		{ "138 1234 5678", OK, "13812345678", MOBILE },
		{ "+86 138 1234 5678", OK, "13812345678", MOBILE },
		{ "+86-13812345678", OK, "13812345678", MOBILE },
		{ "008613812345678", OK, "13812345678", MOBILE },
		{ "8613812345678", OK, "13812345678", MOBILE },
		{ "(+86)13812345678", OK, "13812345678", MOBILE },
		{ "１３８１２３４５６７８", OK, "13812345678", MOBILE },
		{ "(010)8888-6666", OK, "01088886666", LANDLINE },
		{ "（010）88886666", OK, "01088886666", LANDLINE },
		{ "010-8888-6666", OK, "01088886666", LANDLINE },
		{ "0755-88886666", OK, "075588886666", LANDLINE },
		{ "0571-8888666", OK, "05718888666", LANDLINE },
		{ "+86 10 8888 6666", OK, "01088886666", LANDLINE },
		{ "010-88886666转123", OK, "01088886666", LANDLINE },
		{ "010-88886666 ext. 123", OK, "01088886666", LANDLINE },
		{ "010-88886666-123", OK, "01088886666", LANDLINE },
		{ "88886666", OK, "88886666", 0 },
		{ "1.38E+10", OK, "13800000000", MANGLED },
		{ "1.38e10", OK, "13800000000", MANGLED },
		{ "1.38123E+11", OK, "138123000000", MANGLED },
		{ "138123456780000", OK, "138123456780000", MANGLED },
		{ "138****5678", OK, "1385678", MOBILE | PARTIAL },
		{ "138xxxx5678", OK, "1385678", MOBILE | PARTIAL },
		{ "138", OK, "138", PARTIAL },
		{ "1395678", OK, "1395678", 0 },
		{ "+1 415 555 0100", OK, "14155550100", 0 },
		{ "", EMPTY, "", 0 },
		{ "abc", INVALID, "", 0 },
		{ "138-1234-5678 / 139-8765-4321", INVALID, "", 0 },
		{ "13812345678,13987654321", INVALID, "", 0 },
		{ "138+1234", INVALID, "", 0 },
		{ "010-88886666转", INVALID, "", 0 },
		{ "123456789012345678901", INVALID, "", 0 },
		{ "--", INVALID, "", 0 },
		{ "待确认", INVALID, "", 0 },
	};
	char digits[SALES_PHONE_DIGITS_MAX];
	char small[5];
	unsigned flags;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		enum sales_value_status st;

		flags = 99;
		st = sales_parse_phone(cases[i].in, strlen(cases[i].in), digits,
				       sizeof(digits), &flags);
		if (st != cases[i].st || strcmp(digits, cases[i].digits) ||
		    flags != cases[i].flags)
			CASE_FAIL("%s (got %d %s %u)", cases[i].in, st, digits,
				  flags);
	}
	/* a buffer too small is refused, not overrun; NULL only classifies */
	assert_int_equal(sales_parse_phone("13812345678", 11, small,
					   sizeof(small), &flags), INVALID);
	assert_string_equal(small, "");
	assert_int_equal(sales_parse_phone("13812345678", 11, NULL, 0, &flags), OK);
	assert_int_equal(flags, MOBILE);
}

static void test_is_formula(void **state)
{
	static const struct {
		const char *in;
		bool want;
	} cases[] = {
		{ "=1+1", true },
		{ "+10%", true },
		{ "-2%", true },
		{ "@SUM(A1)", true },
		{ "\t=cmd", true },
		{ "\rx", true },
		{ "＝1+1", true },
		{ "＋1", true },
		{ "－1", true },
		{ "＠x", true },
		{ " =1", false },
		{ "258", false },
		{ "科技有限公司", false },
		{ "（高）", false },
		{ "", false },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (sales_value_is_formula(cases[i].in, strlen(cases[i].in)) !=
		    cases[i].want)
			CASE_FAIL("%s", cases[i].in);
}

static void test_trim_and_unknown(void **state)
{
	const char *s = " \xe3\x80\x80" "A类\t\xc2\xa0";
	size_t n;
	size_t n0 = strlen(s);
	const char *t = sales_trim(s, &n0);

	(void)state;
	assert_ptr_equal(t, s + 4);
	assert_int_equal(n0, strlen("A类"));
	n = 3;
	t = sales_trim("   ", &n);
	assert_int_equal(n, 0);
	assert_true(sales_value_is_unknown(" 待定 ", strlen(" 待定 ")));
	assert_true(sales_value_is_unknown("Tbd", 3));
	assert_false(sales_value_is_unknown("待定回访", strlen("待定回访")));
	assert_false(sales_value_is_unknown("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_minus_year),
		cmocka_unit_test(test_quarter_bounds),
		cmocka_unit_test(test_parse_quarter),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_date_plain_form),
		cmocka_unit_test(test_parse_date_prefix),
		cmocka_unit_test(test_parse_month),
		cmocka_unit_test(test_parse_date_range),
		cmocka_unit_test(test_parse_amount),
		cmocka_unit_test(test_amount_mid),
		cmocka_unit_test(test_date_short_forms),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_percent),
		cmocka_unit_test(test_parse_number),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_grade),
		cmocka_unit_test(test_parse_priority),
		cmocka_unit_test(test_parse_phone),
		cmocka_unit_test(test_is_formula),
		cmocka_unit_test(test_trim_and_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
