// duckdb-sql.mjs - runs a `sales sql --dialect duckdb` script in an
// in-memory DuckDB (@duckdb/node-api, from tests/node_modules) and prints
// the rows of its last statement as CSV lines, NULL as empty:
//
//   node duckdb-sql.mjs SCRIPT
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const sql = readFileSync(process.argv[2], 'utf8');
const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await db.connect();
const result = await con.runAndReadAll(sql);
for (const row of result.getRows())
	console.log(row.map((v) => (v === null ? '' : String(v))).join(','));
