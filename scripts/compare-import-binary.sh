#!/bin/sh
# Times gensim's load_word2vec_format of the 1M x 100 word2vec binary file and embeddb's IMPORT
# of the same file into a fresh database, taking turns (one of each per round), and prints the
# median of each and their ratio. Taking turns puts the machine's drifts in write speed on both.
#
#   scripts/compare-import-binary.sh [ROUNDS]     (default 5)
#
# Env: WORK (default /tmp/embeddb-compare-load) holds the file; scripts/compare-load.sh makes it.
# Needs Go and Debian's /usr/bin/python3 with gensim (apt-get install -y python3-gensim).
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
WORK=${WORK:-/tmp/embeddb-compare-load}
BIN="$WORK/synthetic1000000.bin"
[ -f "$BIN" ] || { echo "no $BIN: run scripts/compare-load.sh first" >&2; exit 1; }
go build -o "$WORK/embeddb" ./cmd/embeddb
/usr/bin/python3 - "$ROUNDS" "$BIN" "$WORK/embeddb" "$WORK/import-binary.db" <<'PYEOF'
import gc, os, statistics, subprocess, sys, time
from gensim.models import KeyedVectors
rounds, path, cmd, db = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sql = f"IMPORT t FROM '{path}' WITH (binary = true)"
g, e = [], []
for _ in range(rounds):
    gc.collect()
    t = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(path, binary=True)
    g.append(time.perf_counter() - t)
    del kv
    gc.collect()
    if os.path.exists(db):
        os.remove(db)
    os.sync()
    t = time.perf_counter()
    subprocess.run([cmd, "-mode", "csv", db, sql], stdout=subprocess.DEVNULL, check=True)
    e.append(time.perf_counter() - t)
os.remove(db)
print("gensim load_word2vec_format s:", " ".join(f"{x:.2f}" for x in g), f"median {statistics.median(g):.3f}")
print("embeddb IMPORT s:             ", " ".join(f"{x:.2f}" for x in e), f"median {statistics.median(e):.3f}")
print(f"speed-up (ratio of medians): {statistics.median(g) / statistics.median(e):.2f}x")
PYEOF
