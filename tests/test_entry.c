/* test_entry.c - entries built from options, opinions as
 * written, stage gates and lead moves, on tables and on a copy of the
 * example workbook. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "entry.h"
#include "rules.h"
#include "workbook.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_entry", 1);
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

static void append_line(const char *file, const char *line)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "ab");
	assert_non_null(f);
	fputs(line, f);
	fclose(f);
}

/* ---- entries ---- */

static void test_entry_options(void **state)
{
	const struct sales_sheet_def *leads = sales_sheet_def(SALES_LEADS);
	const struct sales_sheet_def *con = sales_sheet_def(SALES_CONTRACTS);
	char buf[32];

	(void)state;
	assert_string_equal(sales_entry_option(leads, LEAD_LAST_CONTACT, buf,
					       sizeof(buf)), "last-contact");
	assert_string_equal(sales_entry_option(con, CON_PAYMENT_DUE, buf,
					       sizeof(buf)), "payment-due");
	assert_string_equal(sales_entry_option(con, CON_PAYMENT_DUE, buf, 4),
			    "pay");
	assert_int_equal(sales_entry_column(leads, "last-contact"), LEAD_LAST_CONTACT);
	assert_int_equal(sales_entry_column(leads, "last_contact"), LEAD_LAST_CONTACT);
	assert_int_equal(sales_entry_column(leads, "last"), -1);
	assert_int_equal(sales_entry_column(leads, "最后跟进时间"), -1);
	/* columns other commands keep */
	assert_true(sales_entry_managed(SALES_SOLUTIONS, SOL_REVIEW));
	assert_true(sales_entry_managed(SALES_CONTRACTS, CON_APPROVAL));
	assert_true(sales_entry_managed(SALES_CONTRACTS, CON_SIGNED));
	assert_false(sales_entry_managed(SALES_CONTRACTS, CON_AMOUNT));
	assert_false(sales_entry_managed(SALES_FOLLOWUPS, FU_SATISFACTION));
}

static void test_entry_build(void **state)
{
	struct sales_entry e;
	struct sales_error err;
	sales_date today = d("2024-01-15");

	(void)state;
	sales_entry_init(&e, SALES_FOLLOWUPS);
	assert_int_equal(sales_entry_set(&e, FU_CUSTOMER, "  科技有限公司　", today, &err), 0);
	assert_string_equal(sales_entry_get(&e, FU_CUSTOMER), "科技有限公司");
	assert_int_equal(sales_entry_set(&e, FU_SATISFACTION, "7", today, &err), -1);
	assert_int_equal(err.code, SALES_ERULE);
	assert_string_equal(err.message,
			    "option '--satisfaction': 满意度 '7' is not from 1 to 5");
	assert_int_equal(sales_entry_set(&e, FU_NEXT_PLAN, "下周", today, &err), -1);
	assert_int_equal(err.code, SALES_EVALUE);
	assert_non_null(strstr(err.message, "option '--next-plan': 下次跟进计划 '下周'"));
	assert_string_equal(sales_entry_get(&e, FU_NEXT_PLAN), "");
	assert_int_equal(sales_entry_set(&e, FU_SATISFACTION, "5", today, &err), 0);
	/* a blank value clears */
	assert_int_equal(sales_entry_set(&e, FU_SATISFACTION, " ", today, &err), 0);
	assert_null(sales_entry_values(&e)[FU_SATISFACTION]);
	/* the date defaults to today */
	assert_null(sales_entry_values(&e)[FU_DATE]);
	assert_int_equal(sales_entry_defaults(&e, today, &err), 0);
	assert_string_equal(sales_entry_get(&e, FU_DATE), "2024-01-15");
	assert_int_equal(sales_entry_complete(&e, &err), 0);
	sales_entry_release(&e);

	sales_entry_init(&e, SALES_ACCEPTANCE);
	assert_int_equal(sales_entry_set(&e, ACC_CUSTOMER, "X", today, &err), 0);
	assert_int_equal(sales_entry_defaults(&e, today, &err), 0);
	assert_int_equal(sales_entry_complete(&e, &err), -1);
	assert_int_equal(err.code, SALES_EUSAGE);
	assert_string_equal(err.message, "missing option '--result' (验收结果)");
	sales_entry_release(&e);

	sales_entry_init(&e, SALES_CONTRACTS);
	assert_int_equal(sales_entry_defaults(&e, today, &err), 0);
	assert_string_equal(sales_entry_get(&e, CON_APPROVAL), "待审批");
	assert_string_equal(sales_entry_get(&e, CON_SIGNED), "");
	sales_entry_release(&e);

	sales_entry_init(&e, SALES_EXCEPTIONS);
	assert_int_equal(sales_entry_set(&e, EXC_CUSTOMER, "X", today, &err), 0);
	assert_int_equal(sales_entry_set(&e, EXC_TYPE, "延期", today, &err), 0);
	assert_int_equal(sales_entry_set(&e, EXC_STAGE, "方案制定", today, &err), 0);
	assert_int_equal(sales_entry_set(&e, EXC_REASON, "客户出差", today, &err), 0);
	assert_int_equal(sales_entry_set(&e, EXC_APPROVER, "吴磊", today, &err), 0);
	assert_int_equal(sales_entry_set(&e, EXC_TYPE, "跳过", today, &err), -1);
	assert_int_equal(sales_entry_defaults(&e, today, &err), 0);
	assert_string_equal(sales_entry_get(&e, EXC_APPROVED), "2024-01-15");
	assert_int_equal(sales_entry_complete(&e, &err), -1);
	assert_non_null(strstr(err.message, "'--deadline'"));
	assert_int_equal(sales_entry_set(&e, EXC_DEADLINE, "2024-02-01", today, &err), 0);
	assert_int_equal(sales_entry_complete(&e, &err), 0);
	sales_entry_release(&e);
}

/* ---- opinions ---- */

static void test_opinion_texts(void **state)
{
	static const struct {
		bool review;      /* sales_review_text, else sales_opinion_text */
		bool yes;         /* pass / agree */
		const char *opinion;
		const char *want; /* NULL: refused */
	} cases[] = {
		{ true, true, NULL, "通过" },
		{ true, true, "需补充案例", "通过,需补充案例" },
		{ true, true, " 通过，很好 ", "通过，很好" },
		{ true, true, "不通过", NULL },
		{ true, false, NULL, "不通过" },
		{ true, false, "报价过高", "不通过,报价过高" },
		{ true, false, "驳回：报价过高", "驳回：报价过高" },
		{ true, false, "通过", NULL },
		{ false, true, NULL, "同意" },
		{ false, true, "条款合规", "条款合规" },
		{ false, true, "不同意", NULL },
		{ false, false, NULL, "驳回" },
		{ false, false, "金额超出授权", "驳回,金额超出授权" },
		{ false, false, "不同意，价格过低", "不同意，价格过低" },
	};
	struct sales_buf out = {0};
	struct sales_error err;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int rc = cases[i].review ?
			 sales_review_text(cases[i].yes, cases[i].opinion, &out, &err) :
			 sales_opinion_text(!cases[i].yes, cases[i].opinion, &out, &err);

		if (cases[i].want ? (rc != 0 || strcmp(out.data, cases[i].want)) :
				    (rc != -1 || err.code != SALES_EUSAGE))
			CASE_FAIL("%zu: rc %d '%s'", i, rc,
				  rc == 0 ? out.data : err.message);
		/* what is written classifies as intended */
		if (rc == 0 && cases[i].review)
			assert_int_equal(sales_review_of(out.data, NULL),
					 cases[i].yes ? SALES_REVIEW_PASSED :
					 SALES_REVIEW_REJECTED);
		if (rc == 0 && !cases[i].review)
			assert_int_equal(sales_opinion_of(out.data),
					 cases[i].yes ? SALES_OPINION_AGREE :
					 SALES_OPINION_REJECT);
	}
	sales_buf_release(&out);
}

/* ---- gates and the workbook ---- */

static void test_gates(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct sales_gate g;
	long k, y;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL,
					  &err), 0);
	k = sales_model_find(m, "科技有限公司");
	y = sales_model_find(m, "YY商贸有限公司");
	for (int id = SALES_SURVEYS; id <= SALES_FOLLOWUPS; id++) {
		assert_int_equal(sales_gate_check(m, k, id, "科技有限公司", &g, &err), 0);
		assert_null(g.missing);
	}
	assert_int_equal(sales_gate_check(m, y, SALES_SURVEYS, "YY商贸有限公司", &g, &err), 0);
	assert_int_equal(sales_gate_check(m, y, SALES_SOLUTIONS, "YY商贸有限公司", &g, &err), -1);
	assert_int_equal(err.code, SALES_ERULE);
	assert_string_equal(g.missing, "需求分析");
	assert_null(g.exception);
	assert_null(g.invalid);
	assert_string_equal(err.message,
			    "stage 需求分析 is missing for 'YY商贸有限公司' (no requirement survey in 02-surveys.csv), so it cannot enter 方案制定");
	/* an unknown customer, with a near name */
	assert_int_equal(sales_gate_check(m, -1, SALES_SURVEYS, "科技有限公", &g, &err), -1);
	assert_string_equal(g.missing, "客户开发");
	assert_non_null(strstr(err.message, "did you mean '科技有限公司'?"));
	sales_model_free(m);

	/* an exception approved by a 销售代表 does not count; a 销售经理's does */
	append_line("exceptions.csv", "YY商贸有限公司,跳过环节,需求调研,老客户,,张伟,2024-01-02\r\n");
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL,
					  &err), 0);
	assert_int_equal(sales_gate_check(m, y, SALES_SOLUTIONS, "YY商贸有限公司", &g, &err), -1);
	assert_non_null(g.invalid);
	assert_int_equal(g.invalid->line, 2);
	sales_model_free(m);
	append_line("exceptions.csv", "YY商贸有限公司,跳过环节,需求分析,老客户,,吴磊,2024-01-02\r\n");
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL,
					  &err), 0);
	assert_int_equal(sales_gate_check(m, y, SALES_SOLUTIONS, "YY商贸有限公司", &g, &err), 0);
	assert_string_equal(g.missing, "需求分析");
	assert_non_null(g.exception);
	assert_int_equal(g.exception->line, 3);
	/* it names 需求分析 only: the contract gate is still shut */
	assert_int_equal(sales_gate_check(m, y, SALES_CONTRACTS, "YY商贸有限公司", &g, &err), -1);
	assert_string_equal(g.missing, "方案制定");
	sales_model_free(m);

	/* a customer in no sheet yet skips 客户开发: found by its name */
	append_line("exceptions.csv", "新公司,跳过环节,客户开发,总部指定,,吴磊,2024-01-02\r\n");
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL,
					  &err), 0);
	assert_int_equal(sales_model_find(m, "新公司"), -1);
	assert_int_equal(sales_gate_check(m, -1, SALES_SURVEYS, " 新公司", &g, &err), 0);
	assert_non_null(g.exception);
	assert_int_equal(g.exception->line, 4);
	assert_int_equal(sales_gate_check(m, -1, SALES_SURVEYS, "旧公司", &g, &err), -1);
	sales_model_free(m);
	sales_context_release(&ctx);
}

static void test_entry_load_refuses_taken_keys(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct sales_entry e;
	sales_date today = d("2024-01-15");

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, today, &err), 0);
	sales_entry_init(&e, SALES_CONTRACTS);
	assert_int_equal(sales_entry_set(&e, CON_CONTRACT, "HT20231001 ", today, &err), 0);
	assert_int_equal(sales_entry_load(&m, &ctx, &e, &err), -1);
	assert_null(m);
	assert_int_equal(err.code, SALES_EEXIST);
	assert_string_equal(err.file, "04-contracts.csv");
	assert_int_equal(err.line, 2);
	assert_int_equal(sales_entry_set(&e, CON_CONTRACT, "HT20231002", today, &err), 0);
	assert_int_equal(sales_entry_load(&m, &ctx, &e, &err), 0);
	assert_non_null(m);
	sales_model_free(m);
	sales_entry_release(&e);

	/* plans: customer + phase, the merged continuation row included */
	sales_entry_init(&e, SALES_PLANS);
	assert_int_equal(sales_entry_set(&e, PLAN_CUSTOMER, "科技有限公司", today, &err), 0);
	assert_int_equal(sales_entry_set(&e, PLAN_PHASE, "设备安装", today, &err), 0);
	assert_int_equal(sales_entry_load(&m, &ctx, &e, &err), -1);
	assert_int_equal(err.line, 3);
	assert_int_equal(sales_entry_set(&e, PLAN_PHASE, "培训", today, &err), 0);
	assert_int_equal(sales_entry_load(&m, &ctx, &e, &err), 0);
	sales_model_free(m);
	sales_entry_release(&e);

	/* surveys take any number of rows per customer */
	sales_entry_init(&e, SALES_SURVEYS);
	assert_int_equal(sales_entry_set(&e, SURVEY_CUSTOMER, "科技有限公司", today, &err), 0);
	assert_int_equal(sales_entry_load(&m, &ctx, &e, &err), 0);
	sales_model_free(m);
	sales_entry_release(&e);
	sales_context_release(&ctx);
}

static void test_proposal_deadline(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	sales_date due;
	long k, y;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL,
					  &err), 0);
	k = sales_model_find(m, "科技有限公司");
	y = sales_model_find(m, "YY商贸有限公司");
	/* last survey Thu 2023-10-12 + 5 working days = Thu 10-19 */
	assert_false(sales_proposal_late(m, k, d("2023-10-19"), &due));
	assert_int_equal(due, d("2023-10-19"));
	assert_true(sales_proposal_late(m, k, d("2023-10-20"), &due));
	/* no survey, no deadline */
	assert_false(sales_proposal_late(m, y, d("2024-01-01"), &due));
	assert_int_equal(due, SALES_DATE_NONE);
	sales_model_free(m);

	append_line("exceptions.csv", "科技有限公司,延期,方案制定,客户出差,2023-10-25,吴磊,2023-10-18\r\n");
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL,
					  &err), 0);
	assert_false(sales_proposal_late(m, k, d("2023-10-25"), &due));
	assert_true(sales_proposal_late(m, k, d("2023-10-26"), &due));
	sales_model_free(m);
	sales_context_release(&ctx);
}

static void test_entry_load_needs_the_sheet(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct sales_entry e;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/06-acceptance.csv", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	sales_entry_init(&e, SALES_ACCEPTANCE);
	assert_int_equal(sales_entry_load(&m, &ctx, &e, &err), -1);
	assert_int_equal(err.code, SALES_ENOTFOUND);
	assert_string_equal(err.file, "06-acceptance.csv");
	sales_entry_release(&e);
	sales_context_release(&ctx);
}

static void test_lead_touch_and_find(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	struct sales_sheet_table *st;
	const char *near;

	(void)state;
	assert_int_equal(sales_txn_begin(&t, dir, "test", &err), 0);
	/* 01 held by the change: the touches edit it (any number of them) */
	st = sales_txn_sheet(&t, SALES_LEADS, &err);
	assert_non_null(st);
	/* an earlier date moves nothing; 跟进中 stays */
	assert_int_equal(sales_lead_touch(&t, "YY商贸有限公司", d("2023-10-01"),
					  NULL, &err), 0);
	assert_int_equal(sales_txn_changes(&t), 0);
	/* a later one moves 最后跟进时间 */
	assert_int_equal(sales_lead_touch(&t, " YY商贸有限公司", d("2023-10-20"),
					  NULL, &err), 0);
	assert_int_equal(sales_txn_changes(&t), 1);
	assert_string_equal(sales_sheet_table_get(st, 1, LEAD_LAST_CONTACT), "2023-10-20");
	assert_string_equal(sales_sheet_table_get(st, 1, LEAD_STATUS), "跟进中");
	/* signing sets the status */
	assert_int_equal(sales_lead_touch(&t, "YY商贸有限公司", SALES_DATE_NONE,
					  "已签约", &err), 0);
	assert_int_equal(sales_txn_changes(&t), 2);
	assert_string_equal(sales_sheet_table_get(st, 1, LEAD_STATUS), "已签约");
	/* a signed lead is not moved back to 跟进中 */
	assert_int_equal(sales_lead_touch(&t, "YY商贸有限公司", SALES_DATE_NONE,
					  NULL, &err), 0);
	assert_int_equal(sales_txn_changes(&t), 2);
	/* no lead: nothing */
	assert_int_equal(sales_lead_touch(&t, "无此公司", d("2023-10-20"), NULL,
					  &err), 0);
	assert_int_equal(sales_txn_changes(&t), 2);

	assert_int_equal(sales_entry_find_row(st, LEAD_CUSTOMER, "YY商贸有限公司 ",
					      &near), 1);
	assert_int_equal(sales_entry_find_row(st, LEAD_CUSTOMER, "YY商贸有限公", &near), -1);
	assert_string_equal(near, "YY商贸有限公司");
	assert_int_equal(sales_entry_find_row(st, LEAD_CUSTOMER, "完全不同的名字", &near), -1);
	assert_null(near);
	assert_true(sales_key_equal(" a\t", "a"));
	assert_false(sales_key_equal("a", "ab"));
	sales_txn_end(&t);   /* never committed: nothing written */
}

/* One touch in a change of its own, 01 not held: streamed, committed;
 * returns the changes it made. */
static size_t touch_alone(const char *customer, sales_date date,
			  const char *status)
{
	struct sales_txn t;
	struct sales_error err;
	size_t n;

	assert_int_equal(sales_txn_begin(&t, dir, "test", &err), 0);
	assert_int_equal(sales_lead_touch(&t, customer, date, status, &err), 0);
	assert_false(t.loaded[SALES_LEADS]);
	n = sales_txn_changes(&t);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	return n;
}

/* The lead's 01 row as the file now holds it. */
static void lead_cells(const char *customer, char *contact, char *status)
{
	struct sales_txn t;
	struct sales_error err;
	struct sales_sheet_table *st;
	long r;

	assert_int_equal(sales_txn_begin(&t, dir, "read", &err), 0);
	st = sales_txn_sheet(&t, SALES_LEADS, &err);
	assert_non_null(st);
	r = sales_entry_find_row(st, LEAD_CUSTOMER, customer, NULL);
	assert_true(r >= 0);
	strcpy(contact, sales_sheet_table_get(st, (size_t)r, LEAD_LAST_CONTACT));
	strcpy(status, sales_sheet_table_get(st, (size_t)r, LEAD_STATUS));
	sales_txn_end(&t);
}

/* The same touches with 01 streamed, each in its change (the examples'
 * YY商贸有限公司: 2023-10-08, 跟进中), the file read back after each; a
 * second touch in a change that streamed 01 is refused, not lost. */
static void test_lead_touch_streamed(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	char contact[64], status[64], *before, *after;
	size_t blen, alen;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/01-leads.csv", dir);
	assert_int_equal(sales_read_file(path, &before, &blen, &err), 0);
	assert_int_equal(touch_alone("YY商贸有限公司", d("2023-10-01"), NULL), 0);
	assert_int_equal(sales_read_file(path, &after, &alen, &err), 0);
	assert_true(alen == blen && !memcmp(before, after, blen));
	free(before);
	free(after);
	assert_int_equal(touch_alone(" YY商贸有限公司", d("2023-10-20"), NULL), 1);
	lead_cells("YY商贸有限公司", contact, status);
	assert_string_equal(contact, "2023-10-20");
	assert_string_equal(status, "跟进中");
	assert_int_equal(touch_alone("YY商贸有限公司", SALES_DATE_NONE, "已签约"), 1);
	lead_cells("YY商贸有限公司", contact, status);
	assert_string_equal(contact, "2023-10-20");
	assert_string_equal(status, "已签约");
	assert_int_equal(touch_alone("YY商贸有限公司", SALES_DATE_NONE, NULL), 0);
	assert_int_equal(touch_alone("无此公司", d("2023-10-21"), NULL), 0);
	lead_cells("YY商贸有限公司", contact, status);
	assert_string_equal(status, "已签约");

	assert_int_equal(sales_txn_begin(&t, dir, "test", &err), 0);
	assert_int_equal(sales_lead_touch(&t, "YY商贸有限公司", d("2023-11-01"),
					  NULL, &err), 0);
	assert_int_equal(sales_lead_touch(&t, "科技有限公司", d("2024-03-01"),
					  NULL, &err), -1);
	assert_int_equal(err.code, SALES_EUSAGE);
	sales_txn_end(&t);   /* never committed: nothing written */
	lead_cells("YY商贸有限公司", contact, status);
	assert_string_equal(contact, "2023-10-20");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_options),
		cmocka_unit_test(test_entry_build),
		cmocka_unit_test(test_opinion_texts),
		cmocka_unit_test_setup_teardown(test_gates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_load_refuses_taken_keys,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_proposal_deadline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_entry_load_needs_the_sheet,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lead_touch_and_find, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lead_touch_streamed, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
