#!/usr/bin/python3
"""Regenerate trainer/testdata/ft_ngrams.json from gensim's FastText hashing (Debian gensim 4.2).

usage: trainer/testdata/gen_ft_goldens.py        (installs python3-gensim with apt-get if missing)

For a table of tricky words (accents, CJK, emoji, one-letter words, repeated n-grams) and
several (min_n, max_n, bucket) settings it records gensim's compute_ngrams_bytes (the n-grams,
as UTF-8 hex) and ft_ngram_hashes (their buckets), plus ft_hash_bytes of each whole word.
These are the same ids Facebook's fastText gives (gensim's own tests check that).
"""
import json, os, subprocess, sys

try:
    from gensim.models.fasttext import compute_ngrams_bytes, ft_hash_bytes, ft_ngram_hashes
except ImportError:
    subprocess.run(["apt-get", "install", "-y", "python3-gensim"], check=True)
    from gensim.models.fasttext import compute_ngrams_bytes, ft_hash_bytes, ft_ngram_hashes

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = ["a", "i", "an", "the", "word", "unseenword", "aaaaaaa", "café", "naïve", "Ärger",
         "straße", "東京", "日本語の単語", "😀", "a😀b", "👩‍💻", "ñ", "—", "<", ">", "<s>",
         "mañana", "κόσμος", "привет", "x" * 20, ""]
SETTINGS = [(3, 6, 2000000), (1, 2, 1000), (3, 3, 97), (5, 5, 2000000), (2, 8, 10)]

cases = []
for min_n, max_n, bucket in SETTINGS:
    for w in WORDS:
        cases.append({
            "word": w, "min_n": min_n, "max_n": max_n, "bucket": bucket,
            "ngrams": [bytes(g).hex() for g in compute_ngrams_bytes(w, min_n, max_n)],
            "buckets": [int(h) for h in ft_ngram_hashes(w, min_n, max_n, bucket)],
        })
hashes = {w: int(ft_hash_bytes(w.encode("utf-8"))) for w in WORDS}
with open(os.path.join(HERE, "ft_ngrams.json"), "w") as fh:
    json.dump({"cases": cases, "hashes": hashes}, fh, ensure_ascii=False, indent=0)
print("wrote", len(cases), "cases")
