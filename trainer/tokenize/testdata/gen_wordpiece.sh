#!/bin/sh
# Regenerates wordpiece/<NAME>/encodings.jsonl (the shared test strings) and
# wordpiece/<NAME>/corpus.jsonl (families/corpus_strings.json, made by
# gen_families.sh) with transformers.js (@lenml/tokenizers 3.7.2).
#
#   sh trainer/tokenize/testdata/gen_wordpiece.sh      (from the repository root)
#
# Needs node and npm; installs @lenml/tokenizers in a temporary directory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${EMBEDDB_SHARED:-$here/../../../../shared}/testdata
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund @lenml/tokenizers@3.7.2 >/dev/null)
for dir in "$here"/wordpiece/*/; do
	(cd "$work" && node "$here/gen_wordpiece.mjs" "$shared/tokenizers/strings.json" "$dir/encodings.jsonl" "$dir")
	(cd "$work" && node "$here/gen_wordpiece.mjs" "$here/families/corpus_strings.json" "$dir/corpus.jsonl" "$dir")
done
