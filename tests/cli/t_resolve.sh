# t_resolve.sh - one customer resolver for every command that names a
# customer (issue 11): exact, the name key, a unique prefix or substring;
# unknown or ambiguous exits 1 with the nearest names, never with advice
# to skip a stage.

resolve_wb() {
	example_workbook wb
	SALES_TODAY=2024-01-15
	export SALES_TODAY
}

# The example: 科技 is 科技有限公司, which has a 合格 acceptance.
test_resolve_followup_short_name() {
	resolve_wb
	sales -C wb followup add --customer 科技 --by 孙丽
	expect_rc 0
	expect_err_has "'科技' is the lead '科技有限公司' (01-leads.csv:2)"
	grep -q '跳过环节' "$errf" && fail "advice to skip a stage"
	tail -n 1 wb/07-followups.csv | grep -q '^科技有限公司,2024-01-15,孙丽,' ||
		fail "the row is not written under the lead's name"
	sales -C wb survey add --customer YY商贸 --surveyor 刘洋
	expect_rc 0
	tail -n 1 wb/02-surveys.csv | grep -q '^YY商贸有限公司,2024-01-15,刘洋,' ||
		fail "the survey is not written under the lead's name"
}

# Unknown and ambiguous names: exit 1, nearest names, files untouched.
test_resolve_unknown_and_ambiguous() {
	resolve_wb
	sales -C wb lead add 科技发展有限公司 --owner 张伟
	expect_rc 0
	snapshot wb
	sales -C wb followup add --customer 科技有线公司 --by 孙丽
	expect_rc 1
	expect_err_has "no customer named '科技有线公司' in 01-leads.csv; did you mean '科技有限公司'?"
	grep -q '跳过环节\|stage .* is missing' "$errf" && fail "a stage hint for an unknown name"
	# 科技 starts two names now, but is the key of one: it resolves
	sales -C wb status 科技
	expect_rc 0
	expect_out_has "科技有限公司"
	sales -C wb status 科技发展有
	expect_rc 0
	expect_out_has "科技发展有限公司"
	sales -C wb lead add 科技创新有限公司
	expect_rc 0
	snapshot wb
	sales -C wb status 科技发
	expect_rc 0
	sales -C wb followup add --customer 科技创 --by 孙丽
	expect_rc 1
	expect_err_has "stage 项目验收 is missing for '科技创新有限公司'"
	sales -C wb score 有限
	expect_rc 1
	expect_err_has "'有限' could be more than one lead in 01-leads.csv"
	sales -C wb status 没有这个
	expect_rc 1
	expect_err_has "no customer named '没有这个' in the workbook"
	expect_unchanged wb
}

# The same resolver in status, lead set, score and exception add.
test_resolve_every_command() {
	resolve_wb
	sales -C wb status YY商贸
	expect_rc 0
	expect_out_has "YY商贸有限公司"
	sales -C wb lead set YY商贸 --note 已电话确认预算
	expect_rc 0
	grep -q '^2,YY商贸有限公司,.*已电话确认预算' wb/01-leads.csv || fail "lead set missed"
	sales -C wb score YY商贸
	expect_rc 0
	sales -C wb exception add --customer YY商贸 --type 跳过环节 --stage 需求分析 \
		--reason 老客户 --approver 吴磊
	expect_rc 0
	tail -n 1 wb/exceptions.csv | grep -q '^YY商贸有限公司,跳过环节,需求分析,' ||
		fail "exception not written under the lead's name"
	# solution review names the customer too
	sales -C wb solution add --customer 科技 --solution 二期方案
	expect_rc 0
	sales -C wb solution review 科技 二期方案 --by 李娜 --pass
	expect_rc 0
	expect_out_text '科技有限公司/二期方案: 通过'
	sales -C wb solution review 科技有线公司 --by 李娜 --pass
	expect_rc 1
	expect_err_has "no customer with a proposal named '科技有线公司' in 03-solutions.csv; did you mean '科技有限公司'?"
}

# Writes keep the workbook valid: people not in team.csv, customers not in 01.
test_resolve_writes_refuse_unknown_people() {
	resolve_wb
	snapshot wb
	sales -C wb survey add --customer 科技有限公司 --surveyor 王五
	expect_rc 1
	expect_err_has "option '--surveyor': 调研人 '王五' is not in team.csv"
	sales -C wb followup add --customer 科技有限公司 --by 王五
	expect_rc 1
	expect_err_has "option '--by': 跟进人 '王五' is not in team.csv"
	sales -C wb lead add 新客户 --owner 王五
	expect_rc 1
	expect_err_has "option '--owner': 负责人 '王五' is not in team.csv"
	sales -C wb exception add --customer 无名公司 --type 跳过环节 --stage 需求分析 \
		--reason 老客户 --approver 吴磊
	expect_rc 1
	expect_err_has "no customer named '无名公司' in 01-leads.csv"
	expect_unchanged wb
	# and check reports the same person written by hand
	printf '科技有限公司,2024-01-12,王五,电话回访,,,,4\r\n' >>wb/07-followups.csv
	sales -C wb check values
	expect_rc 1
	expect_out_has "跟进人 '王五' is not in team.csv"
}

# lead rename: every sheet and exceptions.csv in one audited change; audit.csv
# only gains rows; a NEW that is another lead (by name key) is refused.
test_lead_rename_everywhere() {
	resolve_wb
	printf '客户名称,类型,环节,原因,新期限,审批人,审批日期\r\n科技有限公司,延期,售后跟进,客户出差,2024-02-01,吴磊,2024-01-10\r\n' >wb/exceptions.csv
	cp wb/audit.csv audit.before 2>/dev/null || : >audit.before
	sales -C wb lead rename 科技有限公司 华科智能装备有限公司
	expect_rc 0
	# 8 rows of 01-07 and exceptions, and the example's change request
	expect_err_has "renamed '科技有限公司' to '华科智能装备有限公司' in 9 rows"
	for f in 01-leads 02-surveys 03-solutions 04-contracts 05-plans 06-acceptance 07-followups exceptions changes; do
		grep -q '科技有限公司' "wb/$f.csv" && fail "$f.csv still names 科技有限公司"
	done
	# 02 and 05 have continuation rows: they stay blank, under the new name
	[ "$(grep -c '^华科智能装备有限公司,' wb/02-surveys.csv)" = 1 ] || fail "02 rows"
	[ "$(grep -c '^,' wb/02-surveys.csv)" = 1 ] || fail "02 continuation row changed"
	# audit.csv: the old bytes, then one row per renamed cell
	head -c "$(wc -c <audit.before)" wb/audit.csv | cmp -s - audit.before || fail "audit.csv rewritten"
	[ "$(grep -c ',lead rename,.*,客户名称,科技有限公司,华科智能装备有限公司' wb/audit.csv)" = 9 ] ||
		fail "expected 9 audit rows"
	sales -C wb check
	expect_rc 0
	sales -C wb status 华科
	expect_rc 0
	expect_out_has '华科智能装备有限公司'
	# refused: a name another lead has, by key; an unknown old name
	snapshot wb
	sales -C wb lead rename 华科智能装备有限公司 'YY商贸 有限責任公司'
	expect_rc 1
	expect_err_has "01-leads.csv:3: 'YY商贸 有限責任公司' would duplicate the lead 'YY商贸有限公司'"
	sales -C wb lead rename 科技有限公司 新名字
	expect_rc 1
	expect_err_has "no lead named '科技有限公司' in 01-leads.csv"
	sales -C wb lead rename 华科
	expect_rc 2
	expect_unchanged wb
}
