/*
 * floor.c - 谈判底线 (see floor.h).
 */
#include "floor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "i18n.h"
#include "rules.h"
#include "text.h"
#include "workbook.h"
#include "value.h"

int sales_floor_policy_get(const struct sales_context *ctx,
			   struct sales_floor_policy *p, struct sales_error *err)
{
	const char *d = sales_settings_get(ctx->settings, "floor.max_discount");
	const char *m = sales_settings_get(ctx->settings, "floor.min_duration_days");
	double v = 0.1;

	p->max_discount = 0.1;
	p->min_days = -1;
	if (d && *d) {
		if (sales_parse_percent(d, strlen(d), &v) != SALES_VALUE_OK || v < 0)
			return sales_error_set(err, SALES_EVALUE, SALES_SETTINGS_FILE, 0, 0,
					       _("floor.max_discount '%s' is not a percentage (e.g. 10%%)"), d);
		/* "10" for 10%: a discount above 1 was typed in points */
		if (!strchr(d, '%') && v > 1)
			v /= 100;
		if (v >= 1)
			return sales_error_set(err, SALES_EVALUE, SALES_SETTINGS_FILE, 0, 0,
					       _("floor.max_discount '%s' allows the whole price away"), d);
		p->max_discount = v;
	}
	if (m && *m) {
		long n;

		if (sales_parse_int(m, strlen(m), &n) != SALES_VALUE_OK || n < 0)
			return sales_error_set(err, SALES_EVALUE, SALES_SETTINGS_FILE, 0, 0,
					       _("floor.min_duration_days '%s' is not a number of days"), m);
		p->min_days = n;
	}
	p->active = p->max_discount > 0 || p->min_days >= 0;
	return 0;
}

/* "45天", "45", "45 天" -> 45; -1 otherwise. */
static long duration_days(const char *s)
{
	size_t len = strlen(s);
	long n;

	s = sales_trim(s, &len);
	if (len >= 3 && !memcmp(s + len - 3, "天", 3))
		len -= 3;
	while (len && s[len - 1] == ' ')
		len--;
	if (!len || sales_parse_int(s, len, &n) != SALES_VALUE_OK || n < 0)
		return -1;
	return n;
}

void sales_floor_basis_init(struct sales_floor_basis *b)
{
	memset(b, 0, sizeof(*b));
	b->days = -1;
}

void sales_floor_feed(struct sales_floor_basis *b, const struct sales_record *rec,
		      uint32_t line)
{
	const char *q = rec->v[SOL_QUOTE];
	struct sales_amount a;
	bool ok;
	long days;

	if (sales_review_of(rec->v[SOL_REVIEW], NULL) != SALES_REVIEW_PASSED)
		return;
	ok = sales_parse_amount(q, strlen(q), &a) == SALES_VALUE_OK &&
	     a.flags == (SALES_AMOUNT_LO | SALES_AMOUNT_HI) && a.lo == a.hi;
	if (!b->n++) {
		b->has = 1;
		b->has_quote = 1;
		b->line = line;
	}
	if (ok)
		b->quote += a.lo;
	else
		b->has_quote = 0;   /* an unknown price: no price floor */
	days = duration_days(rec->v[SOL_DURATION]);
	if (days >= 0 && (b->days < 0 || days < b->days))
		b->days = days;
}

bool sales_floor_below(const struct sales_floor_policy *p,
		       const struct sales_floor_basis *b, double amount,
		       size_t ncontracts, double *min_amount, char *why,
		       size_t cap)
{
	bool below = false;
	size_t n = 0;

	if (min_amount)
		*min_amount = -1;
	if (why && cap)
		why[0] = '\0';
	if (!p->active || !b->has)
		return false;
	if (p->max_discount > 0 && b->has_quote) {
		double floor = b->quote * (1 - p->max_discount);

		/* amounts are typed to two decimals: compare in 0.01 万元 */
		floor = round(floor * 100) / 100;
		if (min_amount)
			*min_amount = floor;
		if (!isnan(amount) && amount + 1e-9 < floor) {
			below = true;
			if (why)
				n += ncontracts > 1 ?
					(size_t)snprintf(why + n, cap - n,
						_("合同金额 %g (its %zu contracts together) is below the floor %g (报价 %g of its passed proposals, from 03-solutions.csv:%u, less floor.max_discount %g%%)"),
						amount, ncontracts, floor, b->quote, (unsigned)b->line,
						round(p->max_discount * 1000) / 10) :
					(size_t)snprintf(why + n, cap - n,
						_("合同金额 %g is below the floor %g (报价 %g of 03-solutions.csv:%u less floor.max_discount %g%%)"),
						amount, floor, b->quote, (unsigned)b->line,
						round(p->max_discount * 1000) / 10);
		}
	}
	if (p->min_days >= 0 && b->days >= 0 && b->days < p->min_days) {
		below = true;
		if (why && n + 1 < cap)
			snprintf(why + n, cap - n,
				 _("%s实施周期 %ld天 of 03-solutions.csv:%u is shorter than floor.min_duration_days %ld"),
				 n ? "; " : "", b->days, (unsigned)b->line, p->min_days);
	}
	return below;
}

const struct sales_model_exception *
sales_floor_exception(const struct sales_model *m,
		      const struct sales_rulebook *rb, size_t c,
		      const struct sales_model_exception **invalid)
{
	return sales_facts_exception(m, rb, c, "底线让步", SALES_CONTRACTS,
				     invalid);
}

int sales_floor_basis_of(const char *dir, const char *customer,
			 struct sales_floor_basis *b, struct sales_error *err)
{
	struct sales_sheet_reader *rd = NULL;
	const struct sales_record *rec;
	size_t want_len = strlen(customer);
	const char *want = sales_trim(customer, &want_len);
	int rc;

	sales_floor_basis_init(b);
	if (!sales_sheet_exists(dir, SALES_SOLUTIONS))
		return 0;
	if (sales_sheet_open(dir, SALES_SOLUTIONS, SALES_ENC_AUTO, &rd, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(rd, &rec, err)) > 0) {
		size_t len = strlen(rec->v[SOL_CUSTOMER]);
		const char *name = sales_trim(rec->v[SOL_CUSTOMER], &len);

		if (len == want_len && !memcmp(name, want, len))
			sales_floor_feed(b, rec, (uint32_t)rec->row->line);
	}
	sales_sheet_close(rd);
	return rc < 0 ? -1 : 0;
}
