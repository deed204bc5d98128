#!/usr/bin/python3
"""embeddb's index beside hnswlib and numpy, on the same vectors: one table.

usage:
  compare_index.py prepare --synthetic N --out DIR [--nq 1000]
  compare_index.py prepare --words MODEL.txt --out DIR [--nq 1000]
  compare_index.py peers DIR [--efs 10,20,40,64,100,200] [--build-threads 1,2] [--only numpy|hnswlib]
  compare_index.py report DIR            (reads DIR/peers.jsonl and DIR/go-*.txt)

prepare writes DIR/meta.json, base.f32 (N x dim float32, little-endian), queries.f32,
gt.i32 (exact top-10 by cosine, numpy), and for word vectors qids.i32 (each query is
a vocabulary word, left out of its own answer, as gensim's most_similar does).

  synthetic (clustered): rng = numpy.random.default_rng(42); C = max(10, N // 1000)
      centres ~ N(0, 1)^100; each row = centres[rng.integers(C)] + 0.5 * N(0, 1)^100;
      queries drawn the same way after the rows, so they are not in the set.
  words: the vectors of a word2vec text file (e.g. gensim trained on
      ../shared/testdata/corpus/wikipedia); queries: nq words drawn without
      replacement with default_rng(42), as /work/shared/peers/nn_bench.py does.

peers measures, one query at a time on one thread:
  hnswlib (Index('cosine'), M 16, ef_construction 200, random_seed 100): build time with
      1 and 2 threads (add_items(num_threads=T)); knn_query per query at each ef;
      recall@10 against gt; index file size and load time.
  numpy exact search: Xn @ q then argpartition/argsort top 10 (rows normalised once),
      OpenBLAS limited to 1 thread with threadpoolctl, for each OpenBLAS core type in
      --coretypes (default: the detected one, Haswell and SkylakeX); the fastest counts.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

import numpy as np

SHARED = os.environ.get("EMBEDDB_SHARED", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "peers"))
try:
    from quiet import CpuWatch, wait_quiet  # waits for the shared machine to be idle
except ImportError:
    import contextlib

    def wait_quiet(**kw):
        return 0.0

    class CpuWatch(contextlib.AbstractContextManager):
        other_s, wall = 0.0, 1.0

        def __exit__(self, *exc):
            return False

K = 10


def write(path, arr):
    np.ascontiguousarray(arr).tofile(path)


def exact_topk(Xn, Qn, k, exclude=None):
    out = np.empty((Qn.shape[0], k), dtype=np.int32)
    kk = k + (1 if exclude is not None else 0)
    for s in range(0, Qn.shape[0], 256):
        S = Qn[s:s + 256] @ Xn.T
        part = np.argpartition(-S, kk, axis=1)[:, :kk]
        vals = np.take_along_axis(S, part, axis=1)
        order = np.argsort(-vals, axis=1, kind="stable")
        top = np.take_along_axis(part, order, axis=1)
        for i in range(top.shape[0]):
            row = [x for x in top[i] if exclude is None or x != exclude[s + i]]
            out[s + i] = row[:k]
    return out


def normalise(X):
    n = np.linalg.norm(X, axis=1, keepdims=True)
    n[n == 0] = 1
    return (X / n).astype(np.float32)


def prepare(a):
    os.makedirs(a.out, exist_ok=True)
    qids = None
    if a.synthetic:
        N, dim = a.synthetic, 100
        rng = np.random.default_rng(42)
        C = max(10, N // 1000)
        centres = rng.standard_normal((C, dim), dtype=np.float32)
        X = np.empty((N, dim), dtype=np.float32)
        for s in range(0, N, 100000):
            m = min(100000, N - s)
            X[s:s + m] = centres[rng.integers(C, size=m)] + 0.5 * rng.standard_normal((m, dim), dtype=np.float32)
        Q = centres[rng.integers(C, size=a.nq)] + 0.5 * rng.standard_normal((a.nq, dim), dtype=np.float32)
        name = f"synthetic/n={N // 1000}k/dim={dim}" if N % 1000000 else f"synthetic/n={N // 1000000}M/dim={dim}"
    else:
        from gensim.models import KeyedVectors
        kv = KeyedVectors.load_word2vec_format(a.words, binary=False)
        X = np.ascontiguousarray(kv.vectors, dtype=np.float32)
        N, dim = X.shape
        rng = np.random.default_rng(42)
        qids = rng.choice(N, size=min(a.nq, N), replace=False).astype(np.int32)
        Q = X[qids]
        name = f"words/n={N}/dim={dim}"
    nq = Q.shape[0]
    Xn = normalise(X)
    gt = exact_topk(Xn, normalise(Q), K, exclude=qids)
    write(os.path.join(a.out, "base.f32"), X.astype("<f4"))
    write(os.path.join(a.out, "queries.f32"), Q.astype("<f4"))
    write(os.path.join(a.out, "gt.i32"), gt.astype("<i4"))
    if qids is not None:
        write(os.path.join(a.out, "qids.i32"), qids.astype("<i4"))
    with open(os.path.join(a.out, "meta.json"), "w") as fh:
        json.dump({"name": name, "n": int(N), "dim": int(dim), "nq": int(nq), "k": K,
                   "words": a.words, "synthetic": a.synthetic}, fh)
    print(f"prepared {name}: {N} rows, {nq} queries", file=sys.stderr)


def load(dirname):
    with open(os.path.join(dirname, "meta.json")) as fh:
        meta = json.load(fh)
    N, dim, nq = meta["n"], meta["dim"], meta["nq"]
    X = np.fromfile(os.path.join(dirname, "base.f32"), dtype="<f4").reshape(N, dim)
    Q = np.fromfile(os.path.join(dirname, "queries.f32"), dtype="<f4").reshape(nq, dim)
    gt = np.fromfile(os.path.join(dirname, "gt.i32"), dtype="<i4").reshape(nq, K)
    qp = os.path.join(dirname, "qids.i32")
    qids = np.fromfile(qp, dtype="<i4") if os.path.exists(qp) else None
    return meta, X, Q, gt, qids


def recall_of(labels, gt, qids):
    hits = 0
    for i in range(gt.shape[0]):
        row = [x for x in labels[i] if qids is None or x != qids[i]][:K]
        hits += len(set(row) & set(gt[i].tolist()))
    return hits / (gt.size)


def emit(out, rec):
    print(json.dumps(rec), flush=True)
    out.write(json.dumps(rec) + "\n")
    out.flush()


def flat_child(a):
    """Times numpy exact search in this process (run with a chosen OpenBLAS core type)."""
    from threadpoolctl import threadpool_info, threadpool_limits
    meta, X, Q, gt, qids = load(a.dir)
    Xn, Qn = normalise(X), normalise(Q)
    kq = K + (1 if qids is not None else 0)
    nbf = min(Qn.shape[0], max(20, 20_000_000 // meta["n"]))
    hits = 0
    with threadpool_limits(1):
        times, cpus = [], []
        for rep in range(3):
            t0, c0 = time.perf_counter(), time.thread_time()
            for i in range(nbf):
                s = Xn @ Qn[i]
                part = np.argpartition(-s, kq)[:kq]
                top = part[np.argsort(-s[part], kind="stable")]
                if rep == 0:
                    row = [x for x in top if qids is None or x != qids[i]][:K]
                    hits += len(set(row) & set(gt[i].tolist()))
            times.append((time.perf_counter() - t0) / nbf)
            cpus.append((time.thread_time() - c0) / nbf)
    info = threadpool_info()[0]
    print(json.dumps({"section": "numpy_flat", "coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
                      "blas_arch": info.get("architecture"), "queries": nbf,
                      "qps": 1 / min(times), "qps_cpu": 1 / min(cpus), "recall_at_10": hits / (nbf * K)}))


def peers(a):
    import hnswlib
    meta, X, Q, gt, qids = load(a.dir)
    N, dim = X.shape
    path = os.path.join(a.dir, "peers.jsonl")
    keep = []
    if a.only and os.path.exists(path):  # rerun one peer, keep the other's records
        drop = ("numpy_flat",) if a.only == "numpy" else ("hnswlib_build", "hnswlib_file", "hnswlib_query")
        keep = [l for l in open(path) if json.loads(l)["section"] not in drop + ("data",)]
    out = open(path, "w")
    emit(out, {"section": "data", "name": meta["name"], "n": N, "dim": dim, "nq": Q.shape[0]})
    for l in keep:
        out.write(l)
    Qn = normalise(Q)
    kq = K + (1 if qids is not None else 0)
    # numpy exact search, each OpenBLAS core type in a fresh process.
    for ct in (a.coretypes.split(",") if a.only != "hnswlib" else []):
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        if ct != "detected":
            env["OPENBLAS_CORETYPE"] = ct
        r = subprocess.run([sys.executable, __file__, "flat-child", a.dir], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            emit(out, {"section": "numpy_flat", "coretype": ct, "error": r.stderr[-300:]})
            continue
        rec = json.loads(r.stdout.strip().splitlines()[-1])
        rec["coretype"] = ct
        emit(out, rec)
    if a.only == "numpy":
        return
    index = None
    for bt in [int(x) for x in a.build_threads.split(",")]:
        p = hnswlib.Index(space="cosine", dim=dim)
        p.init_index(max_elements=N, ef_construction=200, M=16, random_seed=100)
        waited = wait_quiet(verbose=False)
        with CpuWatch() as w:
            t0 = time.perf_counter()
            p.add_items(X, np.arange(N), num_threads=bt)
            dt = time.perf_counter() - t0
        emit(out, {"section": "hnswlib_build", "threads": bt, "build_s": dt, "inserts_per_s": N / dt,
                   "other_cores": w.other_s / w.wall, "waited_quiet_s": waited})
        index = p
    with tempfile.TemporaryDirectory() as td:
        f = os.path.join(td, "hnsw.bin")
        index.save_index(f)
        size = os.path.getsize(f)
        p2 = hnswlib.Index(space="cosine", dim=dim)
        t0 = time.perf_counter()
        p2.load_index(f, max_elements=N)
        load_s = time.perf_counter() - t0
        del p2
    emit(out, {"section": "hnswlib_file", "bytes": size, "file_per_raw": size / X.nbytes, "load_s": load_s})
    for ef in [int(x) for x in a.efs.split(",")]:
        index.set_ef(max(ef, kq))
        # The whole query set in one call on one thread, as nn_bench.py does, so
        # that no Python overhead is counted against hnswlib.
        times, cpus = [], []
        for rep in range(3):
            t0, c0 = time.perf_counter(), time.thread_time()
            labels, _ = index.knn_query(Qn, k=kq, num_threads=1)
            times.append(time.perf_counter() - t0)
            cpus.append(time.thread_time() - c0)
        emit(out, {"section": "hnswlib_query", "ef": ef, "recall_at_10": recall_of(labels, gt, qids),
                   "qps": Qn.shape[0] / min(times), "qps_cpu": Qn.shape[0] / min(cpus)})


def parse_go(path):
    """Returns {benchmark name: {unit: value}} from go test -bench output, keeping for
    each unit the best of repeated runs (highest rate, lowest ratio)."""
    res = {}
    with open(path) as fh:
        for line in fh:
            if not line.startswith("Benchmark"):
                continue
            f = line.split()
            name = f[0].rsplit("-", 1)[0]
            vals = res.setdefault(name, {})
            for i in range(2, len(f) - 1, 2):
                try:
                    v = float(f[i])
                except ValueError:
                    continue
                u = f[i + 1]
                lower_better = u in ("mem/raw", "file/raw", "load/build", "ns/op", "B/op", "allocs/op")
                if u not in vals or (v < vals[u] if lower_better else v > vals[u]):
                    vals[u] = v
    return res


def at_recall(points, target):
    """Highest rate among points [(recall, rate)] with recall >= target, or None."""
    ok = [q for r, q in points if r >= target]
    return max(ok) if ok else None


def report(a):
    peers = [json.loads(l) for l in open(os.path.join(a.dir, "peers.jsonl"))]
    go = {}
    for f in sorted(os.listdir(a.dir)):
        if f.startswith("go-") and f.endswith(".txt"):
            go.update(parse_go(os.path.join(a.dir, f)))
    data = next(p for p in peers if p["section"] == "data")
    name = data["name"]
    g = lambda bench: go.get(bench.replace(" ", "_"))
    rows = []

    def row(what, ours, theirs, unit):
        ratio = "n/a" if ours is None or theirs is None else f"{ours / theirs:.2f}x"
        fmt = lambda v: "n/a" if v is None else (f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3f}")
        rows.append((what, fmt(ours), fmt(theirs), unit, ratio))

    print(f"\n## {name}  ({data['n']:,} x {data['dim']}, {data['nq']} queries, k=10, one query thread)\n")
    hb = {p["threads"]: p for p in peers if p["section"] == "hnswlib_build"}
    for t in (1, 2):
        ours = g(f"BenchmarkHNSW_Build/{name}/workers={t}")
        row(f"build, {t} thread(s), m 16, ef_construction 200 (wall)", ours and ours.get("inserts/s"),
            hb.get(t, {}).get("inserts_per_s"), "inserts/s")
    hp = [p for p in peers if p["section"] == "hnswlib_query"]
    ours = {k.rsplit("ef=", 1)[1]: v for k, v in go.items() if k.startswith(f"BenchmarkHNSW_Search/{name}/ef=")}
    for target in (0.95, 0.99):
        row(f"queries/CPU-s at recall@10 >= {target}",
            at_recall([(v["recall@10"], v["queries/cpu-s"]) for v in ours.values()], target),
            at_recall([(p["recall_at_10"], p["qps_cpu"]) for p in hp], target), "queries/s")
        row(f"queries/s (wall) at recall@10 >= {target}",
            at_recall([(v["recall@10"], v["queries/s"]) for v in ours.values()], target),
            at_recall([(p["recall_at_10"], p["qps"]) for p in hp], target), "queries/s")
    d = ours.get("0")
    row("recall@10 at the default ef_search (64)", d and d["recall@10"], None, "recall")
    flats = [p for p in peers if p["section"] == "numpy_flat" and "qps" in p]
    best = max(flats, key=lambda p: p["qps_cpu"]) if flats else None
    of = g(f"BenchmarkFlat_Search/{name}")
    label = f"{best['coretype']}/{best['blas_arch']}" if best else "?"
    row(f"exact search, 1 thread, per CPU-s (numpy {label})", of and of.get("queries/cpu-s"),
        best and best["qps_cpu"], "queries/s")
    row(f"exact search, 1 thread, wall (numpy {label})", of and of.get("queries/s"),
        best and best["qps"], "queries/s")
    hf = next((p for p in peers if p["section"] == "hnswlib_file"), None)
    ob = g(f"BenchmarkHNSW_Build/{name}/workers=2")
    row("index memory / raw vector bytes", ob and ob.get("mem/raw"), None, "ratio")
    ol = g(f"BenchmarkHNSW_Load/{name}")
    row("index file / raw vector bytes", ol and ol.get("file/raw"), hf and hf["file_per_raw"], "ratio")
    row("load time / 2-thread build time", ol and ol.get("load/build"),
        hf and hb.get(2) and hf["load_s"] / hb[2]["build_s"], "ratio")
    w = max(len(r[0]) for r in rows)
    print(f"| {'measure':<{w}} | {'embeddb':>10} | {'peer':>10} | unit      | embeddb/peer |")
    print(f"|{'-' * (w + 2)}|{'-' * 12}|{'-' * 12}|-----------|--------------|")
    for r in rows:
        print(f"| {r[0]:<{w}} | {r[1]:>10} | {r[2]:>10} | {r[3]:<9} | {r[4]:>12} |")
    print("\npeer: hnswlib (M 16, ef_construction 200, knn_query of the whole query set on one thread)"
          " and numpy (Xn @ q, argpartition; OpenBLAS limited to one thread).")
    print("\nrecall@10 and queries per CPU-second / per wall second, by ef_search:")
    for ef, v in sorted(ours.items(), key=lambda x: int(x[0])):
        print(f"  embeddb ef={ef:>4}{' (default 64)' if ef == '0' else '             '}: recall {v['recall@10']:.4f}"
              f"  {v['queries/cpu-s']:>9,.0f} q/CPU-s  {v['queries/s']:>9,.0f} q/s")
    for p in hp:
        print(f"  hnswlib ef={p['ef']:>4}             : recall {p['recall_at_10']:.4f}"
              f"  {p['qps_cpu']:>9,.0f} q/CPU-s  {p['qps']:>9,.0f} q/s")
    for p in flats:
        print(f"  numpy exact ({p['coretype']}, {p['blas_arch']}): {p['qps_cpu']:,.1f} q/CPU-s  {p['qps']:,.1f} q/s")
    for t, p in sorted(hb.items()):
        print(f"  hnswlib build {t} thread(s): {p['build_s']:.1f} s; other processes used {p['other_cores']:.2f} cores meanwhile")


ap = argparse.ArgumentParser()
sub = ap.add_subparsers(dest="cmd", required=True)
p = sub.add_parser("prepare")
p.add_argument("--synthetic", type=int)
p.add_argument("--words")
p.add_argument("--out", required=True)
p.add_argument("--nq", type=int, default=1000)
p = sub.add_parser("peers")
p.add_argument("dir")
p.add_argument("--efs", default="10,20,40,64,100,200")
p.add_argument("--build-threads", default="1,2")
p.add_argument("--coretypes", default="detected,Haswell,SkylakeX")
p.add_argument("--only", choices=["numpy", "hnswlib"], help="rerun one peer, keeping the other's records")
p = sub.add_parser("flat-child")
p.add_argument("dir")
p = sub.add_parser("report")
p.add_argument("dir")
a = ap.parse_args()
{"prepare": prepare, "peers": peers, "flat-child": flat_child, "report": report}[a.cmd](a)
