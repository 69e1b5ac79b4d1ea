/* Unit tests for libsales/text.c: UTF-8, widths, padding, name keys. */
#include "testutil.h"

#include <stdbool.h>
#include <stdlib.h>

#include "text.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A byte string with an explicit length, so cases may hold NUL bytes. */
#define BYTES(s) s, sizeof(s) - 1

static void test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		bool valid;
		size_t bad;
		const char *what;
	} cases[] = {
		{ BYTES(""), true, 0, "empty" },
		{ BYTES("abc"), true, 0, "ascii" },
		{ BYTES("a\0b"), true, 0, "embedded NUL" },
		{ BYTES("华瑞精密"), true, 0, "3-byte CJK" },
		{ BYTES("\xC2\x80"), true, 0, "U+0080, smallest 2-byte" },
		{ BYTES("\xEF\xBF\xBD"), true, 0, "U+FFFD itself" },
		{ BYTES("\xF0\x9F\x98\x80"), true, 0, "4-byte emoji U+1F600" },
		{ BYTES("\xF0\xA0\x80\x80"), true, 0, "4-byte CJK Ext B" },
		{ BYTES("\xF4\x8F\xBF\xBF"), true, 0, "U+10FFFF" },
		{ BYTES("\xC0\xAF"), false, 0, "overlong '/' (2 bytes)" },
		{ BYTES("\xC1\xBF"), false, 0, "overlong DEL" },
		{ BYTES("\xE0\x80\xAF"), false, 0, "overlong '/' (3 bytes)" },
		{ BYTES("\xE0\x9F\xBF"), false, 0, "overlong U+07FF" },
		{ BYTES("\xF0\x80\x80\xAF"), false, 0, "overlong '/' (4 bytes)" },
		{ BYTES("\xF0\x8F\xBF\xBF"), false, 0, "overlong U+FFFF" },
		{ BYTES("ok\xED\xA0\x80"), false, 2, "surrogate U+D800" },
		{ BYTES("\xED\xBF\xBF"), false, 0, "surrogate U+DFFF" },
		{ BYTES("\xED\x9F\xBF"), true, 0, "U+D7FF, just below" },
		{ BYTES("\xF4\x90\x80\x80"), false, 0, "U+110000" },
		{ BYTES("\xF5\x80\x80\x80"), false, 0, "lead byte F5" },
		{ BYTES("ab\xE4\xB8"), false, 2, "truncated 3-byte at end" },
		{ BYTES("\xE4\xB8\xADx\xE4"), false, 4, "truncated after a CJK" },
		{ BYTES("\xF0\x9F\x98"), false, 0, "truncated 4-byte" },
		{ BYTES("\xE4" "a" "\xAD"), false, 0, "continuation missing" },
		{ BYTES("\x80"), false, 0, "lone continuation byte" },
		{ BYTES("a\xFF"), false, 1, "byte FF" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t bad = 12345;
		bool valid = sales_utf8_valid(cases[i].s, cases[i].len, &bad);

		if (valid != cases[i].valid)
			CASE_FAIL("%s: valid %d, want %d", cases[i].what,
				  valid, cases[i].valid);
		if (!valid && bad != cases[i].bad)
			CASE_FAIL("%s: bad %zu, want %zu", cases[i].what, bad,
				  cases[i].bad);
		if (valid && bad != 12345)
			CASE_FAIL("%s: *bad written on success", cases[i].what);
	}
	assert_false(sales_utf8_valid(BYTES("\xFF"), NULL));
}

static void test_utf8_decode(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		size_t want_len;
		uint32_t want_cp;
	} cases[] = {
		{ BYTES("A"), 1, 'A' },
		{ BYTES("\xC3\xA9"), 2, 0xE9 },
		{ BYTES("中文"), 3, 0x4E2D },
		{ BYTES("\xF0\x9F\x98\x80"), 4, 0x1F600 },
		{ BYTES("\xC0\xAF"), 1, 0xFFFD },
		{ BYTES("\xED\xA0\x80"), 1, 0xFFFD },
		{ BYTES("\xE4\xB8"), 1, 0xFFFD },
		{ BYTES("\x80"), 1, 0xFFFD },
		{ "", 0, 0, 0 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t cp = 0x12345;
		size_t n = sales_utf8_decode(cases[i].s, cases[i].len, &cp);

		if (n != cases[i].want_len || cp != cases[i].want_cp)
			CASE_FAIL("row %zu: got %zu bytes U+%04X, want %zu U+%04X",
				  i, n, (unsigned)cp, cases[i].want_len,
				  (unsigned)cases[i].want_cp);
	}
}

static void test_char_width(void **state)
{
	static const struct {
		uint32_t cp;
		int width;
		const char *what;
	} cases[] = {
		{ 'A', 1, "ascii letter" },
		{ ' ', 1, "space" },
		{ 0x00, 0, "NUL" },
		{ 0x1B, 0, "ESC" },
		{ 0x7F, 0, "DEL" },
		{ 0x85, 0, "C1 NEL" },
		{ 0xE9, 1, "é" },
		{ 0xB7, 1, "· middle dot (Ambiguous)" },
		{ 0xAD, 1, "soft hyphen" },
		{ 0x2026, 1, "… (Ambiguous)" },
		{ 0x4E2D, 2, "中" },
		{ 0x3400, 2, "CJK Ext A" },
		{ 0x9FFF, 2, "end of CJK Unified (default W)" },
		{ 0x20000, 2, "CJK Ext B" },
		{ 0x31350, 2, "CJK Ext H (Unicode 15)" },
		{ 0xF900, 2, "CJK compatibility ideograph" },
		{ 0x3000, 2, "ideographic space" },
		{ 0x3001, 2, "、" },
		{ 0x3002, 2, "。" },
		{ 0x300A, 2, "《" },
		{ 0xFF0C, 2, "， full-width comma" },
		{ 0xFF01, 2, "！ full-width" },
		{ 0xFF21, 2, "Ａ full-width" },
		{ 0xFFE5, 2, "￥ full-width yen" },
		{ 0xFF61, 1, "｡ half-width" },
		{ 0xFF76, 1, "ｶ half-width katakana" },
		{ 0x3042, 2, "あ hiragana" },
		{ 0x30A2, 2, "ア katakana" },
		{ 0xAC00, 2, "가 Hangul syllable" },
		{ 0x1100, 2, "Hangul choseong" },
		{ 0x1160, 0, "Hangul jungseong (conjoining)" },
		{ 0x1F600, 2, "😀" },
		{ 0x1F44D, 2, "👍" },
		{ 0x1F9D1, 2, "🧑" },
		{ 0x1FAE8, 2, "🫨 (emoji 15)" },
		{ 0x1F6DC, 2, "🛜 (emoji 15)" },
		{ 0x2603, 1, "☃ text presentation" },
		{ 0x263A, 1, "☺ text presentation" },
		{ 0x2705, 2, "✅ emoji presentation" },
		{ 0x0301, 0, "combining acute" },
		{ 0x20DD, 0, "combining enclosing circle (Me)" },
		{ 0x3099, 0, "combining kana voiced mark (W and Mn)" },
		{ 0x200B, 0, "zero width space" },
		{ 0x200D, 0, "zero width joiner" },
		{ 0xFE0F, 0, "variation selector 16" },
		{ 0xFEFF, 0, "BOM / ZWNBSP" },
		{ 0xFFFD, 1, "replacement character" },
		{ 0x110000, 1, "not a code point" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int w = sales_char_width(cases[i].cp);

		if (w != cases[i].width)
			CASE_FAIL("U+%04X %s: width %d, want %d",
				  (unsigned)cases[i].cp, cases[i].what, w,
				  cases[i].width);
	}
}

static void test_utf8_width(void **state)
{
	static const struct {
		const char *s;
		size_t width;
	} cases[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "华瑞精密", 8 },
		{ "A中，！", 7 },
		{ "e\xCC\x81", 1 },			/* e + combining acute */
		{ "😀ok", 4 },
		{ "👍🏽", 4 },				/* modifier counts on its own */
		{ "\xFF", 1 },				/* invalid byte: U+FFFD */
		{ "合同审批表(2023)", 16 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t w = sales_utf8_width(cases[i].s, strlen(cases[i].s));

		if (w != cases[i].width)
			CASE_FAIL("'%s': width %zu, want %zu", cases[i].s, w,
				  cases[i].width);
	}
}

/* The width, validity and line breaks in one pass: each what its own
 * function says (sales_utf8_width, sales_utf8_valid, a \n \r or \t). */
static void test_utf8_measure(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		size_t width;
		bool valid, breaks;
	} cases[] = {
		{ "", 0, 0, true, false },
		{ "abc", 3, 3, true, false },
		{ "上海凯恒恒精密机械有限公司", 39, 26, true, false },
		{ "59 B类", 7, 6, true, false },
		{ "a\tb", 3, 2, true, true },
		{ "第一行\n第二行", 19, 12, true, true },
		{ "x\r\n", 3, 1, true, true },
		{ "\x7f\x01", 2, 0, true, false },
		{ "a\xff" "b", 3, 3, false, false },        /* U+FFFD counts 1 */
		{ "\xe4\xb8", 2, 2, false, false },     /* cut: two bad bytes */
		{ "\xed\xa0\x80\n", 4, 3, false, true }, /* a surrogate */
		{ "a\0b", 3, 2, true, false },           /* NUL: valid, 0 columns */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool valid = !cases[i].valid, breaks = !cases[i].breaks;
		size_t w = sales_utf8_measure(cases[i].s, cases[i].len, &valid,
					      &breaks);

		if (w != cases[i].width || valid != cases[i].valid ||
		    breaks != cases[i].breaks)
			CASE_FAIL("case %zu: width %zu valid %d breaks %d, want %zu %d %d",
				  i, w, valid, breaks, cases[i].width,
				  cases[i].valid, cases[i].breaks);
		if (w != sales_utf8_width(cases[i].s, cases[i].len) ||
		    valid != sales_utf8_valid(cases[i].s, cases[i].len, NULL))
			CASE_FAIL("case %zu: differs from sales_utf8_width/valid", i);
		assert_int_equal(sales_utf8_measure(cases[i].s, cases[i].len,
						    NULL, NULL), w);
	}
	/* around the ideographs it counts without decoding: each character
	 * what sales_char_width says */
	assert_int_equal(sales_utf8_measure("\xe4\xb7\xbf", 3, NULL, NULL),
			 sales_char_width(0x4DFF));
	assert_int_equal(sales_utf8_measure("\xe4\xb8\x80", 3, NULL, NULL),
			 sales_char_width(0x4E00));
	assert_int_equal(sales_utf8_measure("\xe9\xbf\xbf", 3, NULL, NULL),
			 sales_char_width(0x9FFF));
	assert_int_equal(sales_utf8_measure("\xea\xb0\x80", 3, NULL, NULL),
			 sales_char_width(0xAC00));
	assert_int_equal(sales_utf8_measure("\xe4\xb8", 2, NULL, NULL), 2);
}

static void test_utf8_pad(void **state)
{
	static const struct {
		const char *s;
		int width;
		bool right;
		const char *want;
	} cases[] = {
		{ "abc", 5, false, "abc  " },
		{ "abc", 5, true, "  abc" },
		{ "abc", 3, false, "abc" },
		{ "中文", 6, false, "中文  " },
		{ "中文", 6, true, "  中文" },
		{ "中文", 4, false, "中文" },
		{ "", 3, false, "   " },
		{ "abcdef", 4, false, "abc…" },
		{ "华瑞精密机械", 7, false, "华瑞精…" },
		{ "华瑞精密机械", 6, false, "华瑞… " },	/* 精 would not fit */
		{ "华瑞精密机械", 6, true, " 华瑞…" },
		{ "华瑞精密机械", 2, false, "… " },
		{ "华瑞", 1, false, "…" },
		{ "abc", 1, false, "…" },
		{ "abc", 0, false, "" },
		{ "abc", -4, false, "" },
		{ "e\xCC\x81xyz", 3, false, "e\xCC\x81x…" },	/* mark kept */
		{ "A中😀", 4, false, "A中…" },
		{ "\xFF" "a", 3, false, "\xEF\xBF\xBD" "a " },
	};
	char out[64];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = sales_utf8_pad(cases[i].s, strlen(cases[i].s),
					  cases[i].width, cases[i].right, out,
					  sizeof(out));

		if (strcmp(out, cases[i].want) || n != strlen(cases[i].want))
			CASE_FAIL("'%s' width %d: got '%s' (%zu bytes), want '%s'",
				  cases[i].s, cases[i].width, out, n,
				  cases[i].want);
		if (cases[i].width > 0 &&
		    sales_utf8_width(out, n) != (size_t)cases[i].width)
			CASE_FAIL("'%s' width %d: result is %zu columns",
				  cases[i].s, cases[i].width,
				  sales_utf8_width(out, n));
	}

	/* A small buffer cuts at a character boundary and stays terminated. */
	assert_int_equal(sales_utf8_pad("中文", 6, 6, false, out, 5), 3);
	assert_string_equal(out, "中");
	assert_int_equal(sales_utf8_pad("abc", 3, 5, true, out, 3), 2);
	assert_string_equal(out, "  ");
	assert_int_equal(sales_utf8_pad("abc", 3, 5, false, out, 1), 0);
	assert_string_equal(out, "");
	out[0] = 'x';
	assert_int_equal(sales_utf8_pad("abc", 3, 5, false, out, 0), 0);
	assert_int_equal(out[0], 'x');
}

static void test_name_key(void **state)
{
	static const struct {
		const char *name;
		const char *key;
	} cases[] = {
		{ "华瑞精密机械有限公司", "华瑞精密机械" },
		{ "华瑞精密机械有限责任公司", "华瑞精密机械" },
		{ "华瑞精密机械 有限公司", "华瑞精密机械" },
		{ "华瑞精密机械（有限公司）", "华瑞精密机械" },
		{ "华瑞精密机械(有限公司)", "华瑞精密机械" },
		{ "华瑞精密机械股份有限公司", "华瑞精密机械" },
		{ "华瑞精密机械股份公司", "华瑞精密机械" },
		{ "华瑞精密机械公司", "华瑞精密机械" },
		{ "华瑞精密机械", "华瑞精密机械" },
		/* traditional characters */
		{ "华瑞精密机械有限責任公司", "华瑞精密机械" },
		{ "華瑞精密機械股份有限公司", "华瑞精密机械" },
		{ "YY商貿有限公司", "yy商贸" },
		{ "华瑞集團有限公司", "华瑞集团" },
		/* 集团 stays: it tells the group from its member companies */
		{ "华瑞集团有限公司", "华瑞集团" },
		{ "华瑞集团", "华瑞集团" },
		/* width, case, blanks, brackets, punctuation */
		{ "ＹＹ商贸有限公司", "yy商贸" },
		{ "\xE3\x80\x80华瑞精密机械有限公司\xE3\x80\x80", "华瑞精密机械" },
		{ "华瑞\xC2\xA0精密\t机械", "华瑞精密机械" },
		{ "【华瑞】精密机械", "华瑞精密机械" },
		{ "〔华瑞〕精密机械", "华瑞精密机械" },
		{ "华瑞精密机械（北京）有限公司", "华瑞精密机械北京" },
		{ "华瑞·精密、机械，有限公司。", "华瑞精密机械" },
		{ "华瑞・精密．机械", "华瑞精密机械" },
		{ "[Huarui] Tech", "huaruitech" },
		/* English company forms, whole words only */
		{ "ABC Trading Co., Ltd.", "abctrading" },
		{ "ABC Trading Co.,Ltd", "abctrading" },
		{ "ＡＢＣ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．", "abctrading" },
		{ "Acme Inc.", "acme" },
		{ "Acme Corp", "acme" },
		{ "Acme LLC", "acme" },
		{ "Acme Limited", "acme" },
		{ "Costco", "costco" },
		{ "Costco Co", "costco" },
		{ "Acmeco", "acmeco" },
		{ "Acme 3Co", "acme3co" },
		{ "华瑞精密机械有限公司 Co., Ltd.", "华瑞精密机械" },
		{ "华瑞Co.,Ltd.", "华瑞" },
		{ "华瑞精密机械北京分公司", "华瑞精密机械北京分" },
		/* never keyed to nothing */
		{ "公司", "公司" },
		{ "有限公司", "有限公司" },
		{ "Co., Ltd.", "co" },
		{ "", "" },
		{ " \xE3\x80\x80 ", "" },
	};
	char out[128];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = sales_name_key(cases[i].name, strlen(cases[i].name),
					  out, sizeof(out));

		if (strcmp(out, cases[i].key) || n != strlen(cases[i].key))
			CASE_FAIL("'%s': key '%s' (%zu), want '%s'",
				  cases[i].name, out, n, cases[i].key);
	}

	/* Cut at a character boundary: 6 bytes of 华瑞 fit in 7. */
	assert_int_equal(sales_name_key("华瑞精密机械有限公司", 30, out, 7), 6);
	assert_string_equal(out, "华瑞");
	out[0] = 'x';
	assert_int_equal(sales_name_key("华瑞", 6, out, 0), 0);
	assert_int_equal(out[0], 'x');
}

/* sales_name_key_hash is sales_hash of the key sales_name_key writes in
 * SALES_NAME_KEY_CAP bytes: over the key cases' pieces put together at
 * random, stray bytes, and names long enough to be cut. */
static void test_name_key_hash(void **state)
{
	static const char *const parts[] = {
		"华瑞", "精密", "機械", "有限公司", "有限責任公司", "股份", "公司",
		"ＹＹ", "Ｃｏ．", "ABC", " Trading", " Co.", ", Ltd.", "Inc",
		"costco", "\xE3\x80\x80", "\xC2\xA0", "（北京）", "【", "】",
		"·", "、", "\xff", "\xe4\xb8", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
		"A", "z", "9", " ", ".", "集團",
	};
	static char name[8192];
	char key[SALES_NAME_KEY_CAP];

	(void)state;
	srand(1024);
	for (int round = 0; round < 20000; round++) {
		/* mostly short names; a few past the key's 1024 bytes or
		 * 1024 code points */
		int n = round % 100 == 0 ? 300 + rand() % 900 : rand() % 10;
		size_t len = 0, klen;

		for (int k = 0; k < n; k++) {
			const char *w = parts[rand() % ARRAY_SIZE(parts)];

			if (len + strlen(w) >= sizeof(name))
				break;
			memcpy(name + len, w, strlen(w));
			len += strlen(w);
		}
		klen = sales_name_key(name, len, key, sizeof(key));
		if (sales_name_key_hash(name, len) != sales_hash(key, klen))
			CASE_FAIL("round %d: '%.*s'", round, (int)len, name);
	}
}

static void test_edit_distance(void **state)
{
	static const struct {
		const char *a, *b;
		int max, want;
	} cases[] = {
		{ "", "", 3, 0 },
		{ "abc", "abc", 0, 0 },
		{ "abc", "", 5, 3 },
		{ "", "abc", 5, 3 },
		{ "kitten", "sitting", 5, 3 },
		{ "kitten", "sitting", 3, 3 },
		{ "kitten", "sitting", 2, 3 },		/* capped: max + 1 */
		{ "华瑞精密", "华瑞精蜜", 2, 1 },		/* counted in code points */
		{ "商贸", "商貿", 1, 1 },
		{ "华瑞", "华瑞精密机械", 2, 3 },		/* length gap alone */
		{ "华瑞", "华瑞精密机械", 4, 4 },
		{ "华瑞精密机械", "华瑞机械精密", 10, 4 },
		{ "a", "b", -1, 1 },				/* max < 0 is 0 */
		{ "\xFF", "\xFE", 3, 1 },			/* invalid bytes differ */
	};
	char long_a[301], long_b[301];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int d = sales_edit_distance(cases[i].a, strlen(cases[i].a),
					    cases[i].b, strlen(cases[i].b),
					    cases[i].max);

		if (d != cases[i].want)
			CASE_FAIL("'%s' / '%s' max %d: %d, want %d", cases[i].a,
				  cases[i].b, cases[i].max, d, cases[i].want);
	}

	/* Past 256 code points: equal or "too far", no allocation. */
	memset(long_a, 'a', 300);
	memcpy(long_b, long_a, 300);
	long_b[299] = 'b';
	assert_int_equal(sales_edit_distance(long_a, 300, long_a, 300, 2), 0);
	assert_int_equal(sales_edit_distance(long_a, 300, long_b, 300, 2), 3);
	/* 256 exactly still computes. */
	assert_int_equal(sales_edit_distance(long_a, 256, long_b + 44, 256, 2), 1);
}

static void test_trim(void **state)
{
	static const struct {
		const char *s, *want;
	} cases[] = {
		{ "", "" },
		{ "   ", "" },
		{ "abc", "abc" },
		{ "  abc\t\r\n", "abc" },
		{ "\xE3\x80\x80华瑞\xE3\x80\x80", "华瑞" },
		{ " \xE3\x80\x80 a b \xE3\x80\x80\t", "a b" },
		{ "\xE3\x80\x80", "" },
		{ "\xE3\x80", "\xE3\x80" },		/* not a whole U+3000 */
		{ "\xC2\xA0x\xC2\xA0", "x" },		/* NBSP is trimmed */
		{ "\xC2", "\xC2" },			/* not a whole NBSP */
		{ "x\r", "x" },
		/* one blank at one end only (the fast path looks at both) */
		{ "x\xE3\x80\x80", "x" },
		{ "\xE3\x80\x80x", "x" },
		{ "\tx", "x" },
		{ "x\xC2\xA0", "x" },
		{ "\xC2\xA0", "" },
		{ "\x01x\x7F", "\x01x\x7F" },	/* control bytes stay */
		{ "\xE4\xB8\x80", "\xE4\xB8\x80" },	/* 一 */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = strlen(cases[i].s);
		const char *p = sales_trim(cases[i].s, &len);

		if (len != strlen(cases[i].want) ||
		    memcmp(p, cases[i].want, len) ||
		    p < cases[i].s || p + len > cases[i].s + strlen(cases[i].s))
			CASE_FAIL("row %zu: got '%.*s', want '%s'", i, (int)len,
				  p, cases[i].want);
	}
}

static void test_hash(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values. */
	assert_true(sales_hash("", 0) == 0xcbf29ce484222325ULL);
	assert_true(sales_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(sales_hash("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(sales_hash("a\0b", 3) != sales_hash("a", 1));
}

/* Cutting to fit a buffer never splits a character. */
static void test_utf8_cut(void **state)
{
	const char *s = "华瑞ab";   /* 3 + 3 + 1 + 1 bytes */

	(void)state;
	assert_int_equal(sales_utf8_cut(s, 8, 8), 8);
	assert_int_equal(sales_utf8_cut(s, 8, 100), 8);
	assert_int_equal(sales_utf8_cut(s, 8, 7), 7);
	assert_int_equal(sales_utf8_cut(s, 8, 6), 6);
	assert_int_equal(sales_utf8_cut(s, 8, 5), 3);   /* inside 瑞 */
	assert_int_equal(sales_utf8_cut(s, 8, 4), 3);
	assert_int_equal(sales_utf8_cut(s, 8, 3), 3);
	assert_int_equal(sales_utf8_cut(s, 8, 2), 0);   /* inside 华 */
	assert_int_equal(sales_utf8_cut(s, 8, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_char_width),
		cmocka_unit_test(test_utf8_width),
		cmocka_unit_test(test_utf8_measure),
		cmocka_unit_test(test_utf8_pad),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_name_key_hash),
		cmocka_unit_test(test_edit_distance),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_utf8_cut),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
