/* test_route.c - approval routes: conditions, chains, modes, errors. */
#include "testutil.h"

#include <math.h>

#include "route.h"
#include "rules.h"

static const int cols[3] = { 1, 2, 3 };

static struct sales_route_facts facts(double amount, const char *term,
				      const char *line, const char *region)
{
	struct sales_route_facts f = {0};

	f.amount = amount;
	f.term = term;
	f.product_line = line;
	f.region = region;
	f.grade = "A类";
	f.industry = "物流";
	f.customer = "科技有限公司";
	return f;
}

/* Each condition against facts, with the answer worked out by hand. */
static void test_conditions(void **state)
{
	static const struct {
		const char *cond;
		double amount;
		const char *term, *line, *region;
		bool holds;
	} cases[] = {
		{ "*", 1, "", "", "", true },
		{ "金额 >= 200", 200, "", "", "", true },
		{ "金额 >= 200", 199.99, "", "", "", false },
		{ "金额>=200", 258, "", "", "", true },
		{ "合同金额 > 200万", 258, "", "", "", true },
		{ "金额 ≥ 200", 150, "", "", "", false },
		{ "金额 < 50", NAN, "", "", "", false },      /* unknown: false */
		{ "金额 != 100", NAN, "", "", "", false },
		{ "产品线 = 智能物流", 1, "", "智能物流", "", true },
		{ "产品线 = 智能物流", 1, "", "智能仓储", "", false },
		{ "产品线 != 智能物流", 1, "", "智能仓储", "", true },
		{ "區域 in 华东,华南", 1, "", "", "华南", true },
		{ "区域 in 华东，华南、西南", 1, "", "", "西南", true },
		{ "区域 in 华东,华南", 1, "", "", "华北", false },
		{ "合同期限 > 12", 1, "2023.11-2024.11", "", "", false }, /* 12 */
		{ "合同期限 >= 12", 1, "2023.11-2024.11", "", "", true },
		{ "合同期限 > 12", 1, "2023.11-2025.04", "", "", true },  /* 17 */
		{ "合同期限 = 12", 1, "2023.11.01-2024.10.31", "", "", true },
		{ "合同期限 = 12", 1, "2023年11月至2024年11月", "", "", true },
		{ "合同期限 > 12", 1, "24", "", "", true },
		{ "合同期限 > 1", 1, "", "", "", false },
		{ "金额 >= 200 且 产品线 = 智能物流", 300, "", "智能物流", "", true },
		{ "金额 >= 200 且 产品线 = 智能物流", 300, "", "智能仓储", "", false },
		{ "金额 >= 200 and 产品线 = 智能物流", 100, "", "智能物流", "", false },
		{ "金额 >= 500 或 区域 = 华东", 100, "", "", "华东", true },
		{ "金额 >= 500 || 区域 = 华东", 100, "", "", "华北", false },
		/* 且 binds tighter than 或 */
		{ "区域 = 华北 或 区域 = 华东 且 金额 > 1000", 5, "", "", "华北", true },
		{ "(区域 = 华北 或 区域 = 华东) 且 金额 > 1000", 5, "", "", "华北", false },
		{ "（区域 = 华北 或 区域 = 华东）且 金额 > 1", 5, "", "", "华东", true },
		{ "线索等级 = A", 1, "", "", "", true },
		{ "线索等级 = A类", 1, "", "", "", true },
		{ "线索等级 = B类", 1, "", "", "", false },
		{ "区域 = \"华东 一区\"", 1, "", "", "华东 一区", true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_routes *rs = sales_routes_new();
		struct sales_route_facts f = facts(cases[i].amount, cases[i].term,
						   cases[i].line, cases[i].region);
		struct sales_error err;
		const struct sales_route *r;

		assert_non_null(rs);
		sales_error_clear(&err);
		if (sales_routes_add(rs, cases[i].cond, "销售经理", "", 2, cols, 2,
				     &err) < 0)
			CASE_FAIL("case %zu '%s': %s", i, cases[i].cond, err.message);
		r = sales_route_for(rs, &f, &err);
		if ((r != NULL) != cases[i].holds)
			CASE_FAIL("case %zu '%s': holds %d, expected %d", i,
				  cases[i].cond, r != NULL, cases[i].holds);
		if (!r && err.code != SALES_ERULE)
			CASE_FAIL("case %zu: no match is a rule error", i);
		sales_routes_free(rs);
	}
}

/* A condition, chain or mode that does not parse names its cell. */
static void test_errors(void **state)
{
	static const struct {
		const char *cond, *chain, *mode;
		const char *cell, *says;
	} cases[] = {
		{ "", "销售经理", "", "A5", "empty" },
		{ "金额 >=", "销售经理", "", "A5", "expected a value" },
		{ "金额 >= 两百", "销售经理", "", "A5", "not an amount" },
		{ "合同期限 > 一年", "销售经理", "", "A5", "not a number of months" },
		{ "价格 > 5", "销售经理", "", "A5", "unknown field '价格'" },
		{ "产品线 > 智能物流", "销售经理", "", "A5", "compared with = or !=" },
		{ "金额 > 5 产品线 = x", "销售经理", "", "A5", "unexpected" },
		{ "(金额 > 5", "销售经理", "", "A5", "not closed" },
		{ "区域 in", "销售经理", "", "A5", "needs a list" },
		{ "金额", "销售经理", "", "A5", "expected a comparison" },
		{ "*", "", "", "B5", "names no approver" },
		{ "*", "销售经理→采购", "", "B5", "'采购' holds no opinion column" },
		{ "*", "法务→法务", "", "B5", "appears twice" },
		{ "*", "销售经理", "轮签", "C5", "expected 依次" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_routes *rs = sales_routes_new();
		struct sales_error err;

		sales_error_clear(&err);
		if (sales_routes_add(rs, cases[i].cond, cases[i].chain,
				     cases[i].mode, 5, cols, 5, &err) == 0)
			CASE_FAIL("case %zu: accepted", i);
		else if (err.code != SALES_EVALUE ||
			 strcmp(err.file, "approval-rules.csv") || err.line != 5 ||
			 strcmp(err.cell, cases[i].cell) ||
			 !strstr(err.message, cases[i].says))
			CASE_FAIL("case %zu: %s:%ld:%s: %s", i, err.file, err.line,
				  err.cell, err.message);
		sales_routes_free(rs);
	}
}

/* The first row that holds decides; chains and modes as written. */
static void test_first_match_and_chains(void **state)
{
	struct sales_routes *rs = sales_routes_new();
	struct sales_route_facts f = facts(300, "", "智能物流", "华东");
	const struct sales_route *r;
	struct sales_error err;
	char buf[160];

	(void)state;
	assert_int_equal(sales_routes_add(rs, "金额 >= 200", "销售经理->法务->总经理",
					  "依次", 2, cols, 2, &err), 0);
	assert_int_equal(sales_routes_add(rs, "金额 < 200", "销售经理、财务", "会签",
					  3, cols, 3, &err), 0);
	assert_int_equal(sales_routes_add(rs, "*", "銷售經理 / 總經理", "或簽", 4,
					  cols, 4, &err), 0);
	r = sales_route_for(rs, &f, &err);
	assert_non_null(r);
	assert_int_equal(r->line, 2);
	assert_string_equal(sales_route_describe(r, buf, sizeof(buf)),
			    "销售经理 → 法务 → 总经理 (依次)");
	f.amount = 50;
	r = sales_route_for(rs, &f, &err);
	assert_int_equal(r->line, 3);
	assert_int_equal(r->mode, SALES_ROUTE_ALL);
	assert_string_equal(sales_route_describe(r, buf, sizeof(buf)),
			    "销售经理 → 财务 (会签)");
	f.amount = NAN;
	r = sales_route_for(rs, &f, &err);
	assert_int_equal(r->line, 4);
	assert_string_equal(sales_route_describe(r, buf, sizeof(buf)),
			    "销售经理 → 总经理 (或签)");
	assert_string_equal(r->condition, "*");
	/* without the sheet: the seed's chain */
	r = sales_route_for(NULL, &f, &err);
	assert_ptr_equal(r, sales_route_default());
	assert_int_equal(r->n, 3);
	sales_routes_free(rs);
}

static struct sales_approval opinions(enum sales_opinion m, enum sales_opinion l,
				      enum sales_opinion g, enum sales_opinion f)
{
	struct sales_approval a = { { m, l, g, f } };

	return a;
}

#define NO SALES_OPINION_NONE
#define OK SALES_OPINION_AGREE
#define REJ SALES_OPINION_REJECT

/* Status, order and who may act, per mode, by hand. */
static void test_modes(void **state)
{
	struct sales_route seq = { { SALES_APPROVER_MANAGER, SALES_APPROVER_FINANCE },
				   2, SALES_ROUTE_SEQUENTIAL, 2, "金额 < 50" };
	struct sales_route all = seq, any = seq;
	struct sales_approval a;
	struct sales_error err;
	int missing;

	(void)state;
	all.mode = SALES_ROUTE_ALL;
	any.mode = SALES_ROUTE_ANY;

	/* 依次: 财务 before 销售经理 is out of order, and refused */
	a = opinions(NO, NO, NO, OK);
	assert_int_equal(sales_approval_out_of_order(&a, &seq, &missing),
			 SALES_APPROVER_FINANCE);
	assert_int_equal(missing, SALES_APPROVER_MANAGER);
	a = opinions(NO, NO, NO, NO);
	assert_int_equal(sales_approval_may_act(&a, &seq, SALES_APPROVER_FINANCE, &err), -1);
	assert_non_null(strstr(err.message, "销售经理 → 财务"));
	assert_int_equal(sales_approval_may_act(&a, &seq, SALES_APPROVER_LEGAL, &err), -1);
	assert_non_null(strstr(err.message, "not on this contract's approval route"));
	a = opinions(OK, NO, NO, NO);
	assert_string_equal(sales_approval_status(&a, &seq), "审批中");
	a = opinions(OK, NO, NO, OK);
	assert_string_equal(sales_approval_status(&a, &seq), "已审批");
	/* an opinion outside the route does not count, and is reported */
	a = opinions(OK, OK, NO, NO);
	assert_string_equal(sales_approval_status(&a, &seq), "审批中");
	assert_int_equal(sales_approval_outside(&a, &seq), SALES_APPROVER_LEGAL);

	/* 会签: any order, all of them */
	a = opinions(NO, NO, NO, OK);
	assert_int_equal(sales_approval_out_of_order(&a, &all, &missing), -1);
	assert_string_equal(sales_approval_status(&a, &all), "审批中");
	a = opinions(NO, NO, NO, NO);
	assert_int_equal(sales_approval_may_act(&a, &all, SALES_APPROVER_FINANCE, &err), 0);
	a = opinions(OK, NO, NO, OK);
	assert_string_equal(sales_approval_status(&a, &all), "已审批");
	a = opinions(OK, NO, NO, REJ);
	assert_string_equal(sales_approval_status(&a, &all), "已驳回");
	assert_int_equal(sales_approval_may_act(&a, &all, SALES_APPROVER_MANAGER, &err), -1);

	/* 或签: one agreement decides; a second opinion is out of order */
	a = opinions(NO, NO, NO, OK);
	assert_string_equal(sales_approval_status(&a, &any), "已审批");
	assert_int_equal(sales_approval_may_act(&a, &any, SALES_APPROVER_MANAGER, &err), -1);
	assert_non_null(strstr(err.message, "或签"));
	a = opinions(NO, NO, NO, NO);
	assert_int_equal(sales_approval_may_act(&a, &any, SALES_APPROVER_FINANCE, &err), 0);
	assert_string_equal(sales_approval_status(&a, &any), "待审批");
	a = opinions(REJ, NO, NO, NO);
	assert_string_equal(sales_approval_status(&a, &any), "已驳回");
	a = opinions(OK, NO, NO, OK);
	assert_int_equal(sales_approval_out_of_order(&a, &any, &missing),
			 SALES_APPROVER_FINANCE);
	assert_int_equal(missing, SALES_APPROVER_MANAGER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_first_match_and_chains),
		cmocka_unit_test(test_modes),
	};

	return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}
