/* test_story.c - one customer's story: events in date order across the
 * sheets, the stage reached, and the agenda (deadlines of rules 2, 3, 6, 7
 * and 8, skipped stages, the next step), on the example workbook and on
 * rows added to it. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "context.h"
#include "story.h"
#include "workbook.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_story", 1);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static void append(const char *file, const char *rows)
{
	char *p = sales_path_join(dir, file);
	FILE *f = fopen(p, "ab");

	assert_non_null(f);
	fputs(rows, f);
	fclose(f);
	free(p);
}

static int load(struct sales_context *c, struct sales_story *s, int y, int m,
		int d, const char *name)
{
	struct sales_error err;
	int rc;

	assert_int_equal(sales_context_load(c, dir, sales_date_from_ymd(y, m, d),
					    &err), 0);
	rc = sales_story_load(s, c, name, &err);
	assert_true(rc >= 0);
	return rc;
}

static const struct sales_story_item *item(const struct sales_story *s,
					   enum sales_story_kind kind,
					   const char *text)
{
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].kind == kind && strstr(s->items[i].text, text))
			return &s->items[i];
	return NULL;
}

static void dump(const struct sales_story *s)
{
	char d[11];

	for (size_t i = 0; i < s->nitems; i++)
		print_message("  item %d %s %s\n", s->items[i].kind,
			      sales_date_format(s->items[i].date, d),
			      s->items[i].text);
}

static void test_example_customer(void **state)
{
	static const struct { const char *date; int sheet; const char *text; } want[] = {
		{ "2023-09-28", SALES_LEADS, "lead registered via 行业展会" },
		{ "2023-10-12", SALES_SURVEYS, "王经理(采购总监)" },
		{ "2023-10-12", SALES_SURVEYS, "钱工(技术主管)" },   /* a merged-cell row */
		{ "2023-10-17", SALES_SOLUTIONS, "submitted: 报价 258万元" },
		{ "2023-10-18", SALES_SOLUTIONS, "reviewed: 通过,需补充案例" },
		{ "2023-10-25", SALES_CONTRACTS, "contract HT20231001 signed" },
		{ "2023-11-01", SALES_PLANS, "'需求确认' starts" },
		{ "2023-11-05", SALES_PLANS, "'需求确认' ends" },
		{ "2023-11-08", SALES_CHANGES, "change request approved by 吴磊: 增加分拣格口2个; 费用调整 +12万元, 工期调整 5天" },
		{ "2023-11-10", SALES_PLANS, "'设备安装' starts" },
		{ "2023-11-20", SALES_CONTRACTS, "payment of HT20231001 received" },
		{ "2023-11-20", SALES_PLANS, "'设备安装' ends" },
		{ "2023-11-24", SALES_CONTRACTS, "payment of HT20231001 due" },
		{ "2023-12-20", SALES_ACCEPTANCE, "acceptance by 王经理(采购总监): 合格" },
		{ "2024-01-10", SALES_LEADS, "last contact" },
		{ "2024-01-10", SALES_FOLLOWUPS, "满意度 5" },
	};
	struct sales_context c;
	struct sales_story s;
	char d[11];

	(void)state;
	assert_int_equal(load(&c, &s, 2024, 1, 15, "科技有限公司"), 0);
	assert_int_equal(s.stage, 6);
	assert_int_equal(s.nevents, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s.nevents; i++) {
		const struct sales_story_event *e = &s.events[i];

		if (strcmp(sales_date_format(e->date, d), want[i].date) ||
		    (int)e->sheet != want[i].sheet || !strstr(e->text, want[i].text))
			CASE_FAIL("event %zu: %s %d '%s', expected %s %d '%s'", i, d,
				  e->sheet, e->text, want[i].date, want[i].sheet,
				  want[i].text);
	}
	/* what comes next: the planned call, then keep following up; the
	 * 92-day rule is covered by the plan (2024-04-10 is within 92 days) */
	assert_non_null(item(&s, SALES_STORY_DUE, "planned follow-up: 2024.04.10回访"));
	assert_non_null(item(&s, SALES_STORY_NEXT, "keep following up"));
	assert_null(item(&s, SALES_STORY_DUE, "after-sales follow-up due"));
	for (size_t i = 0; i < s.nitems; i++)
		assert_int_not_equal(s.items[i].kind, SALES_STORY_OVERDUE);
	sales_story_release(&s);
	sales_context_release(&c);

	/* months later the plan is overdue */
	assert_int_equal(load(&c, &s, 2024, 4, 20, "科技"), 0);
	assert_non_null(item(&s, SALES_STORY_OVERDUE, "planned follow-up not done"));
	sales_story_release(&s);
	sales_context_release(&c);

	/* YY商贸有限公司 has only its lead: the survey comes next */
	assert_int_equal(load(&c, &s, 2024, 1, 15, "YY商贸有限公司"), 0);
	assert_int_equal(s.stage, 0);
	assert_int_equal(s.nevents, 2);
	assert_non_null(item(&s, SALES_STORY_NEXT, "需求分析"));
	sales_story_release(&s);
	sales_context_release(&c);

	/* a typo is not a customer */
	assert_int_equal(load(&c, &s, 2024, 1, 15, "科技有线公司"), 1);
	assert_string_equal(s.why, "no customer named '科技有线公司' in the workbook; did you mean '科技有限公司'?");
	sales_story_release(&s);
	sales_context_release(&c);
}

static void test_deadlines(void **state)
{
	struct sales_context c;
	struct sales_story s;
	const struct sales_story_item *it;
	char d[11];

	(void)state;
	append("01-leads.csv",
	       /* ungraded since 2024-01-08: screening due 01-11 */
	       "3,甲公司,制造业,,,,,,,,张伟,2024-01-08,,2024-01-08,新线索,华东,,\r\n"
	       /* A-grade, quiet since 01-05 */
	       "4,乙公司,物流,,,,,,,A类,周敏,2024-01-05,,2024-01-02,跟进中,华东,,\r\n"
	       /* surveyed 01-03; the 延期 moves the proposal to 01-19 */
	       "5,丙公司,医药,,,,,,,B类,张伟,2024-01-03,,2024-01-02,跟进中,华东,,\r\n"
	       "6,丁公司,汽车,,,,,,,B类,张伟,2023-12-01,,2023-12-01,已签约,华东,,\r\n");
	append("02-surveys.csv",
	       "丙公司,2024-01-03,张伟,李总,痛点,设备(高),100万,总经理,\r\n"
	       "丁公司,2023-12-01,张伟,王总,痛点,设备(高),100万,总经理,\r\n");
	append("exceptions.csv",
	       "丙公司,延期,方案制定,客户春节前不开会,2024-01-19,吴磊,2024-01-05\r\n");
	/* 丁公司 signed without a proposal: 方案制定 skipped */
	append("04-contracts.csv",
	       "HT20231201,丁公司,100,2023.12-2024.12,条款,张伟,同意,同意,同意,已审批,2023-12-05,2024-01-10,\r\n"
	       "HT20231202,丁公司,50,2023.12-2024.12,条款,张伟,同意,,,审批中,,,\r\n");

	assert_int_equal(load(&c, &s, 2024, 1, 15, "甲公司"), 0);
	it = item(&s, SALES_STORY_OVERDUE, "线索等级 to be set by 2024-01-11");
	if (!it)
		dump(&s);
	assert_non_null(it);
	assert_int_equal(it->line, 4);
	sales_story_release(&s);
	sales_context_release(&c);

	assert_int_equal(load(&c, &s, 2024, 1, 15, "乙公司"), 0);
	it = item(&s, SALES_STORY_OVERDUE, "A-grade lead at risk: no contact for 10 days");
	assert_non_null(it);
	assert_string_equal(sales_date_format(it->date, d), "2024-01-11");
	sales_story_release(&s);
	sales_context_release(&c);
	/* three days after the last contact it is only due */
	assert_int_equal(load(&c, &s, 2024, 1, 8, "乙公司"), 0);
	assert_non_null(item(&s, SALES_STORY_DUE, "contact the customer by 2024-01-11"));
	sales_story_release(&s);
	sales_context_release(&c);

	assert_int_equal(load(&c, &s, 2024, 1, 15, "丙公司"), 0);
	it = item(&s, SALES_STORY_DUE, "proposal to be submitted by 2024-01-19 (延期 approved in exceptions.csv:2)");
	if (!it)
		dump(&s);
	assert_non_null(it);
	/* the exception is part of the story */
	assert_int_equal(s.events[s.nevents - 1].sheet, SALES_EXCEPTIONS);
	sales_story_release(&s);
	sales_context_release(&c);

	assert_int_equal(load(&c, &s, 2024, 1, 15, "丁公司"), 0);
	assert_int_equal(s.stage, 3);
	it = item(&s, SALES_STORY_OVERDUE, "payment of HT20231201 overdue 5 days (collection starts 2024-01-17)");
	if (!it)
		dump(&s);
	assert_non_null(it);
	/* its skipped 方案制定 is check's finding (status lists it: t_agree) */
	/* the unsigned contract is an undated event, listed last */
	assert_int_equal(s.events[s.nevents - 1].date, SALES_DATE_NONE);
	assert_non_null(strstr(s.events[s.nevents - 1].text, "HT20231202"));
	sales_story_release(&s);
	sales_context_release(&c);
	assert_int_equal(load(&c, &s, 2024, 1, 20, "丁公司"), 0);
	assert_non_null(item(&s, SALES_STORY_OVERDUE, "overdue 10 days: start collection (催款)"));
	sales_story_release(&s);
	sales_context_release(&c);
}

static void test_next_steps(void **state)
{
	static const struct {
		const char *rows02, *rows03, *rows04, *next;
	} cases[] = {
		{ "", "", "", "需求分析" },
		{ "戊公司,2024-01-03,张伟,李总,,,,,\r\n", "", "", "方案制定: submit a proposal" },
		{ "戊公司,2024-01-03,张伟,李总,,,,,\r\n",
		  "戊公司,方案A,,,100,,,刘洋,,2024-01-05,\r\n", "", "awaits its review" },
		{ "戊公司,2024-01-03,张伟,李总,,,,,\r\n",
		  "戊公司,方案A,,,100,,,刘洋,驳回:太贵,2024-01-05,2024-01-06\r\n", "",
		  "was rejected; revise it" },
		{ "戊公司,2024-01-03,张伟,李总,,,,,\r\n",
		  "戊公司,方案A,,,100,,,刘洋,通过,2024-01-05,2024-01-06\r\n", "",
		  "谈判签约" },
		{ "戊公司,2024-01-03,张伟,李总,,,,,\r\n",
		  "戊公司,方案A,,,100,,,刘洋,通过,2024-01-05,2024-01-06\r\n",
		  "HT1,戊公司,100,,,张伟,同意,,,审批中,,,\r\n",
		  "contract HT1 waits for the 法务's opinion" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_context c;
		struct sales_story s;

		teardown(NULL);
		assert_int_equal(setup(NULL), 0);
		append("01-leads.csv", "3,戊公司,,,,,,,,B类,张伟,2024-01-02,,2024-01-02,跟进中,,,\r\n");
		append("02-surveys.csv", cases[i].rows02);
		append("03-solutions.csv", cases[i].rows03);
		append("04-contracts.csv", cases[i].rows04);
		assert_int_equal(load(&c, &s, 2024, 1, 15, "戊公司"), 0);
		if (!item(&s, SALES_STORY_NEXT, cases[i].next)) {
			dump(&s);
			CASE_FAIL("case %zu: no next step '%s'", i, cases[i].next);
		}
		sales_story_release(&s);
		sales_context_release(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_example_customer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_steps, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
