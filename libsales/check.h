/*
 * check.h - `sales check`: every rule of SPEC §4 as a named check over the
 * whole workbook, in one pass.
 *
 * sales_check_run loads the workbook through the model (model.h), which
 * streams each sheet once; a row hook applies the per-row rules (values,
 * injection, duplicates, approvals, order, the stage and gate rules at a
 * customer's first row in a sheet) while the row passes, and the
 * per-customer rules (deadlines, payments, stalled leads, after-sales,
 * timeliness) run over the compact model afterwards.  No row is kept:
 * memory grows with customers, contracts, follow-ups and (without the
 * stream option, which sends them through sorted runs in a temporary file,
 * findrun.h) findings, never with cells.  08-kpi.csv, team.csv,
 * approval-rules.csv and targets.csv, which the model does not read, are
 * streamed once for the cell rules (values, injection; targets.csv's under
 * the targets check).
 *
 * Every finding names its check, severity, file, physical line, 1-based
 * column, Excel cell and customer.  An approved exception (exceptions.csv,
 * approver a 销售经理 in team.csv, with a reason) that turns a breach into a
 * pass gives a note naming the exception instead of the breach.
 *
 * Nothing here prints.  Strings in a result live as long as the result.
 */
#ifndef SALES_CHECK_H
#define SALES_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "context.h"
#include "error.h"
#include "schema.h"
#include "value.h"

enum sales_check_id {
	SALES_CHECK_STAGES,      /* no stage skipped (§1, rule 1) */
	SALES_CHECK_ORDER,       /* dates in process order */
	SALES_CHECK_SCREENING,   /* rule 2 */
	SALES_CHECK_PROPOSAL,    /* rule 3 */
	SALES_CHECK_APPROVALS,   /* rule 4 */
	SALES_CHECK_GATES,       /* rule 5 */
	SALES_CHECK_PAYMENTS,    /* rule 6 */
	SALES_CHECK_STALLED,     /* rule 7 */
	SALES_CHECK_AFTERSALES,  /* rule 8 */
	SALES_CHECK_TIMELINESS,  /* rule 9 */
	SALES_CHECK_REFS,        /* rule 10: references resolve */
	SALES_CHECK_VALUES,      /* rule 10: required cells, values parse */
	SALES_CHECK_DUPLICATES,  /* unique keys of 01 and 04 */
	SALES_CHECK_INJECTION,   /* cells that would run as formulas (§3) */
	SALES_CHECK_EXCEPTIONS,  /* exceptions that do not count */
	SALES_CHECK_CSV,         /* cells read as Excel reads them, not strict CSV */
	SALES_CHECK_FLOOR,       /* 谈判底线 (floor.h) */
	SALES_CHECK_POOL,        /* pool.h: leads about to return to 公海 */
	SALES_CHECK_DAMAGE,      /* damage.h: cells a spreadsheet changed from
				  * what sales wrote (audit.csv) */
	SALES_CHECK_TARGETS,     /* targets.csv cells (targets.h) */
	SALES_CHECK_CHANGE,      /* changes.h: moved plans, changed amounts */
	SALES_NCHECKS
};

enum sales_severity {
	SALES_SEV_ERROR,
	SALES_SEV_WARNING,
	SALES_SEV_NOTE,   /* a breach an approved exception allows; not counted */
	SALES_SEV_INFO,   /* a deadline met (only with explain); not counted */
};

struct sales_check_def {
	const char *name;              /* "approvals" */
	enum sales_severity severity;  /* the default severity */
	const char *rule;              /* "SPEC §4 rule 4" */
	const char *summary;           /* one line, for `sales check --list` */
};

/* The checks, indexed by enum sales_check_id. */
extern const struct sales_check_def sales_check_defs[SALES_NCHECKS];

/* The check named name, or -1. */
int sales_check_find(const char *name);

/* "error", "warning", "note", "info". */
const char *sales_severity_name(enum sales_severity s);

struct sales_finding {
	enum sales_check_id check;
	enum sales_severity severity;
	enum sales_sheet_id sheet;
	const char *file;       /* "04-contracts.csv" */
	long line;              /* physical line in the file, 1-based */
	long excel_row;         /* the row Excel shows */
	int column;             /* 1-based column in the file */
	char cell[32];          /* "H3" */
	const char *customer;   /* "" when the finding has none */
	const char *message;
	const char *explain;    /* deadline arithmetic (options.explain), or NULL */
	const char *excerpt;    /* the row, shortened (sales_check_excerpts), or NULL */
};

struct sales_check_options {
	unsigned checks;     /* bit (1u << id) per check to run; 0 runs them all */
	sales_date as_of;    /* SALES_DATE_NONE: ctx->today */
	bool strict;         /* warnings count as errors */
	bool explain;        /* fill explain, and add an info finding for each
			      * deadline met */
	/* narrowing (NULL: everyone): only the findings of the customer
	 * named (resolved as `sales status` does: the exact name, else the
	 * same name key), or of the customers whose 负责人 is owner */
	const char *customer;
	const char *owner;
	/* the findings may wait in a temporary file, so memory does not grow
	 * with their number: read them with sales_check_next (findings is
	 * then NULL); without customer or owner only.  spill_at: findings
	 * held before they go to the file (0: 16384; tests use a few) */
	bool stream;
	size_t spill_at;
};

enum sales_check_match {
	SALES_CHECK_MATCHED = 0,   /* no narrowing, or the name resolved */
	SALES_CHECK_UNKNOWN,       /* no such customer (or owner) */
	SALES_CHECK_AMBIGUOUS,     /* the name matches several customers */
};

struct sales_findrun;

struct sales_check_result {
	struct sales_finding *findings;  /* sorted: sheet (01..08, team,
					  * exceptions), line, column, check;
					  * NULL when options.stream spilled */
	size_t nfindings;
	size_t errors, warnings, notes;  /* after strict */
	size_t ncustomers;               /* customers in the workbook (the
					  * ones narrowed to) */
	enum sales_check_match match;    /* for options customer, owner: when
					  * not MATCHED there are no findings */
	char suggestion[256];            /* the nearest name, or "" */
	char why[640];                   /* customer not MATCHED: the
					  * resolver's message (resolve.h) */
	char matched[256];               /* the customer or owner resolved */
	/* internal */
	struct sales_buf text, excerpts;
	struct sales_findrun *runs;   /* options.stream, when it spilled */
	size_t next;                  /* sales_check_next over findings */
};

/*
 * Runs the checks of opt on ctx's workbook.  Returns 0 with res filled
 * (release it with sales_check_result_release), or -1 with err when a sheet
 * cannot be read (res is then empty).
 */
int sales_check_run(const struct sales_context *ctx,
		    const struct sales_check_options *opt,
		    struct sales_check_result *res, struct sales_error *err);

/*
 * Fills each finding's excerpt with its row (cells joined by ',', cut to
 * about width display columns), reading each file that has findings once
 * more.  For display only: sales_check_run itself keeps no rows.  Returns
 * 0, or -1 with err.
 */
int sales_check_excerpts(struct sales_check_result *res, const char *dir,
			 int width, struct sales_error *err);

/*
 * The findings in their order, one per call, whether they are in findings
 * or (options.stream) in a temporary file: *f is valid until the next call
 * or the release.  Returns 1, 0 after the last (the walk is done once), or
 * -1 with err when the temporary file cannot be read.
 */
int sales_check_next(struct sales_check_result *res,
		     const struct sales_finding **f, struct sales_error *err);

void sales_check_result_release(struct sales_check_result *res);

/*
 * The same checks on a load the caller makes (`sales status`: its story
 * and its problems from one load of the workbook).  Open a session with
 * the options, give sales_model_load_prep a row hook that passes every
 * row to sales_check_session_row and sales_check_session_prep as the prep
 * hook (the session is its argument), then finish on the model loaded.
 * options.stream is ignored (the findings are held).
 *
 * With options.customer (the name as typed), candidate says of each row
 * of a customer whether that customer could be the one named (resolve.h:
 * sales_resolver_match over its name); only those rows are judged, the
 * others feed what later rows read.  finish's customer is the model's name
 * of the customer the caller resolved it to (NULL: options.customer), one
 * of the candidates.  The result is sales_check_run's for that customer.
 */
struct sales_check_session;
struct sales_model;
struct sales_row_event;
struct sales_row_prep;
struct sales_colmap;
struct sales_record;

int sales_check_session_open(struct sales_check_session **out,
			     const struct sales_context *ctx,
			     const struct sales_check_options *opt,
			     struct sales_error *err);
/* Returns non-zero with err to stop the load (a sales_row_hook's return). */
int sales_check_session_row(struct sales_check_session *s,
			    const struct sales_row_event *ev, bool candidate,
			    struct sales_error *err);
/* A sales_prep_hook (model.h); session is the session. */
void sales_check_session_prep(void *session, enum sales_sheet_id id,
			      const struct sales_colmap *map,
			      const struct sales_record *rec,
			      struct sales_row_prep *p);
/* Returns 0 with res filled (release it), or -1 with err. */
int sales_check_session_finish(struct sales_check_session *s,
			       const struct sales_model *m, const char *customer,
			       struct sales_check_result *res,
			       struct sales_error *err);
void sales_check_session_close(struct sales_check_session *s);

#endif
