#!/usr/bin/python3
"""Time IMPORT of a fastText .bin beside gensim's load_facebook_model, in one run.

usage: /usr/bin/python3 scripts/compare_fasttext_bin.py [WORDS] [BUCKETS] [DIM]
       (defaults 100000 words, 2000000 buckets, dimension 100; needs python3-gensim and go)

Writes a random skipgram model in fastText's .bin format (words "w<i>"), then loads it with
gensim's load_facebook_model and with the embeddb command's IMPORT ... WITH (format =
'fasttext'), each in its own process, and prints wall and CPU seconds and their ratios.
The issue's target size is 1,000,000 words and 2,000,000 buckets (4.5 GB of floats).
"""
import os, resource, struct, subprocess, sys, tempfile, time
import numpy as np

words = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
buckets = int(sys.argv[2]) if len(sys.argv) > 2 else 2000000
dim = int(sys.argv[3]) if len(sys.argv) > 3 else 100
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = tempfile.mkdtemp(prefix="ftbin-")
path = os.path.join(tmp, "m.bin")
rng = np.random.default_rng(1)
with open(path, "wb") as f:
    f.write(struct.pack("<ii", 793712314, 12))
    f.write(struct.pack("<12i", dim, 5, 5, 5, 5, 1, 2, 2, buckets, 3, 6, 100))
    f.write(struct.pack("<d", 1e-4))
    f.write(struct.pack("<iiiqq", words, words, 0, words * 10, -1))
    for i in range(words):
        f.write(b"w%d\x00" % i + struct.pack("<qb", words - i, 0))
    f.write(struct.pack("<?qq", False, words + buckets, dim))
    for lo in range(0, words + buckets, 100000):
        n = min(100000, words + buckets - lo)
        f.write((rng.random((n, dim), dtype=np.float32) - 0.5).tobytes())
    f.write(struct.pack("<?qq", False, words, dim))
    f.write(np.zeros((words, dim), dtype=np.float32).tobytes())
print(f"{words} words, {buckets} buckets, dim {dim}: {os.path.getsize(path) / 1e6:.0f} MB")

subprocess.run(["go", "build", "-o", os.path.join(tmp, "embeddb"), "./cmd/embeddb"], cwd=repo, check=True)


def timed(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


g = timed([sys.executable, "-c", f"from gensim.models.fasttext import load_facebook_model; load_facebook_model({path!r})"])
e = timed([os.path.join(tmp, "embeddb"), os.path.join(tmp, "x.db"), f"IMPORT m FROM '{path}' WITH (format = 'fasttext')"])
print(f"gensim load_facebook_model: {g[0]:.1f} s wall, {g[1]:.1f} s CPU")
print(f"embeddb IMPORT:             {e[0]:.1f} s wall, {e[1]:.1f} s CPU")
print(f"ratio: {g[0] / e[0]:.2f}x wall, {g[1] / e[1]:.2f}x CPU")
subprocess.run(["rm", "-rf", tmp])
