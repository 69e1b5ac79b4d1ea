#!/bin/sh
# sqlite-kpi.sh - the bench's sqlite3 peer: imports the three sheets into an
# in-memory database and runs kpi.sql, with pd(x) written out as an
# expression (sqlite has no macros) that reads every date form of SPEC §3
# as a julianday number.
#
#   sh sqlite-kpi.sh WORKBOOK QUARTER AS_OF      prints metric,actual,before
set -eu
dir=$1 quarter=$2 asof=$3
here=$(cd "$(dirname "$0")" && pwd)
y=${quarter%Q*} q=${quarter#*Q}
m1=$(printf %02d $((3 * q - 2)))
m3=$((3 * q))
last_day() { # year month -> last day of the month
	case $2 in 2) if [ $(($1 % 4)) = 0 ] && { [ $(($1 % 100)) != 0 ] || [ $(($1 % 400)) = 0 ]; }; then echo 29; else echo 28; fi ;;
	4|6|9|11) echo 30 ;; *) echo 31 ;; esac
}
by=$((y - 1))
case $asof in *-02-29) basof="$((${asof%%-*} - 1))-02-28" ;; *) basof="$((${asof%%-*} - 1))-${asof#*-}" ;; esac
m3p=$(printf %02d $m3)
N="replace(replace(replace(replace(replace(trim(\\1),'年','-'),'月','-'),'日',''),'\\/','-'),'.','-')"
R="substr($N,6)"
PD="julianday(printf('%04d-%02d-%02d', CAST(substr($N,1,4) AS INT), CAST(substr($R,1,instr($R,'-')-1) AS INT), CAST(substr($R,instr($R,'-')+1) AS INT)))"
{
	printf '.mode csv\n'
	printf '.import --csv %s l01\n' "$dir/01-leads.csv"
	printf '.import --csv %s c04\n' "$dir/04-contracts.csv"
	printf '.import --csv %s f07\n' "$dir/07-followups.csv"
	printf '.mode list\n.separator ,\n.headers off\n'
	printf "CREATE TABLE periods AS SELECT 0 AS p, julianday('%s-%s-01') AS f, julianday('%s-%s-%s') AS l, julianday('%s') AS a\n" \
		"$y" "$m1" "$y" "$m3p" "$(last_day "$y" "$m3")" "$asof"
	printf "  UNION ALL SELECT 1, julianday('%s-%s-01'), julianday('%s-%s-%s'), julianday('%s');\n" \
		"$by" "$m1" "$by" "$m3p" "$(last_day "$by" "$m3")" "$basof"
	sed "s/pd(\\(\"[^\"]*\"\\))/$PD/g; s/AS DOUBLE/AS REAL/g" "$here/kpi.sql"
} | sqlite3 :memory:
