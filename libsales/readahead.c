/*
 * readahead.c - the background row reader: one producer thread, a ring of
 * RA_BATCHES batches, one consumer.  A batch is filled by the producer
 * while the consumer reads the one before; the ring's order is the
 * source's order.
 */
#include "readahead.h"
#include "buf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RA_BATCHES 4
#define RA_BATCH_BYTES (512u << 10)
#define RA_BATCH_ROWS 8192u
/* while the consumer waits: a batch is handed over at this many rows */
#define RA_HANDOFF_ROWS 64u
enum { LEAN_AUTO, LEAN_NEVER, LEAN_ALWAYS, LEAN_ALTERNATE };

/* a row's prep bytes start at a multiple of this in a batch's text */
#define PREP_ALIGN _Alignof(max_align_t)

/*
 * A batch: the rows as the consumer sees them.  The text buffer is sized
 * once (grown only for a batch's first row), so cell and raw pointers into
 * it are final when written; rows point at their cells when the batch is
 * handed over.
 */
struct batch {
	char *text;                  /* raw bytes and cell text */
	size_t tlen, tcap;
	struct sales_row *rows;
	uint32_t *states;
	size_t *first;               /* each row's first cell in cells */
	size_t nrows, crows;
	struct sales_cell *cells;
	size_t ncells, ccells;
	int end;                     /* 0 more follows, 1 the source ended, -1 it failed */
	uint32_t end_state;
	struct sales_error err;
};

struct sales_readahead {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[RA_BATCHES];
	size_t head;                 /* the consumer's batch */
	size_t filled;               /* batches handed over, head included */
	bool stop;
	/* the consumer waits for a batch (set and cleared under mu, read by
	 * the producer between rows without it) */
	atomic_bool hungry;
	int lean_mode;               /* $SALES_READAHEAD_LEAN: see readahead.h */
	size_t nrow;                 /* rows asked of the source */
	sales_row_source next;
	void *src;
	/* producer side: a row that did not fit the last batch */
	const struct sales_row *pending;
	uint32_t pending_state;
	/* consumer side */
	struct batch *cur;
	size_t pos;
	int done;                    /* 0 reading, 1 ended, -1 failed */
	uint32_t done_state;
	struct sales_error done_err;
};

/* ---- the producer ---- */

/* Bytes a row takes in a batch's text. */
static size_t row_bytes(const struct sales_row *row)
{
	size_t n = (row->raw ? row->length : 0) + 1 + PREP_ALIGN + row->prep_len;

	for (size_t i = 0; i < row->ncells; i++)
		n += (size_t)row->cells[i].len + 1;
	return n;
}

/* true when the row's cells lie one after the other, each ending in its
 * NUL (as the reader's arena holds them). */
static bool contiguous(const struct sales_row *row)
{
	const char *at;

	if (!row->ncells)
		return false;
	at = row->cells[0].s;
	for (size_t i = 0; i < row->ncells; i++) {
		if (row->cells[i].s != at)
			return false;
		at += (size_t)row->cells[i].len + 1;
	}
	return true;
}

/* Adds row to b: 1 done, 0 it does not fit (b is not empty), -1 ENOMEM. */
static int batch_add_row(struct batch *b, const struct sales_row *row,
			 uint32_t state)
{
	size_t need = row_bytes(row);
	struct sales_row *r;
	char *t;

	if (b->tlen + need > b->tcap) {
		size_t cap = b->tcap ? b->tcap : RA_BATCH_BYTES;
		char *p;

		if (b->nrows)
			return 0;
		while (cap < need)
			cap *= 2;
		p = realloc(b->text, cap);
		if (!p)
			return -1;
		b->text = p;
		b->tcap = cap;
	}
	if (b->nrows == b->crows) {
		/* three arrays of one length: each grows as the first */
		size_t c1 = b->crows, c2 = b->crows, c3 = b->crows;

		if (SALES_ALLOC_GROW(b->rows, b->nrows + 1, c1) < 0 ||
		    SALES_ALLOC_GROW(b->states, b->nrows + 1, c2) < 0 ||
		    SALES_ALLOC_GROW(b->first, b->nrows + 1, c3) < 0)
			return -1;
		b->crows = c1;
	}
	if (SALES_ALLOC_GROW(b->cells, b->ncells + row->ncells, b->ccells) < 0)
		return -1;
	r = &b->rows[b->nrows];
	*r = *row;
	t = b->text + b->tlen;
	if (row->raw) {
		memcpy(t, row->raw, row->length);
		r->raw = t;
		t += row->length;
	}
	*t++ = '\0';
	if (row->prep_len) {
		size_t off = (size_t)(t - b->text);

		/* text comes from malloc: an aligned offset is an aligned
		 * address */
		t += (PREP_ALIGN - off % PREP_ALIGN) % PREP_ALIGN;
		memcpy(t, row->prep, row->prep_len);
		r->prep = t;
		t += row->prep_len;
	}
	if (contiguous(row)) {
		/* the usual case: one copy for every cell */
		const char *base = row->cells[0].s;
		const struct sales_cell *last = &row->cells[row->ncells - 1];
		size_t span = (size_t)(last->s - base) + last->len + 1;

		memcpy(t, base, span);
		for (size_t i = 0; i < row->ncells; i++) {
			struct sales_cell *c = &b->cells[b->ncells + i];

			c->s = t + (row->cells[i].s - base);
			c->len = row->cells[i].len;
			c->flags = row->cells[i].flags;
		}
		t += span;
	} else {
		for (size_t i = 0; i < row->ncells; i++) {
			struct sales_cell *c = &b->cells[b->ncells + i];
			uint32_t len = row->cells[i].len;

			memcpy(t, row->cells[i].s, (size_t)len + 1);
			c->s = t;
			c->len = len;
			c->flags = row->cells[i].flags;
			t += (size_t)len + 1;
		}
	}
	b->tlen = (size_t)(t - b->text);
	b->first[b->nrows] = b->ncells;
	b->states[b->nrows] = state;
	b->ncells += row->ncells;
	b->nrows++;
	return 1;
}

/* Fills b from the source; returns b->end. */
static int fill_batch(struct sales_readahead *ra, struct batch *b)
{
	b->nrows = b->ncells = b->tlen = 0;
	b->end = 0;
	for (;;) {
		const struct sales_row *row = ra->pending;
		uint32_t state = ra->pending_state;
		int rc;

		if (!row) {
			bool hungry = atomic_load_explicit(&ra->hungry,
							   memory_order_relaxed);
			bool lean = ra->lean_mode == LEAN_AUTO ? hungry :
				    ra->lean_mode == LEAN_ALWAYS ||
				    (ra->lean_mode == LEAN_ALTERNATE &&
				     ra->nrow % 2);

			if (b->nrows >= RA_BATCH_ROWS ||
			    (hungry && b->nrows >= RA_HANDOFF_ROWS))
				break;
			ra->nrow++;
			rc = ra->next(ra->src, lean, &row, &state, &b->err);
			if (rc <= 0) {
				b->end = rc == 0 ? 1 : -1;
				b->end_state = state;
				break;
			}
		}
		ra->pending = NULL;
		rc = batch_add_row(b, row, state);
		if (rc == 0) {
			ra->pending = row;   /* first in the next batch */
			ra->pending_state = state;
			break;
		}
		if (rc < 0) {
			sales_error_set(&b->err, SALES_ENOMEM, NULL, row->line, 0,
					"out of memory");
			b->end = -1;
			b->end_state = state;
			break;
		}
	}
	for (size_t i = 0; i < b->nrows; i++)
		b->rows[i].cells = b->cells + b->first[i];
	return b->end;
}

static void *producer(void *arg)
{
	struct sales_readahead *ra = arg;
	size_t tail = 0;

	for (;;) {
		int end;

		pthread_mutex_lock(&ra->mu);
		while (ra->filled == RA_BATCHES && !ra->stop)
			pthread_cond_wait(&ra->cv, &ra->mu);
		if (ra->stop) {
			pthread_mutex_unlock(&ra->mu);
			return NULL;
		}
		pthread_mutex_unlock(&ra->mu);

		end = fill_batch(ra, &ra->b[tail]);

		pthread_mutex_lock(&ra->mu);
		ra->filled++;
		pthread_cond_broadcast(&ra->cv);
		pthread_mutex_unlock(&ra->mu);
		tail = (tail + 1) % RA_BATCHES;
		if (end)
			return NULL;
	}
}

int sales_readahead_start(struct sales_readahead **out, sales_row_source next,
			  void *src, struct sales_error *err)
{
	struct sales_readahead *ra = calloc(1, sizeof(*ra));

	*out = NULL;
	if (!ra)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	ra->next = next;
	ra->src = src;
	atomic_init(&ra->hungry, false);
	if (getenv("SALES_READAHEAD_LEAN")) {
		const char *e = getenv("SALES_READAHEAD_LEAN");

		ra->lean_mode = !strcmp(e, "never") ? LEAN_NEVER :
				!strcmp(e, "always") ? LEAN_ALWAYS :
				!strcmp(e, "alternate") ? LEAN_ALTERNATE :
				LEAN_AUTO;
	}
	if (pthread_mutex_init(&ra->mu, NULL) != 0) {
		free(ra);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "cannot create a mutex");
	}
	if (pthread_cond_init(&ra->cv, NULL) != 0) {
		pthread_mutex_destroy(&ra->mu);
		free(ra);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "cannot create a condition variable");
	}
	if (pthread_create(&ra->thread, NULL, producer, ra) != 0) {
		pthread_cond_destroy(&ra->cv);
		pthread_mutex_destroy(&ra->mu);
		free(ra);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "cannot start a thread");
	}
	*out = ra;
	return 0;
}

/* ---- the consumer ---- */

static int finish(struct sales_readahead *ra, uint32_t *state,
		  struct sales_error *err)
{
	*state = ra->done_state;
	if (ra->done < 0) {
		if (err)
			*err = ra->done_err;
		return -1;
	}
	return 0;
}

int sales_readahead_next(struct sales_readahead *ra,
			 const struct sales_row **row, uint32_t *state,
			 struct sales_error *err)
{
	if (ra->done)
		return finish(ra, state, err);
	while (!ra->cur || ra->pos == ra->cur->nrows) {
		if (ra->cur) {
			if (ra->cur->end) {
				ra->done = ra->cur->end;
				ra->done_state = ra->cur->end_state;
				ra->done_err = ra->cur->err;
				return finish(ra, state, err);
			}
			pthread_mutex_lock(&ra->mu);
			ra->head = (ra->head + 1) % RA_BATCHES;
			ra->filled--;
			pthread_cond_broadcast(&ra->cv);
			pthread_mutex_unlock(&ra->mu);
			ra->cur = NULL;
		}
		pthread_mutex_lock(&ra->mu);
		if (ra->filled == 0) {
			atomic_store_explicit(&ra->hungry, true,
					      memory_order_relaxed);
			while (ra->filled == 0)
				pthread_cond_wait(&ra->cv, &ra->mu);
			atomic_store_explicit(&ra->hungry, false,
					      memory_order_relaxed);
		}
		ra->cur = &ra->b[ra->head];
		pthread_mutex_unlock(&ra->mu);
		ra->pos = 0;
	}
	*row = &ra->cur->rows[ra->pos];
	*state = ra->cur->states[ra->pos];
	ra->pos++;
	return 1;
}

const struct sales_row *sales_readahead_peek(const struct sales_readahead *ra,
					     size_t k)
{
	size_t i;

	if (!ra->cur || ra->done || !ra->pos || !k)
		return NULL;
	i = ra->pos - 1 + k;
	return i < ra->cur->nrows ? &ra->cur->rows[i] : NULL;
}

void sales_readahead_stop(struct sales_readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->mu);
	ra->stop = true;
	pthread_cond_broadcast(&ra->cv);
	pthread_mutex_unlock(&ra->mu);
	pthread_join(ra->thread, NULL);
	pthread_cond_destroy(&ra->cv);
	pthread_mutex_destroy(&ra->mu);
	for (size_t i = 0; i < RA_BATCHES; i++) {
		free(ra->b[i].text);
		free(ra->b[i].rows);
		free(ra->b[i].states);
		free(ra->b[i].first);
		free(ra->b[i].cells);
	}
	free(ra);
}

int sales_thread_count(unsigned long long bytes)
{
	const char *e = getenv("SALES_THREADS");
	long cores;

	if (e && *e) {
		char *end;
		long n = strtol(e, &end, 10);

		if (!*end && n >= 1)
			return n >= 2 ? 2 : 1;
	}
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores >= 2 && bytes >= SALES_READAHEAD_MIN ? 2 : 1;
}
