/*
 * floor.h - 谈判底线 (issue 15): the lowest price and the shortest delivery a
 * rep may concede ("避免随意让步"), one rule for `contract add`/`resubmit` and
 * for `sales check`'s `floor` check.
 *
 * The basis is the passed proposal the contract is signed on: a customer's
 * contracts (04, file order) are paired with its passed proposals (03 评审意见
 * passes, file order), the first contract with the first passed proposal and
 * so on; a contract beyond the passed proposals (a follow-on order such as
 * 备件) has no floor.  The basis gives 报价(万元) and 实施周期 in days ("45天",
 * "45").  A contract is below the floor when
 *
 *   合同金额 < 报价 × (1 − floor.max_discount)     (default 10%; 0 turns it off)
 *   or the basis's 实施周期 < floor.min_duration_days   (default unset: off)
 *
 * unless exceptions.csv holds a valid 底线让步 row for the customer, 环节
 * 谈判签约 (a reason, and an approver who is a 销售经理 or 总经理 in team.csv:
 * rules.h's sales_exception_valid).  A customer with no passed proposal has
 * no floor (rule 5, `gates`, is what refuses the contract then).
 *
 * Nothing here prints.
 */
#ifndef SALES_FLOOR_H
#define SALES_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "error.h"
#include "model.h"
#include "schema.h"

struct sales_floor_policy {
	double max_discount;   /* a fraction, 0 when off */
	long min_days;         /* -1 when unset */
	bool active;           /* either is set */
};

/* Reads floor.max_discount ("10%", "0.1" or "10" all mean 10%) and
 * floor.min_duration_days.  Fails with SALES_EVALUE naming the setting when
 * one does not parse. */
int sales_floor_policy_get(const struct sales_context *ctx,
			   struct sales_floor_policy *p, struct sales_error *err);

struct sales_floor_basis {
	bool has;              /* a passed proposal was seen */
	bool has_quote;
	double quote;          /* 万元 */
	long days;             /* 实施周期, -1 when it does not parse */
	uint32_t line;         /* its line in 03-solutions.csv */
};

/* Reads one 03 record as a basis: returns false (b untouched) unless its
 * review passed. */
bool sales_floor_read(struct sales_floor_basis *b, const struct sales_record *rec,
		      uint32_t line);

/*
 * Is a contract of amount (万元) below the floor?  Returns true and writes
 * why (what is below what) when it is; *min_amount (may be NULL) is the
 * lowest amount allowed, or -1 when the price floor is off or unknown.
 */
bool sales_floor_below(const struct sales_floor_policy *p,
		       const struct sales_floor_basis *b, double amount,
		       double *min_amount, char *why, size_t cap);

/* The first valid 底线让步 exception of customer c (环节 谈判签约), or NULL;
 * *invalid (may be NULL) the first that does not count. */
const struct sales_model_exception *
sales_floor_exception(const struct sales_model *m, size_t c,
		      const struct sales_model_exception **invalid);

/* The basis of the customer's contract number nth (0 the first in 04),
 * streaming dir's 03-solutions.csv: its nth passed proposal (b->has false
 * when there is none). */
int sales_floor_basis_of(const char *dir, const char *customer, size_t nth,
			 struct sales_floor_basis *b, struct sales_error *err);

#endif
