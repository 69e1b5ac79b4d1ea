/*
 * hook.c - `sales hook install`: the workbook's git repository gets the
 * pre-commit gate (`sales check --new-from-rev HEAD --staged`), the diff
 * driver (`sales textconv`) and the merge driver (`sales merge`).  Idempotent: running it again changes nothing
 * or brings an older hook of ours up to date; a pre-commit hook that is not
 * ours is left alone unless --force (it is then kept as
 * pre-commit.sales-saved).  A refused install writes nothing.
 */
#include "cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "git.h"
#include "i18n.h"
#include "sheet.h"
#include "workbook.h"

static const char *const hook_usage[] = {
	"sales hook install [--pre-commit] [--diff-driver] [--merge-driver] [--force]",
	NULL,
};

#define HOOK_MARK "# sales pre-commit gate"
#define HOOK_RUN "\"$sales\" -C "
#define ATTR_DIFF "*.csv diff=sales"
#define ATTR_MERGE "*.csv merge=sales"

/* s quoted for sh: 'it'\''s'. */
static void sh_quote(struct sales_buf *b, const char *s)
{
	sales_buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sales_buf_addstr(b, "'\\''");
		else
			sales_buf_addch(b, *s);
	}
	sales_buf_addch(b, '\'');
}

/* The running program, so that the hook finds this sales even when it is
 * not on PATH; "sales" when /proc is missing. */
static void self_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	if (n <= 0)
		snprintf(buf, size, "sales");
	else
		buf[n] = '\0';
}

/* The hook: one line per workbook of the repository, each a gate. */
static int hook_script(struct sales_buf *b, const char *self,
		       char *const *runs, size_t nruns)
{
	sales_buf_addstr(b, "#!/bin/sh\n" HOOK_MARK
			 " (written by 'sales hook install'; run it again to update)\n"
			 "# Refuses a commit whose staged workbook has findings that HEAD has not.\n"
			 "# Bypass once with 'git commit --no-verify'.\n"
			 "sales=");
	sh_quote(b, self);
	sales_buf_addstr(b, "\n[ -x \"$sales\" ] || sales=sales\nstatus=0\n");
	for (size_t i = 0; i < nruns; i++)
		sales_buf_printf(b, "%s\n", runs[i]);
	return sales_buf_addstr(b, "exit $status\n");
}

static int run_line(struct sales_buf *b, const char *prefix)
{
	char rel[PATH_MAX];
	size_t n;

	snprintf(rel, sizeof(rel), "%s", *prefix ? prefix : ".");
	n = strlen(rel);
	if (n > 1 && rel[n - 1] == '/')
		rel[n - 1] = '\0';
	sales_buf_addstr(b, HOOK_RUN);
	sh_quote(b, rel);
	return sales_buf_addstr(b, " check --new-from-rev HEAD --staged || status=$?");
}

/* The gate lines an earlier install of ours wrote. */
static size_t old_runs(const char *text, char **runs, size_t max)
{
	size_t n = 0;

	while (text && *text && n < max) {
		size_t len = strcspn(text, "\n");

		if (!strncmp(text, HOOK_RUN, strlen(HOOK_RUN)))
			runs[n++] = strndup(text, len);
		text += len + (text[len] == '\n');
	}
	return n;
}

struct plan {
	char *hook_path;
	char *hook_old;        /* its bytes, NULL when there is none */
	size_t hook_old_len;
	struct sales_buf hook_new;
	bool hook_foreign;
	char *attr_path;
	char *attr_old;
	size_t attr_old_len;
	bool has_diff, has_merge;   /* .gitattributes has the line */
};

static int plan_hook(struct plan *p, const char *dir, const char *prefix,
		     const char *self, struct sales_error *err)
{
	char *hooks = NULL, *runs[64];
	struct sales_buf mine = { 0 };
	size_t nruns = 0;
	bool have = false;

	if (sales_git_hooks_dir(dir, &hooks, err) < 0)
		return -1;
	p->hook_path = sales_path_join(hooks, "pre-commit");
	free(hooks);
	if (!p->hook_path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (access(p->hook_path, F_OK) == 0 &&
	    sales_read_file(p->hook_path, &p->hook_old, &p->hook_old_len, err) < 0)
		return -1;
	p->hook_foreign = p->hook_old && !strstr(p->hook_old, HOOK_MARK);
	if (p->hook_old && !p->hook_foreign)
		nruns = old_runs(p->hook_old, runs, 63);
	run_line(&mine, prefix);
	for (size_t i = 0; i < nruns; i++)
		have |= !strcmp(runs[i], mine.data);
	if (!have)
		runs[nruns++] = sales_buf_detach(&mine, NULL);
	hook_script(&p->hook_new, self, runs, nruns);
	for (size_t i = 0; i < nruns; i++)
		free(runs[i]);
	sales_buf_release(&mine);
	return 0;
}

static int plan_attributes(struct plan *p, const char *dir,
			   struct sales_error *err)
{
	const char *s;

	if (p->attr_path)
		return 0;
	p->attr_path = sales_path_join(dir, ".gitattributes");
	if (!p->attr_path)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (access(p->attr_path, F_OK) == 0 &&
	    sales_read_file(p->attr_path, &p->attr_old, &p->attr_old_len, err) < 0)
		return -1;
	for (s = p->attr_old; s && *s;) {
		size_t len = strcspn(s, "\r\n");

		if (len == strlen(ATTR_DIFF) && !strncmp(s, ATTR_DIFF, len))
			p->has_diff = true;
		if (len == strlen(ATTR_MERGE) && !strncmp(s, ATTR_MERGE, len))
			p->has_merge = true;
		s += len;
		s += strspn(s, "\r\n");
	}
	return 0;
}

/* Sets git config key to value unless it is that already. */
static int set_config(const char *dir, const char *key, const char *value,
		      struct sales_error *err)
{
	const char *get[] = { "config", "--get", key, NULL };
	const char *set[] = { "config", key, value, NULL };
	struct sales_buf cur = { 0 };
	size_t n = strlen(value);
	bool same;

	same = sales_git_run(dir, get, &cur, NULL) == 0 && cur.data &&
	       !strncmp(cur.data, value, n) && cur.data[n] == '\n' && !cur.data[n + 1];
	sales_buf_release(&cur);
	if (same) {
		note_msg(_("git config %s is set already"), key);
		return 0;
	}
	if (sales_git_run(dir, set, NULL, err) < 0)
		return -1;
	note_msg(_("set git config %s %s"), key, value);
	return 0;
}

/* Adds line to the workbook folder's .gitattributes unless it is there. */
static int add_attribute(struct plan *p, const char *line, bool *has,
			 struct sales_error *err)
{
	struct sales_buf attr = { 0 };
	int rc;

	if (*has) {
		note_msg(_("%s already has '%s'"), p->attr_path, line);
		return 0;
	}
	if (p->attr_old) {
		sales_buf_add(&attr, p->attr_old, p->attr_old_len);
		if (p->attr_old_len && p->attr_old[p->attr_old_len - 1] != '\n')
			sales_buf_addch(&attr, '\n');
	}
	sales_buf_printf(&attr, "%s\n", line);
	rc = attr.data ? sales_write_file_atomic(p->attr_path, attr.data,
						 attr.len, err) : -1;
	if (rc == 0) {
		note_msg(_("added '%s' to %s: commit it, so that every clone reads sheets the same way"),
			 line, p->attr_path);
		free(p->attr_old);
		p->attr_old_len = attr.len;
		p->attr_old = sales_buf_detach(&attr, NULL);
		*has = true;
	}
	sales_buf_release(&attr);
	return rc;
}

static int install_hook(struct plan *p, struct sales_error *err)
{
	char *saved;
	int rc;

	if (p->hook_old && p->hook_old_len == p->hook_new.len &&
	    !memcmp(p->hook_old, p->hook_new.data, p->hook_new.len)) {
		note_msg(_("the pre-commit gate is already installed (%s)"), p->hook_path);
		return 0;
	}
	if (p->hook_foreign) {
		saved = malloc(strlen(p->hook_path) + 16);
		if (!saved)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		sprintf(saved, "%s.sales-saved", p->hook_path);
		rc = rename(p->hook_path, saved);
		if (rc == 0)
			note_msg(_("the pre-commit hook that was there is now %s"), saved);
		free(saved);
		if (rc < 0)
			return sales_error_set(err, SALES_EIO, p->hook_path, 0, 0,
					       "%s", strerror(errno));
	} else {
		char *slash = strrchr(p->hook_path, '/');

		if (slash) {
			*slash = '\0';
			mkdir(p->hook_path, 0777);   /* core.hooksPath may not exist */
			*slash = '/';
		}
	}
	if (sales_write_file_atomic(p->hook_path, p->hook_new.data,
				    p->hook_new.len, err) < 0)
		return -1;
	if (chmod(p->hook_path, 0755) < 0)
		return sales_error_set(err, SALES_EIO, p->hook_path, 0, 0,
				       "%s", strerror(errno));
	note_msg(p->hook_old && !p->hook_foreign ?
		 _("updated the pre-commit gate (%s)") :
		 _("installed the pre-commit gate (%s)"), p->hook_path);
	return 0;
}

static int install_driver(struct plan *p, const char *dir, const char *self,
			  bool merge, struct sales_error *err)
{
	struct sales_buf cmd = { 0 };
	int rc;

	sh_quote(&cmd, self);
	sales_buf_addstr(&cmd, merge ? " merge %O %A %B %P" : " textconv");
	if (!cmd.data)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (merge)
		rc = set_config(dir, "merge.sales.name",
				"sales: rows appended on both sides", err) < 0 ||
		     set_config(dir, "merge.sales.driver", cmd.data, err) < 0 ||
		     add_attribute(p, ATTR_MERGE, &p->has_merge, err) < 0 ? -1 : 0;
	else
		rc = set_config(dir, "diff.sales.textconv", cmd.data, err) < 0 ||
		     add_attribute(p, ATTR_DIFF, &p->has_diff, err) < 0 ? -1 : 0;
	sales_buf_release(&cmd);
	return rc;
}

int cmd_hook(int argc, const char **argv, struct sales_ctx *ctx)
{
	bool pre_commit = false, diff_driver = false, merge_driver = false, force = false;
	const struct opt opts[] = {
		OPT_BOOLEAN(0, "pre-commit", &pre_commit, "the pre-commit gate (no option: all three)"),
		OPT_BOOLEAN(0, "diff-driver", &diff_driver, "the diff driver (git config and .gitattributes)"),
		OPT_BOOLEAN(0, "merge-driver", &merge_driver, "the merge driver for rows appended on both sides"),
		OPT_BOOLEAN(0, "force", &force, "replace a pre-commit hook that is not ours (it is kept aside)"),
		OPT_DONE,
	};
	struct plan p = { 0 };
	struct sales_error err;
	char self[PATH_MAX], *prefix = NULL;
	int n, code, status = 0;

	n = parse_options(argc, argv, opts, hook_usage, &code);
	if (n < 0)
		return code;
	if (n != 1 || strcmp(argv[0], "install")) {
		print_usage(stderr, hook_usage, opts);
		return EXIT_USAGE;
	}
	if (!pre_commit && !diff_driver && !merge_driver)
		pre_commit = diff_driver = merge_driver = true;
	sales_error_clear(&err);
	self_path(self, sizeof(self));
	if (!sales_git_in_repo(ctx->dir)) {
		error_msg(_("'%s' is not in a git repository (run 'git init' first)"), ctx->dir);
		return EXIT_USAGE;
	}
	if (sales_git_prefix(ctx->dir, &prefix, &err) < 0 ||
	    (pre_commit && plan_hook(&p, ctx->dir, prefix, self, &err) < 0) ||
	    ((diff_driver || merge_driver) &&
	     plan_attributes(&p, ctx->dir, &err) < 0)) {
		status = report_error(&err);
		goto out;
	}
	/* refuse before writing anything */
	if (pre_commit && p.hook_foreign && !force) {
		error_msg(_("%s exists and is not ours: add '%s' to it yourself, or run again with --force (it is then kept as pre-commit.sales-saved)"),
			  p.hook_path, "sales check --new-from-rev HEAD --staged");
		status = EXIT_PROBLEMS;
		goto out;
	}
	if ((pre_commit && install_hook(&p, &err) < 0) ||
	    (diff_driver && install_driver(&p, ctx->dir, self, false, &err) < 0) ||
	    (merge_driver && install_driver(&p, ctx->dir, self, true, &err) < 0))
		status = report_error(&err);
out:
	free(prefix);
	free(p.hook_path);
	free(p.hook_old);
	sales_buf_release(&p.hook_new);
	free(p.attr_path);
	free(p.attr_old);
	return status;
}
