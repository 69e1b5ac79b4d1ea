/*
 * review.c - `sales review`: the 复盘 pack of review.h as a Markdown
 * 复盘会议纪要 draft, one self-contained HTML page (inline CSS and SVG, no
 * script, nothing fetched), or JSON.
 *
 * The tables are built once (struct sect: the human cells, and beside each
 * cell its machine key and value) and printed as Markdown or HTML from the
 * same cells; the HTML carries every number as data-key/data-value, which
 * are the JSON's values exactly (the tests compare them).
 */
#include "cmd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "json.h"
#include "kpi.h"
#include "report.h"
#include "review.h"
#include "schema.h"

static const char *const review_usage[] = {
	"sales review [DIR...] [--quarter 2023Q4 | --month 2023-11] [--as-of DATE] [--by owner|region|product_line|workbook] [--format md|html|json]",
	NULL,
};

/* ---- values ---- */

static char *mval(bool has, double v, char *buf)
{
	return (char *)machine_value(has, v, buf, 48);
}

static const char *date_or(sales_date d, char *buf)
{
	if (d == SALES_DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	return sales_date_format(d, buf);
}

static const char *stage_name(int s)
{
	return s >= 0 && s < SALES_NSTAGES ?
		sales_sheet_def((enum sales_sheet_id)s)->stage : "";
}

static void period_text(int y, int q, int m, char *buf)
{
	if (m)
		snprintf(buf, 16, "%04d-%02d", y, m);
	else
		snprintf(buf, 16, "%dQ%d", y, q);
}

/* ---- sections: human cells, and a machine key=value beside each ---- */

struct sect {
	const char *title;
	struct table human, data;
	bool oom;
};

static void sect_init(struct sect *s, const char *title, size_t ncols,
		      const char *const *header)
{
	s->title = title;
	s->oom = false;
	table_init(&s->human, ncols);
	table_init(&s->data, ncols);
	if (table_add(&s->human, header) < 0)
		s->oom = true;
}

/* One row: cells[i] is shown; keys[i] (may be NULL) names its machine
 * value vals[i]. */
static void sect_row(struct sect *s, const char *const *cells,
		     const char *const *keys, const char *const *vals)
{
	const char *data[TABLE_MAX_COLS];
	char buf[TABLE_MAX_COLS][160];

	for (size_t i = 0; i < s->human.ncols; i++) {
		buf[i][0] = '\0';
		if (keys && keys[i] && vals[i] && *vals[i])
			snprintf(buf[i], sizeof(buf[i]), "%s\x1f%s", keys[i], vals[i]);
		data[i] = buf[i];
	}
	if (table_add(&s->human, cells) < 0 || table_add(&s->data, data) < 0)
		s->oom = true;
}

static void sect_release(struct sect *s)
{
	table_release(&s->human);
	table_release(&s->data);
}

static void html_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: putc(*s, f);
		}
}

/* A column empty in every row, the header included (the group column of
 * a report that is not grouped): left out. */
static bool col_empty(const struct sect *s, size_t c)
{
	for (size_t r = 0; r < s->human.nrows; r++)
		if (*table_cell(&s->human, r, c))
			return false;
	return true;
}

static void sect_print(FILE *f, const struct sect *s, enum out_format fmt,
		       const char *heading)
{
	if (fmt == FMT_MD) {
		if (heading)
			fprintf(f, "%s\n\n", heading);
		if (s->human.nrows <= 1) {
			fputs(_("（无）\n\n"), f);
			return;
		}
		for (size_t r = 0; r < s->human.nrows; r++) {
			for (size_t c = 0; c < s->human.ncols; c++) {
				const char *v = table_cell(&s->human, r, c);

				if (col_empty(s, c))
					continue;
				fputs("| ", f);
				for (; *v; v++)
					if (*v == '|')
						fputs("\\|", f);
					else if (*v == '\n' || *v == '\r')
						putc(' ', f);
					else
						putc(*v, f);
				putc(' ', f);
			}
			fputs("|\n", f);
			if (r == 0) {
				for (size_t c = 0; c < s->human.ncols; c++)
					if (!col_empty(s, c))
						fputs(strchr(table_cell(&s->data, 0, c), '\x1f') ?
						      "| ---: " : "| --- ", f);
				fputs("|\n", f);
			}
		}
		fputc('\n', f);
		return;
	}
	if (heading) {
		fputs("<h2>", f);
		html_text(f, heading);
		fputs("</h2>\n", f);
	}
	if (s->human.nrows <= 1) {
		fputs("<p class=\"none\">", f);
		html_text(f, _("（无）"));
		fputs("</p>\n", f);
		return;
	}
	fputs("<table>\n<tr>", f);
	for (size_t c = 0; c < s->human.ncols; c++) {
		if (col_empty(s, c))
			continue;
		fputs("<th>", f);
		html_text(f, table_cell(&s->human, 0, c));
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t r = 1; r < s->human.nrows; r++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < s->human.ncols; c++) {
			const char *d = table_cell(&s->data, r - 1, c);
			const char *sep = strchr(d, '\x1f');

			if (col_empty(s, c))
				continue;
			if (sep) {
				fputs("<td class=\"num\" data-key=\"", f);
				fwrite(d, 1, (size_t)(sep - d), f);
				fputs("\" data-value=\"", f);
				html_text(f, sep + 1);
				fputs("\">", f);
			} else {
				fputs("<td>", f);
			}
			html_text(f, table_cell(&s->human, r, c));
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* ---- the sections ---- */

static void kpi_sect(struct sect *s, const struct sales_kpi_report *r)
{
	static const char *const hdr[] = { "分组", "指标名称", "目标值", "实际值",
					   "完成率", "同比变化" };
	const char *h[6];

	memcpy(h, hdr, sizeof(h));
	h[0] = by_title(r->by) ? by_title(r->by) : "";
	sect_init(s, "kpi", 6, h);
	for (size_t g = 0; g < r->ngroups; g++)
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			const struct sales_kpi_figure *f = &r->groups[g].m[m];
			enum sales_kpi_id id = (enum sales_kpi_id)m;
			char v[4][SALES_KPI_FMT_MAX];
			char mv[4][48], keys[4][128];
			const char *cells[6] = { r->groups[g].name ? r->groups[g].name : "",
						 sales_kpi_defs[m].name, v[0], v[1], v[2], v[3] };
			const char *kk[6] = { NULL, NULL, keys[0], keys[1], keys[2], keys[3] };
			const char *vv[6] = { NULL, NULL, mv[0], mv[1], mv[2], mv[3] };
			static const char *const fields[] = { "target", "actual", "completion", "yoy" };

			kpi_cells(id, f, false, v);
			mval(f->has_target, f->target, mv[0]);
			mval(f->has_actual, f->actual, mv[1]);
			mval(f->has_completion, f->completion, mv[2]);
			mval(f->has_yoy, f->yoy, mv[3]);
			for (int k = 0; k < 4; k++)
				snprintf(keys[k], sizeof(keys[k]), "kpi.%s%s%s.%s",
					 r->groups[g].name ? r->groups[g].name : "",
					 r->groups[g].name ? "." : "",
					 sales_kpi_defs[m].key, fields[k]);
			sect_row(s, cells, kk, vv);
		}
}

static void funnel_sect(struct sect *s, const struct sales_funnel *fu,
			enum sales_kpi_by by)
{
	const char *h[] = { by_title(by) ? by_title(by) : "", "阶段", "表",
			    "客户数", "成功率", "中位天数" };

	sect_init(s, "funnel", 6, h);
	for (size_t g = 0; g < fu->ngroups; g++)
		for (int st = 0; st < SALES_NSTAGES; st++) {
			const struct sales_funnel_stage *x = &fu->groups[g].stage[st];
			const char *gn = fu->groups[g].name;
			char sheet[8], count[24], conv[48], med[48], mconv[48], mmed[48];
			char k[3][128];
			const char *cells[6] = { gn ? gn : "", stage_name(st), sheet,
						 count, conv, med };
			const char *kk[6] = { NULL, NULL, NULL, k[0], k[1], k[2] };
			const char *vv[6] = { NULL, NULL, NULL, count, mconv, mmed };

			snprintf(sheet, sizeof(sheet), "%02d", st + 1);
			snprintf(count, sizeof(count), "%zu", x->reached);
			pct_text(x->has_conversion, x->conversion, conv);
			med[0] = '\0';
			if (x->has_median)
				sales_plain_number(x->median_days, 1, med, sizeof(med));
			mval(x->has_conversion, x->conversion, mconv);
			mval(x->has_median, x->median_days, mmed);
			snprintf(k[0], sizeof(k[0]), "funnel.%s%s%s.customers",
				 gn ? gn : "", gn ? "." : "", sheet);
			snprintf(k[1], sizeof(k[1]), "funnel.%s%s%s.conversion",
				 gn ? gn : "", gn ? "." : "", sheet);
			snprintf(k[2], sizeof(k[2]), "funnel.%s%s%s.median_days",
				 gn ? gn : "", gn ? "." : "", sheet);
			sect_row(s, cells, kk, vv);
		}
}

static void trend_sect(struct sect *s, const struct sales_review_pack *r)
{
	const char *h[1 + SALES_REVIEW_TREND];
	char per[SALES_REVIEW_TREND][16];

	h[0] = "指标名称";
	for (int i = 0; i < SALES_REVIEW_TREND; i++) {
		sales_kpi_period(r->trend[i], false, per[i]);
		h[1 + i] = per[i];
	}
	sect_init(s, "trend", 1 + SALES_REVIEW_TREND, h);
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		char v[SALES_REVIEW_TREND][SALES_KPI_FMT_MAX], mv[SALES_REVIEW_TREND][48];
		char k[SALES_REVIEW_TREND][96];
		const char *cells[1 + SALES_REVIEW_TREND], *kk[1 + SALES_REVIEW_TREND],
			*vv[1 + SALES_REVIEW_TREND];

		cells[0] = sales_kpi_defs[m].name;
		kk[0] = vv[0] = NULL;
		for (int i = 0; i < SALES_REVIEW_TREND; i++) {
			const struct sales_kpi_figure *f = &r->trend[i]->groups[0].m[m];

			v[i][0] = '\0';
			if (f->has_actual)
				sales_kpi_format_value((enum sales_kpi_id)m, f->actual, v[i]);
			mval(f->has_actual, f->actual, mv[i]);
			snprintf(k[i], sizeof(k[i]), "trend.%s.%s", per[i],
				 sales_kpi_defs[m].key);
			cells[1 + i] = v[i];
			kk[1 + i] = k[i];
			vv[1 + i] = mv[i];
		}
		sect_row(s, cells, kk, vv);
	}
}

static void cases_sect(struct sect *s, const struct sales_review_pack *r, bool won)
{
	static const char *const hw[] = { "客户名称", "合同编号", "合同金额(万元)",
					  "销售周期(天)", "阶段", "负责人", "签订日期" };
	static const char *const hl[] = { "客户名称", "最高报价(万元)", "到达阶段",
					  "停滞天数", "丢单原因", "负责人", "丢单日期" };
	const struct sales_review_case *v = won ? r->won : r->lost;
	size_t n = won ? r->nwon : r->nlost;

	sect_init(s, won ? "won" : "lost", 7, won ? hw : hl);
	for (size_t i = 0; i < n; i++) {
		const struct sales_review_case *c = &v[i];
		char amount[48], days[24], stage[64], date[11];
		char name[256];

		amount[0] = days[0] = '\0';
		if (c->has_amount)
			sales_plain_number(c->amount, 2, amount, sizeof(amount));
		if ((won ? c->cycle_days : c->stalled_days) >= 0)
			snprintf(days, sizeof(days), "%ld", won ? c->cycle_days : c->stalled_days);
		snprintf(stage, sizeof(stage), "%s (%d/%d)", stage_name(c->stage),
			 c->nstages, SALES_NSTAGES);
		snprintf(name, sizeof(name), "%s%s%s", c->workbook ? c->workbook : "",
			 c->workbook ? ": " : "", c->customer);
		date_or(c->date, date);
		if (won) {
			const char *cells[7] = { name, c->contract, amount, days, stage,
						 c->owner, date };
			sect_row(s, cells, NULL, NULL);
		} else {
			const char *cells[7] = { name, amount, stage, days, c->reason,
						 c->owner, date };
			sect_row(s, cells, NULL, NULL);
		}
	}
}

static void score_sect(struct sect *s, const struct sales_scorecard *sc)
{
	static const char *const h[] = { "负责人", "线索", "线索转化率", "平均客单价(万元)",
					 "销售周期(天)", "客户满意度", "流程执行率", "逾期",
					 "考核得分" };

	sect_init(s, "scorecard", 9, h);
	for (size_t i = 0; i < sc->nrows; i++) {
		const struct sales_scorecard_row *r = &sc->rows[i];
		static const int kpis[4] = { SALES_KPI_CONVERSION, SALES_KPI_DEAL_SIZE,
					     SALES_KPI_CYCLE, SALES_KPI_SATISFACTION };
		static const char *const names[] = { "leads", "conversion", "deal_size",
						      "cycle", "satisfaction", "process",
						      "overdue", "score" };
		char v[8][48], mv[8][48], k[8][128];
		const char *cells[9], *kk[9], *vv[9];

		snprintf(v[0], 48, "%zu", r->leads);
		snprintf(mv[0], 48, "%zu", r->leads);
		for (int j = 0; j < 4; j++) {
			const struct sales_kpi_figure *f = &r->kpi[kpis[j]];

			v[1 + j][0] = '\0';
			if (f->has_actual)
				sales_kpi_format_value((enum sales_kpi_id)kpis[j], f->actual, v[1 + j]);
			mval(f->has_actual, f->actual, mv[1 + j]);
		}
		pct_text(r->customers > 0, r->customers ? (double)r->clean / (double)r->customers : 0,
		    v[5]);
		mval(r->customers > 0,
		     r->customers ? (double)r->clean / (double)r->customers : 0, mv[5]);
		snprintf(v[6], 48, "%zu", r->overdue);
		snprintf(mv[6], 48, "%zu", r->overdue);
		v[7][0] = '\0';
		if (r->has_score)
			sales_plain_number(r->score, 1, v[7], 48);
		mval(r->has_score, r->score, mv[7]);
		cells[0] = r->owner;
		kk[0] = vv[0] = NULL;
		for (int j = 0; j < 8; j++) {
			snprintf(k[j], sizeof(k[j]), "scorecard.%s.%s", r->owner, names[j]);
			cells[1 + j] = v[j];
			kk[1 + j] = k[j];
			vv[1 + j] = mv[j];
		}
		sect_row(s, cells, kk, vv);
	}
}

static void calib_row(struct sect *s, const char *dim, const struct sales_calib_bucket *b)
{
	char n[24], w[24], l[24], conv[48], cyc[48];
	const char *cells[7] = { dim, b->label, n, w, l, conv, cyc };

	snprintf(n, sizeof(n), "%zu", b->leads);
	snprintf(w, sizeof(w), "%zu", b->won);
	snprintf(l, sizeof(l), "%zu", b->lost);
	pct_text(b->leads > 0, b->leads ? (double)b->won / (double)b->leads : 0, conv);
	cyc[0] = '\0';
	if (b->ncycle)
		sales_plain_number(b->cycle_days / (double)b->ncycle, 1, cyc, sizeof(cyc));
	sect_row(s, cells, NULL, NULL);
}

static void calib_sect(struct sect *s, const struct sales_calibration *c)
{
	static const char *const h[] = { "维度", "分组", "线索", "签约", "丢单",
					 "转化率", "平均周期(天)" };

	sect_init(s, "calibration", 7, h);
	for (int g = 0; g < 4; g++)
		if (c->grade[g].leads)
			calib_row(s, "线索等级", &c->grade[g]);
	for (int d = 0; d < SALES_SCORE_NDIMS; d++)
		for (size_t i = 0; i < c->ndim[d]; i++)
			calib_row(s, sales_score_dim_names[d], &c->dim[d][i]);
}

static void overdue_sect(struct sect *s, const struct sales_review_pack *r)
{
	static const char *const h[] = { "事项", "客户名称", "负责人", "到期日", "逾期天数" };

	sect_init(s, "overdue", 5, h);
	for (size_t i = 0; i < r->noverdue; i++) {
		const struct sales_review_item *o = &r->overdue[i];
		char date[11], days[24], name[256];
		const char *cells[5] = { o->label, name, o->owner, date, days };

		snprintf(name, sizeof(name), "%s%s%s", o->workbook ? o->workbook : "",
			 o->workbook ? ": " : "", o->customer);
		date_or(o->date, date);
		snprintf(days, sizeof(days), "%ld", o->days_overdue);
		sect_row(s, cells, NULL, NULL);
	}
}

static void exc_sect(struct sect *s, const struct sales_review_pack *r)
{
	static const char *const h[] = { "客户名称", "类型", "环节", "原因", "审批人",
					 "审批日期", "有效" };

	sect_init(s, "exceptions", 7, h);
	for (size_t i = 0; i < r->nexceptions; i++) {
		const struct sales_review_exception *e = &r->exceptions[i];
		char date[11], valid[256];
		const char *cells[7] = { e->customer, e->type, e->stage, e->reason,
					 e->approver, date, valid };

		date_or(e->approved, date);
		snprintf(valid, sizeof(valid), "%s%s%s", e->valid ? "是" : "否",
			 e->valid ? "" : ": ", e->valid ? "" : e->why_invalid);
		sect_row(s, cells, NULL, NULL);
	}
}

/* ---- JSON ---- */

static void jstr(struct sales_json *j, const char *k, const char *v)
{
	sales_json_key(j, k);
	sales_json_str(j, v);
}

static void jnum(struct sales_json *j, const char *k, bool has, double v)
{
	char b[48];

	sales_json_key(j, k);
	sales_json_number(j, mval(has, v, b));
}

/* A top-level member holding a list, on lines of its own. */
static void jlist(struct sales_json *j, const char *k)
{
	sales_json_break(j);
	sales_json_key(j, k);
	sales_json_array(j, SALES_JSON_LINES_BLOCK);
}

static void print_json(const struct sales_review_pack *r)
{
	char per[16], quarter[16], asof[11], d[11];
	struct sales_buf out = { 0 };
	struct sales_json js, *j = &js;

	period_text(r->year, r->quarter, r->month, per);
	snprintf(quarter, sizeof(quarter), "%dQ%d", r->year, r->quarter);
	sales_json_init(j, &out);
	sales_json_object(j, SALES_JSON_COMPACT);
	jstr(j, "period", per);
	jstr(j, "quarter", quarter);
	jstr(j, "month", r->month ? per : NULL);
	jstr(j, "as_of", sales_date_format(r->as_of, asof));
	jstr(j, "from", sales_date_format(r->first, d));
	jstr(j, "to", sales_date_format(r->last, d));
	jlist(j, "kpi");
	for (size_t g = 0; g < r->kpi->ngroups; g++)
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			const struct sales_kpi_figure *f = &r->kpi->groups[g].m[m];

			sales_json_object(j, SALES_JSON_COMPACT);
			jstr(j, "group", r->kpi->groups[g].name);
			jstr(j, "metric", sales_kpi_defs[m].name);
			jstr(j, "key", sales_kpi_defs[m].key);
			jnum(j, "target", f->has_target, f->target);
			jnum(j, "actual", f->has_actual, f->actual);
			jnum(j, "completion", f->has_completion, f->completion);
			jnum(j, "yoy", f->has_yoy, f->yoy);
			sales_json_end(j);
		}
	sales_json_end(j);
	jlist(j, "funnel");
	for (size_t g = 0; g < r->funnel->ngroups; g++)
		for (int s = 0; s < SALES_NSTAGES; s++) {
			const struct sales_funnel_stage *x = &r->funnel->groups[g].stage[s];
			char sheet[8];

			snprintf(sheet, sizeof(sheet), "%02d", s + 1);
			sales_json_object(j, SALES_JSON_COMPACT);
			jstr(j, "group", r->funnel->groups[g].name);
			jstr(j, "stage", stage_name(s));
			jstr(j, "sheet", sheet);
			jnum(j, "customers", true, (double)x->reached);
			jnum(j, "conversion", x->has_conversion, x->conversion);
			jnum(j, "median_days", x->has_median, x->median_days);
			sales_json_end(j);
		}
	sales_json_end(j);
	jlist(j, "trend");
	for (int i = 0; i < SALES_REVIEW_TREND; i++) {
		char p[16];

		sales_json_object(j, SALES_JSON_COMPACT);
		jstr(j, "period", sales_kpi_period(r->trend[i], false, p));
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			const struct sales_kpi_figure *f = &r->trend[i]->groups[0].m[m];

			jnum(j, sales_kpi_defs[m].key, f->has_actual, f->actual);
		}
		sales_json_end(j);
	}
	sales_json_end(j);
	for (int w = 0; w < 2; w++) {
		const struct sales_review_case *v = w ? r->lost : r->won;
		size_t n = w ? r->nlost : r->nwon;

		jlist(j, w ? "lost" : "won");
		for (size_t i = 0; i < n; i++) {
			const struct sales_review_case *c = &v[i];

			sales_json_object(j, SALES_JSON_COMPACT);
			jstr(j, "workbook", c->workbook);
			jstr(j, "customer", c->customer);
			jstr(j, "owner", c->owner);
			if (!w)
				jstr(j, "contract", c->contract);
			jnum(j, "amount", c->has_amount, c->amount);
			if (!w)
				jnum(j, "cycle_days", c->cycle_days >= 0, (double)c->cycle_days);
			jstr(j, "stage", stage_name(c->stage));
			jnum(j, "stages", true, c->nstages);
			jstr(j, w ? "closed" : "signed", date_or(c->date, d));
			if (w) {
				jnum(j, "stalled_days", c->stalled_days >= 0,
				     (double)c->stalled_days);
				jstr(j, "reason", c->reason);
			}
			sales_json_end(j);
		}
		sales_json_end(j);
	}
	jlist(j, "scorecard");
	for (size_t i = 0; i < r->scorecard->nrows; i++) {
		const struct sales_scorecard_row *s = &r->scorecard->rows[i];

		sales_json_object(j, SALES_JSON_COMPACT);
		jstr(j, "owner", s->owner);
		jnum(j, "leads", true, (double)s->leads);
		jnum(j, "conversion", s->kpi[SALES_KPI_CONVERSION].has_actual,
		     s->kpi[SALES_KPI_CONVERSION].actual);
		jnum(j, "deal_size", s->kpi[SALES_KPI_DEAL_SIZE].has_actual,
		     s->kpi[SALES_KPI_DEAL_SIZE].actual);
		jnum(j, "cycle", s->kpi[SALES_KPI_CYCLE].has_actual,
		     s->kpi[SALES_KPI_CYCLE].actual);
		jnum(j, "satisfaction", s->kpi[SALES_KPI_SATISFACTION].has_actual,
		     s->kpi[SALES_KPI_SATISFACTION].actual);
		jnum(j, "process", s->customers > 0,
		     s->customers ? (double)s->clean / (double)s->customers : 0);
		jnum(j, "customers", true, (double)s->customers);
		jnum(j, "overdue", true, (double)s->overdue);
		jnum(j, "score", s->has_score, s->score);
		sales_json_end(j);
	}
	sales_json_end(j);
	sales_json_break(j);
	sales_json_key(j, "weights");
	sales_json_object(j, SALES_JSON_COMPACT);
	for (int dd = 0; dd < SALES_NDIMS; dd++) {
		sales_json_key(j, sales_score_dims[dd].key);
		sales_json_int(j, r->scorecard->weight[dd]);
	}
	sales_json_end(j);
	sales_json_break(j);
	sales_json_key(j, "calibration");
	sales_json_object(j, SALES_JSON_COMPACT);
	sales_json_key(j, "leads");
	sales_json_int(j, (long long)r->calibration->leads);
	sales_json_key(j, "threshold_a");
	sales_json_int(j, r->calibration->threshold_a);
	sales_json_key(j, "threshold_b");
	sales_json_int(j, r->calibration->threshold_b);
	sales_json_key(j, "closed_won");
	sales_json_int(j, (long long)r->calibration->closed_won);
	sales_json_key(j, "closed_lost");
	sales_json_int(j, (long long)r->calibration->closed_lost);
	sales_json_key(j, "suggested_threshold_a");
	if (calib_has_suggestion(r->calibration))
		sales_json_int(j, r->calibration->best);
	else
		sales_json_null(j);
	sales_json_key(j, "grades");
	sales_json_array(j, SALES_JSON_LINES_TIGHT);
	for (int g = 0; g < 4; g++) {
		const struct sales_calib_bucket *b = &r->calibration->grade[g];

		if (!b->leads)
			continue;
		sales_json_object(j, SALES_JSON_COMPACT);
		jstr(j, "grade", b->label);
		jnum(j, "leads", true, (double)b->leads);
		jnum(j, "won", true, (double)b->won);
		jnum(j, "lost", true, (double)b->lost);
		jnum(j, "conversion", true, (double)b->won / (double)b->leads);
		jnum(j, "cycle_days", b->ncycle > 0,
		     b->ncycle ? b->cycle_days / (double)b->ncycle : 0);
		sales_json_end(j);
	}
	sales_json_end(j);
	sales_json_end(j);
	jlist(j, "overdue");
	for (size_t i = 0; i < r->noverdue; i++) {
		const struct sales_review_item *o = &r->overdue[i];

		sales_json_object(j, SALES_JSON_COMPACT);
		jstr(j, "workbook", o->workbook);
		jstr(j, "kind", o->kind);
		jstr(j, "label", o->label);
		jstr(j, "customer", o->customer);
		jstr(j, "owner", o->owner);
		jstr(j, "date", date_or(o->date, d));
		jnum(j, "days_overdue", true, (double)o->days_overdue);
		sales_json_end(j);
	}
	sales_json_end(j);
	jlist(j, "exceptions");
	for (size_t i = 0; i < r->nexceptions; i++) {
		const struct sales_review_exception *e = &r->exceptions[i];

		sales_json_object(j, SALES_JSON_COMPACT);
		jstr(j, "workbook", e->workbook);
		jstr(j, "customer", e->customer);
		jstr(j, "type", e->type);
		jstr(j, "stage", e->stage);
		jstr(j, "reason", e->reason);
		jstr(j, "approver", e->approver);
		jstr(j, "approved", date_or(e->approved, d));
		sales_json_key(j, "valid");
		sales_json_bool(j, e->valid);
		sales_json_end(j);
	}
	sales_json_end(j);
	jlist(j, "attendees");
	for (size_t i = 0; i < r->nteam; i++) {
		sales_json_object(j, SALES_JSON_COMPACT);
		jstr(j, "name", r->team[i].name);
		jstr(j, "role", r->team[i].role);
		sales_json_end(j);
	}
	json_print_end(j, &out);
	sales_buf_release(&out);
}

/* ---- HTML charts (inline SVG) ---- */

static void svg_kpi_bars(FILE *f, const struct sales_kpi_report *k)
{
	const struct sales_kpi_group *g = &k->groups[0];
	int h = 28 * SALES_KPI_COUNT + 24;

	if (k->ngroups != 1)
		return;
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 640 %d\" width=\"640\" height=\"%d\" role=\"img\" aria-label=\"完成率\">\n", h, h);
	/* 280 px per 100%, cut at 150%: the target line at x = 160 + 280 */
	fprintf(f, "<line x1=\"440\" y1=\"4\" x2=\"440\" y2=\"%d\" class=\"target\"/>\n", h - 18);
	fprintf(f, "<text x=\"440\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">目标 100%%</text>\n", h - 4);
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		const struct sales_kpi_figure *x = &g->m[m];
		int y = 6 + 28 * m;
		char v[48], mv[48];

		fprintf(f, "<text x=\"0\" y=\"%d\" class=\"label\">", y + 15);
		html_text(f, sales_kpi_defs[m].name);
		fputs("</text>\n", f);
		if (x->has_completion) {
			double c = x->completion < 0 ? 0 : x->completion > 1.5 ? 1.5 : x->completion;

			fprintf(f, "<rect x=\"160\" y=\"%d\" width=\"%.1f\" height=\"18\" class=\"%s\" data-key=\"bar.%s.completion\" data-value=\"%s\"/>\n",
				y, c * 280, x->completion >= 1 ? "bar ok" : "bar short",
				sales_kpi_defs[m].key, mval(true, x->completion, mv));
			sales_kpi_format_completion(x->completion, v);
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text>\n",
				160 + c * 280 + 4, y + 14, v);
		} else {
			fprintf(f, "<text x=\"164\" y=\"%d\" class=\"value muted\">%s</text>\n",
				y + 14, x->has_actual ? "无目标值" : "无数据");
		}
	}
	fputs("</svg>\n", f);
}

static void svg_funnel(FILE *f, const struct sales_funnel *fu)
{
	const struct sales_funnel_group *g = &fu->groups[0];
	size_t max = 1;

	if (fu->ngroups != 1)
		return;
	for (int s = 0; s < SALES_NSTAGES; s++)
		if (g->stage[s].reached > max)
			max = g->stage[s].reached;
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 640 %d\" width=\"640\" height=\"%d\" role=\"img\" aria-label=\"漏斗\">\n",
		26 * SALES_NSTAGES + 6, 26 * SALES_NSTAGES + 6);
	for (int s = 0; s < SALES_NSTAGES; s++) {
		const struct sales_funnel_stage *x = &g->stage[s];
		double w = 380.0 * (double)x->reached / (double)max;
		int y = 4 + 26 * s;
		char conv[48], med[48];

		fprintf(f, "<text x=\"0\" y=\"%d\" class=\"label\">%s</text>\n", y + 15,
			stage_name(s));
		fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" class=\"bar funnel\"/>\n",
			100 + (380 - w) / 2, y, w);
		pct_text(x->has_conversion, x->conversion, conv);
		med[0] = '\0';
		if (x->has_median)
			sales_plain_number(x->median_days, 1, med, sizeof(med));
		fprintf(f, "<text x=\"490\" y=\"%d\" class=\"value\">%zu%s%s%s%s%s</text>\n",
			y + 15, x->reached, *conv ? " · " : "", conv,
			*med ? " · " : "", med, *med ? "天" : "");
	}
	fputs("</svg>\n", f);
}

static void svg_trend(FILE *f, const struct sales_review_pack *r)
{
	fputs("<div class=\"trend\">\n", f);
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		double lo = INFINITY, hi = -INFINITY;
		int n = 0;
		char last[SALES_KPI_FMT_MAX] = "";

		for (int i = 0; i < SALES_REVIEW_TREND; i++) {
			const struct sales_kpi_figure *x = &r->trend[i]->groups[0].m[m];

			if (!x->has_actual)
				continue;
			n++;
			if (x->actual < lo)
				lo = x->actual;
			if (x->actual > hi)
				hi = x->actual;
		}
		fputs("<svg class=\"spark\" viewBox=\"0 0 200 90\" width=\"200\" height=\"90\" role=\"img\">\n<text x=\"0\" y=\"12\" class=\"label\">", f);
		html_text(f, sales_kpi_defs[m].name);
		fputs("</text>\n", f);
		if (n) {
			bool pen = false;

			if (hi - lo < 1e-9) {
				lo -= 1;
				hi += 1;
			}
			fputs("<polyline class=\"line\" points=\"", f);
			for (int i = 0; i < SALES_REVIEW_TREND; i++) {
				const struct sales_kpi_figure *x = &r->trend[i]->groups[0].m[m];

				if (!x->has_actual)
					continue;
				fprintf(f, "%s%d,%.1f", pen ? " " : "", 28 + 48 * i,
					75 - 50 * (x->actual - lo) / (hi - lo));
				pen = true;
			}
			fputs("\"/>\n", f);
			for (int i = 0; i < SALES_REVIEW_TREND; i++) {
				const struct sales_kpi_figure *x = &r->trend[i]->groups[0].m[m];

				if (!x->has_actual)
					continue;
				fprintf(f, "<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" class=\"dot\"/>\n",
					28 + 48 * i, 75 - 50 * (x->actual - lo) / (hi - lo));
				sales_kpi_format_value((enum sales_kpi_id)m, x->actual, last);
			}
		}
		for (int i = 0; i < SALES_REVIEW_TREND; i++) {
			char p[16];

			fprintf(f, "<text x=\"%d\" y=\"88\" class=\"axis\" text-anchor=\"middle\">%s</text>\n",
				28 + 48 * i, sales_kpi_period(r->trend[i], false, p));
		}
		if (*last)
			fprintf(f, "<text x=\"200\" y=\"12\" class=\"value\" text-anchor=\"end\">%s</text>\n", last);
		fputs("</svg>\n", f);
	}
	fputs("</div>\n", f);
}

static const char css[] =
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif;"
	"margin:24px auto;max-width:960px;color:#1f2933;background:#fff;line-height:1.45}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #3e7cb1;padding-bottom:3px;margin-top:28px}"
	".meta{color:#52606d;margin:0 0 12px}"
	"table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}"
	"th,td{border:1px solid #cbd2d9;padding:4px 8px;text-align:left}th{background:#f0f4f8}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}"
	".chart{display:block;margin:8px 0}.label{font-size:13px;fill:#1f2933}.value{font-size:12px;fill:#1f2933}"
	".muted{fill:#9aa5b1}.axis{font-size:10px;fill:#7b8794}.bar.ok{fill:#3f9142}.bar.short{fill:#d9822b}"
	".bar.funnel{fill:#3e7cb1}.target{stroke:#1f2933;stroke-dasharray:4 3}"
	".trend{display:flex;flex-wrap:wrap;gap:12px}.spark{border:1px solid #e4e7eb;padding:4px}"
	".line{fill:none;stroke:#3e7cb1;stroke-width:2}.dot{fill:#3e7cb1}"
	".none{color:#9aa5b1}.suggest{background:#fffbea;border-left:4px solid #f0b429;padding:6px 10px}"
	".formula{font-size:12px;color:#52606d;white-space:pre-wrap}"
	"@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}";

/* ---- the formats ---- */

struct sects {
	struct sect kpi, funnel, trend, won, lost, score, calib, overdue, exc;
};

static void sects_build(struct sects *s, const struct sales_review_pack *r)
{
	kpi_sect(&s->kpi, r->kpi);
	funnel_sect(&s->funnel, r->funnel, r->kpi->by);
	trend_sect(&s->trend, r);
	cases_sect(&s->won, r, true);
	cases_sect(&s->lost, r, false);
	score_sect(&s->score, r->scorecard);
	calib_sect(&s->calib, r->calibration);
	overdue_sect(&s->overdue, r);
	exc_sect(&s->exc, r);
}

static bool sects_oom(const struct sects *s)
{
	return s->kpi.oom || s->funnel.oom || s->trend.oom || s->won.oom ||
	       s->lost.oom || s->score.oom || s->calib.oom || s->overdue.oom ||
	       s->exc.oom;
}

static void sects_release(struct sects *s)
{
	sect_release(&s->kpi);
	sect_release(&s->funnel);
	sect_release(&s->trend);
	sect_release(&s->won);
	sect_release(&s->lost);
	sect_release(&s->score);
	sect_release(&s->calib);
	sect_release(&s->overdue);
	sect_release(&s->exc);
}

static void print_md(const struct sales_review_pack *r, const struct sects *s,
		     const struct report_args *a)
{
	char per[16], asof[11], d1[11], d2[11];

	period_text(r->year, r->quarter, r->month, per);
	printf(_("# 复盘会议纪要（%s）\n\n"), per);
	printf(_("- 会议日期：%s\n"), sales_date_format(r->as_of, asof));
	fputs(_("- 参会人员："), stdout);
	for (size_t i = 0; i < r->nteam; i++)
		printf("%s%s（%s）", i ? "、" : "", r->team[i].name, r->team[i].role);
	if (!r->nteam)
		fputs(_("（team.csv 无人员）"), stdout);
	putchar('\n');
	printf(_("- 复盘周期：%s（%s 至 %s），数据截至 %s\n"), per,
	       sales_date_format(r->first, d1), sales_date_format(r->last, d2), asof);
	if (a->ndirs > 1) {
		fputs(_("- 工作簿："), stdout);
		for (size_t i = 0; i < a->ndirs; i++)
			printf("%s%s", i ? "、" : "", a->dirs[i]);
		putchar('\n');
	}
	putchar('\n');
	sect_print(stdout, &s->kpi, FMT_MD, _("## 一、关键指标"));
	sect_print(stdout, &s->funnel, FMT_MD, _("## 二、销售漏斗（各阶段成功率与中位天数）"));
	sect_print(stdout, &s->trend, FMT_MD, _("## 三、近四期趋势"));
	fputs(_("## 四、典型案例\n\n"), stdout);
	sect_print(stdout, &s->won, FMT_MD, _("### 赢单（金额从大到小）"));
	sect_print(stdout, &s->lost, FMT_MD, _("### 丢单（金额从大到小）"));
	sect_print(stdout, &s->score, FMT_MD, _("## 五、人员考核"));
	scorecard_formula(stdout, r->scorecard, true);
	sect_print(stdout, &s->calib, FMT_MD, _("## 六、线索评分校准"));
	calib_suggestion(stdout, r->calibration, false);
	putchar('\n');
	sect_print(stdout, &s->overdue, FMT_MD, _("## 七、逾期事项"));
	sect_print(stdout, &s->exc, FMT_MD, _("## 八、本期例外审批"));
	fputs(_("## 九、讨论与改进\n\n### 成功经验\n\n1. \n2. \n\n### 失败教训\n\n1. \n2. \n\n### 改进措施\n\n"), stdout);
	fputs(_("| 改进措施 | 责任人 | 完成时间 |\n| --- | --- | --- |\n|  |  |  |\n|  |  |  |\n|  |  |  |\n"), stdout);
}

static void print_html(const struct sales_review_pack *r, const struct sects *s,
		       const struct report_args *a)
{
	char per[16], asof[11], d1[11], d2[11];

	period_text(r->year, r->quarter, r->month, per);
	printf("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	printf(_("复盘 %s"), per);
	printf("</title>\n<style>%s</style>\n</head>\n<body data-period=\"%s\" data-as-of=\"%s\">\n",
	       css, per, sales_date_format(r->as_of, asof));
	printf(_("<h1>复盘 %s</h1>\n"), per);
	printf(_("<p class=\"meta\">%s 至 %s，数据截至 %s"), sales_date_format(r->first, d1),
	       sales_date_format(r->last, d2), asof);
	for (size_t i = 0; a->ndirs > 1 && i < a->ndirs; i++) {
		fputs(i ? "、" : _("；工作簿："), stdout);
		html_text(stdout, a->dirs[i]);
	}
	fputs(_("；参会人员："), stdout);
	for (size_t i = 0; i < r->nteam; i++) {
		fputs(i ? "、" : "", stdout);
		html_text(stdout, r->team[i].name);
	}
	fputs("</p>\n", stdout);
	printf("<h2>%s</h2>\n", _("关键指标：完成率"));
	svg_kpi_bars(stdout, r->kpi);
	sect_print(stdout, &s->kpi, FMT_HTML, NULL);
	printf("<h2>%s</h2>\n", _("销售漏斗"));
	svg_funnel(stdout, r->funnel);
	sect_print(stdout, &s->funnel, FMT_HTML, NULL);
	printf("<h2>%s</h2>\n", _("近四期趋势"));
	svg_trend(stdout, r);
	sect_print(stdout, &s->trend, FMT_HTML, NULL);
	sect_print(stdout, &s->score, FMT_HTML, _("人员考核"));
	fputs("<div class=\"formula\">", stdout);
	{
		/* the formula text through a temporary buffer, escaped */
		char *buf = NULL;
		size_t len = 0;
		FILE *mf = open_memstream(&buf, &len);

		if (mf) {
			scorecard_formula(mf, r->scorecard, false);
			fclose(mf);
			html_text(stdout, buf);
			free(buf);
		}
	}
	fputs("</div>\n", stdout);
	sect_print(stdout, &s->won, FMT_HTML, _("典型案例：赢单"));
	sect_print(stdout, &s->lost, FMT_HTML, _("典型案例：丢单"));
	sect_print(stdout, &s->calib, FMT_HTML, _("线索评分校准"));
	calib_suggestion(stdout, r->calibration, true);
	sect_print(stdout, &s->overdue, FMT_HTML, _("逾期事项"));
	sect_print(stdout, &s->exc, FMT_HTML, _("本期例外审批"));
	fputs("</body>\n</html>\n", stdout);
}

int cmd_review(int argc, const char **argv, struct sales_ctx *ctx)
{
	struct report_args a = { .fmt = FMT_MD };
	const char *quarter = NULL, *month = NULL, *by = "none";
	const struct opt opts[] = {
		OPT_STR('q', "quarter", &quarter, "Q", "the quarter, e.g. 2023Q4 (default: the one holding the as-of date)"),
		OPT_STR('m', "month", &month, "YYYY-MM", "one month instead, e.g. 2023-11"),
		OPT_AS_OF(&ctx->today),
		OPT_STR(0, "by", &by, "KEY", "group the KPI table and the funnel by owner (负责人), region (区域), product_line (产品线) or workbook (工作簿)"),
		OPT_FORMAT_OF(&a.fmt, FMT_BIT(FMT_MD) | FMT_BIT(FMT_HTML) | FMT_BIT(FMT_JSON)),
		OPT_DONE,
	};
	struct sales_review_query q;
	struct sales_review_pack *r = NULL;
	struct sales_error err;
	struct sects s;
	char *found = NULL;
	int n, code, status;

	n = parse_options(argc, argv, opts, review_usage, &code);
	if (n < 0)
		return code;
	status = report_period_by(&a, ctx, quarter, month, by);
	if (status)
		return status;
	status = report_dirs(&a, ctx, n, argv, &found);
	if (status)
		return status;
	q.dirs = (const char *const *)a.dirs;
	q.ndirs = a.ndirs;
	q.year = a.year;
	q.quarter = a.quarter;
	q.month = a.month;
	q.as_of = a.as_of;
	q.by = a.by;
	sales_error_clear(&err);
	if (sales_review_compute(&r, &q, &err) < 0) {
		status = report_error(&err);
		free(found);
		return status;
	}
	if (a.fmt == FMT_JSON) {
		print_json(r);
	} else {
		sects_build(&s, r);
		if (sects_oom(&s)) {
			error_msg("out of memory");
			status = EXIT_USAGE;
		} else if (a.fmt == FMT_HTML) {
			print_html(r, &s, &a);
		} else {
			print_md(r, &s, &a);
		}
		sects_release(&s);
	}
	for (size_t i = 0; i < a.ndirs; i++)
		warn_open_in_excel(a.dirs[i], false);
	sales_review_free(r);
	free(found);
	return status;
}
