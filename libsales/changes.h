/*
 * changes.h - 需求变更确认单 (changes.csv): a change agreed during delivery,
 * with its cost (费用调整(万元), signed: +12, -5) and schedule effect
 * (工期调整(天), a whole number of days, negative when it shortens), signed
 * off by the company and confirmed by the customer.
 *
 * A change counts (is approved) when its 审批人 is a 销售经理 or 总经理 in
 * team.csv, its 审批日期 is a date not after today, its 客户确认 is 是, and
 * its contract resolves: the 合同编号 given (a contract of that customer in
 * 04-contracts.csv), or, when it is left out, the customer's one signed
 * contract (已审批 with a 签订日期).  `sales change add` refuses a change
 * that cannot count; `sales check change` reports one in the sheet.
 *
 * What must be covered by approved changes (`check change`), from what
 * audit.csv recorded (every command's edits, and `sales import`'s):
 *   - a delivery phase (05) whose end moved later: its planned end is the
 *     old 起止时间 of the first audited change of the phase's 起止时间; the
 *     customer's slip is the largest (current end - planned end) over its
 *     phases; the approved changes of the customer must add up to at least
 *     that many days of 工期调整;
 *   - a signed contract (04) whose 合同金额 changed after signing: its
 *     signed amount is the old value of the first audited change of the
 *     amount made after signing (after the audit row that set its 签订日期;
 *     without one, dated on or after the 签订日期); the current amount must
 *     equal the signed amount plus the 费用调整 of the approved changes of
 *     that contract (to 0.01万元).
 * A phase or amount never changed through sales has no audited history and
 * is not judged (an edit made in a spreadsheet leaves no trace in
 * audit.csv).
 *
 * Nothing here prints.
 */
#ifndef SALES_CHANGES_H
#define SALES_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "error.h"
#include "model.h"
#include "value.h"

/* The roles that approve a change. */
extern const char *const sales_change_approver_roles[];
#define SALES_CHANGE_NAPPROVER_ROLES 2

/* 0 when name may approve a change (a 销售经理 or 总经理 in ctx's
 * team.csv); else -1 with err (SALES_ERULE, context.h's wording). */
int sales_change_approver_check(const struct sales_context *ctx,
				const char *name, struct sales_error *err);

/*
 * The contract (index in m->contracts) a change of customer c (index in
 * m) names: contract (trimmed) when it is not blank, which must be one of
 * c's contracts; else c's one signed contract.  -1 when it does not
 * resolve, with why (cap bytes) saying why, translated.
 */
long sales_change_contract(const struct sales_model *m, long c,
			   const char *contract, char *why, size_t cap);

/* A change row's values by changes.csv column, judged. */
struct sales_change_verdict {
	bool approved;         /* counts (see above) */
	long contract;         /* index in m->contracts, -1 */
	double cost;           /* 费用调整(万元); 0 when blank */
	long days;             /* 工期调整(天); 0 when blank */
	sales_date date;       /* 审批日期, NONE */
	char why[600];         /* why it does not count (translated), "" */
	int why_col;           /* the column it concerns */
};

/* Judges the change v (values by changes.csv column) of customer c (index
 * in m, -1 when unknown) as of m->ctx->today. */
void sales_change_judge(const struct sales_model *m, long c,
			const char *const *v, struct sales_change_verdict *out);

/* ---- what audit.csv recorded ---- */

struct sales_change_history;

/* Reads dir's audit.csv for the rows the rule needs (05 起止时间, 04
 * 合同金额 and 签订日期).  No audit.csv is an empty history.  Free with
 * sales_change_history_free. */
int sales_change_history_load(const char *dir,
			      struct sales_change_history **out,
			      struct sales_error *err);
void sales_change_history_free(struct sales_change_history *h);

/* true when the phase whose audit key is key (客户名称/项目阶段) had its
 * 起止时间 changed: *planned is the end it was first planned with. */
bool sales_change_planned_end(const struct sales_change_history *h,
			      const char *key, sales_date *planned);

/* true when contract id's 合同金额 changed after it was signed (on
 * signed_date): *amount is the amount it was signed with. */
bool sales_change_signed_amount(const struct sales_change_history *h,
				const char *id, sales_date signed_date,
				double *amount);

#endif
