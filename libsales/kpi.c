#include "kpi.h"
#include "i18n.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "context.h"
#include "facts.h"
#include "readahead.h"
#include "schema.h"
#include "text.h"
#include "txn.h"
#include "workbook.h"

const struct sales_kpi_fact_def sales_kpi_facts[SALES_KPI_NFACTS] = {
	[SALES_KPI_F_REGISTERED] = { "registered", SALES_KPI_SRC_CUSTOMERS, true },
	[SALES_KPI_F_CLOSED] = { "closed", SALES_KPI_SRC_CUSTOMERS, true },
	[SALES_KPI_F_SIGNED_FIRST] = { "signed_first", SALES_KPI_SRC_CUSTOMERS, true },
	[SALES_KPI_F_SIGNED] = { "signed", SALES_KPI_SRC_CONTRACTS, true },
	[SALES_KPI_F_AMOUNT] = { "amount", SALES_KPI_SRC_CONTRACTS, false },
	[SALES_KPI_F_CUSTOMER_REGISTERED] = { "customer_registered", SALES_KPI_SRC_CONTRACTS, true },
	[SALES_KPI_F_PAYMENT_DUE] = { "payment_due", SALES_KPI_SRC_CONTRACTS, true },
	[SALES_KPI_F_PAID] = { "paid", SALES_KPI_SRC_CONTRACTS, true },
	[SALES_KPI_F_DATE] = { "date", SALES_KPI_SRC_FOLLOWUPS, true },
	[SALES_KPI_F_SATISFACTION] = { "satisfaction", SALES_KPI_SRC_FOLLOWUPS, false },
};

const char *const sales_kpi_source_views[SALES_KPI_NSOURCES] = {
	"kpi_customers", "kpi_contracts", "kpi_followups",
};

#define IN_Q(f) { SALES_KPI_IN_Q, SALES_KPI_F_##f, 0, 0, 0 }
#define DURING_Q(f) { SALES_KPI_DURING_Q, SALES_KPI_F_##f, 0, 0, 0 }
#define BY_AS_OF(f) { SALES_KPI_BY_AS_OF, SALES_KPI_F_##f, 0, 0, 0 }
#define KNOWN(f) { SALES_KPI_KNOWN, SALES_KPI_F_##f, 0, 0, 0 }
#define NOT_AFTER(f, g) { SALES_KPI_NOT_AFTER, SALES_KPI_F_##f, SALES_KPI_F_##g, 0, 0 }
#define BETWEEN(f, l, h) { SALES_KPI_BETWEEN, SALES_KPI_F_##f, 0, l, h }

const struct sales_kpi_def sales_kpi_defs[SALES_KPI_COUNT] = {
	{ "线索转化率", "conversion", SALES_KPI_RATE, false, false,
	  N_("leads with 登记日期 in Q that have a signed contract"),
	  N_("leads with 登记日期 in Q"),
	  { { SALES_KPI_SRC_CUSTOMERS, { IN_Q(REGISTERED) },
	      SALES_KPI_ADD_COUNT_IF, 0, 0, { BY_AS_OF(SIGNED_FIRST) } } }, 1 },
	{ "平均客单价(万元)", "deal_size", SALES_KPI_AMOUNT, false, true,
	  N_("sum of 合同金额 of signed contracts with 签订日期 in Q"),
	  N_("signed contracts with 签订日期 in Q"),
	  { { SALES_KPI_SRC_CONTRACTS,
	      { IN_Q(SIGNED), KNOWN(AMOUNT) },
	      SALES_KPI_ADD_SUM, SALES_KPI_F_AMOUNT, 0, { { 0 } } } }, 1 },
	{ "销售周期(天)", "cycle", SALES_KPI_DAYS, true, true,
	  N_("sum of calendar days from the customer's 登记日期 to 签订日期, signed contracts with 签订日期 in Q"),
	  N_("those contracts (whose customer has a 登记日期)"),
	  { { SALES_KPI_SRC_CONTRACTS,
	      { IN_Q(SIGNED), KNOWN(CUSTOMER_REGISTERED) },
	      SALES_KPI_ADD_DAYS, SALES_KPI_F_SIGNED,
	      SALES_KPI_F_CUSTOMER_REGISTERED, { { 0 } } } }, 1 },
	{ "客户满意度", "satisfaction", SALES_KPI_RATE, false, false,
	  N_("follow-ups with 跟进时间 in Q and 满意度 >= 4"),
	  N_("follow-ups with 跟进时间 in Q and a 满意度"),
	  { { SALES_KPI_SRC_FOLLOWUPS, { IN_Q(DATE), BETWEEN(SATISFACTION, 1, 5) },
	      SALES_KPI_ADD_COUNT_IF, 0, 0, { BETWEEN(SATISFACTION, 4, 5) } } }, 1 },
	{ "赢单率", "win_rate", SALES_KPI_RATE, false, false,
	  N_("signed contracts with 签订日期 in Q"),
	  N_("those + lost (已丢单) customers whose 最后跟进时间 is in Q"),
	  { { SALES_KPI_SRC_CONTRACTS, { IN_Q(SIGNED) },
	      SALES_KPI_ADD_COUNT_IF, 0, 0, { { 0 } } },
	    { SALES_KPI_SRC_CUSTOMERS, { IN_Q(CLOSED) },
	      SALES_KPI_ADD_ZERO, 0, 0, { { 0 } } } }, 2 },
	{ "回款率", "collection", SALES_KPI_RATE, false, false,
	  N_("signed contracts with 付款到期日 in Q and 回款日期 on or before it"),
	  N_("signed contracts with 付款到期日 in Q"),
	  /* 付款到期日 is a plan: only the signing and the payment are cut at A */
	  { { SALES_KPI_SRC_CONTRACTS, { BY_AS_OF(SIGNED), DURING_Q(PAYMENT_DUE) },
	      SALES_KPI_ADD_COUNT_IF, 0, 0,
	      { NOT_AFTER(PAID, PAYMENT_DUE), BY_AS_OF(PAID) } } }, 1 },
};

#undef IN_Q
#undef DURING_Q
#undef BY_AS_OF
#undef KNOWN
#undef NOT_AFTER
#undef BETWEEN

/* ---- names ---- */

/* The part of a metric name before its unit in parentheses, trimmed. */
static const char *metric_base(const char *s, size_t len, size_t *blen)
{
	s = sales_trim(s, &len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '(' ||
		    (i + 3 <= len && !memcmp(s + i, "\xef\xbc\x88", 3))) {
			len = i;
			break;
		}
	}
	s = sales_trim(s, &len);
	*blen = len;
	return s;
}

int sales_kpi_find(const char *name, size_t len)
{
	size_t blen, dlen;
	const char *b = metric_base(name, len, &blen);

	if (!blen)
		return -1;
	for (int i = 0; i < SALES_KPI_COUNT; i++) {
		const char *d = metric_base(sales_kpi_defs[i].name,
					    strlen(sales_kpi_defs[i].name), &dlen);

		if (dlen == blen && !memcmp(d, b, blen))
			return i;
	}
	return -1;
}

int sales_kpi_by_parse(const char *s)
{
	static const struct { const char *name; enum sales_kpi_by by; } t[] = {
		{ "none", SALES_KPI_BY_NONE }, { "owner", SALES_KPI_BY_OWNER },
		{ "region", SALES_KPI_BY_REGION },
		{ "product_line", SALES_KPI_BY_PRODUCT_LINE },
		{ "product-line", SALES_KPI_BY_PRODUCT_LINE },
		{ "workbook", SALES_KPI_BY_WORKBOOK },
		{ "工作簿", SALES_KPI_BY_WORKBOOK },
	};
	int col;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].name))
			return (int)t[i].by;
	/* the column's header, as 01-leads.csv spells it (any form) */
	col = sales_column_find(sales_sheet_def(SALES_LEADS), s);
	switch (col) {
	case LEAD_OWNER: return SALES_KPI_BY_OWNER;
	case LEAD_REGION: return SALES_KPI_BY_REGION;
	case LEAD_PRODUCT_LINE: return SALES_KPI_BY_PRODUCT_LINE;
	default: return -1;
	}
}

/* ---- an interning table: strings to dense ids, no malloc per lookup ---- */

struct strtab {
	struct sales_buf pool;   /* NUL-terminated strings */
	uint32_t *off;           /* id -> offset in pool */
	size_t n, nalloc;
	uint64_t *slot;          /* open addressing: (hash << 32) | (id + 1), 0 empty */
	size_t cap;              /* a power of two, or 0 */
};

/* A slot keeps the low 32 bits of its string's hash: probes compare it
 * before the string, and growing rehashes without reading strings. */
#define SLOT(hash, id) ((uint64_t)(hash) << 32 | ((uint64_t)(id) + 1))
#define SLOT_ID(v) ((size_t)((v) & 0xFFFFFFFFu) - 1)
#define SLOT_HASH(v) ((uint32_t)((v) >> 32))

/* The names' hash: eight bytes a step (the table is this file's own, so
 * any good mix will do; ids, not slots, decide every order). */
static uint32_t name_hash(const char *s, size_t len)
{
	return (uint32_t)sales_hash_fast(s, len);
}

static const char *strtab_str(const struct strtab *t, size_t id)
{
	return t->pool.data + t->off[id];
}

static int strtab_grow(struct strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	uint64_t *slot = sales_zalloc(cap, sizeof(*slot));

	if (!slot)
		return -1;
	for (size_t k = 0; k < t->cap; k++) {
		uint64_t v = t->slot[k];
		size_t i;

		if (!v)
			continue;
		i = SLOT_HASH(v) & (cap - 1);
		while (slot[i])
			i = (i + 1) & (cap - 1);
		slot[i] = v;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t strtab_probe(const struct strtab *t, const char *s, size_t len,
			   uint32_t hash)
{
	size_t i = hash & (t->cap - 1);

	for (; t->slot[i]; i = (i + 1) & (t->cap - 1)) {
		uint64_t v = t->slot[i];
		const char *c;

		if (SLOT_HASH(v) != hash)
			continue;
		c = strtab_str(t, SLOT_ID(v));
		if (!strncmp(c, s, len) && c[len] == '\0')
			break;
	}
	return i;
}

/* Room for one more string: then the slot a hash starts at stays where
 * strtab_prefetch looked until it is added. */
static int strtab_reserve(struct strtab *t)
{
	return (t->n + 1) * 2 > t->cap ? strtab_grow(t) : 0;
}

/* Asks for the first slot of hash ahead of strtab_intern_hashed (after
 * strtab_reserve): a table of a million names misses the cache on about
 * every probe, and the caller has other work to do meanwhile. */
static void strtab_prefetch(const struct strtab *t, uint32_t hash)
{
	__builtin_prefetch(&t->slot[hash & (t->cap - 1)]);
}

/* The id of s, whose name_hash is hash, added when absent (*added says
 * so); -1 on ENOMEM. */
static long strtab_intern_hashed(struct strtab *t, const char *s, size_t len,
				 uint32_t hash, bool *added)
{
	size_t i;

	*added = false;
	if (strtab_reserve(t) < 0)
		return -1;
	i = strtab_probe(t, s, len, hash);
	if (t->slot[i])
		return (long)SLOT_ID(t->slot[i]);
	if (SALES_ALLOC_GROW(t->off, t->n + 1, t->nalloc) < 0)
		return -1;
	if (t->pool.len > UINT32_MAX - len - 1)
		return -1;
	t->off[t->n] = (uint32_t)t->pool.len;
	if (sales_buf_add(&t->pool, s, len) < 0 ||
	    sales_buf_addch(&t->pool, '\0') < 0)
		return -1;
	t->slot[i] = SLOT(hash, t->n);
	*added = true;
	return (long)t->n++;
}

/* The id of s, added when absent (*added says so); -1 on ENOMEM. */
static long strtab_intern(struct strtab *t, const char *s, size_t len,
			  bool *added)
{
	return strtab_intern_hashed(t, s, len, name_hash(s, len), added);
}

static void strtab_reset(struct strtab *t)
{
	sales_buf_reset(&t->pool);
	t->n = 0;
	if (t->cap)
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
}

static void strtab_release(struct strtab *t)
{
	sales_buf_release(&t->pool);
	free(t->off);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* ---- groups: named by a 01 cell, or one per workbook ---- */

struct groupset {
	enum sales_kpi_by by;
	struct strtab names;        /* BY_OWNER, BY_REGION, BY_PRODUCT_LINE */
	char **wbnames;             /* BY_WORKBOOK */
	size_t n;                   /* groups so far */
};

static int groupset_init(struct groupset *gs, enum sales_kpi_by by,
			 const char *const *dirs, const char *const *labels,
			 size_t ndirs)
{
	memset(gs, 0, sizeof(*gs));
	gs->by = by;
	if (by == SALES_KPI_BY_NONE) {
		gs->n = 1;
	} else if (by == SALES_KPI_BY_WORKBOOK) {
		gs->wbnames = calloc(ndirs, sizeof(*gs->wbnames));
		if (!gs->wbnames)
			return -1;
		gs->n = ndirs;
		for (size_t i = 0; i < ndirs; i++)
			if (!(gs->wbnames[i] = strdup(labels ? labels[i] : dirs[i])))
				return -1;
	}
	return 0;
}

static void groupset_release(struct groupset *gs)
{
	strtab_release(&gs->names);
	if (gs->wbnames)
		for (size_t i = 0; i < gs->n; i++)
			free(gs->wbnames[i]);
	free(gs->wbnames);
	memset(gs, 0, sizeof(*gs));
}

/* The group of a row of workbook wb whose grouping cell holds v (NULL or
 * blank: SALES_KPI_GROUP_UNSET); -1 on ENOMEM. */
static long groupset_of(struct groupset *gs, size_t wb, const char *v)
{
	size_t len;
	long id;
	bool added;

	if (gs->by == SALES_KPI_BY_NONE)
		return 0;
	if (gs->by == SALES_KPI_BY_WORKBOOK)
		return (long)wb;
	len = v ? strlen(v) : 0;
	v = v ? sales_trim(v, &len) : "";
	if (!len) {
		v = SALES_KPI_GROUP_UNSET;
		len = strlen(v);
	}
	id = strtab_intern(&gs->names, v, len, &added);
	if (id >= 0 && (size_t)id >= gs->n)
		gs->n = (size_t)id + 1;
	return id;
}

struct named {
	const char *name;
	size_t id;
};

static int cmp_groups(const void *a, const void *b)
{
	const char *x = ((const struct named *)a)->name;
	const char *y = ((const struct named *)b)->name;
	bool ux = !strcmp(x, SALES_KPI_GROUP_UNSET);
	bool uy = !strcmp(y, SALES_KPI_GROUP_UNSET);

	if (ux != uy)
		return ux ? 1 : -1;
	return strcmp(x, y);
}

/* The groups in report order (malloc'd, gs->n entries; NULL on ENOMEM):
 * BY_WORKBOOK in folder order, named groups sorted with the unset one last.
 * Names live as long as gs. */
static struct named *groupset_order(const struct groupset *gs)
{
	struct named *order = malloc((gs->n ? gs->n : 1) * sizeof(*order));

	if (!order)
		return NULL;
	for (size_t i = 0; i < gs->n; i++) {
		order[i].id = i;
		switch (gs->by) {
		case SALES_KPI_BY_NONE: order[i].name = NULL; break;
		case SALES_KPI_BY_WORKBOOK: order[i].name = gs->wbnames[i]; break;
		default: order[i].name = strtab_str(&gs->names, i); break;
		}
	}
	if (gs->by != SALES_KPI_BY_NONE && gs->by != SALES_KPI_BY_WORKBOOK)
		qsort(order, gs->n, sizeof(*order), cmp_groups);
	return order;
}

/* ---- the computation ---- */

enum { NOW, BEFORE, NPERIODS };

struct customer {
	uint32_t group;
	uint32_t line;              /* its row in 01 */
	sales_date registered;
	sales_date closed;          /* 最后跟进时间 when lost, else NONE */
	sales_date signed_first;    /* earliest signed (已审批) contract */
};

struct acc {
	struct sales_kpi_ratio r[NPERIODS][SALES_KPI_COUNT];
};

struct target {
	bool has, conflict;
	double value;
};

/* Where a sheet's warnings go: the report's list, or (for the sheets read
 * in a second thread) a list appended to it once those before are read. */
/* A date cell's text and what sales_parse_date made of it: a few thousand
 * texts (days in five spellings) fill a sheet's date columns. */
#define DATE_MEMO 8192

struct date_memo {
	uint8_t len;                /* 0: empty slot */
	bool invalid;
	char s[22];
	sales_date d;
};

struct sink {
	char file[256];             /* the sheet's name in messages */
	struct sales_error *w;      /* [SALES_KPI_MAX_WARNINGS] */
	size_t *n, *total;
	struct date_memo memo[DATE_MEMO];  /* the thread's own */
};

struct kpi_state {
	const struct sales_kpi_query *q;
	struct sales_kpi_report *r;
	sales_date first[NPERIODS], last[NPERIODS], as_of[NPERIODS];
	struct groupset groups;
	struct acc *acc;            /* per group */
	size_t nacc;
	/* the workbook being read */
	size_t wb;
	struct sink sink;           /* into r's warnings */
	struct strtab names;
	struct customer *cust;
	size_t ncust, custalloc;
	struct target *targets;     /* [ndirs][SALES_KPI_COUNT] */
	size_t ndirs;               /* q's (q lives only while computing) */
	char **extra;               /* names of sales_kpi_add_group's groups */
	size_t nextra, extra_alloc;
};

static void warn(struct sink *sk, const struct sales_record *rec,
		 const struct sales_colmap *map, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void warn(struct sink *sk, const struct sales_record *rec,
		 const struct sales_colmap *map, int col, const char *fmt, ...)
{
	struct sales_error *e;
	int fcol = col >= 0 ? map->file_col[col] : -1;
	va_list ap;

	(*sk->total)++;
	if (*sk->n >= SALES_KPI_MAX_WARNINGS)
		return;
	e = &sk->w[(*sk->n)++];
	va_start(ap, fmt);
	sales_error_vset(e, SALES_EVALUE, sk->file, rec->row->line,
			 fcol >= 0 ? fcol + 1 : 0, fmt, ap);
	va_end(ap);
	if (fcol >= 0)
		sales_error_set_cell(e, fcol + 1, rec->row->excel_row);
}

/* A date cell: NONE when blank or "not known yet"; a warning when it does
 * not parse. */
/* A memo slot for a date text of len (1 to 21) bytes: its first and last
 * eight bytes, mixed. */
static size_t date_slot(const char *v, size_t len)
{
	uint64_t a = 0, b = 0;

	if (len >= 8) {
		memcpy(&a, v, 8);
		memcpy(&b, v + len - 8, 8);
	} else {
		memcpy(&a, v, len);
	}
	a ^= b * 0x9E3779B97F4A7C15ULL ^ len;
	a ^= a >> 29;
	a *= 0xFF51AFD7ED558CCDULL;
	a ^= a >> 32;
	return (size_t)a & (DATE_MEMO - 1);
}

/* The date in cell text v (NONE when blank or not one), *invalid when
 * it is text that is not a date; through sk's memo. */
static sales_date memo_date(struct sink *sk, const char *v, bool *invalid)
{
	size_t len = strlen(v);
	struct date_memo *m;
	sales_date d;

	*invalid = false;
	if (!len)
		return SALES_DATE_NONE;
	if (len < sizeof(m->s)) {
		m = &sk->memo[date_slot(v, len)];
		if (m->len != len || memcmp(m->s, v, len)) {
			m->invalid = sales_parse_date(v, len, &m->d) ==
				     SALES_VALUE_INVALID;
			m->len = (uint8_t)len;
			memcpy(m->s, v, len);
		}
		d = m->d;
		*invalid = m->invalid;
	} else {
		*invalid = sales_parse_date(v, len, &d) == SALES_VALUE_INVALID;
	}
	return d;
}

static void warn_not_date(struct sink *sk, const struct sales_record *rec,
			  const struct sales_colmap *map, int col,
			  const char *what)
{
	warn(sk, rec, map, col, "%s '%s' is not a date; left out of the KPIs",
	     what, rec->v[col]);
}

static sales_date cell_date(struct sink *sk, const struct sales_record *rec,
			    const struct sales_colmap *map, int col,
			    const char *what)
{
	bool invalid;
	sales_date d = memo_date(sk, rec->v[col], &invalid);

	if (invalid)
		warn_not_date(sk, rec, map, col, what);
	return d;
}

static bool cell_is(const char *v, const char *word)
{
	size_t len = strlen(v);

	v = sales_trim(v, &len);
	return len == strlen(word) && !memcmp(v, word, len);
}

static int ensure_acc(struct kpi_state *st, size_t group)
{
	return SALES_ALLOC_GROW_ZERO(st->acc, group + 1, st->nacc);
}

/* The group a grouping cell value falls in; -1 on ENOMEM. */
static long group_of(struct kpi_state *st, const char *v)
{
	long id = groupset_of(&st->groups, st->wb, v);

	if (id < 0 || ensure_acc(st, (size_t)id) < 0)
		return -1;
	return id;
}

static bool in_period(const struct kpi_state *st, int p, sales_date d)
{
	return d != SALES_DATE_NONE && d >= st->first[p] && d <= st->last[p] &&
	       d <= st->as_of[p];
}

/* ---- the formulas of sales_kpi_defs, row by row ---- */

static double day(sales_date d)
{
	return d == SALES_DATE_NONE ? NAN : (double)d;
}

static bool test_holds(const struct kpi_state *st, int p,
		       const struct sales_kpi_test_def *t, const double *f)
{
	double a = f[t->a];

	if (t->test != SALES_KPI_END && isnan(a))
		return false;
	switch (t->test) {
	case SALES_KPI_END: return true;
	case SALES_KPI_IN_Q:
		return a >= st->first[p] && a <= st->last[p] && a <= st->as_of[p];
	case SALES_KPI_DURING_Q: return a >= st->first[p] && a <= st->last[p];
	case SALES_KPI_BY_AS_OF: return a <= st->as_of[p];
	case SALES_KPI_KNOWN: return true;
	case SALES_KPI_NOT_AFTER: return !isnan(f[t->b]) && a <= f[t->b];
	case SALES_KPI_BETWEEN: return a >= t->lo && a <= t->hi;
	}
	return false;
}

static bool all_hold(const struct kpi_state *st, int p,
		     const struct sales_kpi_test_def *tests, const double *f)
{
	for (int i = 0; i < SALES_KPI_MAX_TESTS && tests[i].test != SALES_KPI_END; i++)
		if (!test_holds(st, p, &tests[i], f))
			return false;
	return true;
}

/* The terms of sales_kpi_defs that count rows of one source, in the
 * order of the table (so sums add up in the same order).  When each term
 * tests that some date fact falls in Q (IN_Q, DURING_Q), those facts are
 * the gate: a row with none of them in a reported Q counts nowhere. */
struct src_terms {
	size_t n;
	struct {
		int m;
		const struct sales_kpi_term *t;
	} e[SALES_KPI_COUNT * SALES_KPI_MAX_TERMS];
	bool gated;
	size_t ngate;
	enum sales_kpi_fact gate[SALES_KPI_COUNT * SALES_KPI_MAX_TERMS];
};

static struct src_terms kpi_src_terms[SALES_KPI_NSOURCES];
static pthread_once_t kpi_src_once = PTHREAD_ONCE_INIT;

/* The fact a term's Q test reads (see struct src_terms), -1 for none. */
static int term_gate(const struct sales_kpi_term *t)
{
	for (int i = 0; i < SALES_KPI_MAX_TESTS && t->when[i].test != SALES_KPI_END; i++)
		if (t->when[i].test == SALES_KPI_IN_Q ||
		    t->when[i].test == SALES_KPI_DURING_Q)
			return (int)t->when[i].a;
	return -1;
}

static void src_terms_init(void)
{
	for (int s = 0; s < SALES_KPI_NSOURCES; s++)
		kpi_src_terms[s].gated = true;
	for (int m = 0; m < SALES_KPI_COUNT; m++)
		for (size_t i = 0; i < sales_kpi_defs[m].nterms; i++) {
			const struct sales_kpi_term *t = &sales_kpi_defs[m].terms[i];
			struct src_terms *l = &kpi_src_terms[t->source];
			int g = term_gate(t);
			size_t k = 0;

			l->e[l->n].m = m;
			l->e[l->n].t = t;
			l->n++;
			if (g < 0)
				l->gated = false;
			while (k < l->ngate && l->gate[k] != (enum sales_kpi_fact)g)
				k++;
			if (g >= 0 && k == l->ngate)
				l->gate[l->ngate++] = (enum sales_kpi_fact)g;
		}
}

/* Whether a row of l's source with facts f may count: not when l is gated
 * and none of its gate facts is in a reported Q. */
static bool may_count(const struct kpi_state *st, const struct src_terms *l,
		      const double *f)
{
	if (!l->gated)
		return true;
	for (size_t k = 0; k < l->ngate; k++)
		for (int p = 0; p < NPERIODS; p++)
			if (f[l->gate[k]] >= st->first[p] &&
			    f[l->gate[k]] <= st->last[p])
				return true;
	return false;
}

/* Adds a row of source src, with facts f, to group's figures. */
static void count_row(struct kpi_state *st, size_t group,
		      enum sales_kpi_source src, const double *f)
{
	const struct src_terms *l = &kpi_src_terms[src];

	if (!may_count(st, l, f))
		return;
	for (size_t k = 0; k < l->n; k++) {
		int m = l->e[k].m;
		const struct sales_kpi_term *t = l->e[k].t;

		for (int p = 0; p < NPERIODS; p++) {
			struct sales_kpi_ratio *r = &st->acc[group].r[p][m];

			if (!all_hold(st, p, t->when, f))
				continue;
			r->den += 1;
			switch (t->value) {
			case SALES_KPI_ADD_ZERO: break;
			case SALES_KPI_ADD_COUNT_IF:
				r->num += all_hold(st, p, t->num_if, f);
				break;
			case SALES_KPI_ADD_SUM: r->num += f[t->a]; break;
			case SALES_KPI_ADD_DAYS: r->num += f[t->a] - f[t->b]; break;
			}
		}
	}
}

/* The column of 01 a grouping reads, -1 for none. */
static int group_col(enum sales_kpi_by by)
{
	switch (by) {
	case SALES_KPI_BY_OWNER: return LEAD_OWNER;
	case SALES_KPI_BY_REGION: return LEAD_REGION;
	case SALES_KPI_BY_PRODUCT_LINE: return LEAD_PRODUCT_LINE;
	default: return -1;
	}
}

static const char *group_cell(const struct kpi_state *st,
			      const struct sales_record *rec)
{
	int col = group_col(st->groups.by);

	return col >= 0 ? rec->v[col] : NULL;
}

static int lead_row(void *ctx, const struct sales_record *rec,
		    const struct sales_colmap *map)
{
	struct kpi_state *st = ctx;
	const char *name = rec->v[LEAD_CUSTOMER];
	size_t len = strlen(name);
	struct customer *c;
	long id, g;
	bool added, lost, reg_bad, closed_bad = false;
	sales_date reg, closed = SALES_DATE_NONE;
	uint32_t hash;

	name = sales_trim(name, &len);
	if (!len)
		return 0;
	/* the name's slot is fetched while the dates are read (their
	 * warnings wait for it: a repeated lead has none) */
	hash = name_hash(name, len);
	if (strtab_reserve(&st->names) < 0)
		return -1;
	strtab_prefetch(&st->names, hash);
	reg = memo_date(&st->sink, rec->v[LEAD_REGISTERED], &reg_bad);
	lost = cell_is(rec->v[LEAD_STATUS], "已丢单");
	if (lost)
		closed = memo_date(&st->sink, rec->v[LEAD_LAST_CONTACT],
				   &closed_bad);
	id = strtab_intern_hashed(&st->names, name, len, hash, &added);
	if (id < 0)
		return -1;
	if (!added) {
		warn(&st->sink, rec, map, LEAD_CUSTOMER,
		     "customer '%.*s' is listed again (first on line %u); only the first row counts",
		     (int)len, name, (unsigned)st->cust[id].line);
		return 0;
	}
	if (SALES_ALLOC_GROW(st->cust, st->ncust + 1, st->custalloc) < 0)
		return -1;
	g = group_of(st, group_cell(st, rec));
	if (g < 0)
		return -1;
	c = &st->cust[st->ncust++];
	c->group = (uint32_t)g;
	c->line = (uint32_t)rec->row->line;
	c->registered = reg;
	if (reg_bad)
		warn_not_date(&st->sink, rec, map, LEAD_REGISTERED, "登记日期");
	c->closed = SALES_DATE_NONE;
	c->signed_first = SALES_DATE_NONE;
	if (lost) {
		c->closed = closed;
		if (closed_bad)
			warn_not_date(&st->sink, rec, map, LEAD_LAST_CONTACT,
				      "最后跟进时间");
		if (c->closed == SALES_DATE_NONE && !*rec->v[LEAD_LAST_CONTACT])
			warn(&st->sink, rec, map, LEAD_LAST_CONTACT,
			     "lost customer '%.*s' has no 最后跟进时间 (its closing date); left out of 赢单率",
			     (int)len, name);
	}
	return 0;
}

/* The group of a row whose customer is not in 01. */
static long unset_group(struct kpi_state *st)
{
	return group_of(st, NULL);
}

/*
 * 04-contracts and 07-followups are read by "the side" - a second thread
 * while 01 is read, when there are two - into compact rows: what the
 * formulas need of each counted row, the customer as an id into the side's
 * own names, its warnings into the side's own list.  Nothing a side row
 * holds depends on 01, so merging them afterwards (merge_side), in file
 * order, gives what reading 01, 04 and 07 one after the other gives,
 * whatever the number of threads.
 */
#define SIDE_NO_NAME UINT32_MAX

struct side_contract {
	uint32_t name;              /* SIDE_NO_NAME: blank */
	sales_date signed_on, payment_due, paid;
	double amount;              /* NAN unless reported and one amount */
};

struct side_followup {
	uint32_t name;
	sales_date date;
	int32_t satisfaction;       /* 1 to 5 */
};

struct side {
	const struct kpi_state *st; /* read only: q, wb and the periods */
	struct sink sink;
	struct sales_error w[SALES_KPI_MAX_WARNINGS];
	size_t nw, nw_total;
	struct strtab names;
	struct side_contract *con;
	size_t ncon, con_alloc;
	struct side_followup *fu;
	size_t nfu, fu_alloc;
	struct sales_read_capture cap;  /* the readers' warnings, in a thread */
	bool threaded;
	pthread_t thread;
	_Atomic bool done;              /* its thread has read its sheets */
	bool two_threads;               /* it had a thread of its own */
	int rc;
	struct sales_error err;
};

static uint32_t side_name(struct side *sd, const char *name)
{
	size_t len = strlen(name);
	bool added;
	long id;

	name = sales_trim(name, &len);
	if (!len)
		return SIDE_NO_NAME;
	id = strtab_intern(&sd->names, name, len, &added);
	return id < 0 ? SIDE_NO_NAME - 1 : (uint32_t)id;
}

static int side_contract_row(void *ctx, const struct sales_record *rec,
			     const struct sales_colmap *map)
{
	struct side *sd = ctx;
	struct side_contract *c;
	sales_date signed_on;
	bool reported = false;
	uint32_t name;

	if (!cell_is(rec->v[CON_APPROVAL], "已审批"))
		return 0;
	signed_on = cell_date(&sd->sink, rec, map, CON_SIGNED, "签订日期");
	if (signed_on == SALES_DATE_NONE)
		return 0;
	name = side_name(sd, rec->v[CON_CUSTOMER]);
	if (name == SIDE_NO_NAME - 1 ||
	    SALES_ALLOC_GROW(sd->con, sd->ncon + 1, sd->con_alloc) < 0)
		return -1;
	c = &sd->con[sd->ncon++];
	c->name = name;
	c->signed_on = signed_on;
	c->payment_due = cell_date(&sd->sink, rec, map, CON_PAYMENT_DUE, "付款到期日");
	c->paid = cell_date(&sd->sink, rec, map, CON_PAID, "回款日期");
	c->amount = NAN;
	/* the amount counts only for a signing in a reported quarter: read it
	 * (and warn about it) only then */
	for (int p = 0; p < NPERIODS; p++)
		reported |= in_period(sd->st, p, signed_on);
	if (reported) {
		const char *v = rec->v[CON_AMOUNT];
		struct sales_amount a;

		if (sales_parse_amount(v, strlen(v), &a) == SALES_VALUE_OK &&
		    a.flags == (SALES_AMOUNT_LO | SALES_AMOUNT_HI) && a.lo == a.hi)
			c->amount = a.lo;
		else
			warn(&sd->sink, rec, map, CON_AMOUNT,
			     "合同金额 '%s' of a signed contract is not one amount; left out of 平均客单价",
			     v);
	}
	return 0;
}

/* 满意度 as the cell validator reads it (a whole number; 1 to 5 is the
 * formula's business), or 0 with a warning (or for a blank). */
static int satisfaction(struct sink *sk, const struct sales_record *rec,
			const struct sales_colmap *map)
{
	const char *v = rec->v[FU_SATISFACTION];
	size_t len = strlen(v);
	long n;

	if (!sales_trim(v, &len) || !len)
		return 0;
	if (sales_parse_int(v, strlen(v), &n) != SALES_VALUE_OK || n < 1 || n > 5) {
		warn(sk, rec, map, FU_SATISFACTION,
		     "满意度 '%s' is not a score from 1 to 5; left out of 客户满意度", v);
		return 0;
	}
	return (int)n;
}

static int side_followup_row(void *ctx, const struct sales_record *rec,
			     const struct sales_colmap *map)
{
	struct side *sd = ctx;
	struct side_followup *f;
	int sat = satisfaction(&sd->sink, rec, map);

	if (!sat)
		return 0;   /* no formula counts it: its date is not read */
	if (SALES_ALLOC_GROW(sd->fu, sd->nfu + 1, sd->fu_alloc) < 0)
		return -1;
	f = &sd->fu[sd->nfu++];
	f->satisfaction = sat;
	f->date = cell_date(&sd->sink, rec, map, FU_DATE, "跟进时间");
	f->name = side_name(sd, rec->v[FU_CUSTOMER]);
	return f->name == SIDE_NO_NAME - 1 ? -1 : 0;
}

bool sales_kpi_parse_target(enum sales_kpi_id id, const char *v, size_t len,
			    double *out)
{
	struct sales_amount a;

	v = sales_trim(v, &len);
	switch (sales_kpi_defs[id].unit) {
	case SALES_KPI_RATE:
		if (sales_parse_percent(v, len, out) != SALES_VALUE_OK)
			return false;
		/* "90" for 90%: a rate target above 1 was typed in points */
		if (!memchr(v, '%', len) && !strstr(v, "\xef\xbc\x85") && *out > 1)
			*out /= 100;
		return true;
	case SALES_KPI_AMOUNT:
		if (sales_parse_amount(v, len, &a) != SALES_VALUE_OK ||
		    a.flags != (SALES_AMOUNT_LO | SALES_AMOUNT_HI) || a.lo != a.hi)
			return false;
		*out = a.lo;
		return true;
	case SALES_KPI_DAYS:
		if (len >= 3 && !memcmp(v + len - 3, "天", 3))
			len -= 3;
		return sales_parse_number(v, len, out) == SALES_VALUE_OK;
	}
	return false;
}

static void set_target(struct target *t, double v)
{
	if (!t->has) {
		t->has = true;
		t->value = v;
	} else if (fabs(t->value - v) > 1e-9) {
		t->conflict = true;
	}
}

static int kpi_row(void *ctx, const struct sales_record *rec,
		   const struct sales_colmap *map)
{
	struct kpi_state *st = ctx;
	const char *qv = rec->v[KPI_QUARTER], *mv = rec->v[KPI_METRIC];
	const char *tv = rec->v[KPI_TARGET];
	int y, qq, m;
	double v;
	size_t len = strlen(tv);

	if (sales_parse_quarter(qv, strlen(qv), &y, &qq) != SALES_VALUE_OK ||
	    y != st->q->year || qq != st->q->quarter)
		return 0;
	m = sales_kpi_find(mv, strlen(mv));
	if (m < 0 || !sales_trim(tv, &len) || !len)
		return 0;
	if (!sales_kpi_parse_target((enum sales_kpi_id)m, tv, strlen(tv), &v)) {
		warn(&st->sink, rec, map, KPI_TARGET, "目标值 '%s' of %s is not a %s; no 完成率",
		     tv, sales_kpi_defs[m].name,
		     sales_kpi_defs[m].unit == SALES_KPI_RATE ? _("percentage") :
		     sales_kpi_defs[m].unit == SALES_KPI_AMOUNT ? _("amount") :
		     _("number of days"));
		return 0;
	}
	set_target(&st->targets[st->wb * SALES_KPI_COUNT + (size_t)m], v);
	return 0;
}

typedef int (*row_fn)(void *ctx, const struct sales_record *rec,
		      const struct sales_colmap *map);

/* The columns each row function reads (the reader skips the others'
 * text), -1 ending the list (lead_row's: read_workbook). */
static const int contract_cols[] = { CON_APPROVAL, CON_SIGNED, CON_CUSTOMER,
				     CON_PAYMENT_DUE, CON_PAID, CON_AMOUNT, -1 };
static const int followup_cols[] = { FU_SATISFACTION, FU_DATE, FU_CUSTOMER, -1 };

/* Reads sheet id of workbook wb, fn(ctx, ...) on each record, warnings to
 * sk; only the columns cols lists (NULL: all). */
/* go: see sales_sheet_readahead_when (NULL: reading ahead as usual). */
static int stream(const struct sales_kpi_query *q, size_t wb, struct sink *sk,
		  enum sales_sheet_id id, const int *cols, row_fn fn, void *ctx,
		  const _Atomic bool *go, struct sales_error *err)
{
	const char *dir = q->dirs[wb];
	const struct sales_sheet_def *def = sales_sheet_def(id);
	struct sales_sheet_reader *rd = NULL;
	const struct sales_record *rec;
	int rc;

	if (!sales_sheet_exists(dir, id)) {
		if (id != SALES_LEADS)
			return 0;
		return sales_error_set(err, SALES_ENOTFOUND, dir, 0, 0,
				       "not a workbook: no %s", def->file);
	}
	if (q->ndirs > 1)
		snprintf(sk->file, sizeof(sk->file), "%s%s%s", dir,
			 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/",
			 def->file);
	else
		snprintf(sk->file, sizeof(sk->file), "%s", def->file);
	if (sales_sheet_open(dir, id, SALES_ENC_AUTO, &rd, err) < 0)
		goto fail;
	if (cols) {
		size_t n = 0;

		while (cols[n] >= 0)
			n++;
		if (sales_sheet_set_columns(rd, cols, n) < 0) {
			sales_error_set(err, SALES_ENOMEM, sk->file, 0, 0,
					"out of memory");
			goto fail;
		}
	}
	sales_sheet_readahead_when(rd, go);
	while ((rc = sales_sheet_next(rd, &rec, err)) > 0)
		if (fn(ctx, rec, sales_sheet_colmap(rd)) < 0) {
			sales_error_set(err, SALES_ENOMEM, sk->file,
					rec->row->line, 0, "out of memory");
			goto fail;
		}
	sales_sheet_close(rd);
	return rc;
fail:
	if (q->ndirs > 1 && err && strcmp(err->file, sk->file) &&
	    !strcmp(err->file, def->file))
		snprintf(err->file, sizeof(err->file), "%s", sk->file);
	sales_sheet_close(rd);
	return -1;
}

/* Reads the side's sheets (in its thread when it has one). */
static void *side_run(void *arg)
{
	struct side *sd = arg;
	const struct sales_kpi_query *q = sd->st->q;

	if (sd->threaded) {
		/* this thread and 01's already keep both cores busy: a
		 * readahead thread here would only add copying */
		sales_read_capture_begin(&sd->cap);
		sales_read_set_readahead(false);
	}
	sd->rc = stream(q, sd->st->wb, &sd->sink, SALES_CONTRACTS,
			contract_cols, side_contract_row, sd, NULL, &sd->err);
	if (sd->rc >= 0)
		sd->rc = stream(q, sd->st->wb, &sd->sink, SALES_FOLLOWUPS,
				followup_cols, side_followup_row, sd, NULL,
				&sd->err);
	if (sd->threaded) {
		sales_read_capture_end();
		sales_read_set_readahead(true);
		/* this core is free: 01's reader reads ahead in it from
		 * its next record on */
		atomic_store_explicit(&sd->done, true, memory_order_release);
	}
	return NULL;
}

/* Bytes of the side's sheets, for sales_thread_count. */
static unsigned long long side_bytes(const char *dir)
{
	static const enum sales_sheet_id ids[] = { SALES_CONTRACTS, SALES_FOLLOWUPS };
	unsigned long long n = 0;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char path[4096];
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", dir,
			 sales_sheet_def(ids[i])->file);
		if (stat(path, &sb) == 0)
			n += (unsigned long long)sb.st_size;
	}
	return n;
}

static void side_free(struct side *sd)
{
	if (!sd)
		return;
	if (sd->threaded)
		pthread_join(sd->thread, NULL);
	strtab_release(&sd->names);
	free(sd->con);
	free(sd->fu);
	sales_read_capture_release(&sd->cap);
	free(sd);
}

struct side_lookup {
	const struct kpi_state *st;
	const struct side *sd;
	long *c;
	size_t lo, hi;
};

/* c[i] for the side's names lo..hi: each name's slot in 01's table is
 * asked for LOOKAHEAD names ahead (a million names miss the cache on
 * about every probe). */
#define LOOKAHEAD 8
static void *side_lookup_run(void *arg)
{
	const struct side_lookup *lk = arg;
	const struct strtab *t = &lk->st->names, *names = &lk->sd->names;
	uint32_t hash[LOOKAHEAD];

	for (size_t i = lk->lo; i < lk->hi + LOOKAHEAD; i++) {
		/* name k's probe, then name i's hash into the slot it freed */
		if (i >= lk->lo + LOOKAHEAD) {
			size_t k = i - LOOKAHEAD;
			const char *s = strtab_str(names, k);
			uint64_t v = t->cap ?
				t->slot[strtab_probe(t, s, strlen(s),
						     hash[k % LOOKAHEAD])] : 0;

			lk->c[k] = v ? (long)SLOT_ID(v) : -1;
		}
		if (i < lk->hi) {
			const char *s = strtab_str(names, i);

			hash[i % LOOKAHEAD] = name_hash(s, strlen(s));
			if (t->cap)
				strtab_prefetch(t, hash[i % LOOKAHEAD]);
		}
	}
	return NULL;
}

/* The customer (in 01) of each of the side's names, -1 for none: the
 * table only read, so with two threads each looks up half. */
static long *side_customers(const struct kpi_state *st, const struct side *sd,
			    bool two)
{
	size_t n = sd->names.n;
	long *c = malloc((n ? n : 1) * sizeof(*c));
	struct side_lookup a = { st, sd, c, 0, n }, b = a;
	pthread_t thread;
	bool threaded = false;

	if (!c)
		return NULL;
	if (two && n >= 65536) {
		a.hi = b.lo = n / 2;
		threaded = pthread_create(&thread, NULL, side_lookup_run, &b) == 0;
		if (!threaded)
			a.hi = n;
	}
	side_lookup_run(&a);
	if (threaded)
		pthread_join(thread, NULL);
	return c;
}

/* Counts the side's rows once 01 is read, as reading 04 and 07 there
 * would. */
static int merge_side(struct kpi_state *st, struct side *sd)
{
	long *cust = side_customers(st, sd, sd->two_threads);

	if (!cust)
		return -1;
	sales_read_capture_replay(&sd->cap);
	for (size_t i = 0; i < sd->nw; i++)
		if (st->r->nwarnings < SALES_KPI_MAX_WARNINGS)
			st->r->warnings[st->r->nwarnings++] = sd->w[i];
	st->r->nwarnings_total += sd->nw_total;
	for (size_t i = 0; i < sd->ncon; i++) {
		const struct side_contract *sc = &sd->con[i];
		long c = sc->name == SIDE_NO_NAME ? -1 : cust[sc->name];
		double f[SALES_KPI_NFACTS];
		long g;

		if (c >= 0) {
			struct customer *cu = &st->cust[c];

			if (cu->signed_first == SALES_DATE_NONE ||
			    sc->signed_on < cu->signed_first)
				cu->signed_first = sc->signed_on;
			g = cu->group;
		} else if ((g = unset_group(st)) < 0) {
			goto nomem;
		}
		for (int k = 0; k < SALES_KPI_NFACTS; k++)
			f[k] = NAN;
		f[SALES_KPI_F_SIGNED] = sc->signed_on;
		f[SALES_KPI_F_CUSTOMER_REGISTERED] = c >= 0 ? day(st->cust[c].registered) : NAN;
		f[SALES_KPI_F_PAYMENT_DUE] = day(sc->payment_due);
		f[SALES_KPI_F_PAID] = day(sc->paid);
		f[SALES_KPI_F_AMOUNT] = sc->amount;
		count_row(st, (size_t)g, SALES_KPI_SRC_CONTRACTS, f);
	}
	/* customers once their contracts are known (signed_first) */
	for (size_t i = 0; i < st->ncust; i++) {
		const struct customer *c = &st->cust[i];
		double f[SALES_KPI_NFACTS];

		for (int k = 0; k < SALES_KPI_NFACTS; k++)
			f[k] = NAN;
		f[SALES_KPI_F_REGISTERED] = day(c->registered);
		f[SALES_KPI_F_CLOSED] = day(c->closed);
		f[SALES_KPI_F_SIGNED_FIRST] = day(c->signed_first);
		count_row(st, c->group, SALES_KPI_SRC_CUSTOMERS, f);
	}
	for (size_t i = 0; i < sd->nfu; i++) {
		const struct side_followup *sf = &sd->fu[i];
		long c = sf->name == SIDE_NO_NAME ? -1 : cust[sf->name];
		double f[SALES_KPI_NFACTS];
		long g = c >= 0 ? (long)st->cust[c].group : unset_group(st);

		if (g < 0)
			goto nomem;
		for (int k = 0; k < SALES_KPI_NFACTS; k++)
			f[k] = NAN;
		f[SALES_KPI_F_SATISFACTION] = sf->satisfaction;
		f[SALES_KPI_F_DATE] = day(sf->date);
		count_row(st, (size_t)g, SALES_KPI_SRC_FOLLOWUPS, f);
	}
	free(cust);
	return 0;
nomem:
	free(cust);
	return -1;
}

static int read_workbook(struct kpi_state *st, struct sales_error *err)
{
	struct side *sd = calloc(1, sizeof(*sd));
	const int lead_cols[] = { LEAD_CUSTOMER, LEAD_REGISTERED, LEAD_STATUS,
				  LEAD_LAST_CONTACT, group_col(st->groups.by),
				  -1 };
	int rc = -1, leads;

	if (!sd)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	sd->st = st;
	sd->sink.w = sd->w;
	sd->sink.n = &sd->nw;
	sd->sink.total = &sd->nw_total;
	strtab_reset(&st->names);
	st->ncust = 0;
	/* set before the thread starts: side_run reads it */
	sd->threaded = sales_thread_count(side_bytes(st->q->dirs[st->wb])) > 1;
	if (sd->threaded && pthread_create(&sd->thread, NULL, side_run, sd) != 0)
		sd->threaded = false;
	sd->two_threads = sd->threaded;
	/* with the side in a thread of its own both cores are busy: a
	 * readahead thread for 01 would only add copying */
	sales_read_set_readahead(!sd->threaded);
	leads = stream(st->q, st->wb, &st->sink, SALES_LEADS, lead_cols,
		       lead_row, st, sd->threaded ? &sd->done : NULL, err);
	sales_read_set_readahead(true);
	if (leads < 0)
		goto out;
	if (sd->threaded) {
		pthread_join(sd->thread, NULL);
		sd->threaded = false;
	} else {
		side_run(sd);
	}
	if (sd->rc < 0) {
		if (err)
			*err = sd->err;
		goto out;
	}
	if (merge_side(st, sd) < 0) {
		sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	if (stream(st->q, st->wb, &st->sink, SALES_KPI, NULL, kpi_row, st,
		   NULL, err) < 0)
		goto out;
	rc = 0;
out:
	side_free(sd);
	return rc;
}

void sales_kpi_figure_target(struct sales_kpi_figure *f, enum sales_kpi_id id,
			     bool has, double target)
{
	const struct sales_kpi_def *d = &sales_kpi_defs[id];

	f->has_target = has;
	f->target = has ? target : 0;
	f->has_completion = false;
	f->completion = 0;
	if (f->has_actual && f->has_target) {
		if (!d->lower_is_better && f->target != 0) {
			f->has_completion = true;
			f->completion = f->actual / f->target;
		} else if (d->lower_is_better && f->actual != 0) {
			f->has_completion = true;
			f->completion = f->target / f->actual;
		}
	}
}

static void finish_figure(struct sales_kpi_figure *f, enum sales_kpi_id id,
			  const struct target *t)
{
	const struct sales_kpi_def *d = &sales_kpi_defs[id];

	f->has_actual = f->now.den > 0;
	if (f->has_actual)
		f->actual = f->now.num / f->now.den;
	f->has_before = f->before.den > 0;
	if (f->has_before)
		f->before_value = f->before.num / f->before.den;
	sales_kpi_figure_target(f, id, t->has && !t->conflict, t->value);
	if (f->has_actual && f->has_before) {
		if (!d->yoy_relative) {
			f->has_yoy = true;
			f->yoy = f->actual - f->before_value;
		} else if (f->before_value != 0) {
			f->has_yoy = true;
			f->yoy = (f->actual - f->before_value) / f->before_value;
		}
	}
}

/* 08-kpi.csv's targets over every workbook: what a named group scores
 * against. */
static void merged_targets(const struct kpi_state *st,
			   struct target merged[SALES_KPI_COUNT])
{
	memset(merged, 0, SALES_KPI_COUNT * sizeof(*merged));
	for (size_t w = 0; w < st->ndirs; w++)
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			const struct target *t = &st->targets[w * SALES_KPI_COUNT + (size_t)m];

			if (t->conflict)
				merged[m].conflict = true;
			if (t->has)
				set_target(&merged[m], t->value);
		}
}

static int build_groups(struct kpi_state *st)
{
	struct sales_kpi_report *r = st->r;
	size_t n = st->groups.n;
	struct named *order = groupset_order(&st->groups);
	struct target merged[SALES_KPI_COUNT];

	if (!order || ensure_acc(st, n ? n - 1 : 0) < 0) {
		free(order);
		return -1;
	}
	r->groups = calloc(n ? n : 1, sizeof(*r->groups));
	if (!r->groups) {
		free(order);
		return -1;
	}
	merged_targets(st, merged);
	for (size_t i = 0; i < n; i++) {
		struct sales_kpi_group *g = &r->groups[i];
		size_t id = order[i].id;

		g->name = order[i].name;
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			const struct target *t = st->q->by == SALES_KPI_BY_WORKBOOK ?
				&st->targets[id * SALES_KPI_COUNT + (size_t)m] :
				&merged[m];

			g->m[m].now = st->acc[id].r[NOW][m];
			g->m[m].before = st->acc[id].r[BEFORE][m];
			finish_figure(&g->m[m], (enum sales_kpi_id)m, t);
			if (t->has && t->conflict)
				r->target_conflict[m] = true;
		}
	}
	r->ngroups = n;
	free(order);
	return 0;
}

static void state_free(struct kpi_state *st)
{
	if (!st)
		return;
	groupset_release(&st->groups);
	strtab_release(&st->names);
	for (size_t i = 0; i < st->nextra; i++)
		free(st->extra[i]);
	free(st->extra);
	free(st->acc);
	free(st->cust);
	free(st->targets);
	free(st);
}

void sales_kpi_default_quarter(sales_date as_of, int *year, int *quarter)
{
	/* the last complete quarter: the one before as-of's */
	sales_date_to_ymd(as_of, year, NULL, NULL);
	*quarter = sales_date_quarter(as_of) - 1;
	if (*quarter == 0) {
		*quarter = 4;
		(*year)--;
	}
}

/* The period a report covers: a month when month is set, else the quarter. */
void sales_kpi_period_bounds(int year, int quarter, int month, sales_date *first,
			  sales_date *last)
{
	if (month) {
		*first = sales_date_from_ymd(year, month, 1);
		*last = sales_date_from_ymd(year, month, sales_days_in_month(year, month));
	} else {
		*first = sales_quarter_first(year, quarter);
		*last = sales_quarter_last(year, quarter);
	}
}

bool sales_kpi_parse_month(const char *s, int *year, int *quarter, int *month)
{
	sales_date first, last;
	int y, m;

	if (sales_parse_month(s, strlen(s), &first, &last) != SALES_VALUE_OK)
		return false;
	sales_date_to_ymd(first, &y, &m, NULL);
	*year = y;
	*month = m;
	*quarter = (m + 2) / 3;
	return true;
}

char *sales_kpi_period(const struct sales_kpi_report *r, bool before, char *buf)
{
	int y = before ? r->before_year : r->year;

	if (r->month)
		snprintf(buf, 16, "%04d-%02d", y, r->month);
	else
		snprintf(buf, 16, "%dQ%d", y, r->quarter);
	return buf;
}

int sales_kpi_compute(struct sales_kpi_report **out,
		      const struct sales_kpi_query *q, struct sales_error *err)
{
	struct sales_kpi_report *r;
	struct kpi_state *st;

	*out = NULL;
	if (!q->ndirs || q->quarter < 1 || q->quarter > 4 ||
	    sales_quarter_first(q->year, q->quarter) == SALES_DATE_NONE ||
	    sales_quarter_first(q->year - 1, q->quarter) == SALES_DATE_NONE ||
	    q->month < 0 || q->month > 12 ||
	    (q->month && (q->month + 2) / 3 != q->quarter) ||
	    q->as_of == SALES_DATE_NONE)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "no workbook, quarter or as-of date to report on");
	pthread_once(&kpi_src_once, src_terms_init);
	r = calloc(1, sizeof(*r));
	st = calloc(1, sizeof(*st));
	if (!r || !st)
		goto nomem;
	r->priv = st;
	st->q = q;
	st->ndirs = q->ndirs;
	st->r = r;
	st->sink.w = r->warnings;
	st->sink.n = &r->nwarnings;
	st->sink.total = &r->nwarnings_total;
	r->year = q->year;
	r->quarter = q->quarter;
	r->as_of = q->as_of;
	r->before_year = q->year - 1;
	r->before_as_of = sales_date_minus_year(q->as_of);
	r->by = q->by;
	r->month = q->month;
	sales_kpi_period_bounds(q->year, q->quarter, q->month, &st->first[NOW], &st->last[NOW]);
	st->as_of[NOW] = r->as_of;
	sales_kpi_period_bounds(q->year - 1, q->quarter, q->month, &st->first[BEFORE],
		      &st->last[BEFORE]);
	st->as_of[BEFORE] = r->before_as_of;
	st->targets = calloc(q->ndirs * SALES_KPI_COUNT, sizeof(*st->targets));
	if (!st->targets)
		goto nomem;
	if (groupset_init(&st->groups, q->by, q->dirs, q->labels, q->ndirs) < 0 ||
	    ensure_acc(st, st->groups.n ? st->groups.n - 1 : 0) < 0)
		goto nomem;
	for (st->wb = 0; st->wb < q->ndirs; st->wb++)
		if (read_workbook(st, err) < 0)
			goto fail;
	if (build_groups(st) < 0)
		goto nomem;
	*out = r;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	if (r)
		r->priv = NULL;
	state_free(st);
	if (r)
		free(r->groups);
	free(r);
	return -1;
}

int sales_kpi_add_group(struct sales_kpi_report *r, const char *name)
{
	struct kpi_state *st = r->priv;
	struct target merged[SALES_KPI_COUNT];
	struct sales_kpi_group *groups, *g;
	struct named key = { name, 0 };
	size_t at = 0;

	if (r->by == SALES_KPI_BY_NONE || r->by == SALES_KPI_BY_WORKBOOK ||
	    !name || !*name)
		return 0;
	for (size_t i = 0; i < r->ngroups; i++)
		if (!strcmp(r->groups[i].name, name))
			return 0;
	while (at < r->ngroups) {
		struct named other = { r->groups[at].name, 0 };

		if (cmp_groups(&key, &other) < 0)
			break;
		at++;
	}
	if (SALES_ALLOC_GROW(st->extra, st->nextra + 1, st->extra_alloc) < 0 ||
	    !(groups = realloc(r->groups, (r->ngroups + 1) * sizeof(*groups))))
		return -1;
	r->groups = groups;
	if (!(st->extra[st->nextra] = strdup(name)))
		return -1;
	memmove(&groups[at + 1], &groups[at], (r->ngroups - at) * sizeof(*groups));
	g = &groups[at];
	memset(g, 0, sizeof(*g));
	g->name = st->extra[st->nextra++];
	merged_targets(st, merged);
	for (int m = 0; m < SALES_KPI_COUNT; m++)
		finish_figure(&g->m[m], (enum sales_kpi_id)m, &merged[m]);
	r->ngroups++;
	return 0;
}

void sales_kpi_free(struct sales_kpi_report *r)
{
	if (!r)
		return;
	state_free(r->priv);
	free(r->groups);
	free(r);
}

/* ---- formatting ---- */

/* v rounded to at most `decimals` places, trailing zeros dropped, never
 * "-0". */
char *sales_plain_number(double v, int decimals, char *buf, size_t size)
{
	char *dot, *end;

	snprintf(buf, size, "%.*f", decimals, v);
	dot = strchr(buf, '.');
	if (dot) {
		end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return buf;
}

static char *format_number(double v, int decimals, bool sign, char *buf)
{
	char tmp[SALES_KPI_FMT_MAX - 1];   /* room for the sign */

	sales_plain_number(v, decimals, tmp, sizeof(tmp));
	snprintf(buf, SALES_KPI_FMT_MAX, "%s%s",
		 sign && tmp[0] != '-' && strcmp(tmp, "0") ? "+" : "", tmp);
	return buf;
}

static char *format_percent(double fraction, bool sign, char *buf)
{
	size_t n;

	format_number(fraction * 100, 1, sign, buf);
	n = strlen(buf);
	if (n + 1 < SALES_KPI_FMT_MAX) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
	return buf;
}

char *sales_kpi_format_value(enum sales_kpi_id id, double v, char *buf)
{
	switch (sales_kpi_defs[id].unit) {
	case SALES_KPI_RATE: return format_percent(v, false, buf);
	case SALES_KPI_AMOUNT: return format_number(v, 2, false, buf);
	case SALES_KPI_DAYS: return format_number(v, 1, false, buf);
	}
	buf[0] = '\0';
	return buf;
}

char *sales_kpi_format_completion(double v, char *buf)
{
	return format_percent(v, false, buf);
}

char *sales_kpi_format_yoy(enum sales_kpi_id id, double v, char *buf)
{
	(void)id;
	/* points for rates, a relative change otherwise: both read as % */
	return format_percent(v, true, buf);
}

/* ---- 08-kpi.csv ---- */

int sales_kpi_fill_sheet(struct sales_txn *t, const struct sales_kpi_report *r,
			 size_t *updated, size_t *added,
			 struct sales_error *err)
{
	struct sales_sheet_table *st;
	bool seen[SALES_KPI_COUNT] = { false };
	char quarter[16], vals[3][SALES_KPI_FMT_MAX];
	size_t nupd = 0, nadd = 0, nrows;

	if (updated)
		*updated = 0;
	if (added)
		*added = 0;
	if (r->ngroups != 1 || r->by != SALES_KPI_BY_NONE)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "only a report that is not grouped can be written to 08-kpi.csv");
	st = sales_txn_sheet(t, SALES_KPI, err);
	if (!st)
		return -1;
	snprintf(quarter, sizeof(quarter), "%dQ%d", r->year, r->quarter);
	nrows = sales_table_rows(st->table);
	for (int pass = 0; pass < 2; pass++) {
		for (int m = 0; m < SALES_KPI_COUNT; m++) {
			const struct sales_kpi_figure *f = &r->groups[0].m[m];
			const char *v[KPI_NCOLS] = { NULL };

			if (pass == 1 && seen[m])
				continue;
			if (f->has_actual)
				sales_kpi_format_value((enum sales_kpi_id)m, f->actual, vals[0]);
			else
				vals[0][0] = '\0';
			if (f->has_completion)
				sales_kpi_format_completion(f->completion, vals[1]);
			else
				vals[1][0] = '\0';
			if (f->has_yoy)
				sales_kpi_format_yoy((enum sales_kpi_id)m, f->yoy, vals[2]);
			else
				vals[2][0] = '\0';
			if (pass == 1) {
				v[KPI_METRIC] = sales_kpi_defs[m].name;
				v[KPI_ACTUAL] = vals[0];
				v[KPI_COMPLETION] = vals[1];
				v[KPI_YOY] = vals[2];
				v[KPI_QUARTER] = quarter;
				if (sales_txn_append(t, SALES_KPI, v, err) < 0)
					return -1;
				nadd++;
				continue;
			}
			for (size_t row = 0; row < nrows; row++) {
				const char *qv = sales_sheet_table_get(st, row, KPI_QUARTER);
				const char *mv = sales_sheet_table_get(st, row, KPI_METRIC);
				size_t before = sales_txn_changes(t);
				int y, qq;

				if (sales_parse_quarter(qv, strlen(qv), &y, &qq) != SALES_VALUE_OK ||
				    y != r->year || qq != r->quarter ||
				    sales_kpi_find(mv, strlen(mv)) != m)
					continue;
				seen[m] = true;
				if (sales_txn_set(t, SALES_KPI, row, KPI_ACTUAL, vals[0], err) < 0 ||
				    sales_txn_set(t, SALES_KPI, row, KPI_COMPLETION, vals[1], err) < 0 ||
				    sales_txn_set(t, SALES_KPI, row, KPI_YOY, vals[2], err) < 0)
					return -1;
				if (sales_txn_changes(t) != before)
					nupd++;
			}
		}
	}
	if (updated)
		*updated = nupd;
	if (added)
		*added = nadd;
	return 0;
}

/* ---- the funnel ---- */

/*
 * The days between a lead's first row of one stage and of the next, for
 * the medians: per group and stage a count for each day in [GAP_LO,
 * GAP_HI) (8 KiB, made for the first gap it gets), and the rare gap
 * outside it kept whole (a struct gap), so memory does not grow with the
 * leads.  A median read from them is the one a sort of every gap gives.
 */
#define GAP_LO (-128)
#define GAP_HI 1920

struct gap {
	uint32_t group;
	uint8_t stage;
	int32_t days;
};

struct gap_bin {
	uint32_t *count;    /* GAP_HI - GAP_LO counters, or NULL */
	size_t n;           /* the gaps counted in it */
};

/* Per group and stage: leads with the stage's row, leads that waived it
 * (an approved 跳过环节, and a later stage reached), and leads with the
 * row that passed the stage before (its row, or waived it). */
struct funnel_counts {
	size_t reached[SALES_NSTAGES], waived[SALES_NSTAGES],
	       converted[SALES_NSTAGES];
};

struct funnel_state {
	struct groupset groups;
	struct funnel_counts *reached;   /* per group */
	size_t nreached;
	struct gap_bin *bins;            /* per group and stage */
	size_t nbins;
	struct gap *gaps;                /* those outside the bins' days */
	size_t ngaps, gapalloc;
};

static int cmp_gaps(const void *a, const void *b)
{
	const struct gap *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	return (x->days > y->days) - (x->days < y->days);
}

static int funnel_count(struct funnel_state *fs, size_t g)
{
	return SALES_ALLOC_GROW_ZERO(fs->reached, g + 1, fs->nreached);
}

static int funnel_gap(struct funnel_state *fs, size_t g, int stage, int32_t days)
{
	if (days >= GAP_LO && days < GAP_HI) {
		size_t i = g * SALES_NSTAGES + (size_t)stage;
		struct gap_bin *b;

		if (SALES_ALLOC_GROW_ZERO(fs->bins, i + 1, fs->nbins) < 0)
			return -1;
		b = &fs->bins[i];
		if (!b->count &&
		    !(b->count = calloc(GAP_HI - GAP_LO, sizeof(*b->count))))
			return -1;
		b->count[days - GAP_LO]++;
		b->n++;
		return 0;
	}
	if (SALES_ALLOC_GROW(fs->gaps, fs->ngaps + 1, fs->gapalloc) < 0)
		return -1;
	fs->gaps[fs->ngaps].group = (uint32_t)g;
	fs->gaps[fs->ngaps].stage = (uint8_t)stage;
	fs->gaps[fs->ngaps].days = days;
	fs->ngaps++;
	return 0;
}

static const char *customer_group_cell(const struct sales_model *m,
				       const struct sales_customer *c,
				       enum sales_kpi_by by)
{
	switch (by) {
	case SALES_KPI_BY_OWNER: return sales_model_str(m, sales_customer_owner(m, c));
	case SALES_KPI_BY_REGION: return sales_model_str(m, sales_customer_region(m, c));
	case SALES_KPI_BY_PRODUCT_LINE: return sales_model_str(m, sales_customer_product_line(m, c));
	default: return NULL;
	}
}

static int funnel_workbook(struct funnel_state *fs,
			   const struct sales_funnel_query *q, size_t wb,
			   struct sales_error *err)
{
	struct sales_context ctx;
	struct sales_model *m = NULL;
	sales_date first = SALES_DATE_NONE, last = SALES_DATE_NONE;
	struct sales_rulebook *rb = NULL;
	struct sales_facts f;
	unsigned sheets = 0;
	int rc = -1;

	sales_facts_init(&f);
	for (int i = 0; i < SALES_NSTAGES; i++)
		sheets |= 1u << i;
	if (!sales_sheet_exists(q->dirs[wb], SALES_LEADS))
		return sales_error_set(err, SALES_ENOTFOUND, q->dirs[wb], 0, 0,
				       "not a workbook: no %s",
				       sales_sheet_def(SALES_LEADS)->file);
	if (sales_context_load(&ctx, q->dirs[wb], q->today, err) < 0)
		return -1;
	/* the stages alone: no contract or follow-up array */
	sheets |= 1u << SALES_EXCEPTIONS | SALES_MODEL_LEAN;
	if (sales_model_load(&m, &ctx, sheets, NULL, NULL, err) < 0 ||
	    sales_rulebook_open(&rb, m, err) < 0)
		goto out;
	if (q->quarter)
		sales_kpi_period_bounds(q->year, q->quarter, q->month, &first, &last);
	for (size_t i = 0; i < m->ncustomers; i++) {
		const struct sales_customer *c = &m->customers[i];
		sales_date began[SALES_NSTAGES];   /* each stage's first date */
		long g;

		if (!c->lead_line)
			continue;
		if (q->quarter && (sales_customer_registered(m, c) == SALES_DATE_NONE ||
				   sales_customer_registered(m, c) < first || sales_customer_registered(m, c) > last))
			continue;
		g = groupset_of(&fs->groups, wb, customer_group_cell(m, c, q->by));
		if (g < 0 || funnel_count(fs, (size_t)g) < 0)
			goto nomem;
		if (sales_facts_eval(rb, (long)i, SALES_FACTS_STAGES, &f, err) < 0)
			goto out;
		sales_customer_firsts(m, c, began);
		for (int s = 0; s < SALES_NSTAGES; s++) {
			struct funnel_counts *fc = &fs->reached[g];
			enum sales_stage_state st = f.stages[s].state;

			if (st == SALES_STAGE_WAIVED && (c->present >> (s + 1)))
				fc->waived[s]++;
			if (st != SALES_STAGE_PRESENT)
				continue;
			fc->reached[s]++;
			if (s == 0 || f.stages[s - 1].state == SALES_STAGE_PRESENT ||
			    f.stages[s - 1].state == SALES_STAGE_WAIVED)
				fc->converted[s]++;
			if (s > 0 && (c->present & (1u << (s - 1))) &&
			    began[s] != SALES_DATE_NONE &&
			    began[s - 1] != SALES_DATE_NONE &&
			    funnel_gap(fs, (size_t)g, s,
				       began[s] - began[s - 1]) < 0)
				goto nomem;
		}
	}
	rc = 0;
	goto out;
nomem:
	rc = sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
out:
	sales_facts_release(&f);
	sales_rulebook_close(rb);
	sales_model_free(m);
	sales_context_release(&ctx);
	return rc;
}

static void funnel_state_release(struct funnel_state *fs)
{
	groupset_release(&fs->groups);
	free(fs->reached);
	for (size_t i = 0; i < fs->nbins; i++)
		free(fs->bins[i].count);
	free(fs->bins);
	free(fs->gaps);
}

/* The k-th smallest (from 0) of a group and stage's gaps: the sorted
 * outliers out[0..nout) below GAP_LO come first, then the bin's days,
 * then the outliers at or past GAP_HI. */
static int32_t gap_kth(const struct gap_bin *b, const struct gap *out,
		       size_t nout, size_t k)
{
	size_t low = 0;

	while (low < nout && out[low].days < GAP_LO)
		low++;
	if (k < low)
		return out[k].days;
	k -= low;
	if (b && k < b->n) {
		for (int d = 0; d < GAP_HI - GAP_LO; d++) {
			if (k < b->count[d])
				return GAP_LO + d;
			k -= b->count[d];
		}
	}
	k -= b ? b->n : 0;
	return out[low + k].days;
}

int sales_funnel_compute(struct sales_funnel **out,
			 const struct sales_funnel_query *q,
			 struct sales_error *err)
{
	struct funnel_state *fs;
	struct sales_funnel *f;
	struct named *order = NULL;
	size_t *first_gap = NULL;

	*out = NULL;
	if (!q->ndirs || q->quarter < 0 || q->quarter > 4)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "no workbook or quarter to report on");
	f = calloc(1, sizeof(*f));
	fs = calloc(1, sizeof(*fs));
	if (!f || !fs)
		goto nomem;
	f->priv = fs;
	if (groupset_init(&fs->groups, q->by, q->dirs, q->labels, q->ndirs) < 0 ||
	    funnel_count(fs, fs->groups.n ? fs->groups.n - 1 : 0) < 0)
		goto nomem;
	for (size_t wb = 0; wb < q->ndirs; wb++)
		if (funnel_workbook(fs, q, wb, err) < 0)
			goto fail;
	if (funnel_count(fs, fs->groups.n ? fs->groups.n - 1 : 0) < 0)
		goto nomem;
	if (fs->ngaps)
		qsort(fs->gaps, fs->ngaps, sizeof(*fs->gaps), cmp_gaps);
	order = groupset_order(&fs->groups);
	f->groups = calloc(fs->groups.n ? fs->groups.n : 1, sizeof(*f->groups));
	/* where each (group, stage) run of gaps starts */
	first_gap = malloc((fs->groups.n * SALES_NSTAGES + 1) * sizeof(*first_gap));
	if (!order || !f->groups || !first_gap)
		goto nomem;
	for (size_t i = 0, k = 0; i <= fs->groups.n * SALES_NSTAGES; i++) {
		while (k < fs->ngaps &&
		       (size_t)fs->gaps[k].group * SALES_NSTAGES + fs->gaps[k].stage < i)
			k++;
		first_gap[i] = k;
	}
	for (size_t i = 0; i < fs->groups.n; i++) {
		struct sales_funnel_group *g = &f->groups[i];
		size_t id = order[i].id;

		g->name = order[i].name;
		for (int s = 0; s < SALES_NSTAGES; s++) {
			struct sales_funnel_stage *st = &g->stage[s];
			size_t a = first_gap[id * SALES_NSTAGES + (size_t)s];
			size_t b = first_gap[id * SALES_NSTAGES + (size_t)s + 1];

			const struct funnel_counts *fc = &fs->reached[id];

			st->reached = fc->reached[s];
			st->waived = fc->waived[s];
			if (s > 0 && fc->reached[s - 1] + fc->waived[s - 1]) {
				st->has_conversion = true;
				st->conversion = (double)fc->converted[s] /
					(double)(fc->reached[s - 1] + fc->waived[s - 1]);
			}
			size_t bi = id * SALES_NSTAGES + (size_t)s;
			const struct gap_bin *bin = bi < fs->nbins &&
				fs->bins[bi].n ? &fs->bins[bi] : NULL;
			size_t n = b - a + (bin ? bin->n : 0);

			st->ndated = n;
			if (n) {
				const struct gap *o = fs->gaps ? fs->gaps + a : NULL;

				st->has_median = true;
				st->median_days = n % 2 ?
					gap_kth(bin, o, b - a, n / 2) :
					((double)gap_kth(bin, o, b - a, n / 2 - 1) +
					 gap_kth(bin, o, b - a, n / 2)) / 2;
			}
		}
	}
	f->ngroups = fs->groups.n;
	free(order);
	free(first_gap);
	*out = f;
	return 0;
nomem:
	sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
fail:
	free(order);
	free(first_gap);
	if (fs)
		funnel_state_release(fs);
	free(fs);
	if (f)
		free(f->groups);
	free(f);
	return -1;
}

void sales_funnel_free(struct sales_funnel *f)
{
	if (!f)
		return;
	funnel_state_release(f->priv);
	free(f->priv);
	free(f->groups);
	free(f);
}
