/*
 * model.h - the whole workbook in one pass, compact: one small struct per
 * customer in a hash table, one per contract and per follow-up, strings
 * interned once.  `sales check`, the funnel, `sales due`, `sales status`
 * and the stage gates at entry all read it.
 *
 * sales_model_load streams each sheet once, in process order (01 … 07,
 * then exceptions, then changes.csv, whose rows it shows the row hook
 * only).  A caller that wants to look at every row as it passes
 * (check's cell rules) gives a row hook: it sees each record with the
 * customer it was attached to, in the same single pass.
 *
 * Values that do not parse are recorded as absent (SALES_DATE_NONE, 0):
 * reporting them is the caller's business (check's `values` rule).
 * Customers are matched by their name with surrounding spaces trimmed; a
 * customer that first appears in a later sheet gets a struct with
 * lead_line 0 (check's `refs` rule reports it).
 */
#ifndef SALES_MODEL_H
#define SALES_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "error.h"
#include "rules.h"
#include "schema.h"
#include "value.h"

/* Stage sheets 01..07 are indexed 0..6 in per-customer arrays. */
#define SALES_NSTAGES 7

/*
 * One customer, 32 bytes (the static_assert in model.c keeps it so); at a
 * million customers this array is a large part of a load's memory, with
 * the names in the pool and 4 to 8 bytes of index per customer.  Excel
 * rows are not kept: a record's row follows from its line
 * (sales_model_row).  What a customer has in stage sheets 02..07 (dates,
 * lines) is not here but in one side table holding an entry only for the
 * sheets the customer appears in (most customers are in few of them):
 * read it with sales_customer_stage and the accessors after it.  01's
 * earliest and latest row date are its one row's (registered, else
 * last_contact) unless it has several rows, which get a side-table entry
 * too; its 07 rows are counted in its 07 entry; +原负责人, empty for most
 * leads, is in a list of its own (sales_customer_former_owner).  Its
 * 负责人, 区域, 产品线 and 所属行业 are one profile, shared by every
 * customer whose lead row has the same four (a team has far fewer of them
 * than customers): read them with sales_customer_owner and the three
 * after it.
 *
 *   bytes  what
 *   0-7    registered, last_contact, activity: 21-bit day numbers from
 *          1900-01-01 (0: none) in bits 0-20, 21-41 and 42-62; bit 63
 *          set when one is outside 1900 .. 7641 (a typed 9023), its
 *          dates then whole in m->customer_far at the index in bits 0-31
 *          (read them with sales_customer_registered and the two after
 *          it)
 *   8-11   name: interned string id (the pool holds it once)
 *   12-15  profile: index in m->profiles
 *   16-19  lead_line (also the first 01 row's line)
 *   20-23  act_line
 *   24-27  stages: the side table's entry for the latest stage sheet,
 *          and whether 01 has one (internal to model.c)
 *   28-31  grade, status, then bits: present (7), review (2),
 *          act_sheet (3), contract_approved, accepted, grade_blank,
 *          contact_blank
 */
struct sales_customer {
	uint64_t dates;         /* internal: the three dates, packed */
	uint32_t name;          /* interned (sales_model_str) */
	uint32_t profile;       /* index in m->profiles; 0: all four empty */
	uint32_t lead_line;     /* physical line in 01, 0 when absent */
	/* the line of activity (sales_customer_activity), 0 when none */
	uint32_t act_line;
	uint32_t stages;        /* internal: latest side-table entry + 1, 0
				 * none; a bit for several 01 rows */
	char grade;             /* 'A' 'B' 'C', 0 when unset or bad */
	int8_t status;          /* enum sales_lead_status, -1 unset */
	unsigned present : 7;   /* bit i: appears in stage sheet i (0 = 01) */
	unsigned review : 2;    /* best enum sales_review over its 03 rows */
	unsigned act_sheet : 3; /* the sheet of activity */
	bool contract_approved : 1; /* a 04 row with status 已审批 */
	bool accepted : 1;      /* a 06 row with result 合格 */
	bool grade_blank : 1;   /* 线索等级 empty in the lead row */
	bool contact_blank : 1; /* 最后跟进时间 empty in the lead row */
};

/* The 负责人, 区域, 产品线 and 所属行业 of lead rows, interned string ids
 * (0: empty), each distinct four once. */
struct sales_profile {
	uint32_t owner, region, product_line, industry;
};

/* A customer's three dates, whole: 登记日期 and 最后跟进时间 of its lead
 * row, and its latest dated activity on or before ctx->today (rules 7 and
 * 9): 01 登记日期, 02 调研时间, 03 提交日期 and 评审日期, 04 签订日期, 05 the
 * start of 起止时间, 06 验收时间, 07 跟进时间 (SALES_DATE_NONE each when
 * there is none). */
struct sales_customer_dates {
	sales_date registered, last_contact, activity;
};

/*
 * A customer's rows in one stage sheet (0 = 01 … 6 = 07), as
 * sales_customer_stage gives them.  extra and extra_line are per sheet:
 *   02  extra_line: the first row holding last (the latest 调研时间)
 *   03  extra: the earliest 提交日期, extra_line: the row holding it
 *   04  extra: the earliest 签订日期 of an approved (已审批) contract
 *   06  extra: the earliest 验收时间 with 合格, extra_line: its row
 * (NONE and 0 elsewhere or when there is none).
 */
struct sales_stage_rows {
	sales_date first, last; /* the earliest and latest dated row, NONE */
	uint32_t first_line;    /* the first row's line, 0 when absent */
	sales_date extra;
	uint32_t extra_line;
};

/* One contract, 56 bytes (model.c asserts it): the members in this order
 * leave no padding but after status. */
struct sales_contract {
	uint32_t customer;      /* index in customers; UINT32_MAX when 客户名称 is blank */
	uint32_t id;            /* interned 合同编号 */
	uint32_t line, row;     /* physical line, Excel row in 04 */
	double amount;          /* 万元; NAN when it does not parse */
	/* its approval route (route.h), NULL when no approval-rules.csv row
	 * applies (check reports it) */
	const struct sales_route *route;
	sales_date signed_date, payment_due, paid;
	struct sales_approval approval;
	int8_t status;          /* enum sales_approval_state, -1 */
};

/* One follow-up, 24 bytes (model.c asserts it); its Excel row is
 * sales_model_row(m, SALES_FOLLOWUPS, line). */
struct sales_followup {
	uint32_t customer;      /* as for contracts: UINT32_MAX when blank */
	uint32_t line;
	sales_date date, next;  /* 跟进时间, the date of 下次跟进计划 */
	int8_t satisfaction;    /* 1..5, 0 when empty or bad */
	uint32_t by;            /* interned 跟进人 */
};

struct sales_model_exception {
	uint32_t customer;      /* UINT32_MAX when not a customer of the workbook */
	uint32_t line, row;
	struct sales_exception e;   /* strings owned by the model */
	bool valid;                 /* sales_exception_valid */
	const char *why_invalid;
};

struct sales_model_rowmap;
struct sales_model_stage;
struct sales_model_stage_lines;
struct sales_model_stage_dates;
struct sales_model_former;

/* A date cell that holds something but no date this toolkit reads (a
 * spreadsheet's ambiguous 3/5/24, a typo): what it drives is unknown, so
 * due, status and report list it instead of leaving its item out. */
struct sales_bad_date {
	uint32_t customer;      /* UINT32_MAX when the row has none */
	uint32_t line, row;     /* physical line, Excel row */
	uint32_t value;         /* interned cell text */
	uint8_t sheet;          /* enum sales_sheet_id */
	int8_t col;             /* schema column */
	int16_t file_col;       /* 1-based column in the file */
};

struct sales_model {
	const struct sales_context *ctx;
	struct sales_customer *customers;
	size_t ncustomers;
	struct sales_contract *contracts;
	size_t ncontracts;
	struct sales_followup *followups;   /* in file order */
	size_t nfollowups;
	struct sales_model_exception *exceptions;
	size_t nexceptions;
	struct sales_bad_date *bad_dates;   /* in sheet and line order */
	size_t nbad_dates;
	bool has_sheet[SALES_NSHEETS];      /* the file exists */
	/* a narrowed load (sales_model_load_one): the one customer's name,
	 * NULL for a whole workbook */
	char *only;
	/* internal */
	struct sales_model_stage *stages;   /* the side table (model.c) */
	struct sales_model_stage_lines *stage_lines;   /* its lines; NULL lean */
	size_t nstages;
	/* the dates of side-table entries with one outside 1900 .. 7641 */
	struct sales_model_stage_dates *stage_far;
	size_t nstage_far;
	struct sales_model_former *formers; /* +原负责人 where set, by customer */
	size_t nformers;
	struct sales_model_rowmap *rowmap[SALES_NSHEETS];
	size_t nrowmap[SALES_NSHEETS], rowmapcap[SALES_NSHEETS];
	struct sales_buf pool;
	uint32_t *index;                    /* open addressing: customer+1 and
					     * a tag of its name's hash (model.c) */
	size_t index_cap;
	struct sales_profile *profiles;     /* [0] is the empty one */
	size_t nprofiles;
	/* the dates of the customers with one outside 1900 .. 7641 */
	struct sales_customer_dates *customer_far;
	size_t ncustomer_far;
};

/* The packing of struct sales_customer's dates (model.h's table). */
#define SALES_DAY_BITS 21
#define SALES_DAY_MASK ((UINT64_C(1) << SALES_DAY_BITS) - 1)
#define SALES_DAY_BASE (-25567)   /* 1900-01-01, the earliest date read */
#define SALES_DAYS_FAR (UINT64_C(1) << 63)

static inline sales_date sales_day_unpack(uint64_t w, int i)
{
	uint32_t v = (uint32_t)(w >> (i * SALES_DAY_BITS) & SALES_DAY_MASK);

	return v ? (sales_date)((int64_t)v - 1 + SALES_DAY_BASE) :
	       SALES_DATE_NONE;
}

static inline struct sales_customer_dates
sales_customer_dates(const struct sales_model *m, const struct sales_customer *c)
{
	if (c->dates & SALES_DAYS_FAR)
		return m->customer_far[(uint32_t)c->dates];
	return (struct sales_customer_dates){ sales_day_unpack(c->dates, 0),
					      sales_day_unpack(c->dates, 1),
					      sales_day_unpack(c->dates, 2) };
}

/* 登记日期 of the lead row (NONE when absent or unread). */
static inline sales_date sales_customer_registered(const struct sales_model *m,
						   const struct sales_customer *c)
{
	return sales_customer_dates(m, c).registered;
}

/* 最后跟进时间 of the lead row (NONE). */
static inline sales_date sales_customer_last_contact(const struct sales_model *m,
						     const struct sales_customer *c)
{
	return sales_customer_dates(m, c).last_contact;
}

/* The latest dated activity on or before ctx->today (NONE); act_line and
 * act_sheet say where it is. */
static inline sales_date sales_customer_activity(const struct sales_model *m,
						 const struct sales_customer *c)
{
	return sales_customer_dates(m, c).activity;
}

/* The interned 负责人, 区域, 产品线, 所属行业 of the lead row (0: empty or
 * no lead row). */
static inline uint32_t sales_customer_owner(const struct sales_model *m,
					    const struct sales_customer *c)
{
	return m->profiles[c->profile].owner;
}

static inline uint32_t sales_customer_region(const struct sales_model *m,
					     const struct sales_customer *c)
{
	return m->profiles[c->profile].region;
}

static inline uint32_t sales_customer_product_line(const struct sales_model *m,
						   const struct sales_customer *c)
{
	return m->profiles[c->profile].product_line;
}

static inline uint32_t sales_customer_industry(const struct sales_model *m,
					       const struct sales_customer *c)
{
	return m->profiles[c->profile].industry;
}

/* A row as it streams by, with the customer it was attached to (-1: none,
 * e.g. a blank 客户名称 on a first row, or a sheet without customers). */
struct sales_row_event {
	enum sales_sheet_id sheet;
	const struct sales_record *rec;
	const struct sales_colmap *map;
	long customer;
	/* the model being built: every earlier sheet is complete, and this
	 * row is already counted in it */
	const struct sales_model *model;
	/* a narrowed load's row of another customer: in no sheet of the
	 * model, customer -1 */
	bool other;
};

/* Return non-zero to stop loading (the load then fails with err as set). */
typedef int (*sales_row_hook)(void *ud, const struct sales_row_event *ev,
			      struct sales_error *err);

/*
 * The work on a record that needs nothing but the record, done in the
 * thread that parses the sheet (sales_sheet_set_prepare): with two threads
 * it overlaps the rows before it, which is what keeps both cores busy —
 * parsing alone is a small part of a load.  With one thread the reader
 * makes it as each record is read, so that each date is still parsed
 * once (the model, check and the other consumers all read it from
 * here; a narrowed load makes none).  Every date column
 * (SALES_COL_DATE) is parsed once here, every date cell judged for
 * sales_bad_date; a prep hook (the caller's) may add
 * bits of its own.  Valid for a record only as sales_row_prep_of says.
 * It is made from the row's own cells: on a fill-down continuation
 * (rec->filled[col]) a filled column's entries are those of the blank
 * cell the row holds there, so a caller reads such a column from rec.
 */
struct sales_row_prep {
	sales_date date[SALES_MAX_COLS];  /* as sales_parse_date left it; a
					   * range column (SALES_COL_DATE_RANGE)
					   * its start, a date-prefix column
					   * its date (NONE unless OK) */
	uint8_t dstat[SALES_MAX_COLS];    /* its enum sales_value_status */
	uint32_t bad_dates;               /* bit col: a bad date (sales_bad_date) */
	uint32_t bits;                    /* the prep hook's, 0 without one */
	uint32_t word;                    /* the prep hook's, when has_word */
	bool has_word;
	bool has_name_hash;
	uint32_t name_hash;               /* the model's hash of the
					   * trimmed 客户名称 (model.c
					   * str_hash), when has_name_hash */
};

/* rec's prep, or NULL when there is none (a narrowed load, or a record
 * not read through the model: the caller then works from rec).  Without
 * a parsing thread (one thread, or a row the parsing thread left to the
 * caller, readahead.h) the reader prepares the row itself, a fill-down
 * continuation from its own cells as the thread would.  A prep's entries
 * for a column that rec->filled says was filled down are not the
 * record's (see above). */
const struct sales_row_prep *sales_row_prep_of(const struct sales_record *rec);

/* In the parsing thread, after the dates: may read only what does not
 * change during the load (ctx, the schema), and must depend on rec alone.
 * map is the sheet's column map. */
typedef void (*sales_prep_hook)(void *ud, enum sales_sheet_id id,
				const struct sales_colmap *map,
				const struct sales_record *rec,
				struct sales_row_prep *p);

/*
 * Loads ctx's workbook.  sheets is a bit mask of (1u << id) of the sheets
 * to read (SALES_MODEL_ALL for every sheet the model uses); missing files
 * are skipped (has_sheet false).  hook may be NULL.  Returns 0, or -1 with
 * err when a sheet cannot be read.  Free with sales_model_free.
 */
#define SALES_MODEL_ALL 0xFFFFu
/* With the sheets: keep no contract or follow-up array (ncontracts and
 * nfollowups 0), only what the customers and sales_customer_stage hold of
 * 04 and 07 (contract_approved, signed_first, the 07 dates), and no line
 * of a stage sheet's rows (sales_customer_stage's first_line and
 * extra_line 0 but for 01, sales_customer_survey_line and the lines of
 * submitted and accepted 0, sales_customer_nfollowups 0) - for a reader
 * of the stages' dates alone (the funnel): 55 MB less at a million
 * leads.  The row hook still sees every row. */
#define SALES_MODEL_LEAN 0x80000000u
int sales_model_load(struct sales_model **out, const struct sales_context *ctx,
		     unsigned sheets, sales_row_hook hook, void *ud,
		     struct sales_error *err);
/* Same, with a prep hook (may be NULL) run in the parsing thread; pud is
 * its argument. */
int sales_model_load_prep(struct sales_model **out,
			  const struct sales_context *ctx, unsigned sheets,
			  sales_row_hook hook, void *ud, sales_prep_hook prep,
			  void *pud, struct sales_error *err);
/*
 * The same, narrowed to the one customer a writing command's gate is
 * about: only the rows whose 客户名称 is name, compared as the model
 * matches customers (trimmed, sales_key_equal), are counted; every other
 * row of a sheet with customers is skipped before any value of it is read
 * (no dates parsed, nothing interned or kept), so that customer's facts
 * (facts.h) are exactly those of a whole load, at the cost of reading the
 * sheets.  The hook still sees every row, the others with ev->other set
 * (a key that must be unique in the sheet, 合同编号).  team.csv, the
 * settings and the other context are ctx's as always.  A customer not in
 * the model is -1 from sales_model_find, as in a whole load; a model
 * narrowed so is only for questions about that customer.
 */
int sales_model_load_one(struct sales_model **out,
			 const struct sales_context *ctx, unsigned sheets,
			 const char *name, sales_row_hook hook, void *ud,
			 struct sales_error *err);
/*
 * sales_model_load_one whose hook needs to see every row of the sheets in
 * `every` only (a bit per enum sales_sheet_id): of the other sheets it sees
 * the rows that come through the reader's prefilter (workbook.h
 * sales_sheet_set_filter) - all of the customer's, with some others (ev->
 * other set).  sales_model_load_one is this with every sheet in `every`.
 */
int sales_model_load_one_for(struct sales_model **out,
			     const struct sales_context *ctx, unsigned sheets,
			     const char *name, sales_row_hook hook, void *ud,
			     unsigned every, struct sales_error *err);
/*
 * sales_model_load_one with no hook, taking a sheet from tables[id] (an
 * array of SALES_NSHEETS, NULL entries read the file) where a command holds
 * it loaded already and unedited (txn.h sales_txn_unedited): the same model
 * as reading the file, without reading it again; the reader's warnings
 * about its cells are given again too, as a second read gives them.  A
 * sheet that fills down (02, 05, 07) is read from its file all the same.
 */
struct sales_sheet_table;
int sales_model_load_one_from(struct sales_model **out,
			      const struct sales_context *ctx, unsigned sheets,
			      const char *name,
			      const struct sales_sheet_table *const *tables,
			      struct sales_error *err);
void sales_model_free(struct sales_model *m);

/* The Excel row of the record that starts on physical line `line` of sheet
 * id (a line the model saw there; 0 for line 0).  The two differ after
 * blank rows and line breaks inside cells; the model keeps only where that
 * difference changes. */
uint32_t sales_model_row(const struct sales_model *m, enum sales_sheet_id id,
			 uint32_t line);

/* Interned string by id ("" for 0). */
const char *sales_model_str(const struct sales_model *m, uint32_t id);

/* The customer named name (trimmed), or -1. */
long sales_model_find(const struct sales_model *m, const char *name);

/* What customer c has reached (for sales_gate_missing). */
void sales_model_progress(const struct sales_model *m, size_t c,
			  struct sales_progress *p);

/* Customer k's rows in stage sheet `sheet` (0 = 01 … 6 = 07): true with
 * *out filled when it appears there; false with *out all NONE and 0 when
 * it does not. */
bool sales_customer_stage(const struct sales_model *m,
			  const struct sales_customer *k, int sheet,
			  struct sales_stage_rows *out);
/* Every stage sheet's first (the earliest dated row's date, NONE when
 * absent or undated) in one walk of the side table. */
void sales_customer_firsts(const struct sales_model *m,
			   const struct sales_customer *k,
			   sales_date first[SALES_NSTAGES]);
/* Single fields of it (NONE or 0 when absent). */
sales_date sales_customer_first(const struct sales_model *m,
				const struct sales_customer *k, int sheet);
sales_date sales_customer_last(const struct sales_model *m,
			       const struct sales_customer *k, int sheet);
uint32_t sales_customer_first_line(const struct sales_model *m,
				   const struct sales_customer *k, int sheet);
/* The earliest 03 提交日期 (NONE), *line (may be NULL) its row's line. */
sales_date sales_customer_submitted(const struct sales_model *m,
				    const struct sales_customer *k,
				    uint32_t *line);
/* The first 02 row holding the latest 调研时间 (0). */
uint32_t sales_customer_survey_line(const struct sales_model *m,
				    const struct sales_customer *k);
/* The earliest 04 签订日期 of an approved contract (NONE). */
sales_date sales_customer_signed_first(const struct sales_model *m,
				       const struct sales_customer *k);
/* The earliest 06 验收时间 with 合格 (NONE), *line (may be NULL) its row. */
sales_date sales_customer_accepted(const struct sales_model *m,
				   const struct sales_customer *k,
				   uint32_t *line);

/* The interned +原负责人 of the lead row (0 when empty). */
uint32_t sales_customer_former_owner(const struct sales_model *m,
				     const struct sales_customer *k);
/* Its rows in 07 (跟进记录) that name it. */
uint32_t sales_customer_nfollowups(const struct sales_model *m,
				   const struct sales_customer *k);

/* The furthest stage sheet (0 = 01 … 6 = 07) the customer appears in, or -1. */
int sales_model_stage(const struct sales_customer *c);

/*
 * The first valid exception of type ("跳过环节" or "延期") covering stage
 * sheet id for customer c, or NULL.  When only invalid ones exist,
 * *invalid (may be NULL) is set to the first of them.
 */
const struct sales_model_exception *
sales_model_exception(const struct sales_model *m, size_t c, const char *type,
		      enum sales_sheet_id id,
		      const struct sales_model_exception **invalid);

/* "04-contracts.csv:L3" for a bad date, into buf (size >= 96). */
const char *sales_bad_date_cell(const struct sales_bad_date *b, char *buf,
				size_t size);

/* The date a row of a stage sheet counts at (see model.c), or NONE. */
sales_date sales_row_date(enum sales_sheet_id id, const struct sales_record *rec);
/* The column that date is read from (02 调研时间, 03 提交日期 or, while it
 * is blank, 评审日期, 04 签订日期, 05 起止时间, 06 验收时间, 07 跟进时间);
 * -1 for 01 and the support sheets. */
int sales_row_date_column(enum sales_sheet_id id, const struct sales_record *rec);

#endif
