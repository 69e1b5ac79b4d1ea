#!/bin/sh
# tests/bench/writers.sh OLD NEW: the writing commands that change one row,
# at 1M leads, each run on a fresh copy of out/wb-1m (make workbooks), three
# runs per binary, median wall time and peak RSS.  The README's writer table
# comes from it (OLD: a build of an earlier commit).  Takes a few minutes
# and 1.5 GB of space in $TMPDIR.
set -eu
OLD=$1 NEW=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/out/wb-1m
[ -d "$SRC" ] || { echo "writers.sh: no $SRC (make -C tests/bench workbooks)" >&2; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SALES_TODAY=2024-06-30
# the generated workbook's rows (gen.c, fixed seeds): a customer with an
# acceptance, contracts waiting, approved, signed and unpaid, rejected, and
# the first lead put into the pool, a proposal not reviewed yet (and a
# 销售主管 to review it: the generated team has none), the pool's recall,
# a rep's handover (16 714 customers, 18 122 cells), and fix formulas,
# which reads every sheet (the generated workbook has no live formula: what
# it costs to find that out; fix damage reads only the sheets audit.csv
# says sales wrote into, and the generated audit.csv is empty)
set -- \
 "followup add --customer 北京兴晟恒精密机械有限公司 --date 2024-06-29 --satisfaction 4 --by 张军" \
 "approve HT20220000018 --as 销售经理 --by 张军" \
 "contract sign HT20220000014 --date 2024-06-29 --payment-due 2024-07-29" \
 "contract paid HT20220000098 --date 2024-06-30" \
 "contract resubmit HT20220000024 --amount 400" \
 "pool claim 上海凯恒恒精密机械有限公司 --by 林秀英" \
 "solution review 上海达美金物流股份有限公司 --by 王敏 --pass" \
 "pool recall" \
 "handover 林秀英 --to 何军 --all" \
 "fix formulas"
for c in "$@"; do
	for b in "$OLD" "$NEW"; do
		for i in 1 2 3; do
			rm -rf "$W/wb" && cp -r "$SRC" "$W/wb"
			sed -i '2s/,已丢单,/,公海,/' "$W/wb/01-leads.csv"
			printf '王敏,销售主管,华东\r\n' >>"$W/wb/team.csv"
			# recall after 5 working days: some 54 000 leads return
			case $c in "pool recall")
				printf '[pool]\n\trecall_days_A = 5\n\trecall_days_B = 5\n\trecall_days_C = 5\n' >"$W/wb/sales.conf" ;;
			esac
			# shellcheck disable=SC2086
			/usr/bin/time -f "%e %M" "$b" -C "$W/wb" $c >/dev/null 2>"$W/err" || true
			tail -n 1 "$W/err"
		done | sort -n | sed -n 2p |
			awk -v c="$c" -v b="$b" '{ printf "%-40.40s %-24s %6.2f s %8.1f MB\n", c, b, $1, $2 / 1024 }'
	done
done
