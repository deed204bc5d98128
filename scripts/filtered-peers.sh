#!/bin/sh
# Filtered nearest neighbours beside LanceDB, in one run:
#
#   scripts/filtered-peers.sh [ROWS]     (default 1000000)
#
# BenchmarkNearest_Filtered (db/filtered_bench_test.go) makes ROWS x 100
# clustered vectors with a year column (uniform over 1,000 values) and a cat
# column (10 values), loads them into embeddb (HNSW index, scalar indexes on
# year and cat), runs SELECT NEAREST(?, 10) FROM docs WHERE ... at
# selectivities 50%, 10%, 1%, 0.1% and 0.01%, and writes the data, the exact
# answers (SET exact = on) and its figures under WORK. LanceDB
# (@lancedb/lancedb 0.31.0: IVF-HNSW-SQ cosine index, btree on year, bitmap
# on cat, prefiltering) then runs the same queries on the same rows
# (scripts/filtered_peers.mjs). Printed for each filter: rows short of
# min(10, rows that pass) (target 0), recall@10 against the exact answer
# (target >= 0.95) and queries/s, with embeddb's as a multiple of LanceDB's
# (target >= 1.5), per second of wall time and of the process's CPU time
# (the fairer figure on a shared machine). Queries run one at a time on each
# side.
#
# Installs @lancedb/lancedb@0.31.0 with npm under WORK (default
# /tmp/embeddb-filtered-peers). Needs Go and Node 18+. The machine's load
# is printed: on a shared machine, compare the ratios, not the figures.
set -eu
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/embeddb-filtered-peers}
ROWS=${1:-1000000}
mkdir -p "$WORK"
if [ ! -d "$WORK/node_modules/@lancedb/lancedb" ]; then
  echo "== npm install (once) under $WORK" >&2
  (cd "$WORK" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund @lancedb/lancedb@0.31.0 >&2)
fi
cp scripts/filtered_peers.mjs "$WORK/"
rm -rf "$WORK/data"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)" >&2
echo "== embeddb: $ROWS rows" >&2
EMBEDDB_BENCH_FILTERED_N=$ROWS EMBEDDB_FILTERED_DATA="$WORK/data" \
  go test ./db -run '^$' -bench 'BenchmarkNearest_Filtered$' -benchtime=200x -timeout 6h | tee "$WORK/embeddb-bench.txt" >&2
echo "== LanceDB 0.31.0: same rows, same queries" >&2
(cd "$WORK" && node filtered_peers.mjs "$WORK/data") > "$WORK/lancedb.json"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
node -e '
  const fs = require("fs"), w = process.argv[1];
  const e = JSON.parse(fs.readFileSync(w + "/data/embeddb.json")), l = JSON.parse(fs.readFileSync(w + "/lancedb.json"));
  console.log(`rows ${process.argv[2]} x 100; LanceDB load ${l.load_s.toFixed(1)}s, index ${l.index_s.toFixed(1)}s`);
  console.log("filter                             embeddb: short recall    q/s  q/cpu-s | LanceDB: short recall    q/s  q/cpu-s | ratio q/s, q/cpu-s (target >= 1.5)");
  const f = (x) => x.toFixed(0).padStart(7);
  for (const r of e) {
    const p = l.results.find((x) => x.name === r.name);
    console.log(`${r.name.padEnd(9)} ${r.where.padEnd(24)} ${String(r.rows_short).padStart(5)} ${r.recall_at_10.toFixed(3)} ${f(r.queries_per_s)} ${f(r.queries_per_cpu_s)} | ` +
      `${String(p.rows_short).padStart(5)} ${p.recall_at_10.toFixed(3)} ${f(p.queries_per_s)} ${f(p.queries_per_cpu_s)} | ` +
      `${(r.queries_per_s / p.queries_per_s).toFixed(2)}, ${(r.queries_per_cpu_s / p.queries_per_cpu_s).toFixed(2)}`);
  }
' "$WORK" "$ROWS"
