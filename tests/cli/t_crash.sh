# Issue 8: crash safety.  Each rewriting command is killed with SIGKILL at
# random moments while it rewrites a big workbook; afterwards every sheet is
# byte-equal to its before or its after version (never a mix), and the next
# command works: it reclaims the dead process's lock with a warning,
# finishes a commit the dead process had journaled or removes its temporary
# files, and the workbook, audit.csv included, is the after version.
#
# CRASH_ROUNDS kills per command (default 4; `make stress` runs 25, ten
# times).  CRASH_LEADS sizes the workbook (default 20000 leads and as many
# contracts: a rewrite takes 50-300 ms).

# crash_workbook DIR: the example workbook plus CRASH_LEADS leads without
# grade or score, and as many contracts awaiting approval.
crash_workbook() {
	n=${CRASH_LEADS:-20000}
	[ -n "${SALES_VALGRIND:-}" ] && n=${CRASH_LEADS:-300}
	example_workbook "$1"
	awk -v n="$n" 'BEGIN { for (i = 3; i < n + 3; i++)
		printf "%d,客户%d有限公司,制造业,500-1000人/5亿以上,联系人%d,采购总监,138%08d,行业展会,采购设备,,张伟,2024-01-10,,2023-12-01,跟进中,华东,智能物流,\r\n", i, i, i, i }' \
		>>"$1/01-leads.csv"
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
		printf "HT2024%05d,客户%d有限公司,%d,2024.01-2025.01,一次性付款,张伟,,,,待审批,,,\r\n", i, i + 2, 100 + i % 50 }' \
		>>"$1/04-contracts.csv"
}

# now_ms: milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# random_below N: a random whole number in 0..N-1.
random_below() {
	echo $(($(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1))
}

# audit_rows FILE: audit.csv without its time column (the first), so runs
# at different moments compare.
audit_rows() {
	cut -d, -f2- "$1"
}

# crash_command OKCODES ARGS...: kills `sales -C w ARGS` at CRASH_ROUNDS
# random moments.  OKCODES lists the exit statuses the rerun may have
# (approve refuses, with 1, to approve twice).
crash_command() {
	ok=$1
	shift
	label="sales $*"
	rm -rf base after
	crash_workbook base
	cp -a base after
	SALES_TODAY=2024-01-15 sales -C after "$@"
	expect_rc 0
	# the moments: 0 .. 1.5 times a whole run, measured
	start=$(now_ms)
	cp -a base timing
	SALES_TODAY=2024-01-15 "$SALES_BIN" -C timing "$@" >/dev/null 2>&1
	span=$(( ($(now_ms) - start) * 3 / 2 + 1 ))
	rm -rf timing
	rounds=${CRASH_ROUNDS:-4}
	i=0
	killed_writing=0
	journaled=0
	audit_rows after/audit.csv >after.rows
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		rm -rf w
		cp -a base w
		ms=$(random_below "$span")
		SALES_TODAY=2024-01-15 "$SALES_BIN" -C w "$@" >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		# every sheet is its before or its after version
		journal=0
		[ -e w/.sales.journal ] && journal=1 && journaled=$((journaled + 1))
		for f in base/*.csv; do
			name=$(basename "$f")
			if [ "$name" = audit.csv ]; then
				# appended whole rows or nothing: the before version
				# is a prefix and the rest are the after's rows (a
				# big append that SIGKILL cut short inside a journaled
				# commit is cut off and made again by the next command)
				head -c "$(wc -c <"$f")" "w/$name" | cmp -s - "$f" ||
					fail "$label killed at $ms ms: audit.csv lost its earlier rows"
				tail -c +"$(($(wc -c <"$f") + 1))" "w/$name" >added
				if [ -s added ] && [ "$journal" = 0 ]; then
					audit_rows added >added.rows
					tail -c +"$(($(wc -c <"$f") + 1))" "after/$name" >want
					audit_rows want | cmp -s - added.rows ||
						fail "$label killed at $ms ms: audit.csv holds part of the rows"
				fi
			elif ! cmp -s "w/$name" "$f" && ! cmp -s "w/$name" "after/$name"; then
				fail "$label killed at $ms ms: $name is neither its before nor its after version"
			fi
		done
		holder=$(cut -d' ' -f1 w/.sales.lock 2>/dev/null)
		temps=$(ls -a w | grep -c '\.tmp\.')
		[ "$holder" = "$pid" ] && killed_writing=$((killed_writing + 1))
		# the next command works and finishes the job
		SALES_TODAY=2024-01-15 sales -C w "$@"
		case " $ok " in
		*" $rc "*) ;;
		*) fail "$label after a kill at $ms ms: exit status $rc"
		   sed 's/^/    stderr: /' "$errf" | head -n 4 >&2 ;;
		esac
		if [ "$holder" = "$pid" ]; then
			expect_err_has "reclaimed the workbook lock left by process $pid"
		fi
		if [ "$journal" = 1 ]; then
			expect_err_has "finished the change that process $pid"
		elif [ "$temps" -gt 0 ]; then
			expect_err_has "removed $temps temporary file"
		fi
		ls -a w | grep -q '\.tmp\.' && fail "$label: temporary files left after the next command"
		[ -e w/.sales.journal ] && fail "$label: the journal is left after the next command"
		for f in base/*.csv; do
			name=$(basename "$f")
			[ "$name" = audit.csv ] && continue
			cmp -s "w/$name" "after/$name" ||
				fail "$label killed at $ms ms, then run again: $name is not the after version"
		done
		audit_rows w/audit.csv | cmp -s - after.rows ||
			fail "$label killed at $ms ms, then run again: audit.csv lacks rows of the change"
	done
	echo "  crash: $label: $rounds kills within $span ms, $killed_writing while holding the lock, $journaled inside a journaled commit"
}

test_crash_score_write() {
	crash_command 0 score --write
}

test_crash_lead_set() {
	crash_command 0 lead set 客户100有限公司 --note 已跟进 --grade A类
}

test_crash_approve() {
	crash_command "0 1" approve HT202400007 --as 销售经理 --by 吴磊
}

test_crash_report_write() {
	crash_command 0 report --quarter 2023Q4 --write
}

# Issue 16: export --normalized killed at random moments over an earlier
# export (of another folder, so every line of every table differs): each
# table is its before or its after version, never part of one, since every
# file is written and fsynced before the first rename; and once
# workbooks.csv, renamed last, is its after version, so is every table.
# (The tables' renames share one fsync of the folder, made before
# workbooks.csv's rename: a crash of the machine keeps that order too.)
test_crash_export_normalized() {
	crash_workbook wb
	cp -a wb other
	SALES_TODAY=2024-01-15 sales -C other export --normalized before
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb export --normalized after
	expect_rc 0
	cmp -s before/leads.csv after/leads.csv && fail "the two exports' leads.csv do not differ"
	start=$(now_ms)
	SALES_TODAY=2024-01-15 "$SALES_BIN" -C wb export --normalized timing >/dev/null 2>&1
	span=$(( ($(now_ms) - start) * 3 / 2 + 1 ))
	rounds=${CRASH_ROUNDS:-4}
	i=0
	mixed=0
	while [ "$i" -lt "$rounds" ]; do
		i=$((i + 1))
		rm -rf d
		cp -a before d
		ms=$(random_below "$span")
		SALES_TODAY=2024-01-15 "$SALES_BIN" -C wb export --normalized d >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		new=0 old=0
		for f in after/*.csv; do
			name=$(basename "$f")
			# a table of no rows is its header either way
			cmp -s "$f" "before/$name" && continue
			if cmp -s "d/$name" "$f"; then
				new=$((new + 1))
			elif cmp -s "d/$name" "before/$name"; then
				old=$((old + 1))
			else
				fail "export --normalized killed at $ms ms: $name is neither its before nor its after version"
			fi
		done
		if cmp -s d/workbooks.csv after/workbooks.csv && [ "$old" != 0 ]; then
			fail "export --normalized killed at $ms ms: workbooks.csv is new but $old tables are old"
		fi
		[ "$new" != 0 ] && [ "$old" != 0 ] && mixed=$((mixed + 1))
	done
	echo "  crash: export --normalized: $rounds kills within $span ms, $mixed between the renames"
	# the two moments around the renames, hit exactly: every table old
	# (and written beside its file), then every table new but workbooks.csv;
	# with two threads the stage sheets' tables were fsynced by a thread
	# of their own
	for point in export-prepared export-renamed 2:export-prepared 2:export-renamed; do
		threads=1
		case $point in 2:*) threads=2 point=${point#2:} ;; esac
		rm -rf d
		cp -a before d
		SALES_THREADS=$threads SALES_TEST_CRASH=$point SALES_TODAY=2024-01-15 \
			"$SALES_BIN" -C wb export --normalized d >/dev/null 2>&1
		[ $? = 137 ] || fail "$point: the command was not killed there"
		for f in after/*.csv; do
			name=$(basename "$f")
			cmp -s "$f" "before/$name" && continue
			case $point:$name in
			export-prepared:*|export-renamed:workbooks.csv) want=before ;;
			*) want=after ;;
			esac
			cmp -s "d/$name" "$want/$name" ||
				fail "$point: $name is not its $want version"
		done
		temps=$(ls -a d | grep -c '\.tmp\.')
		n=$(ls after/*.csv | wc -l)
		case $point:$temps in
		export-prepared:$n|export-renamed:1) ;;
		*) fail "$point: $temps temporary files ($n tables)" ;;
		esac
	done
}

# The moments inside a commit, hit exactly ($SALES_TEST_CRASH makes the
# process kill itself there), on a command that changes two sheets:
# `contract sign` writes 签订日期 in 04 and 客户状态 in 01.  Before the
# journal is written nothing shows and the next command does the change
# again; after it, the next command finishes it from the journal (and then
# refuses to sign twice).
test_crash_points() {
	CRASH_LEADS=${CRASH_LEADS:-2000}
	crash_workbook base
	for who in 销售经理:吴磊 法务:郑洁 总经理:黄志明; do
		SALES_TODAY=2024-01-15 sales -C base approve HT202400007 --as "${who%%:*}" --by "${who#*:}"
		expect_rc 0
	done
	cp -a base after
	SALES_TODAY=2024-01-15 sales -C after contract sign HT202400007 --date 2024-01-12
	expect_rc 0
	audit_rows after/audit.csv >after.rows
	for point in prepared journaled renamed published; do
		rm -rf w
		cp -a base w
		SALES_TEST_CRASH=$point SALES_TODAY=2024-01-15 "$SALES_BIN" -C w \
			contract sign HT202400007 --date 2024-01-12 >/dev/null 2>&1
		[ $? = 137 ] || fail "$point: the command was not killed there"
		mixed=
		for f in base/*.csv; do
			name=$(basename "$f")
			cmp -s "$f" "after/$name" && continue   # not changed
			if cmp -s "w/$name" "$f"; then
				state=before
			elif cmp -s "w/$name" "after/$name"; then
				state=after
			else
				fail "$point: $name is neither its before nor its after version"
				continue
			fi
			case $point:$name:$state in
			prepared:*:before|journaled:*:before|published:audit.csv:before) ;;
			published:*:after|renamed:*) mixed="$mixed $name:$state" ;;
			*) fail "$point: $name is its $state version" ;;
			esac
		done
		temps=$(ls -a w | grep -c '\.tmp\.')
		case $point:$temps in
		prepared:2|journaled:2|renamed:1|published:0) ;;
		*) fail "$point: $temps temporary files" ;;
		esac
		[ -e w/.sales.journal ] || [ "$point" = prepared ] ||
			fail "$point: no journal"
		SALES_TODAY=2024-01-15 sales -C w contract sign HT202400007 --date 2024-01-12
		case $point:$rc in
		prepared:0|journaled:1|renamed:1|published:1) ;;
		*) fail "$point: the next command exited with $rc"
		   sed 's/^/    stderr: /' "$errf" | head -n 4 >&2 ;;
		esac
		expect_err_has "reclaimed the workbook lock left by process"
		if [ "$point" = prepared ]; then
			expect_err_has "removed 2 temporary files"
		else
			expect_err_has "finished the change that process"
		fi
		ls -a w | grep -q '\.tmp\.' && fail "$point: temporary files left"
		[ -e w/.sales.journal ] && fail "$point: the journal is left"
		for f in base/*.csv; do
			name=$(basename "$f")
			[ "$name" = audit.csv ] && continue
			cmp -s "w/$name" "after/$name" || fail "$point, then run again: $name is not the after version"
		done
		audit_rows w/audit.csv | cmp -s - after.rows ||
			fail "$point, then run again: audit.csv is not the after version"
		echo "  crash point $point: killed with${mixed:- every sheet before}; the next command finished it"
	done
}
