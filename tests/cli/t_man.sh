# The man pages (man/*.scd, man/zh_CN/*.scd, built by make): one for every
# command `sales --help` lists, in English and in Chinese, each rendering
# clean, and Chinese text without stray blanks at the source's line breaks.

# man_page_for LANGDIR CMD: the built page whose NAME names sales-CMD
# (help and version are in sales(1)).
man_page_for() {
	case $2 in help|version) echo "$1/sales.1"; return ;; esac
	for _p in "$1"/*.[15]; do
		sed -n '/^\.SH /{n;n;p;q}' "$_p" | grep -q "^sales-$2\(,\| \)\|, sales-$2\(,\| \)" && { echo "$_p"; return; }
	done
}

test_man_every_command_has_a_page() {
	need_tool groff "groff (man pages)" || return 0
	make -s -C "$ROOT" -o cmd/gen/paths.h $(cd "$ROOT" && ls man/*.scd man/zh_CN/*.scd | sed 's/\.scd$//') >make.out 2>&1 ||
		{ fail "make could not build the man pages"; sed 's/^/    /' make.out | tail -n 5 >&2; return 0; }
	LC_ALL=C.UTF-8 "$SALES_BIN" --help | awk '/^Commands:/ { on = 1; next } on && /^    [a-z]/ { print $1 }' >cmds
	[ "$(wc -l <cmds)" -ge 25 ] || fail "only $(wc -l <cmds) commands in sales --help"
	for c in $(cat cmds); do
		for l in man man/zh_CN; do
			p=$(man_page_for "$ROOT/$l" "$c")
			if [ -z "$p" ]; then
				fail "no page in $l names sales-$c"
				continue
			fi
			LC_ALL=C.UTF-8 MANWIDTH=100 man -l "$p" >page 2>man.err || fail "man -l $p failed: $(head -n 2 man.err)"
			case $c in help|version) w="$c" ;; *) w="sales $c" ;; esac
			grep -q "$w" page || fail "$(basename "$p") ($l) does not show '$w'"
		done
	done
	for p in "$ROOT"/man/*.[15] "$ROOT"/man/zh_CN/*.[15]; do
		groff -Tutf8 -ww -man -z "$p" 2>warn
		[ -s warn ] && fail "groff -Tutf8 -ww warns on $p: $(head -n 2 warn)"
		# what man(1) runs: no warning from it either
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$p" >/dev/null 2>warn
		[ -s warn ] && fail "man --warnings on $p: $(head -n 2 warn)"
	done
	# each English page has its Chinese one and back
	for p in "$ROOT"/man/*.scd; do
		[ -f "$ROOT/man/zh_CN/$(basename "$p")" ] || fail "no Chinese $(basename "$p")"
	done
	for p in "$ROOT"/man/zh_CN/*.scd; do
		[ -f "$ROOT/man/$(basename "$p")" ] || fail "no English $(basename "$p")"
	done
}

# Chinese text joined at the source's line breaks: rendered one paragraph a
# line, every blank between two CJK characters is one the source has.
test_man_chinese_no_stray_blanks() {
	need_tool groff "groff (man pages)" || return 0
	make -s -C "$ROOT" -o cmd/gen/paths.h $(cd "$ROOT" && ls man/zh_CN/*.scd | sed 's/\.scd$//') >make.out 2>&1 ||
		{ fail "make could not build the man pages"; return 0; }
	n=0
	for p in "$ROOT"/man/zh_CN/*.[15]; do
		LC_ALL=C.UTF-8 MANWIDTH=2000 man -l "$p" 2>/dev/null | sed 's/^ *//' >page
		python3 - page "$p.scd" <<'PY' >>stray || fail "python3 failed on $p"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
src = open(sys.argv[2], encoding="utf-8").read()
# the source's text as written on each line, markup removed
plain = re.sub(r"[*_]", "", src)
cjk = "[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
for m in re.finditer("(%s) +(%s)" % (cjk, cjk), page):
    a, b = m.group(1), m.group(2)
    if not re.search(re.escape(a) + " +" + re.escape(b), plain):
        ctx = page[max(0, m.start() - 12):m.end() + 12].replace("\n", " ")
        print("%s: stray blank in '%s'" % (sys.argv[2].rsplit("/", 1)[1], ctx))
PY
		n=$((n + 1))
	done
	[ "$n" -ge 10 ] || fail "only $n Chinese pages looked at"
	if [ -s stray ]; then
		fail "blanks between Chinese characters that the sources do not have:"
		head -n 10 stray | sed 's/^/    /' >&2
	fi
	# the fix is real: a paragraph broken across lines between two
	# characters reads as one word
	LC_ALL=C.UTF-8 MANWIDTH=2000 man -l "$ROOT/man/zh_CN/sales-init.1" 2>/dev/null |
		grep -q '另有 holidays.csv，内含 2019–2026 年中国大陆的法定节假日安排（休和班）。模板已编进程序' ||
		fail "sales-init(1): a Chinese paragraph is not joined at its line breaks"
}
