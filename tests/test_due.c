/* test_due.c - what falls due, on a workbook built to hold one item of
 * each kind (and some that must not be listed). */
#include "testutil.h"

#include <stdlib.h>

#include "context.h"
#include "due.h"
#include "model.h"
#include "workbook.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_due", 0);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static void write_file(const char *name, const char *data)
{
	test_write_file(dir, name, data);
}

static sales_date d(const char *s)
{
	return test_date(s);
}

/* As of Friday 2024-03-15 (no holidays listed: weekends only). */
static void write_workbook(void)
{
	write_file("01-leads.csv",
		   "客户名称,线索等级,负责人,最后跟进时间,登记日期,客户状态\n"
		   "甲公司,B类,张伟,2024-03-01,2023-10-01,已签约\n"
		   "乙公司,B类,张伟,2024-02-01,2023-12-01,已签约\n"
		   "丙公司,B类,周敏,2024-01-10,2023-11-01,已签约\n"
		   "丁公司,A类,周敏,2024-03-05,2024-02-01,跟进中\n"
		   "戊公司,B类,张伟,2023-12-01,2023-09-01,已签约\n"
		   "己公司,,周敏,2024-03-13,2024-03-13,新线索\n"
		   "庚公司,B类,张伟,2024-03-12,2024-03-01,跟进中\n"
		   "辛公司,B类,张伟,2024-02-10,2024-01-01,已签约\n"
		   "壬公司,A类,周敏,2023-12-01,2023-11-01,已丢单\n"
		   "癸公司,A类,周敏,2024-03-14,2024-03-14,跟进中\n");
	write_file("02-surveys.csv", "客户名称,调研时间\n庚公司,2024-03-11\n庚公司,2024-03-12\n");
	write_file("04-contracts.csv",
		   "合同编号,客户名称,合同金额(万元),审批状态,签订日期,付款到期日,回款日期\n"
		   "C1,甲公司,100,已审批,2023-11-01,2023-12-01,2023-11-30\n"
		   "C2,乙公司,80,已审批,2024-02-01,2024-03-17,\n"
		   "C3,丙公司,60,已审批,2024-01-10,2024-03-01,\n"
		   "C4,辛公司,50,已审批,2024-02-10,2024-03-20,\n"
		   "C5,辛公司,50,审批中,,2024-03-10,\n");
	write_file("06-acceptance.csv",
		   "客户名称,验收时间,验收结果\n甲公司,2024-02-01,合格\n戊公司,2023-12-01,合格\n");
	write_file("07-followups.csv",
		   "客户名称,跟进时间,跟进人,下次跟进计划\n"
		   "甲公司,2024-02-10,孙丽,2024.03.01回访\n"
		   "甲公司,2024-03-01,孙丽,2024.03.18回访\n");
}

struct expect {
	const char *owner;
	int kind;
	const char *customer;
	const char *date;
	long days;
	bool extended;
};

static void check(const struct expect *e, size_t n, long within,
		  const char *owner)
{
	struct sales_context ctx;
	struct sales_model *m;
	struct sales_due_list l;
	struct sales_error err;
	struct sales_due_query q = { d("2024-03-15"), within, owner, false };

	assert_int_equal(sales_context_load(&ctx, dir, q.as_of, &err), 0);
	if (sales_model_load(&m, &ctx, SALES_MODEL_ALL, NULL, NULL, &err) < 0)
		fail_msg("model: %s", err.message);
	assert_int_equal(sales_due_find(m, &q, &l, &err), 0);
	for (size_t i = 0; i < l.n || i < n; i++) {
		const struct sales_due_item *it = i < l.n ? &l.items[i] : NULL;

		if (!it || i >= n) {
			CASE_FAIL("item %zu: got %s, expected %s", i,
				  it ? sales_due_kind_keys[it->kind] : "nothing",
				  i < n ? sales_due_kind_keys[e[i].kind] : "nothing");
			continue;
		}
		if ((int)it->kind != e[i].kind ||
		    strcmp(sales_model_str(m, it->owner), e[i].owner) ||
		    strcmp(sales_model_str(m, m->customers[it->customer].name),
			   e[i].customer) ||
		    it->date != d(e[i].date) || it->days != e[i].days ||
		    it->extended != e[i].extended)
			CASE_FAIL("item %zu: %s %s %s days %ld", i,
				  sales_due_kind_keys[it->kind],
				  sales_model_str(m, it->owner),
				  sales_model_str(m, m->customers[it->customer].name),
				  it->days);
	}
	sales_due_list_release(&l);
	sales_model_free(m);
	sales_context_release(&ctx);
}

static void test_one_of_each(void **state)
{
	static const struct expect e[] = {
		/* 周 (E5 91 A8) < 孙 (E5 AD 99) < 张 (E5 BC A0) */
		{ "周敏", SALES_DUE_COLLECTION, "丙公司", "2024-03-01", -14, false },
		{ "周敏", SALES_DUE_STALLED, "丁公司", "2024-03-11", -4, false },
		{ "周敏", SALES_DUE_SCREENING, "己公司", "2024-03-18", 3, false },
		{ "周敏", SALES_DUE_STALLED, "癸公司", "2024-03-20", 5, false },
		{ "孙丽", SALES_DUE_FOLLOWUP, "甲公司", "2024-03-18", 3, false },
		{ "张伟", SALES_DUE_AFTERSALES, "戊公司", "2024-03-02", -13, false },
		{ "张伟", SALES_DUE_PAYMENT, "乙公司", "2024-03-17", 2, false },
		{ "张伟", SALES_DUE_PROPOSAL, "庚公司", "2024-03-19", 4, false },
	};

	(void)state;
	write_workbook();
	check(e, sizeof(e) / sizeof(e[0]), -1, NULL);
}

static void test_within_and_owner(void **state)
{
	static const struct expect mine[] = {
		{ "周敏", SALES_DUE_COLLECTION, "丙公司", "2024-03-01", -14, false },
		{ "周敏", SALES_DUE_STALLED, "丁公司", "2024-03-11", -4, false },
	};
	static const struct expect wide[] = {
		{ "张伟", SALES_DUE_AFTERSALES, "戊公司", "2024-03-02", -13, false },
		{ "张伟", SALES_DUE_PAYMENT, "乙公司", "2024-03-17", 2, false },
		{ "张伟", SALES_DUE_PROPOSAL, "庚公司", "2024-03-19", 4, false },
		/* due in 5 days: past the 3-day reminder, inside --within 5 */
		{ "张伟", SALES_DUE_PAYMENT, "辛公司", "2024-03-20", 5, false },
	};

	(void)state;
	write_workbook();
	check(mine, sizeof(mine) / sizeof(mine[0]), 0, " 周敏 ");
	check(wide, sizeof(wide) / sizeof(wide[0]), 5, "张伟");
}

static void test_extension_moves_the_deadline(void **state)
{
	/* an approved 延期 moves 庚公司's proposal to 2024-04-30 */
	static const struct expect week[] = {
		{ "张伟", SALES_DUE_AFTERSALES, "戊公司", "2024-03-02", -13, false },
		{ "张伟", SALES_DUE_PAYMENT, "乙公司", "2024-03-17", 2, false },
	};
	static const struct expect wide[] = {
		{ "张伟", SALES_DUE_AFTERSALES, "戊公司", "2024-03-02", -13, false },
		{ "张伟", SALES_DUE_PAYMENT, "乙公司", "2024-03-17", 2, false },
		{ "张伟", SALES_DUE_PAYMENT, "辛公司", "2024-03-20", 5, false },
		{ "张伟", SALES_DUE_PROPOSAL, "庚公司", "2024-04-30", 46, true },
	};

	(void)state;
	write_workbook();
	write_file("team.csv", "姓名,角色\n吴磊,销售经理\n");
	write_file("exceptions.csv",
		   "客户名称,类型,环节,原因,新期限,审批人,审批日期\n"
		   "庚公司,延期,方案制定,客户要求补充调研,2024-04-30,吴磊,2024-03-14\n");
	check(week, sizeof(week) / sizeof(week[0]), -1, "张伟");
	check(wide, sizeof(wide) / sizeof(wide[0]), 46, "张伟");
	check(NULL, 0, 46, "nobody");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_of_each, setup, teardown),
		cmocka_unit_test_setup_teardown(test_within_and_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extension_moves_the_deadline, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
