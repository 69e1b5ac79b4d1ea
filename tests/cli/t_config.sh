# sales config: settings in sales.conf, git-config style.

test_config_get_set_unset() {
	example_workbook wb
	sales -C wb config deadline.proposal_days
	expect_rc 0
	expect_out_text 5
	sales -C wb config deadline.proposal_days 7
	expect_rc 0
	sales -C wb config deadline.proposal_days
	expect_out_text 7
	grep -q '^	proposal_days = 7$' wb/sales.conf || fail "sales.conf lacks the setting"
	grep -q ',tester,config,sales.conf,deadline.proposal_days,值,5,7' wb/audit.csv ||
		fail "the change is not in the audit trail"
	sales -C wb config --unset deadline.proposal_days
	expect_rc 0
	sales -C wb config deadline.proposal_days
	expect_out_text 5
	sales -C wb config no.such
	expect_rc 1
}

test_config_keeps_comments() {
	example_workbook wb
	printf '# 本团队的设置\n[score "industry"]\n\t化工 = 20 ; 新行业\n' >wb/sales.conf
	sales -C wb config score.threshold_a 75
	expect_rc 0
	head -n 3 wb/sales.conf >got
	printf '# 本团队的设置\n[score "industry"]\n\t化工 = 20 ; 新行业\n' >exp
	cmp -s got exp || fail "comments or lines were not kept"
	sales -C wb config score.industry.化工
	expect_out_text 20
	sales -C wb config --list
	expect_out_has 'score.threshold_a=75'
	expect_out_has 'score.industry.化工=20'
}

test_config_bad_file_names_line() {
	example_workbook wb
	printf '[deadline]\nproposal_days 7\n' >wb/sales.conf
	snapshot wb
	sales -C wb config deadline.proposal_days 9
	expect_rc 2
	expect_err_has 'sales.conf:2:'
	expect_unchanged wb
}

test_config_unknown_key_warns() {
	example_workbook wb
	sales -C wb config bogus.key 1
	expect_rc 0
	expect_err_has "not a setting sales knows"
}

# Every key sales knows is checked by type (exit 2) and range (exit 1)
# before anything is written (issue 11: `config deadline.proposal_days abc`
# used to be stored, and check then counted 0 days).
test_config_checks_type_and_range() {
	example_workbook wb
	snapshot wb
	while IFS='|' read -r rc key value message; do
		sales -C wb config -- "$key" "$value"
		expect_rc "$rc"
		expect_err_has "$message"
		expect_unchanged wb
	done <<'TABLE'
2|deadline.proposal_days|abc|deadline.proposal_days: 'abc' is not a whole number
1|deadline.proposal_days|-1|deadline.proposal_days: -1 is not from 0 to 365
1|stalled.days|0|stalled.days: 0 is not from 1 to 365
2|score.threshold_a|高|score.threshold_a: '高' is not a whole number
1|score.threshold_b|101|score.threshold_b: 101 is not from 0 to 100
2|score.industry.化工|很高|score.industry.化工: '很高' is not a whole number
2|scorecard.process||scorecard.process: '' is not a whole number
2|floor.max_discount|一成|floor.max_discount: '一成' is not a percentage (e.g. 10%)
1|floor.max_discount|150%|floor.max_discount: '150%' is not from 0% to 100%
2|csv.encoding|latin1|csv.encoding: unknown encoding 'latin1'
2|ui.language|中文|ui.language: '中文' is not a language
TABLE
	# good values of each type
	for kv in deadline.proposal_days=0 score.industry.化工=20 \
		  score.size.employees_5000= floor.max_discount=15% csv.encoding=gbk \
		  ui.language=zh_CN score.chain.deciders=总经理,董事长 bogus.key=x; do
		sales -C wb config "${kv%%=*}" "${kv#*=}"
		expect_rc 0
	done
	sales -C wb config deadline.proposal_days
	expect_out_text 0
}

# --list shows each key once, with the value that counts.
test_config_list_each_key_once() {
	example_workbook wb
	printf '[deadline]\n\tproposal_days = 5\n[deadline]\n\tproposal_days = 8\n' >wb/sales.conf
	sales -C wb config --list
	expect_rc 0
	[ -z "$(cut -d= -f1 "$out" | sort | uniq -d)" ] || fail "keys listed twice: $(cut -d= -f1 "$out" | sort | uniq -d)"
	[ "$(grep -c '^deadline.proposal_days=' "$out")" = 1 ] || fail "proposal_days not once"
	expect_out_has 'deadline.proposal_days=8'
}
