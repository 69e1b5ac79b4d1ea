/*
 * audit.c - one walk over audit.csv for every reader (audit.h).
 */
#include "audit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "workbook.h"

/* 表 as a sheet: the file name as sales writes it, spaces around allowed. */
static const struct sales_sheet_def *audit_sheet(const char *name)
{
	size_t len = strlen(name);
	const char *s = sales_trim(name, &len);

	for (int i = 0; i < SALES_NSHEETS; i++) {
		const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)i);

		if (strlen(d->file) == len && !memcmp(d->file, s, len))
			return d;
	}
	return NULL;
}

static int audit_column(const struct sales_sheet_def *def, const char *name)
{
	size_t len = strlen(name);
	const char *s = sales_trim(name, &len);
	char buf[256];

	if (!s[len])
		return sales_column_find(def, s);
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return sales_column_find(def, buf);
}

int sales_audit_each(const char *dir, sales_audit_fn fn, void *ud,
		     struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	/* rows come in runs of one sheet and column: resolve each run once */
	char last_sheet[64] = "", last_col[128] = "";
	const struct sales_sheet_def *def = NULL;
	int col = -1, rc;

	if (!sales_sheet_exists(dir, SALES_AUDIT))
		return 0;
	if (sales_sheet_open(dir, SALES_AUDIT, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		const char *const *v = rec->v;
		struct sales_audit_row row = { .v = v, .line = (uint32_t)rec->row->line };
		bool same_sheet = !strcmp(last_sheet, v[AUDIT_SHEET]);

		if (!same_sheet) {
			def = audit_sheet(v[AUDIT_SHEET]);
			snprintf(last_sheet, sizeof(last_sheet), "%s", v[AUDIT_SHEET]);
			last_col[0] = '\0';
			col = -1;
		}
		if (def && (!same_sheet || strcmp(last_col, v[AUDIT_COLUMN]))) {
			col = audit_column(def, v[AUDIT_COLUMN]);
			snprintf(last_col, sizeof(last_col), "%s", v[AUDIT_COLUMN]);
		}
		row.sheet = def;
		row.col = def ? col : -1;
		if ((rc = fn(ud, &row, err)))
			break;
	}
	sales_sheet_close(r);
	return rc;
}
