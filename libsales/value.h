/*
 * value.h - the values people type into the sheets: dates, periods, amounts,
 * percentages, grades, priorities and phone numbers.
 *
 * Contract:
 *  - Every parser takes a UTF-8 byte range (s, len); s need not be
 *    NUL-terminated and is never written.  Surrounding blanks are ignored
 *    as sales_trim() (text.h) removes them: ASCII space, tab, CR, LF,
 *    U+3000 (ideographic space) and U+00A0 (no-break space).  Full-width digits U+FF10..U+FF19 count as digits everywhere.
 *  - Parsers return an enum sales_value_status and write their outputs only
 *    through the pointers given; on anything but SALES_VALUE_OK the outputs
 *    hold neutral values (0, SALES_DATE_NONE, an empty string), never stale
 *    ones.  SALES_VALUE_EMPTY is returned for a blank cell by every parser.
 *    SALES_VALUE_UNKNOWN (a whole cell saying 待确认, 待確認, 待确定, 待定,
 *    未定, 未知, 不详, 不詳, 不确定 or TBD) is returned only by the date,
 *    period, quarter, amount and company-size parsers; the others call such a
 *    cell INVALID (ask sales_value_is_unknown() when that matters).
 *  - Nothing here allocates, prints, exits, reads the locale or keeps state:
 *    every function is reentrant.  Output buffers belong to the caller.
 *  - Numbers are converted without strtod, so a caller's setlocale() cannot
 *    change how "258.5" reads.
 *  - A sales_date counts days since 1970-01-01 in the proleptic Gregorian
 *    calendar; parsers and sales_date_from_ymd() accept years 1900..9999.
 */
#ifndef SALES_VALUE_H
#define SALES_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t sales_date;	/* days since 1970-01-01 (proleptic Gregorian) */
#define SALES_DATE_NONE INT32_MIN

enum sales_value_status {
	SALES_VALUE_OK = 0,
	SALES_VALUE_EMPTY,	/* empty or only blanks */
	SALES_VALUE_UNKNOWN,	/* 待确认 / 待定 / 未知 / 不详 / TBD ... */
	SALES_VALUE_INVALID,	/* does not parse */
};

/* True when the trimmed cell is one of the "not known yet" words above. */
bool sales_value_is_unknown(const char *s, size_t len);

/* ---- dates --------------------------------------------------------------- */

/* Returns the date, or SALES_DATE_NONE if y-m-d is not a real calendar day
 * or y is outside 1900..9999. */
sales_date sales_date_from_ymd(int y, int m, int d);

/* Splits d into year, month (1..12) and day (1..31); any pointer may be NULL.
 * SALES_DATE_NONE gives 0, 0, 0. */
void sales_date_to_ymd(sales_date d, int *y, int *m, int *day);

/* Returns 1 (Monday) .. 7 (Sunday), as ISO 8601; 0 for SALES_DATE_NONE. */
int sales_date_weekday(sales_date d);

/* Returns 28..31, or 0 when m is not 1..12. */
int sales_days_in_month(int y, int m);

/*
 * Writes "YYYY-MM-DD" and a NUL into buf, which must hold 11 bytes; returns
 * buf.  SALES_DATE_NONE, and a date outside years 0..9999, give "".
 */
char *sales_date_format(sales_date d, char *buf);

/* Returns the same day one year earlier; 29 February gives 28 February.
 * SALES_DATE_NONE gives SALES_DATE_NONE.  The result is not range-checked
 * (1900-01-01 gives 1899-01-01). */
sales_date sales_date_minus_year(sales_date d);

/* Returns the quarter 1..4 of d, 0 for SALES_DATE_NONE. */
int sales_date_quarter(sales_date d);

/* Return the first / last day of quarter q (1..4) of year y, or
 * SALES_DATE_NONE when q or y is out of range. */
sales_date sales_quarter_first(int y, int q);
sales_date sales_quarter_last(int y, int q);

/*
 * Parses a quarter: "2023Q4", "2023q4", "2023-Q4", "2023 Q4", "2023年Q4",
 * "2023年第4季度", "2023年第四季度" (季 without 度 too).  On OK sets *year and
 * *quarter (1..4); otherwise sets both to 0.
 */
enum sales_value_status sales_parse_quarter(const char *s, size_t len,
					    int *year, int *quarter);

/*
 * Parses one date, and nothing else.  Accepted: 2023-10-10, 2023/10/10,
 * 2023.10.10 (both separators alike; the full-width －／． count as - / .),
 * 2023年10月10日 (日 may be 号 or missing), unpadded 2023-1-5; the year has
 * four digits, month and day one or two.  An Excel time part after blanks,
 * "14:30" or "14:30:59" (a full-width colon too), is checked and ignored.
 * A day that does not exist (2023-02-30) is INVALID.  *out is the date, or
 * SALES_DATE_NONE unless OK.
 * Also the forms a spreadsheet rewrites a date into, when unambiguous:
 * 23年12月20日 (two-digit years: 00-29 are 20xx, 30-99 19xx, as Excel
 * reads them) and the slash forms 12/20/23, 12/20/2023 (month first, as
 * an English-locale Excel or LibreOffice writes them; day first when the
 * first part cannot be a month, 20/12/23).  12/10/23, where either part
 * could be the month, is INVALID (sales_date_ambiguous says so).
 */
enum sales_value_status sales_parse_date(const char *s, size_t len,
					 sales_date *out);

/* true for a slash date whose day and month cannot be told apart
 * (12/10/23, 3/4/2024): both parts 1-12 and different. */
bool sales_date_ambiguous(const char *s, size_t len);

/*
 * Parses a date (as sales_parse_date) at the start of s and ignores what
 * follows it: "2024.04.10回访" gives 2024-04-10.  *used is the number of bytes
 * of s taken by leading blanks, the date and its time part (10 here); 0 unless
 * OK or UNKNOWN.  A date running into more digits ("2024.04.101") is INVALID.
 * A cell starting with an unknown word (待定回访) is UNKNOWN.
 */
enum sales_value_status sales_parse_date_prefix(const char *s, size_t len,
						sales_date *out, size_t *used);

/*
 * Parses a month only: "2023.11", "2023-11", "2023/11", "2023年11月".  A full
 * date is INVALID here.  On OK *first and *last are the month's first and last
 * day.  Beware that Excel turns a typed 2023.10 into the number 2023.1, which
 * this reads as January.
 */
enum sales_value_status sales_parse_month(const char *s, size_t len,
					  sales_date *first, sales_date *last);

struct sales_date_range {
	sales_date start, end;	/* both inclusive */
};

/* How long a period may be when its end had no year of its own and had to be
 * taken in the next year ("2023.12.28-01.03"), in days, both ends counted. */
#define SALES_RANGE_WRAP_MAX_DAYS 92

/*
 * Parses a period.  The start is a date or a month (as above).  The
 * separator is -, －, ~, ～, —, ——, –, 至 or 到, blanks allowed around it.
 * After a date start the end is a full date, or month and day
 * ("11.05", "11/05", "11-05", "11月5日") taking the start's year, or a day
 * ("05", "5日") taking its year and month.  After a month start the end is a
 * month with a year ("2024.11") or without ("12", "12月").  A month counts
 * from its first to its last day ("2023.11-2024.11" is 2023-11-01 ..
 * 2024-11-30, the contract-term form).  A single date or month alone is a
 * period of that day or month.
 *
 * When an end written without a year (month and day, or a month) falls
 * before the start, it is moved to the next year if the period then lasts
 * at most SALES_RANGE_WRAP_MAX_DAYS ("2023.12.28-01.03" is 2023-12-28 ..
 * 2024-01-03).  Otherwise an end before the start is INVALID
 * ("2023.11.01-10.05", "2023.11.05-01", "2023.11.05-2023.11.01").
 *
 * "2023-11-01-2023-11-05" works; "2023-11-12" is the day, not November to
 * December.  On failure both ends are SALES_DATE_NONE.
 */
enum sales_value_status sales_parse_date_range(const char *s, size_t len,
					       struct sales_date_range *out);

/* ---- amounts (万元, the sheets' unit) -------------------------------------- */

#define SALES_AMOUNT_LO 1u	/* lo is set */
#define SALES_AMOUNT_HI 2u	/* hi is set */

struct sales_amount {
	double lo, hi;		/* in 万元; 0 when the flag is clear */
	unsigned flags;
};

/*
 * Parses an amount in 万元.  A bare number is already 万元 ("258", "258.5",
 * "1,200" with thousands separators in groups of three).  Units: 元, 千(元),
 * 万(元), w/W, 百万(元), 千万(元), 亿(元), k/K (thousand 元); blanks allowed
 * before the unit; ￥, ¥ or 人民币 in front.  "约 258万" and "258万左右" are
 * 258.  A range "200-300万" (also ~ ～ 至 到 — –, "200万-300万", "200万-3亿")
 * gives lo..hi; a unit missing on one side is taken from the other.  A lower
 * bound only: "5亿以上", "5亿及以上", "5亿+", ">5亿", "≥5亿", "超过5亿",
 * "大于5亿", "不低于5亿"; an upper bound only: "1亿以下", "1亿以内", "<1亿",
 * "≤1亿", "不超过1亿", "小于1亿", "低于1亿".  A single value sets both flags
 * with lo == hi.  Negative numbers, lo > hi and anything left over are
 * INVALID.  out is zeroed unless OK.
 */
enum sales_value_status sales_parse_amount(const char *s, size_t len,
					   struct sales_amount *out);

/*
 * A change of an amount in 万元, as changes.csv 费用调整(万元) holds it: one
 * amount as sales_parse_amount reads it ("12", "12万", "8000元"), with an
 * optional sign in front ("+12", "-5", full-width "－5"); blanks allowed
 * after the sign.  A range, a bound or an unknown word is INVALID.  *out
 * is the signed value (0 unless OK).
 */
enum sales_value_status sales_parse_amount_delta(const char *s, size_t len,
						 double *out);

/* Returns the midpoint of lo..hi, or the one bound that is set; NAN when
 * neither flag is set. */
double sales_amount_mid(const struct sales_amount *a);

/*
 * Company size, "500-1000人/5亿以上": an employees part and a revenue part,
 * in either order, separated by '/', '／', ',', '，', ';', '；' or '、' (a
 * ',' between digits followed by three digits is a thousands separator).
 * Either part may be missing ("300人", "1亿以下").  The part holding 人 is the
 * employees: "500-1000人", "500人-1000人", "1000人以上", "1000+人",
 * "50人以下" (0..50), "约200人", "200人左右", "员工500人"; the other part is
 * read by sales_parse_amount() after an optional 营收/年营收/收入/年收入/
 * 营业额/销售额 label.  A part that is an unknown word is left out; a cell
 * whose every part is unknown is UNKNOWN.  Two parts of the same kind, or
 * more than two parts, are INVALID.  out is zeroed unless OK.
 */
struct sales_size {
	bool has_employees;
	long emp_lo, emp_hi;	/* emp_hi = -1 when open ended ("以上") */
	bool has_revenue;
	struct sales_amount revenue;
};

enum sales_value_status sales_parse_size(const char *s, size_t len,
					 struct sales_size *out);

/* ---- plain numbers ------------------------------------------------------- */

/*
 * Parses a rate as a fraction: "12%" gives 0.12, "-2%" -0.02, "+10%" 0.10,
 * "12.5%" 0.125, full-width ％ too; a number without % is already a fraction
 * ("0.12" gives 0.12).  *out is 0 unless OK.
 */
enum sales_value_status sales_parse_percent(const char *s, size_t len,
					    double *out);

/* Parses a plain decimal number: optional sign, digits with optional
 * thousands separators, optional fraction ("258", "-3.5", "1,200").  No
 * exponent, no units.  *out is 0 unless OK. */
enum sales_value_status sales_parse_number(const char *s, size_t len,
					   double *out);

/* Parses a whole number (sign and thousands separators allowed); INVALID on
 * overflow of long or anything else.  *out is 0 unless OK. */
enum sales_value_status sales_parse_int(const char *s, size_t len, long *out);

/* ---- labels -------------------------------------------------------------- */

/*
 * Parses a lead grade: "A类", "A", "a", "A级", "Ａ类", "ａ", "A類", "A級" give
 * 'A' (also B and C).  Anything else is INVALID.  *grade is 0 unless OK.
 */
enum sales_value_status sales_parse_grade(const char *s, size_t len,
					  char *grade);

/*
 * Splits "自动化分拣设备(高)" (or "（高）", mixed parentheses too) into the name
 * and a priority: 3 for 高, 2 for 中, 1 for 低; "高优先级", "优先级高" and
 * "优先级:高" are accepted inside the parentheses.  *name_len is the length
 * of the name measured from s itself: s[0 .. *name_len) is the name, with the
 * blanks before the parenthesis (and trailing blanks) dropped but leading
 * blanks kept.  Without a priority in parentheses at the end (including
 * "设备(进口)") the result is OK with *priority 0 and *name_len the length of
 * s without trailing blanks.  A blank cell is EMPTY (0, 0).
 */
enum sales_value_status sales_parse_priority(const char *s, size_t len,
					     int *priority, size_t *name_len);

/* ---- phone numbers ------------------------------------------------------- */

#define SALES_PHONE_MANGLED 1u	/* Excel scientific notation, or 15+ digits ending in 000 */
#define SALES_PHONE_MOBILE 2u	/* 11 digits: 1, then 3-9, then 9 digits */
#define SALES_PHONE_LANDLINE 4u	/* 0 + area code (010, 02x; else 4 digits) + 7-8 digits */
#define SALES_PHONE_PARTIAL 8u	/* fewer than 7 digits, or masked ("138****5678") */
#define SALES_PHONE_SERVICE 16u	/* 400 or 800 + 7 digits */

/* A digits buffer of this size always suffices. */
#define SALES_PHONE_DIGITS_MAX 24

/*
 * Reads one phone number.  Writes its digits (no '+', blanks, dashes, dots
 * or parentheses) and a NUL into digits (cap bytes; with digits NULL only
 * *flags is set).  A leading +86 / 0086 country code is dropped, and so is
 * a bare 86 before an 11-digit mobile; after +86 a landline gets its trunk 0
 * back ("+86 10 8888 6666" gives 01088886666).  An extension after 转, 分机, ext
 * or a last '-' that follows a complete mobile or landline
 * ("010-88886666-123") is checked and left out of digits.  Mask characters
 * (* ＊ x X) are left out of digits and set PARTIAL; MOBILE and LANDLINE
 * are judged with masked positions counted ("138****5678" is MOBILE|PARTIAL).
 * A foreign number (+ and another code) gets neither.  Excel's scientific
 * form "1.38E+10" is OK with MANGLED and the digits it stands for
 * ("13800000000"), never MOBILE.
 *
 * Returns INVALID for anything else (letters, two numbers in one cell, more
 * than 20 digits) and when digits cannot hold the result; then digits is ""
 * (if cap > 0) and *flags 0.
 */
enum sales_value_status sales_parse_phone(const char *s, size_t len,
					  char *digits, size_t cap,
					  unsigned *flags);

/*
 * True when Excel/WPS would run the cell as a formula: its first byte (not
 * trimmed: " =1" is text) is '=', '+', '-', '@', tab or CR, or its first
 * character is a full-width ＝ ＋ － ＠.
 */
bool sales_value_is_formula(const char *s, size_t len);

#endif
