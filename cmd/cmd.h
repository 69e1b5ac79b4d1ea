/*
 * cmd.h - what every command shares: the command table entry, the option
 * parser (usage text and options live next to each command, so `sales help
 * <cmd>` and `-h` print the same thing), and message helpers.
 *
 * A command is `int cmd_xxx(int argc, const char **argv, struct sales_ctx *)`
 * whose return value is the exit status: 0 done, 1 a rule or check found
 * problems (nothing changed), 2 bad usage or unreadable input.
 */
#ifndef SALES_CMD_H
#define SALES_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "value.h"

#define EXIT_PROBLEMS 1
#define EXIT_USAGE 2

struct sales_ctx {
	const char *dir_opt;   /* -C DIR, or NULL */
	char *dir;             /* the workbook, for commands that need one */
	sales_date today;
	const char *command;   /* "lead add", for the lock and the audit */
};

enum opt_type {
	OPT_END = 0, OPT_BOOL, OPT_STRING, OPT_INT, OPT_GROUP,
	OPT_DATE,      /* value: sales_date *, parsed like any date cell */
	OPT_FORMAT,    /* value: enum out_format *; flags: the formats allowed */
	OPT_ALIAS,     /* long_name is another spelling of the option help names */
	OPT_LIST,      /* value: struct opt_list *; each use adds one value */
};

/* The values of a repeatable option (--customer A --customer B), in the
 * order given; v points into argv.  free(v) when done. */
struct opt_list {
	const char **v;
	size_t n, alloc;
};

struct opt {
	enum opt_type type;
	char short_name;
	const char *long_name;
	void *value;           /* bool *, const char **, long *, sales_date *, enum out_format * */
	const char *argh;      /* "DATE" */
	const char *help;      /* OPT_ALIAS: the long name it stands for */
	unsigned flags;        /* OPT_FORMAT: FMT_BIT()s of the formats allowed */
};

#define OPT_BOOLEAN(s, l, v, h) { OPT_BOOL, (s), (l), (v), NULL, (h), 0 }
#define OPT_STR(s, l, v, a, h) { OPT_STRING, (s), (l), (v), (a), (h), 0 }
#define OPT_NUM(s, l, v, a, h) { OPT_INT, (s), (l), (v), (a), (h), 0 }
#define OPT_DATE_VALUE(s, l, v, h) { OPT_DATE, (s), (l), (v), "DATE", (h), 0 }
#define OPT_STR_LIST(s, l, v, a, h) { OPT_LIST, (s), (l), (v), (a), (h), 0 }
#define OPT_ALIAS_OF(l, of) { OPT_ALIAS, 0, (l), NULL, NULL, (of), 0 }
#define OPT_TITLE(h) { OPT_GROUP, 0, NULL, NULL, NULL, (h), 0 }
#define OPT_DONE { OPT_END, 0, NULL, NULL, NULL, NULL, 0 }

/*
 * The shared vocabulary: every command spells these options the same way
 * and explains them with the same words (README, "Options every command
 * shares").
 *
 * --as-of DATE: the reading commands' "today"; parsed straight into
 * ctx->today, so `--as-of D` and SALES_TODAY=D give the same answer.
 */
#define OPT_AS_OF(v) OPT_DATE_VALUE(0, "as-of", (v), \
	N_("as of this date (default: $SALES_TODAY or today)"))

/*
 * --format / -f FMT.  The human format is called "table" everywhere ("text"
 * is accepted for it); "markdown" is accepted for md.  *v holds the default
 * before parsing; the help line lists the allowed names from formats.
 */
enum out_format { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_MD, FMT_NDJSON,
		  FMT_GITHUB, FMT_HTML, FMT_GITLAB, FMT_NFORMATS };
#define FMT_BIT(f) (1u << (f))
#define FMTS_TABLE (FMT_BIT(FMT_TABLE) | FMT_BIT(FMT_CSV) | FMT_BIT(FMT_TSV) | \
		    FMT_BIT(FMT_JSON) | FMT_BIT(FMT_MD))
#define OPT_FORMAT_OF(v, formats) { OPT_FORMAT, 'f', "format", (v), "FMT", NULL, (formats) }

/* Prints t (row 0 the header) in fmt: table, md, csv, tsv, or json (an
 * array of objects keyed by the header cells; the cells of right-aligned
 * columns, which must then be machine numbers, as numbers, null when
 * empty). */
struct table;
void table_print_as(FILE *f, const struct table *t, enum out_format fmt);

/* The name --format takes for f ("table", "csv", ...). */
const char *format_name(enum out_format f);

/*
 * Parses argv[1..] against opts; positional arguments are moved to the
 * front of argv and their count returned.  -h/--help prints usage and
 * returns -1 with *exit_code 0; a bad option prints an error (with the
 * nearest option's name when one is close) and usage and returns -1 with
 * *exit_code 2.  "--" ends options.
 */
int parse_options(int argc, const char **argv, const struct opt *opts,
		  const char *const *usage, int *exit_code);
void print_usage(FILE *f, const char *const *usage, const struct opt *opts);
/* "--color" (= auto) or "--color=WHEN", which every command takes (before
 * or after its name): 0, or -1 after an error message. */
int parse_color_option(const char *arg);

/*
 * "Did you mean": feed every candidate name to nearest_try; pick is then the
 * closest one within two edits (a candidate that name begins, from two
 * characters on, counts as one edit), or NULL.
 */
struct nearest {
	const char *name;
	const char *pick;
	int best;
};
void nearest_init(struct nearest *n, const char *name);
void nearest_try(struct nearest *n, const char *candidate);

/* Prints "error: 'x' is not a 'contract' sub-command; did you mean 'sign'?"
 * (what is "contract"); pick may be NULL.  Returns EXIT_USAGE. */
int unknown_subcommand(const char *what, const char *name, const char *pick);

/* Messages on stderr: "error: ...", "warning: ...", "note: ...". */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints err as "error: file:line:cell: message"; returns the exit status
 * that fits its code (2 for unreadable input or usage, 1 otherwise). */
int report_error(const struct sales_error *err);
/* The reader's warning handler (sales_set_read_warning_handler): prints each
 * once.  read_warnings_for_cells(false) keeps the per-cell ones quiet (check
 * reports them as findings); notes about a header are still printed. */
void print_read_warning(const struct sales_error *w, void *ud);
void read_warnings_for_cells(bool on);
int exit_code_for(const struct sales_error *err);

/* Warns about sheets that Excel or WPS has open in dir; writing says the
 * open copy would overwrite this change when saved. */
void warn_open_in_excel(const char *dir, bool writing);
/* warn_open_in_excel also names each cell a spreadsheet changed from what
 * sales wrote (damage.h; one line per cell on stderr); check and fix damage,
 * which report them themselves, turn that off first. */
void damage_warnings_off(void);
/* --wait-unlocked[=SECONDS]: a writing command first waits (default 60 s)
 * until no sheet is open in a spreadsheet; -1 (the default) does not wait. */
void set_wait_unlocked(long seconds);

struct sales_txn;
struct sales_context;
/*
 * Opens a change of the workbook ctx->dir for command (the lock and the
 * audit name it): takes the lock (sales_txn_begin), warns about a lock a
 * dead process left (and its temporary files, which taking the lock
 * removed) and about sheets open in Excel, then loads the context into c
 * (as of ctx->today) unless c is NULL.  Returns 0, or -1 with err.  Always
 * end with change_end(t, c), even after a failure.
 */
int change_begin(struct sales_txn *t, struct sales_context *c,
		 const struct sales_ctx *ctx, const char *command,
		 struct sales_error *err);
void change_end(struct sales_txn *t, struct sales_context *c);

/* Parses a date option ("--date"), printing an error naming the option. */
bool parse_date_opt(const char *opt_name, const char *value, sales_date *out);

/* Language of the messages (locale.c): setup_locale() first thing in main,
 * binding the catalog and following the environment; then
 * apply_configured_ui() with -C's folder, for sales.conf's
 * ui.language and ui.color, before anything is printed. */
void setup_locale(void);
void apply_configured_ui(const char *dir_opt);

/*
 * The terminal (term.c): colour, the progress line, the lock wait.  See
 * term.c's header for the rules.  --color WHEN (before or after the
 * command) is color_set_option, sales.conf's ui.color color_set_configured;
 * NO_COLOR beats both.  color_on(f, role) is the escape that starts role on
 * f and color_off(f) the one that ends it, both "" when f gets no colour.
 */
enum color_when { COLOR_UNSET = -1, COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum color_role { COLOR_ERROR, COLOR_WARNING, COLOR_NOTE, COLOR_HEADING,
		  COLOR_PLACE, COLOR_GOOD };
/* "auto", "always" or "never" into *w: 0, or -1 for anything else. */
int color_when_parse(const char *s, enum color_when *w);
void color_set_option(enum color_when w);
void color_set_configured(enum color_when w);
const char *color_on(FILE *f, enum color_role r);
const char *color_off(FILE *f);
/* The colour of a finding's severity (enum sales_severity). */
enum color_role color_for_severity(int severity);
/* Prints text and a line break, as a heading (bold on a terminal). */
void heading_print(FILE *f, const char *text);
/* The command prints a machine format (--format other than table):
 * stdout gets no colour, and no progress line is drawn while stdout is a
 * terminal. */
void output_is_machine(void);
/* Registers the progress and lock-wait handlers; streams: the command
 * prints while it reads, so no progress line while stdout is a terminal. */
void term_setup(bool streams);
/* Wipes the progress or lock-wait line, if one is drawn (the messages
 * above do it before they print). */
void progress_clear(void);

/* Commands (one file each in cmd/). */
int cmd_init(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_export(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_config(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_lead(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_score(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_status(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_report(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_due(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_pool(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_check(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_fix(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_import(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_help(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_version(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_survey(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_solution(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_contract(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_approve(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_plan(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_acceptance(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_followup(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_exception(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_diff(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_textconv(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_hook(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_merge(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_review(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_sql(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_handover(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_change(int argc, const char **argv, struct sales_ctx *ctx);

/* `sales export --normalized DIR [--append]` (normalized.c). */
int export_normalized(const char *out, bool append, struct sales_ctx *ctx);

/* ---- what falls due, in words (due.c; handover lists them too) ---- */

struct sales_model;
struct sales_due_item;
/* "3 days overdue", "today", "tomorrow", "in 5 days" */
void due_when_text(long days, char *buf, size_t size);
/* What item is about (its contract, its plan, …), into b (reset first). */
void due_detail_text(const struct sales_model *m, const struct sales_due_item *it,
		     struct sales_buf *b);

/* ---- output helpers (output.c) ---- */

/* Writes what b holds (JSON built with json.h, say) to f and empties it. */
void put_buf(FILE *f, struct sales_buf *b);
/* put_buf once b holds 64 KiB: a printer gathers many records per write
 * (and calls put_buf at its end). */
void put_some(FILE *f, struct sales_buf *b);
struct sales_json;
struct sales_finding;
/* Closes every container j has open, ends the document with a line break
 * and writes out to stdout (out stays the caller's to release). */
void json_print_end(struct sales_json *j, struct sales_buf *out);
/* One finding of check.h as a JSON object: check, severity, file, line,
 * column, cell, (customer,) message -- what check and status print. */
void json_finding(struct sales_json *j, const struct sales_finding *k,
		  bool with_customer);
/* Writes one TSV field: tab, newline, CR and backslash escaped as \t \n \r \\. */
void tsv_field(FILE *f, const char *s, size_t len);
/* Writes one CSV field (quoted when needed, formulas escaped). */
void csv_field(FILE *f, const char *s, size_t len);
/* Writes one Markdown table cell's text: '|' escaped, line breaks as blanks. */
void md_field(FILE *f, const char *s, size_t len);
/*
 * One row of a csv, tsv or md table (fmt), a field at a time: sep_field
 * writes the separator (unless first) and the field escaped for fmt;
 * sep_row_end ends the row.  md_rule writes the line under an md header.
 */
void sep_field(FILE *f, enum out_format fmt, const char *s, size_t len,
	       bool first);
void sep_row_end(FILE *f, enum out_format fmt, size_t ncols);
void md_rule(FILE *f, size_t ncols);
/* Writes s padded to width display columns (CJK-aware). */
void pad_cell(FILE *f, const char *s, int width, bool right);
int display_width(const char *s);

#include "table.h"

#endif
