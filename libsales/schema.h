/*
 * schema.h - the one table of sheets and columns (SPEC §2 and §7).
 *
 * Every column has a simplified header (written by default), a traditional
 * header and an English key; all three are accepted when reading, in any
 * order, with or without a trailing '*' (the seed marks roles that way) and
 * with full-width or ASCII parentheses.  Commands address columns by the
 * enums below, never by position: a sales_colmap binds a file's header to
 * the schema and keeps the user's own columns where they are.
 *
 * A sales_record is a row seen through the schema: values by column enum,
 * with merged-cell continuation rows filled down (SPEC §3) in the sheets
 * whose columns carry SALES_COLF_FILL_DOWN.
 */
#ifndef SALES_SCHEMA_H
#define SALES_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sheet.h"

enum sales_sheet_id {
	SALES_LEADS,
	SALES_SURVEYS,
	SALES_SOLUTIONS,
	SALES_CONTRACTS,
	SALES_PLANS,
	SALES_ACCEPTANCE,
	SALES_FOLLOWUPS,
	SALES_KPI,
	SALES_TEAM,
	SALES_EXCEPTIONS,
	SALES_HOLIDAYS,
	SALES_AUDIT,
	SALES_APPROVAL_RULES,   /* approval-rules.csv 审批规则 (optional) */
	SALES_TARGETS,          /* targets.csv 业绩目标 (optional) */
	SALES_CHANGES,          /* changes.csv 需求变更确认单 (optional) */
	SALES_NSHEETS
};

enum sales_coltype {
	SALES_COL_TEXT,
	SALES_COL_DATE,
	SALES_COL_DATE_RANGE,   /* 2023.11.01-11.05 */
	SALES_COL_MONTH,        /* month or month range: 2023.11-2024.11 */
	SALES_COL_AMOUNT,       /* 万元 */
	SALES_COL_AMOUNT_RANGE, /* 200-300万, 待确认 */
	SALES_COL_PERCENT,
	SALES_COL_GRADE,        /* A类 / B类 / C类 */
	SALES_COL_ENUM,         /* one of def->values */
	SALES_COL_PHONE,
	SALES_COL_INTEGER,
	SALES_COL_SIZE,         /* 500-1000人/5亿以上 */
	SALES_COL_QUARTER,      /* 2023Q4 */
	SALES_COL_DATE_PREFIX,  /* 2024.04.10回访: a date, then words */
	SALES_COL_TIMESTAMP,    /* 2024-01-10T09:30:00+08:00 (audit) */
	SALES_COL_AMOUNT_DELTA, /* +12, -5, 12万: a signed change in 万元 */
};

#define SALES_COLF_REQUIRED 1u      /* the cell must be filled */
#define SALES_COLF_FILL_DOWN 2u     /* merged-cell continuation fills it */
#define SALES_COLF_PERSONAL 4u      /* a person's details: contact, phone, 调研对象, 验收人, 客户签字 */
#define SALES_COLF_ADDED 8u         /* a '+' column the toolkit adds */
#define SALES_COLF_HEADER 16u       /* the header must be present */
#define SALES_COLF_FINANCIAL 32u    /* money: 预算范围, 报价, 合同金额 */
#define SALES_COLF_TEAM 64u         /* names a member of team.csv (负责人, 调研人, 跟进人 …) */
/* what export --redact masks (SPEC §4 rule 10) */
#define SALES_COLF_CONFIDENTIAL (SALES_COLF_PERSONAL | SALES_COLF_FINANCIAL)

#define SALES_MAX_COLS 24

struct sales_column_def {
	const char *key;         /* English key (SPEC §7) */
	const char *zh;          /* simplified header */
	const char *zh_trad;     /* traditional header */
	enum sales_coltype type;
	unsigned flags;
	const char *const *values; /* SALES_COL_ENUM: NULL-terminated */
};

struct sales_sheet_def {
	enum sales_sheet_id id;
	const char *file;        /* "01-leads.csv" */
	const char *name;        /* "leads" */
	const char *title;       /* 客户信息登记表 */
	const char *stage;       /* stage name of SPEC §1, NULL for support sheets */
	int stage_no;            /* 1..8 for sheets 01-08, 0 otherwise */
	const struct sales_column_def *columns;
	size_t ncolumns;
};

/* Column enums, in SPEC order (the order `sales init` writes). */
enum { LEAD_NO, LEAD_CUSTOMER, LEAD_INDUSTRY, LEAD_SIZE, LEAD_CONTACT,
       LEAD_TITLE, LEAD_PHONE, LEAD_SOURCE, LEAD_NEED, LEAD_GRADE, LEAD_OWNER,
       LEAD_LAST_CONTACT, LEAD_NOTE, LEAD_REGISTERED, LEAD_STATUS,
       LEAD_REGION, LEAD_PRODUCT_LINE, LEAD_SCORE, LEAD_LOST_REASON,
       LEAD_FORMER_OWNER, LEAD_NCOLS };
enum { SURVEY_CUSTOMER, SURVEY_DATE, SURVEY_SURVEYOR, SURVEY_INTERVIEWEE,
       SURVEY_PAIN_POINTS, SURVEY_TARGET_NEED, SURVEY_BUDGET,
       SURVEY_DECISION_CHAIN, SURVEY_NOTE, SURVEY_NCOLS };
enum { SOL_CUSTOMER, SOL_SOLUTION, SOL_CONFIGURATION, SOL_DURATION, SOL_QUOTE,
       SOL_EXTRAS, SOL_HIGHLIGHTS, SOL_OWNER, SOL_REVIEW, SOL_SUBMITTED,
       SOL_REVIEWED, SOL_NCOLS };
enum { CON_CONTRACT, CON_CUSTOMER, CON_AMOUNT, CON_TERM, CON_TERMS, CON_REP,
       CON_MANAGER, CON_LEGAL, CON_GM, CON_APPROVAL, CON_SIGNED,
       CON_PAYMENT_DUE, CON_PAID, CON_FINANCE, CON_NCOLS };
enum { PLAN_CUSTOMER, PLAN_PHASE, PLAN_PERIOD, PLAN_OWNER, PLAN_TASKS,
       PLAN_DELIVERABLES, PLAN_RISKS, PLAN_MITIGATION, PLAN_NCOLS };
enum { ACC_CUSTOMER, ACC_DATE, ACC_INSPECTOR, ACC_SCOPE, ACC_RESULT,
       ACC_OPEN_ISSUES, ACC_SIGNATURE, ACC_NCOLS };
enum { FU_CUSTOMER, FU_DATE, FU_BY, FU_CHANNEL, FU_FEEDBACK, FU_RESOLUTION,
       FU_NEXT_PLAN, FU_SATISFACTION, FU_NCOLS };
enum { KPI_METRIC, KPI_TARGET, KPI_ACTUAL, KPI_COMPLETION, KPI_YOY,
       KPI_FACTORS, KPI_ACTIONS, KPI_QUARTER, KPI_NCOLS };
enum { TEAM_NAME, TEAM_ROLE, TEAM_REGION, TEAM_NCOLS };
enum { EXC_CUSTOMER, EXC_TYPE, EXC_STAGE, EXC_REASON, EXC_DEADLINE,
       EXC_APPROVER, EXC_APPROVED, EXC_NCOLS };
enum { HOL_DATE, HOL_TYPE, HOL_NAME, HOL_NCOLS };
enum { RULE_CONDITION, RULE_CHAIN, RULE_MODE, RULE_NOTE, RULE_NCOLS };
enum { TGT_SUBJECT, TGT_MONTH, TGT_METRIC, TGT_TARGET, TGT_NCOLS };
enum { CHG_CUSTOMER, CHG_CONTRACT, CHG_WHAT, CHG_COST, CHG_DAYS,
       CHG_APPROVER, CHG_APPROVED, CHG_CONFIRMED, CHG_NCOLS };
enum { AUDIT_TIME, AUDIT_USER, AUDIT_COMMAND, AUDIT_SHEET, AUDIT_KEY,
       AUDIT_COLUMN, AUDIT_OLD, AUDIT_NEW, AUDIT_NCOLS };

/* Enumerated values the schema knows (NULL-terminated lists). */
extern const char *const sales_lead_statuses[];   /* 新线索 跟进中 已签约 已丢单 公海 */
extern const char *const sales_approval_states[]; /* 待审批 审批中 已审批 已驳回 */

/* Indexes in sales_lead_statuses and sales_approval_states (the model keeps
 * a cell as its index, -1 when it is blank or unknown). */
enum sales_lead_status { SALES_LEAD_NEW, SALES_LEAD_FOLLOWING,
			 SALES_LEAD_SIGNED, SALES_LEAD_LOST, SALES_LEAD_POOL };
enum sales_approval_state { SALES_APPROVAL_PENDING, SALES_APPROVAL_IN_PROGRESS,
		      SALES_APPROVAL_APPROVED, SALES_APPROVAL_REJECTED };
/* Is a lead of this 客户状态 closed (已签约 or 已丢单)? */
#define SALES_LEAD_CLOSED(status) \
	((status) == SALES_LEAD_SIGNED || (status) == SALES_LEAD_LOST)
extern const char *const sales_roles[];           /* 销售代表 … 售后专员 */
extern const char *const sales_exception_types[]; /* 跳过环节 延期 底线让步 */
extern const char *const sales_acceptance_results[]; /* 合格 不合格 */
extern const char *const sales_yes_no[];          /* 是 否 (changes.csv 客户确认) */
extern const char *const sales_stage_names[];     /* 客户开发 … 复盘优化 (+ 需求调研) */

const struct sales_sheet_def *sales_sheet_def(enum sales_sheet_id id);

/*
 * Finds a sheet by what a user typed: its number ("1", "01"), file name
 * ("01-leads.csv"), English name ("leads", "lead"), or Chinese title.
 * NULL when nothing matches.
 */
const struct sales_sheet_def *sales_sheet_find(const char *name);

/*
 * The columns that identify a row of sheet id (SPEC §2's key column), in
 * *cols (a static array), their count returned: 01 客户名称, 03 客户名称 +
 * 方案名称, 04 合同编号, 05 客户名称 + 项目阶段, 08 季度 + 指标名称, team
 * 姓名 + 角色, exceptions 客户名称 + 类型 + 环节, holidays 日期; *unique is
 * true.  Sheets where one key has many rows (02 and 06 客户名称, 07 one row
 * per contact, audit) give the columns that name a row to a person (客户名称
 * and its date; audit's time and user) with *unique false: such a row is
 * identified by all its values.
 */
size_t sales_sheet_key(enum sales_sheet_id id, const int **cols, bool *unique);

/* The sheet whose stage name (SPEC §1, also 需求调研) is name; NULL if none. */
const struct sales_sheet_def *sales_sheet_by_stage(const char *name);

/* Column index of key in def (English key or any header spelling), or -1. */
int sales_column_find(const struct sales_sheet_def *def, const char *name);

/*
 * The index of s (trimmed) among the NULL-terminated values, in its
 * simplified or traditional spelling (跟進中 is 跟进中, 已審批 已审批), or -1.
 * Every reader and writer of an enumerated column asks here.
 */
int sales_enum_find(const char *const *values, const char *s, size_t len);
/* true if s is one of the values (as sales_enum_find). */
bool sales_enum_has(const char *const *values, const char *s);
/* The value s spells (the simplified form, from values), or NULL. */
const char *sales_enum_canonical(const char *const *values, const char *s);

/* ---- binding a file's header to the schema ---- */

struct sales_colmap {
	const struct sales_sheet_def *def;
	int file_col[SALES_MAX_COLS];  /* schema column -> file column, or -1 */
	int *schema_col;               /* file column -> schema column, or -1 */
	size_t nfile;                  /* columns in the file's header */
	/* the schema columns sales_record_from_row fills, in order, nfill
	 * of them (sales_sheet_set_columns); nfill 0: every column */
	unsigned char fill[SALES_MAX_COLS];
	size_t nfill;
};

/*
 * Binds header (of the file named file, for messages) to def.  Fails with
 * SALES_ESCHEMA when a header names a known column twice, or a column that
 * must be present is missing.  Release with sales_colmap_release.
 */
int sales_colmap_bind(struct sales_colmap *m, const struct sales_sheet_def *def,
		      const struct sales_row *header, const char *file,
		      struct sales_error *err);
void sales_colmap_release(struct sales_colmap *m);

/* ---- records: rows by schema column ---- */

struct sales_record {
	const struct sales_row *row;       /* the physical row */
	const char *v[SALES_MAX_COLS];     /* values ("" when absent) */
	bool filled[SALES_MAX_COLS];       /* value came from the row above */
	bool continuation;                 /* a merged-cell continuation row */
};

/* Whether a cell counts as blank for fill-down: empty, or spaces and tabs
 * only (the reader's prefilter, sheet_fast.c, tests its key cell so too). */
bool sales_fill_blank(const char *s);

/* Fill-down state carried from row to row (one per pass over a sheet). */
struct sales_filldown {
	struct sales_buf prev[SALES_MAX_COLS];
	bool have;
};

/*
 * Fills rec from row through m.  When fd is not NULL and the sheet has
 * fill-down columns, a row whose 客户名称 is blank takes the blank fill-down
 * cells from the previous row.  rec's pointers are valid as long as row's
 * and fd's.  With m->nfill set only the columns m->fill names are filled
 * (and filled down): the others of rec stay as they were.  Returns 0, or
 * -1 on ENOMEM.
 */
int sales_record_from_row(struct sales_record *rec, const struct sales_colmap *m,
			  const struct sales_row *row,
			  struct sales_filldown *fd);
void sales_filldown_release(struct sales_filldown *fd);

/* ---- confidentiality ---- */

/*
 * export --redact's one mask: when column col of sheet id is personal or
 * financial (SALES_COLF_CONFIDENTIAL), writes the masked value into out
 * (reset first) and returns true: a phone keeps its first 3 and last 4
 * digits (138****4590), a person's name or signature its first character
 * (王**), amounts and anything else become ***; a blank cell stays blank.
 * audit.csv's 原值 and 新值 are masked as the column its row names (row:
 * the audit row's values by schema column, 工作表 and 列).  false (out
 * empty) when the column is not confidential.
 */
bool sales_redact(enum sales_sheet_id id, int col, const char *const *row,
		  const char *value, struct sales_buf *out);

/* Trims spaces and makes header spellings comparable (exposed for tests). */
size_t sales_header_normalize(const char *s, size_t len, char *out, size_t cap);

#endif
