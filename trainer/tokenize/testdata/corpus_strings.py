"""Prints a JSON array of real passages from the shared corpora (argument:
the corpus directory) for gen_families.sh: English Wikipedia and Project
Gutenberg prose (with their CRLF line ends and BOM), a Latin-1 news text
decoded as gensim does, IMDB reviews, and code-like and mixed text from the
corpora. Each passage is at most about 1,500 characters, cut at a line end."""
import gzip
import json
import sys

corpus = sys.argv[1]


def cut(text, limit=1500):
    if len(text) <= limit:
        return text
    i = text.rfind("\n", 0, limit)
    return text[: i + 1] if i > 0 else text[:limit]


def gz(path):
    with gzip.open(f"{corpus}/{path}", "rb") as f:
        return f.read().decode("utf-8")


out = []
for name in ["wiki_AA_00", "wiki_AA_01", "wiki_AA_20"]:
    text = gz(f"wikipedia/{name}.txt.gz")
    docs = text.split("</doc>")
    for d in docs[:2]:
        out.append(cut(d.strip("\n")))
for name in ["11-0.txt", "2600-0.txt", "1952-0.txt"]:
    text = gz(f"gutenberg/{name}.gz")
    out.append(cut(text[:1600]))  # the header, BOM and CRLF as they are
    mid = len(text) // 2
    out.append(cut(text[mid : mid + 1600]))
with open(f"{corpus}/gensim/lee.cor", "rb") as f:
    lines = f.read().decode("latin-1").splitlines(keepends=True)
out += [cut(l) for l in lines[:3]]
with open(f"{corpus}/gensim/alldata-id-10.txt", "rb") as f:
    lines = f.read().decode("utf-8").splitlines(keepends=True)
out += [cut(l) for l in lines[:3]]
with open(f"{corpus}/gensim/testcorpus.txt", "rb") as f:
    out.append(f.read().decode("utf-8"))
json.dump(out, sys.stdout, ensure_ascii=False, indent=0)
print()
