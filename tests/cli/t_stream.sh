# Issue 14: a writing command that rewrites one sheet streams it (record by
# record into the temporary file the commit renames) instead of holding it.
# The file it leaves must be what a loaded sheet's save writes: unchanged
# records byte for byte (needless quotes, a cell with a line break, a column
# the toolkit does not know), changed records serialised again, the BOM and
# CRLF kept, a last record without a line end left without one.

# stream_leads DIR: four leads, no 02 (budget unknown 10, chain unknown 5;
# size blank 5): 制造业 25 -> 45 B类, 零售 15 -> 35 C类, 教育 5 -> 25 C类.
stream_leads() {
	mkdir -p "$1"
	printf '\357\273\277序号,客户名称,内部编号,行业,企业规模(员工数/营收),线索等级,备注,线索评分\r\n' >"$1/01-leads.csv"
	printf '1,甲公司,"K-1",制造业,,,,\r\n' >>"$1/01-leads.csv"
	printf '2,"乙公司","多行\r\n文本",零售,,C,, 35\r\n' >>"$1/01-leads.csv"
	printf '3,丙公司,"含,逗号和""引号""",教育,,A类,"备注",\r\n' >>"$1/01-leads.csv"
	printf '4,丁公司,x,制造业,,,,' >>"$1/01-leads.csv"
}

test_score_write_streams_byte_for_byte() {
	stream_leads wb
	SALES_TODAY=2024-01-15 sales -C wb score --write
	expect_rc 0
	expect_err_has "wrote 6 cells of 线索评分 and 线索等级 in 01-leads.csv"
	# rows 1, 3 and 4 change (row 2's "C" and " 35" already say C类 35):
	# written again, their needless quotes gone, the comma-and-quote cell
	# quoted as before; row 2 (quotes, line break) and the header as they were
	printf '\357\273\277序号,客户名称,内部编号,行业,企业规模(员工数/营收),线索等级,备注,线索评分\r\n' >exp
	printf '1,甲公司,K-1,制造业,,B类,,45\r\n' >>exp
	printf '2,"乙公司","多行\r\n文本",零售,,C,, 35\r\n' >>exp
	printf '3,丙公司,"含,逗号和""引号""",教育,,C类,备注,25\r\n' >>exp
	printf '4,丁公司,x,制造业,,B类,,45' >>exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv | tail -8 >&2; }
	cut -d, -f2- wb/audit.csv >got
	printf '用户,命令,工作表,主键,列,原值,新值\r\n' >exp
	for r in 甲公司,线索评分,,45 甲公司,线索等级,,B类 丙公司,线索评分,,25 \
		 丙公司,线索等级,A类,C类 丁公司,线索评分,,45 丁公司,线索等级,,B类; do
		printf 'tester,score,01-leads.csv,%s\r\n' "$r" >>exp
	done
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	# nothing left beside the sheet, and a second run changes nothing
	[ -z "$(ls -A wb | grep -v -e '^01-leads.csv$' -e '^audit.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb score --write
	expect_rc 0
	expect_err_has "01-leads.csv already holds these scores and grades"
	expect_unchanged wb
}

test_score_write_streams_gb18030_and_lf() {
	# a GBK sheet is written back in GB18030, an LF one keeps LF
	stream_leads src
	mkdir wb
	tail -c +4 src/01-leads.csv | sed 's/\r$//' | iconv -f UTF-8 -t GB18030 >wb/01-leads.csv ||
		{ fail "iconv"; return; }
	SALES_TODAY=2024-01-15 sales -C wb score --write
	expect_rc 0
	{
		printf '序号,客户名称,内部编号,行业,企业规模(员工数/营收),线索等级,备注,线索评分\n'
		printf '1,甲公司,K-1,制造业,,B类,,45\n'
		printf '2,"乙公司","多行\n文本",零售,,C,, 35\n'
		printf '3,丙公司,"含,逗号和""引号""",教育,,C类,备注,25\n'
		printf '4,丁公司,x,制造业,,B类,,45'
	} | iconv -f UTF-8 -t GB18030 >exp
	cmp -s exp wb/01-leads.csv || { fail "GB18030 01-leads.csv differs"; od -c wb/01-leads.csv | tail -8 >&2; }
}

test_score_write_adds_a_missing_column_as_before() {
	# a sheet without 线索评分 cannot be streamed (the header grows): the
	# loaded way adds the column at the end, as it always did
	mkdir wb
	printf '序号,客户名称,行业,线索等级\r\n1,甲公司,制造业,\r\n2,乙公司,零售,C类\r\n' >wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb score --write
	expect_rc 0
	printf '序号,客户名称,行业,线索等级,线索评分\r\n1,甲公司,制造业,B类,45\r\n2,乙公司,零售,C类,35\r\n' >exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv >&2; }
}

# rename_workbook DIR: 01 (BOM, CRLF), 02 (BOM, CRLF: a continuation row,
# a name with blanks around it, needless quotes, a cell with a line break,
# a last record without a line end) and 07 (GB18030, LF).
rename_workbook() {
	mkdir -p "$1"
	printf '\357\273\277序号,客户名称,行业\r\n1,甲公司,制造业\r\n2,乙公司,零售\r\n' >"$1/01-leads.csv"
	{
		printf '\357\273\277客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注\r\n'
		printf '甲公司,2023-10-12,张伟,王经理,"痛点,多",设备(高),200万,总经理,"备注"\r\n'
		printf ',,,钱工,痛点,系统(中),待确认,技术部主导,\r\n'
		printf ' 甲公司 ,2023-10-13,张伟,李总,"多行\r\n痛点",设备(高),,,\r\n'
		printf '"乙公司",2023-10-14,李,赵,"x",y,,,\r\n'
		printf '甲公司,2023-10-15,张伟,王经理,痛点,设备(高),,,'
	} >"$1/02-surveys.csv"
	{
		printf '客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度\n'
		printf '乙公司,2023-11-01,周敏,电话,反馈,处理,计划,4\n'
		printf '甲公司,2023-11-02,张伟,"拜访",反馈,处理,计划,5\n'
	} | iconv -f UTF-8 -t GB18030 >"$1/07-followups.csv"
}

test_lead_rename_streams_the_other_sheets() {
	# 01 is read to find the lead, read again to check the new name, then
	# it, 02 and 07 are rewritten record by record (none held): a renamed
	# record is serialised again (its needless quotes go,
	# the comma cell stays quoted, blanks around the old name go), every
	# other record and the continuation row stay byte for byte
	rename_workbook wb || { fail "iconv"; return; }
	sales -C wb lead rename 甲公司 甲新
	expect_rc 0
	expect_out_has "02-surveys.csv: 3"
	expect_out_has "07-followups.csv: 1"
	expect_err_has "renamed '甲公司' to '甲新' in 5 rows"
	printf '\357\273\277序号,客户名称,行业\r\n1,甲新,制造业\r\n2,乙公司,零售\r\n' >exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv >&2; }
	{
		printf '\357\273\277客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注\r\n'
		printf '甲新,2023-10-12,张伟,王经理,"痛点,多",设备(高),200万,总经理,备注\r\n'
		printf ',,,钱工,痛点,系统(中),待确认,技术部主导,\r\n'
		printf '甲新,2023-10-13,张伟,李总,"多行\r\n痛点",设备(高),,,\r\n'
		printf '"乙公司",2023-10-14,李,赵,"x",y,,,\r\n'
		printf '甲新,2023-10-15,张伟,王经理,痛点,设备(高),,,'
	} >exp
	cmp -s exp wb/02-surveys.csv || { fail "02-surveys.csv differs"; od -c wb/02-surveys.csv | tail -12 >&2; }
	{
		printf '客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度\n'
		printf '乙公司,2023-11-01,周敏,电话,反馈,处理,计划,4\n'
		printf '甲新,2023-11-02,张伟,拜访,反馈,处理,计划,5\n'
	} | iconv -f UTF-8 -t GB18030 >exp
	cmp -s exp wb/07-followups.csv || { fail "07-followups.csv differs"; od -c wb/07-followups.csv >&2; }
	cut -d, -f2- wb/audit.csv >got
	{
		printf '用户,命令,工作表,主键,列,原值,新值\r\n'
		printf 'tester,lead rename,01-leads.csv,甲公司,客户名称,甲公司,甲新\r\n'
		printf 'tester,lead rename,02-surveys.csv,甲公司,客户名称,甲公司,甲新\r\n'
		printf 'tester,lead rename,02-surveys.csv, 甲公司 ,客户名称, 甲公司 ,甲新\r\n'
		printf 'tester,lead rename,02-surveys.csv,甲公司,客户名称,甲公司,甲新\r\n'
		printf 'tester,lead rename,07-followups.csv,甲公司,客户名称,甲公司,甲新\r\n'
	} >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_lead_rename_refused_by_a_later_sheet_leaves_all() {
	# 02 is streamed into its temporary file before 07 turns out broken:
	# the refusal names 07's cell and every file stays as it was
	rename_workbook wb || { fail "iconv"; return; }
	printf '甲公司,2023-11-03,张伟,"拜访,反馈\n' | iconv -f UTF-8 -t GB18030 >>wb/07-followups.csv
	snapshot wb
	sales -C wb lead rename 甲公司 甲新
	expect_rc 2
	expect_err_has "07-followups.csv:4:D4: unterminated quoted cell"
	expect_unchanged wb
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

# set_leads DIR: three leads (BOM, CRLF; needless quotes, a cell with a
# line break, a comma cell, a last record without a line end).
set_leads() {
	mkdir -p "$1"
	printf '\357\273\277序号,客户名称,联系方式,内部编号,备注\r\n' >"$1/01-leads.csv"
	printf '1,"甲公司",13800000001,"多行\r\n文本",\r\n' >>"$1/01-leads.csv"
	printf '2,乙公司,13800000002,"含,逗号",旧备注\r\n' >>"$1/01-leads.csv"
	printf '3,丙公司,13800000003,x,' >>"$1/01-leads.csv"
}

test_lead_set_streams_01() {
	# only the lead's record is written again (the comma cell quoted as
	# before); 甲公司's needless quotes and line break stay
	set_leads wb
	sales -C wb lead set 乙公司 --note 新备注
	expect_rc 0
	expect_out_has "01-leads.csv:4: 备注: '旧备注' -> '新备注'"
	printf '\357\273\277序号,客户名称,联系方式,内部编号,备注\r\n' >exp
	printf '1,"甲公司",13800000001,"多行\r\n文本",\r\n' >>exp
	printf '2,乙公司,13800000002,"含,逗号",新备注\r\n' >>exp
	printf '3,丙公司,13800000003,x,' >>exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv >&2; }
	cut -d, -f2- wb/audit.csv >got
	printf '用户,命令,工作表,主键,列,原值,新值\r\ntester,lead set,01-leads.csv,乙公司,备注,旧备注,新备注\r\n' >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	# the last record keeps having no line end; a formula-like note is
	# stored escaped; a part of the name finds the lead
	sales -C wb lead set 丙 --note '=1+1'
	expect_rc 0
	expect_err_has "'丙' is the lead '丙公司' (01-leads.csv:5)"
	[ "$(tail -c 31 wb/01-leads.csv)" = "3,丙公司,13800000003,x,'=1+1" ] ||
		fail "last record: $(tail -c 40 wb/01-leads.csv | od -c)"
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_lead_set_streamed_refusals_leave_all() {
	# a phone another lead has, found in a later pass over 01, and an
	# unknown lead: refused, every file as it was
	set_leads wb
	snapshot wb
	sales -C wb lead set 丙公司 --note 新 --phone 13800000001
	expect_rc 1
	expect_err_has "01-leads.csv:2:C2: '丙公司' would duplicate the lead '甲公司' (联系方式 '13800000001')"
	expect_unchanged wb
	sales -C wb lead set 丁公司 --note 新
	expect_rc 1
	expect_err_has "no lead named '丁公司' in 01-leads.csv"
	expect_unchanged wb
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_score_write_stream_copies_only_what_reads_back() {
	# records copied from their raw bytes but for the changed cells, or
	# written again whole: either way what the loaded sheet's save writes
	# (naming every customer takes that path): a formula, an escaped
	# formula, needless quotes, quoted commas and quotes, a line break,
	# empty cells past the header, a leading blank
	mkdir -p src
	printf '\357\273\277序号,客户名称,内部编号,行业,企业规模(员工数/营收),线索等级,备注,线索评分\r\n' >src/01-leads.csv
	printf '1,甲公司,=SUM(A1),制造业,,,,\r\n' >>src/01-leads.csv
	printf "2,乙公司,'=x,零售,,,,\r\n" >>src/01-leads.csv
	printf '3,丙公司,"K-3",教育,,,,\r\n' >>src/01-leads.csv
	printf '4,丁公司,"a,b ""c""",制造业,,A类,"x,y",\r\n' >>src/01-leads.csv
	printf '5,戊公司,"多行\r\n文本",零售,,,,\r\n' >>src/01-leads.csv
	printf '6,己公司,k6,教育,,,,,,,\r\n' >>src/01-leads.csv
	printf '7,庚公司, k7 ,制造业,, B ,备注,1\r\n' >>src/01-leads.csv
	printf '8,辛公司,"""",零售,,,"""q""",\r\n' >>src/01-leads.csv
	cp -a src streamed
	cp -a src loaded
	SALES_TODAY=2024-01-15 sales -C streamed score --write
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C loaded score --write 甲公司 乙公司 丙公司 丁公司 戊公司 己公司 庚公司 辛公司
	expect_rc 0
	cmp -s loaded/01-leads.csv streamed/01-leads.csv ||
		{ fail "streamed 01-leads.csv differs from the loaded save"; diff loaded/01-leads.csv streamed/01-leads.csv >&2; }
	cut -d, -f2- loaded/audit.csv >exp
	cut -d, -f2- streamed/audit.csv >got
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
}

# touch_leads DIR: three leads whose records a stage row's touch rewrites
# (sales_lead_touch): needless quotes and a line break in the first, a
# quoted comma in the second, no line end after the last; the other sheets
# from the templates.
touch_leads() {
	mkdir -p "$1"
	for f in 02-surveys.csv 03-solutions.csv 04-contracts.csv 05-plans.csv \
		 06-acceptance.csv 07-followups.csv exceptions.csv team.csv; do
		cp "$ROOT/templates/$f" "$1/"
	done
	printf '张伟,销售代表,华东\r\n' >>"$1/team.csv"
	printf '\357\273\277序号,客户名称,联系方式,内部编号,最后跟进时间,客户状态,备注\r\n' >"$1/01-leads.csv"
	printf '1,"甲公司",13800000001,"多行\r\n文本",2024-01-02,新线索,\r\n' >>"$1/01-leads.csv"
	printf '2,乙公司,13800000002,"含,逗号",,,x\r\n' >>"$1/01-leads.csv"
	printf '3,丙公司,13800000003,x,' >>"$1/01-leads.csv"
}

test_stage_add_streams_the_leads_touch() {
	# a stage row moves its lead (最后跟进时间 up to a later date, 新线索 or
	# blank to 跟进中) with 01 streamed: the lead's record written again,
	# the others byte for byte, as a loaded sheet's save writes them
	touch_leads wb
	for c in 甲公司:2024-01-01 乙公司:2024-01-10 丙公司:2024-01-11; do
		SALES_TODAY=2024-01-15 sales -C wb survey add --customer "${c%%:*}" \
			--date "${c#*:}" --surveyor 张伟
		expect_rc 0
	done
	# 甲公司's earlier date leaves its 最后跟进时间; its quotes go
	printf '\357\273\277序号,客户名称,联系方式,内部编号,最后跟进时间,客户状态,备注\r\n' >exp
	printf '1,甲公司,13800000001,"多行\r\n文本",2024-01-02,跟进中,\r\n' >>exp
	printf '2,乙公司,13800000002,"含,逗号",2024-01-10,跟进中,x\r\n' >>exp
	printf '3,丙公司,13800000003,x,2024-01-11,跟进中' >>exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv >&2; }
	grep -F ',01-leads.csv,' wb/audit.csv | cut -d, -f2- >got
	{
		printf 'tester,survey add,01-leads.csv,甲公司,客户状态,新线索,跟进中\r\n'
		printf 'tester,survey add,01-leads.csv,乙公司,最后跟进时间,,2024-01-10\r\n'
		printf 'tester,survey add,01-leads.csv,乙公司,客户状态,,跟进中\r\n'
		printf 'tester,survey add,01-leads.csv,丙公司,最后跟进时间,,2024-01-11\r\n'
		printf 'tester,survey add,01-leads.csv,丙公司,客户状态,,跟进中\r\n'
	} >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	# a row dated before the lead's 最后跟进时间, the lead 跟进中: 01 is
	# left as it was, with no audit row
	cp wb/01-leads.csv before
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 乙公司 \
		--date 2024-01-09 --surveyor 张伟
	expect_rc 0
	cmp -s before wb/01-leads.csv || fail "01-leads.csv was written again"
	grep -F ',01-leads.csv,' wb/audit.csv | cut -d, -f2- >got
	cmp -s exp got || { fail "audit.csv has more 01 rows"; diff exp got >&2; }
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_approve_streams_the_contract_row() {
	# approve finds its contract by reading 04 and writes it through the
	# stream: the contract's record written again (its needless quotes
	# gone, the line break kept), the others byte for byte, a column the
	# toolkit does not know kept, the last record left without a line end
	example_workbook wb
	h='\357\273\277合同编号,客户名称,合同金额(万元),合同期限,主要条款摘要,销售代表,销售经理,法务,总经理,审批状态,签订日期,付款到期日,回款日期,内部备注\r\n'
	r1='HT20231001,科技有限公司,258,2023.11-2024.11,"一次性付款,30天质保",张伟,同意,条款合规,同意,已审批,2023-10-25,2023-11-24,2023-11-20,K1\r\n'
	printf "$h$r1"'"HT2","科技有限公司",30,12,"分两期\r\n付款",张伟,,,,待审批,,,,"备注"\r\n' >wb/04-contracts.csv
	printf 'HT3,YY商贸有限公司,20,12,x,周敏,,,,待审批,,,,last' >>wb/04-contracts.csv
	for a in HT2:销售经理:吴磊 HT3:销售经理:吴磊 HT2:法务:郑洁; do
		IFS=: read -r id role who <<-END
		$a
		END
		SALES_TODAY=2024-01-15 sales -C wb approve "$id" --as "$role" --by "$who"
		expect_rc 0
		expect_out_has "$id: 审批中 ($role $who: 同意)"
	done
	printf "$h$r1"'HT2,科技有限公司,30,12,"分两期\r\n付款",张伟,同意,同意,,审批中,,,,备注\r\n' >exp
	printf 'HT3,YY商贸有限公司,20,12,x,周敏,同意,,,审批中,,,,last' >>exp
	cmp -s exp wb/04-contracts.csv || { fail "04-contracts.csv differs"; od -c wb/04-contracts.csv | tail -12 >&2; }
	route='[route 销售经理 → 法务 → 总经理 (依次) approval-rules.csv:3 *]'
	grep -F ',04-contracts.csv,' wb/audit.csv | cut -d, -f2- >got
	{
		printf 'tester,approve --as 销售经理 --by 吴磊 %s,04-contracts.csv,HT2,销售经理,,同意\r\n' "$route"
		printf 'tester,approve --as 销售经理 --by 吴磊 %s,04-contracts.csv,HT2,审批状态,待审批,审批中\r\n' "$route"
		printf 'tester,approve --as 销售经理 --by 吴磊 %s,04-contracts.csv,HT3,销售经理,,同意\r\n' "$route"
		printf 'tester,approve --as 销售经理 --by 吴磊 %s,04-contracts.csv,HT3,审批状态,待审批,审批中\r\n' "$route"
		printf 'tester,approve --as 法务 --by 郑洁 %s,04-contracts.csv,HT2,法务,,同意\r\n' "$route"
	} >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	# a refusal (法务 again) and a contract that is not there leave
	# every file as it was
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb approve HT2 --as 法务 --by 郑洁
	expect_rc 1
	expect_err_has "contract 'HT2': the 法务 has already given an opinion"
	SALES_TODAY=2024-01-15 sales -C wb approve HT4 --as 法务 --by 郑洁
	expect_rc 1
	expect_err_has "no contract 'HT4' in 04-contracts.csv; did you mean 'HT2'?"
	expect_unchanged wb
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_streamed_edits_warn_once() {
	# a damaged-looking cell in another contract: each command that
	# finds its row by reading 04 and then streams it says so once, as
	# loading 04 did
	example_workbook wb
	printf 'HT2,科技有限公司,30,12,x,张伟,,,,待审批,,,\r\nHT3,YY商贸有限公司,20,12,含"引号,周敏,,,,待审批,,,\r\n' >>wb/04-contracts.csv
	w='04-contracts.csv:4:E4: a quote inside an unquoted cell was read as a literal quote'
	for c in "approve HT2 --as 销售经理 --by 吴磊" "approve HT2 --as 法务 --by 郑洁" \
		 "approve HT2 --as 总经理 --by 黄志明" "contract sign HT2 --date 2024-01-15" \
		 "contract paid HT2 --date 2024-01-15"; do
		# shellcheck disable=SC2086
		SALES_TODAY=2024-01-15 sales -C wb $c
		expect_rc 0
		[ "$(grep -cF "$w" "$errf")" = 1 ] ||
			fail "$c: the warning $(grep -cF "$w" "$errf") times"
	done
	row_has contracts '"HT2"' '"审批状态":"已审批","签订日期":"2024-01-15"'
	row_has contracts '"HT2"' '"回款日期":"2024-01-15"'
}

test_solution_review_streams_the_proposal_row() {
	# review finds its proposal by reading 03 (the customer resolved
	# among those with a proposal, then its proposal by name) and writes
	# that one record through the stream: the second of the customer's
	# two proposals written again (its needless quotes gone, the line
	# break kept), the others byte for byte, a column the toolkit does
	# not know kept, the last record left without a line end
	example_workbook wb
	h='\357\273\277客户名称,方案名称,核心产品/服务配置,实施周期,报价(万元),增值服务,方案亮点,负责人,评审意见,提交日期,评审日期,内部备注\r\n'
	r1='科技有限公司,智能分拣解决方案,A型,45天,258,培训,"节省,三成",刘洋,"通过,需补充案例",2023-10-17,2023-10-18,K1\r\n'
	printf "$h$r1"'"科技有限公司","二期方案","多行\r\n配置",30天,120,,,刘洋,,2024-01-15,,"备注"\r\n' >wb/03-solutions.csv
	printf 'YY商贸有限公司,仓储方案,B型,20天,80,,,周敏,,2024-01-10,,last' >>wb/03-solutions.csv
	SALES_TODAY=2024-01-16 sales -C wb solution review 科技 二期方案 --by 李娜 --reject --opinion 报价过高
	expect_rc 0
	expect_out_has "科技有限公司/二期方案: 不通过,报价过高"
	expect_err_has "'科技' is the customer '科技有限公司'"
	SALES_TODAY=2024-01-16 sales -C wb solution review YY商贸有限公司 --by 李娜 --pass
	expect_rc 0
	printf "$h$r1"'科技有限公司,二期方案,"多行\r\n配置",30天,120,,,刘洋,"不通过,报价过高",2024-01-15,2024-01-16,备注\r\n' >exp
	printf 'YY商贸有限公司,仓储方案,B型,20天,80,,,周敏,通过,2024-01-10,2024-01-16,last' >>exp
	cmp -s exp wb/03-solutions.csv || { fail "03-solutions.csv differs"; od -c wb/03-solutions.csv | tail -12 >&2; }
	grep -F ',03-solutions.csv,' wb/audit.csv | cut -d, -f2- >got
	{
		printf 'tester,solution review --by 李娜,03-solutions.csv,科技有限公司/二期方案,评审意见,,"不通过,报价过高"\r\n'
		printf 'tester,solution review --by 李娜,03-solutions.csv,科技有限公司/二期方案,评审日期,,2024-01-16\r\n'
		printf 'tester,solution review --by 李娜,03-solutions.csv,YY商贸有限公司/仓储方案,评审意见,,通过\r\n'
		printf 'tester,solution review --by 李娜,03-solutions.csv,YY商贸有限公司/仓储方案,评审日期,,2024-01-16\r\n'
	} >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	# refusals leave every file as it was: two proposals and none named,
	# a name that is not the customer's, a customer without a proposal,
	# a review that passed already
	snapshot wb
	SALES_TODAY=2024-01-16 sales -C wb solution review 科技有限公司 --by 李娜 --pass
	expect_rc 2
	[ "$(cat "$errf")" = "$(printf "error: '科技有限公司' has 2 proposals in 03-solutions.csv; name the one reviewed:\n\t智能分拣解决方案\n\t二期方案")" ] ||
		fail "the listing: $(cat "$errf")"
	SALES_TODAY=2024-01-16 sales -C wb solution review 科技有限公司 三期方案 --by 李娜 --pass
	expect_rc 1
	expect_err_has "no proposal '三期方案' for '科技有限公司' in 03-solutions.csv"
	SALES_TODAY=2024-01-16 sales -C wb solution review 科技有线公司 --by 李娜 --pass
	expect_rc 1
	expect_err_has "no customer with a proposal named '科技有线公司' in 03-solutions.csv; did you mean '科技有限公司'?"
	SALES_TODAY=2024-01-16 sales -C wb solution review YY商贸 --by 李娜 --reject
	expect_rc 1
	expect_err_has "the proposal '仓储方案' of 'YY商贸有限公司' already passed its review ('通过' on 2024-01-16)"
	expect_unchanged wb
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_solution_review_adds_a_missing_column_as_before() {
	# a 03 saved without 评审日期: the stream cannot add a column, so
	# the sheet is loaded and the column added at the end (the other records byte for byte), the row the
	# review named (the second of two) and no other changed
	example_workbook wb
	printf '客户名称,方案名称,评审意见,提交日期\r\n科技有限公司,一期,,2023-10-17\r\n科技有限公司,二期,,2024-01-15\r\n' >wb/03-solutions.csv
	SALES_TODAY=2024-01-16 sales -C wb solution review 科技有限公司 二期 --by 李娜 --pass
	expect_rc 0
	printf '客户名称,方案名称,评审意见,提交日期,评审日期\r\n科技有限公司,一期,,2023-10-17\r\n科技有限公司,二期,通过,2024-01-15,2024-01-16\r\n' >exp
	cmp -s exp wb/03-solutions.csv || { fail "03-solutions.csv differs"; cat wb/03-solutions.csv >&2; }
}

test_pool_recall_streams_and_adds_the_former_owner() {
	# recall rewrites 01 record by record: a header without 原负责人
	# gains it at its end (the stream's second pass, as a loaded sheet
	# adds it), the two leads past their recall date are written again
	# (丙's needless quotes gone, its line break kept), 乙 byte for byte,
	# the last record left without a line end
	example_workbook wb
	for g in A B C; do
		SALES_TODAY=2024-01-15 sales -C wb config pool.recall_days_$g 3
		expect_rc 0
	done
	h='\357\273\277序号,客户名称,行业,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态'
	printf "$h"'\r\n1,甲公司,制造业,A类,张伟,2024-01-02,"备注,一",2024-01-02,跟进中\r\n2,乙公司,零售,B类,周敏,2024-01-12,,2024-01-02,跟进中\r\n3,"丙公司",教育,C类,张伟,2024-01-03,"多行\r\n备注",2024-01-03,跟进中' >wb/01-leads.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb pool recall --dry-run
	expect_rc 0
	expect_err_has "dry run: 2 leads would return to the pool; nothing was changed"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb pool recall
	expect_rc 0
	[ "$(cat "$out")" = "$(printf '01-leads.csv:2: 甲公司 (张伟) returns to the pool: no follow-up since 2024-01-02, 3 working days (recall date 2024-01-05)\n01-leads.csv:4: 丙公司 (张伟) returns to the pool: no follow-up since 2024-01-03, 3 working days (recall date 2024-01-08)')" ] ||
		fail "recall said: $(cat "$out")"
	printf "$h"',原负责人\r\n1,甲公司,制造业,A类,,2024-01-02,"备注,一",2024-01-02,公海,张伟\r\n2,乙公司,零售,B类,周敏,2024-01-12,,2024-01-02,跟进中\r\n3,丙公司,教育,C类,,2024-01-03,"多行\r\n备注",2024-01-03,公海,张伟' >exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv | tail -12 >&2; }
	grep -F ',01-leads.csv,' wb/audit.csv | cut -d, -f2- >got
	{
		for c in 甲公司 丙公司; do
			printf 'tester,pool recall [as of 2024-01-15],01-leads.csv,%s,原负责人,,张伟\r\n' $c
			printf 'tester,pool recall [as of 2024-01-15],01-leads.csv,%s,负责人,张伟,\r\n' $c
			printf 'tester,pool recall [as of 2024-01-15],01-leads.csv,%s,客户状态,跟进中,公海\r\n' $c
		done
	} >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$' -e '^sales\.conf$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_titled_01_is_walked_loaded_alike() {
	# a title row above 01's header: the stream cannot take it, so the
	# lead's touch (followup add) and pool recall run their one row fn on
	# the loaded sheet; each leaves 01 and audit.csv as the streamed run
	# on the same workbook without the title does, the title line kept
	# (the streamed path's bytes are written out by hand above)
	for d in plain titled; do
		example_workbook $d
		for g in A B C; do
			SALES_TODAY=2024-01-15 sales -C $d config pool.recall_days_$g 3
			expect_rc 0
		done
	done
	{ printf '\357\273\277线索表\r\n'; tail -c +4 titled/01-leads.csv; } >t && mv t titled/01-leads.csv
	for d in plain titled; do
		SALES_TODAY=2024-03-15 sales -C $d followup add --customer 科技有限公司 --date 2024-03-14 --by 孙丽 --satisfaction 5
		expect_rc 0
		SALES_TODAY=2024-03-15 sales -C $d pool recall
		expect_rc 0
		cp "$out" $d.out
	done
	expect_err_has "01-leads.csv:1:A1: title row '线索表' above the header skipped"
	# (the titled sheet's lines one lower)
	awk -F: -v OFS=: '{ $2 = $2 + 1; print }' plain.out >exp
	cmp -s exp titled.out || fail "recall said: $(cat titled.out), streamed: $(cat plain.out)"
	grep -q '公海' plain/01-leads.csv || fail "no lead recalled"
	grep -q '^[^,]*,科技有限公司,.*,2024-03-14,' plain/01-leads.csv || fail "科技有限公司 not touched"
	{ printf '\357\273\277线索表\r\n'; tail -c +4 plain/01-leads.csv; } >exp
	cmp -s exp titled/01-leads.csv || { fail "01 differs"; diff exp titled/01-leads.csv >&2; }
	for d in plain titled; do cut -d, -f2- $d/audit.csv >$d.audit; done
	cmp -s plain.audit titled.audit || { fail "audit differs"; diff plain.audit titled.audit >&2; }
}

test_fix_formulas_streams_every_column() {
	# fix formulas rewrites 07 record by record: the live formula cells of
	# any column (the toolkit's 客户反馈内容, a user's 自定义) stored as
	# "'" + the text, their records written again (the needless quotes
	# gone, the line break kept), the last record (+1 is not read as a
	# formula) byte for byte without a line end; the continuation row's
	# audit rows name the customer above it
	example_workbook wb
	h='\357\273\277客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度,自定义\r\n'
	last='YY商贸有限公司,2024-01-12,周敏,上门,ok,ok,,3,+1'
	printf "$h"'"科技有限公司",2024-01-10,孙丽,电话,=1+1,已记录,,5,=SUM(A1)\r\n,2024-01-11,,微信,"多行\r\n=x",已报价,,4,"@a"\r\n'"$last" >wb/07-followups.csv
	sales -C wb fix formulas
	expect_rc 0
	expect_out_has '07-followups.csv: 3 formula cells stored as text'
	printf "$h"'科技有限公司,2024-01-10,孙丽,电话,'"'"'=1+1,已记录,,5,'"'"'=SUM(A1)\r\n,2024-01-11,,微信,"多行\r\n=x",已报价,,4,'"'"'@a\r\n'"$last" >exp
	cmp -s exp wb/07-followups.csv || { fail "07-followups.csv differs"; od -c wb/07-followups.csv | tail -8 >&2; }
	grep -F ',07-followups.csv,' wb/audit.csv | cut -d, -f3- >got
	{
		printf "fix,07-followups.csv,科技有限公司,客户反馈内容,'=1+1,''=1+1\r\n"
		printf "fix,07-followups.csv,科技有限公司,自定义,'=SUM(A1),''=SUM(A1)\r\n"
		printf "fix,07-followups.csv,科技有限公司,自定义,'@a,''@a\r\n"
	} >exp
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_lead_set_walks_a_titled_01_alike() {
	# a title row above 01's header: lead set's passes walk the loaded
	# sheet with the same row function, so a change, a duplicate refused
	# (its cell one row lower, G4) and the sheet left behind are the
	# streamed run's on the same workbook without the title
	for d in plain titled; do
		example_workbook $d
	done
	{ printf '\357\273\277线索表\r\n'; tail -c +4 titled/01-leads.csv; } >t && mv t titled/01-leads.csv
	for d in plain titled; do
		sales -C $d lead set 科技有限公司 --phone 13956782046
		expect_rc 1
		cp "$err" $d.dup
		sales -C $d lead set 科技 --phone 13912345678 --note 改号
		expect_rc 0
		cp "$out" $d.out
	done
	grep -q "01-leads.csv:3:G3: '科技有限公司' would duplicate the lead 'YY商贸有限公司' (联系方式 '13956782046')" plain.dup ||
		fail "plain: $(cat plain.dup)"
	grep -q "01-leads.csv:4:G4: '科技有限公司' would duplicate the lead 'YY商贸有限公司' (联系方式 '13956782046')" titled.dup ||
		fail "titled: $(cat titled.dup)"
	expect_err_has "01-leads.csv:1:A1: title row '线索表' above the header skipped"
	awk -F: -v OFS=: '{ $2 = $2 + 1; print }' plain.out >exp
	cmp -s exp titled.out || fail "titled said: $(cat titled.out), streamed: $(cat plain.out)"
	grep -q '^1,科技有限公司,.*,13912345678,.*,改号,' plain/01-leads.csv || fail "科技有限公司 not changed"
	{ printf '\357\273\277线索表\r\n'; tail -c +4 plain/01-leads.csv; } >exp
	cmp -s exp titled/01-leads.csv || { fail "01 differs"; diff exp titled/01-leads.csv >&2; }
	for d in plain titled; do cut -d, -f2- $d/audit.csv >$d.audit; done
	cmp -s plain.audit titled.audit || { fail "audit differs"; diff plain.audit titled.audit >&2; }
}

test_lead_rename_walks_a_titled_01_alike() {
	# a title row above 01's header: the stream cannot take 01, so the
	# find, the check of the new name and the rename walk it loaded by the
	# same row fns; the lead's cell had blanks around its name (the
	# messages quote the cell as it was), 02 streams as before
	rename_workbook wb || { fail "iconv"; return; }
	printf '\357\273\277线索表\r\n序号,客户名称,行业\r\n1, 甲公司 ,制造业\r\n2,"乙公司",零售\r\n' >wb/01-leads.csv
	sales -C wb lead rename 甲 乙公司
	expect_rc 1
	expect_err_has "01-leads.csv:4: '乙公司' would duplicate the lead '乙公司'"
	sales -C wb lead rename 甲 甲新
	expect_rc 0
	expect_err_has "'甲' is the lead '甲公司' (01-leads.csv:3)"
	expect_err_has "renamed ' 甲公司 ' to '甲新' in 5 rows"
	expect_err_has "01-leads.csv:1:A1: title row '线索表' above the header skipped"
	printf '\357\273\277线索表\r\n序号,客户名称,行业\r\n1,甲新,制造业\r\n2,"乙公司",零售\r\n' >exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv >&2; }
	expect_out_has "02-surveys.csv: 3"
	sales -C wb lead rename 甲新 甲新
	expect_rc 0
	expect_err_has "nothing to change: the lead is already named '甲新'"
}

test_score_write_named_leads_streams() {
	# score --write NAME streams 01 too: a first pass resolves the names
	# (丙 is 丙公司), the second writes the rows named so - 丙 twice (a
	# name added again with --force), both rows - and copies every other
	# record byte for byte; a name that resolves to nothing refuses with
	# nothing written
	stream_leads wb
	printf '\r\n5,丙公司,y,教育,,,,' >>wb/01-leads.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb score --write 丙 无此公司
	expect_rc 1
	expect_err_has "no lead named '无此公司' in 01-leads.csv"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb score --write 丙
	expect_rc 0
	expect_err_has "wrote 4 cells of 线索评分 and 线索等级 in 01-leads.csv"
	printf '\357\273\277序号,客户名称,内部编号,行业,企业规模(员工数/营收),线索等级,备注,线索评分\r\n' >exp
	printf '1,甲公司,"K-1",制造业,,,,\r\n' >>exp
	printf '2,"乙公司","多行\r\n文本",零售,,C,, 35\r\n' >>exp
	printf '3,丙公司,"含,逗号和""引号""",教育,,C类,备注,25\r\n' >>exp
	printf '4,丁公司,x,制造业,,,,\r\n' >>exp
	printf '5,丙公司,y,教育,,C类,,25' >>exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; od -c wb/01-leads.csv | tail -8 >&2; }
	cut -d, -f2- wb/audit.csv >got
	printf '用户,命令,工作表,主键,列,原值,新值\r\n' >exp
	for r in 丙公司,线索评分,,25 丙公司,线索等级,A类,C类 丙公司,线索评分,,25 丙公司,线索等级,,C类; do
		printf 'tester,score,01-leads.csv,%s\r\n' "$r" >>exp
	done
	cmp -s exp got || { fail "audit.csv differs"; diff exp got >&2; }
}
