#!/usr/bin/python3
"""Regenerates nearest.golden.json: gensim 4's answers on vectors.txt.

usage: /usr/bin/python3 gen_nearest.py   (from this directory; needs python3-gensim)

vectors.txt is a small word2vec text file of clustered random vectors (seeded),
written once by this script; the golden records KeyedVectors.most_similar (single
words, positive/negative analogies) and similarity, as gensim computes them.
"""
import json
import numpy as np
from gensim.models import KeyedVectors

rng = np.random.default_rng(7)
words = [f"w{i:03d}" for i in range(300)]
centers = rng.standard_normal((12, 24)).astype(np.float32)
vecs = (centers[rng.integers(0, 12, size=300)] + 0.35 * rng.standard_normal((300, 24))).astype(np.float32)
kv = KeyedVectors(24)
kv.add_vectors(words, vecs)
kv.save_word2vec_format("vectors.txt", binary=False)
kv = KeyedVectors.load_word2vec_format("vectors.txt", binary=False)

cases = []
for w in ["w000", "w017", "w123", "w299"]:
    cases.append({"positive": [w], "negative": [], "topn": 10,
                  "result": [[k, float(s)] for k, s in kv.most_similar(w, topn=10)]})
for pos, neg in [(["w001", "w002"], ["w003"]), (["w010", "w020"], ["w030"]), (["w100"], ["w200"])]:
    cases.append({"positive": pos, "negative": neg, "topn": 7,
                  "result": [[k, float(s)] for k, s in kv.most_similar(positive=pos, negative=neg, topn=7)]})
sims = [[a, b, float(kv.similarity(a, b))] for a, b in [("w000", "w001"), ("w050", "w051"), ("w007", "w250")]]
json.dump({"cases": cases, "similarity": sims}, open("nearest.golden.json", "w"), indent=1)
print("wrote nearest.golden.json")
