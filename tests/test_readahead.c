/*
 * test_readahead.c - the reader gives the same rows, positions, flags,
 * encoding, line-end style and errors whichever way it parses: the libcsv
 * path alone ($SALES_CSV_SLOW), the fast path from a file and from memory,
 * and the fast path with the second thread reading ahead
 * ($SALES_THREADS=2).  Random files built from
 * the cells Excel and WPS write (and some broken ones), small and larger
 * than the reader's window, are read all three ways and compared byte for
 * byte.  Also: sales_thread_count, and stopping a reader mid-file.
 */
#include "testutil.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "readahead.h"
#include "sheet.h"

static char dir[] = "/tmp/sales-test-readahead-XXXXXX";

static uint64_t seed;

static unsigned rnd(unsigned n)
{
	uint64_t z = (seed += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (unsigned)((z ^ (z >> 31)) % n);
}

static const char *const eols[] = { "\r\n", "\n", "\r" };

/* One cell as people and spreadsheets write them; broken ones when bad. */
static void add_cell(struct sales_buf *b, bool bad)
{
	static const char *const plain[] = {
		"", "", "258", "A类", "科技有限公司", "2023年10月10日", "2023.11.01-11.05",
		"-2%", "+10", "=SUM(A1)", "'=HYPERLINK(x)", "@cmd", "\xEF\xBC\x9D" "1+1",
		" lead ", "x", "1.38E+10", "'plain", "' ", "   ",
	};
	static const char *const quoted[] = {
		"\"a,b\"", "\"say \"\"hi\"\"\"", "\"\"", "\"line\r\nbreak\"",
		"\"lf\nonly\"", "\"cr\ronly\"", "\"痛点,\n效率低\"", "\"\"\"\"",
		"\"\t=tab\"", "\"\r=cr\"", "\"=A1,B1\"", "\"end\r\"", "\"\n\"",
	};
	static const char *const broken[] = {
		"a\"b", "\"x\"y", "\"unterminated", "\xFF\xFE", "\xC3\x28",
		"\xB9\xAB\xCB\xBE", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\0b",
	};

	if (bad) {
		const char *s = broken[rnd(sizeof(broken) / sizeof(broken[0]))];

		sales_buf_add(b, s, s[0] == 'a' && s[1] == '\0' ? 3 : strlen(s));
		return;
	}
	if (rnd(3) == 0) {
		sales_buf_addstr(b, quoted[rnd(sizeof(quoted) / sizeof(quoted[0]))]);
	} else {
		sales_buf_addstr(b, plain[rnd(sizeof(plain) / sizeof(plain[0]))]);
	}
}

/* A random file of about `size` bytes; `huge` adds a cell larger than the
 * reader's 1 MiB window. */
static void make_file(struct sales_buf *b, size_t size, bool broken, bool huge)
{
	const char *eol = eols[rnd(3)];
	size_t width = 2 + rnd(8), bad_at = broken ? rnd((unsigned)size + 1) : (size_t)-1;

	sales_buf_reset(b);
	if (rnd(2))
		sales_buf_addstr(b, "\xEF\xBB\xBF");
	for (size_t i = 0; i < width; i++) {
		if (i)
			sales_buf_addch(b, ',');
		sales_buf_printf(b, "列%zu", i);
	}
	sales_buf_addstr(b, eol);
	while (b->len < size) {
		size_t n = rnd(5) == 0 ? width + 1 : width - rnd(2);

		if (rnd(40) == 0) {            /* a blank line */
			sales_buf_addstr(b, eols[rnd(3)]);
			continue;
		}
		if (huge && b->len > size / 2) {
			/* quoted with line breaks, or plain */
			bool q = rnd(2);

			if (q)
				sales_buf_addch(b, '"');
			for (size_t k = 0; k < (1u << 20) + 777; k++)
				sales_buf_addch(b, q && k % 1000 == 999 ? '\n' : 'z');
			sales_buf_addstr(b, q ? "\"," : ",");
			huge = false;
		}
		for (size_t i = 0; i < n; i++) {
			bool bad = b->len >= bad_at;

			if (bad)
				bad_at = (size_t)-1;
			if (i)
				sales_buf_addch(b, ',');
			/* a value past the header's width is an error: keep
			 * those cells empty unless this file is broken anyway */
			if (i < width || broken)
				add_cell(b, bad);
		}
		sales_buf_addstr(b, rnd(50) == 0 ? eols[rnd(3)] : eol);
	}
	if (rnd(4) == 0)
		b->len -= strlen(eol);  /* no line end after the last record */
}

/* Everything the reader says about the file, as text; from memory (the
 * whole file as one window, as sales_table_load reads) when mem is set. */
static void dump_how(const char *path, struct sales_buf *out, bool mem)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;
	char *data = NULL;
	size_t len = 0;
	int rc;

	sales_error_clear(&err);
	sales_buf_reset(out);
	if (mem) {
		assert_int_equal(sales_read_file(path, &data, &len, &err), 0);
		rc = sales_reader_open_mem(data, len, path, NULL, &r, &err);
	} else {
		rc = sales_reader_open(path, NULL, &r, &err);
	}
	if (rc == 0) {
		while ((rc = sales_reader_next(r, &row, &err)) > 0) {
			sales_buf_printf(out, "L%ld E%ld O%lld N%zu R%zu|", row->line,
					 row->excel_row, (long long)row->offset,
					 row->ncells, row->length);
			sales_buf_add(out, row->raw, row->length);
			for (size_t i = 0; i < row->ncells; i++) {
				sales_buf_printf(out, "|%u:%u:", row->cells[i].len,
						 row->cells[i].flags);
				sales_buf_add(out, row->cells[i].s, row->cells[i].len);
			}
			sales_buf_printf(out, "|enc %d known %d eol %d\n",
					 sales_reader_encoding(r),
					 sales_reader_encoding_known(r),
					 sales_reader_eol(r));
		}
		sales_buf_printf(out, "end %d enc %d eol %d bom %d\n", rc,
				 sales_reader_encoding(r), sales_reader_eol(r),
				 sales_reader_has_bom(r));
	}
	sales_buf_printf(out, "rc %d code %d file %s line %ld col %d cell %s: %s\n",
			 rc, err.code, err.file, err.line, err.column, err.cell,
			 err.message);
	sales_reader_close(r);
	free(data);
}

/* A prepare function's result (sheet.h): what it saw of the row, computed
 * in the parsing thread; a double makes the alignment matter. */
struct prep {
	double line;
	uint64_t hash;
	size_t ncells;
};

static void prep_row(void *ud, const struct sales_row *row, void *out)
{
	struct prep *p = out;
	uint64_t h = 1469598103934665603ull;

	(void)ud;
	for (size_t i = 0; i < row->ncells; i++)
		for (uint32_t k = 0; k <= row->cells[i].len; k++)
			h = (h ^ (unsigned char)row->cells[i].s[k]) * 1099511628211ull;
	p->line = (double)row->line;
	p->hash = h;
	p->ncells = row->ncells;
}

/* Reads path with a prepare function: with two threads a row comes with a
 * prep equal to what prep_row makes of the row the caller sees, aligned,
 * or none when the parsing thread left it to the caller (lean: "never"
 * says none is left, "alternate" every second row, "" while the caller
 * waits); with one thread, none. */
static void check_prep(const char *path, const char *what, bool threads,
		       const char *lean)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;
	size_t rows = 0, with = 0;
	int rc;

	setenv("SALES_THREADS", threads ? "2" : "1", 1);
	setenv("SALES_READAHEAD_LEAN", lean, 1);
	if (sales_reader_open(path, NULL, &r, &err) == 0) {
		assert_int_equal(sales_reader_set_prepare(r, prep_row, NULL,
							  sizeof(struct prep)), 0);
		while ((rc = sales_reader_next(r, &row, &err)) > 0) {
			struct prep want;

			rows++;
			if (!threads) {
				if (row->prep)
					CASE_FAIL("%s: a prep with one thread", what);
				continue;
			}
			if (!row->prep && row->prep_len == 0 &&
			    strcmp(lean, "never") &&
			    (strcmp(lean, "alternate") || rows % 2 == 0))
				continue;   /* left to the caller */
			if (!row->prep || row->prep_len != sizeof(want) ||
			    (uintptr_t)row->prep % _Alignof(struct prep)) {
				CASE_FAIL("%s: row %zu has no aligned prep (lean '%s')",
					  what, rows, lean);
				break;
			}
			with++;
			prep_row(NULL, row, &want);
			if (memcmp(row->prep, &want, sizeof(want)))
				CASE_FAIL("%s: the prep of line %ld is not its row's",
					  what, row->line);
		}
		if (threads && !strcmp(lean, "alternate") &&
		    with != (rows + 1) / 2)
			CASE_FAIL("%s: %zu of %zu rows with a prep, lean alternate",
				  what, with, rows);
	}
	sales_reader_close(r);
	unsetenv("SALES_THREADS");
	unsetenv("SALES_READAHEAD_LEAN");
}

static void dump(const char *path, struct sales_buf *out)
{
	dump_how(path, out, false);
}

static void compare_ways(const char *path, const char *what)
{
	struct sales_buf slow = {0}, fast = {0}, threaded = {0}, mem = {0};

	setenv("SALES_THREADS", "1", 1);
	setenv("SALES_CSV_SLOW", "1", 1);
	dump(path, &slow);
	unsetenv("SALES_CSV_SLOW");
	dump(path, &fast);
	dump_how(path, &mem, true);
	setenv("SALES_THREADS", "2", 1);
	dump(path, &threaded);
	unsetenv("SALES_THREADS");
	if (slow.len != mem.len || memcmp(slow.data, mem.data, slow.len))
		CASE_FAIL("%s: reading from memory differs (%zu vs %zu bytes)",
			  what, mem.len, slow.len);
	if (slow.len != fast.len || memcmp(slow.data, fast.data, slow.len))
		CASE_FAIL("%s: fast path differs from libcsv (%zu vs %zu bytes)",
			  what, fast.len, slow.len);
	if (slow.len != threaded.len ||
	    memcmp(slow.data, threaded.data, slow.len))
		CASE_FAIL("%s: reading ahead differs (%zu vs %zu bytes)", what,
			  threaded.len, slow.len);
	sales_buf_release(&slow);
	sales_buf_release(&fast);
	sales_buf_release(&threaded);
	sales_buf_release(&mem);
}

static void write_file(const char *path, const struct sales_buf *b)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

static void test_random_small_files(void **state)
{
	struct sales_buf b = {0};
	char path[128], what[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/small.csv", dir);
	for (int i = 0; i < 400; i++) {
		seed = 1000u + (unsigned)i;
		make_file(&b, 64 + rnd(4000), i % 3 == 0, false);
		write_file(path, &b);
		snprintf(what, sizeof(what), "small file %d", i);
		compare_ways(path, what);
	}
	sales_buf_release(&b);
}

static void test_random_large_files(void **state)
{
	struct sales_buf b = {0};
	char path[128], what[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/large.csv", dir);
	for (int i = 0; i < 8; i++) {
		seed = 77u + (unsigned)i;
		make_file(&b, (3u << 20) + rnd(1u << 20), i == 2 || i == 5, i >= 3);
		write_file(path, &b);
		snprintf(what, sizeof(what), "large file %d", i);
		compare_ways(path, what);
		check_prep(path, what, true, "never");
		check_prep(path, what, true, "alternate");
		check_prep(path, what, true, "");
		check_prep(path, what, false, "");
	}
	sales_buf_release(&b);
}

static void test_gb18030_file(void **state)
{
	struct sales_buf b = {0};
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/gbk.csv", dir);
	/* 客户名称,金额 / 科技公司,"258" in GBK, ASCII rows between */
	sales_buf_addstr(&b, "\xBF\xCD\xBB\xA7\xC3\xFB\xB3\xC6,amount\r\n");
	for (int i = 0; i < 20000; i++)
		sales_buf_printf(&b, i % 7 ? "row%d,%d\r\n" :
				 "\xBF\xC6\xBC\xBC\xB9\xAB\xCB\xBE%d,\"%d\"\r\n", i, i);
	write_file(path, &b);
	compare_ways(path, "gbk file");
	sales_buf_release(&b);
}

/* Closing a reader in the middle of a file stops its thread cleanly. */
static void test_close_mid_file(void **state)
{
	struct sales_buf b = {0};
	struct sales_reader *r;
	struct sales_error err;
	const struct sales_row *row;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/mid.csv", dir);
	sales_buf_addstr(&b, "a,b\n");
	for (int i = 0; i < 200000; i++)
		sales_buf_printf(&b, "%d,\"x%d\"\n", i, i);
	write_file(path, &b);
	setenv("SALES_THREADS", "2", 1);
	assert_int_equal(sales_reader_open(path, NULL, &r, &err), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(sales_reader_next(r, &row, &err), 1);
	assert_int_equal(row->line, 11);
	assert_string_equal(row->cells[1].s, "x9");
	sales_reader_close(r);
	unsetenv("SALES_THREADS");
	sales_buf_release(&b);
}

static void test_thread_count(void **state)
{
	static const struct {
		const char *env;
		unsigned long long bytes;
		int want;    /* -1: 1 or 2 depending on the machine */
	} cases[] = {
		{ "1", 1ull << 30, 1 }, { "2", 10, 2 }, { "8", 10, 2 },
		{ NULL, 10, 1 }, { NULL, 1ull << 30, -1 }, { "x", 10, 1 },
		{ "0", 10, 1 }, { "", 10, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got;

		if (cases[i].env)
			setenv("SALES_THREADS", cases[i].env, 1);
		else
			unsetenv("SALES_THREADS");
		got = sales_thread_count(cases[i].bytes);
		if (cases[i].want < 0 ? (got != 1 && got != 2) : got != cases[i].want)
			CASE_FAIL("SALES_THREADS=%s bytes=%llu: got %d",
				  cases[i].env ? cases[i].env : "(unset)",
				  cases[i].bytes, got);
	}
	unsetenv("SALES_THREADS");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_small_files),
		cmocka_unit_test(test_random_large_files),
		cmocka_unit_test(test_gb18030_file),
		cmocka_unit_test(test_close_mid_file),
		cmocka_unit_test(test_thread_count),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
