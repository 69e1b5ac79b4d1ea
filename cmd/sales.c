/*
 * sales.c - the entry point: global options, the command table, help, and
 * the final check that stdout was written.
 */
#include "cmd.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sheet.h"
#include "text.h"
#include "workbook.h"

#define NEED_WORKBOOK 1u
#define STREAMS 2u        /* prints while it reads: no progress line on a terminal */

struct command {
	const char *name;
	int (*fn)(int argc, const char **argv, struct sales_ctx *ctx);
	unsigned flags;
	const char *summary;
};

static const struct command commands[] = {
	{ "init", cmd_init, 0, N_("create a workbook from the templates") },
	{ "export", cmd_export, STREAMS, N_("print a sheet or any CSV file as csv, tsv, json or ndjson") },
	{ "config", cmd_config, NEED_WORKBOOK, N_("read or change the workbook's settings (sales.conf)") },
	{ "lead", cmd_lead, NEED_WORKBOOK, N_("add, import, list and change leads (01-leads.csv)") },
	{ "score", cmd_score, NEED_WORKBOOK, N_("score leads A/B/C and explain why; --write stores it") },
	{ "status", cmd_status, NEED_WORKBOOK, N_("one customer's story: stage, events in date order, what is next and overdue") },
	{ "survey", cmd_survey, NEED_WORKBOOK, N_("record a requirement survey (02)") },
	{ "solution", cmd_solution, NEED_WORKBOOK, N_("record a proposal (03) and its review") },
	{ "contract", cmd_contract, NEED_WORKBOOK, N_("record a contract (04), its signing and payment") },
	{ "approve", cmd_approve, NEED_WORKBOOK, N_("approve or reject a contract: 销售经理, 法务, 总经理 in turn") },
	{ "plan", cmd_plan, NEED_WORKBOOK, N_("record a delivery phase (05)") },
	{ "acceptance", cmd_acceptance, NEED_WORKBOOK, N_("record an acceptance (06)") },
	{ "followup", cmd_followup, NEED_WORKBOOK, N_("record an after-sales follow-up (07)") },
	{ "exception", cmd_exception, NEED_WORKBOOK, N_("record an approved stage skip or deadline extension") },
	{ "change", cmd_change, NEED_WORKBOOK, N_("record and list change requests during delivery (需求变更确认单, changes.csv)") },
	{ "report", cmd_report, 0, N_("the quarterly KPI table (sales-report(1)) and the funnel, over one or several workbooks") },
	{ "review", cmd_review, 0, N_("the 复盘 pack: KPIs, funnel, trend, cases, scorecard, calibration (md, html, json)") },
	{ "sql", cmd_sql, 0, N_("a DuckDB, PostgreSQL or ClickHouse script computing the report's KPIs from export --normalized") },
	{ "due", cmd_due, NEED_WORKBOOK, N_("what falls due: follow-ups, payments, stalled leads, visits, deadlines") },
	{ "pool", cmd_pool, NEED_WORKBOOK, N_("the lead pool (公海): leads nobody followed up return to it, reps claim them back") },
	{ "handover", cmd_handover, NEED_WORKBOOK, N_("离职交接: a rep's open customers go to another rep, with the 交接清单 (one audited change)") },
	{ "import", cmd_import, NEED_WORKBOOK, N_("bring a workbook saved as .xlsx back into the CSV sheets (one audited change; --dry-run)") },
	{ "fix", cmd_fix, NEED_WORKBOOK, N_("repair what a spreadsheet left: fix formulas stores live formula cells as text, fix damage puts back what sales wrote (audited)") },
	{ "check", cmd_check, 0, N_("prove every rule of the process holds (the CI gate)") },
	{ "diff", cmd_diff, NEED_WORKBOOK, N_("what changed between two git revisions, row by row by key") },
	{ "textconv", cmd_textconv, STREAMS, N_("a sheet as readable UTF-8 lines, for git's diff driver") },
	{ "merge", cmd_merge, 0, N_("git's merge driver: rows both sides appended to a sheet, merged") },
	{ "hook", cmd_hook, NEED_WORKBOOK, N_("install the git pre-commit gate, the diff and the merge driver") },
	{ "help", cmd_help, 0, N_("show help for sales or a command") },
	{ "version", cmd_version, 0, N_("print the version") },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const main_usage[] = {
	"sales [-C DIR] [--encoding auto|utf-8|gbk] [--strict-csv] [--wait-unlocked[=SECONDS]] [--color[=auto|always|never]] <command> [<args>]",
	NULL,
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_main_help(FILE *f)
{
	print_usage(f, main_usage, NULL);
	fputs(_("\nA standardized B2B sales process on a CSV workbook.\n\n"
		"Commands:\n"), f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "    %-12s %s\n", commands[i].name,
			_(commands[i].summary));
	fputs(_("\nThe workbook is -C DIR, else $SALES_DIR, else the current folder or the\n"
		"nearest parent holding 01-leads.csv.  SALES_TODAY=YYYY-MM-DD fixes today.\n"
		"Exit status: 0 done, 1 problems found or change refused, 2 bad usage or input.\n"
		"See 'sales help <command>' and 'man sales'.\n"), f);
}

int cmd_help(int argc, const char **argv, struct sales_ctx *ctx)
{
	const struct command *c;

	(void)ctx;
	if (argc < 2) {
		print_main_help(stdout);
		return 0;
	}
	c = find_command(argv[1]);
	if (!c) {
		error_msg("no such command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	if (c->fn == cmd_help || c->fn == cmd_version) {
		printf("%ssales %s\n\n%s\n", _("usage: "), c->name, _(c->summary));
		return 0;
	}
	{
		/* every command prints its own usage for --help */
		const char *args[] = { c->name, "--help", NULL };

		return c->fn(2, args, ctx);
	}
}

int cmd_version(int argc, const char **argv, struct sales_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	printf("sales %s\n", SALES_VERSION);
	return 0;
}

static void suggest(const char *name)
{
	struct nearest near;

	nearest_init(&near, name);
	for (size_t i = 0; i < NCOMMANDS; i++)
		nearest_try(&near, commands[i].name);
	error_msg("'%s' is not a sales command; see 'sales help'", name);
	if (near.pick)
		fprintf(stderr, _("\nThe most similar command is\n\t%s\n"), near.pick);
}

/* `sales lead add -h` prints help even outside a workbook. */
static bool wants_help(int argc, const char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

/* A report cut short by a full disk or a closed pipe must not look like
 * success. */
static int finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error_msg("could not write the output (disk full or pipe closed?)");
		return status ? status : EXIT_USAGE;
	}
	return status;
}

int main(int argc, const char **argv)
{
	struct sales_ctx ctx = { 0 };
	struct sales_error err;
	const struct command *c;
	int i = 1, status;
	bool help = false, version = false;

	/* A fixed mmap threshold of 4 MiB: glibc's own moves up to the
	 * size of the largest mmapped block freed (up to 32 MiB), after which
	 * the model's growing arrays are copied within the heap at each
	 * doubling and leave the old copy's pages resident.  Fixed, a block
	 * of 4 MiB or more stays mmapped and grows by mremap, in place.  At a
	 * million customers `report funnel` peaks at 116 MB instead of 118
	 * and `check` at 202 instead of 210; a lower threshold saves a little
	 * more there (256 KiB: 111 and 195) but makes the writers' buffers
	 * fresh pages at every use (`score --write` at 100k: 31 000 page
	 * faults instead of 10 600; 4 MiB: 11 900). */
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
	setup_locale();
	sales_set_read_warning_handler(print_read_warning, NULL);
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			ctx.dir_opt = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "-C", 2) && argv[i][2]) {
			ctx.dir_opt = argv[i] + 2;
			i++;
		} else if (!strncmp(argv[i], "--encoding", 10) &&
			   (argv[i][10] == '=' ||
			    (!argv[i][10] && i + 1 < argc))) {
			const char *name = argv[i][10] ? argv[i] + 11 : argv[i + 1];
			enum sales_encoding enc;

			if (sales_encoding_parse(name, &enc) < 0) {
				error_msg(_("unknown encoding '%s' (expected auto, utf-8, gbk or gb18030)"),
					  name);
				return EXIT_USAGE;
			}
			sales_set_default_encoding(enc, true);
			i += argv[i][10] ? 1 : 2;
		} else if (!strcmp(argv[i], "--wait-unlocked") ||
			   !strncmp(argv[i], "--wait-unlocked=", 16)) {
			char *end = NULL;
			long secs = argv[i][15] ? strtol(argv[i] + 16, &end, 10) : 60;

			if (argv[i][15] && (!*(argv[i] + 16) || *end || secs < 0)) {
				error_msg(_("--wait-unlocked takes a number of seconds, not '%s'"),
					  argv[i] + 16);
				return EXIT_USAGE;
			}
			set_wait_unlocked(secs);
			i++;
		} else if (!strncmp(argv[i], "--color", 7) &&
			   (!argv[i][7] || argv[i][7] == '=')) {
			enum color_when w;

			if (argv[i][7] && color_when_parse(argv[i] + 8, &w) < 0)
				apply_configured_ui(ctx.dir_opt);   /* the error's language */
			if (parse_color_option(argv[i]) < 0)
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(argv[i], "--strict-csv")) {
			sales_set_strict_csv(true);
			i++;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help = true;
			break;
		} else if (!strcmp(argv[i], "--version")) {
			version = true;
			break;
		} else {
			apply_configured_ui(ctx.dir_opt);
			error_msg(_("unknown option '%s'"), argv[i]);
			print_usage(stderr, main_usage, NULL);
			return EXIT_USAGE;
		}
	}
	apply_configured_ui(ctx.dir_opt);
	if (help) {
		print_main_help(stdout);
		return finish_stdout(0);
	}
	if (version)
		return finish_stdout(cmd_version(0, NULL, &ctx));
	if (i >= argc) {
		print_main_help(stderr);
		return EXIT_USAGE;
	}
	c = find_command(argv[i]);
	if (!c) {
		suggest(argv[i]);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	ctx.today = sales_today(&err);
	if (ctx.today == SALES_DATE_NONE)
		return report_error(&err);
	ctx.command = c->name;
	term_setup((c->flags & STREAMS) != 0);
	if ((c->flags & NEED_WORKBOOK) && !wants_help(argc - i, argv + i)) {
		if (sales_workbook_find(ctx.dir_opt, &ctx.dir, &err) < 0)
			return report_error(&err);
	}
	status = c->fn(argc - i, argv + i, &ctx);
	free(ctx.dir);
	return finish_stdout(status);
}
