/*
 * targets.h - 业绩目标 (targets.csv): monthly targets per rep, region or
 * the whole team, and the actual figures they are measured against.
 *
 *	对象 · 月份 · 指标 · 目标值
 *	张伟 · 2024-01 · 签约金额 · 120      (万元)
 *	华东 · 2024-01 · 新增线索 · 30
 *	团队 · 2024-Q1 is not a month: one row per month; quarters add months up
 *
 * 对象 is a name in team.csv (a rep: the customers whose 负责人 it is), a
 * 区域 (team.csv's or 01's: the customers of that region), or 团队/全部
 * (every customer).  指标 is one of:
 *	签约金额  sum of 合同金额 of contracts signed in the month (已审批, 签订日期 in it)
 *	回款金额  sum of 合同金额 of signed contracts whose 回款日期 is in the month
 *	新增线索  leads whose 登记日期 is in the month
 *	赢单数    contracts signed in the month
 * counted as of a date (nothing after it), by the customer's 01 负责人 and
 * 区域.  指标 may also name one of the six KPIs of SPEC §6 (线索转化率 15%,
 * 平均客单价(万元) 200, 销售周期(天) 60 …): a rep's own KPI target, which
 * `report scorecard` scores the rep against (sales_targets_kpi).  A period of several months (a quarter) adds up the targets of its
 * months that have one and the actuals of all its months; the result says
 * how many of its months had a target.  The quarterly targets of
 * 08-kpi.csv are another thing (the six KPIs of SPEC §6) and still apply.
 */
#ifndef SALES_TARGETS_H
#define SALES_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "error.h"
#include "value.h"

enum sales_target_metric {
	SALES_TGT_SIGNED_AMOUNT,   /* 签约金额, 万元 */
	SALES_TGT_PAID_AMOUNT,     /* 回款金额, 万元 */
	SALES_TGT_NEW_LEADS,       /* 新增线索 */
	SALES_TGT_WINS,            /* 赢单数 */
	SALES_NTARGET_METRICS
};

/* "签约金额" …, and the machine keys "signed_amount" … */
extern const char *const sales_target_metric_names[SALES_NTARGET_METRICS];
extern const char *const sales_target_metric_keys[SALES_NTARGET_METRICS];

enum sales_target_subject { SALES_TGT_REP, SALES_TGT_REGION, SALES_TGT_TEAM };

struct sales_targets;
struct sales_model;

/*
 * Reads ctx's targets.csv (*out NULL when there is none).  A 对象 that is
 * neither a team member, a region nor 团队/全部, a 月份 that is not a month,
 * an unknown 指标 or a 目标值 that is not a number is an error (SALES_EVALUE)
 * naming the cell.  m gives the regions of 01 (may be NULL).
 */
int sales_targets_load(const struct sales_context *ctx,
		       const struct sales_model *m, struct sales_targets **out,
		       struct sales_error *err);
void sales_targets_free(struct sales_targets *t);

struct sales_target_result {
	const char *subject;               /* points into the targets */
	enum sales_target_subject kind;
	enum sales_target_metric metric;
	double target, actual;
	int months_with_target, months;    /* of the period */
};

/*
 * For each (对象, 指标) with a target in a month of [first, last] (whole
 * months), the summed target and the actual over the period as of as_of,
 * in targets.csv order of first appearance.  *out is malloc'd (free it).
 */
int sales_targets_compute(const struct sales_targets *t,
			  const struct sales_model *m, sales_date first,
			  sales_date last, sales_date as_of,
			  struct sales_target_result **out, size_t *n,
			  struct sales_error *err);

/*
 * The KPI target (enum sales_kpi_id kpi) of subject for the months of
 * [first, last] that have one: their mean (a quarter of monthly rates is
 * their average).  false when none has one.
 */
bool sales_targets_kpi(const struct sales_targets *t, const char *subject,
		       int kpi, sales_date first, sales_date last, double *out);

#endif
