/* test_workbook.c - schema binding, fill-down, the workbook lock, appends
 * from concurrent processes, and edits through the schema. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schema.h"
#include "workbook.h"
#include "text.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	return test_tmpdir(dir, "test_workbook", 0);
}

static int teardown(void **state)
{
	(void)state;
	return test_rmtree(dir);
}

static void write_sheet(const char *name, const char *data)
{
	test_write_file(dir, name, data);
}

static char *read_sheet(const char *name)
{
	char *p = sales_path_join(dir, name), *data;
	size_t len;
	struct sales_error err;

	assert_int_equal(sales_read_file(p, &data, &len, &err), 0);
	free(p);
	return data;
}

static void test_sheet_lookup(void **state)
{
	static const struct { const char *name; int id; } cases[] = {
		{ "leads", SALES_LEADS }, { "lead", SALES_LEADS }, { "1", SALES_LEADS },
		{ "01", SALES_LEADS }, { "01-leads.csv", SALES_LEADS },
		{ "客户信息登记表", SALES_LEADS }, { "followups", SALES_FOLLOWUPS },
		{ "7", SALES_FOLLOWUPS }, { "kpi", SALES_KPI }, { "team", SALES_TEAM },
		{ "exceptions", SALES_EXCEPTIONS }, { "path/04-contracts.csv", SALES_CONTRACTS },
		{ "nope", -1 }, { "9", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sales_sheet_def *d = sales_sheet_find(cases[i].name);
		int got = d ? (int)d->id : -1;

		if (got != cases[i].id)
			CASE_FAIL("%s: got %d", cases[i].name, got);
	}
	assert_ptr_equal(sales_sheet_by_stage("需求调研"), sales_sheet_def(SALES_SURVEYS));
	assert_ptr_equal(sales_sheet_by_stage("谈判签约"), sales_sheet_def(SALES_CONTRACTS));
}

static void test_header_spellings(void **state)
{
	static const struct { const char *header; int col; } cases[] = {
		{ "客户名称", LEAD_CUSTOMER }, { "客戶名稱", LEAD_CUSTOMER },
		{ "customer", LEAD_CUSTOMER }, { " Customer ", LEAD_CUSTOMER },
		{ "企业规模（员工数／营收）", LEAD_SIZE }, { "企業規模(員工數/營收)", LEAD_SIZE },
		{ "last-contact", LEAD_LAST_CONTACT }, { "最後跟進時間", LEAD_LAST_CONTACT },
		{ "聯繫方式", LEAD_PHONE }, { "備註", LEAD_NOTE }, { "线索评分", LEAD_SCORE },
		{ "product_line", LEAD_PRODUCT_LINE }, { "我的列", -1 },
	};
	const struct sales_sheet_def *d = sales_sheet_def(SALES_LEADS);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sales_column_find(d, cases[i].header);

		if (got != cases[i].col)
			CASE_FAIL("%s: got %d", cases[i].header, got);
	}
	/* the seed marks approvers with '*' */
	assert_int_equal(sales_column_find(sales_sheet_def(SALES_CONTRACTS), "销售经理*"),
			 CON_MANAGER);
}

static void test_every_sheet_has_three_spellings(void **state)
{
	(void)state;
	for (int s = 0; s < SALES_NSHEETS; s++) {
		const struct sales_sheet_def *d = sales_sheet_def((enum sales_sheet_id)s);

		for (size_t c = 0; c < d->ncolumns; c++) {
			const struct sales_column_def *col = &d->columns[c];

			if (!col->key || !col->zh || !col->zh_trad ||
			    sales_column_find(d, col->zh) != (int)c ||
			    sales_column_find(d, col->zh_trad) != (int)c ||
			    sales_column_find(d, col->key) != (int)c)
				CASE_FAIL("%s column %zu", d->file, c);
			if (col->type == SALES_COL_ENUM && !col->values)
				CASE_FAIL("%s.%s enum without values", d->file, col->key);
		}
	}
}

static void test_bind_errors(void **state)
{
	struct sales_sheet_reader *r;
	struct sales_error err;

	(void)state;
	write_sheet("01-leads.csv", "客户名称,customer\n甲,乙\n");
	assert_int_equal(sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, &err), -1);
	assert_int_equal(err.code, SALES_ESCHEMA);
	assert_string_equal(err.cell, "B1");
	assert_non_null(strstr(err.message, "duplicate column"));

	write_sheet("01-leads.csv", "行业,备注\n制造业,x\n");
	assert_int_equal(sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, &err), -1);
	assert_int_equal(err.code, SALES_ESCHEMA);
	assert_non_null(strstr(err.message, "客户名称"));
	assert_int_equal(err.line, 1);
}

/* The bad-input corpus: a header that is one cell says why; another
 * sheet saved under this one's name is named. */
static void test_bind_hints(void **state)
{
	static const struct {
		const char *sheet, *data, *want;
	} cases[] = {
		{ "01-leads.csv", "序号;客户名称;行业\n1;甲;x\n", "holding ';'" },
		{ "01-leads.csv", "序号\t客户名称\n1\t甲\n", "holding tabs" },
		{ "01-leads.csv", "客户信息登记表,,,\n序号,公司\n", "title row" },
		{ "01-leads.csv", "客户名称,调研时间,调研人,预算范围,备注\n甲,2023-10-12,张伟,待确认,\n",
		  "that of 02-surveys.csv" },
		{ "01-leads.csv", "customer,date,by,channel,satisfaction\n甲,2024-01-10,孙丽,电话,5\n",
		  "that of 07-followups.csv" },
	};
	struct sales_sheet_reader *r;
	struct sales_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_sheet(cases[i].sheet, cases[i].data);
		if (sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, &err) != -1 ||
		    err.code != SALES_ESCHEMA || !strstr(err.message, cases[i].want))
			CASE_FAIL("%zu: '%s'", i, err.message);
	}
	/* a small sheet of its own columns is not taken for another one */
	write_sheet("01-leads.csv", "客户名称,负责人,备注\n甲,张伟,x\n");
	assert_int_equal(sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, &err), 0);
	sales_sheet_close(r);
}

static int nwarned;
static char warned[1024];

static void on_warning(const struct sales_error *w, void *ud)
{
	(void)ud;
	nwarned++;
	snprintf(warned, sizeof(warned), "%.100s:%ld:%.16s: %.300s", w->file, w->line,
		 w->cell, w->message);
}

/* A title row above a recognised header is skipped with a note, for the
 * streaming reader and for a table loaded to be changed. */
static void test_title_row_skipped(void **state)
{
	struct sales_sheet_reader *r;
	struct sales_sheet_table st;
	const struct sales_record *rec;
	struct sales_error err;

	(void)state;
	write_sheet("01-leads.csv", "数据由销售部整理,,,\r\n序号,客户名称,备注\r\n1,甲,x\r\n");
	sales_set_read_warning_handler(on_warning, NULL);
	nwarned = 0;
	assert_int_equal(sales_sheet_open(dir, SALES_LEADS, SALES_ENC_AUTO, &r, &err), 0);
	assert_int_equal(nwarned, 1);
	assert_string_equal(warned, "01-leads.csv:1:A1: title row '数据由销售部整理' above the header skipped");
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_string_equal(rec->v[1], "甲");
	assert_int_equal(rec->row->excel_row, 3);
	sales_sheet_close(r);

	assert_int_equal(sales_sheet_table_load(&st, dir, SALES_LEADS, SALES_ENC_AUTO, &err), 0);
	assert_int_equal(sales_table_rows(st.table), 1);
	assert_int_equal(sales_table_set(st.table, 0, 2, "y", &err), 0);
	assert_int_equal(sales_table_save(st.table, &err), 0);
	sales_sheet_table_release(&st);
	sales_set_read_warning_handler(NULL, NULL);
	{
		char *after = read_sheet("01-leads.csv");

		assert_string_equal(after, "数据由销售部整理,,,\r\n序号,客户名称,备注\r\n1,甲,y\r\n");
		free(after);
	}
}

static void test_fill_down(void **state)
{
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	struct sales_error err;

	(void)state;
	write_sheet("02-surveys.csv",
		    "客户名称,调研时间,调研人,调研对象(职务),预算范围\r\n"
		    "甲公司,2023-10-12,张伟,王经理,200-300万\r\n"
		    ",,,钱工,待确认\r\n"
		    "乙公司,2023-10-13,,李总,\r\n"
		    ",2023-10-14,,赵工,\r\n");
	assert_int_equal(sales_sheet_open(dir, SALES_SURVEYS, SALES_ENC_AUTO, &r, &err), 0);
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_false(rec->continuation);
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_true(rec->continuation);
	assert_string_equal(rec->v[SURVEY_CUSTOMER], "甲公司");
	assert_string_equal(rec->v[SURVEY_DATE], "2023-10-12");
	assert_string_equal(rec->v[SURVEY_SURVEYOR], "张伟");
	assert_string_equal(rec->v[SURVEY_INTERVIEWEE], "钱工");
	assert_true(rec->filled[SURVEY_CUSTOMER]);
	assert_false(rec->filled[SURVEY_INTERVIEWEE]);
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_string_equal(rec->v[SURVEY_CUSTOMER], "乙公司");
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_string_equal(rec->v[SURVEY_CUSTOMER], "乙公司");
	assert_string_equal(rec->v[SURVEY_DATE], "2023-10-14");
	assert_int_equal(rec->row->line, 5);
	assert_int_equal(sales_sheet_next(r, &rec, &err), 0);
	sales_sheet_close(r);
}

/* With sales_sheet_set_columns the columns asked for read (and fill
 * down) as in a full read; the others are "". */
static void test_fill_down_projected(void **state)
{
	static const int cols[] = { SURVEY_DATE, SURVEY_INTERVIEWEE };
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	struct sales_error err;

	(void)state;
	write_sheet("02-surveys.csv",
		    "客户名称,调研时间,调研人,调研对象(职务),预算范围\r\n"
		    "甲公司,2023-10-12,张伟,王经理,200-300万\r\n"
		    ",,,钱工,待确认\r\n"
		    ",,\"x,y\",,\r\n");
	assert_int_equal(sales_sheet_open(dir, SALES_SURVEYS, SALES_ENC_AUTO, &r, &err), 0);
	assert_int_equal(sales_sheet_set_columns(r, cols, 2), 0);
	assert_int_equal(sales_sheet_set_prepare(r, NULL, NULL, 0), -1);
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_string_equal(rec->v[SURVEY_CUSTOMER], "甲公司");
	assert_string_equal(rec->v[SURVEY_INTERVIEWEE], "王经理");
	assert_string_equal(rec->v[SURVEY_SURVEYOR], "");
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_true(rec->continuation);
	assert_string_equal(rec->v[SURVEY_CUSTOMER], "甲公司");
	assert_string_equal(rec->v[SURVEY_DATE], "2023-10-12");
	assert_true(rec->filled[SURVEY_DATE]);
	assert_string_equal(rec->v[SURVEY_INTERVIEWEE], "钱工");
	assert_string_equal(rec->v[SURVEY_SURVEYOR], "");
	/* text only in a column not read: still a record */
	assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
	assert_int_equal(rec->row->line, 4);
	assert_string_equal(rec->v[SURVEY_SURVEYOR], "");
	assert_int_equal(sales_sheet_next(r, &rec, &err), 0);
	sales_sheet_close(r);
}

static void test_reordered_columns_edit(void **state)
{
	struct sales_sheet_table st;
	struct sales_error err;
	char *after;
	const char *orig = "\xEF\xBB\xBF" "备注,我的标签,线索等级,客户名称\r\n"
			   "首次,重点,B类,甲公司\r\n"
			   "二次,,C类,乙公司\r\n";
	const char *exp = "\xEF\xBB\xBF" "备注,我的标签,线索等级,客户名称,线索评分\r\n"
			  "首次,重点,A类,甲公司,88\r\n"
			  "二次,,C类,乙公司\r\n";

	(void)state;
	write_sheet("01-leads.csv", orig);
	assert_int_equal(sales_sheet_table_load(&st, dir, SALES_LEADS, SALES_ENC_AUTO, &err), 0);
	assert_string_equal(sales_sheet_table_get(&st, 1, LEAD_CUSTOMER), "乙公司");
	assert_string_equal(sales_sheet_table_get(&st, 0, LEAD_SCORE), "");
	assert_int_equal(sales_sheet_table_set(&st, 0, LEAD_GRADE, "A类", &err), 0);
	assert_int_equal(sales_sheet_table_set(&st, 0, LEAD_SCORE, "88", &err), 0);
	assert_int_equal(sales_table_save(st.table, &err), 0);
	sales_sheet_table_release(&st);
	after = read_sheet("01-leads.csv");
	assert_string_equal(after, exp);
	free(after);
}

static void test_lock_excludes(void **state)
{
	struct sales_lock a, b;
	struct sales_error err;

	(void)state;
	assert_int_equal(sales_lock_acquire(&a, dir, "first", 0, &err), 0);
	/* flock is per open file description: a second open conflicts */
	assert_int_equal(sales_lock_acquire(&b, dir, "second", 60, &err), -1);
	assert_int_equal(err.code, SALES_ELOCKED);
	assert_non_null(strstr(err.message, "first"));
	sales_lock_release(&a);
	assert_int_equal(sales_lock_acquire(&b, dir, "second", 0, &err), 0);
	assert_int_equal(b.stale_pid, 0);
	sales_lock_release(&b);
}

/* What the lock-wait handler heard, for test_lock_wait_names_holder. */
static struct heard {
	int calls, done_calls;
	bool got;
	long waited;
	struct sales_lock_holder h;
} heard;

static void hear_wait(const struct sales_lock_holder *h, long waited_ms,
		      long timeout_ms, bool done, bool got, void *ud)
{
	(void)timeout_ms;
	(void)ud;
	if (done) {
		heard.done_calls++;
		heard.got = got;
		heard.waited = waited_ms;
		return;
	}
	heard.calls++;
	if (h->pid > 0)
		heard.h = *h;
}

static void test_lock_wait_names_holder(void **state)
{
	struct sales_lock lk;
	struct sales_error err;
	struct sales_lock_holder h;
	char text[400];
	int ready[2];
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	setenv("SALES_USER", "李娜", 1);
	pid = fork();
	if (pid == 0) {
		if (sales_lock_acquire(&lk, dir, "sales lead add", 0, &err) < 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		usleep(600 * 1000);
		sales_lock_release(&lk);
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	memset(&heard, 0, sizeof(heard));
	sales_set_lock_wait_handler(hear_wait, NULL);
	assert_int_equal(sales_lock_acquire(&lk, dir, "next", 5000, &err), 0);
	sales_set_lock_wait_handler(NULL, NULL);
	waitpid(pid, NULL, 0);
	assert_true(heard.calls >= 2);            /* about every 250 ms */
	assert_int_equal(heard.done_calls, 1);
	assert_true(heard.got);
	assert_true(heard.waited >= 300 && heard.waited < 5000);
	assert_int_equal(heard.h.pid, (long)pid);
	assert_string_equal(heard.h.what, "sales lead add");
	assert_string_equal(heard.h.user, "李娜");
	assert_int_equal(strlen(heard.h.since), 19);   /* YYYY-MM-DD HH:MM:SS */
	sales_lock_release(&lk);
	unsetenv("SALES_USER");
	close(ready[0]);
	close(ready[1]);

	/* a lock file of an older sales: "PID COMMAND" only */
	sales_lock_holder_parse("4242 lead set\n", &h);
	assert_int_equal(h.pid, 4242);
	assert_string_equal(h.what, "lead set");
	assert_string_equal(h.user, "");
	sales_lock_holder_text(&h, text, sizeof(text));
	assert_string_equal(text, "process 4242 (lead set)");
	sales_lock_holder_parse("77 sales approve\t张伟\t2024-01-15 09:30:00\n", &h);
	sales_lock_holder_text(&h, text, sizeof(text));
	assert_string_equal(text, "process 77 (sales approve, run by 张伟 since 2024-01-15 09:30:00)");
	sales_lock_holder_parse("", &h);
	sales_lock_holder_text(&h, text, sizeof(text));
	assert_string_equal(text, "unknown holder");
}

static void test_stale_lock_reported(void **state)
{
	struct sales_lock lk;
	struct sales_error err;
	pid_t pid = fork();

	(void)state;
	if (pid == 0) {
		/* die holding the lock, without releasing it */
		if (sales_lock_acquire(&lk, dir, "sales lead add", 0, &err) < 0)
			_exit(1);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	assert_int_equal(sales_lock_acquire(&lk, dir, "next", 0, &err), 0);
	assert_int_equal(lk.stale_pid, (long)pid);
	assert_string_equal(lk.stale_what, "sales lead add");
	sales_lock_release(&lk);
}

/* The temporary files of processes that no longer run (killed between
 * writing and renaming) are removed, and only those. */
static void test_stale_temp_files_removed(void **state)
{
	struct sales_lock lk;
	struct sales_error err;
	char dead_tmp[64], live_tmp[64];
	pid_t pid = fork();

	(void)state;
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	snprintf(dead_tmp, sizeof(dead_tmp), ".01-leads.csv.tmp.%ld", (long)pid);
	snprintf(live_tmp, sizeof(live_tmp), ".02-surveys.csv.tmp.%ld", (long)getppid());
	write_sheet(dead_tmp, "half a sheet");
	write_sheet(live_tmp, "being written");
	write_sheet(".notes.tmp", "not ours");
	assert_int_equal(sales_lock_acquire(&lk, dir, "next", 0, &err), 0);
	assert_int_equal(sales_remove_stale_temps(dir), 1);
	sales_lock_release(&lk);
	free(read_sheet(live_tmp));
	free(read_sheet(".notes.tmp"));
	{
		char *p = sales_path_join(dir, dead_tmp);

		assert_int_not_equal(access(p, F_OK), 0);
		free(p);
	}
}

static void test_concurrent_appends(void **state)
{
	enum { WRITERS = 50 };
	pid_t pids[WRITERS];
	struct sales_sheet_reader *r;
	const struct sales_record *rec;
	struct sales_error err;
	int seen[WRITERS] = { 0 }, rows = 0, rc;

	(void)state;
	write_sheet("07-followups.csv", "\xEF\xBB\xBF" "客户名称,跟进时间,跟进人,跟进方式,客户反馈内容\r\n");
	for (int i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct sales_lock lk;
			char name[32], note[64];
			const char *v[FU_NCOLS] = { 0 };

			snprintf(name, sizeof(name), "客户%02d", i);
			snprintf(note, sizeof(note), "反馈,第%d条\n换行", i);
			v[FU_CUSTOMER] = name;
			v[FU_DATE] = "2024-01-10";
			v[FU_FEEDBACK] = note;
			if (sales_lock_acquire(&lk, dir, "test", 20000, &err) < 0)
				_exit(1);
			rc = sales_sheet_append(dir, SALES_FOLLOWUPS, v, 1, &err);
			sales_lock_release(&lk);
			_exit(rc == 0 ? 0 : 2);
		}
	}
	for (int i = 0; i < WRITERS; i++) {
		int status;

		waitpid(pids[i], &status, 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(sales_sheet_open(dir, SALES_FOLLOWUPS, SALES_ENC_AUTO, &r, &err), 0);
	while ((rc = sales_sheet_next(r, &rec, &err)) > 0) {
		int n = atoi(rec->v[FU_CUSTOMER] + strlen("客户"));
		char note[64];

		snprintf(note, sizeof(note), "反馈,第%d条\n换行", n);
		assert_true(n >= 0 && n < WRITERS);
		assert_string_equal(rec->v[FU_FEEDBACK], note);
		seen[n]++;
		rows++;
	}
	assert_int_equal(rc, 0);
	sales_sheet_close(r);
	assert_int_equal(rows, WRITERS);
	for (int i = 0; i < WRITERS; i++)
		assert_int_equal(seen[i], 1);
}

static void test_append_widens_missing_column(void **state)
{
	const char *v[LEAD_NCOLS] = { 0 };
	struct sales_error err;
	char *after;

	(void)state;
	write_sheet("01-leads.csv", "序号,客户名称\n1,甲\n");
	v[LEAD_NO] = "2";
	v[LEAD_CUSTOMER] = "乙";
	v[LEAD_STATUS] = "新线索";
	assert_int_equal(sales_sheet_append(dir, SALES_LEADS, v, 1, &err), 0);
	after = read_sheet("01-leads.csv");
	assert_string_equal(after, "序号,客户名称,客户状态\n1,甲\n2,乙,新线索\n");
	free(after);
}

/* "Same as above" (SPEC §3) is the row above's value: a continuation row
 * with a 跟进人 of its own passes it on to the blank rows below it, not its
 * group's first row's; a reader and the walk up a loaded sheet
 * (sales_sheet_table_filled, the writers' and handover's) read each cell
 * alike.  Hand-made: 甲's second row is 李娜's, its third too. */
static void test_fill_down_same_as_above(void **state)
{
	static const char *const want[][3] = {
		{ "甲公司", "2024-01-02", "张伟" },
		{ "甲公司", "2024-01-02", "李娜" },
		{ "甲公司", "2024-01-05", "李娜" },
		{ "甲公司", "2024-01-05", "李娜" },
		{ "乙公司", "2024-01-03", "" },
		{ "乙公司", "2024-01-03", "" },
	};
	static const int cols[] = { FU_CUSTOMER, FU_DATE, FU_BY };
	struct sales_sheet_reader *r;
	struct sales_sheet_table st;
	const struct sales_record *rec;
	struct sales_error err;

	(void)state;
	write_sheet("07-followups.csv",
		    "客户名称,跟进时间,跟进人,跟进方式,客户反馈,问题解决情况,下次跟进计划,客户满意度(1-5分)\r\n"
		    "甲公司,2024-01-02,张伟,电话,,,,5\r\n"
		    ",,李娜,上门,,,,\r\n"
		    ",2024-01-05, ,微信,,,,\r\n"
		    ",,,电话,,,,\r\n"
		    "乙公司,2024-01-03,,电话,,,,4\r\n"
		    ", ,,电话,,,,\r\n");
	assert_int_equal(sales_sheet_open(dir, SALES_FOLLOWUPS, SALES_ENC_AUTO, &r, &err), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(sales_sheet_next(r, &rec, &err), 1);
		for (int c = 0; c < 3; c++)
			assert_string_equal(rec->v[cols[c]], want[i][c]);
	}
	assert_int_equal(sales_sheet_next(r, &rec, &err), 0);
	sales_sheet_close(r);
	assert_int_equal(sales_sheet_table_load(&st, dir, SALES_FOLLOWUPS,
						SALES_ENC_AUTO, &err), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (int c = 0; c < 3; c++) {
			const char *v = sales_sheet_table_filled(&st, i, cols[c]);
			size_t len = strlen(v);

			v = sales_trim(v, &len);
			assert_int_equal(len, strlen(want[i][c]));
			assert_memory_equal(v, want[i][c], len);
		}
	}
	sales_sheet_table_release(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_lookup),
		cmocka_unit_test(test_header_spellings),
		cmocka_unit_test(test_every_sheet_has_three_spellings),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test(test_bind_hints),
		cmocka_unit_test(test_title_row_skipped),
		cmocka_unit_test(test_fill_down),
		cmocka_unit_test(test_fill_down_projected),
		cmocka_unit_test(test_fill_down_same_as_above),
		cmocka_unit_test(test_reordered_columns_edit),
		cmocka_unit_test(test_lock_excludes),
		cmocka_unit_test(test_stale_lock_reported),
		cmocka_unit_test(test_lock_wait_names_holder),
		cmocka_unit_test(test_stale_temp_files_removed),
		cmocka_unit_test(test_concurrent_appends),
		cmocka_unit_test(test_append_widens_missing_column),
	};

	return cmocka_run_group_tests_name("workbook", tests, setup, teardown);
}
