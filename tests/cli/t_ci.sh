# Issue 17: the CI recipes of examples/ci/, run as far as they go without
# the service: the lines between "sales-ci-begin" and "sales-ci-end" of each
# recipe, with the variables the service would set, in a clone of a real
# repository (a bare "origin" and a branch with a change).

# ci_script RECIPE: the recipe's gate lines as a shell script in $H/ci.sh.
ci_script() {
	sed -n '/# sales-ci-begin/,/# sales-ci-end/p' "$ROOT/examples/ci/$1" |
		sed 's/^[[:space:]]*//; s/^- //' >"$H/ci.sh"
	[ -s "$H/ci.sh" ] || fail "$1 has no sales-ci-begin/end block"
}

# ci_run: runs $H/ci.sh as the service would (sh -e, in the clone, sales on
# PATH); stdout in $out, stderr in $errf, status in $rc.
ci_run() {
	(cd work && PATH="$H/bin:$PATH" sh -e "$H/ci.sh") >"$out" 2>"$errf"
	rc=$?
}

# ci_repo: origin.git holding the example workbook on main; work/, a clone
# on branch "change" one commit ahead, with a contract that 法务 approved
# before 销售经理.
ci_repo() {
	export GIT_CONFIG_NOSYSTEM=1 HOME="$H/home"
	mkdir -p "$HOME" "$H/bin"
	ln -s "$SALES_BIN" "$H/bin/sales"
	git config --global user.name tester
	git config --global user.email tester@example.com
	git config --global init.defaultBranch main
	git init -q seed && example_workbook seed/wb &&
		git -C seed add wb && git -C seed commit -q -m "the workbook" || fail "seed"
	git clone -q --bare seed origin.git && git clone -q origin.git work || fail "clone"
	git -C work checkout -q -b change
	printf 'HT20231002,科技有限公司,100,2024.01-2025.01,备件,张伟,,同意,,审批中,,,\r\n' >>work/wb/04-contracts.csv
	git -C work commit -q -a -m "a contract" || fail "commit"
	MAIN=$(git -C work rev-parse origin/main)
}

test_ci_github_actions_gate() {
	need_tool git "git (make test-deps)" || return 0
	ci_repo
	ci_script github-actions.yml
	annotation='::error file=wb/04-contracts.csv,line=3,col=8,title=sales check approvals H3::法务 approved before 销售经理'
	# a pull request into main, a year later: the after-sales finding that
	# time made is not the change's
	WORKBOOK=wb GITHUB_BASE_REF=main SALES_TODAY=2025-06-01 ci_run
	expect_rc 1
	expect_out_text "$annotation"
	# a push: github.event.before is main's commit; a new branch has zeros
	WORKBOOK=wb BEFORE=$MAIN SALES_TODAY=2025-06-01 ci_run
	expect_rc 1
	expect_out_text "$annotation"
	WORKBOOK=wb BEFORE=0000000000000000000000000000000000000000 SALES_TODAY=2025-06-01 ci_run
	expect_rc 1
	expect_out_text "$annotation"
	# a fine change passes
	git -C work reset -q --hard origin/main
	sed -i 's/决策人未明确/决策人已明确/' work/wb/01-leads.csv
	git -C work commit -q -a -m "a note"
	WORKBOOK=wb GITHUB_BASE_REF=main SALES_TODAY=2025-06-01 ci_run
	expect_rc 0
	[ -s "$out" ] && fail "a fine change annotated: $(cat "$out")"
}

test_ci_gitlab_code_quality() {
	need_tool git "git (make test-deps)" || return 0
	ci_repo
	ci_script gitlab-ci.yml
	WORKBOOK=wb CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main CI_DEFAULT_BRANCH=main SALES_TODAY=2025-06-01 ci_run
	expect_rc 1
	report=work/gl-code-quality-report.json
	[ -s "$report" ] || fail "no code-quality report"
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$report" >"$H/py" 2>&1 <<'PY' || fail "report: $(cat "$H/py")"
import json, re, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(doc, list) and len(doc) == 1, doc
[i] = doc
assert i["check_name"] == "approvals" and i["severity"] == "major", i
assert i["description"] == "法务 approved before 销售经理", i
assert i["location"] == {"path": "wb/04-contracts.csv", "lines": {"begin": 3}}, i
assert re.fullmatch("[0-9a-f]{16}", i["fingerprint"]), i
PY
	else
		grep -qF '"check_name":"approvals"' "$report" || fail "report: $(cat "$report")"
	fi
	# a push to the default branch: the commit before
	git -C work checkout -q main && git -C work merge -q --ff-only change
	WORKBOOK=wb CI_DEFAULT_BRANCH=main SALES_TODAY=2025-06-01 ci_run
	expect_rc 1
	grep -qF '"lines":{"begin":3}' "$report" || fail "push report: $(cat "$report")"
}

# GitLab follows a finding by its fingerprint: a row moved keeps it, and
# two equal findings get two.
test_ci_gitlab_fingerprints_follow_rows() {
	example_workbook wb
	printf 'HT20231002,科技有限公司,100,2024.01-2025.01,备件,张伟,,同意,,审批中,,,\r\n' >>wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check --format gitlab
	expect_rc 1
	fp1=$(grep -o '"fingerprint":"[0-9a-f]*"' "$out")
	grep -qF '"lines":{"begin":3}' "$out" || fail "not on line 3: $(cat "$out")"
	{ sed -n 1p wb/04-contracts.csv; sed -n 3p wb/04-contracts.csv; sed -n 2p wb/04-contracts.csv; } >"$H/c"
	cp "$H/c" wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check --format gitlab
	expect_rc 1
	grep -qF '"lines":{"begin":2}' "$out" || fail "not on line 2: $(cat "$out")"
	[ "$(grep -o '"fingerprint":"[0-9a-f]*"' "$out")" = "$fp1" ] || fail "the fingerprint changed with the line"
	# a second, equal contract row: a second fingerprint
	printf 'HT20231002,科技有限公司,100,2024.01-2025.01,备件,张伟,,同意,,审批中,,,\r\n' >>wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C wb check approvals --format gitlab
	[ "$(grep -o '"fingerprint":"[0-9a-f]*"' "$out" | sort -u | wc -l)" = 2 ] ||
		fail "equal findings share a fingerprint: $(cat "$out")"
	SALES_TODAY=2024-01-15 sales -C wb check --format gitlab --strict
	expect_rc 1
}

test_ci_nightly_full_check_and_due() {
	need_tool git "git (make test-deps)" || return 0
	ci_repo
	ci_script nightly.yml
	git -C work checkout -q main
	WORKBOOK=wb SALES_TODAY=2024-01-15 ci_run
	expect_rc 0
	expect_out_has 'Overdue and due today:'
	expect_out_lacks '::error'
	# a year on: the full check fails on what time made, and the overdue
	# list says what to do (2024-04-10 + 417 days = 2025-06-01)
	WORKBOOK=wb SALES_TODAY=2025-06-01 ci_run
	expect_rc 1
	expect_out_has "::error file=wb/07-followups.csv,line=2,col=2,title=sales check aftersales B2::'科技有限公司' has had no after-sales follow-up since 2024-01-10"
	expect_out_has 'Overdue and due today:'
	expect_out_has '孙丽    2024-04-10  417 days overdue  跟进计划  科技有限公司'
}
