/*
 * config.c - `sales config`: read and change the workbook's settings
 * (sales.conf) the way `git config` does.
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "settings.h"
#include "sheet.h"
#include "txn.h"
#include "workbook.h"

static const char *const config_usage[] = {
	"sales config <key>",
	"sales config <key> <value>",
	"sales config --unset <key>",
	"sales config --list",
	NULL,
};

static int print_setting(const char *key, const char *value, void *ud)
{
	(void)ud;
	printf("%s=%s\n", key, value);
	return 0;
}

struct listed {
	const struct sales_settings *s;
	struct sales_buf keys;   /* the keys printed, each followed by '\n' */
};

/* --list shows each key once, with its effective (last) value, where the
 * key first appears (a default, or the file). */
static int print_effective(const char *key, const char *value, void *ud)
{
	struct listed *l = ud;
	const char *last = sales_settings_get(l->s, key);
	size_t klen = strlen(key);

	(void)value;
	for (const char *p = l->keys.data; p && *p; p = strchr(p, '\n') + 1)
		if (!strncmp(p, key, klen) && p[klen] == '\n')
			return 0;
	if (sales_buf_addstr(&l->keys, key) < 0 ||
	    sales_buf_addch(&l->keys, '\n') < 0)
		return -1;
	return print_setting(key, last ? last : value, NULL);
}

static int change(struct sales_ctx *ctx, const char *key, const char *value)
{
	char *path = sales_path_join(ctx->dir, SALES_SETTINGS_FILE);
	struct sales_settings *s = NULL;
	struct sales_error err;
	struct sales_txn t;
	char *buf = NULL, *old = NULL;
	size_t len;
	int status = 0;

	sales_error_clear(&err);
	/* a value check would count wrong (abc days are 0 days): refuse it */
	if (value && sales_setting_check(key, value, &err) < 0) {
		free(path);
		return report_error(&err);
	}
	if (change_begin(&t, NULL, ctx, value ? "config" : "config --unset",
			 &err) < 0 ||
	    sales_settings_load(path, &s, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	old = strdup(sales_settings_get(s, key) ? sales_settings_get(s, key) : "");
	if (value) {
		if (sales_settings_set(s, key, value, &err) < 0) {
			status = report_error(&err);
			goto out;
		}
	} else if (sales_settings_unset(s, key) <= 0) {
		error_msg("'%s' is not set in %s", key, SALES_SETTINGS_FILE);
		status = EXIT_PROBLEMS;
		goto out;
	}
	if (!sales_settings_known(key))
		warning_msg("'%s' is not a setting sales knows; stored anyway", key);
	if (sales_settings_serialize(s, &buf, &len, &err) < 0 ||
	    sales_txn_note(&t, SALES_SETTINGS_FILE, key, "值", old,
			   sales_settings_get(s, key) ? sales_settings_get(s, key) : "",
			   &err) < 0 ||
	    sales_write_file_atomic(path, buf, len, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0)
		status = report_error(&err);
out:
	change_end(&t, NULL);
	sales_settings_free(s);
	free(buf);
	free(old);
	free(path);
	return status;
}

int cmd_config(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool list = false, unset = false;
	const struct opt opts[] = {
		OPT_BOOLEAN('l', "list", &list, "every setting with its value (defaults included)"),
		OPT_BOOLEAN(0, "unset", &unset, "remove a setting from sales.conf (back to its default)"),
		OPT_DONE,
	};
	struct sales_settings *s = NULL;
	struct sales_error err;
	char *path;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, config_usage, &code);
	if (n < 0)
		return code;
	if ((list && n != 0) || (unset && n != 1) || (!list && (n < 1 || n > 2))) {
		print_usage(stderr, config_usage, opts);
		return EXIT_USAGE;
	}
	if (unset || n == 2)
		return change(ctx, argv[0], unset ? NULL : argv[1]);
	path = sales_path_join(ctx->dir, SALES_SETTINGS_FILE);
	sales_error_clear(&err);
	if (!path || sales_settings_load(path, &s, &err) < 0) {
		free(path);
		return report_error(&err);
	}
	if (list) {
		struct listed l = { s, { 0 } };

		sales_settings_each(s, NULL, print_effective, &l);
		sales_buf_release(&l.keys);
	} else if (sales_settings_get(s, argv[0])) {
		printf("%s\n", sales_settings_get(s, argv[0]));
	} else {
		status = EXIT_PROBLEMS;   /* like git config: unset → 1, quietly */
	}
	sales_settings_free(s);
	free(path);
	return status;
}
