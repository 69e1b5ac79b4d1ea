/*
 * init.c - `sales init [DIR] [--example]`: a new workbook from the templates
 * (or the example workbook), never overwriting a sheet.  `--missing` writes
 * only the sheets a workbook lacks (the command `sales check` names when a
 * sheet was deleted).
 */
#include "cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embedded.h"
#include "sheet.h"
#include "workbook.h"

static const char *const init_usage[] = {
	"sales init [DIR] [--example]",
	"sales init [DIR] --missing",
	NULL,
};

int cmd_init(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool example = false, missing = false;
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "example", &example, "write the example workbook (the seed's customers) instead of empty sheets"),
		OPT_BOOLEAN(0, "missing", &missing, "write only the empty sheets the workbook lacks, leaving every other file alone"),
		OPT_DONE,
	};
	const char *set, *dir;
	struct sales_error err;
	int n, code, written = 0;

	n = parse_options(argc, argv, opts, init_usage, &code);
	if (n < 0)
		return code;
	if (n > 1) {
		print_usage(stderr, init_usage, opts);
		return EXIT_USAGE;
	}
	dir = n == 1 ? argv[0] : ctx->dir_opt ? ctx->dir_opt : ".";
	if (missing && example) {
		error_msg("--missing writes empty sheets; it does not go with --example");
		return EXIT_USAGE;
	}
	set = example ? "examples" : "templates";
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		error_msg("cannot create folder '%s': %s", dir, strerror(errno));
		return EXIT_USAGE;
	}
	/* refuse before writing anything, so a refusal changes nothing */
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		char *path;
		struct stat st;

		if (strcmp(f->set, set))
			continue;
		path = sales_path_join(dir, f->name);
		if (path && !missing && stat(path, &st) == 0) {
			error_msg("%s already exists in '%s'; not overwriting any sheet",
				  f->name, dir);
			free(path);
			return EXIT_PROBLEMS;
		}
		free(path);
	}
	for (const struct embedded_file *f = embedded_files; f->name; f++) {
		char *path;
		struct stat st;

		if (strcmp(f->set, set))
			continue;
		path = sales_path_join(dir, f->name);
		if (path && missing && lstat(path, &st) == 0) {
			free(path);
			continue;
		}
		if (missing)
			fprintf(stderr, _("writing %s\n"), f->name);
		sales_error_clear(&err);
		if (!path || sales_write_file_new(path, f->data, f->len, &err) < 0) {
			free(path);
			return report_error(&err);
		}
		free(path);
		written++;
	}
	if (missing)
		fprintf(stderr, P_("wrote %d missing sheet in %s\n",
				   "wrote %d missing sheets in %s\n", written),
			written, dir);
	else if (example)
		fprintf(stderr, P_("created the example workbook in %s (%d file)\n",
				   "created the example workbook in %s (%d files)\n",
				   written), dir, written);
	else
		fprintf(stderr, P_("created a new workbook in %s (%d file)\n",
				   "created a new workbook in %s (%d files)\n",
				   written), dir, written);
	if (!missing && !example)
		note_msg("next, fill in %s/team.csv: every 负责人 and approver, with their 角色 and 区域 (leads need their owner there, approvals their role); then add leads with 'sales lead add'",
			 dir);
	return 0;
}
