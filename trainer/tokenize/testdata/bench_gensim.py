#!/usr/bin/python3
"""Time gensim 4.2's simple_preprocess on the text BenchmarkSimple_Tokens uses
(the first two Wikipedia shards, line by line), for the ratio in the report:

    /usr/bin/python3 testdata/bench_gensim.py
"""
import gzip
import os
import time

from gensim.utils import simple_preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get('EMBEDDB_SHARED', os.path.join(HERE, '..', '..', '..', '..', 'shared'))

lines, size = [], 0
for i in range(2):
    with gzip.open(os.path.join(SHARED, 'testdata', 'corpus', 'wikipedia', 'wiki_AA_%02d.txt.gz' % i), 'rb') as fh:
        data = fh.read()
    size += len(data)
    lines += data.splitlines(keepends=True)

for deacc in (False, True):
    best = None
    for _ in range(3):
        t = time.perf_counter()
        n = sum(len(simple_preprocess(l, deacc=deacc)) for l in lines)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    print('gensim simple_preprocess deacc=%s: %.2f MB/s, %.0f tokens/s (best of 3)' % (deacc, size / best / 1e6, n / best))
