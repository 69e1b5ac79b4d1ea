/*
 * test_speed.c - the shortcuts taken for speed give the answers of the long
 * way: sales_column_find's exact-spelling match, the value parsers' early
 * refusal of literals and unknown words, the name key's company forms
 * kept as code points, and the first code point a duplicate scan filters
 * on.
 */
#include "testutil.h"

#include <stdbool.h>
#include <stdlib.h>

#include "schema.h"
#include "text.h"
#include "value.h"

/* The long way: the first column whose normalised spelling matches. */
static int column_find_slow(const struct sales_sheet_def *def, const char *name)
{
	char want[256], have[256];

	sales_header_normalize(name, strlen(name), want, sizeof(want));
	for (size_t i = 0; i < def->ncolumns; i++) {
		const char *sp[3] = { def->columns[i].zh, def->columns[i].zh_trad,
				      def->columns[i].key };

		for (int k = 0; k < 3; k++) {
			sales_header_normalize(sp[k], strlen(sp[k]), have, sizeof(have));
			if (!strcmp(want, have))
				return (int)i;
		}
	}
	return -1;
}

static void test_column_find_every_spelling(void **state)
{
	static const char *const extra[] = { "customer", "客户名称", "客户名称*",
		" 客户名称 ", "CUSTOMER", "客戶名稱", "nope", "", "date", "调研时间",
		"last-contact", "企业规模（员工数/营收）" };

	(void)state;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const struct sales_sheet_def *def = sales_sheet_def((enum sales_sheet_id)id);

		for (size_t i = 0; i < def->ncolumns; i++) {
			const char *sp[3] = { def->columns[i].zh,
					      def->columns[i].zh_trad,
					      def->columns[i].key };

			for (int k = 0; k < 3; k++) {
				int got = sales_column_find(def, sp[k]);

				if (got != column_find_slow(def, sp[k]) || got != (int)i)
					CASE_FAIL("%s: '%s' gave %d, column %zu",
						  def->file, sp[k], got, i);
			}
		}
		for (size_t e = 0; e < sizeof(extra) / sizeof(extra[0]); e++)
			if (sales_column_find(def, extra[e]) !=
			    column_find_slow(def, extra[e]))
				CASE_FAIL("%s: '%s'", def->file, extra[e]);
	}
}

static void test_unknown_words_and_literals(void **state)
{
	static const struct {
		const char *s;
		enum sales_value_status date, amount;
	} cases[] = {
		{ "待确认", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ " 待定 ", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "未知", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "不详", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "不確定", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "TBD", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "tbd", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "\xE3\x80\x80" "Tbd", SALES_VALUE_UNKNOWN, SALES_VALUE_UNKNOWN },
		{ "2023-10-10", SALES_VALUE_OK, SALES_VALUE_INVALID },
		{ "2023年10月10日", SALES_VALUE_OK, SALES_VALUE_INVALID },
		{ "２０２３.1.5", SALES_VALUE_OK, SALES_VALUE_INVALID },
		{ "258", SALES_VALUE_INVALID, SALES_VALUE_OK },
		{ "200-300万", SALES_VALUE_INVALID, SALES_VALUE_OK },
		{ "5亿以上", SALES_VALUE_INVALID, SALES_VALUE_OK },
		{ "t", SALES_VALUE_INVALID, SALES_VALUE_INVALID },
		{ "待", SALES_VALUE_INVALID, SALES_VALUE_INVALID },
		{ "", SALES_VALUE_EMPTY, SALES_VALUE_EMPTY },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = cases[i].s;
		sales_date d;
		struct sales_amount a;

		if (sales_parse_date(s, strlen(s), &d) != cases[i].date)
			CASE_FAIL("date '%s'", s);
		if (sales_parse_amount(s, strlen(s), &a) != cases[i].amount)
			CASE_FAIL("amount '%s'", s);
		if (sales_value_is_unknown(s, strlen(s)) !=
		    (cases[i].date == SALES_VALUE_UNKNOWN))
			CASE_FAIL("unknown '%s'", s);
	}
}

/* Every company form is dropped, alone and repeated, as its text says. */
static void test_name_key_company_forms(void **state)
{
	static const char *const forms[] = {
		"股份有限公司", "有限责任公司", "股份公司", "有限公司", "公司",
		" incorporated", " corporation", " limited", " company", " corp",
		" inc", " ltd", " llc", " co",
	};
	char key[256], name[256];

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(name, sizeof(name), "华瑞精密%s", forms[i]);
		sales_name_key(name, strlen(name), key, sizeof(key));
		if (strcmp(key, "华瑞精密"))
			CASE_FAIL("'%s' keyed '%s'", name, key);
		snprintf(name, sizeof(name), "华瑞%s%s", forms[i], forms[i]);
		sales_name_key(name, strlen(name), key, sizeof(key));
		if (strcmp(key, "华瑞"))
			CASE_FAIL("'%s' keyed '%s'", name, key);
	}
	sales_name_key("Costco", 6, key, sizeof(key));
	assert_string_equal(key, "costco");
	sales_name_key("公司", strlen("公司"), key, sizeof(key));
	assert_string_equal(key, "公司");
	sales_name_key("华瑞集团有限公司", strlen("华瑞集团有限公司"), key, sizeof(key));
	assert_string_equal(key, "华瑞集团");
}

static size_t put_utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	out[0] = (char)(0xE0 | cp >> 12);
	out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* The duplicate scan keys a row only when the first code point of its
 * key could be a candidate's: that first code point must be what
 * sales_name_key gives, and mapping it again must not move it (the scan
 * maps the candidates' keys, the rows' names). */
static void test_name_key_first(void **state)
{
	static const char *const names[] = {
		"华瑞精密机械有限公司", " 華瑞 有限公司", "（北京）科技", "ＡＢＣ Trading Co., Ltd.",
		"公司", "", "   ", "【华瑞】", "\xFF\xFE坏", "Costco",
	};
	char key[1024], buf[8];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint32_t want = 0;
		size_t n = sales_name_key(names[i], strlen(names[i]), key, sizeof(key));

		if (n)
			sales_utf8_decode(key, n, &want);
		if (sales_name_key_first(names[i], strlen(names[i])) != want)
			CASE_FAIL("'%s': first %u, key '%s'", names[i],
				  sales_name_key_first(names[i], strlen(names[i])), key);
	}
	for (uint32_t cp = 1; cp < 0x10000; cp++) {
		uint32_t f, g;
		size_t n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = put_utf8(cp, buf);
		f = sales_name_key_first(buf, n);
		if (!f)
			continue;
		n = put_utf8(f, buf);
		g = sales_name_key_first(buf, n);
		if (g != f)
			CASE_FAIL("U+%04X maps to U+%04X, which maps to U+%04X", cp, f, g);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_column_find_every_spelling),
		cmocka_unit_test(test_unknown_words_and_literals),
		cmocka_unit_test(test_name_key_company_forms),
		cmocka_unit_test(test_name_key_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
