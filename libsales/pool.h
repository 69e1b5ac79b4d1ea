/*
 * pool.h - the lead pool (公海): leads nobody followed up go back to the
 * pool, and reps claim them from it, under the team's rules in sales.conf:
 *
 *	[pool]
 *		recall_days_A = 10   ; an A lead returns after 10 working days
 *		recall_days_B = 15   ;   without follow-up (unset: never)
 *		recall_days_C = 20
 *		cooldown_days = 10   ; working days before its former owner may
 *		                     ;   claim it back (default 10)
 *		max_claims_per_week = 5   ; per rep, Monday-Sunday (unset: no limit)
 *		max_held = 50        ; open leads one rep may hold (unset: no limit)
 *		warn_days = 3        ; due and check warn N working days ahead
 *
 * When a lead recalls is a rule like the others: facts.h evaluates it
 * (SALES_RULE_POOL) from the lead's last contact (rule 7's: 最后跟进时间
 * and every dated activity) and its grade; `sales pool recall`, `check`,
 * `due` and `status` read that one evaluation.  A lead is never recalled
 * when it is 已签约 or 已丢单, already 公海, has no 负责人, or has any row
 * in 04-contracts.csv.  Working days follow holidays.csv (休 and 班).
 *
 * The recall due date is last contact + recall_days working days: the
 * owner may follow up on that day, and the lead recalls on any day after
 * it.  A recalled lead's 客户状态 becomes 公海, its 负责人 is cleared and the
 * former owner is kept in +原负责人.  Claims and assignments (负责人 set,
 * 客户状态 back to 跟进中) are counted from audit.csv, where every recall
 * and claim is written: the recall date starts the cooldown, claims by a
 * rep in the week count against max_claims_per_week.
 */
#ifndef SALES_POOL_H
#define SALES_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "error.h"
#include "value.h"

struct sales_pool_rules {
	long recall_days[3];      /* A, B, C: working days; -1 never */
	long cooldown_days;
	long max_claims_per_week; /* -1: no limit */
	long max_held;            /* -1: no limit */
	long warn_days;
};

/*
 * Reads the [pool] settings of ctx.  A value that is not a whole number
 * >= 0 (>= 1 for the limits) is an error (SALES_EVALUE) naming sales.conf
 * and the key.
 */
int sales_pool_rules_load(const struct sales_context *ctx,
			  struct sales_pool_rules *out, struct sales_error *err);

/* true when any grade recalls. */
bool sales_pool_enabled(const struct sales_pool_rules *r);

/* The recall due date of a lead of grade ('A' 'B' 'C') last contacted on
 * last: last + recall_days working days; NONE when that grade never
 * recalls or last is unknown. */
sales_date sales_pool_recall_due(const struct sales_context *ctx,
				 const struct sales_pool_rules *r, char grade,
				 sales_date last);

/* What audit.csv says about the pool: when each lead was last recalled,
 * and every claim or assignment (who, when). */
struct sales_pool_history;

int sales_pool_history_load(const char *dir, struct sales_pool_history **out,
			    struct sales_error *err);
void sales_pool_history_free(struct sales_pool_history *h);

/* The date customer was last recalled to the pool, or NONE. */
sales_date sales_pool_recalled_on(const struct sales_pool_history *h,
				  const char *customer);

/* Claims and assignments to rep in the week (Monday-Sunday) of day. */
long sales_pool_claims_in_week(const struct sales_pool_history *h,
			       const char *rep, sales_date day);

/* The commands' audit words: a recall is written by "pool recall", a claim
 * by "pool claim", an assignment by "pool assign". */
#define SALES_POOL_RECALL_CMD "pool recall"
#define SALES_POOL_CLAIM_CMD "pool claim"
#define SALES_POOL_ASSIGN_CMD "pool assign"

/* Open leads rep holds in m: 负责人 rep, 客户状态 neither 已签约, 已丢单 nor
 * 公海. */
struct sales_model;
long sales_pool_held(const struct sales_model *m, const char *rep);

/*
 * May rep take the lead (customer, former owner former) from the pool
 * today?  held is how many open leads rep holds now.  0 when yes; -1 with
 * err (SALES_ERULE) saying which rule refuses and until when: the former
 * owner's cooldown (counted from the recall), the weekly claim limit, the
 * limit of leads held.
 */
int sales_pool_may_take(const struct sales_context *ctx,
			const struct sales_pool_rules *r,
			const struct sales_pool_history *h,
			const char *customer, const char *former,
			const char *rep, long held, struct sales_error *err);

#endif
