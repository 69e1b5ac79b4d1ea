# t_redact.sh - export --redact masks exactly the columns the schema marks
# personal or financial, in every sheet, and audit.csv's 原值/新值 by the
# column each audit row names (issue 11 item 8).

test_redact_every_sheet() {
	example_workbook wb
	# 01: 联系人 and 联系方式 masked, the rest as it is
	sales -C wb export 01 --redact --format csv
	expect_rc 0
	expect_out_has '1,科技有限公司,制造业,500-1000人/5亿以上,王**,采购总监,138****4590,行业展会,'
	expect_out_has '2,YY商贸有限公司,零售,100-300人/1亿以下,马**,运营总监,139****2046,客户转介绍,'
	# 02: 调研对象 and 预算范围 (the continuation row too)
	sales -C wb export 02 --redact --format csv
	expect_out_has '科技有限公司,2023-10-12,张伟,王**,'
	expect_out_has '自动化分拣设备(高),***,采购部→技术部→总经理,'
	expect_out_has ',钱**,'
	expect_out_lacks '200-300万'
	expect_out_lacks '王经理'
	# 03: 报价; 04: 合同金额
	sales -C wb export 03 --redact --format csv
	expect_out_has ',45天,***,免费培训3次+1年质保,'
	sales -C wb export 04 --redact --format csv
	expect_out_has 'HT20231001,科技有限公司,***,2023.11-2024.11,'
	# 06: 验收人 and 客户签字
	sales -C wb export 06 --redact --format csv
	expect_out_has '科技有限公司,2023.12.20,王**,设备功能、系统功能、培训效果,合格,无,王**'
	# without --redact nothing is masked
	sales -C wb export 06 --format csv
	expect_out_has ',王经理(采购总监),'
}

test_redact_audit_by_the_column_named() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb lead set 科技有限公司 --phone 13912345678 \
		--contact 李总 --note 已确认预算
	expect_rc 0
	sales -C wb export audit --format csv
	expect_out_has ',联系方式,13816274590,13912345678'
	sales -C wb export audit --redact --format csv
	expect_rc 0
	expect_out_has ',01-leads.csv,科技有限公司,联系方式,138****4590,139****5678'
	expect_out_has ',01-leads.csv,科技有限公司,联系人,王**,李**'
	# a column that is not confidential keeps its values
	expect_out_has ',01-leads.csv,科技有限公司,备注,需确认预算,已确认预算'
	expect_out_lacks '13816274590'
	expect_out_lacks '13912345678'
	expect_out_lacks '王经理'
	sales -C wb export audit --redact --format json
	expect_out_lacks '13912345678'
}
