/* test_audit.c - sales_audit_each: one walk over audit.csv that resolves
 * each row's 表 and 列 the same way for every reader. */
#include "testutil.h"

#include "audit.h"
#include "error.h"
#include "schema.h"

struct seen {
	int sheet[16];      /* sheet id, -1 for none */
	int col[16];
	unsigned line[16];
	int n, stop_at;
};

static int record(void *ud, const struct sales_audit_row *row,
		  struct sales_error *err)
{
	struct seen *s = ud;

	(void)err;
	s->sheet[s->n] = row->sheet ? (int)row->sheet->id : -1;
	s->col[s->n] = row->col;
	s->line[s->n] = row->line;
	s->n++;
	return s->n == s->stop_at ? 7 : 0;
}

static const char audit[] =
	"时间,用户,命令,工作表,主键,列,原值,新值\n"
	/* simplified header, as sales writes it */
	"2024-01-02T10:00:00+08:00,u,sales plan set,05-plans.csv,甲,起止时间,a,b\n"
	/* the same column again: resolved from the run */
	"2024-01-02T10:00:00+08:00,u,sales plan set,05-plans.csv,甲,起止时间,b,c\n"
	/* traditional header, key, spaces around the file name */
	"2024-01-03T10:00:00+08:00,u,x,04-contracts.csv,HT1,合同金額(萬元),1,2\n"
	"2024-01-03T10:00:00+08:00,u,x, 04-contracts.csv ,HT1,amount,1,2\n"
	/* a column of another sheet, a sheet of nobody, a blank 表 */
	"2024-01-03T10:00:00+08:00,u,x,04-contracts.csv,HT1,起止时间,1,2\n"
	"2024-01-03T10:00:00+08:00,u,x,notes.csv,HT1,amount,1,2\n"
	"2024-01-03T10:00:00+08:00,u,x,,HT1,amount,1,2\n";

static void test_resolves_sheet_and_column(void **state)
{
	char dir[64];
	struct seen s = { .stop_at = -1 };
	struct sales_error err = { 0 };
	int period = sales_column_find(sales_sheet_def(SALES_PLANS), "period");
	int amount = sales_column_find(sales_sheet_def(SALES_CONTRACTS), "amount");

	(void)state;
	assert_int_equal(test_tmpdir(dir, "sales-audit", 0), 0);
	test_write_file(dir, "audit.csv", audit);
	assert_int_equal(sales_audit_each(dir, record, &s, &err), 0);
	assert_int_equal(s.n, 7);
	assert_true(period >= 0 && amount >= 0);
	/* lines are physical: the header is line 1 */
	for (int i = 0; i < 7; i++)
		assert_int_equal(s.line[i], (unsigned)i + 2);
	assert_int_equal(s.sheet[0], SALES_PLANS);
	assert_int_equal(s.col[0], period);
	assert_int_equal(s.sheet[1], SALES_PLANS);
	assert_int_equal(s.col[1], period);
	assert_int_equal(s.sheet[2], SALES_CONTRACTS);
	assert_int_equal(s.col[2], amount);
	assert_int_equal(s.sheet[3], SALES_CONTRACTS);
	assert_int_equal(s.col[3], amount);
	assert_int_equal(s.sheet[4], SALES_CONTRACTS);
	assert_int_equal(s.col[4], -1);
	assert_int_equal(s.sheet[5], -1);
	assert_int_equal(s.col[5], -1);
	assert_int_equal(s.sheet[6], -1);
	assert_int_equal(s.col[6], -1);
	assert_int_equal(test_rmtree(dir), 0);
}

static void test_missing_audit_and_stop(void **state)
{
	char dir[64];
	struct seen s = { .stop_at = -1 };
	struct sales_error err = { 0 };

	(void)state;
	assert_int_equal(test_tmpdir(dir, "sales-audit", 0), 0);
	assert_int_equal(sales_audit_each(dir, record, &s, &err), 0);
	assert_int_equal(s.n, 0);
	test_write_file(dir, "audit.csv", audit);
	s.stop_at = 2;
	assert_int_equal(sales_audit_each(dir, record, &s, &err), 7);
	assert_int_equal(s.n, 2);
	assert_int_equal(test_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolves_sheet_and_column),
		cmocka_unit_test(test_missing_audit_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
