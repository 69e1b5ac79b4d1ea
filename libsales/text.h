/*
 * text.h - UTF-8 and CJK helpers: validation, decoding, display width,
 * padding for aligned tables, customer-name keys, edit distance, trimming
 * and hashing.
 *
 * Every function takes (pointer, byte length) pairs, so strings need not be
 * NUL-terminated and may hold NUL bytes.  Nothing here allocates, prints or
 * keeps a pointer to its arguments; output goes into caller buffers, which
 * are always NUL-terminated when their capacity is at least 1 and are cut
 * only at character boundaries.  Invalid UTF-8 is never an error here: each
 * invalid byte counts as one U+FFFD (width 1).
 *
 * Widths follow Unicode 15.0 East Asian Width (libsales/eaw_table.h, made by
 * libsales/gen-eaw.py from Unicode's data files), never wcwidth() or the
 * locale, so tables line up the same on every machine.
 */
#ifndef SALES_TEXT_H
#define SALES_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns true if [s, s+len) is valid UTF-8: shortest forms only, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF.  Otherwise returns
 * false and, when bad is not NULL, sets *bad to the offset of the first byte
 * of the first invalid or truncated sequence.  NUL bytes are valid.
 */
bool sales_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * The length to keep of [s, s+len) so that it fits in max bytes without
 * cutting a character: len when len <= max, else max backed up to the
 * start of the character there.
 */
size_t sales_utf8_cut(const char *s, size_t len, size_t max);

/*
 * The one UTF-8 validity rule, inline for the readers' hot loops: returns
 * the length (1-4) of the well-formed sequence at s (len >= 1 bytes
 * available), or 0 when the bytes there are not a shortest-form,
 * non-surrogate, complete sequence of at most U+10FFFF.
 */
static inline size_t sales_utf8_length(const unsigned char *s, size_t len)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (b < 0x80)
		return 1;
	/* the common case first: a CJK character, E1..EC or EE..EF */
	if (b > 0xE0 && b < 0xF0 && b != 0xED && len >= 3 &&
	    (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
		return 3;
	if (b >= 0xC2 && b <= 0xDF) {
		n = 2;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3;
		if (b == 0xE0)
			lo = 0xA0;	/* shorter forms are overlong */
		else if (b == 0xED)
			hi = 0x9F;	/* U+D800..U+DFFF are surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;	/* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

/*
 * Decodes the code point at s (len bytes available) into *cp and returns its
 * length in bytes (1-4).  An invalid, overlong, surrogate or truncated
 * sequence gives *cp = U+FFFD and returns 1, so a loop advancing by the
 * return value resynchronises on the next byte.  len == 0 returns 0 (*cp 0).
 */
size_t sales_utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * Returns the display width of cp in terminal columns: 2 for East Asian Wide
 * and Fullwidth (CJK ideographs, Hangul syllables, kana, CJK punctuation,
 * full-width forms, emoji presentation), 0 for combining marks (Mn, Me),
 * format characters (Cf, e.g. ZWJ, ZWSP; not SOFT HYPHEN), conjoining Hangul
 * vowels/finals and control characters (C0, DEL, C1), 1 for everything else
 * (East Asian Ambiguous included, and values that are not code points).
 * A combining mark that is also Wide (U+302A, U+3099) counts 0.
 */
int sales_char_width(uint32_t cp);

/* Returns the display width of [s, s+len), the sum of sales_char_width(). */
size_t sales_utf8_width(const char *s, size_t len);
/* The same width, and in one pass whether the text is valid UTF-8 (as
 * sales_utf8_valid) and holds a line break or tab (\n, \r, \t); either
 * pointer may be NULL. */
size_t sales_utf8_measure(const char *s, size_t len, bool *valid,
			  bool *breaks);

/*
 * Writes s padded with spaces to `width` display columns into out (cap
 * bytes, always NUL-terminated when cap >= 1): spaces after s, or before it
 * when right_align.  When s is wider than width it is cut at a character
 * boundary and ends with "…" (U+2026, 1 column), plus one space when a wide
 * character did not fit.  width <= 0 gives "".  Invalid bytes are written as
 * U+FFFD, so out is valid UTF-8.  When cap is too small the output is cut at
 * a character boundary (and then is narrower than width).  Control
 * characters count 0 columns: escape them before padding.  Returns the bytes
 * written, not counting the NUL.
 */
size_t sales_utf8_pad(const char *s, size_t len, int width, bool right_align,
		      char *out, size_t cap);

/*
 * Writes the customer-name key used for duplicate detection into out (cap
 * bytes, NUL-terminated when cap >= 1) and returns its length in bytes.
 * Two names are "the same customer" when their keys are equal.  Steps:
 *
 *   1. full-width ASCII (U+FF01..U+FF5E) becomes ASCII; ASCII is lowercased;
 *   2. a small traditional -> simplified table is applied: the company-form
 *      characters (責 團) and some 170 characters frequent in company names
 *      (貿 實 業 機 電 華 …); it is not a general converter;
 *   3. whitespace (ASCII, NBSP, U+3000 and the other Unicode spaces,
 *      ZWSP/ZWJ/BOM), the brackets ()[]（）［］【】〔〕 and the punctuation
 *      . , ． ， 、 。 · ・ • are removed (bracket contents stay), but they
 *      still end a word for step 4;
 *   4. trailing company forms are dropped, repeatedly, as long as something
 *      is left: 股份有限公司, 有限责任公司, 股份公司, 有限公司, 公司, and the
 *      English words co, ltd, limited, inc, incorporated, corp, corporation,
 *      llc, company (whole words only: "Costco" keeps its "co").  集团 is
 *      kept: 华瑞集团有限公司 gives 华瑞集团, not 华瑞.
 *
 * So 华瑞精密机械有限公司, 华瑞精密机械有限責任公司, "华瑞精密机械 有限公司"
 * and 华瑞精密机械（有限公司） all give 华瑞精密机械, and "ABC Trading Co.,
 * Ltd." gives abctrading.  Only the first 1024 code points of s are used.
 * A key cut short by cap ends at a character boundary.
 */
size_t sales_name_key(const char *s, size_t len, char *out, size_t cap);

/*
 * The first code point of sales_name_key(s), 0 when the key is empty,
 * found without building the key (company forms go from the end and never
 * take a whole name, so they never change the first one): a duplicate scan
 * keys only the rows whose first code point some candidate's key has.
 */
uint32_t sales_name_key_first(const char *s, size_t len);

/*
 * sales_hash of the key sales_name_key(s, len, buf, SALES_NAME_KEY_CAP)
 * writes, made without writing it (a load hashes a million names' keys;
 * a table of keys compares the keys themselves only on equal hashes).
 */
#define SALES_NAME_KEY_CAP 1024
uint64_t sales_name_key_hash(const char *s, size_t len);

/*
 * Returns the Levenshtein distance between a and b counted in code points,
 * or max + 1 as soon as it is known to exceed max (max < 0 counts as 0).
 * Uses stack buffers only: strings longer than 256 code points return 0 when
 * byte-equal and max + 1 otherwise.
 */
int sales_edit_distance(const char *a, size_t alen, const char *b, size_t blen,
			int max);

/*
 * The one trim of the toolkit: removes ASCII space, tab, CR and LF, U+00A0
 * NO-BREAK SPACE (Excel and web pages paste it) and U+3000 IDEOGRAPHIC
 * SPACE (Chinese input methods type it) from both ends of [s, s+*len):
 * returns the new start (inside s) and sets *len to the new length.
 * Nothing is copied or written.  Every cell, option and name is trimmed
 * with it (value.h's parsers too), so a value means the same everywhere.
 */
const char *sales_trim_blanks(const char *s, size_t *len);
/* Bytes of the blanks (as sales_trim removes them) at the start of
 * [s, s+len). */
size_t sales_trim_head(const char *s, size_t len);
static inline const char *sales_trim(const char *s, size_t *len)
{
	size_t n = *len;
	unsigned char first, last;

	/* inline: most values have nothing to trim (a call per cell
	 * otherwise): their first byte cannot start a blank (one of the
	 * four, or the lead byte of U+00A0 or U+3000) and their last cannot
	 * end one */
	if (!n)
		return s;
	first = (unsigned char)s[0];
	last = (unsigned char)s[n - 1];
	if (first > ' ' && first != 0xC2 && first != 0xE3 &&
	    last > ' ' && last != 0xA0 && last != 0x80)
		return s;
	return sales_trim_blanks(s, len);
}

/* Returns the 64-bit FNV-1a hash of [s, s+len); stable across runs. */
uint64_t sales_hash(const char *s, size_t len);
/* sales_hash's start and step (FNV-1a), for a hash made byte by byte */
#define SALES_HASH_SEED 14695981039346656037ULL
#define SALES_HASH_STEP(h, byte) (((h) ^ (byte)) * 1099511628211ULL)
/* A hash of s[0..len) for tables in memory, 8 bytes a step: faster than
 * sales_hash, but never to be stored or shown (its values may change). */
uint64_t sales_hash_fast(const char *s, size_t len);

#endif
