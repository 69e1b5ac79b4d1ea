/* test_validate.c - the one cell validator: every column type, good and
 * bad values, the exact message and the verdict (INVALID exits 2, RULE 1). */
#include "testutil.h"

#include "validate.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define OK SALES_CELL_OK
#define BAD SALES_CELL_INVALID
#define RULE SALES_CELL_RULE

#define PHONE_EXPECTED "is not a phone number (expected a mobile 1[3-9] and 9 digits, a landline 0, area code and 7-8 digits, or a 400/800 number; +86 in front and an extension after are allowed)"
#define DATE_EXPECTED "is not a date (expected 2023-10-10, 2023/10/10, 2023.10.10 or 2023年10月10日)"

static void test_cell_check(void **state)
{
	static const struct {
		enum sales_sheet_id sheet;
		int col;
		const char *value;
		enum sales_cell_status want;
		const char *why;   /* the exact message, or NULL when OK */
	} cases[] = {
		/* TEXT: anything, formulas are the injection rule's */
		{ SALES_SURVEYS, SURVEY_NOTE, "=HYPERLINK(1)", OK, NULL },
		{ SALES_LEADS, LEAD_CUSTOMER, "科技有限公司", OK, NULL },
		/* blank is OK everywhere (required is the caller's business) */
		{ SALES_FOLLOWUPS, FU_SATISFACTION, "", OK, NULL },
		{ SALES_FOLLOWUPS, FU_SATISFACTION, " \xc2\xa0\xe3\x80\x80\r", OK, NULL },
		/* DATE */
		{ SALES_FOLLOWUPS, FU_DATE, "2024.01.15", OK, NULL },
		{ SALES_FOLLOWUPS, FU_DATE, "2024年1月15日", OK, NULL },
		{ SALES_FOLLOWUPS, FU_DATE, "2024/02/30", BAD, "跟进时间 '2024/02/30' " DATE_EXPECTED },
		{ SALES_LEADS, LEAD_LAST_CONTACT, "2024/02/30", BAD, "最后跟进时间 '2024/02/30' " DATE_EXPECTED },
		{ SALES_CONTRACTS, CON_PAID, "2024/02/30", BAD, "回款日期 '2024/02/30' " DATE_EXPECTED },
		{ SALES_FOLLOWUPS, FU_DATE, "45292", BAD, "跟进时间 '45292' is an Excel serial number (it stands for 2024-01-01): format the column as a date or as text" },
		{ SALES_FOLLOWUPS, FU_DATE, "#####", BAD, "跟进时间 '#####' is what Excel shows when the column is too narrow for the date: widen it and save again" },
		{ SALES_FOLLOWUPS, FU_DATE, "待定", BAD, "跟进时间 '待定' is not known yet, but 跟进时间 needs a value" },
		/* rule 9: nothing that happened lies after today (2024-01-15) */
		{ SALES_FOLLOWUPS, FU_DATE, "2024.01.16", RULE, "跟进时间 '2024.01.16' lies in the future (today is 2024-01-15)" },
		{ SALES_SURVEYS, SURVEY_DATE, "2024年2月1日", RULE, "调研时间 '2024年2月1日' lies in the future (today is 2024-01-15)" },
		{ SALES_EXCEPTIONS, EXC_APPROVED, "2025-01-01", RULE, "审批日期 '2025-01-01' lies in the future (today is 2024-01-15)" },
		/* ... but plans, due dates and deadlines look ahead */
		{ SALES_CONTRACTS, CON_PAYMENT_DUE, "2025-01-01", OK, NULL },
		{ SALES_EXCEPTIONS, EXC_DEADLINE, "2025-01-01", OK, NULL },
		/* DATE_RANGE, MONTH */
		{ SALES_PLANS, PLAN_PERIOD, "2025.11.01-11.05", OK, NULL },
		{ SALES_PLANS, PLAN_PERIOD, "2023.11.05-11.01", BAD, "起止时间 '2023.11.05-11.01' is not a period (expected 2023.11.01-11.05)" },
		{ SALES_CONTRACTS, CON_TERM, "2023.11-2024.11", OK, NULL },
		{ SALES_CONTRACTS, CON_TERM, "一年", BAD, "合同期限 '一年' is not a month or span of months (expected 2023.11-2024.11)" },
		/* AMOUNT: one amount; AMOUNT_RANGE: ranges, bounds, unknown */
		{ SALES_CONTRACTS, CON_AMOUNT, "258", OK, NULL },
		{ SALES_CONTRACTS, CON_AMOUNT, "258万", OK, NULL },
		{ SALES_CONTRACTS, CON_AMOUNT, "200-300", BAD, "合同金额(万元) '200-300' is a range or a bound, not one amount in 万元 (expected 258, 258.5 or 258万)" },
		{ SALES_CONTRACTS, CON_AMOUNT, "很多", BAD, "合同金额(万元) '很多' is not an amount in 万元 (expected 258, 258.5 or 258万)" },
		{ SALES_CONTRACTS, CON_AMOUNT, "待定", BAD, "合同金额(万元) '待定' is not known yet, but 合同金额(万元) needs a value" },
		{ SALES_SOLUTIONS, SOL_QUOTE, "待定", OK, NULL },
		{ SALES_SURVEYS, SURVEY_BUDGET, "待确认", OK, NULL },
		{ SALES_SURVEYS, SURVEY_BUDGET, "200-300万", OK, NULL },
		{ SALES_SURVEYS, SURVEY_BUDGET, "很多", BAD, "预算范围 '很多' is not an amount or range in 万元 (expected 258, 200-300万, 5亿以上 or 待确认)" },
		/* PERCENT */
		{ SALES_KPI, KPI_COMPLETION, "80%", OK, NULL },
		{ SALES_KPI, KPI_YOY, "很好", BAD, "同比变化 '很好' is not a percentage (expected 12%)" },
		/* GRADE */
		{ SALES_LEADS, LEAD_GRADE, "A類", OK, NULL },
		{ SALES_LEADS, LEAD_GRADE, "D类", BAD, "线索等级 'D类' is not a grade (expected A类, B类 or C类)" },
		/* ENUM, simplified and traditional */
		{ SALES_LEADS, LEAD_STATUS, "跟进中", OK, NULL },
		{ SALES_LEADS, LEAD_STATUS, "跟進中", OK, NULL },
		{ SALES_LEADS, LEAD_STATUS, "跟踪中", BAD, "客户状态 '跟踪中' is not one of 新线索, 跟进中, 已签约, 已丢单 or 公海" },
		{ SALES_CONTRACTS, CON_APPROVAL, "已審批", OK, NULL },
		{ SALES_CONTRACTS, CON_APPROVAL, "通过", BAD, "审批状态 '通过' is not one of 待审批, 审批中, 已审批 or 已驳回" },
		{ SALES_ACCEPTANCE, ACC_RESULT, "合格", OK, NULL },
		{ SALES_ACCEPTANCE, ACC_RESULT, "通过", BAD, "验收结果 '通过' is not one of 合格 or 不合格" },
		{ SALES_EXCEPTIONS, EXC_TYPE, "跳過環節", OK, NULL },
		{ SALES_EXCEPTIONS, EXC_STAGE, "需求调研", OK, NULL },
		{ SALES_EXCEPTIONS, EXC_STAGE, "談判簽約", OK, NULL },
		{ SALES_TEAM, TEAM_ROLE, "銷售經理", OK, NULL },
		/* PHONE: mainland numbers only */
		{ SALES_LEADS, LEAD_PHONE, "13816274590", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "+86 138-1627-4590", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "010-88886666", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "0571-8888666", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "0755-88886666转123", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "400-820-8820", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "800 820 8820", OK, NULL },
		{ SALES_LEADS, LEAD_PHONE, "1234", BAD, "联系方式 '1234' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "138123456789", BAD, "联系方式 '138123456789' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "1381234567", BAD, "联系方式 '1381234567' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "13812345678901234567", BAD, "联系方式 '13812345678901234567' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "12812345678", BAD, "联系方式 '12812345678' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "88886666", BAD, "联系方式 '88886666' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "+1 415 555 0100", BAD, "联系方式 '+1 415 555 0100' " PHONE_EXPECTED },
		{ SALES_LEADS, LEAD_PHONE, "1.38E+10", BAD, "联系方式 '1.38E+10' was mangled by Excel into a number: its last digits are lost; retype it and format the column as text" },
		{ SALES_LEADS, LEAD_PHONE, "138****5678", BAD, "联系方式 '138****5678' is masked: type the whole number" },
		/* INTEGER, with the ranges rules give */
		{ SALES_FOLLOWUPS, FU_SATISFACTION, "5", OK, NULL },
		{ SALES_FOLLOWUPS, FU_SATISFACTION, "6", RULE, "满意度 '6' is not from 1 to 5" },
		{ SALES_FOLLOWUPS, FU_SATISFACTION, "很好", BAD, "满意度 '很好' is not a whole number" },
		{ SALES_LEADS, LEAD_SCORE, "101", RULE, "线索评分 '101' is not from 0 to 100" },
		{ SALES_LEADS, LEAD_NO, "0", RULE, "序号 '0' is not a whole number above 0" },
		/* SIZE */
		{ SALES_LEADS, LEAD_SIZE, "500-1000人/5亿以上", OK, NULL },
		{ SALES_LEADS, LEAD_SIZE, "很大", BAD, "企业规模(员工数/营收) '很大' is not a company size (expected employees and/or revenue, e.g. 500-1000人/5亿以上)" },
		/* QUARTER */
		{ SALES_KPI, KPI_QUARTER, "2023Q4", OK, NULL },
		{ SALES_KPI, KPI_QUARTER, "2023Q5", BAD, "季度 '2023Q5' is not a quarter (expected 2023Q4)" },
		/* DATE_PREFIX */
		{ SALES_FOLLOWUPS, FU_NEXT_PLAN, "2024.04.10回访", OK, NULL },
		{ SALES_FOLLOWUPS, FU_NEXT_PLAN, "待定", OK, NULL },
		{ SALES_FOLLOWUPS, FU_NEXT_PLAN, "下周回访", BAD, "下次跟进计划 '下周回访' does not start with a date (expected 2024.04.10回访)" },
		/* TIMESTAMP (audit) is not judged */
		{ SALES_AUDIT, AUDIT_TIME, "whenever", OK, NULL },
	};
	struct sales_buf why = {0};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		enum sales_cell_status got;

		sales_buf_reset(&why);
		got = sales_cell_check(cases[i].sheet, cases[i].col,
				       cases[i].value, NULL,
				       test_date("2024-01-15"), &why);
		if (got != cases[i].want ||
		    (cases[i].why && (!why.data || strcmp(why.data, cases[i].why))))
			CASE_FAIL("%zu '%s': got %d (%s), want %d (%s)", i,
				  cases[i].value, got, why.data ? why.data : "",
				  cases[i].want, cases[i].why ? cases[i].why : "");
	}
	/* without a today the future rule is off */
	assert_int_equal(sales_cell_check(SALES_FOLLOWUPS, FU_DATE, "2099-01-01",
					  NULL, SALES_DATE_NONE, NULL), OK);
	sales_buf_release(&why);
}

/* 08 目标值 in the unit of the row's metric, as `sales report` reads it */
static void test_kpi_targets(void **state)
{
	static const struct {
		const char *metric, *target;
		enum sales_cell_status want;
		const char *why;
	} cases[] = {
		{ "平均客单价(万元)", "150万", OK, NULL },
		{ "平均客单价", "200", OK, NULL },
		{ "线索转化率", "15%", OK, NULL },
		{ "销售周期(天)", "45天", OK, NULL },
		{ "线索转化率", "150万", BAD, "目标值 '150万' is not a percentage (e.g. 15%) for 线索转化率" },
		{ "平均客单价(万元)", "很多", BAD, "目标值 '很多' is not an amount in 万元 (e.g. 200 or 150万) for 平均客单价(万元)" },
		{ "自定义指标", "150万", OK, NULL },
		{ "自定义指标", "很多", BAD, "目标值 '很多' is not a percentage, an amount or a number of days" },
	};
	struct sales_buf why = {0};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *row[KPI_NCOLS] = { 0 };
		enum sales_cell_status got;

		row[KPI_METRIC] = cases[i].metric;
		row[KPI_TARGET] = cases[i].target;
		sales_buf_reset(&why);
		got = sales_cell_check(SALES_KPI, KPI_TARGET, cases[i].target,
				       row, SALES_DATE_NONE, &why);
		if (got != cases[i].want ||
		    (cases[i].why && (!why.data || strcmp(why.data, cases[i].why))))
			CASE_FAIL("%zu %s '%s': got %d (%s)", i, cases[i].metric,
				  cases[i].target, got, why.data ? why.data : "");
	}
	/* without the row any unit is accepted */
	assert_int_equal(sales_cell_check(SALES_KPI, KPI_TARGET, "150万", NULL,
					  SALES_DATE_NONE, NULL), OK);
	sales_buf_release(&why);
}

/* the text a writer stores */
static void test_cell_value(void **state)
{
	static const struct {
		enum sales_sheet_id sheet;
		int col;
		const char *value, *stored;
	} cases[] = {
		{ SALES_LEADS, LEAD_LAST_CONTACT, " 2024/1/5 ", "2024-01-05" },
		{ SALES_LEADS, LEAD_GRADE, "a", "A类" },
		{ SALES_LEADS, LEAD_STATUS, "跟進中", "跟进中" },
		{ SALES_CONTRACTS, CON_APPROVAL, "已審批", "已审批" },
		{ SALES_EXCEPTIONS, EXC_TYPE, "跳過環節", "跳过环节" },
		{ SALES_EXCEPTIONS, EXC_STAGE, "項目驗收", "项目验收" },
		{ SALES_LEADS, LEAD_SCORE, " 085 ", "85" },
		{ SALES_LEADS, LEAD_PHONE, "\xc2\xa0" "138-1627-4590\r", "138-1627-4590" },
		{ SALES_LEADS, LEAD_NOTE, "", "" },
	};
	struct sales_buf out = {0}, why = {0};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		sales_buf_reset(&out);
		if (sales_cell_value(cases[i].sheet, cases[i].col, cases[i].value,
				     test_date("2024-01-15"), &out, &why) != OK ||
		    strcmp(out.data ? out.data : "", cases[i].stored))
			CASE_FAIL("%zu '%s': stored '%s'", i, cases[i].value,
				  out.data ? out.data : "");
	}
	sales_buf_reset(&out);
	assert_int_equal(sales_cell_value(SALES_LEADS, LEAD_PHONE, "1234",
					  SALES_DATE_NONE, &out, &why), BAD);
	assert_int_equal(out.len, 0);
	sales_buf_release(&out);
	sales_buf_release(&why);
}

/* sales_cell_parse hands over what the verdict parsed (the normalized
 * export writes it without parsing again); values worked out by hand */
static void test_cell_parse(void **state)
{
	struct sales_cell_parsed p;
	const char *kpi[KPI_NCOLS] = { 0 };

	(void)state;
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_REGISTERED, " 2023年9月28日 ",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_true(p.parsed);
	assert_int_equal(p.date, test_date("2023-09-28"));
	assert_int_equal((int)p.len, (int)strlen("2023年9月28日"));
	assert_int_equal(sales_cell_parse(SALES_PLANS, PLAN_PERIOD, "2023.12.28-01.03",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_int_equal(p.range.start, test_date("2023-12-28"));
	assert_int_equal(p.range.end, test_date("2024-01-03"));
	assert_int_equal(sales_cell_parse(SALES_CONTRACTS, CON_AMOUNT, "258万",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_true(p.amount.lo == 258 && p.amount.hi == 258);
	assert_int_equal(sales_cell_parse(SALES_SURVEYS, SURVEY_BUDGET, "5亿以上",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_int_equal(p.amount.flags, SALES_AMOUNT_LO);
	assert_true(p.amount.lo == 50000);
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_SIZE, "500-1000人/5亿以上",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_true(p.size.has_employees && p.size.emp_lo == 500 && p.size.emp_hi == 1000);
	assert_true(p.size.has_revenue && p.size.revenue.lo == 50000);
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_PHONE, "+86 138-1627-4590",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_string_equal(p.digits, "13816274590");
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_STATUS, "跟進中",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_string_equal(sales_lead_statuses[p.enum_index], "跟进中");
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_GRADE, "ａ",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_int_equal(p.grade, 'A');
	assert_int_equal(sales_cell_parse(SALES_FOLLOWUPS, FU_NEXT_PLAN, "2024.04.10回访",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_int_equal(p.date, test_date("2024-04-10"));
	/* not known yet: valid, and no value */
	assert_int_equal(sales_cell_parse(SALES_SURVEYS, SURVEY_BUDGET, "待确认",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_true(p.parsed);
	assert_int_equal(p.vs, SALES_VALUE_UNKNOWN);
	/* 08's 目标值 in the unit of the row's metric, as report reads it */
	kpi[KPI_METRIC] = "平均客单价(万元)";
	assert_int_equal(sales_cell_parse(SALES_KPI, KPI_TARGET, "150万", kpi,
					  SALES_DATE_NONE, &p, NULL), OK);
	assert_true(p.parsed && p.number == 150);
	kpi[KPI_METRIC] = "线索转化率";
	assert_int_equal(sales_cell_parse(SALES_KPI, KPI_TARGET, "90", kpi,
					  SALES_DATE_NONE, &p, NULL), OK);
	assert_true(p.number > 0.8999999 && p.number < 0.9000001);
	/* text is not parsed; a blank is nothing */
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_CUSTOMER, " 华瑞 ",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_false(p.parsed);
	assert_int_equal(p.len, strlen("华瑞"));
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_REGISTERED, " ",
					  NULL, SALES_DATE_NONE, &p, NULL), OK);
	assert_false(p.parsed);
	assert_int_equal(p.len, 0);
	/* the verdict is sales_cell_check's */
	assert_int_equal(sales_cell_parse(SALES_LEADS, LEAD_REGISTERED, "2023-02-30",
					  NULL, SALES_DATE_NONE, &p, NULL), BAD);
	assert_int_equal(sales_cell_parse(SALES_FOLLOWUPS, FU_DATE, "2099-01-01",
					  NULL, test_date("2024-01-15"), &p, NULL), RULE);
}

static void test_cell_error(void **state)
{
	struct sales_buf why = {0};
	struct sales_error err;

	(void)state;
	sales_buf_addstr(&why, "满意度 '6' is not from 1 to 5");
	assert_int_equal(sales_cell_error(RULE, "option '--satisfaction'", &why,
					  &err), -1);
	assert_int_equal(err.code, SALES_ERULE);
	assert_string_equal(err.message,
			    "option '--satisfaction': 满意度 '6' is not from 1 to 5");
	sales_cell_error(BAD, NULL, &why, &err);
	assert_int_equal(err.code, SALES_EVALUE);
	assert_string_equal(err.message, "满意度 '6' is not from 1 to 5");
	sales_buf_release(&why);
}

static void test_event_dates(void **state)
{
	(void)state;
	assert_true(sales_column_is_event_date(SALES_LEADS, LEAD_LAST_CONTACT));
	assert_true(sales_column_is_event_date(SALES_SOLUTIONS, SOL_REVIEWED));
	assert_true(sales_column_is_event_date(SALES_CONTRACTS, CON_PAID));
	assert_false(sales_column_is_event_date(SALES_CONTRACTS, CON_PAYMENT_DUE));
	assert_false(sales_column_is_event_date(SALES_PLANS, PLAN_PERIOD));
	assert_false(sales_column_is_event_date(SALES_FOLLOWUPS, FU_NEXT_PLAN));
	assert_false(sales_column_is_event_date(SALES_EXCEPTIONS, EXC_DEADLINE));
}

static void test_enum_traditional(void **state)
{
	(void)state;
	assert_int_equal(sales_enum_find(sales_lead_statuses, "已簽約", strlen("已簽約")), 2);
	assert_int_equal(sales_enum_find(sales_lead_statuses, " 已丟單 ", strlen(" 已丟單 ")), 3);
	assert_int_equal(sales_enum_find(sales_approval_states, "已駁回", strlen("已駁回")), 3);
	assert_int_equal(sales_enum_find(sales_lead_statuses, "已审批", strlen("已审批")), -1);
	assert_string_equal(sales_enum_canonical(sales_roles, "總經理"), "总经理");
	assert_null(sales_enum_canonical(sales_roles, "老板"));
	assert_ptr_equal(sales_sheet_by_stage("售後跟進"), sales_sheet_def(SALES_FOLLOWUPS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cell_check),
		cmocka_unit_test(test_kpi_targets),
		cmocka_unit_test(test_cell_value),
		cmocka_unit_test(test_cell_parse),
		cmocka_unit_test(test_cell_error),
		cmocka_unit_test(test_event_dates),
		cmocka_unit_test(test_enum_traditional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
