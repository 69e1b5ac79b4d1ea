# The option vocabulary every command shares (issue 11, item 5): --as-of,
# --format names and aliases, --date in the stage commands, one meaning per
# short flag, --by with the column's header, and "did you mean".

# --as-of DATE answers what SALES_TODAY=DATE answers, on every reading command
test_as_of_equals_sales_today() {
	example_workbook wb
	for args in "status 科技" "status YY商贸 -f json" "score" "score --explain" \
		    "lead list --stale 30" "report" "report funnel" "due" \
		    "due -f json" "check" "check -f json"; do
		# shellcheck disable=SC2086
		SALES_TODAY=2024-01-15 sales -C wb $args
		cp "$out" want
		# shellcheck disable=SC2086
		SALES_TODAY=2031-07-01 sales -C wb $args --as-of 2024-01-15
		cmp -s want "$out" || { fail "'$args --as-of' differs from SALES_TODAY"; diff want "$out" | head -n 6 | sed 's/^/    /' >&2; }
	done
}

# the as-of date really moves the answer: 科技 was last contacted 2024-01-10,
# YY商贸 2023-10-08
test_as_of_moves_stale_and_due() {
	example_workbook wb
	SALES_TODAY=2031-07-01 sales -C wb lead list --stale 5 --as-of 2024-01-15 -f csv
	expect_rc 0
	[ "$(tail -n +2 "$out" | cut -d, -f2 | tr '\n' ' ')" = "科技有限公司 YY商贸有限公司 " ] ||
		fail "--stale 5 as of 2024-01-15 should list both leads: $(cat "$out")"
	SALES_TODAY=2031-07-01 sales -C wb lead list --stale 5 --as-of 2024-01-14 -f csv
	[ "$(tail -n +2 "$out" | cut -d, -f2 | tr '\n' ' ')" = "YY商贸有限公司 " ] ||
		fail "--stale 5 as of 2024-01-14 (科技 quiet 4 days) should list YY商贸 only: $(cat "$out")"
	# 07-followups.csv:2 plans a visit on 2024.04.10
	SALES_TODAY=2031-07-01 sales -C wb due --as-of 2024-04-20 -f csv
	expect_out_has '孙丽,followup,跟进计划,2024-04-10,-10,科技有限公司,,07-followups.csv,2,'
	sales -C wb status 科技 --as-of 2024/02/30
	expect_rc 2
	expect_err_has "option '--as-of': '2024/02/30' is not a date"
}

# one name for the human format: table; text is an alias, markdown of md
test_format_aliases() {
	example_workbook wb
	export SALES_TODAY=2024-01-15
	for args in "check" "status 科技" "due" "score" "report" "lead list"; do
		# shellcheck disable=SC2086
		sales -C wb $args
		cp "$out" default
		# shellcheck disable=SC2086
		sales -C wb $args --format table
		cmp -s default "$out" || fail "'$args --format table' differs from the default"
		# shellcheck disable=SC2086
		sales -C wb $args -f text
		expect_rc 0
		cmp -s default "$out" || fail "'$args -f text' differs from the default"
	done
	sales -C wb report -f md
	cp "$out" md
	sales -C wb report --format=markdown
	cmp -s md "$out" || fail "--format markdown differs from md"
	unset SALES_TODAY
}

# csv, tsv, json and md wherever a table is printed
test_format_tables_everywhere() {
	example_workbook wb
	export SALES_TODAY=2024-04-20
	for args in "due" "score" "report" "report funnel" "lead list"; do
		for f in csv tsv json md; do
			# shellcheck disable=SC2086
			sales -C wb $args -f $f
			expect_rc 0
			[ -s "$out" ] || fail "'$args -f $f' printed nothing"
		done
	done
	sales -C wb due -f tsv
	printf 'owner\tkind\tlabel\tdate\tdays\tcustomer\tcontract\tfile\tline\tdetail\n孙丽\tfollowup\t跟进计划\t2024-04-10\t-10\t科技有限公司\t\t07-followups.csv\t2\t下次跟进计划 of the follow-up of 2024-01-10\n' >exp
	expect_out exp
	sales -C wb due -f md
	expect_out_has '| 孙丽 | 2024-04-10 | 10 days overdue | 跟进计划 | 科技有限公司 | 下次跟进计划 of the follow-up of 2024-01-10 |'
	sales -C wb lead list -f md
	expect_out_has '| 序号 | 客户名称 | 行业 | 线索等级 | 线索评分 | 负责人 | 客户状态 | 最后跟进时间 | 区域 | 产品线 |'
	expect_out_has '| 2 | YY商贸有限公司 | 零售 | B类 | 42 | 周敏 | 跟进中 | 2023-10-08 | 华东 | 仓储管理 |'
	# score's tsv: 科技 scores 25+20+15+25 (SPEC §3 on the example rows)
	sales -C wb score 科技 -f tsv
	expect_out_has "$(printf '科技有限公司\t25\t20\t15\t25\t85\tA类')"
	sales -C wb export leads -f md
	expect_out_has '| 序号 | 客户名称 | 行业 |'
	expect_out_has '| 1 | 科技有限公司 | 制造业 |'
	sales -C wb status 科技 -f csv
	expect_rc 2
	expect_err_has "unknown format 'csv' (expected table or json)"
	sales -C wb check --format jsno
	expect_rc 2
	expect_err_has "unknown format 'jsno'; did you mean 'json'?"
	unset SALES_TODAY
}

# -w is due's --within only; score's --write has no short flag
test_short_flag_one_meaning() {
	example_workbook wb
	export SALES_TODAY=2024-04-05
	snapshot wb
	sales -C wb score -w
	expect_rc 2
	expect_err_has "unknown option '-w'"
	expect_unchanged wb
	sales -C wb due -w 5
	expect_rc 0
	expect_out_has 'within 5 days'
	expect_out_has '跟进计划'
	sales -C wb due -w 4
	expect_out_has 'nothing falls due'
	unset SALES_TODAY
}

# --by takes the column's Chinese header (simplified or traditional)
test_by_chinese_header() {
	example_workbook wb
	export SALES_TODAY=2024-01-15
	for pair in "owner 负责人" "owner 負責人" "region 区域" "region 區域" \
		    "product_line 产品线" "product_line 產品線"; do
		set -- $pair
		sales -C wb report --by "$1" -f csv
		cp "$out" want
		sales -C wb report --by "$2" -f csv
		expect_rc 0
		cmp -s want "$out" || fail "report --by $2 differs from --by $1"
		sales -C wb report funnel --by "$1"
		cp "$out" want
		sales -C wb report funnel --by "$2"
		cmp -s want "$out" || fail "report funnel --by $2 differs from --by $1"
	done
	sales -C wb report --by 负责人 -f csv
	expect_out_has ',张伟,'
	expect_out_has ',周敏,'
	sales -C wb report --by 客户名称
	expect_rc 2
	expect_err_has "cannot group by '客户名称'"
	unset SALES_TODAY
}

# the row's own date is --date in every stage command; the old names stay
test_stage_date_option() {
	example_workbook wb
	export SALES_TODAY=2024-01-15
	sales -C wb survey add --customer YY商贸有限公司 --surveyor 周敏 --date 2024-01-03
	expect_rc 0
	grep -q '^YY商贸有限公司,2024-01-03,' wb/02-surveys.csv ||
		fail "survey add --date did not set 调研时间: $(tail -n 1 wb/02-surveys.csv)"
	sales -C wb solution add --customer YY商贸有限公司 --solution 方案A --date 2024-01-05
	expect_rc 0
	grep -q '^YY商贸有限公司,方案A,.*2024-01-05' wb/03-solutions.csv ||
		fail "solution add --date did not set 提交日期: $(tail -n 1 wb/03-solutions.csv)"
	sales -C wb solution add --customer YY商贸有限公司 --solution 方案B --submitted 2024-01-06
	expect_rc 0
	grep -q '^YY商贸有限公司,方案B,.*2024-01-06' wb/03-solutions.csv ||
		fail "solution add --submitted (alias) did not set 提交日期"
	sales -C wb solution add -h
	expect_out_has '--date DATE'
	expect_out_has 'the same as --date'
	sales -C wb exception add --customer YY商贸有限公司 --type 延期 --stage 方案制定 --reason 客户出差 --approver 吴磊 --deadline 2024-02-01 --date 2024-01-10
	expect_rc 0
	tail -n 1 wb/exceptions.csv | grep -q '2024-01-10' || fail "exception add --date did not set 审批日期"
	sales -C wb exception add --customer YY商贸有限公司 --type 延期 --stage 方案制定 --reason 客户出差 --approver 吴磊 --deadline 2024-02-02 --approved 2024-01-11
	expect_rc 0
	tail -n 1 wb/exceptions.csv | grep -q '2024-01-11' || fail "exception add --approved (alias) did not set 审批日期"
	snapshot wb
	sales -C wb followup add --customer 科技 --by 孙丽 --date 2024/02/30
	expect_rc 2
	expect_err_has "'--date'"
	expect_unchanged wb
	unset SALES_TODAY
}

# "did you mean" for sub-commands and options, everywhere
test_did_you_mean() {
	example_workbook wb
	export SALES_TODAY=2024-01-15
	snapshot wb
	sales -C wb report funel
	expect_rc 2
	expect_err_has "'funel' is not a 'report' sub-command; did you mean 'funnel'?"
	sales -C wb contract sing HT001 --date 2024-01-01
	expect_rc 2
	expect_err_has "'sing' is not a 'contract' sub-command; did you mean 'sign'?"
	sales -C wb check --formt json
	expect_rc 2
	expect_err_has "unknown option '--formt'; did you mean '--format'?"
	sales -C wb lead lsit
	expect_rc 2
	expect_err_has "did you mean 'list'?"
	sales -C wb due --as_of 2024-01-01
	expect_rc 2
	expect_err_has "did you mean '--as-of'?"
	sales -C wb survey add --customer 科技 --surveyr 张伟
	expect_rc 2
	expect_err_has "did you mean '--surveyor'?"
	sales -C wb report --quater 2023Q4
	expect_err_has "did you mean '--quarter'?"
	sales -C wb chek
	expect_rc 2
	expect_err_has "The most similar command is"
	sales -C wb check --zzzzzz
	expect_rc 2
	expect_err_has "unknown option '--zzzzzz'"
	if grep -q 'did you mean' "$errf"; then fail "a far-off option got a suggestion"; fi
	expect_unchanged wb
	unset SALES_TODAY
}
