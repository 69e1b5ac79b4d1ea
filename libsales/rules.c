#include "rules.h"
#include "i18n.h"

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

enum sales_opinion sales_opinion_of(const char *text)
{
	static const char *const no[] = { "驳回", "不同意", "不通过", "未通过",
					   "拒绝", "否决", "不合规", "不予",
					   "退回", NULL };

	if (!text || blank(text))
		return SALES_OPINION_NONE;
	for (int i = 0; no[i]; i++)
		if (strstr(text, no[i]))
			return SALES_OPINION_REJECT;
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
							     "总经理" };
const int sales_approver_columns[SALES_NAPPROVERS] = { CON_MANAGER, CON_LEGAL,
						       CON_GM };

int sales_approver_index(const char *role)
{
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		if (!strcmp(role, sales_approver_roles[i]))
			return i;
	return -1;
}

void sales_approval_from(struct sales_approval *a, const char *const *v)
{
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		a->op[i] = sales_opinion_of(v[sales_approver_columns[i]]);
}

const char *sales_approval_status(const struct sales_approval *a)
{
	int agreed = 0;

	for (int i = 0; i < SALES_NAPPROVERS; i++) {
		if (a->op[i] == SALES_OPINION_REJECT)
			return "已驳回";
		if (a->op[i] == SALES_OPINION_AGREE)
			agreed++;
	}
	return agreed == SALES_NAPPROVERS ? "已审批" : agreed ? "审批中" : "待审批";
}

int sales_approval_out_of_order(const struct sales_approval *a, int *missing)
{
	for (int i = 1; i < SALES_NAPPROVERS; i++) {
		if (a->op[i] == SALES_OPINION_NONE)
			continue;
		for (int k = 0; k < i; k++) {
			if (a->op[k] == SALES_OPINION_NONE ||
			    a->op[k] == SALES_OPINION_REJECT) {
				*missing = k;
				return i;
			}
		}
	}
	return -1;
}

int sales_approval_may_act(const struct sales_approval *a, int who,
			   struct sales_error *err)
{
	for (int k = 0; k < SALES_NAPPROVERS; k++)
		if (a->op[k] == SALES_OPINION_REJECT)
			return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
					       "the contract was rejected by the %s; resubmit it before approving again",
					       sales_approver_roles[k]);
	if (a->op[who] != SALES_OPINION_NONE)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       "the %s has already given an opinion",
				       sales_approver_roles[who]);
	for (int k = 0; k < who; k++)
		if (a->op[k] == SALES_OPINION_NONE)
			return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
					       "approval is sequential (销售经理 → 法务 → 总经理): the %s has not approved yet",
					       sales_approver_roles[k]);
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
	const char *w = NULL;

	if (!e->reason || blank(e->reason))
		w = _("it gives no reason (原因)");
	else if (!e->approver || blank(e->approver))
		w = _("it names no approver (审批人)");
	else if (ctx->team_missing)
		w = _("team.csv is missing, so its approver cannot be confirmed as a 销售经理 ('sales init --missing' writes an empty one to fill in)");
	else if (!sales_team_has_role(ctx, e->approver, "销售经理"))
		w = _("its approver is not a 销售经理 in team.csv");
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
