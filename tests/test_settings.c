/*
 * test_settings.c - sales.conf: defaults, syntax, errors, and a serialiser
 * that keeps every byte the user wrote.
 */
#include "testutil.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

#include "settings.h"

static struct sales_settings *parse_ok(const char *text)
{
	struct sales_settings *s = NULL;
	struct sales_error err;

	sales_error_clear(&err);
	if (sales_settings_parse("sales.conf", text, strlen(text), &s, &err) != 0)
		CASE_FAIL("parse failed: line %ld: %s\n--\n%s", err.line, err.message, text);
	assert_non_null(s);
	return s;
}

static char *serialize_ok(const struct sales_settings *s, size_t *len)
{
	struct sales_error err;
	char *buf = NULL;

	sales_error_clear(&err);
	assert_int_equal(sales_settings_serialize(s, &buf, len, &err), 0);
	assert_non_null(buf);
	assert_int_equal(buf[*len], '\0');
	return buf;
}

/* ---- defaults --------------------------------------------------------- */

static void test_defaults(void **state)
{
	static const struct {
		const char *key;
		long value;
	} cases[] = {
		{ "deadline.screening_days", 3 },
		{ "deadline.proposal_days", 5 },
		{ "payment.remind_days", 3 },
		{ "payment.collection_days", 7 },
		{ "stalled.days", 7 },
		{ "aftersales.interval_days", 92 },
		{ "aftersales.warranty_days", 365 },
		{ "timeliness.entry_hours", 24 },
		{ "score.threshold_a", 70 },
		{ "score.threshold_b", 40 },
		{ "score.max_per_dimension", 25 },
		{ "score.industry.制造业", 25 },
		{ "score.industry.物流", 25 },
		{ "score.industry.零售", 15 },
		{ "score.industry.电商", 15 },
		{ "score.industry.医药", 20 },
		{ "score.industry.汽车", 20 },
		{ "score.industry.default", 5 },
		{ "score.size.employees_1000", 25 },
		{ "score.size.employees_500", 20 },
		{ "score.size.employees_100", 12 },
		{ "score.size.employees_0", 5 },
		{ "score.size.revenue_1亿", 12 },
		{ "score.budget.unknown", 10 },
		{ "score.chain.complete", 25 },
		{ "score.chain.unknown", 5 },
	};
	struct sales_settings *s;
	struct sales_error err;

	(void)state;
	sales_error_clear(&err);
	assert_int_equal(sales_settings_parse(NULL, "", 0, &s, &err), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (sales_settings_get_int(s, cases[i].key, -1) != cases[i].value)
			CASE_FAIL("%s: got %ld, want %ld", cases[i].key,
				  sales_settings_get_int(s, cases[i].key, -1), cases[i].value);
		if (!sales_settings_known(cases[i].key))
			CASE_FAIL("%s is not known", cases[i].key);
	}
	assert_string_equal(sales_settings_get(s, "score.chain.deciders"),
			    "总经理,总裁,董事长,CEO");
	assert_null(sales_settings_get(s, "deadline.nope"));
	assert_null(sales_settings_get(s, "nodot"));
	assert_null(sales_settings_get(s, NULL));
	assert_int_equal(sales_settings_get_int(s, "deadline.nope", 42), 42);
	assert_true(sales_settings_get_double(s, "score.threshold_a", 0) == 70.0);
	sales_settings_free(s);
	sales_settings_free(NULL);
}

/* ---- the scoring bands reproduce the seed's grades -------------------- */

static int each_industry(const char *key, const char *value, void *ud)
{
	const char **want = ud;
	const char *name = key + strlen("score.industry.");

	if (!strcmp(name, want[0]))
		want[1] = value;	/* the last one wins */
	return 0;
}

static long industry_points(const struct sales_settings *s, const char *industry)
{
	const char *want[2] = { industry, NULL };

	sales_settings_each(s, "score.industry.", each_industry, want);
	if (!want[1])
		return sales_settings_get_int(s, "score.industry.default", 0);
	return atol(want[1]);
}

static long max2(long a, long b)
{
	return a > b ? a : b;
}

static void test_score_bands(void **state)
{
	struct sales_settings *s = parse_ok("");
	long keji, yy;

	(void)state;
	/* 科技有限公司: 制造业, 500-1000人/5亿以上, 200-300万, chain complete */
	keji = industry_points(s, "制造业") +
	       max2(sales_settings_band(s, "score.size.employees_", 500, -1),
		    sales_settings_band(s, "score.size.revenue_", 5e8, -1)) +
	       sales_settings_band(s, "score.budget.amount_", 200e4, -1) +
	       sales_settings_get_int(s, "score.chain.complete", -1);
	assert_int_equal(keji, 85);
	assert_true(keji >= sales_settings_get_int(s, "score.threshold_a", 0));
	/* YY商贸有限公司: 零售, 100-300人/1亿以下, no survey, 决策人未明确 */
	yy = industry_points(s, "零售") +
	     max2(sales_settings_band(s, "score.size.employees_", 100, -1),
		  sales_settings_band(s, "score.size.revenue_", 1e8 - 1, -1)) +
	     sales_settings_get_int(s, "score.budget.unknown", -1) +
	     sales_settings_get_int(s, "score.chain.unknown", -1);
	assert_int_equal(yy, 42);
	assert_true(yy < sales_settings_get_int(s, "score.threshold_a", 0));
	assert_true(yy >= sales_settings_get_int(s, "score.threshold_b", 0));
	assert_int_equal(industry_points(s, "化工"), 5);
	sales_settings_free(s);
}

static void test_bands(void **state)
{
	static const struct {
		const char *prefix;
		double amount;
		long want;
	} cases[] = {
		{ "score.size.employees_", 0, 5 },
		{ "score.size.employees_", 99, 5 },
		{ "score.size.employees_", 100, 12 },
		{ "score.size.employees_", 999, 20 },
		{ "score.size.employees_", 1000, 25 },
		{ "score.size.employees_", 5000, 30 },	/* added band */
		{ "score.size.employees_", -1, -7 },	/* below every band */
		{ "score.size.revenue_", 3e8, 12 },
		{ "score.size.revenue_", 12e8, 25 },
		{ "score.budget.amount_", 2e4, 5 },
		{ "score.budget.amount_", 49e4, 3 },	/* 3万 band added */
		{ "score.budget.amount_", 50e4, 10 },
		{ "score.budget.amount_", 499e4, 20 },	/* 300万 band removed: 100万 */
		{ "score.budget.amount_", 600e4, 25 },
		{ "SCORE.Budget.Amount_", 3e4, 3 },
		{ "score.nothing_", 5, -7 },
	};
	struct sales_settings *s = parse_ok(
		"[score \"size\"]\n"
		"\temployees_5000 = 30\n"
		"[score \"budget\"]\n"
		"\tamount_300万 =\n"
		"\tamount_100万 = 20\n"
		"\tamount_3万 = 3\n"
		"\tamount_junk = 99\n");
	double d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = sales_settings_band(s, cases[i].prefix, cases[i].amount, -7);

		if (got != cases[i].want)
			CASE_FAIL("%s %g: got %ld, want %ld", cases[i].prefix,
				  cases[i].amount, got, cases[i].want);
	}
	assert_int_equal(sales_settings_parse_bound("1亿", &d), 0);
	assert_true(d == 1e8);
	assert_int_equal(sales_settings_parse_bound("50万", &d), 0);
	assert_true(d == 5e5);
	assert_int_equal(sales_settings_parse_bound("0", &d), 0);
	assert_true(d == 0);
	assert_int_equal(sales_settings_parse_bound("万", &d), -1);
	assert_int_equal(sales_settings_parse_bound("-5", &d), -1);
	assert_int_equal(sales_settings_parse_bound("1e3", &d), -1);
	assert_int_equal(sales_settings_parse_bound("2.5万", &d), -1);
	assert_int_equal(sales_settings_parse_bound("+5", &d), -1);
	assert_int_equal(sales_settings_parse_bound("", &d), -1);
	sales_settings_free(s);
}

static void test_known(void **state)
{
	static const struct {
		const char *key;
		bool known;
	} cases[] = {
		{ "deadline.screening_days", true },
		{ "Deadline.Screening_Days", true },
		{ "deadline.screening_day", false },
		{ "deadline.screeningdays", false },
		{ "score.industry.化工", true },
		{ "score.industry.制造业", true },
		{ "score.size.employees_5000", true },
		{ "score.size.revenue_20亿", true },
		{ "score.budget.amount_1000万", true },
		{ "score.budget.amount_lots", false },
		{ "score.size.staff_100", false },
		{ "score.threshold_c", false },
		{ "nodot", false },
		{ "", false },
		{ ".x", false },
		{ "x.", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sales_settings_known(cases[i].key) != cases[i].known)
			CASE_FAIL("known(%s) != %d", cases[i].key, cases[i].known);
	assert_false(sales_settings_known(NULL));
}

/* ---- syntax ----------------------------------------------------------- */

static void test_overrides_and_case(void **state)
{
	struct sales_settings *s = parse_ok(
		"# our team's deadlines\n"
		"[Deadline]\n"
		"\tScreening_Days = 2\n"
		"[deadline]\n"
		"\tproposal_days=4\n"
		"[payment]\n"
		"remind_days   =    5   \n");

	(void)state;
	assert_int_equal(sales_settings_get_int(s, "deadline.screening_days", 0), 2);
	assert_int_equal(sales_settings_get_int(s, "DEADLINE.SCREENING_DAYS", 0), 2);
	assert_int_equal(sales_settings_get_int(s, "deadline.proposal_days", 0), 4);
	assert_string_equal(sales_settings_get(s, "payment.remind_days"), "5");
	assert_int_equal(sales_settings_get_int(s, "payment.collection_days", 0), 7);
	sales_settings_free(s);
}

static int collect(const char *key, const char *value, void *ud)
{
	struct sbuf_like {
		char text[1024];
	} *out = ud;
	size_t n = strlen(out->text);

	snprintf(out->text + n, sizeof(out->text) - n, "%s=%s|", key, value);
	return 0;
}

static void test_subsections_cjk(void **state)
{
	struct sales_settings *s = parse_ok(
		"[score \"industry\"]        ; subsection\n"
		"\t制造业 = 30\n"
		"\t化工 = 18\n"
		"[score.Industry]\n"
		"\tIT服务 = 12\n"
		"[score \"size\"]\n"
		"\temployees_1000 = 24\n"
		"[score]\n"
		"\tthreshold_a = 75\n"
		"[地区 \"华东\"]\n"
		"\t经理 = 吴磊\n");
	struct {
		char text[1024];
	} out = { "" };

	(void)state;
	assert_int_equal(sales_settings_get_int(s, "score.industry.制造业", 0), 30);
	assert_int_equal(sales_settings_get_int(s, "score.INDUSTRY.化工", 0), 18);
	assert_int_equal(sales_settings_get_int(s, "score.industry.it服务", 0), 12);
	assert_int_equal(sales_settings_get_int(s, "score.industry.IT服务", 0), 12);
	assert_int_equal(sales_settings_get_int(s, "score.size.employees_1000", 0), 24);
	assert_int_equal(sales_settings_get_int(s, "score.threshold_a", 0), 75);
	assert_string_equal(sales_settings_get(s, "地区.华东.经理"), "吴磊");
	assert_int_equal(sales_settings_each(s, "score.industry.", collect, &out), 0);
	assert_string_equal(out.text,
		"score.industry.制造业=25|score.industry.物流=25|"
		"score.industry.医药=20|score.industry.汽车=20|"
		"score.industry.零售=15|score.industry.电商=15|"
		"score.industry.default=5|"
		"score.industry.制造业=30|score.industry.化工=18|"
		"score.industry.it服务=12|");
	sales_settings_free(s);
}

static void test_values(void **state)
{
	static const struct {
		const char *line;
		const char *want;
	} cases[] = {
		{ "v = plain", "plain" },
		{ "v=plain", "plain" },
		{ "v =   inner  spaces kept  ", "inner  spaces kept" },
		{ "v = \"  quoted spaces  \"", "  quoted spaces  " },
		{ "v = \"a;b#c\" ; comment", "a;b#c" },
		{ "v = a \"b c\" d", "a b c d" },
		{ "v = say \\\"hi\\\"", "say \"hi\"" },
		{ "v = \"back\\\\slash\"", "back\\slash" },
		{ "v = line1\\nline2\\tend", "line1\nline2\tend" },
		{ "v = \"\"", "" },
		{ "v =", "" },
		{ "v = # only a comment", "" },
		{ "v = 25 # points", "25" },
		{ "v = 25; points", "25" },
		{ "v = 总经理,总裁", "总经理,总裁" },
		{ "v =\xe3\x80\x80全角空格\xe3\x80\x80", "全角空格" },
		{ "v = \"\xe3\x80\x80kept\"", "\xe3\x80\x80kept" },
		{ "v = 1 \\\" 2", "1 \" 2" },
		{ "v = \"\" x", "x" },
		{ "v = x \"\"", "x " },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		struct sales_settings *s;
		const char *got;

		snprintf(text, sizeof(text), "[t]\n%s\n", cases[i].line);
		s = parse_ok(text);
		got = sales_settings_get(s, "t.v");
		if (!got || strcmp(got, cases[i].want))
			CASE_FAIL("%s: got [%s], want [%s]", cases[i].line,
				  got ? got : "(null)", cases[i].want);
		sales_settings_free(s);
	}
}

static void test_comments(void **state)
{
	struct sales_settings *s = parse_ok(
		"# comment\n"
		"; comment\n"
		"   # indented comment\n"
		"\n"
		"[deadline] # after a header\n"
		"\t; inside\n"
		"\tscreening_days = 4 ; why: 4 is enough\n"
		"\tproposal_days = \"6\" # quoted\n"
		"[payment]; no space\n"
		"\tremind_days = 2#tight\n");

	(void)state;
	assert_string_equal(sales_settings_get(s, "deadline.screening_days"), "4");
	assert_string_equal(sales_settings_get(s, "deadline.proposal_days"), "6");
	assert_string_equal(sales_settings_get(s, "payment.remind_days"), "2");
	sales_settings_free(s);
}

static void test_repeated_keys(void **state)
{
	struct sales_settings *s = parse_ok(
		"[stalled]\n"
		"\tdays = 5\n"
		"[other]\n"
		"\tx = 1\n"
		"[stalled]\n"
		"\tdays = 9\n");
	struct {
		char text[1024];
	} out = { "" };

	(void)state;
	assert_int_equal(sales_settings_get_int(s, "stalled.days", 0), 9);
	sales_settings_each(s, "stalled.", collect, &out);
	assert_string_equal(out.text, "stalled.days=7|stalled.days=5|stalled.days=9|");
	sales_settings_free(s);
}

static void test_numbers(void **state)
{
	static const struct {
		const char *value;
		long i;
		double d;
	} cases[] = {
		{ "3", 3, 3 },
		{ "+3", 3, 3 },
		{ "-2", -2, -2 },
		{ "007", 7, 7 },
		{ "2.5", -99, 2.5 },
		{ ".5", -99, 0.5 },
		{ "1e3", -99, 1000 },
		{ "3天", -99, -99 },
		{ "\" 3\"", -99, -99 },
		{ "", -99, -99 },
		{ "0x10", -99, -99 },
		{ "inf", -99, -99 },
		{ "nan", -99, -99 },
		{ "99999999999999999999", -99, 1e20 },
		{ "1e999", -99, -99 },
		{ "1,5", -99, -99 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		struct sales_settings *s;
		long gi;
		double gd;

		snprintf(text, sizeof(text), "[n]\nv = %s\n", cases[i].value);
		s = parse_ok(text);
		gi = sales_settings_get_int(s, "n.v", -99);
		gd = sales_settings_get_double(s, "n.v", -99);
		if (gi != cases[i].i)
			CASE_FAIL("int(%s) = %ld, want %ld", cases[i].value, gi, cases[i].i);
		if (gd != cases[i].d)
			CASE_FAIL("double(%s) = %g, want %g", cases[i].value, gd, cases[i].d);
		sales_settings_free(s);
	}
}

/* A comma-decimal locale must not change how "2.5" reads (if installed). */
static void test_double_locale(void **state)
{
	const char *names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
	struct sales_settings *s = parse_ok("[n]\nv = 2.5\n");
	bool tried = false;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !tried; i++)
		tried = setlocale(LC_NUMERIC, names[i]) != NULL;
	assert_true(sales_settings_get_double(s, "n.v", 0) == 2.5);
	setlocale(LC_NUMERIC, "C");
	sales_settings_free(s);
	if (!tried)
		print_message("note: no comma-decimal locale installed; checked in C only\n");
}

static void test_syntax_errors(void **state)
{
	static const struct {
		const char *text;
		long line;
		enum sales_errcode code;
		const char *message;	/* a part of it */
	} cases[] = {
		{ "x = 1\n", 1, SALES_EPARSE, "outside any section" },
		{ "# c\n\n[a]\nb = 1\n[c\n", 5, SALES_EPARSE, "expected ']'" },
		{ "[]\n", 1, SALES_EPARSE, "section name" },
		{ "[a \"b]\n", 1, SALES_EPARSE, "unterminated subsection" },
		{ "[a \"\"]\n", 1, SALES_EPARSE, "empty subsection" },
		{ "[a.b \"c\"]\n", 1, SALES_EPARSE, "quoted subsection" },
		{ "[a..b]\n", 1, SALES_EPARSE, "empty part" },
		{ "[a] junk\n", 1, SALES_EPARSE, "after section header" },
		{ "[a]\nb = \"open\n", 2, SALES_EPARSE, "unterminated quote" },
		{ "[a]\nb = 1\nc = x\\q\n", 3, SALES_EPARSE, "unknown escape '\\q'" },
		{ "[a]\nb = C:\\path\n", 2, SALES_EPARSE, "unknown escape '\\p'" },
		{ "[a]\nb = 1 \\\n", 2, SALES_EPARSE, "backslash at end of line" },
		{ "[a]\r\nb = 1\r\nflag\r\n", 3, SALES_EPARSE, "has no value" },
		{ "[a]\nb c = 1\n", 2, SALES_EPARSE, "expected '='" },
		{ "[a]\nb.c = 1\n", 2, SALES_EPARSE, "unexpected '.'" },
		{ "[a]\n= 1\n", 2, SALES_EPARSE, "unexpected '='" },
		{ "[a]\nb 制造 = 1\n", 2, SALES_EPARSE, "unexpected '制'" },
		{ "[a]\n\x01 = 1\n", 2, SALES_EPARSE, "control character" },
		{ "[score \"industry\"]\n制造业\xef\xbc\x9d" "25\n", 2, SALES_EPARSE, "full-width" },
		{ "\xef\xbb\xbf[a]\n\n\nb\n", 4, SALES_EPARSE, "has no value" },
		{ "[a]\nb = \xd6\xc6\xd4\xec\n", 2, SALES_EENCODING, "UTF-8" },
		{ "\xff\xfe[\0a\0]\0", 1, SALES_EENCODING, "UTF-16" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sales_settings *s = (void *)1;
		struct sales_error err;
		size_t len = strlen(cases[i].text);

		if (cases[i].text[0] == '\xff')
			len = 8;
		sales_error_clear(&err);
		if (sales_settings_parse("sales.conf", cases[i].text, len, &s, &err) != -1)
			CASE_FAIL("case %zu parsed: %s", i, cases[i].text);
		if (s != NULL)
			CASE_FAIL("case %zu: *out not NULL", i);
		if (err.line != cases[i].line || err.code != cases[i].code ||
		    !strstr(err.message, cases[i].message) ||
		    strcmp(err.file, "sales.conf") || err.column != 0)
			CASE_FAIL("case %zu: got %s:%ld code %d [%s], want line %ld code %d [%s]",
				  i, err.file, err.line, err.code, err.message,
				  cases[i].line, cases[i].code, cases[i].message);
	}
	/* err may be NULL */
	{
		struct sales_settings *s = NULL;

		assert_int_equal(sales_settings_parse(NULL, "[", 1, &s, NULL), -1);
		assert_null(s);
	}
}

static void test_nul_byte(void **state)
{
	static const char text[] = "[a]\nb = 1\nc\0 = 2\n";
	struct sales_settings *s = NULL;
	struct sales_error err;

	(void)state;
	sales_error_clear(&err);
	assert_int_equal(sales_settings_parse("x.conf", text, sizeof(text) - 1, &s, &err), -1);
	assert_int_equal(err.code, SALES_EENCODING);
	assert_int_equal(err.line, 3);
}

static void test_bom(void **state)
{
	static const char text[] = "\xef\xbb\xbf[deadline]\r\n\tscreening_days = 2\r\n";
	struct sales_settings *s = parse_ok(text);
	size_t len;
	char *buf;

	(void)state;
	assert_int_equal(sales_settings_get_int(s, "deadline.screening_days", 0), 2);
	buf = serialize_ok(s, &len);
	assert_int_equal(len, sizeof(text) - 1);
	assert_memory_equal(buf, text, len);
	free(buf);
	assert_int_equal(sales_settings_set(s, "deadline.proposal_days", "4", NULL), 0);
	buf = serialize_ok(s, &len);
	assert_string_equal(buf, "\xef\xbb\xbf[deadline]\r\n\tscreening_days = 2\r\n"
			    "\tproposal_days = 4\r\n");
	free(buf);
	sales_settings_free(s);
}

/* ---- serialising ------------------------------------------------------ */

static const char sample[] =
	"# sales.conf for 华东 team\n"
	"; kept exactly\n"
	"\n"
	"[deadline]\n"
	"\tscreening_days = 3   # rule 2\n"
	"\tproposal_days=5\n"
	"\n"
	"# scoring\n"
	"[score \"industry\"]        ; subsection\n"
	"\t制造业 = 25\n"
	"\t  化工   =   \"18\"  ; chemicals\n"
	"[score]\n"
	"\tthreshold_a = 70\n"
	"\tthreshold_a = 72\n"
	"\n"
	"# trailing comment";

static void test_round_trip_identical(void **state)
{
	static const char *const texts[] = {
		sample,
		"",
		"\n\n",
		"# only a comment",
		"[a]\r\n\tb = 1\r\n# crlf\r\n",
		"[a]\n\tb = 1\r\n\tc = 2\n",		/* mixed line ends */
		"\xef\xbb\xbf",
		"\xef\xbb\xbf# bom\n[a]\nb=\"x\\ty\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct sales_settings *s = parse_ok(texts[i]);
		size_t len;
		char *buf = serialize_ok(s, &len);

		if (len != strlen(texts[i]) || memcmp(buf, texts[i], len))
			CASE_FAIL("case %zu not identical:\n%s\n--\n%s", i, texts[i], buf);
		free(buf);
		sales_settings_free(s);
	}
}

static void test_serialize_changes(void **state)
{
	struct sales_settings *s = parse_ok(sample), *again;
	struct sales_error err;
	size_t len;
	char *buf;

	(void)state;
	sales_error_clear(&err);
	assert_int_equal(sales_settings_set(s, "deadline.screening_days", "4", &err), 0);
	assert_int_equal(sales_settings_set(s, "Deadline.Proposal_Days", "6", &err), 0);
	assert_int_equal(sales_settings_set(s, "score.industry.化工", "a;b", &err), 0);
	assert_int_equal(sales_settings_set(s, "score.industry.医药", "22", &err), 0);
	assert_int_equal(sales_settings_set(s, "score.industry.制造业", "25", &err), 0);
	assert_int_equal(sales_settings_set(s, "score.threshold_a", "75", &err), 0);
	assert_int_equal(sales_settings_set(s, "deadline.extra", " spaced ", &err), 0);
	assert_int_equal(sales_settings_set(s, "payment.remind_days", "2", &err), 0);
	assert_int_equal(sales_settings_set(s, "score.size.employees_5000", "25", &err), 0);
	assert_int_equal(sales_settings_set(s, "payment.collection_days", "10", &err), 0);
	assert_string_equal(sales_settings_get(s, "score.industry.化工"), "a;b");
	assert_int_equal(sales_settings_get_int(s, "score.threshold_a", 0), 75);

	buf = serialize_ok(s, &len);
	assert_string_equal(buf,
		"# sales.conf for 华东 team\n"
		"; kept exactly\n"
		"\n"
		"[deadline]\n"
		"\tscreening_days = 4   # rule 2\n"
		"\tproposal_days=6\n"
		"\textra = \" spaced \"\n"
		"\n"
		"# scoring\n"
		"[score \"industry\"]        ; subsection\n"
		"\t制造业 = 25\n"
		"\t  化工   =   \"a;b\"  ; chemicals\n"
		"\t医药 = 22\n"
		"[score]\n"
		"\tthreshold_a = 75\n"
		"\n"
		"# trailing comment\n"
		"[payment]\n"
		"\tremind_days = 2\n"
		"\tcollection_days = 10\n"
		"[score \"size\"]\n"
		"\temployees_5000 = 25\n");

	/* what was written reads back as what was set */
	again = parse_ok(buf);
	assert_string_equal(sales_settings_get(again, "deadline.extra"), " spaced ");
	assert_string_equal(sales_settings_get(again, "score.industry.化工"), "a;b");
	assert_int_equal(sales_settings_get_int(again, "score.threshold_a", 0), 75);
	assert_int_equal(sales_settings_get_int(again, "payment.collection_days", 0), 10);
	assert_int_equal(sales_settings_get_int(again, "score.size.employees_5000", 0), 25);
	sales_settings_free(again);
	free(buf);
	sales_settings_free(s);
}

static void test_unset(void **state)
{
	struct sales_settings *s = parse_ok(sample);
	size_t len;
	char *buf;

	(void)state;
	assert_int_equal(sales_settings_unset(s, "score.threshold_a"), 2);
	assert_int_equal(sales_settings_get_int(s, "score.threshold_a", 0), 70);	/* default */
	assert_int_equal(sales_settings_unset(s, "score.threshold_a"), 0);
	assert_int_equal(sales_settings_unset(s, "deadline.nothing"), 0);
	assert_int_equal(sales_settings_unset(s, "bad key"), -1);
	assert_int_equal(sales_settings_unset(s, "score.industry.制造业"), 1);
	assert_int_equal(sales_settings_set(s, "score.threshold_b", "45", NULL), 0);
	buf = serialize_ok(s, &len);
	assert_string_equal(buf,
		"# sales.conf for 华东 team\n"
		"; kept exactly\n"
		"\n"
		"[deadline]\n"
		"\tscreening_days = 3   # rule 2\n"
		"\tproposal_days=5\n"
		"\n"
		"# scoring\n"
		"[score \"industry\"]        ; subsection\n"
		"\t  化工   =   \"18\"  ; chemicals\n"
		"[score]\n"
		"\tthreshold_b = 45\n"
		"\n"
		"# trailing comment");
	free(buf);
	sales_settings_free(s);
}

static void test_set_replaces_repeats(void **state)
{
	struct sales_settings *s = parse_ok(
		"[stalled]\n"
		"\tdays = 5 ; first\n"
		"[stalled]\n"
		"\tdays = 9 ; second\n");
	struct {
		char text[256];
	} out = { "" };
	size_t len;
	char *buf;

	(void)state;
	assert_int_equal(sales_settings_set(s, "stalled.days", "9", NULL), 0);
	buf = serialize_ok(s, &len);
	assert_string_equal(buf, "[stalled]\n[stalled]\n\tdays = 9 ; second\n");
	free(buf);
	assert_int_equal(sales_settings_set(s, "stalled.days", "14", NULL), 0);
	sales_settings_each(s, "stalled.", collect, &out);
	assert_string_equal(out.text, "stalled.days=7|stalled.days=14|");
	buf = serialize_ok(s, &len);
	assert_string_equal(buf,
		"[stalled]\n"
		"[stalled]\n"
		"\tdays = 14 ; second\n");
	free(buf);
	sales_settings_free(s);
}

static void test_rewrite_spacing(void **state)
{
	static const struct {
		const char *line;
		const char *value;
		const char *want;
	} cases[] = {
		{ "v = 1", "2", "v = 2" },
		{ "v=1", "2", "v=2" },
		{ "v =", "2", "v = 2" },
		{ "v=", "2", "v=2" },
		{ "v = ", "2", "v = 2" },
		{ "v = # note", "2", "v = 2 # note" },
		{ "v =# note", "2", "v = 2 # note" },
		{ "v = old ; note", "new value", "v = new value ; note" },
		{ "v = x", "", "v = \"\"" },
		{ "v = x", "say \"hi\"", "v = \"say \\\"hi\\\"\"" },
		{ "v = x", "a\nb\tc\\d", "v = \"a\\nb\\tc\\\\d\"" },
		{ "v = x", "#1", "v = \"#1\"" },
		{ "v = x", "\xe3\x80\x80y", "v = \"\xe3\x80\x80y\"" },
		{ "\t  V\t=\t\"q\"\t# c", "总经理", "\t  V\t=\t总经理\t# c" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256], want[256];
		struct sales_settings *s, *again;
		size_t len;
		char *buf;

		snprintf(text, sizeof(text), "[t]\n%s\n", cases[i].line);
		snprintf(want, sizeof(want), "[t]\n%s\n", cases[i].want);
		s = parse_ok(text);
		assert_int_equal(sales_settings_set(s, "t.v", cases[i].value, NULL), 0);
		buf = serialize_ok(s, &len);
		if (strcmp(buf, want))
			CASE_FAIL("%s -> [%s]: got\n%s\nwant\n%s", cases[i].line,
				  cases[i].value, buf, want);
		again = parse_ok(buf);
		if (strcmp(sales_settings_get(again, "t.v"), cases[i].value))
			CASE_FAIL("%s: reads back as [%s]", cases[i].line,
				  sales_settings_get(again, "t.v"));
		sales_settings_free(again);
		free(buf);
		sales_settings_free(s);
	}
}

static void test_serialize_new_file(void **state)
{
	struct sales_settings *s = parse_ok("");
	size_t len;
	char *buf;

	(void)state;
	buf = serialize_ok(s, &len);
	assert_int_equal(len, 0);
	free(buf);
	assert_int_equal(sales_settings_set(s, "score.industry.化工", "20", NULL), 0);
	assert_int_equal(sales_settings_set(s, "deadline.screening_days", "2", NULL), 0);
	assert_int_equal(sales_settings_set(s, "score.industry.医药", "21", NULL), 0);
	assert_int_equal(sales_settings_set(s, "a.we\"ird\\.x", "1", NULL), 0);
	buf = serialize_ok(s, &len);
	assert_string_equal(buf,
		"[score \"industry\"]\n"
		"\t化工 = 20\n"
		"\t医药 = 21\n"
		"[deadline]\n"
		"\tscreening_days = 2\n"
		"[a \"we\\\"ird\\\\\"]\n"
		"\tx = 1\n");
	{
		struct sales_settings *again = parse_ok(buf);

		assert_string_equal(sales_settings_get(again, "a.we\"ird\\.x"), "1");
		sales_settings_free(again);
	}
	free(buf);
	sales_settings_free(s);

	/* appending after a last line that has no line end */
	s = parse_ok("[a]\r\nb = 1");
	assert_int_equal(sales_settings_set(s, "a.c", "2", NULL), 0);
	assert_int_equal(sales_settings_set(s, "d.e", "3", NULL), 0);
	buf = serialize_ok(s, &len);
	assert_string_equal(buf, "[a]\r\nb = 1\r\n\tc = 2\r\n[d]\r\n\te = 3\r\n");
	free(buf);
	sales_settings_free(s);
}

static void test_set_errors(void **state)
{
	static const char *const bad[] = {
		"nodot", "", ".name", "section.", "a..b", "a b.c", "a.b c",
		"a.b=c", "a.b#", "a.\xe3\x80\x80", "a.\xff", "a.b\n.c", "[a].b",
	};
	struct sales_settings *s = parse_ok("");
	struct sales_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sales_error_clear(&err);
		if (sales_settings_set(s, bad[i], "1", &err) != -1 || err.code != SALES_EUSAGE)
			CASE_FAIL("set(%s) accepted", bad[i]);
	}
	assert_int_equal(sales_settings_set(s, NULL, "1", &err), -1);
	sales_error_clear(&err);
	assert_int_equal(sales_settings_set(s, "a.b", "x\ry", &err), -1);
	assert_int_equal(err.code, SALES_EVALUE);
	assert_int_equal(sales_settings_set(s, "a.b", "\xc3", &err), -1);
	/* the valid shapes */
	assert_int_equal(sales_settings_set(s, "a.b", NULL, &err), 0);
	assert_string_equal(sales_settings_get(s, "a.b"), "");
	assert_int_equal(sales_settings_set(s, "a.sub.with.dots.b", "1", &err), 0);
	assert_string_equal(sales_settings_get(s, "a.sub.with.dots.b"), "1");
	assert_int_equal(sales_settings_set(s, "a.子 节.b", "2", &err), 0);
	sales_settings_free(s);
}

static int stop_at(const char *key, const char *value, void *ud)
{
	int *n = ud;

	(void)value;
	(*n)++;
	return !strcmp(key, "score.industry.default") ? 42 : 0;
}

static int count_all(const char *key, const char *value, void *ud)
{
	(void)key;
	(void)value;
	(*(int *)ud)++;
	return 0;
}

static void test_each(void **state)
{
	struct sales_settings *s = parse_ok("[score \"industry\"]\n化工 = 20\n");
	int n = 0, all = 0, none = 0;
	struct {
		char text[1024];
	} out = { "" };

	(void)state;
	assert_int_equal(sales_settings_each(s, "score.industry.", stop_at, &n), 42);
	assert_int_equal(n, 7);
	assert_int_equal(sales_settings_each(s, NULL, count_all, &all), 0);
	assert_true(all > 30);
	n = 0;
	assert_int_equal(sales_settings_each(s, "", count_all, &n), 0);
	assert_int_equal(n, all);
	assert_int_equal(sales_settings_each(s, "nothing.", count_all, &none), 0);
	assert_int_equal(none, 0);
	assert_int_equal(sales_settings_each(s, "DEADLINE.", collect, &out), 0);
	assert_string_equal(out.text, "deadline.screening_days=3|deadline.proposal_days=5|");
	sales_settings_free(s);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/test_settings.XXXXXX";
	char path[256];
	struct sales_settings *s = NULL;
	struct sales_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, SALES_SETTINGS_FILE);

	/* missing file: defaults */
	sales_error_clear(&err);
	assert_int_equal(sales_settings_load(path, &s, &err), 0);
	assert_int_equal(sales_settings_get_int(s, "stalled.days", 0), 7);
	sales_settings_free(s);

	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("\xef\xbb\xbf[stalled]\r\n\tdays = 10\r\n[bad\r\n", f);
	fclose(f);
	s = (void *)1;
	assert_int_equal(sales_settings_load(path, &s, &err), -1);
	assert_null(s);
	assert_int_equal(err.code, SALES_EPARSE);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.file, path);

	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("[stalled]\n\tdays = 10\n", f);
	fclose(f);
	assert_int_equal(sales_settings_load(path, &s, &err), 0);
	assert_int_equal(sales_settings_get_int(s, "stalled.days", 0), 10);
	sales_settings_free(s);

	/* a directory is not a settings file */
	sales_error_clear(&err);
	assert_int_equal(sales_settings_load(dir, &s, &err), -1);
	assert_int_equal(err.code, SALES_EIO);

	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_score_bands),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_overrides_and_case),
		cmocka_unit_test(test_subsections_cjk),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_repeated_keys),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_double_locale),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_round_trip_identical),
		cmocka_unit_test(test_serialize_changes),
		cmocka_unit_test(test_unset),
		cmocka_unit_test(test_set_replaces_repeats),
		cmocka_unit_test(test_rewrite_spacing),
		cmocka_unit_test(test_serialize_new_file),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests_name("settings", tests, NULL, NULL);
}
