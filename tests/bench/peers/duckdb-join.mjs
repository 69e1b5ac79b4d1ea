// duckdb-join.mjs - the bench's plainest DuckDB peer: the three sheets
// `sales report` reads (01, 04, 07) imported as duckdb-kpi.mjs imports
// them, then one two-table join (leads with their contracts), with
// @duckdb/node-api, 2 threads.  What a report costs over this is the cost
// of its rules, not of reading.
//
//   node duckdb-join.mjs WORKBOOK
//
// Prints "leads_with_contracts,contracts,amount".
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [dir] = process.argv.slice(2);
const csv = (file, cols) => `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM read_csv('${join(dir, file)}',
	header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;

const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`
CREATE TABLE l01 AS ${csv('01-leads.csv', ['客户名称', '登记日期', '客户状态', '最后跟进时间'])};
CREATE TABLE c04 AS ${csv('04-contracts.csv', ['客户名称', '合同金额(万元)', '审批状态', '签订日期', '付款到期日', '回款日期'])};
CREATE TABLE f07 AS ${csv('07-followups.csv', ['客户名称', '跟进时间', '满意度'])};
`);
const result = await con.runAndReadAll(`
SELECT count(DISTINCT l."客户名称"), count(*), sum(try_cast(c."合同金额(万元)" AS DOUBLE))
FROM l01 l JOIN c04 c ON c."客户名称" = l."客户名称"`);
for (const row of result.getRows())
	console.log(row.map((v) => String(v)).join(','));
