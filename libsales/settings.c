/*
 * settings.c - sales.conf: git-config-style settings over built-in defaults.
 *
 * The loaded file is kept as text plus a table of its lines, so that
 * serialising writes every untouched byte back as it was; entries point at
 * the line they came from, and set()/unset() only mark lines as rewritten
 * or removed.  See settings.h for the contract.
 */
#include "settings.h"
#include "buf.h"
#include "text.h"
#include "i18n.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	char *key;		/* canonical: ASCII-lowercase */
	char *value;
	long line;		/* index into s->lines; -1 if built in or set() */
	bool builtin;
	bool dirty;		/* set() changed it: rewrite its line */
};

enum line_kind { LINE_OTHER, LINE_HEADER, LINE_ENTRY };

struct line {
	size_t off, len;	/* in s->text; len excludes the line end */
	unsigned eol;		/* bytes of line end: 0, 1 ("\n"), 2 ("\r\n") */
	enum line_kind kind;
	long sect;		/* index into s->sects; -1 before any header */
	size_t eq;		/* entries, relative to the line's start: '=' */
	size_t vstart, vend;	/* the value as written, quotes included */
	bool deleted;
};

struct sales_settings {
	struct entry *ent;
	size_t nent, aent;
	char *text;		/* the file without its BOM */
	size_t textlen;
	bool bom;
	struct line *lines;
	size_t nlines, alines;
	char **sects;		/* canonical "section" or "section.sub" */
	size_t nsects, asects;
};

static const struct {
	const char *key, *value;
} defaults[] = {
	{ "csv.encoding", "auto" },
	{ "deadline.screening_days", "3" },
	{ "deadline.proposal_days", "5" },
	{ "payment.remind_days", "3" },
	{ "payment.collection_days", "7" },
	{ "stalled.days", "7" },
	{ "aftersales.interval_days", "92" },
	{ "aftersales.warranty_days", "365" },
	{ "timeliness.entry_hours", "24" },
	{ "ui.language", "auto" },
	{ "ui.color", "auto" },
	{ "score.threshold_a", "70" },
	{ "score.threshold_b", "40" },
	{ "score.max_per_dimension", "25" },
	{ "score.industry.制造业", "25" },
	{ "score.industry.物流", "25" },
	{ "score.industry.医药", "20" },
	{ "score.industry.汽车", "20" },
	{ "score.industry.零售", "15" },
	{ "score.industry.电商", "15" },
	{ "score.industry.default", "5" },
	{ "score.size.employees_1000", "25" },
	{ "score.size.employees_500", "20" },
	{ "score.size.employees_100", "12" },
	{ "score.size.employees_0", "5" },
	{ "score.size.revenue_10亿", "25" },
	{ "score.size.revenue_5亿", "20" },
	{ "score.size.revenue_1亿", "12" },
	{ "score.size.revenue_0", "5" },
	{ "score.size.unknown", "5" },
	{ "score.budget.amount_500万", "25" },
	{ "score.budget.amount_300万", "20" },
	{ "score.budget.amount_100万", "15" },
	{ "score.budget.amount_50万", "10" },
	{ "score.budget.amount_0", "5" },
	{ "score.budget.unknown", "10" },
	{ "score.chain.complete", "25" },
	{ "score.chain.partial", "12" },
	{ "score.chain.unknown", "5" },
	{ "score.chain.deciders", "总经理,总裁,董事长,CEO" },
	{ "score.chain.unknown_marks", "决策人未明确,决策人不明确" },
	{ "scorecard.conversion", "25" },
	{ "scorecard.deal_size", "15" },
	{ "scorecard.cycle", "10" },
	{ "scorecard.satisfaction", "20" },
	{ "scorecard.process", "20" },
	{ "scorecard.overdue", "10" },
	{ "floor.max_discount", "10%" },
	{ "pool.cooldown_days", "10" },
	{ "pool.warn_days", "3" },
};

/* Keys the toolkit knows that have no default (unset means "off"). */
static const char *const optional_keys[] = {
	"floor.min_duration_days",
	"pool.recall_days_a",
	"pool.recall_days_b",
	"pool.recall_days_c",
	"pool.max_claims_per_week",
	"pool.max_held",
};

/* Families a team extends with its own keys (sales_settings_known). */
static const char *const band_families[] = {
	"score.size.employees_",
	"score.size.revenue_",
	"score.budget.amount_",
};

/* ---- small helpers ---------------------------------------------------- */

/* A buffer whose first failure sticks: a text is built, then checked once. */
struct sbuf {
	struct sales_buf b;
	bool oom;
};

static void sb_add(struct sbuf *sb, const char *p, size_t n)
{
	if (!sb->oom && sales_buf_add(&sb->b, p, n) < 0)
		sb->oom = true;
}

static void sb_puts(struct sbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

static void sb_putc(struct sbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char *dup_lower(const char *p, size_t n)
{
	char *r = malloc(n + 1);

	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++)
		r[i] = ascii_lower(p[i]);
	r[n] = '\0';
	return r;
}

/* canon is lowercase already; key is compared ignoring ASCII case. */
static bool key_eq(const char *canon, const char *key)
{
	while (*canon && *canon == ascii_lower(*key)) {
		canon++;
		key++;
	}
	return *canon == '\0' && *key == '\0';
}

static bool has_prefix(const char *canon, const char *prefix)
{
	while (*prefix) {
		if (*canon != ascii_lower(*prefix))
			return false;
		canon++;
		prefix++;
	}
	return true;
}

/* Bytes of white space at p: ASCII blanks, or U+3000 (3 bytes); 0 if none. */
static size_t space_len(const char *p, const char *end)
{
	if (p >= end)
		return 0;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v')
		return 1;
	if (end - p >= 3 && (unsigned char)p[0] == 0xe3 &&
	    (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
		return 3;
	return 0;
}

static const char *skip_space(const char *p, const char *end)
{
	size_t n;

	while ((n = space_len(p, end)) > 0)
		p += n;
	return p;
}

static bool is_name_byte(unsigned char c)
{
	if (c >= 0x80)
		return true;
	if (c <= 0x20 || c == 0x7f)
		return false;
	return !strchr(".=[]\";#\\", c);
}

static bool fullwidth_eq(const char *p, const char *end)
{
	return end - p >= 3 && !memcmp(p, "\xef\xbc\x9d", 3);
}

/* Whether a name continues at p (it stops at blanks and at '＝'). */
static bool name_at(const char *p, const char *end)
{
	return !space_len(p, end) && !fullwidth_eq(p, end) &&
	       is_name_byte((unsigned char)*p);
}

/* A section or variable name: non-empty, name bytes, no U+3000. */
static bool valid_name(const char *p, size_t n)
{
	const char *end = p + n;

	if (n == 0)
		return false;
	for (; p < end; p++)
		if (!name_at(p, end))
			return false;
	return true;
}

/* Returns the offset of the first byte that is not valid UTF-8, or n. */
static size_t utf8_check(const unsigned char *p, size_t n)
{
	size_t bad = n;

	sales_utf8_valid((const char *)p, n, &bad);
	return bad;
}

/*
 * Splits key into section, optional subsection and name (first and last
 * dot), checks each part and returns a lowercase copy in *out.
 */
static int canon_key(const char *key, char **out)
{
	const char *first, *last;
	size_t n;

	*out = NULL;
	if (!key)
		return -1;
	n = strlen(key);
	first = strchr(key, '.');
	last = strrchr(key, '.');
	if (!first)
		return -1;
	if (!valid_name(key, (size_t)(first - key)) ||
	    !valid_name(last + 1, strlen(last + 1)))
		return -1;
	if (first != last) {
		if (last - first < 2 || memchr(first, '\n', (size_t)(last - first)))
			return -1;
	}
	if (utf8_check((const unsigned char *)key, n) != n)
		return -1;
	*out = dup_lower(key, n);
	return *out ? 0 : -2;
}

/* ---- the structure ---------------------------------------------------- */

static int add_entry(struct sales_settings *s, char *key, char *value,
		     long line, bool builtin)
{
	if (SALES_ALLOC_GROW(s->ent, s->nent + 1, s->aent) < 0)
		return -1;
	s->ent[s->nent].key = key;
	s->ent[s->nent].value = value;
	s->ent[s->nent].line = line;
	s->ent[s->nent].builtin = builtin;
	s->ent[s->nent].dirty = false;
	s->nent++;
	return 0;
}

static long find_sect(const struct sales_settings *s, const char *canon)
{
	for (size_t i = 0; i < s->nsects; i++)
		if (!strcmp(s->sects[i], canon))
			return (long)i;
	return -1;
}

/* Takes ownership of canon. */
static long intern_sect(struct sales_settings *s, char *canon)
{
	long i = find_sect(s, canon);

	if (i >= 0) {
		free(canon);
		return i;
	}
	if (SALES_ALLOC_GROW(s->sects, s->nsects + 1, s->asects) < 0) {
		free(canon);
		return -1;
	}
	s->sects[s->nsects] = canon;
	return (long)s->nsects++;
}

void sales_settings_free(struct sales_settings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nent; i++) {
		free(s->ent[i].key);
		free(s->ent[i].value);
	}
	for (size_t i = 0; i < s->nsects; i++)
		free(s->sects[i]);
	free(s->ent);
	free(s->sects);
	free(s->lines);
	free(s->text);
	free(s);
}

static struct sales_settings *new_with_defaults(void)
{
	struct sales_settings *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		char *k = strdup(defaults[i].key);
		char *v = strdup(defaults[i].value);

		if (!k || !v || add_entry(s, k, v, -1, true) < 0) {
			free(k);
			free(v);
			sales_settings_free(s);
			return NULL;
		}
	}
	return s;
}

/* ---- parsing ---------------------------------------------------------- */

struct parser {
	struct sales_settings *s;
	const char *name;
	struct sales_error *err;
	long lineno;
	long sect;		/* current section, -1 before the first */
};

#define PERR(P, ...) \
	sales_error_set((P)->err, SALES_EPARSE, (P)->name, (P)->lineno, 0, __VA_ARGS__)

static int describe_bad(struct parser *ps, const char *p, const char *end,
			const char *what)
{
	if (fullwidth_eq(p, end))
		return PERR(ps, "full-width '＝' in %s: use an ASCII '='", what);
	if (p >= end)
		return PERR(ps, "missing %s", what);
	if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
		return PERR(ps, "unexpected '%c' in %s", *p, what);
	if ((unsigned char)*p >= 0xc0) {
		int n = 1;

		while (p + n < end && n < 4 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n++;
		return PERR(ps, "unexpected '%.*s' in %s", n, p, what);
	}
	return PERR(ps, "unexpected control character in %s", what);
}

static int parse_header(struct parser *ps, struct line *ln, const char *p,
			const char *end)
{
	const char *sec, *sec_end, *q;
	struct sbuf canon = { 0 };
	bool dotted = false;
	long idx;

	p = skip_space(p + 1, end);
	sec = p;
	while (p < end && (name_at(p, end) || *p == '.')) {
		if (*p == '.')
			dotted = true;
		p++;
	}
	sec_end = p;
	if (sec == sec_end)
		return describe_bad(ps, p, end, _("section name"));
	if (dotted) {
		/* [section.sub]: every dot-separated part must be a name */
		const char *part = sec;

		for (q = sec; q <= sec_end; q++) {
			if (q == sec_end || *q == '.') {
				if (q == part)
					return PERR(ps, "empty part in section name '%.*s'",
						    (int)(sec_end - sec), sec);
				part = q + 1;
			}
		}
	}
	for (q = sec; q < sec_end; q++)
		sb_putc(&canon, ascii_lower(*q));
	p = skip_space(p, end);
	if (p < end && *p == '"') {
		if (dotted) {
			free(canon.b.data);
			return PERR(ps, "a section written as [a.b] cannot have a quoted subsection too");
		}
		sb_putc(&canon, '.');
		p++;
		q = p;
		while (p < end && *p != '"') {
			if (*p == '\\' && p + 1 < end)
				p++;
			sb_putc(&canon, ascii_lower(*p));
			p++;
		}
		if (p >= end) {
			free(canon.b.data);
			return PERR(ps, "unterminated subsection name");
		}
		if (p == q) {
			free(canon.b.data);
			return PERR(ps, "empty subsection name");
		}
		p = skip_space(p + 1, end);
	}
	if (p >= end || *p != ']') {
		free(canon.b.data);
		return describe_bad(ps, p, end, _("section header (expected ']')"));
	}
	p = skip_space(p + 1, end);
	if (p < end && *p != '#' && *p != ';') {
		free(canon.b.data);
		return PERR(ps, "unexpected text after section header");
	}
	if (canon.oom)
		return sales_error_set(ps->err, SALES_ENOMEM, ps->name, ps->lineno, 0,
				       "out of memory");
	idx = intern_sect(ps->s, canon.b.data);
	if (idx < 0)
		return sales_error_set(ps->err, SALES_ENOMEM, ps->name, ps->lineno, 0,
				       "out of memory");
	ps->sect = idx;
	ln->kind = LINE_HEADER;
	ln->sect = idx;
	return 0;
}

/* Parses the value after '=' into *out; records where it was written. */
static int parse_value(struct parser *ps, const char *base, const char *p,
		       const char *end, struct line *ln, char **out)
{
	struct sbuf v = { 0 };
	size_t keep = 0, sl;
	bool inq = false;

	p = skip_space(p, end);
	ln->vstart = ln->vend = (size_t)(p - base);
	while (p < end) {
		if (!inq && (*p == '#' || *p == ';'))
			break;
		if (*p == '"') {
			inq = !inq;
			p++;
		} else if (*p == '\\') {
			char c;

			if (++p >= end) {
				free(v.b.data);
				return PERR(ps, "backslash at end of line (continuation lines are not supported)");
			}
			switch (*p) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			default:
				free(v.b.data);
				if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
					return PERR(ps, "unknown escape '\\%c' (write '\\\\' for a backslash)", *p);
				return PERR(ps, "unknown escape after '\\' (write '\\\\' for a backslash)");
			}
			sb_putc(&v, c);
			p++;
		} else if (!inq && (sl = space_len(p, end)) > 0) {
			if (v.b.len)	/* as in git: kept only if more follows */
				sb_add(&v, p, sl);
			p += sl;
			continue;
		} else {
			sb_putc(&v, *p);
			p++;
		}
		keep = v.b.len;
		ln->vend = (size_t)(p - base);
	}
	if (inq) {
		free(v.b.data);
		return PERR(ps, "unterminated quote");
	}
	if (v.oom) {
		free(v.b.data);
		return sales_error_set(ps->err, SALES_ENOMEM, ps->name, ps->lineno, 0,
				       "out of memory");
	}
	if (!v.b.data) {
		v.b.data = strdup("");
		if (!v.b.data)
			return sales_error_set(ps->err, SALES_ENOMEM, ps->name,
					       ps->lineno, 0, "out of memory");
	}
	v.b.data[keep] = '\0';
	*out = v.b.data;
	return 0;
}

static int parse_entry(struct parser *ps, struct line *ln, const char *base,
		       const char *p, const char *end)
{
	const char *name = p;
	const char *sect;
	char *value = NULL, *key;
	size_t nlen, slen;

	while (p < end && name_at(p, end))
		p++;
	if (p == name)
		return describe_bad(ps, p, end, _("key name"));
	if (ps->sect < 0)
		return PERR(ps, "'%.*s' is outside any section: add a [section] line above it",
			    (int)(p - name), name);
	nlen = (size_t)(p - name);
	p = skip_space(p, end);
	if (p >= end || *p == '#' || *p == ';')
		return PERR(ps, "'%.*s' has no value: write %.*s = <value>",
			    (int)nlen, name, (int)nlen, name);
	if (*p != '=')
		return describe_bad(ps, p, end, _("key (expected '=' after the name)"));
	ln->eq = (size_t)(p - base);
	if (parse_value(ps, base, p + 1, end, ln, &value) < 0)
		return -1;
	sect = ps->s->sects[ps->sect];
	slen = strlen(sect);
	key = malloc(slen + 1 + nlen + 1);
	if (!key) {
		free(value);
		return sales_error_set(ps->err, SALES_ENOMEM, ps->name, ps->lineno, 0,
				       "out of memory");
	}
	memcpy(key, sect, slen);
	key[slen] = '.';
	for (size_t i = 0; i < nlen; i++)
		key[slen + 1 + i] = ascii_lower(name[i]);
	key[slen + 1 + nlen] = '\0';
	if (add_entry(ps->s, key, value, (long)(ln - ps->s->lines), false) < 0) {
		free(key);
		free(value);
		return sales_error_set(ps->err, SALES_ENOMEM, ps->name, ps->lineno, 0,
				       "out of memory");
	}
	ln->kind = LINE_ENTRY;
	ln->sect = ps->sect;
	return 0;
}

static int split_lines(struct sales_settings *s)
{
	size_t i = 0;

	while (i < s->textlen) {
		const char *nl = memchr(s->text + i, '\n', s->textlen - i);
		size_t stop = nl ? (size_t)(nl - s->text) : s->textlen;
		struct line *ln;

		if (SALES_ALLOC_GROW(s->lines, s->nlines + 1, s->alines) < 0)
			return -1;
		ln = &s->lines[s->nlines++];
		memset(ln, 0, sizeof(*ln));
		ln->off = i;
		ln->sect = -1;
		if (nl) {
			ln->eol = 1;
			if (stop > i && s->text[stop - 1] == '\r') {
				ln->eol = 2;
				stop--;
			}
		}
		ln->len = stop - i;
		i = stop + ln->eol;
	}
	return 0;
}

static long line_of(const char *text, size_t off)
{
	long n = 1;

	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			n++;
	return n;
}

int sales_settings_parse(const char *name, const char *text, size_t len,
			 struct sales_settings **out, struct sales_error *err)
{
	struct sales_settings *s;
	struct parser ps;
	size_t bad;

	*out = NULL;
	if (!text)
		len = 0;
	if (len >= 2 && (((unsigned char)text[0] == 0xff && (unsigned char)text[1] == 0xfe) ||
			 ((unsigned char)text[0] == 0xfe && (unsigned char)text[1] == 0xff)))
		return sales_error_set(err, SALES_EENCODING, name, 1, 0,
				       "the file is UTF-16: save it as UTF-8");
	s = new_with_defaults();
	if (!s)
		return sales_error_set(err, SALES_ENOMEM, name, 0, 0, "out of memory");
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		s->bom = true;
		text += 3;
		len -= 3;
	}
	s->text = malloc(len + 1);
	if (!s->text) {
		sales_settings_free(s);
		return sales_error_set(err, SALES_ENOMEM, name, 0, 0, "out of memory");
	}
	if (len)
		memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->textlen = len;

	if (memchr(s->text, '\0', len)) {
		long ln = line_of(s->text, (size_t)((char *)memchr(s->text, '\0', len) - s->text));

		sales_settings_free(s);
		return sales_error_set(err, SALES_EENCODING, name, ln, 0,
				       "NUL byte in a text file: save it as UTF-8");
	}
	bad = utf8_check((const unsigned char *)s->text, len);
	if (bad != len) {
		long ln = line_of(s->text, bad);

		sales_settings_free(s);
		return sales_error_set(err, SALES_EENCODING, name, ln, 0,
				       "not valid UTF-8 (GBK?): save the file as UTF-8");
	}
	if (split_lines(s) < 0) {
		sales_settings_free(s);
		return sales_error_set(err, SALES_ENOMEM, name, 0, 0, "out of memory");
	}

	ps.s = s;
	ps.name = name;
	ps.err = err;
	ps.sect = -1;
	for (size_t i = 0; i < s->nlines; i++) {
		struct line *ln = &s->lines[i];
		const char *base = s->text + ln->off;
		const char *end = base + ln->len;
		const char *p = skip_space(base, end);
		int rc = 0;

		ps.lineno = (long)i + 1;
		ln->sect = ps.sect;
		if (p == end || *p == '#' || *p == ';')
			continue;
		if (*p == '[')
			rc = parse_header(&ps, ln, p, end);
		else
			rc = parse_entry(&ps, ln, base, p, end);
		if (rc < 0) {
			sales_settings_free(s);
			return -1;
		}
	}
	*out = s;
	return 0;
}

int sales_settings_load(const char *path, struct sales_settings **out,
			struct sales_error *err)
{
	struct sbuf sb = { 0 };
	char chunk[8192];
	size_t n;
	FILE *f;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return sales_settings_parse(path, "", 0, out, err);
		return sales_error_set(err, SALES_EIO, path, 0, 0, "cannot open: %s",
				       strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&sb, chunk, n);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(sb.b.data);
		return sales_error_set(err, SALES_EIO, path, 0, 0, "cannot read: %s",
				       strerror(e ? e : EIO));
	}
	fclose(f);
	if (sb.oom) {
		free(sb.b.data);
		return sales_error_set(err, SALES_ENOMEM, path, 0, 0, "out of memory");
	}
	rc = sales_settings_parse(path, sb.b.data ? sb.b.data : "", sb.b.len, out, err);
	free(sb.b.data);
	return rc;
}

/* ---- queries ---------------------------------------------------------- */

const char *sales_settings_get(const struct sales_settings *s, const char *key)
{
	if (!s || !key)
		return NULL;
	for (size_t i = s->nent; i-- > 0;)
		if (key_eq(s->ent[i].key, key))
			return s->ent[i].value;
	return NULL;
}

long sales_settings_line(const struct sales_settings *s, const char *key)
{
	if (!s || !key)
		return 0;
	for (size_t i = s->nent; i-- > 0;)
		if (key_eq(s->ent[i].key, key))
			return s->ent[i].line >= 0 ? s->ent[i].line + 1 : 0;
	return 0;
}

static bool parse_long(const char *v, long *out)
{
	const char *p = v;
	char *end;
	long n;

	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p)
		return false;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno == ERANGE || *end)
		return false;
	*out = n;
	return true;
}

long sales_settings_get_int(const struct sales_settings *s, const char *key,
			    long fallback)
{
	const char *v = sales_settings_get(s, key);
	long n;

	return (v && parse_long(v, &n)) ? n : fallback;
}

/*
 * [+-] digits [. digits] [e [+-] digits], at least one digit in the
 * mantissa; converted whatever the C locale's decimal point is.
 */
static bool parse_double(const char *v, double *out)
{
	const char *p = v;
	const char *point;
	char buf[128];
	size_t digits = 0, n = 0;
	char *end;
	double d;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return false;
	point = localeconv()->decimal_point;
	if (!point || !*point)
		point = ".";
	for (p = v; *p; p++) {
		if (*p == '.') {
			size_t pl = strlen(point);

			if (n + pl >= sizeof(buf))
				return false;
			memcpy(buf + n, point, pl);
			n += pl;
		} else {
			if (n + 1 >= sizeof(buf))
				return false;
			buf[n++] = *p;
		}
	}
	buf[n] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (*end || errno == ERANGE || !isfinite(d))
		return false;
	*out = d;
	return true;
}

double sales_settings_get_double(const struct sales_settings *s,
				 const char *key, double fallback)
{
	const char *v = sales_settings_get(s, key);
	double d;

	return (v && parse_double(v, &d)) ? d : fallback;
}

int sales_settings_each(const struct sales_settings *s, const char *prefix,
			int (*fn)(const char *key, const char *value, void *ud),
			void *ud)
{
	if (!s || !fn)
		return 0;
	for (size_t i = 0; i < s->nent; i++) {
		int rc;

		if (prefix && !has_prefix(s->ent[i].key, prefix))
			continue;
		rc = fn(s->ent[i].key, s->ent[i].value, ud);
		if (rc)
			return rc;
	}
	return 0;
}

int sales_settings_parse_bound(const char *text, double *out)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = { { "", 1 }, { "万", 1e4 }, { "亿", 1e8 } };
	size_t n = text ? strlen(text) : 0;

	for (size_t u = sizeof(units) / sizeof(units[0]); u-- > 0;) {
		size_t ul = strlen(units[u].unit);
		char num[64];
		double d;

		if (n <= ul || n - ul >= sizeof(num) || strcmp(text + n - ul, units[u].unit))
			continue;
		memcpy(num, text, n - ul);
		num[n - ul] = '\0';
		if (strspn(num, "0123456789") != n - ul || !parse_double(num, &d))
			return -1;
		*out = d * units[u].mult;
		return 0;
	}
	return -1;
}

struct band_walk {
	size_t plen;
	struct sales_settings_bands *out;
	bool oom;
};

static int band_cb(const char *key, const char *value, void *ud)
{
	struct band_walk *w = ud;
	struct sales_settings_bands *b = w->out;
	double bound;
	long pts = 0;
	bool valid = parse_long(value, &pts);
	size_t i;

	if (sales_settings_parse_bound(key + w->plen, &bound) < 0)
		return 0;
	for (i = 0; i < b->n; i++)
		if (b->band[i].bound == bound)
			break;
	if (i == b->n) {
		if (SALES_ALLOC_GROW(b->band, b->n + 1, b->cap) < 0) {
			w->oom = true;
			return 1;
		}
		b->n++;
	}
	b->band[i].bound = bound;
	b->band[i].points = pts;
	b->band[i].valid = valid;
	return 0;
}

int sales_settings_bands_load(const struct sales_settings *s,
			      const char *prefix,
			      struct sales_settings_bands *out)
{
	struct band_walk w = { 0 };

	memset(out, 0, sizeof(*out));
	if (!s || !prefix)
		return 0;
	w.plen = strlen(prefix);
	w.out = out;
	sales_settings_each(s, prefix, band_cb, &w);
	return w.oom ? -1 : 0;
}

long sales_settings_bands_pick(const struct sales_settings_bands *b,
			       double amount, long fallback)
{
	long best_pts = fallback;
	bool found = false;
	double best = 0;

	if (isnan(amount))
		return fallback;
	for (size_t i = 0; i < b->n; i++) {
		if (!b->band[i].valid || b->band[i].bound > amount)
			continue;
		if (!found || b->band[i].bound > best) {
			found = true;
			best = b->band[i].bound;
			best_pts = b->band[i].points;
		}
	}
	return best_pts;
}

void sales_settings_bands_release(struct sales_settings_bands *b)
{
	free(b->band);
	memset(b, 0, sizeof(*b));
}

long sales_settings_band(const struct sales_settings *s, const char *prefix,
			 double amount, long fallback)
{
	struct sales_settings_bands b;
	long pts;

	if (!s || !prefix || isnan(amount))
		return fallback;
	/* out of memory: the bands read so far */
	(void)sales_settings_bands_load(s, prefix, &b);
	pts = sales_settings_bands_pick(&b, amount, fallback);
	sales_settings_bands_release(&b);
	return pts;
}

bool sales_settings_known(const char *key)
{
	char *canon;
	bool known = false;

	if (canon_key(key, &canon) < 0)
		return false;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (!strcmp(canon, defaults[i].key))
			known = true;
	for (size_t i = 0; i < sizeof(optional_keys) / sizeof(optional_keys[0]); i++)
		if (!strcmp(canon, optional_keys[i]))
			known = true;
	if (!known && has_prefix(canon, "score.industry.") &&
	    !strchr(canon + strlen("score.industry."), '.'))
		known = true;
	for (size_t i = 0; !known && i < sizeof(band_families) / sizeof(band_families[0]); i++) {
		double b;

		if (has_prefix(canon, band_families[i]) &&
		    !sales_settings_parse_bound(canon + strlen(band_families[i]), &b))
			known = true;
	}
	free(canon);
	return known;
}

/* ---- changes ---------------------------------------------------------- */

static int check_value(const char *value)
{
	size_t n = strlen(value);

	for (const char *p = value; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\b')
			return -1;
	if (strchr(value, 0x7f))
		return -1;
	return utf8_check((const unsigned char *)value, n) == n ? 0 : -1;
}

/* Drops entry i (not its line: the caller decides). */
static void drop_entry(struct sales_settings *s, size_t i)
{
	free(s->ent[i].key);
	free(s->ent[i].value);
	memmove(&s->ent[i], &s->ent[i + 1], (s->nent - i - 1) * sizeof(s->ent[0]));
	s->nent--;
}

int sales_settings_set(struct sales_settings *s, const char *key,
		       const char *value, struct sales_error *err)
{
	char *canon, *v;
	size_t last = SIZE_MAX;
	int rc;

	if (!s)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0, "no settings");
	if (!value)
		value = "";
	rc = canon_key(key, &canon);
	if (rc == -2)
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	if (rc < 0)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0,
				       "bad key '%s': expected section.name or section.subsection.name",
				       key ? key : "(null)");
	if (check_value(value) < 0) {
		free(canon);
		return sales_error_set(err, SALES_EVALUE, NULL, 0, 0,
				       "value for '%s' holds a control character or invalid UTF-8",
				       key);
	}
	v = strdup(value);
	if (!v) {
		free(canon);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < s->nent; i++)
		if (!s->ent[i].builtin && !strcmp(s->ent[i].key, canon))
			last = i;
	if (last == SIZE_MAX) {
		if (add_entry(s, canon, v, -1, false) < 0) {
			free(canon);
			free(v);
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		}
		return 0;
	}
	/* one value: drop the earlier repeats, then rewrite the last */
	for (size_t i = last; i-- > 0;) {
		if (s->ent[i].builtin || strcmp(s->ent[i].key, canon))
			continue;
		if (s->ent[i].line >= 0)
			s->lines[s->ent[i].line].deleted = true;
		drop_entry(s, i);
		last--;
	}
	free(canon);
	/* an unchanged value keeps its line as written ("18" stays quoted) */
	if (s->ent[last].line >= 0 && strcmp(s->ent[last].value, v))
		s->ent[last].dirty = true;
	free(s->ent[last].value);
	s->ent[last].value = v;
	return 0;
}

int sales_settings_unset(struct sales_settings *s, const char *key)
{
	char *canon;
	int removed = 0;

	if (!s || canon_key(key, &canon) < 0)
		return -1;
	for (size_t i = s->nent; i-- > 0;) {
		if (s->ent[i].builtin || strcmp(s->ent[i].key, canon))
			continue;
		if (s->ent[i].line >= 0)
			s->lines[s->ent[i].line].deleted = true;
		drop_entry(s, i);
		removed++;
	}
	free(canon);
	return removed;
}

/* ---- serialising ------------------------------------------------------ */

static bool needs_quotes(const char *v)
{
	size_t n = strlen(v);

	if (n == 0)
		return true;
	if (space_len(v, v + n) || v[n - 1] == ' ' || v[n - 1] == '\t' ||
	    (n >= 3 && !memcmp(v + n - 3, "\xe3\x80\x80", 3)))
		return true;
	return strpbrk(v, "#;\"\\\n\t\b\r\f\v") != NULL;
}

static void put_value(struct sbuf *sb, const char *v)
{
	if (!needs_quotes(v)) {
		sb_puts(sb, v);
		return;
	}
	sb_putc(sb, '"');
	for (; *v; v++) {
		switch (*v) {
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\b': sb_puts(sb, "\\b"); break;
		default: sb_putc(sb, *v); break;
		}
	}
	sb_putc(sb, '"');
}

/*
 * The line with its value replaced: everything before and after the old
 * value (indentation, the name as written, a comment) is kept.  An empty
 * old value in "name = " style gets its space after '='.
 */
static void put_rewritten(struct sbuf *sb, const char *t, const struct line *ln,
			  const char *value)
{
	sb_add(sb, t, ln->vstart);
	if (ln->vstart == ln->eq + 1 && ln->eq > 0 && space_len(t + ln->eq - 1, t + ln->eq))
		sb_putc(sb, ' ');
	put_value(sb, value);
	if (ln->vend == ln->vstart && ln->vend < ln->len &&
	    !space_len(t + ln->vend, t + ln->len))
		sb_putc(sb, ' ');
	sb_add(sb, t + ln->vend, ln->len - ln->vend);
}

static void put_section_header(struct sbuf *sb, const char *prefix)
{
	const char *dot = strchr(prefix, '.');

	sb_putc(sb, '[');
	if (!dot) {
		sb_puts(sb, prefix);
	} else {
		sb_add(sb, prefix, (size_t)(dot - prefix));
		sb_puts(sb, " \"");
		for (const char *p = dot + 1; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(sb, '\\');
			sb_putc(sb, *p);
		}
		sb_putc(sb, '"');
	}
	sb_putc(sb, ']');
}

static void put_new_entry(struct sbuf *sb, const struct entry *e, const char *eol)
{
	sb_putc(sb, '\t');
	sb_puts(sb, strrchr(e->key, '.') + 1);
	sb_puts(sb, " = ");
	put_value(sb, e->value);
	sb_puts(sb, eol);
}

/* Starts a new line unless the output is empty or already at one. */
static void line_start(struct sbuf *sb, size_t body, const char *eol)
{
	if (sb->b.len > body && sb->b.data[sb->b.len - 1] != '\n')
		sb_puts(sb, eol);
}

static size_t prefix_len(const char *key)
{
	return (size_t)(strrchr(key, '.') - key);
}

int sales_settings_serialize(const struct sales_settings *s, char **buf,
			     size_t *len, struct sales_error *err)
{
	struct sbuf sb = { 0 };
	const char *eol = "\n";
	long *anchor = NULL;	/* per entry: line to follow, -1 new section */
	size_t body;

	*buf = NULL;
	*len = 0;
	if (!s)
		return sales_error_set(err, SALES_EUSAGE, NULL, 0, 0, "no settings");
	for (size_t i = 0; i < s->nlines; i++) {
		if (s->lines[i].eol) {
			eol = s->lines[i].eol == 2 ? "\r\n" : "\n";
			break;
		}
	}
	if (s->nent) {
		anchor = malloc(s->nent * sizeof(*anchor));
		if (!anchor)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < s->nent; i++) {
		const struct entry *e = &s->ent[i];
		char *pre;
		long sect;

		anchor[i] = -2;		/* not appended */
		if (e->builtin || e->line >= 0)
			continue;
		anchor[i] = -1;
		pre = strndup(e->key, prefix_len(e->key));
		if (!pre) {
			free(anchor);
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
		}
		sect = find_sect(s, pre);
		free(pre);
		if (sect < 0)
			continue;
		for (size_t l = s->nlines; l-- > 0;) {
			if (s->lines[l].sect == sect && s->lines[l].kind != LINE_OTHER) {
				anchor[i] = (long)l;
				break;
			}
		}
	}

	if (s->bom)
		sb_puts(&sb, "\xef\xbb\xbf");
	body = sb.b.len;
	for (size_t l = 0; l < s->nlines; l++) {
		const struct line *ln = &s->lines[l];
		const char *t = s->text + ln->off;

		if (!ln->deleted) {
			const struct entry *dirty = NULL;

			if (ln->kind == LINE_ENTRY)
				for (size_t i = 0; i < s->nent; i++)
					if (s->ent[i].line == (long)l && s->ent[i].dirty)
						dirty = &s->ent[i];
			if (dirty) {
				put_rewritten(&sb, t, ln, dirty->value);
				sb_add(&sb, t + ln->len, ln->eol);
			} else {
				sb_add(&sb, t, ln->len + ln->eol);
			}
		}
		for (size_t i = 0; i < s->nent; i++) {
			if (anchor[i] != (long)l)
				continue;
			line_start(&sb, body, eol);
			put_new_entry(&sb, &s->ent[i], eol);
		}
	}
	/* keys whose section the file does not have, grouped by section */
	for (size_t i = 0; i < s->nent; i++) {
		size_t pl;
		char *pre;

		if (anchor[i] != -1)
			continue;
		pl = prefix_len(s->ent[i].key);
		pre = strndup(s->ent[i].key, pl);
		if (!pre) {
			sb.oom = true;
			break;
		}
		line_start(&sb, body, eol);
		put_section_header(&sb, pre);
		sb_puts(&sb, eol);
		for (size_t j = i; j < s->nent; j++) {
			if (anchor[j] != -1 || prefix_len(s->ent[j].key) != pl ||
			    strncmp(s->ent[j].key, pre, pl))
				continue;
			put_new_entry(&sb, &s->ent[j], eol);
			anchor[j] = -2;
		}
		free(pre);
	}
	free(anchor);
	if (sb.oom) {
		free(sb.b.data);
		return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (!sb.b.data) {
		sb.b.data = calloc(1, 1);
		if (!sb.b.data)
			return sales_error_set(err, SALES_ENOMEM, NULL, 0, 0, "out of memory");
	}
	*buf = sb.b.data;
	*len = sb.b.len;
	return 0;
}
