/*
 * term.c - what sales shows only to a person at a terminal: colour, the
 * progress line of a long read, and the line saying that a command waits
 * for the workbook lock.  Every command prints through these, so the rules
 * live here once:
 *
 * - Colour: on a stream that is a terminal (and TERM is not "dumb") with
 *   --color=auto, the default; --color=always/never, else sales.conf's
 *   ui.color, decide otherwise; NO_COLOR set to anything turns it off,
 *   whatever else says.  stdout is never coloured when the command prints
 *   a machine format (parse_options calls output_is_machine), and the
 *   machine printers never ask for colour.
 * - Progress and the lock wait: on stderr, only when stderr is a terminal,
 *   drawn in place with \r and blanks (no escape codes, so any terminal
 *   shows it) and wiped before any message and at the end.  The progress
 *   line appears only once the command has run for a second (or at once
 *   for a file of 32 MB or more), and never while a machine format, or a
 *   command that prints as it reads (export), goes to a terminal too: it
 *   must not end up among the output (into a file, stdout and the line
 *   stay apart).
 */
#include "cmd.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "sheet.h"
#include "text.h"
#include "workbook.h"

/* ---- colour ---- */

static enum color_when color_option = COLOR_UNSET;
static enum color_when color_configured = COLOR_UNSET;
static bool machine_output;
static int color_decided[3] = { -1, -1, -1 };   /* by fd: 1 stdout, 2 stderr */

int color_when_parse(const char *s, enum color_when *w)
{
	if (!strcmp(s, "auto"))
		*w = COLOR_AUTO;
	else if (!strcmp(s, "always"))
		*w = COLOR_ALWAYS;
	else if (!strcmp(s, "never"))
		*w = COLOR_NEVER;
	else
		return -1;
	return 0;
}

void color_set_option(enum color_when w)
{
	color_option = w;
	color_decided[1] = color_decided[2] = -1;
}

void color_set_configured(enum color_when w)
{
	color_configured = w;
	color_decided[1] = color_decided[2] = -1;
}

void output_is_machine(void)
{
	machine_output = true;
	color_decided[1] = -1;
}

static bool is_terminal(int fd)
{
	const char *term = getenv("TERM");

	return isatty(fd) && !(term && !strcmp(term, "dumb"));
}

static bool wants_color(FILE *f)
{
	int fd = fileno(f);
	enum color_when w;

	if (fd != 1 && fd != 2)
		return false;
	if (color_decided[fd] >= 0)
		return color_decided[fd];
	w = color_option != COLOR_UNSET ? color_option :
	    color_configured != COLOR_UNSET ? color_configured : COLOR_AUTO;
	if (getenv("NO_COLOR") || (fd == 1 && machine_output) || w == COLOR_NEVER)
		color_decided[fd] = 0;
	else
		color_decided[fd] = w == COLOR_ALWAYS || is_terminal(fd);
	return color_decided[fd];
}

const char *color_on(FILE *f, enum color_role r)
{
	static const char *const sgr[] = {
		[COLOR_ERROR] = "\033[1;31m", [COLOR_WARNING] = "\033[1;33m",
		[COLOR_NOTE] = "\033[1;36m", [COLOR_HEADING] = "\033[1m",
		[COLOR_PLACE] = "\033[1m", [COLOR_GOOD] = "\033[32m",
	};

	return wants_color(f) ? sgr[r] : "";
}

const char *color_off(FILE *f)
{
	return wants_color(f) ? "\033[m" : "";
}

enum color_role color_for_severity(int severity)
{
	switch (severity) {
	case SALES_SEV_ERROR: return COLOR_ERROR;
	case SALES_SEV_WARNING: return COLOR_WARNING;
	default: return COLOR_NOTE;
	}
}

void heading_print(FILE *f, const char *text)
{
	fprintf(f, "%s%s%s\n", color_on(f, COLOR_HEADING), text, color_off(f));
}

/* ---- the line drawn in place on stderr ---- */

static int drawn_width;   /* columns of what is on the line now, 0: nothing */

static int term_columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Draws text over the line (cut to the terminal's width, the rest of the
 * old text blanked), leaving the cursor at its start. */
static void draw_line(const char *text)
{
	char line[512];
	int cols = term_columns() - 1, w;
	size_t n;

	if (cols < 10)
		cols = 10;
	n = sales_utf8_cut(text, strlen(text), sizeof(line) - 1);
	w = (int)sales_utf8_width(text, n);
	while (w > cols && n > 0) {
		n = sales_utf8_cut(text, n, n - 1);
		w = (int)sales_utf8_width(text, n);
	}
	memcpy(line, text, n);
	line[n] = '\0';
	fprintf(stderr, "\r%s", line);
	for (int i = w; i < drawn_width; i++)
		fputc(' ', stderr);
	fputc('\r', stderr);
	fflush(stderr);
	drawn_width = w > 0 ? w : 1;
}

void progress_clear(void)
{
	if (!drawn_width)
		return;
	fputc('\r', stderr);
	for (int i = 0; i < drawn_width; i++)
		fputc(' ', stderr);
	fputc('\r', stderr);
	fflush(stderr);
	drawn_width = 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long started_ms;
static bool streams_to_stdout;
static int progress_ok = -1;

/* $SALES_PROGRESS_DELAY_MS: after how long a read shows its progress
 * (default 1000; tests set 0). */
static long progress_delay_ms(void)
{
	const char *env = getenv("SALES_PROGRESS_DELAY_MS");

	return env && *env ? atol(env) : 1000;
}

static bool progress_allowed(void)
{
	if (progress_ok < 0)
		progress_ok = isatty(STDERR_FILENO) &&
			      !((machine_output || streams_to_stdout) &&
				isatty(STDOUT_FILENO));
	return progress_ok;
}

#define PROGRESS_BIG_FILE (32ull << 20)

/* "812 KB", "120.3 MB" */
static const char *size_text(unsigned long long n, char *buf, size_t cap)
{
	if (n < 1000000)
		snprintf(buf, cap, "%llu KB", (n + 999) / 1000);
	else
		snprintf(buf, cap, "%.1f MB", (double)n / 1e6);
	return buf;
}

static void on_read_progress(const char *name, unsigned long long done,
			     unsigned long long total, bool finished, void *ud)
{
	static long long last_draw;
	long long now;
	char text[400], size[64], a[24], b[24];

	(void)ud;
	if (finished) {
		progress_clear();
		return;
	}
	if (!progress_allowed())
		return;
	now = now_ms();
	if (now - started_ms < progress_delay_ms() && total < PROGRESS_BIG_FILE)
		return;
	if (drawn_width && now - last_draw < 100)
		return;
	last_draw = now;
	if (total > 0) {
		if (done > total)
			done = total;
		snprintf(size, sizeof(size), _("%s of %s"),
			 size_text(done, a, sizeof(a)), size_text(total, b, sizeof(b)));
		snprintf(text, sizeof(text), _("reading %s: %d%% (%s)"), name,
			 (int)(done * 100 / total), size);
	} else {
		snprintf(text, sizeof(text), _("reading %s: %s"), name,
			 size_text(done, a, sizeof(a)));
	}
	draw_line(text);
}

/* ---- waiting for the workbook lock ---- */

static void on_lock_wait(const struct sales_lock_holder *h, long waited_ms,
			 long timeout_ms, bool done, bool got, void *ud)
{
	static bool told;
	static long shown_s = -1;
	char who[400], text[600];

	(void)ud;
	if (done) {
		if (told) {
			progress_clear();
			if (got)
				note_msg(_("got the workbook lock after %.1f s"),
					 (double)waited_ms / 1000);
		}
		told = false;
		shown_s = -1;
		return;
	}
	if (waited_ms < 1000 && timeout_ms > 0)
		return;
	sales_lock_holder_text(h, who, sizeof(who));
	if (!isatty(STDERR_FILENO)) {
		if (!told)
			note_msg(_("the workbook is locked by %s: waiting up to %ld s for it"),
				 who, (timeout_ms + 999) / 1000);
		told = true;
		return;
	}
	told = true;
	if (waited_ms / 1000 == shown_s)
		return;
	shown_s = waited_ms / 1000;
	snprintf(text, sizeof(text),
		 _("waiting for the workbook lock: %s holds it (%ld s of at most %ld s)"),
		 who, shown_s, (timeout_ms + 999) / 1000);
	draw_line(text);
}

static void clear_at_exit(void)
{
	progress_clear();
}

void term_setup(bool streams)
{
	started_ms = now_ms();
	streams_to_stdout = streams;
	progress_ok = -1;
	sales_set_read_progress_handler(on_read_progress, NULL);
	sales_set_lock_wait_handler(on_lock_wait, NULL);
	atexit(clear_at_exit);
}
