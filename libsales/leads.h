/*
 * leads.h - the rules for rows of 01-leads.csv that `sales lead add`,
 * `lead import` and `lead set` share: checking and normalising the values a
 * person gives, the defaults of a new lead, duplicate detection, the next
 * 序号 (finding a lead by name is resolve.h's).
 *
 * Values
 * ------
 * sales_lead_value() checks one value for one 01 column with the one cell
 * validator (validate.h: sales_cell_value) and gives the text to store:
 * dates as YYYY-MM-DD, grades as A类/B类/C类, 客户状态 simplified,
 * everything else with surrounding blanks removed.  A date may not lie
 * after today (SPEC §4 rule 9); 负责人 must be in team.csv when team.csv
 * has rows (SALES_ERULE).
 *
 * Duplicates
 * ----------
 * Two leads are the same customer when their sales_name_key()s are equal
 * (有限公司 vs 有限责任公司, spaces, brackets, full-width forms), or when
 * their phones have the same digits (138-1234-5678 and 13812345678).  Phones
 * that are masked (138****5678), mangled by Excel (1.38E+10) or shorter than
 * 7 digits are not compared.  A sales_dedup holds the candidates (the one
 * lead being added, or every row of an import) in a hash table;
 * sales_leads_scan() streams 01 once and reports each existing row that
 * matches a candidate, so memory grows with the candidates, not the sheet.
 *
 * Nothing here prints; the caller holds the workbook lock while it scans
 * and appends, so the 序号 it computes is still the next one when it
 * writes.
 */
#ifndef SALES_LEADS_H
#define SALES_LEADS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "context.h"
#include "error.h"
#include "schema.h"
#include "value.h"

/* ---- values ---- */

/*
 * Checks value (a person's text) for 01 column col and appends the text to
 * store to out (no NUL added beyond sales_buf's own).  A blank value is
 * fine for every column but 客户名称 and appends nothing.  Returns 0, or -1
 * with err (SALES_EVALUE when it does not parse, SALES_ERULE when a rule
 * says no; the message names no location: the caller adds the option or
 * the cell).  ctx may be NULL: then dates are not compared
 * with today and 负责人 is not checked.
 */
int sales_lead_value(const struct sales_context *ctx, int col,
		     const char *value, struct sales_buf *out,
		     struct sales_error *err);

/*
 * Fills the blanks of a new lead's values v (pointers by 01 column; NULL
 * or "" is blank): 登记日期 = today (written into today_buf, 11 bytes),
 * 客户状态 = 新线索, 最后跟进时间 = 登记日期.
 */
void sales_lead_defaults(const struct sales_context *ctx, const char **v,
			 char today_buf[11]);

/*
 * Checks a new lead's values across columns, after sales_lead_defaults():
 * 最后跟进时间 not before 登记日期.  Returns 0, or -1 with err (no
 * location) and *col set to the column to blame.
 */
int sales_lead_check_row(const char *const *v, int *col,
			 struct sales_error *err);

/* ---- duplicates ---- */

/* What a lead is compared by.  name is "" and phone "" when not usable. */
struct sales_lead_keys {
	char name[512];
	char phone[SALES_PHONE_DIGITS_MAX];
};

void sales_lead_keys(const char *customer, const char *phone,
		     struct sales_lead_keys *k);

struct sales_dedup;

/* Returns an empty set of candidates, or NULL on ENOMEM. */
struct sales_dedup *sales_dedup_new(void);
void sales_dedup_free(struct sales_dedup *d);

/*
 * Adds candidate id with customer and phone.  When an earlier candidate is
 * the same customer, returns that one's id and sets *col to LEAD_CUSTOMER
 * or LEAD_PHONE (the name is tried first); the new one is still added, so
 * later candidates are compared with it too.  Returns -1 when it is new,
 * -2 on ENOMEM.
 */
long sales_dedup_add(struct sales_dedup *d, const char *customer,
		     const char *phone, size_t id, int *col);

/* The first candidate that is the same customer as (customer, phone), or
 * -1; *col as for sales_dedup_add. */
long sales_dedup_find(const struct sales_dedup *d, const char *customer,
		      const char *phone, int *col);

/* An existing 01 row that a candidate duplicates. */
struct sales_lead_dup {
	size_t candidate;        /* the id given to sales_dedup_add */
	int col;                 /* LEAD_CUSTOMER or LEAD_PHONE */
	const char *file;        /* "01-leads.csv" */
	long line;               /* physical line of the existing row */
	char cell[16];           /* its cell in that column, "B3" */
	const char *customer;    /* the existing row's 客户名称 */
	const char *value;       /* the existing value that matched */
};

/* Called for each duplicate; valid only during the call.  Return non-zero
 * to stop the scan. */
typedef int (*sales_lead_dup_fn)(void *ud, const struct sales_lead_dup *dup);

struct sales_lead_scan {
	long max_no;       /* the largest 序号 in 01, 0 when none */
	size_t nrows;      /* data rows in 01 */
};

/*
 * Streams 01-leads.csv in dir once: the largest 序号 and, when d is not
 * NULL, each existing row that duplicates a candidate (fn is called; it
 * may be NULL).  Returns 0, or -1 with err when the sheet cannot be read.
 */
int sales_leads_scan(const char *dir, const struct sales_dedup *d,
		     sales_lead_dup_fn fn, void *ud,
		     struct sales_lead_scan *out, struct sales_error *err);
/* The same for one row of 01 another reader streams (out zeroed before
 * the first); returns non-zero when fn asked to stop. */
int sales_leads_scan_row(const struct sales_dedup *d,
			 const struct sales_record *rec,
			 const struct sales_colmap *map, sales_lead_dup_fn fn,
			 void *ud, struct sales_lead_scan *out);

/* ---- renaming a lead ---- */

struct sales_lead_renamed {
	size_t rows[SALES_NSHEETS];   /* rows renamed, per sheet */
	size_t total;
	struct sales_buf old;         /* the lead's 客户名称 as its cell held it */
};

struct sales_txn;

/*
 * In transaction t, renames the lead of 01-leads.csv at line (its 客户名称
 * old_name, trimmed or not) to new_name (trimmed), with every row of every
 * sheet whose 客户名称 is that name (01's own, 02..07, exceptions.csv;
 * merged-cell continuation rows follow the row above), each cell an audit
 * row at commit; audit.csv itself is only appended to, never rewritten.
 * No sheet is held: 01 is read once to check the new name, then each sheet
 * rewritten record by record (sales_txn_each).  Refuses an empty name
 * (SALES_EVALUE), a name that is another lead's or has another lead's
 * sales_name_key (SALES_EEXIST, naming its line), and a line that no
 * longer holds old_name (SALES_ECHANGED).  Sets *out (release out->old).
 * Returns 0 or -1; nothing is written before commit.
 */
int sales_lead_rename(struct sales_txn *t, long line, const char *old_name,
		      const char *new_name, struct sales_lead_renamed *out,
		      struct sales_error *err);

#endif
