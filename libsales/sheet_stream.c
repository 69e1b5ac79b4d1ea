/*
 * sheet_stream.c - rewriting a sheet record by record (see sheet.h,
 * struct sales_rewrite): the bytes between replaced records are copied
 * from the original file as they are, so only a replaced record is
 * serialised again, as sales_table_prepare does for an edited row.
 */
#include "sheet_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REWRITE_FLUSH (1u << 18)

static int flush_out(struct sales_rewrite *w, struct sales_error *err)
{
	if (w->buf.len && sales_atomic_write(&w->out, w->buf.data, w->buf.len,
					     err) < 0)
		return -1;
	w->buf.len = 0;
	return 0;
}

/* The original is read REWRITE_WINDOW bytes at a time, forward, whatever
 * the records: one pread per window, not one per replaced record. */
#define REWRITE_WINDOW (1u << 18)

/* The original's bytes from off on, at least one and at most want of them,
 * read into the window if they are not there yet; NULL with err at its
 * end or on a read error.  *got says how many. */
static const char *raw_at(struct sales_rewrite *w, off_t off, size_t want,
			  size_t *got, struct sales_error *err)
{
	ssize_t n;

	if (off < w->win_off || off >= w->win_off + (off_t)w->win.len) {
		w->win.len = 0;
		if (sales_buf_grow(&w->win, REWRITE_WINDOW) < 0) {
			sales_error_set(err, SALES_ENOMEM, w->path, 0, 0,
					"out of memory");
			return NULL;
		}
		w->win.len = 0;
		w->win_off = off;
		n = pread(w->raw, w->win.data, REWRITE_WINDOW, off);
		if (n <= 0) {
			sales_error_set(err, SALES_EIO, w->path, 0, 0,
					"cannot read: %s",
					n < 0 ? strerror(errno) :
					"the file got shorter");
			return NULL;
		}
		w->win.len = (size_t)n;
	}
	*got = (size_t)(w->win_off + (off_t)w->win.len - off);
	if (*got > want)
		*got = want;
	return w->win.data + (off - w->win_off);
}

/* Copies the original's bytes [w->pos, upto) to the output. */
static int copy_raw(struct sales_rewrite *w, off_t upto,
		    struct sales_error *err)
{
	while (w->pos < upto) {
		size_t n;
		const char *p = raw_at(w, w->pos, (size_t)(upto - w->pos), &n,
				       err);

		if (!p)
			return -1;
		if (sales_buf_add(&w->buf, p, n) < 0)
			return sales_error_set(err, SALES_ENOMEM, w->path, 0,
					       0, "out of memory");
		w->pos += (off_t)n;
		if (w->buf.len >= REWRITE_FLUSH && flush_out(w, err) < 0)
			return -1;
	}
	return 0;
}

int sales_rewrite_open(struct sales_rewrite *w, const char *path,
		       struct sales_error *err)
{
	memset(w, 0, sizeof(*w));
	w->raw = -1;
	w->out.fd = -1;
	if (!(w->path = strdup(path)))
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	w->raw = open(path, O_RDONLY | O_CLOEXEC);
	if (w->raw < 0 || fstat(w->raw, &w->st) < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot open: %s", strerror(errno));
	if (sales_atomic_open(&w->out, path, err) < 0)
		return -1;
	/* the new file keeps the old one's permissions, as a table save */
	if (fchmod(w->out.fd, w->st.st_mode & 07777) < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot write: %s", strerror(errno));
	return 0;
}

/* Whether raw[off..) holds c as sales_csv_field writes it, followed by a
 * comma or the record's end (body): *end is where the field ends.  Plain
 * as read, or quoted because it holds a comma or quote, quotes doubled. */
static bool raw_is_csv(const char *raw, size_t body, size_t off,
		       const struct sales_cell *c, size_t *end)
{
	size_t k = off;

	if (c->flags)
		return false;
	if (off < body && raw[off] == '"') {
		bool needs = false;

		k++;
		for (size_t j = 0; j < c->len; j++) {
			char t = c->s[j];

			if (k >= body || raw[k] != t)
				return false;
			k++;
			if (t == '"') {
				if (k >= body || raw[k] != '"')
					return false;
				k++;
			}
			needs |= t == '"' || t == ',';
		}
		if (!needs || k >= body || raw[k] != '"')
			return false;
		k++;
	} else {
		if (c->len > body - off || memcmp(raw + off, c->s, c->len))
			return false;
		k += c->len;
	}
	*end = k;
	return k == body || raw[k] == ',';
}

/*
 * The record as sales_csv_field would write it, from its raw bytes where
 * they are already that: in UTF-8, a record on one line whose cells read
 * as they are written (raw_is_csv) goes out as copies of the runs of cells
 * kept, and only a replaced cell is written again.  Returns false, w->rec
 * undefined, when the record is not like that (the caller writes every
 * cell).
 */
static bool splice_row(struct sales_rewrite *w, const struct sales_row *row,
		       const char *const *cells, size_t n,
		       enum sales_encoding enc)
{
	const char *raw = row->raw;
	size_t body = row->length, off = 0, rs = 0, re = 0;
	bool run = false;

	if (!raw || enc == SALES_ENC_GB18030)
		return false;
	while (body && (raw[body - 1] == '\n' || raw[body - 1] == '\r'))
		body--;
	if (memchr(raw, '\n', body) || memchr(raw, '\r', body))
		return false;
	w->rec.len = 0;
	for (size_t i = 0; i < n; i++) {
		const struct sales_cell *c = i < row->ncells ? &row->cells[i] :
					     NULL;
		size_t end = 0;

		if (c && (!raw_is_csv(raw, body, off, c, &end) ||
			  (end == body && i + 1 < row->ncells)))
			return false;
		if (c && cells[i] == c->s) {
			/* kept: its bytes and the comma before it as read */
			if (!run)
				rs = i ? off - 1 : off;
			run = true;
			re = end;
		} else {
			if (run && sales_buf_add(&w->rec, raw + rs, re - rs) < 0)
				return false;
			run = false;
			if ((i > 0 && sales_buf_addch(&w->rec, ',') < 0) ||
			    sales_csv_field(&w->rec, cells[i] ? cells[i] : "",
					    strlen(cells[i] ? cells[i] : ""),
					    ',') < 0)
				return false;
		}
		if (c)
			off = end + 1;
	}
	if (run && sales_buf_add(&w->rec, raw + rs, re - rs) < 0)
		return false;
	return true;
}

int sales_rewrite_row(struct sales_rewrite *w, const struct sales_row *row,
		      const char *const *cells, size_t n,
		      enum sales_encoding enc, enum sales_eol eol,
		      struct sales_error *err)
{
	bool has_eol = false;

	if (copy_raw(w, row->offset, err) < 0)
		return -1;
	if (row->length) {
		size_t got;
		const char *last = raw_at(w, row->offset +
					  (off_t)row->length - 1, 1, &got, err);

		if (!last)
			return -1;
		has_eol = *last == '\n' || *last == '\r';
	}
	if (!splice_row(w, row, cells, n, enc)) {
		w->rec.len = 0;
		for (size_t i = 0; i < n; i++) {
			const char *s = cells[i] ? cells[i] : "";

			if ((i > 0 && sales_buf_addch(&w->rec, ',') < 0) ||
			    sales_csv_field(&w->rec, s, strlen(s), ',') < 0)
				goto nomem;
		}
	}
	/* a last record without a line end stays without one */
	if (has_eol && sales_buf_addstr(&w->rec, sheet_eol_text(eol)) < 0)
		goto nomem;
	if (sheet_encode_to(&w->buf, w->rec.data ? w->rec.data : "",
			    w->rec.len, enc, w->path, err) < 0)
		return -1;
	w->pos = row->offset + (off_t)row->length;
	w->changed++;
	if (w->buf.len >= REWRITE_FLUSH && flush_out(w, err) < 0)
		return -1;
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, w->path, 0, 0,
			       "out of memory");
}

int sales_rewrite_finish(struct sales_rewrite *w, struct sales_error *err)
{
	if (copy_raw(w, w->st.st_size, err) < 0 ||
	    flush_out(w, err) < 0 || sales_atomic_prepare(&w->out, err) < 0)
		return -1;
	close(w->raw);
	w->raw = -1;
	sales_buf_release(&w->buf);
	sales_buf_release(&w->rec);
	sales_buf_release(&w->win);
	return 0;
}

int sales_file_unchanged(const char *path, const struct stat *was,
			 struct sales_error *err)
{
	struct stat now;

	if (stat(path, &now) < 0 || now.st_dev != was->st_dev ||
	    now.st_ino != was->st_ino || now.st_size != was->st_size ||
	    now.st_mtim.tv_sec != was->st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != was->st_mtim.tv_nsec)
		return sales_error_set(err, SALES_ECHANGED, path, 0, 0,
				       "the file changed on disk after it was read (saved from Excel?); nothing written, run the command again");
	return 0;
}

int sales_rewrite_unchanged(const struct sales_rewrite *w,
			    struct sales_error *err)
{
	return sales_file_unchanged(w->path, &w->st, err);
}

void sales_rewrite_discard(struct sales_rewrite *w)
{
	if (w->raw >= 0)
		close(w->raw);
	w->raw = -1;
	sales_atomic_discard(&w->out);
	sales_buf_release(&w->buf);
	sales_buf_release(&w->rec);
	sales_buf_release(&w->win);
	free(w->path);
	w->path = NULL;
}
