/*
 * due.h - what falls due (`sales due`): the week's to-do list of a team,
 * found in the workbook model by the rules of SPEC §4.
 *
 * Each item is an open deadline of the rulebook (facts.h: the rules, their
 * waivers and exceptions live there) and is listed when its due date is on
 * or before the as-of date plus a horizon (overdue items included, with
 * negative days):
 *
 *   followup    the 下次跟进计划 of a customer's latest follow-up (07).
 *               Owner: its 跟进人.
 *   payment     a signed contract's unpaid 付款到期日 (rule 6).  By default
 *               the horizon is payment.remind_days.
 *   collection  the same, overdue by payment.collection_days or more: 催款.
 *   stalled     an A类 lead, not 已签约 or 已丢单: the last day of
 *               stalled.days without contact (rule 7).
 *   aftersales  the next after-sales visit of an accepted (合格) customer
 *               within the warranty (rule 8); not listed while the latest
 *               follow-up plans a visit on or before it (that plan is a
 *               followup item).  Owner: the latest 跟进人.
 *   screening   a lead without 线索等级 (rule 2), by its deadline or an
 *               approved 延期's 新期限; none when waived.
 *   proposal    a surveyed customer without a proposal (rule 3), likewise.
 *
 *   unreadable  a filled date cell of 01, 02, 03, 04, 06, 07 or exceptions.csv
 *               that reads as no date (model.h's sales_bad_date: a
 *               spreadsheet's ambiguous 3/5/24, a typo): the deadline it
 *               sets or meets is unknown, so it is listed, whatever the
 *               horizon, before the owner's dated items; date NONE.
 *
 * What is done, met or waived is not listed.  The owner is the customer's
 * 负责人 in 01 unless said otherwise above.  Items come grouped by owner
 * (names in byte order, no owner last), soonest first.
 */
#ifndef SALES_DUE_H
#define SALES_DUE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"
#include "value.h"

enum sales_due_kind {
	SALES_DUE_FOLLOWUP,
	SALES_DUE_PAYMENT,
	SALES_DUE_COLLECTION,
	SALES_DUE_STALLED,
	SALES_DUE_AFTERSALES,
	SALES_DUE_SCREENING,
	SALES_DUE_PROPOSAL,
	SALES_DUE_RECALL,     /* pool.h: a lead returns to 公海 unless followed up */
	SALES_DUE_UNREADABLE, /* a date cell that reads as no date */
	SALES_DUE_NKINDS
};

/* English keys ("followup", "payment", …) and Chinese labels (跟进计划,
 * 回款提醒, 催款, 停滞A类线索, 售后回访, 线索定级, 方案提交). */
extern const char *const sales_due_kind_keys[SALES_DUE_NKINDS];
extern const char *const sales_due_kind_labels[SALES_DUE_NKINDS];

/* The days of an item whose date is unreadable (it has none). */
#define SALES_DUE_NO_DAYS LONG_MIN

/* The default horizon, in days, of every kind but payments. */
#define SALES_DUE_DEFAULT_WITHIN 7

struct sales_due_query {
	sales_date as_of;
	long within;          /* the horizon in days; < 0: the defaults */
	const char *owner;    /* only this owner's items; NULL: everyone */
};

struct sales_due_item {
	enum sales_due_kind kind;
	sales_date date;      /* the day it falls due */
	long days;            /* date - as_of: negative when overdue;
			       * SALES_DUE_NO_DAYS for an unreadable date */
	uint32_t owner;       /* interned in the model; 0: no owner */
	long customer;        /* index in m->customers, or -1 */
	long contract;        /* index in m->contracts (payments), or -1 */
	long followup;        /* index in m->followups, or -1 */
	enum sales_sheet_id sheet;   /* the row it comes from */
	uint32_t line;
	sales_date start;     /* what the deadline runs from (facts.h): the
			       * last contact of a stalled lead, the last
			       * visit of an after-sales one, … */
	bool extended;        /* the date is an approved 延期's 新期限 */
	long bad;             /* UNREADABLE: index in m->bad_dates, else -1 */
};

struct sales_due_list {
	struct sales_due_item *items;
	size_t n, alloc;
};

/*
 * Finds what falls due in m (loaded with at least sheets 01, 02, 03, 04,
 * 06, 07 and exceptions) as of q->as_of, using m->ctx's settings and
 * calendar.  Returns 0 with out filled (release with
 * sales_due_list_release), or -1 with err (out of memory).
 */
int sales_due_find(const struct sales_model *m, const struct sales_due_query *q,
		   struct sales_due_list *out, struct sales_error *err);
void sales_due_list_release(struct sales_due_list *l);

#endif
