# Issue 5: `sales check`, the CI gate — clean and quiet on the example
# workbook, one line per finding, SPEC §7's JSON, GitHub annotations, exit
# codes 0/1/2, notes for approved exceptions, --strict, --as-of, --explain.

# plant_approvals DIR: a second contract that 法务 approved before 销售经理.
plant_approvals() {
	printf 'HT20231002,科技有限公司,100,2024.01-2025.01,备件,张伟,,同意,,审批中,,,\r\n' >>"$1/04-contracts.csv"
}

test_check_example_clean_and_quiet() {
	example_workbook wb
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	[ -s "$out" ] && fail "clean check printed to stdout: $(head -c 200 "$out")"
	[ "$(cat "$errf")" = "check: 0 errors, 0 warnings in 2 customers" ] ||
		fail "summary is '$(cat "$errf")'"
	expect_unchanged wb
}

test_check_text_line() {
	example_workbook wb
	plant_approvals wb
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_text '04-contracts.csv:3:H3: error[approvals]: 法务 approved before 销售经理'
	expect_err_has 'check: 1 error, 0 warnings in 2 customers'
	expect_unchanged wb
}

test_check_exit_codes() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	printf '3,科技有限公司,制造业,,,,,,,B类,张伟,2023-10-08,,2023-10-08,跟进中,华东,,\r\n' >>wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_has '01-leads.csv:4:B4: error[duplicates]:'
	# a sheet that cannot be read
	printf 'HT9,"未闭合\r\n' >>wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 2
	expect_err_has '04-contracts.csv'
	# not a workbook, an unknown check, a bad format or date
	mkdir empty
	SALES_TODAY=2024-01-15 sales -C empty check
	expect_rc 2
	example_workbook ok
	SALES_TODAY=2024-01-15 sales -C ok check stagez
	expect_rc 2
	expect_err_has "unknown check 'stagez'; did you mean 'stages'?"
	SALES_TODAY=2024-01-15 sales -C ok check --format xml
	expect_rc 2
	SALES_TODAY=2024-01-15 sales -C ok check --as-of 2024-02-30
	expect_rc 2
}

# The JSON is SPEC §7's object; parsed with python3 when there is one, else
# checked line by line.
test_check_json_shape() {
	example_workbook wb
	plant_approvals wb
	sed -i 's/,B类,周敏/,A类,周敏/' wb/01-leads.csv
	head -n 1 "$ROOT/examples/02-surveys.csv" >wb/02-surveys.csv
	printf '科技有限公司,跳过环节,需求分析,客户已有明确需求,,吴磊,2023-10-11\r\n' >>wb/exceptions.csv
	SALES_TODAY=2024-01-15 sales -C wb check --format json
	expect_rc 1
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$out" >"$H/py" 2>&1 <<'PY' || fail "json: $(cat "$H/py")"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(doc, dict) and list(doc) == ["errors", "warnings", "diagnostics"], list(doc)
assert doc["errors"] == 1 and doc["warnings"] == 1, doc
keys = ["check", "severity", "file", "line", "column", "cell", "customer", "message"]
types = [str, str, str, int, int, str, str, str]
for d in doc["diagnostics"]:
    assert list(d) == keys, list(d)
    for k, t in zip(keys, types):
        assert isinstance(d[k], t), (k, d[k])
    assert d["severity"] in ("error", "warning", "note"), d
got = [(d["check"], d["severity"], d["file"], d["line"], d["column"], d["cell"], d["customer"]) for d in doc["diagnostics"]]
want = [("stalled", "warning", "01-leads.csv", 3, 12, "L3", "YY商贸有限公司"),
        ("stages", "note", "03-solutions.csv", 2, 1, "A2", "科技有限公司"),
        ("approvals", "error", "04-contracts.csv", 3, 8, "H3", "科技有限公司")]
assert got == want, got
assert sum(d["severity"] == "error" for d in doc["diagnostics"]) == doc["errors"]
assert sum(d["severity"] == "warning" for d in doc["diagnostics"]) == doc["warnings"]
PY
	else
		head -n 1 "$out" | grep -q '^{"errors":1,"warnings":1,"diagnostics":\[$' ||
			fail "json head: $(head -n 1 "$out")"
		tail -n 1 "$out" | grep -q '^\]}$' || fail "json tail: $(tail -n 1 "$out")"
		sed '1d;$d' "$out" | grep -vq '^{"check":"[a-z]*","severity":"\(error\|warning\|note\)","file":"[^"]*","line":[0-9]*,"column":[0-9]*,"cell":"[A-Z]*[0-9]*","customer":"[^"]*","message":".*"},\{0,1\}$' &&
			fail "a diagnostic is not of the documented shape"
	fi
	# clean: an empty list
	example_workbook clean
	SALES_TODAY=2024-01-15 sales -C clean check --format json
	expect_rc 0
	expect_out_text '{"errors":0,"warnings":0,"diagnostics":[]}'
}

test_check_github_annotations() {
	example_workbook wb
	plant_approvals wb
	sed -i 's/,B类,周敏/,A类,周敏/' wb/01-leads.csv
	# a grade holding '%' and a line break: both must be escaped
	printf '3,丙公司,制造业,,,,,,,"50%%\r\nD",张伟,2024-01-12,,2024-01-12,新线索,华东,,\r\n' >>wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb check --format github
	expect_rc 1
	[ "$(wc -l <"$out")" -eq 3 ] || fail "expected 3 annotations, got $(wc -l <"$out")"
	bad=$(grep -cv '^::\(error\|warning\|notice\) file=[^,:]*,line=[0-9][0-9]*,col=[0-9][0-9]*,title=[^:,]*::[^[:cntrl:]]*$' "$out")
	[ "$bad" = 0 ] || fail "$bad annotation lines are malformed: $(cat "$out")"
	expect_out_has '::error file=wb/04-contracts.csv,line=3,col=8,title=sales check approvals H3::法务 approved before 销售经理'
	expect_out_has '::warning file=wb/01-leads.csv,line=3,col=12,'
	expect_out_has "线索等级 '50%25%0D%0AD' is not a grade"
}

test_check_note_for_approved_exception() {
	example_workbook wb
	head -n 1 "$ROOT/examples/02-surveys.csv" >wb/02-surveys.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 1
	expect_out_text "03-solutions.csv:2:A2: error[stages]: '科技有限公司' is in 03-solutions.csv but not in 02-surveys.csv: stage 需求分析 was skipped"
	printf '科技有限公司,跳过环节,需求分析,客户已有明确需求,,吴磊,2023-10-11\r\n' >>wb/exceptions.csv
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_rc 0
	expect_out_text "03-solutions.csv:2:A2: note[stages]: '科技有限公司' is in 03-solutions.csv but not in 02-surveys.csv: stage 需求分析 was skipped; allowed by an approved 跳过环节 exception (exceptions.csv:2, approved by 吴磊: 客户已有明确需求)"
	expect_err_has 'check: 0 errors, 0 warnings, 1 note in 2 customers'
}

test_check_strict_and_filter() {
	example_workbook wb
	sed -i 's/,B类,周敏/,A类,周敏/' wb/01-leads.csv
	plant_approvals wb
	SALES_TODAY=2024-01-15 sales -C wb check stalled
	expect_rc 0
	expect_out_text "01-leads.csv:3:L3: warning[stalled]: A类 lead 'YY商贸有限公司' has had no contact for 99 days (since 2023-10-08) and is neither 已签约 nor 已丢单: lost-deal risk for the weekly 线索跟进报告"
	SALES_TODAY=2024-01-15 sales -C wb check stalled --strict
	expect_rc 1
	expect_out_has '01-leads.csv:3:L3: error[stalled]:'
	expect_err_has 'check: 1 error, 0 warnings'
	SALES_TODAY=2024-01-15 sales -C wb check stalled approvals
	expect_rc 1
	[ "$(wc -l <"$out")" -eq 2 ] || fail "expected 2 findings"
}

test_check_as_of() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb check --as-of 2024-04-11
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb check --as-of 2024-04-15
	expect_rc 1
	expect_out_text "07-followups.csv:2:B2: error[aftersales]: '科技有限公司' has had no after-sales follow-up since 2024-01-10 (96 days to 2024-04-15): one was due by 2024-04-11"
}

test_check_explain() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb check --explain screening
	expect_rc 0
	expect_out_has "01-leads.csv:2:J2: info[screening]: '科技有限公司' is graded: deadline 2023-10-09 met"
	expect_out_has '    = 登记日期 2023-09-28 + 3 working days → 2023-10-09 (09-29..10-06 off: 中秋节、国庆节; 10-07, 10-08 are 班 days)'
	# a missed deadline carries its arithmetic too
	sed -i 's/,B类,周敏/,,周敏/' wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C wb check --explain screening
	expect_rc 1
	expect_out_has "01-leads.csv:3:J3: error[screening]: 'YY商贸有限公司' has no 线索等级 3 working days after 登记日期 2023-10-08: the deadline was 2023-10-11"
	expect_out_has '    = 登记日期 2023-10-08 + 3 working days → 2023-10-11'
	# json stays SPEC's shape: explanations go to stderr
	SALES_TODAY=2024-01-15 sales -C wb check --explain --format json screening
	expect_out_lacks 'info'
	expect_err_has '    = 登记日期 2023-10-08 + 3 working days → 2023-10-11'
}

test_check_list_outside_a_workbook() {
	sales check --list
	expect_rc 0
	for c in stages order screening proposal approvals gates payments stalled \
		 aftersales timeliness refs values duplicates injection exceptions; do
		grep -q "^$c " "$out" || fail "--list lacks $c"
	done
	grep -q '^stalled  *warning ' "$out" || fail "stalled is not listed as a warning"
	grep -q '^approvals  *error ' "$out" || fail "approvals is not listed as an error"
}

# On a terminal each finding shows its row (script(1) gives a pty).
test_check_excerpt_on_terminal() {
	command -v script >/dev/null 2>&1 || return 0
	example_workbook wb
	plant_approvals wb
	SALES_TODAY=2024-01-15 script -qec "$SALES_BIN -C wb check" /dev/null >tty.raw 2>&1
	# on a terminal the finding is coloured (t_term.sh); read its text
	sed 's/\x1b\[[0-9;]*m//g' tty.raw >tty.out
	grep -q '04-contracts.csv:3:H3: error\[approvals\]' tty.out || fail "no finding on the terminal: $(cat tty.out)"
	grep -q '    | HT20231002,科技有限公司,100,' tty.out || fail "no excerpt on the terminal: $(cat tty.out)"
	SALES_TODAY=2024-01-15 sales -C wb check
	expect_out_lacks '    | '
}

# check --list points at a rule the man page lists (SPEC is not shipped):
# every check's "sales-workbook(5) rule N" is an item of that page's RULES.
test_check_list_points_at_man_page() {
	sales check --list
	expect_rc 0
	expect_out_lacks "SPEC"
	nrules=$(sed -n '/^# RULES/,/^# /p' "$ROOT/man/sales-workbook.5.scd" | grep -c '^\. ')
	[ "$nrules" = 16 ] || fail "sales-workbook(5) lists $nrules rules, expected 16 (15: targets.csv, 16: changes)"
	tail -n +2 "$out" | while read -r name sev rest; do
		n=$(echo "$rest" | sed -n 's/^sales-workbook(5) rule \([0-9]*\) .*/\1/p')
		[ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le "$nrules" ] ||
			fail "check $name points at no rule of sales-workbook(5): $rest"
		# the page names the check in its rule's item
		sed -n '/^# RULES/,/^# /p' "$ROOT/man/sales-workbook.5.scd" |
			awk -v n="$n" '/^\. /{i++} i==n' | grep -qF "*$name*" ||
			fail "rule $n of sales-workbook(5) does not name the check $name"
		grep -qF "*$name*" "$ROOT/man/sales-check.1.scd" || fail "sales-check(1) does not describe $name"
	done
}
