#!/usr/bin/env bash
# compare-train.sh: train skip-gram and CBOW with embeddb, gensim and fastText in ONE run, on
# the same tokenized corpus with the same parameters, and print one table of training
# words/s, peak RSS, analogy accuracy (questions-words, restrict_vocab 30000) and WordSim-353
# Spearman, all measured by the shared peer scripts (../shared/peers), so every figure is
# computed the same way for every tool (gensim evaluates all the vectors). The table
# (scripts/compare_train_table.py) also gives words per CPU-second, the steadier figure when
# other processes share the machine, and how much CPU they took during each run.
#
# usage: scripts/compare-train.sh
# env:   EMBEDDB_SHARED  shared folder (default <repo>/../shared)
#        WORK            scratch folder (default /tmp/embeddb-compare)
#        CORPUS_INPUT    raw corpus for prep_corpus.py (default $EMBEDDB_SHARED/testdata/corpus/wikipedia)
#        TOOLS           default "embeddb gensim fasttext"; "gensim-iter" adds gensim's iterable mode;
#                        "embeddb-ma" adds embeddb with min_alpha = 0.0026, the learning rate that
#                        gensim's corpus_file mode ends at with 2 workers (see trainer/doc.go, Caveats)
#        MODELS          default "sg cbow"
#        MODEL_KIND      word2vec (default) or fasttext: every tool then trains FastText with
#                        min_n 3, max_n 6, bucket 2,000,000 (embeddb TRAIN ... model = 'fasttext',
#                        gensim's FastText through scripts/gensim_fasttext_train.py, fastText with
#                        its subwords); the figures compare word vectors of the vocabulary.
#                        Use another WORK for it: the file names do not say the kind.
#        RUNS            rounds (default 1); the table shows medians
#        WORKERS         threads for every tool (default 2)
#        QUIET_MAX_WAIT  seconds run_timed.py waits for an idle machine before each run (default 120)
#
# Parameters (the peers'): vector_size 100, window 5, negative 5, sample 1e-3, min_count 5,
# epochs 5. embeddb trains with the embeddb command's TRAIN (scripts/embeddb_train.sh);
# gensim with peers/gensim_train.py --mode file (its fastest mode); fastText with
# -minn 0 -maxn 0 (plain word2vec). Words/s = corpus tokens × epochs / training seconds, as
# run_timed.py computes it for every tool (vocabulary pass and output excluded).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${EMBEDDB_SHARED:-$REPO/../shared}"
PEERS="$SHARED/peers"
PY="${PY:-/usr/bin/python3}"
FASTTEXT="${FASTTEXT:-/usr/bin/fasttext}"
WORK="${WORK:-/tmp/embeddb-compare}"
CORPUS_INPUT="${CORPUS_INPUT:-$SHARED/testdata/corpus/wikipedia}"
TOOLS="${TOOLS:-embeddb gensim fasttext}"
MODELS="${MODELS:-sg cbow}"
RUNS="${RUNS:-1}"
WORKERS="${WORKERS:-2}"
MODEL_KIND="${MODEL_KIND:-word2vec}"
case "$MODEL_KIND" in
  word2vec) EXTRA="" GENSIM_TRAIN="$PEERS/gensim_train.py" FT_SUBWORDS=(-minn 0 -maxn 0) ;;
  fasttext) EXTRA="model = 'fasttext'" GENSIM_TRAIN="$REPO/scripts/gensim_fasttext_train.py"
            FT_SUBWORDS=(-minn 3 -maxn 6 -bucket 2000000) ;;
  *) echo "MODEL_KIND must be word2vec or fasttext" >&2; exit 1 ;;
esac
export QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-120}"

for f in prep_corpus.py run_timed.py quality.py gensim_train.py; do
  [ -f "$PEERS/$f" ] || { echo "missing $PEERS/$f (set EMBEDDB_SHARED)" >&2; exit 1; }
done
mkdir -p "$WORK/models" "$WORK/logs"
TOK="$WORK/corpus.tok"
STATS="$WORK/corpus.stats.json"
JSONL="$WORK/train.jsonl"
QJSONL="$WORK/quality.jsonl"

echo "== tokenizing $CORPUS_INPUT (gensim simple_preprocess, once for every tool)"
if [ ! -s "$TOK" ] || [ ! -s "$STATS" ]; then
  "$PY" "$PEERS/prep_corpus.py" "$TOK" "$STATS" "$CORPUS_INPUT" > "$WORK/logs/prep.log"
fi
WORDS=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['tokens'])" "$STATS")
echo "   $WORDS tokens"

echo "== building embeddb"
(cd "$REPO" && go build -o "$WORK/embeddb" ./cmd/embeddb)

: > "$JSONL"
rm -f "$WORK"/models/*.txt
for r in $(seq 1 "$RUNS"); do
  for m in $MODELS; do
    if [ "$m" = sg ]; then sg=1; ftm=skipgram; else sg=0; ftm=cbow; fi
    for tool in $TOOLS; do
      name="$tool-$m-r$r"
      case "$tool" in
        embeddb) cmd=("$REPO/scripts/embeddb_train.sh" "$WORK/embeddb" "$WORK/$name.db" $sg $WORKERS
                   "$TOK" "$WORK/models/$name.txt" "$EXTRA") ;;
        embeddb-ma) cmd=("$REPO/scripts/embeddb_train.sh" "$WORK/embeddb" "$WORK/$name.db" $sg $WORKERS
                   "$TOK" "$WORK/models/$name.txt" "min_alpha = 0.0026${EXTRA:+, $EXTRA}") ;;
        gensim)  cmd=("$PY" "$GENSIM_TRAIN" --mode file --sg $sg --tok "$TOK"
                   --out "$WORK/models/$name.txt" --workers $WORKERS) ;;
        gensim-iter) cmd=("$PY" "$GENSIM_TRAIN" --mode iter --sg $sg --tok "$TOK"
                   --out "$WORK/models/$name.txt" --workers $WORKERS) ;;
        fasttext) cmd=("$FASTTEXT" $ftm -input "$TOK" -output "$WORK/models/$name"
                   "${FT_SUBWORDS[@]}" -dim 100 -ws 5 -neg 5 -t 1e-3 -minCount 5 -epoch 5 -thread $WORKERS) ;;
        *) echo "unknown tool $tool" >&2; exit 1 ;;
      esac
      echo "== $name"
      rc=0
      "$PY" "$PEERS/run_timed.py" --tool "$tool" --model "$m" --run "$r" --words "$WORDS" --epochs 5 \
        --jsonl "$JSONL" --log "$WORK/logs/$name.log" -- "${cmd[@]}" || rc=$?
      # exit 3 = other processes used the CPU meanwhile: the record is kept, flagged.
      [ $rc = 0 ] || [ $rc = 3 ] || { echo "$name failed (rc=$rc), see $WORK/logs/$name.log" >&2; exit 1; }
      if [ "$tool" = fasttext ]; then
        mv -f "$WORK/models/$name.vec" "$WORK/models/$name.txt"; rm -f "$WORK/models/$name.bin"
      fi
    done
  done
done

echo "== evaluating every model with gensim (quality.py)"
"$PY" "$PEERS/quality.py" "$QJSONL" "$SHARED/testdata/eval/questions-words.txt" \
  "$SHARED/testdata/eval/wordsim353.tsv" "$WORK"/models/*.txt > "$WORK/logs/quality.log"

"$PY" "$REPO/scripts/compare_train_table.py" "$JSONL" "$QJSONL" "$STATS" | tee "$WORK/table.md"
