#!/bin/sh
# bench.sh - times `sales` on the generated workbooks, as whole processes.
#
#   sh bench.sh path/to/sales        (run by `make bench`; see the Makefile)
#
# Each case runs $RUNS times (default 3); the table shows the median wall
# time, the MB/s it means over the bytes of the sheets the case reads, the
# median CPU time (user + system: on a busy machine it says what the run
# cost), and the largest peak RSS.  Cases whose command does not exist yet
# are skipped with a note.  The DuckDB and sqlite3 peers (make bench-peers)
# compute the same 2023Q4 KPI table; their numbers are checked against
# `sales report --format csv` before their times count.
#
# Writes out/results.md and prints it.  Environment: SIZES ("10k 100k 1m"),
# RUNS (3), SALES_TODAY (2024-06-30: the generated data ends there).
set -u
SALES=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/out
SIZES=${SIZES:-10k 100k 1m}
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

# run SIZE CASE BYTES [PREP] -- COMMAND...: RUNS timed runs of COMMAND
# (PREP, a shell snippet, runs untimed before each).  Appends a row to
# $RUNDIR/rows: size case bytes wall cpu rss_kb status.  The last run's
# stdout is kept in $RUNDIR/SIZE-CASE.out.
run() {
	size=$1 case=$2 nbytes=$3 prep=$4
	shift 5
	: >"$RUNDIR/times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		[ -n "$prep" ] && sh -c "$prep"
		"$MEASURE" "$RUNDIR/$size-$case.out" "$RUNDIR/$size-$case.err" "$@" >>"$RUNDIR/times"
		i=$((i + 1))
	done
	awk -v size="$size" -v case="$case" -v bytes="$nbytes" '
		{ wall[NR] = $1; cpu[NR] = $4; if ($2 > rss) rss = $2; st = $3 }
		function median(a, n,    i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		END { printf "%s %s %d %.4f %.4f %d %d\n", size, case, bytes,
		      median(wall, NR), median(cpu, NR), rss, st }' \
		"$RUNDIR/times" >>"$RUNDIR/rows"
	tail -n 1 "$RUNDIR/rows" | awk '{ printf "  %-5s %-22s %8.3f s  %6.0f MB/s  %6.1f MB RSS  exit %d\n",
		$1, $2, $4, $3 / 1e6 / ($4 > 0 ? $4 : 1), $6 / 1024, $7 }' >&2
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

	run "$size" "floor-all" "$all" "" -- "$OUT/count" "$W"/*.csv
	run "$size" "floor-kpi" "$kpi" "" -- "$OUT/count" "$W/01-leads.csv" \
		"$W/04-contracts.csv" "$W/07-followups.csv" "$W/08-kpi.csv"

	if have_command check; then
		run "$size" "check" "$all" "" -- "$SALES" -C "$W" check
		run "$size" "check-1thread" "$all" "" -- env SALES_THREADS=1 "$SALES" -C "$W" check
		same "$size" check check-1thread
	else
		[ "$size" = "$(echo $SIZES | cut -d' ' -f1)" ] && note "sales check skipped: not built yet"
	fi
	if have_command report; then
		run "$size" "report" "$kpi" "" -- "$SALES" -C "$W" report --quarter $QUARTER
		run "$size" "report-1thread" "$kpi" "" -- env SALES_THREADS=1 "$SALES" -C "$W" report --quarter $QUARTER
		same "$size" report report-1thread
		run "$size" "report-csv" "$kpi" "" -- "$SALES" -C "$W" report --quarter $QUARTER --format csv
		run "$size" "report-funnel" "$stages" "" -- "$SALES" -C "$W" report funnel --quarter $QUARTER
		if [ -n "$DUCKDB_OK" ]; then
			run "$size" "duckdb" "$kpi" "" -- node "$HERE/peers/duckdb-kpi.mjs" "$W" $QUARTER "$SALES_TODAY"
			if agree "$size" duckdb >"$RUNDIR/$size-duckdb.agree"; then
				echo "  duckdb agrees with sales report" >&2
			else
				note "$size: DuckDB's numbers differ from sales report: $(tr '\n' ';' <"$RUNDIR/$size-duckdb.agree")"
			fi
		fi
		if [ -n "$SQLITE_OK" ]; then
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

# ---- the table ----

{
	echo "| workbook | case | MB read | wall s (median of $RUNS) | MB/s | CPU s | peak RSS MB | compared |"
	echo "|---|---|---:|---:|---:|---:|---:|---|"
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
				if (f[7] != 0 && c !~ /lead-add-dup|^check/)
					cmp = cmp (cmp ? "; " : "") "exit " f[7]
				printf "| %s | %s | %.1f | %.3f | %.0f | %.3f | %.1f | %s |\n",
				       s, c, f[3] / 1e6, f[4], f[3] / 1e6 / (f[4] > 0 ? f[4] : 1),
				       f[5], f[6] / 1024, cmp
			}
		}' "$RUNDIR/rows"
	echo
	echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Date: $(date -u +%Y-%m-%d). SALES_TODAY=$SALES_TODAY, quarter $QUARTER. Command: \`make bench\` (peers: \`make -C tests/bench bench-peers\` first)."
	if [ -s "$NOTES" ]; then
		echo
		echo "Notes:"
		cat "$NOTES"
	fi
} >"$RESULTS"
cat "$RESULTS"
