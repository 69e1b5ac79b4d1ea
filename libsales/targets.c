#include "targets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "kpi.h"
#include "model.h"
#include "schema.h"
#include "text.h"
#include "validate.h"
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
	char *region;          /* a rep's: team.csv's 区域, else NULL */
	enum sales_target_subject kind;
	int metric;            /* sales_target_metric_find's */
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
	for (size_t i = 0; i < t->n; i++) {
		free(t->t[i].subject);
		free(t->t[i].region);
	}
	free(t->t);
	free(t);
}

static bool same(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && !memcmp(s, word, len);
}

int sales_target_metric_find(const char *s, size_t len)
{
	int k;

	s = sales_trim(s, &len);
	for (int i = 0; i < SALES_NTARGET_METRICS; i++)
		if (same(s, len, sales_target_metric_names[i]) ||
		    same(s, len, metric_trad[i]) ||
		    same(s, len, sales_target_metric_keys[i]))
			return i;
	if ((k = sales_kpi_find(s, len)) >= 0)
		return SALES_NTARGET_METRICS + k;
	return -1;
}

bool sales_target_parse_value(int metric, const char *s, size_t len,
			      double *out)
{
	struct sales_amount a;
	long v;

	s = sales_trim(s, &len);
	if (metric >= SALES_NTARGET_METRICS &&
	    metric < SALES_NTARGET_METRICS + SALES_KPI_COUNT)
		return sales_kpi_parse_target((enum sales_kpi_id)(metric - SALES_NTARGET_METRICS),
					      s, len, out);
	switch (metric) {
	case SALES_TGT_SIGNED_AMOUNT:
	case SALES_TGT_PAID_AMOUNT:
		if (sales_parse_amount(s, len, &a) != SALES_VALUE_OK ||
		    !(a.flags & SALES_AMOUNT_LO) || a.lo != a.hi)
			return false;
		*out = a.lo;
		return true;
	case SALES_TGT_NEW_LEADS:
	case SALES_TGT_WINS:
		if (sales_parse_int(s, len, &v) != SALES_VALUE_OK || v < 0)
			return false;
		*out = (double)v;
		return true;
	}
	return false;
}

static bool is_region(const struct sales_context *ctx,
		      const struct sales_model *m, const char *s, size_t len)
{
	for (size_t i = 0; i < ctx->nteam; i++)
		if (same(s, len, ctx->team[i].region))
			return true;
	for (size_t i = 0; m && i < m->ncustomers; i++)
		if (same(s, len, sales_model_str(m, sales_customer_region(m, &m->customers[i]))))
			return true;
	return false;
}

bool sales_target_subject(const struct sales_context *ctx,
			  const struct sales_model *m, const char *s,
			  size_t len, enum sales_target_subject *kind,
			  struct sales_buf *why)
{
	enum sales_team_standing member = SALES_TEAM_UNKNOWN;
	char name[256];

	s = sales_trim(s, &len);
	snprintf(name, sizeof(name), "%.*s", (int)len, s);
	if (same(s, len, "团队") || same(s, len, "全部") || same(s, len, "團隊"))
		*kind = SALES_TGT_TEAM;
	else if (len && len < sizeof(name) &&
		 (member = sales_team_standing(ctx, name, NULL, 0, NULL)) ==
		 SALES_TEAM_OK)
		*kind = SALES_TGT_REP;
	else if (len && is_region(ctx, m, s, len))
		*kind = SALES_TGT_REGION;
	else {
		if (why) {
			sales_buf_reset(why);
			sales_buf_printf(why, member == SALES_TEAM_NO_FILE ?
					 _("对象 '%s' is neither a 区域 nor 团队 (the whole team), and team.csv is missing, so it cannot be confirmed as a name there ('sales init --missing' writes an empty one to fill in)") :
					 _("对象 '%s' is neither a name in team.csv, a 区域 nor 团队 (the whole team)"),
					 name);
		}
		return false;
	}
	return true;
}

static int cell_error(struct sales_error *err, const struct sales_record *rec,
		      const struct sales_colmap *map, int col,
		      const struct sales_buf *why)
{
	sales_error_set(err, SALES_EVALUE, "targets.csv", rec->row->line,
			map->file_col[col] + 1, "%s",
			why->data ? why->data : "invalid value");
	sales_error_set_cell(err, map->file_col[col] + 1, rec->row->excel_row);
	return -1;
}

/* One row of targets.csv into *x; -1 with err naming the cell. */
static int read_row(const struct sales_context *ctx, const struct sales_model *m,
		    const struct sales_record *rec, const struct sales_colmap *map,
		    struct target *x, struct sales_buf *why,
		    struct sales_error *err)
{
	static const int cols[] = { TGT_MONTH, TGT_METRIC, TGT_TARGET };
	const char *subj = rec->v[TGT_SUBJECT], *metric = rec->v[TGT_METRIC];
	const char *value = rec->v[TGT_TARGET];
	size_t slen = strlen(subj);
	sales_date first, last;

	subj = sales_trim(subj, &slen);
	if (!sales_target_subject(ctx, m, subj, slen, &x->kind, why))
		return cell_error(err, rec, map, TGT_SUBJECT, why);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		const char *v = rec->v[cols[i]];
		size_t len = strlen(v);

		if (!sales_trim(v, &len) || !len) {
			sales_buf_reset(why);
			sales_buf_printf(why, _("required %s is empty"),
					 map->def->columns[cols[i]].zh);
			return cell_error(err, rec, map, cols[i], why);
		}
		if (sales_cell_check(SALES_TARGETS, cols[i], v, rec->v,
				     SALES_DATE_NONE, why) != SALES_CELL_OK)
			return cell_error(err, rec, map, cols[i], why);
	}
	/* the validator has said yes to each: these parse */
	sales_parse_month(rec->v[TGT_MONTH], strlen(rec->v[TGT_MONTH]), &first, &last);
	x->month = first;
	x->metric = sales_target_metric_find(metric, strlen(metric));
	sales_target_parse_value(x->metric, value, strlen(value), &x->value);
	if (!(x->subject = strndup(subj, slen)))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (x->kind == SALES_TGT_REP) {
		const struct sales_member *mb = NULL;

		sales_team_standing(ctx, x->subject, NULL, 0, &mb);
		if (mb && mb->region[0] && !(x->region = strdup(mb->region))) {
			free(x->subject);
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		}
	}
	return 0;
}

int sales_targets_load(const struct sales_context *ctx,
		       const struct sales_model *m, struct sales_targets **out,
		       struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	struct sales_targets *t;
	struct sales_buf why = {0};
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
		struct target x = {0};
		bool blank = true;

		for (int c = 0; c < TGT_NCOLS; c++) {
			size_t len = strlen(rec->v[c]);

			if (sales_trim(rec->v[c], &len) && len)
				blank = false;
		}
		if (blank)
			continue;
		if ((rc = read_row(ctx, m, rec, sales_sheet_colmap(r), &x, &why,
				   err)) < 0)
			break;
		if (SALES_ALLOC_GROW(t->t, t->n + 1, t->alloc) < 0) {
			free(x.subject);
			free(x.region);
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		t->t[t->n++] = x;
	}
	sales_sheet_close(r);
	sales_buf_release(&why);
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
		return !strcmp(sales_model_str(m, sales_customer_owner(m, c)), r->subject);
	case SALES_TGT_REGION:
		return !strcmp(sales_model_str(m, sales_customer_region(m, c)), r->subject);
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

			if (c->lead_line && in(sales_customer_registered(m, c), first, last) &&
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

bool sales_targets_kpi(const struct sales_targets *t, const char *subject,
		       int kpi, sales_date first, sales_date last, double *out)
{
	double sum = 0;
	int n = 0;

	for (size_t i = 0; t && i < t->n; i++) {
		const struct target *x = &t->t[i];

		if (x->metric == SALES_NTARGET_METRICS + kpi &&
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

void sales_report_targets_free(struct sales_report_targets *rt)
{
	if (!rt)
		return;
	free(rt->fig);
	free(rt->kpi_own);
	free(rt);
}

/* The target of (kind, name, metric) in the month starting mo: the rows
 * for it added up; a region without its own row in that month adds up
 * the rows of the reps team.csv places in it.  false when there is none. */
static bool month_target(const struct sales_targets *t,
			 enum sales_target_subject kind, const char *name,
			 int metric, sales_date mo, double *out)
{
	bool found = false;

	*out = 0;
	for (int pass = 0; pass < 2 && !found; pass++) {
		if (pass == 1 && kind != SALES_TGT_REGION)
			break;
		for (size_t i = 0; i < t->n; i++) {
			const struct target *x = &t->t[i];

			if (x->metric != metric || x->month != mo)
				continue;
			if (pass == 0 ? x->kind == kind && !strcmp(x->subject, name) :
			    x->kind == SALES_TGT_REP && x->region &&
			    !strcmp(x->region, name)) {
				*out += x->value;
				found = true;
			}
		}
	}
	return found;
}

/* The target of (kind, name, metric) over the whole months of [first,
 * last]: each month's (month_target) added up into *target, *with the
 * months that have one.  Returns the number of months.  `report targets`
 * and `report --by owner|region` both count a period's target here. */
static int period_target(const struct sales_targets *t,
			 enum sales_target_subject kind, const char *name,
			 int metric, sales_date first, sales_date last,
			 double *target, int *with)
{
	int y, mon, months = 0;

	*target = 0;
	*with = 0;
	sales_date_to_ymd(first, &y, &mon, NULL);
	for (sales_date mo = first; mo <= last;) {
		double v;

		months++;
		if (t && name && *name && month_target(t, kind, name, metric, mo, &v)) {
			*target += v;
			(*with)++;
		}
		if (++mon > 12) {
			mon = 1;
			y++;
		}
		mo = sales_date_from_ymd(y, mon, 1);
	}
	return months;
}

/* The (subject, kind, metric) of res, added when missing; NULL on ENOMEM. */
static struct sales_target_result *result_of(struct sales_target_result **res,
					     size_t *n, size_t *alloc,
					     const char *subject,
					     enum sales_target_subject kind,
					     int metric)
{
	struct sales_target_result *r;

	for (size_t k = 0; k < *n; k++)
		if ((int)(*res)[k].metric == metric && (*res)[k].kind == kind &&
		    !strcmp((*res)[k].subject, subject))
			return &(*res)[k];
	if (SALES_ALLOC_GROW(*res, *n + 1, *alloc) < 0)
		return NULL;
	r = &(*res)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->subject = subject;
	r->kind = kind;
	r->metric = (enum sales_target_metric)metric;
	return r;
}

int sales_targets_compute(const struct sales_targets *t,
			  const struct sales_model *m, sales_date first,
			  sales_date last, sales_date as_of,
			  struct sales_target_result **out, size_t *n,
			  struct sales_error *err)
{
	struct sales_target_result *res = NULL;
	size_t nres = 0, alloc = 0;

	*out = NULL;
	*n = 0;
	if (!t)
		return 0;
	/* the (对象, 指标) pairs with a row in the period, in order of first
	 * appearance; a rep's row names its team.csv region too, which rolls
	 * up from its reps as `report --by region` does */
	for (size_t i = 0; i < t->n; i++) {
		const struct target *x = &t->t[i];

		if (x->month < first || x->month > last ||
		    x->metric >= SALES_NTARGET_METRICS)
			continue;   /* KPI targets are the scorecard's */
		if (!result_of(&res, &nres, &alloc, x->subject, x->kind, x->metric) ||
		    (x->kind == SALES_TGT_REP && x->region &&
		     !result_of(&res, &nres, &alloc, x->region, SALES_TGT_REGION,
				x->metric))) {
			free(res);
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		}
	}
	for (size_t k = 0; k < nres; k++) {
		struct sales_target_result *r = &res[k];

		r->months = period_target(t, r->kind, r->subject, (int)r->metric,
					  first, last, &r->target,
					  &r->months_with_target);
		r->actual = actual(m, r, first, last < as_of ? last : as_of);
	}
	*out = res;
	*n = nres;
	return 0;
}

struct kpi_target {
	bool has, conflict;
	double value;
};

/* One workbook's part of sales_targets_report. */
static void report_workbook(struct sales_report_targets *rt,
			    struct kpi_target (*kt)[SALES_KPI_COUNT],
			    const struct sales_kpi_report *r,
			    const struct sales_targets *t,
			    const struct sales_model *m)
{
	enum sales_target_subject kind = r->by == SALES_KPI_BY_OWNER ?
					 SALES_TGT_REP : SALES_TGT_REGION;
	sales_date first, last, bfirst, blast;
	int months = 0;

	sales_kpi_period_bounds(r->year, r->quarter, r->month, &first, &last);
	sales_kpi_period_bounds(r->before_year, r->quarter, r->month, &bfirst,
				&blast);
	for (size_t g = 0; g < rt->ngroups; g++) {
		const char *name = r->groups[g].name;
		struct sales_target_result q = { 0 };

		if (!strcmp(name, SALES_KPI_GROUP_UNSET))
			name = "";   /* the customers with the cell blank */
		q.subject = name;
		q.kind = kind;
		for (int k = 0; k < SALES_NTARGET_METRICS; k++) {
			struct sales_target_figure *f = &rt->fig[g][k];
			int with = 0;
			double v = 0;

			q.metric = (enum sales_target_metric)k;
			months = period_target(t, kind, name, k, first, last, &v, &with);
			if (with) {
				f->has_target = true;
				f->target += v;
			}
			f->months = months;
			if (with > f->months_with_target)
				f->months_with_target = with;
			f->actual += actual(m, &q, first, last < r->as_of ? last : r->as_of);
			f->before += actual(m, &q, bfirst,
					    blast < r->before_as_of ? blast : r->before_as_of);
			f->has_before = true;
		}
		for (int k = 0; t && *name && k < SALES_KPI_COUNT; k++) {
			struct kpi_target *x = &kt[g][k];
			double v = 0;
			bool has = false;

			/* a rep's own, or a region's own: rates do not add up */
			has = sales_targets_kpi(t, name, k, first, last, &v);
			if (!has)
				continue;
			if (x->has && fabs(x->value - v) > 1e-9)
				x->conflict = true;
			x->has = true;
			x->value = v;
		}
	}
}

/* Adds to r the reps (by owner) or regions (by region; a rep's region by
 * team.csv too) that have a target in a month of r's period but no group. */
static int add_target_groups(struct sales_kpi_report *r,
			     const struct sales_targets *t)
{
	sales_date first, last;

	sales_kpi_period_bounds(r->year, r->quarter, r->month, &first, &last);
	for (size_t i = 0; t && i < t->n; i++) {
		const struct target *x = &t->t[i];
		const char *name = NULL;

		if (x->month < first || x->month > last)
			continue;
		if (r->by == SALES_KPI_BY_OWNER && x->kind == SALES_TGT_REP)
			name = x->subject;
		else if (r->by == SALES_KPI_BY_REGION)
			name = x->kind == SALES_TGT_REGION ? x->subject :
			       x->kind == SALES_TGT_REP ? x->region : NULL;
		if (name && sales_kpi_add_group(r, name) < 0)
			return -1;
	}
	return 0;
}

struct loaded {
	struct sales_context c;
	struct sales_model *m;
	struct sales_targets *t;
	bool has_context;
};

static void loaded_free(struct loaded *l, size_t n)
{
	for (size_t w = 0; l && w < n; w++) {
		sales_targets_free(l[w].t);
		sales_model_free(l[w].m);
		if (l[w].has_context)
			sales_context_release(&l[w].c);
	}
	free(l);
}

int sales_targets_report(struct sales_kpi_report *r,
			 const char *const *dirs, size_t ndirs,
			 struct sales_report_targets **out,
			 struct sales_error *err)
{
	struct sales_report_targets *rt = NULL;
	struct kpi_target (*kt)[SALES_KPI_COUNT] = NULL;
	struct loaded *l = NULL;
	bool any = false;
	size_t n;

	*out = NULL;
	if (r->by != SALES_KPI_BY_OWNER && r->by != SALES_KPI_BY_REGION)
		return 0;
	for (size_t w = 0; w < ndirs; w++)
		any = any || sales_sheet_exists(dirs[w], SALES_TARGETS);
	if (!any)
		return 0;
	if (!(l = calloc(ndirs, sizeof(*l))))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	/* every workbook first: a rep or region with a target and no customer
	 * is a group too */
	for (size_t w = 0; w < ndirs; w++) {
		if (sales_context_load(&l[w].c, dirs[w], r->as_of, err) < 0)
			goto fail;
		l[w].has_context = true;
		if (sales_model_load(&l[w].m, &l[w].c, SALES_MODEL_ALL, NULL, NULL,
				     err) < 0)
			goto fail;
		if (sales_targets_load(&l[w].c, l[w].m, &l[w].t, err) < 0) {
			if (ndirs > 1 && !strcmp(err->file, "targets.csv"))
				snprintf(err->file, sizeof(err->file), "%s/targets.csv",
					 dirs[w]);
			goto fail;
		}
		if (add_target_groups(r, l[w].t) < 0)
			goto nomem;
	}
	n = r->ngroups;
	rt = calloc(1, sizeof(*rt));
	if (!rt || !(rt->fig = calloc(n ? n : 1, sizeof(*rt->fig))) ||
	    !(rt->kpi_own = calloc(n ? n : 1, sizeof(*rt->kpi_own))) ||
	    !(kt = calloc(n ? n : 1, sizeof(*kt))))
		goto nomem;
	rt->ngroups = n;
	for (size_t w = 0; w < ndirs; w++) {
		for (size_t i = 0; l[w].t && i < l[w].t->n; i++)
			if (l[w].t->t[i].metric < SALES_NTARGET_METRICS)
				rt->used[l[w].t->t[i].metric] = true;
		report_workbook(rt, kt, r, l[w].t, l[w].m);
	}
	for (size_t g = 0; g < n; g++)
		for (int k = 0; k < SALES_KPI_COUNT; k++)
			if (kt[g][k].has) {
				bool has = !kt[g][k].conflict;

				sales_kpi_figure_target(&r->groups[g].m[k],
							(enum sales_kpi_id)k, has,
							kt[g][k].value);
				rt->kpi_own[g][k] = has;
			}
	free(kt);
	loaded_free(l, ndirs);
	*out = rt;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	free(kt);
	loaded_free(l, ndirs);
	sales_report_targets_free(rt);
	return -1;
}
