// Reads embeddb's Parquet and Arrow exports with DuckDB (@duckdb/node-api)
// and LanceDB (@lancedb/lancedb), and has DuckDB write Parquet files for
// embeddb to import. Run by scripts/columnar-peers.sh, which installs the
// packages and passes the paths:
//
//   node columnar_peers.mjs golden WORK OUTDIR   (the recorded answers)
//   node columnar_peers.mjs bench WORK ROWS      (DuckDB's COPY and read_parquet times)
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [mode, work, arg] = process.argv.slice(2);

async function duck() {
  const inst = await DuckDBInstance.create(':memory:');
  return inst.connect();
}

async function rows(conn, sql) {
  const r = await conn.runAndReadAll(sql);
  return r.getRowObjectsJson();
}

// duckRow is the row number in DuckDB's SQL of a word wNNNN of vectors.txt.
const duckRow = 'CAST(substr(word, 2) AS INTEGER)';

async function golden(out) {
  const conn = await duck();
  const pq = path.join(work, 'v.parquet');
  const res = {};
  res.duckdb_version = (await rows(conn, 'SELECT version() AS v'))[0].v;
  res.describe = await rows(conn, `DESCRIBE SELECT * FROM read_parquet('${pq}')`);
  res.kv_metadata = (await rows(conn, `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${pq}') WHERE decode(key) LIKE 'embeddb:%' AND decode(key) <> 'embeddb:provenance' ORDER BY key`));
  res.count = (await rows(conn, `SELECT count(*) AS n FROM read_parquet('${pq}')`))[0].n;
  const dim = Number(res.kv_metadata.find(r => r.key === 'embeddb:dim').value);
  // 100 queries: every tenth word. DuckDB's own exact top-10 by cosine.
  const near = await rows(conn, `
    WITH v AS (SELECT word, vector::FLOAT[${dim}] AS vec FROM read_parquet('${pq}')),
    q AS (SELECT word, vec FROM v WHERE CAST(substr(word, 2) AS INTEGER) % 10 = 0),
    s AS (SELECT q.word AS query, v.word AS word, array_cosine_similarity(q.vec, v.vec) AS sim
          FROM q, v WHERE v.word <> q.word)
    SELECT query, word, sim FROM (
      SELECT *, row_number() OVER (PARTITION BY query ORDER BY sim DESC, word) AS rk FROM s)
    WHERE rk <= 10 ORDER BY query, rk`);
  const byQuery = {};
  for (const r of near) (byQuery[r.query] ??= []).push([r.word, Number(r.sim)]);
  res.nearest = byQuery;
  fs.writeFileSync(path.join(out, 'duckdb_read.json'), JSON.stringify(res, null, 1) + '\n');

  // Parquet written by DuckDB, for embeddb to import: a FLOAT[dim] array
  // column named embedding with columns of each type a table holds (NULL
  // in some rows), and a DOUBLE[] list column with other names beside a
  // TIMESTAMP, which no table column holds.
  await conn.run(`COPY (SELECT word, vector::FLOAT[${dim}] AS embedding, length(word) AS n,
      CASE WHEN ${duckRow} % 7 = 0 THEN NULL ELSE 'title of ' || word END AS title,
      CASE WHEN ${duckRow} % 5 = 0 THEN NULL ELSE (1900 + ${duckRow})::INTEGER END AS year,
      CASE WHEN ${duckRow} % 3 = 0 THEN NULL ELSE ${duckRow} / 8 END::DOUBLE AS score,
      CASE WHEN ${duckRow} % 11 = 0 THEN NULL ELSE ${duckRow} % 2 = 0 END AS ok
    FROM read_parquet('${pq}') ORDER BY word)
    TO '${path.join(out, 'duckdb.parquet')}' (FORMAT parquet)`);
  await conn.run(`COPY (SELECT word AS token, vector::DOUBLE[] AS emb, TIMESTAMP '2024-01-01' AS at FROM read_parquet('${pq}') ORDER BY word DESC)
    TO '${path.join(out, 'duckdb_f64.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  await lance(out, res);
  await scaleDoc(conn, pq, dim);
}

// scaleDoc runs the DuckDB statements docs/scale.md shows on the export,
// with its path, dimension and a word of it in place of the doc's.
async function scaleDoc(conn, pq, dim) {
  const doc = fs.readFileSync(new URL('../docs/scale.md', `file://${process.env.EMBEDDB_ROOT}/scripts/`), 'utf8');
  const fix = (s) => s.replaceAll("'w2v.parquet'", `'${pq}'`).replaceAll('FLOAT[100]', `FLOAT[${dim}]`)
    .replaceAll("'python'", "'w0000'").replaceAll("'milvus.parquet'", `'${path.join(work, 'milvus.parquet')}'`);
  const stmts = [];
  for (const m of doc.matchAll(/```sql\n-- in duckdb[^\n]*\n([\s\S]*?)```/g)) stmts.push(...m[1].split(';'));
  for (const m of doc.matchAll(/`((?:SELECT|COPY) [^`]*FROM 'w2v\.parquet'[^`]*)`/g)) stmts.push(m[1]);
  for (const m of doc.matchAll(/(COPY \(SELECT[\s\S]*?TO 'milvus\.parquet')/g)) stmts.push(m[1]);
  let ran = 0;
  for (const s of new Set(stmts.map((s) => s.trim()).filter(Boolean))) {
    const r = await conn.runAndReadAll(fix(s));
    console.error(`docs/scale.md, DuckDB: ${s.split('\n')[0]} ... -> ${r.currentRowCount} rows`);
    ran++;
  }
  if (ran < 4) throw new Error(`found ${ran} DuckDB statements in docs/scale.md`);
}

// LanceDB makes a table from embeddb's Arrow IPC export (LanceDB's Node
// package reads Arrow, not Parquet) and searches it by cosine.
async function lance(out, duckRes) {
  const lancedb = await import('@lancedb/lancedb');
  // The CommonJS build, the one LanceDB itself loads: two copies of the
  // Arrow classes would not be instances of each other.
  const arrow = createRequire(import.meta.url)('apache-arrow');
  const tbl = arrow.tableFromIPC(fs.readFileSync(path.join(work, 'v.arrow')));
  const db = await lancedb.connect(path.join(work, 'lance'));
  const t = await db.createTable('v', tbl, { mode: 'overwrite' });
  const res = { lancedb_rows: await t.countRows(), schema: {} };
  for (const f of (await t.schema()).fields) res.schema[f.name] = String(f.type);
  res.nearest = {};
  const vecs = new Map();
  for (let i = 0; i < tbl.numRows; i++) vecs.set(tbl.getChild('word').get(i), Array.from(tbl.getChild('vector').get(i)));
  for (const q of Object.keys(duckRes.nearest).slice(0, 20)) {
    const hits = await t.search(vecs.get(q)).distanceType('cosine').limit(11).toArray();
    res.nearest[q] = hits.filter(h => h.word !== q).slice(0, 10).map(h => [h.word, 1 - h._distance]);
  }
  fs.writeFileSync(path.join(out, 'lancedb_read.json'), JSON.stringify(res, null, 1) + '\n');
}

// Times DuckDB's COPY TO Parquet and read_parquet into a table, on the
// rows x 100 table it makes, and leaves its Parquet file for embeddb.
async function bench(n) {
  const conn = await duck();
  await conn.run(`CREATE TABLE t AS SELECT 'w' || i AS word, i AS id, 0::BIGINT AS count,
      list_transform(range(100), x -> (random() - 0.5)::FLOAT)::FLOAT[100] AS vector FROM range(${n}) r(i)`);
  // Wall seconds, and CPU seconds of the process (DuckDB's threads run in
  // it): on a shared machine the CPU seconds say what the work cost.
  const time = async (sql) => {
    const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
    await conn.run(sql);
    const c = process.cpuUsage(c0);
    return [Number(process.hrtime.bigint() - t0) / 1e9, (c.user + c.system) / 1e6];
  };
  const out = path.join(work, 'duck.parquet');
  const [copy, copyCPU] = await time(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION zstd)`);
  const [read, readCPU] = await time(`CREATE TABLE u AS SELECT * FROM read_parquet('${out}')`);
  // The same read into a table of a database file, committed as DuckDB
  // commits (durably), which is what embeddb's IMPORT ends with; the
  // in-memory table above writes nothing.
  const file = path.join(work, 'duck.db');
  for (const f of [file, file + '.wal']) fs.rmSync(f, { force: true });
  const fconn = await (await DuckDBInstance.create(file)).connect();
  const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
  await fconn.run(`CREATE TABLE u AS SELECT * FROM read_parquet('${out}')`);
  const fc = process.cpuUsage(c0);
  const readFile = Number(process.hrtime.bigint() - t0) / 1e9, readFileCPU = (fc.user + fc.system) / 1e6;
  fconn.closeSync();
  console.log(JSON.stringify({ rows: n, duckdb_copy_to_parquet_s: copy, duckdb_read_parquet_s: read,
    duckdb_copy_cpu_s: copyCPU, duckdb_read_cpu_s: readCPU,
    duckdb_read_parquet_file_s: readFile, duckdb_read_file_cpu_s: readFileCPU }));
}

// cols checks that DuckDB reads back the columns embeddb exported: WORK's
// c.parquet is duckdb.parquet imported and exported by embeddb. DuckDB's
// column types and the rows in either file but not the other are recorded.
async function cols(out) {
  const conn = await duck();
  const c = path.join(work, 'c.parquet'), src = path.join(out, 'duckdb.parquet');
  const q = (f) => `SELECT word, n, title, year, score, ok, embedding::FLOAT[] AS v FROM read_parquet('${f}')`;
  const qc = `SELECT word, n, title, year, score, ok, vector::FLOAT[] AS v FROM read_parquet('${c}')`;
  const res = {};
  res.describe = await rows(conn, `DESCRIBE SELECT * FROM read_parquet('${c}')`);
  res.rows = (await rows(conn, `SELECT count(*) AS n FROM read_parquet('${c}')`))[0].n;
  res.nulls = (await rows(conn, `SELECT count(*) FILTER (title IS NULL) AS title, count(*) FILTER (year IS NULL) AS year,
    count(*) FILTER (score IS NULL) AS score, count(*) FILTER (ok IS NULL) AS ok FROM read_parquet('${c}')`))[0];
  res.only_in_embeddb = (await rows(conn, `SELECT count(*) AS n FROM (${qc} EXCEPT ${q(src)})`))[0].n;
  res.only_in_duckdb = (await rows(conn, `SELECT count(*) AS n FROM (${q(src)} EXCEPT ${qc})`))[0].n;
  res.year_1951 = (await rows(conn, `SELECT word, title FROM read_parquet('${c}') WHERE year = 1951`));
  fs.writeFileSync(path.join(out, 'duckdb_cols.json'), JSON.stringify(res, null, 1) + '\n');
}

if (mode === 'golden') await golden(arg);
else if (mode === 'cols') await cols(arg);
else if (mode === 'bench') await bench(Number(arg));
else { console.error('usage: columnar_peers.mjs golden WORK OUTDIR | bench WORK ROWS'); process.exit(2); }
