/*
 * handover.h - 离职交接: a rep's customers go to another rep, with every
 * cell that names the rep for work still to come.
 *
 * What moves (for each customer handed over, only cells that hold FROM):
 *   01 负责人        the lead itself;
 *   03 负责人        a proposal still awaiting its review (评审意见 empty);
 *   04 销售代表      a contract not paid yet (回款日期 empty): approval,
 *                    signing, resubmission and collection are still ahead;
 *   05 负责人        a delivery phase that has not ended (the end of 起止时间
 *                    is today or later, or it does not parse);
 *   07 跟进人        the latest follow-up, while its 下次跟进计划 is open
 *                    (facts.h: the plan deadline is coming or missed) -
 *                    that row's 跟进人 is who owes the next visit (`sales
 *                    due` lists it under that name).  Continuation rows
 *                    below it that inherited its 跟进人 get FROM written,
 *                    so their history does not change.
 * Everything else is history and stays: 02 调研人, finished phases, paid
 * contracts, reviewed proposals, earlier follow-ups, exceptions' 审批人.
 * audit.csv keeps every old value.  Leads in the pool (公海) have no
 * 负责人 and are not handed over; their +原负责人 is the history the
 * cooldown reads (pool.h) and stays as it is.
 *
 * Which customers: FROM's leads (负责人 FROM) that are open (not 已签约 or
 * 已丢单; with `all`, closed ones too), or only those named (resolve.h's
 * resolver over the leads), each of which must be FROM's and, without
 * `all`, open.  FROM and TO must differ, FROM must be in team.csv and TO
 * must be a 销售代表, 销售主管 or 销售经理 there (as `pool assign` requires).
 *
 * Nothing here prints or commits: the plan is applied in the caller's
 * transaction (one audited change).
 */
#ifndef SALES_HANDOVER_H
#define SALES_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "error.h"
#include "facts.h"
#include "model.h"
#include "schema.h"
#include "txn.h"

struct sales_handover_query {
	const char *from, *to;
	const char *const *names;   /* customers named; nnames 0: all of FROM's */
	size_t nnames;
	bool all;                   /* closed customers too */
};

/* One cell to write. */
struct sales_handover_cell {
	enum sales_sheet_id sheet;
	size_t row;                 /* data row in the transaction's table */
	long line;                  /* physical line, for messages */
	int col;                    /* schema column */
	bool keep;                  /* a row below that inherited FROM: FROM is written */
	size_t customer;            /* index in sales_handover.customers */
};

struct sales_handover_customer {
	long customer;              /* index in the model */
	long line;                  /* its 01 line */
};

struct sales_handover {
	char *from, *to;            /* trimmed copies */
	struct sales_handover_customer *customers;   /* in 01 order */
	size_t ncustomers, customers_alloc;
	struct sales_handover_cell *cells;           /* by sheet, then row */
	size_t ncells, cells_alloc;
};

/*
 * Decides the handover q asks for in transaction t (whose sheets it loads
 * for editing), over m (the same workbook, loaded under t's lock) and its
 * rulebook rb.  Refuses with SALES_ERULE (FROM is TO, FROM not in
 * team.csv, TO not a 销售代表, 销售主管 or 销售经理, a named customer that is
 * not FROM's or is closed without `all`) or SALES_ENAME (a name that does
 * not resolve).  An empty plan (FROM has no such customer) is not an
 * error.  Release out with sales_handover_release in every case.
 */
int sales_handover_plan(struct sales_txn *t, const struct sales_model *m,
			const struct sales_rulebook *rb,
			const struct sales_handover_query *q,
			struct sales_handover *out, struct sales_error *err);

/* Writes the plan's cells in t (TO, or FROM where keep). */
int sales_handover_apply(struct sales_txn *t, const struct sales_handover *h,
			 struct sales_error *err);

void sales_handover_release(struct sales_handover *h);

#endif
