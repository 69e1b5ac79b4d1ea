#include "value.h"

#include "text.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ---- a cursor over a byte range ------------------------------------------ */

struct cur {
	const unsigned char *p, *end;
};

static struct cur cur_make(const char *s, size_t len)
{
	struct cur c;

	c.p = (const unsigned char *)s;
	c.end = c.p + len;
	return c;
}

static bool at_end(const struct cur *c)
{
	return c->p >= c->end;
}

static size_t left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

/* Bytes of the blank character starting at p, or 0. */
static size_t blank_at(const unsigned char *p, const unsigned char *end)
{
	size_t n = (size_t)(end - p);

	if (n >= 1 && (p[0] == ' ' || p[0] == '\t'))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* Bytes of the blank character ending at end, or 0. */
static size_t blank_before(const unsigned char *start, const unsigned char *end)
{
	size_t n = (size_t)(end - start);

	if (n >= 1 && (end[-1] == ' ' || end[-1] == '\t'))
		return 1;
	if (n >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
		return 2;
	if (n >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 && end[-1] == 0x80)
		return 3;
	return 0;
}

static size_t skip_blanks(struct cur *c)
{
	size_t total = 0, n;

	while ((n = blank_at(c->p, c->end)) > 0) {
		c->p += n;
		total += n;
	}
	return total;
}

static void trim_end(struct cur *c)
{
	size_t n;

	while ((n = blank_before(c->p, c->end)) > 0)
		c->end -= n;
}

static struct cur cur_trimmed(const char *s, size_t len)
{
	s = sales_trim(s, &len);
	return cur_make(s, len);
}

static bool eat(struct cur *c, const char *lit)
{
	size_t n = left(c), i;

	/* most tries fail on the first byte; a literal is a few bytes, so a
	 * loop, not strlen and memcmp */
	for (i = 0; lit[i]; i++)
		if (i >= n || c->p[i] != (unsigned char)lit[i])
			return false;
	c->p += i;
	return true;
}

/* Case-insensitive for ASCII letters. */
static bool eat_ci(struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (left(c) < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char a = c->p[i], b = (unsigned char)lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	c->p += n;
	return true;
}

/* Eats the first entry of a NULL-terminated list that matches; returns its
 * index + 1, or 0. */
static int eat_any(struct cur *c, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (eat(c, list[i]))
			return i + 1;
	return 0;
}

/* The digit (ASCII or full-width) at c, or -1; *n is its byte length. */
static int digit_at(const struct cur *c, size_t *n)
{
	const unsigned char *p = c->p;
	size_t avail = left(c);

	if (avail >= 1 && p[0] >= '0' && p[0] <= '9') {
		*n = 1;
		return p[0] - '0';
	}
	if (avail >= 3 && p[0] == 0xEF && p[1] == 0xBC &&
	    p[2] >= 0x90 && p[2] <= 0x99) {
		*n = 3;
		return p[2] - 0x90;
	}
	return -1;
}

/*
 * Reads every digit at c; returns how many there were and stores their value
 * in *val (saturating at a billion, far beyond any field read this way).
 */
static int read_uint(struct cur *c, long *val)
{
	long v = 0;
	int count = 0, dv;
	size_t n;

	while ((dv = digit_at(c, &n)) >= 0) {
		if (v < 1000000000L)
			v = v * 10 + dv;
		c->p += n;
		count++;
	}
	*val = v;
	return count;
}

static const char *const range_seps[] = {
	"——", "—", "–", "－", "-", "~", "～", "至", "到", NULL
};

static bool eat_range_sep(struct cur *c)
{
	return eat_any(c, range_seps) > 0;
}

static bool eat_colon(struct cur *c)
{
	return eat(c, ":") || eat(c, "：");
}

/* ---- unknown words ------------------------------------------------------- */

static const char *const unknown_words[] = {
	"待确认", "待確認", "待确定", "待確定", "待定", "未定", "未知",
	"不详", "不詳", "不确定", "不確定", NULL
};

/* Eats an unknown word at c. */
static bool eat_unknown(struct cur *c)
{
	/* every unknown word starts with 待 未 不 (E5/E6/E4) or t: most cells
	 * (digits) are turned away on their first byte */
	if (left(c) && c->p[0] < 0x80 && (c->p[0] | 0x20) != 't')
		return false;
	return eat_any(c, unknown_words) > 0 || eat_ci(c, "tbd");
}

static bool cur_is_unknown(struct cur c)
{
	return eat_unknown(&c) && at_end(&c);
}

bool sales_value_is_unknown(const char *s, size_t len)
{
	return cur_is_unknown(cur_trimmed(s, len));
}

/* ---- calendar ------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil / civil_from_days, in 64 bits. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sales_days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

sales_date sales_date_from_ymd(int y, int m, int d)
{
	if (y < 1900 || y > 9999 || d < 1 || d > sales_days_in_month(y, m))
		return SALES_DATE_NONE;
	return (sales_date)days_from_civil(y, m, d);
}

void sales_date_to_ymd(sales_date d, int *y, int *m, int *day)
{
	int64_t yy = 0;
	int mm = 0, dd = 0;

	if (d != SALES_DATE_NONE)
		civil_from_days(d, &yy, &mm, &dd);
	if (y)
		*y = (int)yy;
	if (m)
		*m = mm;
	if (day)
		*day = dd;
}

int sales_date_weekday(sales_date d)
{
	int64_t r;

	if (d == SALES_DATE_NONE)
		return 0;
	r = ((int64_t)d % 7 + 7) % 7;	/* 0 = Thursday 1970-01-01 */
	return (int)((r + 3) % 7) + 1;
}

static void put_digits(char *buf, int value, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		buf[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

char *sales_date_format(sales_date d, char *buf)
{
	int y, m, day;

	buf[0] = '\0';
	if (d == SALES_DATE_NONE)
		return buf;
	sales_date_to_ymd(d, &y, &m, &day);
	if (y < 0 || y > 9999)
		return buf;
	put_digits(buf, y, 4);
	buf[4] = '-';
	put_digits(buf + 5, m, 2);
	buf[7] = '-';
	put_digits(buf + 8, day, 2);
	buf[10] = '\0';
	return buf;
}

sales_date sales_date_minus_year(sales_date d)
{
	int64_t y;
	int m, day;

	if (d == SALES_DATE_NONE)
		return SALES_DATE_NONE;
	civil_from_days(d, &y, &m, &day);
	if (m == 2 && day == 29)
		day = 28;
	return (sales_date)days_from_civil(y - 1, m, day);
}

int sales_date_quarter(sales_date d)
{
	int m;

	if (d == SALES_DATE_NONE)
		return 0;
	sales_date_to_ymd(d, NULL, &m, NULL);
	return (m - 1) / 3 + 1;
}

sales_date sales_quarter_first(int y, int q)
{
	if (q < 1 || q > 4)
		return SALES_DATE_NONE;
	return sales_date_from_ymd(y, 3 * q - 2, 1);
}

sales_date sales_quarter_last(int y, int q)
{
	if (q < 1 || q > 4)
		return SALES_DATE_NONE;
	return sales_date_from_ymd(y, 3 * q, sales_days_in_month(y, 3 * q));
}

/* ---- quarters ------------------------------------------------------------ */

static const char *const quarter_letters[] = { "Q", "q", "Ｑ", "ｑ", NULL };
static const char *const cjk_quarters[] = { "一", "二", "三", "四", NULL };

enum sales_value_status sales_parse_quarter(const char *s, size_t len,
					    int *year, int *quarter)
{
	struct cur c = cur_trimmed(s, len);
	long y, q = 0;

	*year = 0;
	*quarter = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (cur_is_unknown(c))
		return SALES_VALUE_UNKNOWN;
	if (read_uint(&c, &y) != 4)
		return SALES_VALUE_INVALID;
	skip_blanks(&c);
	if (eat(&c, "年")) {
		skip_blanks(&c);
		if (eat_any(&c, quarter_letters)) {
			if (read_uint(&c, &q) != 1)
				return SALES_VALUE_INVALID;
		} else {
			int cjk;

			eat(&c, "第");
			if ((cjk = eat_any(&c, cjk_quarters)) > 0)
				q = cjk;
			else if (read_uint(&c, &q) != 1)
				return SALES_VALUE_INVALID;
			if (!eat(&c, "季"))
				return SALES_VALUE_INVALID;
			eat(&c, "度");
		}
	} else {
		if (!eat(&c, "-"))
			eat(&c, "－");
		skip_blanks(&c);
		if (!eat_any(&c, quarter_letters) || read_uint(&c, &q) != 1)
			return SALES_VALUE_INVALID;
	}
	if (!at_end(&c) || q < 1 || q > 4 || y < 1900 || y > 9999)
		return SALES_VALUE_INVALID;
	*year = (int)y;
	*quarter = (int)q;
	return SALES_VALUE_OK;
}

/* ---- dates --------------------------------------------------------------- */

enum date_sep { SEP_NONE, SEP_DASH, SEP_SLASH, SEP_DOT, SEP_YEAR };

static enum date_sep eat_date_sep(struct cur *c)
{
	if (eat(c, "-") || eat(c, "－"))
		return SEP_DASH;
	if (eat(c, "/") || eat(c, "／"))
		return SEP_SLASH;
	if (eat(c, ".") || eat(c, "．"))
		return SEP_DOT;
	if (eat(c, "年"))
		return SEP_YEAR;
	return SEP_NONE;
}

static bool one_or_two(int ndigits)
{
	return ndigits == 1 || ndigits == 2;
}

/* Eats an optional Excel time part: blanks, then H:MM or H:MM:SS. */
static void eat_time(struct cur *c)
{
	struct cur t = *c;
	long h, mi, sec;

	if (!skip_blanks(&t))
		return;
	if (!one_or_two(read_uint(&t, &h)) || h > 23 || !eat_colon(&t) ||
	    read_uint(&t, &mi) != 2 || mi > 59)
		return;
	if (eat_colon(&t) && (read_uint(&t, &sec) != 2 || sec > 59))
		return;
	*c = t;
}

/* Results of the scanners below, which leave c alone unless they match. */
enum scan {
	SCAN_NONE = 0,
	SCAN_OK,
	SCAN_BAD,	/* the right shape, but no such day or month */
};

/* A two-digit year as Excel reads one: 00-29 are 20xx, 30-99 19xx. */
static long full_year(long yy)
{
	return yy < 30 ? 2000 + yy : 1900 + yy;
}

/*
 * The forms a spreadsheet writes a date in when it reformats one: 23年12月20日
 * (LibreOffice and Excel in a Chinese locale) and 12/20/23 or 12/20/2023
 * (an English locale, month first).  Read when unambiguous: a slash date is
 * month first unless its first part cannot be a month (20/12/23 is day
 * first); one whose two parts could both be the month (12/10/23) is not a
 * date here (validate.h says why).
 */
static enum scan scan_spreadsheet_date(struct cur *c, sales_date *out)
{
	struct cur t = *c;
	long a, b, y;
	int n;

	n = read_uint(&t, &a);
	if (n == 2 && eat(&t, "年")) {
		if (!one_or_two(read_uint(&t, &b)) || !eat(&t, "月") ||
		    !one_or_two(read_uint(&t, &y)))
			return SCAN_NONE;
		if (!eat(&t, "日"))
			eat(&t, "号");
		eat_time(&t);
		*out = sales_date_from_ymd((int)full_year(a), (int)b, (int)y);
	} else if (one_or_two(n) && (eat(&t, "/") || eat(&t, "／"))) {
		long m, d;

		if (!one_or_two(read_uint(&t, &b)) ||
		    !(eat(&t, "/") || eat(&t, "／")))
			return SCAN_NONE;
		n = read_uint(&t, &y);
		if (n != 2 && n != 4)
			return SCAN_NONE;
		if (n == 2)
			y = full_year(y);
		if (a > 12 && b <= 12) {
			d = a;
			m = b;
		} else if (a <= 12 && (b > 12 || a == b)) {
			m = a;
			d = b;
		} else {
			return SCAN_NONE;   /* 12/10/23: which is the month? */
		}
		eat_time(&t);
		*out = sales_date_from_ymd((int)y, (int)m, (int)d);
	} else {
		return SCAN_NONE;
	}
	if (*out == SALES_DATE_NONE)
		return SCAN_BAD;
	*c = t;
	return SCAN_OK;
}

/* A full date (with an optional time part) at c. */
static enum scan scan_date(struct cur *c, sales_date *out)
{
	struct cur t = *c;
	enum date_sep sep;
	long y, m, d;

	if (read_uint(&t, &y) != 4)
		return scan_spreadsheet_date(c, out);
	if ((sep = eat_date_sep(&t)) == SEP_NONE ||
	    !one_or_two(read_uint(&t, &m)))
		return SCAN_NONE;
	if (sep == SEP_YEAR ? !eat(&t, "月") : eat_date_sep(&t) != sep)
		return SCAN_NONE;
	if (!one_or_two(read_uint(&t, &d)))
		return SCAN_NONE;
	if (sep == SEP_YEAR && !eat(&t, "日"))
		eat(&t, "号");
	eat_time(&t);
	*out = sales_date_from_ymd((int)y, (int)m, (int)d);
	if (*out == SALES_DATE_NONE)
		return SCAN_BAD;
	*c = t;
	return SCAN_OK;
}

/* A month with its year at c: 2023.11, 2023-11, 2023/11, 2023年11月. */
static enum scan scan_month(struct cur *c, int *year, int *month)
{
	struct cur t = *c;
	enum date_sep sep;
	long y, m;

	if (read_uint(&t, &y) != 4 || (sep = eat_date_sep(&t)) == SEP_NONE ||
	    !one_or_two(read_uint(&t, &m)))
		return SCAN_NONE;
	if (sep == SEP_YEAR && !eat(&t, "月"))
		return SCAN_NONE;
	if (y < 1900 || y > 9999 || m < 1 || m > 12)
		return SCAN_BAD;
	*year = (int)y;
	*month = (int)m;
	*c = t;
	return SCAN_OK;
}

bool sales_date_ambiguous(const char *s, size_t len)
{
	struct cur c = cur_trimmed(s, len);
	long a, b, y;
	int n;

	if (!one_or_two(read_uint(&c, &a)) || !(eat(&c, "/") || eat(&c, "／")) ||
	    !one_or_two(read_uint(&c, &b)) || !(eat(&c, "/") || eat(&c, "／")))
		return false;
	n = read_uint(&c, &y);
	eat_time(&c);
	return (n == 2 || n == 4) && at_end(&c) && a >= 1 && a <= 12 &&
	       b >= 1 && b <= 12 && a != b;
}

/* The form most cells hold, 2023-10-10 (or with / or . between), read at
 * once: what scan_date makes of it, for a tenth of the work.  false for
 * anything else, a day that does not exist included (the scan then
 * judges it). */
static bool plain_date(const char *s, size_t len, sales_date *out)
{
	static const unsigned char digit_at[] = { 0, 1, 2, 3, 5, 6, 8, 9 };
	int v[10];

	if (len != 10 || (s[4] != '-' && s[4] != '/' && s[4] != '.') ||
	    s[7] != s[4])
		return false;
	for (size_t i = 0; i < sizeof(digit_at); i++) {
		unsigned char ch = (unsigned char)s[digit_at[i]];

		if (ch < '0' || ch > '9')
			return false;
		v[digit_at[i]] = ch - '0';
	}
	*out = sales_date_from_ymd(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3],
				   v[5] * 10 + v[6], v[8] * 10 + v[9]);
	return *out != SALES_DATE_NONE;
}

/* 1 or 2 ASCII digits at s[*i], their value; -1 for none or more. */
static int two_digits(const char *s, size_t len, size_t *i)
{
	int v = 0, n = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (++n > 2)
			return -1;
		v = v * 10 + (s[(*i)++] - '0');
	}
	return n ? v : -1;
}

/* The other short forms of a date a cell holds, 2022-1-2, 2022/1/12 (or
 * with .) and 2022年1月11日 (日 or 号, or neither), in ASCII digits: true
 * and *st as scan_date leads sales_parse_date to (OK, or INVALID for a
 * day that does not exist).  false for anything else: the scan judges
 * it. */
static bool short_date(const char *s, size_t len, sales_date *out,
		       enum sales_value_status *st)
{
	size_t i = 4;
	int y = 0, m, d;
	bool cjk;

	if (len < 8)
		return false;
	for (size_t k = 0; k < 4; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		y = y * 10 + (s[k] - '0');
	}
	cjk = len >= 7 && !memcmp(s + 4, "年", 3);
	if (cjk)
		i += 3;
	else if (s[4] == '-' || s[4] == '/' || s[4] == '.')
		i++;
	else
		return false;
	if ((m = two_digits(s, len, &i)) < 0)
		return false;
	if (cjk ? len - i < 3 || memcmp(s + i, "月", 3) : i >= len || s[i] != s[4])
		return false;
	i += cjk ? 3 : 1;
	if ((d = two_digits(s, len, &i)) < 0)
		return false;
	if (cjk && len - i == 3 &&
	    (!memcmp(s + i, "日", 3) || !memcmp(s + i, "号", 3)))
		i += 3;
	if (i != len)
		return false;
	*out = sales_date_from_ymd(y, m, d);
	*st = *out == SALES_DATE_NONE ? SALES_VALUE_INVALID : SALES_VALUE_OK;
	return true;
}

enum sales_value_status sales_parse_date(const char *s, size_t len,
					 sales_date *out)
{
	enum sales_value_status st;
	struct cur c;

	s = sales_trim(s, &len);
	if (plain_date(s, len, out))
		return SALES_VALUE_OK;
	if (short_date(s, len, out, &st))
		return st;
	c = cur_make(s, len);
	*out = SALES_DATE_NONE;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (cur_is_unknown(c))
		return SALES_VALUE_UNKNOWN;
	if (scan_date(&c, out) != SCAN_OK || !at_end(&c)) {
		*out = SALES_DATE_NONE;
		return SALES_VALUE_INVALID;
	}
	return SALES_VALUE_OK;
}

enum sales_value_status sales_parse_date_prefix(const char *s, size_t len,
						sales_date *out, size_t *used)
{
	/* leading blanks as sales_parse_date trims them (CR and LF too: a
	 * cell typed with Alt+Enter before its date) */
	size_t lead = sales_trim_head(s, len);
	struct cur c = cur_make(s + lead, len - lead);

	*out = SALES_DATE_NONE;
	*used = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (eat_unknown(&c)) {
		*used = (size_t)(c.p - (const unsigned char *)s);
		return SALES_VALUE_UNKNOWN;
	}
	if (scan_date(&c, out) != SCAN_OK)
		return SALES_VALUE_INVALID;
	*used = (size_t)(c.p - (const unsigned char *)s);
	return SALES_VALUE_OK;
}

enum sales_value_status sales_parse_month(const char *s, size_t len,
					  sales_date *first, sales_date *last)
{
	struct cur c = cur_trimmed(s, len);
	int y, m;

	*first = *last = SALES_DATE_NONE;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (cur_is_unknown(c))
		return SALES_VALUE_UNKNOWN;
	if (scan_month(&c, &y, &m) != SCAN_OK || !at_end(&c))
		return SALES_VALUE_INVALID;
	*first = sales_date_from_ymd(y, m, 1);
	*last = sales_date_from_ymd(y, m, sales_days_in_month(y, m));
	return SALES_VALUE_OK;
}

/* ---- periods ------------------------------------------------------------- */

/* Month and day without a year at c: 11.05, 11/05, 11-05, 11月5日. */
static bool scan_month_day(struct cur *c, int *month, int *day)
{
	struct cur t = *c;
	enum date_sep sep;
	long m, d;

	if (!one_or_two(read_uint(&t, &m)))
		return false;
	sep = eat_date_sep(&t);
	if (sep == SEP_YEAR || (sep == SEP_NONE && !eat(&t, "月")))
		return false;
	if (!one_or_two(read_uint(&t, &d)))
		return false;
	if (!eat(&t, "日"))
		eat(&t, "号");
	*month = (int)m;
	*day = (int)d;
	*c = t;
	return true;
}

/* A number of one or two digits followed by an optional suffix. */
static bool scan_small(struct cur *c, int *val, const char *suffix,
		       const char *alt_suffix)
{
	struct cur t = *c;
	long v;

	if (!one_or_two(read_uint(&t, &v)))
		return false;
	if (!eat(&t, suffix) && alt_suffix)
		eat(&t, alt_suffix);
	*val = (int)v;
	*c = t;
	return true;
}

/*
 * The end of a yearless period whose end fell before its start: the same
 * month and day a year later, if that keeps the period short.
 */
static sales_date wrapped_end(sales_date start, int y, int m, int d)
{
	sales_date e = sales_date_from_ymd(y + 1, m, d);

	if (e == SALES_DATE_NONE ||
	    (int64_t)e - start + 1 > SALES_RANGE_WRAP_MAX_DAYS)
		return SALES_DATE_NONE;
	return e;
}

enum sales_value_status sales_parse_date_range(const char *s, size_t len,
					       struct sales_date_range *out)
{
	struct cur c = cur_trimmed(s, len);
	sales_date start, end = SALES_DATE_NONE;
	bool by_month;
	int sy, sm, m, d;
	enum scan r;

	out->start = out->end = SALES_DATE_NONE;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (cur_is_unknown(c))
		return SALES_VALUE_UNKNOWN;

	r = scan_date(&c, &start);
	if (r == SCAN_BAD)
		return SALES_VALUE_INVALID;
	by_month = r == SCAN_NONE;
	if (by_month) {
		if (scan_month(&c, &sy, &sm) != SCAN_OK)
			return SALES_VALUE_INVALID;
		start = sales_date_from_ymd(sy, sm, 1);
		end = sales_date_from_ymd(sy, sm, sales_days_in_month(sy, sm));
	} else {
		sales_date_to_ymd(start, &sy, &sm, NULL);
		end = start;
	}

	skip_blanks(&c);
	if (at_end(&c))
		goto done;
	if (!eat_range_sep(&c))
		return SALES_VALUE_INVALID;
	skip_blanks(&c);

	if (!by_month) {
		r = scan_date(&c, &end);
		if (r == SCAN_BAD)
			return SALES_VALUE_INVALID;
		if (r == SCAN_NONE && scan_month_day(&c, &m, &d)) {
			end = sales_date_from_ymd(sy, m, d);
			if (end == SALES_DATE_NONE || end < start)
				end = wrapped_end(start, sy, m, d);
		} else if (r == SCAN_NONE) {
			if (!scan_small(&c, &d, "日", "号"))
				return SALES_VALUE_INVALID;
			end = sales_date_from_ymd(sy, sm, d);
		}
	} else {
		int ey, em;

		r = scan_month(&c, &ey, &em);
		if (r == SCAN_BAD)
			return SALES_VALUE_INVALID;
		if (r == SCAN_OK) {
			end = sales_date_from_ymd(ey, em, sales_days_in_month(ey, em));
		} else {
			if (!scan_small(&c, &em, "月", NULL) || em < 1 || em > 12)
				return SALES_VALUE_INVALID;
			end = sales_date_from_ymd(sy, em, sales_days_in_month(sy, em));
			if (end < start)
				end = wrapped_end(start, sy, em,
						  sales_days_in_month(sy + 1, em));
		}
	}
	if (!at_end(&c) || end == SALES_DATE_NONE || end < start)
		return SALES_VALUE_INVALID;
done:
	out->start = start;
	out->end = end;
	return SALES_VALUE_OK;
}

/* ---- numbers ------------------------------------------------------------- */

/* A decimal read exactly: the value is mant * 10^exp. */
struct decimal {
	uint64_t mant;
	int exp;
};

#define MAX_DIGITS 40

/*
 * Reads digits with optional ',' thousands separators (groups of three
 * after a first group of one to three) into buf as ASCII; returns how many
 * digits, 0 when there is none or more than MAX_DIGITS.  A ',' that does not
 * separate thousands is left unread.
 */
static int scan_grouped_digits(struct cur *c, char *buf)
{
	struct cur t = *c;
	int count = 0, group = 0, dv;
	bool grouped = false;
	size_t n;

	for (;;) {
		if ((dv = digit_at(&t, &n)) >= 0) {
			if (count == MAX_DIGITS)
				return 0;
			buf[count++] = (char)('0' + dv);
			group++;
			t.p += n;
			continue;
		}
		if (left(&t) > 0 && t.p[0] == ',' && count > 0 &&
		    (grouped ? group == 3 : group <= 3)) {
			struct cur ahead = t;
			long unused;

			ahead.p++;
			if (read_uint(&ahead, &unused) == 3) {
				t.p++;
				grouped = true;
				group = 0;
				continue;
			}
		}
		break;
	}
	if (count > 0)
		*c = t;
	return count;
}

/* Appends ASCII digits to a decimal, keeping 15 significant digits exactly
 * (so that the conversion to double rounds only once). */
static void decimal_add(struct decimal *d, const char *digits, int n,
			bool fraction)
{
	for (int i = 0; i < n; i++) {
		if (d->mant < 100000000000000ULL) {
			d->mant = d->mant * 10 + (uint64_t)(digits[i] - '0');
			if (fraction)
				d->exp--;
		} else if (!fraction) {
			d->exp++;
		}
	}
}

/* An unsigned decimal number at c: 1,200 or 258.5 (a '.' or '．'). */
static bool scan_decimal(struct cur *c, struct decimal *out)
{
	struct cur t = *c;
	char buf[MAX_DIGITS];
	int n;

	out->mant = 0;
	out->exp = 0;
	if ((n = scan_grouped_digits(&t, buf)) == 0)
		return false;
	decimal_add(out, buf, n, false);
	{
		struct cur f = t;
		int dv, count = 0;
		size_t len;

		if (eat(&f, ".") || eat(&f, "．")) {
			while ((dv = digit_at(&f, &len)) >= 0) {
				char ch = (char)('0' + dv);

				decimal_add(out, &ch, 1, true);
				f.p += len;
				count++;
			}
			if (count > 0)
				t = f;
		}
	}
	*c = t;
	return true;
}

static double pow10_of(int n)
{
	static const double exact[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};
	double r = 1.0;

	if (n <= 22)
		return exact[n];
	while (n-- > 0)
		r *= 10.0;
	return r;
}

/* The decimal's value times 10^shift. */
static double decimal_value(struct decimal d, int shift)
{
	int e = d.exp + shift;
	double v = (double)d.mant;

	return e >= 0 ? v * pow10_of(e) : v / pow10_of(-e);
}

/* Eats an optional sign; returns -1 for minus, 1 otherwise. */
static int eat_sign(struct cur *c)
{
	if (eat(c, "-") || eat(c, "－"))
		return -1;
	if (!eat(c, "+"))
		eat(c, "＋");
	return 1;
}

enum sales_value_status sales_parse_number(const char *s, size_t len,
					   double *out)
{
	struct cur c = cur_trimmed(s, len);
	struct decimal d;
	int sign;

	*out = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	sign = eat_sign(&c);
	if (!scan_decimal(&c, &d) || !at_end(&c))
		return SALES_VALUE_INVALID;
	*out = sign * decimal_value(d, 0);
	return SALES_VALUE_OK;
}

enum sales_value_status sales_parse_int(const char *s, size_t len, long *out)
{
	struct cur c = cur_trimmed(s, len);
	char buf[MAX_DIGITS];
	unsigned long v = 0, limit;
	int sign, n;

	*out = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	sign = eat_sign(&c);
	if ((n = scan_grouped_digits(&c, buf)) == 0 || !at_end(&c))
		return SALES_VALUE_INVALID;
	limit = sign < 0 ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	for (int i = 0; i < n; i++) {
		unsigned long dv = (unsigned long)(buf[i] - '0');

		if (v > (limit - dv) / 10)
			return SALES_VALUE_INVALID;
		v = v * 10 + dv;
	}
	if (sign < 0)
		*out = v == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)v;
	else
		*out = (long)v;
	return SALES_VALUE_OK;
}

enum sales_value_status sales_parse_percent(const char *s, size_t len,
					    double *out)
{
	struct cur c = cur_trimmed(s, len);
	struct decimal d;
	int sign, shift = 0;

	*out = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	sign = eat_sign(&c);
	if (!scan_decimal(&c, &d))
		return SALES_VALUE_INVALID;
	skip_blanks(&c);
	if (eat(&c, "%") || eat(&c, "％"))
		shift = -2;
	if (!at_end(&c))
		return SALES_VALUE_INVALID;
	*out = sign * decimal_value(d, shift);
	return SALES_VALUE_OK;
}

/* ---- amounts ------------------------------------------------------------- */

enum bound { BOUND_NONE, BOUND_ABOUT, BOUND_LO, BOUND_HI };

struct word_bound {
	const char *word;
	enum bound bound;
};

static const struct word_bound bound_prefixes[] = {
	{ ">=", BOUND_LO }, { "≥", BOUND_LO }, { ">", BOUND_LO },
	{ "＞", BOUND_LO }, { "超过", BOUND_LO }, { "大于", BOUND_LO },
	{ "多于", BOUND_LO }, { "高于", BOUND_LO }, { "不低于", BOUND_LO },
	{ "不少于", BOUND_LO }, { "至少", BOUND_LO },
	{ "<=", BOUND_HI }, { "≤", BOUND_HI }, { "<", BOUND_HI },
	{ "＜", BOUND_HI }, { "不超过", BOUND_HI }, { "小于", BOUND_HI },
	{ "少于", BOUND_HI }, { "低于", BOUND_HI }, { "不到", BOUND_HI },
	{ "不足", BOUND_HI }, { "最多", BOUND_HI },
	{ "大约", BOUND_ABOUT }, { "约", BOUND_ABOUT }, { "近", BOUND_ABOUT },
	{ NULL, BOUND_NONE }
};

static const struct word_bound bound_suffixes[] = {
	{ "及以上", BOUND_LO }, { "以上", BOUND_LO }, { "+", BOUND_LO },
	{ "＋", BOUND_LO }, { "及以下", BOUND_HI }, { "以下", BOUND_HI },
	{ "以内", BOUND_HI }, { "左右", BOUND_ABOUT }, { "上下", BOUND_ABOUT },
	{ NULL, BOUND_NONE }
};

static enum bound eat_bound(struct cur *c, const struct word_bound *list)
{
	for (int i = 0; list[i].word; i++)
		if (eat(c, list[i].word))
			return list[i].bound;
	return BOUND_NONE;
}

/* Two bounds said of one value: the same one twice is fine ("超过5亿以上"),
 * "about" gives way to a real bound, a lower and an upper one conflict. */
static bool merge_bounds(enum bound a, enum bound b, enum bound *out)
{
	if (a == BOUND_LO || a == BOUND_HI) {
		*out = a;
		return b == a || b == BOUND_NONE || b == BOUND_ABOUT;
	}
	*out = b == BOUND_NONE ? a : b;
	return true;
}

struct unit {
	const char *word;
	int exp;	/* 10^exp 万元 */
};

static const struct unit units[] = {
	{ "亿元", 4 }, { "亿", 4 }, { "千万元", 3 }, { "千万", 3 },
	{ "百万元", 2 }, { "百万", 2 }, { "万元", 0 }, { "万", 0 },
	{ "w", 0 }, { "W", 0 }, { "千元", -1 }, { "千", -1 }, { "k", -1 },
	{ "K", -1 }, { "元", -4 }, { NULL, 0 }
};

/* Eats a unit; returns false (and leaves *exp) when there is none. */
static bool eat_unit(struct cur *c, int *exp)
{
	for (int i = 0; units[i].word; i++) {
		if (eat(c, units[i].word)) {
			*exp = units[i].exp;
			return true;
		}
	}
	return false;
}

static const char *const currencies[] = { "￥", "¥", "人民币", "RMB", NULL };

/* One side of an amount: [currency] number [unit]. */
static bool scan_amount_value(struct cur *c, struct decimal *d, bool *has_unit,
			      int *exp)
{
	struct cur t = *c;

	if (eat_any(&t, currencies))
		skip_blanks(&t);
	if (!scan_decimal(&t, d))
		return false;
	*c = t;
	skip_blanks(&t);
	*has_unit = eat_unit(&t, exp);
	if (*has_unit)
		*c = t;
	return true;
}

/* An amount filling all of c (already trimmed, not blank, not unknown). */
static enum sales_value_status parse_amount_cur(struct cur c,
						struct sales_amount *out)
{
	struct decimal a, b;
	bool unit_a, unit_b = false, range = false;
	int exp_a = 0, exp_b = 0;
	enum bound pre, post, bound;
	struct cur t;

	pre = eat_bound(&c, bound_prefixes);
	skip_blanks(&c);
	if (!scan_amount_value(&c, &a, &unit_a, &exp_a))
		return SALES_VALUE_INVALID;
	t = c;
	skip_blanks(&t);
	if (eat_range_sep(&t)) {
		skip_blanks(&t);
		if (!scan_amount_value(&t, &b, &unit_b, &exp_b))
			return SALES_VALUE_INVALID;
		range = true;
		c = t;
	}
	skip_blanks(&c);
	post = eat_bound(&c, bound_suffixes);
	skip_blanks(&c);
	if (!at_end(&c) || !merge_bounds(pre, post, &bound))
		return SALES_VALUE_INVALID;

	if (!unit_a && unit_b)
		exp_a = exp_b;
	if (range && !unit_b)
		exp_b = exp_a;
	out->lo = decimal_value(a, exp_a);
	if (range) {
		if (bound == BOUND_LO || bound == BOUND_HI)
			return SALES_VALUE_INVALID;
		out->hi = decimal_value(b, exp_b);
		if (out->lo > out->hi)
			return SALES_VALUE_INVALID;
		out->flags = SALES_AMOUNT_LO | SALES_AMOUNT_HI;
	} else if (bound == BOUND_LO) {
		out->flags = SALES_AMOUNT_LO;
	} else if (bound == BOUND_HI) {
		out->hi = out->lo;
		out->lo = 0;
		out->flags = SALES_AMOUNT_HI;
	} else {
		out->hi = out->lo;
		out->flags = SALES_AMOUNT_LO | SALES_AMOUNT_HI;
	}
	return SALES_VALUE_OK;
}

enum sales_value_status sales_parse_amount_delta(const char *s, size_t len,
						 double *out)
{
	struct sales_amount a;
	enum sales_value_status st;
	double sign = 1;

	*out = 0;
	s = sales_trim(s, &len);
	if (!len)
		return SALES_VALUE_EMPTY;
	if (s[0] == '+' || s[0] == '-') {
		sign = s[0] == '-' ? -1 : 1;
		s++;
		len--;
	} else if (len >= 3 && !memcmp(s, "\xEF\xBC\x8D", 3)) {   /* － */
		sign = -1;
		s += 3;
		len -= 3;
	} else if (len >= 3 && !memcmp(s, "\xEF\xBC\x8B", 3)) {   /* ＋ */
		s += 3;
		len -= 3;
	}
	st = sales_parse_amount(s, len, &a);
	if (st != SALES_VALUE_OK)
		return st == SALES_VALUE_EMPTY ? SALES_VALUE_INVALID :
		       st == SALES_VALUE_UNKNOWN ? SALES_VALUE_INVALID : st;
	if (a.flags != (SALES_AMOUNT_LO | SALES_AMOUNT_HI) || a.lo != a.hi)
		return SALES_VALUE_INVALID;
	*out = sign * a.lo;
	return SALES_VALUE_OK;
}

/* The form most amount cells hold, 258 or 806.5 (ASCII digits, at most
 * 15 of them, so that decimal_add keeps every one), read at once: what
 * parse_amount_cur makes of it, for a fraction of the work.  false for
 * anything else (the scan then judges it). */
static bool plain_amount(const unsigned char *s, size_t len, double *out)
{
	struct decimal d = { 0, 0 };
	size_t i = 0;

	if (len == 0 || len > 16)
		return false;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		d.mant = d.mant * 10 + (uint64_t)(s[i] - '0');
	if (i == 0)
		return false;
	if (i < len) {
		if (s[i] != '.' || i + 1 == len)
			return false;
		for (i++; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			d.mant = d.mant * 10 + (uint64_t)(s[i] - '0');
			d.exp--;
		}
		if (len - 1 > 15)
			return false;
	} else if (len > 15) {
		return false;
	}
	*out = decimal_value(d, 0);
	return true;
}

enum sales_value_status sales_parse_amount(const char *s, size_t len,
					   struct sales_amount *out)
{
	struct cur c = cur_trimmed(s, len);
	enum sales_value_status st;

	memset(out, 0, sizeof(*out));
	if (plain_amount(c.p, left(&c), &out->lo)) {
		out->hi = out->lo;
		out->flags = SALES_AMOUNT_LO | SALES_AMOUNT_HI;
		return SALES_VALUE_OK;
	}
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (cur_is_unknown(c))
		return SALES_VALUE_UNKNOWN;
	st = parse_amount_cur(c, out);
	if (st != SALES_VALUE_OK)
		memset(out, 0, sizeof(*out));
	return st;
}

double sales_amount_mid(const struct sales_amount *a)
{
	bool lo = a->flags & SALES_AMOUNT_LO, hi = a->flags & SALES_AMOUNT_HI;

	if (lo && hi)
		return (a->lo + a->hi) / 2;
	if (lo)
		return a->lo;
	if (hi)
		return a->hi;
	return NAN;
}

/* ---- company size -------------------------------------------------------- */

static const char *const size_seps[] = {
	"/", "／", ",", "，", ";", "；", "、", NULL
};

/* The first byte of one of size_seps: the scan below tries them only
 * there (most bytes of a size are no separator). */
static bool may_start_size_sep(unsigned char b)
{
	return b == '/' || b == ',' || b == ';' || b == 0xEF || b == 0xE3;
}

static bool digit_before(const unsigned char *start, const unsigned char *p)
{
	size_t n = (size_t)(p - start);

	if (n >= 1 && p[-1] >= '0' && p[-1] <= '9')
		return true;
	return n >= 3 && p[-3] == 0xEF && p[-2] == 0xBC &&
	       p[-1] >= 0x90 && p[-1] <= 0x99;
}

/* True when the ',' at c separates thousands (1,000人). */
static bool is_thousands_comma(const unsigned char *start, struct cur c)
{
	long unused;

	if (c.p[0] != ',' || !digit_before(start, c.p))
		return false;
	c.p++;
	return read_uint(&c, &unused) == 3;
}

/* True when c holds 人 other than in 人民币. */
static bool mentions_people(struct cur c)
{
	while (!at_end(&c)) {
		if (eat(&c, "人民币"))
			continue;
		if (eat(&c, "人"))
			return true;
		c.p++;
	}
	return false;
}

static bool eat_label(struct cur *c, const char *const *labels)
{
	if (!eat_any(c, labels))
		return false;
	skip_blanks(c);
	eat_colon(c);
	skip_blanks(c);
	return true;
}

static const char *const employee_labels[] = {
	"员工人数", "员工数", "员工", "人数", NULL
};

static const char *const revenue_labels[] = {
	"年营业额", "营业额", "年营收", "营收", "年收入", "收入", "年销售额",
	"销售额", NULL
};

static bool scan_count(struct cur *c, long *out)
{
	char buf[MAX_DIGITS];
	int n = scan_grouped_digits(c, buf);

	if (n == 0 || n > 9)
		return false;
	*out = 0;
	for (int i = 0; i < n; i++)
		*out = *out * 10 + (buf[i] - '0');
	return true;
}

/* "500-1000人", "1000人以上", "50人以下", "约200人", "员工500人". */
static bool parse_employees(struct cur c, long *lo, long *hi)
{
	enum bound pre, post, bound;
	bool range = false, people;
	struct cur t;
	long a, b = 0;

	eat_label(&c, employee_labels);
	pre = eat_bound(&c, bound_prefixes);
	skip_blanks(&c);
	if (!scan_count(&c, &a))
		return false;
	skip_blanks(&c);
	people = eat(&c, "人");
	t = c;
	skip_blanks(&t);
	if (eat_range_sep(&t)) {
		skip_blanks(&t);
		if (!scan_count(&t, &b))
			return false;
		skip_blanks(&t);
		people = eat(&t, "人") || people;
		range = true;
		c = t;
	}
	skip_blanks(&c);
	post = eat_bound(&c, bound_suffixes);
	skip_blanks(&c);
	if (!people)
		people = eat(&c, "人");
	if (!people || !at_end(&c) || !merge_bounds(pre, post, &bound))
		return false;
	if (range) {
		if (bound == BOUND_LO || bound == BOUND_HI || a > b)
			return false;
		*lo = a;
		*hi = b;
	} else if (bound == BOUND_LO) {
		*lo = a;
		*hi = -1;
	} else if (bound == BOUND_HI) {
		*lo = 0;
		*hi = a;
	} else {
		*lo = *hi = a;
	}
	return true;
}

/* One part of a size; *unknown is set for an unknown word. */
static enum sales_value_status parse_size_part(struct cur part,
					       struct sales_size *out,
					       int *unknown)
{
	skip_blanks(&part);
	trim_end(&part);
	if (at_end(&part))
		return SALES_VALUE_OK;
	if (cur_is_unknown(part)) {
		(*unknown)++;
		return SALES_VALUE_OK;
	}
	if (mentions_people(part)) {
		if (out->has_employees ||
		    !parse_employees(part, &out->emp_lo, &out->emp_hi))
			return SALES_VALUE_INVALID;
		out->has_employees = true;
		return SALES_VALUE_OK;
	}
	if (out->has_revenue)
		return SALES_VALUE_INVALID;
	if (eat_label(&part, revenue_labels) && cur_is_unknown(part)) {
		(*unknown)++;
		return SALES_VALUE_OK;
	}
	if (at_end(&part) || parse_amount_cur(part, &out->revenue) != SALES_VALUE_OK)
		return SALES_VALUE_INVALID;
	out->has_revenue = true;
	return SALES_VALUE_OK;
}

enum sales_value_status sales_parse_size(const char *s, size_t len,
					 struct sales_size *out)
{
	struct cur c = cur_trimmed(s, len), part = c;
	const unsigned char *start = c.p;
	enum sales_value_status st = SALES_VALUE_OK;
	int parts = 0, unknown = 0;

	memset(out, 0, sizeof(*out));
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (cur_is_unknown(c))
		return SALES_VALUE_UNKNOWN;
	for (;;) {
		struct cur sep = c;

		if (at_end(&c) || (may_start_size_sep(*c.p) &&
				   !is_thousands_comma(start, c) &&
				   eat_any(&sep, size_seps))) {
			part.end = c.p;
			if (++parts > 2) {
				st = SALES_VALUE_INVALID;
				break;
			}
			st = parse_size_part(part, out, &unknown);
			if (st != SALES_VALUE_OK || at_end(&c))
				break;
			c = sep;
			part.p = c.p;
			continue;
		}
		c.p++;
	}
	if (st == SALES_VALUE_OK && !out->has_employees && !out->has_revenue)
		st = unknown ? SALES_VALUE_UNKNOWN : SALES_VALUE_INVALID;
	if (st != SALES_VALUE_OK)
		memset(out, 0, sizeof(*out));
	return st;
}

/* ---- grades and priorities ----------------------------------------------- */

static const char *const grade_suffixes[] = { "类", "類", "级", "級", NULL };

enum sales_value_status sales_parse_grade(const char *s, size_t len,
					  char *grade)
{
	struct cur c = cur_trimmed(s, len);
	const unsigned char *p = c.p;
	int g = -1;

	*grade = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (p[0] >= 'A' && p[0] <= 'C') {
		g = p[0] - 'A';
		c.p++;
	} else if (p[0] >= 'a' && p[0] <= 'c') {
		g = p[0] - 'a';
		c.p++;
	} else if (left(&c) >= 3 && p[0] == 0xEF && p[1] == 0xBC &&
		   p[2] >= 0xA1 && p[2] <= 0xA3) {	/* Ａ..Ｃ */
		g = p[2] - 0xA1;
		c.p += 3;
	} else if (left(&c) >= 3 && p[0] == 0xEF && p[1] == 0xBD &&
		   p[2] >= 0x81 && p[2] <= 0x83) {	/* ａ..ｃ */
		g = p[2] - 0x81;
		c.p += 3;
	}
	if (g < 0)
		return SALES_VALUE_INVALID;
	eat_any(&c, grade_suffixes);
	if (!at_end(&c))
		return SALES_VALUE_INVALID;
	*grade = (char)('A' + g);
	return SALES_VALUE_OK;
}

static const char *const priority_words[] = { "低", "中", "高", NULL };

/* The priority named by the text inside the parentheses, or 0. */
static int priority_in(struct cur c)
{
	int level;

	skip_blanks(&c);
	trim_end(&c);
	if (eat(&c, "优先级")) {
		skip_blanks(&c);
		eat_colon(&c);
		skip_blanks(&c);
	}
	level = eat_any(&c, priority_words);
	if (level && !eat(&c, "优先级"))
		eat(&c, "优先");
	return at_end(&c) ? level : 0;
}

enum sales_value_status sales_parse_priority(const char *s, size_t len,
					     int *priority, size_t *name_len)
{
	struct cur c = cur_trimmed(s, len), inner;
	const unsigned char *base = (const unsigned char *)s, *open = NULL;
	size_t close;

	*priority = 0;
	*name_len = 0;
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	*name_len = (size_t)(c.end - base);
	if (c.end[-1] == ')')
		close = 1;
	else if (left(&c) >= 3 && !memcmp(c.end - 3, "）", 3))
		close = 3;
	else
		return SALES_VALUE_OK;
	for (const unsigned char *p = c.end - close; p > c.p; p--) {
		if (p[-1] == '(') {
			open = p - 1;
			break;
		}
		if (p - c.p >= 3 && !memcmp(p - 3, "（", 3)) {
			open = p - 3;
			break;
		}
	}
	if (!open)
		return SALES_VALUE_OK;
	inner.p = open + (*open == '(' ? 1 : 3);
	inner.end = c.end - close;
	if ((*priority = priority_in(inner)) == 0)
		return SALES_VALUE_OK;
	inner.p = base;
	inner.end = open;
	trim_end(&inner);
	*name_len = left(&inner);
	return SALES_VALUE_OK;
}

/* ---- phone numbers ------------------------------------------------------- */

#define PHONE_MAX 20

/* Excel's scientific form of a long number: 1.38E+10.  Writes the digits it
 * stands for. */
static bool scan_scientific(struct cur c, char *buf, size_t *n)
{
	char mant[PHONE_MAX];
	size_t k = 0;
	long e;
	int ndig;

	if (at_end(&c) || c.p[0] < '0' || c.p[0] > '9')
		return false;
	mant[k++] = (char)c.p[0];
	c.p++;
	if (eat(&c, ".")) {
		while (!at_end(&c) && c.p[0] >= '0' && c.p[0] <= '9') {
			if (k == PHONE_MAX)
				return false;
			mant[k++] = (char)c.p[0];
			c.p++;
		}
	}
	if (!eat(&c, "E") && !eat(&c, "e"))
		return false;
	eat(&c, "+");
	ndig = read_uint(&c, &e);
	if (ndig < 1 || ndig > 2 || !at_end(&c) || (size_t)e + 1 < k ||
	    e + 1 > PHONE_MAX)
		return false;
	memcpy(buf, mant, k);
	memset(buf + k, '0', (size_t)e + 1 - k);
	*n = (size_t)e + 1;
	return true;
}

/* An extension after 转 / 分机 / ext: 1-8 digits and nothing else. */
static bool valid_extension(struct cur c)
{
	long unused;
	int n;

	skip_blanks(&c);
	if (!eat(&c, "."))
		eat_colon(&c);
	skip_blanks(&c);
	n = read_uint(&c, &unused);
	skip_blanks(&c);
	return n >= 1 && n <= 8 && at_end(&c);
}

/* A mainland mobile: 1, then 3-9, then 9 digits. */
static bool mobile_digits(const char *d, size_t n)
{
	return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* 0, an area code and a 7-8 digit number: 010 and 02x are three digits
 * with the trunk 0, every other area code four. */
static bool landline_digits(const char *d, size_t n)
{
	size_t area;

	if (n < 10 || n > 12 || d[0] != '0')
		return false;
	area = d[1] == '1' || d[1] == '2' ? 3 : 4;
	return n - area >= 7 && n - area <= 8;
}

/* 400 and 800 service numbers: the prefix and 7 digits. */
static bool service_digits(const char *d, size_t n)
{
	return n == 10 && (!memcmp(d, "400", 3) || !memcmp(d, "800", 3));
}

static bool complete_number(const char *d, size_t n)
{
	return mobile_digits(d, n) || landline_digits(d, n) ||
	       service_digits(d, n);
}

static const char *const phone_separators[] = {
	".", "．", "(", ")", "（", "）", NULL
};
static const char *const phone_masks[] = { "*", "＊", "x", "X", NULL };
static const char *const phone_ext_words[] = { "转", "分机", NULL };

enum sales_value_status sales_parse_phone(const char *s, size_t len,
					  char *digits, size_t cap,
					  unsigned *flags)
{
	struct cur c = cur_trimmed(s, len);
	char buf[PHONE_MAX + 2];
	char *d = buf + 1;	/* room to put back a trunk 0 */
	size_t n = 0, masks = 0, cc = 0, last_dash = 0, total;
	bool plus = false, foreign = false, dash = false, first_mask = false;
	unsigned f = 0;

	*flags = 0;
	if (digits && cap)
		digits[0] = '\0';
	if (at_end(&c))
		return SALES_VALUE_EMPTY;
	if (scan_scientific(c, d, &n)) {
		f = SALES_PHONE_MANGLED;
		goto write;
	}
	while (!at_end(&c)) {
		size_t len_d;
		int dv = digit_at(&c, &len_d);

		if (dv >= 0) {
			if (n == PHONE_MAX)
				return SALES_VALUE_INVALID;
			d[n++] = (char)('0' + dv);
			c.p += len_d;
		} else if (skip_blanks(&c) || eat_any(&c, phone_separators)) {
			continue;
		} else if (eat(&c, "-") || eat(&c, "－")) {
			dash = true;
			last_dash = n;
		} else if (eat(&c, "+") || eat(&c, "＋")) {
			if (n || masks || plus)
				return SALES_VALUE_INVALID;
			plus = true;
		} else if (eat_any(&c, phone_ext_words) || eat_ci(&c, "ext")) {
			if (!valid_extension(c) || n == 0)
				return SALES_VALUE_INVALID;
			break;
		} else if (eat_any(&c, phone_masks)) {
			if (n == 0 && masks == 0)
				first_mask = true;
			masks++;
		} else {
			return SALES_VALUE_INVALID;
		}
	}
	if (n == 0 && masks == 0)
		return SALES_VALUE_INVALID;

	if (plus) {
		if (n >= 2 && d[0] == '8' && d[1] == '6')
			cc = 2;
		else
			foreign = true;
	} else if (n >= 4 && !memcmp(d, "0086", 4)) {
		cc = 4;
	} else if (n + masks == 13 && !memcmp(d, "861", 3)) {
		cc = 2;
	}
	if (cc) {
		if (masks && n == cc)
			return SALES_VALUE_INVALID;
		d += cc;
		n -= cc;
		last_dash = last_dash > cc ? last_dash - cc : 0;
		if (n + masks >= 9 && n + masks <= 11 && d[0] != '0' &&
		    !(n + masks == 11 && d[0] == '1') &&
		    !service_digits(d, n + masks)) {
			*--d = '0';
			n++;
			last_dash++;
		}
	}
	if (dash && !masks && last_dash > 0 && n - last_dash >= 1 &&
	    n - last_dash <= 5 && complete_number(d, last_dash))
		n = last_dash;

	total = n + masks;
	if (!foreign && !first_mask && n > 1) {
		if (mobile_digits(d, total))
			f |= SALES_PHONE_MOBILE;
		else if (landline_digits(d, total))
			f |= SALES_PHONE_LANDLINE;
		else if (service_digits(d, total))
			f |= SALES_PHONE_SERVICE;
	}
	if (n >= 15 && !memcmp(d + n - 3, "000", 3))
		f |= SALES_PHONE_MANGLED;
	if (n < 7 || masks)
		f |= SALES_PHONE_PARTIAL;
write:
	if (digits) {
		if (cap < n + 1)
			return SALES_VALUE_INVALID;
		memcpy(digits, d, n);
		digits[n] = '\0';
	}
	*flags = f;
	return SALES_VALUE_OK;
}

bool sales_value_is_formula(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	if (len == 0)
		return false;
	if (p[0] != '\0' && strchr("=+-@\t\r", p[0]))
		return true;
	return len >= 3 && p[0] == 0xEF && p[1] == 0xBC &&
	       (p[2] == 0x9D || p[2] == 0x8B || p[2] == 0x8D || p[2] == 0xA0);
}
