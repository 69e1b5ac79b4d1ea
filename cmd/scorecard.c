/*
 * scorecard.c - `sales report scorecard`: the per-rep 考核 of scorecard.h,
 * as a table, CSV, TSV, JSON or Markdown, with its formula; and each rep's
 * targets.csv targets (targets.h) with actual and 完成率.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "json.h"
#include "kpi.h"
#include "report.h"
#include "scorecard.h"
#include "targets.h"

static const char *const col_keys[] = {
	"period", "owner", "leads", "conversion", "deal_size", "cycle",
	"satisfaction", "process", "customers", "overdue", "score",
};

/* The KPI dimensions' values in human form, or "". */
static void human_kpi(const struct sales_scorecard_row *r, int k, char *buf)
{
	buf[0] = '\0';
	if (r->kpi[k].has_actual)
		sales_kpi_format_value((enum sales_kpi_id)k, r->kpi[k].actual, buf);
}

void scorecard_formula(FILE *f, const struct sales_scorecard *s, bool md)
{
	const char *li = md ? "- " : "  ";
	char asof[11];

	sales_date_format(s->as_of, asof);
	fputc('\n', f);
	fputs(_("考核 = ("), f);
	for (int d = 0; d < SALES_NDIMS; d++)
		fprintf(f, "%s%d × %s", d ? " + " : "", s->weight[d],
			sales_score_dims[d].key);
	fputs(_(") ÷ the sum of the weights of the dimensions that have a value"), f);
	fputc('\n', f);
	if (md)
		fputc('\n', f);
	fprintf(f, _("%sweights are sales.conf [scorecard] conversion, deal_size, cycle, satisfaction, process, overdue\n"), li);
	fprintf(f, _("%sconversion, deal_size, cycle, satisfaction: 100 × min(1, 实际值 ÷ target) (销售周期: target ÷ 实际值); the target is the rep's own, else 08-kpi.csv's 目标值, else the team's figure for the period\n"), li);
	fprintf(f, _("%sprocess: 100 × 流程执行率, the rep's customers (负责人 in 01, registered by the period's end, 最后跟进时间 not before its start) with no error of `sales check` as of %s ÷ those customers\n"), li, asof);
	fprintf(f, _("%soverdue: 100 × max(0, 1 − 逾期 ÷ customers), 逾期 = items of `sales due` overdue at %s for the rep's customers\n"), li, asof);
	fprintf(f, _("%sthe KPI figures are `sales report --by owner`'s\n"), li);
}

/* The group of the scorecard's KPI report that is owner, or -1. */
static long kpi_group(const struct sales_scorecard *s, const char *owner)
{
	for (size_t g = 0; g < s->kpi->ngroups; g++)
		if (!strcmp(s->kpi->groups[g].name, owner))
			return (long)g;
	return -1;
}

/* Each rep's targets.csv targets: 负责人, 指标, 目标, 实际, 完成率. */
static int print_targets(const struct sales_scorecard *s,
			 const struct sales_report_targets *tg, bool md)
{
	const char *hdr[5] = { "负责人", "指标", "目标", "实际", "完成率" };
	struct table t;
	int rc = 0;

	table_init(&t, 5);
	for (size_t c = 2; c < 5; c++)
		table_right(&t, c);
	rc = table_add(&t, hdr);
	for (size_t i = 0; i < s->nrows && !rc; i++) {
		long g = kpi_group(s, s->rows[i].owner);

		for (int k = 0; g >= 0 && k < SALES_NTARGET_METRICS && !rc; k++) {
			char v[4][SALES_KPI_FMT_MAX];
			const char *row[5] = { s->rows[i].owner,
					       sales_target_metric_names[k],
					       v[0], v[1], v[2] };

			if (!tg->used[k])
				continue;
			target_values(&tg->fig[g][k], k, true, v);
			rc = table_add(&t, row);
		}
	}
	if (rc) {
		table_release(&t);
		error_msg("out of memory");
		return EXIT_USAGE;
	}
	printf("\n%s%s%s\n\n", md ? "**" : "", _("业绩目标 (targets.csv)"),
	       md ? "**" : "");
	if (md)
		table_print_md(stdout, &t);
	else
		table_print(stdout, &t, NULL);
	table_release(&t);
	return 0;
}

static int print_table(const struct sales_scorecard *s,
		       const struct sales_report_targets *tg,
		       const struct report_args *a)
{
	const char *hdr[] = { "负责人", "线索", "线索转化率", "平均客单价(万元)",
			      "销售周期(天)", "客户满意度", "流程执行率", "逾期",
			      "考核得分" };
	char period[16];
	struct table t;
	int rc = 0;

	sales_kpi_period(s->kpi, false, period);
	table_init(&t, 9);
	for (size_t c = 1; c < 9; c++)
		table_right(&t, c);
	if (table_add(&t, hdr) < 0)
		rc = -1;
	for (size_t i = 0; i < s->nrows && !rc; i++) {
		const struct sales_scorecard_row *r = &s->rows[i];
		char v[8][48];
		const char *row[9] = { r->owner, v[0], v[1], v[2], v[3], v[4], v[5],
				       v[6], v[7] };

		snprintf(v[0], sizeof(v[0]), "%zu", r->leads);
		human_kpi(r, SALES_KPI_CONVERSION, v[1]);
		human_kpi(r, SALES_KPI_DEAL_SIZE, v[2]);
		human_kpi(r, SALES_KPI_CYCLE, v[3]);
		human_kpi(r, SALES_KPI_SATISFACTION, v[4]);
		v[5][0] = '\0';
		if (r->customers) {
			char n[48];

			snprintf(v[5], sizeof(v[5]), "%s%% (%zu/%zu)",
				 sales_plain_number(100.0 * (double)r->clean / (double)r->customers,
					      1, n, sizeof(n)),
				 r->clean, r->customers);
		}
		snprintf(v[6], sizeof(v[6]), "%zu", r->overdue);
		v[7][0] = '\0';
		if (r->has_score)
			sales_plain_number(r->score, 1, v[7], sizeof(v[7]));
		if (table_add(&t, row) < 0)
			rc = -1;
	}
	if (rc) {
		table_release(&t);
		error_msg("out of memory");
		return EXIT_USAGE;
	}
	if (a->fmt == FMT_MD) {
		printf(_("**考核 %s** as of %s\n\n"), period,
		       sales_date_format(s->as_of, (char[11]){ 0 }));
		table_print_md(stdout, &t);
	} else {
		printf(_("考核 %s as of %s\n\n"), period,
		       sales_date_format(s->as_of, (char[11]){ 0 }));
		table_print(stdout, &t, NULL);
	}
	table_release(&t);
	if (tg && (rc = print_targets(s, tg, a->fmt == FMT_MD)) != 0)
		return rc;
	scorecard_formula(stdout, s, a->fmt == FMT_MD);
	return 0;
}

/* A row's "targets": what each KPI dimension was scored against and where
 * that target came from ("rep": targets.csv, "kpi": 08-kpi.csv, "team":
 * the team's figure), and each targets.csv volume metric's target, actual
 * and 完成率. */
static void json_targets(struct sales_json *j, const struct sales_scorecard *s,
			 const struct sales_scorecard_row *r,
			 const struct sales_report_targets *tg)
{
	long g = tg ? kpi_group(s, r->owner) : -1;

	sales_json_key(j, "targets");
	sales_json_object(j, SALES_JSON_COMPACT);
	for (int d = 0; d < SALES_NDIMS; d++) {
		char v[SALES_KPI_FMT_MAX];
		const char *from = r->target_from[d] == 'r' ? "rep" :
				   r->target_from[d] == 'k' ? "kpi" :
				   r->target_from[d] == 't' ? "team" : NULL;

		if (!from)
			continue;
		sales_json_key(j, sales_score_dims[d].key);
		sales_json_object(j, SALES_JSON_COMPACT);
		sales_json_key(j, "target");
		sales_json_number(j, machine_value(true, r->target[d], v, sizeof(v)));
		sales_json_key(j, "from");
		sales_json_str(j, from);
		sales_json_end(j);
	}
	for (int k = 0; g >= 0 && k < SALES_NTARGET_METRICS; k++) {
		char v[4][SALES_KPI_FMT_MAX];

		if (!tg->used[k])
			continue;
		target_values(&tg->fig[g][k], k, false, v);
		sales_json_key(j, sales_target_metric_keys[k]);
		sales_json_object(j, SALES_JSON_COMPACT);
		sales_json_key(j, "target");
		sales_json_number(j, v[0]);
		sales_json_key(j, "actual");
		sales_json_number(j, v[1]);
		sales_json_key(j, "completion");
		sales_json_number(j, v[2]);
		sales_json_end(j);
	}
	sales_json_end(j);
}

static void print_machine(const struct sales_scorecard *s,
			  const struct sales_report_targets *tg,
			  enum out_format fmt)
{
	char period[16];
	size_t ncols = sizeof(col_keys) / sizeof(col_keys[0]);
	struct sales_buf out = { 0 };
	struct sales_json j;

	sales_kpi_period(s->kpi, false, period);
	if (fmt != FMT_JSON) {
		for (size_t i = 0; i < ncols; i++)
			put_field(fmt, col_keys[i], i == 0);
		for (int d = 0; d < SALES_NDIMS; d++) {
			char key[48];

			snprintf(key, sizeof(key), "score_%s", sales_score_dims[d].key);
			put_field(fmt, key, false);
		}
		putchar('\n');
	} else {
		sales_json_init(&j, &out);
		sales_json_array(&j, SALES_JSON_LINES);
	}
	for (size_t i = 0; i < s->nrows; i++) {
		const struct sales_scorecard_row *r = &s->rows[i];
		char v[7][48], dims[SALES_NDIMS][48];
		char leads[24], cust[24], over[24];

		machine_value(r->kpi[SALES_KPI_CONVERSION].has_actual,
			      r->kpi[SALES_KPI_CONVERSION].actual, v[0], sizeof(v[0]));
		machine_value(r->kpi[SALES_KPI_DEAL_SIZE].has_actual,
			      r->kpi[SALES_KPI_DEAL_SIZE].actual, v[1], sizeof(v[1]));
		machine_value(r->kpi[SALES_KPI_CYCLE].has_actual,
			      r->kpi[SALES_KPI_CYCLE].actual, v[2], sizeof(v[2]));
		machine_value(r->kpi[SALES_KPI_SATISFACTION].has_actual,
			      r->kpi[SALES_KPI_SATISFACTION].actual, v[3], sizeof(v[3]));
		machine_value(r->customers > 0,
			      r->customers ? (double)r->clean / (double)r->customers : 0,
			      v[4], sizeof(v[4]));
		machine_value(r->has_score, r->score, v[5], sizeof(v[5]));
		for (int d = 0; d < SALES_NDIMS; d++)
			machine_value(r->has_dim[d], r->dim[d], dims[d], sizeof(dims[d]));
		snprintf(leads, sizeof(leads), "%zu", r->leads);
		snprintf(cust, sizeof(cust), "%zu", r->customers);
		snprintf(over, sizeof(over), "%zu", r->overdue);
		if (fmt == FMT_JSON) {
			static const char *const kpi_keys[5] = {
				"conversion", "deal_size", "cycle", "satisfaction",
				"process"
			};

			sales_json_object(&j, SALES_JSON_COMPACT);
			sales_json_key(&j, "period");
			sales_json_str(&j, period);
			sales_json_key(&j, "owner");
			sales_json_str(&j, r->owner);
			sales_json_key(&j, "leads");
			sales_json_number(&j, leads);
			for (int k = 0; k < 5; k++) {
				sales_json_key(&j, kpi_keys[k]);
				sales_json_number(&j, v[k]);
			}
			sales_json_key(&j, "customers");
			sales_json_number(&j, cust);
			sales_json_key(&j, "overdue");
			sales_json_number(&j, over);
			sales_json_key(&j, "score");
			sales_json_number(&j, v[5]);
			sales_json_key(&j, "dimensions");
			sales_json_object(&j, SALES_JSON_COMPACT);
			for (int d = 0; d < SALES_NDIMS; d++) {
				sales_json_key(&j, sales_score_dims[d].key);
				sales_json_number(&j, dims[d]);
			}
			sales_json_end(&j);
			sales_json_key(&j, "weights");
			sales_json_object(&j, SALES_JSON_COMPACT);
			for (int d = 0; d < SALES_NDIMS; d++) {
				sales_json_key(&j, sales_score_dims[d].key);
				sales_json_int(&j, s->weight[d]);
			}
			sales_json_end(&j);
			json_targets(&j, s, r, tg);
			sales_json_end(&j);
			put_buf(stdout, &out);
			continue;
		}
		put_field(fmt, period, true);
		put_field(fmt, r->owner, false);
		put_field(fmt, leads, false);
		for (int k = 0; k < 5; k++)
			put_field(fmt, v[k], false);
		put_field(fmt, cust, false);
		put_field(fmt, over, false);
		put_field(fmt, v[5], false);
		for (int d = 0; d < SALES_NDIMS; d++)
			put_field(fmt, dims[d], false);
		putchar('\n');
	}
	if (fmt == FMT_JSON)
		json_print_end(&j, &out);
	sales_buf_release(&out);
}

/* The scorecard's hook for a rep's own targets: targets.csv's KPI rows
 * (targets.h), the mean of the period's months. */
static bool rep_target(void *ud, const char *owner, enum sales_kpi_id metric,
		       int year, int quarter, int month, double *target)
{
	sales_date first, last;

	if (month) {
		first = sales_date_from_ymd(year, month, 1);
		last = sales_date_from_ymd(year, month, sales_days_in_month(year, month));
	} else {
		first = sales_quarter_first(year, quarter);
		last = sales_quarter_last(year, quarter);
	}
	return sales_targets_kpi(ud, owner, (int)metric, first, last, target);
}

/* targets.csv of the first workbook (NULL when it has none). */
static int load_targets(const struct report_args *a, struct sales_targets **out)
{
	struct sales_context c;
	struct sales_error err;
	int status = 0;

	*out = NULL;
	sales_error_clear(&err);
	if (sales_context_load(&c, a->dirs[0], a->as_of, &err) < 0 ||
	    sales_targets_load(&c, NULL, out, &err) < 0)
		status = report_error(&err);
	sales_context_release(&c);
	return status;
}

int report_scorecard(struct report_args *a, struct sales_ctx *ctx)
{
	struct sales_scorecard_query q = { (const char *const *)a->dirs, a->ndirs,
					   a->year, a->quarter, a->month, a->as_of,
					   rep_target, NULL };
	struct sales_scorecard *s = NULL;
	struct sales_targets *tg = NULL;
	struct sales_report_targets *rt = NULL;
	struct sales_error err;
	int status = 0;

	(void)ctx;
	if (a->write || a->by != SALES_KPI_BY_NONE) {
		error_msg(_("%s does not apply to the scorecard (it is per 负责人)"),
			  a->write ? "--write" : "--by");
		return EXIT_USAGE;
	}
	if ((status = load_targets(a, &tg)) != 0)
		return status;
	q.target_ud = tg;
	sales_error_clear(&err);
	if (sales_scorecard_compute(&s, &q, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	/* after scoring: the rep's KPI targets it sets in s->kpi are the ones
	 * the scorecard's hook already used */
	if (sales_targets_report(s->kpi, (const char *const *)a->dirs, a->ndirs,
				 &rt, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_scorecard_add_groups(s) < 0) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}
	if (a->fmt == FMT_TABLE || a->fmt == FMT_MD)
		status = print_table(s, rt, a);
	else {
		print_machine(s, rt, a->fmt);
		if (a->explain)
			scorecard_formula(stderr, s, false);
	}
out:
	sales_report_targets_free(rt);
	sales_scorecard_free(s);
	sales_targets_free(tg);
	return status;
}
