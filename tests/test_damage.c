/* Unit tests for libsales/damage.c: which differences between what sales
 * wrote and what a sheet holds now are a spreadsheet's damage.  The "now"
 * values are what LibreOffice Calc 7.4 (en-US and zh-CN) and gnumeric
 * 1.12 wrote when they re-saved a CSV with number detection on (measured;
 * see tests/cli/t_spreadsheet.sh for the real runs). */
#include "testutil.h"

#include <string.h>

#include "damage.h"

static void test_leading_zeros(void **state)
{
	(void)state;
	assert_int_equal(sales_damage_judge("0012", "12", false), SALES_DAMAGE_ZEROS);
	assert_int_equal(sales_damage_judge("01062345678", "1062345678", false),
			 SALES_DAMAGE_ZEROS);
	assert_int_equal(sales_damage_judge("00100", "100", false), SALES_DAMAGE_ZEROS);
	assert_int_equal(sales_damage_judge("000", "0", false), SALES_DAMAGE_ZEROS);
	/* an edit, not damage */
	assert_int_equal(sales_damage_judge("0012", "13", false), SALES_DAMAGE_NONE);
	assert_int_equal(sales_damage_judge("0012", "0012", false), SALES_DAMAGE_NONE);
	assert_int_equal(sales_damage_judge("0012", "", false), SALES_DAMAGE_NONE);
}

static void test_long_digits(void **state)
{
	(void)state;
	/* LibreOffice's and Excel's forms of an 18-digit ID */
	assert_int_equal(sales_damage_judge("110101199003071234", "1.10101199003071E+017", false),
			 SALES_DAMAGE_DIGITS);
	assert_int_equal(sales_damage_judge("110101199003071234", "1.10101199003071E+17", false),
			 SALES_DAMAGE_DIGITS);
	assert_int_equal(sales_damage_judge("110101199003071234", "110101199003071000", false),
			 SALES_DAMAGE_DIGITS);
	/* another number altogether */
	assert_int_equal(sales_damage_judge("110101199003071234", "2.2E+017", false),
			 SALES_DAMAGE_NONE);
	/* 11 digits survive a spreadsheet: a different mobile is an edit */
	assert_int_equal(sales_damage_judge("13816274590", "13816274591", false),
			 SALES_DAMAGE_NONE);
}

static void test_numbers(void **state)
{
	(void)state;
	assert_int_equal(sales_damage_judge("+10", "10", false), SALES_DAMAGE_NUMBER);
	assert_int_equal(sales_damage_judge("15%", "15.00%", false), SALES_DAMAGE_NUMBER);
	assert_int_equal(sales_damage_judge("15%", "0.15", false), SALES_DAMAGE_NUMBER);
	assert_int_equal(sales_damage_judge("1,000", "1000", false), SALES_DAMAGE_NUMBER);
	assert_int_equal(sales_damage_judge("1.50", "1.5", false), SALES_DAMAGE_NUMBER);
	/* a plain number written differently is not something a spreadsheet
	 * did; a different value is an edit */
	assert_int_equal(sales_damage_judge("10", "10.0", false), SALES_DAMAGE_NONE);
	assert_int_equal(sales_damage_judge("+10", "11", false), SALES_DAMAGE_NONE);
}

static void test_dates(void **state)
{
	(void)state;
	/* LibreOffice en-US, zh-CN, gnumeric */
	assert_int_equal(sales_damage_judge("1/2", "01/02/26", false), SALES_DAMAGE_DATE);
	assert_int_equal(sales_damage_judge("1/2", "1/2/26", false), SALES_DAMAGE_DATE);
	assert_int_equal(sales_damage_judge("1/2", "2026/01/02", false), SALES_DAMAGE_DATE);
	assert_int_equal(sales_damage_judge("3-4", "3/4/26", false), SALES_DAMAGE_DATE);
	assert_int_equal(sales_damage_judge("Jan 5", "01/05/26", false), SALES_DAMAGE_DATE);
	assert_int_equal(sales_damage_judge("Jan 5", "5-Jan", false), SALES_DAMAGE_DATE);
	/* text that is no date, changed to a date: an edit */
	assert_int_equal(sales_damage_judge("需确认预算", "2024/01/02", false),
			 SALES_DAMAGE_NONE);
	/* a date re-formatted is still the date: the validator's business */
	assert_int_equal(sales_damage_judge("2024-01-10", "2024/01/10", false),
			 SALES_DAMAGE_NONE);
}

static void test_renumbered(void **state)
{
	(void)state;
	assert_int_equal(sales_damage_judge("3", "5", true), SALES_DAMAGE_RENUMBERED);
	assert_int_equal(sales_damage_judge("3", "3.0", true), SALES_DAMAGE_NUMBER);
	assert_int_equal(sales_damage_judge("3", "3", true), SALES_DAMAGE_NONE);
	/* a 序号 cleared is an edit, not a renumbering */
	assert_int_equal(sales_damage_judge("3", "", true), SALES_DAMAGE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leading_zeros),
		cmocka_unit_test(test_long_digits),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_renumbered),
	};

	return cmocka_run_group_tests_name("damage", tests, NULL, NULL);
}
