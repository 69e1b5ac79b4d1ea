# What only a person at a terminal sees (cmd/term.c): colour, the progress
# line of a long read, the lock wait.  A real pseudo-terminal is made by
# tests/cli/onpty.py (Python's pty module): "on a terminal" is never faked
# with an environment variable.

ESC=$(printf '\033')

# on_tty [--stdout FILE] ARGS...: runs sales with stdin, stderr (and stdout
# unless --stdout) on a new terminal; the bytes it wrote there go to
# $tty_out, what a person sees at the end to $tty_screen; status in $rc.
on_tty() {
	tty_out=$H/tty.raw
	tty_screen=$H/tty.screen
	if [ "$1" = --stdout ]; then
		_so="--stdout $2"
		shift 2
	else
		_so=
	fi
	# shellcheck disable=SC2086
	python3 "$ROOT/tests/cli/onpty.py" $_so --cols "${TTY_COLS:-160}" --screen "$tty_screen" "$tty_out" "$SALES_BIN" "$@"
	rc=$?
}

has_esc() { grep -q "$ESC\[" "$1"; }

# The severity of a finding, the error: prefix and the headings are coloured
# on a terminal; the same command into a file or a pipe has no escape.
test_color_only_on_a_terminal() {
	need_tool python3 "python3 (make test-deps)" || return 0
	example_workbook wb
	SALES_TODAY=2024-12-20 on_tty -C wb check
	expect_rc 1
	grep -qF "${ESC}[1;31merror${ESC}[m[aftersales]" "$tty_out" ||
		fail "the severity is not red on a terminal: $(head -c 300 "$tty_out" | od -c | head -n 5)"
	grep -qF "${ESC}[1m07-followups.csv:2:B2:${ESC}[m" "$tty_out" || fail "the place is not bold"
	SALES_TODAY=2024-12-20 sales -C wb check
	has_esc "$out" && fail "colour in a file"
	has_esc "$errf" && fail "colour on stderr into a file"
	SALES_TODAY=2024-12-20 "$SALES_BIN" -C wb check 2>&1 | cat >piped
	has_esc piped && fail "colour into a pipe"
	grep -qF '07-followups.csv:2:B2: error[aftersales]: ' piped || fail "finding: $(cat piped)"
	# what a person sees is the plain text, word for word
	grep '^07-followups' "$tty_screen" >seen
	grep '^07-followups' piped | cmp -s - seen || fail "the screen shows '$(cat seen)'"
	# headings: the status sections, the report's title, a table's header
	on_tty -C wb status 科技有限公司
	grep -qF "${ESC}[1mStory${ESC}[m" "$tty_out" || fail "status: Story is no heading"
	grep -qF "${ESC}[1mNext step${ESC}[m" "$tty_out" || fail "status: Next step is no heading"
	on_tty -C wb report --quarter 2023Q4
	grep -qF "${ESC}[1m2023Q4 as of" "$tty_out" || fail "report: the title is not bold"
	grep -q "${ESC}\[1m指标名称" "$tty_out" || fail "report: the table's header is not bold"
	# a message's prefix, on a terminal stderr
	on_tty -C wb lead list --grade D
	expect_rc 2
	grep -qF "${ESC}[1;31merror: ${ESC}[m" "$tty_out" || fail "error: is not red: $(head -c 120 "$tty_out")"
}

# NO_COLOR (any value, even empty) turns colour off, on a terminal, against
# --color=always and ui.color=always too.
test_color_no_color() {
	need_tool python3 "python3 (make test-deps)" || return 0
	example_workbook wb
	printf '[ui]\n\tcolor = always\n' >wb/sales.conf
	for v in 1 '' no; do
		NO_COLOR=$v SALES_TODAY=2024-12-20 on_tty -C wb check
		expect_rc 1
		has_esc "$tty_out" && fail "NO_COLOR='$v': colour on a terminal"
		NO_COLOR=$v SALES_TODAY=2024-12-20 on_tty --color=always -C wb check --color=always
		has_esc "$tty_out" && fail "NO_COLOR='$v': colour with --color=always"
		NO_COLOR=$v on_tty -C wb lead list --grade D
		has_esc "$tty_out" && fail "NO_COLOR='$v': colour in an error"
	done
}

# --color=auto|always|never (before or after the command) and ui.color.
test_color_option_and_setting() {
	need_tool python3 "python3 (make test-deps)" || return 0
	example_workbook wb
	SALES_TODAY=2024-12-20 sales -C wb check --color=always
	expect_rc 1
	grep -qF "${ESC}[1;31merror${ESC}[m" "$out" || fail "--color=always into a file: no colour"
	SALES_TODAY=2024-12-20 sales --color=always -C wb check
	grep -qF "${ESC}[1;31merror${ESC}[m" "$out" || fail "sales --color=always check: no colour"
	SALES_TODAY=2024-12-20 sales --color -C wb check
	has_esc "$out" || fail "a bare --color means always"
	SALES_TODAY=2024-12-20 on_tty -C wb check --color=never
	has_esc "$tty_out" && fail "--color=never on a terminal: colour"
	SALES_TODAY=2024-12-20 on_tty --color=never -C wb check
	has_esc "$tty_out" && fail "sales --color=never: colour"
	# the workbook's setting, which the command line beats
	sales -C wb config ui.color never
	expect_rc 0
	SALES_TODAY=2024-12-20 on_tty -C wb check
	has_esc "$tty_out" && fail "ui.color=never on a terminal: colour"
	SALES_TODAY=2024-12-20 on_tty -C wb check --color=auto
	has_esc "$tty_out" || fail "--color=auto on a terminal beats ui.color=never"
	sales -C wb config ui.color always
	SALES_TODAY=2024-12-20 sales -C wb check
	has_esc "$out" || fail "ui.color=always into a file: no colour"
	SALES_TODAY=2024-12-20 sales -C wb check --color=auto
	has_esc "$out" && fail "--color=auto into a file beats ui.color=always"
	snapshot wb
	sales -C wb config ui.color sometimes
	expect_rc 2
	expect_err_has "ui.color: 'sometimes' is not auto, always or never"
	expect_unchanged wb
	sales -C wb check --color=blue
	expect_rc 2
	expect_err_has "option '--color': 'blue' is not auto, always or never"
}

# Machine formats are never coloured: with --color=always (and on a
# terminal) they are byte for byte what they are without.
test_color_never_in_machine_output() {
	need_tool python3 "python3 (make test-deps)" || return 0
	example_workbook wb
	while read -r args; do
		# shellcheck disable=SC2086
		SALES_TODAY=2024-12-20 sales -C wb $args
		cp "$out" plain
		# shellcheck disable=SC2086
		SALES_TODAY=2024-12-20 sales --color=always -C wb $args --color=always
		cmp -s plain "$out" || fail "sales $args: --color=always changed the output"
		# shellcheck disable=SC2086
		SALES_TODAY=2024-12-20 on_tty --stdout tty.stdout -C wb $args
		cmp -s plain tty.stdout || fail "sales $args: not the same on a terminal"
	done <<'EOS'
check --format json
check --format github
check --format gitlab
report --quarter 2023Q4 --format json
report --quarter 2023Q4 --format csv
report --quarter 2023Q4 --format md
due --format tsv
lead list --format csv
status 科技有限公司 --format json
export leads --format json
export 01
EOS
	sales -C wb check --format json --color=always
	has_esc "$out" && fail "colour in check's JSON"
	[ -s plain ] || fail "no output compared"
}

# The progress line: on a terminal's stderr only, drawn in place and wiped
# at the end, in the user's language; never in a file, a pipe, a machine
# format, or while export writes to the same terminal.
test_progress_only_on_a_terminal() {
	need_tool python3 "python3 (make test-deps)" || return 0
	zh_locale || return 0
	example_workbook wb
	SALES_TODAY=2024-12-20 sales -C wb due
	cp "$out" want
	SALES_PROGRESS_DELAY_MS=0 SALES_TODAY=2024-12-20 on_tty --stdout got -C wb due
	expect_rc 0
	cmp -s want got || fail "stdout differs when stderr is a terminal"
	grep -qF "${ESC}" "$tty_out" && fail "escape codes in the progress line"
	tr '\r' '\n' <"$tty_out" | grep -qx 'reading 01-leads.csv: 100% ([0-9]* KB of [0-9]* KB)' ||
		fail "no progress line for 01-leads.csv: $(tr '\r' '\n' <"$tty_out" | head -n 3)"
	grep -q 'reading' "$tty_screen" && fail "the progress line is not wiped: $(cat "$tty_screen")"
	[ -s "$tty_screen" ] && [ "$(tr -d '\n' <"$tty_screen")" != "" ] &&
		fail "the terminal shows '$(cat "$tty_screen")' at the end"
	# stderr into a file: nothing
	SALES_PROGRESS_DELAY_MS=0 SALES_TODAY=2024-12-20 sales -C wb due
	grep -q 'reading' "$errf" && fail "progress into a file"
	[ -s "$errf" ] && fail "stderr not empty: $(cat "$errf")"
	# a machine format onto the terminal: nothing; into a file it stays
	# apart from the line on stderr
	SALES_PROGRESS_DELAY_MS=0 SALES_TODAY=2024-12-20 on_tty -C wb due --format json
	grep -q 'reading' "$tty_out" && fail "progress with --format json"
	SALES_PROGRESS_DELAY_MS=0 SALES_TODAY=2024-12-20 on_tty -C wb check --format github
	grep -q 'reading' "$tty_out" && fail "progress with --format github"
	SALES_TODAY=2024-12-20 sales -C wb check --format json
	cp "$out" want.json
	SALES_PROGRESS_DELAY_MS=0 SALES_TODAY=2024-12-20 on_tty --stdout got.json -C wb check --format json
	grep -q 'reading 01-leads.csv' "$tty_out" || fail "no progress beside JSON into a file"
	cmp -s want.json got.json || fail "the JSON in the file changed"
	# a read shorter than a second shows nothing (unless this machine was
	# so busy that it took longer)
	t0=$(date +%s%N)
	SALES_TODAY=2024-12-20 on_tty --stdout got -C wb due
	t1=$(date +%s%N)
	if [ $(((t1 - t0) / 1000000)) -lt 900 ]; then
		grep -q 'reading' "$tty_out" && fail "progress for a read under a second"
	fi
	# export prints as it reads: no progress onto the terminal it writes to,
	# but there is when its output goes to a file
	SALES_PROGRESS_DELAY_MS=0 on_tty -C wb export 01
	grep -q 'reading' "$tty_out" && fail "progress inside export's output on the terminal"
	sales -C wb export 01
	SALES_PROGRESS_DELAY_MS=0 on_tty --stdout got -C wb export 01
	grep -q 'reading 01-leads.csv' "$tty_out" || fail "no progress for export into a file"
	cmp -s got "$out" || fail "export 01 differs with progress"
	# Chinese
	SALES_PROGRESS_DELAY_MS=0 SALES_TODAY=2024-12-20 LC_ALL=zh_CN.UTF-8 LOCPATH=${ZH_LOCPATH:-} \
		on_tty --stdout got -C wb due
	tr '\r' '\n' <"$tty_out" | grep -q '^正在读取 01-leads.csv：100%（[0-9]* KB / [0-9]* KB）$' ||
		fail "no Chinese progress line: $(tr '\r' '\n' <"$tty_out" | grep . | head -n 2)"
	grep -q '正在读取' "$tty_screen" && fail "the Chinese progress line is not wiped"
}

# A file of 32 MB or more shows its progress at once, counted in MB.
test_progress_large_file() {
	need_tool python3 "python3 (make test-deps)" || return 0
	awk 'BEGIN { print "a,b,c"; s = sprintf("%0100d", 0);
		for (i = 0; i < 330000; i++) print i "," s "," i }' >big.csv
	[ "$(wc -c <big.csv)" -ge 33554432 ] || fail "big.csv is only $(wc -c <big.csv) bytes"
	on_tty --stdout got export big.csv
	expect_rc 0
	tr '\r' '\n' <"$tty_out" | grep -q '^reading big.csv: [0-9]*% ([0-9.]* MB of 3[3-9]\.[0-9] MB)$' ||
		fail "no progress for a 33 MB file: $(tr '\r' '\n' <"$tty_out" | grep . | head -n 2)"
	grep -q 'reading' "$tty_screen" && fail "the progress line is not wiped"
	cmp -s got big.csv || fail "export big.csv is not the file"
	# a small file, read in well under a second: no line
	head -n 1000 big.csv >small.csv
	t0=$(date +%s%N)
	on_tty --stdout got export small.csv
	t1=$(date +%s%N)
	if [ $(((t1 - t0) / 1000000)) -lt 900 ]; then
		grep -q 'reading' "$tty_out" && fail "progress for a small file"
	fi
}

# hold_lock DIR SECONDS: another process holds DIR's workbook lock (flock,
# as sales takes it) for SECONDS, its lock file saying who it is as sales
# writes it; $holder is its pid.  Waits until it holds it.
hold_lock() {
	rm -f "$H/held"
	python3 - "$1" "$2" "$H/held" <<'EOF' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1] + "/.sales.lock", os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
os.write(fd, ("%d sales lead set\t李娜\t2024-01-15 09:30:00\n" % os.getpid()).encode())
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
os.ftruncate(fd, 0)
EOF
	holder=$!
	_i=0
	while [ ! -e "$H/held" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}

# A command that waits for the lock says so, for whom, and how long.
test_lock_wait_says_for_whom() {
	need_tool python3 "python3 (make test-deps)" || return 0
	zh_locale || return 0
	example_workbook wb
	hold_lock wb 3
	SALES_TODAY=2024-01-15 sales -C wb lead set 科技有限公司 --phone 13800000000
	expect_rc 0
	expect_err_has "note: the workbook is locked by process $holder (sales lead set, run by 李娜 since 2024-01-15 09:30:00): waiting up to 10 s for it"
	grep -q '^note: got the workbook lock after [1-3]\.[0-9] s$' "$errf" || fail "how long it waited: $(cat "$errf")"
	wait
	grep -q '13800000000' wb/01-leads.csv || fail "the change was not made after the wait"
	# on a terminal: one line, counting, wiped when the lock is had
	hold_lock wb 3
	SALES_TODAY=2024-01-15 on_tty -C wb lead set 科技有限公司 --phone 13800000001
	expect_rc 0
	tr '\r' '\n' <"$tty_out" | grep -qx "waiting for the workbook lock: process $holder (sales lead set, run by 李娜 since 2024-01-15 09:30:00) holds it ([12] s of at most 10 s)" ||
		fail "no wait line on the terminal: $(tr '\r' '\n' <"$tty_out" | grep . | head -n 3)"
	grep -q 'waiting for the workbook lock' "$tty_screen" && fail "the wait line is not wiped"
	grep -q 'note: got the workbook lock after [1-3]\.[0-9] s' "$tty_screen" || fail "screen: $(cat "$tty_screen")"
	wait
	# a narrow terminal: the line is cut to its width, never wrapped
	hold_lock wb 2.5
	TTY_COLS=40 SALES_TODAY=2024-01-15 on_tty -C wb lead set 科技有限公司 --phone 13800000001
	tr '\r' '\n' <"$tty_out" | grep -qx "waiting for the workbook lock: process *" ||
		fail "not cut to 39 columns: $(tr '\r' '\n' <"$tty_out" | grep . | head -n 2)"
	wait
	# in Chinese
	hold_lock wb 3
	SALES_TODAY=2024-01-15 sales_in zh_CN.UTF-8 -C wb lead set 科技有限公司 --phone 13800000002
	expect_rc 0
	expect_err_has "提示：工作簿被进程 $holder（sales lead set，运行者 李娜，始于 2024-01-15 09:30:00）锁定：最多等待 10 秒"
	grep -q '^提示：等待 [1-3]\.[0-9] 秒后取得了工作簿锁$' "$errf" || fail "how long, in Chinese: $(cat "$errf")"
	wait
	# given up: the refusal names the holder; nothing changed
	hold_lock wb 3
	snapshot wb
	SALES_LOCK_TIMEOUT=1 SALES_TODAY=2024-01-15 sales -C wb lead set 科技有限公司 --phone 13800000003
	expect_rc 1
	expect_err_has "error: the workbook is busy: process $holder (sales lead set, run by 李娜 since 2024-01-15 09:30:00) holds wb/.sales.lock; try again when it has finished"
	expect_unchanged wb
	wait
}

# The lock file sales writes says who holds it: pid, command, user, since.
test_lock_file_names_its_holder() {
	example_workbook wb
	# a writer killed while it holds the lock leaves what it wrote there
	SALES_USER=王芳 SALES_TODAY=2024-01-15 SALES_TEST_CRASH=prepared \
		"$SALES_BIN" -C wb lead set 科技有限公司 --phone 13800000004 >/dev/null 2>&1
	line=$(cat wb/.sales.lock)
	pid=${line%% *}
	case $line in
	[0-9]*" sales lead set	王芳	20"[0-9][0-9]-[0-9][0-9]-[0-9][0-9]" "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]) ;;
	*) fail "lock file of a killed writer: '$line'" ;;
	esac
	SALES_TODAY=2024-01-15 sales -C wb lead set 科技有限公司 --phone 13800000005
	expect_rc 0
	expect_err_has "reclaimed the workbook lock left by process $pid (sales lead set)"
}
