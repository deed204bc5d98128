#!/bin/sh
# Proves embeddb's Parquet and Arrow files with real readers, and records
# their answers as golden files that `make test` checks with Go alone
# (db/columnar_peers_test.go):
#
#   scripts/columnar-peers.sh golden        DuckDB reads db/testdata/columnar/vectors.txt exported
#                                           to Parquet: its column types, key-value metadata and exact
#                                           array_cosine_similarity top-10 for 100 queries; DuckDB
#                                           writes two Parquet files for embeddb to import; LanceDB
#                                           0.31.0 makes a table of the Arrow IPC export and searches it;
#                                           DuckDB runs the statements docs/scale.md shows for it;
#                                           DuckDB's duckdb.parquet carries columns of each type (and
#                                           duckdb_f64.parquet a TIMESTAMP); embeddb imports and exports
#                                           it, and DuckDB reads the columns back (duckdb_cols.json).
#   scripts/columnar-peers.sh bench [ROWS]  EXPORT and IMPORT of ROWS x 100 (default 1000000) beside
#                                           DuckDB's COPY ... TO 'x.parquet' and read_parquet, in one run.
#
# Installs its own packages with npm (@duckdb/node-api, @lancedb/lancedb@0.31.0, apache-arrow)
# under WORK (default /tmp/embeddb-columnar-peers). Needs Go and Node 18+.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${WORK:-/tmp/embeddb-columnar-peers}
MODE=${1:-golden}
mkdir -p "$WORK"
if [ ! -d "$WORK/node_modules/@duckdb/node-api" ] || [ ! -d "$WORK/node_modules/@lancedb/lancedb" ]; then
  echo "== npm install (once) under $WORK" >&2
  (cd "$WORK" && [ -f package.json ] || (cd "$WORK" && npm init -y >/dev/null)
   cd "$WORK" && npm install --no-audit --no-fund @duckdb/node-api @lancedb/lancedb@0.31.0 apache-arrow >&2)
fi
cp scripts/columnar_peers.mjs "$WORK/"
go build -o "$WORK/embeddb" ./cmd/embeddb
E="$WORK/embeddb"

case $MODE in
golden)
  OUT="$ROOT/db/testdata/columnar"
  rm -f "$WORK/v.db" "$WORK/v.parquet" "$WORK/v.arrow"
  "$E" "$WORK/v.db" "IMPORT v FROM '$OUT/vectors.txt'; EXPORT v TO '$WORK/v.parquet'; EXPORT v TO '$WORK/v.arrow';" >/dev/null
  (cd "$WORK" && EMBEDDB_ROOT="$ROOT" node columnar_peers.mjs golden "$WORK" "$OUT")
  # DuckDB reads back the columns embeddb exports: its own Parquet with
  # columns, imported and exported again.
  rm -f "$WORK/c.db" "$WORK/c.parquet"
  "$E" "$WORK/c.db" "IMPORT c FROM '$OUT/duckdb.parquet' WITH (vector = 'embedding'); EXPORT c TO '$WORK/c.parquet';" >/dev/null
  (cd "$WORK" && node columnar_peers.mjs cols "$WORK" "$OUT")
  echo "== wrote $OUT/duckdb_read.json, lancedb_read.json, duckdb.parquet, duckdb_f64.parquet, duckdb_cols.json" >&2
  ;;
bench)
  ROWS=${2:-1000000}
  echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)" >&2
  (cd "$WORK" && node columnar_peers.mjs bench "$WORK" "$ROWS") > "$WORK/duckdb.json"
  rm -f "$WORK/b.db" "$WORK/e.parquet"
  # embeddb's CPU seconds and peak RSS (the RSS counts the database file's
  # pages mapped in) when GNU time is there.
  T=""
  [ -x /usr/bin/time ] && T="/usr/bin/time -f %U,%S,%M -o"
  echo 0,0,0 > "$WORK/import.time"; echo 0,0,0 > "$WORK/export.time"
  ${T:+$T "$WORK/import.time"} "$E" -mode jsonl "$WORK/b.db" "IMPORT big FROM '$WORK/duck.parquet'" > "$WORK/import.json"
  ${T:+$T "$WORK/export.time"} "$E" -mode jsonl "$WORK/b.db" "EXPORT big TO '$WORK/e.parquet'" > "$WORK/export.json"
  echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  node -e '
    const fs = require("fs"), w = process.argv[1];
    const d = JSON.parse(fs.readFileSync(w + "/duckdb.json"));
    const imp = JSON.parse(fs.readFileSync(w + "/import.json")), exp = JSON.parse(fs.readFileSync(w + "/export.json"));
    const cpu = (f) => { const [u, s, rss] = fs.readFileSync(w + f, "utf8").trim().split(",").map(Number); return [u + s, rss / 1024]; };
    const [ic, irss] = cpu("/import.time"), [ec, erss] = cpu("/export.time");
    const r = (a, b) => (b > 0 ? (a / b).toFixed(2) : "n/a");
    console.log(`rows ${d.rows} x 100`);
    console.log(`EXPORT to Parquet: embeddb ${exp.seconds}s, DuckDB COPY TO ${d.duckdb_copy_to_parquet_s.toFixed(3)}s: ratio ${r(d.duckdb_copy_to_parquet_s, exp.seconds)} (target >= 2)`);
    console.log(`  CPU seconds: embeddb ${ec.toFixed(2)}, DuckDB ${d.duckdb_copy_cpu_s.toFixed(2)}: ratio ${r(d.duckdb_copy_cpu_s, ec)}; embeddb peak RSS ${erss.toFixed(0)} MiB`);
    console.log(`IMPORT from Parquet: embeddb ${imp.seconds}s, DuckDB read_parquet ${d.duckdb_read_parquet_s.toFixed(3)}s: ratio ${r(d.duckdb_read_parquet_s, imp.seconds)} (target >= 1)`);
    console.log(`  CPU seconds: embeddb ${ic.toFixed(2)}, DuckDB ${d.duckdb_read_cpu_s.toFixed(2)}: ratio ${r(d.duckdb_read_cpu_s, ic)}; embeddb peak RSS ${irss.toFixed(0)} MiB`);
    console.log(`  DuckDB read_parquet into a database file (committed): ${d.duckdb_read_parquet_file_s.toFixed(3)}s: ratio ${r(d.duckdb_read_parquet_file_s, imp.seconds)}; CPU ${d.duckdb_read_file_cpu_s.toFixed(2)}: ratio ${r(d.duckdb_read_file_cpu_s, ic)}`);
  ' "$WORK"
  ;;
*) echo "usage: $0 golden | bench [ROWS]" >&2; exit 2 ;;
esac
