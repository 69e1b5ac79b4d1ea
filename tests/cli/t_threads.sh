# Issue 7: reading ahead in a second thread and the fast CSV path change
# nothing anyone sees.  A workbook from the bench's generator (every sheet,
# quoted cells with commas and line breaks, every date form, continuation
# rows) is read by each reading command with SALES_THREADS=1, with
# SALES_THREADS=2 (which reads ahead even for a small file) and with the
# libcsv path alone (SALES_CSV_SLOW=1); stdout, stderr and the exit status
# must be byte-identical.  With two threads the parsing thread leaves a
# row's prepared work to the caller while the caller waits (readahead.h);
# SALES_READAHEAD_LEAN=always and =alternate make it leave every row, or
# every second one, so that both ways of judging a row, and a mix, are
# compared too.

# same_every_way ARGS...: sales ARGS gives the same output all three ways.
same_every_way() {
	SALES_THREADS=1 sales "$@"
	cp "$out" "$H/out.1"; cp "$errf" "$H/err.1"; rc1=$rc
	SALES_THREADS=2 sales "$@"
	cmp -s "$out" "$H/out.1" || fail "stdout of 'sales $*' differs with 2 threads"
	cmp -s "$errf" "$H/err.1" || fail "stderr of 'sales $*' differs with 2 threads"
	[ "$rc" = "$rc1" ] || fail "exit status of 'sales $*': $rc with 2 threads, $rc1 with 1"
	for lean in always alternate; do
		SALES_THREADS=2 SALES_READAHEAD_LEAN=$lean sales "$@"
		cmp -s "$out" "$H/out.1" || fail "stdout of 'sales $*' differs with 2 threads, lean=$lean"
		cmp -s "$errf" "$H/err.1" || fail "stderr of 'sales $*' differs with 2 threads, lean=$lean"
		[ "$rc" = "$rc1" ] || fail "exit status of 'sales $*': $rc with 2 threads, lean=$lean, $rc1 with 1"
	done
	SALES_THREADS=1 SALES_CSV_SLOW=1 sales "$@"
	cmp -s "$out" "$H/out.1" || fail "stdout of 'sales $*' differs on the libcsv path"
	cmp -s "$errf" "$H/err.1" || fail "stderr of 'sales $*' differs on the libcsv path"
	[ "$rc" = "$rc1" ] || fail "exit status of 'sales $*': $rc on the libcsv path, $rc1 otherwise"
	[ -s "$H/out.1" ] || [ -s "$H/err.1" ] || fail "'sales $*' printed nothing"
}

test_threads_same_output_every_reader() {
	bench_workbook wb 3000 || return
	export SALES_TODAY=2024-06-30
	for s in leads surveys solutions contracts plans acceptance followups kpi \
		 team exceptions holidays; do
		same_every_way -C wb export "$s" --format json
	done
	same_every_way -C wb report --quarter 2023Q4
	same_every_way -C wb report --quarter 2023Q4 --format csv --by owner
	same_every_way -C wb report funnel --quarter 2023Q4 --format json
	same_every_way -C wb due
	same_every_way -C wb lead list --format csv
	same_every_way -C wb score --format csv
	if sales help check >/dev/null 2>&1 && [ "$rc" = 0 ]; then
		same_every_way -C wb check
		same_every_way -C wb check --format json
		# the facts and floor pass in blocks over two threads
		# (check.c): the same findings, in the same runs
		same_every_way -C wb check --explain
		SALES_CHECK_SPILL_AT=3 same_every_way -C wb check --format json
	fi
}

# A duplicate found by the scan of a sheet read ahead: the same refusal,
# nothing written.
test_threads_same_refusal_and_errors() {
	bench_workbook wb 2000 || return
	export SALES_TODAY=2024-06-30
	last=$(SALES_THREADS=1 "$SALES_BIN" -C wb export leads --format tsv | tail -n 1 | cut -f2)
	snapshot wb
	same_every_way -C wb lead add "$last"
	expect_rc 1
	expect_unchanged wb
	# a broken cell near the end: the error, at the same line and cell
	printf '9999,"坏了,\r\n' >>wb/07-followups.csv
	same_every_way -C wb report --quarter 2023Q4
	expect_rc 2
	expect_err_has "07-followups.csv:"
}

# Issue 14: with two threads the cell rules run in the parsing thread
# (model.h, sales_row_prep).  9000 follow-ups with a line break inside a
# quoted cell, so that the reading thread's batches (8192 rows, 512 KB)
# end inside and between such records, with bad cells planted at known
# lines: every planted finding is reported at its own line, the same way
# with one thread, two and the libcsv path.
test_threads_quoted_newlines_across_batches() {
	bench_workbook wb 300 || return
	export SALES_TODAY=2024-06-30
	name=$(sed -n 2p wb/01-leads.csv | cut -d, -f2)
	rep=$(sed -n 2p wb/team.csv | cut -d, -f1)
	start=$(($(wc -l <wb/07-followups.csv) + 1))
	awk -v name="$name" -v rep="$rep" 'BEGIN {
		for (i = 0; i < 9000; i++) {
			date = "2023-05-" sprintf("%02d", i % 28 + 1)
			by = rep
			if (i % 1000 == 500) date = "2023-02-30"
			if (i % 1000 == 700) by = "不在名单"
			printf "%s,%s,%s,电话回访,\"第%d次回访,客户说:\r\n\"\"再看看\"\"\",已记录,2023-06-01,4\r\n", \
				name, date, by, i
		}
	}' >>wb/07-followups.csv
	same_every_way -C wb check
	same_every_way -C wb check --format json
	same_every_way -C wb due --format json
	SALES_THREADS=2 sales -C wb due --format json
	n=$(grep -o '2023-02-30' "$out" | wc -l)
	[ "$n" -ge 9 ] || fail "due lists $n of the 9 bad 跟进时间 cells"
	SALES_THREADS=2 sales -C wb check values
	expect_rc 1
	i=0
	while [ "$i" -lt 9 ]; do
		# record i*1000+500 starts on line start + 2*(i*1000+500)
		bad=$((start + 2 * (i * 1000 + 500)))
		who=$((start + 2 * (i * 1000 + 700)))
		grep -q "^07-followups.csv:$bad:B[0-9]*: error\[values\]: .*2023-02-30" "$out" ||
			fail "no values finding for the bad date on line $bad"
		grep -q "^07-followups.csv:$who:C[0-9]*: error\[values\]: .*不在名单" "$out" ||
			fail "no values finding for the unknown 跟进人 on line $who"
		i=$((i + 1))
	done
	n=$(grep -c '^07-followups.csv:.*\(2023-02-30\|不在名单\)' "$out")
	[ "$n" = 18 ] || fail "$n findings for the planted cells, expected 18"
}

# Issue 14: the parsing thread prepares fill-down continuation rows too
# (model.h: a filled column is then read from the record).  1500 groups of
# a 07 row and two continuation rows (客户名称, 跟进时间 and 跟进人 blank:
# filled down); planted: in groups g % 500 == 100 the first row's 跟进人 is
# not in team.csv, in g % 500 == 200 its 跟进时间 is no date, in
# g % 500 == 300 the third row has a 跟进人 of its own not in team.csv.
# Each is one finding at its own line: none on the rows that only
# inherit the bad cell.
test_threads_continuation_rows_prepared() {
	bench_workbook wb 300 || return
	export SALES_TODAY=2024-06-30
	name=$(sed -n 2p wb/01-leads.csv | cut -d, -f2)
	rep=$(sed -n 2p wb/team.csv | cut -d, -f1)
	start=$(($(wc -l <wb/07-followups.csv) + 1))
	awk -v name="$name" -v rep="$rep" 'BEGIN {
		for (g = 0; g < 1500; g++) {
			date = "2023-05-" sprintf("%02d", g % 28 + 1)
			by = rep; by3 = ""
			if (g % 500 == 100) by = "不在名单甲"
			if (g % 500 == 200) date = "2023-02-30"
			if (g % 500 == 300) by3 = "不在名单乙"
			printf "%s,%s,%s,电话回访,第%d组,已记录,2023-06-01,4\r\n", name, date, by, g
			printf ",,,上门拜访,第%d组续,已记录,2023-06-02,5\r\n", g
			printf ",,%s,电话回访,第%d组再续,已记录,2023-06-03,3\r\n", by3, g
		}
	}' >>wb/07-followups.csv
	same_every_way -C wb check
	same_every_way -C wb check --format json
	same_every_way -C wb due --format json
	SALES_THREADS=2 SALES_READAHEAD_LEAN=alternate sales -C wb check values
	expect_rc 1
	for g in 100 600 1100; do
		l=$((start + 3 * g))
		grep -q "^07-followups.csv:$l:C[0-9]*: error\[values\]: .*不在名单甲" "$out" ||
			fail "no values finding for the unknown 跟进人 on line $l"
	done
	for g in 200 700 1200; do
		l=$((start + 3 * g))
		grep -q "^07-followups.csv:$l:B[0-9]*: error\[values\]: .*2023-02-30" "$out" ||
			fail "no values finding for the bad 跟进时间 on line $l"
	done
	for g in 300 800 1300; do
		l=$((start + 3 * g + 2))
		grep -q "^07-followups.csv:$l:C[0-9]*: error\[values\]: .*不在名单乙" "$out" ||
			fail "no values finding for the continuation row's own 跟进人 on line $l"
	done
	n=$(grep -c '^07-followups.csv:.*\(2023-02-30\|不在名单\)' "$out")
	[ "$n" = 9 ] || fail "$n findings for the planted cells, expected 9"
}

# Issue 16: with two threads export --normalized formats the stage sheets'
# tables in a thread of its own (records handed over in batches of 4096,
# which end inside a sheet and across sheet ends).  Every table, errors.csv
# (planted bad cells, in their rows' order) and an --append of a second
# workbook onto the folder are byte-identical with one thread, two and the
# libcsv path.
test_threads_normalized_export_same_tables() {
	bench_workbook wb 5000 || return
	example_workbook ex
	export SALES_TODAY=2024-06-30
	name=$(sed -n 2p wb/01-leads.csv | cut -d, -f2)
	start=$(($(wc -l <wb/07-followups.csv) + 1))
	i=0
	while [ "$i" -lt 3000 ]; do
		date=2023-05-0$((i % 9 + 1))
		[ $((i % 1000)) = 500 ] && date=2023-02-30
		printf '%s,%s,张伟,电话回访,"第%d次,回访",已记录,2023-06-01,4\r\n' \
			"$name" "$date" "$i"
		i=$((i + 1))
	done >>wb/07-followups.csv
	for way in 1 2 slow; do
		case $way in
		1) SALES_THREADS=1 sales -C wb export --normalized "n$way" ;;
		2) SALES_THREADS=2 sales -C wb export --normalized "n$way" ;;
		slow) SALES_THREADS=1 SALES_CSV_SLOW=1 sales -C wb export --normalized "n$way" ;;
		esac
		expect_rc 0
		case $way in
		1) SALES_THREADS=1 sales -C ex export --normalized "n$way" --append ;;
		2) SALES_THREADS=2 sales -C ex export --normalized "n$way" --append ;;
		slow) SALES_THREADS=1 SALES_CSV_SLOW=1 sales -C ex export --normalized "n$way" --append ;;
		esac
		expect_rc 0
	done
	n=$(ls n1/*.csv | wc -l)
	[ "$n" -ge 18 ] || fail "$n tables, expected every sheet's and customers, errors, workbooks"
	for way in 2 slow; do
		diff -r n1 "n$way" >/dev/null || fail "export --normalized differs with SALES_THREADS=$way"
	done
	# the planted dates, one errors.csv row each, in the order of their lines
	grep ',07-followups.csv,[0-9]*,B[0-9]*,date,2023-02-30,' n2/errors.csv |
		cut -d, -f4 >got
	: >exp
	for k in 500 1500 2500; do
		echo $((start + k)) >>exp
	done
	cmp -s got exp || { fail "errors.csv's planted 2023-02-30 rows"; diff exp got >&2; }
	[ "$(tail -n 2 n2/workbooks.csv | wc -l)" = 2 ] || fail "workbooks.csv lacks a workbook"
}

# Issue 14: check's findings streamed through sorted runs in a temporary
# file (SALES_CHECK_SPILL_AT: findings held before a run is written) print
# the same bytes as the findings sorted in memory, in every format and in
# both languages, and the generator's legacy workbook has about two
# findings a lead.
test_check_streamed_findings_same_bytes() {
	bench_workbook wbf 2000 --findings || return
	export SALES_TODAY=2024-06-30
	sales -C wbf check
	expect_rc 1
	n=$(wc -l <"$out")
	[ "$n" -ge 3000 ] && [ "$n" -le 5000 ] || fail "the --findings workbook of 2000 leads has $n findings, expected about 3800"
	for lang in C.UTF-8 zh_CN.UTF-8; do
		for fmt in table json github; do
			LANG=$lang LC_ALL= sales -C wbf check --format $fmt
			cp "$out" "$H/out.1"; cp "$errf" "$H/err.1"
			for at in 1 7 500; do
				SALES_CHECK_SPILL_AT=$at LANG=$lang LC_ALL= sales -C wbf check --format $fmt
				cmp -s "$out" "$H/out.1" || fail "check --format $fmt ($lang) differs with runs of $at findings"
				cmp -s "$errf" "$H/err.1" || fail "check --format $fmt ($lang) stderr differs with runs of $at findings"
			done
		done
	done
	SALES_CHECK_SPILL_AT=50 sales -C wbf check --strict --explain
	cp "$out" "$H/out.1"
	sales -C wbf check --strict --explain
	cmp -s "$out" "$H/out.1" || fail "check --strict --explain differs with runs of 50 findings"
}
