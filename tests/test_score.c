/* test_score.c - lead scoring: the example workbook's arithmetic, each
 * dimension's bands, the decision chain, settings overrides and caps, and
 * reading 02 by customer. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "schema.h"
#include "score.h"
#include "settings.h"
#include "workbook.h"

static struct sales_settings *settings(const char *text)
{
	struct sales_settings *s = NULL;
	struct sales_error err;

	assert_int_equal(sales_settings_parse("sales.conf", text, strlen(text),
					      &s, &err), 0);
	return s;
}

/* 科技有限公司 as the example workbook has it: 01 row 1, two 02 rows. */
static void score_keji(const struct sales_settings *s, struct sales_score *sc)
{
	struct sales_score_facts f;

	sales_score_facts_init(&f);
	sales_score_add_survey(s, &f, "200-300万", "采购部→技术部→总经理",
			       "需提供行业案例", "02-surveys.csv:2");
	sales_score_add_survey(s, &f, "待确认", "技术部主导", "希望免费试用",
			       "02-surveys.csv:3");
	sales_score_add_note(s, &f, "需确认预算", "01-leads.csv:2 备注");
	sales_score_compute(s, "制造业", "500-1000人/5亿以上", &f, sc);
}

static void score_yy(const struct sales_settings *s, struct sales_score *sc)
{
	struct sales_score_facts f;

	sales_score_facts_init(&f);
	sales_score_add_note(s, &f, "决策人未明确", "01-leads.csv:3 备注");
	sales_score_compute(s, "零售", "100-300人/1亿以下", &f, sc);
}

static void test_example_workbook_arithmetic(void **state)
{
	struct sales_settings *s = settings("");
	struct sales_score sc;

	(void)state;
	/* 科技有限公司: 25 + 20 + 15 + 25 = 85, A类 */
	score_keji(s, &sc);
	assert_int_equal(sc.points[SALES_SCORE_INDUSTRY], 25);
	assert_int_equal(sc.points[SALES_SCORE_SIZE], 20);
	assert_int_equal(sc.points[SALES_SCORE_BUDGET], 15);
	assert_int_equal(sc.points[SALES_SCORE_CHAIN], 25);
	assert_int_equal(sc.total, 85);
	assert_int_equal(sc.grade, 'A');
	assert_non_null(strstr(sc.why[SALES_SCORE_INDUSTRY], "score.industry.制造业"));
	assert_non_null(strstr(sc.why[SALES_SCORE_BUDGET], "200-300万 (02-surveys.csv:2) counts as 200万"));
	assert_non_null(strstr(sc.why[SALES_SCORE_CHAIN], "ends in 总经理"));
	assert_non_null(strstr(sc.grade_why, "85 ≥ 70"));

	/* YY商贸有限公司: 15 + 12 + 10 + 5 = 42, B类 */
	score_yy(s, &sc);
	assert_int_equal(sc.points[SALES_SCORE_INDUSTRY], 15);
	assert_int_equal(sc.points[SALES_SCORE_SIZE], 12);
	assert_int_equal(sc.points[SALES_SCORE_BUDGET], 10);
	assert_int_equal(sc.points[SALES_SCORE_CHAIN], 5);
	assert_int_equal(sc.total, 42);
	assert_int_equal(sc.grade, 'B');
	assert_non_null(strstr(sc.why[SALES_SCORE_SIZE], "100人 → 12, revenue under 1亿 → 5; the better counts"));
	assert_non_null(strstr(sc.why[SALES_SCORE_BUDGET], "no survey"));
	assert_non_null(strstr(sc.why[SALES_SCORE_CHAIN], "01-leads.csv:3 备注 says 决策人未明确"));
	sales_settings_free(s);
}

static void test_size_bands(void **state)
{
	static const struct { const char *size; int points; } cases[] = {
		{ "500-1000人/5亿以上", 20 },
		{ "1000人以上", 25 },
		{ "5000人", 25 },
		{ "100-499人", 12 },
		{ "50人以下", 5 },
		{ "3亿", 12 },
		{ "10亿以上", 25 },
		{ "1亿以下", 5 },
		{ "80人/12亿", 25 },          /* the better part counts */
		{ "", 5 },
		{ "待确认", 5 },
		{ "很大", 5 },
	};
	struct sales_settings *s = settings("");

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_score sc;

		sales_score_compute(s, "制造业", cases[i].size, NULL, &sc);
		if (sc.points[SALES_SCORE_SIZE] != cases[i].points)
			CASE_FAIL("size '%s': %d points, expected %d (%s)",
				  cases[i].size, sc.points[SALES_SCORE_SIZE],
				  cases[i].points, sc.why[SALES_SCORE_SIZE]);
	}
	sales_settings_free(s);
}

static void test_budget_bands(void **state)
{
	static const struct {
		const char *a, *b;   /* two survey rows' 预算范围 */
		int points;
	} cases[] = {
		{ "200-300万", "待确认", 15 },
		{ "500万", NULL, 25 },
		{ "300-500万", NULL, 20 },
		{ "80万", NULL, 10 },
		{ "50万以下", NULL, 5 },
		{ "1亿", NULL, 25 },
		{ "60万", "350万", 20 },     /* the largest stated */
		{ "待确认", "待定", 10 },    /* only unknowns */
		{ "", NULL, 10 },
		{ "看情况", NULL, 10 },      /* does not parse: not stated */
	};
	struct sales_settings *s = settings("");

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_score_facts f;
		struct sales_score sc;

		sales_score_facts_init(&f);
		sales_score_add_survey(s, &f, cases[i].a, "", "", "02:2");
		if (cases[i].b)
			sales_score_add_survey(s, &f, cases[i].b, "", "", "02:3");
		sales_score_compute(s, "制造业", "", &f, &sc);
		if (sc.points[SALES_SCORE_BUDGET] != cases[i].points)
			CASE_FAIL("budget '%s'/'%s': %d points, expected %d (%s)",
				  cases[i].a, cases[i].b ? cases[i].b : "",
				  sc.points[SALES_SCORE_BUDGET], cases[i].points,
				  sc.why[SALES_SCORE_BUDGET]);
	}
	sales_settings_free(s);
}

static void test_decision_chain(void **state)
{
	static const struct {
		const char *chain, *note, *lead_note;
		int points;
	} cases[] = {
		{ "采购部→技术部→总经理", "", "", 25 },
		{ "技术部主导", "", "", 12 },
		{ "采购部->ceo", "", "", 25 },
		{ "技术部→董事长。", "", "", 25 },
		{ "总经理→采购部", "", "", 12 },          /* must end in a decider */
		{ "采购部→技术部→总经理", "决策人未明确", "", 5 },
		{ "采购部→技术部→总经理", "", "据说决策人不明确", 5 },
		{ "决策人未明确", "", "", 5 },
		{ "待确认", "", "", 5 },
		{ "", "", "", 5 },
	};
	struct sales_settings *s = settings("");

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_score_facts f;
		struct sales_score sc;

		sales_score_facts_init(&f);
		sales_score_add_survey(s, &f, "", cases[i].chain, cases[i].note,
				       "02:2");
		sales_score_add_note(s, &f, cases[i].lead_note, "01:2 备注");
		sales_score_compute(s, "", "", &f, &sc);
		if (sc.points[SALES_SCORE_CHAIN] != cases[i].points)
			CASE_FAIL("chain '%s' note '%s'/'%s': %d points, expected %d (%s)",
				  cases[i].chain, cases[i].note, cases[i].lead_note,
				  sc.points[SALES_SCORE_CHAIN], cases[i].points,
				  sc.why[SALES_SCORE_CHAIN]);
	}
	sales_settings_free(s);
}

static void test_settings_change_the_points(void **state)
{
	struct sales_settings *s = settings(
		"[score \"industry\"]\n"
		"\t化工 = 20\n"
		"\t零售 =\n"            /* removed: falls back to default */
		"\t制造业 = 40\n"       /* above the cap */
		"[score]\n"
		"\tthreshold_a = 90\n"
		"[score.chain]\n"
		"\tdeciders = 厂长\n");
	struct sales_score sc;

	(void)state;
	sales_score_compute(s, "化工", "", NULL, &sc);
	assert_int_equal(sc.points[SALES_SCORE_INDUSTRY], 20);
	sales_score_compute(s, "零售", "", NULL, &sc);
	assert_int_equal(sc.points[SALES_SCORE_INDUSTRY], 5);
	assert_non_null(strstr(sc.why[SALES_SCORE_INDUSTRY], "score.industry.default"));
	/* 科技有限公司 with 制造业 capped at 25, but 总经理 no longer decides
	 * and A needs 90: 25 + 20 + 15 + 12 = 72, B类 */
	score_keji(s, &sc);
	assert_non_null(strstr(sc.why[SALES_SCORE_INDUSTRY], "capped at 25"));
	assert_int_equal(sc.points[SALES_SCORE_CHAIN], 12);
	assert_int_equal(sc.total, 72);
	assert_int_equal(sc.grade, 'B');
	sales_settings_free(s);

	s = settings("[score \"size\"]\n\temployees_5000 = 30\n\temployees_100 =\n"
		     "[score]\n\tmax_per_dimension = 30\n\tthreshold_b = 60\n");
	sales_score_compute(s, "", "6000人", NULL, &sc);
	assert_int_equal(sc.points[SALES_SCORE_SIZE], 30);
	sales_score_compute(s, "", "150人", NULL, &sc);   /* 100 band removed */
	assert_int_equal(sc.points[SALES_SCORE_SIZE], 5);
	score_yy(s, &sc);
	assert_int_equal(sc.grade, 'C');
	sales_settings_free(s);
}

static void test_surveys_by_customer(void **state)
{
	char dir[] = "/tmp/test_score.XXXXXX", cmd[128];
	struct sales_settings *s = settings("");
	struct sales_score_surveys *sv;
	struct sales_score_rules *rules;
	const struct sales_score_facts *f;
	struct sales_score_facts fb;
	struct sales_error err;
	struct sales_score sc;
	const char *lead[LEAD_NCOLS] = { 0 };
	char *p;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* no 02 at all: every customer is unsurveyed */
	assert_int_equal(sales_score_surveys_load(dir, s, &sv, &err), 0);
	assert_false(sales_score_surveys_find(sv, "科技有限公司", &fb));
	sales_score_surveys_free(sv);

	p = sales_path_join(dir, "02-surveys.csv");
	fp = fopen(p, "wb");
	assert_non_null(fp);
	fputs("\xEF\xBB\xBF客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注\r\n"
	      "科技有限公司,2023-10-12,张伟,王经理,痛点,设备(高),200-300万,采购部→技术部→总经理,需提供行业案例\r\n"
	      ",,,钱工,痛点,系统(中),待确认,技术部主导,希望免费试用\r\n"
	      " 华瑞 ,2023-10-13,张伟,李总,痛点,设备(高),600万,技术部,决策人未明确\r\n", fp);
	fclose(fp);
	free(p);
	assert_int_equal(sales_score_surveys_load(dir, s, &sv, &err), 0);
	assert_true(sales_score_surveys_find(sv, "科技有限公司 ", &fb));
	f = &fb;
	assert_int_equal(f->nsurveys, 2);    /* the continuation row counts */
	assert_true(f->budget_known);
	assert_int_equal(f->budget_unknown, 1);
	assert_int_equal(f->chain, 2);
	assert_string_equal(f->budget_where, "02-surveys.csv:2");

	lead[LEAD_CUSTOMER] = "科技有限公司";
	lead[LEAD_INDUSTRY] = "制造业";
	lead[LEAD_SIZE] = "500-1000人/5亿以上";
	lead[LEAD_NOTE] = "需确认预算";
	rules = sales_score_rules_new(s);
	assert_non_null(rules);
	sales_score_lead(rules, sv, lead, "01-leads.csv:2", true, &sc);
	assert_int_equal(sc.total, 85);

	lead[LEAD_CUSTOMER] = "华瑞";
	lead[LEAD_NOTE] = "";
	sales_score_lead(rules, sv, lead, "01-leads.csv:3", true, &sc);
	assert_int_equal(sc.points[SALES_SCORE_BUDGET], 25);
	assert_int_equal(sc.points[SALES_SCORE_CHAIN], 5);
	assert_non_null(strstr(sc.why[SALES_SCORE_CHAIN], "02-surveys.csv:4 备注 says 决策人未明确"));
	/* without explain: the same points, no reasons */
	sales_score_lead(rules, sv, lead, "01-leads.csv:3", false, &sc);
	assert_int_equal(sc.points[SALES_SCORE_BUDGET], 25);
	assert_int_equal(sc.points[SALES_SCORE_CHAIN], 5);
	assert_int_equal(sc.total, 25 + 20 + 25 + 5);   /* 制造业, 500人 or 5亿, 600万, marked */
	assert_int_equal(sc.grade, 'A');
	assert_string_equal(sc.why[SALES_SCORE_CHAIN], "");
	assert_string_equal(sc.grade_why, "");
	sales_score_rules_free(rules);
	sales_score_surveys_free(sv);
	sales_settings_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* One rules object scoring many leads keeps sizes it parsed (a memo):
 * every lead's size points and reason stay what fresh rules give, across
 * more distinct sizes than the memo has slots and sizes too long for it. */
static void test_size_memo(void **state)
{
	struct sales_settings *s = settings("");
	struct sales_score_rules *rules = sales_score_rules_new(s);
	const char *lead[LEAD_NCOLS] = { 0 };
	char size[160];

	(void)state;
	assert_non_null(rules);
	lead[LEAD_CUSTOMER] = "某某有限公司";
	lead[LEAD_INDUSTRY] = "制造业";
	for (int i = 0; i < 600; i++) {
		struct sales_score sc, want;
		int k = (i * 37) % 150;

		if (k % 5 == 0)
			snprintf(size, sizeof(size), " %d人 ", k * 10);
		else if (k % 5 == 1)
			snprintf(size, sizeof(size), "%d-%d人/%d亿以下", k, k * 3,
				 k % 7 + 1);
		else if (k % 5 == 2)
			snprintf(size, sizeof(size), "营收约%d万元，员工人数大约在%d人上下，具体以后再确认吧", k * 100, k);
		else if (k % 5 == 3)
			snprintf(size, sizeof(size), "待确认%d", k);
		else
			snprintf(size, sizeof(size), "%d", k);
		lead[LEAD_SIZE] = size;
		sales_score_lead(rules, NULL, lead, "01-leads.csv:2", i % 2, &sc);
		sales_score_compute(s, lead[LEAD_INDUSTRY], size, NULL, &want);
		if (sc.points[SALES_SCORE_SIZE] != want.points[SALES_SCORE_SIZE] ||
		    (i % 2 && strcmp(sc.why[SALES_SCORE_SIZE],
				     want.why[SALES_SCORE_SIZE])))
			fail_msg("'%s': %d (%s), want %d (%s)", size,
				 sc.points[SALES_SCORE_SIZE],
				 sc.why[SALES_SCORE_SIZE],
				 want.points[SALES_SCORE_SIZE],
				 want.why[SALES_SCORE_SIZE]);
	}
	sales_score_rules_free(rules);
	sales_settings_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_memo),
		cmocka_unit_test(test_example_workbook_arithmetic),
		cmocka_unit_test(test_size_bands),
		cmocka_unit_test(test_budget_bands),
		cmocka_unit_test(test_decision_chain),
		cmocka_unit_test(test_settings_change_the_points),
		cmocka_unit_test(test_surveys_by_customer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
