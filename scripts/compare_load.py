#!/usr/bin/python3
"""Make the load-comparison files and time gensim / numpy on them (see compare-load.sh).

usage:
  compare_load.py make DIR N        write DIR/synthetic{N}.{txt,bin,npy} and .words.txt, as
                                    /work/shared/peers/loading.py makes them (default_rng(42),
                                    N x 100 standard-normal float32, keys '0'..'N-1', gensim's
                                    save_word2vec_format), plus DIR/qwen-bf16.safetensors: a random
                                    151936 x 1536 bf16 matrix named model.embed_tokens.weight
  compare_load.py time DIR N REPS   time gensim load_word2vec_format (text, binary) and numpy.load,
                                    REPS loads each from a warm page cache, alternating; print one
                                    JSON object per format with wall and CPU seconds (median)
"""
import gc, json, os, statistics, struct, sys, time

import numpy as np

cmd, D, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = os.path.join(D, f"synthetic{N}")
paths = {"text": base + ".txt", "binary": base + ".bin", "npy": base + ".npy"}

if cmd == "make":
    from gensim.models import KeyedVectors
    os.makedirs(D, exist_ok=True)
    if not all(os.path.exists(p) for p in paths.values()):
        rng = np.random.default_rng(42)
        X = rng.standard_normal((N, 100), dtype=np.float32)
        kv = KeyedVectors(vector_size=100, count=0)
        keys = [str(i) for i in range(N)]
        kv.add_vectors(keys, X)
        kv.save_word2vec_format(paths["text"], binary=False)
        kv.save_word2vec_format(paths["binary"], binary=True)
        np.save(paths["npy"], X)
        with open(base + ".words.txt", "w") as fh:
            fh.write("\n".join(keys) + "\n")
    st = os.path.join(D, "qwen-bf16.safetensors")
    if not os.path.exists(st):
        rows, dim = 151936, 1536
        rng = np.random.default_rng(43)
        bits = (rng.standard_normal((rows, dim), dtype=np.float32) * np.float32(0.02)).view("<u4")
        bf16 = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2")   # round to nearest even
        n = bf16.nbytes
        hdr = json.dumps({"__metadata__": {"format": "pt"}, "model.embed_tokens.weight":
                          {"dtype": "BF16", "shape": [rows, dim], "data_offsets": [0, n]}},
                         separators=(",", ":")).encode()
        hdr += b" " * (-len(hdr) % 8)
        with open(st, "wb") as fh:
            fh.write(struct.pack("<Q", len(hdr)) + hdr)
            fh.write(bf16.tobytes())
    sys.exit(0)

from gensim.models import KeyedVectors

loaders = {
    "text": lambda p: KeyedVectors.load_word2vec_format(p, binary=False),
    "binary": lambda p: KeyedVectors.load_word2vec_format(p, binary=True),
    "npy": np.load,
}
reps = int(sys.argv[4])
for p in paths.values():
    with open(p, "rb") as fh:
        while fh.read(1 << 24):
            pass
wall = {k: [] for k in paths}
cpu = {k: [] for k in paths}
for _ in range(reps):
    for fmt, p in paths.items():
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        obj = loaders[fmt](p)
        wall[fmt].append(time.perf_counter() - t0)
        cpu[fmt].append(time.process_time() - c0)
        del obj
for fmt, p in paths.items():
    print(json.dumps({"format": fmt, "file": p, "bytes": os.path.getsize(p),
                      "wall_s": statistics.median(wall[fmt]), "cpu_s": statistics.median(cpu[fmt]), "n": reps}))
