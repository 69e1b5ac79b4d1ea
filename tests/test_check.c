/* test_check.c - `sales check`'s rules on planted workbooks: the example
 * workbook is clean; one planted breach per check gives exactly one finding
 * with the right check, file, line and cell; the same breach with an
 * approved exception gives a note; working-day deadlines across 国庆 2023,
 * 春节 2024 and a 班 weekend follow holidays-cn.csv. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "context.h"
#include "model.h"
#include "story.h"
#include "workbook.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_check", 1);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static sales_date d(const char *s)
{
	return test_date(s);
}

static char *slurp(const char *file)
{
	char *p = sales_path_join(dir, file), *buf;
	FILE *f = fopen(p, "rb");
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	free(p);
	return buf;
}

static void spit(const char *file, const char *text, const char *mode)
{
	char *p = sales_path_join(dir, file);
	FILE *f = fopen(p, mode);

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/*
 * An edit of the example workbook: replace the first `from` with `to`, or
 * (from NULL) append the line `to`, or (from "HEADER") keep only the header.
 */
struct edit {
	const char *file, *from, *to;
};

static void apply(const struct edit *e)
{
	char *text, *at, *out;

	if (!e->file)
		return;
	if (!e->from) {
		spit(e->file, e->to, "ab");
		return;
	}
	text = slurp(e->file);
	if (!strcmp(e->from, "HEADER")) {
		at = strchr(text, '\n');
		assert_non_null(at);
		at[1] = '\0';
		spit(e->file, text, "wb");
		free(text);
		return;
	}
	at = strstr(text, e->from);
	if (!at)
		CASE_FAIL("'%s' not in %s", e->from, e->file);
	out = malloc(strlen(text) + strlen(e->to) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), e->to);
	strcat(out, at + strlen(e->from));
	spit(e->file, out, "wb");
	free(out);
	free(text);
}

static void run(const char *as_of, unsigned checks, bool explain,
		struct sales_check_result *res)
{
	struct sales_context ctx;
	struct sales_error err;
	struct sales_check_options opt = { .checks = checks, .as_of = d(as_of), .explain = explain };

	if (sales_context_load(&ctx, dir, d(as_of), &err) < 0)
		CASE_FAIL("context: %s", err.message);
	if (sales_check_run(&ctx, &opt, res, &err) < 0)
		CASE_FAIL("check: %s:%ld: %s", err.file, err.line, err.message);
	sales_context_release(&ctx);
}

static void dump(const struct sales_check_result *res)
{
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *f = &res->findings[i];

		print_error("  %s:%ld:%s: %s[%s]: %s\n", f->file, f->line,
			    f->cell, sales_severity_name(f->severity),
			    sales_check_defs[f->check].name, f->message);
	}
}

static void test_example_clean(void **state)
{
	struct sales_check_result res;

	(void)state;
	run("2024-01-15", 0, false, &res);
	if (res.nfindings)
		dump(&res);
	assert_int_equal(res.nfindings, 0);
	assert_int_equal(res.errors + res.warnings + res.notes, 0);
	assert_int_equal(res.ncustomers, 2);
	sales_check_result_release(&res);
}

/* The exception rows that allow a breach (approved by 吴磊, a 销售经理). */
#define SKIP_02 "科技有限公司,跳过环节,需求分析,客户已有明确需求,,吴磊,2023-10-11\r\n"
#define SKIP_03 "科技有限公司,跳过环节,方案制定,老客户复购沿用原方案,,吴磊,2023-10-20\r\n"
#define LATE_01 "YY商贸有限公司,延期,客户开发,客户负责人出差,2024-01-20,吴磊,2023-10-10\r\n"
#define LATE_03 "科技有限公司,延期,方案制定,客户要求补充案例,2023-10-25,吴磊,2023-10-18\r\n"
#define FLOOR_GM "科技有限公司,底线让步,谈判签约,战略客户首单,,黄志明,2023-10-24\r\n"

static const struct planted {
	const char *name;
	struct edit edits[2];
	const char *as_of;
	const char *check, *severity, *file;
	long line;
	const char *cell, *customer, *message_has;
	const char *exception;   /* the row that turns it into a note, or NULL */
} planted[] = {
	{ "stages: no survey", { { "02-surveys.csv", "HEADER", NULL } },
	  "2024-01-15", "stages", "error", "03-solutions.csv", 2, "A2",
	  "科技有限公司", "stage 需求分析 was skipped", SKIP_02 },
	{ "order: acceptance before delivery",
	  { { "06-acceptance.csv", "2023.12.20", "2023.10.30" } },
	  "2024-01-15", "order", "error", "06-acceptance.csv", 2, "B2",
	  "科技有限公司", "before stage 项目交付 began", NULL },
	{ "screening: no grade past 3 working days",
	  { { "01-leads.csv", ",B类,周敏", ",,周敏" } },
	  "2024-01-15", "screening", "error", "01-leads.csv", 3, "J3",
	  "YY商贸有限公司", "the deadline was 2023-10-11", LATE_01 },
	{ "proposal: submitted after 5 working days",
	  { { "03-solutions.csv", "2023-10-17,2023-10-18", "2023-10-20,2023-10-23" } },
	  "2024-01-15", "proposal", "error", "03-solutions.csv", 2, "J2",
	  "科技有限公司", "the deadline was 2023-10-19", LATE_03 },
	{ "approvals: 法务 before 销售经理",
	  { { "04-contracts.csv", NULL,
	      "HT20231002,科技有限公司,258,2024.01-2025.01,备件,张伟,,同意,,审批中,,,\r\n" } },
	  "2024-01-15", "approvals", "error", "04-contracts.csv", 3, "H3",
	  "科技有限公司", "法务 approved before 销售经理", NULL },
	{ "approvals: 已审批 with an opinion missing",
	  { { "04-contracts.csv", NULL,
	      "HT20231002,科技有限公司,258,2024.01-2025.01,备件,张伟,同意,同意,,已审批,,,\r\n" } },
	  "2024-01-15", "approvals", "error", "04-contracts.csv", 3, "J3",
	  "科技有限公司", "审批状态 is 已审批 but the opinions make it 审批中", NULL },
	{ "floor: 合同金额 below 报价 less 10%",
	  { { "04-contracts.csv", ",科技有限公司,258,", ",科技有限公司,232.1," } },
	  "2024-01-15", "floor", "error", "04-contracts.csv", 2, "C2",
	  "科技有限公司", "合同金额 232.1 is below the floor 232.2", FLOOR_GM },
	{ "approvals: signed but 客户状态 跟进中",
	  { { "01-leads.csv", ",已签约,", ",跟进中," } },
	  "2024-01-15", "approvals", "error", "01-leads.csv", 2, "O2",
	  "科技有限公司", "it should be 已签约", NULL },
	{ "gates: contract without a passed review",
	  { { "03-solutions.csv", "\"通过,需补充案例\"", "\"不通过,需补充案例\"" } },
	  "2024-01-15", "gates", "error", "04-contracts.csv", 2, "B2",
	  "科技有限公司", "no proposal whose review passed", SKIP_03 },
	{ "payments: 10 days overdue",
	  { { "04-contracts.csv", "2023-11-24,2023-11-20", "2024-01-05," } },
	  "2024-01-15", "payments", "error", "04-contracts.csv", 2, "L2",
	  "科技有限公司", "start collection (催款)", NULL },
	{ "payments: due in 2 days",
	  { { "04-contracts.csv", "2023-11-24,2023-11-20", "2024-01-17," } },
	  "2024-01-15", "payments", "warning", "04-contracts.csv", 2, "L2",
	  "科技有限公司", "in 2 days", NULL },
	{ "stalled: A-grade lead idle since registration",
	  { { "01-leads.csv", ",B类,周敏", ",A类,周敏" } },
	  "2024-01-15", "stalled", "warning", "01-leads.csv", 3, "L3",
	  "YY商贸有限公司", "no contact for 99 days", NULL },
	{ "aftersales: no follow-up for 96 days",
	  { { NULL, NULL, NULL } },
	  "2024-04-15", "aftersales", "error", "07-followups.csv", 2, "B2",
	  "科技有限公司", "one was due by 2024-04-11", NULL },
	{ "timeliness: 最后跟进时间 older than the follow-up",
	  { { "01-leads.csv", ",2024-01-10,需确认预算", ",2023-12-10,需确认预算" } },
	  "2024-01-15", "timeliness", "error", "01-leads.csv", 2, "L2",
	  "科技有限公司", "older than its latest activity on 2024-01-10", NULL },
	{ "timeliness: a date in the future",
	  { { "07-followups.csv", "2024.01.10,孙丽", "2024.01.16,孙丽" } },
	  "2024-01-15", "timeliness", "error", "07-followups.csv", 2, "B2",
	  "科技有限公司", "跟进时间 2024-01-16 lies in the future", NULL },
	{ "refs: a follow-up for a misspelt customer",
	  { { "07-followups.csv", NULL,
	      "科技有限公公司,2024.01.12,孙丽,电话回访,,,,4\r\n" } },
	  "2024-01-15", "refs", "error", "07-followups.csv", 3, "A3",
	  "科技有限公公司", "did you mean '科技有限公司'?", NULL },
	{ "values: phone mangled by Excel",
	  { { "01-leads.csv", "13956782046", "1.39568E+10" } },
	  "2024-01-15", "values", "error", "01-leads.csv", 3, "G3",
	  "YY商贸有限公司", "mangled by Excel", NULL },
	{ "values: an Excel serial date",
	  { { "06-acceptance.csv", "2023.12.20", "45280" } },
	  "2024-01-15", "values", "error", "06-acceptance.csv", 2, "B2",
	  "科技有限公司", "it stands for 2023-12-20", NULL },
	{ "values: a grade that is not one",
	  { { "01-leads.csv", ",B类,周敏", ",D类,周敏" } },
	  "2024-01-15", "values", "error", "01-leads.csv", 3, "J3",
	  "YY商贸有限公司", "'D类' is not a grade", NULL },
	{ "duplicates: a customer twice in 01",
	  { { "01-leads.csv", NULL,
	      "3,科技有限公司,制造业,,,,,,,B类,张伟,2023-10-08,,2023-10-08,跟进中,华东,,\r\n" } },
	  "2024-01-15", "duplicates", "error", "01-leads.csv", 4, "B4",
	  "科技有限公司", "already on line 2", NULL },
	{ "duplicates: a near-duplicate name",
	  { { "01-leads.csv", NULL,
	      "3,科技有限責任公司,制造业,,,,,,,B类,张伟,2023-10-08,,2023-10-08,跟进中,华东,,\r\n" } },
	  "2024-01-15", "duplicates", "warning", "01-leads.csv", 4, "B4",
	  "科技有限責任公司", "looks like '科技有限公司' on line 2", NULL },
	{ "injection: a formula in 备注",
	  { { "01-leads.csv", ",决策人未明确,", ",\"=HYPERLINK(\"\"http://x\"\")\"," } },
	  "2024-01-15", "injection", "error", "01-leads.csv", 3, "M3",
	  "YY商贸有限公司", "would run as a formula", NULL },
	{ "exceptions: approved by a 销售代表",
	  { { "exceptions.csv", NULL,
	      "YY商贸有限公司,跳过环节,需求分析,客户已有方案,,张伟,2023-10-10\r\n" } },
	  "2024-01-15", "exceptions", "error", "exceptions.csv", 2, "F2",
	  "YY商贸有限公司", "not a 销售经理", NULL },
	{ "exceptions: no reason",
	  { { "exceptions.csv", NULL,
	      "YY商贸有限公司,跳过环节,需求分析,,,吴磊,2023-10-10\r\n" } },
	  "2024-01-15", "exceptions", "error", "exceptions.csv", 2, "D2",
	  "YY商贸有限公司", "no reason", NULL },
};

static void expect_one(const struct planted *p, const char *severity,
		       const char *message_has)
{
	struct sales_check_result res;
	const struct sales_finding *f;

	run(p->as_of, 0, false, &res);
	if (res.nfindings != 1) {
		dump(&res);
		CASE_FAIL("%s: %zu findings, expected 1", p->name, res.nfindings);
	}
	f = &res.findings[0];
	if (strcmp(sales_check_defs[f->check].name, p->check) ||
	    strcmp(sales_severity_name(f->severity), severity) ||
	    strcmp(f->file, p->file) || f->line != p->line ||
	    strcmp(f->cell, p->cell) || strcmp(f->customer, p->customer) ||
	    !strstr(f->message, message_has)) {
		dump(&res);
		CASE_FAIL("%s: expected %s:%ld:%s: %s[%s] for '%s' saying '%s'",
			  p->name, p->file, p->line, p->cell, severity, p->check,
			  p->customer, message_has);
	}
	sales_check_result_release(&res);
}

static void test_planted(void **state)
{
	for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++) {
		const struct planted *p = &planted[i];

		teardown(state);
		assert_int_equal(setup(state), 0);
		for (size_t e = 0; e < 2; e++)
			apply(&p->edits[e]);
		expect_one(p, p->severity, p->message_has);
		if (!p->exception)
			continue;
		spit("exceptions.csv", p->exception, "ab");
		expect_one(p, "note", "exceptions.csv:2");
	}
}

/* The exception must be approved by a 销售经理: by anyone else the breach
 * stays an error (and the exception row is one too). */
static void test_invalid_exception_keeps_breach(void **state)
{
	struct sales_check_result res;
	const struct edit e = { "02-surveys.csv", "HEADER", NULL };

	teardown(state);
	assert_int_equal(setup(state), 0);
	apply(&e);
	spit("exceptions.csv",
	     "科技有限公司,跳过环节,需求分析,客户已有明确需求,,张伟,2023-10-11\r\n", "ab");
	run("2024-01-15", 0, false, &res);
	assert_int_equal(res.nfindings, 2);
	assert_int_equal(res.errors, 2);
	assert_string_equal(res.findings[0].file, "03-solutions.csv");
	assert_non_null(strstr(res.findings[0].message,
			       "the exception on exceptions.csv:2 does not count"));
	assert_string_equal(res.findings[1].file, "exceptions.csv");
	assert_int_equal(res.findings[1].check, SALES_CHECK_EXCEPTIONS);
	sales_check_result_release(&res);
}

/* Several breaches come out sorted: sheet, line, column, check. */
static void test_sorted_strict_and_filtered(void **state)
{
	struct sales_check_result res;
	const struct edit edits[] = {
		{ "exceptions.csv", NULL, "YY商贸有限公司,跳过环节,需求分析,理由,,张伟,2023-10-10\r\n" },
		{ "01-leads.csv", ",B类,周敏", ",A类,周敏" },
		{ "01-leads.csv", "13956782046", "1.39568E+10" },
		{ "04-contracts.csv", "2023-11-24,2023-11-20", "2024-01-17," },
	};
	static const char *const want[][3] = {
		{ "01-leads.csv", "G3", "values" },
		{ "01-leads.csv", "L3", "stalled" },
		{ "04-contracts.csv", "L2", "payments" },
		{ "exceptions.csv", "F2", "exceptions" },
	};
	struct sales_context ctx;
	struct sales_error err;
	struct sales_check_options opt = { .as_of = d("2024-01-15"), .strict = true };

	teardown(state);
	assert_int_equal(setup(state), 0);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		apply(&edits[i]);
	run("2024-01-15", 0, false, &res);
	if (res.nfindings != 4)
		dump(&res);
	assert_int_equal(res.nfindings, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(res.findings[i].file, want[i][0]);
		assert_string_equal(res.findings[i].cell, want[i][1]);
		assert_string_equal(sales_check_defs[res.findings[i].check].name,
				    want[i][2]);
	}
	assert_int_equal(res.errors, 2);
	assert_int_equal(res.warnings, 2);
	sales_check_result_release(&res);

	/* --strict: the warnings count as errors */
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_check_run(&ctx, &opt, &res, &err), 0);
	assert_int_equal(res.errors, 4);
	assert_int_equal(res.warnings, 0);
	sales_check_result_release(&res);
	sales_context_release(&ctx);

	/* only the checks asked for */
	run("2024-01-15", (1u << SALES_CHECK_STALLED) | (1u << SALES_CHECK_VALUES),
	    false, &res);
	assert_int_equal(res.nfindings, 2);
	assert_int_equal(res.findings[0].check, SALES_CHECK_VALUES);
	assert_int_equal(res.findings[1].check, SALES_CHECK_STALLED);
	sales_check_result_release(&res);

	/* excerpts: the row of each finding, read again for display */
	run("2024-01-15", 0, false, &res);
	assert_int_equal(sales_check_excerpts(&res, dir, 40, &err), 0);
	assert_non_null(res.findings[0].excerpt);
	assert_true(strncmp(res.findings[0].excerpt, "2,YY商贸有限公司,零售", 25) == 0);
	assert_true(strncmp(res.findings[2].excerpt, "HT20231001,科技有限公司", 20) == 0);
	sales_check_result_release(&res);
}

/*
 * Streamed findings (options.stream, runs of 2 in a temporary file, merged
 * back) come out as the sorted array does: the same findings, fields and
 * counts, in the same order, with strict and explain too.  The workbook has
 * findings in 01, 02, 04 and exceptions.csv, several on one row and
 * refs findings of a customer not in 01 (which resolve_skips revisits).
 */
static void test_streamed_same_as_sorted(void **state)
{
	const struct edit edits[] = {
		{ "exceptions.csv", NULL, "YY商贸有限公司,跳过环节,需求分析,理由,,张伟,2023-10-10\r\n" },
		{ "01-leads.csv", ",B类,周敏", ",A类,周敏" },
		{ "01-leads.csv", "13956782046", "1.39568E+10" },
		{ "04-contracts.csv", "2023-11-24,2023-11-20", "2024-01-17," },
		{ "01-leads.csv", NULL, "3,坏客户,制造业,100人,张三,经理,1.38E+10,展会,需求,D类,王五,2024-13-01,=cmd,2024-01-01,跟进中,华东,智能,abc\r\n" },
		{ "01-leads.csv", NULL, "4,\"引号\"\"客户\",,,,,,,,A类,,上周,,,,,,\r\n" },
		{ "02-surveys.csv", NULL, "不存在的客户,2023-10-12,王五,x,y,z,w,v,u\r\n" },
		{ "02-surveys.csv", NULL, "坏客户,2023/99/99,,,,,,,\r\n" },
	};
	struct sales_check_options opt = { .as_of = d("2024-01-15") };
	struct sales_context ctx;
	struct sales_error err;

	teardown(state);
	assert_int_equal(setup(state), 0);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		apply(&edits[i]);
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	for (int mode = 0; mode < 3; mode++) {
		struct sales_check_result want, got;
		const struct sales_finding *f;
		size_t n = 0;

		opt.strict = mode == 1;
		opt.explain = mode == 2;
		opt.stream = false;
		opt.spill_at = 0;
		assert_int_equal(sales_check_run(&ctx, &opt, &want, &err), 0);
		assert_true(want.nfindings >= 15);
		opt.stream = true;
		opt.spill_at = 2;
		assert_int_equal(sales_check_run(&ctx, &opt, &got, &err), 0);
		assert_null(got.findings);   /* it did spill */
		assert_int_equal(got.nfindings, want.nfindings);
		assert_int_equal(got.errors, want.errors);
		assert_int_equal(got.warnings, want.warnings);
		assert_int_equal(got.notes, want.notes);
		while (sales_check_next(&got, &f, &err) > 0) {
			const struct sales_finding *w = &want.findings[n++];

			assert_true(n <= want.nfindings);
			assert_int_equal(f->check, w->check);
			assert_int_equal(f->severity, w->severity);
			assert_string_equal(f->file, w->file);
			assert_int_equal(f->line, w->line);
			assert_int_equal(f->excel_row, w->excel_row);
			assert_int_equal(f->column, w->column);
			assert_string_equal(f->cell, w->cell);
			assert_string_equal(f->customer, w->customer);
			assert_string_equal(f->message, w->message);
			if (w->explain)
				assert_string_equal(f->explain, w->explain);
			else
				assert_null(f->explain);
		}
		assert_int_equal(n, want.nfindings);
		assert_int_equal(sales_check_next(&got, &f, &err), 0);
		/* and the array walks the same way */
		n = 0;
		while (sales_check_next(&want, &f, &err) > 0)
			assert_ptr_equal(f, &want.findings[n++]);
		assert_int_equal(n, want.nfindings);
		sales_check_result_release(&want);
		sales_check_result_release(&got);
	}
	sales_context_release(&ctx);
}

/*
 * Working days from holidays-cn.csv: a lead registered on `registered`
 * without a grade is on time up to `due` and late the day after.
 */
static const struct {
	const char *what, *registered, *due, *after, *explain;
} deadlines[] = {
	{ "国庆 2023", "2023-09-28", "2023-10-09", "2023-10-10",
	  "登记日期 2023-09-28 + 3 working days → 2023-10-09 (09-29..10-06 off: 中秋节、国庆节; 10-07, 10-08 are 班 days)" },
	{ "春节 2024", "2024-02-08", "2024-02-19", "2024-02-20",
	  "登记日期 2024-02-08 + 3 working days → 2024-02-19 (02-10..02-17 off: 春节; 02-18 is a 班 day)" },
	{ "班 Sunday 2024-02-04", "2024-02-02", "2024-02-06", "2024-02-07",
	  "登记日期 2024-02-02 + 3 working days → 2024-02-06 (02-04 is a 班 day)" },
	{ "unknown year", "2030-09-27", "2030-10-02", "2030-10-03",
	  "登记日期 2030-09-27 + 3 working days → 2030-10-02; 2030 calendar unknown" },
};

static void test_working_days(void **state)
{
	char cmd[256], row[256];

	(void)state;
	for (size_t i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++) {
		struct sales_check_result res;
		unsigned only = 1u << SALES_CHECK_SCREENING;

		teardown(state);
		assert_int_equal(setup(state), 0);
		snprintf(cmd, sizeof(cmd),
			 "cp tests/data/holidays-cn.csv %s/holidays.csv", dir);
		assert_int_equal(system(cmd), 0);
		spit("01-leads.csv", "序号,客户名称,线索等级,最后跟进时间,登记日期\r\n", "wb");
		snprintf(row, sizeof(row), "1,新客户有限公司,,%s,%s\r\n",
			 deadlines[i].registered, deadlines[i].registered);
		spit("01-leads.csv", row, "ab");

		run(deadlines[i].due, only, true, &res);
		if (res.nfindings != 1 || res.findings[0].severity != SALES_SEV_INFO)
			CASE_FAIL("%s: not on time on %s", deadlines[i].what,
				  deadlines[i].due);
		if (strcmp(res.findings[0].explain, deadlines[i].explain))
			CASE_FAIL("%s: explain '%s', expected '%s'",
				  deadlines[i].what, res.findings[0].explain,
				  deadlines[i].explain);
		sales_check_result_release(&res);

		run(deadlines[i].after, only, false, &res);
		if (res.nfindings != 1 || res.errors != 1 ||
		    strcmp(res.findings[0].cell, "C2"))
			CASE_FAIL("%s: not late on %s", deadlines[i].what,
				  deadlines[i].after);
		snprintf(row, sizeof(row), "the deadline was %s", deadlines[i].due);
		if (!strstr(res.findings[0].message, row))
			CASE_FAIL("%s: '%s' lacks '%s'", deadlines[i].what,
				  res.findings[0].message, row);
		if (!strcmp(deadlines[i].what, "unknown year") &&
		    !strstr(res.findings[0].message, "holidays.csv has no rows for 2030"))
			CASE_FAIL("%s: '%s' does not say the year is unknown",
				  deadlines[i].what, res.findings[0].message);
		sales_check_result_release(&res);
	}
}

static void test_check_names(void **state)
{
	(void)state;
	assert_int_equal(sales_check_find("stages"), SALES_CHECK_STAGES);
	assert_int_equal(sales_check_find("exceptions"), SALES_CHECK_EXCEPTIONS);
	assert_int_equal(sales_check_find("stage"), -1);
	for (int i = 0; i < SALES_NCHECKS; i++) {
		assert_non_null(sales_check_defs[i].name);
		assert_true(sales_check_defs[i].severity == SALES_SEV_ERROR ||
			    sales_check_defs[i].severity == SALES_SEV_WARNING);
		assert_int_equal(sales_check_find(sales_check_defs[i].name), i);
	}
}

/* A sheet that cannot be read fails the run (the command exits 2). */
/* The finding of check id in res whose message starts with msg, or NULL. */
static const struct sales_finding *has(const struct sales_check_result *res,
				       enum sales_check_id id, const char *msg)
{
	for (size_t i = 0; i < res->nfindings; i++)
		if (res->findings[i].check == id &&
		    !strncmp(res->findings[i].message, msg, strlen(msg)))
			return &res->findings[i];
	return NULL;
}

static void same_findings(const struct sales_check_result *a,
			  const struct sales_check_result *b)
{
	assert_int_equal(a->nfindings, b->nfindings);
	for (size_t i = 0; i < a->nfindings; i++) {
		assert_int_equal(a->findings[i].check, b->findings[i].check);
		assert_int_equal(a->findings[i].line, b->findings[i].line);
		assert_string_equal(a->findings[i].cell, b->findings[i].cell);
		assert_string_equal(a->findings[i].message, b->findings[i].message);
	}
}

/*
 * Narrowed to one customer (check --customer, and status's session on its
 * story's load), the rules that read the other customers' rows still see
 * them: a near-duplicate lead names the earlier lead it looks like, and a
 * customer not in 01 gets its "did you mean" - whether the name is typed
 * in full or as a part of it.
 */
static void test_narrowed_names(void **state)
{
	static const char *const names[][2] = {
		{ "华瑞精密机械有限責任公司", "华瑞精密机械有限責任公司" },
		{ "华瑞精蜜机械有限公司", "华瑞精蜜机械有限公司" },
		{ "精蜜", "华瑞精蜜机械有限公司" },
	};
	struct sales_check_options opt = { .as_of = d("2024-01-15") };
	struct sales_context ctx;
	struct sales_error err;

	teardown(state);
	assert_int_equal(setup(state), 0);
	spit("01-leads.csv", "3,华瑞精密机械有限公司,制造业,100-300人/1亿以下,李总,总经理,13800000001,行业展会,产线升级,A类,张伟,2024-01-10,,2024-01-08,跟进中,华东,智能物流,80,\r\n"
	     "4,华瑞精密机械有限責任公司,制造业,100-300人/1亿以下,赵总,总经理,13800000002,行业展会,产线升级,B类,周敏,2024-01-10,,2024-01-09,跟进中,华东,智能物流,60,\r\n",
	     "ab");
	spit("02-surveys.csv", "华瑞精蜜机械有限公司,2024-01-09,张伟,李总(总经理),效率低,产线升级(高),100万,总经理,\r\n",
	     "ab");
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct sales_check_result one, chained;
		struct sales_check_session *chk;
		struct sales_story s;

		opt.customer = names[i][0];
		assert_int_equal(sales_check_run(&ctx, &opt, &one, &err), 0);
		assert_int_equal(one.match, SALES_CHECK_MATCHED);
		assert_string_equal(one.matched, names[i][1]);
		if (i == 0)
			assert_non_null(has(&one, SALES_CHECK_DUPLICATES,
					    "'华瑞精密机械有限責任公司' looks like '华瑞精密机械有限公司' on line 4:"));
		else
			assert_non_null(has(&one, SALES_CHECK_REFS,
					    "customer '华瑞精蜜机械有限公司' is not in 01-leads.csv; did you mean '华瑞精密机械有限公司'?"));
		for (size_t j = 0; j < one.nfindings; j++)
			assert_string_equal(one.findings[j].customer, names[i][1]);

		/* status: one load for the story and the findings */
		assert_int_equal(sales_check_session_open(&chk, &ctx, &opt, &err), 0);
		assert_int_equal(sales_story_load_checked(&s, &ctx, names[i][0], chk,
							  &err), 0);
		assert_string_equal(sales_model_str(s.model,
						    s.model->customers[s.customer].name),
				    names[i][1]);
		assert_int_equal(sales_check_session_finish(chk, s.model, names[i][1],
							    &chained, &err), 0);
		same_findings(&one, &chained);
		sales_check_result_release(&chained);
		sales_check_session_close(chk);
		sales_story_release(&s);
		sales_check_result_release(&one);
	}
	sales_context_release(&ctx);
}

static size_t lines_of(const char *file)
{
	char *t = slurp(file);
	size_t n = 0;

	for (const char *c = t; *c; c++)
		n += *c == '\n';
	free(t);
	return n;
}

/*
 * The key tables (names once spaces, brackets and company forms are
 * ignored; 合同编号) grown many times over before they are asked: 3000
 * leads, then for every seventh a lead that only looks like it (a
 * customer of its own and no key of its own, so the table's entries run
 * behind the customers' numbers); 500 contracts, then 100 repeating the
 * numbers of every fifth of them.  Each repeat is found, naming the line
 * of the row it repeats, and nothing else is.
 */
static void test_key_tables_grow(void **state)
{
	struct sales_check_options opt = { .as_of = d("2024-01-15") };
	struct sales_context ctx;
	struct sales_error err;
	struct sales_check_result res;
	struct sales_buf leads = { 0 }, cons = { 0 };
	size_t l0, c0, nlooks = 0, nrepeats = 0;
	char msg[256];

	teardown(state);
	assert_int_equal(setup(state), 0);
	l0 = lines_of("01-leads.csv");
	c0 = lines_of("04-contracts.csv");
	for (int i = 0; i < 3000 + 429; i++) {
		/* lead i on line l0 + 1 + i; then the look-alike of lead 7k */
		int n = i < 3000 ? i : (i - 3000) * 7;

		assert_int_equal(sales_buf_printf(&leads, "%d,键表%04d精密机械%s,制造业,100-300人/1亿以下,李总,总经理,13800000001,行业展会,产线升级,A类,张伟,2024-01-10,,2024-01-08,跟进中,华东,智能物流,80,\r\n",
						  i + 100, n, i < 3000 ? "有限公司" : "有限責任公司"), 0);
	}
	for (int i = 0; i < 600; i++) {
		/* contract i on line c0 + 1 + i; 500.. repeat 0, 5, 10 ... */
		int n = i < 500 ? i : (i - 500) * 5;

		assert_int_equal(sales_buf_printf(&cons, "KT%05d,键表%04d精密机械有限公司,100,2024.01-2025.01,,张伟,同意,条款合规,同意,已审批,2024-01-10,2024-02-10,\r\n",
						  n, i), 0);
	}
	spit("01-leads.csv", leads.data, "ab");
	spit("04-contracts.csv", cons.data, "ab");
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_check_run(&ctx, &opt, &res, &err), 0);
	for (size_t i = 0; i < res.nfindings; i++) {
		const struct sales_finding *f = &res.findings[i];
		int n = -1;

		if (f->check != SALES_CHECK_DUPLICATES)
			continue;
		if (sscanf(f->message, "'键表%d", &n) == 1) {
			assert_true(n >= 0 && n < 3000 && n % 7 == 0);
			snprintf(msg, sizeof(msg),
				 "'键表%04d精密机械有限責任公司' looks like '键表%04d精密机械有限公司' on line %zu:",
				 n, n, l0 + 1 + (size_t)n);
			assert_true(!strncmp(f->message, msg, strlen(msg)));
			assert_int_equal(f->line, (long)(l0 + 1 + 3000 + (size_t)n / 7));
			nlooks++;
		} else if (sscanf(f->message, "contract number 'KT%d", &n) == 1) {
			assert_true(n >= 0 && n < 500 && n % 5 == 0);
			snprintf(msg, sizeof(msg),
				 "contract number 'KT%05d' is already on line %zu", n,
				 c0 + 1 + (size_t)n);
			assert_string_equal(f->message, msg);
			assert_int_equal(f->line, (long)(c0 + 1 + 500 + (size_t)n / 5));
			nrepeats++;
		}
	}
	assert_int_equal(nlooks, 429);
	assert_int_equal(nrepeats, 100);
	sales_check_result_release(&res);
	sales_context_release(&ctx);
	sales_buf_release(&leads);
	sales_buf_release(&cons);
}

static void test_unreadable(void **state)
{
	struct sales_context ctx;
	struct sales_error err;
	struct sales_check_result res;
	struct sales_check_options opt = { .as_of = SALES_DATE_NONE };

	teardown(state);
	assert_int_equal(setup(state), 0);
	spit("04-contracts.csv", "HT1,\"未闭合\r\n", "ab");
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_check_run(&ctx, &opt, &res, &err), -1);
	assert_string_equal(err.file, "04-contracts.csv");
	assert_int_equal(res.nfindings, 0);
	sales_context_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_names),
		cmocka_unit_test(test_example_clean),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_invalid_exception_keeps_breach),
		cmocka_unit_test(test_sorted_strict_and_filtered),
		cmocka_unit_test(test_streamed_same_as_sorted),
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_narrowed_names),
		cmocka_unit_test(test_key_tables_grow),
	};

	return cmocka_run_group_tests_name("check", tests, setup, teardown);
}
