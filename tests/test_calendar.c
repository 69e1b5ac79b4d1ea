/*
 * Unit tests for libsales/calendar.c on the real holiday rows: a copy of the
 * shared holidays-cn.csv lives in tests/data/ so the test runs without it.
 */
#include "testutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "calendar.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "2023-09-28" -> sales_date; the tables below only hold valid dates. */
static sales_date day(const char *ymd)
{
	int y, m, d;

	if (sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3)
		return SALES_DATE_NONE;
	return sales_date_from_ymd(y, m, d);
}

static const char *show(sales_date d, char buf[11])
{
	return d == SALES_DATE_NONE ? "NONE" : sales_date_format(d, buf);
}

/* Opens tests/data/<name>, found next to this source file. */
static FILE *open_test_data(const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	int dirlen = slash ? (int)(slash - __FILE__ + 1) : 0;
	char path[512];

	snprintf(path, sizeof(path), "%.*sdata/%s", dirlen, __FILE__, name);
	return fopen(path, "r");
}

struct fixture {
	struct sales_calendar *cal;
	int rows;
};

/*
 * A tiny reader for the plain 日期,类型,名称 file (UTF-8, no quotes): one
 * sales_calendar_add() per row.  Returns the rows added, or -1.
 */
static int load_holidays(struct sales_calendar *cal, FILE *f)
{
	char line[256];
	int rows = 0;

	while (fgets(line, sizeof(line), f)) {
		char *p = line, *kind, *name;
		enum sales_day_kind k;

		line[strcspn(line, "\r\n")] = '\0';
		if (!strncmp(p, "\xEF\xBB\xBF", 3))
			p += 3;
		if (!*p || !strncmp(p, "日期", strlen("日期")))
			continue;
		kind = strchr(p, ',');
		if (!kind)
			return -1;
		*kind++ = '\0';
		name = strchr(kind, ',');
		if (name)
			*name++ = '\0';
		if (!strcmp(kind, "休"))
			k = SALES_DAY_OFF;
		else if (!strcmp(kind, "班"))
			k = SALES_DAY_WORK;
		else
			return -1;
		if (sales_calendar_add(cal, day(p), k, name) < 0)
			return -1;
		rows++;
	}
	return ferror(f) ? -1 : rows;
}

static int setup_holidays(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	FILE *f = open_test_data("holidays-cn.csv");

	if (!fx || !f)
		goto fail;
	fx->cal = sales_calendar_new();
	if (!fx->cal)
		goto fail;
	fx->rows = load_holidays(fx->cal, f);
	if (fx->rows < 0)
		goto fail;
	fclose(f);
	*state = fx;
	return 0;
fail:
	if (f)
		fclose(f);
	if (fx)
		sales_calendar_free(fx->cal);
	free(fx);
	return -1;
}

static int teardown_holidays(void **state)
{
	struct fixture *fx = *state;

	sales_calendar_free(fx->cal);
	free(fx);
	return 0;
}

static void test_loaded_rows(void **state)
{
	struct fixture *fx = *state;
	const char *name = "unset";

	assert_int_equal(fx->rows, 286);
	assert_int_equal(sales_calendar_lookup(fx->cal, day("2023-10-01"), &name),
			 SALES_DAY_OFF);
	assert_string_equal(name, "中秋节、国庆节");
	assert_int_equal(sales_calendar_lookup(fx->cal, day("2024-02-04"), &name),
			 SALES_DAY_WORK);
	assert_string_equal(name, "春节");
	assert_int_equal(sales_calendar_lookup(fx->cal, day("2023-11-01"), &name), 0);
	assert_null(name);
	assert_int_equal(sales_calendar_lookup(fx->cal, day("2024-02-10"), NULL),
			 SALES_DAY_OFF);
	assert_int_equal(sales_calendar_lookup(fx->cal, SALES_DATE_NONE, &name), 0);
}

static void test_year_known(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		int year;
		bool known;
	} cases[] = {
		/* The 2019 notice moves 2018-12-29..31, so 2018 has rows. */
		{ 2017, false }, { 2018, true }, { 2019, true }, { 2020, true },
		{ 2023, true }, { 2024, true }, { 2025, true }, { 2026, true },
		{ 2027, false }, { 2030, false }, { 1899, false }, { 0, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (sales_calendar_year_known(fx->cal, cases[i].year) !=
		    cases[i].known)
			CASE_FAIL("year %d: want known=%d", cases[i].year,
				  cases[i].known);
	assert_false(sales_calendar_year_known(NULL, 2024));
}

static void test_is_workday(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *date;
		bool work;
		const char *why;
	} cases[] = {
		{ "2023-09-28", true, "Thursday before 国庆" },
		{ "2023-09-29", false, "Friday 休 (中秋)" },
		{ "2023-10-02", false, "Monday 休" },
		{ "2023-10-06", false, "last 休 day" },
		{ "2023-10-07", true, "Saturday 班" },
		{ "2023-10-08", true, "Sunday 班" },
		{ "2023-10-09", true, "Monday after" },
		{ "2023-10-14", false, "plain Saturday" },
		{ "2024-02-04", true, "Sunday 班 before 春节" },
		/* 除夕 2024-02-09 is not in the notice (only "encouraged" off) */
		{ "2024-02-09", true, "Friday, 除夕, not listed" },
		{ "2024-02-10", false, "春节 休, Saturday" },
		{ "2024-02-12", false, "春节 休, Monday" },
		{ "2024-02-16", false, "春节 休, Friday" },
		{ "2024-02-17", false, "春节 休, Saturday" },
		{ "2024-02-18", true, "Sunday 班 after 春节" },
		{ "2024-02-19", true, "Monday after" },
		{ "2024-02-24", false, "plain Saturday" },
		{ "2030-10-01", true, "unknown year: a Tuesday works" },
		{ "2030-10-05", false, "unknown year: Saturday" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (sales_calendar_is_workday(fx->cal, day(cases[i].date)) !=
		    cases[i].work)
			CASE_FAIL("%s (%s): want workday=%d", cases[i].date,
				  cases[i].why, cases[i].work);
	assert_false(sales_calendar_is_workday(fx->cal, SALES_DATE_NONE));
}

static void test_add_workdays(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *start;
		int n;
		const char *want;
		const char *why;
	} cases[] = {
		{ "2023-09-28", 3, "2023-10-09", "国庆 2023: the headline case" },
		{ "2023-09-28", 1, "2023-10-07", "a 班 Saturday is counted" },
		{ "2023-09-28", 2, "2023-10-08", "a 班 Sunday is counted" },
		{ "2023-09-28", 0, "2023-09-28", "n == 0 is start" },
		{ "2023-09-30", 0, "2023-09-30", "n == 0 even on a day off" },
		{ "2023-09-30", 1, "2023-10-07", "start on a day off" },
		{ "2024-02-02", 1, "2024-02-04", "Friday + 1 is the 班 Sunday" },
		{ "2024-02-08", 1, "2024-02-09", "除夕 works" },
		{ "2024-02-09", 1, "2024-02-18", "春节 2024 skipped" },
		{ "2024-02-09", 2, "2024-02-19", "" },
		{ "2023-12-29", 1, "2024-01-02", "year boundary, 元旦 Monday" },
		{ "2023-12-28", 3, "2024-01-03", "year boundary" },
		{ "2024-12-31", 1, "2025-01-02", "year boundary, 元旦 Wednesday" },
		{ "2026-12-30", 3, "2027-01-04", "into unknown 2027" },
		{ "2024-04-03", 20, "2024-05-06", "清明 and 劳动节" },
		{ "2024-09-12", 10, "2024-09-27", "中秋 2024 with its 班 Saturday" },
		{ "2029-12-31", 1, "2030-01-01", "unknown 2030: no 元旦" },
		{ "2030-01-04", 1, "2030-01-07", "unknown 2030: Friday + 1" },
		{ "2030-01-01", 5, "2030-01-08", "unknown 2030: weekdays only" },
		{ "2023-10-09", -3, "2023-09-28", "backwards over 国庆" },
		{ "2024-01-02", -1, "2023-12-29", "backwards over 元旦" },
		{ "2024-02-19", -1, "2024-02-18", "backwards onto a 班 Sunday" },
	};
	char b1[11], b2[11];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sales_date got = sales_calendar_add_workdays(
			fx->cal, day(cases[i].start), cases[i].n);

		if (got != day(cases[i].want))
			CASE_FAIL("%s %+d (%s): got %s, want %s",
				  cases[i].start, cases[i].n, cases[i].why,
				  show(got, b1), show(day(cases[i].want), b2));
	}
	assert_int_equal(sales_calendar_add_workdays(fx->cal, SALES_DATE_NONE, 3),
			 SALES_DATE_NONE);
	assert_int_equal(sales_calendar_add_workdays(fx->cal, INT32_MAX - 1, 5),
			 SALES_DATE_NONE);
}

static void test_workdays_between(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "2023-09-28", "2023-10-09", 3 },
		{ "2023-10-09", "2023-09-28", -3 },
		{ "2023-09-28", "2023-09-28", 0 },
		{ "2023-09-28", "2023-10-06", 0 },	/* all off */
		{ "2023-09-28", "2023-10-07", 1 },	/* b counts */
		{ "2023-10-07", "2023-10-09", 2 },	/* a does not */
		{ "2024-02-08", "2024-02-19", 3 },
		{ "2024-02-19", "2024-02-08", -3 },
		{ "2023-12-29", "2024-01-02", 1 },
		/* whole years, as the State Council counts them */
		{ "2022-12-31", "2023-12-31", 249 },
		{ "2023-12-31", "2024-12-31", 251 },
		{ "2024-12-31", "2025-12-31", 248 },
		{ "2018-12-31", "2026-12-31", 1994 },
		{ "2026-12-31", "2018-12-31", -1994 },
		{ "2029-12-31", "2030-12-31", 261 },	/* unknown: weekdays */
		{ "1970-01-01", "1970-01-05", 2 },	/* Thursday .. Monday */
		{ "1969-12-26", "1970-01-02", 5 },	/* across day 0 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = sales_calendar_workdays_between(fx->cal,
							  day(cases[i].a),
							  day(cases[i].b));

		if (got != cases[i].want)
			CASE_FAIL("(%s, %s]: %d, want %d", cases[i].a,
				  cases[i].b, got, cases[i].want);
	}
	assert_int_equal(sales_calendar_workdays_between(fx->cal, SALES_DATE_NONE,
							 day("2024-01-01")), 0);
}

/* Step by step with is_workday(): the definition, slowly. */
static sales_date naive_add(const struct sales_calendar *cal, sales_date d,
			    int n)
{
	int step = n < 0 ? -1 : 1;

	while (n) {
		d += step;
		if (sales_calendar_is_workday(cal, d))
			n -= step;
	}
	return d;
}

static void test_matches_definition(void **state)
{
	struct fixture *fx = *state;
	sales_date first = day("2018-12-01"), last = day("2027-01-31");
	char b1[11], b2[11];

	for (sales_date d = first; d <= last; d++) {
		int count = 0;

		for (int n = -12; n <= 12; n++) {
			sales_date want = naive_add(fx->cal, d, n);
			sales_date got = sales_calendar_add_workdays(fx->cal, d, n);

			if (got != want)
				CASE_FAIL("%s %+d: got %s, want %s", show(d, b1),
					  n, show(got, b2), show(want, b1));
		}
		for (int k = 1; k <= 40; k++) {
			count += sales_calendar_is_workday(fx->cal, d + k);
			if (sales_calendar_workdays_between(fx->cal, d, d + k) !=
			    count ||
			    sales_calendar_workdays_between(fx->cal, d + k, d) !=
			    -count)
				CASE_FAIL("(%s, +%d days]: want %d", show(d, b1),
					  k, count);
		}
	}
}

static void test_explain(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *start;
		int n;
		const char *want;
	} cases[] = {
		{ "2023-09-28", 3, "2023-09-28 + 3 working days → 2023-10-09 "
		  "(09-29..10-06 off: 中秋节、国庆节; 10-07, 10-08 are 班 days)" },
		{ "2024-02-08", 3, "2024-02-08 + 3 working days → 2024-02-19 "
		  "(02-10..02-17 off: 春节; 02-18 is a 班 day)" },
		{ "2024-02-01", 2, "2024-02-01 + 2 working days → 2024-02-04 "
		  "(02-04 is a 班 day)" },
		{ "2024-04-03", 20, "2024-04-03 + 20 working days → 2024-05-06 "
		  "(04-04..04-06, 05-01..05-05 off: 清明节, 劳动节; "
		  "04-07, 04-28 are 班 days)" },
		{ "2023-12-29", 1, "2023-12-29 + 1 working day → 2024-01-02 "
		  "(2024-01-01 off: 元旦)" },
		{ "2023-11-01", 3, "2023-11-01 + 3 working days → 2023-11-06" },
		{ "2023-11-01", 0, "2023-11-01 + 0 working days → 2023-11-01" },
		{ "2023-10-09", -3, "2023-10-09 - 3 working days → 2023-09-28 "
		  "(09-29..10-06 off: 中秋节、国庆节; 10-07, 10-08 are 班 days)" },
		{ "2030-01-01", 3, "2030-01-01 + 3 working days → 2030-01-04; "
		  "2030 calendar unknown" },
		{ "2026-12-30", 3, "2026-12-30 + 3 working days → 2027-01-04; "
		  "2027 calendar unknown" },
		{ "2028-12-28", 3, "2028-12-28 + 3 working days → 2029-01-02; "
		  "2028 calendar unknown; 2029 calendar unknown" },
	};
	char buf[512], small[24], b1[11], b2[11];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sales_date start = day(cases[i].start);
		sales_date got = sales_calendar_explain(fx->cal, start,
							cases[i].n, buf,
							sizeof(buf));
		sales_date want = sales_calendar_add_workdays(fx->cal, start,
							      cases[i].n);

		if (got != want)
			CASE_FAIL("%s %+d: returned %s, add_workdays says %s",
				  cases[i].start, cases[i].n, show(got, b1),
				  show(want, b2));
		if (strcmp(buf, cases[i].want))
			CASE_FAIL("%s %+d:\n  got  '%s'\n  want '%s'",
				  cases[i].start, cases[i].n, buf, cases[i].want);
	}

	/* Cut short, never mid-piece, always terminated. */
	assert_int_equal(sales_calendar_explain(fx->cal, day("2023-09-28"), 3,
						small, sizeof(small)),
			 day("2023-10-09"));
	assert_string_equal(small, "2023-09-28 + 3");
	small[0] = 'x';
	sales_calendar_explain(fx->cal, day("2023-09-28"), 3, small, 0);
	assert_int_equal(small[0], 'x');
	assert_int_equal(sales_calendar_explain(fx->cal, SALES_DATE_NONE, 3, buf,
						sizeof(buf)), SALES_DATE_NONE);
	assert_string_equal(buf, "no start date");
}

static void test_add_rules(void **state)
{
	struct sales_calendar *cal = sales_calendar_new();
	sales_date sat = day("2025-03-08"), mon = day("2025-03-10");
	const char *name, *kept;
	char many[16];
	(void)state;

	assert_non_null(cal);
	assert_false(sales_calendar_year_known(cal, 2025));
	assert_false(sales_calendar_is_workday(cal, sat));

	/* Rows may come in any order; the last row for a date wins. */
	assert_int_equal(sales_calendar_add(cal, mon, SALES_DAY_OFF, "测试"), 0);
	assert_int_equal(sales_calendar_add(cal, sat, SALES_DAY_WORK, NULL), 0);
	assert_true(sales_calendar_year_known(cal, 2025));
	assert_false(sales_calendar_is_workday(cal, mon));
	assert_true(sales_calendar_is_workday(cal, sat));
	assert_int_equal(sales_calendar_lookup(cal, sat, &name), SALES_DAY_WORK);
	assert_null(name);
	assert_int_equal(sales_calendar_add(cal, mon, SALES_DAY_WORK, "改"), 0);
	assert_int_equal(sales_calendar_lookup(cal, mon, &kept), SALES_DAY_WORK);
	assert_string_equal(kept, "改");
	assert_int_equal(sales_calendar_workdays_between(cal, day("2025-03-07"),
							 mon), 2);

	/* Names handed out stay valid while the calendar grows. */
	for (int i = 0; i < 200; i++) {
		snprintf(many, sizeof(many), "假%d", i);
		assert_int_equal(sales_calendar_add(cal, day("2025-06-01") + i,
						    SALES_DAY_OFF, many), 0);
	}
	assert_string_equal(kept, "改");
	assert_int_equal(sales_calendar_lookup(cal, day("2025-06-01") + 199,
					       &name), SALES_DAY_OFF);
	assert_string_equal(name, "假199");

	errno = 0;
	assert_int_equal(sales_calendar_add(cal, SALES_DATE_NONE, SALES_DAY_OFF,
					    NULL), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(sales_calendar_add(cal, mon, (enum sales_day_kind)3,
					    NULL), -1);
	assert_int_equal(errno, EINVAL);
	sales_calendar_free(cal);
	sales_calendar_free(NULL);
}

static void test_null_calendar(void **state)
{
	(void)state;
	/* NULL is an empty calendar: weekdays only, every year unknown. */
	assert_true(sales_calendar_is_workday(NULL, day("2023-10-02")));
	assert_false(sales_calendar_is_workday(NULL, day("2023-10-07")));
	assert_int_equal(sales_calendar_add_workdays(NULL, day("2023-09-28"), 3),
			 day("2023-10-03"));
	assert_int_equal(sales_calendar_workdays_between(NULL, day("2023-09-28"),
							 day("2023-10-09")), 7);
	assert_int_equal(sales_calendar_lookup(NULL, day("2023-10-02"), NULL), 0);
}

int main(void)
{
	const struct CMUnitTest holidays[] = {
		cmocka_unit_test(test_loaded_rows),
		cmocka_unit_test(test_year_known),
		cmocka_unit_test(test_is_workday),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_workdays_between),
		cmocka_unit_test(test_matches_definition),
		cmocka_unit_test(test_explain),
	};
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_add_rules),
		cmocka_unit_test(test_null_calendar),
	};
	int failed;

	failed = cmocka_run_group_tests_name("calendar (holidays-cn.csv)",
					     holidays, setup_holidays,
					     teardown_holidays);
	failed += cmocka_run_group_tests_name("calendar", plain, NULL, NULL);
	return failed;
}
