/*
 * git.h - the workbook folder as git has it: at a revision, or in the index.
 *
 * git runs as a child process (posix_spawnp with an argv, never a shell
 * string), as `git -C DIR ...`, stdin from /dev/null; its standard output is
 * returned as bytes and its standard error becomes the error message.
 * Nothing here prints.
 *
 * A snapshot copies the folder's files at a revision (or in the index) into
 * a new temporary folder, byte for byte.  Every reader of the toolkit (the
 * model, the context, check, the sheet reader with its encoding detection)
 * then reads that folder exactly as it reads a workbook on disk: there is no
 * second reader for "a sheet from git".  Only the folder's own files are
 * copied (not subfolders, not dotfiles such as .sales.lock or .gitattributes,
 * not symbolic links).
 *
 * The workbook folder may be any folder of the repository; revisions are
 * resolved as git resolves them from that folder.
 */
#ifndef SALES_GIT_H
#define SALES_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"

/* Passed as rev: the index (the staged files), not a commit. */
#define SALES_GIT_INDEX NULL

/*
 * Runs `git -C dir args...` (args NULL-terminated, without "git").  Returns
 * 0 when git exits 0, with its standard output appended to out (which may be
 * NULL); -1 with err otherwise (SALES_ENOTFOUND when git is not installed,
 * SALES_EUSAGE with git's first error line when git fails).
 */
int sales_git_run(const char *dir, const char *const *args,
		  struct sales_buf *out, struct sales_error *err);

/*
 * The same, for a git command whose exit status means something (git
 * merge-file: the number of conflicts): returns 0 when git ran, with its
 * exit status in *exit_status (err describes a non-zero one); -1 with err
 * when it could not run or was killed.
 */
int sales_git_exec(const char *dir, const char *const *args,
		   struct sales_buf *out, int *exit_status,
		   struct sales_error *err);

/* true when dir lies inside a git work tree. */
bool sales_git_in_repo(const char *dir);

/*
 * Checks that rev names a commit.  Returns 1 when it does, 0 when rev is
 * "HEAD" of a repository without commits yet (an unborn branch: nothing is
 * committed, so every file is new), -1 with err (SALES_EUSAGE) otherwise.
 * A rev starting with '-' is refused (it would be read as an option).
 */
int sales_git_check_rev(const char *dir, const char *rev,
			struct sales_error *err);

/*
 * Copies the files of folder dir at rev (SALES_GIT_INDEX: as staged) into a
 * new temporary folder (under $TMPDIR, else /tmp); *tmpdir is its malloc'd
 * path.  A folder that does not exist at rev gives an empty snapshot, and
 * so does an unborn HEAD.  A file left unmerged in the index is an error.
 * Returns 0, or -1 with err (nothing left behind).
 */
int sales_git_snapshot(const char *dir, const char *rev, char **tmpdir,
		       struct sales_error *err);

/* Removes a snapshot folder and its files, and frees tmpdir. */
void sales_git_snapshot_remove(char *tmpdir);

/* The absolute path of git's hooks folder for dir's repository (honours
 * core.hooksPath and linked work trees), malloc'd in *out.  Returns 0 or -1. */
int sales_git_hooks_dir(const char *dir, char **out, struct sales_error *err);

/* dir relative to the top of its work tree ("" at the top, else "wb/"),
 * malloc'd in *out.  Returns 0 or -1. */
int sales_git_prefix(const char *dir, char **out, struct sales_error *err);

#endif
