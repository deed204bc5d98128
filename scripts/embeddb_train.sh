#!/usr/bin/env bash
# embeddb_train.sh EMBEDDB DBFILE SG WORKERS CORPUS OUT.txt [EXTRA]
# EXTRA: more TRAIN options, e.g. "min_alpha = 0.0026"
# Trains with the embeddb command (TRAIN, as users run it: vocabulary pass, training and the
# committed table), exports the vectors as word2vec text for the peers' quality.py, and prints
# RESULT {"train_s": ...} for run_timed.py: the training loop's seconds, from TRAIN's own words/s
# (vocabulary pass, storing and export excluded, as for the other tools).
set -euo pipefail
bin=$1 db=$2 sg=$3 workers=$4 corpus=$5 out=$6 extra=${7:-}
rm -f "$db"
res=$("$bin" -mode json "$db" "TRAIN m FROM '$corpus' WITH (sg = $sg, vector_size = 100, window = 5,
  negative = 5, sample = 0.001, min_count = 5, epochs = 5, workers = $workers${extra:+, $extra})")
"$bin" "$db" "EXPORT m TO '$out' WITH (format = 'word2vec', overwrite = true)" > /dev/null
rm -f "$db"
/usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])
r = r[0] if isinstance(r, list) else r  # -mode json may print the rows as one array
print("RESULT " + json.dumps({"train_s": r["words"] * 5 / r["words/s"], "table": r}))' "$res"
