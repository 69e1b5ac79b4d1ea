# Issue 6: `sales report` (the KPIs of SPEC §6 and the funnel) and `sales due`.

# The workbook of tests/test_kpi.c, worked out by hand.  Q = 2024Q1 as of
# 2024-02-29 (a leap day), so the year earlier is 2023Q1 as of 2023-02-28.
#   甲 registered 01-05, signed C1 02-04 (300, due 02-20, paid 02-18)
#   乙 registered 01-20, C3 审批中 (not signed)
#   丙 registered 02-10, 已丢单 on 02-20
#   丁 registered 03-05: after the as-of date
#   戊 registered 2023-11-01, signed C2 2024-01-15 (150, due 02-15, paid late 02-25)
#   己 registered 2023-01-10, signed C4 2023-02-20 (100, due 03-20, paid 03-10)
#   庚 registered 2023-02-28: counted as of 2023-02-28
#   辛 registered 2023-03-01: not counted (it would be, were the year-earlier
#      date 365 days back)
hand_leads() {
	printf '\357\273\277客户名称,负责人,最后跟进时间,登记日期,客户状态,区域,产品线\r\n'
	case ${1:-all} in all|a) cat <<'EOF'
甲公司,张伟,2024-02-10,2024-01-05,已签约,华东,智能物流
乙公司,张伟,2024-02-01,2024-01-20,跟进中,华东,仓储管理
丙公司,周敏,2024-02-20,2024-02-10,已丢单,华南,智能物流
丁公司,周敏,2024-03-05,2024-03-05,新线索,华南,
EOF
	esac
	case ${1:-all} in all|b) cat <<'EOF'
戊公司,周敏,2024-01-15,2023-11-01,已签约,华南,仓储管理
己公司,张伟,2023-02-20,2023-01-10,已签约,华东,智能物流
庚公司,周敏,2023-02-28,2023-02-28,跟进中,华南,智能物流
辛公司,张伟,2023-03-01,2023-03-01,跟进中,华东,智能物流
EOF
	esac
}

hand_contracts() {
	echo '合同编号,客户名称,合同金额(万元),审批状态,签订日期,付款到期日,回款日期'
	case ${1:-all} in all|a) cat <<'EOF'
C1,甲公司,300,已审批,2024-02-04,2024-02-20,2024-02-18
C3,乙公司,200,审批中,,,
EOF
	esac
	case ${1:-all} in all|b) cat <<'EOF'
C2,戊公司,150,已审批,2024-01-15,2024-02-15,2024-02-25
C4,己公司,100,已审批,2023-02-20,2023-03-20,2023-03-10
EOF
	esac
}

hand_kpi() {
	printf '\357\273\277指标名称,目标值,实际值,完成率,同比变化,主要影响因素,改进措施,季度\r\n'
	printf '线索转化率,15%%,12%%,80%%,-2%%,需求挖掘深度不足,加强销售培训,2023Q4\r\n'
	printf '线索转化率,20%%,,,,手填的因素,"手填的措施,含逗号",2024Q1\r\n'
	printf '平均客单价(万元),200,,,,,,2024Q1\r\n'
	printf '销售周期（天）,60天,,,,周期长,缩短审批,2024Q1\r\n'
	printf '客户满意度,90%%,,,,,,2024Q1\r\n'
	printf '自定义指标,5,3,60%%,,,,2024Q1\r\n'
}

hand_workbook() {
	mkdir -p "$1"
	hand_leads >"$1/01-leads.csv"
	hand_contracts >"$1/04-contracts.csv"
	printf '客户名称,跟进时间,满意度\n甲公司,2024-02-12,\n己公司,2023-02-15,5\n' >"$1/07-followups.csv"
	hand_kpi >"$1/08-kpi.csv"
}

test_report_hand_worked_table() {
	hand_workbook wb
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --formulas
	expect_rc 0
	# 线索转化率 1/3 (甲 of 甲乙丙) vs 1/2 (己 of 己庚): 166.7% of 20%, -16.7 points
	# 平均客单价 (300+150)/2 = 225 vs 100: +125%
	# 销售周期 (30+75)/2 = 52.5 days vs 41, lower is better: 60/52.5 = 114.3%
	# 客户满意度: no follow-up with a 满意度 in Q: no value
	# 赢单率 2/(2+1) vs 1/1; 回款率 1/2 (C2 late) vs 0/1 (C4 paid after 2023-02-28)
	cat >exp <<'EOF'
2024Q1 as of 2024-02-29 (同比: 2023Q1 as of 2023-02-28)

指标名称          目标值  实际值  完成率  同比变化
线索转化率           20%   33.3%  166.7%   -16.7pp
平均客单价(万元)     200     225  112.5%     +125%
销售周期(天)          60    52.5  114.3%      +28%
客户满意度           90%
赢单率                     66.7%           -33.3pp
回款率                       50%             +50pp
EOF
	head -n 9 "$out" >got
	cmp -s got exp || { fail "KPI table differs"; diff exp got | sed 's/^/    /' >&2; }
	expect_out_has '销售周期(天) = sum of calendar days from the customer'"'"'s 登记日期 to 签订日期'
	expect_out_has '同比变化 compares with 2023Q1 as of 2023-02-28'
}

test_report_hand_worked_json() {
	hand_workbook wb
	SALES_TODAY=2024-03-31 sales -C wb report --quarter current --as-of 2024-02-29 --format json
	expect_rc 0
	cat >exp <<'EOF'
[
{"quarter":"2024Q1","group":null,"metric":"线索转化率","target":0.2,"actual":0.333333,"completion":1.666667,"yoy":-0.166667},
{"quarter":"2024Q1","group":null,"metric":"平均客单价(万元)","target":200,"actual":225,"completion":1.125,"yoy":1.25},
{"quarter":"2024Q1","group":null,"metric":"销售周期(天)","target":60,"actual":52.5,"completion":1.142857,"yoy":0.280488},
{"quarter":"2024Q1","group":null,"metric":"客户满意度","target":0.9,"actual":null,"completion":null,"yoy":null},
{"quarter":"2024Q1","group":null,"metric":"赢单率","target":null,"actual":0.666667,"completion":null,"yoy":-0.333333},
{"quarter":"2024Q1","group":null,"metric":"回款率","target":null,"actual":0.5,"completion":null,"yoy":0.5}
]
EOF
	expect_out exp
}

test_report_quarter_without_year_earlier_data() {
	hand_workbook wb
	# 2023Q4 as of 2024-01-15: 戊 registered in Q and signed on 01-15;
	# nothing at all in 2022Q4, so no YoY anywhere
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --format csv
	expect_rc 0
	cat >exp <<'EOF'
quarter,group,metric,target,actual,completion,yoy
2023Q4,,线索转化率,0.15,1,6.666667,
2023Q4,,平均客单价(万元),,,,
2023Q4,,销售周期(天),,,,
2023Q4,,客户满意度,,,,
2023Q4,,赢单率,,,,
2023Q4,,回款率,,,,
EOF
	expect_out exp
	# a day earlier C2 is not signed yet
	SALES_TODAY=2024-01-14 sales -C wb report --quarter 2023Q4 --format tsv
	expect_out_has "$(printf '2023Q4\t\t线索转化率\t0.15\t0\t0\t')"
}

test_report_explain_numerators() {
	hand_workbook wb
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --explain
	expect_rc 0
	expect_out_has '线索转化率  2024Q1: 1 ÷ 3 = 33.3%;  2023Q1: 1 ÷ 2 = 50%'
	expect_out_has '销售周期(天)  2024Q1: 105 ÷ 2 = 52.5;  2023Q1: 41 ÷ 1 = 41'
	expect_out_has '客户满意度  2024Q1: 0 ÷ 0: no value;  2023Q1: 1 ÷ 1 = 100%'
	# machine formats keep stdout clean: the explanation goes to stderr
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --explain --format json
	expect_rc 0
	expect_err_has '回款率  2024Q1: 1 ÷ 2 = 50%'
	expect_out_lacks 'Formulas'
}

test_report_by_owner_and_md() {
	hand_workbook wb
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --by owner --format csv
	expect_rc 0
	expect_out_has '2024Q1,周敏,线索转化率,0.2,0,0,0'
	expect_out_has '2024Q1,张伟,线索转化率,0.2,0.5,2.5,-0.5'
	expect_out_has '2024Q1,周敏,销售周期(天),60,75,0.8,'
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --by region --format md
	expect_rc 0
	expect_out_has '| 区域 | 指标名称 | 目标值 | 实际值 | 完成率 | 同比变化 |'
	expect_out_has '| --- | --- | ---: | ---: | ---: | ---: |'
	expect_out_has '| 华南 | 赢单率 |  | 50% |  |  |'
}

test_report_example_reproduces_seed_metrics() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4
	expect_rc 0
	for m in 线索转化率 '平均客单价(万元)' 客户满意度; do
		expect_out_has "$m"
	done
	# 科技有限公司 signed HT20231001 (258 万元) 27 days after registering;
	# YY商贸有限公司 is the only lead registered in Q4
	expect_out_has '平均客单价(万元)     200     258    129%'
	expect_out_has '线索转化率           15%      0%      0%'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --format json
	for m in '"metric":"线索转化率","target":0.15' '"metric":"平均客单价(万元)","target":200' \
		 '"metric":"客户满意度","target":0.9'; do
		expect_out_has "$m"
	done
}

test_report_write_keeps_typed_cells() {
	hand_workbook wb
	cp wb/08-kpi.csv before.csv
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --write
	expect_rc 0
	expect_err_has '08-kpi.csv: 3 rows of 2024Q1 filled, 2 added'
	{
		printf '\357\273\277指标名称,目标值,实际值,完成率,同比变化,主要影响因素,改进措施,季度\r\n'
		printf '线索转化率,15%%,12%%,80%%,-2%%,需求挖掘深度不足,加强销售培训,2023Q4\r\n'
		printf '线索转化率,20%%,33.3%%,166.7%%,-16.7%%,手填的因素,"手填的措施,含逗号",2024Q1\r\n'
		printf '平均客单价(万元),200,225,112.5%%,+125%%,,,2024Q1\r\n'
		printf '销售周期（天）,60天,52.5,114.3%%,+28%%,周期长,缩短审批,2024Q1\r\n'
		printf '客户满意度,90%%,,,,,,2024Q1\r\n'
		printf '自定义指标,5,3,60%%,,,,2024Q1\r\n'
		printf '赢单率,,66.7%%,,-33.3%%,,,2024Q1\r\n'
		printf '回款率,,50%%,,+50%%,,,2024Q1\r\n'
	} >exp
	cmp -s wb/08-kpi.csv exp || { fail "08-kpi.csv differs"; diff exp wb/08-kpi.csv | sed 's/^/    /' >&2; }
	# the rows not of the quarter are the same bytes
	for n in 1 2 6 7; do
		[ "$(sed -n "${n}p" before.csv)" = "$(sed -n "${n}p" wb/08-kpi.csv)" ] ||
			fail "line $n changed"
	done
	grep -q ',tester,report,08-kpi.csv,2024Q1/线索转化率,实际值,,33.3%' wb/audit.csv ||
		fail "the change is not in the audit trail"
	# nothing to change the second time: no rewrite, no audit rows
	snapshot wb
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --write
	expect_rc 0
	expect_err_has 'already up to date'
	expect_unchanged wb
}

test_report_write_gbk_sheet() {
	hand_workbook wb
	hand_kpi | sed '1s/^\xef\xbb\xbf//' | iconv -f UTF-8 -t GB18030 >wb/08-kpi.csv
	head -n 2 wb/08-kpi.csv >before
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --write --format json
	expect_rc 0
	head -n 2 wb/08-kpi.csv >after
	cmp -s before after || fail "untouched GBK rows changed"
	iconv -f GB18030 -t UTF-8 wb/08-kpi.csv | grep -q '^回款率,,50%,,+50%,,,2024Q1' ||
		fail "the added row is not GBK text"
}

test_report_write_refused() {
	hand_workbook wb
	hand_workbook wb2
	snapshot .
	SALES_TODAY=2024-02-29 sales report --quarter current wb wb2 --write
	expect_rc 2
	expect_err_has '--write fills one workbook'
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --write --by owner
	expect_rc 2
	expect_unchanged .
}

test_report_two_workbooks_equal_one() {
	hand_workbook whole
	mkdir a b
	hand_leads a >a/01-leads.csv
	hand_leads b >b/01-leads.csv
	hand_contracts a >a/04-contracts.csv
	hand_contracts b >b/04-contracts.csv
	cp whole/07-followups.csv b/
	cp whole/08-kpi.csv a/
	export SALES_TODAY=2024-02-29
	sales -C whole report --quarter current --format json
	cp "$out" whole.json
	sales report --quarter current a b --format json
	expect_rc 0
	expect_out whole.json
	sales report --quarter current a b --by workbook --format csv
	expect_rc 0
	expect_out_has '2024Q1,a,线索转化率,0.2,0.333333,1.666667,'
	expect_out_has '2024Q1,b,平均客单价(万元),,150,,0.5'
	# the same folder twice is every row twice: the same rates
	sales report --quarter current whole whole --format json
	expect_out whole.json
}

test_report_bad_usage() {
	hand_workbook wb
	export SALES_TODAY=2024-02-29
	sales -C wb report --quarter 2024Q5
	expect_rc 2
	expect_err_has "'2024Q5' is not a quarter"
	sales -C wb report --by team
	expect_rc 2
	expect_err_has "cannot group by 'team'"
	sales -C wb report --format xml
	expect_rc 2
	sales report wb nowhere
	expect_rc 2
	expect_err_has "'nowhere' is not a workbook"
	sales -C wb report --as-of 2024-02-30
	expect_rc 2
	sales -C wb report funnel --write
	expect_rc 2
}

test_report_bad_cells_warn() {
	hand_workbook wb
	sed -i 's/^C1,甲公司,300,/C1,甲公司,三百,/' wb/04-contracts.csv
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current --format csv
	expect_rc 0
	expect_err_has "04-contracts.csv:2:C2: 合同金额 '三百' of a signed contract is not one amount"
	expect_out_has '2024Q1,,平均客单价(万元),200,150,0.75,0.5'
	# an unreadable sheet is an error naming the cell
	printf '客户名称,跟进时间\n甲公司,"open\n' >wb/07-followups.csv
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current
	expect_rc 2
	expect_err_has '07-followups.csv:2:B2'
}

test_report_funnel() {
	example_workbook wb
	export SALES_TODAY=2024-01-15
	sales -C wb report funnel
	expect_rc 0
	cat >exp <<'EOF'
every lead

阶段      表  客户数  转化率  中位天数
客户开发  01       2
需求分析  02       1     50%        14
方案制定  03       1    100%         5
谈判签约  04       1    100%         8
项目交付  05       1    100%         7
项目验收  06       1    100%        49
售后跟进  07       1    100%        21
EOF
	head -n 10 "$out" >got
	cmp -s got exp || { fail "funnel differs"; diff exp got | sed 's/^/    /' >&2; }
	sales -C wb report funnel --chart --by owner
	expect_rc 0
	expect_out_has '负责人 张伟'
	expect_out_has '客户开发  01  ██████████████████████████████       1'
	sales -C wb report funnel --format json --quarter 2023Q4
	expect_out_has '{"quarter":"2023Q4","group":null,"stage":"客户开发","sheet":"01","customers":1,"conversion":null,"median_days":null,"waived":0}'
	sales -C wb report funnel --format csv
	expect_out_has ',,需求分析,02,1,0.5,14'
}

# As of Friday 2024-03-15; each customer has one kind of item.
due_workbook() {
	mkdir -p "$1"
	cat >"$1/01-leads.csv" <<'EOF'
客户名称,线索等级,负责人,最后跟进时间,登记日期,客户状态
甲公司,B类,张伟,2024-03-01,2023-10-01,已签约
乙公司,B类,张伟,2024-02-01,2023-12-01,已签约
丙公司,B类,周敏,2024-01-10,2023-11-01,已签约
丁公司,A类,周敏,2024-03-05,2024-02-01,跟进中
戊公司,B类,张伟,2023-12-01,2023-09-01,已签约
己公司,,周敏,2024-03-13,2024-03-13,新线索
庚公司,B类,张伟,2024-03-12,2024-03-01,跟进中
辛公司,B类,张伟,2024-02-10,2024-01-01,已签约
壬公司,A类,周敏,2023-12-01,2023-11-01,已丢单
EOF
	printf '客户名称,调研时间\n庚公司,2024-03-12\n' >"$1/02-surveys.csv"
	cat >"$1/04-contracts.csv" <<'EOF'
合同编号,客户名称,合同金额(万元),审批状态,签订日期,付款到期日,回款日期
C1,甲公司,100,已审批,2023-11-01,2023-12-01,2023-11-30
C2,乙公司,80,已审批,2024-02-01,2024-03-17,
C3,丙公司,60,已审批,2024-01-10,2024-03-01,
C4,辛公司,50,已审批,2024-02-10,2024-03-20,
EOF
	printf '客户名称,验收时间,验收结果\n甲公司,2024-02-01,合格\n戊公司,2023-12-01,合格\n' >"$1/06-acceptance.csv"
	printf '客户名称,跟进时间,跟进人,下次跟进计划\n甲公司,2024-03-01,孙丽,2024.03.18回访\n' >"$1/07-followups.csv"
}

test_due_lists_each_kind() {
	due_workbook wb
	SALES_TODAY=2024-03-15 sales -C wb due
	expect_rc 0
	cat >exp <<'EOF'
Due as of 2024-03-15: payments within payment.remind_days (3 days), the rest within 7 days

负责人  日期        期限             事项         客户    说明
周敏    2024-03-01  14 days overdue  催款         丙公司  C3 60万元, 付款到期日 2024-03-01, not paid: start collection (催款)
        2024-03-11  4 days overdue   停滞A类线索  丁公司  A类 lead, last contact 2024-03-05: at risk of being lost
        2024-03-18  in 3 days        线索定级     己公司  registered 2024-03-13, 线索等级 not set
孙丽    2024-03-18  in 3 days        跟进计划     甲公司  下次跟进计划 of the follow-up of 2024-03-01
张伟    2024-03-02  13 days overdue  售后回访     戊公司  accepted 2023-12-01, no follow-up yet
        2024-03-17  in 2 days        回款提醒     乙公司  C2 80万元, 付款到期日 2024-03-17, not paid
        2024-03-19  in 4 days        方案提交     庚公司  last survey 2024-03-12, no proposal in 03-solutions.csv
EOF
	expect_out exp
	SALES_TODAY=2024-03-15 sales -C wb due --format json
	for k in followup payment collection stalled aftersales screening proposal; do
		expect_out_has "\"kind\":\"$k\""
	done
	expect_out_has '{"owner":"周敏","kind":"collection","label":"催款","date":"2024-03-01","days":-14,"customer":"丙公司","contract":"C3","file":"04-contracts.csv","line":4,'
}

test_due_within_owner_and_as_of() {
	due_workbook wb
	export SALES_TODAY=2024-03-15
	sales -C wb due --owner 张伟 --within 5 --format csv
	expect_rc 0
	cat >exp <<'EOF'
owner,kind,label,date,days,customer,contract,file,line,detail
张伟,aftersales,售后回访,2024-03-02,-13,戊公司,,06-acceptance.csv,3,"accepted 2023-12-01, no follow-up yet"
张伟,payment,回款提醒,2024-03-17,2,乙公司,C2,04-contracts.csv,3,"C2 80万元, 付款到期日 2024-03-17, not paid"
张伟,proposal,方案提交,2024-03-19,4,庚公司,,02-surveys.csv,2,"last survey 2024-03-12, no proposal in 03-solutions.csv"
张伟,payment,回款提醒,2024-03-20,5,辛公司,C4,04-contracts.csv,5,"C4 50万元, 付款到期日 2024-03-20, not paid"
EOF
	expect_out exp
	sales -C wb due --as-of 2024-03-01 --owner 周敏 --format csv
	expect_rc 0
	# on 03-01 丙's payment is due today (a reminder, not yet 催款)
	expect_out_has '周敏,payment,回款提醒,2024-03-01,0,丙公司,C3'
	expect_out_lacks 'collection'
	sales -C wb due --owner nobody
	expect_rc 0
	expect_out_has 'nothing falls due'
	sales -C wb due --within -3
	expect_rc 2
	sales -C wb due --format xml
	expect_rc 2
}
