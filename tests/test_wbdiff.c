/* test_wbdiff.c - a sheet's rows by key and the difference of two versions:
 * pairing by values then key, duplicated keys, sheets without a unique key,
 * merged-cell continuation rows, moves, and the notes for what is no value
 * (encoding, header spelling, columns). */
#include "testutil.h"

#include "schema.h"
#include "wbdiff.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_wbdiff", 0);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

#define CON_HDR "\xef\xbb\xbf合同编号,客户名称,合同金额(万元),合同期限,主要条款摘要,销售代表,销售经理,法务,总经理,审批状态,签订日期,付款到期日,回款日期\r\n"
#define A_ROW "HT1,甲公司,100,,,张伟,同意,同意,同意,已审批,,,\r\n"
#define B_ROW "HT2,乙公司,200,,,张伟,,,,待审批,,,\r\n"
#define C_ROW "HT3,丙公司,300,,,周敏,,,,待审批,,,\r\n"

/* Loads name (written as data) as sheet id into s. */
static void load(struct sales_sheet_rows *s, const char *name, const char *data,
		 enum sales_sheet_id id)
{
	char path[256];
	struct sales_error err;

	test_write_file(dir, name, data);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sales_error_clear(&err);
	if (sales_sheet_rows_load(s, path, name, sales_sheet_def(id), &err) < 0)
		fail_msg("%s: %s", name, err.message);
}

static void diff_of(struct sales_sheet_diff *d, const char *old_data,
		    const char *new_data, enum sales_sheet_id id,
		    struct sales_sheet_rows *o, struct sales_sheet_rows *n)
{
	load(o, "old.csv", old_data, id);
	load(n, "new.csv", new_data, id);
	assert_int_equal(sales_sheet_diff(d, "x.csv", o, n, NULL), 0);
}

static void release(struct sales_sheet_diff *d, struct sales_sheet_rows *o,
		    struct sales_sheet_rows *n)
{
	sales_sheet_diff_release(d);
	sales_sheet_rows_release(o);
	sales_sheet_rows_release(n);
}

static void test_rows_keys_and_filldown(void **state)
{
	struct sales_sheet_rows s;

	(void)state;
	load(&s, "05.csv", "\xef\xbb\xbf客户名称,项目阶段,起止时间,负责人\r\n"
	     " 甲公司 ,需求确认,2023.11.01-11.05,陈静\r\n"
	     ",设备安装,2023.11.10-11.20,赵强\r\n", SALES_PLANS);
	assert_true(s.unique);
	assert_int_equal(s.nrows, 2);
	/* trimmed key cells, and the continuation row's customer filled down */
	assert_string_equal(s.rows[0].label, "甲公司 · 需求确认");
	assert_string_equal(s.rows[1].label, "甲公司 · 设备安装");
	assert_string_equal(s.rows[1].key, "甲公司\x1f设备安装");
	assert_int_equal(s.rows[1].line, 3);
	assert_ptr_equal(sales_sheet_rows_at(&s, 3), &s.rows[1]);
	assert_null(sales_sheet_rows_at(&s, 4));
	assert_int_equal(sales_sheet_rows_col(&s, "owner"), PLAN_OWNER);
	assert_string_equal(s.rows[1].v[PLAN_OWNER], "赵强");
	assert_int_equal(s.encoding, SALES_ENC_UTF8);
	assert_true(s.bom);
	sales_sheet_rows_release(&s);
}

static void test_changed_added_removed(void **state)
{
	struct sales_sheet_rows o, n;
	struct sales_sheet_diff d;

	(void)state;
	diff_of(&d, CON_HDR A_ROW B_ROW,
		CON_HDR "HT1,甲公司,120,,,张伟,同意,同意,同意,已审批,,,\r\n" C_ROW,
		SALES_CONTRACTS, &o, &n);
	assert_int_equal(d.nrows, 3);
	/* new-side order first, then removed rows */
	assert_int_equal(d.rows[0].kind, SALES_ROW_CHANGED);
	assert_string_equal(d.rows[0].new_row->label, "HT1");
	assert_int_equal(d.rows[0].ncells, 1);
	assert_string_equal(d.rows[0].cells[0].column, "合同金额(万元)");
	assert_string_equal(d.rows[0].cells[0].colkey, "amount");
	assert_string_equal(d.rows[0].cells[0].old_value, "100");
	assert_string_equal(d.rows[0].cells[0].new_value, "120");
	assert_int_equal(d.rows[1].kind, SALES_ROW_ADDED);
	assert_string_equal(d.rows[1].new_row->label, "HT3");
	assert_int_equal(d.rows[1].new_row->line, 3);
	assert_int_equal(d.rows[2].kind, SALES_ROW_REMOVED);
	assert_string_equal(d.rows[2].old_row->label, "HT2");
	assert_int_equal(d.rows[2].old_row->line, 3);
	assert_int_equal(d.nnotes, 0);
	release(&d, &o, &n);
}

/* One row taken from the top to the bottom is one move; a row inserted
 * above others moves nothing. */
static void test_moves(void **state)
{
	struct sales_sheet_rows o, n;
	struct sales_sheet_diff d;

	(void)state;
	diff_of(&d, CON_HDR A_ROW B_ROW C_ROW, CON_HDR B_ROW C_ROW A_ROW,
		SALES_CONTRACTS, &o, &n);
	assert_int_equal(d.nrows, 0);
	assert_int_equal(d.moved, 1);
	assert_int_equal(d.nnotes, 1);
	assert_string_equal(d.notes[0], "1 row moved (no value changed by the move)");
	release(&d, &o, &n);
	diff_of(&d, CON_HDR B_ROW C_ROW, CON_HDR A_ROW B_ROW C_ROW,
		SALES_CONTRACTS, &o, &n);
	assert_int_equal(d.moved, 0);
	assert_int_equal(d.nrows, 1);
	assert_int_equal(d.rows[0].kind, SALES_ROW_ADDED);
	release(&d, &o, &n);
}

/* Two rows with one key: the unchanged one pairs with itself wherever it
 * went, the other is the change. */
static void test_duplicate_keys(void **state)
{
	struct sales_sheet_rows o, n;
	struct sales_sheet_diff d;

	(void)state;
	diff_of(&d, CON_HDR A_ROW "HT1,乙公司,5,,,,,,,待审批,,,\r\n",
		CON_HDR "HT1,乙公司,6,,,,,,,待审批,,,\r\n" A_ROW,
		SALES_CONTRACTS, &o, &n);
	assert_int_equal(d.nrows, 1);
	assert_int_equal(d.rows[0].kind, SALES_ROW_CHANGED);
	assert_int_equal(d.rows[0].old_row->line, 3);
	assert_int_equal(d.rows[0].new_row->line, 2);
	assert_string_equal(d.rows[0].cells[0].old_value, "5");
	assert_string_equal(d.rows[0].cells[0].new_value, "6");
	release(&d, &o, &n);
}

/* 07 has no unique key: rows are their values, and a row whose naming
 * cells (客户名称, date) stayed is one change. */
static void test_followups_by_values(void **state)
{
	struct sales_sheet_rows o, n;
	struct sales_sheet_diff d;
	const char *hdr = "\xef\xbb\xbf客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度\r\n";
	char old_data[512], new_data[512];

	(void)state;
	snprintf(old_data, sizeof(old_data), "%s甲公司,2024.01.10,孙丽,电话,好,,,5\r\n"
		 "甲公司,2024.01.10,孙丽,电话,好,,,5\r\n", hdr);
	snprintf(new_data, sizeof(new_data), "%s甲公司,2024.01.10,孙丽,电话,好,,,5\r\n"
		 "甲公司,2024.01.10,孙丽,电话,一般,,,3\r\n乙公司,2024.02.01,孙丽,上门,,,,\r\n", hdr);
	diff_of(&d, old_data, new_data, SALES_FOLLOWUPS, &o, &n);
	assert_false(o.unique);
	assert_int_equal(d.nrows, 2);
	assert_int_equal(d.rows[0].kind, SALES_ROW_CHANGED);
	assert_int_equal(d.rows[0].ncells, 2);
	assert_string_equal(d.rows[0].cells[0].column, "客户反馈内容");
	assert_string_equal(d.rows[0].cells[1].new_value, "3");
	assert_int_equal(d.rows[1].kind, SALES_ROW_ADDED);
	assert_string_equal(d.rows[1].new_row->label, "乙公司 · 2024.02.01");
	release(&d, &o, &n);
}

/* What is no value: an encoding, a header spelling, a column order, a
 * column added empty. */
static void test_notes(void **state)
{
	struct sales_sheet_rows o, n;
	struct sales_sheet_diff d;

	(void)state;
	/* the same rows in GB18030 (iconv's bytes), no BOM */
	diff_of(&d, "\xef\xbb\xbf客户名称,项目阶段\r\n甲公司,需求确认\r\n",
		"\xbf\xcd\xbb\xa7\xc3\xfb\xb3\xc6,\xcf\xee\xc4\xbf\xbd\xd7\xb6\xce\r\n"
		"\xbc\xd7\xb9\xab\xcb\xbe,\xd0\xe8\xc7\xf3\xc8\xb7\xc8\xcf\r\n",
		SALES_PLANS, &o, &n);
	assert_int_equal(n.encoding, SALES_ENC_GB18030);
	assert_int_equal(d.nrows, 0);
	assert_int_equal(d.nnotes, 1);
	assert_string_equal(d.notes[0], "encoding UTF-8 with BOM → GB18030 (read as the same text)");
	release(&d, &o, &n);
	/* traditional headers, columns swapped, a user's column added empty */
	diff_of(&d, "客户名称,项目阶段,负责人\n甲公司,需求确认,陈静\n",
		"項目階段,客戶名稱,負責人,微信\n需求确认,甲公司,陈静,\n",
		SALES_PLANS, &o, &n);
	assert_int_equal(d.nrows, 0);
	/* a column added is the note; the order is not compared then */
	assert_int_equal(d.nnotes, 1);
	assert_string_equal(d.notes[0], "column '微信' added");
	release(&d, &o, &n);
	diff_of(&d, "客户名称,项目阶段,负责人\n甲公司,需求确认,陈静\n",
		"項目階段,客戶名稱,負責人\n需求确认,甲公司,陈静\n",
		SALES_PLANS, &o, &n);
	assert_int_equal(d.nnotes, 1);
	assert_string_equal(d.notes[0], "columns reordered: 客户名称 | 项目阶段 | 负责人 → 項目階段 | 客戶名稱 | 負責人");
	release(&d, &o, &n);
	diff_of(&d, "客户名称,项目阶段\r\n甲公司,需求确认\r\n",
		"客戶名稱,項目階段\n甲公司,需求确认\n", SALES_PLANS, &o, &n);
	assert_int_equal(d.nnotes, 2);
	assert_string_equal(d.notes[0], "line ends CRLF → LF");
	assert_string_equal(d.notes[1], "header spelling: 客户名称 | 项目阶段 → 客戶名稱 | 項目階段 (the same columns)");
	release(&d, &o, &n);
}

static void test_whole_file_added(void **state)
{
	struct sales_sheet_rows n;
	struct sales_sheet_diff d;

	(void)state;
	load(&n, "new.csv", CON_HDR A_ROW, SALES_CONTRACTS);
	assert_int_equal(sales_sheet_diff(&d, "x.csv", NULL, &n, NULL), 0);
	assert_true(d.added);
	assert_int_equal(d.nrows, 1);
	assert_int_equal(d.rows[0].kind, SALES_ROW_ADDED);
	assert_false(sales_sheet_diff_empty(&d));
	sales_sheet_diff_release(&d);
	sales_sheet_rows_release(&n);
}

#define S(x) (x), strlen(x)

static void test_merge_appends(void **state)
{
	const char *base = "a,b\r\n1,2\r\n";
	struct sales_buf out = { 0 };
	size_t n;

	(void)state;
	/* both appended; theirs' copy of ours' row is dropped */
	assert_int_equal(sales_merge_appends(base, strlen(base),
		S("a,b\r\n1,2\r\n3,4\r\n"), S("a,b\r\n1,2\r\n5,6\r\n3,4\r\n"),
		"x.csv", &out, &n, NULL), 1);
	assert_string_equal(out.data, "a,b\r\n1,2\r\n3,4\r\n5,6\r\n");
	assert_int_equal(n, 1);
	sales_buf_reset(&out);
	/* ours lacks a final line end, theirs' last row too: ours' CRLF; a
	 * quoted line break inside a record stays in it */
	assert_int_equal(sales_merge_appends(base, strlen(base),
		S("a,b\r\n1,2\r\n3,4"), S("a,b\r\n1,2\r\n\"5\n5\",6"),
		"x.csv", &out, &n, NULL), 1);
	assert_string_equal(out.data, "a,b\r\n1,2\r\n3,4\r\n\"5\n5\",6\r\n");
	sales_buf_reset(&out);
	/* a row changed on one side, or a base without a final line end:
	 * not this merge */
	assert_int_equal(sales_merge_appends(base, strlen(base),
		S("a,b\r\n1,9\r\n"), S("a,b\r\n1,2\r\n5,6\r\n"),
		"x.csv", &out, &n, NULL), 0);
	assert_int_equal(sales_merge_appends(S("a,b\r\n1,2"),
		S("a,b\r\n1,2,3\r\n"), S("a,b\r\n1,2\r\n"),
		"x.csv", &out, &n, NULL), 0);
	assert_int_equal(out.len, 0);
	sales_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_keys_and_filldown),
		cmocka_unit_test(test_changed_added_removed),
		cmocka_unit_test(test_moves),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_followups_by_values),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_whole_file_added),
		cmocka_unit_test(test_merge_appends),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
