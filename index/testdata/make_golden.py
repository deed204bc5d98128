#!/usr/bin/python3
"""Regenerates the gensim goldens that index tests compare Flat search with.

usage (from the repository root):
    /usr/bin/python3 index/testdata/make_golden.py [SHARED_DIR]

SHARED_DIR defaults to ../shared (or $EMBEDDB_SHARED). Needs gensim 4.2 and numpy.

1. Trains a small Word2Vec model (gensim 4.2) on the Lee background corpus
   (SHARED_DIR/testdata/corpus/gensim/lee_background.cor, one document a line,
   gensim's simple_preprocess), vector_size 24, min_count 5, epochs 10, seed 1,
   workers 1, and writes it as word2vec text: lee24.txt.
2. Reloads lee24.txt with KeyedVectors.load_word2vec_format, so that the answers
   below are computed from exactly the float32 values the Go test reads, and
   writes golden.jsonl, one query a line:
     {"metric": "cosine", "positive": [...], "negative": [...], "topn": 10,
      "result": [[word, score], ...]}
   cosine rows are gensim's most_similar(positive, negative, topn); dot and
   euclidean rows are numpy's exact answers (score: dot product, and minus the
   Euclidean distance), with the query word left out as most_similar does.
"""
import json, os, sys

import numpy as np
from gensim.models import KeyedVectors, Word2Vec
from gensim.utils import simple_preprocess

here = os.path.dirname(os.path.abspath(__file__))
shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "EMBEDDB_SHARED", os.path.join(here, "..", "..", "..", "shared"))
corpus = os.path.join(shared, "testdata", "corpus", "gensim", "lee_background.cor")
with open(corpus, encoding="latin-1") as fh:
    sentences = [simple_preprocess(line) for line in fh]

model = Word2Vec(sentences, vector_size=24, min_count=5, epochs=10, seed=1, workers=1)
vec_path = os.path.join(here, "lee24.txt")
model.wv.save_word2vec_format(vec_path, binary=False)

kv = KeyedVectors.load_word2vec_format(vec_path, binary=False)
words = kv.index_to_key
rng = np.random.default_rng(7)
singles = ["australia", "government", "police", "bank", "fire", "test", "said", "afghanistan"]
singles += [words[i] for i in rng.choice(len(words), size=22, replace=False)]
analogies = [(["man", "king"], ["woman"]), (["sydney", "australia"], ["melbourne"]),
             (["police", "fire"], []), (["bank", "money"], ["government"])]
for _ in range(8):
    a, b, c = rng.choice(len(words), size=3, replace=False)
    analogies.append(([words[a], words[b]], [words[c]]))

out = []
for w in singles:
    out.append({"metric": "cosine", "positive": [w], "negative": [], "topn": 10,
                "result": [[x, float(s)] for x, s in kv.most_similar(positive=[w], topn=10)]})
for pos, neg in analogies:
    pos = [w for w in pos if w in kv.key_to_index]
    neg = [w for w in neg if w in kv.key_to_index]
    if not pos:
        continue
    out.append({"metric": "cosine", "positive": pos, "negative": neg, "topn": 10,
                "result": [[x, float(s)] for x, s in kv.most_similar(positive=pos, negative=neg, topn=10)]})

X = kv.vectors.astype(np.float32)
for w in singles[:15]:
    q = X[kv.key_to_index[w]]
    for metric in ("dot", "euclidean"):
        if metric == "dot":
            s = X @ q
        else:
            s = -np.sqrt(((X - q) ** 2).sum(axis=1))
        order = [i for i in np.argsort(-s, kind="stable") if i != kv.key_to_index[w]][:10]
        out.append({"metric": metric, "positive": [w], "negative": [], "topn": 10,
                    "result": [[words[i], float(s[i])] for i in order]})

with open(os.path.join(here, "golden.jsonl"), "w") as fh:
    for rec in out:
        fh.write(json.dumps(rec) + "\n")
print(f"{len(words)} words, {len(out)} queries", file=sys.stderr)
