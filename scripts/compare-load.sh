#!/bin/sh
# Times loading vector files with gensim 4.2 / numpy and with embeddb's reader (db/vecfile) on the
# same files, in one run, and prints one table.
#
#   scripts/compare-load.sh [ROWS]          (default ROWS=1000000: 1M x 100 float32, as the peers)
#
# Env: WORK (default /tmp/embeddb-compare-load) holds the files, made once and reused;
#      REPS (default 3) loads per tool and file.
# Needs Go and Debian's /usr/bin/python3 with gensim and numpy (apt-get install -y python3-gensim).
# The machine is shared: each timing is printed as wall seconds and CPU seconds (both cores count).
# The last column is the whole IMPORT by the embeddb command: read, store, commit (median of REPS,
# as gensim's and numpy's figures are).
set -eu
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
WORK=${WORK:-/tmp/embeddb-compare-load}
REPS=${REPS:-3}
PY=/usr/bin/python3
mkdir -p "$WORK"

echo "== making files under $WORK (once)" >&2
$PY scripts/compare_load.py make "$WORK" "$ROWS"
B="$WORK/synthetic$ROWS"
ST="$WORK/qwen-bf16.safetensors"

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== gensim / numpy ($REPS loads each)" >&2
$PY scripts/compare_load.py time "$WORK" "$ROWS" "$REPS" > "$WORK/peers.jsonl"

echo "== embeddb reader ($REPS reads each)" >&2
EMBEDDB_VECFILE_BENCH_FILES="text=$B.txt,binary=$B.bin,npy=$B.npy,safetensors-bf16=$ST" \
  go test -run '^$' -bench '^BenchmarkReadFile$' -benchtime "${REPS}x" -count 1 -timeout 60m ./db/vecfile \
  > "$WORK/embeddb.bench"
echo "== embeddb IMPORT into a database ($REPS imports each)" >&2
go build -o "$WORK/embeddb" ./cmd/embeddb
TOK=${TOKENIZER:-../shared/testdata/qwen/tokenizer.json}
: > "$WORK/import.txt"
for fmt in text binary npy safetensors-bf16; do
  case $fmt in
    text) sql="IMPORT t FROM '$B.txt'" ;;
    binary) sql="IMPORT t FROM '$B.bin' WITH (binary = true)" ;;
    npy) sql="IMPORT t FROM '$B.npy'" ;;
    safetensors-bf16) sql="IMPORT t FROM '$ST'"
      [ -f "$TOK" ] && sql="$sql WITH (tokenizer = '$TOK')" ;;
  esac
  med=$($PY - "$REPS" "$WORK/import.db" "$WORK/embeddb" -mode csv "$WORK/import.db" "$sql" <<'PYEOF'
import os, statistics, subprocess, sys, time
reps, db, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for _ in range(reps):
    if os.path.exists(db):
        os.remove(db)
    os.sync()
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - t)
print(f"{statistics.median(times):.3f}")  # the median, as the peers' figures are
PYEOF
)
  echo "$fmt $med" >> "$WORK/import.txt"
done
rm -f "$WORK/import.db"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

$PY - "$WORK/peers.jsonl" "$WORK/embeddb.bench" "$B" "$ST" "$WORK/import.txt" <<'PYEOF'
import json, os, re, sys
imports = dict(l.split() for l in open(sys.argv[5]) if l.strip())
peers = {j["format"]: j for j in map(json.loads, open(sys.argv[1]))}
ours = {}
for line in open(sys.argv[2]):
    m = re.match(r"BenchmarkReadFile/(\S+?)-\d+\s+\d+\s+(\d+) ns/op.*?([\d.]+) cpu-s/op", line)
    if m:
        ours[m.group(1)] = (int(m.group(2)) / 1e9, float(m.group(3)))
files = {"text": sys.argv[3] + ".txt", "binary": sys.argv[3] + ".bin", "npy": sys.argv[3] + ".npy",
         "safetensors-bf16": sys.argv[4]}
print(f"{'format':<17} {'MB':>7} {'gensim/numpy s':>15} {'(cpu s)':>8} {'embeddb s':>10} {'(cpu s)':>8} "
      f"{'embeddb MB/s':>13} {'speed-up':>9} {'IMPORT s':>9} {'speed-up':>9}")
for fmt, path in files.items():
    mb = os.path.getsize(path) / 1e6
    p = peers.get(fmt)
    o = ours.get(fmt)
    pw = f"{p['wall_s']:.2f}" if p else "-"
    pc = f"{p['cpu_s']:.2f}" if p else "-"
    ow = f"{o[0]:.3f}" if o else "-"
    oc = f"{o[1]:.3f}" if o else "-"
    rate = f"{mb / o[0]:.0f}" if o else "-"
    up = f"{p['wall_s'] / o[0]:.1f}x" if p and o else "-"
    who = "numpy.load" if fmt == "npy" else "gensim"
    imp = float(imports[fmt]) if fmt in imports else None
    iw = f"{imp:.3f}" if imp else "-"
    iup = f"{p['wall_s'] / imp:.1f}x" if p and imp else "-"
    line = f"{fmt:<17} {mb:7.0f} {pw:>15} {pc:>8} {ow:>10} {oc:>8} {rate:>13} {up:>9} {iw:>9} {iup:>9}"
    print(line + (f"   ({who})" if p else ""))
PYEOF
