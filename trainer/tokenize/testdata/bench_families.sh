#!/bin/sh
# Encode throughput and load time of every tokenizer family: embeddb's Go
# tokenizers (BenchmarkFamilies_*) beside Hugging Face's Rust tokenizers
# (npm @anush008/tokenizers 0.6.0, RAYON_NUM_THREADS=1) on the same text,
# in one run. From the repository root:
#
#   sh trainer/tokenize/testdata/bench_families.sh
#
# Needs Go, node and npm (installs the binding in a temporary directory) and
# ../shared/testdata.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${EMBEDDB_SHARED:-$here/../../../../shared}/testdata
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund @anush008/tokenizers@0.6.0 >/dev/null)
mkdir -p "$work/text"
EMBEDDB_BENCH_TEXT=$work/text go test -count=1 -run TestWriteBenchText "$here/.."
RAYON_NUM_THREADS=1 NODE_PATH=$work/node_modules node "$here/bench_families.js" "$work/text/mixed.txt" "$shared" | tee "$work/hf.txt"
GOMAXPROCS=1 go test -count=1 -run '^$' -bench 'Families|ParseBPE' -benchtime 3x "$here/.." | tee "$work/go.txt"
# One line per family: Go MB/s, Hugging Face MB/s, ratio, by wall time and
# by CPU time; load seconds (wall).
awk '
FNR == NR && $1 == "hf" { hf[$2] = $4; hfload[$2] = $8; hfcpu[$2] = $10; next }
/^BenchmarkFamilies_Encode\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (i = 1; i <= NF; i++) { if ($(i+1) == "MB/s") go[a[2]] = $i; if ($(i+1) == "cpu-MB/s") gocpu[a[2]] = $i } }
/^BenchmarkFamilies_Parse\//  { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (i = 1; i <= NF; i++) if ($(i+1) == "s/load") goload[a[2]] = $i }
END {
  printf "%-12s %10s %10s %7s %12s %12s %7s %10s %10s\n", "family", "go MB/s", "hf MB/s", "ratio", "go cpu-MB/s", "hf cpu-MB/s", "ratio", "go load s", "hf load s"
  for (n in hf) printf "%-12s %10s %10s %7.2f %12s %12s %7.2f %10s %10s\n", n, go[n], hf[n], (hf[n] > 0 ? go[n] / hf[n] : 0), gocpu[n], hfcpu[n], (hfcpu[n] > 0 ? gocpu[n] / hfcpu[n] : 0), goload[n], hfload[n]
}' "$work/hf.txt" "$work/go.txt"
