#include "pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "calendar.h"
#include "entry.h"
#include "i18n.h"
#include "model.h"
#include "schema.h"
#include "txn.h"
#include "settings.h"
#include "text.h"
#include "workbook.h"

/* ---- settings ------------------------------------------------------------ */

static int pool_setting(const struct sales_context *ctx, const char *key,
			long fallback, long min, long *out,
			struct sales_error *err)
{
	const char *v = sales_settings_get(ctx->settings, key);
	size_t len;

	*out = fallback;
	if (!v)
		return 0;
	len = strlen(v);
	v = sales_trim(v, &len);
	if (sales_parse_int(v, len, out) != SALES_VALUE_OK || *out < min)
		return sales_error_set(err, SALES_EVALUE, SALES_SETTINGS_FILE,
				       sales_settings_line(ctx->settings, key), 0,
				       _("%s = '%s' is not a whole number of at least %ld"),
				       key, v, min);
	return 0;
}

int sales_pool_rules_load(const struct sales_context *ctx,
			  struct sales_pool_rules *out, struct sales_error *err)
{
	static const char *const grades[3] = { "pool.recall_days_a",
					       "pool.recall_days_b",
					       "pool.recall_days_c" };

	for (int g = 0; g < 3; g++)
		if (pool_setting(ctx, grades[g], -1, 1, &out->recall_days[g],
				 err) < 0)
			return -1;
	if (pool_setting(ctx, "pool.cooldown_days", 10, 0, &out->cooldown_days,
			 err) < 0 ||
	    pool_setting(ctx, "pool.max_claims_per_week", -1, 1,
			 &out->max_claims_per_week, err) < 0 ||
	    pool_setting(ctx, "pool.max_held", -1, 1, &out->max_held, err) < 0 ||
	    pool_setting(ctx, "pool.warn_days", 3, 0, &out->warn_days, err) < 0)
		return -1;
	return 0;
}

bool sales_pool_enabled(const struct sales_pool_rules *r)
{
	return r->recall_days[0] > 0 || r->recall_days[1] > 0 ||
	       r->recall_days[2] > 0;
}

sales_date sales_pool_recall_due(const struct sales_context *ctx,
				 const struct sales_pool_rules *r, char grade,
				 sales_date last)
{
	int g = grade == 'A' ? 0 : grade == 'B' ? 1 : grade == 'C' ? 2 : -1;

	if (g < 0 || r->recall_days[g] <= 0 || last == SALES_DATE_NONE)
		return SALES_DATE_NONE;
	return sales_calendar_add_workdays(ctx->calendar, last,
					   (int)r->recall_days[g]);
}

/* ---- what audit.csv says ------------------------------------------------- */

struct pool_event {
	char *customer;
	char *rep;          /* claims and assignments; NULL for a recall */
	sales_date day;
};

struct sales_pool_history {
	struct pool_event *ev;
	size_t n, alloc;
};


static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int pool_row(void *ud, const struct sales_audit_row *row,
		    struct sales_error *err)
{
	struct sales_pool_history *h = ud;
	const char *const *v = row->v;
	const char *cmd = v[AUDIT_COMMAND];
	bool leads = row->sheet && row->sheet->id == SALES_LEADS;
	bool recall = leads && starts(cmd, SALES_POOL_RECALL_CMD) &&
		      row->col == LEAD_STATUS && !strcmp(v[AUDIT_NEW], "公海");
	bool claim = leads && (starts(cmd, SALES_POOL_CLAIM_CMD) ||
			       starts(cmd, SALES_POOL_ASSIGN_CMD)) &&
		     row->col == LEAD_OWNER && *v[AUDIT_NEW];
	struct pool_event *e;

	if (!recall && !claim)
		return 0;
	if (SALES_ALLOC_GROW(h->ev, h->n + 1, h->alloc) < 0)
		goto nomem;
	e = &h->ev[h->n];
	e->customer = strdup(v[AUDIT_KEY]);
	e->rep = claim ? strdup(v[AUDIT_NEW]) : NULL;
	e->day = sales_audit_day(cmd, v[AUDIT_TIME]);
	h->n++;
	if (!e->customer || (claim && !e->rep))
		goto nomem;
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

int sales_pool_history_load(const char *dir, struct sales_pool_history **out,
			    struct sales_error *err)
{
	struct sales_pool_history *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (sales_audit_each(dir, pool_row, h, err) < 0) {
		sales_pool_history_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

void sales_pool_history_free(struct sales_pool_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->ev[i].customer);
		free(h->ev[i].rep);
	}
	free(h->ev);
	free(h);
}

sales_date sales_pool_recalled_on(const struct sales_pool_history *h,
				  const char *customer)
{
	sales_date last = SALES_DATE_NONE;

	for (size_t i = 0; i < h->n; i++)
		if (!h->ev[i].rep && sales_key_equal(h->ev[i].customer, customer) &&
		    (last == SALES_DATE_NONE || h->ev[i].day > last))
			last = h->ev[i].day;
	return last;
}

long sales_pool_claims_in_week(const struct sales_pool_history *h,
			       const char *rep, sales_date day)
{
	/* sales_date_weekday: 1 Monday .. 7 Sunday */
	sales_date monday = day - (sales_date_weekday(day) - 1);
	long n = 0;

	for (size_t i = 0; i < h->n; i++)
		if (h->ev[i].rep && !strcmp(h->ev[i].rep, rep) &&
		    h->ev[i].day >= monday && h->ev[i].day <= monday + 6)
			n++;
	return n;
}

int sales_pool_may_take(const struct sales_context *ctx,
			const struct sales_pool_rules *r,
			const struct sales_pool_history *h,
			const char *customer, const char *former,
			const char *rep, long held, struct sales_error *err)
{
	char a[11], b[11];

	if (former && *former && !strcmp(former, rep)) {
		sales_date recalled = sales_pool_recalled_on(h, customer);
		sales_date until = recalled == SALES_DATE_NONE ? SALES_DATE_NONE :
				   sales_calendar_add_workdays(ctx->calendar, recalled,
							       (int)r->cooldown_days);

		if (until != SALES_DATE_NONE && ctx->today < until)
			return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
					       _("'%s' was %s's lead until it returned to the pool on %s: its former owner may claim it back from %s (pool.cooldown_days = %ld working days)"),
					       customer, rep,
					       sales_date_format(recalled, a),
					       sales_date_format(until, b),
					       r->cooldown_days);
	}
	if (r->max_held > 0 && held >= r->max_held)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       _("%s already holds %ld open leads (pool.max_held = %ld)"),
				       rep, held, r->max_held);
	if (r->max_claims_per_week > 0) {
		long n = sales_pool_claims_in_week(h, rep, ctx->today);

		if (n >= r->max_claims_per_week)
			return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
					       _("%s has taken %ld leads from the pool this week (pool.max_claims_per_week = %ld)"),
					       rep, n, r->max_claims_per_week);
	}
	return 0;
}

long sales_pool_held(const struct sales_model *m, const char *rep)
{
	long n = 0;

	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *k = &m->customers[i];

		if (k->lead_line && k->status != SALES_LEAD_SIGNED &&
		    k->status != SALES_LEAD_LOST && k->status != SALES_LEAD_POOL &&
		    !strcmp(sales_model_str(m, sales_customer_owner(m, k)), rep))
			n++;
	}
	return n;
}
