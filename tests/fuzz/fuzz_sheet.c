/*
 * fuzz_sheet.c - the CSV reader and the table writer on arbitrary bytes.
 *
 * Reads the input from memory as SALES_ENC_AUTO, UTF8 and GB18030 and walks
 * every record, checking what sheet.h promises of each: cells are UTF-8 and
 * NUL-terminated at their length, a record's raw bytes are the input's bytes
 * at its offset, lines and Excel rows only grow; and the reader's fast path
 * must give exactly what its libcsv path ($SALES_CSV_SLOW) gives.  Then, when the input loads
 * as a table, sets one cell, saves, reloads and checks that the cell reads
 * back and every other row is unchanged, byte for byte.
 */
#include "fuzz.h"

#include "sheet.h"
#include "text.h"

static const char *const values[] = {
	"改", "客户,\"名\"\r\n称", "=SUM(A1)", "-2%", " 空格 ", "'quote",
	"@cmd", "\tTab", "＝全角", "x", "+86 138", "-", "'", "'=x",
};

/* A digest of everything a read gives: every cell with its flags, every
 * record's place, and the error (see walk). */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t walk(const uint8_t *data, size_t size, enum sales_encoding enc)
{
	struct sales_read_options opt = { enc, "fuzz.csv", false };
	struct sales_reader *r;
	struct sales_error err;
	const struct sales_row *row, *h;
	long last_line, last_excel;
	uint64_t d = 1469598103934665603ULL;
	int rc;

	if (sales_reader_open_mem((const char *)data, size, "fuzz.csv", &opt,
				  &r, &err) < 0) {
		CHECK(err.code != SALES_OK && err.message[0]);
		d = mix(d, &err.code, sizeof(err.code));
		d = mix(d, &err.line, sizeof(err.line));
		return mix(d, err.message, strlen(err.message));
	}
	h = sales_reader_header(r);
	CHECK(h->ncells > 0);
	last_line = h->line;
	last_excel = h->excel_row;
	CHECK(h->excel_row <= h->line);
	for (size_t i = 0; i < h->ncells; i++)
		CHECK(strlen(h->cells[i].s) == h->cells[i].len);
	while ((rc = sales_reader_next(r, &row, &err)) > 0) {
		CHECK(row->ncells <= h->ncells);
		CHECK(row->line > last_line && row->excel_row > last_excel);
		CHECK(row->excel_row <= row->line);
		last_line = row->line;
		last_excel = row->excel_row;
		CHECK(row->offset >= 0 && (size_t)row->offset + row->length <= size);
		CHECK(row->raw == (const char *)data + row->offset);
		d = mix(d, &row->line, sizeof(row->line));
		d = mix(d, &row->excel_row, sizeof(row->excel_row));
		d = mix(d, &row->offset, sizeof(row->offset));
		d = mix(d, &row->length, sizeof(row->length));
		d = mix(d, &row->ncells, sizeof(row->ncells));
		for (size_t i = 0; i < row->ncells; i++) {
			const struct sales_cell *c = &row->cells[i];

			CHECK(strlen(c->s) == c->len);
			CHECK(sales_utf8_valid(c->s, c->len, NULL));
			d = mix(d, c->s, c->len + 1);
			d = mix(d, &c->flags, sizeof(c->flags));
		}
	}
	if (rc < 0) {
		CHECK(err.code != SALES_OK && err.message[0]);
		CHECK(!strcmp(err.file, "fuzz.csv"));
		d = mix(d, &err.code, sizeof(err.code));
		d = mix(d, &err.line, sizeof(err.line));
		d = mix(d, err.cell, strlen(err.cell));
		d = mix(d, err.message, strlen(err.message));
	}
	d = mix(d, &rc, sizeof(rc));
	d = mix(d, &(int){ (int)sales_reader_encoding(r) }, sizeof(int));
	d = mix(d, &(int){ (int)sales_reader_eol(r) }, sizeof(int));
	sales_reader_close(r);
	return d;
}

/* The reader's fast path and its libcsv path ($SALES_CSV_SLOW) read the
 * same bytes the same way, errors included. */
static void walk_both(const uint8_t *data, size_t size, enum sales_encoding enc)
{
	uint64_t fast = walk(data, size, enc), slow;

	setenv("SALES_CSV_SLOW", "1", 1);
	slow = walk(data, size, enc);
	unsetenv("SALES_CSV_SLOW");
	CHECK(fast == slow);
}

/* Strips the line end a record's raw bytes may end with. */
static size_t body_len(const char *raw, size_t n)
{
	while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		n--;
	return n;
}

static void roundtrip(const uint8_t *data, size_t size)
{
	char path[512];
	struct sales_table *t, *t2;
	struct sales_error err;
	struct sales_read_options opt = { SALES_ENC_AUTO, NULL, false };
	size_t nrows, row, col, h;
	const char *value;
	struct sales_reader *r1, *r2;
	const struct sales_row *a, *b;
	char *saved;
	size_t saved_len;

	snprintf(path, sizeof(path), "%s/t.csv", fuzz_scratch());
	fuzz_write(path, data, size);
	if (sales_table_load(path, NULL, &t, &err) < 0)
		return;
	nrows = sales_table_rows(t);
	if (nrows == 0) {
		sales_table_free(t);
		return;
	}
	h = sales_hash((const char *)data, size);
	row = h % nrows;
	col = (h >> 8) % sales_table_header(t)->ncells;
	value = values[(h >> 16) % (sizeof(values) / sizeof(values[0]))];
	CHECK(sales_table_set(t, row, col, value, &err) == 0);
	CHECK(!strcmp(sales_table_get(t, row, col), value));
	if (sales_table_save(t, &err) < 0) {
		/* only a value the file's encoding cannot hold may fail */
		CHECK(err.code == SALES_EENCODING);
		sales_table_free(t);
		return;
	}
	/* read back in the encoding it was written in: which cell is the first
	 * non-ASCII one (and so decides SALES_ENC_AUTO) may have changed */
	opt.encoding = sales_table_encoding(t);
	CHECK(sales_table_load(path, &opt, &t2, &err) == 0);
	CHECK(sales_table_rows(t2) == nrows);
	CHECK(sales_table_has_bom(t2) == sales_table_has_bom(t));
	for (size_t i = 0; i < nrows; i++) {
		size_t n = sales_table_ncells(t, i);

		if (sales_table_ncells(t2, i) > n)
			n = sales_table_ncells(t2, i);
		for (size_t k = 0; k < n; k++)
			CHECK(!strcmp(sales_table_get(t, i, k),
				      sales_table_get(t2, i, k)));
	}
	sales_table_free(t2);
	sales_table_free(t);

	/* rows not edited are copied byte for byte */
	CHECK(sales_read_file(path, &saved, &saved_len, &err) == 0);
	CHECK(sales_reader_open_mem((const char *)data, size, "a", &opt, &r1,
				    &err) == 0);
	CHECK(sales_reader_open_mem(saved, saved_len, "b", &opt, &r2, &err) == 0);
	for (size_t i = 0; i < nrows; i++) {
		CHECK(sales_reader_next(r1, &a, &err) == 1);
		CHECK(sales_reader_next(r2, &b, &err) == 1);
		if (i != row)
			CHECK(body_len(a->raw, a->length) ==
				      body_len(b->raw, b->length) &&
			      !memcmp(a->raw, b->raw,
				      body_len(a->raw, a->length)));
	}
	CHECK(sales_reader_next(r2, &b, &err) == 0);
	sales_reader_close(r1);
	sales_reader_close(r2);
	free(saved);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	walk_both(data, size, SALES_ENC_AUTO);
	walk_both(data, size, SALES_ENC_UTF8);
	walk_both(data, size, SALES_ENC_GB18030);
	roundtrip(data, size);
	return 0;
}
