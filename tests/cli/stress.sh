#!/bin/sh
# stress.sh ./sales [ROUNDS]: the crash and concurrency tests ROUNDS times
# in a row (default 10), heavier than in `make test`: CRASH_ROUNDS kills
# per command (default 25) and CONCURRENT_CMDS commands per process
# (default 100, 8 processes).  Stops at the first failing round.
set -u
bin=$1
rounds=${2:-10}
here=$(dirname "$0")
export CRASH_ROUNDS=${CRASH_ROUNDS:-25} CONCURRENT_CMDS=${CONCURRENT_CMDS:-100}
i=1
while [ "$i" -le "$rounds" ]; do
	start=$(date +%s)
	for t in crash concurrent_writers; do
		if ! sh "$here/run.sh" "$bin" "$t"; then
			echo "stress: round $i of $rounds failed ($t)"
			exit 1
		fi
	done
	echo "stress: round $i of $rounds passed in $(($(date +%s) - start)) s"
	i=$((i + 1))
done
echo "stress: $rounds rounds passed"
