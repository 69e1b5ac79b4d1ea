/*
 * export.c - `sales export`: how a user sees what the reader understood, and
 * how a pipeline feeds jq.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "json.h"
#include "i18n.h"
#include "schema.h"
#include "sheet.h"
#include "text.h"
#include "workbook.h"
#include "xlsx.h"

static const char *const export_xlsx_usage[] = {
	"sales export --format xlsx -o FILE.xlsx [SHEET…]",
	NULL,
};

/* true when the arguments ask for --format xlsx */
static bool wants_xlsx(int argc, const char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--format=xlsx") ||
		    ((!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) &&
		     i + 1 < argc && !strcmp(argv[i + 1], "xlsx")))
			return true;
	}
	return false;
}

/* The workbook as one .xlsx: a tab per sheet (xlsx.h). */
static int export_xlsx(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *format = NULL, *output = NULL;
	const struct opt opts[] = {
		OPT_STR('f', "format", &format, "xlsx", "xlsx: the whole workbook, or the sheets named, as one Excel file"),
		OPT_STR('o', "output", &output, "FILE", "the .xlsx to write (replaced when it exists)"),
		OPT_DONE,
	};
	enum sales_sheet_id ids[SALES_NSHEETS];
	struct sales_error err;
	char *dir = NULL;
	int n, code, tabs;

	n = parse_options(argc, argv, opts, export_xlsx_usage, &code);
	if (n < 0)
		return code;
	if (!output) {
		error_msg(_("--format xlsx writes a file: give it with -o FILE.xlsx"));
		return EXIT_USAGE;
	}
	if (n > SALES_NSHEETS) {
		error_msg(_("too many sheets"));
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		const struct sales_sheet_def *d = sales_sheet_find(argv[i]);

		if (!d) {
			error_msg(_("no sheet named '%s' (a sheet is 1-8, its name such as leads, or its file name)"),
				  argv[i]);
			return EXIT_USAGE;
		}
		ids[i] = d->id;
	}
	sales_error_clear(&err);
	if (sales_workbook_find(ctx->dir_opt, &dir, &err) < 0)
		return report_error(&err);
	warn_open_in_excel(dir, false);
	tabs = sales_xlsx_export(dir, ids, (size_t)n, output, &err);
	free(dir);
	if (tabs < 0)
		return report_error(&err);
	note_msg(P_("wrote %s: %d sheet", "wrote %s: %d sheets", tabs), output,
		 tabs);
	return 0;
}

static const char *const export_usage[] = {
	"sales export <sheet|file.csv> [--format csv|tsv|json|ndjson|md] [--redact] [--bom] [--encoding utf-8|gbk|gb18030]",
	"sales export --format xlsx -o FILE.xlsx [SHEET…]",
	"sales export --normalized DIR [--append]",
	NULL,
};

/* Where csv/tsv lines go: stdout, or (for --bom and --encoding) a memory
 * stream each line is taken from, given CRLF and converted. */
struct out_line {
	FILE *f;
	char **buf;
	enum sales_encoding enc;
};

static int line_done(struct out_line *l, struct sales_error *err)
{
	struct sales_buf b = {0};
	char *text;
	long n;
	int rc;

	if (l->f == stdout)
		return 0;
	fflush(l->f);
	n = ftell(l->f);
	text = *l->buf;
	if (n > 0 && text[n - 1] == '\n')
		n--;
	rc = sales_encode_text(&b, text, (size_t)(n > 0 ? n : 0), l->enc, err);
	if (rc == 0) {
		fwrite(b.data ? b.data : "", 1, b.len, stdout);
		fputs("\r\n", stdout);
	}
	sales_buf_release(&b);
	rewind(l->f);
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
	const char *encoding = "utf-8", *path, *display;
	enum out_format fmt = FMT_CSV;
	bool do_redact = false, bom = false, append = false;
	const char *normalized = NULL;
	const struct opt opts[] = {
		OPT_FORMAT_OF(&fmt, FMT_BIT(FMT_CSV) | FMT_BIT(FMT_TSV) | FMT_BIT(FMT_JSON) |
				    FMT_BIT(FMT_NDJSON) | FMT_BIT(FMT_MD)),
		OPT_BOOLEAN(0, "redact", &do_redact, "mask contact details and amounts"),
		OPT_BOOLEAN(0, "bom", &bom, "csv/tsv for Excel: UTF-8 with a byte order mark, CRLF line ends"),
		OPT_STR(0, "encoding", &encoding, "ENC", "csv/tsv output: utf-8 (default), or gbk/gb18030 (CRLF) for Chinese Excel's plain CSV"),
		OPT_STR(0, "normalized", &normalized, "DIR", "every sheet as a tidy table for a database, into DIR (see sales sql)"),
		OPT_BOOLEAN(0, "append", &append, "with --normalized: add this workbook to the tables in DIR"),
		OPT_DONE,
	};
	const struct sales_sheet_def *def;
	struct sales_sheet_reader *r = NULL;
	struct sales_error err;
	const struct sales_record *rec;
	const struct sales_row *hdr;
	enum sales_encoding enc;
	struct sales_buf masked = {0}, jout = {0};
	struct sales_json js;
	struct out_line line = { stdout, NULL, SALES_ENC_UTF8 };
	FILE *lf = NULL;
	char *lbuf = NULL;
	size_t lsize = 0;
	char **keys = NULL;
	struct sales_buf *qkeys = NULL;
	char *owned = NULL;
	int status = 0, rc, code, n;

	if (wants_xlsx(argc, argv))
		return export_xlsx(argc, argv, ctx);
	n = parse_options(argc, argv, opts, export_usage, &code);
	if (n < 0)
		return code;
	if (normalized || append) {
		if (!normalized || n != 0) {
			error_msg("--normalized DIR takes no sheet (every sheet is exported), and --append needs --normalized");
			return EXIT_USAGE;
		}
		return export_normalized(normalized, append, ctx);
	}
	if (n != 1) {
		error_msg("export takes one sheet or file");
		print_usage(stderr, export_usage, opts);
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
	if (bom || enc != SALES_ENC_UTF8) {
		lf = open_memstream(&lbuf, &lsize);
		if (!lf) {
			error_msg(_("out of memory"));
			return EXIT_USAGE;
		}
		line.f = lf;
		line.buf = &lbuf;
		line.enc = enc;
		if (bom)
			fputs("\xEF\xBB\xBF", stdout);
	}

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
	/* each key quoted once, not once per record */
	qkeys = calloc(hdr->ncells + 1, sizeof(*qkeys));
	if (!qkeys) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < hdr->ncells; i++)
		if (sales_json_quote(&qkeys[i], keys[i], strlen(keys[i])) < 0) {
			error_msg("out of memory");
			status = EXIT_USAGE;
			goto out;
		}

	if (fmt == FMT_CSV || fmt == FMT_TSV || fmt == FMT_MD) {
		for (size_t i = 0; i < hdr->ncells; i++)
			sep_field(line.f, fmt, hdr->cells[i].s, hdr->cells[i].len,
				  i == 0);
		sep_row_end(line.f, fmt, hdr->ncells);
		if (line_done(&line, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		if (fmt == FMT_MD)
			md_rule(stdout, hdr->ncells);
	}
	sales_json_init(&js, &jout);
	if (fmt == FMT_JSON)
		sales_json_array(&js, SALES_JSON_LINES);
	while ((rc = sales_sheet_next(r, &rec, &err)) > 0) {
		const struct sales_colmap *m = sales_sheet_colmap(r);

		if (fmt == FMT_JSON || fmt == FMT_NDJSON)
			sales_json_object(&js, SALES_JSON_COMPACT);
		for (size_t i = 0; i < hdr->ncells; i++) {
			const char *v = i < rec->row->ncells ? rec->row->cells[i].s : "";
			int col = def ? m->schema_col[i] : -1;

			if (col >= 0) {
				v = rec->v[col];
				if (do_redact && sales_redact(def->id, col, rec->v,
							      v, &masked))
					v = masked.data ? masked.data : "";
			}
			if (fmt == FMT_CSV || fmt == FMT_TSV || fmt == FMT_MD) {
				sep_field(line.f, fmt, v, strlen(v), i == 0);
			} else {
				sales_json_key_quoted(&js, qkeys[i].data,
						      qkeys[i].len);
				sales_json_str(&js, v);
			}
		}
		if (fmt == FMT_JSON || fmt == FMT_NDJSON) {
			sales_json_end(&js);
			if (fmt == FMT_NDJSON)
				sales_buf_addch(&jout, '\n');
			put_buf(stdout, &jout);
		} else {
			sep_row_end(line.f, fmt, hdr->ncells);
		}
		if (line_done(&line, &err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc < 0) {
		/* what was printed is incomplete: say so and fail */
		fflush(stdout);
		status = report_error(&err);
		goto out;
	}
	if (fmt == FMT_JSON)
		json_print_end(&js, &jout);
	{
		struct sales_open_by who;

		if (sales_file_open_by(path, &who))
			warning_msg(_("%s is open in %s (lock file %s): unsaved edits there are not in this export"),
				    display, who.program, who.lock);
	}
out:
	if (keys)
		for (size_t i = 0; i < hdr->ncells; i++)
			free(keys[i]);
	free(keys);
	if (qkeys)
		for (size_t i = 0; i < hdr->ncells; i++)
			sales_buf_release(&qkeys[i]);
	free(qkeys);
	sales_buf_release(&masked);
	sales_buf_release(&jout);
	if (lf)
		fclose(lf);
	free(lbuf);
	sales_sheet_close(r);
	free(owned);
	return status;
}
