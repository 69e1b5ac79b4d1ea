/* Unit tests for libsales/buf.c: the byte buffer and the array growth
 * helper every growing array uses. */
#include "testutil.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

struct point {
	int x, y;
};

static void test_buf_add(void **state)
{
	struct sales_buf b = { 0 };

	(void)state;
	assert_int_equal(sales_buf_addstr(&b, "客户"), 0);
	assert_int_equal(sales_buf_addch(&b, ','), 0);
	assert_int_equal(sales_buf_printf(&b, "%d项", 42), 0);
	assert_string_equal(b.data, "客户,42项");
	assert_int_equal(b.len, strlen("客户,42项"));
	sales_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	sales_buf_release(&b);
	assert_null(b.data);
}

/* Numbers and cell references without printf: the digits as "%ld" gives
 * them, the letters as Excel names its columns. */
static void test_addlong_and_cell_ref(void **state)
{
	struct sales_buf b = { 0 };
	char cell[32];

	(void)state;
	sales_buf_addlong(&b, 0);
	sales_buf_addch(&b, ' ');
	sales_buf_addlong(&b, 7);
	sales_buf_addch(&b, ' ');
	sales_buf_addlong(&b, -42);
	sales_buf_addch(&b, ' ');
	sales_buf_addlong(&b, 1048576);
	assert_string_equal(b.data, "0 7 -42 1048576");
	sales_buf_reset(&b);
	sales_buf_addlong(&b, LONG_MAX);
	sales_buf_addch(&b, ' ');
	sales_buf_addlong(&b, LONG_MIN);
	assert_string_equal(b.data, LONG_MAX == 2147483647L ?
			    "2147483647 -2147483648" :
			    "9223372036854775807 -9223372036854775808");
	sales_buf_release(&b);

	assert_string_equal(sales_cell_ref(1, 1, cell), "A1");
	assert_string_equal(sales_cell_ref(8, 3, cell), "H3");
	assert_string_equal(sales_cell_ref(26, 10, cell), "Z10");
	assert_string_equal(sales_cell_ref(27, 100, cell), "AA100");
	assert_string_equal(sales_cell_ref(16384, 1048576, cell), "XFD1048576");
	assert_string_equal(sales_cell_ref(0, 5, cell), "");
	assert_string_equal(sales_cell_ref(3, 0, cell), "");
	assert_string_equal(sales_cell_ref(3, -1, cell), "");
}

/* Appending one item at a time: every item survives each move, and the
 * helper is only called when the array is full (the macro checks first). */
static void test_alloc_grow_keeps_items(void **state)
{
	struct point *p = NULL;
	size_t n = 0, alloc = 0, grows = 0, last_alloc = 0;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		assert_int_equal(SALES_ALLOC_GROW(p, n + 1, alloc), 0);
		assert_true(alloc >= n + 1);
		if (alloc != last_alloc) {
			/* doubling: never more than twice what was there */
			if (last_alloc)
				assert_int_equal(alloc, last_alloc * 2);
			grows++;
			last_alloc = alloc;
		}
		p[n].x = i;
		p[n].y = -i;
		n++;
	}
	/* 16, 32, ..., 16384: 11 allocations for 10000 items */
	assert_int_equal(alloc, 16384);
	assert_int_equal(grows, 11);
	for (int i = 0; i < 10000; i++) {
		assert_int_equal(p[i].x, i);
		assert_int_equal(p[i].y, -i);
	}
	free(p);
}

/* Growing to an index far ahead, new items zeroed; old ones kept. */
static void test_alloc_grow_zero(void **state)
{
	long *v = NULL;
	size_t alloc = 0;

	(void)state;
	assert_int_equal(SALES_ALLOC_GROW_ZERO(v, 3, alloc), 0);
	assert_int_equal(alloc, 16);
	for (size_t i = 0; i < alloc; i++)
		assert_int_equal(v[i], 0);
	v[2] = 7;
	assert_int_equal(SALES_ALLOC_GROW_ZERO(v, 100, alloc), 0);
	assert_int_equal(alloc, 128);
	assert_int_equal(v[2], 7);
	for (size_t i = 16; i < alloc; i++)
		assert_int_equal(v[i], 0);
	/* room already: nothing changes */
	assert_int_equal(SALES_ALLOC_GROW_ZERO(v, 128, alloc), 0);
	assert_int_equal(alloc, 128);
	free(v);
}

/* A row of several values as one item (txn.c, table.c), and a size that
 * would overflow: refused, the array left as it was. */
static void test_grow_rows_and_overflow(void **state)
{
	const char **rows = NULL;
	size_t alloc = 0, ncols = 5;

	(void)state;
	assert_int_equal(sales_grow(&rows, &alloc, 3, ncols * sizeof(*rows), 0), 0);
	assert_int_equal(alloc, 16);
	rows[15 * ncols + 4] = "last cell of the 16th row";
	assert_int_equal(sales_grow(&rows, &alloc, SIZE_MAX / 2, ncols * sizeof(*rows), 0), -1);
	assert_int_equal(alloc, 16);
	assert_string_equal(rows[15 * ncols + 4], "last cell of the 16th row");
	assert_int_equal(sales_grow(&rows, &alloc, SIZE_MAX, 1, 0), -1);
	assert_int_equal(alloc, 16);
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_add),
		cmocka_unit_test(test_addlong_and_cell_ref),
		cmocka_unit_test(test_alloc_grow_keeps_items),
		cmocka_unit_test(test_alloc_grow_zero),
		cmocka_unit_test(test_grow_rows_and_overflow),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
