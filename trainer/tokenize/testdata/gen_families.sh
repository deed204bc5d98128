#!/bin/sh
# Regenerates families/corpus_strings.json and families/<NAME>.jsonl: real
# passages from ../shared/testdata/corpus, encoded by every tokenizer under
# ../shared/testdata/tokenizers with transformers.js (@lenml/tokenizers
# 3.7.2), through ../shared/testdata/tokenizers/gen_encodings.mjs.
#
#   sh trainer/tokenize/testdata/gen_families.sh      (from the repository root)
#
# Needs /usr/bin/python3, node and npm; installs @lenml/tokenizers in a temporary
# directory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${EMBEDDB_SHARED:-$here/../../../../shared}/testdata
out=$here/families
mkdir -p "$out"
/usr/bin/python3 "$here/corpus_strings.py" "$shared/corpus" > "$out/corpus_strings.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund @lenml/tokenizers@3.7.2 >/dev/null)
(cd "$work" && node "$shared/tokenizers/gen_encodings.mjs" "$out/corpus_strings.json" "$out")
