/*
 * status.c - `sales status <customer>`: one customer at a glance — the
 * stage reached, every dated event across the sheets in date order, what
 * is overdue, the findings `sales check --customer` has for it (Problems),
 * and what comes next.
 */
#include "cmd.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "context.h"
#include "json.h"
#include "model.h"
#include "schema.h"
#include "story.h"

static const char *const status_usage[] = {
	"sales status <customer> [--as-of DATE] [--format table|json]",
	NULL,
};

static const char *const kind_names[] = {
	[SALES_STORY_OVERDUE] = "overdue",
	[SALES_STORY_DUE] = "due",
	[SALES_STORY_NEXT] = "next",
};

static const char *const kind_titles[] = {
	[SALES_STORY_OVERDUE] = N_("Overdue"),
	[SALES_STORY_DUE] = N_("Coming up"),
	[SALES_STORY_NEXT] = N_("Next step"),
};

/* The findings of `sales check` for the customer, as check prints them. */
static void print_problems(const struct sales_check_result *res)
{
	size_t n = 0;

	putchar('\n');
	heading_print(stdout, _("Problems"));
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *k = &res->findings[i];

		if (k->severity == SALES_SEV_INFO)
			continue;
		printf("  %s:%ld:%s%s%s%s%s[%s]: %s\n", k->file, k->line, k->cell,
		       k->cell[0] ? ": " : " ",
		       color_on(stdout, color_for_severity(k->severity)),
		       sales_severity_name(k->severity), color_off(stdout),
		       sales_check_defs[k->check].name, k->message);
		n++;
	}
	if (!n)
		printf("  %s\n", _("nothing"));
}

/* The customer's date cells that read as no date (model.h): what they set
 * or meet is unknown, so they are listed, never left out. */
static void print_unreadable(const struct sales_model *m, long customer)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nbad_dates; i++) {
		const struct sales_bad_date *b = &m->bad_dates[i];
		char cell[96];

		if (b->customer != (uint32_t)customer)
			continue;
		if (!n++)
			printf("\n%s\n", _("Dates that cannot be read"));
		printf(_("  %s  %s '%s': what it sets or meets is unknown until it is a date (YYYY-MM-DD)\n"),
		       sales_bad_date_cell(b, cell, sizeof(cell)),
		       sales_sheet_def(b->sheet)->columns[b->col].zh,
		       sales_model_str(m, b->value));
	}
}

static void where(const struct sales_sheet_def *def, long line, char *buf,
		  size_t cap)
{
	if (line > 0)
		snprintf(buf, cap, "%s:%ld", def->file, line);
	else
		snprintf(buf, cap, "%s", def->file);
}

static void print_text(const struct sales_story *s,
		       const struct sales_check_result *res)
{
	const struct sales_model *m = s->model;
	const struct sales_customer *c = &m->customers[s->customer];
	const char *fields[][2] = {
		{ "负责人", sales_model_str(m, sales_customer_owner(m, c)) },
		{ "区域", sales_model_str(m, sales_customer_region(m, c)) },
		{ "产品线", sales_model_str(m, sales_customer_product_line(m, c)) },
		{ "客户状态", c->status >= 0 ? sales_lead_statuses[c->status] : "" },
	};
	char d[11], at[320];
	bool any;
	int shown;

	printf(_("%s: stage %s"), sales_model_str(m, c->name),
	       s->stage >= 0 ? sales_story_stage_name(s->stage) : _("none"));
	if (s->stage >= 0)
		printf(_(" (%d of %d, %s)"), s->stage + 1, SALES_NSTAGES,
		       sales_sheet_def((enum sales_sheet_id)s->stage)->file);
	putchar('\n');
	if (c->grade)
		printf("线索等级 %c类", c->grade);
	any = c->grade != 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (*fields[i][1]) {
			printf("%s%s %s", any ? " · " : "", fields[i][0],
			       fields[i][1]);
			any = true;
		}
	printf("\n\n");
	heading_print(stdout, _("Story"));
	if (!s->nevents)
		printf("  %s\n", _("(no rows)"));
	for (size_t i = 0; i < s->nevents; i++) {
		const struct sales_story_event *e = &s->events[i];

		where(sales_sheet_def(e->sheet), e->line, at, sizeof(at));
		printf("  %-10s  ", e->date != SALES_DATE_NONE ?
		       sales_date_format(e->date, d) : _("(no date)"));
		pad_cell(stdout, e->sheet < SALES_NSTAGES ?
			 sales_story_stage_name((int)e->sheet) :
			 e->sheet == SALES_CHANGES ? "需求变更" : "例外审批", 8, false);
		printf("  %s  [%s]\n", e->text, at);
	}
	putchar('\n');
	heading_print(stdout, _(kind_titles[SALES_STORY_OVERDUE]));
	if (!s->nitems || s->items[0].kind != SALES_STORY_OVERDUE)
		printf("  %s\n", _("nothing"));
	shown = SALES_STORY_OVERDUE;
	for (size_t i = 0; i <= s->nitems; i++) {
		const struct sales_story_item *it = i < s->nitems ? &s->items[i] : NULL;

		if (shown == SALES_STORY_OVERDUE &&
		    (!it || it->kind != SALES_STORY_OVERDUE)) {
			print_unreadable(m, (long)s->customer);
			print_problems(res);
		}
		if (!it)
			break;
		if ((int)it->kind != shown) {
			shown = (int)it->kind;
			putchar('\n');
			heading_print(stdout, _(kind_titles[it->kind]));
		}
		where(sales_sheet_def(it->sheet), it->line, at, sizeof(at));
		if (it->date != SALES_DATE_NONE)
			printf("  %-10s  %s  [%s]\n", sales_date_format(it->date, d),
			       it->text, at);
		else
			printf("  %s  [%s]\n", it->text, at);
	}
}

static void print_json(const struct sales_story *s,
		       const struct sales_check_result *res)
{
	const struct sales_model *m = s->model;
	const struct sales_customer *c = &m->customers[s->customer];
	struct sales_buf out = { 0 };
	struct sales_json j;
	char d[11];

	sales_json_init(&j, &out);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_key(&j, "customer");
	sales_json_str(&j, sales_model_str(m, c->name));
	sales_json_key(&j, "stage");
	sales_json_str(&j, s->stage >= 0 ? sales_story_stage_name(s->stage) : NULL);
	sales_json_key(&j, "events");
	sales_json_array(&j, SALES_JSON_LINES_TIGHT);
	for (size_t i = 0; i < s->nevents; i++) {
		const struct sales_story_event *e = &s->events[i];

		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "date");
		sales_json_str(&j, e->date != SALES_DATE_NONE ?
			       sales_date_format(e->date, d) : NULL);
		sales_json_key(&j, "file");
		sales_json_str(&j, sales_sheet_def(e->sheet)->file);
		sales_json_key(&j, "line");
		sales_json_int(&j, e->line);
		sales_json_key(&j, "text");
		sales_json_str(&j, e->text);
		sales_json_end(&j);
	}
	sales_json_end(&j);
	sales_json_key(&j, "agenda");
	sales_json_array(&j, SALES_JSON_LINES_TIGHT);
	for (size_t i = 0; i < s->nitems; i++) {
		const struct sales_story_item *it = &s->items[i];

		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "kind");
		sales_json_str(&j, kind_names[it->kind]);
		sales_json_key(&j, "date");
		sales_json_str(&j, it->date != SALES_DATE_NONE ?
			       sales_date_format(it->date, d) : NULL);
		sales_json_key(&j, "file");
		sales_json_str(&j, sales_sheet_def(it->sheet)->file);
		sales_json_key(&j, "line");
		if (it->line > 0)
			sales_json_int(&j, it->line);
		else
			sales_json_null(&j);
		sales_json_key(&j, "text");
		sales_json_str(&j, it->text);
		sales_json_end(&j);
	}
	sales_json_end(&j);
	sales_json_key(&j, "unreadable");
	sales_json_array(&j, SALES_JSON_LINES_TIGHT);
	for (size_t i = 0; i < m->nbad_dates; i++) {
		const struct sales_bad_date *b = &m->bad_dates[i];
		char cell[96], letters[8];

		if (b->customer != (uint32_t)s->customer)
			continue;
		snprintf(cell, sizeof(cell), "%s%lu",
			 sales_column_letters(b->file_col, letters),
			 (unsigned long)b->row);
		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "file");
		sales_json_str(&j, sales_sheet_def(b->sheet)->file);
		sales_json_key(&j, "line");
		sales_json_int(&j, b->line);
		sales_json_key(&j, "cell");
		sales_json_str(&j, cell);
		sales_json_key(&j, "column");
		sales_json_str(&j, sales_sheet_def(b->sheet)->columns[b->col].zh);
		sales_json_key(&j, "value");
		sales_json_str(&j, sales_model_str(m, b->value));
		sales_json_end(&j);
	}
	sales_json_end(&j);
	sales_json_key(&j, "problems");
	sales_json_array(&j, SALES_JSON_LINES_TIGHT);
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *k = &res->findings[i];

		if (k->severity == SALES_SEV_INFO)
			continue;
		json_finding(&j, k, false);
	}
	sales_json_end(&j);
	json_print_end(&j, &out);
	sales_buf_release(&out);
}

int cmd_status(int argc, const char **argv, struct sales_ctx *ctx)
{
	enum out_format fmt = FMT_TABLE;
	const struct opt opts[] = {
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMT_BIT(FMT_TABLE) | FMT_BIT(FMT_JSON)),
		OPT_DONE,
	};
	struct sales_context c;
	struct sales_story s;
	struct sales_check_options copt = { .as_of = ctx->today };
	struct sales_check_session *chk = NULL;
	struct sales_check_result res;
	struct sales_error err;
	int n, code, rc, status = 0;
	bool json;

	n = parse_options(argc, argv, opts, status_usage, &code);
	if (n < 0)
		return code;
	if (n != 1) {
		error_msg("status takes one customer");
		print_usage(stderr, status_usage, opts);
		return EXIT_USAGE;
	}
	json = fmt == FMT_JSON;
	sales_error_clear(&err);
	if (sales_context_load(&c, ctx->dir, ctx->today, &err) < 0)
		return report_error(&err);
	warn_open_in_excel(ctx->dir, false);
	/* one load: the story, and check's findings for the customer */
	copt.customer = argv[0];
	if (sales_check_session_open(&chk, &c, &copt, &err) < 0) {
		sales_context_release(&c);
		return report_error(&err);
	}
	rc = sales_story_load_checked(&s, &c, argv[0], chk, &err);
	if (rc < 0) {
		status = report_error(&err);
	} else if (rc > 0) {
		error_msg("%s", s.why);
		status = EXIT_PROBLEMS;
	} else {
		if (sales_check_session_finish(chk, s.model,
					       sales_model_str(s.model,
							       s.model->customers[s.customer].name),
					       &res, &err) < 0) {
			status = report_error(&err);
		} else {
			if (json)
				print_json(&s, &res);
			else
				print_text(&s, &res);
			sales_check_result_release(&res);
		}
	}
	sales_check_session_close(chk);
	sales_story_release(&s);
	sales_context_release(&c);
	return status;
}
