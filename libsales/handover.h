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
 * Nothing here prints or commits: the handover is written in the
 * caller's transaction (one audited change).
 */
#ifndef SALES_HANDOVER_H
#define SALES_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "buf.h"
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

/* One cell written. */
struct sales_handover_cell {
	enum sales_sheet_id sheet;
	long line;                  /* physical line */
	int col;                    /* schema column */
	bool keep;                  /* a row below that inherited FROM: FROM is written */
	size_t customer;            /* index in sales_handover.customers */
	size_t what[2];             /* sales_handover_what's texts */
};

struct sales_handover_customer {
	long customer;              /* index in the model */
	long line;                  /* its 01 line */
	size_t first_cell, ncells;  /* its cells in sales_handover.cells */
};

struct sales_handover {
	char *from, *to;            /* trimmed copies */
	struct sales_handover_customer *customers;   /* in 01 order */
	size_t ncustomers, customers_alloc;
	/* by customer; each customer's by sheet, then line */
	struct sales_handover_cell *cells;
	size_t ncells, cells_alloc;
	struct sales_buf texts;     /* the cells' what[], NUL-ended */
};

/*
 * Makes the handover q asks for in transaction t, over m (the same
 * workbook, loaded under t's lock) and its rulebook rb: decides which
 * customers from m, then writes each sheet record by record
 * (sales_txn_each: 01, 03, 04, 05, then 07, none of them held), listing
 * in out every cell it wrote.  Nothing is committed: the caller commits t
 * or, for a dry run, ends it.  Refuses with SALES_ERULE (FROM is TO, FROM
 * not in team.csv, TO not a 销售代表, 销售主管 or 销售经理, a named
 * customer that is not FROM's or is closed without `all`) or SALES_ENAME
 * (a name that does not resolve) before it writes anything.  An empty
 * handover (FROM has no such customer) is not an error.  Release out with
 * sales_handover_release in every case.
 */
int sales_handover_write(struct sales_txn *t, const struct sales_model *m,
			 const struct sales_rulebook *rb,
			 const struct sales_handover_query *q,
			 struct sales_handover *out, struct sales_error *err);

/* The values cell c's description names, as the sheet has them (i 0 or
 * 1; "" where it names fewer): 03 方案名称; 04 合同编号; 05 项目阶段 and
 * 起止时间; 07 下次跟进计划 (a row that keeps FROM: none). */
const char *sales_handover_what(const struct sales_handover *h,
				const struct sales_handover_cell *c, int i);

void sales_handover_release(struct sales_handover *h);

#endif
