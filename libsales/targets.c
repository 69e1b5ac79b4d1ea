#include "targets.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "kpi.h"
#include "model.h"
#include "schema.h"
#include "text.h"
#include "workbook.h"

const char *const sales_target_metric_names[SALES_NTARGET_METRICS] = {
	"签约金额", "回款金额", "新增线索", "赢单数",
};
const char *const sales_target_metric_keys[SALES_NTARGET_METRICS] = {
	"signed_amount", "paid_amount", "new_leads", "wins",
};
static const char *const metric_trad[SALES_NTARGET_METRICS] = {
	"簽約金額", "回款金額", "新增線索", "贏單數",
};

struct target {
	char *subject;
	enum sales_target_subject kind;
	enum sales_target_metric metric;
	sales_date month;      /* its first day */
	double value;
};

struct sales_targets {
	struct target *t;
	size_t n, alloc;
};

void sales_targets_free(struct sales_targets *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->t[i].subject);
	free(t->t);
	free(t);
}

static bool is_region(const struct sales_context *ctx,
		      const struct sales_model *m, const char *s)
{
	for (size_t i = 0; i < ctx->nteam; i++)
		if (!strcmp(ctx->team[i].region, s))
			return true;
	for (size_t i = 0; m && i < m->ncustomers; i++)
		if (!strcmp(sales_model_str(m, m->customers[i].region), s))
			return true;
	return false;
}

static int cell_error(struct sales_error *err, const struct sales_record *rec,
		      const struct sales_colmap *map, int col, const char *fmt,
		      const char *value)
{
	sales_error_set(err, SALES_EVALUE, "targets.csv", rec->row->line,
			map->file_col[col] + 1, fmt, value);
	sales_error_set_cell(err, map->file_col[col] + 1, rec->row->excel_row);
	return -1;
}

int sales_targets_load(const struct sales_context *ctx,
		       const struct sales_model *m, struct sales_targets **out,
		       struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	struct sales_targets *t;
	int rc;

	*out = NULL;
	if (!sales_sheet_exists(ctx->dir, SALES_TARGETS))
		return 0;
	if (!(t = calloc(1, sizeof(*t))))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (sales_sheet_open(ctx->dir, SALES_TARGETS, SALES_ENC_AUTO, &r, err) < 0) {
		free(t);
		return -1;
	}
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		const struct sales_colmap *map = sales_sheet_colmap(r);
		size_t slen = strlen(rec->v[TGT_SUBJECT]), mlen, vlen;
		const char *subj = sales_trim(rec->v[TGT_SUBJECT], &slen);
		const char *metric = rec->v[TGT_METRIC], *value = rec->v[TGT_TARGET];
		struct target x = {0};
		enum sales_team_standing member;
		sales_date first, last;
		int k = -1;

		if (!slen && !*rec->v[TGT_MONTH] && !*metric && !*value)
			continue;
		x.subject = strndup(subj, slen);
		if (!x.subject) {
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		if (!strcmp(x.subject, "团队") || !strcmp(x.subject, "全部") ||
		    !strcmp(x.subject, "團隊"))
			x.kind = SALES_TGT_TEAM;
		else if ((member = sales_team_standing(ctx, x.subject, NULL, 0,
						       NULL)) == SALES_TEAM_OK)
			x.kind = SALES_TGT_REP;
		else if (is_region(ctx, m, x.subject))
			x.kind = SALES_TGT_REGION;
		else if (member == SALES_TEAM_NO_FILE) {
			rc = cell_error(err, rec, map, TGT_SUBJECT,
					_("对象 '%s' is neither a 区域 nor 团队 (the whole team), and team.csv is missing, so it cannot be confirmed as a name there ('sales init --missing' writes an empty one to fill in)"),
					x.subject);
			free(x.subject);
			break;
		} else {
			rc = cell_error(err, rec, map, TGT_SUBJECT,
					_("对象 '%s' is neither a name in team.csv, a 区域 nor 团队 (the whole team)"),
					x.subject);
			free(x.subject);
			break;
		}
		if (sales_parse_month(rec->v[TGT_MONTH], strlen(rec->v[TGT_MONTH]),
				      &first, &last) != SALES_VALUE_OK) {
			rc = cell_error(err, rec, map, TGT_MONTH,
					_("月份 '%s' is not a month (e.g. 2024-01)"),
					rec->v[TGT_MONTH]);
			free(x.subject);
			break;
		}
		x.month = first;
		mlen = strlen(metric);
		metric = sales_trim(metric, &mlen);
		for (int i = 0; i < SALES_NTARGET_METRICS; i++)
			if ((mlen == strlen(sales_target_metric_names[i]) &&
			     !memcmp(metric, sales_target_metric_names[i], mlen)) ||
			    (mlen == strlen(metric_trad[i]) &&
			     !memcmp(metric, metric_trad[i], mlen)) ||
			    (mlen == strlen(sales_target_metric_keys[i]) &&
			     !memcmp(metric, sales_target_metric_keys[i], mlen)))
				k = i;
		if (k < 0 && (k = sales_kpi_find(metric, mlen)) >= 0)
			k += SALES_NTARGET_METRICS;
		if (k < 0) {
			rc = cell_error(err, rec, map, TGT_METRIC,
					_("指标 '%s' is not a target metric (expected 签约金额, 回款金额, 新增线索, 赢单数 or a KPI of 08-kpi.csv such as 线索转化率)"),
					rec->v[TGT_METRIC]);
			free(x.subject);
			break;
		}
		x.metric = (enum sales_target_metric)k;
		vlen = strlen(value);
		value = sales_trim(value, &vlen);
		if (k >= SALES_NTARGET_METRICS) {
			const struct sales_kpi_def *def = &sales_kpi_defs[k - SALES_NTARGET_METRICS];
			struct sales_amount a;
			double d;

			if (def->unit == SALES_KPI_RATE ?
			    sales_parse_percent(value, vlen, &d) == SALES_VALUE_OK :
			    def->unit == SALES_KPI_AMOUNT ?
			    (sales_parse_amount(value, vlen, &a) == SALES_VALUE_OK &&
			     (a.flags & SALES_AMOUNT_LO) && a.lo == a.hi &&
			     (d = a.lo, true)) :
			    sales_parse_number(value, vlen, &d) == SALES_VALUE_OK)
				x.value = d;
			else
				k = -1;
		} else if (k == SALES_TGT_SIGNED_AMOUNT || k == SALES_TGT_PAID_AMOUNT) {
			struct sales_amount a;

			if (sales_parse_amount(value, vlen, &a) == SALES_VALUE_OK &&
			    (a.flags & SALES_AMOUNT_LO) && a.lo == a.hi)
				x.value = a.lo;
			else
				k = -1;
		} else {
			long v;

			if (sales_parse_int(value, vlen, &v) == SALES_VALUE_OK && v >= 0)
				x.value = (double)v;
			else
				k = -1;
		}
		if (k < 0) {
			rc = cell_error(err, rec, map, TGT_TARGET,
					(int)x.metric >= SALES_NTARGET_METRICS ?
					_("目标值 '%s' is not a value of that KPI (a percentage, 万元 or days)") :
					x.metric <= SALES_TGT_PAID_AMOUNT ?
					_("目标值 '%s' is not an amount in 万元") :
					_("目标值 '%s' is not a whole number"),
					rec->v[TGT_TARGET]);
			free(x.subject);
			break;
		}
		if (SALES_ALLOC_GROW(t->t, t->n + 1, t->alloc) < 0) {
			free(x.subject);
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		t->t[t->n++] = x;
	}
	sales_sheet_close(r);
	if (rc < 0) {
		sales_targets_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

static bool belongs(const struct sales_model *m, const struct sales_customer *c,
		    const struct sales_target_result *r)
{
	switch (r->kind) {
	case SALES_TGT_TEAM:
		return true;
	case SALES_TGT_REP:
		return !strcmp(sales_model_str(m, c->owner), r->subject);
	case SALES_TGT_REGION:
		return !strcmp(sales_model_str(m, c->region), r->subject);
	}
	return false;
}

static bool in(sales_date d, sales_date first, sales_date last)
{
	return d != SALES_DATE_NONE && d >= first && d <= last;
}

static double actual(const struct sales_model *m,
		     const struct sales_target_result *r, sales_date first,
		     sales_date last)
{
	double sum = 0;

	if (r->metric == SALES_TGT_NEW_LEADS) {
		for (size_t i = 0; i < m->ncustomers; i++) {
			const struct sales_customer *c = &m->customers[i];

			if (c->lead_line && in(c->registered, first, last) &&
			    belongs(m, c, r))
				sum += 1;
		}
		return sum;
	}
	for (size_t i = 0; i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		const struct sales_customer *c;

		if (k->customer == UINT32_MAX || k->status != SALES_APPROVAL_APPROVED ||
		    k->signed_date == SALES_DATE_NONE || k->signed_date > last)
			continue;
		c = &m->customers[k->customer];
		if (!belongs(m, c, r))
			continue;
		switch (r->metric) {
		case SALES_TGT_SIGNED_AMOUNT:
			if (in(k->signed_date, first, last) && k->amount == k->amount)
				sum += k->amount;
			break;
		case SALES_TGT_WINS:
			if (in(k->signed_date, first, last))
				sum += 1;
			break;
		case SALES_TGT_PAID_AMOUNT:
			if (in(k->paid, first, last) && k->amount == k->amount)
				sum += k->amount;
			break;
		default:
			break;
		}
	}
	return sum;
}

int sales_targets_compute(const struct sales_targets *t,
			  const struct sales_model *m, sales_date first,
			  sales_date last, sales_date as_of,
			  struct sales_target_result **out, size_t *n,
			  struct sales_error *err)
{
	struct sales_target_result *res = NULL;
	size_t nres = 0, alloc = 0;
	int months = 0, y1, m1, y2, m2;

	*out = NULL;
	*n = 0;
	if (!t)
		return 0;
	sales_date_to_ymd(first, &y1, &m1, NULL);
	sales_date_to_ymd(last, &y2, &m2, NULL);
	months = (y2 - y1) * 12 + (m2 - m1) + 1;
	for (size_t i = 0; i < t->n; i++) {
		const struct target *x = &t->t[i];
		struct sales_target_result *r = NULL;

		if (x->month < first || x->month > last ||
		    (int)x->metric >= SALES_NTARGET_METRICS)
			continue;   /* KPI targets are the scorecard's */
		for (size_t k = 0; k < nres; k++)
			if (res[k].metric == x->metric &&
			    !strcmp(res[k].subject, x->subject))
				r = &res[k];
		if (!r) {
			if (SALES_ALLOC_GROW(res, nres + 1, alloc) < 0) {
				free(res);
				return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
						       "out of memory");
			}
			r = &res[nres++];
			memset(r, 0, sizeof(*r));
			r->subject = x->subject;
			r->kind = x->kind;
			r->metric = x->metric;
			r->months = months;
		}
		r->target += x->value;
		r->months_with_target++;
	}
	for (size_t k = 0; k < nres; k++)
		res[k].actual = actual(m, &res[k], first,
				       last < as_of ? last : as_of);
	*out = res;
	*n = nres;
	return 0;
}

bool sales_targets_kpi(const struct sales_targets *t, const char *subject,
		       int kpi, sales_date first, sales_date last, double *out)
{
	double sum = 0;
	int n = 0;

	for (size_t i = 0; t && i < t->n; i++) {
		const struct target *x = &t->t[i];

		if ((int)x->metric == SALES_NTARGET_METRICS + kpi &&
		    x->month >= first && x->month <= last &&
		    !strcmp(x->subject, subject)) {
			sum += x->value;
			n++;
		}
	}
	if (!n)
		return false;
	*out = sum / n;
	return true;
}
