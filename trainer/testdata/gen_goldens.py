#!/usr/bin/python3
"""Regenerate the gensim goldens of package trainer (run with Debian's gensim 4.2 / numpy 1.24).

usage: trainer/testdata/gen_goldens.py [SHARED_DIR]      (default: <repo>/../shared)

Writes, next to this script:
  vocab.json     gensim's vocabulary (words in order, counts, sample_int, cum_table, Huffman
                 codes/points) after build_vocab on the Lee background corpus, one line =
                 simple_preprocess(line), for several parameter sets, plus a continued-training
                 vocabulary (build_vocab(update=True)).
  eval.json      gensim's evaluate_word_analogies / evaluate_word_pairs on vectors-small.txt.gz.
vectors-small.txt.gz is an input, not an output: the 3,000 most frequent rows, first 50
dimensions, of a skip-gram model that trainer/internal/cmd/w2vtrain trained (sg=1, workers=2,
gensim's other defaults) on the peers' tokenized Wikipedia corpus (peers/prep_corpus.py),
written as word2vec text with '%.6g' numbers and gzipped. Any word2vec text file will do in its
place: the golden only records what gensim computes on whatever vectors are there.
"""
import gzip, json, os, sys

from gensim.models import KeyedVectors, Word2Vec
from gensim.utils import simple_preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared")
LEE = os.path.join(SHARED, "testdata", "corpus", "gensim", "lee_background.cor")
EVAL = os.path.join(SHARED, "testdata", "eval")


def sentences(path):
    out = []
    with open(path, "rb") as fh:
        for line in fh:  # binary: split on \n only, like LineSentence
            toks = simple_preprocess(line.decode("utf-8", "ignore"))
            for i in range(0, len(toks), 10000):
                out.append(toks[i:i + 10000])
    return out


def vocab_case(name, sents, **params):
    m = Word2Vec(vector_size=8, workers=1, seed=1, **params)
    m.build_vocab(sents)
    wv = m.wv
    rec = {"name": name, "params": params, "words": list(wv.index_to_key),
           "counts": [int(wv.get_vecattr(w, "count")) for w in wv.index_to_key],
           "sample_int": [int(wv.get_vecattr(w, "sample_int")) for w in wv.index_to_key],
           "corpus_total_words": int(m.corpus_total_words), "corpus_count": int(m.corpus_count)}
    if m.negative:
        rec["cum_table"] = [int(x) for x in m.cum_table]
    if m.hs:
        rec["codes"] = ["".join(str(int(c)) for c in wv.get_vecattr(w, "code")) for w in wv.index_to_key]
        if len(wv) < 2000:
            rec["points"] = [[int(p) for p in wv.get_vecattr(w, "point")] for w in wv.index_to_key]
    if not (m.sample != 1e-3 or name == "default"):
        del rec["sample_int"]
    return rec, m


def main():
    sents = sentences(LEE)
    cases = []
    for name, params in [
        ("default", dict()),
        ("min_count_2_hs", dict(min_count=2, hs=1, negative=0)),
        ("max_vocab_size_3000", dict(min_count=1, max_vocab_size=3000)),
        ("max_vocab_size_800_mc3", dict(min_count=3, max_vocab_size=800)),
        ("max_final_vocab_500", dict(min_count=1, max_final_vocab=500)),
        ("sample_1e-5_ns_-0.5", dict(min_count=2, sample=1e-5, ns_exponent=-0.5)),
        ("sample_100", dict(min_count=2, sample=100)),
        ("hs_default", dict(hs=1)),
    ]:
        rec, _ = vocab_case(name, sents, **params)
        cases.append(rec)
    # continued training: first 200 documents, then update with the last 100
    rec, m = vocab_case("update_first", sents[:200], min_count=2, hs=1)
    m.build_vocab(sents[200:], update=True)
    wv = m.wv
    upd = {"name": "update", "params": {"min_count": 2, "hs": 1}, "split": 200,
           "words": list(wv.index_to_key),
           "counts": [int(wv.get_vecattr(w, "count")) for w in wv.index_to_key],
           "cum_table": [int(x) for x in m.cum_table],
           "codes": ["".join(str(int(c)) for c in wv.get_vecattr(w, "code")) for w in wv.index_to_key]}
    with open(os.path.join(HERE, "vocab.json"), "w") as fh:
        json.dump({"corpus": "corpus/gensim/lee_background.cor", "cases": cases, "update": upd}, fh)

    vec = os.path.join(HERE, "vectors-small.txt.gz")
    if os.path.exists(vec):
        kv = KeyedVectors.load_word2vec_format(vec, binary=False)
        ev = {"vectors": "vectors-small.txt.gz", "analogies": [], "pairs": []}
        for restrict in (300000, 1000):
            score, sections = kv.evaluate_word_analogies(os.path.join(EVAL, "questions-words.txt"),
                                                         restrict_vocab=restrict)
            ev["analogies"].append({
                "restrict_vocab": restrict, "score": score,
                "sections": [{"section": s["section"], "correct": len(s["correct"]),
                              "incorrect": len(s["incorrect"])} for s in sections]})
        for f in ("wordsim353.tsv", "simlex999.txt"):
            for restrict in (300000, 1000):
                p, s, oov = kv.evaluate_word_pairs(os.path.join(EVAL, f), restrict_vocab=restrict)
                ev["pairs"].append({"file": f, "restrict_vocab": restrict, "pearson": float(p[0]),
                                    "spearman": float(s[0]), "oov_ratio": float(oov)})
        with open(os.path.join(HERE, "eval.json"), "w") as fh:
            json.dump(ev, fh, indent=1)


if __name__ == "__main__":
    main()
