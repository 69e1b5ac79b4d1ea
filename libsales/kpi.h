/*
 * kpi.h - the six quarterly KPIs of SPEC §6 (`sales report`), over one
 * workbook or the union of several, whole or grouped; and the funnel of
 * SPEC §1's stages (`sales report funnel`).
 *
 * Terms (SPEC §6).  Quarter Q is reported as of a date A; the year-earlier
 * figure is the same quarter one year before, computed as of
 * sales_date_minus_year(A) (29 February gives 28 February): the figure the
 * report would have shown then.  A contract is *signed* as of A when its
 * 审批状态 is 已审批 and its 签订日期 is set and not after A.  A customer is
 * *lost* when its 客户状态 is 已丢单; its closing date is its 最后跟进时间.
 *
 * As of A, nothing dated after A has happened yet: a lead registered, a
 * customer lost, a follow-up made or a payment received after A is not
 * counted (付款到期日 is a plan, not an event, so it is not cut).
 *
 * Each metric is a ratio num ÷ den summed over rows, so figures over several
 * workbooks are the figures over one workbook holding all their rows, and a
 * group's figures are those of its rows.  A metric whose denominator is 0
 * has no value: its has_actual is false, never a 0 and never a division.
 *
 * A monthly report (query.month set) is the same six formulas over that
 * month instead of the quarter, compared with the same month a year
 * earlier; its 目标值 are the ones 08-kpi.csv states for the quarter holding
 * the month (every metric is a ratio or a mean, so a quarter's target is a
 * month's target too).
 *
 * Reading streams only 01, 04, 07 and 08 of each workbook, once each, and
 * keeps one small struct per customer (customers are keyed per workbook, by
 * 客户名称 with surrounding blanks trimmed).  Cells that do not parse are
 * left out of the figures and reported as warnings (file, line, cell), not
 * errors: `sales check` is where bad cells fail.
 *
 * Nothing here prints.  Strings in a report live as long as the report.
 */
#ifndef SALES_KPI_H
#define SALES_KPI_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "model.h"
#include "value.h"

struct sales_txn;

enum sales_kpi_id {
	SALES_KPI_CONVERSION,    /* 线索转化率 */
	SALES_KPI_DEAL_SIZE,     /* 平均客单价(万元) */
	SALES_KPI_CYCLE,         /* 销售周期(天) */
	SALES_KPI_SATISFACTION,  /* 客户满意度 */
	SALES_KPI_WIN_RATE,      /* 赢单率 */
	SALES_KPI_COLLECTION,    /* 回款率 */
	SALES_KPI_COUNT
};

enum sales_kpi_unit {
	SALES_KPI_RATE,     /* a fraction, shown as a percentage */
	SALES_KPI_AMOUNT,   /* 万元 */
	SALES_KPI_DAYS,
};

/*
 * The formulas as data.  Each metric is one or two terms over the rows of
 * a source; a row that passes a term's `when` tests adds 1 to the
 * denominator and the term's value to the numerator.  sales_kpi_compute
 * evaluates these entries row by row, and sales_kpi_sql (kpisql.h) writes
 * them as SQL: the one definition both read.
 *
 * A source row carries facts: dates (as sales_date days) and numbers, NAN
 * when not known.  The sources, and how a row's facts are read:
 *  - customers: each customer of 01-leads.csv (its first row; 客户名称
 *    trimmed, per workbook): registered 登记日期; closed 最后跟进时间 when
 *    客户状态 is 已丢单; signed_first the earliest 签订日期 of its 已审批
 *    contracts.
 *  - contracts: the rows of 04-contracts.csv whose 审批状态 is 已审批 and
 *    whose 签订日期 is set: signed, amount (合同金额 when it is one amount),
 *    customer_registered (the 登记日期 of its customer in 01), payment_due,
 *    paid.
 *  - followups: the rows of 07-followups.csv: date 跟进时间, satisfaction
 *    满意度 (a whole number).
 * Tests compare with the quarter Q (first .. last day) and the as-of date A
 * of the figure being computed (the year-earlier figure uses Q a year back
 * and A a year back).
 */
enum sales_kpi_source {
	SALES_KPI_SRC_CUSTOMERS,
	SALES_KPI_SRC_CONTRACTS,
	SALES_KPI_SRC_FOLLOWUPS,
	SALES_KPI_NSOURCES
};

enum sales_kpi_fact {
	SALES_KPI_F_REGISTERED,          /* customers */
	SALES_KPI_F_CLOSED,
	SALES_KPI_F_SIGNED_FIRST,
	SALES_KPI_F_SIGNED,              /* contracts */
	SALES_KPI_F_AMOUNT,
	SALES_KPI_F_CUSTOMER_REGISTERED,
	SALES_KPI_F_PAYMENT_DUE,
	SALES_KPI_F_PAID,
	SALES_KPI_F_DATE,                /* followups */
	SALES_KPI_F_SATISFACTION,
	SALES_KPI_NFACTS
};

struct sales_kpi_fact_def {
	const char *name;                /* the column of the source's SQL view */
	enum sales_kpi_source source;
	bool is_date;
};

extern const struct sales_kpi_fact_def sales_kpi_facts[SALES_KPI_NFACTS];
/* The SQL view of each source: "kpi_customers", … */
extern const char *const sales_kpi_source_views[SALES_KPI_NSOURCES];

enum sales_kpi_test {
	SALES_KPI_END = 0,   /* ends a list of tests */
	SALES_KPI_IN_Q,      /* a is a date in Q and not after A */
	SALES_KPI_DURING_Q,  /* a is a date in Q (a plan: not cut at A) */
	SALES_KPI_BY_AS_OF,  /* a is a date not after A */
	SALES_KPI_KNOWN,     /* a is known */
	SALES_KPI_NOT_AFTER, /* a and b are known and a <= b */
	SALES_KPI_BETWEEN,   /* a is known and lo <= a <= hi */
};

struct sales_kpi_test_def {
	enum sales_kpi_test test;
	enum sales_kpi_fact a, b;
	double lo, hi;
};

enum sales_kpi_value {
	SALES_KPI_ADD_ZERO,     /* adds 0 */
	SALES_KPI_ADD_COUNT_IF, /* adds 1 when every num_if test holds (none: 1) */
	SALES_KPI_ADD_SUM,      /* adds fact a */
	SALES_KPI_ADD_DAYS,     /* adds a - b (days) */
};

#define SALES_KPI_MAX_TESTS 3
#define SALES_KPI_MAX_TERMS 2

struct sales_kpi_term {
	enum sales_kpi_source source;
	struct sales_kpi_test_def when[SALES_KPI_MAX_TESTS];
	enum sales_kpi_value value;
	enum sales_kpi_fact a, b;
	struct sales_kpi_test_def num_if[SALES_KPI_MAX_TESTS];
};

struct sales_kpi_def {
	const char *name;          /* 指标名称 exactly as 08-kpi.csv writes it */
	const char *key;           /* English key: "conversion", "deal_size", … */
	enum sales_kpi_unit unit;
	bool lower_is_better;      /* 完成率 = target ÷ actual */
	bool yoy_relative;         /* 同比 as relative change, else in points */
	const char *numerator;     /* what num counts (English, for --explain) */
	const char *denominator;   /* what den counts */
	struct sales_kpi_term terms[SALES_KPI_MAX_TERMS];
	size_t nterms;
};

extern const struct sales_kpi_def sales_kpi_defs[SALES_KPI_COUNT];

/*
 * The metric a 指标名称 names, or -1.  Surrounding blanks, full-width
 * parentheses and a missing unit are accepted: "平均客单价", "平均客单价（万元）"
 * and "销售周期" name metrics too.
 */
int sales_kpi_find(const char *name, size_t len);

/*
 * Reads a 目标值 (or 实际值) of metric id in its unit into *out: a rate as
 * a fraction ("15%", or "15" typed in points), an amount in 万元 ("200",
 * "150万"), days ("45", "45天").  `sales report` and `sales check`
 * (validate.h) both read targets here.  false when it does not parse.
 */
bool sales_kpi_parse_target(enum sales_kpi_id id, const char *s, size_t len,
			    double *out);

enum sales_kpi_by {
	SALES_KPI_BY_NONE,
	SALES_KPI_BY_OWNER,         /* 01 负责人 of the customer */
	SALES_KPI_BY_REGION,        /* 01 区域 */
	SALES_KPI_BY_PRODUCT_LINE,  /* 01 产品线 */
	SALES_KPI_BY_WORKBOOK,      /* one group per workbook folder */
};

/* "owner", "region", "product_line" (or "product-line"), "workbook", or
 * "none", or the 01-leads.csv header of the column (负责人, 区域, 产品线, in
 * any spelling a header may have, traditional included) or 工作簿; -1 for
 * anything else. */
int sales_kpi_by_parse(const char *s);

/* The group name of rows whose grouping cell is blank (or whose customer
 * is not in 01-leads.csv). */
#define SALES_KPI_GROUP_UNSET "(未填)"

struct sales_kpi_ratio {
	double num, den;           /* den == 0: no value */
};

struct sales_kpi_figure {
	struct sales_kpi_ratio now;     /* Q as of A */
	struct sales_kpi_ratio before;  /* Q a year earlier, as of A - 1 year */
	bool has_target, has_actual, has_before, has_completion, has_yoy;
	double target, actual, before_value, completion, yoy;
};

struct sales_kpi_group {
	const char *name;               /* NULL when not grouped */
	struct sales_kpi_figure m[SALES_KPI_COUNT];
};

struct sales_kpi_query {
	const char *const *dirs;        /* workbook folders (at least one) */
	const char *const *labels;      /* group names for BY_WORKBOOK, or NULL
					 * to use the folders as given */
	size_t ndirs;
	int year, quarter;              /* Q */
	sales_date as_of;               /* A */
	enum sales_kpi_by by;
	int month;                      /* 1..12: the period is that month of
					 * `year` (quarter must be the quarter
					 * holding it); 0: the whole quarter */
};

#define SALES_KPI_MAX_WARNINGS 50

struct sales_kpi_report {
	int year, quarter;
	int month;                      /* 1..12 for a monthly report, else 0 */
	sales_date as_of;
	int before_year;                /* year - 1 */
	sales_date before_as_of;        /* sales_date_minus_year(as_of) */
	enum sales_kpi_by by;
	struct sales_kpi_group *groups; /* BY_NONE: one; BY_WORKBOOK: one per
					 * folder in order; else sorted by
					 * name, SALES_KPI_GROUP_UNSET last */
	size_t ngroups;
	/* The workbooks (or one workbook's rows) state different 目标值 for
	 * this metric and quarter: no target is used. */
	bool target_conflict[SALES_KPI_COUNT];
	struct sales_error warnings[SALES_KPI_MAX_WARNINGS];
	size_t nwarnings;               /* kept (at most the maximum) */
	size_t nwarnings_total;         /* found */
	void *priv;                     /* internal */
};

/* Fills q->year, q->quarter and q->month from "2023-11" (also "2023.11",
 * "2023/11", "2023年11月"); false when s names no month. */
bool sales_kpi_parse_month(const char *s, int *year, int *quarter, int *month);

/* The first and last day of a period: the month when month is 1..12,
 * else the quarter. */
void sales_kpi_period_bounds(int year, int quarter, int month,
			     sales_date *first, sales_date *last);

/* The report's period as people write it: "2023Q4", or "2023-11" for a
 * monthly report; and the year-earlier one ("2022Q4", "2022-11").  buf
 * holds at least 16 bytes.  Returns buf. */
char *sales_kpi_period(const struct sales_kpi_report *r, bool before, char *buf);

/*
 * Computes the report.  Returns 0 and *out (free with sales_kpi_free), or
 * -1 with err when a sheet cannot be read (a missing 01-leads.csv is
 * SALES_ENOTFOUND; other missing sheets count as empty) or q is not a
 * quarter (SALES_EUSAGE).
 */
/* The quarter a report covers when none is asked for: the last complete
 * one before as_of's. */
void sales_kpi_default_quarter(sales_date as_of, int *year, int *quarter);

/*
 * Sets f's target (has false: none) and recomputes its 完成率 from its
 * actual: actual ÷ target, or target ÷ actual where lower is better.
 * sales_kpi_compute uses it for 08-kpi.csv's 目标值; targets.h for a
 * rep's or region's own.
 */
void sales_kpi_figure_target(struct sales_kpi_figure *f, enum sales_kpi_id id,
			     bool has, double target);

int sales_kpi_compute(struct sales_kpi_report **out,
		      const struct sales_kpi_query *q, struct sales_error *err);
void sales_kpi_free(struct sales_kpi_report *r);

/*
 * Adds a group named name without rows to r (grouped by a 01 cell) in its
 * sorted place, unless r has one of that name: its figures have no value
 * and 08-kpi.csv's targets.  targets.h adds the reps and regions that have
 * a target in targets.csv but no customer.  Returns 0, or -1 on ENOMEM.
 */
int sales_kpi_add_group(struct sales_kpi_report *r, const char *name);

/* ---- writing values the way people type them in 08-kpi.csv ---- */

/* Buffers of this size hold every formatted value. */
#define SALES_KPI_FMT_MAX 32

/* v with at most `decimals` decimals, trailing zeros dropped, never "-0"
 * (the one number format every value below and every report's figure
 * uses).  Returns buf. */
char *sales_plain_number(double v, int decimals, char *buf, size_t size);

/*
 * A metric's value: rates as "12%" or "12.5%" (one decimal at most),
 * amounts as plain numbers with up to two decimals ("258", "229.5"), days
 * with one decimal at most ("27").  Returns buf.
 */
char *sales_kpi_format_value(enum sales_kpi_id id, double v, char *buf);
/* A 完成率: "80%", "102.2%". */
char *sales_kpi_format_completion(double v, char *buf);
/* A 同比变化 with its sign: points for rates ("-2%", "+3%"), relative
 * change otherwise ("+10%"); zero is "0%". */
char *sales_kpi_format_yoy(enum sales_kpi_id id, double v, char *buf);

/*
 * Fills 08-kpi.csv in transaction t (which must hold the lock) with a
 * report over that one workbook, not grouped: every row of the report's
 * quarter naming one of the six metrics gets 实际值, 完成率 and 同比变化
 * (empty when there is no value); a metric without a row gets one (指标名称,
 * the three figures and 季度; 目标值 and the text columns empty).  Other
 * rows and columns are left alone.  *updated and *added (may be NULL) count
 * the rows changed and appended.  Returns 0 or -1 with err.
 */
int sales_kpi_fill_sheet(struct sales_txn *t, const struct sales_kpi_report *r,
			 size_t *updated, size_t *added,
			 struct sales_error *err);

/* ---- the funnel ---- */

struct sales_funnel_stage {
	size_t reached;           /* leads that appear in this stage's sheet */
	size_t waived;            /* leads past it without a row: an approved
				   * 跳过环节 (facts.h), a later stage reached */
	bool has_conversion;      /* of the leads that passed the stage before
				   * (reached or waived it), the share with a
				   * row here: never above 1 */
	double conversion;
	bool has_median;          /* median days from the stage before */
	double median_days;
	size_t ndated;            /* leads the median is over */
};

struct sales_funnel_group {
	const char *name;         /* NULL when not grouped */
	struct sales_funnel_stage stage[SALES_NSTAGES];   /* 01 … 07 */
};

struct sales_funnel_query {
	const char *const *dirs;
	const char *const *labels;  /* as in sales_kpi_query */
	size_t ndirs;
	enum sales_kpi_by by;
	int year, quarter;          /* only leads registered in this quarter;
				     * quarter 0: every lead */
	sales_date today;           /* for each workbook's context */
	int month;                  /* 1..12: only that month of the quarter */
};

struct sales_funnel {
	struct sales_funnel_group *groups;   /* ordered as a KPI report's */
	size_t ngroups;
	void *priv;
};

/*
 * The customers of 01-leads.csv (each workbook's own), per stage sheet 01
 * … 07 of SPEC §1: how many appear in the sheet, how many waived it, the
 * conversion from the stage before, and the median of the days from a lead's first dated row in
 * the stage before to its first dated row in this one (over the leads
 * dated in both; see sales_row_date).  A customer that is not in 01 is not
 * counted (`sales check` reports it).  Returns 0 and *out (free with
 * sales_funnel_free), or -1 with err when a workbook cannot be read.
 */
int sales_funnel_compute(struct sales_funnel **out,
			 const struct sales_funnel_query *q,
			 struct sales_error *err);
void sales_funnel_free(struct sales_funnel *f);

#endif
