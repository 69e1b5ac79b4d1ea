#include "baseline.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "wbdiff.h"
#include "workbook.h"

/* "line 12" and "04-contracts.csv:12" become "line #" and
 * "04-contracts.csv:#": a row that moved quotes another line. */
static int add_masked(struct sales_buf *b, const char *s)
{
	while (*s) {
		size_t skip = 0;

		if (!strncmp(s, "line ", 5))
			skip = 5;
		else if (!strncmp(s, ".csv:", 5))
			skip = 5;
		if (skip && s[skip] >= '0' && s[skip] <= '9') {
			if (sales_buf_add(b, s, skip) < 0 || sales_buf_addch(b, '#') < 0)
				return -1;
			s += skip;
			while (*s >= '0' && *s <= '9')
				s++;
			continue;
		}
		if (sales_buf_addch(b, *s++) < 0)
			return -1;
	}
	return 0;
}

void sales_finding_ids_free(char **ids, size_t n)
{
	if (!ids)
		return;
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int sales_finding_ids(const struct sales_check_result *res, const char *dir,
		      char ***out, struct sales_error *err)
{
	struct sales_sheet_rows rows[SALES_NSHEETS];
	bool loaded[SALES_NSHEETS] = { false }, tried[SALES_NSHEETS] = { false };
	struct sales_buf b = { 0 };
	char **ids;
	int rc = -1;

	*out = NULL;
	ids = calloc(res->nfindings + 1, sizeof(*ids));
	if (!ids)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *f = &res->findings[i];
		const struct sales_sheet_rows *s = NULL;
		const struct sales_vrow *row = NULL;
		unsigned id = (unsigned)f->sheet;

		if (id < SALES_NSHEETS && !tried[id]) {
			const struct sales_sheet_def *def = sales_sheet_def(f->sheet);
			char *path = sales_path_join(dir, def->file);

			tried[id] = true;
			/* check read it already; one that cannot be read
			 * again gives identities by line */
			if (path && sales_sheet_rows_load(&rows[id], path,
							  def->file, def, NULL) == 0)
				loaded[id] = true;
			free(path);
		}
		if (id < SALES_NSHEETS && loaded[id]) {
			s = &rows[id];
			row = sales_sheet_rows_at(s, f->line);
		}
		sales_buf_reset(&b);
		sales_buf_printf(&b, "%s\x1f%s\x1f%s\x1f",
				 sales_check_defs[f->check].name,
				 sales_severity_name(f->severity), f->file);
		if (row)
			sales_buf_printf(&b, "row\x1e%s\x1f",
					 s->unique ? row->key : row->weak);
		else if (f->line == 1)
			sales_buf_printf(&b, "header\x1f");
		else
			sales_buf_printf(&b, "line\x1e%ld\x1f", f->line);
		if (s && f->column > 0) {
			const char *ck = NULL;

			for (size_t c = 0; c < s->ncols; c++)
				if (s->file_col[c] == f->column - 1)
					ck = s->colkey[c];
			sales_buf_printf(&b, "%s\x1f", ck ? ck : "");
		} else {
			sales_buf_printf(&b, "%d\x1f", f->column);
		}
		sales_buf_printf(&b, "%s\x1f", f->customer ? f->customer : "");
		if (add_masked(&b, f->message ? f->message : "") < 0 || !b.data)
			goto nomem;
		ids[i] = strdup(b.data);
		if (!ids[i])
			goto nomem;
	}
	*out = ids;
	ids = NULL;
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_finding_ids_free(ids, res->nfindings);
	for (size_t i = 0; i < SALES_NSHEETS; i++)
		if (loaded[i])
			sales_sheet_rows_release(&rows[i]);
	sales_buf_release(&b);
	return rc;
}

struct ref {
	const char *id;
	size_t idx;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sales_findings_new(char *const *now, size_t nnow, char *const *base,
		       size_t nbase, bool *is_new)
{
	struct ref *r = calloc(nnow + 1, sizeof(*r));
	char **sorted = calloc(nbase + 1, sizeof(*sorted));
	size_t k = 0;

	if (!r || !sorted) {
		free(r);
		free(sorted);
		return -1;
	}
	for (size_t i = 0; i < nnow; i++)
		r[i] = (struct ref){ now[i], i };
	if (nbase)
		memcpy(sorted, base, nbase * sizeof(*sorted));
	qsort(r, nnow, sizeof(*r), cmp_ref);
	qsort(sorted, nbase, sizeof(*sorted), cmp_str);
	/* equal identities in file order: the first as many as base has
	 * are old, the rest new */
	for (size_t i = 0; i < nnow; i++) {
		int c = 1;

		while (k < nbase && (c = strcmp(sorted[k], r[i].id)) < 0)
			k++;
		if (k < nbase && c == 0) {
			is_new[r[i].idx] = false;
			k++;
		} else {
			is_new[r[i].idx] = true;
		}
	}
	free(r);
	free(sorted);
	return 0;
}

int sales_finding_fingerprints(char *const *ids, size_t n, uint64_t *out)
{
	struct ref *r = calloc(n + 1, sizeof(*r));
	struct sales_buf b = { 0 };
	size_t occ = 0;

	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ref){ ids[i], i };
	qsort(r, n, sizeof(*r), cmp_ref);
	for (size_t i = 0; i < n; i++) {
		occ = i && !strcmp(r[i - 1].id, r[i].id) ? occ + 1 : 0;
		sales_buf_reset(&b);
		if (sales_buf_printf(&b, "%s\x1d%zu", r[i].id, occ) < 0) {
			free(r);
			sales_buf_release(&b);
			return -1;
		}
		out[r[i].idx] = sales_hash(b.data, b.len);
	}
	free(r);
	sales_buf_release(&b);
	return 0;
}
