#include "model.h"
#include "buf.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "text.h"
#include "workbook.h"

static_assert(sizeof(struct sales_customer) == 32,
	      "model.h says where each byte of a customer goes");
static_assert(sizeof(struct sales_followup) == 24,
	      "model.h says what a follow-up holds");
static_assert(sizeof(struct sales_contract) == 56,
	      "model.h orders a contract's members to leave no holes");

/* One customer's rows in one stage sheet 02..07 (struct sales_stage_rows),
 * in m->stages: entries are added as a sheet is read, so a customer's
 * entries chain from the latest sheet's (sales_customer.stages) back.
 * 12 bytes, and 8 more for its lines in m->stage_lines at the same index
 * (none in a lean load: SALES_MODEL_LEAN).  Its three dates (first, last, extra) are 21-bit day numbers
 * from 1900-01-01 (0 for none) packed in dates, bits 0-20, 21-41 and
 * 42-62; an entry with a date outside 1900 .. 7641 (a typed 9023) sets
 * bit 63 and keeps its dates whole in m->stage_far, at the index in bits
 * 0-31.  Read and write them with stage_dates / stage_set_dates. */
struct sales_model_stage {
	uint32_t dates[2];  /* low, high half of the 64-bit word */
	uint32_t prev;   /* bits 0-28: the customer's entry for an earlier
			  * sheet + 1 (0: none); bits 29-31: this entry's sheet */
};

/* An entry's lines: its first row's, and extra_line (struct
 * sales_stage_rows; in 07, which has no extra, the count of its rows). */
struct sales_model_stage_lines {
	uint32_t first_line, extra_line;
};

static_assert(sizeof(struct sales_model_stage) == 12 &&
	      sizeof(struct sales_model_stage_lines) == 8,
	      "a side-table entry is 12 bytes and its lines 8 (model.c's comment)");

/* e's lines, or NULL in a lean load. */
static inline struct sales_model_stage_lines *
stage_lines(const struct sales_model *m, const struct sales_model_stage *e)
{
	return m->stage_lines ? &m->stage_lines[e - m->stages] : NULL;
}

/* A side-table entry's dates, whole (and m->stage_far's entries). */
struct sales_model_stage_dates {
	sales_date first, last, extra;
};

#define STAGE_FAR SALES_DAYS_FAR

static uint64_t stage_word(const struct sales_model_stage *e)
{
	return (uint64_t)e->dates[1] << 32 | e->dates[0];
}

/* d as a 21-bit day (0: none), or UINT32_MAX when it does not fit. */
static uint32_t day_of(sales_date d)
{
	int64_t off;

	if (d == SALES_DATE_NONE)
		return 0;
	off = (int64_t)d - SALES_DAY_BASE + 1;
	return off >= 1 && off <= (int64_t)SALES_DAY_MASK ? (uint32_t)off :
	       UINT32_MAX;
}

/*
 * Packs three dates into *w (model.h's table of a customer's dates; a
 * side-table entry's are the same) when each fits and *w is not far
 * already; else gives *w a slot of the far table (*far, *nfar of them,
 * room for *cap, items of size bytes) once, and returns that slot for the
 * caller to fill, or NULL when packed.  *nomem is set on ENOMEM.
 */
static inline void *days_store(uint64_t *w, sales_date a, sales_date b, sales_date c,
			void *far, size_t *nfar, size_t *cap, size_t size,
			bool *nomem)
{
	uint32_t x = day_of(a), y = day_of(b), z = day_of(c);
	char *base;

	*nomem = false;
	if (!(*w & SALES_DAYS_FAR) && x != UINT32_MAX && y != UINT32_MAX &&
	    z != UINT32_MAX) {
		*w = (uint64_t)x | (uint64_t)y << SALES_DAY_BITS |
		     (uint64_t)z << (2 * SALES_DAY_BITS);
		return NULL;
	}
	if (!(*w & SALES_DAYS_FAR)) {
		if (*nfar >= UINT32_MAX ||
		    (*nfar + 1 > *cap &&
		     sales_grow(far, cap, *nfar + 1, size, 0) < 0)) {
			*nomem = true;
			return NULL;
		}
		*w = SALES_DAYS_FAR | (*nfar)++;
	}
	memcpy(&base, far, sizeof(base));   /* the array, whatever its type */
	return base + (size_t)(uint32_t)*w * size;
}

static struct sales_model_stage_dates
stage_dates(const struct sales_model *m, const struct sales_model_stage *e)
{
	uint64_t w = stage_word(e);

	if (w & STAGE_FAR)
		return m->stage_far[(uint32_t)w];
	return (struct sales_model_stage_dates){
		sales_day_unpack(w, 0), sales_day_unpack(w, 1),
		sales_day_unpack(w, 2) };
}

/* stage_dates(m, e).first alone. */
static sales_date stage_first(const struct sales_model *m,
			      const struct sales_model_stage *e)
{
	uint64_t w = stage_word(e);

	return w & STAGE_FAR ? m->stage_far[(uint32_t)w].first :
	       sales_day_unpack(w, 0);
}

/* Stores d in e: packed when every date fits, else in m->stage_far (its
 * own slot, kept once it has one).  -1 on ENOMEM. */
static int stage_set_dates(struct sales_model *m, size_t *farcap,
			   struct sales_model_stage *e,
			   const struct sales_model_stage_dates *d)
{
	uint64_t w = stage_word(e);
	struct sales_model_stage_dates *slot;
	bool nomem;

	slot = days_store(&w, d->first, d->last, d->extra, &m->stage_far,
			  &m->nstage_far, farcap, sizeof(*slot), &nomem);
	if (nomem)
		return -1;
	if (slot)
		*slot = *d;
	e->dates[0] = (uint32_t)w;
	e->dates[1] = (uint32_t)(w >> 32);
	return 0;
}

/* Stores d as customer c's dates, the same way (m->customer_far). */
static int customer_set_dates(struct sales_model *m, size_t *farcap,
			      struct sales_customer *c,
			      const struct sales_customer_dates *d)
{
	struct sales_customer_dates *slot;
	bool nomem;

	slot = days_store(&c->dates, d->registered, d->last_contact,
			  d->activity, &m->customer_far, &m->ncustomer_far,
			  farcap, sizeof(*slot), &nomem);
	if (nomem)
		return -1;
	if (slot)
		*slot = *d;
	return 0;
}

/* +原负责人 where a lead row sets it, in customer order (m->formers). */
struct sales_model_former {
	uint32_t customer, id;
};

#define STAGE_PREV_MASK 0x1FFFFFFFu
#define STAGE_SHEET(e) ((int)((e)->prev >> 29))
/* sales_customer.stages: bits 0-28 the latest entry + 1 (0: none), bit 31
 * set when the customer has several 01 rows (an entry holds their dates) */
#define CUST_STAGES(k) ((k)->stages & STAGE_PREV_MASK)
#define CUST_LEAD_ROWS 0x80000000u

static_assert(SALES_NSTAGES <= 8, "a stage entry's sheet fits in 3 bits");

static const struct sales_model_stage *
stage_entry(const struct sales_model *m, const struct sales_customer *k,
	    int sheet)
{
	uint32_t i = CUST_STAGES(k);

	while (i) {
		const struct sales_model_stage *e = &m->stages[i - 1];

		if (STAGE_SHEET(e) == sheet)
			return e;
		if (STAGE_SHEET(e) < sheet)
			break;
		i = e->prev & STAGE_PREV_MASK;
	}
	return NULL;
}

/* The date of a customer's one 01 row (sales_row_date): its 登记日期,
 * else its 最后跟进时间, which the customer holds. */
static sales_date lead_date(const struct sales_model *m,
			    const struct sales_customer *k)
{
	struct sales_customer_dates d = sales_customer_dates(m, k);

	return d.registered != SALES_DATE_NONE ? d.registered : d.last_contact;
}

bool sales_customer_stage(const struct sales_model *m,
			  const struct sales_customer *k, int sheet,
			  struct sales_stage_rows *out)
{
	const struct sales_model_stage *e = NULL;
	bool in = sheet >= 0 && sheet < SALES_NSTAGES &&
		  (k->present & (1u << sheet));

	if (in && sheet == SALES_LEADS) {
		sales_date d = lead_date(m, k);

		/* several rows: their entry (the chain's last) */
		e = k->stages & CUST_LEAD_ROWS ?
		    stage_entry(m, k, SALES_LEADS) : NULL;
		if (e) {
			struct sales_model_stage_dates sd = stage_dates(m, e);

			*out = (struct sales_stage_rows){ sd.first, sd.last,
							  k->lead_line,
							  SALES_DATE_NONE, 0 };
		} else {
			*out = (struct sales_stage_rows){ d, d, k->lead_line,
							  SALES_DATE_NONE, 0 };
		}
		return true;
	}
	if (in)
		e = stage_entry(m, k, sheet);
	if (!e) {
		*out = (struct sales_stage_rows){ SALES_DATE_NONE,
						  SALES_DATE_NONE, 0,
						  SALES_DATE_NONE, 0 };
		return false;
	}
	{
		struct sales_model_stage_dates sd = stage_dates(m, e);
		const struct sales_model_stage_lines *ln = stage_lines(m, e);

		*out = (struct sales_stage_rows){ sd.first, sd.last,
						  ln ? ln->first_line : 0, sd.extra,
						  !ln || sheet == SALES_FOLLOWUPS ?
						  0 : ln->extra_line };
	}
	return true;
}

void sales_customer_firsts(const struct sales_model *m,
			   const struct sales_customer *k,
			   sales_date first[SALES_NSTAGES])
{
	for (int s = 0; s < SALES_NSTAGES; s++)
		first[s] = SALES_DATE_NONE;
	/* a customer with several 01 rows has an entry for them too */
	if (k->present & 1u)
		first[SALES_LEADS] = lead_date(m, k);
	for (uint32_t i = CUST_STAGES(k); i; ) {
		const struct sales_model_stage *e = &m->stages[i - 1];

		first[STAGE_SHEET(e)] = stage_first(m, e);
		i = e->prev & STAGE_PREV_MASK;
	}
}

sales_date sales_customer_first(const struct sales_model *m,
				const struct sales_customer *k, int sheet)
{
	struct sales_stage_rows r;

	sales_customer_stage(m, k, sheet, &r);
	return r.first;
}

sales_date sales_customer_last(const struct sales_model *m,
			       const struct sales_customer *k, int sheet)
{
	struct sales_stage_rows r;

	sales_customer_stage(m, k, sheet, &r);
	return r.last;
}

uint32_t sales_customer_first_line(const struct sales_model *m,
				   const struct sales_customer *k, int sheet)
{
	struct sales_stage_rows r;

	sales_customer_stage(m, k, sheet, &r);
	return r.first_line;
}

/* The one "extra" date of a stage sheet (方案 submitted, 合同 first
 * signed, 验收 accepted) and the line it came from. */
static sales_date stage_extra(const struct sales_model *m,
			      const struct sales_customer *k, int sheet,
			      uint32_t *line)
{
	struct sales_stage_rows r;

	sales_customer_stage(m, k, sheet, &r);
	if (line)
		*line = r.extra_line;
	return r.extra;
}

sales_date sales_customer_submitted(const struct sales_model *m,
				    const struct sales_customer *k,
				    uint32_t *line)
{
	return stage_extra(m, k, SALES_SOLUTIONS, line);
}

uint32_t sales_customer_survey_line(const struct sales_model *m,
				    const struct sales_customer *k)
{
	uint32_t line;

	stage_extra(m, k, SALES_SURVEYS, &line);
	return line;
}

sales_date sales_customer_signed_first(const struct sales_model *m,
				       const struct sales_customer *k)
{
	return stage_extra(m, k, SALES_CONTRACTS, NULL);
}

sales_date sales_customer_accepted(const struct sales_model *m,
				   const struct sales_customer *k,
				   uint32_t *line)
{
	return stage_extra(m, k, SALES_ACCEPTANCE, line);
}

uint32_t sales_customer_nfollowups(const struct sales_model *m,
				   const struct sales_customer *k)
{
	const struct sales_model_stage *e =
		k->present & (1u << SALES_FOLLOWUPS) ?
		stage_entry(m, k, SALES_FOLLOWUPS) : NULL;

	const struct sales_model_stage_lines *ln = e ? stage_lines(m, e) : NULL;

	return ln ? ln->extra_line : 0;   /* 07's count */
}

uint32_t sales_customer_former_owner(const struct sales_model *m,
				     const struct sales_customer *k)
{
	uint32_t c = (uint32_t)(k - m->customers);
	size_t lo = 0, hi = m->nformers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->formers[mid].customer < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nformers && m->formers[lo].customer == c ?
	       m->formers[lo].id : 0;
}

/* ---- interning and the customer index ---- */

const char *sales_model_str(const struct sales_model *m, uint32_t id)
{
	return m->pool.data ? m->pool.data + id : "";
}

/* Appends s to the pool; returns its id, or UINT32_MAX on ENOMEM. */
static uint32_t pool_add(struct sales_model *m, const char *s, size_t len)
{
	size_t off = m->pool.len;

	if (off > UINT32_MAX - len - 1 || sales_buf_add(&m->pool, s, len) < 0 ||
	    sales_buf_addch(&m->pool, '\0') < 0)
		return UINT32_MAX;
	return (uint32_t)off;
}

/* Small strings repeat (owners, regions): a second table dedups them. */
struct intern_table {
	uint32_t *slots;   /* pool id + 1 */
	size_t cap, n;
};

static const char *trimmed(const char *s, size_t *len)
{
	*len = strlen(s);
	return sales_trim(s, len);
}

/* The hash of the model's two tables (the customer index, the interned
 * strings): eight bytes a step.  They are this file's own and in memory
 * only, and nothing is ordered by them. */
static inline uint32_t str_hash(const char *s, size_t len)
{
	return (uint32_t)sales_hash_fast(s, len);
}

/*
 * The customer index (m->index): open addressing, linear probing, at most
 * half full.  A slot of a table of cap = 2^b slots holds the customer + 1
 * in its low b bits and, above them, the bits of the name's 32-bit hash
 * that the slot's position does not use (its tag): a probe compares names
 * only where the tags agree - a compare costs two cache misses at a
 * million customers (the customer, then its name), most of them on names
 * that differ.  The customer + 1 fits in b bits: fewer than cap / 2 are in.
 */
static uint32_t index_tag(size_t cap, uint32_t hash)
{
	return hash & ~sales_slot_mask(cap);
}

/* Makes room for n + 1 entries in the table of *cap slots (at most half of
 * them used): a table of twice the slots, or more when n says so. */
static int grow_index(uint32_t **slots, size_t *cap, size_t n,
		      const struct sales_model *m, bool customers)
{
	size_t ncap = *cap ? *cap * 2 : 1024;
	uint32_t *ns;

	if (n * 2 < *cap)
		return 0;
	while (n * 2 >= ncap)
		ncap *= 2;
	ns = sales_zalloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < *cap; i++) {
		uint32_t v = (*slots)[i], hash;
		const char *s;
		size_t h;

		if (!v)
			continue;
		if (customers)
			v &= sales_slot_mask(*cap);
		s = customers ? sales_model_str(m, m->customers[v - 1].name) :
				sales_model_str(m, v - 1);
		hash = str_hash(s, strlen(s));
		h = hash & (ncap - 1);
		while (ns[h])
			h = (h + 1) & (ncap - 1);
		ns[h] = customers ? index_tag(ncap, hash) | v : v;
	}
	free(*slots);
	*slots = ns;
	*cap = ncap;
	return 0;
}

static uint32_t intern(struct sales_model *m, struct intern_table *t,
		       const char *s)
{
	size_t len, h;
	const char *p = trimmed(s, &len);
	uint32_t id;

	if (!len)
		return 0;
	if (grow_index(&t->slots, &t->cap, t->n, m, false) < 0)
		return UINT32_MAX;
	h = (size_t)str_hash(p, len) & (t->cap - 1);
	while (t->slots[h]) {
		const char *q = sales_model_str(m, t->slots[h] - 1);

		if (!strncmp(q, p, len) && q[len] == '\0')
			return t->slots[h] - 1;
		h = (h + 1) & (t->cap - 1);
	}
	id = pool_add(m, p, len);
	if (id == UINT32_MAX)
		return id;
	t->slots[h] = id + 1;
	t->n++;
	return id;
}

/* Whether customer i is named p (len bytes, trimmed). */
static inline bool named(const struct sales_model *m, size_t i, const char *p,
			 size_t len)
{
	const char *q = sales_model_str(m, m->customers[i].name);

	return !strncmp(q, p, len) && q[len] == '\0';
}

/* The one probe of the index: the customer named p (hash its sales_hash),
 * or -1 with *slot the empty slot the probe ended at (where it goes). */
static inline long index_probe(const struct sales_model *m, const char *p,
			       size_t len, uint32_t hash, size_t *slot)
{
	uint32_t tag = index_tag(m->index_cap, hash);
	uint32_t mask = sales_slot_mask(m->index_cap), v;
	size_t h = hash & (m->index_cap - 1);

	while ((v = m->index[h])) {
		if ((v & ~mask) == tag && named(m, (v & mask) - 1, p, len))
			return (long)(v & mask) - 1;
		h = (h + 1) & (m->index_cap - 1);
	}
	*slot = h;
	return -1;
}

long sales_model_find(const struct sales_model *m, const char *name)
{
	size_t len, h;
	const char *p = trimmed(name, &len);

	if (!len || !m->index_cap)
		return -1;
	return index_probe(m, p, len, str_hash(p, len), &h);
}

/* Finds or adds the customer; -1 for a blank name, -2 on ENOMEM.  One
 * probe sequence finds it or the slot it goes in (a load streams a million
 * rows through here).  *last is the customer the call before found (-1
 * none): a sheet's rows of one customer often follow each other, and a
 * fill-down continuation always repeats its group's name.  hash is
 * sales_hash of the trimmed name when known (have_hash: the parsing
 * thread made it). */
static long customer_of(struct sales_model *m, const char *name,
			uint32_t hash, bool have_hash, long *last, size_t *cap)
{
	size_t len, h = 0;
	const char *p = trimmed(name, &len);
	struct sales_customer *c;
	uint32_t id;
	long found;

	if (!len)
		return -1;
	if (*last >= 0 && named(m, (size_t)*last, p, len))
		return *last;
	if (SALES_ALLOC_GROW(m->customers, m->ncustomers + 1, *cap) < 0)
		return -2;
	if (grow_index(&m->index, &m->index_cap, m->ncustomers, m, true) < 0)
		return -2;
	if (!have_hash)
		hash = str_hash(p, len);
	if ((found = index_probe(m, p, len, hash, &h)) >= 0)
		return *last = found;
	id = pool_add(m, p, len);
	if (id == UINT32_MAX)
		return -2;
	c = &m->customers[m->ncustomers];
	memset(c, 0, sizeof(*c));
	c->name = id;   /* dates 0: none, profile 0: the empty one */
	c->status = -1;
	m->index[h] = index_tag(m->index_cap, hash) | ((uint32_t)m->ncustomers + 1);
	return *last = (long)m->ncustomers++;
}

/*
 * With a parsing thread, asks for what customer_of will read for the next
 * rows while this one is worked on: the index slot of the row three ahead
 * (its name's hash is in its prep), the customer that slot holds for the
 * row two ahead, and that customer's name for the next row - each a cache
 * miss at a million customers, most of a record's time on this thread
 * otherwise.  Hints only: nothing is decided from them.
 */
static void prefetch_ahead(const struct sales_model *m,
			   const struct sales_sheet_reader *r)
{
	if (!m->index_cap)
		return;
	static const size_t ahead[] = { 8, 5, 2 };   /* slot, customer, name */

	for (size_t st = 0; st < 3; st++) {
		size_t k = ahead[st];
		const struct sales_row *row = sales_sheet_peek(r, k);
		const struct sales_row_prep *p;
		const uint32_t *slot;
		uint32_t v;

		if (!row || !row->prep ||
		    row->prep_len != sizeof(struct sales_row_prep))
			continue;
		p = row->prep;
		if (!p->has_name_hash)
			continue;
		slot = &m->index[p->name_hash & (m->index_cap - 1)];
		if (st == 0) {
			__builtin_prefetch(slot);
			continue;
		}
		/* the slot's customer when its tag is the name's (else the
		 * name is further on, or new) */
		v = *slot;
		if (!v || (v & ~sales_slot_mask(m->index_cap)) !=
			  index_tag(m->index_cap, p->name_hash))
			continue;
		v &= sales_slot_mask(m->index_cap);
		if (v > m->ncustomers)
			continue;
		if (st == 1)
			__builtin_prefetch(&m->customers[v - 1]);
		else
			__builtin_prefetch(m->pool.data + m->customers[v - 1].name);
	}
}

/* ---- Excel rows from lines ---- */

/* From `line` on (until the next entry), a record's Excel row is line -
 * delta. */
struct sales_model_rowmap {
	uint32_t line;
	int32_t delta;
};

static int rowmap_note(struct sales_model *m, enum sales_sheet_id id,
		       long line, long row)
{
	size_t n = m->nrowmap[id];
	int32_t delta = (int32_t)(line - row);

	if (n && m->rowmap[id][n - 1].delta == delta)
		return 0;
	if (SALES_ALLOC_GROW(m->rowmap[id], n + 1, m->rowmapcap[id]) < 0)
		return -1;
	m->rowmap[id][n] = (struct sales_model_rowmap){ (uint32_t)line, delta };
	m->nrowmap[id] = n + 1;
	return 0;
}

uint32_t sales_model_row(const struct sales_model *m, enum sales_sheet_id id,
			 uint32_t line)
{
	const struct sales_model_rowmap *map = m->rowmap[id];
	size_t lo = 0, hi = m->nrowmap[id];

	if (!line)
		return 0;
	/* the last entry at or before line */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (map[mid].line <= line)
			lo = mid;
		else
			hi = mid;
	}
	return hi && map[lo].line <= line ? (uint32_t)((int64_t)line - map[lo].delta) :
	       line;
}

/* ---- values ---- */

static sales_date date_of(const char *s)
{
	sales_date d;

	return sales_parse_date(s, strlen(s), &d) == SALES_VALUE_OK ? d :
	       SALES_DATE_NONE;
}

static sales_date min_date(sales_date a, sales_date b)
{
	if (a == SALES_DATE_NONE)
		return b;
	if (b == SALES_DATE_NONE)
		return a;
	return a < b ? a : b;
}

static sales_date max_date(sales_date a, sales_date b)
{
	if (a == SALES_DATE_NONE)
		return b;
	if (b == SALES_DATE_NONE)
		return a;
	return a > b ? a : b;
}

static int enum_index(const char *const *values, const char *s)
{
	return sales_enum_find(values, s, strlen(s));
}

/* Date column col of rec (SALES_COL_DATE), or NONE: from the prep when the
 * parsing thread made one (and the cell is the row's own, not filled
 * down). */
static sales_date rec_date(const struct sales_record *rec,
			   const struct sales_row_prep *p, int col)
{
	return p && !rec->filled[col] ? p->date[col] : date_of(rec->v[col]);
}

static sales_date row_date(enum sales_sheet_id id,
			   const struct sales_record *rec,
			   const struct sales_row_prep *p)
{
	struct sales_date_range r;
	const char *s;

	switch (id) {
	case SALES_LEADS: {
		sales_date d = rec_date(rec, p, LEAD_REGISTERED);

		return d != SALES_DATE_NONE ? d :
		       rec_date(rec, p, LEAD_LAST_CONTACT);
	}
	case SALES_SURVEYS:
		return rec_date(rec, p, SURVEY_DATE);
	case SALES_SOLUTIONS: {
		sales_date d = rec_date(rec, p, SOL_SUBMITTED);

		return d != SALES_DATE_NONE ? d : rec_date(rec, p, SOL_REVIEWED);
	}
	case SALES_CONTRACTS:
		return rec_date(rec, p, CON_SIGNED);
	case SALES_PLANS:
		if (p && !rec->filled[PLAN_PERIOD])
			return p->date[PLAN_PERIOD];
		s = rec->v[PLAN_PERIOD];
		return sales_parse_date_range(s, strlen(s), &r) == SALES_VALUE_OK ?
		       r.start : SALES_DATE_NONE;
	case SALES_ACCEPTANCE:
		return rec_date(rec, p, ACC_DATE);
	case SALES_FOLLOWUPS:
		return rec_date(rec, p, FU_DATE);
	default:
		return SALES_DATE_NONE;
	}
}

sales_date sales_row_date(enum sales_sheet_id id, const struct sales_record *rec)
{
	return row_date(id, rec, sales_row_prep_of(rec));
}

/* ---- loading ---- */

struct loader {
	struct sales_model *m;
	struct intern_table strings;
	size_t ccap, kcap, fcap, ecap, bcap, scap, slcap, ocap, farcap, cfarcap;
	/* the profiles (m->profiles): open addressing, index + 1 */
	uint32_t *profile_slots;
	size_t profile_cap, pcap;
	sales_row_hook hook;
	void *ud;
	unsigned every;   /* sheets whose every row the hook sees */
	bool lean;        /* SALES_MODEL_LEAN */
	sales_prep_hook prep;
	void *pud;
	/* the sheet being read: set before its parsing thread starts */
	enum sales_sheet_id cur_id;
	const struct sales_colmap *cur_map;
	int cur_ccol;                /* its 客户名称 column, or -1 */
};

const struct sales_row_prep *sales_row_prep_of(const struct sales_record *rec)
{
	const struct sales_row *row = rec->row;

	const struct sales_row_prep *p;

	if (!row || !row->prep ||
	    row->prep_len != sizeof(struct sales_row_prep))
		return NULL;
	p = row->prep;
	return p;
}

static bool bad_date_cell(const struct sales_record *rec,
			  const struct sales_colmap *map, size_t col);
static bool blank(const char *s);

/* The parsing thread's part of a record (sales_row_prep). */
static void prepare(void *ud, const struct sales_record *rec, void *out)
{
	const struct loader *l = ud;
	const struct sales_colmap *map = l->cur_map;
	const struct sales_sheet_def *def = map->def;
	struct sales_row_prep *p = out;

	p->bits = 0;
	p->word = 0;
	p->has_word = false;
	p->bad_dates = 0;
	p->has_name_hash = false;
	if (l->cur_ccol >= 0) {
		size_t len;
		const char *s = trimmed(rec->v[l->cur_ccol], &len);

		/* as customer_of hashes it */
		p->name_hash = str_hash(s, len);
		p->has_name_hash = true;
	}
	/* a continuation's too (a blank key cell): its filled columns are
	 * blank here, which the readers of a prep know (model.h) */
	for (size_t col = 0; col < def->ncolumns; col++) {
		const char *v = rec->v[col];
		enum sales_value_status st;

		enum sales_coltype t = def->columns[col].type;

		p->date[col] = SALES_DATE_NONE;
		p->dstat[col] = SALES_VALUE_EMPTY;
		if (t == SALES_COL_DATE_RANGE || t == SALES_COL_DATE_PREFIX) {
			/* parsed as take_row reads it (prep_range_or_prefix) */
			size_t len = strlen(v), tl = len, used;
			struct sales_date_range r;

			if (t == SALES_COL_DATE_RANGE) {
				st = sales_parse_date_range(v, len, &r);
				p->date[col] = st == SALES_VALUE_OK ? r.start :
					       SALES_DATE_NONE;
			} else {
				st = sales_parse_date_prefix(v, len, &p->date[col],
							     &used);
				if (st != SALES_VALUE_OK)
					p->date[col] = SALES_DATE_NONE;
			}
			p->dstat[col] = (uint8_t)st;
			/* bad_date_cell reads the trimmed cell: the same
			 * verdict when there was nothing to trim */
			if (sales_trim(v, &tl) != v || tl != len ?
			    bad_date_cell(rec, map, col) :
			    len && st != SALES_VALUE_OK &&
			    st != SALES_VALUE_UNKNOWN && map->file_col[col] >= 0)
				p->bad_dates |= 1u << col;
			continue;
		}
		if (t != SALES_COL_DATE)
			continue;
		/* parsed once: bad_date_cell's verdict from the status (the
		 * parser trims; a blank cell is EMPTY, a missing column "") */
		st = sales_parse_date(v, strlen(v), &p->date[col]);
		p->dstat[col] = (uint8_t)st;
		if (st != SALES_VALUE_OK && st != SALES_VALUE_UNKNOWN &&
		    st != SALES_VALUE_EMPTY && map->file_col[col] >= 0)
			p->bad_dates |= 1u << col;
	}
	if (l->prep)
		l->prep(l->pud, l->cur_id, l->cur_map, rec, p);
}

/* Counts a row of stage sheet `stage` dated d for customer c; *entry is
 * its side-table entry (NULL for 01, whose dates the customer holds).
 * -1 on ENOMEM. */
static int mark(struct loader *l, struct sales_customer *c, int stage,
		sales_date d, uint32_t line, struct sales_model_stage **entry)
{
	struct sales_model *m = l->m;
	struct sales_model_stage *e;
	struct sales_model_stage_dates sd;

	*entry = NULL;
	if (stage == SALES_LEADS && !(c->present & 1u)) {
		/* the first row: its date is the customer's (lead_date,
		 * from what take_row keeps of the row) */
		c->present |= 1u;
		return 0;
	}
	/* sheets are read in order, so this sheet's entry is the latest
	 * (01's, of a customer with several rows there, the only one) */
	if (stage == SALES_LEADS ? (c->stages & CUST_LEAD_ROWS) != 0 :
	    (c->present & (1u << stage)) != 0) {
		e = &m->stages[CUST_STAGES(c) - 1];
	} else {
		if (m->nstages >= STAGE_PREV_MASK ||
		    SALES_ALLOC_GROW(m->stages, m->nstages + 1, l->scap) < 0 ||
		    (!l->lean &&
		     SALES_ALLOC_GROW(m->stage_lines, m->nstages + 1, l->slcap) < 0))
			return -1;
		e = &m->stages[m->nstages];
		/* dates 0: none */
		*e = (struct sales_model_stage){ { 0, 0 },
						 CUST_STAGES(c) |
						 ((uint32_t)stage << 29) };
		if (!l->lean)
			m->stage_lines[m->nstages] =
				(struct sales_model_stage_lines){ line, 0 };
		if (stage == SALES_LEADS) {
			/* a second 01 row: the first's date, its line */
			sd = (struct sales_model_stage_dates){
				lead_date(m, c), lead_date(m, c), SALES_DATE_NONE };
			if (stage_set_dates(m, &l->farcap, e, &sd) < 0)
				return -1;
			if (!l->lean)
				m->stage_lines[m->nstages].first_line = c->lead_line;
		}
		c->stages = (c->stages & CUST_LEAD_ROWS) |
			    (uint32_t)++m->nstages;
		if (stage == SALES_LEADS)
			c->stages |= CUST_LEAD_ROWS;
		c->present |= 1u << stage;
	}
	sd = stage_dates(m, e);
	sd.first = min_date(sd.first, d);
	sd.last = max_date(sd.last, d);
	if (stage_set_dates(m, &l->farcap, e, &sd) < 0)
		return -1;
	*entry = e;
	return 0;
}

/* e's extra date (model.h, struct sales_stage_rows). */
static sales_date stage_extra_of(const struct loader *l,
				 const struct sales_model_stage *e)
{
	return stage_dates(l->m, e).extra;
}

static int set_stage_extra(struct loader *l, struct sales_model_stage *e,
			   sales_date extra)
{
	struct sales_model_stage_dates sd = stage_dates(l->m, e);

	sd.extra = extra;
	return stage_set_dates(l->m, &l->farcap, e, &sd);
}

/* e's extra becomes d, from line, when d is a date earlier than it (03's
 * earliest 提交日期, 06's earliest 合格 验收时间).  -1 on ENOMEM. */
static int earliest_extra(struct loader *l, struct sales_model_stage *e,
			  sales_date d, uint32_t line)
{
	sales_date x;

	if (d == SALES_DATE_NONE)
		return 0;
	x = stage_extra_of(l, e);
	if (x != SALES_DATE_NONE && d >= x)
		return 0;
	if (set_stage_extra(l, e, d) < 0)
		return -1;
	if (stage_lines(l->m, e))
		stage_lines(l->m, e)->extra_line = line;
	return 0;
}

static bool blank(const char *s)
{
	size_t len;

	trimmed(s, &len);
	return len == 0;
}

int sales_row_date_column(enum sales_sheet_id id, const struct sales_record *rec)
{
	switch (id) {
	case SALES_SURVEYS:
		return SURVEY_DATE;
	case SALES_SOLUTIONS:
		return blank(rec->v[SOL_SUBMITTED]) ? SOL_REVIEWED : SOL_SUBMITTED;
	case SALES_CONTRACTS:
		return CON_SIGNED;
	case SALES_PLANS:
		return PLAN_PERIOD;
	case SALES_ACCEPTANCE:
		return ACC_DATE;
	case SALES_FOLLOWUPS:
		return FU_DATE;
	default:
		return -1;
	}
}

/* d on line of sheet id becomes c's activity when it is later.  -1 on
 * ENOMEM. */
static int activity(struct sales_model *m, size_t *farcap,
		    struct sales_customer *c, sales_date d,
		    enum sales_sheet_id id, uint32_t line)
{
	struct sales_customer_dates cd;
	sales_date a;
	uint32_t x;

	if (d == SALES_DATE_NONE || d > m->ctx->today)
		return 0;
	a = sales_customer_activity(m, c);
	if (a != SALES_DATE_NONE && d <= a)
		return 0;
	c->act_line = line;
	c->act_sheet = (uint8_t)id;
	x = day_of(d);
	if (!(c->dates & SALES_DAYS_FAR) && x != UINT32_MAX) {
		/* packed, and stays so: its 21 bits alone */
		c->dates = (c->dates & ~(SALES_DAY_MASK << (2 * SALES_DAY_BITS))) |
			   (uint64_t)x << (2 * SALES_DAY_BITS);
		return 0;
	}
	cd = sales_customer_dates(m, c);
	cd.activity = d;
	return customer_set_dates(m, farcap, c, &cd);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* The route of contract k of customer c, or NULL when no row of
 * approval-rules.csv applies. */
static const struct sales_route *contract_route(const struct sales_model *m,
						const struct sales_customer *c,
						const struct sales_contract *k,
						const char *term)
{
	struct sales_route_facts f = {0};
	char grade[2] = { c ? c->grade : 0, 0 };

	f.amount = k->amount;
	f.term = term;
	if (c) {
		f.customer = sales_model_str(m, c->name);
		f.product_line = sales_model_str(m, sales_customer_product_line(m, c));
		f.region = sales_model_str(m, sales_customer_region(m, c));
		f.industry = sales_model_str(m, sales_customer_industry(m, c));
		f.grade = grade;
	}
	return m->ctx ? sales_contract_route(m->ctx, &f, NULL) :
	       sales_route_default();
}

/* An enumerated cell in its simplified spelling (a traditional one read
 * too), or as it is when it names no value. */
static char *dup_enum(const char *const *values, const char *s)
{
	const char *c = s ? sales_enum_canonical(values, s) : NULL;

	return dup_or_empty(c ? c : s);
}

/* Is date column col of rec filled but not a date this toolkit reads?  A
 * "not known yet" word (待定, 待定回访) is a date nobody knows, not a bad
 * one.  Pure: the parsing thread asks it too (prepare). */
static bool bad_date_cell(const struct sales_record *rec,
			  const struct sales_colmap *map, size_t col)
{
	enum sales_coltype t = map->def->columns[col].type;
	const char *s = rec->v[col];
	size_t len, used;
	enum sales_value_status st;
	struct sales_date_range r;
	sales_date d;

	if (rec->filled[col] || map->file_col[col] < 0 ||
	    (t != SALES_COL_DATE && t != SALES_COL_DATE_PREFIX &&
	     t != SALES_COL_DATE_RANGE))
		return false;   /* most columns hold no date: no strlen then */
	len = strlen(s);
	s = sales_trim(s, &len);
	if (!len)
		return false;
	if (t == SALES_COL_DATE)
		st = sales_parse_date(s, len, &d);
	else if (t == SALES_COL_DATE_PREFIX)
		st = sales_parse_date_prefix(s, len, &d, &used);
	else if (t == SALES_COL_DATE_RANGE)
		st = sales_parse_date_range(s, len, &r);
	else
		return false;
	return st != SALES_VALUE_OK && st != SALES_VALUE_UNKNOWN;
}

/* The filled date cells of the row that do not read as dates: recorded
 * (sales_bad_date). */
static int bad_dates(struct loader *l, enum sales_sheet_id id,
		     const struct sales_record *rec, const struct sales_colmap *map,
		     long cust)
{
	struct sales_model *m = l->m;
	const struct sales_row_prep *p = sales_row_prep_of(rec);

	if (!map || (p && !p->bad_dates))
		return 0;
	for (size_t col = 0; col < map->def->ncolumns; col++) {
		const char *s = rec->v[col];
		size_t len;
		struct sales_bad_date *b;

		if (p ? !(p->bad_dates & (1u << col)) :
			!bad_date_cell(rec, map, col))
			continue;
		len = strlen(s);
		s = sales_trim(s, &len);
		if (SALES_ALLOC_GROW(m->bad_dates, m->nbad_dates + 1, l->bcap) < 0)
			return -1;
		b = &m->bad_dates[m->nbad_dates];
		b->customer = cust >= 0 ? (uint32_t)cust : UINT32_MAX;
		b->line = (uint32_t)rec->row->line;
		b->row = (uint32_t)rec->row->excel_row;
		b->sheet = (uint8_t)id;
		b->col = (int8_t)col;
		b->file_col = (int16_t)(map->file_col[col] + 1);
		b->value = pool_add(m, s, len);
		if (b->value == UINT32_MAX)
			return -1;
		m->nbad_dates++;
	}
	return 0;
}

const char *sales_bad_date_cell(const struct sales_bad_date *b, char *buf,
				size_t size)
{
	char letters[8];

	snprintf(buf, size, "%s:%s%lu", sales_sheet_def(b->sheet)->file,
		 sales_column_letters(b->file_col, letters), (unsigned long)b->row);
	return buf;
}

/* A mix of the four ids (they are pool offsets, not hashes). */
static uint32_t profile_hash(const struct sales_profile *p)
{
	uint64_t h = ((uint64_t)p->owner << 32 | p->region) *
		     UINT64_C(0x9E3779B97F4A7C15);

	h ^= ((uint64_t)p->product_line << 32 | p->industry) +
	     (h >> 29);
	h *= UINT64_C(0xBF58476D1CE4E5B9);
	return (uint32_t)(h >> 32);
}

/* *out becomes the index of profile p in m->profiles, added when new.
 * -1 on ENOMEM. */
static int profile_of(struct loader *l, const struct sales_profile *p,
		      uint32_t *out)
{
	struct sales_model *m = l->m;
	size_t h, mask;

	if (!p->owner && !p->region && !p->product_line && !p->industry) {
		*out = 0;
		return 0;
	}
	if (m->nprofiles * 2 >= l->profile_cap) {
		size_t ncap = l->profile_cap ? l->profile_cap * 2 : 256;
		uint32_t *ns = sales_zalloc(ncap, sizeof(*ns));

		if (!ns)
			return -1;
		for (size_t i = 1; i < m->nprofiles; i++) {
			h = profile_hash(&m->profiles[i]) & (ncap - 1);
			while (ns[h])
				h = (h + 1) & (ncap - 1);
			ns[h] = (uint32_t)i + 1;
		}
		free(l->profile_slots);
		l->profile_slots = ns;
		l->profile_cap = ncap;
	}
	mask = l->profile_cap - 1;
	for (h = profile_hash(p) & mask; l->profile_slots[h]; h = (h + 1) & mask) {
		const struct sales_profile *q =
			&m->profiles[l->profile_slots[h] - 1];

		if (q->owner == p->owner && q->region == p->region &&
		    q->product_line == p->product_line &&
		    q->industry == p->industry) {
			*out = l->profile_slots[h] - 1;
			return 0;
		}
	}
	if (m->nprofiles >= UINT32_MAX - 1 ||
	    SALES_ALLOC_GROW(m->profiles, m->nprofiles + 1, l->pcap) < 0)
		return -1;
	m->profiles[m->nprofiles] = *p;
	l->profile_slots[h] = (uint32_t)m->nprofiles + 1;
	*out = (uint32_t)m->nprofiles++;
	return 0;
}

/* Customer c's +原负责人 id (not 0) into m->formers, kept in customer
 * order (a customer's lead row comes when it is made, so in order but for
 * what a caller's table may hold otherwise).  -1 on ENOMEM. */
static int add_former(struct loader *l, uint32_t c, uint32_t id)
{
	struct sales_model *m = l->m;
	size_t i = m->nformers;

	if (SALES_ALLOC_GROW(m->formers, m->nformers + 1, l->ocap) < 0)
		return -1;
	while (i && m->formers[i - 1].customer > c)
		i--;
	memmove(&m->formers[i + 1], &m->formers[i],
		(m->nformers - i) * sizeof(*m->formers));
	m->formers[i] = (struct sales_model_former){ c, id };
	m->nformers++;
	return 0;
}

static int take_row(struct loader *l, enum sales_sheet_id id,
		    const struct sales_record *rec, long cust,
		    struct sales_error *err)
{
	struct sales_model *m = l->m;
	const struct sales_context *ctx = m->ctx;
	struct sales_customer *c = cust >= 0 ? &m->customers[cust] : NULL;
	uint32_t line = (uint32_t)rec->row->line;
	uint32_t row = (uint32_t)rec->row->excel_row;
	const char *const *v = rec->v;
	const struct sales_row_prep *p = sales_row_prep_of(rec);
	sales_date rd = SALES_DATE_NONE, sub = SALES_DATE_NONE;
	sales_date survey_before = c && id == SALES_SURVEYS ?
				   sales_customer_last(m, c, SALES_SURVEYS) :
				   SALES_DATE_NONE;
	struct sales_model_stage *se = NULL;   /* c's entry for sheet id */

	/* each date parsed once: the row's date (sales_row_date) is also
	 * its activity (model.h), but for 03's two dates */
	if (c && id == SALES_SOLUTIONS) {
		sales_date rev = rec_date(rec, p, SOL_REVIEWED);

		sub = rec_date(rec, p, SOL_SUBMITTED);
		rd = sub != SALES_DATE_NONE ? sub : rev;
		if (activity(m, &l->cfarcap, c, sub, id, line) < 0 ||
		    activity(m, &l->cfarcap, c, rev, id, line) < 0)
			goto nomem;
		if (mark(l, c, (int)id, rd, line, &se) < 0)
			goto nomem;
	} else if (c && id <= SALES_FOLLOWUPS) {
		rd = row_date(id, rec, p);
		if (id != SALES_LEADS &&
		    activity(m, &l->cfarcap, c, rd, id, line) < 0)
			goto nomem;
		if (mark(l, c, (int)id, rd, line, &se) < 0)
			goto nomem;
	}
	switch (id) {
	case SALES_LEADS: {
		struct sales_customer_dates cd;
		struct sales_profile pr;
		uint32_t former;
		char g;

		if (!c || c->lead_line)
			break;   /* a repeated lead keeps its first row */
		c->lead_line = line;
		/* its first row: no activity yet */
		cd.registered = rec_date(rec, p, LEAD_REGISTERED);
		cd.last_contact = rec_date(rec, p, LEAD_LAST_CONTACT);
		cd.activity = SALES_DATE_NONE;
		if (customer_set_dates(m, &l->cfarcap, c, &cd) < 0 ||
		    activity(m, &l->cfarcap, c, cd.registered, id, line) < 0)
			goto nomem;
		c->grade_blank = blank(v[LEAD_GRADE]);
		c->contact_blank = blank(v[LEAD_LAST_CONTACT]);
		if (sales_parse_grade(v[LEAD_GRADE], strlen(v[LEAD_GRADE]), &g) ==
		    SALES_VALUE_OK)
			c->grade = g;
		c->status = (int8_t)enum_index(sales_lead_statuses, v[LEAD_STATUS]);
		pr.owner = intern(m, &l->strings, v[LEAD_OWNER]);
		pr.region = intern(m, &l->strings, v[LEAD_REGION]);
		pr.product_line = intern(m, &l->strings, v[LEAD_PRODUCT_LINE]);
		pr.industry = intern(m, &l->strings, v[LEAD_INDUSTRY]);
		former = intern(m, &l->strings, v[LEAD_FORMER_OWNER]);
		if (pr.owner == UINT32_MAX || pr.region == UINT32_MAX ||
		    former == UINT32_MAX ||
		    pr.product_line == UINT32_MAX || pr.industry == UINT32_MAX ||
		    profile_of(l, &pr, &c->profile) < 0 ||
		    (former && add_former(l, (uint32_t)cust, former) < 0))
			goto nomem;
		break;
	}
	case SALES_SURVEYS: {
		/* mark() keeps the latest 调研时间 in last[SURVEYS]; this is
		 * the first row holding it when it is later than before */
		if (c && rd != SALES_DATE_NONE && stage_lines(m, se) &&
		    (survey_before == SALES_DATE_NONE || rd > survey_before))
			stage_lines(m, se)->extra_line = line;
		break;
	}
	case SALES_SOLUTIONS: {
		enum sales_review r = sales_review_of(v[SOL_REVIEW], NULL);
		sales_date d = sub;   /* 提交日期 */

		if (!c)
			break;
		if (r == SALES_REVIEW_PASSED ||
		    (r == SALES_REVIEW_REJECTED && c->review != SALES_REVIEW_PASSED))
			c->review = (uint8_t)r;
		if (earliest_extra(l, se, d, line) < 0)
			goto nomem;
		break;
	}
	case SALES_CONTRACTS: {
		struct sales_contract *k;
		double amount;
		const char *a = v[CON_AMOUNT];
		const char *idtext = v[CON_CONTRACT];
		size_t idlen;

		if (l->lean) {
			/* what the customer keeps of it, as below */
			if (c && enum_index(sales_approval_states, v[CON_APPROVAL]) ==
				 SALES_APPROVAL_APPROVED) {
				c->contract_approved = true;
				if (set_stage_extra(l, se,
						    min_date(stage_extra_of(l, se),
							     rec_date(rec, p, CON_SIGNED))) < 0)
					goto nomem;
			}
			break;
		}

		if (SALES_ALLOC_GROW(m->contracts, m->ncontracts + 1, l->kcap) < 0)
			goto nomem;
		k = &m->contracts[m->ncontracts++];
		memset(k, 0, sizeof(*k));
		k->customer = c ? (uint32_t)cust : UINT32_MAX;
		idtext = trimmed(idtext, &idlen);
		k->id = pool_add(m, idtext, idlen);
		if (k->id == UINT32_MAX)
			goto nomem;
		k->line = line;
		k->row = row;
		k->amount = sales_parse_number(a, strlen(a), &amount) ==
			    SALES_VALUE_OK ? amount : NAN;
		if (isnan(k->amount)) {
			struct sales_amount am;

			if (sales_parse_amount(a, strlen(a), &am) == SALES_VALUE_OK &&
			    (am.flags & SALES_AMOUNT_LO) && (am.flags & SALES_AMOUNT_HI) &&
			    am.lo == am.hi)
				k->amount = am.lo;
		}
		k->status = (int8_t)enum_index(sales_approval_states, v[CON_APPROVAL]);
		sales_approval_from(&k->approval, v);
		k->route = contract_route(m, c, k, v[CON_TERM]);
		k->signed_date = rec_date(rec, p, CON_SIGNED);
		k->payment_due = rec_date(rec, p, CON_PAYMENT_DUE);
		k->paid = rec_date(rec, p, CON_PAID);
		if (c && k->status == SALES_APPROVAL_APPROVED) {
			c->contract_approved = true;
			if (set_stage_extra(l, se, min_date(stage_extra_of(l, se),
							    k->signed_date)) < 0)
				goto nomem;
		}
		break;
	}
	case SALES_ACCEPTANCE:
		if (c && enum_index(sales_acceptance_results, v[ACC_RESULT]) == 0) {
			sales_date d = rec_date(rec, p, ACC_DATE);

			c->accepted = true;
			if (earliest_extra(l, se, d, line) < 0)
				goto nomem;
		}
		break;
	case SALES_FOLLOWUPS: {
		struct sales_followup *f;
		const char *n = v[FU_NEXT_PLAN], *s = v[FU_SATISFACTION];
		size_t used;
		long sat;

		if (l->lean)
			break;
		if (SALES_ALLOC_GROW(m->followups, m->nfollowups + 1, l->fcap) < 0)
			goto nomem;
		f = &m->followups[m->nfollowups++];
		memset(f, 0, sizeof(*f));
		f->customer = c ? (uint32_t)cust : UINT32_MAX;
		f->line = line;
		f->date = rec_date(rec, p, FU_DATE);
		if (p && !rec->filled[FU_NEXT_PLAN])
			f->next = p->date[FU_NEXT_PLAN];
		else if (sales_parse_date_prefix(n, strlen(n), &f->next, &used) !=
			 SALES_VALUE_OK)
			f->next = SALES_DATE_NONE;
		if (sales_parse_int(s, strlen(s), &sat) == SALES_VALUE_OK &&
		    sat >= 1 && sat <= 5)
			f->satisfaction = (int8_t)sat;
		f->by = intern(m, &l->strings, v[FU_BY]);
		if (f->by == UINT32_MAX)
			goto nomem;
		if (c)
			stage_lines(m, se)->extra_line++;   /* 07's count */
		break;
	}
	case SALES_EXCEPTIONS: {
		struct sales_model_exception *e;

		if (SALES_ALLOC_GROW(m->exceptions, m->nexceptions + 1, l->ecap) < 0)
			goto nomem;
		e = &m->exceptions[m->nexceptions++];
		memset(e, 0, sizeof(*e));
		e->customer = c ? (uint32_t)cust : UINT32_MAX;
		e->line = line;
		e->row = row;
		e->e.customer = dup_or_empty(v[EXC_CUSTOMER]);
		e->e.type = dup_enum(sales_exception_types, v[EXC_TYPE]);
		e->e.stage = dup_enum(sales_stage_names, v[EXC_STAGE]);
		e->e.reason = dup_or_empty(v[EXC_REASON]);
		e->e.deadline = dup_or_empty(v[EXC_DEADLINE]);
		e->e.approver = dup_or_empty(v[EXC_APPROVER]);
		e->e.approved = dup_or_empty(v[EXC_APPROVED]);
		if (!e->e.customer || !e->e.type || !e->e.stage ||
		    !e->e.reason || !e->e.deadline || !e->e.approver ||
		    !e->e.approved)
			goto nomem;
		e->valid = sales_exception_valid(ctx, &e->e, &e->why_invalid);
		break;
	}
	default:
		break;
	}
	return 0;
nomem:
	return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
}

/* One record of sheet id (column map map, customer column ccol or -1):
 * counted, or for a narrowed load skipped when it is another customer's
 * (only shown to the hook).  *last is customer_of's.  0 or -1 with err. */
static int load_record(struct loader *l, enum sales_sheet_id id, int ccol,
		       const struct sales_record *rec,
		       const struct sales_colmap *map, long *last,
		       struct sales_error *err)
{
	struct sales_model *m = l->m;
	const char *file = sales_sheet_def(id)->file;
	long cust = -1;

	if (ccol >= 0 && m->only && !sales_key_equal(rec->v[ccol], m->only)) {
		/* another customer's row (sales_model_load_one): not
		 * counted, only shown to the hook */
		if (l->hook) {
			struct sales_row_event ev = { id, rec, map, -1, m, true };

			if (l->hook(l->ud, &ev, err) != 0)
				return -1;
		}
		return 0;
	}
	if (ccol >= 0) {
		/* exceptions and changes name customers but never
		 * create them */
		const struct sales_row_prep *p = sales_row_prep_of(rec);

		/* a filled-down name is not the row's own: its prep hashed
		 * the blank cell */
		if (p && rec->filled[ccol])
			p = NULL;
		cust = id == SALES_EXCEPTIONS || id == SALES_CHANGES ?
		       sales_model_find(m, rec->v[ccol]) :
		       customer_of(m, rec->v[ccol],
				   p && p->has_name_hash ? p->name_hash : 0,
				   p && p->has_name_hash, last, &l->ccap);
	}
	if (cust == -2 ||
	    rowmap_note(m, id, rec->row->line, rec->row->excel_row) < 0)
		return sales_error_set(err, SALES_ENOMEM, file, 0, 0,
				       "out of memory");
	if (take_row(l, id, rec, cust, err) < 0)
		return -1;
	if (bad_dates(l, id, rec, map, cust) < 0)
		return sales_error_set(err, SALES_ENOMEM, file, 0, 0,
				       "out of memory");
	if (l->hook) {
		struct sales_row_event ev = { id, rec, map, cust, m, false };

		if (l->hook(l->ud, &ev, err) != 0)
			return -1;
	}
	return 0;
}

static int sheet_customer_column(enum sales_sheet_id id)
{
	return id == SALES_TEAM || id == SALES_HOLIDAYS || id == SALES_AUDIT ||
	       id == SALES_KPI ? -1 :
	       sales_column_find(sales_sheet_def(id), "customer");
}

/*
 * After the first LEADS_SAMPLE rows of 01 (one lead each, mostly): the
 * customer index sized at once for the leads the file's size promises at
 * the bytes those rows took, instead of doubling (and hashing every name
 * again) some ten times on the way to 100,000.  At most twice too large
 * when later rows are shorter; at worst a customer per 16 bytes.
 */
#define LEADS_SAMPLE 512
static int reserve_customers(struct sales_model *m,
			     const struct sales_sheet_reader *r,
			     const struct sales_record *rec)
{
	unsigned long long size = sales_reader_file_size(sales_sheet_file(r));
	unsigned long long used = (unsigned long long)rec->row->offset +
				  rec->row->length;
	unsigned long long want;

	if (!size || !used || used >= size)
		return 0;
	want = size / used * LEADS_SAMPLE;
	if (want > size / 16)
		want = size / 16;
	if (want > (1ull << 28))
		want = 1ull << 28;
	return grow_index(&m->index, &m->index_cap, (size_t)want, m, true);
}

static int load_sheet(struct loader *l, enum sales_sheet_id id,
		      struct sales_error *err)
{
	struct sales_model *m = l->m;
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	const struct sales_sheet_def *def = sales_sheet_def(id);
	int ccol = sheet_customer_column(id);
	long last = -1;   /* customer_of's */
	size_t nrows = 0;
	int rc;

	if (!sales_sheet_exists(m->ctx->dir, id))
		return 0;
	m->has_sheet[id] = true;
	if (sales_sheet_open(m->ctx->dir, id, SALES_ENC_AUTO, &r, err) < 0)
		return -1;
	l->cur_id = id;
	l->cur_map = sales_sheet_colmap(r);
	l->cur_ccol = ccol;
	/* a narrowed load keeps a few rows: their dates are parsed where
	 * they are taken (take_row reads rec when there is no prep), and
	 * the others' never; unless the hook sees every row of the sheet,
	 * the rows that cannot be the customer's are dropped by the reader
	 * unread (workbook.h sales_sheet_set_filter) */
	if ((!m->only && sales_sheet_set_prepare(r, prepare, l,
				    sizeof(struct sales_row_prep)) < 0) ||
	    (m->only && !(l->every & (1u << id)) && ccol >= 0 &&
	     sales_sheet_set_filter(r, ccol, m->only) < 0)) {
		sales_sheet_close(r);
		return sales_error_set(err, SALES_ENOMEM, def->file, 0, 0,
				       "out of memory");
	}
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		prefetch_ahead(m, r);
		if (id == SALES_LEADS && ++nrows == LEADS_SAMPLE && !m->only &&
		    reserve_customers(m, r, rec) < 0) {
			rc = sales_error_set(err, SALES_ENOMEM, def->file, 0, 0,
					     "out of memory");
			break;
		}
		if (load_record(l, id, ccol, rec, sales_sheet_colmap(r), &last,
				err) < 0) {
			rc = -1;
			break;
		}
	}
	sales_sheet_close(r);
	return rc < 0 ? -1 : 0;
}

/* load_sheet from a table loaded before (unedited), for a sheet without
 * fill-down: the same records, the same warnings again (the reader's, as
 * reading the file again gives them). */
static int load_table(struct loader *l, enum sales_sheet_id id,
		      const struct sales_sheet_table *st,
		      struct sales_error *err)
{
	struct sales_model *m = l->m;
	const struct sales_sheet_def *def = sales_sheet_def(id);
	size_t n = sales_table_rows(st->table);
	int ccol = sheet_customer_column(id);
	struct sales_record rec;
	struct sales_row row;
	long last = -1;   /* customer_of's */

	m->has_sheet[id] = true;
	l->cur_id = id;
	l->cur_map = &st->map;
	l->cur_ccol = ccol;
	sales_table_warn_again(st->table);
	memset(&rec, 0, sizeof(rec));
	memset(&row, 0, sizeof(row));
	rec.row = &row;
	for (size_t i = 0; i < n; i++) {
		if (ccol >= 0 && m->only && !l->hook &&
		    !sales_key_equal(sales_sheet_table_get(st, i, ccol), m->only))
			continue;   /* what load_record does with it */
		row.line = sales_table_line(st->table, i);
		row.excel_row = sales_table_excel_row(st->table, i);
		for (size_t c = 0; c < def->ncolumns; c++)
			rec.v[c] = sales_sheet_table_get(st, i, (int)c);
		if (load_record(l, id, ccol, &rec, &st->map, &last, err) < 0)
			return -1;
	}
	return 0;
}

static int load(struct sales_model **out, const struct sales_context *ctx,
		unsigned sheets, const char *only,
		const struct sales_sheet_table *const *tables,
		sales_row_hook hook, void *ud, unsigned every,
		sales_prep_hook prep, void *pud, struct sales_error *err);

int sales_model_load(struct sales_model **out, const struct sales_context *ctx,
		     unsigned sheets, sales_row_hook hook, void *ud,
		     struct sales_error *err)
{
	return sales_model_load_prep(out, ctx, sheets, hook, ud, NULL, NULL,
				     err);
}

int sales_model_load_one(struct sales_model **out,
			 const struct sales_context *ctx, unsigned sheets,
			 const char *name, sales_row_hook hook, void *ud,
			 struct sales_error *err)
{
	return load(out, ctx, sheets, name ? name : "", NULL, hook, ud,
		    hook ? ~0u : 0, NULL, NULL, err);
}

int sales_model_load_one_for(struct sales_model **out,
			     const struct sales_context *ctx, unsigned sheets,
			     const char *name, sales_row_hook hook, void *ud,
			     unsigned every, struct sales_error *err)
{
	return load(out, ctx, sheets, name ? name : "", NULL, hook, ud,
		    hook ? every : 0, NULL, NULL, err);
}

int sales_model_load_one_from(struct sales_model **out,
			      const struct sales_context *ctx, unsigned sheets,
			      const char *name,
			      const struct sales_sheet_table *const *tables,
			      struct sales_error *err)
{
	return load(out, ctx, sheets, name ? name : "", tables, NULL, NULL, 0,
		    NULL, NULL, err);
}

int sales_model_load_prep(struct sales_model **out,
			  const struct sales_context *ctx, unsigned sheets,
			  sales_row_hook hook, void *ud, sales_prep_hook prep,
			  void *pud, struct sales_error *err)
{
	return load(out, ctx, sheets, NULL, NULL, hook, ud, ~0u, prep, pud,
		    err);
}

static int load(struct sales_model **out, const struct sales_context *ctx,
		unsigned sheets, const char *only,
		const struct sales_sheet_table *const *tables,
		sales_row_hook hook, void *ud, unsigned every,
		sales_prep_hook prep, void *pud, struct sales_error *err)
{
	static const enum sales_sheet_id order[] = {
		SALES_LEADS, SALES_SURVEYS, SALES_SOLUTIONS, SALES_CONTRACTS,
		SALES_PLANS, SALES_ACCEPTANCE, SALES_FOLLOWUPS, SALES_EXCEPTIONS,
		SALES_CHANGES,
	};
	struct sales_model *m = calloc(1, sizeof(*m));
	struct loader l = { 0 };

	*out = NULL;
	if (!m || sales_buf_addch(&m->pool, '\0') < 0 ||
	    !(m->profiles = calloc(1, sizeof(*m->profiles)))) {
		if (m)
			sales_buf_release(&m->pool);
		free(m);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	}
	m->ctx = ctx;
	m->nprofiles = 1;   /* [0]: the empty one, every new customer's */
	if (only && !(m->only = strdup(only))) {
		sales_model_free(m);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	}
	l.m = m;
	l.hook = hook;
	l.ud = ud;
	l.every = every;
	l.lean = (sheets & SALES_MODEL_LEAN) != 0;
	l.pcap = 1;
	l.prep = prep;
	l.pud = pud;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(sheets & (1u << order[i])))
			continue;
		const struct sales_sheet_table *st =
			tables ? tables[order[i]] : NULL;

		/* a table stands for its file only where the file's rows
		 * need nothing the table lacks: no fill-down */
		if (st && (sales_sheet_def(order[i])->columns[0].flags &
			   SALES_COLF_FILL_DOWN))
			st = NULL;
		if (st ? load_table(&l, order[i], st, err) < 0 :
			 load_sheet(&l, order[i], err) < 0) {
			free(l.strings.slots);
			free(l.profile_slots);
			sales_model_free(m);
			return -1;
		}
	}
	free(l.strings.slots);
	free(l.profile_slots);
	*out = m;
	return 0;
}

void sales_model_free(struct sales_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nexceptions; i++) {
		struct sales_exception *e = &m->exceptions[i].e;

		free((char *)e->customer);
		free((char *)e->type);
		free((char *)e->stage);
		free((char *)e->reason);
		free((char *)e->deadline);
		free((char *)e->approver);
		free((char *)e->approved);
	}
	free(m->exceptions);
	free(m->customers);
	free(m->stages);
	free(m->stage_lines);
	free(m->stage_far);
	free(m->profiles);
	free(m->customer_far);
	free(m->formers);
	free(m->contracts);
	free(m->followups);
	free(m->bad_dates);
	free(m->index);
	for (int i = 0; i < SALES_NSHEETS; i++)
		free(m->rowmap[i]);
	sales_buf_release(&m->pool);
	free(m->only);
	free(m);
}

void sales_model_progress(const struct sales_model *m, size_t c,
			  struct sales_progress *p)
{
	const struct sales_customer *k = &m->customers[c];

	memset(p, 0, sizeof(*p));
	p->lead = k->lead_line != 0;
	p->survey = k->present & (1u << SALES_SURVEYS);
	p->solution = k->present & (1u << SALES_SOLUTIONS);
	p->review_passed = k->review == SALES_REVIEW_PASSED;
	p->contract = k->present & (1u << SALES_CONTRACTS);
	p->contract_approved = k->contract_approved;
	p->plan = k->present & (1u << SALES_PLANS);
	p->acceptance = k->present & (1u << SALES_ACCEPTANCE);
	p->accepted = k->accepted;
	p->followup = k->present & (1u << SALES_FOLLOWUPS);
}

int sales_model_stage(const struct sales_customer *c)
{
	for (int i = SALES_NSTAGES - 1; i >= 0; i--)
		if (c->present & (1u << i))
			return i;
	return -1;
}

const struct sales_model_exception *
sales_model_exception(const struct sales_model *m, size_t c, const char *type,
		      enum sales_sheet_id id,
		      const struct sales_model_exception **invalid)
{
	if (invalid)
		*invalid = NULL;
	for (size_t i = 0; i < m->nexceptions; i++) {
		const struct sales_model_exception *e = &m->exceptions[i];

		if (e->customer != c || strcmp(e->e.type, type) ||
		    !sales_exception_covers(&e->e, id))
			continue;
		if (e->valid)
			return e;
		if (invalid && !*invalid)
			*invalid = e;
	}
	return NULL;
}
