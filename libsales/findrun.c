/*
 * findrun.c - sorted runs of findings in a temporary file (findrun.h).
 *
 * Each finding is a fixed header and its three strings without their NULs.
 * Reading gives every run an 8 KiB window of the file (pread), so the merge
 * holds runs x 8 KiB however long the runs are (a million findings: 62
 * runs, half a MiB).
 */
#include "findrun.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "schema.h"

#define WINDOW (8 * 1024)
#define NO_EXPLAIN UINT32_MAX

struct rec {
	int64_t line, excel_row;
	int32_t column;
	uint8_t check, severity, sheet, pad;
	uint32_t clen, mlen, elen;   /* elen NO_EXPLAIN: no explanation */
};

struct run {
	off_t pos, end;           /* what is left of the run in the file */
	char *win;                /* the window: win[at..have) not yet read */
	size_t at, have;
	struct sales_finding f;   /* the current finding */
	struct sales_buf strs;    /* its customer, message, explain */
	size_t index;             /* the run's number: ties go to the lower */
};

struct sales_findrun {
	FILE *out;
	int fd;
	off_t size;
	struct run *runs;
	size_t nruns, cap;
	struct run **heap;        /* the runs with a current finding */
	size_t nheap;
	struct run *last;         /* the run whose finding was yielded */
	bool reading;
};

/* Each check's place when the checks are sorted by name: comparing ranks
 * is comparing the names (they are distinct). */
static uint8_t check_rank[SALES_NCHECKS];
static pthread_once_t rank_once = PTHREAD_ONCE_INIT;

static void rank_init(void)
{
	for (int i = 0; i < SALES_NCHECKS; i++) {
		int r = 0;

		for (int j = 0; j < SALES_NCHECKS; j++)
			r += strcmp(sales_check_defs[j].name,
				    sales_check_defs[i].name) < 0;
		check_rank[i] = (uint8_t)r;
	}
}

/* A finding as the order of findings sees it, and its place in a batch,
 * which breaks ties (the order findings were made): findings go by sheet,
 * line, column, check name, severity, message. */
struct sortkey {
	int64_t line;
	int32_t column;
	uint8_t sheet, rank, severity, pad;
	uint32_t i;
	const char *message;
};

static struct sortkey sortkey_of(const struct sales_finding *f, size_t i)
{
	return (struct sortkey){
		.line = f->line, .column = f->column,
		.sheet = (uint8_t)f->sheet,
		.rank = check_rank[f->check],
		.severity = (uint8_t)f->severity,
		.i = (uint32_t)i, .message = f->message,
	};
}

/* The one order of findings (without the tie-break). */
static int key_cmp(const struct sortkey *a, const struct sortkey *b)
{
	if (a->sheet != b->sheet)
		return a->sheet < b->sheet ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	return strcmp(a->message, b->message);
}

int sales_finding_cmp(const void *pa, const void *pb)
{
	struct sortkey a, b;

	pthread_once(&rank_once, rank_init);
	a = sortkey_of(pa, 0);
	b = sortkey_of(pb, 0);
	return key_cmp(&a, &b);
}

static int sortkey_cmp(const void *pa, const void *pb)
{
	const struct sortkey *a = pa, *b = pb;
	int d = key_cmp(a, b);

	if (d)
		return d;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int write_error(struct sales_error *err)
{
	return sales_error_set(err, SALES_EIO, NULL, 0, 0,
			       "cannot write the temporary file of findings: %s",
			       strerror(errno));
}

static int read_error(struct sales_error *err)
{
	return sales_error_set(err, SALES_EIO, NULL, 0, 0,
			       "cannot read the temporary file of findings: %s",
			       strerror(errno));
}

int sales_findrun_open(struct sales_findrun **out, struct sales_error *err)
{
	const char *tmp = getenv("TMPDIR");
	struct sales_findrun *fr;
	struct sales_buf path = { 0 };
	int fd;

	*out = NULL;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (sales_buf_printf(&path, "%s/sales-findings-XXXXXX", tmp) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	fd = mkstemp(path.data);
	if (fd < 0) {
		sales_buf_release(&path);
		return sales_error_set(err, SALES_EIO, NULL, 0, 0,
				       "cannot create a temporary file of findings in %s: %s",
				       tmp, strerror(errno));
	}
	unlink(path.data);
	sales_buf_release(&path);
	fr = calloc(1, sizeof(*fr));
	if (!fr || !(fr->out = fdopen(fd, "w+b"))) {
		free(fr);
		close(fd);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	fr->fd = fd;
	*out = fr;
	return 0;
}

size_t sales_findrun_count(const struct sales_findrun *fr)
{
	return fr->nruns;
}

int sales_findrun_add(struct sales_findrun *fr, struct sales_finding *f,
		      size_t n, struct sales_error *err)
{
	struct sortkey *key;
	struct sales_buf out = { 0 };
	bool sorted = true;
	struct run *r;
	int rc = 0;

	if (!n)
		return 0;
	if (n > UINT32_MAX)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (SALES_ALLOC_GROW(fr->runs, fr->nruns + 1, fr->cap) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	key = malloc(n * sizeof(*key));
	if (!key)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	pthread_once(&rank_once, rank_init);
	/* sorted as sales_finding_cmp sorts, ties in the order given: the
	 * keys only (most runs come sorted, made in file order) */
	for (size_t i = 0; i < n; i++) {
		key[i] = sortkey_of(&f[i], i);
		if (sorted && i && sortkey_cmp(&key[i - 1], &key[i]) > 0)
			sorted = false;
	}
	if (!sorted)
		qsort(key, n, sizeof(*key), sortkey_cmp);
	r = &fr->runs[fr->nruns];
	memset(r, 0, sizeof(*r));
	r->index = fr->nruns;
	r->pos = fr->size;
	/* the run's records gathered in out, written WINDOW at a time */
	for (size_t j = 0; j < n && rc == 0; j++) {
		const struct sales_finding *k = &f[key[j].i];
		struct rec h = {
			.line = k->line, .excel_row = k->excel_row,
			.column = k->column, .check = (uint8_t)k->check,
			.severity = (uint8_t)k->severity,
			.sheet = (uint8_t)k->sheet,
			.clen = (uint32_t)strlen(k->customer),
			.mlen = (uint32_t)strlen(k->message),
			.elen = k->explain ? (uint32_t)strlen(k->explain) :
				NO_EXPLAIN,
		};

		if (sales_buf_add(&out, &h, sizeof(h)) < 0 ||
		    sales_buf_add(&out, k->customer, h.clen) < 0 ||
		    sales_buf_add(&out, k->message, h.mlen) < 0 ||
		    (k->explain && sales_buf_add(&out, k->explain, h.elen) < 0))
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					     "out of memory");
		else if ((out.len >= WINDOW || j + 1 == n) &&
			 fwrite(out.data, 1, out.len, fr->out) != out.len)
			rc = write_error(err);
		else if (out.len >= WINDOW || j + 1 == n) {
			fr->size += (off_t)out.len;
			sales_buf_reset(&out);
		}
	}
	free(key);
	sales_buf_release(&out);
	if (rc < 0)
		return rc;
	r->end = fr->size;
	fr->nruns++;
	return 0;
}

/* Copies n bytes of run r to dst (NULL: into r->strs), refilling its
 * window.  0, or -1 with errno set (EIO at a short file). */
static int run_read(struct sales_findrun *fr, struct run *r, void *dst,
		    size_t n)
{
	while (n) {
		size_t k;

		if (r->at == r->have) {
			size_t want = WINDOW;
			ssize_t got;

			if ((off_t)want > r->end - r->pos)
				want = (size_t)(r->end - r->pos);
			if (!want) {
				errno = EIO;
				return -1;
			}
			got = pread(fr->fd, r->win, want, r->pos);
			if (got <= 0) {
				if (got == 0)
					errno = EIO;
				return -1;
			}
			r->pos += got;
			r->at = 0;
			r->have = (size_t)got;
		}
		k = r->have - r->at;
		if (k > n)
			k = n;
		if (dst) {
			memcpy(dst, r->win + r->at, k);
			dst = (char *)dst + k;
		} else if (sales_buf_add(&r->strs, r->win + r->at, k) < 0) {
			errno = ENOMEM;
			return -1;
		}
		r->at += k;
		n -= k;
	}
	return 0;
}

/* Reads run r's next finding into r->f.  1, 0 at the run's end, -1. */
static int run_next(struct sales_findrun *fr, struct run *r)
{
	struct rec h;
	size_t moff, eoff = 0;

	if (r->at == r->have && r->pos == r->end)
		return 0;
	sales_buf_reset(&r->strs);
	if (run_read(fr, r, &h, sizeof(h)) < 0 ||
	    run_read(fr, r, NULL, h.clen) < 0 ||
	    sales_buf_addch(&r->strs, '\0') < 0)
		return -1;
	moff = r->strs.len;
	if (run_read(fr, r, NULL, h.mlen) < 0 ||
	    sales_buf_addch(&r->strs, '\0') < 0)
		return -1;
	if (h.elen != NO_EXPLAIN) {
		eoff = r->strs.len;
		if (run_read(fr, r, NULL, h.elen) < 0 ||
		    sales_buf_addch(&r->strs, '\0') < 0)
			return -1;
	}
	memset(&r->f, 0, sizeof(r->f));
	r->f.check = (enum sales_check_id)h.check;
	r->f.severity = (enum sales_severity)h.severity;
	r->f.sheet = (enum sales_sheet_id)h.sheet;
	r->f.file = sales_sheet_def(r->f.sheet)->file;
	r->f.line = (long)h.line;
	r->f.excel_row = (long)h.excel_row;
	r->f.column = (int)h.column;
	sales_cell_ref(r->f.column, r->f.excel_row, r->f.cell);
	r->f.customer = r->strs.data;
	r->f.message = r->strs.data + moff;
	r->f.explain = h.elen != NO_EXPLAIN ? r->strs.data + eoff : NULL;
	return 1;
}

static bool before(const struct run *a, const struct run *b)
{
	int d = sales_finding_cmp(&a->f, &b->f);

	return d < 0 || (d == 0 && a->index < b->index);
}

static void sift_down(struct sales_findrun *fr, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct run *t;

		if (l < fr->nheap && before(fr->heap[l], fr->heap[m]))
			m = l;
		if (l + 1 < fr->nheap && before(fr->heap[l + 1], fr->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		t = fr->heap[i];
		fr->heap[i] = fr->heap[m];
		fr->heap[m] = t;
		i = m;
	}
}

static int start_reading(struct sales_findrun *fr, struct sales_error *err)
{
	fr->reading = true;
	if (fflush(fr->out) != 0)
		return write_error(err);
	fr->heap = calloc(fr->nruns + 1, sizeof(*fr->heap));
	if (!fr->heap)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < fr->nruns; i++) {
		struct run *r = &fr->runs[i];
		int rc;

		r->win = malloc(WINDOW);
		if (!r->win)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		rc = run_next(fr, r);
		if (rc < 0)
			return read_error(err);
		if (rc > 0)
			fr->heap[fr->nheap++] = r;
	}
	for (size_t i = fr->nheap / 2; i-- > 0;)
		sift_down(fr, i);
	return 0;
}

int sales_findrun_next(struct sales_findrun *fr,
		       const struct sales_finding **f, struct sales_error *err)
{
	if (!fr->reading) {
		if (start_reading(fr, err) < 0)
			return -1;
	} else if (fr->last) {
		int rc = run_next(fr, fr->last);

		if (rc < 0)
			return read_error(err);
		if (rc == 0)
			fr->heap[0] = fr->heap[--fr->nheap];
		if (fr->nheap)
			sift_down(fr, 0);
	}
	fr->last = NULL;
	if (!fr->nheap)
		return 0;
	fr->last = fr->heap[0];
	*f = &fr->last->f;
	return 1;
}

void sales_findrun_close(struct sales_findrun *fr)
{
	if (!fr)
		return;
	for (size_t i = 0; i < fr->nruns; i++) {
		free(fr->runs[i].win);
		sales_buf_release(&fr->runs[i].strs);
	}
	free(fr->runs);
	free(fr->heap);
	if (fr->out)
		fclose(fr->out);
	free(fr);
}
