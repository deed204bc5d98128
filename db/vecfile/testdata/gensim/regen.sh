#!/bin/sh
# Regenerates vecfile's gensim/numpy goldens. Needs Go and Debian's python3 with gensim 4.2 and numpy
# (apt-get install -y python3-gensim). Review the diff afterwards.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
go test -count=1 -run 'TestGolden_Write' . -args -update   # writes testdata/gensim/embeddb.{txt,bin}
/usr/bin/python3 "$here/gen.py" "$here"
go test -count=1 -run 'TestGolden' .
