#!/bin/sh
# demo.sh - run the main job of `sales` on the example workbook.
#
#   sh examples/demo.sh ./sales
#
# Copies the workbook beside this script to a temporary folder (examples/ is
# never modified), fixes "today" at 2024-01-15 and runs the commands a team
# runs every week: export the leads and surveys, explain the lead scores,
# one customer's story, `check`, the 2023Q4 KPI report, the funnel and the
# to-do list.  Exits non-zero when any command
# that ran failed; a `check` that finds problems (exit 1) counts as a
# failure, because the example workbook is meant to be clean.

SALES=${1:-./sales}
case $SALES in
*/*)
	if ! [ -x "$SALES" ]; then
		echo "demo.sh: $SALES: not an executable (build it with make)" >&2
		exit 2
	fi
	SALES=$(cd "$(dirname "$SALES")" && pwd)/$(basename "$SALES")
	;;
esac

here=$(cd "$(dirname "$0")" && pwd) || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sales-demo.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp "$here"/*.csv "$tmp"/ || exit 2
for f in "$here"/*.conf; do
	[ -f "$f" ] && { cp "$f" "$tmp"/ || exit 2; }
done

SALES_TODAY=2024-01-15
export SALES_TODAY
unset SALES_DIR

status=0

run() {
	echo "\$ sales $*" >&2
	"$SALES" -C "$tmp" "$@"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "demo.sh: sales $*: exit $rc" >&2
		status=1
	fi
	echo >&2
}

run export leads --format csv
run export surveys --format json
run score --explain
run status 科技有限公司
run check
run report --quarter 2023Q4
run report funnel
run due --within 90

cat >&2 <<'EOF2'
Next, for your own team: sales init DIR, then fill in DIR/team.csv first
(姓名, 角色, 区域: every 负责人 and every approver must be listed there with
their role), then add leads with sales -C DIR lead add.  See man sales.
EOF2
exit $status
