#!/usr/bin/python3
"""Print the table of scripts/compare-train.sh from its records.

usage: compare_train_table.py TRAIN.jsonl QUALITY.jsonl CORPUS.stats.json
       compare_train_table.py --quality WORK...  (compare-train.sh quality: WORK/CORPUS/KIND/, merged)

TRAIN.jsonl is run_timed.py's output (one record per training run), QUALITY.jsonl is
quality.py's (gensim's evaluation of every model), CORPUS.stats.json is prep_corpus.py's.
Figures are medians over the runs of a tool and model. Columns:
  words/s       corpus tokens x epochs / training seconds (run_timed.py; vocabulary pass and
                output excluded), the peers' figure
  vs gensim     words/s over gensim's for the same model in the same run
  words/CPU-s   corpus tokens x epochs / (user + system CPU seconds of the whole process):
                steadier than words/s when other processes share the cores, but it counts
                the vocabulary pass, loading and output too
  peak RSS      /usr/bin/time's maximum resident set size
  analogy acc   evaluate_word_analogies(questions-words.txt, restrict_vocab=30000)
  WS-353 rho    evaluate_word_pairs(wordsim353.tsv) Spearman
  other cores   CPU that other processes used during the run (max over runs; 0 = quiet)
"""
import json
import statistics
import sys


def main():
    train = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    qual = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    stats = json.load(open(sys.argv[3]))

    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else None

    def fmt(x, spec):
        return "-" if x is None else format(x, spec)

    print(f"\ncorpus: {stats['tokens']:,} tokens, {stats['sentences']:,} sentences, "
          f"vocabulary {stats['vocab_min_count_5']:,} at min_count 5")
    print("vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, epochs 5; "
          "the same number of threads for every tool\n")
    cols = ["model", "tool", "runs", "words/s", "vs gensim", "words/CPU-s", "vs gensim",
            "peak RSS MB", "analogy acc", "WS-353 rho", "other cores"]
    rows = []
    models = list(dict.fromkeys(r["model"] for r in train))
    tools = list(dict.fromkeys(r["tool"] for r in train))
    for m in models:
        def rate(t):
            return med([r.get("words_per_s") for r in train if r["tool"] == t and r["model"] == m])

        def cpu_rate(t):
            return med([r["words"] * r["epochs"] / (r["user_s"] + r["sys_s"])
                        for r in train if r["tool"] == t and r["model"] == m and r["user_s"] + r["sys_s"] > 0])
        gw, gc = rate("gensim"), cpu_rate("gensim")
        for t in tools:
            rs = [r for r in train if r["tool"] == t and r["model"] == m]
            if not rs:
                continue
            qs = [q for q in qual if q["tool"] == t and q["model"] == m]
            w, c = rate(t), cpu_rate(t)
            rows.append([
                m, t, str(len(rs)), fmt(w, ",.0f"),
                f"{w / gw:.2f}x" if w and gw else "-",
                fmt(c, ",.0f"),
                f"{c / gc:.2f}x" if c and gc else "-",
                fmt(med([r["max_rss_kb"] / 1024 for r in rs]), ".0f"),
                fmt(med([q.get("analogy_acc") for q in qs]), ".4f"),
                fmt(med([q.get("ws353_spearman") for q in qs]), ".4f"),
                f"{max(r['other_cores'] for r in rs):.2f}",
            ])
    width = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    line = lambda cells: "| " + " | ".join(
        c.ljust(width[i]) if i < 2 else c.rjust(width[i]) for i, c in enumerate(cells)) + " |"
    print(line(cols))
    print("|" + "|".join("-" * (w + 2) for w in width) + "|")
    for r in rows:
        print(line(r))
    print("\nwords/s: tokens x epochs / training seconds (vocabulary pass excluded); words/CPU-s: "
          "tokens x epochs / CPU seconds of the whole process;\nother cores: CPU used by other "
          "processes meanwhile (runs above 0.05 were disturbed: prefer words/CPU-s then).")


# Issue 18's bar: embeddb's mean at least the better gensim mode's mean minus these.
BAR = {"analogy_acc": 0.005, "ws353_spearman": 0.01}
GENSIM_MODES = ("gensim", "gensim-iter")


def spread(xs):
    """'mean +- sd (min-max)' of a list of figures."""
    if not xs:
        return "-"
    m = statistics.mean(xs)
    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{m:.4f} +- {sd:.4f} ({min(xs):.4f}-{max(xs):.4f})"


def cell(qual, tool, model, key):
    return [q[key] for q in qual if q["tool"] == tool and q["model"] == model
            and q.get(key) is not None]


def mode_means(qual, model, key):
    """{gensim mode: its mean} of one figure, for the modes that have it."""
    return {t: statistics.mean(cell(qual, t, model, key)) for t in GENSIM_MODES
            if cell(qual, t, model, key)}


def verdict(qual, model, key):
    """(best gensim mode, its mean, embeddb mean - that mean, met) for one figure."""
    means = mode_means(qual, model, key)
    mine = cell(qual, "embeddb", model, key)
    if not means or not mine:
        return None
    best = max(means, key=means.get)
    gap = statistics.mean(mine) - means[best]
    theirs = cell(qual, best, model, key)
    # standard error of the difference of the two means (seed-to-seed spread on both sides)
    se = (var_of_mean(mine) + var_of_mean(theirs)) ** 0.5
    return best, means[best], gap, gap >= -BAR[key], se


def gensim_meeting(qual, model):
    """Which of gensim's own modes meet the bar on both figures of a cell: the bar takes the
    better mode per figure, so where one mode leads analogy and the other WS-353, neither does."""
    means = {k: mode_means(qual, model, k) for k in ("analogy_acc", "ws353_spearman")}
    if any(len(m) < len(GENSIM_MODES) for m in means.values()):
        return "-"
    meets = ["file" if t == "gensim" else "iter" for t in GENSIM_MODES
             if all(m[t] >= max(m.values()) - BAR[k] for k, m in means.items())]
    return " and ".join(meets) or "neither"


def var_of_mean(xs):
    return statistics.variance(xs) / len(xs) if len(xs) > 1 else 0.0


def cpu_ratio(train, model):
    """embeddb's words per CPU-second over gensim corpus_file's (medians over the seeds)."""
    def rate(t):
        xs = [r["words"] * r["epochs"] / (r["user_s"] + r["sys_s"]) for r in train
              if r["tool"] == t and r["model"] == model and r["user_s"] + r["sys_s"] > 0]
        return statistics.median(xs) if xs else None
    e, g = rate("embeddb"), rate("gensim")
    return f"{e / g:.2f}x" if e and g else "-"


def load_cells(works):
    """{(corpus, kind): (quality records, train records, corpus stats)} from WORK/CORPUS/KIND/ of
    every WORK (so tools run separately, e.g. TOOLS=embeddb after a change, combine)."""
    import glob
    import os
    cells = {}
    for work in works:
        for d in sorted(glob.glob(os.path.join(work, "*", "*", "quality.jsonl"))):
            kind_dir = os.path.dirname(d)
            key = (os.path.basename(os.path.dirname(kind_dir)), os.path.basename(kind_dir))
            qual, train, _ = cells.get(key, ([], [], None))
            qual += [json.loads(l) for l in open(d) if l.strip()]
            train += [json.loads(l) for l in open(os.path.join(kind_dir, "train.jsonl")) if l.strip()]
            cells[key] = (qual, train, json.load(open(os.path.join(kind_dir, "corpus.stats.json"))))
    order = {"wikipedia": 0, "gutenberg": 1, "gensim": 2, "word2vec": 0, "fasttext": 1}
    return dict(sorted(cells.items(), key=lambda kv: tuple(order.get(k, 9) for k in kv[0])))


def quality_main(works):
    names = {"word2vec": "Word2Vec", "fasttext": "FastText", "sg": "skip-gram", "cbow": "CBOW"}
    rows, failed, neither = [], 0, 0
    for (corpus, kind), (qual, train, stats) in load_cells(works).items():
        for model in sorted(set(q["model"] for q in qual), key=lambda m: m != "sg"):
            seeds = len(cell(qual, "embeddb", model, "analogy_acc"))
            out = [f"{corpus} ({stats['tokens'] / 1e6:.2f}M)", f"{names[kind]} {names[model]}", str(seeds)]
            for key in ("analogy_acc", "ws353_spearman"):
                out.append(spread(cell(qual, "embeddb", model, key)))
                for t in GENSIM_MODES:
                    xs = cell(qual, t, model, key)
                    out.append(f"{statistics.mean(xs):.4f} ({len(xs)})" if xs else "-")
                v = verdict(qual, model, key)
                if v is None:
                    out.append("-")
                else:
                    failed += not v[3]
                    out.append(f"{'met' if v[3] else 'MISSED'} ({v[2]:+.4f} +- {v[4]:.4f} vs "
                               f"{'file' if v[0] == 'gensim' else 'iter'})")
            g = gensim_meeting(qual, model)
            neither += g == "neither"
            out.append(g)
            out.append(cpu_ratio(train, model))
            rows.append(out)
    cols = ["corpus", "model", "seeds", "embeddb analogy", "gensim file", "gensim iter", "analogy verdict",
            "embeddb WS-353", "gensim file", "gensim iter", "WS-353 verdict", "gensim modes meeting the bar",
            "words/CPU-s vs gensim file"]
    print("\n| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nembeddb: mean +- sample sd (min-max) over its seeds; gensim: mean (number of seeds). "
          f"Bar: embeddb's mean >= the better gensim mode's mean - {BAR['analogy_acc']} analogy, "
          f"- {BAR['ws353_spearman']} rho. Verdict: embeddb's mean minus that mean, +- the standard error "
          f"of the difference (from both sides' seed spread). Cells missing the bar: {failed}. "
          f"Cells where neither of gensim's modes meets it on both figures: {neither}.")
    print("Speed: embeddb's words per CPU-second of the whole process over gensim corpus_file's, "
          "median over seeds (runs under nice on a possibly shared machine: CPU ratios, not wall).")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--quality":
        quality_main(sys.argv[2:])
    else:
        main()
