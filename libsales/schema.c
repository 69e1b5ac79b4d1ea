#include "schema.h"
#include "i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "value.h"

#define R SALES_COLF_REQUIRED
#define F SALES_COLF_FILL_DOWN
#define P SALES_COLF_PERSONAL
#define M SALES_COLF_FINANCIAL
#define T SALES_COLF_TEAM
#define A SALES_COLF_ADDED
#define H SALES_COLF_HEADER

const char *const sales_lead_statuses[] = { "新线索", "跟进中", "已签约",
					    "已丢单", "公海", NULL };
const char *const sales_approval_states[] = { "待审批", "审批中", "已审批",
					      "已驳回", NULL };
const char *const sales_roles[] = { "销售代表", "销售主管", "销售经理",
				    "产品专家", "技术支持", "法务", "总经理",
				    "交付团队", "售后专员", "财务", NULL };
const char *const sales_exception_types[] = { "跳过环节", "延期", "底线让步", NULL };
const char *const sales_acceptance_results[] = { "合格", "不合格", NULL };
const char *const sales_yes_no[] = { "是", "否", NULL };
const char *const sales_stage_names[] = { "客户开发", "需求分析", "方案制定",
					  "谈判签约", "项目交付", "项目验收",
					  "售后跟进", "复盘优化", "需求调研",
					  NULL };
static const char *const holiday_types[] = { "休", "班", NULL };

static const struct sales_column_def lead_cols[] = {
	{ "no", "序号", "序號", SALES_COL_INTEGER, 0, NULL },
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H, NULL },
	{ "industry", "行业", "行業", SALES_COL_TEXT, 0, NULL },
	{ "size", "企业规模(员工数/营收)", "企業規模(員工數/營收)", SALES_COL_SIZE, 0, NULL },
	{ "contact", "联系人", "聯系人", SALES_COL_TEXT, P, NULL },
	{ "title", "职务", "職務", SALES_COL_TEXT, 0, NULL },
	{ "phone", "联系方式", "聯系方式", SALES_COL_PHONE, P, NULL },
	{ "source", "线索来源", "線索來源", SALES_COL_TEXT, 0, NULL },
	{ "need", "初步需求", "初步需求", SALES_COL_TEXT, 0, NULL },
	{ "grade", "线索等级", "線索等級", SALES_COL_GRADE, 0, NULL },
	{ "owner", "负责人", "負責人", SALES_COL_TEXT, T, NULL },
	{ "last_contact", "最后跟进时间", "最後跟進時間", SALES_COL_DATE, 0, NULL },
	{ "note", "备注", "備注", SALES_COL_TEXT, 0, NULL },
	{ "registered", "登记日期", "登記日期", SALES_COL_DATE, A, NULL },
	{ "status", "客户状态", "客戶狀態", SALES_COL_ENUM, A, sales_lead_statuses },
	{ "region", "区域", "區域", SALES_COL_TEXT, A, NULL },
	{ "product_line", "产品线", "產品線", SALES_COL_TEXT, A, NULL },
	{ "score", "线索评分", "線索評分", SALES_COL_INTEGER, A, NULL },
	{ "lost_reason", "丢单原因", "丟單原因", SALES_COL_TEXT, A, NULL },
	{ "former_owner", "原负责人", "原負責人", SALES_COL_TEXT, A, NULL },
};

static const struct sales_column_def survey_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H | F, NULL },
	{ "date", "调研时间", "調研時間", SALES_COL_DATE, R | F, NULL },
	{ "surveyor", "调研人", "調研人", SALES_COL_TEXT, F | T, NULL },
	{ "interviewee", "调研对象(职务)", "調研對象(職務)", SALES_COL_TEXT, P, NULL },
	{ "pain_points", "当前业务痛点描述", "當前業務痛點描述", SALES_COL_TEXT, 0, NULL },
	{ "target_need", "目标需求(优先级)", "目標需求(優先級)", SALES_COL_TEXT, 0, NULL },
	{ "budget", "预算范围", "預算範圍", SALES_COL_AMOUNT_RANGE, M, NULL },
	{ "decision_chain", "决策流程", "決策流程", SALES_COL_TEXT, 0, NULL },
	{ "note", "备注", "備注", SALES_COL_TEXT, 0, NULL },
};

static const struct sales_column_def solution_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H, NULL },
	{ "solution", "方案名称", "方案名稱", SALES_COL_TEXT, R | H, NULL },
	{ "configuration", "核心产品/服务配置", "核心產品/服務配置", SALES_COL_TEXT, 0, NULL },
	{ "duration", "实施周期", "實施周期", SALES_COL_TEXT, 0, NULL },
	{ "quote", "报价(万元)", "報價(萬元)", SALES_COL_AMOUNT, M, NULL },
	{ "extras", "增值服务", "增值服務", SALES_COL_TEXT, 0, NULL },
	{ "highlights", "方案亮点", "方案亮點", SALES_COL_TEXT, 0, NULL },
	{ "owner", "负责人", "負責人", SALES_COL_TEXT, T, NULL },
	{ "review", "评审意见", "評審意見", SALES_COL_TEXT, 0, NULL },
	{ "submitted", "提交日期", "提交日期", SALES_COL_DATE, A, NULL },
	{ "reviewed", "评审日期", "評審日期", SALES_COL_DATE, A, NULL },
};

static const struct sales_column_def contract_cols[] = {
	{ "contract", "合同编号", "合同編號", SALES_COL_TEXT, R | H, NULL },
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H, NULL },
	{ "amount", "合同金额(万元)", "合同金額(萬元)", SALES_COL_AMOUNT, R | M, NULL },
	{ "term", "合同期限", "合同期限", SALES_COL_MONTH, 0, NULL },
	{ "terms", "主要条款摘要", "主要條款摘要", SALES_COL_TEXT, 0, NULL },
	{ "rep", "销售代表", "銷售代表", SALES_COL_TEXT, T, NULL },
	{ "manager", "销售经理", "銷售經理", SALES_COL_TEXT, 0, NULL },
	{ "legal", "法务", "法務", SALES_COL_TEXT, 0, NULL },
	{ "gm", "总经理", "總經理", SALES_COL_TEXT, 0, NULL },
	{ "approval", "审批状态", "審批狀態", SALES_COL_ENUM, 0, sales_approval_states },
	{ "signed", "签订日期", "簽訂日期", SALES_COL_DATE, A, NULL },
	{ "payment_due", "付款到期日", "付款到期日", SALES_COL_DATE, A, NULL },
	{ "paid", "回款日期", "回款日期", SALES_COL_DATE, A, NULL },
	{ "finance", "财务", "財務", SALES_COL_TEXT, A, NULL },
};

static const struct sales_column_def plan_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H | F, NULL },
	{ "phase", "项目阶段", "項目階段", SALES_COL_TEXT, R, NULL },
	{ "period", "起止时间", "起止時間", SALES_COL_DATE_RANGE, 0, NULL },
	{ "owner", "负责人", "負責人", SALES_COL_TEXT, T, NULL },
	{ "tasks", "关键任务", "關鍵任務", SALES_COL_TEXT, 0, NULL },
	{ "deliverables", "交付物", "交付物", SALES_COL_TEXT, 0, NULL },
	{ "risks", "风险点", "風險點", SALES_COL_TEXT, 0, NULL },
	{ "mitigation", "应对措施", "應對措施", SALES_COL_TEXT, 0, NULL },
};

static const struct sales_column_def acceptance_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H, NULL },
	{ "date", "验收时间", "驗收時間", SALES_COL_DATE, R, NULL },
	{ "inspector", "验收人(职务)", "驗收人(職務)", SALES_COL_TEXT, P, NULL },
	{ "scope", "验收内容", "驗收內容", SALES_COL_TEXT, 0, NULL },
	{ "result", "验收结果", "驗收結果", SALES_COL_ENUM, R, sales_acceptance_results },
	{ "open_issues", "未解决问题", "未解決問題", SALES_COL_TEXT, 0, NULL },
	{ "signature", "客户签字", "客戶簽字", SALES_COL_TEXT, P, NULL },
};

static const struct sales_column_def followup_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H | F, NULL },
	{ "date", "跟进时间", "跟進時間", SALES_COL_DATE, R | F, NULL },
	{ "by", "跟进人", "跟進人", SALES_COL_TEXT, F | T, NULL },
	{ "channel", "跟进方式", "跟進方式", SALES_COL_TEXT, 0, NULL },
	{ "feedback", "客户反馈内容", "客戶反饋內容", SALES_COL_TEXT, 0, NULL },
	{ "resolution", "处理结果", "處理結果", SALES_COL_TEXT, 0, NULL },
	{ "next_plan", "下次跟进计划", "下次跟進計劃", SALES_COL_DATE_PREFIX, 0, NULL },
	{ "satisfaction", "满意度", "滿意度", SALES_COL_INTEGER, A, NULL },
};

static const struct sales_column_def kpi_cols[] = {
	{ "metric", "指标名称", "指標名稱", SALES_COL_TEXT, R | H, NULL },
	{ "target", "目标值", "目標值", SALES_COL_PERCENT, 0, NULL },
	{ "actual", "实际值", "實際值", SALES_COL_PERCENT, 0, NULL },
	{ "completion", "完成率", "完成率", SALES_COL_PERCENT, 0, NULL },
	{ "yoy", "同比变化", "同比變化", SALES_COL_PERCENT, 0, NULL },
	{ "factors", "主要影响因素", "主要影響因素", SALES_COL_TEXT, 0, NULL },
	{ "actions", "改进措施", "改進措施", SALES_COL_TEXT, 0, NULL },
	{ "quarter", "季度", "季度", SALES_COL_QUARTER, A, NULL },
};

static const struct sales_column_def team_cols[] = {
	{ "name", "姓名", "姓名", SALES_COL_TEXT, R | H, NULL },
	{ "role", "角色", "角色", SALES_COL_ENUM, R | H, sales_roles },
	{ "region", "区域", "區域", SALES_COL_TEXT, 0, NULL },
};

static const struct sales_column_def exception_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H, NULL },
	{ "type", "类型", "類型", SALES_COL_ENUM, R | H, sales_exception_types },
	{ "stage", "环节", "環節", SALES_COL_ENUM, R | H, sales_stage_names },
	{ "reason", "原因", "原因", SALES_COL_TEXT, R, NULL },
	{ "deadline", "新期限", "新期限", SALES_COL_DATE, 0, NULL },
	{ "approver", "审批人", "審批人", SALES_COL_TEXT, R | T, NULL },
	{ "approved", "审批日期", "審批日期", SALES_COL_DATE, 0, NULL },
};

static const struct sales_column_def holiday_cols[] = {
	{ "date", "日期", "日期", SALES_COL_DATE, R | H, NULL },
	{ "type", "类型", "類型", SALES_COL_ENUM, R | H, holiday_types },
	{ "name", "名称", "名稱", SALES_COL_TEXT, 0, NULL },
};

static const struct sales_column_def approval_rule_cols[] = {
	{ "condition", "条件", "條件", SALES_COL_TEXT, R | H, NULL },
	{ "chain", "审批链", "審批鏈", SALES_COL_TEXT, R | H, NULL },
	{ "mode", "方式", "方式", SALES_COL_TEXT, H, NULL },
	{ "note", "备注", "備注", SALES_COL_TEXT, 0, NULL },
};

static const struct sales_column_def target_cols[] = {
	{ "subject", "对象", "對象", SALES_COL_TEXT, R | H, NULL },
	{ "month", "月份", "月份", SALES_COL_MONTH, R | H, NULL },
	{ "metric", "指标", "指標", SALES_COL_TEXT, R | H, NULL },
	{ "target", "目标值", "目標值", SALES_COL_TEXT, R | H, NULL },
};

static const struct sales_column_def change_cols[] = {
	{ "customer", "客户名称", "客戶名稱", SALES_COL_TEXT, R | H, NULL },
	{ "contract", "合同编号", "合同編號", SALES_COL_TEXT, 0, NULL },
	{ "what", "变更内容", "變更內容", SALES_COL_TEXT, R | H, NULL },
	{ "cost", "费用调整(万元)", "費用調整(萬元)", SALES_COL_AMOUNT_DELTA, M, NULL },
	{ "days", "工期调整(天)", "工期調整(天)", SALES_COL_INTEGER, 0, NULL },
	{ "approver", "审批人", "審批人", SALES_COL_TEXT, R | T, NULL },
	{ "approved", "审批日期", "審批日期", SALES_COL_DATE, 0, NULL },
	{ "confirmed", "客户确认", "客戶確認", SALES_COL_ENUM, R, sales_yes_no },
};

static const struct sales_column_def audit_cols[] = {
	{ "time", "时间", "時間", SALES_COL_TIMESTAMP, R | H, NULL },
	{ "user", "用户", "用戶", SALES_COL_TEXT, H, NULL },
	{ "command", "命令", "命令", SALES_COL_TEXT, H, NULL },
	{ "sheet", "工作表", "工作表", SALES_COL_TEXT, H, NULL },
	{ "key", "主键", "主鍵", SALES_COL_TEXT, H, NULL },
	{ "column", "列", "列", SALES_COL_TEXT, H, NULL },
	{ "old", "原值", "原值", SALES_COL_TEXT, H, NULL },
	{ "new", "新值", "新值", SALES_COL_TEXT, H, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct sales_sheet_def sheets[SALES_NSHEETS] = {
	{ SALES_LEADS, "01-leads.csv", "leads", "客户信息登记表", "客户开发", 1, lead_cols, N(lead_cols) },
	{ SALES_SURVEYS, "02-surveys.csv", "surveys", "客户需求调研表", "需求分析", 2, survey_cols, N(survey_cols) },
	{ SALES_SOLUTIONS, "03-solutions.csv", "solutions", "解决方案定制表", "方案制定", 3, solution_cols, N(solution_cols) },
	{ SALES_CONTRACTS, "04-contracts.csv", "contracts", "合同审批表", "谈判签约", 4, contract_cols, N(contract_cols) },
	{ SALES_PLANS, "05-plans.csv", "plans", "项目实施计划表", "项目交付", 5, plan_cols, N(plan_cols) },
	{ SALES_ACCEPTANCE, "06-acceptance.csv", "acceptance", "项目验收报告", "项目验收", 6, acceptance_cols, N(acceptance_cols) },
	{ SALES_FOLLOWUPS, "07-followups.csv", "followups", "售后跟进记录表", "售后跟进", 7, followup_cols, N(followup_cols) },
	{ SALES_KPI, "08-kpi.csv", "kpi", "销售数据分析表(季度)", "复盘优化", 8, kpi_cols, N(kpi_cols) },
	{ SALES_TEAM, "team.csv", "team", "团队名册", NULL, 0, team_cols, N(team_cols) },
	{ SALES_EXCEPTIONS, "exceptions.csv", "exceptions", "例外审批记录", NULL, 0, exception_cols, N(exception_cols) },
	{ SALES_HOLIDAYS, "holidays.csv", "holidays", "节假日安排", NULL, 0, holiday_cols, N(holiday_cols) },
	{ SALES_AUDIT, "audit.csv", "audit", "变更日志", NULL, 0, audit_cols, N(audit_cols) },
	{ SALES_APPROVAL_RULES, "approval-rules.csv", "approval-rules", "审批规则", NULL, 0, approval_rule_cols, N(approval_rule_cols) },
	{ SALES_TARGETS, "targets.csv", "targets", "业绩目标", NULL, 0, target_cols, N(target_cols) },
	{ SALES_CHANGES, "changes.csv", "changes", "需求变更确认单", NULL, 0, change_cols, N(change_cols) },
};

_Static_assert(N(lead_cols) == LEAD_NCOLS, "lead columns");
_Static_assert(N(survey_cols) == SURVEY_NCOLS, "survey columns");
_Static_assert(N(solution_cols) == SOL_NCOLS, "solution columns");
_Static_assert(N(contract_cols) == CON_NCOLS, "contract columns");
_Static_assert(N(plan_cols) == PLAN_NCOLS, "plan columns");
_Static_assert(N(acceptance_cols) == ACC_NCOLS, "acceptance columns");
_Static_assert(N(followup_cols) == FU_NCOLS, "followup columns");
_Static_assert(N(kpi_cols) == KPI_NCOLS, "kpi columns");
_Static_assert(N(team_cols) == TEAM_NCOLS, "team columns");
_Static_assert(N(exception_cols) == EXC_NCOLS, "exception columns");
_Static_assert(N(holiday_cols) == HOL_NCOLS, "holiday columns");
_Static_assert(N(audit_cols) == AUDIT_NCOLS, "audit columns");
_Static_assert(N(approval_rule_cols) == RULE_NCOLS, "approval rule columns");
_Static_assert(N(target_cols) == TGT_NCOLS, "target columns");
_Static_assert(N(change_cols) == CHG_NCOLS, "change columns");
_Static_assert(LEAD_NCOLS <= SALES_MAX_COLS, "SALES_MAX_COLS");

const struct sales_sheet_def *sales_sheet_def(enum sales_sheet_id id)
{
	return (unsigned)id < SALES_NSHEETS ? &sheets[id] : NULL;
}

size_t sales_sheet_key(enum sales_sheet_id id, const int **cols, bool *unique)
{
	static const int lead[] = { LEAD_CUSTOMER };
	static const int survey[] = { SURVEY_CUSTOMER, SURVEY_DATE };
	static const int sol[] = { SOL_CUSTOMER, SOL_SOLUTION };
	static const int con[] = { CON_CONTRACT };
	static const int plan[] = { PLAN_CUSTOMER, PLAN_PHASE };
	static const int acc[] = { ACC_CUSTOMER, ACC_DATE };
	static const int fu[] = { FU_CUSTOMER, FU_DATE };
	static const int kpi[] = { KPI_QUARTER, KPI_METRIC };
	static const int team[] = { TEAM_NAME, TEAM_ROLE };
	static const int exc[] = { EXC_CUSTOMER, EXC_TYPE, EXC_STAGE };
	static const int hol[] = { HOL_DATE };
	static const int audit[] = { AUDIT_TIME, AUDIT_USER };
	static const int chg[] = { CHG_CUSTOMER, CHG_APPROVED };
	static const struct { const int *cols; size_t n; bool unique; }
	keys[SALES_NSHEETS] = {
		[SALES_LEADS] = { lead, N(lead), true },
		[SALES_SURVEYS] = { survey, N(survey), false },
		[SALES_SOLUTIONS] = { sol, N(sol), true },
		[SALES_CONTRACTS] = { con, N(con), true },
		[SALES_PLANS] = { plan, N(plan), true },
		[SALES_ACCEPTANCE] = { acc, N(acc), false },
		[SALES_FOLLOWUPS] = { fu, N(fu), false },
		[SALES_KPI] = { kpi, N(kpi), true },
		[SALES_TEAM] = { team, N(team), true },
		[SALES_EXCEPTIONS] = { exc, N(exc), true },
		[SALES_HOLIDAYS] = { hol, N(hol), true },
		[SALES_AUDIT] = { audit, N(audit), false },
		[SALES_CHANGES] = { chg, N(chg), false },
	};

	if ((unsigned)id >= SALES_NSHEETS) {
		*cols = NULL;
		*unique = false;
		return 0;
	}
	*cols = keys[id].cols;
	*unique = keys[id].unique;
	return keys[id].n;
}

/* The traditional spelling of each enumerated value that has one (SPEC §2:
 * traditional headers are accepted, and so are the values under them). */
static const char *const traditional[][2] = {
	{ "新线索", "新線索" }, { "跟进中", "跟進中" }, { "已签约", "已簽約" },
	{ "已丢单", "已丟單" }, { "财务", "財務" }, { "待审批", "待審批" }, { "审批中", "審批中" },
	{ "已审批", "已審批" }, { "已驳回", "已駁回" }, { "跳过环节", "跳過環節" },
	{ "底线让步", "底線讓步" }, { "客户开发", "客戶開發" },
	{ "谈判签约", "談判簽約" }, { "项目交付", "項目交付" },
	{ "项目验收", "項目驗收" }, { "售后跟进", "售後跟進" },
	{ "复盘优化", "復盤優化" }, { "需求调研", "需求調研" },
	{ "销售代表", "銷售代表" }, { "销售主管", "銷售主管" },
	{ "销售经理", "銷售經理" }, { "产品专家", "產品專家" },
	{ "技术支持", "技術支持" }, { "法务", "法務" }, { "总经理", "總經理" },
	{ "交付团队", "交付團隊" }, { "售后专员", "售後專員" },
};

static bool same(const char *word, const char *s, size_t len)
{
	/* byte by byte: most values differ from s in their first bytes, and
	 * a load asks this of every enumeration cell */
	for (size_t i = 0; i < len; i++)
		if (word[i] != s[i])
			return false;   /* also where word ends first */
	return word[len] == '\0';
}

int sales_enum_find(const char *const *values, const char *s, size_t len)
{
	s = sales_trim(s, &len);
	/* the value as it stands first (the common case, and cheap): no
	 * traditional spelling is another value's simplified one, so the
	 * answer is the same as one pass trying both */
	for (int i = 0; values && values[i]; i++)
		if (same(values[i], s, len))
			return i;
	for (int i = 0; values && values[i]; i++)
		for (size_t k = 0; k < N(traditional); k++)
			if (!strcmp(traditional[k][0], values[i]) &&
			    same(traditional[k][1], s, len))
				return i;
	return -1;
}

bool sales_enum_has(const char *const *values, const char *s)
{
	return sales_enum_find(values, s, strlen(s)) >= 0;
}

const char *sales_enum_canonical(const char *const *values, const char *s)
{
	int i = sales_enum_find(values, s, strlen(s));

	return i >= 0 ? values[i] : NULL;
}

const struct sales_sheet_def *sales_sheet_find(const char *name)
{
	size_t n = strlen(name);
	const char *slash = strrchr(name, '/');

	if (slash)
		name = slash + 1;
	for (int i = 0; i < SALES_NSHEETS; i++) {
		const struct sales_sheet_def *d = &sheets[i];
		size_t ln = strlen(d->name);
		char num[8];

		if (!strcasecmp(name, d->file) || !strcasecmp(name, d->name) ||
		    !strcmp(name, d->title))
			return d;
		/* singular: "lead", "survey", "followup" */
		if (n + 1 == ln && d->name[ln - 1] == 's' &&
		    !strncasecmp(name, d->name, n))
			return d;
		if (d->stage_no) {
			snprintf(num, sizeof(num), "%d", d->stage_no);
			if (!strcmp(name, num))
				return d;
			snprintf(num, sizeof(num), "%02d", d->stage_no);
			if (!strcmp(name, num))
				return d;
		}
	}
	return NULL;
}

const struct sales_sheet_def *sales_sheet_by_stage(const char *name)
{
	int k = sales_enum_find(sales_stage_names, name, strlen(name));

	if (k < 0)
		return NULL;
	name = sales_stage_names[k];
	if (!strcmp(name, "需求调研"))
		return &sheets[SALES_SURVEYS];
	for (int i = 0; i < SALES_NSHEETS; i++)
		if (sheets[i].stage && !strcmp(sheets[i].stage, name))
			return &sheets[i];
	return NULL;
}

/* Variant characters seen in traditional headers, mapped to one form. */
static const char *const variants[][2] = {
	{ "繫", "系" }, { "註", "注" }, { "週", "周" }, { "（", "(" },
	{ "）", ")" }, { "／", "/" }, { "＊", "" }, { "　", "" },
};

size_t sales_header_normalize(const char *s, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	if (cap == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		bool done = false;

		if (s[i] == ' ' || s[i] == '\t' || s[i] == '*' || s[i] == '\r' ||
		    s[i] == '\n') {
			i++;
			continue;
		}
		for (size_t k = 0; k < N(variants); k++) {
			size_t vl = strlen(variants[k][0]);

			if (i + vl <= len && !memcmp(s + i, variants[k][0], vl)) {
				size_t rl = strlen(variants[k][1]);

				if (o + rl < cap) {
					memcpy(out + o, variants[k][1], rl);
					o += rl;
				}
				i += vl;
				done = true;
				break;
			}
		}
		if (done)
			continue;
		if (o + 1 < cap) {
			char c = s[i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c == '-')
				c = '_';
			out[o++] = c;
		}
		i++;
	}
	out[o] = '\0';
	return o;
}

/* Every column's three spellings, normalised once: a header is matched
 * cell by cell against every column (10,000 user columns took a second
 * when each comparison normalised the spellings again). */
static char spellings[SALES_NSHEETS][SALES_MAX_COLS][3][128];
static pthread_once_t spellings_once = PTHREAD_ONCE_INIT;

static void spellings_init(void)
{
	for (int id = 0; id < SALES_NSHEETS; id++) {
		for (size_t i = 0; i < sheets[id].ncolumns; i++) {
			const struct sales_column_def *c = &sheets[id].columns[i];
			const char *text[3] = { c->zh, c->zh_trad, c->key };

			for (int k = 0; k < 3; k++)
				sales_header_normalize(text[k], strlen(text[k]),
						       spellings[id][i][k],
						       sizeof(spellings[id][i][k]));
		}
	}
}

/* true when norm (a normalised header) names column i of def. */
static bool header_matches(const struct sales_sheet_def *def, size_t i,
			   const char *norm)
{
	char (*sp)[128] = spellings[def->id][i];

	pthread_once(&spellings_once, spellings_init);
	return !strcmp(sp[0], norm) || !strcmp(sp[1], norm) ||
	       !strcmp(sp[2], norm);
}

int sales_column_find(const struct sales_sheet_def *def, const char *name)
{
	char norm[256];

	/* commands ask with an exact spelling (often per row): find it
	 * without normalising every header; no two columns of a sheet share a
	 * spelling, so this is the column the loop below would find */
	for (size_t i = 0; i < def->ncolumns; i++)
		if (!strcmp(def->columns[i].key, name) ||
		    !strcmp(def->columns[i].zh, name))
			return (int)i;
	sales_header_normalize(name, strlen(name), norm, sizeof(norm));
	for (size_t i = 0; i < def->ncolumns; i++)
		if (header_matches(def, i, norm))
			return (int)i;
	return -1;
}

/* Why a header may lack a column it seems to have: it is one cell, so the
 * file uses another separator or starts with a title row. */
static const char *one_cell_hint(const struct sales_row *header)
{
	if (header->ncells != 1)
		return "";
	if (memchr(header->cells[0].s, ';', header->cells[0].len))
		return _(" (the header is one cell holding ';': save the file as CSV with commas between cells)");
	if (memchr(header->cells[0].s, '\t', header->cells[0].len))
		return _(" (the header is one cell holding tabs: save the file as CSV with commas between cells, not as tab-separated text)");
	return _(" (the header is one cell: the first row must be the header, without a title row above it)");
}

/* How many cells of header name a column of def. */
static size_t header_hits(const struct sales_sheet_def *def,
			  const struct sales_row *header)
{
	size_t hits = 0;

	for (size_t f = 0; f < header->ncells; f++) {
		char norm[256];

		sales_header_normalize(header->cells[f].s, header->cells[f].len,
				       norm, sizeof(norm));
		for (size_t i = 0; norm[0] && i < def->ncolumns; i++) {
			if (header_matches(def, i, norm)) {
				hits++;
				break;
			}
		}
	}
	return hits;
}

/*
 * The sheet whose columns a header names clearly more of than def's (at
 * least three, and more than def's own), or NULL: another sheet saved under
 * def's file name.  Only a header that names few of def's columns is
 * compared, so a full sheet with many user columns costs nothing.
 */
static const struct sales_sheet_def *
other_sheet(const struct sales_sheet_def *def, const struct sales_row *header,
	    const struct sales_colmap *m)
{
	const struct sales_sheet_def *best = NULL;
	size_t mine = 0, best_hits;

	for (size_t i = 0; i < def->ncolumns; i++)
		if (m->file_col[i] >= 0)
			mine++;
	if (mine * 2 > def->ncolumns || header->ncells > 64)
		return NULL;
	best_hits = mine > 2 ? mine : 2;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		size_t hits;

		if (id == (int)def->id)
			continue;
		hits = header_hits(&sheets[id], header);
		if (hits > best_hits) {
			best = &sheets[id];
			best_hits = hits;
		}
	}
	return best;
}

int sales_colmap_bind(struct sales_colmap *m, const struct sales_sheet_def *def,
		      const struct sales_row *header, const char *file,
		      struct sales_error *err)
{
	const struct sales_sheet_def *other;

	memset(m, 0, sizeof(*m));
	m->def = def;
	for (int i = 0; i < SALES_MAX_COLS; i++)
		m->file_col[i] = -1;
	m->nfile = header->ncells;
	m->schema_col = malloc((header->ncells ? header->ncells : 1) *
			       sizeof(int));
	if (!m->schema_col)
		return sales_error_set(err, SALES_ENOMEM, file, 0, 0,
				       "out of memory");
	for (size_t f = 0; f < header->ncells; f++) {
		char norm[256];
		int col = -1;

		sales_header_normalize(header->cells[f].s, header->cells[f].len,
				       norm, sizeof(norm));
		for (size_t i = 0; norm[0] && i < def->ncolumns; i++) {
			if (header_matches(def, i, norm)) {
				col = (int)i;
				break;
			}
		}
		m->schema_col[f] = col;
		if (col < 0)
			continue;
		if (m->file_col[col] >= 0) {
			sales_error_set(err, SALES_ESCHEMA, file, header->line,
					(int)f + 1,
					"duplicate column '%s': column %d is already %s (%s)",
					header->cells[f].s, m->file_col[col] + 1,
					def->columns[col].zh, def->columns[col].key);
			sales_error_set_cell(err, (int)f + 1, header->excel_row);
			sales_colmap_release(m);
			return -1;
		}
		m->file_col[col] = (int)f;
	}
	for (size_t i = 0; i < def->ncolumns; i++) {
		if ((def->columns[i].flags & SALES_COLF_HEADER) &&
		    m->file_col[i] < 0) {
			sales_error_set(err, SALES_ESCHEMA, file, header->line, 0,
					"missing column %s (%s) in the header%s",
					def->columns[i].zh, def->columns[i].key,
					one_cell_hint(header));
			sales_colmap_release(m);
			return -1;
		}
	}
	other = other_sheet(def, header, m);
	if (other) {
		sales_error_set(err, SALES_ESCHEMA, file, header->line, 0,
				"the header is that of %s (%s), not of %s (%s): was another sheet saved under this name?",
				other->file, other->title, def->file, def->title);
		sales_colmap_release(m);
		return -1;
	}
	return 0;
}

void sales_colmap_release(struct sales_colmap *m)
{
	free(m->schema_col);
	m->schema_col = NULL;
}

bool sales_fill_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

int sales_record_from_row(struct sales_record *rec, const struct sales_colmap *m,
			  const struct sales_row *row,
			  struct sales_filldown *fd)
{
	const struct sales_sheet_def *def = m->def;
	int key = m->file_col[0];
	size_t n = m->nfill ? m->nfill : def->ncolumns;

	rec->row = row;
	rec->continuation = false;
	if (!m->nfill) {
		/* every column: each load reads a million rows through here */
		const struct sales_cell *cells = row->cells;
		size_t ncells = row->ncells;

		for (size_t i = 0; i < n; i++) {
			int f = m->file_col[i];

			rec->v[i] = f >= 0 && (size_t)f < ncells ? cells[f].s : "";
			rec->filled[i] = false;
		}
	} else {
		for (size_t k = 0; k < n; k++) {
			size_t i = m->fill[k];
			int f = m->file_col[i];

			rec->v[i] = f >= 0 && (size_t)f < row->ncells ?
				    row->cells[f].s : "";
			rec->filled[i] = false;
		}
	}
	if (!fd || !(def->columns[0].flags & SALES_COLF_FILL_DOWN) || key < 0)
		return 0;
	if (sales_fill_blank(rec->v[0]) && fd->have) {
		/* "same as above" (SPEC §3): the row above's value, which a
		 * continuation row that has one of its own passes on to the
		 * rows below it, as the writers' walk up the sheet reads it
		 * (txn.c current_values) */
		rec->continuation = true;
		for (size_t k = 0; k < n; k++) {
			size_t i = m->nfill ? m->fill[k] : k;

			if (!(def->columns[i].flags & SALES_COLF_FILL_DOWN))
				continue;
			if (sales_fill_blank(rec->v[i])) {
				rec->v[i] = fd->prev[i].data ? fd->prev[i].data : "";
				rec->filled[i] = true;
				continue;
			}
			sales_buf_reset(&fd->prev[i]);
			if (sales_buf_addstr(&fd->prev[i], rec->v[i]) < 0)
				return -1;
		}
		return 0;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = m->nfill ? m->fill[k] : k;

		/* the row's own value (the loops above): never fd->prev */
		if (!(def->columns[i].flags & SALES_COLF_FILL_DOWN))
			continue;
		sales_buf_reset(&fd->prev[i]);
		if (sales_buf_addstr(&fd->prev[i], rec->v[i]) < 0)
			return -1;
	}
	fd->have = true;
	return 0;
}

void sales_filldown_release(struct sales_filldown *fd)
{
	for (int i = 0; i < SALES_MAX_COLS; i++)
		sales_buf_release(&fd->prev[i]);
	fd->have = false;
}

/* ---- confidentiality (SPEC §4 rule 10) ---- */

static void mask(const struct sales_column_def *c, const char *v,
		 struct sales_buf *out)
{
	size_t len = strlen(v);

	v = sales_trim(v, &len);
	if (!len)
		return;
	if (c->type == SALES_COL_PHONE) {
		char digits[SALES_PHONE_DIGITS_MAX];
		unsigned flags = 0;
		size_t n;

		if (sales_parse_phone(v, len, digits, sizeof(digits), &flags) ==
			    SALES_VALUE_OK && (n = strlen(digits)) >= 7) {
			sales_buf_add(out, digits, 3);
			for (size_t i = 3; i + 4 < n; i++)
				sales_buf_addch(out, '*');
			sales_buf_add(out, digits + n - 4, 4);
			return;
		}
	} else if ((c->flags & SALES_COLF_PERSONAL) && c->type == SALES_COL_TEXT) {
		uint32_t cp;

		sales_buf_add(out, v, sales_utf8_decode(v, len, &cp));
		sales_buf_addstr(out, "**");
		return;
	}
	sales_buf_addstr(out, "***");
}

bool sales_redact(enum sales_sheet_id id, int col, const char *const *row,
		  const char *value, struct sales_buf *out)
{
	const struct sales_sheet_def *def = sales_sheet_def(id);
	const struct sales_column_def *c;

	sales_buf_reset(out);
	if (!def || col < 0 || (size_t)col >= def->ncolumns)
		return false;
	c = &def->columns[col];
	if (id == SALES_AUDIT && (col == AUDIT_OLD || col == AUDIT_NEW)) {
		/* 原值/新值 are masked as the column the audit row names */
		const struct sales_sheet_def *named =
			row ? sales_sheet_find(row[AUDIT_SHEET]) : NULL;
		int nc = named ? sales_column_find(named, row[AUDIT_COLUMN]) : -1;

		if (nc < 0 || !(named->columns[nc].flags & SALES_COLF_CONFIDENTIAL))
			return false;
		c = &named->columns[nc];
	} else if (!(c->flags & SALES_COLF_CONFIDENTIAL)) {
		return false;
	}
	mask(c, value ? value : "", out);
	if (!out->data)
		sales_buf_addstr(out, "");
	return true;
}
