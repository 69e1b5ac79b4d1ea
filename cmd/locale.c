/*
 * locale.c - which language the messages speak, and where the catalog is.
 *
 * The environment chooses, by the usual gettext rules (LANGUAGE, then
 * LC_ALL, LC_MESSAGES, LANG); Chinese for any zh_* locale (zh_CN, zh_SG and,
 * with the same simplified catalog, zh_TW, zh_HK), English for C and
 * everything else.  A workbook's sales.conf may set ui.language for a team
 * whose machines lack the locale; it wins over the environment.
 *
 * Numbers are always printed the C way (LC_NUMERIC stays "C"): the tables,
 * CSV and JSON must not turn 1.5 into 1,5 in a German locale.
 */
#include "cmd.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen/paths.h"
#include "settings.h"
#include "workbook.h"

static bool is_c_locale(const char *name)
{
	return !name || !strcmp(name, "C") || !strcmp(name, "POSIX");
}

/* The first non-empty of LC_ALL, LC_MESSAGES, LANG: what the user asked for. */
static const char *requested_messages_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	return NULL;
}

/* gettext ignores LANGUAGE under the C locale; C.UTF-8 (or another UTF-8
 * locale) keeps the numbers and the ASCII behaviour and lets it count. */
static void usable_messages_locale(void)
{
	static const char *const fallbacks[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };

	if (!is_c_locale(setlocale(LC_MESSAGES, NULL)))
		return;
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
		if (setlocale(LC_MESSAGES, fallbacks[i]))
			return;
}

/*
 * Appends "zh_CN" after every other Chinese entry of a LANGUAGE-style list
 * ("zh_TW.UTF-8:en" -> "zh_TW:zh_CN:en"), so zh_TW, zh_HK, zh_SG and plain
 * zh find the one catalog we ship.  Entries lose their codeset (the catalog
 * is bound to UTF-8 anyway).  Returns a malloc'd string or NULL.
 */
static char *with_chinese_fallback(const char *list)
{
	size_t n = strlen(list);
	char *out = malloc(n * 2 + 16), *o = out;
	const char *p = list;

	if (!out)
		return NULL;
	while (*p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t base = strcspn(p, ".@:");

		if (base > len)
			base = len;
		if (base) {
			if (o != out)
				*o++ = ':';
			memcpy(o, p, base);
			o += base;
			if (!strncmp(p, "zh", 2) && (base == 2 || p[2] == '_') &&
			    !(base == 5 && !strncmp(p, "zh_CN", 5))) {
				memcpy(o, ":zh_CN", 6);
				o += 6;
			}
		}
		p += len;
		if (*p == ':')
			p++;
	}
	*o = '\0';
	return out;
}

static void set_language_list(const char *list)
{
	char *v = with_chinese_fallback(list);

	if (v && *v)
		setenv("LANGUAGE", v, 1);
	free(v);
}

/* ui.language ("auto" or unset: *lang NULL) and ui.color from the
 * workbook's sales.conf, malloc'd. */
static void configured_ui(const char *dir_opt, char **lang, char **color)
{
	struct sales_settings *s = NULL;
	struct sales_error err;
	char *dir = NULL, *path = NULL;
	const char *v;

	*lang = *color = NULL;
	sales_error_clear(&err);
	if (sales_workbook_find(dir_opt, &dir, &err) < 0)
		return;
	path = sales_path_join(dir, SALES_SETTINGS_FILE);
	if (path && access(path, R_OK) == 0 &&
	    sales_settings_load(path, &s, &err) == 0) {
		v = sales_settings_get(s, "ui.language");
		if (v && *v && strcmp(v, "auto"))
			*lang = strdup(v);
		v = sales_settings_get(s, "ui.color");
		if (v && *v)
			*color = strdup(v);
	}
	sales_settings_free(s);
	free(path);
	free(dir);
}

static bool has_catalog(const char *dir)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/zh_CN/LC_MESSAGES/%s.mo", dir,
		 SALES_TEXTDOMAIN);
	return access(path, R_OK) == 0;
}

/*
 * Where the catalogs are: $SALES_LOCALEDIR; else, run from the build tree,
 * the locale/ that msgfmt wrote beside ./sales; else, installed, the
 * share/locale beside its bin/ (so a moved prefix still finds them); else
 * the LOCALEDIR it was built for.
 */
static const char *locale_dir(void)
{
	static char found[4200];
	const char *env = getenv("SALES_LOCALEDIR");
	char self[4000], *slash;
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if (!strcmp(self, SALES_BUILD_DIR "/sales"))
			return SALES_BUILD_DIR "/locale";
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(found, sizeof(found), "%s/../share/locale", self);
			if (has_catalog(found))
				return found;
		}
	}
	return SALES_LOCALEDIR;
}

void setup_locale(void)
{
	const char *want;

	if (!setlocale(LC_ALL, "")) {
		/* The locale the user asked for is not installed: keep its
		 * language for the messages on top of C.UTF-8. */
		setlocale(LC_CTYPE, "");
		setlocale(LC_MESSAGES, "");
		want = requested_messages_locale();
		if (!is_c_locale(want) && strncmp(want, "C.", 2) &&
		    !getenv("LANGUAGE")) {
			set_language_list(want);
			usable_messages_locale();
			if (is_c_locale(setlocale(LC_CTYPE, NULL)))
				setlocale(LC_CTYPE, "C.UTF-8");
		}
	}
	setlocale(LC_NUMERIC, "C");
	{
		const char *lang = getenv("LANGUAGE");
		const char *msgs = setlocale(LC_MESSAGES, NULL);

		if (lang && *lang && !is_c_locale(msgs))
			set_language_list(lang);
		else if (msgs && !strncmp(msgs, "zh", 2))
			set_language_list(msgs);
	}
	bindtextdomain(SALES_TEXTDOMAIN, locale_dir());
	bind_textdomain_codeset(SALES_TEXTDOMAIN, "UTF-8");
	textdomain(SALES_TEXTDOMAIN);
	sales_i18n_changed();
}

void apply_configured_ui(const char *dir_opt)
{
	char *lang, *color, *cur;
	enum color_when w;

	configured_ui(dir_opt, &lang, &color);
	/* a value config refuses is ignored here: check and config name it */
	if (color && color_when_parse(color, &w) == 0)
		color_set_configured(w);
	free(color);
	if (!lang)
		return;
	if (!strcmp(lang, "en") || !strncmp(lang, "en_", 3) ||
	    is_c_locale(lang)) {
		setenv("LANGUAGE", "en", 1);
	} else {
		set_language_list(lang);
		usable_messages_locale();
	}
	/* setting a locale again makes gettext forget what it looked up */
	cur = setlocale(LC_MESSAGES, NULL);
	cur = cur ? strdup(cur) : NULL;
	if (cur)
		setlocale(LC_MESSAGES, cur);
	free(cur);
	free(lang);
	sales_i18n_changed();
}
