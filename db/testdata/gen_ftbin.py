#!/usr/bin/python3
"""Regenerate the fastText .bin fixtures and gensim's answers on them.

usage: /usr/bin/python3 db/testdata/gen_ftbin.py [SHARED_DIR]     (run from the repository root;
       installs python3-gensim and fasttext with apt-get when missing; needs go for step 3)

1. ft-fb.bin: Facebook's fastText (the Debian `fasttext` command) trains skipgram on the Lee
   corpus (dim 8, bucket 3000, minn 3, maxn 5, minCount 3, 2 epochs, 1 thread).
   ft-gensim.bin: gensim's FastText (cbow, dim 6, bucket 2000, min_count 3) saved with
   save_facebook_model.
2. ftbin.golden.json: for each file, gensim's load_facebook_model(...).wv[word] for known and
   unseen words (accents, CJK, emoji, one letter), and its min_n, max_n, bucket.
3. The proof that gensim loads embeddb's .bin: the embeddb command IMPORTs ft-gensim.bin and
   EXPORTs it again; load_facebook_model reads the export, and the golden records the largest
   difference between its wv vectors (known and unseen words) and those of the original.
"""
import gzip, json, os, shutil, subprocess, sys, tempfile

try:
    from gensim.models import FastText
    from gensim.models.fasttext import load_facebook_model, save_facebook_model
except ImportError:
    subprocess.run(["apt-get", "install", "-y", "python3-gensim"], check=True)
    from gensim.models import FastText
    from gensim.models.fasttext import load_facebook_model, save_facebook_model
if shutil.which("fasttext") is None:
    subprocess.run(["apt-get", "install", "-y", "fasttext"], check=True)
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared")
LEE = os.path.join(SHARED, "testdata", "corpus", "gensim", "lee_background.cor")
WORDS = ["the", "government", "australia", "governmentt", "unseenword", "café", "東京", "😀", "a", "x", "qz"]

tmp = tempfile.mkdtemp()
from gensim.utils import simple_preprocess
tok = os.path.join(tmp, "lee.txt")
with open(LEE, encoding="utf-8") as fh, open(tok, "w", encoding="utf-8") as out:
    sents = [simple_preprocess(l) for l in fh]
    for s in sents:
        out.write(" ".join(s) + "\n")

fb = os.path.join(HERE, "ft-fb.bin")
subprocess.run(["fasttext", "skipgram", "-input", tok, "-output", os.path.join(tmp, "fb"), "-dim", "8",
                "-bucket", "3000", "-minn", "3", "-maxn", "5", "-minCount", "3", "-epoch", "2",
                "-thread", "1", "-verbose", "0"], check=True)
shutil.copy(os.path.join(tmp, "fb.bin"), fb)

gm = FastText(vector_size=6, bucket=2000, min_count=3, epochs=2, workers=1, seed=1, sentences=sents)
gb = os.path.join(HERE, "ft-gensim.bin")
save_facebook_model(gm, gb)


def answers(path):
    m = load_facebook_model(path)
    return {"min_n": m.wv.min_n, "max_n": m.wv.max_n, "bucket": m.wv.bucket, "vocab": len(m.wv),
            "vectors": {w: [float(x) for x in m.wv[w]] for w in WORDS}}


golden = {"ft-fb.bin": answers(fb), "ft-gensim.bin": answers(gb)}

repo = os.path.join(HERE, "..", "..")
dbf, exp = os.path.join(tmp, "x.db"), os.path.join(tmp, "export.bin")
subprocess.run(["go", "run", "./cmd/embeddb", dbf,
                f"IMPORT g FROM '{gb}' WITH (format = 'fasttext'); EXPORT g TO '{exp}' WITH (format = 'fasttext')"],
               cwd=repo, check=True, stdout=subprocess.DEVNULL)
orig, back = load_facebook_model(gb), load_facebook_model(exp)
diff = max(float(np.max(np.abs(orig.wv[w] - back.wv[w]))) for w in WORDS + list(orig.wv.index_to_key))
golden["embeddb_export"] = {"loaded_by": "gensim load_facebook_model", "source": "ft-gensim.bin imported and exported by embeddb",
                            "vocab": len(back.wv), "max_abs_diff": diff,
                            "most_similar_government": [[w, float(s)] for w, s in back.wv.most_similar("government", topn=3)]}
with open(os.path.join(HERE, "ftbin.golden.json"), "w") as fh:
    json.dump(golden, fh, indent=1, ensure_ascii=False)
shutil.rmtree(tmp)
print(json.dumps(golden["embeddb_export"], indent=1))
