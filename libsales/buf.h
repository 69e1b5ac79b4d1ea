/*
 * buf.h - a growing byte buffer, and the one way an array grows.
 *
 * `struct sales_buf b = {0};` is an empty buffer; data is always
 * NUL-terminated once anything was added (the NUL is not counted in len).
 * Functions return 0, or -1 when memory runs out (the buffer is unchanged).
 * Release with sales_buf_release, which leaves an empty buffer.
 */
#ifndef SALES_BUF_H
#define SALES_BUF_H

#include <stddef.h>
#include <stdint.h>

struct sales_buf {
	char *data;
	size_t len, cap;
};

int sales_buf_grow(struct sales_buf *b, size_t extra);
int sales_buf_add(struct sales_buf *b, const void *data, size_t len);
int sales_buf_addstr(struct sales_buf *b, const char *s);
int sales_buf_addch(struct sales_buf *b, char c);
/* Appends v in decimal, as "%ld" prints it. */
int sales_buf_addlong(struct sales_buf *b, long v);
int sales_buf_printf(struct sales_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets len to 0, keeping the memory. */
void sales_buf_reset(struct sales_buf *b);
/* Hands the data to the caller (who frees it) and empties b. */
char *sales_buf_detach(struct sales_buf *b, size_t *len);
void sales_buf_release(struct sales_buf *b);

/*
 * Grows the array *array_ptr (a pointer to any object pointer; *alloc items
 * of elem bytes) to hold at least need items: doubling, from 16 items.
 * Returns 0, or -1 when memory runs out or the size would overflow, with
 * *array_ptr and *alloc as they were.  With zero, the new items are zeroed.
 */
int sales_grow(void *array_ptr, size_t *alloc, size_t need, size_t elem,
	       int zero);

/*
 * n zeroed items of size bytes, as calloc gives them, but written now: a
 * table read before it is written (a hash table's probes) would otherwise
 * read the kernel's shared zero page, and its first write to each page
 * then copies that page and flushes the old mapping from every core that
 * runs a thread of the process - an interrupt to the other core per page
 * while two threads run (14% of `sales report`'s time at a million leads).
 * NULL when memory runs out or n * size overflows.
 */
void *sales_zalloc(size_t n, size_t size);

/*
 * A tagged slot of an open-addressing table of cap = 2^b slots (the
 * model's customer index, check's key tables): the entry + 1 in the low b
 * bits, above them the bits of the key's 32-bit hash that the slot's
 * position does not use.  The mask of the low b bits.
 */
static inline uint32_t sales_slot_mask(size_t cap)
{
	unsigned b = (unsigned)__builtin_ctzll((unsigned long long)cap);

	return b >= 32 ? UINT32_MAX : (1u << b) - 1;
}

/* SALES_ALLOC_GROW(p, n + 1, cap): room for n + 1 items in p (cap of them
 * allocated); 0 or -1 as sales_grow, nothing called while there is room. */
#define SALES_ALLOC_GROW(p, need, alloc) \
	((need) <= (alloc) ? 0 : sales_grow(&(p), &(alloc), (need), sizeof(*(p)), 0))
/* The same, the new items zeroed. */
#define SALES_ALLOC_GROW_ZERO(p, need, alloc) \
	((need) <= (alloc) ? 0 : sales_grow(&(p), &(alloc), (need), sizeof(*(p)), 1))

#endif
