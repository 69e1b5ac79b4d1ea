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

# Machine output is the same in every language: JSON keys and check names,
# CSV headers, exit statuses; only the messages change.
test_i18n_machine_output_unchanged() {
	zh_locale || return 0
	example_workbook wb
	sed -i 's/^\(1,科技有限公司,[^,]*,[^,]*,[^,]*,[^,]*,\)[^,]*/\11.38E+10/' wb/01-leads.csv
	export SALES_TODAY=2024-01-15
	for args in "check --format json" "report --format json" "due --within 400 --format json" \
		    "status 科技有限公司 --format json" "score --format json" "lead list --format json"; do
		sales_in C.UTF-8 -C wb $args
		rc_en=$rc
		tr -d '\n' <"$out" | grep -o '"[a-z_]*":' | sort -u >keys.en
		grep -o '"check":"[a-z]*"' "$out" | sort >checks.en
		sales_in zh_CN.UTF-8 -C wb $args
		[ "$rc" = "$rc_en" ] || fail "$args: exit $rc in zh_CN, $rc_en in C"
		tr -d '\n' <"$out" | grep -o '"[a-z_]*":' | sort -u >keys.zh
		grep -o '"check":"[a-z]*"' "$out" | sort >checks.zh
		[ -s keys.en ] || fail "$args: no JSON keys"
		cmp -s keys.en keys.zh || fail "$args: JSON keys differ between C and zh_CN"
		cmp -s checks.en checks.zh || fail "$args: check names differ between C and zh_CN"
	done
	# the check finds the mangled phone in both, named 'values'; its message is Chinese
	sales_in zh_CN.UTF-8 -C wb check --format json
	expect_rc 1
	grep -q '"check":"values"' "$out" || fail "check found no 'values' problem"
	grep -q '"message":"[^"]*被 Excel' "$out" || fail "the JSON message is not Chinese: $(head -c 300 "$out")"
	sales_in C.UTF-8 -C wb report --format csv
	head -n 1 "$out" >h.en
	sales_in zh_CN.UTF-8 -C wb report --format csv
	head -n 1 "$out" | cmp -s h.en - || fail "CSV header differs between C and zh_CN"
	sales_in C.UTF-8 -C wb check --format github
	grep -o 'title=[^:]*' "$out" >t.en
	[ -s t.en ] || fail "no github annotation"
	sales_in zh_CN.UTF-8 -C wb check --format github
	grep -o 'title=[^:]*' "$out" | cmp -s t.en - || fail "github annotation titles differ between C and zh_CN"
}

# Every command's help is Chinese under zh_CN, English under C.
test_i18n_help_is_chinese() {
	zh_locale || return 0
	for c in init export config lead score status survey solution contract approve \
		 plan acceptance followup exception report due check; do
		sales_in zh_CN.UTF-8 $c -h
		grep -q '^用法：' "$out" || fail "sales $c -h: not Chinese: $(head -n 1 "$out")"
	done
	sales_in zh_CN.UTF-8 --help
	expect_out_has '在 CSV 工作簿上运行的标准化 B2B 销售流程'
	expect_out_has '用法：'
	sales_in zh_CN.UTF-8 report -h
	expect_out_has '季度，如 2023Q4'
	sales_in C.UTF-8 report -h
	expect_out_has 'the quarter, e.g. 2023Q4'
	# a failing command: the error is Chinese, the exit status the same
	example_workbook wb
	sales_in zh_CN.UTF-8 -C wb status 不存在的公司
	expect_rc 1
	expect_err_has "错误：工作簿 中没有名为 '不存在的公司' 的客户"
	SALES_TODAY=2024-01-15 sales_in zh_CN.UTF-8 -C wb due --within 400
	expect_out_has '截至 2024-01-15，400 天内到期的事项'
}

# The bash completion, driven the way bash drives it.
test_completion_bash() {
	need_tool bash "bash" || return 0
	example_workbook wb
	cat >drive.sh <<EOS
. "$ROOT/completion/sales.bash"
comp() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _sales; printf '%s\n' "\${COMPREPLY[@]}" | sort | tr '\n' ' '; echo; }
cd "$tmp/wb"
comp "$SALES_BIN" ''
comp "$SALES_BIN" le
comp "$SALES_BIN" lead ''
comp "$SALES_BIN" lead list --st
comp "$SALES_BIN" lead list --grade ''
comp "$SALES_BIN" status ''
comp "$SALES_BIN" check st
comp "$SALES_BIN" -C "$tmp/wb" approve ''
comp "$SALES_BIN" due --owner 张
comp "$SALES_BIN" report --by ''
comp "$SALES_BIN" config deadline.
comp "$SALES_BIN" acceptance add --result ''
EOS
	LC_ALL=C.UTF-8 bash drive.sh >got 2>err || fail "the completion failed: $(cat err)"
	for w in acceptance approve check config contract due exception export lead report status; do
		sed -n 1p got | grep -qw "$w" || fail "commands: $(sed -n 1p got)"
	done
	sed -n 2p got | grep -qx 'lead ' || fail "le: $(sed -n 2p got)"
	# the sub-commands sales lead -h names (so a new one appears by itself)
	for w in add import list set; do
		sed -n 3p got | grep -qw "$w" || fail "lead: $(sed -n 3p got)"
	done
	sed -n 4p got | grep -qx -- '--stale --status ' || fail "lead list --st: $(sed -n 4p got)"
	sed -n 5p got | grep -qx 'A A类 B B类 C C类 ' || fail "--grade: $(sed -n 5p got)"
	# the customers of the workbook (examples/01-leads.csv)
	sed -n 6p got | grep -qx 'YY商贸有限公司 科技有限公司 ' || fail "status: $(sed -n 6p got)"
	sed -n 7p got | grep -qx 'stages stalled ' || fail "check st: $(sed -n 7p got)"
	sed -n 8p got | grep -qx 'HT20231001 ' || fail "approve: $(sed -n 8p got)"
	sed -n 9p got | grep -qx '张伟 ' || fail "due --owner 张: $(sed -n 9p got)"
	sed -n 10p got | grep -qx 'owner product_line region workbook ' || fail "report --by: $(sed -n 10p got)"
	sed -n 11p got | grep -qx 'deadline.proposal_days deadline.screening_days ' || fail "config: $(sed -n 11p got)"
	sed -n 12p got | grep -qx '不合格 合格 ' || fail "--result: $(sed -n 12p got)"
}

# The zsh completion, with compadd replaced by a printer.
test_completion_zsh() {
	need_tool zsh "zsh" || return 0
	example_workbook wb
	cat >drive.zsh <<EOS
compadd() { local a p=; for a in "\$@"; do case \$a in -a|--|-*) ;; *) if [[ \$p == -a ]]; then print -l -- \${(P)a}; else print -- \$a; fi ;; esac; p=\$a; done }
_files() { }
cd "$tmp/wb"
source "$ROOT/completion/_sales" >/dev/null 2>&1
comp() { words=("\$@"); CURRENT=\${#words}; _sales | sort | tr '\n' ' '; print }
comp "$SALES_BIN" lead ''
comp "$SALES_BIN" status ''
comp "$SALES_BIN" due --owner ''
EOS
	zsh -f drive.zsh >got 2>err || fail "the zsh completion failed: $(cat err)"
	for w in add import list set; do
		sed -n 1p got | grep -qw "$w" || fail "lead: $(sed -n 1p got)"
	done
	sed -n 2p got | grep -qx 'YY商贸有限公司 科技有限公司 ' || fail "status: $(sed -n 2p got)"
	sed -n 3p got | grep -q '张伟' || fail "due --owner: $(sed -n 3p got)"
}

# make install: the binary, its catalog, the man pages (en, zh_CN) and both
# completions; the installed binary finds its catalog.
test_install() {
	need_tool groff "groff (man pages)" || return 0
	make -s -C "$ROOT" -o cmd/gen/paths.h install DESTDIR="$tmp/d" PREFIX=/usr >make.out 2>&1 ||
		{ fail "make install failed"; sed 's/^/    /' make.out | tail -n 5 >&2; return 0; }
	for f in bin/sales share/locale/zh_CN/LC_MESSAGES/sales.mo \
		 share/man/man1/sales.1 share/man/man1/sales-check.1 share/man/man1/sales-report.1 \
		 share/man/man1/sales-lead.1 share/man/man1/sales-stage.1 \
		 share/man/man5/sales-workbook.5 share/man/man5/sales.conf.5 \
		 share/man/man1/sales-init.1 share/man/man1/sales-export.1 share/man/man1/sales-config.1 \
		 share/man/man1/sales-pool.1 share/man/man1/sales-review.1 share/man/man1/sales-sql.1 \
		 share/man/man1/sales-diff.1 share/man/zh_CN/man1/sales-diff.1 share/man/zh_CN/man1/sales-pool.1 \
		 share/man/man1/sales-due.1 share/man/man1/sales-import.1 share/man/zh_CN/man1/sales-hook.1 \
		 share/man/zh_CN/man1/sales-survey.1 share/man/zh_CN/man1/sales-fix.1 \
		 share/man/zh_CN/man1/sales.1 share/man/zh_CN/man1/sales-check.1 \
		 share/man/zh_CN/man5/sales-workbook.5 share/man/zh_CN/man5/sales.conf.5 \
		 share/bash-completion/completions/sales share/zsh/site-functions/_sales; do
		[ -s "$tmp/d/usr/$f" ] || fail "not installed: /usr/$f"
	done
	(unset LC_ALL; LANG=zh_CN.UTF-8 "$tmp/d/usr/bin/sales" --bogus) >/dev/null 2>err
	grep -qF "未知选项 '--bogus'" err || fail "the installed binary does not find its catalog: $(cat err)"
	for m in "$tmp"/d/usr/share/man/man?/* "$tmp"/d/usr/share/man/zh_CN/man?/*; do
		groff -Tutf8 -ww -man -z "$m" 2>warn
		[ -s warn ] && fail "groff warns on $(basename "$m"): $(head -n 2 warn)"
	done
	LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$tmp/d/usr/share/man/zh_CN/man1/sales-report.1" 2>/dev/null |
		grep -q '同比变化' || fail "the Chinese sales-report(1) does not read as Chinese"
	# a second name of a page is a link to it: man sales-due finds sales-report(1)
	[ "$(readlink "$tmp/d/usr/share/man/man1/sales-due.1")" = sales-report.1 ] ||
		fail "sales-due.1 is not a link to sales-report.1"
	LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$tmp/d/usr/share/man/zh_CN/man1/sales-hook.1" 2>/dev/null |
		grep -q 'sales hook install' || fail "the Chinese sales-hook(1) link does not show sales-diff(1)"
	make -s -C "$ROOT" -o cmd/gen/paths.h uninstall DESTDIR="$tmp/d" PREFIX=/usr >make.out 2>&1 ||
		fail "make uninstall failed"
	left=$(find "$tmp/d/usr/share/man" -name 'sales*' | head -n 3)
	[ -z "$left" ] || fail "make uninstall left $left"
}

# english_prose FILE NAMES: prints the lines of FILE (zh_CN output) that still
# hold English prose: two English words in a row, once usage lines, quoted
# values, options, file names, cells, settings, placeholders (DATE) and the
# names of commands and sub-commands (NAMES) are taken out.
english_prose() {
	LC_ALL=C.UTF-8 awk -v names="$2" '
		BEGIN { n = split(names, w, " "); for (i = 1; i <= n; i++) skip[w[i]] = 1 }
		/^(用法：|   或：)/ { next }
		{
			line = $0
			gsub(/\047[^\047]*\047/, " ", line)          # quoted values
			gsub(/"[^"]*"/, " ", line)
			gsub(/`[^`]*`/, " ", line)
			gsub(/\[[^]]*\]/, " ", line)                 # [section], [--opt]
			gsub(/<[^>]*>/, " ", line)
			gsub(/--?[A-Za-z][A-Za-z0-9-]*(=[^ ]*)?/, " ", line)
			gsub(/[^ ]*[._\/=$:@%#][^ ]*/, " ", line)    # files, keys, cells, paths
			out = ""
			m = split(line, t, /[ \t]+/)
			for (i = 1; i <= m; i++)
				out = out " " ((t[i] in skip || t[i] ~ /^[A-Z0-9]+$/) ? "|" : t[i])
			if (out ~ /[A-Za-z][a-z]+[ ,]+[A-Za-z]?[a-z]+/)
				print FILENAME ": " $0
		}' "$1"
}

# Under zh_CN no English prose is left: every command's and sub-command's
# help, and a set of failing commands.
test_i18n_no_english_prose() {
	zh_locale || return 0
	example_workbook wb
	LC_ALL=C.UTF-8 "$SALES_BIN" --help | awk '/^Commands:/ { on = 1; next } on && /^    [a-z]/ { print $1 }' >cmds
	names="sales $(tr '\n' ' ' <cmds)"
	: >prose
	n=0
	for c in $(grep -vx help cmds); do
		subs=$(LC_ALL=C.UTF-8 "$SALES_BIN" -C wb $c -h 2>&1 | awk -v cmd=$c '
			/^(usage|   or): sales / { for (i = 1; i < NF; i++) if ($i == cmd && $(i + 1) ~ /^[a-z]+$/) { print $(i + 1); break } }' | sort -u)
		names="$names $(echo $subs)"
		for s in "" $subs; do
			sales_in zh_CN.UTF-8 -C wb $c $s -h
			cat "$errf" >>"$out"
			cp "$out" "help.$c.$s"
			n=$((n + 1))
		done
	done
	# failing commands, each a message people must act on
	cp -r wb bad
	sed -i 's/^\(1,科技有限公司,[^,]*,[^,]*,[^,]*,[^,]*,\)[^,]*/\11.38E+10/' bad/01-leads.csv
	printf '不存在公司,2024-01-02\n' >>bad/02-surveys.csv
	i=0
	while read -r args; do
		i=$((i + 1))
		SALES_TODAY=2024-01-15 sales_in zh_CN.UTF-8 $args
		cat "$out" "$errf" >"fail.$i"
		[ "$rc" != 0 ] || fail "expected a failure: sales $args"
	done <<'EOS'
-C bad check
-C bad check --explain
-C wb status 不存在的公司
-C wb lead add 科技有限公司
-C wb lead set 科技有限公司
-C wb lead list --grade D
-C wb report --quarter 2024Q5
-C wb report --by team
-C wb approve HT000 --as 法务 --by 李娜
-C wb approve HT20231001 --as 销售经理 --by 张伟
-C wb contract sign HT20231001
-C wb survey add --customer 不存在的公司
-C wb solution review 科技有限公司 --by 张伟 --pass
-C wb export nosuchsheet
-C wb config nosuch
-C wb score 不存在
-C nowhere check
nosuchcommand
--bogus
EOS
	for f in help.* fail.*; do
		english_prose "$f" "$names" >>prose
	done
	[ "$n" -gt 20 ] || fail "only $n help pages looked at"
	if [ -s prose ]; then
		fail "English prose under zh_CN ($(wc -l <prose) lines):"
		head -n 40 prose | sed 's/^/    /' >&2
	fi
}
