/* test_sheet.c - the CSV layer: reading every shape Excel and WPS produce,
 * and rewrites that leave untouched bytes alone. */
#include "testutil.h"

#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sheet.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_sheet", 0);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static char *path_of(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void write_bytes(const char *name, const char *data, size_t len)
{
	FILE *f = fopen(path_of(name), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static char *read_bytes(const char *name, size_t *len)
{
	char *data;
	struct sales_error err;

	assert_int_equal(sales_read_file(path_of(name), &data, len, &err), 0);
	return data;
}

static size_t to_gb18030(const char *utf8, char *out, size_t cap)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char *in = (char *)utf8, *o = out;
	size_t inleft = strlen(utf8), oleft = cap;

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1);
	iconv_close(cd);
	return (size_t)(o - out);
}

/* Reads name and returns its rows as "a|b|c;" lines (for comparisons). */
static char *dump(const char *name, struct sales_error *err, int *rc_out)
{
	static char buf[8192];
	struct sales_reader *r;
	const struct sales_row *row;
	size_t n = 0;
	int rc;

	buf[0] = '\0';
	*rc_out = sales_reader_open(path_of(name), NULL, &r, err);
	if (*rc_out < 0)
		return buf;
	while ((rc = sales_reader_next(r, &row, err)) > 0) {
		for (size_t i = 0; i < row->ncells; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      i ? "|" : "", row->cells[i].s);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "@%ld/%ld;",
				      row->line, row->excel_row);
	}
	*rc_out = rc;
	sales_reader_close(r);
	return buf;
}

static void test_read_shapes(void **state)
{
	static const struct {
		const char *name, *data, *expect;
	} cases[] = {
		{ "lf", "a,b\n1,2\n", "1|2@2/2;" },
		{ "crlf", "a,b\r\n1,2\r\n3,4", "1|2@2/2;3|4@3/3;" },
		{ "cr", "a,b\r1,2\r3,4\r", "1|2@2/2;3|4@3/3;" },
		{ "bom", "\xEF\xBB\xBF\"a\",b\n1,2\n", "1|2@2/2;" },
		{ "quoted", "a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n", "x,y|he said \"hi\"@2/2;" },
		{ "multiline", "a,b\n\"l1\r\nl2\",z\n3,4\n", "l1\r\nl2|z@2/2;3|4@4/3;" },
		{ "spaces kept", "a,b\n  x , y\t\n", "  x | y\t@2/2;" },
		{ "empty rows counted", "a,b\n\n1,2\n,,\n\n3,4\n", "1|2@3/3;3|4@6/6;" },
		{ "trailing empty cols", "a,b,,\n1,2,,\n", "1|2@2/2;" },
		{ "short row", "a,b,c\n1\n", "1@2/2;" },
		{ "escaped formula", "a\n'=1+2\n", "=1+2@2/2;" },
		{ "no final eol", "a,b\n1,2", "1|2@2/2;" },
		{ "cjk across blocks", "a,b\n一二三四五六七,八九十一二三四五六七八九十\n",
		  "一二三四五六七|八九十一二三四五六七八九十@2/2;" },
		{ "cjk and others", "a,b\né中文中文中文中文😀中文中文中文,\xEF\xBF\xBF中文中文中文中文中文中\xE0\xA0\x80\n",
		  "é中文中文中文中文😀中文中文中文|\xEF\xBF\xBF中文中文中文中文中文中\xE0\xA0\x80@2/2;" },
	};
	struct sales_error err;
	int rc;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got;

		write_bytes("t.csv", cases[i].data, strlen(cases[i].data));
		got = dump("t.csv", &err, &rc);
		if (rc != 0 || strcmp(got, cases[i].expect))
			CASE_FAIL("%s: rc %d got '%s' want '%s' (%s)",
				  cases[i].name, rc, got, cases[i].expect,
				  err.message);
	}
}

static void test_read_errors(void **state)
{
	static const struct {
		const char *name, *data;
		size_t len;
		enum sales_errcode code;
		long line;
		const char *cell;
	} cases[] = {
		{ "unterminated", "a,b\n1,\"x\n2,3\n", 0, SALES_EPARSE, 2, "B2" },
		{ "stray quote", "a,b\n1,x\"y\n", 0, SALES_EPARSE, 2, "B2" },
		{ "after quote", "a,b\n1,\"x\"y\n", 0, SALES_EPARSE, 2, "B2" },
		{ "extra cell", "a,b\n1,2,3\n", 0, SALES_EPARSE, 2, "C2" },
		{ "nul", "a,b\n1,x\0y\n", 10, SALES_EPARSE, 2, "B2" },
		{ "invalid utf8 after bom", "\xEF\xBB\xBF" "a\n\xE4\xB8\n", 0, SALES_EENCODING, 2, "A2" },
		{ "invalid everywhere", "a,b\n1,\xFF\xFF\n", 0, SALES_EENCODING, 2, "B2" },
		{ "empty", "", 0, SALES_EPARSE, 1, "" },
		{ "utf16", "\xFF\xFE" "a\0", 4, SALES_EENCODING, 1, "" },
		{ "bom mid-file", "\xEF\xBB\xBF" "a\n1\n\xEF\xBB\xBF" "a\n", 0, SALES_EENCODING, 3, "A3" },
		{ "bom twice", "\xEF\xBB\xBF\xEF\xBB\xBF" "a\n1\n", 0, SALES_EENCODING, 1, "A1" },
		{ "xlsx", "PK\x03\x04\x14\0\x06\0", 8, SALES_EENCODING, 1, "" },
		{ "xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 0, SALES_EENCODING, 1, "" },
		{ "cjk after quote", "a,b\n1,\"x\"\xE6\x9C\xAA\n", 0, SALES_EPARSE, 2, "B2" },
		{ "bom in a cell", "a,b\n1,\xEF\xBB\xBFx\n", 0, SALES_EENCODING, 2, "B2" },
		/* CJK runs read 16 bytes at a time (sheet_fast.c utf8_block):
		 * a bad sequence in one, or cut by its end, is still found */
		{ "cut lead in cjk", "\xEF\xBB\xBF" "a,b\n1,中文中文\xE4\xB8文中文中文中文\n", 0, SALES_EENCODING, 2, "B2" },
		{ "cut lead at 14", "\xEF\xBB\xBF" "a,b\n1,中文\xE4\xB8中文中文中文中文中文\n", 0, SALES_EENCODING, 2, "B2" },
		{ "surrogate in cjk", "\xEF\xBB\xBF" "a,b\n1,中文中文\xED\xA0\x80中文中文中文\n", 0, SALES_EENCODING, 2, "B2" },
		{ "overlong in cjk", "\xEF\xBB\xBF" "a,b\n1,中文中文\xE0\x80\x80中文中文中文\n", 0, SALES_EENCODING, 2, "B2" },
		{ "lone continuation in cjk", "\xEF\xBB\xBF" "a,b\n1,中文中文中文\x80中文中文中文\n", 0, SALES_EENCODING, 2, "B2" },
	};
	struct sales_error err;

	(void)state;
	/* as --strict-csv reads (the lenient reading: test_read_lenient) */
	sales_set_strict_csv(true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		write_bytes("e.csv", cases[i].data,
			    cases[i].len ? cases[i].len : strlen(cases[i].data));
		sales_error_clear(&err);
		dump("e.csv", &err, &rc);
		if (rc >= 0 || err.code != cases[i].code ||
		    err.line != cases[i].line || strcmp(err.cell, cases[i].cell))
			CASE_FAIL("%s: rc %d code %d line %ld cell '%s' (%s)",
				  cases[i].name, rc, err.code, err.line,
				  err.cell, err.message);
	}
	sales_set_strict_csv(false);
}

static int nwarned;
static char warned[1024];

static void on_warning(const struct sales_error *w, void *ud)
{
	size_t n = strlen(warned);

	(void)ud;
	nwarned++;
	snprintf(warned + n, sizeof(warned) - n, "%ld:%s;", w->line, w->cell);
}

/* What Excel reads, by default: each such cell read as Excel shows it and
 * told to the warning handler; the rest of the file is unaffected. */
static void test_read_lenient(void **state)
{
	static const struct {
		const char *name, *data, *want, *warned;
	} cases[] = {
		{ "stray quote", "a,b\n1,37.8\"N\n2,y\n", "1|37.8\"N@2/2;2|y@3/3;", "2:B2;" },
		{ "after quote", "a,b\n1,\"ab\"c\n", "1|abc@2/2;", "2:B2;" },
		{ "quote after quote", "a,b\n\"ab\"c\"d\",e\n", "abc\"d\"|e@2/2;", "2:A2;" },
		{ "cjk after quote", "a,b\n1,\"决策人\"未明确\r\n3,4\r\n", "1|决策人未明确@2/2;3|4@3/3;", "2:B2;" },
		{ "multi-line then text", "a,b\n1,\"x\ny\"z\n2,3\n", "1|x\nyz@2/2;2|3@4/3;", "2:B2;" },
		{ "two in a row", "a,b,c\n1\"2,\"x\"y,ok\n", "1\"2|xy|ok@2/2;", "2:A2;2:B2;" },
		{ "at eof", "a,b\n1,x\"y", "1|x\"y@2/2;", "2:B2;" },
		{ "bom in a cell", "a,b\n1,\xEF\xBB\xBFx\n", "1|x@2/2;", "2:B2;" },
		{ "bom in the header", "\xEF\xBB\xBF\xEF\xBB\xBF" "a,b\n1,2\n", "1|2@2/2;", "1:A1;" },
	};
	struct sales_error err;

	(void)state;
	sales_set_read_warning_handler(on_warning, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got;
		int rc;

		warned[0] = '\0';
		nwarned = 0;
		write_bytes("l.csv", cases[i].data, strlen(cases[i].data));
		got = dump("l.csv", &err, &rc);
		if (rc != 0 || strcmp(got, cases[i].want) ||
		    strcmp(warned, cases[i].warned))
			CASE_FAIL("%s: rc %d got '%s' warned '%s' (%s)",
				  cases[i].name, rc, got, warned,
				  rc ? err.message : "");
		/* the slow path gives the same (SALES_CSV_SLOW) */
		setenv("SALES_CSV_SLOW", "1", 1);
		warned[0] = '\0';
		got = dump("l.csv", &err, &rc);
		unsetenv("SALES_CSV_SLOW");
		if (rc != 0 || strcmp(got, cases[i].want) ||
		    strcmp(warned, cases[i].warned))
			CASE_FAIL("%s (slow): rc %d got '%s'", cases[i].name,
				  rc, got);
	}
	/* two joined files: a BOM before a repeated header stays an error */
	write_bytes("l.csv", "\xEF\xBB\xBF" "a\n1\n\xEF\xBB\xBF" "a\n", 12);
	dump("l.csv", &err, &(int){0});
	assert_int_equal(err.code, SALES_EENCODING);
	assert_string_equal(err.cell, "A3");
	sales_set_read_warning_handler(NULL, NULL);
}

static void test_gbk_detected(void **state)
{
	char raw[256];
	size_t n = to_gb18030("客户名称,备注\r\n华瑞精密,待确认\r\n", raw, sizeof(raw));
	struct sales_error err;
	struct sales_reader *r;
	const struct sales_row *row;

	(void)state;
	write_bytes("g.csv", raw, n);
	assert_int_equal(sales_reader_open(path_of("g.csv"), NULL, &r, &err), 0);
	assert_string_equal(sales_reader_header(r)->cells[0].s, "客户名称");
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_string_equal(row->cells[1].s, "待确认");
	assert_int_equal(sales_reader_encoding(r), SALES_ENC_GB18030);
	assert_int_equal(sales_reader_eol(r), SALES_EOL_CRLF);
	assert_false(sales_reader_has_bom(r));
	sales_reader_close(r);
}


/* Common workbook words and surnames, each in GBK and in UTF-8: the guess
 * must give back the encoding it was written in.  状态 职位 女 元 台 郑 谢
 * 叶 陆 钱 are valid UTF-8 when GBK-encoded (Hebrew, Latin Extended,
 * Cyrillic and combining letters there). */
static void test_encoding_guess_words(void **state)
{
	static const char *const words[] = {
		"状态", "职位", "女", "元", "台", "郑", "谢", "叶", "陆", "钱",
		"男", "客户名称", "行业", "联系人", "职务", "联系方式", "线索来源",
		"线索等级", "负责人", "备注", "登记日期", "客户状态", "区域",
		"产品线", "合同编号", "合同金额", "审批状态", "已审批", "待审批",
		"跟进中", "已签约", "已丢单", "新线索", "合格", "不合格", "张", "王",
		"李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马",
		"朱", "胡", "林", "何", "高", "罗", "梁", "宋", "唐", "许", "韩",
		"冯", "邓", "曹", "彭", "曾", "萧", "田", "董", "袁", "潘", "蒋",
		"蔡", "余", "杜", "苏", "魏", "程", "吕", "丁", "沈", "任", "姚",
		"卢", "傅", "钟", "姜", "崔", "谭", "廖", "范", "汪", "金", "石",
		"华东", "华南", "制造业", "物流", "万元", "A类", "经理", "总经理",
		"采购部→技术部→总经理", "《合同》", "（高）", "销售代表",
	};
	char gbk[128];

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = to_gb18030(words[i], gbk, sizeof(gbk));

		if (sales_encoding_guess(gbk, n) != SALES_ENC_GB18030)
			CASE_FAIL("'%s' in GBK not guessed GBK", words[i]);
		if (sales_encoding_guess(words[i], strlen(words[i])) !=
		    SALES_ENC_UTF8)
			CASE_FAIL("'%s' in UTF-8 not guessed UTF-8", words[i]);
	}
	assert_int_equal(sales_encoding_guess("ID,a\r\n", 6), SALES_ENC_AUTO);
}

/* The two cases: a GBK header that is valid UTF-8 (refused as
 * "not valid UTF-8" before), and a file whose only non-ASCII cells are 女
 * (read as Ů before). */
static void test_gbk_valid_as_utf8(void **state)
{
	char raw[256];
	size_t n = to_gb18030("ID,状态,客户名称\r\n1,跟进中,华瑞精密\r\n", raw,
			      sizeof(raw));
	struct sales_error err;
	struct sales_reader *r;
	const struct sales_row *row;

	(void)state;
	write_bytes("g1.csv", raw, n);
	assert_int_equal(sales_reader_open(path_of("g1.csv"), NULL, &r, &err), 0);
	assert_string_equal(sales_reader_header(r)->cells[1].s, "状态");
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_string_equal(row->cells[2].s, "华瑞精密");
	sales_reader_close(r);

	n = to_gb18030("ID,name,sex\r\n1,Li,女\r\n2,Wang,女\r\n3,Zhao,M\r\n",
		       raw, sizeof(raw));
	write_bytes("g2.csv", raw, n);
	assert_int_equal(sales_reader_open(path_of("g2.csv"), NULL, &r, &err), 0);
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_string_equal(row->cells[2].s, "女");
	assert_int_equal(sales_reader_encoding(r), SALES_ENC_GB18030);
	sales_reader_close(r);
}

/* A file in two encodings is an error naming the first line that
 * disagrees with the encoding its text decided. */
static void test_mixed_encodings(void **state)
{
	char raw[512], part[256];
	size_t n;
	struct sales_error err;
	struct sales_reader *r;
	const struct sales_row *row;
	const char *utf8_row = "3,华南精工有限公司\r\n";

	(void)state;
	/* GBK lines, then a UTF-8 line pasted in */
	n = to_gb18030("ID,客户名称\r\n1,华瑞精密\r\n2,东方物流\r\n", raw,
		       sizeof(raw));
	memcpy(raw + n, utf8_row, strlen(utf8_row));
	n += strlen(utf8_row);
	write_bytes("m1.csv", raw, n);
	assert_int_equal(sales_reader_open(path_of("m1.csv"), NULL, &r, &err), 0);
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_string_equal(row->cells[1].s, "华瑞精密");
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_int_equal(sales_reader_next(r, &row, &err), -1);
	assert_int_equal(err.line, 4);
	assert_string_equal(err.cell, "B4");
	assert_non_null(strstr(err.message, "mixed encodings"));
	sales_reader_close(r);

	/* UTF-8 lines, then a GBK line */
	strcpy(raw, "ID,客户名称\r\n1,华瑞精密\r\n2,东方物流\r\n");
	n = strlen(raw);
	memcpy(raw + n, part, to_gb18030("3,华南精工有限公司\r\n", part,
					 sizeof(part)));
	n += to_gb18030("3,华南精工有限公司\r\n", part, sizeof(part));
	write_bytes("m2.csv", raw, n);
	assert_int_equal(sales_reader_open(path_of("m2.csv"), NULL, &r, &err), 0);
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_int_equal(sales_reader_next(r, &row, &err), -1);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.message, "mixed encodings"));
	sales_reader_close(r);

	/* the override reads the GBK file as it is told */
	sales_set_default_encoding(SALES_ENC_UTF8, true);
	n = to_gb18030("ID,sex\r\n1,女\r\n", raw, sizeof(raw));
	write_bytes("m3.csv", raw, n);
	assert_int_equal(sales_reader_open(path_of("m3.csv"), NULL, &r, &err), 0);
	assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_string_equal(row->cells[1].s, "\xC5\xAE");   /* Ů */
	sales_reader_close(r);
	sales_set_default_encoding(SALES_ENC_AUTO, true);
}

/* A big file whose first MiB is ASCII decides at its first non-ASCII
 * record, on the text from there. */
static void test_encoding_decided_late(void **state)
{
	struct sales_buf b = {0};
	char gbk[64];
	size_t n = to_gb18030("2,女\r\n", gbk, sizeof(gbk));
	struct sales_error err;
	struct sales_reader *r;
	const struct sales_row *row;
	int rc;
	long rows = 0;

	(void)state;
	sales_buf_addstr(&b, "ID,sex\r\n");
	while (b.len < (3u << 20) / 2)
		sales_buf_addstr(&b, "1,M\r\n");
	sales_buf_add(&b, gbk, n);
	write_bytes("late.csv", b.data, b.len);
	sales_buf_release(&b);
	assert_int_equal(sales_reader_open(path_of("late.csv"), NULL, &r, &err), 0);
	while ((rc = sales_reader_next(r, &row, &err)) > 0)
		rows++;
	assert_int_equal(rc, 0);
	assert_string_equal(row->cells[1].s, "女");
	assert_int_equal(sales_reader_encoding(r), SALES_ENC_GB18030);
	sales_reader_close(r);
	(void)rows;
}

/* A rewrite that changes one cell leaves every other byte alone. */
static void roundtrip(const char *original, size_t len, const char *expected,
		      size_t elen, size_t row, size_t col, const char *value)
{
	struct sales_table *t;
	struct sales_error err;
	char *after;
	size_t alen;

	write_bytes("r.csv", original, len);
	assert_int_equal(sales_table_load(path_of("r.csv"), NULL, &t, &err), 0);
	assert_int_equal(sales_table_set(t, row, col, value, &err), 0);
	assert_int_equal(sales_table_save(t, &err), 0);
	sales_table_free(t);
	after = read_bytes("r.csv", &alen);
	assert_int_equal(alen, elen);
	assert_memory_equal(after, expected, elen);
	free(after);
}

static void test_roundtrip_utf8_bom_crlf(void **state)
{
	const char *orig = "\xEF\xBB\xBF" "客户名称,线索等级,备注\r\n"
			   "甲公司,B类,\"有,逗号\"\r\n"
			   "乙公司,C类,  空格  \r\n"
			   "\"丙\r\n公司\",A类,x\r\n";
	const char *exp = "\xEF\xBB\xBF" "客户名称,线索等级,备注\r\n"
			  "甲公司,B类,\"有,逗号\"\r\n"
			  "乙公司,A类,  空格  \r\n"
			  "\"丙\r\n公司\",A类,x\r\n";

	(void)state;
	roundtrip(orig, strlen(orig), exp, strlen(exp), 1, 1, "A类");
}

static void test_roundtrip_gbk_crlf(void **state)
{
	char orig[512], exp[512];
	size_t n = to_gb18030("客户名称,线索等级,备注\r\n甲公司,B类,\"有,逗号\"\r\n"
			      "乙公司,C类,需确认预算\r\n", orig, sizeof(orig));
	size_t m = to_gb18030("客户名称,线索等级,备注\r\n甲公司,A类,\"有,逗号\"\r\n"
			      "乙公司,C类,需确认预算\r\n", exp, sizeof(exp));

	(void)state;
	roundtrip(orig, n, exp, m, 0, 1, "A类");
}

static void test_rewrite_quotes_and_escapes(void **state)
{
	const char *orig = "a,b\n1,2\n3,4";
	const char *mid = "a,b\n\"x,\"\"y\"\"\",2\n3,4";
	const char *exp = "a,b\n\"x,\"\"y\"\"\",'=cmd|' /C calc'!A0\n3,4";

	(void)state;
	roundtrip(orig, strlen(orig), mid, strlen(mid), 0, 0, "x,\"y\"");
	/* a formula is stored as text behind an apostrophe */
	roundtrip(mid, strlen(mid), exp, strlen(exp), 0, 1,
		  "=cmd|' /C calc'!A0");
}

/* Setting a cell two or more columns past a short row's end fills the gap
 * with empty cells (found by fuzz_sheet: the gap was NULL and crashed). */
static void test_set_past_short_row(void **state)
{
	const char *orig = "a,b,c,d\n1\n2,x\n";
	const char *exp = "a,b,c,d\n1,,,y\n2,x\n";

	(void)state;
	roundtrip(orig, strlen(orig), exp, strlen(exp), 0, 3, "y");
	roundtrip(exp, strlen(exp), "a,b,c,d\n1,,,y\n2,x,z\n",
		  strlen("a,b,c,d\n1,,,y\n2,x,z\n"), 1, 2, "z");
}

/* A value that starts with an apostrophe before formula text keeps its
 * apostrophe through a save and a read (found by fuzz_sheet: "'=x" came
 * back as "=x"). */
static void test_apostrophe_values_roundtrip(void **state)
{
	static const char *const values[] = {
		"'=x", "''=x", "'@SUM(A1)", "'-cmd", "'", "'x", "'-2%", "=x",
		"\xEF\xBB\xBF甲公司", "'\xEF\xBB\xBF",
	};
	struct sales_table *t;
	struct sales_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		write_bytes("q.csv", "a,b\n1,2\n", 8);
		assert_int_equal(sales_table_load(path_of("q.csv"), NULL, &t, &err), 0);
		assert_int_equal(sales_table_set(t, 0, 1, values[i], &err), 0);
		assert_int_equal(sales_table_save(t, &err), 0);
		sales_table_free(t);
		assert_int_equal(sales_table_load(path_of("q.csv"), NULL, &t, &err), 0);
		if (strcmp(sales_table_get(t, 0, 1), values[i]))
			CASE_FAIL("'%s' read back as '%s'", values[i],
				  sales_table_get(t, 0, 1));
		sales_table_free(t);
	}
}

static void test_add_column_keeps_other_rows(void **state)
{
	const char *orig = "\xEF\xBB\xBF" "备注,我的列,客户名称\r\n甲,自定义,A公司\r\n乙,,B公司\r\n";
	const char *exp = "\xEF\xBB\xBF" "备注,我的列,客户名称,线索评分\r\n甲,自定义,A公司\r\n乙,,B公司,40\r\n";
	struct sales_table *t;
	struct sales_error err;
	char *after;
	size_t alen;
	int col;

	(void)state;
	write_bytes("c.csv", orig, strlen(orig));
	assert_int_equal(sales_table_load(path_of("c.csv"), NULL, &t, &err), 0);
	col = sales_table_add_column(t, "线索评分", &err);
	assert_int_equal(col, 3);
	assert_int_equal(sales_table_set(t, 1, (size_t)col, "40", &err), 0);
	assert_int_equal(sales_table_save(t, &err), 0);
	sales_table_free(t);
	after = read_bytes("c.csv", &alen);
	assert_int_equal(alen, strlen(exp));
	assert_memory_equal(after, exp, alen);
	free(after);
}

static void test_append_keeps_style(void **state)
{
	char orig[256], exp[256];
	size_t n = to_gb18030("客户名称,备注\r\n甲,x", orig, sizeof(orig));
	size_t m = to_gb18030("客户名称,备注\r\n甲,x\r\n乙,\"a,b\"\r\n", exp, sizeof(exp));
	const char *cells[] = { "乙", "a,b" };
	struct sales_error err;
	char *after;
	size_t alen;

	(void)state;
	write_bytes("a.csv", orig, n);
	assert_int_equal(sales_append_rows(path_of("a.csv"), cells, 1, 2, &err), 0);
	after = read_bytes("a.csv", &alen);
	assert_int_equal(alen, m);
	assert_memory_equal(after, exp, m);
	free(after);
}

static void test_save_refuses_changed_file(void **state)
{
	struct sales_table *t;
	struct sales_error err;
	char *after;
	size_t alen;

	(void)state;
	write_bytes("x.csv", "a\n1\n", 4);
	assert_int_equal(sales_table_load(path_of("x.csv"), NULL, &t, &err), 0);
	assert_int_equal(sales_table_set(t, 0, 0, "2", &err), 0);
	usleep(20000);
	write_bytes("x.csv", "a\n1\n3\n", 6);
	assert_int_equal(sales_table_save(t, &err), -1);
	assert_int_equal(err.code, SALES_ECHANGED);
	sales_table_free(t);
	after = read_bytes("x.csv", &alen);
	assert_int_equal(alen, 6);
	free(after);
}

static void test_create_refuses_existing(void **state)
{
	const char *hdr[] = { "a", "b" };
	struct sales_error err;
	char *data;
	size_t len;

	(void)state;
	assert_int_equal(sales_create_file(path_of("n.csv"), hdr, 2, &err), 0);
	data = read_bytes("n.csv", &len);
	assert_int_equal(len, 8);
	assert_memory_equal(data, "\xEF\xBB\xBF" "a,b\r\n", 8);
	free(data);
	assert_int_equal(sales_create_file(path_of("n.csv"), hdr, 2, &err), -1);
	assert_int_equal(err.code, SALES_EEXIST);
}

static void test_needs_escape(void **state)
{
	static const struct { const char *s; bool esc; } cases[] = {
		{ "=1+1", true }, { "@SUM(A1)", true }, { "+86 138", true },
		{ "-cmd", true }, { "\tx", true }, { "\rx", true },
		{ "-2%", false }, { "+10", false }, { "-3.5", false },
		{ "12%", false }, { "", false }, { "a=b", false },
		{ "＝1", true }, { "-", true },
		/* apostrophes before formula text (found by fuzz_sheet) */
		{ "'=x", true }, { "''-cmd", true }, { "'", false },
		{ "'x", false }, { "'-2%", false },
		/* a BOM at the start reads as two joined files */
		{ "\xEF\xBB\xBFx", true }, { "x\xEF\xBB\xBF", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sales_cell_needs_escape(cases[i].s, strlen(cases[i].s)) !=
		    cases[i].esc)
			CASE_FAIL("'%s'", cases[i].s);
}

static void test_temp_file_pid(void **state)
{
	static const struct { const char *name; long pid; } cases[] = {
		{ ".01-leads.csv.tmp.1234", 1234 }, { ".a.tmp.7", 7 },
		{ "01-leads.csv.tmp.1234", 0 }, { ".01-leads.csv.tmp.", 0 },
		{ ".01-leads.csv.tmp.12a", 0 }, { ".tmp.5", 0 },
		{ ".x.tmp.123456789012", 0 }, { ".sales.lock", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sales_temp_file_pid(cases[i].name) != cases[i].pid)
			CASE_FAIL("%s", cases[i].name);
}

/* A big file read through the window: records that straddle refills. */
static void test_large_file_streams(void **state)
{
	FILE *f = fopen(path_of("big.csv"), "wb");
	struct sales_reader *r;
	const struct sales_row *row;
	struct sales_error err;
	long rows = 0;
	int rc;

	(void)state;
	assert_non_null(f);
	fputs("客户名称,备注\r\n", f);
	for (int i = 0; i < 60000; i++)
		fprintf(f, "客户%d,\"多行\r\n备注 %d, 含逗号\"\r\n", i, i);
	fclose(f);
	assert_int_equal(sales_reader_open(path_of("big.csv"), NULL, &r, &err), 0);
	while ((rc = sales_reader_next(r, &row, &err)) > 0) {
		char want[64];

		snprintf(want, sizeof(want), "客户%ld", rows);
		if (strcmp(row->cells[0].s, want) || row->line != 2 + rows * 2 ||
		    row->excel_row != rows + 2)
			CASE_FAIL("row %ld: '%s' line %ld", rows, row->cells[0].s,
				  row->line);
		rows++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(rows, 60000);
	sales_reader_close(r);
}

/* What the progress handler heard, for test_read_progress. */
static struct {
	int calls, finished;
	unsigned long long last_done, total;
	bool monotonic;
	char name[64];
} prog;

static void hear_progress(const char *name, unsigned long long done,
			  unsigned long long total, bool finished, void *ud)
{
	(void)ud;
	if (prog.calls && done < prog.last_done)
		prog.monotonic = false;
	prog.calls++;
	prog.finished += finished;
	prog.last_done = done;
	prog.total = total;
	snprintf(prog.name, sizeof(prog.name), "%s", name);
}

/* The progress handler: told at open, every 4096 records and once at
 * close, with the bytes read so far of the file's size -- the same with a
 * second thread reading ahead (files of 4 MB and more). */
static void test_read_progress(void **state)
{
	const char *threads[] = { "1", "2" };

	(void)state;
	for (int t = 0; t < 2; t++) {
		struct sales_reader *r;
		const struct sales_row *row;
		struct sales_error err;
		FILE *f = fopen(path_of("big.csv"), "wb");
		long rows = 0;
		long n = 100000;

		assert_non_null(f);
		fputs("a,b\n", f);
		for (long i = 0; i < n; i++)
			fprintf(f, "%ld,%s\n", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		fclose(f);
		setenv("SALES_THREADS", threads[t], 1);
		memset(&prog, 0, sizeof(prog));
		prog.monotonic = true;
		sales_set_read_progress_handler(hear_progress, NULL);
		assert_int_equal(sales_reader_open(path_of("big.csv"), NULL, &r, &err), 0);
		assert_int_equal(prog.calls, 1);
		assert_int_equal(prog.finished, 0);
		assert_true(prog.total > 4000000);
		while (sales_reader_next(r, &row, &err) > 0)
			rows++;
		assert_int_equal(rows, n);
		assert_int_equal(prog.calls, 1 + (int)(n / 4096));
		assert_true(prog.last_done > 0 && prog.last_done <= prog.total);
		sales_reader_close(r);
		assert_int_equal(prog.finished, 1);
		assert_int_equal(prog.last_done, prog.total);   /* all of it read */
		assert_true(prog.monotonic);
		assert_string_equal(prog.name, path_of("big.csv"));
		/* a reader over memory is not reported */
		memset(&prog, 0, sizeof(prog));
		assert_int_equal(sales_reader_open_mem("a\n1\n", 4, "m.csv", NULL, &r, &err), 0);
		while (sales_reader_next(r, &row, &err) > 0)
			;
		sales_reader_close(r);
		assert_int_equal(prog.calls, 0);
		sales_set_read_progress_handler(NULL, NULL);
		unsetenv("SALES_THREADS");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_shapes),
		cmocka_unit_test(test_read_progress),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_lenient),
		cmocka_unit_test(test_gbk_detected),
		cmocka_unit_test(test_encoding_guess_words),
		cmocka_unit_test(test_gbk_valid_as_utf8),
		cmocka_unit_test(test_mixed_encodings),
		cmocka_unit_test(test_encoding_decided_late),
		cmocka_unit_test(test_roundtrip_utf8_bom_crlf),
		cmocka_unit_test(test_roundtrip_gbk_crlf),
		cmocka_unit_test(test_rewrite_quotes_and_escapes),
		cmocka_unit_test(test_apostrophe_values_roundtrip),
		cmocka_unit_test(test_set_past_short_row),
		cmocka_unit_test(test_add_column_keeps_other_rows),
		cmocka_unit_test(test_append_keeps_style),
		cmocka_unit_test(test_save_refuses_changed_file),
		cmocka_unit_test(test_create_refuses_existing),
		cmocka_unit_test(test_needs_escape),
		cmocka_unit_test(test_temp_file_pid),
		cmocka_unit_test(test_large_file_streams),
	};

	return cmocka_run_group_tests_name("sheet", tests, setup, teardown);
}
