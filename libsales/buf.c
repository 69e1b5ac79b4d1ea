#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sales_buf_grow(struct sales_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;
	char *p;

	if (need < b->len)
		return -1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int sales_buf_add(struct sales_buf *b, const void *data, size_t len)
{
	/* room already (len < cap - length, the NUL included): no call */
	if (len >= b->cap - b->len && sales_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int sales_buf_addstr(struct sales_buf *b, const char *s)
{
	return sales_buf_add(b, s, strlen(s));
}

int sales_buf_addch(struct sales_buf *b, char c)
{
	if (b->cap - b->len > 1) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return sales_buf_add(b, &c, 1);
}

int sales_buf_addlong(struct sales_buf *b, long v)
{
	char digits[24];
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	size_t n = sizeof(digits);

	do {
		digits[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--n] = '-';
	return sales_buf_add(b, digits + n, sizeof(digits) - n);
}

int sales_buf_printf(struct sales_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sales_buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void sales_buf_reset(struct sales_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *sales_buf_detach(struct sales_buf *b, size_t *len)
{
	char *p = b->data;

	if (len)
		*len = b->len;
	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void sales_buf_release(struct sales_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void *sales_zalloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size > 0 ? n * size : 1);
	if (p)
		memset(p, 0, n * size);
	return p;
}

int sales_grow(void *array_ptr, size_t *alloc, size_t need, size_t elem,
	       int zero)
{
	size_t n = *alloc ? *alloc : 16;
	void *array, *bigger;

	if (need <= *alloc)
		return 0;
	while (n < need && n <= SIZE_MAX / 2)
		n *= 2;
	if (n < need || (elem && n > SIZE_MAX / elem))
		return -1;
	/* the pointer is read and written as bytes: array_ptr may point to
	 * a struct foo *, which a void ** must not alias */
	memcpy(&array, array_ptr, sizeof(array));
	bigger = realloc(array, n * elem);
	if (!bigger)
		return -1;
	if (zero)
		memset((char *)bigger + *alloc * elem, 0, (n - *alloc) * elem);
	memcpy(array_ptr, &bigger, sizeof(bigger));
	*alloc = n;
	return 0;
}
