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
#include "value.h"

#define EXIT_PROBLEMS 1
#define EXIT_USAGE 2

struct sales_ctx {
	const char *dir_opt;   /* -C DIR, or NULL */
	char *dir;             /* the workbook, for commands that need one */
	sales_date today;
	const char *command;   /* "lead add", for the lock and the audit */
};

enum opt_type { OPT_END = 0, OPT_BOOL, OPT_STRING, OPT_INT, OPT_GROUP };

struct opt {
	enum opt_type type;
	char short_name;
	const char *long_name;
	void *value;           /* bool *, const char **, long * */
	const char *argh;      /* "DATE" */
	const char *help;
};

#define OPT_BOOLEAN(s, l, v, h) { OPT_BOOL, (s), (l), (v), NULL, (h) }
#define OPT_STR(s, l, v, a, h) { OPT_STRING, (s), (l), (v), (a), (h) }
#define OPT_NUM(s, l, v, a, h) { OPT_INT, (s), (l), (v), (a), (h) }
#define OPT_TITLE(h) { OPT_GROUP, 0, NULL, NULL, NULL, (h) }
#define OPT_DONE { OPT_END, 0, NULL, NULL, NULL, NULL }

/*
 * Parses argv[1..] against opts; positional arguments are moved to the
 * front of argv and their count returned.  -h/--help prints usage and
 * returns -1 with *exit_code 0; a bad option prints an error and usage and
 * returns -1 with *exit_code 2.  "--" ends options.
 */
int parse_options(int argc, const char **argv, const struct opt *opts,
		  const char *const *usage, int *exit_code);
void print_usage(FILE *f, const char *const *usage, const struct opt *opts);

/* Messages on stderr: "error: ...", "warning: ...", "note: ...". */
void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints err as "error: file:line:cell: message"; returns the exit status
 * that fits its code (2 for unreadable input or usage, 1 otherwise). */
int report_error(const struct sales_error *err);
int exit_code_for(const struct sales_error *err);

/* Warns about sheets that Excel or WPS has open in dir; writing says the
 * open copy would overwrite this change when saved. */
void warn_open_in_excel(const char *dir, bool writing);

/* Begins a change of the workbook (sales_txn_begin: takes the lock) and
 * warns about a lock a dead process left (and its temporary files, which
 * taking the lock removed) and about sheets open in Excel.
 * Returns 0, or -1 with err; call sales_txn_end either way. */
struct sales_txn;
int begin_change(struct sales_txn *t, const char *dir, const char *command,
		 struct sales_error *err);

struct sales_context;
/*
 * Opens a change: takes the workbook lock for command (warning when a dead
 * process left it) and loads the context.  Returns 0, or -1 with err.
 * Always end with change_end, even after a failure.
 */
int change_begin(struct sales_txn *t, struct sales_context *c,
		 const struct sales_ctx *ctx, const char *command,
		 struct sales_error *err);
void change_end(struct sales_txn *t, struct sales_context *c);

/* Parses a date option ("--date"), printing an error naming the option. */
bool parse_date_opt(const char *opt_name, const char *value, sales_date *out);

/* Commands (one file each in cmd/). */
int cmd_init(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_export(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_config(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_lead(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_score(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_status(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_report(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_due(int argc, const char **argv, struct sales_ctx *ctx);
int cmd_check(int argc, const char **argv, struct sales_ctx *ctx);
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

/* ---- output helpers (output.c) ---- */

/* Writes s as a JSON string (quotes included). */
void json_string(FILE *f, const char *s, size_t len);
/* Writes one TSV field: tab, newline, CR and backslash escaped as \t \n \r \\. */
void tsv_field(FILE *f, const char *s, size_t len);
/* Writes one CSV field (quoted when needed, formulas escaped). */
void csv_field(FILE *f, const char *s, size_t len);
/* Writes s padded to width display columns (CJK-aware). */
void pad_cell(FILE *f, const char *s, int width, bool right);
int display_width(const char *s);

#include "table.h"

#endif
