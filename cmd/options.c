#include "cmd.h"
#include "damage.h"

#include "context.h"
#include "txn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "schema.h"
#include "text.h"
#include "workbook.h"

static void vmsg(enum color_role role, const char *prefix, const char *fmt,
		 va_list ap)
{
	progress_clear();
	fprintf(stderr, "%s%s%s", color_on(stderr, role), prefix,
		color_off(stderr));
	vfprintf(stderr, _(fmt), ap);
	fputc('\n', stderr);
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(COLOR_ERROR, _("error: "), fmt, ap);
	va_end(ap);
}

void warning_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(COLOR_WARNING, _("warning: "), fmt, ap);
	va_end(ap);
}

void note_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(COLOR_NOTE, _("note: "), fmt, ap);
	va_end(ap);
}

int exit_code_for(const struct sales_error *err)
{
	switch (err->code) {
	case SALES_ERULE:
	case SALES_ENAME:
	case SALES_EEXIST:
	case SALES_ELOCKED:
	case SALES_ECHANGED:
		return EXIT_PROBLEMS;
	default:
		return EXIT_USAGE;
	}
}

static bool read_warn_cells = true;

void read_warnings_for_cells(bool on)
{
	read_warn_cells = on;
}

/* The reader's warnings (a cell read as Excel reads it, a title row
 * skipped), once per cell however often a command reads the sheet. */
void print_read_warning(const struct sales_error *w, void *ud)
{
	static struct seen {
		char file[256];
		long line;
		int column;
	} seen[64];
	static size_t nseen;
	char buf[1024];

	(void)ud;
	if (!w->code && !read_warn_cells)
		return;
	for (size_t k = 0; k < nseen; k++)
		if (seen[k].line == w->line && seen[k].column == w->column &&
		    !strcmp(seen[k].file, w->file))
			return;
	if (nseen < sizeof(seen) / sizeof(seen[0])) {
		memcpy(seen[nseen].file, w->file, sizeof(seen[nseen].file));
		seen[nseen].line = w->line;
		seen[nseen].column = w->column;
		nseen++;
	}
	warning_msg("%s", sales_error_format(w, buf, sizeof(buf)));
}

int report_error(const struct sales_error *err)
{
	char buf[1024];

	error_msg("%s", sales_error_format(err, buf, sizeof(buf)));
	return exit_code_for(err);
}

void nearest_init(struct nearest *n, const char *name)
{
	n->name = name;
	n->pick = NULL;
	n->best = 3;
}

void nearest_try(struct nearest *n, const char *cand)
{
	size_t len = strlen(n->name), clen = strlen(cand);
	int d = sales_edit_distance(n->name, len, cand, clen, 2);

	if (len >= 2 && len < clen && !strncmp(cand, n->name, len))
		d = 1;
	if (d < n->best) {
		n->best = d;
		n->pick = cand;
	}
}

int unknown_subcommand(const char *what, const char *name, const char *pick)
{
	if (pick)
		error_msg(_("'%s' is not a '%s' sub-command; did you mean '%s'?"),
			  name, what, pick);
	else
		error_msg(_("'%s' is not a '%s' sub-command"), name, what);
	return EXIT_USAGE;
}

static const char *const format_names[FMT_NFORMATS] = {
	[FMT_TABLE] = "table", [FMT_CSV] = "csv", [FMT_TSV] = "tsv",
	[FMT_JSON] = "json", [FMT_MD] = "md", [FMT_NDJSON] = "ndjson",
	[FMT_GITHUB] = "github", [FMT_HTML] = "html", [FMT_GITLAB] = "gitlab",
};

const char *format_name(enum out_format f)
{
	return (unsigned)f < FMT_NFORMATS ? format_names[f] : "?";
}

/* "table (default), csv, tsv, json or md": the names allowed, in order. */
static void format_list(char *buf, size_t cap, unsigned allowed, int dflt)
{
	size_t n = 0, left = 0;

	buf[0] = '\0';
	for (int f = 0; f < FMT_NFORMATS; f++)
		left += (allowed & FMT_BIT(f)) != 0;
	for (int f = 0; f < FMT_NFORMATS && n < cap; f++) {
		if (!(allowed & FMT_BIT(f)))
			continue;
		left--;
		n += (size_t)snprintf(buf + n, cap - n, "%s%s%s",
				      n == 0 ? "" : left == 0 ? _(" or ") : _(", "),
				      format_names[f],
				      f == dflt ? _(" (default)") : "");
	}
}

static int parse_format(const struct opt *o, const char *arg, const char *shown)
{
	struct nearest near;
	char list[160];

	if (!strcmp(arg, "text"))
		arg = "table";
	else if (!strcmp(arg, "markdown"))
		arg = "md";
	nearest_init(&near, arg);
	for (int f = 0; f < FMT_NFORMATS; f++) {
		if (!(o->flags & FMT_BIT(f)))
			continue;
		if (!strcmp(arg, format_names[f])) {
			*(enum out_format *)o->value = (enum out_format)f;
			return 0;
		}
		nearest_try(&near, format_names[f]);
	}
	format_list(list, sizeof(list), o->flags, -1);
	if (near.pick)
		error_msg(_("option '%s': unknown format '%s'; did you mean '%s'? (expected %s)"),
			  shown, arg, near.pick, list);
	else
		error_msg(_("option '%s': unknown format '%s' (expected %s)"),
			  shown, arg, list);
	return -1;
}

static const struct opt *find_long(const struct opt *opts, const char *name,
				   size_t len)
{
	const struct opt *all = opts;

	for (; opts->type != OPT_END; opts++)
		if (opts->long_name && strlen(opts->long_name) == len &&
		    !strncmp(opts->long_name, name, len))
			return opts->type == OPT_ALIAS ?
			       find_long(all, opts->help, strlen(opts->help)) : opts;
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, char c)
{
	for (; opts->type != OPT_END; opts++)
		if (opts->type != OPT_GROUP && opts->short_name == c)
			return opts;
	return NULL;
}

static void unknown_long(const struct opt *opts, const char *shown)
{
	struct nearest near;

	nearest_init(&near, shown + 2);
	for (; opts->type != OPT_END; opts++)
		if (opts->long_name)
			nearest_try(&near, opts->long_name);
	nearest_try(&near, "help");
	if (near.pick)
		error_msg(_("unknown option '%s'; did you mean '--%s'?"), shown,
			  near.pick);
	else
		error_msg(_("unknown option '%s'"), shown);
}

static int set_value(const struct opt *o, const char *arg, const char *shown)
{
	char *end;
	long v;

	switch (o->type) {
	case OPT_BOOL:
		*(bool *)o->value = true;
		return 0;
	case OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_LIST: {
		struct opt_list *l = o->value;

		if (SALES_ALLOC_GROW(l->v, l->n + 1, l->alloc) < 0) {
			error_msg("%s", _("out of memory"));
			return -1;
		}
		l->v[l->n++] = arg;
		return 0;
	}
	case OPT_INT:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end) {
			error_msg(_("option '%s' expects a whole number, not '%s'"),
				  shown, arg);
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	case OPT_DATE:
		return parse_date_opt(shown, arg, o->value) ? 0 : -1;
	case OPT_FORMAT:
		return parse_format(o, arg, shown);
	default:
		return -1;
	}
}

int parse_color_option(const char *arg)
{
	enum color_when w = COLOR_ALWAYS;   /* a bare --color, as in git */

	if (arg[7] == '=' && color_when_parse(arg + 8, &w) < 0) {
		error_msg(_("option '--color': '%s' is not auto, always or never"),
			  arg + 8);
		return -1;
	}
	color_set_option(w);
	return 0;
}

int parse_options(int argc, const char **argv, const struct opt *opts,
		  const char *const *usage, int *exit_code)
{
	int npos = 0;
	bool only_args = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt *o;
		char shown[128];

		if (only_args || a[0] != '-' || !a[1]) {
			argv[npos++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = true;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_usage(stdout, usage, opts);
			*exit_code = 0;
			return -1;
		}
		if (!strncmp(a, "--color", 7) && (!a[7] || a[7] == '=')) {
			if (parse_color_option(a) < 0)
				goto bad;
			continue;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find_long(opts, a + 2, len);
			snprintf(shown, sizeof(shown), "--%.*s", (int)len, a + 2);
			if (!o) {
				unknown_long(opts, shown);
				goto bad;
			}
			if (o->type == OPT_BOOL) {
				if (eq) {
					error_msg(_("option '%s' takes no value"), shown);
					goto bad;
				}
				set_value(o, NULL, shown);
				continue;
			}
			if (!eq && i + 1 >= argc) {
				error_msg(_("option '%s' needs a value (%s)"), shown,
					  o->argh ? o->argh : "VALUE");
				goto bad;
			}
			if (set_value(o, eq ? eq + 1 : argv[++i], shown) < 0)
				goto bad;
			continue;
		}
		/* short options, possibly bundled: -fv, -Cdir */
		for (const char *p = a + 1; *p; p++) {
			o = find_short(opts, *p);
			snprintf(shown, sizeof(shown), "-%c", *p);
			if (!o) {
				error_msg(_("unknown option '%s'"), shown);
				goto bad;
			}
			if (o->type == OPT_BOOL) {
				set_value(o, NULL, shown);
				continue;
			}
			if (p[1]) {
				if (set_value(o, p + 1, shown) < 0)
					goto bad;
			} else if (i + 1 < argc) {
				if (set_value(o, argv[++i], shown) < 0)
					goto bad;
			} else {
				error_msg(_("option '%s' needs a value (%s)"), shown,
					  o->argh ? o->argh : "VALUE");
				goto bad;
			}
			break;
		}
	}
	argv[npos] = NULL;
	for (const struct opt *o = opts; o->type != OPT_END; o++)
		if (o->type == OPT_FORMAT &&
		    *(const enum out_format *)o->value != FMT_TABLE)
			output_is_machine();
	return npos;
bad:
	print_usage(stderr, usage, opts);
	*exit_code = EXIT_USAGE;
	return -1;
}

void print_usage(FILE *f, const char *const *usage, const struct opt *opts)
{
	const struct opt *all = opts;

	for (size_t i = 0; usage && usage[i]; i++)
		fprintf(f, "%s%s\n", i == 0 ? _("usage: ") : _("   or: "), usage[i]);
	if (!opts || opts->type == OPT_END)
		return;
	fputc('\n', f);
	for (; opts->type != OPT_END; opts++) {
		char left[96], help[192];
		const char *text = opts->help && *opts->help ? _(opts->help) : "";
		const struct opt *o = opts;
		int n;

		if (opts->type == OPT_GROUP) {
			fprintf(f, "\n%s\n", text);
			continue;
		}
		if (opts->type == OPT_ALIAS) {
			o = find_long(all, opts->help, strlen(opts->help));
			snprintf(help, sizeof(help), _("the same as --%s"), opts->help);
			text = help;
		} else if (opts->type == OPT_FORMAT) {
			format_list(help, sizeof(help), opts->flags,
				    (int)*(const enum out_format *)opts->value);
			text = help;
		}
		if (opts->short_name && opts->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s",
				     opts->short_name, opts->long_name);
		else if (opts->short_name)
			n = snprintf(left, sizeof(left), "-%c", opts->short_name);
		else
			n = snprintf(left, sizeof(left), "    --%s",
				     opts->long_name);
		if (o && o->type != OPT_BOOL && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s",
				 o->argh ? o->argh : "VALUE");
		fprintf(f, "    %-28s %s\n", left, text);
	}
}

bool parse_date_opt(const char *opt_name, const char *value, sales_date *out)
{
	if (sales_parse_date(value, strlen(value), out) != SALES_VALUE_OK) {
		error_msg("option '%s': '%s' is not a date (expected YYYY-MM-DD, 2023/10/10, 2023.10.10 or 2023年10月10日)",
			  opt_name, value);
		return false;
	}
	return true;
}

/* The copy as the user types it from here: "wb/01-leads.xlsx" under -C wb,
 * the bare name when the workbook is the current folder. */
static char *copy_path(const char *dir, const char *copy)
{
	char cwd[4096];

	if (!strcmp(dir, ".") ||
	    (getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir)))
		return strdup(copy);
	return sales_path_join(dir, copy);
}

/* A spreadsheet copy newer than its sheet: the command that brings its
 * changes back (issue 13), `sales import` for an .xlsx, the .xlsx to save
 * first for the other kinds. */
static void warn_newer_copy(const char *sheet, const char *copy,
			    const char *kind, void *ud)
{
	const char *dir = ud, *dot = strrchr(copy, '.');
	char *path = copy_path(dir, copy);
	const char *shown = path ? path : copy;

	if (dot && !strcasecmp(dot, ".xlsx"))
		warning_msg(_("%s is newer than %s: the latest changes may be in that %s, not in the sheet; bring them in with 'sales import %s' (it shows each changed cell; --dry-run first), or save it as \"CSV UTF-8\" over %s"),
			    copy, sheet, _(kind), shown, sheet);
	else
		warning_msg(_("%s is newer than %s: the latest changes may be in that %s, not in the sheet; save it as an Excel workbook (.xlsx) and bring it in with 'sales import %.*s.xlsx', or save it as \"CSV UTF-8\" over %s"),
			    copy, sheet, _(kind),
			    (int)(strlen(shown) - (dot ? strlen(dot) : 0)), shown,
			    sheet);
	free(path);
}

/* "… is open in LibreOffice (by 张伟 on pc-12 since 02.12.2026 09:30; lock
 * file .~lock.01-leads.csv#)" */
static const char *open_by_text(const struct sales_open_by *w, char *buf,
				size_t cap)
{
	size_t n = 0;

	n += (size_t)snprintf(buf + n, cap - n, _("open in %s ("), w->program);
	if (w->user[0] && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, _("by %s, "), w->user);
	if (w->host[0] && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, _("on %s, "), w->host);
	if (w->since[0] && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, _("since %s, "), w->since);
	if (n < cap)
		snprintf(buf + n, cap - n, _("lock file %s)"), w->lock);
	return buf;
}

static long wait_unlocked_seconds = -1;

void set_wait_unlocked(long seconds)
{
	wait_unlocked_seconds = seconds;
}

/* Whether any sheet of dir is open in a spreadsheet. */
static bool any_sheet_open(const char *dir)
{
	bool open = false;

	for (int id = 0; id < SALES_NSHEETS && !open; id++) {
		char *path = sales_path_join(dir, sales_sheet_def((enum sales_sheet_id)id)->file);

		open = path && sales_file_open_by(path, NULL);
		free(path);
	}
	return open;
}

static bool damage_warnings = true;

void damage_warnings_off(void)
{
	damage_warnings = false;
}

static void say_damaged_cell(const struct sales_damage_cell *c, void *ud)
{
	bool writing = *(const bool *)ud;

	if (writing)
		warning_msg(_("%s:%ld:%s: %s is '%s', but sales wrote '%s' (audit.csv line %ld): %s; this change keeps the damaged value: put it back with 'sales fix damage'"),
			    c->file, c->line, c->cell, c->column, c->now,
			    c->d->written, c->d->audit_line,
			    sales_damage_text(c->d->kind));
	else
		warning_msg(_("%s:%ld:%s: %s is '%s', but sales wrote '%s' (audit.csv line %ld): %s; read here as it is now: put it back with 'sales fix damage'"),
			    c->file, c->line, c->cell, c->column, c->now,
			    c->d->written, c->d->audit_line,
			    sales_damage_text(c->d->kind));
}

/* Cells a spreadsheet changed from what sales wrote (damage.h), once per
 * workbook and run; the reader's own warnings stay with the command. */
static void warn_damage(const char *dir, bool writing)
{
	static char *done;
	struct sales_error err;

	if (!damage_warnings || (done && !strcmp(done, dir)))
		return;
	free(done);
	done = strdup(dir);
	sales_set_read_warning_handler(NULL, NULL);
	if (sales_damage_scan(dir, say_damaged_cell, &writing, &err) < 0 &&
	    err.code == SALES_ENOMEM)
		warning_msg("%s", _("out of memory while comparing the sheets with audit.csv"));
	sales_set_read_warning_handler(print_read_warning, NULL);
}

void warn_open_in_excel(const char *dir, bool writing)
{
	char *journal = sales_path_join(dir, ".sales.journal");
	struct stat st;

	/* a writer finishes a crashed commit first; a reader cannot */
	if (!writing && journal && stat(journal, &st) == 0)
		warning_msg("a change cut short by a crash is not finished yet (.sales.journal): what is read now may show it half made; the next writing command finishes it");
	free(journal);
	if (writing && wait_unlocked_seconds >= 0 && any_sheet_open(dir)) {
		long waited = 0;

		note_msg(_("a sheet is open in a spreadsheet: waiting up to %ld s for it to be closed (--wait-unlocked)"),
			 wait_unlocked_seconds);
		while (waited < wait_unlocked_seconds && any_sheet_open(dir)) {
			sleep(1);
			waited++;
		}
	}
	for (int id = 0; id < SALES_NSHEETS; id++) {
		const char *file = sales_sheet_def((enum sales_sheet_id)id)->file;
		char *path = sales_path_join(dir, file);
		struct sales_open_by who;
		char by[512];

		if (path && sales_file_open_by(path, &who)) {
			open_by_text(&who, by, sizeof(by));
			if (writing)
				warning_msg(_("%s is %s: close it there without saving, or its copy overwrites this change"),
					    file, by);
			else
				warning_msg(_("%s is %s: unsaved edits there are not seen here"),
					    file, by);
		}
		free(path);
	}
	sales_workbook_newer_copies(dir, warn_newer_copy, (void *)dir);
	warn_damage(dir, writing);
}

int change_begin(struct sales_txn *t, struct sales_context *c,
		 const struct sales_ctx *ctx, const char *command,
		 struct sales_error *err)
{
	if (c)
		memset(c, 0, sizeof(*c));
	if (sales_txn_begin(t, ctx->dir, command, err) < 0)
		return -1;
	if (t->lock.stale_pid > 0)
		warning_msg("reclaimed the workbook lock left by process %ld (%s), which ended without releasing it",
			    t->lock.stale_pid,
			    t->lock.stale_what[0] ? t->lock.stale_what : _("unknown command"));
	if (t->recovered && t->lock.stale_pid > 0)
		warning_msg("finished the change that process %ld (%s) was writing when it ended",
			    t->lock.stale_pid,
			    t->lock.stale_what[0] ? t->lock.stale_what : _("unknown command"));
	else if (t->recovered)
		warning_msg("finished a change that an earlier command could not complete");
	if (t->stale_temps > 0)
		warning_msg("removed %d temporary file%s that a killed command left in the workbook",
			    t->stale_temps, t->stale_temps == 1 ? "" : "s");
	warn_open_in_excel(ctx->dir, true);
	return c ? sales_context_load(c, ctx->dir, ctx->today, err) : 0;
}

void change_end(struct sales_txn *t, struct sales_context *c)
{
	sales_txn_end(t);
	if (c)
		sales_context_release(c);
}
