/*
 * readahead.h - parse rows in a second thread while the caller works on the
 * rows before them (an ordered, bounded pipeline).
 *
 * A row source is any "next row" function (the CSV reader's, see sheet.c).
 * sales_readahead_start runs it in a background thread that copies each row
 * (its cells, its raw bytes, its position) into a few fixed batches;
 * sales_readahead_next hands them to the caller in the same order, one at a
 * time.  So the caller sees exactly the rows, values, line numbers and the
 * error (at the same point) that calling the source directly would give,
 * whatever the thread count: the source runs alone in its thread, in order,
 * and nothing is reordered or merged.  Memory is bounded by the batches
 * (four of about half a megabyte of text each), not by the file.
 *
 * While the consumer waits, the thread hands over the batch it is filling
 * as soon as it holds RA_HANDOFF_ROWS rows (instead of when it is full),
 * and asks the source for lean rows (see sales_row_source): the rows and
 * their order stay the same, only which thread does the optional work on
 * a row changes.  For tests, $SALES_READAHEAD_LEAN fixes which rows are
 * lean: "never", "always" or "alternate" (every second row).
 *
 * Each row also carries a small "state" word the source reports after it
 * (the reader uses it for the encoding and line-end style it had learnt by
 * then), so questions asked between rows get the answers they would get
 * without the thread.
 *
 * The thread count is the caller's choice through sales_thread_count().
 */
#ifndef SALES_READAHEAD_H
#define SALES_READAHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "sheet.h"

/* Next row: 1 and *row, 0 at the end, -1 with err.  *state is whatever the
 * source wants to pass along with the row (after it, or at the end).
 * lean is true while the consumer waits for rows: the source then skips
 * the work on a row that the consumer can do itself (the reader's prepare
 * function, whose result a row may lack), so that whichever of the two
 * threads is the slower one sheds work to the other. */
typedef int (*sales_row_source)(void *src, bool lean,
				const struct sales_row **row, uint32_t *state,
				struct sales_error *err);

struct sales_readahead;

/*
 * Starts the thread reading from next(src).  From then on src belongs to
 * the thread until sales_readahead_stop returns.  Returns 0, or -1 with err
 * (ENOMEM, or no thread could be started: the caller then reads src itself).
 */
int sales_readahead_start(struct sales_readahead **out, sales_row_source next,
			  void *src, struct sales_error *err);

/*
 * The next row in source order: 1 and *row (valid until the next call), 0
 * at the end, -1 with err (the source's error, at the point it happened).
 * After 0 or -1 every further call returns the same.  *state is the
 * source's state word after that row.
 */
int sales_readahead_next(struct sales_readahead *ra,
			 const struct sales_row **row, uint32_t *state,
			 struct sales_error *err);

/* The k-th row (k >= 1) after the one sales_readahead_next returned last,
 * when the batch it came in holds it already, else NULL: a look ahead
 * (say, to ask for memory the caller will read for it), valid as that
 * row is. */
const struct sales_row *sales_readahead_peek(const struct sales_readahead *ra,
					     size_t k);

/* Stops the thread (if it is still reading) and frees everything.  NULL is
 * fine. */
void sales_readahead_stop(struct sales_readahead *ra);

/*
 * How many threads a reader of `bytes` bytes should use: $SALES_THREADS
 * when set to a number (1 = never a second thread, 2 or more = always, even
 * for a small file), else 2 when the machine has two or more online cores
 * and the file is at least SALES_READAHEAD_MIN bytes, else 1.
 */
#define SALES_READAHEAD_MIN (4u << 20)
int sales_thread_count(unsigned long long bytes);

#endif
