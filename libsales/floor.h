/*
 * floor.h - 谈判底线 (issue 15): the lowest price and the shortest delivery a
 * rep may concede ("避免随意让步"), one rule for `contract add`/`resubmit` and
 * for `sales check`'s `floor` check.
 *
 * The basis is the customer's passed proposals (03 评审意见 passes): their
 * 报价(万元) summed, and their shortest 实施周期 in days ("45天", "45").  The
 * customer's contracts that are not 已驳回 are judged together, so that the
 * order of rows does not matter and a follow-on order (备件, 复购) only adds
 * to the total: the customer is below the floor when
 *
 *   Σ 合同金额 < Σ 报价 × (1 − floor.max_discount)    (default 10%; 0 turns it off)
 *   or the shortest 实施周期 < floor.min_duration_days  (default unset: off)
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

struct sales_floor_basis {   /* 24 bytes: check keeps one per customer */
	double quote;          /* 万元, summed */
	long days;             /* the shortest 实施周期, -1 when none parses */
	uint32_t line;         /* the first passed proposal's line in 03 */
	unsigned n : 30;       /* passed proposals (rows of 03; 03 has fewer
				* than 2^30) */
	unsigned has : 1;      /* a passed proposal was seen */
	unsigned has_quote : 1; /* every passed proposal states one amount */
};

/* An empty basis (no passed proposal yet). */
void sales_floor_basis_init(struct sales_floor_basis *b);

/* Adds one 03 record of the customer: a passed proposal joins the basis. */
void sales_floor_feed(struct sales_floor_basis *b, const struct sales_record *rec,
		      uint32_t line);

/*
 * Are the customer's ncontracts contracts (not 已驳回) of total amount
 * (万元) below the floor?  Returns true and writes why (what is below what)
 * when they are; *min_amount (may be NULL) is the lowest total allowed, or
 * -1 when the price floor is off or unknown.
 */
bool sales_floor_below(const struct sales_floor_policy *p,
		       const struct sales_floor_basis *b, double amount,
		       size_t ncontracts, double *min_amount, char *why,
		       size_t cap);

/* The first valid 底线让步 exception of customer c (环节 谈判签约), or NULL;
 * *invalid (may be NULL) the first that does not count.  rb (may be NULL:
 * the exceptions are then scanned) is m's rulebook (facts.h), whose index
 * by customer a check of every contract needs. */
struct sales_rulebook;
const struct sales_model_exception *
sales_floor_exception(const struct sales_model *m,
		      const struct sales_rulebook *rb, size_t c,
		      const struct sales_model_exception **invalid);

/* The customer's basis, streaming dir's 03-solutions.csv. */
int sales_floor_basis_of(const char *dir, const char *customer,
			 struct sales_floor_basis *b, struct sales_error *err);

#endif
