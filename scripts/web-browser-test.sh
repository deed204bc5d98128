#!/bin/sh
# Drives the page of `embeddb serve` in headless Chromium (Debian's
# chromium package, installed here when missing; puppeteer-core from npm
# talks to it): types a word, checks the neighbour list and the map, clicks a
# point to re-centre, zooms, switches tables, and keeps a screenshot.
#
#   sh scripts/web-browser-test.sh [SCREENSHOT.png]
#
# The screenshot goes to $1, else web/testdata/serve-screenshot.png.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shot=${1:-$root/web/testdata/serve-screenshot.png}
if ! command -v chromium >/dev/null 2>&1; then
	apt-get install -y chromium
fi
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent puppeteer-core@24 >/dev/null)
cd "$root"
go build -o "$tmp/embeddb" ./cmd/embeddb
"$tmp/embeddb" "$tmp/words.db" \
	"TRAIN w2v FROM 'testdata/train-data.txt' WITH (min_count = 1, vector_size = 20, workers = 1, seed = 1, epochs = 20)" \
	"CREATE TABLE pets (dim = 3)" \
	"INSERT INTO pets VALUES ('cat', [0.1, 0.2, 0.3]), ('dog', [0.1, 0.25, 0.3]), ('emu', [0.9, -0.1, 0.05]), ('owl', [0.5, 0.5, 0.1]), ('ant', [-0.3, 0.8, 0.2])" >/dev/null
"$tmp/embeddb" serve "$tmp/words.db" >"$tmp/serve.log" 2>&1 &
pid=$!
url=
for _ in $(seq 1 50); do
	url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$tmp/serve.log" || true)
	[ -n "$url" ] && break
	sleep 0.2
done
[ -n "$url" ] || { cat "$tmp/serve.log"; echo "embeddb serve did not start"; exit 1; }
mkdir -p "$(dirname "$shot")"
NODE_PATH="$tmp/node_modules" node "$root/scripts/web_browser_test.cjs" "$url" "$shot"
