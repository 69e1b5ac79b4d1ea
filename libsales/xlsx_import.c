/*
 * xlsx_import.c - an .xlsx back into the CSV sheets (see xlsx.h).
 */
#include "xlsx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "damage.h"
#include "i18n.h"
#include "text.h"
#include "txn.h"
#include "validate.h"
#include "value.h"
#include "workbook.h"

static void report(struct sales_xlsx_import *im, bool error, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

static void report(struct sales_xlsx_import *im, bool error, const char *fmt,
		   ...)
{
	struct sales_buf *b = error ? &im->errors : &im->notes;
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sales_buf_addstr(b, line);
	sales_buf_addch(b, '\n');
	if (error)
		im->nerrors++;
}

/* The sheet a tab holds: by its name (01-leads, leads, 客户信息登记表),
 * else the first sheet its first row binds as a header to. */
static const struct sales_sheet_def *tab_sheet(const struct sales_xlsx_sheet *s)
{
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)id);
		size_t stem = strlen(d->file) - 4;

		if (id == SALES_AUDIT)
			continue;
		if ((strlen(s->name) == stem && !strncmp(s->name, d->file, stem)) ||
		    !strcmp(s->name, d->name) || !strcmp(s->name, d->title))
			return d;
	}
	if (!s->nrows)
		return NULL;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)id);
		struct sales_cell cells[256];
		struct sales_row hdr;
		struct sales_colmap m;
		size_t n = s->ncols < 256 ? s->ncols : 256;

		if (id == SALES_AUDIT)
			continue;
		memset(&hdr, 0, sizeof(hdr));
		for (size_t c = 0; c < n; c++) {
			cells[c].s = sales_xlsx_cell(s, 0, c);
			cells[c].len = (uint32_t)strlen(cells[c].s);
			cells[c].flags = 0;
		}
		while (n > 0 && !cells[n - 1].len)
			n--;
		hdr.cells = cells;
		hdr.ncells = n;
		hdr.line = hdr.excel_row = 1;
		if (sales_colmap_bind(&m, d, &hdr, s->name, NULL) == 0) {
			sales_colmap_release(&m);
			return d;
		}
	}
	return NULL;
}

/* true when the xlsx value x (of kind) is the CSV value v as a spreadsheet
 * shows it: the same text, the same date, or the same number where v is
 * written as a number is (no leading zeros). */
static bool same_value(const char *v, const char *x, unsigned kind,
		       enum sales_coltype type)
{
	sales_date a, b;

	if (!strcmp(v, x))
		return true;
	if ((kind & 3) == SALES_XLSX_DATE && type == SALES_COL_DATE &&
	    sales_parse_date(v, strlen(v), &a) == SALES_VALUE_OK &&
	    sales_parse_date(x, strlen(x), &b) == SALES_VALUE_OK)
		return a == b;
	if ((kind & 3) == SALES_XLSX_NUMBER) {
		char *e1, *e2;
		double dv = strtod(v, &e1), dx = strtod(x, &e2);

		return *v && !*e1 && !*e2 && dv == dx &&
		       !(v[0] == '0' && v[1] >= '0' && v[1] <= '9') &&
		       !strchr(x, 'E') && !strchr(x, 'e');
	}
	return false;
}

/* What a spreadsheet did to v when the number or date cell x is what it
 * makes of v (damage.h's one judgment: leading zeros dropped, digits in
 * scientific notation, text read as a number or a date): NULL when
 * nothing. */
static const char *damage(const char *v, const char *x, unsigned kind)
{
	enum sales_damage_kind k;

	if ((kind & 3) != SALES_XLSX_NUMBER && (kind & 3) != SALES_XLSX_DATE)
		return NULL;
	k = sales_damage_judge(v, x, false);
	return k == SALES_DAMAGE_NONE || k == SALES_DAMAGE_RENUMBERED ? NULL :
	       sales_damage_text(k);
}

/* The Excel cell of field f of tab row r: "O3" (a new row numbered after
 * the sheet's rows as the tab numbers it). */
static void cell_name(char cell[16], const struct sales_sheet_table *st,
		      size_t f, size_t r, bool append)
{
	char letters[8];

	snprintf(cell, 16, "%s%ld", sales_column_letters((int)f + 1, letters),
		 append ? (long)r + 1 : sales_table_excel_row(st->table, r - 1));
}

/* The error workbook's part of tab (rejects.h) when rows of it were
 * refused (bad[r] their reasons): all its rows 0..last in order, except
 * that with skip_bad a refused new row (past the sheet's nrows) goes after
 * the new rows that were added, where the sheet will want it. */
static int add_rejects(struct sales_xlsx_import *im, size_t tab,
		       const struct sales_buf *bad, size_t last, size_t nrows,
		       struct sales_error *err)
{
	struct sales_rejects_tab *rt;
	size_t k = 0, n = last + 1;
	bool any = false;

	for (size_t r = 1; r <= last; r++)
		any = any || bad[r].len;
	if (!any)
		return 0;
	rt = realloc(im->rejects, (im->nrejects + 1) * sizeof(*rt));
	if (!rt)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	im->rejects = rt;
	rt = &im->rejects[im->nrejects];
	memset(rt, 0, sizeof(*rt));
	rt->tab = tab;
	rt->rows = calloc(n, sizeof(*rt->rows));
	rt->reasons = calloc(n, sizeof(*rt->reasons));
	if (!rt->rows || !rt->reasons) {
		free(rt->rows);
		free(rt->reasons);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	im->nrejects++;
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r <= last; r++) {
			bool later = im->skip_bad && r > nrows && bad[r].len;

			if (later != (pass == 1))
				continue;
			rt->rows[k] = r;
			if (!(rt->reasons[k] = strdup(bad[r].len ? bad[r].data : "")))
				return sales_error_set(err, SALES_ENOMEM, NULL, 0,
						       0, "out of memory");
			rt->nrows = ++k;
		}
	return 0;
}

static int import_tab(struct sales_txn *t, const struct sales_context *ctx,
		      const struct sales_xlsx_sheet *s, size_t tab,
		      const struct sales_sheet_def *def, sales_date today,
		      struct sales_xlsx_import *im, struct sales_error *err)
{
	struct sales_sheet_table *st = sales_txn_sheet(t, def->id, err);
	const struct sales_row *hdr;
	struct sales_buf *bad;
	int tabcol[256], rc;
	size_t nrows, nf, last = 0;
	char cell[16];

	if (!st)
		return -1;
	hdr = sales_table_header(st->table);
	nf = hdr->ncells < 256 ? hdr->ncells : 256;
	for (size_t f = 0; f < nf; f++) {
		tabcol[f] = -1;
		for (size_t c = 0; c < s->ncols; c++)
			if (!strcmp(sales_xlsx_cell(s, 0, c), hdr->cells[f].s)) {
				tabcol[f] = (int)c;
				break;
			}
		if (tabcol[f] < 0 && hdr->cells[f].len)
			report(im, false, _("%s: tab '%s' has no column '%s': that column is left as it is"),
			       def->file, s->name, hdr->cells[f].s);
	}
	for (size_t r = 1; r < s->nrows; r++)
		for (size_t c = 0; c < s->ncols; c++)
			if (*sales_xlsx_cell(s, r, c))
				last = r;
	nrows = sales_table_rows(st->table);
	if (last < nrows) {
		report(im, true, _("%s: tab '%s' has %zu rows and the sheet %zu: import changes cells and adds rows, it does not delete them (delete rows in the CSV sheet)"),
		       def->file, s->name, last, nrows);
		im->nfatal++;
		return 0;
	}
	if (!(bad = calloc(last + 1, sizeof(*bad))))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t r = 1; r <= last; r++) {
		bool append = r - 1 >= nrows;
		const char *values[SALES_MAX_COLS] = { 0 };
		size_t pend[256], npend = 0;
		const char *pend_x[256];
		bool any = false;

		/* judge the whole row first: a row with a refused value
		 * changes nothing */
		for (size_t f = 0; f < nf; f++) {
			int col = st->map.schema_col[f];
			const char *x = tabcol[f] >= 0 ?
				sales_xlsx_cell(s, r, (size_t)tabcol[f]) : NULL;
			unsigned kind = tabcol[f] >= 0 ?
				sales_xlsx_kind(s, r, (size_t)tabcol[f]) : 0;
			const char *v = append ? "" : sales_table_get(st->table, r - 1, f);
			const char *why_damage;
			struct sales_buf why = {0};
			enum sales_coltype type = col >= 0 ? def->columns[col].type :
							     SALES_COL_TEXT;

			if (!x)
				continue;
			/* '=x, '@x: the apostrophe that keeps such text text,
			 * as the CSV reader takes it off (sheet.h) */
			if (x[0] == '\'' && sales_cell_needs_escape(x + 1, strlen(x + 1)))
				x++;
			cell_name(cell, st, f, r, append);
			if (kind & SALES_XLSX_FORMULA)
				report(im, false, _("%s:%s: the tab's cell held a formula: its value '%s' is what is imported"),
				       def->file, cell, x);
			if (same_value(v, x, kind, type))
				continue;
			if ((why_damage = damage(v, x, kind))) {
				report(im, false, _("%s:%s: '%s' became '%s': %s; '%s' is kept (type it as text to change it)"),
				       def->file, cell, v, x, why_damage, v);
				continue;
			}
			if (col >= 0 &&
			    (sales_cell_check(def->id, col, x, NULL, today, &why) != SALES_CELL_OK ||
			     sales_cell_team_check(ctx, def->id, col, x, &why) != SALES_CELL_OK)) {
				const char *msg = why.data ? why.data : _("invalid value");

				report(im, true, "%s:%s: %s", def->file, cell, msg);
				if (!bad[r].len)
					im->nbad++;
				else
					sales_buf_addstr(&bad[r], "；");
				sales_buf_addstr(&bad[r], msg);
				sales_buf_release(&why);
				continue;
			}
			sales_buf_release(&why);
			pend_x[npend] = x;
			pend[npend++] = f;
		}
		if (bad[r].len)
			continue;
		for (size_t k = 0; k < npend; k++) {
			size_t f = pend[k];
			int col = st->map.schema_col[f];
			const char *x = pend_x[k];
			const char *v = append ? "" : sales_table_get(st->table, r - 1, f);

			any = true;
			if (append) {
				if (col >= 0)
					values[col] = x;
				continue;
			}
			cell_name(cell, st, f, r, append);
			report(im, false, "%s:%s: %s: '%s' -> '%s'", def->file,
			       cell, hdr->cells[f].s, v, x);
			im->changes++;
			if (col >= 0) {
				if (sales_txn_set(t, def->id, r - 1, col, x, err) < 0)
					goto fail;
			} else if (sales_table_set(st->table, r - 1, f, x, err) < 0 ||
				   sales_txn_note(t, def->file, "", hdr->cells[f].s,
						  v, x, err) < 0) {
				goto fail;
			}
		}
		if (append && any) {
			report(im, false, _("%s: row %zu of tab '%s' added"),
			       def->file, r + 1, s->name);
			im->changes++;
			if (sales_txn_append(t, def->id, values, err) < 0)
				goto fail;
		}
	}
	rc = add_rejects(im, tab, bad, last, nrows, err);
	goto out;
fail:
	rc = -1;
out:
	for (size_t r = 0; r <= last; r++)
		sales_buf_release(&bad[r]);
	free(bad);
	return rc;
}

int sales_xlsx_import(struct sales_txn *t, const struct sales_context *ctx,
		      const struct sales_xlsx_book *book, sales_date today,
		      struct sales_xlsx_import *im, struct sales_error *err)
{
	bool seen[SALES_NSHEETS] = { false };

	for (size_t i = 0; i < book->nsheets; i++) {
		const struct sales_xlsx_sheet *s = &book->sheets[i];
		const struct sales_sheet_def *def = tab_sheet(s);

		if (!def) {
			report(im, false, _("tab '%s' is no sheet of the workbook (by its name or its header): skipped"),
			       s->name);
			continue;
		}
		if (seen[def->id]) {
			report(im, true, _("tabs '%s' and another both hold %s"),
			       s->name, def->file);
			im->nfatal++;
			continue;
		}
		seen[def->id] = true;
		if (!sales_sheet_exists(t->dir, def->id)) {
			report(im, false, _("tab '%s' holds %s, which the workbook does not have: skipped (sales init makes it)"),
			       s->name, def->file);
			continue;
		}
		if (import_tab(t, ctx, s, i, def, today, im, err) < 0)
			return -1;
	}
	return 0;
}

void sales_xlsx_import_release(struct sales_xlsx_import *im)
{
	sales_buf_release(&im->notes);
	sales_buf_release(&im->errors);
	for (size_t i = 0; i < im->nrejects; i++) {
		for (size_t r = 0; r < im->rejects[i].nrows; r++)
			free(im->rejects[i].reasons[r]);
		free(im->rejects[i].rows);
		free(im->rejects[i].reasons);
	}
	free(im->rejects);
	memset(im, 0, sizeof(*im));
}
