/*
 * score.h - lead scoring (SPEC §5): four dimensions, their points and an
 * explanation each, the sum and the A/B/C grade.
 *
 * The points table and the thresholds are settings (settings.h documents
 * every key and its default): industry fit from score.industry.<行业>,
 * company size from the better of the employee and revenue bands
 * (score.size.*), budget from the largest amount stated in the customer's
 * 02 rows (score.budget.*; 待确认 is unknown), and decision-chain
 * completeness from 02 决策流程 (score.chain.*), which a note saying the
 * decision maker is unknown (score.chain.unknown_marks, in 01 备注, 02 备注
 * or the chain itself) overrides.  Each dimension is capped at
 * score.max_per_dimension; A类 at or above score.threshold_a, B类 at or
 * above score.threshold_b, C类 below.
 *
 * Scoring a lead:
 *
 *	sales_score_surveys_load(dir, settings, &sv, err);   02 once, by customer
 *	rules = sales_score_rules_new(settings);              the settings once
 *	sales_score_lead(rules, sv, lead_values, "01-leads.csv:3", explain, &sc);
 *
 * Customers are matched between 01 and 02 by their name with surrounding
 * blanks trimmed, as the workbook model does.  Nothing here prints.
 */
#ifndef SALES_SCORE_H
#define SALES_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "settings.h"

enum { SALES_SCORE_INDUSTRY, SALES_SCORE_SIZE, SALES_SCORE_BUDGET,
       SALES_SCORE_CHAIN, SALES_SCORE_NDIMS };

/* "industry", "size", "budget", "chain" (JSON and CSV keys). */
extern const char *const sales_score_dim_keys[SALES_SCORE_NDIMS];
/* 行业, 规模, 预算, 决策链 (table headers). */
extern const char *const sales_score_dim_names[SALES_SCORE_NDIMS];

/* What a customer's rows say about budget and decision chain.  Strings are
 * copies (cut to fit), so facts outlive the rows they came from. */
struct sales_score_facts {
	int nsurveys;              /* 02 rows seen */
	bool budget_known;
	double budget;             /* 元: the largest amount stated */
	char budget_text[64];      /* the cell it came from */
	char budget_where[48];     /* "02-surveys.csv:2" */
	int budget_stated;         /* rows stating an amount */
	int budget_unknown;        /* rows saying 待确认 or similar */
	int chain;                 /* 0 none, 1 written, 2 names a final decider */
	char chain_text[128];
	char chain_where[48];
	char decider[32];          /* the decider it ends in */
	bool marked;               /* a note says the decision maker is unknown */
	char mark[64];
	char mark_where[64];       /* "01-leads.csv:3 备注" */
};

void sales_score_facts_init(struct sales_score_facts *f);

/* Adds one 02 row of the customer; where ("02-surveys.csv:2") is kept for
 * the explanation. */
void sales_score_add_survey(const struct sales_settings *s,
			    struct sales_score_facts *f, const char *budget,
			    const char *chain, const char *note,
			    const char *where);

/* Adds a note (01 备注) that may say the decision maker is unknown;
 * where ("01-leads.csv:3 备注") names it in the explanation. */
void sales_score_add_note(const struct sales_settings *s,
			  struct sales_score_facts *f, const char *note,
			  const char *where);

struct sales_score {
	int points[SALES_SCORE_NDIMS];
	int max;                   /* score.max_per_dimension */
	int total;
	char grade;                /* 'A', 'B' or 'C' */
	char why[SALES_SCORE_NDIMS][320];  /* one line per dimension */
	char grade_why[160];
};

/* Scores a lead from its 行业, 企业规模 and facts. */
void sales_score_compute(const struct sales_settings *s, const char *industry,
			 const char *size, const struct sales_score_facts *f,
			 struct sales_score *out);

/* ---- the customers' 02 rows, read once ---- */

struct sales_score_surveys;

/*
 * Streams 02-surveys.csv in dir (merged-cell rows filled down) into facts
 * per customer.  A missing sheet gives an empty set.  Returns 0, or -1
 * with err.  Free with sales_score_surveys_free.
 */
int sales_score_surveys_load(const char *dir, const struct sales_settings *s,
			     struct sales_score_surveys **out,
			     struct sales_error *err);
void sales_score_surveys_free(struct sales_score_surveys *sv);

/* The facts for customer (trimmed) into *out: false when it has no 02
 * row.  (They are kept compactly, strings in one pool, and expanded
 * here.) */
bool sales_score_surveys_find(const struct sales_score_surveys *sv,
			      const char *customer,
			      struct sales_score_facts *out);

/* ---- many leads ---- */

/*
 * The scoring settings read once (the points, bands, thresholds and lists
 * above), for scoring many leads without walking the settings for each.
 * It points into s: free it (sales_score_rules_free) before s.  NULL: out
 * of memory.
 */
struct sales_score_rules;
struct sales_score_rules *sales_score_rules_new(const struct sales_settings *s);
void sales_score_rules_free(struct sales_score_rules *r);

/*
 * Scores one 01 row given by its values (v[LEAD_*]): its survey facts
 * (sv may be NULL), its 备注, and where ("01-leads.csv:3") for the
 * explanation.  Without explain the why texts are left empty (a table of
 * points and grades does not show them) and where may be NULL.
 */
void sales_score_lead(const struct sales_score_rules *r,
		      const struct sales_score_surveys *sv,
		      const char *const *v, const char *where, bool explain,
		      struct sales_score *out);

#endif
