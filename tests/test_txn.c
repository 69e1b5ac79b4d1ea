/* test_txn.c - transactions: edits, appends, the audit trail, refusals
 * that leave every byte alone, and the context loader. */
#include "testutil.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "context.h"
#include "txn.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	setenv("SALES_USER", "tester", 1);
	return test_tmpdir(dir, "test_txn", 1);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static char *slurp(const char *file)
{
	char *p = sales_path_join(dir, file), *data;
	size_t len;
	struct sales_error err;

	assert_int_equal(sales_read_file(p, &data, &len, &err), 0);
	free(p);
	return data;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_set_and_audit(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	struct sales_sheet_table *st;
	char *before = slurp("01-leads.csv"), *after, *audit = slurp("audit.csv");
	int audit_lines = count_lines(audit);

	(void)state;
	free(audit);
	assert_int_equal(sales_txn_begin(&t, dir, "lead set", &err), 0);
	st = sales_txn_sheet(&t, SALES_LEADS, &err);
	assert_non_null(st);
	assert_string_equal(sales_sheet_table_get(st, 1, LEAD_CUSTOMER), "YY商贸有限公司");
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 1, LEAD_STATUS, "已丢单", &err), 0);
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 1, LEAD_NOTE, "决策人未明确", &err), 0);
	assert_int_equal(sales_txn_changes(&t), 1);   /* the note did not change */
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);

	after = slurp("01-leads.csv");
	/* only the status cell of row 3 changed */
	assert_non_null(strstr(after, "决策人未明确,2023-10-08,已丢单,华东"));
	assert_int_equal(strlen(after), strlen(before) + strlen("已丢单") - strlen("跟进中"));
	assert_memory_equal(after, before, (size_t)(strstr(before, "YY") - before));
	audit = slurp("audit.csv");
	assert_int_equal(count_lines(audit), audit_lines + 1);
	assert_non_null(strstr(audit, ",tester,lead set,01-leads.csv,YY商贸有限公司,客户状态,跟进中,已丢单\r\n"));
	free(before);
	free(after);
	free(audit);
}

static void test_refused_txn_writes_nothing(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	char *before = slurp("04-contracts.csv"), *abefore = slurp("audit.csv");
	char *after, *aafter;

	(void)state;
	assert_int_equal(sales_txn_begin(&t, dir, "approve", &err), 0);
	assert_non_null(sales_txn_sheet(&t, SALES_CONTRACTS, &err));
	assert_int_equal(sales_txn_set(&t, SALES_CONTRACTS, 0, CON_GM, "驳回", &err), 0);
	sales_txn_end(&t);   /* no commit: a refusal */
	after = slurp("04-contracts.csv");
	aafter = slurp("audit.csv");
	assert_string_equal(before, after);
	assert_string_equal(abefore, aafter);
	free(before);
	free(after);
	free(abefore);
	free(aafter);
}

/* No temporary file (.NAME.tmp.PID) is left in dir. */
static void assert_no_temp_files(void)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "ls -a %s | grep -q '\\.tmp\\.'", dir);
	assert_int_not_equal(system(cmd), 0);
}

/* A change to two sheets where the second was saved from Excel meanwhile:
 * the commit is refused and the first sheet is not written either. */
static void test_commit_is_all_or_nothing(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	char *leads = slurp("01-leads.csv"), *audit = slurp("audit.csv");
	char *after, *path = sales_path_join(dir, "04-contracts.csv");
	FILE *f;

	(void)state;
	assert_int_equal(sales_txn_begin(&t, dir, "contract sign", &err), 0);
	assert_non_null(sales_txn_sheet(&t, SALES_LEADS, &err));
	assert_non_null(sales_txn_sheet(&t, SALES_CONTRACTS, &err));
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 0, LEAD_STATUS, "已丢单", &err), 0);
	assert_int_equal(sales_txn_set(&t, SALES_CONTRACTS, 0, CON_GM, "驳回", &err), 0);
	usleep(20000);
	f = fopen(path, "ab");
	assert_non_null(f);
	fputs("HT20240101,某公司,1,,,,,,,,,,\r\n", f);
	fclose(f);
	assert_int_equal(sales_txn_commit(&t, &err), -1);
	assert_int_equal(err.code, SALES_ECHANGED);
	sales_txn_end(&t);
	after = slurp("01-leads.csv");
	assert_string_equal(after, leads);
	free(after);
	after = slurp("audit.csv");
	assert_string_equal(after, audit);
	assert_no_temp_files();
	free(after);
	free(leads);
	free(audit);
	free(path);
}

static void test_append_is_o1_and_audited(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	const char *v[FU_NCOLS] = { 0 };
	char *before = slurp("07-followups.csv"), *after, *audit;

	(void)state;
	v[FU_CUSTOMER] = "科技有限公司";
	v[FU_DATE] = "2024-04-10";
	v[FU_CHANNEL] = "电话回访";
	v[FU_SATISFACTION] = "4";
	assert_int_equal(sales_txn_begin(&t, dir, "followup add", &err), 0);
	assert_int_equal(sales_txn_append(&t, SALES_FOLLOWUPS, v, &err), 0);
	assert_int_equal(sales_txn_changes(&t), 4);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	after = slurp("07-followups.csv");
	assert_memory_equal(after, before, strlen(before));
	assert_string_equal(after + strlen(before),
			    "科技有限公司,2024-04-10,,电话回访,,,,4\r\n");
	audit = slurp("audit.csv");
	assert_non_null(strstr(audit, "07-followups.csv,科技有限公司,满意度,,4\r\n"));
	free(before);
	free(after);
	free(audit);
}

/* A process that dies inside its commit, after the journal (the sheet
 * renamed, the O(1) append not made, the audit append cut short): the next
 * writer finishes the commit from the journal, appends included, once. */
static void test_journal_finishes_a_dead_commit(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	const char *v[FU_NCOLS] = { 0 };
	char *fu = slurp("07-followups.csv"), *audit = slurp("audit.csv");
	char *after, *journal = sales_path_join(dir, ".sales.journal");
	int status;
	pid_t pid;

	(void)state;
	v[FU_CUSTOMER] = "科技有限公司";
	v[FU_DATE] = "2024-05-10";
	v[FU_SATISFACTION] = "5";
	pid = fork();
	if (pid == 0) {
		setenv("SALES_TEST_CRASH", "published", 1);
		setenv("SALES_USER", "dead", 1);
		if (sales_txn_begin(&t, dir, "followup add", &err) < 0 ||
		    !sales_txn_sheet(&t, SALES_LEADS, &err) ||
		    sales_txn_set(&t, SALES_LEADS, 0, LEAD_LAST_CONTACT, "2024-05-10", &err) < 0 ||
		    sales_txn_append(&t, SALES_FOLLOWUPS, v, &err) < 0)
			_exit(1);
		sales_txn_commit(&t, &err);
		_exit(2);	/* not reached: killed at "published" */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(access(journal, F_OK), 0);
	after = slurp("07-followups.csv");
	assert_string_equal(after, fu);   /* the append not made yet */
	free(after);
	/* as if SIGKILL had cut a big audit append short: half a row */
	{
		char *ap = sales_path_join(dir, "audit.csv");
		FILE *f = fopen(ap, "ab");

		assert_non_null(f);
		fputs("2024-05-10T10:00:00+08:00,dead,followup a", f);
		fclose(f);
		free(ap);
	}

	assert_int_equal(sales_txn_begin(&t, dir, "lead set", &err), 0);
	assert_true(t.recovered);
	assert_int_equal(t.lock.stale_pid, (long)pid);
	sales_txn_end(&t);
	assert_int_not_equal(access(journal, F_OK), 0);
	after = slurp("01-leads.csv");
	assert_non_null(strstr(after, ",2024-05-10,需确认预算,"));
	free(after);
	after = slurp("07-followups.csv");
	assert_string_equal(after + strlen(fu), "科技有限公司,2024-05-10,,,,,,5\r\n");
	free(after);
	after = slurp("audit.csv");
	assert_memory_equal(after, audit, strlen(audit));
	assert_null(strstr(after, "followup a\r\n"));
	assert_null(strstr(after, "followup a2"));
	assert_int_equal(count_lines(after), count_lines(audit) + 4);
	assert_non_null(strstr(after, ",dead,followup add,07-followups.csv,科技有限公司,满意度,,5\r\n"));
	assert_non_null(strstr(after, ",dead,followup add,01-leads.csv,科技有限公司,最后跟进时间,2024-01-10,2024-05-10\r\n"));
	/* a second begin finds nothing left to do */
	assert_int_equal(sales_txn_begin(&t, dir, "lead set", &err), 0);
	assert_false(t.recovered);
	sales_txn_end(&t);
	free(after);
	after = slurp("07-followups.csv");
	assert_int_equal(strlen(after), strlen(fu) + strlen("科技有限公司,2024-05-10,,,,,,5\r\n"));
	free(after);
	free(fu);
	free(audit);
	free(journal);
}

static void test_second_writer_waits_then_refuses(void **state)
{
	struct sales_txn a, b;
	struct sales_error err;

	(void)state;
	setenv("SALES_LOCK_TIMEOUT", "0", 1);
	assert_int_equal(sales_txn_begin(&a, dir, "lead set", &err), 0);
	assert_int_equal(sales_txn_begin(&b, dir, "approve", &err), -1);
	assert_int_equal(err.code, SALES_ELOCKED);
	assert_non_null(strstr(err.message, "lead set"));
	sales_txn_end(&b);
	sales_txn_end(&a);
	unsetenv("SALES_LOCK_TIMEOUT");
}

static void test_context_loads_team_and_calendar(void **state)
{
	struct sales_context ctx;
	struct sales_error err;
	FILE *f;
	char *p;

	(void)state;
	assert_int_equal(sales_context_load(&ctx, dir, 0, &err), 0);
	{
		static const char *const mgr[] = { "销售经理" };
		struct sales_context none = { .team_missing = true };

		assert_int_equal(sales_team_standing(&ctx, "吴磊", mgr, 1, NULL),
				 SALES_TEAM_OK);
		assert_int_equal(sales_team_standing(&ctx, "张伟", mgr, 1, NULL),
				 SALES_TEAM_OTHER_ROLE);
		assert_int_equal(sales_team_standing(&ctx, "王五", NULL, 0, NULL),
				 SALES_TEAM_UNKNOWN);
		assert_int_equal(sales_team_standing(&ctx, "张伟", NULL, 0, NULL),
				 SALES_TEAM_OK);
		assert_int_equal(sales_team_require(&ctx, "张伟", mgr, 1, NULL, &err), -1);
		assert_int_equal(err.code, SALES_ERULE);
		assert_string_equal(err.message, "'张伟' is not a 销售经理 in team.csv (its 角色 there: 销售代表)");
		assert_int_equal(sales_team_require(&ctx, "王五", mgr, 1, "x", &err), -1);
		assert_string_equal(err.message, "'王五' is not in team.csv: x");
		/* a missing team.csv is named, never "not a 销售经理" */
		assert_int_equal(sales_team_standing(&none, "吴磊", mgr, 1, NULL),
				 SALES_TEAM_NO_FILE);
		assert_int_equal(sales_team_require(&none, "吴磊", mgr, 1, "x", &err), -1);
		assert_int_equal(err.code, SALES_ERULE);
		assert_string_equal(err.message, "team.csv is missing, so '吴磊' cannot be confirmed as a 销售经理 ('sales init --missing' writes an empty one to fill in)");
	}
	assert_true(sales_calendar_year_known(ctx.calendar, 2024));
	assert_int_equal(sales_setting_int(&ctx, "deadline.proposal_days"), 5);
	sales_context_release(&ctx);

	/* settings from sales.conf; a bad team role names its cell */
	p = sales_path_join(dir, "sales.conf");
	f = fopen(p, "w");
	fputs("[deadline]\n\tproposal_days = 7\n", f);
	fclose(f);
	free(p);
	assert_int_equal(sales_context_load(&ctx, dir, 0, &err), 0);
	assert_int_equal(sales_setting_int(&ctx, "deadline.proposal_days"), 7);
	sales_context_release(&ctx);
	p = sales_path_join(dir, "team.csv");
	f = fopen(p, "a");
	fputs("钱多多,销售大王,华南\r\n", f);
	fclose(f);
	free(p);
	assert_int_equal(sales_context_load(&ctx, dir, 0, &err), -1);
	assert_string_equal(err.file, "team.csv");
	assert_string_equal(err.cell, "B12");
	assert_non_null(strstr(err.message, "销售大王"));
}

/* 30000 audit rows of 60-byte values: past 1 MB the first ones wait in
 * a temporary file; audit.csv gets every row, in the order recorded. */
static void test_many_audit_rows_keep_their_order(void **state)
{
	struct sales_txn t;
	struct sales_error err;
	char *audit = slurp("audit.csv"), *after, *p;
	size_t before = strlen(audit);
	char key[32], value[64];
	int i;

	(void)state;
	free(audit);
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	assert_int_equal(sales_txn_begin(&t, dir, "config", &err), 0);
	for (i = 0; i < 30000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(sales_txn_note(&t, "sales.conf", key, "值", "",
						value, &err), 0);
	}
	assert_non_null(t.audit_spill);     /* the rows did not all stay */
	assert_int_equal(sales_txn_changes(&t), 30000);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	after = slurp("audit.csv");
	p = after + before;
	for (i = 0; i < 30000; i++) {
		char want[128];
		char *row = strstr(p, ",tester,config,sales.conf,");

		snprintf(want, sizeof(want), ",tester,config,sales.conf,k%d,值,,%s\r\n",
			 i, value);
		assert_non_null(row);
		assert_memory_equal(row, want, strlen(want));
		p = row + strlen(want);
	}
	assert_null(strstr(p, ",tester,config,"));
	free(after);
}

/* The stream's fn for test_stream_adds_columns: row 2 sets 线索等级 (and
 * an empty 线索评分), row 3 线索评分, row 4 only empty values. */
static int add_grade_then_score(struct sales_txn_stream *s,
				const char *const *v, long line, void *arg,
				struct sales_error *err)
{
	int *calls = arg;

	(void)v;
	++*calls;
	if (line == 2)
		return sales_txn_stream_set(s, LEAD_SCORE, "", err) < 0 ||
		       sales_txn_stream_set(s, LEAD_GRADE, "A类", err) < 0 ? -1 : 0;
	if (line == 3)
		return sales_txn_stream_set(s, LEAD_SCORE, "42", err);
	if (line == 4)
		return sales_txn_stream_set(s, LEAD_GRADE, "", err);
	return 0;
}

static int empty_only(struct sales_txn_stream *s, const char *const *v,
		      long line, void *arg, struct sales_error *err)
{
	(void)v;
	(void)line;
	++*(int *)arg;
	return sales_txn_stream_set(s, LEAD_GRADE, "", err) < 0 ||
	       sales_txn_stream_set(s, LEAD_SCORE, NULL, err) < 0 ? -1 : 0;
}

/* A streamed rewrite that sets columns the header lacks: the header gains
 * them at its end in the order a value first went into them (线索等级,
 * then 线索评分: not the order the stream was given them), the rows set
 * are written again with the cells they gained, the others byte for
 * byte; the same bytes as a loaded sheet's sales_txn_set in that order. */
static void test_stream_adds_columns(void **state)
{
	static const int cols[] = { LEAD_SCORE, LEAD_GRADE };
	static const char lead[] =
		"\xef\xbb\xbf客户名称,负责人,\"备注\"\r\n"
		"甲公司,张伟,\"a,b\"\r\n"
		"乙公司,,x\r\n"
		"丙公司,周敏,\"多行\r\n文本\"";
	static const char want[] =
		"\xef\xbb\xbf客户名称,负责人,备注,线索等级,线索评分\r\n"
		"甲公司,张伟,\"a,b\",A类\r\n"
		"乙公司,,x,,42\r\n"
		"丙公司,周敏,\"多行\r\n文本\"";
	struct sales_sheet_table *st;
	struct sales_txn t;
	struct sales_error err;
	char *after, *audit, *loaded;
	int calls = 0;

	(void)state;
	test_write_file(dir, "01-leads.csv", lead);
	assert_int_equal(sales_txn_begin(&t, dir, "stream", &err), 0);
	assert_int_equal(sales_txn_stream(&t, SALES_LEADS, cols, 2,
					  add_grade_then_score, &calls, &err), 0);
	assert_int_equal(calls, 3);         /* fn saw each record once */
	assert_int_equal(sales_txn_changes(&t), 2);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	after = slurp("01-leads.csv");
	assert_string_equal(after, want);
	audit = slurp("audit.csv");
	assert_non_null(strstr(audit, ",tester,stream,01-leads.csv,甲公司,线索等级,,A类\r\n"));
	assert_non_null(strstr(audit, ",tester,stream,01-leads.csv,乙公司,线索评分,,42\r\n"));
	free(audit);

	/* the loaded sheet's bytes for the same changes */
	test_write_file(dir, "01-leads.csv", lead);
	assert_int_equal(sales_txn_begin(&t, dir, "loaded", &err), 0);
	st = sales_txn_sheet(&t, SALES_LEADS, &err);
	assert_non_null(st);
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 0, LEAD_SCORE, "", &err), 0);
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 0, LEAD_GRADE, "A类", &err), 0);
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 1, LEAD_SCORE, "42", &err), 0);
	assert_int_equal(sales_txn_set(&t, SALES_LEADS, 2, LEAD_GRADE, "", &err), 0);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	loaded = slurp("01-leads.csv");
	assert_string_equal(loaded, after);
	free(loaded);
	free(after);

	/* only empty values for the missing columns: nothing to write, the
	 * header as it was */
	test_write_file(dir, "01-leads.csv", lead);
	calls = 0;
	assert_int_equal(sales_txn_begin(&t, dir, "stream", &err), 0);
	assert_int_equal(sales_txn_stream(&t, SALES_LEADS, cols, 2,
					  empty_only, &calls, &err), 0);
	assert_int_equal(calls, 3);
	assert_int_equal(sales_txn_changes(&t), 0);
	assert_int_equal(sales_txn_commit(&t, &err), 0);
	sales_txn_end(&t);
	after = slurp("01-leads.csv");
	assert_string_equal(after, lead);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_audit),
		cmocka_unit_test(test_refused_txn_writes_nothing),
		cmocka_unit_test(test_commit_is_all_or_nothing),
		cmocka_unit_test(test_journal_finishes_a_dead_commit),
		cmocka_unit_test(test_append_is_o1_and_audited),
		cmocka_unit_test(test_second_writer_waits_then_refuses),
		cmocka_unit_test(test_context_loads_team_and_calendar),
		cmocka_unit_test(test_many_audit_rows_keep_their_order),
		cmocka_unit_test(test_stream_adds_columns),
	};

	return cmocka_run_group_tests_name("txn", tests, setup, teardown);
}
