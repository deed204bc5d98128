#!/usr/bin/python3
"""Record what gensim 4.2 / numpy do with vector files, for vecfile's golden tests.

Run by regen.sh (after `go test -run TestGolden -update` has written the embeddb.* files):

    /usr/bin/python3 gen.py DIR

Reads, in DIR:
  embeddb.txt, embeddb.bin   written by vecfile's Writer (word2vec text and binary)
Writes, in DIR:
  embeddb.golden.json        gensim's view of the embeddb files: shape, a hash of the
                             float32 matrix, and most_similar(topn=5) for probe words
  gensim.txt, gensim.bin     written by gensim's save_word2vec_format from a seeded matrix
                             with awkward values (tiny, huge, subnormal, -0.0), non-ASCII words
  gensim.golden.json         the words and float32 bit patterns gensim loads from them
  numbers.txt                a word2vec text file of decimal spellings that stress float
                             parsing (double rounding, long digit strings, exponents, inf, nan)
  numbers.golden.json        the float32 bits numpy.float32() gives for each (gensim's parser)
  unicode.txt                a word2vec text file with words that are not valid UTF-8
  unicode.golden.json        the words gensim reads with unicode_errors replace / ignore
  numpy_f4.npy, numpy_f2.npy, numpy_f8.npy, numpy_fortran.npy, numpy_be.npy
                             numpy.save of one small matrix in several dtypes / layouts
  numpy.golden.json          that matrix's float32 bits
  st.safetensors             a safetensors file laid out as the safetensors library does
                             (several tensors, BF16/F16/F32/I64, __metadata__, 8-byte padding)
  st.golden.json             the bits of its tensors
"""
import hashlib, json, os, struct, sys

import numpy as np
from gensim.models import KeyedVectors

D = sys.argv[1]
P = lambda name: os.path.join(D, name)
PROBES = ["w000", "w017", "w100", "café", "日本", "naïve"]


def bits(a):
    return [int(x) for x in np.ascontiguousarray(a, dtype="<f4").view("<u4").ravel()]


def gensim_view(path, binary):
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    m = np.ascontiguousarray(kv.vectors, dtype="<f4")
    sims = {w: [[k, float(s)] for k, s in kv.most_similar(w, topn=5)] for w in PROBES if w in kv}
    return {"shape": list(m.shape), "words_sha256": hashlib.sha256("\n".join(kv.index_to_key).encode()).hexdigest(),
            "vectors_sha256": hashlib.sha256(m.tobytes()).hexdigest(), "most_similar": sims}


# 1. gensim reads the files embeddb wrote.
golden = {"text": gensim_view(P("embeddb.txt"), False), "binary": gensim_view(P("embeddb.bin"), True)}
json.dump(golden, open(P("embeddb.golden.json"), "w"), indent=1, ensure_ascii=False)

# 2. embeddb reads the files gensim writes.
rng = np.random.default_rng(7)
n, dim = 40, 12
X = rng.standard_normal((n, dim)).astype(np.float32)
X[1] *= np.float32(1e-30)   # tiny
X[2] *= np.float32(1e30)    # huge
X[3, :4] = np.array([1e-45, -1e-40, 0.0, -0.0], dtype=np.float32)   # subnormals and zeros
X[4, :3] = np.array([3.4028235e38, -1.1754944e-38, 16777217.0], dtype=np.float32)
words = [f"g{i:02d}" for i in range(n)]
words[5], words[6], words[7] = "café", "日本語", "naïve\tword"   # gensim keeps tabs in words
kv = KeyedVectors(vector_size=dim, count=0)
kv.add_vectors(words, X)
kv.save_word2vec_format(P("gensim.txt"), binary=False)
kv.save_word2vec_format(P("gensim.bin"), binary=True)
out = {}
for name, binary in (("gensim.txt", False), ("gensim.bin", True)):
    kv2 = KeyedVectors.load_word2vec_format(P(name), binary=binary)
    out[name] = {"words": list(kv2.index_to_key), "bits": bits(kv2.vectors)}
json.dump(out, open(P("gensim.golden.json"), "w"), indent=0, ensure_ascii=False)

# 3. Number spellings: numpy.float32(str) parses as a Python float (float64) and rounds again.
spellings = [
    "1.000000059604644775390625000000001",   # just above a float32 midpoint: double rounding gives 1.0
    "1.0000000596046447753906249999",         # just below the same midpoint
    "0.1", "-0.1", "1e-05", "1E5", "+.5e-3", "5.", ".5", "-0", "-0.0", "0e0",
    "3.4028235e38", "3.4028236e38", "3.5e38", "1e39", "-1e400", "1e-400", "1.401298464324817e-45",
    "7e-46", "7.1e-46", "1.17549435e-38", "16777217", "16777219", "123456789012345678901234567890",
    "0.000000000000000000000000000000000000000000001401298464324817070923729583289916131280",
    "2.718281828459045235360287471352662497757", "-6.02214076e23", "1_000.5", "1e1_0",
    "inf", "-Inf", "+INFINITY", "nan", "-NaN", "NAN",
    "0.30000001192092896", "0.3000000119209289550781250000000001", "33554431", "33554433",
    "1.5e-45", "2.1019476964872256e-45", "9.999999e-39",
]
rng2 = np.random.default_rng(11)
for v in rng2.standard_normal(60).astype(np.float32):
    spellings.append("%.17g" % float(v))      # 17 digits: more than float32 needs
    spellings.append("%f" % float(v))         # the C tool's "%lf" style
    spellings.append("%.9e" % float(v))
with open(P("numbers.txt"), "w") as fh:
    fh.write(f"{len(spellings)} 1\n")
    for i, s in enumerate(spellings):
        fh.write(f"n{i} {s}\n")
kvn = KeyedVectors.load_word2vec_format(P("numbers.txt"))
json.dump({"spellings": spellings, "bits": bits(kvn.vectors)}, open(P("numbers.golden.json"), "w"), indent=0)

# 4. Words that are not valid UTF-8 (the C tool cuts multi-byte characters).
raw_words = [b"ok", b"caf\xc3", b"\xe4\xbd", b"a\xffb", b"\xed\xa0\x80x", b"\xf0\x9f\x98", b"\xc0\xaf", b"\xf4\x90\x80\x80z", b"\xe2\x82\xac"]
with open(P("unicode.txt"), "wb") as fh:
    fh.write(b"%d 2\n" % len(raw_words))
    for i, w in enumerate(raw_words):
        fh.write(w + b" %d 0.5\n" % i)
uni = {}
for mode in ("replace", "ignore"):
    # Decoding makes duplicates (b"\xe4\xbd" and b"\xf0\x9f\x98" both become one U+FFFD); gensim 4.2
    # keeps the first and, by a bug, appends a None key with a zero row for each one it drops.
    keys = KeyedVectors.load_word2vec_format(P("unicode.txt"), unicode_errors=mode).index_to_key
    uni[mode] = [k for k in keys if k is not None]
json.dump(uni, open(P("unicode.golden.json"), "w"), indent=0, ensure_ascii=True)

# 5. numpy.save in several dtypes and layouts.
M = rng.standard_normal((5, 3)).astype(np.float32)
np.save(P("numpy_f4.npy"), M)
np.save(P("numpy_f2.npy"), M.astype(np.float16))
np.save(P("numpy_f8.npy"), M.astype(np.float64))
np.save(P("numpy_be.npy"), M.astype(">f4"))
np.save(P("numpy_fortran.npy"), np.asfortranarray(M))
json.dump({"shape": list(M.shape), "f4": bits(M), "f2": [int(x) for x in M.astype(np.float16).view("<u2").ravel()],
           "f8": bits(M.astype(np.float64).astype(np.float32))}, open(P("numpy.golden.json"), "w"), indent=0)

# 6. safetensors, laid out as the safetensors library's serialize(): tensors sorted by
# dtype alignment (descending) then name, header padded with spaces to a multiple of 8.
E = rng.standard_normal((6, 4)).astype(np.float32)
e_bf16 = (E.view("<u4") >> 16).astype("<u2")           # truncated to bfloat16 bit patterns
tensors = {
    "model.embed_tokens.weight": ("BF16", [6, 4], e_bf16.tobytes()),
    "lm_head.weight": ("F16", [6, 4], E.astype("<f2").tobytes()),
    "model.norm.weight": ("F32", [4], E[0].tobytes()),
    "position_ids": ("I64", [1, 6], np.arange(6, dtype="<i8").tobytes()),
}
align = {"I64": 8, "F32": 4, "F16": 2, "BF16": 2}
order = sorted(tensors, key=lambda k: (-align[tensors[k][0]], k))
header, data, off = {"__metadata__": {"format": "pt"}}, b"", 0
for k in order:
    dt, shape, b = tensors[k]
    header[k] = {"dtype": dt, "shape": shape, "data_offsets": [off, off + len(b)]}
    data += b
    off += len(b)
hj = json.dumps(header, separators=(",", ":")).encode()
hj += b" " * (-len(hj) % 8)
with open(P("st.safetensors"), "wb") as fh:
    fh.write(struct.pack("<Q", len(hj)) + hj + data)
json.dump({"model.embed_tokens.weight": [int(x) for x in e_bf16.ravel()],
           "lm_head.weight": [int(x) for x in E.astype("<f2").view("<u2").ravel()]},
          open(P("st.golden.json"), "w"), indent=0)
print("wrote goldens to", D)
