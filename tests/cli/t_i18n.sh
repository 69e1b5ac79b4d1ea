# Messages in Chinese (gettext, po/zh_CN.po): which language is chosen, that
# the catalog is found, and that machine output does not change with it.

# zh_locale: sets $ZH_LOCPATH to a folder holding zh_CN.UTF-8 (built once
# with localedef under tests/cli/out/ when the system lacks it); "" when the
# system has it.  Fails the test when it cannot be had.
zh_locale() {
	if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\{0,1\}8'; then
		ZH_LOCPATH=
		return 0
	fi
	ZH_LOCPATH=$ROOT/tests/cli/out/locale
	[ -d "$ZH_LOCPATH/zh_CN.UTF-8" ] && return 0
	need_tool localedef "Debian locales (make test-deps)" || return 1
	mkdir -p "$ZH_LOCPATH"
	localedef -i zh_CN -f UTF-8 "$ZH_LOCPATH/zh_CN.UTF-8" 2>/dev/null ||
		[ -d "$ZH_LOCPATH/zh_CN.UTF-8" ] || { fail "localedef could not build zh_CN.UTF-8"; return 1; }
}

# sales_in LOCALE ARGS...: runs sales with LC_ALL=LOCALE (and the private
# LOCPATH, where zh_CN.UTF-8 lives).
sales_in() {
	_loc=$1
	shift
	if [ -n "${ZH_LOCPATH:-}" ]; then
		LOCPATH=$ZH_LOCPATH
		export LOCPATH
	fi
	LC_ALL=$_loc
	export LC_ALL
	sales "$@"
	LC_ALL=C.UTF-8
	unset LOCPATH
}

test_i18n_locale_chooses_language() {
	zh_locale || return 0
	sales_in zh_CN.UTF-8 --bogus
	expect_rc 2
	expect_err_has "未知选项 '--bogus'"
	sales_in C.UTF-8 --bogus
	expect_err_has "unknown option '--bogus'"
	sales_in C --bogus
	expect_err_has "unknown option '--bogus'"
	# zh_TW and zh_HK read the same (simplified) catalog; zh_SG too
	for l in zh_TW.UTF-8 zh_HK.UTF-8 zh_SG.UTF-8; do
		sales_in $l --bogus
		expect_err_has "未知选项 '--bogus'"
	done
	# LANGUAGE comes first, but not under the C locale (gettext's rule)
	LANGUAGE=zh_CN sales_in C.UTF-8 --bogus
	expect_err_has "未知选项 '--bogus'"
	LANGUAGE=zh_CN sales_in C --bogus
	expect_err_has "unknown option '--bogus'"
	LANGUAGE=en sales_in zh_CN.UTF-8 --bogus
	expect_err_has "unknown option '--bogus'"
}

# LANG=zh_CN.UTF-8 on a machine without that locale still speaks Chinese.
test_i18n_missing_locale_still_chinese() {
	(unset LC_ALL; LANG=zh_CN.UTF-8 LOCPATH=$tmp/none "$SALES_BIN" --bogus) >/dev/null 2>err
	grep -qF "未知选项 '--bogus'" err || fail "not Chinese: $(cat err)"
	(unset LC_ALL; LANG=de_DE.UTF-8 LOCPATH=$tmp/none "$SALES_BIN" --bogus) >/dev/null 2>err
	grep -qF "unknown option '--bogus'" err || fail "not English: $(cat err)"
}

# sales.conf's ui.language, for a team whose machines lack the locale; it
# works under plain C too (gettext gets C.UTF-8 underneath).
test_i18n_ui_language_setting() {
	example_workbook wb
	printf '[ui]\n\tlanguage = zh_CN\n' >wb/sales.conf
	sales_in C -C wb --bogus
	expect_err_has "未知选项 '--bogus'"
	(cd wb && LC_ALL=C "$SALES_BIN" --bogus) >/dev/null 2>err
	grep -qF "未知选项" err || fail "ui.language not found from the current folder"
	zh_locale || return 0
	printf '[ui]\n\tlanguage = en\n' >wb/sales.conf
	sales_in zh_CN.UTF-8 -C wb --bogus
	expect_err_has "unknown option '--bogus'"
	printf '[ui]\n\tlanguage = auto\n' >wb/sales.conf
	sales_in zh_CN.UTF-8 -C wb --bogus
	expect_err_has "未知选项 '--bogus'"
}

# SALES_LOCALEDIR overrides where the catalog is looked for.
test_i18n_localedir_override() {
	mkdir empty
	SALES_LOCALEDIR=$tmp/empty LANGUAGE=zh_CN sales --bogus
	expect_err_has "unknown option '--bogus'"
	SALES_LOCALEDIR=$ROOT/locale LANGUAGE=zh_CN sales --bogus
	expect_err_has "未知选项 '--bogus'"
}
