#include "workbook.h"
#include "buf.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *sales_path_join(const char *dir, const char *file)
{
	size_t dl = strlen(dir), fl = strlen(file);
	char *p = malloc(dl + fl + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (dl > 0 && dir[dl - 1] != '/')
		p[dl++] = '/';
	memcpy(p + dl, file, fl + 1);
	return p;
}

static bool file_exists(const char *dir, const char *file)
{
	char *p = sales_path_join(dir, file);
	struct stat st;
	bool ok = p && stat(p, &st) == 0;

	free(p);
	return ok;
}

bool sales_sheet_exists(const char *dir, enum sales_sheet_id id)
{
	return file_exists(dir, sales_sheet_def(id)->file);
}

/* The lock file's name beside path: dir + prefix + name + suffix. */
static void lock_name(const char *path, const char *prefix, const char *suffix,
		      char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (slash)
		snprintf(out, cap, "%.*s%s%s%s", (int)(slash - path + 1), path,
			 prefix, slash + 1, suffix);
	else
		snprintf(out, cap, "%s%s%s", prefix, path, suffix);
}

/* Copies field n (0-based, comma-separated, up to ';' or a line end) */
static void lo_field(const char *line, int n, char *out, size_t cap)
{
	const char *p = line;
	size_t k = 0;

	for (int i = 0; i < n && *p; p++)
		if (*p == ',')
			i++;
		else if (*p == ';' || *p == '\n')
			return;
	while (*p && *p != ',' && *p != ';' && *p != '\n' && *p != '\r' &&
	       k + 1 < cap)
		out[k++] = *p++;
	out[k] = '\0';
}

/* Excel's and WPS's owner file: byte 0 the name's length, the name; from
 * byte 54 the length again, a NUL, the name in UTF-16LE. */
static void excel_owner(const unsigned char *b, size_t n, char *out, size_t cap)
{
	size_t len = n > 0 ? b[0] : 0, k = 0;

	out[0] = '\0';
	if (n >= 56 && b[54] == len && len > 0 && 56 + 2 * len <= n) {
		for (size_t i = 0; i < len && k + 4 < cap; i++) {
			unsigned cp = b[56 + 2 * i] | (unsigned)b[57 + 2 * i] << 8;

			if (cp < 0x80) {
				out[k++] = (char)cp;
			} else if (cp < 0x800) {
				out[k++] = (char)(0xC0 | cp >> 6);
				out[k++] = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0xD800 || cp > 0xDFFF) {
				out[k++] = (char)(0xE0 | cp >> 12);
				out[k++] = (char)(0x80 | (cp >> 6 & 0x3F));
				out[k++] = (char)(0x80 | (cp & 0x3F));
			}
		}
		out[k] = '\0';
		return;
	}
	if (len > 0 && len < 54 && len < n) {
		for (size_t i = 1; i <= len; i++)
			if (b[i] < 0x20 || b[i] >= 0x7F)
				return;
		snprintf(out, cap, "%.*s", (int)len, (const char *)b + 1);
	}
}

static size_t read_head(const char *path, unsigned char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, cap);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

bool sales_file_open_by(const char *path, struct sales_open_by *who)
{
	char lock[4096];
	unsigned char buf[512];
	struct stat st;
	size_t n;
	struct sales_open_by dummy;

	if (!who)
		who = &dummy;
	memset(who, 0, sizeof(*who));
	lock_name(path, ".~lock.", "#", lock, sizeof(lock));
	if (stat(lock, &st) == 0) {
		who->program = "LibreOffice";
		snprintf(who->lock, sizeof(who->lock), "%.200s",
			 strrchr(lock, '/') ? strrchr(lock, '/') + 1 : lock);
		n = read_head(lock, buf, sizeof(buf) - 1);
		buf[n] = '\0';
		lo_field((const char *)buf, 0, who->user, sizeof(who->user));
		if (!who->user[0])
			lo_field((const char *)buf, 1, who->user,
				 sizeof(who->user));
		lo_field((const char *)buf, 2, who->host, sizeof(who->host));
		lo_field((const char *)buf, 3, who->since, sizeof(who->since));
		return true;
	}
	lock_name(path, "~$", "", lock, sizeof(lock));
	if (stat(lock, &st) == 0) {
		who->program = "Excel or WPS";
		snprintf(who->lock, sizeof(who->lock), "%.200s",
			 strrchr(lock, '/') ? strrchr(lock, '/') + 1 : lock);
		n = read_head(lock, buf, sizeof(buf));
		excel_owner(buf, n, who->user, sizeof(who->user));
		return true;
	}
	return false;
}

bool sales_file_open_in_excel(const char *path)
{
	return sales_file_open_by(path, NULL);
}

int sales_workbook_newer_copies(const char *dir,
				void (*fn)(const char *sheet, const char *copy,
					   const char *kind, void *ud),
				void *ud)
{
	static const struct {
		const char *ext, *kind;
	} kinds[] = {
		{ ".xlsx", N_("Excel workbook (.xlsx)") },
		{ ".xls", N_("old Excel workbook (.xls)") },
		{ ".ods", N_("OpenDocument spreadsheet (.ods, LibreOffice)") },
		{ ".et", N_("WPS spreadsheet (.et)") },
	};
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		const char *name = e->d_name, *dot = strrchr(name, '.');
		size_t k;

		if (!dot || name[0] < '0' || name[0] > '9' || name[1] < '0' ||
		    name[1] > '9' || name[2] != '-')
			continue;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (!strcasecmp(dot, kinds[k].ext))
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			continue;
		for (int id = 0; id < SALES_NSHEETS; id++) {
			const char *file = sales_sheet_def((enum sales_sheet_id)id)->file;
			char *sp, *cp;
			struct stat ss, cs;
			bool newer;

			if (strncmp(file, name, 3))
				continue;
			sp = sales_path_join(dir, file);
			cp = sales_path_join(dir, name);
			newer = sp && cp && stat(sp, &ss) == 0 &&
				stat(cp, &cs) == 0 &&
				(cs.st_mtim.tv_sec > ss.st_mtim.tv_sec ||
				 (cs.st_mtim.tv_sec == ss.st_mtim.tv_sec &&
				  cs.st_mtim.tv_nsec > ss.st_mtim.tv_nsec));
			free(sp);
			free(cp);
			if (newer) {
				found++;
				if (fn)
					fn(file, name, kinds[k].kind, ud);
			}
		}
	}
	closedir(d);
	return found;
}

int sales_workbook_find(const char *explicit_dir, char **out,
			struct sales_error *err)
{
	const char *env = getenv("SALES_DIR");
	char cwd[PATH_MAX];
	size_t n;

	*out = NULL;
	if (explicit_dir || (env && *env)) {
		const char *d = explicit_dir ? explicit_dir : env;
		struct stat st;

		if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode))
			return sales_error_set(err, SALES_ENOTFOUND, d, 0, 0,
					       "not a folder%s",
					       explicit_dir ? "" :
					       _(" (from $SALES_DIR)"));
		*out = strdup(d);
		return *out ? 0 : sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
						  "out of memory");
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return sales_error_set(err, SALES_EIO, NULL, 0, 0,
				       "cannot read the current folder: %s",
				       strerror(errno));
	for (;;) {
		if (file_exists(cwd, sales_sheet_def(SALES_LEADS)->file)) {
			*out = strdup(cwd);
			return *out ? 0 :
			       sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
		}
		n = strlen(cwd);
		if (n <= 1)
			break;
		while (n > 1 && cwd[n - 1] != '/')
			n--;
		cwd[n > 1 ? n - 1 : 1] = '\0';
	}
	return sales_error_set(err, SALES_ENOTFOUND, NULL, 0, 0,
			       "not in a workbook: no 01-leads.csv here or in any parent folder (use -C DIR, set SALES_DIR, or run 'sales init')");
}

sales_date sales_today(struct sales_error *err)
{
	const char *env = getenv("SALES_TODAY");
	sales_date d;
	time_t now;
	struct tm tm;

	if (env && *env) {
		if (sales_parse_date(env, strlen(env), &d) != SALES_VALUE_OK) {
			sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
					"SALES_TODAY='%s' is not a date (expected YYYY-MM-DD)",
					env);
			return SALES_DATE_NONE;
		}
		return d;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	return sales_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- lock ---- */

int sales_remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		long pid = sales_temp_file_pid(e->d_name);
		char *path;

		if (pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		path = sales_path_join(dir, e->d_name);
		if (path && unlink(path) == 0)
			removed++;
		free(path);
	}
	closedir(d);
	return removed;
}

const char *sales_user(void)
{
	const char *u = getenv("SALES_USER");
	struct passwd *pw;

	if (u && *u)
		return u;
	u = getlogin();
	if (u && *u)
		return u;
	pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

/* Copies the field at s up to a byte of stop (or the end) into out. */
static const char *lock_field(const char *s, const char *stop, char *out,
			      size_t cap)
{
	size_t n = strcspn(s, stop);

	snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
	return s + n;
}

void sales_lock_holder_parse(const char *text, struct sales_lock_holder *h)
{
	char *end;
	const char *p;

	memset(h, 0, sizeof(*h));
	h->pid = strtol(text, &end, 10);
	if (end == text || h->pid < 0)
		h->pid = 0;
	p = *end == ' ' ? end + 1 : end;
	p = lock_field(p, "\t\n", h->what, sizeof(h->what));
	if (*p == '\t')
		p = lock_field(p + 1, "\t\n", h->user, sizeof(h->user));
	if (*p == '\t')
		lock_field(p + 1, "\t\n", h->since, sizeof(h->since));
}

static sales_lock_wait_fn lock_wait_fn;
static void *lock_wait_ud;

void sales_set_lock_wait_handler(sales_lock_wait_fn fn, void *ud)
{
	lock_wait_fn = fn;
	lock_wait_ud = ud;
}

static void read_holder(int fd, struct sales_lock_holder *h)
{
	char buf[512];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	sales_lock_holder_parse(buf, h);
}

void sales_lock_holder_text(const struct sales_lock_holder *h, char *buf,
			    size_t cap)
{
	char details[320];
	size_t n;

	if (h->pid <= 0) {
		snprintf(buf, cap, "%s", _("unknown holder"));
		return;
	}
	n = (size_t)snprintf(details, sizeof(details), "%s",
			     h->what[0] ? h->what : _("unknown command"));
	if (h->user[0] && n < sizeof(details))
		n += (size_t)snprintf(details + n, sizeof(details) - n,
				      _(", run by %s"), h->user);
	if (h->since[0] && n < sizeof(details))
		snprintf(details + n, sizeof(details) - n, _(" since %s"),
			 h->since);
	snprintf(buf, cap, _("process %ld (%s)"), h->pid, details);
}

int sales_lock_acquire(struct sales_lock *lk, const char *dir, const char *what,
		       int timeout_ms, struct sales_error *err)
{
	char *path = sales_path_join(dir, ".sales.lock");
	char buf[512];
	struct sales_lock_holder h;
	ssize_t n;
	long waited = 0, told = -1;
	struct timespec t0, now;

	memset(lk, 0, sizeof(*lk));
	lk->fd = -1;
	if (!path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (timeout_ms < 0) {
		const char *env = getenv("SALES_LOCK_TIMEOUT");

		timeout_ms = env && *env ? atoi(env) * 1000 : 10000;
	}
	lk->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lk->fd < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0,
				"cannot open the workbook lock: %s",
				strerror(errno));
		free(path);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(lk->fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			sales_error_set(err, SALES_EIO, path, 0, 0,
					"cannot lock the workbook: %s",
					strerror(errno));
			goto fail;
		}
		if (waited >= timeout_ms) {
			read_holder(lk->fd, &h);
			if (lock_wait_fn && waited > 0)
				lock_wait_fn(&h, waited, timeout_ms, true, false,
					     lock_wait_ud);
			sales_lock_holder_text(&h, buf, sizeof(buf));
			sales_error_set(err, SALES_ELOCKED, NULL, 0, 0,
					"the workbook is busy: %s holds %s; try again when it has finished",
					buf, path);
			goto fail;
		}
		if (lock_wait_fn && (told < 0 || waited - told >= 250)) {
			told = waited;
			read_holder(lk->fd, &h);
			lock_wait_fn(&h, waited, timeout_ms, false, false,
				     lock_wait_ud);
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		/* the time really waited, however late each sleep wakes */
		clock_gettime(CLOCK_MONOTONIC, &now);
		waited = (long)(now.tv_sec - t0.tv_sec) * 1000 +
			 (now.tv_nsec - t0.tv_nsec) / 1000000;
	}
	if (lock_wait_fn && waited > 0) {
		memset(&h, 0, sizeof(h));
		lock_wait_fn(&h, waited, timeout_ms, true, true, lock_wait_ud);
	}
	/* a pid still recorded means its holder died without releasing */
	n = pread(lk->fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		sales_lock_holder_parse(buf, &h);
		if (h.pid > 0 && h.pid != (long)getpid()) {
			lk->stale_pid = h.pid;
			snprintf(lk->stale_what, sizeof(lk->stale_what), "%s",
				 h.what);
		}
	}
	{
		time_t stamp = time(NULL);
		struct tm tm;
		char since[32] = "";

		if (localtime_r(&stamp, &tm))
			strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm);
		n = snprintf(buf, sizeof(buf), "%ld %s\t%s\t%s\n", (long)getpid(),
			     what ? what : "sales", sales_user(), since);
	}
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (ssize_t)strlen(buf);
	if (ftruncate(lk->fd, 0) < 0 || pwrite(lk->fd, buf, (size_t)n, 0) < 0) {
		/* the lock holds without the note; only the message suffers */
	}
	free(path);
	return 0;
fail:
	close(lk->fd);
	lk->fd = -1;
	free(path);
	return -1;
}

void sales_lock_release(struct sales_lock *lk)
{
	if (lk->fd < 0)
		return;
	if (ftruncate(lk->fd, 0) < 0) {
		/* a leftover note is reported as stale next time: harmless */
	}
	close(lk->fd);
	lk->fd = -1;
}

/* ---- sheet readers ---- */

struct sales_sheet_reader {
	struct sales_reader *reader;
	const struct sales_sheet_def *def;
	struct sales_colmap map;
	struct sales_filldown fill;
	struct sales_record rec;
	char *name;
	sales_record_prepare_fn prep_fn;
	void *prep_ud;
	/* without a parsing thread, prep_fn runs here on rec (its row copied
	 * to row_here to carry the result, prep_buf, prep_size bytes) */
	struct sales_row row_here;
	void *prep_buf;
	size_t prep_size;
};

/* A header that failed to bind and is one cell: perhaps a title row. */
static bool title_row_above(const struct sales_row *header)
{
	return header->ncells == 1;
}

int sales_sheet_open_path(const char *path, const char *display,
			  const struct sales_sheet_def *def,
			  enum sales_encoding enc,
			  struct sales_sheet_reader **out,
			  struct sales_error *err)
{
	struct sales_sheet_reader *r = calloc(1, sizeof(*r));
	struct sales_read_options opt = { enc, display, false };

	*out = NULL;
	if (!r || !(r->name = strdup(display ? display : path))) {
		free(r);
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	}
	r->def = def;
	if (sales_reader_open(path, &opt, &r->reader, err) < 0)
		goto fail;
	if (def && sales_colmap_bind(&r->map, def,
				     sales_reader_header(r->reader), r->name,
				     err) < 0) {
		/* a one-cell first row may be a title above the header */
		struct sales_error first;

		if (!err || !title_row_above(sales_reader_header(r->reader)))
			goto fail;
		first = *err;
		sales_reader_close(r->reader);
		opt.skip_title_row = true;
		if (sales_reader_open(path, &opt, &r->reader, err) < 0 ||
		    sales_colmap_bind(&r->map, def,
				      sales_reader_header(r->reader), r->name,
				      err) < 0) {
			*err = first;
			goto fail;
		}
	}
	*out = r;
	return 0;
fail:
	sales_sheet_close(r);
	return -1;
}

int sales_sheet_open(const char *dir, enum sales_sheet_id id,
		     enum sales_encoding enc, struct sales_sheet_reader **out,
		     struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	char *path = sales_path_join(dir, def->file);
	struct stat st;
	int rc;

	*out = NULL;
	if (!path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (stat(path, &st) < 0) {
		free(path);
		return sales_error_set(err, SALES_ENOTFOUND, def->file, 0, 0,
				       "no such sheet in the workbook");
	}
	rc = sales_sheet_open_path(path, def->file, def, enc, out, err);
	free(path);
	return rc;
}

static void prepare_record(void *ud, const struct sales_row *row, void *out);

int sales_sheet_next(struct sales_sheet_reader *r,
		     const struct sales_record **rec, struct sales_error *err)
{
	const struct sales_row *row;
	int rc = sales_reader_next(r->reader, &row, err);

	if (rc <= 0)
		return rc;
	if (!r->def) {
		memset(&r->rec, 0, sizeof(r->rec));
		r->rec.row = row;
	} else if (sales_record_from_row(&r->rec, &r->map, row, &r->fill) < 0) {
		return sales_error_set(err, SALES_ENOMEM, r->name, row->line, 0,
				       "out of memory");
	} else if (r->prep_fn && !row->prep) {
		/* no parsing thread made it: the same work here, on the
		 * record itself, or for a continuation on the record without
		 * fill-down the thread would have seen (prepare_record) */
		r->row_here = *row;
		if (!r->rec.continuation)
			r->prep_fn(r->prep_ud, &r->rec, r->prep_buf);
		else
			prepare_record(r, row, r->prep_buf);
		r->row_here.prep = r->prep_buf;
		r->row_here.prep_len = (uint32_t)r->prep_size;
		r->rec.row = &r->row_here;
	}
	*rec = &r->rec;
	return 1;
}

/* In the parsing thread (or for a continuation in the caller's, as the
 * thread would): reads only r->map and the prep function. */
static void prepare_record(void *ud, const struct sales_row *row, void *out)
{
	const struct sales_sheet_reader *r = ud;
	struct sales_record rec;

	if (sales_record_from_row(&rec, &r->map, row, NULL) < 0)
		return;   /* without fill-down it cannot fail */
	r->prep_fn(r->prep_ud, &rec, out);
}

int sales_sheet_set_prepare(struct sales_sheet_reader *r,
			    sales_record_prepare_fn fn, void *ud, size_t size)
{
	void *buf = NULL;

	if (!r->def || size > SALES_PREP_MAX || r->map.nfill)
		return -1;
	/* max_align_t-aligned, as malloc's: prep may hold any scalar */
	if (fn && size && !(buf = malloc(size)))
		return -1;
	if (sales_reader_set_prepare(r->reader, fn ? prepare_record : NULL,
				     r, size) < 0) {
		free(buf);
		return -1;
	}
	free(r->prep_buf);
	r->prep_fn = fn;
	r->prep_ud = ud;
	r->prep_buf = buf;
	r->prep_size = fn ? size : 0;
	return 0;
}

int sales_sheet_set_filter(struct sales_sheet_reader *r, int col,
			   const char *text)
{
	const struct sales_sheet_def *def = r->def;
	int key = -1;

	if (!def || col < 0 || (size_t)col >= def->ncolumns ||
	    r->map.file_col[col] < 0)
		return 0;
	/* fill-down (sales_record_from_row): column 0 blank continues the
	 * record before, whose fill-down columns it takes */
	if ((def->columns[0].flags & SALES_COLF_FILL_DOWN) &&
	    r->map.file_col[0] >= 0 &&
	    (def->columns[col].flags & SALES_COLF_FILL_DOWN)) {
		if (col != 0)
			return 0;
		key = r->map.file_col[0];
	}
	return sales_reader_set_filter(r->reader, text, key);
}

const struct sales_row *sales_sheet_peek(const struct sales_sheet_reader *r,
					 size_t k)
{
	return sales_reader_peek(r->reader, k);
}

void sales_sheet_readahead_when(struct sales_sheet_reader *r,
				const _Atomic bool *go)
{
	sales_reader_readahead_when(r->reader, go);
}

int sales_sheet_set_columns(struct sales_sheet_reader *r, const int *cols,
			    size_t n)
{
	const struct sales_sheet_def *def = r->def;
	bool keep[SALES_MAX_COLS] = { false }, want[SALES_MAX_COLS] = { false };
	int f;

	if (!def)
		return 0;
	if (r->prep_fn)
		return -1;   /* prepare_record fills a record of its own */
	for (size_t i = 0; i <= n; i++) {
		/* and column 0: blank, it continues the record before */
		int col = i < n ? cols[i] : 0;

		if (col < 0 || (size_t)col >= def->ncolumns)
			continue;
		want[col] = true;
		if ((f = r->map.file_col[col]) >= 0 && f < SALES_MAX_COLS)
			keep[f] = true;
	}
	if (sales_reader_set_columns(r->reader, keep, SALES_MAX_COLS) < 0)
		return -1;
	/* the columns not read are "" in every record: set once */
	r->map.nfill = 0;
	for (size_t i = 0; i < def->ncolumns; i++) {
		r->rec.v[i] = "";
		r->rec.filled[i] = false;
		if (want[i])
			r->map.fill[r->map.nfill++] = (unsigned char)i;
	}
	return 0;
}

const struct sales_colmap *sales_sheet_colmap(const struct sales_sheet_reader *r)
{
	return &r->map;
}

const struct sales_row *sales_sheet_header(const struct sales_sheet_reader *r)
{
	return sales_reader_header(r->reader);
}

const char *sales_sheet_name(const struct sales_sheet_reader *r)
{
	return r->name;
}

const struct sales_reader *sales_sheet_file(const struct sales_sheet_reader *r)
{
	return r->reader;
}

void sales_sheet_close(struct sales_sheet_reader *r)
{
	if (!r)
		return;
	sales_reader_close(r->reader);
	sales_colmap_release(&r->map);
	sales_filldown_release(&r->fill);
	free(r->prep_buf);
	free(r->name);
	free(r);
}

/* ---- tables through the schema ---- */

int sales_sheet_table_load(struct sales_sheet_table *st, const char *dir,
			   enum sales_sheet_id id, enum sales_encoding enc,
			   struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	char *path = sales_path_join(dir, def->file);
	struct sales_read_options opt = { enc, def->file, false };
	struct stat sb;

	memset(st, 0, sizeof(*st));
	st->def = def;
	if (!path || !(st->name = strdup(def->file))) {
		free(path);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	}
	if (stat(path, &sb) < 0) {
		free(path);
		return sales_error_set(err, SALES_ENOTFOUND, def->file, 0, 0,
				       "no such sheet in the workbook");
	}
	if (sales_table_load(path, &opt, &st->table, err) < 0 ||
	    sales_colmap_bind(&st->map, def, sales_table_header(st->table),
			      st->name, err) < 0) {
		/* a title row above the header: its one cell makes the load
		 * fail ("cell outside the table") or the bind; read again
		 * with the title skipped, else the first error stands */
		struct sales_error first;

		if (!err || (err->code != SALES_EPARSE &&
			     err->code != SALES_ESCHEMA)) {
			free(path);
			return -1;
		}
		first = *err;
		sales_table_free(st->table);
		st->table = NULL;
		opt.skip_title_row = true;
		if (sales_table_load(path, &opt, &st->table, err) < 0 ||
		    sales_colmap_bind(&st->map, def,
				      sales_table_header(st->table), st->name,
				      err) < 0) {
			*err = first;
			free(path);
			return -1;
		}
	}
	free(path);
	return 0;
}

const char *sales_sheet_table_get(const struct sales_sheet_table *st,
				  size_t row, int col)
{
	int f = st->map.file_col[col];

	return f < 0 ? "" : sales_table_get(st->table, row, (size_t)f);
}

const char *sales_sheet_table_filled(const struct sales_sheet_table *st,
				     size_t row, int col)
{
	const char *v = sales_sheet_table_get(st, row, col);

	if (!(st->def->columns[0].flags & SALES_COLF_FILL_DOWN) ||
	    !(st->def->columns[col].flags & SALES_COLF_FILL_DOWN))
		return v;
	while (row > 0 && sales_fill_blank(v) &&
	       sales_fill_blank(sales_sheet_table_get(st, row, 0)))
		v = sales_sheet_table_get(st, --row, col);
	return v;
}

static int ensure_column(struct sales_sheet_table *st, int col,
			 struct sales_error *err)
{
	int f = st->map.file_col[col];
	/* schema_col holds exactly nfile (at least 1) entries (schema.c) */
	size_t alloc = st->map.nfile ? st->map.nfile : 1;

	if (f >= 0)
		return f;
	f = sales_table_add_column(st->table, st->def->columns[col].zh, err);
	if (f < 0)
		return -1;
	if (SALES_ALLOC_GROW(st->map.schema_col, (size_t)f + 1, alloc) < 0)
		return sales_error_set(err, SALES_ENOMEM, st->name, 0, 0,
				       "out of memory");
	for (size_t i = st->map.nfile; i < (size_t)f; i++)
		st->map.schema_col[i] = -1;
	st->map.schema_col[f] = col;
	st->map.nfile = (size_t)f + 1;
	st->map.file_col[col] = f;
	return f;
}

int sales_sheet_table_set(struct sales_sheet_table *st, size_t row, int col,
			  const char *value, struct sales_error *err)
{
	int f;

	if (!value || !*value) {
		if (st->map.file_col[col] < 0)
			return 0;
	}
	f = ensure_column(st, col, err);
	if (f < 0)
		return -1;
	return sales_table_set(st->table, row, (size_t)f, value, err);
}

long sales_sheet_table_append(struct sales_sheet_table *st,
			      const char *const *values,
			      struct sales_error *err)
{
	const char **cells;
	long idx;

	for (size_t c = 0; c < st->def->ncolumns; c++)
		if (values[c] && *values[c] && ensure_column(st, (int)c, err) < 0)
			return -1;
	cells = calloc(st->map.nfile ? st->map.nfile : 1, sizeof(*cells));
	if (!cells)
		return sales_error_set(err, SALES_ENOMEM, st->name, 0, 0,
				       "out of memory");
	for (size_t c = 0; c < st->def->ncolumns; c++)
		if (st->map.file_col[c] >= 0)
			cells[st->map.file_col[c]] = values[c];
	idx = sales_table_append(st->table, cells, st->map.nfile, err);
	free(cells);
	return idx;
}

void sales_sheet_table_release(struct sales_sheet_table *st)
{
	sales_table_free(st->table);
	sales_colmap_release(&st->map);
	free(st->name);
	memset(st, 0, sizeof(*st));
}

int sales_sheet_append(const char *dir, enum sales_sheet_id id,
		       const char *const *values, size_t nrows,
		       struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	char *path = sales_path_join(dir, def->file);
	struct sales_sheet_reader *r = NULL;
	const char **cells = NULL;
	size_t nfile;
	bool widen = false;
	int rc = -1;

	if (!path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (sales_sheet_open(dir, id, SALES_ENC_AUTO, &r, err) < 0)
		goto out;
	nfile = r->map.nfile;
	for (size_t i = 0; i < nrows && !widen; i++)
		for (size_t c = 0; c < def->ncolumns; c++)
			if (r->map.file_col[c] < 0 &&
			    values[i * def->ncolumns + c] &&
			    *values[i * def->ncolumns + c])
				widen = true;
	if (widen) {
		/* the file lacks a column we must fill: rewrite it once with
		 * the column added, keeping every other byte */
		struct sales_sheet_table st;

		sales_sheet_close(r);
		r = NULL;
		if (sales_sheet_table_load(&st, dir, id, SALES_ENC_AUTO, err) < 0) {
			sales_sheet_table_release(&st);
			goto out;
		}
		for (size_t i = 0; i < nrows; i++)
			if (sales_sheet_table_append(&st,
						     values + i * def->ncolumns,
						     err) < 0) {
				sales_sheet_table_release(&st);
				goto out;
			}
		rc = sales_table_save(st.table, err);
		sales_sheet_table_release(&st);
		goto out;
	}
	cells = calloc(nrows * (nfile ? nfile : 1), sizeof(*cells));
	if (!cells) {
		sales_error_set(err, SALES_ENOMEM, def->file, 0, 0,
				"out of memory");
		goto out;
	}
	for (size_t i = 0; i < nrows; i++)
		for (size_t c = 0; c < def->ncolumns; c++)
			if (r->map.file_col[c] >= 0)
				cells[i * nfile + (size_t)r->map.file_col[c]] =
					values[i * def->ncolumns + c];
	rc = sales_append_rows_as(path,
				  sales_reader_encoding_known(r->reader) ?
				  sales_reader_encoding(r->reader) : SALES_ENC_AUTO,
				  cells, nrows, nfile, err);
	if (rc < 0 && err)
		snprintf(err->file, sizeof(err->file), "%s", def->file);
out:
	sales_sheet_close(r);
	free(cells);
	free(path);
	return rc;
}
