/*
 * due.c - `sales due`: the to-do list as of a date, grouped by owner,
 * soonest first (the rules live in libsales/due.c).
 */
#include "cmd.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "due.h"
#include "json.h"
#include "model.h"
#include "route.h"
#include "rules.h"
#include "schema.h"
#include "validate.h"
#include "workbook.h"

static const char *const due_usage[] = {
	"sales due [--within DAYS] [--owner NAME] [--as-of DATE] [--format table|csv|tsv|json|md]",
	NULL,
};

#define NO_OWNER "(无负责人)"

/* "3 days overdue", "today", "tomorrow", "in 5 days"; "date unreadable" */
void due_when_text(long days, char *buf, size_t size)
{
	if (days == SALES_DUE_NO_DAYS)
		snprintf(buf, size, "%s", _("date unreadable"));
	else if (days < 0)
		snprintf(buf, size, P_("%ld day overdue", "%ld days overdue", -days), -days);
	else if (days == 0)
		snprintf(buf, size, "%s", _("today"));
	else if (days == 1)
		snprintf(buf, size, "%s", _("tomorrow"));
	else
		snprintf(buf, size, P_("in %ld day", "in %ld days", days), days);
}

/* The 期限 of an approval item: how long it has waited since submission. */
static void approval_when_text(long days, char *buf, size_t size)
{
	if (days == SALES_DUE_NO_DAYS)
		snprintf(buf, size, "%s", _("waiting, undated"));
	else if (days >= 0)
		snprintf(buf, size, "%s", _("submitted today"));
	else
		snprintf(buf, size, P_("waiting %ld day", "waiting %ld days", -days), -days);
}

void due_detail_text(const struct sales_model *m, const struct sales_due_item *it,
			struct sales_buf *b)
{
	const struct sales_customer *c = it->customer >= 0 ?
		&m->customers[it->customer] : NULL;
	char d1[11], d2[11];

	sales_buf_reset(b);
	switch (it->kind) {
	case SALES_DUE_FOLLOWUP: {
		const struct sales_followup *f = &m->followups[it->followup];

		sales_buf_printf(b, _("下次跟进计划 of the follow-up of %s"),
				 f->date != SALES_DATE_NONE ?
				 sales_date_format(f->date, d1) : _("(no date)"));
		break;
	}
	case SALES_DUE_PAYMENT:
	case SALES_DUE_COLLECTION: {
		const struct sales_contract *k = &m->contracts[it->contract];
		char amount[48] = "";

		if (k->amount == k->amount)   /* not NaN */
			snprintf(amount, sizeof(amount), " %.10g万元", k->amount);
		sales_buf_printf(b, _("%s%s, 付款到期日 %s, not paid"),
				 sales_model_str(m, k->id), amount,
				 sales_date_format(k->payment_due, d1));
		if (it->kind == SALES_DUE_COLLECTION)
			sales_buf_addstr(b, _(": start collection (催款)"));
		break;
	}
	case SALES_DUE_STALLED:
		sales_buf_printf(b, _("A类 lead, last contact %s: at risk of being lost"),
				 sales_date_format(it->start, d1));
		break;
	case SALES_DUE_AFTERSALES:
		sales_buf_printf(b, _("accepted %s, "), sales_date_format(sales_customer_accepted(m, c, NULL), d1));
		if (it->sheet == SALES_FOLLOWUPS)
			sales_buf_printf(b, _("last follow-up %s"),
					 sales_date_format(it->start, d2));
		else
			sales_buf_addstr(b, _("no follow-up yet"));
		break;
	case SALES_DUE_SCREENING:
		sales_buf_printf(b, _("registered %s, 线索等级 not set"),
				 sales_date_format(sales_customer_registered(m, c), d1));
		break;
	case SALES_DUE_RECALL:
		sales_buf_printf(b, _("%s类 lead, last contact %s: returns to the lead pool (公海) after this day unless followed up"),
				 (char[]){ c->grade, 0 },
				 sales_date_format(it->start, d1));
		break;
	case SALES_DUE_UNREADABLE: {
		const struct sales_bad_date *bd = &m->bad_dates[it->bad];
		struct sales_buf why = { 0 };
		char cell[96];

		sales_cell_check((enum sales_sheet_id)bd->sheet, bd->col,
				 sales_model_str(m, bd->value), NULL,
				 SALES_DATE_NONE, &why);
		sales_buf_printf(b, _("%s: %s (the deadline it sets or meets stays unknown while it is no date)"),
				 sales_bad_date_cell(bd, cell, sizeof(cell)),
				 why.data ? why.data : sales_model_str(m, bd->value));
		sales_buf_release(&why);
		break;
	}
	case SALES_DUE_APPROVAL: {
		const struct sales_contract *k = &m->contracts[it->contract];
		char who[96] = "", desc[160];
		size_t len = 0;

		for (int w = 0; w < it->nwho; w++)
			len += (size_t)snprintf(who + len, len < sizeof(who) ? sizeof(who) - len : 0,
						"%s%s", w ? "、" : "",
						sales_approver_roles[it->who[w]]);
		sales_route_describe(k->route, desc, sizeof(desc));
		sales_buf_printf(b, k->route->mode == SALES_ROUTE_ANY ?
				 _("contract %s %s: waits for one opinion of %s (%s)") :
				 _("contract %s %s: waits for the %s (%s)"),
				 sales_model_str(m, k->id),
				 sales_approval_states[k->status], who, desc);
		if (it->days == SALES_DUE_NO_DAYS)
			sales_buf_addstr(b, _("; audit.csv has no record of its submission"));
		break;
	}
	case SALES_DUE_PROPOSAL:
		sales_buf_printf(b, _("last survey %s, no proposal in 03-solutions.csv"),
				 sales_date_format(sales_customer_last(m, c, SALES_SURVEYS), d1));
		break;
	default:
		break;
	}
	if (it->extended)
		sales_buf_addstr(b, _(" (deadline from an approved 延期)"));
	if (!b->data)
		sales_buf_addstr(b, "");
}

static const char *owner_of(const struct sales_model *m,
			    const struct sales_due_item *it)
{
	return it->owner ? sales_model_str(m, it->owner) : NULL;
}

static const char *customer_of(const struct sales_model *m,
			       const struct sales_due_item *it)
{
	return it->customer >= 0 ?
	       sales_model_str(m, m->customers[it->customer].name) : "";
}

static int print_table(const struct sales_model *m, const struct sales_due_list *l,
		       const struct sales_due_query *q, bool md)
{
	static const char *const hdr[6] = { "负责人", "日期", "期限", "事项", "客户", "说明" };
	struct table t;
	struct sales_buf detail = { 0 };
	char asof[11];
	const char *prev = NULL;
	int rc = 0;

	sales_date_format(q->as_of, asof);
	fputs(color_on(stdout, COLOR_HEADING), stdout);
	if (q->within >= 0)
		printf(P_("Due as of %s, within %ld day\n", "Due as of %s, within %ld days\n", q->within), asof, q->within);
	else
		printf(_("Due as of %s: payments within payment.remind_days (%ld days), the rest within %d days\n"),
		       asof, sales_setting_int(m->ctx, "payment.remind_days"),
		       SALES_DUE_DEFAULT_WITHIN);
	fputs(color_off(stdout), stdout);
	if (!l->n) {
		puts(_("\nnothing falls due"));
		return 0;
	}
	/* one aligned table; an owner is named on its first row only */
	table_init(&t, 6);
	rc = table_add(&t, hdr);
	for (size_t i = 0; i < l->n && !rc; i++) {
		const struct sales_due_item *it = &l->items[i];
		const char *owner = owner_of(m, it);
		char date[11], when[48];
		const char *row[6];

		owner = owner ? owner : NO_OWNER;
		sales_date_format(it->date, date);
		if (it->kind == SALES_DUE_APPROVAL)
			approval_when_text(it->days, when, sizeof(when));
		else
			due_when_text(it->days, when, sizeof(when));
		due_detail_text(m, it, &detail);
		row[0] = !md && prev && !strcmp(prev, owner) ? "" : owner;
		row[1] = date;
		row[2] = when;
		row[3] = sales_due_kind_labels[it->kind];
		row[4] = customer_of(m, it);
		row[5] = detail.data;
		rc = table_add(&t, row);
		prev = owner;
	}
	if (rc) {
		error_msg("out of memory");
		rc = EXIT_USAGE;
	} else {
		putchar('\n');
		if (md)
			table_print_md(stdout, &t);
		else
			table_print(stdout, &t, NULL);
	}
	table_release(&t);
	sales_buf_release(&detail);
	return rc;
}

static void print_machine(const struct sales_model *m, const struct sales_due_list *l,
			  enum out_format fmt)
{
	static const char *const keys[] = { "owner", "kind", "label", "date", "days",
					     "customer", "contract", "file", "line",
					     "detail" };
	struct sales_buf detail = { 0 };

	struct sales_buf out = { 0 };
	struct sales_json j;

	sales_json_init(&j, &out);
	if (fmt != FMT_JSON) {
		for (size_t k = 0; k < 10; k++)
			sep_field(stdout, fmt, keys[k], strlen(keys[k]), k == 0);
		putchar('\n');
	} else {
		sales_json_array(&j, SALES_JSON_LINES);
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct sales_due_item *it = &l->items[i];
		const char *owner = owner_of(m, it);
		const char *contract = it->contract >= 0 ?
			sales_model_str(m, m->contracts[it->contract].id) : NULL;
		const char *file = sales_sheet_def(it->sheet)->file;
		char date[11];

		sales_date_format(it->date, date);
		due_detail_text(m, it, &detail);
		if (fmt == FMT_JSON) {
			sales_json_object(&j, SALES_JSON_COMPACT);
			sales_json_key(&j, "owner");
			sales_json_str(&j, owner);
			sales_json_key(&j, "kind");
			sales_json_str(&j, sales_due_kind_keys[it->kind]);
			sales_json_key(&j, "label");
			sales_json_str(&j, sales_due_kind_labels[it->kind]);
			sales_json_key(&j, "date");
			sales_json_str(&j, *date ? date : NULL);
			sales_json_key(&j, "days");
			if (it->days == SALES_DUE_NO_DAYS)
				sales_json_null(&j);
			else
				sales_json_int(&j, it->days);
			sales_json_key(&j, "customer");
			sales_json_str(&j, customer_of(m, it));
			sales_json_key(&j, "contract");
			sales_json_str(&j, contract);
			sales_json_key(&j, "file");
			sales_json_str(&j, file);
			sales_json_key(&j, "line");
			sales_json_int(&j, it->line);
			sales_json_key(&j, "detail");
			sales_json_strn(&j, detail.data, detail.len);
			sales_json_end(&j);
			put_buf(stdout, &out);
			continue;
		}
		{
			char days[24], line[24];
			const char *cells[10] = {
				owner ? owner : "", sales_due_kind_keys[it->kind],
				sales_due_kind_labels[it->kind], date, days,
				customer_of(m, it), contract ? contract : "", file,
				line, detail.data
			};

			if (it->days == SALES_DUE_NO_DAYS)
				days[0] = '\0';
			else
				snprintf(days, sizeof(days), "%ld", it->days);
			snprintf(line, sizeof(line), "%u", (unsigned)it->line);
			/* owner, customer, contract and detail come from cells;
			 * the rest are the toolkit's own words and numbers */
			for (size_t k = 0; k < 10; k++)
				if (fmt == FMT_CSV && k != 0 && k != 5 && k != 6 &&
				    k != 9)
					printf(",%s", cells[k]);
				else
					sep_field(stdout, fmt, cells[k],
						  strlen(cells[k]), k == 0);
		}
		putchar('\n');
	}
	if (fmt == FMT_JSON)
		json_print_end(&j, &out);
	sales_buf_release(&out);
	sales_buf_release(&detail);
}

int cmd_due(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *owner = NULL;
	enum out_format fmt = FMT_TABLE;
	long within = LONG_MIN;
	const struct opt opts[] = {
		OPT_NUM('w', "within", &within, "DAYS", "list what falls due within DAYS days (default: payment.remind_days for payments, 7 for the rest)"),
		OPT_STR('o', "owner", &owner, "NAME", "only this owner's items"),
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMTS_TABLE),
		OPT_DONE,
	};
	struct sales_due_query q = { SALES_DATE_NONE, -1, NULL, true };
	struct sales_context c;
	struct sales_model *m = NULL;
	struct sales_due_list l = { 0 };
	struct sales_error err;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, due_usage, &code);
	if (n < 0)
		return code;
	if (n > 0) {
		error_msg("due takes no arguments ('%s'); use -C DIR for the workbook", argv[0]);
		return EXIT_USAGE;
	}
	if (within != LONG_MIN && within < 0) {
		error_msg("option '--within' needs a number of days, 0 or more, not %ld", within);
		return EXIT_USAGE;
	}
	q.as_of = ctx->today;
	q.within = within == LONG_MIN ? -1 : within;
	q.owner = owner;
	sales_error_clear(&err);
	if (sales_context_load(&c, ctx->dir, q.as_of, &err) < 0)
		return report_error(&err);
	if (sales_model_load(&m, &c, SALES_MODEL_ALL, NULL, NULL, &err) < 0 ||
	    sales_due_find(m, &q, &l, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	warn_open_in_excel(ctx->dir, false);
	if (fmt == FMT_TABLE || fmt == FMT_MD)
		status = print_table(m, &l, &q, fmt == FMT_MD);
	else
		print_machine(m, &l, fmt);
out:
	sales_due_list_release(&l);
	sales_model_free(m);
	sales_context_release(&c);
	return status;
}
