/*
 * report.h - what `sales report`'s sub-commands share (report.c parses the
 * arguments; scorecard.c prints the scorecard): the parsed arguments and
 * the number and field printers every format uses.
 */
#ifndef SALES_CMD_REPORT_H
#define SALES_CMD_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd.h"
#include "kpi.h"

struct report_args {
	const char **dirs;
	size_t ndirs;
	bool quarter_given;
	int year, quarter;
	int month;                 /* --month: 1..12, else 0 */
	sales_date as_of;
	enum sales_kpi_by by;
	enum out_format fmt;
	bool write, explain, chart;
	bool formulas;             /* --formulas or --explain: the formula block */
	bool quarter_default;      /* no --quarter: the last complete quarter */
};

/* A machine value (JSON, CSV): fractions for rates, up to 6 decimals; ""
 * when !has. */
const char *machine_value(bool has, double v, char *buf, size_t size);
/* A fraction as people read it, "12.5%" (1 decimal); "" when !has.  buf
 * holds PCT_MAX bytes. */
#define PCT_MAX 48
void pct_text(bool has, double v, char *buf);
/* One KPI figure's cells as people read them: 目标值, 实际值, 完成率 and
 * 同比变化 ("" where the figure has none); points: a rate's 同比变化 in
 * percentage points ("+2.0pp", as the report's table shows it), else as
 * 08-kpi.csv writes it. */
void kpi_cells(enum sales_kpi_id id, const struct sales_kpi_figure *f,
	       bool points, char v[4][SALES_KPI_FMT_MAX]);
/* One CSV or TSV field, preceded by the separator unless first. */
void put_field(enum out_format fmt, const char *s, bool first);
/* 负责人, 区域, 产品线, 工作簿; NULL for no grouping. */
const char *by_title(enum sales_kpi_by by);
/* A targets.csv figure (targets.h) of metric as four strings: target,
 * actual, 完成率, 同比变化 ("" where there is none); human: as people read
 * them, else machine values.  Each buffer holds SALES_KPI_FMT_MAX bytes. */
struct sales_target_figure;
void target_values(const struct sales_target_figure *f, int metric,
		   bool human, char v[4][SALES_KPI_FMT_MAX]);

/* --quarter/--month (at most one; default the as-of date's quarter) and
 * --by into a; prints the error and returns EXIT_USAGE when one is bad,
 * else 0. */
int report_period_by(struct report_args *a, const struct sales_ctx *ctx,
		     const char *quarter, const char *month, const char *by);
/* The workbooks: the n folders of argv (each must hold 01-leads.csv), or
 * the one found from -C / $SALES_DIR / the current folder (then *found is
 * malloc'd: free it).  Returns 0 or the exit status after an error. */
int report_dirs(struct report_args *a, struct sales_ctx *ctx, int n,
		const char **argv, char **found);

/* `sales report scorecard` (scorecard.c), and its formula as a footer. */
struct sales_scorecard;
void scorecard_formula(FILE *f, const struct sales_scorecard *s, bool md);
int report_scorecard(struct report_args *a, struct sales_ctx *ctx);
/* `sales report targets` (targets.c): targets.csv against the actuals. */
int report_targets(struct report_args *a, struct sales_ctx *ctx);

/* `sales score --calibrate` (calibrate.c); and the suggestion as one
 * sentence (a <p> for html), which `sales review` prints too. */
struct sales_calibration;
int score_calibrate(struct sales_ctx *ctx, const char *quarter,
		    const char *month, enum out_format fmt);
bool calib_has_suggestion(const struct sales_calibration *c);
void calib_suggestion(FILE *f, const struct sales_calibration *c, bool html);

#endif
