#include "validate.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "kpi.h"
#include "targets.h"
#include "text.h"

/* ---- which dates record something done ---- */

static const struct {
	enum sales_sheet_id sheet;
	int col;
} event_dates[] = {
	{ SALES_LEADS, LEAD_LAST_CONTACT },
	{ SALES_LEADS, LEAD_REGISTERED },
	{ SALES_SURVEYS, SURVEY_DATE },
	{ SALES_SOLUTIONS, SOL_SUBMITTED },
	{ SALES_SOLUTIONS, SOL_REVIEWED },
	{ SALES_CONTRACTS, CON_SIGNED },
	{ SALES_CONTRACTS, CON_PAID },
	{ SALES_ACCEPTANCE, ACC_DATE },
	{ SALES_FOLLOWUPS, FU_DATE },
	{ SALES_EXCEPTIONS, EXC_APPROVED },
	{ SALES_CHANGES, CHG_APPROVED },
};

bool sales_column_is_event_date(enum sales_sheet_id id, int col)
{
	for (size_t i = 0; i < sizeof(event_dates) / sizeof(event_dates[0]); i++)
		if (event_dates[i].sheet == id && event_dates[i].col == col)
			return true;
	return false;
}

bool sales_phone_acceptable(unsigned flags)
{
	return !(flags & (SALES_PHONE_MANGLED | SALES_PHONE_PARTIAL)) &&
	       (flags & (SALES_PHONE_MOBILE | SALES_PHONE_LANDLINE |
			 SALES_PHONE_SERVICE));
}

/* A whole-number column with a range of its own (a rule, not the type). */
static bool int_range(enum sales_sheet_id id, int col, long *lo, long *hi)
{
	if (id == SALES_FOLLOWUPS && col == FU_SATISFACTION) {
		*lo = 1;
		*hi = 5;
	} else if (id == SALES_LEADS && col == LEAD_SCORE) {
		*lo = 0;
		*hi = 100;
	} else if (id == SALES_LEADS && col == LEAD_NO) {
		*lo = 1;
		*hi = 999999999;
	} else {
		return false;
	}
	return true;
}

/* ---- messages ---- */

static enum sales_cell_status say(struct sales_buf *why,
				  enum sales_cell_status st,
				  const struct sales_column_def *c,
				  const char *v, size_t len,
				  const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Sets why to "<header> '<value>' " and fmt's text; returns st. */
static enum sales_cell_status say(struct sales_buf *why,
				  enum sales_cell_status st,
				  const struct sales_column_def *c,
				  const char *v, size_t len,
				  const char *fmt, ...)
{
	const char *t = _(fmt);
	va_list ap;
	char text[512];

	if (!why)
		return st;
	if (!strchr(t, '%')) {
		/* no conversions: the text as vsnprintf would copy it */
		size_t n = strnlen(t, sizeof(text) - 1);

		memcpy(text, t, n);
		text[n] = '\0';
	} else {
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), t, ap);
		va_end(ap);
	}
	sales_buf_reset(why);
	if (strcmp(_("%s '%.*s' %s"), "%s '%.*s' %s")) {
		sales_buf_printf(why, _("%s '%.*s' %s"), c->zh, (int)len, v, text);
		return st;
	}
	/* the frame as it is: its pieces copied, no printf (%.*s stops at
	 * a NUL) */
	sales_buf_addstr(why, c->zh);
	sales_buf_add(why, " '", 2);
	sales_buf_add(why, v, strnlen(v, len));
	sales_buf_add(why, "' ", 2);
	sales_buf_addstr(why, text);
	return st;
}

static void enum_list(const char *const *values, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; values[i] && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s",
				      i == 0 ? "" : values[i + 1] ? _(", ") : _(" or "),
				      values[i]);
}

/* Excel's day number for a date typed into a cell formatted as a number
 * (45292 is 2024-01-01); true and *d when s looks like one. */
static bool excel_serial(const char *s, size_t len, sales_date *d)
{
	long v = 0;

	if (len != 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 20000 || v > 80000)
		return false;
	/* serial 1 is 1900-01-01, and Excel counts a 1900-02-29 */
	*d = sales_date_from_ymd(1900, 1, 1) + (sales_date)(v - 2);
	return true;
}

static bool all_hashes(const char *s, size_t len)
{
	if (len < 2)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '#')
			return false;
	return true;
}

static enum sales_cell_status bad_date(const struct sales_column_def *c,
				       const char *s, size_t len,
				       struct sales_buf *why)
{
	sales_date d;
	char buf[11];

	if (excel_serial(s, len, &d))
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is an Excel serial number (it stands for %s): format the column as a date or as text"),
			   sales_date_format(d, buf));
	if (all_hashes(s, len))
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is what Excel shows when the column is too narrow for the date: widen it and save again"));
	if (sales_date_ambiguous(s, len))
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is ambiguous: a spreadsheet wrote the date with the month first (12/10/23 is 10 December 2023 in an English locale) or the day first; type it as YYYY-MM-DD"));
	return say(why, SALES_CELL_INVALID, c, s, len,
		   _("is not a date (expected 2023-10-10, 2023/10/10, 2023.10.10 or 2023年10月10日)"));
}

/* A number that is no phone but is a landline with a 0 in front: what a
 * spreadsheet leaves of 02112345678 (2112345678). */
static bool lost_leading_zero(const char *s, size_t len)
{
	char buf[64];
	unsigned flags = 0;

	/* area codes are 010, 02x and 03xx-09xx: a number starting with 1
	 * lost no zero unless it is 10… (and then is no mobile missing a
	 * digit) */
	if (len == 0 || len + 2 > sizeof(buf) || s[0] < '1' || s[0] > '9' ||
	    (s[0] == '1' && (len < 2 || s[1] != '0')))
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	buf[0] = '0';
	memcpy(buf + 1, s, len);
	return sales_parse_phone(buf, len + 1, NULL, 0, &flags) ==
		       SALES_VALUE_OK &&
	       (flags & SALES_PHONE_LANDLINE) && sales_phone_acceptable(flags);
}

bool sales_cell_damaged(const char *value, struct sales_buf *why)
{
	return sales_cell_damaged_n(value, strlen(value), why);
}

bool sales_cell_damaged_n(const char *value, size_t n, struct sales_buf *why)
{
	const char *s = value;
	size_t i = 0, digits = 0;

	/* the first byte first: most cells are turned away on it before
	 * their end is trimmed (a cell of blanks has no first byte either
	 * way) */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] < '1' || s[i] > '9')
		return false;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	/* d.ddd…E+nn with 10 or more digits meant: a long digit string
	 * (an ID number, an account) that a spreadsheet read as a number */
	if (i < n && s[i] >= '1' && s[i] <= '9') {
		size_t j = i + 1;

		if (j < n && s[j] == '.')
			for (j++; j < n && s[j] >= '0' && s[j] <= '9'; j++)
				digits++;
		if (j + 2 < n && (s[j] == 'E' || s[j] == 'e') && s[j + 1] == '+') {
			long e = 0;
			size_t k;

			for (k = j + 2; k < n && s[k] >= '0' && s[k] <= '9'; k++)
				e = e * 10 + (s[k] - '0');
			if (k == n && k > j + 2 && e >= 9 && e >= (long)digits) {
				if (why) {
					sales_buf_reset(why);
					sales_buf_printf(why,
						"'%.*s' is a number in scientific notation: a spreadsheet read a %ld-digit string as a number and kept %zu of its digits; the rest are gone: retype it and format the column as text",
						(int)(n - i), s + i, e + 1, digits + 1);
				}
				return true;
			}
		}
	}
	return false;
}

static enum sales_cell_status bad_phone(const struct sales_column_def *c,
					const char *s, size_t len,
					enum sales_value_status vs,
					unsigned flags, struct sales_buf *why)
{
	if (vs == SALES_VALUE_OK && (flags & SALES_PHONE_MANGLED))
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("was mangled by Excel into a number: its last digits are lost; retype it and format the column as text"));
	if (vs == SALES_VALUE_OK && (flags & SALES_PHONE_PARTIAL) &&
	    (flags & (SALES_PHONE_MOBILE | SALES_PHONE_LANDLINE |
		      SALES_PHONE_SERVICE)))
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is masked: type the whole number"));
	if (lost_leading_zero(s, len))
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is a landline that lost its leading zero (0%.*s): a spreadsheet read it as a number; type it with the 0 and format the column as text"),
			   (int)len, s);
	return say(why, SALES_CELL_INVALID, c, s, len,
		   _("is not a phone number (expected a mobile 1[3-9] and 9 digits, a landline 0, area code and 7-8 digits, or a 400/800 number; +86 in front and an extension after are allowed)"));
}

/* A 08 目标值 or 实际值: in the unit of the row's metric when known. */
static enum sales_cell_status kpi_value(const struct sales_column_def *c,
					const char *s, size_t len,
					const char *const *row,
					double *x, struct sales_buf *why)
{
	const char *metric = row ? row[KPI_METRIC] : NULL;
	int m = metric ? sales_kpi_find(metric, strlen(metric)) : -1;

	if (m >= 0) {
		if (sales_kpi_parse_target((enum sales_kpi_id)m, s, len, x))
			return SALES_CELL_OK;
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is not %s for %s"),
			   sales_kpi_defs[m].unit == SALES_KPI_RATE ?
			   _("a percentage (e.g. 15%)") :
			   sales_kpi_defs[m].unit == SALES_KPI_AMOUNT ?
			   _("an amount in 万元 (e.g. 200 or 150万)") :
			   _("a number of days (e.g. 45)"),
			   sales_kpi_defs[m].name);
	}
	for (int i = 0; i < SALES_KPI_COUNT; i++)
		if (sales_kpi_parse_target((enum sales_kpi_id)i, s, len, x))
			return SALES_CELL_OK;
	return say(why, SALES_CELL_INVALID, c, s, len,
		   _("is not a percentage, an amount or a number of days"));
}

/* A targets.csv 月份, 指标 or 目标值 (targets.h): one month; a metric of
 * targets.h; a value in the unit of the row's 指标 when it names one. */
static enum sales_cell_status target_cell(const struct sales_column_def *c,
					  int col, const char *s, size_t len,
					  const char *const *row,
					  struct sales_buf *why)
{
	const char *metric = row ? row[TGT_METRIC] : NULL;
	int m = metric ? sales_target_metric_find(metric, strlen(metric)) : -1;
	sales_date first, last;
	double x;

	switch (col) {
	case TGT_MONTH:
		if (sales_parse_month(s, len, &first, &last) == SALES_VALUE_OK)
			return SALES_CELL_OK;
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is not a month (e.g. 2024-01)"));
	case TGT_METRIC:
		if (sales_target_metric_find(s, len) >= 0)
			return SALES_CELL_OK;
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is not a target metric (expected 签约金额, 回款金额, 新增线索, 赢单数 or a KPI of 08-kpi.csv such as 线索转化率)"));
	case TGT_TARGET:
		if (m < 0) {
			for (int i = 0; i < SALES_NTARGET_METRICS + SALES_KPI_COUNT; i++)
				if (sales_target_parse_value(i, s, len, &x))
					return SALES_CELL_OK;
			return say(why, SALES_CELL_INVALID, c, s, len,
				   _("is not a number"));
		}
		if (sales_target_parse_value(m, s, len, &x))
			return SALES_CELL_OK;
		return say(why, SALES_CELL_INVALID, c, s, len,
			   m >= SALES_NTARGET_METRICS ?
			   _("is not a value of that KPI (a percentage, 万元 or days)") :
			   m <= SALES_TGT_PAID_AMOUNT ? _("is not an amount in 万元") :
			   _("is not a whole number"));
	}
	return SALES_CELL_OK;
}

/* ---- the judgment ---- */

/* What a column of each type expects, for the one message of its type. */
static const char *expected(const struct sales_column_def *c)
{
	switch (c->type) {
	case SALES_COL_DATE_RANGE:
		return _("is not a period (expected 2023.11.01-11.05)");
	case SALES_COL_MONTH:
		return _("is not a month or span of months (expected 2023.11-2024.11)");
	case SALES_COL_AMOUNT:
		return _("is not an amount in 万元 (expected 258, 258.5 or 258万)");
	case SALES_COL_AMOUNT_RANGE:
		return _("is not an amount or range in 万元 (expected 258, 200-300万, 5亿以上 or 待确认)");
	case SALES_COL_AMOUNT_DELTA:
		return _("is not a change in 万元 (expected +12, -5 or 12万)");
	case SALES_COL_PERCENT:
		return _("is not a percentage (expected 12%)");
	case SALES_COL_GRADE:
		return _("is not a grade (expected A类, B类 or C类)");
	case SALES_COL_INTEGER:
		return _("is not a whole number");
	case SALES_COL_SIZE:
		return _("is not a company size (expected employees and/or revenue, e.g. 500-1000人/5亿以上)");
	case SALES_COL_QUARTER:
		return _("is not a quarter (expected 2023Q4)");
	case SALES_COL_DATE_PREFIX:
		return _("does not start with a date (expected 2024.04.10回访)");
	default:
		return _("is not valid");
	}
}

/* The value.h parse of s as a column of c's type: fills the member of
 * that type, p->vs and p->parsed.  The first step of judge, and all that
 * sales_cell_parse adds for a cell some sheet's own rule judged without
 * it. */
static enum sales_value_status parse_as(const struct sales_column_def *c,
					const char *s, size_t len,
					struct sales_cell_parsed *p)
{
	enum sales_value_status vs;

	p->date = SALES_DATE_NONE;
	p->phone = 0;
	p->num = 0;
	p->grade = 0;
	p->enum_index = -1;
	switch (c->type) {
	case SALES_COL_DATE:
		vs = sales_parse_date(s, len, &p->date);
		break;
	case SALES_COL_DATE_RANGE:
	case SALES_COL_MONTH:
		vs = sales_parse_date_range(s, len, &p->range);
		break;
	case SALES_COL_AMOUNT:
	case SALES_COL_AMOUNT_RANGE:
		vs = sales_parse_amount(s, len, &p->amount);
		break;
	case SALES_COL_AMOUNT_DELTA:
		vs = sales_parse_amount_delta(s, len, &p->number);
		break;
	case SALES_COL_PERCENT:
		vs = sales_parse_percent(s, len, &p->number);
		break;
	case SALES_COL_GRADE:
		vs = sales_parse_grade(s, len, &p->grade);
		break;
	case SALES_COL_ENUM:
		p->enum_index = sales_enum_find(c->values, s, len);
		vs = p->enum_index >= 0 ? SALES_VALUE_OK : SALES_VALUE_INVALID;
		break;
	case SALES_COL_PHONE:
		vs = sales_parse_phone(s, len, p->digits, sizeof(p->digits),
				       &p->phone);
		break;
	case SALES_COL_INTEGER:
		vs = sales_parse_int(s, len, &p->num);
		break;
	case SALES_COL_SIZE:
		vs = sales_parse_size(s, len, &p->size);
		break;
	case SALES_COL_QUARTER:
		vs = sales_parse_quarter(s, len, &p->year, &p->quarter);
		break;
	case SALES_COL_DATE_PREFIX:
		vs = sales_parse_date_prefix(s, len, &p->date, &p->used);
		break;
	default:   /* text and timestamps are taken as they are */
		p->vs = SALES_VALUE_OK;
		p->parsed = false;
		return SALES_VALUE_OK;
	}
	p->vs = vs;
	p->parsed = vs == SALES_VALUE_OK || vs == SALES_VALUE_UNKNOWN;
	return vs;
}

/* p->s and p->len are set; judge fills in the rest as far as it parses. */
static enum sales_cell_status judge(enum sales_sheet_id id, int col,
				    const struct sales_column_def *c,
				    const char *s, size_t len,
				    const char *const *row, sales_date today,
				    struct sales_buf *why,
				    struct sales_cell_parsed *p, bool have)
{
	enum sales_value_status vs;
	enum sales_cell_status st;
	char list[256];
	long lo, hi;

	p->parsed = false;
	/* the cells sales_cell_reads_row names */
	if (id == SALES_TARGETS) {
		p->vs = SALES_VALUE_OK;
		return target_cell(c, col, s, len, row, why);
	}
	if (id == SALES_KPI && (col == KPI_TARGET || col == KPI_ACTUAL)) {
		st = kpi_value(c, s, len, row, &p->number, why);
		p->vs = SALES_VALUE_OK;
		p->parsed = st == SALES_CELL_OK;
		return st;
	}
	/* have: the caller read the value as parse_as would (p->vs, and the
	 * member of c's type) */
	vs = have ? p->vs : parse_as(c, s, len, p);
	switch (c->type) {
	case SALES_COL_DATE:
		if (vs == SALES_VALUE_INVALID)
			return bad_date(c, s, len, why);
		break;
	case SALES_COL_AMOUNT:
		if (vs == SALES_VALUE_OK &&
		    (p->amount.flags != (SALES_AMOUNT_LO | SALES_AMOUNT_HI) ||
		     p->amount.lo != p->amount.hi))
			return say(why, SALES_CELL_INVALID, c, s, len,
				   _("is a range or a bound, not one amount in 万元 (expected 258, 258.5 or 258万)"));
		break;
	case SALES_COL_ENUM:
		if (vs == SALES_VALUE_OK)
			return SALES_CELL_OK;
		enum_list(c->values, list, sizeof(list));
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is not one of %s"), list);
	case SALES_COL_PHONE:
		if (vs != SALES_VALUE_OK || !sales_phone_acceptable(p->phone))
			return bad_phone(c, s, len, vs, p->phone, why);
		return SALES_CELL_OK;
	case SALES_COL_INTEGER:
		if (vs == SALES_VALUE_OK && int_range(id, col, &lo, &hi) &&
		    (p->num < lo || p->num > hi))
			return hi == 999999999 ?
			       say(why, SALES_CELL_RULE, c, s, len,
				   _("is not a whole number above 0")) :
			       say(why, SALES_CELL_RULE, c, s, len,
				   _("is not from %ld to %ld"), lo, hi);
		break;
	case SALES_COL_TEXT:
	case SALES_COL_TIMESTAMP:
		return SALES_CELL_OK;
	default:
		break;
	}
	if (vs == SALES_VALUE_UNKNOWN) {
		if (!sales_column_is_event_date(id, col) &&
		    !(c->flags & SALES_COLF_REQUIRED))
			return SALES_CELL_OK;
		return say(why, SALES_CELL_INVALID, c, s, len,
			   _("is not known yet, but %s needs a value"), c->zh);
	}
	if (vs != SALES_VALUE_OK)
		return say(why, SALES_CELL_INVALID, c, s, len, _("%s"), expected(c));
	if (today != SALES_DATE_NONE && p->date != SALES_DATE_NONE &&
	    p->date > today && sales_column_is_event_date(id, col)) {
		char buf[11];

		return say(why, SALES_CELL_RULE, c, s, len,
			   _("lies in the future (today is %s)"),
			   sales_date_format(today, buf));
	}
	return SALES_CELL_OK;
}

static bool known_column(enum sales_sheet_id id, int col)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);

	return def && col >= 0 && (size_t)col < def->ncolumns;
}

enum sales_cell_status sales_cell_parse(enum sales_sheet_id id, int col,
					const char *value,
					const char *const *row,
					sales_date today,
					struct sales_cell_parsed *p,
					struct sales_buf *why)
{
	enum sales_cell_status st;

	p->parsed = false;
	p->s = value ? value : "";
	p->len = value ? strlen(value) : 0;
	p->s = sales_trim(p->s, &p->len);
	if (!known_column(id, col) || !p->len)
		return SALES_CELL_OK;
	st = judge(id, col, &sales_sheet_def(id)->columns[col], p->s, p->len,
		   row, today, why, p, false);
	/* a sheet's own rule may judge a cell without parsing it: the
	 * caller gets its value all the same */
	if (st == SALES_CELL_OK && !p->parsed)
		parse_as(&sales_sheet_def(id)->columns[col], p->s, p->len, p);
	return st;
}

enum sales_cell_status sales_cell_check(enum sales_sheet_id id, int col,
					const char *value,
					const char *const *row,
					sales_date today, struct sales_buf *why)
{
	size_t len = value ? strlen(value) : 0;
	const char *s = sales_trim(value ? value : "", &len);

	return sales_cell_check_trimmed(id, col, s, len, row, today, why);
}

bool sales_cell_any_text(enum sales_sheet_id id, int col)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	enum sales_coltype t;

	if (!def || col < 0 || (size_t)col >= def->ncolumns)
		return true;   /* judged by nothing */
	t = def->columns[col].type;
	/* judge takes a text or timestamp as it is, unless the sheet's own
	 * rule reads it (targets.csv; 08 目标值 and 实际值) */
	return (t == SALES_COL_TEXT || t == SALES_COL_TIMESTAMP) &&
	       !sales_cell_reads_row(id, col);
}

bool sales_cell_reads_row(enum sales_sheet_id id, int col)
{
	return id == SALES_TARGETS ||
	       (id == SALES_KPI && (col == KPI_TARGET || col == KPI_ACTUAL));
}

enum sales_cell_status sales_cell_check_trimmed(enum sales_sheet_id id,
						int col, const char *s,
						size_t len,
						const char *const *row,
						sales_date today,
						struct sales_buf *why)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	const struct sales_column_def *c;
	struct sales_cell_parsed p;

	if (!def || col < 0 || (size_t)col >= def->ncolumns || !len)
		return SALES_CELL_OK;
	c = &def->columns[col];
	if (sales_cell_any_text(id, col))
		return SALES_CELL_OK;   /* no call of judge then */
	/* the verdict only: judge's parse, not sales_cell_parse's second one */
	p.s = s;
	p.len = len;
	return judge(id, col, c, s, len, row, today, why, &p, false);
}

enum sales_cell_status sales_cell_check_date(enum sales_sheet_id id, int col,
					     const char *s, size_t len,
					     enum sales_value_status vs,
					     sales_date d, sales_date today,
					     struct sales_buf *why)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct sales_cell_parsed p;

	if (!def || col < 0 || (size_t)col >= def->ncolumns || !len)
		return SALES_CELL_OK;
	if (def->columns[col].type != SALES_COL_DATE)
		return sales_cell_check_trimmed(id, col, s, len, NULL, today,
						why);
	/* what parse_as leaves for a date */
	p.s = s;
	p.len = len;
	p.vs = vs;
	p.date = vs == SALES_VALUE_OK ? d : SALES_DATE_NONE;
	p.parsed = vs == SALES_VALUE_OK || vs == SALES_VALUE_UNKNOWN;
	return judge(id, col, &def->columns[col], s, len, NULL, today, why, &p,
		     true);
}

enum sales_cell_status sales_cell_value(enum sales_sheet_id id, int col,
					const char *value, sales_date today,
					struct sales_buf *out,
					struct sales_buf *why)
{
	struct sales_cell_parsed p;
	const struct sales_column_def *c;
	enum sales_cell_status st;
	char buf[11];
	size_t len;
	const char *s;
	int rc;

	st = sales_cell_parse(id, col, value, NULL, today, &p, why);
	if (st != SALES_CELL_OK || !known_column(id, col) || !p.len)
		return st;
	s = p.s;
	len = p.len;
	c = &sales_sheet_def(id)->columns[col];
	/* 01's dates are written as YYYY-MM-DD (lead moves write that form);
	 * other sheets keep a date as it was typed (the seed's 2023.12.20) */
	if (c->type == SALES_COL_DATE && p.date != SALES_DATE_NONE &&
	    id == SALES_LEADS)
		rc = sales_buf_addstr(out, sales_date_format(p.date, buf));
	else if (c->type == SALES_COL_GRADE)
		rc = sales_buf_printf(out, "%c类", p.grade);
	else if (c->type == SALES_COL_ENUM && p.enum_index >= 0)
		rc = sales_buf_addstr(out, c->values[p.enum_index]);
	else if (c->type == SALES_COL_INTEGER)
		rc = sales_buf_printf(out, "%ld", p.num);
	else
		rc = sales_buf_add(out, s, len);
	if (rc < 0) {
		if (why) {
			sales_buf_reset(why);
			sales_buf_addstr(why, "out of memory");
		}
		return SALES_CELL_INVALID;
	}
	return SALES_CELL_OK;
}

int sales_cell_error(enum sales_cell_status st, const char *where,
		     const struct sales_buf *why, struct sales_error *err)
{
	const char *w = why && why->data ? why->data : _("invalid value");

	return sales_error_set(err, st == SALES_CELL_RULE ? SALES_ERULE :
			       SALES_EVALUE, NULL, 0, 0, "%s%s%s",
			       where ? where : "", where && *where ? ": " : "", w);
}

enum sales_cell_status sales_cell_team_check(const struct sales_context *ctx,
					     enum sales_sheet_id id, int col,
					     const char *value,
					     struct sales_buf *why)
{
	const struct sales_column_def *c;
	char name[256];
	size_t len;
	const char *s;

	/* no roster (a new workbook, or team.csv missing): nobody to check
	 * against, and check agrees (approvals, which need a role, name the
	 * missing file: sales_team_require) */
	if (!ctx || !ctx->nteam || !known_column(id, col) || !value)
		return SALES_CELL_OK;
	c = &sales_sheet_def(id)->columns[col];
	if (!(c->flags & SALES_COLF_TEAM))
		return SALES_CELL_OK;
	len = strlen(value);
	s = sales_trim(value, &len);
	if (!len)
		return SALES_CELL_OK;
	if (len < sizeof(name)) {   /* a copy, not snprintf: a call per cell */
		memcpy(name, s, len);
		name[len] = '\0';
		if (sales_team_standing(ctx, name, NULL, 0, NULL) == SALES_TEAM_OK)
			return SALES_CELL_OK;
	}
	return say(why, SALES_CELL_RULE, c, s, len, _("is not in team.csv"));
}
