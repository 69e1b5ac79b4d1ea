/*
 * resolve.h - the one customer resolver: what customer does a name a
 * person typed mean?  Every command that names a customer asks here
 * (status, lead set, lead rename, score, the stage add commands, exception
 * add, check --customer), so a name resolves the same way everywhere.
 *
 * The name typed is compared with each candidate, best match first:
 *
 *   1. exact       - equal once surrounding blanks are trimmed (sales_trim);
 *   2. key         - the same customer-name key (text.h sales_name_key:
 *                    科技 is 科技有限公司, 华瑞精密机械有限責任公司 is
 *                    华瑞精密机械有限公司);
 *   3. prefix      - the typed key starts a candidate's key, or the
 *                    typed name starts the name (华瑞 and 华瑞精密机械有 for
 *                    华瑞精密机械有限公司);
 *   4. substring   - the same inside the key or the name (精密 for
 *                    华瑞精密机械有限公司); at least two characters.
 *
 * The best level that matches decides.  It resolves when exactly one
 * customer (one distinct name) matches at that level; when several do,
 * the name is ambiguous and nothing resolves (no guessing between two
 * customers); when none does, it is unknown, and the nearest names by
 * edit distance (at most a third of the name, at least 2) are kept for a
 * "did you mean".  Both are exit 1 (SALES_ENAME) - never a hint about a
 * stage, which only makes sense for a customer that resolved.
 *
 * Feeding is streaming: the resolver keeps the typed name, the best
 * match so far and a few names for the message, not the candidates.
 * Nothing here prints.
 */
#ifndef SALES_RESOLVE_H
#define SALES_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

struct sales_model;

enum sales_match {
	SALES_MATCH_NONE = 0,
	SALES_MATCH_SUBSTRING,
	SALES_MATCH_PREFIX,
	SALES_MATCH_KEY,
	SALES_MATCH_EXACT,
};

#define SALES_RESOLVE_SHOWN 4   /* names kept for a message */

struct sales_resolver {
	const char *want;             /* the typed name, trimmed (points into it) */
	size_t want_len;
	char want_key[512];
	size_t key_chars;             /* code points of want_key */
	enum sales_match best;        /* the best level seen */
	long id;                      /* first id at the best level, -1 */
	long other;                   /* an id at the best level with another name, -1 */
	long same;                    /* another id at the best level with the same name, -1 */
	size_t nbest;                 /* distinct names at the best level (counted up to SHOWN + 1) */
	size_t best_off[SALES_RESOLVE_SHOWN]; /* their names, in pool */
	int near_dist[3];             /* the nearest names when nothing matches */
	size_t near_off[3];
	long near_id[3];
	size_t nnear;
	struct sales_buf pool;
};

/* Starts resolving want (the resolver points into it: keep it alive). */
void sales_resolver_init(struct sales_resolver *r, const char *want);

/* How name matches the typed name (no state changes). */
enum sales_match sales_resolver_match(const struct sales_resolver *r,
				      const char *name);

/* Offers candidate name with the caller's id (a row, a customer index).
 * Blank names are ignored.  Returns 0, or -1 on ENOMEM. */
int sales_resolver_feed(struct sales_resolver *r, const char *name, long id);

/*
 * The id the name resolves to, or -1 (unknown or ambiguous).  *how (may be
 * NULL) is the level it matched at (SALES_MATCH_NONE when unknown).
 * *duplicate (may be NULL) is true when another row had the very same
 * name at that level (a name written twice): the result is the first.
 */
long sales_resolver_result(const struct sales_resolver *r,
			   enum sales_match *how, bool *duplicate);

/* The name the result matched (valid until the next feed), or NULL. */
const char *sales_resolver_name(const struct sales_resolver *r);

/* For a "did you mean": the id of the one match, else of the first of
 * several at the best level, else of the nearest name; -1 when none. */
long sales_resolver_hint(const struct sales_resolver *r);

/*
 * Fills err (SALES_ENAME) when the name did not resolve, and returns -1:
 *   "no customer named 'X' in 01-leads.csv; did you mean 'A' or 'B'?"
 *   "'X' could be more than one customer in 01-leads.csv: 'A', 'B' or 'C'; give more of the name"
 * what is "customer" or "lead", where a file name (may be NULL).  Returns
 * 0 and leaves err alone when it resolved.
 */
int sales_resolver_error(const struct sales_resolver *r, const char *what,
			 const char *where, struct sales_error *err);

void sales_resolver_release(struct sales_resolver *r);

/*
 * Resolves name among the model's customers (leads_only: those with a row
 * in 01-leads.csv, as a writer needs; else every customer any sheet
 * names).  Returns the customer's index, or -1 with err (SALES_ENAME, or
 * SALES_ENOMEM).  *how as for sales_resolver_result.
 */
long sales_resolve_customer(const struct sales_model *m, const char *name,
			    bool leads_only, enum sales_match *how,
			    struct sales_error *err);

/*
 * The same among the leads of the workbook in dir, as
 * sales_resolve_customer(m, name, true, ...) answers on a model of it,
 * streaming 01-leads.csv once and keeping none of it (a writing command
 * then loads its customer's rows alone, model.h sales_model_load_one).
 * Returns the physical line of the lead's first row in 01, with *as (its
 * length reset first) the name as 01 writes it, trimmed; -1 with err
 * (SALES_ENAME) when the name does not resolve; -2 with err when 01
 * cannot be read.
 */
long sales_resolve_lead(const char *dir, const char *name,
			enum sales_match *how, struct sales_buf *as,
			struct sales_error *err);

#endif
