/*
 * calendar.h - working days under mainland China's holiday arrangements.
 *
 * A day is a working day when it is listed as 班 (a make-up working day,
 * even on a weekend), or when it is Monday-Friday and not listed as 休 (a day
 * off).  Listed days come from holidays.csv, one sales_calendar_add() per
 * row; this module does not read files.  A year with no listed day at all is
 * "unknown", not "no holidays": arithmetic still runs on it (weekdays only),
 * and sales_calendar_year_known() lets the caller say so.
 *
 * Lookups are O(log n) in the listed days (a sorted array); counting and
 * stepping walk the array alongside the dates instead of searching per day.
 * Every function that takes a const calendar also accepts NULL, which acts
 * as an empty calendar (no listed days, every year unknown).  A date of
 * SALES_DATE_NONE is never a working day and never listed.  Nothing here
 * prints; the calendar is not thread-safe while being added to, and safe to
 * read from several threads once built.
 */
#ifndef SALES_CALENDAR_H
#define SALES_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "value.h"

struct sales_calendar;

enum sales_day_kind {
	SALES_DAY_OFF = 1,	/* 休: not a working day, even Monday-Friday */
	SALES_DAY_WORK = 2,	/* 班: a working day, even on a weekend */
};

/* Returns an empty calendar, or NULL (errno ENOMEM).  Free it with
 * sales_calendar_free(). */
struct sales_calendar *sales_calendar_new(void);

/* Frees cal and every name it holds; NULL is a no-op. */
void sales_calendar_free(struct sales_calendar *cal);

/*
 * Lists d as kind (SALES_DAY_OFF or SALES_DAY_WORK) with an optional name
 * such as "国庆节" (copied; NULL for none).  Adding a date again replaces
 * its kind and name: the last row wins.  A row in date order costs
 * O(log n), one out of order up to O(n).  Returns 0, or -1 with errno ENOMEM
 * (cal unchanged) or EINVAL (cal NULL, d SALES_DATE_NONE, or kind not one
 * of the two).
 */
int sales_calendar_add(struct sales_calendar *cal, sales_date d,
		       enum sales_day_kind kind, const char *name);

/* Returns true when at least one day of year is listed. */
bool sales_calendar_year_known(const struct sales_calendar *cal, int year);

/* Returns true when d is a working day (see the top of this file). */
bool sales_calendar_is_workday(const struct sales_calendar *cal, sales_date d);

/*
 * Returns the listed kind of d, or 0 when d is not listed.  When name is not
 * NULL, *name is set to the day's name, or NULL when it has none or is not
 * listed; the string belongs to cal and lives as long as cal.
 */
enum sales_day_kind sales_calendar_lookup(const struct sales_calendar *cal,
					  sales_date d, const char **name);

/*
 * Returns the n-th working day after start: start itself never counts, so
 * Friday + 1 is the next working Monday.  n == 0 returns start, even when
 * start is not a working day; n < 0 returns the |n|-th working day before
 * start.  Returns SALES_DATE_NONE when start is SALES_DATE_NONE or the
 * result would leave sales_date's range.
 */
sales_date sales_calendar_add_workdays(const struct sales_calendar *cal,
				       sales_date start, int n);

/*
 * Returns the number of working days in (a, b]: after a, up to and
 * including b.  When b < a it returns minus the count in (b, a].  For
 * a <= b, add_workdays(cal, a, between(cal, a, b)) is b whenever b is a
 * working day.  Returns 0 when either date is SALES_DATE_NONE.  Costs
 * O(log n + listed days in the interval), whatever the distance.
 */
int sales_calendar_workdays_between(const struct sales_calendar *cal,
				    sales_date a, sales_date b);

/*
 * Returns sales_calendar_add_workdays(cal, start, n) and writes a one-line
 * UTF-8 explanation of it into buf (size bytes; always NUL-terminated when
 * size >= 1, cut at a boundary between pieces when too small; 256 bytes hold
 * a typical line).  For 2023-09-28 + 3 with the 2023 rows:
 *
 *   2023-09-28 + 3 working days → 2023-10-09 (09-29..10-06 off: 中秋节、国庆节;
 *   10-07, 10-08 are 班 days)
 *
 * The parenthesis lists the listed 休 days passed over (runs of consecutive
 * days as "first..last", MM-DD in the start's year, else YYYY-MM-DD) with
 * their distinct names, then the listed 班 days counted; plain weekends are
 * not listed, and the parenthesis is left out when there is nothing to say.
 * "; 2030 calendar unknown" follows for each year touched (from the start's
 * to the result's) that has no listed day.  n < 0 is written "start - |n|".
 */
sales_date sales_calendar_explain(const struct sales_calendar *cal,
				  sales_date start, int n, char *buf,
				  size_t size);

#endif
