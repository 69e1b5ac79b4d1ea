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
#include <string.h>

/* Prints which table row failed before cmocka's assertion fires. */
#define CASE_FAIL(fmt, ...) do { \
	print_error("case failed: " fmt "\n", __VA_ARGS__); fail(); \
} while (0)

#endif
