/*
 * settings.h - the workbook's settings file, sales.conf, in git-config style.
 *
 * Contract
 * --------
 * The file is UTF-8 (a leading BOM is accepted and kept) with LF or CRLF
 * line ends (kept line by line):
 *
 *	# a comment             ; also a comment
 *	[deadline]
 *		screening_days = 3
 *	[score "industry"]      ; subsection: keys are score.industry.<name>
 *		制造业 = 25
 *	[score.size]            ; the same as [score "size"]
 *		employees_1000 = 25
 *
 * - A key is section.name or section.subsection.name.  The whole key is
 *   case-insensitive for ASCII letters (subsections too, unlike git), and
 *   keys are reported in lowercase.  Section and name are one or more
 *   characters other than ASCII space and control characters and
 *   . = [ ] " ; # \ - so CJK names such as 制造业 are fine.  A subsection may
 *   hold anything but a newline (write \" and \\ inside its quotes).
 * - A value is the rest of the line after '=', trimmed of spaces, tabs and
 *   U+3000 (the full-width space).  Double quotes may enclose any part of it
 *   to keep spaces, ';' or '#'; inside or outside quotes \" \\ \n \t \b are
 *   the only escapes.  ';' or '#' outside quotes starts a comment.  Unlike
 *   git, a name with no '=' is an error (not "true"): every setting here
 *   has a value, and a missing '=' (or a full-width '＝') is a typo.
 * - A key may repeat: sales_settings_get() returns the last value, and
 *   sales_settings_each() sees every one.
 * - Text that is not valid UTF-8 is refused (SALES_EENCODING) rather than
 *   guessed at: save the file as UTF-8.  Syntax errors are SALES_EPARSE with
 *   err->file and err->line set (err->column is 0: a settings file has no
 *   cells).
 *
 * The library never prints or exits.  A struct sales_settings is not
 * thread-safe; copies of get()'s string stay valid until set/unset/free.
 *
 * Defaults (every one may be overridden in sales.conf)
 * -----------------------------------------------------
 *
 *	key                          default  meaning (SPEC §4 rule)
 *	csv.encoding                  auto    how sheets are read: auto (detect), utf-8, gbk
 *	deadline.screening_days          3    线索等级 set within N working days of 登记日期 (2)
 *	deadline.proposal_days           5    提交日期 within N working days of the last 调研时间 (3)
 *	payment.remind_days              3    remind N days before 付款到期日 (6)
 *	payment.collection_days          7    N days overdue starts 催款 (6)
 *	stalled.days                     7    A-grade lead with no contact for N days is at risk (7)
 *	aftersales.interval_days        92    at least one follow-up per N days ... (8)
 *	aftersales.warranty_days       365    ... during the N-day warranty after acceptance (8)
 *	timeliness.entry_hours          24    records entered within N hours (9)
 *	ui.language                   auto    messages: auto (the locale), zh_CN, en
 *	ui.color                      auto    colour: auto (on a terminal), always, never
 *	score.threshold_a               70    A类 at or above this score (SPEC §5)
 *	score.threshold_b               40    B类 at or above this score, C类 below
 *	score.max_per_dimension         25    each dimension's points are capped at this
 *	scorecard.conversion            25    考核 weights (scorecard.h): 线索转化率
 *	scorecard.deal_size             15      平均客单价
 *	scorecard.cycle                 10      销售周期
 *	scorecard.satisfaction          20      客户满意度
 *	scorecard.process               20      流程执行率
 *	scorecard.overdue               10      逾期 (overdue items)
 *	floor.max_discount             10%    谈判底线: largest concession from the
 *	                                      passed proposal's 报价 (0 turns it off)
 *	floor.min_duration_days      (unset)  谈判底线: shortest 实施周期 in days
 *	pool.recall_days_A/B/C       (unset)  公海: working days without follow-up
 *	                                      before a lead of that grade recalls
 *	pool.cooldown_days              10    公海: working days before the former
 *	                                      owner may claim a recalled lead back
 *	pool.max_claims_per_week     (unset)  公海: claims per rep per week
 *	pool.max_held                (unset)  公海: open leads one rep may hold
 *	pool.warn_days                   3    公海: due and check warn this many
 *	                                      working days before a recall
 *
 * Lead scoring: four dimensions, 0-25 points each by default, summed.
 *
 *	dimension / key                       points  applies when
 *	industry (行业, exact match)
 *	  score.industry.制造业                 25
 *	  score.industry.物流                   25
 *	  score.industry.医药                   20
 *	  score.industry.汽车                   20
 *	  score.industry.零售                   15
 *	  score.industry.电商                   15
 *	  score.industry.default                 5    any other or blank industry
 *	size (企业规模, "员工数/营收": the better of the two parts)
 *	  score.size.employees_1000             25    1000 or more employees
 *	  score.size.employees_500              20    500-999
 *	  score.size.employees_100              12    100-499
 *	  score.size.employees_0                 5    fewer than 100
 *	  score.size.revenue_10亿               25    revenue 10亿 or more
 *	  score.size.revenue_5亿                20    5亿-10亿
 *	  score.size.revenue_1亿                12    1亿-5亿
 *	  score.size.revenue_0                   5    under 1亿
 *	  score.size.unknown                     5    neither part parses
 *	budget (预算范围 of the customer's survey rows; the largest stated)
 *	  score.budget.amount_500万             25    500万 or more
 *	  score.budget.amount_300万             20    300万-500万
 *	  score.budget.amount_100万             15    100万-300万
 *	  score.budget.amount_50万              10    50万-100万
 *	  score.budget.amount_0                  5    under 50万
 *	  score.budget.unknown                  10    no survey, or only 待确认
 *	decision chain (决策流程 of the survey rows)
 *	  score.chain.complete                  25    a chain names a final decision maker
 *	                                              (ends in one of score.chain.deciders)
 *	                                              and no note says it is unknown
 *	  score.chain.partial                   12    a chain is written but names none
 *	  score.chain.unknown                    5    no chain, or a note (01 备注 or 02
 *	                                              备注) contains score.chain.unknown_marks
 *	  score.chain.deciders      总经理,总裁,董事长,CEO          (comma-separated)
 *	  score.chain.unknown_marks 决策人未明确,决策人不明确      (comma-separated)
 *
 * Banded keys (score.size.employees_N, score.size.revenue_N,
 * score.budget.amount_N) carry their lower bound in the name: N is digits
 * with an optional 万 or 亿 (1万 = 10^4, 1亿 = 10^8; a name holds no '.').
 * An amount scores the band with the largest bound not above it
 * (sales_settings_band()); a range
 * such as 500-1000人 or 200-300万 counts by its lower end, "5亿以上" as 5亿,
 * "1亿以下" as just under 1亿.  Teams add bands by adding keys
 * (score.size.employees_5000 = 25) and remove one, built-in or not, by
 * setting it to an empty value; industries are added the same way
 * (score.industry.化工 = 20) and switched off with 0.
 *
 * With these defaults the example workbook scores 科技有限公司 (制造业,
 * 500-1000人/5亿以上, 200-300万, 采购部→技术部→总经理) 25+20+15+25 = 85, A类,
 * and YY商贸有限公司 (零售, 100-300人/1亿以下, no survey, 决策人未明确)
 * 15+12+10+5 = 42, B类.
 */
#ifndef SALES_SETTINGS_H
#define SALES_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The settings file's name inside a workbook folder. */
#define SALES_SETTINGS_FILE "sales.conf"

struct sales_settings;	/* opaque */

/*
 * Built-in defaults plus the file at path if it exists (a missing file is
 * not an error).  On a syntax error returns -1 with err naming file and
 * line.  *out is owned by the caller (free with sales_settings_free); it is
 * NULL after a failure.
 */
int sales_settings_load(const char *path, struct sales_settings **out,
			struct sales_error *err);

/*
 * Parses text (len bytes, may start with a UTF-8 BOM) on top of the
 * defaults; name is used in errors and may be NULL.
 */
int sales_settings_parse(const char *name, const char *text, size_t len,
			 struct sales_settings **out, struct sales_error *err);

void sales_settings_free(struct sales_settings *s);

/* The last value of key, or NULL if unset.  Valid until free/set/unset. */
const char *sales_settings_get(const struct sales_settings *s, const char *key);

/* The line of the settings file that holds key's value (the one
 * sales_settings_get returns), 1-based; 0 when it is a default or set(). */
long sales_settings_line(const struct sales_settings *s, const char *key);

/* The value as a decimal integer; fallback when unset or not an integer. */
long sales_settings_get_int(const struct sales_settings *s, const char *key,
			    long fallback);

/* The value as a decimal number ("2.5", "1e3"; independent of the C locale);
 * fallback when unset or not a number. */
double sales_settings_get_double(const struct sales_settings *s,
				 const char *key, double fallback);

/*
 * Calls fn for each key that starts with prefix (e.g. "score.industry.",
 * compared ignoring ASCII case; NULL or "" for all), in file order,
 * defaults first, so an overridden key is seen twice: default, then file.
 * key is in lowercase.  Stops early and returns fn's value when it returns
 * non-zero; returns 0 otherwise.
 */
int sales_settings_each(const struct sales_settings *s, const char *prefix,
			int (*fn)(const char *key, const char *value, void *ud),
			void *ud);

/*
 * Sets key in memory (adds or replaces): afterwards the key has exactly this
 * one value (earlier repeats in the file are dropped).  Returns 0, or -1 on
 * a bad key (it must be section.name or section.subsection.name) or out of
 * memory.
 */
int sales_settings_set(struct sales_settings *s, const char *key,
		       const char *value, struct sales_error *err);

/*
 * Removes every value of key that came from the file or from set(), so a
 * built-in key falls back to its default.  Returns how many values were
 * removed (0 if none), or -1 on a bad key.
 */
int sales_settings_unset(struct sales_settings *s, const char *key);

/*
 * Serialises the non-default content as a config file into a malloc'd,
 * NUL-terminated buffer (*buf, *len without the NUL; caller frees): the
 * loaded file's bytes kept verbatim (BOM, comments, blank lines, line ends),
 * changed values rewritten in place (indentation, the name as written and a
 * trailing comment kept), unset keys' lines removed, new keys appended as
 * "\tname = value" after the last key of their section, or under a new
 * section header at the end.  Without changes the output is byte-identical
 * to the input.  Returns 0 or -1 (out of memory).
 */
int sales_settings_serialize(const struct sales_settings *s, char **buf,
			     size_t *len, struct sales_error *err);

/*
 * true if key names a built-in setting, or one of the open families a team
 * extends: score.industry.<any name>, score.size.employees_<N>,
 * score.size.revenue_<N>, score.budget.amount_<N> (N as described above).
 * For `sales config` to warn about typos.
 */
bool sales_settings_known(const char *key);

/*
 * Band lookup for the banded keys: among the keys prefix<N> (e.g. prefix
 * "score.size.employees_"), the points of the one with the largest N not
 * above amount (amount in units: persons, 元).  For a repeated N the last
 * value wins, and a last value that is not an integer (e.g. empty) removes
 * the band; keys whose N does not parse are ignored.  Returns fallback when
 * no band applies.
 */
long sales_settings_band(const struct sales_settings *s, const char *prefix,
			 double amount, long fallback);

/*
 * The same lookup for many amounts: a family's bands read once
 * (sales_settings_bands_load: 0, or -1 out of memory with the bands read
 * so far), then sales_settings_bands_pick(bands, amount, fallback) as
 * sales_settings_band(s, prefix, amount, fallback) would answer.
 */
struct sales_settings_bands {
	struct sales_settings_band_entry {
		double bound;
		long points;
		bool valid;        /* false: the band was removed */
	} *band;
	size_t n, cap;
};

int sales_settings_bands_load(const struct sales_settings *s,
			      const char *prefix,
			      struct sales_settings_bands *out);
long sales_settings_bands_pick(const struct sales_settings_bands *b,
			       double amount, long fallback);
void sales_settings_bands_release(struct sales_settings_bands *b);

/* Parses a band bound "1000", "5亿", "50万" into *out (units); 0 or -1. */
int sales_settings_parse_bound(const char *text, double *out);

#endif
