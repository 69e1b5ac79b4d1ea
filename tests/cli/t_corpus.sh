# Issue 8: the bad-input corpus.  Every line of tests/corpus/bad/MANIFEST is
# a sheet gone wrong, saved into a copy of the example workbook; sales must
# give the documented exit status and message (file:line:cell), change no
# file, finish within 10 s in 1 GB of address space, and draw no sanitizer
# report.  `check` lines run once `sales check` exists.

CORPUS=$ROOT/tests/corpus/bad

# corpus_run ARGS...: runs sales like sales() does, but bounded: 10 s (300 s
# under valgrind) and, when the binary can start under it, `ulimit -v` 1 GB
# (an ASan build reserves terabytes of shadow memory and cannot).
corpus_run() {
	export SALES_TODAY=2024-01-15   # the example workbook's today
	if [ -n "${SALES_VALGRIND:-}" ]; then
		timeout 300 valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite "$SALES_BIN" "$@" >"$out" 2>"$errf"
	elif [ "$corpus_vlimit" = 1 ]; then
		(ulimit -v 1048576 && exec timeout 10 "$SALES_BIN" "$@") >"$out" 2>"$errf"
	else
		timeout 10 "$SALES_BIN" "$@" >"$out" 2>"$errf"
	fi
	rc=$?
}

corpus_setup() {
	corpus_vlimit=0
	if (ulimit -v 1048576 && "$SALES_BIN" help) >/dev/null 2>&1; then
		corpus_vlimit=1
	fi
	corpus_has_check=0
	if "$SALES_BIN" help check >/dev/null 2>&1; then
		corpus_has_check=1
	fi
}

# Every name in DIR (symbolic links, folders, modes too) and every file's hash.
corpus_snapshot() {
	(cd "$1" && find . ! -name .sales.lock -printf '%p %y %m\n' | sort &&
		find . -type f ! -name .sales.lock -perm -u+r -exec sha256sum {} + 2>/dev/null | sort)
}

# corpus_case INPUT SHEET COMMAND EXIT EXPECT (a MANIFEST line).
corpus_case() {
	input=$1 sheet=$2 command=$3 code=$4 expect=$5
	label="$input as $sheet ($command)"
	case $command in check)
		[ "$corpus_has_check" = 1 ] || return 0 ;;
	esac
	wb=$tmp/wb
	chmod -R u+rwX "$wb" 2>/dev/null
	rm -rf "$wb"
	example_workbook "$wb"
	case $input in
	gen:unreadable)
		if [ "$(id -u)" = 0 ]; then
			echo "  note: $label skipped: running as root, chmod 000 does not stop reads"
			return 0
		fi ;;
	esac
	case $input in
	gen:*) sh "$CORPUS/gen.sh" "${input#gen:}" "$wb" "$sheet" || { fail "$label: gen.sh failed"; return 0; } ;;
	*) cp "$CORPUS/$input" "$wb/$sheet" ;;
	esac
	corpus_snapshot "$wb" >"$H/before"
	case $command in
	export|export-same) corpus_run -C "$wb" export "$sheet" ;;
	check) corpus_run -C "$wb" check ;;
	strict-export) corpus_run -C "$wb" --strict-csv export "$sheet" ;;
	*) fail "$label: unknown command in MANIFEST"; return 0 ;;
	esac
	corpus_snapshot "$wb" >"$H/after"

	if [ "$rc" = 124 ]; then
		fail "$label: still running after the time limit"
	elif [ "$rc" = 99 ] && [ -n "${SALES_VALGRIND:-}" ]; then
		fail "$label: valgrind found errors"
	elif [ "$rc" != "$code" ]; then
		fail "$label: exit status $rc, expected $code"
	fi
	if grep -qE 'Sanitizer|runtime error:|^==[0-9]+==' "$errf"; then
		fail "$label: sanitizer or valgrind report"
	fi
	cmp -s "$H/before" "$H/after" || fail "$label: files in the workbook changed"
	case $expect in
	-)
		[ -s "$errf" ] && fail "$label: unexpected message" ;;
	stdout:*)
		case $command in export*)
			[ -s "$errf" ] && fail "$label: unexpected message" ;;
		esac
		grep -qF -- "${expect#stdout:}" "$out" ||
			fail "$label: stdout lacks '${expect#stdout:}'" ;;
	*)
		grep -qF -- "$expect" "$errf" || fail "$label: stderr lacks '$expect'" ;;
	esac
	if [ "$command" = export-same ]; then
		rm -rf "$tmp/ref" && example_workbook "$tmp/ref"
		"$SALES_BIN" -C "$tmp/ref" export "$sheet" >"$H/ref" 2>/dev/null
		cmp -s "$out" "$H/ref" || fail "$label: export differs from the example sheet's"
	fi
	if [ "$case_failed" = 1 ]; then
		sed 's/^/    stderr: /' "$errf" | head -n 4 >&2
		case_failed=0
		corpus_failed=1
	fi
	chmod -R u+rwX "$wb" 2>/dev/null
	rm -rf "$wb"
	return 0
}

# corpus_lines PATTERN: runs the MANIFEST lines whose INPUT matches PATTERN.
corpus_lines() {
	corpus_setup
	corpus_failed=0
	grep -v '^#' "$CORPUS/MANIFEST" | grep -E "$1" >"$H/manifest"
	[ -s "$H/manifest" ] || fail "no MANIFEST lines match '$1'"
	while read -r input sheet command code expect; do
		[ -n "$input" ] || continue
		[ -e "$CORPUS/$input" ] || case $input in gen:*) ;; *)
			fail "$input: listed in MANIFEST but missing"; continue ;; esac
		corpus_case "$input" "$sheet" "$command" "$code" "$expect"
	done <"$H/manifest"
	[ "$corpus_failed" = 0 ] || case_failed=1
}

test_corpus_files() {
	corpus_lines '^[^g]'
}

test_corpus_generated() {
	corpus_lines '^gen:'
}

# Every file in the folder is documented, and there are at least 40.
test_corpus_manifest_complete() {
	n=0
	for f in "$CORPUS"/*.csv; do
		n=$((n + 1))
		grep -q "^$(basename "$f") " "$CORPUS/MANIFEST" ||
			fail "$(basename "$f") is not in MANIFEST"
	done
	[ "$n" -ge 40 ] || fail "only $n files in tests/corpus/bad"
}
