# Output people read (issue 12 item 7): the report's default quarter, its
# formula block only on request, 同比变化 in points for rates.

test_report_default_is_last_complete_quarter() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb report --format json
	expect_rc 0
	expect_out_has '"quarter":"2023Q4"'
	expect_out_lacks '"quarter":"2024Q1"'
	SALES_TODAY=2024-01-15 sales -C wb report
	expect_out_has '2023Q4 as of 2024-01-15 (同比: 2022Q4 as of 2023-01-15), the last complete quarter (the running one: --quarter current, 2024Q1)'
	SALES_TODAY=2024-01-15 sales -C wb report --quarter current --format json
	expect_out_has '"quarter":"2024Q1"'
	# Q1 rolls back to the year before's Q4; Q4 forward names next year's Q1
	SALES_TODAY=2024-12-31 sales -C wb report
	expect_out_has '2024Q3 as of 2024-12-31'
	expect_out_has '--quarter current, 2024Q4)'
}

test_report_formulas_only_on_request() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb report
	expect_out_lacks 'Formulas'
	expect_out_lacks ' ÷ '
	SALES_TODAY=2024-01-15 sales -C wb report --formulas
	expect_out_has 'Formulas, Q = 2023Q4 as of 2024-01-15:'
	expect_out_lacks 'Figures (numerator'
	SALES_TODAY=2024-01-15 sales -C wb report --explain
	expect_out_has 'Formulas, Q = 2023Q4 as of 2024-01-15:'
	expect_out_has 'Figures (numerator ÷ denominator):'
}

# Rates change by percentage points, the others relatively: hand_workbook's
# 线索转化率 1/3 vs 1/2 is -16.7 points; 平均客单价 225 vs 100 is +125%.
test_report_yoy_points_and_percent() {
	hand_workbook wb
	SALES_TODAY=2024-02-29 sales -C wb report --quarter current
	expect_out_has '-16.7pp'
	expect_out_has '+125%'
	zh_locale || return 0
	SALES_TODAY=2024-02-29 sales_in zh_CN.UTF-8 -C wb report --quarter current
	expect_out_has '-16.7个百分点'
	expect_out_has '+125%'
}

# `sales init` says what to fill in next: team.csv.
test_init_says_team_csv_next() {
	sales init wb
	expect_rc 0
	expect_err_has "next, fill in wb/team.csv"
	zh_locale || return 0
	sales_in zh_CN.UTF-8 init wb2
	expect_err_has "下一步：请填写 wb2/team.csv"
}
