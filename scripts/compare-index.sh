#!/usr/bin/env bash
# Measures embeddb's index (package index) beside hnswlib and numpy on the same
# vectors and prints one table. Needs Go, /usr/bin/python3 with numpy, hnswlib,
# threadpoolctl (and gensim for word vectors).
#
# usage: scripts/compare-index.sh synthetic N       (clustered synthetic, e.g. 1000000)
#        scripts/compare-index.sh words MODEL.txt   (word2vec text, e.g. gensim's)
# env:   WORK (default /tmp/embeddb-compare-index), SEARCH_N (queries timed per ef, 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: compare-index.sh synthetic N | words MODEL.txt}
arg=${2:?usage: compare-index.sh synthetic N | words MODEL.txt}
work=${WORK:-/tmp/embeddb-compare-index}
py=/usr/bin/python3
export QUIET_MAX_WAIT=${QUIET_MAX_WAIT:-300}
case "$kind" in
  synthetic) dir="$work/synthetic-$arg"; prep=(--synthetic "$arg") ;;
  words)     dir="$work/words-$(basename "$arg" .txt)"; prep=(--words "$arg") ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
mkdir -p "$dir"
[ -f "$dir/meta.json" ] || $py scripts/compare_index.py prepare "${prep[@]}" --out "$dir"
# Compile first, so that the benchmarks measure the tree as it was when the run began.
go test -c -o "$dir/index.test" ./index/
$py scripts/compare_index.py peers "$dir" >"$dir/peers.log"
# One query thread: the search benchmarks run on one goroutine; builds use the
# number of workers in their names. GOMAXPROCS=2 lets the 2-worker build use both cores.
shared=${EMBEDDB_SHARED:-$(pwd)/../shared}
quiet() { [ -f "$shared/peers/quiet.py" ] && $py "$shared/peers/quiet.py" wait >&2 || true; }
bench() { (cd index && EMBEDDB_INDEX_DATA="$dir" "$dir/index.test" -test.run '^$' -test.timeout 3h "$@"); }
rm -f "$dir"/embeddb-hnsw.idx*   # a graph left by older code must not be reused
quiet
bench -test.bench 'BenchmarkHNSW_Build' -test.benchtime 1x | tee "$dir/go-bench.txt"
bench -test.bench 'BenchmarkHNSW_Load' -test.benchtime 1x | tee -a "$dir/go-bench.txt"
# Query loops report queries per wall second and per CPU second of their thread (the
# latter is not distorted by other processes on a shared machine); best of 3 counts.
bench -test.bench 'BenchmarkHNSW_Search' -test.benchtime "${SEARCH_N:-5000}x" -test.count 3 | tee -a "$dir/go-bench.txt"
bench -test.bench 'BenchmarkFlat_Search' -test.benchtime 20x -test.count 3 | tee -a "$dir/go-bench.txt"
$py scripts/compare_index.py report "$dir" | tee "$dir/report.md"
