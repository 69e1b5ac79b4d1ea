/*
 * export.c - `sales export`: how a user sees what the reader understood, and
 * how a pipeline feeds jq.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "sheet.h"
#include "text.h"
#include "workbook.h"

static const char *const export_usage[] = {
	"sales export <sheet|file.csv> [--format csv|tsv|json|ndjson] [--redact] [--bom] [--encoding utf-8|gbk|gb18030]",
	NULL,
};

enum format { FMT_CSV, FMT_TSV, FMT_JSON, FMT_NDJSON };

/* Masks a confidential value: phones keep their first 3 and last 4 digits,
 * names their first character, amounts become "***". */
static void redact(const struct sales_column_def *c, const char *v,
		   struct sales_buf *out)
{
	size_t len = strlen(v);

	sales_buf_reset(out);
	if (!len)
		return;
	if (c->type == SALES_COL_PHONE) {
		char digits[64];
		unsigned flags = 0;
		size_t n;

		if (sales_parse_phone(v, len, digits, sizeof(digits), &flags) ==
			    SALES_VALUE_OK &&
		    (n = strlen(digits)) >= 7) {
			sales_buf_add(out, digits, 3);
			for (size_t i = 3; i + 4 < n; i++)
				sales_buf_addch(out, '*');
			sales_buf_add(out, digits + n - 4, 4);
			return;
		}
		sales_buf_addstr(out, "***");
		return;
	}
	if (c->type == SALES_COL_TEXT) {
		uint32_t cp;
		size_t n = sales_utf8_decode(v, len, &cp);

		sales_buf_add(out, v, n);
		sales_buf_addstr(out, "**");
		return;
	}
	sales_buf_addstr(out, "***");
}

static enum sales_encoding out_enc = SALES_ENC_UTF8;
static bool crlf;

/* Adds field i of a csv or tsv line. */
static void add_field(struct sales_buf *line, enum format fmt, size_t i,
		      const char *s, size_t len)
{
	if (i)
		sales_buf_addch(line, fmt == FMT_CSV ? ',' : '\t');
	if (fmt == FMT_CSV) {
		sales_csv_field(line, s, len, ',');
		return;
	}
	tsv_field_buf(line, s, len);
}

/* Ends a csv or tsv line, writes it in the output encoding, empties it. */
static int end_line(struct sales_buf *line, struct sales_error *err)
{
	struct sales_buf enc = {0};
	int rc;

	sales_buf_addstr(line, crlf ? "\r\n" : "\n");
	rc = sales_encode_text(&enc, line->data ? line->data : "", line->len,
			       out_enc, err);
	if (rc == 0 && enc.len)
		fwrite(enc.data, 1, enc.len, stdout);
	sales_buf_release(&enc);
	sales_buf_reset(line);
	return rc;
}

static const char *resolve_path(const char *arg, const char *dir_opt,
				const struct sales_sheet_def **def,
				char **owned, const char **display)
{
	struct stat st;
	const struct sales_sheet_def *d;
	char *wb = NULL;
	struct sales_error err;

	*owned = NULL;
	*def = NULL;
	*display = arg;
	if (strchr(arg, '/') || (stat(arg, &st) == 0 && !dir_opt)) {
		/* a path: a known sheet by its file name, else any CSV */
		*def = sales_sheet_find(arg);
		if (*def && strcmp(strrchr(arg, '/') ? strrchr(arg, '/') + 1 :
				   arg, (*def)->file))
			*def = NULL;
		return arg;
	}
	d = sales_sheet_find(arg);
	if (!d) {
		if (stat(arg, &st) < 0) {
			error_msg("no sheet or file named '%s' (a sheet is 1-8, its name such as leads or followups, or its file name; a file needs its path)",
				  arg);
			return NULL;
		}
		return arg;
	}
	sales_error_clear(&err);
	if (sales_workbook_find(dir_opt, &wb, &err) < 0) {
		report_error(&err);
		return NULL;
	}
	*owned = sales_path_join(wb, d->file);
	free(wb);
	*def = d;
	*display = d->file;
	return *owned;
}

int cmd_export(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *format = "csv", *encoding = "utf-8", *path, *display;
	bool do_redact = false, bom = false;
	const struct opt opts[] = {
		OPT_STR('f', "format", &format, "FMT", "csv (default), tsv, json or ndjson"),
		OPT_BOOLEAN(0, "redact", &do_redact, "mask contact details and amounts"),
		OPT_BOOLEAN(0, "bom", &bom, "csv/tsv for Excel: UTF-8 with a byte order mark, CRLF line ends"),
		OPT_STR(0, "encoding", &encoding, "ENC", "csv/tsv output: utf-8 (default), or gbk/gb18030 (CRLF) for Chinese Excel's plain CSV"),
		OPT_DONE,
	};
	struct sales_buf line = {0};
	const struct sales_sheet_def *def;
	struct sales_sheet_reader *r = NULL;
	struct sales_error err;
	const struct sales_record *rec;
	const struct sales_row *hdr;
	enum sales_encoding enc;
	enum format fmt;
	struct sales_buf masked = {0};
	char **keys = NULL;
	char *owned = NULL;
	int status = 0, rc, code, n;
	size_t nrows = 0;

	n = parse_options(argc, argv, opts, export_usage, &code);
	if (n < 0)
		return code;
	if (n != 1) {
		error_msg("export takes one sheet or file");
		print_usage(stderr, export_usage, opts);
		return EXIT_USAGE;
	}
	if (!strcmp(format, "csv"))
		fmt = FMT_CSV;
	else if (!strcmp(format, "tsv"))
		fmt = FMT_TSV;
	else if (!strcmp(format, "json"))
		fmt = FMT_JSON;
	else if (!strcmp(format, "ndjson"))
		fmt = FMT_NDJSON;
	else {
		error_msg("unknown format '%s' (expected csv, tsv, json or ndjson)", format);
		return EXIT_USAGE;
	}
	if (sales_encoding_parse(encoding, &enc) < 0 || enc == SALES_ENC_AUTO) {
		error_msg(_("unknown output encoding '%s' (expected utf-8, gbk or gb18030; the input's is 'sales --encoding ENC export')"),
			  encoding);
		return EXIT_USAGE;
	}
	if ((bom || enc != SALES_ENC_UTF8) && fmt != FMT_CSV && fmt != FMT_TSV) {
		error_msg(_("--bom and --encoding are for csv and tsv output (JSON is UTF-8)"));
		return EXIT_USAGE;
	}
	if (bom && enc != SALES_ENC_UTF8) {
		error_msg(_("--bom is for UTF-8 output; GBK has no byte order mark"));
		return EXIT_USAGE;
	}
	out_enc = enc;
	crlf = bom || enc != SALES_ENC_UTF8;

	path = resolve_path(argv[0], ctx->dir_opt, &def, &owned, &display);
	if (!path)
		return EXIT_USAGE;
	sales_error_clear(&err);
	if (sales_sheet_open_path(path, display, def, SALES_ENC_AUTO, &r, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	hdr = sales_sheet_header(r);
	keys = calloc(hdr->ncells, sizeof(*keys));
	if (!keys) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < hdr->ncells; i++) {
		struct sales_buf k = {0};
		char letters[8];
		int dup = 1;

		if (hdr->cells[i].len)
			sales_buf_add(&k, hdr->cells[i].s, hdr->cells[i].len);
		else
			sales_buf_addstr(&k, sales_column_letters((int)i + 1, letters));
		/* JSON keys must be unique: a repeated header gets " (2)" */
		for (size_t j = 0; j < i; j++)
			if (!strcmp(keys[j], k.data ? k.data : ""))
				dup++;
		if (dup > 1)
			sales_buf_printf(&k, " (%d)", dup);
		keys[i] = sales_buf_detach(&k, NULL);
	}

	if (fmt == FMT_CSV || fmt == FMT_TSV) {
		if (bom)
			fputs("\xEF\xBB\xBF", stdout);
		for (size_t i = 0; i < hdr->ncells; i++)
			add_field(&line, fmt, i, hdr->cells[i].s, hdr->cells[i].len);
		if (end_line(&line, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
	} else if (fmt == FMT_JSON) {
		putchar('[');
	}
	while ((rc = sales_sheet_next(r, &rec, &err)) > 0) {
		const struct sales_colmap *m = sales_sheet_colmap(r);

		if (fmt == FMT_JSON)
			fputs(nrows ? ",\n{" : "\n{", stdout);
		else if (fmt == FMT_NDJSON)
			putchar('{');
		for (size_t i = 0; i < hdr->ncells; i++) {
			const char *v = i < rec->row->ncells ? rec->row->cells[i].s : "";
			int col = def ? m->schema_col[i] : -1;

			if (col >= 0) {
				v = rec->v[col];
				if (do_redact && (def->columns[col].flags &
						  SALES_COLF_CONFIDENTIAL)) {
					redact(&def->columns[col], v, &masked);
					v = masked.data ? masked.data : "";
				}
			}
			if (fmt == FMT_CSV || fmt == FMT_TSV) {
				add_field(&line, fmt, i, v, strlen(v));
			} else {
				if (i)
					putchar(',');
				json_string(stdout, keys[i], strlen(keys[i]));
				putchar(':');
				json_string(stdout, v, strlen(v));
			}
		}
		if (fmt == FMT_JSON)
			putchar('}');
		else if (fmt == FMT_NDJSON)
			fputs("}\n", stdout);
		else if (end_line(&line, &err) < 0) {
			rc = -1;
			break;
		}
		nrows++;
	}
	if (rc < 0) {
		/* what was printed is incomplete: say so and fail */
		fflush(stdout);
		status = report_error(&err);
		goto out;
	}
	if (fmt == FMT_JSON)
		fputs(nrows ? "\n]\n" : "]\n", stdout);
	if (sales_file_open_in_excel(path))
		warning_msg("%s is open in Excel or WPS (a ~$ lock file is beside it): unsaved edits are not in this export",
			    display);
out:
	if (keys)
		for (size_t i = 0; i < hdr->ncells; i++)
			free(keys[i]);
	free(keys);
	sales_buf_release(&masked);
	sales_buf_release(&line);
	sales_sheet_close(r);
	free(owned);
	return status;
}
