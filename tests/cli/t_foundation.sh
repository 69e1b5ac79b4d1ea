# Issue 2: the workbook foundation — init, export, reading what Excel and
# WPS leave behind, and refusing bad input without touching a file.

test_init_writes_templates() {
	sales init wb
	expect_rc 0
	for f in 01-leads 02-surveys 03-solutions 04-contracts 05-plans \
		 06-acceptance 07-followups 08-kpi team exceptions holidays audit; do
		[ -f wb/$f.csv ] || fail "init did not write $f.csv"
		head -c 3 wb/$f.csv | od -An -tx1 | grep -q 'ef bb bf' || fail "$f.csv has no BOM"
		head -n 1 wb/$f.csv | grep -q "$(printf '\r')\$" || fail "$f.csv header is not CRLF"
	done
	head -n 1 wb/01-leads.csv | grep -qF '序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分' ||
		fail "01-leads.csv header is not SPEC's"
	[ "$(grep -c '休' wb/holidays.csv)" -gt 200 ] || fail "holidays.csv lacks the official calendar"
	grep -q '^2023-10-07,班' wb/holidays.csv || fail "holidays.csv lacks 2023-10-07 班"
}

test_init_refuses_to_overwrite() {
	sales init wb
	printf 'x' >>wb/02-surveys.csv
	rm wb/05-plans.csv
	snapshot wb
	sales init wb
	expect_rc 1
	expect_err_has "already exists"
	expect_unchanged wb
}

test_init_example_matches_examples() {
	sales init --example wb
	expect_rc 0
	for f in "$ROOT"/examples/*.csv; do
		cmp -s "$f" "wb/$(basename "$f")" || fail "$(basename "$f") differs from examples/"
	done
}

test_export_json_quoting() {
	printf '名称,说明,数量,空\r\n"逗号,在内","双""引号""",3,\r\n"换行\r\n第二行",中文 ,,\r\n,,, \r\n' >t.csv
	sales export t.csv --format json
	expect_rc 0
	cat >exp.json <<'JSON'
[
{"名称":"逗号,在内","说明":"双\"引号\"","数量":"3","空":""},
{"名称":"换行\r\n第二行","说明":"中文 ","数量":"","空":""}
]
JSON
	expect_out exp.json
}

test_export_ndjson_and_tsv() {
	printf 'a,b\n"x\ty",2\n' >t.csv
	sales export t.csv --format ndjson
	expect_out_text '{"a":"x\ty","b":"2"}'
	sales export t.csv --format tsv
	printf 'a\tb\nx\\ty\t2\n' >exp.tsv
	expect_out exp.tsv
}

test_export_csv_is_utf8_without_bom() {
	example_workbook wb
	sales -C wb export leads
	expect_rc 0
	head -c 3 "$out" | od -An -tx1 | grep -q 'ef bb bf' && fail "csv output has a BOM"
	head -n 1 "$out" | grep -q "$(printf '\r')" && fail "csv output has CR"
	expect_out_has '1,科技有限公司,制造业,500-1000人/5亿以上'
}

test_export_fills_down_merged_cells() {
	example_workbook wb
	sales -C wb export surveys --format ndjson
	expect_rc 0
	[ "$(grep -c '"客户名称":"科技有限公司","调研时间":"2023-10-12"' "$out")" = 2 ] ||
		fail "continuation row not filled down"
	# a plain file path that is not a known sheet is not filled down
	cp wb/02-surveys.csv other.csv
	sales export ./other.csv --format ndjson
	expect_out_has '"客户名称":"","调研时间":""'
}

test_export_gbk_crlf() {
	printf '客户名称,备注\r\n华瑞精密机械有限公司,需确认预算\r\n' | iconv -f UTF-8 -t GB18030 >gbk.csv
	sales export gbk.csv --format ndjson
	expect_rc 0
	expect_out_text '{"客户名称":"华瑞精密机械有限公司","备注":"需确认预算"}'
	sales --encoding utf-8 export gbk.csv
	expect_rc 2
	expect_err_has 'gbk.csv:1:A1:'
}

test_export_reordered_and_extra_columns() {
	printf '\357\273\277备注,我的标签,客戶名稱,customer_x\r\n首次,重点,甲公司,1\r\n' >01-leads.csv
	sales export ./01-leads.csv --format ndjson
	expect_rc 0
	expect_out_text '{"备注":"首次","我的标签":"重点","客戶名稱":"甲公司","customer_x":"1"}'
}

test_export_redact() {
	example_workbook wb
	sales -C wb export leads --redact --format ndjson
	expect_rc 0
	expect_out_has '"联系方式":"138****4590"'
	expect_out_lacks '13816274590'
}

test_bad_unterminated_quote() {
	printf 'a,b\r\n1,"open\r\n2,3\r\n' >bad.csv
	snapshot .
	sales export bad.csv
	expect_rc 2
	expect_err_has 'bad.csv:2:B2: unterminated quoted cell'
	expect_unchanged .
}

test_bad_extra_cells() {
	printf 'a,b\n1,2\n3,4,5\n' >bad.csv
	sales export bad.csv
	expect_rc 2
	expect_err_has 'bad.csv:3:C3: cell outside the table'
}

test_trailing_empty_cells_and_rows_ignored() {
	printf 'a,b,,\r\n1,2,,\r\n,,,\r\n\r\n3,4\r\n' >t.csv
	sales export t.csv --format ndjson
	expect_rc 0
	printf '{"a":"1","b":"2"}\n{"a":"3","b":"4"}\n' >exp
	expect_out exp
}

test_bad_bytes_in_no_encoding() {
	printf 'a,b\n1,\377\376\375\n' >bad.csv
	sales export bad.csv
	expect_rc 2
	expect_err_has 'bad.csv:2:B2:'
	printf '\357\273\277a,b\n1,\344\270\n' >bad2.csv
	sales export bad2.csv
	expect_rc 2
	expect_err_has 'bad2.csv:2:B2: byte 0xE4'
}

test_bad_empty_file() {
	: >empty.csv
	sales export empty.csv
	expect_rc 2
	expect_err_has 'empty.csv:1: empty file'
}

test_bad_nul_byte() {
	printf 'a,b\n1,x\000y\n' >bad.csv
	sales export bad.csv
	expect_rc 2
	expect_err_has 'bad.csv:2:B2: NUL byte'
}

test_bad_utf16() {
	printf '\377\376a\000,\000b\000\n\000' >u16.csv
	sales export u16.csv
	expect_rc 2
	expect_err_has 'UTF-16'
}

test_cr_only_line_ends() {
	printf 'a,b\r1,2\r3,4' >cr.csv
	sales export cr.csv --format ndjson
	expect_rc 0
	printf '{"a":"1","b":"2"}\n{"a":"3","b":"4"}\n' >exp
	expect_out exp
}

test_formula_cells_exported_escaped() {
	printf "a,b\n'=1+2,=HYPERLINK()\n-2%%,+86 138\n" >f.csv
	sales export f.csv --format ndjson
	expect_out_has '{"a":"=1+2","b":"=HYPERLINK()"}'
	sales export f.csv
	expect_out_has "'=1+2,'=HYPERLINK()"
	expect_out_has "-2%,'+86 138"
}

test_excel_lock_file_warns() {
	example_workbook wb
	: >'wb/~$01-leads.csv'
	sales -C wb export leads
	expect_rc 0
	expect_err_has 'open in Excel or WPS'
}

test_unknown_command_suggests() {
	sales exprot
	expect_rc 2
	expect_err_has 'export'
}

test_help_and_usage() {
	sales help
	expect_rc 0
	expect_out_has 'export'
	sales help export
	expect_rc 0
	expect_out_has '--format'
	sales export -h
	expect_rc 0
	expect_out_has 'usage: sales export'
	sales export --bogus x
	expect_rc 2
}

test_workbook_discovery() {
	example_workbook wb
	mkdir -p wb/sub/deeper
	(cd wb/sub/deeper && sales export leads --format ndjson)
	expect_rc 0
	expect_out_has '科技有限公司'
	SALES_DIR=$tmp/wb sales export leads
	expect_rc 0
	sales export leads
	expect_rc 2
	expect_err_has 'not in a workbook'
}

test_bad_sales_today() {
	SALES_TODAY=tomorrow sales export t.csv
	expect_rc 2
	expect_err_has 'SALES_TODAY'
}

test_help_outside_a_workbook() {
	sales lead add -h
	expect_rc 0
	expect_out_has 'usage: sales lead add'
	sales due --help
	expect_rc 0
	sales help status
	expect_rc 0
	expect_out_has 'usage: sales status'
}

# A writing command on a sheet it cannot read changes nothing.
test_write_refused_on_malformed_sheet() {
	example_workbook wb
	printf '3,坏公司,"未闭合\r\n' >>wb/01-leads.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --status 已丢单
	expect_rc 2
	expect_err_has '01-leads.csv:4:C4: unterminated quoted cell'
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb score --write
	expect_rc 2
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 2
	expect_err_has '01-leads.csv:4:C4:'
}

# A GBK workbook (Chinese Excel's plain CSV) is read and written back as GBK.
test_gbk_workbook_round_trip() {
	example_workbook wb
	for f in wb/*.csv; do
		tail -c +4 "$f" | iconv -f UTF-8 -t GB18030 >"$f.gbk" && mv "$f.gbk" "$f"
	done
	cp wb/04-contracts.csv before.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --status 已丢单
	expect_rc 0
	iconv -f GB18030 -t UTF-8 wb/01-leads.csv | grep -q '决策人未明确,2023-10-08,已丢单' ||
		fail "the change is not in the GBK sheet"
	iconv -f GB18030 -t UTF-8 wb/01-leads.csv >/dev/null || fail "01 is no longer GBK"
	cmp -s before.csv wb/04-contracts.csv || fail "an untouched sheet changed"
}

# A report cut short by a full disk must not look like success.
test_full_disk_fails() {
	[ -w /dev/full ] || return 0
	example_workbook wb
	"$SALES_BIN" -C wb export leads >/dev/full 2>"$errf"
	rc=$?
	expect_rc 2
	expect_err_has 'could not write the output'
	SALES_TODAY=2024-01-15 "$SALES_BIN" -C wb report >/dev/full 2>"$errf"
	rc=$?
	expect_rc 2
}

test_export_unknown_sheet_name() {
	example_workbook wb
	sales -C wb export 01-leads
	expect_rc 2
	expect_err_has "no sheet or file named '01-leads'"
}

# A reader warns when a crashed commit is still pending (a writer finishes it).
test_readers_warn_about_pending_journal() {
	example_workbook wb
	: >wb/.sales.journal
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	expect_err_has 'not finished yet (.sales.journal)'
	SALES_TODAY=2024-01-15 sales -C wb report
	expect_err_has 'not finished yet (.sales.journal)'
}
