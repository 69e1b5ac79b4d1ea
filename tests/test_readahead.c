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
#include "text.h"

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
 * whole file as one window, as sales_table_load reads) when mem is set.
 * go_after >= 0: read by this thread alone (sales_read_set_readahead)
 * until that many records have been read, then ahead in a second thread
 * from the next one on (sales_reader_readahead_when). */
static void dump_how(const char *path, struct sales_buf *out, bool mem,
		     long go_after)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;
	char *data = NULL;
	size_t len = 0;
	long nrec = 0;
	_Atomic bool go = false;
	int rc;

	sales_error_clear(&err);
	sales_buf_reset(out);
	if (mem) {
		assert_int_equal(sales_read_file(path, &data, &len, &err), 0);
		rc = sales_reader_open_mem(data, len, path, NULL, &r, &err);
	} else {
		rc = sales_reader_open(path, NULL, &r, &err);
	}
	if (rc == 0 && go_after >= 0) {
		sales_read_set_readahead(false);
		sales_reader_readahead_when(r, &go);
		if (go_after == 0)
			go = true;
	}
	if (rc == 0) {
		while ((rc = sales_reader_next(r, &row, &err)) > 0) {
			if (go_after >= 0 && ++nrec == go_after)
				go = true;
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
	sales_read_set_readahead(true);
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
static void check_prep_late(const char *path, const char *what, bool threads,
			    const char *lean, long go_after)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;
	size_t rows = 0, with = 0;
	_Atomic bool go = false;
	int rc;

	setenv("SALES_THREADS", threads ? "2" : "1", 1);
	setenv("SALES_READAHEAD_LEAN", lean, 1);
	if (sales_reader_open(path, NULL, &r, &err) == 0) {
		assert_int_equal(sales_reader_set_prepare(r, prep_row, NULL,
							  sizeof(struct prep)), 0);
		if (go_after >= 0) {
			sales_read_set_readahead(false);
			sales_reader_readahead_when(r, &go);
		}
		long peek_line = -1, peek_offset = -1;
		size_t peeked = 0;

		while ((rc = sales_reader_next(r, &row, &err)) > 0) {
			struct prep want;
			const struct sales_row *ahead;

			rows++;
			/* sales_reader_peek(1) named this row before it came */
			if (peek_line >= 0 && (row->line != peek_line ||
					       (long)row->offset != peek_offset))
				CASE_FAIL("%s: row %zu is line %ld, the peek said %ld",
					  what, rows, row->line, peek_line);
			ahead = sales_reader_peek(r, 1);
			peek_line = ahead ? ahead->line : -1;
			peek_offset = ahead ? (long)ahead->offset : -1;
			peeked += ahead != NULL;
			if (sales_reader_peek(r, 0))
				CASE_FAIL("%s: a peek 0 rows ahead", what);
			if (go_after >= 0 && (long)rows <= go_after) {
				/* read by this thread: no prep */
				if (row->prep)
					CASE_FAIL("%s: a prep on row %zu before the thread",
						  what, rows);
				if ((long)rows == go_after)
					go = true;
				continue;
			}
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
		if (threads && rows > 1000 &&
		    (go_after < 0 || (long)rows > go_after + 1000) && !peeked)
			CASE_FAIL("%s: no row was peeked at in %zu", what, rows);
		if (!threads && peeked)
			CASE_FAIL("%s: a peek with one thread", what);
		if (threads && !strcmp(lean, "alternate") && go_after < 0 &&
		    with != (rows + 1) / 2)
			CASE_FAIL("%s: %zu of %zu rows with a prep, lean alternate",
				  what, with, rows);
		if (threads && !strcmp(lean, "never") && go_after >= 0 &&
		    (long)rows > go_after && with != rows - (size_t)go_after)
			CASE_FAIL("%s: %zu of the %zu rows after the thread started have a prep",
				  what, with, rows - (size_t)go_after);
	}
	sales_read_set_readahead(true);
	sales_reader_close(r);
	unsetenv("SALES_THREADS");
	unsetenv("SALES_READAHEAD_LEAN");
}

static void check_prep(const char *path, const char *what, bool threads,
		       const char *lean)
{
	check_prep_late(path, what, threads, lean, -1);
}

static void dump(const char *path, struct sales_buf *out)
{
	dump_how(path, out, false, -1);
}

static void compare_ways(const char *path, const char *what)
{
	struct sales_buf slow = {0}, fast = {0}, threaded = {0}, mem = {0};
	struct sales_buf late = {0};
	/* before the first record, early, or (large files) further on */
	long go_after = rnd(4) == 0 ? 0 : rnd(2) ? (long)rnd(64) : (long)rnd(20000);

	setenv("SALES_THREADS", "1", 1);
	setenv("SALES_CSV_SLOW", "1", 1);
	dump(path, &slow);
	unsetenv("SALES_CSV_SLOW");
	dump(path, &fast);
	dump_how(path, &mem, true, -1);
	setenv("SALES_THREADS", "2", 1);
	dump(path, &threaded);
	/* the thread started between two records (0: before the first) */
	dump_how(path, &late, false, go_after);
	unsetenv("SALES_THREADS");
	if (slow.len != late.len || memcmp(slow.data, late.data, slow.len))
		CASE_FAIL("%s: reading ahead from record %ld on differs (%zu vs %zu bytes)",
			  what, go_after + 1, late.len, slow.len);
	sales_buf_release(&late);
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
		check_prep_late(path, what, true, "never", 1 + (long)rnd(5000));
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

/* ---- the prefilter (sales_reader_set_filter) ---- */

struct seen_row {
	long line;
	bool key_blank;   /* the key cell blank (or missing) */
	bool holds;       /* a cell equal to the filter text, trimmed */
	char *dump;
};

struct reading {
	struct seen_row *rows;
	size_t n, cap;
	char end[600];            /* rc and error at the end */
	struct sales_buf warnings;
};

static void note_warning(const struct sales_error *w, void *ud)
{
	struct sales_buf *b = ud;

	sales_buf_printf(b, "%s:%ld:%d %s %s\n", w->file, w->line, w->column,
			 w->cell, w->message);
}

static bool blank_cell(const struct sales_cell *c)
{
	for (uint32_t i = 0; i < c->len; i++)
		if (c->s[i] != ' ' && c->s[i] != '\t')
			return false;
	return true;
}

/* Every row of path with the filter (text, key) or without it (text
 * NULL), the warnings the reader gave and how it ended. */
static void read_rows(const char *path, const char *text, int key,
		      const char *want, struct reading *out)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;
	size_t wlen = strlen(want);
	int rc;

	memset(out, 0, sizeof(*out));
	sales_error_clear(&err);
	sales_set_read_warning_handler(note_warning, &out->warnings);
	rc = sales_reader_open(path, NULL, &r, &err);
	if (rc == 0 && text)
		assert_int_equal(sales_reader_set_filter(r, text, key), 0);
	while (r && (rc = sales_reader_next(r, &row, &err)) > 0) {
		struct seen_row *s;
		struct sales_buf d = {0};

		assert_int_equal(SALES_ALLOC_GROW(out->rows, out->n + 1, out->cap), 0);
		s = &out->rows[out->n++];
		memset(s, 0, sizeof(*s));
		s->line = row->line;
		s->key_blank = key < 0 || (size_t)key >= row->ncells ||
			       blank_cell(&row->cells[key]);
		for (size_t i = 0; i < row->ncells; i++) {
			size_t len = row->cells[i].len;
			const char *t = sales_trim(row->cells[i].s, &len);

			if (len == wlen && !memcmp(t, want, len))
				s->holds = true;
		}
		sales_buf_printf(&d, "L%ld E%ld O%lld N%zu|", row->line,
				 row->excel_row, (long long)row->offset,
				 row->ncells);
		sales_buf_add(&d, row->raw, row->length);
		for (size_t i = 0; i < row->ncells; i++) {
			sales_buf_printf(&d, "|%u:", row->cells[i].flags);
			sales_buf_add(&d, row->cells[i].s, row->cells[i].len);
		}
		sales_buf_printf(&d, "|enc %d", sales_reader_encoding(r));
		s->dump = d.data ? d.data : strdup("");
	}
	snprintf(out->end, sizeof(out->end), "rc %d code %d line %ld col %d: %s",
		 rc, err.code, err.line, err.column, err.message);
	sales_reader_close(r);
	sales_set_read_warning_handler(NULL, NULL);
}

static size_t filter_dropped;   /* rows the filter dropped, all checks */

static void release_reading(struct reading *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->rows[i].dump);
	free(x->rows);
	sales_buf_release(&x->warnings);
}

/*
 * What the filter promises, against the rows of reading every record: the
 * rows it gives are some of those, unchanged and in order, with the same
 * end and warnings; every row holding a cell equal to the text comes
 * through; with a key column, a continuation (blank key) comes through
 * exactly when the row it continues did (always when there is none).
 */
static void check_filter(const char *path, const char *what, const char *text,
			 int key)
{
	struct reading all, got;
	size_t len = strlen(text);
	const char *want = sales_trim(text, &len);
	char trimmed[64];

	assert_true(len < sizeof(trimmed));
	memcpy(trimmed, want, len);
	trimmed[len] = '\0';
	setenv("SALES_THREADS", "1", 1);
	read_rows(path, NULL, key, trimmed, &all);
	for (int threads = 1; threads <= 2; threads++) {
		size_t j = 0;
		long owner = -1;   /* index in all of the row continued */

		setenv("SALES_THREADS", threads == 1 ? "1" : "2", 1);
		read_rows(path, text, key, trimmed, &got);
		if (strcmp(all.end, got.end))
			CASE_FAIL("%s, filter '%s' key %d: ends '%s', not '%s'",
				  what, text, key, got.end, all.end);
		if (all.warnings.len != got.warnings.len ||
		    (all.warnings.len && memcmp(all.warnings.data,
						got.warnings.data,
						all.warnings.len)))
			CASE_FAIL("%s, filter '%s' key %d: other warnings", what,
				  text, key);
		for (size_t i = 0; i < all.n; i++) {
			bool kept = j < got.n && got.rows[j].line == all.rows[i].line;
			bool must, may;

			if (kept && strcmp(got.rows[j].dump, all.rows[i].dump))
				CASE_FAIL("%s, filter '%s': line %ld differs", what,
					  text, all.rows[i].line);
			if (key >= 0 && all.rows[i].key_blank) {
				/* a continuation goes with its row */
				must = owner < 0 || all.rows[owner].dump != NULL;
				may = must;
			} else {
				must = all.rows[i].holds;
				may = true;
				owner = (long)i;
			}
			if ((must && !kept) || (!may && kept))
				CASE_FAIL("%s, filter '%s' key %d: line %ld %s", what,
					  text, key, all.rows[i].line,
					  kept ? "kept" : "dropped");
			if (key >= 0 && !all.rows[i].key_blank && !kept) {
				/* remember the drop for its continuations */
				free(all.rows[i].dump);
				all.rows[i].dump = NULL;
			}
			if (kept)
				j++;
		}
		filter_dropped += all.n - j;
		if (j != got.n)
			CASE_FAIL("%s, filter '%s' key %d: %zu rows not read without it",
				  what, text, key, got.n - j);
		release_reading(&got);
		/* the drops of this pass are remembered in all: read again */
		release_reading(&all);
		setenv("SALES_THREADS", "1", 1);
		read_rows(path, NULL, key, trimmed, &all);
	}
	release_reading(&all);
	unsetenv("SALES_THREADS");
}

static void test_filter_keeps_what_it_must(void **state)
{
	static const char *const texts[] = {
		"科技有限公司", "A类", "x", "say \"hi\"", "a,b", " lead ", "=HYPERLINK(x)",
		"258", "\"", "line\r\nbreak", "痛点,\n效率低", "2023年10月10日",
	};
	struct sales_buf b = {0};
	char path[128], what[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/filter.csv", dir);
	for (int i = 0; i < 240; i++) {
		seed = 5000u + (unsigned)i;
		make_file(&b, 64 + rnd(i % 20 == 0 ? 5u << 20 : 6000), i % 4 == 0,
			  false);
		write_file(path, &b);
		snprintf(what, sizeof(what), "filter file %d", i);
		check_filter(path, what, texts[i % (sizeof(texts) / sizeof(texts[0]))],
			     (int)rnd(4) - 1);
	}
	/* not vacuous: most rows hold none of the texts */
	if (filter_dropped < 10000)
		CASE_FAIL("the filter dropped only %zu rows", filter_dropped);
	sales_buf_release(&b);
}

/* ---- the projection (sales_reader_set_columns) ---- */

static size_t projected_cells;   /* skipped cells that held text, all files */

/* Every row of path, read with keep[0..n) when project (else in full):
 * position, raw bytes, encoding, lenient flags and the cells keep names
 * (a skipped cell left out), then the warnings and the end.  full (a
 * text_map of path), when given, counts the skipped cells that held text
 * and came empty. */
static void read_projected(const char *path, const bool *keep, size_t n,
			   bool project, const struct sales_buf *full,
			   struct sales_buf *out)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;
	struct sales_buf w = {0};
	size_t at = 0;
	int rc;

	sales_buf_reset(out);
	sales_error_clear(&err);
	sales_set_read_warning_handler(note_warning, &w);
	rc = sales_reader_open(path, NULL, &r, &err);
	if (rc == 0 && project)
		assert_int_equal(sales_reader_set_columns(r, keep, n), 0);
	while (r && (rc = sales_reader_next(r, &row, &err)) > 0) {
		sales_buf_printf(out, "L%ld E%ld O%lld N%zu F%u|", row->line,
				 row->excel_row, (long long)row->offset,
				 row->ncells, row->flags & SALES_CELL_LENIENT);
		sales_buf_add(out, row->raw, row->length);
		for (size_t i = 0; i < row->ncells; i++) {
			const struct sales_cell *c = &row->cells[i];
			bool held = full && i < n && at < full->len &&
				    full->data[at] == 'T';

			if (i < n)
				at++;
			if (i < n && !keep[i]) {
				/* empty, or whole where libcsv read it */
				if (held && c->len == 0)
					projected_cells++;
				sales_buf_addstr(out, "|-");
				continue;
			}
			sales_buf_printf(out, "|%u:", c->flags);
			sales_buf_add(out, c->s, c->len);
		}
		sales_buf_printf(out, "|enc %d\n", sales_reader_encoding(r));
	}
	sales_buf_printf(out, "rc %d code %d line %ld col %d: %s\n", rc,
			 err.code, err.line, err.column, err.message);
	if (w.len)
		sales_buf_add(out, w.data, w.len);
	sales_reader_close(r);
	sales_set_read_warning_handler(NULL, NULL);
	sales_buf_release(&w);
}

/* For each cell of each row of path in file column order, 'T' when it
 * holds a byte other than blanks, else 'B' (only the cells of columns
 * below n). */
static void text_map(const char *path, size_t n, struct sales_buf *out)
{
	struct sales_reader *r = NULL;
	struct sales_error err;
	const struct sales_row *row;

	sales_buf_reset(out);
	if (sales_reader_open(path, NULL, &r, &err) < 0)
		return;
	while (sales_reader_next(r, &row, &err) > 0)
		for (size_t i = 0; i < row->ncells && i < n; i++)
			sales_buf_addch(out, blank_cell(&row->cells[i]) ? 'B' : 'T');
	sales_reader_close(r);
}

/* A projected read gives the rows, positions, warnings and end of a full
 * one, and the kept cells as it reads them; the skipped ones are empty
 * (or, where libcsv read the record, whole), the blank-record test and
 * "cell outside the table" unchanged by them. */
static void test_columns_read_as_full(void **state)
{
	static const char *const rows[] = {
		/* text only in a skipped cell: not a blank record */
		",x,\n", ",  \t,\n", ",\"  \",\n", ",\"y\",\n",
		/* a BOM starting a skipped cell, a quote inside one */
		",\xEF\xBB\xBFz,\n", ",\"\xEF\xBB\xBFq\",\n", ",a\"b,\n",
		/* a cell past the header, after skipped text */
		",x,,v\n", ",,,v\n",
	};
	struct sales_buf b = {0}, full = {0}, all = {0}, got = {0};
	char path[128], what[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/columns.csv", dir);
	for (int i = 0; i < 160; i++) {
		bool keep[12];
		size_t n;

		seed = 9000u + (unsigned)i;
		if (i < 40) {
			/* a few rows of the cases above between plain ones */
			sales_buf_reset(&b);
			sales_buf_addstr(&b, "a,b,c\n");
			for (int k = 0; k < 50; k++)
				sales_buf_addstr(&b, rnd(3) ? "1,2,3\n" :
						 rows[rnd(sizeof(rows) / sizeof(rows[0]))]);
			keep[0] = true;
			keep[1] = false;
			keep[2] = rnd(2);
			n = 3;
		} else {
			make_file(&b, 64 + rnd(i % 20 == 0 ? 5u << 20 : 6000),
				  i % 4 == 0, false);
			n = 1 + rnd(11);
			for (size_t k = 0; k < n; k++)
				keep[k] = rnd(3) == 0;
		}
		write_file(path, &b);
		snprintf(what, sizeof(what), "columns file %d", i);
		setenv("SALES_THREADS", "1", 1);
		text_map(path, n, &full);
		read_projected(path, keep, n, false, NULL, &all);
		for (int threads = 1; threads <= 2; threads++) {
			setenv("SALES_THREADS", threads == 1 ? "1" : "2", 1);
			read_projected(path, keep, n, true, &full, &got);
			/* the full read, its skipped cells left out as well */
			if (all.len != got.len || memcmp(all.data, got.data, all.len))
				CASE_FAIL("%s, %d thread(s): not what a full read gives",
					  what, threads);
		}
	}
	unsetenv("SALES_THREADS");
	/* not vacuous: skipped cells with text came empty */
	if (projected_cells < 1000)
		CASE_FAIL("only %zu cells were skipped", projected_cells);
	sales_buf_release(&b);
	sales_buf_release(&full);
	sales_buf_release(&all);
	sales_buf_release(&got);
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
		cmocka_unit_test(test_filter_keeps_what_it_must),
		cmocka_unit_test(test_columns_read_as_full),
		cmocka_unit_test(test_close_mid_file),
		cmocka_unit_test(test_thread_count),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
