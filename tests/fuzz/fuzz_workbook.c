/*
 * fuzz_workbook.c - a whole workbook with one fuzzed file.
 *
 * The first input byte picks the file (a sheet 01..08, team.csv,
 * exceptions.csv, holidays.csv, audit.csv or sales.conf), the rest is its
 * content, written into a copy of the example workbook on tmpfs.  Then what
 * `sales check --explain` does (sales_check_run, and the excerpts of the
 * rows with findings), and besides the one-pass model with a row hook that
 * parses every cell by its column type and the rules on every customer and
 * contract.  The file is restored afterwards.
 */
#include "fuzz.h"

#include <dirent.h>

#include "check.h"
#include "context.h"
#include "model.h"
#include "rules.h"
#include "schema.h"
#include "value.h"
#include "workbook.h"

static const char *const targets[] = {
	"01-leads.csv", "02-surveys.csv", "03-solutions.csv", "04-contracts.csv",
	"05-plans.csv", "06-acceptance.csv", "07-followups.csv", "08-kpi.csv",
	"team.csv", "exceptions.csv", "holidays.csv", "audit.csv", "sales.conf",
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static char *original[NTARGETS];
static size_t original_len[NTARGETS];
static char wb[300];

static void setup(void)
{
	char cmd[700];

	snprintf(wb, sizeof(wb), "%s/wb", fuzz_scratch());
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s'/examples/*.csv '%s'/",
		 wb, SALES_ROOT, wb);
	if (system(cmd) != 0)
		abort();
	for (size_t i = 0; i < NTARGETS; i++) {
		char *path = sales_path_join(wb, targets[i]);
		struct sales_error err;

		if (sales_read_file(path, &original[i], &original_len[i], &err) < 0)
			original[i] = NULL;   /* sales.conf: none in examples */
		free(path);
	}
}

/* Parses a cell as check's `values` rule does. */
static void parse_cell(const struct sales_column_def *c, const char *s)
{
	size_t n = strlen(s);
	sales_date d, d2;
	struct sales_date_range range;
	struct sales_amount a;
	struct sales_size size;
	double x;
	long l;
	char g, digits[SALES_PHONE_DIGITS_MAX];
	unsigned flags;
	int y, q;
	size_t used;

	switch (c->type) {
	case SALES_COL_DATE:
	case SALES_COL_TIMESTAMP:
		sales_parse_date(s, n, &d);
		break;
	case SALES_COL_DATE_RANGE:
		sales_parse_date_range(s, n, &range);
		break;
	case SALES_COL_MONTH:
		if (sales_parse_date_range(s, n, &range) != SALES_VALUE_OK)
			sales_parse_month(s, n, &d, &d2);
		break;
	case SALES_COL_AMOUNT:
	case SALES_COL_AMOUNT_RANGE:
		sales_parse_amount(s, n, &a);
		break;
	case SALES_COL_AMOUNT_DELTA:
		sales_parse_amount_delta(s, n, &x);
		break;
	case SALES_COL_PERCENT:
		sales_parse_percent(s, n, &x);
		break;
	case SALES_COL_GRADE:
		sales_parse_grade(s, n, &g);
		break;
	case SALES_COL_ENUM:
		if (c->values)
			sales_enum_has(c->values, s);
		break;
	case SALES_COL_PHONE:
		sales_parse_phone(s, n, digits, sizeof(digits), &flags);
		break;
	case SALES_COL_INTEGER:
		sales_parse_int(s, n, &l);
		break;
	case SALES_COL_SIZE:
		sales_parse_size(s, n, &size);
		break;
	case SALES_COL_QUARTER:
		sales_parse_quarter(s, n, &y, &q);
		break;
	case SALES_COL_DATE_PREFIX:
		sales_parse_date_prefix(s, n, &d, &used);
		break;
	case SALES_COL_TEXT:
		sales_value_is_formula(s, n);
		break;
	}
}

static int on_row(void *ud, const struct sales_row_event *ev,
		  struct sales_error *err)
{
	const struct sales_sheet_def *def = ev->map->def;
	size_t *rows = ud;

	(void)err;
	(*rows)++;
	CHECK(ev->rec->row->line >= 2);
	for (size_t i = 0; i < def->ncolumns; i++) {
		CHECK(ev->rec->v[i] != NULL);
		parse_cell(&def->columns[i], ev->rec->v[i]);
	}
	return 0;
}

static void run_rules(const struct sales_model *m)
{
	const struct sales_context *ctx = m->ctx;

	for (size_t c = 0; c < m->ncustomers; c++) {
		const struct sales_customer *cu = &m->customers[c];
		const struct sales_model_exception *inv;
		struct sales_progress p;
		const char *why;
		char buf[256];

		sales_model_progress(m, c, &p);
		CHECK(sales_model_stage(cu) >= -1 &&
		      sales_model_stage(cu) < SALES_NSTAGES);
		CHECK(sales_model_find(m, sales_model_str(m, cu->name)) ==
		      (long)c);
		for (int id = SALES_LEADS; id <= SALES_FOLLOWUPS; id++) {
			sales_gate_missing(id, &p, &why);
			sales_model_exception(m, c, "跳过环节", id, &inv);
			sales_model_exception(m, c, "延期", id, &inv);
		}
		if (sales_customer_registered(m, cu) != SALES_DATE_NONE) {
			sales_date reg = sales_customer_registered(m, cu);

			sales_screening_deadline(ctx, reg);
			sales_calendar_workdays_between(ctx->calendar, reg,
							ctx->today);
			sales_calendar_explain(ctx->calendar, reg,
					       3, buf, sizeof(buf));
		}
		if (sales_customer_last(m, cu, SALES_SURVEYS) != SALES_DATE_NONE)
			sales_proposal_deadline(ctx, sales_customer_last(m, cu, SALES_SURVEYS));
	}
	for (size_t k = 0; k < m->ncontracts; k++) {
		const struct sales_contract *ct = &m->contracts[k];
		int missing;

		/* UINT32_MAX: a contract row with a blank 客户名称 */
		CHECK(ct->customer < m->ncustomers || ct->customer == UINT32_MAX);
		if (ct->route) {
			sales_approval_status(&ct->approval, ct->route);
			sales_approval_out_of_order(&ct->approval, ct->route,
						    &missing);
		}
	}
	for (size_t k = 0; k < m->nfollowups; k++)
		CHECK(m->followups[k].customer < m->ncustomers ||
		      m->followups[k].customer == UINT32_MAX);
	for (size_t k = 0; k < m->nexceptions; k++) {
		const struct sales_model_exception *e = &m->exceptions[k];

		if (e->e.stage)
			sales_sheet_by_stage(e->e.stage);
	}
}

/* sales check --explain: every finding is located and worded. */
static void run_check(const struct sales_context *ctx)
{
	struct sales_check_options opt = { .as_of = SALES_DATE_NONE, .explain = true };
	struct sales_check_result res;
	struct sales_error err;
	size_t errors = 0, warnings = 0;

	if (sales_check_run(ctx, &opt, &res, &err) < 0) {
		CHECK(err.code != SALES_OK && err.message[0]);
		return;
	}
	for (size_t i = 0; i < res.nfindings; i++) {
		const struct sales_finding *f = &res.findings[i];

		CHECK(f->check < SALES_NCHECKS);
		CHECK(f->file && f->file[0] && f->message && f->message[0]);
		CHECK(f->line >= 0 && f->column >= 0 && f->customer);
		CHECK(strlen(f->cell) < sizeof(f->cell));
		errors += f->severity == SALES_SEV_ERROR;
		warnings += f->severity == SALES_SEV_WARNING;
	}
	CHECK(errors == res.errors && warnings == res.warnings);
	if (sales_check_excerpts(&res, ctx->dir, 60, &err) == 0)
		for (size_t i = 0; i < res.nfindings; i++)
			if (res.findings[i].excerpt)
				CHECK(strlen(res.findings[i].excerpt) < 4096);
	sales_check_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	size_t which, rows = 0;
	char *path;

	if (!wb[0])
		setup();
	if (size < 1)
		return 0;
	which = data[0] % NTARGETS;
	path = sales_path_join(wb, targets[which]);
	fuzz_write(path, data + 1, size - 1);

	if (sales_context_load(&ctx, wb, sales_date_from_ymd(2024, 1, 15),
			       &err) == 0) {
		run_check(&ctx);
		if (sales_model_load(&m, &ctx, SALES_MODEL_ALL, on_row, &rows,
				     &err) == 0) {
			run_rules(m);
			sales_model_free(m);
		} else {
			CHECK(err.code != SALES_OK && err.message[0] && err.file[0]);
		}
		sales_context_release(&ctx);
	} else {
		CHECK(err.code != SALES_OK && err.message[0]);
	}

	if (original[which])
		fuzz_write(path, original[which], original_len[which]);
	else
		unlink(path);
	free(path);
	return 0;
}
