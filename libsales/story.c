#include "story.h"
#include "buf.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "check.h"
#include "facts.h"
#include "leads.h"
#include "rules.h"
#include "resolve.h"
#include "text.h"

static const char *const stage_names[SALES_NSTAGES] = {
	"客户开发", "需求分析", "方案制定", "谈判签约", "项目交付", "项目验收",
	"售后跟进",
};

const char *sales_story_stage_name(int stage)
{
	return stage >= 0 && stage < SALES_NSTAGES ? stage_names[stage] : "";
}

/* ---- text ---- */

/* vsnprintf, then cut at a character boundary so dst stays valid UTF-8 */
static void vfmt(char *dst, size_t cap, const char *fmt, va_list ap)
{
	char tmp[1024];
	size_t n;

	vsnprintf(tmp, sizeof(tmp), _(fmt), ap);
	n = sales_utf8_cut(tmp, strlen(tmp), cap - 1);
	memcpy(dst, tmp, n);
	dst[n] = '\0';
}

/* A cell for a sentence: blanks trimmed, line breaks as spaces, cut at a
 * character boundary. */
static const char *cell(const char *s, char *buf, size_t cap)
{
	size_t len = strlen(s), n;

	s = sales_trim(s, &len);
	n = sales_utf8_cut(s, len, cap - 1);
	for (size_t i = 0; i < n; i++)
		buf[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
	buf[n] = '\0';
	return buf;
}

static sales_date date_of(const char *s)
{
	sales_date d;

	return sales_parse_date(s, strlen(s), &d) == SALES_VALUE_OK ? d :
	       SALES_DATE_NONE;
}

/* ---- collecting the rows while the model loads ---- */

struct pending {
	long customer;
	size_t seq;
	bool plan;                     /* a 下次跟进计划, not an event */
	sales_date after;              /* plan: the follow-up's own date */
	struct sales_story_event ev;
};

struct collect {
	struct sales_resolver *res;    /* the name asked for (resolve.h) */
	signed char *verdict;          /* per customer: 0 unknown, 1 yes, -1 no */
	size_t nverdict;
	struct pending *rows;
	size_t n, cap;
	bool oom;
	struct sales_check_session *check;   /* fed every row, or NULL */
};

/* Rows are kept for every customer the name could resolve to; the one it
 * does resolve to is known once every sheet is read. */
static bool wanted(struct collect *c, long cust, const char *name)
{
	bool yes;

	if (cust >= 0 && (size_t)cust < c->nverdict && c->verdict[cust])
		return c->verdict[cust] > 0;
	yes = sales_resolver_match(c->res, name) != SALES_MATCH_NONE;
	if (cust >= 0) {
		if (SALES_ALLOC_GROW_ZERO(c->verdict, (size_t)cust + 1,
					  c->nverdict) < 0) {
			c->oom = true;
			return yes;
		}
		c->verdict[cust] = yes ? 1 : -1;
	}
	return yes;
}

static struct pending *add_pending(struct collect *c, long cust,
				   enum sales_sheet_id sheet, long line,
				   sales_date date, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static struct pending *add_pending(struct collect *c, long cust,
				   enum sales_sheet_id sheet, long line,
				   sales_date date, const char *fmt, ...)
{
	struct pending *p;
	va_list ap;

	if (SALES_ALLOC_GROW(c->rows, c->n + 1, c->cap) < 0) {
		c->oom = true;
		return NULL;
	}
	p = &c->rows[c->n];
	p->customer = cust;
	p->seq = c->n++;
	p->plan = false;
	p->after = SALES_DATE_NONE;
	p->ev.date = date;
	p->ev.sheet = sheet;
	p->ev.line = line;
	va_start(ap, fmt);
	vfmt(p->ev.text, sizeof(p->ev.text), fmt, ap);
	va_end(ap);
	return p;
}

/* Which column names the customer in each sheet the model reads. */
static int customer_col(enum sales_sheet_id id)
{
	switch (id) {
	case SALES_LEADS: return LEAD_CUSTOMER;
	case SALES_CONTRACTS: return CON_CUSTOMER;
	case SALES_SURVEYS: case SALES_SOLUTIONS: case SALES_PLANS:
	case SALES_ACCEPTANCE: case SALES_FOLLOWUPS: case SALES_EXCEPTIONS:
	case SALES_CHANGES:
		return 0;
	default:
		return -1;
	}
}

/* The events of one row of the customer (a row may hold several dates). */
static void row_events(struct collect *c, long cust, enum sales_sheet_id id,
		       const struct sales_record *rec)
{
	const char *const *v = rec->v;
	long line = rec->row->line;
	char a[160], b[160], d[160], e[160];
	size_t before = c->n;
	sales_date dt;

	switch (id) {
	case SALES_LEADS:
		add_pending(c, cust, id, line, date_of(v[LEAD_REGISTERED]),
			    "lead registered%s%s%s%s%s%s",
			    *cell(v[LEAD_SOURCE], a, sizeof(a)) ? _(" via ") : "", a,
			    *cell(v[LEAD_OWNER], b, sizeof(b)) ? _(", 负责人 ") : "", b,
			    *cell(v[LEAD_NEED], d, sizeof(d)) ? _(": ") : "", d);
		dt = date_of(v[LEAD_LAST_CONTACT]);
		if (dt != SALES_DATE_NONE)
			add_pending(c, cust, id, line, dt,
				    "last contact (最后跟进时间), 客户状态 %s",
				    *cell(v[LEAD_STATUS], a, sizeof(a)) ? a : _("not set"));
		break;
	case SALES_SURVEYS:
		add_pending(c, cust, id, line, date_of(v[SURVEY_DATE]),
			    "requirement survey of %s by %s: %s; budget %s; decision chain %s",
			    *cell(v[SURVEY_INTERVIEWEE], a, sizeof(a)) ? a : "?",
			    *cell(v[SURVEY_SURVEYOR], b, sizeof(b)) ? b : "?",
			    *cell(v[SURVEY_TARGET_NEED], d, sizeof(d)) ? d : _("no need stated"),
			    *cell(v[SURVEY_BUDGET], e, sizeof(e)) ? e : _("not stated"),
			    *v[SURVEY_DECISION_CHAIN] ? v[SURVEY_DECISION_CHAIN] :
			    _("not stated"));
		break;
	case SALES_SOLUTIONS:
		cell(v[SOL_SOLUTION], a, sizeof(a));
		dt = date_of(v[SOL_SUBMITTED]);
		if (dt != SALES_DATE_NONE)
			add_pending(c, cust, id, line, dt,
				    "proposal '%s' submitted%s%s万元",
				    a, *cell(v[SOL_QUOTE], b, sizeof(b)) ? _(": 报价 ") : "",
				    b);
		dt = date_of(v[SOL_REVIEWED]);
		if (dt != SALES_DATE_NONE || *cell(v[SOL_REVIEW], b, sizeof(b)))
			add_pending(c, cust, id, line, dt,
				    "proposal '%s' reviewed: %s", a,
				    *cell(v[SOL_REVIEW], b, sizeof(b)) ? b :
				    _("no 评审意见 yet"));
		break;
	case SALES_CONTRACTS:
		cell(v[CON_CONTRACT], a, sizeof(a));
		dt = date_of(v[CON_SIGNED]);
		if (dt != SALES_DATE_NONE)
			add_pending(c, cust, id, line, dt,
				    "contract %s signed: %s万元, %s", a,
				    cell(v[CON_AMOUNT], b, sizeof(b)),
				    *cell(v[CON_APPROVAL], d, sizeof(d)) ? d : _("审批状态 not set"));
		dt = date_of(v[CON_PAYMENT_DUE]);
		if (dt != SALES_DATE_NONE)
			add_pending(c, cust, id, line, dt, "payment of %s due", a);
		dt = date_of(v[CON_PAID]);
		if (dt != SALES_DATE_NONE)
			add_pending(c, cust, id, line, dt, "payment of %s received", a);
		if (c->n == before)
			add_pending(c, cust, id, line, SALES_DATE_NONE,
				    "contract %s: %s万元, %s, not signed", a,
				    cell(v[CON_AMOUNT], b, sizeof(b)),
				    *cell(v[CON_APPROVAL], d, sizeof(d)) ? d : _("审批状态 not set"));
		break;
	case SALES_PLANS: {
		struct sales_date_range r;
		const char *p = v[PLAN_PERIOD];

		cell(v[PLAN_PHASE], a, sizeof(a));
		if (sales_parse_date_range(p, strlen(p), &r) != SALES_VALUE_OK)
			r.start = r.end = SALES_DATE_NONE;
		cell(v[PLAN_OWNER], b, sizeof(b));
		cell(v[PLAN_TASKS], d, sizeof(d));
		add_pending(c, cust, id, line, r.start,
			    "delivery phase '%s' starts%s%s%s%s%s", a,
			    *b ? _(" (负责人 ") : "", b, *b ? _(")") : "",
			    *d ? _(": ") : "", d);
		if (r.end != SALES_DATE_NONE && r.end != r.start)
			add_pending(c, cust, id, line, r.end,
				    "delivery phase '%s' ends%s%s", a,
				    *cell(v[PLAN_DELIVERABLES], e, sizeof(e)) ? _(": ") : "", e);
		break;
	}
	case SALES_ACCEPTANCE:
		cell(v[ACC_INSPECTOR], a, sizeof(a));
		cell(v[ACC_RESULT], b, sizeof(b));
		cell(v[ACC_OPEN_ISSUES], d, sizeof(d));
		if (!strcmp(d, "无"))
			d[0] = '\0';
		add_pending(c, cust, id, line, date_of(v[ACC_DATE]),
			    "acceptance%s%s: %s%s%s", *a ? _(" by ") : "", a,
			    *b ? b : _("no 验收结果"), *d ? _("; open issues: ") : "", d);
		break;
	case SALES_FOLLOWUPS: {
		struct pending *p;
		size_t used;

		cell(v[FU_BY], a, sizeof(a));
		cell(v[FU_CHANNEL], b, sizeof(b));
		cell(v[FU_FEEDBACK], d, sizeof(d));
		cell(v[FU_SATISFACTION], e, sizeof(e));
		add_pending(c, cust, id, line, date_of(v[FU_DATE]),
			    "after-sales follow-up%s%s%s%s%s: %s%s%s",
			    *a ? _(" by ") : "", a, *b ? _(" (") : "", b, *b ? _(")") : "",
			    *d ? d : _("no feedback noted"), *e ? _("; 满意度 ") : "", e);
		if (sales_parse_date_prefix(v[FU_NEXT_PLAN], strlen(v[FU_NEXT_PLAN]),
					    &dt, &used) == SALES_VALUE_OK) {
			p = add_pending(c, cust, id, line, dt, "%s",
					cell(v[FU_NEXT_PLAN], a, sizeof(a)));
			if (p) {
				p->plan = true;
				p->after = date_of(v[FU_DATE]);
			}
		}
		break;
	}
	case SALES_EXCEPTIONS:
		add_pending(c, cust, id, line, date_of(v[EXC_APPROVED]),
			    "exception approved by %s: %s of %s%s%s (%s)",
			    *cell(v[EXC_APPROVER], a, sizeof(a)) ? a : _("nobody"),
			    cell(v[EXC_TYPE], b, sizeof(b)),
			    cell(v[EXC_STAGE], d, sizeof(d)),
			    *v[EXC_DEADLINE] ? _(" to ") : "", v[EXC_DEADLINE],
			    *cell(v[EXC_REASON], e, sizeof(e)) ? e : _("no reason given"));
		break;
	case SALES_CHANGES:
		cell(v[CHG_WHAT], a, sizeof(a));
		cell(v[CHG_APPROVER], b, sizeof(b));
		cell(v[CHG_CONFIRMED], e, sizeof(e));
		{
			char cost[48], days[48], con[96];

			cell(v[CHG_COST], cost, sizeof(cost));
			cell(v[CHG_DAYS], days, sizeof(days));
			cell(v[CHG_CONTRACT], con, sizeof(con));
			add_pending(c, cust, id, line, date_of(v[CHG_APPROVED]),
				    "change request%s%s approved by %s: %s; 费用调整 %s万元, 工期调整 %s天, 客户确认 %s",
				    *con ? _(" to ") : "", con, *b ? b : _("nobody"), a,
				    *cost ? cost : "0", *days ? days : "0",
				    *e ? e : _("not given"));
		}
		break;
	default:
		break;
	}
}

static int story_hook(void *ud, const struct sales_row_event *ev,
		      struct sales_error *err)
{
	struct collect *c = ud;
	int col = customer_col(ev->sheet);
	bool want = col >= 0 && ev->customer >= 0 &&
		    wanted(c, ev->customer, ev->rec->v[col]);

	/* check judges the rows of the customers the name could be */
	if (c->check && sales_check_session_row(c->check, ev, want, err) != 0)
		return -1;
	if (want)
		row_events(c, ev->customer, ev->sheet, ev->rec);
	if (c->oom)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	return 0;
}

/* ---- the agenda ---- */

static int add_item(struct sales_story *s, enum sales_story_kind kind,
		    sales_date date, enum sales_sheet_id sheet, long line,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int add_item(struct sales_story *s, enum sales_story_kind kind,
		    sales_date date, enum sales_sheet_id sheet, long line,
		    const char *fmt, ...)
{
	struct sales_story_item *it;
	va_list ap;

	if (SALES_ALLOC_GROW(s->items, s->nitems + 1, s->items_alloc) < 0)
		return -1;
	it = &s->items[s->nitems++];
	it->kind = kind;
	it->date = date;
	it->sheet = sheet;
	it->line = line;
	va_start(ap, fmt);
	vfmt(it->text, sizeof(it->text), fmt, ap);
	va_end(ap);
	return 0;
}

#define DATE(d) sales_date_format((d), (char[11]){ 0 })

/* The text of the 下次跟进计划 row at line, collected with the events. */
static const char *plan_text(const struct collect *col, long customer,
			     long line)
{
	for (size_t i = 0; i < col->n; i++)
		if (col->rows[i].plan && col->rows[i].customer == customer &&
		    col->rows[i].ev.line == line)
			return col->rows[i].ev.text;
	return "";
}

/* The customer's open deadlines (facts.h decides them): overdue when
 * missed, else coming up. */
static int agenda_facts(struct sales_story *s, const struct sales_context *ctx,
			const struct sales_facts *f, const struct collect *col)
{
	const struct sales_model *m = s->model;
	const struct sales_customer *c = &m->customers[s->customer];
	const struct sales_followup *latest = f->latest_followup >= 0 ?
		&m->followups[f->latest_followup] : NULL;
	int rc = 0;

	for (size_t i = 0; i < f->ndeadlines; i++) {
		const struct sales_deadline *d = &f->deadlines[i];
		enum sales_story_kind kind = d->state == SALES_DL_MISSED ?
					     SALES_STORY_OVERDUE : SALES_STORY_DUE;
		const struct sales_model_exception *e = d->exception;

		if (!d->pending || (d->state != SALES_DL_COMING &&
				    d->state != SALES_DL_MISSED))
			continue;
		switch (d->kind) {
		case SALES_RULE_SCREENING:
			if (d->extended)
				rc |= add_item(s, kind, d->due, SALES_LEADS, d->line,
					       "screening: 线索等级 to be set by %s (延期 approved in exceptions.csv:%u)",
					       DATE(d->due), (unsigned)e->line);
			else
				rc |= add_item(s, kind, d->due, SALES_LEADS, d->line,
					       "screening: 线索等级 to be set by %s (登记日期 %s + %ld working days)",
					       DATE(d->due), DATE(d->start), d->n);
			break;
		case SALES_RULE_STALLED:
			if (kind == SALES_STORY_OVERDUE)
				rc |= add_item(s, kind, d->due, SALES_LEADS, d->line,
					       "A-grade lead at risk: no contact for %ld days (last %s; limit %ld)",
					       (long)(ctx->today - d->start),
					       DATE(d->start), d->n);
			else
				rc |= add_item(s, kind, d->due, SALES_LEADS, d->line,
					       "contact the customer by %s (an A-grade lead may not go %ld days without contact)",
					       DATE(d->due), d->n);
			break;
		case SALES_RULE_PROPOSAL:
			if (d->extended)
				rc |= add_item(s, kind, d->due, SALES_SOLUTIONS, 0,
					       "proposal to be submitted by %s (延期 approved in exceptions.csv:%u)",
					       DATE(d->due), (unsigned)e->line);
			else
				rc |= add_item(s, kind, d->due, SALES_SOLUTIONS, 0,
					       "proposal to be submitted by %s (last survey %s + %ld working days)",
					       DATE(d->due), DATE(d->start), d->n);
			break;
		case SALES_RULE_PAYMENT: {
			const struct sales_contract *k = &m->contracts[d->contract];
			const char *id = sales_model_str(m, k->id);
			long late = (long)(ctx->today - k->payment_due);

			if (d->phase == SALES_PAY_COLLECT)
				rc |= add_item(s, kind, d->due, SALES_CONTRACTS, k->line,
					       "payment of %s overdue %ld days: start collection (催款)",
					       id, late);
			else if (d->phase == SALES_PAY_OVERDUE)
				rc |= add_item(s, kind, d->due, SALES_CONTRACTS, k->line,
					       "payment of %s overdue %ld days (collection starts %s)",
					       id, late,
					       DATE(k->payment_due + (sales_date)d->n));
			else
				rc |= add_item(s, kind, d->due, SALES_CONTRACTS, k->line,
					       "payment of %s due %s%s", id, DATE(d->due),
					       d->phase == SALES_PAY_REMIND ?
					       _(": remind the customer") : "");
			break;
		}
		case SALES_RULE_AFTERSALES: {
			sales_date end = sales_customer_accepted(s->model, c, NULL) +
				(sales_date)sales_setting_int(ctx, "aftersales.warranty_days");

			/* a planned visit on or before it is the plan's
			 * item, which stands for it (as in `sales due`) */
			if (latest &&
			    latest->next != SALES_DATE_NONE && latest->next <= d->due)
				break;
			rc |= add_item(s, kind, d->due, SALES_FOLLOWUPS, 0,
				       "after-sales follow-up due by %s (one per %ld days during the warranty, until %s)",
				       DATE(d->due), d->n, DATE(end));
			break;
		}
		case SALES_RULE_PLAN:
			rc |= add_item(s, kind, d->due, SALES_FOLLOWUPS, d->line,
				       kind == SALES_STORY_OVERDUE ?
				       "planned follow-up not done: %s" :
				       N_("planned follow-up: %s"),
				       plan_text(col, s->customer, (long)d->line));
			break;
		case SALES_RULE_POOL:
			if (kind == SALES_STORY_OVERDUE)
				rc |= add_item(s, kind, d->due, SALES_LEADS, d->line,
					       "lead pool: no follow-up for %ld working days after %s; 'sales pool recall' returns it to 公海",
					       d->n, DATE(d->start));
			else
				rc |= add_item(s, kind, d->due, SALES_LEADS, d->line,
					       "lead pool: follow up by %s, or the lead returns to 公海 (%ld working days after %s)",
					       DATE(d->due), d->n, DATE(d->start));
			break;
		default:
			break;
		}
	}
	return rc;
}

/* The next step of the process: the first stage gate not passed.  (What
 * is broken is `sales check`'s to say: status lists its findings.) */
static int agenda_process(struct sales_story *s)
{
	const struct sales_model *m = s->model;
	const struct sales_customer *c = &m->customers[s->customer];
	struct sales_progress p;
	int rc = 0;

	sales_model_progress(m, (size_t)s->customer, &p);
#define NEXT(sheet, ...) add_item(s, SALES_STORY_NEXT, SALES_DATE_NONE, sheet, 0, __VA_ARGS__)
	if (c->status == SALES_LEAD_LOST)
		return rc | NEXT(SALES_LEADS, "nothing: the lead is lost (已丢单)");
	if (!p.survey)
		return rc | NEXT(SALES_SURVEYS, "需求分析: survey the customer's needs (02-surveys.csv)");
	if (!p.solution)
		return rc | NEXT(SALES_SOLUTIONS, "方案制定: submit a proposal (03-solutions.csv)");
	if (!p.review_passed)
		return rc | NEXT(SALES_SOLUTIONS, c->review == SALES_REVIEW_REJECTED ?
				 "方案制定: the proposal was rejected; revise it and have it reviewed again" :
				 N_("方案评审: the proposal awaits its review (评审意见 in 03-solutions.csv)"));
	if (!p.contract)
		return rc | NEXT(SALES_CONTRACTS, "谈判签约: negotiate and enter the contract (04-contracts.csv)");
	if (!p.contract_approved) {
		for (size_t i = 0; i < m->ncontracts; i++) {
			const struct sales_contract *k = &m->contracts[i];

			if (k->customer != (uint32_t)s->customer)
				continue;
			char desc[160];

			if (!k->route)
				return rc | add_item(s, SALES_STORY_NEXT, SALES_DATE_NONE,
						     SALES_CONTRACTS, k->line,
						     _("合同审批: no row of approval-rules.csv applies to contract %s; the manager adds one"),
						     sales_model_str(m, k->id));
			sales_route_describe(k->route, desc, sizeof(desc));
			for (int r = 0; r < k->route->n; r++) {
				int a = k->route->approver[r];

				if (k->approval.op[a] == SALES_OPINION_REJECT)
					return rc | add_item(s, SALES_STORY_NEXT, SALES_DATE_NONE,
							     SALES_CONTRACTS, k->line,
							     "合同审批: contract %s was rejected by the %s; revise and resubmit it",
							     sales_model_str(m, k->id),
							     sales_approver_roles[a]);
			}
			int who[SALES_NAPPROVERS];

			if (!sales_approval_waiting(&k->approval, k->route, who))
				continue;
			if (k->route->mode == SALES_ROUTE_ANY)
				return rc | add_item(s, SALES_STORY_NEXT, SALES_DATE_NONE,
						     SALES_CONTRACTS, k->line,
						     _("合同审批: contract %s waits for one opinion on %s"),
						     sales_model_str(m, k->id), desc);
			return rc | add_item(s, SALES_STORY_NEXT, SALES_DATE_NONE,
					     SALES_CONTRACTS, k->line,
					     "合同审批: contract %s waits for the %s's opinion (%s)",
					     sales_model_str(m, k->id),
					     sales_approver_roles[who[0]], desc);
		}
		return rc | NEXT(SALES_CONTRACTS, "合同审批: set 审批状态 to 已审批 (the approvers on its route agreed)");
	}
	if (!p.plan)
		return rc | NEXT(SALES_PLANS, "项目交付: plan the delivery (05-plans.csv)");
	if (!p.acceptance)
		return rc | NEXT(SALES_ACCEPTANCE, "项目验收: accept the project with the customer (06-acceptance.csv)");
	if (!p.accepted)
		return rc | NEXT(SALES_ACCEPTANCE, "项目验收: the acceptance failed (不合格); fix the issues and accept again");
	if (!p.followup)
		return rc | NEXT(SALES_FOLLOWUPS, "售后跟进: the first after-sales follow-up (07-followups.csv)");
	return rc | NEXT(SALES_FOLLOWUPS, "售后跟进: keep following up during the warranty");
#undef NEXT
}

/* ---- sorting ---- */

static int cmp_date(sales_date a, sales_date b)
{
	if (a == b)
		return 0;
	if (a == SALES_DATE_NONE)
		return 1;
	if (b == SALES_DATE_NONE)
		return -1;
	return a < b ? -1 : 1;
}

static int cmp_pending(const void *pa, const void *pb)
{
	const struct pending *a = pa, *b = pb;
	int d = cmp_date(a->ev.date, b->ev.date);

	if (d)
		return d;
	if (a->ev.sheet != b->ev.sheet)
		return a->ev.sheet < b->ev.sheet ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct sales_story_item *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return cmp_date(a->date, b->date);
}

/* ---- loading ---- */

int sales_story_load(struct sales_story *s, const struct sales_context *ctx,
		     const char *name, struct sales_error *err)
{
	return sales_story_load_checked(s, ctx, name, NULL, err);
}

int sales_story_load_checked(struct sales_story *s,
			     const struct sales_context *ctx, const char *name,
			     struct sales_check_session *check,
			     struct sales_error *err)
{
	struct collect col = { 0 };
	struct sales_rulebook *rb = NULL;
	struct sales_facts facts;
	struct sales_resolver match;
	struct sales_error why;
	bool any = false;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	sales_facts_init(&facts);
	s->customer = -1;
	s->stage = -1;
	sales_resolver_init(&match, name);
	col.res = &match;
	col.check = check;
	if (sales_model_load_prep(&s->model, ctx, SALES_MODEL_ALL, story_hook,
				  &col, check ? sales_check_session_prep : NULL,
				  check, err) < 0)
		goto out;

	/* the customers the name matches were judged as the rows passed
	 * (wanted): when there are any, the ones known not to match change
	 * nothing (they only give the nearest names when nothing does) */
	for (size_t i = 0; i < col.nverdict; i++)
		any |= col.verdict[i] > 0;
	for (size_t i = 0; i < s->model->ncustomers; i++)
		if ((!any || i >= col.nverdict || col.verdict[i] >= 0) &&
		    sales_resolver_feed(&match,
					sales_model_str(s->model, s->model->customers[i].name),
					(long)i) < 0)
			goto nomem;
	s->customer = sales_resolver_result(&match, NULL, NULL);
	if (s->customer < 0) {
		sales_resolver_error(&match, _("customer"), _("the workbook"), &why);
		snprintf(s->why, sizeof(s->why), "%s", why.message);
		rc = 1;
		goto out;
	}
	s->stage = sales_model_stage(&s->model->customers[s->customer]);

	qsort(col.rows, col.n, sizeof(*col.rows), cmp_pending);
	for (size_t i = 0; i < col.n; i++)
		if (!col.rows[i].plan && col.rows[i].customer == s->customer)
			s->nevents++;
	s->events = calloc(s->nevents ? s->nevents : 1, sizeof(*s->events));
	if (!s->events)
		goto nomem;
	s->nevents = 0;
	for (size_t i = 0; i < col.n; i++)
		if (!col.rows[i].plan && col.rows[i].customer == s->customer)
			s->events[s->nevents++] = col.rows[i].ev;

	if (sales_rulebook_open(&rb, s->model, err) < 0 ||
	    sales_facts_eval(rb, s->customer, SALES_FACTS_ALL, &facts, err) < 0)
		goto out;
	if (agenda_facts(s, ctx, &facts, &col) < 0 || agenda_process(s) < 0)
		goto nomem;
	qsort(s->items, s->nitems, sizeof(*s->items), cmp_item);
	rc = 0;
	goto out;
nomem:
	rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_resolver_release(&match);
	sales_facts_release(&facts);
	sales_rulebook_close(rb);
	free(col.rows);
	free(col.verdict);
	return rc;
}

void sales_story_release(struct sales_story *s)
{
	sales_model_free(s->model);
	free(s->events);
	free(s->items);
	memset(s, 0, sizeof(*s));
	s->customer = -1;
}
