#!/bin/sh
# run.sh SECONDS FUZZER...: runs each fuzzer (bin/FUZZER) for SECONDS on its
# seeds plus its saved corpus, one after the other, and prints per fuzzer:
# run time, executions, corpus size, findings.  Exits 1 on any finding
# (the input is kept as bin/crash-*, bin/leak-*, bin/timeout-* or bin/oom-*).
set -u
secs=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
status=0
for f in "$@"; do
	corpus=bin/corpus/$f
	mkdir -p "$corpus"
	log=bin/$f.log
	start=$(date +%s)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"bin/$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix=bin/ \
		"$corpus" "bin/seeds/$f" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	units=$(ls "$corpus" | wc -l)
	if [ "$rc" = 0 ]; then
		findings=none
	else
		findings="FAILED (exit $rc): $(grep -m1 -E 'ERROR|SUMMARY|property failed|runtime error' "$log")"
		status=1
	fi
	echo "fuzz: $f: $((end - start)) s, ${execs:-?} executions, corpus $units inputs, findings: $findings"
	[ "$rc" = 0 ] || tail -n 40 "$log" | sed 's/^/    /'
done
exit $status
