#!/bin/sh
# gen.sh NAME WORKBOOK SHEET: makes the bad input NAME as WORKBOOK/SHEET at
# test time (too big to commit, or not a plain file).  WORKBOOK is a copy of
# examples/ and SHEET one of its files.  See MANIFEST for what sales does
# with each.
set -eu
name=$1
wb=$2
sheet=$3
f=$wb/$sheet
header=$(head -n 1 "$f" | tr -d '\r')
row=$(sed -n 2p "$f" | tr -d '\r')

# repeat N TEXT: TEXT N times (N a power of two), without a loop per line
repeat() {
	printf '%s' "$2" >"$f.rep"
	n=1
	while [ "$n" -lt "$1" ]; do
		cat "$f.rep" "$f.rep" >"$f.rep2"
		mv "$f.rep2" "$f.rep"
		n=$((n * 2))
	done
	cat "$f.rep"
	rm -f "$f.rep"
}

case $name in
big-cell)	# a 1 MB 备注 (note) in the second row
	{ printf '%s\r\n%s\r\n' "$header" "$row"
	  printf '2,YY商贸有限公司,零售,100-300人/1亿以下,马总,运营总监,13956782046,客户转介绍,仓储管理系统升级,B类,周敏,2023-10-08,"'
	  repeat 65536 '长备注,""abcd'    # 16 bytes: 1 MiB
	  printf '",2023-10-08,跟进中,华东,仓储管理,42\r\n'; } >"$f.new" ;;
wide)		# 10,000 columns: the sheet's own and 9,982 user columns
	{ printf '%s' "$header"
	  i=0; while [ $i -lt 9982 ]; do printf ',自定义%d' $i; i=$((i + 1)); done
	  printf '\r\n%s' "$row"
	  repeat 8192 ',x' | head -c 19964
	  printf '\r\n'; } >"$f.new" ;;
million-empty-rows)	# the data, then 1,048,576 empty CRLF lines
	{ cat "$f"
	  repeat 1048576 "$(printf '\r_')" | tr _ '\n'; } >"$f.new" ;;
million-empty-cr-rows)	# the same with old Mac Excel's CR-only line ends
	{ tr -d '\n' <"$f"
	  repeat 1048576 "$(printf '\r')"; } >"$f.new" ;;
million-comma-rows)	# Excel's "used range": 1,000,000 rows of empty cells
	{ cat "$f"
	  repeat 1048576 ',,,,,,,,,,,,,,,,,
' | head -n 1000000 | sed 's/$/\r/'; } >"$f.new" ;;
deep-multiline-cell)	# one quoted cell holding 100,000 line breaks
	{ printf '%s\r\n' "$header"
	  printf '1,科技有限公司,制造业,500-1000人/5亿以上,王经理,采购总监,13816274590,行业展会,采购自动化设备,A类,张伟,2024-01-10,"'
	  repeat 131072 '行
' | head -n 100000
	  printf '",2023-09-28,已签约,华东,智能物流,85\r\n'; } >"$f.new" ;;
unterminated-big)	# a quote opened on line 3 and 1 MB of rows after it
	{ printf '%s\r\n%s\r\n' "$header" "$row"
	  printf '2,"YY商贸有限公司,零售\r\n'
	  repeat 16384 '3,某公司,制造业,,,,,,,,,,,,,,,
' | head -c 1048576; } >"$f.new" ;;
directory)	# the sheet is a folder
	rm -f "$f"; mkdir "$f"; exit 0 ;;
unreadable)	# no read permission (as root this cannot be tested)
	chmod 000 "$f"; exit 0 ;;
excel-lock)	# Excel or WPS has the sheet open: ~$ lock file beside it
	printf 'user' >"$wb/~\$$sheet"; exit 0 ;;
dangling-symlink)	# a link to a file that is gone (a synced folder)
	rm -f "$f"; ln -s "$wb/no-such-file.csv" "$f"; exit 0 ;;
missing)	# the sheet was deleted
	rm -f "$f"; exit 0 ;;
*)
	echo "gen.sh: unknown input '$name'" >&2
	exit 2 ;;
esac
mv "$f.new" "$f"
