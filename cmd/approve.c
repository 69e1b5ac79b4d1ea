/*
 * approve.c - `sales approve`: one approver's opinion on a contract, along
 * the contract's approval route (approval-rules.csv; without it the seed's
 * 销售经理 → 法务 → 总经理 in order, SPEC §4 rule 4).
 */
#include "stage.h"

#include <stdio.h>
#include <string.h>

#include "route.h"
#include "rules.h"

static const char *const approve_usage[] = {
	"sales approve <合同编号> --as 销售经理|法务|总经理|财务 --by NAME [--reject] [--opinion TEXT]",
	NULL,
};

int cmd_approve(int argc, const char **argv, struct sales_ctx *ctx)
{
	const char *role = NULL, *by = NULL, *opinion = NULL;
	bool reject = false;
	const struct opt opts[] = {
		OPT_STR(0, "as", &role, "ROLE", "销售经理, 法务, 总经理 or 财务 (as the contract's route names them)"),
		OPT_STR(0, "by", &by, "NAME", "the approver, holding that role in team.csv"),
		OPT_BOOLEAN(0, "reject", &reject, "reject the contract (审批状态 becomes 已驳回)"),
		OPT_STR(0, "opinion", &opinion, "TEXT", "the opinion written (default 同意, or 驳回)"),
		OPT_DONE,
	};
	struct sales_buf text = {0}, command = {0};
	struct sales_row_edit re = { 0 };
	struct sales_approval a;
	struct sales_context c;
	struct sales_error err;
	struct sales_txn t;
	const char *v[SALES_MAX_COLS], *state;
	const struct sales_route *route;
	char desc[400];
	int n, code, who, status = 0, found;

	n = parse_options(argc, argv, opts, approve_usage, &code);
	if (n < 0)
		return code;
	if (n != 1 || !role || !by) {
		error_msg(n != 1 ? "approve takes one 合同编号" :
			  !role ? N_("missing option '--as' (销售经理, 法务 or 总经理)") :
			  N_("missing option '--by' (the approver's name)"));
		print_usage(stderr, approve_usage, opts);
		return EXIT_USAGE;
	}
	who = sales_approver_index(role);
	if (who < 0) {
		error_msg("unknown approver role '%s' (expected 销售经理, 法务, 总经理 or 财务)",
			  role);
		return EXIT_USAGE;
	}
	sales_error_clear(&err);
	if (sales_opinion_text(reject, opinion, &text, &err) < 0) {
		error_msg("%s", err.message);
		return EXIT_USAGE;
	}
	sales_buf_printf(&command, "approve --as %s --by %s", role, by);
	if (change_begin(&t, &c, ctx, command.data, &err) < 0 ||
	    (found = sales_row_edit_open(&re, &t, SALES_CONTRACTS, CON_CONTRACT,
					 argv[0], &err)) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (sales_team_require(&c, by, &role, 1, NULL, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	if (!found) {
		status = report_missing_row(re.st, CON_CONTRACT, N_("contract"), argv[0]);
		goto out;
	}
	sales_row_edit_values(&re, v);
	if (!(route = sales_entry_contract_route(&t, &c, v, &err))) {
		if (err.code != SALES_ERULE) {
			status = report_error(&err);
			goto out;
		}
		error_msg("contract '%s': %s", argv[0], err.message);
		status = EXIT_PROBLEMS;
		goto out;
	}
	sales_approval_from(&a, v);
	if (sales_approval_may_act(&a, route, who, &err) < 0) {
		error_msg("contract '%s': %s", argv[0], err.message);
		if (!strcmp(sales_approval_status(&a, route), "已驳回"))
			note_msg("after revising it: sales contract resubmit %s",
				 argv[0]);
		status = EXIT_PROBLEMS;
		goto out;
	}
	a.op[who] = sales_opinion_of(text.data);
	state = sales_approval_status(&a, route);
	/* the route it followed goes into the audit rows' 命令 */
	strcpy(desc, "[route ");
	sales_route_describe(route, desc + strlen(desc),
			     sizeof(desc) - strlen(desc));
	if (route->line)
		snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc),
			 " approval-rules.csv:%ld %s]", route->line,
			 route->condition);
	else
		snprintf(desc + strlen(desc), sizeof(desc) - strlen(desc),
			 " seed chain]");
	if (sales_row_edit_set(&re, sales_approver_columns[who], text.data,
			       &err) < 0 ||
	    sales_row_edit_set(&re, CON_APPROVAL, state, &err) < 0 ||
	    sales_row_edit_write(&re, &err) < 0 ||
	    sales_txn_command_append(&t, desc, &err) < 0 ||
	    sales_txn_commit(&t, &err) < 0) {
		status = report_error(&err);
		goto out;
	}
	printf("%s: %s (%s %s: %s)\n", argv[0], state, role, by, text.data);
out:
	sales_row_edit_release(&re);
	change_end(&t, &c);
	sales_buf_release(&text);
	sales_buf_release(&command);
	return status;
}
