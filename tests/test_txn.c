/* test_txn.c - transactions: edits, appends, the audit trail, refusals
 * that leave every byte alone, and the context loader. */
#include "testutil.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "context.h"
#include "txn.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	setenv("SALES_USER", "tester", 1);
	return test_tmpdir(dir, "test_txn", 1);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static char *slurp(const char *file)
{
	char *p = sales_path_join(dir, file), *data;
	size_t len;
	struct sales_error err;

	assert_int_equal(sales_read_file(p, &data, &len, &err), 0);
	free(p);
	return data;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_set_and_audit(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	struct sales_sheet_table *st;
	char *before = slurp("01-leads.csv"), *after, *audit = slurp("audit.csv");
	int audit_lines = count_lines(audit);

	(void)state;
	free(audit);
	assert_int_equal(sales_txn_begin(&t, dir, "lead set", &err), 0);
	st = sales_txn_sheet(&t, SALES_LEADS, &err);
	assert_non_null(st);
	assert_string_equal(sales_sheet_table_get(st, 1, LEAD_CUSTOMER), "YY商贸有限公司");
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 1, LEAD_STATUS, "已丢单", &err), 0);
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 1, LEAD_NOTE, "决策人未明确", &err), 0);
	assert_int_equal(sales_txn_changes(&t), 1);   /* the note did not change */
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);

	after = slurp("01-leads.csv");
	/* only the status cell of row 3 changed */
	assert_non_null(strstr(after, "决策人未明确,2023-10-08,已丢单,华东"));
	assert_int_equal(strlen(after), strlen(before) + strlen("已丢单") - strlen("跟进中"));
	assert_memory_equal(after, before, (size_t)(strstr(before, "YY") - before));
	audit = slurp("audit.csv");
	assert_int_equal(count_lines(audit), audit_lines + 1);
	assert_non_null(strstr(audit, ",tester,lead set,01-leads.csv,YY商贸有限公司,客户状态,跟进中,已丢单\r\n"));
	free(before);
	free(after);
	free(audit);
}

static void test_refused_txn_writes_nothing(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	char *before = slurp("04-contracts.csv"), *abefore = slurp("audit.csv");
	char *after, *aafter;

	(void)state;
	assert_int_equal(sales_txn_begin(&t, dir, "approve", &err), 0);
	assert_non_null(sales_txn_sheet(&t, SALES_CONTRACTS, &err));
	assert_int_equal(sales_txn_set(&t, SALES_CONTRACTS, 0, CON_GM, "驳回", &err), 0);
	sales_txn_end(&t);   /* no commit: a refusal */
	after = slurp("04-contracts.csv");
	aafter = slurp("audit.csv");
	assert_string_equal(before, after);
	assert_string_equal(abefore, aafter);
	free(before);
	free(after);
	free(abefore);
	free(aafter);
}

static void test_append_is_o1_and_audited(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	const char *v[FU_NCOLS] = { 0 };
	char *before = slurp("07-followups.csv"), *after, *audit;

	(void)state;
	v[FU_CUSTOMER] = "科技有限公司";
	v[FU_DATE] = "2024-04-10";
	v[FU_CHANNEL] = "电话回访";
	v[FU_SATISFACTION] = "4";
	assert_int_equal(sales_txn_begin(&t, dir, "followup add", &err), 0);
	assert_int_equal(sales_txn_append(&t, SALES_FOLLOWUPS, v, &err), 0);
	assert_int_equal(sales_txn_changes(&t), 4);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	after = slurp("07-followups.csv");
	assert_memory_equal(after, before, strlen(before));
	assert_string_equal(after + strlen(before),
			    "科技有限公司,2024-04-10,,电话回访,,,,4\r\n");
	audit = slurp("audit.csv");
	assert_non_null(strstr(audit, "07-followups.csv,科技有限公司,满意度,,4\r\n"));
	free(before);
	free(after);
	free(audit);
}

static void test_second_writer_waits_then_refuses(void **state)
{
	struct sales_txn a, b;
	struct sales_error err;

	(void)state;
	setenv("SALES_LOCK_TIMEOUT", "0", 1);
	assert_int_equal(sales_txn_begin(&a, dir, "lead set", &err), 0);
	assert_int_equal(sales_txn_begin(&b, dir, "approve", &err), -1);
	assert_int_equal(err.code, SALES_ELOCKED);
	assert_non_null(strstr(err.message, "lead set"));
	sales_txn_end(&b);
	sales_txn_end(&a);
	unsetenv("SALES_LOCK_TIMEOUT");
}

static void test_context_loads_team_and_calendar(void **state)
{
	struct sales_context ctx;
	struct sales_error err;
	FILE *f;
	char *p;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, 0, &err), 0);
	assert_true(sales_team_has_role(&ctx, "吴磊", "销售经理"));
	assert_false(sales_team_has_role(&ctx, "张伟", "销售经理"));
	assert_true(sales_calendar_year_known(ctx.calendar, 2024));
	assert_int_equal(sales_setting_int(&ctx, "deadline.proposal_days"), 5);
	sales_context_release(&ctx);

	/* settings from sales.conf; a bad team role names its cell */
	p = sales_path_join(dir, "sales.conf");
	f = fopen(p, "w");
	fputs("[deadline]\n\tproposal_days = 7\n", f);
	fclose(f);
	free(p);
	assert_int_equal(sales_context_load(&ctx, dir, 0, &err), 0);
	assert_int_equal(sales_setting_int(&ctx, "deadline.proposal_days"), 7);
	sales_context_release(&ctx);
	p = sales_path_join(dir, "team.csv");
	f = fopen(p, "a");
	fputs("钱多多,销售大王,华南\r\n", f);
	fclose(f);
	free(p);
	assert_int_equal(sales_context_load(&ctx, dir, 0, &err), -1);
	assert_string_equal(err.file, "team.csv");
	assert_string_equal(err.cell, "B12");
	assert_non_null(strstr(err.message, "销售大王"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_audit),
		cmocka_unit_test(test_refused_txn_writes_nothing),
		cmocka_unit_test(test_append_is_o1_and_audited),
		cmocka_unit_test(test_second_writer_waits_then_refuses),
		cmocka_unit_test(test_context_loads_team_and_calendar),
	};

	return cmocka_run_group_tests_name("txn", tests, setup, teardown);
}
