#!/bin/sh
# bench.sh - times `sales` on the generated workbooks, as whole processes.
#
#   sh bench.sh path/to/sales        (run by `make bench`; see the Makefile)
#
# Each case runs $RUNS times (default 3); the table shows the median wall
# time, the MB/s it means over the bytes of the sheets the case reads, the
# median CPU time (user + system: on a busy machine it says what the run
# cost), the largest peak RSS (getrusage), and how many cores the rest of
# the machine kept busy meanwhile (measure.c, from /proc/stat).  Cases whose
# command does not exist yet are skipped with a note.  The DuckDB and
# sqlite3 peers (make bench-peers) compute the same 2023Q4 KPI table; their
# numbers are checked against `sales report --format csv` before their
# times count.  DuckDB's plain join (peers/duckdb-join.mjs) imports the same
# three sheets and joins two of them.  The legacy workbooks (FINDINGS, gen
# --findings: about two findings a lead) bench `check` where findings
# dominate.
#
# After the full table comes the issue-14 table: each target with what
# this run measured.  When other work kept more than a quarter of a core
# busy on average, the output says the run was on a busy machine and that
# its figures are not a result.
#
# Writes out/results.md and prints it.  Environment: SIZES ("10k 100k 1m"),
# FINDINGS ("1m"), SQLITE_SIZES ("10k 100k"), RUNS (3), SALES_TODAY (2024-06-30: the generated data
# ends there).
set -u
SALES=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/out
SIZES=${SIZES:-10k 100k 1m}
FINDINGS=${FINDINGS-1m}
# sqlite3 takes ~45 s a run at 1M: only these sizes, so a full run stays
# within about six minutes
SQLITE_SIZES=${SQLITE_SIZES-10k 100k}
RUNS=${RUNS:-3}
export SALES_TODAY=${SALES_TODAY:-2024-06-30}
export LC_ALL=C.UTF-8
QUARTER=2023Q4
MEASURE=$OUT/measure
RUNDIR=$OUT/runs
RESULTS=$OUT/results.md
NOTES=$RUNDIR/notes
mkdir -p "$RUNDIR"
: >"$NOTES"
: >"$RUNDIR/rows"
: >"$RUNDIR/findings"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

note() {
	echo "note: $*" >&2
	echo "- $*" >>"$NOTES"
}

# bytes FILE...: total size of the files that exist
bytes() {
	total=0
	for f in "$@"; do
		[ -f "$f" ] && total=$((total + $(wc -c <"$f")))
	done
	echo "$total"
}

have_command() {
	"$SALES" help "$1" >/dev/null 2>&1
}

# once SIZE CASE [PREP] -- COMMAND...: one timed run of COMMAND (PREP, a
# shell snippet, runs untimed before it), appended to the case's times.
# Its stdout is kept in $RUNDIR/SIZE-CASE.out (the last run's).
once() {
	size=$1 case=$2 prep=$3
	shift 4
	[ -n "$prep" ] && sh -c "$prep"
	"$MEASURE" "$RUNDIR/$size-$case.out" "$RUNDIR/$size-$case.err" "$@" >>"$RUNDIR/times-$size-$case"
}

# row SIZE CASE BYTES: the case's runs as a row of $RUNDIR/rows: size case
# bytes wall cpu rss_kb status other_cores (median wall and CPU, largest
# RSS, mean other load).
row() {
	awk -v size="$1" -v case="$2" -v bytes="$3" '
		{ wall[NR] = $1; cpu[NR] = $4; if ($2 > rss) rss = $2; st = $3; other += $5 }
		function median(a, n,    i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		END { printf "%s %s %d %.4f %.4f %d %d %.2f\n", size, case, bytes,
		      median(wall, NR), median(cpu, NR), rss, st, other / NR }' \
		"$RUNDIR/times-$1-$2" >>"$RUNDIR/rows"
	tail -n 1 "$RUNDIR/rows" | awk '{ printf "  %-5s %-22s %8.3f s  %6.0f MB/s  %6.1f MB RSS  exit %d  other load %.2f\n",
		$1, $2, $4, $3 / 1e6 / ($4 > 0 ? $4 : 1), $6 / 1024, $7, $8 }' >&2
}

# fresh SIZE CASE...: no runs of these cases yet
fresh() {
	size=$1
	shift
	for c in "$@"; do : >"$RUNDIR/times-$size-$c"; done
}

# run SIZE CASE BYTES [PREP] -- COMMAND...: RUNS timed runs of COMMAND, then
# its row.  Cases compared with each other (check with the libcsv pass and
# one thread, report with one thread and DuckDB, JSON with CSV) run in
# rounds instead (once each per round, RUNS rounds), so a machine whose
# speed drifts over a minute moves both sides of a ratio alike.
run() {
	size=$1 case=$2 nbytes=$3 prep=$4
	shift 4
	fresh "$size" "$case"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		once "$size" "$case" "$prep" "$@"
		i=$((i + 1))
	done
	row "$size" "$case" "$nbytes"
}

# same SIZE CASE1 CASE2: the two cases printed the same bytes (threads must
# never change an answer).
same() {
	if cmp -s "$RUNDIR/$1-$2.out" "$RUNDIR/$1-$3.out" &&
	   cmp -s "$RUNDIR/$1-$2.err" "$RUNDIR/$1-$3.err"; then
		echo "  $2 and $3 printed the same bytes" >&2
	else
		note "$1: $2 and $3 printed different output (a bug: threads must not change answers)"
	fi
}

# ---- peers ----

DUCKDB_OK=
if [ -d "$HERE/peers/node_modules/@duckdb/node-api" ] && command -v node >/dev/null 2>&1; then
	DUCKDB_OK=1
else
	note "DuckDB skipped: run 'make -C tests/bench bench-peers' (needs npm) to install @duckdb/node-api into tests/bench/peers/"
fi
SQLITE_OK=
if command -v sqlite3 >/dev/null 2>&1; then
	SQLITE_OK=1
else
	note "sqlite3 skipped: not installed ('make bench-peers' installs it)"
fi

# agree SIZE PEER: the peer's KPI table (metric,actual,before) matches
# `sales report --format csv` (actual, and yoy derived from before).
agree() {
	awk -F, -v peer="$2" '
		function abs(x) { return x < 0 ? -x : x }
		function close_to(a, b) { return abs(a - b) <= 1e-6 + 1e-4 * abs(b) }
		NR == FNR { if (FNR > 1) { actual[$3] = $5; yoy[$3] = $7 } next }
		{
			m = $1; a = $2; b = $3; n++
			if (!(m in actual)) { print peer ": no metric " m " in sales report"; bad++; next }
			if (a == "" ? actual[m] != "" : !close_to(a, actual[m])) {
				print peer ": " m " actual " a " vs sales " actual[m]; bad++ }
			rel = (m ~ /客单价|周期/)
			if (a != "" && b != "") {
				y = rel ? (b != 0 ? (a - b) / b : "") : a - b
				if (y == "" ? yoy[m] != "" : !close_to(y, yoy[m])) {
					print peer ": " m " yoy " y " vs sales " yoy[m]; bad++ }
			}
		}
		END { if (n != 6) { print peer ": " n " metrics, expected 6"; bad++ } exit bad > 0 }
	' "$RUNDIR/$1-report-csv.out" "$RUNDIR/$1-$2.out"
}

# ---- the cases ----

for size in $SIZES; do
	W=$OUT/wb-$size
	if [ ! -d "$W" ]; then
		note "workbook $W missing (make workbooks)"
		continue
	fi
	all=$(bytes "$W"/*.csv)
	kpi=$(bytes "$W/01-leads.csv" "$W/04-contracts.csv" "$W/07-followups.csv" "$W/08-kpi.csv")
	stages=$(bytes "$W"/0[1-7]-*.csv)
	echo "workbook $size: $((all / 1000000)) MB" >&2

	# the libcsv passes, check with two threads and one: in rounds
	fresh "$size" floor-all floor-kpi check check-1thread
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		once "$size" "floor-all" "" -- "$OUT/count" "$W"/*.csv
		once "$size" "floor-kpi" "" -- "$OUT/count" "$W/01-leads.csv" \
			"$W/04-contracts.csv" "$W/07-followups.csv" "$W/08-kpi.csv"
		if have_command check; then
			once "$size" "check" "" -- "$SALES" -C "$W" check
			once "$size" "check-1thread" "" -- env SALES_THREADS=1 "$SALES" -C "$W" check
		fi
		i=$((i + 1))
	done
	row "$size" "floor-all" "$all"
	row "$size" "floor-kpi" "$kpi"
	if have_command check; then
		row "$size" "check" "$all"
		row "$size" "check-1thread" "$all"
		same "$size" check check-1thread
	else
		[ "$size" = "$(echo $SIZES | cut -d' ' -f1)" ] && note "sales check skipped: not built yet"
	fi
	if have_command report; then
		# report with two threads and one, and DuckDB's two: in rounds
		fresh "$size" report report-1thread duckdb duckdb-join
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			once "$size" "report" "" -- "$SALES" -C "$W" report --quarter $QUARTER
			once "$size" "report-1thread" "" -- env SALES_THREADS=1 "$SALES" -C "$W" report --quarter $QUARTER
			if [ -n "$DUCKDB_OK" ]; then
				once "$size" "duckdb" "" -- node "$HERE/peers/duckdb-kpi.mjs" "$W" $QUARTER "$SALES_TODAY"
				once "$size" "duckdb-join" "" -- node "$HERE/peers/duckdb-join.mjs" "$W"
			fi
			i=$((i + 1))
		done
		row "$size" "report" "$kpi"
		row "$size" "report-1thread" "$kpi"
		same "$size" report report-1thread
		run "$size" "report-csv" "$kpi" "" -- "$SALES" -C "$W" report --quarter $QUARTER --format csv
		run "$size" "report-funnel" "$stages" "" -- "$SALES" -C "$W" report funnel --quarter $QUARTER
		if [ -n "$DUCKDB_OK" ]; then
			row "$size" "duckdb" "$kpi"
			if agree "$size" duckdb >"$RUNDIR/$size-duckdb.agree"; then
				echo "  duckdb agrees with sales report" >&2
			else
				note "$size: DuckDB's numbers differ from sales report: $(tr '\n' ';' <"$RUNDIR/$size-duckdb.agree")"
			fi
			row "$size" "duckdb-join" "$kpi"
		fi
		if [ -n "$SQLITE_OK" ] && case " $SQLITE_SIZES " in *" $size "*) true ;; *) false ;; esac; then
			run "$size" "sqlite3" "$kpi" "" -- sh "$HERE/peers/sqlite-kpi.sh" "$W" $QUARTER "$SALES_TODAY"
			if agree "$size" sqlite3 >"$RUNDIR/$size-sqlite3.agree"; then
				echo "  sqlite3 agrees with sales report" >&2
			else
				note "$size: sqlite3's numbers differ from sales report: $(tr '\n' ';' <"$RUNDIR/$size-sqlite3.agree")"
			fi
		fi
	else
		[ "$size" = "$(echo $SIZES | cut -d' ' -f1)" ] && note "sales report skipped: not built yet"
	fi

	# export --normalized (issue 16) against export --format csv of the same
	# sheets, each into files in a fresh folder: the goal is at most 1.5x
	if have_command export; then
		E=$RUNDIR/export-$size
		run "$size" "export-csv" "$all" "rm -rf '$E'; mkdir -p '$E'" -- sh -c '
			for s in leads surveys solutions contracts plans acceptance followups kpi team exceptions holidays audit; do
				"$0" -C "$1" export "$s" --format csv >"$2/$s.csv" || exit 1
			done' "$SALES" "$W" "$E"
		run "$size" "export-normalized" "$all" "rm -rf '$E'" -- "$SALES" -C "$W" export --normalized "$E"
		rm -rf "$E"
		# one large sheet as CSV and as JSON: the goal is at most 1.5x
		fresh "$size" export-leads-csv export-leads-json
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			once "$size" "export-leads-csv" "" -- "$SALES" -C "$W" export leads --format csv
			once "$size" "export-leads-json" "" -- "$SALES" -C "$W" export leads --format json
			i=$((i + 1))
		done
		row "$size" "export-leads-csv" "$(bytes "$W/01-leads.csv")"
		row "$size" "export-leads-json" "$(bytes "$W/01-leads.csv")"
	fi

	# writing commands work on a scratch copy: the sheets they change are
	# copied, the others hard-linked
	S=$RUNDIR/scratch-$size
	rm -rf "$S"
	cp -al "$W" "$S"
	leads=$(bytes "$W/01-leads.csv")
	if have_command lead; then
		for f in 01-leads.csv audit.csv; do rm -f "$S/$f"; cp "$W/$f" "$S/$f"; done
		# the last lead's name: the duplicate scan reads the whole sheet and
		# refuses, writing nothing; a new name goes through and appends
		last=$("$SALES" -C "$W" export leads --format tsv | tail -n 1 | cut -f2)
		run "$size" "lead-add-dup" "$leads" "" -- "$SALES" -C "$S" lead add "$last"
		run "$size" "lead-add" "$leads" "" -- sh -c 'exec "$0" -C "$1" lead add "基准测试客户$(date +%s%N)"' "$SALES" "$S"
	else
		[ "$size" = "$(echo $SIZES | cut -d' ' -f1)" ] && note "sales lead add skipped: not built yet"
	fi
	if [ "$size" = 100k ]; then
		if have_command score; then
			run "$size" "score-write" "$(bytes "$W/01-leads.csv" "$W/02-surveys.csv")" \
				"rm -f '$S/01-leads.csv' '$S/audit.csv'; cp '$W/01-leads.csv' '$W/audit.csv' '$S/'" \
				-- "$SALES" -C "$S" score --write
		else
			note "sales score --write skipped: not built yet"
		fi
	fi
	rm -rf "$S"
done

# the legacy workbooks: check where the findings dominate
for fsize in $FINDINGS; do
	W=$OUT/wbf-$fsize
	if [ ! -d "$W" ]; then
		note "workbook $W missing (make workbooks)"
		continue
	fi
	all=$(bytes "$W"/*.csv)
	echo "legacy workbook $fsize: $((all / 1000000)) MB" >&2
	fresh "$fsize+f" floor-all check
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		once "$fsize+f" "floor-all" "" -- "$OUT/count" "$W"/*.csv
		have_command check && once "$fsize+f" "check" "" -- "$SALES" -C "$W" check
		i=$((i + 1))
	done
	row "$fsize+f" "floor-all" "$all"
	if have_command check; then
		row "$fsize+f" "check" "$all"
		nf=$(wc -l <"$RUNDIR/$fsize+f-check.out")
		echo "  $nf findings" >&2
		echo "$fsize+f $nf" >>"$RUNDIR/findings"
	fi
done

# ---- the tables ----

LARGEST=$(for s in $SIZES; do echo "$s"; done | tail -n 1)
FIRST_F=$(for s in $FINDINGS; do echo "$s"; done | head -n 1)

# busy: a verdict line when other work kept the machine busy
busy() {
	awk '{ n++; t += $8; if ($8 > m) m = $8 }
	     END { if (n && t / n > 0.25)
		printf "**Busy machine**: other work kept %.2f cores busy on average (at most %.2f) while the cases ran, so the times below are not a result; run `make bench` again on a quiet machine.  (Peak RSS and CPU seconds do not depend on the load.)\n", t / n, m }' \
		"$RUNDIR/rows"
}

# targets: the issue-14 table, each target with what this run measured
targets() {
	awk -v L="$LARGEST" -v F="$FIRST_F+f" -v findings="$(awk '{ print $2 }' "$RUNDIR/findings" | head -n 1)" '
		NR == FNR { k = $1 " " $2; wall[k] = $4; cpu[k] = $5; rss[k] = $6 / 1024; next }
		function have(k) { return (k in wall) }
		function ratio(a, b, goal, le,    r, c) {
			if (!have(a) || !have(b) || wall[b] <= 0)
				return "| not measured | " (le ? "≤ " : "≥ ") goal "× | — |"
			r = wall[a] / wall[b]; c = cpu[b] > 0 ? cpu[a] / cpu[b] : 0
			return sprintf("| %.2f× (%.3f s vs %.3f s; CPU %.2f×) | %s %.2f× | %s |", r, wall[a], wall[b], c,
				       le ? "≤" : "≥", goal, (le ? r <= goal : r >= goal) ? "yes" : "no")
		}
		function mem(k, goal) {
			if (!have(k)) return "| not measured | ≤ " goal " MB | — |"
			return sprintf("| %.0f MB | ≤ %d MB | %s |", rss[k], goal, rss[k] <= goal ? "yes" : "no")
		}
		END {
			print "| case | this run | target | met |"
			print "|---|---|---|---|"
			print "| `check` ÷ bare libcsv pass, clean " L " (every sheet) " ratio(L " check", L " floor-all", 1.5, 1)
			print "| `check` peak RSS, clean " L " " mem(L " check", 120)
			print "| `check` ÷ libcsv pass, " F " (" findings " findings) " ratio(F " check", F " floor-all", 3, 1)
			print "| `check` peak RSS, " F " (" findings " findings) " mem(F " check", 300)
			print "| `report` ÷ DuckDB computing the same KPI table, " L " " ratio(L " report", L " duckdb", 0.25, 1)
			print "| `report` ÷ DuckDB importing the three sheets and joining two, " L " " ratio(L " report", L " duckdb-join", 0.6, 1)
			print "| `export leads --format json` ÷ `--format csv`, " L " " ratio(L " export-leads-json", L " export-leads-csv", 1.5, 1)
			print "| `report funnel` peak RSS, " L " " mem(L " report-funnel", 120)
			k = "100k score-write"
			if (have(k))
				printf "| `score --write` at 100k | %.0f MB, %.3f s | ≤ 40 MB, ≤ 0.5 s | %s |\n", rss[k], wall[k],
				       rss[k] <= 40 && wall[k] <= 0.5 ? "yes" : "no"
			else
				print "| `score --write` at 100k | not measured | ≤ 40 MB, ≤ 0.5 s | — |"
			print "| 1 thread ÷ 2 threads, `check`, " L " " ratio(L " check-1thread", L " check", 1.6, 0)
			print "| 1 thread ÷ 2 threads, `report`, " L " " ratio(L " report-1thread", L " report", 1.6, 0)
		}' "$RUNDIR/rows" /dev/null
}

{
	verdict=$(busy)
	if [ -n "$verdict" ]; then
		echo "$verdict"
		echo
	fi
	echo "| workbook | case | MB read | wall s (median of $RUNS) | MB/s | CPU s | peak RSS MB | other load (cores) | compared |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
	awk '
		{ key = $1 " " $2; wall[key] = $4; cpu[key] = $5 }
		{ rows[NR] = $0 }
		END {
			for (i = 1; i <= NR; i++) {
				split(rows[i], f, " ")
				s = f[1]; c = f[2]; cmp = ""
				if (c ~ /^check/ && (s " floor-all") in wall)
					cmp = sprintf("%.2f× floor-all", f[4] / wall[s " floor-all"])
				if (c ~ /^report$|^report-1thread$/ && (s " duckdb") in wall)
					cmp = sprintf("%.2f× DuckDB", f[4] / wall[s " duckdb"])
				if ((c == "duckdb" || c == "sqlite3") && (s " report") in wall)
					cmp = sprintf("sales report is %.2f× this", wall[s " report"] / f[4])
				# CPU too: on a loaded machine the wall ratio says little
				if (c == "export-normalized" && (s " export-csv") in wall)
					cmp = sprintf("%.2f× export-csv, CPU %.2f× (goal ≤ 1.5×)",
						      f[4] / wall[s " export-csv"],
						      cpu[s " export-csv"] > 0 ? f[5] / cpu[s " export-csv"] : 0)
				if (c == "lead-add" && (s " lead-add-dup") in wall)
					cmp = sprintf("append: %+.3f s over the scan", f[4] - wall[s " lead-add-dup"])
				if (c == "check-1thread" && (s " check") in wall)
					cmp = cmp sprintf("; 1 thread ÷ 2 threads %.2f×", f[4] / wall[s " check"])
				if (c == "report-1thread" && (s " report") in wall)
					cmp = cmp sprintf("; 1 thread ÷ 2 threads %.2f×", f[4] / wall[s " report"])
				if (c == "report" && (s " duckdb-join") in wall)
					cmp = cmp sprintf("; %.2f× DuckDB join", f[4] / wall[s " duckdb-join"])
				if (c == "export-leads-json" && (s " export-leads-csv") in wall)
					cmp = sprintf("%.2f× export-leads-csv (goal ≤ 1.5×)", f[4] / wall[s " export-leads-csv"])
				if (f[7] != 0 && c !~ /lead-add-dup|^check/)
					cmp = cmp (cmp ? "; " : "") "exit " f[7]
				printf "| %s | %s | %.1f | %.3f | %.0f | %.3f | %.1f | %.2f | %s |\n",
				       s, c, f[3] / 1e6, f[4], f[3] / 1e6 / (f[4] > 0 ? f[4] : 1),
				       f[5], f[6] / 1024, f[8], cmp
			}
		}' "$RUNDIR/rows"
	echo
	echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Date: $(date -u +%Y-%m-%d). SALES_TODAY=$SALES_TODAY, quarter $QUARTER. Command: \`make bench\` (peers: \`make -C tests/bench bench-peers\` first)."
	echo "Load average at the start: $LOAD_START; the run took $(( $(date +%s) - T_START )) s."
	echo
	echo "Issue 14's targets (wall times as the issue measured them; CPU ratios beside):"
	echo
	[ -n "$verdict" ] && { echo "$verdict"; echo; }
	targets
	if [ -s "$NOTES" ]; then
		echo
		echo "Notes:"
		cat "$NOTES"
	fi
} >"$RESULTS"
cat "$RESULTS"
