/* test_leads.c - checking and normalising lead values, the defaults of a
 * new lead, duplicate detection by name key and phone digits, streaming 01
 * for duplicates and the next 序号, and finding a lead by name. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "context.h"
#include "leads.h"
#include "schema.h"
#include "workbook.h"

/* A context with a team of two and today 2024-01-15 (no files read). */
static void fake_context(struct sales_context *c, struct sales_member *team)
{
	memset(c, 0, sizeof(*c));
	c->today = sales_date_from_ymd(2024, 1, 15);
	team[0] = (struct sales_member){ "张伟", "销售代表", "华东", 2 };
	team[1] = (struct sales_member){ "周敏", "销售代表", "华东", 3 };
	c->team = team;
	c->nteam = 2;
}

static void test_values(void **state)
{
	static const struct {
		int col;
		const char *in;
		const char *out;      /* stored text, or NULL when refused */
		const char *why;      /* part of the message when refused */
	} cases[] = {
		{ LEAD_CUSTOMER, "  华瑞精密机械有限公司　", "华瑞精密机械有限公司", NULL },
		{ LEAD_CUSTOMER, " ", NULL, "客户名称 (customer) is empty" },
		{ LEAD_GRADE, "a", "A类", NULL },
		{ LEAD_GRADE, "Ｂ類", "B类", NULL },
		{ LEAD_GRADE, "C级", "C类", NULL },
		{ LEAD_GRADE, "D类", NULL, "线索等级 'D类' is not a grade (expected A类, B类 or C类)" },
		{ LEAD_REGISTERED, "2023/10/8", "2023-10-08", NULL },
		{ LEAD_REGISTERED, "2023年10月8日", "2023-10-08", NULL },
		{ LEAD_LAST_CONTACT, "2024.01.15", "2024-01-15", NULL },
		{ LEAD_LAST_CONTACT, "2024-01-16", NULL, "lies in the future (today is 2024-01-15)" },
		{ LEAD_REGISTERED, "上周", NULL, "is not a date" },
		{ LEAD_PHONE, "138-1234-5678", "138-1234-5678", NULL },
		{ LEAD_PHONE, "010-88886666-123", "010-88886666-123", NULL },
		{ LEAD_PHONE, "1.38E+10", NULL, "mangled by Excel" },
		{ LEAD_PHONE, "1234", NULL, "联系方式 '1234' is not a phone number" },
		{ LEAD_PHONE, "138123456789", NULL, "is not a phone number" },
		{ LEAD_PHONE, "1381234567", NULL, "is not a phone number" },
		{ LEAD_PHONE, "call me", NULL, "is not a phone number" },
		{ LEAD_SIZE, "500-1000人/5亿以上", "500-1000人/5亿以上", NULL },
		{ LEAD_SIZE, "待确认", "待确认", NULL },
		{ LEAD_SIZE, "大型", NULL, "is not a company size" },
		{ LEAD_STATUS, "已丢单", "已丢单", NULL },
		{ LEAD_STATUS, "丢了", NULL, "客户状态 '丢了' is not one of 新线索, 跟进中, 已签约, 已丢单 or 公海" },
		{ LEAD_STATUS, "跟進中", "跟进中", NULL },
		{ LEAD_SCORE, "85", "85", NULL },
		{ LEAD_SCORE, "101", NULL, "from 0 to 100" },
		{ LEAD_NO, "0", NULL, "above 0" },
		{ LEAD_OWNER, " 张伟 ", "张伟", NULL },
		{ LEAD_OWNER, "王五", NULL, "负责人 '王五' is not in team.csv" },
		{ LEAD_NOTE, "", "", NULL },
		{ LEAD_NOTE, "=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", NULL },
	};
	struct sales_member team[2];
	struct sales_context c;

	(void)state;
	fake_context(&c, team);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_buf out = {0};
		struct sales_error err;
		enum sales_errcode want;
		int rc;

		sales_error_clear(&err);
		rc = sales_lead_value(&c, cases[i].col, cases[i].in, &out, &err);
		if (cases[i].out && (rc != 0 ||
				     strcmp(out.data ? out.data : "", cases[i].out)))
			CASE_FAIL("column %d '%s': rc %d, stored '%s' (%s), expected '%s'",
				  cases[i].col, cases[i].in, rc,
				  out.data ? out.data : "", err.message, cases[i].out);
		/* a rule says no (exit 1) to a future date, a score or 序号
		 * out of range and an owner not in the team; the rest does
		 * not parse (exit 2) */
		want = cases[i].why && (strstr(cases[i].why, "future") ||
					strstr(cases[i].why, "from 0 to") ||
					strstr(cases[i].why, "above 0") ||
					strstr(cases[i].why, "team.csv")) ?
		       SALES_ERULE : SALES_EVALUE;
		if (!cases[i].out && (rc == 0 || err.code != want ||
				      !strstr(err.message, cases[i].why)))
			CASE_FAIL("column %d '%s': rc %d, message '%s', expected refusal with '%s'",
				  cases[i].col, cases[i].in, rc, err.message,
				  cases[i].why);
		sales_buf_release(&out);
	}
	/* without a team every owner is fine */
	c.nteam = 0;
	{
		struct sales_buf out = {0};

		assert_int_equal(sales_lead_value(&c, LEAD_OWNER, "王五", &out, NULL), 0);
		assert_string_equal(out.data, "王五");
		sales_buf_release(&out);
	}
}

static void test_defaults_and_row_check(void **state)
{
	struct sales_member team[2];
	struct sales_context c;
	const char *v[LEAD_NCOLS] = { 0 };
	struct sales_error err;
	char today[11];
	int col = -1;

	(void)state;
	fake_context(&c, team);
	v[LEAD_CUSTOMER] = "华瑞";
	sales_lead_defaults(&c, v, today);
	assert_string_equal(v[LEAD_REGISTERED], "2024-01-15");
	assert_string_equal(v[LEAD_LAST_CONTACT], "2024-01-15");
	assert_string_equal(v[LEAD_STATUS], "新线索");
	assert_int_equal(sales_lead_check_row(v, &col, &err), 0);

	memset(v, 0, sizeof(v));
	v[LEAD_REGISTERED] = "2023-10-08";
	v[LEAD_STATUS] = "跟进中";
	sales_lead_defaults(&c, v, today);
	assert_string_equal(v[LEAD_LAST_CONTACT], "2023-10-08");
	assert_string_equal(v[LEAD_STATUS], "跟进中");

	v[LEAD_LAST_CONTACT] = "2023-10-07";
	assert_int_equal(sales_lead_check_row(v, &col, &err), -1);
	assert_int_equal(col, LEAD_LAST_CONTACT);
	assert_non_null(strstr(err.message, "before 登记日期 2023-10-08"));
}

static void test_same_customer(void **state)
{
	static const struct {
		const char *name1, *phone1, *name2, *phone2;
		int col;   /* LEAD_CUSTOMER, LEAD_PHONE, or -1: different */
	} cases[] = {
		{ "华瑞精密机械有限公司", "", "华瑞精密机械有限责任公司", "", LEAD_CUSTOMER },
		{ "华瑞精密机械有限公司", "", "华瑞精密机械 有限公司", "", LEAD_CUSTOMER },
		{ "华瑞精密机械有限公司", "", "华瑞精密机械（有限公司）", "", LEAD_CUSTOMER },
		{ "ABC Trading Co., Ltd.", "", "abc trading", "", LEAD_CUSTOMER },
		{ "华瑞精密机械有限公司", "", "华瑞集团有限公司", "", -1 },
		{ "甲公司", "138-1234-5678", "乙公司", "13812345678", LEAD_PHONE },
		{ "甲公司", "+86 138 1234 5678", "乙公司", "13812345678", LEAD_PHONE },
		{ "甲公司", "010-8888-6666", "乙公司", "01088886666", LEAD_PHONE },
		{ "甲公司", "138****5678", "乙公司", "13812345678", -1 },   /* masked */
		{ "甲公司", "1.38E+10", "乙公司", "13800000000", -1 },      /* mangled */
		{ "甲公司", "12345", "乙公司", "12345", -1 },               /* too short */
		{ "甲公司", "", "乙公司", "", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_dedup *d = sales_dedup_new();
		long earlier;
		int col = -1;

		assert_non_null(d);
		assert_int_equal(sales_dedup_add(d, cases[i].name1, cases[i].phone1,
						 7, &col), -1);
		earlier = sales_dedup_add(d, cases[i].name2, cases[i].phone2, 8, &col);
		if (cases[i].col < 0 ? earlier != -1 :
		    earlier != 7 || col != cases[i].col)
			CASE_FAIL("'%s' %s vs '%s' %s: earlier %ld col %d, expected col %d",
				  cases[i].name1, cases[i].phone1, cases[i].name2,
				  cases[i].phone2, earlier, col, cases[i].col);
		/* find agrees with add: the first candidate keeps the key */
		if (cases[i].col >= 0 &&
		    sales_dedup_find(d, cases[i].col == LEAD_CUSTOMER ?
				     cases[i].name2 : "另一家公司",
				     cases[i].phone2, &col) != 7)
			CASE_FAIL("find '%s' did not give the first candidate",
				  cases[i].name2);
		sales_dedup_free(d);
	}
}

static void test_many_candidates(void **state)
{
	struct sales_dedup *d = sales_dedup_new();
	char name[64], phone[32];
	int col;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "客户%d有限公司", i);
		snprintf(phone, sizeof(phone), "139%08d", i);
		assert_int_equal(sales_dedup_add(d, name, phone, (size_t)i, &col), -1);
	}
	assert_int_equal(sales_dedup_find(d, "客户4321有限责任公司", "", &col), 4321);
	assert_int_equal(col, LEAD_CUSTOMER);
	assert_int_equal(sales_dedup_find(d, "新客户", "139-0000-0042", &col), 42);
	assert_int_equal(col, LEAD_PHONE);
	assert_int_equal(sales_dedup_find(d, "新客户", "", &col), -1);
	/* a repeat among the candidates names the first */
	assert_int_equal(sales_dedup_add(d, "客户17 有限公司", "", 9999, &col), 17);
	sales_dedup_free(d);
}

struct hits {
	int n;
	struct sales_lead_dup first[4];
	char customers[4][64];
};

static int on_dup(void *ud, const struct sales_lead_dup *dup)
{
	struct hits *h = ud;

	if (h->n < 4) {
		h->first[h->n] = *dup;
		snprintf(h->customers[h->n], sizeof(h->customers[0]), "%s",
			 dup->customer);
	}
	h->n++;
	return 0;
}

static void test_scan_sheet(void **state)
{
	char dir[] = "/tmp/test_leads.XXXXXX", cmd[128];
	struct sales_dedup *d = sales_dedup_new();
	struct sales_lead_scan scan;
	struct sales_error err;
	struct hits h = { 0 };
	char *p;
	FILE *f;
	int col;

	(void)state;
	assert_non_null(mkdtemp(dir));
	p = sales_path_join(dir, "01-leads.csv");
	f = fopen(p, "wb");
	assert_non_null(f);
	/* columns in a user's order: phone before the customer */
	fputs("\xEF\xBB\xBF联系方式,客户名称,序号,线索等级\r\n"
	      "13812345678,华瑞精密机械有限公司,1,A类\r\n"
	      ",\"多行\r\n名称\",7,\r\n"
	      "139-0000-1111,乙公司,x,B类\r\n"
	      ",丙公司,3,\r\n", f);
	fclose(f);
	free(p);

	/* no candidates: only the next 序号 */
	assert_int_equal(sales_leads_scan(dir, NULL, NULL, NULL, &scan, &err), 0);
	assert_int_equal(scan.max_no, 7);
	assert_int_equal(scan.nrows, 4);

	assert_int_equal(sales_dedup_add(d, "华瑞精密机械 有限责任公司", "", 0, &col), -1);
	assert_int_equal(sales_dedup_add(d, "丁公司", "13900001111", 1, &col), -1);
	assert_int_equal(sales_leads_scan(dir, d, on_dup, &h, &scan, &err), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.first[0].candidate, 0);
	assert_int_equal(h.first[0].col, LEAD_CUSTOMER);
	assert_int_equal(h.first[0].line, 2);
	assert_string_equal(h.first[0].cell, "B2");
	assert_string_equal(h.customers[0], "华瑞精密机械有限公司");
	/* the row after a two-line cell starts on line 5, Excel row 4 */
	assert_int_equal(h.first[1].candidate, 1);
	assert_int_equal(h.first[1].col, LEAD_PHONE);
	assert_int_equal(h.first[1].line, 5);
	assert_string_equal(h.first[1].cell, "A4");

	/* a missing sheet is an error, not an empty one */
	p = sales_path_join(dir, "01-leads.csv");
	unlink(p);
	free(p);
	assert_int_equal(sales_leads_scan(dir, d, on_dup, &h, &scan, &err), -1);
	assert_int_equal(err.code, SALES_ENOTFOUND);
	sales_dedup_free(d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_defaults_and_row_check),
		cmocka_unit_test(test_same_customer),
		cmocka_unit_test(test_many_candidates),
		cmocka_unit_test(test_scan_sheet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
