# t_values.sh - one validator for every command (issue 11): the same bad
# value gets the same message and exit status from every writer and from
# check; traditional spellings of enumerations are read everywhere; phones
# are mainland numbers; 08's targets are read as report reads them.

values_wb() {
	example_workbook wb
	SALES_TODAY=2024-01-15
	export SALES_TODAY
}

# The same unparsable date exits 2 from every writer, files untouched.
test_values_bad_date_exits_2_everywhere() {
	values_wb
	snapshot wb
	sales -C wb lead add 新客户 --last-contact 2024/02/30
	expect_rc 2
	expect_err_has "option '--last-contact': 最后跟进时间 '2024/02/30' is not a date"
	sales -C wb followup add --customer 科技有限公司 --by 孙丽 --date 2024/02/30
	expect_rc 2
	expect_err_has "option '--date': 跟进时间 '2024/02/30' is not a date"
	sales -C wb contract paid HT20231001 --date 2024/02/30
	expect_rc 2
	sales -C wb lead set 科技有限公司 --last-contact 2024/02/30
	expect_rc 2
	expect_err_has "option '--last-contact': 最后跟进时间 '2024/02/30' is not a date"
	expect_unchanged wb
	# a date that parses but lies ahead is a rule: 1
	sales -C wb followup add --customer 科技有限公司 --by 孙丽 --date 2024-01-16
	expect_rc 1
	sales -C wb lead add 新客户 --last-contact 2024-01-16
	expect_rc 1
	expect_unchanged wb
}

# One message for one bad phone: lead add, lead import and check agree.
test_values_one_message_for_a_bad_phone() {
	values_wb
	snapshot wb
	msg="联系方式 '1234' is not a phone number (expected a mobile 1[3-9] and 9 digits, a landline 0, area code and 7-8 digits, or a 400/800 number; +86 in front and an extension after are allowed)"
	sales -C wb lead add 新客户 --phone 1234
	expect_rc 2
	expect_err_has "option '--phone': $msg"
	printf '客户名称,联系方式\r\n新客户,1234\r\n' >in.csv
	sales -C wb lead import "$tmp/in.csv"
	expect_rc 2
	expect_err_has "in.csv:2:B2: $msg"
	expect_unchanged wb
	# the same cell in the sheet: check names it with the same words
	sed -i 's/13956782046/1234/' wb/01-leads.csv
	sales -C wb check values
	expect_rc 1
	expect_out_has "01-leads.csv:3:G3: error[values]: $msg"
}

# Phones: mainland numbers pass, the four bad ones are refused by
# lead add and reported by check.
test_values_phone_rule() {
	values_wb
	for p in 13812345678 "+86 139 1234 5678" 010-88886666 0571-8888666 \
		 "0755-88886666转123" 400-820-8820; do
		sales -C wb lead add "新客户$p" --phone "$p"
		expect_rc 0
	done
	snapshot wb
	for p in 1234 138123456789 13812345678901234567 1381234567; do
		sales -C wb lead add 新客户X --phone "$p"
		expect_rc 2
		expect_err_has "联系方式 '$p' is not a phone number"
	done
	expect_unchanged wb
	# in the sheet, check reports each one
	example_workbook wb2
	{
		printf '3,甲公司,,,,,1234,,,,,2024-01-10,,2024-01-10,新线索,,,\r\n'
		printf '4,乙公司,,,,,138123456789,,,,,2024-01-10,,2024-01-10,新线索,,,\r\n'
		printf '5,丙公司,,,,,13812345678901234567,,,,,2024-01-10,,2024-01-10,新线索,,,\r\n'
		printf '6,丁公司,,,,,1381234567,,,,,2024-01-10,,2024-01-10,新线索,,,\r\n'
	} >>wb2/01-leads.csv
	sales -C wb2 check values --format json
	expect_rc 1
	for p in 1234 138123456789 13812345678901234567 1381234567; do
		expect_out_has "联系方式 '$p' is not a phone number"
	done
	expect_out_has '"errors":4'
}

# Traditional spellings of every enumeration are read and written.
test_values_traditional_enumerations() {
	values_wb
	sales -C wb lead set YY商贸有限公司 --status 跟進中
	expect_rc 0
	sales -C wb export leads --format csv
	expect_out_has "YY商贸有限公司"
	grep -q '^2,YY商贸有限公司,.*,跟进中,' wb/01-leads.csv || fail "跟進中 not stored as 跟进中"
	sales -C wb lead list --status 跟進中 --format csv
	expect_rc 0
	expect_out_has '2,YY商贸有限公司,'
	sales -C wb lead list --status 跟踪中
	expect_rc 2
	expect_err_has "option '--status': 客户状态 '跟踪中' is not one of"
	# 已審批 in 04: no cascading errors, and the model sees it approved
	example_workbook wb2
	sed -i 's/,已审批,/,已審批,/' wb2/04-contracts.csv
	sales -C wb2 check
	expect_rc 0
	sales -C wb2 followup add --customer 科技有限公司 --by 孙丽
	expect_rc 0
	# a traditional 环节 and 类型 in exceptions.csv count
	example_workbook wb3
	printf '客户名称,类型,环节,原因,新期限,审批人,审批日期\r\n' >wb3/exceptions.csv
	printf 'YY商贸有限公司,跳過環節,方案制定,客户直接谈判,,吴磊,2024-01-10\r\n' >>wb3/exceptions.csv
	sales -C wb3 check exceptions values
	expect_rc 0
	sales -C wb3 exception add --customer YY商贸有限公司 --type 延期 --stage 談判簽約 \
		--reason 客户出差 --deadline 2024-02-01 --approver 吴磊
	expect_rc 0
	tail -n 1 wb3/exceptions.csv | grep -q '^YY商贸有限公司,延期,谈判签约,' ||
		fail "談判簽約 not stored as 谈判签约"
}

# 08-kpi.csv targets: check reads them as report does.
test_values_kpi_target_in_the_metrics_unit() {
	values_wb
	sed -i 's/^平均客单价(万元),200,/平均客单价(万元),150万,/' wb/08-kpi.csv
	sales -C wb check values
	expect_rc 0
	sales -C wb report --quarter 2023Q4 --format json
	expect_rc 0
	expect_out_has '"metric":"平均客单价(万元)","target":150'
	sed -i 's/^线索转化率,15%,/线索转化率,很多,/' wb/08-kpi.csv
	sales -C wb check values
	expect_rc 1
	expect_out_has "目标值 '很多' is not a percentage (e.g. 15%) for 线索转化率"
}
