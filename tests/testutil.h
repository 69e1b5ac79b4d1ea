/* Shared helpers for the cmocka suites: cmocka's headers in the order it
 * needs, and a table-driven case runner that names the failing case. */
#ifndef SALES_TESTUTIL_H
#define SALES_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

/* Prints which table row failed before cmocka's assertion fires. */
#define CASE_FAIL(fmt, ...) do { \
	print_error("case failed: " fmt "\n", __VA_ARGS__); fail(); \
} while (0)

/* A fresh folder /tmp/NAME.XXXXXX written into dir (64 bytes), holding a
 * copy of the example workbook's sheets when with_examples (tests run from the repo root).
 * Returns 0 or -1, as cmocka's setup functions do. */
static inline int test_tmpdir(char *dir, const char *name, int with_examples)
{
	char cmd[256];

	snprintf(dir, 64, "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	if (!with_examples)
		return 0;
	snprintf(cmd, sizeof(cmd), "cp examples/*.csv %s/", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Removes a folder test_tmpdir made.  Returns 0 or -1. */
static inline int test_rmtree(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The date s (which must parse): for building expectations. */
static inline sales_date test_date(const char *s)
{
	sales_date out;

	assert_int_equal(sales_parse_date(s, strlen(s), &out), SALES_VALUE_OK);
	return out;
}

/* Writes data as the whole file dir/name. */
static inline void test_write_file(const char *dir, const char *name,
				   const char *data)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	fclose(f);
}

#endif
