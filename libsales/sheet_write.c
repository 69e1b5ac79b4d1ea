/*
 * sheet_write.c - writing CSV files: cell escaping, atomic replace, append,
 * create (see sheet.h).
 */
#include "sheet_impl.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- writing helpers ---- */

#define BYTES_01 0x0101010101010101ull
#define BYTES_80 0x8080808080808080ull
/* non-zero when one of the 8 bytes of w is c (the has-zero-byte test) */
#define HAS_BYTE(w, c) \
	((((w) ^ (BYTES_01 * (c))) - BYTES_01) & ~((w) ^ (BYTES_01 * (c))) & BYTES_80)
#define SPECIAL(w) \
	(HAS_BYTE(w, ',') | HAS_BYTE(w, '"') | HAS_BYTE(w, '\n') | HAS_BYTE(w, '\r'))

/* It looks at every byte a writer writes, so sixteen at a time with SSE2,
 * else eight (the last block may overlap the ones before). */
bool sales_csv_needs_quotes(const char *s, size_t len)
{
	uint64_t w;

#ifdef __SSE2__
	if (len >= 16) {
		const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
		const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');

		for (size_t i = 0;;) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i m = _mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, comma),
					     _mm_cmpeq_epi8(v, quote)),
				_mm_or_si128(_mm_cmpeq_epi8(v, cr),
					     _mm_cmpeq_epi8(v, lf)));

			if (_mm_movemask_epi8(m))
				return true;
			if (i + 16 == len)
				return false;
			i = i + 32 <= len ? i + 16 : len - 16;
		}
	}
#endif
	if (len < 8) {
		for (size_t i = 0; i < len; i++)
			if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
				return true;
		return false;
	}
	for (size_t i = 0; i + 8 < len; i += 8) {
		memcpy(&w, s + i, 8);
		if (SPECIAL(w))
			return true;
	}
	memcpy(&w, s + len - 8, 8);
	return SPECIAL(w) != 0;
}

int sales_csv_field(struct sales_buf *b, const char *s, size_t len,
		    char separator)
{
	bool quote = false, escape = sales_cell_needs_escape(s, len);
	const char *end = s + len;
	char *o;

	if (separator == ',') {
		quote = sales_csv_needs_quotes(s, len);
	} else {
		for (size_t i = 0; i < len && !quote; i++)
			quote = s[i] == separator || s[i] == '"' ||
				s[i] == '\r' || s[i] == '\n';
	}
	/* a leading apostrophe: shown as text, never evaluated */
	if (escape && (s[0] == '\t' || s[0] == '\r'))
		quote = true;
	if (!quote && !escape)
		return sales_buf_add(b, s, len);
	/* at most: two quotes, the apostrophe, every byte doubled */
	if (len > ((size_t)-1 - 4) / 2 || sales_buf_grow(b, 2 * len + 3) < 0)
		return -1;
	o = b->data + b->len;
	if (quote)
		*o++ = '"';
	if (escape)
		*o++ = '\'';
	while (s < end) {
		const char *q = quote ? memchr(s, '"', (size_t)(end - s)) : NULL;
		size_t n = q ? (size_t)(q + 1 - s) : (size_t)(end - s);

		memcpy(o, s, n);
		o += n;
		s += n;
		if (q)
			*o++ = '"';
	}
	if (quote)
		*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->data);
	return 0;
}

const char *sheet_eol_text(enum sales_eol eol)
{
	return eol == SALES_EOL_LF ? "\n" : eol == SALES_EOL_CR ? "\r" : "\r\n";
}

/* Appends cells as one record in UTF-8 with the given line end. */
int sheet_add_record(struct sales_buf *b, const char *const *cells, size_t n,
		      enum sales_eol eol)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";

		if (i > 0 && sales_buf_addch(b, ',') < 0)
			return -1;
		if (sales_csv_field(b, s, strlen(s), ',') < 0)
			return -1;
	}
	return sales_buf_addstr(b, sheet_eol_text(eol));
}

/* Converts UTF-8 text to the file's encoding and appends it to out. */
int sheet_encode_to(struct sales_buf *out, const char *s, size_t len,
		     enum sales_encoding enc, const char *name,
		     struct sales_error *err)
{
	iconv_t cd;
	char *in = (char *)s;
	size_t inleft = len;

	if (enc != SALES_ENC_GB18030 || sheet_all_ascii(s, len))
		return sales_buf_add(out, s, len) < 0 ?
		       sales_error_set(err, SALES_ENOMEM, name, 0, 0,
				       "out of memory") : 0;
	cd = iconv_open("GB18030", "UTF-8");
	if (cd == (iconv_t)-1)
		return sales_error_set(err, SALES_EENCODING, name, 0, 0,
				       "iconv cannot convert to GB18030 on this system");
	while (inleft > 0) {
		char *o;
		size_t oleft;

		if (sales_buf_grow(out, inleft * 2 + 8) < 0) {
			iconv_close(cd);
			return sales_error_set(err, SALES_ENOMEM, name, 0, 0,
					       "out of memory");
		}
		o = out->data + out->len;
		oleft = out->cap - out->len - 1;
		if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 &&
		    errno != E2BIG) {
			iconv_close(cd);
			return sales_error_set(err, SALES_EENCODING, name, 0, 0,
					       "text cannot be written as GB18030");
		}
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
	}
	iconv_close(cd);
	return 0;
}

int sales_encode_text(struct sales_buf *out, const char *s, size_t len,
		      enum sales_encoding enc, struct sales_error *err)
{
	return sheet_encode_to(out, s, len, enc, NULL, err);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int sheet_fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd, rc = 0;

	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

/* The temporary file beside path that a save writes first:
 * "DIR/.NAME.tmp.PID" (see sales_temp_file_pid). */
static int temp_name(const char *path, struct sales_buf *tmp)
{
	char *dir = dir_of(path);
	const char *base = strrchr(path, '/');
	int rc;

	base = base ? base + 1 : path;
	if (!dir)
		return -1;
	rc = sales_buf_printf(tmp, "%s/.%s.tmp.%ld", dir, base, (long)getpid());
	free(dir);
	return rc;
}

/* Writes the pieces to the temporary file beside path and fsyncs it:
 * nothing visible changes yet.  On success *tmp holds its name. */
int sheet_write_temp(const char *path, const struct sales_buf *parts,
		      size_t nparts, mode_t mode, struct sales_buf *tmp,
		      struct sales_error *err)
{
	int fd = -1;

	if (temp_name(path, tmp) < 0)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	fd = open(tmp->data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0,
				"cannot create temporary file '%s': %s",
				tmp->data, strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < nparts; i++) {
		if (write_all(fd, parts[i].data ? parts[i].data : "",
			      parts[i].len) < 0) {
			sales_error_set(err, SALES_EIO, path, 0, 0,
					"cannot write: %s", strerror(errno));
			goto fail;
		}
	}
	if (fsync(fd) < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0, "cannot fsync: %s",
				strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		sales_error_set(err, SALES_EIO, path, 0, 0, "cannot write: %s",
				strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	if (tmp->len)
		unlink(tmp->data);
	sales_buf_release(tmp);
	return -1;
}

/* Renames the temporary file over path (the caller fsyncs the folder). */
int sheet_publish_temp(const char *path, struct sales_buf *tmp,
			struct sales_error *err)
{
	int rc = 0;

	if (rename(tmp->data, path) < 0) {
		rc = sales_error_set(err, SALES_EIO, path, 0, 0,
				     "cannot replace the file: %s",
				     strerror(errno));
		unlink(tmp->data);
	}
	sales_buf_release(tmp);
	return rc;
}

/* Writes the pieces to a temporary file beside path and renames it over. */
static int write_atomic_parts(const char *path, const struct sales_buf *parts,
			      size_t nparts, mode_t mode,
			      struct sales_error *err)
{
	struct sales_buf tmp = {0};

	if (sheet_write_temp(path, parts, nparts, mode, &tmp, err) < 0 ||
	    sheet_publish_temp(path, &tmp, err) < 0)
		return -1;
	sheet_fsync_dir(path);
	return 0;
}

long sales_temp_file_pid(const char *name)
{
	const char *dot = strrchr(name, '.'), *p;
	long pid = 0;

	if (name[0] != '.' || !dot || dot - name < 5 ||
	    strncmp(dot - 4, ".tmp", 4) || !dot[1])
		return 0;
	for (p = dot + 1; *p; p++) {
		if (*p < '0' || *p > '9' || pid > 99999999)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	return pid;
}

int sales_write_file_atomic(const char *path, const void *data, size_t len,
			    struct sales_error *err)
{
	struct sales_buf part = { (char *)data, len, len };
	struct stat st;
	mode_t mode = 0644;

	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	return write_atomic_parts(path, &part, 1, mode, err);
}

int sales_atomic_open(struct sales_atomic_file *f, const char *path,
		      struct sales_error *err)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (!(f->path = strdup(path)) || temp_name(path, &f->tmp) < 0)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	f->fd = open(f->tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f->fd < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot create temporary file '%s': %s",
				       f->tmp.data, strerror(errno));
	return 0;
}

int sales_atomic_write(struct sales_atomic_file *f, const void *data,
		       size_t len, struct sales_error *err)
{
	if (f->fd < 0 || write_all(f->fd, data, len) < 0)
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot write: %s", strerror(errno));
	return 0;
}

int sales_atomic_prepare(struct sales_atomic_file *f, struct sales_error *err)
{
	int fd = f->fd;

	f->fd = -1;
	if (fd < 0)
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot write: the file is not open");
	if (fsync(fd) < 0) {
		close(fd);
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot fsync: %s", strerror(errno));
	}
	if (close(fd) < 0)
		return sales_error_set(err, SALES_EIO, f->path, 0, 0,
				       "cannot write: %s", strerror(errno));
	return 0;
}

int sales_atomic_publish(struct sales_atomic_file *f, struct sales_error *err)
{
	int rc = sheet_publish_temp(f->path, &f->tmp, err);

	if (rc == 0)
		sheet_fsync_dir(f->path);
	free(f->path);
	f->path = NULL;
	return rc;
}

int sales_atomic_rename(struct sales_atomic_file *f, struct sales_error *err)
{
	int rc = sheet_publish_temp(f->path, &f->tmp, err);

	free(f->path);
	f->path = NULL;
	return rc;
}

int sales_fsync_dir_of(const char *path)
{
	return sheet_fsync_dir(path);
}

void sales_atomic_discard(struct sales_atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp.len)
		unlink(f->tmp.data);
	sales_buf_release(&f->tmp);
	free(f->path);
	f->path = NULL;
}

int sales_read_file(const char *path, char **data, size_t *len,
		    struct sales_error *err)
{
	struct sales_buf b = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "is a directory, not a file");
	}
	if (sales_buf_grow(&b, st.st_size > 0 ? (size_t)st.st_size : 4096) < 0)
		goto nomem;
	for (;;) {
		ssize_t n;

		if (sales_buf_grow(&b, 65536) < 0)
			goto nomem;
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			sales_buf_release(&b);
			return sales_error_set(err, SALES_EIO, path, 0, 0,
					       "cannot read: %s",
					       strerror(errno));
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
	}
	close(fd);
	b.data[b.len] = '\0';
	*data = sales_buf_detach(&b, len);
	return 0;
nomem:
	close(fd);
	sales_buf_release(&b);
	return sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
}

int sales_write_file_new(const char *path, const void *data, size_t len,
			 struct sales_error *err)
{
	int fd, rc = 0;

	/* O_EXCL: never replace a file that appeared meanwhile */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			return sales_error_set(err, SALES_EEXIST, path, 0, 0,
					       "already exists; not overwriting it");
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot create: %s", strerror(errno));
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = sales_error_set(err, SALES_EIO, path, 0, 0,
				     "cannot write: %s", strerror(errno));
		unlink(path);
	}
	close(fd);
	if (rc == 0)
		sheet_fsync_dir(path);
	return rc;
}

int sales_create_file(const char *path, const char *const *header, size_t n,
		      struct sales_error *err)
{
	struct sales_buf b = {0};
	int rc;

	if (sales_buf_add(&b, "\xEF\xBB\xBF", 3) < 0 ||
	    sheet_add_record(&b, header, n, SALES_EOL_CRLF) < 0) {
		sales_buf_release(&b);
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	}
	rc = sales_write_file_new(path, b.data, b.len, err);
	sales_buf_release(&b);
	return rc;
}

/* Learns the encoding, BOM and line end of an existing file from its head
 * and tail, without reading the body. */
struct file_style {
	enum sales_encoding enc;
	bool bom;
	enum sales_eol eol;
	bool ends_with_eol;
	bool empty;
};

static int probe_style(int fd, const char *name, struct file_style *st,
		       struct sales_error *err)
{
	char head[65536], tail[65536];
	ssize_t nh, nt;
	off_t size = lseek(fd, 0, SEEK_END);
	const char *eol;

	memset(st, 0, sizeof(*st));
	st->eol = SALES_EOL_CRLF;
	st->enc = SALES_ENC_UTF8;
	if (size <= 0) {
		st->empty = true;
		st->bom = true;
		st->ends_with_eol = true;
		return 0;
	}
	nh = pread(fd, head, sizeof(head), 0);
	nt = pread(fd, tail, sizeof(tail),
		   size > (off_t)sizeof(tail) ? size - (off_t)sizeof(tail) : 0);
	if (nh <= 0 || nt <= 0)
		return sales_error_set(err, SALES_EIO, name, 0, 0,
				       "cannot read: %s", strerror(errno));
	st->bom = nh >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3);
	eol = memchr(head, '\n', (size_t)nh);
	{
		const char *cr = memchr(head, '\r', eol ? (size_t)(eol - head) :
						   (size_t)nh);

		if (cr)
			st->eol = cr + 1 < head + nh && cr[1] == '\n' ?
				  SALES_EOL_CRLF : SALES_EOL_CR;
		else if (eol)
			st->eol = SALES_EOL_LF;
	}
	st->ends_with_eol = tail[nt - 1] == '\n' || tail[nt - 1] == '\r';
	if (!st->bom) {
		/* the head is cut at an arbitrary byte: only judge up to its
		 * last line end */
		size_t hn = (size_t)nh, tn = (size_t)nt;
		size_t tstart = 0;

		while (hn > 0 && head[hn - 1] != '\n' && head[hn - 1] != '\r' &&
		       (size_t)nh == sizeof(head))
			hn--;
		while (tstart < tn && size > (off_t)sizeof(tail) &&
		       tail[tstart] != '\n' && tail[tstart] != '\r')
			tstart++;
		/* the reader's rule, on what we have: the head, else the tail */
		enum sales_encoding g = sales_encoding_guess(head, hn);

		if (g == SALES_ENC_AUTO)
			g = sales_encoding_guess(tail + tstart, tn - tstart);
		if (g != SALES_ENC_AUTO)
			st->enc = g;
	}
	return 0;
}

int sales_append_rows(const char *path, const char *const *cells,
		      size_t nrows, size_t ncols, struct sales_error *err)
{
	return sales_append_rows_as(path, SALES_ENC_AUTO, cells, nrows, ncols,
				    err);
}

int sales_append_rows_as(const char *path, enum sales_encoding enc,
			 const char *const *cells, size_t nrows, size_t ncols,
			 struct sales_error *err)
{
	struct file_style style;
	struct sales_buf rec = {0}, out = {0};
	int fd = open(path, O_RDWR | O_CLOEXEC);
	off_t size;
	int rc = -1;

	if (fd < 0)
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       "cannot open for appending: %s",
				       strerror(errno));
	if (probe_style(fd, path, &style, err) < 0)
		goto out;
	if (enc != SALES_ENC_AUTO)
		style.enc = enc;
	size = lseek(fd, 0, SEEK_END);
	if (!style.ends_with_eol && sales_buf_addstr(&rec, sheet_eol_text(style.eol)) < 0)
		goto nomem;
	for (size_t i = 0; i < nrows; i++)
		if (sheet_add_record(&rec, cells + i * ncols, ncols, style.eol) < 0)
			goto nomem;
	if (sheet_encode_to(&out, rec.data, rec.len, style.enc, path, err) < 0)
		goto out;
	if (pwrite(fd, out.data, out.len, size) != (ssize_t)out.len ||
	    fsync(fd) < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0, "cannot append: %s",
				strerror(errno));
		if (ftruncate(fd, size) < 0) {
			/* nothing more we can do; the message says why */
		}
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
out:
	close(fd);
	sales_buf_release(&rec);
	sales_buf_release(&out);
	return rc;
}

