#include "git.h"
#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "sheet.h"
#include "workbook.h"

extern char **environ;

/* Git's own variables that a hook inherits may be relative to the folder
 * git started the hook in; `git -C dir` would read them relative to dir. */
static const char *const path_vars[] = { "GIT_DIR=", "GIT_INDEX_FILE=",
					 "GIT_WORK_TREE=",
					 "GIT_OBJECT_DIRECTORY=", NULL };

static void free_env(char **env)
{
	if (!env)
		return;
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

static char **child_env(void)
{
	char cwd[PATH_MAX];
	size_t n = 0;
	char **env;

	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	while (environ[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *e = environ[i], *eq = strchr(e, '=');
		bool rel = false;

		for (size_t k = 0; path_vars[k]; k++)
			if (!strncmp(e, path_vars[k], strlen(path_vars[k])))
				rel = eq && eq[1] && eq[1] != '/' && cwd[0];
		if (rel) {
			size_t klen = (size_t)(eq - e) + 1;
			size_t len = klen + strlen(cwd) + 1 + strlen(eq + 1) + 1;

			env[i] = malloc(len);
			if (env[i])
				snprintf(env[i], len, "%.*s%s/%s", (int)klen, e,
					 cwd, eq + 1);
		} else {
			env[i] = strdup(e);
		}
		if (!env[i]) {
			free_env(env);
			return NULL;
		}
	}
	return env;
}

/* Reads both pipes until they close, so that a full stderr pipe never
 * blocks a child still writing stdout. */
static int drain(int outfd, int errfd, struct sales_buf *out,
		 struct sales_buf *errbuf)
{
	struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
	char chunk[65536];
	int open = 2, rc = 0;

	while (open > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				p[i].fd = -1;
				open--;
				continue;
			}
			if (sales_buf_add(i == 0 ? out : errbuf, chunk, (size_t)n) < 0)
				rc = -1;
		}
	}
	return rc;
}

int sales_git_run(const char *dir, const char *const *args,
		  struct sales_buf *out, struct sales_error *err)
{
	int status;

	if (sales_git_exec(dir, args, out, &status, err) < 0)
		return -1;
	return status == 0 ? 0 : -1;
}

int sales_git_exec(const char *dir, const char *const *args,
		   struct sales_buf *out, int *exit_status,
		   struct sales_error *err)
{
	struct sales_buf ignored = { 0 }, errbuf = { 0 };
	posix_spawn_file_actions_t fa;
	const char **argv;
	char **env = NULL;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	size_t n = 0, i;
	pid_t pid;
	int status, rc = -1, e;

	while (args[n])
		n++;
	argv = calloc(n + 4, sizeof(*argv));
	if (!argv)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	argv[0] = "git";
	argv[1] = "-C";
	argv[2] = dir;
	for (i = 0; i < n; i++)
		argv[3 + i] = args[i];
	if (!out)
		out = &ignored;
	*exit_status = -1;
	env = child_env();
	if (!env || pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		sales_error_set(err, SALES_EIO, NULL, 0, 0, "cannot run git: %s",
				strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	e = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (e != 0) {
		sales_error_set(err, e == ENOENT ? SALES_ENOTFOUND : SALES_EIO,
				NULL, 0, 0,
				e == ENOENT ? _("git is not installed (no 'git' in PATH)")
					    : _("cannot run git: %s"),
				strerror(e));
		goto out;
	}
	e = drain(outp[0], errp[0], out, &errbuf);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	*exit_status = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (e < 0) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		*exit_status = -1;
	} else if (*exit_status != 0) {
		const char *msg = errbuf.data ? errbuf.data : "";
		size_t len;

		if (!strncmp(msg, "fatal: ", 7))
			msg += 7;
		else if (!strncmp(msg, "error: ", 7))
			msg += 7;
		len = strcspn(msg, "\n");
		sales_error_set(err, SALES_EUSAGE, NULL, 0, 0, "git %s: %.*s",
				n ? args[0] : "", (int)len,
				len ? msg : _("failed"));
		rc = *exit_status > 0 ? 0 : -1;   /* git ran, and said no */
	} else {
		rc = 0;
	}
out:
	for (i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	free_env(env);
	free(argv);
	sales_buf_release(&errbuf);
	sales_buf_release(&ignored);
	return rc;
}

bool sales_git_in_repo(const char *dir)
{
	const char *args[] = { "rev-parse", "--is-inside-work-tree", NULL };
	struct sales_buf out = { 0 };
	bool yes;

	yes = sales_git_run(dir, args, &out, NULL) == 0 && out.data &&
	      !strncmp(out.data, "true", 4);
	sales_buf_release(&out);
	return yes;
}

int sales_git_check_rev(const char *dir, const char *rev,
			struct sales_error *err)
{
	struct sales_buf spec = { 0 };
	int rc;

	if (!rev || !*rev || rev[0] == '-')
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       _("bad revision '%s'"), rev ? rev : "");
	if (sales_buf_printf(&spec, "%s^{commit}", rev) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	{
		const char *args[] = { "rev-parse", "--verify", "--quiet",
				       spec.data, NULL };

		rc = sales_git_run(dir, args, NULL, NULL);
	}
	sales_buf_release(&spec);
	if (rc == 0)
		return 1;
	if (!sales_git_in_repo(dir))
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       _("'%s' is not in a git repository"), dir);
	if (!strcmp(rev, "HEAD")) {
		/* HEAD that names no commit: a repository before its first
		 * commit, where everything staged is new */
		const char *args[] = { "rev-parse", "--verify", "--quiet",
				       "HEAD", NULL };

		if (sales_git_run(dir, args, NULL, NULL) < 0)
			return 0;
	}
	return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
			       _("unknown revision '%s'"), rev);
}

struct entry {
	char *name;
	char *oid;
};

/* A file of the folder itself whose bytes a snapshot copies. */
static bool wanted(const char *mode, const char *name)
{
	return (!strcmp(mode, "100644") || !strcmp(mode, "100755")) &&
	       name[0] && name[0] != '.' && !strchr(name, '/') &&
	       strncmp(name, "~$", 2) != 0;
}

static int add_entry(struct entry **e, size_t *n, size_t *cap,
		     const char *name, const char *oid)
{
	if (SALES_ALLOC_GROW(*e, *n + 1, *cap) < 0)
		return -1;
	(*e)[*n].name = strdup(name);
	(*e)[*n].oid = strdup(oid);
	if (!(*e)[*n].name || !(*e)[*n].oid) {
		free((*e)[*n].name);
		free((*e)[*n].oid);
		return -1;
	}
	(*n)++;
	return 0;
}

/*
 * ls-tree -z: "MODE TYPE OID\tNAME\0"; ls-files -s -z: "MODE OID STAGE\tNAME\0".
 * Both name files relative to dir (ls-tree because the tree is "REV:./").
 */
static int parse_listing(struct sales_buf *b, bool index, struct entry **e,
			 size_t *n, struct sales_error *err)
{
	size_t cap = 0, pos = 0;

	while (b->data && pos < b->len) {
		char *rec = b->data + pos, *tab = strchr(rec, '\t');
		char mode[16] = "", f2[80] = "", f3[80] = "";

		pos += strlen(rec) + 1;
		if (!tab)
			continue;
		*tab = '\0';
		if (sscanf(rec, "%15s %79s %79s", mode, f2, f3) != 3)
			continue;
		if (!wanted(mode, tab + 1) || (!index && strcmp(f2, "blob") != 0))
			continue;
		if (index && strcmp(f3, "0") != 0)
			return sales_error_set(err, SALES_EUSAGE, tab + 1, 0, 0,
					       _("the file is unmerged in the index: resolve the conflict first"));
		if (add_entry(e, n, &cap, tab + 1, index ? f2 : f3) < 0)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	}
	return 0;
}

static int make_tmpdir(char **out, struct sales_error *err)
{
	const char *base = getenv("TMPDIR");
	struct sales_buf b = { 0 };

	if (!base || !*base)
		base = "/tmp";
	if (sales_buf_printf(&b, "%s/sales-git.XXXXXX", base) < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (!mkdtemp(b.data)) {
		sales_error_set(err, SALES_EIO, b.data, 0, 0,
				_("cannot create a temporary folder: %s"),
				strerror(errno));
		sales_buf_release(&b);
		return -1;
	}
	*out = sales_buf_detach(&b, NULL);
	return 0;
}

int sales_git_snapshot(const char *dir, const char *rev, char **tmpdir,
		       struct sales_error *err)
{
	struct sales_buf list = { 0 }, spec = { 0 }, blob = { 0 };
	struct entry *e = NULL;
	size_t n = 0;
	char *tmp = NULL;
	int rc = -1, have = 1;

	*tmpdir = NULL;
	if (rev != SALES_GIT_INDEX) {
		have = sales_git_check_rev(dir, rev, err);
		if (have < 0)
			return -1;
	}
	if (have) {
		if (rev == SALES_GIT_INDEX) {
			const char *args[] = { "ls-files", "-s", "-z", "--", ".", NULL };

			if (sales_git_run(dir, args, &list, err) < 0)
				goto out;
		} else {
			const char *args[] = { "ls-tree", "-z", "--full-tree", spec.data, NULL };

			if (sales_buf_printf(&spec, "%s:./", rev) < 0) {
				sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
				goto out;
			}
			args[3] = spec.data;
			/* fails when the folder does not exist at rev: empty */
			if (sales_git_run(dir, args, &list, NULL) < 0)
				sales_buf_reset(&list);
		}
		if (parse_listing(&list, rev == SALES_GIT_INDEX, &e, &n, err) < 0)
			goto out;
	}
	if (make_tmpdir(&tmp, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *args[] = { "cat-file", "blob", e[i].oid, NULL };
		char *path;
		int w;

		sales_buf_reset(&blob);
		if (sales_git_run(dir, args, &blob, err) < 0)
			goto out;
		path = sales_path_join(tmp, e[i].name);
		if (!path) {
			sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
			goto out;
		}
		w = sales_write_file_new(path, blob.data ? blob.data : "",
					 blob.len, err);
		free(path);
		if (w < 0)
			goto out;
	}
	*tmpdir = tmp;
	tmp = NULL;
	rc = 0;
out:
	if (tmp)
		sales_git_snapshot_remove(tmp);
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		free(e[i].oid);
	}
	free(e);
	sales_buf_release(&list);
	sales_buf_release(&spec);
	sales_buf_release(&blob);
	return rc;
}

void sales_git_snapshot_remove(char *tmpdir)
{
	DIR *d;
	struct dirent *de;

	if (!tmpdir)
		return;
	d = opendir(tmpdir);
	if (d) {
		while ((de = readdir(d))) {
			char *path;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			path = sales_path_join(tmpdir, de->d_name);
			if (path)
				unlink(path);
			free(path);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	free(tmpdir);
}

static int one_line(const char *dir, const char *const *args, char **out,
		    struct sales_error *err)
{
	struct sales_buf b = { 0 };

	if (sales_git_run(dir, args, &b, err) < 0) {
		sales_buf_release(&b);
		return -1;
	}
	if (!b.data && sales_buf_addstr(&b, "") < 0)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	b.data[strcspn(b.data, "\n")] = '\0';
	*out = sales_buf_detach(&b, NULL);
	return 0;
}

int sales_git_hooks_dir(const char *dir, char **out, struct sales_error *err)
{
	const char *args[] = { "rev-parse", "--path-format=absolute",
			       "--git-path", "hooks", NULL };

	return one_line(dir, args, out, err);
}

int sales_git_prefix(const char *dir, char **out, struct sales_error *err)
{
	const char *args[] = { "rev-parse", "--show-prefix", NULL };

	return one_line(dir, args, out, err);
}
