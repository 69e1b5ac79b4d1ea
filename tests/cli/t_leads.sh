# Issue 3: leads (lead add/import/list/set), scoring (score) and one
# customer's story (status).  Every refusal leaves every file byte-identical.

# leads_wb: the example workbook in ./wb, today fixed.
leads_wb() {
	example_workbook wb
	SALES_TODAY=2024-01-15
	export SALES_TODAY
}

# leads_line N FILE: line N of FILE, CR kept.
leads_line() {
	sed -n "$1p" "$2"
}

test_lead_add_appends_one_row() {
	leads_wb
	sales -C wb lead add 华瑞精密机械有限公司 --phone 138-1234-5678 --owner 张伟 \
		--grade a --industry 制造业 --region 华东 --note '=HYPERLINK("x")'
	expect_rc 0
	expect_err_has "added lead 3 '华瑞精密机械有限公司' to 01-leads.csv"
	# the first rows are untouched bytes; the new one follows the file's
	# CRLF, grade normalised, dates defaulted to today, status 新线索, and
	# the formula-like note stored as text
	head -n 3 "$ROOT/examples/01-leads.csv" >exp
	printf '3,华瑞精密机械有限公司,制造业,,,,138-1234-5678,,,A类,张伟,2024-01-15,"\047=HYPERLINK(""x"")",2024-01-15,新线索,华东,,,\r\n' >>exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; diff exp wb/01-leads.csv | head -5 >&2; }
	grep -q ',tester,lead add,01-leads.csv,华瑞精密机械有限公司,线索等级,,A类' wb/audit.csv ||
		fail "no audit row for the new lead"
	# the customer may be given as an option too
	sales -C wb lead add --customer 杭州新材料有限公司 --registered 2024/1/8
	expect_rc 0
	[ "$(tail -n 1 wb/01-leads.csv)" = "$(printf '4,杭州新材料有限公司,,,,,,,,,,2024-01-08,,2024-01-08,新线索,,,,\r')" ] ||
		fail "second lead: $(tail -n 1 wb/01-leads.csv)"
}

test_lead_add_refuses_duplicates() {
	leads_wb
	sales -C wb lead add 华瑞精密机械有限公司 --phone 138-1234-5678
	expect_rc 0
	snapshot wb
	for name in 华瑞精密机械有限责任公司 "华瑞精密机械 有限公司" 华瑞精密机械有限公司; do
		sales -C wb lead add "$name"
		expect_rc 1
		expect_err_has "'$name' is already a lead: 01-leads.csv:4:B4 '华瑞精密机械有限公司'"
		expect_err_has "--force"
		expect_unchanged wb
	done
	sales -C wb lead add 另一家公司 --phone 13812345678
	expect_rc 1
	expect_err_has "phone '13812345678' is already a lead's: 01-leads.csv:4:G4 '138-1234-5678' of '华瑞精密机械有限公司'"
	expect_unchanged wb
	# --force adds it anyway, with a warning
	sales -C wb lead add 华瑞精密机械有限责任公司 --force
	expect_rc 0
	expect_err_has "warning: '华瑞精密机械有限责任公司' is already a lead"
	tail -n 1 wb/01-leads.csv | grep -q "^4,华瑞精密机械有限责任公司," || fail "--force did not add"
}

test_lead_add_refuses_bad_values() {
	leads_wb
	printf '[score]\n\tthreshold_a = 70\n' >wb/sales.conf
	snapshot wb
	# a value that does not parse exits 2, a rule that says no 1
	while IFS='|' read -r rc opt value message; do
		sales -C wb lead add 新客户 "$opt" "$value"
		expect_rc "$rc"
		expect_err_has "option '$opt': $message"
		expect_unchanged wb
	done <<'EOF'
2|--grade|D类|线索等级 'D类' is not a grade (expected A类, B类 or C类)
2|--phone|call me|联系方式 'call me' is not a phone number
2|--phone|1234|联系方式 '1234' is not a phone number (expected a mobile 1[3-9] and 9 digits, a landline 0, area code and 7-8 digits, or a 400/800 number; +86 in front and an extension after are allowed)
2|--phone|138123456789|联系方式 '138123456789' is not a phone number
2|--phone|13812345678901234567|联系方式 '13812345678901234567' is not a phone number
2|--phone|1381234567|联系方式 '1381234567' is not a phone number
2|--phone|1.38E+10|联系方式 '1.38E+10' was mangled by Excel into a number
2|--registered|2023-02-30|登记日期 '2023-02-30' is not a date
2|--last-contact|2024/02/30|最后跟进时间 '2024/02/30' is not a date
1|--last-contact|2024-01-16|最后跟进时间 '2024-01-16' lies in the future (today is 2024-01-15)
1|--owner|王五|负责人 '王五' is not in team.csv
2|--status|丢了|客户状态 '丢了' is not one of 新线索, 跟进中, 已签约, 已丢单 or 公海
2|--size|大型|企业规模(员工数/营收) '大型' is not a company size
EOF
	sales -C wb lead add 新客户 --registered 2024-01-10 --last-contact 2024-01-09
	expect_rc 1
	expect_err_has "option '--last-contact': 最后跟进时间 2024-01-09 is before 登记日期 2024-01-10"
	sales -C wb lead add "  "
	expect_rc 2
	expect_err_has "客户名称 (customer) is empty"
	sales -C wb lead add
	expect_rc 2
	sales -C wb lead add a b
	expect_rc 2
	expect_unchanged wb
}

test_lead_add_50_concurrent() {
	leads_wb
	i=1
	while [ $i -le 50 ]; do
		"$SALES_BIN" -C wb lead add "并发客户$i" --phone "1390000$(printf %04d $i)" \
			>/dev/null 2>"$H/add$i.err" &
		i=$((i + 1))
	done
	wait
	i=1
	while [ $i -le 50 ]; do
		[ -s "$H/add$i.err" ] && grep -q '^error' "$H/add$i.err" &&
			fail "add $i: $(cat "$H/add$i.err")"
		i=$((i + 1))
	done
	[ "$(tail -n +2 wb/01-leads.csv | wc -l)" = 52 ] || fail "expected 52 leads, got $(tail -n +2 wb/01-leads.csv | wc -l)"
	[ "$(tail -n +2 wb/01-leads.csv | cut -d, -f1 | sort -un | wc -l)" = 52 ] ||
		fail "序号 are not distinct: $(tail -n +2 wb/01-leads.csv | cut -d, -f1 | sort -n | uniq -d | tr '\n' ' ')"
	[ "$(tail -n +2 wb/01-leads.csv | cut -d, -f1 | sort -n | tail -n 1)" = 52 ] || fail "序号 do not run to 52"
	[ "$(grep -c '^[0-9]*,并发客户[0-9]*,' wb/01-leads.csv)" = 50 ] || fail "not every customer landed"
	# every row is whole: 18 cells and a CRLF
	[ "$(grep -c "^[^,]*\(,[^,]*\)\{18\}$(printf '\r')\$" wb/01-leads.csv)" = 53 ] || fail "a row is torn"
	# the sheet still reads
	sales -C wb lead list --format csv
	expect_rc 0
}

test_lead_import_bad_row_writes_nothing() {
	leads_wb
	printf '客户名称,联系方式,线索等级,负责人\r\n甲公司,13900001111,B,张伟\r\n乙公司,13900002222,Z,周敏\r\n丙公司,,A类,张伟\r\n' >in.csv
	snapshot wb
	sales -C wb lead import "$tmp/in.csv"
	expect_rc 2
	expect_err_has "in.csv:3:C3: 线索等级 'Z' is not a grade (expected A类, B类 or C类)"
	expect_err_has "nothing imported: 1 of 3 rows in"
	expect_unchanged wb
	# fixed, it lands whole, numbered after the last lead
	sed -i 's/,Z,/,C,/' in.csv
	sales -C wb lead import "$tmp/in.csv"
	expect_rc 0
	expect_err_has "imported 3 leads into 01-leads.csv (序号 3-5)"
	tail -n 3 wb/01-leads.csv >got
	printf '3,甲公司,,,,,13900001111,,,B类,张伟,2024-01-15,,2024-01-15,新线索,,,,\r\n4,乙公司,,,,,13900002222,,,C类,周敏,2024-01-15,,2024-01-15,新线索,,,,\r\n5,丙公司,,,,,,,,A类,张伟,2024-01-15,,2024-01-15,新线索,,,,\r\n' >exp
	cmp -s exp got || { fail "imported rows differ"; diff exp got >&2; }
}

test_lead_import_any_spelling_and_gbk() {
	leads_wb
	# traditional and English headers in any order, a column of the user's,
	# saved by Chinese Excel as GBK
	printf 'Phone,客戶名稱,行業,登記日期,备用列,grade\r\n138-0000-1111,華東貿易有限公司,零售,2023/12/1,x,b\r\n' |
		iconv -f UTF-8 -t GBK >in.csv
	sales -C wb lead import in.csv
	expect_rc 0
	expect_err_has "column '备用列' is not a column of 01-leads.csv; ignored"
	[ "$(tail -n 1 wb/01-leads.csv)" = "$(printf '3,華東貿易有限公司,零售,,,,138-0000-1111,,,B类,,2023-12-01,,2023-12-01,新线索,,,,\r')" ] ||
		fail "imported row: $(tail -n 1 wb/01-leads.csv)"
}

test_lead_import_reports_every_duplicate() {
	leads_wb
	sales -C wb lead add 华瑞精密机械有限公司 --phone 13812345678
	printf 'customer,phone\n华瑞精密机械有限责任公司,\n新公司,138-1234-5678\n杭州新材料有限公司,\n"杭州新材料 有限公司",\n' >in.csv
	snapshot wb
	sales -C wb lead import in.csv
	expect_rc 1
	expect_err_has "in.csv:2:A2: '华瑞精密机械有限责任公司' is already a lead: 01-leads.csv:4:B4 '华瑞精密机械有限公司'"
	expect_err_has "in.csv:3:B3: phone '138-1234-5678' is already a lead's: 01-leads.csv:4:G4"
	expect_err_has "in.csv:5:A5: customer '杭州新材料 有限公司' appears twice in this file: first at in.csv:4:A4"
	expect_err_has "nothing imported: 3 of 4 rows"
	expect_unchanged wb
	sales -C wb lead import in.csv --dry-run --force
	expect_rc 0
	expect_unchanged wb
}

test_lead_list_filters_and_formats() {
	leads_wb
	sales -C wb lead list
	expect_rc 0
	cat >exp <<'EOF'
序号  客户名称        行业    线索等级  线索评分  负责人  客户状态  最后跟进时间  区域  产品线
----  --------------  ------  --------  --------  ------  --------  ------------  ----  --------
   1  科技有限公司    制造业  A类             85  张伟    已签约    2024-01-10    华东  智能物流
   2  YY商贸有限公司  零售    B类             42  周敏    跟进中    2023-10-08    华东  仓储管理
EOF
	expect_out exp
	sales -C wb lead list --grade b --format csv
	expect_out_text 'no,customer,industry,size,contact,title,phone,source,need,grade,owner,last_contact,note,registered,status,region,product_line,score,lost_reason,former_owner
2,YY商贸有限公司,零售,100-300人/1亿以下,马总,运营总监,13956782046,客户转介绍,仓储管理系统升级,B类,周敏,2023-10-08,决策人未明确,2023-10-08,跟进中,华东,仓储管理,42,,'
	sales -C wb lead list --owner 张伟 --format json
	expect_out_has '"customer":"科技有限公司"'
	expect_out_lacks 'YY商贸'
	# no contact for 30 days: only YY商贸有限公司 (last 2023-10-08)
	sales -C wb lead list --stale 30 --format tsv
	[ "$(tail -n +2 "$out" | cut -f2)" = YY商贸有限公司 ] || fail "--stale 30: $(cat "$out")"
	sales -C wb lead list --status 已签约 --region 华东 --product-line 智能物流 --format tsv
	[ "$(tail -n +2 "$out" | cut -f2)" = 科技有限公司 ] || fail "status/region/product filters"
	sales -C wb lead list --status 已丢单 --format json
	expect_out_text '[]'
	sales -C wb lead list --grade D
	expect_rc 2
	sales -C wb lead list --format xml
	expect_rc 2
	sales -C wb lead list --stale -1
	expect_rc 2
}

test_lead_set_changes_only_its_cells() {
	leads_wb
	sales -C wb lead set YY商贸 --status 已丢单 --note 预算取消 --last-contact 2024/1/12
	expect_rc 0
	expect_out_has "01-leads.csv:3: 客户状态: '跟进中' -> '已丢单'"
	head -n 2 "$ROOT/examples/01-leads.csv" >exp
	printf '2,YY商贸有限公司,零售,100-300人/1亿以下,马总,运营总监,13956782046,客户转介绍,仓储管理系统升级,B类,周敏,2024-01-12,预算取消,2023-10-08,已丢单,华东,仓储管理,42,\r\n' >>exp
	cmp -s exp wb/01-leads.csv || { fail "01-leads.csv differs"; diff exp wb/01-leads.csv >&2; }
	[ "$(grep -c ',lead set,01-leads.csv,YY商贸有限公司,' wb/audit.csv)" = 3 ] || fail "expected 3 audit rows"
	# the same values again change nothing
	snapshot wb
	sales -C wb lead set YY商贸有限公司 --status 已丢单
	expect_rc 0
	expect_err_has "nothing to change"
	expect_unchanged wb
}

test_lead_set_refusals() {
	leads_wb
	snapshot wb
	sales -C wb lead set 科技有线公司 --status 已丢单
	expect_rc 1
	expect_err_has "no lead named '科技有线公司' in 01-leads.csv; did you mean '科技有限公司'?"
	sales -C wb lead set 科技有限公司 --grade E
	expect_rc 2
	expect_err_has "option '--grade': 线索等级 'E' is not a grade"
	sales -C wb lead set 科技有限公司 --owner 王五
	expect_rc 1
	sales -C wb lead set 科技有限公司 --last-contact 2023-01-01
	expect_rc 1
	expect_err_has "01-leads.csv:2: 最后跟进时间 2023-01-01 is before 登记日期 2023-09-28"
	sales -C wb lead set 科技有限公司
	expect_rc 2
	sales -C wb lead frobnicate
	expect_rc 2
	expect_unchanged wb
}

test_score_example_workbook() {
	leads_wb
	sales -C wb score
	expect_rc 0
	cat >exp <<'EOF'
客户名称        行业  规模  预算  决策链  评分  等级    表中
--------------  ----  ----  ----  ------  ----  ----  ------
科技有限公司      25    20    15      25    85   A类  85 A类
YY商贸有限公司    15    12    10       5    42   B类  42 B类
EOF
	expect_out exp
	sales -C wb score YY商贸有限公司 --explain
	expect_rc 0
	cat >exp <<'EOF'
YY商贸有限公司 (01-leads.csv:3): 42 B类
  行业     15/25  零售 (score.industry.零售)
  规模     12/25  100-300人/1亿以下: 100人 → 12, revenue under 1亿 → 5; the better counts
  预算     10/25  no survey in 02 (score.budget.unknown)
  决策链    5/25  01-leads.csv:3 备注 says 决策人未明确 (score.chain.unknown)
  等级            42 ≥ 40 (score.threshold_b): B类

EOF
	expect_out exp
	sales -C wb score 科技有限公司 --format json
	expect_out_has '"customer":"科技有限公司","line":2,"score":85,"grade":"A类"'
	expect_out_has '"budget":{"points":15,"max":25,"why":"200-300万 (02-surveys.csv:2) counts as 200万"}'
	sales -C wb score --format csv
	expect_out_text 'customer,industry,size,budget,chain,score,grade
科技有限公司,25,20,15,25,85,A类
YY商贸有限公司,15,12,10,5,42,B类'
	# the team's settings change the grade without recompiling
	printf '[score]\n\tthreshold_a = 90\n[score "industry"]\n\t零售 = 25\n' >wb/sales.conf
	sales -C wb score --format csv
	expect_out_text 'customer,industry,size,budget,chain,score,grade
科技有限公司,25,20,15,25,85,B类
YY商贸有限公司,25,12,10,5,52,B类'
}

test_score_refusals() {
	leads_wb
	snapshot wb
	sales -C wb score 科技有线公司 --write
	expect_rc 1
	expect_err_has "did you mean '科技有限公司'?"
	[ -s "$out" ] && fail "printed a score for a name that matched nothing"
	sales -C wb score --format xml
	expect_rc 2
	expect_unchanged wb
	printf '[score\n' >wb/sales.conf
	snapshot wb
	sales -C wb score --write
	expect_rc 2
	expect_err_has "sales.conf:1"
	expect_unchanged wb
}

test_score_write_gbk_changes_only_grade_and_score() {
	leads_wb
	# a GBK sheet (no BOM) whose grades and scores are stale
	tail -c +4 "$ROOT/examples/01-leads.csv" |
		sed 's/,A类,张伟,/,C类,张伟,/; s/,智能物流,85/,智能物流,/; s/,仓储管理,42/,仓储管理,99/' >stale.utf8
	tail -c +4 "$ROOT/examples/01-leads.csv" >expected.utf8
	iconv -f UTF-8 -t GBK stale.utf8 >wb/01-leads.csv
	iconv -f UTF-8 -t GBK expected.utf8 >expected.gbk
	cmp -s wb/01-leads.csv expected.gbk && fail "test setup: nothing to change"
	cp wb/02-surveys.csv surveys.before
	sales -C wb score --write
	expect_rc 0
	expect_err_has "wrote 3 cells of 线索评分 and 线索等级 in 01-leads.csv"
	cmp -s wb/01-leads.csv expected.gbk || {
		fail "01-leads.csv is not the expected GBK bytes"
		cmp wb/01-leads.csv expected.gbk >&2
	}
	cmp -s wb/02-surveys.csv surveys.before || fail "02-surveys.csv changed"
	[ "$(grep -c ',tester,score,01-leads.csv,' wb/audit.csv)" = 3 ] || fail "expected 3 audit rows"
	grep -q ',score,01-leads.csv,科技有限公司,线索等级,C类,A类' wb/audit.csv || fail "grade audit row"
	# nothing left to write: nothing is written
	snapshot wb
	sales -C wb score --write
	expect_rc 0
	expect_err_has "already holds these scores and grades"
	expect_unchanged wb
}

test_status_tells_the_story() {
	leads_wb
	sales -C wb status 科技有限公司
	expect_rc 0
	expect_out_has '科技有限公司: stage 售后跟进 (7 of 7, 07-followups.csv)'
	expect_out_has '线索等级 A类 · 负责人 张伟 · 区域 华东 · 产品线 智能物流 · 客户状态 已签约'
	expect_out_has '  2023-10-25  谈判签约  contract HT20231001 signed: 258万元, 已审批  [04-contracts.csv:2]'
	expect_out_has '  2024-04-10  planned follow-up: 2024.04.10回访  [07-followups.csv:2]'
	# events come in date order
	grep -o '^  20[0-9-]*' "$out" | head -n 15 >dates
	sort -c dates || fail "events are not in date order"
	# overdue: nothing today, but the planned call is late in May
	sed -n '/^Overdue/,/^$/p' "$out" | grep -q '  nothing' || fail "something overdue on 2024-01-15"
	SALES_TODAY=2024-05-01 sales -C wb status 科技
	expect_out_has 'planned follow-up not done: 2024.04.10回访'
	sales -C wb status YY商贸有限公司 --format json
	expect_rc 0
	expect_out_has '"kind":"next","date":null,"file":"02-surveys.csv","line":null,"text":"需求分析: survey the customer'
}

test_status_overdue_and_refusals() {
	leads_wb
	sales -C wb lead add 华瑞精密机械有限公司 --grade A --registered 2024-01-02 --last-contact 2024-01-03
	printf '华瑞精密机械有限公司,2024-01-03,张伟,李总,痛点,设备(高),500万,技术部→总经理,\r\n' >>wb/02-surveys.csv
	sales -C wb status 华瑞精密机械
	expect_rc 0
	expect_out_has 'A-grade lead at risk: no contact for 12 days (last 2024-01-03; limit 7)'
	expect_out_has '2024-01-10  proposal to be submitted by 2024-01-10 (last survey 2024-01-03 + 5 working days)'
	expect_out_has '方案制定: submit a proposal'
	snapshot wb
	sales -C wb status 华瑞精蜜机械有限公司
	expect_rc 1
	expect_err_has "no customer named '华瑞精蜜机械有限公司' in the workbook; did you mean '华瑞精密机械有限公司'?"
	sales -C wb status
	expect_rc 2
	expect_unchanged wb
}

# lead set refuses a phone that another lead already has (the rule of lead add)
test_lead_set_refuses_duplicate_phone() {
	example_workbook wb
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --phone 138-1627-4590
	expect_rc 1
	expect_err_has "01-leads.csv:2:G2: 'YY商贸有限公司' would duplicate the lead '科技有限公司'"
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --phone 13900001111
	expect_rc 0
}
