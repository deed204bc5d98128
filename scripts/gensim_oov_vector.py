#!/usr/bin/python3
"""Time gensim's FastTextKeyedVectors.get_vector of unseen words, the peer of
db's BenchmarkVector_OOV (10,000 words, dimension 100, 200,000 buckets, min_n 3, max_n 6;
the same query words "unseenword<i>x"). Prints wall and CPU microseconds per query.

usage: /usr/bin/python3 scripts/gensim_oov_vector.py    (needs python3-gensim)
compare: go test ./db -run '^$' -bench BenchmarkVector_OOV -benchtime 30000x
"""
import time, numpy as np, resource
from gensim.models.fasttext import FastTextKeyedVectors
kv = FastTextKeyedVectors(vector_size=100, min_n=3, max_n=6, bucket=200000)
kv.add_vectors([f"word{i}" for i in range(10000)], np.random.rand(10000, 100).astype(np.float32))
kv.vectors_vocab = kv.vectors.copy()
kv.vectors_ngrams = (np.random.rand(200000, 100).astype(np.float32) - 0.5)
qs = [f"unseenword{i}x" for i in range(1024)]
for q in qs: kv.get_vector(q)
N = 30000
t0 = time.perf_counter(); c0 = time.process_time()
for i in range(N): kv.get_vector(qs[i % 1024])
print("gensim get_vector OOV: %.1f us/query wall, %.1f cpu-us/query" % ((time.perf_counter()-t0)/N*1e6, (time.process_time()-c0)/N*1e6))
