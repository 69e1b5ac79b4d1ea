#include "txn.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Audit rows are kept as 5 NUL-terminated cells each: sheet, key, column,
 * old, new.  Pending appends as: one byte sheet id, then ncolumns cells. */
#define AUDIT_CELLS 5

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

void sales_row_key(const struct sales_sheet_def *def, const char *const *v,
		   struct sales_buf *out)
{
	int a = 0, b = -1;

	sales_buf_reset(out);
	switch (def->id) {
	case SALES_LEADS: a = LEAD_CUSTOMER; break;
	case SALES_CONTRACTS: a = CON_CONTRACT; break;
	case SALES_SOLUTIONS: a = SOL_CUSTOMER; b = SOL_SOLUTION; break;
	case SALES_PLANS: a = PLAN_CUSTOMER; b = PLAN_PHASE; break;
	case SALES_KPI: a = KPI_QUARTER; b = KPI_METRIC; break;
	default: a = 0; break;
	}
	sales_buf_addstr(out, v[a] ? v[a] : "");
	if (b >= 0) {
		sales_buf_addch(out, '/');
		sales_buf_addstr(out, v[b] ? v[b] : "");
	}
	if (!out->data)
		sales_buf_addstr(out, "");
}

int sales_txn_begin(struct sales_txn *t, const char *dir, const char *command,
		    struct sales_error *err)
{
	char what[160];

	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
	t->dir = strdup(dir);
	t->command = strdup(command ? command : "sales");
	if (!t->dir || !t->command)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	snprintf(what, sizeof(what), "sales %s", t->command);
	return sales_lock_acquire(&t->lock, dir, what, -1, err);
}

struct sales_sheet_table *sales_txn_sheet(struct sales_txn *t,
					  enum sales_sheet_id id,
					  struct sales_error *err)
{
	if (!t->loaded[id]) {
		if (sales_sheet_table_load(&t->sheets[id], t->dir, id,
					   SALES_ENC_AUTO, err) < 0) {
			sales_sheet_table_release(&t->sheets[id]);
			return NULL;
		}
		t->loaded[id] = true;
	}
	return &t->sheets[id];
}

static int add_audit(struct sales_txn *t, const char *sheet, const char *key,
		     const char *column, const char *old_value,
		     const char *new_value, struct sales_error *err)
{
	const char *cells[AUDIT_CELLS] = { sheet, key, column, old_value,
					   new_value };

	for (int i = 0; i < AUDIT_CELLS; i++)
		if (sales_buf_add(&t->audit, cells[i] ? cells[i] : "",
				  strlen(cells[i] ? cells[i] : "") + 1) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	t->naudit++;
	return 0;
}

int sales_txn_note(struct sales_txn *t, const char *file, const char *key,
		   const char *column, const char *old_value,
		   const char *new_value, struct sales_error *err)
{
	return add_audit(t, file, key, column, old_value, new_value, err);
}

static void current_values(const struct sales_sheet_table *st, size_t row,
			   const char **v)
{
	for (size_t c = 0; c < st->def->ncolumns; c++)
		v[c] = sales_sheet_table_get(st, row, (int)c);
}

int sales_txn_set(struct sales_txn *t, enum sales_sheet_id id, size_t row,
		  int col, const char *value, struct sales_error *err)
{
	struct sales_sheet_table *st = &t->sheets[id];
	const char *v[SALES_MAX_COLS];
	struct sales_buf key = {0}, old = {0};
	int rc;

	if (!t->loaded[id])
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "sheet %s not loaded",
				       sales_sheet_def(id)->file);
	value = value ? value : "";
	if (!strcmp(sales_sheet_table_get(st, row, col), value))
		return 0;
	current_values(st, row, v);
	sales_row_key(st->def, v, &key);
	sales_buf_addstr(&old, v[col]);
	rc = sales_sheet_table_set(st, row, col, value, err);
	if (rc == 0)
		rc = add_audit(t, st->def->file, key.data, st->def->columns[col].zh,
			       old.data, value, err);
	sales_buf_release(&key);
	sales_buf_release(&old);
	return rc;
}

long sales_txn_append(struct sales_txn *t, enum sales_sheet_id id,
		      const char *const *values, struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct sales_buf key = {0};
	long idx = 0;

	sales_row_key(def, values, &key);
	for (size_t c = 0; c < def->ncolumns; c++)
		if (values[c] && *values[c] &&
		    add_audit(t, def->file, key.data, def->columns[c].zh, "",
			      values[c], err) < 0)
			goto fail;
	if (t->loaded[id]) {
		idx = sales_sheet_table_append(&t->sheets[id], values, err);
		if (idx < 0)
			goto fail;
	} else {
		unsigned char sid = (unsigned char)id;

		if (sales_buf_add(&t->pending, &sid, 1) < 0)
			goto nomem;
		for (size_t c = 0; c < def->ncolumns; c++) {
			const char *s = values[c] ? values[c] : "";

			if (sales_buf_add(&t->pending, s, strlen(s) + 1) < 0)
				goto nomem;
		}
	}
	sales_buf_release(&key);
	return idx;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	sales_buf_release(&key);
	return -1;
}

size_t sales_txn_changes(const struct sales_txn *t)
{
	return t->naudit;
}

/* Writes queued appends of one sheet with one O(1) append. */
static int flush_pending(struct sales_txn *t, enum sales_sheet_id id,
			 struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	const char **values = NULL;
	size_t nrows = 0, cap = 0;
	const char *p = t->pending.data, *end = p + t->pending.len;
	int rc;

	while (p && p < end) {
		unsigned char sid = (unsigned char)*p++;

		if (sid == (unsigned char)id && nrows == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			const char **nv = realloc(values, ncap * def->ncolumns *
						  sizeof(*nv));

			if (!nv) {
				free(values);
				return sales_error_set(err, SALES_ENOMEM, NULL,
						       0, 0, "out of memory");
			}
			values = nv;
			cap = ncap;
		}
		for (size_t c = 0; c < sales_sheet_def(sid)->ncolumns; c++) {
			if (sid == (unsigned char)id)
				values[nrows * def->ncolumns + c] = p;
			p += strlen(p) + 1;
		}
		if (sid == (unsigned char)id)
			nrows++;
	}
	rc = nrows ? sales_sheet_append(t->dir, id, values, nrows, err) : 0;
	free(values);
	return rc;
}

static int write_audit(struct sales_txn *t, struct sales_error *err)
{
	const struct sales_sheet_def *def = sales_sheet_def(SALES_AUDIT);
	char *path = sales_path_join(t->dir, def->file);
	const char **cells = NULL;
	const char *p = t->audit.data;
	char when[40], tz[8];
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1;

	if (!path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	localtime_r(&now, &tm);
	strftime(tz, sizeof(tz), "%z", &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when),
		 "%.3s:%.2s", tz, tz + 3);
	if (!sales_sheet_exists(t->dir, SALES_AUDIT)) {
		const char *hdr[AUDIT_NCOLS];

		for (int c = 0; c < AUDIT_NCOLS; c++)
			hdr[c] = def->columns[c].zh;
		if (sales_create_file(path, hdr, AUDIT_NCOLS, err) < 0)
			goto out;
	}
	cells = calloc(t->naudit * AUDIT_NCOLS, sizeof(*cells));
	if (!cells) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t->naudit; i++) {
		const char **row = cells + i * AUDIT_NCOLS;

		row[AUDIT_TIME] = when;
		row[AUDIT_USER] = sales_user();
		row[AUDIT_COMMAND] = t->command;
		for (int c = AUDIT_SHEET; c < AUDIT_NCOLS; c++) {
			row[c] = p;
			p += strlen(p) + 1;
		}
	}
	rc = sales_sheet_append(t->dir, SALES_AUDIT, cells, t->naudit, err);
out:
	free(cells);
	free(path);
	return rc;
}

int sales_txn_commit(struct sales_txn *t, struct sales_error *err)
{
	if (t->committed)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "transaction already committed");
	t->committed = true;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		if (!t->loaded[id])
			continue;
		if (sales_table_save(t->sheets[id].table, err) < 0)
			return -1;
	}
	for (int id = 0; id < SALES_NSHEETS; id++)
		if (flush_pending(t, (enum sales_sheet_id)id, err) < 0)
			return -1;
	if (t->naudit && write_audit(t, err) < 0)
		return -1;
	return 0;
}

void sales_txn_end(struct sales_txn *t)
{
	for (int id = 0; id < SALES_NSHEETS; id++)
		if (t->loaded[id])
			sales_sheet_table_release(&t->sheets[id]);
	sales_buf_release(&t->pending);
	sales_buf_release(&t->audit);
	sales_lock_release(&t->lock);
	free(t->dir);
	free(t->command);
	memset(t, 0, sizeof(*t));
	t->lock.fd = -1;
}
