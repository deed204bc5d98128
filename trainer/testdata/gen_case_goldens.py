#!/usr/bin/python3
"""Regenerate eval_case.json: gensim 4.2's evaluations with case_insensitive=False.

usage: /usr/bin/python3 trainer/testdata/gen_case_goldens.py [SHARED_DIR]   (default <repo>/../shared)
       (installs python3-gensim with apt-get when missing)

On vectors-small.txt.gz (see gen_goldens.py), with a few rows renamed to capitalised forms
(so that case matters both ways: "Paris" and "paris" are then different words), it records
evaluate_word_analogies and evaluate_word_pairs with case_insensitive False and True.
"""
import gzip, json, os, subprocess, sys

try:
    from gensim.models import KeyedVectors
except ImportError:
    subprocess.run(["apt-get", "install", "-y", "python3-gensim"], check=True)
    from gensim.models import KeyedVectors

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared")
EVAL = os.path.join(SHARED, "testdata", "eval")
RENAME = {"paris": "Paris", "france": "France", "london": "London", "england": "England",
          "berlin": "Berlin", "germany": "Germany", "king": "King"}

with gzip.open(os.path.join(HERE, "vectors-small.txt.gz"), "rt", encoding="utf-8") as fh:
    lines = fh.read().split("\n")
out = [lines[0]]
for line in lines[1:]:
    if not line:
        continue
    w, rest = line.split(" ", 1)
    out.append(RENAME.get(w, w) + " " + rest)
tmp = os.path.join(HERE, "case.tmp.txt")
with open(tmp, "w", encoding="utf-8") as fh:
    fh.write("\n".join(out) + "\n")
kv = KeyedVectors.load_word2vec_format(tmp, binary=False)
os.remove(tmp)
res = {"rename": RENAME}
for ci in (False, True):
    score, sections = kv.evaluate_word_analogies(os.path.join(EVAL, "questions-words.txt"), case_insensitive=ci)
    total = [s for s in sections if s["section"] == "Total accuracy"][0]
    pr, sp, oov = kv.evaluate_word_pairs(os.path.join(EVAL, "wordsim353.tsv"), case_insensitive=ci)
    res["case_insensitive" if ci else "case_sensitive"] = {
        "analogy_accuracy": score, "correct": len(total["correct"]), "incorrect": len(total["incorrect"]),
        "pearson": float(pr[0]), "spearman": float(sp[0]), "oov_ratio": float(oov)}
with open(os.path.join(HERE, "eval_case.json"), "w") as fh:
    json.dump(res, fh, indent=1)
print(json.dumps(res, indent=1))
