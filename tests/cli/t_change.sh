# Issue 15 item 7: changes.csv 需求变更确认单 -- change add|list, the story,
# check change, and the sheet in init, the example and export --normalized.
# Figures are worked out by hand in the comments.

test_change_sheet_in_templates_example_and_init() {
	sales init wb
	expect_rc 0
	[ -f wb/changes.csv ] || fail "init wrote no changes.csv"
	head -n 1 wb/changes.csv | tr -d '\r' | sed 's/^\xef\xbb\xbf//' >got
	echo '客户名称,合同编号,变更内容,费用调整(万元),工期调整(天),审批人,审批日期,客户确认' >exp
	cmp -s got exp || fail "changes.csv header: $(cat got)"
	rm wb/changes.csv
	sales -C wb init --missing
	[ -f wb/changes.csv ] || fail "init --missing did not write changes.csv"
	sales init --example ex
	cmp -s ex/changes.csv "$ROOT/examples/changes.csv" || fail "the example changes.csv differs"
	# the example's change is approved (吴磊 is a 销售经理, 是) and goes to
	# 科技有限公司's one signed contract: nothing to report
	SALES_TODAY=2024-01-15 sales -C ex check
	expect_rc 0
	sales -C ex export --normalized norm
	expect_rc 0
	tr -d '\r' <norm/changes.csv | cut -d, -f4- >got
	printf 'customer,contract,what,cost,days,approver,approved,confirmed\n科技有限公司,,增加分拣格口2个,12,5,吴磊,2023-11-08,是\n' >exp
	cmp -s got exp || { fail "normalized changes.csv"; diff exp got >&2; }
}

test_change_add_and_list_hand_worked() {
	example_workbook wb
	# no --contract: 科技有限公司 has one signed contract, HT20231001
	SALES_TODAY=2024-01-15 sales -C wb change add --customer 科技 --what 增加报表 \
		--cost -3.5 --days 3 --approver 黄志明 --date 2024-01-12 --confirmed 是
	expect_rc 0
	expect_err_has "合同编号 HT20231001: the one signed contract of '科技有限公司' (04-contracts.csv:2)"
	tail -n 1 wb/changes.csv | tr -d '\r' >got
	echo '科技有限公司,HT20231001,增加报表,-3.5,3,黄志明,2024-01-12,是' >exp
	cmp -s got exp || fail "row written: $(cat got)"
	[ "$(grep -c ',change add,changes.csv,科技有限公司,' wb/audit.csv)" = 8 ] || fail "not 8 audit rows"
	# a change the customer has not confirmed is recorded, and does not count
	SALES_TODAY=2024-01-15 sales -C wb change add --customer 科技有限公司 --contract HT20231001 \
		--what 延长质保 --cost 6 --days 10 --approver 吴磊 --confirmed 否
	expect_rc 0
	expect_err_has '客户确认 否: the change counts once the customer confirms it'
	# counted: +12 and -3.5 = +8.5万元, 5 + 3 = 8天; 2 of 3 count
	SALES_TODAY=2024-01-15 sales -C wb change list
	expect_rc 0
	expect_out_has '2 of 3 changes count: 费用调整 +8.5万元, 工期调整 +8天'
	expect_out_has 'the customer has not confirmed it (客户确认 is not 是)'
	SALES_TODAY=2024-01-15 sales -C wb change list --customer 科技 --format json
	cat >exp <<'EOF'
[{"customer":"科技有限公司","contract":"HT20231001","what":"增加分拣格口2个","cost":12,"days":5,"approver":"吴磊","approved":"2023-11-08","confirmed":"是","counts":true,"why":""},{"customer":"科技有限公司","contract":"HT20231001","what":"增加报表","cost":-3.5,"days":3,"approver":"黄志明","approved":"2024-01-12","confirmed":"是","counts":true,"why":""},{"customer":"科技有限公司","contract":"HT20231001","what":"延长质保","cost":6,"days":10,"approver":"吴磊","approved":"2024-01-15","confirmed":"否","counts":false,"why":"the customer has not confirmed it (客户确认 is not 是)"}]
EOF
	expect_out exp
	# the story tells each change on its 审批日期
	SALES_TODAY=2024-01-15 sales -C wb status 科技
	expect_out_has '  2023-11-08  需求变更  change request approved by 吴磊: 增加分拣格口2个; 费用调整 +12万元, 工期调整 5天, 客户确认 是  [changes.csv:2]'
	expect_out_has '  2024-01-12  需求变更  change request to HT20231001 approved by 黄志明: 增加报表; 费用调整 -3.5万元, 工期调整 3天, 客户确认 是  [changes.csv:3]'
	SALES_TODAY=2024-01-15 sales -C wb status 科技 --format json
	expect_out_has '"file":"changes.csv","line":4'
	# the unconfirmed one is check's warning
	SALES_TODAY=2024-01-15 sales -C wb check change
	expect_rc 0
	expect_out_has 'changes.csv:4:H4: warning[change]: the change does not count: the customer has not confirmed it'
}

test_change_add_refusals_leave_files_identical() {
	example_workbook wb
	sha() { (cd wb && find . -type f ! -name .sales.lock | sort | xargs sha256sum); }
	sha >before
	try() {   # try RC MESSAGE ARGS...
		want=$1 msg=$2
		shift 2
		SALES_TODAY=2024-01-15 sales -C wb change add "$@"
		expect_rc "$want"
		expect_err_has "$msg"
		sha >after
		cmp -s before after || fail "files changed by: change add $*"
	}
	base="--customer 科技 --what W --confirmed 是"
	try 1 "'张伟' is not a 销售经理 or 总经理 in team.csv (its 角色 there: 销售代表): a change request is approved by a 销售经理 or 总经理" $base --approver 张伟
	try 1 "option '--approver': 审批人 '某人' is not in team.csv" $base --approver 某人
	try 2 "option '--cost': 费用调整(万元) 'abc' is not a change in 万元 (expected +12, -5 or 12万)" $base --approver 吴磊 --cost abc
	try 2 "option '--cost': 费用调整(万元) '10-20' is not a change in 万元" $base --approver 吴磊 --cost 10-20
	try 2 "option '--days': 工期调整(天) '1.5' is not a whole number" $base --approver 吴磊 --days 1.5
	try 2 "option '--confirmed': 客户确认 '也许' is not one of 是 or 否" --customer 科技 --what W --approver 吴磊 --confirmed 也许
	try 1 "option '--date': 审批日期 '2024-02-01' lies in the future (today is 2024-01-15)" $base --approver 吴磊 --date 2024-02-01
	try 1 "合同编号 'HT999' is not in 04-contracts.csv" $base --approver 吴磊 --contract HT999
	try 1 "合同编号 is empty and 'YY商贸有限公司' has no signed contract" --customer YY商贸 --what W --confirmed 是 --approver 吴磊
	try 1 "no customer named '丙'" --customer 丙 --what W --confirmed 是 --approver 吴磊
	try 2 "missing option '--what' (变更内容)" --customer 科技 --approver 吴磊 --confirmed 是
	try 2 "missing option '--confirmed' (客户确认)" --customer 科技 --what W --approver 吴磊
}

test_change_check_import_moves_the_plan_and_the_amount() {
	example_workbook wb
	cp -r wb edited
	# a rep moves 设备安装's end from 11-20 to 11-28 and the amount from 258
	# to 270 in the spreadsheet, and imports it: audit.csv records both
	sed -i 's/2023.11.10-11.20/2023.11.10-11.28/' edited/05-plans.csv
	sed -i 's/^HT20231001,科技有限公司,258,/HT20231001,科技有限公司,270,/' edited/04-contracts.csv
	sales -C edited export --format xlsx -o e.xlsx
	SALES_TODAY=2024-01-15 sales -C wb import e.xlsx
	expect_rc 0
	# plan: planned end 11-20, now 11-28: 8 days; the approved change gives
	# 5: uncovered.  amount: signed 258 + approved 12 = 270: covered.
	SALES_TODAY=2024-01-15 sales -C wb check change --format json
	expect_rc 1
	expect_out_has '"errors":1,"warnings":0'
	expect_out_has '"check":"change","severity":"error","file":"05-plans.csv","line":3,"column":3,"cell":"C3"'
	expect_out_has "delivery phase '设备安装' ends 2023-11-28, 8 days after its planned 2023-11-20 (audit.csv), but the approved changes in changes.csv give 工期调整 5天"
	# 3 more days approved: 5 + 3 = 8 covers it
	SALES_TODAY=2024-01-15 sales -C wb change add --customer 科技 --what 现场改造 \
		--days 3 --approver 吴磊 --date 2024-01-15 --confirmed 是
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	# a change of -2万元 to the contract: 258 + 12 - 2 = 268, not 270
	SALES_TODAY=2024-01-15 sales -C wb change add --customer 科技 --what 减少培训 \
		--cost -2 --approver 黄志明 --date 2024-01-15 --confirmed 是
	SALES_TODAY=2024-01-15 sales -C wb check change
	expect_rc 1
	expect_out_has '04-contracts.csv:2:C2: error[change]: 合同金额 of HT20231001 is 270万元, 258万元 when signed (audit.csv), but the approved changes in changes.csv add +10万元 (expected 268万元)'
}

test_change_check_reads_the_audit_history() {
	example_workbook wb
	# audit rows as the commands write them: a renegotiation before the
	# signing row (300 -> 258) is no change; after it, 240 -> 258; the phase
	# 设备安装 first planned to end 11-12, now 11-20
	printf '%s\r\n' \
		'2023-10-20T10:00:00+08:00,张伟,contract resubmit,04-contracts.csv,HT20231001,合同金额(万元),300,258' \
		'2023-10-25T10:00:00+08:00,张伟,contract sign,04-contracts.csv,HT20231001,签订日期,,2023-10-25' \
		'2023-11-08T10:00:00+08:00,张伟,import,04-contracts.csv,HT20231001,合同金额(万元),240,258' \
		'2023-11-08T10:00:00+08:00,张伟,import,05-plans.csv,科技有限公司/设备安装,起止时间,2023.11.10-11.12,2023.11.10-11.20' \
		>>wb/audit.csv
	SALES_TODAY=2024-01-15 sales -C wb check change
	expect_rc 1
	# 240 + 12 = 252, not 258; 11-20 - 11-12 = 8 days > 5
	expect_out_has '04-contracts.csv:2:C2: error[change]: 合同金额 of HT20231001 is 258万元, 240万元 when signed (audit.csv), but the approved changes in changes.csv add +12万元 (expected 252万元)'
	expect_out_has "05-plans.csv:3:C3: error[change]: delivery phase '设备安装' ends 2023-11-20, 8 days after its planned 2023-11-12"
	# the same with two threads, the phase looked up in the parsing
	# thread's prep (lean never) or in the caller's (lean always)
	cp "$out" "$H/one"
	for lean in never always; do
		SALES_THREADS=2 SALES_READAHEAD_LEAN=$lean SALES_TODAY=2024-01-15 \
			sales -C wb check change
		expect_rc 1
		expect_out "$H/one"
	done
	# the phase's row with its own 客户名称 (not filled down): the prep
	# answers for it, in either thread
	cp -r wb own
	sed -i '3s/^,设备安装/科技有限公司,设备安装/' own/05-plans.csv
	for lean in never always; do
		SALES_THREADS=2 SALES_READAHEAD_LEAN=$lean SALES_TODAY=2024-01-15 \
			sales -C own check change
		expect_rc 1
		expect_out_has "05-plans.csv:3:C3: error[change]: delivery phase '设备安装' ends 2023-11-20, 8 days after its planned 2023-11-12"
	done
	SALES_THREADS=1 SALES_TODAY=2024-01-15 sales -C own check change
	expect_rc 1
	expect_out_has "05-plans.csv:3:C3: error[change]: delivery phase '设备安装' ends 2023-11-20, 8 days after its planned 2023-11-12"
	# signed at 246 (246 + 12 = 258) and planned to end 11-15 (5 days): covered
	sed -i 's/,240,258/,246,258/; s/11.12,2023/11.15,2023/' wb/audit.csv
	SALES_TODAY=2024-01-15 sales -C wb check change
	expect_rc 0
	# the customer takes the change back (客户确认 否): neither is covered
	sed -i 's/2023-11-08,是/2023-11-08,否/' wb/changes.csv
	SALES_TODAY=2024-01-15 sales -C wb check change
	expect_rc 1
	expect_out_has 'add +0万元 (expected 246万元)'
	expect_out_has 'give 工期调整 0天'
	expect_out_has 'changes.csv:2:H2: warning[change]'
	# rows of changes.csv are judged by the shared rules too
	printf '%s\r\n' '丙公司,,X,+1,1,吴磊,2024-01-10,是' '科技有限公司,HT999,Y,abc,1,张伟,2024-01-10,是' >>wb/changes.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_has "changes.csv:3:A3: error[refs]: customer '丙公司' is not in 01-leads.csv"
	expect_out_has "changes.csv:4:D4: error[values]: 费用调整(万元) 'abc' is not a change in 万元"
	expect_out_has "changes.csv:4:B4: error[change]: the change does not count: 合同编号 'HT999' is not in 04-contracts.csv"
}

test_change_generated_workbook_matches_awk() {
	gen_workbook wb 300 || return 0
	# a workbook from before changes.csv: change add needs the sheet
	SALES_TODAY=2024-06-30 sales -C wb change add --customer x --what y --approver 张军 --confirmed 是
	expect_rc 2
	expect_err_has 'changes.csv: the sheet is missing from the workbook'
	sales -C wb init --missing
	expect_rc 0
	# one change per signed customer with a contract: cost = its row number
	# in 04 (2, 3, ...) 万元, 1 day each; totals by awk over the export
	sales -C wb export contracts --format tsv
	awk -F'\t' 'NR > 1 && $10 == "已审批" && $11 != "" { print $1 "\t" $2 }' "$out" | head -n 20 >signed
	[ -s signed ] || { fail "no signed contract in the generated workbook"; return; }
	n=0
	while IFS="$(printf '\t')" read -r id cust; do
		n=$((n + 1))
		SALES_TODAY=2024-06-30 sales -C wb change add --customer "$cust" --contract "$id" \
			--what "变更$n" --cost "$n" --days 1 --approver 张军 --date 2024-06-30 --confirmed 是
		expect_rc 0
	done <signed
	want_cost=$((n * (n + 1) / 2))
	SALES_TODAY=2024-06-30 sales -C wb change list
	expect_out_has "$n of $n changes count: 费用调整 +${want_cost}万元, 工期调整 +${n}天"
	SALES_TODAY=2024-06-30 sales -C wb change list --format csv
	tail -n +2 "$out" | awk -F, '{ c += $4; d += $5 } END { print c, d }' >got
	[ "$(cat got)" = "$want_cost $n" ] || fail "csv totals $(cat got), expected $want_cost $n"
	# no audited edit: the changes alone raise no finding
	SALES_TODAY=2024-06-30 sales -C wb check change
	expect_rc 0
}
