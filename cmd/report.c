/*
 * report.c - `sales report`: the quarterly KPI table of SPEC §6 (template
 * 8), optionally written back into 08-kpi.csv, and the funnel of SPEC §1's
 * stages, over one workbook or several.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "kpi.h"
#include "report.h"
#include "schema.h"
#include "targets.h"
#include "txn.h"
#include "workbook.h"

static const char *const report_usage[] = {
	"sales report [kpi] [DIR...] [--quarter 2023Q4 | --month 2023-11] [--as-of DATE] [--by owner|region|product_line|workbook] [--format table|csv|tsv|json|md] [--digits N] [--write] [--explain]",
	"sales report scorecard [DIR...] [--quarter 2023Q4 | --month 2023-11] [--as-of DATE] [--format table|csv|tsv|json|md]",
	"sales report targets [--quarter 2024Q1 | --month 2024-01] [--as-of DATE] [--format table|csv|tsv|json|md]",
	"sales report funnel [DIR...] [--quarter 2023Q4] [--as-of DATE] [--by owner|region|product_line|workbook] [--format table|csv|tsv|json|md] [--chart]",
	NULL,
};

/* ---- numbers ---- */

/* Decimals of machine values (--digits). */
static int machine_digits = 6;

const char *machine_value(bool has, double v, char *buf, size_t size)
{
	if (!has) {
		buf[0] = '\0';
		return buf;
	}
	return sales_plain_number(v, machine_digits, buf, size);
}

void pct_text(bool has, double v, char *buf)
{
	char n[48];

	if (!has)
		buf[0] = '\0';
	else
		snprintf(buf, PCT_MAX, "%s%%", sales_plain_number(v * 100, 1, n, sizeof(n)));
}

void put_field(enum out_format fmt, const char *s, bool first)
{
	sep_field(stdout, fmt, s, strlen(s), first);
}

const char *by_title(enum sales_kpi_by by)
{
	switch (by) {
	case SALES_KPI_BY_OWNER: return "负责人";
	case SALES_KPI_BY_REGION: return "区域";
	case SALES_KPI_BY_PRODUCT_LINE: return "产品线";
	case SALES_KPI_BY_WORKBOOK: return "工作簿";
	default: return NULL;
	}
}

/* A targets.csv figure (targets.h) as text: v[0..3] target, actual,
 * 完成率, 同比变化; "" where there is none.  human: as people read them,
 * else machine values. */
void target_values(const struct sales_target_figure *f, int metric,
			  bool human, char v[4][SALES_KPI_FMT_MAX])
{
	int digits = metric <= SALES_TGT_PAID_AMOUNT ? 2 : 0;
	bool has_done = f->has_target && f->target > 0;
	bool has_yoy = f->has_before && f->before > 0;
	double done = has_done ? f->actual / f->target : 0;
	double yoy = has_yoy ? (f->actual - f->before) / f->before : 0;

	if (!human) {
		machine_value(f->has_target, f->target, v[0], SALES_KPI_FMT_MAX);
		machine_value(true, f->actual, v[1], SALES_KPI_FMT_MAX);
		machine_value(has_done, done, v[2], SALES_KPI_FMT_MAX);
		machine_value(has_yoy, yoy, v[3], SALES_KPI_FMT_MAX);
		return;
	}
	for (int i = 0; i < 4; i++)
		v[i][0] = '\0';
	if (f->has_target)
		sales_plain_number(f->target, digits, v[0], SALES_KPI_FMT_MAX);
	sales_plain_number(f->actual, digits, v[1], SALES_KPI_FMT_MAX);
	if (has_done)
		sales_kpi_format_completion(done, v[2]);
	if (has_yoy)
		/* a relative change, as 平均客单价's */
		sales_kpi_format_yoy(SALES_KPI_DEAL_SIZE, yoy, v[3]);
}

/* ---- the KPI report ---- */

/* The heading's note when no --quarter was given. */
static void print_default_quarter(const struct report_args *a)
{
	int y = a->year, q = a->quarter + 1;

	if (!a->quarter_default)
		return;
	if (q == 5) {
		q = 1;
		y++;
	}
	printf(_(", the last complete quarter (the running one: --quarter current, %dQ%d)"),
	       y, q);
}

/* 同比变化 as people read it: rates change by percentage points ("+2.0pp"),
 * the others by a relative "+10.0%" (08-kpi.csv and the machine formats keep
 * their own forms). */
static void yoy_text(enum sales_kpi_id id, double v, char *buf)
{
	size_t n;

	sales_kpi_format_yoy(id, v, buf);
	n = strlen(buf);
	if (sales_kpi_defs[id].unit == SALES_KPI_RATE && n && buf[n - 1] == '%') {
		/* TRANSLATORS: percentage points, after a number: +2.0pp */
		snprintf(buf + n - 1, SALES_KPI_FMT_MAX - (n - 1), "%s", _("pp"));
	}
}

void kpi_cells(enum sales_kpi_id id, const struct sales_kpi_figure *f,
	       bool points, char v[4][SALES_KPI_FMT_MAX])
{
	for (int i = 0; i < 4; i++)
		v[i][0] = '\0';
	if (f->has_target)
		sales_kpi_format_value(id, f->target, v[0]);
	if (f->has_actual)
		sales_kpi_format_value(id, f->actual, v[1]);
	if (f->has_completion)
		sales_kpi_format_completion(f->completion, v[2]);
	if (f->has_yoy && points)
		yoy_text(id, f->yoy, v[3]);
	else if (f->has_yoy)
		sales_kpi_format_yoy(id, f->yoy, v[3]);
}

static void print_warnings(const struct sales_kpi_report *r)
{
	char buf[1024];

	for (size_t i = 0; i < r->nwarnings; i++)
		warning_msg("%s", sales_error_format(&r->warnings[i], buf, sizeof(buf)));
	if (r->nwarnings_total > r->nwarnings)
		warning_msg(P_("%zu more cell was left out of the KPIs",
			       "%zu more cells were left out of the KPIs",
			       r->nwarnings_total - r->nwarnings),
			    r->nwarnings_total - r->nwarnings);
	for (int m = 0; m < SALES_KPI_COUNT; m++)
		if (r->target_conflict[m])
			warning_msg("different 目标值 are stated for '%s' in %dQ%d; no 完成率 computed",
				    sales_kpi_defs[m].name, r->year, r->quarter);
}

/* "1 ÷ 3 = 33.3%" or "0 ÷ 0: no value" */
static void ratio_text(enum sales_kpi_id id, const struct sales_kpi_ratio *q,
		       char *out, size_t size)
{
	char a[48], b[48], v[SALES_KPI_FMT_MAX];

	sales_plain_number(q->num, 2, a, sizeof(a));
	sales_plain_number(q->den, 2, b, sizeof(b));
	if (q->den > 0)
		snprintf(out, size, "%s ÷ %s = %s", a, b,
			 sales_kpi_format_value(id, q->num / q->den, v));
	else
		snprintf(out, size, _("%s ÷ %s: no value"), a, b);
}

static void print_kpi_footer(FILE *f, const struct sales_kpi_report *r,
			     const struct sales_report_targets *tg,
			     bool explain, bool md)
{
	const char *li = md ? "- " : "  ";
	char asof[11], before[11], pnow[16], pbefore[16];

	sales_date_format(r->as_of, asof);
	sales_date_format(r->before_as_of, before);
	sales_kpi_period(r, false, pnow);
	sales_kpi_period(r, true, pbefore);
	fputc('\n', f);
	if (r->month)
		fprintf(f, _("Formulas, the month = %s as of %s:\n"), pnow, asof);
	else
		fprintf(f, _("Formulas, Q = %s as of %s:\n"), pnow, asof);
	if (md)
		fputc('\n', f);
	if (r->month) {
		fputs(li, f);
		fprintf(f, _("the quarter's formulas over the month: 'in Q' reads 'in %s'; 目标值 are %dQ%d's in 08-kpi.csv\n"),
			pnow, r->year, r->quarter);
	}
	fprintf(f, "%s%s\n", li, _("a contract is signed when its 审批状态 is 已审批 and its 签订日期 is set and not after the as-of date; a customer is lost when its 客户状态 is 已丢单, closing on its 最后跟进时间; nothing dated after the as-of date counts"));
	for (int m = 0; m < SALES_KPI_COUNT; m++)
		fprintf(f, "%s%s = %s ÷ %s\n", li, sales_kpi_defs[m].name,
			_(sales_kpi_defs[m].numerator),
			_(sales_kpi_defs[m].denominator));
	fprintf(f, "%s%s\n", li, _("完成率 = 实际值 ÷ 目标值; for 销售周期(天), where lower is better, 目标值 ÷ 实际值"));
	fputs(li, f);
	fprintf(f, _("同比变化 compares with %s as of %s: the difference in percentage points (pp) for rates, the relative change (%%) for 平均客单价(万元) and 销售周期(天)\n"),
		pbefore, before);
	fprintf(f, "%s%s\n", li, _("an empty cell has no value: its denominator is empty, or there is no 目标值 or year-earlier figure"));
	if (tg) {
		fprintf(f, "%s%s\n", li, r->by == SALES_KPI_BY_REGION ?
			_("签约金额, 回款金额, 新增线索, 赢单数: 目标值 from targets.csv, the period's months added up (a month without the region's own row adds up its reps' rows, by their 区域 in team.csv); 实际值 of the group's customers, nothing after the as-of date; 完成率 = 实际值 ÷ 目标值; 同比变化 the relative change") :
			_("签约金额, 回款金额, 新增线索, 赢单数: 目标值 from targets.csv, the period's months added up; 实际值 of the group's customers, nothing after the as-of date; 完成率 = 实际值 ÷ 目标值; 同比变化 the relative change"));
		fprintf(f, "%s%s\n", li, _("a KPI's 目标值 is the group's own in targets.csv when it has one (the mean of the period's months), else 08-kpi.csv's"));
	}
	if (!explain)
		return;
	fprintf(f, "\n%s\n%s", _("Figures (numerator ÷ denominator):"),
		md ? "\n" : "");
	for (size_t g = 0; g < r->ngroups; g++) {
		const struct sales_kpi_group *gr = &r->groups[g];

		if (gr->name)
			fprintf(f, "%s%s %s\n", md ? "" : "  ", by_title(r->by), gr->name);
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			char now[128], prev[128];

			ratio_text((enum sales_kpi_id)m, &gr->m[m].now, now, sizeof(now));
			ratio_text((enum sales_kpi_id)m, &gr->m[m].before, prev, sizeof(prev));
			fprintf(f, "%s%s%s  %s: %s;  %s: %s\n", li,
				gr->name && !md ? "  " : "", sales_kpi_defs[m].name,
				pnow, now, pbefore, prev);
		}
	}
}

static int print_kpi_table(const struct sales_kpi_report *r,
			   const struct sales_report_targets *tg,
			   const struct report_args *a)
{
	struct table t;
	const char *title = by_title(r->by);
	size_t off = title ? 1 : 0;
	const char *hdr[6] = { title, "指标名称", "目标值", "实际值", "完成率", "同比变化" };
	char asof[11], before[11], pnow[16], pbefore[16];
	int rc = 0;

	sales_kpi_period(r, false, pnow);
	sales_kpi_period(r, true, pbefore);
	table_init(&t, 5 + off);
	for (size_t c = 1; c < 5; c++)
		table_right(&t, c + off);
	if (table_add(&t, hdr + 1 - off) < 0)
		rc = -1;
	for (size_t g = 0; g < r->ngroups && !rc; g++)
		for (int m = 0; m < SALES_KPI_COUNT && !rc; m++) {
			const struct sales_kpi_figure *f = &r->groups[g].m[m];
			enum sales_kpi_id id = (enum sales_kpi_id)m;
			char v[4][SALES_KPI_FMT_MAX];
			const char *row[6] = { r->groups[g].name, sales_kpi_defs[m].name,
					       v[0], v[1], v[2], v[3] };

			kpi_cells(id, f, true, v);
			if (table_add(&t, row + 1 - off) < 0)
				rc = -1;
			if (m + 1 < SALES_KPI_COUNT || !tg)
				continue;
			for (int k = 0; k < SALES_NTARGET_METRICS && !rc; k++) {
				if (!tg->used[k])
					continue;
				target_values(&tg->fig[g][k], k, true, v);
				row[1] = sales_target_metric_names[k];
				if (table_add(&t, row + 1 - off) < 0)
					rc = -1;
			}
		}
	if (rc) {
		table_release(&t);
		error_msg("out of memory");
		return EXIT_USAGE;
	}
	sales_date_format(r->as_of, asof);
	sales_date_format(r->before_as_of, before);
	if (a->fmt == FMT_MD) {
		printf(_("**%s** as of %s (同比: %s as of %s)"), pnow, asof,
		       pbefore, before);
		print_default_quarter(a);
		if (a->ndirs > 1)
			printf(P_(", %zu workbook", ", %zu workbooks", a->ndirs), a->ndirs);
		fputs("\n\n", stdout);
		table_print_md(stdout, &t);
	} else {
		fputs(color_on(stdout, COLOR_HEADING), stdout);
		printf(_("%s as of %s (同比: %s as of %s)"), pnow, asof, pbefore,
		       before);
		print_default_quarter(a);
		if (a->ndirs > 1) {
			printf(P_(", %zu workbook:", ", %zu workbooks:", a->ndirs), a->ndirs);
			for (size_t i = 0; i < a->ndirs; i++)
				printf(" %s", a->dirs[i]);
		}
		fputs(color_off(stdout), stdout);
		fputs("\n\n", stdout);
		table_print(stdout, &t, NULL);
	}
	table_release(&t);
	if (a->formulas)
		print_kpi_footer(stdout, r, tg, a->explain, a->fmt == FMT_MD);
	return 0;
}

static void print_kpi_machine(const struct sales_kpi_report *r,
			      const struct sales_report_targets *tg,
			      enum out_format fmt)
{
	static const char *const keys[] = { "quarter", "group", "metric", "target",
					     "actual", "completion", "yoy" };
	char quarter[16], month[16];
	struct sales_buf out = { 0 };
	struct sales_json j;

	snprintf(quarter, sizeof(quarter), "%dQ%d", r->year, r->quarter);
	sales_kpi_period(r, false, month);
	sales_json_init(&j, &out);
	if (fmt == FMT_CSV || fmt == FMT_TSV) {
		for (size_t i = 0; i < 7; i++)
			put_field(fmt, keys[i], i == 0);
		if (r->month)
			put_field(fmt, "month", false);
		putchar('\n');
	} else {
		sales_json_array(&j, SALES_JSON_LINES);
	}
	for (size_t g = 0; g < r->ngroups; g++)
		for (int m = 0; m < SALES_KPI_COUNT + SALES_NTARGET_METRICS; m++) {
			int k = m - SALES_KPI_COUNT;   /* a targets.csv metric */
			char v[4][SALES_KPI_FMT_MAX];
			const char *name;

			if (k < 0) {
				const struct sales_kpi_figure *f = &r->groups[g].m[m];

				machine_value(f->has_target, f->target, v[0], sizeof(v[0]));
				machine_value(f->has_actual, f->actual, v[1], sizeof(v[1]));
				machine_value(f->has_completion, f->completion, v[2], sizeof(v[2]));
				machine_value(f->has_yoy, f->yoy, v[3], sizeof(v[3]));
				name = sales_kpi_defs[m].name;
			} else if (tg && tg->used[k]) {
				target_values(&tg->fig[g][k], k, false, v);
				name = sales_target_metric_names[k];
			} else {
				continue;
			}
			if (fmt == FMT_JSON) {
				sales_json_object(&j, SALES_JSON_COMPACT);
				sales_json_key(&j, "quarter");
				sales_json_str(&j, quarter);
				if (r->month) {
					sales_json_key(&j, "month");
					sales_json_str(&j, month);
				}
				sales_json_key(&j, "group");
				sales_json_str(&j, r->groups[g].name);
				sales_json_key(&j, "metric");
				sales_json_str(&j, name);
				for (int i = 0; i < 4; i++) {
					sales_json_key(&j, keys[3 + i]);
					sales_json_number(&j, v[i]);
				}
				sales_json_end(&j);
				put_buf(stdout, &out);
				continue;
			}
			put_field(fmt, quarter, true);
			put_field(fmt, r->groups[g].name ? r->groups[g].name : "", false);
			put_field(fmt, name, false);
			for (int i = 0; i < 4; i++)
				put_field(fmt, v[i], false);
			if (r->month)
				put_field(fmt, month, false);
			putchar('\n');
		}
	if (fmt == FMT_JSON)
		json_print_end(&j, &out);
	sales_buf_release(&out);
}

static int write_kpi(struct sales_txn *t, const struct sales_kpi_report *r)
{
	struct sales_error err;
	size_t updated, added;

	sales_error_clear(&err);
	if (sales_kpi_fill_sheet(t, r, &updated, &added, &err) < 0 ||
	    sales_txn_commit(t, &err) < 0)
		return report_error(&err);
	if (updated || added)
		note_msg(P_("08-kpi.csv: %zu row of %dQ%d filled, %zu added",
			    "08-kpi.csv: %zu rows of %dQ%d filled, %zu added", updated),
			 updated, r->year, r->quarter, added);
	else
		note_msg("08-kpi.csv: %dQ%d already up to date", r->year, r->quarter);
	return 0;
}

static int report_kpi(struct report_args *a, struct sales_ctx *ctx)
{
	struct sales_kpi_query q = { a->dirs, NULL, a->ndirs, a->year, a->quarter,
				     a->as_of, a->by, a->month };
	struct sales_kpi_report *r = NULL;
	struct sales_report_targets *tg = NULL;
	struct sales_txn t;
	struct sales_error err;
	int status = 0;

	if (a->write && a->month) {
		error_msg("--write fills 08-kpi.csv, which is quarterly: give --quarter, not --month");
		return EXIT_USAGE;
	}
	if (a->write && (a->ndirs != 1 || a->by != SALES_KPI_BY_NONE)) {
		error_msg("--write fills one workbook's 08-kpi.csv: give one folder and no --by");
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (a->write) {
		/* read and write under one lock */
		struct sales_ctx wctx = *ctx;

		wctx.dir = (char *)a->dirs[0];
		if (change_begin(&t, NULL, &wctx,
				 ctx->command ? ctx->command : "report", &err) < 0) {
			change_end(&t, NULL);
			return report_error(&err);
		}
	}
	if (sales_kpi_compute(&r, &q, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	print_warnings(r);
	if (a->write && (status = write_kpi(&t, r)) != 0)
		goto out;
	/* after --write (which is never grouped): 08-kpi.csv's 完成率 stay
	 * against its own 目标值 */
	if (sales_targets_report(r, a->dirs, a->ndirs, &tg, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (a->fmt == FMT_TABLE || a->fmt == FMT_MD) {
		status = print_kpi_table(r, tg, a);
	} else {
		print_kpi_machine(r, tg, a->fmt);
		if (a->formulas)
			print_kpi_footer(stderr, r, tg, a->explain, false);
	}
	for (size_t i = 0; i < a->ndirs; i++)
		warn_open_in_excel(a->dirs[i], false);
out:
	sales_report_targets_free(tg);
	sales_kpi_free(r);
	if (a->write)
		change_end(&t, NULL);
	return status;
}

/* ---- the funnel ---- */

#define BAR_WIDTH 30

/* A bar of v/max of BAR_WIDTH columns, in eighths of a block. */
static void bar(struct sales_buf *b, size_t v, size_t max)
{
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	size_t eighths = max ? (v * BAR_WIDTH * 8 + max / 2) / max : 0;

	sales_buf_reset(b);
	for (; eighths >= 8; eighths -= 8)
		sales_buf_addstr(b, "█");
	if (eighths)
		sales_buf_addstr(b, part[eighths]);
}

static void funnel_values(const struct sales_funnel_stage *st, char *count,
			  char *conv, char *median, size_t size, bool human)
{
	char tmp[48];

	if (human && st->waived)
		snprintf(count, size, _("%zu (+%zu 跳过)"), st->reached, st->waived);
	else
		snprintf(count, size, "%zu", st->reached);
	conv[0] = median[0] = '\0';
	if (st->has_conversion) {
		if (human)
			snprintf(conv, size, "%s%%",
				 sales_plain_number(st->conversion * 100, 1, tmp, sizeof(tmp)));
		else
			sales_plain_number(st->conversion, 6, conv, size);
	}
	if (st->has_median)
		sales_plain_number(st->median_days, 1, median, size);
}

static int print_funnel_table(const struct sales_funnel *f,
			      const struct report_args *a, bool chart)
{
	const char *title = by_title(a->by);
	struct sales_buf b = { 0 };

	if (a->month)
		printf(_("leads registered in %04d-%02d"), a->year, a->month);
	else if (a->quarter_given)
		printf(_("leads registered in %dQ%d"), a->year, a->quarter);
	else
		fputs(_("every lead"), stdout);
	if (a->ndirs > 1)
		printf(P_(", %zu workbook", ", %zu workbooks", a->ndirs), a->ndirs);
	fputs("\n", stdout);
	for (size_t g = 0; g < f->ngroups; g++) {
		const struct sales_funnel_group *gr = &f->groups[g];
		struct table t;
		const char *hdr[6] = { "阶段", "表", chart ? "" : "客户数",
				       chart ? "客户数" : "转化率",
				       chart ? "转化率" : "中位天数",
				       chart ? "中位天数" : NULL };
		size_t max = gr->stage[0].reached;

		putchar('\n');
		if (gr->name) {
			if (a->fmt == FMT_MD)
				printf("**%s %s**\n\n", title, gr->name);
			else
				printf("%s %s\n", title, gr->name);
		}
		for (int s = 1; s < SALES_NSTAGES; s++)
			if (gr->stage[s].reached > max)
				max = gr->stage[s].reached;
		table_init(&t, chart ? 6 : 5);
		for (size_t c = chart ? 3 : 2; c < t.ncols; c++)
			table_right(&t, c);
		table_add(&t, hdr);
		for (int s = 0; s < SALES_NSTAGES; s++) {
			const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)s);
			char count[48], conv[48], median[48], sheet[8];
			const char *row[6];

			funnel_values(&gr->stage[s], count, conv, median, sizeof(count), true);
			snprintf(sheet, sizeof(sheet), "%02d", d->stage_no);
			if (chart) {
				bar(&b, gr->stage[s].reached, max);
				row[2] = b.len ? b.data : "";
				row[3] = count;
				row[4] = conv;
				row[5] = median;
			} else {
				row[2] = count;
				row[3] = conv;
				row[4] = median;
			}
			row[0] = d->stage;
			row[1] = sheet;
			if (table_add(&t, row) < 0) {
				table_release(&t);
				sales_buf_release(&b);
				error_msg("out of memory");
				return EXIT_USAGE;
			}
		}
		if (a->fmt == FMT_MD)
			table_print_md(stdout, &t);
		else
			table_print(stdout, &t, NULL);
		table_release(&t);
	}
	sales_buf_release(&b);
	printf("\n%s%s\n", a->fmt == FMT_MD ? "" : "  ",
	       _("客户数: leads of 01-leads.csv that appear in the stage's sheet (+N 跳过: leads past it by an approved 跳过环节 exception, without a row); 转化率: of the leads that passed the stage before (its row, or 跳过), the share with a row in this one; 中位天数: the median of the days from a lead's first dated row in the stage before to its first in this one"));
	return 0;
}

static void print_funnel_machine(const struct sales_funnel *f,
				 const struct report_args *a)
{
	static const char *const keys[] = { "quarter", "group", "stage", "sheet",
					     "customers", "conversion", "median_days",
					     "waived" };
	char quarter[16] = "";
	struct sales_buf out = { 0 };
	struct sales_json j;

	if (a->month)
		snprintf(quarter, sizeof(quarter), "%04d-%02d", a->year, a->month);
	else if (a->quarter_given)
		snprintf(quarter, sizeof(quarter), "%dQ%d", a->year, a->quarter);
	sales_json_init(&j, &out);
	if (a->fmt != FMT_JSON) {
		for (size_t i = 0; i < 8; i++)
			put_field(a->fmt, keys[i], i == 0);
		putchar('\n');
	} else {
		sales_json_array(&j, SALES_JSON_LINES);
	}
	for (size_t g = 0; g < f->ngroups; g++)
		for (int s = 0; s < SALES_NSTAGES; s++) {
			const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)s);
			char count[48], conv[48], median[48], sheet[8];

			funnel_values(&f->groups[g].stage[s], count, conv, median,
				      sizeof(count), false);
			snprintf(sheet, sizeof(sheet), "%02d", d->stage_no);
			if (a->fmt == FMT_JSON) {
				sales_json_object(&j, SALES_JSON_COMPACT);
				sales_json_key(&j, "quarter");
				sales_json_str(&j, *quarter ? quarter : NULL);
				sales_json_key(&j, "group");
				sales_json_str(&j, f->groups[g].name);
				sales_json_key(&j, "stage");
				sales_json_str(&j, d->stage);
				sales_json_key(&j, "sheet");
				sales_json_str(&j, sheet);
				sales_json_key(&j, "customers");
				sales_json_number(&j, count);
				sales_json_key(&j, "conversion");
				sales_json_number(&j, conv);
				sales_json_key(&j, "median_days");
				sales_json_number(&j, median);
				sales_json_key(&j, "waived");
				sales_json_int(&j, (long long)f->groups[g].stage[s].waived);
				sales_json_end(&j);
				put_buf(stdout, &out);
				continue;
			}
			put_field(a->fmt, quarter, true);
			put_field(a->fmt, f->groups[g].name ? f->groups[g].name : "", false);
			put_field(a->fmt, d->stage, false);
			put_field(a->fmt, sheet, false);
			put_field(a->fmt, count, false);
			put_field(a->fmt, conv, false);
			put_field(a->fmt, median, false);
			snprintf(count, sizeof(count), "%zu",
				 f->groups[g].stage[s].waived);
			put_field(a->fmt, count, false);
			putchar('\n');
		}
	if (a->fmt == FMT_JSON)
		json_print_end(&j, &out);
	sales_buf_release(&out);
}

static int report_funnel(struct report_args *a, struct sales_ctx *ctx)
{
	struct sales_funnel_query q = { a->dirs, NULL, a->ndirs, a->by,
					a->quarter_given ? a->year : 0,
					a->quarter_given ? a->quarter : 0,
					ctx->today, a->month };
	struct sales_funnel *f;
	struct sales_error err;
	int status;

	if (a->write) {
		error_msg("--write applies to the KPI report, not to the funnel");
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (sales_funnel_compute(&f, &q, &err) < 0)
		return report_error(&err);
	if (a->fmt == FMT_TABLE || a->fmt == FMT_MD)
		status = print_funnel_table(f, a, a->fmt == FMT_TABLE &&
					    (a->chart || isatty(STDOUT_FILENO)));
	else {
		print_funnel_machine(f, a);
		status = 0;
	}
	sales_funnel_free(f);
	return status;
}

/* ---- arguments ---- */

static const struct {
	const char *name;
	int (*fn)(struct report_args *a, struct sales_ctx *ctx);
} report_commands[] = {
	{ "kpi", report_kpi },
	{ "funnel", report_funnel },
	{ "scorecard", report_scorecard },
	{ "targets", report_targets },
};

static bool is_workbook(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	       sales_sheet_exists(dir, SALES_LEADS);
}

int report_period_by(struct report_args *a, const struct sales_ctx *ctx,
		     const char *quarter, const char *month, const char *by)
{
	int by_key = sales_kpi_by_parse(by);

	if (by_key < 0) {
		error_msg("cannot group by '%s' (expected owner, region, product_line or workbook, or the column's header: 负责人, 区域, 产品线)", by);
		return EXIT_USAGE;
	}
	a->by = (enum sales_kpi_by)by_key;
	a->as_of = ctx->today;
	if (quarter && month) {
		error_msg("give --quarter or --month, not both");
		return EXIT_USAGE;
	}
	if (month) {
		if (!sales_kpi_parse_month(month, &a->year, &a->quarter, &a->month)) {
			error_msg("option '--month': '%s' is not a month (expected e.g. 2023-11)",
				  month);
			return EXIT_USAGE;
		}
		a->quarter_given = true;
	} else if (quarter && !strcmp(quarter, "current")) {
		sales_date_to_ymd(a->as_of, &a->year, NULL, NULL);
		a->quarter = sales_date_quarter(a->as_of);
		a->quarter_given = true;
	} else if (quarter) {
		if (sales_parse_quarter(quarter, strlen(quarter), &a->year, &a->quarter) !=
		    SALES_VALUE_OK) {
			error_msg("option '--quarter': '%s' is not a quarter (expected e.g. 2023Q4)",
				  quarter);
			return EXIT_USAGE;
		}
		a->quarter_given = true;
	} else {
		sales_kpi_default_quarter(a->as_of, &a->year, &a->quarter);
		a->quarter_default = true;
	}
	return 0;
}

int report_dirs(struct report_args *a, struct sales_ctx *ctx, int n,
		const char **argv, char **found)
{
	struct sales_error err;

	*found = NULL;
	for (int i = 0; i < n; i++)
		if (!is_workbook(argv[i])) {
			error_msg("'%s' is not a workbook (no folder holding 01-leads.csv)", argv[i]);
			return EXIT_USAGE;
		}
	if (n > 0) {
		a->dirs = argv;
		a->ndirs = (size_t)n;
		return 0;
	}
	sales_error_clear(&err);
	if (sales_workbook_find(ctx->dir_opt, found, &err) < 0)
		return report_error(&err);
	if (!is_workbook(*found)) {
		error_msg("'%s' is not a workbook (no 01-leads.csv)", *found);
		free(*found);
		*found = NULL;
		return EXIT_USAGE;
	}
	a->dirs = (const char **)found;
	a->ndirs = 1;
	return 0;
}

int cmd_report(int argc, const char **argv, struct sales_ctx *ctx)
{
	struct report_args a = { .fmt = FMT_TABLE };
	const char *quarter = NULL, *month = NULL, *by = "none";
	bool write = false, explain = false, chart = false, formulas = false;
	long digits = 6;
	const struct opt opts[] = {
		OPT_STR('q', "quarter", &quarter, "Q", "the quarter, e.g. 2023Q4, or 'current' for the running one (default: the last complete quarter)"),
		OPT_STR('m', "month", &month, "YYYY-MM", "每月统计: the same KPIs over one month, e.g. 2023-11"),
		OPT_AS_OF(&ctx->today),
		OPT_STR(0, "by", &by, "KEY", "group by owner (负责人), region (区域), product_line (产品线) or workbook (工作簿)"),
		OPT_FORMAT_OF(&a.fmt, FMTS_TABLE),
		OPT_BOOLEAN(0, "write", &write, "fill 实际值, 完成率 and 同比变化 of the quarter in 08-kpi.csv"),
		OPT_BOOLEAN(0, "formulas", &formulas, "show how each KPI is computed (the formula block)"),
		OPT_BOOLEAN(0, "explain", &explain, "show the formulas and each metric's numerator and denominator"),
		OPT_BOOLEAN(0, "chart", &chart, "funnel: draw the bar chart even when not on a terminal"),
		OPT_NUM(0, "digits", &digits, "N", "decimals of csv, tsv and json values (default 6, at most 15)"),
		OPT_DONE,
	};
	int (*fn)(struct report_args *, struct sales_ctx *) = report_kpi;
	char *found = NULL;
	int n, code, status;

	n = parse_options(argc, argv, opts, report_usage, &code);
	if (n < 0)
		return code;
	if (digits < 0 || digits > 15) {
		error_msg("option '--digits': %ld is not from 0 to 15", digits);
		return EXIT_USAGE;
	}
	machine_digits = (int)digits;
	for (size_t i = 0; n > 0 && i < sizeof(report_commands) / sizeof(report_commands[0]); i++)
		if (!strcmp(argv[0], report_commands[i].name)) {
			fn = report_commands[i].fn;
			argv++;
			n--;
			break;
		}
	status = report_period_by(&a, ctx, quarter, month, by);
	if (status)
		return status;
	a.write = write;
	a.explain = explain;
	a.formulas = formulas || explain;
	a.chart = chart;
	for (int i = 0; i < n; i++)
		if (!is_workbook(argv[i])) {
			struct nearest near;
			struct stat st;

			nearest_init(&near, argv[i]);
			for (size_t k = 0; k < sizeof(report_commands) / sizeof(report_commands[0]); k++)
				nearest_try(&near, report_commands[k].name);
			if (i == 0 && fn == report_kpi && near.pick &&
			    stat(argv[i], &st) < 0)
				return unknown_subcommand("report", argv[i], near.pick);
			error_msg("'%s' is not a workbook (no folder holding 01-leads.csv)", argv[i]);
			return EXIT_USAGE;
		}
	status = report_dirs(&a, ctx, n, argv, &found);
	if (status)
		return status;
	status = fn(&a, ctx);
	free(found);
	return status;
}
