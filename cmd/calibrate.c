/*
 * calibrate.c - `sales score --calibrate`: calibrate.h's counts per grade and
 * per scoring dimension, and the threshold suggestion (never applied).
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "i18n.h"
#include "json.h"
#include "report.h"

bool calib_has_suggestion(const struct sales_calibration *c)
{
	return c->has_current && c->has_best && c->best != c->threshold_a &&
	       c->j_best > c->j_current + 1e-12;
}

/* "score.threshold_a 70 → 55: J 0.2 → 0.5 (won ≥: 50% → 100%, lost ≥: 30% → 50%)" */
void calib_suggestion(FILE *f, const struct sales_calibration *c, bool html)
{
	char a[48], b[48], t1[48], t2[48], f1[48], f2[48];

	if (html)
		fputs("<p class=\"suggest\">", f);
	if (!c->has_current) {
		fprintf(f, _("No suggestion: the closed leads (%zu signed, %zu lost) do not have both sides."),
			c->closed_won, c->closed_lost);
	} else if (!calib_has_suggestion(c)) {
		fprintf(f, _("score.threshold_a = %ld already separates the %zu signed from the %zu lost leads best (J = %s)."),
			c->threshold_a, c->closed_won, c->closed_lost,
			sales_plain_number(c->j_current, 2, a, sizeof(a)));
	} else {
		pct_text(true, c->tpr_current, t1);
		pct_text(true, c->tpr_best, t2);
		pct_text(true, c->fpr_current, f1);
		pct_text(true, c->fpr_best, f2);
		fprintf(f, _("Suggestion (not applied): score.threshold_a %ld → %ld separates the %zu signed from the %zu lost leads better: J %s → %s (signed at or above: %s → %s; lost at or above: %s → %s). To apply: sales config score.threshold_a %ld"),
			c->threshold_a, c->best, c->closed_won, c->closed_lost,
			sales_plain_number(c->j_current, 2, a, sizeof(a)),
			sales_plain_number(c->j_best, 2, b, sizeof(b)), t1, t2, f1, f2,
			c->best);
	}
	fputs(html ? "</p>\n" : "\n", f);
}

/* Every bucket in order: the grades (with leads), then each dimension's. */
static int each_bucket(const struct sales_calibration *c,
		       void (*fn)(void *ud, const char *dim, const char *key,
				  const struct sales_calib_bucket *b), void *ud)
{
	for (int g = 0; g < 4; g++)
		if (c->grade[g].leads)
			fn(ud, "线索等级", "grade", &c->grade[g]);
	for (int d = 0; d < SALES_SCORE_NDIMS; d++)
		for (size_t i = 0; i < c->ndim[d]; i++)
			fn(ud, sales_score_dim_names[d], sales_score_dim_keys[d],
			   &c->dim[d][i]);
	return 0;
}

struct out {
	enum out_format fmt;
	struct table *t;
	struct sales_json *j;
	bool oom;
};

static void bucket_out(void *ud, const char *dim, const char *key,
		       const struct sales_calib_bucket *b)
{
	struct out *o = ud;
	char n[24], w[24], l[24], conv[48], cyc[48];
	double cv = b->leads ? (double)b->won / (double)b->leads : 0;
	double cy = b->ncycle ? b->cycle_days / (double)b->ncycle : 0;

	snprintf(n, sizeof(n), "%zu", b->leads);
	snprintf(w, sizeof(w), "%zu", b->won);
	snprintf(l, sizeof(l), "%zu", b->lost);
	if (o->t) {
		const char *row[7] = { dim, b->label, n, w, l, conv, cyc };

		pct_text(b->leads > 0, cv, conv);
		cyc[0] = '\0';
		if (b->ncycle)
			sales_plain_number(cy, 1, cyc, sizeof(cyc));
		if (table_add(o->t, row) < 0)
			o->oom = true;
		return;
	}
	machine_value(b->leads > 0, cv, conv, sizeof(conv));
	machine_value(b->ncycle > 0, cy, cyc, sizeof(cyc));
	if (o->fmt == FMT_JSON) {
		sales_json_object(o->j, SALES_JSON_COMPACT);
		sales_json_key(o->j, "dimension");
		sales_json_str(o->j, key);
		sales_json_key(o->j, "group");
		sales_json_str(o->j, b->label);
		sales_json_key(o->j, "leads");
		sales_json_number(o->j, n);
		sales_json_key(o->j, "won");
		sales_json_number(o->j, w);
		sales_json_key(o->j, "lost");
		sales_json_number(o->j, l);
		sales_json_key(o->j, "conversion");
		sales_json_number(o->j, conv);
		sales_json_key(o->j, "cycle_days");
		sales_json_number(o->j, cyc);
		sales_json_end(o->j);
		return;
	}
	put_field(o->fmt, key, true);
	put_field(o->fmt, b->label, false);
	put_field(o->fmt, n, false);
	put_field(o->fmt, w, false);
	put_field(o->fmt, l, false);
	put_field(o->fmt, conv, false);
	put_field(o->fmt, cyc, false);
	putchar('\n');
}

int score_calibrate(struct sales_ctx *ctx, const char *quarter,
		    const char *month, enum out_format fmt)
{
	struct report_args a = { .fmt = fmt };
	struct sales_calib_query q;
	struct sales_calibration *c = NULL;
	struct sales_error err;
	const char *dir = ctx->dir;
	char asof[11], per[32];
	int status;

	status = report_period_by(&a, ctx, quarter, month, "none");
	if (status)
		return status;
	q.dirs = &dir;
	q.ndirs = 1;
	q.year = a.year;
	q.quarter = a.quarter_given ? a.quarter : 0;
	q.month = a.quarter_given ? a.month : 0;
	q.as_of = a.as_of;
	sales_error_clear(&err);
	if (sales_calibration_compute(&c, &q, &err) < 0)
		return report_error(&err);
	if (!a.quarter_given)
		snprintf(per, sizeof(per), "%s", _("every lead"));
	else if (a.month)
		snprintf(per, sizeof(per), "%04d-%02d", a.year, a.month);
	else
		snprintf(per, sizeof(per), "%dQ%d", a.year, a.quarter);
	sales_date_format(a.as_of, asof);
	if (fmt == FMT_TABLE || fmt == FMT_MD) {
		static const char *const hdr[] = { "维度", "分组", "线索", "签约", "丢单",
						   "转化率", "平均周期(天)" };
		struct table t;
		struct out o = { fmt, &t, 0, false };

		table_init(&t, 7);
		for (size_t col = 2; col < 7; col++)
			table_right(&t, col);
		if (table_add(&t, hdr) < 0)
			o.oom = true;
		each_bucket(c, bucket_out, &o);
		if (o.oom) {
			table_release(&t);
			sales_calibration_free(c);
			error_msg("out of memory");
			return EXIT_USAGE;
		}
		printf(_("%sGrade calibration: leads registered in %s, as of %s (%zu leads)%s\n\n"),
		       fmt == FMT_MD ? "**" : "", per, asof, c->leads, fmt == FMT_MD ? "**" : "");
		if (fmt == FMT_MD)
			table_print_md(stdout, &t);
		else
			table_print(stdout, &t, NULL);
		table_release(&t);
		putchar('\n');
		calib_suggestion(stdout, c, false);
		printf(_("\n%ssigned: a contract 已审批 with 签订日期 by the as-of date; lost: 已丢单; conversion = signed ÷ leads; cycle = mean days from 登记日期 to the first 签订日期; a dimension's groups are the points it gave (score.h, today's settings); the suggestion maximises J = signed at or above ÷ signed − lost at or above ÷ lost over the closed leads, and is never applied\n"),
		       fmt == FMT_MD ? "" : "  ");
	} else {
		struct sales_buf jout = { 0 };
		struct sales_json j;
		struct out o = { fmt, NULL, &j, false };

		sales_json_init(&j, &jout);
		if (fmt == FMT_JSON) {
			sales_json_object(&j, SALES_JSON_COMPACT);
			sales_json_key(&j, "period");
			sales_json_str(&j, a.quarter_given ? per : NULL);
			sales_json_key(&j, "as_of");
			sales_json_str(&j, asof);
			sales_json_key(&j, "leads");
			sales_json_int(&j, (long long)c->leads);
			sales_json_key(&j, "threshold_a");
			sales_json_int(&j, c->threshold_a);
			sales_json_key(&j, "threshold_b");
			sales_json_int(&j, c->threshold_b);
			sales_json_key(&j, "closed_won");
			sales_json_int(&j, (long long)c->closed_won);
			sales_json_key(&j, "closed_lost");
			sales_json_int(&j, (long long)c->closed_lost);
			sales_json_key(&j, "suggested_threshold_a");
			if (calib_has_suggestion(c))
				sales_json_int(&j, c->best);
			else
				sales_json_null(&j);
			sales_json_key(&j, "buckets");
			sales_json_array(&j, SALES_JSON_LINES_BLOCK);
		} else {
			static const char *const keys[] = { "dimension", "group", "leads",
							    "won", "lost", "conversion",
							    "cycle_days" };

			for (size_t i = 0; i < 7; i++)
				put_field(fmt, keys[i], i == 0);
			putchar('\n');
		}
		each_bucket(c, bucket_out, &o);
		if (fmt == FMT_JSON) {
			sales_json_end(&j);
			json_print_end(&j, &jout);
		}
		sales_buf_release(&jout);
	}
	sales_calibration_free(c);
	return 0;
}
