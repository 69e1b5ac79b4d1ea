/*
 * lead.c - `sales lead add|import|list|set`: stage 1 of the process, the
 * leads sheet 01-leads.csv.
 *
 * add and import append under the workbook lock without rewriting the
 * sheet, after streaming it once for duplicates and the next 序号; set
 * rewrites only the cells it changes.  A refused change writes nothing.
 */
#include "cmd.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "context.h"
#include "entry.h"
#include "facts.h"
#include "json.h"
#include "leads.h"
#include "model.h"
#include "rejects.h"
#include "resolve.h"
#include "schema.h"
#include "text.h"
#include "txn.h"
#include "validate.h"
#include "workbook.h"

static const char *const lead_usage[] = {
	"sales lead add <customer> [--industry TEXT] [--phone PHONE] [--owner NAME] [...] [--force]",
	"sales lead import FILE.csv [--force] [--dry-run]",
	"sales lead list [--grade G] [--owner NAME] [--status S] [--region R] [--product-line P] [--stale DAYS] [--as-of DATE] [--format table|csv|tsv|json|md]",
	"sales lead set <customer> [--status S] [--note TEXT] [--last-contact DATE] [--grade G] [--owner NAME] [...]",
	"sales lead rename <old-name> <new-name>",
	NULL,
};

/* The option that sets each 01 column: its English key with '-' for '_'. */
static const char *option_name(int col, char *buf, size_t cap)
{
	const char *key = sales_sheet_def(SALES_LEADS)->columns[col].key;
	size_t i = 0;

	buf[i++] = '-';
	buf[i++] = '-';
	for (; *key && i + 1 < cap; key++)
		buf[i++] = *key == '_' ? '-' : *key;
	buf[i] = '\0';
	return buf;
}

/* One option per settable 01 column (序号 is computed, 线索评分 comes from
 * `sales score`, 客户名称 is the argument of `lead set`). */
#define LEAD_VALUE_OPTIONS(v) \
	OPT_STR(0, "industry", &(v)[LEAD_INDUSTRY], "TEXT", "行业, e.g. 制造业"), \
	OPT_STR(0, "size", &(v)[LEAD_SIZE], "SIZE", "企业规模, e.g. 500-1000人/5亿以上"), \
	OPT_STR(0, "contact", &(v)[LEAD_CONTACT], "NAME", "联系人"), \
	OPT_STR(0, "title", &(v)[LEAD_TITLE], "TEXT", "职务"), \
	OPT_STR(0, "phone", &(v)[LEAD_PHONE], "PHONE", "联系方式"), \
	OPT_STR(0, "source", &(v)[LEAD_SOURCE], "TEXT", "线索来源, e.g. 行业展会"), \
	OPT_STR(0, "need", &(v)[LEAD_NEED], "TEXT", "初步需求"), \
	OPT_STR(0, "grade", &(v)[LEAD_GRADE], "GRADE", "线索等级: A类, B类 or C类"), \
	OPT_STR(0, "owner", &(v)[LEAD_OWNER], "NAME", "负责人 (in team.csv)"), \
	OPT_STR(0, "last-contact", &(v)[LEAD_LAST_CONTACT], "DATE", "最后跟进时间"), \
	OPT_STR(0, "note", &(v)[LEAD_NOTE], "TEXT", "备注"), \
	OPT_STR(0, "registered", &(v)[LEAD_REGISTERED], "DATE", "登记日期"), \
	OPT_STR(0, "status", &(v)[LEAD_STATUS], "STATUS", "客户状态: 新线索, 跟进中, 已签约, 已丢单 (公海 is set by sales pool)"), \
	OPT_STR(0, "region", &(v)[LEAD_REGION], "TEXT", "区域"), \
	OPT_STR(0, "product-line", &(v)[LEAD_PRODUCT_LINE], "TEXT", "产品线"), \
	OPT_STR(0, "lost-reason", &(v)[LEAD_LOST_REASON], "TEXT", "丢单原因 (for 已丢单 leads: why the deal was lost)")

/*
 * Checks the values given as options into pool (NUL-separated; off[col] is
 * the offset, or -1 when not given).  Prints one error per bad option and
 * returns 0 when all are good, else the exit status: 2 when one does not
 * parse, 1 when only rules said no.
 */
static int check_options(const struct sales_context *c, const char **given,
			 struct sales_buf *pool, long *off)
{
	int bad = 0;

	for (int col = 0; col < LEAD_NCOLS; col++) {
		struct sales_error err;
		char opt[40];

		off[col] = -1;
		if (!given[col])
			continue;
		off[col] = (long)pool->len;
		sales_error_clear(&err);
		if (sales_lead_value(c, col, given[col], pool, &err) < 0 ||
		    sales_buf_addch(pool, '\0') < 0) {
			if (err.code == SALES_OK)
				err.code = SALES_ENOMEM;
			error_msg("option '%s': %s",
				  col == LEAD_CUSTOMER ? "<customer>" :
				  option_name(col, opt, sizeof(opt)), err.message);
			if (exit_code_for(&err) > bad)
				bad = exit_code_for(&err);
		}
	}
	return bad;
}

/*
 * Rule 4 for a 客户状态 about to be written (facts.h): 已签约 only with a
 * signed contract, nothing else once one is signed.  Reads 01 and 04, the
 * customer's rows only (sales_model_load_one); hook (may be NULL) sees
 * every row as it passes.  Prints why not; returns 0 or the exit status.
 */
static int status_allowed(const struct sales_context *c, const char *customer,
			  const char *status, sales_row_hook hook, void *ud,
			  struct sales_model **out)
{
	struct sales_model *m = NULL;
	struct sales_rulebook *rb = NULL;
	struct sales_facts f;
	struct sales_error err;
	long k;
	int rc = 0;

	sales_facts_init(&f);
	sales_error_clear(&err);
	if (sales_model_load_one(&m, c, (1u << SALES_LEADS) | (1u << SALES_CONTRACTS),
				 customer, hook, ud, &err) < 0 ||
	    sales_rulebook_open(&rb, m, &err) < 0) {
		rc = report_error(&err);
		goto out;
	}
	k = sales_model_find(m, customer);
	if (k >= 0 && sales_facts_eval(rb, k, SALES_FACTS_STAGES, &f, &err) < 0) {
		rc = report_error(&err);
		goto out;
	}
	if (sales_facts_status_allowed(m, k >= 0 ? &f : NULL, status, &err) < 0) {
		error_msg(_("option '--status': '%s' for '%s': %s"), status, customer,
			  err.message);
		rc = EXIT_PROBLEMS;
	}
out:
	sales_facts_release(&f);
	sales_rulebook_close(rb);
	if (out && !rc)
		*out = m;
	else
		sales_model_free(m);
	return rc;
}

static void resolve(const struct sales_buf *pool, const long *off,
		    const char **v)
{
	for (int col = 0; col < LEAD_NCOLS; col++)
		v[col] = off[col] >= 0 ? pool->data + off[col] : NULL;
}

/* ---- lead add ---- */

struct add_dups {
	const char *customer, *phone;
	bool force;
	int n;
	/* while rule 4 is still to be judged: the messages, NUL-separated,
	 * printed once it allowed the row (its refusal comes first) */
	bool hold;
	struct sales_buf held;
	struct sales_lead_scan scan;
	struct sales_dedup *d;
};

static int add_dup_found(void *ud, const struct sales_lead_dup *dup)
{
	struct add_dups *a = ud;
	void (*say)(const char *, ...) = a->force ? warning_msg : error_msg;
	char msg[1024];

	a->n++;
	if (dup->col == LEAD_CUSTOMER)
		snprintf(msg, sizeof(msg), _("'%s' is already a lead: %s:%ld:%s '%s'%s"),
			 a->customer, dup->file, dup->line, dup->cell, dup->customer,
			 a->force ? _("; adding it anyway (--force)") : "");
	else
		snprintf(msg, sizeof(msg), _("phone '%s' is already a lead's: %s:%ld:%s '%s' of '%s'%s"),
			 a->phone, dup->file, dup->line, dup->cell, dup->value,
			 dup->customer, a->force ? _("; adding it anyway (--force)") : "");
	if (!a->hold)
		say("%s", msg);
	else if (sales_buf_add(&a->held, msg, strlen(msg) + 1) < 0)
		return -1;
	return 0;
}

/* The duplicate scan in the pass that reads 01 for rule 4 (one read of
 * the sheet, every row of it). */
static int add_dup_row(void *ud, const struct sales_row_event *ev,
		       struct sales_error *err)
{
	struct add_dups *a = ud;

	if (ev->sheet != SALES_LEADS)
		return 0;
	if (sales_leads_scan_row(a->d, ev->rec, ev->map, add_dup_found, a,
				 &a->scan))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	return 0;
}

static int lead_add(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const char *const usage[] = {
		"sales lead add <customer> [options] [--force]",
		"sales lead add --customer NAME [options] [--force]",
		NULL,
	};
	const char *given[LEAD_NCOLS] = { 0 };
	bool force = false;
	const struct opt opts[] = {
		OPT_STR(0, "customer", &given[LEAD_CUSTOMER], "NAME", "客户名称 (or the first argument)"),
		LEAD_VALUE_OPTIONS(given),
		OPT_BOOLEAN(0, "force", &force, "add it even when it duplicates a lead (same name or phone)"),
		OPT_DONE,
	};
	const char *v[LEAD_NCOLS];
	long off[LEAD_NCOLS];
	char today[11], no[24];
	struct sales_buf pool = {0};
	struct sales_context c;
	struct sales_dedup *d = NULL;
	struct sales_lead_scan scan;
	struct add_dups dups = {0};
	struct sales_error err;
	struct sales_txn t;
	int n, code, status = 0, col;

	n = parse_options(argc, argv, opts, usage, &code);
	if (n < 0)
		return code;
	if (n > 1 || (n == 1 && given[LEAD_CUSTOMER])) {
		error_msg("lead add takes one customer");
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}
	if (n == 1)
		given[LEAD_CUSTOMER] = argv[0];
	if (!given[LEAD_CUSTOMER]) {
		error_msg("lead add needs the customer's name");
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}

	sales_error_clear(&err);
	/* the lock is held from before the duplicate scan until the append */
	if (change_begin(&t, &c, ctx, "lead add", &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if ((status = check_options(&c, given, &pool, off)) != 0) {
		goto out;
	}
	resolve(&pool, off, v);
	sales_lead_defaults(&c, v, today);
	if (sales_lead_check_row(v, &col, &err) < 0) {
		char opt[40];

		error_msg("option '%s': %s", option_name(col, opt, sizeof(opt)),
			  err.message);
		status = EXIT_PROBLEMS;
		goto out;
	}
	d = sales_dedup_new();
	if (!d || sales_dedup_add(d, v[LEAD_CUSTOMER], v[LEAD_PHONE], 0, &col) == -2) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}
	dups.customer = v[LEAD_CUSTOMER];
	dups.phone = v[LEAD_PHONE] ? v[LEAD_PHONE] : "";
	dups.force = force;
	dups.d = d;
	if (v[LEAD_STATUS]) {
		/* rule 4 and the duplicates in one read of 01 */
		struct sales_model *m = NULL;

		dups.hold = true;
		status = status_allowed(&c, v[LEAD_CUSTOMER], v[LEAD_STATUS],
					add_dup_row, &dups, &m);
		if (status)
			goto out;
		dups.hold = false;
		for (size_t at = 0; at < dups.held.len;
		     at += strlen(dups.held.data + at) + 1)
			(force ? warning_msg : error_msg)("%s", dups.held.data + at);
		scan = dups.scan;
		if (!m->has_sheet[SALES_LEADS]) {
			/* what the scan says of a missing 01 */
			sales_model_free(m);
			if (sales_leads_scan(ctx->dir, d, add_dup_found, &dups, &scan,
					     &err) < 0) {
				status = report_error(&err);
				goto out;
			}
		} else {
			sales_model_free(m);
		}
	} else if (sales_leads_scan(ctx->dir, d, add_dup_found, &dups, &scan,
				    &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (dups.n && !force) {
		fprintf(stderr, "%s\n", _("hint: use --force to add it anyway"));
		status = EXIT_PROBLEMS;
		goto out;
	}
	snprintf(no, sizeof(no), "%ld", scan.max_no + 1);
	v[LEAD_NO] = no;
	if (sales_txn_append(&t, SALES_LEADS, v, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	fprintf(stderr, _("added lead %s '%s' to %s\n"), no, v[LEAD_CUSTOMER],
		sales_sheet_def(SALES_LEADS)->file);
out:
	change_end(&t, &c);
	sales_dedup_free(d);
	sales_buf_release(&dups.held);
	sales_buf_release(&pool);
	return status;
}

/* ---- lead import ---- */

struct import_row {
	long line, excel_row;
	long off[LEAD_NCOLS];   /* into the pool, -1 when the file has no such cell */
	bool bad;
	size_t raw_off, nraw;   /* the row as written: nraw cells in im->raw */
	struct sales_buf why;   /* its problems, for the error workbook */
};

struct import {
	const char *file;
	const char *leads_file;
	int file_col[SALES_MAX_COLS];  /* schema column -> file column */
	struct import_row *rows;
	size_t nrows, cap;
	struct sales_buf pool;
	bool force;
	size_t nbad, ndups;
	bool unparsable;   /* a cell that does not parse: exit 2, not 1 */
	/* for --errors: the file as written */
	struct sales_buf raw;          /* cells, NUL-terminated, row after row */
	size_t hdr_off, nhdr;          /* the header's cells in raw */
	enum sales_encoding enc;
	bool bom;
	enum sales_eol eol;
};

static void import_error(struct import *im, struct import_row *row, int col,
			 bool warn, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Prints "error: FILE:LINE:CELL: message" for a cell of an imported row. */
static void import_error(struct import *im, struct import_row *row, int col,
			 bool warn, const char *fmt, ...)
{
	char letters[8], msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), _(fmt), ap);
	va_end(ap);
	if (im->file_col[col] >= 0)
		(warn ? warning_msg : error_msg)("%s:%ld:%s%ld: %s", im->file,
			row->line,
			sales_column_letters(im->file_col[col] + 1, letters),
			row->excel_row, msg);
	else
		(warn ? warning_msg : error_msg)("%s:%ld: %s", im->file,
						  row->line, msg);
	if (!warn) {
		if (row->why.len)
			sales_buf_addstr(&row->why, "；");
		sales_buf_addstr(&row->why, msg);
	}
	if (!warn && !row->bad) {
		row->bad = true;
		im->nbad++;
	}
}

/* Copies a record's cells into im->raw; *off and *n say where. */
static int keep_raw(struct import *im, const struct sales_row *row,
		    size_t *off, size_t *n)
{
	*off = im->raw.len;
	*n = row->ncells;
	for (size_t i = 0; i < row->ncells; i++)
		if (sales_buf_add(&im->raw, row->cells[i].s, row->cells[i].len) < 0 ||
		    sales_buf_addch(&im->raw, '\0') < 0)
			return -1;
	return 0;
}

/* A template's second row explains the columns (lead import --template):
 * its first filled cell starts with 注意事项. */
static bool explanation_row(const struct sales_row *row)
{
	for (size_t i = 0; i < row->ncells; i++) {
		size_t len = row->cells[i].len;
		const char *s = sales_trim(row->cells[i].s, &len);

		if (len)
			return len >= strlen("注意事项") &&
			       !memcmp(s, "注意事项", strlen("注意事项"));
	}
	return false;
}

static int read_import(struct import *im, const struct sales_context *c,
		       const char *path, struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	const struct sales_colmap *map;
	const struct sales_row *hdr;
	int rc;

	if (sales_sheet_open_path(path, path, sales_sheet_def(SALES_LEADS),
				  SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	map = sales_sheet_colmap(r);
	hdr = sales_sheet_header(r);
	memcpy(im->file_col, map->file_col, sizeof(im->file_col));
	{
		const struct sales_reader *fr = sales_sheet_file(r);

		im->enc = sales_reader_encoding(fr);
		im->bom = sales_reader_has_bom(fr);
		im->eol = sales_reader_eol(fr);
	}
	if (keep_raw(im, hdr, &im->hdr_off, &im->nhdr) < 0) {
		sales_sheet_close(r);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t f = 0; f < map->nfile; f++) {
		char letters[8];

		if (map->schema_col[f] < 0 && hdr->cells[f].len &&
		    strcmp(hdr->cells[f].s, SALES_REJECTS_COLUMN))
			warning_msg("%s:%ld:%s%ld: column '%s' is not a column of %s; ignored",
				    path, hdr->line,
				    sales_column_letters((int)f + 1, letters),
				    hdr->excel_row, hdr->cells[f].s, im->leads_file);
	}
	if (map->file_col[LEAD_NO] >= 0)
		note_msg("%s: the 序号 column is not imported; new leads are numbered after the last one",
			 path);
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		struct import_row *row;

		if (!im->nrows && explanation_row(rec->row)) {
			note_msg(_("%s:%ld: the template's 注意事项 row is not imported"),
				 path, rec->row->line);
			continue;
		}
		if (SALES_ALLOC_GROW(im->rows, im->nrows + 1, im->cap) < 0) {
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					     "out of memory");
			break;
		}
		row = &im->rows[im->nrows++];
		memset(row, 0, sizeof(*row));
		row->line = rec->row->line;
		row->excel_row = rec->row->excel_row;
		if (keep_raw(im, rec->row, &row->raw_off, &row->nraw) < 0) {
			rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					     "out of memory");
			break;
		}
		for (int col = 0; col < LEAD_NCOLS; col++) {
			struct sales_error verr;

			row->off[col] = -1;
			if (col == LEAD_NO || map->file_col[col] < 0)
				continue;
			row->off[col] = (long)im->pool.len;
			sales_error_clear(&verr);
			if (sales_lead_value(c, col, rec->v[col], &im->pool,
					     &verr) < 0) {
				import_error(im, row, col, false, "%s",
					     verr.message);
				if (exit_code_for(&verr) == EXIT_USAGE)
					im->unparsable = true;
			}
			if (sales_buf_addch(&im->pool, '\0') < 0) {
				rc = sales_error_set(err, SALES_ENOMEM, NULL, 0,
						     0, "out of memory");
				break;
			}
		}
		if (rc < 0)
			break;
	}
	sales_sheet_close(r);
	return rc < 0 ? -1 : 0;
}

static int import_dup_found(void *ud, const struct sales_lead_dup *dup)
{
	struct import *im = ud;
	struct import_row *row = &im->rows[dup->candidate];
	const char *v = im->pool.data + row->off[dup->col];

	im->ndups++;
	if (dup->col == LEAD_CUSTOMER)
		import_error(im, row, dup->col, im->force,
			     "'%s' is already a lead: %s:%ld:%s '%s'%s", v,
			     dup->file, dup->line, dup->cell, dup->customer,
			     im->force ? _("; importing it anyway (--force)") : "");
	else
		import_error(im, row, dup->col, im->force,
			     "phone '%s' is already a lead's: %s:%ld:%s '%s' of '%s'%s",
			     v, dup->file, dup->line, dup->cell, dup->value,
			     dup->customer,
			     im->force ? _("; importing it anyway (--force)") : "");
	return 0;
}

/* The error workbook (rejects.h): the refused rows as written, with why. */
static int write_rejects(const struct import *im, const char *path,
			 struct sales_error *err)
{
	const char **hdr = calloc(im->nhdr + 1, sizeof(*hdr));
	const char ***cells = calloc(im->nbad + 1, sizeof(*cells));
	const char **why = calloc(im->nbad + 1, sizeof(*why));
	size_t *ncells = calloc(im->nbad + 1, sizeof(*ncells)), k = 0;
	int rc = -1;
	const char *p;

	if (!hdr || !cells || !why || !ncells) {
		sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
		goto out;
	}
	p = im->raw.data + im->hdr_off;
	for (size_t i = 0; i < im->nhdr; i++, p += strlen(p) + 1)
		hdr[i] = p;
	for (size_t r = 0; r < im->nrows; r++) {
		const struct import_row *row = &im->rows[r];

		if (!row->bad)
			continue;
		cells[k] = calloc(row->nraw + 1, sizeof(**cells));
		if (!cells[k]) {
			sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
			goto out;
		}
		p = im->raw.data + row->raw_off;
		for (size_t i = 0; i < row->nraw; i++, p += strlen(p) + 1)
			cells[k][i] = p;
		ncells[k] = row->nraw;
		why[k] = row->why.data ? row->why.data : "";
		k++;
	}
	rc = sales_rejects_write(path, hdr, im->nhdr,
				 (const char *const *const *)cells, ncells, why, k,
				 im->enc, im->bom, im->eol, err);
out:
	for (size_t i = 0; cells && i <= im->nbad; i++)
		free(cells[i]);
	free(cells);
	free(hdr);
	free(why);
	free(ncells);
	return rc;
}

/* What each column of the import template asks for (its 注意事项 row). */
static const char *template_hint(int col)
{
	switch (col) {
	case LEAD_CUSTOMER: return N_("注意事项：必填，客户的全称，每个客户一行");
	case LEAD_SIZE: return N_("如 500-1000人/5亿以上");
	case LEAD_PHONE: return N_("手机11位，或座机 区号-号码，或400/800");
	case LEAD_SOURCE: return N_("行业展会、线上研讨会、客户转介绍、公开信息、招投标信息等");
	case LEAD_GRADE: return N_("A类、B类或C类（可留空，由 sales score 评定）");
	case LEAD_OWNER: return N_("负责的销售，须在 team.csv 中");
	case LEAD_LAST_CONTACT: return N_("日期，如 2024-01-15");
	case LEAD_REGISTERED: return N_("日期，留空为导入当天");
	case LEAD_STATUS: return N_("新线索、跟进中、已签约或已丢单，留空为新线索");
	default: return "";
	}
}

/* lead import --template: the columns a rep fills (not 序号, 线索评分, the
 * pool's or the review's), required ones marked *, UTF-8 with BOM, CRLF. */
static int write_template(const char *path)
{
	static const int cols[] = { LEAD_CUSTOMER, LEAD_INDUSTRY, LEAD_SIZE,
				    LEAD_CONTACT, LEAD_TITLE, LEAD_PHONE,
				    LEAD_SOURCE, LEAD_NEED, LEAD_GRADE,
				    LEAD_OWNER, LEAD_LAST_CONTACT, LEAD_NOTE,
				    LEAD_REGISTERED, LEAD_STATUS, LEAD_REGION,
				    LEAD_PRODUCT_LINE };
	const struct sales_sheet_def *def = sales_sheet_def(SALES_LEADS);
	struct sales_buf b = {0};
	struct sales_error err;
	int rc;

	sales_error_clear(&err);
	sales_buf_add(&b, "\xef\xbb\xbf", 3);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
			const struct sales_column_def *c = &def->columns[cols[i]];
			char h[128];

			if (i)
				sales_buf_addch(&b, ',');
			if (pass == 0) {
				snprintf(h, sizeof(h), "%s%s", c->zh,
					 (c->flags & SALES_COLF_REQUIRED) ? "*" : "");
				sales_csv_field(&b, h, strlen(h), ',');
			} else {
				const char *t = _(template_hint(cols[i]));

				if (*template_hint(cols[i]))
					sales_csv_field(&b, t, strlen(t), ',');
			}
		}
		sales_buf_addstr(&b, "\r\n");
	}
	if (!b.data) {
		error_msg("out of memory");
		return EXIT_USAGE;
	}
	rc = sales_write_file_new(path, b.data, b.len, &err);
	sales_buf_release(&b);
	if (rc < 0)
		return report_error(&err);
	fprintf(stderr, _("%s: a template for lead import; fill one row per customer below the 注意事项 row\n"),
		path);
	return 0;
}

static int lead_import(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const char *const usage[] = {
		"sales lead import FILE.csv [--force] [--dry-run] [--errors FILE_错误.csv] [--skip-bad]",
		"sales lead import --template FILE.csv",
		NULL,
	};
	bool force = false, dry_run = false, skip_bad = false;
	const char *errors_path = NULL, *template_path = NULL;
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "force", &force, "import rows that duplicate a lead (same name or phone) anyway"),
		OPT_BOOLEAN('n', "dry-run", &dry_run, "check the file and report, write nothing"),
		OPT_STR(0, "errors", &errors_path, "FILE", N_("write the refused rows, as written, with a 错误原因 column, to FILE (in the input's encoding)")),
		OPT_BOOLEAN(0, "skip-bad", &skip_bad, N_("import the good rows even when some are refused")),
		OPT_STR(0, "template", &template_path, "FILE", N_("write an empty import template (required columns marked *, a 注意事项 row) and stop")),
		OPT_DONE,
	};
	struct import im = {0};
	struct sales_context c;
	struct sales_dedup *d = NULL;
	struct sales_lead_scan scan;
	struct sales_error err;
	struct sales_txn t;
	int n, code, status = 0;
	char today[11], no[24];

	n = parse_options(argc, argv, opts, usage, &code);
	if (n < 0)
		return code;
	if (template_path && n == 0)
		return write_template(template_path);
	if (n != 1 || template_path) {
		error_msg(template_path ? _("--template writes a template: give no file to import with it") :
			  "lead import takes one CSV file");
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}
	im.file = argv[0];
	im.leads_file = sales_sheet_def(SALES_LEADS)->file;
	im.force = force;

	sales_error_clear(&err);
	if (change_begin(&t, &c, ctx, "lead import", &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (read_import(&im, &c, im.file, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!im.nrows) {
		fprintf(stderr, _("%s has no rows: nothing to import\n"), im.file);
		goto out;
	}

	/* the pool is complete: pointers into it stay valid from here on */
	d = sales_dedup_new();
	if (!d) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < im.nrows; i++) {
		struct import_row *row = &im.rows[i];
		const char *v[LEAD_NCOLS];
		long earlier;
		int col;

		resolve(&im.pool, row->off, v);
		if (!v[LEAD_CUSTOMER])
			continue;
		sales_lead_defaults(&c, v, today);
		if (!row->bad && sales_lead_check_row(v, &col, &err) < 0)
			import_error(&im, row, col, false, "%s", err.message);
		/* rule 4, as lead add: an imported lead has no contract yet (a
		 * name already in 01 is refused as a duplicate below) */
		if (!row->bad && v[LEAD_STATUS] &&
		    sales_facts_status_allowed(NULL, NULL, v[LEAD_STATUS], &err) < 0)
			import_error(&im, row, LEAD_STATUS, false, "%s", err.message);
		earlier = sales_dedup_add(d, v[LEAD_CUSTOMER], v[LEAD_PHONE], i,
					  &col);
		if (earlier == -2) {
			error_msg("out of memory");
			status = EXIT_USAGE;
			goto out;
		}
		if (earlier >= 0) {
			const struct import_row *first = &im.rows[earlier];
			char letters[8];

			im.ndups++;
			import_error(&im, row, col, force,
				     col == LEAD_CUSTOMER ?
				     "customer '%s' appears twice in this file: first at %s:%ld:%s%ld%s" :
				     N_("phone '%s' appears twice in this file: first at %s:%ld:%s%ld%s"),
				     col == LEAD_CUSTOMER ? v[LEAD_CUSTOMER] : v[LEAD_PHONE],
				     im.file, first->line,
				     sales_column_letters(im.file_col[col] + 1, letters),
				     first->excel_row,
				     force ? _("; importing both (--force)") : "");
		}
	}
	if (sales_leads_scan(ctx->dir, d, import_dup_found, &im, &scan, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (im.nbad && errors_path) {
		if (write_rejects(&im, errors_path, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		note_msg(P_("%s: the refused row, with its 错误原因: fix it in Excel and import that file again",
			    "%s: the %zu refused rows, with their 错误原因: fix them in Excel and import that file again",
			    im.nbad), errors_path, im.nbad);
	}
	if (im.nbad && (!skip_bad || im.nbad == im.nrows)) {
		error_msg("nothing imported: %zu of %zu rows in %s have problems%s",
			  im.nbad, im.nrows, im.file,
			  im.ndups && !force ? _(" (use --force for duplicates)") : "");
		status = im.unparsable ? EXIT_USAGE : EXIT_PROBLEMS;
		goto out;
	}
	if (dry_run) {
		fprintf(stderr, P_("%s: %zu row would be imported (dry run: nothing written)\n",
				   "%s: %zu rows would be imported (dry run: nothing written)\n",
				   im.nrows - im.nbad),
			im.file, im.nrows - im.nbad);
		goto out;
	}
	for (size_t i = 0, k = 0; i < im.nrows; i++) {
		const char *v[LEAD_NCOLS];

		if (im.rows[i].bad)
			continue;   /* --skip-bad */
		resolve(&im.pool, im.rows[i].off, v);
		sales_lead_defaults(&c, v, today);
		snprintf(no, sizeof(no), "%ld", scan.max_no + 1 + (long)k++);
		v[LEAD_NO] = no;
		if (sales_txn_append(&t, SALES_LEADS, v, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
	}
	if (sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	fprintf(stderr, P_("imported %zu lead into %s (序号 %ld-%ld)\n",
			   "imported %zu leads into %s (序号 %ld-%ld)\n",
			   im.nrows - im.nbad), im.nrows - im.nbad,
		im.leads_file, scan.max_no + 1,
		scan.max_no + (long)(im.nrows - im.nbad));
	if (im.nbad)
		warning_msg(P_("%zu row was not imported (--skip-bad)%s%s",
			       "%zu rows were not imported (--skip-bad)%s%s", im.nbad),
			    im.nbad, errors_path ? ": see " : "",
			    errors_path ? errors_path : "");
out:
	change_end(&t, &c);
	sales_dedup_free(d);
	for (size_t i = 0; i < im.nrows; i++)
		sales_buf_release(&im.rows[i].why);
	free(im.rows);
	sales_buf_release(&im.pool);
	sales_buf_release(&im.raw);
	return status;
}

/* ---- lead list ---- */

static const int table_cols[] = { LEAD_NO, LEAD_CUSTOMER, LEAD_INDUSTRY,
				  LEAD_GRADE, LEAD_SCORE, LEAD_OWNER,
				  LEAD_STATUS, LEAD_LAST_CONTACT, LEAD_REGION,
				  LEAD_PRODUCT_LINE };
#define NTABLE_COLS (sizeof(table_cols) / sizeof(table_cols[0]))

static bool same_text(const char *cell, const char *want)
{
	size_t a = strlen(cell), b = strlen(want);
	const char *s = sales_trim(cell, &a);
	const char *w = sales_trim(want, &b);

	return a == b && !memcmp(s, w, a);
}

/* Days since rule 7's last contact of the lead (facts.h: the latest of
 * 最后跟进时间 and its dated activity in every sheet, 登记日期 included);
 * -1 when it has none. */
static long days_quiet(const struct sales_model *m, const char *customer,
		       sales_date today)
{
	long k = sales_model_find(m, customer);
	sales_date d = k >= 0 ? sales_last_contact(m, &m->customers[k], today) :
		       SALES_DATE_NONE;

	return d == SALES_DATE_NONE ? -1 : (long)today - d;
}

static int lead_list(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const char *const usage[] = {
		"sales lead list [--grade G] [--owner NAME] [--status S] [--region R] [--product-line P] [--stale DAYS] [--as-of DATE] [--format table|csv|tsv|json|md]",
		NULL,
	};
	const char *grade = NULL, *owner = NULL, *status_f = NULL, *region = NULL,
		   *product = NULL;
	enum out_format fmt = FMT_TABLE;
	long stale = LONG_MIN;
	const struct opt opts[] = {
		OPT_STR(0, "grade", &grade, "GRADE", "only this 线索等级 (A, B or C)"),
		OPT_STR(0, "owner", &owner, "NAME", "only this 负责人"),
		OPT_STR(0, "status", &status_f, "STATUS", "only this 客户状态"),
		OPT_STR(0, "region", &region, "REGION", "only this 区域"),
		OPT_STR(0, "product-line", &product, "LINE", "only this 产品线"),
		OPT_NUM(0, "stale", &stale, "DAYS", "only leads with no contact for DAYS days or more"),
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMTS_TABLE),
		OPT_DONE,
	};
	const struct sales_sheet_def *def = sales_sheet_def(SALES_LEADS);
	struct sales_sheet_reader *r = NULL;
	const struct sales_record *rec;
	struct sales_context sc;
	struct sales_model *m = NULL;
	bool have_sc = false;
	struct table tab;
	struct sales_buf jout = { 0 };
	struct sales_json js;
	const char *headers[NTABLE_COLS];
	struct sales_error err;
	char want_grade = 0;
	int n, code, rc, status = 0;

	n = parse_options(argc, argv, opts, usage, &code);
	if (n < 0)
		return code;
	if (n) {
		error_msg("lead list takes no arguments (filters are options)");
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}
	/* the filters' values, judged as the cells are (validate.h) */
	for (int k = 0; k < 2; k++) {
		int col = k ? LEAD_STATUS : LEAD_GRADE;
		const char *given = k ? status_f : grade;
		struct sales_buf why = {0};
		char opt[40];

		if (sales_cell_check(SALES_LEADS, col, given, NULL,
				     SALES_DATE_NONE, &why) != SALES_CELL_OK) {
			error_msg("option '%s': %s", option_name(col, opt, sizeof(opt)),
				  why.data ? why.data : "");
			sales_buf_release(&why);
			return EXIT_USAGE;
		}
		sales_buf_release(&why);
	}
	if (grade)
		sales_parse_grade(grade, strlen(grade), &want_grade);
	if (status_f)
		status_f = sales_enum_canonical(sales_lead_statuses, status_f);
	if (stale != LONG_MIN && stale < 0) {
		error_msg("option '--stale': expects a number of days, not %ld", stale);
		return EXIT_USAGE;
	}

	sales_error_clear(&err);
	if (stale != LONG_MIN) {
		/* the last contact is every sheet's: the model reads them */
		if (sales_context_load(&sc, ctx->dir, ctx->today, &err) < 0)
			return report_error(&err);
		have_sc = true;
		if (sales_model_load(&m, &sc, SALES_MODEL_ALL, NULL, NULL, &err) < 0) {
			status = report_error(&err);
			sales_context_release(&sc);
			return status;
		}
	}
	if (sales_sheet_open(ctx->dir, SALES_LEADS, SALES_ENC_AUTO, &r, &err) < 0) {
		status = report_error(&err);
		sales_model_free(m);
		if (have_sc)
			sales_context_release(&sc);
		return status;
	}
	for (size_t i = 0; i < NTABLE_COLS; i++)
		headers[i] = def->columns[table_cols[i]].zh;
	table_init(&tab, NTABLE_COLS);
	table_right(&tab, 0);
	table_right(&tab, 4);
	tab.max_width = 30;
	tab.rule = true;
	if (table_add(&tab, headers) < 0) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}

	sales_json_init(&js, &jout);
	if (fmt == FMT_CSV || fmt == FMT_TSV) {
		for (int col = 0; col < LEAD_NCOLS; col++)
			printf("%s%s", col ? (fmt == FMT_CSV ? "," : "\t") : "",
			       def->columns[col].key);
		putchar('\n');
	} else if (fmt == FMT_JSON) {
		sales_json_array(&js, SALES_JSON_LINES);
	}
	while ((rc = sales_sheet_next(r, &rec, &err)) > 0) {
		const char *const *v = rec->v;
		char g;

		if (grade && (sales_parse_grade(v[LEAD_GRADE], strlen(v[LEAD_GRADE]),
						&g) != SALES_VALUE_OK || g != want_grade))
			continue;
		if ((owner && !same_text(v[LEAD_OWNER], owner)) ||
		    (status_f && !same_text(sales_enum_canonical(sales_lead_statuses,
							 v[LEAD_STATUS]) ?
					    sales_enum_canonical(sales_lead_statuses,
								 v[LEAD_STATUS]) :
					    v[LEAD_STATUS], status_f)) ||
		    (region && !same_text(v[LEAD_REGION], region)) ||
		    (product && !same_text(v[LEAD_PRODUCT_LINE], product)))
			continue;
		if (stale != LONG_MIN) {
			long quiet = days_quiet(m, v[LEAD_CUSTOMER], ctx->today);

			if (quiet >= 0 && quiet < stale)
				continue;
		}
		switch (fmt) {
		case FMT_TABLE:
		case FMT_MD: {
			const char *cells[NTABLE_COLS];

			for (size_t i = 0; i < NTABLE_COLS; i++)
				cells[i] = v[table_cols[i]];
			if (table_add(&tab, cells) < 0) {
				error_msg("out of memory");
				status = EXIT_USAGE;
				goto out;
			}
			break;
		}
		case FMT_CSV:
		case FMT_TSV:
			for (int col = 0; col < LEAD_NCOLS; col++)
				sep_field(stdout, fmt, v[col], strlen(v[col]), col == 0);
			putchar('\n');
			break;
		default:
			sales_json_object(&js, SALES_JSON_COMPACT);
			for (int col = 0; col < LEAD_NCOLS; col++) {
				sales_json_key(&js, def->columns[col].key);
				sales_json_str(&js, v[col]);
			}
			sales_json_end(&js);
			put_buf(stdout, &jout);
			break;
		}
	}
	if (rc < 0) {
		fflush(stdout);
		status = report_error(&err);
		goto out;
	}
	if (fmt == FMT_JSON)
		json_print_end(&js, &jout);
	else if (fmt == FMT_TABLE)
		table_print(stdout, &tab, NULL);
	else if (fmt == FMT_MD)
		table_print_md(stdout, &tab);
out:
	table_release(&tab);
	sales_buf_release(&jout);
	sales_sheet_close(r);
	sales_model_free(m);
	if (have_sc)
		sales_context_release(&sc);
	return status;
}

/* ---- lead set ---- */

/* One lead that `lead set` would make a duplicate of (sales_dedup_find
 * said which column, col): at file:line, the Excel cell of that column
 * (file_col, 0-based) in excel_row. */
static void say_duplicate(const char *file, long line, int file_col,
			  long excel_row, const char *changed, const char *name,
			  const char *phone, int col)
{
	char letters[8];

	error_msg("%s:%ld:%s%ld: '%s' would duplicate the lead '%s' (%s '%s')",
		  file, line, sales_column_letters(file_col + 1, letters),
		  excel_row, changed, name,
		  sales_sheet_def(SALES_LEADS)->columns[col].zh,
		  col == LEAD_PHONE ? phone : name);
}

/* Finds customer in the loaded 01 table (resolve.h); prints why not and
 * returns -1. */
/* What resolver r made of customer over file's leads: its result (an id
 * fed to it), or -1 after saying why (no such lead, or a name twice);
 * line_of gives an id's line. */
static long lead_result(struct sales_resolver *r, const char *customer,
			const char *file,
			long (*line_of)(const void *ctx, long id), const void *ctx)
{
	struct sales_error err;
	enum sales_match how;
	bool twice;
	long id = sales_resolver_result(r, &how, &twice);

	if (id < 0) {
		sales_resolver_error(r, _("lead"), file, &err);
		error_msg("%s", err.message);
	} else if (twice) {
		error_msg(_("'%s' names more than one lead in %s (line %ld and others); make the names unique first"),
			  customer, file, line_of(ctx, id));
		id = -1;
	} else if (how != SALES_MATCH_EXACT) {
		note_msg(_("'%s' is the lead '%s' (%s:%ld)"), customer,
			 sales_resolver_name(r), file, line_of(ctx, id));
	}
	return id;
}

static long same_line(const void *ctx, long line)
{
	(void)ctx;
	return line;
}

static int feed_lead(struct sales_txn_stream *s, const char *const *v,
		     long line, void *arg, struct sales_error *err)
{
	(void)s;
	if (sales_resolver_feed(arg, v[LEAD_CUSTOMER], line) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	return 0;
}

/* The line of the lead customer names, read through t without holding
 * 01 (sales_txn_each), its trimmed name into *name: the line, -1 after
 * saying why there is none, or -2 with *err. */
static long find_lead_line(struct sales_txn *t, const char *customer,
			   struct sales_buf *name, struct sales_error *err)
{
	struct sales_resolver r;
	long line;

	sales_resolver_init(&r, customer);
	if (sales_txn_each(t, SALES_LEADS, NULL, 0, feed_lead, &r, err) < 0) {
		sales_resolver_release(&r);
		return -2;
	}
	line = lead_result(&r, customer, sales_sheet_def(SALES_LEADS)->file,
			   same_line, NULL);
	if (line >= 0 && sales_buf_addstr(name, sales_resolver_name(&r)) < 0) {
		sales_resolver_release(&r);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory") - 1;
	}
	sales_resolver_release(&r);
	return line;
}

/*
 * Rule 9 for the 最后跟进时间 lead set is about to write (facts.h): not
 * older than the customer's latest dated activity, not empty while it has
 * activity, as check would judge it.  Prints why not; returns 0 or the
 * exit status.
 */
static int last_contact_allowed(const struct sales_context *c,
				const char *customer, const char *value)
{
	struct sales_model *m = NULL;
	struct sales_error err;
	size_t len = strlen(value);
	const char *s = sales_trim(value, &len);
	sales_date d = SALES_DATE_NONE;
	int rc = 0;

	if (len && sales_parse_date(s, len, &d) != SALES_VALUE_OK)
		return 0;   /* the value's own check reports it */
	sales_error_clear(&err);
	if (sales_model_load_one(&m, c, SALES_MODEL_ALL, customer, NULL, NULL,
				 &err) < 0) {
		rc = report_error(&err);
	} else if (sales_facts_timeliness(m, sales_model_find(m, customer), d,
					  !len, &err) != SALES_TIMELY) {
		error_msg(_("option '--last-contact': %s"), err.message);
		rc = EXIT_PROBLEMS;
	}
	sales_model_free(m);
	return rc;
}

/* ---- lead set ----
 *
 * lead set never holds 01: one pass resolves the name, one takes the
 * lead's values, one (for a new 客户名称 or 联系方式) looks for the
 * duplicate it would make, and the last rewrites the lead's record, each
 * through sales_txn_each (a 01 the stream cannot take, with a title row,
 * is walked loaded by the same row function).  The reads' warnings show
 * once, where loading 01 would show them. */

enum set_pass { PASS_FIND, PASS_ROW, PASS_DUPS, PASS_WRITE };

struct set_stream {
	enum set_pass pass;
	struct sales_resolver r;
	long line;                         /* the lead's */
	struct sales_buf cur;              /* its values, NUL-ended, by column */
	const char *v[LEAD_NCOLS];         /* the values to set (NULL: not) */
	const char *after[LEAD_NCOLS];
	struct sales_dedup *d;
	int dups;
	bool oom;
};

static const char *set_stream_cur(const struct set_stream *ss, int col)
{
	const char *p = ss->cur.data;

	for (int c = 0; c < col; c++)
		p += strlen(p) + 1;
	return p;
}

static int set_stream_row(struct sales_txn_stream *s, const char *const *v,
			  long line, void *arg, struct sales_error *err)
{
	struct set_stream *ss = arg;
	const char *file = sales_sheet_def(SALES_LEADS)->file;
	int col;

	switch (ss->pass) {
	case PASS_FIND:
		if (sales_resolver_feed(&ss->r, v[LEAD_CUSTOMER], line) < 0)
			ss->oom = true;
		return 0;
	case PASS_ROW:
		if (line != ss->line)
			return 0;
		for (col = 0; col < LEAD_NCOLS; col++)
			if (sales_buf_add(&ss->cur, v[col], strlen(v[col]) + 1) < 0)
				ss->oom = true;
		return 0;
	case PASS_DUPS:
		if (line != ss->line &&
		    sales_dedup_find(ss->d, v[LEAD_CUSTOMER], v[LEAD_PHONE],
				     &col) >= 0) {
			say_duplicate(file, line,
				      sales_txn_stream_map(s)->file_col[col],
				      sales_txn_stream_excel_row(s),
				      set_stream_cur(ss, LEAD_CUSTOMER),
				      v[LEAD_CUSTOMER], v[LEAD_PHONE], col);
			ss->dups++;
		}
		return 0;
	case PASS_WRITE:
		if (line != ss->line)
			return 0;
		for (col = 0; col < LEAD_NCOLS; col++) {
			if (!ss->v[col] || !strcmp(v[col], ss->v[col]))
				continue;
			printf("%s:%ld: %s: '%s' -> '%s'\n", file, line,
			       sales_sheet_def(SALES_LEADS)->columns[col].zh,
			       v[col], ss->v[col]);
			if (sales_txn_stream_set(s, col, ss->v[col], err) < 0)
				return -1;
		}
		return 0;
	}
	return 0;
}

/* One pass over 01 (sales_txn_each: streamed, or walked loaded where the
 * stream cannot take the file); its warnings held, then shown when show. */
static int set_stream_pass(struct sales_txn *t, struct set_stream *ss,
			   enum set_pass pass, const int *cols, size_t ncols,
			   bool show, struct sales_error *err)
{
	struct sales_read_capture cap = { 0 };
	int rc;

	ss->pass = pass;
	sales_read_capture_begin(&cap);
	rc = sales_txn_each(t, SALES_LEADS, cols, ncols, set_stream_row, ss,
			    err);
	sales_read_capture_end();
	if (show)
		sales_read_capture_replay(&cap);
	sales_read_capture_release(&cap);
	if (rc == 0 && ss->oom)
		rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				     "out of memory");
	return rc;
}

/* lead set of customer; given[] the options.  Returns the exit status. */
static int lead_set_streamed(struct sales_txn *t, struct sales_context *c,
			     const char *customer, const char **given)
{
	const char *file = sales_sheet_def(SALES_LEADS)->file;
	struct set_stream ss = { 0 };
	struct sales_buf pool = {0};
	struct sales_error err;
	int cols[LEAD_NCOLS];
	size_t ncols = 0;
	long off[LEAD_NCOLS];
	int status = 0, rc, col;

	for (col = 0; col < LEAD_NCOLS; col++)
		if (given[col])
			cols[ncols++] = col;
	sales_error_clear(&err);
	sales_resolver_init(&ss.r, customer);
	rc = set_stream_pass(t, &ss, PASS_FIND, cols, ncols, true, &err);
	if (rc < 0) {
		status = report_error(&err);
		goto out;
	}
	ss.line = lead_result(&ss.r, customer, file, same_line, NULL);
	if (ss.line < 0) {
		status = EXIT_PROBLEMS;
		goto out;
	}
	if ((status = check_options(c, given, &pool, off)) != 0)
		goto out;
	resolve(&pool, off, ss.v);
	if (set_stream_pass(t, &ss, PASS_ROW, cols, ncols, false, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	for (col = 0; col < LEAD_NCOLS; col++)
		ss.after[col] = ss.v[col] ? ss.v[col] : set_stream_cur(&ss, col);
	if (sales_lead_check_row(ss.after, &col, &err) < 0) {
		char opt[40];

		error_msg("%s:%ld: %s%s%s", file, ss.line, err.message,
			  ss.v[col] ? "" : _("; change it with "),
			  ss.v[col] ? "" : option_name(col, opt, sizeof(opt)));
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (ss.v[LEAD_CUSTOMER] || ss.v[LEAD_PHONE]) {
		ss.d = sales_dedup_new();
		if (!ss.d || sales_dedup_add(ss.d, ss.after[LEAD_CUSTOMER],
					     ss.after[LEAD_PHONE], 0, &col) == -2) {
			error_msg("out of memory");
			status = EXIT_PROBLEMS;
			goto out;
		}
		if (set_stream_pass(t, &ss, PASS_DUPS, cols, ncols, false,
				    &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		if (ss.dups) {
			status = EXIT_PROBLEMS;
			goto out;
		}
	}
	if (ss.v[LEAD_STATUS] &&
	    !sales_key_equal(ss.v[LEAD_STATUS], set_stream_cur(&ss, LEAD_STATUS)) &&
	    (status = status_allowed(c, set_stream_cur(&ss, LEAD_CUSTOMER),
				     ss.v[LEAD_STATUS], NULL, NULL, NULL)) != 0)
		goto out;
	if (ss.v[LEAD_LAST_CONTACT] &&
	    strcmp(ss.v[LEAD_LAST_CONTACT], set_stream_cur(&ss, LEAD_LAST_CONTACT)) &&
	    (status = last_contact_allowed(c, set_stream_cur(&ss, LEAD_CUSTOMER),
					   ss.v[LEAD_LAST_CONTACT])) != 0)
		goto out;
	if (set_stream_pass(t, &ss, PASS_WRITE, cols, ncols, false, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!sales_txn_changes(t)) {
		fprintf(stderr, _("nothing to change: '%s' already has these values\n"),
			set_stream_cur(&ss, LEAD_CUSTOMER));
		goto out;
	}
	if (sales_txn_commit(t, &err) < 0)
		status = report_error(&err);
out:
	sales_resolver_release(&ss.r);
	sales_dedup_free(ss.d);
	sales_buf_release(&ss.cur);
	sales_buf_release(&pool);
	return status;
}

static int lead_set(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const char *const usage[] = {
		"sales lead set <customer> [--status S] [--note TEXT] [--last-contact DATE] [--grade G] [--owner NAME] [...]",
		NULL,
	};
	const char *given[LEAD_NCOLS] = { 0 };
	const struct opt opts[] = {
		LEAD_VALUE_OPTIONS(given),
		OPT_DONE,
	};
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	bool any = false;
	int n, code, status = 0, col;

	n = parse_options(argc, argv, opts, usage, &code);
	if (n < 0)
		return code;
	for (col = 0; col < LEAD_NCOLS; col++)
		any |= given[col] != NULL;
	if (n != 1 || !any) {
		error_msg(n != 1 ? "lead set takes one customer" :
			  N_("lead set needs at least one value to change"));
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}

	sales_error_clear(&err);
	if (change_begin(&t, &c, ctx, "lead set", &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	status = lead_set_streamed(&t, &c, argv[0], given);
out:
	change_end(&t, &c);
	return status;
}

/* ---- lead rename ---- */

static int lead_rename(int argc, const char **argv, struct sales_ctx *ctx)
{
	static const char *const usage[] = {
		"sales lead rename <old-name> <new-name>",
		NULL,
	};
	const struct opt opts[] = {
		OPT_DONE,
	};
	struct sales_lead_renamed done = { 0 };
	struct sales_context c;
	struct sales_buf why = {0}, name = {0};
	struct sales_error err;
	struct sales_txn t;
	long line;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, usage, &code);
	if (n < 0)
		return code;
	if (n != 2) {
		error_msg(_("lead rename takes the lead's name and its new name"));
		print_usage(stderr, usage, opts);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (change_begin(&t, &c, ctx, "lead rename", &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	/* 01 is not held: one read finds the lead, the rename streams */
	line = find_lead_line(&t, argv[0], &name, &err);
	if (line < 0) {
		status = line == -1 ? EXIT_PROBLEMS : report_error(&err);
		goto out;
	}
	if (sales_lead_value(&c, LEAD_CUSTOMER, argv[1], &why, &err) < 0 ||
	    sales_lead_rename(&t, line, name.data, argv[1], &done, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!sales_txn_changes(&t)) {
		fprintf(stderr, _("nothing to change: the lead is already named '%s'\n"),
			done.old.data);
		goto out;
	}
	if (sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	for (int id = 0; id < SALES_NSHEETS; id++)
		if (done.rows[id])
			printf("%s: %zu\n", sales_sheet_def(id)->file, done.rows[id]);
	fprintf(stderr, P_("renamed '%s' to '%s' in %zu row\n",
			   "renamed '%s' to '%s' in %zu rows\n", done.total),
		done.old.data, why.data ? why.data : argv[1], done.total);
out:
	change_end(&t, &c);
	sales_buf_release(&why);
	sales_buf_release(&name);
	sales_buf_release(&done.old);
	return status;
}

/* ---- the sub-command table ---- */

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv, struct sales_ctx *ctx);
	const char *summary;
} lead_commands[] = {
	{ "add", lead_add, N_("add one lead (refuses duplicates by name or phone)") },
	{ "import", lead_import, N_("add the rows of a CSV file, all or nothing") },
	{ "list", lead_list, N_("list leads, filtered, as a table, csv, tsv or json") },
	{ "set", lead_set, N_("change cells of one lead") },
	{ "rename", lead_rename, N_("rename a customer in every sheet, in one audited change") },
};

int cmd_lead(int argc, const char **argv, struct sales_ctx *ctx)
{
	size_t n = sizeof(lead_commands) / sizeof(lead_commands[0]);
	struct nearest near;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *f = argc < 2 ? stderr : stdout;

		print_usage(f, lead_usage, NULL);
		fprintf(f, "\n%s\n", _("Sub-commands:"));
		for (size_t i = 0; i < n; i++)
			fprintf(f, "    %-8s %s\n", lead_commands[i].name,
				_(lead_commands[i].summary));
		fprintf(f, "\n%s\n", _("See 'sales lead <sub-command> -h' for its options."));
		return argc < 2 ? EXIT_USAGE : 0;
	}
	nearest_init(&near, argv[1]);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(argv[1], lead_commands[i].name))
			return lead_commands[i].fn(argc - 1, argv + 1, ctx);
		nearest_try(&near, lead_commands[i].name);
	}
	return unknown_subcommand("lead", argv[1], near.pick);
}
