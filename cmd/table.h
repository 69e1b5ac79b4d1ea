/*
 * table.h - a table printed aligned for terminals (CJK-aware widths from the
 * bundled East Asian Width table, two blanks between columns, no trailing
 * blanks) or as Markdown.  Row 0 is the header; cells are copied.
 */
#ifndef SALES_CMD_TABLE_H
#define SALES_CMD_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

#define TABLE_MAX_COLS 24

struct table {
	size_t ncols, nrows, alloc, walloc;
	uint32_t *cell;            /* offsets into pool, nrows * ncols */
	uint16_t *width;           /* each cell's columns (TABLE_W_*) */
	struct sales_buf pool;
	bool right[TABLE_MAX_COLS];
	int max_width;             /* cap per column (cells cut with …), 0: none */
	bool rule;                 /* a line of dashes under the header */
};

void table_init(struct table *t, size_t ncols);
void table_right(struct table *t, size_t col);   /* right-align a column */
int table_add(struct table *t, const char *const *cells);  /* 0 or -1 */
const char *table_cell(const struct table *t, size_t row, size_t col);
/* Columns empty in every row (header included) are left out. */
void table_print(FILE *f, const struct table *t, const char *indent);
void table_print_md(FILE *f, const struct table *t);
void table_release(struct table *t);

#endif
