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
 */
#ifndef SALES_I18N_H
#define SALES_I18N_H

#include <libintl.h>

#define SALES_TEXTDOMAIN "sales"

#define _(s) dgettext(SALES_TEXTDOMAIN, s)
#define N_(s) (s)
#define P_(singular, plural, n) dngettext(SALES_TEXTDOMAIN, singular, plural, n)

#endif
