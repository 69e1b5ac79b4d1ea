/* test_model.c - the one-pass workbook model on the example workbook and on
 * small planted workbooks. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "model.h"
#include "workbook.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_model", 1);
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

struct counts {
	int rows[SALES_NSHEETS];
	int unattached;
};

static int count_rows(void *ud, const struct sales_row_event *ev,
		      struct sales_error *err)
{
	struct counts *c = ud;

	(void)err;
	c->rows[ev->sheet]++;
	if (ev->customer < 0)
		c->unattached++;
	return 0;
}

static void test_example_workbook(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct counts counts = { { 0 }, 0 };
	struct sales_progress p;
	struct sales_stage_rows r;
	long k, y;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, count_rows,
					  &counts, &err), 0);
	assert_int_equal(m->ncustomers, 2);
	k = sales_model_find(m, "科技有限公司");
	y = sales_model_find(m, " YY商贸有限公司 ");
	assert_int_equal(k, 0);
	assert_int_equal(y, 1);
	assert_int_equal(sales_model_find(m, "无此公司"), -1);

	assert_int_equal(m->customers[k].present, 0x7f);
	assert_int_equal(sales_model_stage(&m->customers[k]), 6);
	assert_int_equal(m->customers[k].registered, d("2023-09-28"));
	assert_int_equal(m->customers[k].grade, 'A');
	assert_string_equal(sales_lead_statuses[m->customers[k].status], "已签约");
	assert_string_equal(sales_model_str(m, m->customers[k].owner), "张伟");
	assert_int_equal(sales_customer_first(m, &m->customers[k], SALES_SURVEYS), d("2023-10-12"));
	assert_int_equal(sales_customer_first(m, &m->customers[k], SALES_PLANS), d("2023-11-01"));
	assert_int_equal(sales_customer_last(m, &m->customers[k], SALES_PLANS), d("2023-11-10"));
	assert_int_equal(sales_customer_signed_first(m, &m->customers[k]), d("2023-10-25"));
	assert_int_equal(sales_customer_accepted(m, &m->customers[k], NULL), d("2023-12-20"));
	sales_model_progress(m, (size_t)k, &p);
	assert_true(p.lead && p.survey && p.review_passed && p.contract_approved &&
		    p.plan && p.accepted && p.followup);

	assert_int_equal(m->customers[y].present, 0x01);
	/* the side table has no entry for a sheet the customer is not in */
	assert_false(sales_customer_stage(m, &m->customers[y], SALES_SURVEYS, &r));
	assert_int_equal(r.first, SALES_DATE_NONE);
	assert_int_equal(r.last, SALES_DATE_NONE);
	assert_int_equal(r.first_line, 0);
	assert_int_equal(r.extra, SALES_DATE_NONE);
	assert_int_equal(r.extra_line, 0);
	assert_int_equal(sales_customer_signed_first(m, &m->customers[y]), SALES_DATE_NONE);
	/* 01 is kept in the customer: its first line is the lead line */
	assert_true(sales_customer_stage(m, &m->customers[y], SALES_LEADS, &r));
	assert_int_equal(r.first_line, m->customers[y].lead_line);
	assert_false(sales_customer_stage(m, &m->customers[k], SALES_NSTAGES, &r));
	sales_model_progress(m, (size_t)y, &p);
	assert_non_null(sales_gate_missing(SALES_SOLUTIONS, &p, NULL));

	assert_int_equal(m->ncontracts, 1);
	assert_true(fabs(m->contracts[0].amount - 258) < 1e-9);
	assert_string_equal(sales_model_str(m, m->contracts[0].id), "HT20231001");
	assert_int_equal(m->contracts[0].payment_due, d("2023-11-24"));
	assert_int_equal(m->nfollowups, 1);
	assert_int_equal(m->followups[0].satisfaction, 5);
	assert_int_equal(m->followups[0].next, d("2024-04-10"));

	/* every row passed the hook once: 2 surveys (one a continuation) */
	assert_int_equal(counts.rows[SALES_LEADS], 2);
	assert_int_equal(counts.rows[SALES_SURVEYS], 2);
	assert_int_equal(counts.rows[SALES_PLANS], 2);
	assert_int_equal(counts.unattached, 0);
	sales_model_free(m);
	sales_context_release(&ctx);
}

static void append(const char *file, const char *text)
{
	char *p = sales_path_join(dir, file);
	FILE *f = fopen(p, "ab");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void test_exceptions_and_later_customers(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	const struct sales_model_exception *e, *bad;
	long z;

	(void)state;
	append("02-surveys.csv", "甲新公司,2024-01-02,张伟,,,,,,\r\n");
	append("exceptions.csv", "甲新公司,跳过环节,客户开发,展会直接进入调研,,吴磊,2024-01-02\r\n"
				 "甲新公司,跳过环节,方案制定,理由,,张伟,2024-01-02\r\n");
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	z = sales_model_find(m, "甲新公司");
	assert_true(z >= 0);
	assert_int_equal(m->customers[z].lead_line, 0);
	assert_int_equal(m->customers[z].present, 0x02);
	/* examples/02-surveys.csv has two rows: the appended one is line 4 */
	assert_int_equal(sales_customer_first_line(m, &m->customers[z], SALES_SURVEYS), 4);
	assert_int_equal(sales_customer_first(m, &m->customers[z], SALES_SURVEYS), d("2024-01-02"));
	assert_int_equal(sales_customer_survey_line(m, &m->customers[z]), 4);
	assert_int_equal(sales_customer_first_line(m, &m->customers[z], SALES_LEADS), 0);
	e = sales_model_exception(m, (size_t)z, "跳过环节", SALES_LEADS, &bad);
	assert_non_null(e);
	assert_int_equal(e->line, 2);
	assert_null(bad);
	e = sales_model_exception(m, (size_t)z, "跳过环节", SALES_SOLUTIONS, &bad);
	assert_null(e);
	assert_non_null(bad);
	assert_non_null(strstr(bad->why_invalid, "销售经理"));
	sales_model_free(m);
	sales_context_release(&ctx);
}

/* Excel rows from lines (sales_model_row): a line break inside a cell and
 * a blank line make them differ; counted by hand. */
static void test_rows_from_lines(void **state)
{
	static const struct { const char *name; uint32_t line, row; } want[] = {
		{ "行一公司", 2, 2 }, { "行二公司", 3, 3 }, { "行三公司", 6, 5 },
		{ "行四公司", 7, 6 }, { "行五公司", 10, 7 },
	};
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;

	(void)state;
	test_write_file(dir, "02-surveys.csv",
		"客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注\r\n"
		"行一公司,2024-01-02,张伟,,,,,,\r\n"
		"行二公司,2024-01-03,张伟,,\"两行\r\n内容\",,,,\r\n"
		"\r\n"
		"行三公司,2024-01-04,张伟,,,,,,\r\n"
		"行四公司,2024-01-05,张伟,,\"三\n行\n内容\",,,,\r\n"
		"行五公司,2024-01-06,张伟,,,,,,\r\n");
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		long c = sales_model_find(m, want[i].name);
		const struct sales_customer *k;

		assert_true(c >= 0);
		k = &m->customers[c];
		assert_int_equal(sales_customer_first_line(m, k, SALES_SURVEYS), want[i].line);
		assert_int_equal(sales_customer_survey_line(m, k), want[i].line);
		assert_int_equal(sales_model_row(m, SALES_SURVEYS, sales_customer_first_line(m, k, SALES_SURVEYS)),
				 want[i].row);
		assert_int_equal(sales_customer_last(m, k, SALES_SURVEYS), d("2024-01-02") + (sales_date)i);
	}
	assert_int_equal(sales_model_row(m, SALES_SURVEYS, 0), 0);
	sales_model_free(m);
	sales_context_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_workbook),
		cmocka_unit_test(test_exceptions_and_later_customers),
		cmocka_unit_test(test_rows_from_lines),
	};

	return cmocka_run_group_tests_name("model", tests, setup, teardown);
}
