/*
 * json.h - a small JSON writer: objects, arrays, keys and values appended
 * to a sales_buf, the commas and the line breaks placed by the writer, so no
 * printer keeps a "first" flag of its own.
 *
 *	struct sales_buf out = {0};
 *	struct sales_json j;
 *
 *	sales_json_init(&j, &out);
 *	sales_json_array(&j, SALES_JSON_LINES);
 *	sales_json_object(&j, SALES_JSON_COMPACT);
 *	sales_json_key(&j, "customer");
 *	sales_json_str(&j, "华瑞精密");
 *	sales_json_end(&j);
 *	sales_json_end(&j);          -> [\n{"customer":"华瑞精密"}\n]
 *
 * Strings are written as they are (UTF-8 passes through) with '"', '\',
 * LF, CR and TAB escaped and other control bytes as \u00XX.  Top-level
 * values get no separator (one value per call sequence, as ndjson wants).
 * The caller may write out and empty it (sales_buf_reset) between values:
 * the writer keeps its place.  Nothing here prints.
 */
#ifndef SALES_JSON_H
#define SALES_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* How a container lays out its members. */
enum sales_json_layout {
	SALES_JSON_COMPACT,      /* {"a":1,"b":2} */
	SALES_JSON_LINES,        /* [\n{...},\n{...}\n]   ("[]" when empty) */
	SALES_JSON_LINES_TIGHT,  /* [\n{...},\n{...}]     ("[]" when empty) */
	SALES_JSON_LINES_BLOCK,  /* as LINES, but "[\n]" when empty */
};

#define SALES_JSON_MAX_DEPTH 16

struct sales_json {
	struct sales_buf *out;
	int depth;
	bool after_key;                            /* a key waits for its value */
	bool failed;                               /* out of memory (sticky) */
	bool brk;                                  /* sales_json_break pending */
	unsigned char layout[SALES_JSON_MAX_DEPTH];
	bool close[SALES_JSON_MAX_DEPTH];          /* '}' (else ']') */
	size_t members[SALES_JSON_MAX_DEPTH];
};

void sales_json_init(struct sales_json *j, struct sales_buf *out);

/* Opens an object or an array (as a value: after a key, in an array, or
 * at the top); sales_json_end closes the innermost one. */
void sales_json_object(struct sales_json *j, enum sales_json_layout layout);
void sales_json_array(struct sales_json *j, enum sales_json_layout layout);
void sales_json_end(struct sales_json *j);

/* Puts the next member of the innermost container on a line of its own
 * (after ",\n"), whatever the container's layout. */
void sales_json_break(struct sales_json *j);

/* The next member's key (inside an object). */
void sales_json_key(struct sales_json *j, const char *key);
/* The same with the key already quoted (sales_json_quote's len bytes,
 * quotes included): for keys written again on every record. */
void sales_json_key_quoted(struct sales_json *j, const char *quoted,
			   size_t len);

/* Values.  sales_json_str(j, NULL) writes null; sales_json_number writes
 * text as it is (a number the caller formatted), or null when it is "". */
void sales_json_str(struct sales_json *j, const char *s);
void sales_json_strn(struct sales_json *j, const char *s, size_t len);
void sales_json_int(struct sales_json *j, long long v);
void sales_json_number(struct sales_json *j, const char *text);
void sales_json_null(struct sales_json *j);
void sales_json_bool(struct sales_json *j, bool v);

/* Appends s as a JSON string (quotes included) to out; 0 or -1. */
int sales_json_quote(struct sales_buf *out, const char *s, size_t len);

/* 0 when everything was written, -1 when memory ran out on the way (what
 * out holds is then incomplete). */
int sales_json_status(const struct sales_json *j);

#endif
