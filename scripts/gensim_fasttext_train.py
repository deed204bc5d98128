#!/usr/bin/python3
"""Train gensim 4.x FastText on the tokenized corpus and save its word vectors as word2vec text.

usage: gensim_fasttext_train.py --mode file|iter --sg 1|0 --tok CORPUS.tok --out VECS.txt

The FastText twin of ../shared/peers/gensim_train.py (same parameters, same RESULT line, so
run_timed.py times it the same way): vector_size 100, window 5, negative 5, sample 1e-3,
min_count 5, gensim's FastText defaults min_n 3, max_n 6, bucket 2,000,000.
mode=file : corpus_file mode; mode=iter : the corpus read into a list of token lists first.
Needs Debian's python3-gensim (apt-get install -y python3-gensim).
"""
import argparse, json, logging, time

from gensim.models import FastText

ap = argparse.ArgumentParser()
ap.add_argument("--mode", choices=["file", "iter"], required=True)
ap.add_argument("--sg", type=int, choices=[0, 1], required=True)
ap.add_argument("--tok", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--workers", type=int, default=2)
ap.add_argument("--epochs", type=int, default=5)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--bucket", type=int, default=2000000)
a = ap.parse_args()
logging.basicConfig(level=logging.WARNING)

params = dict(sg=a.sg, vector_size=100, window=5, negative=5, hs=0, sample=1e-3, min_count=5,
              epochs=a.epochs, workers=a.workers, seed=a.seed, min_n=3, max_n=6, bucket=a.bucket)
res = {"mode": a.mode, "params": params, "model": "fasttext"}
t = time.perf_counter
model = FastText(**params)
if a.mode == "file":
    t0 = t()
    model.build_vocab(corpus_file=a.tok)
    t1 = t()
    model.train(corpus_file=a.tok, total_examples=model.corpus_count,
                total_words=model.corpus_total_words, epochs=model.epochs)
    t2 = t()
    res.update(load_s=0.0, vocab_s=t1 - t0, train_s=t2 - t1)
else:
    t0 = t()
    with open(a.tok, encoding="utf-8") as fh:
        sentences = [line.split() for line in fh]
    t1 = t()
    model.build_vocab(sentences)
    t2 = t()
    model.train(sentences, total_examples=model.corpus_count,
                total_words=model.corpus_total_words, epochs=model.epochs)
    t3 = t()
    res.update(load_s=t1 - t0, vocab_s=t2 - t1, train_s=t3 - t2)
t4 = t()
model.wv.save_word2vec_format(a.out, binary=False)
res["save_s"] = t() - t4
res["vocab_size"] = len(model.wv)
res["corpus_total_words"] = model.corpus_total_words
print("RESULT " + json.dumps(res), flush=True)
