/*
 * targets.c - `sales report targets`: targets.csv's monthly targets per
 * rep, region or team against the actual figures, for a month or a
 * quarter (its months added up).  The figures are libsales/targets.h's.
 */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "i18n.h"
#include "model.h"
#include "report.h"
#include "targets.h"

int report_targets(struct report_args *a, struct sales_ctx *ctx)
{
	struct sales_target_result *res = NULL;
	struct sales_targets *tg = NULL;
	struct sales_model *m = NULL;
	struct sales_context c;
	struct sales_error err;
	struct table t;
	sales_date first, last;
	char period[16];
	size_t n = 0;
	int status = 0;
	bool human = a->fmt == FMT_TABLE || a->fmt == FMT_MD;

	(void)ctx;
	if (a->write || a->ndirs != 1) {
		error_msg(a->write ? _("--write does not apply to the targets report") :
			  _("the targets report reads one workbook"));
		return EXIT_USAGE;
	}
	if (a->month) {
		first = sales_date_from_ymd(a->year, a->month, 1);
		last = sales_date_from_ymd(a->year, a->month,
					   sales_days_in_month(a->year, a->month));
		snprintf(period, sizeof(period), "%04d-%02d", a->year, a->month);
	} else {
		first = sales_quarter_first(a->year, a->quarter);
		last = sales_quarter_last(a->year, a->quarter);
		snprintf(period, sizeof(period), "%04dQ%d", a->year, a->quarter);
	}
	sales_error_clear(&err);
	if (sales_context_load(&c, a->dirs[0], a->as_of, &err) < 0)
		return report_error(&err);
	table_init(&t, 8);
	for (size_t col = 3; col <= 5; col++)
		table_right(&t, col);
	if (sales_model_load(&m, &c, SALES_MODEL_ALL, NULL, NULL, &err) < 0 ||
	    sales_targets_load(&c, m, &tg, &err) < 0 ||
	    sales_targets_compute(tg, m, first, last, a->as_of, &res, &n, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!tg)
		note_msg("%s", _("the workbook has no targets.csv (对象, 月份, 指标, 目标值): nothing to measure"));
	{
		const char *human_hdr[8] = { _("对象"), _("期间"), _("指标"), _("目标"),
					     _("实际"), _("完成率"), _("类型"), _("说明") };
		const char *keys[8] = { "subject", "period", "metric", "target",
					"actual", "completion", "kind", "months" };

		table_add(&t, human ? human_hdr : keys);
	}
	for (size_t i = 0; i < n; i++) {
		const struct sales_target_result *r = &res[i];
		char target[32], actual[32], done[32] = "", note[128] = "";
		const char *row[8];
		bool amount = r->metric <= SALES_TGT_PAID_AMOUNT;

		if (human) {
			sales_plain_number(r->target, amount ? 2 : 0, target, sizeof(target));
			sales_plain_number(r->actual, amount ? 2 : 0, actual, sizeof(actual));
			if (r->target > 0)
				snprintf(done, sizeof(done), "%s%%",
					 sales_plain_number(r->actual / r->target * 100, 1,
						      note, sizeof(note)));
			note[0] = '\0';
			if (r->months_with_target < r->months)
				snprintf(note, sizeof(note),
					 _("targets for %d of its %d months"),
					 r->months_with_target, r->months);
		} else {
			machine_value(true, r->target, target, sizeof(target));
			machine_value(true, r->actual, actual, sizeof(actual));
			machine_value(r->target > 0, r->target > 0 ?
				      r->actual / r->target : 0, done, sizeof(done));
			snprintf(note, sizeof(note), "%d/%d", r->months_with_target,
				 r->months);
		}
		row[0] = r->subject;
		row[1] = period;
		row[2] = sales_target_metric_names[r->metric];
		row[3] = target;
		row[4] = actual;
		row[5] = done;
		row[6] = r->kind == SALES_TGT_REP ? (human ? _("负责人") : "owner") :
			 r->kind == SALES_TGT_REGION ? (human ? _("区域") : "region") :
			 (human ? _("团队") : "team");
		row[7] = note;
		if (table_add(&t, row) < 0) {
			error_msg("%s", _("out of memory"));
			status = EXIT_USAGE;
			goto out;
		}
	}
	if (human && a->fmt == FMT_TABLE)
		printf(_("业绩目标 %s (as of %s)\n\n"), period,
		       sales_date_format(a->as_of, (char[11]){ 0 }));
	table_print_as(stdout, &t, a->fmt);
out:
	table_release(&t);
	free(res);
	sales_targets_free(tg);
	sales_model_free(m);
	sales_context_release(&c);
	return status;
}
