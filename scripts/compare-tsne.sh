#!/bin/sh
# embeddb's t-SNE (PLOT ... WITH (method = 'tsne')) beside scikit-learn's
# Barnes-Hut TSNE on the same 5,000 word vectors, in one run: wall and CPU
# seconds of each, and the trustworthiness (k = 10) of each map, computed by
# sklearn.manifold.trustworthiness. Needs Debian's python3-sklearn (installed
# here when missing) and ../shared/testdata.
#
#   sh scripts/compare-tsne.sh [N]      (N points, 5000 by default)
set -eu
n=${1:-5000}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$root/../shared/testdata/corpus/gensim/lee_background.cor
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	apt-get install -y python3-sklearn
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/embeddb" ./cmd/embeddb
"$tmp/embeddb" "$tmp/w.db" \
	"TRAIN w2v FROM '$corpus' WITH (vector_size = 50, min_count = 1, workers = 1, seed = 1, epochs = 10)" \
	"EXPORT w2v TO '$tmp/w.txt' WITH (format = 'word2vec')" >/dev/null
# embeddb: the first N rows (the most frequent words), raw vectors as
# sklearn gets them; its own CPU time from /usr/bin/time's format.
/usr/bin/time -f "%e %U %S" -o "$tmp/time.txt" "$tmp/embeddb" -csv -noheader "$tmp/w.db" \
	"PLOT w2v LIMIT $n WITH (method = 'tsne', normalize = false)" > "$tmp/ours.csv"
/usr/bin/python3 - "$tmp/w.txt" "$tmp/ours.csv" "$tmp/time.txt" "$n" <<'PY'
import csv, resource, sys, time
import numpy as np
import sklearn
from sklearn.manifold import TSNE, trustworthiness
words_file, ours_file, time_file, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(words_file, encoding="utf-8") as f:
    f.readline()
    rows = [line.rstrip("\n").split(" ") for _, line in zip(range(n), f)]
words = [r[0] for r in rows]
X = np.asarray([[float(v) for v in r[1:]] for r in rows], dtype=np.float32)
with open(ours_file, encoding="utf-8") as f:
    r = list(csv.reader(f))
assert [row[0] for row in r] == words, "embeddb plotted other words"
ours = np.asarray([[float(row[1]), float(row[2])] for row in r])
wall, user, sys_ = map(float, open(time_file).read().split())
u0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
theirs = TSNE(n_components=2, random_state=1).fit_transform(X)
t1 = time.perf_counter()
u1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)
t_ours = trustworthiness(X, ours, n_neighbors=10)
t_theirs = trustworthiness(X, theirs, n_neighbors=10)
print(f"{n} points x {X.shape[1]} dims (lee_background word2vec)")
print(f"{'tool':<28} {'wall s':>8} {'CPU s':>8} {'trustworthiness':>16}")
print(f"{'embeddb PLOT (t-SNE)':<28} {wall:8.2f} {user + sys_:8.2f} {t_ours:16.4f}")
print(f"{'scikit-learn ' + sklearn.__version__ + ' TSNE':<28} {t1 - t0:8.2f} {cpu:8.2f} {t_theirs:16.4f}")
print(f"speed-up: {(t1 - t0) / wall:.2f}x wall, {cpu / (user + sys_):.2f}x CPU; trustworthiness difference {t_ours - t_theirs:+.4f}")
PY
