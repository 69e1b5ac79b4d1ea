# Issue 15 item 6: sales handover (离职交接).  handover_workbook is worked out by
# hand below; the generated workbook is checked with awk over exported sheets.

# handover_workbook DIR: 王芳 holds 甲 (open, A类), 乙 (已签约), 丙 (已丢单) and
# 丁 (新线索, no grade); 李雷 holds 戊; 己 is in the pool (原负责人 王芳).
handover_workbook() {
	mkdir -p "$1"
	cp "$ROOT/templates/holidays.csv" "$ROOT/templates/audit.csv" "$1"/
	cat >"$1/team.csv" <<'EOF'
姓名,角色,区域
王芳,销售代表,华东
李雷,销售代表,华东
赵敏,销售经理,华东
钱多,交付团队,华东
孙一,售后专员,华东
郑法,法务,总部
黄总,总经理,总部
刘工,产品专家,华东
EOF
	cat >"$1/01-leads.csv" <<'EOF'
序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分,丢单原因,原负责人
1,甲科技有限公司,制造业,500-1000人/5亿以上,王经理,采购总监,13816274590,行业展会,分拣设备,A类,王芳,2024-03-01,,2024-01-05,跟进中,华东,智能物流,80,,
2,乙贸易有限公司,零售,100-300人/1亿以下,马总,运营总监,13956782046,客户转介绍,仓储系统,B类,王芳,2024-03-05,,2024-01-08,已签约,华东,仓储管理,50,,
3,丙制造有限公司,制造业,100-300人/1亿以下,刘总,总经理,13956782047,公开信息,设备,C类,王芳,2024-02-20,,2024-01-20,已丢单,华东,智能物流,20,预算不足,
4,丁物流有限公司,物流,100-300人/1亿以下,周总,总经理,13956782048,线上研讨会,调度,,王芳,2024-03-10,,2024-03-10,新线索,华东,智能物流,,,
5,戊电子有限公司,电子,100-300人/1亿以下,吴总,总经理,13956782049,行业展会,仓储,A类,李雷,2024-03-12,,2024-03-01,跟进中,华东,仓储管理,75,,
6,己化工有限公司,化工,100-300人/1亿以下,郑总,总经理,13956782050,行业展会,仓储,B类,,2024-01-15,,2024-01-02,公海,华东,仓储管理,45,,王芳
EOF
	cat >"$1/02-surveys.csv" <<'EOF'
客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注
甲科技有限公司,2024-01-10,王芳,采购总监,人工分拣慢,自动化分拣设备(高),200-300万,采购部→技术部→总经理,
乙贸易有限公司,2024-01-10,王芳,运营总监,库存不准,仓储系统(高),100-200万,运营部→总经理,
EOF
	cat >"$1/03-solutions.csv" <<'EOF'
客户名称,方案名称,核心产品/服务配置,实施周期,报价(万元),增值服务,方案亮点,负责人,评审意见,提交日期,评审日期
甲科技有限公司,方案A,分拣机2台,45天,100,培训,省人工,王芳,通过,2024-01-12,2024-01-15
甲科技有限公司,方案B,分拣机3台,60天,150,培训,省人工,王芳,,2024-02-01,
乙贸易有限公司,仓储方案,WMS,30天,120,培训,准确,王芳,通过,2024-01-12,2024-01-13
EOF
	cat >"$1/04-contracts.csv" <<'EOF'
合同编号,客户名称,合同金额(万元),合同期限,主要条款摘要,销售代表,销售经理,法务,总经理,审批状态,签订日期,付款到期日,回款日期
HT1,甲科技有限公司,100,2024.04-2025.04,分期,王芳,同意,,,审批中,,,
HT2,乙贸易有限公司,60,2024.01-2025.01,一次性,王芳,同意,条款合规,同意,已审批,2024-01-20,2024-02-19,2024-02-10
HT3,乙贸易有限公司,60,2024.02-2025.02,一次性,王芳,同意,条款合规,同意,已审批,2024-02-20,2024-03-20,
EOF
	cat >"$1/05-plans.csv" <<'EOF'
客户名称,项目阶段,起止时间,负责人,关键任务,交付物,风险点,应对措施
乙贸易有限公司,需求确认,2024.01.25-02.05,王芳,调研,需求书,变更,确认单
,设备安装,2024.03.01-03.30,王芳,安装,报告,延迟,跟进
,系统调试,2024.04.01-04.10,钱多,调试,报告,接口,联调
EOF
	cat >"$1/06-acceptance.csv" <<'EOF'
客户名称,验收时间,验收人(职务),验收内容,验收结果,未解决问题,客户签字
乙贸易有限公司,2024-02-15,马总(运营总监),一期,合格,无,马总
EOF
	cat >"$1/07-followups.csv" <<'EOF'
客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度
乙贸易有限公司,2024-02-20,王芳,电话,稳定,已记录,2024.02.28回访,5
乙贸易有限公司,2024-03-05,王芳,上门,需培训,已安排,2024.03.25回访,4
,2024-02-25,,微信,询问备件,已报价,,4
EOF
	cat >"$1/exceptions.csv" <<'EOF'
客户名称,类型,环节,原因,新期限,审批人,审批日期
EOF
}

# tsv_col FILE HEADER: the values of the column whose header is HEADER
# (one per data row) in a `sales export --format tsv`.
tsv_col() {
	awk -F'\t' -v h="$2" 'NR == 1 { sub(/^\357\273\277/, ""); for (i = 1; i <= NF; i++) if ($i == h) c = i; next } { print $c }' "$1"
}

test_handover_hand_worked_list() {
	handover_workbook wb
	snapshot wb
	# As of 2024-03-15, 王芳's open customers are 甲 and 丁 (乙 已签约 and
	# 丙 已丢单 are closed, 己 is in the pool).  What moves:
	#   甲: 01 负责人; 03 方案B (评审意见 empty; 方案A was reviewed);
	#       04 HT1 (审批中, not paid)
	#   丁: 01 负责人
	# Due: 甲 is an A lead last contacted 2024-03-01: stalled.days 7 gives
	# 2024-03-07 (facts.h), 8 days before the 15th; 丁 registered on Sunday
	# 2024-03-10 without a grade: 3 working days -> Wed 03-13, 2 days ago.
	# HT1 has 销售经理's 同意 only: it waits for 法务.
	SALES_TODAY=2024-03-15 sales -C wb handover 王芳 --to 李雷 --dry-run
	expect_rc 0
	cat >exp <<'EOF'
交接清单: 王芳 → 李雷, as of 2024-03-15
2 customers, 4 cells would change

甲科技有限公司  跟进中  A类  谈判签约  (01-leads.csv:2)
    交接   01-leads.csv:2  负责人 王芳 → 李雷: the lead
    交接   03-solutions.csv:3  负责人 王芳 → 李雷: proposal '方案B' awaiting review
    交接   04-contracts.csv:2  销售代表 王芳 → 李雷: contract HT1, not paid yet
    逾期   2024-03-07  停滞A类线索 (8 days overdue): A类 lead, last contact 2024-03-01: at risk of being lost
    审批   04-contracts.csv:2  contract HT1 审批中: waits for the 法务 (销售经理 → 法务 → 总经理 (依次))

丁物流有限公司  新线索  (no 线索等级)  客户开发  (01-leads.csv:5)
    交接   01-leads.csv:5  负责人 王芳 → 李雷: the lead
    逾期   2024-03-13  线索定级 (2 days overdue): registered 2024-03-10, 线索等级 not set
EOF
	expect_out exp
	expect_err_has 'dry run: nothing was changed'
	expect_unchanged wb
}

test_handover_moves_open_customers_in_one_audited_change() {
	handover_workbook wb
	SALES_TODAY=2024-03-15 sales -C wb check --format json
	errors_before=$(sed -n 's/^{"errors":\([0-9]*\),"warnings":\([0-9]*\).*/\1 \2/p' "$out")
	cp wb/02-surveys.csv wb/05-plans.csv wb/06-acceptance.csv wb/07-followups.csv .
	SALES_TODAY=2024-03-15 sales -C wb handover 王芳 --to 李雷
	expect_rc 0
	expect_out_has '2 customers, 4 cells changed'
	expect_err_has 'handed over 2 customers from 王芳 to 李雷'
	# one audit row per cell, all of one command
	tail -n +2 wb/audit.csv | tr -d '\r' | cut -d, -f3- >got
	cat >exp <<'EOF'
handover 王芳 --to 李雷 [as of 2024-03-15],01-leads.csv,甲科技有限公司,负责人,王芳,李雷
handover 王芳 --to 李雷 [as of 2024-03-15],01-leads.csv,丁物流有限公司,负责人,王芳,李雷
handover 王芳 --to 李雷 [as of 2024-03-15],03-solutions.csv,甲科技有限公司/方案B,负责人,王芳,李雷
handover 王芳 --to 李雷 [as of 2024-03-15],04-contracts.csv,HT1,销售代表,王芳,李雷
EOF
	if ! cmp -s got exp; then fail "audit rows differ"; diff exp got >&2; fi
	sales -C wb export leads --format tsv
	tsv_col "$out" 负责人 | tr '\n' ' ' >got
	printf '李雷 王芳 王芳 李雷 李雷  ' >exp
	cmp -s got exp || fail "负责人 after: $(cat got)"
	tsv_col "$out" 原负责人 | tr '\n' ' ' >got
	printf '     王芳 ' >exp
	cmp -s got exp || fail "原负责人 after: $(cat got)"
	sales -C wb export solutions --format tsv
	tsv_col "$out" 负责人 | tr '\n' ' ' >got
	printf '王芳 李雷 王芳 ' >exp
	cmp -s got exp || fail "03 负责人 after: $(cat got)"
	# the closed customers' sheets are as they were
	for f in 02-surveys.csv 05-plans.csv 06-acceptance.csv 07-followups.csv; do
		cmp -s "$f" "wb/$f" || fail "$f changed"
	done
	SALES_TODAY=2024-03-15 sales -C wb check --format json
	errors_after=$(sed -n 's/^{"errors":\([0-9]*\),"warnings":\([0-9]*\).*/\1 \2/p' "$out")
	[ "$errors_before" = "$errors_after" ] ||
		fail "check before '$errors_before', after '$errors_after'"
	# the work is 李雷's now: due lists the stalled lead under him
	SALES_TODAY=2024-03-15 sales -C wb due --owner 李雷 --format csv
	expect_out_has '甲科技有限公司'
	expect_out_has '丁物流有限公司'
	SALES_TODAY=2024-03-15 sales -C wb due --owner 王芳 --format csv
	expect_out_lacks '甲科技有限公司'
}

test_handover_all_moves_future_work_of_closed_customers() {
	handover_workbook wb
	sales -C wb export followups --format tsv
	cp "$out" fu_before
	# --all adds 乙 (已签约) and 丙 (已丢单).  乙: 01; HT3 (signed, not paid;
	# HT2 was paid 02-10); 05 设备安装 (ends 03-30; 需求确认 ended 02-05,
	# 系统调试 is 钱多's); 07's latest follow-up 2024-03-05 with the open
	# plan 2024.03.25回访; the continuation row below it (2024-02-25) had
	# inherited 王芳 and gets it written.  丙: 01.  4 + 5 + 1 = 10 cells.
	SALES_TODAY=2024-03-15 sales -C wb handover 王芳 --to 李雷 --all
	expect_rc 0
	expect_out_has '4 customers, 10 cells changed'
	expect_out_has '    待办   2024-03-20  回款提醒 (in 5 days): HT3 60万元, 付款到期日 2024-03-20, not paid'
	expect_out_has '    待办   2024-03-25  跟进计划 (in 10 days): 下次跟进计划 of the follow-up of 2024-03-05'
	expect_out_has '    交接   07-followups.csv:4  跟进人 written as 王芳: a follow-up below it keeps its 跟进人'
	[ "$(tail -n +2 wb/audit.csv | wc -l)" = 10 ] || fail "audit rows: $(tail -n +2 wb/audit.csv | wc -l), expected 10"
	tr -d '\r' <wb/audit.csv | grep -q ',07-followups.csv,乙贸易有限公司,跟进人,,王芳$' ||
		fail "the inherited 跟进人 is not audited as written"
	sales -C wb export plans --format tsv
	tsv_col "$out" 负责人 | tr '\n' ' ' >got
	printf '王芳 李雷 钱多 ' >exp
	cmp -s got exp || fail "05 负责人 after: $(cat got)"
	sales -C wb export contracts --format tsv
	tsv_col "$out" 销售代表 | tr '\n' ' ' >got
	printf '李雷 王芳 李雷 ' >exp
	cmp -s got exp || fail "04 销售代表 after: $(cat got)"
	# 07 as the rows read (filled down): only the open plan's row changed
	sales -C wb export followups --format tsv
	tsv_col fu_before 跟进人 | tr '\n' ' ' >exp
	tsv_col "$out" 跟进人 | tr '\n' ' ' >got
	[ "$(cat exp)" = '王芳 王芳 王芳 ' ] || fail "07 before: $(cat exp)"
	[ "$(cat got)" = '王芳 李雷 王芳 ' ] || fail "07 after: $(cat got)"
	SALES_TODAY=2024-03-15 sales -C wb due --owner 李雷 --within 30 --format csv
	expect_out_has 'followup'
	expect_out_has 'HT3'
	SALES_TODAY=2024-03-15 sales -C wb due --owner 王芳 --within 30 --format csv
	expect_out_lacks '乙贸易有限公司'
}

test_handover_streams_its_sheets_and_walks_a_titled_one_alike() {
	# handover writes 01, 04, 05 and 07 record by record (none held) and
	# 03, whose title row the stream cannot take, on the loaded sheet by
	# the same walk: the same 10 cells as the test above, the records it
	# does not change byte for byte (HT2's and the first follow-up's
	# needless quotes kept), the title row kept, 03's lines one lower
	handover_workbook wb
	sed -i 's/^HT2,/"HT2",/' wb/04-contracts.csv
	sed -i '2s/^乙贸易有限公司,2024-02-20,王芳,电话,/"乙贸易有限公司",2024-02-20,王芳,"电话",/' wb/07-followups.csv
	{ printf '方案表\n'; cat wb/03-solutions.csv; } >t && mv t wb/03-solutions.csv
	SALES_TODAY=2024-03-15 sales -C wb handover 王芳 --to 李雷 --all
	expect_rc 0
	expect_out_has '4 customers, 10 cells changed'
	expect_out_has "    交接   03-solutions.csv:4  负责人 王芳 → 李雷: proposal '方案B' awaiting review"
	expect_out_has "    交接   07-followups.csv:3  跟进人 王芳 → 李雷: the open 下次跟进计划 '2024.03.25回访'"
	expect_out_has '    交接   07-followups.csv:4  跟进人 written as 王芳: a follow-up below it keeps its 跟进人'
	expect_err_has "03-solutions.csv:1:A1: title row '方案表' above the header skipped"
	cat >exp <<'EOF'
方案表
客户名称,方案名称,核心产品/服务配置,实施周期,报价(万元),增值服务,方案亮点,负责人,评审意见,提交日期,评审日期
甲科技有限公司,方案A,分拣机2台,45天,100,培训,省人工,王芳,通过,2024-01-12,2024-01-15
甲科技有限公司,方案B,分拣机3台,60天,150,培训,省人工,李雷,,2024-02-01,
乙贸易有限公司,仓储方案,WMS,30天,120,培训,准确,王芳,通过,2024-01-12,2024-01-13
EOF
	cmp -s exp wb/03-solutions.csv || { fail "03-solutions.csv differs"; diff exp wb/03-solutions.csv >&2; }
	cat >exp <<'EOF'
合同编号,客户名称,合同金额(万元),合同期限,主要条款摘要,销售代表,销售经理,法务,总经理,审批状态,签订日期,付款到期日,回款日期
HT1,甲科技有限公司,100,2024.04-2025.04,分期,李雷,同意,,,审批中,,,
"HT2",乙贸易有限公司,60,2024.01-2025.01,一次性,王芳,同意,条款合规,同意,已审批,2024-01-20,2024-02-19,2024-02-10
HT3,乙贸易有限公司,60,2024.02-2025.02,一次性,李雷,同意,条款合规,同意,已审批,2024-02-20,2024-03-20,
EOF
	cmp -s exp wb/04-contracts.csv || { fail "04-contracts.csv differs"; diff exp wb/04-contracts.csv >&2; }
	cat >exp <<'EOF'
客户名称,跟进时间,跟进人,跟进方式,客户反馈内容,处理结果,下次跟进计划,满意度
"乙贸易有限公司",2024-02-20,王芳,"电话",稳定,已记录,2024.02.28回访,5
乙贸易有限公司,2024-03-05,李雷,上门,需培训,已安排,2024.03.25回访,4
,2024-02-25,王芳,微信,询问备件,已报价,,4
EOF
	cmp -s exp wb/07-followups.csv || { fail "07-followups.csv differs"; diff exp wb/07-followups.csv >&2; }
	grep -q '^,设备安装,2024.03.01-03.30,李雷,' wb/05-plans.csv || fail "05 设备安装 not moved"
	[ "$(tail -n +2 wb/audit.csv | wc -l)" = 10 ] || fail "audit rows: $(tail -n +2 wb/audit.csv | wc -l), expected 10"
	[ -z "$(ls -A wb | grep -v -e '\.csv$' -e '^\.sales\.lock$')" ] ||
		fail "files left: $(ls -A wb)"
}

test_handover_customer_option_uses_the_resolver() {
	handover_workbook wb
	# 甲科技 is a prefix of 甲科技有限公司; 丁物流有限責任公司 has its name key
	SALES_TODAY=2024-03-15 sales -C wb handover 王芳 --to 李雷 --customer 甲科技 --customer 丁物流有限責任公司 --dry-run
	expect_rc 0
	expect_out_has '2 customers, 4 cells would change'
	SALES_TODAY=2024-03-15 sales -C wb handover 王芳 --to 赵敏 --customer 甲科技
	expect_rc 0
	expect_out_has '1 customer, 3 cells changed'
	[ "$(tail -n +2 wb/audit.csv | wc -l)" = 3 ] || fail "audit rows"
	grep -q '^4,丁物流有限公司,.*,王芳,2024-03-10,' wb/01-leads.csv || fail "丁 moved"
}

test_handover_refusals_leave_files_identical() {
	handover_workbook wb
	sha() { (cd wb && find . -type f ! -name .sales.lock | sort | xargs sha256sum); }
	sha >before
	try() {   # try RC MESSAGE ARGS...
		want=$1 msg=$2
		shift 2
		SALES_TODAY=2024-03-15 sales -C wb handover "$@"
		expect_rc "$want"
		expect_err_has "$msg"
		sha >after
		cmp -s before after || fail "files changed by: handover $*"
	}
	try 1 "'王芳' cannot hand over to themself" 王芳 --to 王芳
	try 1 "'某人' is not in team.csv: customers are handed over to a rep" 王芳 --to 某人
	try 1 "'钱多' is not a 销售代表, 销售主管 or 销售经理 in team.csv (its 角色 there: 交付团队): customers are handed over to a rep" 王芳 --to 钱多
	try 1 "'张三' is not in team.csv: only a member of the team hands customers over" 张三 --to 李雷
	try 1 "'戊电子有限公司' is not 王芳's customer: its 负责人 is 李雷" 王芳 --to 李雷 --customer 戊电子
	try 1 "'乙贸易有限公司' is 已签约: a closed customer is handed over only with --all" 王芳 --to 李雷 --customer 乙贸易
	try 1 "'己化工有限公司' is not 王芳's customer: it has no 负责人" 王芳 --to 李雷 --customer 己化工
	try 1 "no customer named '庚'" 王芳 --to 李雷 --customer 庚
	try 2 "missing option '--to'" 王芳
	try 2 "handover takes one rep" --to 李雷
	# nothing to hand over is not an error, and changes nothing
	try 0 "赵敏 has no open customer to hand over" 赵敏 --to 李雷
	rm wb/team.csv
	sha >before
	try 1 "team.csv is missing, so '王芳' cannot be confirmed as a team member" 王芳 --to 李雷
}

test_handover_example_workbook() {
	example_workbook wb
	snapshot wb
	# 张伟's only customer, 科技有限公司, is 已签约: nothing without --all
	SALES_TODAY=2024-01-15 sales -C wb handover 张伟 --to 周敏
	expect_rc 0
	expect_err_has '张伟 has no open customer to hand over'
	expect_unchanged wb
	# with --all only its 01 负责人: HT20231001 is paid, the phases are
	# 陈静's and 赵强's, the follow-up 孙丽's
	SALES_TODAY=2024-01-15 sales -C wb handover 张伟 --to 周敏 --all --dry-run
	expect_out_has '1 customer, 1 cell would change'
	expect_out_has '    待办   2024-04-10  跟进计划 (in 86 days)'
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb handover 周敏 --to 张伟
	expect_rc 0
	expect_out_has 'YY商贸有限公司  跟进中  B类  客户开发  (01-leads.csv:3)'
	expect_out_has '1 customer, 1 cell changed'
	grep -q ',YY商贸有限公司,负责人,周敏,张伟' wb/audit.csv || fail "no audit row"
	sales -C wb export leads --format tsv
	tsv_col "$out" 负责人 | tr '\n' ' ' >got
	printf '张伟 张伟 ' >exp
	cmp -s got exp || fail "负责人 after: $(cat got)"
}

test_handover_generated_matches_awk() {
	bench_workbook wb 300 || return 0
	cp -r wb wb2
	sales -C wb export leads --format tsv
	cp "$out" leads_before
	# FROM: the owner of the most open leads (not 已签约, 已丢单 or 公海);
	# TO: the first 销售代表 of team.csv who is someone else
	count() {   # count FILE OWNER [all]: OWNER's open (or all) leads
		awk -F'\t' -v o="$2" -v all="${3:-}" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "负责人") a = i; if ($i == "客户状态") s = i }; next }
			$a == o && $s != "公海" && (all != "" || ($s != "已签约" && $s != "已丢单")) { n++ } END { print n + 0 }' "$1"
	}
	from=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "负责人") a = i; if ($i == "客户状态") s = i }; next }
		$s != "已签约" && $s != "已丢单" && $s != "公海" && $a != "" { n[$a]++ }
		END { for (k in n) print n[k], k }' leads_before | sort -k1,1nr -k2 | sed -n '1s/^[0-9]* //p')
	to=$(awk -F, -v f="$from" '$2 == "销售代表" && $1 != f { print $1; exit }' wb/team.csv)
	n_from=$(count leads_before "$from")
	n_to=$(count leads_before "$to")
	n_all=$(count leads_before "$from" all)
	[ "$n_from" -gt 0 ] || { fail "the generated workbook has no open lead"; return; }
	cp wb/02-surveys.csv wb/06-acceptance.csv wb/08-kpi.csv .
	SALES_TODAY=2024-06-30 sales -C wb handover "$from" --to "$to"
	expect_rc 0
	expect_out_has "$n_from customer"
	sales -C wb export leads --format tsv
	[ "$(count "$out" "$from")" = 0 ] || fail "$from still has $(count "$out" "$from") open leads"
	[ "$(count "$out" "$to")" = $((n_from + n_to)) ] ||
		fail "$to has $(count "$out" "$to") open leads, expected $n_from + $n_to"
	# every audit row moves a cell from FROM to TO (or writes FROM into a
	# row below that inherited it); 01's rows are the leads counted
	[ "$(grep -c ',01-leads.csv,.*,负责人,' wb/audit.csv)" = "$n_from" ] || fail "01 audit rows"
	tail -n +2 wb/audit.csv | tr -d '\r' | awk -F, -v f="$from" -v t="$to" \
		'!(($(NF-1) == f && $NF == t) || ($(NF-1) == "" && $NF == f)) { bad++ } END { exit bad > 0 }' ||
		fail "an audit row does not move $from to $to"
	for f in 02-surveys.csv 06-acceptance.csv 08-kpi.csv; do
		cmp -s "$f" "wb/$f" || fail "$f changed"
	done
	# --all: every lead of FROM, closed ones too
	SALES_TODAY=2024-06-30 sales -C wb2 handover "$from" --to "$to" --all
	expect_rc 0
	expect_out_has "$n_all customers"
	[ "$(grep -c ',01-leads.csv,.*,负责人,' wb2/audit.csv)" = "$n_all" ] || fail "--all: 01 audit rows"
	sales -C wb2 export leads --format tsv
	[ "$(count "$out" "$from" all)" = 0 ] || fail "--all: $from keeps leads"
}
