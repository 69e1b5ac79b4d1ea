#!/bin/sh
# seeds.sh DIR: builds each fuzzer's seed corpus under DIR/<fuzzer>/ from the
# tests: the example and template sheets (also as GB18030), every file of
# tests/corpus/, and the string literals of the unit tests.
set -eu
out=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "$out"
mkdir -p "$out/fuzz_sheet" "$out/fuzz_value" "$out/fuzz_settings" \
	"$out/fuzz_workbook"

# sheets: examples, templates, their GB18030 forms, the corpus
n=0
for f in "$root"/examples/*.csv "$root"/templates/*.csv; do
	n=$((n + 1))
	cp "$f" "$out/fuzz_sheet/ex-$n"
	# strip the BOM, then convert (as Chinese Excel saves "CSV (逗号分隔)")
	tail -c +4 "$f" | iconv -f UTF-8 -t GB18030 >"$out/fuzz_sheet/gb-$n" 2>/dev/null ||
		rm -f "$out/fuzz_sheet/gb-$n"
done
if [ -d "$root/tests/corpus" ]; then
	find "$root/tests/corpus" -type f -size -64k ! -name '*.expect' ! -name MANIFEST \
		! -name '*.sh' | while read -r f; do
		n=$((n + 1))
		cp "$f" "$out/fuzz_sheet/corpus-$(echo "$f" | cksum | cut -d' ' -f1)"
	done
fi
perl "$here/literals.pl" "$out/fuzz_sheet" "$root/tests/test_sheet.c"

# values: every literal of the value and text tests
perl "$here/literals.pl" "$out/fuzz_value" "$root/tests/test_value.c" \
	"$root/tests/test_text.c"

# settings: the literals of the settings tests (whole files among them)
perl "$here/literals.pl" "$out/fuzz_settings" "$root/tests/test_settings.c"

# workbook: a selector byte (the file, see fuzz_workbook.c) + the file
i=0
for t in 01-leads 02-surveys 03-solutions 04-contracts 05-plans \
	 06-acceptance 07-followups 08-kpi team exceptions holidays audit; do
	sel="\\$(printf '%03o' "$i")"   # printed by printf: NUL survives
	{ printf "$sel"; cat "$root/examples/$t.csv"; } >"$out/fuzz_workbook/$t"
	{ printf "$sel"; tail -c +4 "$root/examples/$t.csv" |
		iconv -f UTF-8 -t GB18030 2>/dev/null; } >"$out/fuzz_workbook/$t-gb"
	i=$((i + 1))
done
for f in "$out"/fuzz_settings/*; do
	{ printf '\014'; cat "$f"; } >"$out/fuzz_workbook/conf-$(basename "$f")"
done
echo "seeds: $(for d in "$out"/*; do printf '%s %s  ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"
