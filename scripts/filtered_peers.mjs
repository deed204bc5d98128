// LanceDB's side of scripts/filtered-peers.sh, driven by
// BenchmarkNearest_Filtered through its stdin and stdout, one JSON line
// per answer. It loads the rows the benchmark wrote (base.f32, year.i32,
// cat.u8), builds an IVF-HNSW-SQ cosine index on the vectors and scalar
// indexes on year (btree) and cat (bitmap), and answers:
//
//   (start)      {"ready":true, load_s, index_s, reused}
//   case NAME    recall@10 of the filter NAME's queries against the exact
//                answers embeddb recorded (gt.json), and the rows any query
//                came short of min(10, rows that pass): {recall_at_10, rows_short}
//   time NAME    the filter's queries once more, one at a time, timed:
//                {queries_per_s, queries_per_cpu_s} (CPU time of all the
//                process's threads)
//
// The benchmark asks for "time" in rounds that alternate with its own, so
// that both sides meet the same load on a shared machine. The LanceDB table
// is kept in LANCEDIR and reused while the rows are the same (a SHA-1 of
// the files), since building its index takes minutes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const [dir, lanceDir] = process.argv.slice(2);
const lancedb = await import('@lancedb/lancedb');
const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json')));
const gt = JSON.parse(fs.readFileSync(path.join(dir, 'gt.json')));
const raw = (name) => fs.readFileSync(path.join(dir, name));
const f32 = (b) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
const baseB = raw('base.f32'), yb = raw('year.i32'), cat = raw('cat.u8');
const base = f32(baseB), qs = f32(raw('queries.f32'));
const year = new Int32Array(yb.buffer, yb.byteOffset, yb.byteLength / 4);
const { n, dim, nq, cases } = meta;
const say = (x) => process.stdout.write(JSON.stringify(x) + '\n');

const sum = crypto.createHash('sha1').update(baseB).update(yb).update(cat).digest('hex');
const stamp = path.join(lanceDir, 'rows.sha1');
const reused = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === sum;
const db = await lancedb.connect(lanceDir);
let tbl, loadS = 0, indexS = 0;
if (reused) {
  tbl = await db.openTable('docs');
} else {
  fs.rmSync(stamp, { force: true });
  const rows = (lo, hi) => {
    const out = [];
    for (let i = lo; i < hi; i++) {
      out.push({ id: i, year: year[i], cat: 'c' + cat[i], vector: Array.from(base.subarray(i * dim, (i + 1) * dim)) });
    }
    return out;
  };
  const batch = 50000;
  let t0 = performance.now();
  tbl = await db.createTable('docs', rows(0, Math.min(batch, n)), { mode: 'overwrite' });
  for (let lo = batch; lo < n; lo += batch) await tbl.add(rows(lo, Math.min(lo + batch, n)));
  loadS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await tbl.createIndex('vector', { config: lancedb.Index.hnswSq({ distanceType: 'cosine' }) });
  await tbl.createIndex('year', { config: lancedb.Index.btree() });
  await tbl.createIndex('cat', { config: lancedb.Index.bitmap() });
  indexS = (performance.now() - t0) / 1000;
  fs.writeFileSync(stamp, sum);
}
say({ ready: true, load_s: loadS, index_s: indexS, reused });

const search = (i, where) =>
  tbl.search(Array.from(qs.subarray(i * dim, (i + 1) * dim))).where(where).distanceType('cosine').limit(10).select(['id']).toArray();
const byName = Object.fromEntries(cases.map((c) => [c.name, c]));
const answer = async (cmd, name) => {
  const c = byName[name];
  if (cmd === 'case') {
    let recall = 0, short = 0;
    for (let i = 0; i < nq; i++) {
      const got = (await search(i, c.where)).map((r) => r.id);
      const exact = gt[c.name][i] || [];
      const hits = exact.filter((id) => got.includes(id)).length;
      recall += (exact.length ? hits / exact.length : 1) / nq;
      short = Math.max(short, Math.min(10, exact.length) - got.length);
    }
    return { recall_at_10: recall, rows_short: short };
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < nq; i++) await search(i, c.where);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0); // every thread of the process, in µs
  return { queries_per_s: nq / wall, queries_per_cpu_s: nq / ((cpu.user + cpu.system) / 1e6) };
};
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [cmd, name] = line.trim().split(' ');
  if (cmd === 'quit') break;
  if (!byName[name] || (cmd !== 'case' && cmd !== 'time')) {
    say({ error: `unknown request ${JSON.stringify(line)}` });
    continue;
  }
  say(await answer(cmd, name));
}
process.exit(0);
