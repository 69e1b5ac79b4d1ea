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
	# the command that brings them back, as typed from here
	expect_err_has "bring them in with 'sales import wb/01-leads.xlsx'"
	expect_err_has '05-实施计划.ods is newer than 05-plans.csv: the latest changes may be in that OpenDocument spreadsheet (.ods, LibreOffice)'
	expect_err_has "save it as an Excel workbook (.xlsx) and bring it in with 'sales import wb/05-实施计划.xlsx'"
	touch -d '2000-01-01' wb/01-leads.csv   # (lead set rewrote it)
	(cd wb && SALES_TODAY=2024-01-15 "$SALES_BIN" check >/dev/null 2>"$errf")
	expect_err_has "bring them in with 'sales import 01-leads.xlsx'"
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
	expect_out_has "01-leads.csv:I3: '0012' became '12': a spreadsheet read the digits as a number and dropped the leading zeros; '0012' is kept"
	expect_out_has "01-leads.csv:G3: '02112345678' became '2112345678': a spreadsheet read the digits as a number and dropped the leading zeros"
	expect_unchanged wb
}

# A workbook whose dangerous values sales itself wrote (so audit.csv holds
# them): a landline, a contract ID with leading zeros, an 18-digit ID,
# text that looks like a date or a number, formula-looking text.
damage_workbook() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb lead add 华东测试有限公司 --industry 制造业 \
		--contact 李工 --phone 01062345678 --need 1/2 --note 'Jan 5' --source 3-4 \
		--owner 张伟 --registered 2024-01-10 --last-contact 2024-01-10 --grade B类 \
		--region 华东 --product-line +10
	[ "$rc" = 0 ] || fail "lead add: $(cat "$errf")"
	SALES_TODAY=2024-01-15 sales -C wb lead add 第二公司 --phone 075512345678 \
		--need 110101199003071234 --note '=HYPERLINK("http://x.example")' \
		--source '@SUM(A1)' --owner 张伟 --registered 2024-01-11 --region 华南 \
		--product-line -5
	[ "$rc" = 0 ] || fail "lead add: $(cat "$errf")"
	# formula-looking text that starts with + or - (sales writes it escaped)
	SALES_TODAY=2024-01-15 sales -C wb lead add 符号公司 --phone '+86 13812345678' \
		--need '-降价10%' --note '+加急' --owner 张伟 --registered 2024-01-11 --region 华南
	[ "$rc" = 0 ] || fail "lead add: $(cat "$errf")"
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract 0012 --customer 科技有限公司 --amount 100
	[ "$rc" = 0 ] || fail "contract add: $(cat "$errf")"
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract 110101199003071234 --customer 科技有限公司 --amount 50
	[ "$rc" = 0 ] || fail "contract add: $(cat "$errf")"
}

# Item 3: a cell that differs from what sales wrote, the way a spreadsheet
# changes it, is found through audit.csv -- the key itself too (合同编号
# 0012 -> 12), a 序号 renumbered, text turned into a date -- and named
# with file, line, cell, both values and the fix; `sales fix damage` puts
# the written values back in one audited change.  (The damage is typed
# here as LibreOffice 7.4 writes it; test_libreoffice_resaves_csv below
# has the real program do it.)
test_damage_found_through_audit() {
	damage_workbook
	SALES_TODAY=2024-01-15 sales -C wb check damage
	expect_rc 0
	line=$(grep -n '^3,华东测试有限公司,' wb/01-leads.csv | cut -d: -f1)
	sed -i 's/^3,华东测试有限公司,\(.*\),01062345678,3-4,1\/2,/7,华东测试有限公司,\1,1062345678,3-4,01\/02\/26,/' wb/01-leads.csv
	sed -i 's/^0012,/12,/; s/^110101199003071234,/1.10101199003071E+017,/' wb/04-contracts.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "01-leads.csv:$line:A$line: warning[damage]: 序号 is '7', but sales wrote '3' (audit.csv line 2): the 序号 was renumbered"
	expect_out_has "01-leads.csv:$line:G$line: error[damage]: 联系方式 is '1062345678', but sales wrote '01062345678' (audit.csv line 6): a spreadsheet read the digits as a number and dropped the leading zeros; put it back with 'sales fix damage', or type it again with an apostrophe in front"
	expect_out_has "01-leads.csv:$line:I$line: error[damage]: 初步需求 is '01/02/26', but sales wrote '1/2' (audit.csv line 8): a spreadsheet read the text as a date"
	expect_out_has "04-contracts.csv:3:A3: error[damage]: 合同编号 is '12', but sales wrote '0012' (audit.csv line "
	expect_out_has "commands find this row as '0012' only once it is put back: run 'sales fix damage'"
	expect_out_has "04-contracts.csv:4:A4: error[damage]: 合同编号 is '1.10101199003071E+017', but sales wrote '110101199003071234'"
	expect_out_has "it keeps 15 digits, the rest are gone"
	# a command that looks the contract up says where it went
	SALES_TODAY=2024-01-15 sales -C wb approve 0012 --as 销售经理 --by 吴磊
	expect_rc 1
	expect_err_has "no contract '0012' in 04-contracts.csv, but 04-contracts.csv:A3 holds '12': a spreadsheet read the digits as a number and dropped the leading zeros; run 'sales fix damage'"
	expect_unchanged wb
	sales -C wb fix damage --dry-run
	expect_rc 0
	expect_out_has "04-contracts.csv:A3: 合同编号: '12' -> '0012'"
	expect_out_has "01-leads.csv:I$line: 初步需求: '01/02/26' -> '1/2'"
	expect_out_has 'dry run: nothing written'
	expect_unchanged wb
	sales -C wb fix damage
	expect_rc 0
	expect_out_has '5 cells put back as sales wrote them'
	grep -q '^3,华东测试有限公司,.*,01062345678,3-4,1/2,' wb/01-leads.csv || fail "lead row not restored"
	grep -q '^0012,科技有限公司,' wb/04-contracts.csv || fail "0012 not restored"
	[ "$(grep -c ',fix,' wb/audit.csv)" = 5 ] || fail "not one audit row per cell"
	SALES_TODAY=2024-01-15 sales -C wb check damage
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb approve 0012 --as 销售经理 --by 吴磊
	expect_rc 0
	sales -C wb fix damage
	expect_out_has 'nothing to fix'
}

# Issue 14 item 5: fix damage rewrites each sheet record by record (not
# held): the records it does not change byte for byte, and -- as on a
# loaded sheet -- once the key is put back the row's later changes are
# audited under it (0034, not the 34 the spreadsheet left).
test_fix_damage_streams_and_audits_under_the_key_put_back() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract 0034 --customer 科技有限公司 --amount 80 --terms 1/2
	expect_rc 0
	tail -n 1 wb/04-contracts.csv >written
	[ "$(tr -d '\r' <written)" = '0034,科技有限公司,80,,1/2,,,,,待审批,,,' ] || fail "written: $(cat written)"
	sed -i 's/^0034,\(.*\),1\/2,/34,\1,01\/02\/26,/; 2s/^\([^,]*\),/"\1",/' wb/04-contracts.csv
	sed -n 2p wb/04-contracts.csv >quoted
	sales -C wb fix damage
	expect_rc 0
	expect_out_has "04-contracts.csv:A3: 合同编号: '34' -> '0034'"
	expect_out_has "04-contracts.csv:E3: 主要条款摘要: '01/02/26' -> '1/2'"
	expect_out_has '2 cells put back as sales wrote them'
	tail -n 1 wb/04-contracts.csv >got
	cmp -s written got || fail "row 3 after: $(cat got)"
	sed -n 2p wb/04-contracts.csv >got
	cmp -s quoted got || fail "row 2 not kept byte for byte: $(cat got)"
	tail -n 2 wb/audit.csv | cut -d, -f3- | tr -d '\r' >got
	printf 'fix,04-contracts.csv,34,合同编号,34,0034\nfix,04-contracts.csv,0034,主要条款摘要,01/02/26,1/2\n' >exp
	cmp -s exp got || { fail "audit rows"; diff exp got >&2; }
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

# Item 3: every command that reads or rewrites the workbook names each
# damaged cell on stderr (one line, file:line:cell, both values, the fix);
# stdout stays what it is without audit.csv's comparison; a clean workbook
# warns nothing more than the same workbook without audit.csv.
test_damage_warned_by_every_command() {
	damage_workbook
	line=$(grep -n '^3,华东测试有限公司,' wb/01-leads.csv | cut -d: -f1)
	# clean: stderr as without the comparison (no audit.csv at all)
	for c in "due" "report" "status 华东测试有限公司" "score"; do
		SALES_TODAY=2024-01-15 sales -C wb $c
		cp "$out" clean.out; cp "$errf" clean.err
		mv wb/audit.csv audit.keep
		SALES_TODAY=2024-01-15 sales -C wb $c
		mv audit.keep wb/audit.csv
		cmp -s "$out" clean.out || fail "$c: stdout differs on a clean workbook"
		cmp -s "$errf" clean.err || fail "$c: stderr differs on a clean workbook: $(cat clean.err)"
	done
	SALES_TODAY=2024-01-15 sales -C wb lead set 第二公司 --note 'clean'
	expect_rc 0
	expect_err_lacks 'but sales wrote'
	# damaged as LibreOffice writes it (see test_damage_found_through_audit)
	sed -i 's/^3,华东测试有限公司,\(.*\),01062345678,3-4,1\/2,/3,华东测试有限公司,\1,1062345678,3-4,01\/02\/26,/' wb/01-leads.csv
	sed -i 's/^0012,/12,/' wb/04-contracts.csv
	for c in "due" "report" "status 华东测试有限公司" "score" "due --format json" "report --format csv"; do
		SALES_TODAY=2024-01-15 sales -C wb $c
		expect_err_has "warning: 01-leads.csv:$line:G$line: 联系方式 is '1062345678', but sales wrote '01062345678' (audit.csv line 6): a spreadsheet read the digits as a number and dropped the leading zeros; read here as it is now: put it back with 'sales fix damage'"
		expect_err_has "warning: 01-leads.csv:$line:I$line: 初步需求 is '01/02/26', but sales wrote '1/2' (audit.csv line 8): a spreadsheet read the text as a date"
		expect_err_has "warning: 04-contracts.csv:3:A3: 合同编号 is '12', but sales wrote '0012' (audit.csv line "
		[ "$(grep -c 'but sales wrote' "$errf")" = 3 ] || fail "$c: not one line per damaged cell: $(cat "$errf")"
		# status lists check's findings (damage among them) on stdout
		case $c in status*) continue ;; esac
		grep 'but sales wrote' "$out" && fail "$c: a damage warning on stdout"
		# stdout byte-identical to the same sheets read without the comparison
		cp "$out" damaged.out
		mv wb/audit.csv audit.keep
		SALES_TODAY=2024-01-15 sales -C wb $c
		mv audit.keep wb/audit.csv
		cmp -s "$out" damaged.out || fail "$c: stdout changed by the warnings"
	done
	# a writer says so too, and keeps the damaged cells byte for byte
	SALES_TODAY=2024-01-15 sales -C wb lead set 第二公司 --note 'damaged'
	expect_rc 0
	expect_err_has "warning: 01-leads.csv:$line:G$line: 联系方式 is '1062345678', but sales wrote '01062345678' (audit.csv line 6): a spreadsheet read the digits as a number and dropped the leading zeros; this change keeps the damaged value: put it back with 'sales fix damage'"
	expect_err_has "warning: 04-contracts.csv:3:A3: 合同编号 is '12', but sales wrote '0012'"
	[ "$(grep -c 'but sales wrote' "$errf")" = 3 ] || fail "lead set: not one line per damaged cell"
	grep -q ',1062345678,3-4,01/02/26,' wb/01-leads.csv || fail "lead set rewrote the damaged cells"
	# check reports them as findings, not twice; fix damage names each once
	SALES_TODAY=2024-01-15 sales -C wb check damage
	expect_err_lacks 'but sales wrote'
	sales -C wb fix damage
	expect_rc 0
	expect_err_lacks 'but sales wrote'
	SALES_TODAY=2024-01-15 sales -C wb due
	expect_err_lacks 'but sales wrote'
}

# An edit a rep made on purpose is not damage: a value that is not what a
# spreadsheet makes of the written one is left alone.
test_damage_ignores_edits() {
	damage_workbook
	sed -i 's/,01062345678,/,13812345678,/; s/,1\/2,/,自动化仓储,/' wb/01-leads.csv
	sed -i 's/^0012,/HT0012,/' wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check damage
	expect_rc 0
	expect_out_lacks 'damage'
}

# ---- real spreadsheets on the CSV sheets themselves (item 8) ----
#
# A rep opens a sheet in LibreOffice Calc or gnumeric and saves it back as
# CSV.  These tests have the real programs do exactly that (Debian's
# libreoffice-calc-nogui and gnumeric, `make test-deps`), check that the
# damage is really there (the programs' own output, not ours), then
# require what sales says about each changed cell.  LibreOffice runs with a
# profile of the test's own (-env:UserInstallation) under a timeout; the
# filter options are those of shared SPREADSHEET-NOTES.md: comma, double
# quote, charset (76 UTF-8, 67 GBK), from line 1, column types, language
# (1033 en-US, 2052 zh-CN), "detect special numbers" on, as Excel does.

# lo_csv IN OUTDIR LANG [CHARSET [COLUMN-TYPES]]
lo_csv() {
	mkdir -p "$2"
	timeout 180 soffice -env:UserInstallation="file://$H/lo-profile" --headless \
		--infilter="CSV:44,34,${4:-76},1,${5:-},$3,false,true" \
		--convert-to "csv:Text - txt - csv (StarCalc):44,34,${4:-76},1,,$3,false,true,true,false" \
		--outdir "$2" "$1" >"$H/soffice.log" 2>&1 ||
		{ fail "soffice failed on $1: $(tail -n 3 "$H/soffice.log")"; return 1; }
	[ -s "$2/$(basename "$1")" ] || { fail "soffice wrote no $2/$(basename "$1")"; return 1; }
}

# gn_csv IN OUT: gnumeric's ssconvert reads a CSV and writes it back.
gn_csv() {
	timeout 180 ssconvert "$1" "$2" >"$H/ssconvert.log" 2>&1 ||
		{ fail "ssconvert failed on $1: $(tail -n 3 "$H/ssconvert.log")"; return 1; }
}

# has_out_re ERE: a line of stdout matches (for the year a spreadsheet
# gives a date without one: this year, as the machine's clock says).
has_out_re() {
	grep -qE -- "$1" "$out" || { fail "stdout matches no '$1'"; head -n 12 "$out" | sed 's/^/    stdout: /' >&2; }
}

# The sheets sales wrote, re-saved by LibreOffice (en-US, as Excel does
# with number detection): every damaged cell is named with what sales
# wrote; formula-looking text keeps its apostrophe there; `sales fix
# damage` puts everything back.
test_libreoffice_resaves_csv() {
	need_tool soffice "re-saves the sheets as a rep would (LibreOffice, make test-deps)" || return 0
	damage_workbook
	lo_csv wb/01-leads.csv lo 1033 || return 0
	lo_csv wb/04-contracts.csv lo 1033 || return 0
	# what LibreOffice did (measured, SPREADSHEET-NOTES.md)
	[ "$(head -c 3 lo/01-leads.csv | od -An -tx1 | tr -d ' ')" != efbbbf ] || fail "LibreOffice kept the BOM"
	grep -q '^3,华东测试有限公司,制造业,,李工,,1062345678,3-4,[0-9/]*,B类,' lo/01-leads.csv || fail "no damage in row 4: $(grep ^3, lo/01-leads.csv)"
	grep -qF ",75512345678,'@SUM(A1),1.10101199003071E+017," lo/01-leads.csv || fail "row 5 not as measured: $(grep ^4, lo/01-leads.csv)"
	grep -qF ",'+86 13812345678,,'-降价10%,,张伟,2024-01-11,'+加急," lo/01-leads.csv || fail "row 6 not as measured: $(grep ^5, lo/01-leads.csv)"
	grep -q '^12,科技有限公司,100,' lo/04-contracts.csv || fail "0012 kept"
	cp lo/01-leads.csv lo/04-contracts.csv wb/
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "01-leads.csv:4:G4: error[damage]: 联系方式 is '1062345678', but sales wrote '01062345678'"
	has_out_re "^01-leads.csv:4:I4: error\[damage\]: 初步需求 is '01/02/[0-9]{2}', but sales wrote '1/2' \(audit.csv line [0-9]+\): a spreadsheet read the text as a date"
	has_out_re "^01-leads.csv:4:M4: error\[damage\]: 备注 is '01/05/[0-9]{2}', but sales wrote 'Jan 5'"
	expect_out_has "01-leads.csv:4:Q4: warning[damage]: 产品线 is '10', but sales wrote '+10'"
	expect_out_has "01-leads.csv:5:G5: error[damage]: 联系方式 is '75512345678', but sales wrote '075512345678'"
	expect_out_has "01-leads.csv:5:I5: error[damage]: 初步需求 is '1.10101199003071E+017', but sales wrote '110101199003071234'"
	expect_out_has "04-contracts.csv:3:A3: error[damage]: 合同编号 is '12', but sales wrote '0012'"
	expect_out_has "04-contracts.csv:4:A4: error[damage]: 合同编号 is '1.10101199003071E+017', but sales wrote '110101199003071234'"
	# the validator's hints on the same cells
	expect_out_has "01-leads.csv:4:G4: error[values]: 联系方式 '1062345678' is a landline that lost its leading zero (01062345678)"
	# no silent misread: every cell LibreOffice changed is named
	[ "$(grep -c '\[damage\]' "$out")" = 8 ] || fail "expected 8 damage findings, got $(grep -c '\[damage\]' "$out")"
	# text LibreOffice left alone is not reported; the apostrophes stayed
	expect_out_lacks '线索来源 is'
	SALES_TODAY=2024-01-15 sales -C wb check injection
	expect_rc 0
	sales -C wb fix damage
	expect_rc 0
	expect_out_has '8 cells put back as sales wrote them'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	sales -C wb export leads
	expect_out_has ',01062345678,3-4,1/2,B类,'
	expect_out_has ",075512345678,'@SUM(A1),110101199003071234,"
	expect_out_has ',+10,'
	sales -C wb export contracts
	expect_out_has '0012,科技有限公司,100,'
}

# Columns typed as text on import (the careful rep): LibreOffice changes
# nothing but the BOM and line ends, and sales reports nothing.
test_libreoffice_text_columns_change_nothing() {
	need_tool soffice "re-saves the sheets (LibreOffice, make test-deps)" || return 0
	damage_workbook
	sales -C wb export leads
	cp "$out" before.csv
	lo_csv wb/01-leads.csv lo 1033 76 "$(seq 1 25 | sed 's/$/\/2/' | paste -sd/)" || return 0
	cmp -s lo/01-leads.csv before.csv || [ "$(sed '1s/^\xEF\xBB\xBF//' wb/01-leads.csv | tr -d '\r' | cmp - lo/01-leads.csv && echo same)" = same ] ||
		fail "LibreOffice changed text columns"
	cp lo/01-leads.csv wb/
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	expect_out_lacks 'damage'
	sales -C wb export leads
	expect_out before.csv
}

# LibreOffice in a Chinese locale writes dates back its own way: 2023.12.20
# becomes 12/20/23 (read: 20 cannot be a month), 2024.01.12 becomes 1/12/24
# (refused: either could be the month).  due and status list the payment
# whose 付款到期日 became unreadable instead of dropping it; the text 3-4
# turned into a date is damage.
test_libreoffice_zh_cn_dates() {
	need_tool soffice "re-saves the sheets (LibreOffice, make test-deps)" || return 0
	damage_workbook
	sed -i 's/^HT20231001,\(.*\),2023-10-25,2023-11-24,2023-11-20/HT20231001,\1,2023-10-25,2024.01.12,/' wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb due
	expect_rc 0
	expect_out_has '回款提醒'
	expect_out_has 'HT20231001 258万元, 付款到期日 2024-01-12, not paid'
	for f in 01-leads 04-contracts 06-acceptance 07-followups; do
		lo_csv wb/$f.csv lo 2052 || return 0
	done
	grep -q '^科技有限公司,12/20/23,' lo/06-acceptance.csv || fail "06 not as measured: $(sed -n 2p lo/06-acceptance.csv)"
	grep -q ',2023-10-25,1/12/24,' lo/04-contracts.csv || fail "04 not as measured: $(sed -n 2p lo/04-contracts.csv)"
	grep -q '^科技有限公司,1/10/24,' lo/07-followups.csv || fail "07 not as measured: $(sed -n 2p lo/07-followups.csv)"
	cp lo/*.csv wb/
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	has_out_re "^01-leads.csv:4:H4: error\[damage\]: 线索来源 is '3/4/[0-9]{2}', but sales wrote '3-4'"
	has_out_re "^01-leads.csv:4:I4: error\[damage\]: 初步需求 is '1/2/[0-9]{2}', but sales wrote '1/2'"
	expect_out_has "04-contracts.csv:2:L2: error[values]: 付款到期日 '1/12/24' is ambiguous"
	expect_out_has "07-followups.csv:2:B2: error[values]: 跟进时间 '1/10/24' is ambiguous"
	expect_out_lacks '06-acceptance.csv:2:B2'
	SALES_TODAY=2024-01-15 sales -C wb due
	expect_rc 0
	expect_out_lacks '回款提醒'
	expect_out_has 'date unreadable'
	expect_out_has "04-contracts.csv:L2: 付款到期日 '1/12/24' is ambiguous"
	expect_out_has "07-followups.csv:B2: 跟进时间 '1/10/24' is ambiguous"
	SALES_TODAY=2024-01-15 sales -C wb due --format json
	expect_out_has '"kind":"unreadable","label":"日期无法识别","date":null,"days":null,"customer":"科技有限公司","contract":"HT20231001","file":"04-contracts.csv","line":2,'
	SALES_TODAY=2024-01-15 sales -C wb status 科技有限公司
	expect_out_has 'Dates that cannot be read'
	expect_out_has "  04-contracts.csv:L2  付款到期日 '1/12/24': what it sets or meets is unknown"
	expect_out_has "  07-followups.csv:B2  跟进时间 '1/10/24'"
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2024Q1
	expect_err_has "07-followups.csv:2:B2: 跟进时间 '1/10/24' is not a date; left out of the KPIs"
}

# gnumeric: leading zeros and dates as LibreOffice, but it keeps the 18
# digits, writes dates as 2024/01/10 (read), and drops the apostrophe of
# an escaped formula: the cell is live again, named by the injection rule;
# `sales fix formulas` and `sales fix damage` repair everything.
test_gnumeric_resaves_csv() {
	need_tool ssconvert "re-saves the sheets as a rep would (gnumeric, make test-deps)" || return 0
	damage_workbook
	mkdir gn
	gn_csv wb/01-leads.csv gn/01-leads.csv || return 0
	gn_csv wb/04-contracts.csv gn/04-contracts.csv || return 0
	head -n 1 gn/01-leads.csv | grep -q '^序号,客户名称,行业,' || fail "header not kept: $(head -n 1 gn/01-leads.csv)"
	grep -qF ',1062345678,3-4,' gn/01-leads.csv || fail "row 4 not as measured: $(grep ^3, gn/01-leads.csv)"
	grep -qF ',75512345678,@SUM(A1),110101199003071234,,张伟,2024/01/11,"=HYPERLINK(""http://x.example"")",' gn/01-leads.csv ||
		fail "row 5 not as measured: $(grep ^4, gn/01-leads.csv)"
	cp gn/01-leads.csv gn/04-contracts.csv wb/
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "01-leads.csv:4:G4: error[damage]: 联系方式 is '1062345678', but sales wrote '01062345678'"
	has_out_re "^01-leads.csv:4:I4: error\[damage\]: 初步需求 is '[0-9]{4}/01/02', but sales wrote '1/2'"
	has_out_re "^01-leads.csv:4:M4: error\[damage\]: 备注 is '[0-9]{4}/01/05', but sales wrote 'Jan 5'"
	expect_out_has "01-leads.csv:5:H5: error[injection]: cell would run as a formula when opened in Excel or WPS: '@SUM(A1)'"
	expect_out_has "01-leads.csv:5:M5: error[injection]: cell would run as a formula when opened in Excel or WPS: '=HYPERLINK(\"http://x.example\")'"
	expect_out_has "01-leads.csv:6:G6: error[injection]: cell would run as a formula when opened in Excel or WPS: '+86 13812345678'"
	expect_out_has "01-leads.csv:6:I6: error[injection]: cell would run as a formula when opened in Excel or WPS: '-降价10%'"
	expect_out_has "01-leads.csv:6:M6: error[injection]: cell would run as a formula when opened in Excel or WPS: '+加急'"
	expect_out_has "04-contracts.csv:3:A3: error[damage]: 合同编号 is '12', but sales wrote '0012'"
	# the 18 digits gnumeric kept are not reported; its dates are read
	expect_out_lacks '01-leads.csv:5:I5'
	expect_out_lacks '04-contracts.csv:4:A4'
	expect_out_lacks ':L4:'
	# a writing command names each live formula it keeps
	SALES_TODAY=2024-01-15 sales -C wb lead set 科技有限公司 --note 已回电
	expect_err_has "01-leads.csv:5:M5: live formula cell '=HYPERLINK(\"http://x.example\")' kept as it is"
	sales -C wb fix formulas
	expect_rc 0
	expect_out_has '01-leads.csv: 5 formula cells stored as text'
	sales -C wb fix damage
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	grep -qF ",075512345678,'@SUM(A1),110101199003071234," wb/01-leads.csv || fail "row 5 not repaired: $(grep ^4, wb/01-leads.csv)"
	grep -qF ",'+86 13812345678,,'-降价10%,,张伟,2024/01/11,'+加急," wb/01-leads.csv || fail "row 6 not repaired: $(grep ^5, wb/01-leads.csv)"
}

# A GBK workbook (Chinese Excel's "CSV (逗号分隔)"), re-saved by
# LibreOffice in GBK: read as GBK, Chinese intact, the damage named.
test_libreoffice_resaves_gbk() {
	need_tool soffice "re-saves the sheets (LibreOffice, make test-deps)" || return 0
	example_workbook wb
	for f in wb/*.csv; do
		sed '1s/^\xEF\xBB\xBF//' "$f" | iconv -f UTF-8 -t GBK >t.csv && mv t.csv "$f"
	done
	SALES_TODAY=2024-01-15 sales -C wb lead add 华东测试有限公司 --phone 01062345678 \
		--need 1/2 --owner 张伟 --registered 2024-01-10 --region 华东
	expect_rc 0
	iconv -f GBK -t UTF-8 wb/01-leads.csv >/dev/null || fail "sales did not keep the file GBK"
	sales -C wb export leads
	cp "$out" before.csv
	lo_csv wb/01-leads.csv lo 1033 67 || return 0
	if iconv -f UTF-8 -t UTF-8 lo/01-leads.csv >/dev/null 2>&1; then fail "LibreOffice did not write GBK"; fi
	cp lo/01-leads.csv wb/
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "01-leads.csv:4:G4: error[damage]: 联系方式 is '1062345678', but sales wrote '01062345678'"
	has_out_re "^01-leads.csv:4:I4: error\[damage\]: 初步需求 is '01/02/[0-9]{2}', but sales wrote '1/2'"
	sales -C wb fix damage
	expect_rc 0
	iconv -f GBK -t UTF-8 wb/01-leads.csv >/dev/null || fail "the fix did not keep the file GBK"
	sales -C wb export leads
	expect_out before.csv
}

# Item 4 with a real program: the sheet saved as .xlsx by mistake (number
# detection on) beside the CSV, with a rep's edit in it.  The warning names
# the command; that very command brings the edit back and keeps the digits
# the spreadsheet damaged.
test_newer_xlsx_copy_imported_by_named_command() {
	need_tool soffice "saves the sheet as .xlsx (LibreOffice, make test-deps)" || return 0
	damage_workbook
	mkdir edit
	sed 's/^2,YY商贸有限公司,\(.*\),跟进中,/2,YY商贸有限公司,\1,已丢单,/' wb/01-leads.csv >edit/01-leads.csv
	timeout 180 soffice -env:UserInstallation="file://$H/lo-profile" --headless \
		--infilter='CSV:44,34,76,1,,1033,false,true' --convert-to xlsx \
		--outdir wb edit/01-leads.csv >"$H/soffice.log" 2>&1 || { fail "soffice: $(cat "$H/soffice.log")"; return 0; }
	touch -d '2000-01-01' wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_err_has "01-leads.xlsx is newer than 01-leads.csv"
	cmd=$(sed -n "s/.*bring them in with 'sales \(import [^']*\)'.*/\1/p" "$errf")
	[ "$cmd" = "import wb/01-leads.xlsx" ] || fail "no import command named: $(cat "$errf")"
	# shellcheck disable=SC2086
	SALES_TODAY=2024-01-15 sales -C wb $cmd
	expect_rc 0
	expect_out_has "01-leads.csv:O3: 客户状态: '跟进中' -> '已丢单'"
	expect_out_has "01-leads.csv:G4: '01062345678' became '1062345678': a spreadsheet read the digits as a number and dropped the leading zeros; '01062345678' is kept"
	has_out_re "^01-leads.csv:I4: '1/2' became '[0-9]{4}-01-02': a spreadsheet read the text as a date; '1/2' is kept"
	# the apostrophe LibreOffice kept in front of @SUM(A1) is no edit
	expect_out_lacks 'H5'
	[ "$(grep -c ',import' wb/audit.csv)" = 1 ] || fail "not one audited change: $(grep ',import' wb/audit.csv)"
	sales -C wb export leads
	expect_out_has ',已丢单,'
	expect_out_has ',01062345678,3-4,1/2,'
	SALES_TODAY=2024-01-15 sales -C wb check damage
	expect_rc 0
}

# due, status and report never drop an item because its date is
# unreadable (typed here as LibreOffice writes 2024.03.05 in a Chinese
# locale, and a follow-up plan typed loosely): each is listed with its cell.
test_unreadable_dates_listed() {
	example_workbook wb
	sed -i 's/^HT20231001,\(.*\),2023-10-25,2023-11-24,2023-11-20/HT20231001,\1,2023-10-25,3\/5\/24,/' wb/04-contracts.csv
	sed -i 's/,2024.04.10回访,/,4\/5\/24回访,/' wb/07-followups.csv
	SALES_TODAY=2024-03-01 sales -C wb due --format csv
	expect_rc 0
	expect_out_has "张伟,unreadable,日期无法识别,,,科技有限公司,HT20231001,04-contracts.csv,2,04-contracts.csv:L2: 付款到期日 '3/5/24' is ambiguous"
	expect_out_has "孙丽,unreadable,日期无法识别,,,科技有限公司,,07-followups.csv,2,07-followups.csv:G2: 下次跟进计划 '4/5/24回访'"
	# whatever the horizon, and only the owner's with --owner
	SALES_TODAY=2024-03-01 sales -C wb due --within 0 --owner 张伟
	expect_out_has "date unreadable"
	expect_out_has "04-contracts.csv:L2"
	expect_out_lacks "07-followups.csv:G2"
	SALES_TODAY=2024-03-01 sales -C wb status 科技有限公司
	expect_out_has "  04-contracts.csv:L2  付款到期日 '3/5/24': what it sets or meets is unknown until it is a date (YYYY-MM-DD)"
	expect_out_has "  07-followups.csv:G2  下次跟进计划 '4/5/24回访'"
	SALES_TODAY=2024-03-01 sales -C wb status 科技有限公司 --format json
	expect_out_has '"unreadable":['
	expect_out_has '{"file":"04-contracts.csv","line":2,"cell":"L2","column":"付款到期日","value":"3/5/24"}'
	# a 签订日期 the report cannot place in a quarter is named, not dropped
	sed -i 's/,2023-10-25,3\/5\/24,/,10\/3\/23,3\/5\/24,/' wb/04-contracts.csv
	SALES_TODAY=2024-03-01 sales -C wb report --quarter 2023Q4
	expect_err_has "04-contracts.csv:2:K2: 签订日期 '10/3/23' is not a date; left out of the KPIs"
	# a plan nobody has dated yet (待定) is no unreadable date
	sed -i 's/,4\/5\/24回访,/,待定回访,/' wb/07-followups.csv
	SALES_TODAY=2024-03-01 sales -C wb due
	expect_out_lacks '07-followups.csv:G2'
}
