#!/usr/bin/python3
"""One 2-thread HNSW build of a peer on ../shared/peers/ann's prepared data, timed.

usage: compare_build.py DATA_DIR PEER   (PEER: hnswlib | faiss)
env:   THREADS (2)
Prints one JSON line: wall seconds and CPU seconds (all threads of this
process) of the build alone, not of loading the vectors. The calls are those
of ../shared/peers/ann/peers.py (M 16, ef_construction 200, inner product on
the unit vectors), which has no build-only step and reports no CPU time.
"""
import json, os, sys, time, gc
import numpy as np

data, peer = sys.argv[1], sys.argv[2]
threads = int(os.environ.get("THREADS", "2"))
B = np.load(f"{data}/base_norm.npy")
n, dim = B.shape
gc.collect()
if peer == "hnswlib":
    import hnswlib
    ix = hnswlib.Index(space="ip", dim=dim)
    ix.init_index(max_elements=n, M=16, ef_construction=200, random_seed=100)
    ix.set_num_threads(threads)
    build = lambda: ix.add_items(B, np.arange(n), num_threads=threads)
elif peer == "faiss":
    import faiss
    faiss.omp_set_num_threads(threads)
    ix = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
    ix.hnsw.efConstruction = 200
    build = lambda: ix.add(B)
else:
    sys.exit(f"unknown peer {peer}: want hnswlib or faiss")
c0, t0 = time.process_time(), time.perf_counter()
build()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps(dict(peer=peer, kind="build", threads=threads, seconds=wall, cpu_seconds=cpu,
                      load=os.getloadavg()[0], rows=n)), flush=True)
