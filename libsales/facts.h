/*
 * facts.h - the rulebook: the rules of sales-workbook(5), RULES, evaluated
 * once per customer into facts, which `sales check`, `sales due`, `sales
 * status`, `sales report funnel` and the writing commands' gates read.  No
 * command computes a rule itself: a command asks for the facts and presents
 * them.
 *
 * The facts of a customer:
 *   - each stage (01 … 07): present (it has a row), waived (no row, an
 *     approved 跳过环节 names it), missing (no row, a later stage has one)
 *     or not reached; the stage reached is the furthest present;
 *   - each stage sheet's gate (rule 5): what must be complete first;
 *   - the contract that makes it signed (rule 4), and its last contact
 *     (rule 7: the latest of 最后跟进时间 and every dated activity, which
 *     includes 登记日期);
 *   - whether 最后跟进时间 keeps up with its activity (rule 9);
 *   - each deadline: screening (rule 2), proposal (rule 3), payment
 *     reminder and collection per contract (rule 6), stalled A lead (rule
 *     7), after-sales visits (rule 8), the planned follow-up (07
 *     下次跟进计划) and the lead pool's recall (pool.h: an open lead of a
 *     grade that recalls, with no contract, returns to 公海 after its due
 *     date), with its due date and state: coming, met, missed or waived.
 *
 * Waivers are applied here and nowhere else: a rule whose definition names
 * a stage (sales_rule_defs[].stage) is waived by an approved 跳过环节 for
 * that stage, and moved by an approved 延期 to its 新期限 (a 延期 without
 * one waives it).  An exception that is not approved as rule 1 requires
 * (sales_exception_valid) never applies; it is kept as `invalid` so that a
 * message can say why it does not count.
 *
 * Customers that are 已丢单 have no open work: no pending screening,
 * proposal, stalled, after-sales or planned-follow-up deadline (their
 * unpaid contracts still have payment deadlines).  Everything is as of the
 * model's ctx->today (every command loads its context as of its --as-of).
 *
 * Cost: sales_rulebook_open indexes the model once (exceptions, contracts
 * and follow-ups by customer: O(n log n), one allocation each); an
 * evaluation is then linear in the customer's own rows and reuses the
 * facts' buffer, so a pass over every customer allocates nothing per
 * customer.  Nothing here prints.
 */
#ifndef SALES_FACTS_H
#define SALES_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"

/* ---- stages (rules 1 and 5) ---- */

enum sales_stage_state {
	SALES_STAGE_NOT_REACHED,  /* no row, and no later stage has one */
	SALES_STAGE_PRESENT,      /* a row in the stage's sheet (01: the lead) */
	SALES_STAGE_WAIVED,       /* no row: an approved 跳过环节 names it */
	SALES_STAGE_MISSING,      /* no row, a later stage has one, no waiver */
};

struct sales_stage_fact {
	enum sales_stage_state state;
	/* WAIVED: the approved 跳过环节; else NULL */
	const struct sales_model_exception *exception;
	/* a 跳过环节 for the stage that does not count, or NULL */
	const struct sales_model_exception *invalid;
};

struct sales_gate_fact {
	const char *missing;   /* stage name of what must come first; NULL: open */
	const char *why;       /* "no requirement survey in 02-surveys.csv" */
	int need;              /* the missing stage's sheet, -1 when open */
	/* the approved 跳过环节 for the missing stage that opens the gate */
	const struct sales_model_exception *exception;
	const struct sales_model_exception *invalid;
};

/* ---- deadlines (rules 2, 3, 6, 7, 8) ---- */

enum sales_rule_kind {
	SALES_RULE_SCREENING,   /* rule 2: 线索等级 set */
	SALES_RULE_PROPOSAL,    /* rule 3: 提交日期 */
	SALES_RULE_PAYMENT,     /* rule 6: one per signed, unpaid (or paid) contract */
	SALES_RULE_STALLED,     /* rule 7: contact an A lead */
	SALES_RULE_AFTERSALES,  /* rule 8: a visit per interval in the warranty */
	SALES_RULE_PLAN,        /* the latest follow-up's 下次跟进计划 */
	SALES_RULE_POOL,        /* pool.h: follow up before the lead recalls to 公海 */
	SALES_NRULES
};

struct sales_rule_def {
	const char *key;        /* "screening" (as the check of the same name) */
	const char *rule;       /* "rule 2" of sales-workbook(5) */
	int stage;              /* the stage sheet whose 跳过环节 / 延期 applies; -1 */
};

/* The deadline rules, indexed by enum sales_rule_kind. */
extern const struct sales_rule_def sales_rule_defs[SALES_NRULES];

enum sales_deadline_state {
	SALES_DL_COMING,   /* not done, the due date is today or later */
	SALES_DL_MET,      /* done on or before the due date */
	SALES_DL_MISSED,   /* done late, or not done and the due date passed */
	SALES_DL_WAIVED,   /* an approved exception leaves no deadline */
};

enum sales_payment_phase {
	SALES_PAY_LATER,     /* due later than payment.remind_days from today */
	SALES_PAY_REMIND,    /* due within payment.remind_days (or today) */
	SALES_PAY_OVERDUE,   /* past due, collection not started yet */
	SALES_PAY_COLLECT,   /* payment.collection_days or more past due: 催款 */
};

struct sales_deadline {
	enum sales_rule_kind kind;
	enum sales_deadline_state state;
	enum sales_payment_phase phase;   /* payments only */
	bool pending;          /* not done (done is NONE) */
	bool breach;           /* late by the rule alone (before any exception) */
	bool extended;         /* due is an approved 延期's 新期限 */
	sales_date start;      /* what the clock runs from */
	long n;                /* the rule's days (working days for 2 and 3) */
	sales_date rule_due;   /* the last day allowed by the rule */
	sales_date due;        /* the last day allowed: rule_due or the 新期限 */
	sales_date done;       /* when it was done; NONE while pending */
	enum sales_sheet_id sheet;   /* the row it concerns */
	uint32_t line, row;    /* physical line, Excel row; 0 when none */
	int col;               /* the schema column it concerns, -1 */
	long contract;         /* payments: index in m->contracts, else -1 */
	long followup;         /* plan, after-sales: the follow-up it runs from, -1 */
	/* the exception applied (WAIVED, or extended), else NULL */
	const struct sales_model_exception *exception;
	/* an exception that would apply but does not count, or NULL */
	const struct sales_model_exception *invalid;
};

/* ---- dates (rule 1's order, rule 9) ---- */

enum sales_timeliness {
	SALES_TIMELY,          /* 最后跟进时间 not older than the latest activity */
	SALES_TIMELY_OLDER,    /* older than the latest dated activity */
	SALES_TIMELY_BLANK,    /* empty, though a later sheet has activity */
};

/* ---- the facts of one customer ---- */

struct sales_facts {
	long customer;         /* index in m->customers; -1: contracts without one */
	int stage;             /* furthest stage present, 0 (01) .. 6 (07), -1 */
	struct sales_stage_fact stages[SALES_NSTAGES];
	/* gates[id] for every stage sheet id the customer is present in
	 * (gates[0] and absent sheets are open) */
	struct sales_gate_fact gates[SALES_NSTAGES];
	long signed_contract;  /* earliest contract 已审批 and signed by today, -1 */
	sales_date last_contact;   /* rule 7's last contact, NONE when unknown */
	enum sales_timeliness timeliness;   /* rule 9 */
	long latest_followup;  /* by 跟进时间, then file order; -1 */
	struct sales_deadline *deadlines;   /* in rule order */
	size_t ndeadlines;
	/* internal */
	size_t alloc;
};

struct sales_rulebook;

/* What to evaluate (sales_facts_eval's want). */
#define SALES_FACTS_STAGES    1u   /* stages, gates, signed, last contact */
#define SALES_FACTS_DEADLINES 2u
#define SALES_FACTS_ALL       3u

/*
 * Indexes m (loaded with at least 01..07 and exceptions.csv) for
 * evaluation, with the [pool] settings of m's context.  m must outlive the
 * rulebook.  Returns 0, or -1 with err (out of memory, or a [pool] setting
 * that is not a number: SALES_EVALUE naming sales.conf).
 */
int sales_rulebook_open(struct sales_rulebook **out, const struct sales_model *m,
			struct sales_error *err);
void sales_rulebook_close(struct sales_rulebook *rb);

void sales_facts_init(struct sales_facts *f);
void sales_facts_release(struct sales_facts *f);

/*
 * Evaluates customer c (index in the model; -1 for the contracts whose
 * 客户名称 is blank or names no customer, which get payment deadlines only)
 * into f, replacing what f held.  Pointers in f point into the model.
 * Returns 0, or -1 with err (out of memory).
 */
int sales_facts_eval(const struct sales_rulebook *rb, long c, unsigned want,
		     struct sales_facts *f, struct sales_error *err);

/*
 * The gate of stage sheet id (rule 5, with rule 1's waiver) for customer c
 * (index in m, or -1 for a customer m does not know: then exceptions are
 * matched by name).  rb may be NULL (the exceptions are then scanned).
 */
void sales_facts_gate(const struct sales_model *m, const struct sales_rulebook *rb,
		      long c, const char *name, enum sales_sheet_id id,
		      struct sales_gate_fact *g);

/*
 * The first approved exception of type covering stage sheet id for
 * customer c (index in m), else NULL with *invalid (may be NULL) the first
 * of them that does not count: sales_model_exception's answer, through
 * rb's index of the exceptions by customer (a look at the customer's own
 * rows instead of every row of exceptions.csv).  rb may be NULL (the
 * exceptions are then scanned).
 */
const struct sales_model_exception *
sales_facts_exception(const struct sales_model *m,
		      const struct sales_rulebook *rb, size_t c,
		      const char *type, enum sales_sheet_id id,
		      const struct sales_model_exception **invalid);

/*
 * A deadline of customer c (index in m) as it would stand if done on date
 * `done` (SALES_DATE_NONE: not done as of today): for a command about to
 * record it (solution add asks whether its proposal is late).  Only
 * SALES_RULE_SCREENING and SALES_RULE_PROPOSAL; returns 0 with *d, or -1
 * when the customer has no such deadline.
 */
int sales_facts_deadline_if(const struct sales_model *m, long c,
			    enum sales_rule_kind kind, sales_date done,
			    struct sales_deadline *d);

/*
 * Rule 1's order for a row of stage sheet id (02..07) of customer c (index
 * in m; -1 passes) dated d, read from column col (sales_row_date_column):
 * no row dated before an earlier stage began (01's 登记日期, or the first
 * dated row of a later earlier sheet).  Returns 0 (also when d is NONE),
 * or -1 with err, SALES_ERULE: "调研时间 2023-01-01 of 'X' is before stage
 * 客户开发 began (2023-10-08 in 01-leads.csv)".  check reports it for every
 * row, and a command about to write a row (or a row's date) asks first.
 */
int sales_facts_order(const struct sales_model *m, long c,
		      enum sales_sheet_id id, int col, sales_date d,
		      struct sales_error *err);
/* The order within a 03 row: 评审日期 not before 提交日期 (either NONE
 * passes).  0, or -1 with err (SALES_ERULE). */
int sales_facts_review_order(sales_date submitted, sales_date reviewed,
			     struct sales_error *err);

/*
 * Rule 9 for customer c (index in m, with a 01 row) if its 最后跟进时间 were
 * last (NONE: blank when blank is true, else unreadable, which the values
 * rule reports): not older than the latest dated activity on or before
 * today (model.h), and not empty when a later sheet has activity.  check
 * asks with the sheet's value, lead set with the value it would write.
 * Returns SALES_TIMELY, or the breach with err (SALES_ERULE) saying why.
 */
enum sales_timeliness sales_facts_timeliness(const struct sales_model *m,
					     long c, sales_date last, bool blank,
					     struct sales_error *err);

/*
 * Rule 10's one waiver: a customer that is not in 01-leads.csv (c its index
 * in m, or -1 when m has no row of it; name its name) may have rows in
 * later sheets only by an approved 跳过环节 of 客户开发.  Returns that
 * exception, or NULL with *invalid the first that does not count (or
 * NULL).  check turns its refs finding into a note then, and a stage
 * command accepts the name only then.
 */
const struct sales_model_exception *
sales_facts_unregistered(const struct sales_model *m, long c, const char *name,
			 const struct sales_model_exception **invalid);

/* Rule 7's last contact of customer k as of today: the latest of its
 * 最后跟进时间 (unless after today) and its activity (model.h). */
sales_date sales_last_contact(const struct sales_model *m,
			      const struct sales_customer *k, sales_date today);

/*
 * Rule 4 for a 客户状态 a command is about to write: 已签约 only with a
 * signed contract, and not another status once one is signed.  f is the
 * customer's facts (NULL: a customer with no contract).  Returns 0, or -1
 * with err (SALES_ERULE) saying why.
 */
int sales_facts_status_allowed(const struct sales_model *m,
			       const struct sales_facts *f, const char *status,
			       struct sales_error *err);

#endif
