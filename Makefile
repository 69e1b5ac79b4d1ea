# sales - a C toolkit for a standardized B2B sales process on a CSV workbook.
#
#   make            build ./sales
#   make deps       install the build dependencies (apt-get, as root)
#   make test-deps  install the real programs the tests drive (LibreOffice, ...)
#   make test       every cmocka unit test and every CLI test
#   make demo       the main job on examples/
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60; clang)
#   make stress     the crash and concurrency tests, heavier, STRESS_ROUNDS times
#   make po         re-extract po/sales.pot and merge it into po/*.po
#   make install    PREFIX=/usr/local DESTDIR=
#   DEVELOPER=1     adds -Werror;  SANITIZE=address,undefined  sanitizer build

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DOCDIR ?= $(PREFIX)/share/doc/sales
LOCALEDIR ?= $(PREFIX)/share/locale
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

CC ?= cc
CFLAGS ?= -O2 -g
SALES_VERSION = 0.1.0
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Ilibsales -MMD -MP -DSALES_VERSION='"$(SALES_VERSION)"' $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS = -lcsv -lxlsxwriter -lzip -lexpat -lpthread -lm

ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

LIB_SRC := $(sort $(wildcard libsales/*.c))
LIB_OBJ := $(LIB_SRC:.c=.o)
CMD_SRC := $(sort $(wildcard cmd/*.c))
CMD_OBJ := $(CMD_SRC:.c=.o)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:.c=)

DEB_PACKAGES = libcsv-dev libcmocka-dev
DEB_PACKAGES += libxlsxwriter-dev   # export --format xlsx
DEB_PACKAGES += libzip-dev libexpat1-dev   # import FILE.xlsx
DEB_PACKAGES += gettext   # xgettext, msgmerge, msgfmt: the message catalogs
DEB_PACKAGES += scdoc     # the man pages (man/*.scd)

# What the tests drive for real (installed by `make test-deps`, and by CI).
# One line per purpose, so that each feature adds its own.
TEST_DEB_PACKAGES = valgrind
TEST_DEB_PACKAGES += gnumeric   # ssconvert reads and writes the .xlsx and CSV a rep would (t_spreadsheet)
TEST_DEB_PACKAGES += libreoffice-calc-nogui   # soffice --headless re-saves sheets as a rep would (t_spreadsheet)
TEST_DEB_PACKAGES += unzip   # looks inside an .xlsx (t_spreadsheet)
TEST_DEB_PACKAGES += python3   # tests/cli/agree.py compares check, status and due (t_agree)
TEST_DEB_PACKAGES += git   # the workbook in git: check --new-from-rev, diff, textconv, hooks (t_git)
TEST_DEB_PACKAGES += locales   # localedef builds zh_CN.UTF-8 for the i18n tests
TEST_DEB_PACKAGES += chromium   # renders sales review --format html headless (screenshot, DOM)
TEST_DEB_PACKAGES += fonts-wqy-microhei   # CJK glyphs in that screenshot
TEST_DEB_PACKAGES += zsh   # the zsh completion is loaded and asked for real (t_i18n)
TEST_NPM_PACKAGES =
TEST_NPM_PACKAGES += @duckdb/node-api   # sales sql --dialect duckdb, run for real (t_sql)
TEST_DEB_PACKAGES += postgresql-15   # sales sql --dialect postgres: a throwaway cluster (t_sql)
TEST_DEB_PACKAGES += clickhouse-server   # sales sql --dialect clickhouse: a throwaway loopback server (t_sql)
TEST_DEB_PACKAGES += clickhouse-client   # ... and the client that runs the script

.PHONY: all deps test-deps test fuzz-syntax unit-test cli-test demo install uninstall clean bench memcheck fuzz stress po po-check FORCE

# The languages we ship a catalog for (po/<lang>.po), compiled into the
# build tree's locale/ (which ./sales finds) and installed to LOCALEDIR.
LINGUAS = zh_CN
MO_FILES := $(LINGUAS:%=locale/%/LC_MESSAGES/sales.mo)

# The man pages, English and Chinese, from one source form (scdoc); every
# non-ASCII character written as \[uXXXX] so that groff needs no preconv,
# and Chinese lines joined at the source's line breaks (man/roff-ascii.pl).
# A page naming several commands (NAME "sales-report, sales-due, ...") is
# installed with a link for each, so `man sales-due` finds it.
MAN_SRC := $(sort $(wildcard man/*.scd)) $(sort $(wildcard man/zh_CN/*.scd))
MAN_PAGES := $(MAN_SRC:.scd=)
# man_names PAGE: the other names its NAME line gives it
man_names = sed -n 's/^\(sales[-a-z.]*\(, sales-[a-z]*\)*\) - .*/\1/p' $(1).scd | head -n 1 | \
	tr -d ' ' | tr ',' '\n' | grep -vx "$$(basename $(1) .$${sec})"

all: sales $(MO_FILES) $(MAN_PAGES)

man/%: man/%.scd man/roff-ascii.pl
	scdoc <$< | perl man/roff-ascii.pl >$@.tmp && mv $@.tmp $@

EMBED_FILES := $(sort $(wildcard templates/*.csv)) $(sort $(wildcard examples/*.csv))

sales: $(CMD_OBJ) cmd/gen/embedded.o libsales/libsales.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CMD_OBJ) cmd/gen/embedded.o libsales/libsales.a $(ALL_LDFLAGS) $(LIBS)

cmd/gen/embedded.c: templates/embed.sh $(EMBED_FILES)
	@mkdir -p cmd/gen
	sh templates/embed.sh $@ templates: $(sort $(wildcard templates/*.csv)) examples: $(sort $(wildcard examples/*.csv))

cmd/gen/embedded.o: cmd/gen/embedded.c
	$(CC) $(ALL_CFLAGS) -Icmd -c -o $@ $<

# Where the binary looks for its catalogs: LOCALEDIR when installed, this
# folder's locale/ when run as ./sales here; rewritten only when it changes,
# so `make install PREFIX=/usr` rebuilds with the right path.
cmd/gen/paths.h: FORCE
	@mkdir -p cmd/gen
	@printf '#define SALES_LOCALEDIR "%s"\n#define SALES_BUILD_DIR "%s"\n' \
		'$(LOCALEDIR)' '$(CURDIR)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

cmd/locale.o: cmd/gen/paths.h

locale/%/LC_MESSAGES/sales.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# Besides _() N_() P_(), the functions that translate their format argument
# themselves (the message sinks) are keywords, so their literals are
# extracted without a _() at every call: keep this list in step with them.
XGETTEXT_KEYWORDS = _ N_ P_:1,2 \
	error_msg warning_msg note_msg \
	sales_error_set:6 PERR:2 reader_fail:7 warn:5 bad:2 AT:5 NEXT:2 say:6 \
	add:9 append_message:3 add_pending:6 add_item:6 import_error:5 \
	OPT_BOOLEAN:4 OPT_STR:5 OPT_NUM:5 OPT_TITLE:1
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C \
	$(addprefix --keyword=,$(XGETTEXT_KEYWORDS)) --flag=error_msg:1:c-format \
	--flag=warning_msg:1:c-format --flag=note_msg:1:c-format \
	--flag=sales_error_set:6:c-format --flag=PERR:2:c-format \
	--flag=reader_fail:7:c-format --flag=warn:5:c-format --flag=add:9:c-format \
	--flag=bad:2:c-format --flag=AT:5:c-format --flag=NEXT:2:c-format --flag=say:6:c-format \
	--flag=append_message:3:c-format --flag=add_pending:6:c-format \
	--flag=add_item:6:c-format --flag=import_error:5:c-format \
	--add-comments=TRANSLATORS: --add-location=file \
	--package-name=sales --package-version=$(SALES_VERSION) --sort-by-file

# Re-extracts every marked message and merges it into each catalog; then
# translate what msgmerge left empty or fuzzy (make test fails on those).
po:
	xgettext $(XGETTEXT_FLAGS) -o po/sales.pot $(LIB_SRC) $(CMD_SRC) $(wildcard libsales/*.h cmd/*.h)
	for l in $(LINGUAS); do msgmerge --quiet --update --backup=none --no-fuzzy-matching \
		--add-location=file --sort-by-file po/$$l.po po/sales.pot; done

libsales/libsales.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

%.o: %.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests/test_%: tests/test_%.c tests/testutil.h libsales/libsales.a
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< libsales/libsales.a $(ALL_LDFLAGS) $(LIBS) -lcmocka

# Installs what the build needs on Debian when it is missing.  As root it runs
# apt-get; otherwise it prints the one command to run.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all present ($(DEB_PACKAGES))"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "deps: missing$$missing; run: sudo apt-get install -y$$missing"; exit 1; fi

# The real programs the tests drive (LibreOffice, a database, a browser, ...),
# installed with --no-install-recommends when missing; npm packages go into
# tests/node_modules.  A CLI test whose tool is missing fails under CI=true.
test-deps:
	@missing=""; for p in $(TEST_DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "test-deps: all present"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "test-deps: installing$$missing"; \
		(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			-o DPkg::Lock::Timeout=600 --no-install-recommends $$missing; \
	else echo "test-deps: missing$$missing; run: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; fi
	@if [ -n "$(strip $(TEST_NPM_PACKAGES))" ]; then \
		for p in $(TEST_NPM_PACKAGES); do [ -d tests/node_modules/$$p ] || need=1; done; \
		if [ -n "$${need:-}" ]; then cd tests && npm install --no-audit --no-fund --no-save $(TEST_NPM_PACKAGES); fi; \
	fi

test: po-check fuzz-syntax unit-test cli-test

# The fuzz harnesses (tests/fuzz, built with clang by `make fuzz`) compile
# against the library as it is now: a change to a libsales struct that
# breaks one fails here, not only in CI's fuzz step.
fuzz-syntax:
	@for f in $(wildcard tests/fuzz/fuzz_*.c); do \
		$(CC) $(ALL_CFLAGS) -Wno-unused-parameter -Itests/fuzz -DSALES_ROOT='"."' -fsyntax-only $$f || exit 1; \
	done; echo "fuzz harnesses: $(words $(wildcard tests/fuzz/fuzz_*.c)) compile"

# Every message has its translation: extracts the sources as they are now
# (not po/sales.pot, which may be stale), merges each catalog with it and
# fails on any untranslated or fuzzy message, or a format msgfmt rejects.
po-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	xgettext $(XGETTEXT_FLAGS) -o "$$tmp/sales.pot" $(LIB_SRC) $(CMD_SRC) $(wildcard libsales/*.h cmd/*.h) && \
	status=0 && for l in $(LINGUAS); do \
		msgmerge --quiet --no-fuzzy-matching -o "$$tmp/$$l.po" po/$$l.po "$$tmp/sales.pot" && \
		stats=$$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$$tmp/$$l.po" 2>&1) || status=1; \
		echo "po/$$l.po: $$stats"; \
		case $$stats in *untranslated*|*fuzzy*) status=1; \
			LC_ALL=C msgattrib --untranslated "$$tmp/$$l.po" | grep '^msgid ' | sed -n '2,11p' | sed 's/^/    needs a translation: /'; \
			echo "  run 'make po' and translate them in po/$$l.po"; ;; esac; \
	done; exit $$status

unit-test: $(TEST_BIN)
	@status=0; for t in $(TEST_BIN); do ./$$t || status=1; done; exit $$status

# Under CI=true a test whose real tool is missing fails (need_tool), so a CI
# run installs what is missing first; elsewhere such a test is skipped.
cli-test: sales $(MO_FILES) $(MAN_PAGES)
	@if [ "$${CI:-}" = true ]; then $(MAKE) --no-print-directory test-deps; fi
	@sh tests/cli/run.sh ./sales

demo: sales
	@sh examples/demo.sh ./sales

bench: sales
	$(MAKE) -C tests/bench

memcheck: sales
	@SALES_VALGRIND=1 sh tests/cli/run.sh ./sales

STRESS_ROUNDS ?= 10
stress: sales
	@sh tests/cli/stress.sh ./sales $(STRESS_ROUNDS)

FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# The templates are built into the binary; the holiday data's licence and
# the README go with it.
install: sales $(MO_FILES) $(MAN_PAGES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 sales $(DESTDIR)$(BINDIR)/sales
	install -m 644 README.md templates/holidays-cn.LICENSE $(DESTDIR)$(DOCDIR)/
	for m in $(MAN_PAGES); do \
		sec=$${m##*.}; case $$m in man/zh_CN/*) d=$(MANDIR)/zh_CN/man$$sec ;; *) d=$(MANDIR)/man$$sec ;; esac; \
		install -d $(DESTDIR)$$d && install -m 644 $$m $(DESTDIR)$$d/ || exit 1; \
		for n in $$($(call man_names,$$m)); do ln -sf $${m##*/} $(DESTDIR)$$d/$$n.$$sec || exit 1; done; \
	done
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 completion/sales.bash $(DESTDIR)$(BASHCOMPDIR)/sales
	install -m 644 completion/_sales $(DESTDIR)$(ZSHCOMPDIR)/_sales
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 locale/$$l/LC_MESSAGES/sales.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/sales.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sales
	rm -rf $(DESTDIR)$(DOCDIR)
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/sales.mo; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/sales $(DESTDIR)$(ZSHCOMPDIR)/_sales
	for m in $(MAN_PAGES); do \
		sec=$${m##*.}; case $$m in man/zh_CN/*) d=$(MANDIR)/zh_CN/man$$sec ;; *) d=$(MANDIR)/man$$sec ;; esac; \
		rm -f $(DESTDIR)$$d/$${m##*/}; \
		for n in $$($(call man_names,$$m)); do rm -f $(DESTDIR)$$d/$$n.$$sec; done; \
	done

clean:
	rm -f sales libsales/libsales.a $(LIB_OBJ) $(CMD_OBJ) $(TEST_BIN)
	rm -rf cmd/gen libsales/*.d cmd/*.d tests/*.d locale $(MAN_PAGES)

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
