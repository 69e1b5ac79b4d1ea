# Issue 15: stage 6 复盘与优化 -- report --month, report scorecard, review,
# score --calibrate, the negotiation floor, handover and change requests.
# hand_workbook comes from t_report.sh (its rows are worked out there).

test_report_month_hand_worked() {
	hand_workbook wb
	# 2024-02 as of 2024-02-29; the year earlier is 2023-02 as of 2023-02-28
	#   线索转化率: registered in Feb: 丙 (lost) 0/1; 2023-02: 庚 0/1 -> 0 points
	#   平均客单价: signed in Feb: C1 300; 2023-02: C4 100 -> +200%
	#   销售周期: 甲 01-05 -> 02-04 = 30; 己 01-10 -> 02-20 = 41 -> -26.8%
	#   客户满意度: 2024-02 none with a score; 2023-02 己's 5 -> 1/1
	#   赢单率: C1 signed + 丙 lost 02-20 -> 1/2; 2023-02: C4 1/1 -> -50 points
	#   回款率: due in Feb: C1 (paid 02-18, on time), C2 (paid 02-25, late) 1/2;
	#           2023-02: nothing due
	# 目标值: 2024Q1's (20%, 200, 60天, 90%)
	SALES_TODAY=2024-02-29 sales -C wb report --month 2024-02 --format json
	expect_rc 0
	cat >exp <<'EOF2'
[
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"线索转化率","target":0.2,"actual":0,"completion":0,"yoy":0},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"平均客单价(万元)","target":200,"actual":300,"completion":1.5,"yoy":2},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"销售周期(天)","target":60,"actual":30,"completion":2,"yoy":-0.268293},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"客户满意度","target":0.9,"actual":null,"completion":null,"yoy":null},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"赢单率","target":null,"actual":0.5,"completion":null,"yoy":-0.5},
{"quarter":"2024Q1","month":"2024-02","group":null,"metric":"回款率","target":null,"actual":0.5,"completion":null,"yoy":null}
]
EOF2
	expect_out exp
	SALES_TODAY=2024-02-29 sales -C wb report --month 2024.02 --formulas
	expect_rc 0
	expect_out_has '2024-02 as of 2024-02-29 (同比: 2023-02 as of 2023-02-28)'
	expect_out_has "the quarter's formulas over the month"
	# January: 甲 and 乙 registered; as of 02-29 甲 is signed: 1/2; 2023-01:
	# 己 registered, signed 2023-02-20 (before 2023-02-28): 1/1 -> -50 points;
	# C2 signed 01-15 (150, 75 days after 2023-11-01)
	SALES_TODAY=2024-02-29 sales -C wb report --month 2024-01 --format csv
	expect_out_has '2024Q1,,线索转化率,0.2,0.5,2.5,-0.5,2024-01'
	expect_out_has '2024Q1,,平均客单价(万元),200,150,0.75,,2024-01'
	expect_out_has '2024Q1,,销售周期(天),60,75,0.8,,2024-01'
}

test_report_month_example_and_usage() {
	example_workbook wb
	# 科技有限公司 signed HT20231001 (258) on 2023-10-25, 27 days after
	# 2023-09-28; YY商贸 registered 2023-10-08, not signed
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-10 --format csv
	expect_rc 0
	expect_out_has '2023Q4,,线索转化率,0.15,0,0,,2023-10'
	expect_out_has '2023Q4,,平均客单价(万元),200,258,1.29,,2023-10'
	expect_out_has '2023Q4,,销售周期(天),,27,,,2023-10'
	expect_out_has '2023Q4,,赢单率,,1,,,2023-10'
	# HT20231001 is due 2023-11-24 and was paid 11-20
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --format csv
	expect_out_has '2023Q4,,回款率,,1,,,2023-11'
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-13
	expect_rc 2
	expect_err_has "'2023-13' is not a month"
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --quarter 2023Q4
	expect_rc 2
	SALES_TODAY=2024-01-15 sales -C wb report --month 2023-11 --write
	expect_rc 2
	expect_err_has 'quarterly'
	expect_unchanged wb
}

# A small team for the scorecard, worked out by hand (Q = 2024Q1 as of
# 2024-03-29):
#   甲 张伟 B类 registered 01-08, last contact 03-01: clean
#   乙 张伟 no 线索等级, registered 01-10: a screening error (deadline 01-15)
#      and an overdue 线索定级 item of `sales due`
#   丙 周敏 B类 registered 03-18: clean
#   丁 周敏 已丢单, last contact 2023-11-20: not worked on in Q, not counted
#   戊 周敏 B类 registered 2023-12-01, last contact 02-05: clean
scorecard_workbook() {
	mkdir -p "$1"
	{
		printf '\357\273\277客户名称,线索等级,负责人,最后跟进时间,登记日期,客户状态\r\n'
		printf '甲公司,B类,张伟,2024-03-01,2024-01-08,跟进中\r\n'
		printf '乙公司,,张伟,2024-02-01,2024-01-10,跟进中\r\n'
		printf '丙公司,B类,周敏,2024-03-20,2024-03-18,跟进中\r\n'
		printf '丁公司,C类,周敏,2023-11-20,2023-11-01,已丢单\r\n'
		printf '戊公司,B类,周敏,2024-02-05,2023-12-01,跟进中\r\n'
	} >"$1/01-leads.csv"
	printf '指标名称,目标值,实际值,完成率,同比变化,主要影响因素,改进措施,季度\r\n线索转化率,20%%,,,,,,2024Q1\r\n' >"$1/08-kpi.csv"
	printf '姓名,角色,区域\r\n张伟,销售代表,华东\r\n周敏,销售代表,华东\r\n吴磊,销售经理,华东\r\n' >"$1/team.csv"
}

test_scorecard_hand_worked() {
	scorecard_workbook wb
	SALES_TODAY=2024-03-29 sales -C wb report scorecard --quarter current --format csv
	expect_rc 0
	# leads registered in Q: 张伟 甲乙 (0 signed), 周敏 丙 (0 signed)
	# 流程执行率: 张伟 1/2 (乙), 周敏 2/2 (丙戊; 丁 not worked on in Q)
	# 逾期: 张伟 1 (乙's 线索定级), 周敏 0
	# 考核: conversion 0% of 20% scores 0; no deal, cycle or 满意度 figures
	#   张伟 (25×0 + 20×50 + 10×(100×(1−1/2))) ÷ (25+20+10) = 1500/55 = 27.272727
	#   周敏 (25×0 + 20×100 + 10×100) ÷ 55 = 3000/55 = 54.545455
	cat >exp <<'EOF2'
period,owner,leads,conversion,deal_size,cycle,satisfaction,process,customers,overdue,score,score_conversion,score_deal_size,score_cycle,score_satisfaction,score_process,score_overdue
2024Q1,周敏,1,0,,,,1,2,0,54.545455,0,,,,100,100
2024Q1,张伟,2,0,,,,0.5,2,1,27.272727,0,,,,50,50
EOF2
	expect_out exp
	SALES_TODAY=2024-03-29 sales -C wb report scorecard --quarter current
	expect_rc 0
	expect_out_has '考核 = (25 × conversion + 15 × deal_size + 10 × cycle + 20 × satisfaction + 20 × process + 10 × overdue)'
	expect_out_has '50% (1/2)'
	# weights live in sales.conf [scorecard]: without conversion
	#   张伟 (20×50 + 10×50) ÷ 30 = 50, 周敏 100
	printf '[scorecard]\n\tconversion = 0\n' >wb/sales.conf
	SALES_TODAY=2024-03-29 sales -C wb report scorecard --quarter current --format json
	expect_rc 0
	expect_out_has '"owner":"张伟","leads":2,"conversion":0,"deal_size":null,"cycle":null,"satisfaction":null,"process":0.5,"customers":2,"overdue":1,"score":50,'
	expect_out_has '"owner":"周敏","leads":1,"conversion":0,"deal_size":null,"cycle":null,"satisfaction":null,"process":1,"customers":2,"overdue":0,"score":100,'
	expect_out_has '"weights":{"conversion":0,"deal_size":15,"cycle":10,"satisfaction":20,"process":20,"overdue":10}'
	SALES_TODAY=2024-03-29 sales -C wb report scorecard --quarter current --by region
	expect_rc 2
}

test_scorecard_example() {
	example_workbook wb
	# 2023Q4 as of 2024-01-15: 周敏's YY商贸 registered in Q, not signed (0%
	# of 15%); 张伟's 科技有限公司 signed 258 (target 200: 100) in 27 days
	# (no 目标值: the team's 27, 100); both customers pass `sales check`
	#   周敏 (25×0 + 20×100 + 10×100) ÷ 55 = 54.545455;  张伟 100
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format tsv
	expect_rc 0
	expect_out_has "$(printf '2023Q4\t周敏\t1\t0\t\t\t\t1\t1\t0\t54.545455')"
	expect_out_has "$(printf '2023Q4\t张伟\t0\t\t258\t27\t\t1\t1\t0\t100')"
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format md
	expect_rc 0
	expect_out_has '| 负责人 | 线索 |'
}

# The date forms gen.c writes (2023-10-10, 2023/10/10, 2023.10.10,
# 2023年10月10日, unpadded) as a day number, in awk; 0 when empty.
AWK_DATES='
function day(s,   p, n, y, m, d, a) {
	gsub(/年|月/, "-", s); gsub(/日/, "", s); gsub(/[\/.]/, "-", s)
	n = split(s, p, "-"); if (n < 3) return 0
	y = p[1] + 0; m = p[2] + 0; d = p[3] + 0
	a = int((14 - m) / 12); y = y + 4800 - a; m = m + 12 * a - 3
	return d + int((153 * m + 2) / 5) + 365 * y + int(y / 4) - int(y / 100) + int(y / 400) - 32045
}
function col(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
'

# An independent computation of four KPIs of a month from the exported
# sheets: conversion, deal size, cycle and win rate, "now" figures.
awk_month_kpis() { # leads.tsv contracts.tsv FIRST LAST ASOF
	awk -F'\t' -v first="$3" -v last="$4" -v asof="$5" "$AWK_DATES"'
	BEGIN { F = day(first); L = day(last); A = day(asof) }
	FNR == 1 { file++; if (file == 1) { cc = col("客户名称"); cr = col("登记日期"); cs = col("客户状态"); cl = col("最后跟进时间") }
		   else { kc = col("客户名称"); ka = col("合同金额(万元)"); kst = col("审批状态"); ks = col("签订日期") }
		   next }
	file == 1 { reg[$cc] = day($cr); if ($cs == "已丢单") { d = day($cl); if (d >= F && d <= L && d <= A) lost++ } ; next }
	{ s = day($ks); if ($kst != "已审批" || !s || s > A) next
	  if (!($kc in sig) || s < sig[$kc]) sig[$kc] = s
	  if (s >= F && s <= L) { n++; amt += $ka; if (reg[$kc]) { cyc += s - reg[$kc]; ncyc++ } } }
	END {
		for (c in reg) if (reg[c] >= F && reg[c] <= L && reg[c] <= A) { leads++; if ((c in sig) && sig[c] <= A) conv++ }
		printf "线索转化率 %.6f\n平均客单价(万元) %.6f\n销售周期(天) %.6f\n赢单率 %.6f\n", conv / leads, amt / n, cyc / ncyc, n / (n + lost)
	}' "$1" "$2"
}

test_report_month_generated_matches_awk() {
	bench_workbook wb 300 || return 0
	sales -C wb export leads --format tsv; cp "$out" leads.tsv
	sales -C wb export contracts --format tsv; cp "$out" contracts.tsv
	awk_month_kpis leads.tsv contracts.tsv 2024-03-01 2024-03-31 2024-06-30 >exp
	SALES_TODAY=2024-06-30 sales -C wb report --month 2024-03 --format csv
	expect_rc 0
	awk -F, '$3 != "客户满意度" && $3 != "回款率" && NR > 1 { printf "%s %.6f\n", $3, $5 }' "$out" >got
	cmp -s exp got || { fail "report --month differs from awk"; diff exp got | sed 's/^/    /' >&2; }
	# and the year before, as of a year earlier
	awk_month_kpis leads.tsv contracts.tsv 2023-03-01 2023-03-31 2023-06-30 >exp
	SALES_TODAY=2024-06-30 sales -C wb report --month 2023-03 --as-of 2023-06-30 --format csv
	awk -F, '$3 != "客户满意度" && $3 != "回款率" && NR > 1 { printf "%s %.6f\n", $3, $5 }' "$out" >got
	cmp -s exp got || { fail "report --month 2023-03 differs from awk"; diff exp got | sed 's/^/    /' >&2; }
}

test_scorecard_generated_leads_match_awk() {
	bench_workbook wb 300 || return 0
	sales -C wb export leads --format tsv; cp "$out" leads.tsv
	# leads registered in 2024Q1 per 负责人, and the rep's customers worked
	# on in Q (registered by 03-31, 最后跟进时间 not before 01-01)
	awk -F'\t' "$AWK_DATES"'
	BEGIN { F = day("2024-01-01"); L = day("2024-03-31") }
	NR == 1 { co = col("负责人"); cr = col("登记日期"); cl = col("最后跟进时间"); next }
	{ r = day($cr); s = day($cl); if (!s) s = r; o = $co == "" ? "(未填)" : $co
	  if (r >= F && r <= L) leads[o]++
	  if (r && r <= L && s >= F) cust[o]++; seen[o] = 1 }
	END { for (o in seen) if (leads[o] || cust[o]) printf "%s %d %d\n", o, leads[o], cust[o] }' leads.tsv | sort >exp
	SALES_TODAY=2024-06-30 sales -C wb report scorecard --quarter 2024Q1 --format csv
	expect_rc 0
	awk -F, 'NR > 1 && ($3 || $9) { print $2, $3, $9 }' "$out" | sort >got
	[ -s exp ] || fail "no leads in 2024Q1"
	cmp -s exp got || { fail "scorecard leads differ from awk"; diff exp got | sed 's/^/    /' >&2; }
}

test_lead_set_lost_reason() {
	example_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb lead set YY商贸有限公司 --status 已丢单 --lost-reason '预算取消,转投竞品'
	expect_rc 0
	[ "$(tail -n 1 wb/01-leads.csv)" = "$(printf '2,YY商贸有限公司,零售,100-300人/1亿以下,马总,运营总监,13956782046,客户转介绍,仓储管理系统升级,B类,周敏,2023-10-08,决策人未明确,2023-10-08,已丢单,华东,仓储管理,42,"预算取消,转投竞品"\r')" ] ||
		fail "01 row: $(tail -n 1 wb/01-leads.csv)"
	grep -q ',lead set,01-leads.csv,YY商贸有限公司,丢单原因,,"预算取消,转投竞品"' wb/audit.csv ||
		fail "no audit row"
	sales -C wb export leads --format json
	expect_out_has '"丢单原因":"预算取消,转投竞品"'
	# a workbook from before the column: it is added at the end
	scorecard_workbook old
	SALES_TODAY=2024-03-29 sales -C old lead set 乙公司 --status 已丢单 --lost-reason 价格
	expect_rc 0
	head -n 1 old/01-leads.csv | grep -q '客户状态,丢单原因' || fail "header: $(head -n 1 old/01-leads.csv)"
	grep -q '^乙公司,,张伟,2024-02-01,2024-01-10,已丢单,价格' old/01-leads.csv || fail "row not set"
}

# The example workbook with YY商贸有限公司 lost on 2023-12-15 (预算取消).
review_workbook() {
	example_workbook "$1"
	SALES_TODAY=2023-12-20 sales -C "$1" lead set YY商贸有限公司 --status 已丢单 \
		--lost-reason 预算取消 --last-contact 2023-12-15
	[ "$rc" = 0 ] || fail "cannot mark the lead lost"
}

test_review_md_minutes() {
	review_workbook wb
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb review --quarter 2023Q4
	expect_rc 0
	expect_out_has '# 复盘会议纪要（2023Q4）'
	expect_out_has '- 会议日期：2024-01-15'
	# attendees: team.csv, in its order, with roles
	expect_out_has '- 参会人员：张伟（销售代表）、周敏（销售代表）、李娜（销售主管）、吴磊（销售经理）'
	for h in '### 成功经验' '### 失败教训' '### 改进措施' '| 改进措施 | 责任人 | 完成时间 |' \
		 '## 一、关键指标' '## 二、销售漏斗' '## 三、近四期趋势' '## 四、典型案例' \
		 '## 五、人员考核' '## 六、线索评分校准' '## 七、逾期事项' '## 八、本期例外审批'; do
		expect_out_has "$h"
	done
	# 科技有限公司: HT20231001, 258 万元, 2023-09-28 -> 2023-10-25 = 27 days,
	# in all seven stage sheets; YY商贸: lost in 01 after 2023-10-08 -> 12-15
	# = 23 + 30 + 15 = 68 days, no proposal (no 报价)
	expect_out_has '| 科技有限公司 | HT20231001 | 258 | 27 | 售后跟进 (7/7) | 张伟 | 2023-10-25 |'
	expect_out_has '| YY商贸有限公司 |  | 客户开发 (1/7) | 68 | 预算取消 | 周敏 | 2023-12-15 |'
	# 赢单率 1 ÷ (1 + 1 lost in Q) = 50%
	expect_out_has '| 赢单率 |  | 50% |  |  |'
	expect_unchanged wb
}

test_review_json_equals_report() {
	review_workbook wb
	SALES_TODAY=2024-01-15 sales -C wb review --quarter 2023Q4 --format json
	expect_rc 0
	cp "$out" review.json
	grep -q '"won":\[' review.json || fail "no won cases"
	grep -qF '{"workbook":null,"customer":"科技有限公司","owner":"张伟","contract":"HT20231001","amount":258,"cycle_days":27,"stage":"售后跟进","stages":7,"signed":"2023-10-25"}' review.json ||
		fail "won case differs"
	grep -qF '{"workbook":null,"customer":"YY商贸有限公司","owner":"周敏","amount":null,"stage":"客户开发","stages":1,"closed":"2023-12-15","stalled_days":68,"reason":"预算取消"}' review.json ||
		fail "lost case differs"
	# the KPI rows are report's, value for value
	SALES_TODAY=2024-01-15 sales -C wb report --quarter 2023Q4 --format json
	sed -n 's/^{"quarter":"2023Q4","group":\(null\|"[^"]*"\),"metric":\("[^"]*"\),\(.*\)},\{0,1\}$/\1 \2 \3/p' "$out" >exp
	sed -n '/^"kpi":\[/,/^\]/s/^{"group":\(null\|"[^"]*"\),"metric":\("[^"]*"\),"key":"[a-z_]*",\(.*\)}.\{0,1\}$/\1 \2 \3/p' review.json >got
	[ "$(wc -l <exp)" = 6 ] || fail "report gave $(wc -l <exp) rows"
	cmp -s exp got || { fail "review's KPIs differ from report's"; diff exp got | sed 's/^/    /' >&2; }
	# and the scorecard's
	SALES_TODAY=2024-01-15 sales -C wb report scorecard --quarter 2023Q4 --format csv
	expect_out_has '2023Q4,周敏,1,0,,,,1,1,0,54.545455'
	grep -qF '{"owner":"周敏","leads":1,"conversion":0,"deal_size":null,"cycle":null,"satisfaction":null,"process":1,"customers":1,"overdue":0,"score":54.545455}' review.json ||
		fail "scorecard row differs"
	# a month: 2023-10 holds the signing and YY's registration
	SALES_TODAY=2024-01-15 sales -C wb review --month 2023-10 --format json
	expect_rc 0
	expect_out_has '"period":"2023-10","quarter":"2023Q4","month":"2023-10"'
	expect_out_has '{"period":"2023-07",'
	grep -q '"lost":\[$' "$out" && grep -A1 '"lost":\[$' "$out" | grep -q '^\],' || fail "no lost case expected in 2023-10"
}

# The data-key/data-value pairs the JSON implies for the HTML page.
json_pairs() {
	awk '
	function get(name,   v) {
		if (!match($0, "\"" name "\":(null|\"[^\"]*\"|[-0-9.e+]+)")) return ""
		v = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
		gsub(/"/, "", v); return v == "null" ? "" : v
	}
	function out(k, v) { if (v != "") print k, v }
	/^"kpi":\[/ { sec = "kpi"; next } /^"funnel":\[/ { sec = "funnel"; next }
	/^"trend":\[/ { sec = "trend"; next } /^"scorecard":\[/ { sec = "scorecard"; next }
	/^\]/ { sec = ""; next }
	sec == "kpi" { g = get("group"); p = "kpi." (g != "" ? g "." : "") get("key")
		out(p ".target", get("target")); out(p ".actual", get("actual"))
		out(p ".completion", get("completion")); out(p ".yoy", get("yoy"))
		if (g == "") out("bar." get("key") ".completion", get("completion")) }
	sec == "funnel" { g = get("group"); p = "funnel." (g != "" ? g "." : "") get("sheet")
		out(p ".customers", get("customers")); out(p ".conversion", get("conversion"))
		out(p ".median_days", get("median_days")) }
	sec == "trend" { n = split("conversion deal_size cycle satisfaction win_rate collection", m, " ")
		for (i = 1; i <= n; i++) out("trend." get("period") "." m[i], get(m[i])) }
	sec == "scorecard" { n = split("leads conversion deal_size cycle satisfaction process overdue score", m, " ")
		for (i = 1; i <= n; i++) out("scorecard." get("owner") "." m[i], get(m[i])) }
	' "$1" | sort
}

html_check() { # WORKBOOK ARGS...: the page's numbers are the JSON's
	wb=$1; shift
	SALES_TODAY=${REVIEW_TODAY:-2024-01-15} sales -C "$wb" review "$@" --format json
	expect_rc 0
	json_pairs "$out" >exp
	SALES_TODAY=${REVIEW_TODAY:-2024-01-15} sales -C "$wb" review "$@" --format html
	expect_rc 0
	cp "$out" page.html
	grep -qi '<script\|https\?://\|<link\|src=' page.html && fail "the page loads or runs something"
	profile=$(mktemp -d)
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$profile" --dump-dom "file://$PWD/page.html" >dom.html 2>/dev/null
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run \
		--user-data-dir="$profile" --window-size=1000,1600 \
		--screenshot="$PWD/shot.png" "file://$PWD/page.html" >/dev/null 2>&1
	rm -rf "$profile"
	grep -q '</svg>' dom.html || fail "the DOM has no chart"
	grep -o 'data-key="[^"]*" data-value="[^"]*"' dom.html |
		sed 's/^data-key="\([^"]*\)" data-value="\([^"]*\)"$/\1 \2/' | sort >got
	[ -s exp ] || fail "no numbers in the JSON"
	cmp -s exp got || { fail "the page's numbers differ from the JSON"; diff exp got | head -n 20 | sed 's/^/    /' >&2; }
	# a PNG of the page's size, not blank: more than a few colours' worth
	[ "$(head -c 8 shot.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "no PNG screenshot"
	[ "$(od -An -tu1 -j16 -N8 shot.png | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')" = 1000x1600 ] ||
		fail "screenshot size"
	[ "$(wc -c <shot.png)" -gt 20000 ] || fail "the screenshot looks blank ($(wc -c <shot.png) bytes)"
}

test_review_html_in_chromium() {
	need_tool chromium "headless Chromium renders the review page (make test-deps)" || return 0
	review_workbook wb
	html_check wb --quarter 2023Q4
	grep -qF 'data-key="kpi.deal_size.actual" data-value="258"' dom.html || fail "258 not in the DOM"
	grep -qF 'data-key="scorecard.周敏.score" data-value="54.545455"' dom.html || fail "周敏's score not in the DOM"
	# grouped: the same page with group names in the keys
	html_check wb --quarter 2023Q4 --by owner
	grep -qF 'data-key="kpi.张伟.deal_size.actual" data-value="258"' dom.html || fail "grouped 258 not in the DOM"
}

test_review_generated_workbook() {
	bench_workbook wb 300 || return 0
	sales -C wb export leads --format tsv; cp "$out" leads.tsv
	sales -C wb export contracts --format tsv; cp "$out" contracts.tsv
	# won: contracts 已审批 signed in 2024Q1 (as of 2024-06-30); lost:
	# 已丢单 leads whose 最后跟进时间 is in 2024Q1
	won=$(awk -F'\t' "$AWK_DATES"'NR == 1 { s = col("签订日期"); a = col("审批状态"); c = col("客户名称"); next }
		$a == "已审批" && day($s) >= day("2024-01-01") && day($s) <= day("2024-03-31") && $c != "" { n++ } END { print n + 0 }' contracts.tsv)
	lost=$(awk -F'\t' "$AWK_DATES"'NR == 1 { s = col("客户状态"); l = col("最后跟进时间"); next }
		$s == "已丢单" && day($l) >= day("2024-01-01") && day($l) <= day("2024-03-31") { n++ } END { print n + 0 }' leads.tsv)
	SALES_TODAY=2024-06-30 sales -C wb review --quarter 2024Q1 --format json
	expect_rc 0
	got_won=$(sed -n '/^"won":\[/,/^\]/p' "$out" | grep -c '^{')
	got_lost=$(sed -n '/^"lost":\[/,/^\]/p' "$out" | grep -c '^{')
	[ "$won" -gt 0 ] && [ "$lost" -gt 0 ] || fail "the generated quarter has no cases ($won, $lost)"
	[ "$got_won" = "$won" ] || fail "won cases: $got_won, awk says $won"
	[ "$got_lost" = "$lost" ] || fail "lost cases: $got_lost, awk says $lost"
	# largest first
	sed -n '/^"won":\[/,/^\]/s/.*"amount":\([0-9.]*\).*/\1/p' "$out" >amounts
	sort -rn amounts | cmp -s - amounts || fail "won cases not largest first"
	SALES_TODAY=2024-06-30 sales -C wb review --quarter 2024Q1
	expect_rc 0
	expect_out_has '# 复盘会议纪要（2024Q1）'
	if command -v chromium >/dev/null 2>&1; then
		REVIEW_TODAY=2024-06-30 html_check wb --quarter 2024Q1
	fi
}

# Leads for the calibration, worked out by hand.  No survey rows, so every
# lead scores size unknown 5 + budget unknown 10 + chain unknown 5 = 20 plus
# its industry: 制造业 25 -> 45, 零售 15 -> 35, anything else 5 -> 25.
#   甲 制造业 A类 signed 01-25 (registered 01-05: 20 days)   won   45
#   乙 制造业 A类 已丢单                                    lost  45
#   丙 零售   B类 signed 02-09 (registered 01-10: 30 days)   won   35
#   己 零售   B类 跟进中                                    open  35
#   丁 化工   C类 已丢单                                    lost  25
#   戊 化工   C类 已丢单                                    lost  25
calibrate_workbook() {
	mkdir -p "$1"
	{
		printf '客户名称,行业,线索等级,负责人,最后跟进时间,登记日期,客户状态\r\n'
		printf '甲公司,制造业,A类,张伟,2024-01-25,2024-01-05,已签约\r\n'
		printf '乙公司,制造业,A类,张伟,2024-02-01,2024-01-06,已丢单\r\n'
		printf '丙公司,零售,B类,周敏,2024-02-09,2024-01-10,已签约\r\n'
		printf '己公司,零售,B类,周敏,2024-02-10,2024-01-11,跟进中\r\n'
		printf '丁公司,化工,C类,周敏,2024-02-12,2024-01-12,已丢单\r\n'
		printf '戊公司,化工,C类,张伟,2024-02-13,2024-01-13,已丢单\r\n'
	} >"$1/01-leads.csv"
	printf '合同编号,客户名称,合同金额(万元),审批状态,签订日期\r\nC1,甲公司,100,已审批,2024-01-25\r\nC2,丙公司,80,已审批,2024-02-09\r\n' >"$1/04-contracts.csv"
}

test_score_calibrate_hand_worked() {
	calibrate_workbook wb
	snapshot wb
	SALES_TODAY=2024-03-29 sales -C wb score --calibrate --quarter 2024Q1 --format csv
	expect_rc 0
	cat >exp <<'EOF2'
dimension,group,leads,won,lost,conversion,cycle_days
grade,A类,2,1,1,0.5,20
grade,B类,2,1,0,0.5,30
grade,C类,2,0,2,0,
industry,25,2,1,1,0.5,20
industry,15,2,1,0,0.5,30
industry,5,2,0,2,0,
size,5,6,2,3,0.333333,25
budget,10,6,2,3,0.333333,25
chain,5,6,2,3,0.333333,25
EOF2
	expect_out exp
	# closed: won {45, 35}, lost {45, 25, 25}.  J(t) = won >= t / 2 - lost >= t / 3:
	#   70 (the setting): 0 - 0 = 0;  45: 1/2 - 1/3;  35: 1 - 1/3 = 0.67;  25: 1 - 1 = 0
	SALES_TODAY=2024-03-29 sales -C wb score --calibrate
	expect_rc 0
	expect_out_has 'score.threshold_a 70 → 35'
	expect_out_has 'J 0 → 0.67'
	expect_out_has 'To apply: sales config score.threshold_a 35'
	SALES_TODAY=2024-03-29 sales -C wb score --calibrate --format json
	expect_out_has '"closed_won":2,"closed_lost":3,"suggested_threshold_a":35'
	# a suggestion only: nothing written
	expect_unchanged wb
	# with the threshold at 35 already, nothing to suggest
	printf '[score]\n\tthreshold_a = 35\n' >wb/sales.conf
	SALES_TODAY=2024-03-29 sales -C wb score --calibrate
	expect_out_has 'score.threshold_a = 35 already separates the 2 signed from the 3 lost leads best (J = 0.67)'
	SALES_TODAY=2024-03-29 sales -C wb score --calibrate --write
	expect_rc 2
	SALES_TODAY=2024-03-29 sales -C wb score --quarter 2024Q1
	expect_rc 2
}

test_score_calibrate_generated_grades_match_awk() {
	bench_workbook wb 300 || return 0
	sales -C wb export leads --format tsv; cp "$out" leads.tsv
	sales -C wb export contracts --format tsv; cp "$out" contracts.tsv
	# per 线索等级: leads, signed (an approved contract signed by the as-of
	# date), lost (已丢单, not signed)
	awk -F'\t' "$AWK_DATES"'
	BEGIN { A = day("2024-06-30") }
	FNR == 1 { file++; if (file == 1) { c = col("客户名称"); s = col("签订日期"); a = col("审批状态") }
		   else { lc = col("客户名称"); g = col("线索等级"); st = col("客户状态"); r = col("登记日期"); l = col("最后跟进时间") }
		   next }
	file == 1 { if ($a == "已审批" && day($s) && day($s) <= A) won[$c] = 1; next }
	day($r) && day($r) <= A { k = $g == "" ? "(未定)" : $g; n[k]++
		if ($lc in won) w[k]++; else if ($st == "已丢单" && day($l) <= A) x[k]++ }
	END { for (k in n) printf "grade,%s,%d,%d,%d\n", k, n[k], w[k], x[k] }' contracts.tsv leads.tsv | sort >exp
	SALES_TODAY=2024-06-30 sales -C wb score --calibrate --format csv
	expect_rc 0
	awk -F, '$1 == "grade" { print $1 "," $2 "," $3 "," $4 "," $5 }' "$out" | sort >got
	[ -s exp ] || fail "no grades"
	cmp -s exp got || { fail "calibration differs from awk"; diff exp got | sed 's/^/    /' >&2; }
}

# 谈判底线.  The example's passed proposal quotes 258 万元 over 45天; with
# floor.max_discount 10% the floor is 258 × 0.9 = 232.2.
test_floor_contract_add_refused_then_allowed() {
	example_workbook wb
	# the customer's contracts together against its passed proposals: take
	# the example's contract away, so that the new one is the only one
	sed -i '/^HT20231001,/d' wb/04-contracts.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT2 --customer 科技有限公司 --amount 232.1
	expect_rc 1
	expect_err_has '合同金额 232.1 is below the floor 232.2 (报价 258 of 03-solutions.csv:2 less floor.max_discount 10%)'
	expect_err_has '--type 底线让步'
	expect_unchanged wb
	# the concession needs a 销售经理 or 总经理, and a reason
	SALES_TODAY=2024-01-15 sales -C wb exception add --customer 科技有限公司 --type 底线让步 --stage 谈判签约 --reason 战略客户 --approver 李娜
	expect_rc 1
	expect_err_has 'neither a 销售经理 nor a 总经理'
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb exception add --customer 科技有限公司 --type 底线让步 --stage 谈判签约 --reason 战略客户 --approver 黄志明
	expect_rc 0
	SALES_TODAY=2024-01-15 sales -C wb contract add --contract HT2 --customer 科技有限公司 --amount 150
	expect_rc 0
	expect_err_has 'allowed by the approved 底线让步 exception at exceptions.csv:2 (审批人 黄志明: 战略客户)'
	# the customer's contracts count together: with the example's 258 in 04
	# a follow-on order of 10 (备件) keeps the total above the floor
	example_workbook more
	SALES_TODAY=2024-01-15 sales -C more contract add --contract HT3 --customer 科技有限公司 --amount 10
	expect_rc 0
	grep -q 'floor' "$errf" && fail "a follow-on contract was refused"
	# at the floor is allowed; 0 turns the floor off
	example_workbook at
	sed -i '/^HT20231001,/d' at/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C at contract add --contract HT2 --customer 科技有限公司 --amount 232.2
	expect_rc 0
	example_workbook off
	sed -i '/^HT20231001,/d' off/04-contracts.csv
	printf '[floor]\n\tmax_discount = 0\n' >off/sales.conf
	SALES_TODAY=2024-01-15 sales -C off contract add --contract HT2 --customer 科技有限公司 --amount 1
	expect_rc 0
}

test_floor_resubmit_and_check() {
	example_workbook wb
	# a rejected contract resubmitted below the floor is refused
	sed -i 's/^HT20231001,科技有限公司,258,2023.11-2024.11,"一次性付款,30天质保",张伟,同意,条款合规,同意,已审批,/HT20231001,科技有限公司,258,2023.11-2024.11,"一次性付款,30天质保",张伟,驳回,,,已驳回,/' wb/04-contracts.csv
	snapshot wb
	SALES_TODAY=2024-01-15 sales -C wb contract resubmit HT20231001 --amount 200
	expect_rc 1
	expect_err_has 'below the negotiation floor: 合同金额 200 is below the floor 232.2'
	expect_unchanged wb
	SALES_TODAY=2024-01-15 sales -C wb contract resubmit HT20231001 --amount 240
	expect_rc 0
	# check: 220 < 232.2 with no exception is an error of the floor check
	example_workbook ck
	sed -i 's/^HT20231001,科技有限公司,258,/HT20231001,科技有限公司,220,/' ck/04-contracts.csv
	SALES_TODAY=2024-01-15 sales -C ck check floor --format json
	expect_rc 1
	expect_out_has '{"check":"floor","severity":"error","file":"04-contracts.csv","line":2,"column":3,"cell":"C2","customer":"科技有限公司"'
	# 20% off: 206.4 is the floor, 220 passes
	printf '[floor]\n\tmax_discount = 20%%\n' >ck/sales.conf
	SALES_TODAY=2024-01-15 sales -C ck check floor
	expect_rc 0
	# a minimum 实施周期 of 60 days: the proposal's 45天 is shorter
	printf '[floor]\n\tmax_discount = 20%%\n\tmin_duration_days = 60\n' >ck/sales.conf
	SALES_TODAY=2024-01-15 sales -C ck check floor
	expect_rc 1
	expect_out_has '实施周期 45天 of 03-solutions.csv:2 is shorter than floor.min_duration_days 60'
	# an approved 底线让步 turns the error into a note
	printf '\r\n科技有限公司,底线让步,谈判签约,战略客户,,吴磊,2023-10-20\r\n' >>ck/exceptions.csv
	SALES_TODAY=2024-01-15 sales -C ck check floor --format json
	expect_rc 0
	expect_out_has '"severity":"note"'
}
