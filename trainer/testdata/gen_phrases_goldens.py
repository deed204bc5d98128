#!/usr/bin/python3
"""Regenerate phrases.json: gensim 4.2's Phrases on the Lee background corpus.

usage: /usr/bin/python3 trainer/testdata/gen_phrases_goldens.py [SHARED_DIR]  (default <repo>/../shared)
       (installs python3-gensim with apt-get when missing)

Sentences are lines of lee_background.cor through simple_preprocess (as TRAIN reads them).
For several settings (scoring default and npmi, min_count, threshold, delimiter, connector
words) it records export_phrases() and phrases[sentence] of the first 15 sentences.
"""
import json, os, subprocess, sys

try:
    from gensim.models.phrases import Phrases, ENGLISH_CONNECTOR_WORDS
except ImportError:
    subprocess.run(["apt-get", "install", "-y", "python3-gensim"], check=True)
    from gensim.models.phrases import Phrases, ENGLISH_CONNECTOR_WORDS
from gensim.utils import simple_preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared")
LEE = os.path.join(SHARED, "testdata", "corpus", "gensim", "lee_background.cor")
with open(LEE, "rb") as fh:
    sents = [simple_preprocess(l.decode("utf-8", "ignore")) for l in fh]

cases = []
for name, kw in [("default", dict(min_count=5, threshold=10.0)),
                 ("low-threshold", dict(min_count=3, threshold=2.0, delimiter="-")),
                 ("npmi", dict(min_count=5, threshold=0.5, scoring="npmi")),
                 ("connectors", dict(min_count=3, threshold=5.0, connector_words=ENGLISH_CONNECTOR_WORDS))]:
    p = Phrases(sents, **kw)
    params = {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in kw.items()}
    cases.append({"name": name, "params": params, "corpus_word_count": p.corpus_word_count,
                  "phrases": {k: float(v) for k, v in p.export_phrases().items()},
                  "sentences": [p[s] for s in sents[:15]]})
with open(os.path.join(HERE, "phrases.json"), "w") as fh:
    json.dump({"cases": cases}, fh, separators=(",", ":"))
for c in cases:
    print(c["name"], len(c["phrases"]), "phrases")
