/*
 * check.c - `sales check`: the CI gate.  Runs the named checks of
 * libsales/check.h and prints their findings as text, JSON (SPEC §7) or
 * GitHub workflow annotations.  Exit 0 when no error, 1 when an error was
 * found, 2 when the workbook cannot be read or the usage is bad.
 */
#include "cmd.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "context.h"
#include "json.h"
#include "text.h"
#include "workbook.h"

static const char *const check_usage[] = {
	"sales check [CHECK...] [--customer NAME | --owner NAME] [--strict] [--as-of DATE] [--format table|json|github] [--explain]",
	"sales check --list",
	NULL,
};

static void list_checks(void)
{
	printf("%-11s ", _("check"));
	pad_cell(stdout, _("severity"), 8, false);
	putchar(' ');
	pad_cell(stdout, _("rule"), 20, false);
	printf(" %s\n", _("what it proves"));
	for (int i = 0; i < SALES_NCHECKS; i++) {
		const struct sales_check_def *d = &sales_check_defs[i];

		printf("%-11s ", d->name);
		pad_cell(stdout, _(sales_severity_name(d->severity)), 8, false);
		putchar(' ');
		pad_cell(stdout, _(d->rule), 20, false);
		printf(" %s\n", _(d->summary));
	}
}

static void suggest_check(const char *name)
{
	struct nearest near;

	nearest_init(&near, name);
	for (int i = 0; i < SALES_NCHECKS; i++)
		nearest_try(&near, sales_check_defs[i].name);
	if (near.pick)
		error_msg("unknown check '%s'; did you mean '%s'? (see 'sales check --list')",
			  name, near.pick);
	else
		error_msg("unknown check '%s' (see 'sales check --list')", name);
}

/* Writes s on one line: a line break quoted from a cell shows as \n. */
static void put_oneline(FILE *f, const char *s)
{
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

/* One finding as a text line: "04-contracts.csv:3:H3: error[approvals]: …". */
static void print_text(FILE *f, const struct sales_finding *k, bool explain)
{
	fprintf(f, "%s:%ld:%s%s%s[%s]: ", k->file, k->line, k->cell,
		k->cell[0] ? ": " : " ", _(sales_severity_name(k->severity)),
		sales_check_defs[k->check].name);
	put_oneline(f, k->message);
	fputc('\n', f);
	if (k->excerpt && *k->excerpt)
		fprintf(f, "    | %s\n", k->excerpt);
	if (explain && k->explain)
		fprintf(f, "    = %s\n", k->explain);
}

static void print_json(const struct sales_check_result *res)
{
	struct sales_buf out = { 0 };
	struct sales_json j;

	sales_json_init(&j, &out);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_key(&j, "errors");
	sales_json_int(&j, (long long)res->errors);
	sales_json_key(&j, "warnings");
	sales_json_int(&j, (long long)res->warnings);
	sales_json_key(&j, "diagnostics");
	sales_json_array(&j, SALES_JSON_LINES);
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *k = &res->findings[i];

		if (k->severity == SALES_SEV_INFO)
			continue;
		sales_json_object(&j, SALES_JSON_COMPACT);
		sales_json_key(&j, "check");
		sales_json_str(&j, sales_check_defs[k->check].name);
		sales_json_key(&j, "severity");
		sales_json_str(&j, sales_severity_name(k->severity));
		sales_json_key(&j, "file");
		sales_json_str(&j, k->file);
		sales_json_key(&j, "line");
		sales_json_int(&j, k->line);
		sales_json_key(&j, "column");
		sales_json_int(&j, k->column);
		sales_json_key(&j, "cell");
		sales_json_str(&j, k->cell);
		sales_json_key(&j, "customer");
		sales_json_str(&j, k->customer);
		sales_json_key(&j, "message");
		sales_json_str(&j, k->message);
		sales_json_end(&j);
		put_buf(stdout, &out);
	}
	sales_json_end(&j);
	sales_json_end(&j);
	sales_buf_addch(&out, '\n');
	put_buf(stdout, &out);
	sales_buf_release(&out);
}

/* GitHub's escaping: data escapes % CR LF; a property also : and ,. */
static void gh_escape(const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", stdout);
		else if (*s == '\r')
			fputs("%0D", stdout);
		else if (*s == '\n')
			fputs("%0A", stdout);
		else if (property && *s == ':')
			fputs("%3A", stdout);
		else if (property && *s == ',')
			fputs("%2C", stdout);
		else
			putchar(*s);
	}
}

/* The workbook folder as a prefix for paths GitHub can place: relative to
 * the current folder when it lies inside it, "" when it is it. */
static char *path_prefix(const char *dir)
{
	char cwd[PATH_MAX];
	size_t n;
	char *out;

	if (dir[0] != '/') {
		while (dir[0] == '.' && dir[1] == '/')
			dir += 2;
		if (!strcmp(dir, ".") || !*dir)
			return strdup("");
	} else if (getcwd(cwd, sizeof(cwd))) {
		n = strlen(cwd);
		if (!strcmp(dir, cwd))
			return strdup("");
		if (!strncmp(dir, cwd, n) && dir[n] == '/')
			dir += n + 1;
	}
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	out = malloc(n + 2);
	if (out) {
		memcpy(out, dir, n);
		out[n] = '/';
		out[n + 1] = '\0';
	}
	return out;
}

static void print_github(const struct sales_check_result *res,
			 const char *prefix)
{
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *k = &res->findings[i];
		char title[64];
		const char *level;

		switch (k->severity) {
		case SALES_SEV_ERROR: level = "error"; break;
		case SALES_SEV_WARNING: level = "warning"; break;
		case SALES_SEV_NOTE: level = "notice"; break;
		default: continue;
		}
		printf("::%s file=", level);
		gh_escape(prefix, true);
		gh_escape(k->file, true);
		printf(",line=%ld", k->line);
		if (k->column > 0)
			printf(",col=%d", k->column);
		snprintf(title, sizeof(title), "sales check %s %s",
			 sales_check_defs[k->check].name, k->cell);
		fputs(",title=", stdout);
		gh_escape(title, true);
		fputs("::", stdout);
		gh_escape(k->message, false);
		putchar('\n');
	}
}

static unsigned parse_checks(int n, const char **names, bool *ok)
{
	unsigned mask = 0;

	*ok = true;
	for (int i = 0; i < n; i++) {
		int id = sales_check_find(names[i]);

		if (id < 0) {
			suggest_check(names[i]);
			*ok = false;
			continue;
		}
		mask |= 1u << id;
	}
	return mask;
}

int cmd_check(int argc, const char **argv, struct sales_ctx *ctx)
{
	enum out_format fmt = FMT_TABLE;
	const char *customer = NULL, *owner = NULL;
	bool strict = false, explain = false, list = false;
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "strict", &strict, "warnings count as errors"),
		OPT_STR(0, "customer", &customer, "NAME", "only this customer's findings (the name as sales status takes it)"),
		OPT_STR(0, "owner", &owner, "NAME", "only the findings of the customers whose 负责人 is NAME"),
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMT_BIT(FMT_TABLE) | FMT_BIT(FMT_JSON) | FMT_BIT(FMT_GITHUB)),
		OPT_BOOLEAN(0, "explain", &explain, "show each deadline's working-day arithmetic"),
		OPT_BOOLEAN(0, "list", &list, "list the checks with their severity and rule"),
		OPT_DONE,
	};
	struct sales_check_options copt = { .as_of = SALES_DATE_NONE };
	struct sales_check_result res;
	struct sales_context sc;
	struct sales_error err;
	char *dir = NULL, *prefix = NULL;
	bool ok;
	int n, code, status;

	n = parse_options(argc, argv, opts, check_usage, &code);
	if (n < 0)
		return code;
	if (list) {
		list_checks();
		return 0;
	}
	copt.checks = parse_checks(n, argv, &ok);
	if (!ok)
		return EXIT_USAGE;
	copt.as_of = ctx->today;
	copt.strict = strict;
	copt.explain = explain;
	if (customer && owner) {
		error_msg("--customer and --owner do not go together");
		return EXIT_USAGE;
	}
	copt.customer = customer;
	copt.owner = owner;

	sales_error_clear(&err);
	if (sales_workbook_find(ctx->dir_opt, &dir, &err) < 0)
		return report_error(&err);
	if (!sales_sheet_exists(dir, SALES_LEADS)) {
		error_msg("'%s' is not a workbook: it has no 01-leads.csv", dir);
		free(dir);
		return EXIT_USAGE;
	}
	warn_open_in_excel(dir, false);
	/* lenient cells are findings of the csv check, not warnings here */
	read_warnings_for_cells(false);
	if (sales_context_load(&sc, dir, copt.as_of, &err) < 0) {
		free(dir);
		report_error(&err);
		return EXIT_USAGE;
	}
	if (sales_check_run(&sc, &copt, &res, &err) < 0) {
		sales_context_release(&sc);
		free(dir);
		report_error(&err);
		return EXIT_USAGE;
	}
	if (res.match != SALES_CHECK_MATCHED) {
		if (customer)
			error_msg("%s", res.why);
		else
			error_msg("no %s named '%s' in the workbook%s%s%s",
				  customer ? "customer" : "负责人 of a lead",
				  customer ? customer : owner,
				  res.suggestion[0] ? "; did you mean '" : "",
				  res.suggestion, res.suggestion[0] ? "'?" : "");
		sales_check_result_release(&res);
		sales_context_release(&sc);
		free(dir);
		return EXIT_PROBLEMS;
	}
	if (fmt == FMT_TABLE && isatty(STDOUT_FILENO) &&
	    sales_check_excerpts(&res, dir, 72, &err) < 0)
		report_error(&err);   /* the findings still stand */

	switch (fmt) {
	default:
	case FMT_TABLE:
		for (size_t i = 0; i < res.nfindings; i++)
			print_text(stdout, &res.findings[i], explain);
		break;
	case FMT_JSON:
		print_json(&res);
		break;
	case FMT_GITHUB:
		prefix = path_prefix(dir);
		print_github(&res, prefix ? prefix : "");
		break;
	}
	if (fmt != FMT_TABLE && explain)
		for (size_t i = 0; i < res.nfindings; i++)
			if (res.findings[i].explain)
				print_text(stderr, &res.findings[i], true);
	fputs(_("check: "), stderr);
	fprintf(stderr, P_("%zu error", "%zu errors", res.errors), res.errors);
	fputs(_(", "), stderr);
	fprintf(stderr, P_("%zu warning", "%zu warnings", res.warnings),
		res.warnings);
	if (res.notes) {
		fputs(_(", "), stderr);
		fprintf(stderr, P_("%zu note", "%zu notes", res.notes), res.notes);
	}
	fprintf(stderr, P_(" in %zu customer\n", " in %zu customers\n",
			   res.ncustomers), res.ncustomers);
	status = res.errors ? EXIT_PROBLEMS : 0;
	free(prefix);
	sales_check_result_release(&res);
	sales_context_release(&sc);
	free(dir);
	return status;
}
