/* Unit tests for libsales/json.c: escaping, nesting, the layouts the
 * printers use, and what a caller may do between values. */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

static void test_quote_escapes(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{ "", 0, "\"\"" },
		{ "plain", 5, "\"plain\"" },
		{ "say \"hi\"", 8, "\"say \\\"hi\\\"\"" },
		{ "C:\\dir", 6, "\"C:\\\\dir\"" },
		{ "a\nb\rc\td", 7, "\"a\\nb\\rc\\td\"" },
		{ "\x01\x1f", 2, "\"\\u0001\\u001f\"" },
		{ "nul\0x", 5, "\"nul\\u0000x\"" },
		{ "\x7f", 1, "\"\x7f\"" },                 /* DEL is not a control byte for JSON */
		{ "华瑞精密", 12, "\"华瑞精密\"" },          /* UTF-8 passes through */
		{ "设备\"稳定\"", 14, "\"设备\\\"稳定\\\"\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_buf b = { 0 };

		assert_int_equal(sales_json_quote(&b, cases[i].in, cases[i].len), 0);
		if (strcmp(b.data, cases[i].out))
			fail_msg("case %zu: got %s, expected %s", i, b.data, cases[i].out);
		sales_buf_release(&b);
	}
}

/* Every byte value on its own between two plain runs, against the escapes
 * json.h promises, written out here: \" \\ \n \r \t, every other byte
 * below 0x20 (BS and FF included) as \u00xx in lower-case hex, everything
 * else (DEL, UTF-8 lead and continuation bytes) as it is. */
static void test_quote_every_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		char in[3] = { 'a', (char)c, 'z' };
		char want[16];
		struct sales_buf b = { 0 };

		if (c == '"')
			strcpy(want, "\"a\\\"z\"");
		else if (c == '\\')
			strcpy(want, "\"a\\\\z\"");
		else if (c == '\n')
			strcpy(want, "\"a\\nz\"");
		else if (c == '\r')
			strcpy(want, "\"a\\rz\"");
		else if (c == '\t')
			strcpy(want, "\"a\\tz\"");
		else if (c < 0x20)
			snprintf(want, sizeof(want), "\"a\\u00%c%cz\"",
				 "0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]);
		else
			snprintf(want, sizeof(want), "\"a%cz\"", c);
		assert_int_equal(sales_json_quote(&b, in, 3), 0);
		if (b.len != strlen(want) || memcmp(b.data, want, b.len))
			fail_msg("byte 0x%02x: got %s, expected %s", c, b.data, want);
		sales_buf_release(&b);
	}
}

/* A long run of UTF-8 with escapes at its two ends and in the middle, appended
 * after what the buffer already holds: the runs arrive whole and in order. */
static void test_quote_long_runs(void **state)
{
	const char *word = "华瑞精密";   /* 12 bytes */
	struct sales_buf in = { 0 }, want = { 0 }, b = { 0 };

	(void)state;
	sales_buf_addstr(&in, "\"");
	sales_buf_addstr(&want, "prefix:\"\\\"");
	for (int half = 0; half < 2; half++) {
		for (int i = 0; i < 5000; i++) {
			sales_buf_addstr(&in, word);
			sales_buf_addstr(&want, word);
		}
		sales_buf_addstr(&in, half ? "\x01" : "\n\\");
		sales_buf_addstr(&want, half ? "\\u0001" : "\\n\\\\");
	}
	sales_buf_addstr(&want, "\"");
	sales_buf_addstr(&b, "prefix:");
	assert_int_equal(sales_json_quote(&b, in.data, in.len), 0);
	assert_int_equal(b.len, want.len);
	assert_memory_equal(b.data, want.data, want.len);
	assert_int_equal(b.data[b.len], '\0');
	sales_buf_release(&in);
	sales_buf_release(&want);
	sales_buf_release(&b);
}

/* The shape of `sales score --format json`: an array of lines, objects
 * with a nested object, numbers, null. */
static void test_nesting_and_layouts(void **state)
{
	struct sales_buf b = { 0 };
	struct sales_json j;

	(void)state;
	sales_json_init(&j, &b);
	sales_json_array(&j, SALES_JSON_LINES);
	for (int i = 0; i < 2; i++) {
		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "customer");
		sales_json_str(&j, i ? "YY商贸" : "科技");
		sales_json_key(&j, "score");
		sales_json_int(&j, i ? 42 : 85);
		sales_json_key(&j, "dimensions");
		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "industry");
		sales_json_number(&j, "0.25");
		sales_json_key(&j, "size");
		sales_json_number(&j, "");
		sales_json_end(&j);
		sales_json_key(&j, "sheet");
		sales_json_str(&j, NULL);
		sales_json_key(&j, "tags");
		sales_json_array(&j, SALES_JSON_COMPACT);
		sales_json_bool(&j, true);
		sales_json_null(&j);
		sales_json_end(&j);
		sales_json_end(&j);
	}
	sales_json_end(&j);
	assert_int_equal(sales_json_status(&j), 0);
	assert_string_equal(b.data,
		"[\n"
		"{\"customer\":\"科技\",\"score\":85,\"dimensions\":{\"industry\":0.25,\"size\":null},\"sheet\":null,\"tags\":[true,null]},\n"
		"{\"customer\":\"YY商贸\",\"score\":42,\"dimensions\":{\"industry\":0.25,\"size\":null},\"sheet\":null,\"tags\":[true,null]}\n"
		"]");
	sales_buf_release(&b);
}

/* Empty containers; the tight layout (`sales status`'s event list) closes
 * right after its last member. */
static void test_empty_and_tight(void **state)
{
	struct sales_buf b = { 0 };
	struct sales_json j;

	(void)state;
	sales_json_init(&j, &b);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_key(&j, "events");
	sales_json_array(&j, SALES_JSON_LINES_TIGHT);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_key(&j, "line");
	sales_json_int(&j, -3);
	sales_json_end(&j);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_end(&j);
	sales_json_end(&j);
	sales_json_key(&j, "agenda");
	sales_json_array(&j, SALES_JSON_LINES_TIGHT);
	sales_json_end(&j);
	sales_json_key(&j, "diagnostics");
	sales_json_array(&j, SALES_JSON_LINES);
	sales_json_end(&j);
	sales_json_key(&j, "buckets");
	sales_json_array(&j, SALES_JSON_LINES_BLOCK);
	sales_json_end(&j);
	sales_json_end(&j);
	assert_int_equal(sales_json_status(&j), 0);
	assert_string_equal(b.data,
		"{\"events\":[\n{\"line\":-3},\n{}],\"agenda\":[],\"diagnostics\":[],\"buckets\":[\n]}");
	sales_buf_release(&b);
}

/* A compact object whose later members start lines (`sales review`). */
static void test_break(void **state)
{
	struct sales_buf b = { 0 };
	struct sales_json j;

	(void)state;
	sales_json_init(&j, &b);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_key(&j, "period");
	sales_json_str(&j, "2024Q1");
	sales_json_break(&j);
	sales_json_key(&j, "kpi");
	sales_json_array(&j, SALES_JSON_LINES_BLOCK);
	sales_json_int(&j, 1);
	sales_json_end(&j);
	sales_json_break(&j);
	sales_json_key(&j, "team");
	sales_json_array(&j, SALES_JSON_LINES_BLOCK);
	sales_json_end(&j);
	sales_json_end(&j);
	assert_int_equal(sales_json_status(&j), 0);
	assert_string_equal(b.data,
		"{\"period\":\"2024Q1\",\n\"kpi\":[\n1\n],\n\"team\":[\n]}");
	sales_buf_release(&b);
}

/* ndjson: top-level values have no separator, and the caller empties the
 * buffer between them (streaming) without the writer losing its place. */
static void test_top_level_and_reset(void **state)
{
	struct sales_buf b = { 0 }, all = { 0 };
	struct sales_json j;

	(void)state;
	sales_json_init(&j, &b);
	for (int i = 0; i < 3; i++) {
		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "n");
		sales_json_int(&j, i);
		sales_json_end(&j);
		sales_buf_addch(&b, '\n');
		sales_buf_add(&all, b.data, b.len);
		sales_buf_reset(&b);
	}
	assert_string_equal(all.data, "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
	/* a streamed array: flushed after each member */
	sales_buf_reset(&all);
	sales_json_array(&j, SALES_JSON_LINES);
	for (int i = 0; i < 2; i++) {
		sales_json_str(&j, "x");
		sales_buf_add(&all, b.data, b.len);
		sales_buf_reset(&b);
	}
	sales_json_end(&j);
	sales_buf_add(&all, b.data, b.len);
	assert_string_equal(all.data, "[\n\"x\",\n\"x\"\n]");
	assert_int_equal(sales_json_status(&j), 0);
	sales_buf_release(&b);
	sales_buf_release(&all);
}

/* Too deep, or an end without a start: reported, never a crash. */
/* Integers are written as libc's "%lld" writes them, the extremes too. */
static void test_int_like_printf(void **state)
{
	static const long long cases[] = { 0, 7, -1, 9, 10, -10, 99, 100, 4096,
		-123456789, 1234567890123LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_buf b = { 0 };
		struct sales_json j;
		char want[64];

		sales_json_init(&j, &b);
		sales_json_array(&j, SALES_JSON_COMPACT);
		sales_json_int(&j, cases[i]);
		sales_json_int(&j, cases[i]);
		sales_json_end(&j);
		snprintf(want, sizeof(want), "[%lld,%lld]", cases[i], cases[i]);
		if (strcmp(b.data, want))
			CASE_FAIL("%lld: got %s, want %s", cases[i], b.data, want);
		sales_buf_release(&b);
	}
}

/* A key quoted once writes what sales_json_key writes. */
static void test_key_quoted_same(void **state)
{
	static const char *const keys[] = { "客户名称", "a\"b", "tab\there", "" };
	struct sales_buf a = { 0 }, b = { 0 }, q = { 0 };
	struct sales_json ja, jb;

	(void)state;
	sales_json_init(&ja, &a);
	sales_json_init(&jb, &b);
	sales_json_object(&ja, SALES_JSON_COMPACT);
	sales_json_object(&jb, SALES_JSON_COMPACT);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		sales_buf_reset(&q);
		assert_int_equal(sales_json_quote(&q, keys[i], strlen(keys[i])), 0);
		sales_json_key(&ja, keys[i]);
		sales_json_key_quoted(&jb, q.data, q.len);
		sales_json_int(&ja, (long long)i);
		sales_json_int(&jb, (long long)i);
	}
	sales_json_end(&ja);
	sales_json_end(&jb);
	assert_string_equal(b.data, a.data);
	assert_string_equal(a.data, "{\"客户名称\":0,\"a\\\"b\":1,\"tab\\there\":2,\"\":3}");
	sales_buf_release(&a);
	sales_buf_release(&b);
	sales_buf_release(&q);
}

static void test_misuse_reported(void **state)
{
	struct sales_buf b = { 0 };
	struct sales_json j;

	(void)state;
	sales_json_init(&j, &b);
	for (int i = 0; i < SALES_JSON_MAX_DEPTH + 2; i++)
		sales_json_array(&j, SALES_JSON_COMPACT);
	assert_int_equal(sales_json_status(&j), -1);
	sales_buf_release(&b);
	sales_json_init(&j, &b);
	sales_json_end(&j);
	assert_int_equal(sales_json_status(&j), -1);
	sales_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_escapes),
		cmocka_unit_test(test_quote_every_byte),
		cmocka_unit_test(test_quote_long_runs),
		cmocka_unit_test(test_nesting_and_layouts),
		cmocka_unit_test(test_empty_and_tight),
		cmocka_unit_test(test_break),
		cmocka_unit_test(test_top_level_and_reset),
		cmocka_unit_test(test_int_like_printf),
		cmocka_unit_test(test_key_quoted_same),
		cmocka_unit_test(test_misuse_reported),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
