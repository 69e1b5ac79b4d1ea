/* test_model.c - the one-pass workbook model on the example workbook and on
 * small planted workbooks. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "facts.h"
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
	assert_int_equal(sales_customer_registered(m, &m->customers[k]), d("2023-09-28"));
	assert_int_equal(m->customers[k].grade, 'A');
	assert_string_equal(sales_lead_statuses[m->customers[k].status], "已签约");
	assert_string_equal(sales_model_str(m, sales_customer_owner(m, &m->customers[k])), "张伟");
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

/* SALES_MODEL_LEAN keeps no contract or follow-up array and no line of a
 * stage sheet's rows, and every other fact of the customers the same as a
 * whole load. */
static void test_lean_load(void **state)
{
	struct sales_context ctx;
	struct sales_model *m, *lean;
	struct sales_error err;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-01-15"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	assert_int_equal(sales_model_load(&lean, &ctx, SALES_MODEL_ALL | SALES_MODEL_LEAN,
					  NULL, NULL, &err), 0);
	assert_true(m->ncontracts > 0 && m->nfollowups > 0);
	assert_int_equal(lean->ncontracts, 0);
	assert_int_equal(lean->nfollowups, 0);
	assert_int_equal(lean->ncustomers, m->ncustomers);
	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *a = &m->customers[i], *b = &lean->customers[i];
		struct sales_stage_rows ra, rb;

		assert_string_equal(sales_model_str(m, a->name), sales_model_str(lean, b->name));
		assert_int_equal(a->present, b->present);
		assert_int_equal(a->contract_approved, b->contract_approved);
		assert_int_equal(sales_customer_activity(m, a), sales_customer_activity(lean, b));
		assert_int_equal(a->profile, b->profile);
		assert_int_equal(sales_customer_signed_first(m, a),
				 sales_customer_signed_first(lean, b));
		assert_int_equal(sales_customer_nfollowups(lean, b), 0);
		assert_int_equal(a->lead_line, b->lead_line);
		for (int s = 0; s < SALES_NSTAGES; s++) {
			assert_int_equal(sales_customer_stage(m, a, s, &ra),
					 sales_customer_stage(lean, b, s, &rb));
			assert_int_equal(ra.first, rb.first);
			assert_int_equal(ra.last, rb.last);
			assert_int_equal(ra.extra, rb.extra);
			/* 01's line is the lead row's; no other line */
			assert_int_equal(rb.first_line,
					 s == SALES_LEADS ? ra.first_line : 0);
			assert_int_equal(rb.extra_line, 0);
		}
	}
	assert_true(sales_customer_signed_first(m, &m->customers[0]) != SALES_DATE_NONE);
	assert_int_equal(sales_customer_nfollowups(m, &m->customers[0]), 1);
	sales_model_free(lean);
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

/* What the customer no longer holds itself: 01's dates (its one row's,
 * or a side-table entry's over several rows, the first row dated by its
 * 最后跟进时间 when 登记日期 is blank), +原负责人 (a list of its own) and
 * its count of 07 rows (in its 07 entry, whose extra_line reads 0). */
static void test_lead_rows_formers_followups(void **state)
{
	static const char head[] =
		"序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分,丢单原因,原负责人\r\n";
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct sales_stage_rows r;
	sales_date first[SALES_NSTAGES];
	const struct sales_customer *rep, *one, *none, *two;

	(void)state;
	test_write_file(dir, "01-leads.csv", head);
	append("01-leads.csv",
	       "1,重复公司,制造业,,,,,,,A类,张伟,2024-01-05,,,跟进中,华东,智能物流,,,李四\r\n"
	       "2,单行公司,制造业,,,,,,,B类,张伟,2024-01-03,,2023-12-01,跟进中,华东,智能物流,,,\r\n"
	       "3,重复公司,制造业,,,,,,,A类,张伟,,,2023-11-20,跟进中,华东,智能物流,,,赵六\r\n"
	       "4,双行公司,制造业,,,,,,,A类,张伟,,,2024-01-10,跟进中,华东,智能物流,,,\r\n"
	       "5,重复公司,制造业,,,,,,,A类,张伟,,,2024-02-01,跟进中,华东,智能物流,,,\r\n"
	       "6,无日期公司,制造业,,,,,,,C类,张伟,,,,跟进中,华东,智能物流,,,王五\r\n"
	       "7,双行公司,制造业,,,,,,,A类,张伟,,,,跟进中,华东,智能物流,,,\r\n");
	test_write_file(dir, "07-followups.csv",
		"客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度\r\n"
		"重复公司,2024-02-03,孙丽,电话回访,,,,5\r\n"
		"单行公司,2024-02-04,孙丽,电话回访,,,,4\r\n"
		"重复公司,2024-02-02,孙丽,电话回访,,,,3\r\n"
		",2024-02-05,孙丽,电话回访,,,,3\r\n");   /* 重复公司's, filled down */
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-03-01"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	rep = &m->customers[sales_model_find(m, "重复公司")];
	one = &m->customers[sales_model_find(m, "单行公司")];
	none = &m->customers[sales_model_find(m, "无日期公司")];
	two = &m->customers[sales_model_find(m, "双行公司")];

	assert_true(sales_customer_stage(m, rep, SALES_LEADS, &r));
	assert_int_equal(r.first, d("2023-11-20"));
	assert_int_equal(r.last, d("2024-02-01"));
	assert_int_equal(r.first_line, 2);
	assert_int_equal(rep->lead_line, 2);
	assert_int_equal(sales_customer_registered(m, rep), SALES_DATE_NONE);   /* its first row's */
	assert_int_equal(sales_customer_last_contact(m, rep), d("2024-01-05"));
	assert_true(sales_customer_stage(m, one, SALES_LEADS, &r));
	assert_int_equal(r.first, d("2023-12-01"));
	assert_int_equal(r.last, d("2023-12-01"));
	assert_int_equal(r.first_line, 3);
	assert_true(sales_customer_stage(m, none, SALES_LEADS, &r));
	assert_int_equal(r.first, SALES_DATE_NONE);
	assert_int_equal(r.last, SALES_DATE_NONE);
	assert_int_equal(r.first_line, 7);
	/* an undated second row leaves the first's date */
	assert_true(sales_customer_stage(m, two, SALES_LEADS, &r));
	assert_int_equal(r.first, d("2024-01-10"));
	assert_int_equal(r.last, d("2024-01-10"));
	assert_int_equal(r.first_line, 5);
	sales_customer_firsts(m, rep, first);
	assert_int_equal(first[SALES_LEADS], d("2023-11-20"));
	assert_int_equal(first[SALES_FOLLOWUPS], d("2024-02-02"));
	assert_int_equal(first[SALES_SURVEYS], SALES_DATE_NONE);
	sales_customer_firsts(m, one, first);
	assert_int_equal(first[SALES_LEADS], d("2023-12-01"));
	assert_int_equal(sales_customer_first(m, rep, SALES_LEADS), d("2023-11-20"));
	assert_int_equal(sales_customer_last(m, one, SALES_LEADS), d("2023-12-01"));

	/* the lead row's +原负责人: a repeated row's does not count */
	assert_string_equal(sales_model_str(m, sales_customer_former_owner(m, rep)), "李四");
	assert_int_equal(sales_customer_former_owner(m, one), 0);
	assert_int_equal(sales_customer_former_owner(m, two), 0);
	assert_string_equal(sales_model_str(m, sales_customer_former_owner(m, none)), "王五");

	assert_int_equal(sales_customer_nfollowups(m, rep), 3);
	assert_int_equal(sales_customer_nfollowups(m, one), 1);
	assert_int_equal(sales_customer_nfollowups(m, none), 0);
	assert_int_equal(m->nfollowups, 4);
	assert_true(sales_customer_stage(m, rep, SALES_FOLLOWUPS, &r));
	assert_int_equal(r.first, d("2024-02-02"));
	assert_int_equal(r.last, d("2024-02-05"));
	assert_int_equal(r.first_line, 2);
	assert_int_equal(r.extra, SALES_DATE_NONE);
	assert_int_equal(r.extra_line, 0);
	assert_int_equal(sales_model_stage(rep), SALES_FOLLOWUPS);
	sales_model_free(m);
	sales_context_release(&ctx);
}

/* facts.c's buckets by customer (2-byte steps from a base every 64
 * customers, plain offsets when a block holds more than 65535 rows, or
 * each row's customer searched when rows are fewer than a sixteenth of
 * the customers): each customer's latest follow-up, by 跟进时间 then file
 * order, the same every way.  big: one customer with 70000 rows; sparse:
 * rows for four customers only (the first, both sides of a 64-customer
 * block and the last), 8 rows for 200 customers. */
static void check_latest_followups(bool big, bool sparse)
{
	enum { NCUST = 200, BIG = 130, NBIG = 70000 };
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_rulebook *rb;
	struct sales_error err;
	struct sales_facts f;
	struct sales_buf b = { 0 };
	long want[NCUST];
	long n = 0;
	char line[160];

	test_write_file(dir, "01-leads.csv",
		"序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分,丢单原因\r\n");
	for (int i = 0; i < NCUST; i++) {
		snprintf(line, sizeof(line), "%d,客户%03d,制造业,,,,,,,A类,张伟,,,2023-12-01,已签约,华东,智能物流,,\r\n",
			 i + 1, i);
		append("01-leads.csv", line);
	}
	snprintf(line, sizeof(line), "%s", "客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度\r\n");
	sales_buf_add(&b, line, strlen(line));
	for (int i = 0; i < NCUST; i++)
		want[i] = -1;
	/* rows of every third customer interleaved, later rows earlier dates */
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < NCUST; i++) {
			if (sparse ? r >= 2 || (i != 0 && i != 63 && i != 64 &&
						   i != NCUST - 1) : r >= i % 4)
				continue;
			snprintf(line, sizeof(line), "客户%03d,2024-01-%02d,孙丽,电话回访,,,,5\r\n",
				 i, sparse ? 10 + r : 20 - r - (i % 7));
			sales_buf_add(&b, line, strlen(line));
			/* the latest date: its first row (sparse: its second) */
			if (r == (sparse ? 1 : 0))
				want[i] = n;
			n++;
		}
	if (big)
		for (int j = 0; j < NBIG; j++) {
			/* one row in the middle is the latest */
			snprintf(line, sizeof(line), "客户%03d,%s,孙丽,电话回访,,,,5\r\n",
				 BIG, j == NBIG / 2 ? "2024-03-01" : "2024-02-01");
			sales_buf_add(&b, line, strlen(line));
			if (j == NBIG / 2)
				want[BIG] = n;
			n++;
		}
	test_write_file(dir, "07-followups.csv", b.data);
	sales_buf_release(&b);
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-06-01"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	assert_int_equal(m->nfollowups, (size_t)n);
	assert_int_equal(sales_rulebook_open(&rb, m, &err), 0);
	sales_facts_init(&f);
	for (int i = 0; i < NCUST; i++) {
		char name[32];
		long c;

		snprintf(name, sizeof(name), "客户%03d", i);
		c = sales_model_find(m, name);
		assert_true(c >= 0);
		assert_int_equal(sales_facts_eval(rb, c, SALES_FACTS_ALL, &f, &err), 0);
		assert_int_equal(f.latest_followup, want[i]);
		assert_int_equal(sales_customer_nfollowups(m, &m->customers[c]),
				 (i == BIG && big ? NBIG : 0) +
				 (!sparse ? i % 4 :
				  i == 0 || i == 63 || i == 64 || i == NCUST - 1 ? 2 : 0));
	}
	sales_facts_release(&f);
	sales_rulebook_close(rb);
	sales_model_free(m);
	sales_context_release(&ctx);
}

/* The side table's dates, and a customer's own three, are 21-bit days
 * from 1900-01-01 (model.h): dates at both ends of that range are packed,
 * later ones (a typed 9023) are kept whole aside; every one reads back
 * exactly, several far entries each their own. */
static void test_far_dates(void **state)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct sales_stage_rows r;
	sales_date first[SALES_NSTAGES];
	const struct sales_customer *far, *edge, *over;
	uint32_t line;

	(void)state;
	test_write_file(dir, "01-leads.csv",
		"序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分,丢单原因\r\n"
		"1,远期公司,制造业,,,,,,,A类,张伟,9023-01-02,,2024-01-01,跟进中,华东,智能物流,,\r\n"
		"2,边界公司,制造业,,,,,,,A类,张伟,7641-10-20,,1900-01-01,跟进中,华东,智能物流,,\r\n"
		"3,越界公司,制造业,,,,,,,A类,张伟,7641-10-21,,2024-01-01,跟进中,华东,智能物流,,\r\n");
	test_write_file(dir, "02-surveys.csv",
		"客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注\r\n"
		"远期公司,2024-01-05,张伟,,,,,,\r\n"
		"远期公司,9023-05-01,张伟,,,,,,\r\n"
		"边界公司,7641-10-20,张伟,,,,,,\r\n"
		"边界公司,1900-01-01,张伟,,,,,,\r\n"
		"越界公司,7641-10-21,张伟,,,,,,\r\n");
	test_write_file(dir, "03-solutions.csv",
		"客户名称,方案名称,核心产品/服务配置,实施周期,报价(万元),增值服务,方案亮点,负责人,评审意见,提交日期,评审日期\r\n"
		"远期公司,方案一,,45天,100,,,刘洋,通过,9100-02-03,\r\n"
		"远期公司,方案二,,45天,100,,,刘洋,通过,2024-02-01,\r\n");
	test_write_file(dir, "06-acceptance.csv",
		"客户名称,验收时间,验收人(职务),验收内容,验收结果,未解决问题,客户签字\r\n"
		"远期公司,8000-01-01,王经理,系统,合格,无,王经理\r\n");
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-03-01"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	far = &m->customers[sales_model_find(m, "远期公司")];
	edge = &m->customers[sales_model_find(m, "边界公司")];
	over = &m->customers[sales_model_find(m, "越界公司")];

	assert_true(sales_customer_stage(m, far, SALES_SURVEYS, &r));
	assert_int_equal(r.first, d("2024-01-05"));
	assert_int_equal(r.last, d("9023-05-01"));
	assert_int_equal(r.first_line, 2);
	assert_int_equal(sales_customer_survey_line(m, far), 3);
	assert_int_equal(sales_customer_submitted(m, far, &line), d("2024-02-01"));
	assert_int_equal(line, 3);
	assert_true(sales_customer_stage(m, far, SALES_SOLUTIONS, &r));
	assert_int_equal(r.first, d("2024-02-01"));
	assert_int_equal(r.last, d("9100-02-03"));
	assert_int_equal(sales_customer_accepted(m, far, &line), d("8000-01-01"));
	assert_int_equal(line, 2);
	sales_customer_firsts(m, far, first);
	assert_int_equal(first[SALES_SURVEYS], d("2024-01-05"));
	assert_int_equal(first[SALES_SOLUTIONS], d("2024-02-01"));
	assert_int_equal(first[SALES_ACCEPTANCE], d("8000-01-01"));

	assert_true(sales_customer_stage(m, edge, SALES_SURVEYS, &r));
	assert_int_equal(r.first, d("1900-01-01"));
	assert_int_equal(r.last, d("7641-10-20"));
	assert_int_equal(r.first_line, 4);
	assert_int_equal(sales_customer_survey_line(m, edge), 4);
	assert_true(sales_customer_stage(m, over, SALES_SURVEYS, &r));
	assert_int_equal(r.first, d("7641-10-21"));
	assert_int_equal(r.last, d("7641-10-21"));
	assert_int_equal(r.first_line, 6);
	/* 远期公司's three entries and 越界公司's one */
	assert_int_equal(m->nstage_far, 4);

	/* the customers' own: 远期公司's 最后跟进时间 and 越界公司's are far,
	 * 边界公司's two are at the ends of the range */
	assert_int_equal(sales_customer_registered(m, far), d("2024-01-01"));
	assert_int_equal(sales_customer_last_contact(m, far), d("9023-01-02"));
	/* its latest activity on or before 2024-03-01: 03's 提交日期 */
	assert_int_equal(sales_customer_activity(m, far), d("2024-02-01"));
	assert_int_equal(far->act_sheet, SALES_SOLUTIONS);
	assert_int_equal(far->act_line, 3);
	assert_int_equal(sales_customer_registered(m, edge), d("1900-01-01"));
	assert_int_equal(sales_customer_last_contact(m, edge), d("7641-10-20"));
	/* 02's 1900-01-01 on line 5 is not later than 01's */
	assert_int_equal(sales_customer_activity(m, edge), d("1900-01-01"));
	assert_int_equal(edge->act_sheet, SALES_LEADS);
	assert_int_equal(sales_customer_registered(m, over), d("2024-01-01"));
	assert_int_equal(sales_customer_last_contact(m, over), d("7641-10-21"));
	assert_int_equal(sales_customer_activity(m, over), d("2024-01-01"));
	assert_int_equal(m->ncustomer_far, 2);
	/* the three share their 负责人, 区域, 产品线 and 所属行业 */
	assert_int_equal(m->nprofiles, 2);
	assert_int_equal(far->profile, 1);
	assert_int_equal(edge->profile, 1);
	assert_int_equal(over->profile, 1);
	assert_string_equal(sales_model_str(m, sales_customer_region(m, over)), "华东");
	assert_string_equal(sales_model_str(m, sales_customer_product_line(m, over)), "智能物流");
	assert_string_equal(sales_model_str(m, sales_customer_industry(m, over)), "制造业");
	sales_model_free(m);
	sales_context_release(&ctx);
}

static void test_followup_buckets(void **state)
{
	(void)state;
	check_latest_followups(false, false);
	check_latest_followups(true, false);
	check_latest_followups(false, true);
}

/* The customer index (model.c: a slot holds the customer and a tag of its
 * name's hash): 30 000 leads and 100 customers that only 02 names, the
 * table grown several times on the way; every name finds its own customer
 * (01's in row order, 02's after them), padded or not, and names that are
 * not there - one character more or less - find none. */
static void test_customer_index(void **state)
{
	enum { NLEAD = 30000, NNEW = 100 };
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_error err;
	struct sales_buf b = { 0 };
	char line[160], name[64];

	(void)state;
	sales_buf_addstr(&b, "序号,客户名称,行业,负责人,登记日期,客户状态\r\n");
	for (int i = 0; i < NLEAD; i++) {
		snprintf(line, sizeof(line), "%d,线索%05d号公司,制造业,张伟,2024-01-02,跟进中\r\n",
			 i + 1, i);
		sales_buf_addstr(&b, line);
	}
	test_write_file(dir, "01-leads.csv", b.data);
	b.len = 0;
	sales_buf_addstr(&b, "客户名称,调研时间,调研人,核心痛点,预算范围,决策链,竞品使用情况,需求优先级\r\n");
	for (int i = 0; i < NLEAD; i += 3) {
		snprintf(line, sizeof(line), " 线索%05d号公司 ,2024-01-05,张伟,,,,,\r\n", i);
		sales_buf_addstr(&b, line);
	}
	for (int i = 0; i < NNEW; i++) {
		snprintf(line, sizeof(line), "新客户%03d,2024-01-05,张伟,,,,,\r\n", i);
		sales_buf_addstr(&b, line);
	}
	test_write_file(dir, "02-surveys.csv", b.data);
	sales_buf_release(&b);
	assert_int_equal(sales_context_load(&ctx, dir, d("2024-06-01"), &err), 0);
	assert_int_equal(sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err), 0);
	assert_true(m->ncustomers >= (size_t)(NLEAD + NNEW));
	for (int i = 0; i < NLEAD; i++) {
		snprintf(name, sizeof(name), "线索%05d号公司", i);
		assert_int_equal(sales_model_find(m, name), i);
		assert_string_equal(sales_model_str(m, m->customers[i].name), name);
		snprintf(name, sizeof(name), "  线索%05d号公司\t", i);
		assert_int_equal(sales_model_find(m, name), i);
		snprintf(name, sizeof(name), "线索%05d号公司X", i);
		assert_int_equal(sales_model_find(m, name), -1);
		snprintf(name, sizeof(name), "线索%05d号公", i);
		assert_int_equal(sales_model_find(m, name), -1);
	}
	for (int i = 0; i < NNEW; i++) {
		long c;

		snprintf(name, sizeof(name), "新客户%03d", i);
		c = sales_model_find(m, name);
		assert_true(c >= NLEAD);
		assert_string_equal(sales_model_str(m, m->customers[c].name), name);
		assert_int_equal(m->customers[c].lead_line, 0);
	}
	assert_int_equal(sales_model_find(m, "新客户100"), -1);
	sales_model_free(m);
	sales_context_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_workbook),
		cmocka_unit_test(test_lean_load),
		cmocka_unit_test(test_exceptions_and_later_customers),
		cmocka_unit_test(test_rows_from_lines),
		cmocka_unit_test(test_lead_rows_formers_followups),
		cmocka_unit_test(test_followup_buckets),
		cmocka_unit_test(test_far_dates),
		cmocka_unit_test(test_customer_index),
	};

	return cmocka_run_group_tests_name("model", tests, setup, teardown);
}
