# Issue 17: the workbook in git -- `check --new-from-rev` (only what a change
# introduced, by row key, not line; time passing is not a change), `sales
# diff` by key, `sales textconv` as git's diff driver (GBK sheets readable),
# `sales hook install` (the pre-commit gate, idempotent, foreign hooks kept).
# Every repository here is a real one made by git; expectations are written
# by hand from the example workbook's rows.

# git_repo DIR: a git repository with the example workbook in DIR/wb,
# committed.  Git reads no configuration of the machine or the user.
git_repo() {
	export GIT_CONFIG_NOSYSTEM=1 HOME="$H/home" GIT_AUTHOR_DATE='2024-01-15T10:00:00+08:00'
	export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
	mkdir -p "$HOME"
	git init -q -b main "$1" || fail "git init"
	git -C "$1" config user.name tester
	git -C "$1" config user.email tester@example.com
	git -C "$1" config core.autocrlf false
	example_workbook "$1/wb"
	git -C "$1" add wb && git -C "$1" commit -q -m "the example workbook" || fail "git commit"
}

# commit DIR MESSAGE: commits everything in DIR, hooks bypassed.
commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q --no-verify -m "$2" || fail "git commit $2"
}

# plant_bad_contract FILE: a contract that 法务 approved before 销售经理.
plant_bad_contract() {
	printf 'HT20231002,科技有限公司,100,2024.01-2025.01,备件,张伟,,同意,,审批中,,,\r\n' >>"$1"
}

# to_gbk FILE: the file re-saved as Chinese Excel's plain CSV: GB18030, no BOM.
to_gbk() {
	sed '1s/^\xef\xbb\xbf//' "$1" | iconv -f UTF-8 -t GB18030 >"$1.gbk" && mv "$1.gbk" "$1"
}

test_git_new_from_rev_reports_an_added_row() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	plant_bad_contract repo/wb/04-contracts.csv
	snapshot repo
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 1
	expect_out_text '04-contracts.csv:3:H3: error[approvals]: 法务 approved before 销售经理'
	expect_err_has 'check: 1 error, 0 warnings in 2 customers; new since HEAD (0 older findings not shown)'
	expect_unchanged repo
	# committed, it is no longer new: the gate passes, the full check does not
	commit_all repo "a contract"
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 0
	[ -s "$out" ] && fail "old finding printed: $(cat "$out")"
	expect_err_has 'new since HEAD (1 older finding not shown)'
	SALES_TODAY=2024-01-15 sales -C repo/wb check
	expect_rc 1
	# against the revision before it, it is new again
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD~1
	expect_rc 1
	expect_out_text '04-contracts.csv:3:H3: error[approvals]: 法务 approved before 销售经理'
}

# Deadline findings appear as days pass; they are not what a change did.
test_git_new_from_rev_time_passing_is_not_new() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	SALES_TODAY=2025-06-01 sales -C repo/wb check
	expect_rc 1
	expect_out_text "07-followups.csv:2:B2: error[aftersales]: '科技有限公司' has had no after-sales follow-up since 2024-01-10 (344 days to 2024-12-19, the end of the warranty year): one was due by 2024-04-11"
	SALES_TODAY=2025-06-01 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 0
	[ -s "$out" ] && fail "a finding time made is reported as new: $(cat "$out")"
	# a change elsewhere does not make it new either, and its own finding is
	sed -i 's/决策人未明确/决策人已明确/' repo/wb/01-leads.csv
	printf 'YY商贸有限公司,2025.05.30,孙丽,电话回访,,,,9\r\n' >>repo/wb/07-followups.csv
	SALES_TODAY=2025-06-01 sales -C repo/wb check --new-from-rev HEAD --format json
	expect_rc 1
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$out" >"$H/py" 2>&1 <<'PY' || fail "json: $(cat "$H/py")"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
got = sorted((d["check"], d["file"], d["line"], d["cell"]) for d in doc["diagnostics"])
# the new 07 row: 满意度 9 is out of range, and YY商贸 skipped stages 02..06;
# caused elsewhere: YY商贸's 最后跟进时间 (01, line 3, unchanged) is now older
# than its latest activity.  Not the old after-sales finding of 科技有限公司.
want = sorted([("stages", "07-followups.csv", 3, "A3")] * 5 +
              [("timeliness", "01-leads.csv", 3, "L3"),
               ("values", "07-followups.csv", 3, "H3")])
assert got == want, got
assert doc["errors"] == sum(d["severity"] == "error" for d in doc["diagnostics"]), doc
PY
	else
		expect_out_has '"check":"timeliness","severity":"error","file":"01-leads.csv","line":3,'
		expect_out_lacks '"check":"aftersales"'
	fi
}

# Rows re-sorted or moved keep their findings: matched by key, not line.
test_git_new_from_rev_moved_rows_are_not_new() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	plant_bad_contract repo/wb/04-contracts.csv
	# a duplicate lead: its finding quotes "already on line N", which moves too
	printf '3,科技有限公司,制造业,,,,,,,A类,张伟,2024-01-10,,2023-09-28,已签约,华东,,\r\n' >>repo/wb/01-leads.csv
	commit_all repo "a contract, a duplicate lead"
	# swap the two contracts: the bad one is now on line 2; rotate the leads
	{ sed -n 1p repo/wb/04-contracts.csv; sed -n 3p repo/wb/04-contracts.csv
	  sed -n 2p repo/wb/04-contracts.csv; } >"$H/c" && cp "$H/c" repo/wb/04-contracts.csv
	{ sed -n 1p repo/wb/01-leads.csv; sed -n 3p repo/wb/01-leads.csv
	  sed -n 4p repo/wb/01-leads.csv; sed -n 2p repo/wb/01-leads.csv; } >"$H/l" && cp "$H/l" repo/wb/01-leads.csv
	SALES_TODAY=2024-01-15 sales -C repo/wb check
	expect_rc 1
	expect_out_has '04-contracts.csv:2:H2: error[approvals]: 法务 approved before 销售经理'
	expect_out_has '01-leads.csv:4:B4: error[duplicates]:'
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 0
	[ -s "$out" ] && fail "moved rows reported as new: $(cat "$out")"
	# sales diff: no row changed, the moves noted
	SALES_TODAY=2024-01-15 sales -C repo/wb diff --exit-code
	expect_rc 0
	expect_out_text '01-leads.csv (客户信息登记表)
  note: 1 row moved (no value changed by the move)
04-contracts.csv (合同审批表)
  note: 1 row moved (no value changed by the move)'
}

# A change that breaks another, unchanged row: a contract deleted leaves
# the lead 已签约 without a contract and the plans without stage 4.
test_git_new_from_rev_caused_elsewhere() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	head -n 1 repo/wb/04-contracts.csv >"$H/c" && cp "$H/c" repo/wb/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 1
	expect_out_text "01-leads.csv:2:O2: error[approvals]: 客户状态 of '科技有限公司' is 已签约 but none of its contracts is signed (已审批 with a 签订日期 in 04-contracts.csv)
05-plans.csv:2:A2: error[stages]: '科技有限公司' is in 05-plans.csv but not in 04-contracts.csv: stage 谈判签约 was skipped
changes.csv:2:B2: error[change]: the change does not count: 合同编号 is empty and '科技有限公司' has no signed contract: a change is made to a signed contract"
}

test_git_new_from_rev_staged_and_unborn() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	plant_bad_contract repo/wb/04-contracts.csv
	git -C repo add wb/04-contracts.csv
	git -C repo show HEAD:wb/04-contracts.csv >repo/wb/04-contracts.csv   # only the index has it
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD --staged
	expect_rc 1
	expect_out_text '04-contracts.csv:3:H3: error[approvals]: 法务 approved before 销售经理'
	# before the first commit everything staged is new
	mkdir fresh && git init -q -b main fresh
	example_workbook fresh/wb
	plant_bad_contract fresh/wb/04-contracts.csv
	git -C fresh add wb
	SALES_TODAY=2024-01-15 sales -C fresh/wb check --new-from-rev HEAD --staged
	expect_rc 1
	expect_out_text '04-contracts.csv:3:H3: error[approvals]: 法务 approved before 销售经理'
	# usage: --staged alone, a bad revision, no repository
	SALES_TODAY=2024-01-15 sales -C repo/wb check --staged
	expect_rc 2
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev no-such-rev
	expect_rc 2
	expect_err_has "unknown revision 'no-such-rev'"
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev --all
	expect_rc 2
	example_workbook plain
	SALES_TODAY=2024-01-15 sales -C plain check --new-from-rev HEAD
	expect_rc 2
	expect_err_has 'is not in a git repository'
}

# The issue's example: 审批状态 of HT20231001 went from 审批中 to 已审批.
test_git_diff_changed_cell() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	sed -i 's/,同意,条款合规,同意,已审批,/,同意,条款合规,,审批中,/' repo/wb/04-contracts.csv
	commit_all repo "in approval"
	sed -i 's/,同意,条款合规,,审批中,/,同意,条款合规,同意,已审批,/' repo/wb/04-contracts.csv
	snapshot repo
	sales -C repo/wb diff
	expect_rc 0
	expect_out_text '04-contracts.csv (合同审批表)
  ~ changed HT20231001  HEAD:04-contracts.csv:2 → 04-contracts.csv:2
      总经理: (empty) → 同意
      审批状态: 审批中 → 已审批'
	expect_err_has 'diff HEAD → working tree: 0 rows added, 0 removed, 1 changed in 1 sheet'
	expect_unchanged repo
	sales -C repo/wb diff --exit-code
	expect_rc 1
	sales -C repo/wb diff --format json
	expect_rc 0
	if command -v python3 >/dev/null 2>&1; then
		python3 - "$out" >"$H/py" 2>&1 <<'PY' || fail "json: $(cat "$H/py")"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["from"] == "HEAD" and doc["to"] is None, doc
[s] = doc["sheets"]
assert s["file"] == "04-contracts.csv" and s["sheet"] == "contracts", s
[r] = s["rows"]
assert r["change"] == "changed" and r["key"] == {"contract": "HT20231001"}, r
assert r["old"] == {"file": "HEAD:04-contracts.csv", "line": 2}, r
assert r["new"] == {"file": "04-contracts.csv", "line": 2}, r
assert r["cells"] == [
    {"column": "gm", "header": "总经理", "old": "", "new": "同意"},
    {"column": "approval", "header": "审批状态", "old": "审批中", "new": "已审批"},
], r["cells"]
PY
	fi
}

# Added, removed and changed rows; a merged-cell continuation row is the
# row it continues; two revisions; one sheet only.
test_git_diff_rows_by_key() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	# 05: the continuation row (客户名称 blank) gets another 负责人
	sed -i 's/,设备安装,2023.11.10-11.20,赵强,/,设备安装,2023.11.10-11.20,陈静,/' repo/wb/05-plans.csv
	# 07: a follow-up added; 02: the second interview removed
	printf ',2024.02.10,孙丽,上门拜访,备件已到,,,4\r\n' >>repo/wb/07-followups.csv
	sed -i '3d' repo/wb/02-surveys.csv
	commit_all repo "second round"
	sales -C repo/wb diff HEAD~1 HEAD
	expect_rc 0
	expect_out_text '02-surveys.csv (客户需求调研表)
  - removed 科技有限公司 · 2023-10-12  HEAD~1:02-surveys.csv:3
      调研人: 张伟
      调研对象(职务): 钱工(技术主管)
      当前业务痛点描述: 系统兼容性差,维护成本高
      目标需求(优先级): 一体化管理系统(中)
      预算范围: 待确认
      决策流程: 技术部主导
      备注: 希望免费试用
05-plans.csv (项目实施计划表)
  ~ changed 科技有限公司 · 设备安装  HEAD~1:05-plans.csv:3 → HEAD:05-plans.csv:3
      负责人: 赵强 → 陈静
07-followups.csv (售后跟进记录表)
  + added 科技有限公司 · 2024.02.10  HEAD:07-followups.csv:3
      跟进人: 孙丽
      跟进方式: 上门拜访
      客户反馈内容: 备件已到
      满意度: 4'
	expect_err_has 'diff HEAD~1 → HEAD: 1 row added, 1 removed, 1 changed in 3 sheets'
	sales -C repo/wb diff HEAD~1 HEAD plans
	expect_rc 0
	expect_out_has '05-plans.csv (项目实施计划表)'
	expect_out_lacks '07-followups.csv'
	# typing the customer into the continuation row changes no value
	sed -i 's/^,设备安装,/科技有限公司,设备安装,/' repo/wb/05-plans.csv
	sales -C repo/wb diff --exit-code
	expect_rc 0
	expect_out_text '05-plans.csv (项目实施计划表)
  note: bytes changed, no value changed'
	sales -C repo/wb diff HEAD~1 HEAD nosuchrev
	expect_rc 2
}

# Re-saved as GBK (Chinese Excel's plain CSV) with no value changed: no row
# changes, one note; the gate passes; git diff through the driver is text.
test_git_gbk_resave_is_no_change() {
	need_tool git "git (make test-deps)" || return 0
	need_tool iconv "iconv (libc-bin)" || return 0
	git_repo repo
	to_gbk repo/wb/01-leads.csv
	# really GB18030 now: 客户 is C7 CD BB A7 in it
	od -An -tx1 repo/wb/01-leads.csv | tr -d ' \n' | grep -q '^d0f2bac52cbfcdbba7c3fbb3c6' ||
		fail "iconv did not write GB18030: $(od -An -tx1 repo/wb/01-leads.csv | head -n 1)"
	sales -C repo/wb diff --exit-code
	expect_rc 0
	expect_out_text '01-leads.csv (客户信息登记表)
  note: encoding UTF-8 with BOM → GB18030 (read as the same text)'
	SALES_TODAY=2024-01-15 sales -C repo/wb check --new-from-rev HEAD
	expect_rc 0
	# a row added to the GBK file shows as text
	printf '3,丙公司,制造业,,,,,,,C类,张伟,2024-01-12,,2024-01-12,新线索,,,\r\n' |
		iconv -f UTF-8 -t GB18030 >>repo/wb/01-leads.csv
	sales -C repo/wb diff
	expect_rc 0
	expect_out_text '01-leads.csv (客户信息登记表)
  + added 丙公司  01-leads.csv:4
      序号: 3
      行业: 制造业
      线索等级: C类
      负责人: 张伟
      最后跟进时间: 2024-01-12
      登记日期: 2024-01-12
      客户状态: 新线索
  note: encoding UTF-8 with BOM → GB18030 (read as the same text)'
	sales -C repo/wb hook install --diff-driver
	expect_rc 0
	git -C repo diff -- wb/01-leads.csv >"$H/gd" || fail "git diff"
	grep -qx -- '-# 01-leads.csv 客户信息登记表 · UTF-8 with BOM · CRLF' "$H/gd" || fail "git diff lacks the old encoding line: $(cat "$H/gd")"
	grep -qx -- '+# 01-leads.csv 客户信息登记表 · GB18030 · CRLF' "$H/gd" || fail "git diff lacks the new encoding line"
	grep -qx -- '+丙公司 | 序号: 3 | 行业: 制造业 | 线索等级: C类 | 负责人: 张伟 | 最后跟进时间: 2024-01-12 | 登记日期: 2024-01-12 | 客户状态: 新线索' "$H/gd" ||
		fail "git diff lacks the added row as text: $(cat "$H/gd")"
	[ "$(grep -c '^[-+][^-+]' "$H/gd")" = 3 ] || fail "git diff shows more than the encoding and the row: $(cat "$H/gd")"
}

test_git_textconv_form() {
	example_workbook wb
	sales textconv wb/04-contracts.csv
	expect_rc 0
	expect_out_text '# 04-contracts.csv 合同审批表 · UTF-8 with BOM · CRLF
# 合同编号 | 客户名称 | 合同金额(万元) | 合同期限 | 主要条款摘要 | 销售代表 | 销售经理 | 法务 | 总经理 | 审批状态 | 签订日期 | 付款到期日 | 回款日期
HT20231001 | 客户名称: 科技有限公司 | 合同金额(万元): 258 | 合同期限: 2023.11-2024.11 | 主要条款摘要: 一次性付款,30天质保 | 销售代表: 张伟 | 销售经理: 同意 | 法务: 条款合规 | 总经理: 同意 | 审批状态: 已审批 | 签订日期: 2023-10-25 | 付款到期日: 2023-11-24 | 回款日期: 2023-11-20'
	# the continuation row filled down; git's temporary name still names the sheet
	cp wb/05-plans.csv "$H/Xy12Ab_05-plans.csv"
	sales textconv "$H/Xy12Ab_05-plans.csv"
	expect_rc 0
	expect_out_text '# 05-plans.csv 项目实施计划表 · UTF-8 with BOM · CRLF
# 客户名称 | 项目阶段 | 起止时间 | 负责人 | 关键任务 | 交付物 | 风险点 | 应对措施
科技有限公司 · 需求确认 | 起止时间: 2023.11.01-11.05 | 负责人: 陈静 | 关键任务: 现场调研,确认需求细节 | 交付物: 《需求确认书》 | 风险点: 客户需求变更 | 应对措施: 签署变更确认单
科技有限公司 · 设备安装 | 起止时间: 2023.11.10-11.20 | 负责人: 赵强 | 关键任务: 设备调试,人员培训 | 交付物: 《安装调试报告》 | 风险点: 设备到货延迟 | 应对措施: 提前7天跟进物流'
	# a cell with a line break and a '|' stays on one line; a user's column
	printf '\357\273\277姓名,角色,区域,微信\r\n张伟,销售代表,"华东|\r\n上海",zw01\r\n' >wb/team.csv
	sales textconv wb/team.csv
	expect_out_text '# team.csv 团队名册 · UTF-8 with BOM · CRLF
# 姓名 | 角色 | 区域 | 微信
张伟 · 销售代表 | 区域: 华东\|\r\n上海 | 微信: zw01'
	# a file that does not parse still shows, with the reason
	printf '\357\273\277合同编号,客户名称\r\nHT1,"未闭合\r\n' >"$H/04-contracts.csv"
	sales textconv "$H/04-contracts.csv"
	expect_rc 0
	expect_out_has '# 04-contracts.csv: 04-contracts.csv:'
	sales textconv
	expect_rc 2
}

test_git_hook_install() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	sales -C repo/wb hook install
	expect_rc 0
	[ -x repo/.git/hooks/pre-commit ] || fail "no executable pre-commit hook"
	grep -qF "\"\$sales\" -C 'wb' check --new-from-rev HEAD --staged || status=\$?" repo/.git/hooks/pre-commit ||
		fail "the hook does not run the gate: $(cat repo/.git/hooks/pre-commit)"
	[ "$(cat repo/wb/.gitattributes)" = "$(printf '*.csv diff=sales\n*.csv merge=sales')" ] ||
		fail ".gitattributes: $(cat repo/wb/.gitattributes)"
	[ "$(git -C repo config merge.sales.driver)" = "'$SALES_BIN' merge %O %A %B %P" ] ||
		fail "merge.sales.driver is '$(git -C repo config merge.sales.driver)'"
	[ "$(git -C repo config diff.sales.textconv)" = "'$SALES_BIN' textconv" ] ||
		fail "diff.sales.textconv is '$(git -C repo config diff.sales.textconv)'"
	# idempotent: a second run changes no byte
	cp repo/.git/config "$H/config1"
	snapshot repo
	sales -C repo/wb hook install
	expect_rc 0
	expect_err_has 'already installed'
	expect_unchanged repo
	# the gate refuses a commit that adds a finding, and lets a fine one in
	commit_all repo ".gitattributes"
	plant_bad_contract repo/wb/04-contracts.csv
	git -C repo add wb/04-contracts.csv
	if SALES_TODAY=2024-01-15 git -C repo commit -q -m "bad contract" >"$H/commit" 2>&1; then
		fail "the gate let a new finding in"
	fi
	grep -qF '04-contracts.csv:3:H3: error[approvals]: 法务 approved before 销售经理' "$H/commit" ||
		fail "the refused commit does not say why: $(cat "$H/commit")"
	git -C repo checkout -q HEAD -- wb/04-contracts.csv
	sed -i 's/决策人未明确/决策人已明确/' repo/wb/01-leads.csv
	git -C repo add wb/01-leads.csv
	# time has passed: the old after-sales finding does not block
	SALES_TODAY=2025-06-01 git -C repo commit -q -m "a fine change" >"$H/commit" 2>&1 ||
		fail "the gate refused a fine change: $(cat "$H/commit")"
	# a foreign hook is kept unless --force, which saves it
	printf '#!/bin/sh\necho theirs\n' >repo/.git/hooks/pre-commit
	snapshot repo
	sales -C repo/wb hook install --pre-commit
	expect_rc 1
	expect_err_has 'is not ours'
	expect_unchanged repo
	sales -C repo/wb hook install --pre-commit --force
	expect_rc 0
	[ "$(cat repo/.git/hooks/pre-commit.sales-saved)" = "$(printf '#!/bin/sh\necho theirs')" ] ||
		fail "the foreign hook was not kept"
	grep -qF 'check --new-from-rev HEAD --staged' repo/.git/hooks/pre-commit || fail "not replaced"
	# a second workbook in the same repository joins the same hook
	example_workbook repo/east
	sales -C repo/east hook install --pre-commit
	expect_rc 0
	[ "$(grep -c 'check --new-from-rev HEAD --staged ||' repo/.git/hooks/pre-commit)" = 2 ] ||
		fail "the hook does not gate both workbooks: $(cat repo/.git/hooks/pre-commit)"
	# outside a repository
	example_workbook plain
	sales -C plain hook install
	expect_rc 2
}

# Two reps append a lead each on their branches: git alone conflicts (both
# added at the end); the merge driver keeps both rows, ours first.  Rows
# changed on both sides still conflict, with git's markers.
test_git_merge_driver_appends() {
	need_tool git "git (make test-deps)" || return 0
	git_repo repo
	to_gbk repo/wb/01-leads.csv   # the driver works on the file's own bytes
	sales -C repo/wb hook install --merge-driver
	expect_rc 0
	commit_all repo "GBK leads, .gitattributes"
	cp repo/wb/01-leads.csv "$H/base"
	git -C repo checkout -q -b zhang
	printf '3,丙公司,制造业,,,,,,,C类,张伟,2024-01-12,,2024-01-12,新线索,,,\r\n' |
		iconv -f UTF-8 -t GB18030 >"$H/row_zhang"
	cat "$H/row_zhang" >>repo/wb/01-leads.csv
	commit_all repo "张伟's lead"
	git -C repo checkout -q -b zhou main
	printf '3,丁公司,零售,,,,,,,B类,周敏,2024-01-13,,2024-01-13,新线索,,,\r\n' |
		iconv -f UTF-8 -t GB18030 >"$H/row_zhou"
	cat "$H/row_zhou" >>repo/wb/01-leads.csv
	commit_all repo "周敏's lead"
	# without the driver (git's line merge): a conflict
	git -C repo config --unset merge.sales.driver
	if git -C repo merge -q --no-edit zhang >"$H/m" 2>&1; then
		fail "git merged both appends without the driver: the test shows nothing"
	fi
	git -C repo merge --abort
	sales -C repo/wb hook install --merge-driver
	expect_rc 0
	expect_err_has 'already has'
	git -C repo merge -q --no-edit zhang >"$H/m" 2>&1 || fail "the driver did not merge: $(cat "$H/m")"
	cat "$H/base" "$H/row_zhou" "$H/row_zhang" >"$H/want"
	cmp -s "$H/want" repo/wb/01-leads.csv || fail "merged 01-leads.csv is not base + ours + theirs"
	SALES_TODAY=2024-01-15 sales -C repo/wb check values duplicates
	expect_rc 0
	# both appended the same row: once
	git -C repo checkout -q -b same1 main
	cat "$H/row_zhang" >>repo/wb/01-leads.csv
	commit_all repo "same row"
	git -C repo checkout -q -b same2 main
	cat "$H/row_zhang" "$H/row_zhou" >>repo/wb/01-leads.csv
	commit_all repo "same row and another"
	git -C repo merge -q --no-edit same1 >"$H/m" 2>&1 || fail "same rows: $(cat "$H/m")"
	cat "$H/base" "$H/row_zhang" "$H/row_zhou" >"$H/want"
	cmp -s "$H/want" repo/wb/01-leads.csv || fail "a row both sides appended is there twice"
	# a row changed differently on both sides: a conflict, as git makes it
	git -C repo checkout -q -b note1 main
	sed -i 's/13956782046/13956782047/' repo/wb/01-leads.csv
	commit_all repo "phone"
	git -C repo checkout -q -b note2 main
	sed -i 's/13956782046/13956782048/' repo/wb/01-leads.csv
	commit_all repo "other phone"
	if git -C repo merge -q --no-edit note1 >"$H/m" 2>&1; then
		fail "conflicting changes merged"
	fi
	grep -q '^<<<<<<< ours' repo/wb/01-leads.csv || fail "no conflict markers: $(od -c repo/wb/01-leads.csv | head -n 3)"
	grep -q '^>>>>>>> theirs' repo/wb/01-leads.csv || fail "no theirs marker"
	git -C repo merge --abort
	# the command on its own: usage
	sales merge only-one
	expect_rc 2
}
