# Issue 11: the narrowed gates read other customers' rows through the
# reader's prefilter (sheet.h sales_reader_set_filter), which drops a record
# whose bytes cannot hold the customer's name before it is parsed.  These
# workbooks are written by hand so that a refusal (or its absence) depends
# on exactly the rows such a filter could get wrong: a fill-down
# continuation row (blank 客户名称, the customer of the row above), one that
# follows another customer's row and mentions the name, and a quoted name
# with a comma and doubled quotes.  The expected messages are worked out
# from the rows below, not taken from a run.

# prefilter_workbook: wb/ with three approved, unsigned contracts.
#   乙公司: 01 registered 2023-09-01; in 02 its own row has no 调研时间 and
#     its continuation row (blank name) says 2023-10-20, so 需求分析 began
#     2023-10-20.  Below them a continuation of 丙公司's row mentions 乙公司
#     in 备注 with 2023-09-10: it is 丙公司's, and must not make 乙公司's
#     需求分析 begin on 2023-09-10 (the row above 丙公司's is 乙公司's).
#   丁"东方",有限公司 (quoted, doubled quotes, a comma): 03 submitted
#     2023-11-10, so 方案制定 began then.
#   戊公司: registered 2023-12-01 in 01 (read from the table the write
#     loaded), nothing in 02/03.
prefilter_workbook() {
	sales init wb
	expect_rc 0
	cp "$ROOT/examples/team.csv" wb/
	{
		printf '\357\273\277序号,客户名称,行业,企业规模(员工数/营收),联系人,职务,联系方式,线索来源,初步需求,线索等级,负责人,最后跟进时间,备注,登记日期,客户状态,区域,产品线,线索评分,丢单原因\r\n'
		printf '1,丙公司,制造业,,,,,,,B类,张伟,2023-09-05,,2023-09-05,跟进中,华东,,,\r\n'
		printf '2,乙公司,制造业,,,,,,,B类,张伟,2023-09-01,,2023-09-01,跟进中,华东,,,\r\n'
		printf '3,"丁""东方"",有限公司",零售,,,,,,,A类,周敏,2023-09-02,,2023-09-02,跟进中,华东,,,\r\n'
		printf '4,戊公司,零售,,,,,,,A类,周敏,2023-12-01,,2023-12-01,跟进中,华东,,,\r\n'
	} >wb/01-leads.csv
	{
		printf '\357\273\277客户名称,调研时间,调研人,调研对象(职务),当前业务痛点描述,目标需求(优先级),预算范围,决策流程,备注\r\n'
		printf '乙公司,,张伟,赵总(运营),订单响应慢,AGV(高),100-200万,总经理,\r\n'
		printf ',2023-10-20,张伟,钱工(仓储),"旺季爆仓\r\n人手不足",AGV(中),100-200万,总经理,\r\n'
		printf '丙公司,2023-09-08,张伟,王经理(采购),库存不准,WMS(高),50-100万,技术部主导,\r\n'
		printf ',2023-09-10,张伟,李工(IT),"报表慢,靠手工",WMS(中),50-100万,技术部主导,同乙公司一起调研\r\n'
		printf '"丁""东方"",有限公司",2023-09-20,周敏,孙经理(采购),拣货慢,分拣(高),200-300万,采购部,\r\n'
	} >wb/02-surveys.csv
	{
		printf '\357\273\277客户名称,方案名称,核心产品/服务配置,实施周期,报价(万元),增值服务,方案亮点,负责人,评审意见,提交日期,评审日期\r\n'
		printf '乙公司,AGV方案,AGV 2台,30天,80,培训,案例多,张伟,通过,2023-10-02,2023-10-03\r\n'
		printf '"丁""东方"",有限公司",分拣方案,分拣机1台,45天,120,质保,"省人工,准确",周敏,通过,2023-11-10,2023-11-11\r\n'
	} >wb/03-solutions.csv
	{
		printf '\357\273\277合同编号,客户名称,合同金额(万元),合同期限,主要条款摘要,销售代表,销售经理,法务,总经理,审批状态,签订日期,付款到期日,回款日期\r\n'
		printf 'HT-B,乙公司,80,2023.11-2024.11,一次性付款,张伟,同意,条款合规,同意,已审批,,,\r\n'
		printf 'HT-D,"丁""东方"",有限公司",120,2023.12-2024.12,"分期,质保",周敏,同意,条款合规,同意,已审批,,,\r\n'
		printf 'HT-E,戊公司,90,2024.01-2024.12,一次性付款,周敏,同意,条款合规,同意,已审批,,,\r\n'
	} >wb/04-contracts.csv
}

# sign_refusals: the refusals and the successes prefilter_workbook implies.
sign_refusals() {
	snapshot wb
	# 需求分析 began 2023-10-20 (乙公司's own continuation row), not
	# 2023-09-10 (丙公司's continuation that mentions 乙公司)
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT-B --date 2023-10-15
	expect_rc 1
	expect_err_has "签订日期 2023-10-15 of '乙公司' is before stage 需求分析 began (2023-10-20 in 02-surveys.csv)"
	# 方案制定 began on the quoted name's 提交日期
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT-D --date 2023-11-01
	expect_rc 1
	expect_err_has "签订日期 2023-11-01 of '丁\"东方\",有限公司' is before stage 方案制定 began (2023-11-10 in 03-solutions.csv)"
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT-E --date 2023-11-30
	expect_rc 1
	expect_err_has "签订日期 2023-11-30 of '戊公司' is before stage 客户开发 began (2023-12-01 in 01-leads.csv)"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT-B --date 2023-10-20
	expect_rc 0
	expect_out_text "HT-B: signed 2023-10-20; '乙公司' is 已签约"
	SALES_TODAY=2024-01-15 sales -C wb contract sign HT-D --date 2023-11-10
	expect_rc 0
	expect_out_text "HT-D: signed 2023-11-10; '丁\"东方\",有限公司' is 已签约"
}

test_sign_order_sees_continuations_and_quoted_names() {
	prefilter_workbook
	sign_refusals
}

# The same workbook saved as GB18030 (no BOM): the filter drops nothing
# unread there, the answers are the same.
test_sign_order_gb18030() {
	need_tool iconv || return 0
	prefilter_workbook
	for f in 01-leads 02-surveys 03-solutions 04-contracts; do
		tail -c +4 wb/$f.csv | iconv -f UTF-8 -t GB18030 >wb/$f.gb
		mv wb/$f.gb wb/$f.csv
	done
	sign_refusals
}
