#!/usr/bin/python3
"""Print the table of scripts/compare-train.sh from its records.

usage: compare_train_table.py TRAIN.jsonl QUALITY.jsonl CORPUS.stats.json

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


if __name__ == "__main__":
    main()
