/*
 * story.h - one customer's whole story across the workbook, for `sales
 * status`: the stage reached, every dated event of every sheet in date
 * order (changes.csv's change requests too), and the agenda: what comes
 * next and what is overdue.
 *
 * The workbook is read once (sales_model_load with a row hook that keeps
 * the rows of the customer asked for, and may pass every row on to
 * check.h's session).  The agenda is the customer's open
 * deadlines from the rulebook (facts.h: screening, proposal, payments,
 * stalled A lead, after-sales, the planned follow-up), overdue or coming
 * up, and the next step of the process (the first stage gate not passed).
 * What is broken is `sales check`'s to say: `sales status` lists its
 * findings for the customer.
 *
 * Nothing here prints.
 */
#ifndef SALES_STORY_H
#define SALES_STORY_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "error.h"
#include "model.h"
#include "schema.h"
#include "value.h"

struct sales_story_event {
	sales_date date;               /* SALES_DATE_NONE: the row has no date */
	enum sales_sheet_id sheet;
	long line;                     /* physical line in the sheet */
	char text[320];
};

enum sales_story_kind {
	SALES_STORY_OVERDUE,           /* a deadline passed */
	SALES_STORY_DUE,               /* a dated thing still ahead */
	SALES_STORY_NEXT,              /* the next step of the process */
};

struct sales_story_item {
	enum sales_story_kind kind;
	sales_date date;               /* the deadline, or SALES_DATE_NONE */
	enum sales_sheet_id sheet;     /* the sheet it concerns */
	long line;                     /* its row, 0 when none yet */
	char text[320];
};

struct sales_story {
	struct sales_model *model;
	long customer;                 /* index in model->customers, -1 */
	int stage;                     /* furthest stage sheet 0 (01) .. 6 (07), -1 */
	struct sales_story_event *events;   /* in date order, undated last */
	size_t nevents;
	struct sales_story_item *items;     /* overdue, due by date, next */
	size_t nitems, items_alloc;
	char why[640];                 /* why the name resolved to no customer */
};

/*
 * Reads ctx's workbook and tells the story of the customer named name
 * (resolve.h: exact, the same name key, a unique prefix or substring, over
 * every customer any sheet names).  Returns 0 when found, 1 when the name
 * resolves to no customer or to several (why says which, with the nearest
 * names), -1 with err when a sheet cannot be read.
 * Release with sales_story_release in every case.
 */
int sales_story_load(struct sales_story *s, const struct sales_context *ctx,
		     const char *name, struct sales_error *err);
/*
 * The same, with every row of the load also given to check (check.h's
 * session, opened with the name as typed in options.customer), so that
 * `sales status` has its story and check's findings from one load.  check
 * may be NULL.
 */
struct sales_check_session;
int sales_story_load_checked(struct sales_story *s,
			     const struct sales_context *ctx, const char *name,
			     struct sales_check_session *check,
			     struct sales_error *err);
void sales_story_release(struct sales_story *s);

/* "客户开发" ... "售后跟进" for stage sheet index 0..6. */
const char *sales_story_stage_name(int stage);

#endif
