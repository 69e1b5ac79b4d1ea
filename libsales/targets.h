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
#include "kpi.h"
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
struct sales_buf;

/*
 * The metric a 指标 names (simplified, traditional or the machine key;
 * blanks around it ignored): 0 .. SALES_NTARGET_METRICS - 1, or
 * SALES_NTARGET_METRICS + a KPI (enum sales_kpi_id) for a KPI of SPEC §6
 * (sales_kpi_find's spellings); -1 for anything else.
 */
int sales_target_metric_find(const char *s, size_t len);

/*
 * Reads a 目标值 of metric (as sales_target_metric_find returns it) into
 * *out: 签约金额 and 回款金额 one amount in 万元 (200, 150万), 新增线索 and
 * 赢单数 a whole number of at least 0, a KPI in its unit as 08-kpi.csv's
 * 目标值 (sales_kpi_parse_target).  false when it does not parse.
 * validate.h judges targets.csv's cells with these two.
 */
bool sales_target_parse_value(int metric, const char *s, size_t len,
			      double *out);

/*
 * What 对象 s (len bytes, trimmed) names: a name in ctx's team.csv, a
 * 区域 of team.csv or of 01 (m may be NULL), or 团队/全部 (the whole
 * team).  Returns true with *kind, or false with why (may be NULL) set to
 * the message.  `sales check` (the targets check) and sales_targets_load
 * both ask here.
 */
bool sales_target_subject(const struct sales_context *ctx,
			  const struct sales_model *m, const char *s,
			  size_t len, enum sales_target_subject *kind,
			  struct sales_buf *why);

/*
 * Reads ctx's targets.csv (*out NULL when there is none).  A 对象 that is
 * neither a team member, a region nor 团队/全部 (sales_target_subject), or
 * a 月份, 指标 or 目标值 the validator refuses (validate.h), is an error
 * (SALES_EVALUE) naming the cell.  m gives the regions of 01 (may be NULL).
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
 * in targets.csv order of first appearance; a rep's row names its team.csv
 * 区域 too, and a region's target rolls up from its reps exactly as
 * sales_targets_report's by region (the same count).  *out is malloc'd (free it).
 */
int sales_targets_compute(const struct sales_targets *t,
			  const struct sales_model *m, sales_date first,
			  sales_date last, sales_date as_of,
			  struct sales_target_result **out, size_t *n,
			  struct sales_error *err);

/*
 * The targets of a KPI report's groups (`sales report --by owner|region`).
 * For each group of r, each metric targets.csv names (any month): the
 * target over r's period (its months' targets added up), the actual as of
 * r's as-of date, and the same actual a year earlier as of r's year-earlier
 * date (for 同比变化).  By owner a group is a 负责人 of 01: its target is
 * the rows whose 对象 is that rep; by region a 区域 of 01: per month, the
 * region's own rows, else the rows of the reps team.csv places in that
 * region (a rep's region rolls up).  Actuals count the group's customers
 * as the KPIs do (01 负责人 or 区域).  The KPI rows of targets.csv (a rep's
 * or region's own 线索转化率 …, the mean of the period's months) replace
 * 08-kpi.csv's 目标值 in r's figures (sales_kpi_figure_target) and set
 * kpi_own; a group without one keeps 08-kpi.csv's.  Over several workbooks
 * the volume targets and actuals add up, and KPI targets that differ give
 * none.  r->by other than owner or region, or no workbook with a
 * targets.csv: *out NULL.  Returns 0, or -1 with err (a workbook that cannot
 * be read, a bad targets.csv cell).  Free *out with sales_report_targets_free.
 */
struct sales_target_figure {
	bool has_target, has_before;
	double target, actual, before;
	int months_with_target, months;
};

struct sales_report_targets {
	bool used[SALES_NTARGET_METRICS];   /* targets.csv names the metric */
	size_t ngroups;                      /* r->ngroups */
	struct sales_target_figure (*fig)[SALES_NTARGET_METRICS];
	bool (*kpi_own)[SALES_KPI_COUNT];    /* per group: a KPI target of targets.csv */
};

int sales_targets_report(struct sales_kpi_report *r,
			 const char *const *dirs, size_t ndirs,
			 struct sales_report_targets **out,
			 struct sales_error *err);
void sales_report_targets_free(struct sales_report_targets *rt);

/*
 * The KPI target (enum sales_kpi_id kpi) of subject for the months of
 * [first, last] that have one: their mean (a quarter of monthly rates is
 * their average).  false when none has one.
 */
bool sales_targets_kpi(const struct sales_targets *t, const char *subject,
		       int kpi, sales_date first, sales_date last, double *out);

#endif
