// LanceDB's side of scripts/filtered-peers.sh: it loads the rows that
// BenchmarkNearest_Filtered wrote (base.f32, year.i32, cat.u8), builds an
// IVF-HNSW-SQ cosine index on the vectors and scalar indexes on year
// (btree) and cat (bitmap), then runs the same queries with the same
// filters (prefiltered, LanceDB's default), and prints, for each filter,
// recall@10 against the exact answers embeddb recorded (gt.json), the
// rows any query came short of min(10, rows that pass), and queries per
// second of wall time and of the process's CPU time (all its threads).
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const lancedb = await import('@lancedb/lancedb');
const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json')));
const gt = JSON.parse(fs.readFileSync(path.join(dir, 'gt.json')));
const f32 = (name) => {
  const b = fs.readFileSync(path.join(dir, name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const base = f32('base.f32'), qs = f32('queries.f32');
const yb = fs.readFileSync(path.join(dir, 'year.i32'));
const year = new Int32Array(yb.buffer, yb.byteOffset, yb.byteLength / 4);
const cat = fs.readFileSync(path.join(dir, 'cat.u8'));
const { n, dim, nq, cases } = meta;

const db = await lancedb.connect(path.join(dir, 'lance'));
const rows = (lo, hi) => {
  const out = [];
  for (let i = lo; i < hi; i++) {
    out.push({ id: i, year: year[i], cat: 'c' + cat[i], vector: Array.from(base.subarray(i * dim, (i + 1) * dim)) });
  }
  return out;
};
const batch = 50000;
let t0 = performance.now();
const tbl = await db.createTable('docs', rows(0, Math.min(batch, n)), { mode: 'overwrite' });
for (let lo = batch; lo < n; lo += batch) await tbl.add(rows(lo, Math.min(lo + batch, n)));
const loadS = (performance.now() - t0) / 1000;
t0 = performance.now();
await tbl.createIndex('vector', { config: lancedb.Index.hnswSq({ distanceType: 'cosine' }) });
await tbl.createIndex('year', { config: lancedb.Index.btree() });
await tbl.createIndex('cat', { config: lancedb.Index.bitmap() });
const indexS = (performance.now() - t0) / 1000;

const search = (i, where) =>
  tbl.search(Array.from(qs.subarray(i * dim, (i + 1) * dim))).where(where).distanceType('cosine').limit(10).select(['id']).toArray();
const results = [];
for (const c of cases) {
  let recall = 0, short = 0;
  for (let i = 0; i < nq; i++) {
    const got = (await search(i, c.where)).map((r) => r.id);
    const exact = gt[c.name][i] || [];
    const hits = exact.filter((id) => got.includes(id)).length;
    recall += (exact.length ? hits / exact.length : 1) / nq;
    short = Math.max(short, Math.min(10, exact.length) - got.length);
  }
  // Timed: every query once more, one at a time.
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < nq; i++) await search(i, c.where);
  const qps = nq / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0); // every thread of the process, in µs
  const cpuQps = nq / ((cpu.user + cpu.system) / 1e6);
  results.push({ name: c.name, where: c.where, recall_at_10: recall, rows_short: short, queries_per_s: qps, queries_per_cpu_s: cpuQps });
}
console.log(JSON.stringify({ load_s: loadS, index_s: indexS, results }, null, 1));
