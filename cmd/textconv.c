/*
 * textconv.c - `sales textconv FILE`: a sheet as UTF-8 text, one record per
 * line, for git's diff driver (.gitattributes `*.csv diff=sales`, git
 * config `diff.sales.textconv "sales textconv"`).
 *
 * Each line is the row's naming cells (its key, or 客户名称 and date) and
 * then its other filled cells as `column: value`, in schema order then the
 * user's columns, joined by " | ".  Merged-cell continuation rows are
 * filled down and the encoding is read as everywhere else, so a GBK sheet
 * reads as text and a file re-saved in another encoding changes only the
 * first line, which names the encoding.  Rows stay in file order.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "schema.h"
#include "sheet.h"
#include "wbdiff.h"

static const char *const textconv_usage[] = {
	"sales textconv FILE [--sheet SHEET]",
	NULL,
};

/* A value on one line: backslash, line breaks, tabs and (in a cell) '|'
 * escaped. */
static void put_text(const char *s, bool cell)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs(cell ? "\\\\" : "\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '|': fputs(cell ? "\\|" : "|", stdout); break;
		default: putchar(*s);
		}
	}
}

static void put_escaped(const char *s)
{
	put_text(s, true);
}

/* The sheet a file is: its own name, or git's temporary copy of it, which
 * git names "XXXXXX_01-leads.csv". */
static const struct sales_sheet_def *sheet_of(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *us;

	base = base ? base + 1 : path;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const struct sales_sheet_def *def = sales_sheet_def(id);

		if (!strcmp(base, def->file))
			return def;
		us = strchr(base, '_');
		if (us && !strcmp(us + 1, def->file))
			return def;
	}
	return NULL;
}

static void print_rows(const struct sales_sheet_rows *s)
{
	const struct sales_sheet_def *def = s->def;
	const int *kc = NULL;
	bool unique;
	size_t nk = def ? sales_sheet_key(def->id, &kc, &unique) : 0;

	printf("# %s%s%s · %s · %s\n", s->name, def ? " " : "",
	       def ? def->title : "", sales_encoding_label(s->encoding, s->bom),
	       sales_eol_label(s->eol));
	fputs("# ", stdout);
	put_text(s->header, false);
	putchar('\n');
	for (size_t r = 0; r < s->nrows; r++) {
		const struct sales_vrow *row = &s->rows[r];

		put_escaped(row->label);
		for (size_t i = 0; i < s->ncols; i++) {
			bool naming = false;

			for (size_t k = 0; k < nk; k++)
				naming |= kc[k] == (int)i;
			if (!nk && i < 2)
				naming = true;
			if (naming || !*row->v[i])
				continue;
			fputs(" | ", stdout);
			put_escaped(s->colname[i]);
			fputs(": ", stdout);
			put_escaped(row->v[i]);
		}
		putchar('\n');
	}
}

int cmd_textconv(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *sheet = NULL;
	const struct opt opts[] = {
		OPT_STR(0, "sheet", &sheet, "SHEET", "read FILE as this sheet (default: by its name)"),
		OPT_DONE,
	};
	const struct sales_sheet_def *def;
	struct sales_sheet_rows s;
	struct sales_error err;
	const char *base;
	int n, code;

	(void)ctx;
	n = parse_options(argc, argv, opts, textconv_usage, &code);
	if (n < 0)
		return code;
	if (n != 1) {
		print_usage(stderr, textconv_usage, opts);
		return EXIT_USAGE;
	}
	if (sheet) {
		def = sales_sheet_find(sheet);
		if (!def) {
			error_msg(_("unknown sheet '%s'"), sheet);
			return EXIT_USAGE;
		}
	} else {
		def = sheet_of(argv[0]);
	}
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (!sheet && def && strcmp(base, def->file))
		base = def->file;   /* git's temporary copy */
	sales_error_clear(&err);
	if (sales_sheet_rows_load(&s, argv[0], base, def, &err) < 0) {
		/* git shows nothing at all when a textconv fails: show the
		 * reason and the file as it is instead */
		char *data = NULL;
		size_t len = 0;
		char msg[1024];

		printf("# %s: %s\n", base, sales_error_format(&err, msg, sizeof(msg)));
		if (sales_read_file(argv[0], &data, &len, &err) < 0)
			return report_error(&err);
		fwrite(data, 1, len, stdout);
		free(data);
		return 0;
	}
	print_rows(&s);
	sales_sheet_rows_release(&s);
	return 0;
}
