# replay.awk: replays an audit log on the sheets it changed, for
# t_concurrent.sh.  Input, tab-separated (sales export --format tsv):
#   01.tsv 04.tsv 07.tsv  the sheets before, header first
#   audit=1 FILE          the audit rows the commands added (no header):
#                         time user command sheet key column old new
# Writes OUT/01.tsv, OUT/04.tsv, OUT/07.tsv: the sheets after the replay.
# A cell whose value is not the row's "old" when its change is replayed is
# a lost update: reported on stderr, exit status 1.
#
# An "add" command's rows on its own sheet build one appended row (a column
# seen twice starts the next row); every other row sets a cell of the row
# its key names (unique keys in 01 and 04).
BEGIN {
	FS = OFS = "\t"
	primary["lead add"] = "01"
	primary["contract add"] = "04"
	primary["followup add"] = "07"
	keyname["01"] = "客户名称"
	keyname["04"] = "合同编号"
	keyname["07"] = "客户名称"
	bad = 0
}
!audit {
	s = substr(FILENAME, length(FILENAME) - 5, 2)
	if (FNR == 1) {
		ncol[s] = NF
		for (c = 1; c <= NF; c++) {
			hdr[s, c] = $c
			col[s, $c] = c
		}
		next
	}
	r = ++nrow[s]
	for (c = 1; c <= ncol[s]; c++)
		cell[s, r, c] = $c
	rowof[s, $col[s, keyname[s]]] = r
	next
}
{
	user = $2; command = $3; s = substr($4, 1, 2); key = $5
	column = $6; old = $7; new = $8
	if (!((s, column) in col)) {
		print "audit row " NR ": no column " column " in " $4 > "/dev/stderr"
		bad = 1
		next
	}
	c = col[s, column]
	if (primary[command] == s) {
		gid = user SUBSEP command SUBSEP key
		if (gid != group || ((s, c) in seen)) {
			r = ++nrow[s]
			for (k = 1; k <= ncol[s]; k++)
				cell[s, r, k] = ""
			if (s != "07")
				rowof[s, key] = r
			group = gid
			split("", seen)
		}
		seen[s, c] = 1
		if (old != "") {
			print "audit row " NR ": an added cell with an old value" > "/dev/stderr"
			bad = 1
		}
		cell[s, nrow[s], c] = new
		next
	}
	group = ""
	r = rowof[s, key]
	if (!r) {
		print "audit row " NR ": no row " key " in " $4 > "/dev/stderr"
		bad = 1
		next
	}
	if (cell[s, r, c] != old) {
		print "lost update: audit row " NR " (" user ", " command ") changes " key "/" column \
			" from '" old "' but the replay holds '" cell[s, r, c] "'" > "/dev/stderr"
		bad = 1
	}
	cell[s, r, c] = new
}
END {
	split("01 04 07", sheets, " ")
	for (i = 1; i <= 3; i++) {
		s = sheets[i]
		f = OUT "/" s ".tsv"
		line = ""
		for (c = 1; c <= ncol[s]; c++)
			line = line (c > 1 ? "\t" : "") hdr[s, c]
		print line > f
		for (r = 1; r <= nrow[s]; r++) {
			line = ""
			for (c = 1; c <= ncol[s]; c++)
				line = line (c > 1 ? "\t" : "") cell[s, r, c]
			print line > f
		}
		close(f)
	}
	exit bad
}
