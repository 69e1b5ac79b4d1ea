#include "context.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "text.h"
#include "route.h"
#include "workbook.h"

static const struct sales_member *sort_team;   /* for by_name only */

static int by_name(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_team[i].name, sort_team[j].name);

	return c ? c : (i > j) - (i < j);
}

/* The roster by name, so that a check of a cell against it is a binary
 * search, not a scan (check asks for every 负责人, 调研人 and 跟进人). */
static int index_team(struct sales_context *ctx)
{
	if (!ctx->nteam)
		return 0;
	ctx->team_by_name = malloc(ctx->nteam * sizeof(*ctx->team_by_name));
	if (!ctx->team_by_name)
		return -1;
	for (size_t i = 0; i < ctx->nteam; i++)
		ctx->team_by_name[i] = i;
	sort_team = ctx->team;
	qsort(ctx->team_by_name, ctx->nteam, sizeof(*ctx->team_by_name), by_name);
	sort_team = NULL;
	return 0;
}

static int load_team(struct sales_context *ctx, struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	size_t cap = 0;
	int rc;

	if (!sales_sheet_exists(ctx->dir, SALES_TEAM)) {
		ctx->team_missing = true;
		return 0;
	}
	if (sales_sheet_open(ctx->dir, SALES_TEAM, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		struct sales_member *m;
		const char *name = rec->v[TEAM_NAME], *role = rec->v[TEAM_ROLE];
		size_t nlen = strlen(name);

		name = sales_trim(name, &nlen);
		if (!nlen)
			continue;
		if (sales_enum_canonical(sales_roles, role)) {
			role = sales_enum_canonical(sales_roles, role);
		} else {
			const struct sales_colmap *map = sales_sheet_colmap(r);

			sales_error_set(err, SALES_EVALUE, "team.csv",
					rec->row->line, map->file_col[TEAM_ROLE] + 1,
					"unknown role '%s' for '%.*s' (expected 销售代表, 销售主管, 销售经理, 产品专家, 技术支持, 法务, 总经理, 交付团队 or 售后专员)",
					role, (int)nlen, name);
			sales_error_set_cell(err, map->file_col[TEAM_ROLE] + 1,
					     rec->row->excel_row);
			sales_sheet_close(r);
			return -1;
		}
		if (SALES_ALLOC_GROW(ctx->team, ctx->nteam + 1, cap) < 0)
			goto nomem;
		m = &ctx->team[ctx->nteam];
		m->name = strndup(name, nlen);
		m->role = strdup(role);
		m->region = strdup(rec->v[TEAM_REGION]);
		m->line = rec->row->line;
		ctx->nteam++;
		if (!m->name || !m->role || !m->region)
			goto nomem;
	}
	sales_sheet_close(r);
	if (rc >= 0 && index_team(ctx) < 0)
		return sales_error_set(err, SALES_ENOMEM, "team.csv", 0, 0,
				       "out of memory");
	return rc;
nomem:
	sales_sheet_close(r);
	return sales_error_set(err, SALES_ENOMEM, "team.csv", 0, 0,
			       "out of memory");
}

static int load_holidays(struct sales_context *ctx, struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	int rc;

	if (!sales_sheet_exists(ctx->dir, SALES_HOLIDAYS))
		return 0;
	if (sales_sheet_open(ctx->dir, SALES_HOLIDAYS, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		const struct sales_colmap *map = sales_sheet_colmap(r);
		const char *d = rec->v[HOL_DATE], *t = rec->v[HOL_TYPE];
		sales_date date;
		int col = 0;

		if (sales_parse_date(d, strlen(d), &date) != SALES_VALUE_OK)
			col = HOL_DATE;
		else if (strcmp(t, "休") && strcmp(t, "班"))
			col = HOL_TYPE;
		else {
			if (sales_calendar_add(ctx->calendar, date,
					       !strcmp(t, "休") ? SALES_DAY_OFF :
					       SALES_DAY_WORK,
					       rec->v[HOL_NAME]) < 0) {
				sales_sheet_close(r);
				return sales_error_set(err, SALES_ENOMEM,
						       "holidays.csv", 0, 0,
						       "out of memory");
			}
			continue;
		}
		sales_error_set(err, SALES_EVALUE, "holidays.csv",
				rec->row->line, map->file_col[col] + 1,
				col == HOL_DATE ? "'%s' is not a date" :
				N_("'%s' is neither 休 (day off) nor 班 (make-up working day)"),
				col == HOL_DATE ? d : t);
		sales_error_set_cell(err, map->file_col[col] + 1,
				     rec->row->excel_row);
		sales_sheet_close(r);
		return -1;
	}
	sales_sheet_close(r);
	return rc;
}

/* csv.encoding: how every sheet is read unless --encoding says otherwise */
static int apply_encoding(struct sales_context *ctx, struct sales_error *err)
{
	const char *v = sales_settings_get(ctx->settings, "csv.encoding");
	enum sales_encoding enc;

	if (!v)
		return 0;
	if (sales_encoding_parse(v, &enc) < 0)
		return sales_error_set(err, SALES_EPARSE, SALES_SETTINGS_FILE,
				       0, 0,
				       _("csv.encoding: unknown encoding '%s' (expected auto, utf-8, gbk or gb18030)"),
				       v);
	sales_set_default_encoding(enc, false);
	return 0;
}

int sales_context_load(struct sales_context *ctx, const char *dir,
		       sales_date today, struct sales_error *err)
{
	char *conf;

	memset(ctx, 0, sizeof(*ctx));
	ctx->today = today;
	ctx->dir = strdup(dir);
	ctx->calendar = sales_calendar_new();
	conf = sales_path_join(dir, SALES_SETTINGS_FILE);
	if (!ctx->dir || !ctx->calendar || !conf) {
		free(conf);
		sales_context_release(ctx);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	}
	if (sales_settings_load(conf, &ctx->settings, err) < 0 ||
	    apply_encoding(ctx, err) < 0 ||
	    load_team(ctx, err) < 0 || load_holidays(ctx, err) < 0 ||
	    sales_routes_load(dir, &ctx->routes, err) < 0) {
		if (err && !strcmp(err->file, conf))
			snprintf(err->file, sizeof(err->file), "%s",
				 SALES_SETTINGS_FILE);
		free(conf);
		sales_context_release(ctx);
		return -1;
	}
	free(conf);
	return 0;
}

void sales_context_release(struct sales_context *ctx)
{
	for (size_t i = 0; i < ctx->nteam; i++) {
		free(ctx->team[i].name);
		free(ctx->team[i].role);
		free(ctx->team[i].region);
	}
	free(ctx->team);
	free(ctx->team_by_name);
	sales_routes_free(ctx->routes);
	sales_calendar_free(ctx->calendar);
	sales_settings_free(ctx->settings);
	free(ctx->dir);
	memset(ctx, 0, sizeof(*ctx));
}

enum sales_team_standing sales_team_standing(const struct sales_context *ctx,
					     const char *name,
					     const char *const *roles,
					     size_t nroles,
					     const struct sales_member **who)
{
	const struct sales_member *first = NULL;
	size_t lo = 0, hi = ctx->nteam;

	if (who)
		*who = NULL;
	if (ctx->team_missing)
		return SALES_TEAM_NO_FILE;
	if (ctx->team_by_name) {
		/* the first row of name, then its others in file order */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(ctx->team[ctx->team_by_name[mid]].name, name) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		hi = ctx->nteam;
	}
	for (size_t k = lo; k < hi; k++) {
		size_t i = ctx->team_by_name ? ctx->team_by_name[k] : k;

		if (strcmp(ctx->team[i].name, name)) {
			if (ctx->team_by_name)
				break;
			continue;
		}
		if (!first)
			first = &ctx->team[i];
		for (size_t r = 0; r < nroles; r++)
			if (!strcmp(ctx->team[i].role, roles[r])) {
				if (who)
					*who = first;
				return SALES_TEAM_OK;
			}
	}
	if (who)
		*who = first;
	if (!first)
		return SALES_TEAM_UNKNOWN;
	return nroles ? SALES_TEAM_OTHER_ROLE : SALES_TEAM_OK;
}

int sales_team_require(const struct sales_context *ctx, const char *name,
		       const char *const *roles, size_t nroles,
		       const char *why, struct sales_error *err)
{
	const struct sales_member *who;
	char r[256] = "", w[256] = "";
	size_t len = 0;

	switch (sales_team_standing(ctx, name, roles, nroles, &who)) {
	case SALES_TEAM_OK:
		return 0;
	case SALES_TEAM_NO_FILE:
		break;
	case SALES_TEAM_UNKNOWN:
	case SALES_TEAM_OTHER_ROLE:
		if (why && *why)
			snprintf(w, sizeof(w), ": %s", _(why));
		break;
	}
	for (size_t i = 0; i < nroles && len < sizeof(r); i++)
		len += (size_t)snprintf(r + len, sizeof(r) - len, "%s%s",
					!i ? "" : i + 1 < nroles ? ", " : _(" or "),
					roles[i]);
	if (ctx->team_missing && nroles)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       "team.csv is missing, so '%s' cannot be confirmed as a %s ('sales init --missing' writes an empty one to fill in)",
				       name, r);
	if (ctx->team_missing)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       "team.csv is missing, so '%s' cannot be confirmed as a team member ('sales init --missing' writes an empty one to fill in)",
				       name);
	if (!who)
		return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
				       "'%s' is not in team.csv%s", name, w);
	return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
			       "'%s' is not a %s in team.csv (its 角色 there: %s)%s",
			       name, r, who->role, w);
}

const struct sales_route *sales_contract_route(const struct sales_context *ctx,
					       const struct sales_route_facts *f,
					       struct sales_error *err)
{
	return sales_route_for(ctx->routes, f, err);
}

long sales_setting_int(const struct sales_context *ctx, const char *key)
{
	return sales_settings_get_int(ctx->settings, key, 0);
}

/* ---- what each setting may hold (sales config) ---- */

enum setting_type {
	SET_COUNT,      /* a whole number lo..hi */
	SET_POINTS,     /* a whole number lo..hi, or empty (a band removed) */
	SET_PERCENT,    /* 0..100% */
	SET_ENCODING,   /* what --encoding takes */
	SET_LANGUAGE,   /* auto, or a locale name: zh_CN, en */
	SET_COLOR,      /* auto, always, never */
	SET_TEXT,       /* anything */
};

/* Keys by exact name, or by family when the name ends in '.' or '_'. */
static const struct {
	const char *key;
	enum setting_type type;
	long lo, hi;
} setting_types[] = {
	{ "csv.encoding", SET_ENCODING, 0, 0 },
	{ "deadline.screening_days", SET_COUNT, 0, 365 },
	{ "deadline.proposal_days", SET_COUNT, 0, 365 },
	{ "payment.remind_days", SET_COUNT, 0, 365 },
	{ "payment.collection_days", SET_COUNT, 0, 365 },
	{ "stalled.days", SET_COUNT, 1, 365 },
	{ "aftersales.interval_days", SET_COUNT, 1, 3650 },
	{ "aftersales.warranty_days", SET_COUNT, 0, 3650 },
	{ "timeliness.entry_hours", SET_COUNT, 1, 8760 },
	{ "ui.language", SET_LANGUAGE, 0, 0 },
	{ "ui.color", SET_COLOR, 0, 0 },
	{ "score.threshold_a", SET_COUNT, 0, 100 },
	{ "score.threshold_b", SET_COUNT, 0, 100 },
	{ "score.max_per_dimension", SET_COUNT, 0, 100 },
	{ "score.chain.deciders", SET_TEXT, 0, 0 },
	{ "score.chain.unknown_marks", SET_TEXT, 0, 0 },
	{ "score.industry.", SET_POINTS, 0, 100 },
	{ "score.size.employees_", SET_POINTS, 0, 100 },
	{ "score.size.revenue_", SET_POINTS, 0, 100 },
	{ "score.budget.amount_", SET_POINTS, 0, 100 },
	{ "score.", SET_POINTS, 0, 100 },
	{ "scorecard.", SET_COUNT, 0, 100 },
	{ "floor.max_discount", SET_PERCENT, 0, 0 },
	{ "floor.min_duration_days", SET_COUNT, 0, 3650 },
	{ "pool.recall_days_", SET_POINTS, 1, 365 },
	{ "pool.", SET_COUNT, 0, 1000 },
};

static bool language_name(const char *v)
{
	size_t n = 0;

	if (!strcmp(v, "auto"))
		return true;
	while (v[n] >= 'a' && v[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return false;
	if (v[n] == '_' || v[n] == '-') {
		if (!(v[n + 1] >= 'A' && v[n + 1] <= 'Z' && v[n + 2] >= 'A' &&
		      v[n + 2] <= 'Z'))
			return false;
		n += 3;
	}
	if (v[n] == '.')
		return v[n + 1] != '\0';
	return v[n] == '\0';
}

int sales_setting_check(const char *key, const char *value,
			struct sales_error *err)
{
	size_t len = strlen(value);
	const char *v = sales_trim(value, &len);
	enum sales_encoding enc;
	double pct;
	long n;

	for (size_t i = 0; i < sizeof(setting_types) / sizeof(setting_types[0]); i++) {
		const char *k = setting_types[i].key;
		size_t kl = strlen(k);
		bool family = k[kl - 1] == '.' || k[kl - 1] == '_';

		if (family ? strncasecmp(key, k, kl) : strcasecmp(key, k))
			continue;
		switch (setting_types[i].type) {
		case SET_POINTS:
			if (!len)
				return 0;
			/* fall through */
		case SET_COUNT:
			if (sales_parse_int(v, len, &n) != SALES_VALUE_OK)
				return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
						       _("%s: '%s' is not a whole number"),
						       key, value);
			if (n < setting_types[i].lo || n > setting_types[i].hi)
				return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
						       _("%s: %ld is not from %ld to %ld"),
						       key, n, setting_types[i].lo,
						       setting_types[i].hi);
			return 0;
		case SET_PERCENT:
			if (sales_parse_percent(v, len, &pct) != SALES_VALUE_OK)
				return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
						       _("%s: '%s' is not a percentage (e.g. 10%%)"),
						       key, value);
			if (pct < 0 || pct > 1)
				return sales_error_set(err, SALES_ERULE, NULL, 0, 0,
						       _("%s: '%s' is not from 0%% to 100%%"),
						       key, value);
			return 0;
		case SET_ENCODING:
			if (sales_encoding_parse(v, &enc) < 0)
				return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
						       _("%s: unknown encoding '%s' (expected auto, utf-8, gbk or gb18030)"),
						       key, value);
			return 0;
		case SET_LANGUAGE:
			if (!language_name(v))
				return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
						       _("%s: '%s' is not a language (expected auto, zh_CN or en)"),
						       key, value);
			return 0;
		case SET_COLOR:
			if (strcmp(v, "auto") && strcmp(v, "always") &&
			    strcmp(v, "never"))
				return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
						       _("%s: '%s' is not auto, always or never"),
						       key, value);
			return 0;
		case SET_TEXT:
			return 0;
		}
	}
	return 0;
}
