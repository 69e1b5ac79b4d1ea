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

# gen_workbook DIR LEADS: a generated workbook (tests/bench/gen.c).
gen_workbook() {
	if [ ! -x "$H/gen" ]; then
		${CC:-cc} -O1 -std=c11 -D_GNU_SOURCE -I"$ROOT/libsales" -o "$H/gen" \
			"$ROOT/tests/bench/gen.c" "$ROOT/libsales/value.c" "$ROOT/libsales/text.c" ||
			{ fail "cannot build tests/bench/gen.c"; return 1; }
	fi
	"$H/gen" "$2" "$1" "$ROOT/templates" || fail "gen failed"
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
	gen_workbook wb 300 || return 0
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
	gen_workbook wb 300 || return 0
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
