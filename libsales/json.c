/*
 * json.c - the JSON writer; see json.h for the contract.
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

void sales_json_init(struct sales_json *j, struct sales_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

static void put(struct sales_json *j, const char *s, size_t len)
{
	if (!j->failed && sales_buf_add(j->out, s, len) < 0)
		j->failed = true;
}

static void puts_(struct sales_json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* What goes before a value: a separator inside a container, nothing after
 * a key or at the top. */
static void before_value(struct sales_json *j)
{
	int d = j->depth;

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (d == 0)
		return;
	if (j->layout[d - 1] == SALES_JSON_COMPACT && !j->brk)
		puts_(j, j->members[d - 1] ? "," : "");
	else
		puts_(j, j->members[d - 1] ? ",\n" : "\n");
	j->members[d - 1]++;
	j->brk = false;
}

void sales_json_break(struct sales_json *j)
{
	j->brk = true;
}

static void json_open(struct sales_json *j, enum sales_json_layout layout,
		 bool object)
{
	before_value(j);
	if (j->depth >= SALES_JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	puts_(j, object ? "{" : "[");
	j->layout[j->depth] = (unsigned char)layout;
	j->close[j->depth] = object;
	j->members[j->depth] = 0;
	j->depth++;
}

void sales_json_object(struct sales_json *j, enum sales_json_layout layout)
{
	json_open(j, layout, true);
}

void sales_json_array(struct sales_json *j, enum sales_json_layout layout)
{
	json_open(j, layout, false);
}

void sales_json_end(struct sales_json *j)
{
	int d;

	if (j->depth == 0) {
		j->failed = true;
		return;
	}
	d = --j->depth;
	if ((j->layout[d] == SALES_JSON_LINES && j->members[d]) ||
	    j->layout[d] == SALES_JSON_LINES_BLOCK)
		puts_(j, "\n");
	puts_(j, j->close[d] ? "}" : "]");
}

void sales_json_key(struct sales_json *j, const char *key)
{
	before_value(j);
	if (!j->failed && sales_json_quote(j->out, key, strlen(key)) < 0)
		j->failed = true;
	puts_(j, ":");
	j->after_key = true;
}

void sales_json_key_quoted(struct sales_json *j, const char *quoted,
			   size_t len)
{
	before_value(j);
	put(j, quoted, len);
	puts_(j, ":");
	j->after_key = true;
}

/* What each byte becomes inside a JSON string: 0 itself, 'u' \u00XX, any
 * other the letter after a backslash. */
static const unsigned char json_escape[256] = {
	['\0'] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u', [0x04] = 'u',
	[0x05] = 'u', [0x06] = 'u', [0x07] = 'u', [0x08] = 'u', ['\t'] = 't',
	['\n'] = 'n', [0x0b] = 'u', [0x0c] = 'u', ['\r'] = 'r', [0x0e] = 'u',
	[0x0f] = 'u', [0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u',
	[0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u', [0x18] = 'u',
	[0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u', [0x1d] = 'u',
	[0x1e] = 'u', [0x1f] = 'u', ['"'] = '"', ['\\'] = '\\',
};

/* Escapes runs, not bytes: the bytes up to the next one that needs an
 * escape go in with one copy. */
int sales_json_quote(struct sales_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	/* the common case, nothing to escape, then needs no second grow */
	if (sales_buf_grow(out, len + 2) < 0)
		return -1;
	out->data[out->len++] = '"';
	while (i < len) {
		size_t run = i;
		unsigned char c, e;
		char esc[6];
		size_t n;

		while (i < len && !json_escape[(unsigned char)s[i]])
			i++;
		if (sales_buf_add(out, s + run, i - run) < 0)
			return -1;
		if (i == len)
			break;
		c = (unsigned char)s[i++];
		e = json_escape[c];
		esc[0] = '\\';
		esc[1] = (char)e;
		n = 2;
		if (e == 'u') {
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (sales_buf_add(out, esc, n) < 0)
			return -1;
	}
	if (sales_buf_addch(out, '"') < 0)
		return -1;
	return 0;
}

void sales_json_strn(struct sales_json *j, const char *s, size_t len)
{
	before_value(j);
	if (!j->failed && sales_json_quote(j->out, s, len) < 0)
		j->failed = true;
}

void sales_json_str(struct sales_json *j, const char *s)
{
	if (!s)
		sales_json_null(j);
	else
		sales_json_strn(j, s, strlen(s));
}

/* Digits by hand: snprintf's "%lld" was most of a finding's line and
 * column in check's JSON. */
void sales_json_int(struct sales_json *j, long long v)
{
	char num[24], *p = num + sizeof(num);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v :
			       (unsigned long long)v;

	before_value(j);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(j, p, (size_t)(num + sizeof(num) - p));
}

void sales_json_number(struct sales_json *j, const char *text)
{
	before_value(j);
	puts_(j, text && *text ? text : "null");
}

void sales_json_null(struct sales_json *j)
{
	before_value(j);
	puts_(j, "null");
}

void sales_json_bool(struct sales_json *j, bool v)
{
	before_value(j);
	puts_(j, v ? "true" : "false");
}

int sales_json_status(const struct sales_json *j)
{
	return j->failed ? -1 : 0;
}
