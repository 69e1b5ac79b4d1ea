/*
 * scorecard.c - the per-rep 考核 (see scorecard.h): KPI figures from kpi.c,
 * check errors from check.c, overdue items from due.c, weighted here.
 */
#include "scorecard.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "context.h"
#include "due.h"
#include "model.h"
#include "settings.h"

const struct sales_score_dim_def sales_score_dims[SALES_NDIMS] = {
	{ "conversion", "线索转化率", 25, SALES_KPI_CONVERSION },
	{ "deal_size", "平均客单价(万元)", 15, SALES_KPI_DEAL_SIZE },
	{ "cycle", "销售周期(天)", 10, SALES_KPI_CYCLE },
	{ "satisfaction", "客户满意度", 20, SALES_KPI_SATISFACTION },
	{ "process", "流程执行率", 20, -1 },
	{ "overdue", "逾期", 10, -1 },
};

struct names {
	char **v;
	size_t n, alloc;
};

static const char *keep_name(struct names *ns, const char *s)
{
	char *d;

	if (SALES_ALLOC_GROW(ns->v, ns->n + 1, ns->alloc) < 0)
		return NULL;
	d = strdup(s);
	if (d)
		ns->v[ns->n++] = d;
	return d;
}

struct priv {
	struct sales_scorecard pub;
	struct names names;
	size_t alloc;
};

/* The row of owner (blank: SALES_KPI_GROUP_UNSET), added when missing. */
static struct sales_scorecard_row *row_of(struct priv *p, const char *owner)
{
	struct sales_scorecard *s = &p->pub;
	const char *name = owner && *owner ? owner : SALES_KPI_GROUP_UNSET;

	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].owner, name))
			return &s->rows[i];
	if (SALES_ALLOC_GROW(s->rows, s->nrows + 1, p->alloc) < 0)
		return NULL;
	memset(&s->rows[s->nrows], 0, sizeof(s->rows[0]));
	s->rows[s->nrows].owner = keep_name(&p->names, name);
	if (!s->rows[s->nrows].owner)
		return NULL;
	return &s->rows[s->nrows++];
}

static int by_owner(const void *a, const void *b)
{
	const struct sales_scorecard_row *x = a, *y = b;
	bool ux = !strcmp(x->owner, SALES_KPI_GROUP_UNSET);
	bool uy = !strcmp(y->owner, SALES_KPI_GROUP_UNSET);

	if (ux != uy)
		return ux ? 1 : -1;
	return strcmp(x->owner, y->owner);
}

/* One workbook's 流程执行率 and overdue counts. */
static int workbook_facts(struct priv *p, const char *dir,
			  const struct sales_scorecard_query *q,
			  sales_date first, sales_date last, bool weights,
			  struct sales_error *err)
{
	struct sales_context ctx;
	struct sales_check_options copt = { .as_of = q->as_of };
	struct sales_check_result res = { 0 };
	struct sales_model *m = NULL;
	struct sales_due_query dq = { q->as_of, 0, NULL, false };
	struct sales_due_list due = { 0 };
	bool *bad = NULL;
	int rc = -1;

	if (sales_context_load(&ctx, dir, q->as_of, err) < 0)
		return -1;
	if (weights)
		for (int d = 0; d < SALES_NDIMS; d++) {
			char key[64];
			long w;

			snprintf(key, sizeof(key), "scorecard.%s", sales_score_dims[d].key);
			w = sales_settings_get_int(ctx.settings, key,
						   sales_score_dims[d].default_weight);
			p->pub.weight[d] = w < 0 ? 0 : (int)w;
		}
	if (sales_check_run(&ctx, &copt, &res, err) < 0 ||
	    sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, err) < 0 ||
	    sales_due_find(m, &dq, &due, err) < 0)
		goto out;
	bad = calloc(m->ncustomers ? m->ncustomers : 1, sizeof(*bad));
	if (!bad)
		goto nomem;
	for (size_t i = 0; i < res.nfindings; i++) {
		const struct sales_finding *f = &res.findings[i];
		long c;

		if (f->severity != SALES_SEV_ERROR || !f->customer || !*f->customer)
			continue;
		c = sales_model_find(m, f->customer);
		if (c >= 0)
			bad[c] = true;
	}
	for (size_t c = 0; c < m->ncustomers; c++) {
		const struct sales_customer *cu = &m->customers[c];
		sales_date seen = sales_customer_last_contact(m, cu) != SALES_DATE_NONE ?
			sales_customer_last_contact(m, cu) : sales_customer_registered(m, cu);
		struct sales_scorecard_row *r;

		if (!cu->lead_line || sales_customer_registered(m, cu) == SALES_DATE_NONE ||
		    sales_customer_registered(m, cu) > last || seen < first)
			continue;
		r = row_of(p, sales_model_str(m, sales_customer_owner(m, cu)));
		if (!r)
			goto nomem;
		r->customers++;
		if (!bad[c])
			r->clean++;
	}
	for (size_t i = 0; i < due.n; i++) {
		const struct sales_due_item *it = &due.items[i];
		struct sales_scorecard_row *r;

		if (it->days >= 0 || it->customer < 0 ||
		    !m->customers[it->customer].lead_line)
			continue;
		r = row_of(p, sales_model_str(m, sales_customer_owner(m, &m->customers[it->customer])));
		if (!r)
			goto nomem;
		r->overdue++;
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	free(bad);
	sales_due_list_release(&due);
	sales_model_free(m);
	sales_check_result_release(&res);
	sales_context_release(&ctx);
	return rc;
}

static void score_row(struct sales_scorecard *s, struct sales_scorecard_row *r,
		      const struct sales_scorecard_query *q)
{
	double wsum = 0, total = 0;

	for (int d = 0; d < SALES_NDIMS; d++) {
		int k = sales_score_dims[d].kpi;

		if (k >= 0) {
			const struct sales_kpi_figure *f = &r->kpi[k];
			const struct sales_kpi_figure *t = &s->team->groups[0].m[k];
			double target = 0, c;

			if (!f->has_actual)
				continue;
			if (q->target && q->target(q->target_ud, r->owner,
						   (enum sales_kpi_id)k, s->year,
						   s->quarter, s->month, &target))
				r->target_from[d] = 'r';
			else if (f->has_target) {
				target = f->target;
				r->target_from[d] = 'k';
			} else if (t->has_actual) {
				target = t->actual;
				r->target_from[d] = 't';
			} else
				continue;
			r->target[d] = target;
			if (sales_kpi_defs[k].lower_is_better) {
				if (f->actual <= 0)
					continue;
				c = target / f->actual;
			} else {
				if (target <= 0)
					continue;
				c = f->actual / target;
			}
			r->has_dim[d] = true;
			r->dim[d] = 100 * (c < 1 ? c : 1);
		} else if (r->customers) {
			double v = d == SALES_DIM_PROCESS ?
				(double)r->clean / (double)r->customers :
				1 - (double)r->overdue / (double)r->customers;

			r->has_dim[d] = true;
			r->dim[d] = 100 * (v > 0 ? v : 0);
		}
		if (r->has_dim[d]) {
			wsum += s->weight[d];
			total += s->weight[d] * r->dim[d];
		}
	}
	if (wsum > 0) {
		r->has_score = true;
		r->score = total / wsum;
	}
}

int sales_scorecard_compute(struct sales_scorecard **out,
			    const struct sales_scorecard_query *q,
			    struct sales_error *err)
{
	struct sales_kpi_query kq = { q->dirs, NULL, q->ndirs, q->year, q->quarter,
				      q->as_of, SALES_KPI_BY_OWNER, q->month };
	struct priv *p = calloc(1, sizeof(*p));
	struct sales_scorecard *s;
	sales_date first, last;

	*out = NULL;
	if (!p)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	s = &p->pub;
	s->year = q->year;
	s->quarter = q->quarter;
	s->month = q->month;
	s->as_of = q->as_of;
	for (int d = 0; d < SALES_NDIMS; d++)
		s->weight[d] = sales_score_dims[d].default_weight;
	if (sales_kpi_compute(&s->kpi, &kq, err) < 0)
		goto fail;
	kq.by = SALES_KPI_BY_NONE;
	if (sales_kpi_compute(&s->team, &kq, err) < 0)
		goto fail;
	for (size_t g = 0; g < s->kpi->ngroups; g++) {
		struct sales_scorecard_row *r = row_of(p, s->kpi->groups[g].name);

		if (!r)
			goto nomem;
		memcpy(r->kpi, s->kpi->groups[g].m, sizeof(r->kpi));
		r->leads = (size_t)s->kpi->groups[g].m[SALES_KPI_CONVERSION].now.den;
	}
	sales_kpi_period_bounds(q->year, q->quarter, q->month, &first, &last);
	for (size_t w = 0; w < q->ndirs; w++)
		if (workbook_facts(p, q->dirs[w], q, first, last, w == 0, err) < 0)
			goto fail;
	if (s->nrows > 1)
		qsort(s->rows, s->nrows, sizeof(*s->rows), by_owner);
	for (size_t i = 0; i < s->nrows; i++)
		score_row(s, &s->rows[i], q);
	*out = s;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	sales_scorecard_free(s);
	return -1;
}

int sales_scorecard_add_groups(struct sales_scorecard *s)
{
	struct priv *p = (struct priv *)s;
	size_t before = s->nrows;

	for (size_t g = 0; g < s->kpi->ngroups; g++) {
		struct sales_scorecard_row *r;
		bool have = false;

		for (size_t i = 0; i < s->nrows && !have; i++)
			have = !strcmp(s->rows[i].owner, s->kpi->groups[g].name);
		if (have)
			continue;
		if (!(r = row_of(p, s->kpi->groups[g].name)))
			return -1;
		memcpy(r->kpi, s->kpi->groups[g].m, sizeof(r->kpi));
	}
	if (s->nrows > before)
		qsort(s->rows, s->nrows, sizeof(*s->rows), by_owner);
	return 0;
}

void sales_scorecard_free(struct sales_scorecard *s)
{
	struct priv *p = (struct priv *)s;

	if (!s)
		return;
	sales_kpi_free(s->kpi);
	sales_kpi_free(s->team);
	free(s->rows);
	for (size_t i = 0; i < p->names.n; i++)
		free(p->names.v[i]);
	free(p->names.v);
	free(p);
}
