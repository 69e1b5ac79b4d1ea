/*
 * check.c - the named checks of `sales check`; see check.h for the contract.
 *
 * One pass: the model streams 01..07 and exceptions.csv once, calling
 * on_row for each record; rules that need only the row and the sheets
 * before it run there.  Sheets stream in process order, so when a row of
 * sheet N arrives every earlier sheet is complete in the model.  Rules that
 * need a whole customer, or exceptions.csv (read last), run after the load.
 * Findings are collected with their strings in one text pool (offsets until
 * the end, when the pool stops moving); with options.stream every few
 * thousand go to a sorted run in a temporary file (spill, findrun.h).
 */
#include "check.h"
#include "buf.h"
#include "i18n.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calendar.h"
#include "damage.h"
#include "i18n.h"
#include "facts.h"
#include "findrun.h"
#include "floor.h"
#include "leads.h"
#include "model.h"
#include "readahead.h"
#include "rules.h"
#include "resolve.h"
#include "changes.h"
#include "txn.h"
#include "targets.h"
#include "text.h"
#include "validate.h"
#include "workbook.h"

const struct sales_check_def sales_check_defs[SALES_NCHECKS] = {
	[SALES_CHECK_STAGES] = { "stages", SALES_SEV_ERROR, N_("sales-workbook(5) rule 1"),
		N_("no stage skipped: a customer in a later sheet is in every earlier stage sheet (02..06), unless a 跳过环节 exception allows it") },
	[SALES_CHECK_ORDER] = { "order", SALES_SEV_ERROR, N_("sales-workbook(5) rule 1"),
		N_("dates in process order: no stage dated before an earlier stage began; 评审日期 not before 提交日期") },
	[SALES_CHECK_SCREENING] = { "screening", SALES_SEV_ERROR, N_("sales-workbook(5) rule 2"),
		N_("线索等级 set within deadline.screening_days working days of 登记日期 (a 延期 exception extends it)") },
	[SALES_CHECK_PROPOSAL] = { "proposal", SALES_SEV_ERROR, N_("sales-workbook(5) rule 3"),
		N_("提交日期 within deadline.proposal_days working days of the last 调研时间 (a 延期 exception extends it)") },
	[SALES_CHECK_APPROVALS] = { "approvals", SALES_SEV_ERROR, N_("sales-workbook(5) rule 4"),
		N_("approval order 销售经理 → 法务 → 总经理, 审批状态 matching the opinions, signed only when 已审批, 客户状态 已签约 exactly when a contract is signed") },
	[SALES_CHECK_GATES] = { "gates", SALES_SEV_ERROR, N_("sales-workbook(5) rule 5"),
		N_("a contract needs a passed proposal review, delivery an approved contract, after-sales an accepted (合格) project") },
	[SALES_CHECK_PAYMENTS] = { "payments", SALES_SEV_ERROR, N_("sales-workbook(5) rule 6"),
		N_("unpaid payment.collection_days or more past 付款到期日 is an error (催款); overdue less, or due within payment.remind_days, a warning") },
	[SALES_CHECK_STALLED] = { "stalled", SALES_SEV_WARNING, N_("sales-workbook(5) rule 7"),
		N_("A类 leads not 已签约 or 已丢单 with no contact for stalled.days") },
	[SALES_CHECK_AFTERSALES] = { "aftersales", SALES_SEV_ERROR, N_("sales-workbook(5) rule 8"),
		N_("a follow-up at least every aftersales.interval_days during aftersales.warranty_days after the 合格 acceptance") },
	[SALES_CHECK_TIMELINESS] = { "timeliness", SALES_SEV_ERROR, N_("sales-workbook(5) rule 9"),
		N_("最后跟进时间 not older than the customer's latest dated activity; no date of something done lies after the as-of date") },
	[SALES_CHECK_REFS] = { "refs", SALES_SEV_ERROR, N_("sales-workbook(5) rule 10"),
		N_("every customer named in 02..07, exceptions.csv and changes.csv is in 01-leads.csv (with a \"did you mean\")") },
	[SALES_CHECK_VALUES] = { "values", SALES_SEV_ERROR, N_("sales-workbook(5) rule 10"),
		N_("required cells filled, values parse by column type, no Excel-mangled phones or dates") },
	[SALES_CHECK_DUPLICATES] = { "duplicates", SALES_SEV_ERROR, N_("sales-workbook(5) rule 11"),
		N_("客户名称 unique in 01 and 合同编号 unique in 04; near-duplicate customer names are warnings") },
	[SALES_CHECK_INJECTION] = { "injection", SALES_SEV_ERROR, N_("sales-workbook(5) rule 12"),
		N_("cells that Excel or WPS would run as a formula (=, +, -, @, tab, CR)") },
	[SALES_CHECK_EXCEPTIONS] = { "exceptions", SALES_SEV_ERROR, N_("sales-workbook(5) rule 1"),
		N_("exceptions.csv rows that do not count: no reason, or an approver who is not a 销售经理 in team.csv") },
	[SALES_CHECK_FLOOR] = { "floor", SALES_SEV_ERROR, N_("sales-workbook(5) rule 13"),
		N_("no contract below the negotiation floor (floor.max_discount off the passed proposal's 报价, floor.min_duration_days of its 实施周期) without an approved 底线让步 exception") },
	[SALES_CHECK_CSV] = { "csv", SALES_SEV_WARNING, N_("sales-workbook(5) rule 12"),
		N_("cells read as Excel reads them though not strict CSV: a quote inside an unquoted cell, text after a closing quote, a leading U+FEFF") },
	[SALES_CHECK_CHANGE] = { "change", SALES_SEV_ERROR, N_("sales-workbook(5) rule 16"),
		N_("a delivery phase whose end moved later, or a signed contract whose 合同金额 changed (audit.csv), is covered by approved changes in changes.csv (需求变更确认单); each change names its contract, a 销售经理 or 总经理 approves it and the customer confirms it") },
	[SALES_CHECK_DAMAGE] = { "damage", SALES_SEV_ERROR, N_("sales-workbook(5) rule 12"),
		N_("cells that differ from what sales wrote (audit.csv) the way a spreadsheet changes them: leading zeros dropped, digits past the 15th lost, text turned into a date or a number, 序号 renumbered") },
	[SALES_CHECK_POOL] = { "pool", SALES_SEV_WARNING, N_("sales-workbook(5) rule 14"),
		N_("open leads nobody followed up that return to the lead pool (公海) within pool.warn_days working days, or are past their recall date") },
	[SALES_CHECK_TARGETS] = { "targets", SALES_SEV_ERROR, N_("sales-workbook(5) rule 15"),
		N_("targets.csv rows that `sales report` cannot use: 对象 not a name in team.csv, a 区域 nor 团队; 月份 not a month; an unknown 指标; a 目标值 that is not a number in the metric's unit") },
};

int sales_check_find(const char *name)
{
	for (int i = 0; i < SALES_NCHECKS; i++)
		if (!strcmp(sales_check_defs[i].name, name))
			return i;
	return -1;
}

const char *sales_severity_name(enum sales_severity s)
{
	switch (s) {
	case SALES_SEV_ERROR:
		return N_("error");
	case SALES_SEV_WARNING:
		return N_("warning");
	case SALES_SEV_NOTE:
		return N_("note");
	default:
		return N_("info");
	}
}

/* ---- internal state ---- */

#define NONE_OFF SIZE_MAX
#define SPILL_AT 16384          /* findings held before a run is written */
#define SPILL_TEXT (2u << 20)   /* or bytes of their text */

struct raw {
	uint8_t check, severity, sheet;
	long line, excel_row;
	int column;              /* 1-based, 0 when unknown */
	size_t customer, message, explain;   /* offsets in text */
	long cust;               /* customer index for skip exceptions, -1 */
	int skip_sheet;          /* the skipped stage's sheet, -1 */
	bool dropped;
};

/* A key table: open addressing, linear probing, at most half full, a
 * slot of 4 bytes as in the model's customer index (buf.h
 * sales_slot_mask): the entry's model index + 1 below the tag of the
 * key's hash.  The
 * key's text is not kept but made again from the model when a probe meets
 * the same tag (a name's key from the customer's name, a 合同编号 from the
 * contract), so a million customers cost no second copy of their names;
 * growing makes each key's hash again, so the names table grows at once
 * to the size the model's index has reserved for the workbook's
 * customers. */
struct keytab {
	uint32_t *e;
	size_t cap, n;
	bool names;              /* keys are sales_name_key of customers */
};

/*
 * Values already judged, per thread: a cell's verdict (cell_verdict's
 * CELL_PASS) and team.csv's answer (team_bad) follow from its sheet,
 * column and text alone (sales_cell_reads_row false), and a workbook repeats few
 * texts in most judged columns (企业规模, 线索等级, 负责人, 线索评分), so a
 * text seen passing once is not parsed again.  Only passes are kept (a
 * failure's message is made each time).  A column whose texts rarely
 * repeat stops asking after MEMO_TRIAL lookups.
 */
#define MEMO_SLOTS 32768         /* a power of two */
#define MEMO_FULL (MEMO_SLOTS / 2)
#define MEMO_TEXT 64             /* longer texts are not kept */
#define MEMO_TRIAL 4096
#define MEMO_PER_COL 512         /* texts kept per column and kind */

enum memo_kind { MEMO_PASS, MEMO_TEAM };

struct memo_ent {
	uint64_t h;
	uint32_t off;            /* in text */
	uint8_t len, id, col, kind;   /* id 0xFF: empty */
};

struct memo {
	struct memo_ent *e;      /* MEMO_SLOTS, made at the first use */
	struct sales_buf text;
	size_t n;
	uint32_t asked[2][SALES_NSHEETS][SALES_MAX_COLS];
	uint32_t hits[2][SALES_NSHEETS][SALES_MAX_COLS];
	uint16_t kept[2][SALES_NSHEETS][SALES_MAX_COLS];
	bool failed;             /* ENOMEM: no memo, same verdicts */
};

struct state {
	const struct sales_context *ctx;
	const struct sales_check_options *opt;
	sales_date as_of;
	struct raw *raw;
	size_t nraw, rawcap;
	struct sales_buf text;
	struct sales_buf text2;  /* spill's second pool (the kept findings') */
	struct keytab names;     /* sales_name_key of 01 names */
	size_t names_upto;       /* customers whose lead row names holds */
	struct keytab contracts; /* 合同编号 */
	int cols[SALES_NSHEETS][SALES_MAX_COLS];
	bool have_cols[SALES_NSHEETS];
	size_t dym_budget;       /* names left to compare for "did you mean" */
	int ccol[SALES_NSHEETS]; /* each sheet's 客户名称 column, or -1 */
	/* bit col: the validator passes any value there (sales_cell_any_text) */
	uint32_t any_text[SALES_NSHEETS];
	const char *only_customer, *only_owner;   /* narrowing, resolved */
	long only;               /* only_customer's index once resolved, -1 */
	/* --customer as typed, while the rows load: the rows of the other
	 * customers get only what later rows read (names, contract numbers,
	 * the floor); a name that resolves to another spelling runs again
	 * without it.  pre_c: its index once a row named it, else -1. */
	char *pre_name;
	long pre_c;
	/* a session (sales_check_session_row): the caller says of each row
	 * whether its customer could be the one named (candidate) */
	bool caller_filters, candidate;
	struct sales_buf why;    /* the validator's message for a bad cell */
	struct sales_written *written;     /* audit.csv, for damage */
	struct sales_buf prep_why;   /* the same, in the parsing thread */
	/* the caller's thread's memo; the parsing thread's (check_prep's,
	 * touched where prep_why is) */
	struct memo memo, prep_memo;
	pthread_t owner;         /* the caller's thread (state_open's) */
	/* bit col: the verdict follows from the text (not sales_cell_reads_row) */
	uint32_t alone[SALES_NSHEETS];
	/* bit col: every column of the sheet; its date columns; those of
	 * them that hold a date of something done (row_future) */
	uint32_t cols_all[SALES_NSHEETS], cols_date[SALES_NSHEETS];
	uint32_t cols_event[SALES_NSHEETS];
	/* from 03, only for the customers with a passed proposal: floor_of[c]
	 * is 1 + the index of customer c's basis in floor, 0 for none */
	uint32_t *floor_of;
	size_t nfloor_of;
	struct sales_floor_basis *floor;
	size_t nfloor, afloor;
	struct sales_change_history *hist; /* audit.csv for `change`, or NULL */
	struct change_row *changes;        /* changes.csv, judged */
	size_t nchanges, changes_alloc;
	struct plan_slip *slips;           /* 05 phases that end later than planned */
	size_t nslips, slips_alloc;
	bool nomem;
	/* options.stream: the findings made so far go to runs (findrun.h)
	 * when spill_at of them are held; the refs findings resolve_skips
	 * still changes stay until skips_done */
	struct sales_check_result *res;
	struct sales_findrun *runs;
	struct sales_finding *batch;
	size_t batchcap, spill_at;
	bool stream, skips_done;
	int spill_failed;    /* the error is in spill_err */
	struct sales_error spill_err;
};

/* A row of changes.csv as check judged it. */
struct change_row {
	long customer, contract;
	double cost;
	long days;
	bool approved;
};

/* A delivery phase whose end moved later than first planned. */
struct plan_slip {
	long customer;
	long line, row;
	int column;
	long days;
	sales_date planned, end;
	char *phase;             /* 项目阶段 (owned: findings may spill text) */
};

static bool on(const struct state *st, enum sales_check_id id)
{
	return !st->opt->checks || (st->opt->checks & (1u << id));
}

static const char *trim(const char *s, size_t *len)
{
	*len = strlen(s);
	return sales_trim(s, len);
}

static bool blank(const char *s)
{
	size_t len;

	trim(s, &len);
	return len == 0;
}

static const char *file_of(enum sales_sheet_id id)
{
	return sales_sheet_def(id)->file;
}

/* 1-based file column of schema column col of sheet id, else of its
 * customer column, else 0. */
static int column_of(const struct state *st, enum sales_sheet_id id, int col)
{
	int ccol;

	if (!st->have_cols[id])
		return 0;
	if (col >= 0 && st->cols[id][col] >= 0)
		return st->cols[id][col] + 1;
	ccol = st->ccol[id];
	if (ccol >= 0 && st->cols[id][ccol] >= 0)
		return st->cols[id][ccol] + 1;
	return 0;
}

static size_t text_add(struct state *st, const char *s, size_t len)
{
	size_t off = st->text.len;

	if (sales_buf_add(&st->text, s, len) < 0 ||
	    sales_buf_addch(&st->text, '\0') < 0) {
		st->nomem = true;
		return NONE_OFF;
	}
	return off;
}

static size_t text_vprintf(struct state *st, const char *fmt, va_list ap)
{
	size_t off = st->text.len;
	char small[512];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(small, sizeof(small), fmt, copy);
	va_end(copy);
	if (n < 0) {
		st->nomem = true;
		return NONE_OFF;
	}
	if ((size_t)n < sizeof(small))
		return text_add(st, small, (size_t)n);
	if (sales_buf_grow(&st->text, (size_t)n + 1) < 0) {
		st->nomem = true;
		return NONE_OFF;
	}
	vsnprintf(st->text.data + off, (size_t)n + 1, fmt, ap);
	st->text.len += (size_t)n + 1;
	return off;
}

static size_t text_printf(struct state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t text_printf(struct state *st, const char *fmt, ...)
{
	va_list ap;
	size_t off;

	va_start(ap, fmt);
	off = text_vprintf(st, fmt, ap);
	va_end(ap);
	return off;
}

/*
 * Records a finding; returns its index, or -1 when the check is off or
 * memory ran out.  column is 1-based (0 unknown), customer may be NULL.
 */
static long add(struct state *st, enum sales_check_id check,
		enum sales_severity sev, enum sales_sheet_id sheet, long line,
		long excel_row, int column, const char *customer,
		const char *fmt, ...) __attribute__((format(printf, 9, 10)));

static long add(struct state *st, enum sales_check_id check,
		enum sales_severity sev, enum sales_sheet_id sheet, long line,
		long excel_row, int column, const char *customer,
		const char *fmt, ...)
{
	struct raw *r;
	va_list ap;
	size_t clen;
	const char *c;

	if (!on(st, check) || st->nomem)
		return -1;
	if (SALES_ALLOC_GROW(st->raw, st->nraw + 1, st->rawcap) < 0) {
		st->nomem = true;
		return -1;
	}
	r = &st->raw[st->nraw];
	memset(r, 0, sizeof(*r));
	r->check = (uint8_t)check;
	r->severity = (uint8_t)sev;
	r->sheet = (uint8_t)sheet;
	r->line = line;
	r->excel_row = excel_row;
	r->column = column;
	r->cust = -1;
	r->skip_sheet = -1;
	r->explain = NONE_OFF;
	c = trim(customer ? customer : "", &clen);
	r->customer = text_add(st, c, clen);
	va_start(ap, fmt);
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2] && !strcmp(_(fmt), fmt)) {
		/* a message made already (most of them: the validator's) */
		const char *m = va_arg(ap, const char *);

		if (!m)
			m = "(null)";   /* as printf shows it */
		r->message = text_add(st, m, strlen(m));
	} else {
		r->message = text_vprintf(st, _(fmt), ap);
	}
	va_end(ap);
	if (st->nomem)
		return -1;
	return (long)st->nraw++;
}

static void set_explain(struct state *st, long i, const char *prefix,
			const char *text)
{
	if (i >= 0 && st->opt->explain)
		st->raw[i].explain = text_printf(st, "%s%s", prefix, text);
}

/* ---- the key tables ---- */

/* The text of entry val (its index in the model) in buf[1024]. */
static const char *key_text(const struct keytab *t, const struct sales_model *m,
			    uint32_t val, char *buf, size_t *len)
{
	const char *s = t->names ? sales_model_str(m, m->customers[val].name) :
			sales_model_str(m, m->contracts[val].id);

	*len = strlen(s);
	if (!t->names)
		return s;
	*len = sales_name_key(s, *len, buf, 1024);
	return buf;
}

/* The hash of entry val's key, made again. */
static uint32_t key_hash_of(const struct keytab *t, const struct sales_model *m,
			    uint32_t val)
{
	const char *s = t->names ? sales_model_str(m, m->customers[val].name) :
			sales_model_str(m, m->contracts[val].id);

	return t->names ? (uint32_t)sales_name_key_hash(s, strlen(s)) :
	       (uint32_t)sales_hash(s, strlen(s));
}

/* Room for one more entry, of model index val: half full at most, and
 * val + 1 fits below the tag. */
static int key_grow(struct keytab *t, const struct sales_model *m,
		    uint32_t val)
{
	size_t ncap = t->cap ? t->cap * 2 : 256;
	uint32_t *ne, omask = sales_slot_mask(t->cap ? t->cap : 1), nmask;

	if (t->n * 2 < t->cap && (size_t)val + 1 < t->cap / 2)
		return 0;
	while (t->n * 2 >= ncap || (size_t)val + 1 >= ncap / 2)
		ncap *= 2;
	if (t->names && ncap < m->index_cap)
		ncap = m->index_cap;   /* the customers the model expects */
	ne = sales_zalloc(ncap, sizeof(*ne));
	if (!ne)
		return -1;
	nmask = sales_slot_mask(ncap);
	for (size_t i = 0; i < t->cap; i++) {
		uint32_t v = t->e[i] & omask, hash;
		size_t h;

		if (!v)
			continue;
		hash = key_hash_of(t, m, v - 1);
		h = hash & (ncap - 1);
		while (ne[h])
			h = (h + 1) & (ncap - 1);
		ne[h] = (hash & ~nmask) | v;
	}
	free(t->e);
	t->e = ne;
	t->cap = ncap;
	return 0;
}

/* The model index of the entry of key k[0..len) whose sales_hash is hash,
 * or -1.  A names table may be given k NULL and the name instead (len its
 * length): its key is then made only when an entry has the same tag. */
static long key_find_hashed(const struct keytab *t, const struct sales_model *m,
			    uint32_t hash, const char *k, size_t len,
			    const char *name)
{
	char key[1024];
	uint32_t mask, v;
	size_t h;

	if (!t->cap)
		return -1;
	mask = sales_slot_mask(t->cap);
	h = hash & (t->cap - 1);
	while ((v = t->e[h])) {
		char buf[1024];
		size_t qlen;
		const char *q;

		if ((v & ~mask) == (hash & ~mask)) {
			if (!k) {
				len = sales_name_key(name, len, key, sizeof(key));
				k = key;
			}
			q = key_text(t, m, (v & mask) - 1, buf, &qlen);
			if (qlen == len && !memcmp(q, k, len))
				return (long)(v & mask) - 1;
		}
		h = (h + 1) & (t->cap - 1);
	}
	return -1;
}

/* The model index of the entry of key k, or -1. */
static long key_find(const struct keytab *t, const struct sales_model *m,
		     const char *k, size_t len)
{
	return key_find_hashed(t, m, (uint32_t)sales_hash(k, len), k, len,
			       NULL);
}

/* Adds a key (not yet in t) whose sales_hash is hash, of model entry val;
 * 0 or -1 on ENOMEM. */
static int key_add_hashed(struct keytab *t, const struct sales_model *m,
			  uint32_t hash, uint32_t val)
{
	size_t h;

	if (val >= UINT32_MAX / 4 || key_grow(t, m, val) < 0)
		return -1;
	h = hash & (t->cap - 1);
	while (t->e[h])
		h = (h + 1) & (t->cap - 1);
	t->e[h] = (hash & ~sales_slot_mask(t->cap)) | (val + 1);
	t->n++;
	return 0;
}

/* Adds key k (not yet in t) of model entry val; 0 or -1 on ENOMEM. */
static int key_add(struct keytab *t, const struct sales_model *m,
		   const char *k, size_t len, uint32_t val)
{
	return key_add_hashed(t, m, (uint32_t)sales_hash(k, len), val);
}

static void key_release(struct keytab *t)
{
	free(t->e);
	t->e = NULL;
	t->cap = t->n = 0;
}

/* ---- helpers on the model ---- */

static const char *cname(const struct sales_model *m, long c)
{
	return c >= 0 ? sales_model_str(m, m->customers[c].name) : "";
}

/* " (holidays.csv has no rows for 2030: counted Monday–Friday only)" when
 * a year from a to b is unknown, else "". */
static const char *unknown_years(const struct state *st, sales_date a,
				 sales_date b, char *buf, size_t size)
{
	int ya, yb, n = 0;
	size_t len = 0;

	buf[0] = '\0';
	if (a == SALES_DATE_NONE || b == SALES_DATE_NONE)
		return buf;
	sales_date_to_ymd(a < b ? a : b, &ya, NULL, NULL);
	sales_date_to_ymd(a < b ? b : a, &yb, NULL, NULL);
	for (int y = ya; y <= yb && len + 16 < size; y++) {
		if (sales_calendar_year_known(st->ctx->calendar, y))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%d",
					n++ ? _(", ") : _(" (holidays.csv has no rows for "),
					y);
	}
	if (n && len + 40 < size)
		snprintf(buf + len, size - len,
			 _(": working days counted as Monday–Friday)"));
	return buf;
}

/* The exception's own words, for notes: "exceptions.csv:2, 吴磊: 原因". */
static const char *exc_label(const struct sales_model_exception *e, char *buf,
			     size_t size)
{
	size_t rlen;
	const char *r = trim(e->e.reason, &rlen);

	snprintf(buf, size, _("exceptions.csv:%u, approved by %s: %.*s"),
		 (unsigned)e->line, e->e.approver, (int)rlen, r);
	return buf;
}

/* "; the exception on exceptions.csv:4 does not count: <why>" or "". */
static const char *invalid_suffix(const struct sales_model_exception *bad,
				  char *buf, size_t size)
{
	buf[0] = '\0';
	if (bad)
		snprintf(buf, size,
			 _("; the exception on exceptions.csv:%u does not count: %s"),
			 (unsigned)bad->line,
			 bad->why_invalid ? bad->why_invalid : _("it is not valid"));
	return buf;
}

/* ---- per-row rules ---- */

struct rowctx {
	struct state *st;
	const struct sales_row_event *ev;
	enum sales_sheet_id id;
	const char *customer;
	long line, row;
	/* each date column parsed once: its status (enum sales_value_status,
	 * as in sales_row_prep) and date (NONE unless OK) */
	uint8_t dstat[SALES_MAX_COLS];
	sales_date date[SALES_MAX_COLS];
};

/* A finding at schema column col of the current row. */
#define AT(rc, check, sev, col, ...) \
	add((rc)->st, (check), (sev), (rc)->id, (rc)->line, (rc)->row, \
	    (rc)->ev->map->file_col[(col)] >= 0 ? \
		    (rc)->ev->map->file_col[(col)] + 1 : 0, \
	    (rc)->customer, __VA_ARGS__)

enum cell_verdict { CELL_SKIP, CELL_PASS, CELL_EMPTY, CELL_BAD, CELL_DAMAGED };


/* The slot of (kind, id, col, s) in m, or NULL when m does not ask for
 * that column (anymore); *hit says whether it is held there. */
static struct memo_ent *memo_find(struct memo *m, enum memo_kind kind,
				  enum sales_sheet_id id, int col,
				  const char *s, size_t len, uint64_t *hp,
				  bool *hit)
{
	uint32_t *asked = &m->asked[kind][id][col];
	uint64_t h;
	size_t i;

	*hit = false;
	if (m->failed || len > MEMO_TEXT ||
	    (*asked >= MEMO_TRIAL &&
	     m->hits[kind][id][col] < *asked / 2))
		return NULL;
	if (!m->e) {
		if (!(m->e = malloc(MEMO_SLOTS * sizeof(*m->e)))) {
			m->failed = true;
			return NULL;
		}
		for (i = 0; i < MEMO_SLOTS; i++)
			m->e[i].id = 0xFF;
	}
	if (*asked < MEMO_TRIAL)
		++*asked;
	*hp = h = sales_hash_fast(s, len) ^
		  ((uint64_t)kind << 16 | (uint64_t)id << 8 | (uint64_t)col) *
		  0x9E3779B97F4A7C15ULL;
	for (i = (size_t)h & (MEMO_SLOTS - 1); m->e[i].id != 0xFF;
	     i = (i + 1) & (MEMO_SLOTS - 1)) {
		const struct memo_ent *e = &m->e[i];

		if (e->h == h && e->len == len && e->id == id && e->col == col &&
		    e->kind == kind && !memcmp(m->text.data + e->off, s, len)) {
			if (m->asked[kind][id][col] < MEMO_TRIAL)
				m->hits[kind][id][col]++;
			*hit = true;
			break;
		}
	}
	return &m->e[i];
}

/* Keeps s in slot e (memo_find's, not a hit). */
static void memo_keep(struct memo *m, struct memo_ent *e, enum memo_kind kind,
		      enum sales_sheet_id id, int col, const char *s,
		      size_t len, uint64_t h)
{
	size_t off = m->text.len;

	if (m->n >= MEMO_FULL || m->kept[kind][id][col] >= MEMO_PER_COL ||
	    off > UINT32_MAX - MEMO_TEXT)
		return;
	if (sales_buf_add(&m->text, s, len) < 0) {
		m->failed = true;
		return;
	}
	*e = (struct memo_ent){ h, (uint32_t)off, (uint8_t)len, (uint8_t)id,
				(uint8_t)col, (uint8_t)kind };
	m->kept[kind][id][col]++;
	m->n++;
}

static void memo_release(struct memo *m)
{
	free(m->e);
	sales_buf_release(&m->text);
}

/* Rule 10 for one cell: the one validator's verdict (validate.h), why it
 * fails in why.  Pure (the record only): the parsing thread runs it too
 * (check_prep).  Membership of team.csv is team_verdict's.  The
 * future-date part of rule 9 is row_future's (timeliness). */
static inline __attribute__((always_inline)) enum cell_verdict
cell_verdict(enum sales_sheet_id id,
				      const struct sales_colmap *map,
				      const struct sales_record *rec, int col,
				      uint32_t any_text, uint32_t alone,
				      const uint8_t *dstat,
				      const sales_date *date,
				      struct memo *memo,
				      struct sales_buf *why)
{
	const struct sales_row *row = rec->row;
	int fc = map->file_col[col];
	const char *v = rec->v[col], *s;
	size_t n, len;
	struct memo_ent *e = NULL;
	uint64_t h = 0;
	bool hit;

	if (fc < 0 || rec->filled[col])
		return CELL_SKIP;
	if ((size_t)fc >= row->ncells)
		return CELL_EMPTY;   /* v is "" */
	if (row->cells[fc].flags & SALES_CELL_FORMULA)
		return CELL_SKIP;   /* the injection rule reports it */
	n = len = row->cells[fc].len;   /* v is the cell's text */
	s = sales_trim(v, &len);
	if (!len)
		return CELL_EMPTY;
	/* the validator passes any value of an any_text column: no call
	 * then, nor a memo; a date column's cell was read as a date
	 * already (dstat, date: the row's) */
	if (!(any_text & (1u << col))) {
		/* a date was read already (dstat): judging it costs less than a
		 * lookup */
		if (memo && (alone & (1u << col)) &&
		    map->def->columns[col].type != SALES_COL_DATE) {
			e = memo_find(memo, MEMO_PASS, id, col, v, n, &h, &hit);
			if (hit)
				return CELL_PASS;
		}
		if ((map->def->columns[col].type == SALES_COL_DATE ?
		     sales_cell_check_date(id, col, s, len,
					   (enum sales_value_status)dstat[col],
					   date[col], SALES_DATE_NONE, why) :
		     sales_cell_check_trimmed(id, col, s, len, rec->v,
					      SALES_DATE_NONE, why)) !=
		    SALES_CELL_OK)
			return CELL_BAD;
	}
	/* valid as its column's text, but a spreadsheet's damage */
	if (sales_cell_may_be_damaged(v, n) && sales_cell_damaged_n(v, n, why))
		return CELL_DAMAGED;
	if (e)
		memo_keep(memo, e, MEMO_PASS, id, col, v, n, h);
	return CELL_PASS;
}

/* A cell the validator passed (or found damaged): is a name column's name
 * in team.csv?  CELL_BAD with why when not.  Pure (ctx does not change
 * while the workbook loads): the parsing thread asks it too.  memo (may be
 * NULL) is the asking thread's. */
static bool team_bad_named(const struct sales_context *ctx,
			   enum sales_sheet_id id,
			   const struct sales_record *rec, int col,
			   struct memo *memo, struct sales_buf *why);

static inline bool team_bad(const struct sales_context *ctx,
			    enum sales_sheet_id id,
			    const struct sales_colmap *map,
			    const struct sales_record *rec, int col,
			    struct memo *memo, struct sales_buf *why)
{
	/* the column's flag first, here in the caller's loop: most columns
	 * name nobody; the exceptions rule judges an approver */
	if (!(map->def->columns[col].flags & SALES_COLF_TEAM) ||
	    (id == SALES_EXCEPTIONS && col == EXC_APPROVER))
		return false;
	return team_bad_named(ctx, id, rec, col, memo, why);
}

/* team_bad for a column that names a team member. */
static bool team_bad_named(const struct sales_context *ctx,
			   enum sales_sheet_id id,
			   const struct sales_record *rec, int col,
			   struct memo *memo, struct sales_buf *why)
{
	const char *v = rec->v[col];
	struct memo_ent *e = NULL;
	uint64_t h = 0;
	size_t n;
	bool hit = false;

	n = strlen(v);
	if (memo)
		e = memo_find(memo, MEMO_TEAM, id, col, v, n, &h, &hit);
	if (hit)
		return false;
	if (sales_cell_team_check(ctx, id, col, v, why) != SALES_CELL_OK)
		return true;
	if (e)
		memo_keep(memo, e, MEMO_TEAM, id, col, v, n, h);
	return false;
}

static uint32_t lead_key_hash(const char *v)
{
	size_t nlen;
	const char *name = trim(v, &nlen);

	return (uint32_t)sales_name_key_hash(name, nlen);
}

/* In the parsing thread (model.h): bit col set when cell col passes the
 * validator (and team.csv's roster), so that on_row only judges the
 * others; a lead's word is the hash of its name's key (row_lead).  Writes
 * nothing but st->prep_why. */
static void check_prep(void *ud, enum sales_sheet_id id,
		       const struct sales_colmap *map,
		       const struct sales_record *rec, struct sales_row_prep *p)
{
	struct state *st = ud;
	int ccol = st->ccol[id];
	/* made in the caller's thread too (sales_sheet_next, for a row the
	 * parsing thread left to it), while the parsing thread makes others:
	 * each thread its own memo and why */
	bool here = pthread_equal(pthread_self(), st->owner);
	struct memo *memo = here ? &st->memo : &st->prep_memo;
	struct sales_buf *why = here ? &st->why : &st->prep_why;

	if (st->pre_name && ccol >= 0) {
		/* narrowed: another customer's row is not judged (on_row) */
		size_t len = strlen(rec->v[ccol]);
		const char *s = trim(rec->v[ccol], &len);

		/* blank: a merged-cell continuation, whose prep is not
		 * used (sales_row_prep_of), or a row on_row judges itself */
		if (!len || strlen(st->pre_name) != len ||
		    memcmp(s, st->pre_name, len))
			return;
	}
	for (size_t col = 0; col < map->def->ncolumns; col++)
		if (cell_verdict(id, map, rec, (int)col, st->any_text[id],
				 st->alone[id], p->dstat, p->date, memo,
				 why) == CELL_PASS &&
		    !team_bad(st->ctx, id, map, rec, (int)col, memo, why))
			p->bits |= 1u << col;
	if (id == SALES_LEADS && map->file_col[LEAD_CUSTOMER] >= 0) {
		p->word = lead_key_hash(rec->v[LEAD_CUSTOMER]);
		p->has_word = true;
	} else if (id == SALES_PLANS && st->hist) {
		/* row_plan_slip's first question: was the phase planned
		 * again (audit.csv, loaded before the rows)?  1 or 0 */
		struct sales_buf key = { 0 };
		sales_date planned;

		sales_row_key(map->def, rec->v, &key);
		p->word = key.data &&
			  sales_change_planned_end(st->hist, key.data, &planned);
		p->has_word = true;
		sales_buf_release(&key);
	}
}

/* Rule 10 for cell col of the row, whose prep (sales_row_prep_of) is p. */
static void check_value(struct rowctx *rc, int col,
			const struct sales_row_prep *p)
{
	const struct sales_column_def *cd = &rc->ev->map->def->columns[col];
	struct sales_buf *why = &rc->st->why;
	enum sales_check_id check = rc->id == SALES_TARGETS ? SALES_CHECK_TARGETS :
				    SALES_CHECK_VALUES;
	enum cell_verdict v;

	/* a prep's cell without its bit did not pass there: no memo */
	if (p && (p->bits & (1u << col)))
		return;   /* passed, roster and all, in the prep */
	v = cell_verdict(rc->id, rc->ev->map, rc->ev->rec, col,
			 rc->st->any_text[rc->id], rc->st->alone[rc->id],
			 rc->dstat, rc->date, p ? NULL : &rc->st->memo, why);
	if ((v == CELL_PASS || v == CELL_DAMAGED) &&
	    team_bad(rc->st->ctx, rc->id, rc->ev->map, rc->ev->rec, col,
		     &rc->st->memo, why))
		v = CELL_BAD;
	switch (v) {
	case CELL_SKIP:
	case CELL_PASS:
		break;
	case CELL_EMPTY:
		/* the exceptions rule owns an exception without reason or
		 * approver */
		if ((cd->flags & SALES_COLF_REQUIRED) &&
		    !(rc->id == SALES_EXCEPTIONS &&
		      (col == EXC_REASON || col == EXC_APPROVER)))
			AT(rc, check, SALES_SEV_ERROR, col,
			   "required %s is empty", cd->zh);
		break;
	case CELL_BAD:
		AT(rc, check, SALES_SEV_ERROR, col, "%s",
		   why->data ? why->data : "invalid value");
		break;
	case CELL_DAMAGED:
		AT(rc, check, SALES_SEV_WARNING, col, "%s %s",
		   cd->zh, why->data);
		break;
	}
}

/* A targets.csv 对象 names a rep, a region or the team (targets.h): the
 * one rule sales_targets_load applies too. */
static void row_target(struct rowctx *rc)
{
	const char *v = rc->ev->rec->v[TGT_SUBJECT];
	enum sales_target_subject kind;
	size_t len = strlen(v);

	v = trim(v, &len);
	if (!len || rc->ev->map->file_col[TGT_SUBJECT] < 0)
		return;   /* required: check_value reports it */
	if (!sales_target_subject(rc->st->ctx, rc->ev->model, v, len, &kind,
				  &rc->st->why))
		AT(rc, SALES_CHECK_TARGETS, SALES_SEV_ERROR, TGT_SUBJECT, "%s",
		   rc->st->why.data);
}

static void row_injection(struct rowctx *rc)
{
	const struct sales_row *row = rc->ev->rec->row;

	if (!(row->flags & SALES_CELL_FORMULA))
		return;   /* no cell of the row has it (sheet.h) */
	for (size_t i = 0; i < row->ncells; i++) {
		const struct sales_cell *cell = &row->cells[i];
		char shown[64];

		if (!(cell->flags & SALES_CELL_FORMULA))
			continue;
		sales_utf8_pad(cell->s, cell->len,
			       (int)sales_utf8_width(cell->s, cell->len) > 40 ?
			       40 : (int)sales_utf8_width(cell->s, cell->len),
			       false, shown, sizeof(shown));
		for (char *p = shown; *p; p++)
			if (*p == '\t' || *p == '\r' || *p == '\n')
				*p = ' ';
		add(rc->st, SALES_CHECK_INJECTION, SALES_SEV_ERROR, rc->id,
		    rc->line, rc->row, (int)i + 1, rc->customer,
		    "cell would run as a formula when opened in Excel or WPS: '%s' (prefix it with an apostrophe, or let sales write it)",
		    shown);
	}
}

/* Cells the reader read as Excel does, not as strict CSV: warnings, so
 * that the file can be cleaned (a rewrite by sales writes them strictly). */
static void row_lenient(struct rowctx *rc)
{
	const struct sales_row *row = rc->ev->rec->row;

	if (!(row->flags & SALES_CELL_LENIENT))
		return;
	for (size_t i = 0; i < row->ncells; i++) {
		if (!(row->cells[i].flags & SALES_CELL_LENIENT))
			continue;
		add(rc->st, SALES_CHECK_CSV, SALES_SEV_WARNING, rc->id,
		    rc->line, rc->row, (int)i + 1, rc->customer, "%s",
		    sales_cell_lenient_message(row->cells[i].flags));
	}
}

/* Dates of things done: none may lie after the as-of date (rule 9).  The
 * columns are the validator's (sales_column_is_event_date), which refuses
 * the same dates when a command writes them; here the date is shown as
 * read, to say how a spreadsheet's form was understood. */
static void row_future(struct rowctx *rc)
{
	const struct sales_sheet_def *def = rc->ev->map->def;
	const struct sales_record *rec = rc->ev->rec;
	char a[11], b[11];

	for (uint32_t bits = rc->st->cols_event[rc->id]; bits;
	     bits &= bits - 1) {
		int col = __builtin_ctz(bits);
		sales_date d = rc->date[col];

		if (d == SALES_DATE_NONE || d <= rc->st->as_of || rec->filled[col])
			continue;
		AT(rc, SALES_CHECK_TIMELINESS, SALES_SEV_ERROR, (int)col,
		   "%s %s lies in the future (as of %s)", def->columns[col].zh,
		   sales_date_format(d, a), sales_date_format(rc->st->as_of, b));
	}
}

/*
 * Brings names up to customer upto (not included): the key of each lead
 * row before it, as row_lead adds it.  The customers of 01 are numbered
 * in the order of their lead rows, so a narrowed check (other_row) need
 * not make the keys of the other customers' rows as they pass: only a
 * lead row of a customer it is narrowed to and "did you mean" read them.
 */
static void names_catch_up(struct state *st, const struct sales_model *m,
			   size_t upto)
{
	for (; st->names_upto < upto && !st->nomem; st->names_upto++) {
		size_t c = st->names_upto, len;
		const char *name = cname(m, (long)c);
		uint32_t hash;

		if (!m->customers[c].lead_line)
			continue;
		len = strlen(name);
		hash = (uint32_t)sales_name_key_hash(name, len);
		if (key_find_hashed(&st->names, m, hash, NULL, len, name) < 0 &&
		    key_add_hashed(&st->names, m, hash, (uint32_t)c) < 0)
			st->nomem = true;
	}
}

static void row_lead(struct rowctx *rc)
{
	struct state *st = rc->st;
	const struct sales_model *m = rc->ev->model;
	long c = rc->ev->customer;
	const struct sales_customer *k;
	const char *name;
	size_t nlen;
	long e;
	const struct sales_row_prep *prep;
	uint32_t hash;

	if (c < 0)
		return;
	k = &m->customers[c];
	name = trim(rc->ev->rec->v[LEAD_CUSTOMER], &nlen);
	if (k->lead_line != (uint32_t)rc->line) {
		AT(rc, SALES_CHECK_DUPLICATES, SALES_SEV_ERROR, LEAD_CUSTOMER,
		   "'%s' is already on line %u: one row per customer",
		   cname(m, c), (unsigned)k->lead_line);
		return;
	}
	names_catch_up(st, m, (size_t)c);
	if ((size_t)c < st->names_upto)
		return;
	st->names_upto = (size_t)c + 1;
	prep = sales_row_prep_of(rc->ev->rec);
	if (prep && prep->has_word && !rc->ev->rec->filled[LEAD_CUSTOMER]) {
		/* the key's hash from the parsing thread: the key itself
		 * only for an entry of the same hash */
		hash = prep->word;
		e = key_find_hashed(&st->names, m, hash, NULL, nlen, name);
	} else {
		hash = (uint32_t)sales_name_key_hash(name, nlen);
		e = key_find_hashed(&st->names, m, hash, NULL, nlen, name);
	}
	if (e >= 0) {
		/* a key is added at its customer's lead row */
		AT(rc, SALES_CHECK_DUPLICATES, SALES_SEV_WARNING, LEAD_CUSTOMER,
		   "'%s' looks like '%s' on line %u: the same customer once spaces, brackets, traditional characters and company forms are ignored",
		   cname(m, c), cname(m, e),
		   (unsigned)m->customers[e].lead_line);
		return;
	}
	if (key_add_hashed(&st->names, m, hash, (uint32_t)c) < 0)
		st->nomem = true;
}

/* A 01 name for "did you mean" (resolve.h: the one it resolves to, else
 * the nearest), or NULL. */
static const char *did_you_mean(struct state *st,
				const struct sales_model *m, const char *name,
				size_t nlen)
{
	char key[1024];
	size_t klen = sales_name_key(name, nlen, key, sizeof(key));
	long e;
	struct sales_resolver r;
	long hint;

	names_catch_up(st, m, m->ncustomers);
	e = key_find(&st->names, m, key, klen);
	if (e >= 0)
		return cname(m, e);
	/* a scan per unknown name: bounded, so a sheet full of strangers
	 * cannot make the check quadratic */
	if (st->dym_budget < m->ncustomers)
		return NULL;
	st->dym_budget -= m->ncustomers;
	sales_resolver_init(&r, name);   /* trims name as trim() did */
	for (size_t i = 0; i < m->ncustomers; i++)
		if (m->customers[i].lead_line &&
		    sales_resolver_feed(&r, cname(m, (long)i), (long)i) < 0)
			st->nomem = true;
	hint = sales_resolver_hint(&r);
	sales_resolver_release(&r);
	return hint >= 0 ? cname(m, hint) : NULL;
}

static void row_refs(struct rowctx *rc, int ccol)
{
	const struct sales_model *m = rc->ev->model;
	long c = rc->ev->customer;
	const char *name, *dym;
	size_t nlen;
	long i;

	if (c >= 0 && m->customers[c].lead_line)
		return;   /* most rows: their customer is in 01 */
	name = trim(rc->ev->rec->v[ccol], &nlen);
	if (!nlen)
		return;
	/* an exception about a customer of 02..07 is not a broken reference:
	 * those sheets' rows report the missing lead */
	if (c >= 0 && (rc->id == SALES_EXCEPTIONS || rc->id == SALES_CHANGES))
		return;
	/* once per customer and sheet: at its first row there */
	if (c >= 0 && rc->id <= SALES_FOLLOWUPS &&
	    sales_customer_first_line(m, &m->customers[c], rc->id) !=
	    (uint32_t)rc->line)
		return;
	dym = did_you_mean(rc->st, m, name, nlen);
	if (dym)
		i = AT(rc, SALES_CHECK_REFS, SALES_SEV_ERROR, ccol,
		       "customer '%.*s' is not in 01-leads.csv; did you mean '%s'?",
		       (int)nlen, name, dym);
	else
		i = AT(rc, SALES_CHECK_REFS, SALES_SEV_ERROR, ccol,
		       "customer '%.*s' is not in 01-leads.csv", (int)nlen, name);
	/* skipping 客户开发 itself may be an approved exception (rule 1) */
	if (i >= 0 && c >= 0 && rc->id <= SALES_FOLLOWUPS) {
		rc->st->raw[i].cust = c;
		rc->st->raw[i].skip_sheet = SALES_LEADS;
	}
}

/* The Excel rows of a customer's first row in stage sheet q, and of its
 * lead row (the model keeps lines). */
static uint32_t first_row(const struct sales_model *m,
			  const struct sales_customer *k, int q)
{
	return sales_model_row(m, (enum sales_sheet_id)q,
			       sales_customer_first_line(m, k, q));
}

static uint32_t lead_row(const struct sales_model *m,
			 const struct sales_customer *k)
{
	return sales_model_row(m, SALES_LEADS, k->lead_line);
}

static bool present(const struct sales_customer *k, int sheet)
{
	return sheet == SALES_LEADS ? k->lead_line != 0 :
	       (k->present & (1u << sheet)) != 0;
}

/* Rule 1's order (facts.h): this row against the stages before it. */
static void row_order(struct rowctx *rc)
{
	const struct sales_record *rec = rc->ev->rec;
	int col = sales_row_date_column(rc->id, rec);
	struct sales_error err;

	/* what is read of err when a rule fails (it sets it) - not a
	 * clear of all 800 bytes for every row */
	err.code = SALES_OK;
	err.message[0] = '\0';
	if (rc->id == SALES_SOLUTIONS &&
	    sales_facts_review_order(rc->date[SOL_SUBMITTED],
				     rc->date[SOL_REVIEWED], &err) < 0)
		AT(rc, SALES_CHECK_ORDER, SALES_SEV_ERROR, SOL_REVIEWED, "%s",
		   err.message);
	if (col < 0 || rec->filled[col])
		return;
	if (sales_facts_order(rc->ev->model, rc->ev->customer, rc->id, col,
			      rc->id == SALES_PLANS ? sales_row_date(rc->id, rec) :
			      rc->date[col], &err) < 0)
		AT(rc, SALES_CHECK_ORDER, SALES_SEV_ERROR, col, "%s", err.message);
}

/* Rule 4 on one contract row: the opinions against its route. */
static void check_route(struct rowctx *rc, const struct sales_route *route,
			size_t slen, int idx)
{
	const struct sales_model *m = rc->ev->model;
	/* the row's opinions, as the model read them (its latest contract,
	 * the one row_contract takes the route of) */
	struct sales_approval a = m->contracts[m->ncontracts - 1].approval;
	const char *implied;
	int missing, later, outside;
	char desc[160];

	/* desc is written only for a finding that shows it: most contracts
	 * have none */
	if ((outside = sales_approval_outside(&a, route)) >= 0)
		AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR,
		   sales_approver_columns[outside],
		   _("the %s gave an opinion but is not on this contract's approval route (%s)"),
		   sales_approver_roles[outside],
		   sales_route_describe(route, desc, sizeof(desc)));
	later = sales_approval_out_of_order(&a, route, &missing);
	if (later >= 0) {
		const char *verb = a.op[later] == SALES_OPINION_REJECT ?
				   _("rejected") : _("approved");

		if (route->mode == SALES_ROUTE_ANY)
			AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR,
			   sales_approver_columns[later],
			   _("%s %s after %s had decided: on a 或签 route (%s) the first opinion decides"),
			   sales_approver_roles[later], verb,
			   sales_approver_roles[missing],
			   sales_route_describe(route, desc, sizeof(desc)));
		else if (a.op[missing] == SALES_OPINION_REJECT)
			AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR,
			   sales_approver_columns[later],
			   "%s %s after %s had rejected: approval stops at a rejection",
			   sales_approver_roles[later], verb,
			   sales_approver_roles[missing]);
		else
			AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR,
			   sales_approver_columns[later], "%s %s before %s",
			   sales_approver_roles[later], verb,
			   sales_approver_roles[missing]);
	}
	implied = sales_approval_status(&a, route);
	if (!slen && strcmp(implied, "待审批"))
		AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR, CON_APPROVAL,
		   "审批状态 is empty but the opinions make it %s", implied);
	else if (idx >= 0 && strcmp(sales_approval_states[idx], implied))
		AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR, CON_APPROVAL,
		   "审批状态 is %s but the opinions make it %s",
		   sales_approval_states[idx], implied);
}

/* Duplicates: 合同编号 is the key.  report: a finding for a number seen
 * before (else the number is only kept, for the rows after it). */
static void contract_key(struct rowctx *rc, bool report)
{
	struct state *st = rc->st;
	const struct sales_model *m = rc->ev->model;
	size_t klen;
	const char *id = trim(rc->ev->rec->v[CON_CONTRACT], &klen);
	long e;

	if (!klen)
		return;
	e = key_find(&st->contracts, m, id, klen);
	if (e >= 0 && report)
		AT(rc, SALES_CHECK_DUPLICATES, SALES_SEV_ERROR, CON_CONTRACT,
		   "contract number '%.*s' is already on line %u",
		   (int)klen, id, (unsigned)m->contracts[e].line);
	else if (e < 0 && key_add(&st->contracts, m, id, klen,
			       (uint32_t)(m->ncontracts - 1)) < 0)
		st->nomem = true;
}

static void row_contract(struct rowctx *rc)
{
	const struct sales_record *rec = rc->ev->rec;
	const struct sales_route *route;
	const char *status;
	size_t slen, klen;
	int idx = -1;
	sales_date signed_date = rc->date[CON_SIGNED];
	const char *id = trim(rec->v[CON_CONTRACT], &klen);
	char buf[11];

	contract_key(rc, true);

	/* rule 4, along the contract's route (route.h) */
	route = rc->ev->model->contracts[rc->ev->model->ncontracts - 1].route;
	status = trim(rec->v[CON_APPROVAL], &slen);
	idx = sales_enum_find(sales_approval_states, status, slen);
	if (!route)
		AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR, CON_CONTRACT,
		   _("no row of approval-rules.csv applies to contract '%.*s': it cannot be approved (add a row, or a last row with 条件 *)"),
		   (int)klen, id);
	else
		check_route(rc, route, slen, idx);
	if (signed_date != SALES_DATE_NONE && idx != 2)
		AT(rc, SALES_CHECK_APPROVALS, SALES_SEV_ERROR, CON_SIGNED,
		   "签订日期 %s is set but the contract is not approved (审批状态 %s%.*s)",
		   sales_date_format(signed_date, buf), slen ? "" : "empty",
		   (int)slen, status);
}

static void row_exception(struct rowctx *rc)
{
	const char *const *v = rc->ev->rec->v;
	struct sales_exception e = { v[EXC_CUSTOMER], v[EXC_TYPE], v[EXC_STAGE],
				     v[EXC_REASON], v[EXC_DEADLINE],
				     v[EXC_APPROVER], v[EXC_APPROVED] };
	const char *why = NULL;
	size_t tl, sl;
	const char *t = trim(v[EXC_TYPE], &tl), *s = trim(v[EXC_STAGE], &sl);

	if (sales_exception_valid(rc->st->ctx, &e, &why))
		return;
	AT(rc, SALES_CHECK_EXCEPTIONS, SALES_SEV_ERROR,
	   blank(v[EXC_REASON]) ? EXC_REASON : EXC_APPROVER,
	   "the exception (%.*s %.*s) does not count: %s", (int)tl, t, (int)sl,
	   s, why);
}

static void spill(struct state *st, bool force);

/* The passed proposals each customer's contracts rest on (floor.h). */
static void floor_feed(struct state *st, const struct sales_row_event *ev)
{
	size_t c = (size_t)ev->customer;
	struct sales_floor_basis b;

	if (c < st->nfloor_of && st->floor_of[c]) {
		sales_floor_feed(&st->floor[st->floor_of[c] - 1], ev->rec,
				 ev->rec->row->line);
		return;
	}
	sales_floor_basis_init(&b);
	sales_floor_feed(&b, ev->rec, ev->rec->row->line);
	if (!b.n)
		return;   /* not a passed proposal */
	if (c >= st->nfloor_of) {
		size_t n = st->nfloor_of ? st->nfloor_of : 1024;
		uint32_t *nf;

		while (n <= c)
			n *= 2;
		nf = realloc(st->floor_of, n * sizeof(*nf));
		if (!nf) {
			st->nomem = true;
			return;
		}
		memset(nf + st->nfloor_of, 0, (n - st->nfloor_of) * sizeof(*nf));
		st->floor_of = nf;
		st->nfloor_of = n;
	}
	if (st->nfloor >= UINT32_MAX ||
	    SALES_ALLOC_GROW(st->floor, st->nfloor + 1, st->afloor) < 0) {
		st->nomem = true;
		return;
	}
	st->floor[st->nfloor++] = b;
	st->floor_of[c] = (uint32_t)st->nfloor;
}

/* Customer c's basis (floor.h), or NULL when it has no passed proposal. */
static const struct sales_floor_basis *floor_basis(const struct state *st,
						   uint32_t c)
{
	return c < st->nfloor_of && st->floor_of[c] ?
	       &st->floor[st->floor_of[c] - 1] : NULL;
}

/* The floor's policy and each basis's contracts together (check_floor's
 * setup, before any contract is judged). */
struct floor_pass {
	struct sales_floor_policy p;
	int rejected;            /* the index of 已驳回, -1 */
	double *total;           /* per basis: a customer without one has none */
	uint32_t *count;         /* contracts (fewer than 2^32: their lines) */
};

/* 0 with fp ready (fp->total NULL: the floor is off), or -1 with err. */
static int floor_open(struct state *st, const struct sales_model *m,
		      struct floor_pass *fp, struct sales_error *err)
{
	memset(fp, 0, sizeof(*fp));
	fp->rejected = -1;
	if (!on(st, SALES_CHECK_FLOOR))
		return 0;
	if (sales_floor_policy_get(st->ctx, &fp->p, err) < 0)
		return -1;
	if (!fp->p.active)
		return 0;
	for (int i = 0; sales_approval_states[i]; i++)
		if (!strcmp(sales_approval_states[i], "已驳回"))
			fp->rejected = i;
	fp->total = calloc(st->nfloor ? st->nfloor : 1, sizeof(*fp->total));
	fp->count = calloc(st->nfloor ? st->nfloor : 1, sizeof(*fp->count));
	if (!fp->total || !fp->count) {
		free(fp->total);
		free(fp->count);
		fp->total = NULL;
		fp->count = NULL;
		st->nomem = true;
		return 0;
	}
	for (size_t i = 0; i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		const struct sales_floor_basis *b;

		if (k->customer == UINT32_MAX || k->status == fp->rejected ||
		    !(b = floor_basis(st, k->customer)))
			continue;
		fp->total[b - st->floor] += k->amount;   /* NAN stays NAN: no judgement */
		fp->count[b - st->floor]++;
	}
	return 0;
}

static void floor_close(struct floor_pass *fp)
{
	free(fp->total);
	free(fp->count);
}

/* 谈判底线: each customer's contracts (not 已驳回) together against its
 * passed proposals; a finding on contract i when it is below.  Reads st's
 * floor and fp only: the facts pass's second thread runs it too. */
static void check_floor(struct state *st, const struct sales_model *m,
			const struct sales_rulebook *rb,
			const struct floor_pass *fp, size_t i)
{
	const struct sales_contract *k = &m->contracts[i];
	const struct sales_model_exception *e, *bad;
	const struct sales_floor_basis *b;
	char why[512];

	/* narrowed to one customer: the others' findings are dropped */
	if (!fp->total || k->customer == UINT32_MAX ||
	    k->status == fp->rejected ||
	    (st->only >= 0 && k->customer != (uint32_t)st->only) ||
	    !(b = floor_basis(st, k->customer)) ||
	    !sales_floor_below(&fp->p, b, fp->total[b - st->floor],
			       fp->count[b - st->floor], NULL, why, sizeof(why)))
		return;
	e = sales_floor_exception(m, rb, k->customer, &bad);
	if (e)
		add(st, SALES_CHECK_FLOOR, SALES_SEV_NOTE, SALES_CONTRACTS,
		    k->line, k->row, column_of(st, SALES_CONTRACTS, CON_AMOUNT),
		    cname(m, k->customer),
		    "contract %s: %s; allowed by the approved 底线让步 exception (exceptions.csv:%u, 审批人 %s)",
		    sales_model_str(m, k->id), why, (unsigned)e->line, e->e.approver);
	else
		add(st, SALES_CHECK_FLOOR, SALES_SEV_ERROR, SALES_CONTRACTS,
		    k->line, k->row, column_of(st, SALES_CONTRACTS, CON_AMOUNT),
		    cname(m, k->customer),
		    "contract %s: %s, and no approved 底线让步 exception allows it%s%s",
		    sales_model_str(m, k->id), why,
		    bad ? ": the one at exceptions.csv does not count: " : "",
		    bad ? bad->why_invalid : "");
}

/* A row of changes.csv (changes.h): judged once; one that cannot count
 * says why (refs reports an unknown customer, values an approver not in
 * team.csv).  Waiting for a date or the customer's 是 is a warning. */
static void row_change(struct rowctx *rc)
{
	struct state *st = rc->st;
	const struct sales_model *m = rc->ev->model;
	struct sales_change_verdict vd;
	struct change_row *c;
	size_t len;
	const char *who;

	sales_change_judge(m, rc->ev->customer, rc->ev->rec->v, &vd);
	if (SALES_ALLOC_GROW(st->changes, st->nchanges + 1, st->changes_alloc) < 0) {
		st->nomem = true;
		return;
	}
	c = &st->changes[st->nchanges++];
	*c = (struct change_row){ rc->ev->customer, vd.contract, vd.cost,
				  vd.days, vd.approved };
	if (vd.approved || vd.why_col == CHG_CUSTOMER)
		return;
	who = trim(rc->ev->rec->v[CHG_APPROVER], &len);
	if (vd.why_col == CHG_APPROVER && len &&
	    sales_team_standing(st->ctx, who, NULL, 0, NULL) == SALES_TEAM_UNKNOWN)
		return;
	AT(rc, SALES_CHECK_CHANGE,
	   vd.why_col == CHG_APPROVED || vd.why_col == CHG_CONFIRMED ?
	   SALES_SEV_WARNING : SALES_SEV_ERROR, vd.why_col,
	   "the change does not count: %s", vd.why);
}

/* A delivery phase whose end lies later than audit.csv says it was first
 * planned (changes.h). */
static void row_plan_slip(struct rowctx *rc)
{
	struct state *st = rc->st;
	const char *const *v = rc->ev->rec->v;
	struct sales_date_range r;
	struct sales_buf key = { 0 };
	struct plan_slip *s;
	sales_date planned;
	size_t len;
	const char *phase;
	const struct sales_row_prep *prep;

	if (!st->hist || rc->ev->customer < 0)
		return;
	/* the history first: most phases were never planned again, and
	 * their period need not be read (the prep asked it of the row's own
	 * cells, which are the record's unless filled down) */
	prep = sales_row_prep_of(rc->ev->rec);
	if (prep && prep->has_word && !prep->word &&
	    !rc->ev->rec->filled[PLAN_CUSTOMER] && !rc->ev->rec->filled[PLAN_PHASE])
		return;
	sales_row_key(rc->ev->map->def, v, &key);
	if (!key.data || !sales_change_planned_end(st->hist, key.data, &planned) ||
	    sales_parse_date_range(v[PLAN_PERIOD], strlen(v[PLAN_PERIOD]), &r) !=
		    SALES_VALUE_OK || r.end == SALES_DATE_NONE ||
	    r.end <= planned) {
		sales_buf_release(&key);
		return;
	}
	sales_buf_release(&key);
	if (SALES_ALLOC_GROW(st->slips, st->nslips + 1, st->slips_alloc) < 0) {
		st->nomem = true;
		return;
	}
	phase = trim(v[PLAN_PHASE], &len);
	s = &st->slips[st->nslips++];
	s->customer = rc->ev->customer;
	s->line = rc->line;
	s->row = rc->row;
	s->column = rc->ev->map->file_col[PLAN_PERIOD] + 1;
	s->days = (long)(r.end - planned);
	s->planned = planned;
	s->end = r.end;
	if (!(s->phase = strndup(phase, len)))
		st->nomem = true;
}

/* Cells a spreadsheet changed from what sales wrote (damage.h): the
 * value now, the one audit.csv says sales wrote, what happened, the fix. */
static void row_damage(struct rowctx *rc)
{
	struct sales_damage d[SALES_MAX_COLS];
	size_t n;

	if (!on(rc->st, SALES_CHECK_DAMAGE) || sales_written_empty(rc->st->written))
		return;
	n = sales_damage_row(rc->st->written, rc->id, rc->ev->rec->v, d);
	for (size_t i = 0; i < n; i++) {
		int col = d[i].col;

		if (rc->ev->rec->filled[col])
			continue;
		enum sales_severity sev = d[i].kind == SALES_DAMAGE_NUMBER ||
					  d[i].kind == SALES_DAMAGE_RENUMBERED ?
					  SALES_SEV_WARNING : SALES_SEV_ERROR;

		if (d[i].key)
			AT(rc, SALES_CHECK_DAMAGE, sev, col,
			   "%s is '%s', but sales wrote '%s' (audit.csv line %ld): %s; commands find this row as '%s' only once it is put back: run 'sales fix damage', or type it again with an apostrophe in front",
			   sales_sheet_def(rc->id)->columns[col].zh, rc->ev->rec->v[col], d[i].written,
			   d[i].audit_line, sales_damage_text(d[i].kind),
			   d[i].written);
		else
			AT(rc, SALES_CHECK_DAMAGE, sev, col,
			   "%s is '%s', but sales wrote '%s' (audit.csv line %ld): %s; put it back with 'sales fix damage', or type it again with an apostrophe in front",
			   sales_sheet_def(rc->id)->columns[col].zh, rc->ev->rec->v[col], d[i].written,
			   d[i].audit_line, sales_damage_text(d[i].kind));
	}
}

/* A row of a customer the check is not narrowed to: what the later rows
 * of the one it is narrowed to read (04's contract numbers for
 * duplicates, 03's floor;
 * 01's names for duplicates and "did you mean" are made when read,
 * names_catch_up), nothing it reports. */
static int other_row(struct rowctx *rc, struct sales_error *err)
{
	struct state *st = rc->st;
	const struct sales_row_event *ev = rc->ev;

	switch (rc->id) {
	case SALES_SOLUTIONS:
		floor_feed(st, ev);
		break;
	case SALES_CONTRACTS:
		contract_key(rc, false);
		break;
	default:
		break;
	}
	if (!st->nomem)
		return 0;
	return sales_error_set(err, SALES_ENOMEM, ev->map->def->file, 0, 0,
			       "out of memory");
}

static int on_row(void *ud, const struct sales_row_event *ev,
		  struct sales_error *err)
{
	struct state *st = ud;
	enum sales_sheet_id id = ev->sheet;
	const struct sales_sheet_def *def = ev->map->def;
	int ccol = st->ccol[id];
	struct rowctx rc;
	const struct sales_row_prep *prep;
	uint32_t pass;

	/* rc.dstat and rc.date: set below for each date column, the only
	 * ones read */
	rc.st = st;
	rc.ev = ev;
	rc.id = id;
	rc.customer = "";
	rc.line = ev->rec->row->line;
	rc.row = ev->rec->row->excel_row;
	if (st->stream &&
	    (st->nraw >= st->spill_at || st->text.len >= SPILL_TEXT))
		spill(st, false);   /* spill's own test, without a call a row */
	if (st->spill_failed) {
		*err = st->spill_err;
		return -1;
	}
	if (!st->have_cols[id]) {
		memcpy(st->cols[id], ev->map->file_col, sizeof(st->cols[id]));
		st->have_cols[id] = true;
	}
	/* the sheets come in process order: past 04, no row asks for a
	 * 合同编号 again (contract_key) */
	if (st->contracts.e && id != SALES_CONTRACTS &&
	    st->have_cols[SALES_CONTRACTS])
		key_release(&st->contracts);
	if (ev->customer >= 0) {
		rc.customer = cname(ev->model, ev->customer);
	} else if (ccol >= 0) {
		rc.customer = ev->rec->v[ccol];   /* add() trims it */
	}
	prep = sales_row_prep_of(ev->rec);
	if (st->pre_name && ev->customer >= 0 && st->caller_filters) {
		if (!st->candidate)
			return other_row(&rc, err);
	} else if (st->pre_name && ev->customer >= 0 && ev->customer != st->pre_c) {
		if (st->pre_c < 0 &&
		    !strcmp(cname(ev->model, ev->customer), st->pre_name))
			st->pre_c = ev->customer;
		else
			return other_row(&rc, err);
	}
	/* rc.date and rc.dstat are read for the date columns only */
	for (uint32_t b = st->cols_date[id]; b; b &= b - 1) {
		int col = __builtin_ctz(b);
		const char *v = ev->rec->v[col];

		rc.date[col] = SALES_DATE_NONE;
		if (prep && !ev->rec->filled[col]) {   /* parsed in the
							 * parsing thread */
			rc.date[col] = prep->date[col];
			rc.dstat[col] = prep->dstat[col];
		} else {
			rc.dstat[col] = (uint8_t)sales_parse_date(v, strlen(v),
								  &rc.date[col]);
		}
	}
	row_injection(&rc);
	row_lenient(&rc);
	/* a cell that passed in the prep, roster and all, has nothing to
	 * report (check_value) */
	pass = prep ? prep->bits : 0;
	for (uint32_t b = st->cols_all[id] & ~pass; b; b &= b - 1)
		check_value(&rc, __builtin_ctz(b), prep);
	row_future(&rc);
	row_damage(&rc);
	if (id == SALES_SOLUTIONS && ev->customer >= 0)
		floor_feed(st, ev);
	switch (id) {
	case SALES_LEADS:
		row_lead(&rc);
		break;
	case SALES_TARGETS:
		row_target(&rc);
		break;
	case SALES_CONTRACTS:
		row_contract(&rc);
		break;
	case SALES_EXCEPTIONS:
		row_exception(&rc);
		row_refs(&rc, ccol);
		break;
	case SALES_PLANS:
		row_plan_slip(&rc);
		break;
	case SALES_CHANGES:
		row_refs(&rc, ccol);
		if (on(st, SALES_CHECK_CHANGE))
			row_change(&rc);
		break;
	default:
		break;
	}
	if (id >= SALES_SURVEYS && id <= SALES_FOLLOWUPS) {
		row_refs(&rc, ccol);
		if (ev->customer >= 0)
			row_order(&rc);
	}
	if (!st->nomem)
		return 0;
	return sales_error_set(err, SALES_ENOMEM, def->file, 0, 0, "out of memory");
}

/* ---- after the load: the facts of each customer (facts.h) ---- */

/* Rewrites finding i's message as its old text + the formatted tail. */
static void append_message(struct state *st, long i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append_message(struct state *st, long i, const char *fmt, ...)
{
	char old[2048], tail[1024];
	va_list ap;

	if (i < 0)
		return;
	snprintf(old, sizeof(old), "%s", st->text.data + st->raw[i].message);
	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), _(fmt), ap);
	va_end(ap);
	st->raw[i].message = text_printf(st, "%s%s", old, tail);
}

/* A finding an approved 跳过环节 allows becomes a note naming it; one whose
 * exception does not count says why. */
static void allowed_or_not(struct state *st, long i,
			   const struct sales_model_exception *e,
			   const struct sales_model_exception *bad)
{
	char lab[512], suf[512];

	if (i < 0)
		return;
	if (e) {
		st->raw[i].severity = SALES_SEV_NOTE;
		append_message(st, i,
			       "; allowed by an approved 跳过环节 exception (%s)",
			       exc_label(e, lab, sizeof(lab)));
	} else if (bad) {
		append_message(st, i, "%s", invalid_suffix(bad, suf, sizeof(suf)));
	}
}

/* Refs findings at a row of a customer not in 01: skipping 客户开发 itself
 * may be an approved exception (rule 1). */
static void resolve_skips(struct state *st, const struct sales_model *m)
{
	for (size_t i = 0; i < st->nraw; i++) {
		struct raw *r = &st->raw[i];
		const struct sales_model_exception *e, *bad;

		if (r->skip_sheet < 0 || r->cust < 0)
			continue;
		e = r->skip_sheet == SALES_LEADS ?
		    sales_facts_unregistered(m, r->cust, NULL, &bad) :
		    sales_model_exception(m, (size_t)r->cust, "跳过环节",
					  (enum sales_sheet_id)r->skip_sheet,
					  &bad);
		allowed_or_not(st, (long)i, e, bad);
	}
}

/* Rules 1 and 5, at the customer's first row of the sheet concerned.  A
 * customer not in 01 gets them only when an approved exception skips
 * 客户开发 (else the refs rule speaks: a misspelt name gives one finding,
 * not one per stage). */
static void facts_stages(struct state *st, const struct sales_model *m,
			 const struct sales_facts *f)
{
	long c = f->customer;
	const struct sales_customer *k = &m->customers[c];
	const char *name = cname(m, c);

	if (!k->lead_line && f->stages[SALES_LEADS].state != SALES_STAGE_WAIVED)
		return;
	for (int j = SALES_SURVEYS; j < SALES_NSTAGES; j++) {
		const struct sales_stage_fact *s = &f->stages[j];
		int q = j + 1;
		long i;

		if (s->state != SALES_STAGE_MISSING && s->state != SALES_STAGE_WAIVED)
			continue;
		while (q < SALES_NSTAGES && !present(k, q))
			q++;
		if (q >= SALES_NSTAGES)
			continue;   /* waived before the customer got there */
		if (!m->has_sheet[j]) {
			add(st, SALES_CHECK_STAGES, SALES_SEV_ERROR,
			    (enum sales_sheet_id)q, sales_customer_first_line(m, k, q),
			    first_row(m, k, q),
			    column_of(st, (enum sales_sheet_id)q, st->ccol[q]), name,
			    "'%s' is in %s, but %s (stage %s) is missing from the workbook: 'sales init --missing' writes it again",
			    name, file_of((enum sales_sheet_id)q),
			    file_of((enum sales_sheet_id)j),
			    sales_sheet_def((enum sales_sheet_id)j)->stage);
			continue;
		}
		i = add(st, SALES_CHECK_STAGES, SALES_SEV_ERROR,
			(enum sales_sheet_id)q, sales_customer_first_line(m, k, q),
			first_row(m, k, q),
			column_of(st, (enum sales_sheet_id)q, st->ccol[q]), name,
			"'%s' is in %s but not in %s: stage %s was skipped", name,
			file_of((enum sales_sheet_id)q),
			file_of((enum sales_sheet_id)j),
			sales_sheet_def((enum sales_sheet_id)j)->stage);
		allowed_or_not(st, i, s->exception, s->invalid);
	}
	for (int id = SALES_SURVEYS; id < SALES_NSTAGES; id++) {
		const struct sales_gate_fact *g = &f->gates[id];
		long i;

		if (!present(k, id) || !g->missing || g->need < 0 ||
		    !present(k, g->need))
			continue;   /* absent: the stages or refs rule says so */
		i = add(st, SALES_CHECK_GATES, SALES_SEV_ERROR,
			(enum sales_sheet_id)id,
			sales_customer_first_line(m, k, id), first_row(m, k, id),
			column_of(st, (enum sales_sheet_id)id, st->ccol[id]), name,
			"'%s' entered %s before %s was complete: %s", name,
			sales_sheet_def((enum sales_sheet_id)id)->stage, g->missing,
			g->why);
		allowed_or_not(st, i, g->exception, g->invalid);
	}
}

/*
 * A working-day deadline (rules 2 and 3) as a finding: an error when
 * missed, a note when an approved exception allows the breach, and (with
 * explain) an info finding when it is met or still ahead.
 */
static void deadline_finding(struct state *st, const struct sales_model *m,
			     long c, enum sales_check_id check,
			     const struct sales_deadline *d, const char *what,
			     const char *explain_prefix)
{
	const struct sales_model_exception *e = d->exception;
	char due[11], nd_s[11], lab[512], suf[512], unk[160], ex[512] = "";
	int column = column_of(st, d->sheet, d->col);
	long i;

	if (!d->breach && !st->opt->explain)
		return;   /* met or still ahead: said only when explaining */
	sales_date_format(d->rule_due, due);
	unknown_years(st, d->start, d->rule_due, unk, sizeof(unk));
	if (st->opt->explain)
		sales_calendar_explain(st->ctx->calendar, d->start, (int)d->n, ex,
				       sizeof(ex));
	if (!d->breach) {   /* met or still ahead: said only when explaining */
		if (!st->opt->explain)
			return;
		i = add(st, check, SALES_SEV_INFO, d->sheet, d->line, d->row,
			column, cname(m, c),
			d->pending ? "%s: due by %s%s" : "%s: deadline %s met%s",
			what, due, unk);
		set_explain(st, i, explain_prefix, ex);
		return;
	}
	if (d->state == SALES_DL_WAIVED && e && !strcmp(e->e.type, "跳过环节"))
		i = add(st, check, SALES_SEV_NOTE, d->sheet, d->line, d->row,
			column, cname(m, c),
			"%s (deadline %s%s); waived: stage %s is skipped by an approved 跳过环节 exception (%s)",
			what, due, unk,
			sales_sheet_def((enum sales_sheet_id)sales_rule_defs[d->kind].stage)->stage,
			exc_label(e, lab, sizeof(lab)));
	else if (e && d->state != SALES_DL_MISSED)
		i = add(st, check, SALES_SEV_NOTE, d->sheet, d->line, d->row,
			column, cname(m, c),
			"%s (deadline %s%s); allowed by an approved 延期 exception%s%s (%s)",
			what, due, unk, d->extended ? " to " : "",
			d->extended ? sales_date_format(d->due, nd_s) : "",
			exc_label(e, lab, sizeof(lab)));
	else if (e)
		i = add(st, check, SALES_SEV_ERROR, d->sheet, d->line, d->row,
			column, cname(m, c),
			"%s: the deadline was %s%s, and the approved extension to %s (exceptions.csv:%u) has passed too",
			what, due, unk, sales_date_format(d->due, nd_s),
			(unsigned)e->line);
	else
		i = add(st, check, SALES_SEV_ERROR, d->sheet, d->line, d->row,
			column, cname(m, c), "%s: the deadline was %s%s%s", what,
			due, unk, invalid_suffix(d->invalid, suf, sizeof(suf)));
	if (st->opt->explain)
		set_explain(st, i, explain_prefix, ex);
}

/* Rule 2: 线索等级 within deadline.screening_days working days of 登记日期. */
static void facts_screening(struct state *st, const struct sales_model *m,
			    long c, const struct sales_deadline *d)
{
	char what[256], reg[11];

	if (!d->breach && !st->opt->explain)
		return;   /* met or ahead: nothing to say (deadline_finding) */
	sales_date_format(d->start, reg);
	if (!d->pending)
		snprintf(what, sizeof(what), _("'%s' is graded"), cname(m, c));
	else
		snprintf(what, sizeof(what),
			 !d->breach ? _("'%s' has no 线索等级 yet") :
			 _("'%s' has no 线索等级 %ld working days after 登记日期 %s"),
			 cname(m, c), d->n, reg);
	deadline_finding(st, m, c, SALES_CHECK_SCREENING, d, what, _("登记日期 "));
}

/* Rule 3: 提交日期 within deadline.proposal_days working days of the last
 * 调研时间 (the customer's earliest 提交日期 counts). */
static void facts_proposal(struct state *st, const struct sales_model *m,
			   long c, const struct sales_deadline *d)
{
	char what[256], sv[11], sub[11];

	if (!d->breach && !st->opt->explain)
		return;   /* met or ahead: nothing to say (deadline_finding) */
	sales_date_format(d->start, sv);
	if (!d->pending)
		snprintf(what, sizeof(what),
			 !d->breach ? _("proposal for '%s' submitted %s") :
			 _("proposal for '%s' submitted %s, more than %ld working days after the last 调研时间 %s"),
			 cname(m, c), sales_date_format(d->done, sub), d->n, sv);
	else
		snprintf(what, sizeof(what),
			 !d->breach ? _("'%s' has no proposal in 03-solutions.csv yet") :
			 _("'%s' has no proposal in 03-solutions.csv %ld working days after the last 调研时间 %s"),
			 cname(m, c), d->n, sv);
	deadline_finding(st, m, c, SALES_CHECK_PROPOSAL, d, what,
			 _("last 调研时间 "));
}

/* Rule 6: remind before 付款到期日, collect from collection_days after. */
static void facts_payment(struct state *st, const struct sales_model *m,
			  long c, const struct sales_deadline *d)
{
	const struct sales_contract *k = &m->contracts[d->contract];
	const char *cust = cname(m, c), *id = sales_model_str(m, k->id);
	int col = column_of(st, SALES_CONTRACTS, CON_PAYMENT_DUE);
	long late = (long)(st->as_of - k->payment_due);
	char due[11];

	if (!d->pending)
		return;
	sales_date_format(k->payment_due, due);
	switch (d->phase) {
	case SALES_PAY_COLLECT:
		add(st, SALES_CHECK_PAYMENTS, SALES_SEV_ERROR, SALES_CONTRACTS,
		    k->line, k->row, col, cust,
		    "payment of contract %s was due %s and is %ld days overdue: start collection (催款)",
		    id, due, late);
		break;
	case SALES_PAY_OVERDUE:
		add(st, SALES_CHECK_PAYMENTS, SALES_SEV_WARNING, SALES_CONTRACTS,
		    k->line, k->row, col, cust,
		    "payment of contract %s was due %s and is %ld day%s overdue (collection starts after %ld days)",
		    id, due, late, late == 1 ? "" : "s", d->n);
		break;
	case SALES_PAY_REMIND:
		add(st, SALES_CHECK_PAYMENTS, SALES_SEV_WARNING, SALES_CONTRACTS,
		    k->line, k->row, col, cust,
		    late == 0 ? "payment of contract %s is due today (%s): remind the customer" :
		    N_("payment of contract %s is due %s, in %ld day%s: remind the customer"),
		    id, due, -late, late == -1 ? "" : "s");
		break;
	default:
		break;
	}
}

/* Rule 7: A-grade leads not signed or lost, no contact for stalled.days. */
static void facts_stalled(struct state *st, const struct sales_model *m,
			  long c, const struct sales_deadline *d)
{
	char a[11];

	if (d->state != SALES_DL_MISSED)
		return;
	add(st, SALES_CHECK_STALLED, SALES_SEV_WARNING, SALES_LEADS, d->line,
	    d->row, column_of(st, SALES_LEADS, LEAD_LAST_CONTACT), cname(m, c),
	    "A类 lead '%s' has had no contact for %ld days (since %s) and is neither 已签约 nor 已丢单: lost-deal risk for the weekly 线索跟进报告",
	    cname(m, c), (long)(st->as_of - d->start),
	    sales_date_format(d->start, a));
}

/* The lead pool: a warning from pool.warn_days working days before the
 * recall date, and once it has passed. */
static void facts_pool(struct state *st, const struct sales_model *m,
		       long c, const struct sales_deadline *d)
{
	const struct sales_customer *k = &m->customers[c];
	int left = sales_calendar_workdays_between(st->ctx->calendar, st->as_of,
						   d->due);
	long warn = sales_setting_int(st->ctx, "pool.warn_days");
	char a[11], b[11];

	if (d->state == SALES_DL_MISSED)
		add(st, SALES_CHECK_POOL, SALES_SEV_WARNING, SALES_LEADS, d->line,
		    d->row, column_of(st, SALES_LEADS, LEAD_OWNER), cname(m, c),
		    _("%s's lead '%s' had no follow-up for %ld working days after %s (pool.recall_days_%c): it returns to the lead pool (公海) with 'sales pool recall'"),
		    sales_model_str(m, sales_customer_owner(m, k)), cname(m, c), d->n,
		    sales_date_format(d->start, a), k->grade);
	else if (d->state == SALES_DL_COMING && left <= warn)
		add(st, SALES_CHECK_POOL, SALES_SEV_WARNING, SALES_LEADS, d->line,
		    d->row, column_of(st, SALES_LEADS, LEAD_OWNER), cname(m, c),
		    P_("%s's lead '%s' returns to the lead pool (公海) after %s unless followed up (%d working day left)",
		       "%s's lead '%s' returns to the lead pool (公海) after %s unless followed up (%d working days left)",
		       (unsigned long)left),
		    sales_model_str(m, sales_customer_owner(m, k)), cname(m, c),
		    sales_date_format(d->due, b), left);
}

/* Rule 8: a follow-up every interval_days of the warranty year after the
 * 合格 acceptance, up to the as-of date. */
static void facts_aftersales(struct state *st, const struct sales_model *m,
			     long c, const struct sales_deadline *d)
{
	const struct sales_customer *k = &m->customers[c];
	sales_date wend = sales_customer_accepted(m, k, NULL) +
		(sales_date)sales_setting_int(st->ctx, "aftersales.warranty_days");
	sales_date end = wend < st->as_of ? wend : st->as_of;
	int column = column_of(st, d->sheet, d->col);
	char a[11], b[11], e[11];

	if (d->state != SALES_DL_MISSED)
		return;
	if (!d->pending)
		add(st, SALES_CHECK_AFTERSALES, SALES_SEV_ERROR, d->sheet, d->line,
		    d->row, column, cname(m, c),
		    "'%s' had no after-sales follow-up for %ld days (%s to %s): at least one every %ld days during the warranty year",
		    cname(m, c), (long)(d->done - d->start),
		    sales_date_format(d->start, a), sales_date_format(d->done, b),
		    d->n);
	else
		add(st, SALES_CHECK_AFTERSALES, SALES_SEV_ERROR, d->sheet, d->line,
		    d->row, column, cname(m, c),
		    "'%s' has had no after-sales follow-up since %s (%ld days to %s%s): one was due by %s",
		    cname(m, c), sales_date_format(d->start, a),
		    (long)(end - d->start), sales_date_format(end, b),
		    end < st->as_of ? _(", the end of the warranty year") : "",
		    sales_date_format(d->rule_due, e));
}

/* Rule 4: 客户状态 is 已签约 exactly when a contract is signed. */
static void facts_lead_status(struct state *st, const struct sales_model *m,
			      const struct sales_facts *f)
{
	long c = f->customer;
	const struct sales_customer *k = &m->customers[c];
	int col = column_of(st, SALES_LEADS, LEAD_STATUS);
	char d[11];

	if (!k->lead_line)
		return;
	if (f->signed_contract >= 0 && k->status != SALES_LEAD_SIGNED) {
		const struct sales_contract *kc = &m->contracts[f->signed_contract];

		add(st, SALES_CHECK_APPROVALS, SALES_SEV_ERROR, SALES_LEADS,
		    k->lead_line, lead_row(m, k), col, cname(m, c),
		    "客户状态 of '%s' is %s but contract %s was signed on %s (04-contracts.csv:%u): it should be 已签约",
		    cname(m, c),
		    k->status >= 0 ? sales_lead_statuses[k->status] : "not 已签约",
		    sales_model_str(m, kc->id),
		    sales_date_format(kc->signed_date, d), (unsigned)kc->line);
	} else if (f->signed_contract < 0 && k->status == SALES_LEAD_SIGNED) {
		add(st, SALES_CHECK_APPROVALS, SALES_SEV_ERROR, SALES_LEADS,
		    k->lead_line, lead_row(m, k), col, cname(m, c),
		    "客户状态 of '%s' is 已签约 but none of its contracts is signed (已审批 with a 签订日期 in 04-contracts.csv)",
		    cname(m, c));
	}
}

/* Rule 9: 最后跟进时间 keeps up with the activity (the facts' verdict). */
static void facts_timeliness(struct state *st, const struct sales_model *m,
			     const struct sales_facts *f)
{
	const struct sales_customer *k = &m->customers[f->customer];
	struct sales_error err;

	if (f->timeliness == SALES_TIMELY)
		return;
	sales_error_clear(&err);
	sales_facts_timeliness(m, f->customer, sales_customer_last_contact(m, k), k->contact_blank,
			       &err);
	add(st, SALES_CHECK_TIMELINESS, SALES_SEV_ERROR, SALES_LEADS,
	    k->lead_line, lead_row(m, k),
	    column_of(st, SALES_LEADS, LEAD_LAST_CONTACT), cname(m, f->customer),
	    "%s", err.message);
}

/* Every finding the facts of one customer (or, c < 0, of the contracts
 * without one) give. */
static void facts_findings(struct state *st, const struct sales_model *m,
			   const struct sales_facts *f)
{
	long c = f->customer;

	if (c >= 0) {
		facts_stages(st, m, f);
		if (on(st, SALES_CHECK_APPROVALS))
			facts_lead_status(st, m, f);
		if (on(st, SALES_CHECK_TIMELINESS))
			facts_timeliness(st, m, f);
	}
	for (size_t i = 0; i < f->ndeadlines; i++) {
		const struct sales_deadline *d = &f->deadlines[i];

		switch (d->kind) {
		case SALES_RULE_SCREENING:
			if (on(st, SALES_CHECK_SCREENING))
				facts_screening(st, m, c, d);
			break;
		case SALES_RULE_PROPOSAL:
			if (on(st, SALES_CHECK_PROPOSAL))
				facts_proposal(st, m, c, d);
			break;
		case SALES_RULE_PAYMENT:
			facts_payment(st, m, c, d);
			break;
		case SALES_RULE_STALLED:
			facts_stalled(st, m, c, d);
			break;
		case SALES_RULE_AFTERSALES:
			facts_aftersales(st, m, c, d);
			break;
		case SALES_RULE_POOL:
			if (on(st, SALES_CHECK_POOL))
				facts_pool(st, m, c, d);
			break;
		default:
			break;
		}
	}
}

/*
 * changes.h's rule: a customer's phases may end at most the approved
 * 工期调整 later than first planned (the largest slip counts, once); a
 * signed contract's amount is its signed amount plus the approved 费用调整
 * of its changes.
 */
static void check_changes(struct state *st, const struct sales_model *m)
{
	char d1[11], d2[11];

	if (!on(st, SALES_CHECK_CHANGE))
		return;
	for (size_t i = 0; i < st->nslips; i++) {
		const struct plan_slip *s = &st->slips[i];
		long days = 0, worst = 0;
		size_t at = i;

		/* once per customer: at its first slip, naming the largest */
		for (size_t j = 0; j < i; j++)
			if (st->slips[j].customer == s->customer)
				goto next;
		for (size_t j = i; j < st->nslips; j++)
			if (st->slips[j].customer == s->customer &&
			    st->slips[j].days > worst) {
				worst = st->slips[j].days;
				at = j;
			}
		for (size_t j = 0; j < st->nchanges; j++)
			if (st->changes[j].approved &&
			    st->changes[j].customer == s->customer)
				days += st->changes[j].days;
		if (days >= worst)
			goto next;
		s = &st->slips[at];
		add(st, SALES_CHECK_CHANGE, SALES_SEV_ERROR, SALES_PLANS, s->line,
		    s->row, s->column, cname(m, s->customer),
		    "delivery phase '%s' ends %s, %ld days after its planned %s (audit.csv), but the approved changes in changes.csv give 工期调整 %ld天: record the change (sales change add)",
		    s->phase ? s->phase : "", sales_date_format(s->end, d1), worst,
		    sales_date_format(s->planned, d2), days);
next:;
	}
	for (size_t i = 0; st->hist && i < m->ncontracts; i++) {
		const struct sales_contract *k = &m->contracts[i];
		double signed_amount, cost = 0;

		if (k->customer == UINT32_MAX || k->status != SALES_APPROVAL_APPROVED ||
		    k->signed_date == SALES_DATE_NONE || k->signed_date > st->as_of ||
		    k->amount != k->amount ||
		    !sales_change_signed_amount(st->hist, sales_model_str(m, k->id),
						k->signed_date, &signed_amount) ||
		    fabs(k->amount - signed_amount) < 0.005)
			continue;
		for (size_t j = 0; j < st->nchanges; j++)
			if (st->changes[j].approved && st->changes[j].contract == (long)i)
				cost += st->changes[j].cost;
		if (fabs(k->amount - (signed_amount + cost)) < 0.005)
			continue;
		add(st, SALES_CHECK_CHANGE, SALES_SEV_ERROR, SALES_CONTRACTS, k->line,
		    k->row, column_of(st, SALES_CONTRACTS, CON_AMOUNT),
		    cname(m, k->customer),
		    "合同金额 of %s is %.10g万元, %.10g万元 when signed (audit.csv), but the approved changes in changes.csv add %+.10g万元 (expected %.10g万元): record the change (sales change add)",
		    sales_model_str(m, k->id), k->amount, signed_amount, cost,
		    signed_amount + cost);
	}
}

/* ---- running ---- */

/* Streams a sheet the model does not read, for the cell rules. */
static int stream_extra(struct state *st, const struct sales_model *m,
			enum sales_sheet_id id, struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	int rc;

	if (!sales_sheet_exists(st->ctx->dir, id))
		return 0;
	if (sales_sheet_open(st->ctx->dir, id, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		struct sales_row_event ev = { id, rec, sales_sheet_colmap(r), -1,
					      m, false };

		if (on_row(st, &ev, err) != 0) {
			rc = -1;
			break;
		}
	}
	sales_sheet_close(r);
	return rc < 0 ? -1 : 0;
}

/* Is finding r of a customer narrowed to (check.h's options)? */
static bool narrowed_in(const struct state *st, const struct sales_model *m,
			const struct raw *r)
{
	const char *name = st->text.data ? st->text.data + r->customer : "";
	long c;

	if (st->only_customer)
		return !strcmp(name, st->only_customer);
	if (!st->only_owner)
		return true;
	c = sales_model_find(m, name);
	return c >= 0 &&
	       !strcmp(sales_model_str(m, sales_customer_owner(m, &m->customers[c])), st->only_owner);
}

/* Raw finding r as a result's finding f, its strings in text (strict
 * applied), counted in res. */
static void to_finding(const struct state *st, const struct raw *r,
		       const char *text, struct sales_finding *f,
		       struct sales_check_result *res)
{
	memset(f, 0, sizeof(*f));
	f->check = (enum sales_check_id)r->check;
	f->severity = (enum sales_severity)r->severity;
	if (f->severity == SALES_SEV_WARNING && st->opt->strict)
		f->severity = SALES_SEV_ERROR;
	f->sheet = (enum sales_sheet_id)r->sheet;
	f->file = file_of(f->sheet);
	f->line = r->line;
	f->excel_row = r->excel_row;
	f->column = r->column;
	sales_cell_ref(r->column, r->excel_row, f->cell);
	f->customer = text + r->customer;
	f->message = text + r->message;
	f->explain = r->explain == NONE_OFF ? NULL : text + r->explain;
	switch (f->severity) {
	case SALES_SEV_ERROR:
		res->errors++;
		break;
	case SALES_SEV_WARNING:
		res->warnings++;
		break;
	case SALES_SEV_NOTE:
		res->notes++;
		break;
	default:
		break;
	}
}

/* May resolve_skips still change raw finding r? */
static bool unsettled(const struct state *st, const struct raw *r)
{
	return !st->skips_done && r->skip_sheet >= 0 && r->cust >= 0;
}

/* Copies the string at offset *off of from into to, updating *off. */
static int move_str(struct sales_buf *to, const struct sales_buf *from,
		    size_t *off)
{
	size_t n;

	if (*off == NONE_OFF)
		return 0;
	n = strlen(from->data + *off);
	if (sales_buf_grow(to, n + 1) < 0)
		return -1;
	memcpy(to->data + to->len, from->data + *off, n + 1);
	*off = to->len;
	to->len += n + 1;
	return 0;
}

/*
 * options.stream: writes the settled findings held as one sorted run and
 * forgets them (with force, whatever their number).  Called where no
 * finding index is held (between rows, between customers, at the end).
 * Failure sets nomem or spill_failed.
 */
static void spill(struct state *st, bool force)
{
	struct sales_buf kept_text = st->text2, swap;
	size_t n = 0, kept = 0;

	if (!st->stream || st->nomem || st->spill_failed || !st->nraw)
		return;
	if (!force && st->nraw < st->spill_at && st->text.len < SPILL_TEXT)
		return;
	if (!st->runs && sales_findrun_open(&st->runs, &st->spill_err) < 0) {
		st->spill_failed = 1;
		return;
	}
	if (SALES_ALLOC_GROW(st->batch, st->nraw, st->batchcap) < 0) {
		st->nomem = true;
		return;
	}
	for (size_t i = 0; i < st->nraw; i++)
		if (!unsettled(st, &st->raw[i]))
			to_finding(st, &st->raw[i], st->text.data, &st->batch[n++],
				   st->res);
	if (sales_findrun_add(st->runs, st->batch, n, &st->spill_err) < 0) {
		st->spill_failed = 1;
		return;
	}
	st->res->nfindings += n;
	for (size_t i = 0; i < st->nraw; i++) {
		struct raw *r = &st->raw[i];

		if (!unsettled(st, r))
			continue;
		if (!kept)
			sales_buf_reset(&kept_text);
		if (move_str(&kept_text, &st->text, &r->customer) < 0 ||
		    move_str(&kept_text, &st->text, &r->message) < 0 ||
		    move_str(&kept_text, &st->text, &r->explain) < 0) {
			st->nomem = true;
			st->text2 = kept_text;
			return;
		}
		st->raw[kept++] = *r;
	}
	st->nraw = kept;
	/* both pools keep their memory: the next findings reuse it */
	if (!kept) {
		sales_buf_reset(&st->text);
		st->text2 = kept_text;
		return;
	}
	swap = st->text;
	st->text = kept_text;
	st->text2 = swap;
}

static int finish(struct state *st, const struct sales_model *m,
		  struct sales_check_result *res)
{
	if (st->runs) {
		spill(st, true);
		if (st->nomem || st->spill_failed)
			return -1;
		res->runs = st->runs;
		st->runs = NULL;
		return 0;
	}
	for (size_t i = 0; i < st->nraw; i++)
		if (!narrowed_in(st, m, &st->raw[i]))
			st->raw[i].dropped = true;

	res->text = st->text;
	memset(&st->text, 0, sizeof(st->text));
	res->findings = calloc(st->nraw ? st->nraw : 1, sizeof(*res->findings));
	if (!res->findings)
		return -1;
	for (size_t i = 0; i < st->nraw; i++) {
		const struct raw *r = &st->raw[i];

		if (r->dropped)
			continue;
		to_finding(st, r, res->text.data, &res->findings[res->nfindings++],
			   res);
	}
	qsort(res->findings, res->nfindings, sizeof(*res->findings),
	      sales_finding_cmp);
	return 0;
}

static void state_release(struct state *st)
{
	sales_findrun_close(st->runs);
	free(st->batch);
	free(st->raw);
	sales_buf_release(&st->text);
	sales_buf_release(&st->text2);
	sales_buf_release(&st->why);
	sales_buf_release(&st->prep_why);
	memo_release(&st->memo);
	memo_release(&st->prep_memo);
	key_release(&st->names);
	key_release(&st->contracts);
	sales_written_free(st->written);
	free(st->floor);
	free(st->floor_of);
	free(st->changes);
	for (size_t i = 0; i < st->nslips; i++)
		free(st->slips[i].phase);
	free(st->slips);
	sales_change_history_free(st->hist);
	free(st->pre_name);
}

/*
 * Resolves the narrowing options: the customer by the shared resolver
 * (resolve.h, over every customer any sheet names), the owner by its exact name
 * among the leads' 负责人.  Sets res->match, suggestion, matched and
 * ncustomers.
 */
static enum sales_check_match narrow(struct state *st,
				     const struct sales_model *m,
				     struct sales_check_result *res)
{
	if (st->opt->customer) {
		struct sales_error why;
		enum sales_match how;
		long c;

		sales_error_clear(&why);
		c = sales_resolve_customer(m, st->opt->customer, false, &how,
					   &why);
		if (c < 0) {
			snprintf(res->why, sizeof(res->why), "%s", why.message);
			/* a level matched, but more than one customer */
			return res->match = how != SALES_MATCH_NONE ?
					    SALES_CHECK_AMBIGUOUS :
					    SALES_CHECK_UNKNOWN;
		}
		snprintf(res->matched, sizeof(res->matched), "%s",
			 sales_model_str(m, m->customers[c].name));
		st->only_customer = res->matched;
		res->ncustomers = 1;
	}
	if (st->opt->owner) {
		size_t len = strlen(st->opt->owner);
		const char *o = trim(st->opt->owner, &len);
		int best = 3;

		snprintf(res->matched, sizeof(res->matched), "%.*s", (int)len, o);
		for (size_t i = 0; i < m->ncustomers; i++) {
			const char *w = sales_model_str(m, sales_customer_owner(m, &m->customers[i]));
			int d;

			if (!strcmp(w, res->matched)) {
				res->ncustomers++;
				continue;
			}
			d = *w ? sales_edit_distance(o, len, w, strlen(w), best - 1) :
			    best;
			if (d < best) {
				best = d;
				snprintf(res->suggestion, sizeof(res->suggestion),
					 "%s", w);
			}
		}
		if (!res->ncustomers)
			return res->match = SALES_CHECK_UNKNOWN;
		res->suggestion[0] = '\0';
		st->only_owner = res->matched;
	}
	return SALES_CHECK_MATCHED;
}

/* Everything before the load: the options, audit.csv's history and
 * writes.  prefilter: opt->customer as typed, for on_row and check_prep.
 * On failure the caller still releases st. */
static int state_open(struct state *st, const struct sales_context *ctx,
		      const struct sales_check_options *opt, bool prefilter,
		      struct sales_error *err)
{
	memset(st, 0, sizeof(*st));
	st->owner = pthread_self();
	st->ctx = ctx;
	st->opt = opt;
	st->as_of = opt->as_of != SALES_DATE_NONE ? opt->as_of : ctx->today;
	st->dym_budget = 50000000;
	st->names.names = true;
	st->stream = opt->stream && !opt->customer && !opt->owner;
	st->spill_at = opt->spill_at ? opt->spill_at : SPILL_AT;
	for (int id = 0; id < SALES_NSHEETS; id++) {
		st->ccol[id] = id == SALES_TEAM ? -1 :
			       sales_column_find(sales_sheet_def(id), "customer");
		for (size_t col = 0; col < sales_sheet_def(id)->ncolumns; col++)
			if (sales_cell_any_text((enum sales_sheet_id)id, (int)col))
				st->any_text[id] |= 1u << col;
		for (size_t col = 0; col < sales_sheet_def(id)->ncolumns; col++) {
			const struct sales_column_def *cd =
				&sales_sheet_def(id)->columns[col];

			if (!sales_cell_reads_row((enum sales_sheet_id)id, (int)col))
				st->alone[id] |= 1u << col;
			st->cols_all[id] |= 1u << col;
			if (cd->type != SALES_COL_DATE)
				continue;
			st->cols_date[id] |= 1u << col;
			if (sales_column_is_event_date((enum sales_sheet_id)id,
						       (int)col))
				st->cols_event[id] |= 1u << col;
		}
	}
	st->pre_c = -1;
	st->only = -1;
	if (prefilter) {
		size_t len = strlen(opt->customer);
		const char *s = trim(opt->customer, &len);

		/* the name as typed; a row names it by its model name */
		if (!(st->pre_name = strndup(s, len)))
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
					       "out of memory");
	}
	if (on(st, SALES_CHECK_CHANGE) &&
	    sales_change_history_load(ctx->dir, &st->hist, err) < 0)
		return -1;
	if (on(st, SALES_CHECK_DAMAGE) &&
	    sales_written_load(ctx->dir, &st->written, err) < 0)
		return -1;
	return 0;
}

/* ---- the facts and floor pass, in one or two threads ---- */

/*
 * After the load the customers' facts (from customer -1) and then the
 * contracts' floor are judged in blocks, each block's findings in the
 * order one thread gives them.  With two threads the caller judges the
 * even blocks straight into its state and a second thread the odd ones,
 * each into a slot of its own; the caller takes a slot's findings in
 * block order, spilling where one thread would have spilt (after each
 * customer or contract that added findings), so the findings, their order
 * and the runs are the same whatever the thread count.  Two slots: the
 * second thread is at most two blocks ahead, so memory stays that of a
 * few blocks' findings.
 */
#define PASS_BLOCK 2048          /* customers, or contracts, per block */

struct pass {
	const struct sales_model *m;
	const struct sales_rulebook *rb;
	const struct floor_pass *fp;
	long only;               /* the one customer narrowed to, else -1 */
	size_t nfacts;           /* blocks of customers, then of contracts */
	size_t nblocks;
};

/* A block's findings made by the second thread. */
struct pass_slot {
	struct state st;         /* a copy of the caller's, raw and text its own */
	uint32_t *ends;          /* nraw after each item that added findings */
	size_t nends, endscap;
	bool full;
	int rc;
	struct sales_error err;
};

struct pass_worker {
	struct pass *pass;
	struct pass_slot slot[2];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

/*
 * Judges block b into st: with ends, the raw count after each item that
 * added findings goes there; without, st spills there.  Returns 0, or -1
 * with err (out of memory in the facts).
 */
static int pass_block(const struct pass *ps, size_t b, struct state *st,
		      struct sales_facts *facts, struct pass_slot *ends,
		      struct sales_error *err)
{
	size_t from, to;

	if (b < ps->nfacts) {
		from = b * PASS_BLOCK;
		to = from + PASS_BLOCK;
		if (to > ps->m->ncustomers + 1)
			to = ps->m->ncustomers + 1;
	} else {
		from = (b - ps->nfacts) * PASS_BLOCK;
		to = from + PASS_BLOCK;
		if (to > ps->m->ncontracts)
			to = ps->m->ncontracts;
	}
	for (size_t i = from; i < to; i++) {
		size_t before = st->nraw;

		if (b < ps->nfacts) {
			long c = (long)i - 1;

			/* narrowed to one customer: its facts are the only
			 * ones that can give its findings (and c = -1's name
			 * no customer) */
			if (ps->only >= 0 && c != ps->only)
				continue;
			if (sales_facts_eval(ps->rb, c, SALES_FACTS_ALL, facts,
					     err) < 0)
				return -1;
			facts_findings(st, ps->m, facts);
		} else {
			check_floor(st, ps->m, ps->rb, ps->fp, i);
		}
		if (st->nraw == before)
			continue;
		if (!ends) {
			spill(st, false);
		} else if (SALES_ALLOC_GROW(ends->ends, ends->nends + 1,
					    ends->endscap) < 0) {
			st->nomem = true;
		} else {
			ends->ends[ends->nends++] = (uint32_t)st->nraw;
		}
	}
	return 0;
}

static void *pass_thread(void *arg)
{
	struct pass_worker *w = arg;
	struct sales_facts facts;

	sales_facts_init(&facts);
	for (size_t b = 1; b < w->pass->nblocks; b += 2) {
		struct pass_slot *s = &w->slot[(b / 2) % 2];
		bool stop;

		pthread_mutex_lock(&w->mu);
		while (s->full && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		stop = w->stop;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			break;
		s->st.nraw = 0;
		s->st.text.len = 0;
		s->nends = 0;
		s->rc = pass_block(w->pass, b, &s->st, &facts, s, &s->err);
		pthread_mutex_lock(&w->mu);
		s->full = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		if (s->rc < 0)
			break;
	}
	sales_facts_release(&facts);
	return NULL;
}

/* Slot s's findings into st, in order, spilling where one thread would. */
static void pass_take(struct state *st, const struct pass_slot *s)
{
	const struct state *from = &s->st;
	size_t i = 0;

	if (from->nomem)
		st->nomem = true;
	for (size_t e = 0; e < s->nends && !st->nomem; e++) {
		for (; i < s->ends[e]; i++) {
			const struct raw *r = &from->raw[i];
			const char *t = from->text.data;
			struct raw *to;

			if (SALES_ALLOC_GROW(st->raw, st->nraw + 1, st->rawcap) < 0) {
				st->nomem = true;
				return;
			}
			to = &st->raw[st->nraw];
			*to = *r;
			to->customer = text_add(st, t + r->customer,
						strlen(t + r->customer));
			to->message = text_add(st, t + r->message,
					       strlen(t + r->message));
			if (r->explain != NONE_OFF)
				to->explain = text_add(st, t + r->explain,
						       strlen(t + r->explain));
			if (st->nomem)
				return;
			st->nraw++;
		}
		spill(st, false);
	}
}

/* Should the pass have two threads?  As the readers decide, by the size of
 * 01-leads.csv (sales_thread_count). */
static bool pass_threaded(const struct state *st)
{
	char *path = sales_path_join(st->ctx->dir, file_of(SALES_LEADS));
	struct stat sb;
	unsigned long long bytes = 0;

	if (path && stat(path, &sb) == 0)
		bytes = (unsigned long long)sb.st_size;
	free(path);
	return sales_thread_count(bytes) > 1;
}

/* The facts of every customer (or only), then the floor.  Returns 0, or -1
 * with err. */
static int facts_and_floor(struct state *st, const struct sales_model *m,
			   const struct sales_rulebook *rb,
			   const struct floor_pass *fp, long only,
			   struct sales_error *err)
{
	struct pass ps = { m, rb, fp, only, 0, 0 };
	struct pass_worker w;
	struct sales_facts facts;
	pthread_t thread;
	bool threaded;
	int rc = 0;

	ps.nfacts = (m->ncustomers + 1 + PASS_BLOCK - 1) / PASS_BLOCK;
	ps.nblocks = ps.nfacts + (m->ncontracts + PASS_BLOCK - 1) / PASS_BLOCK;
	threaded = only < 0 && ps.nblocks > 1 && pass_threaded(st);
	memset(&w, 0, sizeof(w));
	w.pass = &ps;
	for (int k = 0; k < 2; k++) {
		struct state *s = &w.slot[k].st;

		*s = *st;
		s->raw = NULL;
		s->nraw = s->rawcap = 0;
		memset(&s->text, 0, sizeof(s->text));
		s->nomem = false;
		s->stream = false;
	}
	if (threaded && pthread_mutex_init(&w.mu, NULL) != 0)
		threaded = false;
	if (threaded && pthread_cond_init(&w.cv, NULL) != 0) {
		pthread_mutex_destroy(&w.mu);
		threaded = false;
	}
	if (threaded && pthread_create(&thread, NULL, pass_thread, &w) != 0) {
		pthread_cond_destroy(&w.cv);
		pthread_mutex_destroy(&w.mu);
		threaded = false;
	}
	sales_facts_init(&facts);
	for (size_t b = 0; b < ps.nblocks && !rc; b++) {
		struct pass_slot *s = &w.slot[(b / 2) % 2];

		if (!threaded || b % 2 == 0) {
			rc = pass_block(&ps, b, st, &facts, NULL, err);
			continue;
		}
		pthread_mutex_lock(&w.mu);
		while (!s->full)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
		if (s->rc < 0) {
			*err = s->err;
			rc = -1;
			break;
		}
		pass_take(st, s);
		pthread_mutex_lock(&w.mu);
		s->full = false;
		pthread_cond_broadcast(&w.cv);
		pthread_mutex_unlock(&w.mu);
	}
	sales_facts_release(&facts);
	if (threaded) {
		pthread_mutex_lock(&w.mu);
		w.stop = true;
		pthread_cond_broadcast(&w.cv);
		pthread_mutex_unlock(&w.mu);
		pthread_join(thread, NULL);
		pthread_cond_destroy(&w.cv);
		pthread_mutex_destroy(&w.mu);
	}
	for (int k = 0; k < 2; k++) {
		free(w.slot[k].st.raw);
		sales_buf_release(&w.slot[k].st.text);
		free(w.slot[k].ends);
	}
	return rc;
}

/*
 * Everything after the load of m: the narrowing, the support sheets, the
 * facts of each customer, the floor, the changes, the result.  Returns 0
 * with res filled, 1 when the load must be made again with every
 * customer's rows judged (the name as typed is not the one it resolved
 * to), or -1 with err.
 */
static int state_finish(struct state *st, const struct sales_model *m,
			struct sales_check_result *res, struct sales_error *err)
{
	struct sales_rulebook *rb = NULL;
	struct floor_pass fp = { .total = NULL };
	long only = -1;
	int rc = -1;

	if (narrow(st, m, res) != SALES_CHECK_MATCHED)
		return 0;
	if (st->pre_name && !st->caller_filters &&
	    strcmp(st->only_customer, st->pre_name))
		return 1;
	if (st->only_customer)
		only = sales_model_find(m, st->only_customer);
	st->only = only;
	/* the findings of the support sheets' rows name no customer */
	if (!st->only_customer &&
	    (stream_extra(st, m, SALES_KPI, err) < 0 ||
	     stream_extra(st, m, SALES_TEAM, err) < 0 ||
	     stream_extra(st, m, SALES_APPROVAL_RULES, err) < 0 ||
	     stream_extra(st, m, SALES_TARGETS, err) < 0))
		goto out;
	resolve_skips(st, m);
	st->skips_done = true;
	/* the rows are all judged: what only they read goes before the
	 * rulebook's buckets come (a million names' keys are 16 MB) */
	key_release(&st->names);
	key_release(&st->contracts);
	if (sales_rulebook_open(&rb, m, err) < 0 ||
	    floor_open(st, m, &fp, err) < 0 ||
	    facts_and_floor(st, m, rb, &fp, only, err) < 0)
		goto out;
	sales_rulebook_close(rb);
	rb = NULL;
	check_changes(st, m);
	if (st->nomem)
		goto nomem;
	if (!st->only_customer && !st->only_owner)
		res->ncustomers = m->ncustomers;
	if (finish(st, m, res) < 0) {
		if (st->spill_failed) {
			*err = st->spill_err;
			goto out;
		}
		goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	floor_close(&fp);
	sales_rulebook_close(rb);
	return rc;
}

static int check_run(const struct sales_context *ctx,
		     const struct sales_check_options *opt, bool prefilter,
		     struct sales_check_result *res, struct sales_error *err)
{
	struct state st;
	struct sales_model *m = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	rc = state_open(&st, ctx, opt, prefilter, err);
	st.res = res;
	if (!rc)
		rc = sales_model_load_prep(&m, ctx, SALES_MODEL_ALL, on_row, &st,
					   check_prep, &st, err);
	if (!rc)
		rc = state_finish(&st, m, res, err);
	sales_model_free(m);
	state_release(&st);
	if (rc)
		sales_check_result_release(res);
	/* typed otherwise than the name it resolved to: again, the rows of
	 * every customer judged */
	return rc > 0 ? check_run(ctx, opt, false, res, err) : rc;
}

int sales_check_run(const struct sales_context *ctx,
		    const struct sales_check_options *opt,
		    struct sales_check_result *res, struct sales_error *err)
{
	return check_run(ctx, opt, opt->customer != NULL, res, err);
}

/* ---- on a load the caller makes ---- */

struct sales_check_session {
	struct sales_check_options opt;
	struct state st;
};

int sales_check_session_open(struct sales_check_session **out,
			     const struct sales_context *ctx,
			     const struct sales_check_options *opt,
			     struct sales_error *err)
{
	struct sales_check_session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	s->opt = *opt;
	s->opt.stream = false;
	if (state_open(&s->st, ctx, &s->opt, opt->customer != NULL, err) < 0) {
		sales_check_session_close(s);
		return -1;
	}
	s->st.caller_filters = true;
	*out = s;
	return 0;
}

int sales_check_session_row(struct sales_check_session *s,
			    const struct sales_row_event *ev, bool candidate,
			    struct sales_error *err)
{
	s->st.candidate = candidate;
	return on_row(&s->st, ev, err);
}

void sales_check_session_prep(void *session, enum sales_sheet_id id,
			      const struct sales_colmap *map,
			      const struct sales_record *rec,
			      struct sales_row_prep *p)
{
	struct sales_check_session *s = session;

	check_prep(&s->st, id, map, rec, p);
}

int sales_check_session_finish(struct sales_check_session *s,
			       const struct sales_model *m, const char *customer,
			       struct sales_check_result *res,
			       struct sales_error *err)
{
	int rc;

	memset(res, 0, sizeof(*res));
	s->st.res = res;
	if (customer)
		s->opt.customer = customer;
	rc = state_finish(&s->st, m, res, err);
	if (rc)
		sales_check_result_release(res);
	return rc ? -1 : 0;
}

void sales_check_session_close(struct sales_check_session *s)
{
	if (!s)
		return;
	state_release(&s->st);
	free(s);
}

/* ---- excerpts ---- */

int sales_check_excerpts(struct sales_check_result *res, const char *dir,
			 int width, struct sales_error *err)
{
	size_t *offs, i = 0;
	struct sales_buf line = { 0 };
	int status = 0;

	if (!res->nfindings)
		return 0;
	offs = malloc(res->nfindings * sizeof(*offs));
	if (!offs)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	for (size_t k = 0; k < res->nfindings; k++)
		offs[k] = NONE_OFF;
	while (i < res->nfindings && status == 0) {
		enum sales_sheet_id id = res->findings[i].sheet;
		struct sales_sheet_reader *r;
		const struct sales_record *rec;
		size_t end = i;
		int rc = 0;

		while (end < res->nfindings && res->findings[end].sheet == id)
			end++;
		if (sales_sheet_open(dir, id, SALES_ENC_AUTO, &r, err) < 0) {
			status = -1;
			break;
		}
		while (i < end && (rc = sales_sheet_next(r, &rec, err)) > 0) {
			const struct sales_row *row = rec->row;
			size_t off;

			while (i < end && res->findings[i].line < row->line)
				i++;
			if (i >= end || res->findings[i].line != row->line)
				continue;
			sales_buf_reset(&line);
			for (size_t c = 0; c < row->ncells; c++) {
				if (c)
					sales_buf_addch(&line, ',');
				for (size_t b = 0; b < row->cells[c].len; b++) {
					char ch = row->cells[c].s[b];

					sales_buf_addch(&line, ch == '\r' || ch == '\n' ||
							ch == '\t' ? ' ' : ch);
				}
			}
			off = res->excerpts.len;
			if (line.len && sales_buf_grow(&res->excerpts,
						       line.len + 8) == 0) {
				size_t w = sales_utf8_width(line.data, line.len);
				size_t n = sales_utf8_pad(line.data, line.len,
							  w > (size_t)width ? width :
							  (int)w, false,
							  res->excerpts.data + off,
							  line.len + 8);

				res->excerpts.len += n + 1;
			} else if (sales_buf_addch(&res->excerpts, '\0') < 0) {
				status = sales_error_set(err, SALES_ENOMEM, NULL,
							 0, 0, "out of memory");
				break;
			}
			for (; i < end && res->findings[i].line == row->line; i++)
				offs[i] = off;
		}
		if (rc < 0)
			status = -1;
		sales_sheet_close(r);
		i = end;
	}
	sales_buf_release(&line);
	for (size_t k = 0; k < res->nfindings; k++)
		res->findings[k].excerpt = offs[k] == NONE_OFF ? NULL :
					   res->excerpts.data + offs[k];
	free(offs);
	return status;
}

int sales_check_next(struct sales_check_result *res,
		     const struct sales_finding **f, struct sales_error *err)
{
	if (res->runs)
		return sales_findrun_next(res->runs, f, err);
	if (res->next >= res->nfindings)
		return 0;
	*f = &res->findings[res->next++];
	return 1;
}

void sales_check_result_release(struct sales_check_result *res)
{
	sales_findrun_close(res->runs);
	free(res->findings);
	sales_buf_release(&res->text);
	sales_buf_release(&res->excerpts);
	memset(res, 0, sizeof(*res));
}
