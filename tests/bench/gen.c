/*
 * gen.c - writes a deterministic synthetic workbook for the benchmarks.
 *
 *   gen [--findings] LEADS OUTDIR TEMPLATES
 *
 * Every sheet of SPEC §2, in the shape Excel leaves it (UTF-8 with BOM,
 * CRLF), with the proportions of a real pipeline: about half the leads are
 * surveyed, a third get a proposal, a fifth sign a contract, and signed
 * customers get delivery plans, an acceptance and after-sales follow-ups.
 * Cells carry what people type: CJK text, quoted cells with commas, doubled
 * quotes and line breaks, every date form of SPEC §3 (2023-10-10,
 * 2023/10/10, 2023.10.10, 2023年10月10日, unpadded), phone numbers mangled
 * into 1.38E+10, and merged-cell continuation rows in 02, 05 and 07.
 *
 * The same LEADS always gives the same bytes (a fixed seed, no clock, no
 * locale).  Dates run from 2022-01-01 to TODAY (2024-06-30, the SALES_TODAY
 * the bench uses), so 2023Q4 and its year-earlier quarter both have data.
 * OUTDIR is written through OUTDIR.tmp and renamed when complete, so a
 * folder that exists is a finished workbook.  team.csv is generated (the
 * template has only its header); holidays.csv and audit.csv are copied from
 * TEMPLATES.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "value.h"

/* ---- deterministic randomness ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* true with probability pct/100 */
static bool chance(unsigned pct)
{
	return pick(1000) < pct * 10;
}

/* lo .. hi inclusive */
static int between(int lo, int hi)
{
	return lo + (int)pick((unsigned)(hi - lo + 1));
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ANY(a) ((a)[pick(N(a))])

/* ---- dates (days since 1970-01-01) ---- */

/* libsales's own date arithmetic (value.h), so the generator and the
 * reader agree on every day */
static int days_from_civil(int y, int m, int d)
{
	return sales_date_from_ymd(y, m, d);
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	sales_date_to_ymd(z, y, m, d);
}

/* Every date form of SPEC §3, with the proportions a mixed team types. */
static const char *date_text(int day, char *buf)
{
	int y, m, d;
	unsigned f = pick(100);

	civil_from_days(day, &y, &m, &d);
	if (f < 52)
		sprintf(buf, "%04d-%02d-%02d", y, m, d);
	else if (f < 64)
		sprintf(buf, "%04d/%02d/%02d", y, m, d);
	else if (f < 78)
		sprintf(buf, "%04d.%02d.%02d", y, m, d);
	else if (f < 86)
		sprintf(buf, "%04d年%d月%d日", y, m, d);
	else if (f < 90)
		sprintf(buf, "%04d-%d-%d", y, m, d);
	else if (f < 95)
		sprintf(buf, "%04d/%d/%d", y, m, d);
	else
		sprintf(buf, "%04d.%d.%d", y, m, d);
	return buf;
}

/* ---- CSV output ---- */

struct sheet {
	FILE *f;
	bool first;   /* no cell written yet in this record */
};

static void cell(struct sheet *s, const char *v)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;

	if (!s->first)
		putc(',', s->f);
	s->first = false;
	if (!quote) {
		fputs(v, s->f);
		return;
	}
	putc('"', s->f);
	for (; *v; v++) {
		if (*v == '"')
			putc('"', s->f);
		putc(*v, s->f);
	}
	putc('"', s->f);
}

static void cellf(struct sheet *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cellf(struct sheet *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cell(s, buf);
}

static void cell_date(struct sheet *s, int day)
{
	char buf[32];

	cell(s, date_text(day, buf));
}

static void end_record(struct sheet *s)
{
	fputs("\r\n", s->f);
	s->first = true;
}

static void header(struct sheet *s, const char *const *cols, size_t n)
{
	fputs("\xEF\xBB\xBF", s->f);
	s->first = true;
	for (size_t i = 0; i < n; i++)
		cell(s, cols[i]);
	end_record(s);
}

/* ---- vocabulary ---- */

static const char *const cities[] = {
	"上海", "北京", "深圳", "广州", "杭州", "苏州", "南京", "成都", "重庆",
	"武汉", "西安", "天津", "宁波", "青岛", "厦门", "长沙", "郑州", "合肥",
	"济南", "沈阳", "大连", "昆明", "福州", "无锡", "东莞", "佛山",
};
/* 100 simplified characters: three of them name 10^6 distinct brands */
static const char brand_chars[] =
	"恒泰瑞丰华鼎盛达宏远新创博凯嘉信安中天润金诚汇通永联海德明源正祥兴和"
	"光辉腾飞锦程东方卓越星辰云峰立伟禾鑫隆亿佳合力万顺美思铭宇昌茂科迅智"
	"聚广易诺捷威尔康泽浩宁晟弘毅沃朗启航鸿坤乾元佑益振昊晨旭阳骏麟翔";
static const char *const trades[] = {
	"精密机械", "物流", "电子科技", "商贸", "医药", "食品", "新材料",
	"汽车零部件", "智能装备", "仓储", "化工", "纺织", "家居", "信息技术",
	"环保科技", "冷链", "包装", "能源",
};
static const char *const forms[] = {
	"有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司",
	"有限责任公司",
};
static const char *const industries[] = {
	"制造业", "零售", "物流", "医药", "电子", "汽车", "食品饮料", "化工",
	"电商", "能源",
};
static const char *const sizes[] = {
	"500-1000人/5亿以上", "100-300人/1亿以下", "300-500人/1-5亿",
	"1000人以上/10亿以上", "50-100人/5000万以下", "20-50人/1000万以下",
};
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
	"胡", "朱", "高", "林", "何", "郭", "马", "罗",
};
static const char *const given[] = {
	"伟", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
	"秀英", "志强", "建华", "晓东", "丽", "强", "军", "平",
};
static const char *const contact_titles[] = {
	"经理", "总", "工", "主任", "总监",
};
static const char *const titles[] = {
	"采购总监", "运营总监", "技术主管", "总经理", "IT经理", "仓储经理",
	"财务总监", "生产副总",
};
static const char *const sources[] = {
	"行业展会", "线上研讨会", "客户转介绍", "公开信息", "招投标信息",
	"官网咨询", "电话营销",
};
static const char *const needs[] = {
	"采购自动化设备", "仓储管理系统升级", "智能分拣线改造", "ERP对接",
	"冷链监控", "产线数字化", "AGV搬运", "WMS替换",
};
static const char *const notes[] = {
	"", "", "", "需确认预算", "决策人未明确", "需确认预算,下周回访",
	"客户要求先做POC,再报价", "年底有预算", "竞品在跟进",
};
static const char *const regions[] = {
	"华东", "华南", "华北", "华中", "西南", "西北", "东北",
};
static const char *const product_lines[] = {
	"智能物流", "仓储管理", "工业软件", "自动化设备",
};
static const char *const pains[] = {
	"人工分拣效率低,错误率高", "系统兼容性差,维护成本高",
	"库存不准", "旺季爆仓\n人手不足", "数据孤岛,报表靠手工",
	"设备老化", "订单响应慢",
};
static const char *const targets[] = {
	"自动化分拣设备(高)", "一体化管理系统(中)", "数据看板(低)",
	"AGV搬运(高)", "WMS升级(中)",
};
static const char *const budgets[] = {
	"200-300万", "待确认", "50-100万", "100万以内", "500万以上", "80万",
	"300-500万",
};
static const char *const chains[] = {
	"采购部→技术部→总经理", "技术部主导", "采购部→财务部→总经理",
	"IT部→总经理", "待确认",
};
static const char *const survey_notes[] = {
	"", "需提供行业案例", "希望免费试用", "决策人未明确", "",
};
static const char *const solutions[] = {
	"智能分拣解决方案", "仓储一体化方案", "AGV物流方案", "数字化工厂方案",
	"冷链监控方案",
};
static const char *const configs[] = {
	"A型分拣机2台+管理系统", "WMS+PDA 20台", "AGV 6台+调度系统",
	"MES+看板", "传感器200个+云平台",
};
static const char *const extras[] = {
	"免费培训3次+1年质保", "上门安装", "3年维保", "远程运维",
};
static const char *const highlights[] = {
	"节省人工成本30%,分拣准确率99.9%", "方案\"一站式\"交付",
	"投资回收期18个月", "同行业案例10+",
};
static const char *const pass_reviews[] = {
	"通过", "通过,需补充案例", "通过,报价再议",
};
static const char *const reject_reviews[] = {
	"不通过,预算不符", "驳回,需重新评估",
};
static const char *const terms[] = {
	"一次性付款,30天质保", "分两期付款", "预付30%,验收后付70%",
	"按季度付款,含\"三年\"维保",
};
static const char *const agree[] = { "同意", "同意", "批准", "无异议" };
static const char *const phases[] = {
	"需求确认", "设备安装", "系统调试", "培训上线",
};
static const char *const deliverables[] = {
	"《需求确认书》", "《安装调试报告》", "《测试报告》", "《培训签到表》",
};
static const char *const risks[] = {
	"客户需求变更", "设备到货延迟", "接口不稳定", "人员流动",
};
static const char *const mitigations[] = {
	"签署变更确认单", "提前7天跟进物流", "预留联调时间", "录制培训视频",
};
static const char *const channels[] = {
	"电话回访", "上门拜访", "微信", "邮件",
};
static const char *const feedback[] = {
	"设备运行稳定,希望增加备件优惠", "系统偶尔卡顿", "满意",
	"希望增加报表功能\n并开放接口", "响应及时",
};
static const char *const resolutions[] = {
	"已申请备件9折优惠", "已远程排查", "无", "已提交需求", "已记录",
};
static const char *const kpi_metrics[] = {
	"线索转化率", "平均客单价(万元)", "销售周期(天)", "客户满意度",
	"赢单率", "回款率",
};
static const char *const kpi_targets[] = {
	"15%", "200", "60", "90%", "30%", "95%",
};

/* ---- the team ---- */

#define NREPS 60
static char reps[NREPS][32];
static char specialists[8][32], supports[8][32], delivery[8][32],
	aftersales[8][32], managers[7][32], legal[2][32], gm[32];

static void person(char *out)
{
	sprintf(out, "%s%s", ANY(surnames), ANY(given));
}

/* Names must be unique in team.csv: suffix a number when one repeats. */
static void unique_person(char *out, char (*seen)[32], size_t nseen)
{
	person(out);
	for (size_t i = 0; i < nseen; i++) {
		if (!strcmp(seen[i], out)) {
			sprintf(out + strlen(out), "%zu", nseen);
			break;
		}
	}
}

static void write_team(const char *dir)
{
	static const char *const cols[] = { "姓名", "角色", "区域" };
	char path[4096], all[200][32];
	size_t n = 0;
	struct sheet s;

#define ADD(dst) do { unique_person(dst, all, n); strcpy(all[n++], dst); } while (0)
	for (size_t i = 0; i < NREPS; i++)
		ADD(reps[i]);
	for (size_t i = 0; i < 8; i++) {
		ADD(specialists[i]);
		ADD(supports[i]);
		ADD(delivery[i]);
		ADD(aftersales[i]);
	}
	for (size_t i = 0; i < N(managers); i++)
		ADD(managers[i]);
	ADD(legal[0]);
	ADD(legal[1]);
	ADD(gm);
#undef ADD
	if (snprintf(path, sizeof(path), "%s/team.csv", dir) >= (int)sizeof(path))
		exit(2);
	s.f = fopen(path, "w");
	if (!s.f) {
		perror(path);
		exit(2);
	}
	header(&s, cols, N(cols));
#define ROW(name, role, region) do { cell(&s, name); cell(&s, role); \
		cell(&s, region); end_record(&s); } while (0)
	for (size_t i = 0; i < NREPS; i++)
		ROW(reps[i], "销售代表", regions[i % N(regions)]);
	for (size_t i = 0; i < N(managers); i++)
		ROW(managers[i], "销售经理", regions[i]);
	for (size_t i = 0; i < 8; i++) {
		ROW(specialists[i], "产品专家", regions[i % N(regions)]);
		ROW(supports[i], "技术支持", regions[i % N(regions)]);
		ROW(delivery[i], "交付团队", regions[i % N(regions)]);
		ROW(aftersales[i], "售后专员", regions[i % N(regions)]);
	}
	ROW(legal[0], "法务", "总部");
	ROW(legal[1], "法务", "总部");
	ROW(gm, "总经理", "总部");
#undef ROW
	fclose(s.f);
}

/* ---- one customer through the process ---- */

#define TODAY_Y 2024
#define TODAY_M 6
#define TODAY_D 30

static int today, first_day;
/* --findings: legacy sheets, about two findings per lead (values typed
 * the old way, missing cells); the default workbook draws no extra
 * randomness, so its bytes do not change */
static bool legacy;
static struct sheet sh[9];   /* 01..08, exceptions */
enum { S01, S02, S03, S04, S05, S06, S07, S08, SEXC };
static unsigned long contract_seq;

static void customer_name(unsigned long i, char *out)
{
	/* brand: three characters from i (mixed radix), scrambled so that
	 * neighbours differ; city and trade from i too, so names never repeat */
	unsigned long k = (i * 7919ul + 13ul) % 1000000ul;
	size_t nb = (sizeof(brand_chars) - 1) / 3;
	char brand[16];
	size_t o = 0;

	for (int j = 0; j < 3; j++) {
		memcpy(brand + o, brand_chars + (k % nb) * 3, 3);
		o += 3;
		k /= nb;
	}
	brand[o] = '\0';
	sprintf(out, "%s%s%s%s%s", cities[i % N(cities)], brand,
		trades[(i / N(cities)) % N(trades)],
		i >= 1000000ul ? "二部" : "", forms[(i / 7) % N(forms)]);
	if (i >= 2000000ul)
		sprintf(out + strlen(out), "%lu", i);
}

static int max_i(int a, int b)
{
	return a > b ? a : b;
}

static void one_customer(unsigned long i, unsigned long nleads)
{
	char name[256], buf[256], owner[32];
	int reg, last, grade, status;
	int survey_day = -1, submitted = -1, reviewed = -1, signed_day = -1;
	int accepted_day = -1;
	bool passed = false, is_signed = false, lost = false;
	const char *region = ANY(regions);
	const char *product = ANY(product_lines);

	customer_name(i, name);
	strcpy(owner, reps[pick(NREPS)]);
	/* registrations run through the window in file order, with jitter */
	reg = first_day + (int)((double)i / (double)nleads * (today - 10 - first_day)) +
	      between(0, 3);
	if (reg > today)
		reg = today;
	last = reg;
	grade = (int)pick(100);
	grade = grade < 20 ? 'A' : grade < 60 ? 'B' : grade < 99 ? 'C' : 0;

	/* 02: surveys (more likely for better grades) */
	{
		unsigned p = grade == 'A' ? 85 : grade == 'B' ? 60 : grade == 'C' ? 30 : 40;
		int visits, day = reg + between(1, 12);

		if (chance(p) && day <= today) {
			visits = chance(15) ? 2 : 1;
			for (int v = 0; v < visits && day <= today; v++) {
				int people = chance(50) ? 1 : chance(70) ? 2 : 3;
				char surveyor[32];

				strcpy(surveyor, chance(60) ? owner : specialists[pick(8)]);
				for (int k = 0; k < people; k++) {
					struct sheet *s = &sh[S02];

					if (k == 0) {
						cell(s, name);
						cell_date(s, day);
						cell(s, surveyor);
					} else {
						cell(s, "");
						cell(s, "");
						cell(s, "");
					}
					cellf(s, "%s%s(%s)", ANY(surnames),
					      ANY(contact_titles), ANY(titles));
					cell(s, ANY(pains));
					cell(s, ANY(targets));
					cell(s, ANY(budgets));
					cell(s, ANY(chains));
					cell(s, ANY(survey_notes));
					end_record(s);
				}
				survey_day = day;
				day += between(3, 15);
			}
			last = max_i(last, survey_day);
		}
	}

	/* 03: proposals, within 5 working days of the last survey */
	if (survey_day >= 0 && chance(96)) {
		int tries = chance(20) ? 2 : 1;

		for (int t = 0; t < tries && !passed; t++) {
			struct sheet *s = &sh[S03];
			int r = (int)pick(100);
			const char *review;

			submitted = (t == 0 ? survey_day : reviewed) + between(1, 3);
			reviewed = submitted + between(1, 3);
			if (reviewed > today)
				break;
			if (r < 78) {
				review = ANY(pass_reviews);
				passed = true;
			} else if (r < 92) {
				review = ANY(reject_reviews);
			} else {
				review = "";
			}
			cell(s, name);
			cellf(s, "%s%s", ANY(solutions), t ? "(修订版)" : "");
			cell(s, ANY(configs));
			cellf(s, "%d天", between(20, 90));
			if (chance(30))
				cellf(s, "%d.%d", between(30, 900), between(1, 9));
			else
				cellf(s, "%d", between(30, 900));
			cell(s, ANY(extras));
			cell(s, ANY(highlights));
			cell(s, chance(50) ? specialists[pick(8)] : owner);
			cell(s, review);
			cell_date(s, submitted);
			if (*review)
				cell_date(s, reviewed);
			else
				cell(s, "");
			end_record(s);
			last = max_i(last, *review ? reviewed : submitted);
		}
	}

	/* 04: a contract after a passed review */
	if (passed && chance(66)) {
		struct sheet *s = &sh[S04];
		int r = (int)pick(100), y, m, d;
		const char *mgr = "", *leg = "", *g = "", *st;
		int sign = reviewed + between(3, 30);

		if (r < 86) {
			mgr = ANY(agree);
			leg = chance(50) ? "条款合规" : "同意";
			g = ANY(agree);
			st = "已审批";
		} else if (r < 92) {
			mgr = ANY(agree);
			leg = chance(50) ? "条款合规" : "";
			st = "审批中";
		} else if (r < 95) {
			st = "待审批";
		} else {
			mgr = ANY(agree);
			leg = "不合规,付款条款需修改";
			st = "已驳回";
		}
		civil_from_days(sign, &y, &m, &d);
		cellf(s, "HT%04d%07lu", y, ++contract_seq);
		cell(s, name);
		if (chance(25))
			cellf(s, "%d.%d", between(20, 900), between(1, 9));
		else
			cellf(s, "%d", between(20, 900));
		cellf(s, "%04d.%02d-%04d.%02d", y, m, y + 1, m);
		cell(s, ANY(terms));
		cell(s, owner);
		cell(s, mgr);
		cell(s, leg);
		cell(s, g);
		cell(s, st);
		if (!strcmp(st, "已审批") && sign <= today && chance(97)) {
			int due = sign + 30;

			is_signed = true;
			signed_day = sign;
			cell_date(s, sign);
			cell_date(s, due);
			if (chance(95) && due <= today) {
				int paid = due - between(0, 10);

				cell_date(s, paid);
				last = max_i(last, paid);
			} else if (chance(60) && due + 20 <= today) {
				int paid = due + between(1, 20);

				cell_date(s, paid);
				last = max_i(last, paid);
			} else {
				cell(s, "");
			}
			last = max_i(last, sign);
		} else {
			cell(s, "");
			cell(s, "");
			cell(s, "");
		}
		end_record(s);
	}

	/* 05, 06: delivery and acceptance */
	if (is_signed && chance(90)) {
		int start = signed_day + between(5, 10), end = start;
		int nph = between(2, 4), written = 0;
		char del[32];

		strcpy(del, delivery[pick(8)]);
		for (int p = 0; p < nph; p++) {
			struct sheet *s = &sh[S05];
			int y1, m1, d1, y2, m2, d2, len = between(4, 12);

			if (start + len > today)
				break;
			end = start + len;
			civil_from_days(start, &y1, &m1, &d1);
			civil_from_days(end, &y2, &m2, &d2);
			cell(s, p == 0 ? name : "");
			cell(s, phases[p]);
			if (y1 != y2)
				cellf(s, "%04d.%02d.%02d-%04d.%02d.%02d", y1, m1, d1, y2, m2, d2);
			else
				cellf(s, "%04d.%02d.%02d-%02d.%02d", y1, m1, d1, m2, d2);
			cell(s, p == 0 ? owner : del);
			cell(s, chance(50) ? "现场调研,确认需求细节" : "设备调试,人员培训");
			cell(s, deliverables[p]);
			cell(s, risks[p]);
			cell(s, mitigations[p]);
			end_record(s);
			last = max_i(last, start);
			start = end + between(1, 5);
			written++;
		}
		if (written > 0 && end + 5 <= today && chance(90)) {
			struct sheet *s = &sh[S06];
			bool ok = chance(92);
			int day = end + between(1, 5);

			cell(s, name);
			cell_date(s, day);
			cellf(s, "%s%s(%s)", ANY(surnames), ANY(contact_titles),
			      ANY(titles));
			cell(s, "设备功能、系统功能、培训效果");
			cell(s, ok ? "合格" : "不合格");
			cell(s, ok ? "无" : "部分报表未交付,需二次验收");
			cellf(s, "%s经理", ANY(surnames));
			end_record(s);
			last = max_i(last, day);
			if (ok)
				accepted_day = day;
		}
	}

	/* 07: after-sales, at least once a quarter during the warranty year */
	if (accepted_day >= 0) {
		int day = accepted_day + between(20, 60);
		char by[32];

		strcpy(by, aftersales[pick(8)]);
		while (day <= today && day <= accepted_day + 365) {
			int next = day + between(45, 85);
			int rows = chance(20) ? 2 : 1;

			for (int k = 0; k < rows; k++) {
				struct sheet *s = &sh[S07];

				if (k == 0) {
					cell(s, name);
					cell_date(s, day);
					cell(s, by);
				} else {
					cell(s, "");
					cell(s, "");
					cell(s, "");
				}
				cell(s, ANY(channels));
				cell(s, ANY(feedback));
				cell(s, ANY(resolutions));
				{
					int y, m, d;

					civil_from_days(next, &y, &m, &d);
					cellf(s, "%04d.%02d.%02d回访", y, m, d);
				}
				if (chance(90))
					cellf(s, "%d", chance(75) ? between(4, 5) : between(1, 3));
				else
					cell(s, "");
				end_record(s);
			}
			last = max_i(last, day);
			day = next;
		}
	}

	/* an approved deadline extension now and then */
	if (submitted >= 0 && submitted <= today && chance(1)) {
		struct sheet *s = &sh[SEXC];

		cell(s, name);
		cell(s, "延期");
		cell(s, "方案制定");
		cell(s, "客户要求补充调研,方案顺延");
		cell_date(s, submitted + 10);
		cell(s, managers[pick(N(managers))]);
		cell_date(s, submitted);
		end_record(s);
	}

	/* 01: the lead, written last because 最后跟进时间 covers every sheet */
	if (is_signed)
		status = 2;
	else if (today - last > 60 && chance(95))
		status = 3, lost = true;
	else if (last > reg)
		status = 1;
	else
		status = today - reg > 60 ? 3 : 0;
	if (status == 3)
		lost = true;
	if (lost && last < today - 10) {
		last += between(1, 10);   /* the call that closed it */
	}
	{
		struct sheet *s = &sh[S01];
		static const char *const statuses[] = { "新线索", "跟进中", "已签约",
						       "已丢单" };

		cellf(s, "%lu", i + 1);
		cell(s, name);
		cell(s, ANY(industries));
		cell(s, ANY(sizes));
		cellf(s, "%s%s", ANY(surnames), ANY(contact_titles));
		cell(s, ANY(titles));
		if (chance(1) && chance(50))
			cellf(s, "1.%dE+10", between(30, 89));
		else
			cellf(s, "1%d%04d%04d", between(30, 89), between(0, 9999),
			      between(0, 9999));
		cell(s, ANY(sources));
		if (chance(5))
			cellf(s, "%s\n二期:%s", ANY(needs), ANY(needs));
		else
			cell(s, ANY(needs));
		cell(s, grade ? (grade == 'A' ? "A类" : grade == 'B' ? "B类" : "C类") : "");
		cell(s, owner);
		if (legacy && chance(85))   /* a follow-up date as words */
			cell(s, "上周");
		else
			cell_date(s, last);
		cell(s, ANY(notes));
		cell_date(s, reg);
		cell(s, statuses[status]);
		cell(s, region);
		cell(s, product);
		if (legacy && chance(85))   /* a score in words */
			cell(s, grade == 'A' ? "高" : grade == 'B' ? "中" : "低");
		else
			cellf(s, "%d", grade == 'A' ? between(70, 98) :
				       grade == 'B' ? between(40, 69) : between(5, 39));
		end_record(s);
	}
	(void)buf;
}

/* ---- files ---- */

static FILE *open_sheet(const char *dir, const char *file)
{
	char path[4096];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		exit(2);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void copy_file(const char *from_dir, const char *to_dir, const char *file)
{
	char a[4096], b[4096], buf[65536];
	FILE *in, *out;
	size_t n;

	if (snprintf(a, sizeof(a), "%s/%s", from_dir, file) >= (int)sizeof(a) ||
	    snprintf(b, sizeof(b), "%s/%s", to_dir, file) >= (int)sizeof(b))
		exit(2);
	in = fopen(a, "rb");
	out = fopen(b, "wb");
	if (!in || !out) {
		perror(in ? b : a);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	if (fclose(out) != 0) {
		perror(b);
		exit(2);
	}
}

static void write_kpi(void)
{
	struct sheet *s = &sh[S08];

	for (int y = 2022; y <= 2024; y++) {
		for (int q = 1; q <= 4; q++) {
			if (y == 2024 && q > 2)
				break;
			for (size_t k = 0; k < N(kpi_metrics); k++) {
				cell(s, kpi_metrics[k]);
				cell(s, kpi_targets[k]);
				cell(s, "");
				cell(s, "");
				cell(s, "");
				cell(s, k == 0 ? "需求挖掘深度不足" : "");
				cell(s, k == 0 ? "加强销售培训" : "");
				cellf(s, "%dQ%d", y, q);
				end_record(s);
			}
		}
	}
}

int main(int argc, char **argv)
{
	static const char *const files[] = {
		"01-leads.csv", "02-surveys.csv", "03-solutions.csv",
		"04-contracts.csv", "05-plans.csv", "06-acceptance.csv",
		"07-followups.csv", "08-kpi.csv", "exceptions.csv",
	};
	static const char *const h01[] = { "序号", "客户名称", "行业",
		"企业规模(员工数/营收)", "联系人", "职务", "联系方式", "线索来源",
		"初步需求", "线索等级", "负责人", "最后跟进时间", "备注", "登记日期",
		"客户状态", "区域", "产品线", "线索评分" };
	static const char *const h02[] = { "客户名称", "调研时间", "调研人",
		"调研对象(职务)", "当前业务痛点描述", "目标需求(优先级)", "预算范围",
		"决策流程", "备注" };
	static const char *const h03[] = { "客户名称", "方案名称",
		"核心产品/服务配置", "实施周期", "报价(万元)", "增值服务", "方案亮点",
		"负责人", "评审意见", "提交日期", "评审日期" };
	static const char *const h04[] = { "合同编号", "客户名称", "合同金额(万元)",
		"合同期限", "主要条款摘要", "销售代表", "销售经理", "法务", "总经理",
		"审批状态", "签订日期", "付款到期日", "回款日期" };
	static const char *const h05[] = { "客户名称", "项目阶段", "起止时间",
		"负责人", "关键任务", "交付物", "风险点", "应对措施" };
	static const char *const h06[] = { "客户名称", "验收时间", "验收人(职务)",
		"验收内容", "验收结果", "未解决问题", "客户签字" };
	static const char *const h07[] = { "客户名称", "跟进时间", "跟进人",
		"跟进方式", "客户反馈内容", "处理结果", "下次跟进计划", "满意度" };
	static const char *const h08[] = { "指标名称", "目标值", "实际值", "完成率",
		"同比变化", "主要影响因素", "改进措施", "季度" };
	static const char *const hexc[] = { "客户名称", "类型", "环节", "原因",
		"新期限", "审批人", "审批日期" };
	static const char *const *const headers[] = { h01, h02, h03, h04, h05,
		h06, h07, h08, hexc };
	static const size_t nheaders[] = { N(h01), N(h02), N(h03), N(h04), N(h05),
		N(h06), N(h07), N(h08), N(hexc) };
	char tmp[4096];
	unsigned long nleads;
	char *end;

	if (argc == 5 && !strcmp(argv[1], "--findings")) {
		legacy = true;
		argv++;
		argc--;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: gen [--findings] LEADS OUTDIR TEMPLATES\n");
		return 2;
	}
	nleads = strtoul(argv[1], &end, 10);
	if (*end || nleads == 0) {
		fprintf(stderr, "gen: bad lead count '%s'\n", argv[1]);
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
		perror(tmp);
		return 2;
	}
	rng_state = 0x5A1E5u;        /* the team roster is the same at every size */
	today = days_from_civil(TODAY_Y, TODAY_M, TODAY_D);
	first_day = days_from_civil(2022, 1, 1);
	write_team(tmp);
	rng_state = 0xB2B5A1E5ull ^ nleads;
	for (size_t k = 0; k < N(files); k++) {
		sh[k].f = open_sheet(tmp, files[k]);
		header(&sh[k], headers[k], nheaders[k]);
	}
	for (unsigned long i = 0; i < nleads; i++)
		one_customer(i, nleads);
	write_kpi();
	for (size_t k = 0; k < N(files); k++) {
		if (fclose(sh[k].f) != 0) {
			perror(files[k]);
			return 2;
		}
	}
	copy_file(argv[3], tmp, "holidays.csv");
	copy_file(argv[3], tmp, "audit.csv");
	if (rename(tmp, argv[2]) < 0) {
		perror(argv[2]);
		return 2;
	}
	return 0;
}
