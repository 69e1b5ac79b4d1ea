# Issue 15: stage 6 复盘与优化 -- report --month, report scorecard, review,
# score --calibrate, the negotiation floor, handover and change requests.
# hand_workbook comes from t_report.sh (its rows are worked out there).

test_report_month_hand_worked() {
	hand_workbook wb
	# 2024-02 as of 2024-02-29; the year earlier is 2023-02 as of 2023-02-28
	#   线索转化率: registered in Feb: 丙 (lost) 0/1; 2023-02: 庚 0/1 -> 0 points
	#   平均客单价: signed in Feb: C1 300; 2023-02: C4 100 -> +200%
	#   销售周期: 甲 01-05 -> 02-04 = 30; 己 01-10 -> 02-20 = 41 -> -26.8%
	#   客户满意度: 2024-02 none with a score; 2023-02 己's 5 -> 1/1
	#   赢单率: C1 signed + 丙 lost 02-20 -> 1/2; 2023-02: C4 1/1 -> -50 points
	#   回款率: due in Feb: C1 (paid 02-18, on time), C2 (paid 02-25, late) 1/2;
	#           2023-02: nothing due
	# 目标值: 2024Q1's (20%, 200, 60天, 90%)
	SALES_TODAY=2024-02-29 sales -C wb report --month 2024-02 --format json
	expect_rc 0
	cat >exp <<'EOF2'
[
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"线索转化率","target":0.2,"actual":0,"completion":0,"yoy":0},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"平均客单价(万元)","target":200,"actual":300,"completion":1.5,"yoy":2},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"销售周期(天)","target":60,"actual":30,"completion":2,"yoy":-0.268293},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"客户满意度","target":0.9,"actual":null,"completion":null,"yoy":null},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"赢单率","target":null,"actual":0.5,"completion":null,"yoy":-0.5},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"回款率","target":null,"actual":0.5,"completion":null,"yoy":null}
]
EOF2
	expect_out exp
	SALES_TODAY=2024-02-29 sales -C wb report --month 2024.02
	expect_rc 0
	expect_out_has '2024-02 as of 2024-02-29 (同比: 2023-02 as of 2023-02-28)'
	expect_out_has "the quarter's formulas over the month"
	# January: 甲 and 乙 registered; as of 02-29 甲 is signed: 1/2; 2023-01:
	# 己 registered, signed 2023-02-20 (before 2023-02-28): 1/1 -> -50 points;
	# C2 signed 01-15 (150, 75 days after 2023-11-01)
	SALES_TODAY=2024-02-29 sales -C wb report --month 2024-01 --format csv
	expect_out_has '2024Q1,,线索转化率,0.2,0.5,2.5,-0.5,2024-01'
	expect_out_has '2024Q1,,平均客单价(万元),200,150,0.75,,2024-01'
	expect_out_has '2024Q1,,销售周期(天),60,75,0.8,,2024-01'
}

test_report_month_example_and_usage() {
	example_workbook wb
	# 科技有限公司 signed HT20231001 (258) on 2023-10-25, 27 days after
	# 2023-09-28; YY商贸 registered 2023-10-08, not signed
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-10 --format csv
	expect_rc 0
	expect_out_has '2023Q4,,线索转化率,0.15,0,0,,2023-10'
	expect_out_has '2023Q4,,平均客单价(万元),200,258,1.29,,2023-10'
	expect_out_has '2023Q4,,销售周期(天),,27,,,2023-10'
	expect_out_has '2023Q4,,赢单率,,1,,,2023-10'
	# HT20231001 is due 2023-11-24 and was paid 11-20
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --format csv
	expect_out_has '2023Q4,,回款率,,1,,,2023-11'
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-13
	expect_rc 2
	expect_err_has "'2023-13' is not a month"
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --quarter 2023Q4
	expect_rc 2
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --write
	expect_rc 2
	expect_err_has 'quarterly'
	expect_unchanged wb
}
