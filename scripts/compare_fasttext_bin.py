#!/usr/bin/python3
"""Time IMPORT of a fastText .bin beside gensim's load_facebook_model, in one run.

usage: /usr/bin/python3 scripts/compare_fasttext_bin.py [WORDS] [BUCKETS] [DIM]
           [--repeat N] [--model PATH] [--embeddb BIN]...
       (defaults 100000 words, 2000000 buckets, dimension 100, 1 repetition; needs
       python3-gensim and go)

Writes a random skipgram model in fastText's .bin format (words "w<i>"), then loads it with
gensim's load_facebook_model and with the embeddb command's IMPORT ... WITH (format =
'fasttext'), each in its own process, and prints wall and CPU seconds and their ratios.
The issue's target size is 1,000,000 words and 2,000,000 buckets: 3,000,000 input rows and
1,000,000 output rows of 100 float32s, 1.6 GB.

--repeat N runs gensim and embeddb alternately N times (gensim, embeddb, gensim, embeddb, ...)
so that, on a shared machine, each ratio compares runs taken side by side; each repetition's
ratio is printed, then the median. --model PATH keeps the generated model at PATH (and reuses
it if it exists), so that profiles and later runs read the same file. --embeddb BIN, which may
be repeated, times these embeddb commands instead of one built from this checkout (an old and
a new build side by side: each is timed in every repetition, its ratio to that repetition's
gensim printed).
"""
import argparse, os, resource, statistics, struct, subprocess, sys, tempfile, time
import numpy as np

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("words", type=int, nargs="?", default=100000)
ap.add_argument("buckets", type=int, nargs="?", default=2000000)
ap.add_argument("dim", type=int, nargs="?", default=100)
ap.add_argument("--repeat", type=int, default=1)
ap.add_argument("--model")
ap.add_argument("--embeddb", action="append")
args = ap.parse_args()
words, buckets, dim = args.words, args.buckets, args.dim
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tmp = tempfile.mkdtemp(prefix="ftbin-")
path = args.model or os.path.join(tmp, "m.bin")


def write_model(path):
    rng = np.random.default_rng(1)
    with open(path + ".part", "wb") as f:
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
    os.rename(path + ".part", path)


if not os.path.exists(path):
    write_model(path)
print(f"{words} words, {buckets} buckets, dim {dim}: {os.path.getsize(path) / 1e6:.0f} MB ({path})")

bins = args.embeddb
if not bins:
    bins = [os.path.join(tmp, "embeddb")]
    subprocess.run(["go", "build", "-o", bins[0], "./cmd/embeddb"], cwd=repo, check=True)


def timed(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def embeddb(bin):
    db = os.path.join(tmp, "x.db")
    for f in (db, db + "-lock", db + "-wal"):
        if os.path.exists(f):
            os.remove(f)
    return timed([bin, db, f"IMPORT m FROM '{path}' WITH (format = 'fasttext')"])


gensim = [sys.executable, "-c", f"from gensim.models.fasttext import load_facebook_model; load_facebook_model({path!r})"]
ratios = {b: ([], []) for b in bins}
for rep in range(1, args.repeat + 1):
    g = timed(gensim)
    print(f"[{rep}] gensim load_facebook_model: {g[0]:6.1f} s wall, {g[1]:6.1f} s CPU", flush=True)
    for b in bins:
        e = embeddb(b)
        ratios[b][0].append(g[0] / e[0])
        ratios[b][1].append(g[1] / e[1])
        print(f"[{rep}] embeddb IMPORT ({os.path.basename(b)}): {e[0]:6.1f} s wall, {e[1]:6.1f} s CPU;"
              f" ratio {g[0] / e[0]:.2f}x wall, {g[1] / e[1]:.2f}x CPU", flush=True)
for b in bins:
    w, c = ratios[b]
    print(f"{os.path.basename(b)}: median ratio {statistics.median(w):.2f}x wall, {statistics.median(c):.2f}x CPU"
          f" over {len(w)} repetitions")
subprocess.run(["rm", "-rf", tmp])
