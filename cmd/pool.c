/*
 * pool.c - `sales pool`: the lead pool (公海).  list shows the leads in it
 * and the ones about to return; recall returns the leads past their recall
 * date; claim and assign give one to a rep.  When a lead recalls, the
 * cooldown and the limits are libsales/pool.h's (one evaluation, read by
 * check, due and status too).
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "context.h"
#include "entry.h"
#include "facts.h"
#include "i18n.h"
#include "model.h"
#include "pool.h"
#include "resolve.h"
#include "txn.h"
#include "workbook.h"

static const char *const pool_usage[] = {
	"sales pool [list] [--as-of DATE] [--format table|csv|tsv|json|md]",
	"sales pool recall [--dry-run]",
	"sales pool claim <customer> --by REP [--dry-run]",
	"sales pool assign <customer> --to REP [--dry-run]",
	NULL,
};

/* The workbook as the rules see it: model, rulebook, pool settings. */
struct pool_view {
	struct sales_model *m;
	struct sales_rulebook *rb;
	struct sales_pool_rules rules;
	struct sales_facts f;
};

static int view_open(struct pool_view *v, const struct sales_context *c,
		     struct sales_error *err)
{
	memset(v, 0, sizeof(*v));
	sales_facts_init(&v->f);
	if (sales_pool_rules_load(c, &v->rules, err) < 0 ||
	    sales_model_load(&v->m, c, SALES_MODEL_ALL, NULL, NULL, err) < 0 ||
	    sales_rulebook_open(&v->rb, v->m, err) < 0)
		return -1;
	return 0;
}

static void view_close(struct pool_view *v)
{
	sales_facts_release(&v->f);
	sales_rulebook_close(v->rb);
	sales_model_free(v->m);
}

/* Customer c's recall deadline, or NULL. */
static const struct sales_deadline *recall_of(struct pool_view *v, size_t c,
					      struct sales_error *err, int *rc)
{
	*rc = sales_facts_eval(v->rb, (long)c, SALES_FACTS_ALL, &v->f, err);
	if (*rc < 0)
		return NULL;
	for (size_t i = 0; i < v->f.ndeadlines; i++)
		if (v->f.deadlines[i].kind == SALES_RULE_POOL)
			return &v->f.deadlines[i];
	return NULL;
}

/* ---- list ---- */

static int pool_list(int argc, const char **argv, struct sales_ctx *ctx)
{
	enum out_format fmt = FMT_TABLE;
	const struct opt opts[] = {
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMTS_TABLE),
		OPT_DONE,
	};
	struct sales_pool_history *h = NULL;
	struct sales_context c;
	struct sales_error err;
	struct pool_view v;
	struct table t;
	int n, code, status = 0, rc;
	const char *head[] = { N_("客户名称"), N_("线索等级"), N_("状态"),
			       N_("负责人"), N_("原负责人"), N_("最后跟进"),
			       N_("日期"), N_("说明") };

	n = parse_options(argc, argv, opts, pool_usage, &code);
	if (n < 0)
		return code;
	if (n > 0) {
		error_msg(_("pool list takes no arguments ('%s')"), argv[0]);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (sales_context_load(&c, ctx->dir, ctx->today, &err) < 0)
		return report_error(&err);
	table_init(&t, 8);
	if (view_open(&v, &c, &err) < 0 ||
	    sales_pool_history_load(ctx->dir, &h, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	{
		const char *hdr[8];

		for (int i = 0; i < 8; i++)
			hdr[i] = fmt == FMT_TABLE || fmt == FMT_MD ? _(head[i]) :
				 (const char *[]){ "customer", "grade", "state",
						   "owner", "former_owner",
						   "last_contact", "date",
						   "note" }[i];
		table_add(&t, hdr);
	}
	for (size_t i = 0; i < v.m->ncustomers; i++) {
		const struct sales_customer *k = &v.m->customers[i];
		const struct sales_deadline *d;
		char g[8], last[11] = "", date[11] = "", note[200] = "";
		const char *state, *row[8];
		bool in_pool = k->status == SALES_LEAD_POOL;

		if (!k->lead_line)
			continue;
		d = recall_of(&v, i, &err, &rc);
		if (rc < 0) {
			status = report_error(&err);
			goto out;
		}
		if (in_pool) {
			sales_date on = sales_pool_recalled_on(h, sales_model_str(v.m, k->name));

			state = "公海";
			if (on != SALES_DATE_NONE) {
				sales_date until = sales_calendar_add_workdays(
					c.calendar, on, (int)v.rules.cooldown_days);
				char u[11];

				sales_date_format(on, date);
				snprintf(note, sizeof(note),
					 _("its former owner may claim it from %s"),
					 sales_date_format(until, u));
			}
		} else if (d && d->state == SALES_DL_MISSED) {
			state = _("to recall");
			sales_date_format(d->due, date);
			snprintf(note, sizeof(note), "%s",
				 _("past its recall date: sales pool recall"));
		} else if (d && d->state == SALES_DL_COMING &&
			   sales_calendar_workdays_between(c.calendar, c.today, d->due) <=
				   v.rules.warn_days) {
			state = _("returning soon");
			sales_date_format(d->due, date);
			snprintf(note, sizeof(note), "%s",
				 _("follow up by this date, or it returns to the pool"));
		} else
			continue;
		snprintf(g, sizeof(g), "%s", k->grade ? (char[]){ k->grade, 0 } : "");
		if (v.f.last_contact != SALES_DATE_NONE)
			sales_date_format(v.f.last_contact, last);
		row[0] = sales_model_str(v.m, k->name);
		row[1] = g;
		row[2] = state;
		row[3] = sales_model_str(v.m, sales_customer_owner(v.m, k));
		row[4] = sales_model_str(v.m, sales_customer_former_owner(v.m, k));
		row[5] = last;
		row[6] = date;
		row[7] = note;
		if (table_add(&t, row) < 0) {
			error_msg("%s", _("out of memory"));
			status = EXIT_USAGE;
			goto out;
		}
	}
	table_print_as(stdout, &t, fmt);
out:
	table_release(&t);
	sales_pool_history_free(h);
	view_close(&v);
	sales_context_release(&c);
	return status;
}

/* ---- recall ---- */

struct recall {
	struct pool_view v;
	bool dry_run;
	size_t count;
	struct sales_error *err;
};

/* The lead row at line of 01 (its 客户名称 name, 负责人 owner): 1 when it
 * returns to the pool (said on stdout), 0 when it does not, -1 with
 * *rc->err. */
static int recall_lead(struct recall *rc, const char *name, const char *owner,
		       long line)
{
	long ci = sales_model_find(rc->v.m, name);
	const struct sales_deadline *d;
	char asof[11], due[11];
	int st;

	if (ci < 0 || rc->v.m->customers[ci].lead_line != (uint32_t)line)
		return 0;   /* a second row of the same name: check's */
	d = recall_of(&rc->v, (size_t)ci, rc->err, &st);
	if (st < 0)
		return -1;
	if (!d || d->state != SALES_DL_MISSED)
		return 0;
	printf(_("%s:%ld: %s (%s) returns to the pool: no follow-up since %s, %ld working days (recall date %s)\n"),
	       sales_sheet_def(SALES_LEADS)->file, line, name, owner,
	       sales_date_format(d->start, asof), d->n,
	       sales_date_format(d->due, due));
	rc->count++;
	return 1;
}

/* sales_txn_each's fn: 01 rewritten record by record (or loaded, where
 * the stream cannot). */
static int recall_row(struct sales_txn_stream *s, const char *const *v,
		      long line, void *arg, struct sales_error *err)
{
	struct recall *rc = arg;
	int r = recall_lead(rc, v[LEAD_CUSTOMER], v[LEAD_OWNER], line);

	if (r <= 0 || rc->dry_run)
		return r;
	if (sales_txn_stream_set(s, LEAD_FORMER_OWNER, v[LEAD_OWNER], err) < 0 ||
	    sales_txn_stream_set(s, LEAD_OWNER, "", err) < 0 ||
	    sales_txn_stream_set(s, LEAD_STATUS, "公海", err) < 0)
		return -1;
	return 0;
}

static int pool_recall(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const int cols[] = { LEAD_FORMER_OWNER, LEAD_OWNER, LEAD_STATUS };
	struct recall rc = { 0 };
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "dry-run", &rc.dry_run, N_("say what would return to the pool, change nothing")),
		OPT_DONE,
	};
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	char asof[40], d1[11];
	int n, code, status = 0, r;

	n = parse_options(argc, argv, opts, pool_usage, &code);
	if (n < 0)
		return code;
	if (n > 0) {
		error_msg(_("pool recall takes no arguments ('%s')"), argv[0]);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	rc.err = &err;
	sales_facts_init(&rc.v.f);
	if (change_begin(&t, &c, ctx, SALES_POOL_RECALL_CMD, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	sales_facts_release(&rc.v.f);
	if (view_open(&rc.v, &c, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!sales_pool_enabled(&rc.v.rules))
		note_msg("%s", _("no grade recalls: set pool.recall_days_A, _B or _C in sales.conf (sales config pool.recall_days_A 10)"));
	/* 01 is rewritten record by record (txn.h sales_txn_stream, which
	 * adds +原负责人 when the header lacks it), not held */
	r = sales_txn_each(&t, SALES_LEADS, cols, sizeof(cols) / sizeof(cols[0]),
			   recall_row, &rc, &err);
	if (r < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!rc.count) {
		fprintf(stderr, "%s\n", _("no lead is due to return to the pool"));
		goto out;
	}
	if (rc.dry_run) {
		fprintf(stderr, P_("dry run: %zu lead would return to the pool; nothing was changed\n",
				   "dry run: %zu leads would return to the pool; nothing was changed\n",
				   rc.count), rc.count);
		goto out;
	}
	snprintf(asof, sizeof(asof), "[as of %s]", sales_date_format(c.today, d1));
	if (sales_txn_command_append(&t, asof, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
out:
	view_close(&rc.v);
	change_end(&t, &c);
	return status;
}

/* ---- claim and assign ---- */

static int take(int argc, const char **argv, struct sales_ctx *ctx, bool assign)
{
	const char *rep = NULL;
	bool dry_run = false;
	const struct opt claim_opts[] = {
		OPT_STR(0, "by", &rep, "REP", N_("the rep who claims it (in team.csv)")),
		OPT_BOOLEAN(0, "dry-run", &dry_run, N_("check the rules, change nothing")),
		OPT_DONE,
	};
	const struct opt assign_opts[] = {
		OPT_STR(0, "to", &rep, "REP", N_("the rep it is given to (in team.csv)")),
		OPT_BOOLEAN(0, "dry-run", &dry_run, N_("check the rules, change nothing")),
		OPT_DONE,
	};
	const struct opt *opts = assign ? assign_opts : claim_opts;
	struct sales_pool_history *h = NULL;
	struct sales_row_edit re = { 0 };
	static const char *const owners[] = { "销售代表", "销售主管", "销售经理" };
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	struct pool_view v;
	const char *name, *former;
	char asof[40], d1[11];
	long ci, held;
	int n, code, status = 0, found;

	n = parse_options(argc, argv, opts, pool_usage, &code);
	if (n < 0)
		return code;
	if (n != 1 || !rep) {
		error_msg(n != 1 ? _("pool %s takes one customer") :
			  assign ? _("missing option '--to' (the rep)") :
			  _("missing option '--by' (the rep)"),
			  assign ? "assign" : "claim");
		print_usage(stderr, pool_usage, opts);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	memset(&v, 0, sizeof(v));
	sales_facts_init(&v.f);
	if (change_begin(&t, &c, ctx,
			 assign ? SALES_POOL_ASSIGN_CMD : SALES_POOL_CLAIM_CMD,
			 &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	sales_facts_release(&v.f);
	if (view_open(&v, &c, &err) < 0 ||
	    sales_pool_history_load(ctx->dir, &h, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if ((ci = sales_resolve_customer(v.m, argv[0], true, NULL, &err)) < 0) {
		status = report_error(&err);
		goto out;
	}
	name = sales_model_str(v.m, v.m->customers[ci].name);
	/* the lead's row, 01 not held (sales_row_edit) */
	if ((found = sales_row_edit_open(&re, &t, SALES_LEADS, LEAD_CUSTOMER,
					 name, &err)) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!found || v.m->customers[ci].status != SALES_LEAD_POOL) {
		const char *s = found ? sales_row_edit_get(&re, LEAD_STATUS) : "";

		error_msg(_("'%s' is not in the lead pool (客户状态 '%s', not 公海): only a lead in the pool is claimed or assigned; its owner hands it over with 'sales lead set --owner'"),
			  name, s);
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (sales_team_require(&c, rep, owners, 3,
			       N_("leads go to a 销售代表, 销售主管 or 销售经理"), &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	former = sales_row_edit_get(&re, LEAD_FORMER_OWNER);
	held = sales_pool_held(v.m, rep);
	if (sales_pool_may_take(&c, &v.rules, h, name, former, rep, held, &err) < 0) {
		error_msg("%s", err.message);
		status = EXIT_PROBLEMS;
		goto out;
	}
	printf(_("%s:%ld: %s goes to %s (客户状态 跟进中)\n"),
	       sales_sheet_def(SALES_LEADS)->file, sales_row_edit_line(&re),
	       name, rep);
	if (dry_run) {
		fprintf(stderr, "%s\n", _("dry run: nothing was changed"));
		goto out;
	}
	snprintf(asof, sizeof(asof), "--%s %s [as of %s]", assign ? "to" : "by",
		 rep, sales_date_format(c.today, d1));
	if (sales_row_edit_set(&re, LEAD_OWNER, rep, &err) < 0 ||
	    sales_row_edit_set(&re, LEAD_STATUS, "跟进中", &err) < 0 ||
	    sales_row_edit_write(&re, &err) < 0 ||
	    sales_txn_command_append(&t, asof, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
out:
	sales_row_edit_release(&re);
	sales_pool_history_free(h);
	view_close(&v);
	change_end(&t, &c);
	return status;
}

static int pool_claim(int argc, const char **argv, struct sales_ctx *ctx)
{
	return take(argc, argv, ctx, false);
}

static int pool_assign(int argc, const char **argv, struct sales_ctx *ctx)
{
	return take(argc, argv, ctx, true);
}

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv, struct sales_ctx *ctx);
	const char *summary;
} pool_commands[] = {
	{ "list", pool_list, N_("the leads in the pool, and those about to return to it") },
	{ "recall", pool_recall, N_("return the leads past their recall date to the pool") },
	{ "claim", pool_claim, N_("take a lead from the pool (cooldown and limits apply)") },
	{ "assign", pool_assign, N_("give a lead from the pool to a rep (cooldown and limits apply)") },
};

int cmd_pool(int argc, const char **argv, struct sales_ctx *ctx)
{
	size_t n = sizeof(pool_commands) / sizeof(pool_commands[0]);
	struct nearest near;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		print_usage(stdout, pool_usage, NULL);
		printf("\n%s\n", _("Sub-commands:"));
		for (size_t i = 0; i < n; i++)
			printf("    %-8s %s\n", pool_commands[i].name,
			       _(pool_commands[i].summary));
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-')
		return pool_list(argc, argv, ctx);
	nearest_init(&near, argv[1]);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(argv[1], pool_commands[i].name))
			return pool_commands[i].fn(argc - 1, argv + 1, ctx);
		nearest_try(&near, pool_commands[i].name);
	}
	return unknown_subcommand("pool", argv[1], near.pick);
}
