# Team policy as sheets (issue 18): approval routes from approval-rules.csv.
# Every expectation here is written by hand from the sheets the test writes.

# policy_workbook: the example workbook, a 财务 in team.csv, and the rules
# given as lines of approval-rules.csv (UTF-8 with BOM, CRLF, as Excel
# writes it).
policy_workbook() {
	example_workbook wb
	printf '钱芳,财务,华东\r\n' >>wb/team.csv
	{
		printf '\357\273\277条件,审批链,方式,备注\r\n'
		for l in "$@"; do printf '%s\r\n' "$l"; done
	} >wb/approval-rules.csv
}

test_route_by_amount_in_order() {
	policy_workbook '金额 >= 200,销售经理→法务→总经理,依次,大额合同' \
		'金额 < 50,销售经理→财务,依次,小额合同'
	at 2024-01-15 contract add --contract HT2 --customer 科技有限公司 --amount 30
	snapshot wb
	# 法务 is not on the small contract's route
	SALES_TODAY=2024-01-15 sales -C wb approve HT2 --as 法务 --by 郑洁
	expect_rc 1
	expect_err_has "the 法务 is not on this contract's approval route (销售经理 → 财务 (依次), approval-rules.csv:3)"
	# 依次: 财务 waits for 销售经理
	SALES_TODAY=2024-01-15 sales -C wb approve HT2 --as 财务 --by 钱芳
	expect_rc 1
	expect_err_has "approval is sequential (销售经理 → 财务): the 销售经理 has not approved yet"
	expect_unchanged wb
	at 2024-01-15 approve HT2 --as 销售经理 --by 吴磊
	row_has contracts HT2 '"审批状态":"审批中"'
	at 2024-01-16 approve HT2 --as 财务 --by 钱芳
	# two agreements on a two-step route: approved, 法务 and 总经理 untouched
	row_has contracts HT2 '"销售经理":"同意","法务":"","总经理":"","审批状态":"已审批"'
	row_has contracts HT2 '"财务":"同意"'
	# the route it followed is in the audit's 命令
	grep -qF 'approve --as 财务 --by 钱芳 [route 销售经理 → 财务 (依次) approval-rules.csv:3 金额 < 50],04-contracts.csv,HT2,财务,,同意' wb/audit.csv ||
		fail "audit lacks the route of the 财务 opinion"
	# the big example contract keeps the seed's chain (row 2) and stays clean
	SALES_TODAY=2024-01-16 sales -C wb check --format json
	expect_rc 0
	at 2024-01-16 contract sign HT2 --date 2024-01-16
}

test_route_none_applies_is_refused() {
	policy_workbook '金额 >= 200,销售经理→法务→总经理,依次,' \
		'金额 < 50,销售经理→财务,依次,'
	at 2024-01-15 contract add --contract HT3 --customer 科技有限公司 --amount 100
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb approve HT3 --as 销售经理 --by 吴磊
	expect_rc 1
	expect_err_has "contract 'HT3': no approval rule applies to this contract (金额 '100'"
	expect_err_has "a contract is never approved by default"
	expect_unchanged wb
	# check names the contract; the example contract stays clean
	SALES_TODAY=2024-01-15 sales -C wb check --format json
	expect_rc 1
	expect_out_has '"errors":1,'
	expect_out_has '"check":"approvals","severity":"error","file":"04-contracts.csv","line":3,"column":1,"cell":"A3"'
	expect_out_has "no row of approval-rules.csv applies to contract 'HT3'"
	# status says what is next
	SALES_TODAY=2024-01-15 sales -C wb status 科技有限公司
	expect_rc 0
}

test_route_all_sign() {
	policy_workbook '产品线 = 智能物流 且 金额 < 100,销售经理→财务,会签,'
	at 2024-01-15 contract add --contract HT4 --customer 科技有限公司 --amount 80
	# 会签: any order; 财务 first is fine
	at 2024-01-15 approve HT4 --as 财务 --by 钱芳
	row_has contracts HT4 '"审批状态":"审批中"'
	SALES_TODAY=2024-01-15 sales -C wb approve HT4 --as 财务 --by 钱芳
	expect_rc 1
	expect_err_has "the 财务 has already given an opinion"
	at 2024-01-15 approve HT4 --as 销售经理 --by 吴磊
	row_has contracts HT4 '"审批状态":"已审批"'
	# the example contract (258) matches no row: the workbook fails check
	SALES_TODAY=2024-01-15 sales -C wb check --format json
	expect_rc 1
	expect_out_has "no row of approval-rules.csv applies to contract 'HT20231001'"
}

test_route_any_one_decides() {
	policy_workbook '"区域 in 华南,华东 且 金额 < 50",销售经理→总经理,或签,' '*,销售经理→法务→总经理,依次,'
	at 2024-01-15 contract add --contract HT5 --customer 科技有限公司 --amount 20
	at 2024-01-15 approve HT5 --as 总经理 --by 黄志明
	row_has contracts HT5 '"销售经理":"","法务":"","总经理":"同意","审批状态":"已审批"'
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb approve HT5 --as 销售经理 --by 吴磊
	expect_rc 1
	expect_err_has "the 总经理 already approved it, which decides a 或签 route (销售经理 → 总经理 (或签))"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
}

test_route_rejection_under_all() {
	policy_workbook '*,销售经理→法务,会签,'
	at 2024-01-15 contract add --contract HT6 --customer 科技有限公司 --amount 20
	at 2024-01-15 approve HT6 --as 法务 --by 郑洁 --reject --opinion '驳回,条款不全'
	row_has contracts HT6 '"审批状态":"已驳回"'
	SALES_TODAY=2024-01-15 sales -C wb approve HT6 --as 销售经理 --by 吴磊
	expect_rc 1
	expect_err_has "the contract was rejected by the 法务"
	at 2024-01-16 contract resubmit HT6 --terms 补充条款
	row_has contracts HT6 '"销售经理":"","法务":"","总经理":"","审批状态":"待审批"'
}

test_route_bad_condition_names_cell() {
	policy_workbook '金额 >= 200,销售经理→法务→总经理,依次,' '金额 >> 50,销售经理→财务,依次,'
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 2
	expect_err_has "approval-rules.csv:3:A3: condition '金额 >> 50': expected a value after the comparison"
	SALES_TODAY=2024-01-15 sales -C wb approve HT20231001 --as 销售经理 --by 吴磊
	expect_rc 2
	expect_err_has "approval-rules.csv:3:A3:"
	expect_unchanged wb
	policy_workbook '*,销售经理→采购,依次,'
	SALES_TODAY=2024-01-15 sales -C wb status 科技有限公司
	expect_rc 2
	expect_err_has "approval-rules.csv:2:B2: approval chain '销售经理→采购': '采购' holds no opinion column in 04-contracts.csv"
}

test_route_opinion_outside_route() {
	policy_workbook '*,销售经理→财务,依次,'
	# the example contract has 法务 and 总经理 opinions that this route lacks
	SALES_TODAY=2024-01-15 sales -C wb check --format json
	expect_rc 1
	expect_out_has "the 法务 gave an opinion but is not on this contract's approval route (销售经理 → 财务 (依次))"
	expect_out_has "审批状态 is 已审批 but the opinions make it 审批中"
}

test_route_without_sheet_is_the_seed_chain() {
	example_workbook wb
	rm -f wb/approval-rules.csv
	at 2024-01-15 contract add --contract HT7 --customer 科技有限公司 --amount 30
	SALES_TODAY=2024-01-15 sales -C wb approve HT7 --as 法务 --by 郑洁
	expect_rc 1
	expect_err_has "approval is sequential (销售经理 → 法务 → 总经理): the 销售经理 has not approved yet"
	at 2024-01-15 approve HT7 --as 销售经理 --by 吴磊
	grep -qF 'approve --as 销售经理 --by 吴磊 [route 销售经理 → 法务 → 总经理 (依次) seed chain],04-contracts.csv,HT7,销售经理,,同意' wb/audit.csv ||
		fail "audit lacks the seed chain"
	# the example's own rules: 1000 万元 and more add 财务 before 总经理
	example_workbook wb2
	printf '钱芳,财务,华东\r\n' >>wb2/team.csv
	SALES_TODAY=2024-01-15 sales -C wb2 contract add --contract HT8 --customer 科技有限公司 --amount 1200
	expect_rc 0
	for a in 销售经理:吴磊 法务:郑洁; do
		SALES_TODAY=2024-01-15 sales -C wb2 approve HT8 --as "${a%%:*}" --by "${a#*:}"
		expect_rc 0
	done
	SALES_TODAY=2024-01-15 sales -C wb2 approve HT8 --as 总经理 --by 黄志明
	expect_rc 1
	expect_err_has "the 财务 has not approved yet"
}

# The lead pool.  Hand-computed with examples/holidays.csv: 2024-02-04
# (Sunday) is a 班 day and 02-10..02-17 are 休 (春节), 02-18 (Sunday) 班.
# A B lead last contacted on Friday 2024-02-02 with pool.recall_days_B = 2
# is due on 02-05 (02-04 is the first working day, 02-05 the second) and
# recalls from 02-06; counting plain weekdays would give 02-06.
pool_workbook() {
	example_workbook wb
	SALES_TODAY=2024-02-02 sales -C wb config pool.recall_days_B 2
	expect_rc 0
	at 2024-02-02 lead set YY商贸有限公司 --last-contact 2024-02-02
	at 2024-02-02 lead add 乙公司 --grade B类 --owner 周敏 --phone 13900001111 --status 跟进中
}

test_pool_recall_crosses_make_up_day() {
	pool_workbook
	snapshot wb
	SALES_TODAY=2024-02-05 sales -C wb check pool --format json
	expect_rc 0
	expect_out_has '"check":"pool","severity":"warning","file":"01-leads.csv","line":3,"column":11,"cell":"K3","customer":"YY商贸有限公司"'
	expect_out_has "周敏's lead 'YY商贸有限公司' returns to the lead pool (公海) after 2024-02-05 unless followed up (0 working days left)"
	SALES_TODAY=2024-02-05 sales -C wb pool recall
	expect_rc 0
	expect_err_has "no lead is due to return to the pool"
	SALES_TODAY=2024-02-05 sales -C wb due --format json
	expect_out_has '"kind":"recall"'
	expect_unchanged wb
	SALES_TODAY=2024-02-06 sales -C wb pool recall --dry-run
	expect_rc 0
	expect_out_has "01-leads.csv:3: YY商贸有限公司 (周敏) returns to the pool: no follow-up since 2024-02-02, 2 working days (recall date 2024-02-05)"
	expect_out_has "01-leads.csv:4: 乙公司 (周敏) returns to the pool"
	expect_unchanged wb
	SALES_TODAY=2024-02-06 sales -C wb pool list --format json
	expect_out_has '{"customer":"YY商贸有限公司","grade":"B","state":"to recall","owner":"周敏","former_owner":"","last_contact":"2024-02-02","date":"2024-02-05"'
	at 2024-02-06 pool recall
	row_has leads YY商贸有限公司 '"负责人":"","最后跟进时间":"2024-02-02"'
	row_has leads YY商贸有限公司 '"客户状态":"公海"'
	row_has leads YY商贸有限公司 '"原负责人":"周敏"'
	grep -qF 'pool recall [as of 2024-02-06],01-leads.csv,YY商贸有限公司,客户状态,跟进中,公海' wb/audit.csv ||
		fail "audit lacks the recall"
	# nothing left to recall, and no more pool warnings
	SALES_TODAY=2024-02-07 sales -C wb check pool
	expect_rc 0
	SALES_TODAY=2024-02-07 sales -C wb pool list
	expect_out_has '公海'
	expect_out_has 'its former owner may claim it from 2024-02-26'
}

test_pool_claim_rules() {
	pool_workbook
	at 2024-02-06 pool recall
	# the former owner waits 10 working days from 02-06: 02-07..02-09 are
	# 3, 02-18 (班) the 4th, 02-19..02-23 the 9th, 02-26 the 10th
	snapshot wb
	SALES_TODAY=2024-02-23 sales -C wb pool claim YY商贸 --by 周敏
	expect_rc 1
	expect_err_has "'YY商贸有限公司' was 周敏's lead until it returned to the pool on 2024-02-06: its former owner may claim it back from 2024-02-26 (pool.cooldown_days = 10 working days)"
	SALES_TODAY=2024-02-07 sales -C wb pool claim YY商贸 --by 王五
	expect_rc 1
	expect_err_has "'王五' is not in team.csv"
	SALES_TODAY=2024-02-07 sales -C wb pool claim YY商贸 --by 郑洁
	expect_rc 1
	expect_err_has "'郑洁' is not a 销售代表, 销售主管 or 销售经理 in team.csv (its 角色 there: 法务): leads go to a 销售代表, 销售主管 or 销售经理"
	SALES_TODAY=2024-02-07 sales -C wb pool claim 科技有限公司 --by 张伟
	expect_rc 1
	expect_err_has "'科技有限公司' is not in the lead pool (客户状态 '已签约', not 公海)"
	expect_unchanged wb
	# one claim a week per rep
	SALES_TODAY=2024-02-07 sales -C wb config pool.max_claims_per_week 1
	expect_rc 0
	at 2024-02-07 pool claim YY商贸 --by 张伟
	row_has leads YY商贸有限公司 '"负责人":"张伟"'
	row_has leads YY商贸有限公司 '"客户状态":"跟进中"'
	snapshot wb
	SALES_TODAY=2024-02-09 sales -C wb pool assign 乙公司 --to 张伟
	expect_rc 1
	expect_err_has "张伟 has taken 1 leads from the pool this week (pool.max_claims_per_week = 1)"
	expect_unchanged wb
	# the next week (Monday 02-19) counts again; max_held stops it then
	SALES_TODAY=2024-02-19 sales -C wb config pool.max_held 1
	expect_rc 0
	snapshot wb
	SALES_TODAY=2024-02-19 sales -C wb pool assign 乙公司 --to 张伟
	expect_rc 1
	expect_err_has "张伟 already holds 1 open leads (pool.max_held = 1)"
	expect_unchanged wb
	SALES_TODAY=2024-02-19 sales -C wb config --unset pool.max_held
	at 2024-02-19 pool assign 乙公司 --to 张伟 --dry-run
	at 2024-02-19 pool assign 乙公司 --to 张伟
	row_has leads 乙公司 '"负责人":"张伟"'
}

test_pool_never_recalls_signed_or_contracted() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb config pool.recall_days_A 1
	SALES_TODAY=2024-01-15 sales -C wb config pool.recall_days_B 1
	# 科技有限公司 (A, 已签约, a contract) never; YY (B) is past due
	SALES_TODAY=2024-03-01 sales -C wb pool recall --dry-run
	expect_rc 0
	expect_out_has "YY商贸有限公司"
	expect_out_lacks "科技有限公司"
	# config refuses a bad value; one written by hand is named when read
	snapshot wb
	SALES_TODAY=2024-03-01 sales -C wb config pool.cooldown_days abc
	expect_rc 2
	expect_unchanged wb
	printf '[pool]\n\tcooldown_days = abc\n' >>wb/sales.conf
	SALES_TODAY=2024-03-01 sales -C wb pool recall
	expect_rc 2
	expect_err_has "pool.cooldown_days = 'abc' is not a whole number of at least 0"
}

# Import templates and error workbooks.  The expected files are written
# here byte for byte.
test_import_error_workbook_round_trip() {
	example_workbook wb
	printf '\357\273\277客户名称,联系方式,线索等级,负责人\r\n甲公司,13800001111,A类,张伟\r\n乙公司,1234,B类,张伟\r\n丙公司,13800002222,D类,王五\r\n' >in.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb lead import in.csv --errors in_错误.csv
	expect_rc 2
	expect_err_has "nothing imported: 2 of 3 rows in in.csv have problems"
	expect_err_has "in_错误.csv: the 2 refused rows, with their 错误原因"
	expect_unchanged wb
	{
		printf '\357\273\277客户名称,联系方式,线索等级,负责人,错误原因\r\n'
		printf '%s\r\n' "乙公司,1234,B类,张伟,\"联系方式 '1234' is not a phone number (expected a mobile 1[3-9] and 9 digits, a landline 0, area code and 7-8 digits, or a 400/800 number; +86 in front and an extension after are allowed)\""
		printf '%s\r\n' "丙公司,13800002222,D类,王五,\"线索等级 'D类' is not a grade (expected A类, B类 or C类)；负责人 '王五' is not in team.csv\""
	} >expected_errors.csv
	cmp -s expected_errors.csv in_错误.csv || fail "error workbook differs: $(diff expected_errors.csv in_错误.csv | head -5)"
	# the rep fixes the two rows in Excel and imports that file again;
	# its 错误原因 column is ignored
	sed -e 's/,1234,/,13900001234,/' -e 's/D类,王五/B类,周敏/' in_错误.csv >fixed.csv
	SALES_TODAY=2024-01-15 sales -C wb lead import fixed.csv
	expect_rc 0
	expect_err_has "imported 2 leads into 01-leads.csv (序号 3-4)"
	if grep -q '错误原因' "$errf"; then fail "the 错误原因 column was warned about"; fi
	row_has leads 丙公司 '"联系方式":"13800002222","线索来源":"","初步需求":"","线索等级":"B类","负责人":"周敏"'
	# and the good row of the first file, now alone, with --skip-bad
	printf '\357\273\277客户名称,联系方式\r\n甲公司,13800001111\r\n戊公司,12\r\n' >in2.csv
	SALES_TODAY=2024-01-15 sales -C wb lead import in2.csv --skip-bad --errors in2_错误.csv
	expect_rc 0
	expect_err_has "imported 1 lead into 01-leads.csv (序号 5-5)"
	expect_err_has "1 row was not imported (--skip-bad): see in2_错误.csv"
	row_has leads 甲公司 '"联系方式":"13800001111"'
	grep -q '^戊公司,12,' in2_错误.csv || fail "in2_错误.csv lacks the refused row"
}

test_import_error_workbook_keeps_gbk() {
	example_workbook wb
	printf '客户名称,联系方式\r\n乙公司,1234\r\n' | iconv -f UTF-8 -t GB18030 >gbk.csv
	SALES_TODAY=2024-01-15 sales -C wb lead import gbk.csv --errors gbk_错误.csv
	expect_rc 2
	# GBK in, GBK out: no BOM, and iconv reads it back
	head -c 3 gbk_错误.csv | od -An -tx1 | grep -q 'ef bb bf' && fail "a BOM in a GBK error workbook"
	iconv -f GB18030 -t UTF-8 gbk_错误.csv >back.csv || fail "gbk_错误.csv is not GB18030"
	grep -q "^乙公司,1234,\"联系方式 '1234' is not a phone number" back.csv || fail "wrong reason: $(cat back.csv)"
	head -n 1 back.csv | grep -q '^客户名称,联系方式,错误原因' || fail "wrong header: $(head -n 1 back.csv)"
}

test_import_template() {
	example_workbook wb
	sales -C wb lead import --template t.csv
	expect_rc 0
	head -c 3 t.csv | od -An -tx1 | grep -q 'ef bb bf' || fail "the template has no BOM"
	head -n 1 t.csv | grep -q "^.*客户名称\*,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线"$(printf '\r')'$' ||
		fail "template header: $(head -n 1 t.csv)"
	sed -n 2p t.csv | grep -q '^注意事项：必填，客户的全称' || fail "no 注意事项 row"
	sales -C wb lead import --template t.csv
	expect_rc 1
	# filled below its 注意事项 row, the template imports as it is
	printf '己公司,,,刘总,,13700001111,行业展会,,A类,张伟,,,,,华南,智能物流\r\n' >>t.csv
	SALES_TODAY=2024-01-15 sales -C wb lead import t.csv
	expect_rc 0
	expect_err_has "the template's 注意事项 row is not imported"
	expect_err_has "imported 1 lead into 01-leads.csv (序号 3-3)"
	row_has leads 己公司 '"联系人":"刘总"'
}

# targets.csv: monthly targets rolled up into a quarter.  By hand from the
# example workbook: 科技有限公司 (负责人 张伟, 区域 华东) signed HT20231001,
# 258 万元, on 2023-10-25 and paid it on 2023-11-20; YY商贸有限公司 (华东)
# registered on 2023-10-08, 科技有限公司 on 2023-09-28.
test_targets_roll_up_months() {
	example_workbook wb
	printf '\357\273\277对象,月份,指标,目标值\r\n张伟,2023-10,签约金额,200\r\n张伟,2023.11,签约金额,100万\r\n华东,2023-10,新增线索,3\r\n团队,2023-11,回款金额,300\r\n团队,2024-01,赢单数,2\r\n' >wb/targets.csv
	SALES_TODAY=2024-01-15 sales -C wb report targets --quarter 2023Q4 --format json
	expect_rc 0
	# 华东's 签约金额 rolls up from 张伟 (华东 in team.csv): 200 + 100 = 300,
	# actual 258 (科技有限公司 is 华东's), 86%, 2 of 3 months
	expect_out_text '[{"subject":"张伟","period":"2023Q4","metric":"签约金额","target":300,"actual":258,"completion":0.86,"kind":"owner","months":"2/3"},{"subject":"华东","period":"2023Q4","metric":"签约金额","target":300,"actual":258,"completion":0.86,"kind":"region","months":"2/3"},{"subject":"华东","period":"2023Q4","metric":"新增线索","target":3,"actual":1,"completion":0.333333,"kind":"region","months":"1/3"},{"subject":"团队","period":"2023Q4","metric":"回款金额","target":300,"actual":258,"completion":0.86,"kind":"team","months":"1/3"}]'
	SALES_TODAY=2024-01-15 sales -C wb report targets --month 2023-10
	expect_rc 0
	expect_out_has '张伟  2023-10  签约金额   200   258    129%  负责人'
	# as of a date: nothing after it counts (signed 10-25)
	SALES_TODAY=2023-10-20 sales -C wb report targets --month 2023-10 --format csv
	expect_out_has '张伟,2023-10,签约金额,200,0,0,owner,1/1'
	# January has only a 赢单数 target, and no win yet
	SALES_TODAY=2024-01-15 sales -C wb report targets --quarter current --format csv
	expect_out_text 'subject,period,metric,target,actual,completion,kind,months
团队,2024Q1,赢单数,2,0,0,team,1/3'
	# a bad cell is named
	printf '\357\273\277对象,月份,指标,目标值\r\n张伟,2023-10,利润,200\r\n' >wb/targets.csv
	SALES_TODAY=2024-01-15 sales -C wb report targets
	expect_rc 2
	expect_err_has "targets.csv:2:C2: 指标 '利润' is not a target metric (expected 签约金额, 回款金额, 新增线索, 赢单数 or a KPI of 08-kpi.csv such as 线索转化率)"
	# a rep's name with team.csv missing: the missing file is named
	printf '\357\273\277对象,月份,指标,目标值\r\n张伟,2023-10,签约金额,200\r\n' >wb/targets.csv
	rm wb/team.csv
	SALES_TODAY=2024-01-15 sales -C wb report targets
	expect_rc 2
	expect_err_has "targets.csv:2:A2: 对象 '张伟' is neither a 区域 nor 团队 (the whole team), and team.csv is missing, so it cannot be confirmed as a name there ('sales init --missing' writes an empty one to fill in)"
}

# A rep's own KPI target in targets.csv scores the scorecard.  By hand: 张伟
# signed 258 万元 in 2023Q4; his 平均客单价 target for the quarter is the mean
# of October's 400 and November's 300, 350: 100 × 258 ÷ 350 = 73.714286;
# 考核 = (15 × 73.714286 + 10 × 100 + 20 × 100 + 10 × 100) ÷ 55 = 92.831169.
test_targets_feed_the_scorecard() {
	example_workbook wb
	printf '\357\273\277对象,月份,指标,目标值\r\n张伟,2023-10,平均客单价(万元),400\r\n张伟,2023-11,平均客单价,300\r\n' >wb/targets.csv
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format json
	expect_rc 0
	expect_out_has '"owner":"张伟","leads":0,"conversion":null,"deal_size":258,"cycle":27,"satisfaction":null,"process":1,"customers":1,"overdue":0,"score":92.831169,"dimensions":{"conversion":null,"deal_size":73.714286,'
	# KPI rows are the scorecard's, not report targets' volume figures
	SALES_TODAY=2024-01-15 sales -C wb report targets --quarter 2023Q4 --format csv
	expect_out_text 'subject,period,metric,target,actual,completion,kind,months'
}

# Rule 4 in lead import, as in lead add (issue 11): 已签约 needs a signed
# contract, which a new lead cannot have.
test_import_refuses_signed_without_contract() {
	example_workbook wb
	printf '\357\273\277客户名称,联系方式,客户状态\r\n庚公司,13700002222,已签约\r\n辛公司,13700003333,跟进中\r\n' >in.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb lead import in.csv --errors in_错误.csv
	expect_rc 1
	expect_err_has "in.csv:2:C2: 客户状态 已签约 needs a signed contract"
	expect_err_has "nothing imported: 1 of 2 rows in in.csv have problems"
	expect_unchanged wb
	grep -q '^庚公司,13700002222,已签约,"*客户状态 已签约 needs a signed contract' in_错误.csv ||
		fail "in_错误.csv: $(cat in_错误.csv)"
}

# targets.csv in the --by owner|region KPI tables.  By hand from the example
# workbook: 张伟 (华东) signed 258 万元 on 2023-10-25 for 科技有限公司
# (registered 2023-09-28); 周敏 (华东) owns YY商贸有限公司, registered
# 2023-10-08; 08-kpi.csv gives 2023Q4 平均客单价 target 200.
targets_in_tables_workbook() {
	example_workbook wb
	printf '钱芳,销售代表,华南\r\n' >>wb/team.csv
	printf '\357\273\277对象,月份,指标,目标值\r\n张伟,2023-10,签约金额,200\r\n张伟,2023.11,签约金额,100万\r\n周敏,2023-10,新增线索,2\r\n周敏,2023-11,新增线索,1\r\n张伟,2023-10,平均客单价,300\r\n华东,2023-11,签约金额,500\r\n钱芳,2023-10,签约金额,50\r\n张伟,2024-10,签约金额,100\r\n' >wb/targets.csv
}

test_targets_in_report_by_owner() {
	targets_in_tables_workbook
	# 张伟: 签约金额 200 + 100 = 300, actual 258, 86%; no 新增线索 target and
	# none registered in Q4; his own 平均客单价 300 replaces 08's 200: 86%.
	# 周敏: 新增线索 2 + 1 = 3, actual 1, 33.3%; 平均客单价 stays 08's 200.
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner
	expect_rc 0
	expect_out_has '周敏    平均客单价(万元)     200'
	expect_out_has '周敏    签约金额                       0'
	expect_out_has '周敏    新增线索               3       1   33.3%'
	expect_out_has '张伟    平均客单价(万元)     300     258     86%'
	expect_out_has '张伟    签约金额             300     258     86%'
	expect_out_has '张伟    新增线索                       0'
	expect_out_lacks '回款金额'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner --format json
	expect_out_has '{"quarter":"2023Q4","group":"张伟","metric":"签约金额","target":300,"actual":258,"completion":0.86,"yoy":null}'
	expect_out_has '{"quarter":"2023Q4","group":"张伟","metric":"平均客单价(万元)","target":300,"actual":258,"completion":0.86,"yoy":null}'
	expect_out_has '{"quarter":"2023Q4","group":"周敏","metric":"平均客单价(万元)","target":200,"actual":null,"completion":null,"yoy":null}'
	# a month: October's own targets
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-10 --by owner --format csv
	expect_out_has '2023Q4,张伟,签约金额,200,258,1.29,,2023-10'
	expect_out_has '2023Q4,周敏,新增线索,2,1,0.5,,2023-10'
	# as of 2023-10-20 the contract is not signed yet
	SALES_TODAY=2023-10-20 sales -C wb report --month 2023-10 --by owner --format csv
	expect_out_has '2023Q4,张伟,签约金额,200,0,0,,2023-10'
	# a year later: 100 against nothing signed, and 258 a year earlier: -100%
	SALES_TODAY=2025-01-15 sales -C wb report --quarter 2024Q4 --by owner
	expect_out_has '张伟    签约金额             100       0      0%     -100%'
	# without --by the table is 08-kpi.csv's alone, as before
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4
	expect_out_lacks '签约金额'
	expect_out_has '平均客单价(万元)     200     258    129%'
}

test_targets_in_report_by_region() {
	targets_in_tables_workbook
	# 华东's 签约金额: October has no 华东 row, so its reps' (张伟 200; 钱芳
	# is 华南); November has 华东's own 500 (张伟's 100 is not added
	# again): 700, actual 258 → 36.9%.  新增线索 from 周敏: 2 + 1 = 3,
	# actual 1.  平均客单价: no region row, 08's 200 → 129%.
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by region
	expect_rc 0
	expect_out_has '华东  平均客单价(万元)     200     258    129%'
	expect_out_has '华东  签约金额             700     258   36.9%'
	expect_out_has '华东  新增线索               3       1   33.3%'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by region --format json
	expect_out_has '{"quarter":"2023Q4","group":"华东","metric":"签约金额","target":700,"actual":258,"completion":0.368571,"yoy":null}'
	# a bad targets.csv cell stops the report, naming the cell
	printf '张伟,2023-13,签约金额,1\r\n' >>wb/targets.csv
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by region
	expect_rc 2
	expect_err_has "targets.csv:10:B10: 月份 '2023-13' is not a month (e.g. 2024-01)"
}

# A rep (钱芳, 华南 in team.csv) with a target and no customer still has
# a row: 签约金额 target 50 (October), actual 0, 完成率 0 ÷ 50 = 0%; by
# region 华南 (no customer either) rolls up 钱芳's 50.  In every format,
# and in the scorecard, which lists the reps.
test_targets_rep_without_customers() {
	targets_in_tables_workbook
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner
	expect_rc 0
	expect_out_has '钱芳    签约金额              50       0      0%'
	expect_out_has '钱芳    新增线索                       0'
	expect_out_has '钱芳    平均客单价(万元)     200'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner --format md
	expect_out_has '| 钱芳 | 签约金额 | 50 | 0 | 0% |  |'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner --format csv
	expect_out_has '2023Q4,钱芳,签约金额,50,0,0,'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner --format tsv
	expect_out_has "$(printf '2023Q4\t钱芳\t签约金额\t50\t0\t0\t')"
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by owner --format json
	expect_out_has '{"quarter":"2023Q4","group":"钱芳","metric":"签约金额","target":50,"actual":0,"completion":0,"yoy":null}'
	expect_out_has '{"quarter":"2023Q4","group":"钱芳","metric":"线索转化率","target":0.15,"actual":null,"completion":null,"yoy":null}'
	# the region of no customer, from its rep's row
	for f in table md csv tsv json; do
		SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by region --format $f
		expect_rc 0
		case $f in
		table) expect_out_has '华南  签约金额              50       0      0%' ;;
		md) expect_out_has '| 华南 | 签约金额 | 50 | 0 | 0% |  |' ;;
		csv) expect_out_has '2023Q4,华南,签约金额,50,0,0,' ;;
		tsv) expect_out_has "$(printf '2023Q4\t华南\t签约金额\t50\t0\t0\t')" ;;
		json) expect_out_has '{"quarter":"2023Q4","group":"华南","metric":"签约金额","target":50,"actual":0,"completion":0,"yoy":null}' ;;
		esac
	done
	# November has no target of 钱芳's: no row for 钱芳 then
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --by owner
	expect_out_lacks '钱芳'
	# the scorecard lists 钱芳: no figure, no score, the target at 0%
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format md
	expect_rc 0
	expect_out_has '| 钱芳 | 0 |  |  |  |  |  | 0 |  |'
	expect_out_has '| 钱芳 | 签约金额 | 50 | 0 | 0% |'
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format json
	expect_out_has '"owner":"钱芳","leads":0,'
	expect_out_has '"score":null,'
	expect_out_has '"targets":{"signed_amount":{"target":50,"actual":0,"completion":0},'
}

# report targets rolls a region up from its reps as --by region does
# (the same count): 华东's 签约金额 = 张伟's October 200 (no 华东 row that
# month) + 华东's own November 500 (张伟's 100 not added again) = 700,
# 2 of 3 months, actual 258: 36.9%; 新增线索 from 周敏 (华东): 2 + 1 = 3,
# actual 1; 华南 only through 钱芳: 50, 1 of 3 months, actual 0: 0%.
test_report_targets_rolls_up_regions() {
	targets_in_tables_workbook
	SALES_TODAY=2024-01-15 sales -C wb report targets --quarter 2023Q4 --format csv
	expect_rc 0
	expect_out_text 'subject,period,metric,target,actual,completion,kind,months
张伟,2023Q4,签约金额,300,258,0.86,owner,2/3
华东,2023Q4,签约金额,700,258,0.368571,region,2/3
周敏,2023Q4,新增线索,3,1,0.333333,owner,2/3
华东,2023Q4,新增线索,3,1,0.333333,region,2/3
钱芳,2023Q4,签约金额,50,0,0,owner,1/3
华南,2023Q4,签约金额,50,0,0,region,1/3'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --by region --format csv
	expect_out_has '2023Q4,华东,签约金额,700,258,0.368571,'
	expect_out_has '2023Q4,华南,签约金额,50,0,0,'
	# November alone: 华东's own 500 wins over 张伟's 100
	SALES_TODAY=2024-01-15 sales -C wb report targets --month 2023-11 --format csv
	expect_out_has '华东,2023-11,签约金额,500,0,0,region,1/1'
}

# check validates targets.csv with the validator report uses: every bad
# cell named by file, line and Excel cell, under the check 'targets'.
test_check_targets_cells() {
	example_workbook wb
	{
		printf '\357\273\277对象,月份,指标,目标值\r\n'
		printf '张伟,2024-01,签约金额,120\r\n'      # line 2: good
		printf '王五,2024-01,签约金额,100\r\n'      # 3: 王五 is not in team.csv
		printf '张伟,2024-13,签约金额,100\r\n'      # 4: no month 13
		printf '华东,2024-01,利润,100\r\n'          # 5: no such metric
		printf '团队,2024-01,新增线索,很多\r\n'     # 6: not a number
		printf '周敏,2024-01,赢单数,1.5\r\n'        # 7: a count is whole
		printf '張偉,2024.02,簽約金額,80万\r\n'     # 8: traditional 指标 fine; 張偉 is not 张伟
	} >wb/targets.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb check --format json
	expect_rc 1
	expect_out_has '"errors":6,'
	expect_out_has "{\"check\":\"targets\",\"severity\":\"error\",\"file\":\"targets.csv\",\"line\":3,\"column\":1,\"cell\":\"A3\",\"customer\":\"\",\"message\":\"对象 '王五' is neither a name in team.csv, a 区域 nor 团队 (the whole team)\"}"
	expect_out_has "\"line\":4,\"column\":2,\"cell\":\"B4\",\"customer\":\"\",\"message\":\"月份 '2024-13' is not a month (e.g. 2024-01)\""
	expect_out_has "\"line\":5,\"column\":3,\"cell\":\"C5\",\"customer\":\"\",\"message\":\"指标 '利润' is not a target metric"
	expect_out_has "\"line\":6,\"column\":4,\"cell\":\"D6\",\"customer\":\"\",\"message\":\"目标值 '很多' is not a whole number\""
	expect_out_has "\"line\":7,\"column\":4,\"cell\":\"D7\",\"customer\":\"\",\"message\":\"目标值 '1.5' is not a whole number\""
	expect_out_has "\"line\":8,\"column\":1,\"cell\":\"A8\",\"customer\":\"\",\"message\":\"对象 '張偉' is neither"
	expect_unchanged wb
	# the check by name, in the text form
	SALES_TODAY=2024-01-15 sales -C wb check targets
	expect_rc 1
	expect_out_has "targets.csv:4:B4: error[targets]: 月份 '2024-13' is not a month (e.g. 2024-01)"
	# report refuses the same first cell, with the same words
	SALES_TODAY=2024-01-15 sales -C wb report targets --month 2024-01
	expect_rc 2
	expect_err_has "targets.csv:3:A3: 对象 '王五' is neither a name in team.csv, a 区域 nor 团队 (the whole team)"
	# the check is listed; the example workbook (no targets.csv) stays clean
	sales check --list
	expect_out_has 'targets     error'
	example_workbook wb2
	SALES_TODAY=2024-01-15 sales -C wb2 check targets
	expect_rc 0
	# a pool setting written by hand is named with its line
	printf '[pool]\n\tcooldown_days = 5\n\trecall_days_B = x\n' >>wb2/sales.conf
	SALES_TODAY=2024-01-15 sales -C wb2 check
	expect_rc 2
	expect_err_has "sales.conf:3: pool.recall_days_b = 'x' is not a whole number of at least 1"
}

# The error workbook of the .xlsx import (rejects.h, as lead import's):
# every row of a tab with a refused row stays in its place (that import
# matches rows by position), a 错误原因 column on the refused ones.  Read
# back, fixed and saved again by gnumeric, as a rep's Excel would.  By hand:
# 01's row 2 (科技有限公司) gets 负责人 李四, not in team.csv; row 3 (YY)
# goes 跟进中 → 已丢单; two new rows: 丙公司 with the phone 1234 (Excel row
# 4) and 丁公司 (row 5), both good but 丙公司's phone.
xlsx_errors_workbook() {
	example_workbook wb
	cp -r wb edited
	sed -i '2s/,张伟,/,李四,/; 3s/,跟进中,/,已丢单,/' edited/01-leads.csv
	printf '3,丙公司,零售,,刘总,,1234,行业展会,,B类,周敏,2024-01-12,,2024-01-12,跟进中,华南,,,\r\n4,丁公司,零售,,赵总,,13800002222,行业展会,,B类,周敏,2024-01-12,,2024-01-12,跟进中,华南,,,\r\n' >>edited/01-leads.csv
	sales -C edited export --format xlsx -o e.xlsx
	expect_rc 0
}

test_import_xlsx_error_workbook() {
	need_tool ssconvert "reads the error workbook back, as a rep's spreadsheet (gnumeric)" || return 0
	xlsx_errors_workbook
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb import e.xlsx --errors e_错误.xlsx
	expect_rc 2
	expect_err_has "01-leads.csv:K2: 负责人 '李四' is not in team.csv"
	expect_err_has "01-leads.csv:G4: 联系方式 '1234' is not a phone number"
	expect_err_has "e_错误.xlsx: the 2 refused rows, with their 错误原因"
	expect_err_has "2 values refused: nothing imported"
	expect_unchanged wb
	ssconvert e_错误.xlsx back.csv >/dev/null 2>&1 || fail "ssconvert cannot read e_错误.xlsx"
	# one tab (01-leads), the header + 错误原因, rows in place, reasons on 2 and 4
	head -n 1 back.csv | grep -q ',线索评分,丢单原因,错误原因$' || fail "header: $(head -n 1 back.csv)"
	[ "$(wc -l <back.csv)" = 5 ] || fail "expected 5 lines: $(cat back.csv)"
	sed -n 2p back.csv | grep -q "^1,科技有限公司,.*,李四,.*,\"负责人 '李四' is not in team.csv\"$" || fail "row 2: $(sed -n 2p back.csv)"
	sed -n 3p back.csv | grep -q '^2,YY商贸有限公司,.*,已丢单,华东,仓储管理,42,,$' || fail "row 3: $(sed -n 3p back.csv)"
	sed -n 4p back.csv | grep -q "^3,丙公司,零售,,刘总,,1234,.*,\"联系方式 '1234' is not a phone number (expected" || fail "row 4: $(sed -n 4p back.csv)"
	sed -n 5p back.csv | grep -q '^4,丁公司,零售,,赵总,,13800002222,.*,$' || fail "row 5: $(sed -n 5p back.csv)"
	# the error workbook of an .xlsx import is an .xlsx
	sales -C wb import e.xlsx --errors e_错误.csv
	expect_rc 2
	expect_err_has "the error workbook of an .xlsx import is an .xlsx"
}

test_import_xlsx_skip_bad_then_fixed() {
	need_tool ssconvert "fixes the error workbook, as a rep's spreadsheet (gnumeric)" || return 0
	xlsx_errors_workbook
	# --skip-bad: YY's change and 丁公司 go in; 科技's row and 丙公司 do not
	SALES_TODAY=2024-01-15 sales -C wb import e.xlsx --skip-bad --errors e_错误.xlsx
	expect_rc 0
	expect_err_has "2 rows were not imported (--skip-bad): see e_错误.xlsx"
	row_has leads YY商贸有限公司 '"客户状态":"已丢单"'
	row_has leads 科技有限公司 '"负责人":"张伟"'
	row_has leads 丁公司 '"联系方式":"13800002222"'
	sales -C wb export leads
	expect_out_lacks '丙公司'
	# the refused new row comes after the added one: where the sheet wants it
	ssconvert e_错误.xlsx back.csv >/dev/null 2>&1 || fail "ssconvert cannot read e_错误.xlsx"
	sed -n 4p back.csv | grep -q '^4,丁公司,' || fail "row 4 should be 丁公司: $(sed -n 4p back.csv)"
	sed -n 5p back.csv | grep -q '^3,丙公司,.*,"联系方式 '"'"'1234'"'"' is not a phone number' || fail "row 5: $(sed -n 5p back.csv)"
	# the rep fixes the two rows and saves; the 错误原因 column is ignored
	sed -e 's/,李四,/,周敏,/' -e 's/,1234,/,13900001234,/' back.csv >fixed.csv
	ssconvert fixed.csv fixed.xlsx >/dev/null 2>&1 || fail "ssconvert cannot write fixed.xlsx"
	SALES_TODAY=2024-01-15 sales -C wb import fixed.xlsx
	expect_rc 0
	expect_out_has "01-leads.csv:K2: 负责人: '张伟' -> '周敏'"
	expect_out_lacks '错误原因'
	row_has leads 科技有限公司 '"负责人":"周敏"'
	row_has leads 丙公司 '"联系方式":"13900001234","线索来源":"行业展会"'
	# every row already holds what the file shows
	SALES_TODAY=2024-01-15 sales -C wb import fixed.xlsx
	expect_rc 0
	expect_out_has 'nothing to change'
	# nothing left to import but a refused row: an error, not a success
	cp -r wb only
	printf '5,戊公司,零售,,孙总,,12,行业展会,,B类,周敏,2024-01-12,,2024-01-12,跟进中,华南,,,\r\n' >>only/01-leads.csv
	sales -C only export --format xlsx -o bad.xlsx
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb import bad.xlsx --skip-bad
	expect_rc 2
	expect_err_has 'nothing imported: the one changed row was refused'
	expect_unchanged wb
}

# The scorecard shows each rep's targets: the KPI targets each dimension
# was scored against (and whose), and targets.csv's volume targets with
# actual and 完成率.  By hand (targets_in_tables_workbook): 张伟's 平均客单价
# target is his own 300 (258 ÷ 300 = 86); 销售周期 has no target anywhere,
# so the team's 27 days; 考核 = (15 × 86 + 10 × 100 + 20 × 100 + 10 × 100)
# ÷ 55 = 96.181818.  周敏: 线索转化率 against 08-kpi.csv's 15%, 0 ÷ 0.15 = 0;
# 考核 = (25 × 0 + 20 × 100 + 10 × 100) ÷ 55 = 54.545455.
test_targets_in_scorecard() {
	targets_in_tables_workbook
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format json
	expect_rc 0
	expect_out_has '"owner":"张伟","leads":0,"conversion":null,"deal_size":258,"cycle":27,"satisfaction":null,"process":1,"customers":1,"overdue":0,"score":96.181818,'
	expect_out_has '"targets":{"deal_size":{"target":300,"from":"rep"},"cycle":{"target":27,"from":"team"},"signed_amount":{"target":300,"actual":258,"completion":0.86},"new_leads":{"target":null,"actual":0,"completion":null}}}'
	expect_out_has '"owner":"周敏","leads":1,"conversion":0,'
	expect_out_has '"score":54.545455,'
	expect_out_has '"targets":{"conversion":{"target":0.15,"from":"kpi"},"signed_amount":{"target":null,"actual":0,"completion":null},"new_leads":{"target":3,"actual":1,"completion":0.333333}}}'
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4
	expect_out_has '业绩目标 (targets.csv)'
	expect_out_has '张伟    签约金额   300   258     86%'
	expect_out_has '周敏    新增线索     3     1   33.3%'
}
