# t_spreadsheet.sh - what real spreadsheets do to a workbook (issue 13):
# encodings decided by the whole file, exports for Excel.

# The issue's measured cases: a GBK header that is valid UTF-8 (状态) was
# refused as "not valid UTF-8"; a GBK file whose only non-ASCII cells are
# 女 was read as Ů.
test_encoding_gbk_header_valid_as_utf8() {
	printf 'ID,状态,客户名称\r\n1,跟进中,华瑞精密\r\n' | iconv -f UTF-8 -t GBK >g.csv
	sales export ./g.csv --format ndjson
	expect_rc 0
	expect_out_text '{"ID":"1","状态":"跟进中","客户名称":"华瑞精密"}'
}

test_encoding_gbk_only_nv() {
	printf 'ID,name,sex\r\n1,Li,女\r\n2,Wang,女\r\n' | iconv -f UTF-8 -t GBK >g.csv
	sales export ./g.csv --format ndjson
	expect_rc 0
	expect_out_has '{"ID":"1","name":"Li","sex":"女"}'
	expect_out_lacks 'Ů'
}

# A file in two encodings: the first line that disagrees is named.
test_encoding_mixed_names_line() {
	printf 'ID,客户名称\r\n1,华瑞精密\r\n' | iconv -f UTF-8 -t GBK >m.csv
	printf '2,东方物流\r\n' >>m.csv
	sales export ./m.csv
	expect_rc 2
	expect_err_has 'm.csv:3:B3: mixed encodings: this cell is UTF-8 but the file is GBK/GB18030'
}

# --encoding and sales.conf's csv.encoding override the detection; the
# option wins over the file.
test_encoding_override() {
	example_workbook wb
	for f in wb/*.csv; do
		sed '1s/^\xEF\xBB\xBF//' "$f" | iconv -f UTF-8 -t GBK >t.csv && mv t.csv "$f"
	done
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	printf '[csv]\n\tencoding = utf-8\n' >>wb/sales.conf
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 2
	expect_err_has 'is not valid UTF-8 (file read as UTF-8 as --encoding or csv.encoding says)'
	SALES_TODAY=2024-01-15 sales -C wb --encoding gbk check
	expect_rc 0
	sales --encoding latin1 export leads
	expect_rc 2
	expect_err_has "unknown encoding 'latin1'"
}

# export --bom: what Chinese Excel opens as UTF-8 ("CSV UTF-8"): a BOM and
# CRLF; --encoding gbk: its plain "CSV (逗号分隔)".
test_export_bom_crlf() {
	example_workbook wb
	sales -C wb export leads
	cp "$out" plain.csv
	sales -C wb export leads --bom
	expect_rc 0
	[ "$(head -c 3 "$out" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no BOM"
	[ "$(tail -c +4 "$out" | tr -d '\r' | cmp - plain.csv && echo same)" = same ] || fail "--bom changed the text"
	[ "$(grep -c "$(printf '\r')\$" "$out")" = "$(wc -l <plain.csv)" ] || fail "not every line ends in CRLF"
}

test_export_gbk() {
	example_workbook wb
	sales -C wb export leads --format tsv
	cp "$out" plain.tsv
	sales -C wb export leads --format tsv --encoding gbk
	expect_rc 0
	if iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1; then fail "output is UTF-8, not GBK"; fi
	iconv -f GBK -t UTF-8 "$out" | tr -d '\r' >back.tsv
	cmp -s back.tsv plain.tsv || fail "GBK export does not read back as the UTF-8 one"
	sales -C wb export leads --format json --encoding gbk
	expect_rc 2
	sales -C wb export leads --bom --encoding gbk
	expect_rc 2
}

# Lock files: LibreOffice's .~lock.NAME# (its line, as LibreOffice 7.4
# writes it) and Excel's/WPS's ~$NAME (a length byte and the name, then the
# name in UTF-16LE from byte 54): every writing command names the program
# and the user.
test_lock_libreoffice() {
	example_workbook wb
	printf ',zhangwei,pc-12,02.12.2026 09:30,file:///home/zhangwei/.config/libreoffice/4;' >'wb/.~lock.01-leads.csv#'
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --note 已回电
	expect_rc 0
	expect_err_has '01-leads.csv is open in LibreOffice (by zhangwei, on pc-12, since 02.12.2026 09:30, lock file .~lock.01-leads.csv#): close it there without saving'
	# the full name, when LibreOffice has one, is the user shown
	printf '张伟,zhangwei,pc-12,02.12.2026 09:30,file:///x;' >'wb/.~lock.02-surveys.csv#'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_err_has '02-surveys.csv is open in LibreOffice (by 张伟, on pc-12'
}

test_lock_excel_owner() {
	example_workbook wb
	# "li.na" in the ANSI part, then again in UTF-16LE at byte 54
	{ printf '\005li.na'; head -c 48 /dev/zero | tr '\0' ' '; printf '\005\000'
	  printf 'l\000i\000.\000n\000a\000'; head -c 54 /dev/zero; } >'wb/~$01-leads.csv'
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --note 已回电
	expect_rc 0
	expect_err_has '01-leads.csv is open in Excel or WPS (by li.na, lock file ~$01-leads.csv)'
}

# --wait-unlocked=N waits for the lock file to go, then writes.
test_wait_unlocked() {
	example_workbook wb
	: >'wb/.~lock.01-leads.csv#'
	( sleep 1; rm -f 'wb/.~lock.01-leads.csv#' ) &
	SALES_TODAY=2024-01-15 sales -C wb --wait-unlocked=10 lead set YY商贸有限公司 --note 已回电
	wait
	expect_rc 0
	expect_err_has 'waiting up to 10 s'
	if grep -q 'is open in LibreOffice' "$errf"; then fail "warned after the lock was gone"; fi
}

# A spreadsheet copy newer than its sheet: the changes may be there.
test_newer_spreadsheet_copy() {
	example_workbook wb
	: >wb/01-leads.xlsx
	touch -d '2000-01-01' wb/01-leads.csv
	: >wb/05-实施计划.ods
	touch -d '2000-01-01' wb/05-plans.csv
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --note 已回电
	expect_rc 0
	expect_err_has '01-leads.xlsx is newer than 01-leads.csv: the latest changes may be in that Excel workbook (.xlsx)'
	expect_err_has '05-实施计划.ods is newer than 05-plans.csv: the latest changes may be in that OpenDocument spreadsheet (.ods, LibreOffice)'
	# an older copy is no news
	touch -d '1999-01-01' wb/01-leads.xlsx wb/05-实施计划.ods
	SALES_TODAY=2024-01-15 sales -C wb check
	if grep -q 'is newer than' "$errf"; then fail "warned about an older copy"; fi
}

# A sheet whose formula cells lost their apostrophe: a writing command that
# rewrites it names each live cell; `sales fix formulas` escapes them in one
# audited change, and the text reads back the same.
test_formulas_warned_and_fixed() {
	example_workbook wb
	cp "$ROOT/tests/corpus/bad/val-formulas.csv" wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb export leads
	cp "$out" before.csv
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --note 已回电
	expect_rc 0
	expect_err_has "01-leads.csv:2:M2: live formula cell '=HYPERLINK(\"http://x.example\",\"click\")' kept as it is"
	# (the edited row 3 is written escaped; the fix is tried on a fresh copy)
	rm -rf wb
	example_workbook wb
	cp "$ROOT/tests/corpus/bad/val-formulas.csv" wb/01-leads.csv
	sales -C wb fix formulas --dry-run
	expect_rc 0
	expect_out_has '01-leads.csv: '
	expect_out_has 'dry run: nothing written'
	sales -C wb fix formulas
	expect_rc 0
	grep -qF "'=HYPERLINK" wb/01-leads.csv || fail "not escaped in the file"
	grep -qF ',=' wb/01-leads.csv && fail "a live formula is left"
	# audit.csv escapes its own cells: old '=… reads =…, new ''=… reads '=…
	grep -qF ",备注,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",\"''=HYPERLINK(" wb/audit.csv ||
		fail "no audit row for M2"
	[ "$(grep -c ',fix,01-leads.csv,' wb/audit.csv)" = 4 ] || fail "not one audit row per cell"
	SALES_TODAY=2024-01-15 sales -C wb export leads
	cmp -s before.csv "$out" || fail "the cells' text changed"
	SALES_TODAY=2024-01-15 sales -C wb check injection
	expect_rc 0
	sales -C wb fix formulas
	expect_out_has 'nothing to fix'
}

# Damage a round trip through a spreadsheet does (number detection on, as
# measured with LibreOffice 7.4): each is reported with the cell.
test_damage_reported() {
	example_workbook wb
	sed -i 's/13956782046/2112345678/; s/仓储管理系统升级/1.10101199003071E+017/' wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "01-leads.csv:3:G3: error[values]: 联系方式 '2112345678' is a landline that lost its leading zero (02112345678)"
	expect_out_has "01-leads.csv:3:I3: warning[values]: 初步需求 '1.10101199003071E+017' is a number in scientific notation: a spreadsheet read a 18-digit string as a number and kept 15 of its digits"
}

# Dates a spreadsheet rewrote: read when unambiguous for a Chinese workbook
# (23年12月20日, 12/20/23, 20/12/2023), refused with the reason otherwise.
test_spreadsheet_dates() {
	example_workbook wb
	for v in 23年12月20日 12/20/23 20/12/2023; do
		sed -i "3s#,周敏,2023-10-08,#,周敏,$v,#" wb/01-leads.csv
		sales -C wb export leads --format ndjson
		expect_out_has "\"最后跟进时间\":\"$v\""
		# read as 2023-12-20: after an as-of date of 2023-12-01
		SALES_TODAY=2023-12-01 sales -C wb check timeliness
		expect_out_has "01-leads.csv:3:L3: error[timeliness]: 最后跟进时间 2023-12-20 lies in the future (as of 2023-12-01)"
		sed -i "3s#,周敏,$v,#,周敏,2023-10-08,#" wb/01-leads.csv
	done
	sed -i '3s#,周敏,2023-10-08,#,周敏,12/10/23,#' wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_has "01-leads.csv:3:L3: error[values]: 最后跟进时间 '12/10/23' is ambiguous: a spreadsheet wrote the date with the month first"
}

# The workbook as one .xlsx (libxlsxwriter): read back by gnumeric, the
# text cells keep their leading zeros and long digits, a formula-looking
# cell stays a string cell, dates are dates.
test_export_xlsx() {
	need_tool ssconvert "reads the .xlsx back (gnumeric)" || return 0
	need_tool unzip "looks inside the .xlsx" || return 0
	example_workbook wb
	sed -i 's/13956782046/02112345678/; s/仓储管理系统升级/0012/; s/决策人未明确/"=HYPERLINK(""http:\/\/x.example"")"/' wb/01-leads.csv
	sed -i '3s/,42,/,110101199003071234,/' wb/01-leads.csv
	sales -C wb export --format xlsx -o wb.xlsx
	expect_rc 0
	expect_err_has 'wrote wb.xlsx: 13 sheets'   # the example's 13 files, changes.csv included
	ssconvert -S wb.xlsx 'ss_%s.csv' >/dev/null 2>&1 || fail "ssconvert cannot read it"
	grep -qF ',02112345678,客户转介绍,0012,B类,' ss_01-leads.csv || fail "leading zeros lost"
	grep -qF ',110101199003071234,' ss_01-leads.csv || fail "18 digits lost"
	grep -qF '2023/10/08' ss_01-leads.csv || fail "a date is not a date"
	unzip -p wb.xlsx xl/worksheets/sheet1.xml >s1.xml
	if grep -q '<f>' s1.xml; then fail "a cell became a formula"; fi
	unzip -p wb.xlsx xl/sharedStrings.xml | grep -qF '<t>=HYPERLINK("http://x.example")</t>' ||
		fail "the formula text is not a string"
	grep -qF 'state="frozen"' s1.xml || fail "header not frozen"
	grep -qF '"A类,B类,C类"' s1.xml || fail "no drop-down for 线索等级"
	grep -qF '"新线索,跟进中,已签约,已丢单' s1.xml || fail "no drop-down for 客户状态"
	ls ss_*.csv | grep -q audit && fail "audit.csv exported"
	sales -C wb export --format xlsx -o one.xlsx contracts leads
	expect_err_has 'wrote one.xlsx: 2 sheets'
	sales -C wb export --format xlsx
	expect_rc 2
}

# sales import FILE.xlsx: the workbook exported, re-saved by LibreOffice and
# by gnumeric (each writes its own styles, shared strings, date formats),
# imports as no change at all; a rep's edits come back as one audited
# change, validated, all or nothing.
xlsx_workbook() {
	example_workbook wb
	sed -i 's/13956782046/02112345678/; s/仓储管理系统升级/0012/; s/决策人未明确/"=HYPERLINK(""http:\/\/x.example"")"/' wb/01-leads.csv
	sed -i '3s/,42,/,110101199003071234,/' wb/01-leads.csv
}

test_import_resaved_xlsx_changes_nothing() {
	need_tool soffice "re-saves the .xlsx as a rep would (LibreOffice)" || return 0
	need_tool ssconvert "re-saves the .xlsx (gnumeric)" || return 0
	xlsx_workbook
	sales -C wb export --format xlsx -o wb.xlsx
	soffice -env:UserInstallation="file://$PWD/lo-profile" --headless \
		--convert-to xlsx --outdir lo wb.xlsx >/dev/null 2>&1 || fail "soffice failed"
	ssconvert wb.xlsx gn.xlsx >/dev/null 2>&1 || fail "ssconvert failed"
	snapshot wb
	for f in wb.xlsx lo/wb.xlsx gn.xlsx; do
		SALES_TODAY=2024-01-15 sales -C wb import "$f"
		expect_rc 0
		expect_out_has 'nothing to change'
	done
	expect_unchanged wb
}

test_import_changes_audited() {
	need_tool ssconvert "re-saves the .xlsx (gnumeric)" || return 0
	xlsx_workbook
	cp -r wb edited
	sed -i '3s/,跟进中,/,已丢单,/; 3s/,周敏,2023-10-08,/,周敏,2024-01-12,/' edited/01-leads.csv
	sales -C edited export --format xlsx -o e.xlsx
	ssconvert e.xlsx edited.xlsx >/dev/null 2>&1
	SALES_TODAY=2024-01-15 sales -C wb import edited.xlsx --dry-run
	expect_rc 0
	expect_out_has "01-leads.csv:O3: 客户状态: '跟进中' -> '已丢单'"
	expect_out_has "01-leads.csv:L3: 最后跟进时间: '2023-10-08' -> '2024-01-12'"
	expect_out_has 'dry run: 2 changes, nothing written'
	SALES_TODAY=2024-01-15 sales -C wb import edited.xlsx
	expect_rc 0
	sales -C wb export leads
	expect_out_has ',周敏,2024-01-12,'
	expect_out_has ',已丢单,'
	expect_out_has ',02112345678,客户转介绍,0012,'
	[ "$(grep -c ',import ' wb/audit.csv)" = 2 ] || [ "$(grep -c ',import,' wb/audit.csv)" = 2 ] ||
		fail "not one audit row per changed cell"
	# a bad value refuses the whole import, naming the cell
	sed -i '3s/,已丢单,/,进行中,/; 2s/,张伟,/,李四,/' edited/01-leads.csv
	sales -C edited export --format xlsx -o bad.xlsx
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb import bad.xlsx
	expect_rc 2
	expect_err_has "01-leads.csv:O3: 客户状态 '进行中'"
	expect_err_has 'nothing imported'
	expect_unchanged wb
}

# A number cell where the sheet holds a digit string: the spreadsheet's
# damage (0012 -> 12, 18 digits -> 1.10101199003071E+17), kept, with a note.
test_import_keeps_damaged_digits() {
	need_tool ssconvert "turns the text cells into numbers, as a rep's Excel would" || return 0
	xlsx_workbook
	sales -C wb export leads
	cp "$out" l.csv
	# a CSV opened with number detection and saved as .xlsx
	ssconvert l.csv 01-leads.xlsx >/dev/null 2>&1 || fail "ssconvert failed"
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb import 01-leads.xlsx
	expect_rc 0
	expect_out_has "01-leads.csv:I3: '0012' became '12': a spreadsheet dropped the leading zeros; '0012' is kept"
	expect_out_has "01-leads.csv:G3: '02112345678' became '2112345678': a spreadsheet dropped the leading zeros"
	expect_unchanged wb
}
