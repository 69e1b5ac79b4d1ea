// duckdb-kpi.mjs - the bench's DuckDB peer: the 2023Q4 KPI table of a
// workbook (kpi.sql) with @duckdb/node-api, 2 threads, as a user would:
// import the three sheets, then one query.
//
//   node duckdb-kpi.mjs WORKBOOK QUARTER AS_OF    (QUARTER like 2023Q4)
//
// Prints "metric,actual,before" lines (empty when there is no value).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, quarter, asOf] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const y = Number(quarter.slice(0, 4)), q = Number(quarter.slice(5));
const pad = (n) => String(n).padStart(2, '0');
const first = (yy) => `${yy}-${pad(3 * q - 2)}-01`;
const last = (yy) => new Date(Date.UTC(yy, 3 * q, 0)).toISOString().slice(0, 10);
// the as-of date a year earlier: 29 February gives 28 February
const before = (d) => (d.slice(5) === '02-29' ? `${Number(d.slice(0, 4)) - 1}-02-28`
					       : `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`);
const csv = (file, cols) => `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM read_csv('${join(dir, file)}',
	header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;

const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`
CREATE MACRO pd(x) AS CASE WHEN regexp_full_match(trim(x), '\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}日?')
  THEN try(make_date(CAST(regexp_extract(trim(x), '^(\\d{4})', 1) AS INTEGER),
		     CAST(regexp_extract(trim(x), '^\\d{4}[-/.年](\\d{1,2})', 1) AS INTEGER),
		     CAST(regexp_extract(trim(x), '^\\d{4}[-/.年]\\d{1,2}[-/.月](\\d{1,2})', 1) AS INTEGER))) END;
CREATE TABLE l01 AS ${csv('01-leads.csv', ['客户名称', '登记日期', '客户状态', '最后跟进时间'])};
CREATE TABLE c04 AS ${csv('04-contracts.csv', ['客户名称', '合同金额(万元)', '审批状态', '签订日期', '付款到期日', '回款日期'])};
CREATE TABLE f07 AS ${csv('07-followups.csv', ['客户名称', '跟进时间', '满意度'])};
CREATE TABLE periods AS SELECT * FROM (VALUES
	(0, DATE '${first(y)}', DATE '${last(y)}', DATE '${asOf}'),
	(1, DATE '${first(y - 1)}', DATE '${last(y - 1)}', DATE '${before(asOf)}')) t(p, f, l, a);
`);
const result = await con.runAndReadAll(readFileSync(join(here, 'kpi.sql'), 'utf8'));
for (const [metric, actual, prev] of result.getRows())
	console.log(`${metric},${actual ?? ''},${prev ?? ''}`);
