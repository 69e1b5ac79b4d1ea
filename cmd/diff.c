/*
 * diff.c - `sales diff`: what changed in the workbook between two
 * revisions, row by row by each sheet's key (libsales/wbdiff.h), with each
 * changed cell as `column: old → new` and the file:line on both sides.
 * Revisions come from git as snapshots (libsales/git.h), so every sheet is
 * read by the same reader as on disk.
 */
#include "cmd.h"
#include "buf.h"
#include "json.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "git.h"
#include "i18n.h"
#include "schema.h"
#include "sheet.h"
#include "wbdiff.h"
#include "workbook.h"

static const char *const diff_usage[] = {
	"sales diff [REV [REV2]] [SHEET...] [--staged] [--format table|json] [--exit-code]",
	NULL,
};

/* One side of the comparison: a folder, and how git would name its files
 * ("HEAD:", ":" for the index, "" for the working tree). */
struct side {
	const char *dir;
	char *snap;
	char prefix[160];
	const char *label;   /* for the JSON: the revision, "index" or NULL */
};

struct names {
	char **v;
	size_t n, alloc;
};

static bool is_csv(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && strncmp(name, "~$", 2) != 0 && n > 4 &&
	       !strcasecmp(name + n - 4, ".csv");
}

static int add_name(struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return 0;
	if (SALES_ALLOC_GROW(ns->v, ns->n + 1, ns->alloc) < 0)
		return -1;
	if (!(ns->v[ns->n] = strdup(name)))
		return -1;
	ns->n++;
	return 0;
}

static int list_csv(const char *dir, struct names *ns)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (is_csv(de->d_name) && add_name(ns, de->d_name) < 0)
			rc = -1;
	closedir(d);
	return rc;
}

/* Known sheets in schema order, then other CSV files by name. */
static int cmp_file(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const struct sales_sheet_def *dx = sales_sheet_find(x), *dy = sales_sheet_find(y);
	int ix = dx ? (int)dx->id : SALES_NSHEETS, iy = dy ? (int)dy->id : SALES_NSHEETS;

	if (ix != iy)
		return ix - iy;
	return strcmp(x, y);
}

static bool file_exists(const char *dir, const char *name)
{
	char *p = sales_path_join(dir, name);
	bool yes = p && access(p, F_OK) == 0;

	free(p);
	return yes;
}

static bool same_bytes(const char *a_dir, const char *b_dir, const char *name)
{
	char *pa = sales_path_join(a_dir, name), *pb = sales_path_join(b_dir, name);
	char *da = NULL, *db = NULL;
	size_t la = 0, lb = 0;
	bool same = false;

	if (pa && pb && sales_read_file(pa, &da, &la, NULL) == 0 &&
	    sales_read_file(pb, &db, &lb, NULL) == 0)
		same = la == lb && !memcmp(da, db, la);
	free(da);
	free(db);
	free(pa);
	free(pb);
	return same;
}

static void put_value(FILE *f, const char *s)
{
	if (!*s) {
		fputs(_("(empty)"), f);
		return;
	}
	for (; *s; s++) {
		if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\r')
			fputs("\\r", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
}

/* The cells that name a row (wbdiff.h's label): the sheet's key columns, or
 * a plain CSV's first two. */
static bool naming_column(const struct sales_sheet_rows *s, size_t col)
{
	const int *kc;
	bool unique;
	size_t nk = s->def ? sales_sheet_key(s->def->id, &kc, &unique) : 0;

	if (!s->def)
		return col < 2;
	for (size_t k = 0; k < nk; k++)
		if (kc[k] == (int)col)
			return true;
	return false;
}

static void print_row_text(const struct sales_row_diff *rd,
			   const struct sales_sheet_rows *os,
			   const struct sales_sheet_rows *ns,
			   const struct side *o, const struct side *n,
			   const char *file)
{
	const struct sales_vrow *r = rd->new_row ? rd->new_row : rd->old_row;
	const struct sales_sheet_rows *s = rd->new_row ? ns : os;
	const char *what = rd->kind == SALES_ROW_ADDED ? _("added") :
			   rd->kind == SALES_ROW_REMOVED ? _("removed") :
			   _("changed");

	printf("  %s %s ", rd->kind == SALES_ROW_ADDED ? "+" :
	       rd->kind == SALES_ROW_REMOVED ? "-" : "~", what);
	put_value(stdout, r->label);
	fputs("  ", stdout);
	if (rd->old_row)
		printf("%s%s:%ld", o->prefix, file, rd->old_row->line);
	if (rd->old_row && rd->new_row)
		fputs(" → ", stdout);
	if (rd->new_row)
		printf("%s%s:%ld", n->prefix, file, rd->new_row->line);
	putchar('\n');
	if (rd->kind == SALES_ROW_CHANGED) {
		for (size_t i = 0; i < rd->ncells; i++) {
			printf("      %s: ", rd->cells[i].column);
			put_value(stdout, rd->cells[i].old_value);
			fputs(" → ", stdout);
			put_value(stdout, rd->cells[i].new_value);
			putchar('\n');
		}
		return;
	}
	/* a whole row: its filled cells but those named above */
	for (size_t i = 0; i < s->ncols; i++) {
		if (naming_column(s, i) || !*r->v[i])
			continue;
		printf("      %s: ", s->colname[i]);
		put_value(stdout, r->v[i]);
		putchar('\n');
	}
}

/* "k":"v" (v NULL: null) in the object j is writing. */
static void json_kv(struct sales_json *j, const char *k, const char *v)
{
	sales_json_key(j, k);
	sales_json_str(j, v);
}

static void json_where(struct sales_json *j, const char *name,
		       const struct side *sd, const char *file,
		       const struct sales_vrow *r)
{
	struct sales_buf b = { 0 };

	sales_json_key(j, name);
	if (!r) {
		sales_json_null(j);
		return;
	}
	sales_buf_printf(&b, "%s%s", sd->prefix, file);
	sales_json_object(j, SALES_JSON_COMPACT);
	sales_json_key(j, "file");
	sales_json_strn(j, b.data ? b.data : "", b.len);
	sales_json_key(j, "line");
	sales_json_int(j, r->line);
	sales_json_end(j);
	sales_buf_release(&b);
}

static void json_cell(struct sales_json *j, const char *key, const char *header,
		      const char *old, const char *new)
{
	sales_json_object(j, SALES_JSON_COMPACT);
	json_kv(j, "column", key);
	json_kv(j, "header", header);
	json_kv(j, "old", old);
	json_kv(j, "new", new);
	sales_json_end(j);
}

static void print_row_json(struct sales_json *j, const struct sales_row_diff *rd,
			   const struct sales_sheet_rows *os,
			   const struct sales_sheet_rows *ns,
			   const struct side *o, const struct side *n,
			   const char *file)
{
	const struct sales_vrow *r = rd->new_row ? rd->new_row : rd->old_row;
	const struct sales_sheet_rows *s = rd->new_row ? ns : os;
	const int *kc;
	bool unique;
	size_t nk = s->def ? sales_sheet_key(s->def->id, &kc, &unique) : 0;

	sales_json_object(j, SALES_JSON_COMPACT);
	json_kv(j, "change", rd->kind == SALES_ROW_ADDED ? "added" :
		rd->kind == SALES_ROW_REMOVED ? "removed" : "changed");
	json_kv(j, "label", r->label);
	sales_json_key(j, "key");
	sales_json_object(j, SALES_JSON_COMPACT);
	for (size_t k = 0; k < nk; k++)
		json_kv(j, s->colkey[kc[k]], r->v[kc[k]]);
	sales_json_end(j);
	json_where(j, "old", o, file, rd->old_row);
	json_where(j, "new", n, file, rd->new_row);
	sales_json_key(j, "cells");
	sales_json_array(j, SALES_JSON_COMPACT);
	if (rd->kind == SALES_ROW_CHANGED) {
		for (size_t i = 0; i < rd->ncells; i++)
			json_cell(j, rd->cells[i].colkey, rd->cells[i].column,
				  rd->cells[i].old_value, rd->cells[i].new_value);
	} else {
		for (size_t i = 0; i < s->ncols; i++)
			if (*r->v[i])
				json_cell(j, s->colkey[i], s->colname[i],
					  rd->old_row ? r->v[i] : NULL,
					  rd->new_row ? r->v[i] : NULL);
	}
	sales_json_end(j);
	sales_json_end(j);
}

struct totals {
	size_t added, removed, changed, sheets;
};

/* Compares one file on both sides and prints it; returns 0, 2 on an
 * unreadable sheet. */
static int diff_file(const char *file, const struct side *o,
		     const struct side *n, enum out_format fmt, struct sales_json *j,
		     struct totals *t)
{
	const struct sales_sheet_def *def = sales_sheet_find(file);
	struct sales_sheet_rows os, ns;
	bool have_o = file_exists(o->dir, file), have_n = file_exists(n->dir, file);
	bool lo = false, ln = false;
	struct sales_sheet_diff d;
	struct sales_error err;
	int status = 0;

	if (def && strcmp(def->file, file))
		def = NULL;   /* "1.csv" is no sheet's file */
	sales_error_clear(&err);
	for (int side = 0; side < 2; side++) {
		const struct side *sd = side ? n : o;
		struct sales_sheet_rows *rows = side ? &ns : &os;
		struct sales_buf disp = { 0 };
		char *path;
		int rc;

		if (!(side ? have_n : have_o))
			continue;
		path = sales_path_join(sd->dir, file);
		sales_buf_printf(&disp, "%s%s", sd->prefix, file);
		rc = path && disp.data ?
		     sales_sheet_rows_load(rows, path, disp.data, def, &err) : -1;
		free(path);
		sales_buf_release(&disp);
		if (rc < 0) {
			report_error(&err);
			status = EXIT_USAGE;
			goto out;
		}
		if (side)
			ln = true;
		else
			lo = true;
	}
	if (sales_sheet_diff(&d, file, lo ? &os : NULL, ln ? &ns : NULL, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_sheet_diff_empty(&d) && lo && ln && !same_bytes(o->dir, n->dir, file)) {
		/* what the reader gives is the same: quoting, spacing at the
		 * end, a merged cell typed out */
		char *note = strdup(_("bytes changed, no value changed"));

		if (note && SALES_ALLOC_GROW(d.notes, d.nnotes + 1, d.anotes) == 0)
			d.notes[d.nnotes++] = note;
		else
			free(note);
	}
	if (!sales_sheet_diff_empty(&d)) {
		t->sheets++;
		for (size_t i = 0; i < d.nrows; i++) {
			if (d.rows[i].kind == SALES_ROW_ADDED)
				t->added++;
			else if (d.rows[i].kind == SALES_ROW_REMOVED)
				t->removed++;
			else
				t->changed++;
		}
		if (fmt == FMT_TABLE) {
			printf("%s%s%s%s\n", file, def ? " (" : "",
			       def ? def->title : "", def ? ")" : "");
			if (d.added)
				printf("  %s\n", _("new file"));
			if (d.removed)
				printf("  %s\n", _("file deleted"));
			for (size_t i = 0; i < d.nrows; i++)
				print_row_text(&d.rows[i], &os, &ns, o, n, file);
			for (size_t i = 0; i < d.nnotes; i++)
				printf("  %s: %s\n", _("note"), d.notes[i]);
		} else {
			sales_json_object(j, SALES_JSON_COMPACT);
			json_kv(j, "file", file);
			json_kv(j, "sheet", def ? def->name : NULL);
			sales_json_key(j, "added_file");
			sales_json_bool(j, d.added);
			sales_json_key(j, "removed_file");
			sales_json_bool(j, d.removed);
			sales_json_key(j, "moved");
			sales_json_int(j, (long long)d.moved);
			sales_json_key(j, "notes");
			sales_json_array(j, SALES_JSON_COMPACT);
			for (size_t i = 0; i < d.nnotes; i++)
				sales_json_str(j, d.notes[i]);
			sales_json_end(j);
			sales_json_key(j, "rows");
			sales_json_array(j, SALES_JSON_COMPACT);
			for (size_t i = 0; i < d.nrows; i++)
				print_row_json(j, &d.rows[i], &os, &ns, o, n, file);
			sales_json_end(j);
			sales_json_end(j);
			put_buf(stdout, j->out);
		}
	}
	sales_sheet_diff_release(&d);
out:
	if (lo)
		sales_sheet_rows_release(&os);
	if (ln)
		sales_sheet_rows_release(&ns);
	return status;
}

static int open_side(struct side *sd, const char *wb, const char *rev,
		     bool index)
{
	struct sales_error err;

	sales_error_clear(&err);
	if (!rev && !index) {
		sd->dir = wb;
		sd->prefix[0] = '\0';
		sd->label = NULL;
		return 0;
	}
	if (sales_git_snapshot(wb, index ? SALES_GIT_INDEX : rev, &sd->snap,
			       &err) < 0)
		return report_error(&err);
	sd->dir = sd->snap;
	snprintf(sd->prefix, sizeof(sd->prefix), "%s:", index ? "" : rev);
	sd->label = index ? "index" : rev;
	return 0;
}

int cmd_diff(int argc, const char **argv, struct sales_ctx *ctx)
{
	enum out_format fmt = FMT_TABLE;
	bool staged = false, exit_code = false;
	const struct opt opts[] = {
		OPT_FORMAT_OF(&fmt, FMT_BIT(FMT_TABLE) | FMT_BIT(FMT_JSON)),
		OPT_BOOLEAN(0, "staged", &staged, "compare REV (default HEAD) with the files staged for commit"),
		OPT_BOOLEAN(0, "cached", &staged, "the same as --staged"),
		OPT_BOOLEAN(0, "exit-code", &exit_code, "exit 1 when a row changed"),
		OPT_DONE,
	};
	const char *revs[2] = { NULL, NULL };
	const char **sheets = NULL;
	struct side o = { 0 }, n = { 0 };
	struct names files = { 0 };
	struct totals t = { 0 };
	struct sales_buf jout = { 0 };
	struct sales_json j;
	size_t nrev = 0, nsheets = 0;
	int npos, code, status = 0;

	npos = parse_options(argc, argv, opts, diff_usage, &code);
	if (npos < 0)
		return code;
	sheets = calloc((size_t)npos + 1, sizeof(*sheets));
	if (!sheets)
		return EXIT_USAGE;
	/* a word that names a sheet is a sheet; the rest are revisions */
	for (int i = 0; i < npos; i++) {
		const struct sales_sheet_def *def = sales_sheet_find(argv[i]);

		if (def) {
			sheets[nsheets++] = def->file;
		} else if (nrev < 2) {
			revs[nrev++] = argv[i];
		} else {
			error_msg(_("'%s' is neither a sheet nor a third revision"), argv[i]);
			free(sheets);
			return EXIT_USAGE;
		}
	}
	if (staged && nrev > 1) {
		error_msg(_("--staged compares one revision with the index"));
		free(sheets);
		return EXIT_USAGE;
	}
	if (!nrev)
		revs[nrev++] = "HEAD";
	if (open_side(&o, ctx->dir, revs[0], false) != 0 ||
	    open_side(&n, ctx->dir, revs[1], staged) != 0) {
		status = EXIT_USAGE;
		goto out;
	}
	if (nsheets) {
		for (size_t i = 0; i < nsheets; i++)
			if (add_name(&files, sheets[i]) < 0)
				status = EXIT_USAGE;
	} else if (list_csv(o.dir, &files) < 0 || list_csv(n.dir, &files) < 0) {
		status = EXIT_USAGE;
	}
	if (status)
		goto out;
	qsort(files.v, files.n, sizeof(*files.v), cmp_file);
	sales_json_init(&j, &jout);
	if (fmt == FMT_JSON) {
		/* one sheet a line; each written out when it is complete */
		sales_json_object(&j, SALES_JSON_COMPACT);
		json_kv(&j, "from", o.label);
		json_kv(&j, "to", n.label);
		sales_json_key(&j, "sheets");
		sales_json_array(&j, SALES_JSON_LINES);
		put_buf(stdout, &jout);
	}
	for (size_t i = 0; i < files.n && !status; i++)
		status = diff_file(files.v[i], &o, &n, fmt, &j, &t);
	if (fmt == FMT_JSON && !status)
		json_print_end(&j, &jout);
	sales_buf_release(&jout);
	if (!status) {
		fprintf(stderr, _("diff %s → %s: "), o.label,
			n.label ? n.label : _("working tree"));
		fprintf(stderr, P_("%zu row added, ", "%zu rows added, ", t.added), t.added);
		fprintf(stderr, P_("%zu removed, ", "%zu removed, ", t.removed), t.removed);
		fprintf(stderr, P_("%zu changed ", "%zu changed ", t.changed), t.changed);
		fprintf(stderr, P_("in %zu sheet\n", "in %zu sheets\n", t.sheets), t.sheets);
		if (exit_code && (t.added || t.removed || t.changed))
			status = EXIT_PROBLEMS;
	}
out:
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	free(sheets);
	sales_git_snapshot_remove(o.snap);
	sales_git_snapshot_remove(n.snap);
	return status;
}
