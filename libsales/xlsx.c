/*
 * xlsx.c - the workbook as one .xlsx (see xlsx.h).
 */
#include "xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "i18n.h"
#include "text.h"
#include "value.h"
#include "workbook.h"

#define MAX_WIDTH 60

struct tab {
	lxw_worksheet *ws;
	lxw_format *text, *date, *bold;
	unsigned widths[256];
	size_t ncols;
};

static void widen(struct tab *t, size_t col, const char *s, size_t len)
{
	size_t w = sales_utf8_width(s, len);

	if (col < sizeof(t->widths) / sizeof(t->widths[0]) && w > t->widths[col])
		t->widths[col] = w > MAX_WIDTH ? MAX_WIDTH : (unsigned)w;
}

/* A drop-down of the column's values (an enumeration or the grade). */
static void add_list(struct tab *t, const struct sales_column_def *c,
		     lxw_col_t col)
{
	static const char *const grades[] = { "A类", "B类", "C类", NULL };
	const char *const *values = c->type == SALES_COL_GRADE ? grades :
				    c->type == SALES_COL_ENUM ? c->values : NULL;
	lxw_data_validation v;

	if (!values)
		return;
	memset(&v, 0, sizeof(v));
	v.validate = LXW_VALIDATION_TYPE_LIST;
	v.value_list = (char **)values;
	/* a value outside the list is a warning, not a refusal: check
	 * judges it, and a rep's own spelling (跟進中) stays typable */
	v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
	worksheet_data_validation_range(t->ws, 1, col, LXW_ROW_MAX - 1, col, &v);
}

static int write_sheet(lxw_workbook *wb, const char *dir,
		       enum sales_sheet_id id, struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	const struct sales_row *hdr;
	const struct sales_colmap *map;
	struct tab t;
	char name[32];
	lxw_row_t row = 1;
	int rc;

	if (sales_sheet_open(dir, id, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	memset(&t, 0, sizeof(t));
	snprintf(name, sizeof(name), "%.*s", (int)(strlen(def->file) - 4),
		 def->file);
	t.ws = workbook_add_worksheet(wb, name);
	t.text = workbook_add_format(wb);
	t.date = workbook_add_format(wb);
	t.bold = workbook_add_format(wb);
	if (!t.ws || !t.text || !t.date || !t.bold) {
		sales_sheet_close(r);
		return sales_error_set(err, SALES_ENOMEM, def->file, 0, 0,
				       "out of memory");
	}
	format_set_num_format(t.text, "@");
	format_set_num_format(t.date, "yyyy-mm-dd");
	format_set_bold(t.bold);
	format_set_num_format(t.bold, "@");
	hdr = sales_sheet_header(r);
	map = sales_sheet_colmap(r);
	t.ncols = hdr->ncells;
	for (size_t f = 0; f < hdr->ncells; f++) {
		worksheet_write_string(t.ws, 0, (lxw_col_t)f, hdr->cells[f].s,
				       t.bold);
		widen(&t, f, hdr->cells[f].s, hdr->cells[f].len);
	}
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		for (size_t f = 0; f < rec->row->ncells; f++) {
			const struct sales_cell *c = &rec->row->cells[f];
			int col = map->schema_col[f];
			sales_date d;

			if (!c->len)
				continue;
			widen(&t, f, c->s, c->len);
			if (col >= 0 && def->columns[col].type == SALES_COL_DATE &&
			    sales_parse_date(c->s, c->len, &d) == SALES_VALUE_OK) {
				lxw_datetime dt = { 0 };

				sales_date_to_ymd(d, &dt.year, &dt.month, &dt.day);
				worksheet_write_datetime(t.ws, row, (lxw_col_t)f,
							 &dt, t.date);
				continue;
			}
			worksheet_write_string(t.ws, row, (lxw_col_t)f, c->s,
					       t.text);
		}
		row++;
	}
	if (rc < 0) {
		sales_sheet_close(r);
		return -1;
	}
	for (size_t f = 0; f < t.ncols; f++) {
		unsigned w = f < 256 ? t.widths[f] : 10;
		int col = map->schema_col[f];

		worksheet_set_column(t.ws, (lxw_col_t)f, (lxw_col_t)f,
				     (w < 6 ? 6 : w) + 2, t.text);
		if (col >= 0)
			add_list(&t, &def->columns[col], (lxw_col_t)f);
	}
	worksheet_freeze_panes(t.ws, 1, 0);
	sales_sheet_close(r);
	return 0;
}

/* Closes wb (written to tmp) and renames tmp over path. */
static int finish(lxw_workbook *wb, const char *tmp, const char *path,
		  struct sales_error *err)
{
	lxw_error lerr = workbook_close(wb);

	if (lerr != LXW_NO_ERROR) {
		unlink(tmp);
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       _("cannot write the workbook file: %s"),
				       lxw_strerror(lerr));
	}
	if (rename(tmp, path) < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0,
				_("cannot write: %s"), strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int sales_xlsx_export(const char *dir, const enum sales_sheet_id *ids,
		      size_t n, const char *path, struct sales_error *err)
{
	struct sales_buf tmp = {0};
	lxw_workbook *wb;
	int tabs = 0;

	if (sales_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	wb = workbook_new(tmp.data);
	if (!wb) {
		sales_buf_release(&tmp);
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       _("cannot create the workbook file"));
	}
	for (size_t i = 0; i < (n ? n : SALES_NSHEETS); i++) {
		enum sales_sheet_id id = n ? ids[i] : (enum sales_sheet_id)i;

		if (!n && (id == SALES_AUDIT || !sales_sheet_exists(dir, id)))
			continue;
		if (write_sheet(wb, dir, id, err) < 0) {
			workbook_close(wb);
			unlink(tmp.data);
			sales_buf_release(&tmp);
			return -1;
		}
		tabs++;
	}
	if (finish(wb, tmp.data, path, err) < 0)
		tabs = -1;
	sales_buf_release(&tmp);
	return tabs;
}

/* A tab of book: row 0 bold, then each cell as its kind says. */
static int write_tab(lxw_workbook *wb, const struct sales_xlsx_sheet *s,
		     struct sales_error *err)
{
	struct tab t;

	memset(&t, 0, sizeof(t));
	t.ws = workbook_add_worksheet(wb, s->name);
	t.text = workbook_add_format(wb);
	t.date = workbook_add_format(wb);
	t.bold = workbook_add_format(wb);
	if (!t.ws || !t.text || !t.date || !t.bold)
		return sales_error_set(err, SALES_ENOMEM, s->name, 0, 0,
				       "out of memory");
	format_set_num_format(t.text, "@");
	format_set_num_format(t.date, "yyyy-mm-dd");
	format_set_bold(t.bold);
	t.ncols = s->ncols;
	for (size_t r = 0; r < s->nrows; r++)
		for (size_t c = 0; c < s->ncols; c++) {
			const char *v = sales_xlsx_cell(s, r, c);
			unsigned kind = sales_xlsx_kind(s, r, c) & 3;
			sales_date d;
			char *end;
			double x;

			if (!*v)
				continue;
			widen(&t, c, v, strlen(v));
			if (r && kind == SALES_XLSX_DATE &&
			    sales_parse_date(v, strlen(v), &d) == SALES_VALUE_OK) {
				lxw_datetime dt = { 0 };

				sales_date_to_ymd(d, &dt.year, &dt.month, &dt.day);
				worksheet_write_datetime(t.ws, (lxw_row_t)r,
							 (lxw_col_t)c, &dt, t.date);
			} else if (r && kind == SALES_XLSX_NUMBER &&
				   (x = strtod(v, &end), !*end)) {
				worksheet_write_number(t.ws, (lxw_row_t)r,
						       (lxw_col_t)c, x, NULL);
			} else {
				worksheet_write_string(t.ws, (lxw_row_t)r,
						       (lxw_col_t)c, v,
						       r ? t.text : t.bold);
			}
		}
	for (size_t c = 0; c < t.ncols && c < 256; c++)
		worksheet_set_column(t.ws, (lxw_col_t)c, (lxw_col_t)c,
				     (t.widths[c] < 6 ? 6 : t.widths[c]) + 2, NULL);
	worksheet_freeze_panes(t.ws, 1, 0);
	return 0;
}

int sales_xlsx_write_book(const char *path, const struct sales_xlsx_book *book,
			  struct sales_error *err)
{
	struct sales_buf tmp = {0};
	lxw_workbook *wb;
	int rc = 0;

	if (sales_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	if (!(wb = workbook_new(tmp.data))) {
		sales_buf_release(&tmp);
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       _("cannot create the workbook file"));
	}
	for (size_t i = 0; i < book->nsheets && !rc; i++)
		rc = write_tab(wb, &book->sheets[i], err);
	if (rc < 0) {
		workbook_close(wb);
		unlink(tmp.data);
	} else {
		rc = finish(wb, tmp.data, path, err);
	}
	sales_buf_release(&tmp);
	return rc;
}

/* ---- reading ---- */

#include <expat.h>
#include <zip.h>

/* A whole member of the zip, NUL-terminated; NULL when it is missing. */
static char *zip_member(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;
	zip_int64_t n;

	if (zip_stat(z, name, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > (1u << 30))
		return NULL;
	f = zip_fopen(z, name, 0);
	if (!f)
		return NULL;
	buf = malloc((size_t)st.size + 1);
	if (!buf) {
		zip_fclose(f);
		return NULL;
	}
	n = zip_fread(f, buf, st.size);
	zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The local name of an element ("x:c" and "c" alike). */
static const char *local(const char *name)
{
	const char *colon = strrchr(name, ':');

	return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

struct strlist {
	char **v;
	size_t n, alloc;
};

static int strlist_add(struct strlist *l, const char *s, size_t len)
{
	char *c = strndup(s, len);

	if (!c || SALES_ALLOC_GROW(l->v, l->n + 1, l->alloc) < 0) {
		free(c);
		return -1;
	}
	l->v[l->n++] = c;
	return 0;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- parsing state shared by the XML handlers ---- */

struct rd {
	/* workbook.xml and its rels */
	struct strlist names, rids, rel_ids, rel_targets;
	/* sharedStrings.xml */
	struct strlist shared;
	int in_si, in_t, in_rph;
	struct sales_buf text;
	/* styles.xml: cellXfs' numFmtId, and the custom date formats */
	int *xf_fmt;
	size_t nxf, axf;
	int in_cellxfs;
	signed char custom[512];   /* by numFmtId: 0 not defined, 1 a date
				    * format, -1 another (gnumeric numbers
				    * its own from 100, Excel from 164) */
	/* a worksheet */
	struct sales_xlsx_sheet *sheet;
	size_t cap_rows;
	long row, col;
	const char *ctype;
	char ctype_buf[16];
	int cstyle;
	int in_v, in_is, has_f;
	bool failed;
};

static void text_add(void *ud, const char *s, int len)
{
	struct rd *r = ud;

	if ((r->in_t && !r->in_rph) || r->in_v)
		if (sales_buf_add(&r->text, s, (size_t)len) < 0)
			r->failed = true;
}

static void wb_start(void *ud, const char *el, const char **atts)
{
	struct rd *r = ud;
	const char *n = local(el);

	if (!strcmp(n, "sheet")) {
		const char *name = attr(atts, "name"), *id = attr(atts, "id");

		if (name && id && (strlist_add(&r->names, name, strlen(name)) < 0 ||
				   strlist_add(&r->rids, id, strlen(id)) < 0))
			r->failed = true;
	} else if (!strcmp(n, "Relationship")) {
		const char *id = attr(atts, "Id"), *t = attr(atts, "Target");

		if (id && t && (strlist_add(&r->rel_ids, id, strlen(id)) < 0 ||
				strlist_add(&r->rel_targets, t, strlen(t)) < 0))
			r->failed = true;
	}
}

static void ss_start(void *ud, const char *el, const char **atts)
{
	struct rd *r = ud;
	const char *n = local(el);

	(void)atts;
	if (!strcmp(n, "si")) {
		r->in_si = 1;
		sales_buf_reset(&r->text);
	} else if (!strcmp(n, "t")) {
		r->in_t = 1;
	} else if (!strcmp(n, "rPh")) {
		r->in_rph = 1;
	}
}

static void ss_end(void *ud, const char *el)
{
	struct rd *r = ud;
	const char *n = local(el);

	if (!strcmp(n, "si")) {
		if (strlist_add(&r->shared, r->text.data ? r->text.data : "",
				r->text.len) < 0)
			r->failed = true;
		r->in_si = 0;
	} else if (!strcmp(n, "t")) {
		r->in_t = 0;
	} else if (!strcmp(n, "rPh")) {
		r->in_rph = 0;
	}
}

/* A custom number format that shows a date: y or d outside quotes and
 * brackets ([Red], [$-804]). */
static bool date_code(const char *code)
{
	bool quoted = false;
	int bracket = 0;

	for (const char *p = code; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			bracket++;
		else if (*p == ']' && bracket)
			bracket--;
		else if (!bracket && strchr("yYdD", *p))
			return true;
	}
	return false;
}

static void st_start(void *ud, const char *el, const char **atts)
{
	struct rd *r = ud;
	const char *n = local(el);

	if (!strcmp(n, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		long v = id ? strtol(id, NULL, 10) : 0;

		if (code && v >= 0 && v < 512)
			r->custom[v] = date_code(code) ? 1 : -1;
	} else if (!strcmp(n, "cellXfs")) {
		r->in_cellxfs = 1;
	} else if (!strcmp(n, "xf") && r->in_cellxfs) {
		const char *id = attr(atts, "numFmtId");

		if (SALES_ALLOC_GROW(r->xf_fmt, r->nxf + 1, r->axf) < 0) {
			r->failed = true;
			return;
		}
		r->xf_fmt[r->nxf++] = id ? (int)strtol(id, NULL, 10) : 0;
	}
}

static void st_end(void *ud, const char *el)
{
	struct rd *r = ud;

	if (!strcmp(local(el), "cellXfs"))
		r->in_cellxfs = 0;
}

static bool style_is_date(const struct rd *r, int style)
{
	int f;

	if (style < 0 || (size_t)style >= r->nxf)
		return false;
	f = r->xf_fmt[style];
	if (f >= 0 && f < 512 && r->custom[f])
		return r->custom[f] > 0;
	return (f >= 14 && f <= 22) || (f >= 27 && f <= 36) ||
	       (f >= 45 && f <= 47) || (f >= 50 && f <= 58);
}

/* "BC12" -> column 54 (0-based), row 11; -1 when it is no reference */
static int parse_ref(const char *ref, long *row, long *col)
{
	long c = 0, rw = 0;
	const char *p = ref;

	while (*p >= 'A' && *p <= 'Z')
		c = c * 26 + (*p++ - 'A' + 1);
	while (*p >= '0' && *p <= '9')
		rw = rw * 10 + (*p++ - '0');
	if (!c || !rw || *p || c > 16384 || rw > 1048576)
		return -1;
	*row = rw - 1;
	*col = c - 1;
	return 0;
}

/* Makes room for cell (row, col) in the sheet's grid. */
static int grid_fit(struct rd *r, size_t row, size_t col)
{
	struct sales_xlsx_sheet *s = r->sheet;

	if (col >= s->ncols) {
		/* widen: rebuild the grid with more columns */
		size_t nc = col + 1;
		char **cells = calloc(r->cap_rows * nc, sizeof(*cells));
		unsigned char *kinds = calloc(r->cap_rows * nc, 1);

		if (!cells || !kinds) {
			free(cells);
			free(kinds);
			return -1;
		}
		for (size_t i = 0; i < s->nrows; i++)
			for (size_t k = 0; k < s->ncols; k++) {
				cells[i * nc + k] = s->cells[i * s->ncols + k];
				kinds[i * nc + k] = s->kinds[i * s->ncols + k];
			}
		free(s->cells);
		free(s->kinds);
		s->cells = cells;
		s->kinds = kinds;
		s->ncols = nc;
	}
	if (row >= r->cap_rows) {
		size_t nr = r->cap_rows ? r->cap_rows : 64;
		char **cells;
		unsigned char *kinds;

		while (nr <= row)
			nr *= 2;
		cells = realloc(s->cells, nr * (s->ncols ? s->ncols : 1) * sizeof(*cells));
		if (!cells)
			return -1;
		s->cells = cells;
		kinds = realloc(s->kinds, nr * (s->ncols ? s->ncols : 1));
		if (!kinds)
			return -1;
		s->kinds = kinds;
		memset(s->cells + r->cap_rows * s->ncols, 0,
		       (nr - r->cap_rows) * s->ncols * sizeof(*cells));
		memset(s->kinds + r->cap_rows * s->ncols, 0,
		       (nr - r->cap_rows) * s->ncols);
		r->cap_rows = nr;
	}
	if (row >= s->nrows)
		s->nrows = row + 1;
	return 0;
}

static void ws_start(void *ud, const char *el, const char **atts)
{
	struct rd *r = ud;
	const char *n = local(el);

	if (!strcmp(n, "row")) {
		const char *rr = attr(atts, "r");

		r->row = rr ? strtol(rr, NULL, 10) - 1 : r->row + 1;
		r->col = -1;
	} else if (!strcmp(n, "c")) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"),
			   *s = attr(atts, "s");
		long row = r->row, col = r->col + 1;

		if (ref && parse_ref(ref, &row, &col) < 0)
			r->failed = true;
		r->row = row;
		r->col = col;
		snprintf(r->ctype_buf, sizeof(r->ctype_buf), "%s", t ? t : "n");
		r->cstyle = s ? (int)strtol(s, NULL, 10) : 0;
		r->has_f = 0;
		sales_buf_reset(&r->text);
	} else if (!strcmp(n, "v")) {
		r->in_v = 1;
	} else if (!strcmp(n, "is")) {
		r->in_is = 1;
	} else if (!strcmp(n, "t") && r->in_is) {
		r->in_t = 1;
	} else if (!strcmp(n, "rPh")) {
		r->in_rph = 1;
	} else if (!strcmp(n, "f")) {
		r->has_f = 1;
	}
}

/* The cell just read, as text. */
static void ws_cell(struct rd *r)
{
	const char *v = r->text.data ? r->text.data : "";
	struct sales_buf out = {0};
	unsigned char kind = SALES_XLSX_TEXT;
	size_t idx;

	if (r->row < 0 || r->col < 0)
		return;
	if (!strcmp(r->ctype_buf, "s")) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);

		if (*end || i >= r->shared.n) {
			r->failed = true;
			return;
		}
		sales_buf_addstr(&out, r->shared.v[i]);
	} else if (!strcmp(r->ctype_buf, "b")) {
		sales_buf_addstr(&out, !strcmp(v, "1") ? "TRUE" : "FALSE");
	} else if (!strcmp(r->ctype_buf, "n") && *v) {
		char *end;
		double d = strtod(v, &end);

		if (!*end && style_is_date(r, r->cstyle) && d >= 1 && d < 2958466) {
			/* serial 1 is 1900-01-01; Excel counts a 1900-02-29
			 * that never was, so from serial 61 on, day 0 is
			 * 1899-12-30 (sales_date starts at 1900) */
			sales_date base = sales_date_from_ymd(1900, 1, 1) - 2;
			char buf[16];

			/* the 1900 leap-year bug: serials below 61 are a day off;
			 * no workbook date is that old */
			sales_buf_addstr(&out, sales_date_format(base + (sales_date)d, buf));
			kind = SALES_XLSX_DATE;
		} else {
			sales_buf_addstr(&out, v);
			kind = SALES_XLSX_NUMBER;
		}
	} else {
		sales_buf_addstr(&out, v);   /* str, inlineStr, e */
	}
	if (r->has_f)
		kind |= SALES_XLSX_FORMULA;
	if (!out.len && !r->has_f) {
		sales_buf_release(&out);
		return;
	}
	if (grid_fit(r, (size_t)r->row, (size_t)r->col) < 0) {
		sales_buf_release(&out);
		r->failed = true;
		return;
	}
	idx = (size_t)r->row * r->sheet->ncols + (size_t)r->col;
	free(r->sheet->cells[idx]);
	r->sheet->cells[idx] = sales_buf_detach(&out, NULL);
	if (!r->sheet->cells[idx])
		r->sheet->cells[idx] = strdup("");
	r->sheet->kinds[idx] = kind;
}

static void ws_end(void *ud, const char *el)
{
	struct rd *r = ud;
	const char *n = local(el);

	if (!strcmp(n, "c"))
		ws_cell(r);
	else if (!strcmp(n, "v"))
		r->in_v = 0;
	else if (!strcmp(n, "is"))
		r->in_is = 0;
	else if (!strcmp(n, "t"))
		r->in_t = 0;
	else if (!strcmp(n, "rPh"))
		r->in_rph = 0;
}

static int parse_xml(struct rd *r, const char *data, size_t len,
		     XML_StartElementHandler start, XML_EndElementHandler end,
		     const char *what, const char *path,
		     struct sales_error *err)
{
	XML_Parser p = XML_ParserCreate(NULL);
	int ok;

	if (!p)
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0,
				       "out of memory");
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text_add);
	ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK;
	if (!ok)
		sales_error_set(err, SALES_EPARSE, path, 0, 0,
				_("%s does not parse: %s (line %lu)"), what,
				XML_ErrorString(XML_GetErrorCode(p)),
				(unsigned long)XML_GetCurrentLineNumber(p));
	XML_ParserFree(p);
	if (ok && r->failed)
		return sales_error_set(err, SALES_EPARSE, path, 0, 0,
				       _("%s holds something this reader does not understand"),
				       what);
	return ok ? 0 : -1;
}

static void rd_release(struct rd *r)
{
	strlist_free(&r->names);
	strlist_free(&r->rids);
	strlist_free(&r->rel_ids);
	strlist_free(&r->rel_targets);
	strlist_free(&r->shared);
	sales_buf_release(&r->text);
	free(r->xf_fmt);
}

int sales_xlsx_read(const char *path, struct sales_xlsx_book *book,
		    struct sales_error *err)
{
	struct rd r;
	int zerr = 0, rc = -1;
	zip_t *z;
	char *data;
	size_t len;

	memset(book, 0, sizeof(*book));
	memset(&r, 0, sizeof(r));
	z = zip_open(path, ZIP_RDONLY, &zerr);
	if (!z)
		return sales_error_set(err, SALES_EPARSE, path, 0, 0,
				       _("not an .xlsx file (it is no zip archive)"));
	if (!(data = zip_member(z, "xl/workbook.xml", &len))) {
		sales_error_set(err, SALES_EPARSE, path, 0, 0,
				_("not an .xlsx workbook (it has no xl/workbook.xml; an .xls or .ods must be saved as .xlsx first)"));
		goto out;
	}
	rc = parse_xml(&r, data, len, wb_start, NULL, "xl/workbook.xml", path, err);
	free(data);
	if (rc < 0)
		goto out;
	rc = -1;
	if ((data = zip_member(z, "xl/_rels/workbook.xml.rels", &len))) {
		int prc = parse_xml(&r, data, len, wb_start, NULL,
				    "xl/_rels/workbook.xml.rels", path, err);

		free(data);
		if (prc < 0)
			goto out;
	}
	if ((data = zip_member(z, "xl/sharedStrings.xml", &len))) {
		int prc = parse_xml(&r, data, len, ss_start, ss_end,
				    "xl/sharedStrings.xml", path, err);

		free(data);
		if (prc < 0)
			goto out;
	}
	if ((data = zip_member(z, "xl/styles.xml", &len))) {
		int prc = parse_xml(&r, data, len, st_start, st_end,
				    "xl/styles.xml", path, err);

		free(data);
		if (prc < 0)
			goto out;
	}
	book->sheets = calloc(r.names.n ? r.names.n : 1, sizeof(*book->sheets));
	if (!book->sheets) {
		sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r.names.n; i++) {
		struct sales_xlsx_sheet *s = &book->sheets[book->nsheets];
		struct sales_buf member = {0};
		const char *target = NULL;
		int prc;

		for (size_t k = 0; k < r.rel_ids.n; k++)
			if (!strcmp(r.rel_ids.v[k], r.rids.v[i]))
				target = r.rel_targets.v[k];
		if (!target)
			continue;
		if (target[0] == '/')
			sales_buf_addstr(&member, target + 1);
		else
			sales_buf_printf(&member, "xl/%s", target);
		data = zip_member(z, member.data ? member.data : "", &len);
		if (!data) {
			sales_error_set(err, SALES_EPARSE, path, 0, 0,
					_("tab '%s' is missing from the file (%s)"),
					r.names.v[i], member.data ? member.data : "");
			sales_buf_release(&member);
			goto out;
		}
		s->name = strdup(r.names.v[i]);
		book->nsheets++;
		r.sheet = s;
		r.cap_rows = 0;
		r.row = -1;
		r.in_t = r.in_v = r.in_is = r.in_rph = 0;
		prc = parse_xml(&r, data, len, ws_start, ws_end,
				member.data, path, err);
		free(data);
		sales_buf_release(&member);
		if (prc < 0 || !s->name)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		sales_xlsx_book_free(book);
	rd_release(&r);
	zip_close(z);
	return rc;
}

void sales_xlsx_book_free(struct sales_xlsx_book *book)
{
	for (size_t i = 0; i < book->nsheets; i++) {
		struct sales_xlsx_sheet *s = &book->sheets[i];

		for (size_t k = 0; s->cells && k < s->nrows * s->ncols; k++)
			free(s->cells[k]);
		free(s->cells);
		free(s->kinds);
		free(s->name);
	}
	free(book->sheets);
	memset(book, 0, sizeof(*book));
}

const char *sales_xlsx_cell(const struct sales_xlsx_sheet *s, size_t row,
			    size_t col)
{
	const char *c;

	if (row >= s->nrows || col >= s->ncols)
		return "";
	c = s->cells[row * s->ncols + col];
	return c ? c : "";
}

unsigned sales_xlsx_kind(const struct sales_xlsx_sheet *s, size_t row,
			 size_t col)
{
	if (row >= s->nrows || col >= s->ncols)
		return 0;
	return s->kinds[row * s->ncols + col];
}
