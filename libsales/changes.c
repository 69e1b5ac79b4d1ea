#include "changes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "text.h"
#include "txn.h"
#include "workbook.h"

const char *const sales_change_approver_roles[] = { "销售经理", "总经理", NULL };

int sales_change_approver_check(const struct sales_context *ctx,
				const char *name, struct sales_error *err)
{
	return sales_team_require(ctx, name, sales_change_approver_roles,
				  SALES_CHANGE_NAPPROVER_ROLES,
				  N_("a change request is approved by a 销售经理 or 总经理"),
				  err);
}

static const char *trimmed(const char *s, size_t *len)
{
	*len = strlen(s);
	return sales_trim(s, len);
}

/* SPEC §6: 已审批 with a 签订日期 not after today. */
static bool is_signed(const struct sales_model *m, const struct sales_contract *k)
{
	return k->status == SALES_APPROVAL_APPROVED &&
	       k->signed_date != SALES_DATE_NONE && k->signed_date <= m->ctx->today;
}

long sales_change_contract(const struct sales_model *m, long c,
			   const char *contract, char *why, size_t cap)
{
	size_t len, nsigned = 0;
	const char *id = trimmed(contract ? contract : "", &len);
	const char *name = c >= 0 ? sales_model_str(m, m->customers[c].name) : "";
	long one = -1;

	why[0] = '\0';
	for (size_t i = 0; c >= 0 && i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];

		if (k->customer == (uint32_t)c && is_signed(m, k)) {
			nsigned++;
			one = (long)i;
		}
	}
	if (len) {
		for (size_t i = 0; i < m->ncontracts; i++) {
			const char *k = sales_model_str(m, m->contracts[i].id);

			if (strlen(k) != len || memcmp(k, id, len))
				continue;
			if (c >= 0 && m->contracts[i].customer == (uint32_t)c)
				return (long)i;
			snprintf(why, cap, _("合同编号 '%.*s' is a contract of another customer, not of '%s'"),
				 (int)len, id, name);
			return -1;
		}
		snprintf(why, cap, _("合同编号 '%.*s' is not in 04-contracts.csv"),
			 (int)len, id);
		return -1;
	}
	if (nsigned == 1)
		return one;
	snprintf(why, cap, nsigned ?
		 _("合同编号 is empty and '%s' has more than one signed contract: name the one the change is to") :
		 _("合同编号 is empty and '%s' has no signed contract: a change is made to a signed contract"),
		 name);
	return -1;
}

void sales_change_judge(const struct sales_model *m, long c,
			const char *const *v, struct sales_change_verdict *out)
{
	const struct sales_context *ctx = m->ctx;
	struct sales_error err;
	size_t len;
	const char *s;

	memset(out, 0, sizeof(*out));
	out->contract = -1;
	out->date = SALES_DATE_NONE;
	s = trimmed(v[CHG_COST], &len);
	if (len && sales_parse_amount_delta(s, len, &out->cost) != SALES_VALUE_OK)
		out->cost = 0;
	s = trimmed(v[CHG_DAYS], &len);
	if (len && sales_parse_int(s, len, &out->days) != SALES_VALUE_OK)
		out->days = 0;
	s = trimmed(v[CHG_APPROVED], &len);
	if (len && sales_parse_date(s, len, &out->date) != SALES_VALUE_OK)
		out->date = SALES_DATE_NONE;
	out->why_col = CHG_CONTRACT;
	if (c < 0) {
		s = trimmed(v[CHG_CUSTOMER], &len);
		snprintf(out->why, sizeof(out->why),
			 _("customer '%.*s' is not in 01-leads.csv"), (int)len, s);
		out->why_col = CHG_CUSTOMER;
		return;
	}
	out->contract = sales_change_contract(m, c, v[CHG_CONTRACT], out->why,
					      sizeof(out->why));
	if (out->contract < 0)
		return;
	s = trimmed(v[CHG_APPROVER], &len);
	out->why_col = CHG_APPROVER;
	if (!len) {
		snprintf(out->why, sizeof(out->why), "%s", _("it has no 审批人"));
		return;
	}
	if (sales_change_approver_check(ctx, s, &err) < 0) {
		snprintf(out->why, sizeof(out->why), "%s", err.message);
		return;
	}
	out->why_col = CHG_APPROVED;
	if (out->date == SALES_DATE_NONE || out->date > ctx->today) {
		snprintf(out->why, sizeof(out->why), "%s",
			 out->date == SALES_DATE_NONE ?
			 _("it has no 审批日期: not approved yet") :
			 _("its 审批日期 lies in the future"));
		return;
	}
	if (sales_enum_find(sales_yes_no, v[CHG_CONFIRMED],
			    strlen(v[CHG_CONFIRMED])) != 0) {
		snprintf(out->why, sizeof(out->why), "%s",
			 _("the customer has not confirmed it (客户确认 is not 是)"));
		out->why_col = CHG_CONFIRMED;
		return;
	}
	out->approved = true;
}

/* ---- audit.csv ---- */

enum hist_kind { HIST_PERIOD, HIST_AMOUNT, HIST_SIGNED };

struct hist_entry {
	enum hist_kind kind;
	char *key;
	char *old;              /* HIST_SIGNED: unused */
	sales_date date;        /* the day the audit row was written */
	size_t seq;             /* its place in audit.csv */
};

struct sales_change_history {
	struct hist_entry *e;
	size_t n, alloc;
};

static int cmp_entry(const void *pa, const void *pb)
{
	const struct hist_entry *a = pa, *b = pb;
	int d;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((d = strcmp(a->key, b->key)))
		return d;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int history_row(void *ud, const struct sales_audit_row *row,
		       struct sales_error *err)
{
	struct sales_change_history *h = ud;
	const char *const *v = row->v;
	enum sales_sheet_id sheet = row->sheet ? row->sheet->id : SALES_NSHEETS;
	enum hist_kind kind;
	struct hist_entry *e;
	size_t len;
	const char *t;

	if (sheet == SALES_PLANS && row->col == PLAN_PERIOD)
		kind = HIST_PERIOD;
	else if (sheet == SALES_CONTRACTS && row->col == CON_AMOUNT)
		kind = HIST_AMOUNT;
	else if (sheet == SALES_CONTRACTS && row->col == CON_SIGNED)
		kind = HIST_SIGNED;
	else
		return 0;
	/* a row appended (no old value) is no change of what was there */
	if (kind != HIST_SIGNED && !*trimmed(v[AUDIT_OLD], &len))
		return 0;
	if (SALES_ALLOC_GROW(h->e, h->n + 1, h->alloc) < 0)
		goto nomem;
	e = &h->e[h->n];
	t = trimmed(v[AUDIT_KEY], &len);
	e->key = strndup(t, len);
	t = trimmed(v[AUDIT_OLD], &len);
	e->old = strndup(t, len);
	if (!e->key || !e->old) {
		free(e->key);
		free(e->old);
		goto nomem;
	}
	h->n++;
	e->kind = kind;
	e->seq = row->line;
	e->date = sales_audit_day(v[AUDIT_COMMAND], v[AUDIT_TIME]);
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

int sales_change_history_load(const char *dir,
			      struct sales_change_history **out,
			      struct sales_error *err)
{
	struct sales_change_history *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (sales_audit_each(dir, history_row, h, err) < 0) {
		sales_change_history_free(h);
		return -1;
	}
	if (h->n)
		qsort(h->e, h->n, sizeof(*h->e), cmp_entry);
	*out = h;
	return 0;
}

void sales_change_history_free(struct sales_change_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->e[i].key);
		free(h->e[i].old);
	}
	free(h->e);
	free(h);
}

/* The first entry of kind for key (trimmed), or NULL; *end is one past
 * its last. */
static const struct hist_entry *first_of(const struct sales_change_history *h,
					 enum hist_kind kind, const char *key,
					 const struct hist_entry **end)
{
	struct hist_entry want = { kind, NULL, NULL, 0, 0 };
	size_t lo = 0, hi = h->n, len;
	const char *k = trimmed(key, &len);
	char *copy;

	if (!h->n || !(copy = strndup(k, len)))
		return NULL;
	want.key = copy;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_entry(&h->e[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	free(copy);
	if (lo == h->n || h->e[lo].kind != kind || strncmp(h->e[lo].key, k, len) ||
	    h->e[lo].key[len])
		return NULL;
	*end = &h->e[lo];
	while (*end < h->e + h->n && (*end)->kind == kind &&
	       !strcmp((*end)->key, h->e[lo].key))
		(*end)++;
	return &h->e[lo];
}

bool sales_change_planned_end(const struct sales_change_history *h,
			      const char *key, sales_date *planned)
{
	const struct hist_entry *e, *end;
	struct sales_date_range r;

	if (!(e = first_of(h, HIST_PERIOD, key, &end)))
		return false;
	if (sales_parse_date_range(e->old, strlen(e->old), &r) != SALES_VALUE_OK ||
	    r.end == SALES_DATE_NONE)
		return false;
	*planned = r.end;
	return true;
}

bool sales_change_signed_amount(const struct sales_change_history *h,
				const char *id, sales_date signed_date,
				double *amount)
{
	const struct hist_entry *e, *end, *s, *send;
	size_t after = 0;   /* seq of the audit row that set 签订日期, 0 */
	struct sales_amount a;

	if (!(e = first_of(h, HIST_AMOUNT, id, &end)))
		return false;
	if ((s = first_of(h, HIST_SIGNED, id, &send)))
		after = (send - 1)->seq;
	for (; e < end; e++) {
		if (after ? e->seq < after :
		    (e->date == SALES_DATE_NONE || signed_date == SALES_DATE_NONE ||
		     e->date < signed_date))
			continue;
		if (sales_parse_amount(e->old, strlen(e->old), &a) != SALES_VALUE_OK ||
		    a.flags != (SALES_AMOUNT_LO | SALES_AMOUNT_HI))
			return false;
		*amount = a.lo;
		return true;
	}
	return false;
}
