/* test_baseline.c - which findings a change introduced: identities by row
 * key (not line), masked line numbers, multiplicity, fingerprints. */
#include "testutil.h"

#include "baseline.h"
#include "context.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_baseline", 1);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static void test_new_with_multiplicity(void **state)
{
	char *base[] = { "a", "b", "b" };
	char *now[] = { "b", "c", "b", "b", "a" };
	bool is_new[5];

	(void)state;
	assert_int_equal(sales_findings_new(now, 5, base, 3, is_new), 0);
	/* the first two b's are old, the third is new; a is old; c new */
	assert_false(is_new[0]);
	assert_true(is_new[1]);
	assert_false(is_new[2]);
	assert_true(is_new[3]);
	assert_false(is_new[4]);
	assert_int_equal(sales_findings_new(now, 5, NULL, 0, is_new), 0);
	for (int i = 0; i < 5; i++)
		assert_true(is_new[i]);
}

static void test_fingerprints(void **state)
{
	char *ids[] = { "x", "y", "x" };
	uint64_t fp[3], again[3];
	char *other[] = { "x", "x", "y" };

	(void)state;
	assert_int_equal(sales_finding_fingerprints(ids, 3, fp), 0);
	assert_true(fp[0] != fp[2]);   /* two equal findings, two fingerprints */
	assert_true(fp[0] != fp[1]);
	/* the same findings in another order: the same fingerprints by
	 * occurrence */
	assert_int_equal(sales_finding_fingerprints(other, 3, again), 0);
	assert_true(again[0] == fp[0] && again[1] == fp[2] && again[2] == fp[1]);
}

/* Runs check on dir and returns the identities. */
static char **ids_of(struct sales_check_result *res)
{
	struct sales_context ctx;
	struct sales_check_options opt = { .as_of = SALES_DATE_NONE };
	char **ids;

	assert_int_equal(sales_context_load(&ctx, dir, test_date("2024-01-15"), NULL), 0);
	assert_int_equal(sales_check_run(&ctx, &opt, res, NULL), 0);
	assert_int_equal(sales_finding_ids(res, dir, &ids, NULL), 0);
	sales_context_release(&ctx);
	return ids;
}

/* A duplicate lead moved: its finding quotes another line, its row key is
 * the same, so its identity is too. */
static void test_identity_ignores_lines(void **state)
{
	struct sales_check_result r1, r2;
	char **a, **b;
	const char *hdr = "\xef\xbb\xbf序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分\r\n";
	const char *lead1 = "1,科技有限公司,制造业,500-1000人/5亿以上,王经理,采购总监,13816274590,行业展会,采购自动化设备,A类,张伟,2024-01-10,需确认预算,2023-09-28,已签约,华东,智能物流,85\r\n";
	const char *lead2 = "2,YY商贸有限公司,零售,100-300人/1亿以下,马总,运营总监,13956782046,客户转介绍,仓储管理系统升级,B类,周敏,2023-10-08,决策人未明确,2023-10-08,跟进中,华东,仓储管理,42\r\n";
	const char *dup = "3,科技有限公司,制造业,,,,,,,A类,张伟,2024-01-10,,2023-09-28,已签约,华东,,\r\n";
	char data[2048];
	size_t found = 0;

	(void)state;
	snprintf(data, sizeof(data), "%s%s%s%s", hdr, lead1, lead2, dup);
	test_write_file(dir, "01-leads.csv", data);
	a = ids_of(&r1);
	snprintf(data, sizeof(data), "%s%s%s%s", hdr, lead2, lead1, dup);
	test_write_file(dir, "01-leads.csv", data);
	b = ids_of(&r2);
	for (size_t i = 0; i < r1.nfindings; i++) {
		if (r1.findings[i].check != SALES_CHECK_DUPLICATES)
			continue;
		found++;
		assert_int_equal(r1.findings[i].line, 4);
		assert_non_null(strstr(r1.findings[i].message, "line 2"));
		assert_non_null(strstr(a[i], "line #"));
		assert_null(strstr(a[i], "line 2"));
	}
	assert_int_equal(found, 1);
	assert_int_equal(r1.nfindings, r2.nfindings);
	{
		bool is_new[64];

		assert_true(r2.nfindings < 64);
		assert_int_equal(sales_findings_new(b, r2.nfindings, a,
						    r1.nfindings, is_new), 0);
		for (size_t i = 0; i < r2.nfindings; i++)
			if (is_new[i])
				fail_msg("new after a move: %s", r2.findings[i].message);
	}
	sales_finding_ids_free(a, r1.nfindings);
	sales_finding_ids_free(b, r2.nfindings);
	sales_check_result_release(&r1);
	sales_check_result_release(&r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_with_multiplicity),
		cmocka_unit_test(test_fingerprints),
		cmocka_unit_test(test_identity_ignores_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
