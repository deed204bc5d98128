#!/usr/bin/env bash
# Times embeddb's CREATE INDEX through SQL beside hnswlib's and faiss's HNSW
# builds on the same data, with the same threads, alternating, and prints a
# table: wall and CPU seconds of every repetition, embeddb's phases (graph,
# calibration for SET recall, saving), and the ratio of embeddb's median wall
# time to the best peer's. On a shared machine only the ratios of one such
# run mean anything.
#
# Data: a folder made by ../shared/peers/ann/run.sh's prep step (base.txt,
# base_norm.npy: 331,479 x 100 word vectors), M 16, ef_construction 200.
# Needs Go and /usr/bin/python3 with python3-hnswlib and python3-faiss
# (Debian: apt-get install -y python3-hnswlib python3-faiss).
#
# usage: scripts/compare-build.sh DATA_DIR          (the runs, then the table)
#        scripts/compare-build.sh DATA_DIR report   (the table of WORK's runs so far)
# env:   WORK (/tmp/embeddb-compare-build), REPS (2), THREADS (2),
#        PEERS ("embeddb hnswlib faiss"), ORDER (the runs, in order: replaces
#        PEERS and REPS), QUIET_MAX_WAIT (seconds, 0)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: compare-build.sh DATA_DIR}
data=$(cd "$data" && pwd)
work=${WORK:-/tmp/embeddb-compare-build}
reps=${REPS:-2}
export THREADS=${THREADS:-2}
peers=(${PEERS:-embeddb hnswlib faiss})
py=/usr/bin/python3
shared=${EMBEDDB_SHARED:-$(pwd)/../shared}
export QUIET_MAX_WAIT=${QUIET_MAX_WAIT:-0}
mkdir -p "$work"
out="$work/builds.jsonl"
if [ "${2:-}" != report ]; then
: >"$out"
# Compile first, and IMPORT once (not timed), so that each repetition times
# only the builds.
go build -o "$work/sqlbuild" ./scripts/sqlbuild
"$work/sqlbuild" -import "$data" "$work"
quiet() { [ "$QUIET_MAX_WAIT" -gt 0 ] && [ -f "$shared/peers/quiet.py" ] && $py "$shared/peers/quiet.py" wait >&2 || true; }
one() {
  case "$1" in
    embeddb) "$work/sqlbuild" "$data" "$work" ;;
    *) $py scripts/compare_build.py "$data" "$1" ;;
  esac
}
# The order: every peer once per repetition, rotated each repetition so that
# no peer always runs first; ORDER (a list of peers) replaces it, e.g. to run
# the slowest peer last when time is short.
if [ -n "${ORDER:-}" ]; then
  order=($ORDER)
else
  order=()
  n=${#peers[@]}
  for ((r = 0; r < reps; r++)); do
    for ((i = 0; i < n; i++)); do order+=("${peers[$(((i + r) % n))]}"); done
  done
fi
declare -A rep=()
for p in "${order[@]}"; do
  rep[$p]=$((${rep[$p]:-0} + 1))
  quiet
  echo "$p run ${rep[$p]} $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >&2
  one "$p" | sed "s/^{/{\"rep\": ${rep[$p]}, /" | tee -a "$out"
done
fi
$py - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def f(x): return "" if x is None else f"{x:.1f}"
print("| peer | rep | threads | wall s | CPU s | reading s | graph s | calibration s | saving s | load |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['peer']} | {r['rep']} | {r['threads']} | {f(r['seconds'])} | {f(r['cpu_seconds'])} | "
          f"{f(r.get('read_seconds'))} | {f(r.get('graph_seconds'))} | {f(r.get('calibrate_seconds'))} | {f(r.get('save_seconds'))} | {float(r.get('load') or 0):.1f} |")
med = {}
for r in rows:
    med.setdefault(r["peer"], []).append(r)
wall = {p: statistics.median(x["seconds"] for x in v) for p, v in med.items()}
cpu = {p: statistics.median(x["cpu_seconds"] for x in v) for p, v in med.items()}
peers = [p for p in wall if p != "embeddb-sql"]
print()
for p in wall:
    print(f"median {p}: wall {wall[p]:.1f} s, CPU {cpu[p]:.1f} s")
if "embeddb-sql" in wall and peers:
    best = min(peers, key=lambda p: wall[p])
    bestc = min(peers, key=lambda p: cpu[p])
    print(f"embeddb / best peer ({best}), wall: {wall['embeddb-sql'] / wall[best]:.2f}x; "
          f"CPU, best {bestc}: {cpu['embeddb-sql'] / cpu[bestc]:.2f}x (target: <= 1)")
PY
