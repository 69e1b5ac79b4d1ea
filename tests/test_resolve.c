/* test_resolve.c - the one customer resolver: exact, key, prefix,
 * substring, ambiguous and unknown, with the messages it gives. */
#include "testutil.h"

#include "resolve.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const names[] = {
	"科技有限公司",              /* 0 */
	"YY商贸有限公司",            /* 1 */
	"华瑞精密机械有限公司",      /* 2 */
	"华瑞精密机械有限责任公司",  /* 3 */
	"杭州新材料有限公司",        /* 4 */
	"杭州新能源科技有限公司",    /* 5 */
	"上海博远物流有限公司",      /* 6 */
	"  ",                        /* 7: blank, never a match */
	"科技有限公司",              /* 8: the same name again */
};

static void test_levels(void **state)
{
	static const struct {
		const char *want;
		long id;                 /* -1: does not resolve */
		enum sales_match how;
		bool duplicate;
		const char *message;     /* when it does not resolve */
	} cases[] = {
		/* exact, blanks trimmed (NBSP and U+3000 too) */
		{ " 科技有限公司\xe3\x80\x80", 0, SALES_MATCH_EXACT, true, NULL },
		{ "上海博远物流有限公司", 6, SALES_MATCH_EXACT, false, NULL },
		/* the name key: company forms, case, traditional characters */
		{ "科技", 0, SALES_MATCH_KEY, true, NULL },
		{ "yy商貿", 1, SALES_MATCH_KEY, false, NULL },
		{ "YY商贸", 1, SALES_MATCH_KEY, false, NULL },
		/* a unique prefix of the key */
		{ "上海博远", 6, SALES_MATCH_PREFIX, false, NULL },
		{ "杭州新材", 4, SALES_MATCH_PREFIX, false, NULL },
		/* a unique substring (two characters at least) */
		{ "博远物流", 6, SALES_MATCH_SUBSTRING, false, NULL },
		{ "新材料", 4, SALES_MATCH_SUBSTRING, false, NULL },
		/* exact beats key: 华瑞精密机械有限公司 is one of two keys */
		{ "华瑞精密机械有限公司", 2, SALES_MATCH_EXACT, false, NULL },
		/* ambiguous: two customers at the best level */
		{ "华瑞精密机械", -1, SALES_MATCH_KEY, false,
		  "'华瑞精密机械' could be more than one customer in 01-leads.csv: '华瑞精密机械有限公司' or '华瑞精密机械有限责任公司'; give more of the name" },
		{ "杭州新", -1, SALES_MATCH_PREFIX, false,
		  "'杭州新' could be more than one customer in 01-leads.csv: '杭州新材料有限公司' or '杭州新能源科技有限公司'; give more of the name" },
		/* a prefix beats a substring: 科技 is a key, 能源科技 a substring */
		{ "能源科技", 5, SALES_MATCH_SUBSTRING, false, NULL },
		/* one character is not enough for a substring */
		{ "材", -1, SALES_MATCH_NONE, false,
		  "no customer named '材' in 01-leads.csv" },
		/* unknown: the nearest names */
		{ "科技有线公司", -1, SALES_MATCH_NONE, false,
		  "no customer named '科技有线公司' in 01-leads.csv; did you mean '科技有限公司'?" },
		{ "上海博达物流有限公司", -1, SALES_MATCH_NONE, false,
		  "no customer named '上海博达物流有限公司' in 01-leads.csv; did you mean '上海博远物流有限公司'?" },
		{ "完全不同的名字", -1, SALES_MATCH_NONE, false,
		  "no customer named '完全不同的名字' in 01-leads.csv" },
		{ "", -1, SALES_MATCH_NONE, false,
		  "no customer named '' in 01-leads.csv" },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct sales_resolver r;
		struct sales_error err;
		enum sales_match how;
		bool dup;
		long id;

		sales_resolver_init(&r, cases[i].want);
		for (size_t k = 0; k < N_ELEMS(names); k++)
			assert_int_equal(sales_resolver_feed(&r, names[k], (long)k), 0);
		id = sales_resolver_result(&r, &how, &dup);
		sales_error_clear(&err);
		if (id != cases[i].id || how != cases[i].how ||
		    (id >= 0 && dup != cases[i].duplicate))
			CASE_FAIL("'%s': id %ld how %d duplicate %d", cases[i].want,
				  id, how, dup);
		if (id >= 0) {
			assert_int_equal(sales_resolver_error(&r, "customer",
							      "01-leads.csv", &err), 0);
			assert_string_equal(sales_resolver_name(&r), names[id]);
		} else {
			assert_int_equal(sales_resolver_error(&r, "customer",
							      "01-leads.csv", &err), -1);
			assert_int_equal(err.code, SALES_ENAME);
			if (strcmp(err.message, cases[i].message))
				CASE_FAIL("'%s': message '%s'", cases[i].want,
					  err.message);
			assert_null(sales_resolver_name(&r));
		}
		sales_resolver_release(&r);
	}
}

/* match() says how one name matches, for a streaming caller (status) */
static void test_match(void **state)
{
	struct sales_resolver r;

	(void)state;
	sales_resolver_init(&r, "华瑞");
	assert_int_equal(sales_resolver_match(&r, "华瑞"), SALES_MATCH_EXACT);
	assert_int_equal(sales_resolver_match(&r, "华瑞有限公司"), SALES_MATCH_KEY);
	assert_int_equal(sales_resolver_match(&r, "華瑞精密"), SALES_MATCH_PREFIX);
	assert_int_equal(sales_resolver_match(&r, "上海华瑞"), SALES_MATCH_SUBSTRING);
	assert_int_equal(sales_resolver_match(&r, "科技"), SALES_MATCH_NONE);
	sales_resolver_release(&r);
}

/* many candidates at the best level: four are named, then "and others" */
static void test_many(void **state)
{
	struct sales_resolver r;
	struct sales_error err;
	char name[64];

	(void)state;
	sales_resolver_init(&r, "客户");
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "客户%d有限公司", i);
		assert_int_equal(sales_resolver_feed(&r, name, i), 0);
	}
	assert_int_equal(sales_resolver_result(&r, NULL, NULL), -1);
	sales_resolver_error(&r, "lead", NULL, &err);
	assert_string_equal(err.message,
			    "'客户' could be more than one lead: '客户0有限公司', '客户1有限公司', '客户2有限公司', '客户3有限公司' and others; give more of the name");
	sales_resolver_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
