#!/usr/bin/python3
"""Regenerate keyedvectors.golden.json: gensim 4.2's KeyedVectors answers on real vectors.

usage: /usr/bin/python3 db/testdata/gen_keyedvectors.py
       (installs python3-gensim and python3-pyemd with apt-get when missing)

The vectors are ../../trainer/testdata/vectors-small.txt.gz (3,000 words of a skip-gram model
trained on Wikipedia, 50 dimensions; see trainer/testdata/gen_goldens.py). The golden records
most_similar_cosmul, doesnt_match, get_mean_vector (weights, pre_normalize) and wmdistance
(documents split on whitespace, as a_sentence.split()) as gensim computes them.
"""
import gzip, json, os, subprocess, sys

try:
    import pyemd  # noqa: F401  (gensim's wmdistance needs it)
    from gensim.models import KeyedVectors
except ImportError:
    subprocess.run(["apt-get", "install", "-y", "python3-gensim", "python3-pyemd"], check=True)
    from gensim.models import KeyedVectors

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "trainer", "testdata", "vectors-small.txt.gz")
with gzip.open(SRC, "rt", encoding="utf-8") as fh:
    tmp = os.path.join(HERE, "kv-vectors.tmp.txt")
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(fh.read())
kv = KeyedVectors.load_word2vec_format(tmp, binary=False)
os.remove(tmp)

cosmul = []
for pos, neg, topn in [(["king", "woman"], ["man"], 5), (["paris", "england"], ["france"], 5),
                       (["city"], [], 8), (["music", "film"], [], 5), (["river"], ["water"], 3),
                       (["london", "chicago", "paris"], ["city"], 4)]:
    cosmul.append({"positive": pos, "negative": neg, "topn": topn,
                   "result": [[w, float(s)] for w, s in kv.most_similar_cosmul(positive=pos, negative=neg, topn=topn)]})

doesnt = []
for words in [["king", "queen", "man", "car"], ["paris", "london", "chicago", "music"],
              ["film", "music", "river"], ["water", "river", "city", "town", "president"]]:
    doesnt.append({"words": words, "result": kv.doesnt_match(words)})

mean = []
for keys, weights, pre in [(["king", "queen"], None, True), (["king", "queen"], None, False),
                           (["king", "man", "woman"], [1.0, -1.0, 1.0], True),
                           (["paris", "france"], [2.0, 0.5], False)]:
    v = kv.get_mean_vector(keys, weights=weights, pre_normalize=pre)
    mean.append({"keys": keys, "weights": weights, "pre_normalize": pre, "result": [float(x) for x in v]})

wmd = []
for a, b in [("the president speaks to the press in chicago", "the king talks to the media in london"),
             ("music and film", "film and music"),
             ("the city by the river", "a town near the water"),
             ("king queen", "car river water city"),
             ("paris paris london", "london"),
             ("zzzz king", "queen qqqq")]:
    d = kv.wmdistance(a.split(), b.split())
    wmd.append({"a": a, "b": b, "result": float(d)})

with open(os.path.join(HERE, "keyedvectors.golden.json"), "w") as fh:
    json.dump({"cosmul": cosmul, "doesnt_match": doesnt, "mean_vector": mean, "wmdistance": wmd}, fh, indent=1)
print("wrote keyedvectors.golden.json")
