/*
 * readahead.c - the background row reader: one producer thread, a ring of
 * RA_BATCHES batches, one consumer.  A batch is filled by the producer
 * while the consumer reads the one before; the ring's order is the
 * source's order.
 */
#include "readahead.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

#define RA_BATCHES 4
#define RA_BATCH_BYTES (256u << 10)
#define RA_BATCH_ROWS 4096u

struct ra_row {
	long line, excel_row;
	off_t offset;
	size_t length;
	size_t raw;        /* offset of the raw bytes in text */
	size_t first;      /* index of its first cell in cells */
	size_t ncells;
	uint32_t state;
};

struct ra_cell {
	size_t off;        /* in text */
	uint32_t len, flags;
};

struct batch {
	struct sales_buf text;       /* raw bytes and cell text, NUL-ended */
	struct ra_row *rows;
	size_t nrows, crows;
	struct ra_cell *cells;
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
	sales_row_source next;
	void *src;
	/* consumer side */
	struct batch *cur;
	size_t pos;
	struct sales_row row;
	struct sales_cell *cells;
	size_t ccells;
	int done;                    /* 0 reading, 1 ended, -1 failed */
	uint32_t done_state;
	struct sales_error done_err;
};

/* ---- the producer ---- */

static int batch_add_row(struct batch *b, const struct sales_row *row,
			 uint32_t state)
{
	struct ra_row *r;

	if (b->nrows == b->crows) {
		size_t n = b->crows ? b->crows * 2 : 256;
		struct ra_row *p = realloc(b->rows, n * sizeof(*p));

		if (!p)
			return -1;
		b->rows = p;
		b->crows = n;
	}
	if (b->ncells + row->ncells > b->ccells) {
		size_t n = b->ccells ? b->ccells : 4096;
		struct ra_cell *p;

		while (n < b->ncells + row->ncells)
			n *= 2;
		p = realloc(b->cells, n * sizeof(*p));
		if (!p)
			return -1;
		b->cells = p;
		b->ccells = n;
	}
	r = &b->rows[b->nrows];
	r->line = row->line;
	r->excel_row = row->excel_row;
	r->offset = row->offset;
	r->length = row->length;
	r->first = b->ncells;
	r->ncells = row->ncells;
	r->state = state;
	r->raw = b->text.len;
	if (sales_buf_add(&b->text, row->raw ? row->raw : "", row->raw ? row->length : 0) < 0 ||
	    sales_buf_addch(&b->text, '\0') < 0)
		return -1;
	for (size_t i = 0; i < row->ncells; i++) {
		struct ra_cell *c = &b->cells[b->ncells++];

		c->off = b->text.len;
		c->len = row->cells[i].len;
		c->flags = row->cells[i].flags;
		if (sales_buf_add(&b->text, row->cells[i].s,
				  (size_t)row->cells[i].len + 1) < 0)
			return -1;
	}
	b->nrows++;
	return 0;
}

/* Fills b from the source; returns b->end. */
static int fill_batch(struct sales_readahead *ra, struct batch *b)
{
	b->nrows = b->ncells = 0;
	sales_buf_reset(&b->text);
	b->end = 0;
	while (b->text.len < RA_BATCH_BYTES && b->nrows < RA_BATCH_ROWS) {
		const struct sales_row *row;
		uint32_t state = 0;
		int rc = ra->next(ra->src, &row, &state, &b->err);

		if (rc <= 0) {
			b->end = rc == 0 ? 1 : -1;
			b->end_state = state;
			break;
		}
		if (batch_add_row(b, row, state) < 0) {
			sales_error_set(&b->err, SALES_ENOMEM, NULL, row->line, 0,
					"out of memory");
			b->end = -1;
			b->end_state = state;
			break;
		}
	}
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
	const struct ra_row *r;
	struct batch *b;

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
		while (ra->filled == 0)
			pthread_cond_wait(&ra->cv, &ra->mu);
		ra->cur = &ra->b[ra->head];
		pthread_mutex_unlock(&ra->mu);
		ra->pos = 0;
	}
	b = ra->cur;
	r = &b->rows[ra->pos++];
	if (r->ncells > ra->ccells) {
		size_t n = r->ncells + 16;
		struct sales_cell *p = realloc(ra->cells, n * sizeof(*p));

		if (!p) {
			ra->done = -1;
			ra->done_state = r->state;
			sales_error_set(&ra->done_err, SALES_ENOMEM, NULL,
					r->line, 0, "out of memory");
			return finish(ra, state, err);
		}
		ra->cells = p;
		ra->ccells = n;
	}
	for (size_t i = 0; i < r->ncells; i++) {
		const struct ra_cell *c = &b->cells[r->first + i];

		ra->cells[i].s = b->text.data + c->off;
		ra->cells[i].len = c->len;
		ra->cells[i].flags = c->flags;
	}
	ra->row.cells = ra->cells;
	ra->row.ncells = r->ncells;
	ra->row.line = r->line;
	ra->row.excel_row = r->excel_row;
	ra->row.offset = r->offset;
	ra->row.length = r->length;
	ra->row.raw = b->text.data + r->raw;
	*row = &ra->row;
	*state = r->state;
	return 1;
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
		sales_buf_release(&ra->b[i].text);
		free(ra->b[i].rows);
		free(ra->b[i].cells);
	}
	free(ra->cells);
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
