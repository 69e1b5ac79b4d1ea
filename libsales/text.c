/*
 * text.c - UTF-8 and CJK helpers; see text.h for the contract.
 */
#include "text.h"

#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "eaw_table.h"

#define REPLACEMENT_CHAR 0xFFFDu
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Decodes one well-formed sequence (sales_utf8_length): returns its
 * length (1-4) and sets *cp, or returns 0. */
static size_t utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n = sales_utf8_length(s, len);
	static const unsigned char lead_bits[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	uint32_t c;

	if (!n)
		return 0;
	c = s[0] & lead_bits[n];
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3F);
	*cp = c;
	return n;
}

bool sales_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = utf8_sequence(u + i, len - i, &cp);

		if (!n) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

size_t sales_utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

size_t sales_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	size_t n;

	if (!len) {
		*cp = 0;
		return 0;
	}
	n = utf8_sequence((const unsigned char *)s, len, cp);
	if (!n) {
		*cp = REPLACEMENT_CHAR;
		return 1;
	}
	return n;
}

/* Encodes cp (at most U+10FFFF) into buf; returns its length. */
static size_t utf8_encode(uint32_t cp, char buf[4])
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decodes up to max code points into cps; false when s holds more.  Invalid
 * bytes get distinct values above U+10FFFF so that they compare by byte.
 */
static bool decode_all(const char *s, size_t len, uint32_t *cps, size_t max,
		       size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < len; ) {
		size_t step;
		uint32_t cp;

		if (*n == max)
			return false;
		step = sales_utf8_decode(s + i, len - i, &cp);
		if (step == 1 && cp == REPLACEMENT_CHAR)
			cp = 0x110000u + (unsigned char)s[i];
		cps[(*n)++] = cp;
		i += step;
	}
	return true;
}

static bool in_ranges(const struct sales_cp_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	if (!n || cp < r[0].first || cp > r[n - 1].last)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

int sales_char_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < 0x300)		/* no marks or wide characters below */
		return 1;
	if (cp >= 0x4E00 && cp <= 0x9FFF)	/* the common case in our data */
		return 2;
	if (cp > 0x10FFFF)
		return 1;
	if (in_ranges(sales_eaw_zero, ARRAY_SIZE(sales_eaw_zero), cp))
		return 0;
	if (in_ranges(sales_eaw_wide, ARRAY_SIZE(sales_eaw_wide), cp))
		return 2;
	return 1;
}

size_t sales_utf8_measure(const char *s, size_t len, bool *valid,
			  bool *breaks)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t width = 0;
	bool ok = true, brk = false;
	uint32_t cp;

	for (size_t i = 0; i < len; ) {
		unsigned char c = u[i];
		size_t n;

		if (c < 0x80) {
			/* what sales_char_width says of an ASCII character */
			if (c >= 0x20 && c != 0x7F)
				width++;
			else
				brk |= c == '\n' || c == '\r' || c == '\t';
			i++;
			continue;
		}
		/* U+4E00..U+9FFF (E4 B8 80 .. E9 BF BF), most of our text:
		 * two columns (sales_char_width), without the decoder */
		if (c >= 0xE4 && c <= 0xE9 && len - i >= 3 &&
		    (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80 &&
		    (c > 0xE4 || u[i + 1] >= 0xB8)) {
			width += 2;
			i += 3;
			continue;
		}
		/* an invalid byte counts as U+FFFD (sales_utf8_decode) */
		n = utf8_sequence(u + i, len - i, &cp);
		if (!n) {
			ok = false;
			cp = REPLACEMENT_CHAR;
			n = 1;
		}
		i += n;
		width += (size_t)sales_char_width(cp);
	}
	if (valid)
		*valid = ok;
	if (breaks)
		*breaks = brk;
	return width;
}

size_t sales_utf8_width(const char *s, size_t len)
{
	return sales_utf8_measure(s, len, NULL, NULL);
}

/*
 * An output buffer that takes whole pieces only: once a piece does not fit
 * (leaving room for the NUL) nothing more is written, so the text is cut at
 * a character boundary and never has a hole in it.
 */
struct outbuf {
	char *out;
	size_t cap, len;
	bool full;
};

static void outbuf_put(struct outbuf *ob, const char *p, size_t n)
{
	if (ob->full || ob->len + n >= ob->cap) {
		ob->full = true;
		return;
	}
	memcpy(ob->out + ob->len, p, n);
	ob->len += n;
	ob->out[ob->len] = '\0';
}

static void outbuf_spaces(struct outbuf *ob, size_t n)
{
	while (n--)
		outbuf_put(ob, " ", 1);
}

size_t sales_utf8_pad(const char *s, size_t len, int width, bool right_align,
		      char *out, size_t cap)
{
	struct outbuf ob = { out, cap, 0, false };
	size_t total = sales_utf8_width(s, len);
	size_t keep = len, cols = total;
	bool cut = false;
	uint32_t cp;
	char enc[4];

	if (!cap)
		return 0;
	out[0] = '\0';
	if (width <= 0)
		return 0;
	if (total > (size_t)width) {
		size_t limit = (size_t)width - 1;	/* room for the "…" */

		cols = 0;
		for (keep = 0; keep < len; ) {
			size_t n = sales_utf8_decode(s + keep, len - keep, &cp);
			size_t w = (size_t)sales_char_width(cp);

			if (cols + w > limit)
				break;
			cols += w;
			keep += n;
		}
		cols++;
		cut = true;
	}

	if (right_align)
		outbuf_spaces(&ob, (size_t)width - cols);
	for (size_t i = 0; i < keep; ) {
		size_t n = sales_utf8_decode(s + i, keep - i, &cp);

		if (n == 1 && cp == REPLACEMENT_CHAR)	/* an invalid byte */
			outbuf_put(&ob, enc, utf8_encode(cp, enc));
		else
			outbuf_put(&ob, s + i, n);
		i += n;
	}
	if (cut)
		outbuf_put(&ob, "\xE2\x80\xA6", 3);	/* … */
	if (!right_align)
		outbuf_spaces(&ob, (size_t)width - cols);
	return ob.len;
}

/*
 * Traditional -> simplified for the company-form characters (責 團) and
 * characters frequent in company names, so that a name typed in traditional
 * characters (as the seed template is) keys like its simplified spelling.
 * Sorted by traditional code point; extend it here when a real pair is missed.
 */
static const struct {
	uint16_t trad, simp;
} trad_simp[] = {
	{ 0x4E9E, 0x4E9A }, { 0x5011, 0x4EEC },	/* 亞亚 們们 */
	{ 0x5099, 0x5907 }, { 0x50B3, 0x4F20 },	/* 備备 傳传 */
	{ 0x50F9, 0x4EF7 }, { 0x5100, 0x4EEA },	/* 價价 儀仪 */
	{ 0x5104, 0x4EBF }, { 0x512A, 0x4F18 },	/* 億亿 優优 */
	{ 0x5275, 0x521B }, { 0x52D5, 0x52A8 },	/* 創创 動动 */
	{ 0x52D9, 0x52A1 }, { 0x52F5, 0x52B1 },	/* 務务 勵励 */
	{ 0x532F, 0x6C47 }, { 0x5340, 0x533A },	/* 匯汇 區区 */
	{ 0x5354, 0x534F }, { 0x54E1, 0x5458 },	/* 協协 員员 */
	{ 0x554F, 0x95EE }, { 0x570B, 0x56FD },	/* 問问 國国 */
	{ 0x5712, 0x56ED }, { 0x5716, 0x56FE },	/* 園园 圖图 */
	{ 0x5718, 0x56E2 }, { 0x5831, 0x62A5 },	/* 團团 報报 */
	{ 0x5834, 0x573A }, { 0x5B78, 0x5B66 },	/* 場场 學学 */
	{ 0x5BE6, 0x5B9E }, { 0x5BE7, 0x5B81 },	/* 實实 寧宁 */
	{ 0x5BF6, 0x5B9D }, { 0x5C08, 0x4E13 },	/* 寶宝 專专 */
	{ 0x5C0E, 0x5BFC }, { 0x5EC8, 0x53A6 },	/* 導导 廈厦 */
	{ 0x5EE0, 0x5382 }, { 0x5EE3, 0x5E7F },	/* 廠厂 廣广 */
	{ 0x5EF3, 0x5385 }, { 0x6046, 0x6052 },	/* 廳厅 恆恒 */
	{ 0x6578, 0x6570 }, { 0x6642, 0x65F6 },	/* 數数 時时 */
	{ 0x66F8, 0x4E66 }, { 0x6703, 0x4F1A },	/* 書书 會会 */
	{ 0x6771, 0x4E1C }, { 0x689D, 0x6761 },	/* 東东 條条 */
	{ 0x696D, 0x4E1A }, { 0x6A02, 0x4E50 },	/* 業业 樂乐 */
	{ 0x6A19, 0x6807 }, { 0x6A5F, 0x673A },	/* 標标 機机 */
	{ 0x6AA2, 0x68C0 }, { 0x6B50, 0x6B27 },	/* 檢检 歐欧 */
	{ 0x6C23, 0x6C14 }, { 0x6E2C, 0x6D4B },	/* 氣气 測测 */
	{ 0x6E96, 0x51C6 }, { 0x6ED9, 0x6C47 },	/* 準准 滙汇 */
	{ 0x6EEC, 0x6CAA }, { 0x6F01, 0x6E14 },	/* 滬沪 漁渔 */
	{ 0x6FDF, 0x6D4E }, { 0x7063, 0x6E7E },	/* 濟济 灣湾 */
	{ 0x71B1, 0x70ED }, { 0x71C8, 0x706F },	/* 熱热 燈灯 */
	{ 0x71DF, 0x8425 }, { 0x7210, 0x7089 },	/* 營营 爐炉 */
	{ 0x74B0, 0x73AF }, { 0x74CA, 0x743C },	/* 環环 瓊琼 */
	{ 0x7522, 0x4EA7 }, { 0x7642, 0x7597 },	/* 產产 療疗 */
	{ 0x767C, 0x53D1 }, { 0x773E, 0x4F17 },	/* 發发 眾众 */
	{ 0x78BC, 0x7801 }, { 0x7926, 0x77FF },	/* 碼码 礦矿 */
	{ 0x7BC0, 0x8282 }, { 0x7BC9, 0x7B51 },	/* 節节 築筑 */
	{ 0x7CB5, 0x7CA4 }, { 0x7CE7, 0x7CAE },	/* 粵粤 糧粮 */
	{ 0x7D05, 0x7EA2 }, { 0x7D19, 0x7EB8 },	/* 紅红 紙纸 */
	{ 0x7D21, 0x7EBA }, { 0x7D61, 0x7EDC },	/* 紡纺 絡络 */
	{ 0x7D93, 0x7ECF }, { 0x7DA0, 0x7EFF },	/* 經经 綠绿 */
	{ 0x7DB2, 0x7F51 }, { 0x7DDA, 0x7EBF },	/* 網网 線线 */
	{ 0x7E23, 0x53BF }, { 0x7E3D, 0x603B },	/* 縣县 總总 */
	{ 0x7E54, 0x7EC7 }, { 0x7E9C, 0x7F06 },	/* 織织 纜缆 */
	{ 0x7FA9, 0x4E49 }, { 0x806F, 0x8054 },	/* 義义 聯联 */
	{ 0x8072, 0x58F0 }, { 0x807D, 0x542C },	/* 聲声 聽听 */
	{ 0x81A0, 0x80F6 }, { 0x81FA, 0x53F0 },	/* 膠胶 臺台 */
	{ 0x8207, 0x4E0E }, { 0x8208, 0x5174 },	/* 與与 興兴 */
	{ 0x838A, 0x5E84 }, { 0x83EF, 0x534E },	/* 莊庄 華华 */
	{ 0x842C, 0x4E07 }, { 0x85CD, 0x84DD },	/* 萬万 藍蓝 */
	{ 0x85DD, 0x827A }, { 0x85E5, 0x836F },	/* 藝艺 藥药 */
	{ 0x8607, 0x82CF }, { 0x862D, 0x5170 },	/* 蘇苏 蘭兰 */
	{ 0x8655, 0x5904 }, { 0x865F, 0x53F7 },	/* 處处 號号 */
	{ 0x8853, 0x672F }, { 0x885B, 0x536B },	/* 術术 衛卫 */
	{ 0x88DD, 0x88C5 }, { 0x88FD, 0x5236 },	/* 裝装 製制 */
	{ 0x8996, 0x89C6 }, { 0x8A08, 0x8BA1 },	/* 視视 計计 */
	{ 0x8A0A, 0x8BAF }, { 0x8A2D, 0x8BBE },	/* 訊讯 設设 */
	{ 0x8A62, 0x8BE2 }, { 0x8AEE, 0x54A8 },	/* 詢询 諮咨 */
	{ 0x8B49, 0x8BC1 }, { 0x8C50, 0x4E30 },	/* 證证 豐丰 */
	{ 0x8C9D, 0x8D1D }, { 0x8CA1, 0x8D22 },	/* 貝贝 財财 */
	{ 0x8CA8, 0x8D27 }, { 0x8CAC, 0x8D23 },	/* 貨货 責责 */
	{ 0x8CB4, 0x8D35 }, { 0x8CBF, 0x8D38 },	/* 貴贵 貿贸 */
	{ 0x8CC7, 0x8D44 }, { 0x8CEA, 0x8D28 },	/* 資资 質质 */
	{ 0x8D1B, 0x8D63 }, { 0x8ECA, 0x8F66 },	/* 贛赣 車车 */
	{ 0x8EDF, 0x8F6F }, { 0x8F1B, 0x8F86 },	/* 軟软 輛辆 */
	{ 0x8F2A, 0x8F6E }, { 0x8F38, 0x8F93 },	/* 輪轮 輸输 */
	{ 0x8FA6, 0x529E }, { 0x8FB2, 0x519C },	/* 辦办 農农 */
	{ 0x9032, 0x8FDB }, { 0x904B, 0x8FD0 },	/* 進进 運运 */
	{ 0x9054, 0x8FBE }, { 0x907C, 0x8FBD },	/* 達达 遼辽 */
	{ 0x9109, 0x4E61 }, { 0x91AB, 0x533B },	/* 鄉乡 醫医 */
	{ 0x9280, 0x94F6 }, { 0x9285, 0x94DC },	/* 銀银 銅铜 */
	{ 0x92B7, 0x9500 }, { 0x92C1, 0x94DD },	/* 銷销 鋁铝 */
	{ 0x92FC, 0x94A2 }, { 0x9336, 0x8868 },	/* 鋼钢 錶表 */
	{ 0x934B, 0x9505 }, { 0x93AE, 0x9547 },	/* 鍋锅 鎮镇 */
	{ 0x9435, 0x94C1 }, { 0x9577, 0x957F },	/* 鐵铁 長长 */
	{ 0x9580, 0x95E8 }, { 0x958B, 0x5F00 },	/* 門门 開开 */
	{ 0x9593, 0x95F4 }, { 0x95A9, 0x95FD },	/* 間间 閩闽 */
	{ 0x965D, 0x9655 }, { 0x967D, 0x9633 },	/* 陝陕 陽阳 */
	{ 0x969B, 0x9645 }, { 0x96AA, 0x9669 },	/* 際际 險险 */
	{ 0x96B4, 0x9647 }, { 0x96F2, 0x4E91 },	/* 隴陇 雲云 */
	{ 0x96FB, 0x7535 }, { 0x9805, 0x9879 },	/* 電电 項项 */
	{ 0x9806, 0x987A }, { 0x9867, 0x987E },	/* 順顺 顧顾 */
	{ 0x98A8, 0x98CE }, { 0x98DB, 0x98DE },	/* 風风 飛飞 */
	{ 0x98FE, 0x9970 }, { 0x9928, 0x9986 },	/* 飾饰 館馆 */
	{ 0x9A57, 0x9A8C }, { 0x9AD4, 0x4F53 },	/* 驗验 體体 */
	{ 0x9B6F, 0x9C81 }, { 0x9CF3, 0x51E4 },	/* 魯鲁 鳳凤 */
	{ 0x9EC3, 0x9EC4 }, { 0x9EDE, 0x70B9 },	/* 黃黄 點点 */
	{ 0x9F8D, 0x9F99 },	/* 龍龙 */
};

/* Bit cp & TRAD_BITS-1 set when a traditional character of trad_simp has
 * that low part: most characters of a name are turned away on it before
 * the search (a key is made per name, a load makes a million). */
#define TRAD_BITS 4096
static uint64_t trad_filter[TRAD_BITS / 64];
static pthread_once_t trad_once = PTHREAD_ONCE_INIT;

static void trad_filter_make(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(trad_simp); i++) {
		unsigned b = trad_simp[i].trad & (TRAD_BITS - 1);

		trad_filter[b / 64] |= 1ULL << (b % 64);
	}
}

static uint32_t simplify(uint32_t cp)
{
	size_t lo = 0, hi = ARRAY_SIZE(trad_simp);
	unsigned b = cp & (TRAD_BITS - 1);

	/* the callers made the filter (pthread_once) */
	if (cp < trad_simp[0].trad || cp > trad_simp[hi - 1].trad)
		return cp;
	if (!(trad_filter[b / 64] & (1ULL << (b % 64))))
		return cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < trad_simp[mid].trad)
			hi = mid;
		else if (cp > trad_simp[mid].trad)
			lo = mid + 1;
		else
			return trad_simp[mid].simp;
	}
	return cp;
}

/* Whitespace, brackets and punctuation that a name key drops. */
static bool key_separator(uint32_t cp)
{
	if (cp >= 0x3100 && cp < 0xFE00)
		return false;   /* CJK: none of them (most of a name) */
	switch (cp) {
	case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
	case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
	case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
	case '(': case ')': case '[': case ']':
	case 0x3010: case 0x3011: case 0x3014: case 0x3015:  /* 【】〔〕 */
	case '.': case ',': case 0x3001: case 0x3002:	     /* 、。 */
	case 0x00B7: case 0x2022: case 0x2027: case 0x30FB: case 0xFF65:
		return true;
	default:
		return cp >= 0x2000 && cp <= 0x200A;	/* en quad .. hair space */
	}
}

#define NAME_KEY_MAX 1024

/* The code points of a name being keyed, with the word breaks it had. */
struct name_cps {
	uint32_t cp[NAME_KEY_MAX];
	bool break_before[NAME_KEY_MAX];
	size_t n;
};

static bool ascii_alnum(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= '0' && cp <= '9');
}

/*
 * Company forms dropped from the end of a key, spelled as they look after
 * the mapping (simplified, lowercase); where one form ends another, the
 * longer comes first.  English forms must be whole words.  Each form is
 * also given as code points, so keying a name (per row, in a duplicate
 * scan) decodes nothing but the name (test_speed checks they agree).
 */
#define FORM_MAX 12
static const struct {
	const char *form;
	bool whole_word;
	size_t n;
	uint32_t cp[FORM_MAX];
} company_forms[] = {
	{ "股份有限公司", false, 6, { 0x80A1, 0x4EFD, 0x6709, 0x9650, 0x516C, 0x53F8 } },
	{ "有限责任公司", false, 6, { 0x6709, 0x9650, 0x8D23, 0x4EFB, 0x516C, 0x53F8 } },
	{ "股份公司", false, 4, { 0x80A1, 0x4EFD, 0x516C, 0x53F8 } },
	{ "有限公司", false, 4, { 0x6709, 0x9650, 0x516C, 0x53F8 } },
	{ "公司", false, 2, { 0x516C, 0x53F8 } },
	{ "incorporated", true, 12, { 'i', 'n', 'c', 'o', 'r', 'p', 'o', 'r', 'a', 't', 'e', 'd' } },
	{ "corporation", true, 11, { 'c', 'o', 'r', 'p', 'o', 'r', 'a', 't', 'i', 'o', 'n' } },
	{ "limited", true, 7, { 'l', 'i', 'm', 'i', 't', 'e', 'd' } },
	{ "company", true, 7, { 'c', 'o', 'm', 'p', 'a', 'n', 'y' } },
	{ "corp", true, 4, { 'c', 'o', 'r', 'p' } },
	{ "inc", true, 3, { 'i', 'n', 'c' } },
	{ "ltd", true, 3, { 'l', 't', 'd' } },
	{ "llc", true, 3, { 'l', 'l', 'c' } },
	{ "co", true, 2, { 'c', 'o' } },
};

/* True when k->cp[start..n) is one word: "Costco" has no word "co". */
static bool trailing_word(const struct name_cps *k, size_t start)
{
	for (size_t i = start + 1; i < k->n; i++)
		if (k->break_before[i])
			return false;
	return start == 0 || k->break_before[start] ||
	       !ascii_alnum(k->cp[start - 1]);
}

/*
 * Drops one company form from the end of k; returns false when there is
 * none, or when it is all there is (a name is never keyed to nothing).
 */
static bool strip_company_form(struct name_cps *k)
{
	for (size_t f = 0; f < ARRAY_SIZE(company_forms); f++) {
		const uint32_t *cps = company_forms[f].cp;
		size_t n = company_forms[f].n, start;

		if (n > k->n || k->cp[k->n - 1] != cps[n - 1] ||
		    memcmp(k->cp + k->n - n, cps, n * sizeof(*cps)))
			continue;
		start = k->n - n;
		if (company_forms[f].whole_word && !trailing_word(k, start))
			continue;
		if (start == 0)
			return false;
		k->n = start;
		return true;
	}
	return false;
}

/* The code points of s's key (sales_name_key's steps 1-4) into k. */
static void name_key_cps(const char *s, size_t len, struct name_cps *k)
{
	const unsigned char *u = (const unsigned char *)s;
	bool pending_break = false;

	pthread_once(&trad_once, trad_filter_make);
	k->n = 0;
	for (size_t i = 0; i < len && k->n < NAME_KEY_MAX; ) {
		uint32_t cp = u[i];

		if (cp < 0x80) {
			i++;   /* ASCII: most of an English name, none decoded */
			if (cp >= 'A' && cp <= 'Z')
				cp += 'a' - 'A';
		} else {
			size_t n = sales_utf8_length(u + i, len - i);

			if (n == 3)   /* a CJK character: decoded here */
				cp = (uint32_t)(u[i] & 0x0F) << 12 |
				     (uint32_t)(u[i + 1] & 0x3F) << 6 |
				     (uint32_t)(u[i + 2] & 0x3F);
			else if (!n || !utf8_sequence(u + i, len - i, &cp))
				cp = REPLACEMENT_CHAR;   /* as sales_utf8_decode */
			i += n ? n : 1;
			if (cp >= 0xFF01 && cp <= 0xFF5E) {  /* full-width ASCII */
				cp -= 0xFEE0;
				if (cp >= 'A' && cp <= 'Z')
					cp += 'a' - 'A';
			}
		}
		if (key_separator(cp)) {
			pending_break = true;
			continue;
		}
		k->cp[k->n] = simplify(cp);
		k->break_before[k->n] = pending_break;
		k->n++;
		pending_break = false;
	}
	while (strip_company_form(k))
		;
}

size_t sales_name_key(const char *s, size_t len, char *out, size_t cap)
{
	struct name_cps k;
	size_t o = 0;

	name_key_cps(s, len, &k);
	if (!cap)
		return 0;
	/* as outbuf_put: the key stops before the first character that
	 * does not fit with its '\0' */
	for (size_t i = 0; i < k.n; i++) {
		char enc[4];
		size_t n = utf8_encode(k.cp[i], enc);

		if (o + n >= cap)
			break;
		memcpy(out + o, enc, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

uint64_t sales_name_key_hash(const char *s, size_t len)
{
	struct name_cps k;
	uint64_t h = SALES_HASH_SEED;
	size_t o = 0;

	name_key_cps(s, len, &k);
	for (size_t i = 0; i < k.n; i++) {
		char enc[4];
		size_t n = utf8_encode(k.cp[i], enc);

		if (o + n >= SALES_NAME_KEY_CAP)
			break;   /* where sales_name_key's key in so many stops */
		o += n;
		for (size_t b = 0; b < n; b++)
			h = SALES_HASH_STEP(h, (unsigned char)enc[b]);
	}
	return h;
}

uint32_t sales_name_key_first(const char *s, size_t len)
{
	pthread_once(&trad_once, trad_filter_make);
	for (size_t i = 0; i < len; ) {
		uint32_t cp;

		i += sales_utf8_decode(s + i, len - i, &cp);
		if (cp >= 0xFF01 && cp <= 0xFF5E)	/* as sales_name_key */
			cp -= 0xFEE0;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (!key_separator(cp))
			return simplify(cp);
	}
	return 0;
}

#define EDIT_MAX_CPS 256

int sales_edit_distance(const char *a, size_t alen, const char *b, size_t blen,
			int max)
{
	uint32_t ca[EDIT_MAX_CPS], cb[EDIT_MAX_CPS];
	int row[EDIT_MAX_CPS + 1];
	size_t na, nb;
	int over;

	if (max < 0)
		max = 0;
	over = max == INT_MAX ? INT_MAX : max + 1;
	if (alen == blen && (!alen || !memcmp(a, b, alen)))
		return 0;
	if (!decode_all(a, alen, ca, EDIT_MAX_CPS, &na) ||
	    !decode_all(b, blen, cb, EDIT_MAX_CPS, &nb))
		return over;
	if ((na > nb ? na - nb : nb - na) > (size_t)max)
		return over;

	for (size_t j = 0; j <= nb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		int diag = row[0];	/* row[i-1][j-1] */
		int row_min;

		row[0] = (int)i;
		row_min = row[0];
		for (size_t j = 1; j <= nb; j++) {
			int up = row[j];
			int best = diag + (ca[i - 1] != cb[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < row_min)
				row_min = best;
		}
		if (row_min > max)	/* rows never get smaller */
			return over;
	}
	return row[nb] > max ? over : row[nb];
}

/* Bytes of the blank character starting at s (n bytes left), or 0. */
static size_t blank_head(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
		       s[0] == '\n'))
		return 1;
	if (n >= 2 && s[0] == '\xC2' && s[1] == '\xA0')
		return 2;
	if (n >= 3 && s[0] == '\xE3' && s[1] == '\x80' && s[2] == '\x80')
		return 3;
	return 0;
}

/* Bytes of the blank character ending at s + n, or 0. */
static size_t blank_tail(const char *s, size_t n)
{
	if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		       s[n - 1] == '\r' || s[n - 1] == '\n'))
		return 1;
	if (n >= 2 && s[n - 2] == '\xC2' && s[n - 1] == '\xA0')
		return 2;
	if (n >= 3 && s[n - 3] == '\xE3' && s[n - 2] == '\x80' &&
	    s[n - 1] == '\x80')
		return 3;
	return 0;
}

size_t sales_trim_head(const char *s, size_t len)
{
	size_t used = 0, b;

	while ((b = blank_head(s + used, len - used)) > 0)
		used += b;
	return used;
}

/* sales_trim's part for a value that may have blanks at either end */
const char *sales_trim_blanks(const char *s, size_t *len)
{
	size_t head = sales_trim_head(s, *len);
	size_t n = *len - head, b;

	s += head;
	while ((b = blank_tail(s, n)) > 0)
		n -= b;
	*len = n;
	return s;
}

uint64_t sales_hash_fast(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;

		memcpy(&w, s, len);
		h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
	}
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 29;
	return h;
}

uint64_t sales_hash(const char *s, size_t len)
{
	uint64_t h = SALES_HASH_SEED;

	for (size_t i = 0; i < len; i++)
		h = SALES_HASH_STEP(h, (unsigned char)s[i]);
	return h;
}
