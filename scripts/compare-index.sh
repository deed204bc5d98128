#!/usr/bin/env bash
# Measures embeddb's index (package index) beside hnswlib and numpy on the same
# vectors and prints one table. Needs Go, /usr/bin/python3 with numpy, hnswlib,
# threadpoolctl (and gensim for word vectors).
#
# usage: scripts/compare-index.sh synthetic N       (clustered synthetic, e.g. 1000000)
#        scripts/compare-index.sh words MODEL.txt   (word2vec text, e.g. gensim's)
# env:   WORK (default /tmp/embeddb-compare-index), SEARCH_N (queries timed per ef, 5000),
#        STEPS (default "peers build load search flat"; "numpy" reruns only numpy's part
#        of peers; load, search and flat reuse the
#        graph that build saved in the data directory), QUIET_MAX_WAIT (seconds, 300)
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
steps=" ${STEPS:-peers build load search flat} "
has() { [[ "$steps" == *" $1 "* ]]; }
shared=${EMBEDDB_SHARED:-$(pwd)/../shared}
quiet() { [ -f "$shared/peers/quiet.py" ] && $py "$shared/peers/quiet.py" wait >&2 || true; }
bench() { (cd index && EMBEDDB_INDEX_DATA="$dir" "$dir/index.test" -test.run '^$' -test.timeout 3h "$@"); }
if has peers; then $py scripts/compare_index.py peers "$dir" >"$dir/peers.log"
elif has numpy; then $py scripts/compare_index.py peers "$dir" --only numpy >"$dir/peers.log"; fi
if has build; then
  rm -f "$dir"/embeddb-hnsw.idx*   # the other steps reuse the graph this step saves
  quiet
  bench -test.bench 'BenchmarkHNSW_Build' -test.benchtime 1x | tee "$dir/go-build.txt"
fi
if has load; then bench -test.bench 'BenchmarkHNSW_Load' -test.benchtime 1x | tee "$dir/go-load.txt"; fi
# Query loops report queries per wall second and per CPU second of their thread (the
# latter is not distorted by other processes on a shared machine); best of 3 counts.
if has search; then
  quiet
  bench -test.bench 'BenchmarkHNSW_Search' -test.benchtime "${SEARCH_N:-5000}x" -test.count 3 | tee "$dir/go-search.txt"
fi
if has flat; then
  quiet
  bench -test.bench 'BenchmarkFlat_Search' -test.benchtime 20x -test.count 3 | tee "$dir/go-flat.txt"
fi
$py scripts/compare_index.py report "$dir" | tee "$dir/report.md"
