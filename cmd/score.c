/*
 * score.c - `sales score [CUSTOMER...] [--write] [--explain] [--format]`:
 * A/B/C lead grades from four dimensions (SPEC §5), each explained, and
 * with --write stored in 线索评分 and 线索等级 (nothing else changes).
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "json.h"
#include "leads.h"
#include "report.h"
#include "resolve.h"
#include "schema.h"
#include "score.h"
#include "txn.h"
#include "workbook.h"

static const char *const score_usage[] = {
	"sales score [CUSTOMER...] [--write] [--explain] [--as-of DATE] [--format table|csv|tsv|json|md]",
	"sales score --calibrate [--quarter Q | --month YYYY-MM] [--as-of DATE] [--format table|csv|tsv|json|md]",
	NULL,
};


static void print_explain(const struct sales_score *sc, const char *customer,
			  const char *where)
{
	printf("%s (%s): %d %c类\n", customer, where, sc->total, sc->grade);
	for (int d = 0; d < SALES_SCORE_NDIMS; d++) {
		printf("  ");
		pad_cell(stdout, sales_score_dim_names[d], 8, false);
		printf("%3d/%d  %s\n", sc->points[d], sc->max, sc->why[d]);
	}
	printf("  ");
	pad_cell(stdout, "等级", 8, false);
	printf("        %s\n\n", sc->grade_why);
}

static void print_json(struct sales_json *j, const struct sales_score *sc,
		       const char *customer, long line, const char *sheet_score,
		       const char *sheet_grade)
{
	char grade[8];

	snprintf(grade, sizeof(grade), "%c类", sc->grade);
	sales_json_object(j, SALES_JSON_COMPACT);
	sales_json_key(j, "customer");
	sales_json_str(j, customer);
	sales_json_key(j, "line");
	sales_json_int(j, line);
	sales_json_key(j, "score");
	sales_json_int(j, sc->total);
	sales_json_key(j, "grade");
	sales_json_str(j, grade);
	sales_json_key(j, "sheet_score");
	sales_json_str(j, sheet_score);
	sales_json_key(j, "sheet_grade");
	sales_json_str(j, sheet_grade);
	sales_json_key(j, "dimensions");
	sales_json_object(j, SALES_JSON_COMPACT);
	for (int d = 0; d < SALES_SCORE_NDIMS; d++) {
		sales_json_key(j, sales_score_dim_keys[d]);
		sales_json_object(j, SALES_JSON_COMPACT);
		sales_json_key(j, "points");
		sales_json_int(j, sc->points[d]);
		sales_json_key(j, "max");
		sales_json_int(j, sc->max);
		sales_json_key(j, "why");
		sales_json_str(j, sc->why[d]);
		sales_json_end(j);
	}
	sales_json_end(j);
	sales_json_key(j, "grade_why");
	sales_json_str(j, sc->grade_why);
	sales_json_end(j);
}

static void print_sep_row(enum out_format fmt, const struct sales_score *sc,
			  const char *customer, bool explain)
{
	char sep = fmt == FMT_CSV ? ',' : '\t';

	sep_field(stdout, fmt, customer, strlen(customer), true);
	for (int d = 0; d < SALES_SCORE_NDIMS; d++)
		printf("%c%d", sep, sc->points[d]);
	printf("%c%d%c%c类", sep, sc->total, sep, sc->grade);
	if (explain) {
		for (int d = 0; d < SALES_SCORE_NDIMS; d++)
			sep_field(stdout, fmt, sc->why[d], strlen(sc->why[d]),
				  false);
		sep_field(stdout, fmt, sc->grade_why, strlen(sc->grade_why),
			  false);
	}
	putchar('\n');
}

/* Is the sheet's cell already what the score says?  "A" and "A类" are the
 * same grade, "85" and " 85" the same score: only a real change is
 * written. */
static bool grade_is(const char *cell, char grade)
{
	char g;

	return sales_parse_grade(cell, strlen(cell), &g) == SALES_VALUE_OK &&
	       g == grade;
}

static bool score_is(const char *cell, int total)
{
	long n;

	return sales_parse_int(cell, strlen(cell), &n) == SALES_VALUE_OK &&
	       n == total;
}

/* v in decimal into buf (as "%d" writes it; scores are small). */
static const char *int_text(char buf[12], int v)
{
	char *p = buf + 11;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return p;
}

/* "A类" */
static const char *grade_text(char buf[8], char grade)
{
	buf[0] = grade;
	memcpy(buf + 1, "类", sizeof("类"));
	return buf;
}

/* "SCORE GRADE" into dst, cut at cap - 1 bytes (as snprintf cuts it). */
static void sheet_text(char *dst, size_t cap, const char *score,
		       const char *grade)
{
	size_t n = strlen(score), m = strlen(grade);

	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, score, n);
	if (n < cap - 1)
		dst[n++] = ' ';
	if (m > cap - 1 - n)
		m = cap - 1 - n;
	memcpy(dst + n, grade, m);
	dst[n + m] = '\0';
}

/* What scoring every lead shares, and where its rows go. */
struct score_run {
	const struct sales_score_rules *rules;
	const struct sales_score_surveys *sv;
	enum out_format fmt;
	bool explain;
	struct table *tab;
	struct sales_json *js;
	struct sales_buf *jout;
	const char *name;         /* the sheet, for "01-leads.csv:3" */
	size_t nscored;
	bool head_done;
	bool write;               /* --write: store what it scores */
};

/* Scores the lead v (at line of the sheet) into *sc and prints it (or
 * adds its table row).  -1: out of memory. */
static int score_one(struct score_run *run, const char *const *v, long line,
		     struct sales_score *sc)
{
	char where[64], sheet[48];
	enum out_format fmt = run->fmt;
	/* JSON always shows the reasons, CSV, TSV and the table with
	 * --explain, Markdown never */
	bool why = fmt == FMT_JSON || (run->explain && fmt != FMT_MD);

	if (why || run->explain)
		snprintf(where, sizeof(where), "%s:%ld", run->name, line);
	sales_score_lead(run->rules, run->sv, v, why ? where : NULL, why, sc);
	run->nscored++;
	if (fmt == FMT_JSON) {
		print_json(run->js, sc, v[LEAD_CUSTOMER], line,
			   v[LEAD_SCORE], v[LEAD_GRADE]);
		put_buf(stdout, run->jout);
	} else if (fmt == FMT_CSV || fmt == FMT_TSV) {
		print_sep_row(fmt, sc, v[LEAD_CUSTOMER], run->explain);
	} else if (run->explain && fmt == FMT_TABLE) {
		print_explain(sc, v[LEAD_CUSTOMER], where);
	} else {
		char pts[SALES_SCORE_NDIMS][12], total[12], grade[8];
		const char *cells[8];

		for (int d = 0; d < SALES_SCORE_NDIMS; d++)
			cells[1 + d] = int_text(pts[d], sc->points[d]);
		sheet_text(sheet, sizeof(sheet),
			   *v[LEAD_SCORE] ? v[LEAD_SCORE] : "-",
			   *v[LEAD_GRADE] ? v[LEAD_GRADE] : "-");
		cells[0] = v[LEAD_CUSTOMER];
		cells[5] = int_text(total, sc->total);
		cells[6] = grade_text(grade, sc->grade);
		cells[7] = sheet;
		if (table_add(run->tab, cells) < 0)
			return -1;
	}
	return 0;
}

/* The JSON array's start or the CSV/TSV header line, once. */
static void print_head(struct score_run *run)
{
	enum out_format fmt = run->fmt;

	if (run->head_done)
		return;
	run->head_done = true;
	if (fmt == FMT_JSON) {
		sales_json_init(run->js, run->jout);
		sales_json_array(run->js, SALES_JSON_LINES);
	} else if (fmt == FMT_CSV || fmt == FMT_TSV) {
		char sep = fmt == FMT_CSV ? ',' : '\t';

		printf("customer");
		for (int d = 0; d < SALES_SCORE_NDIMS; d++)
			printf("%c%s", sep, sales_score_dim_keys[d]);
		printf("%cscore%cgrade", sep, sep);
		if (run->explain) {
			for (int d = 0; d < SALES_SCORE_NDIMS; d++)
				printf("%c%s_why", sep, sales_score_dim_keys[d]);
			printf("%cgrade_why", sep);
		}
		putchar('\n');
	}
}

/* The row function of every pass over 01 (each_lead): scores one lead,
 * and with --write stores its score and grade. */
static int stream_lead(struct sales_txn_stream *s, const char *const *v,
		       long line, void *arg, struct sales_error *err)
{
	struct score_run *run = arg;
	struct sales_score sc;
	char total[12], grade[8];

	print_head(run);
	if (!*v[LEAD_CUSTOMER])
		return 0;
	if (score_one(run, v, line, &sc) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (!run->write)
		return 0;
	if (!score_is(v[LEAD_SCORE], sc.total) &&
	    sales_txn_stream_set(s, LEAD_SCORE, int_text(total, sc.total),
				 err) < 0)
		return -1;
	if (!grade_is(v[LEAD_GRADE], sc.grade) &&
	    sales_txn_stream_set(s, LEAD_GRADE, grade_text(grade, sc.grade),
				 err) < 0)
		return -1;
	return 0;
}

/*
 * Calls fn on every record of 01 in order, 01 never held: with --write
 * (t) through the change's stream (sales_txn_each: loaded only where the
 * stream cannot take the file), else read as it comes (fn's stream NULL).
 * 0, or -1 with err.
 */
static int each_lead(struct sales_txn *t, const char *dir, sales_txn_row_fn fn,
		     void *arg, struct sales_error *err)
{
	static const int cols[] = { LEAD_SCORE, LEAD_GRADE };
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	int rc;

	if (t)
		return sales_txn_each(t, SALES_LEADS, cols, 2, fn, arg, err);
	if (sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0)
		if (fn(NULL, rec->v, rec->row->line, arg, err) < 0) {
			rc = -1;
			break;
		}
	sales_sheet_close(r);
	return rc < 0 ? -1 : 0;
}

/* score NAME…, 01 streamed: a first pass resolves each name over
 * 01 (resolve.h), the second scores (and with --write stores) the rows
 * whose 客户名称 is a resolved row's cell (a name written twice, added with --force, scores
 * every row that has it; the resolver's row is the first of them). */
struct named_run {
	struct score_run *run;
	struct sales_resolver *r;    /* one per name */
	int n;
	long *lines;                 /* the resolved rows' lines, sorted */
	int nlines, next;
	struct sales_buf want;       /* their cells, each NUL-ended */
};

static int feed_names(struct sales_txn_stream *s, const char *const *v,
		      long line, void *arg, struct sales_error *err)
{
	struct named_run *nr = arg;

	(void)s;
	for (int a = 0; a < nr->n; a++)
		if (sales_resolver_feed(&nr->r[a], v[LEAD_CUSTOMER], line) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	return 0;
}

static bool wanted(const struct named_run *nr, const char *cell)
{
	for (size_t off = 0; off < nr->want.len;
	     off += strlen(nr->want.data + off) + 1)
		if (!strcmp(nr->want.data + off, cell))
			return true;
	return false;
}

static int stream_named(struct sales_txn_stream *s, const char *const *v,
			long line, void *arg, struct sales_error *err)
{
	struct named_run *nr = arg;
	const char *cell = v[LEAD_CUSTOMER];

	for (; nr->next < nr->nlines && nr->lines[nr->next] == line; nr->next++)
		if (!wanted(nr, cell) &&
		    sales_buf_add(&nr->want, cell, strlen(cell) + 1) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	return wanted(nr, cell) ? stream_lead(s, v, line, nr->run, err) : 0;
}

static int cmp_line(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The exit status; t NULL without --write. */
static int score_named(struct sales_txn *t, const char *dir,
		       struct score_run *run, int n, const char **names)
{
	struct named_run nr = { run, NULL, n, NULL, 0, 0, { 0 } };
	struct sales_error err;
	int status = 0, rc, missing = 0;

	sales_error_clear(&err);
	nr.r = calloc((size_t)n, sizeof(*nr.r));
	nr.lines = calloc((size_t)n, sizeof(*nr.lines));
	if (!nr.r || !nr.lines) {
		free(nr.r);
		free(nr.lines);
		error_msg("out of memory");
		return EXIT_USAGE;
	}
	for (int a = 0; a < n; a++)
		sales_resolver_init(&nr.r[a], names[a]);
	/* the first pass writes nothing (and so leaves 01 to stream again);
	 * a 01 the stream cannot take is walked loaded, by the same fns */
	rc = each_lead(t, dir, feed_names, &nr, &err);
	if (rc < 0) {
		status = report_error(&err);
		goto out;
	}
	for (int a = 0; a < n; a++) {
		long line = sales_resolver_result(&nr.r[a], NULL, NULL);

		if (line < 0) {
			sales_resolver_error(&nr.r[a], _("lead"),
					     sales_sheet_def(SALES_LEADS)->file,
					     &err);
			error_msg("%s", err.message);
			missing++;
		} else {
			nr.lines[nr.nlines++] = line;
		}
	}
	if (missing) {
		status = EXIT_PROBLEMS;
		goto out;
	}
	qsort(nr.lines, (size_t)nr.nlines, sizeof(*nr.lines), cmp_line);
	rc = each_lead(t, dir, stream_named, &nr, &err);
	if (rc < 0) {
		status = report_error(&err);
		goto out;
	}
	print_head(run);
out:
	for (int a = 0; a < n; a++)
		sales_resolver_release(&nr.r[a]);
	free(nr.r);
	free(nr.lines);
	sales_buf_release(&nr.want);
	return status;
}

int cmd_score(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool write = false, explain = false, calibrate = false;
	const char *quarter = NULL, *month = NULL;
	enum out_format fmt = FMT_TABLE;
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "calibrate", &calibrate, "per grade and scoring dimension: leads, signed, conversion, cycle; and a threshold suggestion (never applied)"),
		OPT_STR('q', "quarter", &quarter, "Q", "--calibrate: leads registered in this quarter (default: every lead)"),
		OPT_STR('m', "month", &month, "YYYY-MM", "--calibrate: leads registered in this month"),
		OPT_BOOLEAN(0, "write", &write, "store the score and grade in 线索评分 and 线索等级"),
		OPT_BOOLEAN('e', "explain", &explain, "show each dimension's points and the reason"),
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMTS_TABLE),
		OPT_DONE,
	};
	static const char *const headers[] = { "客户名称", "行业", "规模", "预算",
					       "决策链", "评分", "等级", "表中" };
	struct sales_score_surveys *sv = NULL;
	struct sales_score_rules *rules = NULL;
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	struct table tab;
	struct sales_buf jout = { 0 };
	struct sales_json js;
	struct score_run run = { 0 };
	bool have_ctx = false, have_txn = false;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, score_usage, &code);
	if (n < 0)
		return code;
	if (calibrate) {
		if (write || explain || n > 0) {
			error_msg("--calibrate looks at every lead: no customer names, --write or --explain");
			return EXIT_USAGE;
		}
		return score_calibrate(ctx, quarter, month, fmt);
	}
	if (quarter || month) {
		error_msg("%s applies to --calibrate only", quarter ? "--quarter" : "--month");
		return EXIT_USAGE;
	}
	table_init(&tab, sizeof(headers) / sizeof(headers[0]));
	for (size_t col = 1; col < sizeof(headers) / sizeof(headers[0]); col++)
		table_right(&tab, col);
	tab.max_width = 30;
	tab.rule = true;
	if (table_add(&tab, headers) < 0) {
		error_msg("out of memory");
		return EXIT_USAGE;
	}

	sales_error_clear(&err);
	if (write) {
		/* the lock is held from before reading 01 and 02 until the
		 * rewrite */
		if (change_begin(&t, NULL, ctx, "score", &err) < 0) {
			status = report_error(&err);
			change_end(&t, NULL);
			goto out;
		}
		have_txn = true;
	} else {
		warn_open_in_excel(ctx->dir, false);
	}
	if (sales_context_load(&c, ctx->dir, ctx->today, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	have_ctx = true;
	rules = sales_score_rules_new(c.settings);
	if (!rules) {
		error_msg("out of memory");
		status = EXIT_USAGE;
		goto out;
	}
	run.rules = rules;
	run.fmt = fmt;
	run.explain = explain;
	run.tab = &tab;
	run.js = &js;
	run.jout = &jout;
	run.name = sales_sheet_def(SALES_LEADS)->file;
	run.write = write;
	if (sales_score_surveys_load(ctx->dir, c.settings, &sv, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	run.sv = sv;
	if (n > 0) {
		/* the leads named: a pass to resolve them, one to score */
		if ((status = score_named(write ? &t : NULL, ctx->dir, &run, n,
					  argv)) != 0)
			goto out;
	} else if (each_lead(write ? &t : NULL, ctx->dir, stream_lead, &run,
			     &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	print_head(&run);
	if (fmt == FMT_JSON) {
		json_print_end(&js, &jout);
	} else if (fmt == FMT_TABLE && !explain)
		table_print(stdout, &tab, NULL);
	else if (fmt == FMT_MD)
		table_print_md(stdout, &tab);

	if (write) {
		size_t changes = sales_txn_changes(&t);

		if (!changes) {
			fprintf(stderr, _("%s already holds these scores and grades\n"),
				run.name);
		} else if (sales_txn_commit(&t, &err) < 0) {
			status = report_error(&err);
			goto out;
		} else {
			fprintf(stderr, P_("wrote %zu cell of 线索评分 and 线索等级 in %s (audit.csv lists them)\n",
					   "wrote %zu cells of 线索评分 and 线索等级 in %s (audit.csv lists them)\n",
					   changes), changes, run.name);
		}
	}
out:
	sales_buf_release(&jout);
	table_release(&tab);
	sales_score_surveys_free(sv);
	sales_score_rules_free(rules);
	if (have_txn)
		change_end(&t, NULL);
	if (have_ctx)
		sales_context_release(&c);
	return status;
}
