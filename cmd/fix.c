/*
 * fix.c - `sales fix formulas|damage`: repairs what a spreadsheet left
 * behind, in one audited change.  formulas: cells that would run as
 * formulas (a gnumeric CSV save drops the apostrophe that kept them text)
 * are stored escaped.  damage: cells a spreadsheet changed from what sales
 * wrote (damage.h: 0012 -> 12, 1/2 -> a date …) get the written value back.
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

#include "damage.h"
#include "i18n.h"
#include "txn.h"
#include "workbook.h"

static const char *const fix_usage[] = {
	"sales fix formulas [--dry-run]",
	"sales fix damage [--dry-run]",
	NULL,
};

struct fix_sheet {
	const char *file;
};

static void say_damage(const struct sales_damage *d, const char *now,
		       const char *cell, void *ud)
{
	const struct fix_sheet *f = ud;
	const struct sales_sheet_def *def = sales_sheet_find(f->file);

	printf("%s:%s: %s: '%s' -> '%s': %s\n", f->file, cell,
	       def ? def->columns[d->col].zh : "", now, d->written,
	       sales_damage_text(d->kind));
}

/* sales fix damage: every row-keyed sheet, the written values back. */
static int fix_damage(struct sales_txn *t, const char *dir, size_t *total,
		      struct sales_error *err)
{
	struct sales_written *w;
	int rc = 0;

	if (sales_written_load(dir, &w, err) < 0)
		return -1;
	for (int id = 0; id < SALES_NSHEETS && rc == 0; id++) {
		struct fix_sheet f = { sales_sheet_def((enum sales_sheet_id)id)->file };
		size_t fixed;

		if (!sales_sheet_exists(dir, (enum sales_sheet_id)id))
			continue;
		rc = sales_damage_fix(t, w, (enum sales_sheet_id)id, say_damage,
				      &f, &fixed, err);
		*total += fixed;
	}
	sales_written_free(w);
	return rc;
}

int cmd_fix(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool dry_run = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('n', "dry-run", &dry_run, "say what would change, write nothing"),
		OPT_DONE,
	};
	struct sales_error err;
	struct sales_txn t;
	size_t total = 0;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, fix_usage, &code);
	if (n < 0)
		return code;
	if (n != 1 || (strcmp(argv[0], "formulas") && strcmp(argv[0], "damage"))) {
		error_msg(_("fix takes what to fix: formulas or damage"));
		print_usage(stderr, fix_usage, opts);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (!strcmp(argv[0], "damage"))
		damage_warnings_off();  /* it names each cell it puts back */
	if (change_begin(&t, NULL, ctx, ctx->command, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!strcmp(argv[0], "damage")) {
		if (fix_damage(&t, ctx->dir, &total, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		if (!total) {
			printf("%s\n", _("no cell differs from what sales wrote the way a spreadsheet changes it: nothing to fix"));
			goto out;
		}
	}
	for (int id = 0; id < SALES_NSHEETS && strcmp(argv[0], "damage"); id++) {
		size_t fixed;

		if (!sales_sheet_exists(ctx->dir, (enum sales_sheet_id)id))
			continue;
		if (sales_txn_fix_formulas(&t, (enum sales_sheet_id)id, &fixed,
					   &err) < 0) {
			status = report_error(&err);
			goto out;
		}
		if (fixed)
			printf(P_("%s: %zu formula cell stored as text\n",
				  "%s: %zu formula cells stored as text\n", fixed),
			       sales_sheet_def((enum sales_sheet_id)id)->file,
			       fixed);
		total += fixed;
	}
	if (!total) {
		printf("%s\n", _("no live formula cells: nothing to fix"));
		goto out;
	}
	if (dry_run) {
		printf("%s\n", _("dry run: nothing written"));
		goto out;
	}
	if (sales_txn_commit(&t, &err) < 0)
		status = report_error(&err);
	else if (!strcmp(argv[0], "damage"))
		printf(P_("%zu cell put back as sales wrote it\n",
			  "%zu cells put back as sales wrote them\n", total),
		       total);
out:
	change_end(&t, NULL);
	return status;
}
