/*
 * stage.c - the stage commands' shared parts: sub-command dispatch (with
 * "did you mean"), the one schema-driven `add` and the date option check.
 */
#include "stage.h"

#include <stdlib.h>
#include <string.h>

#include "damage.h"
#include "facts.h"
#include "resolve.h"
#include "workbook.h"

int run_subcommand(int argc, const char **argv, struct sales_ctx *ctx,
		   const struct subcommand *subs, const char *const *usage)
{
	static char command[64];
	struct nearest near;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		print_usage(argc < 2 ? stderr : stdout, usage, NULL);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	nearest_init(&near, argv[1]);
	for (const struct subcommand *s = subs; s->name; s++) {
		if (strcmp(s->name, argv[1])) {
			nearest_try(&near, s->name);
			continue;
		}
		snprintf(command, sizeof(command), "%s %s", argv[0], s->name);
		ctx->command = command;
		return s->fn(argc - 1, argv + 1, ctx);
	}
	unknown_subcommand(argv[0], argv[1], near.pick);
	print_usage(stderr, usage, NULL);
	return EXIT_USAGE;
}

int report_missing_row(const struct sales_sheet_table *st, int col,
		       const char *what, const char *key)
{
	const char *near;
	size_t nrows = sales_table_rows(st->table);

	/* 0012 asked for, 12 in the sheet: a spreadsheet's damage (damage.h) */
	for (size_t r = 0; r < nrows; r++) {
		const char *have = sales_sheet_table_get(st, r, col);
		enum sales_damage_kind kind = sales_damage_judge(key, have, false);
		int fc = st->map.file_col[col];
		char letters[8];

		if (kind == SALES_DAMAGE_ZEROS || kind == SALES_DAMAGE_DIGITS) {
			error_msg("no %s '%s' in %s, but %s:%s%ld holds '%s': %s; run 'sales fix damage' (it puts back what sales wrote), or type '%s' there again with an apostrophe in front",
				  _(what), key, st->def->file, st->def->file,
				  sales_column_letters(fc >= 0 ? fc + 1 : 1, letters),
				  sales_table_excel_row(st->table, r), have,
				  sales_damage_text(kind), key);
			return EXIT_PROBLEMS;
		}
	}
	if (sales_entry_find_row(st, col, key, &near) < 0 && near)
		error_msg("no %s '%s' in %s; did you mean '%s'?", _(what), key,
			  st->def->file, near);
	else
		error_msg("no %s '%s' in %s", _(what), key, st->def->file);
	return EXIT_PROBLEMS;
}

int date_option(const char *opt, const char *value, sales_date today,
		sales_date *out)
{
	char buf[11];

	if (!parse_date_opt(opt, value, out))
		return EXIT_USAGE;
	if (*out > today) {
		error_msg("option '%s': '%s' lies in the future (today is %s)",
			  opt, value, sales_date_format(today, buf));
		return EXIT_PROBLEMS;
	}
	return 0;
}

/* ---- add ---- */

static const char *argh_of(const struct sales_column_def *c)
{
	static const char *const people[] = { "customer", "surveyor", "owner",
					      "rep", "by", "approver", NULL };

	if (sales_enum_has(people, c->key))
		return "NAME";
	switch (c->type) {
	case SALES_COL_DATE: return "DATE";
	case SALES_COL_DATE_RANGE: return "PERIOD";
	case SALES_COL_MONTH: return "MONTHS";
	case SALES_COL_AMOUNT: return "AMOUNT";
	case SALES_COL_AMOUNT_RANGE: return "AMOUNT";
	case SALES_COL_AMOUNT_DELTA: return "AMOUNT";
	case SALES_COL_PERCENT: return "PERCENT";
	case SALES_COL_GRADE: return "GRADE";
	case SALES_COL_PHONE: return "PHONE";
	case SALES_COL_INTEGER: return "N";
	case SALES_COL_SIZE: return "SIZE";
	case SALES_COL_QUARTER: return "QUARTER";
	case SALES_COL_DATE_PREFIX: return "PLAN";
	case SALES_COL_ENUM: return "VALUE";
	default: return "TEXT";
	}
}

/* The help line of column col: its header, its values, what it defaults to. */
static void help_of(const struct sales_sheet_def *def, int col,
		    struct sales_entry *probe, char *buf, size_t cap)
{
	const struct sales_column_def *c = &def->columns[col];
	size_t n = (size_t)snprintf(buf, cap, "%s", c->zh);

	if (c->type == SALES_COL_ENUM)
		for (size_t i = 0; c->values[i] && n < cap; i++)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s",
					      i ? (c->values[i + 1] ? _(", ") : _(" or ")) : _(": "),
					      c->values[i]);
	if (n < cap && (c->flags & SALES_COLF_REQUIRED) && !probe->v[col])
		snprintf(buf + n, cap - n, "%s", _(" (required)"));
	else if (n < cap && probe->v[col])
		snprintf(buf + n, cap - n, _(" (default: %s)"),
			 c->type == SALES_COL_DATE ? _("today") : probe->v[col]);
}

static void say_gate(const struct sales_gate *g, const char *customer)
{
	const struct sales_model_exception *x = g->exception;

	if (x) {
		note_msg("'%s' has %s; let through by the approved 跳过环节 exception for %s at exceptions.csv:%u (审批人 %s: %s)",
			 customer, g->why, g->missing, x->line, x->e.approver,
			 x->e.reason);
		return;
	}
	if (g->invalid)
		note_msg("exceptions.csv:%u: the 跳过环节 exception for %s does not count: %s",
			 g->invalid->line, g->missing, g->invalid->why_invalid);
	else if (g->missing)
		note_msg("to skip %s, a 销售经理 approves it: sales exception add --customer '%s' --type 跳过环节 --stage %s --reason TEXT --approver NAME",
			 g->missing, customer, g->missing);
}

/* Every name of a team member the row gives is in team.csv (validate.h). */
static int check_team(const struct sales_entry *e, const struct sales_context *c,
		      struct sales_error *err)
{
	struct sales_buf why = {0};
	char opt[48], where[64];

	for (size_t col = 0; col < e->def->ncolumns; col++) {
		enum sales_cell_status st = sales_cell_team_check(c, e->def->id,
			(int)col, sales_entry_get(e, (int)col), &why);

		if (st == SALES_CELL_OK)
			continue;
		snprintf(where, sizeof(where), "option '--%s'",
			 sales_entry_option(e->def, (int)col, opt, sizeof(opt)));
		sales_cell_error(st, where, &why, err);
		sales_buf_release(&why);
		return -1;
	}
	sales_buf_release(&why);
	return 0;
}

/*
 * The customer a new row names must be a lead (resolve.h, streaming 01); a
 * name that is not written as in 01 (科技 for 科技有限公司) is written as
 * in 01.  Then the workbook is loaded for that customer alone
 * (sales_entry_load).  A name that does not resolve is refused before any
 * stage gate is judged, unless rule 10's waiver lets it in.
 */
static int resolve_customer(struct sales_entry *e, int ccol,
			    const struct sales_context *c,
			    struct sales_model **m, struct sales_error *err)
{
	enum sales_match how;
	struct sales_buf as = {0};
	struct sales_error rerr;
	const char *name;
	char *typed;
	long line;
	int rc;

	*m = NULL;
	if (ccol < 0)
		return sales_entry_load(m, c, e, err);
	sales_error_clear(&rerr);
	line = sales_resolve_lead(c->dir, sales_entry_get(e, ccol), &how, &as,
				  &rerr);
	if (line == -2) {
		*err = rerr;
		sales_buf_release(&as);
		return -1;
	}
	if (line < 0) {
		/* not in 01: only by an approved 跳过环节 of 客户开发, as
		 * check allows it (facts.h) */
		const struct sales_model_exception *x, *bad;

		sales_buf_release(&as);
		if (sales_entry_load(m, c, e, err) < 0)
			return -1;
		name = sales_entry_get(e, ccol);
		x = sales_facts_unregistered(*m, sales_model_find(*m, name), name,
					     &bad);
		if (x)
			return 0;   /* the gate's note names the exception */
		*err = rerr;
		return -1;
	}
	typed = how == SALES_MATCH_EXACT ? NULL : strdup(sales_entry_get(e, ccol));
	rc = how == SALES_MATCH_EXACT ? 0 :
	     sales_entry_set(e, ccol, as.data, SALES_DATE_NONE, err);
	if (rc == 0)
		rc = sales_entry_load(m, c, e, err);
	/* the note as before, when a load under the typed name came first:
	 * not when the workbook could not be loaded or the row's key names no
	 * customer (04's 合同编号 is taken whatever the name), yes when the
	 * key with the name as 01 writes it is taken (03, 05) */
	if (how != SALES_MATCH_EXACT &&
	    (rc == 0 || (err->code == SALES_EEXIST &&
			 (e->def->id == SALES_SOLUTIONS || e->def->id == SALES_PLANS))))
		note_msg(_("'%s' is the lead '%s' (01-leads.csv:%u)"),
			 typed ? typed : "", as.data, (unsigned)line);
	free(typed);
	sales_buf_release(&as);
	return rc < 0 ? -1 : 0;
}

/* Rule 1's order for the row about to be added (facts.h), as check
 * would judge it once written. */
static int row_in_order(const struct sales_model *m, const char *customer,
			enum sales_sheet_id id, const char *const *values,
			struct sales_error *err)
{
	struct sales_record rec;
	int col;

	memset(&rec, 0, sizeof(rec));
	for (size_t i = 0; i < sales_sheet_def(id)->ncolumns; i++)
		rec.v[i] = values[i] ? values[i] : "";
	col = sales_row_date_column(id, &rec);
	return sales_facts_order(m, sales_model_find(m, customer), id, col,
				 sales_row_date(id, &rec), err);
}

int add_row(int argc, const char **argv, struct sales_ctx *ctx,
	    enum sales_sheet_id id, const char *const *usage,
	    add_check_fn check)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct opt opts[SALES_MAX_COLS + 2];
	char names[SALES_MAX_COLS][32], helps[SALES_MAX_COLS][160];
	const char *vals[SALES_MAX_COLS] = { 0 };
	struct sales_entry e, probe;
	struct sales_context c;
	struct sales_model *m = NULL;
	struct sales_error err;
	struct sales_txn t;
	struct sales_gate g;
	const char *customer;
	size_t nopts = 0;
	int n, code, status = 0, ccol = sales_column_find(def, "customer");
	int date_col = sales_entry_date_column(id);

	/* the defaults a new row gets, for the help text */
	sales_entry_init(&probe, id);
	sales_error_clear(&err);
	sales_entry_defaults(&probe, ctx->today, &err);
	for (size_t col = 0; col < def->ncolumns; col++) {
		if (sales_entry_managed(id, (int)col))
			continue;
		sales_entry_option(def, (int)col, names[nopts], sizeof(names[0]));
		help_of(def, (int)col, &probe, helps[nopts], sizeof(helps[0]));
		opts[nopts] = (struct opt)OPT_STR(0, names[nopts], &vals[col],
						  argh_of(&def->columns[col]),
						  helps[nopts]);
		nopts++;
	}
	/* the row's own date is --date in every stage; its key still works
	 * (solution add --submitted, exception add --approved) */
	if (date_col >= 0 && strcmp(def->columns[date_col].key, "date"))
		opts[nopts++] = (struct opt)OPT_ALIAS_OF(def->columns[date_col].key,
							 "date");
	opts[nopts] = (struct opt)OPT_DONE;
	sales_entry_release(&probe);

	n = parse_options(argc, argv, opts, usage, &code);
	if (n < 0)
		return code;
	if (n > 0) {
		error_msg("unexpected argument '%s' (values are given as --<column> VALUE)",
			  argv[0]);
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}

	sales_entry_init(&e, id);
	for (size_t col = 0; col < def->ncolumns; col++)
		if (vals[col] &&
		    sales_entry_set(&e, (int)col, vals[col], ctx->today, &err) < 0)
			goto report;
	if (sales_entry_defaults(&e, ctx->today, &err) < 0)
		goto report;
	if (sales_entry_complete(&e, &err) < 0) {
		error_msg("%s", err.message);
		print_usage(stderr, usage, opts);
		sales_entry_release(&e);
		return EXIT_USAGE;
	}

	if (change_begin(&t, &c, ctx, ctx->command, &err) < 0 ||
	    check_team(&e, &c, &err) < 0 ||
	    resolve_customer(&e, ccol, &c, &m, &err) < 0)
		goto fail;
	customer = sales_entry_get(&e, ccol);
	if (id >= SALES_SURVEYS && id <= SALES_FOLLOWUPS) {
		int rc = sales_gate_check(m, sales_model_find(m, customer), id,
					  customer, &g, &err);

		if (rc < 0) {
			status = report_error(&err);
			say_gate(&g, customer);
			goto out;
		}
		say_gate(&g, customer);
		if (row_in_order(m, customer, id, sales_entry_values(&e), &err) < 0)
			goto fail;
	}
	if (check && (status = check(&e, &c, m)) != 0)
		goto out;
	if (sales_txn_append(&t, id, sales_entry_values(&e), &err) < 0 ||
	    sales_entry_touch_lead(&t, &e, ctx->today, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0)
		goto fail;
	{
		struct sales_buf key = {0};

		sales_row_key(def, sales_entry_values(&e), &key);
		printf(_("added '%s' to %s\n"), key.data ? key.data : "", def->file);
		sales_buf_release(&key);
	}
	goto out;
fail:
	status = report_error(&err);
out:
	sales_model_free(m);
	change_end(&t, &c);
	sales_entry_release(&e);
	return status;
report:
	sales_entry_release(&e);
	return report_error(&err);
}
