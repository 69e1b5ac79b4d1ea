/*
 * i18n.h - the one place human text meets gettext (text domain "sales").
 *
 * Wrap every message a person reads: _("...") where it is used, N_("...")
 * in a static table (translated where it is printed), ngettext for counts.
 * Machine output -- JSON keys, check names, CSV/TSV keys, exit codes, the
 * titles of --format github annotations -- never goes through these.
 *
 * libsales marks its messages too (they end up in struct sales_error and
 * are printed by cmd/); the catalog is bound once, in cmd/sales.c.
 *
 * _() remembers its answers: a lookup costs glibc a few thousand
 * instructions (getenv, the domain search), and check asks the same few
 * messages once per finding.  Its argument must therefore be text that
 * never changes (a literal or a static table entry), as xgettext wants it
 * anyway.  Whoever changes the language (LANGUAGE, setlocale LC_MESSAGES,
 * bindtextdomain) calls sales_i18n_changed() afterwards.
 */
#ifndef SALES_I18N_H
#define SALES_I18N_H

#include <libintl.h>

#define SALES_TEXTDOMAIN "sales"

/* dgettext(SALES_TEXTDOMAIN, msgid), remembered per thread. */
const char *sales_gettext(const char *msgid) __attribute__((format_arg(1)));

/* Forgets every remembered translation (the language changed). */
void sales_i18n_changed(void);

#define _(s) sales_gettext(s)
#define N_(s) (s)
#define P_(singular, plural, n) dngettext(SALES_TEXTDOMAIN, singular, plural, n)

#endif
