/*
 * entry.h - rows typed by a person: checking one cell, building a new row
 * from `--<key> VALUE` options, and the stage gate it must pass.
 *
 * Cells are judged by validate.h (sales_cell_value), the one validator
 * that `sales check` and the lead commands use too.
 *
 * Entries: a struct sales_entry is a new row of one sheet, column by
 * column, as the add commands' options give it.  Every column of the
 * schema is an option named by its English key with '_' written '-'
 * (--last-contact, --payment-due), except the columns another command
 * keeps (sales_entry_managed) and the row's own date, which is --date in
 * every sheet (sales_entry_date_column).  Errors name the option.
 *
 * Gates: sales_gate_check() decides whether a customer may enter a stage
 * sheet (rules 1 and 5): the predecessor must be there, or an approved
 * 跳过环节 exception must name the missing stage.
 *
 * Nothing here prints; the strings an entry holds are its own copies.
 */
#ifndef SALES_ENTRY_H
#define SALES_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "model.h"
#include "resolve.h"
#include "schema.h"
#include "txn.h"
#include "validate.h"
#include "value.h"

/* ---- a new row ---- */

struct sales_entry {
	const struct sales_sheet_def *def;
	char *v[SALES_MAX_COLS];   /* trimmed copies; NULL when not given */
};

void sales_entry_init(struct sales_entry *e, enum sales_sheet_id id);
void sales_entry_release(struct sales_entry *e);

/*
 * true when another command keeps column col of sheet id, so that an add
 * command takes no option for it: 03 评审意见 and 评审日期 (solution
 * review); 04 销售经理, 法务, 总经理, 审批状态 (approve), 签订日期,
 * 付款到期日 (contract sign) and 回款日期 (contract paid).
 */
bool sales_entry_managed(enum sales_sheet_id id, int col);

/*
 * The column that dates a new row of sheet id (its own date, today when not
 * given): 02 调研时间, 03 提交日期, 06 验收时间, 07 跟进时间, exceptions
 * 审批日期, changes.csv 审批日期; -1 for the other sheets.
 */
int sales_entry_date_column(enum sales_sheet_id id);

/* Writes col's option name (its key with '-' for '_', no dashes in front;
 * "date" for the sales_entry_date_column, whatever its key) into buf (cap
 * bytes) and returns buf. */
const char *sales_entry_option(const struct sales_sheet_def *def, int col,
			       char *buf, size_t cap);

/* The column whose key the option name opt spells ("last-contact" or
 * "last_contact", "date" for the sales_entry_date_column), or -1. */
int sales_entry_column(const struct sales_sheet_def *def, const char *opt);

/*
 * Sets col to value as sales_cell_value stores it (trimmed, dates as
 * YYYY-MM-DD, enumerations simplified; a blank value clears it): fails
 * with SALES_EVALUE when it does not parse and SALES_ERULE when it breaks
 * a rule, the message naming the option:
 * "option '--satisfaction': 满意度 '7' is not from 1 to 5".  -1 also on
 * ENOMEM.
 */
int sales_entry_set(struct sales_entry *e, int col, const char *value,
		    sales_date today, struct sales_error *err);

/* Value of col, "" when not given. */
const char *sales_entry_get(const struct sales_entry *e, int col);

/*
 * Fills what a new row of its sheet gets when not given: the date it is
 * entered on (02 调研时间, 03 提交日期, 06 验收时间, 07 跟进时间,
 * exceptions 审批日期) becomes today, and 04 审批状态 becomes 待审批.
 * Returns 0, or -1 on ENOMEM.
 */
int sales_entry_defaults(struct sales_entry *e, sales_date today,
			 struct sales_error *err);

/*
 * Checks the row as a whole: every required column filled (else
 * SALES_EUSAGE "missing option '--result' (验收结果)"), and a 延期
 * exception gives its 新期限.  Returns 0 or -1.
 */
int sales_entry_complete(const struct sales_entry *e, struct sales_error *err);

/* The values by column, as sales_txn_append takes them (NULL = empty);
 * valid as long as e is. */
const char *const *sales_entry_values(const struct sales_entry *e);

/* ---- the workbook a new row goes into ---- */

/*
 * Loads the model of ctx's workbook (sheets 01-07, exceptions and e's own
 * sheet) for entering e: narrowed to e's customer when its sheet names
 * one (model.h sales_model_load_one_for: every rule a new row must pass
 * is about its customer, and the other customers' rows are skipped unread,
 * most of them dropped by the reader's prefilter - all but 04's, whose
 * 合同编号 the duplicate search compares across customers),
 * and refuses a row whose key is taken: 04 合同编号, 03 客户名称
 * + 方案名称, 05 客户名称 + 项目阶段 (SALES_EEXIST naming the file and line
 * of the row holding it).  Other sheets take any number of rows per
 * customer.  A missing sheet file is SALES_ENOTFOUND.  Returns 0 and *m
 * (free with sales_model_free) or -1.
 */
int sales_entry_load(struct sales_model **m, const struct sales_context *ctx,
		     const struct sales_entry *e, struct sales_error *err);

/*
 * After e was appended in t: moves the customer's lead (sales_lead_touch)
 * to the date the row counts at (sales_row_date), unless that date lies
 * after today (a plan looks ahead).  Exceptions touch no lead.
 */
int sales_entry_touch_lead(struct sales_txn *t, const struct sales_entry *e,
			   sales_date today, struct sales_error *err);

/* true when a and b are the same key once surrounding blanks are trimmed. */
bool sales_key_equal(const char *a, const char *b);

/*
 * The first data row of st whose column col holds value (both trimmed), or
 * -1.  When there is none, *closest (may be NULL) is set to the nearest
 * value in that column within a small edit distance ("did you mean"), or
 * NULL; it points into st.
 */
long sales_entry_find_row(const struct sales_sheet_table *st, int col,
			  const char *value, const char **closest);

/*
 * The approval route (route.h) of the contract whose 04 values are kv (by
 * column): its condition sees the contract and the customer's first 01 row
 * (as t holds 01, else read from the file without loading it: only the
 * rows holding the name are read).  NULL with err (SALES_ERULE) when no
 * row of approval-rules.csv applies.
 */
struct sales_context;
struct sales_route;
const struct sales_route *sales_entry_contract_route(struct sales_txn *t,
						     const struct sales_context *c,
						     const char *const *kv,
						     struct sales_error *err);

/*
 * One row of a sheet that a command edits in place (approve, contract
 * sign, paid, resubmit), found by its key, without holding the sheet where
 * it can: open finds the first row whose column keycol holds key (trimmed,
 * sales_key_equal) by reading the sheet - only the records holding the key
 * are parsed (the reader's prefilter) - and copies its values; set queues
 * a change, and write makes them through sales_txn_stream (the sheet
 * rewritten record by record).  Where the stream cannot - the header
 * lacks a column to set, the sheet fills down, or t holds it already -
 * the sheet is loaded into t and the changes are sales_txn_set's: the
 * same bytes and audit rows either way.
 */
struct sales_row_edit {
	struct sales_txn *t;
	enum sales_sheet_id id;
	int keycol;
	char *key;
	long line;                          /* its physical line */
	/* loaded (st set): the row's index in it; else its copied values */
	struct sales_sheet_table *st;
	long row;
	struct sales_buf vals;
	const char *v[SALES_MAX_COLS];
	/* streamed: the queued changes, in the order they were made */
	struct sales_row_change { int col; char *value; } *changes;
	size_t nchanges, changes_alloc;
};
/* 1 with re open on the row; 0 when the sheet has no such row: then
 * re->st holds the sheet, loaded, for the caller's message; -1 with err.
 * Release re in every case. */
int sales_row_edit_open(struct sales_row_edit *re, struct sales_txn *t,
			enum sales_sheet_id id, int keycol, const char *key,
			struct sales_error *err);
/* The same for the row at physical line line (0: the first) of those
 * whose column keycol holds key. */
int sales_row_edit_open_at(struct sales_row_edit *re, struct sales_txn *t,
			   enum sales_sheet_id id, int keycol, const char *key,
			   long line, struct sales_error *err);
/* Column col's value, with the changes made so far. */
const char *sales_row_edit_get(const struct sales_row_edit *re, int col);
/* The row's physical line. */
long sales_row_edit_line(const struct sales_row_edit *re);
/* Every column's (v[SALES_MAX_COLS]), as sales_row_edit_get. */
void sales_row_edit_values(const struct sales_row_edit *re, const char **v);
/* Sets column col (as sales_txn_set: an audit row when it changes). */
int sales_row_edit_set(struct sales_row_edit *re, int col, const char *value,
		       struct sales_error *err);
/* Writes the changes into t (before sales_txn_commit; once). */
int sales_row_edit_write(struct sales_row_edit *re, struct sales_error *err);
void sales_row_edit_release(struct sales_row_edit *re);

/* ---- the proposal a review is of ---- */

struct sales_proposal {
	struct sales_buf customer;   /* its 客户名称 as 03 writes it */
	enum sales_match how;        /* how the name given matched it */
	size_t count;                /* its proposals (named name, if given) */
	long line;                   /* the first one's physical line */
	struct sales_buf names;      /* the 方案名称 of each of its proposals,
				      * nnames of them, NUL after each */
	size_t nnames;
};

/*
 * The proposal of 03-solutions.csv that `solution review customer [name]`
 * is about, read without holding the sheet: the customer as the one
 * resolver reads names (resolve.h) among the customers that have a
 * proposal, then its proposals - those named name (sales_key_equal) when
 * name is not NULL.  0 with p filled (count 1: the one, at p->line), or -1
 * with err (SALES_ENAME when the customer does not resolve).  Release p in
 * every case.
 */
int sales_entry_find_proposal(struct sales_txn *t, const char *customer,
			      const char *name, struct sales_proposal *p,
			      struct sales_error *err);
void sales_proposal_release(struct sales_proposal *p);

/* ---- opinions as they are written ---- */

/*
 * The 评审意见 a proposal review writes: "通过" or "不通过", then "," and
 * the opinion when one is given (the seed's "通过,需补充案例"); an opinion
 * that already starts with the verdict is written as it is.  Fails with
 * SALES_EUSAGE when the opinion reads as the other verdict.
 */
int sales_review_text(bool pass, const char *opinion, struct sales_buf *out,
		      struct sales_error *err);

/*
 * The opinion an approver writes into 04: the opinion given, else 同意 (or
 * 驳回 when rejecting); a rejection whose text names no rejection word gets
 * "驳回," in front.  Fails with SALES_EUSAGE when an agreement's text reads
 * as a rejection (sales_opinion_of).
 */
int sales_opinion_text(bool reject, const char *opinion, struct sales_buf *out,
		       struct sales_error *err);

/* ---- the stage gate (rules 1 and 5) ---- */

struct sales_gate {
	const char *missing;   /* stage name of what is missing; NULL: open */
	const char *why;       /* "no requirement survey in 02-surveys.csv" */
	/* the approved 跳过环节 exception that lets the row through, or NULL */
	const struct sales_model_exception *exception;
	/* an exception for the missing stage that does not count, or NULL */
	const struct sales_model_exception *invalid;
};

/*
 * May customer (its index in m, or -1 when m does not know it; name is
 * for the message) enter stage sheet id?  Returns 0 when the gate is open,
 * or when an approved 跳过环节 exception names the missing stage (then
 * g->exception is set: say so).  Otherwise -1 with SALES_ERULE naming the
 * missing stage; g->invalid is then an exception that would have let it
 * through but is not approved as rule 1 requires.
 */
int sales_gate_check(const struct sales_model *m, long customer,
		     enum sales_sheet_id id, const char *name,
		     struct sales_gate *g, struct sales_error *err);

/*
 * Rule 3 for a proposal of customer c (index in m) submitted on date: true
 * when it comes later than its deadline (the last 调研时间 + the setting
 * deadline.proposal_days working days) and no approved 延期 exception for
 * 方案制定 covers it (one without a 新期限, or with a 新期限 on or after
 * date).  *deadline is set to the deadline (SALES_DATE_NONE when the
 * customer has no dated survey: then it is not late).
 */
bool sales_proposal_late(const struct sales_model *m, long c, sales_date date,
			 sales_date *deadline);

/* ---- the lead a stage row moves (rules 4 and 9) ---- */

/*
 * In transaction t, for the lead named customer in 01-leads.csv: moves
 * 最后跟进时间 up to date when date is later (or the cell is blank or does
 * not parse), and sets 客户状态 to status when status is not NULL, else
 * moves it from 新线索 (or blank) to 跟进中.  01 is streamed (txn.h
 * sales_txn_stream: never held) unless t holds it already or its header
 * lacks one of the two columns (then loaded, which adds it).  A customer
 * without a lead row is left alone (returns 0).  Once per transaction.
 * Returns 0 or -1 with err.
 */
int sales_lead_touch(struct sales_txn *t, const char *customer, sales_date date,
		     const char *status, struct sales_error *err);

#endif
