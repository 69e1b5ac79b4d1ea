/*
 * calendar.c - working days under mainland China's holiday arrangements;
 * see calendar.h for the contract.
 *
 * Listed days live in one array sorted by date.  Names are interned in a
 * pool of separately allocated strings, so the pointers handed out by
 * sales_calendar_lookup() stay valid while the arrays grow; consecutive rows
 * of one holiday share one copy.
 */
#include "calendar.h"
#include "buf.h"
#include "i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct listed_day {
	sales_date date;
	enum sales_day_kind kind;
	const char *name;	/* in cal->names, or NULL */
};

struct sales_calendar {
	struct listed_day *days;	/* sorted by date, no duplicates */
	size_t ndays, days_alloc;
	char **names;			/* owned strings */
	size_t nnames, names_alloc;
};

struct sales_calendar *sales_calendar_new(void)
{
	return calloc(1, sizeof(struct sales_calendar));
}

void sales_calendar_free(struct sales_calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->nnames; i++)
		free(cal->names[i]);
	free(cal->names);
	free(cal->days);
	free(cal);
}

/*
 * Sets *pooled to cal's copy of name (NULL for NULL), sharing the copy with
 * the previous row when it has the same name.  Returns 0, or -1 (ENOMEM).
 */
static int intern(struct sales_calendar *cal, const char *name,
		  const char **pooled)
{
	char *copy;

	*pooled = NULL;
	if (!name)
		return 0;
	if (cal->nnames && !strcmp(cal->names[cal->nnames - 1], name)) {
		*pooled = cal->names[cal->nnames - 1];
		return 0;
	}
	if (SALES_ALLOC_GROW(cal->names, cal->nnames + 1, cal->names_alloc) < 0) {
		errno = ENOMEM;
		return -1;
	}
	copy = strdup(name);
	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	cal->names[cal->nnames++] = copy;
	*pooled = copy;
	return 0;
}

/* Returns the index of the first listed day on or after d. */
static size_t lower_bound(const struct sales_calendar *cal, sales_date d)
{
	size_t lo = 0, hi = cal ? cal->ndays : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->days[mid].date < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int sales_calendar_add(struct sales_calendar *cal, sales_date d,
		       enum sales_day_kind kind, const char *name)
{
	const char *pooled;
	size_t i;

	if (!cal || d == SALES_DATE_NONE ||
	    (kind != SALES_DAY_OFF && kind != SALES_DAY_WORK)) {
		errno = EINVAL;
		return -1;
	}
	/* Allocate first: a failure leaves the listed days as they were. */
	if (SALES_ALLOC_GROW(cal->days, cal->ndays + 1, cal->days_alloc) < 0) {
		errno = ENOMEM;
		return -1;
	}
	if (intern(cal, name, &pooled) < 0)
		return -1;

	i = lower_bound(cal, d);
	if (i == cal->ndays || cal->days[i].date != d) {
		memmove(cal->days + i + 1, cal->days + i,
			(cal->ndays - i) * sizeof(*cal->days));
		cal->ndays++;
	}
	cal->days[i] = (struct listed_day){ d, kind, pooled };
	return 0;
}

bool sales_calendar_year_known(const struct sales_calendar *cal, int year)
{
	sales_date first = sales_date_from_ymd(year, 1, 1);
	sales_date last = sales_date_from_ymd(year, 12, 31);
	size_t i;

	if (!cal || first == SALES_DATE_NONE || last == SALES_DATE_NONE)
		return false;
	i = lower_bound(cal, first);
	return i < cal->ndays && cal->days[i].date <= last;
}

enum sales_day_kind sales_calendar_lookup(const struct sales_calendar *cal,
					  sales_date d, const char **name)
{
	size_t i = lower_bound(cal, d);

	if (name)
		*name = NULL;
	if (!cal || i == cal->ndays || cal->days[i].date != d)
		return 0;
	if (name)
		*name = cal->days[i].name;
	return cal->days[i].kind;
}

/* The rule itself: kind is d's listed kind (0 when not listed). */
static bool workday_rule(enum sales_day_kind kind, int weekday)
{
	if (kind == SALES_DAY_OFF)
		return false;
	return kind == SALES_DAY_WORK || weekday <= 5;
}

bool sales_calendar_is_workday(const struct sales_calendar *cal, sales_date d)
{
	if (d == SALES_DATE_NONE)
		return false;
	return workday_rule(sales_calendar_lookup(cal, d, NULL),
			    sales_date_weekday(d));
}

sales_date sales_calendar_add_workdays(const struct sales_calendar *cal,
				       sales_date start, int n)
{
	size_t ndays = cal ? cal->ndays : 0;
	long long left = n < 0 ? -(long long)n : n;
	int step = n < 0 ? -1 : 1;
	int weekday;
	sales_date d = start;
	size_t i;

	if (start == SALES_DATE_NONE)
		return SALES_DATE_NONE;
	weekday = sales_date_weekday(start);
	/*
	 * i walks the listed days alongside d: forward it is the first listed
	 * day after d, backward one past the last listed day before d.
	 */
	i = lower_bound(cal, start);
	if (step > 0 && i < ndays && cal->days[i].date == start)
		i++;
	while (left > 0) {
		enum sales_day_kind kind = 0;

		if (step > 0 ? d == INT32_MAX : d == SALES_DATE_NONE + 1)
			return SALES_DATE_NONE;
		d += step;
		weekday = step > 0 ? weekday % 7 + 1 : (weekday + 5) % 7 + 1;
		if (step > 0 && i < ndays && cal->days[i].date == d)
			kind = cal->days[i++].kind;
		else if (step < 0 && i > 0 && cal->days[i - 1].date == d)
			kind = cal->days[--i].kind;
		if (workday_rule(kind, weekday))
			left--;
	}
	return d;
}

/* Floor division for a possibly negative numerator. */
static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * Returns the number of Monday-Fridays on or before d, counted from an
 * arbitrary origin: only differences mean anything.  Day 4 (1970-01-05) is
 * a Monday.
 */
static long long weekdays_through(sales_date d)
{
	long long t = (long long)d - 4;
	long long weeks = floor_div(t, 7);
	long long into_week = t - weeks * 7;	/* 0 = Monday .. 6 = Sunday */

	return weeks * 5 + (into_week < 5 ? into_week + 1 : 5);
}

int sales_calendar_workdays_between(const struct sales_calendar *cal,
				    sales_date a, sales_date b)
{
	long long count;

	if (a == SALES_DATE_NONE || b == SALES_DATE_NONE || a == b)
		return 0;
	if (b < a)
		return -sales_calendar_workdays_between(cal, b, a);

	count = weekdays_through(b) - weekdays_through(a);
	/* Listed days in (a, b] only matter where they change the rule. */
	for (size_t i = lower_bound(cal, a + 1);
	     cal && i < cal->ndays && cal->days[i].date <= b; i++) {
		int weekday = sales_date_weekday(cal->days[i].date);

		if (cal->days[i].kind == SALES_DAY_OFF && weekday <= 5)
			count--;
		else if (cal->days[i].kind == SALES_DAY_WORK && weekday > 5)
			count++;
	}
	return count > INT_MAX ? INT_MAX : (int)count;
}

/*
 * The explanation line: pieces are appended whole or not at all, so a line
 * cut short by a small buffer never ends inside a character.
 */
struct line {
	char *buf;
	size_t size, len;
	bool full;
};

static void line_puts(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (l->full || l->len + n >= l->size) {
		l->full = true;
		return;
	}
	memcpy(l->buf + l->len, s, n + 1);
	l->len += n;
}

__attribute__((format(printf, 2, 3)))
static void line_printf(struct line *l, const char *fmt, ...)
{
	char piece[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	line_puts(l, piece);
}

/* Writes d as MM-DD when it falls in year, else as YYYY-MM-DD. */
static void line_date(struct line *l, sales_date d, int year)
{
	char text[11];
	int y, m, day;

	sales_date_to_ymd(d, &y, &m, &day);
	if (y == year)
		line_printf(l, "%02d-%02d", m, day);
	else
		line_puts(l, sales_date_format(d, text));
}

static int year_of(sales_date d)
{
	int y, m, day;

	sales_date_to_ymd(d, &y, &m, &day);
	return y;
}

#define EXPLAIN_MAX_NAMES 16

/* Lists the 休 runs in [from, to] with their names; returns true if any. */
static bool explain_off_days(struct line *l, const struct sales_calendar *cal,
			     sales_date from, sales_date to, int year)
{
	const char *names[EXPLAIN_MAX_NAMES];
	size_t nnames = 0;
	bool more_names = false, any = false;

	for (size_t i = lower_bound(cal, from);
	     cal && i < cal->ndays && cal->days[i].date <= to; i++) {
		const struct listed_day *first = &cal->days[i];

		if (first->kind != SALES_DAY_OFF)
			continue;
		/* Extend the run over the following consecutive 休 days. */
		while (i + 1 < cal->ndays && cal->days[i + 1].date <= to &&
		       cal->days[i + 1].kind == SALES_DAY_OFF &&
		       cal->days[i + 1].date == cal->days[i].date + 1)
			i++;
		line_puts(l, any ? ", " : " (");
		line_date(l, first->date, year);
		if (cal->days[i].date != first->date) {
			line_puts(l, "..");
			line_date(l, cal->days[i].date, year);
		}
		any = true;

		for (const struct listed_day *p = first; p <= &cal->days[i]; p++) {
			bool known = false;

			if (!p->name)
				continue;
			for (size_t k = 0; k < nnames && !known; k++)
				known = !strcmp(names[k], p->name);
			if (known)
				continue;
			if (nnames < EXPLAIN_MAX_NAMES)
				names[nnames++] = p->name;
			else
				more_names = true;
		}
	}
	if (!any)
		return false;
	line_puts(l, _(" off"));
	for (size_t k = 0; k < nnames; k++) {
		line_puts(l, k ? ", " : ": ");
		line_puts(l, names[k]);
	}
	if (more_names)
		line_puts(l, ", …");
	return true;
}

/* Lists the 班 days in [from, to]; returns true if any. */
static bool explain_work_days(struct line *l, const struct sales_calendar *cal,
			      sales_date from, sales_date to, int year,
			      bool after_off)
{
	size_t count = 0;

	for (size_t i = lower_bound(cal, from);
	     cal && i < cal->ndays && cal->days[i].date <= to; i++) {
		if (cal->days[i].kind != SALES_DAY_WORK)
			continue;
		line_puts(l, count ? ", " : after_off ? "; " : " (");
		line_date(l, cal->days[i].date, year);
		count++;
	}
	if (count)
		line_puts(l, P_(" is a 班 day", " are 班 days", count));
	return count > 0;
}

sales_date sales_calendar_explain(const struct sales_calendar *cal,
				  sales_date start, int n, char *buf,
				  size_t size)
{
	struct line l = { buf, size, 0, false };
	sales_date result = sales_calendar_add_workdays(cal, start, n);
	char text[11];
	int year;

	if (!size)
		return result;
	buf[0] = '\0';
	if (start == SALES_DATE_NONE) {
		line_puts(&l, _("no start date"));
		return result;
	}

	line_puts(&l, sales_date_format(start, text));
	if (n < 0)
		line_printf(&l, " - %lld", -(long long)n);
	else
		line_printf(&l, " + %d", n);
	line_puts(&l, P_(" working day → ", " working days → ",
			    (unsigned long)(n < 0 ? -(long long)n : n)));
	if (result == SALES_DATE_NONE) {
		line_puts(&l, _("out of range"));
		return result;
	}
	line_puts(&l, sales_date_format(result, text));

	year = year_of(start);
	if (n != 0) {
		/* The days stepped over: (start, result], or [result, start). */
		sales_date from = n < 0 ? result : start + 1;
		sales_date to = n < 0 ? start - 1 : result;
		bool off = explain_off_days(&l, cal, from, to, year);
		bool work = explain_work_days(&l, cal, from, to, year, off);

		if (off || work)
			line_puts(&l, ")");
	}

	for (int y = year_of(n < 0 ? result : start),
	     last = year_of(n < 0 ? start : result); y <= last; y++)
		if (!sales_calendar_year_known(cal, y))
			line_printf(&l, _("; %d calendar unknown"), y);
	return result;
}
