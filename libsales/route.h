/*
 * route.h - approval routes (审批规则, approval-rules.csv): which roles
 * approve a contract, and how, chosen by a condition over the contract and
 * its lead.  The policy is data; rules.h's approval functions walk it.
 *
 * A row of approval-rules.csv is 条件 · 审批链 · 方式 · 备注:
 *   条件  a condition: `金额 >= 200`, `产品线 = 智能物流`, `区域 in 华东,华南`,
 *         `合同期限 > 12`, `*` (always); comparisons joined by `且`/`and`/`&&`
 *         and `或`/`or`/`||` (且 binds tighter), parentheses allowed.
 *   审批链 roles in order: `销售经理→法务→总经理` (also -> > , 、 / ，).
 *   方式  依次 (in order), 会签 (all, any order) or 或签 (any one); empty is 依次.
 * The first row whose condition holds decides.  No row holding is an error,
 * never an approval by default.  Without the sheet the seed's chain applies
 * (销售经理→法务→总经理, 依次).
 *
 * Fields a condition may name (simplified, traditional or English):
 *   金额/合同金额/amount (万元), 合同期限/期限/term (months, from 04's
 *   合同期限), 产品线/product_line, 区域/region, 行业/industry,
 *   线索等级/等级/grade (A类, or A), 客户名称/customer.
 * A numeric comparison with a field whose value is blank or unreadable is
 * false; a route that then matches nothing is reported with the reason.
 */
#ifndef SALES_ROUTE_H
#define SALES_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The roles that hold an opinion column in 04-contracts.csv (销售经理, 法务,
 * 总经理, +财务); rules.h's sales_approver_roles names them. */
enum { SALES_APPROVER_MANAGER, SALES_APPROVER_LEGAL, SALES_APPROVER_GM,
       SALES_APPROVER_FINANCE, SALES_NAPPROVERS };

enum sales_route_mode {
	SALES_ROUTE_SEQUENTIAL,  /* 依次: each in turn */
	SALES_ROUTE_ALL,         /* 会签: all of them, any order */
	SALES_ROUTE_ANY,         /* 或签: any one of them decides */
};

struct sales_route {
	int approver[SALES_NAPPROVERS];  /* SALES_APPROVER_* in chain order */
	int n;                           /* 1..SALES_NAPPROVERS */
	enum sales_route_mode mode;
	long line;          /* approval-rules.csv line; 0 for the seed's chain */
	const char *condition; /* the 条件 text as written ("" for the seed's) */
};

/* What a condition may look at: the contract and its lead (NULL or "" when
 * unknown). */
struct sales_route_facts {
	double amount;             /* 04 合同金额 in 万元; NAN when unknown */
	const char *term;          /* 04 合同期限 */
	const char *product_line;  /* 01 */
	const char *region;        /* 01 */
	const char *industry;      /* 01 */
	const char *grade;         /* 01 线索等级 ("A类", "A") */
	const char *customer;
};

/* Fills f from a 04 row and its customer's 01 row (values by schema
 * column; lead may be NULL).  f points into the rows. */
void sales_route_facts_from_rows(struct sales_route_facts *f,
				 const char *const *contract,
				 const char *const *lead);

struct sales_routes;

/*
 * Reads dir's approval-rules.csv.  *out is NULL when the workbook has no
 * such sheet (the seed's chain applies).  A condition, chain or mode that
 * does not parse is an error (SALES_EVALUE) naming the file, line and cell.
 * Release with sales_routes_free.
 */
int sales_routes_load(const char *dir, struct sales_routes **out,
		      struct sales_error *err);
/* Parses a sheet's rows given as (condition, chain, mode) triples; line and
 * excel_row are used for messages.  For tests and for the loader. */
struct sales_routes *sales_routes_new(void);
int sales_routes_add(struct sales_routes *rs, const char *condition,
		     const char *chain, const char *mode, long line,
		     const int cols[3], long excel_row, struct sales_error *err);
void sales_routes_free(struct sales_routes *rs);
size_t sales_routes_count(const struct sales_routes *rs);

/* The seed's chain: 销售经理→法务→总经理, 依次. */
const struct sales_route *sales_route_default(void);

/*
 * The route for a contract: the first row whose condition holds.  rs NULL
 * gives the seed's chain.  Returns it, or NULL when no row holds, with err
 * (SALES_ERULE) saying so and naming approval-rules.csv.
 */
const struct sales_route *sales_route_for(const struct sales_routes *rs,
					  const struct sales_route_facts *f,
					  struct sales_error *err);

/* true when the route has approver (SALES_APPROVER_*). */
bool sales_route_has(const struct sales_route *r, int approver);

/* "销售经理 → 法务 → 总经理", the chain alone. */
const char *sales_route_chain(const struct sales_route *r, char *buf,
			      size_t size);
/* "销售经理 → 法务 → 总经理 (依次)", for messages and the audit trail. */
const char *sales_route_describe(const struct sales_route *r, char *buf,
				 size_t size);
/* "依次", "会签", "或签". */
const char *sales_route_mode_name(enum sales_route_mode m);

#endif
