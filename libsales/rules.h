/*
 * rules.h - the rules of the process (SPEC §4) as pure functions, shared by
 * the commands that enforce them at entry and by `sales check`: one rule,
 * one place.
 *
 * Nothing here reads files; callers pass the values (and, for deadlines,
 * the context with its calendar and settings).
 */
#ifndef SALES_RULES_H
#define SALES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "error.h"
#include "route.h"
#include "schema.h"
#include "value.h"

/* ---- opinions and reviews ---- */

enum sales_opinion {
	SALES_OPINION_NONE = 0,   /* empty: not given yet */
	SALES_OPINION_AGREE,      /* 同意, 通过, 条款合规, 批准, 无异议 … */
	SALES_OPINION_REJECT,     /* 驳回, 不同意, 不通过, 拒绝, 否决, 不合规 … */
};

/* Classifies an approver's opinion.  Any non-empty text that says no
 * rejection word counts as agreement ("条款合规"). */
enum sales_opinion sales_opinion_of(const char *text);

enum sales_review {
	SALES_REVIEW_PENDING = 0,  /* empty, or text that is neither */
	SALES_REVIEW_PASSED,       /* starts with 通过 */
	SALES_REVIEW_REJECTED,     /* starts with 不通过 or 驳回 (or 未通过) */
};

/* Classifies a 评审意见.  *unclear (may be NULL) is set when the text is
 * non-empty but neither passes nor rejects. */
enum sales_review sales_review_of(const char *text, bool *unclear);

/* ---- contract approval (rule 4): along the contract's route ----
 *
 * The route (route.h: approval-rules.csv, else the seed's 销售经理 → 法务 →
 * 总经理 in order) says who approves and how: 依次 in its order, 会签 all of
 * them in any order, 或签 any one of them.  Opinions are kept per approver
 * role (SALES_APPROVER_*), each in its own 04 column.
 */

/* "销售经理", "法务", "总经理", "财务" */
extern const char *const sales_approver_roles[SALES_NAPPROVERS];
/* The 04 column of each approver: CON_MANAGER, CON_LEGAL, CON_GM, CON_FINANCE. */
extern const int sales_approver_columns[SALES_NAPPROVERS];

/* Index of role in sales_approver_roles (traditional forms too), or -1. */
int sales_approver_index(const char *role);

struct sales_approval {
	uint8_t op[SALES_NAPPROVERS];   /* enum sales_opinion (a byte each:
					 * a contract of the model holds one) */
};

/* Reads the opinions of a contract row (values by 04 column). */
void sales_approval_from(struct sales_approval *a, const char *const *v);

/* The 审批状态 the opinions imply on route r: 已驳回 (a rejection by one of
 * its approvers), 已审批 (依次/会签: every approver agreed; 或签: one did),
 * 审批中 (some agreed), 待审批 (none yet).  Opinions of approvers outside
 * the route do not count (sales_approval_outside reports them). */
const char *sales_approval_status(const struct sales_approval *a,
				  const struct sales_route *r);

/*
 * On a 依次 route: the first opinion given before an earlier approver's:
 * returns the later approver (SALES_APPROVER_*) and sets *missing to the
 * earlier one lacking, or -1 when the order holds.  An opinion after a
 * rejection is also out of order (the chain stops at a rejection): then
 * *missing is the rejecting one.  On a 或签 route a second opinion after
 * the one that decided is out of order (*missing is the decider); 会签 has
 * no order.
 */
int sales_approval_out_of_order(const struct sales_approval *a,
				const struct sales_route *r, int *missing);

/*
 * Whose opinion the contract waits for on route r: fills who[] (each
 * SALES_APPROVER_*, in route order) and returns how many.  依次: the first
 * approver without an opinion; 会签: every one without; 或签: every one
 * without (any one of them decides).  0 when it waits for no one: a
 * rejection by an approver on the route, or decided (sales_approval_status
 * 已审批).  status (story.h), handover and due name the approvers from here.
 */
int sales_approval_waiting(const struct sales_approval *a,
			   const struct sales_route *r,
			   int who[SALES_NAPPROVERS]);

/* The first approver with an opinion who is not on route r, or -1. */
int sales_approval_outside(const struct sales_approval *a,
			   const struct sales_route *r);

/*
 * May approver `who` record an opinion now on route r?  0 when yes; -1
 * with err (SALES_ERULE) naming what must come first, that the approver is
 * not on the route, or that the contract was already decided.
 */
int sales_approval_may_act(const struct sales_approval *a,
			   const struct sales_route *r, int who,
			   struct sales_error *err);

/* ---- stage gates (rule 5, and rule 1's order) ---- */

/* What a customer has reached, per the sheets. */
struct sales_progress {
	bool lead;               /* in 01 */
	bool survey;             /* in 02 */
	bool solution;           /* in 03 */
	bool review_passed;      /* a 03 row whose review passed */
	bool contract;           /* in 04 */
	bool contract_approved;  /* a 04 row whose status is 已审批 */
	bool plan;               /* in 05 */
	bool acceptance;         /* in 06 */
	bool accepted;           /* a 06 row whose result is 合格 */
	bool followup;           /* in 07 */
};

/*
 * For a row in stage sheet id (SALES_SURVEYS .. SALES_FOLLOWUPS), what must
 * come first.  Returns NULL when the gate is open; otherwise the stage name
 * (SPEC §1) of what is missing, with *why set to a short English reason
 * ("no lead in 01-leads.csv", "no proposal whose review passed").
 */
const char *sales_gate_missing(enum sales_sheet_id id,
			       const struct sales_progress *p,
			       const char **why);

/* ---- deadlines (rules 2 and 3) in working days ---- */

/* 登记日期 + deadline.screening_days working days. */
sales_date sales_screening_deadline(const struct sales_context *ctx,
				    sales_date registered);
/* last 调研时间 + deadline.proposal_days working days. */
sales_date sales_proposal_deadline(const struct sales_context *ctx,
				   sales_date last_survey);

/* ---- exceptions (exceptions.csv) ---- */

struct sales_exception {
	const char *customer, *type, *stage, *reason, *deadline, *approver,
		*approved;
};

/*
 * Is the exception approved as SPEC §4 rule 1 requires: its approver is a
 * 销售经理 in team.csv (for a 底线让步, a 销售经理 or a 总经理) and it gives a
 * reason?  When not, *why says why.
 */
bool sales_exception_valid(const struct sales_context *ctx,
			   const struct sales_exception *e, const char **why);

/* true when e covers stage sheet id (its 环节 names that stage; 需求调研 and
 * 需求分析 both name 02). */
bool sales_exception_covers(const struct sales_exception *e,
			    enum sales_sheet_id id);

#endif
