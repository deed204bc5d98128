#!/bin/sh
# Regenerates tiny.vec with the fastText tool (/usr/bin/fasttext, Debian's fasttext 0.9.2) and
# records gensim's reading of it in tiny.golden.json. Review the diff afterwards.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 50); do echo "the cat sat on the mat and the dog ate the bone"; done > "$tmp/corpus.txt"
fasttext skipgram -input "$tmp/corpus.txt" -output "$tmp/m" -dim 4 -epoch 1 -minCount 1 -thread 1 -seed 1 >/dev/null 2>&1
cp "$tmp/m.vec" tiny.vec
od -A n -t u4 -N 8 "$tmp/m.bin" | awk '{print "{\"magic\": " $1 ", \"version\": " $2 "}"}' > tiny.bin.head.json
/usr/bin/python3 - <<'PY'
import json, numpy as np
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format("tiny.vec")
json.dump({"words": kv.index_to_key, "bits": [int(x) for x in kv.vectors.astype("<f4").view("<u4").ravel()]},
          open("tiny.golden.json", "w"))
PY
