/* test_rules.c - the process rules shared by commands and check. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "rules.h"

static void test_opinions(void **state)
{
	static const struct { const char *text; enum sales_opinion op; } cases[] = {
		{ "", SALES_OPINION_NONE }, { "  ", SALES_OPINION_NONE },
		{ "同意", SALES_OPINION_AGREE }, { "条款合规", SALES_OPINION_AGREE },
		{ "通过", SALES_OPINION_AGREE }, { "批准，按期执行", SALES_OPINION_AGREE },
		{ "驳回", SALES_OPINION_REJECT }, { "不同意：价格过低", SALES_OPINION_REJECT },
		{ "条款不合规", SALES_OPINION_REJECT }, { "拒绝", SALES_OPINION_REJECT },
		/* anywhere in the text, after ASCII or other characters */
		{ "ok 退回", SALES_OPINION_REJECT }, { "经理: 否决", SALES_OPINION_REJECT },
		{ "价格过低，不予批准", SALES_OPINION_REJECT },
		{ "初审未通过", SALES_OPINION_REJECT },
		{ "不", SALES_OPINION_AGREE }, { "同意 (ok)", SALES_OPINION_AGREE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sales_opinion_of(cases[i].text) != cases[i].op)
			CASE_FAIL("'%s'", cases[i].text);
}

/* sales_opinion_of against strstr over random texts made of the words,
 * their first characters, characters sharing their lead or second byte,
 * ASCII and stray bytes: the filter skips no place a word begins. */
static void test_opinions_random(void **state)
{
	static const char *const no[] = { "驳回", "不同意", "不通过", "未通过",
					   "拒绝", "否决", "不合规", "不予",
					   "退回" };
	static const char *const parts[] = {
		"驳回", "不同意", "不通过", "未通过", "拒绝", "否决", "不合规",
		"不予", "退回", "不", "驳", "未", "拒", "否", "退", "同意", "通过",
		"合规", "予", "回", "决", "绝", "下", "丌", "且", "世", "駁",
		"逗", "送", "吉", "a", " ", "ok", ",", "\xe4", "\xb8", "\x8d",
		"\xe9\x80", "\xff", "，",
	};
	char text[256];

	(void)state;
	srand(14);
	for (int round = 0; round < 200000; round++) {
		size_t len = 0;
		int n = rand() % 8;
		bool reject = false;

		text[0] = '\0';
		for (int k = 0; k < n; k++) {
			const char *w = parts[rand() % (sizeof(parts) / sizeof(parts[0]))];

			if (len + strlen(w) + 1 >= sizeof(text))
				break;
			memcpy(text + len, w, strlen(w) + 1);
			len += strlen(w);
		}
		for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
			if (strstr(text, no[i]))
				reject = true;
		if (sales_opinion_of(text) == SALES_OPINION_NONE)
			continue;   /* blank */
		if ((sales_opinion_of(text) == SALES_OPINION_REJECT) != reject)
			CASE_FAIL("'%s'", text);
	}
}

static void test_reviews(void **state)
{
	static const struct {
		const char *text;
		enum sales_review r;
		bool unclear;
	} cases[] = {
		{ "", SALES_REVIEW_PENDING, false },
		{ "通过,需补充案例", SALES_REVIEW_PASSED, false },
		{ "通过", SALES_REVIEW_PASSED, false },
		{ "不通过，报价过高", SALES_REVIEW_REJECTED, false },
		{ "驳回", SALES_REVIEW_REJECTED, false },
		{ "未通过", SALES_REVIEW_REJECTED, false },
		{ "待定", SALES_REVIEW_PENDING, true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool unclear;

		if (sales_review_of(cases[i].text, &unclear) != cases[i].r ||
		    unclear != cases[i].unclear)
			CASE_FAIL("'%s'", cases[i].text);
	}
}

static void test_approval_states(void **state)
{
	static const struct {
		const char *manager, *legal, *gm;
		const char *status;
		int out_of_order, missing;
	} cases[] = {
		{ "", "", "", "待审批", -1, 0 },
		{ "同意", "", "", "审批中", -1, 0 },
		{ "同意", "条款合规", "", "审批中", -1, 0 },
		{ "同意", "条款合规", "同意", "已审批", -1, 0 },
		{ "驳回", "", "", "已驳回", -1, 0 },
		{ "同意", "驳回", "", "已驳回", -1, 0 },
		{ "", "条款合规", "", "审批中", 1, 0 },
		{ "同意", "", "同意", "审批中", 2, 1 },
		{ "驳回", "同意", "", "已驳回", 1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *v[CON_NCOLS] = { 0 };
		struct sales_approval a;
		int missing = -1, ooo;

		v[CON_MANAGER] = cases[i].manager;
		v[CON_LEGAL] = cases[i].legal;
		v[CON_GM] = cases[i].gm;
		sales_approval_from(&a, v);
		ooo = sales_approval_out_of_order(&a, sales_route_default(),
						  &missing);
		if (strcmp(sales_approval_status(&a, sales_route_default()),
			   cases[i].status) ||
		    ooo != cases[i].out_of_order ||
		    (ooo >= 0 && missing != cases[i].missing))
			CASE_FAIL("case %zu: %s, out of order %d missing %d", i,
				  sales_approval_status(&a, sales_route_default()),
				  ooo, missing);
	}
}

static void test_approval_may_act(void **state)
{
	struct sales_approval a = { { SALES_OPINION_NONE, SALES_OPINION_NONE,
				      SALES_OPINION_NONE, SALES_OPINION_NONE } };
	const struct sales_route *r = sales_route_default();
	struct sales_error err;

	(void)state;
	assert_int_equal(sales_approval_may_act(&a, r, SALES_APPROVER_MANAGER, &err), 0);
	assert_int_equal(sales_approval_may_act(&a, r, SALES_APPROVER_LEGAL, &err), -1);
	assert_int_equal(err.code, SALES_ERULE);
	assert_non_null(strstr(err.message, "销售经理"));
	a.op[0] = SALES_OPINION_AGREE;
	assert_int_equal(sales_approval_may_act(&a, r, SALES_APPROVER_LEGAL, &err), 0);
	assert_int_equal(sales_approval_may_act(&a, r, SALES_APPROVER_MANAGER, &err), -1);
	a.op[1] = SALES_OPINION_REJECT;
	assert_int_equal(sales_approval_may_act(&a, r, SALES_APPROVER_GM, &err), -1);
	assert_non_null(strstr(err.message, "rejected"));
	assert_int_equal(sales_approver_index("法务"), SALES_APPROVER_LEGAL);
	assert_int_equal(sales_approver_index("销售代表"), -1);
	assert_int_equal(sales_approver_index("財務"), SALES_APPROVER_FINANCE);
	/* the seed's chain has no 财务 */
	a.op[1] = SALES_OPINION_NONE;
	assert_int_equal(sales_approval_may_act(&a, r, SALES_APPROVER_FINANCE, &err), -1);
	assert_non_null(strstr(err.message, "not on this contract's approval route"));
}

static void test_gates(void **state)
{
	static const struct {
		enum sales_sheet_id sheet;
		struct sales_progress p;
		const char *missing;
	} cases[] = {
		{ SALES_SURVEYS, { .lead = false }, "客户开发" },
		{ SALES_SURVEYS, { .lead = true }, NULL },
		{ SALES_SOLUTIONS, { .lead = true }, "需求分析" },
		{ SALES_CONTRACTS, { .solution = true }, "方案制定" },
		{ SALES_CONTRACTS, { .solution = true, .review_passed = true }, NULL },
		{ SALES_PLANS, { .contract = true }, "谈判签约" },
		{ SALES_PLANS, { .contract = true, .contract_approved = true }, NULL },
		{ SALES_ACCEPTANCE, { .contract_approved = true }, "项目交付" },
		{ SALES_FOLLOWUPS, { .acceptance = true }, "项目验收" },
		{ SALES_FOLLOWUPS, { .acceptance = true, .accepted = true }, NULL },
		{ SALES_LEADS, { .lead = false }, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		const char *got = sales_gate_missing(cases[i].sheet, &cases[i].p, &why);

		if ((got == NULL) != (cases[i].missing == NULL) ||
		    (got && strcmp(got, cases[i].missing)) || (got && !why))
			CASE_FAIL("case %zu: got %s", i, got ? got : "(open)");
	}
}

static sales_date d(const char *s)
{
	return test_date(s);
}

static void test_deadlines_and_exceptions(void **state)
{
	struct sales_context ctx;
	struct sales_error err;
	struct sales_exception e = { "甲", "跳过环节", "需求调研", "展会直签", "",
				     "吴磊", "2023-10-01" };
	const char *why;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, "examples", d("2024-01-15"), &err), 0);
	/* 国庆 2023: 09-29..10-06 off, 10-07 and 10-08 are 班 days */
	assert_int_equal(sales_screening_deadline(&ctx, d("2023-09-28")), d("2023-10-09"));
	/* the example's proposal: survey 2023-10-12 (Thu) + 5 → 2023-10-19 */
	assert_int_equal(sales_proposal_deadline(&ctx, d("2023-10-12")), d("2023-10-19"));
	assert_true(sales_exception_valid(&ctx, &e, &why));
	assert_true(sales_exception_covers(&e, SALES_SURVEYS));
	assert_false(sales_exception_covers(&e, SALES_SOLUTIONS));
	e.approver = "张伟";   /* a 销售代表 */
	assert_false(sales_exception_valid(&ctx, &e, &why));
	assert_non_null(strstr(why, "销售经理"));
	e.approver = "吴磊";
	e.reason = " ";
	assert_false(sales_exception_valid(&ctx, &e, &why));
	assert_non_null(strstr(why, "reason"));
	sales_context_release(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opinions),
		cmocka_unit_test(test_opinions_random),
		cmocka_unit_test(test_reviews),
		cmocka_unit_test(test_approval_states),
		cmocka_unit_test(test_approval_may_act),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_deadlines_and_exceptions),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
