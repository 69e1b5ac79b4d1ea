/*
 * calibrate.h - grade calibration (`sales score --calibrate`, and the
 * calibration in `sales review`): do A leads really convert better?
 *
 * Over the leads of 01 registered in a period (a quarter or a month; or every
 * lead), as of a date: per recorded 线索等级 (A类, B类, C类, none) and per
 * scoring dimension (score.h; one bucket per points value the dimension gave),
 * how many leads, how many signed (a signed contract as of the date, as kpi.h
 * defines it), how many lost (已丢单), the conversion (signed ÷ leads) and the
 * mean cycle (登记日期 to first 签订日期, over the signed ones).
 *
 * The suggestion: among the closed leads (signed or lost), the score total
 * (score.h, today's settings) at or above which a lead is called won, chosen
 * to best separate won from lost by Youden's J = (won at or above ÷ won) −
 * (lost at or above ÷ lost); ties go to the value nearest the current
 * score.threshold_a.  It is a suggestion only: nothing is written.
 *
 * Nothing here prints.
 */
#ifndef SALES_CALIBRATE_H
#define SALES_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "score.h"
#include "value.h"

struct sales_calib_bucket {
	int points;              /* the dimension's points (grade buckets: 0) */
	char label[16];          /* "A类", "B类", "C类", "(未定)"; "25" */
	size_t leads, won, lost;
	double cycle_days;       /* summed over ncycle signed leads */
	size_t ncycle;
};

struct sales_calib_query {
	const char *const *dirs;
	size_t ndirs;
	int year, quarter, month;   /* quarter 0: every lead */
	sales_date as_of;
};

struct sales_calibration {
	int year, quarter, month;
	sales_date as_of;
	size_t leads;
	struct sales_calib_bucket grade[4];          /* A, B, C, none */
	struct sales_calib_bucket *dim[SALES_SCORE_NDIMS];  /* points descending */
	size_t ndim[SALES_SCORE_NDIMS];
	size_t adim[SALES_SCORE_NDIMS];   /* allocated */
	long threshold_a, threshold_b;   /* the first workbook's settings */
	size_t closed_won, closed_lost;
	bool has_current;                /* closed leads on both sides */
	double j_current, tpr_current, fpr_current;
	bool has_best;
	long best;                       /* the suggested threshold_a */
	double j_best, tpr_best, fpr_best;
};

/* Returns 0 and *out (free with sales_calibration_free), or -1 with err. */
int sales_calibration_compute(struct sales_calibration **out,
			      const struct sales_calib_query *q,
			      struct sales_error *err);
void sales_calibration_free(struct sales_calibration *c);

#endif
