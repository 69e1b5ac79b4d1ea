/*
 * buf.h - a growing byte buffer.
 *
 * `struct sales_buf b = {0};` is an empty buffer; data is always
 * NUL-terminated once anything was added (the NUL is not counted in len).
 * Functions return 0, or -1 when memory runs out (the buffer is unchanged).
 * Release with sales_buf_release, which leaves an empty buffer.
 */
#ifndef SALES_BUF_H
#define SALES_BUF_H

#include <stddef.h>

struct sales_buf {
	char *data;
	size_t len, cap;
};

int sales_buf_grow(struct sales_buf *b, size_t extra);
int sales_buf_add(struct sales_buf *b, const void *data, size_t len);
int sales_buf_addstr(struct sales_buf *b, const char *s);
int sales_buf_addch(struct sales_buf *b, char c);
int sales_buf_printf(struct sales_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets len to 0, keeping the memory. */
void sales_buf_reset(struct sales_buf *b);
/* Hands the data to the caller (who frees it) and empties b. */
char *sales_buf_detach(struct sales_buf *b, size_t *len);
void sales_buf_release(struct sales_buf *b);

#endif
