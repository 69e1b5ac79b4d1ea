/* test_kpi.c - the six KPIs of SPEC §6 on a workbook worked out by hand:
 * each metric, its completion and YoY, an empty denominator, a "lower is
 * better" metric, a leap day, a quarter with no year-earlier data, grouping,
 * several workbooks, and filling 08-kpi.csv. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kpi.h"
#include "txn.h"
#include "workbook.h"

static char dir[64], dir2[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_kpi.XXXXXX");
	strcpy(dir2, "/tmp/test_kpi2.XXXXXX");
	return mkdtemp(dir) && mkdtemp(dir2) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", dir, dir2);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *d, const char *name, const char *data)
{
	char *p = sales_path_join(d, name);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	fputs(data, f);
	fclose(f);
	free(p);
}

static char *read_back(const char *d, const char *name)
{
	char *p = sales_path_join(d, name), *data;
	size_t len;
	struct sales_error err;

	assert_int_equal(sales_read_file(p, &data, &len, &err), 0);
	free(p);
	return data;
}

/*
 * The hand-worked workbook.  Q = 2024Q1 as of 2024-02-29 (a leap day), so
 * the year-earlier figure is 2023Q1 as of 2023-02-28.
 *
 *   甲 registered 2024-01-05, signed C1 2024-02-04 (300, due 02-20, paid 02-18)
 *   乙 registered 2024-01-20, contract C3 审批中 (not signed)
 *   丙 registered 2024-02-10, 已丢单 on 2024-02-20
 *   丁 registered 2024-03-05: after the as-of date, not counted
 *   戊 registered 2023-11-01, signed C2 2024-01-15 (150, due 02-15, paid 02-25: late)
 *   己 registered 2023-01-10, signed C4 2023-02-20 (100, due 03-20, paid 03-10)
 *   庚 registered 2023-02-28: counted as of 2023-02-28
 *   辛 registered 2023-03-01: not counted as of 2023-02-28 (it would be if the
 *      year-earlier date were 365 days back, 2023-03-01)
 */
static const char leads[] =
	"\xEF\xBB\xBF客户名称,负责人,最后跟进时间,登记日期,客户状态,区域,产品线\r\n"
	"甲公司,张伟,2024-02-10,2024-01-05,已签约,华东,智能物流\r\n"
	"乙公司,张伟,2024-02-01,2024-01-20,跟进中,华东,仓储管理\r\n"
	"丙公司,周敏,2024-02-20,2024-02-10,已丢单,华南,智能物流\r\n"
	"丁公司,周敏,2024-03-05,2024-03-05,新线索,华南,\r\n"
	"戊公司,周敏,2024-01-15,2023-11-01,已签约,华南,仓储管理\r\n"
	"己公司,张伟,2023-02-20,2023-01-10,已签约,华东,智能物流\r\n"
	"庚公司,周敏,2023-02-28,2023-02-28,跟进中,华南,智能物流\r\n"
	"辛公司,张伟,2023-03-01,2023-03-01,跟进中,华东,智能物流\r\n";
static const char contracts[] =
	"\xEF\xBB\xBF合同编号,客户名称,合同金额(万元),审批状态,签订日期,付款到期日,回款日期\r\n"
	"C1,甲公司,300,已审批,2024-02-04,2024-02-20,2024-02-18\r\n"
	"C2,戊公司,150,已审批,2024-01-15,2024-02-15,2024-02-25\r\n"
	"C3,乙公司,200,审批中,,,\r\n"
	"C4,己公司,100,已审批,2023-02-20,2023-03-20,2023-03-10\r\n";
static const char followups[] =
	"\xEF\xBB\xBF客户名称,跟进时间,满意度\r\n"
	"甲公司,2024-02-12,\r\n"
	"己公司,2023-02-15,5\r\n";
static const char kpi_sheet[] =
	"\xEF\xBB\xBF指标名称,目标值,实际值,完成率,同比变化,主要影响因素,改进措施,季度\r\n"
	"线索转化率,15%,12%,80%,-2%,需求挖掘深度不足,加强销售培训,2023Q4\r\n"
	"线索转化率,20%,,,,手填的因素,手填的措施,2024Q1\r\n"
	"平均客单价(万元),200,,,,,,2024Q1\r\n"
	"销售周期（天）,60天,,,,周期长,缩短审批,2024Q1\r\n"
	"客户满意度,90%,,,,,,2024Q1\r\n"
	"自定义指标,5,3,60%,,,,2024Q1\r\n";

static void write_hand_workbook(const char *d)
{
	write_file(d, "01-leads.csv", leads);
	write_file(d, "04-contracts.csv", contracts);
	write_file(d, "07-followups.csv", followups);
	write_file(d, "08-kpi.csv", kpi_sheet);
}

static struct sales_kpi_report *compute(const char *const *dirs, size_t n,
					int y, int q, const char *as_of,
					enum sales_kpi_by by)
{
	struct sales_kpi_query query = { dirs, NULL, n, y, q, 0, by, 0 };
	struct sales_kpi_report *r = NULL;
	struct sales_error err;

	assert_int_equal(sales_parse_date(as_of, strlen(as_of), &query.as_of),
			 SALES_VALUE_OK);
	if (sales_kpi_compute(&r, &query, &err) < 0)
		fail_msg("compute: %s", err.message);
	return r;
}

#define NONE (-999.0)

struct expect {
	int metric;
	double num, den, bnum, bden;        /* the ratios */
	double target, completion, yoy;     /* NONE: no value */
};

static void check_figures(const struct sales_kpi_group *g,
			  const struct expect *e, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		const struct sales_kpi_figure *f = &g->m[e[i].metric];
		const char *name = sales_kpi_defs[e[i].metric].name;

		if (fabs(f->now.num - e[i].num) > 1e-9 || fabs(f->now.den - e[i].den) > 1e-9 ||
		    fabs(f->before.num - e[i].bnum) > 1e-9 ||
		    fabs(f->before.den - e[i].bden) > 1e-9)
			CASE_FAIL("%s %s: %g/%g, before %g/%g", what, name, f->now.num,
				  f->now.den, f->before.num, f->before.den);
		if (f->has_actual != (e[i].den > 0) ||
		    (f->has_actual && fabs(f->actual - e[i].num / e[i].den) > 1e-9))
			CASE_FAIL("%s %s: actual %d %g", what, name, f->has_actual, f->actual);
		if (f->has_target != (e[i].target != NONE) ||
		    (f->has_target && fabs(f->target - e[i].target) > 1e-9))
			CASE_FAIL("%s %s: target %d %g", what, name, f->has_target, f->target);
		if (f->has_completion != (e[i].completion != NONE) ||
		    (f->has_completion && fabs(f->completion - e[i].completion) > 1e-6))
			CASE_FAIL("%s %s: completion %d %g", what, name,
				  f->has_completion, f->completion);
		if (f->has_yoy != (e[i].yoy != NONE) ||
		    (f->has_yoy && fabs(f->yoy - e[i].yoy) > 1e-6))
			CASE_FAIL("%s %s: yoy %d %g", what, name, f->has_yoy, f->yoy);
	}
}

static void test_hand_worked_2024q1(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;
	/* worked out in the comment above write_hand_workbook */
	static const struct expect e[] = {
		/* 甲 乙 丙 registered in Q, 甲 signed; 己 庚 a year earlier, 己 signed */
		{ SALES_KPI_CONVERSION, 1, 3, 1, 2, 0.20, (1.0 / 3) / 0.20, 1.0 / 3 - 0.5 },
		/* C1 300 + C2 150; C4 100 the year before: +125% */
		{ SALES_KPI_DEAL_SIZE, 450, 2, 100, 1, 200, 225.0 / 200, 1.25 },
		/* 30 days (甲) + 75 days (戊); 41 days (己): lower is better */
		{ SALES_KPI_CYCLE, 105, 2, 41, 1, 60, 60 / 52.5, (52.5 - 41) / 41 },
		/* no follow-up with a 满意度 in Q: empty denominator, no value */
		{ SALES_KPI_SATISFACTION, 0, 0, 1, 1, 0.90, NONE, NONE },
		/* C1 C2 signed, 丙 lost; C4 signed */
		{ SALES_KPI_WIN_RATE, 2, 3, 1, 1, NONE, NONE, 2.0 / 3 - 1 },
		/* C1 paid in time, C2 late; C4 paid after 2023-02-28 */
		{ SALES_KPI_COLLECTION, 1, 2, 0, 1, NONE, NONE, 0.5 },
	};

	(void)state;
	write_hand_workbook(dir);
	r = compute(dirs, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	assert_int_equal(r->ngroups, 1);
	assert_null(r->groups[0].name);
	assert_int_equal(r->before_year, 2023);
	assert_int_equal(r->before_as_of, sales_date_from_ymd(2023, 2, 28));
	check_figures(&r->groups[0], e, sizeof(e) / sizeof(e[0]), "2024Q1");
	assert_int_equal(r->nwarnings_total, 0);
	sales_kpi_free(r);
}

static void test_no_year_earlier_data(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;
	/* 2023Q4 as of 2024-01-15: 戊 registered 2023-11-01 and signed
	 * 2024-01-15; nothing at all in 2022Q4 */
	static const struct expect e[] = {
		{ SALES_KPI_CONVERSION, 1, 1, 0, 0, 0.15, 1 / 0.15, NONE },
		{ SALES_KPI_DEAL_SIZE, 0, 0, 0, 0, NONE, NONE, NONE },
		{ SALES_KPI_CYCLE, 0, 0, 0, 0, NONE, NONE, NONE },
		{ SALES_KPI_SATISFACTION, 0, 0, 0, 0, NONE, NONE, NONE },
		{ SALES_KPI_WIN_RATE, 0, 0, 0, 0, NONE, NONE, NONE },
		{ SALES_KPI_COLLECTION, 0, 0, 0, 0, NONE, NONE, NONE },
	};
	/* one day earlier, C2 is not signed yet */
	static const struct expect e2[] = {
		{ SALES_KPI_CONVERSION, 0, 1, 0, 0, 0.15, 0, NONE },
	};

	(void)state;
	write_hand_workbook(dir);
	r = compute(dirs, 1, 2023, 4, "2024-01-15", SALES_KPI_BY_NONE);
	check_figures(&r->groups[0], e, sizeof(e) / sizeof(e[0]), "2023Q4");
	sales_kpi_free(r);
	r = compute(dirs, 1, 2023, 4, "2024-01-14", SALES_KPI_BY_NONE);
	check_figures(&r->groups[0], e2, 1, "2023Q4 as of 01-14");
	sales_kpi_free(r);
}

static void test_by_owner(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;
	static const struct expect zw[] = {
		/* 甲 乙; 己 (辛 too late) */
		{ SALES_KPI_CONVERSION, 1, 2, 1, 1, 0.20, 0.5 / 0.20, -0.5 },
		{ SALES_KPI_DEAL_SIZE, 300, 1, 100, 1, 200, 1.5, 2.0 },
		{ SALES_KPI_WIN_RATE, 1, 1, 1, 1, NONE, NONE, 0 },
	};
	static const struct expect zm[] = {
		/* 丙 (丁 too late); 庚 */
		{ SALES_KPI_CONVERSION, 0, 1, 0, 1, 0.20, 0, 0 },
		{ SALES_KPI_DEAL_SIZE, 150, 1, 0, 0, 200, 0.75, NONE },
		{ SALES_KPI_CYCLE, 75, 1, 0, 0, 60, 0.8, NONE },
		{ SALES_KPI_WIN_RATE, 1, 2, 0, 0, NONE, NONE, NONE },
	};

	(void)state;
	write_hand_workbook(dir);
	r = compute(dirs, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_OWNER);
	assert_int_equal(r->ngroups, 2);
	/* sorted by name bytes: 周 (E5 91 A8) before 张 (E5 BC A0) */
	assert_string_equal(r->groups[0].name, "周敏");
	assert_string_equal(r->groups[1].name, "张伟");
	check_figures(&r->groups[0], zm, sizeof(zm) / sizeof(zm[0]), "周敏");
	check_figures(&r->groups[1], zw, sizeof(zw) / sizeof(zw[0]), "张伟");
	sales_kpi_free(r);

	r = compute(dirs, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_PRODUCT_LINE);
	/* 丁 has no 产品线, but it was registered after the as-of date */
	assert_int_equal(r->ngroups, 3);
	assert_string_equal(r->groups[2].name, SALES_KPI_GROUP_UNSET);
	assert_false(r->groups[2].m[SALES_KPI_CONVERSION].has_actual);
	sales_kpi_free(r);
}

/* Two workbooks give the figures of one workbook holding both. */
static void test_union_equals_one_workbook(void **state)
{
	const char *both[] = { dir, dir2 }, *one[] = { dir };
	struct sales_kpi_report *split, *whole, *byw;
	size_t cut;
	char *l1, *l2;

	(void)state;
	/* dir: 甲 乙 丙 丁 and C1 C3; dir2: 戊 己 庚 辛 and C2 C4 */
	cut = (size_t)(strstr(leads, "戊公司") - leads);
	l1 = strndup(leads, cut);
	l2 = malloc(strlen(leads) + 200);
	strcpy(l2, "\xEF\xBB\xBF客户名称,负责人,最后跟进时间,登记日期,客户状态,区域,产品线\r\n");
	strcat(l2, leads + cut);
	write_file(dir, "01-leads.csv", l1);
	write_file(dir2, "01-leads.csv", l2);
	write_file(dir, "04-contracts.csv",
		   "合同编号,客户名称,合同金额(万元),审批状态,签订日期,付款到期日,回款日期\n"
		   "C1,甲公司,300,已审批,2024-02-04,2024-02-20,2024-02-18\n"
		   "C3,乙公司,200,审批中,,,\n");
	write_file(dir2, "04-contracts.csv",
		   "合同编号,客户名称,合同金额(万元),审批状态,签订日期,付款到期日,回款日期\n"
		   "C2,戊公司,150,已审批,2024-01-15,2024-02-15,2024-02-25\n"
		   "C4,己公司,100,已审批,2023-02-20,2023-03-20,2023-03-10\n");
	write_file(dir, "07-followups.csv", followups);
	write_file(dir, "08-kpi.csv", kpi_sheet);
	split = compute(both, 2, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	byw = compute(both, 2, 2024, 1, "2024-02-29", SALES_KPI_BY_WORKBOOK);
	write_hand_workbook(dir);
	whole = compute(one, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		const struct sales_kpi_figure *a = &split->groups[0].m[m];
		const struct sales_kpi_figure *b = &whole->groups[0].m[m];

		if (a->now.num != b->now.num || a->now.den != b->now.den ||
		    a->before.num != b->before.num || a->before.den != b->before.den ||
		    a->has_actual != b->has_actual || a->has_yoy != b->has_yoy ||
		    a->has_completion != b->has_completion ||
		    (a->has_completion && a->completion != b->completion))
			CASE_FAIL("%s differs", sales_kpi_defs[m].name);
		/* per workbook, the parts add up to the whole */
		if (byw->groups[0].m[m].now.num + byw->groups[1].m[m].now.num != b->now.num ||
		    byw->groups[0].m[m].now.den + byw->groups[1].m[m].now.den != b->now.den)
			CASE_FAIL("%s: workbooks do not add up", sales_kpi_defs[m].name);
	}
	assert_int_equal(byw->ngroups, 2);
	assert_string_equal(byw->groups[0].name, dir);
	assert_string_equal(byw->groups[1].name, dir2);
	/* dir2 states no targets */
	assert_true(byw->groups[0].m[SALES_KPI_DEAL_SIZE].has_target);
	assert_false(byw->groups[1].m[SALES_KPI_DEAL_SIZE].has_target);
	sales_kpi_free(split);
	sales_kpi_free(whole);
	sales_kpi_free(byw);
	free(l1);
	free(l2);
}

static void test_conflicting_targets(void **state)
{
	const char *both[] = { dir, dir2 };
	struct sales_kpi_report *r;

	(void)state;
	write_hand_workbook(dir);
	write_hand_workbook(dir2);
	write_file(dir2, "08-kpi.csv",
		   "指标名称,目标值,季度\n平均客单价(万元),250,2024Q1\n线索转化率,20%,2024Q1\n");
	r = compute(both, 2, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	assert_true(r->target_conflict[SALES_KPI_DEAL_SIZE]);
	assert_false(r->groups[0].m[SALES_KPI_DEAL_SIZE].has_target);
	assert_false(r->groups[0].m[SALES_KPI_DEAL_SIZE].has_completion);
	assert_false(r->target_conflict[SALES_KPI_CONVERSION]);
	assert_true(r->groups[0].m[SALES_KPI_CONVERSION].has_target);
	sales_kpi_free(r);
}

static void test_empty_workbook_has_no_values(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;

	(void)state;
	write_file(dir, "01-leads.csv", "客户名称\n");
	r = compute(dirs, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	for (int m = 0; m < SALES_KPI_COUNT; m++) {
		const struct sales_kpi_figure *f = &r->groups[0].m[m];

		if (f->has_actual || f->has_before || f->has_completion || f->has_yoy)
			CASE_FAIL("%s has a value", sales_kpi_defs[m].name);
	}
	sales_kpi_free(r);
}

static void test_bad_cells_are_warnings(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;

	(void)state;
	write_file(dir, "01-leads.csv",
		   "客户名称,登记日期,客户状态,最后跟进时间\n"
		   "甲公司,2024-13-01,跟进中,\n"
		   "乙公司,2024-01-02,已丢单,\n"
		   /* repeated: its one warning says so, none for its dates */
		   "甲公司,2024-99-03,已丢单,2024-02-30\n"
		   /* both dates bad: 登记日期's warning, then 最后跟进时间's */
		   "丙公司,2024-13-05,已丢单,2024-02-30\n");
	write_file(dir, "04-contracts.csv",
		   "合同编号,客户名称,合同金额(万元),审批状态,签订日期\n"
		   "C1,乙公司,200-300万,已审批,2024-01-05\n");
	write_file(dir, "07-followups.csv", "客户名称,跟进时间,满意度\n乙公司,2024-01-06,很好\n");
	r = compute(dirs, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	assert_int_equal(r->nwarnings, 7);
	assert_string_equal(r->warnings[0].file, "01-leads.csv");
	assert_int_equal(r->warnings[0].line, 2);
	assert_string_equal(r->warnings[0].cell, "B2");
	assert_non_null(strstr(r->warnings[1].message, "最后跟进时间"));
	assert_non_null(strstr(r->warnings[2].message, "listed again"));
	assert_int_equal(r->warnings[2].line, 4);
	assert_string_equal(r->warnings[3].cell, "B5");
	assert_non_null(strstr(r->warnings[3].message, "2024-13-05"));
	assert_string_equal(r->warnings[4].cell, "D5");
	assert_non_null(strstr(r->warnings[4].message, "2024-02-30"));
	assert_string_equal(r->warnings[5].cell, "C2");
	assert_non_null(strstr(r->warnings[5].message, "200-300万"));
	assert_string_equal(r->warnings[6].file, "07-followups.csv");
	/* the contract still counts where its amount is not needed */
	assert_true(r->groups[0].m[SALES_KPI_WIN_RATE].has_actual);
	assert_false(r->groups[0].m[SALES_KPI_DEAL_SIZE].has_actual);
	sales_kpi_free(r);
}

static void test_missing_leads_sheet(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_query q = { dirs, NULL, 1, 2024, 1, 19782, SALES_KPI_BY_NONE, 0 };
	struct sales_kpi_report *r;
	struct sales_error err;

	(void)state;
	assert_int_equal(sales_kpi_compute(&r, &q, &err), -1);
	assert_int_equal(err.code, SALES_ENOTFOUND);
	assert_null(r);
}

static void test_find_and_format(void **state)
{
	static const struct { const char *name; int id; } names[] = {
		{ "线索转化率", SALES_KPI_CONVERSION }, { " 平均客单价(万元) ", SALES_KPI_DEAL_SIZE },
		{ "平均客单价", SALES_KPI_DEAL_SIZE }, { "平均客单价（万元）", SALES_KPI_DEAL_SIZE },
		{ "销售周期(天)", SALES_KPI_CYCLE }, { "销售周期", SALES_KPI_CYCLE },
		{ "客户满意度", SALES_KPI_SATISFACTION }, { "赢单率", SALES_KPI_WIN_RATE },
		{ "回款率", SALES_KPI_COLLECTION }, { "回款", -1 }, { "", -1 }, { "(万元)", -1 },
	};
	static const struct { int id; double v; const char *value, *yoy; } fmt[] = {
		{ SALES_KPI_CONVERSION, 0.12, "12%", "+12%" },
		{ SALES_KPI_CONVERSION, -0.02, "-2%", "-2%" },
		{ SALES_KPI_CONVERSION, 1.0 / 3, "33.3%", "+33.3%" },
		{ SALES_KPI_CONVERSION, 0, "0%", "0%" },
		{ SALES_KPI_CONVERSION, -0.0001, "0%", "0%" },
		{ SALES_KPI_DEAL_SIZE, 220, "220", "+22000%" },
		{ SALES_KPI_DEAL_SIZE, 229.456, "229.46", "+22945.6%" },
		{ SALES_KPI_CYCLE, 52.5, "52.5", "+5250%" },
		{ SALES_KPI_CYCLE, 27, "27", "+2700%" },
	};
	char buf[SALES_KPI_FMT_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (sales_kpi_find(names[i].name, strlen(names[i].name)) != names[i].id)
			CASE_FAIL("find %s", names[i].name);
	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		if (strcmp(sales_kpi_format_value((enum sales_kpi_id)fmt[i].id, fmt[i].v, buf),
			   fmt[i].value))
			CASE_FAIL("value %g: %s", fmt[i].v, buf);
		if (strcmp(sales_kpi_format_yoy((enum sales_kpi_id)fmt[i].id, fmt[i].v, buf),
			   fmt[i].yoy))
			CASE_FAIL("yoy %g: %s", fmt[i].v, buf);
	}
	assert_string_equal(sales_kpi_format_completion(92.0 / 90, buf), "102.2%");
	assert_string_equal(sales_kpi_format_completion(0.8, buf), "80%");
	assert_int_equal(sales_kpi_by_parse("owner"), SALES_KPI_BY_OWNER);
	assert_int_equal(sales_kpi_by_parse("product_line"), SALES_KPI_BY_PRODUCT_LINE);
	assert_int_equal(sales_kpi_by_parse("workbook"), SALES_KPI_BY_WORKBOOK);
	assert_int_equal(sales_kpi_by_parse("team"), -1);
}

static void test_fill_sheet(void **state)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;
	struct sales_txn t;
	struct sales_error err;
	size_t updated, added;
	char *after;
	const char *expected =
		"\xEF\xBB\xBF指标名称,目标值,实际值,完成率,同比变化,主要影响因素,改进措施,季度\r\n"
		"线索转化率,15%,12%,80%,-2%,需求挖掘深度不足,加强销售培训,2023Q4\r\n"
		"线索转化率,20%,33.3%,166.7%,-16.7%,手填的因素,手填的措施,2024Q1\r\n"
		"平均客单价(万元),200,225,112.5%,+125%,,,2024Q1\r\n"
		"销售周期（天）,60天,52.5,114.3%,+28%,周期长,缩短审批,2024Q1\r\n"
		"客户满意度,90%,,,,,,2024Q1\r\n"
		"自定义指标,5,3,60%,,,,2024Q1\r\n"
		"赢单率,,66.7%,,-33.3%,,,2024Q1\r\n"
		"回款率,,50%,,+50%,,,2024Q1\r\n";

	(void)state;
	write_hand_workbook(dir);
	r = compute(dirs, 1, 2024, 1, "2024-02-29", SALES_KPI_BY_NONE);
	assert_int_equal(sales_txn_begin(&t, dir, "report", &err), 0);
	assert_int_equal(sales_kpi_fill_sheet(&t, r, &updated, &added, &err), 0);
	assert_int_equal(updated, 3);
	assert_int_equal(added, 2);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	after = read_back(dir, "08-kpi.csv");
	assert_string_equal(after, expected);
	free(after);
	/* a second run changes nothing */
	assert_int_equal(sales_txn_begin(&t, dir, "report", &err), 0);
	assert_int_equal(sales_kpi_fill_sheet(&t, r, &updated, &added, &err), 0);
	assert_int_equal(updated, 0);
	assert_int_equal(added, 0);
	assert_int_equal(sales_txn_changes(&t), 0);
	sales_txn_end(&t);
	sales_kpi_free(r);
}

static void test_funnel(void **state)
{
	const char *dirs[] = { dir };
	struct sales_funnel_query q = { dirs, NULL, 1, SALES_KPI_BY_NONE, 0, 0, 19800, 0 };
	struct sales_funnel *f;
	struct sales_error err;
	static const struct {
		size_t reached;
		double conversion, median;   /* NONE: no value */
	} e[SALES_NSTAGES] = {
		{ 3, NONE, NONE },
		{ 2, 2.0 / 3, 6.5 },   /* 甲 10 days, 乙 3 days */
		{ 1, 0.5, 4 },
		{ 1, 1, 10 },
		{ 0, 0, NONE },
		{ 0, NONE, NONE },     /* nothing reached 05 */
		{ 1, NONE, NONE },     /* 甲 skipped 06: no days from it */
	};

	(void)state;
	write_file(dir, "01-leads.csv",
		   "客户名称,负责人,登记日期\n甲公司,张伟,2024-01-01\n乙公司,张伟,2024-01-05\n"
		   "丙公司,周敏,2024-02-01\n");
	write_file(dir, "02-surveys.csv",
		   "客户名称,调研时间\n甲公司,2024-01-11\n乙公司,2024-01-08\n无名公司,2024-01-09\n");
	write_file(dir, "03-solutions.csv", "客户名称,方案名称,提交日期\n甲公司,方案,2024-01-15\n");
	write_file(dir, "04-contracts.csv",
		   "合同编号,客户名称,审批状态,签订日期\nC1,甲公司,已审批,2024-01-25\n");
	write_file(dir, "07-followups.csv", "客户名称,跟进时间\n甲公司,2024-03-01\n");
	if (sales_funnel_compute(&f, &q, &err) < 0)
		fail_msg("funnel: %s", err.message);
	assert_int_equal(f->ngroups, 1);
	for (int s = 0; s < SALES_NSTAGES; s++) {
		const struct sales_funnel_stage *st = &f->groups[0].stage[s];

		if (st->reached != e[s].reached ||
		    st->has_conversion != (e[s].conversion != NONE) ||
		    (st->has_conversion && fabs(st->conversion - e[s].conversion) > 1e-9) ||
		    st->has_median != (e[s].median != NONE) ||
		    (st->has_median && st->median_days != e[s].median))
			CASE_FAIL("stage %d: %zu %g %g", s + 1, st->reached,
				  st->conversion, st->median_days);
	}
	sales_funnel_free(f);

	q.by = SALES_KPI_BY_OWNER;
	assert_int_equal(sales_funnel_compute(&f, &q, &err), 0);
	assert_int_equal(f->ngroups, 2);
	assert_string_equal(f->groups[0].name, "周敏");
	assert_int_equal(f->groups[0].stage[0].reached, 1);
	assert_int_equal(f->groups[0].stage[1].reached, 0);
	assert_true(f->groups[0].stage[1].has_conversion);
	assert_false(f->groups[0].stage[1].has_median);
	assert_int_equal(f->groups[1].stage[1].reached, 2);
	assert_true(f->groups[1].stage[1].median_days == 6.5);
	sales_funnel_free(f);

	/* the cohort of 2023Q4 is empty: counts of 0, no conversions */
	q.by = SALES_KPI_BY_NONE;
	q.year = 2023;
	q.quarter = 4;
	assert_int_equal(sales_funnel_compute(&f, &q, &err), 0);
	for (int s = 0; s < SALES_NSTAGES; s++)
		if (f->groups[0].stage[s].reached || f->groups[0].stage[s].has_conversion)
			CASE_FAIL("2023Q4 stage %d", s + 1);
	sales_funnel_free(f);
}

/* Gaps far apart: the median counts the days kept per day (-128 to 1919)
 * and the ones outside kept whole alike.  Nine leads registered
 * 2024-01-01, surveyed 517, 300, 200, 129 and 128 days before, the same
 * day, 2 days after (2024-01-03), 1919 days after (2029-04-03, 周敏's)
 * and 2343 days after (2030-06-01): sorted -517 -300 -200 -129 -128 0 2
 * 1919 2343, the median is the fifth, -128; 张伟's eight have -129 and
 * -128 in the middle: -128.5; 周敏's one: 1919. */
static void test_funnel_far_gaps(void **state)
{
	const char *dirs[] = { dir };
	struct sales_funnel_query q = { dirs, NULL, 1, SALES_KPI_BY_NONE, 0, 0, 19800, 0 };
	static const char *const surveyed[] = {
		"2022-08-02", "2023-03-07", "2023-06-15", "2023-08-25", "2023-08-26",
		"2024-01-01", "2024-01-03", "2029-04-03", "2030-06-01",
	};
	struct sales_funnel *f;
	struct sales_error err;
	char l01[1024] = "客户名称,负责人,登记日期\n", l02[1024] = "客户名称,调研时间\n";

	(void)state;
	for (size_t i = 0; i < 9; i++) {
		snprintf(l01 + strlen(l01), sizeof(l01) - strlen(l01),
			 "客户%zu公司,%s,2024-01-01\n", i, i == 7 ? "周敏" : "张伟");
		snprintf(l02 + strlen(l02), sizeof(l02) - strlen(l02),
			 "客户%zu公司,%s\n", i, surveyed[i]);
	}
	write_file(dir, "01-leads.csv", l01);
	write_file(dir, "02-surveys.csv", l02);
	if (sales_funnel_compute(&f, &q, &err) < 0)
		fail_msg("funnel: %s", err.message);
	assert_int_equal(f->groups[0].stage[1].reached, 9);
	assert_int_equal(f->groups[0].stage[1].ndated, 9);
	assert_true(f->groups[0].stage[1].has_median);
	assert_true(f->groups[0].stage[1].median_days == -128);
	sales_funnel_free(f);
	q.by = SALES_KPI_BY_OWNER;
	if (sales_funnel_compute(&f, &q, &err) < 0)
		fail_msg("funnel: %s", err.message);
	assert_int_equal(f->ngroups, 2);
	assert_string_equal(f->groups[0].name, "周敏");
	assert_true(f->groups[0].stage[1].median_days == 1919);
	assert_string_equal(f->groups[1].name, "张伟");
	assert_int_equal(f->groups[1].stage[1].ndated, 8);
	assert_true(f->groups[1].stage[1].median_days == -128.5);
	sales_funnel_free(f);
}

/* n leads registered in 2024Q1, every third signed (a contract of 100
 * 万元 on 2024-02-01), the first of those twice, and a contract of a
 * customer 01 lacks: 04's names are looked up in 01's table after both
 * are read (eight names ahead; in halves on two threads from 65536
 * names), and every one must find its lead. */
static void check_many(size_t n, const char *threads)
{
	const char *dirs[] = { dir };
	struct sales_kpi_report *r;
	struct sales_buf l = { 0 }, c = { 0 };
	size_t signed_n = 0, ncon = 0;
	const struct sales_kpi_figure *f;

	setenv("SALES_THREADS", threads, 1);
	sales_buf_addstr(&l, "客户名称,负责人,登记日期,客户状态\n");
	sales_buf_addstr(&c, "合同编号,客户名称,合同金额(万元),审批状态,签订日期\n");
	for (size_t i = 0; i < n; i++) {
		sales_buf_printf(&l, "客户%zu,张伟,2024-01-05,跟进中\n", i);
		if (i % 3)
			continue;
		signed_n++;
		sales_buf_printf(&c, "C%zu,客户%zu,100,已审批,2024-02-01\n", i, i);
		ncon++;
		if (i == 0) {
			sales_buf_printf(&c, "C%zub,客户%zu,100,已审批,2024-02-01\n", i, i);
			ncon++;
		}
	}
	sales_buf_addstr(&c, "CX,不在01的客户,100,已审批,2024-02-01\n");
	ncon++;
	write_file(dir, "01-leads.csv", l.data);
	write_file(dir, "04-contracts.csv", c.data);
	r = compute(dirs, 1, 2024, 1, "2024-03-31", SALES_KPI_BY_NONE);
	f = &r->groups[0].m[SALES_KPI_CONVERSION];
	if (f->now.num != (double)signed_n || f->now.den != (double)n)
		CASE_FAIL("%zu leads, %s thread(s): 线索转化率 %g/%g, expected %zu/%zu",
			  n, threads, f->now.num, f->now.den, signed_n, n);
	f = &r->groups[0].m[SALES_KPI_DEAL_SIZE];
	if (!f->has_actual || f->actual != 100 || f->now.den != (double)ncon)
		CASE_FAIL("%zu leads, %s thread(s): 平均客单价 over %g contracts, expected %zu",
			  n, threads, f->now.den, ncon);
	sales_kpi_free(r);
	sales_buf_release(&l);
	sales_buf_release(&c);
	unsetenv("SALES_THREADS");
}

static void test_many_customers(void **state)
{
	(void)state;
	check_many(5, "1");
	check_many(100, "1");
	check_many(100, "2");
	check_many(200000, "2");   /* 66668 names in 04 */
	check_many(200000, "1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hand_worked_2024q1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_year_earlier_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_union_equals_one_workbook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicting_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_workbook_has_no_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_cells_are_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_leads_sheet, setup, teardown),
		cmocka_unit_test(test_find_and_format),
		cmocka_unit_test_setup_teardown(test_fill_sheet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_funnel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_funnel_far_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_customers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
