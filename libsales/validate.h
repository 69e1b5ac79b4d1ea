/*
 * validate.h - the one judgment of a cell: does a value parse as its
 * column's type (schema.h), and does it break a rule that one cell can
 * break.  `lead add|set|import`, every stage command (entry.h), the
 * exception and config writers and `sales check`'s values rule all ask
 * here, so one bad value gets one message and one verdict everywhere.
 *
 * Verdicts and exit statuses (README "Exit status"):
 *   SALES_CELL_INVALID - the value does not parse as the column's type
 *                        (a date that is no date, a phone that is no
 *                        phone): SALES_EVALUE, exit 2;
 *   SALES_CELL_RULE    - it parses but a rule says no (a date of something
 *                        done that lies after today, 满意度 outside 1..5,
 *                        线索评分 outside 0..100, 序号 below 1):
 *                        SALES_ERULE, exit 1.
 *
 * Messages name the column and quote the value, then say what is wrong:
 * "联系方式 '1234' is not a phone number (expected …)".  Callers put the
 * place in front: "option '--phone': …", "01-leads.csv:3:G3: …".
 *
 * Phones (SPEC §2 联系方式, a B2B team in mainland China): a mobile is 1,
 * then 3-9, then 9 digits; a landline is 0, an area code (010 and 02x of
 * three digits with the 0, all others of four) and a 7-8 digit number; a
 * service number is 400 or 800 and 7 digits; +86 / 0086 in front and an
 * extension after (转 123, ext 123, -123) are allowed.  Anything else,
 * a masked number (138****5678) and Excel's 1.38E+10 are refused.
 *
 * Nothing here prints, allocates beyond the caller's buffers, or keeps
 * state.
 */
#ifndef SALES_VALIDATE_H
#define SALES_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "context.h"
#include "error.h"
#include "schema.h"
#include "value.h"

enum sales_cell_status {
	SALES_CELL_OK = 0,   /* valid, or blank */
	SALES_CELL_INVALID,  /* does not parse as the column's type */
	SALES_CELL_RULE,     /* parses, but breaks a rule of SPEC §4 */
};

/*
 * Judges value (surrounding blanks ignored, sales_trim) as column col of
 * sheet id.  A blank value is OK: whether a column must be filled is the
 * caller's business (SALES_COLF_REQUIRED).  today is for the future-date
 * rule (rule 9, sales_column_is_event_date); SALES_DATE_NONE skips it.
 * row, when not NULL, holds the row's other values by schema column: a
 * 08-kpi.csv 目标值 or 实际值 is read in the unit of the row's 指标名称
 * (15% for 线索转化率, 150万 for 平均客单价, 45天 for 销售周期), as
 * `sales report` reads it; without row any of those forms is accepted.
 *
 * A "not known yet" word (待确认, 待定 …) is accepted where the value.h
 * parser allows one (budgets, company sizes, periods, contract terms, a
 * next follow-up plan), except in a required column or in the date of
 * something that happened.  On a problem why (may be NULL) is set to the
 * message.
 */
enum sales_cell_status sales_cell_check(enum sales_sheet_id id, int col,
					const char *value,
					const char *const *row,
					sales_date today, struct sales_buf *why);

/*
 * What a cell held, as sales_cell_parse found it: the value.h parse of
 * the column's type, so that a caller that also needs the value (the
 * normalized export) does not parse the cell a second time.
 */
struct sales_cell_parsed {
	const char *s;              /* the value trimmed: s[0 .. len) */
	size_t len;
	/* true when the member of the column's type below holds the value
	 * (vs OK) or says it is not known yet (vs UNKNOWN); false for a blank,
	 * a text column, or a column this parse did not read */
	bool parsed;
	enum sales_value_status vs;
	sales_date date;                 /* DATE, DATE_PREFIX; else NONE */
	size_t used;                     /* DATE_PREFIX: bytes of s the date took */
	struct sales_date_range range;   /* DATE_RANGE, MONTH */
	struct sales_amount amount;      /* AMOUNT (lo == hi), AMOUNT_RANGE */
	/* PERCENT as a fraction; 08-kpi.csv 目标值 and 实际值 in the unit of
	 * the row's 指标名称 (sales_kpi_parse_target: 150万 is 150);
	 * AMOUNT_DELTA the signed amount in 万元 */
	double number;
	struct sales_size size;          /* SIZE */
	char grade;                      /* GRADE: 'A', 'B' or 'C' */
	int enum_index;                  /* ENUM: index into the column's values */
	long num;                        /* INTEGER */
	int year, quarter;               /* QUARTER */
	unsigned phone;                  /* PHONE: the parser's flags */
	char digits[SALES_PHONE_DIGITS_MAX]; /* PHONE: its digits */
};

/*
 * sales_cell_check of a value already trimmed as sales_trim trims it (s of
 * len bytes, s[0 .. len)): the same verdict and why,
 * without the caller's value measured and trimmed again.
 */
enum sales_cell_status sales_cell_check_trimmed(enum sales_sheet_id id,
						int col, const char *s,
						size_t len,
						const char *const *row,
						sales_date today,
						struct sales_buf *why);

/*
 * true when sales_cell_check passes every value of column col of sheet id
 * (a text or timestamp column that no rule of its sheet reads): a caller
 * judging many rows may skip the call for such a column.
 */
bool sales_cell_any_text(enum sales_sheet_id id, int col);

/*
 * true when the verdict on a cell of column col of sheet id depends on
 * other cells of its row (targets.csv; 08's 目标值 and 实际值, read in the
 * unit of the row's 指标名称); false when sales_cell_parse's verdict, why
 * and parse are a function of the value (and today) alone.
 */
bool sales_cell_reads_row(enum sales_sheet_id id, int col);

/*
 * sales_cell_check_trimmed of a date column (SALES_COL_DATE) whose value
 * sales_parse_date has read already, to vs and d: the same verdict and
 * why without a second parse.  Any other column is judged as by
 * sales_cell_check_trimmed without row.
 */
enum sales_cell_status sales_cell_check_date(enum sales_sheet_id id, int col,
					     const char *s, size_t len,
					     enum sales_value_status vs,
					     sales_date d, sales_date today,
					     struct sales_buf *why);

/*
 * sales_cell_check, also filling *p (any state before) with what the
 * value parsed to.  The verdict and why are sales_cell_check's.
 */
enum sales_cell_status sales_cell_parse(enum sales_sheet_id id, int col,
					const char *value,
					const char *const *row,
					sales_date today,
					struct sales_cell_parsed *p,
					struct sales_buf *why);

/*
 * sales_cell_check, then on OK appends to out the text to store: a date
 * of 01-leads.csv as YYYY-MM-DD (the form lead moves write; other sheets
 * keep a date as typed, the seed's 2023.12.20), a grade as A类/B类/C类, an enumerated value in its
 * simplified spelling (跟進中 becomes 跟进中), a whole number without
 * separators, anything else trimmed.  A blank value appends nothing.
 * Returns the verdict (SALES_CELL_INVALID also when out cannot grow).
 */
enum sales_cell_status sales_cell_value(enum sales_sheet_id id, int col,
					const char *value, sales_date today,
					struct sales_buf *out,
					struct sales_buf *why);

/*
 * Fills err from a verdict that is not OK: SALES_EVALUE for INVALID,
 * SALES_ERULE for RULE, with "<where>: <why>" as the message (where may
 * be NULL or "" for the message alone).  Returns -1.
 */
int sales_cell_error(enum sales_cell_status st, const char *where,
		     const struct sales_buf *why, struct sales_error *err);

/*
 * true when column col of sheet id records when something happened, so
 * that it may not lie after today (rule 9): 01 最后跟进时间 and 登记日期,
 * 02 调研时间, 03 提交日期 and 评审日期, 04 签订日期 and 回款日期,
 * 06 验收时间, 07 跟进时间, exceptions 审批日期.  Plans, contract terms,
 * 付款到期日, 下次跟进计划 and 新期限 look ahead and may.
 */
bool sales_column_is_event_date(enum sales_sheet_id id, int col);

/*
 * RULE when column col of sheet id names a team member (SALES_COLF_TEAM:
 * 负责人, 调研人, 销售代表, 跟进人, 审批人) and value is not a name in
 * ctx's team.csv; OK otherwise, and always when team.csv has no rows (a
 * team that keeps no roster).  why as for sales_cell_check:
 * "调研人 '王五' is not in team.csv".
 */
enum sales_cell_status sales_cell_team_check(const struct sales_context *ctx,
					     enum sales_sheet_id id, int col,
					     const char *value,
					     struct sales_buf *why);

/*
 * true when value is plainly what a spreadsheet left of something else,
 * in a column of any type: a long digit string in scientific notation
 * (1.10101199003071E+017: its digits are gone).  why (may be NULL) says
 * what happened and how to fix it.  A hint, not a verdict: check reports
 * it as a warning (a phone column's own verdict already refuses it).
 */
bool sales_cell_damaged(const char *value, struct sales_buf *why);
/* The same for the n bytes at value (as read, not trimmed). */
bool sales_cell_damaged_n(const char *value, size_t n, struct sales_buf *why);
/* false when sales_cell_damaged_n(value, n) is false on the first byte
 * alone (neither a blank nor a digit 1-9: most cells), without a call. */
static inline bool sales_cell_may_be_damaged(const char *value, size_t n)
{
	return n && ((value[0] >= '1' && value[0] <= '9') || value[0] == ' ' ||
		     value[0] == '\t');
}

/* true when the phone parser's flags (value.h) are a number this toolkit
 * accepts: a whole mobile, landline or 400/800 number, not masked, not
 * mangled by Excel. */
bool sales_phone_acceptable(unsigned flags);

#endif
