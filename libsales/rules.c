#include "rules.h"
#include "i18n.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "text.h"

static bool starts_with(const char *s, const char *prefix)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !strncmp(s, prefix, strlen(prefix));
}

static bool blank(const char *s)
{
	size_t len = strlen(s);

	sales_trim(s, &len);
	return len == 0;
}

static const char *const opinion_no[] = { "驳回", "不同意", "不通过", "未通过",
					   "拒绝", "否决", "不合规", "不予",
					   "退回", NULL };
/* bit b of opinion_lead: a word's first byte is 0xC0 + b; bit b of
 * opinion_next: a word's second byte has low six bits b; opinion_ascii: a
 * word starts with ASCII, so no filter */
static uint64_t opinion_lead, opinion_next;
static bool opinion_ascii;
static pthread_once_t opinion_once = PTHREAD_ONCE_INIT;

static void opinion_filter_make(void)
{
	for (int i = 0; opinion_no[i]; i++) {
		unsigned char b = (unsigned char)opinion_no[i][0];

		if (b < 0xC0) {
			opinion_ascii = true;
			continue;
		}
		opinion_lead |= 1ull << (b - 0xC0);
		opinion_next |= 1ull << ((unsigned char)opinion_no[i][1] & 0x3F);
	}
}

enum sales_opinion sales_opinion_of(const char *text)
{
	const char *const *no = opinion_no;

	if (!text || blank(text))
		return SALES_OPINION_NONE;
	pthread_once(&opinion_once, opinion_filter_make);
	/* a word of no anywhere in text (as strstr finds it): one pass over
	 * text, the words tried only where a byte and the one after it could
	 * begin one (the lead and second byte of its CJK character: an
	 * approval cell is read per approver and contract, twice) */
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (!opinion_ascii &&
		    (*p < 0xC0 || !(opinion_lead >> (*p - 0xC0) & 1) ||
		     !(opinion_next >> (p[1] & 0x3F) & 1)))
			continue;
		for (int i = 0; no[i]; i++)
			if (*p == (unsigned char)no[i][0] &&
			    p[1] == (unsigned char)no[i][1] &&
			    !strncmp((const char *)p, no[i], strlen(no[i])))
				return SALES_OPINION_REJECT;
	}
	return SALES_OPINION_AGREE;
}

enum sales_review sales_review_of(const char *text, bool *unclear)
{
	if (unclear)
		*unclear = false;
	if (!text || blank(text))
		return SALES_REVIEW_PENDING;
	if (starts_with(text, "不通过") || starts_with(text, "未通过") ||
	    starts_with(text, "驳回"))
		return SALES_REVIEW_REJECTED;
	if (starts_with(text, "通过"))
		return SALES_REVIEW_PASSED;
	if (unclear)
		*unclear = true;
	return SALES_REVIEW_PENDING;
}

const char *const sales_approver_roles[SALES_NAPPROVERS] = { "销售经理", "法务",
							     "总经理", "财务" };
static const char *const approver_roles_trad[SALES_NAPPROVERS] = {
	"銷售經理", "法務", "總經理", "財務" };
const int sales_approver_columns[SALES_NAPPROVERS] = { CON_MANAGER, CON_LEGAL,
						       CON_GM, CON_FINANCE };

int sales_approver_index(const char *role)
{
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		if (!strcmp(role, sales_approver_roles[i]) ||
		    !strcmp(role, approver_roles_trad[i]))
			return i;
	return -1;
}

void sales_approval_from(struct sales_approval *a, const char *const *v)
{
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		a->op[i] = sales_opinion_of(v[sales_approver_columns[i]]);
}

const char *sales_approval_status(const struct sales_approval *a,
				  const struct sales_route *r)
{
	int agreed = 0;

	for (int i = 0; i < r->n; i++) {
		if (a->op[r->approver[i]] == SALES_OPINION_REJECT)
			return "已驳回";
		if (a->op[r->approver[i]] == SALES_OPINION_AGREE)
			agreed++;
	}
	if (agreed && (agreed == r->n || r->mode == SALES_ROUTE_ANY))
		return "已审批";
	return agreed ? "审批中" : "待审批";
}

int sales_approval_waiting(const struct sales_approval *a,
			   const struct sales_route *r,
			   int who[SALES_NAPPROVERS])
{
	int n = 0;

	if (strcmp(sales_approval_status(a, r), "待审批") &&
	    strcmp(sales_approval_status(a, r), "审批中"))
		return 0;
	for (int i = 0; i < r->n && n < SALES_NAPPROVERS; i++) {
		if (a->op[r->approver[i]] != SALES_OPINION_NONE)
			continue;
		who[n++] = r->approver[i];
		if (r->mode == SALES_ROUTE_SEQUENTIAL)
			break;
	}
	return n;
}

int sales_approval_out_of_order(const struct sales_approval *a,
				const struct sales_route *r, int *missing)
{
	if (r->mode == SALES_ROUTE_ANY) {
		int first = -1;

		for (int i = 0; i < r->n; i++) {
			if (a->op[r->approver[i]] == SALES_OPINION_NONE)
				continue;
			if (first >= 0) {
				*missing = r->approver[first];
				return r->approver[i];
			}
			first = i;
		}
		return -1;
	}
	for (int i = 0; i < r->n; i++) {
		int who = r->approver[i];

		if (a->op[who] == SALES_OPINION_NONE)
			continue;
		for (int k = 0; k < r->n; k++) {
			int before = r->approver[k];

			if (k == i)
				continue;
			/* 依次: every earlier one agreed; 会签: nobody rejected
			 * before (a rejection ends it, in any order) */
			if (r->mode == SALES_ROUTE_SEQUENTIAL && k < i &&
			    a->op[before] != SALES_OPINION_AGREE) {
				*missing = before;
				return who;
			}
		}
	}
	return -1;
}

int sales_approval_outside(const struct sales_approval *a,
			   const struct sales_route *r)
{
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		if (a->op[i] != SALES_OPINION_NONE && !sales_route_has(r, i))
			return i;
	return -1;
}

int sales_approval_may_act(const struct sales_approval *a,
			   const struct sales_route *r, int who,
			   struct sales_error *err)
{
	char desc[160];

	if (!sales_route_has(r, who))
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       _("the %s is not on this contract's approval route (%s%s%ld)"),
				       sales_approver_roles[who],
				       sales_route_describe(r, desc, sizeof(desc)),
				       r->line ? ", approval-rules.csv:" : "",
				       r->line);
	for (int k = 0; k < r->n; k++)
		if (a->op[r->approver[k]] == SALES_OPINION_REJECT)
			return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
					       _("the contract was rejected by the %s; resubmit it before approving again"),
					       sales_approver_roles[r->approver[k]]);
	if (a->op[who] != SALES_OPINION_NONE)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       _("the %s has already given an opinion"),
				       sales_approver_roles[who]);
	if (r->mode == SALES_ROUTE_ANY) {
		for (int k = 0; k < r->n; k++)
			if (a->op[r->approver[k]] == SALES_OPINION_AGREE)
				return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
						       _("the %s already approved it, which decides a 或签 route (%s)"),
						       sales_approver_roles[r->approver[k]],
						       sales_route_describe(r, desc, sizeof(desc)));
		return 0;
	}
	if (r->mode == SALES_ROUTE_SEQUENTIAL)
		for (int k = 0; k < r->n && r->approver[k] != who; k++)
			if (a->op[r->approver[k]] == SALES_OPINION_NONE)
				return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
						       _("approval is sequential (%s): the %s has not approved yet"),
						       sales_route_chain(r, desc, sizeof(desc)),
						       sales_approver_roles[r->approver[k]]);
	return 0;
}

const char *sales_gate_missing(enum sales_sheet_id id,
			       const struct sales_progress *p,
			       const char **why)
{
	const char *stage = NULL, *reason = NULL;

	switch (id) {
	case SALES_SURVEYS:
		if (!p->lead) {
			stage = "客户开发";
			reason = _("no lead in 01-leads.csv");
		}
		break;
	case SALES_SOLUTIONS:
		if (!p->survey) {
			stage = "需求分析";
			reason = _("no requirement survey in 02-surveys.csv");
		}
		break;
	case SALES_CONTRACTS:
		if (!p->review_passed) {
			stage = "方案制定";
			reason = p->solution ?
				 _("no proposal whose review passed in 03-solutions.csv") :
				 _("no proposal in 03-solutions.csv");
		}
		break;
	case SALES_PLANS:
		if (!p->contract_approved) {
			stage = "谈判签约";
			reason = p->contract ?
				 _("no approved (已审批) contract in 04-contracts.csv") :
				 _("no contract in 04-contracts.csv");
		}
		break;
	case SALES_ACCEPTANCE:
		if (!p->plan) {
			stage = "项目交付";
			reason = _("no delivery plan in 05-plans.csv");
		}
		break;
	case SALES_FOLLOWUPS:
		if (!p->accepted) {
			stage = "项目验收";
			reason = p->acceptance ?
				 _("no accepted (合格) acceptance in 06-acceptance.csv") :
				 _("no acceptance in 06-acceptance.csv");
		}
		break;
	default:
		break;
	}
	if (why)
		*why = reason;
	return stage;
}

sales_date sales_screening_deadline(const struct sales_context *ctx,
				    sales_date registered)
{
	return sales_calendar_add_workdays(ctx->calendar, registered,
		(int)sales_setting_int(ctx, "deadline.screening_days"));
}

sales_date sales_proposal_deadline(const struct sales_context *ctx,
				   sales_date last_survey)
{
	return sales_calendar_add_workdays(ctx->calendar, last_survey,
		(int)sales_setting_int(ctx, "deadline.proposal_days"));
}

bool sales_exception_valid(const struct sales_context *ctx,
			   const struct sales_exception *e, const char **why)
{
	/* a concession below the negotiation floor: 销售经理 or 总经理 */
	static const char *const approvers[] = { "销售经理", "总经理" };
	const char *w = NULL;
	bool floor = e->type && !strcmp(e->type, "底线让步");

	if (!e->reason || blank(e->reason))
		w = _("it gives no reason (原因)");
	else if (!e->approver || blank(e->approver))
		w = _("it names no approver (审批人)");
	else switch (sales_team_standing(ctx, e->approver, approvers,
					 floor ? 2 : 1, NULL)) {
	case SALES_TEAM_OK:
		break;
	case SALES_TEAM_NO_FILE:
		w = _("team.csv is missing, so its approver cannot be confirmed as a 销售经理 ('sales init --missing' writes an empty one to fill in)");
		break;
	case SALES_TEAM_UNKNOWN:
	case SALES_TEAM_OTHER_ROLE:
		w = floor ? _("its approver is neither a 销售经理 nor a 总经理 in team.csv (a 底线让步 needs one)") :
			_("its approver is not a 销售经理 in team.csv");
		break;
	}
	if (why)
		*why = w;
	return w == NULL;
}

bool sales_exception_covers(const struct sales_exception *e,
			    enum sales_sheet_id id)
{
	const struct sales_sheet_def *d = e->stage ?
		sales_sheet_by_stage(e->stage) : NULL;

	return d && d->id == id;
}
