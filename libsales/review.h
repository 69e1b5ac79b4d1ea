/*
 * review.h - the 复盘 pack of stage 6 (`sales review`): everything a review
 * meeting looks at for one period (a quarter or a month) as of a date, over
 * one workbook or several, gathered from the modules that own each figure:
 *
 *   kpi          kpi.h's report for the period, grouped as asked (exactly
 *                `sales report`'s numbers)
 *   funnel       kpi.h's funnel of the leads registered in the period: each
 *                stage's count, conversion (success rate) and median days
 *   trend        the KPI report, not grouped, of the period and the three
 *                before it (oldest first), each as of the as-of date
 *   scorecard    scorecard.h, the per-rep 考核
 *   calibration  calibrate.h, leads registered in the period
 *   won          典型案例 won: contracts signed (已审批, 签订日期 in the period
 *                and not after the as-of date): amount, cycle (登记日期 to
 *                签订日期), stages, the 负责人; largest amount first
 *   lost         典型案例 lost: customers 已丢单 whose closing date (最后跟进
 *                时间) is in the period: the furthest stage reached, days
 *                stalled (closing date − the customer's latest dated row in
 *                any stage sheet before it), 丢单原因; largest first (the
 *                largest 报价 of its proposals; none last)
 *   overdue      due.h's items overdue at the as-of date, most overdue first
 *   exceptions   exceptions.csv rows whose 审批日期 is in the period
 *   team         team.csv's people (the meeting's attendees), in file order
 *
 * Nothing here prints.  Strings live as long as the review.
 */
#ifndef SALES_REVIEW_H
#define SALES_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "calibrate.h"
#include "error.h"
#include "kpi.h"
#include "scorecard.h"
#include "value.h"

#define SALES_REVIEW_TREND 4

struct sales_review_query {
	const char *const *dirs;
	size_t ndirs;
	int year, quarter, month;    /* month 0: the quarter */
	sales_date as_of;
	enum sales_kpi_by by;
};

struct sales_review_case {
	const char *workbook;        /* the folder (several workbooks), or NULL */
	const char *customer, *owner;
	const char *contract;        /* won: 合同编号 */
	const char *reason;          /* lost: 丢单原因 ("" when not given) */
	bool has_amount;
	double amount;               /* won: 合同金额; lost: largest 报价 */
	long cycle_days;             /* won: -1 when 登记日期 is missing */
	int stage;                   /* furthest stage sheet, 0 (01) .. 6 (07) */
	int nstages;                 /* stage sheets the customer appears in */
	sales_date date;             /* 签订日期, or the closing date */
	long stalled_days;           /* lost: -1 when unknown */
};

struct sales_review_item {
	const char *workbook, *customer, *owner;
	const char *kind, *label;    /* due.h's key and Chinese label */
	sales_date date;
	long days_overdue;
};

struct sales_review_exception {
	const char *workbook, *customer, *type, *stage, *reason, *approver;
	sales_date approved;
	bool valid;
	const char *why_invalid;     /* NULL when valid */
};

struct sales_review_person {
	const char *name, *role, *region;
};

struct sales_review_pack {
	int year, quarter, month;
	sales_date as_of, first, last;
	size_t ndirs;
	struct sales_kpi_report *kpi;
	struct sales_funnel *funnel;
	struct sales_kpi_report *trend[SALES_REVIEW_TREND];
	struct sales_scorecard *scorecard;
	struct sales_calibration *calibration;
	struct sales_review_case *won, *lost;
	size_t nwon, nlost;
	struct sales_review_item *overdue;
	size_t noverdue;
	struct sales_review_exception *exceptions;
	size_t nexceptions;
	struct sales_review_person *team;
	size_t nteam;
	void *priv;
};

/* Returns 0 and *out (free with sales_review_free), or -1 with err. */
int sales_review_compute(struct sales_review_pack **out,
			 const struct sales_review_query *q,
			 struct sales_error *err);
void sales_review_free(struct sales_review_pack *r);

#endif
