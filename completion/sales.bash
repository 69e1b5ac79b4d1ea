# bash completion for sales(1)                             -*- shell-script -*-
#
# Everything that can go stale is asked of sales itself, in the C locale:
# the commands (sales --help), each command's sub-commands and options
# (sales CMD [SUB] -h), the check names (sales check --list), the settings
# (sales config --list), and the customers and team of the current workbook
# (sales export leads / team).  Only the enumerated cell values are listed
# here (they are the sheets' own words, see sales-workbook(5)).

# _sales_run ARGS...: sales in the C locale with the -C DIR the line gave.
_sales_run()
{
	local bin=${_sales_bin:-sales}
	LC_ALL=C LANGUAGE= command "$bin" ${_sales_dir:+-C "$_sales_dir"} "$@" 2>/dev/null
}

_sales_commands()
{
	_sales_run --help | awk '/^Commands:/ { on = 1; next } on && /^    [a-z]/ { print $1 } on && /^$/ { on = 0 }'
}

# The sub-commands a command's usage lines name: "usage: sales lead add ...".
_sales_subcommands()
{
	_sales_run "$1" -h | awk -v cmd="$1" '
		/^(usage|   or): sales / {
			for (i = 1; i < NF; i++)
				if ($i == cmd && $(i + 1) ~ /^[a-z]+$/) { print $(i + 1); break }
		}' | sort -u
}

# Every --option a command's help names (its usage and its option list).
_sales_options()
{
	_sales_run "$@" -h | grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}

# The values of one column of a sheet, by its Chinese or English header.
_sales_column()
{
	_sales_run export "$1" --format tsv | awk -F '\t' -v h1="$2" -v h2="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == h1 || $i == h2) col = i; next }
		col && $col != "" { print $col }' | sort -u
}

# _sales_reply WORDS CUR: WORDS one a line (names may hold spaces).
_sales_reply()
{
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

# _sales_static "a b c" CUR: a fixed list of words.
_sales_static()
{
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_sales()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local i=1 cmd= sub= word
	local _sales_dir= _sales_bin=${COMP_WORDS[0]}

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# global options, then the command and its sub-command
	while ((i < COMP_CWORD)); do
		word=${COMP_WORDS[i]}
		case $word in
		-C) _sales_dir=${COMP_WORDS[i + 1]}; ((i += 2)); continue ;;
		-C?*) _sales_dir=${word#-C} ;;
		--encoding) ((i += 2)); continue ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=$word
			elif [[ -z $sub && $prev != --* ]]; then
				sub=$word
			fi
			;;
		esac
		((i++))
	done
	_sales_dir=${_sales_dir/#\~/$HOME}

	if [[ -z $cmd ]]; then
		case $prev in
		-C) COMPREPLY=($(compgen -d -- "$cur")); return ;;
		--encoding) _sales_static "auto utf-8 gbk gb18030" "$cur"; return ;;
		esac
		if [[ $cur == -* ]]; then
			_sales_static "-C --encoding --strict-csv --wait-unlocked --color --help --version" "$cur"
		else
			_sales_reply "$(_sales_commands)" "$cur"
		fi
		return
	fi

	# the value of an option
	case $prev in
	--format|-f)
		_sales_static "table csv tsv json ndjson md github" "$cur"; return ;;
	--grade) _sales_static "A类 B类 C类 A B C" "$cur"; return ;;
	--status) _sales_static "新线索 跟进中 已签约 已丢单 公海" "$cur"; return ;;
	--result) _sales_static "合格 不合格" "$cur"; return ;;
	--type) _sales_static "跳过环节 延期 底线让步" "$cur"; return ;;
	--stage)
		_sales_static "客户开发 需求分析 方案制定 谈判签约 项目交付 项目验收 售后跟进 复盘优化" "$cur"; return ;;
	--as) _sales_static "销售经理 法务 总经理 财务" "$cur"; return ;;
	--encoding) _sales_static "auto utf-8 gbk gb18030" "$cur"; return ;;
	--quarter|-q) _sales_static "current" "$cur"; return ;;
	--by)
		if [[ $cmd == report ]]; then
			_sales_static "owner region product_line workbook" "$cur"
		else
			_sales_reply "$(_sales_column team 姓名 name)" "$cur"
		fi
		return ;;
	--owner|-o|--approver|--surveyor|--rep)
		_sales_reply "$(_sales_column team 姓名 name)" "$cur"; return ;;
	--customer)
		_sales_reply "$(_sales_column leads 客户名称 customer)" "$cur"; return ;;
	--region) _sales_reply "$(_sales_column leads 区域 region)" "$cur"; return ;;
	--product-line) _sales_reply "$(_sales_column leads 产品线 product_line)" "$cur"; return ;;
	--unset) _sales_reply "$(_sales_run config --list | cut -d= -f1)" "$cur"; return ;;
	esac

	local subs
	subs=$(_sales_subcommands "$cmd")
	if [[ -z $sub && -n $subs && $cur != -* ]]; then
		case $cmd in
		report) ;;   # `report` alone is the KPI report: sub-command or not
		*) _sales_reply "$subs" "$cur"; return ;;
		esac
	fi
	if [[ $cur == -* ]]; then
		if [[ -n $sub ]] && grep -qx -- "$sub" <<<"$subs"; then
			_sales_reply "$(_sales_options "$cmd" "$sub")" "$cur"
		else
			_sales_reply "$(_sales_options "$cmd")" "$cur"
		fi
		return
	fi
	case $cmd in
	help) _sales_reply "$(_sales_commands)" "$cur" ;;
	check) _sales_reply "$(_sales_run check --list | awk 'NR > 1 { print $1 }')" "$cur" ;;
	export)
		_sales_static "leads surveys solutions contracts plans acceptance followups kpi team exceptions holidays audit" "$cur"
		local IFS=$'\n'
		COMPREPLY+=($(compgen -f -X '!*.csv' -- "$cur"))
		;;
	config) _sales_reply "$(_sales_run config --list | cut -d= -f1)" "$cur" ;;
	init) COMPREPLY=($(compgen -d -- "$cur")) ;;
	report)
		_sales_static "kpi $subs" "$cur"
		COMPREPLY+=($(compgen -d -- "$cur"))
		;;
	status|score)
		_sales_reply "$(_sales_column leads 客户名称 customer)" "$cur" ;;
	lead)
		[[ $sub == set ]] && _sales_reply "$(_sales_column leads 客户名称 customer)" "$cur" ;;
	solution)
		[[ $sub == review ]] && _sales_reply "$(_sales_column leads 客户名称 customer)" "$cur" ;;
	approve)
		_sales_reply "$(_sales_column contracts 合同编号 contract)" "$cur" ;;
	contract)
		[[ $sub != add ]] && _sales_reply "$(_sales_column contracts 合同编号 contract)" "$cur" ;;
	esac
}

complete -F _sales sales
