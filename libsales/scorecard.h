/*
 * scorecard.h - the per-rep 考核 of stage 6 (`sales report scorecard`, and
 * the scorecard of `sales review`): per 负责人 (01), over a period (a
 * quarter or a month) as of a date, over one workbook or several.
 *
 * Every figure comes from the module that owns it, never recomputed here:
 *
 *   leads, 线索转化率, 平均客单价, 销售周期, 客户满意度
 *            kpi.h's report grouped by owner (exactly `sales report --by
 *            owner`): leads = the denominator of 线索转化率
 *   流程执行率  the rep's customers with no error finding of `sales check`
 *            (check.h, as of the as-of date) ÷ the rep's customers, where the
 *            rep's customers are those of 01 whose 负责人 is the rep,
 *            registered on or before the period's last day, and whose
 *            最后跟进时间 (else 登记日期) is not before the period's first day
 *            (worked on in the period or since)
 *   逾期      items of `sales due` (due.h) overdue at the as-of date (days < 0)
 *            for the rep's customers (of 01, whatever the period)
 *
 * The 考核 score is a weighted mean of six dimension scores, each 0..100:
 *
 *   conversion, deal_size, cycle, satisfaction
 *            100 × min(1, 完成率) against the target: the rep's own target
 *            (the target hook, e.g. targets.csv), else the 目标值 of
 *            08-kpi.csv, else the whole team's figure for the period;
 *            销售周期 is lower-is-better (target ÷ actual)
 *   process  100 × 流程执行率
 *   overdue  100 × max(0, 1 − 逾期 ÷ the rep's customers)
 *
 * score = Σ weight × dimension ÷ Σ weight over the dimensions that have a
 * value (a dimension without one, e.g. no follow-up with a 满意度, is left
 * out with its weight).  Weights are settings of the first workbook:
 * scorecard.conversion 25, scorecard.deal_size 15, scorecard.cycle 10,
 * scorecard.satisfaction 20, scorecard.process 20, scorecard.overdue 10.
 *
 * Nothing here prints.  Strings live as long as the scorecard.
 */
#ifndef SALES_SCORECARD_H
#define SALES_SCORECARD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "kpi.h"
#include "value.h"

enum sales_score_dim {
	SALES_DIM_CONVERSION,
	SALES_DIM_DEAL_SIZE,
	SALES_DIM_CYCLE,
	SALES_DIM_SATISFACTION,
	SALES_DIM_PROCESS,
	SALES_DIM_OVERDUE,
	SALES_NDIMS
};

struct sales_score_dim_def {
	const char *key;      /* "conversion": the setting scorecard.<key> */
	const char *name;     /* 线索转化率, …, 流程执行率, 逾期 */
	int default_weight;
	int kpi;              /* enum sales_kpi_id, or -1 */
};

extern const struct sales_score_dim_def sales_score_dims[SALES_NDIMS];

/*
 * The hook for a rep's own targets (issue 18, targets.csv): sets *target
 * and returns true when owner has a target for metric over the period.
 * month is 0 for a quarter.
 */
typedef bool (*sales_rep_target_fn)(void *ud, const char *owner,
				    enum sales_kpi_id metric, int year,
				    int quarter, int month, double *target);

struct sales_scorecard_query {
	const char *const *dirs;
	size_t ndirs;
	int year, quarter, month;      /* as in sales_kpi_query */
	sales_date as_of;
	sales_rep_target_fn target;    /* may be NULL */
	void *target_ud;
};

struct sales_scorecard_row {
	const char *owner;             /* SALES_KPI_GROUP_UNSET for no 负责人 */
	size_t leads;                  /* registered in the period */
	struct sales_kpi_figure kpi[SALES_KPI_COUNT];  /* --by owner's figures */
	size_t customers, clean;       /* 流程执行率 = clean ÷ customers */
	size_t overdue;
	bool has_dim[SALES_NDIMS];
	double dim[SALES_NDIMS];       /* 0..100 */
	double target[SALES_NDIMS];    /* what the KPI dimensions were scored against */
	char target_from[SALES_NDIMS]; /* 'r' the rep's, 'k' 08-kpi.csv, 't' the team, 0 */
	bool has_score;
	double score;
};

struct sales_scorecard {
	int year, quarter, month;
	sales_date as_of;
	int weight[SALES_NDIMS];
	struct sales_scorecard_row *rows;   /* by owner name, (未填) last */
	size_t nrows;
	struct sales_kpi_report *kpi;       /* by owner (the figures' source) */
	struct sales_kpi_report *team;      /* not grouped */
};

/*
 * Computes the scorecard.  Returns 0 and *out (free with
 * sales_scorecard_free), or -1 with err when a workbook cannot be read.
 */
int sales_scorecard_compute(struct sales_scorecard **out,
			    const struct sales_scorecard_query *q,
			    struct sales_error *err);
void sales_scorecard_free(struct sales_scorecard *s);

/*
 * A row for each group of s->kpi that has none (a rep targets.h added to
 * it: a target in targets.csv and no customer), without figures or score,
 * in its sorted place.  Returns 0, or -1 on ENOMEM.
 */
int sales_scorecard_add_groups(struct sales_scorecard *s);

#endif
