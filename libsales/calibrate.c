/*
 * calibrate.c - grade calibration (see calibrate.h): the workbook model for
 * who signed, score.c for each lead's points, counted here.
 */
#include "calibrate.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "kpi.h"
#include "model.h"
#include "schema.h"

struct lead_score {
	bool scored;
	int total;
	int points[SALES_SCORE_NDIMS];
};

struct closed {
	int total;
	bool won;
};

struct calib_state {
	const struct sales_context *ctx;
	const struct sales_score_surveys *sv;
	const struct sales_score_rules *rules;
	struct lead_score *scores;
	size_t nscores;
	struct closed *closed;
	size_t nclosed, aclosed;
};

static int lead_hook(void *ud, const struct sales_row_event *ev,
		     struct sales_error *err)
{
	struct calib_state *st = ud;
	struct sales_score sc;
	char where[64];

	if (ev->sheet != SALES_LEADS || ev->customer < 0)
		return 0;
	if (SALES_ALLOC_GROW_ZERO(st->scores, (size_t)ev->customer + 1,
				  st->nscores) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	snprintf(where, sizeof(where), "01-leads.csv:%ld", (long)ev->rec->row->line);
	sales_score_lead(st->rules, st->sv, ev->rec->v, where, false, &sc);
	st->scores[ev->customer].scored = true;
	st->scores[ev->customer].total = sc.total;
	memcpy(st->scores[ev->customer].points, sc.points, sizeof(sc.points));
	return 0;
}

static struct sales_calib_bucket *dim_bucket(struct sales_calibration *c, int d,
					     int points)
{
	struct sales_calib_bucket *b;
	size_t i;

	for (i = 0; i < c->ndim[d]; i++)
		if (c->dim[d][i].points == points)
			return &c->dim[d][i];
	if (SALES_ALLOC_GROW(c->dim[d], c->ndim[d] + 1, c->adim[d]) < 0)
		return NULL;
	b = c->dim[d];
	/* keep points descending */
	for (i = 0; i < c->ndim[d] && b[i].points > points; i++)
		;
	memmove(b + i + 1, b + i, (c->ndim[d] - i) * sizeof(*b));
	memset(&b[i], 0, sizeof(b[i]));
	b[i].points = points;
	snprintf(b[i].label, sizeof(b[i].label), "%d", points);
	c->ndim[d]++;
	return &b[i];
}

static void count(struct sales_calib_bucket *b, bool won, bool lost, double cycle)
{
	b->leads++;
	if (won) {
		b->won++;
		if (cycle >= 0) {
			b->cycle_days += cycle;
			b->ncycle++;
		}
	} else if (lost) {
		b->lost++;
	}
}

static int status_index(const char *name)
{
	for (int i = 0; sales_lead_statuses[i]; i++)
		if (!strcmp(sales_lead_statuses[i], name))
			return i;
	return -2;
}

static int workbook(struct sales_calibration *c, const struct sales_calib_query *q,
		    size_t w, struct calib_state *st, struct sales_error *err)
{
	struct sales_context ctx;
	struct sales_score_surveys *sv = NULL;
	struct sales_score_rules *rules = NULL;
	struct sales_model *m = NULL;
	sales_date first = SALES_DATE_NONE, last = SALES_DATE_NONE;
	int lost_status = status_index("已丢单");
	int rc = -1;

	if (sales_context_load(&ctx, q->dirs[w], q->as_of, err) < 0)
		return -1;
	if (w == 0) {
		c->threshold_a = sales_setting_int(&ctx, "score.threshold_a");
		c->threshold_b = sales_setting_int(&ctx, "score.threshold_b");
	}
	if (sales_score_surveys_load(q->dirs[w], ctx.settings, &sv, err) < 0)
		goto out;
	rules = sales_score_rules_new(ctx.settings);
	if (!rules)
		goto nomem;
	st->ctx = &ctx;
	st->sv = sv;
	st->rules = rules;
	st->nscores = 0;
	if (sales_model_load(&m, &ctx, (1u << SALES_LEADS) | (1u << SALES_CONTRACTS),
			     lead_hook, st, err) < 0)
		goto out;
	if (q->quarter)
		sales_kpi_period_bounds(q->year, q->quarter, q->month, &first, &last);
	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *cu = &m->customers[i];
		sales_date signed_first = sales_customer_signed_first(m, cu);
		bool won, lost;
		double cycle = -1;
		int g;

		if (!cu->lead_line || sales_customer_registered(m, cu) == SALES_DATE_NONE ||
		    sales_customer_registered(m, cu) > q->as_of)
			continue;
		if (q->quarter && (sales_customer_registered(m, cu) < first || sales_customer_registered(m, cu) > last))
			continue;
		won = signed_first != SALES_DATE_NONE && signed_first <= q->as_of;
		lost = !won && cu->status == lost_status && sales_customer_last_contact(m, cu) <= q->as_of;
		if (won && signed_first >= sales_customer_registered(m, cu))
			cycle = signed_first - sales_customer_registered(m, cu);
		c->leads++;
		g = cu->grade == 'A' ? 0 : cu->grade == 'B' ? 1 : cu->grade == 'C' ? 2 : 3;
		count(&c->grade[g], won, lost, cycle);
		if (i >= st->nscores || !st->scores[i].scored)
			continue;
		for (int d = 0; d < SALES_SCORE_NDIMS; d++) {
			struct sales_calib_bucket *b = dim_bucket(c, d, st->scores[i].points[d]);

			if (!b)
				goto nomem;
			count(b, won, lost, cycle);
		}
		if (won || lost) {
			if (SALES_ALLOC_GROW(st->closed, st->nclosed + 1,
					     st->aclosed) < 0)
				goto nomem;
			st->closed[st->nclosed].total = st->scores[i].total;
			st->closed[st->nclosed++].won = won;
		}
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_model_free(m);
	sales_score_rules_free(rules);
	sales_score_surveys_free(sv);
	sales_context_release(&ctx);
	return rc;
}

/* Youden's J of "total >= t means won" over the closed leads. */
static void youden(const struct calib_state *st, size_t won, size_t lost, long t,
		   double *j, double *tpr, double *fpr)
{
	size_t a = 0, b = 0;

	for (size_t i = 0; i < st->nclosed; i++)
		if (st->closed[i].total >= t) {
			if (st->closed[i].won)
				a++;
			else
				b++;
		}
	*tpr = (double)a / (double)won;
	*fpr = (double)b / (double)lost;
	*j = *tpr - *fpr;
}

static void suggest(struct sales_calibration *c, const struct calib_state *st)
{
	for (size_t i = 0; i < st->nclosed; i++) {
		if (st->closed[i].won)
			c->closed_won++;
		else
			c->closed_lost++;
	}
	if (!c->closed_won || !c->closed_lost)
		return;
	c->has_current = true;
	youden(st, c->closed_won, c->closed_lost, c->threshold_a, &c->j_current,
	       &c->tpr_current, &c->fpr_current);
	for (size_t i = 0; i < st->nclosed; i++) {
		long t = st->closed[i].total;
		double j, tpr, fpr;
		long dist, best_dist;

		youden(st, c->closed_won, c->closed_lost, t, &j, &tpr, &fpr);
		dist = labs(t - c->threshold_a);
		best_dist = labs(c->best - c->threshold_a);
		if (!c->has_best || j > c->j_best + 1e-12 ||
		    (j > c->j_best - 1e-12 && (dist < best_dist ||
					       (dist == best_dist && t < c->best)))) {
			c->has_best = true;
			c->best = t;
			c->j_best = j;
			c->tpr_best = tpr;
			c->fpr_best = fpr;
		}
	}
}

int sales_calibration_compute(struct sales_calibration **out,
			      const struct sales_calib_query *q,
			      struct sales_error *err)
{
	struct sales_calibration *c = calloc(1, sizeof(*c));
	struct calib_state st = { 0 };
	static const char *const grades[] = { "A类", "B类", "C类", "(未定)" };

	*out = NULL;
	if (!c)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	c->year = q->year;
	c->quarter = q->quarter;
	c->month = q->month;
	c->as_of = q->as_of;
	for (int g = 0; g < 4; g++)
		snprintf(c->grade[g].label, sizeof(c->grade[g].label), "%s", grades[g]);
	for (size_t w = 0; w < q->ndirs; w++)
		if (workbook(c, q, w, &st, err) < 0) {
			free(st.scores);
			free(st.closed);
			sales_calibration_free(c);
			return -1;
		}
	suggest(c, &st);
	free(st.scores);
	free(st.closed);
	*out = c;
	return 0;
}

void sales_calibration_free(struct sales_calibration *c)
{
	if (!c)
		return;
	for (int d = 0; d < SALES_SCORE_NDIMS; d++)
		free(c->dim[d]);
	free(c);
}
