#!/bin/sh
# CLI tests: run the built `sales` on real workbooks and compare what it
# prints and writes with what we expect.  Each tests/cli/t_*.sh file defines
# functions named test_*; this runner calls every one in a fresh temporary
# folder and ends with "N passed, N failed".
#
#   sh tests/cli/run.sh ./sales [PATTERN]
#   SALES_VALGRIND=1 sh tests/cli/run.sh ./sales     (every run under valgrind)
set -u
SALES_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
PATTERN=${2:-}
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TESTS_DIR/../.." && pwd)
export LC_ALL=C.UTF-8 SALES_USER=tester TZ=Asia/Shanghai
unset SALES_DIR SALES_TODAY LANGUAGE LC_MESSAGES LANG SALES_LOCALEDIR
passed=0
failed=0
skipped=0
failed_names=

# sales ARGS...: runs the binary (under valgrind when asked), stdout to
# $out, stderr to $errf, exit status in $rc.  Tests run in $tmp; the
# harness keeps its own files in $H, outside it.
sales() {
	if [ -n "${SALES_VALGRIND:-}" ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$SALES_BIN" "$@" >"$out" 2>"$errf"
	else
		"$SALES_BIN" "$@" >"$out" 2>"$errf"
	fi
	rc=$?
	if [ "$rc" = 99 ]; then
		fail "valgrind found errors in: sales $*"
	fi
	return 0
}

fail() {
	echo "  FAIL: $*" >&2
	case_failed=1
}

# expect_rc N: the last run exited with N.
expect_rc() {
	if [ "$rc" != "$1" ]; then
		fail "exit status $rc, expected $1"
		sed 's/^/    stderr: /' "$errf" | head -n 8 >&2
	fi
}

# expect_out FILE: stdout equals FILE.
expect_out() {
	if ! cmp -s "$out" "$1"; then
		fail "stdout differs from $(basename "$1")"
		diff "$1" "$out" | head -n 20 | sed 's/^/    /' >&2
	fi
}

# expect_out_text TEXT: stdout equals TEXT (a trailing newline added).
expect_out_text() {
	printf '%s\n' "$1" >"$H/expected"
	expect_out "$H/expected"
}

# expect_err_has TEXT / expect_out_has TEXT: a fixed string appears.
expect_err_has() {
	grep -qF -- "$1" "$errf" || { fail "stderr lacks '$1'"; sed 's/^/    stderr: /' "$errf" | head -n 8 >&2; }
}
expect_out_has() {
	grep -qF -- "$1" "$out" || { fail "stdout lacks '$1'"; head -n 8 "$out" | sed 's/^/    stdout: /' >&2; }
}
expect_out_lacks() {
	if grep -qF -- "$1" "$out"; then fail "stdout has '$1'"; fi
}
expect_err_lacks() {
	if grep -qF -- "$1" "$errf"; then fail "stderr has '$1'"; fi
}

# snapshot DIR: remember every file's bytes; expect_unchanged DIR: compare.
snapshot() {
	(cd "$1" && find . -type f ! -name .sales.lock | sort | xargs -r sha256sum) >"$H/snapshot"
}
expect_unchanged() {
	(cd "$1" && find . -type f ! -name .sales.lock | sort | xargs -r sha256sum) >"$H/snapshot2"
	if ! cmp -s "$H/snapshot" "$H/snapshot2"; then
		fail "files changed in $1"
		diff "$H/snapshot" "$H/snapshot2" | sed 's/^/    /' >&2
	fi
}

# need_tool CMD [WHY]: the test needs a real program (LibreOffice, psql, ...).
# Missing under CI=true it fails -- CI installs every tool its tests need
# (make test-deps); missing elsewhere the test is counted as skipped, loudly.
# Use as: need_tool soffice "LibreOffice (make test-deps)" || return 0
need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "${CI:-}" = true ]; then
		fail "needs '$1'${2:+ ($2)}, which is not installed: CI must install it (make test-deps)"
	else
		echo "  SKIP: needs '$1'${2:+ ($2)}; run 'make test-deps'" >&2
		case_skipped=1
	fi
	return 1
}

# example_workbook DIR: a copy of examples/.
# bench_workbook DIR LEADS [--findings]: a generated workbook
# (tests/bench/gen.c, built by its Makefile; --findings: legacy sheets,
# about two findings a lead).
bench_workbook() {
	if [ ! -x "$H/gen" ]; then
		make -s -C "$ROOT/tests/bench" GEN="$H/gen" "$H/gen" >/dev/null ||
			{ fail "cannot build tests/bench/gen.c"; return 1; }
	fi
	"$H/gen" ${3:-} "$2" "$1" "$ROOT/templates" || fail "gen failed"
}

example_workbook() {
	mkdir -p "$1" && cp "$ROOT"/examples/*.csv "$1"/
}

for f in "$TESTS_DIR"/t_*.sh; do
	. "$f"
done

names=$(grep -ho '^test_[a-z0-9_]*' "$TESTS_DIR"/t_*.sh)
for t in $names; do
	case $t in *"$PATTERN"*) ;; *) continue ;; esac
	H=$(mktemp -d)
	tmp=$H/work
	mkdir "$tmp"
	out=$H/stdout
	errf=$H/stderr
	case_failed=0
	(cd "$tmp" && $t) 2>"$H/log"
	[ -s "$H/log" ] && grep -q 'FAIL' "$H/log" && case_failed=1
	if [ "$case_failed" = 0 ] && [ -s "$H/log" ] && grep -q '^  SKIP:' "$H/log"; then
		skipped=$((skipped + 1))
		echo "skip - $t" >&2
		grep '^  SKIP:' "$H/log" >&2
	elif [ "$case_failed" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $t"
		echo "not ok - $t" >&2
		cat "$H/log" >&2
	fi
	rm -rf "$H"
done
[ -n "$failed_names" ] && echo "failed:$failed_names" >&2
if [ "$skipped" -gt 0 ]; then
	echo "cli: $passed passed, $failed failed, $skipped skipped"
else
	echo "cli: $passed passed, $failed failed"
fi
[ "$failed" = 0 ]
