/*
 * table.h - an aligned text table for terminals, CJK-aware: rows are
 * collected first (one buffer for every cell), then printed with each
 * column as wide as its widest cell (up to a cap, longer cells end in …).
 */
#ifndef SALES_CMD_TABLE_H
#define SALES_CMD_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"

struct text_table {
	size_t ncols;
	const char *const *headers;  /* ncols, owned by the caller */
	unsigned right;              /* bit i: column i aligned right */
	int max_width;               /* cap per column, display columns */
	struct sales_buf cells;      /* every cell, NUL-terminated, row by row */
	size_t nrows;
};

/* headers must outlive the table; right is a bit mask of right-aligned
 * columns; max_width caps each column (0: no cap). */
void text_table_init(struct text_table *t, size_t ncols,
		     const char *const *headers, unsigned right, int max_width);
/* Adds a row of ncols cells (NULL is ""); returns 0 or -1 on ENOMEM. */
int text_table_add(struct text_table *t, const char *const *cells);
/* Prints the header, a rule, and the rows. */
void text_table_print(FILE *f, const struct text_table *t);
void text_table_release(struct text_table *t);

#endif
