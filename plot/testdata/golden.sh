#!/bin/sh
# Regenerates the golden files of package plot from scikit-learn (Debian's
# python3-sklearn, installed here when missing; needs root for apt-get).
#
# words2000.txt.gz, the 2,000 most frequent words of 50-dimensional vectors
# trained by embeddb on gensim's Lee corpus, is remade only with
# REGEN_WORDS=1 (it needs ../shared/testdata).
set -eu
cd "$(dirname "$0")"
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	apt-get install -y python3-sklearn
fi
if [ "${REGEN_WORDS:-}" = 1 ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	root=$(git rev-parse --show-toplevel)
	(cd "$root" && go run ./cmd/embeddb "$tmp/w.db" \
		"TRAIN w2v FROM '$root/../shared/testdata/corpus/gensim/lee_background.cor' WITH (vector_size = 50, min_count = 3, workers = 1, seed = 1, epochs = 20)" \
		"EXPORT w2v TO '$tmp/w.txt' WITH (format = 'word2vec')" >/dev/null)
	{ echo "2000 50"; sed -n 2,2001p "$tmp/w.txt"; } | gzip -9n > words2000.txt.gz
fi
/usr/bin/python3 golden.py
