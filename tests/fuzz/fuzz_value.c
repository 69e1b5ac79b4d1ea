/*
 * fuzz_value.c - every value parser of value.h, and the text helpers of
 * text.h, on the whole input as one cell.
 *
 * Besides "no crash, no sanitizer report" it checks the contracts the
 * headers state: outputs are neutral unless OK, a parsed date formats and
 * parses back to itself, a range does not end before it starts, buffers are
 * NUL-terminated within their capacity, padded text is valid UTF-8.
 */
#include "fuzz.h"

#include <math.h>

#include "rules.h"
#include "schema.h"
#include "settings.h"
#include "sheet.h"
#include "text.h"
#include "value.h"

static void dates(const char *s, size_t n)
{
	sales_date d, d2, first, last;
	struct sales_date_range range;
	enum sales_value_status st;
	size_t used = 99;
	char buf[11];
	int y, q;

	st = sales_parse_date(s, n, &d);
	CHECK((st == SALES_VALUE_OK) == (d != SALES_DATE_NONE));
	if (st == SALES_VALUE_OK) {
		sales_date_format(d, buf);
		CHECK(strlen(buf) == 10);
		CHECK(sales_parse_date(buf, 10, &d2) == SALES_VALUE_OK && d2 == d);
		CHECK(sales_parse_date_prefix(s, n, &d2, &used) == SALES_VALUE_OK);
		CHECK(d2 == d && used > 0 && used <= n);
		CHECK(sales_date_weekday(d) >= 1 && sales_date_weekday(d) <= 7);
		CHECK(sales_date_quarter(d) >= 1 && sales_date_quarter(d) <= 4);
		CHECK(sales_date_minus_year(d) < d);
	}
	st = sales_parse_date_prefix(s, n, &d, &used);
	if (st == SALES_VALUE_OK)
		CHECK(d != SALES_DATE_NONE && used > 0 && used <= n);
	else
		CHECK(d == SALES_DATE_NONE && (st == SALES_VALUE_UNKNOWN || used == 0));
	if (st == SALES_VALUE_UNKNOWN)
		CHECK(used <= n);

	st = sales_parse_month(s, n, &first, &last);
	if (st == SALES_VALUE_OK) {
		int y1, m1, y2, m2, d1, dd2;

		sales_date_to_ymd(first, &y1, &m1, &d1);
		sales_date_to_ymd(last, &y2, &m2, &dd2);
		CHECK(y1 == y2 && m1 == m2 && d1 == 1 &&
		      dd2 == sales_days_in_month(y2, m2));
	} else {
		CHECK(first == SALES_DATE_NONE && last == SALES_DATE_NONE);
	}

	st = sales_parse_date_range(s, n, &range);
	if (st == SALES_VALUE_OK)
		CHECK(range.start != SALES_DATE_NONE &&
		      range.end != SALES_DATE_NONE && range.start <= range.end);
	else
		CHECK(range.start == SALES_DATE_NONE &&
		      range.end == SALES_DATE_NONE);

	st = sales_parse_quarter(s, n, &y, &q);
	if (st == SALES_VALUE_OK) {
		CHECK(q >= 1 && q <= 4);
		CHECK(sales_quarter_first(y, q) != SALES_DATE_NONE);
		CHECK(sales_quarter_first(y, q) < sales_quarter_last(y, q));
	} else {
		CHECK(y == 0 && q == 0);
	}
}

static void numbers(const char *s, size_t n)
{
	struct sales_amount a;
	struct sales_size size;
	enum sales_value_status st;
	double x;
	long l;
	double bound;
	char nul[256];

	st = sales_parse_amount(s, n, &a);
	if (st == SALES_VALUE_OK) {
		CHECK(a.flags & (SALES_AMOUNT_LO | SALES_AMOUNT_HI));
		CHECK(!isnan(a.lo) && !isnan(a.hi) && a.lo >= 0 && a.hi >= 0);
		if ((a.flags & SALES_AMOUNT_LO) && (a.flags & SALES_AMOUNT_HI))
			CHECK(a.lo <= a.hi);
		CHECK(!isnan(sales_amount_mid(&a)));
	} else {
		CHECK(a.flags == 0 && a.lo == 0 && a.hi == 0);
	}

	st = sales_parse_size(s, n, &size);
	if (st == SALES_VALUE_OK) {
		CHECK(size.has_employees || size.has_revenue);
		if (size.has_employees)
			CHECK(size.emp_lo >= 0 &&
			      (size.emp_hi == -1 || size.emp_hi >= size.emp_lo));
	} else {
		CHECK(!size.has_employees && !size.has_revenue &&
		      size.revenue.flags == 0);
	}

	st = sales_parse_percent(s, n, &x);
	CHECK(st == SALES_VALUE_OK ? isfinite(x) : x == 0);
	st = sales_parse_number(s, n, &x);
	CHECK(st == SALES_VALUE_OK ? isfinite(x) : x == 0);
	st = sales_parse_int(s, n, &l);
	CHECK(st == SALES_VALUE_OK || l == 0);

	if (n < sizeof(nul)) {
		memcpy(nul, s, n);
		nul[n] = '\0';
		if (sales_settings_parse_bound(nul, &bound) == 0)
			CHECK(isfinite(bound) && bound >= 0);
	}
}

static void labels(const char *s, size_t n)
{
	char grade = 'x', digits[SALES_PHONE_DIGITS_MAX], small[6];
	int priority = -1;
	size_t name_len = (size_t)-1;
	unsigned flags = 99;
	enum sales_value_status st;

	st = sales_parse_grade(s, n, &grade);
	CHECK(st == SALES_VALUE_OK ? (grade >= 'A' && grade <= 'C') : grade == 0);

	st = sales_parse_priority(s, n, &priority, &name_len);
	CHECK(priority >= 0 && priority <= 3 && name_len <= n);

	st = sales_parse_phone(s, n, digits, sizeof(digits), &flags);
	CHECK(strlen(digits) < sizeof(digits));
	if (st != SALES_VALUE_OK)
		CHECK(digits[0] == '\0' && flags == 0);
	for (const char *p = digits; *p; p++)
		CHECK(*p >= '0' && *p <= '9');
	st = sales_parse_phone(s, n, small, sizeof(small), &flags);
	CHECK(strlen(small) < sizeof(small));
	sales_parse_phone(s, n, NULL, 0, &flags);

	sales_value_is_unknown(s, n);
	sales_value_is_formula(s, n);
	sales_cell_needs_escape(s, n);
}

static void text(const char *s, size_t n)
{
	char out[96], key[64];
	size_t bad = 0, w, len, half = n / 2, tl = n;
	bool valid = sales_utf8_valid(s, n, &bad);
	const char *t;

	/* decoding agrees with validation */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = sales_utf8_decode(s + i, n - i, &cp);

		CHECK(k >= 1 && k <= 4 && i + k <= n);
		if (cp == 0xFFFD && k == 1 && (unsigned char)s[i] >= 0x80) {
			CHECK(!valid && bad <= i);
		}
		CHECK(sales_char_width(cp) >= 0 && sales_char_width(cp) <= 2);
		i += k;
	}
	if (!valid)
		CHECK(bad < n);
	w = sales_utf8_width(s, n);
	CHECK(w <= 2 * n);

	for (int width = 0; width <= 24; width += 6) {
		len = sales_utf8_pad(s, n, width, width % 12 == 0, out,
				     sizeof(out));
		CHECK(len < sizeof(out) && out[len] == '\0');
		CHECK(sales_utf8_valid(out, len, NULL));
		if (len + 8 < sizeof(out))
			CHECK(sales_utf8_width(out, len) == (size_t)width);
	}
	len = sales_name_key(s, n, key, sizeof(key));
	CHECK(len < sizeof(key) && strlen(key) <= len);
	CHECK(sales_edit_distance(s, n, s, n, 3) == 0);
	CHECK(sales_edit_distance(s, half, s + half, n - half, 5) ==
	      sales_edit_distance(s + half, n - half, s, half, 5));
	t = sales_trim(s, &tl);
	CHECK(t >= s && t + tl <= s + n);
	sales_hash(s, n);
	len = sales_header_normalize(s, n, out, sizeof(out));
	CHECK(len < sizeof(out));
}

/* Functions that take NUL-terminated text. */
static void strings(const char *s, size_t n)
{
	char *z = malloc(n + 1);
	bool unclear;

	if (!z)
		return;
	memcpy(z, s, n);
	z[n] = '\0';
	sales_opinion_of(z);
	sales_review_of(z, &unclear);
	sales_approver_index(z);
	sales_sheet_find(z);
	sales_sheet_by_stage(z);
	for (int id = 0; id < SALES_NSHEETS; id++)
		sales_column_find(sales_sheet_def(id), z);
	sales_settings_known(z);
	free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	dates(s, size);
	numbers(s, size);
	labels(s, size);
	text(s, size);
	strings(s, size);
	return 0;
}
