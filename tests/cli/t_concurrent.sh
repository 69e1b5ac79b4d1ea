# Issue 8: concurrent writers.  CONCURRENT_PROCS processes (default 8) each
# run CONCURRENT_CMDS mixed commands (default 12; `make stress` runs 100,
# ten times) on one workbook at once: lead add, lead set, contract add,
# approve, score --write, followup add, and commands that are refused
# (a duplicate lead, a lead or contract of another process not there yet,
# an approval out of turn).  Afterwards the changed sheets equal a
# sequential replay of audit.csv on the sheets before (every change made
# from the value the one before left: no update lost), every command that
# succeeded is in the audit and every refused one left no trace (the
# values a command writes end in 号 or z, so none is a prefix of another).

# concurrent_worker P N WB: process P's commands, logged as "I RC COMMAND"
# lines in log.P.
concurrent_worker() {
	p=$1 n=$2 wb=$3
	other=$((p % ${CONCURRENT_PROCS:-8} + 1))
	i=0
	while [ "$i" -lt "$n" ]; do
		case $((i % 12)) in
		0) set -- lead add "并发p${p}_$i" --industry 制造业 --owner 张伟 \
			--phone "$(printf '13%d%08d' "$p" "$i")" ;;
		1) set -- lead set "并发p${p}_$((i - 1))" --note "备注p${p}_${i}号" ;;
		2) set -- lead set "并发p${other}_$((i - 2))" --note "他人p${p}_${i}号" ;;
		3) set -- contract add --contract "HTp${p}n${i}z" --customer 科技有限公司 \
			--amount $((100 + i)) ;;
		4) set -- approve "HTp${p}n$((i - 1))z" --as 销售经理 --by 吴磊 ;;
		5) set -- score --write ;;
		6) set -- followup add --customer 科技有限公司 --satisfaction $((p % 5 + 1)) \
			--feedback "反馈p${p}_${i}号" ;;
		7) set -- approve "HTp${p}n$((i - 4))z" --as 法务 --by 郑洁 ;;
		8) set -- approve "HTp${p}n$((i - 5))z" --as 总经理 --by 黄志明 ;;
		9) set -- approve "HTp${other}n$((i - 6))z" --as 销售经理 --by 吴磊 ;;
		10) set -- lead set "并发p${p}_$((i - 10))" --grade C类 --note "改p${p}_${i}号" ;;
		11) set -- lead add "并发p${other}_$((i - 11))" \
			--phone "$(printf '15%d%08d' "$p" "$i")" ;;
		esac
		SALES_USER=p$p SALES_TODAY=2024-01-15 SALES_LOCK_TIMEOUT=60 \
			"$SALES_BIN" -C "$wb" "$@" >/dev/null 2>"err.$p.$i"
		echo "$i $? $*" >>"log.$p"
		i=$((i + 1))
	done
}

test_concurrent_writers() {
	procs=${CONCURRENT_PROCS:-8}
	cmds=${CONCURRENT_CMDS:-12}
	example_workbook wb
	cp -a wb before
	mkdir replay
	for s in 01-leads 04-contracts 07-followups; do
		sales -C before export "$s.csv" --format tsv
		cp "$out" "replay/${s%%-*}.tsv"
	done
	p=1
	while [ "$p" -le "$procs" ]; do
		concurrent_worker "$p" "$cmds" "$tmp/wb" &
		p=$((p + 1))
	done
	wait

	# every command ended as done (0) or refused (1), never otherwise
	cat log.* >all.log
	[ "$(wc -l <all.log)" -eq $((procs * cmds)) ] || fail "$(wc -l <all.log) commands logged, expected $((procs * cmds))"
	awk '$2 != 0 && $2 != 1' all.log >odd.log
	if [ -s odd.log ]; then
		fail "commands that neither succeeded nor were refused: $(head -n 3 odd.log)"
		head -n 3 odd.log | while read -r i rc rest; do
			for e in err.*."$i"; do sed 's/^/    /' "$e"; done
		done | head -n 6 >&2
	fi
	grep -l 'busy' err.* >/dev/null 2>&1 && fail "a command gave up waiting for the lock"

	# the audit replayed on the sheets before gives the sheets after
	sales -C wb export audit.csv --format tsv
	tail -n +$(($(wc -l <before/audit.csv) + 1)) "$out" >added.tsv
	mkdir replayed
	awk -v OUT=replayed -f "$TESTS_DIR/replay.awk" replay/01.tsv replay/04.tsv \
		replay/07.tsv audit=1 added.tsv 2>replay.err || {
		fail "the audit does not replay: $(head -n 3 replay.err)"
	}
	for s in 01-leads 04-contracts 07-followups; do
		sales -C wb export "$s.csv" --format tsv
		cmp -s "$out" "replayed/${s%%-*}.tsv" || {
			fail "$s.csv differs from the replay of audit.csv"
			diff "replayed/${s%%-*}.tsv" "$out" | head -n 6 | sed 's/^/    /' >&2
		}
	done
	for f in before/*.csv; do
		case ${f##*/} in 01-leads.csv|04-contracts.csv|07-followups.csv|audit.csv) continue ;; esac
		cmp -s "$f" "wb/${f##*/}" || fail "${f##*/} changed"
	done
	ls -a wb | grep -q '\.tmp\.' && fail "temporary files left in the workbook"

	# done commands are in the audit, refused ones left no trace
	done_n=0 refused_n=0
	while read -r i rc cmd rest; do
		mark=
		case "$cmd $rest" in
		"lead set "*"--note "*) mark=${rest##*--note } ;;
		"lead add "*) mark=${rest##*--phone } ;;
		"followup add "*) mark=${rest##*--feedback } ;;
		"contract add "*) mark=${rest#*--contract }; mark=${mark%% *} ;;
		esac
		if [ "$rc" = 0 ]; then
			done_n=$((done_n + 1))
		else
			refused_n=$((refused_n + 1))
		fi
		[ -n "$mark" ] || continue
		if [ "$rc" = 0 ]; then
			grep -qF -- "$mark" added.tsv || fail "done but not in the audit: $cmd $rest"
		elif [ "$rc" = 1 ]; then
			grep -qF -- "$mark" added.tsv && fail "refused but in the audit: $cmd $rest"
			for s in 01-leads 04-contracts 07-followups; do
				grep -qF -- "$mark" "wb/$s.csv" && fail "refused but in $s.csv: $cmd $rest"
			done
		fi
	done <all.log
	# each approval that succeeded is one audit row of its approver
	ok_approvals=$(grep -c '^[0-9]* 0 approve ' all.log)
	audit_approvals=$(awk -F'\t' '$3 ~ /^approve/ && ($6 == "销售经理" || $6 == "法务" || $6 == "总经理")' added.tsv | wc -l)
	[ "$ok_approvals" = "$audit_approvals" ] ||
		fail "$ok_approvals approvals succeeded but the audit holds $audit_approvals"
	echo "  concurrent: $procs processes x $cmds commands: $done_n done, $refused_n refused, $(wc -l <added.tsv) audit rows replayed"
}
