#!/usr/bin/env bash
# compare-train.sh: train skip-gram and CBOW with embeddb, gensim and fastText in ONE run, on
# the same tokenized corpus with the same parameters, and print one table of training
# words/s, peak RSS, analogy accuracy (questions-words, restrict_vocab 30000) and WordSim-353
# Spearman, all measured by the shared peer scripts (../shared/peers), so every figure is
# computed the same way for every tool (gensim evaluates all the vectors). The table
# (scripts/compare_train_table.py) also gives words per CPU-second, the steadier figure when
# other processes share the machine, and how much CPU they took during each run.
#
# usage: scripts/compare-train.sh            one corpus, one kind (the speed comparison)
#        scripts/compare-train.sh quality    the quality matrix: every corpus of CORPORA x every
#                                            kind (Word2Vec, FastText) x sg/cbow x SEEDS seeds, for
#                                            embeddb and gensim (corpus_file and iterable), each
#                                            evaluated by gensim; prints mean +- spread per cell
#                                            and the verdict against issue 18's bar (embeddb's mean
#                                            >= the better gensim mode's mean - 0.5 points of
#                                            analogy and - 0.01 of WS-353 rho), plus the speed
#                                            ratios by CPU. Defaults: SEEDS=3, TOOLS="embeddb gensim
#                                            gensim-iter", QUIET_MAX_WAIT=0 (quality does not depend
#                                            on load), every process under nice. ~35 CPU-minutes.
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
#        SEEDS           seeds (default 1 = seed 1 for every round; N = rounds 1..N with seeds 1..N)
#        SEED_FROM       first round/seed with SEEDS (default 1): SEEDS=3 SEED_FROM=3 trains seed 3
#                        only, to add a seed in a new WORK whose records ALSO merges with the old
#        CORPORA         quality mode: names among wikipedia (first 4 files of the excerpt,
#                        0.62M tokens), gutenberg (first 4 novels), gensim (all of gensim's test
#                        corpora, 0.41M tokens); default all three
#        KINDS           quality mode: default "word2vec fasttext"
#        ALSO            quality mode: more WORK folders whose records the table merges (e.g. the
#                        gensim runs of an earlier WORK when only TOOLS=embeddb runs again)
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
MODE="${1:-speed}"
ALSO="${ALSO:-}"
if [ "$MODE" = quality ]; then
  TOOLS="${TOOLS:-embeddb gensim gensim-iter}"
  SEEDS="${SEEDS:-3}"
  export QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-0}"
  export OTHER_MAX_CORES="${OTHER_MAX_CORES:-99}"  # load does not change quality: keep every run
  renice -n 10 $$ > /dev/null 2>&1 || true         # children inherit it
fi
TOOLS="${TOOLS:-embeddb gensim fasttext}"
MODELS="${MODELS:-sg cbow}"
SEEDS="${SEEDS:-1}"
RUNS="${RUNS:-1}"
[ "$SEEDS" -gt 1 ] && RUNS=$SEEDS
SEED_FROM="${SEED_FROM:-1}"
WORKERS="${WORKERS:-2}"
MODEL_KIND="${MODEL_KIND:-word2vec}"
export QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-120}"

for f in prep_corpus.py run_timed.py quality.py gensim_train.py; do
  [ -f "$PEERS/$f" ] || { echo "missing $PEERS/$f (set EMBEDDB_SHARED)" >&2; exit 1; }
done

# corpus_files NAME: the raw inputs of a named corpus of the quality matrix.
corpus_files() {
  local d="$SHARED/testdata/corpus"
  case "$1" in
    wikipedia) ls "$d"/wikipedia/* | head -4 ;;
    gutenberg) ls "$d"/gutenberg/* | head -4 ;;
    gensim) echo "$d/gensim" ;;
    *) echo "unknown corpus $1 (wikipedia, gutenberg, gensim)" >&2; return 1 ;;
  esac
}

# train_all KIND DIR INPUT...: tokenize INPUT into DIR once, train every tool x model x round
# of KIND there, evaluate every model with gensim (DIR/quality.jsonl).
train_all() {
  local kind=$1 dir=$2; shift 2
  local extra gtrain sub
  case "$kind" in
    word2vec) extra="" gtrain="$PEERS/gensim_train.py" sub=(-minn 0 -maxn 0) ;;
    fasttext) extra="model = 'fasttext'" gtrain="$REPO/scripts/gensim_fasttext_train.py"
              sub=(-minn 3 -maxn 6 -bucket 2000000) ;;
    *) echo "MODEL_KIND must be word2vec or fasttext" >&2; return 1 ;;
  esac
  mkdir -p "$dir/models" "$dir/logs"
  local tok="$dir/corpus.tok" stats="$dir/corpus.stats.json" jsonl="$dir/train.jsonl"
  echo "== tokenizing $* (gensim simple_preprocess, once for every tool)"
  if [ ! -s "$tok" ] || [ ! -s "$stats" ]; then
    "$PY" "$PEERS/prep_corpus.py" "$tok" "$stats" "$@" > "$dir/logs/prep.log"
  fi
  local words
  words=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['tokens'])" "$stats")
  echo "   $words tokens"
  # Only TOOLS' records and models are replaced: the others' stay, so one tool can be run again
  # (TOOLS=embeddb after a change) against gensim's earlier models in the same WORK.
  local t models=()
  touch "$jsonl" "$dir/quality.jsonl"
  for t in $TOOLS; do
    keep_others "$jsonl" "$t"; keep_others "$dir/quality.jsonl" "$t"
    for m in $MODELS; do rm -f "$dir/models/$t-$m"-r*.txt; done
  done
  local r m sg ftm tool name rc seedx
  for r in $(seq "$SEED_FROM" "$RUNS"); do
    # with SEEDS, round r trains with seed r; otherwise every round keeps the default seed 1
    seed=1; [ "$SEEDS" -gt 1 ] && seed=$r
    seedx=""; [ "$SEEDS" -gt 1 ] && seedx="seed = $seed"
    for m in $MODELS; do
      if [ "$m" = sg ]; then sg=1; ftm=skipgram; else sg=0; ftm=cbow; fi
      for tool in $TOOLS; do
        name="$tool-$m-r$r"
        case "$tool" in
          embeddb) cmd=("$REPO/scripts/embeddb_train.sh" "$WORK/embeddb" "$dir/$name.db" $sg $WORKERS
                     "$tok" "$dir/models/$name.txt" "$(join "$extra" "$seedx")") ;;
          embeddb-ma) cmd=("$REPO/scripts/embeddb_train.sh" "$WORK/embeddb" "$dir/$name.db" $sg $WORKERS
                     "$tok" "$dir/models/$name.txt" "$(join "min_alpha = 0.0026" "$extra" "$seedx")") ;;
          gensim)  cmd=("$PY" "$gtrain" --mode file --sg $sg --tok "$tok" --seed "$seed"
                     --out "$dir/models/$name.txt" --workers $WORKERS) ;;
          gensim-iter) cmd=("$PY" "$gtrain" --mode iter --sg $sg --tok "$tok" --seed "$seed"
                     --out "$dir/models/$name.txt" --workers $WORKERS) ;;
          fasttext) cmd=("$FASTTEXT" $ftm -input "$tok" -output "$dir/models/$name"
                     ${seedx:+-seed "$seed"} "${sub[@]}" -dim 100 -ws 5 -neg 5 -t 1e-3 -minCount 5 -epoch 5 -thread $WORKERS) ;;
          *) echo "unknown tool $tool" >&2; return 1 ;;
        esac
        echo "== $name ($(date -u +%H:%M:%S))"
        rc=0
        "$PY" "$PEERS/run_timed.py" --tool "$tool" --model "$m" --run "$r" --words "$words" --epochs 5 \
          --jsonl "$jsonl" --log "$dir/logs/$name.log" -- "${cmd[@]}" || rc=$?
        # exit 3 = other processes used the CPU meanwhile: the record is kept, flagged.
        [ $rc = 0 ] || [ $rc = 3 ] || { echo "$name failed (rc=$rc), see $dir/logs/$name.log" >&2; return 1; }
        if [ "$tool" = fasttext ]; then
          mv -f "$dir/models/$name.vec" "$dir/models/$name.txt"; rm -f "$dir/models/$name.bin"
        fi
      done
    done
  done
  echo "== evaluating the new models with gensim (quality.py)"
  for t in $TOOLS; do for m in $MODELS; do models+=("$dir/models/$t-$m"-r*.txt); done; done
  "$PY" "$PEERS/quality.py" "$dir/quality.new.jsonl" "$SHARED/testdata/eval/questions-words.txt" \
    "$SHARED/testdata/eval/wordsim353.tsv" "${models[@]}" > "$dir/logs/quality.log"
  cat "$dir/quality.new.jsonl" >> "$dir/quality.jsonl"; rm -f "$dir/quality.new.jsonl"
}

# keep_others JSONL TOOL: drop TOOL's records (for the models in MODELS) from JSONL.
keep_others() {
  "$PY" - "$1" "$2" $MODELS <<'PYEOF'
import json, sys
path, tool, models = sys.argv[1], sys.argv[2], sys.argv[3:]
recs = [l for l in open(path) if l.strip()]
keep = [l for l in recs if not (json.loads(l)["tool"] == tool and json.loads(l)["model"] in models)]
open(path, "w").writelines(keep)
PYEOF
}

# join A B ...: the non-empty arguments joined by ", " (TRAIN options).
join() {
  local out="" a
  for a in "$@"; do [ -n "$a" ] && out="${out:+$out, }$a"; done
  echo "$out"
}

echo "== building embeddb"
mkdir -p "$WORK"
(cd "$REPO" && go build -o "$WORK/embeddb" ./cmd/embeddb)

if [ "$MODE" = quality ]; then
  for c in ${CORPORA:-wikipedia gutenberg gensim}; do
    mapfile -t files < <(corpus_files "$c")
    for k in ${KINDS:-word2vec fasttext}; do
      echo "==== $c, $k"
      train_all "$k" "$WORK/$c/$k" "${files[@]}"
    done
  done
  "$PY" "$REPO/scripts/compare_train_table.py" --quality "$WORK" $ALSO | tee "$WORK/quality-table.md"
else
  train_all "$MODEL_KIND" "$WORK" "$CORPUS_INPUT"
  "$PY" "$REPO/scripts/compare_train_table.py" "$WORK/train.jsonl" "$WORK/quality.jsonl" \
    "$WORK/corpus.stats.json" | tee "$WORK/table.md"
fi
