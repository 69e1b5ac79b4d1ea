# t_agree.sh - one rulebook (libsales/facts.h): check, status, due, the
# funnel and the writing commands judge a workbook the same way.  Each
# planted workbook breaks one rule of sales-workbook(5), once without and once with
# the waiver that rule knows; agree.py then requires check, check
# --customer, status and due to agree finding for finding, and each test
# states what the hand-computed answer is.  Everything as of Monday
# 2024-01-15 (no holidays listed: Monday-Friday are working days).

# agree_wb DIR: the empty sheets, a team with a 销售经理.
agree_wb() {
	mkdir -p "$1"
	printf '客户名称,线索等级,负责人,最后跟进时间,登记日期,客户状态\n' >"$1/01-leads.csv"
	printf '客户名称,调研时间\n' >"$1/02-surveys.csv"
	printf '客户名称,方案名称,评审意见,提交日期,评审日期\n' >"$1/03-solutions.csv"
	printf '合同编号,客户名称,合同金额(万元),销售经理,法务,总经理,审批状态,签订日期,付款到期日,回款日期\n' >"$1/04-contracts.csv"
	printf '客户名称,项目阶段,起止时间\n' >"$1/05-plans.csv"
	printf '客户名称,验收时间,验收结果\n' >"$1/06-acceptance.csv"
	printf '客户名称,跟进时间,跟进人,下次跟进计划\n' >"$1/07-followups.csv"
	printf '姓名,角色,区域\n吴磊,销售经理,华东\n张伟,销售代表,华东\n' >"$1/team.csv"
	printf '客户名称,类型,环节,原因,新期限,审批人,审批日期\n' >"$1/exceptions.csv"
}

# agree DIR: agree.py's verdict (its summary in $H/agree).
agree() {
	need_tool python3 "compares the JSON of check, status and due" || return 1
	SALES_TODAY=2024-01-15 python3 "$TESTS_DIR/agree.py" "$SALES_BIN" "$1" >"$H/agree" 2>&1 ||
		{ fail "check, status and due disagree on $1"; sed 's/^/    /' "$H/agree" >&2; return 1; }
	return 0
}

# agree_has TEXT: agree.py's summary holds TEXT.
agree_has() {
	grep -qF -- "$1" "$H/agree" || { fail "summary lacks '$1'"; sed 's/^/    /' "$H/agree" >&2; }
}

exc() {   # exc DIR CUSTOMER TYPE STAGE [DEADLINE]
	printf '%s,%s,%s,客户原因,%s,吴磊,2024-01-02\n' "$2" "$3" "$4" "${5:-}" >>"$1/exceptions.csv"
}

# Rule 1: 甲 has a proposal (03) but no survey (02).
test_agree_rule1_stages() {
	agree_wb wb
	printf '甲公司,B类,张伟,2024-01-10,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '甲公司,方案A,,2024-01-08,\n' >>wb/03-solutions.csv
	agree wb || return 0
	agree_has '甲公司 stages[error] |'
	exc wb 甲公司 跳过环节 需求分析
	agree wb || return 0
	agree_has '甲公司 stages[note] |'
}

# Rule 2: 乙 registered Tuesday 01-02, still ungraded: due by Friday 01-05.
test_agree_rule2_screening() {
	agree_wb wb
	printf '乙公司,,张伟,2024-01-02,2024-01-02,跟进中\n' >>wb/01-leads.csv
	agree wb || return 0
	agree_has '乙公司 screening[error] | screening:-10'
	exc wb 乙公司 延期 客户开发 2024-01-20
	agree wb || return 0
	agree_has '乙公司 screening[note] | screening:5'
}

# Rule 3: 丙 surveyed Wednesday 01-03, no proposal: due Wednesday 01-10.
# Waived by an approved 跳过环节 of 方案制定: no error, nothing due.
test_agree_rule3_proposal() {
	agree_wb wb
	printf '丙公司,B类,张伟,2024-01-03,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '丙公司,2024-01-03\n' >>wb/02-surveys.csv
	agree wb || return 0
	agree_has '丙公司 proposal[error] | proposal:-5'
	cp -r wb ext
	exc ext 丙公司 延期 方案制定 2024-01-19
	agree ext || return 0
	agree_has '丙公司 proposal[note] | proposal:4'
	exc wb 丙公司 跳过环节 方案制定
	agree wb || return 0
	agree_has '丙公司 proposal[note] |'
	agree_has '丙公司 proposal[note] | '
	SALES_TODAY=2024-01-15 sales -C wb due --format csv
	expect_out_lacks '丙公司'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	expect_out_has "waived: stage 方案制定 is skipped by an approved 跳过环节 exception"
}

# Rule 4: 丁 is 已签约 without a signed contract; lead set refuses to write
# that status for another lead, and accepts what check accepts.
test_agree_rule4_lead_status() {
	agree_wb wb
	printf '丁公司,B类,张伟,2024-01-10,2024-01-02,已签约\n' >>wb/01-leads.csv
	printf '戊公司,B类,张伟,2024-01-10,2024-01-02,跟进中\n' >>wb/01-leads.csv
	agree wb || return 0
	agree_has '丁公司 approvals[error] |'
	agree_has '戊公司  |'
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb lead set 戊公司 --status 已签约
	expect_rc 1
	expect_err_has "客户状态 已签约 needs a signed contract"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb lead add 新公司 --status 已签约
	expect_rc 1
	expect_unchanged wb
	# 丁 may leave 已签约: then check is clean for it too
	SALES_TODAY=2024-01-15 sales -C wb lead set 丁公司 --status 跟进中
	expect_rc 0
	agree wb || return 0
	agree_has '丁公司  |'
}

# Rule 5: 戊's contract came before its proposal passed review.
test_agree_rule5_gates() {
	agree_wb wb
	printf '戊公司,B类,张伟,2024-01-06,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '戊公司,2024-01-03\n' >>wb/02-surveys.csv
	printf '戊公司,方案A,不通过,2024-01-05,2024-01-06\n' >>wb/03-solutions.csv
	printf 'HT1,戊公司,100,,,,待审批,,,\n' >>wb/04-contracts.csv
	agree wb || return 0
	agree_has '戊公司 gates[error] |'
	snapshot wb
	# the writing command's gate says no where check says error
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT2 --customer 戊公司 --amount 100
	expect_rc 1
	expect_err_has 'stage 方案制定 is missing'
	expect_unchanged wb
	exc wb 戊公司 跳过环节 方案制定
	agree wb || return 0
	agree_has '戊公司 gates[note] |'
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT2 --customer 戊公司 --amount 100
	expect_rc 0
	agree wb || return 0
}

# Rule 6: 己's HT1 was due 01-05 (10 days: collection), HT2 is due 01-17
# (a reminder), HT3 is due 01-31 (listed by due only).  No exception
# moves a payment: a 延期 of 谈判签约 changes nothing.
test_agree_rule6_payments() {
	agree_wb wb
	printf '己公司,B类,张伟,2023-12-01,2023-11-01,已签约\n' >>wb/01-leads.csv
	printf '己公司,2023-11-01\n' >>wb/02-surveys.csv
	printf '己公司,方案A,通过,2023-11-03,2023-11-04\n' >>wb/03-solutions.csv
	printf 'HT1,己公司,100,同意,同意,同意,已审批,2023-12-01,2024-01-05,\n' >>wb/04-contracts.csv
	printf 'HT2,己公司,100,同意,同意,同意,已审批,2023-12-01,2024-01-17,\n' >>wb/04-contracts.csv
	printf 'HT3,己公司,100,同意,同意,同意,已审批,2023-12-01,2024-01-31,\n' >>wb/04-contracts.csv
	agree wb || return 0
	agree_has '己公司 payments[error] payments[warning] | collection:-10 payment:2 payment:16'
	exc wb 己公司 延期 谈判签约 2024-02-28
	agree wb || return 0
	agree_has '己公司 payments[error] payments[warning] | collection:-10 payment:2 payment:16'
}

# Rule 7: 庚 is an A lead with a blank 最后跟进时间, registered 2023-12-01:
# its last contact is its registration (the latest of 最后跟进时间 and its
# dated activity), so on 01-15 it has had no contact for 45 days; the last
# day without risk was 12-07, 39 days ago.  check, due and status agree.
test_agree_rule7_stalled_blank_contact() {
	agree_wb wb
	printf '庚公司,A类,张伟,,2023-12-01,跟进中\n' >>wb/01-leads.csv
	agree wb || return 0
	agree_has '庚公司 stalled[warning] | stalled:-39'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_has "A类 lead '庚公司' has had no contact for 45 days (since 2023-12-01)"
	SALES_TODAY=2024-01-15 sales -C wb status 庚公司
	expect_out_has 'A-grade lead at risk: no contact for 45 days (last 2023-12-01; limit 7)'
	SALES_TODAY=2024-01-15 sales -C wb due
	expect_out_has '39 days overdue'
	# a survey (Friday 01-12) is a contact: it moves the clock for all
	# three (at risk on 01-19, so the last quiet day is 01-18); the proposal
	# is due 5 working days later, 01-19
	printf '庚公司,2024-01-12\n' >>wb/02-surveys.csv
	agree wb || return 0
	agree_has '庚公司 timeliness[error] | stalled:3 proposal:4'
	# the lead list agrees on who is quiet
	SALES_TODAY=2024-01-15 sales -C wb lead list --stale 7 --format csv
	expect_out_lacks '庚公司'
	# closed: no rule 7
	sed -i 's/,跟进中$/,已丢单/' wb/01-leads.csv
	agree wb || return 0
	agree_has '庚公司 timeliness[error] |'
}

# Rule 8: 辛 was accepted 2023-09-01 and never followed up: a visit was due
# by 12-02 (92 days).
test_agree_rule8_aftersales() {
	agree_wb wb
	printf '辛公司,B类,张伟,2023-09-01,2023-06-01,已签约\n' >>wb/01-leads.csv
	printf '辛公司,2023-07-01\n' >>wb/02-surveys.csv
	printf '辛公司,方案A,通过,2023-07-03,2023-07-04\n' >>wb/03-solutions.csv
	printf 'HT1,辛公司,100,同意,同意,同意,已审批,2023-08-01,2023-08-31,2023-08-10\n' >>wb/04-contracts.csv
	printf '辛公司,实施,2023.08.05-08.20\n' >>wb/05-plans.csv
	printf '辛公司,2023-09-01,合格\n' >>wb/06-acceptance.csv
	agree wb || return 0
	agree_has '辛公司 aftersales[error] | aftersales:-44'
	# a follow-up on 09-20 moves the next visit to 12-21; one planned for
	# 01-20 comes after it, so both are listed
	printf '辛公司,2023-09-20,张伟,2024.01.20回访\n' >>wb/07-followups.csv
	sed -i 's/2023-09-01,2023-06-01/2023-09-20,2023-06-01/' wb/01-leads.csv
	agree wb || return 0
	agree_has '辛公司 aftersales[error] | aftersales:-25 followup:5'
	# planned for 12-15, on or before the visit's day: the plan stands
	# for the visit in due and status (overdue), check reports the rule
	sed -i 's/2024.01.20回访/2023.12.15回访/' wb/07-followups.csv
	agree wb || return 0
	agree_has '辛公司 aftersales[error] | followup:-31'
}

# The example: a funnel where a customer skipped 需求分析 by an
# approved exception never shows a conversion above 100 %.  Hand count: 3
# leads; 需求分析 has 科技 (+1 跳过: 新公司); 方案制定 has 科技 and 新公司,
# both past 需求分析: 2 / (1 + 1) = 100 %.
test_agree_funnel_waived_stage() {
	example_workbook wb
	printf '3,新公司,制造业,,,,,,,B类,周敏,2024-01-10,,2024-01-02,跟进中,华东,智能物流,\r\n' >>wb/01-leads.csv
	printf '新公司,新方案,配置,30天,100,,,刘洋,通过,2024-01-08,2024-01-09\r\n' >>wb/03-solutions.csv
	printf '新公司,跳过环节,需求分析,客户已有明确需求,,吴磊,2024-01-03\r\n' >>wb/exceptions.csv
	SALES_TODAY=2024-01-15 sales -C wb report funnel --format csv
	expect_rc 0
	expect_out_has ',,客户开发,01,3,,,0'
	expect_out_has ',,需求分析,02,1,0.333333,14,1'
	expect_out_has ',,方案制定,03,2,1,5,0'
	SALES_TODAY=2024-01-15 sales -C wb report funnel
	expect_out_has '1 (+1 跳过)'
	SALES_TODAY=2024-01-15 sales -C wb report funnel --format csv
	awk -F, 'NR > 1 && $6 != "" && $6 + 0 > 1 { bad = 1 } END { exit bad }' "$out" ||
		fail "a conversion above 100 %"
	SALES_TODAY=2024-01-15 sales -C wb check --customer 新公司
	expect_out_has 'note[stages]'
}

# The example: status lists exactly check's findings (4 errors).
test_agree_status_problems_are_check_findings() {
	example_workbook wb
	# signed with nothing before it: 需求分析 and 方案制定 skipped, the
	# contract before a passed review, 客户状态 not 已签约
	printf '3,新公司,制造业,,,,,,,B类,周敏,2024-01-10,,2024-01-02,跟进中,华东,智能物流,\r\n' >>wb/01-leads.csv
	printf 'HT20240101,新公司,100,2024.01-2025.01,条款,周敏,同意,同意,同意,已审批,2024-01-05,2024-03-01,\r\n' >>wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check --customer 新公司
	expect_rc 1
	cp "$out" check.txt
	sed 's/^/  /' check.txt >want
	SALES_TODAY=2024-01-15 sales -C wb status 新公司
	expect_rc 0
	sed -n '/^Problems$/,/^$/p' "$out" | sed '1d;/^$/d' >got
	cmp -s want got || { fail "status Problems differ from check"; diff want got | sed 's/^/    /' >&2; }
	[ "$(grep -c 'error\[' got)" -ge 3 ] || fail "expected the stage and status errors: $(cat got)"
	agree wb || return 0
}

# Rule 9: 壬's 最后跟进时间 01-05 is older than its survey of Wednesday
# 01-10 (proposal due 5 working days later, 01-17); 癸's survey is dated
# 01-20, after today.  No exception applies to rule 9: a 延期 of 客户开发
# changes nothing.  lead set refuses a 最后跟进时间 check would report, and
# survey add a date in the future.
test_agree_rule9_timeliness() {
	agree_wb wb
	printf '壬公司,B类,张伟,2024-01-05,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '壬公司,2024-01-10\n' >>wb/02-surveys.csv
	printf '癸公司,B类,张伟,2024-01-05,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '癸公司,2024-01-20\n' >>wb/02-surveys.csv
	agree wb || return 0
	agree_has '壬公司 timeliness[error] | proposal:2'
	agree_has '癸公司 timeliness[error] |'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_has "01-leads.csv:2:D2: error[timeliness]: 最后跟进时间 2024-01-05 of '壬公司' is older than its latest activity on 2024-01-10 (02-surveys.csv:2): records are entered within 24 hours"
	expect_out_has "02-surveys.csv:3:B3: error[timeliness]: 调研时间 2024-01-20 lies in the future (as of 2024-01-15)"
	exc wb 壬公司 延期 客户开发 2024-02-01
	agree wb || return 0
	agree_has '壬公司 timeliness[error] | proposal:2'
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb lead set 壬公司 --last-contact 2024-01-08
	expect_rc 1
	expect_err_has "option '--last-contact': 最后跟进时间 2024-01-08 of '壬公司' is older than its latest activity on 2024-01-10 (02-surveys.csv:2)"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 癸公司 --surveyor 张伟 --date 2024-01-16
	expect_rc 1
	expect_err_has "调研时间 '2024-01-16' lies in the future (today is 2024-01-15)"
	expect_unchanged wb
	# what check accepts, lead set writes: then they agree again
	SALES_TODAY=2024-01-15 sales -C wb lead set 壬公司 --last-contact 2024-01-10
	expect_rc 0
	agree wb || return 0
	agree_has '壬公司  | proposal:2'
}

# Rule 1's order: 子 was registered Monday 01-08 but surveyed 01-03; 丑's
# proposal was reviewed 01-09, before its 提交日期 01-10; 寅's contract
# would be signed 01-09, before its proposal of 01-10.  The writing
# commands refuse exactly these dates, with check's words.  No exception
# reorders dates (a 跳过环节 is for a stage that has no row).
test_agree_order() {
	agree_wb wb
	printf '李娜,销售主管,华东\n' >>wb/team.csv
	printf '子公司,B类,张伟,2024-01-08,2024-01-08,跟进中\n' >>wb/01-leads.csv
	printf '子公司,2024-01-03\n' >>wb/02-surveys.csv
	printf '丑公司,B类,张伟,2024-01-10,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '丑公司,2024-01-03\n' >>wb/02-surveys.csv
	printf '丑公司,方案A,通过,2024-01-10,2024-01-09\n' >>wb/03-solutions.csv
	printf '寅公司,B类,张伟,2024-01-10,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '寅公司,2024-01-03\n' >>wb/02-surveys.csv
	printf '寅公司,方案A,通过,2024-01-10,2024-01-10\n' >>wb/03-solutions.csv
	printf 'HT1,寅公司,100,同意,同意,同意,已审批,,,\n' >>wb/04-contracts.csv
	cp -r wb signed
	sed -i 's/^HT1,寅公司,100,同意,同意,同意,已审批,,,$/HT1,寅公司,100,同意,同意,同意,已审批,2024-01-09,,/' signed/04-contracts.csv
	sed -i 's/^寅公司,B类,张伟,2024-01-10,2024-01-02,跟进中$/寅公司,B类,张伟,2024-01-10,2024-01-02,已签约/' signed/01-leads.csv
	agree wb || return 0
	agree_has '子公司 order[error] proposal[error] | proposal:-5'
	agree_has '丑公司 order[error] |'
	agree_has '寅公司  |'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_has "02-surveys.csv:2:B2: error[order]: 调研时间 2024-01-03 of '子公司' is before stage 客户开发 began (2024-01-08 in 01-leads.csv)"
	expect_out_has "03-solutions.csv:2:E2: error[order]: 评审日期 2024-01-09 is before 提交日期 2024-01-10"
	agree signed || return 0
	agree_has '寅公司 order[error] |'
	SALES_TODAY=2024-01-15 sales -C signed check
	expect_out_has "04-contracts.csv:2:H2: error[order]: 签订日期 2024-01-09 of '寅公司' is before stage 方案制定 began (2024-01-10 in 03-solutions.csv)"
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 子公司 --surveyor 张伟 --date 2024-01-05
	expect_rc 1
	expect_err_has "调研时间 2024-01-05 of '子公司' is before stage 客户开发 began (2024-01-08 in 01-leads.csv)"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT1 --date 2024-01-09
	expect_rc 1
	expect_err_has "签订日期 2024-01-09 of '寅公司' is before stage 方案制定 began (2024-01-10 in 03-solutions.csv)"
	expect_unchanged wb
	printf '丑公司,方案B,,2024-01-12,\n' >>wb/03-solutions.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb solution review 丑公司 方案B --by 李娜 --pass --date 2024-01-11
	expect_rc 1
	expect_err_has "评审日期 2024-01-11 is before 提交日期 2024-01-12"
	expect_unchanged wb
	# dates in order pass, and check agrees
	SALES_TODAY=2024-01-15 sales -C wb solution review 丑公司 方案B --by 李娜 --pass --date 2024-01-12
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT1 --date 2024-01-11
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 子公司 --surveyor 张伟 --date 2024-01-09
	expect_rc 0
	agree wb || return 0
	agree_has '寅公司  |'
	agree_has '子公司 order[error] |'
}

# Rule 10: 辰 has a survey but no row in 01 (a reference that resolves to
# nothing).  check reports it once, status and check --customer agree, and
# survey add refuses the name; an approved 跳过环节 of 客户开发 is the one
# waiver: then check notes it and survey add accepts the name.
test_agree_rule10_refs() {
	agree_wb wb
	printf '巳公司,B类,张伟,2024-01-10,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '辰公司,2024-01-10\n' >>wb/02-surveys.csv
	agree wb || return 0
	agree_has '辰公司 refs[error] |'
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_has "02-surveys.csv:2:A2: error[refs]: customer '辰公司' is not in 01-leads.csv"
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 辰公司 --surveyor 张伟 --date 2024-01-12
	expect_rc 1
	expect_err_has "no customer named '辰公司' in 01-leads.csv"
	expect_err_lacks "跳过环节"
	expect_unchanged wb
	exc wb 辰公司 跳过环节 客户开发
	agree wb || return 0
	agree_has '辰公司 refs[note] |'
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 辰公司 --surveyor 张伟 --date 2024-01-12
	expect_rc 0
	agree wb || return 0
	agree_has '辰公司 refs[note] |'
}

# The example: a missing team.csv or 05-plans.csv is named as
# missing, with the command that writes it again.
test_agree_missing_sheets() {
	example_workbook wb
	printf '科技有限公司,延期,方案制定,客户原因,2023-10-30,吴磊,2023-10-12\r\n' >>wb/exceptions.csv
	rm wb/team.csv wb/05-plans.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "'科技有限公司' is in 06-acceptance.csv, but 05-plans.csv (stage 项目交付) is missing from the workbook: 'sales init --missing' writes it again"
	expect_out_has "team.csv is missing, so its approver cannot be confirmed as a 销售经理 ('sales init --missing' writes an empty one to fill in)"
	expect_out_lacks "stage 项目交付 was skipped"
	expect_out_lacks "is not a 销售经理 in team.csv"
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb acceptance add --customer 科技有限公司 --inspector 王经理 --scope 设备 --result 合格
	expect_rc 1
	expect_err_has "05-plans.csv (stage 项目交付) is missing from the workbook, so '科技有限公司' cannot enter 项目验收: 'sales init --missing' writes it again"
	expect_unchanged wb
	sales -C wb init --missing
	expect_rc 0
	[ -f wb/05-plans.csv ] && [ -f wb/team.csv ] || fail "init --missing did not write the sheets"
	cmp -s wb/01-leads.csv "$ROOT/examples/01-leads.csv" || fail "init --missing touched 01-leads.csv"
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_lacks "is missing from the workbook"
}

# Every command that checks a person against team.csv names a missing
# team.csv (exit 1, files untouched), never "'X' is not a … in team.csv".
test_agree_missing_team() {
	example_workbook wb
	printf 'HT20240101,科技有限公司,100,2024.01-2024.12,二期,张伟,,,,待审批,,,\r\n' >>wb/04-contracts.csv
	printf '科技有限公司,二期方案,B型分拣机,30天,100,,,刘洋,,2024-01-12,\r\n' >>wb/03-solutions.csv
	sed -i 's/^\(2,YY商贸有限公司,.*\),跟进中,/\1,公海,/' wb/01-leads.csv
	grep -q ',公海,' wb/01-leads.csv || { fail "could not put YY商贸 in the pool"; return 0; }
	rm wb/team.csv
	snapshot wb
	for cmd in "approve HT20240101 --as 销售经理 --by 吴磊:销售经理" \
		   "solution review 科技有限公司 二期方案 --by 李娜 --pass:销售主管" \
		   "pool claim YY商贸 --by 周敏:销售代表, 销售主管 or 销售经理"; do
		# shellcheck disable=SC2086
		SALES_TODAY=2024-01-15 sales -C wb ${cmd%%:*}
		expect_rc 1
		who=$(echo "${cmd%%:*}" | sed 's/.*--by \([^ ]*\).*/\1/')
		expect_err_has "team.csv is missing, so '$who' cannot be confirmed as a ${cmd#*:} ('sales init --missing' writes an empty one to fill in)"
		expect_err_lacks "in team.csv"
		expect_unchanged wb
	done
	SALES_TODAY=2024-01-15 sales -C wb exception add --customer 科技有限公司 --type 延期 --stage 方案制定 --reason 客户原因 --deadline 2024-01-30 --approver 吴磊
	expect_rc 1
	expect_err_has "team.csv is missing, so its approver cannot be confirmed as a 销售经理"
	expect_unchanged wb
	# with the roster back, the same commands pass or say what is wrong
	cp "$ROOT/examples/team.csv" wb/
	SALES_TODAY=2024-01-15 sales -C wb approve HT20240101 --as 销售经理 --by 郑洁
	expect_rc 1
	expect_err_has "'郑洁' is not a 销售经理 in team.csv (its 角色 there: 法务)"
	SALES_TODAY=2024-01-15 sales -C wb approve HT20240101 --as 销售经理 --by 吴磊
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb solution review 科技有限公司 二期方案 --by 李娜 --pass
	expect_rc 0
}

# A writing command's gate reads its own customer's rows only (model.h
# sales_model_load_one): it refuses for 午 exactly what check would then
# report for 午, while the errors of other customers (未's proposal
# without a survey, 酉 in 02 but not in 01, 申 signed but still 跟进中)
# block nothing that is not about them.  A key unique in the whole sheet
# (合同编号 HT1, 申's) is still found in another customer's row.
test_agree_narrowed_gate() {
	agree_wb wb
	printf '午公司,B类,张伟,2024-01-06,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '午公司,2024-01-03\n' >>wb/02-surveys.csv
	printf '午公司,方案A,不通过,2024-01-05,2024-01-06\n' >>wb/03-solutions.csv
	printf '未公司,B类,张伟,2024-01-08,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '未公司,方案A,,2024-01-08,\n' >>wb/03-solutions.csv
	printf '酉公司,2024-01-10\n' >>wb/02-surveys.csv
	printf '申公司,B类,张伟,2024-01-08,2024-01-02,跟进中\n' >>wb/01-leads.csv
	printf '申公司,2024-01-03\n' >>wb/02-surveys.csv
	printf '申公司,方案A,通过,2024-01-05,2024-01-06\n' >>wb/03-solutions.csv
	printf 'HT1,申公司,100,同意,同意,同意,已审批,2024-01-08,,\n' >>wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has "01-leads.csv:4:F4: error[approvals]: 客户状态 of '申公司' is 跟进中"
	expect_out_has "02-surveys.csv:3:A3: error[refs]: customer '酉公司' is not in 01-leads.csv"
	expect_out_has "03-solutions.csv:3:A3: error[stages]: '未公司' is in 03-solutions.csv"
	SALES_TODAY=2024-01-15 sales -C wb check --customer 午公司
	expect_rc 0
	snapshot wb
	# HT1 is 申's: taken, whoever the new row is for
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT1 --customer 午公司 --amount 100
	expect_rc 1
	expect_err_has "'HT1' already exists"
	expect_unchanged wb
	# 午's proposal did not pass: check would say gates[error] for 午
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT2 --customer 午 --amount 100
	expect_rc 1
	expect_err_has "'午' is the lead '午公司' (01-leads.csv:2)"
	expect_err_has "stage 方案制定 is missing for '午公司'"
	expect_err_lacks "未公司"
	expect_err_lacks "酉公司"
	expect_err_lacks "申公司"
	expect_unchanged wb
	# rule 1's order for 午 alone: 调研时间 before 登记日期 is refused
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 午公司 --surveyor 张伟 --date 2024-01-01
	expect_rc 1
	expect_err_has "调研时间 2024-01-01 of '午公司' is before stage 客户开发 began (2024-01-02 in 01-leads.csv)"
	expect_unchanged wb
	# what is about 午 alone passes, other customers' errors whatever
	SALES_TODAY=2024-01-15 sales -C wb survey add --customer 午公司 --surveyor 张伟 --date 2024-01-10
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb solution add --customer 午公司 --solution 方案B --date 2024-01-11
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb check --customer 午公司
	expect_rc 0
	# the proposal passed: the contract is allowed, and check agrees
	printf '午公司,方案C,通过,2024-01-11,2024-01-11\n' >>wb/03-solutions.csv
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT2 --customer 午公司 --amount 100
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb check --customer 午公司
	expect_rc 0
	agree wb || return 0
	agree_has '午公司  |'
	agree_has '未公司 stages[error] |'
	agree_has '酉公司 refs[error] |'
}
