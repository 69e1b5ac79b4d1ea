#include "route.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "text.h"
#include "value.h"
#include "workbook.h"

/* ---- conditions ---------------------------------------------------------- */

enum field { F_AMOUNT, F_TERM, F_PRODUCT_LINE, F_REGION, F_INDUSTRY,
	     F_GRADE, F_CUSTOMER };

static const struct {
	const char *name;
	enum field field;
	bool numeric;
} fields[] = {
	{ "金额", F_AMOUNT, true }, { "合同金额", F_AMOUNT, true },
	{ "合同金額", F_AMOUNT, true }, { "金額", F_AMOUNT, true },
	{ "amount", F_AMOUNT, true },
	{ "合同期限", F_TERM, true }, { "期限", F_TERM, true },
	{ "term", F_TERM, true },
	{ "产品线", F_PRODUCT_LINE, false }, { "產品線", F_PRODUCT_LINE, false },
	{ "product_line", F_PRODUCT_LINE, false },
	{ "区域", F_REGION, false }, { "區域", F_REGION, false },
	{ "region", F_REGION, false },
	{ "行业", F_INDUSTRY, false }, { "行業", F_INDUSTRY, false },
	{ "industry", F_INDUSTRY, false },
	{ "线索等级", F_GRADE, false }, { "線索等級", F_GRADE, false },
	{ "等级", F_GRADE, false }, { "等級", F_GRADE, false },
	{ "grade", F_GRADE, false },
	{ "客户名称", F_CUSTOMER, false }, { "客戶名稱", F_CUSTOMER, false },
	{ "customer", F_CUSTOMER, false },
};

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN };
enum kind { N_TRUE, N_CMP, N_AND, N_OR };

struct node {
	enum kind kind;
	enum field field;
	enum op op;
	bool numeric;
	double num;
	char **text;        /* one value, or the list of `in` */
	size_t ntext, atext;
	int left, right;    /* N_AND, N_OR */
};

struct rule {
	struct sales_route route;
	int root;
	char *condition;
};

struct sales_routes {
	struct rule *rules;
	size_t nrules, cap;
	struct node *nodes;
	size_t nnodes, nodecap;
};

/* Tokens: words, operators, parentheses; blanks (ASCII and U+3000) between. */
enum tok { T_END, T_WORD, T_OP, T_AND, T_OR, T_IN, T_LPAREN, T_RPAREN,
	   T_STAR };

struct lexer {
	const char *s, *p;
	enum tok tok;
	enum op op;
	const char *word;
	size_t wlen;
};

static const struct {
	const char *text;
	enum op op;
} ops[] = {
	{ ">=", OP_GE }, { "<=", OP_LE }, { "!=", OP_NE }, { "<>", OP_NE },
	{ "==", OP_EQ }, { "≥", OP_GE }, { "≤", OP_LE }, { "≠", OP_NE },
	{ "＞＝", OP_GE }, { "＜＝", OP_LE }, { "＝", OP_EQ }, { "＞", OP_GT },
	{ "＜", OP_LT }, { "=", OP_EQ }, { ">", OP_GT }, { "<", OP_LT },
};

static size_t blank_at(const char *p)
{
	if (*p == ' ' || *p == '\t')
		return 1;
	if (!strncmp(p, "\xe3\x80\x80", 3))
		return 3;
	return 0;
}

static size_t op_at(const char *p, enum op *op)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].text);

		if (!strncmp(p, ops[i].text, n)) {
			*op = ops[i].op;
			return n;
		}
	}
	return 0;
}

static size_t paren_at(const char *p, bool *open)
{
	if (*p == '(' || *p == ')') {
		*open = *p == '(';
		return 1;
	}
	if (!strncmp(p, "（", 3) || !strncmp(p, "）", 3)) {
		*open = !strncmp(p, "（", 3);
		return 3;
	}
	return 0;
}

static bool word_is(const struct lexer *lx, const char *w)
{
	return lx->wlen == strlen(w) && !strncmp(lx->word, w, lx->wlen);
}

static bool word_is_ci(const struct lexer *lx, const char *w)
{
	return lx->wlen == strlen(w) && !strncasecmp(lx->word, w, lx->wlen);
}

static void lex(struct lexer *lx)
{
	size_t n;
	bool open;

	while ((n = blank_at(lx->p)))
		lx->p += n;
	lx->word = lx->p;
	lx->wlen = 0;
	if (!*lx->p) {
		lx->tok = T_END;
		return;
	}
	if ((n = op_at(lx->p, &lx->op))) {
		lx->tok = T_OP;
		lx->wlen = n;
		lx->p += n;
		return;
	}
	if ((n = paren_at(lx->p, &open))) {
		lx->tok = open ? T_LPAREN : T_RPAREN;
		lx->wlen = n;
		lx->p += n;
		return;
	}
	if (!strncmp(lx->p, "&&", 2) || !strncmp(lx->p, "||", 2)) {
		lx->tok = lx->p[0] == '&' ? T_AND : T_OR;
		lx->wlen = 2;
		lx->p += 2;
		return;
	}
	/* A word: up to a blank, an operator or a parenthesis.  Quotes keep
	 * blanks ("华东 一区"). */
	if (*lx->p == '"') {
		const char *end = strchr(lx->p + 1, '"');

		if (end) {
			lx->word = lx->p + 1;
			lx->wlen = (size_t)(end - lx->word);
			lx->p = end + 1;
			lx->tok = T_WORD;
			return;
		}
	}
	while (*lx->p && !blank_at(lx->p) && !op_at(lx->p, &lx->op) &&
	       !paren_at(lx->p, &open) && strncmp(lx->p, "&&", 2) &&
	       strncmp(lx->p, "||", 2))
		lx->p++;
	lx->wlen = (size_t)(lx->p - lx->word);
	lx->tok = T_WORD;
	if (word_is(lx, "*"))
		lx->tok = T_STAR;
	else if (word_is_ci(lx, "and") || word_is(lx, "且") ||
		 word_is(lx, "并且") || word_is(lx, "並且"))
		lx->tok = T_AND;
	else if (word_is_ci(lx, "or") || word_is(lx, "或"))
		lx->tok = T_OR;
	else if (word_is_ci(lx, "in") || word_is(lx, "属于") ||
		 word_is(lx, "屬於"))
		lx->tok = T_IN;
}

struct parser {
	struct lexer lx;
	struct sales_routes *rs;
	char why[200];
};

static int new_node(struct parser *ps, enum kind kind)
{
	struct sales_routes *rs = ps->rs;

	if (SALES_ALLOC_GROW(rs->nodes, rs->nnodes + 1, rs->nodecap) < 0)
		return -1;
	memset(&rs->nodes[rs->nnodes], 0, sizeof(rs->nodes[0]));
	rs->nodes[rs->nnodes].kind = kind;
	return (int)rs->nnodes++;
}

static int fail(struct parser *ps, const char *why)
{
	snprintf(ps->why, sizeof(ps->why), "%s", why);
	return -1;
}

static int add_text(struct node *n, const char *s, size_t len)
{
	if (SALES_ALLOC_GROW(n->text, n->ntext + 1, n->atext) < 0)
		return -1;
	s = sales_trim(s, &len);
	if (!(n->text[n->ntext] = strndup(s, len)))
		return -1;
	n->ntext++;
	return 0;
}

/* Splits an `in` list at , ， 、 and adds each item. */
static int add_list(struct node *n, const char *s, size_t len)
{
	const char *end = s + len, *item = s;

	while (s <= end) {
		size_t sep = s == end ? 0 : *s == ',' ? 1 :
			(!strncmp(s, "，", 3) || !strncmp(s, "、", 3)) ? 3 : 0;

		if (s == end || sep) {
			size_t ilen = (size_t)(s - item);

			sales_trim(item, &ilen);
			if (ilen && add_text(n, item, (size_t)(s - item)) < 0)
				return -1;
			if (s == end)
				break;
			s += sep;
			item = s;
		} else
			s++;
	}
	return 0;
}

static int parse_or(struct parser *ps);

static int parse_term(struct parser *ps)
{
	struct lexer *lx = &ps->lx;
	int id, field = -1;
	bool numeric = false;

	if (lx->tok == T_STAR) {
		lex(lx);
		return new_node(ps, N_TRUE);
	}
	if (lx->tok == T_LPAREN) {
		lex(lx);
		id = parse_or(ps);
		if (id < 0)
			return -1;
		if (lx->tok != T_RPAREN)
			return fail(ps, _("a '(' is not closed"));
		lex(lx);
		return id;
	}
	if (lx->tok != T_WORD)
		return fail(ps, _("expected a field such as 金额, 产品线, 区域 or 合同期限, or *"));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (word_is(lx, fields[i].name)) {
			field = (int)fields[i].field;
			numeric = fields[i].numeric;
		}
	if (field < 0) {
		snprintf(ps->why, sizeof(ps->why),
			 _("unknown field '%.*s' (expected 金额, 合同期限, 产品线, 区域, 行业, 线索等级 or 客户名称)"),
			 (int)lx->wlen, lx->word);
		return -1;
	}
	lex(lx);
	if ((id = new_node(ps, N_CMP)) < 0)
		return -1;
	{
		struct node *n = &ps->rs->nodes[id];

		n->field = (enum field)field;
		n->numeric = numeric;
		if (lx->tok == T_IN) {
			const char *start, *end;

			n->op = OP_IN;
			n->numeric = false;
			/* The list runs to the next 且/或/')' or the end. */
			lex(lx);
			start = end = lx->word;
			while (lx->tok == T_WORD || lx->tok == T_STAR) {
				end = lx->word + lx->wlen;
				lex(lx);
			}
			if (end == start)
				return fail(ps, _("'in' needs a list of values: 区域 in 华东,华南"));
			if (add_list(n, start, (size_t)(end - start)) < 0)
				return fail(ps, _("out of memory"));
			if (!n->ntext)
				return fail(ps, _("'in' needs a list of values: 区域 in 华东,华南"));
			return id;
		}
		if (lx->tok != T_OP)
			return fail(ps, _("expected a comparison (>=, >, <=, <, =, != or in) after the field"));
		n->op = lx->op;
		lex(lx);
		if (lx->tok != T_WORD)
			return fail(ps, _("expected a value after the comparison"));
		if (numeric) {
			struct sales_amount a;
			double d;

			if (n->field == F_AMOUNT &&
			    sales_parse_amount(lx->word, lx->wlen, &a) ==
				    SALES_VALUE_OK &&
			    a.lo == a.hi && (a.flags & SALES_AMOUNT_LO)) {
				n->num = a.lo;
			} else if (sales_parse_number(lx->word, lx->wlen, &d) ==
				   SALES_VALUE_OK) {
				n->num = d;
			} else {
				snprintf(ps->why, sizeof(ps->why),
					 n->field == F_AMOUNT ?
					 _("'%.*s' is not an amount in 万元") :
					 _("'%.*s' is not a number of months"),
					 (int)lx->wlen, lx->word);
				return -1;
			}
		} else {
			if (n->op != OP_EQ && n->op != OP_NE)
				return fail(ps, _("a text field is compared with = or != (or in), not < or >"));
			if (add_text(n, lx->word, lx->wlen) < 0)
				return fail(ps, _("out of memory"));
		}
		lex(lx);
	}
	return id;
}

static int parse_and(struct parser *ps)
{
	int left = parse_term(ps);

	while (left >= 0 && ps->lx.tok == T_AND) {
		int right, id;

		lex(&ps->lx);
		if ((right = parse_term(ps)) < 0 || (id = new_node(ps, N_AND)) < 0)
			return -1;
		ps->rs->nodes[id].left = left;
		ps->rs->nodes[id].right = right;
		left = id;
	}
	return left;
}

static int parse_or(struct parser *ps)
{
	int left = parse_and(ps);

	while (left >= 0 && ps->lx.tok == T_OR) {
		int right, id;

		lex(&ps->lx);
		if ((right = parse_and(ps)) < 0 || (id = new_node(ps, N_OR)) < 0)
			return -1;
		ps->rs->nodes[id].left = left;
		ps->rs->nodes[id].right = right;
		left = id;
	}
	return left;
}

/* ---- evaluation ---------------------------------------------------------- */

void sales_route_facts_from_rows(struct sales_route_facts *f,
				 const char *const *contract,
				 const char *const *lead)
{
	const char *a = contract[CON_AMOUNT];
	struct sales_amount am;

	memset(f, 0, sizeof(*f));
	f->amount = sales_parse_amount(a, strlen(a), &am) == SALES_VALUE_OK &&
		    (am.flags & SALES_AMOUNT_LO) && am.lo == am.hi ? am.lo : NAN;
	f->term = contract[CON_TERM];
	f->customer = contract[CON_CUSTOMER];
	if (lead) {
		f->product_line = lead[LEAD_PRODUCT_LINE];
		f->region = lead[LEAD_REGION];
		f->industry = lead[LEAD_INDUSTRY];
		f->grade = lead[LEAD_GRADE];
	}
}

static const char *fact(const struct sales_route_facts *f, enum field field)
{
	const char *v = NULL;

	switch (field) {
	case F_AMOUNT: v = NULL; break;
	case F_TERM: v = f->term; break;
	case F_PRODUCT_LINE: v = f->product_line; break;
	case F_REGION: v = f->region; break;
	case F_INDUSTRY: v = f->industry; break;
	case F_GRADE: v = f->grade; break;
	case F_CUSTOMER: v = f->customer; break;
	}
	return v ? v : "";
}

/* true when a period starts with a month and no day ("2023.11-2024.11",
 * "2023年11月至2024年10月"): the seed writes a one-year contract that way. */
static bool month_form(const char *s)
{
	int n = 0;

	while (*s == ' ')
		s++;
	while (*s >= '0' && *s <= '9' && n < 5)
		s++, n++;
	if (n != 4)
		return false;
	if (*s == '.' || *s == '-' || *s == '/')
		s++;
	else if (!strncmp(s, "年", 3))
		s += 3;
	else
		return false;
	for (n = 0; *s >= '0' && *s <= '9'; s++)
		n++;
	if (n < 1 || n > 2)
		return false;
	if (!strncmp(s, "月", 3))
		return strncmp(s + 3, "日", 3) && !(s[3] >= '0' && s[3] <= '9');
	if (*s == '-')
		return s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
		       s[3] >= '0' && s[3] <= '9' && s[4] >= '0' && s[4] <= '9';
	return *s != '.' && *s != '/' && !(*s >= '0' && *s <= '9');
}

/* A contract term in months: a number of months as written, or the
 * period's length.  A month-form period counts from its first month to its
 * last ("2023.11-2024.11" is 12, the seed's one-year contract); a period of
 * days counts the whole months from its start to the day after its end
 * ("2023.11.01-2024.10.31" is 12 too). */
static bool term_months(const char *s, double *out)
{
	struct sales_date_range r;
	int y1, m1, d1, y2, m2, d2;
	double d;

	if (sales_parse_number(s, strlen(s), &d) == SALES_VALUE_OK) {
		*out = d;
		return true;
	}
	if (sales_parse_date_range(s, strlen(s), &r) != SALES_VALUE_OK)
		return false;
	sales_date_to_ymd(r.start, &y1, &m1, &d1);
	if (month_form(s)) {
		sales_date_to_ymd(r.end, &y2, &m2, &d2);
		*out = (y2 - y1) * 12 + (m2 - m1);
		return true;
	}
	sales_date_to_ymd(r.end + 1, &y2, &m2, &d2);
	*out = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
	return true;
}

static bool numeric_fact(const struct sales_route_facts *f, enum field field,
			 double *out)
{
	if (field == F_TERM)
		return term_months(fact(f, field), out);
	*out = f->amount;
	return !isnan(f->amount);
}

/* Text equality after trimming; a grade matches with or without its 类. */
static bool text_equal(enum field field, const char *value, const char *want)
{
	size_t vlen = strlen(value), wlen = strlen(want);

	value = sales_trim(value, &vlen);
	if (field == F_GRADE) {
		if (vlen > 3 && !strncmp(value + vlen - 3, "类", 3))
			vlen -= 3;
		if (wlen > 3 && !strncmp(want + wlen - 3, "类", 3))
			wlen -= 3;
	}
	return vlen == wlen && !strncmp(value, want, vlen);
}

static bool eval(const struct sales_routes *rs, int id,
		 const struct sales_route_facts *f)
{
	const struct node *n = &rs->nodes[id];
	double v;

	switch (n->kind) {
	case N_TRUE:
		return true;
	case N_AND:
		return eval(rs, n->left, f) && eval(rs, n->right, f);
	case N_OR:
		return eval(rs, n->left, f) || eval(rs, n->right, f);
	case N_CMP:
		break;
	}
	if (n->numeric) {
		if (!numeric_fact(f, n->field, &v))
			return false;
		switch (n->op) {
		case OP_EQ: return v == n->num;
		case OP_NE: return v != n->num;
		case OP_LT: return v < n->num;
		case OP_LE: return v <= n->num;
		case OP_GT: return v > n->num;
		case OP_GE: return v >= n->num;
		case OP_IN: return false;
		}
		return false;
	}
	for (size_t i = 0; i < n->ntext; i++)
		if (text_equal(n->field, fact(f, n->field), n->text[i]))
			return n->op != OP_NE;
	return n->op == OP_NE;
}

/* ---- chains and modes ---------------------------------------------------- */

static const char *const approver_roles[SALES_NAPPROVERS] = {
	"销售经理", "法务", "总经理", "财务",
};
static const char *const approver_roles_trad[SALES_NAPPROVERS] = {
	"銷售經理", "法務", "總經理", "財務",
};

static int approver_of(const char *s, size_t len)
{
	for (int i = 0; i < SALES_NAPPROVERS; i++)
		if ((strlen(approver_roles[i]) == len &&
		     !strncmp(s, approver_roles[i], len)) ||
		    (strlen(approver_roles_trad[i]) == len &&
		     !strncmp(s, approver_roles_trad[i], len)))
			return i;
	return -1;
}

static size_t chain_sep_at(const char *p)
{
	static const char *const seps[] = { "→", "->", "—>", "－>", "＞", ">",
					    ",", "，", "、", "/", "／", ";",
					    "；", NULL };

	for (int i = 0; seps[i]; i++)
		if (!strncmp(p, seps[i], strlen(seps[i])))
			return strlen(seps[i]);
	return 0;
}

static int parse_chain(struct sales_route *r, const char *s, char *why,
		       size_t whysize)
{
	const char *item = s;

	r->n = 0;
	for (;;) {
		size_t sep = *s ? chain_sep_at(s) : 0;

		if (!*s || sep) {
			size_t len = (size_t)(s - item);
			const char *t = sales_trim(item, &len);
			int who;

			if (len) {
				who = approver_of(t, len);
				if (who < 0) {
					snprintf(why, whysize,
						 _("'%.*s' holds no opinion column in 04-contracts.csv (expected 销售经理, 法务, 总经理 or 财务)"),
						 (int)len, t);
					return -1;
				}
				for (int k = 0; k < r->n; k++)
					if (r->approver[k] == who) {
						snprintf(why, whysize,
							 _("'%s' appears twice in the chain"),
							 approver_roles[who]);
						return -1;
					}
				r->approver[r->n++] = who;
			}
			if (!*s)
				break;
			s += sep;
			item = s;
		} else
			s++;
	}
	if (!r->n) {
		snprintf(why, whysize, "%s",
			 _("the chain names no approver (e.g. 销售经理→法务→总经理)"));
		return -1;
	}
	return 0;
}

static int parse_mode(const char *s, enum sales_route_mode *m)
{
	size_t len = strlen(s);

	s = sales_trim(s, &len);
	if (!len || (len == 6 && (!strncmp(s, "依次", 6) || !strncmp(s, "順序", 6) ||
				  !strncmp(s, "顺序", 6))))
		*m = SALES_ROUTE_SEQUENTIAL;
	else if (len == 6 && (!strncmp(s, "会签", 6) || !strncmp(s, "會簽", 6)))
		*m = SALES_ROUTE_ALL;
	else if (len == 6 && (!strncmp(s, "或签", 6) || !strncmp(s, "或簽", 6)))
		*m = SALES_ROUTE_ANY;
	else
		return -1;
	return 0;
}

/* ---- the table ----------------------------------------------------------- */

struct sales_routes *sales_routes_new(void)
{
	return calloc(1, sizeof(struct sales_routes));
}

void sales_routes_free(struct sales_routes *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->nnodes; i++) {
		for (size_t k = 0; k < rs->nodes[i].ntext; k++)
			free(rs->nodes[i].text[k]);
		free(rs->nodes[i].text);
	}
	for (size_t i = 0; i < rs->nrules; i++)
		free(rs->rules[i].condition);
	free(rs->nodes);
	free(rs->rules);
	free(rs);
}

size_t sales_routes_count(const struct sales_routes *rs)
{
	return rs ? rs->nrules : 0;
}

static int cell_error(struct sales_error *err, long line, int col,
		      long excel_row, const char *what, const char *value,
		      const char *why)
{
	sales_error_set(err, SALES_EVALUE, "approval-rules.csv", line, col,
			_("%s '%s': %s"), what, value, why);
	if (col > 0)
		sales_error_set_cell(err, col, excel_row);
	return -1;
}

int sales_routes_add(struct sales_routes *rs, const char *condition,
		     const char *chain, const char *mode, long line,
		     const int cols[3], long excel_row, struct sales_error *err)
{
	struct parser ps = { .rs = rs };
	struct rule r = {0};
	size_t clen = strlen(condition);
	const char *c = sales_trim(condition, &clen);

	r.condition = strndup(c, clen);
	if (!r.condition)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (!clen) {
		free(r.condition);
		return cell_error(err, line, cols[0], excel_row, _("condition"),
				  condition,
				  _("empty (write * for a row that always applies)"));
	}
	ps.lx.s = ps.lx.p = r.condition;
	lex(&ps.lx);
	r.root = parse_or(&ps);
	if (r.root >= 0 && ps.lx.tok != T_END) {
		snprintf(ps.why, sizeof(ps.why),
			 _("unexpected '%.*s' (join comparisons with 且 or 或)"),
			 (int)(ps.lx.wlen ? ps.lx.wlen : strlen(ps.lx.word)),
			 ps.lx.word);
		r.root = -1;
	}
	if (r.root < 0) {
		free(r.condition);
		return cell_error(err, line, cols[0], excel_row, _("condition"),
				  condition, ps.why);
	}
	if (parse_chain(&r.route, chain, ps.why, sizeof(ps.why)) < 0) {
		free(r.condition);
		return cell_error(err, line, cols[1], excel_row,
				  _("approval chain"), chain, ps.why);
	}
	if (parse_mode(mode, &r.route.mode) < 0) {
		free(r.condition);
		return cell_error(err, line, cols[2], excel_row, _("mode"), mode,
				  _("expected 依次 (in order), 会签 (all, any order) or 或签 (any one)"));
	}
	r.route.line = line;
	if (SALES_ALLOC_GROW(rs->rules, rs->nrules + 1, rs->cap) < 0) {
		free(r.condition);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	}
	rs->rules[rs->nrules++] = r;
	/* condition points into the table, which may have moved */
	for (size_t i = 0; i < rs->nrules; i++)
		rs->rules[i].route.condition = rs->rules[i].condition;
	return 0;
}

int sales_routes_load(const char *dir, struct sales_routes **out,
		      struct sales_error *err)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	struct sales_routes *rs;
	int rc;

	*out = NULL;
	if (!sales_sheet_exists(dir, SALES_APPROVAL_RULES))
		return 0;
	if (!(rs = sales_routes_new()))
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0,
				       "out of memory");
	if (sales_sheet_open(dir, SALES_APPROVAL_RULES, SALES_ENC_AUTO, &r,
			     err) < 0) {
		sales_routes_free(rs);
		return -1;
	}
	while ((rc = sales_sheet_next(r, &rec, err)) > 0) {
		const struct sales_colmap *map = sales_sheet_colmap(r);
		int cols[3] = { map->file_col[RULE_CONDITION] + 1,
				map->file_col[RULE_CHAIN] + 1,
				map->file_col[RULE_MODE] + 1 };

		if (sales_routes_add(rs, rec->v[RULE_CONDITION],
				     rec->v[RULE_CHAIN], rec->v[RULE_MODE],
				     rec->row->line, cols, rec->row->excel_row,
				     err) < 0) {
			rc = -1;
			break;
		}
	}
	sales_sheet_close(r);
	if (rc < 0) {
		sales_routes_free(rs);
		return -1;
	}
	*out = rs;
	return 0;
}

static const struct sales_route seed_route = {
	.approver = { SALES_APPROVER_MANAGER, SALES_APPROVER_LEGAL,
		      SALES_APPROVER_GM },
	.n = 3,
	.mode = SALES_ROUTE_SEQUENTIAL,
	.line = 0,
	.condition = "",
};

const struct sales_route *sales_route_default(void)
{
	return &seed_route;
}

const struct sales_route *sales_route_for(const struct sales_routes *rs,
					  const struct sales_route_facts *f,
					  struct sales_error *err)
{
	if (!rs)
		return &seed_route;
	for (size_t i = 0; i < rs->nrules; i++)
		if (eval(rs, rs->rules[i].root, f))
			return &rs->rules[i].route;
	{
		char amount[32] = "";

		if (!isnan(f->amount))
			snprintf(amount, sizeof(amount), "%g", f->amount);
		sales_error_set(err, SALES_ERULE, "approval-rules.csv", 0, 0,
				_("no approval rule applies to this contract (金额 '%s', 产品线 '%s', 区域 '%s'); add a row for it, or a last row with 条件 * — a contract is never approved by default"),
				amount, fact(f, F_PRODUCT_LINE),
				fact(f, F_REGION));
	}
	return NULL;
}

bool sales_route_has(const struct sales_route *r, int approver)
{
	for (int i = 0; i < r->n; i++)
		if (r->approver[i] == approver)
			return true;
	return false;
}

const char *sales_route_mode_name(enum sales_route_mode m)
{
	return m == SALES_ROUTE_ALL ? "会签" : m == SALES_ROUTE_ANY ? "或签" :
	       "依次";
}

const char *sales_route_chain(const struct sales_route *r, char *buf,
			      size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 i ? " → " : "",
					 approver_roles[r->approver[i]]);
	return buf;
}

const char *sales_route_describe(const struct sales_route *r, char *buf,
				 size_t size)
{
	size_t used = strlen(sales_route_chain(r, buf, size));

	if (used < size)
		snprintf(buf + used, size - used, " (%s)",
			 sales_route_mode_name(r->mode));
	return buf;
}
