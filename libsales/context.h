/*
 * context.h - what every command that reads a workbook shares: the folder,
 * today, the settings (sales.conf), the team roster (team.csv) and the
 * working-day calendar (holidays.csv).
 *
 * sales_context_load reads the three small files once; a missing team.csv
 * or holidays.csv is an empty roster or calendar (every year "unknown"), a
 * malformed one is an error naming the file, line and cell.
 */
#ifndef SALES_CONTEXT_H
#define SALES_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "error.h"
#include "settings.h"
#include "value.h"

struct sales_member {
	char *name;
	char *role;     /* one of sales_roles */
	char *region;   /* may be "" */
	long line;      /* in team.csv */
};

struct sales_context {
	char *dir;
	sales_date today;
	struct sales_settings *settings;
	struct sales_calendar *calendar;
	struct sales_member *team;   /* one entry per team.csv row */
	size_t nteam;
	/* team by name, then row (sales_team_standing's binary search);
	 * NULL: scanned (a context built by hand) */
	size_t *team_by_name;
	bool team_missing;           /* there is no team.csv */
	struct sales_routes *routes; /* approval-rules.csv; NULL: the seed's chain */
};

/* Loads dir's settings, team and calendar.  On failure everything loaded so
 * far is released.  Release with sales_context_release. */
int sales_context_load(struct sales_context *ctx, const char *dir,
		       sales_date today, struct sales_error *err);
void sales_context_release(struct sales_context *ctx);

/*
 * Where name stands in the roster for one of roles[0..nroles) (nroles 0:
 * any member).  Every check of a person against team.csv goes through
 * sales_team_standing or sales_team_require, so a missing team.csv is named
 * as missing everywhere, never answered with "'X' is not a … in team.csv".
 */
enum sales_team_standing {
	SALES_TEAM_OK,          /* name holds one of the roles */
	SALES_TEAM_NO_FILE,     /* there is no team.csv */
	SALES_TEAM_UNKNOWN,     /* name is not in team.csv */
	SALES_TEAM_OTHER_ROLE,  /* in team.csv, holding none of the roles */
};
/* *who (when who is not NULL) is name's first row, or NULL. */
enum sales_team_standing sales_team_standing(const struct sales_context *ctx,
					     const char *name,
					     const char *const *roles,
					     size_t nroles,
					     const struct sales_member **who);
/*
 * 0 when name holds one of roles (nroles 0: is in team.csv); else -1 with
 * err, SALES_ERULE: "team.csv is missing, so 'X' cannot be confirmed as a R
 * ('sales init --missing' writes an empty one to fill in)", "'X' is not in
 * team.csv" or "'X' is not a R in team.csv (its 角色 there: R2)".  Roles
 * are joined with "or".  why (translated here), when not NULL, follows a
 * colon after the last two (e.g. "proposals are reviewed by a 销售主管").
 */
int sales_team_require(const struct sales_context *ctx, const char *name,
		       const char *const *roles, size_t nroles,
		       const char *why, struct sales_error *err);

/* The approval route of a contract (route.h), or NULL with err when no
 * row of approval-rules.csv applies. */
struct sales_route_facts;
const struct sales_route *sales_contract_route(const struct sales_context *ctx,
					       const struct sales_route_facts *f,
					       struct sales_error *err);

/*
 * Checks value for setting key by its type and range before `sales config`
 * writes it: day counts and weights are whole numbers in a range
 * (deadline.proposal_days 0..365, score.threshold_a 0..100, …),
 * floor.max_discount a percentage 0%..100%, csv.encoding an encoding
 * --encoding takes, ui.language auto or a locale name.  A blank value is
 * fine only where it removes a band or industry (score.*).  Keys it does
 * not know pass.  Returns 0, or -1 with err: SALES_EVALUE when the value
 * is not of the type, SALES_ERULE when it is out of range.
 */
int sales_setting_check(const char *key, const char *value,
			struct sales_error *err);

/* A setting as a whole number (the defaults live in settings.c). */
long sales_setting_int(const struct sales_context *ctx, const char *key);

#endif
