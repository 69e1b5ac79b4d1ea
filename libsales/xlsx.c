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

int sales_xlsx_export(const char *dir, const enum sales_sheet_id *ids,
		      size_t n, const char *path, struct sales_error *err)
{
	struct sales_buf tmp = {0};
	lxw_workbook *wb;
	lxw_error lerr;
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
	lerr = workbook_close(wb);
	if (lerr != LXW_NO_ERROR) {
		unlink(tmp.data);
		sales_buf_release(&tmp);
		return sales_error_set(err, SALES_EIO, path, 0, 0,
				       _("cannot write the workbook file: %s"),
				       lxw_strerror(lerr));
	}
	if (rename(tmp.data, path) < 0) {
		sales_error_set(err, SALES_EIO, path, 0, 0,
				_("cannot write: %s"), strerror(errno));
		unlink(tmp.data);
		sales_buf_release(&tmp);
		return -1;
	}
	sales_buf_release(&tmp);
	return tabs;
}
