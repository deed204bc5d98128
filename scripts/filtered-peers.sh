#!/bin/sh
# Filtered nearest neighbours beside LanceDB, in one run:
#
#   scripts/filtered-peers.sh [ROWS]     (default 1000000)
#
# BenchmarkNearest_Filtered (db/filtered_bench_test.go) makes ROWS x 100
# clustered vectors with a year column (uniform over 1,000 values) and a cat
# column (10 values), loads them into embeddb (HNSW index, scalar indexes on
# year and cat), records the exact answers of SELECT NEAREST(?, 10) FROM
# docs WHERE ... (SET exact = on) at selectivities 50%, 10%, 1%, 0.1% and
# 0.01%, and writes the data under WORK. It then starts LanceDB
# (@lancedb/lancedb 0.31.0, scripts/filtered_peers.mjs: IVF-HNSW-SQ cosine
# index, btree on year, bitmap on cat, prefiltering) on the same rows and,
# filter by filter, measures embeddb and asks LanceDB for the same: rows
# short of min(10, rows that pass) (target 0), recall@10 against the exact
# answer (target >= 0.95), then 5 timed rounds of the 200 queries each,
# the two sides taking turns, one query at a time on each side. Printed:
# each side's best round in queries per second of wall time and of the
# process's CPU time (all threads), and embeddb's as a multiple of
# LanceDB's (target >= 1.5, by wall time as the issue states it).
#
# EMBEDDB_FILTERED_SET='SET recall = 0.95' runs embeddb's timed searches
# after that statement (by default they run at ef_search 64: at 1M rows the
# 50% filter then reaches recall@10 0.90, with SET recall = 0.95 0.99).
#
# Installs @lancedb/lancedb@0.31.0 with npm under WORK (default
# /tmp/embeddb-filtered-peers), where LanceDB's table is kept (lance-ROWS)
# and reused while the rows are the same. Needs Go and Node 18+. The
# machine's load is printed: on a shared machine, compare the ratios.
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
echo "== embeddb and LanceDB 0.31.0: $ROWS rows, same queries, timed in turns" >&2
EMBEDDB_BENCH_FILTERED_N=$ROWS EMBEDDB_FILTERED_DATA="$WORK/data" \
  EMBEDDB_FILTERED_PEER="$WORK/filtered_peers.mjs" EMBEDDB_FILTERED_LANCE="$WORK/lance-$ROWS" \
  go test ./db -run '^$' -bench 'BenchmarkNearest_Filtered$' -benchtime=200x -timeout 6h -v | tee "$WORK/embeddb-bench.txt" >&2
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
node -e '
  const fs = require("fs"), w = process.argv[1];
  const e = JSON.parse(fs.readFileSync(w + "/data/embeddb.json"));
  console.log(`rows ${process.argv[2]} x 100; best of 5 rounds of 200 queries per side, in turns`);
  console.log("filter                             embeddb: short recall    q/s  q/cpu-s | LanceDB: short recall    q/s  q/cpu-s | ratio q/s, q/cpu-s (target >= 1.5 by q/s)");
  const f = (x) => x.toFixed(0).padStart(7);
  for (const r of e) {
    const p = r.lancedb;
    console.log(`${r.name.padEnd(9)} ${r.where.padEnd(24)} ${String(r.rows_short).padStart(5)} ${r.recall_at_10.toFixed(3)} ${f(r.round_queries_per_s)} ${f(r.round_queries_per_cpu_s)} | ` +
      `${String(p.rows_short).padStart(5)} ${p.recall_at_10.toFixed(3)} ${f(p.queries_per_s)} ${f(p.queries_per_cpu_s)} | ` +
      `${(r.round_queries_per_s / p.queries_per_s).toFixed(2)}, ${(r.round_queries_per_cpu_s / p.queries_per_cpu_s).toFixed(2)}`);
  }
' "$WORK" "$ROWS"
