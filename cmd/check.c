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

#include "baseline.h"
#include "check.h"
#include "context.h"
#include "git.h"
#include "i18n.h"
#include "json.h"
#include "text.h"
#include "workbook.h"

static const char *const check_usage[] = {
	"sales check [CHECK...] [--customer NAME | --owner NAME] [--strict] [--as-of DATE] [--format table|json|github|gitlab] [--explain]",
	"sales check --new-from-rev REV [--staged] [CHECK...] [...]",
	"sales check --list",
	NULL,
};

static void list_checks(void)
{
	printf("%-11s ", _("check"));
	pad_cell(stdout, _("severity"), 8, false);
	putchar(' ');
	pad_cell(stdout, _("rule"), 25, false);
	printf(" %s\n", _("what it proves"));
	for (int i = 0; i < SALES_NCHECKS; i++) {
		const struct sales_check_def *d = &sales_check_defs[i];

		printf("%-11s ", d->name);
		pad_cell(stdout, _(sales_severity_name(d->severity)), 8, false);
		putchar(' ');
		pad_cell(stdout, _(d->rule), 25, false);
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

/* Appends s on one line: a line break quoted from a cell shows as \n (CR
 * as \r, TAB as \t); the bytes between go in one piece. */
static void add_oneline(struct sales_buf *b, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "\n\r\t");

		sales_buf_add(b, s, n);
		s += n;
		if (!*s)
			return;
		sales_buf_add(b, *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : "\\t", 2);
		s++;
	}
}

/* What a text line holds around its place and message, made once per
 * printing: the place's colour and, per severity, what goes from the end
 * of the place to the check's name (" error[" with its colours). */
struct text_style {
	const char *place_on;
	size_t place_len;
	char mid[SALES_SEV_INFO + 1][96];
	size_t mid_len[SALES_SEV_INFO + 1];
};

static void text_style_init(struct text_style *ts, FILE *f)
{
	ts->place_on = color_on(f, COLOR_PLACE);
	ts->place_len = strlen(ts->place_on);
	for (int s = SALES_SEV_ERROR; s <= SALES_SEV_INFO; s++) {
		int n = snprintf(ts->mid[s], sizeof(ts->mid[s]), "%s %s%s%s[",
				 color_off(f), color_on(f, color_for_severity(s)),
				 _(sales_severity_name((enum sales_severity)s)),
				 color_off(f));

		ts->mid_len[s] = n < 0 ? 0 : (size_t)n < sizeof(ts->mid[s]) ?
				 (size_t)n : sizeof(ts->mid[s]) - 1;
	}
}

/* One finding as a text line: "04-contracts.csv:3:H3: error[approvals]: …",
 * appended to b (the caller writes b out, many findings at a time). */
static void add_text(struct sales_buf *b, const struct text_style *ts,
		     const struct sales_finding *k, bool explain)
{
	sales_buf_add(b, ts->place_on, ts->place_len);
	sales_buf_addstr(b, k->file);
	sales_buf_addch(b, ':');
	sales_buf_addlong(b, k->line);
	sales_buf_addch(b, ':');
	if (k->cell[0]) {
		sales_buf_addstr(b, k->cell);
		sales_buf_addch(b, ':');
	}
	sales_buf_add(b, ts->mid[k->severity], ts->mid_len[k->severity]);
	sales_buf_addstr(b, sales_check_defs[k->check].name);
	sales_buf_add(b, "]: ", 3);
	add_oneline(b, k->message);
	sales_buf_addch(b, '\n');
	if (k->excerpt && *k->excerpt) {
		sales_buf_add(b, "    | ", 6);
		sales_buf_addstr(b, k->excerpt);
		sales_buf_addch(b, '\n');
	}
	if (explain && k->explain) {
		sales_buf_add(b, "    = ", 6);
		sales_buf_addstr(b, k->explain);
		sales_buf_addch(b, '\n');
	}
}

/* Says that the findings could not be read back; true when they could. */
static bool walked(int rc, const struct sales_error *err)
{
	if (rc >= 0)
		return true;
	report_error(err);
	return false;
}

/* Every finding as text lines on f (only_explained: from findings[], the
 * second walk of --explain). */
static bool print_text(FILE *f, struct sales_check_result *res,
		       bool explain, bool only_explained)
{
	struct sales_buf out = { 0 };
	const struct sales_finding *k;
	struct text_style ts;
	struct sales_error err;
	int rc;

	text_style_init(&ts, f);
	if (only_explained) {
		for (size_t i = 0; i < res->nfindings; i++) {
			if (!res->findings[i].explain)
				continue;
			add_text(&out, &ts, &res->findings[i], explain);
			put_some(f, &out);
		}
		put_buf(f, &out);
		sales_buf_release(&out);
		return true;
	}
	sales_error_clear(&err);
	while ((rc = sales_check_next(res, &k, &err)) > 0) {
		add_text(&out, &ts, k, explain);
		put_some(f, &out);
	}
	put_buf(f, &out);
	sales_buf_release(&out);
	return walked(rc, &err);
}

static bool print_json(struct sales_check_result *res)
{
	struct sales_buf out = { 0 };
	const struct sales_finding *k;
	struct sales_error err;
	struct sales_json j;
	int rc;

	sales_json_init(&j, &out);
	sales_json_object(&j, SALES_JSON_COMPACT);
	sales_json_key(&j, "errors");
	sales_json_int(&j, (long long)res->errors);
	sales_json_key(&j, "warnings");
	sales_json_int(&j, (long long)res->warnings);
	sales_json_key(&j, "diagnostics");
	sales_json_array(&j, SALES_JSON_LINES);
	sales_error_clear(&err);
	while ((rc = sales_check_next(res, &k, &err)) > 0) {
		if (k->severity == SALES_SEV_INFO)
			continue;
		json_finding(&j, k, true);
		put_some(stdout, &out);
	}
	sales_json_end(&j);
	json_print_end(&j, &out);
	sales_buf_release(&out);
	return walked(rc, &err);
}

/* GitHub's escaping: data escapes % CR LF; a property also : and ,.
 * Appended to b, the bytes between escapes in one piece. */
static void add_gh_escaped(struct sales_buf *b, const char *s, bool property)
{
	const char *special = property ? "%\r\n:," : "%\r\n";

	for (;;) {
		size_t n = strcspn(s, special);
		const char *esc;

		sales_buf_add(b, s, n);
		s += n;
		switch (*s) {
		case '\0': return;
		case '%': esc = "%25"; break;
		case '\r': esc = "%0D"; break;
		case '\n': esc = "%0A"; break;
		case ':': esc = "%3A"; break;
		default: esc = "%2C"; break;
		}
		sales_buf_add(b, esc, 3);
		s++;
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

/* "sales check NAME CELL" in title[cap], cut as snprintf cuts it. */
static void gh_title(char *title, size_t cap, const char *name,
		     const char *cell)
{
	const char *part[3] = { "sales check ", name, cell };
	size_t t = 0;

	for (int i = 0; i < 3; i++) {
		size_t n = strlen(part[i]);

		if (n > cap - 1 - t)
			n = cap - 1 - t;
		memcpy(title + t, part[i], n);
		t += n;
		if (i == 1 && t < cap - 1)
			title[t++] = ' ';
	}
	title[t] = '\0';
}

static bool print_github(struct sales_check_result *res, const char *prefix)
{
	struct sales_buf out = { 0 };
	const struct sales_finding *k;
	struct sales_error err;
	int rc;

	sales_error_clear(&err);
	while ((rc = sales_check_next(res, &k, &err)) > 0) {
		char title[64];
		const char *level;

		switch (k->severity) {
		case SALES_SEV_ERROR: level = "error"; break;
		case SALES_SEV_WARNING: level = "warning"; break;
		case SALES_SEV_NOTE: level = "notice"; break;
		default: continue;
		}
		sales_buf_addstr(&out, "::");
		sales_buf_addstr(&out, level);
		sales_buf_addstr(&out, " file=");
		add_gh_escaped(&out, prefix, true);
		add_gh_escaped(&out, k->file, true);
		sales_buf_addstr(&out, ",line=");
		sales_buf_addlong(&out, k->line);
		if (k->column > 0) {
			sales_buf_addstr(&out, ",col=");
			sales_buf_addlong(&out, k->column);
		}
		gh_title(title, sizeof(title), sales_check_defs[k->check].name,
			 k->cell);
		sales_buf_addstr(&out, ",title=");
		add_gh_escaped(&out, title, true);
		sales_buf_addstr(&out, "::");
		add_gh_escaped(&out, k->message, false);
		sales_buf_addch(&out, '\n');
		put_some(stdout, &out);
	}
	put_buf(stdout, &out);
	sales_buf_release(&out);
	return walked(rc, &err);
}

/* GitLab's code-quality report: an array of issues, each with a
 * fingerprint that follows it across commits (baseline.h). */
static void print_gitlab(const struct sales_check_result *res,
			 const char *prefix, const uint64_t *fp)
{
	struct sales_buf out = { 0 }, path = { 0 };
	bool first = true;

	sales_buf_addch(&out, '[');
	for (size_t i = 0; i < res->nfindings; i++) {
		const struct sales_finding *k = &res->findings[i];
		const char *sev;
		char hex[17];

		switch (k->severity) {
		case SALES_SEV_ERROR: sev = "major"; break;
		case SALES_SEV_WARNING: sev = "minor"; break;
		case SALES_SEV_NOTE: sev = "info"; break;
		default: continue;
		}
		sales_buf_addstr(&out, first ? "\n" : ",\n");
		first = false;
		sales_buf_addstr(&out, "{\"description\":");
		sales_json_quote(&out, k->message, strlen(k->message));
		sales_buf_addstr(&out, ",\"check_name\":");
		sales_json_quote(&out, sales_check_defs[k->check].name,
				 strlen(sales_check_defs[k->check].name));
		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)fp[i]);
		sales_buf_printf(&out, ",\"fingerprint\":\"%s\",\"severity\":\"%s\",",
				 hex, sev);
		sales_buf_addstr(&out, "\"location\":{\"path\":");
		sales_buf_reset(&path);
		sales_buf_addstr(&path, prefix);
		sales_buf_addstr(&path, k->file);
		sales_json_quote(&out, path.data, path.len);
		sales_buf_addstr(&out, ",\"lines\":{\"begin\":");
		sales_buf_addlong(&out, k->line > 0 ? k->line : 1);
		sales_buf_addstr(&out, "}}}");
		put_some(stdout, &out);
	}
	sales_buf_addstr(&out, first ? "]\n" : "\n]\n");
	put_buf(stdout, &out);
	sales_buf_release(&out);
	sales_buf_release(&path);
}

/* Keeps the findings marked new, in their order, and counts them again. */
static void keep_new(struct sales_check_result *res, const bool *is_new)
{
	size_t n = 0;

	res->errors = res->warnings = res->notes = 0;
	for (size_t i = 0; i < res->nfindings; i++) {
		if (!is_new[i])
			continue;
		res->findings[n] = res->findings[i];
		switch (res->findings[n].severity) {
		case SALES_SEV_ERROR: res->errors++; break;
		case SALES_SEV_WARNING: res->warnings++; break;
		case SALES_SEV_NOTE: res->notes++; break;
		default: break;
		}
		n++;
	}
	res->nfindings = n;
}

/* An error in REV's files names them as git does ("HEAD:04-contracts.csv"),
 * not as the temporary copy. */
static void name_rev_file(struct sales_error *err, const char *rev,
			  const char *snap)
{
	const char *f = err->file;
	struct sales_buf name = { 0 };
	size_t n = strlen(snap);

	if (!strncmp(f, snap, n) && f[n] == '/')
		f += n + 1;
	if (sales_buf_printf(&name, "%s:%s", rev ? rev : "", f) == 0)
		snprintf(err->file, sizeof(err->file), "%.*s",
			 (int)(sizeof(err->file) - 1), name.data);
	sales_buf_release(&name);
}

/*
 * Runs check on workbook wb's files at rev (as of the same date) and drops
 * from res (check's result on folder dir: wb itself, or a snapshot of the
 * index) the findings that were there already.
 * *older is how many were dropped.  Returns 0, or -1 with err.
 */
static int drop_old_findings(struct sales_check_result *res, const char *wb,
			     const char *dir, const char *rev, const struct sales_check_options *copt,
			     size_t *older, struct sales_error *err)
{
	struct sales_check_result base = { 0 };
	struct sales_context bc;
	char *snap = NULL, **now_ids = NULL, **base_ids = NULL;
	bool *is_new = NULL, have_ctx = false, have_base = false;
	bool base_failed = true;
	char *leads = NULL;
	size_t nnow = res->nfindings;
	int rc = -1;

	if (sales_git_snapshot(wb, rev, &snap, err) < 0)
		return -1;
	leads = sales_path_join(snap, sales_sheet_def(SALES_LEADS)->file);
	/* a workbook that REV did not have yet: every finding is new */
	if (leads && access(leads, F_OK) == 0) {
		if (sales_context_load(&bc, snap, copt->as_of, err) < 0)
			goto out;
		have_ctx = true;
		if (sales_check_run(&bc, copt, &base, err) < 0)
			goto out;
		have_base = true;
		if (sales_finding_ids(&base, snap, &base_ids, err) < 0)
			goto out;
	}
	base_failed = false;
	if (sales_finding_ids(res, dir, &now_ids, err) < 0)
		goto out;
	is_new = calloc(res->nfindings + 1, sizeof(*is_new));
	if (!is_new || sales_findings_new(now_ids, res->nfindings, base_ids,
					  have_base ? base.nfindings : 0, is_new) < 0) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	*older = res->nfindings;
	keep_new(res, is_new);
	*older -= res->nfindings;
	rc = 0;
out:
	if (rc < 0 && base_failed)
		name_rev_file(err, rev, snap);
	free(is_new);
	sales_finding_ids_free(now_ids, nnow);
	sales_finding_ids_free(base_ids, have_base ? base.nfindings : 0);
	if (have_base)
		sales_check_result_release(&base);
	if (have_ctx)
		sales_context_release(&bc);
	free(leads);
	sales_git_snapshot_remove(snap);
	return rc;
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
	const char *customer = NULL, *owner = NULL, *rev = NULL;
	bool strict = false, explain = false, list = false, staged = false;
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "strict", &strict, "warnings count as errors"),
		OPT_STR(0, "customer", &customer, "NAME", "only this customer's findings (the name as sales status takes it)"),
		OPT_STR(0, "owner", &owner, "NAME", "only the findings of the customers whose 负责人 is NAME"),
		OPT_AS_OF(&ctx->today),
		OPT_FORMAT_OF(&fmt, FMT_BIT(FMT_TABLE) | FMT_BIT(FMT_JSON) | FMT_BIT(FMT_GITHUB) |
			      FMT_BIT(FMT_GITLAB)),
		OPT_BOOLEAN(0, "explain", &explain, "show each deadline's working-day arithmetic"),
		OPT_BOOLEAN(0, "list", &list, "list the checks with their severity and rule"),
		OPT_STR(0, "new-from-rev", &rev, "REV", "only findings that are not at git revision REV (the gate)"),
		OPT_BOOLEAN(0, "staged", &staged, "with --new-from-rev: check the files staged for commit"),
		OPT_DONE,
	};
	struct sales_check_options copt = { .as_of = SALES_DATE_NONE };
	struct sales_check_result res;
	struct sales_context sc;
	struct sales_error err;
	char *dir = NULL, *prefix = NULL, *snap = NULL;
	const char *now_dir;
	uint64_t *fp = NULL;
	char **ids = NULL;
	size_t older = 0;
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
	if (staged && !rev) {
		error_msg(_("--staged needs --new-from-rev (the revision to compare with)"));
		return EXIT_USAGE;
	}
	copt.as_of = ctx->today;
	copt.strict = strict;
	copt.explain = explain;
	if (customer && owner) {
		error_msg("--customer and --owner do not go together");
		return EXIT_USAGE;
	}
	copt.customer = customer;
	copt.owner = owner;
	/* the findings straight from the temporary runs when they are walked
	 * once, in order: not for the gate, gitlab's fingerprints, excerpts
	 * or a second --explain walk */
	copt.stream = !rev && fmt != FMT_GITLAB &&
		      !(fmt == FMT_TABLE && isatty(STDOUT_FILENO)) &&
		      !(fmt != FMT_TABLE && explain);
	if (getenv("SALES_CHECK_SPILL_AT"))   /* tests: runs of a few findings */
		copt.spill_at = strtoul(getenv("SALES_CHECK_SPILL_AT"), NULL, 10);

	sales_error_clear(&err);
	if (sales_workbook_find(ctx->dir_opt, &dir, &err) < 0)
		return report_error(&err);
	if (!sales_sheet_exists(dir, SALES_LEADS)) {
		error_msg("'%s' is not a workbook: it has no 01-leads.csv", dir);
		free(dir);
		return EXIT_USAGE;
	}
	/* damage is check's own finding, not a warning here */
	damage_warnings_off();
	warn_open_in_excel(dir, false);
	/* lenient cells are findings of the csv check, not warnings here */
	read_warnings_for_cells(false);
	now_dir = dir;
	if (rev && sales_git_check_rev(dir, rev, &err) < 0) {
		free(dir);
		return report_error(&err);
	}
	if (staged) {
		if (sales_git_snapshot(dir, SALES_GIT_INDEX, &snap, &err) < 0) {
			free(dir);
			return report_error(&err);
		}
		now_dir = snap;
	}
	if (sales_context_load(&sc, now_dir, copt.as_of, &err) < 0) {
		sales_git_snapshot_remove(snap);
		free(dir);
		report_error(&err);
		return EXIT_USAGE;
	}
	if (sales_check_run(&sc, &copt, &res, &err) < 0) {
		sales_context_release(&sc);
		sales_git_snapshot_remove(snap);
		free(dir);
		report_error(&err);
		return EXIT_USAGE;
	}
	if (res.match != SALES_CHECK_MATCHED) {
		if (customer)
			error_msg("%s", res.why);
		else
			error_msg("no %s named '%s' in the workbook%s%s%s",
				  customer ? _("customer") : _("负责人 of a lead"),
				  customer ? customer : owner,
				  res.suggestion[0] ? _("; did you mean '") : "",
				  res.suggestion, res.suggestion[0] ? _("'?") : "");
		sales_check_result_release(&res);
		sales_context_release(&sc);
		sales_git_snapshot_remove(snap);
		free(dir);
		return EXIT_PROBLEMS;
	}
	if (rev && drop_old_findings(&res, dir, now_dir, rev, &copt, &older,
				     &err) < 0) {
		sales_check_result_release(&res);
		sales_context_release(&sc);
		sales_git_snapshot_remove(snap);
		free(dir);
		report_error(&err);
		return EXIT_USAGE;
	}
	if (fmt == FMT_TABLE && isatty(STDOUT_FILENO) &&
	    sales_check_excerpts(&res, now_dir, 72, &err) < 0)
		report_error(&err);   /* the findings still stand */

	switch (fmt) {
	default:
	case FMT_TABLE:
		ok = print_text(stdout, &res, explain, false);
		break;
	case FMT_JSON:
		ok = print_json(&res);
		break;
	case FMT_GITHUB:
		prefix = path_prefix(dir);
		ok = print_github(&res, prefix ? prefix : "");
		break;
	case FMT_GITLAB:
		prefix = path_prefix(dir);
		fp = calloc(res.nfindings + 1, sizeof(*fp));
		if (!fp || sales_finding_ids(&res, now_dir, &ids, &err) < 0 ||
		    sales_finding_fingerprints(ids, res.nfindings, fp) < 0) {
			error_msg("out of memory");
			status = EXIT_USAGE;
			goto out;
		}
		print_gitlab(&res, prefix ? prefix : "", fp);
		break;
	}
	if (!ok) {
		status = EXIT_USAGE;
		goto out;
	}
	if (fmt != FMT_TABLE && explain)
		print_text(stderr, &res, true, true);
	fputs(_("check: "), stderr);
	fprintf(stderr, P_("%zu error", "%zu errors", res.errors), res.errors);
	fputs(_(", "), stderr);
	fprintf(stderr, P_("%zu warning", "%zu warnings", res.warnings),
		res.warnings);
	if (res.notes) {
		fputs(_(", "), stderr);
		fprintf(stderr, P_("%zu note", "%zu notes", res.notes), res.notes);
	}
	fprintf(stderr, P_(" in %zu customer", " in %zu customers",
			   res.ncustomers), res.ncustomers);
	if (rev)
		fprintf(stderr, P_("; new since %s (%zu older finding not shown)",
				   "; new since %s (%zu older findings not shown)",
				   older), rev, older);
	fputc('\n', stderr);
	status = res.errors ? EXIT_PROBLEMS : 0;
out:
	sales_finding_ids_free(ids, res.nfindings);
	free(fp);
	sales_git_snapshot_remove(snap);
	free(prefix);
	sales_check_result_release(&res);
	sales_context_release(&sc);
	free(dir);
	return status;
}
