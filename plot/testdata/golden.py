"""Records scikit-learn's answers for the plot package's tests.

Run by golden.sh (which installs Debian's python3-sklearn). Reads
words2000.txt.gz (word2vec text format) and writes:
  pca.tsv      PCA(n_components=2).fit_transform of all 2,000 rows
  pca20.tsv    the same for the first 20 rows (fewer rows than dimensions)
  tsne.json    trustworthiness (k = 10) of sklearn's TSNE maps, with timings
  umap.json    umap-learn's find_ab_params (the curve a, b for min_dist and
               spread), computed here with scipy's curve_fit as umap-learn
               does: umap-learn itself is not packaged in Debian, so UMAP's
               maps are held to sklearn's t-SNE trustworthiness above
               ("python3 golden.py umap" remakes only this file)
"""
import gzip, json, sys, time
import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

def load(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        n, dim = map(int, f.readline().split())
        words, rows = [], []
        for line in f:
            parts = line.rstrip("\n").split(" ")
            words.append(parts[0])
            rows.append([float(x) for x in parts[1:1 + dim]])
    return words, np.asarray(rows, dtype=np.float32)

def write_pca(path, words, X):
    Y = PCA(n_components=2).fit_transform(X)
    with open(path, "w", encoding="utf-8") as f:
        for w, (x, y) in zip(words, Y):
            f.write("%s\t%.17g\t%.17g\n" % (w, x, y))

def tsne(X, **kw):
    t0 = time.perf_counter()
    Y = TSNE(n_components=2, random_state=1, n_jobs=1, **kw).fit_transform(X)
    secs = time.perf_counter() - t0
    return {"trustworthiness": float(trustworthiness(X, Y, n_neighbors=10)), "seconds": secs}

def find_ab_params(spread, min_dist):
    """umap.umap_.find_ab_params (umap-learn 0.5), verbatim in substance."""
    from scipy.optimize import curve_fit

    def curve(x, a, b):
        return 1.0 / (1.0 + a * x ** (2 * b))

    xv = np.linspace(0, spread * 3, 300)
    yv = np.zeros(xv.shape)
    yv[xv < min_dist] = 1.0
    yv[xv >= min_dist] = np.exp(-(xv[xv >= min_dist] - min_dist) / spread)
    params, _ = curve_fit(curve, xv, yv)
    return float(params[0]), float(params[1])

def write_umap():
    import scipy
    cases = [(1.0, 0.1), (1.0, 0.5), (2.0, 0.3), (1.0, 0.0)]
    out = {"scipy": scipy.__version__, "ab": [
        {"spread": s, "min_dist": m, "a": a, "b": b}
        for s, m in cases for a, b in [find_ab_params(s, m)]]}
    with open("umap.json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")

def main():
    write_umap()
    if sys.argv[1:] == ["umap"]:
        return
    words, X = load("words2000.txt.gz")
    write_pca("pca.tsv", words, X)
    write_pca("pca20.tsv", words[:20], X[:20])
    out = {
        "sklearn": sklearn.__version__,
        "barnes_hut_2000": tsne(X),
        "exact_300": tsne(X[:300], method="exact"),
        "pca_2000_trustworthiness": float(trustworthiness(X, PCA(n_components=2).fit_transform(X), n_neighbors=10)),
    }
    with open("tsne.json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(out, indent=1, sort_keys=True))

if __name__ == "__main__":
    sys.exit(main())
