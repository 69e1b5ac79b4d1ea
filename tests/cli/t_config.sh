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
